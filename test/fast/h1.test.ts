/**
 * src/fast/h1.ts against a real TLS server on loopback that answers with scripted bytes: framing by
 * Content-Length, chunked and connection close; keep-alive reuse; a retry when the server dropped
 * the idle connection; node's own TLS errors; H1Unsupported (→ node:https) for what it does not read.
 */
import * as tls from 'node:tls'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {H1Connection, H1Unsupported} from '../../src/fast/h1.js'
import {leanTransport} from '../../src/fast/transport.js'
import {generateServingCert} from '../../simulator/apiserver/tls.js'

let server: tls.Server
let port: number
let ca: string
let connections = 0
const seen: string[] = []
/** Answers per request line (path): raw bytes, or a function of the socket. */
const answers = new Map<string, string | ((s: tls.TLSSocket) => void)>()

beforeAll(async () => {
  const cert = await generateServingCert()
  ca = cert.certPem
  server = tls.createServer({cert: cert.certPem, key: cert.keyPem}, (socket) => {
    connections++
    let buf = ''
    socket.on('data', (d) => {
      buf += d.toString('latin1')
      let end
      while ((end = buf.indexOf('\r\n\r\n')) !== -1) {
        const head = buf.slice(0, end)
        buf = buf.slice(end + 4)
        seen.push(head)
        const path = head.split(' ')[1]!
        const answer = answers.get(path) ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}'
        if (typeof answer === 'function') answer(socket)
        else socket.write(answer)
      }
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as {port: number}).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const conn = (opts: Partial<tls.ConnectionOptions> = {}) => new H1Connection({host: '127.0.0.1', port, ca, ...opts})
const host = () => `127.0.0.1:${port}`

describe('H1Connection', () => {
  it('reads Content-Length and chunked bodies, one keep-alive connection for queued requests', async () => {
    answers.set('/a', 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Wed, 25 Nov 2026 15:00:00 GMT\r\nContent-Length: 9\r\n\r\n{"a":"é"}'.replace('9', String(Buffer.byteLength('{"a":"é"}'))))
    answers.set('/b?x=1', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"b"\r\n3\r\n:2}\r\n0\r\nX-Trailer: t\r\n\r\n')
    answers.set('/c', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n')
    const before = connections
    const c = conn()
    const [a, b, cc] = await Promise.all([c.get('/a', host(), {Authorization: 'Bearer t0k'}), c.get('/b?x=1', host(), {}), c.get('/c', host(), {})])
    expect(a).toEqual({status: 200, headers: {'content-type': 'application/json', date: 'Wed, 25 Nov 2026 15:00:00 GMT', 'content-length': String(Buffer.byteLength('{"a":"é"}'))}, body: '{"a":"é"}'})
    expect(b.body).toBe('{"b":2}')
    expect(cc.body).toBe('{}')
    expect(connections - before).toBe(1)
    expect(seen.find((h) => h.startsWith('GET /a '))).toBe(`GET /a HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer t0k\r\nConnection: keep-alive`)
    c.close()
  })

  it('reads a body delimited by the close of the connection, then connects again', async () => {
    answers.set('/close', (s) => s.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\noops'))
    answers.set('/after', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    const before = connections
    const c = conn()
    expect(await c.get('/close', host(), {})).toMatchObject({status: 500, body: 'oops'})
    expect(await c.get('/after', host(), {})).toMatchObject({status: 200, body: 'ok'})
    expect(connections - before).toBe(2)
    c.close()
  })

  it('asks again on a new connection when the server dropped the idle one', async () => {
    answers.set('/once', (s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1')
      setImmediate(() => s.destroy())
    })
    answers.set('/twice', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2')
    const c = conn()
    expect((await c.get('/once', host(), {})).body).toBe('1')
    expect((await c.get('/twice', host(), {})).body).toBe('2')
    c.close()
  })

  it('fails with H1Unsupported for answers it does not read, and on header values it would not send', async () => {
    answers.set('/gzip', 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nxx')
    answers.set('/continue', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
    answers.set('/bad', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')
    for (const path of ['/gzip', '/continue', '/bad']) await expect(conn().get(path, host(), {}), path).rejects.toBeInstanceOf(H1Unsupported)
    await expect(conn().get('/a', host(), {Authorization: 'Bearer a\r\nX: y'})).rejects.toBeInstanceOf(H1Unsupported)
  })

  it("reports node's TLS and socket errors with their codes", async () => {
    await expect(conn({ca: undefined}).get('/a', host(), {})).rejects.toMatchObject({code: 'DEPTH_ZERO_SELF_SIGNED_CERT'})
    await expect(new H1Connection({host: '127.0.0.1', port: 1, ca}).get('/a', '127.0.0.1:1', {})).rejects.toMatchObject({code: 'ECONNREFUSED'})
  })
})

describe('leanTransport over loopback HTTPS', () => {
  it('uses the small client, and node:https for an answer it does not read', async () => {
    answers.set('/apis/x', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}')
    answers.set('/apis/z', 'HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 2\r\n\r\nzz')
    const t = leanTransport({server: `https://127.0.0.1:${port}`, 'certificate-authority-data': Buffer.from(ca).toString('base64')}, {token: 'secret'})!
    const start = seen.length
    expect((await t.get('/apis/x', {labelSelector: 'a=b'})).body).toBe('{}')
    const z = await t.get('/apis/z', {})
    expect(z).toMatchObject({status: 200, body: 'zz'})
    t.close()
    const heads = seen.slice(start)
    expect(heads[0]).toBe(`GET /apis/x?labelSelector=a%3Db HTTP/1.1\r\nHost: ${host()}\r\nAccept: application/json, */*;q=0.8\r\nAuthorization: Bearer secret\r\nConnection: keep-alive`)
    // /apis/z twice: the small client gave up on br, node:https asked again (and returns the bytes as they are).
    expect(heads.filter((h) => h.startsWith('GET /apis/z '))).toHaveLength(2)
  })

  it('leaves exec credentials, proxies, basic auth and plain http without skip-verify to client-node', () => {
    const cluster = {server: 'https://127.0.0.1:6443'}
    expect(leanTransport(cluster, {exec: {command: 'x'}})).toBeUndefined()
    expect(leanTransport(cluster, {'auth-provider': {name: 'oidc'}})).toBeUndefined()
    expect(leanTransport(cluster, {username: 'u', password: 'p'})).toBeUndefined()
    expect(leanTransport(cluster, {as: 'someone'})).toBeUndefined()
    expect(leanTransport(cluster, {tokenFile: '/x'})).toBeUndefined()
    expect(leanTransport({...cluster, 'proxy-url': 'http://proxy:3128'}, {})).toBeUndefined()
    expect(leanTransport({server: 'http://127.0.0.1:8080'}, {})).toBeUndefined()
    expect(leanTransport({server: 'http://127.0.0.1:8080', 'insecure-skip-tls-verify': true}, {token: 't'})).toBeDefined()
    expect(leanTransport(cluster, {token: 't', 'client-certificate-data': 'QQ==', 'client-key-data': 'QQ=='})).toBeDefined()
  })
})

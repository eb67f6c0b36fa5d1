/**
 * A minimal HTTP/1.1 GET client on one TLS connection, for the loopback API server of a cold start
 * (`kubectl aim status` against the simulator): node:https's client machinery costs more CPU than
 * the requests themselves there. Requests queue on the connection one at a time (keep-alive); the
 * socket is unreferenced while idle, like an agent's free sockets.
 *
 * Strict about what it reads: a status line, headers, then a body by Content-Length, by chunked
 * transfer coding, or up to the close of the connection. Anything else (1xx, other transfer or
 * content codings, malformed framing) fails the request with `H1Unsupported` before it is answered
 * to the caller, and the caller repeats it with node:https. Socket and TLS errors are node's own
 * (same codes as through node:https).
 */
import * as tls from 'node:tls'
import type {IncomingHttpHeaders} from 'node:http'

export interface H1Response {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** This client does not read the answer (or cannot send the request): use node:https. */
export class H1Unsupported extends Error {}

interface Pending {
  head: string
  resolve(r: H1Response): void
  reject(err: unknown): void
}

const MAX_HEADER_BYTES = 64 * 1024

export class H1Connection {
  private socket: tls.TLSSocket | undefined
  private readonly queue: Pending[] = []
  private active: Pending | undefined
  private parser: ResponseParser | undefined
  private reused = false
  private broken = false
  /** Requests written on the current socket. */
  private served = 0

  constructor(private readonly options: tls.ConnectionOptions & {host: string; port: number}) {}

  /** GET `target` (path and query) with these headers (no CR/LF in names or values). */
  get(target: string, host: string, headers: Record<string, string>): Promise<H1Response> {
    if (this.broken) return Promise.reject(new H1Unsupported('connection gave up'))
    let head = `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n`
    for (const [k, v] of Object.entries(headers)) {
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v) || /[^\t\x20-\x7e]/.test(v)) return Promise.reject(new H1Unsupported('header'))
      head += `${k}: ${v}\r\n`
    }
    head += 'Connection: keep-alive\r\n\r\n'
    return new Promise((resolve, reject) => {
      this.queue.push({head, resolve, reject})
      this.next()
    })
  }

  /** Opens the connection now (the TLS handshake then overlaps whatever the caller does next). */
  preconnect(): void {
    if (this.broken || (this.socket && !this.socket.destroyed)) return
    this.connect()
    if (!this.active) this.socket!.unref()
  }

  close(): void {
    this.socket?.destroy()
    this.socket = undefined
  }

  private next(): void {
    if (this.active || this.queue.length === 0) return
    const p = this.queue.shift()!
    this.active = p
    if (!this.socket || this.socket.destroyed) this.connect()
    this.reused = this.served > 0
    this.served++
    this.socket!.ref()
    this.parser = new ResponseParser()
    this.socket!.write(p.head, 'latin1')
  }

  private connect(): void {
    const socket = tls.connect(this.options)
    // No Nagle delay: a request goes out whole while the handshake's last message may be unacknowledged.
    socket.setNoDelay(true)
    this.socket = socket
    this.served = 0
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk))
    socket.on('end', () => this.onEnd(socket))
    socket.on('error', (err) => this.onError(socket, err))
    socket.on('close', () => this.onEnd(socket))
  }

  private finish(socket: tls.TLSSocket, outcome: {response?: H1Response; error?: unknown}, keep: boolean): void {
    const p = this.active
    this.active = undefined
    this.parser = undefined
    if (!keep) {
      socket.destroy()
      if (this.socket === socket) this.socket = undefined
    } else if (this.queue.length === 0) socket.unref()
    if (outcome.error instanceof H1Unsupported) {
      // Give the rest up too: the caller answers them through node:https.
      this.broken = true
      this.close()
      for (const q of this.queue.splice(0)) q.reject(new H1Unsupported('connection gave up'))
    }
    if (p) {
      if (outcome.response) p.resolve(outcome.response)
      else p.reject(outcome.error)
    }
    this.next()
  }

  private onData(socket: tls.TLSSocket, chunk: Buffer): void {
    if (socket !== this.socket || !this.parser) {
      socket.destroy() // bytes nobody asked for
      return
    }
    let done: {response: H1Response; keepAlive: boolean} | undefined
    try {
      done = this.parser.push(chunk)
    } catch (err) {
      this.finish(socket, {error: err}, false)
      return
    }
    if (done) this.finish(socket, {response: done.response}, done.keepAlive)
  }

  private onEnd(socket: tls.TLSSocket): void {
    if (socket !== this.socket) return
    this.socket = undefined
    if (!this.active) return
    const parser = this.parser!
    if (parser.started()) {
      let response: H1Response | undefined
      try {
        response = parser.end()
      } catch (err) {
        this.finish(socket, {error: err}, false)
        return
      }
      this.finish(socket, response ? {response} : {error: Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})}, false)
    } else if (this.reused) {
      // The server closed an idle connection as we reused it: ask again on a new one.
      const p = this.active
      this.active = undefined
      this.parser = undefined
      this.queue.unshift(p)
      this.next()
    } else this.finish(socket, {error: Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'})}, false)
  }

  private onError(socket: tls.TLSSocket, err: Error): void {
    if (socket !== this.socket) return
    this.socket = undefined
    if (!this.active) return
    if (this.reused && !this.parser!.started()) {
      // The idle connection was gone when we reused it: ask again on a new one.
      socket.destroy()
      const p = this.active
      this.active = undefined
      this.parser = undefined
      this.queue.unshift(p)
      this.next()
      return
    }
    this.finish(socket, {error: err}, false)
  }
}

/** One response, fed as it arrives. */
class ResponseParser {
  private buf: Buffer = Buffer.alloc(0)
  private status = 0
  private headers: IncomingHttpHeaders | undefined
  private bodyStart = 0
  private length: number | undefined
  private chunked = false
  private keepAlive = true
  private chunks: Buffer[] = []
  private pos = 0

  started(): boolean {
    return this.buf.length > 0 || this.headers !== undefined
  }

  /** The response once complete. */
  push(chunk: Buffer): {response: H1Response; keepAlive: boolean} | undefined {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    if (!this.headers) {
      const end = this.buf.indexOf('\r\n\r\n')
      if (end === -1) {
        if (this.buf.length > MAX_HEADER_BYTES) throw new H1Unsupported('header too long')
        return undefined
      }
      this.readHead(this.buf.toString('latin1', 0, end))
      this.bodyStart = end + 4
      this.pos = this.bodyStart
    }
    if (this.length !== undefined) {
      if (this.buf.length - this.bodyStart > this.length) throw new H1Unsupported('more than Content-Length')
      if (this.buf.length - this.bodyStart < this.length) return undefined
      return this.done(this.buf.subarray(this.bodyStart))
    }
    if (this.chunked) return this.readChunks()
    return undefined // until the connection closes
  }

  /** The connection ended: the response if it is complete that way. */
  end(): H1Response | undefined {
    if (!this.headers || this.length !== undefined || this.chunked) return undefined
    return this.done(this.buf.subarray(this.bodyStart)).response
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n')
    const m = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: .*)?$/.exec(lines[0]!)
    if (!m) throw new H1Unsupported('status line')
    this.status = Number(m[2])
    if (this.status < 200 || this.status === 204 || this.status === 304) throw new H1Unsupported(`status ${this.status}`)
    const headers: IncomingHttpHeaders = {}
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) throw new H1Unsupported('header line')
      const name = line.slice(0, colon).toLowerCase()
      const value = line.slice(colon + 1).trim()
      if (name === 'set-cookie') headers['set-cookie'] = [...(headers['set-cookie'] ?? []), value]
      else if (headers[name] !== undefined) {
        if (name === 'content-length' || name === 'transfer-encoding' || name === 'date') throw new H1Unsupported(`repeated ${name}`)
        headers[name] = `${headers[name] as string}, ${value}`
      } else headers[name] = value
    }
    const te = headers['transfer-encoding']
    const cl = headers['content-length']
    const ce = headers['content-encoding']
    if (ce !== undefined && ce.toLowerCase() !== 'identity') throw new H1Unsupported('content-encoding')
    if (te !== undefined) {
      if (te.toLowerCase() !== 'chunked' || cl !== undefined) throw new H1Unsupported('transfer-encoding')
      this.chunked = true
    } else if (cl !== undefined) {
      if (!/^\d{1,15}$/.test(cl)) throw new H1Unsupported('content-length')
      this.length = Number(cl)
    }
    const connection = (headers['connection'] ?? '').toLowerCase()
    this.keepAlive = m[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection)
    if (this.length === undefined && !this.chunked) this.keepAlive = false
    this.headers = headers
  }

  private readChunks(): {response: H1Response; keepAlive: boolean} | undefined {
    for (;;) {
      const lineEnd = this.buf.indexOf('\r\n', this.pos)
      if (lineEnd === -1) return undefined
      const sizeText = this.buf.toString('latin1', this.pos, lineEnd).split(';')[0]!.trim()
      if (!/^[0-9a-fA-F]{1,12}$/.test(sizeText)) throw new H1Unsupported('chunk size')
      const size = Number.parseInt(sizeText, 16)
      if (size === 0) {
        // Trailers (ignored) up to an empty line.
        const end = this.buf.indexOf('\r\n\r\n', lineEnd)
        const bare = this.buf.length >= lineEnd + 4 && this.buf.toString('latin1', lineEnd, lineEnd + 4) === '\r\n\r\n'
        if (!bare && end === -1) return undefined
        const last = bare ? lineEnd + 4 : end + 4
        if (this.buf.length > last) throw new H1Unsupported('bytes after the response')
        return this.done(Buffer.concat(this.chunks))
      }
      if (this.buf.length < lineEnd + 2 + size + 2) return undefined
      if (this.buf.toString('latin1', lineEnd + 2 + size, lineEnd + 4 + size) !== '\r\n') throw new H1Unsupported('chunk end')
      this.chunks.push(this.buf.subarray(lineEnd + 2, lineEnd + 2 + size))
      this.pos = lineEnd + 4 + size
    }
  }

  private done(body: Buffer): {response: H1Response; keepAlive: boolean} {
    return {response: {status: this.status, headers: this.headers!, body: body.toString('utf8')}, keepAlive: this.keepAlive}
  }
}

/** startSimulator's own contract: kubeconfig, certificate caching beside the state file, stop(). */
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {X509Certificate} from 'node:crypto'
import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {startSimulator} from '../../simulator/index.js'

const dir = mkdtempSync(join(tmpdir(), 'aim-sim-test-'))

afterAll(() => {
  rmSync(dir, {recursive: true, force: true})
})

describe('startSimulator', () => {
  it('writes a 0600 kubeconfig with the CA, the token and the aim-simulator context', async () => {
    const sim = await startSimulator({controllers: false, token: 'fixed-token'})
    try {
      const path = join(dir, 'nested', 'kubeconfig')
      sim.writeKubeconfig(path)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      const kc = parse(readFileSync(path, 'utf8')) as any // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(kc['current-context']).toBe('aim-simulator')
      expect(kc.clusters[0].cluster.server).toBe(sim.url)
      expect(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(sim.caCert)
      expect(kc.users[0].user.token).toBe('fixed-token')
      const cert = new X509Certificate(sim.caCert)
      expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost')
      expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    } finally {
      await sim.stop()
    }
  })

  it('caches the certificate beside the state file and reuses it; tokens are random per start', async () => {
    const statePath = join(dir, 'state', 'sim.json')
    const first = await startSimulator({controllers: false, statePath})
    await first.stop()
    expect(statSync(`${statePath}.tls.key`).mode & 0o777).toBe(0o600)
    const second = await startSimulator({controllers: false, statePath})
    await second.stop()
    expect(second.caCert).toBe(first.caCert)
    expect(second.token).not.toBe(first.token)
    expect(first.token.length).toBeGreaterThanOrEqual(32)
  })

  it('stop() ends open watches and refuses new connections', async () => {
    const sim = await startSimulator({controllers: false})
    const {request} = await import('node:https')
    const ended = new Promise<string>((resolve, reject) => {
      const req = request(`${sim.url}/api/v1/namespaces?watch=true`, {headers: {Authorization: `Bearer ${sim.token}`}, ca: sim.caCert}, (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve(text))
        res.on('error', () => resolve(text))
      })
      req.on('error', reject)
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    await sim.stop()
    const text = await ended
    expect(text.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['ADDED', 'ADDED', 'ADDED'])
    expect(sim.requestLog.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /api/v1/namespaces 200'])
    const refused = await fetch(`${sim.url}/version`).then(() => 'answered', () => 'refused')
    expect(refused).toBe('refused')
  })

  it('a port in use is an error, and nothing is left running', async () => {
    const first = await startSimulator({controllers: false})
    try {
      const port = Number(new URL(first.url).port)
      await expect(startSimulator({controllers: false, port})).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.stop()
    }
  })

  it('stop() does not wait for a client stuck in the TLS handshake', async () => {
    const sim = await startSimulator({controllers: false})
    const {connect} = await import('node:net')
    const raw = connect(Number(new URL(sim.url).port), '127.0.0.1')
    raw.on('error', () => {})
    await new Promise<void>((r) => raw.once('connect', () => r()))
    const started = Date.now()
    await sim.stop()
    expect(Date.now() - started).toBeLessThan(2000)
    raw.destroy()
  })
})

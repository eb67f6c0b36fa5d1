/**
 * src/kube/trust.ts: what a connection without a CA of its own trusts when bin/kubectl-aim started
 * node without its default store (bundled roots) or without NODE_EXTRA_CA_CERTS: exactly what node's
 * default store would have held.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {rootCertificates} from 'node:tls'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {defaultTrustStore, withDefaultTrust} from '../../../src/kube/trust.js'

const KEY = Symbol.for('kubectl-aim.trust')
const record = (trust: unknown) => ((globalThis as Record<symbol, unknown>)[KEY] = trust)
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[KEY]
  vi.restoreAllMocks()
})

const PEM = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`

describe('defaultTrustStore', () => {
  it("is node's own default when the executable changed nothing", () => {
    expect(defaultTrustStore()).toBeUndefined()
    record({emptiedDefaultStore: false})
    expect(defaultTrustStore()).toBeUndefined()
  })

  it('is the bundled roots when the default store was left empty', () => {
    record({emptiedDefaultStore: true})
    expect(defaultTrustStore()).toEqual([...rootCertificates])
  })

  it('adds the NODE_EXTRA_CA_CERTS certificates, in file order, as node does', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aim-trust-')), 'extra.pem')
    writeFileSync(file, `comment line\n${PEM('QUJD')}\n${PEM('REVG')}\n`)
    record({emptiedDefaultStore: true, extraCaFile: file})
    expect(defaultTrustStore()).toEqual([...rootCertificates, PEM('QUJD'), PEM('REVG')])
  })

  it("warns as node does about an unreadable file and keeps the roots", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    record({emptiedDefaultStore: true, extraCaFile: '/nonexistent/extra.pem'})
    expect(defaultTrustStore()).toEqual([...rootCertificates])
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Ignoring extra certs from `\/nonexistent\/extra\.pem`, load failed: ENOENT/))
  })
})

describe('withDefaultTrust', () => {
  const config = (cluster: Record<string, unknown>) => ({clusters: [{name: 'c', cluster}], users: [], contexts: []})

  it('spells the store out for an https cluster without a CA', () => {
    record({emptiedDefaultStore: true})
    const out = withDefaultTrust(config({server: 'https://k8s.example.com'})) as ReturnType<typeof config>
    const data = out.clusters[0]!.cluster['certificate-authority-data'] as string
    expect(Buffer.from(data, 'base64').toString()).toBe(rootCertificates.join('\n') + '\n')
  })

  it('leaves a cluster with its own CA, skipped verification or plain http alone', () => {
    record({emptiedDefaultStore: true})
    for (const cluster of [
      {server: 'https://k8s.example.com', 'certificate-authority': '/ca.pem'},
      {server: 'https://k8s.example.com', 'certificate-authority-data': 'Q0E='},
      {server: 'https://k8s.example.com', 'insecure-skip-tls-verify': true},
      {server: 'http://127.0.0.1:8080'},
    ]) {
      const c = config(cluster)
      expect(withDefaultTrust(c)).toBe(c)
    }
  })
})

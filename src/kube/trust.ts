/**
 * The default trust store, with NODE_EXTRA_CA_CERTS when bin/kubectl-aim deferred it.
 *
 * Node 20 loads NODE_EXTRA_CA_CERTS at start-up, before any of our code runs, whether or not a
 * connection will use it; with a system bundle that is 25-45 ms on every command. The executable
 * starts node without the variable, puts it back into the environment, and records the file here
 * (a global symbol: the fast-path bundles and the oclif commands share it). A TLS client given a CA
 * (every kubeconfig with certificate-authority) never used those certificates anyway: node replaces
 * the default store, extras included. A client that relies on the default store gets it here as
 * node would have built it: the bundled roots plus the file's certificates.
 */
import {readFileSync} from 'node:fs'

const DEFERRED = Symbol.for('kubectl-aim.deferredExtraCaCerts')

/** The NODE_EXTRA_CA_CERTS file node did not load at start-up, if any. */
export function deferredExtraCaFile(): string | undefined {
  const file = (globalThis as Record<symbol, unknown>)[DEFERRED]
  return typeof file === 'string' && file !== '' ? file : undefined
}

let cached: string[] | undefined

/**
 * The certificates to pass as `ca` where a connection would use node's default trust store; undefined
 * when nothing was deferred (node's own default already has everything). A file that cannot be read
 * gets node's warning and is ignored, as node ignores it.
 */
export function defaultTrustStore(): string[] | undefined {
  const file = deferredExtraCaFile()
  if (file === undefined) return undefined
  if (cached) return cached
  const {rootCertificates} = process.getBuiltinModule('node:tls')
  let extra: string[] = []
  try {
    extra = readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  } catch (err) {
    process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(err as Error).message}`)
  }
  cached = [...rootCertificates, ...extra]
  return cached
}

/**
 * A single-context kubeconfig (flattenForClient's shape) for client-node: when its cluster relies on
 * the default trust store and NODE_EXTRA_CA_CERTS was deferred, the store is spelled out as the
 * cluster's certificate-authority-data, which client-node hands to node as `ca`.
 */
export function withDefaultTrust(config: Record<string, unknown>): Record<string, unknown> {
  const clusters = config['clusters'] as Array<{name: string; cluster: Record<string, unknown>}> | undefined
  const entry = clusters?.[0]
  if (!entry?.cluster || clusters!.length !== 1) return config
  const c = entry.cluster
  const server = typeof c['server'] === 'string' ? c['server'] : ''
  if (!server.startsWith('https:') || c['insecure-skip-tls-verify'] === true) return config
  if (c['certificate-authority'] || c['certificate-authority-data']) return config
  const trust = defaultTrustStore()
  if (!trust) return config
  const data = Buffer.from(trust.join('\n') + '\n').toString('base64')
  return {...config, clusters: [{...entry, cluster: {...c, 'certificate-authority-data': data}}]}
}

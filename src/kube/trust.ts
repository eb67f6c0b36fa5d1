/**
 * Node's default trust store, for the connections that rely on it, when bin/kubectl-aim started node
 * without building it.
 *
 * Two start-up costs of node 20 are taken out by the executable's shell lines (see bin/kubectl-aim):
 * loading NODE_EXTRA_CA_CERTS before any code runs, and parsing the ~140 bundled root certificates
 * for the first TLS context even when the connection names its own CA (node then runs with
 * --use-openssl-ca and an empty OpenSSL store). A TLS client given a CA (every kubeconfig with
 * certificate-authority) never used either: node replaces the default store with the CA it is
 * given. A client without one gets, from here, the store node would have built: the bundled roots
 * plus the NODE_EXTRA_CA_CERTS certificates.
 */
import {readFileSync} from 'node:fs'

interface StartupTrust {
  /** NODE_EXTRA_CA_CERTS, which node did not load. */
  extraCaFile?: string
  /** Node's default store was left empty (bundled roots not loaded). */
  emptiedDefaultStore: boolean
}

function startupTrust(): StartupTrust | undefined {
  const recorded = (globalThis as Record<symbol, unknown>)[Symbol.for('kubectl-aim.trust')]
  return recorded && typeof recorded === 'object' ? (recorded as StartupTrust) : undefined
}

let cached: {trust: StartupTrust; store: string[]} | undefined

/**
 * The certificates to pass as `ca` where a connection would use node's default trust store;
 * undefined when node's own default is complete (nothing was left out at start-up). A
 * NODE_EXTRA_CA_CERTS file that cannot be read gets node's warning and is ignored, as node ignores it.
 */
export function defaultTrustStore(): string[] | undefined {
  const trust = startupTrust()
  const extraFile = trust?.extraCaFile || undefined
  if (!trust || (!trust.emptiedDefaultStore && extraFile === undefined)) return undefined
  if (cached?.trust === trust) return cached.store
  let extra: string[] = []
  if (extraFile !== undefined) {
    try {
      extra = readFileSync(extraFile, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    } catch (err) {
      process.emitWarning(`Ignoring extra certs from \`${extraFile}\`, load failed: ${(err as Error).message}`)
    }
  }
  cached = {trust, store: [...process.getBuiltinModule('node:tls').rootCertificates, ...extra]}
  return cached.store
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

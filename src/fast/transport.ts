/**
 * A lean transport for plain reads (GET of one object or a list) over node:http(s): one keep-alive
 * agent per client (its idle sockets do not hold the process open), TLS sessions reused, with the
 * kubeconfig's bearer token, client certificate, CA and insecure-skip-tls-verify applied the way
 * client-node applies them. It exists for cold starts: loading client-node costs more than the
 * whole of `kubectl aim status` otherwise does.
 *
 * `leanTransport(cluster, user)` answers undefined for anything it does not do exactly like
 * client-node (exec or auth-provider credentials, basic auth, impersonation, token files, proxies,
 * plain http without insecure-skip-tls-verify, unknown keys); the client then uses client-node.
 */
import {readFileSync} from 'node:fs'
import type * as http from 'node:http'
import {defaultTrustStore} from '../kube/trust.js'

export interface LeanResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

export interface LeanTransport {
  get(path: string, query: Record<string, string | undefined>): Promise<LeanResponse>
  /** Closes idle connections. */
  close(): void
}

const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions'])
const USER_KEYS = new Set(['token', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'extensions'])

/** client-node's bufferFromFileOrString: the file wins over the inline base64 data. */
function fileOrData(file: unknown, data: unknown): Buffer | undefined {
  if (typeof file === 'string' && file !== '') return readFileSync(file)
  if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64')
  if (file || data) throw new Error('unsupported')
  return undefined
}

export function leanTransport(cluster: Record<string, unknown>, user: Record<string, unknown>): LeanTransport | undefined {
  if (Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k)) || Object.keys(user).some((k) => !USER_KEYS.has(k))) return undefined
  const server = cluster['server']
  if (typeof server !== 'string') return undefined
  let base: URL
  try {
    base = new URL(server)
  } catch {
    return undefined
  }
  const skip = cluster['insecure-skip-tls-verify']
  if (skip !== undefined && typeof skip !== 'boolean') return undefined
  if (base.protocol === 'http:' && skip !== true) return undefined // client-node refuses; let it say so
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined
  if (base.username || base.password || base.search || base.hash) return undefined
  const token = user['token']
  if (token !== undefined && typeof token !== 'string') return undefined
  const serverName = cluster['tls-server-name']
  if (serverName !== undefined && typeof serverName !== 'string') return undefined
  let ca: Buffer | undefined, cert: Buffer | undefined, key: Buffer | undefined
  try {
    ca = fileOrData(cluster['certificate-authority'], cluster['certificate-authority-data'])
    cert = fileOrData(user['client-certificate'], user['client-certificate-data'])
    key = fileOrData(user['client-key'], user['client-key-data'])
  } catch {
    return undefined // unreadable files: client-node reports them
  }
  const headers: Record<string, string> = {Accept: 'application/json, */*;q=0.8'}
  if (token) headers['Authorization'] = `Bearer ${token}`
  const prefix = base.pathname.replace(/\/+$/, '')
  const secure = base.protocol === 'https:'
  // On the loopback interface a round trip costs next to nothing and a TLS handshake is all CPU (of
  // both ends, on the same machine): one connection, requests queued on it, is fastest. Elsewhere the
  // round trips dominate: requests that do not depend on each other go out in parallel.
  const maxSockets = isLoopback(base.hostname) ? 1 : Infinity

  let agent: http.Agent | undefined
  let mod: typeof http | undefined
  const load = () => {
    if (agent) return
    if (secure) {
      const https = process.getBuiltinModule('node:https')
      mod = https as unknown as typeof http
      // Without a CA of its own the connection trusts the default store (NODE_EXTRA_CA_CERTS included).
      const trust = ca ?? (skip ? undefined : defaultTrustStore())
      agent = new https.Agent({
        keepAlive: true,
        maxSockets,
        ...(trust ? {ca: trust} : {}),
        ...(cert ? {cert} : {}),
        ...(key ? {key} : {}),
        ...(skip ? {rejectUnauthorized: false} : {}),
        ...(serverName ? {servername: serverName} : {}),
      })
    } else {
      mod = process.getBuiltinModule('node:http')
      agent = new mod.Agent({keepAlive: true, maxSockets})
    }
  }

  return {
    async get(path, query) {
      const url = new URL(base.origin + prefix + path)
      for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v)
      load()
      return new Promise<LeanResponse>((resolve, reject) => {
        const req = mod!.request(url, {method: 'GET', agent, headers}, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
          res.on('error', reject)
        })
        req.on('error', reject)
        req.end()
      })
    },
    close() {
      agent?.destroy()
    },
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

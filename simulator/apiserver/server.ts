/**
 * The simulator's Kubernetes API server: HTTPS on 127.0.0.1 only, bearer-token auth on every
 * path (including /version and the health checks), discovery, OpenAPI v3, CRUD, watch, Table
 * output and pods/log for every kind in the registry. `DEBUG=kubectl-aim:apiserver` prints one
 * line per request (method, path, status, ms); the same entries are kept in `requestLog`.
 */
import {timingSafeEqual} from 'node:crypto'
import {createServer, type Server} from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {registry as defaultRegistry, type KindRegistry} from '../../src/api/registry.js'
import {errors} from '../../src/api/status.js'
import type {Store} from '../store/types.js'
import type {PodLogProvider} from '../controllers/types.js'
import type {ServerContext, Target, Validator} from './context.js'
import {aggregatedContentType, Discovery, wantsAggregated} from './discovery.js'
import {sendError, sendJson, sendStatus, sendText} from './http.js'
import {OpenApi, type OpenApiProvider} from './openapi.js'
import {openApiV2Json, openApiV2Proto} from './openapi-v2.js'
import {servePodLog} from './podlogs.js'
import {eventsV1Store} from './events-v1.js'
import {DynamicRegistry, serveCrds} from './crds.js'
import {AUTHZ_GROUPS, AUTHZ_KINDS, serveReview} from './authz.js'
import {METRICS_GROUP, METRICS_KINDS, serveMetrics, type UsageModel} from './metrics.js'
import {handleCollection, handleItem} from './resources.js'
import type {ServingCert} from './tls.js'

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
  emulationMajor: '1',
  emulationMinor: '32',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '31',
}

export interface RequestLogEntry {
  method: string
  path: string
  query: string
  contentType?: string
  /** 0 while the response is still open (watches, followed logs). */
  status: number
  ms: number
}

export interface ApiServerOptions {
  store: Store
  cert: ServingCert
  token: string
  registry?: KindRegistry
  /** 0 or undefined: a random free port. */
  port?: number
  /** Virtual now in ms (Table ages); defaults to wall time. */
  now?: () => number
  /** Where pods/log reads lines; may change after start (setLogProvider). */
  logs?: PodLogProvider
  openapi?: OpenApiProvider
  validator?: Validator
  /** Container usage for the metrics.k8s.io API (`kubectl top`); default: a share of requests. */
  usage?: UsageModel
  /** Keep at most this many request log entries (default 2000). */
  requestLogSize?: number
  /**
   * Called before any response's headers and any watch event leave (the simulator syncs its
   * journal there: nothing a client sees is lost to a crash).
   */
  beforeSend?: () => void
}

export interface ApiServer {
  readonly url: string
  readonly port: number
  readonly requestLog: RequestLogEntry[]
  setLogProvider(logs: PodLogProvider | undefined): void
  close(): Promise<void>
}

const debug = (process.env.DEBUG ?? '').split(',').some((d) => d.trim() === 'kubectl-aim:apiserver' || d.trim() === 'kubectl-aim:*')

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false
  const m = /^Bearer\s+(.+)$/i.exec(header.trim())
  if (!m) return false
  const a = Buffer.from(m[1]!)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const registry = options.registry ?? defaultRegistry
  const discovery = new Discovery(registry, [...METRICS_KINDS, ...AUTHZ_KINDS])
  const openapi = new OpenApi(registry, options.openapi)
  const v2: V2Cache = {}
  // With a DynamicRegistry, created CRDs become served kinds.
  let crdWatch: {stop(): void} | undefined
  let unsubscribe: (() => void) | undefined
  if (registry instanceof DynamicRegistry) {
    unsubscribe = registry.onChange(() => {
      discovery.refresh()
      openapi.reset()
      v2.proto = undefined
      v2.json = undefined
    })
    const now = options.now ?? Date.now
    crdWatch = serveCrds(options.store, registry, () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'))
  }
  let logs = options.logs
  const ctx: ServerContext = {
    store: options.store,
    registry,
    now: options.now ?? Date.now,
    logs: () => logs,
    validator: options.validator ?? {},
    closers: new Set(),
    beforeSend: options.beforeSend,
  }
  const requestLog: RequestLogEntry[] = []
  const logSize = options.requestLogSize ?? 2000
  let address = 'https://127.0.0.1'

  /** Entries are logged when a request arrives (so open streams show up) and completed when it ends. */
  const record = (req: IncomingMessage, url: URL): RequestLogEntry => {
    const entry: RequestLogEntry = {method: req.method ?? '', path: url.pathname, query: url.search, contentType: req.headers['content-type'], status: 0, ms: 0}
    requestLog.push(entry)
    if (requestLog.length > logSize) requestLog.splice(0, requestLog.length - logSize)
    return entry
  }
  const complete = (entry: RequestLogEntry, res: ServerResponse, started: number) => {
    entry.status = res.statusCode
    entry.ms = Math.round((performance.now() - started) * 100) / 100
    if (debug) process.stderr.write(`kubectl-aim:apiserver ${entry.method} ${entry.path}${entry.query} ${entry.status} ${entry.ms}ms\n`)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now()
    const url = new URL(req.url ?? '/', address)
    const entry = record(req, url)
    // The server's clock, as real API servers send theirs: clients compute ages from it.
    res.setHeader('Date', new Date(ctx.now()).toUTCString())
    const beforeSend = options.beforeSend
    if (beforeSend) {
      // Every response sends its headers through writeHead (res.end and res.write call it implicitly).
      const writeHead = res.writeHead
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        beforeSend()
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
      } as typeof res.writeHead
    }
    // Streams (watch, logs) end long after the handler returns: complete the entry when the response closes.
    res.on('close', () => complete(entry, res, started))
    try {
      if (!tokenMatches(req.headers.authorization, options.token)) {
        sendStatus(res, errors.unauthorized().status)
        return
      }
      await route(ctx, discovery, openapi, v2, options.usage, address, req, res, url)
    } catch (e) {
      sendError(res, e)
    }
    // Streams keep running after the handler returns; their status is known once headers are out.
    if (res.headersSent) entry.status = res.statusCode
  }

  const server: Server = createServer({cert: options.cert.certPem, key: options.cert.keyPem, keepAlive: true}, (req, res) => {
    void handle(req, res)
  })
  server.keepAliveTimeout = 60_000
  // Every TCP socket, including ones still in the TLS handshake, which closeAllConnections() misses.
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (e) {
    crdWatch?.stop()
    unsubscribe?.()
    throw e
  }
  const port = (server.address() as AddressInfo).port
  address = `https://127.0.0.1:${port}`

  return {
    url: address,
    port,
    requestLog,
    setLogProvider(next) {
      logs = next
    },
    close: async () => {
      crdWatch?.stop()
      unsubscribe?.()
      for (const close of [...ctx.closers]) close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}

async function route(ctx: ServerContext, discovery: Discovery, openapi: OpenApi, v2: V2Cache, usage: UsageModel | undefined, address: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/\/+$/, '') || '/'
  const method = req.method ?? 'GET'
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent)
  const head = segments[0]

  if (path === '/version') return sendJson(res, 200, SERVER_VERSION)
  if (head === 'healthz' || head === 'readyz' || head === 'livez') return sendText(res, 200, 'ok')
  if (head === 'openapi' && segments[1] === 'v2' && segments.length === 2) return serveOpenApiV2(ctx, v2, req, res)
  if (head === 'openapi') return serveOpenApi(openapi, res, segments)

  if (head === 'api' || head === 'apis') {
    if (segments.length === 1) {
      if (method !== 'GET') throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
      const agg = wantsAggregated(req.headers.accept)
      if (agg) return sendJson(res, 200, discovery.aggregated(head === 'api', agg), aggregatedContentType(agg))
      return sendJson(res, 200, head === 'api' ? discovery.apiVersions(address.replace(/^https:\/\//, '')) : discovery.apiGroupList())
    }
    let group: string
    let version: string | undefined
    let rest: string[]
    if (head === 'api') {
      group = ''
      version = segments[1]
      rest = segments.slice(2)
    } else {
      group = segments[1]!
      version = segments[2]
      rest = segments.slice(3)
      if (version === undefined) {
        const doc = discovery.apiGroupDoc(group)
        if (!doc) throw errors.unknownResource()
        return sendJson(res, 200, doc)
      }
    }
    if (!discovery.hasGroupVersion(group, version!)) throw errors.unknownResource()
    if (rest.length === 0) return sendJson(res, 200, discovery.resourceList(group, version!))
    if (group === METRICS_GROUP) return serveMetrics(ctx, req, res, rest, url.searchParams, usage)
    if (AUTHZ_GROUPS.has(group)) return serveReview(req, res, group, version!, rest)
    return serveResource(ctx, req, res, url, group, version!, rest)
  }
  throw errors.unknownResource()
}

const UNSUPPORTED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'eviction', 'ephemeralcontainers', 'binding'])

/** Per-server caches of the /openapi/v2 encodings, dropped when the registry grows. */
interface V2Cache {
  proto?: Buffer
  json?: string
}

function serveOpenApiV2(ctx: ServerContext, cache: V2Cache, req: IncomingMessage, res: ServerResponse): void {
  if ((req.headers.accept ?? '').includes('protobuf')) {
    cache.proto ??= openApiV2Proto(ctx.registry)
    res.writeHead(200, {'Content-Type': 'application/octet-stream', 'Content-Length': cache.proto.length})
    res.end(cache.proto)
    return
  }
  cache.json ??= JSON.stringify(openApiV2Json(ctx.registry))
  sendJson(res, 200, cache.json)
}

function serveOpenApi(openapi: OpenApi, res: ServerResponse, segments: string[]): void {
  if (segments[1] !== 'v3') throw errors.unknownResource()
  if (segments.length === 2) return sendJson(res, 200, openapi.index())
  const rest = segments.slice(2)
  let doc: {text: string} | undefined
  if (rest[0] === 'api' && rest.length === 2) doc = openapi.document('', rest[1]!)
  else if (rest[0] === 'apis' && rest.length === 3) doc = openapi.document(rest[1]!, rest[2]!)
  if (!doc) throw errors.unknownResource()
  res.setHeader('Cache-Control', 'public, immutable')
  sendJson(res, 200, doc.text)
}

function serveResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL, group: string, version: string, rest: string[]): Promise<void> | void {
  const find = (plural: string) => ctx.registry.forResource(group, version, plural)
  let target: Target | undefined
  const nsInfo = group === '' ? find('namespaces') : undefined
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(nsInfo && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    // /namespaces/{ns}/{plural}[/{name}[/{sub}]]
    const info = find(rest[2]!)
    if (!info || !info.namespaced || rest.length > 5) throw errors.unknownResource()
    target = {info, namespace: rest[1], name: rest[3], subresource: rest[4]}
  } else {
    const info = find(rest[0]!)
    if (!info || rest.length > 3) throw errors.unknownResource()
    target = {info, name: rest[1], subresource: rest[2] === 'finalize' ? 'status' : rest[2]}
  }
  if (target.info.group === '' && target.info.plural === 'pods' && target.subresource !== undefined && UNSUPPORTED_POD_SUBRESOURCES.has(target.subresource)) {
    throw errors.badRequest(`pods/${target.subresource} is not supported: the kubectl-aim simulator runs no containers (use kubectl logs, or the simulated endpoints)`)
  }
  if (target.info.group === '' && target.info.plural === 'pods' && target.subresource === 'log') {
    if (req.method !== 'GET') throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
    return servePodLog(ctx, req, res, target.namespace!, target.name!, url.searchParams)
  }
  // events.k8s.io/v1 Events are a view of the core/v1 ones.
  const core = target.info.group === 'events.k8s.io' && target.info.plural === 'events' ? ctx.registry.forResource('', 'v1', 'events') : undefined
  const c = core ? {...ctx, store: eventsV1Store(ctx.store, core)} : ctx
  if (target.name === undefined) return handleCollection(c, req, res, target, url.searchParams)
  if (target.info.namespaced && target.namespace === undefined) throw errors.unknownResource()
  return handleItem(c, req, res, target, url.searchParams)
}

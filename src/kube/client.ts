/**
 * A small typed client over @kubernetes/client-node for any kind of the registry: get, list,
 * create, apply (server-side, field manager `kubectl-aim`), patch, delete, watch and pod logs.
 * Import it lazily (`await import('../src/kube/client.js')`) from inside run().
 *
 * Plain reads (get, list) go over a lean node:https transport when the kubeconfig's credentials are
 * ones it applies exactly as client-node does (src/fast/transport.ts); client-node itself is only
 * loaded for the rest (writes, watches, logs, exec/auth-provider credentials, proxies).
 *
 * Objects come back as plain JSON (KubeObject shapes), never as client-node model classes (whose
 * timestamps are Date objects). Errors come back as one-line `UserError`s (see errors.ts).
 */
import type * as http from 'node:http'
import type * as https from 'node:https'
import type {KubeConfig, KubernetesObjectApi} from '@kubernetes/client-node'
import {registry, type KindInfo} from '../api/registry.js'
import type {KubeList, KubeObject} from '../api/object.js'
import {AIM_GROUP} from '../api/registry.js'
import {toUserError, type RequestTarget, failure, type UserError} from './errors.js'
import {flattenForClient, resolveKubeconfig, type ResolveOptions, type ResolvedKubeconfig} from './kubeconfig.js'
import {leanTransport, type LeanTransport} from '../fast/transport.js'
import {withDefaultTrust} from './trust.js'

export const FIELD_MANAGER = 'kubectl-aim'

/** client-node's patch content types (its PatchStrategy enum), without loading it. */
const MERGE_PATCH = 'application/merge-patch+json'
const JSON_PATCH = 'application/json-patch+json'
const SERVER_SIDE_APPLY = 'application/apply-patch+yaml'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'

/** What KubeClient needs of client-node's object API (see makeObjectApi). */
interface RawObjectApi extends KubernetesObjectApi {
  onServerDate?: (date: string) => void
  send<T>(method: Method, path: string, query: Record<string, string | undefined>, body?: unknown, contentType?: string): Promise<T>
}

/**
 * KubernetesObjectApi that knows plurals from our registry (no discovery round-trip) and returns
 * raw JSON. Defined on first use, since its base class lives in client-node.
 */
async function makeObjectApi(kc: KubeConfig): Promise<RawObjectApi> {
  const {KubernetesObjectApi, ApiException, HttpMethod} = await import('@kubernetes/client-node')
  type RequestContext = ReturnType<KubernetesObjectApi['configuration']['baseServer']['makeRequestContext']>
  class Api extends KubernetesObjectApi {
    /** Told the `Date` header of every response (the server's clock). */
    onServerDate?: (date: string) => void

    protected override async resource(apiVersion: string, kind: string) {
      const info = registry.forKind(apiVersion, kind)
      if (!info) return super.resource(apiVersion, kind)
      return {name: info.plural, namespaced: info.namespaced, kind: info.kind, singularName: info.singular, verbs: []}
    }

    protected override async processResponse<T>(response: {httpStatusCode: number; headers: Record<string, string>; body: {text(): Promise<string>}}): Promise<T> {
      const text = await response.body.text()
      const date = response.headers['date'] ?? response.headers['Date']
      if (date) this.onServerDate?.(date)
      if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
        return (text ? JSON.parse(text) : {}) as T
      }
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // keep the text
      }
      throw new ApiException(response.httpStatusCode, 'Unsuccessful HTTP Request', body, response.headers)
    }

    /** A request with a path and query of our own (lists with selectors, deletes with options). */
    async send<T>(method: Method, path: string, query: Record<string, string | undefined>, body?: unknown, contentType = 'application/json'): Promise<T> {
      const ctx: RequestContext = this.configuration.baseServer.makeRequestContext(path, HttpMethod[method])
      ctx.setHeaderParam('Accept', 'application/json, */*;q=0.8')
      for (const [k, v] of Object.entries(query)) if (v !== undefined) ctx.setQueryParam(k, v)
      if (body !== undefined) {
        ctx.setHeaderParam('Content-Type', contentType)
        ctx.setBody(JSON.stringify(body))
      }
      return this.requestPromise(ctx as never) as Promise<T>
    }
  }
  return kc.makeApiClient(Api as never) as unknown as RawObjectApi
}

export interface ListOptions {
  /** undefined → the client's namespace; '' or allNamespaces → every namespace. */
  namespace?: string
  allNamespaces?: boolean
  labelSelector?: string
  fieldSelector?: string
}

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: T
}

export interface WatchHandle {
  stop(): void
  /** Resolves when the stream ends (server closed it or stop()); rejects with a UserError. */
  done: Promise<void>
}

export interface LogOptions {
  container?: string
  follow?: boolean
  tailLines?: number
  sinceSeconds?: number
  timestamps?: boolean
  previous?: boolean
}

export interface KubeClientOptions extends ResolveOptions {
  /** Per-request timeout in ms for non-streaming calls (0 = none). */
  requestTimeoutMs?: number
}

export class KubeClient {
  readonly namespace: string
  readonly contextName: string
  readonly server: string
  private kcPromise: Promise<KubeConfig> | undefined
  private apiPromise: Promise<RawObjectApi> | undefined

  /** Per-request timeout for non-streaming calls (0 = none). */
  requestTimeoutMs = 0

  /**
   * The server's clock minus ours, in ms, from the `Date` header of the latest response (0 until
   * one arrived). A simulator at --speed > 1 runs ahead of wall time; real clusters drift too.
   */
  serverSkewMs = 0

  /**
   * @param resolved the kubeconfig as kubectl resolves it
   * @param lean the transport for plain reads, or undefined: everything through client-node
   */
  constructor(
    readonly resolved: ResolvedKubeconfig,
    private readonly lean?: LeanTransport,
  ) {
    this.namespace = resolved.namespace
    this.contextName = resolved.contextName
    this.server = resolved.server.replace(/\/+$/, '')
  }

  /** client-node's KubeConfig for this context (loads client-node). */
  kubeConfig(): Promise<KubeConfig> {
    this.kcPromise ??= (async () => {
      const {KubeConfig} = await import('@kubernetes/client-node')
      const kc = new KubeConfig()
      try {
        kc.loadFromString(JSON.stringify(withDefaultTrust(flattenForClient(this.resolved)))) // JSON is YAML
      } catch (err) {
        throw failure(`invalid kubeconfig: ${(err as Error).message.split('\n')[0]}`)
      }
      return kc
    })()
    return this.kcPromise
  }

  private objectApi(): Promise<RawObjectApi> {
    this.apiPromise ??= this.kubeConfig().then(async (kc) => {
      const api = await makeObjectApi(kc)
      api.onServerDate = (date) => this.recordServerDate(date)
      return api
    })
    return this.apiPromise
  }

  /** One request: plain GETs over the lean transport when there is one, the rest through client-node. */
  private async send<T>(method: Method, path: string, query: Record<string, string | undefined>, body?: unknown, contentType?: string): Promise<T> {
    if (method === 'GET' && this.lean) {
      const res = await this.lean.get(path, query)
      this.recordServerDate(res.headers.date)
      if (res.status >= 200 && res.status <= 299) return (res.body ? JSON.parse(res.body) : {}) as T
      // Redirects: client-node (node-fetch) follows them; let it.
      if (res.status < 300 || res.status > 399) {
        let parsed: unknown = res.body
        try {
          parsed = JSON.parse(res.body)
        } catch {
          // keep the text
        }
        throw Object.assign(new Error('Unsuccessful HTTP Request'), {code: res.status, body: parsed})
      }
    }
    return (await this.objectApi()).send<T>(method, path, query, body, contentType)
  }

  /** Closes the idle connections of the lean transport. */
  close(): void {
    this.lean?.close()
  }

  /** Learns the server's time from an HTTP `Date` header (second resolution, as creation timestamps). */
  recordServerDate(date: string | undefined): void {
    const ms = date ? Date.parse(date) : Number.NaN
    if (!Number.isNaN(ms)) this.serverSkewMs = ms - Date.now()
  }

  /** "Server now" in ms: what every age and elapsed value shown to the user is computed against. */
  now(): number {
    return Date.now() + this.serverSkewMs
  }

  static create(options: KubeClientOptions = {}): KubeClient {
    const resolved = resolveKubeconfig(options)
    const lean = options.env?.['KUBECTL_AIM_CLIENT_NODE'] || process.env['KUBECTL_AIM_CLIENT_NODE'] ? undefined : leanTransport(resolved.cluster.cluster, resolved.user.user)
    const client = new KubeClient(resolved, lean)
    client.requestTimeoutMs = options.requestTimeoutMs ?? 0
    return client
  }

  private target(info: KindInfo, verb: RequestTarget['verb'], name?: string, namespace?: string): RequestTarget {
    return {verb, resource: info.plural, name, namespace: info.namespaced ? namespace : undefined, aim: info.group === AIM_GROUP, server: this.server}
  }

  /** `/apis/g/v[/namespaces/ns]/plural[/name]` */
  path(info: KindInfo, namespace: string | undefined, name?: string, sub?: string): string {
    const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`
    const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
    return `${base}${ns}/${info.plural}${name ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`
  }

  private async call<T>(target: RequestTarget, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    try {
      if (!this.requestTimeoutMs) return await fn()
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('request timed out'), {code: 'ETIMEDOUT'})), this.requestTimeoutMs)
      })
      return await Promise.race([fn(), timeout])
    } catch (err) {
      throw toUserError(err, target)
    } finally {
      clearTimeout(timer)
    }
  }

  async get<T extends KubeObject = KubeObject>(info: KindInfo, name: string, namespace = this.namespace): Promise<T> {
    return this.call(this.target(info, 'get', name, namespace), () => this.send<T>('GET', this.path(info, namespace, name), {}))
  }

  /** get, but undefined when the object does not exist (other errors still throw). */
  async tryGet<T extends KubeObject = KubeObject>(info: KindInfo, name: string, namespace = this.namespace): Promise<T | undefined> {
    try {
      return await this.get<T>(info, name, namespace)
    } catch (err) {
      // 404 for the object (not for the resource type, which means the CRDs are missing).
      if ((err as UserError).httpStatus === 404 && (info.group !== AIM_GROUP || / not found( in namespace "[^"]*")?$/.test((err as Error).message))) return undefined
      throw err
    }
  }

  async list<T extends KubeObject = KubeObject>(info: KindInfo, options: ListOptions = {}): Promise<KubeList<T>> {
    const namespace = options.allNamespaces || !info.namespaced ? undefined : (options.namespace ?? this.namespace)
    return this.call(this.target(info, 'list', undefined, namespace), () =>
      this.send<KubeList<T>>('GET', this.path(info, namespace), {labelSelector: options.labelSelector || undefined, fieldSelector: options.fieldSelector || undefined}),
    )
  }

  async create<T extends KubeObject>(obj: T, options: {dryRun?: boolean} = {}): Promise<T> {
    const info = this.kindOf(obj)
    const ns = obj.metadata.namespace ?? this.namespace
    return this.call(this.target(info, 'create', obj.metadata.name, ns), () =>
      this.send<T>('POST', this.path(info, ns), {fieldManager: FIELD_MANAGER, dryRun: options.dryRun ? 'All' : undefined}, obj),
    )
  }

  /** Server-side apply with field manager `kubectl-aim` (force: we own the fields we send). */
  async apply<T extends KubeObject>(obj: T, options: {dryRun?: boolean; force?: boolean} = {}): Promise<T> {
    const info = this.kindOf(obj)
    const ns = obj.metadata.namespace ?? this.namespace
    return this.call(this.target(info, 'apply', obj.metadata.name, ns), async () => {
      const api = await this.objectApi()
      return api.patch(
        {...obj, metadata: {...obj.metadata, namespace: info.namespaced ? ns : undefined}} as never,
        undefined,
        options.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        options.force ?? true,
        SERVER_SIDE_APPLY as never,
      ) as Promise<T>
    })
  }

  async patch<T extends KubeObject = KubeObject>(info: KindInfo, name: string, patch: unknown, options: {namespace?: string; type?: 'merge' | 'json'; subresource?: string} = {}): Promise<T> {
    const ns = options.namespace ?? this.namespace
    const contentType = options.type === 'json' ? JSON_PATCH : MERGE_PATCH
    return this.call(this.target(info, 'patch', name, ns), () =>
      this.send<T>('PATCH', this.path(info, ns, name, options.subresource), {fieldManager: FIELD_MANAGER}, patch, contentType),
    )
  }

  async delete(info: KindInfo, name: string, options: {namespace?: string; dryRun?: boolean; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'} = {}): Promise<void> {
    const ns = options.namespace ?? this.namespace
    await this.call(this.target(info, 'delete', name, ns), () =>
      this.send('DELETE', this.path(info, ns, name), {dryRun: options.dryRun ? 'All' : undefined, propagationPolicy: options.propagationPolicy}),
    )
  }

  kindOf(obj: KubeObject): KindInfo {
    const info = registry.forKind(obj.apiVersion, obj.kind)
    if (!info) throw failure(`unknown kind ${obj.apiVersion}/${obj.kind}`)
    return info
  }

  /**
   * Watch a kind (optionally one object by name) from a resourceVersion. Events are delivered in
   * order; the handle's `done` resolves when the server closes the stream or stop() is called.
   */
  async watch<T extends KubeObject = KubeObject>(
    info: KindInfo,
    options: ListOptions & {name?: string; resourceVersion?: string},
    onEvent: (event: WatchEvent<T>) => void,
  ): Promise<WatchHandle> {
    const namespace = options.allNamespaces || !info.namespaced ? undefined : (options.namespace ?? this.namespace)
    const target = this.target(info, 'watch', options.name, namespace)
    const fieldSelector = [options.fieldSelector, options.name ? `metadata.name=${options.name}` : undefined].filter(Boolean).join(',')
    const query: Record<string, string> = {allowWatchBookmarks: 'true'}
    if (options.resourceVersion) query['resourceVersion'] = options.resourceVersion
    if (options.labelSelector) query['labelSelector'] = options.labelSelector
    if (fieldSelector) query['fieldSelector'] = fieldSelector
    let resolveDone!: () => void
    let rejectDone!: (err: unknown) => void
    const done = new Promise<void>((res, rej) => {
      resolveDone = res
      rejectDone = rej
    })
    done.catch(() => undefined)
    let stopped = false
    let controller: AbortController
    try {
      const kc = await this.kubeConfig()
      const {Watch} = await import('@kubernetes/client-node')
      const watch = new Watch(kc)
      controller = await watch.watch(
        this.path(info, namespace),
        query,
        (type: string, object: T) => {
          if (!stopped) onEvent({type: type as WatchEvent['type'], object})
        },
        (err: unknown) => {
          if (stopped || !err || (err as {name?: string}).name === 'AbortError' || (err as {type?: string}).type === 'aborted') resolveDone()
          else rejectDone(toUserError(err, target))
        },
      )
    } catch (err) {
      throw toUserError(err, target)
    }
    return {
      stop: () => {
        stopped = true
        controller.abort()
        resolveDone()
      },
      done,
    }
  }

  /** A raw streaming GET (pods/log) over node http(s) with the kubeconfig's credentials. */
  async stream(path: string, query: Record<string, string | undefined>, onData: (chunk: string) => void, target: RequestTarget): Promise<WatchHandle> {
    const url = new URL(this.server + path)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v)
    const opts: https.RequestOptions = {method: 'GET', headers: {}}
    await (await this.kubeConfig()).applyToHTTPSOptions(opts)
    const mod: typeof http | typeof https = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
    let req: http.ClientRequest | undefined
    let stopped = false
    let resolveDone!: () => void
    let rejectDone!: (err: unknown) => void
    const done = new Promise<void>((res, rej) => {
      resolveDone = res
      rejectDone = rej
    })
    done.catch(() => undefined)
    await new Promise<void>((started, failedToStart) => {
      req = mod.request(url, opts, (res) => {
        this.recordServerDate(res.headers.date)
        res.setEncoding('utf8')
        if ((res.statusCode ?? 500) >= 300) {
          let body = ''
          res.on('data', (c: string) => (body += c))
          res.on('end', () => failedToStart(toUserError({code: res.statusCode, body}, target)))
          return
        }
        started()
        res.on('data', (c: string) => {
          if (!stopped) onData(c)
        })
        res.on('end', () => resolveDone())
        res.on('error', (err) => (stopped ? resolveDone() : rejectDone(toUserError(err, target))))
      })
      req.on('error', (err) => {
        if (stopped) resolveDone()
        else {
          const e = toUserError(err, target)
          failedToStart(e)
          rejectDone(e)
        }
      })
      req.end()
    })
    return {
      stop: () => {
        stopped = true
        req?.destroy()
        resolveDone()
      },
      done,
    }
  }

  /** Logs of one pod's container; `onData` gets text chunks as they arrive. */
  async logs(namespace: string, pod: string, options: LogOptions, onData: (chunk: string) => void): Promise<WatchHandle> {
    const podInfo = registry.forKind('v1', 'Pod')!
    return this.stream(
      this.path(podInfo, namespace, pod, 'log'),
      {
        container: options.container,
        follow: options.follow ? 'true' : undefined,
        tailLines: options.tailLines !== undefined ? String(options.tailLines) : undefined,
        sinceSeconds: options.sinceSeconds !== undefined ? String(options.sinceSeconds) : undefined,
        timestamps: options.timestamps ? 'true' : undefined,
        previous: options.previous ? 'true' : undefined,
      },
      onData,
      {verb: 'logs', resource: 'pods', name: pod, namespace, server: this.server},
    )
  }
}

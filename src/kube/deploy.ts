/**
 * `kubectl aim deploy`: match MODEL to a model, build the AIMService, apply it idempotently, and
 * follow it to Running with a watch. Rendering is left to a ProgressSink (src/ui).
 */
import type {KubeObject} from '../api/object.js'
import type {AIMCachingMode} from '../api/types/aim.js'
import type {AIMMetric, AIMPrecision} from '../api/types/common.js'
import {describeModelCandidate, matchModelQuery, modelCandidates, type ModelCandidate} from '../engine/match.js'
import {makeRfc1123Compliant} from '../engine/naming.js'
import {K, AIM_API_VERSION, artifactsOfCache, blockingCondition, isErrorReason, condition, conditionsOf, field, LABELS, type AIMService, type ServiceSpec} from './aim.js'
import type {KubeClient, WatchHandle} from './client.js'
import {failure, usageError, UserError} from './errors.js'
import {redact} from './report.js'

// ---------- MODEL matching (DESIGN §3; the rule lives in src/engine/match.ts) ----------

export type {ModelCandidate}
export type ModelMatch = {type: 'model'; model: ModelCandidate} | {type: 'image'; image: string}

export const candidatesFrom = modelCandidates

/** The engine's match, with "several" and "none" turned into usage errors (exit 2). */
export function matchModel(query: string, candidates: ModelCandidate[]): ModelMatch {
  const result = matchModelQuery(query, candidates)
  if (result.type === 'ambiguous') {
    const list = result.matches.map((m) => `  ${describeModelCandidate(m)}`).join('\n')
    throw usageError(`"${query}" matches ${result.matches.length} models:\n${list}`, 'pass one of the names above')
  }
  if (result.type === 'none') {
    throw usageError(`no model matches "${query}"`, 'list models with: kubectl get aimclustermodels; kubectl get aimmodels (or pass an image: kubectl aim deploy REGISTRY/IMAGE:TAG)')
  }
  return result
}

// ---------- manifest ----------

export interface DeployOptions {
  namespace: string
  name?: string
  /** With --image, MODEL only names the service. */
  nameFrom?: string
  image?: string
  template?: string
  replicas?: number
  minReplicas?: number
  maxReplicas?: number
  metric?: string
  precision?: string
  gpuModel?: string
  gpuCount?: number
  caching?: string
  allowUnoptimized?: boolean
  route?: boolean
  gateway?: string
  pathTemplate?: string
  env?: string[]
  envFromSecret?: string[]
  runtimeConfig?: string
}

/** The default service name: the model id's last segment (`Qwen/Qwen3-32B` → `qwen3-32b`), else the model/image name. */
export function defaultServiceName(match: ModelMatch, given?: string): string {
  if (given) return makeRfc1123Compliant(given)
  if (match.type === 'model') {
    const id = match.model.modelId
    if (id) return makeRfc1123Compliant(id.split('/').pop() ?? id)
    return makeRfc1123Compliant(match.model.name)
  }
  const last = match.image.split('/').pop() ?? match.image
  return makeRfc1123Compliant(last.split(/[:@]/)[0]!.replace(/^aim-/, ''))
}

export function parseEnv(values: string[] = [], fromSecret: string[] = []): NonNullable<ServiceSpec['env']> {
  const env: NonNullable<ServiceSpec['env']> = []
  for (const kv of values) {
    const eq = kv.indexOf('=')
    if (eq <= 0) throw usageError(`--env "${kv}" must be KEY=VALUE`)
    env.push({name: kv.slice(0, eq), value: kv.slice(eq + 1)})
  }
  for (const spec of fromSecret) {
    const m = /^([^=]+)=(?:secret\/)?([a-z0-9][a-z0-9.-]*)\/([-._a-zA-Z0-9]+)$/.exec(spec)
    if (!m) throw usageError(`--env-from-secret "${spec}" must be KEY=secret/NAME/KEY`)
    env.push({name: m[1]!, valueFrom: {secretKeyRef: {name: m[2]!, key: m[3]!}}})
  }
  return env
}

export function buildService(match: ModelMatch, o: DeployOptions): AIMService {
  const spec: ServiceSpec = {model: o.image ? {image: o.image} : match.type === 'model' ? {name: match.model.name} : {image: match.image}}
  if (o.template || o.allowUnoptimized) spec.template = {...(o.template ? {name: o.template} : {}), ...(o.allowUnoptimized ? {allowUnoptimized: true} : {})}
  if (o.replicas !== undefined) spec.replicas = o.replicas
  if (o.minReplicas !== undefined) spec.minReplicas = o.minReplicas
  if (o.maxReplicas !== undefined) spec.maxReplicas = o.maxReplicas
  if (o.minReplicas !== undefined && o.maxReplicas !== undefined && o.minReplicas > o.maxReplicas) {
    throw usageError(`--min-replicas ${o.minReplicas} is greater than --max-replicas ${o.maxReplicas}`)
  }
  const overrides: NonNullable<ServiceSpec['overrides']> = {}
  if (o.metric) overrides.metric = o.metric as AIMMetric
  if (o.precision) overrides.precision = o.precision as AIMPrecision
  if (o.gpuModel || o.gpuCount !== undefined) {
    overrides.hardware = {gpu: {...(o.gpuModel ? {model: o.gpuModel.toUpperCase()} : {}), ...(o.gpuCount !== undefined ? {requests: o.gpuCount} : {})}}
  }
  if (Object.keys(overrides).length > 0) spec.overrides = overrides
  if (o.caching) spec.caching = {mode: o.caching as AIMCachingMode}
  if (o.route || o.gateway || o.pathTemplate) {
    const routing: NonNullable<ServiceSpec['routing']> = {enabled: true}
    if (o.gateway) {
      const [ns, name] = o.gateway.includes('/') ? o.gateway.split('/', 2) : [undefined, o.gateway]
      if (!name) throw usageError(`--gateway "${o.gateway}" must be NAMESPACE/NAME`)
      routing.gatewayRef = {name, ...(ns ? {namespace: ns} : {})}
    }
    if (o.pathTemplate) routing.pathTemplate = o.pathTemplate
    spec.routing = routing
  }
  const env = parseEnv(o.env, o.envFromSecret)
  if (env.length > 0) spec.env = env
  if (o.runtimeConfig) spec.runtimeConfigName = o.runtimeConfig
  return {
    apiVersion: AIM_API_VERSION,
    kind: 'AIMService',
    metadata: {name: o.name ?? defaultServiceName(match, o.nameFrom), namespace: o.namespace},
    spec,
  }
}

export type ApplyAction = 'created' | 'configured' | 'unchanged'

/**
 * Server-side apply (field manager kubectl-aim): fields an earlier deploy set and this one does not
 * are removed, as `kubectl apply --server-side` does. "unchanged" when the server kept the object
 * as it was (same resourceVersion), "configured" when it changed.
 */
export async function applyService(client: KubeClient, svc: AIMService, dryRun?: 'client' | 'server'): Promise<{action: ApplyAction; object: AIMService}> {
  const existing = await client.tryGet<AIMService>(K.service, svc.metadata.name!, svc.metadata.namespace)
  const object = await client.apply(svc, {dryRun: dryRun === 'server'})
  if (!existing) return {action: 'created', object}
  const same = object.metadata.resourceVersion === existing.metadata.resourceVersion || (dryRun === 'server' && JSON.stringify(object.spec) === JSON.stringify(existing.spec))
  return {action: same ? 'unchanged' : 'configured', object}
}

// ---------- waiting ----------

export type StageId = 'model' | 'template' | 'cache' | 'runtime' | 'route'

export interface Stage {
  id: StageId
  title: string
  condition: string[]
}

export const STAGES: Stage[] = [
  {id: 'model', title: 'Model resolved', condition: ['ModelReady']},
  {id: 'template', title: 'Template selected', condition: ['TemplateReady']},
  {id: 'cache', title: 'Model cache warm', condition: ['CacheReady']},
  {id: 'runtime', title: 'Runtime ready', condition: ['InferenceServiceReady', 'InferenceServicePodsReady']},
  {id: 'route', title: 'Route ready', condition: ['HTTPRouteReady']},
]

export interface StageState {
  id: StageId
  title: string
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped'
  detail?: string
}

export interface ProgressSink {
  /** A stage changed (state or detail). */
  stage(state: StageState): void
  /** Free-form progress line (condition message changes). */
  note(text: string): void
  close(ok: boolean): void | Promise<void>
}

export interface WaitResult {
  service: AIMService
  endpoint?: string
}

function artifactPercent(artifacts: KubeObject[]): number | undefined {
  if (artifacts.length === 0) return undefined
  let total = 0
  for (const a of artifacts) {
    const status = field<string>(a, 'status', 'status')
    const pct = field<number>(a, 'status', 'progress', 'percentage')
    total += status === 'Ready' ? 100 : typeof pct === 'number' ? pct : 0
  }
  return Math.round(total / artifacts.length)
}

export function stageStates(svc: AIMService, cachePercent?: number): StageState[] {
  const routing = Boolean(svc.spec?.routing?.enabled) || condition(svc, 'HTTPRouteReady') !== undefined
  let blocked = false
  const observed = svc.status?.observedGeneration === undefined || svc.metadata.generation === undefined || svc.status.observedGeneration >= svc.metadata.generation
  return STAGES.map((stage) => {
    if (stage.id === 'route' && !routing) return {id: stage.id, title: stage.title, state: 'skipped'}
    const conds = stage.condition.map((t) => condition(svc, t))
    const ok = observed && conds.every((c) => c?.status === 'True')
    let detail: string | undefined
    if (stage.id === 'template' && svc.status?.resolvedTemplate?.name) detail = svc.status.resolvedTemplate.name
    if (stage.id === 'model' && svc.status?.resolvedModel?.name) detail = svc.status.resolvedModel.name
    if (ok && !blocked) return {id: stage.id, title: stage.title, state: 'done', detail}
    const first = conds.find((c) => c && c.status !== 'True' && isErrorReason(c.reason)) ?? conds.find((c) => c && c.status !== 'True')
    if (stage.id === 'cache' && cachePercent !== undefined && !ok) detail = `${cachePercent}%`
    else if (first?.reason) detail = `${first.reason}${first.message ? `: ${redact(first.message)}` : ''}`
    const wasBlocked = blocked
    blocked = true
    return {id: stage.id, title: stage.title, state: wasBlocked ? 'pending' : 'running', detail}
  })
}

export function endpointOf(svc: AIMService): string | undefined {
  return svc.status?.routing?.path
}

export function isRunning(svc: AIMService): boolean {
  const observed = svc.status?.observedGeneration === undefined || (svc.metadata.generation ?? 0) <= svc.status.observedGeneration
  return observed && (svc.status?.status === 'Running' || condition(svc, 'Ready')?.status === 'True')
}

export function isFailed(svc: AIMService): boolean {
  const observed = svc.status?.observedGeneration === undefined || (svc.metadata.generation ?? 0) <= svc.status.observedGeneration
  return observed && svc.status?.status === 'Failed'
}

/** `reason: message` of what blocks the service, for the final error line. */
export function blockingSummary(svc: AIMService): {type: string; reason: string; message: string} {
  const c = blockingCondition(svc)
  if (!c) return {type: 'Ready', reason: svc.status?.status ?? 'Unknown', message: 'waiting for the controller'}
  return {type: c.type, reason: c.reason ?? c.status, message: redact(c.message ?? '')}
}

/** A hint for well-known blocking reasons. */
export function hintFor(reason: string, message: string, svcName: string): string {
  switch (reason) {
    case 'FailedScheduling': {
      const m = /^(\d+\/\d+ nodes are available)[^:]*:\s*([^.]*)/.exec(message)
      return m ? `no node can take the pod (${m[1]}: ${m[2]}); free GPUs or add nodes, then: kubectl aim status ${svcName}` : `no node can take the pod; check: kubectl aim status ${svcName}`
    }
    case 'TemplateSelectionAmbiguous':
      return `several templates tie; pick one with --template (see: kubectl aim why ${svcName})`
    case 'TemplateNotFound':
    case 'TemplateNotReady':
      return `see which templates were considered: kubectl aim why ${svcName}`
    case 'ModelNotFound':
      return 'list models: kubectl get aimclustermodels; kubectl get aimmodels'
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'ImageNotFound':
      return 'check the image name and imagePullSecrets'
    default:
      return `look closer with: kubectl aim status ${svcName}`
  }
}

export interface WaitOptions {
  timeoutMs: number
  sink: ProgressSink
  /** Aborting (Ctrl-C) stops waiting; the service keeps reconciling in the cluster. */
  signal?: AbortSignal
  /** Real-time clock for the timeout (tests may inject). */
  now?: () => number
}

/**
 * Follows the service with a watch (initial GET first, so an already-Running service returns at
 * once) and the AIMArtifacts of its cache for the download %. Resolves when Running; throws a
 * UserError naming the blocking condition when it fails or the timeout expires.
 */
export async function waitForService(client: KubeClient, name: string, namespace: string, opts: WaitOptions): Promise<WaitResult> {
  let svc = await client.get<AIMService>(K.service, name, namespace)
  let artifacts = new Map<string, KubeObject>()
  let cache: KubeObject | undefined
  let lastKey = ''
  const report = () => {
    const cacheName = svc.status?.cache?.templateCacheRef?.name
    const mine = cacheName ? artifactsOfCache(cache, cacheName, [...artifacts.values()]) : []
    const states = stageStates(svc, artifactPercent(mine))
    const key = JSON.stringify(states)
    if (key !== lastKey) {
      const prev = lastKey ? (JSON.parse(lastKey) as StageState[]) : []
      for (const s of states) {
        const before = prev.find((p) => p.id === s.id)
        if (!before || before.state !== s.state || before.detail !== s.detail) opts.sink.stage(s)
      }
      lastKey = key
    }
  }
  report()
  if (isRunning(svc)) return withEndpoint(client, {service: svc, endpoint: endpointOf(svc)})
  if (isFailed(svc)) throw await failedError(client, svc)

  const result = await new Promise<WaitResult>((resolve, reject) => {
    const handles: WatchHandle[] = []
    let finished = false
    const finish = (err?: unknown, result?: WaitResult) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      for (const h of handles) h.stop()
      if (err) reject(err)
      else resolve(result!)
    }
    const timer = setTimeout(() => {
      const b = blockingSummary(svc)
      void hintForService(client, svc, b).then((hint) =>
        finish(
          failure(
            `timed out after ${formatSeconds(opts.timeoutMs)} waiting for aimservice/${name} (${svc.status?.status ?? 'Pending'}): ${b.type} is ${condition(svc, b.type)?.status ?? 'False'}, reason ${b.reason}${b.message ? `: ${b.message}` : ''}`,
            hint,
          ),
        ),
      )
    }, opts.timeoutMs)
    opts.signal?.addEventListener('abort', () =>
      finish(failure(`interrupted: aimservice/${name} keeps reconciling in the cluster`, `follow it with: kubectl aim status ${name} -n ${namespace} --watch`)),
    )
    const onService = (obj: AIMService) => {
      svc = obj
      report()
      if (isRunning(svc)) finish(undefined, {service: svc, endpoint: endpointOf(svc)})
      else if (isFailed(svc)) void failedError(client, svc).then((e) => finish(e))
    }
    const start = async (resourceVersion: string | undefined, restart: () => void) => {
      const handle = await client.watch<AIMService>(K.service, {namespace, name, resourceVersion}, (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') onService(ev.object)
        else if (ev.type === 'DELETED') finish(failure(`aimservice/${name} was deleted while waiting`))
        else if (ev.type === 'BOOKMARK' && ev.object.metadata?.resourceVersion) resourceVersion = ev.object.metadata.resourceVersion
      })
      handles.push(handle)
      handle.done.then(
        () => {
          if (!finished) restart()
        },
        (err: unknown) => ((err as UserError).httpStatus === 410 ? restart() : finish(err)),
      )
    }
    const restartService = () => {
      // The server closed the stream: GET again (also race-safe) and watch from there.
      client.get<AIMService>(K.service, name, namespace).then((obj) => {
        onService(obj)
        if (!finished) void start(obj.metadata.resourceVersion, restartService).catch((e) => finish(e))
      }, (e) => finish(e))
    }
    void start(svc.metadata.resourceVersion, restartService).catch((e) => finish(e))
    // Artifacts: list once, then watch for progress (best effort; failures here never fail the deploy).
    client
      .list(K.artifact, {namespace})
      .then(async (list) => {
        artifacts = new Map(list.items.map((a) => [a.metadata.name!, a]))
        report()
        if (finished) return
        const caches = await client.watch(K.templateCache, {namespace}, (ev) => {
          if (ev.object.metadata.name === svc.status?.cache?.templateCacheRef?.name) {
            cache = ev.type === 'DELETED' ? undefined : ev.object
            report()
          }
        })
        if (finished) caches.stop()
        else handles.push(caches)
        caches.done.catch(() => undefined)
        const h = await client.watch(K.artifact, {namespace, resourceVersion: list.metadata.resourceVersion}, (ev) => {
          if (ev.type === 'DELETED') artifacts.delete(ev.object.metadata.name!)
          else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') artifacts.set(ev.object.metadata.name!, ev.object)
          report()
        })
        if (finished) h.stop()
        else handles.push(h)
        h.done.catch(() => undefined)
      })
      .catch(() => undefined)
  })
  return withEndpoint(client, result)
}

/** Without a route, the endpoint is the InferenceService's URL. */
async function withEndpoint(client: KubeClient, result: WaitResult): Promise<WaitResult> {
  if (result.endpoint) return result
  const name = result.service.metadata.name ?? ''
  try {
    const isvcs = await client.list(K.isvc, {namespace: result.service.metadata.namespace, labelSelector: `${LABELS.serviceName}=${name}`})
    const url = field<string>(isvcs.items[0], 'status', 'url')
    return url ? {...result, endpoint: url} : result
  } catch {
    return result
  }
}

async function failedError(client: KubeClient, svc: AIMService): Promise<UserError> {
  const b = blockingSummary(svc)
  const name = svc.metadata.name ?? ''
  return failure(`aimservice/${name} failed: ${b.type} reason ${b.reason}${b.message ? `: ${b.message}` : ''}`, await hintForService(client, svc, b))
}

function formatSeconds(ms: number): string {
  return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`
}

/** The hint for a blocking reason; for FailedScheduling it counts the nodes with a free GPU of the template's model. */
export async function hintForService(client: KubeClient, svc: AIMService, b: {reason: string; message: string}): Promise<string> {
  const name = svc.metadata.name ?? ''
  const ns = svc.metadata.namespace ?? client.namespace
  if (b.reason === 'FailedScheduling' || b.reason === 'Unschedulable') {
    try {
      const free = await freeGpuSummary(client, svc)
      if (free) return `${free}; free GPUs or add nodes, then: kubectl aim status ${name} -n ${ns}`
    } catch {
      // fall back to the static hint
    }
  }
  return hintFor(b.reason, b.message, name).replace(/kubectl aim (status|why) (\S+)$/, `kubectl aim $1 $2 -n ${ns}`)
}

/** `0/2 nodes have a free MI300X (16/16 amd.com/gpu in use)` */
export async function freeGpuSummary(client: KubeClient, svc: AIMService): Promise<string | undefined> {
  const ref = svc.status?.resolvedTemplate
  if (!ref?.name) return undefined
  const tpl = ref.scope === 'Cluster' ? await client.tryGet(K.clusterTemplate, ref.name) : await client.tryGet(K.template, ref.name, ref.namespace ?? svc.metadata.namespace)
  const gpuModel = field<string>(tpl, 'status', 'resolvedHardware', 'gpu', 'model') ?? field<string>(tpl, 'spec', 'hardware', 'gpu', 'model') ?? field<string>(tpl, 'status', 'profile', 'metadata', 'gpu')
  const need = field<number>(tpl, 'status', 'resolvedHardware', 'gpu', 'requests') ?? field<number>(tpl, 'spec', 'hardware', 'gpu', 'requests') ?? 1
  const resource = field<string>(tpl, 'spec', 'hardware', 'gpu', 'resourceName') ?? 'amd.com/gpu'
  const [{clusterGpus, normalizeGpuModel}, {podRequests}, nodes, pods] = await Promise.all([import('../engine/gpu.js'), import('../engine/resources.js'), client.list(K.node), client.list(K.pod, {allNamespaces: true})])
  const inventory = clusterGpus(nodes.items)
  const wanted = gpuModel ? normalizeGpuModel(gpuModel) : undefined
  const candidates = inventory.nodes.filter((n) => !wanted || n.model === wanted)
  const used = new Map<string, number>()
  for (const p of pods.items) {
    const node = field<string>(p, 'spec', 'nodeName')
    const phase = field<string>(p, 'status', 'phase')
    if (!node || phase === 'Succeeded' || phase === 'Failed') continue
    used.set(node, (used.get(node) ?? 0) + (podRequests(p as Parameters<typeof podRequests>[0])[resource] ?? 0))
  }
  const fit = candidates.filter((n) => n.allocatable - (used.get(n.node) ?? 0) >= need)
  const total = candidates.reduce((s, n) => s + n.allocatable, 0)
  const inUse = candidates.reduce((s, n) => s + (used.get(n.node) ?? 0), 0)
  const what = `${need > 1 ? `${need} free ` : 'a free '}${wanted ?? 'GPU'}`
  return `${fit.length}/${inventory.nodes.length} nodes have ${what} (${inUse}/${total} ${resource}${wanted ? ` on ${wanted} nodes` : ''} in use)`
}

export {conditionsOf}

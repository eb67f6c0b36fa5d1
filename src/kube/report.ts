/**
 * The StatusReport of one AIMService: everything `kubectl aim status NAME` shows, collected from
 * the cluster with the selectors of reference §12. Text, Ink, JSON and YAML are all views of this
 * one model (plugin-ux §3 ask #1). Secret values are never read: env entries from secrets are shown
 * as references only.
 */
import type {Condition, KubeList, KubeObject} from '../api/object.js'
import {K, LABELS, artifactsOfCache, blockingCondition, condition, conditionsOf, field, serviceSelector, type AIMService} from './aim.js'
import type {KubeClient} from './client.js'
import {UserError} from './errors.js'

export const REPORT_API_VERSION = 'cli.aim.eai.amd.com/v1alpha1'

export interface PodRow {
  name: string
  phase: string
  ready: string
  node?: string
  restarts: number
  reason?: string
}

export interface ArtifactRow {
  name: string
  modelId?: string
  sourceUri?: string
  status?: string
  size?: string
  percentage?: number
  pvc?: string
  mode?: string
}

export interface EventRow {
  type: string
  reason: string
  object: string
  message: string
  count: number
  firstTimestamp?: string
  lastTimestamp?: string
}

export interface EnvRow {
  name: string
  value?: string
  /** `secret huggingface-creds/token` — the value itself is never read. */
  from?: string
}

export interface StatusReport {
  apiVersion: typeof REPORT_API_VERSION
  kind: 'StatusReport'
  collectedAt: string
  context: string
  service: {
    name: string
    namespace: string
    uid?: string
    status: string
    createdAt?: string
    generation?: number
    observedGeneration?: number
    model: {requested: string; resolved?: string; scope?: string}
    template: {name?: string; scope?: string; pinned: boolean}
    replicas?: string
    runtime?: Record<string, unknown>
    endpoint?: string
    cachingMode: string
    blocking?: {type: string; reason?: string; message?: string}
  }
  conditions: Condition[]
  inferenceService?: {name: string; ready?: string; reason?: string; url?: string}
  pods: PodRow[]
  cache?: {name: string; mode?: string; status?: string; artifacts: ArtifactRow[]}
  routing: {enabled: boolean; route?: string; path?: string; gateway?: string; accepted?: string}
  autoscaling?: {hpa: string; min?: number; max?: number; current?: number; desired?: number; found: boolean}
  env: EnvRow[]
  events: EventRow[]
  lookCloser: string[]
  /** Parts that could not be read (RBAC, missing kinds); the rest still shows. */
  errors: string[]
}

/**
 * Masks credential-looking text in messages we print (condition and event messages can quote
 * URLs or commands): `token=…`, `password: …`, `Bearer …`, Hugging Face tokens, URL userinfo.
 */
export function redact(text: string): string {
  return text
    .replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [REDACTED]')
    .replace(/\b(token|password|passwd|secret|api[_-]?key|access[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, '$1$2[REDACTED]')
    .replace(/\bhf_[A-Za-z0-9]{16,}\b/g, '[REDACTED]')
    .replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1[REDACTED]@')
}

function envRows(env: unknown): EnvRow[] {
  if (!Array.isArray(env)) return []
  return env.map((e: {name?: string; value?: string; valueFrom?: {secretKeyRef?: {name?: string; key?: string}; configMapKeyRef?: {name?: string; key?: string}}}) => {
    if (e.valueFrom?.secretKeyRef) return {name: e.name ?? '', from: `secret ${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`}
    if (e.valueFrom?.configMapKeyRef) return {name: e.name ?? '', from: `configmap ${e.valueFrom.configMapKeyRef.name}/${e.valueFrom.configMapKeyRef.key}`}
    if (e.valueFrom) return {name: e.name ?? '', from: 'field reference'}
    return {name: e.name ?? '', value: e.value ?? ''}
  })
}

export function podRow(p: KubeObject): PodRow {
  const statuses = (field<Array<{ready?: boolean; restartCount?: number; state?: {waiting?: {reason?: string}; terminated?: {reason?: string}}}>>(p, 'status', 'containerStatuses') ?? [])
  const readyCount = statuses.filter((s) => s.ready).length
  const total = (field<unknown[]>(p, 'spec', 'containers') ?? statuses).length
  const waiting = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).find(Boolean)
  const podReason = field<string>(p, 'status', 'reason')
  const unschedulable = (field<Condition[]>(p, 'status', 'conditions') ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False')?.reason
  return {
    name: p.metadata.name ?? '',
    phase: field<string>(p, 'status', 'phase') ?? 'Unknown',
    ready: `${readyCount}/${total}`,
    node: field<string>(p, 'spec', 'nodeName'),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    reason: waiting ?? podReason ?? unschedulable,
  }
}

/** One AIMArtifact as the reports show it. */
export function artifactRow(a: KubeObject): ArtifactRow {
  return {
    name: a.metadata.name ?? '',
    modelId: field<string>(a, 'spec', 'modelId'),
    sourceUri: field<string>(a, 'spec', 'sourceUri'),
    status: field<string>(a, 'status', 'status'),
    size: field<string>(a, 'status', 'displaySize'),
    percentage: field<string>(a, 'status', 'status') === 'Ready' ? 100 : field<number>(a, 'status', 'progress', 'percentage'),
    pvc: field<string>(a, 'status', 'persistentVolumeClaim'),
    mode: field<string>(a, 'status', 'mode'),
  }
}

/**
 * The last ten Warning events about one of the `Kind/name` objects in `involved`, oldest first,
 * messages redacted.
 */
export function warningEventRows(events: KubeObject[], involved: ReadonlySet<string>): EventRow[] {
  return events
    .filter((e) => field<string>(e, 'type') === 'Warning' && involved.has(`${field<string>(e, 'involvedObject', 'kind')}/${field<string>(e, 'involvedObject', 'name')}`))
    .map((e) => ({
      type: field<string>(e, 'type') ?? 'Warning',
      reason: field<string>(e, 'reason') ?? '',
      object: `${(field<string>(e, 'involvedObject', 'kind') ?? '').toLowerCase()}/${field<string>(e, 'involvedObject', 'name') ?? ''}`,
      message: redact(field<string>(e, 'message') ?? ''),
      count: field<number>(e, 'count') ?? 1,
      firstTimestamp: field<string>(e, 'firstTimestamp'),
      lastTimestamp: field<string>(e, 'lastTimestamp') ?? field<string>(e, 'eventTime') ?? field<string>(e, 'firstTimestamp'),
    }))
    .sort((a, b) => byCodePoint(a.lastTimestamp ?? '', b.lastTimestamp ?? ''))
    .slice(-10)
}

/**
 * Orders names and timestamps as kubectl does (by code point). Not localeCompare: for these
 * characters (DNS names, RFC 3339 times) it orders the same in en-US, but its first call builds an
 * ICU collator, 10-20 ms of a cold start, and other locales order differently.
 */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A report's `collectedAt`: RFC 3339 to the second. */
export const reportStamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Attempt a read; on failure record the one-line reason and go on (partial results, plugin-ux #24). */
export async function attempt<T>(errors: string[], what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn()
  } catch (err) {
    errors.push(`${what}: ${err instanceof UserError ? err.message : (err as Error).message}`)
    return undefined
  }
}

/**
 * The reads of a report that need only the service's name and namespace, started before the service
 * itself is read (so the server works on them while the client waits for and reads the service).
 */
export interface ReportPrefetch {
  name: string
  namespace: string
  isvcs: Promise<KubeList>
  events: Promise<KubeList>
}

export function prefetchReport(client: KubeClient, name: string, namespace: string): ReportPrefetch {
  const isvcs = client.list(K.isvc, {namespace, labelSelector: serviceSelector(name)})
  const events = client.list(K.event, {namespace, fieldSelector: 'type=Warning'})
  // Unused when the service turns out not to exist: not an unhandled rejection then.
  isvcs.catch(() => undefined)
  events.catch(() => undefined)
  return {name, namespace, isvcs, events}
}

export async function collectStatus(client: KubeClient, name: string, namespace: string, now: Date = new Date()): Promise<StatusReport> {
  const svc = await client.get<AIMService>(K.service, name, namespace)
  return buildReport(client, svc, now)
}

export async function buildReport(client: KubeClient, svc: AIMService, now: Date = new Date(), prefetch?: ReportPrefetch): Promise<StatusReport> {
  const name = svc.metadata.name ?? ''
  const namespace = svc.metadata.namespace ?? client.namespace
  const errors: string[] = []
  const st = svc.status ?? {}
  const spec = svc.spec ?? {}
  const pre = prefetch && prefetch.name === name && prefetch.namespace === namespace ? prefetch : undefined

  const isvcs = await attempt(errors, 'inferenceservices', () => pre?.isvcs ?? client.list(K.isvc, {namespace, labelSelector: serviceSelector(name)}))
  const isvc = isvcs?.items[0]
  const isvcName = isvc?.metadata.name
  const [pods, cache, events, route, hpa] = await Promise.all([
    isvcName ? attempt(errors, 'pods', () => client.list(K.pod, {namespace, labelSelector: `${LABELS.isvc}=${isvcName}`})) : undefined,
    st.cache?.templateCacheRef?.name
      ? attempt(errors, 'aimtemplatecaches', async () => {
          const tc = await client.tryGet(K.templateCache, st.cache!.templateCacheRef!.name!, namespace)
          const arts = await client.list(K.artifact, {namespace})
          return {tc, arts: artifactsOfCache(tc, st.cache!.templateCacheRef!.name!, arts.items)}
        })
      : undefined,
    attempt(errors, 'events', () => pre?.events ?? client.list(K.event, {namespace, fieldSelector: 'type=Warning'})),
    spec.routing?.enabled || condition(svc, 'HTTPRouteReady')
      ? attempt(errors, 'httproutes', () => client.list(K.httpRoute, {namespace, labelSelector: serviceSelector(name)}))
      : undefined,
    isvcName && (spec.minReplicas !== undefined || spec.maxReplicas !== undefined || spec['autoScaling'] !== undefined)
      ? attempt(errors, 'horizontalpodautoscalers', () => client.tryGet(K.hpa, `keda-hpa-${isvcName}-predictor`, namespace))
      : undefined,
  ])

  const podRows = (pods?.items ?? []).map(podRow).sort((a, b) => byCodePoint(a.name, b.name))
  const involved = new Set([`AIMService/${name}`, ...(isvcName ? [`InferenceService/${isvcName}`] : []), ...podRows.map((p) => `Pod/${p.name}`)])
  const eventRows = warningEventRows(events?.items ?? [], involved)

  const routeObj = route?.items[0]
  const gw = spec.routing?.gatewayRef
  const blocking = blockingCondition(svc)
  const requested = spec.model?.name ?? spec.model?.image ?? (spec.model?.custom ? 'custom' : '')
  const autoscaling = spec.minReplicas !== undefined || spec.maxReplicas !== undefined || spec['autoScaling'] !== undefined
  const report: StatusReport = {
    apiVersion: REPORT_API_VERSION,
    kind: 'StatusReport',
    collectedAt: reportStamp(now),
    context: client.contextName,
    service: {
      name,
      namespace,
      uid: svc.metadata.uid,
      status: st.status ?? 'Pending',
      createdAt: svc.metadata.creationTimestamp,
      generation: svc.metadata.generation,
      observedGeneration: st.observedGeneration,
      model: {requested, resolved: st.resolvedModel?.name, scope: st.resolvedModel?.scope},
      template: {name: st.resolvedTemplate?.name ?? spec.template?.name, scope: st.resolvedTemplate?.scope, pinned: Boolean(spec.template?.name)},
      replicas: st.runtime?.replicas !== undefined ? String(st.runtime.replicas) : undefined,
      runtime: st.runtime as Record<string, unknown> | undefined,
      endpoint: st.routing?.path ?? (isvc ? field<string>(isvc, 'status', 'url') : undefined),
      cachingMode: spec.caching?.mode ?? 'Shared',
      blocking: blocking ? {type: blocking.type, reason: blocking.reason, message: blocking.message !== undefined ? redact(blocking.message) : undefined} : undefined,
    },
    conditions: conditionsOf(svc).map((c) => (c.message ? {...c, message: redact(c.message)} : c)),
    inferenceService: isvc
      ? {
          name: isvcName!,
          ready: (field<Condition[]>(isvc, 'status', 'conditions') ?? []).find((c) => c.type === 'Ready')?.status,
          reason: (field<Condition[]>(isvc, 'status', 'conditions') ?? []).find((c) => c.type === 'Ready')?.reason,
          url: field<string>(isvc, 'status', 'url'),
        }
      : undefined,
    pods: podRows,
    cache: st.cache?.templateCacheRef?.name
      ? {
          name: st.cache.templateCacheRef.name,
          mode: field<string>(cache?.tc, 'spec', 'mode') ?? spec.caching?.mode,
          status: field<string>(cache?.tc, 'status', 'status'),
          artifacts: (cache?.arts ?? []).map(artifactRow).sort((a, b) => byCodePoint(a.name, b.name)),
        }
      : undefined,
    routing: {
      // A runtime config can enable routing too; the HTTPRouteReady condition then tells.
      enabled: spec.routing?.enabled ?? condition(svc, 'HTTPRouteReady') !== undefined,
      route: routeObj?.metadata.name,
      path: st.routing?.path,
      gateway: gw?.name ? `${gw.namespace ?? namespace}/${gw.name}` : undefined,
      accepted: condition(svc, 'HTTPRouteReady')?.status,
    },
    autoscaling:
      autoscaling && isvcName
        ? {
            hpa: `keda-hpa-${isvcName}-predictor`,
            found: Boolean(hpa),
            min: field<number>(hpa, 'spec', 'minReplicas') ?? spec.minReplicas,
            max: field<number>(hpa, 'spec', 'maxReplicas') ?? spec.maxReplicas,
            current: field<number>(hpa, 'status', 'currentReplicas'),
            desired: field<number>(hpa, 'status', 'desiredReplicas'),
          }
        : undefined,
    env: envRows(spec.env),
    events: eventRows,
    lookCloser: [],
    errors,
  }
  report.lookCloser = lookCloser(report)
  return report
}

function lookCloser(r: StatusReport): string[] {
  const ns = `-n ${r.service.namespace}`
  const out = [`kubectl ${ns} describe aimservice ${r.service.name}`]
  if (r.inferenceService) out.push(`kubectl ${ns} get inferenceservice -l ${LABELS.serviceName}=${r.service.name}`)
  if (r.pods.length > 0) out.push(`kubectl aim logs ${r.service.name} ${ns}`)
  if (r.cache) out.push(`kubectl ${ns} get aimartifacts -l ${LABELS.templateCacheName}=${r.cache.name}`)
  if (r.routing.enabled) out.push(`kubectl ${ns} get httproute -l ${LABELS.serviceName}=${r.service.name}`)
  if (r.autoscaling) out.push(`kubectl ${ns} get hpa ${r.autoscaling.hpa}`)
  const b = r.service.blocking
  if (b && (b.type === 'TemplateReady' || b.reason === 'TemplateSelectionAmbiguous')) out.push(`kubectl aim why ${r.service.name} ${ns}`)
  out.push(`kubectl ${ns} get events --field-selector involvedObject.name=${r.service.name}`)
  return out
}

/** One row of `kubectl aim status` without a name. */
export interface ServiceRow {
  namespace: string
  name: string
  status: string
  model: string
  template: string
  replicas: string
  endpoint: string
  createdAt?: string
  reason: string
  /** The blocking condition's message (`-o wide`). */
  message?: string
}

export function serviceRow(svc: AIMService): ServiceRow {
  const st = svc.status ?? {}
  const blocking = blockingCondition(svc)
  return {
    namespace: svc.metadata.namespace ?? '',
    name: svc.metadata.name ?? '',
    status: st.status ?? 'Pending',
    model: st.resolvedModel?.name ?? svc.spec?.model?.name ?? svc.spec?.model?.image ?? '',
    template: st.resolvedTemplate?.name ?? svc.spec?.template?.name ?? '',
    replicas: st.runtime?.replicas !== undefined ? String(st.runtime.replicas) : '',
    endpoint: st.routing?.path ?? '',
    createdAt: svc.metadata.creationTimestamp,
    reason: blocking?.reason ?? '',
    ...(blocking?.message ? {message: blocking.message} : {}),
  }
}

export {condition}

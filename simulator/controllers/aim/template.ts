/**
 * AIMServiceTemplate / AIMClusterServiceTemplate (reference §5.2): GPU availability from Nodes, the
 * discovery Job (`dry-run --format=json` in the model image), its output → status.modelSources,
 * profile, hardware; inline modelSources skip discovery; exponential backoff on failure; a namespaced
 * template with caching.enabled keeps its own AIMTemplateCache.
 */
import {labels as L} from '../../../src/api/labels.js'
import type {KindInfo} from '../../../src/api/registry.js'
import {hardwareSummary, templateGpuAvailability, templateNodeAffinity} from '../../../src/engine/gpu.js'
import {nodeInventory} from './inventory.js'
import {POD_EVENT_REASONS_READ as ENGINE_POD_EVENT_REASONS_READ, podsHealth} from '../../../src/engine/status.js'
import {discoveryJobName} from '../../../src/engine/naming.js'
import type {Health} from '../../../src/engine/types.js'
import type {ObjectKey, ReconcileContext, ReconcileResult, Reconciler} from '../types.js'
import {
  AIM_API_VERSION,
  OPERATOR_NAMESPACE,
  R,
  applyChild,
  clone,
  deleteIfExists,
  podEventsFor,
  get,
  isDeleting,
  isPaused,
  jobChanged,
  jobFailure,
  jobObject,
  jobPods,
  jobState,
  list,
  podHealthChanged,
  readLogs,
  runtimeConfigWatches,
  commitStatus,
  planStatus,
  type ConditionInput,
  stripUndefined,
  type Obj,
  type StatusPlan,
} from './common.js'
import {finishStatus, type Component} from './health.js'
import {discoveryBackoffMs, discoveryModelSources, discoveryProfile, parseDiscoveryOutput, templateSpecHash} from '../../../src/engine/discovery.js'
import {resolveRuntimeConfig, runtimeConfigComponent} from './runtimeconfig.js'

export const TEMPLATE_LABEL = L.template
const MAX_CONCURRENT_DISCOVERY = 10
/** The pod event reasons src/engine's podsHealth reads. */
const POD_EVENT_REASONS_READ = new Set(ENGINE_POD_EVENT_REASONS_READ)
/**
 * A template waiting for a discovery slot also retries after this long: only a safety net, as a slot
 * freeing wakes the waiting templates (bySlotFreed) and a poll before then finds the slots still taken.
 */
const SLOT_RETRY_MS = 5 * 60_000

/**
 * Per store: the templates (namespaced and cluster) waiting for a discovery slot. A discovery Job that
 * stops running wakes them, instead of each polling every few seconds.
 */
const slotWaiters = new WeakMap<object, Map<string, {cluster: boolean; key: ObjectKey}>>()
function waitersOf(ctx: ReconcileContext): Map<string, {cluster: boolean; key: ObjectKey}> {
  let m = slotWaiters.get(ctx.store)
  if (!m) slotWaiters.set(ctx.store, (m = new Map()))
  return m
}
const waiterId = (cluster: boolean, key: ObjectKey) => `${cluster ? 'c' : 'n'}/${key.namespace ?? ''}/${key.name}`

/**
 * When a discovery Job stops running (or goes away): the first waiting templates, as many as there are
 * free slots, in the order they started waiting; this reconciler's scope's share of them.
 */
function bySlotFreed(cluster: boolean) {
  return (obj: Obj, ctx: ReconcileContext, old?: Obj): ObjectKey[] => {
    if (obj.metadata.labels?.[L.appComponent] !== 'discovery') return []
    const gone = !get(ctx, R.job, obj.metadata.namespace, obj.metadata.name!)
    if (!gone && jobState(obj) === 'Running') return []
    if (old && jobState(old) !== 'Running') return []
    const waiters = waitersOf(ctx)
    if (waiters.size === 0) return []
    let free = MAX_CONCURRENT_DISCOVERY - activeDiscoveryJobs(ctx).length
    const keys: ObjectKey[] = []
    for (const w of waiters.values()) {
      if (free-- <= 0) break
      if (w.cluster === cluster) keys.push(w.key)
    }
    return keys
  }
}

function activeDiscoveryJobs(ctx: ReconcileContext): Obj[] {
  return list(ctx, R.job, {labelSelector: `${L.appComponent}=discovery`}).filter((j) => jobState(j) === 'Running')
}

export function templateReconciler(cluster: boolean): Reconciler {
  const info = cluster ? R.clusterTemplate : R.template
  const controller = cluster ? 'cluster-service-template' : 'service-template'
  const modelInfo = cluster ? R.clusterModel : R.model
  const byPodLabels = byDiscoveryLabels(cluster)
  // The template of a discovery Job or pod. One that is gone (the Job's TTL, its pods after it) matters
  // only to a template still discovering: once its status says discovery is done, a reconcile reads
  // neither (the Ready path), and a spec or model change that reopens discovery enqueues it anyway.
  const discoveryOwners = (o: Obj, kind: typeof R.job, ctx: ReconcileContext): ObjectKey[] => {
    const keys = byPodLabels(o)
    if (keys.length === 0 || get(ctx, kind, o.metadata.namespace, o.metadata.name!)) return keys
    const t = get(ctx, info, keys[0]!.namespace, keys[0]!.name)
    return t && discoveredReady(t.status) ? [] : keys
  }
  return {
    name: `aim-${controller}-controller`,
    for: info,
    // Its own status writes need no second pass from the watch: the one case where a template reads
    // back what it wrote (discovery just completed → the Ready path) is planned twice in the same
    // reconcile and written once, and the discovery pods' events podsHealth reads are watched.
    ownStatusWritesSettle: true,
    watches: [
      ...runtimeConfigWatches(info),
      // A discovery Job and its pods report back to their template by label.
      // (Only changes of what the template reads: the Job's state, the pods' health and phase.)
      {kind: R.job, map: (j, ctx, old) => (jobChanged(j as Obj, old as Obj | undefined, ctx) ? discoveryOwners(j as Obj, R.job, ctx) : [])},
      {kind: R.pod, map: (p, ctx, old) => (podHealthChanged(p as Obj, old as Obj | undefined, ctx) ? discoveryOwners(p as Obj, R.pod, ctx) : [])},
      {
        // Pod events the DiscoveryPods health reads (pulling, scheduling and mount failures).
        kind: R.event,
        map: (e, ctx) => {
          const io = (e as any).involvedObject
          if (io?.kind !== 'Pod' || !io.name || !POD_EVENT_REASONS_READ.has((e as any).reason)) return []
          const pod = get(ctx, R.pod, e.metadata.namespace, io.name)
          return pod ? byPodLabels(pod) : []
        },
      },
      // A discovery slot freeing up wakes the templates waiting for one.
      {kind: R.job, map: bySlotFreed(cluster)},
      // GPU label changes on nodes re-enqueue every template.
      {kind: R.node, map: (_n, ctx) => list(ctx, info).map((t) => key(t))},
      // The model's readiness feeds the template's Model component.
      {
        kind: modelInfo,
        map: (m, ctx) =>
          list(ctx, info, cluster ? {} : {namespace: m.metadata.namespace})
            .filter((t) => t.spec?.modelName === m.metadata.name)
            .map((t) => key(t)),
      },
    ],
    reconcile: (k, ctx) => reconcileTemplate(k, ctx, info, modelInfo, controller, cluster),
  }
}

function byDiscoveryLabels(cluster: boolean) {
  return (obj: Obj): ObjectKey[] => {
    const t = obj.metadata.labels?.[TEMPLATE_LABEL]
    if (!t || obj.metadata.labels?.[L.appComponent] !== 'discovery') return []
    if (cluster !== (obj.metadata.labels?.[L.templateScope] === 'Cluster')) return []
    return [cluster ? {name: t} : {namespace: obj.metadata.namespace, name: t}]
  }
}

function key(obj: Obj): ObjectKey {
  return obj.metadata.namespace ? {namespace: obj.metadata.namespace, name: obj.metadata.name!} : {name: obj.metadata.name!}
}

/** Whether a template's status says discovery is done (the Ready path of the next reconcile). */
const discoveredReady = (st: any): boolean => st?.status === 'Ready' && !!st.modelSources

function reconcileTemplate(key: ObjectKey, ctx: ReconcileContext, info: KindInfo, modelInfo: KindInfo, controller: string, cluster: boolean): ReconcileResult | undefined {
  const first = reconcileTemplateOnce(key, ctx, info, modelInfo, controller, cluster)
  if (!first.tpl || !first.plan) return first.result
  const component = `aim-${controller}-controller`
  const next = first.plan.next
  if (!next || discoveredReady(next) === discoveredReady(first.tpl.status)) {
    commitStatus(ctx, info, first.tpl, [first.plan], component)
    return first.result
  }
  // This status changes what the reconcile reads back (discovery done → the Ready path): the pass its
  // write would cause runs now, on the status as written, and the two are written once (same instant,
  // each pass's transitions and Events in order).
  const second = reconcileTemplateOnce(key, ctx, info, modelInfo, controller, cluster, {...first.tpl, status: stripUndefined(next)})
  commitStatus(ctx, info, first.tpl, second.plan ? [first.plan, second.plan] : [first.plan], component)
  const a = first.result?.requeueAfterMs
  const b = second.result?.requeueAfterMs
  return a === undefined && b === undefined ? undefined : {requeueAfterMs: Math.min(a ?? Infinity, b ?? Infinity)}
}

/**
 * One pass over the template (`as` stands in for the stored object: the status a first pass planned).
 * Returns the status it plans without writing it.
 */
function reconcileTemplateOnce(
  key: ObjectKey,
  ctx: ReconcileContext,
  info: KindInfo,
  modelInfo: KindInfo,
  controller: string,
  cluster: boolean,
  as?: Obj,
): {result?: ReconcileResult; tpl?: Obj; plan?: StatusPlan} {
  waitersOf(ctx).delete(waiterId(cluster, key))
  const tpl = as ?? get(ctx, info, key.namespace, key.name)
  if (!tpl || isDeleting(tpl) || isPaused(tpl)) return {}
  const spec = tpl.spec ?? {}
  const prev = tpl.status ?? {}
  const components: Component[] = []
  const extra: ConditionInput[] = []
  const status: Record<string, any> = {}
  let requeueAfterMs: number | undefined

  const rc = resolveRuntimeConfig(ctx, cluster ? undefined : key.namespace, spec.runtimeConfigName)
  const rcComp = runtimeConfigComponent(rc)
  if (rcComp) components.push(rcComp)
  if (rc.resolved) status.resolvedRuntimeConfig = rc.resolved

  // ---- model (upstream)
  const model = get(ctx, modelInfo, cluster ? undefined : key.namespace, spec.modelName)
  const modelComponent = cluster ? 'ClusterModel' : 'Model'
  components.push({name: modelComponent, health: modelHealthForTemplate(model, modelInfo.kind, spec.modelName), dependency: 'upstream'})
  if (model) status.resolvedModel = {name: model.metadata.name, ...(cluster ? {} : {namespace: key.namespace}), scope: cluster ? 'Cluster' : 'Namespace', kind: `${AIM_API_VERSION}/${modelInfo.kind}`, uid: model.metadata.uid}

  // ---- GPU
  const inventory = nodeInventory(ctx)
  const gpu = templateGpuAvailability(spec.hardware, inventory)
  if (gpu.required) components.push({name: 'GPU', health: gpu.health, dependency: 'unspecified'})
  const affinity = templateNodeAffinity(spec.hardware, inventory)

  // Carry over what discovery already found.
  for (const f of ['modelSources', 'profile', 'resolvedHardware', 'hardwareSummary', 'resolvedNodeAffinity', 'discoveryJob', 'discovery'] as const) {
    if (prev[f] !== undefined) status[f] = prev[f]
  }

  const inline = (spec.modelSources ?? []).length > 0
  const alreadyReady = prev.status === 'Ready' && !!prev.modelSources
  if (!model || !model.spec?.image) {
    // Wait until the model exists with an image.
  } else if (!gpu.available) {
    // Plan nothing while the GPU is missing.
  } else if (inline) {
    status.modelSources = clone(spec.modelSources)
    status.resolvedHardware = resolvedHardware(spec.hardware, undefined)
    status.hardwareSummary = hardwareSummary(spec.hardware)
    if (affinity) status.resolvedNodeAffinity = affinity
    if (spec.customProfile) status.profile = customProfileStatus(spec)
    extra.push({type: 'Discovered', status: 'True', reason: 'InlineModelSources', message: 'Model sources provided in-line in spec'})
  } else if (alreadyReady && prev.discovery?.specHash === specHash(spec, model)) {
    components.push({name: 'DiscoveryJob', health: {state: 'Ready', reason: 'JobComplete', message: 'Discovery job completed'}, dependency: 'downstream'})
  } else {
    const r = runDiscovery(ctx, tpl, model, cluster, controller, status, extra)
    components.push(...r.components)
    requeueAfterMs = r.requeueAfterMs
  }
  if (affinity && status.resolvedNodeAffinity === undefined) status.resolvedNodeAffinity = affinity
  if (status.hardwareSummary === undefined) status.hardwareSummary = hardwareSummary(spec.hardware)

  // ---- a namespaced template's own cache
  if (!cluster && spec.caching?.enabled && (status.modelSources ?? []).length > 0) {
    applyChild(
      ctx,
      {
        apiVersion: AIM_API_VERSION,
        kind: 'AIMTemplateCache',
        metadata: {name: tpl.metadata.name!, namespace: key.namespace},
        spec: {templateName: tpl.metadata.name, templateScope: 'Namespace', mode: 'Shared', ...(spec.caching.env ? {env: clone(spec.caching.env)} : {}), ...(spec.runtimeConfigName ? {runtimeConfigName: spec.runtimeConfigName} : {})},
      },
      {controller, parent: tpl, owner: tpl, fields: []},
    )
  }

  const result = finishStatus(components, 'other', undefined, prev.conditions)
  // A template without sources is not usable: it stays Progressing until discovery delivers them.
  let overall = result.status
  if (overall === 'Ready' && !(status.modelSources ?? []).length && !inline) overall = 'Progressing'
  if (!gpu.available && gpu.required && result.status !== 'Failed') overall = 'NotAvailable'
  return {
    result: requeueAfterMs !== undefined ? {requeueAfterMs} : undefined,
    tpl,
    plan: planStatus(ctx, tpl, {...status, status: overall}, [...result.conditions, ...extra]),
  }
}

/** The template's view of its model, with the cycle breaker: a model only waiting on its templates counts as Ready. */
function modelHealthForTemplate(model: Obj | undefined, kind: string, name: string): Health {
  if (!model) return {state: 'Failed', reason: 'ReferenceNotFound', message: `${kind} ${name} not found`, error: 'MissingUpstreamDependency'}
  const st = model.status?.status ?? 'Pending'
  if (st === 'Ready') return {state: 'Ready', reason: 'ModelFound', message: `${kind} ${name} is ready`}
  const conds: Array<{type: string; status: string}> = model.status?.conditions ?? []
  const blocking = conds.filter(
    (c) => c.type.endsWith('Ready') && c.type !== 'Ready' && c.status !== 'True' && c.type !== 'ServiceTemplatesReady' && c.type !== 'ClusterServiceTemplatesReady',
  )
  if (blocking.length === 0 && model.spec?.image) return {state: 'Ready', reason: 'ModelFound', message: `${kind} ${name} found`}
  if (st === 'Failed' || st === 'Degraded') return {state: 'Failed', reason: 'ModelFailed', message: `${kind} ${name} is ${st}`}
  return {state: 'Pending', reason: 'ModelNotReady', message: `${kind} ${name} is not ready yet`}
}

/** The inputs whose change resets the discovery backoff. */
function specHash(spec: any, model: Obj): string {
  return templateSpecHash({
    modelName: spec.modelName,
    image: model.spec?.image,
    metric: spec.metric,
    precision: spec.precision,
    gpuModel: spec.hardware?.gpu?.model,
    gpuCount: spec.hardware?.gpu?.requests,
    profileId: spec.profileId,
  })
}

function resolvedHardware(specHw: any, meta: {gpu?: string; gpu_count?: number} | undefined): any {
  if (!specHw && !meta) return undefined
  const gpu: Record<string, unknown> = {}
  if (meta) {
    gpu.requests = meta.gpu_count ?? 0
    if (meta.gpu) gpu.model = meta.gpu
  } else {
    if (specHw?.gpu?.requests !== undefined) gpu.requests = specHw.gpu.requests
    if (specHw?.gpu?.model) gpu.model = specHw.gpu.model
  }
  if (specHw?.gpu?.resourceName) gpu.resourceName = specHw.gpu.resourceName
  if (specHw?.gpu?.minVram !== undefined) gpu.minVram = specHw.gpu.minVram
  const out: Record<string, unknown> = {}
  if (Object.keys(gpu).length) out.gpu = gpu
  if (specHw?.cpu) out.cpu = clone(specHw.cpu)
  return Object.keys(out).length ? out : undefined
}

function customProfileStatus(spec: any): Record<string, unknown> {
  return {
    engine_args: clone(spec.customProfile?.engineArgs ?? {}),
    env_vars: clone(spec.customProfile?.envVars ?? {}),
    metadata: {
      engine: 'vllm',
      ...(spec.hardware?.gpu?.model ? {gpu: spec.hardware.gpu.model} : {}),
      ...(spec.hardware?.gpu?.requests !== undefined ? {gpuCount: spec.hardware.gpu.requests} : {}),
      ...(spec.metric ? {metric: spec.metric} : {}),
      ...(spec.precision ? {precision: spec.precision} : {}),
      type: spec.type ?? 'unoptimized',
    },
  }
}

function discoveryEnv(spec: any, cluster: boolean): Array<{name: string; value: string}> {
  const env: Array<{name: string; value: string}> = [
    {name: 'AIM_LOG_LEVEL_ROOT', value: 'CRITICAL'},
    {name: 'AIM_LOG_LEVEL', value: 'CRITICAL'},
  ]
  if (!cluster) for (const e of spec.env ?? []) if (e.value !== undefined) env.push({name: e.name, value: e.value})
  if (spec.metric) env.push({name: 'AIM_METRIC', value: spec.metric})
  if (spec.precision) env.push({name: 'AIM_PRECISION', value: spec.precision})
  if (spec.hardware?.gpu?.model) env.push({name: 'AIM_GPU_MODEL', value: spec.hardware.gpu.model})
  if ((spec.hardware?.gpu?.requests ?? 0) > 0) env.push({name: 'AIM_GPU_COUNT', value: String(spec.hardware.gpu.requests)})
  if (spec.profileId) env.push({name: 'AIM_PROFILE_ID', value: spec.profileId})
  return env
}

function runDiscovery(
  ctx: ReconcileContext,
  tpl: Obj,
  model: Obj,
  cluster: boolean,
  controller: string,
  status: Record<string, any>,
  extra: ConditionInput[],
): {components: Component[]; requeueAfterMs?: number} {
  const spec = tpl.spec
  const ns = cluster ? OPERATOR_NAMESPACE : tpl.metadata.namespace!
  const env = discoveryEnv(spec, cluster)
  const name = discoveryJobName({
    templateName: tpl.metadata.name!,
    modelName: spec.modelName,
    image: model.spec.image,
    serviceAccountName: model.spec.serviceAccountName,
    env,
    imagePullSecrets: model.spec.imagePullSecrets,
    metric: spec.metric,
    precision: spec.precision,
    gpuModel: spec.hardware?.gpu?.model,
    gpuCount: spec.hardware?.gpu?.requests,
    profileId: spec.profileId,
  })
  const hash = specHash(spec, model)
  const discovery = {...(status.discovery ?? {})}
  if (discovery.specHash !== hash) {
    discovery.attempts = 0
    delete discovery.lastFailureReason
    discovery.specHash = hash
  }
  status.discovery = discovery
  status.discoveryJob = {name, namespace: ns}
  const comps: Component[] = []
  const job = get(ctx, R.job, ns, name)
  const state = jobState(job)
  const waiting = (message: string) => extra.push({type: 'Discovered', status: 'False', reason: 'AwaitingDiscovery', message})

  if (state === 'Complete') {
    const pod = jobPods(ctx, job!).find((p) => p.status?.phase === 'Succeeded') ?? jobPods(ctx, job!)[0]
    const lines = pod ? readLogs(ctx, pod, 'discovery') : undefined
    const parsed = lines ? parseDiscoveryOutput(lines) : undefined
    if (!parsed) {
      comps.push({
        name: 'DiscoveryJob',
        health: {state: 'Failed', reason: 'DiscoveryOutputInvalid', message: 'Discovery output could not be parsed', error: 'InvalidSpec'},
        dependency: 'downstream',
      })
      waiting('Waiting for discovery to complete')
      return {components: comps}
    }
    const meta = parsed.profile.metadata ?? {}
    status.modelSources = discoveryModelSources(parsed)
    status.profile = {...discoveryProfile(parsed), originalDiscoveryOutput: parsed}
    if (spec.customProfile) {
      status.profile.engine_args = {...status.profile.engine_args, ...clone(spec.customProfile.engineArgs ?? {})}
      status.profile.env_vars = {...status.profile.env_vars, ...clone(spec.customProfile.envVars ?? {})}
    }
    status.resolvedHardware = resolvedHardware(spec.hardware, meta)
    status.hardwareSummary = hardwareSummary(status.resolvedHardware ?? spec.hardware)
    comps.push({name: 'DiscoveryJob', health: {state: 'Ready', reason: 'JobComplete', message: 'Discovery job completed'}, dependency: 'downstream'})
    comps.push({name: 'DiscoveryPods', health: {state: 'Ready', reason: 'PodsSucceeded', message: 'Discovery pod succeeded'}, dependency: 'downstream'})
    // The operator marks Discovered False right after completion (reference §5.2 quirk); kept as is.
    waiting('Waiting for discovery to complete')
    return {components: comps}
  }

  if (state === 'Failed') {
    const completion = job!.status?.completionTime ?? job!.metadata.creationTimestamp ?? ''
    const {reason, message} = jobFailure(job!)
    if (!discovery.lastAttemptTime || discovery.lastAttemptTime < completion || !discovery.attempts) {
      discovery.attempts = (discovery.attempts ?? 0) + 1
      discovery.lastAttemptTime = ctx.clock.nowISO()
      discovery.lastFailureReason = message
    }
    const delay = backoff(discovery.attempts)
    const since = Date.parse(discovery.lastAttemptTime)
    const remaining = since + delay - ctx.clock.now()
    if (remaining <= 0) {
      // Backoff over: remove the failed Job so a fresh one runs.
      deleteIfExists(ctx, R.job, ns, name)
      comps.push({name: 'DiscoveryJob', health: {state: 'Progressing', reason: 'JobNotCreated', message: 'Retrying discovery'}, dependency: 'downstream'})
      waiting('Waiting for discovery to complete')
      return {components: comps, requeueAfterMs: 1}
    }
    const jobReason = ['BackoffLimitExceeded', 'DeadlineExceeded'].includes(reason) ? `Job${reason}` : 'JobFailed'
    comps.push({name: 'DiscoveryJob', health: {state: 'Failed', reason: jobReason, message, error: 'InvalidSpec'}, dependency: 'downstream'})
    waiting(`Waiting ${formatDuration(remaining)} before retry (attempt ${discovery.attempts} failed)`)
    return {components: comps, requeueAfterMs: remaining}
  }

  if (state === 'Running') {
    comps.push({name: 'DiscoveryJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Discovery job is running'}, dependency: 'downstream'})
    // The discovery pod runs the model image: pull failures surface here (reference §5.2 DiscoveryPods).
    const pods = jobPods(ctx, job!)
    if (pods.length) comps.push({name: 'DiscoveryPods', health: podsHealth(pods, podEventsFor(ctx, ns, pods)), dependency: 'downstream'})
    waiting('Waiting for discovery to complete')
    return {components: comps}
  }

  // No Job: respect the backoff and the global concurrency limit, then create it.
  if (discovery.attempts && discovery.lastAttemptTime) {
    const remaining = Date.parse(discovery.lastAttemptTime) + backoff(discovery.attempts) - ctx.clock.now()
    if (remaining > 0) {
      comps.push({name: 'DiscoveryJob', health: {state: 'Pending', reason: 'JobNotCreated', message: 'Discovery job not created yet'}, dependency: 'downstream'})
      waiting(`Waiting ${formatDuration(remaining)} before retry (attempt ${discovery.attempts} failed)`)
      return {components: comps, requeueAfterMs: remaining}
    }
  }
  const active = activeDiscoveryJobs(ctx)
  if (active.length >= MAX_CONCURRENT_DISCOVERY) {
    comps.push({name: 'DiscoveryJob', health: {state: 'Pending', reason: 'JobNotCreated', message: 'Waiting for a discovery slot'}, dependency: 'downstream'})
    waiting('Waiting for discovery to complete')
    const k: ObjectKey = cluster ? {name: tpl.metadata.name!} : {namespace: tpl.metadata.namespace, name: tpl.metadata.name!}
    waitersOf(ctx).set(waiterId(cluster, k), {cluster, key: k})
    return {components: comps, requeueAfterMs: SLOT_RETRY_MS}
  }
  applyChild(ctx, discoveryJob(tpl, model, cluster, ns, name, env), {controller, parent: tpl, owner: cluster ? undefined : tpl, fields: []})
  comps.push({name: 'DiscoveryJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Discovery job is running'}, dependency: 'downstream'})
  waiting('Waiting for discovery to complete')
  return {components: comps}
}

const backoff = discoveryBackoffMs

function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${r}s`
}

function discoveryJob(tpl: Obj, model: Obj, cluster: boolean, ns: string, name: string, env: Array<{name: string; value: string}>): Obj {
  const labels = {
    [L.appName]: 'aim-discovery',
    [L.appComponent]: 'discovery',
    [L.managedBy]: 'aim-controller',
    [TEMPLATE_LABEL]: tpl.metadata.name!,
    [L.templateScope]: cluster ? 'Cluster' : 'Namespace',
  }
  return jobObject(ns, name, labels, {backoffLimit: 0, ttlSecondsAfterFinished: 60}, {
    ...(model.spec.serviceAccountName ? {serviceAccountName: model.spec.serviceAccountName} : {}),
    ...(model.spec.imagePullSecrets ? {imagePullSecrets: clone(model.spec.imagePullSecrets)} : {}),
    securityContext: {runAsUser: 65532, runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}},
    containers: [
      {
        name: 'discovery',
        image: model.spec.image,
        args: ['dry-run', '--format=json'],
        env,
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}},
      },
    ],
  })
}

/**
 * AIMService (seeds 001/002, reference §4-§10): finalizer; runtime config; model resolution (by name,
 * image — creating a shared AIMModel — or custom); explicit template or auto-selection through the
 * engine's selectTemplate (the function `kubectl aim why` calls); derived template for overrides;
 * Shared/Dedicated template cache; the KServe InferenceService; the HTTPRoute with pathTemplate;
 * autoscaling (KEDA annotations, HPA health, status.runtime); AIMKVCache; status and conditions.
 *
 * Every domain rule comes from src/engine; this file reads the store, plans children and writes status.
 */
import {labels as L, finalizers} from '../../../src/api/labels.js'
import {createRequire} from 'node:module'
import {
  NamingError,
  autoscalingFor,
  buildInferenceEnv,
  cacheHealth,
  cachingMode,
  derivedTemplateName,
  hpaHealth,
  hpaName,
  httpRouteHealth,
  httpRouteName as engineHttpRouteName,
  inferenceResources,
  inferenceServiceHealth,
  inferenceServiceName as engineInferenceServiceName,
  makeRfc1123Compliant,
  mergeEnv,
  podsHealth,
  POD_EVENT_REASONS_READ as ENGINE_POD_EVENT_REASONS_READ,
  renderPathTemplate,
  resolveExplicitTemplate,
  resolveModel,
  resolveRouting,
  resolvedReference,
  runtimeStatus,
  sanitizeLabelValue,
  selectTemplate,
  serviceOverrides,
  sortEnv,
  templateCacheName,
  templateHealth,
  templateKind,
  type EnvVar,
  type Health,
  type Scope,
} from '../../../src/engine/index.js'
import type {KubeObject} from '../../../src/api/object.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {onlyStatusChangedBut} from '../../store/util.js'
import {
  AIM_API_VERSION,
  R,
  applyChild,
  clone,
  deleteIfExists,
  eventsFor,
  podEventsFor,
  ensureFinalizer,
  podHealthView,
  get,
  isDeleting,
  isPaused,
  isOwnedBy,
  list,
  removeFinalizer,
  writeStatus,
  type ApplyOptions,
  type Obj,
} from './common.js'
import {nodeInventory} from './inventory.js'
import {finishStatus, type Component} from './health.js'
import {resolveRuntimeConfig, runtimeConfigComponent} from './runtimeconfig.js'

// yaml costs ~30 ms to load at every simulator start; only a profile ConfigMap needs it (CommonJS,
// loaded on first use).
let yamlModule: typeof import('yaml') | undefined
const toYaml = (value: unknown): string => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml')).stringify(value)

export const SERVICE_FINALIZER = finalizers.serviceTemplateCacheCleanup
export const SERVICE_LABEL = L.service
export const SERVICE_NAME_LABEL = L.serviceName
export const ISVC_LABEL = L.kserveInferenceService
export const CUSTOM_PROFILE_DIR = '/workspace/aim-runtime/profiles/custom'
const CONTROLLER = 'service'
/** The pod event reasons src/engine's podsHealth reads. */
const POD_EVENT_REASONS_READ = new Set(ENGINE_POD_EVENT_REASONS_READ)

// The engine's derived names hash their inputs (sha256); a service's never change, so they are kept.
const isvcNames = new Map<string, string>()
const routeNames = new Map<string, string>()
function inferenceServiceName(name: string, ns: string): string {
  const k = `${ns}/${name}`
  let v = isvcNames.get(k)
  if (v === undefined) {
    v = engineInferenceServiceName(name, ns)
    if (isvcNames.size > 100_000) isvcNames.clear()
    isvcNames.set(k, v)
  }
  return v
}
function httpRouteName(name: string, ns: string): string {
  const k = `${ns}/${name}`
  let v = routeNames.get(k)
  if (v === undefined) {
    v = engineHttpRouteName(name, ns)
    if (routeNames.size > 100_000) routeNames.clear()
    routeNames.set(k, v)
  }
  return v
}
const ALIAS_LABEL = L.templateAlias

/** The service whose planned children are being applied right now (watch events arrive during the apply). */
let applying: {uid: string; namespace: string; name: string} | undefined

/**
 * Whether `child` is an InferenceService or template cache the reconcile in progress is creating for
 * its service. Its create event needs no reconcile of that service: the InferenceService's components
 * are observed after the apply (reconcileService), and a new template cache reports through its
 * first status write. Other children (routes, KV caches, config maps) still enqueue the service.
 */
function createdByOwnApply(child: KubeObject): boolean {
  if (!applying || (child.kind !== 'InferenceService' && child.kind !== 'AIMTemplateCache') || child.metadata.namespace !== applying.namespace) return false
  const m = child.metadata
  const owned = (m.ownerReferences ?? []).some((r) => r.uid === applying!.uid)
  return owned || (child.kind === 'AIMTemplateCache' && m.labels?.[SERVICE_LABEL] === applying.name)
}

/**
 * What resolveModel reads of a service (namespace, spec.model, sticky status.resolvedModel) as one
 * string, undefined for a custom model; kept per (frozen) service object, as every template event
 * asks it of every service in the namespace.
 */
const resolutionInputs = new WeakMap<object, string | null>()
function resolutionInput(s: Obj): string | undefined {
  const known = resolutionInputs.get(s)
  if (known !== undefined) return known ?? undefined
  const sm = s.spec?.model
  const sticky = s.status?.resolvedModel
  const input = sm?.custom ? undefined : `${s.metadata.namespace}\0${sm?.name ?? ''}\0${sm?.image ?? ''}\0${sticky?.name ?? ''}\0${sticky?.scope ?? ''}`
  if (Object.isFrozen(s)) resolutionInputs.set(s, input ?? null)
  return input
}

export function serviceReconciler(): Reconciler {
  const allInNs = (obj: Obj, ctx: ReconcileContext): ObjectKey[] =>
    list(ctx, R.service, obj.metadata.namespace ? {namespace: obj.metadata.namespace} : {}).map((s) => ({namespace: s.metadata.namespace, name: s.metadata.name!}))
  const byIsvc = (ctx: ReconcileContext, ns: string | undefined, isvc: string | undefined): ObjectKey[] => {
    if (!ns || !isvc) return []
    const obj = get(ctx, R.isvc, ns, isvc)
    const owner = obj?.metadata.ownerReferences?.find((r) => r.kind === 'AIMService')
    const name = owner?.name ?? obj?.metadata.labels?.[SERVICE_NAME_LABEL]
    return name ? [{namespace: ns, name}] : []
  }
  // The model a service resolves to right now (the engine's resolveModel, as reconcile calls it), or
  // undefined when it has none; `models` lists the candidates once per watch event.
  // resolveModel reads of a service its namespace, spec.model and sticky status.resolvedModel: services
  // alike in those (most of a namespace share a handful of images) resolve alike within one event.
  type Models = {ns: Obj[]; cl: Obj[]; byInput: Map<string, string | undefined>}
  const modelsOf = (ctx: ReconcileContext, ns: string | undefined) => {
    let cached: Models | undefined
    return () => (cached ??= {ns: ns ? list(ctx, R.model, {namespace: ns}) : [], cl: list(ctx, R.clusterModel), byInput: new Map()})
  }
  const resolvedModelName = (s: Obj, models: () => Models): string | undefined => {
    const m = models()
    const input = resolutionInput(s)
    if (input !== undefined) {
      const known = m.byInput.get(input)
      if (known !== undefined || m.byInput.has(input)) return known
    }
    const r = resolveModel({service: s, namespacedModels: m.ns.filter((x) => x.metadata.namespace === s.metadata.namespace), clusterModels: m.cl})
    const name = r.outcome === 'resolved' ? (r.model as Obj).metadata.name : undefined
    if (input !== undefined) m.byInput.set(input, name)
    return name
  }
  // Services a (cluster) template change can matter to. One whose sticky template (status.resolvedTemplate,
  // still Ready, for its resolved model) is another object keeps that template whatever this one does, so
  // it is skipped; so is an auto-selecting one whose model is not this template's (before or after the
  // change): selection only looks at its model's templates. Explicit templates (aliases) and deleting
  // services are always enqueued.
  const byTemplate = (obj: Obj, ctx: ReconcileContext, old?: Obj): ObjectKey[] => {
    const scope: Scope = obj.metadata.namespace ? 'Namespace' : 'Cluster'
    if (old && onlyStatusChangedBut(old, obj, templateStatusView) && get(ctx, scope === 'Cluster' ? R.clusterTemplate : R.template, obj.metadata.namespace, obj.metadata.name!)) return []
    // Selection drops a template that is not Ready before it reads anything else of it: a status change
    // of one that stays not Ready (Pending → Progressing → NotAvailable, discovery results) shows only in
    // the "filtered out" counts of its message, which needs another template of the model to be Ready.
    const notReadyOnly = !!old && old.status?.status !== 'Ready' && obj.status?.status !== 'Ready' && onlyStatusChangedBut(old, obj, () => undefined)
    const anyReady = new Map<string, boolean>()
    const modelHasReady = (ns: string, model: string): boolean => {
      const k = `${ns}/${model}`
      let v = anyReady.get(k)
      if (v === undefined) {
        const ready = (t: Obj) => t.spec?.modelName === model && t.status?.status === 'Ready'
        v = list(ctx, R.template, {namespace: ns}).some(ready) || list(ctx, R.clusterTemplate).some(ready)
        anyReady.set(k, v)
      }
      return v
    }
    const keys: ObjectKey[] = []
    const models = modelsOf(ctx, obj.metadata.namespace)
    for (const s of list(ctx, R.service, obj.metadata.namespace ? {namespace: obj.metadata.namespace} : {})) {
      const rt = s.status?.resolvedTemplate
      let keep = true
      if (!s.metadata.deletionTimestamp && !s.spec?.template?.name) {
        const isRt = rt?.name === obj.metadata.name && (rt.scope ?? 'Namespace') === scope
        if (rt?.name && !isRt) {
          const cur = rt.scope === 'Cluster' ? get(ctx, R.clusterTemplate, undefined, rt.name) : get(ctx, R.template, s.metadata.namespace, rt.name)
          const modelName = s.status?.resolvedModel?.name
          keep = !cur || cur.status?.status !== 'Ready' || !modelName || cur.spec?.modelName !== modelName
        }
        if (keep && !isRt) {
          const m = resolvedModelName(s, models)
          keep = m !== undefined && (obj.spec?.modelName === m || old?.spec?.modelName === m)
          if (keep && notReadyOnly) keep = modelHasReady(s.metadata.namespace!, m!)
        }
      }
      if (keep) keys.push({namespace: s.metadata.namespace, name: s.metadata.name!})
    }
    return keys
  }
  // Services a template cache change can matter to: those whose resolved template it caches, that point at
  // it, that are being deleted (they clean up their caches), or that have no resolved template yet and
  // whose model the cache's template serves (or whose template cannot be found).
  const byTemplateCache = (c: Obj, ctx: ReconcileContext, old?: Obj): ObjectKey[] => {
    const ns = c.metadata.namespace!
    if (old && cacheView(old) === cacheView(c) && get(ctx, R.templateCache, ns, c.metadata.name!)) return []
    // The service creating this cache right now has planned its status without it ("Creating
    // template cache"); the cache's first status write tells it what came of it.
    const creator = !old && createdByOwnApply(c) ? applying!.uid : undefined
    let tmplModel: string | null | undefined
    const cacheModel = (): string | null => {
      if (tmplModel !== undefined) return tmplModel
      const name = c.spec?.templateName
      const t = !name ? undefined : c.spec?.templateScope === 'Cluster' ? get(ctx, R.clusterTemplate, undefined, name) : get(ctx, R.template, ns, name) ?? get(ctx, R.clusterTemplate, undefined, name)
      const found: string | null = t?.spec?.modelName ?? null
      tmplModel = found
      return found
    }
    const models = modelsOf(ctx, ns)
    return list(ctx, R.service, {namespace: ns})
      .filter((s) => {
        if (creator !== undefined && s.metadata.uid === creator) return false
        const rt = s.status?.resolvedTemplate
        if (!!s.metadata.deletionTimestamp || rt?.name === c.spec?.templateName || s.status?.cache?.templateCacheRef?.name === c.metadata.name) return true
        if (rt?.name) return false
        const tm = cacheModel()
        return tm === null || resolvedModelName(s, models) === tm
      })
      .map((s) => ({namespace: s.metadata.namespace, name: s.metadata.name!}))
  }
  // Services a model change can matter to: the ones it is (or was) resolved for, that name it, or whose
  // image it carries (before or after the change); custom-model, model-less and deleting services always.
  const byModel = (m: Obj, ctx: ReconcileContext, old?: Obj): ObjectKey[] => {
    const name = m.metadata.name
    const images = new Set([m.spec?.image, old?.spec?.image].filter((x): x is string => typeof x === 'string'))
    return list(ctx, R.service, m.metadata.namespace ? {namespace: m.metadata.namespace} : {})
      .filter((s) => {
        const sm = s.spec?.model
        if (s.metadata.deletionTimestamp || !sm || sm.custom || (!sm.name && !sm.image)) return true
        if (s.status?.resolvedModel?.name === name) return true
        if (sm.name) return sm.name === name
        return images.has(sm.image)
      })
      .map((s) => ({namespace: s.metadata.namespace, name: s.metadata.name!}))
  }
  return {
    name: `aim-${CONTROLLER}-controller`,
    for: R.service,
    ownStatusWritesSettle: true,
    // Of an InferenceService's status the service reads only whether it is Ready (inferenceServiceHealth).
    ownedChanged: (child, old, ctx) => {
      if (!old && createdByOwnApply(child)) return false
      if (child.kind !== 'InferenceService' || !old) return true
      if (!get(ctx, R.isvc, child.metadata.namespace, child.metadata.name!)) return true
      return !onlyStatusChangedBut(old as Obj, child as Obj, (o) => (o.status?.conditions ?? []).find((c: {type: string}) => c.type === 'Ready')?.status === 'True')
    },
    watches: [
      {kind: R.model, map: byModel},
      {kind: R.clusterModel, map: byModel},
      {kind: R.template, map: byTemplate},
      {kind: R.clusterTemplate, map: byTemplate},
      {kind: R.templateCache, map: byTemplateCache},
      {kind: R.runtimeConfig, map: allInNs},
      {kind: R.clusterRuntimeConfig, map: allInNs},
      {kind: R.kvCache, map: allInNs},
      {
        kind: R.pod,
        map: (p, ctx, old) => {
          // Only what podsHealth reads (phase, readiness, container waiting/terminated states), a pod
          // coming or going, or its InferenceService label changing can change the service's status.
          const isvc = p.metadata.labels?.[ISVC_LABEL]
          const before = old?.metadata.labels?.[ISVC_LABEL]
          if (old && isvc === before && podHealthView(old) === podHealthView(p) && get(ctx, R.pod, p.metadata.namespace, p.metadata.name!)) return []
          const keys = byIsvc(ctx, p.metadata.namespace, isvc)
          if (before && before !== isvc) keys.push(...byIsvc(ctx, p.metadata.namespace, before))
          return keys
        },
      },
      {
        kind: R.hpa,
        map: (h, ctx) => {
          const m = /^keda-hpa-(.+)-predictor$/.exec(h.metadata.name ?? '')
          return byIsvc(ctx, h.metadata.namespace, m?.[1])
        },
      },
      {
        kind: R.event,
        map: (e, ctx) => {
          const io = (e as any).involvedObject ?? (e as any).regarding
          if (!io?.name) return []
          // Only events the engine's health reads can change the status: an InferenceService's
          // Warnings (inferenceServiceHealth) and the pod reasons podsHealth looks for.
          if (io.kind === 'InferenceService') return (e as any).type === 'Warning' ? byIsvc(ctx, e.metadata.namespace, io.name) : []
          if (io.kind !== 'Pod' || !POD_EVENT_REASONS_READ.has((e as any).reason)) return []
          const pod = get(ctx, R.pod, e.metadata.namespace, io.name)
          // podsHealth reads events only while none of the InferenceService's pods is Running or
          // done: an event about a pod that is cannot change the answer (most are the event cap's deletions).
          const phase = pod?.status?.phase
          if (phase === 'Running' || phase === 'Succeeded') return []
          return byIsvc(ctx, e.metadata.namespace, pod?.metadata.labels?.[ISVC_LABEL])
        },
      },
    ],
    reconcile: reconcileService,
  }
}

/**
 * What a service reads from a (cluster) template's status: the overall status (selection names a
 * non-Ready candidate's status in its trace and in the "filtered out" counts), the discovered profile, hardware, node affinity and model sources (the
 * InferenceService's and the cache's inputs). Conditions, the discovery bookkeeping (discovery,
 * discoveryJob), hardwareSummary and the resolved references are not read, so a change to them
 * alone (most discovery steps of a template) enqueues no service.
 */
function templateStatusView(t: Obj): unknown {
  const st = t.status ?? {}
  return [st.status ?? '', st.profile, st.resolvedHardware, st.resolvedNodeAffinity, st.modelSources]
}

/**
 * What a service reads from a template cache, as one comparable string: identity, labels, owners,
 * deletion, spec, status.status (findCache, cacheHealth) and the Ready artifacts (the only ones an
 * InferenceService mounts). Artifact progress before then, and conditions, do not matter.
 */
function cacheView(c: Obj): string {
  const m = c.metadata
  const ready = Object.values((c.status?.artifacts ?? {}) as Record<string, any>)
    .filter((a) => a?.status === 'Ready')
    .map((a) => [a.name, a.persistentVolumeClaim, a.model])
  return JSON.stringify([m.name, m.uid, m.labels, m.ownerReferences, m.deletionTimestamp, c.spec, c.status?.status, ready])
}



interface Plan {
  obj: Obj
  opts: Omit<ApplyOptions, 'controller' | 'parent'>
}

function reconcileService(key: ObjectKey, ctx: ReconcileContext) {
  const svc = get(ctx, R.service, key.namespace, key.name)
  if (!svc || isPaused(svc)) return
  const ns = key.namespace!
  if (isDeleting(svc)) {
    // Shared caches outlive the service; only the ones that never became Ready are cleaned up.
    for (const tc of list(ctx, R.templateCache, {namespace: ns, labelSelector: `${SERVICE_LABEL}=${key.name}`})) {
      if (tc.status?.status !== 'Ready') deleteIfExists(ctx, R.templateCache, ns, tc.metadata.name!)
    }
    removeFinalizer(ctx, R.service, svc, SERVICE_FINALIZER)
    return
  }
  // Adding the finalizer is a metadata change: its watch event reconciles the service again.
  if (ensureFinalizer(ctx, R.service, svc, SERVICE_FINALIZER)) return

  const spec = svc.spec ?? {}
  const prev = svc.status ?? {}
  const components: Component[] = []
  const plans: Plan[] = []
  const status: Record<string, any> = {}

  // ---- runtime config
  const rc = resolveRuntimeConfig(ctx, ns, spec.runtimeConfigName)
  const rcComp = runtimeConfigComponent(rc)
  if (rcComp) components.push(rcComp)
  status.resolvedRuntimeConfig = rc.resolved ?? {name: rc.name, namespace: ns, scope: 'Namespace', kind: `${AIM_API_VERSION}/AIMRuntimeConfig`}
  const propagate = propagatedLabels(svc, rc.spec.labelPropagation)

  // ---- model
  const mr = resolveModel({service: svc, namespacedModels: list(ctx, R.model, {namespace: ns}), clusterModels: list(ctx, R.clusterModel)})
  let model: Obj | undefined
  if (mr.outcome === 'create') {
    plans.push({obj: mr.create as Obj, opts: {fields: []}})
    components.push({name: 'Model', health: mr.health, dependency: 'downstream'})
  } else if (mr.outcome === 'resolved') {
    model = mr.model as Obj
    components.push({name: 'Model', health: mr.health, dependency: 'upstream'})
    if (mr.health.state === 'Ready') status.resolvedModel = mr.ref
  } else {
    components.push({name: 'Model', health: mr.health, dependency: 'upstream'})
  }
  const modelReady = mr.outcome === 'resolved' && mr.health.state === 'Ready'

  // ---- template
  // The template lists are read only for an explicit name or a selection; a sticky template is one get.
  let nsList: Obj[] | undefined
  let clList: Obj[] | undefined
  const nsTemplates = (): Obj[] => (nsList ??= list(ctx, R.template, {namespace: ns}))
  const clTemplates = (): Obj[] => (clList ??= list(ctx, R.clusterTemplate))
  let template: Obj | undefined
  let scope: Scope | undefined
  let templateH: Health
  const explicit = spec.template?.name as string | undefined
  if (explicit) {
    const tr = resolveExplicitTemplate({service: svc, namespacedTemplates: nsTemplates(), clusterTemplates: clTemplates()})
    if (tr.outcome === 'resolved') {
      template = tr.template as Obj
      scope = tr.scope
      templateH = tr.health
    } else {
      // Seed 001: a model's customTemplates "can be referenced by name" — the alias label.
      const alias = byAlias(nsTemplates(), clTemplates(), explicit, model?.metadata.name)
      if (alias) {
        template = alias.template
        scope = alias.scope
        templateH = templateHealth(alias.template, alias.scope)
      } else templateH = tr.health
    }
  } else {
    const sticky = stickyTemplate(ctx, ns, prev.resolvedTemplate, model?.metadata.name)
    if (sticky) {
      template = sticky.template
      scope = sticky.scope
      templateH = templateHealth(sticky.template, sticky.scope)
    } else {
      const sel = selectTemplate({
        service: svc,
        modelName: modelReady || model ? model?.metadata.name : undefined,
        namespacedTemplates: nsTemplates(),
        clusterTemplates: clTemplates(),
        gpus: nodeInventory(ctx),
      })
      templateH = sel.health
      if (sel.outcome === 'selected' && sel.selected) {
        template = sel.selected.template as Obj
        scope = sel.selected.scope
      }
    }
  }
  components.push({name: 'Template', health: templateH, dependency: 'upstream'})
  const templateReady = !!template && template.status?.status === 'Ready'
  if (template && templateReady) status.resolvedTemplate = resolvedReference(template, scope!, templateKind(scope!))

  // ---- derived template for overrides (auto-selection of a Ready namespaced template only)
  const overrides = serviceOverrides(svc)
  if (!explicit && overrides && Object.keys(overrides).length && template && templateReady && scope === 'Namespace' && template.metadata.labels?.[L.origin] !== 'derived') {
    plans.push({obj: derivedTemplate(template, svc, overrides, cachingMode(spec)), opts: {owner: svc, fields: []}})
  }

  // ---- cache
  const mode = cachingMode(spec)
  let isvcName: string | undefined
  let namingError: Health | undefined
  try {
    isvcName = inferenceServiceName(key.name, ns)
  } catch (e) {
    if (!(e instanceof NamingError)) throw e
    namingError = {state: 'Failed', reason: 'FetchError', message: e.message, error: 'Infrastructure'}
  }
  const isvc = isvcName ? get(ctx, R.isvc, ns, isvcName) : undefined
  let cache = findCache(ctx, svc, mode, template, templateReady)
  if (!cache && template && templateReady && (template.status?.modelSources ?? []).length > 0) {
    const obj = plannedCache(svc, template, scope!, mode, rc.spec)
    plans.push({obj, opts: {owner: mode === 'Dedicated' ? svc : undefined, fields: []}})
  }
  const cacheComponentHealth = (i: Obj | undefined): Health => {
    const hasCacheVolume = ((i?.spec as any)?.predictor?.volumes ?? []).some((v: any) => v.name !== 'dshm' && v.persistentVolumeClaim)
    return cacheHealth(cache, {mode, isvcHasCacheVolume: hasCacheVolume})
  }
  const cacheComponent: Component = {name: 'Cache', health: cacheComponentHealth(isvc), dependency: 'downstream'}
  components.push(cacheComponent)
  if (cache) status.cache = {templateCacheRef: {name: cache.metadata.name, namespace: ns, uid: cache.metadata.uid}}

  // ---- InferenceService
  const autoscaling = autoscalingFor(spec, isvcName ?? key.name)
  let isvcReady = false
  // Set when this reconcile creates the InferenceService: its components are then observed again
  // after the apply (below), so the status written is the one the create's watch event would give.
  let isvcCreated: {isvcIndex: number} | undefined
  // Set when the InferenceService is (re)built: records, after the apply, what it was built from.
  let isvcPlanned: (() => void) | undefined
  // The InferenceService and its pods' components as seen from `i` (the stored object or none).
  const isvcComponents = (i: Obj | undefined): Component[] => {
    const out: Component[] = [{name: 'InferenceService', health: inferenceServiceHealth(i, eventsFor(ctx, ns, i ? [i.metadata.name!] : [])), dependency: 'downstream'}]
    if (i) {
      const pods = list(ctx, R.pod, {namespace: ns, labelSelector: `${ISVC_LABEL}=${isvcName}`})
      const podEvents = podEventsFor(ctx, ns, pods)
      out.push({name: 'InferenceServicePods', health: podsHealth(pods, podEvents), dependency: 'unspecified'})
    }
    return out
  }
  if (namingError) components.push({name: 'InferenceService', health: namingError, dependency: 'downstream'})
  else {
    const cacheReady = cache?.status?.status === 'Ready'
    if (template && templateReady && model && (isvc || (modelReady && cacheReady))) {
      const memo = !template.spec?.customProfile ? appliedIsvcs(ctx) : undefined
      if (!(isvc && memo && sameInputs(memo.get(`${ns}/${key.name}`), isvcInputs(svc, model, template, rc, isvcName!, isvc)))) {
        const built = buildInferenceService(svc, isvcName!, model, template, rc.spec, cache, isvc, autoscaling)
        plans.push({obj: built.isvc, opts: {owner: svc, fields: ['spec']}})
        if (built.configMap) plans.push({obj: built.configMap, opts: {owner: svc}})
        if (!isvc) isvcCreated = {isvcIndex: components.length}
        if (memo) isvcPlanned = () => {
          const now = get(ctx, R.isvc, ns, isvcName!)
          if (now) memo.set(`${ns}/${key.name}`, isvcInputs(svc, model!, template!, rc, isvcName!, now))
          else memo.delete(`${ns}/${key.name}`)
        }
      }
    }
    const isvcComps = isvcComponents(isvc)
    isvcReady = isvcComps[0]!.health.state === 'Ready'
    components.push(...isvcComps)
  }

  // ---- routing
  const routing = resolveRouting(spec, rc.spec as any)
  const routeName = httpRouteName(key.name, ns)
  if (!routing.enabled) {
    // Routing switched off: the route this service owned goes away.
    const stale = get(ctx, R.httpRoute, ns, routeName)
    if (stale && isOwnedBy(stale, svc)) deleteIfExists(ctx, R.httpRoute, ns, routeName)
  } else {
    if (routing.error) {
      components.push({name: 'HTTPRoute', health: routing.error, dependency: 'downstream'})
    } else {
      const path = renderPathTemplate(routing.pathTemplate, svc)
      if (!path.ok) {
        // Seeds win: a path that cannot be rendered leaves the service Degraded and creates no route.
        components.push({name: 'HTTPRoute', health: {state: 'Degraded', reason: path.reason, message: path.message}, dependency: 'downstream'})
        if (get(ctx, R.httpRoute, ns, routeName)) deleteIfExists(ctx, R.httpRoute, ns, routeName)
      } else {
        status.routing = {path: path.path}
        plans.push({obj: buildRoute(svc, routeName, isvcName ?? key.name, path.path, routing), opts: {owner: svc, fields: ['spec']}})
        components.push({name: 'HTTPRoute', health: httpRouteHealth(get(ctx, R.httpRoute, ns, routeName)), dependency: 'downstream'})
      }
    }
  }

  // ---- autoscaling
  let hpa: Obj | undefined
  let hpaComponent: Component | undefined
  if (autoscaling.enabled && isvcName) {
    hpa = get(ctx, R.hpa, ns, hpaName(isvcName))
    hpaComponent = {name: 'HPA', health: hpaHealth(hpa, isvcReady), dependency: 'downstream'}
    components.push(hpaComponent)
  }
  // The engine renders `replicas` as the operator's display string; the API schema (src/api) types
  // it as an integer, so the stored value is the current replica count.
  status.runtime = runtimeStatus(spec, hpa)

  // ---- KV cache (seed 000)
  const kv = spec.kvCache as {name?: string; type?: string; image?: string; env?: EnvVar[]; storage?: unknown; resources?: unknown} | undefined
  const ownKv = get(ctx, R.kvCache, ns, `kvcache-${key.name}`)
  if (ownKv && isOwnedBy(ownKv, svc) && (!kv || kv.name)) deleteIfExists(ctx, R.kvCache, ns, `kvcache-${key.name}`)
  if (kv && (kv.name || kv.type)) {
    const kvName = kv.name || `kvcache-${key.name}`
    if (!kv.name) {
      plans.push({
        obj: {
          apiVersion: AIM_API_VERSION,
          kind: 'AIMKVCache',
          metadata: {name: kvName, namespace: ns},
          spec: {
            kvCacheType: kv.type ?? 'redis',
            ...(kv.image ? {image: kv.image} : {}),
            ...(kv.env ? {env: clone(kv.env)} : {}),
            ...(kv.storage ? {storage: clone(kv.storage)} : {}),
            ...(kv.resources ? {resources: clone(kv.resources)} : {}),
          },
        },
        opts: {owner: svc, fields: []},
      })
    }
    const kvObj = get(ctx, R.kvCache, ns, kvName)
    const kvHealth: Health = !kvObj
      ? kv.name
        ? {state: 'Failed', reason: 'KVCacheNotFound', message: `AIMKVCache ${kvName} not found`, error: 'MissingUpstreamDependency'}
        : {state: 'Progressing', reason: 'KVCacheCreating', message: `Creating AIMKVCache ${kvName}`}
      : kvObj.status?.status === 'Ready'
        ? {state: 'Ready', reason: 'KVCacheReady', message: `AIMKVCache ${kvName} is ready`}
        : kvObj.status?.status === 'Failed'
          ? {state: 'Failed', reason: 'KVCacheFailed', message: `AIMKVCache ${kvName} failed`}
          : {state: 'Progressing', reason: 'KVCacheNotReady', message: `AIMKVCache ${kvName} is not ready yet`}
    components.push({name: 'KVCache', health: kvHealth, dependency: 'downstream'})
  }

  let result = finishStatus(components, 'service', undefined, prev.conditions)
  // Apply is blocked by Auth, InvalidSpec and MissingUpstream errors (reference §1 phase 7).
  if (!result.blocked) {
    applying = {uid: svc.metadata.uid!, namespace: ns, name: key.name}
    try {
      for (const p of plans) applyChild(ctx, p.obj, {controller: CONTROLLER, parent: svc, propagate, ...p.opts})
    } finally {
      applying = undefined
    }
    isvcPlanned?.()
    // An InferenceService created just now: its components as the next reconcile (its create event)
    // would see them — the object without status, no pods yet — so that status is written once, at
    // the same virtual instant, instead of twice (same conditions, transition times and events).
    const created = isvcCreated && get(ctx, R.isvc, ns, isvcName!)
    if (isvcCreated && created) {
      cacheComponent.health = cacheComponentHealth(created)
      const comps = isvcComponents(created)
      components.splice(isvcCreated.isvcIndex, 1, ...comps)
      isvcReady = comps[0]!.health.state === 'Ready'
      if (hpaComponent) hpaComponent.health = hpaHealth(hpa, isvcReady)
      result = finishStatus(components, 'service', undefined, prev.conditions)
    }
  }
  // (`status` is this reconcile's own object, without a `status` member yet: set in place, in the same key order as a spread.)
  status.status = result.status
  writeStatus(ctx, R.service, svc, status, result.conditions, `aim-${CONTROLLER}-controller`)
  // Infrastructure errors retry with a delay; everything else is driven by watches.
  if (components.some((c) => c.health.error === 'Infrastructure')) return {requeueAfterMs: 10_000}
  return undefined
}

/**
 * Per store and service: what its InferenceService was last built from and found as after the apply,
 * as object identities (the store keeps the unchanged parts of an object, such as spec and labels,
 * across status writes). The same inputs against the same InferenceService build the same object and
 * apply nothing, so both are skipped; any other input, or a change to the InferenceService's spec or
 * metadata by anyone, builds and applies it again.
 */
const isvcsApplied = new WeakMap<object, Map<string, unknown[]>>()
function appliedIsvcs(ctx: ReconcileContext): Map<string, unknown[]> {
  let m = isvcsApplied.get(ctx.store)
  if (!m) isvcsApplied.set(ctx.store, (m = new Map()))
  return m
}

/** Everything buildInferenceService and applyChild read for an existing InferenceService (custom profiles aside). */
function isvcInputs(svc: Obj, model: Obj, template: Obj, rc: {namespaced?: Obj; cluster?: Obj}, name: string, isvc: Obj): unknown[] {
  const m = isvc.metadata
  return [
    svc.spec,
    svc.metadata.labels,
    svc.metadata.uid,
    model.spec,
    model.metadata.name,
    template,
    rc.namespaced?.spec,
    rc.cluster?.spec,
    name,
    isvc.spec,
    m.labels,
    m.annotations,
    m.ownerReferences,
    m.deletionTimestamp,
  ]
}

function sameInputs(a: unknown[] | undefined, b: unknown[]): boolean {
  if (!a || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function byAlias(ns: Obj[], cl: Obj[], alias: string, modelName: string | undefined): {template: Obj; scope: Scope} | undefined {
  const match = (t: Obj) => t.metadata.labels?.[ALIAS_LABEL] === alias && (!modelName || t.spec?.modelName === modelName)
  const n = ns.find(match)
  if (n) return {template: n, scope: 'Namespace'}
  const c = cl.find(match)
  return c ? {template: c, scope: 'Cluster'} : undefined
}

function stickyTemplate(ctx: ReconcileContext, ns: string, ref: any, modelName: string | undefined): {template: Obj; scope: Scope} | undefined {
  if (!ref?.name) return undefined
  const scope: Scope = ref.scope === 'Cluster' ? 'Cluster' : 'Namespace'
  const t = scope === 'Cluster' ? get(ctx, R.clusterTemplate, undefined, ref.name) : get(ctx, R.template, ns, ref.name)
  if (!t || t.status?.status !== 'Ready') return undefined
  if (modelName && t.spec?.modelName !== modelName) return undefined
  return {template: t, scope}
}

/** The usable template cache: the sticky reference, else by derived name (Dedicated) or the best Shared one. */
function findCache(ctx: ReconcileContext, svc: Obj, mode: 'Shared' | 'Dedicated', template: Obj | undefined, templateReady: boolean): Obj | undefined {
  const ns = svc.metadata.namespace!
  const usable = (c: Obj | undefined) =>
    !!c && !isDeleting(c) && (mode === 'Dedicated' ? c.spec?.mode === 'Dedicated' && isOwnedBy(c, svc) : (c.spec?.mode ?? 'Shared') === 'Shared')
  const ref = svc.status?.cache?.templateCacheRef
  if (ref?.name) {
    const c = get(ctx, R.templateCache, ns, ref.name)
    if (usable(c) && c!.status?.status === 'Ready' && (!template || c!.spec?.templateName === template.metadata.name)) return c
  }
  if (!template || !templateReady) return undefined
  if (mode === 'Dedicated') {
    const c = get(ctx, R.templateCache, ns, templateCacheName(template.metadata.name!, {svcName: svc.metadata.name, svcUid: svc.metadata.uid}, 'Dedicated'))
    return usable(c) ? c : undefined
  }
  const order: Record<string, number> = {Ready: 0, Progressing: 1, Pending: 2, Degraded: 3, NotAvailable: 4, Failed: 5}
  return list(ctx, R.templateCache, {namespace: ns})
    .filter((c) => usable(c) && c.spec?.templateName === template.metadata.name)
    .sort((a, b) => (order[a.status?.status ?? 'Pending'] ?? 6) - (order[b.status?.status ?? 'Pending'] ?? 6) || a.metadata.name!.localeCompare(b.metadata.name!))[0]
}

function plannedCache(svc: Obj, template: Obj, scope: Scope, mode: 'Shared' | 'Dedicated', rcSpec: Record<string, any>): Obj {
  const ns = svc.metadata.namespace!
  const spec = svc.spec ?? {}
  let env = mergeEnv(template.spec?.env, scope === 'Namespace' ? template.spec?.caching?.env : undefined)
  env = mergeEnv(env, spec.env)
  const storageClass = spec.storage?.defaultStorageClassName ?? rcSpec.storage?.defaultStorageClassName ?? ''
  return {
    apiVersion: AIM_API_VERSION,
    kind: 'AIMTemplateCache',
    metadata: {
      name: templateCacheName(template.metadata.name!, {namespace: ns, svcName: svc.metadata.name, svcUid: svc.metadata.uid}, mode),
      namespace: ns,
      labels: {[SERVICE_LABEL]: svc.metadata.name!},
    },
    spec: {
      templateName: template.metadata.name,
      templateScope: scope,
      mode,
      ...(storageClass ? {storageClassName: storageClass} : {}),
      ...(spec.runtimeConfigName ? {runtimeConfigName: spec.runtimeConfigName} : {}),
      ...(env.length ? {env} : {}),
    },
  }
}

function derivedTemplate(base: Obj, svc: Obj, overrides: ReturnType<typeof serviceOverrides> & object, mode: 'Shared' | 'Dedicated'): Obj {
  const spec = clone(base.spec ?? {})
  const o = svc.spec?.overrides ?? {}
  if (o.metric) spec.metric = o.metric
  if (o.precision) spec.precision = o.precision
  if (o.hardware) spec.hardware = {...(spec.hardware ?? {}), ...clone(o.hardware), ...(o.hardware.gpu ? {gpu: {...(spec.hardware?.gpu ?? {}), ...clone(o.hardware.gpu)}} : {})}
  spec.runtimeConfigName = 'default'
  if (svc.spec?.imagePullSecrets) spec.imagePullSecrets = clone(svc.spec.imagePullSecrets)
  if (svc.spec?.resources) spec.resources = clone(svc.spec.resources)
  if (mode === 'Shared') spec.caching = {...(spec.caching ?? {}), enabled: true}
  return {
    apiVersion: AIM_API_VERSION,
    kind: 'AIMServiceTemplate',
    metadata: {
      name: derivedTemplateName(base.metadata.name!, overrides),
      namespace: svc.metadata.namespace,
      labels: {[L.origin]: 'derived', [L.managedBy]: 'aim-engine', [L.model]: spec.modelName},
    },
    spec,
  }
}

function buildInferenceService(
  svc: Obj,
  name: string,
  model: Obj,
  template: Obj,
  rcSpec: Record<string, any>,
  cache: Obj | undefined,
  existing: Obj | undefined,
  autoscaling: ReturnType<typeof autoscalingFor>,
): {isvc: Obj; configMap?: Obj} {
  const ns = svc.metadata.namespace!
  const spec = svc.spec ?? {}
  const tspec = template.spec ?? {}
  const meta = template.status?.profile?.metadata ?? {}
  const labels: Record<string, string> = {
    [L.appComponent]: 'inference',
    [L.managedBy]: 'aim-engine',
    [L.template]: sanitizeLabelValue(template.metadata.name!),
    [SERVICE_LABEL]: sanitizeLabelValue(svc.metadata.name!),
    [L.model]: sanitizeLabelValue(tspec.modelName ?? model.metadata.name!),
  }
  if (meta.metric) labels[L.metric] = sanitizeLabelValue(meta.metric)
  if (meta.precision) labels[L.precision] = sanitizeLabelValue(meta.precision)

  let env = buildInferenceEnv({runtimeConfigEnv: rcSpec.env, template: tspec, templateModelSources: tspec.modelSources, serviceEnv: spec.env})
  const volumes: any[] = [{name: 'dshm', emptyDir: {medium: 'Memory', sizeLimit: '8Gi'}}]
  const mounts: any[] = [{name: 'dshm', mountPath: '/dev/shm'}]

  // Cache volumes: on create from the Ready artifacts of the template cache; on update, kept as they are.
  const prevPredictor = (existing?.spec as any)?.predictor
  if (prevPredictor) {
    for (const v of prevPredictor.volumes ?? []) if (v.name !== 'dshm' && v.name !== 'custom-profile') volumes.push(clone(v))
    const c0 = (prevPredictor.containers ?? [])[0]
    for (const m of c0?.volumeMounts ?? []) if (m.name !== 'dshm' && m.name !== 'custom-profile') mounts.push(clone(m))
  } else if (cache) {
    const arts = Object.values(cache.status?.artifacts ?? {}) as any[]
    for (const a of arts.sort((x, y) => String(x.name).localeCompare(String(y.name)))) {
      if (a.status !== 'Ready' || !a.persistentVolumeClaim) continue
      const vname = makeRfc1123Compliant(String(a.name).replace(/\./g, '-'))
      volumes.push({name: vname, persistentVolumeClaim: {claimName: a.persistentVolumeClaim}})
      mounts.push({name: vname, mountPath: `/workspace/cache/${String(a.model ?? '').replace(/\.\./g, '')}`})
    }
  }

  // Custom profile (seed 001): a ConfigMap with the profile YAML, mounted, and AIM_PROFILE_ID set.
  let configMap: Obj | undefined
  if (tspec.customProfile) {
    const profileId = `custom-${template.metadata.name}`
    const aimId = tspec.aimId ?? model.status?.imageMetadata?.model?.canonicalName ?? tspec.modelId ?? model.metadata.name
    const gpu = template.status?.resolvedHardware?.gpu ?? tspec.hardware?.gpu ?? {}
    const profile = {
      aim_id: aimId,
      model_id: tspec.modelId ?? aimId,
      metadata: {
        engine: 'vllm',
        ...(gpu.model ? {gpu: gpu.model} : {}),
        gpu_count: gpu.requests ?? 0,
        ...(tspec.metric ? {metric: tspec.metric} : {}),
        ...(tspec.precision ? {precision: tspec.precision} : {}),
        type: 'custom',
      },
      engine_args: tspec.customProfile.engineArgs ?? {},
      env_vars: tspec.customProfile.envVars ?? {},
    }
    configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: `${name}-custom-profile`, namespace: ns, labels: {[L.appComponent]: 'custom-profile'}},
      data: {[`${profileId}.yaml`]: toYaml(profile)},
    }
    volumes.push({name: 'custom-profile', configMap: {name: `${name}-custom-profile`}})
    mounts.push({name: 'custom-profile', mountPath: `${CUSTOM_PROFILE_DIR}/`, readOnly: true})
    env = sortEnv(
      mergeEnv(env, [
        {name: 'AIM_ID', value: String(aimId)},
        {name: 'AIM_PROFILE_ID', value: profileId},
      ]),
    )
  }

  const hw = template.status?.resolvedHardware?.gpu ?? {}
  const resources = inferenceResources({gpuCount: hw.requests ?? 0, gpuResourceName: hw.resourceName, templateResources: tspec.resources, serviceResources: spec.resources})
  const predictor: Record<string, unknown> = {
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    ...(autoscaling.metrics ? {autoScaling: {metrics: clone(autoscaling.metrics)}} : {}),
    ...(spec.imagePullSecrets ? {imagePullSecrets: clone(spec.imagePullSecrets)} : {}),
    ...(spec.serviceAccountName ? {serviceAccountName: spec.serviceAccountName} : {}),
    ...(template.status?.resolvedNodeAffinity ? {affinity: {nodeAffinity: clone(template.status.resolvedNodeAffinity)}} : {}),
    containers: [
      {
        name: 'kserve-container',
        image: model.spec.image,
        ports: [{containerPort: 8000, name: 'http', protocol: 'TCP'}],
        env,
        resources,
        volumeMounts: mounts,
      },
    ],
    volumes,
  }
  const isvc: Obj = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {name, namespace: ns, labels, annotations: {...autoscaling.annotations}},
    spec: {predictor},
  }
  return {isvc, configMap}
}

function buildRoute(svc: Obj, name: string, isvcName: string, path: string, routing: ReturnType<typeof resolveRouting>): Obj {
  const ns = svc.metadata.namespace!
  const rule: Record<string, unknown> = {
    matches: [{path: {type: 'PathPrefix', value: path}}],
    filters: [{type: 'URLRewrite', urlRewrite: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/'}}}],
    backendRefs: [{group: '', kind: 'Service', name: `${isvcName}-predictor`, namespace: ns, port: 80}],
  }
  if (routing.requestTimeout) rule.timeouts = {request: routing.requestTimeout}
  const gw = routing.gatewayRef!
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name,
      namespace: ns,
      labels: {[L.appComponent]: 'routing', [L.managedBy]: 'aim-engine', [SERVICE_LABEL]: svc.metadata.name!},
      ...(Object.keys(routing.annotations).length ? {annotations: {...routing.annotations}} : {}),
    },
    spec: {
      parentRefs: [{group: 'gateway.networking.k8s.io', kind: 'Gateway', ...clone(gw)}],
      rules: [rule],
    },
  }
}

/** Labels the runtime config's labelPropagation copies from the service (filepath.Match globs). */
function propagatedLabels(svc: Obj, lp: {enabled?: boolean; match?: string[]} | undefined): Record<string, string> {
  if (!lp?.enabled) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if ((lp.match ?? []).some((g) => globMatch(g, k))) out[k] = v
  }
  return out
}

function globMatch(glob: string, s: string): boolean {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
  return new RegExp(`^${re}$`).test(s)
}

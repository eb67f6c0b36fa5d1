/**
 * AIMModel / AIMClusterModel (reference §5.1): image metadata from the simulated registry, one owned
 * template per recommended deployment plus the customTemplates (seed 001), and the model's status
 * aggregated from its templates.
 */
import {labels as L} from '../../../src/api/labels.js'
import type {KindInfo} from '../../../src/api/registry.js'
import {customTemplateName, templateNameForDeployment} from '../../../src/engine/naming.js'
import type {Health} from '../../../src/engine/types.js'
import type {Reconciler, ReconcileContext, ObjectKey} from '../types.js'
import {AIM_API_VERSION, R, applyChild, byLabel, runtimeConfigWatches, clone, get, isDeleting, isPaused, list, writeStatus, type Obj} from './common.js'
import {finishStatus, type Component} from './health.js'
import {aggregateModelTemplates, mergeEnv, parseImageMetadata, templatesExpected} from '../../../src/engine/index.js'
import {resolveRuntimeConfig, runtimeConfigComponent} from './runtimeconfig.js'
import {onlyStatusChangedBut} from '../../store/util.js'

const MODEL_LABEL = L.model
const ORIGIN_LABEL = L.origin
const ALIAS_LABEL = L.templateAlias

const INFRA_GRACE_MS = 10_000

export function modelReconciler(cluster: boolean): Reconciler {
  const info = cluster ? R.clusterModel : R.model
  const tplInfo = cluster ? R.clusterTemplate : R.template
  const controller = cluster ? 'cluster-model' : 'model'
  const byModelLabel = byLabel(MODEL_LABEL, !cluster)
  // Of its templates a model reads only status.status, through aggregateModelTemplates: a template's
  // other status changes (conditions, discovery progress), and a status that leaves the aggregate as
  // it was, cannot change the model.
  // A template the reconcile in progress creates is in the list it reads right after: nothing new either.
  const templateStatusOnly = (t: Obj, old: Obj | undefined, ctx: ReconcileContext): boolean => {
    if (t.kind !== tplInfo.kind) return false
    if (!old) return creating?.kind === info.kind && creating.namespace === t.metadata.namespace && creating.name === t.metadata.labels?.[MODEL_LABEL]
    if (!onlyStatusChangedBut(old, t, () => undefined) || !get(ctx, tplInfo, t.metadata.namespace, t.metadata.name!)) return false
    if ((old.status?.status ?? '') === (t.status?.status ?? '')) return true
    // A new status.status of one template that leaves its model's aggregate as it was.
    const model = t.metadata.labels?.[MODEL_LABEL]
    if (!model) return true
    const siblings = list(ctx, tplInfo, {namespace: cluster ? undefined : t.metadata.namespace, labelSelector: `${MODEL_LABEL}=${model}`})
    const now = siblings.map((x) => x.status?.status ?? '')
    const before = siblings.map((x) => (x.metadata.name === t.metadata.name ? (old.status?.status ?? '') : (x.status?.status ?? '')))
    // With the template among them the aggregate does not depend on `expected`.
    const a = aggregateModelTemplates(before, undefined)
    const b = aggregateModelTemplates(now, undefined)
    return a.status === b.status && a.state === b.state && a.reason === b.reason && a.message === b.message
  }
  return {
    name: `aim-${controller}-controller`,
    for: info,
    ownStatusWritesSettle: true,
    // The templates it owns reach it through their owner reference as well as their label.
    ownedChanged: (child, old, ctx) => !templateStatusOnly(child as Obj, old as Obj | undefined, ctx),
    watches: [{kind: tplInfo, map: (t, ctx, old) => (templateStatusOnly(t as Obj, old as Obj | undefined, ctx) ? [] : byModelLabel(t))}, ...runtimeConfigWatches(info)],
    reconcile: (key, ctx) => reconcileModel(key, ctx, info, tplInfo, controller, cluster),
  }
}

/** The model whose templates the reconcile in progress is creating. */
let creating: {kind: string; namespace: string | undefined; name: string} | undefined

function reconcileModel(key: ObjectKey, ctx: ReconcileContext, info: KindInfo, tplInfo: KindInfo, controller: string, cluster: boolean) {
  const model = get(ctx, info, key.namespace, key.name)
  if (!model || isDeleting(model) || isPaused(model)) return
  creating = {kind: info.kind, namespace: key.namespace, name: key.name}
  try {
    return reconcileLiveModel(key, ctx, info, tplInfo, controller, cluster, model)
  } finally {
    creating = undefined
  }
}

function reconcileLiveModel(key: ObjectKey, ctx: ReconcileContext, info: KindInfo, tplInfo: KindInfo, controller: string, cluster: boolean, model: Obj) {
  const spec = model.spec ?? {}
  const components: Component[] = []
  let requeueAfterMs: number | undefined

  const rc = resolveRuntimeConfig(ctx, cluster ? undefined : key.namespace, spec.runtimeConfigName)
  const rcComp = runtimeConfigComponent(rc)
  if (rcComp) components.push(rcComp)

  // ---- image metadata
  let metadata = spec.imageMetadata ?? model.status?.imageMetadata
  let metaHealth: Health
  const extract = spec.discovery?.extractMetadata !== false
  if (!extract) {
    metadata = undefined
    metaHealth = {state: 'Ready', reason: 'MetadataExtractionDisabled', message: 'Metadata extraction is disabled'}
  } else if (metadata) {
    metaHealth = metadataReady(metadata)
  } else {
    const inspected = ctx.images.inspect(spec.image)
    if (inspected) {
      const {error, ...parsed} = parseImageMetadata(inspected.labels)
      metadata = parsed
      metaHealth = error ? {state: 'Failed', reason: 'ImageMetadataInvalid', message: error, error: 'InvalidSpec'} : metadataReady(metadata)
    } else {
      metaHealth = {
        state: 'Degraded',
        reason: 'ImageNotFound',
        message: `Failed to fetch image metadata for ${spec.image}: image not found in registry`,
        error: 'Infrastructure',
      }
    }
  }
  // Infrastructure errors keep the old status for 10s before the model turns Degraded; the start of
  // the error is the transition time of the ImageMetadataReady condition (no state outside the store).
  let infraPending = false
  if (metaHealth.error === 'Infrastructure') {
    const prevCond = (model.status?.conditions ?? []).find((c: any) => c.type === 'ImageMetadataReady')
    const since = prevCond?.status === 'False' && prevCond.reason === metaHealth.reason ? Date.parse(prevCond.lastTransitionTime) : ctx.clock.now()
    const waited = ctx.clock.now() - since
    if (waited < INFRA_GRACE_MS) {
      infraPending = true
      requeueAfterMs = INFRA_GRACE_MS - waited
    } else requeueAfterMs = 60_000
  }
  components.push({name: 'ImageMetadata', health: metaHealth, dependency: 'unspecified'})

  const custom = (spec.modelSources ?? []).length > 0
  const recommended: any[] = metadata?.model?.recommendedDeployments ?? []
  const customTemplates: any[] = spec.customTemplates ?? []
  const expected = templatesExpected({spec, metadata: extract ? metadata : undefined})

  // ---- templates
  if (expected && !metaHealth.error) {
    for (const t of planTemplates(model, tplInfo, cluster, recommended, customTemplates)) {
      applyChild(ctx, t, {controller, parent: model, owner: model, fields: []})
    }
  }
  const templates = list(ctx, tplInfo, {
    namespace: cluster ? undefined : key.namespace,
    labelSelector: `${MODEL_LABEL}=${key.name}`,
  })
  const agg = aggregateModelTemplates(templates.map((t) => t.status?.status ?? ''), expected)
  components.push({name: cluster ? 'ClusterServiceTemplates' : 'ServiceTemplates', health: {state: agg.state, reason: agg.reason, message: agg.message}, dependency: cluster ? 'upstream' : 'unspecified'})

  const result = finishStatus(components, 'other', infraPending ? (model.status?.status ?? 'Pending') : undefined, model.status?.conditions)
  const status: Record<string, unknown> = {
    status: result.status,
    sourceType: custom ? 'Custom' : 'Image',
    ...(rc.resolved ? {resolvedRuntimeConfig: rc.resolved} : {}),
    ...(metadata ? {imageMetadata: metadata} : {}),
  }
  writeStatus(ctx, info, model, status, result.conditions, `aim-${controller}-controller`)
  if (requeueAfterMs !== undefined) return {requeueAfterMs}
  return undefined
}

function metadataReady(metadata: any): Health {
  return metadata?.model?.canonicalName
    ? {state: 'Ready', reason: 'ImageMetadataFound', message: `Image metadata found for ${metadata.model.canonicalName}`}
    : {state: 'Ready', reason: 'ImageFound', message: 'Image found'}
}

function planTemplates(model: Obj, tplInfo: KindInfo, cluster: boolean, recommended: any[], customTemplates: any[]): Obj[] {
  const spec = model.spec ?? {}
  const name = model.metadata.name!
  const out: Obj[] = []
  const base = (tplName: string, extraLabels: Record<string, string> = {}): Obj => ({
    apiVersion: AIM_API_VERSION,
    kind: tplInfo.kind,
    metadata: {
      name: tplName,
      ...(cluster ? {} : {namespace: model.metadata.namespace}),
      labels: {[MODEL_LABEL]: name, [ORIGIN_LABEL]: 'auto-generated', ...extraLabels},
    },
    spec: {
      modelName: name,
      ...(spec.imagePullSecrets ? {imagePullSecrets: clone(spec.imagePullSecrets)} : {}),
      ...(spec.serviceAccountName ? {serviceAccountName: spec.serviceAccountName} : {}),
    },
  })
  const custom = (spec.modelSources ?? []).length > 0
  if (!custom) {
    for (const d of recommended) {
      const t = base(templateNameForDeployment({name, image: spec.image}, {gpuModel: d.gpuModel, gpuCount: d.gpuCount, metric: d.metric, precision: d.precision}))
      if (d.metric) t.spec.metric = d.metric
      if (d.precision) t.spec.precision = d.precision
      if (d.profileId) t.spec.profileId = d.profileId
      if (d.gpuModel && d.gpuCount) t.spec.hardware = {gpu: {requests: d.gpuCount, model: d.gpuModel}}
      out.push(t)
    }
  }
  customTemplates.forEach((ct, index) => {
    const hardware = mergeHardware(spec.custom?.hardware, ct.hardware)
    const tplName = customTemplateName(name, index, {
      name: ct.name,
      precision: ct.profile?.precision,
      metric: ct.profile?.metric,
      gpuCount: hardware?.gpu?.requests,
      gpuModel: hardware?.gpu?.model,
    })
    const t = base(tplName, ct.name ? {[ALIAS_LABEL]: ct.name} : {})
    t.spec.type = ct.type ?? 'unoptimized'
    if (ct.profile?.metric) t.spec.metric = ct.profile.metric
    if (ct.profile?.precision) t.spec.precision = ct.profile.precision
    if (hardware) t.spec.hardware = hardware
    const env = mergeEnv(spec.env, ct.env) as any[]
    if (env.length) t.spec.env = env
    if (custom) t.spec.modelSources = clone(spec.modelSources)
    if (ct.aimId) t.spec.aimId = ct.aimId
    if (ct.modelId) t.spec.modelId = ct.modelId
    if (ct.customProfile) t.spec.customProfile = clone(ct.customProfile)
    out.push(t)
  })
  if (custom && customTemplates.length === 0) {
    const hardware = spec.custom?.hardware
    const t = base(customTemplateName(name, 0, {gpuCount: hardware?.gpu?.requests, gpuModel: hardware?.gpu?.model}))
    t.spec.type = spec.custom?.type ?? 'unoptimized'
    t.spec.modelSources = clone(spec.modelSources)
    if (hardware) t.spec.hardware = clone(hardware)
    if (hardware?.cpu?.requests) t.spec.resources = {requests: {cpu: hardware.cpu.requests}}
    if ((spec.env ?? []).length) t.spec.env = clone(spec.env)
    out.push(t)
  }
  return out
}

/** customTemplates merge hardware field by field, the template winning. */
function mergeHardware(base: any, over: any): any {
  if (!base && !over) return undefined
  return {
    ...(base ?? {}),
    ...(over ?? {}),
    ...(base?.gpu || over?.gpu ? {gpu: {...(base?.gpu ?? {}), ...(over?.gpu ?? {})}} : {}),
    ...(base?.cpu || over?.cpu ? {cpu: {...(base?.cpu ?? {}), ...(over?.cpu ?? {})}} : {}),
  }
}

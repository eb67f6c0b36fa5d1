/**
 * The older API (aim.silogen.ai, seeds 000 and 003): the simulator serves those kinds and converts
 * them. Each legacy object is translated with the engine's convertLegacy into its aim.eai.amd.com
 * counterpart (same name and namespace, owned by the legacy object, so deleting it cleans up), and the
 * counterpart's status is mirrored back (Ready → Available where the old API said so).
 */
import {LEGACY_AIM_KINDS, type KindInfo, registry} from '../../../src/api/registry.js'
import {convertLegacy} from '../../../src/engine/convert.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {AIM_API_VERSION, applyChild, clone, deepEqual, get, isDeleting, isPaused, list, stripUndefined, type Obj} from './common.js'
import {isApiError} from '../../../src/api/status.js'
import {LEGACY_SERVICE_CONDITION_TYPES, legacyServiceConditions} from '../legacy/conditions.js'

const CONTROLLER = 'legacy'
/** Old kinds whose status said Available where the new API says Ready. */
const AVAILABLE_KINDS = new Set(['AIMServiceTemplate', 'AIMClusterServiceTemplate', 'AIMTemplateCache', 'ModelCache', 'AIMModelCache'])

export function legacyReconcilers(): Reconciler[] {
  return LEGACY_AIM_KINDS.map((info) => ({
    name: `aim-legacy-${info.singular}-controller`,
    for: info,
    reconcile: (key: ObjectKey, ctx: ReconcileContext) => reconcileLegacy(info, key, ctx),
  }))
}

function legacyImages(ctx: ReconcileContext, namespace: string | undefined): Obj[] {
  const ns = LEGACY_AIM_KINDS.find((k) => k.kind === 'AIMImage')
  const cl = LEGACY_AIM_KINDS.find((k) => k.kind === 'AIMClusterImage')
  return [...(ns && namespace ? list(ctx, ns, {namespace}) : []), ...(cl ? list(ctx, cl) : [])]
}

/** The aim.eai.amd.com object a legacy object becomes, or undefined when it has no equivalent. */
export function counterpart(ctx: ReconcileContext, obj: Obj): Obj | undefined {
  if (obj.kind === 'AIMKVCache') {
    // AIMKVCache is served in the new group too (seed 000); the spec carries over as is.
    return {apiVersion: AIM_API_VERSION, kind: 'AIMKVCache', metadata: {name: obj.metadata.name, namespace: obj.metadata.namespace, labels: obj.metadata.labels}, spec: clone(obj.spec ?? {})}
  }
  const alone = convertLegacy([obj]).objects
  if (alone.length === 0) return undefined
  const images = obj.kind === 'AIMImage' || obj.kind === 'AIMClusterImage' ? [] : legacyImages(ctx, obj.metadata.namespace)
  const converted = (images.length ? convertLegacy([...images, obj]).objects.at(-1) : alone[0]) as Obj
  const out: Obj = {...converted, metadata: {name: converted.metadata.name, namespace: converted.metadata.namespace, labels: converted.metadata.labels, annotations: converted.metadata.annotations}}
  if (obj.kind === 'AIMService' && (obj.spec as any)?.kvCache) out.spec = {...(out.spec ?? {}), kvCache: clone((obj.spec as any).kvCache)}
  return out
}

function reconcileLegacy(info: KindInfo, key: ObjectKey, ctx: ReconcileContext) {
  const obj = get(ctx, info, key.namespace, key.name)
  if (!obj || isDeleting(obj) || isPaused(obj)) return
  const want = counterpart(ctx, obj)
  if (!want) return
  const target = registry.forKind(want.apiVersion, want.kind)
  if (!target) return
  const existed = !!get(ctx, target, target.namespaced ? want.metadata.namespace : undefined, want.metadata.name!)
  const child = applyChild(ctx, want, {controller: CONTROLLER, parent: obj, owner: target.namespaced === info.namespaced ? obj : undefined, fields: ['spec']})
  if (!existed) {
    for (const note of convertLegacy([obj]).notes) ctx.events.event(obj, 'Normal', 'Converted', note, `aim-${CONTROLLER}-controller`)
  }
  mirrorStatus(ctx, info, obj, child)
}

function mirrorStatus(ctx: ReconcileContext, info: KindInfo, obj: Obj, child: Obj): void {
  const from = (child.status ?? {}) as Record<string, any>
  if (Object.keys(from).length === 0) return
  const next: Record<string, any> = clone(from)
  if (AVAILABLE_KINDS.has(obj.kind) && next.status === 'Ready') next.status = 'Available'
  if (obj.kind === 'AIMService' && next.resolvedModel) next.resolvedImage = clone(next.resolvedModel)
  if (obj.kind === 'AIMService') next.conditions = withLegacyConditions(ctx, from, (obj.status as Record<string, any> | undefined)?.conditions)
  next.observedGeneration = obj.metadata.generation
  if (deepEqual(stripUndefined(obj.status ?? {}), stripUndefined(next))) return
  try {
    ctx.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => {
      o.status = stripUndefined(next)
      return o
    }, {subresource: 'status'})
  } catch (error) {
    // The legacy schema may not know every new status field; keep the essentials then.
    if (!(isApiError(error) && error.code === 422)) throw error
    const essentials = {status: next.status, conditions: next.conditions, observedGeneration: next.observedGeneration}
    ctx.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => {
      o.status = stripUndefined(essentials)
      return o
    }, {subresource: 'status'})
  }
}

type Cond = {type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string}

/**
 * An aim.silogen.ai AIMService's conditions: the legacy vocabulary (Resolved, CacheReady,
 * RuntimeReady, RoutingReady, Ready, Progressing, Failure — reference §13.1/13.2) first, then the
 * new object's other conditions beside them. A legacy condition whose status did not change keeps
 * its lastTransitionTime; one without a source time gets the clock's.
 */
function withLegacyConditions(ctx: ReconcileContext, from: Record<string, any>, previous: Cond[] | undefined): Cond[] {
  const legacy = legacyServiceConditions(from) as Cond[]
  const types = new Set<string>(LEGACY_SERVICE_CONDITION_TYPES)
  const stamped = legacy.map((c) => {
    const before = previous?.find((p) => p.type === c.type)
    if (c.lastTransitionTime) return c
    const lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : ctx.clock.nowISO()
    return {...c, lastTransitionTime}
  })
  const rest = ((from.conditions ?? []) as Cond[]).filter((c) => !types.has(c.type)).map((c) => clone(c))
  return [...stamped, ...rest]
}

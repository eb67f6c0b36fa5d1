/**
 * Plumbing shared by the AIM reconcilers: resource refs, owner references, the framework labels the
 * operator's pipeline stamps on every child (reference §1 phase 8), create-or-update of children,
 * condition bookkeeping (lastTransitionTime moves only when status or reason changes), events on
 * condition transitions, and a status write that happens only when something changed.
 *
 * No domain rule lives here: selection, naming, rollup and the like are imported from src/engine.
 */
import {hash} from 'node:crypto'
import {AIM_PREFIX, annotations, labels as L} from '../../../src/api/labels.js'
import {AIM_GROUP, AIM_VERSION, registry, type KindInfo} from '../../../src/api/registry.js'
import type {Condition, KubeObject, OwnerReference} from '../../../src/api/object.js'
import {deepEqual} from '../../../src/api/schema.js'
import {isApiError} from '../../../src/api/status.js'
import {isJsonNormal, jsonCopy} from '../../../src/api/validation.js'
import {getCondition, setCondition, type EventView} from '../../../src/engine/status.js'
import type {ConditionDecision} from '../../../src/engine/types.js'
import type {ListOptions, ResourceRef} from '../../store/types.js'
import {nowISO, onlyStatusChangedBut} from '../../store/util.js'
import type {ObjectKey, ReconcileContext} from '../types.js'
import {BoundedCache} from '../../../src/memo.js'

export const AIM_API_VERSION = `${AIM_GROUP}/${AIM_VERSION}`
export const LABEL_PREFIX = AIM_PREFIX
export const MANAGED_BY = L.managedBy
export const OPERATOR_NAMESPACE = process.env.AIM_SYSTEM_NAMESPACE || 'aim-system'

const kindRef = (kind: string, group = AIM_GROUP): KindInfo => registry.require(group, kind)

export const R = {
  service: kindRef('AIMService'),
  model: kindRef('AIMModel'),
  clusterModel: kindRef('AIMClusterModel'),
  template: kindRef('AIMServiceTemplate'),
  clusterTemplate: kindRef('AIMClusterServiceTemplate'),
  templateCache: kindRef('AIMTemplateCache'),
  artifact: kindRef('AIMArtifact'),
  runtimeConfig: kindRef('AIMRuntimeConfig'),
  clusterRuntimeConfig: kindRef('AIMClusterRuntimeConfig'),
  kvCache: kindRef('AIMKVCache'),
  node: kindRef('Node', ''),
  pod: kindRef('Pod', ''),
  event: kindRef('Event', ''),
  configMap: kindRef('ConfigMap', ''),
  pvc: kindRef('PersistentVolumeClaim', ''),
  coreService: kindRef('Service', ''),
  job: kindRef('Job', 'batch'),
  statefulSet: kindRef('StatefulSet', 'apps'),
  roleBinding: kindRef('RoleBinding', 'rbac.authorization.k8s.io'),
  hpa: kindRef('HorizontalPodAutoscaler', 'autoscaling'),
  isvc: kindRef('InferenceService', 'serving.kserve.io'),
  httpRoute: kindRef('HTTPRoute', 'gateway.networking.k8s.io'),
} as const

export function apiVersion(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`
}

export type Obj = KubeObject & {spec?: any; status?: any}

export function get(ctx: ReconcileContext, ref: ResourceRef, namespace: string | undefined, name: string): Obj | undefined {
  return ctx.store.get(ref, namespace, name) as Obj | undefined
}

export function list(ctx: ReconcileContext, ref: ResourceRef, options?: ListOptions): Obj[] {
  return ctx.store.list(ref, options).items as Obj[]
}

export function keyOf(obj: KubeObject): ObjectKey {
  return obj.metadata.namespace ? {namespace: obj.metadata.namespace, name: obj.metadata.name!} : {name: obj.metadata.name!}
}

export function ownerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  }
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject | string | undefined): boolean {
  const uid = typeof owner === 'string' ? owner : owner?.metadata.uid
  return !!uid && (obj.metadata.ownerReferences ?? []).some((r) => r.uid === uid)
}

/** `aim.eai.amd.com/reconciliation-paused: "true"` makes every reconcile of the object return at once. */
export function isPaused(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[annotations.reconciliationPaused] === 'true'
}

export function isDeleting(obj: KubeObject): boolean {
  return !!obj.metadata.deletionTimestamp
}

/**
 * The framework labels of the operator's pipeline: managed-by, `aim.eai.amd.com/<ctrl>.name`, and
 * every parent label with the `aim.eai.amd.com/` prefix (existing keys on the child win).
 * `propagate` adds the labels a runtime config's labelPropagation allows.
 */
export function frameworkLabels(
  controller: string,
  parent: KubeObject,
  childLabels: Record<string, string> | undefined,
  propagate: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {...(childLabels ?? {})}
  const add = (k: string, v: string) => {
    if (!(k in out)) out[k] = v
  }
  add(MANAGED_BY, `aim-${controller}-controller`)
  add(`${LABEL_PREFIX}${controller}.name`, parent.metadata.name!)
  for (const [k, v] of Object.entries(parent.metadata.labels ?? {})) if (k.startsWith(LABEL_PREFIX)) add(k, v)
  for (const [k, v] of Object.entries(propagate)) add(k, v)
  return out
}

/** Annotation holding a hash of the fields a controller applied to a child. */
export const APPLIED_HASH_ANNOTATION = 'aim.eai.amd.com/applied-spec-hash'

// Reconciles re-apply the same children over and over: the hash of a JSON text already seen is kept
// (bounded; the text itself is the key, so a hit is exact).
const appliedHashes = new BoundedCache<string, string>(20_000)
const shortSha256 = (text: string): string => hash('sha256', text, 'hex').slice(0, 16)

function appliedHash(obj: Obj, fields: string[]): string {
  const values: unknown[] = []
  for (let i = 0; i < fields.length; i++) values.push(obj[fields[i]!] ?? null)
  return appliedHashes.get(JSON.stringify(values), shortSha256)
}

export interface ApplyOptions {
  controller: string
  parent: KubeObject
  /** Owner of the child (controller reference); undefined for shared, unowned children. */
  owner?: KubeObject
  propagate?: Record<string, string>
  /** Update these top-level fields of an existing child when they differ (default: spec). */
  fields?: string[]
  /** Never change an existing child (PVCs are created once and never mutated). */
  createOnly?: boolean
}

/**
 * Create the child, or bring an existing one's labels/annotations/owner and the listed fields in line.
 * Writes only when something differs. Returns the stored object.
 */
export function applyChild(ctx: ReconcileContext, child: Obj, opts: ApplyOptions): Obj {
  const info = registry.forKind(child.apiVersion, child.kind)
  if (!info) throw new Error(`unknown kind ${child.apiVersion}/${child.kind}`)
  const labels = frameworkLabels(opts.controller, opts.parent, child.metadata.labels, opts.propagate)
  if (child.kind === 'Job') {
    // For Jobs the labels also go onto the pod template, except managed-by.
    const tpl = (child.spec as any)?.template
    if (tpl) {
      tpl.metadata = tpl.metadata ?? {}
      const podLabels = {...labels}
      delete podLabels[MANAGED_BY]
      tpl.metadata.labels = {...podLabels, ...(tpl.metadata.labels ?? {})}
    }
  }
  const desired: Obj = {
    ...child,
    metadata: {
      ...child.metadata,
      labels,
      ...(opts.owner ? {ownerReferences: [ownerRef(opts.owner)]} : {}),
    },
  }
  const fields = opts.fields ?? ['spec']
  if (fields.length && !opts.createOnly) {
    // What this controller last applied, so a field it stops setting is noticed (server defaults are not).
    desired.metadata.annotations = {...(desired.metadata.annotations ?? {}), [APPLIED_HASH_ANNOTATION]: appliedHash(desired, fields)}
  }
  const ns = info.namespaced ? desired.metadata.namespace : undefined
  const existing = get(ctx, info, ns, desired.metadata.name!)
  if (!existing) {
    try {
      return ctx.store.create(desired, {fieldManager: `aim-${opts.controller}-controller`}) as Obj
    } catch (error) {
      if (isApiError(error) && error.code === 409) return get(ctx, info, ns, desired.metadata.name!) ?? desired
      throw error
    }
  }
  if (opts.createOnly || isDeleting(existing)) return existing
  const wantLabels = {...(existing.metadata.labels ?? {}), ...labels}
  const wantAnnotations = desired.metadata.annotations
    ? {...(existing.metadata.annotations ?? {}), ...desired.metadata.annotations}
    : existing.metadata.annotations
  const wantOwners = opts.owner ? mergeOwner(existing.metadata.ownerReferences, opts.owner) : existing.metadata.ownerReferences
  const differs =
    !deepEqual(existing.metadata.labels ?? {}, wantLabels) ||
    !deepEqual(existing.metadata.annotations, wantAnnotations) ||
    !deepEqual(existing.metadata.ownerReferences, wantOwners) ||
    fields.some((f) => !isSubset(desired[f], existing[f]))
  if (!differs) return existing
  return ctx.store.mutate(info, ns, desired.metadata.name!, (obj) => {
    obj.metadata.labels = wantLabels
    if (wantAnnotations) obj.metadata.annotations = wantAnnotations
    if (wantOwners) obj.metadata.ownerReferences = wantOwners
    for (const f of fields) obj[f] = clone(desired[f])
    return obj
  }) as Obj
}

function mergeOwner(refs: OwnerReference[] | undefined, owner: KubeObject): OwnerReference[] {
  const others = (refs ?? []).filter((r) => r.uid !== owner.metadata.uid)
  return [...others, ownerRef(owner)]
}

export function deleteIfExists(ctx: ReconcileContext, ref: ResourceRef, namespace: string | undefined, name: string): void {
  try {
    ctx.store.delete(ref, namespace, name, {propagationPolicy: 'Background'})
  } catch (error) {
    if (!(isApiError(error) && error.code === 404)) throw error
  }
}

/** Add a finalizer; returns true when it was added (the caller should stop and requeue). */
export function ensureFinalizer(ctx: ReconcileContext, info: KindInfo, obj: Obj, finalizer: string): boolean {
  if ((obj.metadata.finalizers ?? []).includes(finalizer)) return false
  ctx.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => {
    o.metadata.finalizers = [...(o.metadata.finalizers ?? []), finalizer]
    return o
  })
  return true
}

export function removeFinalizer(ctx: ReconcileContext, info: KindInfo, obj: Obj, finalizer: string): void {
  if (!(obj.metadata.finalizers ?? []).includes(finalizer)) return
  try {
    ctx.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => {
      o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer)
      return o
    })
  } catch (error) {
    if (!(isApiError(error) && error.code === 404)) throw error
  }
}

/** A decided condition; the engine's ConditionDecision under the name the reconcilers use. */
export type ConditionInput = ConditionDecision

/**
 * Merge decided conditions into the previous list with the engine's setCondition (conditions are
 * never deleted; lastTransitionTime moves only when the status or the reason changes). Returns the
 * list, ordered by this reconcile's decisions first, and the transitions (message changes included).
 */
export function mergeConditions(
  previous: Condition[] | undefined,
  decided: ConditionInput[],
  now: string,
  generation: number | undefined,
): {conditions: Condition[]; transitions: ConditionInput[]} {
  const prev = previous ?? []
  // Each type decided once (the usual case): every condition is built by setCondition from its own
  // previous one, decided first in their order, then the earlier phases' in theirs — the same list
  // the general path below gives, without copying the whole list per decision.
  let unique = true
  for (let i = 1; i < decided.length && unique; i++) for (let j = 0; j < i; j++) if (decided[j]!.type === decided[i]!.type) unique = false
  if (unique) {
    const conditions: Condition[] = []
    const transitions: ConditionInput[] = []
    for (const d of decided) {
      const old = getCondition(prev, d.type)
      if (!old || old.status !== d.status || old.reason !== d.reason || old.message !== d.message) transitions.push(d)
      conditions.push(setCondition(old ? [old] : undefined, d, now, generation)[0]!)
    }
    // Indexed: the previous conditions are a stored, frozen array (slow for V8's iterators).
    for (let i = 0; i < prev.length; i++) {
      const c = prev[i]!
      let isDecided = false
      for (let j = 0; j < decided.length; j++) if (decided[j]!.type === c.type) {
        isDecided = true
        break
      }
      if (!isDecided) conditions.push(c)
    }
    return {conditions, transitions}
  }
  let out: Condition[] = [...prev]
  const transitions: ConditionInput[] = []
  for (const d of decided) {
    const old = getCondition(out, d.type)
    if (!old || old.status !== d.status || old.reason !== d.reason || old.message !== d.message) transitions.push(d)
    out = setCondition(out, d, now, generation)
  }
  // Stable order: this reconcile's decisions in their order, then conditions from earlier phases.
  const rank = new Map(decided.map((d, i) => [d.type, i]))
  out.sort((a, b) => (rank.get(a.type) ?? decided.length) - (rank.get(b.type) ?? decided.length))
  return {conditions: out, transitions}
}

const WARNING_REASONS = /Fail|NotFound|Invalid|Error|Ambiguous|Lost|NotAvailable|Degraded|Rejected|BackOff|Scheduling/

/**
 * A status computed for an object and not written yet: the conditions its transitions are measured
 * against, the transitions, and the JSON-normal status (undefined when it equals the object's).
 */
export interface StatusPlan {
  before: Condition[] | undefined
  transitions: ConditionInput[]
  next: Record<string, unknown> | undefined
}

/** `status` with merged conditions and observedGeneration, as writeStatus would write it for `obj`. */
export function planStatus(ctx: ReconcileContext, obj: Obj, status: Record<string, unknown>, decided: ConditionInput[]): StatusPlan {
  const generation = obj.metadata.generation
  const before = obj.status?.conditions as Condition[] | undefined
  const {conditions, transitions} = mergeConditions(before, decided, nowISO(ctx.clock), generation)
  const raw = {...status, observedGeneration: generation, conditions}
  // The stored status is JSON-normal already, and deepEqual ignores undefined members: an unchanged
  // status (most reconciles) is found without a copy; the JSON-normal copy is made only to write.
  if (deepEqual(obj.status ?? {}, raw)) return {before, transitions, next: undefined}
  // A status that is JSON-normal but for undefined members (the usual case) is written as it is: the
  // store's status write copies it (dropping those members, sharing what equals the stored parts), and
  // its JSON-normal copy would compare as unequal to the stored status as it did.
  if (isJsonNormal(raw)) return {before, transitions, next: raw}
  const next = stripUndefined(raw)
  return {before, transitions, next: deepEqual(obj.status ?? {}, next) ? undefined : next}
}

/**
 * Write `status` (with merged conditions and observedGeneration) when it differs from what is stored,
 * and emit one Event per condition transition with the condition's reason.
 */
export function writeStatus(
  ctx: ReconcileContext,
  info: KindInfo,
  obj: Obj,
  status: Record<string, unknown>,
  decided: ConditionInput[],
  component: string,
): Obj {
  return commitStatus(ctx, info, obj, [planStatus(ctx, obj, status, decided)], component)
}

/**
 * Write the status of the last plan that changed it — plans made one after the other within one
 * reconcile, each for the object as the previous one left it — and emit every plan's Events in order.
 */
export function commitStatus(ctx: ReconcileContext, info: KindInfo, obj: Obj, plans: StatusPlan[], component: string): Obj {
  let next: Record<string, unknown> | undefined
  for (const p of plans) if (p.next) next = p.next
  if (!next || (plans.length > 1 && deepEqual(obj.status ?? {}, next))) return obj
  const status = next
  let written: Obj = obj
  try {
    written = ctx.store.mutate(
      info,
      obj.metadata.namespace,
      obj.metadata.name!,
      (o) => {
        o.status = status
        return o
      },
      {subresource: 'status'},
    ) as Obj
  } catch (error) {
    if (isApiError(error) && error.code === 404) return obj
    throw error
  }
  for (const p of plans) {
    if (!p.next) continue
    const emitted = new Set<string>()
    for (const t of p.transitions) {
      // Only real transitions make events (message-only changes do not); `Ready` repeating a
      // component's reason in the same reconcile is one event, not two.
      const old = getCondition(p.before, t.type)
      if (old && old.status === t.status && old.reason === t.reason) continue
      if (emitted.has(`${t.status}/${t.reason}`)) continue
      emitted.add(`${t.status}/${t.reason}`)
      const type = t.status === 'False' && WARNING_REASONS.test(t.reason) ? 'Warning' : 'Normal'
      ctx.events.event(written, type, t.reason, t.message, component)
    }
  }
  return written
}

/** Structural equality of JSON values: the one in src/api/schema (re-exported for the reconcilers). */
export {deepEqual}

/**
 * Is everything `want` says present in `have`? Extra keys in `have` (server-side defaults, fields
 * other controllers own) do not count as a difference, so defaulting never causes a write loop.
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (want === undefined) return true
  if (want === null || typeof want !== 'object') return want === have || (want !== null && have !== null && String(want) === String(have) && typeof have !== 'object')
  if (have === null || typeof have !== 'object') return false
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((v, i) => isSubset(v, have[i]))
  }
  const h = have as Record<string, unknown>
  return Object.entries(want as Record<string, unknown>).every(([k, v]) => isSubset(v, h[k]))
}

/** A JSON-normal copy (what a JSON round trip gives: undefined members dropped); null and undefined as they are. */
export function stripUndefined<T>(value: T): T {
  return value === undefined || value === null ? value : jsonCopy(value)
}

export function clone<T>(value: T): T {
  return jsonCopy(value)
}

/**
 * A batch/v1 Job whose pod template carries the Job's labels and never restarts; `pod` is the rest
 * of the pod spec (containers, volumes, security context...).
 */
export function jobObject(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  job: {backoffLimit: number; ttlSecondsAfterFinished: number},
  pod: Record<string, unknown>,
): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {name, namespace, labels},
    spec: {...job, template: {metadata: {labels: {...labels}}, spec: {restartPolicy: 'Never', ...pod}}},
  }
}

export function jobState(job: Obj | undefined): 'None' | 'Running' | 'Complete' | 'Failed' {
  if (!job) return 'None'
  const conds = (job.status?.conditions ?? []) as Condition[]
  if (conds.some((c) => (c.type === 'Complete' || c.type === 'SuccessCriteriaMet') && c.status === 'True')) return 'Complete'
  if (conds.some((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True')) return 'Failed'
  if ((job.status?.succeeded ?? 0) > 0 && !(job.status?.active > 0)) return 'Complete'
  return 'Running'
}

export function jobFailure(job: Obj): {reason: string; message: string} {
  const c = ((job.status?.conditions ?? []) as Condition[]).find((x) => x.type === 'Failed' && x.status === 'True')
  return {reason: c?.reason ?? 'JobFailed', message: c?.message ?? 'Job has failed'}
}

/** A valid label value (what a label selector can name). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

/** Pods of a Job, newest first (label job-name, as the Job controller sets it). */
export function jobPods(ctx: ReconcileContext, job: Obj): Obj[] {
  const name = job.metadata.name!
  const ns = job.metadata.namespace
  let pods: Obj[]
  // The memory store keeps an ownerReference index (its garbage collector's); the Store contract does not name it.
  const dependentsOf = (ctx.store as Partial<Record<'dependentsOf', (ref: ResourceRef, ns: string | undefined, uid: string) => Obj[]>>).dependentsOf
  if (dependentsOf && LABEL_VALUE.test(name)) {
    // From the store's indexes: the pods owned by the Job and the ones labelled with its name.
    const byName = new Map<string, Obj>()
    if (job.metadata.uid) for (const p of dependentsOf.call(ctx.store, R.pod, ns, job.metadata.uid)) byName.set(p.metadata.name!, p)
    for (const label of ['job-name', 'batch.kubernetes.io/job-name']) {
      for (const p of list(ctx, R.pod, {namespace: ns, labelSelector: `${label}=${name}`})) byName.set(p.metadata.name!, p)
    }
    pods = [...byName.values()]
  } else {
    // A Job name longer than a label value can be: filtered in memory.
    pods = list(ctx, R.pod, {namespace: ns}).filter(
      (p) => p.metadata.labels?.['job-name'] === name || p.metadata.labels?.['batch.kubernetes.io/job-name'] === name || isOwnedBy(p, job),
    )
  }
  return pods.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? ''))
}

/** Read a container's logs, or undefined when the kubelet has none (yet). */
export function readLogs(ctx: ReconcileContext, pod: Obj, container: string): string[] | undefined {
  try {
    return ctx.logs.read(pod.metadata.namespace!, pod.metadata.name!, {container})
  } catch {
    return undefined
  }
}

/** Watches that re-enqueue every object of `info` (in the config's namespace) when a runtime config changes. */
export function runtimeConfigWatches(info: KindInfo): Array<{kind: KindInfo; map: (obj: KubeObject, ctx: ReconcileContext) => ObjectKey[]}> {
  const all = (obj: KubeObject, ctx: ReconcileContext): ObjectKey[] =>
    list(ctx, info, info.namespaced && obj.metadata.namespace ? {namespace: obj.metadata.namespace} : {}).map(keyOf)
  return [
    {kind: R.runtimeConfig, map: all},
    {kind: R.clusterRuntimeConfig, map: all},
  ]
}

/** Enqueue helper for watches: map a child to the parents named by one of its labels. */
export function byLabel(label: string, namespaced = true) {
  return (obj: KubeObject): ObjectKey[] => {
    const name = obj.metadata.labels?.[label]
    if (!name) return []
    return [namespaced ? {namespace: obj.metadata.namespace, name} : {name}]
  }
}

/** Events about the named objects in a namespace, oldest first, as the engine's health mappings read them. */
export function eventsFor(ctx: ReconcileContext, ns: string, names: string[]): EventView[] {
  if (!names.length) return []
  // One indexed field-selector list per name (the store keeps Events indexed by involved object),
  // merged back into the namespace's name order so equal timestamps keep their order.
  let found: Obj[] = []
  let owned = false
  for (const name of names.length === 1 ? names : new Set(names)) {
    const items = list(ctx, R.event, {namespace: ns, fieldSelector: `involvedObject.name=${name}`})
    if (!items.length) continue
    if (!found.length) found = items
    else {
      found = found.concat(items)
      owned = true
    }
  }
  // The stored Events are EventViews already (type, reason, message, involvedObject): no copies.
  if (found.length < 2) return found as EventView[]
  return (owned ? found : found.slice())
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
    .sort((a: any, b: any) => String(a.lastTimestamp ?? a.metadata.creationTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? b.metadata.creationTimestamp ?? ''))) as EventView[]
}

/** The parts of a pod src/engine's podsHealth reads, as one comparable string. */
// Several watches ask it of the same (frozen, replaced-on-write) pod objects: kept per object.
const podHealthViews = new WeakMap<object, string>()

export function podHealthView(p: Obj): string {
  const known = podHealthViews.get(p)
  if (known !== undefined) return known
  const st = p.status ?? {}
  // Indexed loops: a stored pod's arrays are frozen, where V8's find/map take a slow path.
  const conditions: Array<{type: string; status?: string}> = st.conditions ?? []
  let ready: string | undefined
  for (let i = 0; i < conditions.length; i++) if (conditions[i]!.type === 'Ready') {
    ready = conditions[i]!.status
    break
  }
  const statuses: any[] = st.containerStatuses ?? []
  const containers: unknown[] = []
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i]
    containers.push([c.ready, c.state?.waiting?.reason, c.state?.waiting?.message, c.state?.terminated])
  }
  const view = JSON.stringify([st.phase, st.reason, st.message, ready, containers])
  if (Object.isFrozen(p)) podHealthViews.set(p, view)
  return view
}

/**
 * Whether a pod changed, or came or went, in a way src/engine's podsHealth (or a reconciler reading
 * the pod's phase) can see: a pod whose health view is unchanged and that still exists is not.
 */
export function podHealthChanged(p: Obj, old: Obj | undefined, ctx: ReconcileContext): boolean {
  if (!old || old.metadata.deletionTimestamp !== p.metadata.deletionTimestamp || !deepEqual(old.metadata.labels, p.metadata.labels)) return true
  return podHealthView(old) !== podHealthView(p) || !get(ctx, R.pod, p.metadata.namespace, p.metadata.name!)
}

/** What a reconciler reads from a Job it runs: its state and, once failed, why and when. */
function jobView(j: Obj): unknown {
  const state = jobState(j)
  return state === 'Failed' ? [state, jobFailure(j), j.status?.completionTime, j.metadata.creationTimestamp] : state
}

/** Whether a Job changed, or came or went, in a way jobState/jobFailure can see. */
export function jobChanged(j: Obj, old: Obj | undefined, ctx: ReconcileContext): boolean {
  return !old || !onlyStatusChangedBut(old, j, jobView) || !get(ctx, R.job, j.metadata.namespace, j.metadata.name!)
}

/**
 * The events about these pods, as src/engine's podsHealth reads them: it reads events only while no
 * pod is Running or Succeeded (it answers from the pods before that), so then none are fetched.
 */
export function podEventsFor(ctx: ReconcileContext, ns: string, pods: Obj[]): EventView[] {
  for (const p of pods) {
    const phase = p.status?.phase
    if (phase === 'Running' || phase === 'Succeeded') return []
  }
  return eventsFor(ctx, ns, pods.map((p) => p.metadata.name!))
}

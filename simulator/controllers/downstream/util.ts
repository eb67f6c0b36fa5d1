/** Helpers shared by the fake cluster's controllers. */
import type {Condition, KubeObject, OwnerReference} from '../../../src/api/object.js'
import {isApiError} from '../../../src/api/status.js'
import {getCondition as conditionOfType} from '../../../src/engine/status.js'
import type {SimStore} from '../../store/memory.js'
import {clone as jsonClone, deepEqual} from '../../store/util.js'
export {onlyStatusChangedBut} from '../../store/util.js'
import type {ResourceRef, Store} from '../../store/types.js'
import type {ObjectKey} from '../types.js'

export const REF = {
  pods: {group: '', plural: 'pods'},
  nodes: {group: '', plural: 'nodes'},
  services: {group: '', plural: 'services'},
  pvcs: {group: '', plural: 'persistentvolumeclaims'},
  pvs: {group: '', plural: 'persistentvolumes'},
  configmaps: {group: '', plural: 'configmaps'},
  secrets: {group: '', plural: 'secrets'},
  events: {group: '', plural: 'events'},
  deployments: {group: 'apps', plural: 'deployments'},
  replicasets: {group: 'apps', plural: 'replicasets'},
  statefulsets: {group: 'apps', plural: 'statefulsets'},
  jobs: {group: 'batch', plural: 'jobs'},
  storageclasses: {group: 'storage.k8s.io', plural: 'storageclasses'},
  hpas: {group: 'autoscaling', plural: 'horizontalpodautoscalers'},
  isvcs: {group: 'serving.kserve.io', plural: 'inferenceservices'},
  scaledobjects: {group: 'keda.sh', plural: 'scaledobjects'},
  gateways: {group: 'gateway.networking.k8s.io', plural: 'gateways'},
  httproutes: {group: 'gateway.networking.k8s.io', plural: 'httproutes'},
  aimartifacts: {group: 'aim.eai.amd.com', plural: 'aimartifacts'},
} as const satisfies Record<string, ResourceRef>

// Kubernetes' name-suffix alphabet (no vowels, no confusable characters).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'

/** A 5-character random suffix, as generateName and the ReplicaSet controller produce. */
export function randomSuffix(random: () => number, length = 5): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHANUMS[Math.floor(random() * ALPHANUMS.length)]
  return out
}

// Stored objects are deep-frozen and replaced on every write: their hash can be kept per object.
const hashOfFrozen = new WeakMap<object, string>()

/** FNV-1a 32-bit, rendered with the safe alphabet: kube's pod-template-hash shape. */
export function templateHash(value: unknown): string {
  const frozen = value !== null && typeof value === 'object' && Object.isFrozen(value)
  if (frozen) {
    const known = hashOfFrozen.get(value)
    if (known !== undefined) return known
  }
  const out = templateHashOf(value)
  if (frozen) hashOfFrozen.set(value as object, out)
  return out
}

function templateHashOf(value: unknown): string {
  const text = stableJson(value)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  const digits = String(h >>> 0)
  let out = ''
  for (const d of digits) out += ALPHANUMS[Number(d) % ALPHANUMS.length]
  // Mix a little more so hashes are not only digit-mapped.
  return (out + ALPHANUMS[h % 27]! + ALPHANUMS[(h >>> 5) % 27]!).slice(0, 10)
}

/** JSON with object keys sorted (by UTF-16 code units) and undefined members dropped. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + stableJson(value[i])
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  let out = '{'
  let first = true
  for (const k of Object.keys(record).sort()) {
    const v = record[k]
    if (v === undefined) continue
    out += `${first ? '' : ','}${JSON.stringify(k)}:${stableJson(v)}`
    first = false
  }
  return `${out}}`
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

export function isOwnedBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller)
}

/** Keys of the controlling owner of `kind` (for watches). */
export function ownerKeys(obj: KubeObject, kind: string): ObjectKey[] {
  return (obj.metadata.ownerReferences ?? [])
    .filter((r) => r.kind === kind && r.controller)
    .map((r) => ({namespace: obj.metadata.namespace, name: r.name}))
}

export function ownedBy(store: Store, ref: ResourceRef, owner: KubeObject): KubeObject[] {
  // The simulator's store keeps an owner index; any other Store is listed and filtered.
  const indexed = (store as Partial<Pick<SimStore, 'dependentsOf'>>).dependentsOf
  if (indexed && owner.metadata.uid) return indexed.call(store, ref, owner.metadata.namespace, owner.metadata.uid).filter((o) => isOwnedBy(o, owner))
  return store.list(ref, {namespace: owner.metadata.namespace}).items.filter((o) => isOwnedBy(o, owner))
}

/**
 * Set a condition in place: lastTransitionTime changes only when the status changes (the
 * Kubernetes convention). Returns the list.
 */
export function setCondition<T extends Partial<Condition> & {type: string}>(list: T[], next: T, now: string, timeField = 'lastTransitionTime'): T[] {
  const index = list.findIndex((c) => c.type === next.type)
  const prev = index >= 0 ? list[index] : undefined
  const merged: Record<string, unknown> = {...next}
  const prevRecord = prev as Record<string, unknown> | undefined
  merged[timeField] = prev && prev.status === next.status && prevRecord?.[timeField] ? prevRecord[timeField] : now
  if (index >= 0) list[index] = merged as T
  else list.push(merged as T)
  return list
}

/** The object's status condition of this type (src/engine's lookup over status.conditions). */
export function getCondition(obj: KubeObject | undefined, type: string): (Condition & Record<string, unknown>) | undefined {
  const conditions = (obj?.status as {conditions?: Array<Condition & Record<string, unknown>>} | undefined)?.conditions
  return conditionOfType(conditions, type) as (Condition & Record<string, unknown>) | undefined
}

/**
 * Write `status` through the status subresource. When the stored status already equals it, nothing
 * is written and the stored object is returned (as the store's own no-op check would, without its
 * draft copy).
 */
export function writeStatus(store: Store, ref: ResourceRef, obj: KubeObject, status: unknown, fieldManager: string): KubeObject | undefined {
  const stored = store.get(ref, obj.metadata.namespace, obj.metadata.name ?? '')
  if (stored && deepEqual(stored.status, status)) return stored
  try {
    return store.mutate(
      ref,
      obj.metadata.namespace,
      obj.metadata.name ?? '',
      (o) => {
        o.status = status
      },
      {subresource: 'status', fieldManager},
    )
  } catch (error) {
    if (isApiError(error) && error.code === 404) return undefined
    throw error
  }
}

export function createOrIgnore(store: Store, obj: KubeObject, fieldManager: string): KubeObject | undefined {
  try {
    return store.create(obj, {fieldManager})
  } catch (error) {
    if (isApiError(error) && error.code === 409) return undefined
    throw error
  }
}

export function deleteIgnoringNotFound(store: Store, ref: ResourceRef, namespace: string | undefined, name: string): void {
  try {
    store.delete(ref, namespace, name, {propagationPolicy: 'Background'})
  } catch (error) {
    if (!(isApiError(error) && error.code === 404)) throw error
  }
}

/**
 * A mutable deep copy of a JSON value, such as a part of a stored (frozen) object; undefined members
 * are dropped. Several times faster than structuredClone for the small objects reconcilers copy.
 */
export function clone<T>(value: T): T {
  return jsonClone(value)
}

/**
 * A status to edit from a stored (frozen) one: a shallow copy whose conditions are copied one level
 * deep (setCondition and the reason/message cleanup edit them); every other member is replaced
 * rather than edited by the controllers, so it stays shared. Undefined members are dropped, as clone does.
 */
export function statusDraft<T extends {conditions?: unknown[]}>(status: T | undefined): T {
  const out: Record<string, unknown> = {}
  if (status) {
    const record = status as Record<string, unknown>
    for (const k in record) if (record[k] !== undefined) out[k] = record[k]
    if (Array.isArray(status.conditions)) out.conditions = status.conditions.map((c) => clone(c))
  }
  return out as T
}

export interface Requirement {
  key: string
  operator: string
  values?: string[]
}

/**
 * One selector requirement against a label map: In, NotIn, Exists, DoesNotExist, and (node
 * affinity only) Gt/Lt comparing integers. An unknown operator matches nothing.
 */
export function matchesRequirement(labels: Record<string, string>, e: Requirement): boolean {
  const has = Object.hasOwn(labels, e.key)
  const value = labels[e.key]
  const values = e.values ?? []
  switch (e.operator) {
    case 'In':
      return has && values.includes(value!)
    case 'NotIn':
      return !(has && values.includes(value!))
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
      return has && Number(value) > Number(values[0])
    case 'Lt':
      return has && Number(value) < Number(values[0])
    default:
      return false
  }
}

const LABEL_SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist'])

/** The pod's `metadata.labels` match `selector.matchLabels` (and simple matchExpressions). */
export function matchesSelector(labels: Record<string, string> | undefined, selector: {matchLabels?: Record<string, string>; matchExpressions?: Requirement[]} | undefined): boolean {
  if (!selector) return false
  const l = labels ?? {}
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false
  return (selector.matchExpressions ?? []).every((e) => LABEL_SELECTOR_OPERATORS.has(e.operator) && matchesRequirement(l, e))
}

export interface PodLike {
  metadata: KubeObject['metadata']
  spec?: {
    nodeName?: string
    containers?: ContainerSpec[]
    initContainers?: ContainerSpec[]
    restartPolicy?: string
    nodeSelector?: Record<string, string>
    affinity?: unknown
    tolerations?: Array<{key?: string; operator?: string; value?: string; effect?: string}>
    volumes?: Array<Record<string, unknown> & {name: string}>
    [key: string]: unknown
  }
  status?: PodStatus
}

export interface ContainerSpec {
  name: string
  image?: string
  command?: string[]
  args?: string[]
  env?: Array<{name: string; value?: string; valueFrom?: Record<string, {name?: string; key?: string; optional?: boolean}>}>
  resources?: {requests?: Record<string, string | number>; limits?: Record<string, string | number>}
  imagePullPolicy?: string
  [key: string]: unknown
}

export interface ContainerStatus {
  name: string
  image: string
  imageID: string
  containerID?: string
  ready: boolean
  started: boolean
  restartCount: number
  state: Record<string, Record<string, unknown>>
  lastState: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

export interface PodStatus {
  phase?: string
  conditions?: Array<Condition & Record<string, unknown>>
  containerStatuses?: ContainerStatus[]
  initContainerStatuses?: ContainerStatus[]
  hostIP?: string
  hostIPs?: Array<{ip: string}>
  podIP?: string
  podIPs?: Array<{ip: string}>
  startTime?: string
  qosClass?: string
  reason?: string
  message?: string
  [key: string]: unknown
}

export function podPhase(pod: KubeObject): string {
  return (pod.status as PodStatus | undefined)?.phase ?? 'Pending'
}

export function podReady(pod: KubeObject): boolean {
  return getCondition(pod, 'Ready')?.status === 'True'
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod)
  return phase === 'Succeeded' || phase === 'Failed'
}


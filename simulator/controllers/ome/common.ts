/** Small helpers of the OME reconcilers: resource refs, create-or-update of children, stable IPs. */
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {isApiError} from '../../../src/api/status.js'
import type {ResourceRef} from '../../store/types.js'
import type {ReconcileContext} from '../types.js'
import {stableJson} from '../downstream/util.js'

export const OME_MANAGER = 'ome-controller-manager'
export const OME_MODEL_AGENT = 'ome-model-agent'

export const OME_REF = {
  isvcs: {group: 'ome.io', plural: 'inferenceservices'},
  basemodels: {group: 'ome.io', plural: 'basemodels'},
  clusterbasemodels: {group: 'ome.io', plural: 'clusterbasemodels'},
  servingruntimes: {group: 'ome.io', plural: 'servingruntimes'},
  clusterservingruntimes: {group: 'ome.io', plural: 'clusterservingruntimes'},
  serviceaccounts: {group: '', plural: 'serviceaccounts'},
} as const satisfies Record<string, ResourceRef>

function refOf(obj: KubeObject): ResourceRef & {namespaced: boolean} {
  const info = registry.forKind(obj.apiVersion, obj.kind)
  if (!info) throw new Error(`unknown kind ${obj.apiVersion}/${obj.kind}`)
  return info
}

/**
 * Create `desired`, or update the listed top-level fields (and labels/annotations/owners) of the
 * existing object when they differ. `keep` names spec fields whose existing value is preserved
 * (a Deployment's replicas under an autoscaler). Returns the stored object.
 */
export function ensure(ctx: ReconcileContext, desired: KubeObject, opts: {fields?: string[]; keep?: string[]} = {}): KubeObject {
  const ref = refOf(desired)
  const ns = ref.namespaced ? desired.metadata.namespace : undefined
  const name = desired.metadata.name ?? ''
  const existing = ctx.store.get(ref, ns, name)
  if (!existing) {
    const annotations = {...(desired.metadata.annotations ?? {}), [DESIRED_HASH]: desiredHash(desired, opts.fields ?? ['spec'], opts.keep)}
    try {
      return ctx.store.create({...desired, metadata: {...desired.metadata, annotations}}, {fieldManager: OME_MANAGER})
    } catch (error) {
      if (isApiError(error) && error.code === 409) return ctx.store.get(ref, ns, name) ?? desired
      throw error
    }
  }
  if (existing.metadata.deletionTimestamp) return existing
  const fields = opts.fields ?? ['spec']
  const want: Record<string, unknown> = {}
  for (const f of fields) {
    const value = structuredClone((desired as unknown as Record<string, unknown>)[f])
    if (f === 'spec' && value && typeof value === 'object') {
      for (const k of opts.keep ?? []) {
        const current = (existing.spec as Record<string, unknown> | undefined)?.[k]
        if (current !== undefined) (value as Record<string, unknown>)[k] = current
      }
    }
    want[f] = value
  }
  // The hash of what was last written (kept fields excluded): server-side defaulting and pruning
  // of the stored object never look like a change, so there is no write loop.
  const hash = desiredHash(desired, fields, opts.keep)
  const labels = {...(existing.metadata.labels ?? {}), ...(desired.metadata.labels ?? {})}
  const annotations = {...(existing.metadata.annotations ?? {}), ...(desired.metadata.annotations ?? {}), [DESIRED_HASH]: hash}
  const owners = desired.metadata.ownerReferences ?? existing.metadata.ownerReferences
  const same =
    stableJson(existing.metadata.labels ?? {}) === stableJson(labels) &&
    stableJson(existing.metadata.annotations ?? {}) === stableJson(annotations) &&
    stableJson(existing.metadata.ownerReferences ?? []) === stableJson(owners ?? [])
  if (same) return existing
  const specChanged = existing.metadata.annotations?.[DESIRED_HASH] !== hash
  return ctx.store.mutate(ref, ns, name, (o) => {
    o.metadata.labels = labels
    o.metadata.annotations = annotations
    if (owners) o.metadata.ownerReferences = owners
    if (specChanged) for (const f of fields) (o as unknown as Record<string, unknown>)[f] = want[f]
  }, {fieldManager: OME_MANAGER})
}

const DESIRED_HASH = 'ome.io/desired-hash'

function desiredHash(desired: KubeObject, fields: string[], keep: string[] = []): string {
  const parts = fields.map((f) => {
    const v = (desired as unknown as Record<string, unknown>)[f]
    if (f !== 'spec' || !v || typeof v !== 'object') return v
    const copy = {...(v as Record<string, unknown>)}
    for (const k of keep) delete copy[k]
    return copy
  })
  let h = 0x811c9dc5
  const text = stableJson(parts)
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}

export function deleteIfPresent(ctx: ReconcileContext, ref: ResourceRef, namespace: string | undefined, name: string): void {
  try {
    ctx.store.delete(ref, namespace, name, {propagationPolicy: 'Background'})
  } catch (error) {
    if (!(isApiError(error) && error.code === 404)) throw error
  }
}

/** A deterministic ClusterIP in 10.96.0.0/12 for a Service name. */
export function stableClusterIP(namespace: string | undefined, name: string): string {
  let h = 7
  for (const ch of `ome/${namespace}/${name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0
  return `10.${96 + ((h >>> 16) % 16)}.${(h >>> 8) % 250}.${(h % 250) + 2}`
}

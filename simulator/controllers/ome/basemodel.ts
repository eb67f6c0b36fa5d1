/**
 * BaseModel / ClusterBaseModel: the model agent and the BaseModel controller of OME (reference
 * ome.md §6), simplified. Every Ready node matching `storage.nodeSelector` downloads the model
 * (virtual time from the parameter size at 1 GiB/s, 10 s … 10 min); meanwhile the node label
 * `models.ome.io/…` says `Updating` and the model is `In_Transit`; then the label says `Ready`,
 * `status.nodesReady` lists the nodes and `status.state` is `Ready`. ISVC pods select on the label.
 * Deleting the model removes the labels, then the finalizer.
 */
import type {KubeObject} from '../../../src/api/object.js'
import type {BaseModelSpec} from '../../../src/api/types/ome.js'
import {
  baseModelState,
  modelNodeLabel,
  OME_BASEMODEL_FINALIZER,
  OME_CLUSTERBASEMODEL_FINALIZER,
  parseModelSize,
} from '../../../src/engine/ome.js'
import {nodeReady} from '../../cluster/nodes.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {REF, stableJson} from '../downstream/util.js'
import {OME_MODEL_AGENT, OME_REF} from './common.js'

const GiB = 2 ** 30
const BANDWIDTH = GiB // bytes per virtual second
const MIN_MS = 10_000
const MAX_MS = 600_000
const UNKNOWN_SIZE_MS = 30_000

/** Virtual download time of a model: parameters × bytes per parameter at 1 GiB/s, clamped to 10 s … 10 min. */
export function downloadMs(spec: BaseModelSpec): number {
  const params = parseModelSize(spec.modelParameterSize)
  if (params === undefined) return UNKNOWN_SIZE_MS
  const q = (spec.quantization ?? '').toLowerCase()
  const bytesPerParam = q.includes('int4') ? 0.5 : q.includes('fp8') || q.includes('int8') ? 1 : 2
  return Math.min(MAX_MS, Math.max(MIN_MS, Math.round(((params * bytesPerParam) / BANDWIDTH) * 1000)))
}

function eligible(node: KubeObject, spec: BaseModelSpec): boolean {
  if (!nodeReady(node)) return false
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries(spec.storage?.nodeSelector ?? {})) if (labels[k] !== v) return false
  return true
}

function setNodeLabel(ctx: ReconcileContext, node: KubeObject, key: string, value: string | undefined): void {
  const current = node.metadata.labels?.[key]
  if (current === value) return
  ctx.store.mutate(REF.nodes, undefined, node.metadata.name ?? '', (o) => {
    const labels = {...(o.metadata.labels ?? {})}
    if (value === undefined) delete labels[key]
    else labels[key] = value
    o.metadata.labels = labels
  }, {fieldManager: OME_MODEL_AGENT})
}

export function baseModelReconciler(cluster: boolean): Reconciler {
  const ref = cluster ? OME_REF.clusterbasemodels : OME_REF.basemodels
  const kind = cluster ? 'ClusterBaseModel' : 'BaseModel'
  const finalizer = cluster ? OME_CLUSTERBASEMODEL_FINALIZER : OME_BASEMODEL_FINALIZER
  /** Download start per model uid (virtual ms). */
  const started = new Map<string, number>()
  const allModels = (ctx: ReconcileContext): ObjectKey[] => ctx.store.list(ref).items.map((m) => ({namespace: m.metadata.namespace, name: m.metadata.name ?? ''}))
  return {
    name: cluster ? 'ome-clusterbasemodel-controller' : 'ome-basemodel-controller',
    for: ref,
    watches: [{kind: REF.nodes, map: (_obj, ctx) => allModels(ctx)}],
    reconcile(key, ctx) {
      const model = ctx.store.get(ref, key.namespace, key.name)
      if (!model) return
      const spec = (model.spec ?? {}) as BaseModelSpec
      const label = modelNodeLabel(kind, key.name, key.namespace)
      const nodes = ctx.store.list(REF.nodes).items
      if (model.metadata.deletionTimestamp) {
        for (const node of nodes) setNodeLabel(ctx, node, label, undefined)
        started.delete(model.metadata.uid ?? '')
        if ((model.metadata.finalizers ?? []).includes(finalizer)) {
          ctx.store.mutate(ref, key.namespace, key.name, (o) => {
            o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer)
          }, {fieldManager: OME_MODEL_AGENT})
        }
        return
      }
      if (!(model.metadata.finalizers ?? []).includes(finalizer)) {
        ctx.store.mutate(ref, key.namespace, key.name, (o) => {
          o.metadata.finalizers = [...(o.metadata.finalizers ?? []), finalizer]
        }, {fieldManager: OME_MODEL_AGENT})
      }
      const targets = nodes.filter((n) => eligible(n, spec))
      const uid = model.metadata.uid ?? ''
      const now = ctx.clock.now()
      const already = targets.filter((n) => n.metadata.labels?.[label] === 'Ready')
      let start = started.get(uid)
      if (start === undefined) {
        // A model whose nodes are already labelled (a restored state) is not downloaded again.
        start = already.length > 0 && already.length === targets.length ? now - downloadMs(spec) : now
        started.set(uid, start)
      }
      const done = now >= start + downloadMs(spec)
      for (const node of targets) setNodeLabel(ctx, node, label, done ? 'Ready' : 'Updating')
      const nodesReady = done ? targets.map((n) => n.metadata.name ?? '').sort() : []
      const state = baseModelState(nodesReady, [])
      const status = {
        ...(model.status as Record<string, unknown> | undefined),
        state,
        lifecycle: state === 'Ready' ? 'Ready' : targets.length === 0 ? 'NoEligibleNodes' : 'Downloading',
        nodesReady: nodesReady.length ? nodesReady : undefined,
        nodesFailed: undefined,
      }
      if (stableJson(model.status ?? {}) !== stableJson(status)) {
        const wasReady = (model.status as {state?: string} | undefined)?.state === 'Ready'
        const written = ctx.store.mutate(ref, key.namespace, key.name, (o) => {
          o.status = JSON.parse(JSON.stringify(status))
        }, {subresource: 'status', fieldManager: OME_MODEL_AGENT})
        if (state === 'Ready' && !wasReady) {
          ctx.events.event(written, 'Normal', 'ModelReady', `${kind} ${key.name} is ready on ${nodesReady.length} node(s): ${nodesReady.join(', ')}`, OME_MODEL_AGENT)
        } else if (state !== 'Ready' && !(model.status as {state?: string} | undefined)?.state && targets.length > 0) {
          ctx.events.event(written, 'Normal', 'Downloading', `Downloading ${spec.storage?.storageUri ?? key.name} to ${targets.length} node(s)`, OME_MODEL_AGENT)
        }
      }
      if (!done && targets.length > 0) return {requeueAfterMs: start + downloadMs(spec) - now}
      return undefined
    },
  }
}

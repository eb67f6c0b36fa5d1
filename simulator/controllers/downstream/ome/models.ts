/**
 * OME's model-agent and BaseModel controllers, folded into one reconciler per kind: the agent
 * "downloads" a BaseModel/ClusterBaseModel onto every eligible node (virtual time at the simulated
 * bandwidth), labels the nodes `models.ome.io/…=Updating|Ready|Failed`, back-fills unset spec
 * fields as the agent does from config.json, and writes status.state / nodesReady / nodesFailed.
 */
import {createHash} from 'node:crypto'
import type {KubeObject} from '../../../../src/api/object.js'
import type {BaseModelSpec} from '../../../../src/api/types/ome.js'
import type {ReconcileContext, Reconciler} from '../../types.js'
import type {ClusterDeps} from '../index.js'
import {REF, writeStatus} from '../util.js'

export const OME = 'ome.io'
export const OME_REF = {
  isvcs: {group: OME, plural: 'inferenceservices'},
  baseModels: {group: OME, plural: 'basemodels'},
  clusterBaseModels: {group: OME, plural: 'clusterbasemodels'},
  servingRuntimes: {group: OME, plural: 'servingruntimes'},
  clusterServingRuntimes: {group: OME, plural: 'clusterservingruntimes'},
} as const

const COMPONENT = 'ome-model-agent'
const DEFAULT_SIZE = 16 * 2 ** 30

/** The node label the agent sets for a model: `models.ome.io/clusterbasemodel.<name>` or `models.ome.io/<ns>.basemodel.<name>`. */
export function modelNodeLabel(model: KubeObject): string {
  const name = model.kind === 'ClusterBaseModel' ? `clusterbasemodel.${model.metadata.name}` : `${model.metadata.namespace}.basemodel.${model.metadata.name}`
  // Label names are at most 63 characters: long ones keep an 8-hex hash and the tail.
  if (name.length <= 63) return `models.ome.io/${name}`
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
  return `models.ome.io/${hash}.${name.slice(-(63 - 9))}`
}

function matchesNode(node: KubeObject, spec: BaseModelSpec): boolean {
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of Object.entries((spec.storage?.nodeSelector as Record<string, string> | undefined) ?? {})) if (labels[k] !== v) return false
  return true
}

function setNodeLabel(ctx: ReconcileContext, node: string, key: string, value: string): void {
  const current = ctx.store.get(REF.nodes, undefined, node)
  if (!current || current.metadata.labels?.[key] === value) return
  ctx.store.mutate(REF.nodes, undefined, node, (n) => {
    n.metadata.labels = {...(n.metadata.labels ?? {}), [key]: value}
  }, {fieldManager: COMPONENT})
}

export function baseModelReconciler(deps: ClusterDeps, cluster: boolean): Reconciler {
  const ref = cluster ? OME_REF.clusterBaseModels : OME_REF.baseModels
  const started = new Map<string, number>()
  return {
    name: cluster ? 'ome-clusterbasemodel-controller' : 'ome-basemodel-controller',
    for: ref,
    watches: [{kind: REF.nodes, map: (_n, ctx) => ctx.store.list(ref).items.map((m) => ({namespace: m.metadata.namespace, name: m.metadata.name ?? ''}))}],
    reconcile(key, ctx) {
      const model = ctx.store.get(ref, key.namespace, key.name)
      if (!model) {
        for (const id of [...started.keys()]) if (id.startsWith(`${key.namespace ?? ''}/${key.name}/`)) started.delete(id)
        return
      }
      if (model.metadata.deletionTimestamp) return
      const spec = (model.spec ?? {}) as BaseModelSpec
      if (spec.disabled) return
      const uri = spec.storage?.storageUri ?? ''
      const label = modelNodeLabel(model)
      const nodes = ctx.store.list(REF.nodes).items.filter((n) => matchesNode(n, spec))
      const id = `${key.namespace ?? ''}/${key.name}/${model.metadata.uid}`
      // pvc:// sources are skipped by the agent (issue #217): the model stays In_Transit.
      if (uri.startsWith('pvc://') || nodes.length === 0) {
        writeStatus(ctx.store, ref, model, {...((model.status as object) ?? {}), state: 'In_Transit', lifecycle: 'In_Transit'}, COMPONENT)
        return
      }
      if (deps.faults.downloadFails(uri)) {
        for (const n of nodes) setNodeLabel(ctx, n.metadata.name ?? '', label, 'Failed')
        writeStatus(ctx.store, ref, model, {state: 'Failed', lifecycle: 'Failed', nodesFailed: nodes.map((n) => n.metadata.name ?? '').sort()}, COMPONENT)
        return
      }
      const size = deps.images.sourceSize(uri) ?? DEFAULT_SIZE
      const durationMs = Math.max(2000, Math.ceil((size / deps.faults.bandwidthBytesPerSecond) * 1000))
      const t0 = started.get(id)
      const allReady = nodes.every((n) => n.metadata.labels?.[label] === 'Ready')
      if (!allReady && t0 === undefined) {
        started.set(id, ctx.clock.now())
        for (const n of nodes) if (n.metadata.labels?.[label] !== 'Ready') setNodeLabel(ctx, n.metadata.name ?? '', label, 'Updating')
        const ready = nodes.filter((n) => n.metadata.labels?.[label] === 'Ready').map((n) => n.metadata.name ?? '').sort()
        writeStatus(ctx.store, ref, model, {state: ready.length ? 'Ready' : 'In_Transit', lifecycle: ready.length ? 'Ready' : 'In_Transit', ...(ready.length ? {nodesReady: ready} : {})}, COMPONENT)
        return {requeueAfterMs: durationMs}
      }
      if (!allReady && t0 !== undefined && ctx.clock.now() - t0 < durationMs) return {requeueAfterMs: durationMs - (ctx.clock.now() - t0)}
      for (const n of nodes) setNodeLabel(ctx, n.metadata.name ?? '', label, 'Ready')
      started.delete(id)
      // The agent parses config.json and back-fills what the spec leaves unset.
      if (!spec.modelFormat?.name || !spec.modelFramework) {
        ctx.store.mutate(ref, key.namespace, key.name, (m) => {
          const s = (m.spec ?? {}) as Record<string, unknown>
          s.modelFormat ??= {name: 'safetensors', version: '1.0.0'}
          if (!(s.modelFormat as {name?: string}).name) s.modelFormat = {name: 'safetensors', version: '1.0.0'}
          s.modelFramework ??= {name: 'transformers', version: '4.51.0'}
          m.spec = s
        }, {fieldManager: COMPONENT})
      }
      const current = ctx.store.get(ref, key.namespace, key.name)!
      writeStatus(ctx.store, ref, current, {state: 'Ready', lifecycle: 'Ready', nodesReady: nodes.map((n) => n.metadata.name ?? '').sort()}, COMPONENT)
    },
  }
}

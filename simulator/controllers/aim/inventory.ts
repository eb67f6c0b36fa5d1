/**
 * The cluster's GPU inventory (src/engine clusterGpus) for the current Node objects, computed once
 * per set of nodes: store objects are frozen and replaced on every write, so the same objects in the
 * same order mean the same inventory. Service and template reconciles ask for it on every pass.
 */
import type {KubeObject} from '../../../src/api/object.js'
import {clusterGpus, type GpuInventory} from '../../../src/engine/gpu.js'
import type {ReconcileContext} from '../types.js'
import {R, list} from './common.js'

const memo = new WeakMap<ReconcileContext['store'], {nodes: readonly KubeObject[]; inventory: GpuInventory}>()

export function nodeInventory(ctx: ReconcileContext): GpuInventory {
  const nodes = list(ctx, R.node)
  const last = memo.get(ctx.store)
  if (last && last.nodes.length === nodes.length && last.nodes.every((n, i) => n === nodes[i])) return last.inventory
  const inventory = clusterGpus(nodes)
  memo.set(ctx.store, {nodes, inventory})
  return inventory
}

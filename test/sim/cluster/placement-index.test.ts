/**
 * The scheduler's PlacementIndex (per-node usage kept from pod events) must give schedulePod the same
 * answer as a full scan of the pods, including fractional CPU sums, through binds, finishes and deletes.
 */
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {buildNodes, parseNodeSpec} from '../../../simulator/cluster/nodes.js'
import {PlacementIndex, schedulePod} from '../../../simulator/controllers/downstream/scheduler.js'
import type {PodLike} from '../../../simulator/controllers/downstream/util.js'
import {deepFreeze} from '../../../simulator/store/util.js'
import {seededRandom} from '../../../simulator/controllers/runtime.js'

function pod(ns: string, name: string, node: string | undefined, cpu: string, gpu: number, phase = 'Running'): KubeObject {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: ns, uid: `${ns}-${name}`},
    spec: {...(node ? {nodeName: node} : {}), containers: [{name: 'c', image: 'i', resources: {requests: {cpu, ...(gpu ? {'amd.com/gpu': String(gpu)} : {})}, limits: gpu ? {'amd.com/gpu': String(gpu)} : {}}}]},
    status: {phase},
  })
}

describe('PlacementIndex', () => {
  it('schedules exactly as a full scan of the pods does, as pods come, finish and go', () => {
    const nodes = buildNodes(parseNodeSpec('mi300x=3'), 8, '2026-01-01T00:00:00Z')
    const index = new PlacementIndex()
    const live = new Map<string, KubeObject>()
    const all = () => [...live.values()].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
    const rand = seededRandom('3')
    const cpus = ['100m', '200m', '300m', '1', '1500m', '7']
    for (let step = 0; step < 400; step++) {
      const usage = index.usage(all)
      const want = pod(`ns-${step % 3}`, `p-${step}`, undefined, cpus[Math.floor(rand() * cpus.length)]!, Math.floor(rand() * 3))
      const full = schedulePod(want as PodLike, nodes, all())
      expect(schedulePod(want as PodLike, nodes, [], undefined, usage)).toEqual(full)
      const key = `${want.metadata.namespace}/${want.metadata.name}`
      if (full.node) {
        const bound = pod(want.metadata.namespace!, want.metadata.name!, full.node, (want.spec as any).containers[0].resources.requests.cpu, Number((want.spec as any).containers[0].resources.requests['amd.com/gpu'] ?? 0))
        live.set(key, bound)
        index.update(key, bound)
      }
      // Now and then a pod finishes or is deleted.
      const victims = [...live.keys()]
      if (victims.length && rand() < 0.3) {
        const k = victims[Math.floor(rand() * victims.length)]!
        if (rand() < 0.5) {
          live.delete(k)
          index.update(k, undefined)
        } else {
          const p = live.get(k)!
          const done = deepFreeze({...p, status: {phase: 'Succeeded'}})
          live.set(k, done)
          index.update(k, done)
        }
      }
    }
    expect(live.size).toBeGreaterThan(10)
    // Pods waiting for a node, in list order; bound, deleting and deleted ones are not.
    index.update('b/w2', pod('b', 'w2', undefined, '1', 0, 'Pending'))
    index.update('a/w9', pod('a', 'w9', undefined, '1', 0, 'Pending'))
    index.update('a/w1', pod('a', 'w1', undefined, '1', 0, 'Pending'))
    index.update('a/w3', deepFreeze({...pod('a', 'w3', undefined, '1', 0, 'Pending'), metadata: {name: 'w3', namespace: 'a', deletionTimestamp: '2026-01-01T00:00:00Z'}}))
    index.update('a/w9', undefined)
    expect(index.pending()).toEqual([
      {namespace: 'a', name: 'w1'},
      {namespace: 'b', name: 'w2'},
    ])
  })
})

import {describe, expect, it} from 'vitest'
import {parseNodeSpec, NodeSpecError, buildNodes} from '../../../simulator/cluster/nodes.js'
import {schedulePod} from '../../../simulator/controllers/downstream/scheduler.js'
import {condition, deployment, eventsFor, startCluster} from './helpers.js'

const pods = {group: '', plural: 'pods'}
const nodes = {group: '', plural: 'nodes'}

describe('GPU nodes', () => {
  it('bootstraps 2 x 8 MI300X nodes with AMD labels and amd.com/gpu capacity by default', () => {
    const {store, manager} = startCluster()
    const list = store.list(nodes).items
    expect(list.map((n) => n.metadata.name)).toEqual(['gpu-mi300x-0', 'gpu-mi300x-1'])
    const n = list[0]!
    expect(n.metadata.labels).toMatchObject({
      'amd.com/gpu.device-id': '74a1',
      'amd.com/gpu.family': 'AI',
      'amd.com/gpu.vram': '192G',
      'amd.com/gpu.product-name': 'AMD_Instinct_MI300X_OAM',
    })
    expect((n.status as {capacity: Record<string, string>}).capacity['amd.com/gpu']).toBe('8')
    expect(condition(n, 'Ready')?.status).toBe('True')
    manager.stop()
  })

  it('parses node specs and rejects bad ones with one line', () => {
    expect(parseNodeSpec('mi300x=2,MI325X=1').map((p) => [p.gpu.model, p.count])).toEqual([['MI300X', 2], ['MI325X', 1]])
    expect(buildNodes(parseNodeSpec('mi355x=1,mi250x=1,mi210=1')).map((n) => n.metadata.labels?.['amd.com/gpu.device-id'])).toEqual(['75a3', '7408', '740f'])
    expect(() => parseNodeSpec('mi999=1')).toThrow(new NodeSpecError('unknown GPU model "mi999" in node spec (known: mi300x, mi325x, mi355x, mi250x, mi210)'))
    expect(() => parseNodeSpec('mi300x')).toThrow('invalid node spec "mi300x": expected MODEL=COUNT, e.g. mi300x=2')
    expect(() => parseNodeSpec('mi300x=0')).toThrow('invalid node count 0 for mi300x: must be between 1 and 1000')
    expect(() => parseNodeSpec('')).toThrow(/^empty node spec/)
  })
})

describe('scheduler', () => {
  it('reports FailedScheduling with kube-scheduler wording when GPUs run out', async () => {
    const {store, manager} = startCluster()
    store.create(deployment('big', 'default', 'nginx:1.27', 3, {'amd.com/gpu': '8'}))
    await manager.settle(5 * 60_000)
    const list = store.list(pods, {namespace: 'default'}).items
    const pending = list.filter((p) => !(p.spec as {nodeName?: string}).nodeName)
    expect(pending).toHaveLength(1)
    const message = '0/2 nodes are available: 2 Insufficient amd.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.'
    expect(condition(pending[0], 'PodScheduled')).toMatchObject({status: 'False', reason: 'Unschedulable', message})
    expect(eventsFor(store, 'default', pending[0]!.metadata.name!)).toContainEqual(expect.objectContaining({type: 'Warning', reason: 'FailedScheduling', message}))
    // The scheduler retries every 5 minutes; the same event's count grows as kube-scheduler's does.
    await manager.settle(11 * 60_000)
    const again = eventsFor(store, 'default', pending[0]!.metadata.name!).filter((e) => e.reason === 'FailedScheduling')
    expect(again).toHaveLength(1)
    expect(again[0]!.count).toBeGreaterThanOrEqual(3)
    const nodesUsed = list.map((p) => (p.spec as {nodeName?: string}).nodeName).filter(Boolean).sort()
    expect(nodesUsed).toEqual(['gpu-mi300x-0', 'gpu-mi300x-1'])
    // Scaling down frees a node; the pending pod is not needed any more and the rest stay bound.
    store.mutate({group: 'apps', plural: 'deployments'}, 'default', 'big', (d) => {
      ;(d.spec as {replicas: number}).replicas = 2
    })
    await manager.settle(60_000)
    expect(store.list(pods, {namespace: 'default'}).items.every((p) => (p.spec as {nodeName?: string}).nodeName)).toBe(true)
    manager.stop()
  })

  it('honours required node affinity on amd.com/gpu.device-id', async () => {
    const {store, manager} = startCluster({nodes: 'mi300x=1,mi325x=1'})
    const d = deployment('pinned', 'default', 'nginx:1.27', 1, {'amd.com/gpu': '1'})
    ;((d.spec as {template: {spec: Record<string, unknown>}}).template.spec).affinity = {
      nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'amd.com/gpu.device-id', operator: 'In', values: ['74a5', '74b9']}]}]}},
    }
    store.create(d)
    await manager.settle(60_000)
    const [pod] = store.list(pods, {namespace: 'default'}).items
    expect((pod!.spec as {nodeName: string}).nodeName).toBe('gpu-mi325x-0')
    manager.stop()
  })

  it('mixes reasons like kube-scheduler (sorted, with preemption summary)', () => {
    const n = buildNodes(parseNodeSpec('mi300x=2,mi325x=1'))
    const pod = {
      metadata: {name: 'p', namespace: 'default', uid: 'u'},
      spec: {
        containers: [{name: 'c', resources: {limits: {'amd.com/gpu': '9'}}}],
        nodeSelector: {'amd.com/gpu.device-id': '74a1'},
      },
    }
    expect(schedulePod(pod, n, []).message).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient amd.com/gpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    )
    expect(schedulePod(pod, [], []).message).toBe('no nodes available to schedule pods')
  })
})

/**
 * NVIDIA node pools (`--nodes mi300x=2,a100=2`): parseNodeSpec accepts them, the nodes carry
 * `nvidia.com/gpu` capacity and the GPU-operator labels, and seed 004's NVIDIA examples schedule
 * on them without the nodes-nvidia.yaml fixture.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {buildNodes, gpuResourceName, NodeSpecError, nodeGpuModel, NVIDIA_GPU_MODELS, parseNodeSpec} from '../../../simulator/cluster/nodes.js'
import {createOmeHarness, type OmeHarness} from '../ome/harness.js'

describe('parseNodeSpec with NVIDIA pools', () => {
  it('mixes AMD and NVIDIA pools in the given order', () => {
    const pools = parseNodeSpec('mi300x=2,a100=2,H100=1')
    expect(pools.map((p) => [p.gpu.model, p.count, gpuResourceName(p.gpu)])).toEqual([
      ['MI300X', 2, 'amd.com/gpu'],
      ['A100', 2, 'nvidia.com/gpu'],
      ['H100', 1, 'nvidia.com/gpu'],
    ])
  })

  it('rejects unknown and repeated NVIDIA models', () => {
    expect(() => parseNodeSpec('v100=1')).toThrow(NodeSpecError)
    expect(() => parseNodeSpec('v100=1')).toThrow('unknown GPU model "v100" in node spec')
    expect(() => parseNodeSpec('a100=1,A100=2')).toThrow('GPU model "A100" appears twice in node spec')
  })

  it('NVIDIA nodes: nvidia.com/gpu capacity, GPU-operator labels, no AMD labels', () => {
    const [amd, a100] = buildNodes(parseNodeSpec('mi300x=1,a100=1'))
    expect(a100!.metadata.name).toBe('gpu-a100-0')
    expect((a100!.status as any).capacity).toMatchObject({'nvidia.com/gpu': '8'})
    expect((a100!.status as any).capacity['amd.com/gpu']).toBeUndefined()
    expect((a100!.status as any).allocatable['nvidia.com/gpu']).toBe('8')
    expect(a100!.metadata.labels).toMatchObject({
      accelerator: 'nvidia-a100',
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': NVIDIA_GPU_MODELS['a100']!.productName,
      'nvidia.com/gpu.count': '8',
      'nvidia.com/gpu.family': 'ampere',
    })
    expect(Object.keys(a100!.metadata.labels!).filter((k) => k.startsWith('amd.com/'))).toEqual([])
    expect(nodeGpuModel(a100!)).toBeUndefined()
    expect(nodeGpuModel(amd!)).toBe('MI300X')
    expect((amd!.status as any).capacity['nvidia.com/gpu']).toBeUndefined()
    // Pod CIDRs and addresses stay unique across pools.
    expect((a100!.spec as any).podCIDR).not.toBe((amd!.spec as any).podCIDR)
  })
})

describe('seed 004 NVIDIA examples on --nodes mi300x=2,a100=2', () => {
  let h: OmeHarness
  afterEach(() => h?.stop())

  it('the Engine example (nodeSelector accelerator: nvidia-a100, nvidia.com/gpu: 2) runs on an A100 node', async () => {
    h = createOmeHarness({nodes: 'mi300x=2,a100=2'})
    h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-engine.yaml')
    await h.settle()
    const isvc = h.get('InferenceService', 'default', 'custom-engine')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    const pods = h.list('Pod', 'default', 'ome.io/inferenceservice=custom-engine')
    expect(pods.length).toBeGreaterThan(0)
    for (const pod of pods) expect(pod.spec.nodeName).toMatch(/^gpu-a100-[01]$/)
  })

  it('the Architecture example (one nvidia.com/gpu per pod) schedules on A100s, not on the MI300X nodes', async () => {
    h = createOmeHarness({nodes: 'mi300x=2,a100=2'})
    h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-architecture.yaml')
    await h.settle()
    const pods = h.list('Pod', 'default', 'ome.io/inferenceservice=llama-3-70b')
    expect(pods.length).toBeGreaterThan(0)
    for (const pod of pods) expect(pod.spec.nodeName).toMatch(/^gpu-a100-/)
    expect(h.conditions(h.get('InferenceService', 'default', 'llama-3-70b'))).toMatchObject({Ready: 'True'})
  })

  it('without NVIDIA nodes the same example stays Pending with the scheduler saying why', async () => {
    h = createOmeHarness({nodes: 'mi300x=2'})
    h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-engine.yaml')
    await h.settle()
    const [pod] = h.list('Pod', 'default', 'ome.io/inferenceservice=custom-engine')
    expect(pod.spec.nodeName).toBeUndefined()
    const scheduled = pod.status.conditions.find((c: any) => c.type === 'PodScheduled')
    expect(scheduled).toMatchObject({status: 'False', reason: 'Unschedulable'})
  })
})

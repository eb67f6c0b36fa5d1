import {describe, expect, it} from 'vitest'
import {
  clusterGpus,
  deviceIdToModel,
  extractAmdGpu,
  gpuTierRank,
  hardwareSummary,
  inventoryOf,
  normalizeGpuModel,
  templateGpuAvailability,
  templateNodeAffinity,
} from '../../../src/engine/index.js'
import {node} from './builders.js'

const GiB = 2 ** 30

describe('device ids and model names', () => {
  it('maps device ids (0x prefix, case) and unknown ids', () => {
    expect(deviceIdToModel('0x74A1')).toBe('MI300X')
    expect(deviceIdToModel('74b9')).toBe('MI325X')
    expect(deviceIdToModel('75a3')).toBe('MI355X')
    expect(deviceIdToModel('abcd')).toBe('AMD-ABCD')
  })
  it('normalizes GPU model strings', () => {
    expect(normalizeGpuModel('Instinct-MI325X')).toBe('MI325X')
    expect(normalizeGpuModel('MI300X (rev 2)')).toBe('MI300X')
    expect(normalizeGpuModel('amd_instinct_mi210')).toBe('MI210')
    expect(normalizeGpuModel('mi300x')).toBe('MI300X')
  })
})

describe('extractAmdGpu', () => {
  it('device-id wins; VRAM from the label (G = GiB) else the table', () => {
    expect(extractAmdGpu({'amd.com/gpu.device-id': '74a1', 'amd.com/gpu.vram': '192G'})).toEqual({model: 'MI300X', vramBytes: 192 * GiB})
    expect(extractAmdGpu({'amd.com/gpu.device-id': '75a0'})).toEqual({model: 'MI350X', vramBytes: 288 * GiB})
  })
  it('beta labels, count-encoded keys, and family labels', () => {
    expect(extractAmdGpu({'beta.amd.com/gpu.device-id': '74a5'})?.model).toBe('MI325X')
    expect(extractAmdGpu({'amd.com/gpu.device-id.74a1': '0', 'amd.com/gpu.device-id.740f': '4'})?.model).toBe('MI210')
    expect(extractAmdGpu({'amd.com/gpu.family': 'MI300X'})?.model).toBe('MI300X')
  })
  it('no AMD labels → undefined', () => {
    expect(extractAmdGpu({'kubernetes.io/os': 'linux'})).toBeUndefined()
    expect(extractAmdGpu(undefined)).toBeUndefined()
  })
})

describe('clusterGpus', () => {
  it('aggregates models, counts and VRAM per model and per node', () => {
    const inv = clusterGpus([
      node('a', {'amd.com/gpu.device-id': '74a1'}, 8),
      node('b', {'amd.com/gpu.device-id': '74a9'}, 4),
      node('c', {'amd.com/gpu.device-id': '74a5'}, 8),
      node('cpu', {}, 0),
    ])
    expect(inv.models).toEqual(['MI300X', 'MI325X'])
    expect(inv.byModel['MI300X']).toEqual({nodes: 2, capacity: 12, allocatable: 12, vramBytes: 192 * GiB})
    expect(inv.nodes.map((n) => n.node)).toEqual(['a', 'b', 'c'])
    expect(inv.has('mi325x')).toBe(true)
    expect(inv.has('MI355X')).toBe(false)
  })
})

describe('templateGpuAvailability', () => {
  const inv = inventoryOf(['MI300X', 'MI350X'])
  it('GPUNotAvailable lists the available models', () => {
    const r = templateGpuAvailability({gpu: {model: 'MI355X', requests: 1}}, inv)
    expect(r.available).toBe(false)
    expect(r.health).toEqual({state: 'NotAvailable', reason: 'GPUNotAvailable', message: "Required GPU model 'MI355X' not available in cluster. Available: MI300X, MI350X"})
  })
  it('no GPUs in the cluster', () => {
    expect(templateGpuAvailability({gpu: {model: 'MI300X', requests: 1}}, inventoryOf([])).health.message).toBe('No GPUs available in cluster')
  })
  it('VRAMNotAvailable names the highest GPU', () => {
    const r = templateGpuAvailability({gpu: {minVram: '300Gi', requests: 1}}, inv)
    expect(r.health).toEqual({state: 'NotAvailable', reason: 'VRAMNotAvailable', message: 'Required minimum VRAM (300Gi) exceeds available GPUs. Highest available: MI350X (288Gi)'})
    expect(templateGpuAvailability({gpu: {minVram: '200Gi', requests: 1}}, inv).health.reason).toBe('VRAMAvailable')
  })
  it('available model, any GPU, and CPU-only templates', () => {
    expect(templateGpuAvailability({gpu: {model: 'mi300x', requests: 2}}, inv).health.reason).toBe('GPUAvailable')
    expect(templateGpuAvailability({gpu: {requests: 1}}, inv).available).toBe(true)
    expect(templateGpuAvailability({cpu: {requests: '4'}}, inventoryOf([])).required).toBe(false)
  })
})

describe('inventoryOf', () => {
  it('builds an inventory from model names, known or not', () => {
    expect(inventoryOf(['mi300x', 'MI999X', 'AMD-74ff']).models).toEqual(['AMD-74FF', 'MI300X', 'MI999X'])
  })
})

describe('templateNodeAffinity', () => {
  it('device ids of the model, or of the cluster models meeting minVram', () => {
    const inv = inventoryOf(['MI300X', 'MI350X'])
    const terms = (a: ReturnType<typeof templateNodeAffinity>) => a?.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]?.matchExpressions[0]
    expect(terms(templateNodeAffinity({gpu: {model: 'MI300X'}}, inv))).toEqual({key: 'amd.com/gpu.device-id', operator: 'In', values: ['74a1', '74a9', '74b5', '74bd']})
    expect(terms(templateNodeAffinity({gpu: {minVram: '256Gi'}}, inv))?.values).toEqual(['75a0', '75b0'])
    expect(templateNodeAffinity({gpu: {requests: 1}}, inv)).toBeUndefined()
  })
})

describe('gpuTierRank and hardwareSummary', () => {
  it('MI325X > MI300X > MI250X > MI210 > unknown (ties)', () => {
    expect([gpuTierRank('MI325X'), gpuTierRank('MI300X'), gpuTierRank('MI250X'), gpuTierRank('MI210')]).toEqual([0, 1, 2, 3])
    expect(gpuTierRank('MI355X')).toBe(gpuTierRank('MI350X'))
    expect(gpuTierRank('MI355X')).toBeGreaterThan(gpuTierRank('MI210'))
  })
  it('summaries', () => {
    expect(hardwareSummary({gpu: {model: 'MI300X', requests: 2}})).toBe('2 x MI300X')
    expect(hardwareSummary({gpu: {model: 'MI300X', requests: 0}})).toBe('MI300X')
    expect(hardwareSummary({cpu: {requests: '2'}})).toBe('CPU')
  })
})

import {describe, expect, it} from 'vitest'
import {
  discoveryBackoffMs,
  discoveryModelSources,
  discoveryProfile,
  parseDiscoveryOutput,
  parseImageMetadata,
  parseRecommendedDeployments,
  templateSpecHash,
  templatesExpected,
} from '../../../src/engine/index.js'

const OUTPUT =
  '[{"filename":"profile.yaml","profile":{"model":"meta-llama/Llama-3.1-8B-Instruct","quantized_model":"","metadata":{"engine":"vllm","gpu":"MI300X","gpu_count":1,"metric":"throughput","precision":"fp16","type":"optimized"},"engine_args":{"tensor_parallel_size":1},"env_vars":{}},"models":[{"name":"meta-llama/Llama-3.1-8B-Instruct","source":"hf://meta-llama/Llama-3.1-8B-Instruct","size_gb":16.06}]}]'

describe('image metadata', () => {
  it('reads com.amd.aim. labels, falls back to org.amd.silogen., OCI labels', () => {
    const m = parseImageMetadata({
      'com.amd.aim.model.canonicalName': 'Qwen/Qwen3-32B',
      'org.amd.silogen.model.tags': 'chat, text',
      'com.amd.aim.hfToken.required': 'True',
      'com.amd.aim.model.recommendedDeployments': "[{'gpuModel': 'MI300X', 'gpuCount': 1, 'precision': 'fp16', 'metric': 'latency'}]",
      'org.opencontainers.image.version': '0.8.5',
    })
    expect(m.model).toMatchObject({canonicalName: 'Qwen/Qwen3-32B', tags: ['chat', 'text'], hfTokenRequired: true})
    expect(m.model.recommendedDeployments).toEqual([{gpuModel: 'MI300X', gpuCount: 1, precision: 'fp16', metric: 'latency'}])
    expect(m.oci).toEqual({version: '0.8.5'})
    expect(m.error).toBeUndefined()
  })
  it('wraps a bare object; a malformed value is a format error', () => {
    expect(parseRecommendedDeployments('{"gpuModel":"MI325X","gpuCount":"2"}')).toEqual([{gpuModel: 'MI325X', gpuCount: 2}])
    expect(parseImageMetadata({'com.amd.aim.model.recommendedDeployments': '[{oops'}).error).toMatch(/^invalid model.recommendedDeployments label/)
  })
  it('templates expected?', () => {
    expect(templatesExpected({spec: {discovery: {createServiceTemplates: false}}})).toBe(false)
    expect(templatesExpected({spec: {modelSources: [{}]}})).toBe(true)
    expect(templatesExpected({spec: {}})).toBeUndefined()
    expect(templatesExpected({spec: {}, metadata: parseImageMetadata({})})).toBe(false)
  })
})

describe('discovery output', () => {
  it('parses the whole log or the last array in mixed output', () => {
    expect(parseDiscoveryOutput([OUTPUT])?.profile.metadata?.gpu).toBe('MI300X')
    expect(parseDiscoveryOutput(['INFO starting', '[not json', OUTPUT, 'bye'])?.models).toHaveLength(1)
    expect(parseDiscoveryOutput(['nothing here'])).toBeUndefined()
  })
  it('model sources with int64(size_gb·2^30) bytes and the profile', () => {
    const r = parseDiscoveryOutput([OUTPUT])!
    expect(discoveryModelSources(r)).toEqual([{modelId: 'meta-llama/Llama-3.1-8B-Instruct', sourceUri: 'hf://meta-llama/Llama-3.1-8B-Instruct', size: String(Math.trunc(16.06 * 2 ** 30))}])
    expect(discoveryProfile(r).metadata).toEqual({engine: 'vllm', gpu: 'MI300X', gpuCount: 1, metric: 'throughput', precision: 'fp16', type: 'optimized'})
  })
  it('backoff 60s·2^(n-1) capped at 1h; spec hash changes with inputs', () => {
    expect([1, 2, 3, 7, 8].map(discoveryBackoffMs)).toEqual([60_000, 120_000, 240_000, 3_600_000, 3_600_000])
    expect(templateSpecHash({modelName: 'm', metric: 'latency'})).toHaveLength(16)
    expect(templateSpecHash({modelName: 'm', metric: 'latency'})).not.toBe(templateSpecHash({modelName: 'm', metric: 'throughput'}))
  })
})

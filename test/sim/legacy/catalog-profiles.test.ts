/**
 * The built-in catalog offers what seed 003 asks of registry.example.com/aim/llama3-8b:1.1 (its
 * templates and overrides), and the SGLang images OME runtimes use run as generic images.
 */
import {describe, expect, it} from 'vitest'
import {CatalogImageRegistry, loadBuiltinCatalog, selectProfile} from '../../../simulator/cluster/catalog.js'

const registry = new CatalogImageRegistry(loadBuiltinCatalog())
const llama = registry.lookup('registry.example.com/aim/llama3-8b:1.1')!

describe('registry.example.com/aim/llama3-8b:1.1 profiles (seed 003)', () => {
  it.each([
    ['llama3-8b-fast: fp8 latency on 1× MI300X', {gpuModel: 'MI300X', gpuCount: 1, precision: 'fp8', metric: 'latency'}, 'vllm-mi300x-fp8-tp1-latency'],
    ['llama3-fast-bf16: the fast template with precision bf16', {gpuModel: 'MI300X', gpuCount: 1, precision: 'bf16', metric: 'latency'}, 'vllm-mi300x-bf16-tp1-latency'],
    ['llama3-override-svc: bf16 on 2× MI300X', {gpuModel: 'MI300X', gpuCount: 2, precision: 'bf16'}, 'vllm-mi300x-bf16-tp2-latency'],
    ['llama3-8b-mi325x-throughput: bf16 throughput on 2× MI325X', {gpuModel: 'MI325X', gpuCount: 2, precision: 'bf16', metric: 'throughput'}, 'vllm-mi325x-bf16-tp2-throughput'],
    ['llama3-8b-latency-gpu1: fp16 latency on 1× MI300X', {gpuModel: 'MI300X', gpuCount: 1, precision: 'fp16', metric: 'latency'}, 'vllm-mi300x-fp16-tp1-latency'],
  ])('%s', (_what, filters, id) => {
    const p = selectProfile(llama, filters)
    expect(p).toMatchObject({id, type: 'optimized', model: 'meta-llama/Meta-Llama-3-8B-Instruct'})
  })

  it('the recommended deployments label lists them all', () => {
    const deployments = JSON.parse(registry.inspect('registry.example.com/aim/llama3-8b:1.1')!.labels['com.amd.aim.model.recommendedDeployments']!)
    expect(deployments.map((d: {gpuModel: string; gpuCount: number; precision?: string; metric: string}) => `${d.gpuCount}x${d.gpuModel} ${d.precision} ${d.metric}`)).toEqual([
      '1xMI300X fp16 latency',
      '1xMI300X fp16 throughput',
      '1xMI300X fp8 latency',
      '1xMI300X bf16 latency',
      '2xMI300X bf16 latency',
      '2xMI300X fp16 throughput',
      '2xMI325X bf16 throughput',
    ])
  })

  it('SGLang engine and router images are generic images', () => {
    for (const image of ['lmsysorg/sglang:v0.4.9', 'lmsysorg/sglang-router:latest', 'fra.ocir.io/idqj093njucb/smg:v0.2.4.post1-dev']) expect(registry.inspect(image), image).toBeDefined()
  })
})

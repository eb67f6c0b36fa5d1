import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CatalogImageRegistry, loadBuiltinCatalog, loadCatalogDir, normalizeImage, selectProfile} from '../../../simulator/cluster/catalog.js'

// Every image the seed documents and the reference catalog name.
const SEED_IMAGES = [
  'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5',
  'amdenterpriseai/aim-vllm-base:0.10.0',
  'ghcr.io/silogen/aim-meta-llama-llama-3-1-8b-instruct:0.7.0',
  'ghcr.io/silogen/aim-meta-llama-llama-3-1-70b-instruct:0.7.0',
  'registry.example.com/aim/llama3-8b:1.1',
  'custom-vllm:latest',
  'ghcr.io/silogen/aim-dummy:0.1.10',
  'ghcr.io/silogen/aim-dummy:0.1.9',
  'ghcr.io/silogen/aim-dummy:0.1.8',
  'amdenterpriseai/aim-base:0.9',
  'amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5',
  'ghcr.io/silogen/aim-artifact-downloader:0.2.0',
]

describe('image catalog', () => {
  const registry = new CatalogImageRegistry(loadBuiltinCatalog())

  it('knows every image the seeds use, and nothing else', () => {
    for (const image of SEED_IMAGES) expect(registry.inspect(image), image).toBeDefined()
    expect(registry.inspect('amdenterpriseai/aim-does-not-exist:1.0')).toBeUndefined()
    expect(registry.inspect('docker.io/library/redis:7')).toBeDefined()
    expect(normalizeImage('docker.io/library/redis')).toEqual({repo: 'redis', tag: 'latest', full: 'redis:latest'})
  })

  it('returns the labels a registry would for Qwen3-32B', () => {
    const labels = registry.inspect('docker.io/amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')!.labels
    expect(labels['com.amd.aim.model.canonicalName']).toBe('Qwen/Qwen3-32B')
    expect(labels['com.amd.aim.hfToken.required']).toBe('false')
    expect(labels['org.opencontainers.image.version']).toBe('0.8.5')
    expect(JSON.parse(labels['com.amd.aim.model.recommendedDeployments']!)).toEqual([
      {gpuModel: 'MI300X', gpuCount: 1, precision: 'fp16', metric: 'latency', description: 'Latency optimized deployment on 1x MI300X (fp16)'},
      {gpuModel: 'MI300X', gpuCount: 1, precision: 'fp16', metric: 'throughput', description: 'Throughput optimized deployment on 1x MI300X (fp16)'},
      {gpuModel: 'MI325X', gpuCount: 1, metric: 'latency', profileId: 'vllm-mi325x-fp8-tp1-latency', description: 'Latency optimized deployment on 1x MI325X'},
      {gpuModel: 'MI325X', gpuCount: 1, metric: 'throughput', profileId: 'vllm-mi325x-fp8-tp1-throughput', description: 'Throughput optimized deployment on 1x MI325X'},
    ])
    expect(registry.inspect('ghcr.io/silogen/aim-meta-llama-llama-3-1-8b-instruct:0.7.0')!.labels['com.amd.aim.hfToken.required']).toBe('true')
  })

  it('chooses discovery profiles by filters, preferring optimized then latency', () => {
    const qwen = registry.lookup('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')!
    expect(selectProfile(qwen, {})?.id).toBe('vllm-mi300x-fp16-tp1-latency')
    expect(selectProfile(qwen, {gpuModel: 'Instinct-MI325X', metric: 'throughput'})).toMatchObject({id: 'vllm-mi325x-fp8-tp1-throughput', type: 'unoptimized', precision: 'fp8'})
    expect(selectProfile(qwen, {profileId: 'vllm-mi325x-fp8-tp1-latency'})?.model).toBe('Qwen/Qwen3-32B-FP8')
    expect(selectProfile(qwen, {gpuModel: 'MI300X', precision: 'fp8'})?.type).toBe('unoptimized')
    expect(selectProfile(qwen, {gpuModel: 'MI355X'})).toBeUndefined()
    const dummy = registry.lookup('ghcr.io/silogen/aim-dummy:0.1.9')!
    expect(selectProfile(dummy, {})?.id).toBe('mi300x-fp16-latency-unopt')
  })

  it('loads extra images from a directory and reports bad files with their name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'))
    try {
      writeFileSync(
        join(dir, 'mine.yaml'),
        'images:\n  - image: registry.example.com/aim-my-model:1.0\n    canonicalName: my-org/My-Model\n    models:\n      my-org/My-Model: {source: hf://my-org/My-Model, sizeGb: 3}\n    profiles:\n      - {gpu: MI300X, count: 1, precision: fp16, metric: latency, type: optimized}\n',
      )
      const reg = new CatalogImageRegistry(loadCatalogDir(dir))
      expect(reg.inspect('registry.example.com/aim-my-model:1.0')!.labels['com.amd.aim.model.canonicalName']).toBe('my-org/My-Model')
      expect(reg.inspect('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')).toBeDefined()
      expect(reg.sourceSize('hf://my-org/My-Model')).toBe(3 * 2 ** 30)
      writeFileSync(join(dir, 'zz-bad.yaml'), 'images:\n  - canonicalName: x\n')
      expect(() => loadCatalogDir(dir)).toThrow(`${join(dir, 'zz-bad.yaml')}: every image needs an "image" field`)
      expect(() => loadCatalogDir(join(dir, 'missing'))).toThrow(`catalog directory ${join(dir, 'missing')} does not exist`)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

describe('AIMClusterModelSource', () => {
  it('creates owned AIMClusterModels for the catalog images matching the filters', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMClusterModelSource
metadata: {name: amd-catalog}
spec:
  registry: docker.io
  filters:
    - image: amdenterpriseai/aim-qwen-*
    - image: amdenterpriseai/aim-meta-llama-*
      exclude: [amdenterpriseai/aim-meta-llama-llama-3-1-405b-instruct]
      versions: [">=0.8.4"]
  maxModels: 100
`)
    await h.settle(60_000)
    const src = h.get('AIMClusterModelSource', undefined, 'amd-catalog')
    const models = h.list('AIMClusterModel', undefined, 'aim.eai.amd.com/model-source=amd-catalog')
    const images = models.map((m) => m.spec.image).sort()
    expect(images).toContain('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')
    expect(images).toContain('amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5')
    expect(images.some((i) => i.includes('405b'))).toBe(false)
    expect(images.every((i) => i.startsWith('amdenterpriseai/aim-qwen-') || i.startsWith('amdenterpriseai/aim-meta-llama-'))).toBe(true)
    const qwen = models.find((m) => m.spec.image === 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')!
    expect(qwen.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMClusterModelSource', name: 'amd-catalog'})
    expect(qwen.metadata.annotations).toMatchObject({
      'aim.eai.amd.com/source-registry': 'docker.io',
      'aim.eai.amd.com/source-repository': 'amdenterpriseai/aim-qwen-qwen3-32b',
      'aim.eai.amd.com/source-tag': '0.8.5',
    })
    expect(qwen.metadata.name).toMatch(/^amdenterpriseai-aim-qwen-qwen3-32b-0-8-5-[0-9a-f]{6}$/)
    expect(src.status).toMatchObject({status: 'Ready', discoveredModels: models.length, modelsLimitReached: false})
    expect(h.conditions(src).FiltersReady).toEqual(['True', 'AllFiltersSucceeded', '2 filter(s) synced'])
  })

  it('stops at maxModels and reports LimitReached', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMClusterModelSource
metadata: {name: small}
spec:
  filters: [{image: "amdenterpriseai/aim-*"}]
  maxModels: 2
`)
    await h.settle(60_000)
    const src = h.get('AIMClusterModelSource', undefined, 'small')
    expect(h.list('AIMClusterModel', undefined, 'aim.eai.amd.com/model-source=small')).toHaveLength(2)
    expect(src.status.modelsLimitReached).toBe(true)
    expect(h.cond(src, 'MaxModelsLimitReached').slice(0, 2)).toEqual(['True', 'LimitReached'])
  })

  it('fails when every filter has an invalid version constraint', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMClusterModelSource
metadata: {name: bad}
spec:
  filters: [{image: "amdenterpriseai/aim-*", versions: [">=banana"]}]
`)
    await h.settle(60_000)
    const src = h.get('AIMClusterModelSource', undefined, 'bad')
    expect(src.status.status).toBe('Failed')
    expect(h.conditions(src).FiltersReady).toEqual(['False', 'AllFiltersFailed', 'amdenterpriseai/aim-*: invalid version constraint'])
  })
})

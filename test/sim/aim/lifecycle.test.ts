import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

const IMAGE = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'

function service(name: string, extra = '', labels = ''): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: ${name}
  namespace: ml-team
${labels}
spec:
  model:
    image: ${IMAGE}
${extra}`
}

describe('AIMService lifecycle', () => {
  it('propagates a replicas change to the InferenceService and bumps observedGeneration', async () => {
    h = createHarness()
    h.apply(service('qwen-chat'))
    await h.settle()
    const before = h.get('AIMService', 'ml-team', 'qwen-chat')
    h.apply({...before, spec: {...before.spec, replicas: 2}, status: undefined})
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.metadata.generation).toBe(2)
    expect(s.status.observedGeneration).toBe(2)
    const [isvc] = h.list('InferenceService', 'ml-team')
    expect([isvc.spec.predictor.minReplicas, isvc.spec.predictor.maxReplicas]).toEqual([2, 2])
    // The cache volumes survive the update.
    expect(isvc.spec.predictor.volumes).toHaveLength(2)
  })

  it('does nothing for an object with the reconciliation-paused annotation', async () => {
    h = createHarness()
    h.apply(service('frozen', '', '  annotations:\n    aim.eai.amd.com/reconciliation-paused: "true"'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'frozen')
    expect(s.status ?? {}).toEqual({})
    expect(s.metadata.finalizers ?? []).toEqual([])
    expect(h.list('AIMModel', 'ml-team')).toEqual([])
  })

  it('propagates labels matching the runtime config labelPropagation globs', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMRuntimeConfig
metadata: {name: default, namespace: ml-team}
spec:
  labelPropagation:
    enabled: true
    match: ["team", "cost-*"]
`)
    h.apply(service('qwen-chat', '', '  labels:\n    team: research\n    cost-center: "42"\n    other: x'))
    await h.settle()
    const [isvc] = h.list('InferenceService', 'ml-team')
    expect(isvc.metadata.labels).toMatchObject({team: 'research', 'cost-center': '42'})
    expect(isvc.metadata.labels.other).toBeUndefined()
  })

  it('creates an owned derived template for overrides and keeps serving the base template', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  overrides:\n    metric: throughput'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    expect(s.status.resolvedTemplate.name).toBe('amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-thr-fp16-2734')
    const derived = h.list('AIMServiceTemplate', 'ml-team', 'aim.eai.amd.com/origin=derived')
    expect(derived).toHaveLength(1)
    expect(derived[0].metadata.name).toContain('-ovr-')
    expect(derived[0].metadata.name.length).toBeLessThanOrEqual(63)
    expect(derived[0].metadata.ownerReferences[0]).toMatchObject({kind: 'AIMService', name: 'qwen-chat'})
    expect(derived[0].spec).toMatchObject({metric: 'throughput', runtimeConfigName: 'default', caching: {enabled: true}})
    const [isvc] = h.list('InferenceService', 'ml-team')
    expect(isvc.metadata.labels['aim.eai.amd.com/template']).toBe('amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-thr-fp16-2734')
  })
})

describe('AIMKVCache (seed 000)', () => {
  it('creates kvcache-<service> with a Redis StatefulSet and Service for kvCache.type', async () => {
    h = createHarness()
    h.apply(service('llama-chat', '  kvCache:\n    type: redis\n    storage:\n      size: 100Gi\n      storageClassName: fast-ssd'))
    await h.settle()
    const kv = h.get('AIMKVCache', 'ml-team', 'kvcache-llama-chat')
    expect(kv.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMService', name: 'llama-chat'})
    expect(kv.status).toMatchObject({status: 'Ready', endpoint: 'redis://kvcache-llama-chat:6379', statefulSetName: 'kvcache-llama-chat', readyReplicas: 1, storageSize: '100Gi'})
    const sts = h.get('StatefulSet', 'ml-team', 'kvcache-llama-chat')
    expect(sts.spec.template.spec.containers[0]).toMatchObject({name: 'redis', image: 'redis:7.2'})
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({resources: {requests: {storage: '100Gi'}}, storageClassName: 'fast-ssd'})
    expect(h.get('Service', 'ml-team', 'kvcache-llama-chat').spec.ports[0].port).toBe(6379)
    const s = h.get('AIMService', 'ml-team', 'llama-chat')
    expect(h.conditions(s).KVCacheReady).toEqual(['True', 'KVCacheReady', 'AIMKVCache kvcache-llama-chat is ready'])
    expect(s.status.status).toBe('Running')
  })

  it('fails a service that references a missing KV cache by name', async () => {
    h = createHarness()
    h.apply(service('llama-chat', '  kvCache:\n    name: shared-cache'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'llama-chat')
    expect(s.status.status).toBe('Failed')
    expect(h.conditions(s).KVCacheReady).toEqual(['False', 'KVCacheNotFound', 'AIMKVCache shared-cache not found'])
  })
})

describe('children follow the service spec', () => {
  it('removes a resource limit from the InferenceService when the service drops it', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  resources:\n    limits:\n      cpu: "8"'))
    await h.settle()
    expect(h.list('InferenceService', 'ml-team')[0].spec.predictor.containers[0].resources.limits.cpu).toBe('8')
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    h.apply({...s, spec: {...s.spec, resources: undefined}, status: undefined})
    await h.settle()
    const limits = h.list('InferenceService', 'ml-team')[0].spec.predictor.containers[0].resources.limits
    expect(limits.cpu).toBeUndefined()
    expect(limits.memory).toBe('48Gi')
  })
})

describe('switching features off', () => {
  it('deletes the owned HTTPRoute and KV cache when routing and kvCache are removed', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  routing:\n    enabled: true\n    gatewayRef: {name: inference-gateway, namespace: gateways}\n  kvCache:\n    type: redis'))
    await h.settle()
    expect(h.list('HTTPRoute', 'ml-team')).toHaveLength(1)
    expect(h.list('AIMKVCache', 'ml-team')).toHaveLength(1)
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    h.apply({...s, spec: {...s.spec, routing: undefined, kvCache: undefined}, status: undefined})
    await h.settle()
    expect(h.list('HTTPRoute', 'ml-team')).toEqual([])
    expect(h.list('AIMKVCache', 'ml-team')).toEqual([])
    const after = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(after.status.status).toBe('Running')
    expect(after.status.routing).toBeUndefined()
  })
})

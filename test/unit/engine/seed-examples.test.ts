/**
 * The example status of seed 001 ("Example Status") rebuilt from the engine's decisions, plus
 * robustness: derived names are always valid, and odd inputs never throw.
 */
import {describe, expect, it} from 'vitest'
import {
  artifactName,
  cacheHealth,
  customModelName,
  derivedTemplateName,
  httpRouteHealth,
  inferenceServiceHealth,
  inferenceServiceName,
  modelNameFromImage,
  renderPathTemplate,
  resolveModel,
  resolveRuntimeConfig,
  rollupServiceStatus,
  selectTemplate,
  templateCacheName,
  templateNameForDeployment,
} from '../../../src/engine/index.js'
import type {KubeObject} from '../../../src/api/object.js'
import {model, service, template} from './builders.js'

describe('seed 001 example status', () => {
  it('is what the engine decides for qwen-chat in ml-team', () => {
    const svc = service('qwen-chat', 'ml-team', {model: {name: 'qwen-qwen3-32b'}, routing: {enabled: true, gatewayRef: {name: 'inference-gateway', namespace: 'gateways'}}})
    const m = resolveModel({service: svc, namespacedModels: [model('qwen-qwen3-32b', {ns: 'ml-team'})], clusterModels: []})
    const t = selectTemplate({
      service: svc,
      modelName: 'qwen-qwen3-32b',
      namespacedTemplates: [],
      clusterTemplates: [template('qwen3-32b-latency', {model: 'qwen-qwen3-32b', gpu: 'MI300X', count: 1})],
      gpus: ['MI300X'],
    })
    const rc = resolveRuntimeConfig(undefined, {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMRuntimeConfig', metadata: {name: 'default', namespace: 'ml-team'}, spec: {}}, undefined)
    const ready = (o: Partial<KubeObject>) => ({apiVersion: 'x', kind: 'x', metadata: {name: 'x'}, ...o}) as KubeObject
    const rollup = rollupServiceStatus([
      {component: 'Model', ...m.health},
      {component: 'Template', ...t.health},
      {component: 'Cache', ...cacheHealth(ready({status: {status: 'Ready'}}))},
      {component: 'InferenceService', ...inferenceServiceHealth(ready({status: {conditions: [{type: 'Ready', status: 'True'}]}}))},
      {component: 'HTTPRoute', ...httpRouteHealth(ready({status: {parents: [{conditions: [{type: 'Accepted', status: 'True'}]}]}}))},
    ])
    expect(rollup.status).toBe('Running')
    expect(rollup.conditions).toEqual([
      {type: 'ModelReady', status: 'True', reason: 'ModelResolved', message: 'AIMModel qwen-qwen3-32b is ready'},
      {type: 'TemplateReady', status: 'True', reason: 'Resolved', message: 'AIMClusterServiceTemplate qwen3-32b-latency is ready'},
      {type: 'CacheReady', status: 'True', reason: 'CacheReady', message: 'Template cache is ready'},
      {type: 'InferenceServiceReady', status: 'True', reason: 'RuntimeReady', message: 'InferenceService is ready'},
      {type: 'HTTPRouteReady', status: 'True', reason: 'HTTPRouteAccepted', message: 'HTTPRoute is accepted by gateway'},
      {type: 'Ready', status: 'True', reason: 'AllComponentsReady', message: 'All components are ready'},
    ])
    expect(rc.ok && rc.ref).toEqual({name: 'default', namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMRuntimeConfig'})
    expect(m.outcome === 'resolved' && m.ref).toMatchObject({name: 'qwen-qwen3-32b', namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMModel'})
    expect(t.selected?.scope).toBe('Cluster')
    expect(renderPathTemplate(undefined, svc)).toEqual({ok: true, path: '/ml-team/qwen-chat'})
  })

  it('seed 001 complete example: pathTemplate with the team label', () => {
    const svc = service('qwen-chat', 'ml-team', {}, {labels: {team: 'research'}})
    expect(renderPathTemplate("/team/{.metadata.labels['team']}/chat", svc)).toEqual({ok: true, path: '/team/research/chat'})
  })
})

describe('derived names are always valid DNS labels', () => {
  const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
  let seed = 42
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const chars = 'abcXYZ019-_./:@+ ÜK'
  const str = (max: number) => Array.from({length: 1 + Math.floor(rand() * max)}, () => chars[Math.floor(rand() * chars.length)]).join('')

  it('for 500 random inputs', () => {
    for (let i = 0; i < 500; i++) {
      const a = `a${str(80)}`
      const ns = `n${str(30)}`.toLowerCase().replace(/[^a-z0-9-]/g, 'x')
      const names = [
        inferenceServiceName(a, ns),
        templateCacheName(a, {namespace: ns}),
        templateCacheName(a, {svcName: str(70), svcUid: 'u'}, 'Dedicated'),
        artifactName({sourceUri: `hf://${str(90)}`}),
        derivedTemplateName(a, {gpuModel: 'MI300X', gpuCount: 8, precision: 'fp16', metric: 'throughput'}),
        templateNameForDeployment({name: a, image: `registry.example.com/${str(60)}:${str(10)}x`}, {gpuModel: 'MI325X', gpuCount: 4, metric: 'latency', precision: 'fp8'}),
        customModelName({baseImage: 'b:1', modelSources: [{modelId: str(90), sourceUri: 's3://x'}]}),
      ]
      for (const n of names) {
        expect(n.length, n).toBeLessThanOrEqual(63)
        expect(n, n).toMatch(RFC1123)
      }
      expect(inferenceServiceName(a, ns).length + ns.length + '-predictor'.length + 1).toBeLessThanOrEqual(63)
    }
  })

  it('image model names are valid for realistic images', () => {
    for (const img of ['amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', 'ghcr.io/silogen/aim-meta-llama-llama-3-1-8b-instruct:0.7.0', 'localhost:5000/a/b@sha256:0123456789abcdef']) {
      expect(modelNameFromImage(img)).toMatch(RFC1123)
    }
  })
})

describe('odd inputs never throw', () => {
  const bare = (kind: string, extra: Partial<KubeObject> = {}): KubeObject => ({apiVersion: 'aim.eai.amd.com/v1alpha1', kind, metadata: {name: 'x', namespace: 'ns'}, ...extra})
  it('objects without spec or status', () => {
    const svc = bare('AIMService')
    expect(resolveModel({service: svc, namespacedModels: [bare('AIMModel')], clusterModels: []}).outcome).toBe('error')
    const r = selectTemplate({service: svc, modelName: 'm', namespacedTemplates: [bare('AIMServiceTemplate')], clusterTemplates: [bare('AIMClusterServiceTemplate', {spec: {modelName: 'm'}})], gpus: []})
    expect(r.outcome).toBe('notReady')
    expect(r.candidates[0]).toMatchObject({status: '', type: 'unoptimized', droppedAt: 'availability', reason: 'TemplateNotReady'})
    expect(renderPathTemplate('/{.metadata.labels.team}', svc)).toMatchObject({ok: false, reason: 'PathTemplateInvalid'})
  })
})

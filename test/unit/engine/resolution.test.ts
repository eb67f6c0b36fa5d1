import {describe, expect, it} from 'vitest'
import {modelHealth, resolveExplicitTemplate, resolveModel, templateHealth} from '../../../src/engine/index.js'
import {model, service, template} from './builders.js'

const NS = 'ml-team'

describe('resolveModel by name', () => {
  it('namespace model beats the cluster model of the same name', () => {
    const r = resolveModel({service: service('s', NS, {model: {name: 'qwen'}}), namespacedModels: [model('qwen', {ns: NS})], clusterModels: [model('qwen')]})
    expect(r.outcome).toBe('resolved')
    if (r.outcome !== 'resolved') return
    expect(r.scope).toBe('Namespace')
    expect(r.ref).toEqual({name: 'qwen', namespace: NS, scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMModel', uid: 'uid-qwen'})
    expect(r.condition).toEqual({type: 'ModelReady', status: 'True', reason: 'ModelResolved', message: 'AIMModel qwen is ready'})
  })
  it('falls back to the cluster model', () => {
    const r = resolveModel({service: service('s', NS, {model: {name: 'qwen'}}), namespacedModels: [model('qwen', {ns: 'other'})], clusterModels: [model('qwen')]})
    expect(r.outcome === 'resolved' && r.condition.message).toBe('AIMClusterModel qwen is ready')
  })
  it('missing → ModelNotFound, MissingUpstreamDependency (Failed)', () => {
    const r = resolveModel({service: service('s', NS, {model: {name: 'nope'}}), namespacedModels: [], clusterModels: []})
    expect(r.condition).toEqual({type: 'ModelReady', status: 'False', reason: 'ModelNotFound', message: 'model "nope" not found in namespace ml-team or cluster scope'})
    expect(r.health).toMatchObject({state: 'Failed', error: 'MissingUpstreamDependency'})
  })
  it('no model field → ModelNotFound "no model specified in service spec"', () => {
    const r = resolveModel({service: service('s', NS, {}), namespacedModels: [], clusterModels: []})
    expect(r.condition.message).toBe('no model specified in service spec')
    expect(r.health.error).toBe('InvalidSpec')
  })
})

describe('resolveModel by image', () => {
  const image = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'
  it('exact match in either scope', () => {
    const r = resolveModel({service: service('s', NS, {model: {image}}), namespacedModels: [], clusterModels: [model('qwen-c', {image})]})
    expect(r.outcome === 'resolved' && r.scope).toBe('Cluster')
    const near = resolveModel({service: service('s', NS, {model: {image}}), namespacedModels: [model('x', {ns: NS, image: `${image}-rc`})], clusterModels: []})
    expect(near.outcome).toBe('create')
  })
  it('no match → an AIMModel to create, without owner, label origin=auto-generated', () => {
    const r = resolveModel({service: service('qwen-chat', NS, {model: {image}, runtimeConfigName: 'team-config'}), namespacedModels: [], clusterModels: []})
    expect(r.outcome).toBe('create')
    if (r.outcome !== 'create') return
    expect(r.create.metadata).toMatchObject({name: 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22', namespace: NS, labels: {'aim.eai.amd.com/origin': 'auto-generated'}})
    expect(r.create.metadata.ownerReferences).toBeUndefined()
    expect(r.create.spec).toEqual({image, runtimeConfigName: 'team-config'})
    expect(r.condition).toEqual({type: 'ModelReady', status: 'False', reason: 'CreatingModel', message: `Model will be created for image ${image}`})
  })
  it('several matches → "multiple models found…" error', () => {
    const r = resolveModel({service: service('s', NS, {model: {image}}), namespacedModels: [model('a', {ns: NS, image})], clusterModels: [model('b', {image}), model('c', {image})]})
    expect(r.outcome).toBe('error')
    expect(r.condition.message).toBe(`multiple models found with the same image with image "${image}": a (namespace), b (cluster), c (cluster)`)
    expect(r.health).toMatchObject({state: 'Degraded', reason: 'MultipleModelsFound', error: 'Infrastructure'})
  })
  it('an unusable image reference → InvalidImageReference', () => {
    const r = resolveModel({service: service('s', NS, {model: {image: 'repo/:...'}}), namespacedModels: [], clusterModels: []})
    expect(r.condition.reason).toBe('InvalidImageReference')
  })
})

describe('resolveModel custom and sticky', () => {
  const custom = {baseImage: 'amdenterpriseai/aim-base:0.9', modelSources: [{modelId: 'my-org/llama', sourceUri: 's3://b/w/'}], hardware: {gpu: {model: 'MI300X', requests: 1}}}
  it('creates a custom model with labels, or reuses a matching one', () => {
    const r = resolveModel({service: service('svc', NS, {model: {custom}}), namespacedModels: [], clusterModels: []})
    expect(r.outcome).toBe('create')
    if (r.outcome !== 'create') return
    expect(r.create.metadata.labels).toMatchObject({'aim.eai.amd.com/origin': 'auto-generated', 'aim.eai.amd.com/custom-model': 'true', 'aim.eai.amd.com/service': 'svc'})
    expect(r.condition.message).toBe('Custom model will be created for my-org/llama')
    const existing = {...r.create, status: {status: 'Ready'}}
    const again = resolveModel({service: service('svc2', NS, {model: {custom}}), namespacedModels: [existing], clusterModels: []})
    expect(again.outcome).toBe('resolved')
  })
  it('a sticky resolvedModel that is still Ready wins', () => {
    const svc = service('s', NS, {model: {image: 'img/x:1'}})
    svc.status = {resolvedModel: {name: 'pinned', scope: 'Cluster', kind: 'x'}}
    const r = resolveModel({service: svc, namespacedModels: [model('other', {ns: NS, image: 'img/x:1'})], clusterModels: [model('pinned', {image: 'img/old:1'})]})
    expect(r.outcome === 'resolved' && r.model.metadata.name).toBe('pinned')
  })
})

describe('modelHealth table', () => {
  it.each([
    ['Ready', 'Ready', 'ModelResolved', 'AIMModel m is ready'],
    ['Pending', 'Progressing', 'ModelNotReady', 'AIMModel m is not ready yet'],
    ['Progressing', 'Progressing', 'ModelNotReady', 'AIMModel m is not ready yet'],
    ['Failed', 'Failed', 'ModelNotReady', 'AIMModel m is in failed state'],
    ['Degraded', 'Failed', 'ModelNotReady', 'AIMModel m is in failed state'],
    ['NotAvailable', 'Progressing', 'ModelNotReady', 'AIMModel m status: NotAvailable'],
  ])('%s → %s %s', (status, state, reason, message) => {
    expect(modelHealth(model('m', {ns: NS, status}), 'Namespace')).toEqual({state, reason, message})
  })
})

describe('explicit template', () => {
  const svc = (spec: Record<string, unknown>) => service('s', NS, {model: {name: 'qwen'}, ...spec})
  it('namespace first, then cluster', () => {
    const r = resolveExplicitTemplate({service: svc({template: {name: 't'}}), namespacedTemplates: [template('t', {ns: NS})], clusterTemplates: [template('t')]})
    expect(r.outcome === 'resolved' && r.scope).toBe('Namespace')
    const c = resolveExplicitTemplate({service: svc({template: {name: 't'}}), namespacedTemplates: [], clusterTemplates: [template('t')]})
    expect(c.condition).toEqual({type: 'TemplateReady', status: 'True', reason: 'Resolved', message: 'AIMClusterServiceTemplate t is ready'})
  })
  it('not found → TemplateNotFound "template "<n>" not found" (Failed)', () => {
    const r = resolveExplicitTemplate({service: svc({template: {name: 'nope'}}), namespacedTemplates: [], clusterTemplates: []})
    expect(r.condition).toEqual({type: 'TemplateReady', status: 'False', reason: 'TemplateNotFound', message: 'template "nope" not found'})
    expect(r.health.error).toBe('MissingUpstreamDependency')
  })
  it('with overrides, the derived template is looked up first', () => {
    const derived = template('t-ovr-mi325x-fp16-b7ae', {ns: NS})
    const r = resolveExplicitTemplate({
      service: svc({template: {name: 't'}, overrides: {precision: 'fp16', hardware: {gpu: {model: 'MI325X'}}}}),
      namespacedTemplates: [template('t', {ns: NS}), derived],
      clusterTemplates: [],
    })
    expect(r.outcome === 'resolved' && r.derivedName).toBe('t-ovr-mi325x-fp16-b7ae')
  })
  it.each([
    ['Ready', 'Ready', 'Resolved', 'AIMServiceTemplate t is ready'],
    ['Pending', 'Progressing', 'TemplateNotReady', 'AIMServiceTemplate t is not ready yet'],
    ['NotAvailable', 'NotAvailable', 'TemplateNotReady', 'AIMServiceTemplate t is not available (no matching GPUs)'],
    ['Failed', 'Failed', 'TemplateNotReady', 'AIMServiceTemplate t is in failed state'],
  ])('template %s → %s %s', (status, state, reason, message) => {
    expect(templateHealth(template('t', {ns: NS, status}), 'Namespace')).toEqual({state, reason, message})
  })
})

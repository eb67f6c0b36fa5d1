import {describe, expect, it} from 'vitest'
import {
  aggregateModelTemplates,
  cacheHealth,
  hpaHealth,
  httpRouteHealth,
  inferenceServiceHealth,
  podsHealth,
  rollupServiceStatus,
  rollupStatus,
  setCondition,
  type ComponentHealth,
} from '../../../src/engine/index.js'
import type {KubeObject} from '../../../src/api/object.js'

const ok = (component: string): ComponentHealth => ({component, state: 'Ready', reason: 'Ok', message: 'ok'})

describe('rollupServiceStatus (reference §10, seed 001 status values)', () => {
  it('all ready → Running, Ready True AllComponentsReady', () => {
    const r = rollupServiceStatus([ok('Model'), ok('Template'), ok('Cache'), ok('InferenceService'), ok('InferenceServicePods')])
    expect(r.status).toBe('Running')
    expect(r.ready).toEqual({type: 'Ready', status: 'True', reason: 'AllComponentsReady', message: 'All components are ready'})
    expect(r.conditions.map((c) => c.type)).toEqual(['ModelReady', 'TemplateReady', 'CacheReady', 'InferenceServiceReady', 'InferenceServicePodsReady', 'Ready'])
  })
  it('an upstream component not ready → Pending; Ready False Progressing', () => {
    const r = rollupServiceStatus([
      {component: 'Model', state: 'Progressing', reason: 'CreatingModel', message: 'm'},
      {component: 'Template', state: 'Pending', reason: 'TemplateNotFound', message: 't'},
      {component: 'InferenceService', state: 'Progressing', reason: 'CreatingRuntime', message: 'InferenceService not found'},
    ])
    expect(r.status).toBe('Pending')
    expect(r.ready).toEqual({type: 'Ready', status: 'False', reason: 'Progressing', message: 'Waiting for components to become ready'})
  })
  it('only downstream components progressing → Starting', () => {
    const r = rollupServiceStatus([ok('Model'), ok('Template'), {component: 'Cache', state: 'Progressing', reason: 'CacheCreating', message: 'Creating template cache'}])
    expect(r.status).toBe('Starting')
  })
  it('a blocking error → Failed, ConfigValid False, Ready carries the component reason', () => {
    const r = rollupServiceStatus([{component: 'Model', state: 'Failed', reason: 'ModelNotFound', message: 'model "x" not found in namespace ns or cluster scope', error: 'MissingUpstreamDependency'}, ok('Template')])
    expect(r.status).toBe('Failed')
    expect(r.conditions).toContainEqual({type: 'ConfigValid', status: 'False', reason: 'ReferenceNotFound', message: 'Referenced resource not found'})
    expect(r.ready).toEqual({type: 'Ready', status: 'False', reason: 'ModelNotFound', message: 'Component Model is not ready: model "x" not found in namespace ns or cluster scope'})
  })
  it('ambiguous selection (InvalidSpec) → Failed with the TemplateSelectionAmbiguous reason on Ready', () => {
    const r = rollupServiceStatus([ok('Model'), {component: 'Template', state: 'Failed', reason: 'TemplateSelectionAmbiguous', message: 'tie', error: 'InvalidSpec'}])
    expect(r.status).toBe('Failed')
    expect(r.ready.reason).toBe('TemplateSelectionAmbiguous')
    expect(r.conditions).toContainEqual({type: 'ConfigValid', status: 'False', reason: 'InvalidSpec', message: 'Configuration validation failed'})
  })
  it('PathTemplateInvalid → Degraded (even while running)', () => {
    const r = rollupServiceStatus([ok('Model'), ok('Template'), ok('InferenceService'), {component: 'HTTPRoute', state: 'Degraded', reason: 'PathTemplateInvalid', message: 'bad'}])
    expect(r.status).toBe('Degraded')
    expect(r.ready).toEqual({type: 'Ready', status: 'False', reason: 'PathTemplateInvalid', message: 'Component HTTPRoute is not ready: bad'})
  })
  it('cache failed or route rejected while the InferenceService serves → Degraded (seed 002); before it serves → Failed', () => {
    const cacheFailed = {component: 'Cache', state: 'Failed' as const, reason: 'CacheFailed', message: 'Template cache failed'}
    const serving = rollupServiceStatus([ok('Model'), ok('Template'), cacheFailed, ok('InferenceService'), ok('InferenceServicePods')])
    expect(serving.status).toBe('Degraded')
    expect(serving.ready).toEqual({type: 'Ready', status: 'False', reason: 'CacheFailed', message: 'Component Cache is not ready: Template cache failed'})
    const rejected = {component: 'HTTPRoute', state: 'Failed' as const, reason: 'NotAllowedByListeners', message: 'HTTPRoute rejected: no', error: 'InvalidSpec' as const}
    expect(rollupServiceStatus([ok('Model'), ok('Template'), ok('InferenceService'), rejected]).status).toBe('Degraded')
    expect(rollupServiceStatus([ok('Model'), ok('Template'), cacheFailed, {component: 'InferenceService', state: 'Progressing', reason: 'CreatingRuntime', message: ''}]).status).toBe('Failed')
    const modelFailed = {component: 'Model', state: 'Failed' as const, reason: 'ModelNotReady', message: 'x'}
    expect(rollupServiceStatus([modelFailed, ok('Template'), cacheFailed, ok('InferenceService')]).status).toBe('Failed')
  })
  it('infrastructure errors → Degraded and DependenciesReachable False', () => {
    const r = rollupServiceStatus([{component: 'Model', state: 'Degraded', reason: 'ModelNotFound', message: 'multiple models', error: 'Infrastructure'}, ok('Template')])
    expect(r.status).toBe('Degraded')
    expect(r.conditions).toContainEqual({type: 'DependenciesReachable', status: 'False', reason: 'InfrastructureError', message: 'Cannot reach dependencies'})
    expect(r.ready.reason).toBe('InfrastructureError')
  })
  it('framework conditions turn True only after having been False', () => {
    const prev = [{type: 'ConfigValid', status: 'False' as const, reason: 'InvalidSpec'}]
    expect(rollupServiceStatus([ok('Model')]).conditions.find((c) => c.type === 'ConfigValid')).toBeUndefined()
    expect(rollupServiceStatus([ok('Model')], prev).conditions.find((c) => c.type === 'ConfigValid')).toMatchObject({status: 'True', reason: 'ConfigurationValid'})
  })
  it('other kinds keep raw values (Progressing, Ready, NotAvailable)', () => {
    expect(rollupStatus([{component: 'DiscoveryJob', dependency: 'downstream', state: 'Progressing', reason: 'JobRunning', message: ''}]).status).toBe('Progressing')
    expect(rollupStatus([{component: 'GPU', state: 'NotAvailable', reason: 'GPUNotAvailable', message: ''}, ok('Model')]).status).toBe('NotAvailable')
    expect(rollupStatus([ok('GPU')]).status).toBe('Ready')
  })
})

describe('setCondition', () => {
  it('lastTransitionTime changes only on status or reason change', () => {
    let c = setCondition([], {type: 'Ready', status: 'False', reason: 'Progressing', message: 'a'}, 't1', 1)
    c = setCondition(c, {type: 'Ready', status: 'False', reason: 'Progressing', message: 'b'}, 't2', 2)
    expect(c).toEqual([{type: 'Ready', status: 'False', reason: 'Progressing', message: 'b', lastTransitionTime: 't1', observedGeneration: 2}])
    c = setCondition(c, {type: 'Ready', status: 'False', reason: 'Other', message: 'b'}, 't3')
    expect(c[0]?.lastTransitionTime).toBe('t3')
    c = setCondition(c, {type: 'X', status: 'True', reason: 'R', message: ''}, 't4')
    expect(c.map((x) => x.type)).toEqual(['Ready', 'X'])
  })
})

describe('aggregateModelTemplates (reference §5.1)', () => {
  it.each([
    [[], undefined, 'Progressing', 'AwaitingMetadata'],
    [[], true, 'Progressing', 'CreatingTemplates'],
    [[], false, 'Ready', 'NoTemplatesExpected'],
    [['Ready', 'Ready'], true, 'Ready', 'AllTemplatesReady'],
    [['Failed', 'Degraded'], true, 'Failed', 'AllTemplatesFailed'],
    [['NotAvailable'], true, 'NotAvailable', 'NoTemplatesAvailable'],
    [['Ready', 'Failed'], true, 'Degraded', 'SomeTemplatesDegraded'],
    [['Ready', 'Pending'], true, 'Progressing', 'TemplatesProgressing'],
    [['Ready', 'NotAvailable'], true, 'Ready', 'SomeTemplatesReady'],
  ] as const)('%j (expected %s) → %s %s', (statuses, expected, status, reason) => {
    expect(aggregateModelTemplates([...statuses], expected)).toMatchObject({status, reason})
  })
})

const obj = (status: unknown, extra: Partial<KubeObject> = {}): KubeObject => ({apiVersion: 'v1', kind: 'X', metadata: {name: 'x', uid: 'u'}, status, ...extra})

describe('component health mappings', () => {
  it('cache (§6.1)', () => {
    expect(cacheHealth(obj({status: 'Ready'}))).toEqual({state: 'Ready', reason: 'CacheReady', message: 'Template cache is ready'})
    expect(cacheHealth(obj({status: 'Progressing'})).reason).toBe('CacheNotReady')
    expect(cacheHealth(obj({status: 'Failed'}))).toEqual({state: 'Failed', reason: 'CacheFailed', message: 'Template cache failed'})
    expect(cacheHealth(obj({status: 'Pending'})).message).toBe('Template cache status: Pending')
    expect(cacheHealth(undefined)).toEqual({state: 'Progressing', reason: 'CacheCreating', message: 'Creating template cache'})
    expect(cacheHealth(undefined, {isvcHasCacheVolume: true, mode: 'Shared'})).toMatchObject({state: 'Degraded', reason: 'CacheLost'})
    expect(cacheHealth(undefined, {isvcHasCacheVolume: true, mode: 'Dedicated'})).toEqual({state: 'Degraded', reason: 'CacheCreating', message: 'Dedicated template cache is being recreated'})
  })
  it('InferenceService (§7)', () => {
    expect(inferenceServiceHealth(undefined)).toEqual({state: 'Progressing', reason: 'CreatingRuntime', message: 'InferenceService not found'})
    expect(inferenceServiceHealth(obj({conditions: [{type: 'Ready', status: 'True'}]}))).toEqual({state: 'Ready', reason: 'RuntimeReady', message: 'InferenceService is ready'})
    expect(inferenceServiceHealth(obj({}))).toEqual({state: 'Progressing', reason: 'CreatingRuntime', message: 'InferenceService is not ready'})
    expect(inferenceServiceHealth(obj({}), [{type: 'Warning', reason: 'ServerlessModeRejected', involvedObject: {uid: 'u'}}]).reason).toBe('ServerlessModeRejected')
  })
  it('pods (§7)', () => {
    const pod = (status: unknown) => obj(status, {kind: 'Pod'})
    expect(podsHealth([pod({phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]})]).reason).toBe('PodsReady')
    expect(podsHealth([pod({phase: 'Running'})])).toMatchObject({state: 'Starting', reason: 'PodsStarting'})
    expect(podsHealth([pod({phase: 'Pending'})], [{reason: 'FailedScheduling', message: '0/3 nodes are available'}])).toEqual({state: 'Pending', reason: 'FailedScheduling', message: '0/3 nodes are available'})
    expect(podsHealth([pod({phase: 'Pending', containerStatuses: [{state: {waiting: {reason: 'ErrImagePull', message: 'manifest unknown'}}}]})])).toMatchObject({state: 'Failed', reason: 'ImageNotFound'})
    expect(podsHealth([pod({phase: 'Pending', containerStatuses: [{state: {waiting: {reason: 'ImagePullBackOff', message: 'unauthorized'}}}]})])).toMatchObject({reason: 'ImagePullAuthFailure', error: 'Auth'})
  })
  it('HPA (§7)', () => {
    expect(hpaHealth(undefined, false)).toEqual({state: 'Progressing', reason: 'HPANotFound', message: 'Waiting for KEDA to create HorizontalPodAutoscaler'})
    expect(hpaHealth(obj({conditions: [{type: 'ScalingActive', status: 'False'}]}), false).reason).toBe('WaitingForMetrics')
    expect(hpaHealth(obj({conditions: [{type: 'ScalingActive', status: 'False'}]}), true).reason).toBe('MetricsFailed')
    expect(hpaHealth(obj({conditions: [{type: 'ScalingActive', status: 'True'}, {type: 'AbleToScale', status: 'True'}]}), true).reason).toBe('HPAOperational')
  })
  it('HTTPRoute (§8)', () => {
    expect(httpRouteHealth(undefined).reason).toBe('HTTPRouteCreating')
    expect(httpRouteHealth(obj({parents: [{conditions: [{type: 'Accepted', status: 'True'}]}]}))).toEqual({state: 'Ready', reason: 'HTTPRouteAccepted', message: 'HTTPRoute is accepted by gateway'})
    expect(httpRouteHealth(obj({parents: [{conditions: [{type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', message: 'no'}]}]}))).toMatchObject({state: 'Failed', reason: 'NotAllowedByListeners', message: 'HTTPRoute rejected: no'})
    expect(httpRouteHealth(obj({})).reason).toBe('HTTPRoutePending')
  })
})

import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, eventsFor, startCluster} from './helpers.js'

const isvcs = {group: 'serving.kserve.io', plural: 'inferenceservices'}
const deployments = {group: 'apps', plural: 'deployments'}
const hpas = {group: 'autoscaling', plural: 'horizontalpodautoscalers'}
const scaledobjects = {group: 'keda.sh', plural: 'scaledobjects'}
const pods = {group: '', plural: 'pods'}

function isvc(name: string, opts: {keda?: boolean; min?: number; max?: number; image?: string} = {}): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      namespace: 'default',
      labels: {'aim.eai.amd.com/service.name': 'qwen-chat'},
      annotations: {'serving.kserve.io/deploymentMode': 'RawDeployment', 'serving.kserve.io/autoscalerClass': opts.keda ? 'keda' : 'none'},
    },
    spec: {
      predictor: {
        minReplicas: opts.min ?? 1,
        maxReplicas: opts.max ?? opts.min ?? 1,
        ...(opts.keda
          ? {
              autoScaling: {
                metrics: [{
                  type: 'PodMetric',
                  podmetric: {
                    metric: {backend: 'opentelemetry', metricNames: ['vllm:num_requests_running'], query: 'vllm:num_requests_running', operationOverTime: 'avg'},
                    target: {type: 'Value', value: '1'},
                  },
                }],
              },
            }
          : {}),
        containers: [{
          name: 'kserve-container',
          image: opts.image ?? 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5',
          ports: [{name: 'http', containerPort: 8000, protocol: 'TCP'}],
          resources: {requests: {cpu: '4', memory: '32Gi', 'amd.com/gpu': '1'}, limits: {memory: '48Gi', 'amd.com/gpu': '1'}},
        }],
      },
    },
  }
}

describe('KServe InferenceService (RawDeployment)', () => {
  it('creates <isvc>-predictor Deployment and Service and becomes Ready', async () => {
    const {store, manager} = startCluster()
    store.create(isvc('qwen-chat-abc'))
    await manager.settle(10 * 60_000)
    const d = store.get(deployments, 'default', 'qwen-chat-abc-predictor')!
    expect(d.metadata.ownerReferences?.[0]).toMatchObject({kind: 'InferenceService', name: 'qwen-chat-abc', controller: true})
    expect(store.get({group: '', plural: 'services'}, 'default', 'qwen-chat-abc-predictor')).toBeDefined()
    const [p] = store.list(pods, {namespace: 'default', labelSelector: 'serving.kserve.io/inferenceservice=qwen-chat-abc'}).items
    expect(p!.metadata.labels?.['aim.eai.amd.com/service.name']).toBe('qwen-chat')
    const s = store.get(isvcs, 'default', 'qwen-chat-abc')!
    expect(condition(s, 'Ready')?.status).toBe('True')
    expect(condition(s, 'PredictorReady')?.status).toBe('True')
    expect(condition(s, 'IngressReady')?.status).toBe('True')
    expect(s.status).toMatchObject({
      url: 'http://qwen-chat-abc-default.example.com',
      address: {url: 'http://qwen-chat-abc-predictor.default.svc.cluster.local'},
      modelStatus: {states: {activeModelState: 'Loaded', targetModelState: 'Loaded'}, transitionStatus: 'UpToDate'},
    })
    expect(eventsFor(store, 'default', 'qwen-chat-abc')).toContainEqual({type: 'Normal', reason: 'InferenceServiceReady', message: 'InferenceService [qwen-chat-abc] is Ready', count: 1})
    manager.stop()
  })

  it('reports PredictorReady=False while the model loads', async () => {
    const {store, clock, manager} = startCluster()
    store.create(isvc('slow'))
    await manager.idle()
    await clock.advance(50_000)
    await manager.idle()
    const s = store.get(isvcs, 'default', 'slow')!
    expect(condition(s, 'PredictorReady')).toMatchObject({status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'})
    expect(condition(s, 'Ready')?.status).toBe('False')
    manager.stop()
  })
})

describe('KEDA', () => {
  it('creates ScaledObject and HPA keda-hpa-<isvc>-predictor and scales with load', async () => {
    const {store, clock, manager} = startCluster()
    store.create(isvc('auto', {keda: true, min: 1, max: 3}))
    await manager.settle(10 * 60_000)
    const so = store.get(scaledobjects, 'default', 'auto-predictor')!
    expect(so.spec).toMatchObject({scaleTargetRef: {name: 'auto-predictor'}, minReplicaCount: 1, maxReplicaCount: 3})
    expect(condition(so, 'Ready')?.status).toBe('True')
    let hpa = store.get(hpas, 'default', 'keda-hpa-auto-predictor')!
    expect(hpa.spec).toMatchObject({scaleTargetRef: {kind: 'Deployment', name: 'auto-predictor'}, minReplicas: 1, maxReplicas: 3})
    expect(condition(hpa, 'ScalingActive')?.status).toBe('True')
    expect(condition(hpa, 'AbleToScale')?.status).toBe('True')
    expect(hpa.status).toMatchObject({currentReplicas: 1, desiredReplicas: 1})

    manager.faults.setLoad('default', 'auto', 5)
    await manager.settle(10 * 60_000)
    hpa = store.get(hpas, 'default', 'keda-hpa-auto-predictor')!
    expect((store.get(deployments, 'default', 'auto-predictor')!.spec as {replicas: number}).replicas).toBe(3)
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({status: 'True', reason: 'TooManyReplicas'})
    expect(condition(store.get(scaledobjects, 'default', 'auto-predictor'), 'Active')?.status).toBe('True')
    expect(eventsFor(store, 'default', 'keda-hpa-auto-predictor').some((e) => e.reason === 'SuccessfulRescale' && e.message.startsWith('New size: 3; reason: external metric s0-vllm-num_requests_running'))).toBe(true)
    expect(store.list(pods, {namespace: 'default'}).items.filter((p) => condition(p, 'Ready')?.status === 'True')).toHaveLength(3)

    // Load drops: scale-down waits for the 5-minute stabilisation window.
    manager.faults.setLoad('default', 'auto', 0)
    await manager.idle()
    await clock.advance(60_000)
    await manager.idle()
    expect((store.get(deployments, 'default', 'auto-predictor')!.spec as {replicas: number}).replicas).toBe(3)
    await manager.settle(10 * 60_000)
    expect((store.get(deployments, 'default', 'auto-predictor')!.spec as {replicas: number}).replicas).toBe(1)
    manager.stop()
  })
})

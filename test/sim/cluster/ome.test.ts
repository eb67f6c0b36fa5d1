import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, eventsFor, startCluster} from './helpers.js'

const OME = 'ome.io/v1beta1'
const isvcs = {group: 'ome.io', plural: 'inferenceservices'}
const pods = {group: '', plural: 'pods'}

const model: KubeObject = {
  apiVersion: OME,
  kind: 'ClusterBaseModel',
  metadata: {name: 'llama-3-1-8b-instruct'},
  spec: {vendor: 'meta', modelCapabilities: ['TEXT_TO_TEXT'], storage: {storageUri: 'hf://meta-llama/Llama-3.1-8B-Instruct', path: '/raid/models/meta/llama-3-1-8b-instruct', key: 'hf-token'}},
}

function runtime(name: string, autoSelect: boolean, gpu = 'amd.com/gpu'): KubeObject {
  return {
    apiVersion: OME,
    kind: 'ClusterServingRuntime',
    metadata: {name},
    spec: {
      supportedModelFormats: [{name: 'safetensors', modelFormat: {name: 'safetensors', version: '1.0.0'}, modelFramework: {name: 'transformers', version: '4.51.0'}, autoSelect, priority: 1}],
      modelSizeRange: {min: '7B', max: '9B'},
      engineConfig: {
        runner: {name: 'ome-container', image: 'vllm/vllm-openai:v0.9.0.1', args: ['--model', '$(MODEL_PATH)'], ports: [{name: 'http1', containerPort: 8080}], resources: {requests: {[gpu]: '1'}, limits: {[gpu]: '1'}}},
      },
      routerConfig: {runner: {name: 'router', image: 'fra.ocir.io/idqj093njucb/smg:v0.2.4.post1-dev', ports: [{containerPort: 8080}]}},
    },
  }
}

function isvc(name: string, extra: Record<string, unknown> = {}): KubeObject {
  return {apiVersion: OME, kind: 'InferenceService', metadata: {name, namespace: 'default'}, spec: {model: {name: 'llama-3-1-8b-instruct'}, engine: {minReplicas: 1, maxReplicas: 1}, ...extra}}
}

describe('OME InferenceService', () => {
  it('downloads the model, auto-selects the runtime and brings the engine (and router) to Ready', async () => {
    const {store, manager} = startCluster()
    store.create(model)
    store.create(runtime('vllm-llama-3-1-8b-instruct', true))
    store.create(isvc('llama-chat', {router: {minReplicas: 1, maxReplicas: 1}}))
    await manager.settle(30 * 60_000)
    const m = store.get({group: 'ome.io', plural: 'clusterbasemodels'}, undefined, 'llama-3-1-8b-instruct')!
    expect(m.status).toMatchObject({state: 'Ready', nodesReady: ['gpu-mi300x-0', 'gpu-mi300x-1']})
    expect(store.get({group: '', plural: 'nodes'}, undefined, 'gpu-mi300x-0')!.metadata.labels?.['models.ome.io/clusterbasemodel.llama-3-1-8b-instruct']).toBe('Ready')
    const s = store.get(isvcs, 'default', 'llama-chat')!
    expect(condition(s, 'EngineReady')?.status).toBe('True')
    expect(condition(s, 'RouterReady')?.status).toBe('True')
    expect(condition(s, 'IngressReady')).toMatchObject({status: 'True', reason: 'IngressDisabled'})
    expect(condition(s, 'Ready')?.status).toBe('True')
    expect((s.status as {url: string}).url).toBe('http://llama-chat.default.svc.cluster.local:8080')
    const enginePods = store.list(pods, {namespace: 'default', labelSelector: 'serving.ome.io/inferenceservice=llama-chat,component=engine'}).items
    expect(enginePods).toHaveLength(1)
    expect(enginePods[0]!.metadata.labels).toMatchObject({'ome.io/inferenceservice': 'llama-chat', 'serving-runtime': 'vllm-llama-3-1-8b-instruct', 'base-model-name': 'llama-3-1-8b-instruct', app: 'llama-chat-engine'})
    // `kubectl logs -l serving.ome.io/inferenceservice=llama-chat` (seed 004) finds a vLLM server.
    const lines = manager.logs.read('default', enginePods[0]!.metadata.name!)
    expect(lines.some((l) => l.includes("args: Namespace(model='/raid/models/meta/llama-3-1-8b-instruct'"))).toBe(true)
    expect(lines.at(-1)).toBe('INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)')
    const d = store.get({group: 'apps', plural: 'deployments'}, 'default', 'llama-chat-engine')!
    const c = (d.spec as {template: {spec: {containers: Array<{env: Array<{name: string; value: string}>}>; nodeSelector: Record<string, string>}}}).template.spec
    expect(c.nodeSelector).toEqual({'models.ome.io/clusterbasemodel.llama-3-1-8b-instruct': 'Ready'})
    expect(c.containers[0]!.env).toContainEqual({name: 'MODEL_PATH', value: '/raid/models/meta/llama-3-1-8b-instruct'})
    expect(store.get({group: '', plural: 'services'}, 'default', 'llama-chat')!.spec).toMatchObject({selector: {'ome.io/inferenceservice': 'llama-chat', component: 'router'}})
    expect(store.get({group: 'autoscaling', plural: 'horizontalpodautoscalers'}, 'default', 'llama-chat-engine')).toBeDefined()
    expect(eventsFor(store, 'default', 'llama-chat').map((e) => e.reason)).toContain('InferenceServiceReady')
    manager.stop()
  })

  it('reports why no runtime fits, then recovers when one appears', async () => {
    const {store, manager} = startCluster()
    store.create(model)
    store.create(runtime('manual-only', false))
    store.create(isvc('llama-chat'))
    await manager.settle(10 * 60_000)
    // First the model has no format yet (the agent back-fills it after the download), then no runtime fits.
    const messages = eventsFor(store, 'default', 'llama-chat').filter((e) => e.reason === 'RuntimeSelectionError').map((e) => e.message)
    expect(messages).toEqual([
      'invalid model specification: modelFormat.name: model format name is required',
      'no runtime found to support model safetensors with format safetensors in namespace default. Checked 1 runtimes (manual-only: no format has autoSelect enabled)',
    ])
    store.create(runtime('auto', true))
    store.mutate(isvcs, 'default', 'llama-chat', (o) => {
      o.metadata.labels = {touched: 'yes'}
    })
    await manager.settle(10 * 60_000)
    expect(condition(store.get(isvcs, 'default', 'llama-chat'), 'Ready')?.status).toBe('True')
    manager.stop()
  })

  it('keeps NVIDIA runtimes pending on an AMD cluster, and names a missing model', async () => {
    const {store, manager} = startCluster()
    store.create(model)
    store.create(runtime('cuda', true, 'nvidia.com/gpu'))
    store.create(isvc('llama-chat'))
    store.create(isvc('ghost', {model: {name: 'nope'}}))
    await manager.settle(10 * 60_000)
    const [p] = store.list(pods, {namespace: 'default', labelSelector: 'ome.io/inferenceservice=llama-chat'}).items
    expect(condition(p, 'PodScheduled')?.message).toBe(
      '0/2 nodes are available: 2 Insufficient nvidia.com/gpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.',
    )
    expect(condition(store.get(isvcs, 'default', 'llama-chat'), 'Ready')).toMatchObject({status: 'False', reason: 'MinimumReplicasUnavailable'})
    expect(eventsFor(store, 'default', 'ghost')).toContainEqual(expect.objectContaining({type: 'Warning', reason: 'ModelReconcileError', message: 'No BaseModel or ClusterBaseModel with the name: nope'}))
    manager.stop()
  })
})

describe('OME autoscaling', () => {
  it('autoscalerClass keda: a ScaledObject with a Prometheus trigger, scaled by the simulated load', async () => {
    const {store, manager} = startCluster()
    store.create(model)
    store.create(runtime('auto', true))
    const svc = isvc('llama-chat', {engine: {minReplicas: 1, maxReplicas: 3}, kedaConfig: {customPromQuery: 'sum(vllm:num_requests_running{service="%s"})', scalingThreshold: '2', scalingOperator: 'GreaterThanOrEqual'}})
    svc.metadata.annotations = {'ome.io/autoscalerClass': 'keda'}
    store.create(svc)
    await manager.settle(30 * 60_000)
    const so = store.get({group: 'keda.sh', plural: 'scaledobjects'}, 'default', 'scaledobject-llama-chat-engine')!
    expect(so.spec).toMatchObject({
      scaleTargetRef: {name: 'llama-chat-engine'},
      minReplicaCount: 1,
      maxReplicaCount: 3,
      triggers: [{type: 'prometheus', metadata: {query: 'sum(vllm:num_requests_running{service="llama-chat-engine"})', threshold: '2', operator: 'GreaterThanOrEqual', metricName: 'tps'}}],
    })
    expect(store.get({group: 'autoscaling', plural: 'horizontalpodautoscalers'}, 'default', 'llama-chat-engine')).toBeUndefined()
    manager.faults.setLoad('default', 'llama-chat', 6)
    await manager.settle(30 * 60_000)
    expect((store.get({group: 'apps', plural: 'deployments'}, 'default', 'llama-chat-engine')!.spec as {replicas: number}).replicas).toBe(3)
    manager.stop()
  })
})

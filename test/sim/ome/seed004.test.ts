/**
 * Seed 004: every YAML example applies and reaches Ready with the objects its deployment mode
 * implies (fixtures/ome/seed-004-*.yaml), on the whole simulated cluster.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {createOmeHarness, type OmeHarness} from './harness.js'

let h: OmeHarness
afterEach(() => h?.stop())

function names(list: any[]): string[] {
  return list.map((o) => o.metadata.name).sort()
}

async function run(example: string, opts: {nodes?: string; nvidia?: boolean} = {}): Promise<any> {
  h = createOmeHarness({nodes: opts.nodes})
  h.applyFixture('models.yaml', 'runtimes.yaml')
  if (opts.nvidia) h.applyFixture('nodes-nvidia.yaml')
  const [isvc] = h.applyFixture(example).filter((o) => o.kind === 'InferenceService')
  await h.settle()
  return h.get('InferenceService', 'default', isvc!.metadata.name!)
}

describe('seed 004 examples', () => {
  it('Raw Deployment: Deployment, Service, HPA per engine; Ready with the seed status shape', async () => {
    const isvc = await run('seed-004-raw-deployment.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    expect(isvc.status.url).toBe('http://llama-chat.default.example.com')
    expect(isvc.status.address.url).toBe('http://llama-chat.default.svc.cluster.local')
    expect(isvc.status.components.engine).toEqual({
      url: 'http://llama-chat-engine.default.example.com',
      latestReadyRevision: 'llama-chat-engine-00001',
      latestCreatedRevision: 'llama-chat-engine-00001',
      traffic: [{revisionName: 'llama-chat-engine-00001', percent: 100, latestRevision: true}],
    })
    expect(isvc.status.modelStatus).toEqual({
      transitionStatus: 'UpToDate',
      modelRevisionStates: {activeModelState: 'Loaded', targetModelState: 'Loaded'},
      modelCopies: {failedCopies: 0, totalCopies: 2},
    })
    expect(names(h.list('Deployment', 'default'))).toEqual(['llama-chat-engine'])
    expect(names(h.list('Service', 'default'))).toEqual(['llama-chat', 'llama-chat-engine'])
    const hpa = h.get('HorizontalPodAutoscaler', 'default', 'llama-chat-engine')
    expect(hpa.spec).toMatchObject({minReplicas: 2, maxReplicas: 10, scaleTargetRef: {kind: 'Deployment', name: 'llama-chat-engine'}})
    expect(hpa.spec.metrics).toEqual([{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 80}}}])
    const pods = h.list('Pod', 'default', 'serving.ome.io/inferenceservice=llama-chat')
    expect(pods).toHaveLength(2)
    const pod = pods[0]
    expect(pod.metadata.labels).toMatchObject({'ome.io/inferenceservice': 'llama-chat', component: 'engine', 'serving-runtime': 'vllm-rocm-llama', 'base-model-name': 'llama-3-70b-instruct', app: 'llama-chat-engine'})
    expect(pod.spec.nodeSelector).toEqual({'models.ome.io/clusterbasemodel.llama-3-70b-instruct': 'Ready'})
    const c = pod.spec.containers[0]
    expect(c.name).toBe('ome-container')
    expect(c.resources.requests['amd.com/gpu']).toBe('1')
    expect(c.env).toContainEqual({name: 'MODEL_PATH', value: '/raid/models/meta/llama-3-70b-instruct'})
    const external = h.get('Service', 'default', 'llama-chat')
    expect(external.spec.selector).toEqual({'ome.io/inferenceservice': 'llama-chat', component: 'engine'})
    expect(external.metadata.labels.component).toBe('external-service')
    expect(h.events('llama-chat')).toContain('Normal InferenceServiceReady: InferenceService [llama-chat] is Ready')
  })

  it('Serverless: minReplicas 0 scales to zero, no HPA, Ready with the model on Standby', async () => {
    const isvc = await run('seed-004-serverless.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    const deploy = h.get('Deployment', 'default', 'llama-chat-engine')
    expect(deploy.spec.replicas).toBe(0)
    expect(deploy.metadata.annotations['ome.io/deploymentMode']).toBe('Serverless')
    expect(deploy.spec.template.metadata.annotations).toMatchObject({
      'autoscaling.knative.dev/min-scale': '0',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/target': '10',
    })
    expect(h.list('HorizontalPodAutoscaler', 'default')).toEqual([])
    expect(h.list('Pod', 'default', 'ome.io/inferenceservice=llama-chat')).toEqual([])
    expect(isvc.status.modelStatus.modelRevisionStates).toEqual({activeModelState: 'Standby', targetModelState: 'Standby'})
  })

  it('Multi-Node: a leader and a worker StatefulSet (LeaderWorkerSet layout), leader Service, no autoscaler', async () => {
    const isvc = await run('seed-004-multi-node.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    expect(names(h.list('StatefulSet', 'default'))).toEqual(['lws-deepseek-chat-engine', 'lws-deepseek-chat-engine-0'])
    expect(h.list('Deployment', 'default')).toEqual([])
    expect(h.list('HorizontalPodAutoscaler', 'default')).toEqual([])
    const leader = h.get('Pod', 'default', 'lws-deepseek-chat-engine-0')
    expect(leader.metadata.labels).toMatchObject({'ray.io/node-type': 'head', 'leaderworkerset.sigs.k8s.io/worker-index': '0', app: 'deepseek-chat-engine'})
    const worker = h.get('Pod', 'default', 'lws-deepseek-chat-engine-0-0')
    expect(worker.spec.containers[0].env).toContainEqual({name: 'LWS_LEADER_ADDRESS', value: 'lws-deepseek-chat-engine-0.deepseek-chat-engine.default.svc.cluster.local'})
    expect(worker.spec.containers[0].resources.requests['amd.com/gpu']).toBe('8')
    expect(leader.spec.nodeName).not.toBe(worker.spec.nodeName)
    expect(h.get('Service', 'default', 'deepseek-chat-engine').spec.selector).toEqual({app: 'deepseek-chat-engine', 'ray.io/node-type': 'head'})
    expect(isvc.status.modelStatus.modelRevisionStates.activeModelState).toBe('Loaded')
  })

  it('Disaggregated (prefill-decode): engine, decoder and router Deployments; external Service points at the router', async () => {
    const isvc = await run('seed-004-disaggregated.yaml', {nodes: 'mi300x=4'})
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', DecoderReady: 'True', RouterReady: 'True', Ready: 'True'})
    expect(names(h.list('Deployment', 'default'))).toEqual(['deepseek-ep-disaggregated-decoder', 'deepseek-ep-disaggregated-engine', 'deepseek-ep-disaggregated-router'])
    expect(names(h.list('HorizontalPodAutoscaler', 'default'))).toEqual(['deepseek-ep-disaggregated-decoder', 'deepseek-ep-disaggregated-engine', 'deepseek-ep-disaggregated-router'])
    expect(h.get('HorizontalPodAutoscaler', 'default', 'deepseek-ep-disaggregated-decoder').spec).toMatchObject({minReplicas: 2, maxReplicas: 8})
    expect(h.get('Service', 'default', 'deepseek-ep-disaggregated').spec.selector).toEqual({'ome.io/inferenceservice': 'deepseek-ep-disaggregated', component: 'router'})
    const decoder = h.list('Pod', 'default', 'component=decoder')
    expect(decoder).toHaveLength(2)
    expect(decoder[0].spec.containers[0].args).toContain('--disaggregation-mode=decode')
    const router = h.list('Pod', 'default', 'component=router')[0]
    expect(router.spec.serviceAccountName).toBe('deepseek-ep-disaggregated-router')
    expect(router.spec.nodeSelector).toBeUndefined()
    expect(h.get('ServiceAccount', 'default', 'deepseek-ep-disaggregated-router')).toBeDefined()
    expect(Object.keys(isvc.status.components).sort()).toEqual(['decoder', 'engine', 'router'])
  })

  it('New architecture example: the explicit runtime with one NVIDIA GPU lands on the NVIDIA nodes', async () => {
    const isvc = await run('seed-004-architecture.yaml', {nvidia: true})
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=llama-3-70b')[0]
    expect(pod.metadata.labels['serving-runtime']).toBe('vllm-text-generation')
    expect(pod.spec.containers[0].resources).toEqual({requests: {'nvidia.com/gpu': '1'}})
    expect(pod.spec.nodeName).toMatch(/^gpu-a100-/)
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-3-70b-engine').spec).toMatchObject({minReplicas: 1, maxReplicas: 3})
  })

  it('Engine component example: custom runner image, service account, nodeSelector and env', async () => {
    const isvc = await run('seed-004-engine.yaml', {nvidia: true})
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=custom-engine')[0]
    expect(pod.spec.serviceAccountName).toBe('custom-sa')
    expect(pod.spec.nodeSelector).toEqual({'models.ome.io/clusterbasemodel.llama-3-70b-instruct': 'Ready', accelerator: 'nvidia-a100'})
    expect(pod.spec.containers[0].image).toBe('custom-vllm:latest')
    expect(pod.spec.containers[0].env).toContainEqual({name: 'CUDA_VISIBLE_DEVICES', value: '0,1'})
    expect(pod.spec.containers[0].resources).toEqual({requests: {'nvidia.com/gpu': '2'}, limits: {'nvidia.com/gpu': '2'}})
    expect(h.get('HorizontalPodAutoscaler', 'default', 'custom-engine-engine').spec.metrics[0].resource).toEqual({name: 'cpu', target: {type: 'Utilization', averageUtilization: 70}})
  })

  it('Decoder component example: a CPU decoder beside the engine', async () => {
    const isvc = await run('seed-004-decoder.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', DecoderReady: 'True', Ready: 'True'})
    const decoder = h.list('Pod', 'default', 'ome.io/inferenceservice=deepseek-decoder,component=decoder')
    expect(decoder).toHaveLength(2)
    expect(decoder[0].spec.containers[0].resources).toEqual({requests: {cpu: '4', memory: '8Gi'}})
    expect(h.get('Service', 'default', 'deepseek-decoder').spec.selector.component).toBe('engine')
  })

  it('Router component example: config entries become router env vars', async () => {
    const isvc = await run('seed-004-router.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', RouterReady: 'True', Ready: 'True'})
    const router = h.list('Pod', 'default', 'ome.io/inferenceservice=llama-routed,component=router')[0]
    expect(router.spec.containers[0].env).toEqual([
      {name: 'routing_strategy', value: 'round_robin'},
      {name: 'health_check_interval', value: '30s'},
      {name: 'INFERENCESERVICE_NAME', value: 'llama-routed'},
    ])
    expect(router.spec.containers[0].resources).toEqual({requests: {cpu: '1', memory: '2Gi'}})
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-routed-router').spec).toMatchObject({minReplicas: 1, maxReplicas: 3})
    expect(isvc.status.components.router.url).toBe('http://llama-routed-router.default.example.com')
  })

  it('Best practices example: explicit GPU, memory and CPU; 70% CPU target', async () => {
    const isvc = await run('seed-004-best-practices.yaml', {nvidia: true})
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=llama-tuned')[0]
    expect(pod.spec.containers[0].resources).toEqual({requests: {'nvidia.com/gpu': '1', memory: '32Gi', cpu: '4'}, limits: {'nvidia.com/gpu': '1'}})
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-tuned-engine').spec.metrics[0].resource.target.averageUtilization).toBe(70)
  })

  it('KEDA example: a ScaledObject with the custom Prometheus query instead of an HPA; scales on load', async () => {
    const isvc = await run('seed-004-keda.yaml')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', EngineReady: 'True', Ready: 'True'})
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-keda-engine')).toBeUndefined()
    const so = h.get('ScaledObject', 'default', 'scaledobject-llama-keda-engine')
    expect(so.spec).toMatchObject({
      scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'llama-keda-engine'},
      minReplicaCount: 1,
      maxReplicaCount: 5,
      triggers: [{type: 'prometheus', metadata: {query: "avg_over_time(vllm:request_latency_seconds{service='llama-keda-engine'}[5m])", threshold: '0.5', operator: 'LessThanOrEqual', metricName: 'tps'}}],
    })
    expect(h.get('HorizontalPodAutoscaler', 'default', 'keda-hpa-scaledobject-llama-keda-engine')).toBeDefined()
    h.manager.faults.setLoad('default', 'llama-keda', 6)
    await h.settle()
    expect(h.get('Deployment', 'default', 'llama-keda-engine').spec.replicas).toBe(5)
  })
})

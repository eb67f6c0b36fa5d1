import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

const IMAGE = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'

function service(name: string, extra: string, labels = ''): string {
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

const routing = (pathTemplate?: string) => `  routing:
    enabled: true
    gatewayRef:
      name: inference-gateway
      namespace: gateways
${pathTemplate ? `    pathTemplate: "${pathTemplate}"` : ''}`

describe('AIMService routing', () => {
  it('renders the pathTemplate into status.routing.path and creates an accepted HTTPRoute', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', routing('/{.metadata.namespace}/chat/{.metadata.name}')))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    expect(s.status.routing).toEqual({path: '/ml-team/chat/qwen-chat'})
    expect(h.conditions(s).HTTPRouteReady).toEqual(['True', 'HTTPRouteAccepted', 'HTTPRoute is accepted by gateway'])
    const routes = h.list('HTTPRoute', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')
    expect(routes).toHaveLength(1)
    const r = routes[0]
    expect(r.metadata.name).toBe('qwen-chat-a04542d9')
    expect(r.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMService', name: 'qwen-chat'})
    expect(r.spec.parentRefs).toEqual([{group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', namespace: 'gateways'}])
    expect(r.spec.rules).toEqual([
      {
        matches: [{path: {type: 'PathPrefix', value: '/ml-team/chat/qwen-chat'}}],
        filters: [{type: 'URLRewrite', urlRewrite: {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/'}}}],
        backendRefs: [{group: '', kind: 'Service', name: 'qwen-chat-a04542d9-predictor', namespace: 'ml-team', port: 80}],
      },
    ])
  })

  it('uses /<namespace>/<name> without a pathTemplate (seed 001 example status)', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', routing()))
    await h.settle()
    expect(h.get('AIMService', 'ml-team', 'qwen-chat').status.routing).toEqual({path: '/ml-team/qwen-chat'})
  })

  it('renders label expressions (seed 001 complete example)', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', routing("/team/{.metadata.labels['team']}/chat"), '  labels:\n    team: research'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.routing.path).toBe('/team/research/chat')
    expect(h.list('HTTPRoute', 'ml-team')[0].spec.rules[0].matches[0].path.value).toBe('/team/research/chat')
  })

  it('is Degraded with PathTemplateInvalid and creates no route when a label is missing', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', routing("/team/{.metadata.labels['team']}/chat")))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Degraded')
    const [status, reason, message] = h.cond(s, 'HTTPRouteReady')
    expect([status, reason]).toEqual(['False', 'PathTemplateInvalid'])
    expect(message).toContain('label "team" not found')
    expect(s.status.routing).toBeUndefined()
    expect(h.list('HTTPRoute', 'ml-team')).toEqual([])
    // The inference service itself still runs.
    expect(h.cond(s, 'InferenceServiceReady')[0]).toBe('True')
    const events = h.list('Event', 'ml-team').filter((e) => e.involvedObject?.name === 'qwen-chat' && e.reason === 'PathTemplateInvalid')
    expect(events).toHaveLength(1)
    expect(events[0].type).toBe('Warning')
  })

  it('fails with GatewayNotConfigured when routing is on without a gateway', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  routing:\n    enabled: true'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Failed')
    expect(h.cond(s, 'HTTPRouteReady').slice(0, 2)).toEqual(['False', 'GatewayNotConfigured'])
    expect(h.list('AIMModel', 'ml-team')).toEqual([])
  })

  it('takes routing defaults from the runtime config', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMRuntimeConfig
metadata:
  name: team-config
  namespace: ml-team
spec:
  routing:
    enabled: true
    gatewayRef: {name: inference-gateway, namespace: gateways}
    pathTemplate: "/integration/gpu-cached/{.metadata.name}"
    requestTimeout: 180s
`)
    h.apply(service('test-gpu-cached', '  runtimeConfigName: team-config'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'test-gpu-cached')
    expect(s.status.status).toBe('Running')
    expect(s.status.routing.path).toBe('/integration/gpu-cached/test-gpu-cached')
    expect(h.conditions(s).RuntimeConfigReady).toEqual(['True', 'RuntimeConfigResolved', 'RuntimeConfig team-config resolved'])
    expect(s.status.resolvedRuntimeConfig).toMatchObject({name: 'team-config', namespace: 'ml-team', scope: 'Namespace'})
    expect(h.list('HTTPRoute', 'ml-team')[0].spec.rules[0].timeouts).toEqual({request: '3m0s'})
    const rc = h.get('AIMRuntimeConfig', 'ml-team', 'team-config')
    expect(h.cond(rc, 'Ready')[0]).toBe('True')
  })

  it('fails with ConfigNotFound for a missing named runtime config', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  runtimeConfigName: team-config'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Failed')
    expect(h.conditions(s).RuntimeConfigReady).toEqual(['False', 'ConfigNotFound', 'RuntimeConfig team-config not found'])
  })
})

describe('AIMService autoscaling', () => {
  it('annotates the InferenceService for KEDA and reports HPAReady and status.runtime from the HPA', async () => {
    h = createHarness()
    h.apply(
      service(
        'qwen-chat',
        `  minReplicas: 1
  maxReplicas: 3
  autoScaling:
    metrics:
      - type: PodMetric
        podmetric:
          metric:
            backend: "opentelemetry"
            metricNames:
              - vllm:num_requests_running
            query: "vllm:num_requests_running"
            operationOverTime: "avg"
          target:
            type: Value
            value: "1"`,
      ),
    )
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    const [isvc] = h.list('InferenceService', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')
    expect(isvc.metadata.annotations).toMatchObject({
      'serving.kserve.io/autoscalerClass': 'keda',
      'sidecar.opentelemetry.io/inject': 'qwen-chat-a04542d9-predictor',
      'prometheus.kserve.io/port': '8000',
    })
    expect([isvc.spec.predictor.minReplicas, isvc.spec.predictor.maxReplicas]).toEqual([1, 3])
    expect(isvc.spec.predictor.autoScaling.metrics[0].podmetric.metric.query).toBe('vllm:num_requests_running')
    expect(h.get('ScaledObject', 'ml-team', 'qwen-chat-a04542d9-predictor')).toBeDefined()
    expect(h.get('HorizontalPodAutoscaler', 'ml-team', 'keda-hpa-qwen-chat-a04542d9-predictor')).toBeDefined()
    expect(h.conditions(s).HPAReady).toEqual(['True', 'HPAOperational', 'HPA is operational'])
    expect(s.status.status).toBe('Running')
    expect(s.status.runtime).toEqual({currentReplicas: 1, desiredReplicas: 1, minReplicas: 1, maxReplicas: 3, replicas: '1/1 (1-3)'})
  })

  it('uses replicas for min and max without autoscaling', async () => {
    h = createHarness()
    h.apply(service('qwen-chat', '  replicas: 3'))
    await h.settle()
    const [isvc] = h.list('InferenceService', 'ml-team')
    expect(isvc.metadata.annotations['serving.kserve.io/autoscalerClass']).toBe('none')
    expect([isvc.spec.predictor.minReplicas, isvc.spec.predictor.maxReplicas]).toEqual([3, 3])
    expect(h.conditions(h.get('AIMService', 'ml-team', 'qwen-chat')).HPAReady).toBeUndefined()
  })
})

import {describe, expect, it} from 'vitest'
import {
  autoscalingFor,
  buildInferenceEnv,
  cachingMode,
  defaultResources,
  describeEnvVar,
  formatDisplaySize,
  formatGoDuration,
  headroomPercent,
  hpaName,
  inferenceResources,
  mergeEnv,
  parseCheckSizeOutput,
  parseGoDuration,
  parseQuantity,
  pvcSize,
  resolveRouting,
  resolveRuntimeConfig,
  runtimeStatus,
  storageClassFor,
} from '../../../src/engine/index.js'
import type {KubeObject} from '../../../src/api/object.js'

const GiB = 2 ** 30
const secret = {name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'huggingface-creds', key: 'token'}}}

describe('env layering (reference §7)', () => {
  it('runtime config < template < service, sorted by name, secrets stay references', () => {
    const env = buildInferenceEnv({
      runtimeConfigEnv: [{name: 'A', value: 'rc'}, {name: 'B', value: 'rc'}],
      template: {profileId: 'vllm-mi300x-fp16-tp1-latency', metric: 'latency', precision: 'fp16', env: [{name: 'B', value: 'tpl'}, {name: 'C', value: 'tpl'}]},
      serviceEnv: [{name: 'C', value: 'svc'}, secret],
    })
    expect(env).toEqual([
      {name: 'A', value: 'rc'},
      {name: 'AIM_CACHE_PATH', value: '/workspace/cache'},
      {name: 'AIM_METRIC', value: 'latency'},
      {name: 'AIM_PRECISION', value: 'fp16'},
      {name: 'AIM_PROFILE_ID', value: 'vllm-mi300x-fp16-tp1-latency'},
      {name: 'B', value: 'tpl'},
      {name: 'C', value: 'svc'},
      secret,
      {name: 'VLLM_ENABLE_METRICS', value: 'true'},
    ])
  })
  it('AIM_MODEL_ID from inline sources; AIM_ENGINE_ARGS deep-merged as JSON', () => {
    const env = buildInferenceEnv({
      template: {modelSources: [{modelId: 'org/m', sourceUri: 'hf://org/m'}], env: [{name: 'AIM_ENGINE_ARGS', value: '{"a":{"x":1,"y":2},"b":1}'}]},
      serviceEnv: [{name: 'AIM_ENGINE_ARGS', value: '{"a":{"y":3},"c":true}'}],
    })
    expect(env.find((e) => e.name === 'AIM_MODEL_ID')?.value).toBe('org/m')
    expect(JSON.parse(env.find((e) => e.name === 'AIM_ENGINE_ARGS')!.value!)).toEqual({a: {x: 1, y: 3}, b: 1, c: true})
  })
  it('mergeEnv replaces by name; a non-JSON AIM_ENGINE_ARGS is replaced', () => {
    expect(mergeEnv([{name: 'AIM_ENGINE_ARGS', value: 'x'}], [{name: 'AIM_ENGINE_ARGS', value: '{"a":1}'}])).toEqual([{name: 'AIM_ENGINE_ARGS', value: '{"a":1}'}])
  })
  it('describeEnvVar never shows secret values', () => {
    expect(describeEnvVar(secret)).toBe('HF_TOKEN=<secret huggingface-creds/token>')
  })
})

describe('resources (reference §7)', () => {
  it('defaults from the GPU count', () => {
    expect(defaultResources(2)).toEqual({requests: {cpu: '8', memory: '64Gi', 'amd.com/gpu': '2'}, limits: {memory: '96Gi', 'amd.com/gpu': '2'}})
    expect(defaultResources(0)).toEqual({})
  })
  it('template then service overlay key by key (seed 001 "Resource Limits")', () => {
    const r = inferenceResources({gpuCount: 1, templateResources: {limits: {memory: '40Gi'}}, serviceResources: {limits: {cpu: '8', memory: '64Gi'}, requests: {cpu: '4', memory: '32Gi'}}})
    expect(r).toEqual({requests: {cpu: '4', memory: '32Gi', 'amd.com/gpu': '1'}, limits: {memory: '64Gi', 'amd.com/gpu': '1', cpu: '8'}})
  })
})

describe('storage (reference §6.3)', () => {
  it('PVC size with headroom: 61 GiB + 10% → 68Gi', () => {
    expect(pvcSize(61 * GiB)).toBe('68Gi')
    expect(pvcSize(61 * GiB, 0)).toBe('61Gi')
    expect(pvcSize(16.06 * GiB, 10)).toBe('18Gi')
  })
  it('headroom and storage class precedence', () => {
    expect(headroomPercent(undefined)).toBe(10)
    expect(headroomPercent({pvcHeadroomPercent: 20})).toBe(20)
    expect(headroomPercent({storage: {pvcHeadroomPercent: 5}, pvcHeadroomPercent: 20})).toBe(5)
    expect(storageClassFor(undefined, {storage: {defaultStorageClassName: 'rwx'}})).toBe('rwx')
    expect(storageClassFor('mine', {storage: {defaultStorageClassName: 'rwx'}})).toBe('mine')
    expect(storageClassFor(undefined, undefined)).toBeUndefined()
  })
  it('display size with two significant digits', () => {
    expect(formatDisplaySize(61 * GiB)).toBe('61 GiB')
    expect(formatDisplaySize(16.06 * GiB)).toBe('16 GiB')
    expect(formatDisplaySize(1.55 * GiB)).toBe('1.6 GiB')
    expect(formatDisplaySize(123 * GiB)).toBe('120 GiB')
  })
  it('check-size output', () => {
    expect(parseCheckSizeOutput(['downloading', '{"url":"hf://x","sizeBytes":1024}'])).toEqual({ok: true, sizeBytes: 1024})
    expect(parseCheckSizeOutput(['{"sizeBytes":0}'])).toMatchObject({ok: false, reason: 'InvalidSizeOutput'})
    expect(parseCheckSizeOutput(['garbage'])).toMatchObject({ok: false, reason: 'InvalidSizeOutput'})
  })
  it('quantities', () => {
    expect(parseQuantity('61Gi')).toBe(61 * GiB)
    expect(parseQuantity('500m')).toBe(0.5)
    expect(parseQuantity('1.5G')).toBe(1.5e9)
    expect(parseQuantity('2e3')).toBe(2000)
    expect(parseQuantity('lots')).toBeUndefined()
  })
})

const rc = (kind: string, name: string, spec: Record<string, unknown>, ns?: string): KubeObject => ({apiVersion: 'aim.eai.amd.com/v1alpha1', kind, metadata: {name, uid: `u-${kind}`, ...(ns ? {namespace: ns} : {})}, spec})

describe('runtime config (reference §1)', () => {
  it('default is optional; another name must exist', () => {
    expect(resolveRuntimeConfig(undefined, undefined, undefined)).toEqual({ok: true, name: 'default', config: undefined})
    expect(resolveRuntimeConfig('team-config', undefined, undefined)).toEqual({
      ok: false,
      name: 'team-config',
      health: {state: 'Failed', reason: 'ConfigNotFound', message: 'RuntimeConfig team-config not found', error: 'MissingUpstreamDependency'},
    })
  })
  it('namespace over cluster, env merged by name, deprecated fields migrated', () => {
    const r = resolveRuntimeConfig(
      'default',
      rc('AIMRuntimeConfig', 'default', {routing: {enabled: true}, env: [{name: 'A', value: 'ns'}]}, 'ml-team'),
      rc('AIMClusterRuntimeConfig', 'default', {routing: {enabled: false, gatewayRef: {name: 'gw', namespace: 'gateways'}}, env: [{name: 'A', value: 'cl'}, {name: 'B', value: 'cl'}], defaultStorageClassName: 'rwx'}),
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.config?.routing).toEqual({enabled: true, gatewayRef: {name: 'gw', namespace: 'gateways'}})
    expect(r.config?.env).toEqual([{name: 'A', value: 'ns'}, {name: 'B', value: 'cl'}])
    expect(r.config?.storage).toEqual({defaultStorageClassName: 'rwx'})
    expect(r.ref).toMatchObject({name: 'default', namespace: 'ml-team', scope: 'Merged'})
    expect(r.health).toMatchObject({state: 'Ready', reason: 'RuntimeConfigResolved'})
  })
})

describe('routing, caching mode, autoscaling', () => {
  it('service over runtime config; enabled without a gateway → GatewayNotConfigured', () => {
    const d = resolveRouting({routing: {enabled: true, pathTemplate: '/{.metadata.name}', requestTimeout: '180s'}}, {routing: {gatewayRef: {name: 'gw'}, pathTemplate: '/rc', annotations: {a: 'b'}}})
    expect(d).toEqual({enabled: true, gatewayRef: {name: 'gw'}, pathTemplate: '/{.metadata.name}', requestTimeout: '3m0s', annotations: {a: 'b'}})
    expect(resolveRouting({routing: {enabled: true}}, undefined).error).toMatchObject({reason: 'GatewayNotConfigured', error: 'InvalidSpec'})
    expect(resolveRouting(undefined, undefined).enabled).toBe(false)
  })
  it('Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000)
    expect(formatGoDuration(5_400_000)).toBe('1h30m0s')
    expect(formatGoDuration(1500)).toBe('1.5s')
    expect(parseGoDuration('soon')).toBeUndefined()
  })
  it('caching mode mapping', () => {
    expect([undefined, 'Shared', 'Auto', 'Always', 'Dedicated', 'Never'].map((mode) => cachingMode(mode ? {caching: {mode}} : {}))).toEqual(['Shared', 'Shared', 'Shared', 'Shared', 'Dedicated', 'Dedicated'])
  })
  it('autoscaling on with min/max (KEDA annotations), off with replicas', () => {
    expect(autoscalingFor({minReplicas: 1, maxReplicas: 5}, 'qwen-chat-a04542d9')).toMatchObject({
      enabled: true,
      minReplicas: 1,
      maxReplicas: 5,
      annotations: {'serving.kserve.io/autoscalerClass': 'keda', 'sidecar.opentelemetry.io/inject': 'qwen-chat-a04542d9-predictor', 'prometheus.kserve.io/port': '8000'},
    })
    expect(autoscalingFor({minReplicas: 2}, 'x')).toMatchObject({minReplicas: 2, maxReplicas: 2})
    expect(autoscalingFor({replicas: 3}, 'x')).toEqual({enabled: false, minReplicas: 3, maxReplicas: 3, annotations: {'serving.kserve.io/autoscalerClass': 'none'}})
  })
  it('KEDA HPA name from the InferenceService name (seed 001 "Monitoring Autoscaling")', () => {
    expect(hpaName('qwen-chat-a04542d9')).toBe('keda-hpa-qwen-chat-a04542d9-predictor')
  })
  it('status.runtime and the replicas string', () => {
    expect(runtimeStatus({replicas: 3})).toEqual({currentReplicas: 3, desiredReplicas: 3, minReplicas: 3, maxReplicas: 3, replicas: '3'})
    const hpa: KubeObject = {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: 'h'}, spec: {minReplicas: 1, maxReplicas: 5}, status: {currentReplicas: 2, desiredReplicas: 3}}
    expect(runtimeStatus({minReplicas: 1, maxReplicas: 5}, hpa).replicas).toBe('2/3 (1-5)')
  })
})

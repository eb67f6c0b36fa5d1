import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, QUICK_START, QUICK_START_IMAGE, qwenModel as qwenModelYaml, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

const IMAGE = QUICK_START_IMAGE
const AUTO_MODEL = 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22'
const LATENCY_TEMPLATE = 'amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-fp16-bf78'

const quickStart = QUICK_START
const qwenModel = qwenModelYaml()

function svc(spec: string, name = 'svc', labels = ''): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: ${name}
  namespace: ml-team
${labels ? `  labels:\n${labels}` : ''}
spec:
${spec}`
}


/** A namespaced template with inline sources (no discovery). */
function inlineTemplate(name: string, extra = '', gpus = 1): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: ${name}
  namespace: ml-team
spec:
  modelName: qwen-qwen3-32b
  metric: latency
  precision: fp16
  hardware:
    gpu:
      model: MI300X
      requests: ${gpus}
  modelSources:
    - modelId: Qwen/Qwen3-32B
      sourceUri: hf://Qwen/Qwen3-32B
      size: 61Gi
${extra}`
}

describe('AIMService (seed 001 quick start)', () => {
  it('creates the model, selects the MI300X fp16 latency template, caches, and reaches Running', async () => {
    h = createHarness()
    h.apply(quickStart)
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    expect(s.status.observedGeneration).toBe(1)
    expect(s.metadata.finalizers).toEqual(['aim.eai.amd.com/template-cache-cleanup'])
    const c = h.conditions(s)
    expect(c.ModelReady).toEqual(['True', 'ModelResolved', `AIMModel ${AUTO_MODEL} is ready`])
    expect(c.TemplateReady).toEqual(['True', 'Resolved', `AIMServiceTemplate ${LATENCY_TEMPLATE} is ready`])
    expect(c.CacheReady).toEqual(['True', 'CacheReady', 'Template cache is ready'])
    expect(c.InferenceServiceReady).toEqual(['True', 'RuntimeReady', 'InferenceService is ready'])
    expect(c.InferenceServicePodsReady).toEqual(['True', 'PodsReady', 'Pods are ready'])
    expect(c.Ready).toEqual(['True', 'AllComponentsReady', 'All components are ready'])
    expect(c.HTTPRouteReady).toBeUndefined()
    expect(c.HPAReady).toBeUndefined()
    expect(s.status.resolvedModel).toEqual({name: AUTO_MODEL, namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMModel', uid: h.get('AIMModel', 'ml-team', AUTO_MODEL).metadata.uid})
    expect(s.status.resolvedTemplate).toMatchObject({name: LATENCY_TEMPLATE, namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMServiceTemplate'})
    expect(s.status.resolvedRuntimeConfig).toEqual({name: 'default', namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMRuntimeConfig'})
    expect(s.status.runtime).toEqual({currentReplicas: 1, desiredReplicas: 1, minReplicas: 1, maxReplicas: 1, replicas: '1'})
  })

  it('auto-creates a shared model (no owner) with four templates; the MI325X ones are NotAvailable', async () => {
    h = createHarness()
    h.apply(quickStart)
    await h.settle()
    const model = h.get('AIMModel', 'ml-team', AUTO_MODEL)
    expect(model.metadata.ownerReferences ?? []).toEqual([])
    expect(model.metadata.labels).toMatchObject({'aim.eai.amd.com/origin': 'auto-generated', 'aim.eai.amd.com/service.name': 'qwen-chat'})
    expect(model.status.status).toBe('Ready')
    expect(h.cond(model, 'ServiceTemplatesReady').slice(0, 2)).toEqual(['True', 'SomeTemplatesReady'])
    const templates = h.list('AIMServiceTemplate', 'ml-team', `aim.eai.amd.com/model=${AUTO_MODEL}`)
    const byName = Object.fromEntries(templates.map((t) => [t.metadata.name, t.status.status]))
    expect(byName).toEqual({
      [LATENCY_TEMPLATE]: 'Ready',
      'amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-thr-fp16-2734': 'Ready',
      'amdenterpriseai-aim-qwen-qwen3-32b-0-8-5-1x-mi325x-lat-e0fd': 'NotAvailable',
      'amdenterpriseai-aim-qwen-qwen3-32b-0-8-5-1x-mi325x-thr-a250': 'NotAvailable',
    })
    const lat = h.get('AIMServiceTemplate', 'ml-team', LATENCY_TEMPLATE)
    expect(lat.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMModel', name: AUTO_MODEL, controller: true})
    expect(lat.status.modelSources).toEqual([{modelId: 'Qwen/Qwen3-32B', sourceUri: 'hf://Qwen/Qwen3-32B', size: String(Math.trunc(61.04 * 2 ** 30))}])
    expect(lat.status.profile.metadata).toEqual({engine: 'vllm', gpu: 'MI300X', gpuCount: 1, metric: 'latency', precision: 'fp16', type: 'optimized'})
    expect(lat.status.hardwareSummary).toBe('1 x MI300X')
    expect(lat.status.resolvedHardware).toEqual({gpu: {requests: 1, model: 'MI300X', resourceName: 'amd.com/gpu'}})
    expect(lat.status.resolvedNodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: 'amd.com/gpu.device-id',
      operator: 'In',
      values: ['74a1', '74a9', '74b5', '74bd'],
    })
    const na = h.get('AIMServiceTemplate', 'ml-team', 'amdenterpriseai-aim-qwen-qwen3-32b-0-8-5-1x-mi325x-lat-e0fd')
    expect(h.conditions(na).GPUReady).toEqual(['False', 'GPUNotAvailable', "Required GPU model 'MI325X' not available in cluster. Available: MI300X"])
  })

  it('creates the InferenceService with the operator name, labels, env, resources, volumes and affinity', async () => {
    h = createHarness()
    h.apply(quickStart)
    await h.settle()
    const [isvc] = h.list('InferenceService', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')
    expect(isvc.metadata.name).toBe('qwen-chat-a04542d9')
    expect(isvc.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMService', name: 'qwen-chat', controller: true})
    expect(isvc.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'inference',
      'app.kubernetes.io/managed-by': 'aim-engine',
      'aim.eai.amd.com/service': 'qwen-chat',
      'aim.eai.amd.com/service.name': 'qwen-chat',
      'aim.eai.amd.com/template': LATENCY_TEMPLATE,
      'aim.eai.amd.com/model': AUTO_MODEL,
      'aim.eai.amd.com/metric': 'latency',
      'aim.eai.amd.com/precision': 'fp16',
    })
    expect(isvc.metadata.annotations['serving.kserve.io/autoscalerClass']).toBe('none')
    const p = isvc.spec.predictor
    expect([p.minReplicas, p.maxReplicas]).toEqual([1, 1])
    const c = p.containers[0]
    expect(c.name).toBe('kserve-container')
    expect(c.image).toBe(IMAGE)
    expect(c.ports).toEqual([{containerPort: 8000, name: 'http', protocol: 'TCP'}])
    expect(c.env).toEqual([
      {name: 'AIM_CACHE_PATH', value: '/workspace/cache'},
      {name: 'AIM_METRIC', value: 'latency'},
      {name: 'AIM_PRECISION', value: 'fp16'},
      {name: 'VLLM_ENABLE_METRICS', value: 'true'},
    ])
    expect(c.resources).toEqual({requests: {cpu: '4', memory: '32Gi', 'amd.com/gpu': '1'}, limits: {memory: '48Gi', 'amd.com/gpu': '1'}})
    const cache = h.list('AIMTemplateCache', 'ml-team')[0]
    const artifact = Object.values(cache.status.artifacts)[0] as any
    expect(p.volumes).toEqual([
      {name: 'dshm', emptyDir: {medium: 'Memory', sizeLimit: '8Gi'}},
      {name: artifact.name, persistentVolumeClaim: {claimName: artifact.persistentVolumeClaim}},
    ])
    expect(c.volumeMounts).toEqual([
      {name: 'dshm', mountPath: '/dev/shm'},
      {name: artifact.name, mountPath: '/workspace/cache/Qwen/Qwen3-32B'},
    ])
    expect(p.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['74a1', '74a9', '74b5', '74bd'])
  })

  it('is deterministic: the same inputs give the same objects', async () => {
    const snapshot = async () => {
      const x = createHarness()
      x.apply(quickStart)
      await x.settle()
      const kinds = ['AIMService', 'AIMModel', 'AIMServiceTemplate', 'AIMTemplateCache', 'AIMArtifact', 'InferenceService', 'PersistentVolumeClaim', 'Job']
      const out = kinds.map((k) => x.list(k).map((o) => ({...o, metadata: {...o.metadata, managedFields: undefined}})))
      x.stop()
      return JSON.stringify(out)
    }
    const a = await snapshot()
    const b = await snapshot()
    expect(a.length).toBeGreaterThan(1000)
    expect(a).toBe(b)
  })
})

describe('AIMService model resolution', () => {
  it('resolves an AIMModel by name and auto-selects its template', async () => {
    h = createHarness()
    h.apply(qwenModel)
    h.apply(svc('  model:\n    name: qwen-qwen3-32b', 'qwen-service'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-service')
    expect(s.status.status).toBe('Running')
    expect(h.conditions(s).ModelReady).toEqual(['True', 'ModelResolved', 'AIMModel qwen-qwen3-32b is ready'])
    expect(s.status.resolvedModel).toMatchObject({name: 'qwen-qwen3-32b', scope: 'Namespace'})
    expect(s.status.resolvedTemplate.name).toMatch(/^amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-fp16-[0-9a-f]{4}$/)
    expect(h.list('AIMModel', 'ml-team').map((m) => m.metadata.name)).toEqual(['qwen-qwen3-32b'])
  })

  it('reuses an existing model with the same image instead of creating one', async () => {
    h = createHarness()
    h.apply(qwenModel)
    h.apply(svc(`  model:\n    image: ${IMAGE}`))
    await h.settle()
    expect(h.list('AIMModel', 'ml-team').map((m) => m.metadata.name)).toEqual(['qwen-qwen3-32b'])
    expect(h.get('AIMService', 'ml-team', 'svc').status.resolvedModel.name).toBe('qwen-qwen3-32b')
  })

  it('fails with ModelNotFound when the named model does not exist', async () => {
    h = createHarness()
    h.apply(svc('  model:\n    name: missing-model'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'svc')
    expect(s.status.status).toBe('Failed')
    const c = h.conditions(s)
    expect(c.ModelReady).toEqual(['False', 'ModelNotFound', 'model "missing-model" not found in namespace ml-team or cluster scope'])
    expect(c.ConfigValid).toEqual(['False', 'ReferenceNotFound', 'Referenced resource not found'])
    expect(c.Ready).toEqual(['False', 'ModelNotFound', 'Component Model is not ready: model "missing-model" not found in namespace ml-team or cluster scope'])
    expect(h.list('InferenceService', 'ml-team')).toEqual([])
  })

  it('creates a custom model from model.custom and serves it', async () => {
    h = createHarness()
    h.apply(
      svc(`  model:
    custom:
      baseImage: amdenterpriseai/aim-vllm-base:0.10.0
      modelSources:
        - modelId: my-org/llama-finetuned
          sourceUri: s3://my-bucket/weights/
          size: 16Gi
      hardware:
        gpu:
          model: MI300X
          requests: 1
  template:
    allowUnoptimized: true`),
    )
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'svc')
    expect(s.status.status).toBe('Running')
    const [model] = h.list('AIMModel', 'ml-team')
    expect(model.metadata.labels).toMatchObject({'aim.eai.amd.com/custom-model': 'true', 'aim.eai.amd.com/service': 'svc', 'aim.eai.amd.com/origin': 'auto-generated'})
    expect(model.status.sourceType).toBe('Custom')
    const [isvc] = h.list('InferenceService', 'ml-team')
    const env = Object.fromEntries(isvc.spec.predictor.containers[0].env.map((e: any) => [e.name, e.value]))
    expect(env.AIM_MODEL_ID).toBe('my-org/llama-finetuned')
    expect(isvc.spec.predictor.containers[0].image).toBe('amdenterpriseai/aim-vllm-base:0.10.0')
  })
})

describe('AIMService template selection', () => {
  it('reports TemplateSelectionAmbiguous when two templates tie', async () => {
    h = createHarness()
    h.apply(qwenModel.replace(`image: ${IMAGE}`, `image: ${IMAGE}\n  discovery:\n    createServiceTemplates: false`))
    h.apply(inlineTemplate('tpl-a'))
    h.apply(inlineTemplate('tpl-b'))
    h.apply(svc('  model:\n    name: qwen-qwen3-32b\n  template:\n    allowUnoptimized: true'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'svc')
    const [status, reason, message] = h.cond(s, 'TemplateReady')
    expect([status, reason]).toEqual(['False', 'TemplateSelectionAmbiguous'])
    expect(message).toContain('tpl-a')
    expect(message).toContain('tpl-b')
    expect(h.cond(s, 'Ready')[1]).toBe('TemplateSelectionAmbiguous')
    expect(s.status.resolvedTemplate).toBeUndefined()
    expect(h.list('InferenceService', 'ml-team')).toEqual([])
  })

  it('fails with TemplateNotFound for an explicit template that does not exist', async () => {
    h = createHarness()
    h.apply(qwenModel)
    h.apply(svc('  model:\n    name: qwen-qwen3-32b\n  template:\n    name: nope'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'svc')
    expect(s.status.status).toBe('Failed')
    expect(h.conditions(s).TemplateReady).toEqual(['False', 'TemplateNotFound', 'template "nope" not found'])
  })

  it('stays Pending with FailedScheduling when the cluster lacks GPUs for the template', async () => {
    h = createHarness()
    h.apply(qwenModel.replace(`image: ${IMAGE}`, `image: ${IMAGE}\n  discovery:\n    createServiceTemplates: false`))
    h.apply(inlineTemplate('big', '', 16))
    h.apply(svc('  model:\n    name: qwen-qwen3-32b\n  template:\n    name: big'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'svc')
    expect(s.status.status).toBe('Pending')
    expect(h.conditions(s).InferenceServicePodsReady).toEqual(['False', 'FailedScheduling', '0/2 nodes are available: 2 Insufficient amd.com/gpu.'])
    const [isvc] = h.list('InferenceService', 'ml-team')
    expect(isvc.spec.predictor.containers[0].resources.requests['amd.com/gpu']).toBe('16')
  })

  it('leaves templates NotAvailable and the service Pending on a cluster without GPUs', async () => {
    h = createHarness({nodes: ''})
    h.apply(quickStart)
    await h.settle()
    const model = h.get('AIMModel', 'ml-team', AUTO_MODEL)
    expect(model.status.status).toBe('NotAvailable')
    expect(h.cond(model, 'ServiceTemplatesReady').slice(0, 2)).toEqual(['False', 'NoTemplatesAvailable'])
    const t = h.get('AIMServiceTemplate', 'ml-team', LATENCY_TEMPLATE)
    expect(t.status.status).toBe('NotAvailable')
    expect(h.conditions(t).GPUReady).toEqual(['False', 'GPUNotAvailable', 'No GPUs available in cluster'])
    expect(h.list('Job')).toEqual([])
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Pending')
    expect(h.cond(s, 'ModelReady').slice(0, 2)).toEqual(['False', 'ModelNotReady'])
  })
})

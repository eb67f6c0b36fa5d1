import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

const QWEN = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'
const LLAMA3B = 'amdenterpriseai/aim-meta-llama-llama-3-2-3b-instruct:0.8.5'

function model(name: string, image: string, cluster = false, extra = '  discovery:\n    createServiceTemplates: false'): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: ${cluster ? 'AIMClusterModel' : 'AIMModel'}
metadata:
  name: ${name}
${cluster ? '' : '  namespace: ml-team'}
spec:
  image: ${image}
${extra}`
}

describe('AIMServiceTemplate discovery', () => {
  it('runs a discovery Job in the template namespace with the model image and dry-run', async () => {
    h = createHarness()
    h.apply(model('qwen-qwen3-32b', QWEN))
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: qwen-lat
  namespace: ml-team
spec:
  modelName: qwen-qwen3-32b
  metric: latency
  precision: fp16
  hardware: {gpu: {model: MI300X, requests: 1}}
`)
    await h.manager.idle()
    const [job] = h.list('Job', 'ml-team', 'aim.eai.amd.com/template=qwen-lat')
    expect(job.metadata.name).toMatch(/^discover-qwen-lat-[0-9a-f]{8}$/)
    expect(job.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'aim-discovery',
      'app.kubernetes.io/component': 'discovery',
      'app.kubernetes.io/managed-by': 'aim-controller',
      'aim.eai.amd.com/template': 'qwen-lat',
    })
    expect(job.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMServiceTemplate', name: 'qwen-lat'})
    expect(job.spec.backoffLimit).toBe(0)
    expect(job.spec.ttlSecondsAfterFinished).toBe(60)
    const pod = job.spec.template.spec
    expect(pod.restartPolicy).toBe('Never')
    expect(pod.securityContext).toMatchObject({runAsUser: 65532, runAsNonRoot: true})
    expect(pod.containers).toHaveLength(1)
    expect(pod.containers[0]).toMatchObject({name: 'discovery', image: QWEN, args: ['dry-run', '--format=json']})
    expect(pod.containers[0].env).toEqual([
      {name: 'AIM_LOG_LEVEL_ROOT', value: 'CRITICAL'},
      {name: 'AIM_LOG_LEVEL', value: 'CRITICAL'},
      {name: 'AIM_METRIC', value: 'latency'},
      {name: 'AIM_PRECISION', value: 'fp16'},
      {name: 'AIM_GPU_MODEL', value: 'MI300X'},
      {name: 'AIM_GPU_COUNT', value: '1'},
    ])
    const t0 = h.get('AIMServiceTemplate', 'ml-team', 'qwen-lat')
    expect(t0.status.status).toBe('Progressing')
    expect(h.conditions(t0).DiscoveryJobReady).toEqual(['False', 'JobRunning', 'Discovery job is running'])
    await h.settle()
    const t = h.get('AIMServiceTemplate', 'ml-team', 'qwen-lat')
    expect(t.status.status).toBe('Ready')
    expect(t.status.discoveryJob).toEqual({name: job.metadata.name, namespace: 'ml-team'})
    expect(t.status.profile.metadata).toMatchObject({gpu: 'MI300X', gpuCount: 1, metric: 'latency', precision: 'fp16', type: 'optimized'})
    expect(t.status.resolvedModel).toMatchObject({name: 'qwen-qwen3-32b', namespace: 'ml-team', scope: 'Namespace'})
  })

  it('runs cluster template discovery in aim-system', async () => {
    h = createHarness()
    h.apply(model('qwen-qwen3-32b', QWEN, true))
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMClusterServiceTemplate
metadata:
  name: qwen3-32b-latency
spec:
  modelName: qwen-qwen3-32b
  metric: latency
  precision: fp8
  hardware: {gpu: {model: MI300X, requests: 1}}
`)
    await h.settle()
    const jobs = h.list('Job', undefined, 'aim.eai.amd.com/template=qwen3-32b-latency')
    expect(jobs.map((j) => j.metadata.namespace)).toEqual(['aim-system'])
    const t = h.get('AIMClusterServiceTemplate', undefined, 'qwen3-32b-latency')
    expect(t.status.status).toBe('Ready')
    expect(h.cond(t, 'ClusterModelReady')[0]).toBe('True')
    expect(t.status.profile.metadata).toMatchObject({precision: 'fp8', type: 'unoptimized'})
    expect(t.status.modelSources[0].modelId).toBe('Qwen/Qwen3-32B-FP8')
  })

  it('skips discovery for inline model sources', async () => {
    h = createHarness()
    h.apply(model('qwen-qwen3-32b', QWEN))
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: inline
  namespace: ml-team
spec:
  modelName: qwen-qwen3-32b
  hardware: {gpu: {model: MI300X, requests: 2}}
  modelSources:
    - {modelId: Qwen/Qwen3-32B, sourceUri: hf://Qwen/Qwen3-32B, size: 61Gi}
`)
    await h.settle()
    const t = h.get('AIMServiceTemplate', 'ml-team', 'inline')
    expect(t.status.status).toBe('Ready')
    expect(h.conditions(t).Discovered).toEqual(['True', 'InlineModelSources', 'Model sources provided in-line in spec'])
    expect(t.status.hardwareSummary).toBe('2 x MI300X')
    expect(t.status.modelSources).toEqual([{modelId: 'Qwen/Qwen3-32B', sourceUri: 'hf://Qwen/Qwen3-32B', size: '61Gi'}])
    expect(h.list('Job')).toEqual([])
  })

  it('fails a discovery that finds no profile, then retries after a 60s backoff', async () => {
    h = createHarness()
    h.apply(model('qwen-qwen3-32b', QWEN))
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: fp32
  namespace: ml-team
spec:
  modelName: qwen-qwen3-32b
  metric: latency
  precision: fp32
  hardware: {gpu: {model: MI300X, requests: 1}}
`)
    await h.settle(10_000)
    const t = h.get('AIMServiceTemplate', 'ml-team', 'fp32')
    expect(t.status.status).toBe('Failed')
    expect(h.conditions(t).DiscoveryJobReady).toEqual(['False', 'JobBackoffLimitExceeded', 'no profile matches the requested configuration'])
    expect(t.status.discovery).toMatchObject({attempts: 1, lastFailureReason: 'no profile matches the requested configuration'})
    expect(h.conditions(t).Discovered).toEqual(['False', 'AwaitingDiscovery', 'Waiting 1m0s before retry (attempt 1 failed)'])
    const firstJob = h.list('Job', 'ml-team')[0]
    await h.settle(70_000)
    const t2 = h.get('AIMServiceTemplate', 'ml-team', 'fp32')
    expect(t2.status.discovery.attempts).toBe(2)
    const job = h.list('Job', 'ml-team')[0]
    expect(job.metadata.uid).not.toBe(firstJob.metadata.uid)
  })
})

describe('AIMModel', () => {
  it('is Degraded with ImageMetadataReady False for an unknown image, after the 10s grace period', async () => {
    h = createHarness()
    h.apply(model('ghost', 'example.com/no/such-image:1.0', false, ''))
    await h.manager.idle()
    const m0 = h.get('AIMModel', 'ml-team', 'ghost')
    expect(h.conditions(m0).ImageMetadataReady).toEqual(['False', 'ImageNotFound', 'Failed to fetch image metadata for example.com/no/such-image:1.0: image not found in registry'])
    expect(m0.status.status).not.toBe('Degraded')
    await h.settle(15_000)
    const m = h.get('AIMModel', 'ml-team', 'ghost')
    expect(m.status.status).toBe('Degraded')
    expect(h.conditions(m).DependenciesReachable).toEqual(['False', 'InfrastructureError', 'Cannot reach dependencies'])
    expect(h.list('AIMServiceTemplate', 'ml-team')).toEqual([])
  })

  it('creates templates for customTemplates with the alias label (seed 001)', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMModel
metadata:
  name: my-finetuned-llama
  namespace: ml-team
spec:
  image: amdenterpriseai/aim-vllm-base:0.10.0
  modelSources:
    - modelId: my-org/llama-finetuned
      sourceUri: s3://my-bucket/weights/
      size: 16Gi
  customTemplates:
    - name: llama-custom-tp1
      aimId: meta-llama/Llama-3-8B
      modelId: meta-llama/Llama-3-8B
      hardware:
        gpu:
          model: MI300X
          requests: 1
      profile:
        metric: latency
        precision: fp16
      customProfile:
        engineArgs:
          dtype: float16
          gpu-memory-utilization: 0.95
        envVars:
          HIP_FORCE_DEV_KERNARG: "1"
`)
    await h.settle()
    const m = h.get('AIMModel', 'ml-team', 'my-finetuned-llama')
    expect(m.status.status).toBe('Ready')
    expect(m.status.sourceType).toBe('Custom')
    const [t] = h.list('AIMServiceTemplate', 'ml-team', 'aim.eai.amd.com/template.alias=llama-custom-tp1')
    expect(t.metadata.name).toMatch(/^my-finetuned-llama-custom-llama-custom-tp1-fp16-mi300x-[0-9a-f]{8}$/)
    expect(t.spec).toMatchObject({modelName: 'my-finetuned-llama', type: 'unoptimized', metric: 'latency', precision: 'fp16', aimId: 'meta-llama/Llama-3-8B'})
    expect(t.spec.modelSources).toEqual([{modelId: 'my-org/llama-finetuned', sourceUri: 's3://my-bucket/weights/', size: '16Gi'}])
    expect(t.status.status).toBe('Ready')
    expect(t.status.profile.engine_args).toEqual({dtype: 'float16', 'gpu-memory-utilization': 0.95})

    // "can be referenced by name": the alias resolves to the generated template.
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: llama-ft, namespace: ml-team}
spec:
  model: {name: my-finetuned-llama}
  template: {name: llama-custom-tp1}
`)
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'llama-ft')
    expect(s.status.status).toBe('Running')
    expect(s.status.resolvedTemplate.name).toBe(t.metadata.name)
  })
})

describe('custom profiles (seed 001 "Verifying Custom Profile Deployment")', () => {
  it('creates a ConfigMap with the profile YAML, mounts it and sets AIM_ID and AIM_PROFILE_ID', async () => {
    h = createHarness()
    h.apply(model('my-llama-model', LLAMA3B))
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: llama-3-8b-custom
  namespace: ml-team
spec:
  aimId: meta-llama/Llama-3-8B
  modelId: meta-llama/Llama-3-8B
  modelName: my-llama-model
  metric: latency
  precision: fp16
  hardware:
    gpu:
      model: MI300X
      requests: 1
  customProfile:
    engineArgs:
      dtype: float16
      gpu-memory-utilization: 0.95
    envVars:
      PYTORCH_TUNABLEOP_ENABLED: "1"
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: llama-custom
  namespace: ml-team
spec:
  model:
    name: my-llama-model
  template:
    name: llama-3-8b-custom
`)
    await h.settle()
    expect(h.get('AIMServiceTemplate', 'ml-team', 'llama-3-8b-custom').status.status).toBe('Ready')
    const s = h.get('AIMService', 'ml-team', 'llama-custom')
    expect(s.status.status).toBe('Running')
    const cms = h.list('ConfigMap', 'ml-team', 'aim.eai.amd.com/service.name=llama-custom')
    expect(cms).toHaveLength(1)
    const data = cms[0].data['custom-llama-3-8b-custom.yaml'] as string
    expect(data).toContain('aim_id: meta-llama/Llama-3-8B')
    expect(data).toContain('gpu-memory-utilization: 0.95')
    expect(data).toContain('PYTORCH_TUNABLEOP_ENABLED: "1"')
    const [isvc] = h.list('InferenceService', 'ml-team', 'aim.eai.amd.com/service.name=llama-custom')
    const c = isvc.spec.predictor.containers[0]
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]))
    expect(env.AIM_ID).toBe('meta-llama/Llama-3-8B')
    expect(env.AIM_PROFILE_ID).toBe('custom-llama-3-8b-custom')
    expect(c.volumeMounts).toContainEqual({name: 'custom-profile', mountPath: '/workspace/aim-runtime/profiles/custom/', readOnly: true})
    expect(isvc.spec.predictor.volumes).toContainEqual({name: 'custom-profile', configMap: {name: cms[0].metadata.name}})
  })
})

/** OME reconcilers: model download lifecycle, failures written to status, cleanup and deletion. */
import {afterEach, describe, expect, it} from 'vitest'
import {createOmeHarness, type OmeHarness} from './harness.js'

let h: OmeHarness
afterEach(() => h?.stop())

const RAW = `
apiVersion: ome.io/v1beta1
kind: InferenceService
metadata: {name: chat, namespace: default}
spec:
  model: {name: llama-3-70b-instruct}
  engine: {minReplicas: 1, maxReplicas: 2}
`

function ready(obj: any, type = 'Ready'): any {
  return (obj?.status?.conditions ?? []).find((c: any) => c.type === type)
}

describe('BaseModel lifecycle', () => {
  it('downloads on every node (In_Transit, node labels Updating) then Ready; engine pods wait for the label', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml')
    h.apply(RAW)
    await h.manager.idle()
    await h.clock.advance(5_000)
    await h.manager.idle()
    const model = h.get('ClusterBaseModel', undefined, 'llama-3-70b-instruct')
    expect(model.status).toEqual({state: 'In_Transit', lifecycle: 'Downloading'})
    expect(model.metadata.finalizers).toEqual(['clusterbasemodels.ome.io/finalizer'])
    expect(h.get('Node', undefined, 'gpu-mi300x-0').metadata.labels['models.ome.io/clusterbasemodel.llama-3-70b-instruct']).toBe('Updating')
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=chat')[0]
    expect(pod.status.phase).toBe('Pending')
    expect(h.events(pod.metadata.name).some((e) => e.startsWith('Warning FailedScheduling'))).toBe(true)
    const isvc = h.get('InferenceService', 'default', 'chat')
    expect(ready(isvc)).toMatchObject({status: 'False', reason: 'MinimumReplicasUnavailable'})
    expect(isvc.status.modelStatus).toEqual({transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Pending'}})

    await h.settle()
    expect(h.get('ClusterBaseModel', undefined, 'llama-3-70b-instruct').status).toEqual({state: 'Ready', lifecycle: 'Ready', nodesReady: ['gpu-mi300x-0', 'gpu-mi300x-1']})
    expect(h.get('Node', undefined, 'gpu-mi300x-1').metadata.labels['models.ome.io/clusterbasemodel.llama-3-70b-instruct']).toBe('Ready')
    expect(ready(h.get('InferenceService', 'default', 'chat')).status).toBe('True')
    expect(h.events('llama-3-70b-instruct')).toContain('Normal ModelReady: ClusterBaseModel llama-3-70b-instruct is ready on 2 node(s): gpu-mi300x-0, gpu-mi300x-1')
  })

  it('a namespaced BaseModel wins over the ClusterBaseModel and labels nodes per namespace', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml')
    h.apply(`
apiVersion: ome.io/v1beta1
kind: BaseModel
metadata: {name: llama-3-70b-instruct, namespace: default}
spec:
  modelFormat: {name: safetensors, version: "1.0.0"}
  modelFramework: {name: transformers, version: "4.47.0"}
  modelArchitecture: LlamaForCausalLM
  modelParameterSize: 70B
  storage: {storageUri: "hf://meta-llama/Llama-3.3-70B-Instruct", path: /raid/models/team/llama, nodeSelector: {kubernetes.io/hostname: gpu-mi300x-1}}
`)
    h.apply(RAW)
    await h.settle()
    expect(h.get('BaseModel', 'default', 'llama-3-70b-instruct').status.nodesReady).toEqual(['gpu-mi300x-1'])
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=chat')[0]
    expect(pod.spec.nodeSelector).toEqual({'models.ome.io/default.basemodel.llama-3-70b-instruct': 'Ready'})
    expect(pod.spec.nodeName).toBe('gpu-mi300x-1')
    expect(pod.spec.volumes).toContainEqual({name: 'llama-3-70b-instruct', hostPath: {path: '/raid/models/team/llama'}})
  })

  it('deleting a model removes its node labels and then the model', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml')
    await h.settle()
    h.store.delete({group: 'ome.io', plural: 'clusterbasemodels'}, undefined, 'deepseek-r1', {})
    await h.settle()
    expect(h.get('ClusterBaseModel', undefined, 'deepseek-r1')).toBeUndefined()
    expect(h.get('Node', undefined, 'gpu-mi300x-0').metadata.labels['models.ome.io/clusterbasemodel.deepseek-r1']).toBeUndefined()
    expect(h.get('Node', undefined, 'gpu-mi300x-0').metadata.labels['models.ome.io/clusterbasemodel.llama-3-70b-instruct']).toBe('Ready')
  })
})

describe('InferenceService failures', () => {
  async function failing(manifest: string, extra = ''): Promise<any> {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml')
    if (extra) h.apply(extra)
    h.apply(manifest)
    await h.settle()
    return h.get('InferenceService', 'default', 'chat')
  }

  it('an unknown model: Ready=False BaseModelNotFound, an event, no children; creating the model recovers', async () => {
    const isvc = await failing(RAW.replace('llama-3-70b-instruct', 'llama-4'))
    expect(ready(isvc)).toMatchObject({status: 'False', reason: 'BaseModelNotFound', message: 'No BaseModel or ClusterBaseModel with the name: llama-4'})
    expect(isvc.status.modelStatus).toEqual({transitionStatus: 'InvalidSpec', modelRevisionStates: {targetModelState: 'Pending'}, lastFailureInfo: {reason: 'BaseModelNotFound', message: 'No BaseModel or ClusterBaseModel with the name: llama-4'}})
    expect(h.events('chat')).toContain('Warning ModelReconcileError: No BaseModel or ClusterBaseModel with the name: llama-4')
    expect(h.list('Deployment', 'default')).toEqual([])
    const llama = h.get('ClusterBaseModel', undefined, 'llama-3-70b-instruct')
    h.apply([{apiVersion: 'ome.io/v1beta1', kind: 'ClusterBaseModel', metadata: {name: 'llama-4'}, spec: llama.spec}])
    await h.settle()
    expect(ready(h.get('InferenceService', 'default', 'chat')).status).toBe('True')
  })

  it('no runtime supports the model: NoSupportingRuntime with each runtime and why', async () => {
    const isvc = await failing(RAW.replace('llama-3-70b-instruct', 'qwen'), `
apiVersion: ome.io/v1beta1
kind: ClusterBaseModel
metadata: {name: qwen}
spec:
  modelFormat: {name: safetensors, version: "1.0.0"}
  modelArchitecture: Qwen3ForCausalLM
  modelParameterSize: 32B
`)
    expect(ready(isvc)).toMatchObject({
      status: 'False',
      reason: 'NoSupportingRuntime',
      message:
        'no runtime found to support model qwen with format mt:safetensors:1.0.0:Qwen3ForCausalLM:: in namespace default. Checked 3 runtimes (' +
        'srt-deepseek-r1: architecture DeepseekV3ForCausalLM does not match Qwen3ForCausalLM; vllm-rocm-llama: architecture LlamaForCausalLM does not match Qwen3ForCausalLM; ' +
        'vllm-text-generation: architecture LlamaForCausalLM does not match Qwen3ForCausalLM)',
    })
    expect(h.events('chat').some((e) => e.startsWith('Warning RuntimeSelectionError: no runtime found'))).toBe(true)
  })

  it('an explicit runtime that does not fit: RuntimeValidationError', async () => {
    const isvc = await failing(RAW.replace('engine:', 'runtime: {name: srt-deepseek-r1}\n  engine:'))
    expect(ready(isvc)).toMatchObject({
      status: 'False',
      reason: 'NoSupportingRuntime',
      message: 'runtime srt-deepseek-r1 does not support model mt:safetensors:1.0.0:LlamaForCausalLM:transformers:4.47.0: architecture DeepseekV3ForCausalLM does not match LlamaForCausalLM',
    })
    expect(h.events('chat').some((e) => e.startsWith('Warning RuntimeValidationError: runtime srt-deepseek-r1 does not support'))).toBe(true)
  })

  it('a decoder without an engine is rejected', async () => {
    const isvc = await failing(`
apiVersion: ome.io/v1beta1
kind: InferenceService
metadata: {name: chat, namespace: default}
spec:
  model: {name: deepseek-r1}
  decoder: {minReplicas: 1}
`)
    expect(ready(isvc)).toMatchObject({status: 'False', reason: 'InvalidPredictorSpec', message: 'decoder requires an engine component'})
  })

  it('unschedulable engine: EngineReady and Ready False with the Deployment reason', async () => {
    const isvc = await failing(RAW.replace('engine: {minReplicas: 1, maxReplicas: 2}', 'engine: {minReplicas: 1, runner: {resources: {requests: {amd.com/gpu: "9"}}}}'))
    expect(ready(isvc, 'EngineReady')).toMatchObject({status: 'False', reason: 'MinimumReplicasUnavailable'})
    expect(ready(isvc)).toMatchObject({status: 'False', reason: 'MinimumReplicasUnavailable'})
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=chat')[0]
    expect(h.events(pod.metadata.name).some((e) => e.includes('Insufficient amd.com/gpu'))).toBe(true)
  })
})

describe('deprecated predictor', () => {
  it('is served as the engine, with PredictorReady and a deprecation event', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml')
    h.apply(`
apiVersion: ome.io/v1beta1
kind: InferenceService
metadata: {name: old-style, namespace: default}
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 2
    model:
      baseModel: llama-3-70b-instruct
      runtime: vllm-rocm-llama
      env: [{name: EXTRA, value: "1"}]
`)
    await h.settle()
    const isvc = h.get('InferenceService', 'default', 'old-style')
    expect(h.conditions(isvc)).toEqual({IngressReady: 'True', PredictorReady: 'True', EngineReady: 'True', Ready: 'True'})
    expect(isvc.status.components.predictor).toEqual(isvc.status.components.engine)
    const pod = h.list('Pod', 'default', 'ome.io/inferenceservice=old-style')[0]
    expect(pod.metadata.labels['serving-runtime']).toBe('vllm-rocm-llama')
    expect(pod.spec.containers[0].env).toContainEqual({name: 'EXTRA', value: '1'})
    expect(h.events('old-style')).toContain('Warning DeprecatedPredictor: spec.predictor is deprecated; it is served as spec.engine (migrate to engine, model and runtime)')
  })
})

describe('model load failures', () => {
  it('a crashing engine: FailedToLoad, BlockedByFailedLoad, ModelLoadFailed; clearing the fault recovers', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml')
    h.manager.faults.crashImage('rocm/vllm:rocm6.3.1_vllm_0.8.5_20250513')
    h.apply(RAW)
    await h.settle(10 * 60_000)
    const isvc = h.get('InferenceService', 'default', 'chat')
    expect(ready(isvc, 'EngineReady').status).toBe('False')
    expect(isvc.status.modelStatus).toMatchObject({
      transitionStatus: 'BlockedByFailedLoad',
      modelRevisionStates: {targetModelState: 'FailedToLoad'},
      lastFailureInfo: {reason: 'ModelLoadFailed', exitCode: 139},
    })
    h.manager.faults.clearCrashImage('rocm/vllm:rocm6.3.1_vllm_0.8.5_20250513')
    await h.settle()
    expect(ready(h.get('InferenceService', 'default', 'chat')).status).toBe('True')
    const cm = h.get('ConfigMap', 'default', 'modelconfig-chat')
    expect(JSON.parse(cm.data['models.json'])[0]).toMatchObject({modelName: 'llama-3-70b-instruct', modelSpec: {modelArchitecture: 'LlamaForCausalLM'}})
  })
})

describe('InferenceService changes and deletion', () => {
  it('removing the router deletes its objects; adding a decoder adds DecoderReady; deletion cascades', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-router.yaml')
    await h.settle()
    expect(h.get('Deployment', 'default', 'llama-routed-router')).toBeDefined()
    const isvc = h.get('InferenceService', 'default', 'llama-routed')
    h.apply([{...isvc, metadata: {name: 'llama-routed', namespace: 'default'}, spec: {model: isvc.spec.model, engine: isvc.spec.engine, decoder: {minReplicas: 1}}, status: undefined}])
    await h.settle()
    expect(h.get('Deployment', 'default', 'llama-routed-router')).toBeUndefined()
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-routed-router')).toBeUndefined()
    expect(h.get('ServiceAccount', 'default', 'llama-routed-router')).toBeUndefined()
    const after = h.get('InferenceService', 'default', 'llama-routed')
    expect(h.conditions(after)).toEqual({IngressReady: 'True', EngineReady: 'True', DecoderReady: 'True', Ready: 'True'})
    expect(Object.keys(after.status.components).sort()).toEqual(['decoder', 'engine'])
    expect(h.get('Service', 'default', 'llama-routed').spec.selector.component).toBe('engine')

    h.store.delete({group: 'ome.io', plural: 'inferenceservices'}, 'default', 'llama-routed', {propagationPolicy: 'Background'})
    await h.settle()
    expect(h.get('InferenceService', 'default', 'llama-routed')).toBeUndefined()
    expect(h.list('Deployment', 'default')).toEqual([])
    expect(h.list('Service', 'default').map((s: any) => s.metadata.name)).not.toContain('llama-routed')
    expect(h.list('Pod', 'default', 'ome.io/inferenceservice=llama-routed')).toEqual([])
  })

  it('Serverless → raw: setting minReplicas 1 adds an HPA and pods', async () => {
    h = createOmeHarness()
    h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-serverless.yaml')
    await h.settle()
    const isvc = h.get('InferenceService', 'default', 'llama-chat')
    h.apply([{...isvc, metadata: {name: 'llama-chat', namespace: 'default'}, spec: {...isvc.spec, engine: {minReplicas: 1, maxReplicas: 10}}, status: undefined}])
    await h.settle()
    expect(h.get('HorizontalPodAutoscaler', 'default', 'llama-chat-engine').spec).toMatchObject({minReplicas: 1, maxReplicas: 10})
    expect(h.get('Deployment', 'default', 'llama-chat-engine').metadata.annotations['ome.io/deploymentMode']).toBe('RawDeployment')
    expect(h.list('Pod', 'default', 'ome.io/inferenceservice=llama-chat')).toHaveLength(1)
    expect(h.get('InferenceService', 'default', 'llama-chat').status.modelStatus.modelRevisionStates.activeModelState).toBe('Loaded')
  })

  it('is deterministic: the same inputs give the same objects', async () => {
    const snapshot = async () => {
      h = createOmeHarness({seed: 'same'})
      h.applyFixture('models.yaml', 'runtimes.yaml', 'seed-004-disaggregated.yaml')
      await h.settle()
      const out = JSON.stringify([h.get('InferenceService', 'default', 'deepseek-ep-disaggregated'), h.list('Pod', 'default').map((p: any) => [p.metadata.name, p.spec.nodeName, p.status.phase])])
      h.stop()
      return out
    }
    expect(await snapshot()).toBe(await snapshot())
  })
})

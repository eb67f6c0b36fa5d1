import {describe, expect, it} from 'vitest'
import {buildService, matchModel, stageStates, defaultServiceName, parseEnv, type ModelCandidate} from '../../../src/kube/deploy.js'
import {blockingCondition, type AIMService} from '../../../src/kube/aim.js'
import {UserError} from '../../../src/kube/errors.js'

const models: ModelCandidate[] = [
  {kind: 'AIMClusterModel', name: 'qwen-qwen3-32b', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', modelId: 'Qwen/Qwen3-32B'},
  {kind: 'AIMClusterModel', name: 'meta-llama-llama-3-1-8b-instruct', image: 'amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.5', modelId: 'meta-llama/Llama-3.1-8B-Instruct'},
  {kind: 'AIMClusterModel', name: 'meta-llama-llama-3-2-1b-instruct', image: 'amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5', modelId: 'meta-llama/Llama-3.2-1B-Instruct'},
  {kind: 'AIMModel', name: 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22', namespace: 'ml-team', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'},
]

function err(fn: () => unknown): UserError {
  try {
    fn()
  } catch (e) {
    return e as UserError
  }
  throw new Error('expected an error')
}

describe('matchModel', () => {
  it('exact name, model id or image wins', () => {
    expect(matchModel('meta-llama/Llama-3.1-8B-Instruct', models)).toMatchObject({type: 'model', model: {name: 'meta-llama-llama-3-1-8b-instruct'}})
    expect(matchModel('meta-llama-llama-3-2-1b-instruct', models)).toMatchObject({type: 'model', model: {name: 'meta-llama-llama-3-2-1b-instruct'}})
  })

  it('a namespaced model beats a cluster model for the same image', () => {
    expect(matchModel('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', models)).toMatchObject({model: {kind: 'AIMModel', name: 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22'}})
    expect(matchModel('QWEN', models)).toMatchObject({model: {kind: 'AIMModel'}})
  })

  it('several substring matches → exit 2 listing them', () => {
    const e = err(() => matchModel('llama', models))
    expect(e.exitCode).toBe(2)
    expect(e.message).toBe(
      '"llama" matches 2 models:\n  aimclustermodel/meta-llama-llama-3-1-8b-instruct (meta-llama/Llama-3.1-8B-Instruct) image amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.5\n  aimclustermodel/meta-llama-llama-3-2-1b-instruct (meta-llama/Llama-3.2-1B-Instruct) image amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5',
    )
  })

  it('an unknown image reference is deployed as an image; other unknown names exit 2', () => {
    expect(matchModel('ghcr.io/silogen/aim-dummy:0.1.10', models)).toEqual({type: 'image', image: 'ghcr.io/silogen/aim-dummy:0.1.10'})
    const e = err(() => matchModel('mistral', models))
    expect(e.exitCode).toBe(2)
    expect(e.message).toBe('no model matches "mistral"')
  })
})

describe('buildService', () => {
  it('maps the flags of DESIGN §3 onto the spec', () => {
    const svc = buildService({type: 'model', model: models[0]!}, {
      namespace: 'ml-team',
      replicas: 2,
      minReplicas: 1,
      maxReplicas: 4,
      metric: 'throughput',
      precision: 'fp8',
      gpuModel: 'mi300x',
      gpuCount: 2,
      caching: 'Dedicated',
      gateway: 'gateways/inference-gateway',
      pathTemplate: '/{.metadata.namespace}/{.metadata.name}',
      env: ['A=1'],
      envFromSecret: ['HF_TOKEN=secret/hf/token'],
      runtimeConfig: 'team-config',
      template: 'qwen3-32b-latency',
      allowUnoptimized: true,
    })
    expect(svc).toEqual({
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMService',
      metadata: {name: 'qwen3-32b', namespace: 'ml-team'},
      spec: {
        model: {name: 'qwen-qwen3-32b'},
        template: {name: 'qwen3-32b-latency', allowUnoptimized: true},
        replicas: 2,
        minReplicas: 1,
        maxReplicas: 4,
        overrides: {metric: 'throughput', precision: 'fp8', hardware: {gpu: {model: 'MI300X', requests: 2}}},
        caching: {mode: 'Dedicated'},
        routing: {enabled: true, gatewayRef: {name: 'inference-gateway', namespace: 'gateways'}, pathTemplate: '/{.metadata.namespace}/{.metadata.name}'},
        env: [{name: 'A', value: '1'}, {name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'hf', key: 'token'}}}],
        runtimeConfigName: 'team-config',
      },
    })
  })

  it('default names come from the model id, else the image', () => {
    expect(defaultServiceName({type: 'model', model: models[1]!})).toBe('llama-3-1-8b-instruct')
    expect(defaultServiceName({type: 'image', image: 'ghcr.io/silogen/aim-dummy:0.1.10'})).toBe('dummy')
    expect(defaultServiceName({type: 'image', image: 'x/y:1'}, 'My_Chat')).toBe('my-chat')
  })

  it('--env-from-secret takes KEY=SECRET/KEY or KEY=secret/SECRET/KEY', () => {
    expect(parseEnv([], ['HF_TOKEN=huggingface-creds/token', 'B=secret/s3-creds/access-key'])).toEqual([
      {name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'huggingface-creds', key: 'token'}}},
      {name: 'B', valueFrom: {secretKeyRef: {name: 's3-creds', key: 'access-key'}}},
    ])
  })

  it('rejects malformed env flags and min > max with exit 2', () => {
    expect(err(() => parseEnv(['NOVALUE'])).message).toBe('--env "NOVALUE" must be KEY=VALUE')
    expect(err(() => parseEnv([], ['HF_TOKEN=hf'])).message).toBe('--env-from-secret "HF_TOKEN=hf" must be KEY=secret/NAME/KEY')
    expect(err(() => buildService({type: 'image', image: 'x/y:1'}, {namespace: 'd', minReplicas: 3, maxReplicas: 2})).exitCode).toBe(2)
  })
})

describe('progress stages and the blocking condition', () => {
  const svc = (conditions: Array<{type: string; status: 'True' | 'False'; reason: string; message?: string}>, extra: Record<string, unknown> = {}): AIMService => ({
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMService',
    metadata: {name: 's', namespace: 'd', generation: 1},
    spec: {model: {name: 'm'}},
    status: {observedGeneration: 1, conditions, ...extra},
  })

  it('follows the pipeline and shows cache %', () => {
    const s = svc(
      [
        {type: 'ModelReady', status: 'True', reason: 'ModelResolved'},
        {type: 'TemplateReady', status: 'True', reason: 'Resolved'},
        {type: 'CacheReady', status: 'False', reason: 'CacheNotReady', message: 'Template cache is progressing'},
        {type: 'InferenceServiceReady', status: 'False', reason: 'CreatingRuntime'},
      ],
      {resolvedTemplate: {name: 't1'}},
    )
    expect(stageStates(s, 42).map((x) => [x.id, x.state, x.detail])).toEqual([
      ['model', 'done', undefined],
      ['template', 'done', 't1'],
      ['cache', 'running', '42%'],
      ['runtime', 'pending', 'CreatingRuntime'],
      ['route', 'skipped', undefined],
    ])
  })

  it('prefers a component in error over one merely in progress', () => {
    const s = svc([
      {type: 'ModelReady', status: 'True', reason: 'ModelResolved'},
      {type: 'InferenceServiceReady', status: 'False', reason: 'CreatingRuntime'},
      {type: 'InferenceServicePodsReady', status: 'False', reason: 'FailedScheduling', message: '0/1 nodes are available'},
    ])
    expect(blockingCondition(s)).toMatchObject({type: 'InferenceServicePodsReady', reason: 'FailedScheduling'})
  })

  it('waits for observedGeneration before trusting conditions', () => {
    const s = svc([{type: 'ModelReady', status: 'True', reason: 'ModelResolved'}])
    s.metadata.generation = 2
    expect(stageStates(s)[0]!.state).toBe('running')
  })
})

import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {
  autoscalerFor,
  componentModes,
  lookupBaseModel,
  mergeComponent,
  migratePredictor,
  modelNodeLabel,
  omeLeaderWorkerSetName,
  omeModelStatus,
  omeReadyRollup,
  omeScaledObjectName,
  omeServiceName,
  parseModelSize,
  selectRuntime,
  validateInferenceService,
  versionsCompatible,
} from '../../../src/engine/ome.js'

const isvc = (spec: Record<string, unknown>, ns = 'default', annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'ome.io/v1beta1',
  kind: 'InferenceService',
  metadata: {name: 'chat', namespace: ns, ...(annotations ? {annotations} : {})},
  spec,
})
const model = (name: string, spec: Record<string, unknown> = {}, ns?: string): any => ({
  apiVersion: 'ome.io/v1beta1',
  kind: ns ? 'BaseModel' : 'ClusterBaseModel',
  metadata: {name, ...(ns ? {namespace: ns} : {})},
  spec: {modelFormat: {name: 'safetensors', version: '1.0.0'}, modelFramework: {name: 'transformers', version: '4.47.0'}, modelArchitecture: 'LlamaForCausalLM', modelParameterSize: '8B', ...spec},
})
const format = (over: Record<string, unknown> = {}) => ({
  modelFormat: {name: 'safetensors', version: '1.0.0'},
  modelFramework: {name: 'transformers', version: '4.47.0'},
  modelArchitecture: 'LlamaForCausalLM',
  autoSelect: true,
  priority: 1,
  ...over,
})
const runtime = (name: string, spec: Record<string, unknown> = {}, opts: {ns?: string; created?: string} = {}): KubeObject => ({
  apiVersion: 'ome.io/v1beta1',
  kind: opts.ns ? 'ServingRuntime' : 'ClusterServingRuntime',
  metadata: {name, ...(opts.ns ? {namespace: opts.ns} : {}), creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z'},
  spec: {supportedModelFormats: [format()], modelSizeRange: {min: '7B', max: '9B'}, ...spec},
})

describe('sizes and versions', () => {
  it('parses T/B/M suffixes', () => {
    expect(parseModelSize('7B')).toBe(7e9)
    expect(parseModelSize('1.5T')).toBe(1.5e12)
    expect(parseModelSize('350M')).toBe(3.5e8)
    expect(parseModelSize('large')).toBeUndefined()
  })
  it('compares versions with the operator; unofficial versions force Equal', () => {
    expect(versionsCompatible('4.47.0', '4.47.0')).toBe(true)
    expect(versionsCompatible('4.47.0', '4.46.0')).toBe(false)
    expect(versionsCompatible('4.47.0', '4.46.0', 'GreaterThanOrEqual')).toBe(true)
    expect(versionsCompatible('4.47', '4.46.0', 'GreaterThan')).toBe(false)
    expect(versionsCompatible('5.0.0', '4.46.0', 'GreaterThan')).toBe(false)
    expect(versionsCompatible('4.47.0.dev0', '4.46.0', 'GreaterThan')).toBe(false)
    expect(versionsCompatible('4.47.0.dev0', '4.47.0.dev0', 'GreaterThan')).toBe(true)
  })
})

describe('lookupBaseModel', () => {
  it('prefers a BaseModel in the namespace over a ClusterBaseModel', () => {
    const r = lookupBaseModel(isvc({model: {name: 'llama'}}, 'team'), [model('llama', {}, 'team'), model('llama', {}, 'other')], [model('llama')])
    expect(r.outcome).toBe('found')
    expect(r.kind).toBe('BaseModel')
    expect(r.model!.metadata.namespace).toBe('team')
  })
  it('reports missing, unknown, disabled and format-less models with OME messages', () => {
    expect(lookupBaseModel(isvc({}), [], [])).toMatchObject({outcome: 'missingReference', message: 'model reference is required'})
    expect(lookupBaseModel(isvc({model: {name: 'x'}}), [], [])).toMatchObject({outcome: 'notFound', reason: 'BaseModelNotFound', message: 'No BaseModel or ClusterBaseModel with the name: x'})
    expect(lookupBaseModel(isvc({model: {name: 'x'}}), [], [model('x', {disabled: true})])).toMatchObject({outcome: 'disabled', message: 'specified base model x is disabled'})
    expect(lookupBaseModel(isvc({model: {name: 'x'}}), [], [model('x', {modelFormat: {name: ''}})])).toMatchObject({
      outcome: 'invalid',
      message: 'invalid model specification: modelFormat.name: model format name is required',
    })
  })
  it('names the node label, hashing long names', () => {
    expect(modelNodeLabel('ClusterBaseModel', 'llama-3-70b-instruct')).toBe('models.ome.io/clusterbasemodel.llama-3-70b-instruct')
    expect(modelNodeLabel('BaseModel', 'm', 'team')).toBe('models.ome.io/team.basemodel.m')
    const long = modelNodeLabel('ClusterBaseModel', 'a-very-long-model-name-that-does-not-fit-in-a-label')
    expect(long).toMatch(/^models\.ome\.io\/[0-9a-f]{8}\./)
    expect(long.split('/')[1]!.length).toBeLessThanOrEqual(49)
  })
})

describe('selectRuntime', () => {
  const m = model('llama')
  it('auto-selects by score, then tighter size range, then name, with a trace of every loser', () => {
    const r = selectRuntime({
      isvc: isvc({model: {name: 'llama'}}),
      model: m,
      namespacedRuntimes: [],
      clusterRuntimes: [
        runtime('wide', {modelSizeRange: {min: '1B', max: '70B'}}),
        runtime('tight'),
        runtime('high', {supportedModelFormats: [format({priority: 2})], modelSizeRange: {min: '1B', max: '100B'}}),
        runtime('off', {disabled: true}),
        runtime('manual', {supportedModelFormats: [format({autoSelect: false})]}),
        runtime('qwen', {supportedModelFormats: [format({modelArchitecture: 'Qwen3ForCausalLM'})]}),
        runtime('big', {modelSizeRange: {min: '60B', max: '75B'}}),
      ],
    })
    expect(r.outcome).toBe('selected')
    expect(r.selected!.name).toBe('high')
    const byName = Object.fromEntries(r.candidates.map((c) => [c.name, [c.droppedAt ?? 'selected', c.reason]]))
    expect(byName).toEqual({
      wide: ['order', "score 2 is lower than high's 4"],
      tight: ['order', "score 2 is lower than high's 4"],
      high: ['selected', 'selected'],
      off: ['disabled', 'runtime is disabled'],
      manual: ['autoSelect', 'no matching format has autoSelect: true'],
      qwen: ['format', 'architecture Qwen3ForCausalLM does not match LlamaForCausalLM'],
      big: ['size', 'model size 8B is outside 60B–75B'],
    })
    const tie = selectRuntime({isvc: isvc({model: {name: 'llama'}}), model: m, namespacedRuntimes: [], clusterRuntimes: [runtime('wide', {modelSizeRange: {min: '1B', max: '70B'}}), runtime('tight')]})
    expect(tie.selected!.name).toBe('tight')
    expect(tie.candidates.find((c) => c.name === 'wide')!.reason).toBe("size range is wider than tight's")
  })
  it('a namespace runtime beats any cluster runtime', () => {
    const r = selectRuntime({
      isvc: isvc({model: {name: 'llama'}}, 'team'),
      model: m,
      namespacedRuntimes: [runtime('local', {}, {ns: 'team'}), runtime('elsewhere', {}, {ns: 'other'})],
      clusterRuntimes: [runtime('cluster', {supportedModelFormats: [format({priority: 9})]})],
    })
    expect(r.selected).toMatchObject({name: 'local', kind: 'ServingRuntime', namespace: 'team'})
    expect(r.candidates.map((c) => c.name)).toEqual(['local', 'cluster'])
    expect(r.candidates[1]!.reason).toBe('ServingRuntime local is namespace-scoped and wins over cluster runtimes')
  })
  it('reports no supporting runtime with every exclusion', () => {
    const r = selectRuntime({isvc: isvc({model: {name: 'llama'}}), model: m, namespacedRuntimes: [], clusterRuntimes: [runtime('off', {disabled: true})]})
    expect(r).toMatchObject({outcome: 'none', reason: 'NoSupportingRuntime'})
    expect(r.message).toBe(
      'no runtime found to support model llama with format mt:safetensors:1.0.0:LlamaForCausalLM:transformers:4.47.0 in namespace default. Checked 1 runtimes (off: runtime is disabled)',
    )
  })
  it('explicit runtime: found in the namespace first, autoSelect not needed, compatibility still checked', () => {
    const ok = selectRuntime({isvc: isvc({model: {name: 'llama'}, runtime: {name: 'manual'}}), model: m, namespacedRuntimes: [], clusterRuntimes: [runtime('manual', {supportedModelFormats: [format({autoSelect: false})]})]})
    expect(ok).toMatchObject({outcome: 'selected', explicit: true})
    const missing = selectRuntime({isvc: isvc({model: {name: 'llama'}, runtime: {name: 'nope'}}), model: m, namespacedRuntimes: [], clusterRuntimes: []})
    expect(missing).toMatchObject({outcome: 'notFound', reason: 'RuntimeNotRecognized', message: 'runtime nope not found in namespace default or at cluster scope'})
    const disabled = selectRuntime({isvc: isvc({model: {name: 'llama'}, runtime: {name: 'off'}}), model: m, namespacedRuntimes: [], clusterRuntimes: [runtime('off', {disabled: true})]})
    expect(disabled).toMatchObject({outcome: 'disabled', reason: 'RuntimeDisabled', message: 'runtime off is disabled'})
    const old = selectRuntime({
      isvc: isvc({model: {name: 'llama'}, runtime: {name: 'old'}}),
      model: m,
      namespacedRuntimes: [],
      clusterRuntimes: [runtime('old', {supportedModelFormats: [format({modelFramework: {name: 'transformers', version: '4.45.0.dev0'}})]})],
    })
    expect(old).toMatchObject({
      outcome: 'incompatible',
      message: 'runtime old does not support model mt:safetensors:1.0.0:LlamaForCausalLM:transformers:4.47.0: framework version 4.45.0.dev0 is not Equal to 4.47.0',
    })
  })
  it('an accelerator class must be listed by the runtime', () => {
    const r = selectRuntime({
      isvc: isvc({model: {name: 'llama'}}, 'default', {'ome.io/accelerator-class': 'amd-mi300x'}),
      model: m,
      namespacedRuntimes: [],
      clusterRuntimes: [runtime('plain'), runtime('amd', {acceleratorRequirements: {acceleratorClasses: ['amd-mi300x']}})],
    })
    expect(r.selected!.name).toBe('amd')
    expect(r.candidates.find((c) => c.name === 'plain')).toMatchObject({droppedAt: 'accelerator', reason: 'accelerator class amd-mi300x not supported'})
  })
})

describe('merge and modes', () => {
  const rt = {
    engineConfig: {
      runner: {name: 'ome-container', image: 'rt:1', args: ['--a'], env: [{name: 'X', value: '1'}], resources: {requests: {'amd.com/gpu': '4'}}},
      labels: {from: 'runtime'},
    },
    routerConfig: {runner: {image: 'router:1'}},
    nodeSelector: {pool: 'gpu'},
  }
  it('merges the runtime template under the ISVC component (ISVC wins, args appended, resources replaced)', () => {
    const m = mergeComponent('engine', {runner: {args: ['--b'], env: [{name: 'X', value: '2'}, {name: 'Y', value: '3'}]}, nodeSelector: {zone: 'a'}} as any, rt as any)!
    expect(m.runner).toEqual({name: 'ome-container', image: 'rt:1', args: ['--a', '--b'], env: [{name: 'X', value: '2'}, {name: 'Y', value: '3'}], resources: {requests: {'amd.com/gpu': '4'}}})
    expect(m.nodeSelector).toEqual({pool: 'gpu', zone: 'a'})
    expect(m.labels).toEqual({from: 'runtime'})
    expect([m.minReplicas, m.maxReplicas]).toEqual([1, 3])
    const nvidia = mergeComponent('engine', {resources: {requests: {'nvidia.com/gpu': '1'}}} as any, rt as any)!
    expect(nvidia.runner!.resources).toEqual({requests: {'nvidia.com/gpu': '1'}})
    expect((nvidia as any).resources).toBeUndefined()
  })
  it('a component exists only when the ISVC declares it; router defaults to max 2', () => {
    expect(mergeComponent('router', undefined, rt as any)).toBeUndefined()
    expect(mergeComponent('decoder', {}, rt as any)!.runner).toMatchObject({image: 'rt:1'})
    expect(mergeComponent('router', {}, rt as any)).toMatchObject({runner: {image: 'router:1'}, minReplicas: 1, maxReplicas: 2})
  })
  it('decides the mode per component', () => {
    expect(componentModes({engine: {minReplicas: 1}})).toEqual({engine: 'RawDeployment'})
    expect(componentModes({engine: {minReplicas: 0}, router: {minReplicas: 0}})).toEqual({engine: 'Serverless', router: 'Serverless'})
    expect(componentModes({engine: {minReplicas: 1, worker: {size: 1}}})).toEqual({engine: 'MultiNode'})
    expect(componentModes({engine: {minReplicas: 0}, decoder: {leader: {}}})).toEqual({engine: 'RawDeployment', decoder: 'MultiNode'})
    expect(componentModes({engine: {minReplicas: 1, annotations: {'ome.io/deploymentMode': 'Serverless'}}})).toEqual({engine: 'Serverless'})
    expect(componentModes({engine: {minReplicas: 1, annotations: {'ome.io/deploymentMode': 'PDDisaggregated'}}})).toEqual({engine: 'RawDeployment'})
    expect(validateInferenceService({decoder: {}})).toBe('decoder requires an engine component')
    expect(validateInferenceService({router: {}})).toBe('engine component is required')
  })
})

describe('migratePredictor', () => {
  it('moves baseModel, runtime, pod fields, the model container and workerSpec', () => {
    const r = migratePredictor({predictor: {minReplicas: 2, nodeSelector: {a: 'b'}, model: {baseModel: 'm', runtime: 'r', protocolVersion: 'openAI', image: 'img:1', args: ['--x']}, workerSpec: {size: 1}}})
    expect(r).toEqual({
      migrated: true,
      spec: {model: {name: 'm'}, runtime: {name: 'r'}, engine: {minReplicas: 2, nodeSelector: {a: 'b'}, runner: {image: 'img:1', args: ['--x']}, worker: {size: 1}}},
    })
    expect(migratePredictor({engine: {}, predictor: {}}).migrated).toBe(false)
  })
})

describe('names and autoscaling', () => {
  it('names derived objects', () => {
    expect(omeLeaderWorkerSetName('chat-engine')).toBe('lws-chat-engine')
    expect(omeScaledObjectName('x'.repeat(60) + '-engine')).toBe(`scaledobject-${'x'.repeat(43)}-engine`)
    expect(omeServiceName('s'.repeat(70))).toMatch(/^s{54}-[0-9a-f]{8}$/)
  })
  it('HPA by default (min clamped to 1, target from the annotation, then scaleTarget, then 80)', () => {
    expect(autoscalerFor(isvc({}), 'chat-engine', {minReplicas: 0, maxReplicas: 0})).toEqual({kind: 'hpa', minReplicas: 1, maxReplicas: 1, metric: 'cpu', target: 80})
    expect(autoscalerFor(isvc({}, 'default', {'ome.io/targetUtilizationPercentage': '55'}), 'chat-engine', {minReplicas: 2, maxReplicas: 4, scaleTarget: 70, scaleMetric: 'memory'})).toEqual({
      kind: 'hpa', minReplicas: 2, maxReplicas: 4, metric: 'memory', target: 55,
    })
  })
  it('KEDA from the annotation or kedaConfig.enableKeda; %s becomes the component name; annotations win', () => {
    const a = autoscalerFor(isvc({kedaConfig: {enableKeda: true, customPromQuery: 'q{s="%s"}', scalingThreshold: '0.5'}}), 'chat-engine', {minReplicas: 1, maxReplicas: 5})
    expect(a).toEqual({
      kind: 'keda', minReplicas: 1, maxReplicas: 5,
      trigger: {serverAddress: 'http://prometheus-operated.monitoring.svc.cluster.local:9090', metricName: 'tps', query: 'q{s="chat-engine"}', threshold: '0.5', operator: 'LessThanOrEqual'},
    })
    const b = autoscalerFor(isvc({}, 'default', {'ome.io/autoscalerClass': 'keda', 'autoscaling.keda.sh/threshold': '7'}), 'chat-engine', {minReplicas: 1, maxReplicas: 2, scaleMetric: 'rps'})
    expect(b.trigger).toMatchObject({threshold: '7', metricName: 'rps'})
    expect(autoscalerFor(isvc({}, 'default', {'ome.io/autoscalerClass': 'external'}), 'x', {}).kind).toBe('external')
  })
})

describe('status', () => {
  it('Ready needs every present component and ingress; the first failing one is copied', () => {
    expect(omeReadyRollup(['engine'], [{type: 'IngressReady', status: 'True'}, {type: 'EngineReady', status: 'True'}])).toEqual({type: 'Ready', status: 'True'})
    expect(
      omeReadyRollup(['engine', 'router'], [
        {type: 'IngressReady', status: 'True'},
        {type: 'EngineReady', status: 'True'},
        {type: 'RouterReady', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'},
      ]),
    ).toEqual({type: 'Ready', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'})
    expect(omeReadyRollup(['engine'], [{type: 'IngressReady', status: 'True'}])).toMatchObject({status: 'Unknown', reason: 'Initializing'})
  })
  const pod = (name: string, created: string, status: Record<string, unknown>) => ({metadata: {name, creationTimestamp: created}, status})
  it('modelStatus: Pending, Standby, Loading, Loaded, FailedToLoad', () => {
    expect(omeModelStatus({pods: [], ready: false})).toEqual({transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Pending'}})
    expect(omeModelStatus({pods: [], ready: true, scaledToZero: true}).modelRevisionStates).toEqual({activeModelState: 'Standby', targetModelState: 'Standby'})
    const loading = pod('p1', '2026-01-01T00:00:00Z', {containerStatuses: [{name: 'ome-container', ready: false, state: {running: {}}}]})
    expect(omeModelStatus({pods: [loading], ready: false})).toEqual({transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Loading'}})
    const up = pod('p2', '2026-01-01T00:00:00Z', {conditions: [{type: 'Ready', status: 'True'}]})
    expect(omeModelStatus({pods: [up], ready: true})).toEqual({
      transitionStatus: 'UpToDate', modelRevisionStates: {activeModelState: 'Loaded', targetModelState: 'Loaded'}, modelCopies: {failedCopies: 0, totalCopies: 1},
    })
    const crash = pod('p3', '2026-01-01T00:01:00Z', {
      containerStatuses: [{name: 'ome-container', ready: false, restartCount: 2, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {exitCode: 139, reason: 'Error'}}}],
    })
    expect(omeModelStatus({pods: [loading, crash], ready: false})).toEqual({
      transitionStatus: 'BlockedByFailedLoad',
      modelRevisionStates: {targetModelState: 'FailedToLoad'},
      modelCopies: {failedCopies: 1, totalCopies: 2},
      lastFailureInfo: {location: 'p3', reason: 'ModelLoadFailed', message: 'container ome-container exited with code 139', exitCode: 139},
    })
  })
})

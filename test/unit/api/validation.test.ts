import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {errors} from '../../../src/api/status.js'
import {applyDefaults, pruneUnknownFields, strictDecodingMessage, unknownFields, validateObject} from '../../../src/api/validation.js'

const svcInfo = registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!

function svc(spec: Record<string, unknown>, name = 'qwen-chat'): KubeObject {
  return {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name, namespace: 'ml-team'}, spec}
}

function kindOf(apiVersion: string, kind: string) {
  const info = registry.forKind(apiVersion, kind)
  if (!info) throw new Error(`no kind ${apiVersion} ${kind}`)
  return info
}

describe('applyDefaults', () => {
  it('copies a Pod container limit into its missing request, as kube does; pod templates are left alone', () => {
    const podSpec = {
      containers: [
        {name: 'main', image: 'i', resources: {limits: {'amd.com/gpu': '1', memory: '8Gi'}, requests: {memory: '4Gi'}}},
        {name: 'side', image: 'i', resources: {limits: {cpu: '500m'}}},
        {name: 'none', image: 'i'},
      ],
      initContainers: [{name: 'init', image: 'i', resources: {limits: {cpu: '1'}}}],
    }
    const pod = applyDefaults(kindOf('v1', 'Pod'), {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'ml-team'}, spec: podSpec})
    const spec = pod.spec as Record<string, any>
    expect(spec.containers.map((c: any) => c.resources)).toEqual([
      {limits: {'amd.com/gpu': '1', memory: '8Gi'}, requests: {memory: '4Gi', 'amd.com/gpu': '1'}},
      {limits: {cpu: '500m'}, requests: {cpu: '500m'}},
      undefined,
    ])
    expect(spec.initContainers[0].resources).toEqual({limits: {cpu: '1'}, requests: {cpu: '1'}})
    const deploy = applyDefaults(kindOf('apps/v1', 'Deployment'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'd', namespace: 'ml-team'},
      spec: {selector: {}, template: {spec: {containers: [{name: 'side', image: 'i', resources: {limits: {cpu: '500m'}}}]}}},
    })
    expect((deploy.spec as any).template.spec.containers[0].resources).toEqual({limits: {cpu: '500m'}})
  })
  it('fills CRD defaults of AIMService without enabling routing', () => {
    const input = svc({model: {image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'}, caching: {}, storage: {}, overrides: {hardware: {gpu: {requests: 1}}}})
    const out = applyDefaults(svcInfo, input)
    const spec = out.spec as Record<string, any>
    expect(spec.replicas).toBe(1)
    expect(spec.caching).toEqual({mode: 'Shared'})
    expect(spec.storage).toEqual({pvcHeadroomPercent: 10})
    expect(spec.overrides.hardware.gpu).toEqual({requests: 1, resourceName: 'amd.com/gpu'})
    expect(spec.routing).toBeUndefined()
    // the input is not modified
    expect((input.spec as Record<string, unknown>).replicas).toBeUndefined()
  })

  it('keeps values the user set and only defaults inside present parents', () => {
    const out = applyDefaults(svcInfo, svc({model: {name: 'm'}, replicas: 3, caching: {mode: 'Dedicated'}}))
    const spec = out.spec as Record<string, any>
    expect(spec.replicas).toBe(3)
    expect(spec.caching.mode).toBe('Dedicated')
    expect(spec.storage).toBeUndefined()
  })

  it('defaults status.status to Pending when a status is written', () => {
    const out = applyDefaults(svcInfo, {...svc({model: {name: 'm'}}), status: {}})
    expect(out.status).toEqual({status: 'Pending'})
  })

  it('drops nulls of non-nullable fields before defaulting', () => {
    const out = applyDefaults(svcInfo, svc({model: {name: 'm'}, replicas: null}))
    expect((out.spec as Record<string, unknown>).replicas).toBe(1)
  })

  it('defaults the other AIM kinds as their CRDs do', () => {
    const model = applyDefaults(kindOf('aim.eai.amd.com/v1alpha1', 'AIMModel'), {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMModel',
      metadata: {name: 'm'},
      spec: {image: 'x', discovery: {}, customTemplates: [{name: 't'}]},
    })
    expect((model.spec as any).discovery).toEqual({extractMetadata: true, createServiceTemplates: true})
    expect((model.spec as any).customTemplates[0].type).toBe('unoptimized')
    const artifact = applyDefaults(kindOf('aim.eai.amd.com/v1alpha1', 'AIMArtifact'), {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMArtifact',
      metadata: {name: 'a'},
      spec: {sourceUri: 'hf://org/model'},
    })
    expect((artifact.spec as any).modelDownloadImage).toBe('ghcr.io/silogen/aim-artifact-downloader:0.2.0')
    const tc = applyDefaults(kindOf('aim.eai.amd.com/v1alpha1', 'AIMTemplateCache'), {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMTemplateCache',
      metadata: {name: 'a'},
      spec: {templateName: 't', templateScope: 'Namespace'},
    })
    expect((tc.spec as any).mode).toBe('Shared')
    const src = applyDefaults(kindOf('aim.eai.amd.com/v1alpha1', 'AIMClusterModelSource'), {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMClusterModelSource',
      metadata: {name: 's'},
      spec: {filters: [{image: 'amdenterpriseai/aim-*'}]},
    })
    expect(src.spec).toMatchObject({registry: 'docker.io', syncInterval: '1h', maxModels: 100})
  })

  it('applies the OME webhook replica defaults and deployment mode', () => {
    const info = registry.forKind('ome.io/v1beta1', 'InferenceService')!
    const out = applyDefaults(info, {
      apiVersion: 'ome.io/v1beta1',
      kind: 'InferenceService',
      metadata: {name: 'deepseek-ep-disaggregated'},
      spec: {model: {name: 'deepseek-r1'}, engine: {}, decoder: {minReplicas: 2, maxReplicas: 8}, router: {maxReplicas: 0}},
    })
    const spec = out.spec as any
    expect(spec.engine).toMatchObject({minReplicas: 1, maxReplicas: 3})
    expect(spec.decoder).toMatchObject({minReplicas: 2, maxReplicas: 8})
    expect(spec.router).toMatchObject({minReplicas: 1, maxReplicas: 2})
    expect(spec.model).toEqual({name: 'deepseek-r1', kind: 'ClusterBaseModel', apiGroup: 'ome.io'})
    expect(out.metadata.annotations?.['ome.io/deploymentMode']).toBe('PDDisaggregated')
    const multi = applyDefaults(info, {
      apiVersion: 'ome.io/v1beta1',
      kind: 'InferenceService',
      metadata: {name: 'x', annotations: {}},
      spec: {model: {name: 'deepseek-r1'}, engine: {leader: {}, worker: {size: 1}}},
    })
    expect(multi.metadata.annotations?.['ome.io/deploymentMode']).toBe('MultiNode')
  })

  it('defaults legacy services (cacheModel false, replicas 1)', () => {
    const info = registry.forKind('aim.silogen.ai/v1alpha1', 'AIMService')!
    const out = applyDefaults(info, {apiVersion: 'aim.silogen.ai/v1alpha1', kind: 'AIMService', metadata: {name: 'l'}, spec: {aimModelId: 'meta/llama-3-8b:1.1+20240915'}})
    expect(out.spec).toMatchObject({cacheModel: false, replicas: 1})
  })

  it('fills a few built-in defaults', () => {
    const dep = applyDefaults(kindOf('apps/v1', 'Deployment'), {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'd'}, spec: {selector: {}, template: {spec: {containers: []}}}})
    expect((dep.spec as any).replicas).toBe(1)
  })
})

describe('validateObject: schema', () => {
  it('accepts the seed 001 complete example', () => {
    const obj = svc({
      model: {name: 'qwen-qwen3-32b'},
      template: {name: 'qwen3-32b-latency'},
      runtimeConfigName: 'team-config',
      replicas: 2,
      resources: {limits: {cpu: '6', memory: '48Gi'}},
      routing: {enabled: true, gatewayRef: {name: 'inference-gateway', namespace: 'gateways'}, pathTemplate: "/team/{.metadata.labels['team']}/chat"},
      env: [{name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'huggingface-creds', key: 'token'}}}],
      minReplicas: 1,
      maxReplicas: 3,
      autoScaling: {
        metrics: [
          {
            type: 'PodMetric',
            podmetric: {
              metric: {backend: 'opentelemetry', metricNames: ['vllm:num_requests_running'], query: 'vllm:num_requests_running', operationOverTime: 'avg'},
              target: {type: 'Value', value: '1'},
            },
          },
        ],
      },
    })
    obj.metadata.labels = {team: 'research'}
    expect(validateObject(svcInfo, applyDefaults(svcInfo, obj))).toEqual([])
    expect(unknownFields(svcInfo, obj)).toEqual([])
  })

  it('reports minimum violations like kube-apiserver', () => {
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, replicas: -1}))).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: spec.replicas in body should be greater than or equal to 1'},
    ])
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, minReplicas: 0}))).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.minReplicas', message: 'Invalid value: 0: spec.minReplicas in body should be greater than or equal to 1'},
    ])
  })

  it('reports maximum violations', () => {
    const info = kindOf('aim.eai.amd.com/v1alpha1', 'AIMClusterModelSource')
    const causes = validateObject(info, {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMClusterModelSource', metadata: {name: 's'}, spec: {filters: [{image: 'x'}], maxModels: 10001}})
    expect(causes).toEqual([{reason: 'FieldValueInvalid', field: 'spec.maxModels', message: 'Invalid value: 10001: spec.maxModels in body should be less than or equal to 10000'}])
  })

  it('reports unsupported enum values', () => {
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, caching: {mode: 'Foo'}}))).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.caching.mode',
        message: 'Unsupported value: "Foo": supported values: "Dedicated", "Shared", "Auto", "Always", "Never"',
      },
    ])
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, overrides: {precision: 'fp64'}}))[0]).toEqual({
      reason: 'FieldValueNotSupported',
      field: 'spec.overrides.precision',
      message: 'Unsupported value: "fp64": supported values: "auto", "fp4", "fp8", "fp16", "fp32", "bf16", "int4", "int8"',
    })
  })

  it('reports wrong types and skips CEL rules then', () => {
    expect(validateObject(svcInfo, svc({model: {name: 'm', image: 'x'}, replicas: 'two'}))).toEqual([
      {reason: 'FieldValueTypeInvalid', field: 'spec.replicas', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"'},
    ])
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, replicas: 1.5}))[0]?.message).toBe(
      'Invalid value: "number": spec.replicas in body must be of type integer: "number"',
    )
  })

  it('reports required fields', () => {
    expect(validateObject(svcInfo, svc({replicas: 1}))).toEqual([{reason: 'FieldValueRequired', field: 'spec.model', message: 'Required value'}])
    const causes = validateObject(svcInfo, svc({model: {custom: {modelSources: [{modelId: 'org/m', sourceUri: 'hf://org/m'}], hardware: {gpu: {requests: 1}}}}}))
    expect(causes).toEqual([{reason: 'FieldValueRequired', field: 'spec.model.custom.baseImage', message: 'Required value'}])
  })

  it('reports patterns', () => {
    const causes = validateObject(
      svcInfo,
      svc({model: {custom: {baseImage: 'b', modelSources: [{modelId: 'no-slash', sourceUri: 'gs://bucket/x'}], hardware: {gpu: {requests: 1}}}}}),
    )
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.model.custom.modelSources[0].modelId',
        message: "Invalid value: \"no-slash\": spec.model.custom.modelSources[0].modelId in body should match '^[a-zA-Z0-9_-]+/[a-zA-Z0-9._-]+$'",
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.model.custom.modelSources[0].sourceUri',
        message: "Invalid value: \"gs://bucket/x\": spec.model.custom.modelSources[0].sourceUri in body should match '^(hf|s3)://[^ \\t\\r\\n]+$'",
      },
    ])
  })

  it('reports maxLength as FieldValueTooLong', () => {
    const causes = validateObject(svcInfo, svc({model: {name: 'm'}, overrides: {hardware: {gpu: {model: 'X'.repeat(65)}}}}))
    expect(causes).toEqual([{reason: 'FieldValueTooLong', field: 'spec.overrides.hardware.gpu.model', message: 'Too long: may not be more than 64 bytes'}])
  })

  it('reports too many items', () => {
    const src = {modelId: 'org/m', sourceUri: 'hf://org/m'}
    const causes = validateObject(svcInfo, svc({model: {custom: {baseImage: 'b', modelSources: [src, {...src, modelId: 'org/n'}], hardware: {gpu: {requests: 1}}}}}))
    expect(causes).toEqual([{reason: 'FieldValueTooMany', field: 'spec.model.custom.modelSources', message: 'Too many: 2: must have at most 1 items'}])
  })

  it('reports too few items, then the CEL rule on the custom model', () => {
    const causes = validateObject(svcInfo, svc({model: {custom: {baseImage: 'b', modelSources: [], hardware: {gpu: {requests: 1}}}}}))
    expect(causes).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.model.custom.modelSources', message: 'Invalid value: 0: spec.model.custom.modelSources in body should have at least 1 items'},
      {reason: 'FieldValueInvalid', field: 'spec.model.custom', message: 'Invalid value: "object": at least one model source must be specified'},
    ])
  })

  it('reports duplicate keys of map lists', () => {
    const causes = validateObject(svcInfo, svc({model: {name: 'm'}, env: [{name: 'A', value: '1'}, {name: 'A', value: '2'}]}))
    expect(causes).toEqual([{reason: 'FieldValueDuplicate', field: 'spec.env[1]', message: 'Duplicate value: {"name":"A"}'}])
  })

  it('checks quantities (int-or-string with a pattern)', () => {
    const causes = validateObject(svcInfo, svc({model: {name: 'm'}, resources: {limits: {memory: '48 gigs', cpu: true}}}))
    expect(causes).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.resources.limits[memory]', message: expect.stringMatching(/^Invalid value: "48 gigs": spec.resources.limits\[memory\] in body should match '/)},
      {reason: 'FieldValueTypeInvalid', field: 'spec.resources.limits[cpu]', message: 'Invalid value: "boolean": spec.resources.limits[cpu] in body must be of type integer,string: "boolean"'},
    ])
  })
})

describe('validateObject: CEL rules', () => {
  it('exactly one of model.name, image, custom', () => {
    const expected = [{reason: 'FieldValueInvalid', field: 'spec.model', message: 'Invalid value: "object": exactly one of name, image, or custom must be specified'}]
    expect(validateObject(svcInfo, svc({model: {name: 'm', image: 'i'}}))).toEqual(expected)
    expect(validateObject(svcInfo, svc({model: {}}))).toEqual(expected)
    expect(validateObject(svcInfo, svc({model: {image: 'i'}}))).toEqual([])
  })

  it('gpu model and minVram are exclusive', () => {
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, overrides: {hardware: {gpu: {model: 'MI300X', minVram: '192Gi'}}}}))).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.overrides.hardware.gpu', message: 'Invalid value: "object": model and minVram are mutually exclusive'},
    ])
  })

  it('hardware needs gpu or cpu', () => {
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, overrides: {hardware: {}}}))).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.overrides.hardware', message: 'Invalid value: "object": at least one of gpu or cpu must be specified'},
    ])
    expect(validateObject(svcInfo, svc({model: {name: 'm'}, overrides: {hardware: {cpu: {}}}}))).toEqual([
      {reason: 'FieldValueRequired', field: 'spec.overrides.hardware.cpu.requests', message: 'Required value'},
    ])
  })

  it('custom model hardware is required when an AIMModel has modelSources', () => {
    const info = kindOf('aim.eai.amd.com/v1alpha1', 'AIMModel')
    const base = {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMModel', metadata: {name: 'my-finetuned-llama'}}
    const sources = [{modelId: 'my-org/llama-finetuned', sourceUri: 's3://my-bucket/weights/', size: '16Gi'}]
    expect(validateObject(info, {...base, spec: {image: 'amdenterpriseai/aim-vllm-base:0.10.0', modelSources: sources}})).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message: 'Invalid value: "object": hardware must be set in custom.hardware or on every customTemplate when modelSources is set',
      },
    ])
    // seed 001: hardware on every custom template, with a custom profile
    const seed = {
      image: 'amdenterpriseai/aim-vllm-base:0.10.0',
      modelSources: sources,
      customTemplates: [
        {
          name: 'llama-custom-tp1',
          aimId: 'meta-llama/Llama-3-8B',
          modelId: 'meta-llama/Llama-3-8B',
          hardware: {gpu: {model: 'MI300X', requests: 1}},
          profile: {metric: 'latency', precision: 'fp16'},
          customProfile: {engineArgs: {dtype: 'float16', 'gpu-memory-utilization': 0.95}, envVars: {HIP_FORCE_DEV_KERNARG: '1'}},
        },
      ],
    }
    expect(validateObject(info, {...base, spec: seed})).toEqual([])
    expect(unknownFields(info, {...base, spec: seed})).toEqual([])
  })
})

describe('validateObject: immutability on update', () => {
  const old = applyDefaults(svcInfo, svc({model: {image: 'a:1'}, template: {name: 't1'}, caching: {mode: 'Shared'}, overrides: {metric: 'latency', precision: 'fp8'}}))

  it('model selection', () => {
    const next = {...old, spec: {...(old.spec as object), model: {image: 'a:2'}}}
    expect(validateObject(svcInfo, next, old)).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.model', message: 'Invalid value: "object": model selection is immutable after creation'},
    ])
    expect(validateObject(svcInfo, next)).toEqual([])
  })

  it('template selection', () => {
    const next = {...old, spec: {...(old.spec as object), template: {name: 't2'}}}
    expect(validateObject(svcInfo, next, old)).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.template', message: 'Invalid value: "object": template selection is immutable after creation'},
    ])
  })

  it('caching mode and runtime parameters', () => {
    const next = {...old, spec: {...(old.spec as object), caching: {mode: 'Dedicated'}, overrides: {metric: 'throughput', precision: 'fp8'}}}
    expect(validateObject(svcInfo, next, old)).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.caching.mode', message: 'Invalid value: "string": caching mode is immutable after creation'},
      {reason: 'FieldValueInvalid', field: 'spec.overrides.metric', message: 'Invalid value: "string": metric is immutable'},
    ])
  })

  it('allows changes to mutable fields and unchanged immutable ones', () => {
    const next = {...old, spec: {...(old.spec as object), replicas: 4}}
    expect(validateObject(svcInfo, next, old)).toEqual([])
  })

  it('template modelName and artifact sourceUri', () => {
    const tpl = kindOf('aim.eai.amd.com/v1alpha1', 'AIMServiceTemplate')
    const t = (modelName: string): KubeObject => ({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMServiceTemplate', metadata: {name: 't'}, spec: {modelName}})
    expect(validateObject(tpl, t('b'), t('a'))).toEqual([{reason: 'FieldValueInvalid', field: 'spec.modelName', message: 'Invalid value: "string": modelName is immutable'}])
    const art = kindOf('aim.eai.amd.com/v1alpha1', 'AIMArtifact')
    const a = (sourceUri: string): KubeObject => ({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMArtifact', metadata: {name: 'a'}, spec: {sourceUri}})
    expect(validateObject(art, a('hf://org/b'), a('hf://org/a'))).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.sourceUri', message: 'Invalid value: "string": sourceUri is immutable'},
    ])
  })
})

describe('validateObject: metadata and built-ins', () => {
  it('rejects invalid names with the RFC 1123 message', () => {
    const causes = validateObject(svcInfo, svc({model: {name: 'm'}}, 'Qwen_Chat'))
    expect(causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message:
          "Invalid value: \"Qwen_Chat\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ])
  })

  it('requires a name or generateName', () => {
    const obj = svc({model: {name: 'm'}})
    delete obj.metadata.name
    expect(validateObject(svcInfo, obj)).toEqual([{reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required'}])
    obj.metadata.generateName = 'qwen-'
    expect(validateObject(svcInfo, obj)).toEqual([])
  })

  it('validates label values', () => {
    const obj = svc({model: {name: 'm'}})
    obj.metadata.labels = {team: 'research team'}
    expect(validateObject(svcInfo, obj)[0]).toMatchObject({field: 'metadata.labels', message: expect.stringMatching(/^Invalid value: "research team": a valid label must be an empty string/)})
  })

  it('uses DNS-1123 labels for namespaces and only light checks for built-ins', () => {
    const ns = kindOf('v1', 'Namespace')
    expect(validateObject(ns, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'a.b'}})[0]?.message).toMatch(/^Invalid value: "a.b": a lowercase RFC 1123 label must consist/)
    const pod = kindOf('v1', 'Pod')
    expect(validateObject(pod, {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {whatever: 1}})).toEqual([])
  })

  it('turns causes into the 422 message kubectl prints', () => {
    const causes = validateObject(svcInfo, svc({model: {name: 'm'}, replicas: -1}))
    const err = errors.invalid('aim.eai.amd.com', 'AIMService', 'qwen-chat', causes)
    expect(err.message).toBe('AIMService.aim.eai.amd.com "qwen-chat" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 1')
  })
})

describe('unknownFields', () => {
  it('lists unknown fields with their paths', () => {
    const obj = svc({model: {name: 'm', foo: 1}, replicaz: 2, env: [{name: 'A', valueFrm: 'x'}], resources: {limits: {'amd.com/gpu': 1}}})
    ;(obj.metadata as Record<string, unknown>).labelz = {}
    obj.extra = true
    expect(unknownFields(svcInfo, obj)).toEqual(['metadata.labelz', 'spec.model.foo', 'spec.replicaz', 'spec.env[0].valueFrm', 'extra'])
    expect(strictDecodingMessage(['spec.foo', 'spec.bar'])).toBe('strict decoding error: unknown field "spec.foo", unknown field "spec.bar"')
    expect(strictDecodingMessage(['spec.replicaz'], svcInfo)).toBe(
      'AIMService in version "v1alpha1" cannot be handled as a AIMService: strict decoding error: unknown field "spec.replicaz"',
    )
  })

  it('prunes unknown fields as a non-strict write would', () => {
    const obj = svc({model: {name: 'm', foo: 1}, replicaz: 2, env: [{name: 'A', valueFrm: 'x'}], routing: {annotations: {a: 'b'}}})
    obj.extra = true
    const pruned = pruneUnknownFields(svcInfo, obj)
    expect(pruned.spec).toEqual({model: {name: 'm'}, env: [{name: 'A'}], routing: {annotations: {a: 'b'}}})
    expect(pruned.extra).toBeUndefined()
    expect((obj.spec as Record<string, unknown>).replicaz).toBe(2)
  })

  it('accepts free-form parts (engineArgs, OME pod specs) and built-in bodies', () => {
    const ome = kindOf('ome.io/v1beta1', 'InferenceService')
    const obj: KubeObject = {
      apiVersion: 'ome.io/v1beta1',
      kind: 'InferenceService',
      metadata: {name: 'x'},
      spec: {model: {name: 'm'}, engine: {serviceAccountName: 'custom-sa', nodeSelector: {accelerator: 'nvidia-a100'}, minReplicas: 1, runner: {image: 'custom-vllm:latest'}}},
    }
    expect(unknownFields(ome, obj)).toEqual([])
    expect(unknownFields(ome, {...obj, spec: {...(obj.spec as object), modell: {}}})).toEqual(['spec.modell'])
    const cm = kindOf('v1', 'ConfigMap')
    expect(unknownFields(cm, {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: 'b'}})).toEqual([])
  })

  it('tolerates the (obj, info) argument order', () => {
    const obj = svc({model: {name: 'm'}, foo: 1})
    expect((unknownFields as unknown as (o: unknown, i: unknown) => string[])(obj, svcInfo)).toEqual(['spec.foo'])
  })

  it('accepts the legacy seed manifests', () => {
    const info = kindOf('aim.silogen.ai/v1alpha1', 'AIMService')
    const seed000: KubeObject = {
      apiVersion: 'aim.silogen.ai/v1alpha1',
      kind: 'AIMService',
      metadata: {name: 'llama-chat', namespace: 'ml-team', labels: {team: 'research'}},
      spec: {
        model: {ref: 'meta-llama-3-8b'},
        templateRef: 'llama-3-8b-latency',
        runtimeConfigName: 'team-config',
        replicas: 2,
        resources: {limits: {cpu: '6', memory: '48Gi'}},
        overrides: {metric: 'throughput', precision: 'fp16', gpuSelector: {count: 2, model: 'MI300X'}},
        routing: {enabled: true, gatewayRef: {name: 'inference-gateway', namespace: 'gateways'}, pathTemplate: "/team/{.metadata.labels['team']}/chat"},
        kvCache: {type: 'redis', storage: {size: '100Gi', storageClassName: 'fast-ssd'}},
        cacheModel: true,
      },
    }
    expect(unknownFields(info, seed000)).toEqual([])
    expect(validateObject(info, applyDefaults(info, seed000))).toEqual([])
    const seed003: KubeObject = {apiVersion: 'aim.silogen.ai/v1alpha1', kind: 'AIMService', metadata: {name: 'llama3-8b-hf'}, spec: {modelId: 'meta/llama-3-8b:1.1+20240915'}}
    expect(unknownFields(info, seed003)).toEqual([])
    expect(validateObject(info, {...seed000, spec: {model: {ref: 'a', image: 'b'}}})).toEqual([
      {reason: 'FieldValueInvalid', field: 'spec.model', message: 'Invalid value: "object": exactly one of ref or image must be specified'},
    ])
    const cfg = kindOf('aim.silogen.ai/v1alpha1', 'AIMClusterConfig')
    const clusterConfig: KubeObject = {
      apiVersion: 'aim.silogen.ai/v1alpha1',
      kind: 'AIMClusterConfig',
      metadata: {name: 'default'},
      spec: {routing: {gateway: {name: 'public-gw', namespace: 'infra-gw'}, autoCreateRoute: true}, cacheStorageClassName: 'fast-rwx'},
    }
    expect(unknownFields(cfg, clusterConfig)).toEqual([])
  })
})

import {describe, expect, it} from 'vitest'
import {AIM_KINDS, ALL_KINDS, KindRegistry, LEGACY_AIM_KINDS, OME_KINDS, apiVersionOf, parseOperators, registry, servedKinds, splitApiVersion} from '../../../src/api/registry.js'

describe('registry', () => {
  it('has the AIM kinds with the short names, scope and columns of reference §2', () => {
    const table: [string, boolean, string[], string[]][] = [
      ['AIMService', true, ['aimsvc'], ['Status', 'Model', 'Template', 'Replicas', 'Age']],
      ['AIMModel', true, ['aimmdl'], ['Status', 'Source', 'Image', 'Model', 'Age']],
      ['AIMClusterModel', false, ['aimclmdl'], ['Status', 'Source', 'Image', 'Model', 'Age']],
      ['AIMServiceTemplate', true, ['aimtpl'], ['Model', 'Status', 'Hardware', 'Metric', 'Precision']],
      ['AIMClusterServiceTemplate', false, ['aimcltpl'], ['Model', 'Status', 'Hardware', 'Metric', 'Precision']],
      ['AIMTemplateCache', true, ['aimtc'], ['Template', 'Mode', 'Status', 'Kind', 'Age']],
      ['AIMArtifact', true, ['aimart'], ['Status', 'Mode', 'Model Size', 'Progress', 'Protocol', 'Attempt', 'Age']],
      ['AIMRuntimeConfig', true, ['aimrc'], []],
      ['AIMClusterRuntimeConfig', false, ['aimclrc'], []],
      ['AIMClusterModelSource', false, ['aimclsrc'], ['Status', 'Models', 'LastSync', 'Age']],
    ]
    for (const [kind, namespaced, shortNames, columns] of table) {
      const info = registry.forKind('aim.eai.amd.com/v1alpha1', kind)
      expect(info, kind).toBeDefined()
      expect(info!.namespaced, kind).toBe(namespaced)
      expect(info!.shortNames, kind).toEqual(shortNames)
      expect(info!.categories, kind).toEqual(['aim', 'all'])
      expect(info!.subresources.status, kind).toBe(true)
      expect(info!.printerColumns.map((c) => c.name), kind).toEqual(columns)
    }
    expect(AIM_KINDS.find((k) => k.kind === 'AIMArtifact')!.printerColumns.filter((c) => c.priority === 1).map((c) => c.name)).toEqual(['Protocol', 'Attempt'])
  })

  it('lists each group/version/plural once', () => {
    const keys = ALL_KINDS.map((k) => `${k.group}/${k.version}/${k.plural}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('resolves names as kubectl does, preferring the newer group and KServe', () => {
    expect(registry.lookup('aimsvc')?.group).toBe('aim.eai.amd.com')
    expect(registry.lookup('aimservices')?.group).toBe('aim.eai.amd.com')
    expect(registry.lookup('AIMService')?.group).toBe('aim.eai.amd.com')
    expect(registry.lookup('aimservice.aim.silogen.ai')?.group).toBe('aim.silogen.ai')
    expect(registry.lookup('aimservices.v1alpha1.aim.silogen.ai')?.group).toBe('aim.silogen.ai')
    expect(registry.lookup('isvc')?.group).toBe('serving.kserve.io')
    expect(registry.lookup('inferenceservices.ome.io')?.group).toBe('ome.io')
    expect(registry.lookup('events')?.group).toBe('')
    expect(registry.lookup('pods.v1')?.kind).toBe('Pod')
    expect(registry.lookup('deploy')?.kind).toBe('Deployment')
    expect(registry.lookup('crd')?.kind).toBe('CustomResourceDefinition')
    expect(registry.lookup('aimimg')?.kind).toBe('AIMImage')
    expect(registry.lookup('mc')?.kind).toBe('ModelCache')
    expect(registry.lookup('aimrcfg')?.kind).toBe('AIMRuntimeConfig')
    expect(registry.lookup('basemodels')?.kind).toBe('BaseModel')
    expect(registry.lookup('nosuchthing')).toBeUndefined()
    expect(registry.lookup('aimsvc.apps')).toBeUndefined()
  })

  it('has the legacy and OME kinds', () => {
    expect(LEGACY_AIM_KINDS.map((k) => `${k.kind}:${k.shortNames.join(',')}`)).toEqual([
      'AIMService:aimsvc',
      'AIMImage:aimimg',
      'AIMClusterImage:aimclimg',
      'AIMClusterConfig:aimccfg',
      'ModelCache:mc',
      'AIMModelCache:aimmc',
      'AIMServiceTemplate:aimst',
      'AIMClusterServiceTemplate:aimclst',
      'AIMTemplateCache:aimtc',
      'AIMModel:aimmdl',
      'AIMClusterModel:aimclmdl',
      'AIMKVCache:aimkvc',
      'AIMRuntimeConfig:aimrcfg',
      'AIMClusterRuntimeConfig:aimcrcfg',
    ])
    expect(OME_KINDS.map((k) => `${k.kind}:${k.namespaced ? 'NS' : 'Cluster'}:${k.subresources.status ? 'status' : '-'}`)).toEqual([
      'InferenceService:NS:status',
      'BaseModel:NS:status',
      'ClusterBaseModel:Cluster:status',
      'ServingRuntime:NS:-',
      'ClusterServingRuntime:Cluster:-',
    ])
  })

  it('splits and joins apiVersions', () => {
    expect(splitApiVersion('v1')).toEqual({group: '', version: 'v1'})
    expect(splitApiVersion('aim.eai.amd.com/v1alpha1')).toEqual({group: 'aim.eai.amd.com', version: 'v1alpha1'})
    expect(apiVersionOf({group: '', version: 'v1'})).toBe('v1')
    expect(apiVersionOf({group: 'apps', version: 'v1'})).toBe('apps/v1')
  })

  it('serves the kinds of the chosen operators in kube-apiserver discovery order', () => {
    const groups = (ops: Parameters<typeof servedKinds>[0]) => [...new Set(servedKinds(ops).map((k) => k.group))]
    const builtin = ['', 'events.k8s.io', 'apps', 'batch', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io', 'autoscaling']
    // Custom resource groups follow, by APIService name <version>.<group>.
    expect(groups(['aim'])).toEqual([...builtin, 'gateway.networking.k8s.io', 'aim.eai.amd.com', 'aim.silogen.ai', 'keda.sh', 'serving.kserve.io'])
    expect(groups(['ome'])).toEqual([...builtin, 'gateway.networking.k8s.io', 'keda.sh', 'ome.io'])
    expect(groups(['aim', 'ome'])).toEqual([...builtin, 'gateway.networking.k8s.io', 'aim.eai.amd.com', 'aim.silogen.ai', 'keda.sh', 'ome.io', 'serving.kserve.io'])
    const both = new KindRegistry(servedKinds(['aim', 'ome']))
    expect(both.lookup('inferenceservice')?.group).toBe('ome.io')
    expect(both.lookup('aimservice')?.group).toBe('aim.eai.amd.com')
    expect(new KindRegistry(servedKinds(['aim'])).lookup('inferenceservice')?.group).toBe('serving.kserve.io')
    expect(new KindRegistry(servedKinds(['aim'])).lookup('basemodels')).toBeUndefined()
  })

  it('parses --operators', () => {
    expect(parseOperators('aim')).toEqual(['aim'])
    expect(parseOperators('ome, aim,ome')).toEqual(['ome', 'aim'])
    expect(() => parseOperators('aim,')).toThrow('unknown operator "" (expected a comma-separated list of: aim, ome)')
  })

  it('requires the kinds the code names', () => {
    expect(registry.require('aim.eai.amd.com', 'AIMService').plural).toBe('aimservices')
    expect(registry.require('', 'Pod').version).toBe('v1')
    expect(() => registry.require('example.com', 'Widget')).toThrow('kind Widget of group "example.com" is not in the registry')
  })
})

import {describe, expect, it} from 'vitest'
import {openApiV3Document, openApiV3Root, schemaName} from '../../../src/api/openapi.js'
import {ALL_KINDS, apiVersionOf, registry} from '../../../src/api/registry.js'

type Doc = {paths: Record<string, Record<string, any>>; components: {schemas: Record<string, any>}}

describe('openApiV3Root', () => {
  it('lists every served group-version with a hashed URL', () => {
    const root = openApiV3Root()
    const expected = [...new Set(ALL_KINDS.map((k) => (k.group === '' ? `api/${k.version}` : `apis/${k.group}/${k.version}`)))].sort()
    expect(Object.keys(root.paths).sort()).toEqual(expected)
    expect(root.paths['apis/aim.eai.amd.com/v1alpha1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/aim\.eai\.amd\.com\/v1alpha1\?hash=[0-9A-F]{128}$/)
    expect(openApiV3Root()).toEqual(root)
  })
})

describe('openApiV3Document', () => {
  it('is undefined for an unknown group-version', () => {
    expect(openApiV3Document('nope.example.com', 'v1')).toBeUndefined()
  })

  it('has, for every kind, a schema with its GVK and a patch operation kubectl recognises', () => {
    for (const info of ALL_KINDS) {
      const doc = openApiV3Document(info.group, info.version) as Doc
      const name = schemaName(info, info.kind)
      const schema = doc.components.schemas[name]
      expect(schema, `${apiVersionOf(info)} ${info.kind}`).toBeDefined()
      expect(schema['x-kubernetes-group-version-kind']).toEqual([{group: info.group, kind: info.kind, version: info.version}])
      expect(doc.components.schemas[schemaName(info, info.listKind)]['x-kubernetes-group-version-kind'][0].kind).toBe(info.listKind)
      const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`
      const itemPath = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}/{name}` : `${base}/${info.plural}/{name}`
      const patch = doc.paths[itemPath]?.patch
      expect(patch, itemPath).toBeDefined()
      expect(patch['x-kubernetes-group-version-kind']).toEqual({group: info.group, version: info.version, kind: info.kind})
      expect(patch.parameters.map((p: {name: string}) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force'])
      const types = Object.keys(patch.requestBody.content)
      expect(types).toContain('application/merge-patch+json')
      expect(types).toContain('application/apply-patch+yaml')
      // custom resources never advertise strategic merge; permissive built-ins neither, so kubectl uses its own types
      expect(types).not.toContain('application/strategic-merge-patch+json')
      if (info.subresources.status) expect(doc.paths[`${itemPath}/status`]?.patch).toBeDefined()
    }
  })

  it('names schemas like the real server and carries the meta schemas', () => {
    expect(schemaName(registry.forKind('v1', 'Pod')!, 'Pod')).toBe('io.k8s.api.core.v1.Pod')
    expect(schemaName(registry.forKind('apps/v1', 'Deployment')!, 'Deployment')).toBe('io.k8s.api.apps.v1.Deployment')
    expect(schemaName(registry.forKind('autoscaling/v2', 'HorizontalPodAutoscaler')!, 'HorizontalPodAutoscaler')).toBe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler')
    expect(schemaName(registry.forKind('storage.k8s.io/v1', 'StorageClass')!, 'StorageClass')).toBe('io.k8s.api.storage.v1.StorageClass')
    expect(schemaName(registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!, 'AIMService')).toBe('com.amd.eai.aim.v1alpha1.AIMService')
    expect(schemaName(registry.forKind('gateway.networking.k8s.io/v1', 'HTTPRoute')!, 'HTTPRoute')).toBe('io.k8s.networking.gateway.v1.HTTPRoute')
    const doc = openApiV3Document('aim.eai.amd.com', 'v1alpha1') as Doc
    for (const meta of ['ObjectMeta', 'ListMeta', 'Status', 'StatusDetails', 'StatusCause', 'OwnerReference', 'ManagedFieldsEntry', 'Time', 'DeleteOptions', 'Patch']) {
      expect(doc.components.schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${meta}`], meta).toBeDefined()
    }
  })

  it('publishes the AIMService schema for kubectl explain, without JavaScript', () => {
    const doc = openApiV3Document('aim.eai.amd.com', 'v1alpha1') as Doc
    const svc = doc.components.schemas['com.amd.eai.aim.v1alpha1.AIMService']
    expect(svc.properties.metadata).toEqual({allOf: [{$ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'}], default: {}, description: "Standard object's metadata."})
    expect(Object.keys(svc.properties.spec.properties)).toEqual(
      expect.arrayContaining(['model', 'template', 'caching', 'replicas', 'minReplicas', 'maxReplicas', 'autoScaling', 'routing', 'storage', 'env', 'overrides', 'resources']),
    )
    expect(svc.properties.spec.properties.model['x-kubernetes-validations']).toEqual([
      {rule: '[has(self.name), has(self.image), has(self.custom)].filter(x, x).size() == 1', message: 'exactly one of name, image, or custom must be specified'},
      {rule: 'self == oldSelf', message: 'model selection is immutable after creation'},
    ])
    expect(JSON.stringify(doc)).not.toMatch(/"check"|"transition"/)
  })
})

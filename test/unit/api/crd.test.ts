import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import {customResourceDefinitions} from '../../../src/api/crd.js'
import {AIM_KINDS, LEGACY_AIM_KINDS, OME_KINDS, registry} from '../../../src/api/registry.js'
import {schemaFor} from '../../../src/api/schemas/index.js'
import {wireSchema} from '../../../src/api/schema.js'

describe('customResourceDefinitions', () => {
  it('generates one CRD per AIM kind, matching the registry', () => {
    const crds = customResourceDefinitions()
    expect(crds.map((c) => c.metadata.name)).toEqual(AIM_KINDS.map((k) => `${k.plural}.aim.eai.amd.com`).sort())
    for (const crd of crds) {
      const spec = crd.spec as any
      const info = registry.forKind(`${spec.group}/${spec.versions[0].name}`, spec.names.kind)!
      expect(info).toBeDefined()
      expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1')
      expect(spec.scope).toBe(info.namespaced ? 'Namespaced' : 'Cluster')
      expect(spec.names).toEqual({kind: info.kind, listKind: info.listKind, plural: info.plural, singular: info.singular, shortNames: info.shortNames, categories: ['aim', 'all']})
      expect(spec.versions).toHaveLength(1)
      const v = spec.versions[0]
      expect(v).toMatchObject({name: 'v1alpha1', served: true, storage: true, subresources: {status: {}}})
      expect((v.additionalPrinterColumns ?? []).map((c: any) => [c.name, c.jsonPath, c.type, c.priority])).toEqual(
        info.printerColumns.map((c) => [c.name, c.jsonPath, c.type, c.priority]),
      )
      expect(v.schema.openAPIV3Schema).toEqual(wireSchema(schemaFor(info)))
    }
  })

  it('can include the legacy and OME groups', () => {
    const crds = customResourceDefinitions(['aim.eai.amd.com', 'aim.silogen.ai', 'ome.io'])
    expect(crds).toHaveLength(AIM_KINDS.length + LEGACY_AIM_KINDS.length + OME_KINDS.length)
    const runtime = crds.find((c) => c.metadata.name === 'servingruntimes.ome.io')!
    expect((runtime.spec as any).versions[0].subresources).toBeUndefined()
  })

  it('carries the CEL rules as x-kubernetes-validations', () => {
    const svc = customResourceDefinitions().find((c) => c.metadata.name === 'aimservices.aim.eai.amd.com')!
    const spec = (svc.spec as any).versions[0].schema.openAPIV3Schema.properties.spec
    expect(spec.properties.template['x-kubernetes-validations']).toEqual([{rule: 'self == oldSelf', message: 'template selection is immutable after creation'}])
    expect(spec.properties.overrides.properties.hardware['x-kubernetes-validations'].map((r: any) => r.message)).toEqual([
      'at least one of gpu or cpu must be specified',
      'hardware is immutable',
    ])
    expect(spec.properties.replicas).toMatchObject({type: 'integer', format: 'int32', default: 1, minimum: 1})
  })
})

describe('kubectl aim crds', () => {
  const run = (...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import('./commands/crds.ts'); await m.default.run(${JSON.stringify(args)}, process.cwd())`], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    })

  it('prints multi-document YAML that parses back to the generated CRDs', () => {
    const out = run()
    const docs = parseAllDocuments(out)
    expect(docs.every((d) => d.errors.length === 0)).toBe(true)
    expect(docs.map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(customResourceDefinitions())))
  })

  it('prints a JSON List with -o json', () => {
    const list = JSON.parse(run('-o', 'json', '--all-groups'))
    expect(list.kind).toBe('List')
    expect(list.items.map((c: any) => c.metadata.name)).toContain('inferenceservices.ome.io')
    expect(list.items.map((c: any) => c.metadata.name)).toContain('aimservices.aim.silogen.ai')
  })
})

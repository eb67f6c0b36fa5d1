import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import {describe, expect, it} from 'vitest'
import Convert from '../../../commands/convert.js'
import type {KubeObject} from '../../../src/api/object.js'
import {convertLegacy} from '../../../src/engine/index.js'
import {runCommand} from '../../e2e/harness.js'

const FIXTURE = join(import.meta.dirname, 'fixtures', 'legacy-seeds.yaml')
const seedDocs = parseAllDocuments(readFileSync(FIXTURE, 'utf8')).map((d) => d.toJS() as KubeObject)
const LEGACY_FIELDS = ['aimModelId', 'modelId', 'templateRef', 'cacheModel', 'gpuSelector', 'configRef', 'kvCache', 'defaultServiceTemplate', 'cacheStorageClassName']

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name)
  if (!o) throw new Error(`${kind} ${name} not in output`)
  return o
}

describe('convertLegacy: every aim.silogen.ai example of seeds 000 and 003', () => {
  const {objects, notes} = convertLegacy(seedDocs)

  it('converts all 15 documents to aim.eai.amd.com/v1alpha1 without legacy fields', () => {
    expect(seedDocs).toHaveLength(15)
    expect(objects).toHaveLength(15)
    for (const o of objects) {
      expect(o.apiVersion).toBe('aim.eai.amd.com/v1alpha1')
      const json = JSON.stringify(o.spec)
      for (const f of LEGACY_FIELDS) expect(json, `${o.kind} ${o.metadata.name} still has ${f}`).not.toContain(`"${f}"`)
    }
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'AIMClusterModel',
      'AIMClusterRuntimeConfig',
      'AIMClusterServiceTemplate',
      ...Array(8).fill('AIMService'),
      'AIMServiceTemplate',
      'AIMServiceTemplate',
      'AIMServiceTemplate',
      'AIMTemplateCache',
    ])
  })

  it('AIMImage → AIMClusterModel; aimModelId resolves to its name', () => {
    expect(find(objects, 'AIMClusterModel', 'meta-llama-3-8b').spec).toEqual({image: 'registry.example.com/aim/llama3-8b:1.1'})
    expect(find(objects, 'AIMService', 'llama3-svc').spec).toMatchObject({model: {name: 'meta-llama-3-8b'}, caching: {mode: 'Shared'}})
    expect(find(objects, 'AIMService', 'llama3-fast-svc').spec).toEqual({model: {name: 'meta-llama-3-8b'}, template: {name: 'llama3-8b-fast'}})
  })

  it('overrides.gpuSelector → overrides.hardware.gpu{requests, model}', () => {
    expect(find(objects, 'AIMService', 'llama3-override-svc').spec).toEqual({
      model: {name: 'meta-llama-3-8b'},
      overrides: {precision: 'bf16', hardware: {gpu: {requests: 2, model: 'MI300X'}}},
      replicas: 2,
    })
  })

  it('templates: modelId → modelName, gpuSelector → hardware.gpu', () => {
    expect(find(objects, 'AIMClusterServiceTemplate', 'llama3-8b-latency-gpu1').spec).toEqual({
      modelName: 'meta-llama-3-8b',
      hardware: {gpu: {requests: 1, model: 'MI300X'}},
      metric: 'latency',
      precision: 'fp16',
    })
    expect(find(objects, 'AIMServiceTemplate', 'llama3-8b-mi325x-throughput').spec).toMatchObject({caching: {enabled: false}, hardware: {gpu: {requests: 2, model: 'MI325X'}}})
  })

  it('AIMTemplateCache templateRef → templateName with scope Unknown (namespace first, then cluster)', () => {
    expect(find(objects, 'AIMTemplateCache', 'warm-llama3-8b-fast').spec).toEqual({templateName: 'llama3-8b-fast', templateScope: 'Unknown'})
  })

  it('AIMClusterConfig → AIMClusterRuntimeConfig', () => {
    expect(find(objects, 'AIMClusterRuntimeConfig', 'default').spec).toEqual({
      routing: {gatewayRef: {name: 'public-gw', namespace: 'infra-gw'}, enabled: true},
      storage: {defaultStorageClassName: 'fast-rwx'},
    })
  })

  it('gen-2 services: model.ref → model.name, templateRef → template.name, kvCache dropped', () => {
    const complete = objects.filter((o) => o.kind === 'AIMService' && o.metadata.name === 'llama-chat').at(-1)!
    expect(complete.metadata.labels).toEqual({team: 'research'})
    expect(complete.spec).toMatchObject({
      model: {name: 'meta-llama-3-8b'},
      template: {name: 'llama-3-8b-latency'},
      runtimeConfigName: 'team-config',
      overrides: {metric: 'throughput', precision: 'fp16', hardware: {gpu: {requests: 2, model: 'MI300X'}}},
      routing: {pathTemplate: "/team/{.metadata.labels['team']}/chat"},
    })
  })

  it('notes every field without an equivalent', () => {
    expect(notes).toContain('AIMImage meta-llama-3-8b: AIMImage without a namespace was a cluster catalog entry; converted to AIMClusterModel')
    expect(notes).toContain(
      'AIMImage meta-llama-3-8b: spec.defaultServiceTemplate has no effect in aim.eai.amd.com/v1alpha1 (templates are auto-selected); set spec.template.name on services instead; dropped',
    )
    expect(notes.some((n) => n.startsWith('AIMClusterConfig default: the default route path is now /<namespace>/<service>'))).toBe(true)
  })
})

describe('convertLegacy: single kinds', () => {
  const legacy = (kind: string, spec: Record<string, unknown>, ns?: string): KubeObject => ({apiVersion: 'aim.silogen.ai/v1alpha1', kind, metadata: {name: 'x', ...(ns ? {namespace: ns} : {})}, spec})

  it('kvCache and AIMKVCache have no equivalent', () => {
    const r = convertLegacy([legacy('AIMService', {model: {image: 'img:1'}, kvCache: {type: 'redis'}}, 'ns'), legacy('AIMKVCache', {kvCacheType: 'redis'}, 'ns')])
    expect(r.objects).toHaveLength(1)
    expect(r.objects[0]?.spec).toEqual({model: {image: 'img:1'}})
    expect(r.notes).toEqual([
      'AIMService ns/x: spec.kvCache has no equivalent (AIMKVCache was removed in aim.eai.amd.com); dropped',
      'AIMKVCache ns/x: AIMKVCache has no equivalent in aim.eai.amd.com/v1alpha1; dropped',
    ])
  })
  it('cacheModel false is noted; an unknown model id becomes a sanitised name with a note', () => {
    const r = convertLegacy([legacy('AIMService', {aimModelId: 'meta/llama-3-8b:1.1+2024', cacheModel: false}, 'ns')])
    expect(r.objects[0]?.spec).toEqual({model: {name: 'meta-llama-3-8b-1-1-2024'}, caching: {mode: 'Shared'}})
    expect(r.notes[0]).toBe(
      'AIMService ns/x: spec.aimModelId "meta/llama-3-8b:1.1+2024" refers to a model id; converted to model name "meta-llama-3-8b-1-1-2024" — make sure an AIMModel or AIMClusterModel with that name exists',
    )
  })
  it('ModelCache → AIMArtifact; runtime config deprecated fields move into storage', () => {
    const r = convertLegacy([
      legacy('ModelCache', {sourceUri: 'hf://Qwen/Qwen3-32B', storageClassName: 'rwx', size: '70Gi'}, 'ns'),
      legacy('AIMRuntimeConfig', {defaultStorageClassName: 'rwx', pvcHeadroomPercent: 15}, 'ns'),
    ])
    expect(r.objects[0]).toMatchObject({kind: 'AIMArtifact', spec: {sourceUri: 'hf://Qwen/Qwen3-32B', storageClassName: 'rwx', size: '70Gi'}})
    expect(r.objects[1]?.spec).toEqual({storage: {defaultStorageClassName: 'rwx', pvcHeadroomPercent: 15}})
  })
  it('items of a List are converted', () => {
    const list = {apiVersion: 'v1', kind: 'List', metadata: {}, items: [legacy('AIMService', {templateRef: 't', model: {image: 'i:1'}}, 'ns')]} as unknown as KubeObject
    expect(convertLegacy([list]).objects).toEqual([{apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'x', namespace: 'ns'}, spec: {model: {image: 'i:1'}, template: {name: 't'}}}])
  })
  it('other documents pass through; status and server fields are dropped', () => {
    const secret: KubeObject = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}}
    const svc = {...legacy('AIMService', {model: {image: 'i:1'}}, 'ns'), status: {status: 'Running'}}
    svc.metadata.uid = 'u'
    svc.metadata.resourceVersion = '5'
    const r = convertLegacy([secret, svc])
    expect(r.objects[0]).toBe(secret)
    expect(r.objects[1]).toEqual({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'x', namespace: 'ns'}, spec: {model: {image: 'i:1'}}})
  })
})

describe('kubectl aim convert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aim-convert-'))

  it('prints converted YAML on stdout and notes on stderr', async () => {
    const r = await runCommand(Convert, ['-f', FIXTURE])
    expect(r.code).toBe(0)
    const out = parseAllDocuments(r.stdout).map((d) => d.toJS() as KubeObject)
    expect(out).toHaveLength(15)
    expect(out.every((o) => o.apiVersion === 'aim.eai.amd.com/v1alpha1')).toBe(true)
    expect(r.stderr.split('\n').filter(Boolean).every((l) => l.startsWith('note: '))).toBe(true)
    expect(r.stderr).toContain('note: AIMImage meta-llama-3-8b: AIMImage without a namespace was a cluster catalog entry; converted to AIMClusterModel')
  })

  it('-o json prints a List for several objects, the object for one', async () => {
    const file = join(dir, 'one.yaml')
    writeFileSync(file, 'apiVersion: aim.silogen.ai/v1alpha1\nkind: AIMService\nmetadata: {name: a, namespace: n}\nspec: {templateRef: t, model: {image: "i:1"}}\n')
    const r = await runCommand(Convert, ['-f', file, '-o', 'json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'a', namespace: 'n'}, spec: {model: {image: 'i:1'}, template: {name: 't'}}})
    const many = await runCommand(Convert, ['-f', FIXTURE, '-o', 'json'])
    expect(JSON.parse(many.stdout)).toMatchObject({apiVersion: 'v1', kind: 'List'})
  })

  it('bad input → one-line error, exit 2', async () => {
    const missing = await runCommand(Convert, ['-f', join(dir, 'nope.yaml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`error: cannot read ${join(dir, 'nope.yaml')}: ENOENT\n`)
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'kind: [unclosed\n')
    const r = await runCommand(Convert, ['-f', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: .*bad\.yaml: document 1 is not valid YAML: /)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    const notObj = join(dir, 'scalar.yaml')
    writeFileSync(notObj, 'just text\n')
    const s = await runCommand(Convert, ['-f', notObj])
    expect(s).toMatchObject({code: 2, stderr: `error: ${notObj}: document 1 is not a Kubernetes object (apiVersion and kind are required)\n`})
  })
})

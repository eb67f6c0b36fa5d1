/**
 * Seeds 000 and 003 (aim.silogen.ai/v1alpha1): every AIMService example, applied with the legacy
 * objects it refers to, is converted by the simulator into its aim.eai.amd.com counterpart (owned by
 * the legacy object) and reaches Running; the legacy object mirrors the status.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import type {KubeObject} from '../../../src/api/object.js'
import {createOmeHarness, type OmeHarness} from '../ome/harness.js'

const FIXTURE = join(import.meta.dirname, '..', '..', 'unit', 'engine', 'fixtures', 'legacy-seeds.yaml')
const docs = parseAllDocuments(readFileSync(FIXTURE, 'utf8')).map((d) => d.toJS() as KubeObject)
const services = docs.map((d, i) => [i, d] as const).filter(([, d]) => d.kind === 'AIMService')
const supporting = docs.filter((d) => d.kind !== 'AIMService')

const SEED_000_REFERENCES = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast-rwx}
provisioner: sim.aim.amd.com/nfs
reclaimPolicy: Delete
volumeBindingMode: Immediate
---
apiVersion: aim.silogen.ai/v1alpha1
kind: AIMImage
metadata: {name: meta-llama-3-8b, namespace: ml-team}
spec: {image: "registry.example.com/aim/llama3-8b:1.1"}
---
apiVersion: aim.silogen.ai/v1alpha1
kind: AIMServiceTemplate
metadata: {name: llama-3-8b-latency, namespace: ml-team}
spec:
  modelName: meta-llama-3-8b
  metric: throughput
  precision: fp16
  gpuSelector: {count: 2, model: MI300X}
---
apiVersion: aim.silogen.ai/v1alpha1
kind: AIMRuntimeConfig
metadata: {name: team-config, namespace: ml-team}
spec: {}
`
const LEGACY_SERVICES = {group: 'aim.silogen.ai', plural: 'aimservices'}

let h: OmeHarness
afterEach(() => h?.stop())

function setup(): OmeHarness {
  // The built-in catalog carries every profile seed 003 asks of registry.example.com/aim/llama3-8b:1.1.
  h = createOmeHarness({nodes: 'mi300x=2,mi325x=1'})
  const base: KubeObject[] = [
    ...['ml-team', 'team-a', 'infra-gw'].map((name) => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name}})),
    ...[
      ['ml-team', 'huggingface-creds'],
      ['team-a', 'huggingface-credentials'],
    ].map(([namespace, name]) => ({apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace}, type: 'Opaque', stringData: {token: 'hf_test', 'hf-token': 'hf_test'}})),
    {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'registry-credentials', namespace: 'team-a'}, type: 'kubernetes.io/dockerconfigjson', stringData: {'.dockerconfigjson': '{"auths":{}}'}},
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {name: 'public-gw', namespace: 'infra-gw'},
      spec: {gatewayClassName: 'kgateway', listeners: [{name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: {namespaces: {from: 'All'}}}]},
    },
  ]
  h.apply(base)
  // Seed 003's namespace-less AIMImage was a cluster catalog entry: it is applied as AIMClusterImage
  // so that cluster templates and every namespace resolve its modelId. Templates named twice
  // (llama3-8b-fast): the later example wins, as with kubectl apply.
  // Namespaced templates need a model in their namespace, so the image is also applied in team-a.
  const image = supporting.find((d) => d.kind === 'AIMImage')!
  h.apply([{...image, kind: 'AIMClusterImage'}, {...image, metadata: {...image.metadata, namespace: 'team-a'}}])
  h.apply(supporting.filter((d) => d.kind !== 'AIMImage'))
  // What seed 000's complete example refers to without showing it.
  h.apply(parseAllDocuments(SEED_000_REFERENCES).map((d) => d.toJS() as KubeObject))
  return h
}

describe('legacy aim.silogen.ai examples of seeds 000 and 003 reach Running', () => {
  for (const [index, svc] of services) {
    it(`#${index} AIMService ${svc.metadata.namespace}/${svc.metadata.name}`, async () => {
      setup()
      h.apply([svc])
      await h.settle(60 * 60_000)
      const ns = svc.metadata.namespace!
      const name = svc.metadata.name!
      const legacy = h.store.get(LEGACY_SERVICES, ns, name) as any
      const converted = h.get('AIMService', ns, name)
      expect(converted.apiVersion).toBe('aim.eai.amd.com/v1alpha1')
      expect(converted.metadata.ownerReferences).toEqual([expect.objectContaining({apiVersion: 'aim.silogen.ai/v1alpha1', kind: 'AIMService', name, uid: legacy.metadata.uid})])
      const blocking = (converted.status?.conditions ?? []).filter((c: any) => c.status !== 'True').map((c: any) => `${c.type}=${c.status} ${c.reason}: ${c.message}`)
      expect(converted.status.status, blocking.join('\n')).toBe('Running')
      expect(legacy.status.status).toBe('Running')
      expect(legacy.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({status: 'True'})
      // The legacy condition vocabulary (reference §13.1/13.2) leads, the new conditions follow.
      const legacyTypes = legacy.status.conditions.map((c: any) => c.type)
      const expected = ['Resolved', ...(legacyTypes.includes('CacheReady') ? ['CacheReady'] : []), 'RuntimeReady', ...(converted.status.conditions.some((c: any) => c.type === 'HTTPRouteReady') ? ['RoutingReady'] : []), 'Ready', 'Progressing', 'Failure']
      expect(legacyTypes.slice(0, expected.length)).toEqual(expected)
      const byType = Object.fromEntries(legacy.status.conditions.map((c: any) => [c.type, `${c.status} ${c.reason}`]))
      expect(byType).toMatchObject({Resolved: 'True Resolved', RuntimeReady: 'True RuntimeReady', Progressing: 'False Settled', Failure: 'False NoFailure'})
      if (byType.CacheReady) expect(byType.CacheReady).toBe('True CacheWarm')
      expect(legacyTypes).toContain('InferenceServiceReady')
      for (const c of legacy.status.conditions) expect(c.lastTransitionTime, c.type).toMatch(/^2026-/)
    })
  }

  it('the supporting legacy objects convert too (AIMImage → AIMClusterModel, templates, cache, cluster config)', async () => {
    setup()
    await h.settle(60 * 60_000)
    expect(h.get('AIMClusterModel', undefined, 'meta-llama-3-8b').spec).toEqual({image: 'registry.example.com/aim/llama3-8b:1.1'})
    expect(h.get('AIMClusterServiceTemplate', undefined, 'llama3-8b-latency-gpu1')).toBeDefined()
    expect(h.get('AIMServiceTemplate', 'team-a', 'llama3-8b-mi325x-throughput')).toBeDefined()
    expect(h.get('AIMTemplateCache', 'team-a', 'warm-llama3-8b-fast')).toBeDefined()
    expect(h.get('AIMClusterRuntimeConfig', undefined, 'default')).toBeDefined()
  })
})

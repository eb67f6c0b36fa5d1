import {describe, expect, it} from 'vitest'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createControllerManager} from '../../../simulator/controllers/index.js'
import {createStore} from '../../../simulator/store/index.js'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, eventsFor, startCluster} from './helpers.js'

const aimservices = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const clusterModels = {group: 'aim.eai.amd.com', plural: 'aimclustermodels'}
const clusterTemplates = {group: 'aim.eai.amd.com', plural: 'aimclusterservicetemplates'}

async function quickStart(seed: string) {
  const clock = new VirtualClock()
  const store = createStore({clock, seed})
  const manager = createControllerManager({store, clock, seed})
  manager.start()
  store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
  store.create({
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMService',
    metadata: {name: 'qwen-chat', namespace: 'ml-team'},
    spec: {model: {image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'}},
  })
  await manager.settle(60 * 60_000)
  manager.stop()
  return {clock, store, manager}
}

describe('the whole simulated cluster', () => {
  it('bootstraps namespaces, the default StorageClass, the seed gateways and the catalog models', () => {
    const {store, manager} = startCluster()
    const namespaces = store.list({group: '', plural: 'namespaces'}).items.map((n) => n.metadata.name)
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'aim-system', 'gateways', 'kgateway-system']))
    const sc = store.get({group: 'storage.k8s.io', plural: 'storageclasses'}, undefined, 'standard')!
    expect(sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true')
    expect(store.get({group: 'gateway.networking.k8s.io', plural: 'gateways'}, 'gateways', 'inference-gateway')).toBeDefined()
    expect(store.get({group: 'gateway.networking.k8s.io', plural: 'gateways'}, 'kgateway-system', 'kserve-ingress-gateway')).toBeDefined()
    expect((store.get(clusterModels, undefined, 'qwen-qwen3-32b')!.spec as {image: string}).image).toBe('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')
    for (const t of ['qwen3-32b-latency', 'qwen3-32b-mi300x-fp16-latency']) expect(store.get(clusterTemplates, undefined, t)).toBeDefined()
    manager.stop()
  })

  it('runs the seed quick start to Running within one settle()', async () => {
    const {store, clock} = await quickStart('quick')
    const svc = store.get(aimservices, 'ml-team', 'qwen-chat')!
    expect((svc.status as {status: string}).status).toBe('Running')
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeLessThan(60 * 60_000)
    const [isvc] = store.list({group: 'serving.kserve.io', plural: 'inferenceservices'}, {namespace: 'ml-team', labelSelector: 'aim.eai.amd.com/service.name=qwen-chat'}).items
    expect(condition(isvc, 'Ready')?.status).toBe('True')
    const pods = store.list({group: '', plural: 'pods'}, {namespace: 'ml-team', labelSelector: `serving.kserve.io/inferenceservice=${isvc!.metadata.name}`}).items
    expect(pods).toHaveLength(1)
    expect(condition(pods[0], 'Ready')?.status).toBe('True')
    // The cached model is mounted from a bound PVC.
    const pvcs = store.list({group: '', plural: 'persistentvolumeclaims'}, {namespace: 'ml-team'}).items
    expect(pvcs.map((p) => (p.status as {phase: string}).phase)).toEqual(['Bound'])
    // The download job patched the artifact's progress as the downloader does.
    const [artifact] = store.list({group: 'aim.eai.amd.com', plural: 'aimartifacts'}, {namespace: 'ml-team'}).items
    expect((artifact!.status as {progress: {percentage: number}}).progress.percentage).toBe(100)
  })

  it('is deterministic: the same seed gives the same objects', async () => {
    const strip = (objs: KubeObject[]) => JSON.stringify(objs.map((o) => ({...o, metadata: {...o.metadata, managedFields: undefined}})))
    const a = await quickStart('same')
    const b = await quickStart('same')
    expect(strip(a.store.dump())).toBe(strip(b.store.dump()))
    const c = await quickStart('other')
    expect(strip(c.store.dump())).not.toBe(strip(a.store.dump()))
  })

  it('settle() stops when no timer is due within the budget', async () => {
    const {clock, manager} = startCluster()
    const start = clock.now()
    await manager.settle(1000)
    expect(clock.now() - start).toBeLessThanOrEqual(1000)
    let fired = 0
    clock.setTimeout(() => fired++, 5000)
    await manager.settle(4000)
    expect(fired).toBe(0)
    await manager.settle(10_000)
    expect(fired).toBe(1)
    manager.stop()
  })

  it('writes deduplicated Events with counts and the reporting component', async () => {
    const {store, manager} = startCluster()
    const node = store.get({group: '', plural: 'nodes'}, undefined, 'gpu-mi300x-0')!
    const rec = manager.runtime.events
    rec.event(node, 'Warning', 'Test', 'same message', 'tester')
    rec.event(node, 'Warning', 'Test', 'same message', 'tester')
    rec.event(node, 'Normal', 'Test', 'other', 'tester')
    const evs = eventsFor(store, 'default', 'gpu-mi300x-0')
    expect(evs).toEqual([
      {type: 'Warning', reason: 'Test', message: 'same message', count: 2},
      {type: 'Normal', reason: 'Test', message: 'other', count: 1},
    ])
    const raw = store.list({group: '', plural: 'events'}, {namespace: 'default'}).items[0]!
    expect(raw.source).toEqual({component: 'tester'})
    expect(raw.involvedObject).toMatchObject({kind: 'Node', name: 'gpu-mi300x-0'})
    manager.stop()
  })
})

describe('restart from a saved state', () => {
  it('takes over ready pods and finished jobs, and keeps serving', async () => {
    const {mkdtempSync, rmSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'aim-cluster-'))
    try {
      const statePath = join(dir, 'state.jsonl')
      const clock = new VirtualClock()
      const store = createStore({clock, seed: 's', statePath})
      const m1 = createControllerManager({store, clock, seed: 's', aim: false})
      m1.start()
      store.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'web', namespace: 'default'},
        spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'main', image: 'nginx:1.27'}]}}},
      })
      await m1.settle(60_000)
      m1.stop()
      store.close()

      const store2 = createStore({clock, seed: 's', statePath})
      const m2 = createControllerManager({store: store2, clock, seed: 's', aim: false})
      m2.start()
      await m2.settle(60_000)
      const pods = store2.list({group: '', plural: 'pods'}, {namespace: 'default'}).items
      expect(pods).toHaveLength(1)
      expect(condition(pods[0], 'Ready')?.status).toBe('True')
      expect(store2.list({group: '', plural: 'nodes'}).items).toHaveLength(2)
      m2.stop()
      store2.close()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

/**
 * @kubernetes/client-node 1.x against the in-process server: typed list, raw watch, an
 * informer (list + watch + resume), all through a kubeconfig loaded from the simulator's text.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CoreV1Api, CustomObjectsApi, KubeConfig, makeInformer, Watch, type KubernetesObject} from '@kubernetes/client-node'
import type {KubeObject} from '../../src/api/object.js'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {until} from './helpers.js'
import {VirtualClock} from '../../simulator/clock/index.js'
import {createStore} from '../../simulator/store/index.js'
import {startApiServer} from '../../simulator/apiserver/server.js'
import {generateServingCert} from '../../simulator/apiserver/tls.js'
import {kubeconfigText} from '../../simulator/apiserver/kubeconfig.js'

const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
let sim: Simulator
let kc: KubeConfig

function aimService(name: string, labels: Record<string, string> = {}): KubeObject {
  return {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name, namespace: 'default', labels}, spec: {model: {name: 'm'}}}
}

beforeAll(async () => {
  sim = await startSimulator({controllers: false})
  kc = new KubeConfig()
  kc.loadFromString(sim.kubeconfig)
})

afterAll(async () => {
  await sim?.stop()
})

describe('client-node', () => {
  it('lists with typed clients and carries the list resourceVersion', async () => {
    sim.store.create(aimService('one', {app: 'x'}))
    sim.store.create(aimService('two'))
    const custom = kc.makeApiClient(CustomObjectsApi)
    const list = (await custom.listNamespacedCustomObject({group: 'aim.eai.amd.com', version: 'v1alpha1', namespace: 'default', plural: 'aimservices', labelSelector: 'app=x'})) as {
      items: KubeObject[]
      metadata: {resourceVersion: string}
    }
    expect(list.items.map((i) => i.metadata.name)).toEqual(['one'])
    expect(list.metadata.resourceVersion).toBe(sim.store.resourceVersion())
    const core = kc.makeApiClient(CoreV1Api)
    const namespaces = await core.listNamespace()
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-public', 'kube-system'])
  })

  it('surfaces a Status body on errors (ApiException with code 404)', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi)
    const error = await custom
      .getNamespacedCustomObject({group: 'aim.eai.amd.com', version: 'v1alpha1', namespace: 'default', plural: 'aimservices', name: 'missing'})
      .then(() => undefined, (e: unknown) => e as {code: number; body: string})
    expect(error?.code).toBe(404)
    expect(JSON.parse(error!.body)).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'aimservices.aim.eai.amd.com "missing" not found'})
  })

  it('watches: synthetic ADDED first, then live MODIFIED and DELETED', async () => {
    sim.store.create(aimService('watched'))
    const events: string[] = []
    const watch = new Watch(kc)
    const controller = await watch.watch(
      '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices',
      {fieldSelector: 'metadata.name=watched'},
      (type: string, obj: KubernetesObject) => events.push(`${type} ${obj.metadata?.name}`),
      () => {},
    )
    await until(() => events.length === 1, 5000, 'the synthetic ADDED')
    sim.store.mutate(SVC, 'default', 'watched', (o) => ({...o, metadata: {...o.metadata, labels: {seen: 'yes'}}}))
    sim.store.delete(SVC, 'default', 'watched')
    await until(() => events.length === 3, 5000, 'MODIFIED and DELETED')
    controller.abort()
    expect(events).toEqual(['ADDED watched', 'MODIFIED watched', 'DELETED watched'])
  })

  it('a malformed resourceVersion is an in-stream ERROR (400), then the stream closes', async () => {
    const seen: Array<{type: string; code?: number}> = []
    let closed = false
    const watch = new Watch(kc)
    await watch.watch(
      '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices',
      {resourceVersion: '-1'},
      (type: string, obj: {code?: number}) => seen.push({type, code: obj.code}),
      () => {
        closed = true
      },
    )
    await until(() => closed, 5000, 'the stream to close')
    expect(seen).toEqual([{type: 'ERROR', code: 400}])
  })

  it('an informer lists, then follows adds, updates and deletes', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi)
    const path = '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices'
    const informer = makeInformer<KubernetesObject>(
      kc,
      path,
      () => custom.listNamespacedCustomObject({group: 'aim.eai.amd.com', version: 'v1alpha1', namespace: 'default', plural: 'aimservices', labelSelector: 'informed=yes'}) as never,
      'informed=yes',
    )
    const log: string[] = []
    informer.on('add', (o) => log.push(`add ${o.metadata?.name}`))
    informer.on('update', (o) => log.push(`update ${o.metadata?.name}`))
    informer.on('delete', (o) => log.push(`delete ${o.metadata?.name}`))
    sim.store.create(aimService('early', {informed: 'yes'}))
    await informer.start()
    await until(() => log.includes('add early'), 5000, 'the listed object')
    await until(() => sim.requestLog.some((e) => e.query.includes('watch=true') && e.query.includes('informed')), 5000, 'the informer watch')
    sim.store.create(aimService('late', {informed: 'yes'}))
    sim.store.mutate(SVC, 'default', 'late', (o) => ({...o, metadata: {...o.metadata, annotations: {touched: 'yes'}}}))
    sim.store.delete(SVC, 'default', 'early')
    await until(() => log.length === 4, 5000, 'the informer events')
    await informer.stop()
    expect(log).toEqual(['add early', 'add late', 'update late', 'delete early'])
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(['late'])
  })

  it('an informer whose watch gets 410 Expired relists and carries on', async () => {
    const clock = new VirtualClock()
    const store = createStore({clock, historySize: 10})
    const cert = await generateServingCert()
    const server = await startApiServer({store, cert, token: 't', now: () => clock.now()})
    try {
      const kc2 = new KubeConfig()
      kc2.loadFromString(kubeconfigText(server.url, cert.certPem, 't'))
      const custom = kc2.makeApiClient(CustomObjectsApi)
      let lists = 0
      const listFn = async () => {
        const list = await custom.listNamespacedCustomObject({group: 'aim.eai.amd.com', version: 'v1alpha1', namespace: 'default', plural: 'aimservices'})
        // After the first list, history moves on past the listed version: the watch will get 410.
        if (lists++ === 0) for (let i = 0; i < 30; i++) store.create(aimService(`churn-${i}`))
        return list as never
      }
      const informer = makeInformer<KubernetesObject>(kc2, '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices', listFn)
      const added = new Set<string>()
      informer.on('add', (o) => added.add(o.metadata!.name!))
      informer.on('error', () => {})
      await informer.start()
      await until(() => added.size === 30, 10_000, 'the relisted objects')
      expect(lists).toBeGreaterThanOrEqual(2)
      // The informer adds the relisted objects before it sends its next watch: wait for that watch.
      const watches = () => server.requestLog.filter((e) => e.query.includes('watch=true'))
      await until(() => watches().length >= 2, 5000, 'the watch after the relist')
      const rvOf = (q: string) => new URLSearchParams(q).get('resourceVersion')
      expect(rvOf(watches()[1]!.query)).not.toBe(rvOf(watches()[0]!.query))
      store.create(aimService('after'))
      await until(() => added.has('after'), 5000, 'a live add after the relist')
      await informer.stop()
    } finally {
      await server.close()
      store.close()
    }
  })
})

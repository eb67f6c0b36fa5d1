/**
 * The fake cluster does the work a real one does and no more: one reconcile per change a controller
 * reads, no status write that changes nothing, and the runtime's filters (forChanged,
 * ownCreatesSettle) and the clock's per-instant firing behave as documented.
 */
import {describe, expect, it} from 'vitest'
import {VirtualClock} from '../../../simulator/clock/index.js'
import type {Store} from '../../../simulator/store/types.js'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, deployment, eventsFor, startCluster, startRuntime} from './helpers.js'

const cms = {group: '', plural: 'configmaps'}
const secrets = {group: '', plural: 'secrets'}
const pods = {group: '', plural: 'pods'}

const setup = startRuntime

function cm(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default', ...extra}, data: {a: '1'}}
}

/** Counts the store writes that changed something, by verb, subresource and resource (Events left out). */
function countWrites(store: Store): Map<string, number> {
  const counts = new Map<string, number>()
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1)
  const watch = store.watchAll((event, info, old) => {
    if (info.plural === 'events' || event.type === 'BOOKMARK' || event.type === 'ERROR') return
    if (event.type === 'ADDED') return bump(`create ${info.plural}`)
    if (event.type === 'DELETED') return bump(`delete ${info.plural}`)
    const statusOnly = old !== undefined && JSON.stringify({...old, status: undefined, metadata: {...old.metadata, resourceVersion: undefined, managedFields: undefined}}) ===
      JSON.stringify({...event.object, status: undefined, metadata: {...event.object.metadata, resourceVersion: undefined, managedFields: undefined}})
    bump(`${statusOnly ? 'status' : 'update'} ${info.plural}`)
  })
  void watch
  return counts
}

function reconcileCounts(manager: ReturnType<typeof startCluster>['manager']): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [name, stat] of manager.runtime.stats) if (stat.count > 0) out[name] = stat.count
  return out
}

describe('controller runtime filters', () => {
  it('asks forChanged about changes of its own kind, but never about deletions', async () => {
    const seen: string[] = []
    const asked: string[] = []
    const {store, manager} = setup([
      {
        name: 'r',
        for: cms,
        forChanged: (obj) => {
          asked.push(obj.metadata.name!)
          return obj.metadata.labels?.skip !== 'yes'
        },
        reconcile: (k) => void seen.push(k.name),
      },
    ])
    store.create(cm('a'))
    store.create(cm('b', {labels: {skip: 'yes'}}))
    await manager.idle()
    expect(seen).toEqual(['a'])
    store.delete(cms, 'default', 'b')
    await manager.idle()
    expect(seen).toEqual(['a', 'b'])
    expect(asked).toEqual(['a', 'b'])
    manager.stop()
  })

  it('does not enqueue an owner for a child it created in the reconcile now running (ownCreatesSettle), but does for later changes and for children others create', async () => {
    const owners: string[] = []
    let created = false
    const {store, manager} = setup([
      {
        name: 'owner',
        for: secrets,
        ownCreatesSettle: true,
        reconcile: (k, ctx) => {
          owners.push(k.name)
          const parent = ctx.store.get(secrets, k.namespace, k.name)!
          if (created) return
          created = true
          ctx.store.create(cm('child', {ownerReferences: [{apiVersion: 'v1', kind: 'Secret', name: k.name, uid: parent.metadata.uid!, controller: true}]}))
        },
      },
    ])
    const parent = store.create({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'parent', namespace: 'default'}})
    await manager.idle()
    expect(owners).toEqual(['parent'])
    store.mutate(cms, 'default', 'child', (o) => void ((o.data as Record<string, string>).a = '2'))
    await manager.idle()
    expect(owners).toEqual(['parent', 'parent'])
    store.create(cm('other', {ownerReferences: [{apiVersion: 'v1', kind: 'Secret', name: 'parent', uid: parent.metadata.uid!, controller: true}]}))
    await manager.idle()
    expect(owners).toEqual(['parent', 'parent', 'parent'])
    manager.stop()
  })

  it('keeps FIFO order across synchronous and asynchronous reconcilers', async () => {
    const order: string[] = []
    const {store, manager} = setup([
      {name: 'sync', for: cms, reconcile: (k) => void order.push(`sync ${k.name}`)},
      {
        name: 'async',
        for: cms,
        reconcile: async (k) => {
          await new Promise((r) => setImmediate(r))
          order.push(`async ${k.name}`)
        },
      },
    ])
    store.create(cm('a'))
    store.create(cm('b'))
    await manager.idle()
    expect(order).toEqual(['sync a', 'async a', 'sync b', 'async b'])
    manager.stop()
  })
})

describe('virtual clock, per instant', () => {
  it('lets the promise jobs a timer starts finish before the next timer of the same instant fires', async () => {
    const clock = new VirtualClock(0)
    const log: string[] = []
    for (const name of ['a', 'b']) {
      clock.setTimeout(() => {
        log.push(`fire ${name}`)
        queueMicrotask(() => {
          log.push(`job ${name}`)
          void Promise.resolve().then(() => log.push(`job ${name} then`))
        })
      }, 10)
    }
    clock.setTimeout(() => log.push('fire c@20'), 20)
    await clock.advance(30)
    expect(log).toEqual(['fire a', 'job a', 'job a then', 'fire b', 'job b', 'job b then', 'fire c@20'])
  })

  it('formats nowISO once per instant and follows the clock', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1, 0, 0, 0, 500))
    expect(clock.nowISO()).toBe('2026-01-01T00:00:00Z')
    expect(clock.nowISO()).toBe('2026-01-01T00:00:00Z')
    await clock.advance(1500)
    expect(clock.nowISO()).toBe('2026-01-01T00:00:02Z')
  })
})

describe('the fake cluster writes once per change', () => {
  it('rolls out a one-replica Deployment with the reconciles and status writes a real cluster makes', async () => {
    const {store, manager} = startCluster()
    await manager.settle(60_000)
    manager.runtime.stats.clear()
    const writes = countWrites(store)
    store.create(deployment('web', 'default', 'nginx:1.27', 1))
    await manager.settle(10 * 60_000)
    const d = store.get({group: 'apps', plural: 'deployments'}, 'default', 'web')!
    expect(condition(d, 'Available')).toMatchObject({status: 'True', reason: 'MinimumReplicasAvailable'})
    expect(condition(d, 'Progressing')).toMatchObject({status: 'True', reason: 'NewReplicaSetAvailable'})
    // Deployment: created, its ReplicaSet's first status, the pod ready. ReplicaSet: created (pod
    // made), the pod ready. Scheduler: the new pod only. Kubelet: the bind only (its own container
    // timers write status without another pass).
    expect(reconcileCounts(manager)).toEqual({'deployment-controller': 3, 'replicaset-controller': 2, 'default-scheduler': 1, kubelet: 1})
    expect(Object.fromEntries(writes)).toEqual({
      'create deployments': 1,
      'create replicasets': 1,
      'create pods': 1,
      'status deployments': 3,
      'status replicasets': 2,
      // The binding (spec.nodeName with PodScheduled, one write as pods/binding makes it); then
      // ContainerCreating, Running, Ready.
      'update pods': 1,
      'status pods': 3,
    })
    const pod = store.list(pods, {namespace: 'default'}).items[0]!
    // The binding is a storage write of kube-apiserver's: no field manager records it.
    expect(pod.metadata.managedFields?.map((m) => `${m.manager} ${m.subresource ?? ''}`.trim())).toEqual(['replicaset-controller', 'kubelet status'])
    expect(eventsFor(store, 'default', pod.metadata.name!).map((e) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
    manager.stop()
  })

  it('writes an InferenceService status three times on its way to Ready: created, a pod loading, ready', async () => {
    const {store, manager} = startCluster()
    await manager.settle(60_000)
    manager.runtime.stats.clear()
    const statuses: string[] = []
    store.watchAll((event, info) => {
      if (info.plural !== 'inferenceservices' || event.type !== 'MODIFIED') return
      const s = event.object.status as {modelStatus?: {states?: {activeModelState?: string}}} | undefined
      statuses.push(`${s?.modelStatus?.states?.activeModelState}/${condition(event.object, 'Ready')?.status}`)
    })
    store.create({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {name: 'm', namespace: 'default', annotations: {'serving.kserve.io/deploymentMode': 'RawDeployment', 'serving.kserve.io/autoscalerClass': 'none'}},
      spec: {predictor: {containers: [{name: 'kserve-container', image: 'nginx:1.27'}]}},
    })
    await manager.settle(10 * 60_000)
    expect(statuses).toEqual(['Pending/False', 'Loading/False', 'Loaded/True'])
    expect(manager.runtime.stats.get('kserve-controller-manager')?.count).toBe(3)
    expect(eventsFor(store, 'default', 'm').map((e) => e.reason)).toEqual(['InferenceServiceReady'])
    manager.stop()
  })

  it('retries an unschedulable pod when a pod ends, and leaves bound pods alone', async () => {
    const {store, manager} = startCluster({nodes: 'mi300x=1', gpusPerNode: 1})
    await manager.settle(60_000)
    const gpu = {'amd.com/gpu': '1'}
    const job = (name: string): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name, namespace: 'default'},
      spec: {backoffLimit: 0, template: {spec: {restartPolicy: 'Never', containers: [{name: 'main', image: 'busybox:1.36', command: ['sleep', '30'], resources: {requests: gpu, limits: gpu}}]}}},
    })
    store.create(job('first'))
    await manager.idle()
    store.create(job('second'))
    await manager.idle()
    const second = store.list(pods, {namespace: 'default', labelSelector: 'job-name=second'}).items[0]!
    expect(condition(second, 'PodScheduled')).toMatchObject({status: 'False', reason: 'Unschedulable'})
    manager.runtime.stats.clear()
    await manager.settle(10 * 60_000)
    const after = store.get(pods, 'default', second.metadata.name!)!
    expect(condition(after, 'PodScheduled')?.status).toBe('True')
    expect(eventsFor(store, 'default', second.metadata.name!).map((e) => e.reason)).toEqual(expect.arrayContaining(['FailedScheduling', 'Scheduled']))
    // The retry when the first pod finished, and the 5-minute unschedulable flush it had asked for
    // (a later reconcile does not cancel a requeue); nothing for either pod's kubelet updates.
    expect(manager.runtime.stats.get('default-scheduler')?.count).toBe(2)
    manager.stop()
  })
})

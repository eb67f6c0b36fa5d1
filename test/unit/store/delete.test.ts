import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'

const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const CM = {group: '', plural: 'configmaps'}
const PODS = {group: '', plural: 'pods'}
const NS = {group: '', plural: 'namespaces'}

function setup(): {store: SimStore; clock: VirtualClock; events: string[]} {
  const clock = new VirtualClock()
  const store = createStore({clock, seed: 'delete'})
  const events: string[] = []
  store.watchAll((e, info) => events.push(`${e.type} ${info.kind}/${e.object.metadata.name}`))
  return {store, clock, events}
}

function caught(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected an ApiError')
}

function owner(store: SimStore, name = 'svc', finalizers?: string[]): KubeObject {
  return store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name, namespace: 'default', finalizers}, spec: {model: {name: 'm'}}})
}

function child(store: SimStore, name: string, parent: KubeObject, extra: {blockOwnerDeletion?: boolean; finalizers?: string[]} = {}): KubeObject {
  return store.create({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      finalizers: extra.finalizers,
      ownerReferences: [
        {apiVersion: parent.apiVersion, kind: parent.kind, name: parent.metadata.name!, uid: parent.metadata.uid!, controller: true, blockOwnerDeletion: extra.blockOwnerDeletion},
      ],
    },
  })
}

describe('store: delete and finalizers', () => {
  it('deletes at once without finalizers and returns the last state', () => {
    const {store, events} = setup()
    const a = owner(store)
    const gone = store.delete(SVC, 'default', 'svc')
    expect(gone.metadata.uid).toBe(a.metadata.uid)
    expect(store.get(SVC, 'default', 'svc')).toBeUndefined()
    expect(events.slice(-1)).toEqual(['DELETED AIMService/svc'])
    expect(caught(() => store.delete(SVC, 'default', 'svc')).message).toBe('aimservices.aim.eai.amd.com "svc" not found')
  })

  it('with finalizers only sets deletionTimestamp; removing the last finalizer removes the object', () => {
    const {store, clock, events} = setup()
    owner(store, 'svc', ['aim.eai.amd.com/cleanup', 'other/x'])
    void clock.advance(1000)
    const marked = store.delete(SVC, 'default', 'svc')
    expect(marked.metadata.deletionTimestamp).toBe(clock.nowISO())
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0)
    expect(marked.metadata.generation).toBe(2)
    expect(store.delete(SVC, 'default', 'svc')).toBe(marked) // a second delete is a no-op
    const e = caught(() =>
      store.mutate(SVC, 'default', 'svc', (o) => {
        o.metadata.finalizers = ['aim.eai.amd.com/cleanup', 'other/x', 'new/one']
      }),
    )
    expect(e.code).toBe(422)
    expect(e.message).toBe(
      'AIMService.aim.eai.amd.com "svc" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"new/one"}',
    )
    store.mutate(SVC, 'default', 'svc', (o) => {
      o.metadata.finalizers = ['other/x']
    })
    expect(store.get(SVC, 'default', 'svc')?.metadata.finalizers).toEqual(['other/x'])
    store.mutate(SVC, 'default', 'svc', (o) => {
      o.metadata.finalizers = []
    })
    expect(store.get(SVC, 'default', 'svc')).toBeUndefined()
    expect(events).toEqual(['ADDED AIMService/svc', 'MODIFIED AIMService/svc', 'MODIFIED AIMService/svc', 'DELETED AIMService/svc'])
  })

  it('checks uid and resourceVersion preconditions', () => {
    const {store} = setup()
    const a = owner(store)
    expect(caught(() => store.delete(SVC, 'default', 'svc', {preconditions: {uid: 'x'}})).message).toBe(
      `Operation cannot be fulfilled on aimservices.aim.eai.amd.com "svc": Precondition failed: UID in precondition: x, UID in object meta: ${a.metadata.uid}`,
    )
    expect(caught(() => store.delete(SVC, 'default', 'svc', {preconditions: {resourceVersion: '1'}})).message).toBe(
      `Operation cannot be fulfilled on aimservices.aim.eai.amd.com "svc": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${a.metadata.resourceVersion}`,
    )
  })

  it('changes nothing on dry run', () => {
    const {store} = setup()
    owner(store, 'svc', ['f/x'])
    const rv = store.resourceVersion()
    const r = store.delete(SVC, 'default', 'svc', {dryRun: true})
    expect(r.metadata.deletionTimestamp).toBeDefined()
    expect(store.get(SVC, 'default', 'svc')?.metadata.deletionTimestamp).toBeUndefined()
    expect(store.resourceVersion()).toBe(rv)
  })
})

describe('store: ownerReference garbage collection', () => {
  it('Background: the owner goes first, then its dependents, recursively', () => {
    const {store, events} = setup()
    const o = owner(store)
    const c = child(store, 'c1', o)
    store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {name: 'grandchild', namespace: 'default', ownerReferences: [{apiVersion: 'v1', kind: 'ConfigMap', name: 'c1', uid: c.metadata.uid!}]},
    })
    events.length = 0
    store.delete(SVC, 'default', 'svc')
    expect(events).toEqual(['DELETED AIMService/svc', 'DELETED ConfigMap/c1', 'DELETED Pod/grandchild'])
    expect(store.list(CM, {namespace: 'default'}).items).toEqual([])
    expect(store.list(PODS).items).toEqual([])
  })

  it('keeps a dependent that has another live owner, dropping the dangling reference', () => {
    const {store} = setup()
    const a = owner(store, 'a')
    const b = owner(store, 'b')
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'shared',
        namespace: 'default',
        ownerReferences: [
          {apiVersion: a.apiVersion, kind: a.kind, name: 'a', uid: a.metadata.uid!},
          {apiVersion: b.apiVersion, kind: b.kind, name: 'b', uid: b.metadata.uid!},
        ],
      },
    })
    store.delete(SVC, 'default', 'a')
    expect(store.mustGet(CM, 'default', 'shared').metadata.ownerReferences?.map((r) => r.name)).toEqual(['b'])
  })

  it('Foreground: the owner waits with foregroundDeletion until blocking dependents are gone', () => {
    const {store, events} = setup()
    const o = owner(store)
    child(store, 'blocking', o, {blockOwnerDeletion: true, finalizers: ['test/hold']})
    child(store, 'plain', o)
    events.length = 0
    const marked = store.delete(SVC, 'default', 'svc', {propagationPolicy: 'Foreground'})
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion'])
    expect(marked.metadata.deletionTimestamp).toBeDefined()
    expect(store.get(CM, 'default', 'plain')).toBeUndefined()
    const blocking = store.mustGet(CM, 'default', 'blocking')
    expect(blocking.metadata.deletionTimestamp).toBeDefined()
    // It has no dependents of its own, so its foregroundDeletion finalizer is already gone.
    expect(blocking.metadata.finalizers).toEqual(['test/hold'])
    expect(store.get(SVC, 'default', 'svc')).toBeDefined()
    store.mutate(CM, 'default', 'blocking', (c) => {
      c.metadata.finalizers = c.metadata.finalizers!.filter((f) => f !== 'test/hold')
    })
    expect(store.get(CM, 'default', 'blocking')).toBeUndefined()
    expect(store.get(SVC, 'default', 'svc')).toBeUndefined()
    expect(events.filter((e) => e.startsWith('DELETED'))).toEqual(['DELETED ConfigMap/plain', 'DELETED ConfigMap/blocking', 'DELETED AIMService/svc'])
  })

  it('Foreground without dependents removes the owner at once', () => {
    const {store} = setup()
    owner(store)
    store.delete(SVC, 'default', 'svc', {propagationPolicy: 'Foreground'})
    expect(store.get(SVC, 'default', 'svc')).toBeUndefined()
  })

  it('Orphan: dependents stay, without the reference to the owner', () => {
    const {store} = setup()
    const o = owner(store)
    child(store, 'kept', o)
    store.delete(SVC, 'default', 'svc', {propagationPolicy: 'Orphan'})
    expect(store.get(SVC, 'default', 'svc')).toBeUndefined()
    const kept = store.mustGet(CM, 'default', 'kept')
    expect(kept.metadata.ownerReferences).toBeUndefined()
  })

  it('collects a dependent whose owner uid does not exist', () => {
    const {store} = setup()
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'orphan', namespace: 'default', ownerReferences: [{apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid'}]},
    })
    expect(store.get(CM, 'default', 'orphan')).toBeUndefined()
  })

  it('treats an owner in another namespace as absent', () => {
    const {store} = setup()
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'elsewhere'}})
    const far = store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'owner', namespace: 'elsewhere'}})
    const near = store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'cluster-owner'}})
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'cross', namespace: 'default', ownerReferences: [{apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: far.metadata.uid!}]},
    })
    store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'by-cluster-object', namespace: 'default', ownerReferences: [{apiVersion: 'v1', kind: 'Namespace', name: 'cluster-owner', uid: near.metadata.uid!}]},
    })
    expect(store.get(CM, 'default', 'cross')).toBeUndefined()
    expect(store.get(CM, 'default', 'by-cluster-object')).toBeDefined()
  })
})

describe('store: namespaces', () => {
  it('deletes the contents, then the namespace; it is Terminating meanwhile', () => {
    const {store, events} = setup()
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team'}})
    store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'held', namespace: 'team', finalizers: ['test/hold']}})
    store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 's', namespace: 'team'}, spec: {model: {name: 'm'}}})
    events.length = 0
    const ns = store.delete(NS, undefined, 'team')
    expect(ns.status).toEqual({phase: 'Terminating'})
    expect(store.get(SVC, 'team', 's')).toBeUndefined()
    expect(store.mustGet(NS, undefined, 'team').status).toEqual({phase: 'Terminating'})
    const e = caught(() => store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'late', namespace: 'team'}}))
    expect(e.code).toBe(403)
    expect(e.message).toBe('configmaps "" is forbidden: unable to create new content in namespace team because it is being terminated')
    store.mutate(CM, 'team', 'held', (c) => {
      c.metadata.finalizers = []
    })
    expect(store.get(NS, undefined, 'team')).toBeUndefined()
    expect(events).toEqual(['MODIFIED Namespace/team', 'MODIFIED ConfigMap/held', 'DELETED AIMService/s', 'DELETED ConfigMap/held', 'DELETED Namespace/team'])
  })

  it('refuses to delete default, kube-system and kube-public', () => {
    const {store} = setup()
    const e = caught(() => store.delete(NS, undefined, 'default'))
    expect(e.code).toBe(403)
    expect(e.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted')
  })

  it('collects dependents in the order they were last written, whether an update keeps or changes their ownerReferences', () => {
    const {store, events} = setup()
    const a = owner(store, 'a')
    const b = owner(store, 'b')
    for (const name of ['c1', 'c2', 'c3', 'c4']) child(store, name, a)
    const single = child(store, 'only', b)
    // c2 and c4: updates that keep the stored ownerReferences (shared); c1: one that replaces them
    // with an equal list; `only`, the sole dependent of b, is rewritten too.
    store.mutate(CM, 'default', 'c2', (o) => {
      o.data = {v: '1'}
    })
    store.mutate(CM, 'default', 'c1', (o) => {
      o.metadata.ownerReferences = o.metadata.ownerReferences!.map((r) => ({...r}))
      o.data = {v: '1'}
    })
    store.mutate(CM, 'default', 'c4', (o) => {
      o.data = {v: '1'}
    })
    store.mutate(CM, 'default', 'only', (o) => {
      o.data = {v: '1'}
    })
    expect(store.dependentsOf(CM, 'default', b.metadata.uid!).map((o) => o.metadata.uid)).toEqual([single.metadata.uid])
    events.length = 0
    store.delete(SVC, 'default', 'a')
    expect(events).toEqual(['DELETED AIMService/a', 'DELETED ConfigMap/c3', 'DELETED ConfigMap/c2', 'DELETED ConfigMap/c1', 'DELETED ConfigMap/c4'])
    events.length = 0
    store.delete(SVC, 'default', 'b')
    expect(events).toEqual(['DELETED AIMService/b', 'DELETED ConfigMap/only'])
  })
})

import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore} from '../../../simulator/store/index.js'

const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const PODS = {group: '', plural: 'pods'}
const CM = {group: '', plural: 'configmaps'}
const NS = {group: '', plural: 'namespaces'}

function svc(name: string, spec: unknown = {model: {name: 'm'}}, extra: Partial<KubeObject> = {}): KubeObject {
  return {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name, namespace: 'default'}, spec, ...extra}
}

function setup(seed = 'test') {
  const clock = new VirtualClock()
  const store = createStore({clock, seed})
  return {clock, store}
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

describe('store: create', () => {
  it('pre-creates default, kube-system and kube-public', () => {
    const {store} = setup()
    expect(store.list(NS).items.map((n) => n.metadata.name)).toEqual(['default', 'kube-public', 'kube-system'])
    expect(store.mustGet(NS, undefined, 'default').status).toEqual({phase: 'Active'})
  })

  it('sets uid, resourceVersion, generation and creationTimestamp from the clock', () => {
    const {store, clock} = setup()
    const rvBefore = Number(store.resourceVersion())
    const created = store.create(svc('a'))
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(created.metadata.resourceVersion).toBe(String(rvBefore + 1))
    expect(created.metadata.generation).toBe(1)
    expect(created.metadata.creationTimestamp).toBe(clock.nowISO())
    expect(store.resourceVersion()).toBe(String(rvBefore + 1))
  })

  it('is deterministic for the same seed and different for another seed', () => {
    const run = (seed: string) => {
      const {store} = setup(seed)
      store.create(svc('a'))
      store.create({...svc(''), metadata: {generateName: 'gen-', namespace: 'default'}})
      return store.dump()
    }
    expect(run('s1')).toEqual(run('s1'))
    expect(run('s1')[0]!.metadata.uid).not.toBe(run('s2')[0]!.metadata.uid)
  })

  it('expands generateName with a 5-character suffix', () => {
    const {store} = setup()
    const o = store.create({...svc(''), metadata: {generateName: 'web-', namespace: 'default'}})
    expect(o.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(o.metadata.generateName).toBe('web-')
  })

  it('rejects a missing name with 422', () => {
    const {store} = setup()
    const e = caught(() => store.create({...svc(''), metadata: {namespace: 'default'}}))
    expect(e.code).toBe(422)
    expect(e.message).toBe('AIMService.aim.eai.amd.com "" is invalid: metadata.name: Required value: name or generateName is required')
  })

  it('rejects a duplicate with 409 AlreadyExists', () => {
    const {store} = setup()
    store.create(svc('a'))
    const e = caught(() => store.create(svc('a')))
    expect(e.code).toBe(409)
    expect(e.reason).toBe('AlreadyExists')
    expect(e.message).toBe('aimservices.aim.eai.amd.com "a" already exists')
  })

  it('requires the namespace to exist', () => {
    const {store} = setup()
    const e = caught(() => store.create({...svc('a'), metadata: {name: 'a', namespace: 'nope'}}))
    expect(e.code).toBe(404)
    expect(e.message).toBe('namespaces "nope" not found')
  })

  it('requires a namespace for namespaced kinds and drops it for cluster-scoped ones', () => {
    const {store} = setup()
    const e = caught(() => store.create({...svc('a'), metadata: {name: 'a'}}))
    expect(e.code).toBe(422)
    expect(e.message).toBe('AIMService.aim.eai.amd.com "a" is invalid: metadata.namespace: Required value')
    const cm = store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMClusterModel', metadata: {name: 'm', namespace: 'x'}, spec: {image: 'rocm/x:1'}})
    expect(cm.metadata.namespace).toBeUndefined()
  })

  it('drops .status on create for kinds with the status subresource, keeps it for others', () => {
    const {store} = setup()
    expect(store.create(svc('a', undefined, {status: {status: 'Running'}})).status).toBeUndefined()
    const ev = store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'default'}, data: {a: '1'}})
    expect(ev.data).toEqual({a: '1'})
  })

  it('applies CRD defaults and answers invalid objects with 422 (src/api/validation)', () => {
    const {store} = setup()
    const e = caught(() => store.create(svc('bad', {replicas: 1})))
    expect(e.code).toBe(422)
    expect(e.message).toBe('AIMService.aim.eai.amd.com "bad" is invalid: spec.model: Required value')
    expect(store.get(SVC, 'default', 'bad')).toBeUndefined()
    expect((store.create(svc('ok')).spec as {replicas: number}).replicas).toBe(1)
  })

  it('answers an unknown kind with 404', () => {
    const {store} = setup()
    const e = caught(() => store.create({apiVersion: 'x.io/v1', kind: 'Nope', metadata: {name: 'a'}}))
    expect(e.code).toBe(404)
    expect(e.message).toBe('the server could not find the requested resource')
  })

  it('hands out frozen objects that callers cannot change', () => {
    const {store} = setup()
    const o = store.create(svc('a'))
    expect(() => {
      ;(o.spec as {model: unknown}).model = 'changed'
    }).toThrow(TypeError)
    expect(store.mustGet(SVC, 'default', 'a').spec).toEqual({model: {name: 'm'}, replicas: 1}) // replicas: CRD default
  })

  it('does not store anything on dry run', () => {
    const {store} = setup()
    const rv = store.resourceVersion()
    const o = store.create(svc('a'), {dryRun: true})
    expect(o.metadata.name).toBe('a')
    expect(store.get(SVC, 'default', 'a')).toBeUndefined()
    expect(store.resourceVersion()).toBe(rv)
  })
})

describe('store: get and update', () => {
  it('mustGet throws NotFound with kube wording', () => {
    const {store} = setup()
    const e = caught(() => store.mustGet(SVC, 'default', 'missing'))
    expect(e.code).toBe(404)
    expect(e.message).toBe('aimservices.aim.eai.amd.com "missing" not found')
    expect(caught(() => store.mustGet(PODS, 'default', 'p')).message).toBe('pods "p" not found')
  })

  it('bumps generation only when the spec changes', () => {
    const {store} = setup()
    const a = store.create(svc('a'))
    const b = store.update({...a, metadata: {...a.metadata, labels: {x: 'y'}}})
    expect(b.metadata.generation).toBe(1)
    const c = store.update({...b, spec: {model: {name: 'm'}, replicas: 2}})
    expect(c.metadata.generation).toBe(2)
    const d = store.mutate(SVC, 'default', 'a', (o) => {
      o.status = {status: 'Running'}
    }, {subresource: 'status'})
    expect(d.metadata.generation).toBe(2)
    expect(d.status).toEqual({status: 'Running'})
  })

  it('answers a stale resourceVersion with 409 Conflict', () => {
    const {store} = setup()
    const a = store.create(svc('a'))
    store.update({...a, spec: {model: {name: 'm'}, replicas: 2}})
    const e = caught(() => store.update({...a, spec: {model: {name: 'm'}, replicas: 3}}))
    expect(e.code).toBe(409)
    expect(e.reason).toBe('Conflict')
    expect(e.message).toBe(
      'Operation cannot be fulfilled on aimservices.aim.eai.amd.com "a": the object has been modified; please apply your changes to the latest version and try again',
    )
  })

  it('requires a resourceVersion on updates of custom resources, not of built-ins', () => {
    const {store} = setup()
    store.create(svc('a'))
    const e = caught(() => store.update(svc('a', {model: {name: 'z'}})))
    expect(e.code).toBe(422)
    expect(e.message).toBe('AIMService.aim.eai.amd.com "a" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')
    store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'default'}, data: {a: '1'}})
    const c = store.update({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c', namespace: 'default'}, data: {a: '2'}})
    expect(c.data).toEqual({a: '2'})
  })

  it('ignores .status on a normal update and everything but .status on a status update', () => {
    const {store} = setup()
    const a = store.create(svc('a'))
    const b = store.update({...a, status: {status: 'Hacked'}})
    expect(b).toBe(a) // nothing changed: no write at all
    const c = store.update({...a, spec: {model: {name: 'ignored'}}, metadata: {...a.metadata, labels: {l: '1'}}, status: {status: 'Running'}}, {subresource: 'status'})
    expect(c.status).toEqual({status: 'Running'})
    expect(c.spec).toEqual({model: {name: 'm'}, replicas: 1})
    expect(c.metadata.labels).toBeUndefined()
  })

  it('answers updates of a missing object with 404', () => {
    const {store} = setup()
    const e = caught(() => store.update({...svc('gone'), metadata: {name: 'gone', namespace: 'default', resourceVersion: '1'}}))
    expect(e.message).toBe('aimservices.aim.eai.amd.com "gone" not found')
  })

  it('keeps uid and creationTimestamp, and rejects a different uid', () => {
    const {store, clock} = setup()
    const a = store.create(svc('a'))
    void clock.advance(5000)
    const e = caught(() => store.update({...a, metadata: {...a.metadata, uid: 'other'}}))
    expect(e.code).toBe(409)
    expect(e.message).toBe(
      `Operation cannot be fulfilled on aimservices.aim.eai.amd.com "a": Precondition failed: UID in precondition: other, UID in object meta: ${a.metadata.uid}`,
    )
    const b = store.update({...a, metadata: {...a.metadata, creationTimestamp: 'x'}, spec: {model: {name: 'm'}, replicas: 5}})
    expect(b.metadata.creationTimestamp).toBe(a.metadata.creationTimestamp)
    expect(b.metadata.uid).toBe(a.metadata.uid)
  })

  it('does not bump the version or emit an event for a write that changes nothing', () => {
    const {store} = setup()
    store.create(svc('a', {model: {name: 'm'}, replicas: 1}))
    const events: string[] = []
    store.watch(SVC, {resourceVersion: store.resourceVersion()}, (e) => events.push(e.type))
    const rv = store.resourceVersion()
    // Same content, different key order.
    store.mutate(SVC, 'default', 'a', (o) => {
      o.spec = {replicas: 1, model: {name: 'm'}}
    })
    expect(store.resourceVersion()).toBe(rv)
    expect(events).toEqual([])
  })

  it('does not write a status update that changes nothing', () => {
    const {store} = setup()
    store.create(svc('a'))
    const first = store.mutate(SVC, 'default', 'a', (o) => {
      o.status = {status: 'Running', conditions: [{type: 'Ready', status: 'True'}]}
    }, {subresource: 'status'})
    const again = store.mutate(SVC, 'default', 'a', (o) => {
      o.status = {conditions: [{status: 'True', type: 'Ready'}], status: 'Running'}
    }, {subresource: 'status'})
    expect(again).toBe(first)
  })

  it('keeps only the newest core/v1 Events per namespace', () => {
    const clock = new VirtualClock()
    const store = createStore({clock, maxEventsPerNamespace: 3})
    for (let i = 0; i < 5; i++) store.create({apiVersion: 'v1', kind: 'Event', metadata: {name: `e${i}`, namespace: 'default'}, reason: 'R'})
    expect(store.list({group: '', plural: 'events'}).items.map((e) => e.metadata.name)).toEqual(['e2', 'e3', 'e4'])
  })

  it('mutateWithStatus writes spec and status in one commit, recorded for no field manager', () => {
    const {store} = setup()
    const a = store.create(svc('a'), {fieldManager: 'kubectl'})
    const types: string[] = []
    store.watch(SVC, {resourceVersion: store.resourceVersion()}, (e) => types.push(e.type))
    const b = store.mutateWithStatus(SVC, 'default', 'a', (o) => {
      o.spec = {model: {name: 'm'}, replicas: 2}
      o.status = {status: 'Pending'}
    })
    expect(b.spec).toEqual({model: {name: 'm'}, replicas: 2})
    expect(b.status).toEqual({status: 'Pending'})
    expect(b.metadata.generation).toBe(2)
    expect(b.metadata.resourceVersion).toBe(String(Number(a.metadata.resourceVersion) + 1))
    expect(types).toEqual(['MODIFIED'])
    expect(b.metadata.managedFields).toEqual(a.metadata.managedFields)
    // Unchanged: no write. Invalid: 422, nothing stored. Missing: 404.
    expect(store.mutateWithStatus(SVC, 'default', 'a', (o) => ({...o}))).toBe(b)
    expect(caught(() => store.mutateWithStatus(SVC, 'default', 'a', (o) => void (o.spec = {replicas: 'two'}))).code).toBe(422)
    expect(store.mustGet(SVC, 'default', 'a')).toBe(b)
    expect(caught(() => store.mutateWithStatus(SVC, 'default', 'zzz', () => undefined)).code).toBe(404)
  })

  it('mutate passes a mutable copy and accepts a returned object', () => {
    const {store} = setup()
    store.create(svc('a'))
    const r = store.mutate(SVC, 'default', 'a', (o) => ({...o, spec: {model: {name: 'm'}, replicas: 7}}))
    expect(r.spec).toMatchObject({model: {name: 'm'}, replicas: 7})
    expect(caught(() => store.mutate(SVC, 'default', 'zzz', () => undefined)).code).toBe(404)
  })
})

describe('store: list', () => {
  it('lists sorted by namespace and name, with label and field selectors', () => {
    const {store} = setup()
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})
    for (const [ns, name, labels] of [
      ['default', 'b', {app: 'x', tier: 'web'}],
      ['default', 'a', {app: 'y'}],
      ['other', 'a', {app: 'x'}],
    ] as const) {
      store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: ns, labels}, spec: {nodeName: name === 'a' ? 'n1' : 'n2'}})
    }
    const names = (opts: Parameters<typeof store.list>[1]) => store.list(PODS, opts).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    expect(names({})).toEqual(['default/a', 'default/b', 'other/a'])
    expect(names({namespace: 'default'})).toEqual(['default/a', 'default/b'])
    expect(names({labelSelector: 'app=x'})).toEqual(['default/b', 'other/a'])
    expect(names({labelSelector: 'app==x,tier'})).toEqual(['default/b'])
    expect(names({labelSelector: 'tier!=web'})).toEqual(['default/a', 'other/a'])
    expect(names({labelSelector: 'app in (y, z)'})).toEqual(['default/a'])
    expect(names({labelSelector: 'app notin (y)'})).toEqual(['default/b', 'other/a'])
    expect(names({labelSelector: '!tier'})).toEqual(['default/a', 'other/a'])
    expect(names({fieldSelector: 'spec.nodeName=n1'})).toEqual(['default/a', 'other/a'])
    expect(names({fieldSelector: 'metadata.name=a,metadata.namespace!=default'})).toEqual(['other/a'])
    expect(names({fieldSelector: 'status.phase!=Failed'})).toEqual(['default/a', 'default/b', 'other/a'])
  })

  it('answers unsupported field labels and malformed selectors with 400', () => {
    const {store} = setup()
    const e = caught(() => store.list(SVC, {fieldSelector: 'spec.model=x'}))
    expect(e.code).toBe(400)
    expect(e.message).toBe('field label not supported: spec.model')
    expect(caught(() => store.list(SVC, {labelSelector: 'a in (b'})).code).toBe(400)
  })

  it('pages with limit and continue', () => {
    const {store} = setup()
    for (let i = 0; i < 5; i++) store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `c${i}`, namespace: 'default'}})
    const first = store.list(CM, {limit: 2})
    expect(first.items.map((c) => c.metadata.name)).toEqual(['c0', 'c1'])
    expect(first.continue).toBeTruthy()
    const second = store.list(CM, {limit: 2, continue: first.continue})
    expect(second.items.map((c) => c.metadata.name)).toEqual(['c2', 'c3'])
    const third = store.list(CM, {limit: 2, continue: second.continue})
    expect(third.items.map((c) => c.metadata.name)).toEqual(['c4'])
    expect(third.continue).toBeUndefined()
  })

  it('filters events by involvedObject fields', () => {
    const {store} = setup()
    const ev = (name: string, kind: string, obj: string) =>
      store.create({apiVersion: 'v1', kind: 'Event', metadata: {name, namespace: 'default'}, involvedObject: {kind, name: obj, namespace: 'default'}, reason: 'R', type: 'Normal'})
    ev('e1', 'AIMService', 'a')
    ev('e2', 'AIMService', 'b')
    ev('e3', 'Pod', 'a')
    const items = store.list({group: '', plural: 'events'}, {namespace: 'default', fieldSelector: 'involvedObject.kind=AIMService,involvedObject.name=a'}).items
    expect(items.map((e) => e.metadata.name)).toEqual(['e1'])
  })
})

import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {KubeEventRecorder} from '../../../simulator/controllers/runtime.js'
import {createStore, type SimStore, type Store, type WatchEvent} from '../../../simulator/store/index.js'
import {isPlainJson} from '../../../simulator/store/util.js'
import {jsonCopy} from '../../../src/api/validation.js'

const EVENTS = {group: '', plural: 'events'}

/** Two stores on the same seed and clock; every watch event of each, as JSON text (key order shows). */
function twin(maxEventsPerNamespace = 1000) {
  const clock = new VirtualClock()
  const make = () => {
    const store = createStore({clock, seed: 'owned', maxEventsPerNamespace})
    const log: string[] = []
    store.watchAll((ev: WatchEvent, info, old) => log.push(JSON.stringify([ev.type, info.plural, ev.object, old])))
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'team'}})
    return {store, log}
  }
  return {clock, general: make(), owned: make()}
}

/** The outcome of a write, as JSON text: the object written, or the error thrown. */
function outcome(fn: () => KubeObject): string {
  try {
    return JSON.stringify({ok: fn()})
  } catch (e) {
    return JSON.stringify({error: e instanceof Error ? e.message : String(e), status: (e as {status?: unknown}).status})
  }
}

/** A small deterministic generator (the cases must be the same on every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 0x1_0000_0000
  }
}

/** Events of many shapes, including ones the fast path must hand to the general one. */
function eventCases(count: number): Array<() => KubeObject> {
  const random = lcg(7)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const cases: Array<() => KubeObject> = []
  for (let i = 0; i < count; i++) {
    const shape = i % 10
    // Drawn once per case: each case builds the same event every time it is called.
    const kind = pick(['Pod', 'Node', 'PersistentVolumeClaim'])
    const [hasNamespace, hasUid, hasFieldPath, kubelet] = [random() < 0.8, random() < 0.7, random() < 0.3, random() < 0.5]
    const reason = pick(['Scheduled', 'Pulled', 'Started', 'FailedMount'])
    const type = pick(['Normal', 'Warning'])
    cases.push(() => {
      const involved: Record<string, unknown> = {apiVersion: 'v1', kind, name: `obj-${i % 37}`}
      if (hasNamespace) involved.namespace = 'team'
      if (hasUid) involved.uid = `uid-${i % 37}`
      if (hasFieldPath) involved.fieldPath = 'spec.containers{main}'
      const event: Record<string, unknown> = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {name: `obj-${i % 37}.${(1_000_000 + i).toString(16)}`, namespace: 'team'},
        involvedObject: involved,
        reason,
        message: `message ${i}`,
        type,
        count: 1 + (i % 3),
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:00:00Z',
        source: kubelet ? {component: 'kubelet', host: `node-${i % 5}`} : {component: 'aim-engine'},
        reportingComponent: 'aim-engine',
        reportingInstance: '',
      }
      const meta = event.metadata as Record<string, unknown>
      if (shape === 1) involved.name = undefined // undefined members: dropped by the copy
      if (shape === 2) event.count = Number.NaN // not JSON-normal: null in the copy
      if (shape === 3) meta.name = `${'x'.repeat(250)}.${i}` // too long a name: 422
      if (shape === 4) delete meta.namespace // namespaced kind without a namespace: 422
      if (shape === 5) meta.labels = {app: 'x', 'bad key!': 'y'} // an invalid label key: 422
      if (shape === 6) event.eventTime = new Date(Date.UTC(2026, 0, 1, 0, 0, i)) // toJSON: a string in the copy
      if (shape === 7) meta.name = `obj-${i % 37}.dup` // the same name again: 409 after the first
      if (shape === 8) {
        delete meta.name
        meta.generateName = `obj-${i % 37}-`
      }
      if (shape === 9) event.related = [{kind: 'Pod', name: 'p'}, null, 'x']
      return event as KubeObject
    })
  }
  return cases
}

describe('store: createOwned', () => {
  it('gives what create gives, for events of every shape (valid, invalid, not plain JSON), watch events included', () => {
    const {clock, general, owned} = twin(50)
    for (const [i, make] of eventCases(600).entries()) {
      if (i % 40 === 0) void clock.advance(1000)
      const a = outcome(() => general.store.create(make()))
      const b = outcome(() => owned.store.createOwned(make()))
      expect(b).toBe(a)
    }
    expect(JSON.stringify(owned.store.dump())).toBe(JSON.stringify(general.store.dump()))
    // Beyond the JSON text (which hides undefined members, NaN and Dates): the very same values.
    expect(sameShape(owned.store.dump(), general.store.dump())).toBe(true)
    expect(owned.log).toEqual(general.log)
    // The cap of 50 per namespace deleted the oldest in both.
    expect(owned.store.list(EVENTS, {namespace: 'team'}).items).toHaveLength(50)
  })

  it('gives what create gives for other kinds (defaults applied, the input left as it was)', () => {
    const {general, owned} = twin()
    const deployment = (): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web', namespace: 'team'},
      spec: {selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'i'}]}}},
    })
    const input = deployment()
    const a = outcome(() => general.store.create(deployment()))
    const b = outcome(() => owned.store.createOwned(input))
    expect(b).toBe(a)
    expect(input).toEqual(deployment())
    expect(JSON.parse(b).ok.spec.replicas).toBe(1)
    expect(owned.log).toEqual(general.log)
  })

  it('keeps a plain event it is handed (frozen, as stored) rather than copying it', () => {
    const {owned} = twin()
    const event = eventCases(1)[0]!()
    const stored = owned.store.createOwned(event)
    expect(stored).toBe(event)
    expect(Object.isFrozen(stored.involvedObject)).toBe(true)
  })
})

describe('isPlainJson', () => {
  it('is true exactly where jsonCopy gives back an equal value with the same keys in the same order', () => {
    const values: unknown[] = [
      'a',
      1,
      0,
      -1.5,
      true,
      null,
      {},
      [],
      {a: 1, b: [1, 'x', null, {c: true}]},
      Object.freeze({a: Object.freeze([1])}),
      Object.assign(Object.create(null) as object, {a: 1}),
      Number.NaN,
      Number.POSITIVE_INFINITY,
      undefined,
      {a: undefined},
      [undefined],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
      {a: () => 1},
      new Date(0),
      {toJSON: () => 1},
      new Map(),
      {a: Symbol('s')},
      {a: 1n},
    ]
    for (const v of values) {
      let same: boolean
      try {
        same = v !== undefined && JSON.stringify(jsonCopy(v)) === JSON.stringify(v) && sameShape(jsonCopy(v), v)
      } catch {
        same = false
      }
      expect([v, isPlainJson(v)]).toEqual([v, same])
    }
  })
})

/** Same keys (own, in order, including undefined members) all the way down. */
function sameShape(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Object.getPrototypeOf(b) !== Object.prototype && Object.getPrototypeOf(b) !== null && !Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (Array.isArray(b) && b.length !== kb.length) return false
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

describe('KubeEventRecorder', () => {
  /** The store without createOwned: the recorder falls back to create. */
  function withoutCreateOwned(store: SimStore): Store {
    return new Proxy(store, {
      get: (target, key) => (key === 'createOwned' ? undefined : (Reflect.get(target, key, target) as unknown)),
    })
  }

  it('records the same events through createOwned as through create (names, counts, the cap, watch events)', () => {
    const {clock, general, owned} = twin(40)
    const viaCreate = new KubeEventRecorder(withoutCreateOwned(general.store), clock)
    const viaOwned = new KubeEventRecorder(owned.store, clock)
    const random = lcg(11)
    const pods: KubeObject[] = []
    for (let i = 0; i < 12; i++) {
      const pod: KubeObject = {apiVersion: 'v1', kind: 'Pod', metadata: {name: `pod-${i}`, namespace: 'team'}, spec: {containers: [{name: 'c', image: 'i'}], nodeName: `node-${i % 3}`}}
      expect(outcome(() => owned.store.create(pod))).toBe(outcome(() => general.store.create(pod)))
      pods.push(owned.store.get({group: '', plural: 'pods'}, 'team', `pod-${i}`)!)
    }
    const nodeless: KubeObject = {apiVersion: 'v1', kind: 'Node', metadata: {name: 'node-0'}}
    const unnamed: KubeObject = {apiVersion: 'v1', kind: 'Pod', metadata: {namespace: 'team'}}
    for (let i = 0; i < 800; i++) {
      if (i % 25 === 0) void clock.advance(500)
      const regarding = i % 97 === 0 ? unnamed : i % 13 === 0 ? nodeless : pods[Math.floor(random() * pods.length)]!
      const type = random() < 0.8 ? 'Normal' : 'Warning'
      const reason = ['Scheduled', 'Pulling', 'Pulled', 'Started'][Math.floor(random() * 4)]!
      const message = random() < 0.5 ? `repeated ${Math.floor(random() * 4)}` : `unique ${i}`
      const component = random() < 0.5 ? 'kubelet' : undefined
      const fieldPath = random() < 0.3 ? 'spec.containers{c}' : undefined
      viaCreate.event(regarding, type, reason, message, component, fieldPath)
      viaOwned.event(regarding, type, reason, message, component, fieldPath)
    }
    expect(JSON.stringify(owned.store.dump())).toBe(JSON.stringify(general.store.dump()))
    expect(sameShape(owned.store.dump(), general.store.dump())).toBe(true)
    expect(owned.log).toEqual(general.log)
    const events = owned.store.list(EVENTS, {namespace: 'team'}).items
    expect(events).toHaveLength(40)
    expect(events.some((e) => (e.count as number) > 1)).toBe(true)
  })
})

describe('store: the per-namespace event cap', () => {
  it('keeps the newest events by last write, through count bumps, deletes and long runs of updates', () => {
    const cap = 20
    const clock = new VirtualClock()
    const store = createStore({clock, seed: 'cap', maxEventsPerNamespace: cap})
    for (const name of ['a', 'b']) store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name}})
    // The reference: per namespace, name → resourceVersion of its last write; the cap drops the lowest.
    const model = new Map<string, Map<string, number>>([
      ['a', new Map()],
      ['b', new Map()],
    ])
    const random = lcg(3)
    let n = 0
    for (let step = 0; step < 9000; step++) {
      // Namespace b stays under the cap: its commit order only ever sees updates and deletes.
      const ns = step % 3 === 0 ? 'b' : 'a'
      const names = model.get(ns)!
      const roll = random()
      if (roll < 0.4 && (ns === 'a' || names.size < cap - 1)) {
        const name = `e-${n++}`
        const stored = store.createOwned({apiVersion: 'v1', kind: 'Event', metadata: {name, namespace: ns}, involvedObject: {kind: 'Pod', name: `p-${n % 5}`}, count: 1})
        names.set(name, Number(stored.metadata.resourceVersion))
        if (names.size > cap) {
          const oldest = [...names].sort((x, y) => x[1] - y[1]).slice(0, names.size - cap)
          for (const [gone] of oldest) names.delete(gone)
        }
      } else if (roll < 0.95 && names.size > 0) {
        const name = [...names.keys()][Math.floor(random() * names.size)]!
        const stored = store.mutate(EVENTS, ns, name, (ev) => {
          ev.count = (ev.count as number) + 1
        })
        names.set(name, Number(stored.metadata.resourceVersion))
      } else if (names.size > 0) {
        const name = [...names.keys()][Math.floor(random() * names.size)]!
        store.delete(EVENTS, ns, name)
        names.delete(name)
      }
      if (step % 50 === 0 || step > 8900) {
        for (const [mns, mnames] of model) {
          expect(store.list(EVENTS, {namespace: mns}).items.map((e) => e.metadata.name).sort()).toEqual([...mnames.keys()].sort())
        }
      }
    }
    // Involved-object lookups stay in step with what is stored.
    const items = store.list(EVENTS, {namespace: 'a', fieldSelector: 'involvedObject.name=p-1'}).items
    expect(items.map((e) => e.metadata.name)).toEqual(
      store
        .list(EVENTS, {namespace: 'a'})
        .items.filter((e) => (e.involvedObject as {name: string}).name === 'p-1')
        .map((e) => e.metadata.name),
    )
  })
})

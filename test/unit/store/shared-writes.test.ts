/**
 * Updates share what they leave as stored (status writes copy the status once against the stored one;
 * other updates default a copy that shares the stored object's equal parts). Same writes through a
 * store doing the full copy (sharedWrites: false) must give byte-identical results, watch events and
 * errors; and applyDefaults over a stored object must equal applyDefaults of a full copy.
 */
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {applyDefaults} from '../../../src/api/validation.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'
import {clone, deepFreeze} from '../../../simulator/store/util.js'
// The simulator's own seeded PRNG (mulberry32): a failure reproduces.
import {seededRandom} from '../../../simulator/controllers/runtime.js'

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!

function randomContainer(r: () => number, name: string): Record<string, unknown> {
  const limits = r() < 0.6 ? {'amd.com/gpu': pick(r, [1, 2, '1']), ...(r() < 0.5 ? {cpu: '4'} : {})} : undefined
  const requests = r() < 0.4 ? {cpu: pick(r, ['1', '2'])} : undefined
  return {
    name,
    image: pick(r, ['img:1', 'img:2']),
    ...(limits || requests ? {resources: {...(limits ? {limits} : {}), ...(requests ? {requests} : {})}} : {}),
    ...(r() < 0.4 ? {env: [{name: 'A', value: pick(r, ['1', '2'])}]} : {}),
  }
}

function randomPodSpec(r: () => number): Record<string, unknown> {
  return {
    containers: ['main', 'side'].filter((_, i) => i === 0 || r() < 0.4).map((n) => randomContainer(r, n)),
    ...(r() < 0.3 ? {nodeName: pick(r, ['n1', 'n2'])} : {}),
    ...(r() < 0.3 ? {restartPolicy: pick(r, ['Always', 'Never'])} : {}),
  }
}

function randomConditions(r: () => number): Array<Record<string, unknown>> {
  return ['Ready', 'Scheduled', 'CacheReady']
    .filter(() => r() < 0.7)
    .map((type) => ({type, status: pick(r, ['True', 'False', 'Unknown']), reason: pick(r, ['A', 'B']), ...(r() < 0.5 ? {message: pick(r, ['m1', 'm2'])} : {})}))
}

/**
 * A change to a mutable draft: small edits (most parts stay as stored) or a whole new part. Every
 * random choice is made here, so the change does the same to each store's draft.
 */
function randomChange(r: () => number, kind: string, status: boolean): (o: KubeObject) => void {
  const x = r()
  if (status) {
    if (x < 0.3) {
      const next = {phase: pick(r, ['Pending', 'Running']), conditions: randomConditions(r)}
      return (o) => void (o.status = clone(next))
    }
    if (x < 0.5) return () => {}
    if (x < 0.6) {
      const bad = kind === 'AIMService' ? {status: pick(r, ['Pending', 'Running', 5])} : {phase: 7}
      return (o) => void (o.status = clone(bad))
    }
    const conditions = randomConditions(r)
    const dropPhase = r() < 0.3
    return (o) => {
      const s = (o.status ?? {}) as Record<string, unknown>
      s.conditions = clone(conditions)
      if (dropPhase) delete s.phase
      o.status = s
    }
  }
  if (kind === 'Pod') {
    if (x < 0.3) {
      const node = pick(r, ['n1', 'n2', 'n3'])
      return (o) => void ((o.spec as Record<string, unknown>).nodeName = node)
    }
    if (x < 0.5) {
      const spec = randomPodSpec(r)
      return (o) => void (o.spec = clone(spec))
    }
    if (x < 0.7) {
      const c = randomContainer(r, 'main')
      return (o) => void ((o.spec as {containers: unknown[]}).containers[0] = clone(c))
    }
    if (x < 0.85) {
      const [k, v] = [pick(r, ['a', 'b']), pick(r, ['1', '2'])]
      return (o) => void (o.metadata.labels = {...(o.metadata.labels ?? {}), [k]: v})
    }
    const finalizers = r() < 0.5 ? ['x/y'] : []
    return (o) => void (o.metadata.finalizers = [...finalizers])
  }
  if (x < 0.4) {
    const replicas = pick(r, [1, 2, null, undefined, 'two'])
    return (o) => void ((o.spec as Record<string, unknown>).replicas = replicas)
  }
  if (x < 0.7) {
    const note = pick(r, ['1', '2'])
    return (o) => void (o.metadata.annotations = {note})
  }
  const model = pick(r, ['m', 'n'])
  return (o) => void ((o.spec as {model: unknown}).model = {name: model})
}

function outcome(fn: () => KubeObject): string {
  try {
    return JSON.stringify(fn())
  } catch (e) {
    return `error ${(e as Error).message}`
  }
}

describe('store: shared writes give the same results as full copies', () => {
  it('over random status and spec writes to pods and AIMServices (objects, errors, watch events)', () => {
    const r = seededRandom('shared-writes')
    const stores: SimStore[] = [true, false].map((sharedWrites) => createStore({clock: new VirtualClock(), seed: 's', sharedWrites}))
    const events: string[][] = [[], []]
    stores.forEach((s, i) => s.watchAll((ev) => events[i]!.push(`${ev.type} ${JSON.stringify(ev.object)}`)))
    const refs = {Pod: {group: '', plural: 'pods'}, AIMService: {group: 'aim.eai.amd.com', plural: 'aimservices'}}
    for (const s of stores) {
      for (let i = 0; i < 4; i++) {
        s.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: `p${i}`, namespace: 'default', labels: {app: 'x'}}, spec: randomPodSpec(seededRandom(`pod${i}`))}, {fieldManager: 'creator'})
        s.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: `s${i}`, namespace: 'default'}, spec: {model: {name: 'm'}}})
      }
    }
    for (let step = 0; step < 1500; step++) {
      const kind = r() < 0.5 ? 'Pod' : 'AIMService'
      const name = `${kind === 'Pod' ? 'p' : 's'}${Math.floor(r() * 4)}`
      const status = r() < 0.6
      const manager = pick(r, [undefined, 'kubelet', 'scheduler', 'creator'])
      const change = randomChange(r, kind, status)
      const options = {...(status ? {subresource: 'status' as const} : {}), ...(manager ? {fieldManager: manager} : {})}
      const [a, b] = stores.map((s) => outcome(() => s.mutate(refs[kind], 'default', name, change, options)))
      expect(a).toBe(b)
      if (r() < 0.1) {
        // A PUT of the stored object with one change (update(), not mutate()).
        const app = pick(r, ['x', 'y'])
        const [x, y] = stores.map((s) => {
          const obj = clone(s.get(refs[kind], 'default', name)!)
          return outcome(() => s.update({...obj, metadata: {...obj.metadata, labels: {app}}}, manager ? {fieldManager: manager} : {}))
        })
        expect(x).toBe(y)
      }
    }
    expect(events[0]!.length).toBeGreaterThan(500)
    expect(events[0]).toEqual(events[1])
  })

  it('applyDefaults over a stored object equals applyDefaults of a full copy', () => {
    const r = seededRandom('defaults-over')
    const pod = registry.kinds.find((k) => k.group === '' && k.kind === 'Pod')!
    const svc = registry.kinds.find((k) => k.group === 'aim.eai.amd.com' && k.kind === 'AIMService')!
    for (let i = 0; i < 1000; i++) {
      const isPod = r() < 0.5
      const info = isPod ? pod : svc
      const base: KubeObject = isPod
        ? {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'd'}, spec: randomPodSpec(r)}
        : {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 's', namespace: 'd'}, spec: {model: {name: 'm'}, ...(r() < 0.5 ? {replicas: 2} : {})}}
      const stored = deepFreeze(applyDefaults(info, base))
      const draft = clone(stored)
      randomChange(r, isPod ? 'Pod' : 'AIMService', false)(draft)
      expect(JSON.stringify(applyDefaults(info, draft, stored))).toBe(JSON.stringify(applyDefaults(info, draft)))
    }
  })
})

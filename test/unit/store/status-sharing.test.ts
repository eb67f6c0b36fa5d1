import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore} from '../../../simulator/store/index.js'
import {deepFreeze} from '../../../simulator/store/util.js'
import {jsonCopy, jsonCopyShared} from '../../../src/api/validation.js'
// The simulator's own seeded PRNG (mulberry32): a failure reproduces.
import {seededRandom} from '../../../simulator/controllers/runtime.js'

const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
type Status = {status?: string; conditions?: Array<Record<string, unknown>>; resolvedModel?: Record<string, unknown>}

function setup() {
  const store = createStore({clock: new VirtualClock(), seed: 'share'})
  store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'a', namespace: 'default'}, spec: {model: {name: 'm'}}})
  const write = (status: Status) => store.mutate(SVC, 'default', 'a', (o: KubeObject) => {
    o.status = status
  }, {subresource: 'status'})
  return {store, write}
}

const cond = (type: string, status: string, reason: string) => ({type, status, reason, message: `${type} is ${reason}`, lastTransitionTime: '2026-01-01T00:00:00Z'})

describe('store: status writes share what they leave as stored', () => {
  it('an equal part of a new status is the stored frozen part; changed parts are new; the result equals a fresh copy', () => {
    const {write} = setup()
    const first = write({status: 'Pending', conditions: [cond('Ready', 'False', 'Waiting'), cond('CacheReady', 'False', 'Waiting')], resolvedModel: {name: 'm'}})
    const s1 = first.status as Status
    const second = write({status: 'Running', conditions: [cond('Ready', 'False', 'Waiting'), cond('CacheReady', 'True', 'Ready')], resolvedModel: {name: 'm'}})
    const s2 = second.status as Status
    expect(s2).toEqual({status: 'Running', conditions: [cond('Ready', 'False', 'Waiting'), cond('CacheReady', 'True', 'Ready')], resolvedModel: {name: 'm'}})
    expect(s2.resolvedModel).toBe(s1.resolvedModel)
    expect(s2.conditions).not.toBe(s1.conditions)
    expect(s2.conditions![0]).toBe(s1.conditions![0])
    expect(s2.conditions![1]).not.toBe(s1.conditions![1])
    expect(Object.isFrozen(s2.conditions![1])).toBe(true)
  })

  it('does not share a part whose keys come in another order (the write keeps its own order)', () => {
    const {write} = setup()
    const s1 = write({status: 'Pending', resolvedModel: {name: 'm', kind: 'AIMModel'}}).status as Status
    const s2 = write({status: 'Running', resolvedModel: {kind: 'AIMModel', name: 'm'}}).status as Status
    expect(s2.status).toBe('Running')
    expect(s2.resolvedModel).not.toBe(s1.resolvedModel)
    expect(Object.keys(s2.resolvedModel!)).toEqual(['kind', 'name'])
  })

  it('still validates the parts a status write changes', () => {
    const {write} = setup()
    write({status: 'Pending', conditions: [cond('Ready', 'False', 'Waiting')]})
    let error: unknown
    try {
      write({status: 'Pending', conditions: [cond('Ready', 'False', 'Waiting'), {...cond('CacheReady', 'False', 'Waiting'), status: 5}]})
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe(422)
    expect((error as ApiError).message).toContain('status.conditions[1].status')
  })
})

describe('jsonCopyShared', () => {
  it('gives what jsonCopy gives (same JSON text, so same key order) over 3000 random values and edits of a frozen previous value', () => {
    const rand = seededRandom('7')
    const KEYS = ['a', 'b', 'c', 'd']
    const value = (depth: number): unknown => {
      const r = rand()
      if (depth > 3 || r < 0.3) return pick([1, 'x', true, null, undefined, 2.5])
      if (r < 0.55) return Array.from({length: Math.floor(rand() * 4)}, () => value(depth + 1))
      const o: Record<string, unknown> = {}
      for (const k of KEYS) if (rand() < 0.6) o[k] = value(depth + 1)
      return o
    }
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!
    // An edit of prev: a copy sharing or changing parts of it, sometimes with keys reordered or dropped.
    const edit = (prev: unknown): unknown => {
      const r = rand()
      if (r < 0.25) return prev
      if (r < 0.4) return value(2)
      if (Array.isArray(prev)) {
        const out = prev.map((x) => edit(x))
        if (rand() < 0.2) out.push(value(3))
        if (rand() < 0.1) out.pop()
        return out
      }
      if (prev !== null && typeof prev === 'object') {
        let entries = Object.entries(prev).map(([k, x]) => [k, edit(x)] as [string, unknown])
        if (rand() < 0.2) entries = entries.reverse()
        if (rand() < 0.2) entries = entries.slice(1)
        if (rand() < 0.2) entries.push([pick(KEYS), value(3)])
        return Object.fromEntries(entries)
      }
      return rand() < 0.5 ? prev : value(3)
    }
    let shared = 0
    for (let i = 0; i < 3000; i++) {
      const prev = deepFreeze(jsonCopy(value(0)))
      const next = edit(prev)
      const got = jsonCopyShared(next, prev)
      expect(JSON.stringify(got)).toBe(JSON.stringify(jsonCopy(next)))
      if (got === prev && prev !== null && typeof prev === 'object') shared++
    }
    expect(shared).toBeGreaterThan(300)
  })
})

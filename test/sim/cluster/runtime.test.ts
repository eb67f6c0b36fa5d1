import {describe, expect, it} from 'vitest'
import {seededRandom} from '../../../simulator/controllers/runtime.js'
import type {ObjectKey} from '../../../simulator/controllers/types.js'
import type {KubeObject} from '../../../src/api/object.js'
import {startRuntime} from './helpers.js'
import {errors} from '../../../src/api/status.js'

const cms = {group: '', plural: 'configmaps'}
const secrets = {group: '', plural: 'secrets'}

function cm(name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default', ...(extra.metadata ?? {})}, data: {a: '1'}}
}

const setup = startRuntime

describe('controller runtime', () => {
  it('deduplicates queued keys and reconciles each change', async () => {
    const seen: string[] = []
    const {store, manager} = setup([{name: 'r', for: cms, reconcile: (k) => void seen.push(k.name)}])
    store.create(cm('a'))
    store.mutate(cms, 'default', 'a', (o) => void ((o.data as Record<string, string>).a = '2'))
    store.create(cm('b'))
    await manager.idle()
    // a's two writes happened before the queue ran: one reconcile of a, one of b.
    expect(seen).toEqual(['a', 'b'])
    store.mutate(cms, 'default', 'b', (o) => void ((o.data as Record<string, string>).a = '3'))
    await manager.idle()
    expect(seen).toEqual(['a', 'b', 'b'])
    manager.stop()
  })

  it('requeues after a virtual delay; a sooner requeue wins and an event in between does not cancel it', async () => {
    const times: number[] = []
    const {store, clock, manager} = setup([
      {name: 'r', for: cms, reconcile: (_k, ctx) => {
        times.push(ctx.clock.now() - Date.UTC(2026, 0, 1))
        return times.length < 3 ? {requeueAfterMs: 10_000} : undefined
      }},
    ])
    store.create(cm('a'))
    await manager.settle(60_000)
    expect(times).toEqual([0, 10_000, 20_000])
    expect(clock.pendingTimers()).toBe(0)
    manager.stop()
  })

  it('keeps a pending requeue when a reconcile in between asks for none', async () => {
    const times: number[] = []
    const {store, clock, manager} = setup([
      {name: 'r', for: cms, reconcile: (_k, ctx) => {
        times.push(ctx.clock.now() - Date.UTC(2026, 0, 1))
        return times.length === 1 ? {requeueAfterMs: 10_000} : undefined
      }},
    ])
    store.create(cm('a'))
    await manager.idle()
    await clock.advance(3000)
    store.mutate(cms, 'default', 'a', (o) => void ((o.data as Record<string, string>).a = '2'))
    await manager.settle(60_000)
    expect(times).toEqual([0, 3000, 10_000])
    manager.stop()
  })

  it('backs off exponentially on errors (5 ms doubling, virtual) and resets on success', async () => {
    const times: number[] = []
    const {store, manager} = setup([
      {name: 'r', for: cms, reconcile: (_k, ctx) => {
        times.push(ctx.clock.now() - Date.UTC(2026, 0, 1))
        if (times.length <= 4) throw errors.internal('boom')
      }},
    ])
    store.create(cm('a'))
    await manager.settle(60_000)
    expect(times).toEqual([0, 5, 15, 35, 75])
    manager.stop()
  })

  it('enqueues the controller owner when an owned object changes, and maps watches', async () => {
    const owners: ObjectKey[] = []
    const watched: string[] = []
    const {store, manager} = setup([
      {name: 'owner', for: secrets, reconcile: (k) => void owners.push(k)},
      {name: 'watcher', for: secrets, watches: [{kind: cms, map: (o) => [{namespace: 'default', name: `w-${o.metadata.name}`}]}], reconcile: (k) => void watched.push(k.name)},
    ])
    const owner = store.create({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'parent', namespace: 'default'}})
    await manager.idle()
    owners.length = 0
    watched.length = 0
    store.create(cm('child', {metadata: {name: 'child', ownerReferences: [{apiVersion: 'v1', kind: 'Secret', name: 'parent', uid: owner.metadata.uid!, controller: true}]}} as Partial<KubeObject>))
    await manager.idle()
    expect(owners).toEqual([{namespace: 'default', name: 'parent'}])
    // Every reconciler of the owner's kind hears about its owned objects (as with Owns()).
    expect(watched).toEqual(['w-child', 'parent'])
    manager.stop()
  })

  it('runs at most one reconcile of a key at a time, even when the reconcile is async', async () => {
    let running = 0
    let maxRunning = 0
    const {store, manager} = setup([
      {name: 'r', for: cms, reconcile: async () => {
        running++
        maxRunning = Math.max(maxRunning, running)
        await new Promise((r) => setImmediate(r))
        running--
      }},
    ])
    store.create(cm('a'))
    await new Promise((r) => setImmediate(r))
    store.mutate(cms, 'default', 'a', (o) => void ((o.data as Record<string, string>).a = '9'))
    await manager.idle()
    expect(maxRunning).toBe(1)
    manager.stop()
  })

  it('has a seeded random()', () => {
    const a = seededRandom('x')
    const b = seededRandom('x')
    const c = seededRandom('y')
    const seq = [a(), a(), a()]
    expect([b(), b(), b()]).toEqual(seq)
    expect(c()).not.toBe(seq[0])
    expect(seq.every((v) => v >= 0 && v < 1)).toBe(true)
  })
})

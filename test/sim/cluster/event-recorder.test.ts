import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {KubeEventRecorder, seededRandom} from '../../../simulator/controllers/runtime.js'
import {createStore} from '../../../simulator/store/index.js'
import type {Store} from '../../../simulator/store/types.js'

const EVENTS = {group: '', plural: 'events'}

/** The recorder's contract written plainly (one joined key string per event): the reference for repeats. */
class FlatKeyRecorder {
  private readonly seen = new Map<string, {namespace: string; name: string}>()
  private counter = 0
  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
  ) {}
  event(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string, fieldPath?: string): void {
    const source = component ?? 'aim-engine'
    const meta = regarding.metadata
    const namespace = meta.namespace || 'default'
    const id = [regarding.apiVersion, regarding.kind, namespace, meta.name ?? '', meta.uid ?? '', fieldPath ?? '', type, reason, message, source].join('\u0000')
    const now = this.clock.nowISO()
    const existing = this.seen.get(id)
    try {
      if (existing && this.store.get(EVENTS, existing.namespace, existing.name)) {
        this.store.mutate(EVENTS, existing.namespace, existing.name, (ev) => {
          ev.count = ((ev.count as number | undefined) ?? 1) + 1
          ev.lastTimestamp = now
        })
        return
      }
      const involved: Record<string, unknown> = {apiVersion: regarding.apiVersion, kind: regarding.kind, name: meta.name}
      if (meta.namespace) involved.namespace = meta.namespace
      if (meta.uid) involved.uid = meta.uid
      if (meta.resourceVersion) involved.resourceVersion = meta.resourceVersion
      if (fieldPath) involved.fieldPath = fieldPath
      const name = `${meta.name}.${(BigInt(this.clock.now()) * 1_000_000n + BigInt(++this.counter)).toString(16)}`
      const sourceField: Record<string, string> = {component: source}
      const host = (regarding.spec as {nodeName?: string} | undefined)?.nodeName
      if (source === 'kubelet' && host) sourceField.host = host
      this.store.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {name, namespace},
        involvedObject: involved,
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: sourceField,
        reportingComponent: source,
        reportingInstance: sourceField.host ?? '',
      })
      this.seen.set(id, {namespace, name})
    } catch {
      // best effort
    }
  }
}

describe('KubeEventRecorder', () => {
  it('bumps the Event of a repeated (object, fieldPath, type, reason, message, component) and writes a new one otherwise, also after its Event is gone and after pruning', () => {
    const run = (recorder: 'new' | 'flat') => {
      const clock = new VirtualClock(Date.UTC(2026, 0, 1))
      const store = createStore({clock, seed: 'events'})
      for (const ns of ['a', 'b']) store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
      const rec = recorder === 'new' ? new KubeEventRecorder(store, clock) : new FlatKeyRecorder(store, clock)
      // Prune often, so that forgetting gone Events is exercised too.
      if (rec instanceof KubeEventRecorder) (rec as unknown as {pruneAt: number}).pruneAt = 4
      const random = seededRandom('recorder')
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
      const objects: KubeObject[] = []
      for (const ns of ['a', 'b']) {
        for (const name of ['p1', 'p2']) {
          for (const uid of ['u1', 'u2']) objects.push({apiVersion: 'v1', kind: 'Pod', metadata: {namespace: ns, name, uid: `${ns}-${name}-${uid}`}, spec: {nodeName: 'n1'}})
        }
      }
      objects.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {namespace: 'a', name: 'p1', uid: 'a-p1-u1'}})
      objects.push({apiVersion: 'v1', kind: 'Node', metadata: {name: 'n1'}})
      for (let i = 0; i < 600; i++) {
        if (random() < 0.3) clock.advance(1000)
        if (random() < 0.05) {
          const events = store.list(EVENTS).items
          if (events.length > 0) {
            const gone = pick(events)
            store.delete(EVENTS, gone.metadata.namespace, gone.metadata.name!)
          }
          continue
        }
        rec.event(pick(objects), pick(['Normal', 'Warning'] as const), pick(['Pulled', 'Started', 'BackOff']), pick(['m1', 'm2', `m${i % 3}`]), pick([undefined, 'kubelet']), pick([undefined, 'spec.containers{main}']))
      }
      return store.list(EVENTS).items.map((e) => JSON.stringify(e))
    }
    const flat = run('flat')
    expect(flat.length).toBeGreaterThan(20)
    expect(flat.some((e) => e.includes('"count":3'))).toBe(true)
    expect(run('new')).toEqual(flat)
  })
})

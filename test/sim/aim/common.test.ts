import type {ConditionDecision} from '../../../src/engine/types.js'
import {describe, expect, it} from 'vitest'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {deepEqual, frameworkLabels, isSubset, mergeConditions, planStatus, podHealthView, stripUndefined, type Obj} from '../../../simulator/controllers/aim/common.js'
import type {ReconcileContext} from '../../../simulator/controllers/types.js'

describe('mergeConditions', () => {
  const t0 = '2026-01-01T00:00:00Z'
  const t1 = '2026-01-01T00:01:00Z'

  it('moves lastTransitionTime only when status or reason changes, and never deletes conditions', () => {
    const first = mergeConditions(undefined, [{type: 'ModelReady', status: 'False', reason: 'CreatingModel', message: 'a'}, {type: 'Stale', status: 'True', reason: 'X', message: ''}], t0, 1)
    expect(first.transitions.map((t) => t.type)).toEqual(['ModelReady', 'Stale'])
    const second = mergeConditions(first.conditions, [{type: 'ModelReady', status: 'False', reason: 'CreatingModel', message: 'b'}], t1, 2)
    const model = second.conditions.find((c) => c.type === 'ModelReady')!
    expect(model).toMatchObject({message: 'b', lastTransitionTime: t0, observedGeneration: 2})
    expect(second.conditions.map((c) => c.type)).toEqual(['ModelReady', 'Stale'])
    const third = mergeConditions(second.conditions, [{type: 'ModelReady', status: 'True', reason: 'ModelResolved', message: 'c'}], t1, 2)
    expect(third.conditions.find((c) => c.type === 'ModelReady')!.lastTransitionTime).toBe(t1)
    expect(third.transitions).toEqual([{type: 'ModelReady', status: 'True', reason: 'ModelResolved', message: 'c'}])
  })

  it("orders this reconcile's decisions first, in their order, then earlier conditions in theirs; a type decided twice ends as the last decision", () => {
    const prev = mergeConditions(
      undefined,
      ['A', 'B', 'C', 'D'].map((type) => ({type, status: 'False', reason: 'Waiting', message: ''})),
      t0,
      1,
    ).conditions
    const next = mergeConditions(
      prev,
      [
        {type: 'E', status: 'True', reason: 'New', message: 'e'},
        {type: 'C', status: 'True', reason: 'Done', message: 'c'},
        {type: 'A', status: 'False', reason: 'Waiting', message: 'still'},
      ],
      t1,
      2,
    )
    expect(next.conditions.map((c) => [c.type, c.reason, c.lastTransitionTime])).toEqual([
      ['E', 'New', t1],
      ['C', 'Done', t1],
      ['A', 'Waiting', t0],
      ['B', 'Waiting', t0],
      ['D', 'Waiting', t0],
    ])
    expect(next.transitions.map((t) => t.type)).toEqual(['E', 'C', 'A'])
    const twice = mergeConditions(
      prev,
      [
        {type: 'B', status: 'True', reason: 'First', message: ''},
        {type: 'A', status: 'True', reason: 'Done', message: ''},
        {type: 'B', status: 'False', reason: 'Second', message: 'b'},
      ],
      t1,
      2,
    )
    expect(twice.conditions.map((c) => [c.type, c.reason])).toEqual([
      ['A', 'Done'],
      ['B', 'Second'],
      ['C', 'Waiting'],
      ['D', 'Waiting'],
    ])
    expect(twice.conditions.find((c) => c.type === 'B')!.lastTransitionTime).toBe(t1)
  })
})

describe('isSubset', () => {
  it('ignores fields the server added but not values that differ', () => {
    expect(isSubset({a: 1, b: {c: [1, {d: 'x'}]}}, {a: 1, z: 2, b: {c: [1, {d: 'x', e: 3}]}})).toBe(true)
    expect(isSubset({a: 1}, {a: 2})).toBe(false)
    expect(isSubset({c: [1, 2]}, {c: [1]})).toBe(false)
    expect(isSubset({q: '1'}, {q: 1})).toBe(true)
  })
})

describe('frameworkLabels', () => {
  it('adds managed-by and <ctrl>.name, copies aim.eai.amd.com/ parent labels, never overwrites child keys', () => {
    const parent = {apiVersion: 'v1', kind: 'X', metadata: {name: 'svc', labels: {'aim.eai.amd.com/service': 'other', team: 'a'}}}
    expect(frameworkLabels('service', parent, {'aim.eai.amd.com/service': 'mine'}, {team: 'a'})).toEqual({
      'aim.eai.amd.com/service': 'mine',
      'app.kubernetes.io/managed-by': 'aim-service-controller',
      'aim.eai.amd.com/service.name': 'svc',
      team: 'a',
    })
  })
})

describe('planStatus', () => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1))
  const ctx = {clock} as unknown as ReconcileContext
  const deepFrozen = <T>(v: T): T => {
    if (v && typeof v === 'object') {
      for (const x of Object.values(v)) deepFrozen(x)
      Object.freeze(v)
    }
    return v
  }
  const decided: ConditionDecision[] = [{type: 'Ready', status: 'True', reason: 'Done', message: 'ok'}]
  // What planStatus planned before it wrote JSON-normal statuses as they are: always the JSON copy.
  const reference = (obj: Obj, status: Record<string, unknown>) => {
    const {conditions} = mergeConditions(obj.status?.conditions, decided, clock.nowISO(), obj.metadata.generation)
    const next = stripUndefined({...status, observedGeneration: obj.metadata.generation, conditions})
    return deepEqual(obj.status ?? {}, next) ? undefined : next
  }
  const stored = (status: Record<string, unknown>): Obj =>
    deepFrozen({apiVersion: 'v1', kind: 'X', metadata: {name: 'x', generation: 2}, status: JSON.parse(JSON.stringify({...status, observedGeneration: 2, conditions: mergeConditions(undefined, decided, clock.nowISO(), 2).conditions}))})

  it('plans the JSON copy of the status, or nothing when that equals the stored one, whatever the status holds', () => {
    const base = {status: 'Running', replicas: 1, nested: {a: 'b', list: ['x', 'y']}}
    const statuses: Array<Record<string, unknown>> = [
      base,
      {...base, status: 'Pending'},
      {...base, gone: undefined},
      {...base, nested: {a: 'b', list: ['x', 'y'], skip: undefined}},
      {...base, replicas: Number.NaN},
      {...base, replicas: Infinity},
      {...base, nested: {a: 'b', list: ['x', undefined]}},
      {...base, nested: {a: 'b', list: ['x', 'y'], at: new Date(Date.UTC(2026, 0, 1))}},
      {...base, extra: [1, 2, {c: null}]},
      {...base, fn: () => 1},
      {...base, sparse: [, 'a']},
    ]
    const stores = [stored(base), stored({...base, replicas: null}), stored({...base, nested: {a: 'b', list: ['x', null]}}), stored({...base, sparse: [null, 'a']})]
    for (const obj of stores) {
      for (const status of statuses) {
        const plan = planStatus(ctx, obj, status, decided)
        const want = reference(obj, status)
        expect(plan.next === undefined).toBe(want === undefined)
        if (plan.next !== undefined) expect(JSON.stringify(stripUndefined(plan.next))).toBe(JSON.stringify(want))
      }
    }
  })
})

describe('podHealthView (kept per frozen pod)', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: 'p', namespace: 'ns'},
    status: {
      phase: 'Pending',
      conditions: [{type: 'PodScheduled', status: 'True'}, {type: 'Ready', status: 'False'}, {type: 'Ready', status: 'True'}],
      containerStatuses: [{ready: false, state: {waiting: {reason: 'ContainerCreating', message: 'm'}}}, {ready: true, state: {terminated: {exitCode: 0}}}],
    },
  } as unknown as Obj
  const plain = (p: Obj) => {
    const st = p.status ?? {}
    return JSON.stringify([
      st.phase,
      st.reason,
      st.message,
      (st.conditions ?? []).find((c: {type: string}) => c.type === 'Ready')?.status,
      (st.containerStatuses ?? []).map((c: any) => [c.ready, c.state?.waiting?.reason, c.state?.waiting?.message, c.state?.terminated]),
    ])
  }

  it('equals the view computed from scratch, for plain, frozen and status-less pods, on repeated calls', () => {
    const frozen = structuredClone(pod)
    const freeze = (v: unknown): unknown => {
      if (v && typeof v === 'object') {
        for (const k of Object.keys(v)) freeze((v as Record<string, unknown>)[k])
        Object.freeze(v)
      }
      return v
    }
    freeze(frozen)
    const bare = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'q'}} as Obj
    for (const p of [pod, frozen, bare, frozen, pod]) expect(podHealthView(p)).toBe(plain(p))
  })
})

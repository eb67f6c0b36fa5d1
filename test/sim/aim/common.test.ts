import {describe, expect, it} from 'vitest'
import {frameworkLabels, isSubset, mergeConditions} from '../../../simulator/controllers/aim/common.js'

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

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

/**
 * isJsonNormal skips the own-key test of each key when Object.prototype has no enumerable property
 * (then for-in lists own keys only). It must answer as the per-key definition (kept here) does, also
 * when something has added an enumerable property to Object.prototype.
 */
import {describe, expect, it} from 'vitest'
import {isJsonNormal} from '../../../src/api/validation.js'
// The simulator's own seeded PRNG (mulberry32): a failure reproduces.
import {seededRandom} from '../../../simulator/controllers/runtime.js'

function jsonNormal(v: unknown, inArray: boolean): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(v)
    case 'undefined':
      return !inArray
    case 'object': {
      if (v === null) return true
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonNormal(v[i], true)) return false
        return true
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return false
      const o = v as Record<string, unknown>
      if (typeof o.toJSON === 'function') return false
      for (const k in o) if (!Object.prototype.hasOwnProperty.call(o, k) || !jsonNormal(o[k], false)) return false
      return true
    }
    default:
      return false
  }
}

function randomValue(r: () => number, depth: number): unknown {
  const x = r()
  if (depth > 3 || x < 0.45) {
    const scalars: unknown[] = ['a', '', 1, -0, 2.5, true, null, undefined, NaN, Infinity, () => 1, Symbol('s'), new Date(0)]
    // Mostly JSON-normal scalars, so that whole values come out normal often enough.
    return r() < 0.8 ? scalars[Math.floor(r() * 7)] : scalars[Math.floor(r() * scalars.length)]
  }
  if (x < 0.65) {
    const out = Array.from({length: Math.floor(r() * 4)}, () => randomValue(r, depth + 1))
    if (r() < 0.05 && out.length > 0) delete out[0]
    return out
  }
  const out: Record<string, unknown> = r() < 0.1 ? (Object.create(null) as Record<string, unknown>) : r() < 0.05 ? (Object.create({inherited: 1}) as Record<string, unknown>) : {}
  for (const k of ['a', 'b', 'c']) if (r() < 0.5) out[k] = randomValue(r, depth + 1)
  return out
}

describe('isJsonNormal', () => {
  it('answers as the per-key definition over random values', () => {
    const r = seededRandom('json-normal')
    let normal = 0
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(r, 0)
      const want = jsonNormal(v, false)
      expect(isJsonNormal(v)).toBe(want)
      if (want) normal++
    }
    expect(normal).toBeGreaterThan(1000)
  })

  it('still finds an inherited enumerable key once Object.prototype has one', () => {
    const value = {a: 1, b: {c: 'x'}}
    expect(isJsonNormal(value)).toBe(true)
    Object.defineProperty(Object.prototype, 'polluted', {value: 1, enumerable: true, configurable: true, writable: true})
    try {
      expect(isJsonNormal(value)).toBe(jsonNormal(value, false))
      expect(isJsonNormal(value)).toBe(false)
      expect(isJsonNormal(Object.assign(Object.create(null), {a: 1}))).toBe(true)
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted']
    }
    expect(isJsonNormal(value)).toBe(true)
  })
})

/** Small helpers the store needs: structural equality, freezing, seeded ids. */
import {hash} from 'node:crypto'

/** Structural equality of JSON values (key order does not matter; undefined members are ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const arrA = Array.isArray(a)
  if (arrA !== Array.isArray(b)) return false
  if (arrA) {
    const x = a as unknown[]
    const y = b as unknown[]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i])) return false
    return true
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let countX = 0
  for (const k in x) {
    if (x[k] === undefined) continue
    countX++
    if (!deepEqual(x[k], y[k])) return false
  }
  let countY = 0
  for (const k in y) if (y[k] !== undefined) countY++
  return countX === countY
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const k in value as Record<string, unknown>) deepFreeze((value as Record<string, unknown>)[k])
  }
  return value
}

/** A mutable deep copy of a JSON value (also of frozen ones); undefined members are dropped. */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    const out = new Array(value.length)
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i])
    return out as T
  }
  const out: Record<string, unknown> = {}
  const src = value as Record<string, unknown>
  for (const k in src) {
    const v = src[k]
    if (v !== undefined) out[k] = clone(v)
  }
  return out as T
}

/** A UUID-shaped id derived from the seed and a counter (version 4 / RFC 4122 variant bits). */
export function seededUid(seed: string, counter: number): string {
  const h = hash('sha256', `${seed}\u0000uid\u0000${counter}`, 'hex')
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** The 5-character suffix generateName gets (kube's alphabet, seeded). */
export function seededSuffix(seed: string, counter: number): string {
  const bytes = hash('sha256', `${seed}\u0000name\u0000${counter}`, 'buffer')
  let out = ''
  for (let i = 0; i < 5; i++) out += SUFFIX_ALPHABET[bytes[i]! % SUFFIX_ALPHABET.length]
  return out
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const isoCache = new WeakMap<object, {at: number; iso: string}>()

/** clock.nowISO(), computed once per virtual instant (it is a pure function of clock.now()). */
export function nowISO(clock: {now(): number; nowISO(): string}): string {
  const at = clock.now()
  const hit = isoCache.get(clock)
  if (hit && hit.at === at) return hit.iso
  const iso = clock.nowISO()
  isoCache.set(clock, {at, iso})
  return iso
}

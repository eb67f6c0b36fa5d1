/** Small helpers the store needs: structural equality, freezing, seeded ids. */
import {hash} from 'node:crypto'
import {deepEqual} from '../../src/api/schema.js'

/** Structural equality of JSON values (key order does not matter; undefined members are ignored): src/api's. */
export {deepEqual}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) freezeBelow(value)
  return value
}

/** Freeze an unfrozen object and what it holds; scalars and frozen parts are skipped without a call. */
function freezeBelow(value: object): void {
  Object.freeze(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) freezeBelow(v)
    }
    return
  }
  const o = value as Record<string, unknown>
  for (const k in o) {
    const v = o[k]
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) freezeBelow(v)
  }
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

/**
 * Whether `obj` differs from `old` only in its status (and resourceVersion/managedFields), and not
 * in what `view` reads from it: a watcher that reads nothing else need not react.
 */
export function onlyStatusChangedBut<T extends {metadata?: unknown; status?: unknown}>(old: T, obj: T, view: (o: T) => unknown): boolean {
  const a = old as Record<string, unknown>
  const b = obj as Record<string, unknown>
  for (const k in b) if (k !== 'status' && k !== 'metadata' && a[k] !== b[k] && !deepEqual(a[k], b[k])) return false
  for (const k in a) if (k !== 'status' && k !== 'metadata' && !(k in b) && a[k] !== undefined) return false
  const am = (a['metadata'] ?? {}) as Record<string, unknown>
  const bm = (b['metadata'] ?? {}) as Record<string, unknown>
  for (const k in bm) if (k !== 'resourceVersion' && k !== 'managedFields' && am[k] !== bm[k] && !deepEqual(am[k], bm[k])) return false
  for (const k in am) if (k !== 'resourceVersion' && k !== 'managedFields' && !(k in bm) && am[k] !== undefined) return false
  return deepEqual(view(old), view(obj))
}

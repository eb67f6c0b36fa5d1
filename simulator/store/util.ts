/** Small helpers the store needs: structural equality, freezing, seeded ids. */
import {hash} from 'node:crypto'
import {deepEqual} from '../../src/api/schema.js'
import {isPlainJson} from '../../src/api/validation.js'
import {BoundedCache} from '../../src/memo.js'

/** Structural equality of JSON values (key order does not matter; undefined members are ignored): src/api's. */
export {deepEqual}

/** Whether a value is its own JSON copy (src/api's rule, next to jsonCopy): the store may keep it uncopied. */
export {isPlainJson}

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

/**
 * A UUID-shaped id derived from the seed and a counter (version 4 / RFC 4122 variant bits). Not a
 * cryptographic hash: the seed is hashed once, then each counter is mixed by the murmur3 finaliser
 * (a bijection of 32-bit words), ~10x cheaper than a sha256 per uid. The first 8 hex digits are a
 * bijection of the counter's low 32 bits, so the uids of counters below 2^32 are all distinct.
 */
export function seededUid(seed: string, counter: number): string {
  const keys = uidKeysOf(seed)
  const low = counter >>> 0
  const high = (counter - low) / 0x1_0000_0000
  const a = fmix32(low ^ keys[0]!)
  const b = fmix32(a ^ keys[1]! ^ Math.imul(high, 0x9e3779b1))
  const c = fmix32(b ^ keys[2]!)
  const d = fmix32(c ^ keys[3]!)
  const out = uidCodes
  putHex(out, a, 0, 8)
  putHex(out, b >>> 16, 9, 4)
  out[14] = 0x34 // '4': version 4
  putHex(out, b, 15, 3)
  out[19] = HEX_CODES[8 | (c >>> 30)]! // the RFC 4122 variant: 8, 9, a or b
  putHex(out, c >>> 16, 20, 3)
  putHex(out, c, 24, 4)
  putHex(out, d, 28, 8)
  // One flat string from the char codes (concatenating the parts would make a rope that every map
  // holding the uid flattens again).
  return String.fromCharCode.apply(null, out)
}

const HEX_CODES = Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0))
/** The uid being built, as char codes; the dashes stay in place between calls. */
const uidCodes: number[] = Array.from('00000000-0000-4000-8000-000000000000', (ch) => ch.charCodeAt(0))
const uidKeys = new BoundedCache<string, readonly number[]>(64)

/** Four 32-bit keys per seed, from sha256 of it (once per seed). */
function uidKeysOf(seed: string): readonly number[] {
  return uidKeys.get(seed, deriveUidKeys)
}

function deriveUidKeys(seed: string): readonly number[] {
  const bytes = hash('sha256', `${seed}\u0000uid`, 'buffer')
  return [bytes.readUInt32BE(0), bytes.readUInt32BE(4), bytes.readUInt32BE(8), bytes.readUInt32BE(12)]
}

/** murmur3's 32-bit finaliser: a bijection that mixes every input bit into every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The low `digits` hex digits of `word` into `out` at `at`. */
function putHex(out: number[], word: number, at: number, digits: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = HEX_CODES[word & 15]!
    word >>>= 4
  }
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

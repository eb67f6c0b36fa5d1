/**
 * Field ownership for server-side apply: FieldsV1 sets, `Apply` and `Update` managedFields
 * entries, conflict detection with kube-apiserver's wording, and the apply merge itself.
 *
 * Lists are atomic except the ones kube gives merge semantics: metadata.finalizers (set),
 * metadata.ownerReferences (map by uid) and, for built-in kinds, the well-known map lists
 * (containers, env, volumes, … by name; volumeMounts by mountPath; ports; conditions by type).
 * CRD lists are atomic, as for CRDs without x-kubernetes-list-type.
 */
import type {KubeObject, ManagedFieldsEntry} from '../../src/api/object.js'
import type {KindInfo} from '../../src/api/registry.js'
import {ApiError} from '../../src/api/status.js'
import {clone, deepEqual, isPlainObject} from './util.js'
import {BoundedCache} from '../../src/memo.js'

const SEP = '\u0000'
const DOT = '.'

type ListType = {t: 'atomic'} | {t: 'set'} | {t: 'map'; key: string}

const BUILTIN_MAP_LISTS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
}

const ATOMIC: ListType = {t: 'atomic'}
const SET: ListType = {t: 'set'}
const mapTypes = new Map<string, ListType>()

function listTypeOf(info: Pick<KindInfo, 'custom'>, path: string[], items: unknown[]): ListType {
  if (path.length === 2 && path[0] === 'f:metadata') {
    if (path[1] === 'f:finalizers') return SET
    if (path[1] === 'f:ownerReferences') return mapIfKeyed(items, 'uid')
    return ATOMIC
  }
  if (info.custom) return ATOMIC
  const last = path[path.length - 1]!.slice(2)
  if (last === 'ports') return mapIfKeyed(items, items.some(hasContainerPort) ? 'containerPort' : 'port')
  const key = BUILTIN_MAP_LISTS[last]
  return key ? mapIfKeyed(items, key) : ATOMIC
}

function mapIfKeyed(items: unknown[], key: string): ListType {
  if (mapKeyOf(items, key) === undefined) return ATOMIC
  let t = mapTypes.get(key)
  if (t === undefined) mapTypes.set(key, (t = {t: 'map', key}))
  return t
}

function keySeg(key: string, item: Record<string, unknown>): string {
  const v = item[key]
  if (typeof v !== 'string' && typeof v !== 'number') return keySegOf(key, v)
  // Cached per (key, value): the same segments come back on every write (and, as one string, they
  // are looked up in V8's string table once when used as property names).
  let byValue = keySegs.get(key)
  if (byValue === undefined) keySegs.set(key, (byValue = new Map()))
  let seg = byValue.get(v)
  if (seg === undefined) {
    seg = keySegOf(key, v)
    if (byValue.size >= 10_000) byValue.clear()
    byValue.set(v, seg)
  }
  return seg
}

const keySegs = new Map<string, Map<string | number, string>>()

function keySegOf(key: string, v: unknown): string {
  // = `k:${JSON.stringify({[key]: v})}` for a defined JSON value, without the object.
  return `k:{${JSON.stringify(key)}:${JSON.stringify(v)}}`
}

const META_TRACKED = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const

/**
 * Visits the top-level parts of an object whose fields are tracked: the whole status for the status
 * subresource; else every top-level field but apiVersion, kind and (with a status subresource)
 * status, and of metadata only labels, annotations, finalizers and ownerReferences (`metaKey` set).
 */
function eachTrackedRoot(
  obj: KubeObject,
  info: Pick<KindInfo, 'subresources'>,
  subresource: 'status' | undefined,
  visit: (key: string, value: unknown, metaKey?: (typeof META_TRACKED)[number]) => void,
): void {
  if (subresource === 'status') {
    if (obj.status !== undefined) visit('status', obj.status)
    return
  }
  for (const k in obj) {
    const v = obj[k]
    if (v === undefined || k === 'apiVersion' || k === 'kind') continue
    if (k === 'status' && info.subresources.status) continue
    if (k === 'metadata') {
      const m = v as Record<string, unknown>
      for (const mk of META_TRACKED) if (m[mk] !== undefined) visit(mk, m[mk], mk)
      continue
    }
    visit(k, v)
  }
}

/** The tracked top-level parts (eachTrackedRoot), keyed by their joined FieldsV1 path. */
function trackedRoots(obj: KubeObject | undefined, info: Pick<KindInfo, 'subresources'>, subresource?: 'status'): Map<string, {path: string[]; value: unknown}> {
  const out = new Map<string, {path: string[]; value: unknown}>()
  if (!obj) return out
  eachTrackedRoot(obj, info, subresource, (key, value, metaKey) => {
    if (metaKey) out.set(`f:metadata${SEP}f:${metaKey}`, {path: ['f:metadata', `f:${metaKey}`], value})
    else out.set(fieldKey(key), {path: [fieldKey(key)], value})
  })
  return out
}

/** The FieldsV1 paths an object sets, for the main resource or the status subresource. */
export function fieldsOf(obj: KubeObject, info: Pick<KindInfo, 'custom' | 'subresources'>, subresource?: 'status'): Set<string> {
  const out = new Set<string>()
  for (const root of trackedRoots(obj, info, subresource).values()) walk(root.value, [...root.path], info, out)
  return out
}

/**
 * A list of FieldsV1 paths as segments (for tree edits, no re-split). It may list a path twice (the tree
 * edits and leaf checks are idempotent); the joined strings are built only for the set-based fallbacks.
 */
class PathSet {
  readonly segs: string[][] = []
  private joinedSet: Set<string> | undefined
  get size(): number {
    return this.segs.length
  }
  /** The paths joined, as a set (built on first use). */
  get joined(): Set<string> {
    if (this.joinedSet === undefined) {
      this.joinedSet = new Set<string>()
      for (const segs of this.segs) this.joinedSet.add(segs.join(SEP))
    }
    return this.joinedSet
  }
  /** Whether the path segs[..depth] is listed. */
  hasPrefix(segs: string[], depth: number): boolean {
    for (const p of this.segs) {
      if (p.length !== depth) continue
      let i = depth - 1
      while (i >= 0 && p[i] === segs[i]) i--
      if (i < 0) return true
    }
    return false
  }
  /** Add a path given as segments (the array is kept: callers never change it afterwards). */
  add(segs: string[]): void {
    this.segs.push(segs)
    this.joinedSet = undefined
  }
  addJoined(p: string): void {
    this.add(p.split(SEP))
  }
}

type PathSink = Set<string> | PathSet

/** Records the path on the stack (copied: the stack goes on changing). */
function put(out: PathSink, path: string[]): void {
  if (out instanceof PathSet) out.add(path.slice())
  else out.add(path.join(SEP))
}

/** put() of the path on the stack with one more segment. */
function putWith(out: PathSink, path: string[], seg: string): void {
  path.push(seg)
  put(out, path)
  path.pop()
}

/**
 * Lists the paths `value` sets below `path`. `path` is a stack: segments are pushed and popped on the way
 * down (it is as it was on return), so only the paths recorded are copied.
 */
function walk(value: unknown, path: string[], info: Pick<KindInfo, 'custom'>, out: PathSink): void {
  if (isPlainObject(value)) {
    if (!(path.length === 1 && path[0] === 'f:metadata')) putWith(out, path, DOT)
    for (const k in value) {
      const v = value[k]
      if (v === undefined) continue
      path.push(fieldKey(k))
      walk(v, path, info, out)
      path.pop()
    }
    return
  }
  if (Array.isArray(value)) {
    const lt = listTypeOf(info, path, value)
    if (lt.t === 'atomic') {
      put(out, path)
    } else if (lt.t === 'set') {
      for (const item of value) putWith(out, path, `v:${JSON.stringify(item)}`)
    } else {
      for (const item of value as Array<Record<string, unknown>>) {
        path.push(keySeg(lt.key, item))
        putWith(out, path, DOT)
        walkFields(item, path, info, out)
        path.pop()
      }
    }
    return
  }
  put(out, path)
}

/** walk() of each defined field of `item`, below the path on the stack. */
function walkFields(item: Record<string, unknown>, path: string[], info: Pick<KindInfo, 'custom'>, out: PathSink): void {
  for (const k in item) {
    const v = item[k]
    if (v === undefined) continue
    path.push(fieldKey(k))
    walk(v, path, info, out)
    path.pop()
  }
}

/** toFieldsV1(fieldsOf(obj)), built straight from the object (no path strings). */
export function fieldsTree(obj: KubeObject, info: Pick<KindInfo, 'custom' | 'subresources'>, subresource?: 'status'): Record<string, unknown> {
  const custom = info.custom === true
  const top: Array<[string, Record<string, unknown>]> = []
  // f:metadata appears only when one of labels, annotations, finalizers, ownerReferences lists fields.
  const meta: Array<[string, Record<string, unknown>]> = []
  eachTrackedRoot(obj, info, subresource, (key, value, metaKey) => {
    const node = metaKey && Array.isArray(value) ? metaListNode(metaKey, value, custom) : valueNode(value, key, custom)
    if (node === undefined) return
    if (metaKey) meta.push([`f:${metaKey}`, node])
    else top.push([fieldKey(key), node])
  })
  if (meta.length > 0) top.push(['f:metadata', sortedNode(meta, false)])
  const tree = sortedNode(top, false)
  markCanonical(tree)
  return tree
}

/** The one empty FieldsV1 node trees built here share (frozen: edits copy the nodes they change). */
const LEAF: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

/*
 * FieldsV1 nodes have a handful of keys: an insertion sort with `<` on them is several times faster
 * than Array.prototype.sort (which takes a comparator call, or a ToString, per comparison). Same order
 * (code units; stable), longer lists go to sort().
 */
const SHORT = 16

/** keys.sort(): strings in code-unit order. */
function sortStrings(keys: string[]): void {
  const n = keys.length
  if (n > SHORT) {
    keys.sort()
    return
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!
    let j = i - 1
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = k
  }
}

/** pairs.sort(byKey). */
function sortPairs<T>(pairs: Array<[string, T]>): void {
  const n = pairs.length
  if (n > SHORT) {
    pairs.sort(byKey)
    return
  }
  for (let i = 1; i < n; i++) {
    const p = pairs[i]!
    const k = p[0]
    let j = i - 1
    while (j >= 0 && pairs[j]![0] > k) {
      pairs[j + 1] = pairs[j]!
      j--
    }
    pairs[j + 1] = p
  }
}

/** keys.sort(byNodeKey): `.` first, then code-unit order. */
function sortNodeKeys(keys: string[]): void {
  const n = keys.length
  if (n > SHORT) {
    keys.sort(byNodeKey)
    return
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!
    let j = i - 1
    while (j >= 0 && byNodeKey(keys[j]!, k) > 0) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = k
  }
}

/** A node from (key, child) pairs in key order, after a `.` marker when `marked`. */
function sortedNode(pairs: Array<[string, Record<string, unknown>]>, marked: boolean): Record<string, unknown> {
  if (pairs.length > 1) sortPairs(pairs)
  const out: Record<string, unknown> = {}
  if (marked) out[DOT] = LEAF
  for (let i = 0; i < pairs.length; i++) out[pairs[i]![0]] = pairs[i]![1]
  return out
}

/** The FieldsV1 node of a value under field `field` (not directly under metadata); undefined when it lists no fields. */
function valueNode(value: unknown, field: string, custom: boolean): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return LEAF
  if (Array.isArray(value)) {
    if (custom) return LEAF
    if (field === 'ports') return listNode(value, mapKeyOf(value, value.some(hasContainerPort) ? 'containerPort' : 'port'), custom)
    const key = BUILTIN_MAP_LISTS[field]
    return key === undefined ? LEAF : listNode(value, mapKeyOf(value, key), custom)
  }
  return objectNode(value as Record<string, unknown>, custom)
}

function hasContainerPort(i: unknown): boolean {
  return isPlainObject(i) && 'containerPort' in i
}

/** metadata.finalizers (a set), metadata.ownerReferences (a map by uid); other metadata lists are atomic. */
function metaListNode(field: string, value: unknown[], custom: boolean): Record<string, unknown> | undefined {
  if (field === 'finalizers') {
    if (value.length === 0) return undefined
    const segs = value.map((item) => `v:${JSON.stringify(item)}`).sort()
    const out: Record<string, unknown> = {}
    for (const seg of segs) out[seg] = LEAF
    return out
  }
  if (field === 'ownerReferences') return listNode(value, mapKeyOf(value, 'uid'), custom)
  return LEAF
}

/** The map key of a list whose items all have it, or undefined (an atomic list). */
function mapKeyOf(items: unknown[], key: string): string | undefined {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    if (!isPlainObject(item) || item[key] === undefined) return undefined
  }
  return key
}

function listNode(items: unknown[], key: string | undefined, custom: boolean): Record<string, unknown> | undefined {
  if (key === undefined) return LEAF
  if (items.length === 0) return undefined
  const pairs: Array<[string, Record<string, unknown>]> = new Array(items.length)
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Record<string, unknown>
    pairs[i] = [keySeg(key, item), objectNode(item, custom)]
  }
  if (pairs.length > 1) sortPairs(pairs)
  const out: Record<string, unknown> = {}
  for (let i = 0; i < pairs.length; i++) {
    const [seg, node] = pairs[i]!
    // Items with the same key share one node: the union of their fields.
    out[seg] = i > 0 && pairs[i - 1]![0] === seg ? unionTree(out[seg] as Record<string, unknown>, node) : node
  }
  return out
}

/**
 * `f:<key>` strings by key: a property name built by concatenation must be looked up in V8's string
 * table each time it is used as one; the cached string is found once.
 */
const fieldKeys = new BoundedCache<string, string>(50_000)
const prefixField = (k: string): string => `f:${k}`
function fieldKey(k: string): string {
  return fieldKeys.get(k, prefixField)
}

function objectNode(value: Record<string, unknown>, custom: boolean): Record<string, unknown> {
  // Keys in code-unit order (the default sort): the order kube-apiserver writes `f:` keys in.
  const keys = Object.keys(value)
  if (keys.length > 1) sortStrings(keys)
  const out: Record<string, unknown> = {[DOT]: LEAF}
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    const v = value[k]
    if (v === undefined) continue
    const node = valueNode(v, k, custom)
    if (node !== undefined) out[fieldKey(k)] = node
  }
  return out
}

/** The union of two sorted FieldsV1 trees, sorted (`.` first). */
function unionTree(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  const out: Record<string, unknown> = {}
  for (const k of [...keys].sort(byNodeKey)) {
    const x = a[k] as Record<string, unknown> | undefined
    const y = b[k] as Record<string, unknown> | undefined
    out[k] = x === undefined ? y : y === undefined ? x : unionTree(x, y)
  }
  return out
}

function byNodeKey(a: string, b: string): number {
  return a === DOT ? -1 : b === DOT ? 1 : a < b ? -1 : a > b ? 1 : 0
}

/** A FieldsV1 tree from a set of paths (keys sorted, as kube-apiserver writes them). */
export function toFieldsV1(set: Set<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const p of [...set].sort()) {
    let node = root
    for (const seg of p.split(SEP)) {
      node = (node[seg] ??= {}) as Record<string, unknown>
    }
  }
  const tree = sortTree(root)
  markCanonical(tree)
  return tree
}

function sortTree(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const keys = Object.keys(node).sort(byNodeKey)
  for (const k of keys) out[k] = sortTree(node[k] as Record<string, unknown>)
  return out
}

export function fromFieldsV1(tree: unknown): Set<string> {
  const out = new Set<string>()
  const visit = (node: unknown, prefix: string): void => {
    if (!isPlainObject(node)) return
    for (const k in node) {
      const child = node[k]
      const p = prefix === '' ? k : prefix + SEP + k
      if (isPlainObject(child) && Object.keys(child).length > 0) visit(child, p)
      else out.add(p)
    }
  }
  visit(tree, '')
  return out
}

/** The value at a path, or `undefined` (and found=false) when absent. */
function valueAt(obj: unknown, path: string): {found: boolean; value: unknown} {
  let cur: unknown = obj
  for (const seg of path.split(SEP)) {
    if (seg === DOT) return {found: true, value: cur}
    const step = stepInto(cur, seg)
    if (!step.found) return step
    cur = step.value
  }
  return {found: true, value: cur}
}

function stepInto(cur: unknown, seg: string): {found: boolean; value: unknown} {
  if (seg.startsWith('f:')) {
    if (!isPlainObject(cur)) return {found: false, value: undefined}
    const k = seg.slice(2)
    return cur[k] === undefined ? {found: false, value: undefined} : {found: true, value: cur[k]}
  }
  if (!Array.isArray(cur)) return {found: false, value: undefined}
  const idx = findItem(cur, seg)
  return idx < 0 ? {found: false, value: undefined} : {found: true, value: cur[idx]}
}

function findItem(list: unknown[], seg: string): number {
  if (seg.startsWith('k:')) {
    const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>
    return list.findIndex((item) => isPlainObject(item) && Object.entries(keys).every(([k, v]) => deepEqual(item[k], v)))
  }
  if (seg.startsWith('v:')) {
    const value = JSON.parse(seg.slice(2)) as unknown
    return list.findIndex((item) => deepEqual(item, value))
  }
  if (seg.startsWith('i:')) return Number(seg.slice(2))
  return -1
}

/** `.spec.containers[name="x"].image` — the path form kube prints in conflicts. */
export function pathString(path: string): string {
  let out = ''
  for (const seg of path.split(SEP)) {
    if (seg === DOT) continue
    if (seg.startsWith('f:')) out += `.${seg.slice(2)}`
    else if (seg.startsWith('k:')) {
      const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`
    } else if (seg.startsWith('v:')) out += `[=${seg.slice(2)}]`
    else if (seg.startsWith('i:')) out += `[${seg.slice(2)}]`
  }
  return out
}

export interface FieldConflict {
  manager: ManagedFieldsEntry
  path: string
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager)
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`
  return s
}

/** 409 Conflict with kube-apiserver's message and FieldManagerConflict causes. */
export function ssaConflictError(conflicts: FieldConflict[]): ApiError {
  const rows = conflicts
    .map((c) => ({manager: printManager(c.manager), path: pathString(c.path)}))
    .sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  let message: string
  if (rows.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${rows[0]!.manager}: ${rows[0]!.path}`
  } else {
    const lines: string[] = []
    let last: string | undefined
    for (const r of rows) {
      if (r.manager !== last) lines.push(`conflicts with ${r.manager}:`)
      last = r.manager
      lines.push(`- ${r.path}`)
    }
    message = `Apply failed with ${rows.length} conflicts: ${lines.join('\n')}`
  }
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Conflict',
    details: {causes: rows.map((r) => ({reason: 'FieldManagerConflict', message: `conflict with ${r.manager}`, field: r.path}))},
    code: 409,
  })
}

function sameScope(e: ManagedFieldsEntry, subresource: string | undefined): boolean {
  return (e.subresource ?? '') === (subresource ?? '')
}

/**
 * managedFields after a non-apply write by `manager`: it owns what it changed; other managers
 * lose what it changed; removed fields leave every set.
 */
export function trackUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  manager: string,
  now: string,
  info: Pick<KindInfo, 'custom' | 'subresources'>,
  subresource?: 'status',
): ManagedFieldsEntry[] {
  if (!old && (next.metadata.managedFields ?? []).length === 0) {
    // A create: the manager owns everything the object sets.
    const fieldsV1 = fieldsTree(next, info, subresource)
    if (Object.keys(fieldsV1).length === 0) return []
    const entry: ManagedFieldsEntry = {manager, operation: 'Update', apiVersion: next.apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1}
    if (subresource) entry.subresource = subresource
    return [entry]
  }
  const changed = new PathSet()
  const removed = new PathSet()
  diffFields(old, next, info, subresource, changed, removed)
  // The entries are the store's (frozen or its own copies): kept as they are where nothing changes.
  const entries = next.metadata.managedFields ?? []
  if (changed.size === 0 && removed.size === 0) return entries
  const changedSegs = changed.segs
  const removedSegs = removed.segs
  const either: PathList = {hasPrefix: (segs, depth) => changed.hasPrefix(segs, depth) || removed.hasPrefix(segs, depth)}
  const out: ManagedFieldsEntry[] = []
  let self: ManagedFieldsEntry | undefined
  let selfAt = -1
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    if (e.manager === manager && e.operation === 'Update' && sameScope(e, subresource)) {
      self = e
      selfAt = i
      continue
    }
    if (!isPlainObject(e.fieldsV1) || Object.keys(e.fieldsV1).length === 0) continue
    if (!hasAnyLeaf(e.fieldsV1, changedSegs) && !hasAnyLeaf(e.fieldsV1, removedSegs)) {
      out.push(e)
      continue
    }
    if (isCanonical(e.fieldsV1)) {
      // Another manager loses what this write changed or removed: its tree minus those leaves.
      const tree = editTree(e.fieldsV1, NO_SEGS, undefined, changedSegs.concat(removedSegs), either)
      if (Object.keys(tree).length > 0) out.push({...e, fieldsV1: tree})
      continue
    }
    const set = fromFieldsV1(e.fieldsV1)
    for (const p of changed.joined) set.delete(p)
    for (const p of removed.joined) set.delete(p)
    if (set.size === 0) continue
    out.push({...e, fieldsV1: toFieldsV1(set)})
  }
  const selfTree = self?.fieldsV1
  const grows = changedSegs.some((segs) => !hasLeaf(selfTree, segs))
  const shrinks = hasAnyLeaf(selfTree, removedSegs)
  let fieldsV1: Record<string, unknown> | undefined
  let size = isPlainObject(selfTree) ? Object.keys(selfTree).length : 0
  if (grows || shrinks || !self || !isCanonical(self.fieldsV1)) {
    if (!self || isCanonical(self.fieldsV1)) {
      // Edit the (sorted) tree in place of fromFieldsV1 → set → toFieldsV1: only the nodes on the
      // changed paths are copied, the rest is shared with the old entry.
      fieldsV1 = editTree(self ? (self.fieldsV1 as Record<string, unknown>) : LEAF, changedSegs, changed, removedSegs, removed)
      size = Object.keys(fieldsV1).length
    } else {
      const selfSet = fromFieldsV1(self.fieldsV1)
      for (const p of changed.joined) selfSet.add(p)
      for (const p of removed.joined) selfSet.delete(p)
      size = selfSet.size
      if (size > 0) fieldsV1 = toFieldsV1(selfSet)
    }
  } else {
    // The manager owns the same fields as before: its FieldsV1 tree is shared, only the time moves.
    fieldsV1 = self.fieldsV1 as Record<string, unknown>
  }
  if (size > 0 && fieldsV1) {
    const entry: ManagedFieldsEntry = {manager, operation: 'Update', apiVersion: next.apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1}
    if (subresource) entry.subresource = subresource
    // Keep the entry where it was, as the apiserver does.
    const at = selfAt
    if (at >= 0) out.splice(Math.min(at, out.length), 0, entry)
    else out.push(entry)
  }
  return out
}

const NO_SEGS: string[][] = []

/** Whether the tree has one of the paths as a leaf (see hasLeaf). */
function hasAnyLeaf(tree: unknown, paths: string[][]): boolean {
  for (let i = 0; i < paths.length; i++) if (hasLeaf(tree, paths[i]!)) return true
  return false
}

/** Whether fromFieldsV1(tree) has the path (as segments): its node exists and is a leaf. */
function hasLeaf(tree: unknown, segs: string[]): boolean {
  return hasLeafAt(tree, segs, segs.length)
}

/** hasLeaf() of the path segs[..depth]. */
function hasLeafAt(tree: unknown, segs: string[], depth: number): boolean {
  let node: unknown = tree
  for (let i = 0; i < depth; i++) {
    if (!isPlainObject(node)) return false
    node = node[segs[i]!]
    if (node === undefined) return false
  }
  return !isPlainObject(node) || isEmpty(node)
}

function isEmpty(node: Record<string, unknown>): boolean {
  for (const _ in node) return false
  return true
}

/**
 * toFieldsV1((fromFieldsV1(base) ∪ add) ∖ remove) for a canonical (sorted) `base`, by editing a copy
 * of the tree: the nodes on the edited paths are copied (and sorted again), the rest is shared.
 * `addSet`/`removeSet` are the same paths joined; a node left empty by a removal goes unless its own
 * path is still in the set (a leaf of base or an added path, not removed).
 */
function editTree(
  base: Record<string, unknown>,
  add: string[][],
  addSet: PathList | undefined,
  remove: string[][],
  removeSet: PathList,
): Record<string, unknown> {
  const owned = new Set<object>()
  const root: Record<string, unknown> = {...base}
  owned.add(root)
  for (const segs of add) {
    let node = root
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!
      let child = node[seg] as Record<string, unknown> | undefined
      if (child === undefined) {
        child = {}
        owned.add(child)
        node[seg] = child
      } else if (!owned.has(child)) {
        if (i === segs.length - 1) break // the path is there already: nothing below it changes
        if (hasNode(child, segs, i + 1)) break
        child = {...child}
        owned.add(child)
        node[seg] = child
      }
      node = child
    }
  }
  for (const segs of remove) {
    if (!hasLeaf(root, segs)) continue
    // Copy the chain down to the leaf, then drop it and every ancestor it leaves empty and unlisted.
    const chain: Array<Record<string, unknown>> = [root]
    let node = root
    for (let i = 0; i < segs.length - 1; i++) {
      let child = node[segs[i]!] as Record<string, unknown>
      if (!owned.has(child)) {
        child = {...child}
        owned.add(child)
        node[segs[i]!] = child
      }
      chain.push(child)
      node = child
    }
    delete node[segs[segs.length - 1]!]
    for (let d = segs.length - 1; d > 0; d--) {
      if (!isEmpty(chain[d]!) || inSet(base, addSet, removeSet, segs, d)) break
      delete chain[d - 1]![segs[d - 1]!]
    }
  }
  const tree = sortOwned(root, owned)
  markCanonical(tree)
  return tree
}

/** Paths that can say whether they list a prefix of a path (PathSet, or two of them). */
interface PathList {
  hasPrefix(segs: string[], depth: number): boolean
}

/** Whether the path segs[..depth] is in (fromFieldsV1(base) ∪ addSet) ∖ removeSet. */
function inSet(base: Record<string, unknown>, addSet: PathList | undefined, removeSet: PathList, segs: string[], depth: number): boolean {
  return !removeSet.hasPrefix(segs, depth) && ((addSet?.hasPrefix(segs, depth) ?? false) || hasLeafAt(base, segs, depth))
}

/** Whether the node at segs[from..] exists below `node`. */
function hasNode(node: Record<string, unknown>, segs: string[], from: number): boolean {
  let cur: unknown = node
  for (let i = from; i < segs.length; i++) {
    if (!isPlainObject(cur)) return false
    cur = cur[segs[i]!]
    if (cur === undefined) return false
  }
  return true
}

/** The owned (edited) nodes rebuilt with their keys sorted; shared nodes are kept as they are. */
function sortOwned(node: Record<string, unknown>, owned: Set<object>): Record<string, unknown> {
  if (!owned.has(node)) return node
  const keys = Object.keys(node)
  if (keys.length === 0) return LEAF
  sortNodeKeys(keys)
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = sortOwned(node[k] as Record<string, unknown>, owned)
  return out
}

/**
 * Marks the FieldsV1 trees this module built (sorted as kube-apiserver writes them); others are rebuilt
 * when touched. A non-enumerable symbol property: JSON, for-in, Object.keys, spreads and toEqual do not
 * see it (so copies are not marked), and it costs a fraction of a WeakSet entry (~1 µs an add, plus the
 * ephemeron work of every GC over tens of thousands of live trees).
 */
const CANONICAL = Symbol('canonical FieldsV1 tree')

function markCanonical(tree: Record<string, unknown>): void {
  // The shared empty node (frozen) is canonical as it is.
  if (tree !== LEAF) Object.defineProperty(tree, CANONICAL, {value: true})
}

function isCanonical(tree: unknown): boolean {
  return tree === LEAF || (tree !== null && typeof tree === 'object' && (tree as {[CANONICAL]?: boolean})[CANONICAL] === true)
}
/**
 * What a write changed, in FieldsV1 paths: `changed` gets the paths `next` sets that `old` did not or
 * with another value, `removed` the paths only `old` sets. Same answer as comparing fieldsOf() of both
 * (and the values at the common leaf paths), but equal subtrees are skipped without listing them.
 */
function diffFields(
  old: KubeObject | undefined,
  next: KubeObject,
  info: Pick<KindInfo, 'custom' | 'subresources'>,
  subresource: 'status' | undefined,
  changed: PathSet,
  removed: PathSet,
): void {
  if (subresource === 'status') {
    // The one tracked root of a status write (as trackedRoots gives it), without building the maps.
    const o = old?.status
    const n = next.status
    if (n !== undefined) {
      if (o === undefined) walk(n, ['f:status'], info, changed)
      else diffValue(o, n, ['f:status'], info, changed, removed)
    } else if (o !== undefined) walk(o, ['f:status'], info, removed)
    return
  }
  const a = trackedRoots(old, info, subresource)
  const b = trackedRoots(next, info, subresource)
  for (const [k, nv] of b) {
    const ov = a.get(k)
    if (ov === undefined) walk(nv.value, nv.path, info, changed)
    else diffValue(ov.value, nv.value, nv.path, info, changed, removed)
  }
  for (const [k, ov] of a) if (!b.has(k)) walk(ov.value, ov.path, info, removed)
}

/** Adds what changed from `o` to `n` below the path on the stack (a stack, as in walk()). */
function diffValue(o: unknown, n: unknown, path: string[], info: Pick<KindInfo, 'custom'>, changed: PathSet, removed: PathSet): void {
  if (o === n) return
  if (isPlainObject(o) && isPlainObject(n) && !(path.length === 1 && path[0] === 'f:metadata')) {
    diffMembers(o, n, path, info, changed, removed)
    return
  }
  if (!isPlainObject(o) && !isPlainObject(n) && !Array.isArray(o) && !Array.isArray(n)) {
    if (!deepEqual(o, n)) put(changed, path)
    return
  }
  if (Array.isArray(o) && Array.isArray(n)) {
    const lt = listTypeOf(info, path, n)
    const lo = listTypeOf(info, path, o)
    if (lt.t === 'atomic' && lo.t === 'atomic') {
      if (!deepEqual(o, n)) put(changed, path)
      return
    }
    const before = lt.t === 'map' && lo.t === 'map' && lt.key === lo.key ? keyedItems(o, lt.key) : undefined
    const after = before !== undefined ? keyedItems(n, (lt as {key: string}).key) : undefined
    if (before !== undefined && after !== undefined) {
      for (const [seg, item] of after) {
        const prev = before.get(seg)
        if (prev === item) continue
        path.push(seg)
        if (prev === undefined) {
          putWith(changed, path, DOT)
          walkFields(item, path, info, changed)
        } else diffMembers(prev, item, path, info, changed, removed)
        path.pop()
      }
      for (const [seg, item] of before) {
        if (after.has(seg)) continue
        path.push(seg)
        putWith(removed, path, DOT)
        walkFields(item, path, info, removed)
        path.pop()
      }
      return
    }
  }
  // Anything else (a type change, a set list, duplicate keys): compare the two subtrees' full path sets.
  const os = new Set<string>()
  const ns = new Set<string>()
  walk(o, path, info, os)
  walk(n, path, info, ns)
  for (const p of ns) {
    if (!os.has(p)) changed.addJoined(p)
    else if (!p.endsWith(SEP + DOT) && !deepEqual(valueBelow(o, p, path.length), valueBelow(n, p, path.length))) changed.addJoined(p)
  }
  for (const p of os) if (!ns.has(p)) removed.addJoined(p)
}

/** diffValue() of two objects' defined members, below the path on the stack. */
function diffMembers(o: Record<string, unknown>, n: Record<string, unknown>, path: string[], info: Pick<KindInfo, 'custom'>, changed: PathSet, removed: PathSet): void {
  for (const k in n) {
    const nv = n[k]
    if (nv === undefined) continue
    const ov = o[k]
    path.push(fieldKey(k))
    if (ov === undefined) walk(nv, path, info, changed)
    else diffValue(ov, nv, path, info, changed, removed)
    path.pop()
  }
  for (const k in o) {
    const ov = o[k]
    if (ov === undefined || n[k] !== undefined) continue
    path.push(fieldKey(k))
    walk(ov, path, info, removed)
    path.pop()
  }
}

/** A map list's items by key segment, in list order; undefined when two items share a key. */
function keyedItems(items: unknown[], key: string): Map<string, Record<string, unknown>> | undefined {
  const out = new Map<string, Record<string, unknown>>()
  for (const i of items as Array<Record<string, unknown>>) {
    const seg = keySeg(key, i)
    if (out.has(seg)) return undefined
    out.set(seg, i)
  }
  return out
}

/** valueAt relative to a subtree whose own path has `depth` segments. */
function valueBelow(sub: unknown, path: string, depth: number): unknown {
  let cur: unknown = sub
  const segs = path.split(SEP)
  for (let i = depth; i < segs.length; i++) {
    const seg = segs[i]!
    if (seg === DOT) return cur
    const step = stepInto(cur, seg)
    if (!step.found) return undefined
    cur = step.value
  }
  return cur
}

export interface ApplyOutcome {
  object: KubeObject
  conflicts: FieldConflict[]
}

/** Server-side apply of `applied` by `manager` over `live` (undefined when creating). */
export function applyPatch(
  live: KubeObject | undefined,
  applied: KubeObject,
  options: {manager: string; force: boolean; info: KindInfo; now: string; subresource?: 'status'},
): ApplyOutcome {
  const {manager, force, info, subresource} = options
  const appliedSet = fieldsOf(applied, info, subresource)
  const entries = live?.metadata.managedFields ?? []
  const conflicts: FieldConflict[] = []
  const isSelf = (e: ManagedFieldsEntry): boolean => e.manager === manager && e.operation === 'Apply' && sameScope(e, subresource)
  const sets = entries.map((e) => fromFieldsV1(e.fieldsV1))
  if (live) {
    entries.forEach((e, i) => {
      if (isSelf(e)) return
      for (const p of appliedSet) {
        if (p.endsWith(SEP + DOT) || !sets[i]!.has(p)) continue
        const a = valueAt(live, p)
        const b = valueAt(applied, p)
        if (a.found !== b.found || !deepEqual(a.value, b.value)) conflicts.push({manager: e, path: p})
      }
    })
  }
  if (conflicts.length > 0 && !force) return {object: live!, conflicts}

  const result: KubeObject = live
    ? clone(live)
    : {apiVersion: applied.apiVersion, kind: applied.kind, metadata: {name: applied.metadata.name, namespace: applied.metadata.namespace}}
  result.apiVersion = applied.apiVersion
  // Fields this manager applied before and drops now, that nobody else owns, are removed.
  const selfIndex = entries.findIndex(isSelf)
  if (selfIndex >= 0) {
    const dropped = [...sets[selfIndex]!].filter((p) => !appliedSet.has(p) && !sets.some((s, i) => i !== selfIndex && s.has(p)))
    dropped.sort((a, b) => b.split(SEP).length - a.split(SEP).length)
    for (const p of dropped) removePath(result, p)
  }
  // Each tracked part of the applied object merges into the same part of the result.
  for (const {path, value} of trackedRoots(applied, info, subresource).values()) {
    const target = path.length === 1 ? result : (result.metadata as Record<string, unknown>)
    const key = path[path.length - 1]!.slice(2) // 'f:spec' -> 'spec'
    target[key] = mergeValue(target[key], clone(value), path, info)
  }

  const conflictPaths = new Set(conflicts.map((c) => c.path))
  const out: ManagedFieldsEntry[] = []
  let placed = false
  const own: ManagedFieldsEntry = {manager, operation: 'Apply', apiVersion: applied.apiVersion, time: options.now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(appliedSet)}
  if (subresource) own.subresource = subresource
  entries.forEach((e, i) => {
    if (isSelf(e)) {
      // Unchanged ownership keeps the old entry (and its time), so a repeated apply is a no-op.
      const same = e.apiVersion === own.apiVersion && deepEqual(e.fieldsV1, own.fieldsV1)
      if (appliedSet.size > 0) out.push(same ? e : own)
      placed = true
      return
    }
    const set = sets[i]!
    let touched = false
    if (conflictPaths.size > 0) {
      for (const c of conflicts) {
        if (c.manager === e && set.delete(c.path)) touched = true
      }
    }
    if (set.size === 0) return
    out.push(touched ? {...e, fieldsV1: toFieldsV1(set)} : e)
  })
  if (!placed && appliedSet.size > 0) out.push(own)
  result.metadata.managedFields = out
  return {object: result, conflicts: []}
}

function mergeValue(base: unknown, patch: unknown, path: string[], info: Pick<KindInfo, 'custom'>): unknown {
  if (isPlainObject(patch)) {
    if (!isPlainObject(base)) return patch
    for (const k in patch) {
      if (patch[k] === undefined) continue
      base[k] = mergeValue(base[k], patch[k], [...path, fieldKey(k)], info)
    }
    return base
  }
  if (Array.isArray(patch)) {
    if (!Array.isArray(base)) return patch
    const lt = listTypeOf(info, path, patch)
    if (lt.t === 'atomic') return patch
    if (lt.t === 'set') {
      for (const item of patch) if (!base.some((b) => deepEqual(b, item))) base.push(item)
      return base
    }
    if (!base.every((b) => isPlainObject(b) && b[lt.key] !== undefined)) return patch
    for (const item of patch as Array<Record<string, unknown>>) {
      const seg = keySeg(lt.key, item)
      const idx = findItem(base, seg)
      if (idx < 0) base.push(item)
      else base[idx] = mergeValue(base[idx], item, [...path, seg], info)
    }
    return base
  }
  return patch
}

function removePath(obj: unknown, path: string): void {
  const segs = path.split(SEP)
  const isMarker = segs[segs.length - 1] === DOT
  if (isMarker) segs.pop()
  if (segs.length === 0) return
  let parent: unknown = obj
  for (let i = 0; i < segs.length - 1; i++) {
    const step = stepInto(parent, segs[i]!)
    if (!step.found) return
    parent = step.value
  }
  const last = segs[segs.length - 1]!
  if (last.startsWith('f:')) {
    if (!isPlainObject(parent)) return
    const k = last.slice(2)
    // A map marker goes only when the map is empty by now; a leaf goes at once.
    if (isMarker && isPlainObject(parent[k]) && Object.keys(parent[k]).length > 0) return
    delete parent[k]
  } else if (Array.isArray(parent)) {
    const idx = findItem(parent, last)
    if (idx >= 0) parent.splice(idx, 1)
  }
}

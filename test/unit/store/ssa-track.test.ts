/**
 * trackUpdate diffs the old and new object subtree by subtree; it must give the same managedFields as
 * comparing the two objects' full FieldsV1 path sets (the straightforward definition, kept here).
 */
import {describe, expect, it} from 'vitest'
import type {KubeObject, ManagedFieldsEntry} from '../../../src/api/object.js'
import {fieldsOf, fieldsTree, fromFieldsV1, toFieldsV1, trackUpdate} from '../../../simulator/store/ssa.js'
import {deepEqual, deepFreeze} from '../../../simulator/store/util.js'
// The simulator's own seeded PRNG (mulberry32): a failure reproduces.
import {seededRandom} from '../../../simulator/controllers/runtime.js'

const SEP = '\u0000'
const builtin = {custom: false, subresources: {status: true}}
const crd = {custom: true, subresources: {status: true}}

function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const seg of path.split(SEP)) {
    if (seg === '.') return cur
    if (seg.startsWith('f:')) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined
      cur = (cur as Record<string, unknown>)[seg.slice(2)]
    } else if (seg.startsWith('k:')) {
      const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>
      if (!Array.isArray(cur)) return undefined
      cur = cur.find((i) => i && typeof i === 'object' && Object.entries(keys).every(([k, v]) => deepEqual((i as Record<string, unknown>)[k], v)))
    } else if (seg.startsWith('v:')) {
      const v = JSON.parse(seg.slice(2)) as unknown
      if (!Array.isArray(cur)) return undefined
      cur = cur.find((i) => deepEqual(i, v))
    }
    if (cur === undefined) return undefined
  }
  return cur
}

/** The definition: full path sets of both objects, values compared at the common leaf paths. */
function reference(old: KubeObject | undefined, next: KubeObject, manager: string, now: string, info: typeof builtin, sub?: 'status'): ManagedFieldsEntry[] {
  const newSet = fieldsOf(next, info, sub)
  const oldSet = old ? fieldsOf(old, info, sub) : new Set<string>()
  const changed = new Set<string>()
  for (const p of newSet) {
    if (!oldSet.has(p)) changed.add(p)
    else if (!p.endsWith(SEP + '.') && !deepEqual(valueAt(old, p), valueAt(next, p))) changed.add(p)
  }
  const removed = new Set<string>()
  for (const p of oldSet) if (!newSet.has(p)) removed.add(p)
  const entries = (next.metadata.managedFields ?? []).map((e) => ({...e}))
  if (changed.size === 0 && removed.size === 0) return entries
  const out: ManagedFieldsEntry[] = []
  let self: ManagedFieldsEntry | undefined
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (sub ?? '')) {
      self = e
      continue
    }
    const set = fromFieldsV1(e.fieldsV1)
    let touched = false
    for (const p of set) if (changed.has(p) || removed.has(p)) (set.delete(p), (touched = true))
    if (set.size === 0) continue
    out.push(touched ? {...e, fieldsV1: toFieldsV1(set)} : e)
  }
  const selfSet = self ? fromFieldsV1(self.fieldsV1) : new Set<string>()
  for (const p of changed) selfSet.add(p)
  for (const p of removed) selfSet.delete(p)
  if (selfSet.size > 0) {
    const entry: ManagedFieldsEntry = {manager, operation: 'Update', apiVersion: next.apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(selfSet)}
    if (sub) entry.subresource = sub
    const at = self ? entries.indexOf(self) : -1
    if (at >= 0) out.splice(Math.min(at, out.length), 0, entry)
    else out.push(entry)
  }
  return out
}

function randomValue(r: () => number, depth: number): unknown {
  const x = r()
  if (depth > 2 || x < 0.3) return [1, 'a', 'b', true, null, 2][Math.floor(r() * 6)]
  if (x < 0.5) return Array.from({length: Math.floor(r() * 3)}, () => randomValue(r, depth + 1))
  const out: Record<string, unknown> = {}
  for (const k of ['a', 'b', 'c']) if (r() < 0.6) out[k] = randomValue(r, depth + 1)
  return out
}

function randomPod(r: () => number): KubeObject {
  const names = ['x', 'y', 'z']
  const containers = names
    .filter(() => r() < 0.7)
    .map((name) => ({
      name,
      image: r() < 0.5 ? 'img:1' : 'img:2',
      ...(r() < 0.6 ? {env: names.filter(() => r() < 0.5).map((n) => ({name: n, value: r() < 0.5 ? '1' : '2'}))} : {}),
      ...(r() < 0.3 ? {ports: [{containerPort: 80}, ...(r() < 0.5 ? [{containerPort: 81}] : [])]} : {}),
      ...(r() < 0.4 ? {args: ['a', ...(r() < 0.5 ? ['b'] : [])]} : {}),
    }))
  // Occasionally a duplicate key or an item without its key (atomic list).
  if (r() < 0.1 && containers[0]) containers.push({...containers[0]})
  if (r() < 0.1) containers.push({image: 'nameless'} as (typeof containers)[number])
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      ...(r() < 0.5 ? {labels: {a: r() < 0.5 ? '1' : '2', ...(r() < 0.5 ? {b: '1'} : {})}} : {}),
      ...(r() < 0.3 ? {finalizers: ['f1', ...(r() < 0.5 ? ['f2'] : [])]} : {}),
    },
    spec: {containers, ...(r() < 0.5 ? {extra: randomValue(r, 0)} : {}), ...(r() < 0.3 ? {nodeName: r() < 0.5 ? 'n1' : 'n2'} : {})},
    status: {
      phase: r() < 0.5 ? 'Pending' : 'Running',
      ...(r() < 0.6 ? {conditions: ['Ready', 'PodScheduled'].filter(() => r() < 0.7).map((type) => ({type, status: r() < 0.5 ? 'True' : 'False'}))} : {}),
      ...(r() < 0.4 ? {more: randomValue(r, 0)} : {}),
    },
  }
}

describe('trackUpdate', () => {
  it('gives the same managedFields as the full path-set comparison, over many random writes', () => {
    const r = seededRandom('42')
    for (let i = 0; i < 3000; i++) {
      const info = r() < 0.5 ? builtin : crd
      const sub = r() < 0.4 ? ('status' as const) : undefined
      const a = randomPod(r)
      const b = randomPod(r)
      if (r() < 0.3) b.spec = a.spec
      const managers = ['m1', 'm2', 'm3']
      const firstManager = managers[Math.floor(r() * 3)]!
      let entries = trackUpdate(undefined, a, firstManager, 't0', info)
      expect(entries).toEqual(reference(undefined, a, firstManager, 't0', info))
      entries = trackUpdate(undefined, {...a, metadata: {...a.metadata, managedFields: entries}}, 'm2', 't0', info, 'status').concat(entries)
      const old = deepFreeze({...a, metadata: {...a.metadata, managedFields: entries}})
      const next = {...b, metadata: {...b.metadata, managedFields: entries}}
      const manager = managers[Math.floor(r() * 3)]!
      const got = trackUpdate(old, next, manager, 't1', info, sub)
      const want = reference(old, next, manager, 't1', info, sub)
      expect(JSON.stringify(got)).toBe(JSON.stringify(want))
    }
  })

  it('stays byte-identical to the path-set definition over chains of writes that edit the trees it built', () => {
    const r = seededRandom('chains')
    const managers = ['m1', 'm2', 'm3']
    for (let chain = 0; chain < 400; chain++) {
      const info = r() < 0.5 ? builtin : crd
      let cur = randomPod(r)
      const first = managers[Math.floor(r() * 3)]!
      let entries = trackUpdate(undefined, cur, first, 't0', info)
      expect(JSON.stringify(entries)).toBe(JSON.stringify(reference(undefined, cur, first, 't0', info)))
      let old = deepFreeze({...cur, metadata: {...cur.metadata, managedFields: entries}})
      for (let step = 1; step <= 10; step++) {
        const sub = r() < 0.5 ? ('status' as const) : undefined
        const b = randomPod(r)
        // Keep parts of the previous object now and then, so writes change a little as well as a lot.
        if (r() < 0.4) b.spec = old.spec
        if (r() < 0.4) b.status = old.status
        if (r() < 0.3) b.metadata = {...old.metadata}
        // Sometimes the entries come back from JSON (not trees this module built).
        const mf = r() < 0.15 ? (JSON.parse(JSON.stringify(old.metadata.managedFields)) as ManagedFieldsEntry[]) : old.metadata.managedFields
        const next = {...b, metadata: {...b.metadata, managedFields: mf}}
        const manager = managers[Math.floor(r() * 3)]!
        const got = trackUpdate(old, next, manager, `t${step}`, info, sub)
        const want = reference(old, next, manager, `t${step}`, info, sub)
        expect(JSON.stringify(got)).toBe(JSON.stringify(want))
        entries = got
        old = deepFreeze({...next, metadata: {...next.metadata, managedFields: entries}})
        cur = old
      }
    }
  })

  it('fieldsTree builds the same FieldsV1 tree as toFieldsV1(fieldsOf(...)), keys in the same order', () => {
    const r = seededRandom('7')
    for (let i = 0; i < 2000; i++) {
      const info = r() < 0.5 ? builtin : crd
      const sub = r() < 0.3 ? ('status' as const) : undefined
      const obj = randomPod(r)
      if (r() < 0.2) (obj.spec as Record<string, unknown>).containers = []
      const want = toFieldsV1(fieldsOf(obj, info, sub))
      const got = fieldsTree(obj, info, sub)
      expect(JSON.stringify(got)).toBe(JSON.stringify(want))
    }
  })

  it('keeps the manager entry (with a new time) when it writes the fields it already owns', () => {
    const a: KubeObject = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'i:1'}]}}
    const first = deepFreeze({...a, metadata: {...a.metadata, managedFields: trackUpdate(undefined, a, 'kubelet', 't0', builtin)}})
    const second = trackUpdate(first, {...first, spec: {containers: [{name: 'c', image: 'i:2'}]}}, 'kubelet', 't1', builtin)
    expect(second).toHaveLength(1)
    expect(second[0]).toMatchObject({manager: 'kubelet', operation: 'Update', time: 't1'})
    expect(second[0]!.fieldsV1).toEqual(first.metadata.managedFields![0]!.fieldsV1)
  })
})

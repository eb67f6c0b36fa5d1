/**
 * Patch formats kube-apiserver accepts: JSON merge patch (RFC 7386), JSON Patch (RFC 6902) and,
 * for built-in kinds, strategic merge patch with the patch-merge keys kubectl relies on.
 */
import {errors} from '../../src/api/status.js'

type Json = unknown
type JsonObject = Record<string, unknown>

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/** RFC 7386: objects merge recursively, null deletes, anything else (arrays too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch)
  const out: JsonObject = isObject(target) ? {...target} : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}

interface JsonPatchOp {
  op: string
  path: string
  from?: string
  value?: unknown
}

function pointer(path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw invalidPatch(`invalid JSON pointer: ${path}`)
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function invalidPatch(message: string) {
  return errors.badRequest(`the server rejected our request due to an error in our request: ${message}`)
}

function parentOf(doc: Json, tokens: string[], path: string): {parent: JsonObject | unknown[]; key: string} {
  let node: unknown = doc
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(t)]
    else if (isObject(node)) node = node[t]
    else node = undefined
    if (node === undefined) throw invalidPatch(`doc is missing path: "${path}"`)
  }
  if (!Array.isArray(node) && !isObject(node)) throw invalidPatch(`doc is missing path: "${path}"`)
  return {parent: node, key: tokens[tokens.length - 1] ?? ''}
}

function getAt(doc: Json, path: string): unknown {
  let node: unknown = doc
  for (const t of pointer(path)) {
    if (Array.isArray(node)) node = node[Number(t)]
    else if (isObject(node)) node = node[t]
    else return undefined
  }
  return node
}

function arrayIndex(arr: unknown[], key: string, path: string, forInsert: boolean): number {
  if (key === '-' && forInsert) return arr.length
  const i = Number(key)
  if (!/^\d+$/.test(key) || i > arr.length || (!forInsert && i >= arr.length)) throw invalidPatch(`Unable to access invalid index: ${key} (${path})`)
  return i
}

/** RFC 6902 operations: add, remove, replace, move, copy, test. */
export function jsonPatch(target: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw invalidPatch('a JSON patch must be an array of operations')
  let doc = clone(target)
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw invalidPatch('malformed JSON patch operation')
    const tokens = pointer(raw.path)
    const add = (path: string, toks: string[], value: unknown) => {
      if (toks.length === 0) {
        doc = clone(value)
        return
      }
      const {parent, key} = parentOf(doc, toks, path)
      if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, true), 0, clone(value))
      else parent[key] = clone(value)
    }
    const remove = (path: string, toks: string[]) => {
      const {parent, key} = parentOf(doc, toks, path)
      if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, path, false), 1)
      else {
        if (!(key in parent)) throw invalidPatch(`unable to remove nonexistent key: ${key}: missing value`)
        delete parent[key]
      }
    }
    switch (raw.op) {
      case 'add':
        add(raw.path, tokens, raw.value)
        break
      case 'remove':
        remove(raw.path, tokens)
        break
      case 'replace':
        if (tokens.length === 0) doc = clone(raw.value)
        else {
          if (getAt(doc, raw.path) === undefined) throw invalidPatch(`replace operation does not apply: doc is missing key: ${raw.path}: missing value`)
          const {parent, key} = parentOf(doc, tokens, raw.path)
          if (Array.isArray(parent)) parent[arrayIndex(parent, key, raw.path, false)] = clone(raw.value)
          else parent[key] = clone(raw.value)
        }
        break
      case 'move':
      case 'copy': {
        if (typeof raw.from !== 'string') throw invalidPatch(`${raw.op} operation requires "from"`)
        const value = getAt(doc, raw.from)
        if (value === undefined) throw invalidPatch(`${raw.op} operation does not apply: doc is missing from path: ${raw.from}`)
        if (raw.op === 'move') remove(raw.from, pointer(raw.from))
        add(raw.path, tokens, value)
        break
      }
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)) throw invalidPatch(`testing value ${raw.path} failed: test failed`)
        break
      default:
        throw invalidPatch(`Unexpected kind: ${raw.op}`)
    }
  }
  return doc
}

/** Merge keys of the built-in types, by field name; `ports` depends on what its items carry. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  // Secrets/ConfigMaps volume items, Service/Endpoints/EndpointSlice ports…
  addresses: 'address',
}

/** Lists of scalars that merge as sets. */
const MERGE_SETS = new Set(['finalizers'])

function mergeKeyFor(field: string, patchItems: unknown[], liveItems: unknown[]): string | undefined {
  if (field === 'ports') {
    const sample = [...patchItems, ...liveItems].find(isObject)
    if (sample && 'containerPort' in sample) return 'containerPort'
    return 'port'
  }
  return MERGE_KEYS[field]
}

/**
 * Strategic merge patch on a built-in object: maps merge, `null` deletes, lists with a merge key
 * merge item by item, `$patch: replace|delete`, `$retainKeys`, `$deleteFromPrimitiveList/<f>`
 * and `$setElementOrder/<f>` are honoured.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  return smpMap(isObject(target) ? target : {}, isObject(patch) ? patch : {})
}

function smpMap(live: JsonObject, patch: JsonObject): JsonObject {
  if (patch.$patch === 'replace') {
    const {$patch: _ignored, ...rest} = patch
    return stripDirectives(rest) as JsonObject
  }
  if (patch.$patch === 'delete') return {}
  let out: JsonObject = {...live}
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[])
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)))
  }
  const orders: Record<string, unknown[]> = {}
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders[key.slice('$setElementOrder/'.length)] = value
      continue
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length)
      const drop = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)))
      const current = out[field]
      if (Array.isArray(current)) out[field] = current.filter((v) => !drop.has(JSON.stringify(v)))
      continue
    }
    if (value === null) {
      delete out[key]
      continue
    }
    const current = out[key]
    if (Array.isArray(value)) out[key] = smpList(key, Array.isArray(current) ? current : [], value)
    else if (isObject(value)) out[key] = smpMap(isObject(current) ? current : {}, value)
    else out[key] = value
  }
  for (const [field, order] of Object.entries(orders)) {
    const list = out[field]
    if (Array.isArray(list)) out[field] = reorder(field, list, order)
  }
  return out
}

function smpList(field: string, live: unknown[], patch: unknown[]): unknown[] {
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map(stripDirectives)
  }
  if (MERGE_SETS.has(field)) {
    const out = [...live]
    for (const v of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(v)
    return out
  }
  const key = mergeKeyFor(field, patch, live)
  if (!key) return patch.map(stripDirectives)
  const out = live.map((x) => x)
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(item)
      continue
    }
    const index = out.findIndex((x) => isObject(x) && x[key] === item[key])
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1)
      continue
    }
    if (index >= 0) out[index] = smpMap(out[index] as JsonObject, item)
    else out.push(stripDirectives(item))
  }
  return out
}

function reorder(field: string, list: unknown[], order: unknown[]): unknown[] {
  const key = MERGE_SETS.has(field) ? undefined : mergeKeyFor(field, order, list)
  const id = (v: unknown) => JSON.stringify(key && isObject(v) ? v[key] : v)
  const orderIds = order.map(id)
  const ranked = list.map((item, i) => ({item, i, rank: orderIds.indexOf(id(item))}))
  ranked.sort((a, b) => (a.rank < 0 ? Number.MAX_SAFE_INTEGER : a.rank) - (b.rank < 0 ? Number.MAX_SAFE_INTEGER : b.rank) || a.i - b.i)
  return ranked.map((r) => r.item)
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives)
  if (!isObject(v)) return v
  const out: JsonObject = {}
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('$')) continue
    out[k] = stripDirectives(val)
  }
  return out
}

/**
 * What kube-apiserver does to a custom resource on every write, for the kinds in the registry:
 * defaulting (CRD defaults and the OME webhook), structural-schema validation, the CEL rules of
 * x-kubernetes-validations (including `self == oldSelf` immutability), metadata validation, and the
 * unknown-field check behind `fieldValidation=Strict`. Causes and messages use kube-apiserver's wording.
 */
import {OBJECT_META_FIELDS, type KubeObject} from './object.js'
import type {KindInfo} from './registry.js'
import {type Schema, isObject} from './schema.js'
import {hasFullSchema, schemaFor} from './schemas/index.js'
import type {StatusCause} from './status.js'

// ------------------------------------------------------------------------------------ helpers

/**
 * What `JSON.parse(JSON.stringify(v))` returns, without the text round trip: undefined, functions and
 * symbols are dropped from objects and become null in arrays, non-finite numbers become null, toJSON()
 * (Dates) is honoured. `undefined` stays undefined. Works on frozen input; the copy is mutable.
 */
export function jsonCopy<T>(v: T): T {
  return v === undefined ? v : (copyValue(v, true) as T)
}

/**
 * Whether jsonCopy(v) would equal `v` under deepEqual (undefined object members aside, which both drop):
 * only strings, booleans, finite numbers, null, plain objects and arrays without holes or undefined items.
 * Walks without allocating.
 */
export function isJsonNormal(v: unknown): boolean {
  return jsonNormal(v, false, true)
}

/**
 * Whether `v` is its own JSON copy: isJsonNormal with no undefined object members either, so jsonCopy(v)
 * has the same keys in the same order and a store may keep `v` in place of a copy.
 */
export function isPlainJson(v: unknown): boolean {
  return jsonNormal(v, false, false)
}

function jsonNormal(v: unknown, inArray: boolean, undefinedMembers: boolean): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(v)
    case 'undefined':
      return !inArray && undefinedMembers
    case 'object': {
      if (v === null) return true
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonNormal(v[i], true, undefinedMembers)) return false
        return true
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return false
      const o = v as Record<string, unknown>
      if (typeof o.toJSON === 'function') return false
      // for-in lists inherited enumerable keys too: only Object.prototype's can be there, and it has none
      // unless something added one (checked first, so that the usual case needs no own-key test per key).
      if (proto !== null && inheritsEnumerable()) {
        for (const k in o) if (!Object.prototype.hasOwnProperty.call(o, k) || !jsonNormal(o[k], false, undefinedMembers)) return false
        return true
      }
      for (const k in o) {
        const x = o[k]
        // Strings (most members) without a call.
        if (typeof x !== 'string' && !jsonNormal(x, false, undefinedMembers)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** Whether Object.prototype has an enumerable property (that for-in over a plain object would list). */
function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true
  return false
}

function copyValue(v: unknown, inArray: boolean): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v
    case 'number':
      return Number.isFinite(v) ? v : null
    case 'object': {
      if (v === null) return null
      if (typeof (v as {toJSON?: unknown}).toJSON === 'function') return copyValue((v as {toJSON: () => unknown}).toJSON(), inArray)
      if (Array.isArray(v)) {
        const out = new Array(v.length)
        for (let i = 0; i < v.length; i++) {
          const item = copyValue(v[i], true)
          out[i] = item === undefined ? null : item
        }
        return out
      }
      const out: Record<string, unknown> = {}
      const src = v as Record<string, unknown>
      for (const k of Object.keys(src)) {
        const x = src[k]
        // Strings and booleans (most members) are copied without a call.
        const item = typeof x === 'string' || typeof x === 'boolean' ? x : copyValue(x, false)
        if (item !== undefined) out[k] = item
      }
      return out
    }
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt')
    default:
      return inArray ? null : undefined
  }
}

const clone = jsonCopy

/**
 * jsonCopy of `v` that reuses the parts of `prev` (a stored, frozen value at the same place) it
 * equals: a subtree whose copy would come out equal to `prev`'s, keys in the same order, is
 * `prev`'s frozen subtree itself. What it returns is JSON-equal to jsonCopy(v).
 */
export function jsonCopyShared<T>(v: T, prev: unknown): T {
  return v === undefined ? v : (copyShared(v, prev, true) as T)
}

function copyShared(v: unknown, prev: unknown, inArray: boolean): unknown {
  if (v === prev && v !== null && typeof v === 'object' && Object.isFrozen(v)) return v
  if (v === null || typeof v !== 'object' || prev === null || typeof prev !== 'object' || !Object.isFrozen(prev)) return copyValue(v, inArray)
  if (typeof (v as {toJSON?: unknown}).toJSON === 'function') return copyShared((v as {toJSON: () => unknown}).toJSON(), prev, inArray)
  if (Array.isArray(v)) {
    if (!Array.isArray(prev)) return copyValue(v, inArray)
    // `out` is made at the first item that differs from prev's (until then prev's items are the copy).
    let out: unknown[] | undefined = prev.length === v.length ? undefined : new Array(v.length)
    for (let i = 0; i < v.length; i++) {
      let item = copyShared(v[i], prev[i], true)
      if (item === undefined) item = null
      if (out) out[i] = item
      else if (item !== prev[i]) {
        // prev is frozen: slice() on a frozen array takes V8's slow path (~20x a plain loop).
        out = new Array(v.length)
        for (let j = 0; j < i; j++) out[j] = prev[j]
        out[i] = item
      }
    }
    return out ?? prev
  }
  if (Array.isArray(prev)) return copyValue(v, inArray)
  const p = prev as Record<string, unknown>
  const pk = Object.keys(p)
  const src = v as Record<string, unknown>
  // `out` is made at the first key that differs from prev's, in value or in place.
  let out: Record<string, unknown> | undefined
  let n = 0
  for (const k of Object.keys(src)) {
    const x = src[k]
    // Strings and booleans (most members) are their own copy: no call.
    const item = typeof x === 'string' || typeof x === 'boolean' ? x : copyShared(x, p[k], false)
    if (item === undefined) continue
    if (out) out[k] = item
    else if (pk[n] !== k || p[k] !== item) {
      out = {}
      for (let j = 0; j < n; j++) out[pk[j]!] = p[pk[j]!]
      out[k] = item
    }
    n++
  }
  if (out) return out
  if (n === pk.length) return prev
  // prev has more keys: the copy is its first n.
  const head: Record<string, unknown> = {}
  for (let j = 0; j < n; j++) head[pk[j]!] = p[pk[j]!]
  return head
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

/** The JSON type name kube-openapi reports for a value. */
function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

/** A value as Go's %#v-ish formatting in field errors prints it: strings quoted, numbers bare. */
function fmt(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** Whether a value satisfies a schema's type (with the int-or-string escape). */
function typeMatches(schema: Schema, v: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))
  switch (schema.type) {
    case undefined:
      return true
    case 'object':
      return isObject(v)
    case 'array':
      return Array.isArray(v)
    case 'string':
      return typeof v === 'string'
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v)
    case 'number':
      return typeof v === 'number'
    case 'boolean':
      return typeof v === 'boolean'
  }
}

function typeName(schema: Schema): string {
  return schema['x-kubernetes-int-or-string'] ? 'integer,string' : (schema.type ?? 'object')
}

const regexCache = new Map<string, RegExp>()
function regex(pattern: string): RegExp {
  let r = regexCache.get(pattern)
  if (!r) {
    r = new RegExp(pattern)
    regexCache.set(pattern, r)
  }
  return r
}

function listKey(item: unknown, keys: string[]): string | undefined {
  if (!isObject(item)) return undefined
  if (keys.length === 1) {
    const v = item[keys[0]!]
    return typeof v === 'string' ? `s:${v}` : JSON.stringify(v)
  }
  return JSON.stringify(keys.map((k) => item[k]))
}

// ------------------------------------------------------------------------------------ defaulting

const propertyLists = new WeakMap<Schema, ReadonlyArray<[string, Schema]>>()
const NO_PROPERTIES: ReadonlyArray<[string, Schema]> = []
/** Object.entries(schema.properties), once per schema (schemas do not change). */
function propertiesOf(schema: Schema): ReadonlyArray<[string, Schema]> {
  if (schema.properties === undefined) return NO_PROPERTIES
  let list = propertyLists.get(schema)
  if (list === undefined) {
    list = Object.entries(schema.properties)
    propertyLists.set(schema, list)
  }
  return list
}

/** Drops nulls of non-nullable fields and fills defaults of absent fields, as the apiserver does. */
function defaultValue(schema: Schema, value: unknown): unknown {
  // A frozen part is one a status write shares with the stored object (jsonCopyShared): defaulted already.
  if (value !== null && typeof value === 'object' && Object.isFrozen(value)) return value
  if (isObject(value)) {
    if (schema.properties) {
      for (const [key, sub] of propertiesOf(schema)) {
        if (value[key] === null && !sub.nullable) delete value[key]
        if (value[key] === undefined && sub.default !== undefined) value[key] = clone(sub.default)
        if (value[key] !== undefined) value[key] = defaultValue(sub, value[key])
      }
    }
    if (isObject(schema.additionalProperties)) {
      const sub = schema.additionalProperties
      for (const key of Object.keys(value)) {
        if (schema.properties?.[key]) continue
        value[key] = defaultValue(sub, value[key])
      }
    }
    return value
  }
  if (Array.isArray(value) && schema.items) {
    const items = schema.items
    return value.map((item) => defaultValue(items, item))
  }
  return value
}

/** The OME InferenceService defaulting webhook (reference ome.md §1.2 and §1.7). */
function defaultOmeInferenceService(obj: KubeObject): void {
  const spec = obj.spec
  if (!isObject(spec)) return
  const replicas = (component: unknown, max: number) => {
    if (!isObject(component) || Object.isFrozen(component)) return
    if (component.minReplicas === undefined || component.minReplicas === null) component.minReplicas = 1
    if (component.maxReplicas === undefined || component.maxReplicas === null || component.maxReplicas === 0) component.maxReplicas = max
  }
  replicas(spec.engine, 3)
  replicas(spec.decoder, 3)
  replicas(spec.router, 2)
  let annotations = (obj.metadata.annotations ??= {})
  if (annotations['ome.io/deploymentMode'] === undefined) {
    if (Object.isFrozen(annotations)) annotations = obj.metadata.annotations = {...annotations}
    const engine = spec.engine
    const worker = isObject(engine) ? engine.worker : undefined
    let mode = 'RawDeployment'
    if (isObject(engine) && isObject(spec.decoder)) mode = 'PDDisaggregated'
    else if (isObject(engine) && isObject(engine.leader) && isObject(worker) && typeof worker.size === 'number' && worker.size > 0) mode = 'MultiNode'
    annotations['ome.io/deploymentMode'] = mode
  }
}

/** Defaults of the built-in kinds the simulator's controllers read. */
/**
 * As kube's SetDefaults_Pod: a container (or init container) with a limit but no request for a
 * resource requests its limit. Pods only; pod templates are not defaulted.
 */
function defaultRequestsFromLimits(spec: Record<string, unknown>): void {
  for (const list of [spec.containers, spec.initContainers]) {
    // A frozen part is shared with the stored (defaulted) object: nothing to fill in there.
    if (!Array.isArray(list) || Object.isFrozen(list)) continue
    for (const c of list) {
      if (!isObject(c) || Object.isFrozen(c) || !isObject(c.resources) || Object.isFrozen(c.resources) || !isObject(c.resources.limits)) continue
      const resources = c.resources
      const limits = resources.limits as Record<string, unknown>
      let requests = isObject(resources.requests) ? resources.requests : {}
      for (const [name, quantity] of Object.entries(limits)) {
        if (requests[name] !== undefined) continue
        if (Object.isFrozen(requests)) requests = {...requests}
        requests[name] = quantity
      }
      if (Object.keys(requests).length > 0) resources.requests = requests
    }
  }
}

function defaultBuiltin(info: KindInfo, obj: KubeObject): void {
  // A frozen spec is the stored (defaulted) one, shared by an update that left it as it was.
  const spec = isObject(obj.spec) && !Object.isFrozen(obj.spec) ? obj.spec : undefined
  const key = `${info.group}/${info.kind}`
  switch (key) {
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
      if (spec && spec.replicas === undefined) spec.replicas = 1
      break
    case 'batch/Job':
      if (spec) {
        spec.backoffLimit ??= 6
        spec.completions ??= 1
        spec.parallelism ??= 1
      }
      break
    case '/Service':
      if (spec) spec.type ??= 'ClusterIP'
      break
    case '/PersistentVolumeClaim':
      if (spec) spec.volumeMode ??= 'Filesystem'
      break
    case '/Pod':
      if (spec) {
        spec.restartPolicy ??= 'Always'
        spec.schedulerName ??= 'default-scheduler'
        defaultRequestsFromLimits(spec)
      }
      break
  }
}

/**
 * A defaulted copy of `obj`: CRD schema defaults (replicas 1, caching.mode Shared, gpu.resourceName
 * amd.com/gpu, storage.pvcHeadroomPercent 10 …, each only where its parent object is present, as on a
 * real server), the OME webhook defaults, and a few built-in defaults. Routing is never enabled here.
 */
export function applyDefaults(info: KindInfo, obj: KubeObject, stored?: KubeObject): KubeObject {
  const out = stored === undefined ? clone(obj) : copyOver(obj, stored)
  out.metadata ??= {}
  if (hasFullSchema(info)) defaultValue(schemaFor(info), out)
  else defaultBuiltin(info, out)
  if (info.group === 'ome.io' && info.kind === 'InferenceService') defaultOmeInferenceService(out)
  return out
}

/**
 * jsonCopy of an update's object that shares the parts equal to the stored (frozen, defaulted) one:
 * defaulting skips those (they are defaulted already), and so do validation, freezing and comparison
 * further on. The object itself and its metadata are always fresh (the store fills in metadata).
 */
function copyOver(obj: KubeObject, stored: KubeObject): KubeObject {
  let out = jsonCopyShared(obj, stored as unknown as KubeObject)
  if (out === null || typeof out !== 'object' || Array.isArray(out)) return out
  if (Object.isFrozen(out)) out = {...out}
  if (isObject(out.metadata) && Object.isFrozen(out.metadata)) out.metadata = {...out.metadata}
  return out
}

/**
 * applyDefaults for a status-subresource write over a stored, already defaulted object: only `status`
 * is copied and defaulted (the CRD's status schema defaults; built-in kinds have none there), the rest
 * is shared with `obj` (metadata copied one level deep). Same result as applyDefaults when everything
 * but the status was already defaulted, without copying spec and managedFields.
 */
export function applyStatusDefaults(info: KindInfo, obj: KubeObject, stored?: KubeObject): KubeObject {
  const out: KubeObject = {...obj, metadata: {...(obj.metadata ?? {})}}
  if (out.status === undefined) delete out.status
  else out.status = stored ? jsonCopyShared(out.status, stored.status) : clone(out.status)
  const sub = hasFullSchema(info) ? schemaFor(info).properties?.status : undefined
  if (sub) {
    if (out.status === null && !sub.nullable) delete out.status
    if (out.status === undefined && sub.default !== undefined) out.status = clone(sub.default)
    if (out.status !== undefined) out.status = defaultValue(sub, out.status)
  }
  return out
}

/**
 * The status part of applyStatusDefaults for a status the caller copied already (store-owned, e.g.
 * by jsonCopyShared against the stored one): the CRD's status schema defaults; undefined when absent.
 */
export function defaultStatus(info: KindInfo, status: unknown): unknown {
  const sub = hasFullSchema(info) ? schemaFor(info).properties?.status : undefined
  if (sub) {
    if (status === null && !sub.nullable) status = undefined
    if (status === undefined && sub.default !== undefined) status = clone(sub.default)
    if (status !== undefined) status = defaultValue(sub, status)
  }
  return status
}

// ------------------------------------------------------------------------------------ schema validation

interface Walk {
  causes: StatusCause[]
  typeErrors: number
}

/**
 * `prev` is the stored value at the same place on an update: a part the write left as stored (the
 * same object) is not checked again, as the apiserver's validation ratcheting does.
 */
function checkSchema(schema: Schema, value: unknown, path: string, w: Walk, prev?: unknown): void {
  if (value === undefined || value === null) return
  if (value === prev && typeof value === 'object') return
  if (!typeMatches(schema, value)) {
    const t = jsonType(value)
    w.causes.push({reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: "${t}": ${path} in body must be of type ${typeName(schema)}: "${t}"`})
    w.typeErrors++
    return
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    w.causes.push({
      reason: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${fmt(value)}: supported values: ${schema.enum.map(fmt).join(', ')}`,
    })
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      w.causes.push({reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${schema.maxLength} bytes`})
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      w.causes.push({reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${fmt(value)}: ${path} in body should be at least ${schema.minLength} chars long`})
    }
    if (schema.pattern !== undefined && !regex(schema.pattern).test(value)) {
      w.causes.push({reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${fmt(value)}: ${path} in body should match '${schema.pattern}'`})
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      w.causes.push({reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`})
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      w.causes.push({reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`})
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      w.causes.push({reason: 'FieldValueTooMany', field: path, message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`})
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      w.causes.push({reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`})
    }
    const keys = schema['x-kubernetes-list-map-keys']
    if (schema['x-kubernetes-list-type'] === 'map' && keys) {
      const seen = new Set<string>()
      value.forEach((item, i) => {
        const k = listKey(item, keys)
        if (k === undefined) return
        if (seen.has(k)) {
          const shown = Object.fromEntries(keys.map((key) => [key, (item as Record<string, unknown>)[key]]))
          w.causes.push({reason: 'FieldValueDuplicate', field: `${path}[${i}]`, message: `Duplicate value: ${JSON.stringify(shown)}`})
        }
        seen.add(k)
      })
    }
    if (schema.items) {
      const items = schema.items
      const before = Array.isArray(prev) ? prev : undefined
      value.forEach((item, i) => checkSchema(items, item, `${path}[${i}]`, w, before?.[i]))
    }
  }
  if (isObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined || value[key] === null) {
        w.causes.push({reason: 'FieldValueRequired', field: join(path, key), message: 'Required value'})
      }
    }
    const before = isObject(prev) ? prev : undefined
    for (const [key, sub] of propertiesOf(schema)) {
      const v = value[key]
      // An absent member is not checked (checkSchema returns at once): no path string for it.
      if (v !== undefined && v !== null) checkSchema(sub, v, join(path, key), w, before?.[key])
    }
    if (isObject(schema.additionalProperties)) {
      const sub = schema.additionalProperties
      for (const key of Object.keys(value)) {
        if (!schema.properties?.[key]) checkSchema(sub, value[key], `${path}[${key}]`, w, before?.[key])
      }
    }
  }
}

const rulesBelow = new WeakMap<Schema, boolean>()
/** Whether a schema or anything under it carries x-kubernetes-validations (cached). */
function hasRules(schema: Schema): boolean {
  let v = rulesBelow.get(schema)
  if (v === undefined) {
    v =
      (schema['x-kubernetes-validations']?.length ?? 0) > 0 ||
      Object.values(schema.properties ?? {}).some(hasRules) ||
      (schema.items !== undefined && hasRules(schema.items)) ||
      (isObject(schema.additionalProperties) && hasRules(schema.additionalProperties))
    rulesBelow.set(schema, v)
  }
  return v
}

/** Evaluates x-kubernetes-validations bottom-up, correlating old values as CEL transition rules do. */
function checkRules(schema: Schema, value: unknown, old: unknown, path: string, causes: StatusCause[]): void {
  if (value === undefined || value === null || !hasRules(schema)) return
  if (isObject(value)) {
    for (const [key, sub] of propertiesOf(schema)) {
      checkRules(sub, value[key], isObject(old) ? old[key] : undefined, join(path, key), causes)
    }
    if (isObject(schema.additionalProperties)) {
      const sub = schema.additionalProperties
      for (const key of Object.keys(value)) {
        if (!schema.properties?.[key]) checkRules(sub, value[key], isObject(old) ? old[key] : undefined, `${path}[${key}]`, causes)
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items
    const keys = schema['x-kubernetes-list-map-keys']
    let oldByKey: Map<string | undefined, unknown> | undefined
    if (schema['x-kubernetes-list-type'] === 'map' && keys && Array.isArray(old)) {
      oldByKey = new Map(old.map((o) => [listKey(o, keys), o]))
    }
    value.forEach((item, i) => {
      const oldItem = oldByKey && keys ? oldByKey.get(listKey(item, keys)) : undefined
      checkRules(items, item, oldItem, `${path}[${i}]`, causes)
    })
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (rule.transition && (old === undefined || old === null)) continue
    let ok: boolean
    try {
      ok = rule.transition ? rule.check(value, old) : rule.check(value)
    } catch {
      ok = false
    }
    if (ok) continue
    const field = rule.fieldPath ? join(path, rule.fieldPath.replace(/^\./, '')) : path
    const reason = rule.reason ?? 'FieldValueInvalid'
    const message =
      reason === 'FieldValueForbidden'
        ? `Forbidden: ${rule.message}`
        : reason === 'FieldValueRequired'
          ? `Required value: ${rule.message}`
          : `Invalid value: "${jsonType(value)}": ${rule.message}`
    causes.push({reason, field, message})
  }
}

// ------------------------------------------------------------------------------------ metadata

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const MSG_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const MSG_DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const MSG_NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const MSG_LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

/** The name rule of a kind: DNS-1123 label for namespaces, DNS-1035 label for services, subdomain otherwise. */
export function nameErrors(info: Pick<KindInfo, 'group' | 'kind'>, name: string): string[] {
  const out: string[] = []
  if (info.group === '' && info.kind === 'Namespace') {
    if (name.length > 63) out.push('must be no more than 63 characters')
    if (!DNS1123_LABEL.test(name)) out.push(MSG_LABEL)
  } else if (info.group === '' && info.kind === 'Service') {
    if (name.length > 63) out.push('must be no more than 63 characters')
    if (!DNS1035_LABEL.test(name)) out.push(MSG_DNS1035)
  } else {
    if (name.length > 253) out.push('must be no more than 253 characters')
    if (!DNS1123_SUBDOMAIN.test(name)) out.push(MSG_SUBDOMAIN)
  }
  return out
}

/** Whether nameErrors finds nothing (without building the list: most names are valid). */
function nameValid(info: Pick<KindInfo, 'group' | 'kind'>, name: string): boolean {
  if (info.group === '' && info.kind === 'Namespace') return name.length <= 63 && DNS1123_LABEL.test(name)
  if (info.group === '' && info.kind === 'Service') return name.length <= 63 && DNS1035_LABEL.test(name)
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
}

/** Label and annotation keys already found valid (the same few keys come back on every write). */
const validKeys = new Set<string>()
const NO_ERRORS: readonly string[] = Object.freeze([])

function qualifiedNameErrors(key: string): readonly string[] {
  if (validKeys.has(key)) return NO_ERRORS
  const out = qualifiedNameErrorsOf(key)
  if (out.length === 0 && validKeys.size < 10_000) validKeys.add(key)
  return out
}

function qualifiedNameErrorsOf(key: string): string[] {
  const out: string[] = []
  const parts = key.split('/')
  let name = key
  if (parts.length === 2) {
    const [prefix = '', rest = ''] = parts
    name = rest
    if (prefix.length === 0) out.push('prefix part must be non-empty')
    else {
      if (prefix.length > 253) out.push('prefix part must be no more than 253 characters')
      if (!DNS1123_SUBDOMAIN.test(prefix)) out.push(`prefix part ${MSG_SUBDOMAIN}`)
    }
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) out.push('name part must be non-empty')
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters')
    if (!QUALIFIED_NAME.test(name)) out.push(MSG_NAME_PART)
  }
  return out
}

function checkMetadata(info: KindInfo, obj: KubeObject, causes: StatusCause[], old?: KubeObject): void {
  const meta = isObject(obj.metadata) ? obj.metadata : {}
  const oldMeta = old && isObject(old.metadata) ? old.metadata : undefined
  const name = meta.name
  if (name === undefined || name === '') {
    if (!meta.generateName) causes.push({reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required'})
  } else if (typeof name === 'string' && name !== oldMeta?.name && !nameValid(info, name)) {
    // An update keeps the stored (validated) name: it is not checked again.
    for (const msg of nameErrors(info, name)) causes.push({reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${fmt(name)}: ${msg}`})
  }
  const labels = meta.labels
  // Labels and annotations the update leaves as stored (the same object) are not checked again.
  if (isObject(labels) && labels !== oldMeta?.labels) {
    for (const [k, v] of Object.entries(labels)) {
      for (const msg of qualifiedNameErrors(k)) causes.push({reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: ${fmt(k)}: ${msg}`})
      if (typeof v !== 'string') continue
      if (v.length > 63) causes.push({reason: 'FieldValueInvalid', field: `metadata.labels`, message: `Invalid value: ${fmt(v)}: must be no more than 63 characters`})
      if (!LABEL_VALUE.test(v)) causes.push({reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: ${fmt(v)}: ${MSG_LABEL_VALUE}`})
    }
  }
  const annotations = meta.annotations
  if (isObject(annotations) && annotations !== oldMeta?.annotations) {
    for (const k of Object.keys(annotations)) {
      for (const msg of qualifiedNameErrors(k)) causes.push({reason: 'FieldValueInvalid', field: 'metadata.annotations', message: `Invalid value: ${fmt(k)}: ${msg}`})
    }
  }
}

/**
 * Validates a write. `old` is the stored object on update (enables the immutability rules). Returns
 * the causes of a 422, empty when the object is valid. Full validation for AIM, legacy AIM and OME
 * kinds; metadata checks only for the others.
 */
export function validateObject(info: KindInfo, obj: KubeObject, old?: KubeObject): StatusCause[] {
  const causes: StatusCause[] = []
  checkMetadata(info, obj, causes, old)
  if (!hasFullSchema(info)) return causes
  const schema = schemaFor(info)
  const w: Walk = {causes, typeErrors: 0}
  // A part an update leaves as it is stored (the same object) is not validated again, as the
  // apiserver's validation ratcheting does: status writes do not re-check the spec and vice versa.
  for (const key of VALIDATED_PARTS) {
    const sub = schema.properties?.[key]
    if (sub && !(old !== undefined && obj[key] === old[key])) checkSchema(sub, obj[key], key, w, old?.[key])
  }
  // Like the apiserver, CEL rules are skipped when the schema already found type errors.
  if (w.typeErrors === 0) {
    for (const key of VALIDATED_PARTS) {
      const sub = schema.properties?.[key]
      if (sub && !(old !== undefined && obj[key] === old[key])) checkRules(sub, obj[key], old?.[key], key, causes)
    }
  }
  return causes
}

const VALIDATED_PARTS = ['spec', 'status'] as const

// ------------------------------------------------------------------------------------ unknown fields

const META_FIELDS: ReadonlySet<string> = new Set(OBJECT_META_FIELDS)

function collectUnknown(schema: Schema, value: unknown, path: string, out: string[]): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return
  if (isObject(value)) {
    const props = schema.properties ?? {}
    const extra = schema.additionalProperties
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key]
      if (sub) collectUnknown(sub, v, join(path, key), out)
      else if (isObject(extra)) collectUnknown(extra, v, `${path}[${key}]`, out)
      else if (extra !== true && !schema['x-kubernetes-preserve-unknown-fields'] && schema.type === 'object' && (schema.properties || extra === false)) {
        out.push(join(path, key))
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items
    value.forEach((item, i) => collectUnknown(items, item, `${path}[${i}]`, out))
  }
}

/**
 * Fields the schema does not know, as paths (`spec.foo`, `spec.env[0].valueFrm`). The API server
 * answers `fieldValidation=Strict` writes that have any with 400 `strict decoding error: unknown field "spec.foo"`.
 */
export function unknownFields(info: KindInfo, obj: KubeObject): string[] {
  // Tolerate callers that pass (obj, info).
  if (isObject(info) && 'metadata' in info && isObject(obj) && 'plural' in obj) [info, obj] = [obj as unknown as KindInfo, info as unknown as KubeObject]
  const out: string[] = []
  if (isObject(obj.metadata)) {
    for (const key of Object.keys(obj.metadata)) if (!META_FIELDS.has(key)) out.push(`metadata.${key}`)
  }
  if (!hasFullSchema(info)) return out
  const schema = schemaFor(info)
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'metadata') continue
    const sub = schema.properties?.[key]
    if (sub) collectUnknown(sub, v, key, out)
    else out.push(key)
  }
  return out
}

/**
 * The message of the 400 answer to a strict write with unknown fields. With the kind, the create/update
 * form kube-apiserver uses: `AIMService in version "v1alpha1" cannot be handled as a AIMService: strict decoding error: …`.
 */
export function strictDecodingMessage(fields: string[], kind?: Pick<KindInfo, 'kind' | 'version'>): string {
  const body = `strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`
  return kind ? `${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${body}` : body
}

function pruneValue(schema: Schema, value: unknown): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return
  if (isObject(value)) {
    const props = schema.properties ?? {}
    const extra = schema.additionalProperties
    for (const key of Object.keys(value)) {
      const sub = props[key]
      if (sub) pruneValue(sub, value[key])
      else if (isObject(extra)) pruneValue(extra, value[key])
      else if (extra !== true && !schema['x-kubernetes-preserve-unknown-fields'] && schema.type === 'object' && (schema.properties || extra === false)) {
        delete value[key]
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items
    for (const item of value) pruneValue(items, item)
  }
}

/**
 * A copy without the fields the schema does not know: what kube-apiserver stores for a custom
 * resource written without fieldValidation=Strict (the default, Warn, drops them and warns with
 * `unknown field "spec.foo"`). Kinds without a full schema are returned unchanged (copied).
 */
export function pruneUnknownFields(info: KindInfo, obj: KubeObject): KubeObject {
  const out = clone(obj)
  if (!hasFullSchema(info)) return out
  const schema = schemaFor(info)
  for (const key of Object.keys(out)) {
    if (key === 'metadata') continue
    const sub = schema.properties?.[key]
    if (sub) pruneValue(sub, out[key])
    else delete out[key]
  }
  return out
}

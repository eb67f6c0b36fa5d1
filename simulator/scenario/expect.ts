/** Checks a scenario's `expect` step against the object store; every failed check explains itself. */
import type {Condition, KubeObject} from '../../src/api/object.js'
import {evaluate} from '../apiserver/jsonpath.js'
import type {Store} from '../store/types.js'
import type {Expectation, ResourceTarget} from './schema.js'

export interface CheckFailure {
  /** What was checked: `exists`, `jsonpath {.status.status}`, `condition Ready`, `count`. */
  check: string
  expected: string
  actual: string
}

/** The store reads an expectation needs (a Store is one). */
export type StoreReader = Pick<Store, 'get' | 'list'>

export function storeRef(target: ResourceTarget): {group: string; version: string; plural: string} {
  return {group: target.group, version: target.version, plural: target.info.plural}
}

/** Values read from YAML compare by their text (`True` and "True", 1 and "1"); structures compare deeply. */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true
  const scalar = (x: unknown) => x === null || ['string', 'number', 'boolean'].includes(typeof x)
  if (scalar(actual) && scalar(expected)) {
    if (typeof expected === 'boolean' && typeof actual === 'string') return actual === (expected ? 'True' : 'False') || actual === String(expected)
    return String(actual) === String(expected)
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((a, i) => sameValue(a, expected[i]))
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object' && !Array.isArray(actual) && !Array.isArray(expected)) {
    const a = actual as Record<string, unknown>
    const e = expected as Record<string, unknown>
    const keys = new Set([...Object.keys(a), ...Object.keys(e)])
    return [...keys].every((k) => sameValue(a[k], e[k]))
  }
  return false
}

export function show(value: unknown): string {
  if (value === undefined) return '<none>'
  if (typeof value === 'string') return JSON.stringify(value)
  return JSON.stringify(value)
}

/**
 * Evaluate a kubectl-style JSONPath. Filters (`[?(@.name=="HF_TOKEN")]`) are matched as data and
 * plain paths go to jsonpath-plus with script evaluation disabled: scenarios are user input.
 */
export function readPath(obj: KubeObject, path: string): unknown {
  const results = evaluate(path, obj)
  if (results.length === 0) return undefined
  return results.length === 1 ? results[0] : results
}

function conditionsOf(obj: KubeObject): Condition[] {
  const status = obj.status as {conditions?: Condition[]} | undefined
  return Array.isArray(status?.conditions) ? status.conditions : []
}

function describeCondition(c: Condition | undefined): string {
  if (!c) return '<no such condition>'
  return `status=${c.status}${c.reason ? ` reason=${c.reason}` : ''}${c.message ? ` message=${JSON.stringify(c.message)}` : ''}`
}

export function checkExpectation(store: StoreReader, e: Expectation): CheckFailure[] {
  const ref = storeRef(e.target)
  const failures: CheckFailure[] = []
  if (e.name === undefined) {
    const {items} = store.list(ref, {namespace: e.namespace, labelSelector: e.selector, fieldSelector: e.fieldSelector})
    const selectors = [e.selector, e.fieldSelector].filter(Boolean).join(', ')
    const names = () => items.map((i) => (i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name)).join(', ')
    const actual = () => `${items.length}${items.length > 0 ? ` (${names()})` : ''}`
    if (e.count !== undefined && items.length !== e.count) {
      failures.push({check: `count${selectors ? ` (selector ${selectors})` : ''}`, expected: String(e.count), actual: actual()})
    }
    if (e.minCount !== undefined && items.length < e.minCount) {
      failures.push({check: `count${selectors ? ` (selector ${selectors})` : ''}`, expected: `at least ${e.minCount}`, actual: actual()})
    }
    return failures
  }
  const obj = store.get(ref, e.target.info.namespaced ? e.namespace : undefined, e.name)
  const wantExists = e.exists ?? true
  if (!obj) {
    if (wantExists) failures.push({check: 'exists', expected: 'the object exists', actual: 'not found'})
    return failures
  }
  if (!wantExists) {
    const deleting = obj.metadata.deletionTimestamp ? ` (deleting since ${obj.metadata.deletionTimestamp}, finalizers: ${(obj.metadata.finalizers ?? []).join(', ') || 'none'})` : ''
    failures.push({check: 'exists', expected: 'no such object', actual: `it exists${deleting}`})
    return failures
  }
  for (const {path, equals} of e.jsonpath) {
    const actual = readPath(obj, path)
    if (!sameValue(actual, equals)) failures.push({check: `jsonpath ${path}`, expected: show(equals), actual: show(actual)})
  }
  const conditions = conditionsOf(obj)
  for (const want of e.conditions) {
    const got = conditions.find((c) => c.type === want.type)
    const ok =
      got !== undefined &&
      (want.status === undefined || got.status === want.status) &&
      (want.reason === undefined || got.reason === want.reason) &&
      (want.message === undefined || (got.message ?? '').includes(want.message))
    if (!ok) {
      const expected = [want.status && `status=${want.status}`, want.reason && `reason=${want.reason}`, want.message && `message contains ${JSON.stringify(want.message)}`]
        .filter(Boolean)
        .join(' ')
      failures.push({check: `condition ${want.type}`, expected: expected || 'present', actual: describeCondition(got)})
    }
  }
  return failures
}

/**
 * Label and field selectors with kube-apiserver semantics (reference §2.15). Parse once, match
 * many times: the store and the API server's watch filtering share these.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {errors} from '../../src/api/status.js'

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!'

export interface LabelRequirement {
  key: string
  operator: LabelOperator
  values: string[]
}

const KEY_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/
const KEY_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

function badSelector(detail: string): never {
  throw errors.badRequest(`unable to parse requirement: ${detail}`)
}

function checkKey(key: string): string {
  if (key === '') badSelector(`found '', expected: identifier`)
  const slash = key.indexOf('/')
  const name = slash < 0 ? key : key.slice(slash + 1)
  const prefix = slash < 0 ? undefined : key.slice(0, slash)
  if (prefix !== undefined && (prefix.length > 253 || !KEY_PREFIX.test(prefix))) {
    badSelector(`invalid label key "${key}": prefix part must be a lowercase RFC 1123 subdomain`)
  }
  if (name.length > 63 || !KEY_NAME.test(name)) {
    badSelector(
      `invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    )
  }
  return key
}

function checkValue(value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    badSelector(
      `invalid label value: "${value}": at key: must be no more than 63 characters; a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    )
  }
  return value
}

/** Split on commas that are not inside parentheses. */
function splitTopLevel(input: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < input.length; i++) {
    const c = input[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === ',' && depth === 0) {
      parts.push(input.slice(start, i))
      start = i + 1
    }
  }
  parts.push(input.slice(start))
  return parts
}

const SET_RE = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/
const EQ_RE = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/

/** Parse kubectl's label selector syntax; throws ApiError 400 on a malformed selector. */
export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
  if (selector === undefined || selector.trim() === '') return []
  const out: LabelRequirement[] = []
  for (const raw of splitTopLevel(selector)) {
    const part = raw.trim()
    if (part === '') badSelector(`found '', expected: identifier`)
    let m: RegExpMatchArray | null
    if (part.startsWith('!')) {
      out.push({key: checkKey(part.slice(1).trim()), operator: '!', values: []})
    } else if ((m = part.match(SET_RE))) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim()))
      out.push({key: checkKey(m[1]!), operator: m[2] as 'in' | 'notin', values})
    } else if ((m = part.match(EQ_RE))) {
      out.push({key: checkKey(m[1]!), operator: m[2] === '!=' ? '!=' : '=', values: [checkValue(m[3]!.trim())]})
    } else if (/^\S+$/.test(part) && !/[=!()]/.test(part)) {
      out.push({key: checkKey(part), operator: 'exists', values: []})
    } else {
      badSelector(`found '${part}', expected: in, notin, =, ==, !=, gt, lt`)
    }
  }
  return out
}

/** True when `labels` satisfy every requirement (`!=` and `notin` also match a missing key). */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: string | LabelRequirement[] | undefined,
): boolean {
  const reqs = typeof selector === 'string' || selector === undefined ? parseLabelSelector(selector) : selector
  for (const r of reqs) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key)
    const value = has ? labels![r.key] : undefined
    switch (r.operator) {
      case '=':
        if (value !== r.values[0]) return false
        break
      case '!=':
        if (has && value === r.values[0]) return false
        break
      case 'in':
        if (!has || !r.values.includes(value!)) return false
        break
      case 'notin':
        if (has && r.values.includes(value!)) return false
        break
      case 'exists':
        if (!has) return false
        break
      case '!':
        if (has) return false
        break
    }
  }
  return true
}

export interface FieldRequirement {
  field: string
  operator: '=' | '!='
  value: string
}

/** Parse `a=b,c!=d,e==f`; throws ApiError 400 on a malformed selector. */
export function parseFieldSelector(selector: string | undefined): FieldRequirement[] {
  if (selector === undefined || selector.trim() === '') return []
  const out: FieldRequirement[] = []
  for (const raw of selector.split(',')) {
    const part = raw.trim()
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/)
    if (!m) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`)
    out.push({field: m[1]!.trim(), operator: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim()})
  }
  return out
}

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace']
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
]
const FIELDS_BY_KIND: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  '/events': EVENT_FIELDS,
  'events.k8s.io/events': [
    'regarding.kind',
    'regarding.namespace',
    'regarding.name',
    'regarding.uid',
    'regarding.apiVersion',
    'regarding.resourceVersion',
    'regarding.fieldPath',
    'reason',
    'reportingController',
    'type',
  ],
  '/namespaces': ['status.phase'],
  '/nodes': ['spec.unschedulable'],
  '/secrets': ['type'],
  '/persistentvolumeclaims': ['spec.volumeName'],
}

/** The field labels a kind supports in field selectors. */
export function supportedFields(info: Pick<KindInfo, 'group' | 'plural'>): string[] {
  return [...COMMON_FIELDS, ...(FIELDS_BY_KIND[`${info.group}/${info.plural}`] ?? [])]
}

/** Throws ApiError 400 `field label not supported: X` for a field the kind does not index. */
export function checkFieldSelector(info: Pick<KindInfo, 'group' | 'plural'>, reqs: FieldRequirement[]): void {
  if (reqs.length === 0) return
  const ok = supportedFields(info)
  for (const r of reqs) {
    if (!ok.includes(r.field)) throw errors.badRequest(`field label not supported: ${r.field}`)
  }
}

/** The string value a field selector compares against ('' when absent, as the apiserver does). */
export function fieldValue(obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata.name ?? ''
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? ''
  if (field === 'source') {
    const source = (obj as {source?: {component?: string}}).source
    return source?.component ?? ''
  }
  let cur: unknown = obj
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return ''
    cur = (cur as Record<string, unknown>)[part]
  }
  if (cur === undefined || cur === null) return ''
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur)
}

export function matchesFieldSelector(obj: KubeObject, selector: string | FieldRequirement[] | undefined): boolean {
  const reqs = typeof selector === 'string' || selector === undefined ? parseFieldSelector(selector) : selector
  for (const r of reqs) {
    const v = fieldValue(obj, r.field)
    if (r.operator === '=' ? v !== r.value : v === r.value) return false
  }
  return true
}

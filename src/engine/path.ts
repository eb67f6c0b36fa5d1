/**
 * HTTPRoute path of a service: `routing.pathTemplate` rendered against the AIMService with
 * JSONPath (script evaluation disabled — the template is user input), lowercased, URL-encoded per
 * segment, at most 200 characters. Seeds win over the operator here (docs/compatibility.md).
 */
import {JSONPath} from 'jsonpath-plus'
import type {KubeObject} from '../api/object.js'
import type {ConditionDecision} from './types.js'

export const MAX_PATH_LENGTH = 200

export type PathResult =
  | {ok: true; path: string}
  | {ok: false; reason: 'PathTemplateInvalid'; message: string; condition: ConditionDecision}

function invalid(message: string): PathResult {
  return {ok: false, reason: 'PathTemplateInvalid', message, condition: {type: 'HTTPRouteReady', status: 'False', reason: 'PathTemplateInvalid', message}}
}

/** Lowercase, split on `/`, drop empty segments, URL-encode each, prefix `/`. */
export function normalizePath(raw: string): string {
  const segments = raw
    .trim()
    .toLowerCase()
    .split('/')
    .filter((s) => s !== '')
    .map((s) => encodeURIComponent(s))
  return `/${segments.join('/')}`
}

/** The path when no template is given: `/<namespace>/<name>` (seed 001's example status). */
export function defaultRoutePath(service: KubeObject): string {
  return normalizePath(`/${service.metadata.namespace ?? 'default'}/${service.metadata.name ?? ''}`)
}

function describeExpr(expr: string): string {
  const m = /^\.metadata\.(labels|annotations)\[['"](.+)['"]\]$/.exec(expr)
  if (m) return `${m[1] === 'labels' ? 'label' : 'annotation'} "${m[2]}" not found on the service`
  return `field ${expr} not found on the service`
}

/** Evaluate one `{expr}` against the service; a string, or an error message. */
export function evaluateExpression(expr: string, service: KubeObject): {ok: true; value: string} | {ok: false; message: string} {
  const trimmed = expr.trim()
  if (!trimmed.startsWith('.') && !trimmed.startsWith('[')) return {ok: false, message: `expression {${expr}} must start with "."`}
  let results: unknown[]
  try {
    results = JSONPath({path: `$${trimmed}`, json: service as object, eval: false, wrap: true}) as unknown[]
  } catch (e) {
    return {ok: false, message: `expression {${expr}} is not supported: ${(e as Error).message}`}
  }
  if (!Array.isArray(results) || results.length === 0) return {ok: false, message: describeExpr(trimmed)}
  if (results.length > 1) return {ok: false, message: `expression {${expr}} matches ${results.length} values; it must match exactly one`}
  const v = results[0]
  if (v === null || v === undefined) return {ok: false, message: describeExpr(trimmed)}
  if (typeof v === 'object') return {ok: false, message: `expression {${expr}} does not select a single value`}
  return {ok: true, value: String(v)}
}

/**
 * Render a pathTemplate (`/{.metadata.namespace}/chat/{.metadata.name}`). Without a template, the
 * default path. A missing field or label, an unsupported expression, unbalanced braces, or a
 * result longer than 200 characters → `{ok: false, reason: 'PathTemplateInvalid', message}`.
 */
export function renderPathTemplate(template: string | undefined | null, service: KubeObject): PathResult {
  if (template === undefined || template === null || template.trim() === '') return {ok: true, path: defaultRoutePath(service)}
  let out = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    const close = template.indexOf('}', i)
    if (open < 0) {
      if (close >= 0) return invalid(`pathTemplate "${template}" has an unmatched "}"`)
      out += template.slice(i)
      break
    }
    if (close >= 0 && close < open) return invalid(`pathTemplate "${template}" has an unmatched "}"`)
    const end = template.indexOf('}', open)
    if (end < 0) return invalid(`pathTemplate "${template}" has an unmatched "{"`)
    const expr = template.slice(open + 1, end)
    if (expr.includes('{')) return invalid(`pathTemplate "${template}" has nested "{"`)
    out += template.slice(i, open)
    const r = evaluateExpression(expr, service)
    if (!r.ok) return invalid(`pathTemplate "${template}" cannot be rendered: ${r.message}`)
    out += r.value
    i = end + 1
  }
  const path = normalizePath(out)
  if (path.length > MAX_PATH_LENGTH) {
    return invalid(`rendered path is ${path.length} characters long; the limit is ${MAX_PATH_LENGTH}`)
  }
  return {ok: true, path}
}

/**
 * Printer-column JSONPath (kubectl's `.status.conditions[?(@.type=="Ready")].status` dialect).
 * Plain paths go to jsonpath-plus with script evaluation disabled; filter segments
 * `[?(@.a.b == 'x')]` (==, !=, or bare existence) are matched here as data, never executed.
 */
import {JSONPath} from 'jsonpath-plus'

function toPlusPath(path: string): string {
  const p = path.trim().replace(/^\{(.*)\}$/, '$1')
  if (p.startsWith('$')) return p
  return p.startsWith('.') || p.startsWith('[') ? `$${p}` : `$.${p}`
}

type Segment = {kind: 'field'; name: string} | {kind: 'index'; index: number} | {kind: 'all'} | {kind: 'filter'; path: string[]; op?: '==' | '!='; value?: unknown}

function parse(path: string): Segment[] | undefined {
  const s = toPlusPath(path).slice(1)
  const out: Segment[] = []
  let i = 0
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([A-Za-z0-9_\-/]+|\*)/.exec(s.slice(i))
      if (!m) return undefined
      out.push(m[1] === '*' ? {kind: 'all'} : {kind: 'field', name: m[1]!})
      i += m[0].length
    } else if (s[i] === '[') {
      const end = matchBracket(s, i)
      if (end < 0) return undefined
      const inner = s.slice(i + 1, end).trim()
      i = end + 1
      if (inner === '*') out.push({kind: 'all'})
      else if (/^\d+$/.test(inner)) out.push({kind: 'index', index: Number(inner)})
      else if (/^['"].*['"]$/.test(inner)) out.push({kind: 'field', name: inner.slice(1, -1)})
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const f = /^@((?:\.[A-Za-z0-9_\-/]+)+)\s*(?:(==|!=)\s*(.+))?$/.exec(inner.slice(2, -1).trim())
        if (!f) return undefined
        out.push({kind: 'filter', path: f[1]!.slice(1).split('.'), op: f[2] as '==' | '!=' | undefined, value: f[3] === undefined ? undefined : literal(f[3].trim())})
      } else return undefined
    } else return undefined
  }
  return out
}

function matchBracket(s: string, start: number): number {
  let depth = 0
  let quote: string | undefined
  for (let i = start; i < s.length; i++) {
    const c = s[i]
    if (quote) {
      if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === '[') depth++
    else if (c === ']' && --depth === 0) return i
  }
  return -1
}

function literal(text: string): unknown {
  if (/^['"].*['"]$/.test(text)) return text.slice(1, -1)
  if (text === 'true') return true
  if (text === 'false') return false
  if (text === 'null') return null
  const n = Number(text)
  return Number.isNaN(n) ? text : n
}

function step(values: unknown[], seg: Segment): unknown[] {
  const out: unknown[] = []
  for (const v of values) {
    if (seg.kind === 'field') {
      if (v && typeof v === 'object' && !Array.isArray(v) && seg.name in v) out.push((v as Record<string, unknown>)[seg.name])
    } else if (seg.kind === 'index') {
      if (Array.isArray(v) && seg.index < v.length) out.push(v[seg.index])
    } else if (seg.kind === 'all') {
      if (Array.isArray(v)) out.push(...v)
      else if (v && typeof v === 'object') out.push(...Object.values(v))
    } else {
      const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []
      for (const item of items) {
        let cur: unknown = item
        for (const k of seg.path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined
        const keep = seg.op === undefined ? cur !== undefined : seg.op === '==' ? cur === seg.value : cur !== seg.value
        if (keep) out.push(item)
      }
    }
  }
  return out
}

/** Every value the path selects, in document order ([] when nothing matches or the path is not supported). */
export function evaluate(path: string, json: unknown): unknown[] {
  if (!path.includes('?(')) {
    try {
      return JSONPath({path: toPlusPath(path), json: json as object, eval: false, wrap: true}) as unknown[]
    } catch {
      return []
    }
  }
  const segments = parse(path)
  if (!segments) return []
  let values: unknown[] = [json]
  for (const seg of segments) values = step(values, seg)
  return values
}

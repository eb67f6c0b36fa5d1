/**
 * Plain-text building blocks shared by every view: kubectl-style ages and tables, condition symbols,
 * progress bars, colours that switch off cleanly (NO_COLOR, --no-color, pipes).
 */
import type {Condition} from '../api/object.js'
import {isErrorReason} from '../kube/aim.js'

export interface Style {
  color: boolean
}

const CODES = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2} as const
export type ColorName = keyof typeof CODES

export function paint(style: Style, color: ColorName, text: string): string {
  return style.color ? `\u001b[${CODES[color]}m${text}\u001b[${color === 'bold' || color === 'dim' ? 22 : 39}m` : text
}

/** kubectl's short age: 45s, 5m, 3h12m, 2d3h, 400d. */
export function formatAge(fromISO: string | undefined, nowMs: number): string {
  if (!fromISO) return '<unknown>'
  const from = Date.parse(fromISO)
  if (Number.isNaN(from)) return '<unknown>'
  return formatDuration(Math.max(0, nowMs - from))
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 60 * 2) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`
  if (m < 60 * 3) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`
  if (h < 48) return `${h}h`
  const d = Math.floor(h / 24)
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`
  return `${d}d`
}

/** Parses `5m`, `90s`, `1h30m`, `2d`, `500ms` to milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g
  const trimmed = text.trim()
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) {
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
    return undefined
  }
  const unit: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}
  let total = 0
  for (const m of trimmed.matchAll(re)) total += Number(m[1]) * unit[m[2]!]!
  return total
}

/** Visible width (ANSI codes excluded). */
export function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length
}

/** kubectl-style table: upper-case headers, two-space gaps, no trailing spaces. */
export function table(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows]
  const widths = headers.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))))
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
        .join('   ')
        .replace(/\s+$/, ''),
    )
    .join('\n')
}

/** `[#########.........]  45%` */
export function progressBar(percent: number, barWidth = 20): string {
  const p = Math.max(0, Math.min(100, percent))
  const filled = Math.round((p / 100) * barWidth)
  return `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${String(Math.round(p)).padStart(3)}%`
}

export type ConditionMood = 'ok' | 'error' | 'waiting' | 'unknown'

/** Conditions whose False is not an error (framework ones read positively when True). */
export function conditionMood(c: Pick<Condition, 'status' | 'reason'>): ConditionMood {
  if (c.status === 'True') return 'ok'
  if (c.status === 'Unknown') return 'unknown'
  if (isErrorReason(c.reason)) return 'error'
  return 'waiting'
}

/** ✓ ready, ✗ failing, … waiting, ? unknown (ASCII fallbacks without colour on a dumb terminal). */
export function conditionSymbol(c: Pick<Condition, 'status' | 'reason'>, style: Style): string {
  const mood = conditionMood(c)
  switch (mood) {
    case 'ok':
      return paint(style, 'green', '✓')
    case 'error':
      return paint(style, 'red', '✗')
    case 'waiting':
      return paint(style, 'yellow', '…')
    default:
      return paint(style, 'gray', '?')
  }
}

export function statusColor(status: string | undefined): ColorName {
  switch (status) {
    case 'Running':
    case 'Ready':
    case 'True':
      return 'green'
    case 'Failed':
    case 'Degraded':
    case 'NotAvailable':
      return 'red'
    default:
      return 'yellow'
  }
}

/** Orders conditions as kn does: Ready first, then errors, then waiting, then ok. */
export function sortConditions<T extends Pick<Condition, 'type' | 'status' | 'reason'>>(conditions: T[]): T[] {
  const rank: Record<ConditionMood, number> = {error: 0, waiting: 1, unknown: 2, ok: 3}
  return [...conditions].sort((a, b) => {
    if (a.type === 'Ready') return -1
    if (b.type === 'Ready') return 1
    return rank[conditionMood(a)] - rank[conditionMood(b)]
  })
}

export function humanBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '-'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`
}

export function orNone(value: string | number | undefined | null): string {
  return value === undefined || value === null || value === '' ? '<none>' : String(value)
}

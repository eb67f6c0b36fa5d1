/** Go-style durations as kubectl and the seeds write them: `250ms`, `30s`, `5m`, `1h30m`, `2d`. */

const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g

/** Milliseconds for a duration string, or undefined when it is not one. A bare `0` is zero. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim()
  if (value === '0') return 0
  if (!WHOLE.test(value)) return undefined
  let total = 0
  for (const match of value.matchAll(PART)) total += Number(match[1]) * UNIT_MS[match[2]!]!
  return Math.round(total)
}

/** `90000` → `1m30s`; the inverse of parseDuration for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  let rest = Math.round(ms)
  let out = ''
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  if (rest > 0) out += `${rest}ms`
  return out
}

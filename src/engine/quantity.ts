/** Kubernetes resource quantities as plain numbers (bytes, cores). */

const BINARY: Record<string, number> = {Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60}
const DECIMAL: Record<string, number> = {n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18}

export const GiB = 2 ** 30

/**
 * Parse a quantity (`61Gi`, `500m`, `1.5G`, `2e3`, 16) into a number in base units. Returns
 * undefined for anything that is not a quantity.
 */
export function parseQuantity(q: string | number | undefined | null): number | undefined {
  if (q === undefined || q === null) return undefined
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?\s*$/.exec(q)
  if (!m) return undefined
  const n = Number(m[1])
  if (m[2]) return n * 10 ** Number(m[2].slice(1))
  const suffix = m[3] ?? ''
  const mult = BINARY[suffix] ?? DECIMAL[suffix]
  return mult === undefined ? undefined : n * mult
}

/** Whole or fractional GiB as a quantity string: 288 GiB → `288Gi`. */
export function formatGi(bytes: number): string {
  const gi = bytes / GiB
  return `${Number.isInteger(gi) ? gi : Number(gi.toFixed(2))}Gi`
}

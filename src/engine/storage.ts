/** PVC sizing, display sizes and storage-class choice for artifacts (reference §6.3). */
import {GiB, parseQuantity} from './quantity.js'

export const DEFAULT_HEADROOM_PERCENT = 10
export const MAX_ARTIFACT_BYTES = 2 ** 50

/** `ceil(int64(bytes·(1+h/100)) / GiB) · GiB` in bytes. */
export function pvcSizeBytes(bytes: number, headroomPercent = DEFAULT_HEADROOM_PERCENT): number {
  const withHeadroom = Math.floor(bytes * (1 + headroomPercent / 100))
  return Math.ceil(withHeadroom / GiB) * GiB
}

/** The PVC request as a quantity: 61 GiB with 10% → `68Gi`. */
export function pvcSize(bytes: number, headroomPercent = DEFAULT_HEADROOM_PERCENT): string {
  return `${pvcSizeBytes(bytes, headroomPercent) / GiB}Gi`
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const

/** Human size with two significant digits: `61 GiB`, `1.5 GiB`, `120 GiB`, `512 MiB` → `510 MiB`. */
export function formatDisplaySize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B'
  let i = 0
  let v = bytes
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024
    i++
  }
  let shown = Number(v.toPrecision(2))
  if (shown >= 1024 && i < UNITS.length - 1) {
    shown = Number((shown / 1024).toPrecision(2))
    i++
  }
  return `${shown} ${UNITS[i]}`
}

export interface RuntimeStorageView {
  storage?: {defaultStorageClassName?: string; pvcHeadroomPercent?: number}
  defaultStorageClassName?: string
  pvcHeadroomPercent?: number
}

/** Headroom: runtime config storage.pvcHeadroomPercent, else the deprecated top-level field, else 10. */
export function headroomPercent(rc: RuntimeStorageView | undefined): number {
  return rc?.storage?.pvcHeadroomPercent ?? rc?.pvcHeadroomPercent ?? DEFAULT_HEADROOM_PERCENT
}

/** Storage class: the artifact's, else the runtime config's default, else unset (the cluster default). */
export function storageClassFor(artifactClass: string | undefined, rc: RuntimeStorageView | undefined): string | undefined {
  return artifactClass || rc?.storage?.defaultStorageClassName || rc?.defaultStorageClassName || undefined
}

/** Size of a model source in bytes: a quantity, or 0/undefined meaning "discover the size". */
export function sourceSizeBytes(size: string | number | undefined): number | undefined {
  const n = parseQuantity(size)
  return n && n > 0 ? n : undefined
}

/**
 * The check-size Job's last log line `{"url": …, "sizeBytes": N}`; 0 < N ≤ 1 PiB. Returns the size or
 * an error (`InvalidSizeOutput`).
 */
export function parseCheckSizeOutput(lines: readonly string[]): {ok: true; sizeBytes: number} | {ok: false; reason: 'InvalidSizeOutput'; message: string} {
  const last = [...lines].reverse().find((l) => l.trim() !== '')
  try {
    const v = JSON.parse(last ?? '') as {sizeBytes?: unknown}
    const n = typeof v.sizeBytes === 'number' ? v.sizeBytes : Number(v.sizeBytes)
    if (Number.isFinite(n) && n > 0 && n <= MAX_ARTIFACT_BYTES) return {ok: true, sizeBytes: n}
    return {ok: false, reason: 'InvalidSizeOutput', message: `size ${String(v.sizeBytes)} is out of range`}
  } catch {
    return {ok: false, reason: 'InvalidSizeOutput', message: `cannot parse size output: ${last ?? '(no output)'}`}
  }
}

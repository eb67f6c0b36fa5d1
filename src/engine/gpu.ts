/**
 * AMD GPUs: the device-id table, GPU detection from node labels, the cluster's GPU inventory,
 * template GPU availability and node affinity, and the GPU preference tier used in selection.
 */
import type {KubeObject} from '../api/object.js'
import {GiB, formatGi, parseQuantity} from './quantity.js'
import type {HardwareRequirements, Health} from './types.js'

export interface KnownGpu {
  model: string
  deviceIds: string[]
  vramGi: number
}

/** Device ID → model (reference §5.2, KnownAmdDevices). IDs lowercase, without `0x`. */
export const KNOWN_AMD_GPUS: readonly KnownGpu[] = [
  {model: 'MI100', deviceIds: ['738c', '738e'], vramGi: 32},
  {model: 'MI210', deviceIds: ['740f', '7410'], vramGi: 64},
  {model: 'MI250X', deviceIds: ['7408', '740c'], vramGi: 128},
  {model: 'MI300A', deviceIds: ['74a0'], vramGi: 128},
  {model: 'MI300X', deviceIds: ['74a1', '74a9', '74b5', '74bd'], vramGi: 192},
  {model: 'MI308X', deviceIds: ['74a2', '74a8', '74b6'], vramGi: 128},
  {model: 'MI325X', deviceIds: ['74a5', '74b9'], vramGi: 256},
  {model: 'MI350X', deviceIds: ['75a0', '75b0'], vramGi: 288},
  {model: 'MI355X', deviceIds: ['75a3', '75b3'], vramGi: 288},
  {model: 'V710', deviceIds: ['7460', '7461'], vramGi: 32},
  {model: 'W7900', deviceIds: ['7448', '744a'], vramGi: 48},
  {model: 'W7800', deviceIds: ['7449', '745e'], vramGi: 32},
  {model: 'W6900X', deviceIds: ['73a2'], vramGi: 32},
  {model: 'W6800', deviceIds: ['73a3'], vramGi: 32},
  {model: 'W6800X', deviceIds: ['73ab'], vramGi: 32},
  {model: 'V620', deviceIds: ['73a1', '73ae'], vramGi: 32},
  {model: 'RX9070', deviceIds: ['7550'], vramGi: 16},
  {model: 'RX7900', deviceIds: ['744c'], vramGi: 24},
  {model: 'RX6900', deviceIds: ['73af'], vramGi: 16},
  {model: 'RX6800', deviceIds: ['73bf'], vramGi: 16},
]

const byDeviceId = new Map<string, KnownGpu>()
const byModel = new Map<string, KnownGpu>()
for (const g of KNOWN_AMD_GPUS) {
  byModel.set(g.model, g)
  for (const id of g.deviceIds) byDeviceId.set(id, g)
}

export const GPU_RESOURCE = 'amd.com/gpu'
export const DEVICE_ID_LABEL = 'amd.com/gpu.device-id'
export const FAMILY_LABEL = 'amd.com/gpu.family'
export const VRAM_LABEL = 'amd.com/gpu.vram'
export const PRODUCT_NAME_LABEL = 'amd.com/gpu.product-name'

function cleanDeviceId(id: string): string {
  return id.trim().toLowerCase().replace(/^0x/, '')
}

/** `0x74A1` → `MI300X`; an unknown ID → `AMD-<ID>` (uppercase, as the operator prints it). */
export function deviceIdToModel(id: string): string {
  const clean = cleanDeviceId(id)
  return byDeviceId.get(clean)?.model ?? `AMD-${clean.toUpperCase()}`
}

/** Every device ID of a (normalised) model; `AMD-74XX` maps back to its own ID. */
export function deviceIdsForModel(model: string): string[] {
  const norm = normalizeGpuModel(model)
  const known = byModel.get(norm)
  if (known) return [...known.deviceIds]
  const m = /^AMD-([0-9A-F]+)$/.exec(norm)
  return m?.[1] ? [m[1].toLowerCase()] : []
}

/** VRAM from the static table, in bytes. */
export function knownVramBytes(model: string): number | undefined {
  const g = byModel.get(normalizeGpuModel(model))
  return g ? g.vramGi * GiB : undefined
}

const MODEL_TOKEN = /^[A-Z]*[0-9]+[A-Z0-9]*$/

/**
 * `Instinct-MI325X` → `MI325X`, `mi300x` → `MI300X`, `MI300X (rev 2)` → `MI300X`: uppercase, `_` → `-`,
 * split on `-`, space, `/`, `:`, and take the first token that looks like a model (skipping AMD,
 * INSTINCT). `AMD-74A1` stays as is (the operator's name for an unknown device). Falls back to the
 * trimmed, uppercased input.
 */
export function normalizeGpuModel(model: string | undefined): string {
  if (!model) return ''
  const hit = normalized.get(model)
  if (hit !== undefined) return hit
  const out = normalizeUncached(model)
  if (normalized.size > 4096) normalized.clear()
  normalized.set(model, out)
  return out
}

const normalized = new Map<string, string>()

function normalizeUncached(model: string): string {
  const up = model.trim().toUpperCase().replace(/_/g, '-')
  if (/^AMD-[0-9A-F]{4}$/.test(up) && !byModel.has(up.slice(4))) return up
  for (const raw of up.split(/[-\s/:]+/)) {
    const token = raw.replace(/[()[\],]/g, '')
    if (token === '' || token === 'AMD' || token === 'INSTINCT') continue
    if (MODEL_TOKEN.test(token)) return token
  }
  return up
}

export interface DetectedGpu {
  model: string
  /** From the `amd.com/gpu.vram` label (G means GiB), else the static table; undefined if unknown. */
  vramBytes?: number
}

function label(labels: Record<string, string>, key: string): string | undefined {
  const v = labels[key] ?? labels[`beta.${key}`]
  return v === undefined || v === '' ? undefined : v
}

function countEncoded(labels: Record<string, string>, prefix: string): string | undefined {
  for (const p of [prefix, `beta.${prefix}`]) {
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith(`${p}.`) && v !== '' && v !== '0') return k.slice(p.length + 1)
    }
  }
  return undefined
}

/** Parse a VRAM label: `192G` / `192Gi` / `192` are all GiB. */
export function parseVramLabel(v: string | undefined): number | undefined {
  if (!v) return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(G|Gi|GB|GiB)?\s*$/i.exec(v)
  if (m?.[1]) return Number(m[1]) * GiB
  return parseQuantity(v)
}

/**
 * ExtractAMDModel: the GPU model of a node from its labels. Device ID wins, then a count-encoded
 * device-id key, then the family label, then a count-encoded family key.
 */
export function extractAmdGpu(labels: Record<string, string> | undefined): DetectedGpu | undefined {
  if (!labels) return undefined
  let model: string | undefined
  const id = label(labels, DEVICE_ID_LABEL) ?? countEncoded(labels, DEVICE_ID_LABEL)
  if (id) model = deviceIdToModel(id)
  else {
    const family = label(labels, FAMILY_LABEL) ?? countEncoded(labels, FAMILY_LABEL)
    if (family) model = normalizeGpuModel(family)
  }
  if (!model) return undefined
  const vramBytes = parseVramLabel(label(labels, VRAM_LABEL)) ?? knownVramBytes(model)
  return vramBytes === undefined ? {model} : {model, vramBytes}
}

export interface NodeGpus {
  node: string
  model: string
  vramBytes?: number
  /** `status.capacity['amd.com/gpu']` (0 when absent). */
  capacity: number
  allocatable: number
}

export interface GpuInventory {
  /** Distinct models, sorted. */
  models: string[]
  nodes: NodeGpus[]
  byModel: Record<string, {nodes: number; capacity: number; allocatable: number; vramBytes?: number}>
  has(model: string): boolean
}

/** The cluster's AMD GPUs from Node objects. */
export function clusterGpus(nodes: readonly KubeObject[]): GpuInventory {
  const out: NodeGpus[] = []
  const agg: GpuInventory['byModel'] = {}
  for (const n of nodes) {
    const gpu = extractAmdGpu(n.metadata.labels)
    if (!gpu) continue
    const st = (n.status ?? {}) as {capacity?: Record<string, string>; allocatable?: Record<string, string>}
    const capacity = parseQuantity(st.capacity?.[GPU_RESOURCE]) ?? 0
    const allocatable = parseQuantity(st.allocatable?.[GPU_RESOURCE]) ?? capacity
    out.push({node: n.metadata.name ?? '', model: gpu.model, vramBytes: gpu.vramBytes, capacity, allocatable})
    const a = (agg[gpu.model] ??= {nodes: 0, capacity: 0, allocatable: 0})
    a.nodes++
    a.capacity += capacity
    a.allocatable += allocatable
    if (gpu.vramBytes !== undefined) a.vramBytes = Math.max(a.vramBytes ?? 0, gpu.vramBytes)
  }
  const models = Object.keys(agg).sort()
  const set = new Set(models)
  return {models, nodes: out, byModel: agg, has: (m) => set.has(normalizeGpuModel(m))}
}

/** Inventory from a list of model names (tests, `why --gpu-model`). */
export function inventoryOf(models: readonly string[]): GpuInventory {
  return clusterGpus(
    models.map((m, i): KubeObject => {
      const id = deviceIdsForModel(m)[0]
      const labels: Record<string, string> = id ? {[DEVICE_ID_LABEL]: id} : {[FAMILY_LABEL]: m}
      return {apiVersion: 'v1', kind: 'Node', metadata: {name: `gpu-${i}`, labels}}
    }),
  )
}

export interface GpuAvailability {
  /** False when the template needs no GPU (no model, no requests). */
  required: boolean
  available: boolean
  /** The `GPU` component health of a template (state Ready or NotAvailable). */
  health: Health
}

function gpuRequired(hw: HardwareRequirements | undefined): boolean {
  return (hw?.gpu?.requests ?? 0) > 0 || !!hw?.gpu?.model
}

/**
 * Is the GPU a template asks for present in the cluster? Reasons GPUAvailable / VRAMAvailable,
 * GPUNotAvailable / VRAMNotAvailable with the operator's messages.
 */
export function templateGpuAvailability(hw: HardwareRequirements | undefined, inv: GpuInventory): GpuAvailability {
  if (!gpuRequired(hw)) {
    return {required: false, available: true, health: {state: 'Ready', reason: 'GPUNotRequired', message: 'Template does not require a GPU'}}
  }
  const gpu = hw?.gpu ?? {}
  if (inv.models.length === 0) {
    return {required: true, available: false, health: {state: 'NotAvailable', reason: 'GPUNotAvailable', message: 'No GPUs available in cluster'}}
  }
  if (gpu.model) {
    const want = normalizeGpuModel(gpu.model)
    if (!inv.has(want)) {
      return {
        required: true,
        available: false,
        health: {
          state: 'NotAvailable',
          reason: 'GPUNotAvailable',
          message: `Required GPU model '${want}' not available in cluster. Available: ${inv.models.join(', ')}`,
        },
      }
    }
    return {required: true, available: true, health: {state: 'Ready', reason: 'GPUAvailable', message: `GPU model '${want}' is available in cluster`}}
  }
  if (gpu.minVram !== undefined && gpu.minVram !== '') {
    const need = parseQuantity(gpu.minVram) ?? 0
    const shown = typeof gpu.minVram === 'string' ? gpu.minVram : formatGi(need)
    let best: {model: string; vram: number} | undefined
    for (const m of inv.models) {
      const v = inv.byModel[m]?.vramBytes ?? 0
      if (!best || v > best.vram) best = {model: m, vram: v}
    }
    if (!best || best.vram < need) {
      const highest = best ? `${best.model} (${formatGi(best.vram)})` : 'none'
      return {
        required: true,
        available: false,
        health: {state: 'NotAvailable', reason: 'VRAMNotAvailable', message: `Required minimum VRAM (${shown}) exceeds available GPUs. Highest available: ${highest}`},
      }
    }
    return {required: true, available: true, health: {state: 'Ready', reason: 'VRAMAvailable', message: `GPUs with at least ${shown} VRAM are available in cluster`}}
  }
  return {required: true, available: true, health: {state: 'Ready', reason: 'GPUAvailable', message: 'GPUs are available in cluster'}}
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: Array<{matchExpressions: Array<{key: string; operator: 'In'; values: string[]}>}>
  }
}

/**
 * `status.resolvedNodeAffinity` of a template: `amd.com/gpu.device-id In [ids]` — every ID of
 * `gpu.model`, or of the cluster models meeting `minVram`; undefined when neither is set.
 */
export function templateNodeAffinity(hw: HardwareRequirements | undefined, inv: GpuInventory): NodeAffinity | undefined {
  const gpu = hw?.gpu
  let ids: string[] = []
  if (gpu?.model) ids = deviceIdsForModel(gpu.model)
  else if (gpu?.minVram !== undefined && gpu.minVram !== '') {
    const need = parseQuantity(gpu.minVram) ?? 0
    for (const m of inv.models) if ((inv.byModel[m]?.vramBytes ?? 0) >= need) ids.push(...deviceIdsForModel(m))
  } else return undefined
  ids = [...new Set(ids)].sort()
  return {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{matchExpressions: [{key: DEVICE_ID_LABEL, operator: 'In', values: ids}]}],
    },
  }
}

/** GPU preference order in selection; everything else (MI355X, MI350X, …) is unknown and ties. */
export const GPU_TIERS = ['MI325X', 'MI300X', 'MI250X', 'MI210'] as const

/** Lower is better: MI325X 0 … MI210 3; unknown or no GPU `len+1000`. */
export function gpuTierRank(model: string | undefined): number {
  const i = (GPU_TIERS as readonly string[]).indexOf(normalizeGpuModel(model))
  return i < 0 ? GPU_TIERS.length + 1000 : i
}

/** `"<n> x <MODEL>"`, `"<MODEL>"` when requests is 0, `"CPU"` without a GPU (status.hardwareSummary). */
export function hardwareSummary(hw: HardwareRequirements | undefined): string {
  const gpu = hw?.gpu
  const model = gpu?.model ? normalizeGpuModel(gpu.model) : ''
  const n = gpu?.requests ?? 0
  if (!model && n <= 0) return 'CPU'
  if (!model) return `${n} x GPU`
  return n > 0 ? `${n} x ${model}` : model
}

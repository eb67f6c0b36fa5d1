/**
 * Model metadata and template discovery (reference §5.1, §5.2): image labels → imageMetadata,
 * recommended deployments, the discovery Job's dry-run output → profile and model sources, the
 * "templates expected?" rule, discovery backoff and spec hash.
 */
import {createHash} from 'node:crypto'
import type {AIMImageMetadata, AIMRecommendedDeployment} from '../api/types/aim.js'
import type {ModelSource} from './types.js'

const LABEL_PREFIXES = ['com.amd.aim.', 'org.amd.silogen.']
const OCI_PREFIX = 'org.opencontainers.image.'

/** The API's recommended-deployment shape (src/api/types/aim). */
export type RecommendedDeployment = AIMRecommendedDeployment

/** `status.imageMetadata` as discovery produces it: the API's shape with `model` and `originalLabels` always set. */
export type ImageMetadata = AIMImageMetadata & {
  model: NonNullable<AIMImageMetadata['model']>
  oci?: Record<string, string>
  originalLabels: Record<string, string>
}

function aimLabel(labels: Record<string, string>, key: string): string | undefined {
  for (const p of LABEL_PREFIXES) {
    const v = labels[`${p}${key}`]
    if (v !== undefined && v !== '') return v
  }
  return undefined
}

const listOf = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined)

/**
 * `com.amd.aim.model.recommendedDeployments`: a JSON array; single quotes become double quotes and a
 * bare object is wrapped in `[...]`. Throws on a value that still does not parse (a format error).
 */
export function parseRecommendedDeployments(value: string): RecommendedDeployment[] {
  let text = value.trim().replace(/'/g, '"')
  if (!text.startsWith('[')) text = `[${text}]`
  const parsed: unknown = JSON.parse(text)
  if (!Array.isArray(parsed)) throw new Error('recommendedDeployments is not a JSON array')
  return parsed.map((raw) => {
    const d = (raw ?? {}) as Record<string, unknown>
    const out: RecommendedDeployment = {}
    if (d.gpuModel) out.gpuModel = String(d.gpuModel)
    if (d.gpuCount !== undefined && d.gpuCount !== '') out.gpuCount = Number(d.gpuCount)
    if (d.precision) out.precision = String(d.precision)
    if (d.metric) out.metric = String(d.metric)
    if (d.profileId) out.profileId = String(d.profileId)
    if (d.description) out.description = String(d.description)
    return out
  })
}

/** `status.imageMetadata` from an image's config labels (prefix com.amd.aim., then org.amd.silogen.). */
export function parseImageMetadata(labels: Record<string, string>): ImageMetadata & {error?: string} {
  const model: ImageMetadata['model'] = {}
  const set = <K extends keyof ImageMetadata['model']>(k: K, v: ImageMetadata['model'][K] | undefined) => {
    if (v !== undefined) model[k] = v
  }
  set('canonicalName', aimLabel(labels, 'model.canonicalName'))
  set('source', aimLabel(labels, 'model.source'))
  set('tags', listOf(aimLabel(labels, 'model.tags')))
  set('versions', listOf(aimLabel(labels, 'model.versions')))
  set('variants', listOf(aimLabel(labels, 'model.variants')))
  const hf = aimLabel(labels, 'hfToken.required')
  if (hf !== undefined) model.hfTokenRequired = hf.trim().toLowerCase() === 'true'
  set('title', aimLabel(labels, 'title'))
  set('descriptionFull', aimLabel(labels, 'description.full'))
  set('releaseNotes', aimLabel(labels, 'release.notes'))
  let error: string | undefined
  const rd = aimLabel(labels, 'model.recommendedDeployments')
  if (rd) {
    try {
      model.recommendedDeployments = parseRecommendedDeployments(rd)
    } catch (e) {
      error = `invalid model.recommendedDeployments label: ${(e as Error).message}`
    }
  }
  const oci: Record<string, string> = {}
  for (const [k, v] of Object.entries(labels)) if (k.startsWith(OCI_PREFIX)) oci[k.slice(OCI_PREFIX.length)] = v
  const out: ImageMetadata & {error?: string} = {model, originalLabels: {...labels}}
  if (Object.keys(oci).length) out.oci = oci
  if (error) out.error = error
  return out
}

/**
 * Does a model expect templates? `createServiceTemplates: false` → no; custom (modelSources) → yes;
 * no metadata yet → unknown (undefined); else yes when it has recommendedDeployments or customTemplates.
 */
export function templatesExpected(model: {
  spec?: {discovery?: {createServiceTemplates?: boolean}; modelSources?: unknown[]; customTemplates?: unknown[]}
  metadata?: ImageMetadata | undefined
}): boolean | undefined {
  const spec = model.spec ?? {}
  if (spec.discovery?.createServiceTemplates === false) return false
  if (spec.modelSources && spec.modelSources.length > 0) return true
  if (!model.metadata) return (spec.customTemplates?.length ?? 0) > 0 ? true : undefined
  return (model.metadata.model.recommendedDeployments?.length ?? 0) > 0 || (spec.customTemplates?.length ?? 0) > 0
}

export interface DiscoveryResult {
  filename?: string
  profile: {
    model?: string
    quantized_model?: string
    metadata?: {engine?: string; gpu?: string; gpu_count?: number; metric?: string; precision?: string; type?: string}
    engine_args?: Record<string, unknown>
    env_vars?: Record<string, string>
  }
  models: Array<{name: string; source: string; size_gb?: number}>
}

function tryArray(s: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(s)
    return Array.isArray(v) ? v : undefined
  } catch {
    return undefined
  }
}

/** The dry-run log: the whole output as a JSON array, else the last valid array in it; `results[0]`. */
export function parseDiscoveryOutput(lines: readonly string[]): DiscoveryResult | undefined {
  let arr = tryArray(lines.join('\n'))
  for (let i = lines.length - 1; i >= 0 && !arr; i--) {
    if (!lines[i]!.trim().startsWith('[')) continue
    arr = tryArray(lines.slice(i).join('\n')) ?? tryArray(lines[i]!)
  }
  const first = arr?.[0] as DiscoveryResult | undefined
  if (!first || typeof first !== 'object' || !first.profile) return undefined
  return {...first, models: Array.isArray(first.models) ? first.models : []}
}

/** Discovery models → template `status.modelSources` (size = int64(size_gb · 2^30) bytes, as a quantity string). */
export function discoveryModelSources(result: DiscoveryResult): ModelSource[] {
  return result.models.map((m) => {
    const s: ModelSource = {modelId: m.name, sourceUri: m.source}
    if (m.size_gb !== undefined) s.size = String(Math.trunc(m.size_gb * 2 ** 30))
    return s
  })
}

/** Template `status.profile` from a discovery result. */
export function discoveryProfile(result: DiscoveryResult): {
  engine_args?: Record<string, unknown>
  env_vars?: Record<string, string>
  metadata: {engine?: string; gpu?: string; gpuCount?: number; metric?: string; precision?: string; type?: string}
} {
  const m = result.profile.metadata ?? {}
  const metadata: {engine?: string; gpu?: string; gpuCount?: number; metric?: string; precision?: string; type?: string} = {}
  if (m.engine) metadata.engine = m.engine
  if (m.gpu) metadata.gpu = m.gpu
  if (m.gpu_count !== undefined) metadata.gpuCount = m.gpu_count
  if (m.metric) metadata.metric = m.metric
  if (m.precision) metadata.precision = m.precision
  if (m.type) metadata.type = m.type
  const out: ReturnType<typeof discoveryProfile> = {metadata}
  if (result.profile.engine_args) out.engine_args = result.profile.engine_args
  if (result.profile.env_vars) out.env_vars = result.profile.env_vars
  return out
}

/** Discovery retry delay after `attempts` failures: 60 s · 2^(attempts-1), capped at 3600 s. */
export function discoveryBackoffMs(attempts: number): number {
  if (attempts <= 0) return 0
  return Math.min(60_000 * 2 ** (attempts - 1), 3_600_000)
}

/** First 8 bytes (16 hex) of SHA-256 over the template inputs that reset the backoff when changed. */
export function templateSpecHash(t: {modelName?: string; image?: string; metric?: string; precision?: string; gpuModel?: string; gpuCount?: number; profileId?: string}): string {
  return createHash('sha256')
    .update([t.modelName ?? '', t.image ?? '', t.metric ?? '', t.precision ?? '', t.gpuModel ?? '', String(t.gpuCount ?? 0), t.profileId ?? ''].join('|'))
    .digest('hex')
    .slice(0, 16)
}

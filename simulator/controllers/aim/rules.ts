/**
 * LOCAL ADAPTERS for rules src/engine does not export (yet): image-label parsing (§5.1) and
 * discovery-output parsing (§5.2).
 * Each is the smallest version the reconcilers need; replace with the engine's when it has them.
 */
const PREFIXES = ['com.amd.aim.', 'org.amd.silogen.']

function label(labels: Record<string, string>, key: string): string | undefined {
  for (const p of PREFIXES) {
    const v = labels[`${p}${key}`]
    if (v !== undefined && v !== '') return v
  }
  return undefined
}

const listOf = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined)

/** `status.imageMetadata` from an image's config labels. */
export function parseImageMetadata(labels: Record<string, string>): Record<string, any> {
  const model: Record<string, unknown> = {}
  const set = (k: string, v: unknown) => {
    if (v !== undefined) model[k] = v
  }
  set('canonicalName', label(labels, 'model.canonicalName'))
  set('source', label(labels, 'model.source'))
  set('tags', listOf(label(labels, 'model.tags')))
  set('versions', listOf(label(labels, 'model.versions')))
  set('variants', listOf(label(labels, 'model.variants')))
  const hf = label(labels, 'hfToken.required')
  if (hf !== undefined) model.hfTokenRequired = hf.toLowerCase() === 'true'
  set('title', label(labels, 'title'))
  set('descriptionFull', label(labels, 'description.full'))
  set('releaseNotes', label(labels, 'release.notes'))
  const rd = label(labels, 'model.recommendedDeployments')
  if (rd) {
    let text = rd.trim().replace(/'/g, '"')
    if (!text.startsWith('[')) text = `[${text}]`
    try {
      model.recommendedDeployments = (JSON.parse(text) as any[]).map((d) => ({
        ...(d.gpuModel ? {gpuModel: String(d.gpuModel)} : {}),
        ...(d.gpuCount !== undefined ? {gpuCount: Number(d.gpuCount)} : {}),
        ...(d.precision ? {precision: String(d.precision)} : {}),
        ...(d.metric ? {metric: String(d.metric)} : {}),
        ...(d.profileId ? {profileId: String(d.profileId)} : {}),
        ...(d.description ? {description: String(d.description)} : {}),
      }))
    } catch {
      // A malformed label is a format error; the model keeps no recommended deployments.
    }
  }
  const oci: Record<string, string> = {}
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('org.opencontainers.image.')) oci[k.slice('org.opencontainers.image.'.length)] = v
  }
  return {model, ...(Object.keys(oci).length ? {oci} : {}), originalLabels: {...labels}}
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

/** The dry-run output: the whole log as a JSON array, else the last valid array in it; `results[0]`. */
export function parseDiscoveryOutput(lines: string[]): DiscoveryResult | undefined {
  const text = lines.join('\n')
  const tryParse = (s: string): unknown[] | undefined => {
    try {
      const v = JSON.parse(s)
      return Array.isArray(v) ? v : undefined
    } catch {
      return undefined
    }
  }
  let arr = tryParse(text)
  if (!arr) {
    for (let i = lines.length - 1; i >= 0 && !arr; i--) {
      if (!lines[i]!.trim().startsWith('[')) continue
      arr = tryParse(lines.slice(i).join('\n')) ?? tryParse(lines[i]!)
    }
  }
  const first = arr?.[0] as DiscoveryResult | undefined
  if (!first || typeof first !== 'object' || !first.profile) return undefined
  return {...first, models: Array.isArray(first.models) ? first.models : []}
}

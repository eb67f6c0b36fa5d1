/**
 * The image catalog: the simulated container registry. For each image it knows the labels a
 * registry would return (OCI + com.amd.aim.*), and for AIM images the profiles the image's
 * `dry-run` discovery offers and the model sources (with sizes) they download.
 * Data lives in fixtures/catalog/*.yaml; loadCatalogDir() adds more images from YAML files.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {KubeObject} from '../../src/api/object.js'
import {normalizeGpuModel} from '../../src/engine/gpu.js'
import type {ImageRegistry} from '../controllers/types.js'

// yaml costs ~30 ms to load; the built-in catalog is JSON once built, so only --catalog files and
// runs from source parse YAML: the package (CommonJS) is loaded on first use.
let yamlModule: typeof import('yaml') | undefined
const yaml = (): typeof import('yaml') => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'))

export type ProfileType = 'optimized' | 'preview' | 'unoptimized'

export interface CatalogProfile {
  id: string
  gpu: string
  count: number
  precision: string
  metric: string
  type: ProfileType
  /** The model the profile serves (a key of the image's models). */
  model: string
  /** Listed in com.amd.aim.model.recommendedDeployments (default true). */
  recommended: boolean
  /** Which optional fields the label entry carries: precision (default), profileId, or both. */
  label: 'precision' | 'profileId' | 'both'
  engineArgs: Record<string, unknown>
  envVars: Record<string, string>
}

export interface CatalogModel {
  name: string
  source: string
  sizeGb: number
}

export type ImageKind = 'aim-model' | 'aim-base' | 'downloader' | 'generic'

export interface CatalogImage {
  /** Normalised reference: `repo:tag` (repo without docker.io/library). */
  image: string
  kind: ImageKind
  canonicalName?: string
  title?: string
  description?: string
  version?: string
  tags: string[]
  variants: string[]
  hfTokenRequired: boolean
  models: CatalogModel[]
  profiles: CatalogProfile[]
  /** Extra labels as given in the catalog file. */
  extraLabels: Record<string, string>
  /** Virtual pull time in ms. */
  pullMs: number
}

export interface Catalog {
  images: Map<string, CatalogImage>
  /** Repositories that match any tag (downloader). */
  anyTag: Map<string, CatalogImage>
  generic: Set<string>
  /** Downloadable sources: uri → size in bytes. */
  sources: Map<string, number>
}

const GiB = 2 ** 30

/** `docker.io/library/redis:7` → `redis:7`; no tag → `:latest`; digests dropped. */
export function normalizeImage(ref: string): {repo: string; tag: string; full: string} {
  let s = ref.trim()
  const at = s.indexOf('@')
  if (at >= 0) s = s.slice(0, at)
  s = s.replace(/^docker\.io\//, '').replace(/^index\.docker\.io\//, '').replace(/^library\//, '')
  const slash = s.lastIndexOf('/')
  const colon = s.lastIndexOf(':')
  let repo = s
  let tag = 'latest'
  if (colon > slash) {
    repo = s.slice(0, colon)
    tag = s.slice(colon + 1)
  }
  return {repo, tag, full: `${repo}:${tag}`}
}

export function profileId(p: {gpu: string; precision: string; count: number; metric: string}): string {
  return `vllm-${p.gpu.toLowerCase()}-${p.precision.toLowerCase()}-tp${p.count}-${p.metric.toLowerCase()}`
}

interface RawProfile {
  id?: string
  gpu: string
  count: number
  precision: string
  metric: string
  type?: ProfileType
  model?: string
  recommended?: boolean
  label?: 'precision' | 'profileId' | 'both'
  engineArgs?: Record<string, unknown>
  envVars?: Record<string, string>
}

interface RawImage {
  image: string
  sameAs?: string
  kind?: ImageKind
  anyTag?: boolean
  canonicalName?: string
  title?: string
  description?: string
  version?: string
  tags?: string[]
  variants?: string[]
  hfTokenRequired?: boolean
  models?: Record<string, {source: string; sizeGb: number}>
  profiles?: RawProfile[]
  labels?: Record<string, string>
  pullSeconds?: number
}

interface RawCatalog {
  images?: RawImage[]
  generic?: string[]
  sources?: Record<string, {sizeGb: number}>
}

const GFX: Record<string, string> = {MI300X: 'gfx942', MI325X: 'gfx942', MI300A: 'gfx942', MI355X: 'gfx950', MI350X: 'gfx950', MI250X: 'gfx90a', MI210: 'gfx90a'}

function engineArgsFor(p: RawProfile): Record<string, unknown> {
  const args: Record<string, unknown> = {'tensor-parallel-size': p.count, 'max-model-len': 32768}
  if (p.metric === 'throughput') args['max-num-seqs'] = 512
  else args['max-num-seqs'] = 64
  if (p.precision === 'fp8') args['kv-cache-dtype'] = 'fp8'
  return args
}

export function emptyCatalog(): Catalog {
  return {images: new Map(), anyTag: new Map(), generic: new Set(), sources: new Map()}
}

/** Merge one parsed catalog document into `catalog`. Throws with the file name on bad input. */
export function addToCatalog(catalog: Catalog, raw: RawCatalog, origin = 'catalog'): void {
  for (const entry of raw.images ?? []) {
    if (!entry || typeof entry.image !== 'string') throw new Error(`${origin}: every image needs an "image" field`)
    const ref = normalizeImage(entry.image)
    if (entry.sameAs) {
      const base = catalog.images.get(normalizeImage(entry.sameAs).full)
      if (!base) throw new Error(`${origin}: ${entry.image}: sameAs ${entry.sameAs} is not defined above`)
      catalog.images.set(ref.full, {...base, image: ref.full, version: ref.tag})
      continue
    }
    const models: CatalogModel[] = Object.entries(entry.models ?? {}).map(([name, m]) => ({name, source: m.source, sizeGb: m.sizeGb}))
    const kind: ImageKind = entry.kind ?? 'aim-model'
    const profiles: CatalogProfile[] = (entry.profiles ?? []).map((p) => ({
      id: p.id ?? profileId(p),
      gpu: p.gpu.toUpperCase(),
      count: p.count,
      precision: p.precision,
      metric: p.metric,
      type: p.type ?? 'unoptimized',
      model: p.model ?? models[0]?.name ?? entry.canonicalName ?? '',
      recommended: p.recommended ?? true,
      label: p.label ?? 'precision',
      engineArgs: p.engineArgs ?? engineArgsFor(p),
      envVars: p.envVars ?? {VLLM_ROCM_USE_AITER: '1', GPU_ARCHS: GFX[p.gpu.toUpperCase()] ?? 'gfx942'},
    }))
    for (const p of profiles) {
      if (!models.some((m) => m.name === p.model)) throw new Error(`${origin}: ${entry.image}: profile ${p.id} serves unknown model ${p.model}`)
    }
    const image: CatalogImage = {
      image: ref.full,
      kind,
      canonicalName: entry.canonicalName,
      title: entry.title ?? (entry.canonicalName ? `AIM ${entry.canonicalName.split('/').pop()}` : undefined),
      description: entry.description,
      version: entry.version ?? ref.tag,
      tags: entry.tags ?? (kind === 'aim-model' ? ['text-generation'] : []),
      variants: entry.variants ?? models.map((m) => m.name),
      hfTokenRequired: entry.hfTokenRequired ?? false,
      models,
      profiles,
      extraLabels: entry.labels ?? {},
      pullMs: (entry.pullSeconds ?? (kind === 'aim-model' || kind === 'aim-base' ? 45 : kind === 'downloader' ? 5 : 2)) * 1000,
    }
    if (entry.anyTag) catalog.anyTag.set(ref.repo, image)
    else catalog.images.set(ref.full, image)
    for (const m of models) catalog.sources.set(m.source, Math.round(m.sizeGb * GiB))
  }
  for (const g of raw.generic ?? []) catalog.generic.add(normalizeImage(g).repo)
  for (const [uri, s] of Object.entries(raw.sources ?? {})) catalog.sources.set(uri, Math.round(s.sizeGb * GiB))
}

/** Where fixtures/ is, from source (simulator/cluster) or from dist (dist/simulator/cluster). */
export function fixturesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const candidate of [join(here, '..', '..', 'fixtures'), join(here, '..', '..', '..', 'fixtures')]) {
    if (existsSync(join(candidate, 'catalog', 'images.yaml'))) return candidate
  }
  throw new Error(`fixtures directory not found near ${here}`)
}

/**
 * The build (scripts/catalog-json.mjs) leaves the built-in catalog as JSON beside the compiled
 * simulator, which spares every simulator start the YAML parse; from source it is absent. This
 * module runs from dist/simulator/cluster/, or from a one-file bundle one level below dist/.
 */
function builtJson(file: string): unknown {
  const builtIn = join(fixturesDir(), 'catalog')
  if (dirname(file) !== builtIn) return undefined
  const here = dirname(fileURLToPath(import.meta.url))
  const name = basename(file).replace(/\.ya?ml$/, '.json')
  for (const dist of [join(here, '..', '..'), join(here, '..')]) {
    const json = join(dist, 'fixtures-json', 'catalog', name)
    if (existsSync(json)) return JSON.parse(readFileSync(json, 'utf8'))
  }
  return undefined
}

function readCatalogFile(catalog: Catalog, file: string): void {
  let raw: unknown
  try {
    raw = builtJson(file) ?? yaml().parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
  }
  if (raw && typeof raw === 'object' && ('images' in raw || 'generic' in raw || 'sources' in raw)) addToCatalog(catalog, raw as RawCatalog, file)
}

/** The built-in catalog (fixtures/catalog/images.yaml). */
export function loadBuiltinCatalog(): Catalog {
  const catalog = emptyCatalog()
  readCatalogFile(catalog, join(fixturesDir(), 'catalog', 'images.yaml'))
  return catalog
}

/** Add every image YAML file of `dir` (same format as images.yaml) to `catalog` (default: a copy of the built-in one). */
export function loadCatalogDir(dir: string, catalog: Catalog = loadBuiltinCatalog()): Catalog {
  if (!existsSync(dir)) throw new Error(`catalog directory ${dir} does not exist`)
  for (const name of readdirSync(dir).sort()) {
    if (/\.ya?ml$/.test(name)) readCatalogFile(catalog, join(dir, name))
  }
  return catalog
}

/** Cluster objects a catalog ships (AIMClusterModels, AIMClusterServiceTemplates): all manifests in fixtures/catalog/manifests*.yaml. */
export function loadCatalogManifests(dir = join(fixturesDir(), 'catalog')): KubeObject[] {
  const out: KubeObject[] = []
  for (const name of readdirSync(dir).sort()) {
    if (!/^manifests.*\.ya?ml$/.test(name)) continue
    const built = builtJson(join(dir, name)) as KubeObject[] | undefined
    if (built) {
      out.push(...built)
      continue
    }
    for (const doc of yaml().parseAllDocuments(readFileSync(join(dir, name), 'utf8'))) {
      const obj = doc.toJSON() as KubeObject | null
      if (obj && obj.kind) out.push(obj)
    }
  }
  return out
}

export function lookupImage(catalog: Catalog, ref: string): CatalogImage | undefined {
  const n = normalizeImage(ref)
  const exact = catalog.images.get(n.full)
  if (exact) return exact
  const any = catalog.anyTag.get(n.repo)
  if (any) return {...any, image: n.full, version: n.tag}
  if (catalog.generic.has(n.repo)) {
    return {image: n.full, kind: 'generic', tags: [], variants: [], hfTokenRequired: false, models: [], profiles: [], extraLabels: {}, pullMs: 2000, version: n.tag}
  }
  return undefined
}

/** The recommendedDeployments label value of an AIM image. */
export function recommendedDeployments(image: CatalogImage): Array<Record<string, unknown>> {
  return image.profiles
    .filter((p) => p.recommended)
    .map((p) => {
      const entry: Record<string, unknown> = {gpuModel: p.gpu, gpuCount: p.count}
      if (p.label !== 'profileId') entry.precision = p.precision
      entry.metric = p.metric
      if (p.label !== 'precision') entry.profileId = p.id
      entry.description = `${p.metric === 'latency' ? 'Latency' : 'Throughput'} optimized deployment on ${p.count}x ${p.gpu}${p.label !== 'profileId' ? ` (${p.precision})` : ''}`
      return entry
    })
}

/** What `docker inspect` shows as Config.Labels. */
export function imageLabels(image: CatalogImage): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.vendor': 'Advanced Micro Devices, Inc.',
    'org.opencontainers.image.version': image.version ?? '',
    'org.opencontainers.image.created': '2025-10-01T00:00:00Z',
    'org.opencontainers.image.licenses': 'MIT',
  }
  if (image.title) labels['org.opencontainers.image.title'] = image.title
  if (image.description) labels['org.opencontainers.image.description'] = image.description
  if (image.kind === 'aim-model' || image.kind === 'aim-base') {
    labels['org.opencontainers.image.source'] = 'https://github.com/amd-enterprise-ai/aim-build'
    labels['org.opencontainers.image.documentation'] = 'https://enterprise-ai.docs.amd.com/'
    labels['org.opencontainers.image.authors'] = 'AMD Enterprise AI'
    labels['org.opencontainers.image.revision'] = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0'
  }
  if (image.kind === 'aim-model' && image.canonicalName) {
    const main = image.models.find((m) => m.name === image.canonicalName) ?? image.models[0]
    labels['com.amd.aim.model.canonicalName'] = image.canonicalName
    if (main) labels['com.amd.aim.model.source'] = main.source
    labels['com.amd.aim.model.tags'] = image.tags.join(',')
    labels['com.amd.aim.model.versions'] = image.version ?? ''
    labels['com.amd.aim.model.variants'] = image.variants.join(',')
    labels['com.amd.aim.hfToken.required'] = String(image.hfTokenRequired)
    labels['com.amd.aim.title'] = image.title ?? image.canonicalName
    labels['com.amd.aim.description.full'] = image.description ?? `${image.canonicalName} packaged as an AMD Inference Microservice.`
    labels['com.amd.aim.release.notes'] = `AIM ${image.version ?? ''}`
    labels['com.amd.aim.model.recommendedDeployments'] = JSON.stringify(recommendedDeployments(image))
  }
  return {...labels, ...image.extraLabels}
}

export class CatalogImageRegistry implements ImageRegistry {
  constructor(readonly catalog: Catalog) {}

  lookup(image: string): CatalogImage | undefined {
    return lookupImage(this.catalog, image)
  }

  inspect(image: string): {labels: Record<string, string>} | undefined {
    const found = this.lookup(image)
    return found ? {labels: imageLabels(found)} : undefined
  }

  sourceSize(uri: string): number | undefined {
    return this.catalog.sources.get(uri) ?? this.catalog.sources.get(uri.replace(/\/+$/, '')) ?? this.catalog.sources.get(`${uri.replace(/\/+$/, '')}/`)
  }
}

export interface DiscoveryRequest {
  metric?: string
  precision?: string
  gpuModel?: string
  gpuCount?: number
  profileId?: string
}

const TYPE_RANK: Record<string, number> = {optimized: 0, preview: 1, unoptimized: 2}

/** The profile an AIM image's `dry-run` picks for these filters (undefined when none matches). */
export function selectProfile(image: CatalogImage, req: DiscoveryRequest): CatalogProfile | undefined {
  const eq = (a: string | undefined, b: string) => a === undefined || a === '' || a.toLowerCase() === b.toLowerCase()
  const gpu = req.gpuModel ? normalizeGpuModel(req.gpuModel) : undefined
  const matches = image.profiles.filter(
    (p) =>
      (!req.profileId || p.id === req.profileId) &&
      eq(req.metric, p.metric) &&
      (req.precision === undefined || req.precision === '' || req.precision === 'auto' || eq(req.precision, p.precision)) &&
      (!gpu || gpu === p.gpu) &&
      (!req.gpuCount || req.gpuCount === p.count),
  )
  matches.sort((a, b) => (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9) || (a.metric === 'latency' ? 0 : 1) - (b.metric === 'latency' ? 0 : 1))
  return matches[0]
}


/** The JSON array `dry-run --format=json` prints (the shape the operator parses). */
export function discoveryOutput(image: CatalogImage, profile: CatalogProfile): unknown[] {
  const model = image.models.find((m) => m.name === profile.model)
  return [
    {
      filename: `${profile.id}.yaml`,
      profile: {
        model: image.canonicalName ?? profile.model,
        quantized_model: profile.model !== image.canonicalName ? profile.model : '',
        metadata: {engine: 'vllm', gpu: profile.gpu, gpu_count: profile.count, metric: profile.metric, precision: profile.precision, type: profile.type},
        engine_args: profile.engineArgs,
        env_vars: profile.envVars,
      },
      models: model ? [{name: model.name, source: model.source, size_gb: model.sizeGb}] : [],
    },
  ]
}

/**
 * AIMClusterModelSource (reference §2.5): lists the simulated registry's AIM images, keeps those
 * matching the filters (glob on the repository, exclusions, semver constraints), and creates one
 * AIMClusterModel per image (owned by the source), up to maxModels; re-syncs every syncInterval.
 *
 * The registry listing reads the simulator's catalog when the ImageRegistry exposes one (the
 * CatalogImageRegistry does); the ReconcileContext contract only promises `inspect`.
 */
import {annotations, labels as L} from '../../../src/api/labels.js'
import {parseGoDuration} from '../../../src/engine/config.js'
import {clusterModelNameFromSource} from '../../../src/engine/naming.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {AIM_API_VERSION, R, applyChild, get, isDeleting, isPaused, list, writeStatus, type ConditionInput, type Obj} from './common.js'
import {registry as kinds} from '../../../src/api/registry.js'

const CONTROLLER = 'cluster-model-source'
const SOURCE_INFO = kinds.kinds.find((k) => k.kind === 'AIMClusterModelSource' && k.group === 'aim.eai.amd.com')!
const DEFAULT_SYNC_MS = 3_600_000

export function modelSourceReconciler(): Reconciler {
  return {
    name: `aim-${CONTROLLER}-controller`,
    for: SOURCE_INFO,
    reconcile: reconcileModelSource,
  }
}

interface ImageRef {
  registry: string
  repository: string
  tag: string
}

/** `host/rest` when the first path segment looks like a registry host (has `.` or `:`, or is localhost). */
function splitHost(s: string): {host?: string; rest: string} {
  const first = s.split('/')[0]!
  const hosted = s.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  return hosted ? {host: first, rest: s.slice(first.length + 1)} : {rest: s}
}

function splitRef(ref: string): ImageRef | undefined {
  const at = ref.lastIndexOf(':')
  if (at < 0 || at < ref.lastIndexOf('/')) return undefined
  const {host, rest} = splitHost(ref.slice(0, at))
  return {registry: host ?? 'docker.io', repository: rest, tag: ref.slice(at + 1)}
}

function catalogImages(ctx: ReconcileContext): ImageRef[] | undefined {
  const catalog = (ctx.images as unknown as {catalog?: {images?: Map<string, {image: string; kind: string}>}}).catalog
  if (!catalog?.images) return undefined
  const out: ImageRef[] = []
  for (const img of catalog.images.values()) {
    if (img.kind !== 'aim-model') continue
    const r = splitRef(img.image)
    if (r) out.push(r)
  }
  return out.sort((a, b) => `${a.registry}/${a.repository}:${a.tag}`.localeCompare(`${b.registry}/${b.repository}:${b.tag}`))
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`)
}

/** LOCAL ADAPTER (semver constraints are not in src/engine): `>=0.8.4`, `<1.0`, `=0.8.5`, `^0.8`, `~0.8.1`, comma/space separated, all must hold. */
function parseVersion(v: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim())
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

function satisfies(tag: string, constraints: string[]): boolean | 'invalid' {
  const terms = constraints.flatMap((c) => c.split(/[,\s]+/)).filter(Boolean)
  if (terms.length === 0) return true
  const v = parseVersion(tag)
  for (const term of terms) {
    const m = /^(>=|<=|>|<|==|=|!=|\^|~)?(.+)$/.exec(term)
    const want = m ? parseVersion(m[2]!) : undefined
    if (!m || !want) return 'invalid'
    if (!v) return false
    const c = cmp(v, want)
    const op = m[1] ?? '='
    const ok =
      op === '>=' ? c >= 0
      : op === '<=' ? c <= 0
      : op === '>' ? c > 0
      : op === '<' ? c < 0
      : op === '!=' ? c !== 0
      : op === '^' ? c >= 0 && v[0] === want[0] && (want[0] !== 0 || v[1] === want[1])
      : op === '~' ? c >= 0 && v[0] === want[0] && v[1] === want[1]
      : c === 0
    if (!ok) return false
  }
  return true
}

function reconcileModelSource(key: ObjectKey, ctx: ReconcileContext) {
  const src = get(ctx, SOURCE_INFO, undefined, key.name)
  if (!src || isDeleting(src) || isPaused(src)) return
  const spec = src.spec ?? {}
  const defaultRegistry: string = spec.registry || 'docker.io'
  const filters: Array<{image: string; exclude?: string[]; versions?: string[]}> = spec.filters ?? []
  const globalVersions: string[] = spec.versions ?? []
  const maxModels: number = spec.maxModels ?? 100
  const images = catalogImages(ctx)
  const conditions: ConditionInput[] = []

  const matched = new Map<string, ImageRef>()
  let failed = 0
  const failures: string[] = []
  for (const f of filters) {
    if (!images) {
      failed++
      failures.push(`${f.image}: registry cannot be listed`)
      continue
    }
    // A full URI in the filter overrides the source's registry.
    const {host, rest} = splitHost(f.image)
    const registry = host ?? defaultRegistry
    const re = globToRegExp(rest)
    let invalid = false
    for (const img of images) {
      if (img.registry !== registry || !re.test(img.repository)) continue
      if ((f.exclude ?? []).includes(img.repository)) continue
      const ok = satisfies(img.tag, [...globalVersions, ...(f.versions ?? [])])
      if (ok === 'invalid') {
        invalid = true
        break
      }
      if (ok) matched.set(`${img.registry}/${img.repository}:${img.tag}`, img)
    }
    if (invalid) {
      failed++
      failures.push(`${f.image}: invalid version constraint`)
    }
  }

  const discovered = [...matched.values()]
  const kept = discovered.slice(0, maxModels)
  for (const img of kept) {
    const image = img.registry === 'docker.io' ? `${img.repository}:${img.tag}` : `${img.registry}/${img.repository}:${img.tag}`
    applyChild(
      ctx,
      {
        apiVersion: AIM_API_VERSION,
        kind: 'AIMClusterModel',
        metadata: {
          name: clusterModelNameFromSource(img.registry, img.repository, img.tag),
          labels: {[L.modelSource]: key.name},
          annotations: {[annotations.sourceRegistry]: img.registry, [annotations.sourceRepository]: img.repository, [annotations.sourceTag]: img.tag},
        },
        spec: {image, ...(spec.imagePullSecrets ? {imagePullSecrets: spec.imagePullSecrets} : {})},
      },
      {controller: CONTROLLER, parent: src, owner: src, fields: []},
    )
  }

  const models = list(ctx, R.clusterModel, {labelSelector: `${L.modelSource}=${key.name}`})
  const ready = models.filter((m) => m.status?.status === 'Ready').length
  const limit = discovered.length > maxModels
  conditions.push(
    limit
      ? {type: 'MaxModelsLimitReached', status: 'True', reason: 'LimitReached', message: `${discovered.length} images match; only ${maxModels} models are created`}
      : {type: 'MaxModelsLimitReached', status: 'False', reason: 'WithinLimit', message: `${discovered.length} images match (limit ${maxModels})`},
  )
  conditions.push(
    ready === models.length
      ? {type: 'ExistingModelsReady', status: 'True', reason: 'AllModelsReady', message: `${ready} of ${models.length} models are ready`}
      : {type: 'ExistingModelsReady', status: 'False', reason: 'ModelsNotReady', message: `${ready} of ${models.length} models are ready`},
  )
  let status: string
  if (filters.length === 0) {
    conditions.push({type: 'FiltersReady', status: 'False', reason: 'NoFilters', message: 'No filters are configured'})
    status = 'Ready'
  } else if (failed === 0) {
    conditions.push({type: 'FiltersReady', status: 'True', reason: 'AllFiltersSucceeded', message: `${filters.length} filter(s) synced`})
    status = 'Ready'
  } else if (failed < filters.length) {
    conditions.push({type: 'FiltersReady', status: 'False', reason: 'SomeFiltersFailed', message: failures.join('; ')})
    status = 'Degraded'
  } else {
    conditions.push({type: 'FiltersReady', status: 'False', reason: 'AllFiltersFailed', message: failures.join('; ')})
    status = 'Failed'
  }
  conditions.push(
    status === 'Ready'
      ? {type: 'Ready', status: 'True', reason: 'AllComponentsReady', message: 'All components are ready'}
      : {type: 'Ready', status: 'False', reason: status === 'Failed' ? 'AllFiltersFailed' : 'SomeFiltersFailed', message: failures.join('; ')},
  )
  const prev = src.status ?? {}
  const interval = parseGoDuration(String(spec.syncInterval ?? '1h')) ?? DEFAULT_SYNC_MS
  const lastSync = prev.lastSyncTime && Date.parse(prev.lastSyncTime) + interval > ctx.clock.now() && prev.discoveredModels === discovered.length ? prev.lastSyncTime : ctx.clock.nowISO()
  writeStatus(
    ctx,
    SOURCE_INFO,
    src as Obj,
    {status, lastSyncTime: lastSync, discoveredModels: discovered.length, availableModels: ready, modelsLimitReached: limit},
    conditions,
    `aim-${CONTROLLER}-controller`,
  )
  return {requeueAfterMs: Math.max(1_000, Date.parse(lastSync) + interval - ctx.clock.now())}
}

/**
 * Template auto-selection (seed 002 "Auto-Selection", reference §5.3) with a full trace. The
 * reconciler and `kubectl aim why` both call selectTemplate; neither re-implements a stage.
 */
import type {KubeObject} from '../api/object.js'
import {type GpuInventory, gpuTierRank, inventoryOf, normalizeGpuModel} from './gpu.js'
import type {ConditionDecision, Health, ProfileMetadata, Scope, TemplateSpecView, TemplateStatusView} from './types.js'

export type SelectionStage = 'availability' | 'optimization' | 'overrides' | 'gpu' | 'scope' | 'preference'
export const SELECTION_STAGES: readonly SelectionStage[] = ['availability', 'optimization', 'overrides', 'gpu', 'scope', 'preference']

export const PROFILE_TYPE_ORDER = ['optimized', 'preview', 'unoptimized'] as const
export const METRIC_ORDER = ['latency', 'throughput'] as const
export const PRECISION_ORDER = ['fp4', 'int4', 'fp8', 'int8', 'fp16', 'bf16', 'fp32'] as const

export interface ServiceOverrides {
  metric?: string
  precision?: string
  gpuModel?: string
  gpuCount?: number
}

export interface CandidateTrace {
  scope: Scope
  name: string
  namespace?: string
  /** Kind: AIMServiceTemplate or AIMClusterServiceTemplate. */
  kind: string
  /** `status.status` of the template ('' when unset). */
  status: string
  /** Profile type; `unoptimized` when the template has no profile. */
  type: string
  gpu?: string
  gpuCount?: number
  metric?: string
  precision?: string
  /** Dropped: the stage, reason and message. */
  droppedAt?: SelectionStage
  reason: string
  message: string
  /** Survived to preference scoring: 1-based rank (ties share a rank) and the score tuple (lower wins). */
  rank?: number
  score?: number[]
  selected?: boolean
  template: KubeObject
}

export type SelectionOutcome = 'selected' | 'ambiguous' | 'none' | 'notReady'

export interface SelectionResult {
  outcome: SelectionOutcome
  selected?: CandidateTrace
  tied?: CandidateTrace[]
  /** Every candidate (templates of the model in the service's namespace and cluster scope), in input order. */
  candidates: CandidateTrace[]
  /** The TemplateReady condition this outcome implies. */
  condition: ConditionDecision
  /** The Template component health of the service. */
  health: Health
}

export interface SelectionInput {
  /** The AIMService; reads metadata.namespace, spec.template.allowUnoptimized, spec.overrides. */
  service: KubeObject
  /** Name of the resolved model; undefined when not resolved yet (→ none). */
  modelName: string | undefined
  /** AIMServiceTemplates (other namespaces are ignored). */
  namespacedTemplates: readonly KubeObject[]
  clusterTemplates: readonly KubeObject[]
  /** Cluster GPUs: an inventory from clusterGpus(nodes), or a list of model names. */
  gpus: GpuInventory | readonly string[]
  /** Overrides that replace the service's spec.overrides (`why --gpu-model …`). */
  overrides?: ServiceOverrides
  allowUnoptimized?: boolean
}

/** Read spec.overrides of a service into the flat form. */
export function serviceOverrides(service: KubeObject): ServiceOverrides | undefined {
  const o = (service.spec as {overrides?: {metric?: string; precision?: string; hardware?: {gpu?: {model?: string; requests?: number}}}} | undefined)?.overrides
  if (!o) return undefined
  const out: ServiceOverrides = {}
  if (o.metric) out.metric = o.metric
  if (o.precision) out.precision = o.precision
  if (o.hardware?.gpu?.model) out.gpuModel = o.hardware.gpu.model
  if (o.hardware?.gpu?.requests !== undefined) out.gpuCount = o.hardware.gpu.requests
  return out
}

function rankOf(order: readonly string[], v: string | undefined): number {
  const i = v === undefined ? -1 : order.indexOf(v.toLowerCase())
  return i < 0 ? order.length + 1000 : i
}

export function profileTypeRank(t: string | undefined): number {
  return rankOf(PROFILE_TYPE_ORDER, t)
}
export function metricRank(m: string | undefined): number {
  return rankOf(METRIC_ORDER, m)
}
export function precisionRank(p: string | undefined): number {
  return rankOf(PRECISION_ORDER, p)
}

/** The preference score of a template's attributes (lexicographic, lower wins). */
export function preferenceScore(c: {type?: string; gpu?: string; metric?: string; precision?: string}): number[] {
  return [profileTypeRank(c.type ?? 'unoptimized'), gpuTierRank(c.gpu), metricRank(c.metric), precisionRank(c.precision)]
}

function compareScore(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

const STATUS_REASON: Record<string, string> = {
  Pending: 'TemplatePending',
  Progressing: 'TemplateProgressing',
  NotAvailable: 'TemplateNotAvailable',
  Degraded: 'TemplateDegraded',
  Failed: 'TemplateFailed',
}

/** Candidate attributes as the operator reads them (profile metadata first, spec as fallback). */
export function describeTemplate(t: KubeObject, scope: Scope): CandidateTrace {
  const spec = (t.spec ?? {}) as TemplateSpecView
  const st = (t.status ?? {}) as TemplateStatusView
  const meta: ProfileMetadata = st.profile?.metadata ?? {}
  const gpuRaw = spec.hardware?.gpu?.model || meta.gpu || undefined
  // One object shape for every candidate (fast with 10,000 of them); unset fields stay undefined.
  return {
    scope,
    name: t.metadata.name ?? '',
    namespace: scope === 'Namespace' ? t.metadata.namespace : undefined,
    kind: scope === 'Namespace' ? 'AIMServiceTemplate' : 'AIMClusterServiceTemplate',
    status: st.status ?? '',
    type: meta.type || 'unoptimized',
    gpu: gpuRaw ? normalizeGpuModel(gpuRaw) : undefined,
    gpuCount: spec.hardware?.gpu?.requests ?? st.resolvedHardware?.gpu?.requests ?? meta.gpuCount,
    metric: meta.metric || spec.metric || undefined,
    precision: meta.precision || spec.precision || undefined,
    droppedAt: undefined,
    reason: '',
    message: '',
    rank: undefined,
    score: undefined,
    selected: undefined,
    template: t,
  }
}

function overrideMismatch(c: CandidateTrace, o: ServiceOverrides): string | undefined {
  const eq = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase()
  if (o.metric && !eq(c.metric, o.metric)) return `metric ${c.metric ?? '(none)'} does not match override ${o.metric}`
  if (o.precision && !eq(c.precision, o.precision)) return `precision ${c.precision ?? '(none)'} does not match override ${o.precision}`
  if (o.gpuModel && normalizeGpuModel(c.gpu ?? '') !== normalizeGpuModel(o.gpuModel)) {
    return `GPU ${c.gpu ?? '(none)'} does not match override ${normalizeGpuModel(o.gpuModel)}`
  }
  if ((o.gpuCount ?? 0) > 0 && (c.gpuCount ?? 0) > 0 && c.gpuCount !== o.gpuCount) {
    return `GPU count ${c.gpuCount} does not match override ${o.gpuCount}`
  }
  return undefined
}

function drop(c: CandidateTrace, stage: SelectionStage, reason: string, message: string): void {
  c.droppedAt = stage
  c.reason = reason
  c.message = message
}

/** `AIMClusterServiceTemplate qwen3-32b-latency` */
export function templateLabel(c: Pick<CandidateTrace, 'kind' | 'name'>): string {
  return `${c.kind} ${c.name}`
}

/**
 * Run the stages in order — availability, optimization, overrides, GPU, scope, preference — and
 * decide: one best → `selected` (TemplateReady True Resolved); a tie → `ambiguous`
 * (TemplateSelectionAmbiguous); candidates but none Ready → `notReady` (TemplateNotReady);
 * otherwise `none` (TemplateNotFound).
 */
export function selectTemplate(input: SelectionInput): SelectionResult {
  const ns = input.service.metadata.namespace
  const model = input.modelName
  const gpus: GpuInventory = Array.isArray(input.gpus) ? inventoryOf(input.gpus as readonly string[]) : (input.gpus as GpuInventory)
  const allowUnoptimized = input.allowUnoptimized ?? !!(input.service.spec as {template?: {allowUnoptimized?: boolean}} | undefined)?.template?.allowUnoptimized
  const overrides = input.overrides ?? serviceOverrides(input.service)
  const candidates: CandidateTrace[] = []
  if (model) {
    for (const t of input.namespacedTemplates) {
      if (t.metadata.namespace !== ns || (t.spec as TemplateSpecView | undefined)?.modelName !== model) continue
      candidates.push(describeTemplate(t, 'Namespace'))
    }
    for (const t of input.clusterTemplates) {
      if ((t.spec as TemplateSpecView | undefined)?.modelName !== model) continue
      candidates.push(describeTemplate(t, 'Cluster'))
    }
  }

  let alive: CandidateTrace[] = []
  for (const c of candidates) {
    if (c.status === 'Ready') alive.push(c)
    else drop(c, 'availability', STATUS_REASON[c.status] ?? 'TemplateNotReady', `Template status is ${c.status || 'unset'}, not Ready`)
  }
  const anyReady = alive.length > 0

  if (!allowUnoptimized) {
    alive = alive.filter((c) => {
      if (c.type === 'optimized') return true
      drop(c, 'optimization', 'UnoptimizedTemplateFiltered', `Profile type ${c.type} is excluded; set spec.template.allowUnoptimized: true to allow it`)
      return false
    })
  }

  if (overrides && Object.keys(overrides).length > 0) {
    alive = alive.filter((c) => {
      const why = overrideMismatch(c, overrides)
      if (why === undefined) return true
      drop(c, 'overrides', 'ServiceOverridesNotMatched', why)
      return false
    })
  }

  alive = alive.filter((c) => {
    if (!c.gpu || gpus.has(c.gpu)) return true
    const avail = gpus.models.length ? gpus.models.join(', ') : 'none'
    drop(c, 'gpu', 'RequiredGPUNotInCluster', `Required GPU ${c.gpu} is not in the cluster (available: ${avail})`)
    return false
  })

  if (alive.some((c) => c.scope === 'Namespace')) {
    alive = alive.filter((c) => {
      if (c.scope === 'Namespace') return true
      drop(c, 'scope', 'NamespaceTemplatePreferred', `A namespace-scoped template in ${ns} takes precedence over cluster-scoped templates`)
      return false
    })
  }

  for (const c of alive) c.score = preferenceScore(c)
  const sorted = [...alive].sort((a, b) => compareScore(a.score!, b.score!))
  let rank = 0
  let prev: number[] | undefined
  sorted.forEach((c, i) => {
    if (!prev || compareScore(prev, c.score!) !== 0) rank = i + 1
    prev = c.score
    c.rank = rank
  })
  const best = sorted.filter((c) => c.rank === 1)

  if (best.length === 1) {
    const w = best[0]!
    w.selected = true
    w.reason = 'BestMatch'
    w.message = 'Best preference score'
    for (const c of sorted.slice(1)) {
      c.reason = 'LowerPreferenceRank'
      c.message = `Ranked ${c.rank} of ${sorted.length}`
    }
    const message = `${templateLabel(w)} is ready`
    return {
      outcome: 'selected',
      selected: w,
      candidates,
      condition: {type: 'TemplateReady', status: 'True', reason: 'Resolved', message},
      health: {state: 'Ready', reason: 'Resolved', message},
    }
  }
  if (best.length > 1) {
    for (const c of best) {
      c.reason = 'TemplateSelectionAmbiguous'
      c.message = `Tied for best with ${best.length - 1} other template(s)`
    }
    for (const c of sorted.slice(best.length)) {
      c.reason = 'LowerPreferenceRank'
      c.message = `Ranked ${c.rank} of ${sorted.length}`
    }
    const names = best.map((c) => `${c.name} (${c.scope})`).join(', ')
    const message = `Template selection is ambiguous: ${best.length} templates have identical preference scores: ${names}; set spec.template.name to choose one, or remove duplicate templates`
    return {
      outcome: 'ambiguous',
      tied: best,
      candidates,
      condition: {type: 'TemplateReady', status: 'False', reason: 'TemplateSelectionAmbiguous', message},
      health: {state: 'Failed', reason: 'TemplateSelectionAmbiguous', message, error: 'InvalidSpec'},
    }
  }
  if (candidates.length > 0 && !anyReady) {
    const message = 'Templates exist but are not ready yet'
    return {
      outcome: 'notReady',
      candidates,
      condition: {type: 'TemplateReady', status: 'False', reason: 'TemplateNotReady', message},
      health: {state: 'Pending', reason: 'TemplateNotReady', message},
    }
  }
  let message = 'No template found for service'
  if (!model) message += ': the model is not resolved yet'
  else if (candidates.length === 0) message += `: no templates reference model ${model}`
  else {
    const counts = new Map<string, number>()
    for (const c of candidates) if (c.droppedAt) counts.set(c.reason, (counts.get(c.reason) ?? 0) + 1)
    message += `: all ${candidates.length} templates of model ${model} were filtered out (${[...counts].map(([r, n]) => `${n} ${r}`).join(', ')})`
  }
  return {
    outcome: 'none',
    candidates,
    condition: {type: 'TemplateReady', status: 'False', reason: 'TemplateNotFound', message},
    health: {state: 'Pending', reason: 'TemplateNotFound', message},
  }
}

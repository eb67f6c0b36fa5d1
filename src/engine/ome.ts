/**
 * OME (ome.io/v1beta1, seed 004): the pure rules the simulator's OME reconcilers follow and that
 * `kubectl aim why` can print. Model lookup (namespace BaseModel, then ClusterBaseModel), runtime
 * selection with a trace of every candidate, the spec merge of runtime templates into the ISVC
 * components, deployment modes per component, object names, condition rollup and modelStatus.
 * Facts: reference/ome.md §2–§5; where seed 004 and the OME code differ, the seed wins (see the
 * notes on `omeReadyRollup` and `autoscalerFor`).
 */
import {createHash} from 'node:crypto'
import type {Condition, KubeObject} from '../api/object.js'
import type {BaseModelSpec, OMEComponentSpec, OMEInferenceServiceSpec, OMEKedaConfig, OMERouterSpec, ServingRuntimeSpec} from '../api/types/ome.js'

export const OME_ISVC_LABEL = 'ome.io/inferenceservice'
/** The label seed 004's troubleshooting commands select pods by (`kubectl logs -l serving.ome.io/inferenceservice=…`). */
export const OME_SERVING_ISVC_LABEL = 'serving.ome.io/inferenceservice'
export const OME_COMPONENT_LABEL = 'component'
export const OME_DEPLOYMENT_MODE_ANNOTATION = 'ome.io/deploymentMode'
export const OME_AUTOSCALER_CLASS_ANNOTATION = 'ome.io/autoscalerClass'
export const OME_TARGET_UTILIZATION_ANNOTATION = 'ome.io/targetUtilizationPercentage'
export const OME_ISVC_FINALIZER = 'inferenceservice.finalizers'
export const OME_BASEMODEL_FINALIZER = 'basemodels.ome.io/finalizer'
export const OME_CLUSTERBASEMODEL_FINALIZER = 'clusterbasemodels.ome.io/finalizer'
export const OME_MAIN_CONTAINER = 'ome-container'
export const OME_DEFAULT_PORT = 8080
export const OME_DEFAULT_PROMETHEUS = 'http://prometheus-operated.monitoring.svc.cluster.local:9090'
export const OME_DEFAULT_KEDA_QUERY = 'sum(rate(vllm:request_success_total{service="%s"}[1m]))'

export type OMEComponent = 'engine' | 'decoder' | 'router'
export const OME_COMPONENTS: readonly OMEComponent[] = ['engine', 'decoder', 'router']
export type OMEDeploymentMode = 'RawDeployment' | 'Serverless' | 'MultiNode'
const VALID_MODES = new Set(['RawDeployment', 'Serverless', 'MultiNode'])

// ---------------------------------------------------------------------------------------------
// Sizes and versions

/** "7B" → 7e9, "1.5T" → 1.5e12, "350M" → 3.5e8; undefined when absent or unreadable. */
export function parseModelSize(size: string | undefined): number | undefined {
  if (!size) return undefined
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([TBMK]?)\s*$/i.exec(size)
  if (!m) return undefined
  const scale: Record<string, number> = {T: 1e12, B: 1e9, M: 1e6, K: 1e3, '': 1}
  return Number(m[1]) * scale[m[2]!.toUpperCase()]!
}

/** A version with a pre-release (`-x`), build (`+x`) or dev (`.devN`) part: only Equal compares. */
export function isUnofficialVersion(v: string): boolean {
  return /[-+]/.test(v) || /\.?dev\d*/i.test(v)
}

function versionParts(v: string): number[] {
  return v.replace(/^v/i, '').split(/[-+]/)[0]!.split('.').map((p) => Number(/^\d+/.exec(p)?.[0] ?? 0))
}

/** `runtimeVersion <op> modelVersion`, as OME's modelver compares. */
export function versionsCompatible(runtimeVersion: string, modelVersion: string, operator = 'Equal'): boolean {
  const op = isUnofficialVersion(runtimeVersion) || isUnofficialVersion(modelVersion) ? 'Equal' : operator
  if (op === 'Equal') {
    if (isUnofficialVersion(runtimeVersion) || isUnofficialVersion(modelVersion)) return runtimeVersion.replace(/^v/i, '') === modelVersion.replace(/^v/i, '')
    const a = versionParts(runtimeVersion)
    const b = versionParts(modelVersion)
    const n = Math.max(a.length, b.length)
    for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false
    return true
  }
  const a = versionParts(runtimeVersion)
  const b = versionParts(modelVersion)
  if (a.length !== b.length || a[0] !== b[0]) return false
  let cmp = 0
  for (let i = 0; i < a.length && cmp === 0; i++) cmp = Math.sign(a[i]! - b[i]!)
  return op === 'GreaterThan' ? cmp > 0 : op === 'GreaterThanOrEqual' ? cmp >= 0 : false
}

// ---------------------------------------------------------------------------------------------
// Model lookup

export type ModelLookupOutcome = 'found' | 'missingReference' | 'notFound' | 'disabled' | 'invalid'

export interface ModelLookup {
  outcome: ModelLookupOutcome
  model?: KubeObject & {spec: BaseModelSpec}
  kind?: 'BaseModel' | 'ClusterBaseModel'
  /** A FailureReason of the OME API (BaseModelNotFound, BaseModelDisabled, InvalidPredictorSpec) or `Found`. */
  reason: string
  message: string
}

/**
 * `spec.model.name` → a BaseModel in the ISVC's namespace first, then a ClusterBaseModel.
 * `spec.model.kind` is not consulted (as OME does).
 */
export function lookupBaseModel(isvc: KubeObject, baseModels: readonly KubeObject[], clusterBaseModels: readonly KubeObject[]): ModelLookup {
  const name = (isvc.spec as OMEInferenceServiceSpec | undefined)?.model?.name
  if (!name) return {outcome: 'missingReference', reason: 'InvalidPredictorSpec', message: 'model reference is required'}
  const ns = isvc.metadata.namespace
  const local = baseModels.find((m) => m.metadata.name === name && m.metadata.namespace === ns)
  const cluster = clusterBaseModels.find((m) => m.metadata.name === name)
  const model = (local ?? cluster) as (KubeObject & {spec: BaseModelSpec}) | undefined
  const kind = local ? 'BaseModel' : 'ClusterBaseModel'
  if (!model) return {outcome: 'notFound', reason: 'BaseModelNotFound', message: `No BaseModel or ClusterBaseModel with the name: ${name}`}
  if (model.spec?.disabled) return {outcome: 'disabled', model, kind, reason: 'BaseModelDisabled', message: `specified base model ${name} is disabled`}
  if (!model.spec?.modelFormat?.name) {
    return {outcome: 'invalid', model, kind, reason: 'InvalidPredictorSpec', message: 'invalid model specification: modelFormat.name: model format name is required'}
  }
  return {outcome: 'found', model, kind, reason: 'Found', message: `${kind} ${name}`}
}

/** `mt:safetensors:1.0.0:LlamaForCausalLM:transformers:4.45.0` — how OME names a model's format in messages. */
export function modelFormatLabel(spec: BaseModelSpec): string {
  const f = spec.modelFormat ?? {name: ''}
  const parts = ['mt', f.name, f.version ?? '', spec.modelArchitecture ?? '', spec.modelFramework?.name ?? '', spec.modelFramework?.version ?? '']
  if (spec.quantization) parts.push(spec.quantization)
  return parts.join(':')
}

/**
 * The node label the model agent sets (`Updating`, `Ready`, `Failed`) on nodes holding the model;
 * ISVC pods select on `=Ready`. Names longer than 49 characters become an 8-hex SHA-256 prefix
 * plus the tail of the name.
 */
export function modelNodeLabel(kind: 'BaseModel' | 'ClusterBaseModel', name: string, namespace?: string): string {
  const part = kind === 'ClusterBaseModel' ? `clusterbasemodel.${name}` : `${namespace}.basemodel.${name}`
  if (part.length <= 49) return `models.ome.io/${part}`
  const hash = createHash('sha256').update(part).digest('hex').slice(0, 8)
  const tail = part.slice(part.length - 40).replace(/^[^A-Za-z0-9]+/, '')
  return `models.ome.io/${hash}.${tail}`
}

// ---------------------------------------------------------------------------------------------
// Runtime selection

type SupportedFormat = NonNullable<ServingRuntimeSpec['supportedModelFormats']>[number] & {
  modelFormat?: {name: string; version?: string; operator?: string; weight?: number}
  modelFramework?: {name: string; version?: string; operator?: string; weight?: number}
}

export type RuntimeDropStage = 'disabled' | 'accelerator' | 'format' | 'size' | 'autoSelect' | 'score' | 'order'

export interface RuntimeCandidate {
  scope: 'namespace' | 'cluster'
  kind: 'ServingRuntime' | 'ClusterServingRuntime'
  name: string
  namespace?: string
  /** Why it lost: the stage and a one-line reason (`order` means it matched but a better one won). */
  droppedAt?: RuntimeDropStage
  reason: string
  score?: number
  /** |min − size| + |max − size| in parameters (smaller is a tighter range); undefined without sizes. */
  sizeDistance?: number
  /** 1-based position among the matching runtimes. */
  rank?: number
  selected?: boolean
  runtime: KubeObject
}

export type RuntimeSelectionOutcome = 'selected' | 'none' | 'notFound' | 'disabled' | 'incompatible' | 'noModel'

export interface RuntimeSelection {
  outcome: RuntimeSelectionOutcome
  /** True when `spec.runtime.name` named the runtime. */
  explicit: boolean
  selected?: RuntimeCandidate
  /** Every runtime considered: namespace runtimes, then cluster runtimes, in OME's listing order. */
  candidates: RuntimeCandidate[]
  /** Condition reason: RuntimeSelected, NoSupportingRuntime, RuntimeNotRecognized, RuntimeDisabled. */
  reason: string
  message: string
}

export interface RuntimeSelectionInput {
  isvc: KubeObject
  /** The resolved model (lookupBaseModel().model); undefined → outcome noModel. */
  model: (KubeObject & {spec: BaseModelSpec}) | undefined
  namespacedRuntimes: readonly KubeObject[]
  clusterRuntimes: readonly KubeObject[]
}

/** The accelerator classes an ISVC requires (annotation, acceleratorSelector, component overrides). */
export function requiredAcceleratorClasses(isvc: KubeObject): string[] {
  const spec = (isvc.spec ?? {}) as OMEInferenceServiceSpec
  const out = [
    isvc.metadata.annotations?.['ome.io/accelerator-class'],
    spec.acceleratorSelector?.acceleratorClass,
    spec.engine?.acceleratorOverride?.acceleratorClass,
    spec.decoder?.acceleratorOverride?.acceleratorClass,
  ].filter((c): c is string => typeof c === 'string' && c !== '')
  return [...new Set(out)]
}

/** Why `format` cannot serve `model`, or undefined when it can (OME's compareSupportedModelFormats). */
export function formatMismatch(format: SupportedFormat, model: BaseModelSpec): string | undefined {
  if ((format.modelArchitecture ?? undefined) !== (model.modelArchitecture ?? undefined)) {
    return `architecture ${format.modelArchitecture ?? '(none)'} does not match ${model.modelArchitecture ?? '(none)'}`
  }
  if ((format.quantization ?? undefined) !== (model.quantization ?? undefined)) {
    return `quantization ${format.quantization ?? '(none)'} does not match ${model.quantization ?? '(none)'}`
  }
  if (!format.modelFormat?.name) return 'format entry has no modelFormat'
  if (format.modelFormat.name !== model.modelFormat?.name) return `format ${format.modelFormat.name} does not match ${model.modelFormat?.name ?? '(none)'}`
  const fv = format.modelFormat.version
  const mv = model.modelFormat?.version
  if ((fv === undefined) !== (mv === undefined)) return `format version ${fv ?? '(none)'} does not match ${mv ?? '(none)'}`
  if (fv !== undefined && mv !== undefined && !versionsCompatible(fv, mv, format.modelFormat.operator)) {
    return `format version ${fv} is not ${format.modelFormat.operator ?? 'Equal'} to ${mv}`
  }
  const rf = format.modelFramework
  const mf = model.modelFramework
  if (!rf !== !mf) return `framework ${rf?.name ?? '(none)'} does not match ${mf?.name ?? '(none)'}`
  if (rf && mf) {
    if (rf.name !== mf.name) return `framework ${rf.name} does not match ${mf.name}`
    if ((rf.version === undefined) !== (mf.version === undefined)) return `framework version ${rf.version ?? '(none)'} does not match ${mf.version ?? '(none)'}`
    if (rf.version && mf.version && !versionsCompatible(rf.version, mf.version, rf.operator)) {
      return `framework version ${rf.version} is not ${rf.operator ?? 'Equal'} to ${mf.version}`
    }
  }
  return undefined
}

function formatScore(format: SupportedFormat): number {
  const priority = format.priority ?? 1
  const fw = format.modelFormat?.weight ?? 1
  const mw = format.modelFramework ? (format.modelFramework.weight ?? 1) : 0
  return fw * priority + mw * priority
}

/** Size check: undefined when the model fits (or either side has no size), else the reason. */
function sizeMismatch(spec: ServingRuntimeSpec, model: BaseModelSpec): string | undefined {
  const size = parseModelSize(model.modelParameterSize)
  const range = spec.modelSizeRange
  if (size === undefined || !range || (!range.min && !range.max)) return undefined
  const min = parseModelSize(range.min)
  const max = parseModelSize(range.max)
  if ((min !== undefined && size < min) || (max !== undefined && size > max)) {
    return `model size ${model.modelParameterSize} is outside ${range.min ?? '0'}–${range.max ?? '∞'}`
  }
  return undefined
}

function sizeDistance(spec: ServingRuntimeSpec, model: BaseModelSpec): number | undefined {
  const size = parseModelSize(model.modelParameterSize)
  const min = parseModelSize(spec.modelSizeRange?.min)
  const max = parseModelSize(spec.modelSizeRange?.max)
  if (size === undefined || min === undefined || max === undefined) return undefined
  return Math.abs(min - size) + Math.abs(max - size)
}

function candidateOf(runtime: KubeObject, scope: 'namespace' | 'cluster'): RuntimeCandidate {
  return {
    scope,
    kind: scope === 'namespace' ? 'ServingRuntime' : 'ClusterServingRuntime',
    name: runtime.metadata.name ?? '',
    ...(scope === 'namespace' ? {namespace: runtime.metadata.namespace} : {}),
    reason: '',
    runtime,
  }
}

/** Check one runtime against the model; fills droppedAt/reason/score. `explicit` skips the autoSelect rule. */
function evaluate(c: RuntimeCandidate, model: BaseModelSpec, required: string[], explicit: boolean): RuntimeCandidate {
  const spec = (c.runtime.spec ?? {}) as ServingRuntimeSpec & {acceleratorRequirements?: {acceleratorClasses?: string[]}}
  if (spec.disabled) return {...c, droppedAt: 'disabled', reason: 'runtime is disabled'}
  if (required.length > 0) {
    const offered = spec.acceleratorRequirements?.acceleratorClasses ?? []
    const missing = required.filter((r) => !offered.includes(r))
    if (missing.length > 0) return {...c, droppedAt: 'accelerator', reason: `accelerator class ${missing.join(', ')} not supported`}
  }
  const formats = (spec.supportedModelFormats ?? []) as SupportedFormat[]
  const mismatches = formats.map((f) => formatMismatch(f, model))
  const matching = formats.filter((_, i) => mismatches[i] === undefined)
  if (matching.length === 0) {
    return {...c, droppedAt: 'format', reason: formats.length === 0 ? 'runtime lists no supported model formats' : mismatches.find((m) => m)!}
  }
  const size = sizeMismatch(spec, model)
  if (size) return {...c, droppedAt: 'size', reason: size}
  const eligible = explicit ? matching : matching.filter((f) => f.autoSelect === true)
  if (eligible.length === 0) return {...c, droppedAt: 'autoSelect', reason: 'no matching format has autoSelect: true'}
  const score = Math.max(...eligible.filter((f) => f.autoSelect !== false || explicit).map(formatScore), 0)
  if (score <= 0) return {...c, droppedAt: 'score', reason: 'score is 0', score}
  const distance = sizeDistance(spec, model)
  return {...c, reason: 'matches', score, ...(distance !== undefined ? {sizeDistance: distance} : {})}
}

function byPreference(a: RuntimeCandidate, b: RuntimeCandidate): number {
  if (a.scope !== b.scope) return a.scope === 'namespace' ? -1 : 1
  if ((b.score ?? 0) !== (a.score ?? 0)) return (b.score ?? 0) - (a.score ?? 0)
  if (a.sizeDistance !== undefined && b.sizeDistance !== undefined && a.sizeDistance !== b.sizeDistance) return a.sizeDistance - b.sizeDistance
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** OME's listing order: newest first, then by name. */
function listingOrder(list: readonly KubeObject[]): KubeObject[] {
  return [...list].sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? ''
    const tb = b.metadata.creationTimestamp ?? ''
    if (ta !== tb) return ta < tb ? 1 : -1
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1
  })
}

/**
 * Pick the serving runtime of an ISVC. Explicit (`spec.runtime.name`): ServingRuntime in the
 * namespace, else ClusterServingRuntime; it must be enabled and compatible (autoSelect not
 * required). Auto: every enabled, compatible runtime with an autoSelect format and a positive
 * score; namespace runtimes beat cluster runtimes whatever their score, then higher score, then
 * the tighter size range, then the name. Every candidate carries the reason it lost.
 */
export function selectRuntime(input: RuntimeSelectionInput): RuntimeSelection {
  const {isvc, model} = input
  const ns = isvc.metadata.namespace
  const spec = (isvc.spec ?? {}) as OMEInferenceServiceSpec
  const explicitName = spec.runtime?.name
  const namespaced = listingOrder(input.namespacedRuntimes.filter((r) => r.metadata.namespace === ns)).map((r) => candidateOf(r, 'namespace'))
  const cluster = listingOrder(input.clusterRuntimes).map((r) => candidateOf(r, 'cluster'))
  const required = requiredAcceleratorClasses(isvc)

  if (explicitName) {
    const found = namespaced.find((c) => c.name === explicitName) ?? cluster.find((c) => c.name === explicitName)
    if (!found) {
      return {outcome: 'notFound', explicit: true, candidates: [], reason: 'RuntimeNotRecognized', message: `runtime ${explicitName} not found in namespace ${ns} or at cluster scope`}
    }
    if (!model) return {outcome: 'noModel', explicit: true, candidates: [found], reason: 'BaseModelNotFound', message: 'the model is not resolved'}
    const c = evaluate(found, model.spec, required, true)
    if (c.droppedAt === 'disabled') return {outcome: 'disabled', explicit: true, candidates: [c], reason: 'RuntimeDisabled', message: `runtime ${explicitName} is disabled`}
    if (c.droppedAt) {
      return {
        outcome: 'incompatible',
        explicit: true,
        candidates: [c],
        reason: 'NoSupportingRuntime',
        message: `runtime ${explicitName} does not support model ${modelFormatLabel(model.spec)}: ${c.reason}`,
      }
    }
    const selected = {...c, rank: 1, selected: true, reason: 'named by spec.runtime.name'}
    return {outcome: 'selected', explicit: true, selected, candidates: [selected], reason: 'RuntimeSelected', message: `${selected.kind} ${selected.name} (spec.runtime.name)`}
  }

  const all = [...namespaced, ...cluster]
  if (!model) return {outcome: 'noModel', explicit: false, candidates: all.map((c) => ({...c, reason: 'model not resolved'})), reason: 'BaseModelNotFound', message: 'the model is not resolved'}
  const evaluated = all.map((c) => evaluate(c, model.spec, required, false))
  const matching = evaluated.filter((c) => !c.droppedAt).sort(byPreference)
  const winner = matching[0]
  const ranked = new Map(matching.map((c, i) => [c, i + 1]))
  const candidates = evaluated.map((c) => {
    const rank = ranked.get(c)
    if (rank === undefined) return c
    if (c === winner) return {...c, rank, selected: true, reason: 'selected'}
    const why =
      c.scope !== winner!.scope
        ? `${winner!.kind} ${winner!.name} is namespace-scoped and wins over cluster runtimes`
        : (c.score ?? 0) < (winner!.score ?? 0)
          ? `score ${c.score} is lower than ${winner!.name}'s ${winner!.score}`
          : c.sizeDistance !== undefined && winner!.sizeDistance !== undefined && c.sizeDistance > winner!.sizeDistance
            ? `size range is wider than ${winner!.name}'s`
            : `same score as ${winner!.name}, which comes first by name`
    return {...c, rank, droppedAt: 'order' as const, reason: why}
  })
  if (!winner) {
    const reasons = candidates.map((c) => `${c.name}: ${c.reason}`).join('; ')
    return {
      outcome: 'none',
      explicit: false,
      candidates,
      reason: 'NoSupportingRuntime',
      message:
        `no runtime found to support model ${model.metadata.name} with format ${modelFormatLabel(model.spec)} in namespace ${ns}. ` +
        `Checked ${candidates.length} runtimes${reasons ? ` (${reasons})` : ''}`,
    }
  }
  const selected = candidates.find((c) => c.selected)!
  return {outcome: 'selected', explicit: false, selected, candidates, reason: 'RuntimeSelected', message: `${selected.kind} ${selected.name} auto-selected (score ${selected.score})`}
}

// ---------------------------------------------------------------------------------------------
// Merge and modes

type Obj = Record<string, unknown>
type Container = Obj & {name?: string; env?: Array<{name: string} & Obj>; args?: string[]; resources?: Obj; ports?: Obj[]}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base)
  if (isObj(base) && isObj(over)) {
    const out: Obj = structuredClone(base)
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v)
    return out
  }
  return structuredClone(over)
}

function mergeByName<T extends {name?: string}>(base: T[] | undefined, over: T[] | undefined): T[] | undefined {
  if (!base) return over && structuredClone(over)
  if (!over) return structuredClone(base)
  const out = structuredClone(base)
  for (const item of over) {
    const i = out.findIndex((b) => b.name === item.name)
    if (i >= 0) out[i] = deepMerge(out[i], item) as T
    else out.push(structuredClone(item))
  }
  return out
}

/** Runtime container template + ISVC container: ISVC wins, env by name, args concatenated, resources replaced whole. */
export function mergeRunner(base: Container | undefined, over: Container | undefined): Container | undefined {
  if (!base && !over) return undefined
  if (!base) return structuredClone(over)
  if (!over) return structuredClone(base)
  const out = deepMerge(base, over) as Container
  const env = mergeByName(base.env, over.env)
  if (env) out.env = env
  if (base.args || over.args) out.args = [...(base.args ?? []), ...(over.args ?? [])]
  if (over.resources) out.resources = structuredClone(over.resources)
  const ports = mergeByName(base.ports as Array<{name?: string}> | undefined, over.ports as Array<{name?: string}> | undefined)
  if (ports) out.ports = ports as Obj[]
  return out
}

/**
 * The merged component: the runtime's `engineConfig`/`decoderConfig`/`routerConfig` under the
 * ISVC's component, ISVC winning. A component exists only when the ISVC declares it (undefined
 * otherwise). Pod-level `resources` on the ISVC component (seed 004's first example) are taken as
 * the runner's resources. A runtime without `engineConfig.runner` lends its first legacy container;
 * one without `decoderConfig` lends its engine template to the decoder.
 */
export function mergeComponent(
  component: OMEComponent,
  isvcSpec: OMEComponentSpec | OMERouterSpec | undefined,
  runtimeSpec: ServingRuntimeSpec | undefined,
): OMEComponentSpec | undefined {
  if (!isvcSpec) return undefined
  // A runtime without decoderConfig lends its engine template to the decoder (same shape; the
  // seed's decoder example gives only resources).
  const template = ((component === 'engine'
    ? runtimeSpec?.engineConfig
    : component === 'decoder'
      ? (runtimeSpec?.decoderConfig ?? runtimeSpec?.engineConfig)
      : runtimeSpec?.routerConfig) ?? {}) as OMEComponentSpec
  const own = structuredClone(isvcSpec) as OMEComponentSpec & {resources?: Obj}
  const podResources = own.resources
  delete own.resources
  const merged = deepMerge(template, own) as OMEComponentSpec
  let baseRunner = template.runner as Container | undefined
  if (!baseRunner && component !== 'router' && runtimeSpec?.containers?.[0]) baseRunner = runtimeSpec.containers[0] as unknown as Container
  const ownRunner = (own.runner ?? (podResources ? {} : undefined)) as Container | undefined
  if (ownRunner && podResources && !ownRunner.resources) ownRunner.resources = podResources
  const runner = mergeRunner(baseRunner, ownRunner)
  if (runner) merged.runner = runner as OMEComponentSpec["runner"]
  for (const part of ['leader', 'worker'] as const) {
    const t = template[part]
    const o = own[part]
    if (!t && !o) continue
    const m = deepMerge(t ?? {}, o ?? {}) as NonNullable<OMEComponentSpec['leader']>
    const r = mergeRunner(t?.runner as Container | undefined, o?.runner as Container | undefined)
    if (r) m.runner = r as OMEComponentSpec["runner"]
    ;(merged as Obj)[part] = m
  }
  if (component !== 'router' && runtimeSpec?.nodeSelector && isObj(runtimeSpec.nodeSelector)) {
    merged.nodeSelector = {...(runtimeSpec.nodeSelector as Record<string, string>), ...(merged.nodeSelector ?? {})}
  }
  merged.labels = {...(template.labels ?? {}), ...(own.labels ?? {})}
  merged.annotations = {...(template.annotations ?? {}), ...(own.annotations ?? {})}
  if (Object.keys(merged.labels).length === 0) delete merged.labels
  if (Object.keys(merged.annotations).length === 0) delete merged.annotations
  // Webhook defaults (reference §1.2).
  merged.minReplicas ??= 1
  if (!merged.maxReplicas) merged.maxReplicas = component === 'router' ? 2 : 3
  return merged
}

export interface OMEComponentModes {
  engine?: OMEDeploymentMode
  decoder?: OMEDeploymentMode
  router?: OMEDeploymentMode
}

/**
 * Deployment mode per merged component. Engine: a valid component annotation
 * `ome.io/deploymentMode`, else MultiNode with a leader or worker, else Serverless with
 * minReplicas 0, else RawDeployment. Decoder: MultiNode or RawDeployment (a decoder also turns a
 * Serverless engine into RawDeployment). Router: Serverless with minReplicas 0, else RawDeployment.
 */
export function componentModes(merged: {engine?: OMEComponentSpec; decoder?: OMEComponentSpec; router?: OMEComponentSpec}): OMEComponentModes {
  const out: OMEComponentModes = {}
  const {engine, decoder, router} = merged
  if (engine) {
    const annotated = engine.annotations?.[OME_DEPLOYMENT_MODE_ANNOTATION]
    if (annotated && VALID_MODES.has(annotated)) out.engine = annotated as OMEDeploymentMode
    else if (engine.leader || engine.worker) out.engine = 'MultiNode'
    else if (engine.minReplicas === 0) out.engine = 'Serverless'
    else out.engine = 'RawDeployment'
  }
  if (decoder) {
    out.decoder = decoder.leader || decoder.worker ? 'MultiNode' : 'RawDeployment'
    if (out.engine === 'Serverless') out.engine = 'RawDeployment'
  }
  if (router) out.router = router.minReplicas === 0 ? 'Serverless' : 'RawDeployment'
  return out
}

/** Prefill-decode disaggregation is not a mode of its own: an engine and a decoder both present. */
export function isPrefillDecode(modes: OMEComponentModes): boolean {
  return modes.engine !== undefined && modes.decoder !== undefined
}

/**
 * The deprecated KServe-style `predictor`, migrated as OME's webhook does: `predictor.model.baseModel`
 * → `model.name`, `predictor.model.runtime` → `runtime.name`, the predictor's pod and scaling fields
 * → `engine`, the model container fields → `engine.runner`, `workerSpec` → `engine.worker`.
 * Returns the spec unchanged when there is no predictor or an engine is already given.
 */
export function migratePredictor(spec: OMEInferenceServiceSpec): {spec: OMEInferenceServiceSpec; migrated: boolean} {
  const predictor = spec.predictor as (Record<string, unknown> & {model?: Record<string, unknown>; workerSpec?: Record<string, unknown>}) | undefined
  if (!predictor || spec.engine) return {spec, migrated: false}
  const {model = {}, workerSpec, ...rest} = structuredClone(predictor)
  const {baseModel, runtime, fineTunedWeights, storageUri, protocolVersion, modelFormat, ...container} = model as Record<string, unknown>
  void storageUri
  void protocolVersion
  void modelFormat
  const engine: OMEComponentSpec = {...(rest as OMEComponentSpec)}
  if (Object.keys(container).length > 0) engine.runner = container as OMEComponentSpec['runner']
  if (workerSpec) engine.worker = workerSpec as OMEComponentSpec['worker']
  const out: OMEInferenceServiceSpec = {...spec, engine}
  delete out.predictor
  if (!out.model && typeof baseModel === 'string') out.model = {name: baseModel, ...(Array.isArray(fineTunedWeights) ? {fineTunedWeights: fineTunedWeights as string[]} : {})}
  if (!out.runtime && typeof runtime === 'string') out.runtime = {name: runtime}
  return {spec: out, migrated: true}
}

export function validateInferenceService(spec: OMEInferenceServiceSpec): string | undefined {
  if (spec.decoder && !spec.engine) return 'decoder requires an engine component'
  if (!spec.engine) return 'engine component is required'
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Names

function last(s: string, n: number): string {
  return s.length > n ? s.slice(s.length - n).replace(/^[^a-z0-9]+/, '') : s
}

/** `{isvc}-engine`, `{isvc}-decoder`, `{isvc}-router`: Deployment, HPA, PDB names. */
export function omeComponentName(isvc: string, component: OMEComponent): string {
  return `${isvc}-${component}`
}

/** Service names are cut to 63 characters with a hash when longer. */
export function omeServiceName(name: string): string {
  if (name.length <= 63) return name
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
  return `${name.slice(0, 54).replace(/[^a-z0-9]+$/, '')}-${hash}`
}

export function omeLeaderWorkerSetName(componentName: string): string {
  return `lws-${last(componentName, 50)}`
}

export function omeScaledObjectName(componentName: string): string {
  return `scaledobject-${last(componentName, 50)}`
}

export function omeModelConfigName(isvc: string): string {
  return `modelconfig-${last(isvc, 20)}`
}

/** Knative-style revision name: `{component}-00001`. */
export function omeRevisionName(componentName: string, revision: number): string {
  return `${componentName}-${String(Math.max(1, revision)).padStart(5, '0')}`
}

export interface OMEUrls {
  url: string
  address: string
  component: (name: string) => string
}

/** Seed 004's status shapes: `http://{isvc}.{ns}.example.com`, address `http://{isvc}.{ns}.svc.cluster.local`. */
export function omeUrls(isvc: string, namespace: string, domain = 'example.com'): OMEUrls {
  return {
    url: `http://${isvc}.${namespace}.${domain}`,
    address: `http://${isvc}.${namespace}.svc.cluster.local`,
    component: (name) => `http://${name}.${namespace}.${domain}`,
  }
}

// ---------------------------------------------------------------------------------------------
// Autoscaling

export interface OMEAutoscaler {
  kind: 'hpa' | 'keda' | 'external' | 'none'
  minReplicas: number
  maxReplicas: number
  /** HPA: the Resource metric and its utilisation target. */
  metric?: 'cpu' | 'memory'
  target?: number
  /** KEDA: the prometheus trigger metadata. */
  trigger?: {serverAddress: string; metricName: string; query: string; threshold: string; operator: string; authModes?: string}
  authenticationRef?: {name: string; kind?: string}
}

/**
 * The autoscaler of a RawDeployment component. Class from `ome.io/autoscalerClass` (component,
 * then ISVC annotations), else KEDA when `kedaConfig.enableKeda` is true (component before top
 * level: seed 004 documents both, the OME code reads neither), else HPA. HPA min is at least 1.
 */
export function autoscalerFor(isvc: KubeObject, componentName: string, merged: OMEComponentSpec): OMEAutoscaler {
  const ann = {...(isvc.metadata.annotations ?? {}), ...(merged.annotations ?? {})}
  const top = (isvc.spec as OMEInferenceServiceSpec | undefined)?.kedaConfig
  const keda: OMEKedaConfig = {...(top ?? {}), ...(merged.kedaConfig ?? {})}
  const klass = ann[OME_AUTOSCALER_CLASS_ANNOTATION] ?? (keda.enableKeda ? 'keda' : 'hpa')
  const min = Math.max(merged.minReplicas ?? 1, 1)
  const max = Math.max(merged.maxReplicas ?? min, min)
  if (klass === 'external') return {kind: 'external', minReplicas: min, maxReplicas: max}
  if (klass === 'keda') {
    const query = (ann['autoscaling.keda.sh/prometheus.query'] ?? keda.customPromQuery ?? OME_DEFAULT_KEDA_QUERY).replaceAll('%s', componentName)
    return {
      kind: 'keda',
      minReplicas: min,
      maxReplicas: max,
      trigger: {
        serverAddress: ann['autoscaling.keda.sh/prometheus.serverAddress'] ?? keda.promServerAddress ?? OME_DEFAULT_PROMETHEUS,
        metricName: merged.scaleMetric ?? 'tps',
        query,
        threshold: ann['autoscaling.keda.sh/threshold'] ?? keda.scalingThreshold ?? '10',
        operator: ann['autoscaling.keda.sh/operator'] ?? keda.scalingOperator ?? 'LessThanOrEqual',
        ...(keda.authenticationRef && keda.authModes ? {authModes: keda.authModes} : {}),
      },
      ...(keda.authenticationRef ? {authenticationRef: keda.authenticationRef} : {}),
    }
  }
  const metric = merged.scaleMetric === 'memory' ? 'memory' : 'cpu'
  const annotated = Number(ann[OME_TARGET_UTILIZATION_ANNOTATION])
  const target = Number.isFinite(annotated) && annotated > 0 ? annotated : (merged.scaleTarget ?? 80)
  return {kind: 'hpa', minReplicas: min, maxReplicas: max, metric, target}
}

// ---------------------------------------------------------------------------------------------
// Status

export interface OMEConditionInput {
  type: string
  status: Condition['status']
  reason?: string
  message?: string
}

/** `EngineReady`, `DecoderReady`, `RouterReady`. */
export function omeComponentConditionType(component: OMEComponent): string {
  return `${component[0]!.toUpperCase()}${component.slice(1)}Ready`
}

/**
 * Ready from IngressReady and each present component's condition. Seed 004 describes Ready as the
 * overall readiness, so every present component gates it (OME's code gates only Engine and
 * Ingress; PR #89 moves it the seed's way). The first non-True dependency, in the order engine,
 * decoder, router, ingress, is copied into Ready; a dependency never set makes Ready Unknown.
 */
export function omeReadyRollup(components: OMEComponent[], conditions: readonly OMEConditionInput[]): OMEConditionInput {
  const deps = [...components.map(omeComponentConditionType), 'IngressReady']
  for (const type of deps) {
    const c = conditions.find((x) => x.type === type)
    if (!c) return {type: 'Ready', status: 'Unknown', reason: 'Initializing', message: `${type} is not reported yet`}
    if (c.status !== 'True') return {type: 'Ready', status: c.status, reason: c.reason ?? `${type.replace(/Ready$/, '')}NotReady`, message: c.message ?? `${type} is ${c.status}`}
  }
  return {type: 'Ready', status: 'True'}
}

export type OMEModelState = 'Pending' | 'Standby' | 'Loading' | 'Loaded' | 'FailedToLoad'

export interface OMEModelStatus {
  transitionStatus: 'UpToDate' | 'InProgress' | 'BlockedByFailedLoad' | 'InvalidSpec'
  modelRevisionStates: {activeModelState?: OMEModelState; targetModelState: OMEModelState}
  modelCopies?: {failedCopies: number; totalCopies: number}
  lastFailureInfo?: {location?: string; reason: string; message: string; exitCode?: number}
}

interface PodView {
  metadata: KubeObject['metadata']
  status?: unknown
}

function podIsReady(pod: PodView): boolean {
  const conds = (pod.status as {conditions?: Array<{type: string; status: string}>} | undefined)?.conditions ?? []
  return conds.some((c) => c.type === 'Ready' && c.status === 'True')
}

/**
 * modelStatus of an ISVC from the pods of its engine and decoder (newest pod decides while not
 * ready). No pods: Pending, or Standby when the component is Serverless and scaled to zero while
 * ready. Ready with pods: Loaded. A container that terminated with an error or is in
 * CrashLoopBackOff: FailedToLoad (BlockedByFailedLoad, reason ModelLoadFailed). A running but
 * not-ready server: Loading.
 */
export function omeModelStatus(input: {pods: readonly PodView[]; ready: boolean; scaledToZero?: boolean; invalidSpec?: boolean}): OMEModelStatus {
  if (input.invalidSpec) return {transitionStatus: 'InvalidSpec', modelRevisionStates: {targetModelState: 'Pending'}}
  const pods = input.pods.filter((p) => !p.metadata.deletionTimestamp)
  if (pods.length === 0) {
    if (input.ready && input.scaledToZero) return {transitionStatus: 'UpToDate', modelRevisionStates: {activeModelState: 'Standby', targetModelState: 'Standby'}, modelCopies: {failedCopies: 0, totalCopies: 0}}
    return {transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Pending'}}
  }
  const readyPods = pods.filter(podIsReady).length
  if (input.ready && readyPods > 0) {
    return {transitionStatus: 'UpToDate', modelRevisionStates: {activeModelState: 'Loaded', targetModelState: 'Loaded'}, modelCopies: {failedCopies: 0, totalCopies: pods.length}}
  }
  const newest = [...pods].sort((a, b) => ((a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1))[0]!
  type CS = {name: string; ready?: boolean; restartCount?: number; state?: Record<string, {reason?: string; message?: string; exitCode?: number}>; lastState?: Record<string, {reason?: string; message?: string; exitCode?: number}>}
  const statuses = ((newest.status as {containerStatuses?: CS[]} | undefined)?.containerStatuses ?? [])
  const failed = pods.filter((p) =>
    (((p.status as {containerStatuses?: CS[]} | undefined)?.containerStatuses) ?? []).some(
      (c) => (c.state?.terminated && c.state.terminated.reason === 'Error') || (c.state?.waiting?.reason === 'CrashLoopBackOff' && c.lastState?.terminated),
    ),
  ).length
  const bad = statuses.find((c) => (c.state?.terminated && c.state.terminated.reason === 'Error') || (c.state?.waiting?.reason === 'CrashLoopBackOff' && c.lastState?.terminated))
  if (bad) {
    const term = bad.state?.terminated ?? bad.lastState?.terminated ?? {}
    return {
      transitionStatus: 'BlockedByFailedLoad',
      modelRevisionStates: {activeModelState: readyPods > 0 ? 'Loaded' : undefined, targetModelState: 'FailedToLoad'},
      modelCopies: {failedCopies: failed, totalCopies: pods.length},
      lastFailureInfo: {
        location: newest.metadata.name,
        reason: 'ModelLoadFailed',
        message: term.message ?? `container ${bad.name} exited with code ${term.exitCode ?? 1}`,
        ...(term.exitCode !== undefined ? {exitCode: term.exitCode} : {}),
      },
    }
  }
  if (statuses.some((c) => c.state?.running && !c.ready)) return {transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Loading'}}
  return {transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Pending'}}
}

/** status.state of a BaseModel from the nodes the agent reports: Ready ≥1 ready, else Failed ≥1 failed, else In_Transit. */
export function baseModelState(nodesReady: readonly string[], nodesFailed: readonly string[]): 'Ready' | 'Failed' | 'In_Transit' {
  if (nodesReady.length > 0) return 'Ready'
  if (nodesFailed.length > 0) return 'Failed'
  return 'In_Transit'
}

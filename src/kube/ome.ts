/**
 * OME (ome.io/v1beta1, seed 004) in the plugin: the OMEStatusReport behind `kubectl aim status NAME`
 * for an OME InferenceService, the rows of the OME table beside the AIM one, and the runtime
 * selection report behind `kubectl aim why NAME`. The rules come from src/engine/ome.ts — the same
 * migratePredictor → lookupBaseModel → selectRuntime → mergeComponent → componentModes chain the
 * simulator's OME reconciler runs — applied to what the cluster holds now.
 */
import type {Condition, KubeObject} from '../api/object.js'
import {OME_GROUP, registry} from '../api/registry.js'
import type {BaseModelSpec, OMEComponentSpec, OMEInferenceServiceSpec, ServingRuntimeSpec} from '../api/types/ome.js'
import {
  componentModes,
  lookupBaseModel,
  mergeComponent,
  migratePredictor,
  modelFormatLabel,
  OME_COMPONENT_LABEL,
  OME_COMPONENTS,
  OME_ISVC_LABEL,
  omeComponentConditionType,
  omeComponentName,
  selectRuntime,
  type OMEComponent,
  type OMEDeploymentMode,
  type RuntimeSelection,
} from '../engine/ome.js'
import {K, field, type AIMService} from './aim.js'
import type {KubeClient} from './client.js'
import {UserError} from './errors.js'
import {attempt, podRow, redact, reportStamp, REPORT_API_VERSION, warningEventRows, type EventRow, type PodRow} from './report.js'

const omeKind = (kind: string) => registry.require(OME_GROUP, kind)

/** The OME kinds the plugin reads. */
export const OME_K = {
  isvc: omeKind('InferenceService'),
  baseModel: omeKind('BaseModel'),
  clusterBaseModel: omeKind('ClusterBaseModel'),
  runtime: omeKind('ServingRuntime'),
  clusterRuntime: omeKind('ClusterServingRuntime'),
  deployment: registry.require('apps', 'Deployment'),
}

/** `inferenceservices.ome.io`: with KServe served too, plain `inferenceservice` means serving.kserve.io. */
export const OME_ISVC_RESOURCE = `${OME_K.isvc.plural}.${OME_GROUP}`

export interface OMEComponentRow {
  component: OMEComponent
  mode?: OMEDeploymentMode
  minReplicas?: number
  maxReplicas?: number
  /** Desired replicas of the component's Deployment (an autoscaler may move it between min and max). */
  replicas?: number
  pods: number
  readyPods: number
  url?: string
  revision?: string
  condition: {type: string; status: string; reason?: string; message?: string}
}

export interface OMEStatusReport {
  apiVersion: typeof REPORT_API_VERSION
  kind: 'OMEStatusReport'
  collectedAt: string
  context: string
  service: {
    name: string
    namespace: string
    uid?: string
    createdAt?: string
    generation?: number
    observedGeneration?: number
    ready: string
    reason?: string
    message?: string
    url?: string
    address?: string
    /** Prefill-decode disaggregation: an engine and a decoder both present. */
    prefillDecode: boolean
  }
  model: {
    name?: string
    kind?: 'BaseModel' | 'ClusterBaseModel'
    /** found | missingReference | notFound | disabled | invalid */
    lookup: string
    message?: string
    format?: string
    size?: string
    /** `status.modelStatus` as the controller wrote it. */
    transitionStatus?: string
    activeModelState?: string
    targetModelState?: string
    failure?: {reason?: string; message?: string; location?: string; exitCode?: number}
  }
  runtime: {name?: string; kind?: string; explicit: boolean; outcome: string; reason: string; message: string}
  components: OMEComponentRow[]
  conditions: Condition[]
  pods: Array<PodRow & {component?: string}>
  events: EventRow[]
  lookCloser: string[]
  errors: string[]
}

type ISVC = KubeObject & {spec?: OMEInferenceServiceSpec}

export type ServiceTarget = {kind: 'aim'; service: AIMService} | {kind: 'ome'; isvc: ISVC}

/**
 * What NAME is for `status`/`why`, in one GET when it is an AIMService (AIM seeds are primary).
 * When the AIMService is not found, an OME InferenceService of that name; when that does not exist
 * either (or OME is not served), the AIMService's own not-found error. `ome` asks for the OME one.
 */
export async function resolveServiceTarget(client: KubeClient, name: string, namespace: string, ome = false): Promise<ServiceTarget> {
  if (ome) return {kind: 'ome', isvc: await client.get<ISVC>(OME_K.isvc, name, namespace)}
  try {
    return {kind: 'aim', service: await client.get<AIMService>(K.service, name, namespace)}
  } catch (err) {
    if ((err as UserError).httpStatus !== 404) throw err
    const isvc = await client.tryGet<ISVC>(OME_K.isvc, name, namespace).catch(() => undefined)
    if (isvc) return {kind: 'ome', isvc}
    throw err
  }
}

interface Inputs {
  lookup: ReturnType<typeof lookupBaseModel>
  selection?: RuntimeSelection
  spec: OMEInferenceServiceSpec
}

/** The controller's chain: migratePredictor → lookupBaseModel → selectRuntime, on live objects. */
async function evaluate(client: KubeClient, isvc: ISVC, errors: string[]): Promise<Inputs> {
  const ns = isvc.metadata.namespace ?? client.namespace
  const spec = migratePredictor((isvc.spec ?? {}) as OMEInferenceServiceSpec).spec
  const view = {...isvc, spec}
  const [bm, cbm, sr, csr] = await Promise.all([
    attempt(errors, 'basemodels', () => client.list(OME_K.baseModel, {namespace: ns})),
    attempt(errors, 'clusterbasemodels', () => client.list(OME_K.clusterBaseModel)),
    attempt(errors, 'servingruntimes', () => client.list(OME_K.runtime, {namespace: ns})),
    attempt(errors, 'clusterservingruntimes', () => client.list(OME_K.clusterRuntime)),
  ])
  const lookup = lookupBaseModel(view, bm?.items ?? [], cbm?.items ?? [])
  const selection = selectRuntime({isvc: view, model: lookup.outcome === 'found' ? lookup.model : undefined, namespacedRuntimes: sr?.items ?? [], clusterRuntimes: csr?.items ?? []})
  return {lookup, selection, spec}
}

function isReady(p: KubeObject): boolean {
  return (field<Condition[]>(p, 'status', 'conditions') ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
}

export async function collectOmeStatus(client: KubeClient, name: string, namespace: string, now: Date = new Date()): Promise<OMEStatusReport> {
  const isvc = await client.get<ISVC>(OME_K.isvc, name, namespace)
  return buildOmeReport(client, isvc, now)
}

export async function buildOmeReport(client: KubeClient, isvc: ISVC, now: Date = new Date()): Promise<OMEStatusReport> {
  const name = isvc.metadata.name ?? ''
  const namespace = isvc.metadata.namespace ?? client.namespace
  const errors: string[] = []
  const {lookup, selection, spec} = await evaluate(client, isvc, errors)
  const [pods, events, deployments] = await Promise.all([
    attempt(errors, 'pods', () => client.list(K.pod, {namespace, labelSelector: `${OME_ISVC_LABEL}=${name}`})),
    attempt(errors, 'events', () => client.list(K.event, {namespace})),
    attempt(errors, 'deployments', () => client.list(OME_K.deployment, {namespace, labelSelector: `${OME_ISVC_LABEL}=${name}`})),
  ])
  const st = (isvc.status ?? {}) as {conditions?: Condition[]; url?: string; components?: Record<string, Record<string, unknown>>; address?: {url?: string}; observedGeneration?: number; modelStatus?: unknown}
  const conditions = (st.conditions ?? []) as Condition[]
  const cond = (type: string) => conditions.find((c) => c.type === type)
  const ready = cond('Ready')

  const runtimeSpec = selection?.selected ? ((selection.selected.runtime.spec ?? {}) as ServingRuntimeSpec) : undefined
  const merged = {
    engine: mergeComponent('engine', spec.engine, runtimeSpec),
    decoder: mergeComponent('decoder', spec.decoder, runtimeSpec),
    router: mergeComponent('router', spec.router, runtimeSpec),
  }
  const modes = componentModes(merged)
  const podItems = pods?.items ?? []
  const components: OMEComponentRow[] = []
  for (const component of OME_COMPONENTS) {
    const declared = component === 'engine' ? (spec.engine ?? spec.predictor) : spec[component]
    if (!declared) continue
    const m = merged[component] as OMEComponentSpec | undefined
    const own = podItems.filter((p) => p.metadata.labels?.[OME_COMPONENT_LABEL] === component && !p.metadata.deletionTimestamp)
    const deploy = deployments?.items.find((d) => d.metadata.name === omeComponentName(name, component))
    const c = cond(omeComponentConditionType(component))
    const status = (st.components?.[component] ?? {}) as {url?: string; latestReadyRevision?: string; latestCreatedRevision?: string}
    components.push({
      component,
      ...(modes[component] ? {mode: modes[component]} : {}),
      ...(m?.minReplicas !== undefined ? {minReplicas: m.minReplicas} : {}),
      ...(m?.maxReplicas !== undefined ? {maxReplicas: m.maxReplicas} : {}),
      ...(deploy ? {replicas: field<number>(deploy, 'spec', 'replicas') ?? 1} : {}),
      pods: own.length,
      readyPods: own.filter(isReady).length,
      ...(status.url ? {url: status.url} : {}),
      ...(status.latestReadyRevision ?? status.latestCreatedRevision ? {revision: status.latestReadyRevision ?? status.latestCreatedRevision} : {}),
      condition: c
        ? {type: c.type, status: c.status, ...(c.reason ? {reason: c.reason} : {}), ...(c.message ? {message: redact(c.message)} : {})}
        : {type: omeComponentConditionType(component), status: 'Unknown', reason: 'NotReported'},
    })
  }

  const podRows = podItems
    .map((p) => ({...podRow(p), ...(p.metadata.labels?.[OME_COMPONENT_LABEL] ? {component: p.metadata.labels[OME_COMPONENT_LABEL]} : {})}))
    .sort((a, b) => a.name.localeCompare(b.name))
  const involved = new Set([`InferenceService/${name}`, ...podRows.map((p) => `Pod/${p.name}`), ...(deployments?.items ?? []).map((d) => `Deployment/${d.metadata.name}`)])
  const eventRows = warningEventRows(events?.items ?? [], involved)

  const ms = st.modelStatus as {transitionStatus?: string; modelRevisionStates?: {activeModelState?: string; targetModelState?: string}; lastFailureInfo?: {reason?: string; message?: string; location?: string; exitCode?: number}} | undefined
  const model = lookup.model?.spec as BaseModelSpec | undefined
  const report: OMEStatusReport = {
    apiVersion: REPORT_API_VERSION,
    kind: 'OMEStatusReport',
    collectedAt: reportStamp(now),
    context: client.contextName,
    service: {
      name,
      namespace,
      uid: isvc.metadata.uid,
      createdAt: isvc.metadata.creationTimestamp,
      generation: isvc.metadata.generation,
      observedGeneration: st.observedGeneration,
      ready: ready?.status ?? 'Unknown',
      ...(ready?.reason ? {reason: ready.reason} : {}),
      ...(ready?.message ? {message: redact(ready.message)} : {}),
      ...(st.url ? {url: st.url} : {}),
      ...(st.address?.url ? {address: st.address.url} : {}),
      prefillDecode: modes.engine !== undefined && modes.decoder !== undefined,
    },
    model: {
      ...(spec.model?.name ? {name: spec.model.name} : {}),
      ...(lookup.kind && lookup.model ? {kind: lookup.kind} : {}),
      lookup: lookup.outcome,
      ...(lookup.outcome !== 'found' ? {message: lookup.message} : {}),
      ...(model?.modelFormat?.name ? {format: modelFormatLabel(model)} : {}),
      ...(model?.modelParameterSize ? {size: model.modelParameterSize} : {}),
      ...(ms?.transitionStatus ? {transitionStatus: ms.transitionStatus} : {}),
      ...(ms?.modelRevisionStates?.activeModelState ? {activeModelState: ms.modelRevisionStates.activeModelState} : {}),
      ...(ms?.modelRevisionStates?.targetModelState ? {targetModelState: ms.modelRevisionStates.targetModelState} : {}),
      ...(ms?.lastFailureInfo ? {failure: {...ms.lastFailureInfo, ...(ms.lastFailureInfo.message ? {message: redact(ms.lastFailureInfo.message)} : {})}} : {}),
    },
    runtime: {
      ...(selection?.selected ? {name: selection.selected.name, kind: selection.selected.kind} : {}),
      explicit: selection?.explicit ?? Boolean(spec.runtime?.name),
      outcome: selection?.outcome ?? 'noModel',
      reason: selection?.reason ?? '',
      message: selection?.message ?? '',
    },
    components,
    conditions: conditions.map((c) => (c.message ? {...c, message: redact(c.message)} : c)),
    pods: podRows,
    events: eventRows,
    lookCloser: [],
    errors,
  }
  report.lookCloser = omeLookCloser(report)
  return report
}

function omeLookCloser(r: OMEStatusReport): string[] {
  const ns = `-n ${r.service.namespace}`
  const n = r.service.name
  const out = [`kubectl ${ns} get ${OME_ISVC_RESOURCE} ${n}`, `kubectl ${ns} describe ${OME_ISVC_RESOURCE} ${n}`]
  if (r.pods.length > 0) {
    out.push(`kubectl ${ns} get pods -l ${OME_ISVC_LABEL}=${n}`)
    out.push(`kubectl ${ns} logs -l serving.ome.io/inferenceservice=${n} --tail=50`)
  }
  if (r.model.name) out.push(r.model.kind === 'BaseModel' ? `kubectl ${ns} get basemodels.ome.io ${r.model.name}` : `kubectl get clusterbasemodels.ome.io ${r.model.name}`)
  if (r.runtime.name) out.push(r.runtime.kind === 'ServingRuntime' ? `kubectl ${ns} get servingruntimes.ome.io ${r.runtime.name}` : `kubectl get clusterservingruntimes.ome.io ${r.runtime.name}`)
  if (r.runtime.outcome !== 'selected') out.push(`kubectl aim why ${n} ${ns}`)
  out.push(`kubectl ${ns} get events --field-selector involvedObject.name=${n}`)
  return out
}

/** One row of the OME table `kubectl aim status` shows under the AIM one. */
export interface OMEServiceRow {
  namespace: string
  name: string
  ready: string
  model: string
  modelState: string
  components: string
  url: string
  createdAt?: string
  reason: string
  message?: string
}

export function omeServiceRow(isvc: ISVC): OMEServiceRow {
  const st = (isvc.status ?? {}) as {conditions?: Condition[]; url?: string; modelStatus?: {modelRevisionStates?: {activeModelState?: string; targetModelState?: string}}}
  const spec = (isvc.spec ?? {}) as OMEInferenceServiceSpec
  const ready = st.conditions?.find((c) => c.type === 'Ready')
  const states = st.modelStatus?.modelRevisionStates
  const comps = OME_COMPONENTS.filter((c) => (c === 'engine' ? spec.engine ?? spec.predictor : spec[c]))
  return {
    namespace: isvc.metadata.namespace ?? '',
    name: isvc.metadata.name ?? '',
    ready: ready?.status ?? 'Unknown',
    model: spec.model?.name ?? '',
    modelState: states?.activeModelState ?? states?.targetModelState ?? '',
    components: comps.join(','),
    url: st.url ?? '',
    createdAt: isvc.metadata.creationTimestamp,
    reason: ready && ready.status !== 'True' ? (ready.reason ?? '') : '',
    ...(ready && ready.status !== 'True' && ready.message ? {message: redact(ready.message)} : {}),
  }
}

/** OME InferenceServices for the status table; [] when OME is not served or not readable. */
export async function listOmeRows(client: KubeClient, allNamespaces: boolean): Promise<OMEServiceRow[]> {
  const list = await client.list<ISVC>(OME_K.isvc, {allNamespaces}).catch(() => ({items: [] as ISVC[]}))
  return list.items.map(omeServiceRow).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
}

// ---------------------------------------------------------------------------------------------
// why: runtime selection

export interface RuntimeRow {
  scope: 'namespace' | 'cluster'
  kind: string
  name: string
  namespace?: string
  disabled: boolean
  /** `safetensors:1.0.0 LlamaForCausalLM transformers:4.45.0 auto` per supported format. */
  formats: string[]
  /** `1B–75B`, or undefined without a range. */
  sizeRange?: string
  /** Highest priority among its formats (1 when unset). */
  priority: number
  droppedAt?: string
  reason: string
  score?: number
  rank?: number
  selected: boolean
}

export interface OMEExplainReport {
  apiVersion: typeof REPORT_API_VERSION
  kind: 'OMEExplainReport'
  collectedAt: string
  service: {name: string; namespace: string}
  model: {name?: string; kind?: string; lookup: string; message: string; format?: string; size?: string}
  explicit: boolean
  requestedRuntime?: string
  outcome: RuntimeSelection['outcome']
  selected?: string
  reason: string
  message: string
  /** The runtime the service's pods run now (label serving-runtime), when any. */
  currentRuntime?: string
  candidates: RuntimeRow[]
  notes: string[]
}

function formatText(f: NonNullable<ServingRuntimeSpec['supportedModelFormats']>[number]): string {
  const fmt = f.modelFormat ? `${f.modelFormat.name}${f.modelFormat.version ? `:${f.modelFormat.version}` : ''}` : (f.name ?? '?')
  const fw = f.modelFramework ? ` ${f.modelFramework.name}${f.modelFramework.version ? `:${f.modelFramework.version}` : ''}` : ''
  return `${fmt}${f.modelArchitecture ? ` ${f.modelArchitecture}` : ''}${f.quantization ? ` ${f.quantization}` : ''}${fw}${f.autoSelect ? ' auto' : ''}`
}

/** `kubectl aim why NAME` for an OME InferenceService: every runtime, the stage it lost at or its rank. */
export async function explainOmeRuntime(client: KubeClient, target: ISVC | string, namespace: string, now: Date = new Date()): Promise<OMEExplainReport> {
  const isvc = typeof target === 'string' ? await client.get<ISVC>(OME_K.isvc, target, namespace) : target
  const name = isvc.metadata.name ?? ''
  namespace = isvc.metadata.namespace ?? namespace
  const errors: string[] = []
  const {lookup, selection, spec} = await evaluate(client, isvc, errors)
  const sel = selection!
  const pods = await client.list(K.pod, {namespace, labelSelector: `${OME_ISVC_LABEL}=${name}`}).catch(() => ({items: [] as KubeObject[]}))
  const current = [...new Set(pods.items.map((p) => p.metadata.labels?.['serving-runtime']).filter((r): r is string => !!r))]
  const model = lookup.model?.spec as BaseModelSpec | undefined
  const rows: RuntimeRow[] = sel.candidates.map((c) => {
    const rs = (c.runtime.spec ?? {}) as ServingRuntimeSpec
    const formats = rs.supportedModelFormats ?? []
    const range = rs.modelSizeRange
    return {
      scope: c.scope,
      kind: c.kind,
      name: c.name,
      ...(c.namespace ? {namespace: c.namespace} : {}),
      disabled: Boolean(rs.disabled),
      formats: formats.map(formatText),
      ...(range && (range.min || range.max) ? {sizeRange: `${range.min ?? '0'}–${range.max ?? '∞'}`} : {}),
      priority: Math.max(1, ...formats.map((f) => f.priority ?? 1)),
      ...(c.droppedAt ? {droppedAt: c.droppedAt} : {}),
      reason: c.reason,
      ...(c.score !== undefined ? {score: c.score} : {}),
      ...(c.rank !== undefined ? {rank: c.rank} : {}),
      selected: Boolean(c.selected),
    }
  })
  rows.sort((a, b) => {
    if (a.selected !== b.selected) return a.selected ? -1 : 1
    const ar = a.rank ?? Number.MAX_SAFE_INTEGER
    const br = b.rank ?? Number.MAX_SAFE_INTEGER
    return ar - br
  })
  const notes: string[] = [...errors]
  if (sel.explicit) notes.push(`spec.runtime.name names the runtime: auto-selection does not run, the runtime only has to be enabled and support the model (autoSelect is not required)`)
  if (spec.predictor && !isvc.spec?.engine) notes.push('spec.predictor is deprecated; it is read as spec.engine, model and runtime')
  if (current.length && sel.selected && !current.includes(sel.selected.name)) notes.push(`the pods still run ${current.join(', ')}; the controller moves them to ${sel.selected.name} on its next reconcile`)
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'OMEExplainReport',
    collectedAt: reportStamp(now),
    service: {name, namespace},
    model: {
      ...(spec.model?.name ? {name: spec.model.name} : {}),
      ...(lookup.kind && lookup.model ? {kind: lookup.kind} : {}),
      lookup: lookup.outcome,
      message: lookup.message,
      ...(model?.modelFormat?.name ? {format: modelFormatLabel(model)} : {}),
      ...(model?.modelParameterSize ? {size: model.modelParameterSize} : {}),
    },
    explicit: sel.explicit,
    ...(spec.runtime?.name ? {requestedRuntime: spec.runtime.name} : {}),
    outcome: sel.outcome,
    ...(sel.selected ? {selected: sel.selected.name} : {}),
    reason: sel.reason,
    message: sel.message,
    ...(current.length ? {currentRuntime: current.join(',')} : {}),
    candidates: rows,
    notes,
  }
}

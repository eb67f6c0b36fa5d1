/**
 * The OME InferenceService controller (ome.io/v1beta1), RawDeployment path of reference ome.md:
 * model resolution (BaseModel, then ClusterBaseModel), runtime selection (explicit, or the
 * auto-selection rules of §2.3), runtime+ISVC merge, one Deployment/Service/autoscaler per declared
 * component (engine, decoder, router), the external Service `{isvc}`, and Knative-style status.
 * MultiNode (LeaderWorkerSet) and Serverless (Knative) are not available in this cluster: an
 * engine that asks for them is rejected with an event, as OME does when the CRDs are missing.
 */
import type {Condition, KubeObject} from '../../../../src/api/object.js'
import type {BaseModelSpec, OMEComponentSpec, OMEInferenceServiceSpec, OMEKedaConfig, ServingRuntimeSpec} from '../../../../src/api/types/ome.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../../types.js'
import {controllerRef, createOrIgnore, deleteIgnoringNotFound, getCondition, REF, setCondition, stableJson, writeStatus, type PodStatus} from '../util.js'
import {modelNodeLabel, OME_REF} from './models.js'

const COMPONENT = 'ome-controller-manager'
const ISVC_LABEL = 'ome.io/inferenceservice'
/** The label OME's documentation (seed 004) selects pods by. */
const DOC_ISVC_LABEL = 'serving.ome.io/inferenceservice'
const COMPONENTS = ['engine', 'decoder', 'router'] as const
type ComponentName = (typeof COMPONENTS)[number]

class OmeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

// Runtime selection ---------------------------------------------------------------------------------

/** "7B" → 7e9, "1.5T" → 1.5e12, "500M" → 5e8. */
export function parseModelSize(s: string | undefined): number | undefined {
  if (!s) return undefined
  const m = /^\s*([\d.]+)\s*([TBM])?\s*$/i.exec(s)
  if (!m) return undefined
  const mult = {T: 1e12, B: 1e9, M: 1e6}[(m[2] ?? 'B').toUpperCase() as 'T' | 'B' | 'M']
  return Number(m[1]) * mult
}

function versionsCompatible(runtime?: string, model?: string): boolean {
  if (runtime === undefined && model === undefined) return true
  if (runtime === undefined || model === undefined) return false
  return runtime === model
}

type Format = NonNullable<ServingRuntimeSpec['supportedModelFormats']>[number]

/** Why a runtime's format entry does not fit the model (undefined when it fits). */
function formatMismatch(f: Format, model: BaseModelSpec): string | undefined {
  if ((f.modelArchitecture ?? undefined) !== (model.modelArchitecture ?? undefined)) return `architecture ${f.modelArchitecture ?? '<none>'} != ${model.modelArchitecture ?? '<none>'}`
  if ((f.quantization ?? undefined) !== (model.quantization ?? undefined)) return `quantization ${f.quantization ?? '<none>'} != ${model.quantization ?? '<none>'}`
  if (!f.modelFormat || f.modelFormat.name !== model.modelFormat?.name) return `format ${f.modelFormat?.name ?? '<none>'} != ${model.modelFormat?.name}`
  if (!versionsCompatible(f.modelFormat.version, model.modelFormat?.version)) return `format version ${f.modelFormat.version ?? '<none>'} != ${model.modelFormat?.version ?? '<none>'}`
  const rf = f.modelFramework
  const mf = model.modelFramework
  if (!!rf !== !!mf) return `framework ${rf?.name ?? '<none>'} != ${mf?.name ?? '<none>'}`
  if (rf && mf && (rf.name !== mf.name || !versionsCompatible(rf.version, mf.version))) return `framework ${rf.name}:${rf.version ?? ''} != ${mf.name}:${mf.version ?? ''}`
  return undefined
}

function sizeFits(runtime: ServingRuntimeSpec, model: BaseModelSpec): boolean {
  const size = parseModelSize(model.modelParameterSize)
  const min = parseModelSize(runtime.modelSizeRange?.min)
  const max = parseModelSize(runtime.modelSizeRange?.max)
  if (size === undefined || (min === undefined && max === undefined)) return true
  return (min === undefined || size >= min) && (max === undefined || size <= max)
}

function formatLabel(model: BaseModelSpec): string {
  return `mt:${model.modelFormat?.name ?? ''}:${model.modelFormat?.version ?? ''}:${model.modelArchitecture ?? ''}:${model.modelFramework?.name ?? ''}:${model.modelFramework?.version ?? ''}`
}

export interface RuntimeChoice {
  runtime: KubeObject
  scope: 'Namespace' | 'Cluster'
}

/** OME's SelectRuntime / explicit runtime validation (reference ome.md §2.2–2.3). */
export function selectRuntime(ctx: ReconcileContext, namespace: string, spec: OMEInferenceServiceSpec, model: BaseModelSpec): RuntimeChoice {
  if (!model.modelFormat?.name) throw new OmeError('RuntimeSelectionError', 'invalid model specification: modelFormat.name: model format name is required')
  const explicit = spec.runtime?.name
  if (explicit) {
    const ns = ctx.store.get(OME_REF.servingRuntimes, namespace, explicit)
    const runtime = ns ?? ctx.store.get(OME_REF.clusterServingRuntimes, undefined, explicit)
    if (!runtime) throw new OmeError('RuntimeFetchError', `runtime ${explicit} not found in namespace ${namespace} or at cluster scope`)
    const rs = (runtime.spec ?? {}) as ServingRuntimeSpec
    if (rs.disabled) throw new OmeError('RuntimeValidationError', `runtime ${explicit} is disabled`)
    const reasons = (rs.supportedModelFormats ?? []).map((f) => formatMismatch(f, model))
    if (!reasons.some((r) => r === undefined)) throw new OmeError('RuntimeValidationError', `runtime ${explicit} does not support model ${model.modelFormat.name}: no supported format matches ${formatLabel(model)}`)
    if (!sizeFits(rs, model)) throw new OmeError('RuntimeValidationError', `runtime ${explicit} does not support model ${model.modelFormat.name}: model size ${model.modelParameterSize} is outside ${rs.modelSizeRange?.min ?? ''}-${rs.modelSizeRange?.max ?? ''}`)
    return {runtime, scope: ns ? 'Namespace' : 'Cluster'}
  }
  const byNewest = (a: KubeObject, b: KubeObject) =>
    String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name))
  const size = parseModelSize(model.modelParameterSize)
  const excluded: string[] = []
  const candidates = (list: KubeObject[]) =>
    list
      .sort(byNewest)
      .map((runtime) => {
        const rs = (runtime.spec ?? {}) as ServingRuntimeSpec
        const name = runtime.metadata.name ?? ''
        const why = (r: string) => (excluded.push(`${name}: ${r}`), undefined)
        if (rs.disabled) return why('disabled')
        const formats = (rs.supportedModelFormats ?? []).filter((f) => formatMismatch(f, model) === undefined)
        if (formats.length === 0) return why(`no supported format matches ${formatLabel(model)}`)
        if (!sizeFits(rs, model)) return why(`model size ${model.modelParameterSize} out of range`)
        if (!formats.some((f) => f.autoSelect === true)) return why('no format has autoSelect enabled')
        const score = Math.max(...formats.filter((f) => f.autoSelect !== false).map((f) => {
          const p = f.priority ?? 1
          const fw = (f.modelFormat as {weight?: number} | undefined)?.weight ?? 1
          const mw = (f.modelFramework as {weight?: number} | undefined)?.weight ?? 1
          return fw * p + (f.modelFramework ? mw * p : 0)
        }))
        if (!(score > 0)) return why('score 0')
        const min = parseModelSize(rs.modelSizeRange?.min)
        const max = parseModelSize(rs.modelSizeRange?.max)
        const tightness = size !== undefined && min !== undefined && max !== undefined ? Math.abs(min - size) + Math.abs(max - size) : Infinity
        return {runtime, score, tightness, name}
      })
      .filter((c): c is {runtime: KubeObject; score: number; tightness: number; name: string} => c !== undefined)
      .sort((a, b) => b.score - a.score || a.tightness - b.tightness || a.name.localeCompare(b.name))
  const nsList = candidates(ctx.store.list(OME_REF.servingRuntimes, {namespace}).items)
  if (nsList[0]) return {runtime: nsList[0].runtime, scope: 'Namespace'}
  const clusterList = candidates(ctx.store.list(OME_REF.clusterServingRuntimes).items)
  if (clusterList[0]) return {runtime: clusterList[0].runtime, scope: 'Cluster'}
  const checked = excluded.length
  throw new OmeError(
    'RuntimeSelectionError',
    `no runtime found to support model ${model.modelFormat.name} with format ${model.modelFormat.name} in namespace ${namespace}. Checked ${checked} runtimes${checked ? ` (${excluded.join('; ')})` : ''}`,
  )
}

// Merge ---------------------------------------------------------------------------------------------

function mergeContainer(base: Record<string, unknown> | undefined, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = {...(base ?? {}), ...(over ?? {})}
  const args = [...((base?.args as string[] | undefined) ?? []), ...((over?.args as string[] | undefined) ?? [])]
  if (args.length) merged.args = args
  const env = new Map<string, unknown>()
  for (const e of [...((base?.env as Array<{name: string}> | undefined) ?? []), ...((over?.env as Array<{name: string}> | undefined) ?? [])]) env.set(e.name, e)
  if (env.size) merged.env = [...env.values()]
  if (base?.resources && !over?.resources) merged.resources = base.resources
  return merged
}

/** Runtime template + ISVC component, the ISVC winning; nil when the ISVC does not declare the component. */
export function mergeComponent(runtimeSpec: ServingRuntimeSpec, isvcSpec: OMEInferenceServiceSpec, c: ComponentName): OMEComponentSpec | undefined {
  const own = isvcSpec[c] as OMEComponentSpec | undefined
  if (!own) return undefined
  const template = (c === 'engine' ? runtimeSpec.engineConfig : c === 'decoder' ? runtimeSpec.decoderConfig : runtimeSpec.routerConfig) as OMEComponentSpec | undefined
  const legacy = c === 'engine' && !template?.runner ? (runtimeSpec.containers?.[0] as Record<string, unknown> | undefined) : undefined
  const merged: OMEComponentSpec = {...(template ?? {}), ...own}
  merged.runner = mergeContainer((template?.runner as Record<string, unknown> | undefined) ?? legacy, own.runner as Record<string, unknown> | undefined) as OMEComponentSpec['runner']
  merged.labels = {...(template?.labels ?? {}), ...(own.labels ?? {})}
  merged.annotations = {...(template?.annotations ?? {}), ...(own.annotations ?? {})}
  merged.nodeSelector = {...((runtimeSpec as {nodeSelector?: Record<string, string>}).nodeSelector ?? {}), ...(template?.nodeSelector ?? {}), ...(own.nodeSelector ?? {})}
  if (c === 'router') {
    const config = {...((template as {config?: Record<string, string>} | undefined)?.config ?? {}), ...((own as {config?: Record<string, string>}).config ?? {})}
    const env = [...(((merged.runner as {env?: unknown[]}).env as Array<{name: string; value?: string}> | undefined) ?? [])]
    for (const [k, v] of Object.entries(config)) env.push({name: k, value: v})
    if (env.length) (merged.runner as {env?: unknown[]}).env = env
  }
  return merged
}

// Objects -------------------------------------------------------------------------------------------

function render(text: string, isvc: KubeObject): string {
  return text
    .replace(/\{\{\s*\.Name\s*\}\}/g, isvc.metadata.name ?? '')
    .replace(/\{\{\s*\.Namespace\s*\}\}/g, isvc.metadata.namespace ?? '')
    .replace(/\{\{\s*index\s+\.Annotations\s+"([^"]+)"\s*\}\}/g, (_m, k: string) => isvc.metadata.annotations?.[k] ?? '')
}

function kedaTrigger(component: string, top: OMEKedaConfig | undefined, annotations: Record<string, string>, scaleMetric: string | undefined) {
  const query = annotations['autoscaling.keda.sh/prometheus.query'] ?? top?.customPromQuery ?? `sum(rate(vllm:request_success_total{service="%s"}[1m]))`
  return {
    type: 'prometheus',
    metadata: {
      serverAddress: annotations['autoscaling.keda.sh/prometheus.serverAddress'] ?? top?.promServerAddress ?? 'http://prometheus-operated.monitoring.svc.cluster.local:9090',
      metricName: scaleMetric ?? 'tps',
      query: query.replace(/%s/g, component),
      threshold: annotations['autoscaling.keda.sh/threshold'] ?? top?.scalingThreshold ?? '10',
      operator: annotations['autoscaling.keda.sh/operator'] ?? top?.scalingOperator ?? 'LessThanOrEqual',
    },
  }
}

export function omeInferenceServiceReconciler(): Reconciler {
  const modelToIsvcs = (obj: KubeObject, ctx: ReconcileContext): ObjectKey[] =>
    ctx.store
      .list(OME_REF.isvcs, obj.metadata.namespace ? {namespace: obj.metadata.namespace} : {})
      .items.filter((i) => (i.spec as OMEInferenceServiceSpec | undefined)?.model?.name === obj.metadata.name)
      .map((i) => ({namespace: i.metadata.namespace, name: i.metadata.name ?? ''}))
  const lastError = new Map<string, string>()
  return {
    name: COMPONENT,
    for: OME_REF.isvcs,
    watches: [
      {kind: OME_REF.baseModels, map: modelToIsvcs},
      {kind: OME_REF.clusterBaseModels, map: modelToIsvcs},
      {kind: REF.pods, map: (obj) => (obj.metadata.labels?.[ISVC_LABEL] ? [{namespace: obj.metadata.namespace, name: obj.metadata.labels[ISVC_LABEL]!}] : [])},
    ],
    reconcile(key, ctx) {
      const isvc = ctx.store.get(OME_REF.isvcs, key.namespace, key.name)
      const id = `${key.namespace}/${key.name}`
      if (!isvc || isvc.metadata.deletionTimestamp) {
        lastError.delete(id)
        return
      }
      try {
        return reconcileIsvc(ctx, isvc)
      } catch (error) {
        if (!(error instanceof OmeError)) throw error
        if (lastError.get(id) !== error.message) ctx.events.event(isvc, 'Warning', error.reason, error.message, COMPONENT)
        lastError.set(id, error.message)
        // OME returns the error; controller-runtime retries with backoff. Model/runtime changes also re-enqueue.
        return {requeueAfterMs: 60_000}
      }
    },
  }
}

function reconcileIsvc(ctx: ReconcileContext, isvc: KubeObject): {requeueAfterMs: number} | void {
  const namespace = isvc.metadata.namespace ?? ''
  const name = isvc.metadata.name ?? ''
  const now = ctx.clock.nowISO()
  const spec = (isvc.spec ?? {}) as OMEInferenceServiceSpec
  const annotations = isvc.metadata.annotations ?? {}
  const mode = annotations['ome.io/deploymentMode'] ?? 'RawDeployment'
  const statusBase = structuredClone((isvc.status ?? {}) as Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>})

  if (mode === 'VirtualDeployment') {
    const url = `http://${name}.${namespace}.svc.cluster.local`
    const conditions = statusBase.conditions ?? []
    setCondition(conditions, {type: 'Ready', status: 'True', reason: 'VirtualDeployment'}, now)
    writeStatus(ctx.store, OME_REF.isvcs, isvc, {...statusBase, url, address: {url}, components: {predictor: {url}}, conditions}, COMPONENT)
    return
  }
  if (mode === 'Serverless') throw new OmeError('ServerlessModeRejected', 'It is not possible to use Serverless deployment mode when Knative Services are not available')
  if (!spec.engine) throw new OmeError('InternalError', 'engine component is required')
  if (!spec.model?.name) throw new OmeError('ModelReconcileError', 'model reference is required')

  // Model: namespaced BaseModel first, then ClusterBaseModel (spec.model.kind is ignored).
  const model = ctx.store.get(OME_REF.baseModels, namespace, spec.model.name) ?? ctx.store.get(OME_REF.clusterBaseModels, undefined, spec.model.name)
  if (!model) throw new OmeError('ModelReconcileError', `No BaseModel or ClusterBaseModel with the name: ${spec.model.name}`)
  const modelSpec = (model.spec ?? {}) as BaseModelSpec
  if (modelSpec.disabled) throw new OmeError('ModelReconcileError', `specified base model ${spec.model.name} is disabled`)
  const {runtime} = selectRuntime(ctx, namespace, spec, modelSpec)
  const runtimeSpec = (runtime.spec ?? {}) as ServingRuntimeSpec
  const runtimeName = runtime.metadata.name ?? ''

  const declared = COMPONENTS.filter((c) => spec[c] !== undefined)
  for (const c of declared) {
    const merged = mergeComponent(runtimeSpec, spec, c)!
    if (c !== 'router' && (merged.leader || merged.worker)) throw new OmeError('InternalError', `${c} needs MultiNode deployment (LeaderWorkerSet), which is not installed in this cluster`)
  }

  const baseLabels = {
    ...(isvc.metadata.labels ?? {}),
    [ISVC_LABEL]: name,
    'serving-runtime': runtimeName,
    'fine-tuned-serving': String((spec.model.fineTunedWeights ?? []).length > 0),
    'base-model-name': spec.model.name,
    'base-model-size': model.metadata.annotations?.['models.ome.io/category'] ?? 'SMALL',
    'base-model-type': 'Serving',
    ...(modelSpec.vendor ? {'base-model-vendor': modelSpec.vendor} : {}),
  }
  const baseAnnotations: Record<string, string> = {}
  for (const [k, v] of Object.entries(annotations)) {
    if (k === 'kubectl.kubernetes.io/last-applied-configuration' || k.startsWith('autoscaling.knative.dev/')) continue
    baseAnnotations[k] = v
  }
  baseAnnotations['ome.io/base-model-name'] = spec.model.name
  if (modelSpec.vendor) baseAnnotations['ome.io/base-model-vendor'] = modelSpec.vendor
  baseAnnotations['ome.io/base-model-format'] = modelSpec.modelFormat?.name ?? ''
  if (modelSpec.modelFormat?.version) baseAnnotations['ome.io/base-model-format-version'] = modelSpec.modelFormat.version
  baseAnnotations['ome.io/serving-runtime'] = runtimeName
  const ownerRef = [controllerRef(isvc)]
  const status = statusBase
  const conditions = status.conditions ?? []
  const components: Record<string, Record<string, unknown>> = {}
  let observedGeneration: number | undefined
  let firstPort = 8080
  let entryPort: number | undefined

  for (const c of declared) {
    const merged = mergeComponent(runtimeSpec, spec, c)!
    const objName = `${name}-${c}`
    const labels = {...baseLabels, ...(merged.labels ?? {}), component: c}
    const podLabels = {...labels, app: objName, [DOC_ISVC_LABEL]: name}
    const componentAnnotations = {...baseAnnotations, ...(merged.annotations ?? {})}
    const runner = structuredClone((merged.runner ?? {}) as Record<string, unknown>)
    runner.name ??= 'ome-container'
    runner.imagePullPolicy ??= 'IfNotPresent'
    for (const field of ['command', 'args'] as const) {
      if (Array.isArray(runner[field])) runner[field] = (runner[field] as string[]).map((a) => render(String(a), isvc))
    }
    const ports = (runner.ports as Array<{containerPort?: number; name?: string}> | undefined) ?? []
    const port = ports[0]?.containerPort ?? 8080
    if (c === 'engine') firstPort = port
    const podSpec: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(merged)) {
      if (['runner', 'leader', 'worker', 'labels', 'annotations', 'minReplicas', 'maxReplicas', 'scaleTarget', 'scaleMetric', 'containerConcurrency', 'timeoutSeconds', 'canaryTrafficPercent', 'minAvailable', 'maxUnavailable', 'deploymentStrategy', 'kedaConfig', 'acceleratorOverride', 'config', 'containers'].includes(k)) continue
      podSpec[k] = structuredClone(v)
    }
    const path = modelSpec.storage?.path
    if (c !== 'router') {
      const env = ((runner.env as Array<{name: string; value?: string}> | undefined) ?? []).slice()
      if (path && !env.some((e) => e.name === 'MODEL_PATH')) env.push({name: 'MODEL_PATH', value: path})
      if (env.length) runner.env = env
      if (path) {
        podSpec.volumes = [...((podSpec.volumes as unknown[] | undefined) ?? []), {name: spec.model.name, hostPath: {path}}]
        runner.volumeMounts = [...((runner.volumeMounts as unknown[] | undefined) ?? []), {name: spec.model.name, mountPath: path, readOnly: true}]
      }
      podSpec.nodeSelector = {[modelNodeLabel(model)]: 'Ready', ...((podSpec.nodeSelector as Record<string, string> | undefined) ?? {})}
    } else {
      podSpec.serviceAccountName ??= `${name}-router`
    }
    if (Object.keys((podSpec.nodeSelector as object | undefined) ?? {}).length === 0) delete podSpec.nodeSelector
    podSpec.containers = [runner]
    const template = {metadata: {labels: podLabels, annotations: componentAnnotations}, spec: podSpec}
    const minReplicas = Math.max(1, merged.minReplicas ?? 1)
    const maxReplicas = Math.max(minReplicas, merged.maxReplicas ?? minReplicas)

    const existing = ctx.store.get(REF.deployments, namespace, objName)
    if (!existing) {
      createOrIgnore(ctx.store, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: objName, namespace, labels, annotations: componentAnnotations, ownerReferences: ownerRef},
        spec: {
          replicas: minReplicas,
          selector: {matchLabels: {app: objName}},
          strategy: (merged.deploymentStrategy as object | undefined) ?? {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}},
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          template,
        },
      }, COMPONENT)
    } else if (stableJson((existing.spec as {template?: unknown}).template) !== stableJson(template)) {
      ctx.store.mutate(REF.deployments, namespace, objName, (o) => {
        ;(o.spec as Record<string, unknown>).template = template
      }, {fieldManager: COMPONENT})
    }
    if (!ctx.store.get(REF.services, namespace, objName)) {
      createOrIgnore(ctx.store, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {name: objName, namespace, labels, ownerReferences: ownerRef},
        spec: {type: 'ClusterIP', selector: {app: objName}, ports: ports.length ? ports.map((p, i) => ({name: p.name ?? `port-${i}`, port: p.containerPort ?? 8080, targetPort: p.containerPort ?? 8080, protocol: 'TCP'})) : [{name: String(runner.name), port: 8080, targetPort: 8080, protocol: 'TCP'}]},
      }, COMPONENT)
    }
    if (c === 'router' && !ctx.store.get({group: '', plural: 'serviceaccounts'}, namespace, `${name}-router`)) {
      createOrIgnore(ctx.store, {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: `${name}-router`, namespace, labels, ownerReferences: ownerRef}}, COMPONENT)
    }

    // Autoscaler: ome.io/autoscalerClass on the component or the ISVC, default hpa.
    const klass = merged.annotations?.['ome.io/autoscalerClass'] ?? annotations['ome.io/autoscalerClass'] ?? 'hpa'
    const soName = `scaledobject-${objName.slice(-50)}`
    if (klass === 'hpa') {
      deleteIgnoringNotFound(ctx.store, REF.scaledobjects, namespace, soName)
      if (!ctx.store.get(REF.hpas, namespace, objName)) {
        const target = Number(annotations['ome.io/targetUtilizationPercentage'] ?? merged.scaleTarget ?? 80)
        createOrIgnore(ctx.store, {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: {name: objName, namespace, labels, ownerReferences: ownerRef},
          spec: {
            scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: objName},
            minReplicas,
            maxReplicas,
            metrics: [{type: 'Resource', resource: {name: merged.scaleMetric === 'memory' ? 'memory' : 'cpu', target: {type: 'Utilization', averageUtilization: target}}}],
          },
        }, COMPONENT)
      }
    } else if (klass === 'keda') {
      deleteIgnoringNotFound(ctx.store, REF.hpas, namespace, objName)
      const soSpec = {
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: objName},
        minReplicaCount: minReplicas,
        maxReplicaCount: maxReplicas,
        triggers: [kedaTrigger(objName, spec.kedaConfig, annotations, merged.scaleMetric)],
      }
      const so = ctx.store.get(REF.scaledobjects, namespace, soName)
      if (!so) {
        createOrIgnore(ctx.store, {apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: {name: soName, namespace, labels, ownerReferences: ownerRef}, spec: soSpec}, COMPONENT)
      } else if (stableJson(so.spec) !== stableJson(soSpec)) {
        ctx.store.mutate(REF.scaledobjects, namespace, soName, (o) => {
          o.spec = soSpec
        }, {fieldManager: COMPONENT})
      }
    } else {
      deleteIgnoringNotFound(ctx.store, REF.hpas, namespace, objName)
    }

    // Component status from the Deployment's Available condition.
    const deploy = ctx.store.get(REF.deployments, namespace, objName)
    const available = getCondition(deploy, 'Available')
    const condType = `${c[0]!.toUpperCase()}${c.slice(1)}Ready`
    if (available) {
      setCondition(conditions, {type: condType, status: available.status, ...(available.status === 'True' ? {} : {reason: available.reason, message: available.message})}, now)
    }
    components[c] = {
      latestCreatedRevision: deploy?.metadata.annotations?.['deployment.kubernetes.io/revision'],
      ...(available?.status === 'True' ? {url: `http://${objName}.${namespace}.svc.cluster.local`} : {}),
    }
    observedGeneration = (deploy?.status as {observedGeneration?: number} | undefined)?.observedGeneration ?? observedGeneration
    if (c === 'router' || (c === 'engine' && !spec.router)) entryPort = port
  }

  // The external Service `{isvc}` (ingress creation is disabled in the shipped config).
  const entry: ComponentName = spec.router ? 'router' : 'engine'
  if (!ctx.store.get(REF.services, namespace, name)) {
    createOrIgnore(ctx.store, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name, namespace, labels: {[ISVC_LABEL]: name, component: 'external-service'}, ownerReferences: ownerRef},
      spec: {type: annotations['ome.io/service-type'] ?? 'ClusterIP', selector: {[ISVC_LABEL]: name, component: entry}, ports: [{name: 'http', port: entryPort ?? firstPort, targetPort: entryPort ?? firstPort, protocol: 'TCP'}]},
    }, COMPONENT)
  }
  setCondition(conditions, {type: 'IngressReady', status: 'True', reason: 'IngressDisabled'}, now)
  const engineReady = conditions.find((x) => x.type === 'EngineReady')
  const wasReady = getCondition(isvc, 'Ready')?.status === 'True'
  if (engineReady) {
    setCondition(conditions, engineReady.status === 'True' ? {type: 'Ready', status: 'True'} : {type: 'Ready', status: engineReady.status, reason: engineReady.reason, message: engineReady.message}, now)
  }
  for (const x of conditions) if (x.status === 'True' && x.type !== 'IngressReady') {
    delete x.reason
    delete x.message
  }
  const order = ['EngineReady', 'DecoderReady', 'RouterReady', 'IngressReady', 'Ready']
  conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
  const url = `http://${name}.${namespace}.svc.cluster.local:${entryPort ?? firstPort}`
  const isReady = conditions.find((x) => x.type === 'Ready')?.status === 'True'
  // modelStatus from the engine pods (raw mode: app={isvc}-engine).
  const pods = ctx.store.list(REF.pods, {namespace, labelSelector: `app=${name}-engine`}).items
  const failed = pods.find((p) => ((p.status as PodStatus | undefined)?.containerStatuses ?? []).some((cs) => cs.lastState?.terminated || (cs.state?.terminated as {reason?: string} | undefined)?.reason === 'Error'))
  const modelStatus = pods.length === 0
    ? {transitionStatus: 'InProgress', modelRevisionStates: {targetModelState: 'Pending'}}
    : isReady
      ? {transitionStatus: 'UpToDate', modelRevisionStates: {activeModelState: 'Loaded', targetModelState: 'Loaded'}, modelCopies: {totalCopies: pods.length}}
      : failed
        ? {transitionStatus: 'BlockedByFailedLoad', modelRevisionStates: {activeModelState: '', targetModelState: 'FailedToLoad'}, lastFailureInfo: {reason: 'ModelLoadFailed', message: 'the engine container failed to start'}}
        : {transitionStatus: 'InProgress', modelRevisionStates: {activeModelState: '', targetModelState: 'Pending'}}
  const next = {...status, conditions, url, address: {url}, components, modelStatus, ...(observedGeneration !== undefined ? {observedGeneration} : {})}
  writeStatus(ctx.store, OME_REF.isvcs, isvc, next, COMPONENT)
  if (isReady && !wasReady) ctx.events.event(isvc, 'Normal', 'InferenceServiceReady', `InferenceService [${name}] is Ready`, COMPONENT)
  if (!isReady && wasReady) {
    const reason = conditions.find((x) => x.type === 'Ready')?.reason ?? 'Unknown'
    ctx.events.event(isvc, 'Warning', 'InferenceServiceNotReady', `InferenceService [${name}] is no longer Ready because of: ${reason}`, COMPONENT)
  }
}

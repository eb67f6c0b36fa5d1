/**
 * Runtime configuration (namespace over cluster, `default` optional), routing configuration,
 * caching mode and autoscaling decisions of an AIMService (reference §1, §7, §8).
 */
import type {KubeObject} from '../api/object.js'
import {deepMerge, mergeEnv} from './env.js'
import {resolvedReference} from './resolution.js'
import type {CachingMode} from './naming.js'
import type {EnvVar, Health, ResolvedReference} from './types.js'

export interface RuntimeConfigSpec {
  storage?: {defaultStorageClassName?: string; pvcHeadroomPercent?: number}
  routing?: RoutingSpec
  env?: EnvVar[]
  labelPropagation?: {enabled?: boolean; match?: string[]}
  defaultStorageClassName?: string
  pvcHeadroomPercent?: number
  [key: string]: unknown
}

export interface RoutingSpec {
  enabled?: boolean
  gatewayRef?: {name: string; namespace?: string; [k: string]: unknown}
  pathTemplate?: string
  requestTimeout?: string
  annotations?: Record<string, string>
}

export type RuntimeConfigResolution =
  | {ok: true; name: string; config: RuntimeConfigSpec | undefined; ref?: ResolvedReference; health?: Health}
  | {ok: false; name: string; health: Health}

function migrate(spec: RuntimeConfigSpec): RuntimeConfigSpec {
  const s: RuntimeConfigSpec = {...spec, storage: {...(spec.storage ?? {})}}
  if (s.defaultStorageClassName && !s.storage!.defaultStorageClassName) s.storage!.defaultStorageClassName = s.defaultStorageClassName
  if (s.pvcHeadroomPercent !== undefined && s.storage!.pvcHeadroomPercent === undefined) s.storage!.pvcHeadroomPercent = s.pvcHeadroomPercent
  if (Object.keys(s.storage!).length === 0) delete s.storage
  return s
}

/**
 * Merge AIMRuntimeConfig (namespace) over AIMClusterRuntimeConfig with the same name (`default`
 * when empty). Neither found: `default` → no config, no error; any other name → `ConfigNotFound`
 * "RuntimeConfig <name> not found" (MissingUpstreamDependency).
 */
export function resolveRuntimeConfig(name: string | undefined, namespaced: KubeObject | undefined, cluster: KubeObject | undefined): RuntimeConfigResolution {
  const n = name || 'default'
  if (!namespaced && !cluster) {
    if (n === 'default') return {ok: true, name: n, config: undefined}
    return {ok: false, name: n, health: {state: 'Failed', reason: 'ConfigNotFound', message: `RuntimeConfig ${n} not found`, error: 'MissingUpstreamDependency'}}
  }
  const ns = namespaced ? migrate((namespaced.spec ?? {}) as RuntimeConfigSpec) : undefined
  const cl = cluster ? migrate((cluster.spec ?? {}) as RuntimeConfigSpec) : undefined
  let config: RuntimeConfigSpec
  let ref: ResolvedReference
  if (ns && cl) {
    const {env: nsEnv, ...nsRest} = ns
    const {env: clEnv, ...clRest} = cl
    config = deepMerge(clRest, nsRest) as RuntimeConfigSpec
    const env = mergeEnv(clEnv, nsEnv)
    if (env.length) config.env = env
    ref = {...resolvedReference(namespaced!, 'Namespace', 'AIMRuntimeConfig'), scope: 'Merged'}
  } else if (ns) {
    config = ns
    ref = resolvedReference(namespaced!, 'Namespace', 'AIMRuntimeConfig')
  } else {
    config = cl!
    ref = resolvedReference(cluster!, 'Cluster', 'AIMClusterRuntimeConfig')
  }
  return {ok: true, name: n, config, ref, health: {state: 'Ready', reason: 'RuntimeConfigResolved', message: `RuntimeConfig ${n} resolved`}}
}

/** spec.caching.mode: Dedicated/Never → Dedicated; Shared/Auto/Always/absent → Shared. */
export function cachingMode(serviceSpec: {caching?: {mode?: string}} | undefined): CachingMode {
  const m = serviceSpec?.caching?.mode
  return m === 'Dedicated' || m === 'Never' ? 'Dedicated' : 'Shared'
}

export interface RoutingDecision {
  enabled: boolean
  gatewayRef?: RoutingSpec['gatewayRef']
  pathTemplate?: string
  /** Go duration string (`3m0s`) for timeouts.request, when configured. */
  requestTimeout?: string
  annotations: Record<string, string>
  /** Set when routing is enabled but unusable: GatewayNotConfigured (InvalidSpec). */
  error?: Health
}

/** Routing of a service: service fields first, then the runtime config's. */
export function resolveRouting(serviceSpec: {routing?: RoutingSpec} | undefined, rc: RuntimeConfigSpec | undefined): RoutingDecision {
  const s = serviceSpec?.routing ?? {}
  const r = rc?.routing ?? {}
  const enabled = s.enabled ?? r.enabled ?? false
  const d: RoutingDecision = {enabled, annotations: {...(r.annotations ?? {})}}
  const gw = s.gatewayRef ?? r.gatewayRef
  if (gw) d.gatewayRef = gw
  const pt = s.pathTemplate ?? r.pathTemplate
  if (pt) d.pathTemplate = pt
  const to = s.requestTimeout ?? r.requestTimeout
  if (to) {
    const ms = parseGoDuration(to)
    d.requestTimeout = ms === undefined ? to : formatGoDuration(ms)
  }
  if (enabled && !gw?.name) {
    d.error = {
      state: 'Failed',
      reason: 'GatewayNotConfigured',
      message: 'Routing is enabled but no gateway is configured: set spec.routing.gatewayRef or routing.gatewayRef in the runtime config',
      error: 'InvalidSpec',
    }
  }
  return d
}

const DUR_UNITS: Record<string, number> = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000}

/** `1h30m`, `180s`, `1.5s` → milliseconds; undefined when not a Go duration. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * DUR_UNITS[m[2]!]!
    matched = re.lastIndex
  }
  return matched === s.length && s.length > 0 ? total : undefined
}

/** Go's Duration.String() for whole milliseconds: 180000 → `3m0s`, 1500 → `1.5s`, 0 → `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  const sec = `${Number(s.toFixed(3))}s`
  if (h > 0) return `${h}h${m}m${sec}`
  if (m > 0) return `${m}m${sec}`
  return sec
}

interface ScalingSpec {
  replicas?: number
  minReplicas?: number
  maxReplicas?: number
  autoScaling?: {metrics?: unknown[]}
}

export interface AutoscalingDecision {
  enabled: boolean
  minReplicas: number
  maxReplicas: number
  /** Annotations for the InferenceService. */
  annotations: Record<string, string>
  metrics?: unknown[]
}

/**
 * Autoscaling is on when autoScaling, minReplicas or maxReplicas is set: KEDA annotations,
 * min = minReplicas ?? 1, max = maxReplicas ?? min ?? 1. Off: autoscalerClass none, min = max = replicas ?? 1.
 */
export function autoscalingFor(spec: ScalingSpec | undefined, isvcName: string): AutoscalingDecision {
  const on = !!spec?.autoScaling || spec?.minReplicas !== undefined || spec?.maxReplicas !== undefined
  if (!on) {
    const r = spec?.replicas ?? 1
    return {enabled: false, minReplicas: r, maxReplicas: r, annotations: {'serving.kserve.io/autoscalerClass': 'none'}}
  }
  const min = spec?.minReplicas ?? 1
  const max = spec?.maxReplicas ?? spec?.minReplicas ?? 1
  const d: AutoscalingDecision = {
    enabled: true,
    minReplicas: min,
    maxReplicas: max,
    annotations: {
      'serving.kserve.io/autoscalerClass': 'keda',
      'sidecar.opentelemetry.io/inject': `${isvcName}-predictor`,
      'prometheus.kserve.io/port': '8000',
    },
  }
  if (spec?.autoScaling?.metrics) d.metrics = spec.autoScaling.metrics
  return d
}

/** Name of the HPA KEDA creates for an InferenceService. */
export function hpaName(isvcName: string): string {
  return `keda-hpa-${isvcName}-predictor`
}

export interface RuntimeStatus {
  currentReplicas: number
  desiredReplicas: number
  minReplicas: number
  maxReplicas: number
  replicas: string
}

/**
 * `status.runtime`: from the HPA when it exists (spec min/max, status current/desired); otherwise
 * all four = minReplicas ?? replicas ?? 1. `replicas` is `"<cur>"` when min = max, else
 * `"<cur>/<desired> (<min>-<max>)"`.
 */
export function runtimeStatus(spec: ScalingSpec | undefined, hpa?: KubeObject): RuntimeStatus {
  let cur: number, des: number, min: number, max: number
  if (hpa) {
    const hs = (hpa.spec ?? {}) as {minReplicas?: number; maxReplicas?: number}
    const st = (hpa.status ?? {}) as {currentReplicas?: number; desiredReplicas?: number}
    min = hs.minReplicas ?? 1
    max = hs.maxReplicas ?? min
    cur = st.currentReplicas ?? 0
    des = st.desiredReplicas ?? 0
  } else {
    cur = des = min = max = spec?.minReplicas ?? spec?.replicas ?? 1
  }
  return {currentReplicas: cur, desiredReplicas: des, minReplicas: min, maxReplicas: max, replicas: min === max ? `${cur}` : `${cur}/${des} (${min}-${max})`}
}

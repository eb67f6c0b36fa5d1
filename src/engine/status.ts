/**
 * Conditions and status rollup (reference §10; seed 001 condition set and status values), plus the
 * health mappings of the components an AIMService and a model watch (§5.1, §6.1, §7, §8).
 */
import type {Condition, KubeObject} from '../api/object.js'
import type {AimStatus, ComponentState, ConditionDecision, ErrorCategory, Health, ServiceStatus} from './types.js'

export type Dependency = 'upstream' | 'downstream' | 'unspecified'

/** One component's health, named as its condition is (`Model` → `ModelReady`). */
export interface ComponentHealth extends Health {
  component: string
  dependency?: Dependency
}

/** AIMService component → dependency type (reference §10). */
export const SERVICE_COMPONENTS: Readonly<Record<string, Dependency>> = {
  Model: 'upstream',
  Template: 'upstream',
  RuntimeConfig: 'upstream',
  Cache: 'downstream',
  InferenceService: 'downstream',
  InferenceServicePods: 'unspecified',
  HTTPRoute: 'downstream',
  HPA: 'downstream',
}

export const FRAMEWORK_CONDITIONS = ['DependenciesReachable', 'AuthValid', 'ConfigValid', 'Ready'] as const

const PRIORITY: Record<AimStatus, number> = {
  Running: 7,
  Ready: 6,
  Progressing: 5,
  Starting: 4,
  Pending: 3,
  Degraded: 2,
  NotAvailable: 1,
  Failed: 0,
}

/** The worse of two statuses (priorities Running 7 > Ready 6 > Progressing 5 > Starting 4 > Pending 3 > Degraded 2 > NotAvailable 1 > Failed 0). */
export function worstStatus(a: AimStatus, b: AimStatus): AimStatus {
  return PRIORITY[b] < PRIORITY[a] ? b : a
}

export function componentConditionType(component: string): string {
  return component.endsWith('Ready') ? component : `${component}Ready`
}

/** The status a component contributes (step 1 of the algorithm). */
export function componentStatus(c: ComponentHealth): AimStatus {
  if (c.state === 'Ready') return 'Ready'
  if (c.state === 'Failed' || c.state === 'Degraded' || c.state === 'NotAvailable' || c.state === 'Pending') return c.state
  return (c.dependency ?? 'unspecified') === 'upstream' ? 'Pending' : 'Progressing'
}

/** AIMService components whose failure leaves a serving service Degraded rather than Failed. */
export const DEGRADABLE = new Set(['Cache', 'HTTPRoute', 'HPA'])

const BLOCKING: readonly ErrorCategory[] = ['Auth', 'InvalidSpec', 'MissingUpstreamDependency']

export interface RollupOptions {
  /** 'AIMService' maps Progressing → Starting and Ready → Running; other kinds keep raw values. */
  kind?: string
  /** Conditions currently on the object (framework conditions turn True only after being False). */
  previous?: readonly Condition[]
  /** Extra infrastructure error not tied to a component (e.g. an apply failure message). */
  infrastructureError?: string
}

export interface Rollup {
  status: AimStatus | ServiceStatus
  /** Component conditions, framework conditions that apply, and Ready. */
  conditions: ConditionDecision[]
  /** The Ready condition alone. */
  ready: ConditionDecision
}

/** Map a raw status to an AIMService status value. */
export function serviceStatusOf(raw: AimStatus): ServiceStatus {
  switch (raw) {
    case 'Ready':
    case 'Running':
      return 'Running'
    case 'Progressing':
    case 'Starting':
      return 'Starting'
    case 'NotAvailable':
      return 'Pending'
    default:
      return raw
  }
}

/**
 * The overall status and conditions from component healths (reference §10): blocking errors (Auth,
 * InvalidSpec, MissingUpstream) → Failed; else the worst component status; infrastructure errors
 * turn a non-Ready result into Degraded; AIMService maps Progressing → Starting, Ready → Running,
 * and is Degraded (not Failed) when only Cache/HTTPRoute/HPA fail while the InferenceService is Ready.
 */
export function rollupStatus(components: readonly ComponentHealth[], options: RollupOptions = {}): Rollup {
  // The last previous condition of a type (as a Map built from the list would hold), by an indexed
  // loop: previous conditions are usually a stored, frozen array, slow for V8's array builtins.
  const previous = options.previous
  const previousOf = (type: string): Condition | undefined => {
    if (previous) for (let i = previous.length - 1; i >= 0; i--) if (previous[i]!.type === type) return previous[i]
    return undefined
  }
  const conditions: ConditionDecision[] = components.map((c) => ({
    type: componentConditionType(c.component),
    status: c.state === 'Ready' ? 'True' : 'False',
    reason: c.reason || (c.state === 'Ready' ? 'Ready' : c.state),
    message: c.message,
  }))
  const errors = components.filter((c) => c.error)
  const has = (cat: ErrorCategory) => errors.some((c) => c.error === cat)
  const infra = has('Infrastructure') || !!options.infrastructureError

  const framework = (type: string, bad: boolean, falseReason: string, falseMessage: string, trueReason: string) => {
    if (bad) conditions.push({type, status: 'False', reason: falseReason, message: falseMessage})
    else if (previousOf(type)?.status === 'False') conditions.push({type, status: 'True', reason: trueReason, message: ''})
  }
  framework(
    'DependenciesReachable',
    infra,
    'InfrastructureError',
    options.infrastructureError ? `Failed to apply resources: ${options.infrastructureError}` : 'Cannot reach dependencies',
    'Reachable',
  )
  framework('AuthValid', has('Auth'), 'AuthError', 'Authentication or authorization failure', 'AuthenticationValid')
  if (has('InvalidSpec')) conditions.push({type: 'ConfigValid', status: 'False', reason: 'InvalidSpec', message: 'Configuration validation failed'})
  else framework('ConfigValid', has('MissingUpstreamDependency'), 'ReferenceNotFound', 'Referenced resource not found', 'ConfigurationValid')

  let raw: AimStatus
  if (errors.some((c) => BLOCKING.includes(c.error!))) raw = 'Failed'
  else {
    raw = 'Ready'
    for (const c of components) raw = worstStatus(raw, componentStatus(c))
    if (infra && raw !== 'Ready') raw = 'Degraded'
  }

  // Seeds 001/002: a service that serves while a non-essential component (cache, route, HPA)
  // failed is Degraded ("cache failed but service running", "routing issues"), not Failed.
  if (options.kind === 'AIMService' && (raw === 'Failed' || raw === 'Degraded')) {
    const serving = components.find((c) => c.component === 'InferenceService')?.state === 'Ready'
    const bad = components.filter((c) => c.state !== 'Ready' && (c.error !== undefined || ['Failed', 'Degraded', 'NotAvailable'].includes(c.state)))
    if (serving && bad.length > 0 && bad.every((c) => DEGRADABLE.has(c.component))) raw = 'Degraded'
  }

  let ready: ConditionDecision
  const firstBlocking = errors.find((c) => BLOCKING.includes(c.error!))
  const firstBad = components.find((c) => c.state === 'Failed' || c.state === 'Degraded')
  if (components.every((c) => c.state === 'Ready') && !infra) {
    ready = {type: 'Ready', status: 'True', reason: 'AllComponentsReady', message: 'All components are ready'}
  } else if (firstBlocking ?? (!infra ? firstBad : undefined)) {
    const c = (firstBlocking ?? firstBad)!
    ready = {type: 'Ready', status: 'False', reason: c.reason, message: `Component ${c.component} is not ready: ${c.message}`}
  } else if (infra) {
    ready = {type: 'Ready', status: 'False', reason: 'InfrastructureError', message: 'Infrastructure error - waiting for retry'}
  } else {
    ready = {type: 'Ready', status: 'False', reason: 'Progressing', message: 'Waiting for components to become ready'}
  }
  conditions.push(ready)
  const status = options.kind === 'AIMService' ? serviceStatusOf(raw) : raw
  return {status, conditions, ready}
}

/** rollupStatus for an AIMService: fills in dependency types from SERVICE_COMPONENTS. */
export function rollupServiceStatus(components: readonly ComponentHealth[], previous?: readonly Condition[]): Rollup & {status: ServiceStatus} {
  const withDeps = components.map((c) => ({...c, dependency: c.dependency ?? SERVICE_COMPONENTS[c.component] ?? 'unspecified'}))
  return rollupStatus(withDeps, {kind: 'AIMService', previous}) as Rollup & {status: ServiceStatus}
}

/** A Health as a `<Component>Ready` condition. */
export function healthCondition(component: string, h: Health): ConditionDecision {
  return {type: componentConditionType(component), status: h.state === 'Ready' ? 'True' : 'False', reason: h.reason, message: h.message}
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  if (!conditions) return undefined
  // An indexed loop: stored arrays are frozen, where Array.prototype.find takes V8's slow path.
  for (let i = 0; i < conditions.length; i++) if (conditions[i]!.type === type) return conditions[i]
  return undefined
}

/**
 * Set (insert or replace) a condition; lastTransitionTime changes only when status or reason
 * changes. Returns a new array; order of existing conditions is kept, new ones are appended.
 */
export function setCondition(conditions: readonly Condition[] | undefined, cond: ConditionDecision, nowISO: string, observedGeneration?: number): Condition[] {
  const list = conditions ? [...conditions] : []
  let i = -1
  for (let j = 0; j < list.length; j++) if (list[j]!.type === cond.type) {
    i = j
    break
  }
  const old = i >= 0 ? list[i] : undefined
  const changed = !old || old.status !== cond.status || old.reason !== cond.reason
  const next: Condition = {
    type: cond.type,
    status: cond.status,
    reason: cond.reason,
    message: cond.message,
    lastTransitionTime: changed ? nowISO : (old?.lastTransitionTime ?? nowISO),
  }
  if (observedGeneration !== undefined) next.observedGeneration = observedGeneration
  if (i >= 0) list[i] = next
  else list.push(next)
  return list
}

/** Apply several decisions with setCondition; conditions are never deleted. */
export function setConditions(conditions: readonly Condition[] | undefined, decisions: readonly ConditionDecision[], nowISO: string, observedGeneration?: number): Condition[] {
  let out = [...(conditions ?? [])]
  for (const d of decisions) out = setCondition(out, d, nowISO, observedGeneration)
  return out
}

function statusOfObj(o: KubeObject | undefined): string {
  return ((o?.status ?? {}) as {status?: string}).status ?? ''
}

/**
 * Model's `ServiceTemplates` component from its templates' statuses (reference §5.1).
 * `expected`: true / false / undefined (unknown — no metadata yet).
 */
export function aggregateModelTemplates(templateStatuses: readonly string[], expected: boolean | undefined): Health & {status: AimStatus} {
  const h = (status: AimStatus, state: ComponentState, reason: string, message: string) => ({status, state, reason, message})
  const n = templateStatuses.length
  if (n === 0) {
    if (expected === undefined) return h('Progressing', 'Progressing', 'AwaitingMetadata', 'Waiting for the model to fetch metadata')
    if (expected) return h('Progressing', 'Progressing', 'CreatingTemplates', 'Creating templates for the model')
    return h('Ready', 'Ready', 'NoTemplatesExpected', 'No templates are expected for this model')
  }
  const all = (...s: string[]) => templateStatuses.every((t) => s.includes(t))
  const any = (...s: string[]) => templateStatuses.some((t) => s.includes(t))
  if (all('Ready')) return h('Ready', 'Ready', 'AllTemplatesReady', 'All templates are ready')
  if (all('Degraded', 'Failed')) return h('Failed', 'Failed', 'AllTemplatesFailed', 'All templates failed')
  if (all('NotAvailable')) return h('NotAvailable', 'NotAvailable', 'NoTemplatesAvailable', 'No templates are available (no matching GPUs in the cluster)')
  if (any('Degraded', 'Failed')) return h('Degraded', 'Degraded', 'SomeTemplatesDegraded', 'Some templates are degraded or failed')
  if (any('Pending', 'Progressing', '')) return h('Progressing', 'Progressing', 'TemplatesProgressing', 'Templates are progressing')
  if (all('Ready', 'NotAvailable')) return h('Ready', 'Ready', 'SomeTemplatesReady', 'Some templates are ready; others have no matching GPUs in the cluster')
  return h('Progressing', 'Progressing', 'TemplatesProgressing', 'Unknown status')
}

/** The service's CacheReady health (reference §6.1). */
export function cacheHealth(
  cache: KubeObject | undefined,
  opts: {mode?: 'Shared' | 'Dedicated'; isvcHasCacheVolume?: boolean} = {},
): Health {
  if (cache) {
    const s = statusOfObj(cache)
    if (s === 'Ready') return {state: 'Ready', reason: 'CacheReady', message: 'Template cache is ready'}
    if (s === 'Progressing') return {state: 'Progressing', reason: 'CacheNotReady', message: 'Template cache is progressing'}
    if (s === 'Failed') return {state: 'Failed', reason: 'CacheFailed', message: 'Template cache failed'}
    return {state: 'Progressing', reason: 'CacheCreating', message: `Template cache status: ${s || 'Pending'}`}
  }
  if (opts.isvcHasCacheVolume) {
    if ((opts.mode ?? 'Shared') === 'Shared') {
      return {state: 'Degraded', reason: 'CacheLost', message: 'Shared template cache was deleted but the InferenceService still mounts its volumes'}
    }
    return {state: 'Degraded', reason: 'CacheCreating', message: 'Dedicated template cache is being recreated'}
  }
  return {state: 'Progressing', reason: 'CacheCreating', message: 'Creating template cache'}
}

function conditionOf(o: KubeObject | undefined, type: string): {status?: string; reason?: string; message?: string} | undefined {
  return ((o?.status ?? {}) as {conditions?: Array<{type: string; status?: string; reason?: string; message?: string}>}).conditions?.find((c) => c.type === type)
}

export interface EventView {
  type?: string
  reason?: string
  message?: string
  involvedObject?: {uid?: string; name?: string; kind?: string}
}

/** InferenceServiceReady health (reference §7). Events are those about this ISVC. */
export function inferenceServiceHealth(isvc: KubeObject | undefined, events: readonly EventView[] = []): Health {
  if (!isvc) return {state: 'Progressing', reason: 'CreatingRuntime', message: 'InferenceService not found'}
  const uid = isvc.metadata.uid
  const mine = events.filter((e) => e.type === 'Warning' && (!uid || !e.involvedObject?.uid || e.involvedObject.uid === uid))
  if (mine.some((e) => e.reason === 'ServerlessModeRejected')) {
    return {state: 'Failed', reason: 'ServerlessModeRejected', message: 'Knative is not available. Configure KServe to use RawDeployment mode.', error: 'InvalidSpec'}
  }
  const internal = mine.find((e) => e.reason === 'InternalError' && !/conflict|the object has been modified/i.test(e.message ?? ''))
  if (internal) return {state: 'Failed', reason: 'InternalError', message: internal.message ?? '', error: 'InvalidSpec'}
  if (conditionOf(isvc, 'Ready')?.status === 'True') return {state: 'Ready', reason: 'RuntimeReady', message: 'InferenceService is ready'}
  return {state: 'Progressing', reason: 'CreatingRuntime', message: 'InferenceService is not ready'}
}

interface PodView {
  status?: {
    phase?: string
    reason?: string
    message?: string
    conditions?: Array<{type: string; status: string}>
    containerStatuses?: Array<{ready?: boolean; state?: {waiting?: {reason?: string; message?: string}; terminated?: {reason?: string; message?: string; exitCode?: number}}}>
  }
}

const PULL_AUTH = /unauthorized|authentication required|denied|forbidden/i
const PULL_NOT_FOUND = /not found|manifest unknown|does not exist/i

/** Pod event reasons that keep pods Pending; podsHealth reports the latest one. */
export const POD_BLOCKING_EVENT_REASONS: readonly string[] = ['FailedScheduling', 'FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox']
/** Every pod event reason podsHealth reads: a change to any other event cannot change its answer. */
export const POD_EVENT_REASONS_READ: readonly string[] = [...POD_BLOCKING_EVENT_REASONS, 'Pulling']

/** InferenceServicePodsReady health (reference §7) from the ISVC's pods and their events. */
export function podsHealth(pods: readonly KubeObject[], events: readonly EventView[] = []): Health {
  if (pods.length === 0) return {state: 'Progressing', reason: 'NoPods', message: 'No pods found for the InferenceService', error: 'MissingDownstreamDependency'}
  for (const p of pods) {
    for (const cs of (p as PodView).status?.containerStatuses ?? []) {
      const w = cs.state?.waiting
      if (w && (w.reason === 'ErrImagePull' || w.reason === 'ImagePullBackOff')) {
        const msg = w.message ?? ''
        if (PULL_AUTH.test(msg)) return {state: 'Failed', reason: 'ImagePullAuthFailure', message: msg, error: 'Auth'}
        if (PULL_NOT_FOUND.test(msg)) return {state: 'Failed', reason: 'ImageNotFound', message: msg, error: 'MissingUpstreamDependency'}
        return {state: 'Degraded', reason: 'ImagePullBackOff', message: msg || 'Back-off pulling image', error: 'Infrastructure'}
      }
    }
  }
  const failed = pods.find((p) => (p as PodView).status?.phase === 'Failed')
  if (failed) {
    const st = (failed as PodView).status!
    const term = st.containerStatuses?.map((c) => c.state?.terminated).find((t) => t)
    return {state: 'Failed', reason: term?.reason ?? st.reason ?? 'PodFailed', message: term?.message ?? st.message ?? `Pod ${failed.metadata.name} failed`}
  }
  const isReady = (p: KubeObject) =>
    (p as PodView).status?.phase === 'Succeeded' || ((p as PodView).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  if (pods.some(isReady)) return {state: 'Ready', reason: 'PodsReady', message: 'Pods are ready'}
  if (pods.some((p) => (p as PodView).status?.phase === 'Running')) return {state: 'Starting', reason: 'PodsStarting', message: 'Pods are running but not ready yet'}
  const ev = [...events].reverse().find((e) => POD_BLOCKING_EVENT_REASONS.includes(e.reason ?? ''))
  if (ev) return {state: 'Pending', reason: ev.reason!, message: ev.message ?? ''}
  if (events.some((e) => e.reason === 'Pulling')) return {state: 'Progressing', reason: 'PodsProgressing', message: 'Pulling image'}
  return {state: 'Progressing', reason: 'PodsPending', message: 'Pods are pending'}
}

/** HPAReady health (reference §7). */
export function hpaHealth(hpa: KubeObject | undefined, isvcReady: boolean): Health {
  if (!hpa) return {state: 'Progressing', reason: 'HPANotFound', message: 'Waiting for KEDA to create HorizontalPodAutoscaler'}
  const active = conditionOf(hpa, 'ScalingActive')
  if (active?.status !== 'True') {
    if (!isvcReady) return {state: 'Progressing', reason: 'WaitingForMetrics', message: active?.message || 'Waiting for metrics to become available'}
    return {state: 'Failed', reason: 'MetricsFailed', message: active?.message || 'HPA cannot read metrics'}
  }
  const able = conditionOf(hpa, 'AbleToScale')
  if (able?.status === 'False') return {state: 'Progressing', reason: 'ScaleTargetNotReady', message: able.message || 'Scale target is not ready'}
  return {state: 'Ready', reason: 'HPAOperational', message: 'HPA is operational'}
}

/** HTTPRouteReady health (reference §8) from the route's parent status. */
export function httpRouteHealth(route: KubeObject | undefined): Health {
  if (!route) return {state: 'Progressing', reason: 'HTTPRouteCreating', message: 'HTTPRoute is being created'}
  const parents = ((route.status ?? {}) as {parents?: Array<{conditions?: Array<{type: string; status: string; reason?: string; message?: string}>}>}).parents ?? []
  const conds = parents.flatMap((p) => p.conditions ?? [])
  const accepted = conds.find((c) => c.type === 'Accepted')
  if (accepted?.status === 'False') {
    return {state: 'Failed', reason: accepted.reason || 'HTTPRouteRejected', message: `HTTPRoute rejected: ${accepted.message ?? ''}`.trim(), error: 'InvalidSpec'}
  }
  const refs = conds.find((c) => c.type === 'ResolvedRefs')
  if (refs?.status === 'False') {
    return {state: 'Progressing', reason: refs.reason || 'BackendNotFound', message: refs.message ?? 'HTTPRoute references cannot be resolved', error: 'MissingDownstreamDependency'}
  }
  if (accepted?.status === 'True') return {state: 'Ready', reason: 'HTTPRouteAccepted', message: 'HTTPRoute is accepted by gateway'}
  return {state: 'Progressing', reason: 'HTTPRoutePending', message: 'Waiting for the gateway to accept the HTTPRoute'}
}

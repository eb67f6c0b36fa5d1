/**
 * AIM-specific reads the commands share: the registry entries of the kinds we touch and the
 * selectors that find a service's children (reference/aim-engine.md §12).
 */
import {AIM_GROUP, AIM_VERSION, registry} from '../api/registry.js'
import type {Condition, KubeObject} from '../api/object.js'

const kind = (group: string, name: string) => registry.require(group, name)

export const K = {
  service: kind(AIM_GROUP, 'AIMService'),
  model: kind(AIM_GROUP, 'AIMModel'),
  clusterModel: kind(AIM_GROUP, 'AIMClusterModel'),
  template: kind(AIM_GROUP, 'AIMServiceTemplate'),
  clusterTemplate: kind(AIM_GROUP, 'AIMClusterServiceTemplate'),
  templateCache: kind(AIM_GROUP, 'AIMTemplateCache'),
  artifact: kind(AIM_GROUP, 'AIMArtifact'),
  isvc: kind('serving.kserve.io', 'InferenceService'),
  httpRoute: kind('gateway.networking.k8s.io', 'HTTPRoute'),
  hpa: kind('autoscaling', 'HorizontalPodAutoscaler'),
  pod: kind('', 'Pod'),
  pvc: kind('', 'PersistentVolumeClaim'),
  event: kind('', 'Event'),
  node: kind('', 'Node'),
}

export const AIM_API_VERSION = `${AIM_GROUP}/${AIM_VERSION}`

export const LABELS = {
  serviceName: 'aim.eai.amd.com/service.name',
  service: 'aim.eai.amd.com/service',
  isvc: 'serving.kserve.io/inferenceservice',
  templateCacheName: 'aim.eai.amd.com/template-cache.name',
  cacheName: 'aim.eai.amd.com/cache.name',
  model: 'aim.eai.amd.com/model',
} as const

export type {AIMService, AIMServiceSpec as ServiceSpec, AIMServiceStatus as ServiceStatus} from '../api/types/aim.js'

export function conditionsOf(obj: KubeObject | undefined): Condition[] {
  const status = obj?.status as {conditions?: Condition[]} | undefined
  return Array.isArray(status?.conditions) ? status.conditions : []
}

export function condition(obj: KubeObject | undefined, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type)
}

/** The label selector that finds a service's InferenceService / route / caches. */
export function serviceSelector(name: string): string {
  return `${LABELS.serviceName}=${name}`
}

/** Reads a nested field without ceremony. */
export function field<T = unknown>(obj: unknown, ...path: Array<string | number>): T | undefined {
  let cur: unknown = obj
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[key]
  }
  return cur as T | undefined
}

/** The component conditions an AIMService can carry (seed 001), in pipeline order. */
export const SERVICE_COMPONENTS = [
  'ModelReady',
  'TemplateReady',
  'RuntimeConfigReady',
  'CacheReady',
  'InferenceServiceReady',
  'InferenceServicePodsReady',
  'HTTPRouteReady',
  'HPAReady',
] as const
export const FRAMEWORK_CONDITIONS = ['DependenciesReachable', 'AuthValid', 'ConfigValid', 'Ready'] as const

/** Reasons that mean something is wrong (not merely in progress). */
export function isErrorReason(reason: string | undefined): boolean {
  return /Failed|Error|Invalid|NotFound|Ambiguous|Rejected|Lost|Auth|Forbidden|Unauthorized|BackOff|ImagePull|FailedScheduling|NotAvailable|ReferenceNotFound|InvalidSpec|Degraded|Unschedulable/.test(reason ?? '')
}

/**
 * The condition that holds the service back, or undefined when Ready: a failing framework
 * condition's component, else the first component in error (e.g. pods FailedScheduling), else the
 * first one not ready in pipeline order.
 */
export function blockingCondition(svc: KubeObject | undefined): Condition | undefined {
  const conds = conditionsOf(svc)
  const erroring = SERVICE_COMPONENTS.map((t) => conds.find((x) => x.type === t)).find((c) => c && c.status === 'False' && isErrorReason(c.reason))
  for (const type of ['ConfigValid', 'AuthValid', 'DependenciesReachable']) {
    const c = conds.find((x) => x.type === type)
    if (c && c.status === 'False') {
      // The component that failed carries the useful reason; prefer it when there is one.
      const component = erroring ?? conds.find((x) => (SERVICE_COMPONENTS as readonly string[]).includes(x.type) && x.status === 'False')
      return component ?? c
    }
  }
  if (erroring) return erroring
  for (const type of SERVICE_COMPONENTS) {
    const c = conds.find((x) => x.type === type)
    if (c && c.status !== 'True') return c
  }
  const ready = conds.find((x) => x.type === 'Ready')
  return ready && ready.status !== 'True' ? ready : undefined
}

/**
 * The artifacts of a template cache: those it lists in `status.artifacts` (keyed by artifact name;
 * a Shared cache may reuse another cache's artifact) plus those labelled with its name.
 */
export function artifactsOfCache(cache: KubeObject | undefined, cacheName: string, artifacts: readonly KubeObject[]): KubeObject[] {
  const listed = new Set<string>()
  const status = field<Record<string, {name?: string}>>(cache, 'status', 'artifacts')
  if (status && typeof status === 'object') {
    for (const [key, value] of Object.entries(status)) listed.add(value?.name ?? key)
  }
  return artifacts.filter((a) => listed.has(a.metadata.name ?? '') || a.metadata.labels?.[LABELS.templateCacheName] === cacheName)
}

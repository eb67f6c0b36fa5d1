/**
 * Shared vocabulary of the engine: the decisions it returns and the minimal views of the objects it
 * reads. The views are structural (any KubeObject with these fields fits); the kinds themselves live
 * in src/api.
 */
import type {Condition, KubeObject} from '../api/object.js'

/** A condition the engine decides; the caller stamps lastTransitionTime/observedGeneration via setCondition. */
export interface ConditionDecision {
  type: string
  status: Condition['status']
  reason: string
  message: string
}

/** Raw AIM status values (constants.AIMStatus). */
export type AimStatus = 'Pending' | 'Starting' | 'Progressing' | 'Ready' | 'Running' | 'Degraded' | 'NotAvailable' | 'Failed'
/** AIMService `status.status` values (seed 001). */
export type ServiceStatus = 'Pending' | 'Starting' | 'Running' | 'Degraded' | 'Failed'
/** State of one component as the reconcile framework sees it. */
export type ComponentState = 'Ready' | 'Progressing' | 'Pending' | 'Starting' | 'Degraded' | 'NotAvailable' | 'Failed'

/** Error categories of the operator's state engine (reference §10). */
export type ErrorCategory = 'InvalidSpec' | 'MissingUpstreamDependency' | 'Auth' | 'Infrastructure' | 'MissingDownstreamDependency'

/** The health of a component: `{state, reason, message}`, optionally carrying an error category. */
export interface Health {
  state: ComponentState
  reason: string
  message: string
  /** Set when the component is in error; decides framework conditions and the overall status. */
  error?: ErrorCategory
}

export type Scope = 'Namespace' | 'Cluster'

/** `status.resolvedModel` / `resolvedTemplate` / `resolvedRuntimeConfig` shape (AIMResolvedReference). */
export interface ResolvedReference {
  name: string
  namespace?: string
  scope: Scope | 'Merged' | 'Unknown'
  kind: string
  uid?: string
}

export interface EnvVar {
  name: string
  value?: string
  valueFrom?: Record<string, unknown>
}

export interface GpuRequirements {
  requests?: number
  model?: string
  minVram?: string | number
  resourceName?: string
}

export interface HardwareRequirements {
  gpu?: GpuRequirements
  cpu?: {requests?: string | number; limits?: string | number}
}

export interface ProfileMetadata {
  engine?: string
  gpu?: string
  gpuCount?: number
  metric?: string
  precision?: string
  type?: string
}

export interface ModelSource {
  modelId: string
  sourceUri: string
  size?: string | number
  env?: EnvVar[]
}

/** The fields of AIM(Cluster)ServiceTemplate the engine reads. */
export interface TemplateSpecView {
  modelName?: string
  metric?: string
  precision?: string
  hardware?: HardwareRequirements
  profileId?: string
  type?: string
  env?: EnvVar[]
  modelSources?: ModelSource[]
  resources?: ResourceRequirements
  runtimeConfigName?: string
  caching?: {enabled?: boolean; env?: EnvVar[]}
}

export interface TemplateStatusView {
  status?: string
  profile?: {metadata?: ProfileMetadata; engine_args?: unknown; env_vars?: Record<string, string>}
  modelSources?: ModelSource[]
  resolvedHardware?: HardwareRequirements
  hardwareSummary?: string
}

export interface ResourceRequirements {
  requests?: Record<string, string | number>
  limits?: Record<string, string | number>
}

/** Typed accessor helpers — the engine reads plain objects. */
export function specOf<T = Record<string, unknown>>(obj: KubeObject | undefined): T {
  return ((obj?.spec ?? {}) as T)
}

export function statusOf<T = Record<string, unknown>>(obj: KubeObject | undefined): T {
  return ((obj?.status ?? {}) as T)
}

export function condition(type: string, ok: boolean, reason: string, message: string): ConditionDecision {
  return {type, status: ok ? 'True' : 'False', reason, message}
}

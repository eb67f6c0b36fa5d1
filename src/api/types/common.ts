/** Shared building blocks of the AIM kinds and of the core shapes they embed. */

/** A Kubernetes quantity as written on the wire ("16Gi", "500m", or a bare number). */
export type Quantity = string | number

export interface LocalObjectReference {
  name: string
}

export interface KeySelector {
  name?: string
  key: string
  optional?: boolean
}

export interface EnvVar {
  name: string
  value?: string
  valueFrom?: {
    secretKeyRef?: KeySelector
    configMapKeyRef?: KeySelector
    fieldRef?: {apiVersion?: string; fieldPath: string}
    resourceFieldRef?: {containerName?: string; resource: string; divisor?: Quantity}
  }
}

export interface ResourceRequirements {
  limits?: Record<string, Quantity>
  requests?: Record<string, Quantity>
  claims?: {name: string; request?: string}[]
}

/** Overall status values: AIMService uses the first set, the other AIM kinds the second. */
export type AIMServiceStatusValue = 'Pending' | 'Starting' | 'Running' | 'Degraded' | 'Failed'
export type AIMStatusValue = 'Pending' | 'Progressing' | 'Ready' | 'Degraded' | 'Failed' | 'NotAvailable'

export type AIMScope = 'Namespace' | 'Cluster' | 'Merged' | 'Unknown'

export interface AIMResolvedReference {
  name: string
  namespace?: string
  scope?: AIMScope
  kind?: string
  uid?: string
}

export type AIMMetric = 'latency' | 'throughput'
export type AIMPrecision = 'auto' | 'fp4' | 'fp8' | 'fp16' | 'fp32' | 'bf16' | 'int4' | 'int8'
export type AIMTemplateType = 'optimized' | 'preview' | 'unoptimized'

export interface AIMGpuRequirements {
  /** Number of GPUs per replica; 0 targets GPU nodes without requesting a device. */
  requests?: number
  /** GPU model (MI300X, MI325X …); exclusive with minVram. */
  model?: string
  minVram?: Quantity
  /** Extended resource name; default amd.com/gpu. */
  resourceName?: string
}

export interface AIMHardwareRequirements {
  gpu?: AIMGpuRequirements
  cpu?: {requests: Quantity; limits?: Quantity}
}

export interface AIMRuntimeParameters {
  metric?: AIMMetric
  precision?: AIMPrecision
  hardware?: AIMHardwareRequirements
}

export interface AIMModelSource {
  modelId: string
  sourceUri: string
  size?: Quantity
  env?: EnvVar[]
}

/** Gateway API ParentReference. */
export interface ParentReference {
  group?: string
  kind?: string
  namespace?: string
  name: string
  sectionName?: string
  port?: number
}

export interface AIMStorageConfig {
  defaultStorageClassName?: string
  pvcHeadroomPercent?: number
}

export interface AIMRoutingConfig {
  enabled?: boolean
  gatewayRef?: ParentReference
  pathTemplate?: string
  requestTimeout?: string
  annotations?: Record<string, string>
}

/** Inlined into AIMService.spec and AIM(Cluster)RuntimeConfig.spec. */
export interface AIMServiceRuntimeConfig {
  storage?: AIMStorageConfig
  routing?: AIMRoutingConfig
  env?: EnvVar[]
}

/** Custom profile tuning on templates (seed 001). */
export interface AIMCustomProfile {
  engineArgs?: Record<string, unknown>
  envVars?: Record<string, string>
}

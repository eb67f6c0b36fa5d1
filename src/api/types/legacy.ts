/**
 * The older API group aim.silogen.ai/v1alpha1 (kaiwo; seeds 000 and 003). The simulator accepts these
 * and src/engine converts them to aim.eai.amd.com. Both generations' fields are accepted.
 */
import type {Condition, KubeObject} from '../object.js'
import type {AIMMetric, AIMPrecision, AIMResolvedReference, EnvVar, LocalObjectReference, ParentReference, Quantity, ResourceRequirements} from './common.js'

export interface LegacyGpuSelector {
  count?: number
  model?: string
}

export interface LegacyOverrides {
  metric?: AIMMetric
  precision?: AIMPrecision
  gpuSelector?: LegacyGpuSelector
}

export interface LegacyKVCacheRef {
  name?: string
  type?: 'redis'
  image?: string
  env?: EnvVar[]
  storage?: {size?: Quantity; storageClassName?: string; accessModes?: string[]}
  resources?: ResourceRequirements
  lmCacheConfig?: string
}

export interface LegacyAIMServiceSpec {
  /** Generation 1. */
  aimModelId?: string
  /** Seed 003 also writes `modelId`. */
  modelId?: string
  /** Generation 2: exactly one of ref | image. */
  model?: {ref?: string; image?: string}
  templateRef?: string
  template?: {allowUnoptimized?: boolean}
  cacheModel?: boolean
  replicas?: number
  minReplicas?: number
  maxReplicas?: number
  autoScaling?: unknown
  configRef?: string
  runtimeConfigName?: string
  overrides?: LegacyOverrides
  routing?: {enabled?: boolean; gatewayRef?: ParentReference; pathTemplate?: string; annotations?: Record<string, string>}
  kvCache?: LegacyKVCacheRef
  resources?: ResourceRequirements
  env?: EnvVar[]
  imagePullSecrets?: LocalObjectReference[]
  serviceAccountName?: string
}

export interface LegacyAIMService extends KubeObject {
  spec: LegacyAIMServiceSpec
  status?: {
    observedGeneration?: number
    status?: 'Pending' | 'Starting' | 'Running' | 'Failed' | 'Degraded'
    conditions?: Condition[]
    resolvedRuntimeConfig?: AIMResolvedReference
    resolvedImage?: AIMResolvedReference
    resolvedTemplate?: AIMResolvedReference
    resolvedTemplateCache?: AIMResolvedReference
    resolvedKVCache?: AIMResolvedReference
    routing?: {path?: string}
  }
}

export interface LegacyAIMImage extends KubeObject {
  spec: {modelId?: string; image: string; defaultServiceTemplate?: string; imagePullSecrets?: LocalObjectReference[]}
  status?: {status?: string; conditions?: Condition[]}
}

export interface LegacyAIMServiceTemplateSpec {
  modelId?: string
  modelName?: string
  metric?: AIMMetric
  precision?: AIMPrecision
  gpuSelector?: LegacyGpuSelector
  caching?: {enabled?: boolean; env?: EnvVar[]}
  env?: EnvVar[]
  imagePullSecrets?: LocalObjectReference[]
  runtimeConfigName?: string
}

export interface LegacyAIMServiceTemplate extends KubeObject {
  spec: LegacyAIMServiceTemplateSpec
  status?: {status?: string; conditions?: Condition[]; modelSources?: {name?: string; sourceUri: string; size?: Quantity}[]}
}

export interface LegacyAIMClusterConfig extends KubeObject {
  spec: {
    routing?: {gateway?: ParentReference; autoCreateRoute?: boolean}
    cacheStorageClassName?: string
    imagePullSecrets?: LocalObjectReference[]
  }
}

export interface LegacyModelCache extends KubeObject {
  spec: {sourceUri: string; storageClassName?: string; size: Quantity; env?: EnvVar[]; imagePullSecrets?: LocalObjectReference[]}
  status?: {status?: 'Pending' | 'Progressing' | 'Available' | 'Failed'; conditions?: Condition[]; persistentVolumeClaim?: string}
}

export interface LegacyAIMTemplateCache extends KubeObject {
  spec: {templateRef?: string; templateName?: string; env?: EnvVar[]; imagePullSecrets?: LocalObjectReference[]; storageClassName?: string}
  status?: {status?: string; conditions?: Condition[]; resolvedTemplateKind?: string}
}

/** The kinds of aim.eai.amd.com/v1alpha1. Field shapes follow the operator's CRDs and seed 001. */
import type {Condition, KubeObject} from '../object.js'
import type {
  AIMCustomProfile,
  AIMHardwareRequirements,
  AIMMetric,
  AIMModelSource,
  AIMPrecision,
  AIMResolvedReference,
  AIMRuntimeParameters,
  AIMServiceRuntimeConfig,
  AIMServiceStatusValue,
  AIMStatusValue,
  AIMTemplateType,
  EnvVar,
  LocalObjectReference,
  Quantity,
  ResourceRequirements,
} from './common.js'

// ---------------------------------------------------------------- AIMService

export type AIMCachingMode = 'Dedicated' | 'Shared' | 'Auto' | 'Always' | 'Never'

export interface AIMServiceModelCustom {
  baseImage: string
  modelSources: AIMModelSource[]
  hardware: AIMHardwareRequirements
}

/** Exactly one of name, image, custom. */
export interface AIMServiceModel {
  name?: string
  image?: string
  custom?: AIMServiceModelCustom
}

export interface AIMPodMetricSpec {
  metric: {
    backend?: 'opentelemetry'
    serverAddress?: string
    metricNames?: string[]
    query?: string
    operationOverTime?: string
  }
  target: {
    type: 'Value' | 'AverageValue' | 'Utilization'
    value?: string
    averageValue?: string
    averageUtilization?: number
  }
}

export interface AIMServiceAutoScaling {
  metrics?: {type: 'PodMetric'; podmetric?: AIMPodMetricSpec}[]
}

export interface AIMServiceSpec extends AIMServiceRuntimeConfig {
  model: AIMServiceModel
  template?: {name?: string; allowUnoptimized?: boolean}
  caching?: {mode?: AIMCachingMode}
  /** Deprecated and ignored. */
  cacheModel?: boolean
  replicas?: number
  minReplicas?: number
  maxReplicas?: number
  autoScaling?: AIMServiceAutoScaling
  runtimeConfigName?: string
  resources?: ResourceRequirements
  overrides?: AIMRuntimeParameters
  imagePullSecrets?: LocalObjectReference[]
  serviceAccountName?: string
}

export interface AIMServiceStatus {
  observedGeneration?: number
  status?: AIMServiceStatusValue
  conditions?: Condition[]
  resolvedRuntimeConfig?: AIMResolvedReference
  resolvedModel?: AIMResolvedReference
  resolvedTemplate?: AIMResolvedReference
  routing?: {path?: string}
  cache?: {templateCacheRef?: AIMResolvedReference; retryAttempts?: number}
  runtime?: {currentReplicas?: number; desiredReplicas?: number; minReplicas?: number; maxReplicas?: number; replicas?: string}
}

export interface AIMService extends KubeObject {
  spec: AIMServiceSpec
  status?: AIMServiceStatus
}

// ---------------------------------------------------------------- AIMModel / AIMClusterModel

export interface AIMCustomTemplate {
  name?: string
  type?: AIMTemplateType
  env?: EnvVar[]
  hardware?: AIMHardwareRequirements
  profile?: {metric?: AIMMetric; precision?: AIMPrecision}
  /** Seed 001: identity of the AIM and model the custom profile is for. */
  aimId?: string
  modelId?: string
  customProfile?: AIMCustomProfile
}

export interface AIMRecommendedDeployment {
  gpuModel?: string
  gpuCount?: number
  precision?: string
  metric?: string
  profileId?: string
  description?: string
}

export interface AIMImageMetadata {
  model?: {
    canonicalName?: string
    source?: string
    tags?: string[]
    versions?: string[]
    variants?: string[]
    hfTokenRequired?: boolean
    title?: string
    descriptionFull?: string
    releaseNotes?: string
    recommendedDeployments?: AIMRecommendedDeployment[]
  }
  oci?: Record<string, string | undefined>
  originalLabels?: Record<string, string>
}

export interface AIMModelSpec {
  image: string
  discovery?: {extractMetadata?: boolean; createServiceTemplates?: boolean}
  defaultServiceTemplate?: string
  custom?: {hardware?: AIMHardwareRequirements; type?: AIMTemplateType}
  customTemplates?: AIMCustomTemplate[]
  modelSources?: AIMModelSource[]
  runtimeConfigName?: string
  imagePullSecrets?: LocalObjectReference[]
  env?: EnvVar[]
  serviceAccountName?: string
  resources?: ResourceRequirements
  imageMetadata?: AIMImageMetadata
}

export interface AIMModelStatus {
  observedGeneration?: number
  status?: AIMStatusValue
  conditions?: Condition[]
  sourceType?: 'Image' | 'Custom'
  resolvedRuntimeConfig?: AIMResolvedReference
  imageMetadata?: AIMImageMetadata
}

export interface AIMModel extends KubeObject {
  spec: AIMModelSpec
  status?: AIMModelStatus
}
export type AIMClusterModel = AIMModel

// ---------------------------------------------------------------- templates

export interface AIMServiceTemplateSpec extends AIMRuntimeParameters {
  modelName: string
  runtimeConfigName?: string
  imagePullSecrets?: LocalObjectReference[]
  serviceAccountName?: string
  resources?: ResourceRequirements
  modelSources?: AIMModelSource[]
  profileId?: string
  type?: AIMTemplateType
  env?: EnvVar[]
  /** Namespaced templates only. */
  caching?: {enabled?: boolean; env?: EnvVar[]}
  /** Seed 001 (custom profiles). */
  aimId?: string
  modelId?: string
  customProfile?: AIMCustomProfile
}

export interface AIMProfile {
  engine_args?: Record<string, unknown>
  env_vars?: Record<string, string>
  metadata?: {engine?: string; gpu?: string; gpuCount?: number; metric?: string; precision?: string; type?: string}
  originalDiscoveryOutput?: unknown
}

export interface AIMServiceTemplateStatus {
  observedGeneration?: number
  status?: AIMStatusValue
  conditions?: Condition[]
  resolvedModel?: AIMResolvedReference
  resolvedRuntimeConfig?: AIMResolvedReference
  resolvedHardware?: AIMHardwareRequirements
  resolvedNodeAffinity?: Record<string, unknown>
  hardwareSummary?: string
  modelSources?: AIMModelSource[]
  profile?: AIMProfile
  discoveryJob?: {name: string; namespace?: string}
  discovery?: {attempts?: number; lastAttemptTime?: string; lastFailureReason?: string; specHash?: string}
  resolvedCache?: AIMResolvedReference
}

export interface AIMServiceTemplate extends KubeObject {
  spec: AIMServiceTemplateSpec
  status?: AIMServiceTemplateStatus
}
export type AIMClusterServiceTemplate = AIMServiceTemplate

// ---------------------------------------------------------------- caches and artifacts

export interface AIMTemplateCacheSpec {
  templateName: string
  templateScope?: 'Namespace' | 'Cluster' | 'Unknown'
  env?: EnvVar[]
  imagePullSecrets?: LocalObjectReference[]
  storageClassName?: string
  runtimeConfigName?: string
  mode?: 'Dedicated' | 'Shared'
  downloadImage?: string
  modelSources?: AIMModelSource[]
}

export interface AIMTemplateCacheArtifactStatus {
  uid?: string
  name: string
  model?: string
  status?: AIMStatusValue
  persistentVolumeClaim?: string
  mountPoint?: string
}

export interface AIMTemplateCacheStatus {
  observedGeneration?: number
  status?: AIMStatusValue
  conditions?: Condition[]
  resolvedTemplateKind?: string
  artifacts?: Record<string, AIMTemplateCacheArtifactStatus>
}

export interface AIMTemplateCache extends KubeObject {
  spec: AIMTemplateCacheSpec
  status?: AIMTemplateCacheStatus
}

export interface AIMArtifactSpec {
  sourceUri: string
  modelId?: string
  storageClassName?: string
  env?: EnvVar[]
  imagePullSecrets?: LocalObjectReference[]
  runtimeConfigName?: string
  size?: Quantity
  modelDownloadImage?: string
}

export interface AIMArtifactStatus {
  observedGeneration?: number
  status?: AIMStatusValue
  conditions?: Condition[]
  progress?: {totalBytes?: number; downloadedBytes?: number; percentage?: number; displayPercentage?: string}
  download?: {protocol?: string; attempt?: number; totalAttempts?: number; protocolSequence?: string; message?: string}
  displaySize?: string
  persistentVolumeClaim?: string
  discoveredSizeBytes?: number
  allocatedSize?: Quantity
  headroomPercent?: number
  lastUsed?: string
  mode?: 'Dedicated' | 'Shared'
}

export interface AIMArtifact extends KubeObject {
  spec: AIMArtifactSpec
  status?: AIMArtifactStatus
}

// ---------------------------------------------------------------- runtime config, model source, kv cache

export interface AIMRuntimeConfigSpec extends AIMServiceRuntimeConfig {
  model?: {autoDiscovery?: boolean}
  labelPropagation?: {enabled?: boolean; match?: string[]}
  /** Deprecated: migrated into storage.* */
  defaultStorageClassName?: string
  pvcHeadroomPercent?: number
}

export interface AIMRuntimeConfig extends KubeObject {
  spec: AIMRuntimeConfigSpec
  status?: {observedGeneration?: number; conditions?: Condition[]}
}
export type AIMClusterRuntimeConfig = AIMRuntimeConfig

export interface AIMModelSourceFilter {
  image: string
  exclude?: string[]
  versions?: string[]
}

export interface AIMClusterModelSourceSpec {
  registry?: string
  imagePullSecrets?: LocalObjectReference[]
  filters: AIMModelSourceFilter[]
  syncInterval?: string
  versions?: string[]
  maxModels?: number
}

export interface AIMClusterModelSource extends KubeObject {
  spec: AIMClusterModelSourceSpec
  status?: {
    observedGeneration?: number
    status?: AIMStatusValue
    conditions?: Condition[]
    lastSyncTime?: string
    discoveredModels?: number
    availableModels?: number
    modelsLimitReached?: boolean
  }
}

export interface AIMKVCacheSpec {
  kvCacheType?: 'redis'
  image?: string
  env?: EnvVar[]
  resources?: ResourceRequirements
  storage?: {size?: Quantity; storageClassName?: string; accessModes?: string[]}
}

export interface AIMKVCache extends KubeObject {
  spec: AIMKVCacheSpec
  status?: {
    observedGeneration?: number
    status?: 'Pending' | 'Progressing' | 'Ready' | 'Failed'
    conditions?: Condition[]
    statefulSetName?: string
    serviceName?: string
    endpoint?: string
    replicas?: number
    readyReplicas?: number
    storageSize?: string
    lastError?: string
  }
}

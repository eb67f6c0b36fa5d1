/** ome.io/v1beta1 shapes (reference/ome.md §1). Pod-spec parts stay loose. */
import type {Condition, KubeObject} from '../object.js'
import type {Container, PodSpec} from './core.js'

export interface OMEComponentExtension {
  minReplicas?: number
  maxReplicas?: number
  scaleTarget?: number
  scaleMetric?: 'cpu' | 'memory' | 'concurrency' | 'rps' | 'tps'
  containerConcurrency?: number
  timeoutSeconds?: number
  canaryTrafficPercent?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
  minAvailable?: number | string
  maxUnavailable?: number | string
  deploymentStrategy?: unknown
  kedaConfig?: OMEKedaConfig
}

export type OMEComponentSpec = Partial<PodSpec> &
  OMEComponentExtension & {
    runner?: Partial<Container>
    leader?: Partial<PodSpec> & {runner?: Partial<Container>}
    worker?: Partial<PodSpec> & {size?: number; runner?: Partial<Container>}
    acceleratorOverride?: Record<string, unknown>
  }

export type OMERouterSpec = Partial<PodSpec> & OMEComponentExtension & {runner?: Partial<Container>; config?: Record<string, string>}

export interface OMEKedaConfig {
  enableKeda?: boolean
  promServerAddress?: string
  customPromQuery?: string
  scalingThreshold?: string
  scalingOperator?: string
  authenticationRef?: {name: string; kind?: string}
  authModes?: string
}

export interface OMEInferenceServiceSpec {
  model?: {name: string; kind?: string; apiGroup?: string; fineTunedWeights?: string[]}
  runtime?: {name: string; kind?: string; apiGroup?: string}
  engine?: OMEComponentSpec
  decoder?: OMEComponentSpec
  router?: OMERouterSpec
  kedaConfig?: OMEKedaConfig
  acceleratorSelector?: Record<string, unknown>
  predictor?: Record<string, unknown>
}

export interface OMEInferenceService extends KubeObject {
  spec: OMEInferenceServiceSpec
  status?: {
    observedGeneration?: number
    conditions?: Condition[]
    url?: string
    address?: {url?: string}
    annotations?: Record<string, string>
    components?: Record<string, Record<string, unknown>>
    modelStatus?: Record<string, unknown>
  }
}

export interface BaseModelSpec {
  modelFormat: {name: string; version?: string; operator?: string; weight?: number}
  modelType?: string
  modelFramework?: {name: string; version?: string; operator?: string; weight?: number}
  modelArchitecture?: string
  quantization?: string
  modelParameterSize?: string
  maxTokens?: number
  modelCapabilities?: string[]
  apiCapabilities?: string[]
  modelConfiguration?: unknown
  servingMode?: string[]
  displayName?: string
  version?: string
  disabled?: boolean
  vendor?: string
  compartmentID?: string
  storage?: {
    storageUri?: string
    path?: string
    schemaPath?: string
    parameters?: Record<string, string>
    key?: string
    nodeSelector?: Record<string, string>
    nodeAffinity?: unknown
    downloadPolicy?: 'AlwaysDownload' | 'ReuseIfExists'
  }
  [key: string]: unknown
}

export interface BaseModel extends KubeObject {
  spec: BaseModelSpec
  status?: {state?: string; lifecycle?: string; nodesReady?: string[]; nodesFailed?: string[]}
}
export type ClusterBaseModel = BaseModel

export interface ServingRuntimeSpec {
  supportedModelFormats?: {
    name?: string
    version?: string
    modelFormat?: {name: string; version?: string}
    modelFramework?: {name: string; version?: string}
    modelArchitecture?: string
    quantization?: string
    autoSelect?: boolean
    priority?: number
    [key: string]: unknown
  }[]
  modelSizeRange?: {min?: string; max?: string}
  disabled?: boolean
  engineConfig?: OMEComponentSpec
  decoderConfig?: OMEComponentSpec
  routerConfig?: OMERouterSpec
  protocolVersions?: string[]
  containers?: Container[]
  workers?: {size?: number; [key: string]: unknown}
  [key: string]: unknown
}

export interface ServingRuntime extends KubeObject {
  spec: ServingRuntimeSpec
}
export type ClusterServingRuntime = ServingRuntime

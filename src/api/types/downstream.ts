/** KServe, Gateway API and KEDA shapes the AIM operator writes and reads (loose where loose is fine). */
import type {Condition, KubeObject} from '../object.js'
import type {EnvVar, ParentReference, ResourceRequirements} from './common.js'
import type {Container, PodSpec, Toleration, Volume, VolumeMount} from './core.js'

// ---------------------------------------------------------------- serving.kserve.io/v1beta1

export interface KServeModelSpec {
  modelFormat: {name: string; version?: string}
  runtime?: string
  storageUri?: string
  protocolVersion?: string
  image?: string
  args?: string[]
  env?: EnvVar[]
  resources?: ResourceRequirements
  volumeMounts?: VolumeMount[]
  [key: string]: unknown
}

export interface KServePredictorSpec {
  minReplicas?: number
  maxReplicas?: number
  scaleMetric?: string
  scaleTarget?: number
  serviceAccountName?: string
  imagePullSecrets?: {name: string}[]
  nodeSelector?: Record<string, string>
  affinity?: PodSpec['affinity']
  tolerations?: Toleration[]
  volumes?: Volume[]
  containers?: Container[]
  model?: KServeModelSpec
  annotations?: Record<string, string>
  labels?: Record<string, string>
  [key: string]: unknown
}

export interface InferenceServiceStatus {
  observedGeneration?: number
  url?: string
  address?: {url?: string}
  conditions?: Condition[]
  components?: Record<string, {url?: string; latestCreatedRevision?: string; latestReadyRevision?: string; traffic?: {tag?: string; percent?: number; latestRevision?: boolean; revisionName?: string}[]}>
  modelStatus?: {
    transitionStatus?: string
    states?: {activeModelState?: string; targetModelState?: string}
    lastFailureInfo?: {reason?: string; message?: string; exitCode?: number; location?: string; time?: string}
    copies?: {failedCopies?: number; totalCopies?: number}
  }
}

export interface InferenceService extends KubeObject {
  spec: {predictor: KServePredictorSpec; transformer?: unknown; explainer?: unknown}
  status?: InferenceServiceStatus
}

// ---------------------------------------------------------------- gateway.networking.k8s.io/v1

export interface HTTPRouteRule {
  matches?: {path?: {type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string}; headers?: unknown[]; method?: string}[]
  filters?: {type: string; [key: string]: unknown}[]
  backendRefs?: {group?: string; kind?: string; name: string; namespace?: string; port?: number; weight?: number}[]
  timeouts?: {request?: string; backendRequest?: string}
}

export interface RouteParentStatus {
  parentRef: ParentReference
  controllerName: string
  conditions?: Condition[]
}

export interface HTTPRoute extends KubeObject {
  spec: {parentRefs?: ParentReference[]; hostnames?: string[]; rules?: HTTPRouteRule[]}
  status?: {parents?: RouteParentStatus[]}
}

export interface Gateway extends KubeObject {
  spec: {
    gatewayClassName: string
    listeners: {name: string; port: number; protocol: string; hostname?: string; allowedRoutes?: unknown}[]
    addresses?: {type?: string; value: string}[]
  }
  status?: {addresses?: {type?: string; value: string}[]; conditions?: Condition[]; listeners?: unknown[]}
}

// ---------------------------------------------------------------- keda.sh/v1alpha1

export interface ScaledObjectTrigger {
  type: string
  name?: string
  metadata: Record<string, string>
  metricType?: 'AverageValue' | 'Value' | 'Utilization'
  authenticationRef?: {name: string; kind?: string}
}

export interface ScaledObject extends KubeObject {
  spec: {
    scaleTargetRef: {apiVersion?: string; kind?: string; name: string; envSourceContainerName?: string}
    minReplicaCount?: number
    maxReplicaCount?: number
    pollingInterval?: number
    cooldownPeriod?: number
    idleReplicaCount?: number
    advanced?: {horizontalPodAutoscalerConfig?: {name?: string; behavior?: unknown}; [key: string]: unknown}
    triggers: ScaledObjectTrigger[]
  }
  status?: {
    scaleTargetKind?: string
    scaleTargetGVKR?: {group: string; version: string; kind: string; resource: string}
    originalReplicaCount?: number
    lastActiveTime?: string
    externalMetricNames?: string[]
    hpaName?: string
    conditions?: Condition[]
    health?: Record<string, {numberOfFailures?: number; status?: string}>
  }
}


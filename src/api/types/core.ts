/** Loose shapes of the built-in kinds the simulator and the CLI touch. Only the fields we use are typed. */
import type {Condition, KubeObject, ObjectMeta} from '../object.js'
import type {EnvVar, LocalObjectReference, Quantity, ResourceRequirements} from './common.js'

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: {key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[]}[]
}

export interface NodeSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'
  values?: string[]
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: {nodeSelectorTerms: {matchExpressions?: NodeSelectorRequirement[]}[]}
  preferredDuringSchedulingIgnoredDuringExecution?: {weight: number; preference: {matchExpressions?: NodeSelectorRequirement[]}}[]
}

export interface Toleration {
  key?: string
  operator?: 'Exists' | 'Equal'
  value?: string
  effect?: string
  tolerationSeconds?: number
}

export interface VolumeMount {
  name: string
  mountPath: string
  readOnly?: boolean
  subPath?: string
}

export interface Volume {
  name: string
  persistentVolumeClaim?: {claimName: string; readOnly?: boolean}
  configMap?: {name: string; items?: {key: string; path: string}[]}
  secret?: {secretName: string}
  emptyDir?: {medium?: string; sizeLimit?: Quantity}
  [key: string]: unknown
}

export interface Container {
  name: string
  image?: string
  command?: string[]
  args?: string[]
  env?: EnvVar[]
  ports?: {name?: string; containerPort: number; protocol?: string}[]
  resources?: ResourceRequirements
  volumeMounts?: VolumeMount[]
  imagePullPolicy?: string
  readinessProbe?: Record<string, unknown>
  livenessProbe?: Record<string, unknown>
  startupProbe?: Record<string, unknown>
  [key: string]: unknown
}

export interface PodSpec {
  containers: Container[]
  initContainers?: Container[]
  volumes?: Volume[]
  nodeName?: string
  nodeSelector?: Record<string, string>
  affinity?: {nodeAffinity?: NodeAffinity; [key: string]: unknown}
  tolerations?: Toleration[]
  serviceAccountName?: string
  imagePullSecrets?: LocalObjectReference[]
  restartPolicy?: 'Always' | 'OnFailure' | 'Never'
  schedulerName?: string
  [key: string]: unknown
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta
  spec: PodSpec
}

export interface ContainerState {
  waiting?: {reason?: string; message?: string}
  running?: {startedAt?: string}
  terminated?: {exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string}
}

export interface ContainerStatus {
  name: string
  image?: string
  imageID?: string
  ready: boolean
  started?: boolean
  restartCount: number
  state?: ContainerState
  lastState?: ContainerState
  containerID?: string
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'
  conditions?: Condition[]
  hostIP?: string
  podIP?: string
  podIPs?: {ip: string}[]
  startTime?: string
  containerStatuses?: ContainerStatus[]
  initContainerStatuses?: ContainerStatus[]
  reason?: string
  message?: string
  qosClass?: string
}

export interface Pod extends KubeObject {
  spec: PodSpec
  status?: PodStatus
}

export interface NodeStatus {
  capacity?: Record<string, Quantity>
  allocatable?: Record<string, Quantity>
  conditions?: Condition[]
  addresses?: {type: string; address: string}[]
  nodeInfo?: Record<string, string>
}

export interface Node extends KubeObject {
  spec?: {unschedulable?: boolean; taints?: {key: string; value?: string; effect: string}[]; podCIDR?: string; providerID?: string}
  status?: NodeStatus
}

export interface Namespace extends KubeObject {
  spec?: {finalizers?: string[]}
  status?: {phase?: 'Active' | 'Terminating'}
}

export interface DeploymentSpec {
  replicas?: number
  selector: LabelSelector
  template: PodTemplateSpec
  strategy?: Record<string, unknown>
  [key: string]: unknown
}

export interface DeploymentStatus {
  observedGeneration?: number
  replicas?: number
  updatedReplicas?: number
  readyReplicas?: number
  availableReplicas?: number
  unavailableReplicas?: number
  conditions?: Condition[]
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec
  status?: DeploymentStatus
}

export interface ReplicaSet extends KubeObject {
  spec: DeploymentSpec
  status?: {replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number}
}

export interface StatefulSet extends KubeObject {
  spec: DeploymentSpec & {serviceName?: string; volumeClaimTemplates?: PersistentVolumeClaim[]}
  status?: {replicas?: number; readyReplicas?: number; currentReplicas?: number; observedGeneration?: number}
}

export interface Job extends KubeObject {
  spec: {
    template: PodTemplateSpec
    backoffLimit?: number
    completions?: number
    parallelism?: number
    activeDeadlineSeconds?: number
    ttlSecondsAfterFinished?: number
    selector?: LabelSelector
    [key: string]: unknown
  }
  status?: {
    active?: number
    succeeded?: number
    failed?: number
    ready?: number
    startTime?: string
    completionTime?: string
    conditions?: Condition[]
  }
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: {
    accessModes?: string[]
    storageClassName?: string
    volumeName?: string
    volumeMode?: string
    resources?: {requests?: Record<string, Quantity>; limits?: Record<string, Quantity>}
    selector?: LabelSelector
  }
  status?: {phase?: 'Pending' | 'Bound' | 'Lost'; capacity?: Record<string, Quantity>; accessModes?: string[]; conditions?: Condition[]}
}

export interface PersistentVolume extends KubeObject {
  spec: {
    capacity?: Record<string, Quantity>
    accessModes?: string[]
    storageClassName?: string
    persistentVolumeReclaimPolicy?: string
    claimRef?: {namespace?: string; name?: string; uid?: string; kind?: string; apiVersion?: string}
    hostPath?: {path: string}
    [key: string]: unknown
  }
  status?: {phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'}
}

export interface StorageClass extends KubeObject {
  provisioner: string
  reclaimPolicy?: string
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer'
  allowVolumeExpansion?: boolean
  parameters?: Record<string, string>
}

export interface ServicePort {
  name?: string
  port: number
  targetPort?: number | string
  protocol?: string
  nodePort?: number
}

export interface Service extends KubeObject {
  spec: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
    selector?: Record<string, string>
    ports?: ServicePort[]
    clusterIP?: string
    clusterIPs?: string[]
    externalName?: string
    [key: string]: unknown
  }
  status?: {loadBalancer?: {ingress?: {ip?: string; hostname?: string}[]}}
}

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>
  binaryData?: Record<string, string>
  immutable?: boolean
}

export interface Secret extends KubeObject {
  type?: string
  /** base64-encoded values — never print them. */
  data?: Record<string, string>
  stringData?: Record<string, string>
  immutable?: boolean
}

export interface ObjectReference {
  apiVersion?: string
  kind?: string
  name?: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  fieldPath?: string
}

/** core/v1 Event. */
export interface Event extends KubeObject {
  involvedObject: ObjectReference
  reason?: string
  message?: string
  type?: 'Normal' | 'Warning'
  source?: {component?: string; host?: string}
  firstTimestamp?: string
  lastTimestamp?: string
  eventTime?: string | null
  count?: number
  reportingComponent?: string
  reportingInstance?: string
  action?: string
}

export interface MetricTarget {
  type: 'Value' | 'AverageValue' | 'Utilization'
  value?: Quantity
  averageValue?: Quantity
  averageUtilization?: number
}

export interface MetricSpec {
  type: 'Resource' | 'Pods' | 'Object' | 'External' | 'ContainerResource'
  resource?: {name: string; target: MetricTarget}
  pods?: {metric: {name: string; selector?: LabelSelector}; target: MetricTarget}
  external?: {metric: {name: string; selector?: LabelSelector}; target: MetricTarget}
  [key: string]: unknown
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: {apiVersion?: string; kind: string; name: string}
    minReplicas?: number
    maxReplicas: number
    metrics?: MetricSpec[]
    behavior?: Record<string, unknown>
  }
  status?: {
    observedGeneration?: number
    lastScaleTime?: string
    currentReplicas?: number
    desiredReplicas?: number
    currentMetrics?: Record<string, unknown>[]
    conditions?: Condition[]
  }
}

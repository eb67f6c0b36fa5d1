/**
 * The one registry of kinds. The API server (discovery, routing, tables), the CLI (lookups,
 * printing) and CRD generation all read this table; nothing else lists kinds.
 */

export interface PrinterColumn {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  jsonPath: string
  description?: string
  priority?: number
  format?: string
}

export interface KindInfo {
  group: string // '' for the core group
  version: string
  kind: string
  listKind: string
  plural: string
  singular: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  /** Custom resources answer strategic-merge patches with 415, as a real server does. */
  custom: boolean
  subresources: {status?: boolean; scale?: {specReplicasPath: string; statusReplicasPath: string}}
  printerColumns: PrinterColumn[]
  /** Verbs the server allows; all kinds served here allow the full set unless listed. */
  verbs?: string[]
}

export const AIM_GROUP = 'aim.eai.amd.com'
export const AIM_LEGACY_GROUP = 'aim.silogen.ai'
export const AIM_VERSION = 'v1alpha1'

const age: PrinterColumn = {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp'}
const status: PrinterColumn = {name: 'Status', type: 'string', jsonPath: '.status.status'}

function kind(
  k: Omit<KindInfo, 'listKind' | 'singular' | 'shortNames' | 'categories' | 'subresources' | 'printerColumns'> &
    Partial<Pick<KindInfo, 'shortNames' | 'categories' | 'subresources' | 'printerColumns' | 'singular'>>,
): KindInfo {
  return {
    listKind: `${k.kind}List`,
    singular: k.singular ?? k.kind.toLowerCase(),
    shortNames: [],
    categories: [],
    subresources: {},
    printerColumns: [],
    ...k,
  }
}

function aim(
  k: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  printerColumns: PrinterColumn[],
): KindInfo {
  return kind({
    group: AIM_GROUP,
    version: AIM_VERSION,
    kind: k,
    plural,
    namespaced,
    custom: true,
    shortNames,
    categories: ['aim', 'all'],
    subresources: {status: true},
    printerColumns,
  })
}

const modelColumns: PrinterColumn[] = [
  status,
  {name: 'Source', type: 'string', jsonPath: '.status.sourceType'},
  {name: 'Image', type: 'string', jsonPath: '.spec.image'},
  {name: 'Model', type: 'string', jsonPath: '.status.imageMetadata.model.canonicalName'},
  age,
]
const templateColumns: PrinterColumn[] = [
  {name: 'Model', type: 'string', jsonPath: '.spec.modelName'},
  status,
  {name: 'Hardware', type: 'string', jsonPath: '.status.hardwareSummary'},
  {name: 'Metric', type: 'string', jsonPath: '.status.profile.metadata.metric'},
  {name: 'Precision', type: 'string', jsonPath: '.status.profile.metadata.precision'},
]

export const AIM_KINDS: KindInfo[] = [
  aim('AIMService', 'aimservices', true, ['aimsvc'], [
    status,
    {name: 'Model', type: 'string', jsonPath: '.status.resolvedModel.name'},
    {name: 'Template', type: 'string', jsonPath: '.status.resolvedTemplate.name'},
    {name: 'Replicas', type: 'string', jsonPath: '.status.runtime.replicas'},
    age,
  ]),
  aim('AIMModel', 'aimmodels', true, ['aimmdl'], modelColumns),
  aim('AIMClusterModel', 'aimclustermodels', false, ['aimclmdl'], modelColumns),
  aim('AIMServiceTemplate', 'aimservicetemplates', true, ['aimtpl'], templateColumns),
  aim('AIMClusterServiceTemplate', 'aimclusterservicetemplates', false, ['aimcltpl'], templateColumns),
  aim('AIMTemplateCache', 'aimtemplatecaches', true, ['aimtc'], [
    {name: 'Template', type: 'string', jsonPath: '.spec.templateName'},
    {name: 'Mode', type: 'string', jsonPath: '.spec.mode'},
    status,
    {name: 'Kind', type: 'string', jsonPath: '.status.resolvedTemplateKind'},
    age,
  ]),
  aim('AIMArtifact', 'aimartifacts', true, ['aimart'], [
    status,
    {name: 'Mode', type: 'string', jsonPath: '.status.mode'},
    {name: 'Model Size', type: 'string', jsonPath: '.status.displaySize'},
    {name: 'Progress', type: 'string', jsonPath: '.status.progress.displayPercentage'},
    {name: 'Protocol', type: 'string', jsonPath: '.status.download.protocol', priority: 1},
    {name: 'Attempt', type: 'integer', jsonPath: '.status.download.attempt', priority: 1},
    age,
  ]),
  aim('AIMRuntimeConfig', 'aimruntimeconfigs', true, ['aimrc'], []),
  aim('AIMClusterRuntimeConfig', 'aimclusterruntimeconfigs', false, ['aimclrc'], []),
  aim('AIMClusterModelSource', 'aimclustermodelsources', false, ['aimclsrc'], [
    status,
    {name: 'Models', type: 'integer', jsonPath: '.status.discoveredModels'},
    {name: 'LastSync', type: 'date', jsonPath: '.status.lastSyncTime'},
    age,
  ]),
  // AIMKVCache comes from the older API (seed 000); the simulator serves it in the new group too.
  aim('AIMKVCache', 'aimkvcaches', true, ['aimkvc'], [
    status,
    {name: 'Type', type: 'string', jsonPath: '.spec.kvCacheType'},
    {name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint'},
    age,
  ]),
]

function builtin(k: Parameters<typeof kind>[0]): KindInfo {
  return kind({...k})
}

export const BUILTIN_KINDS: KindInfo[] = [
  builtin({group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, custom: false, shortNames: ['ns'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, custom: false, shortNames: ['no'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, custom: false, shortNames: ['po'], categories: ['all'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, custom: false, shortNames: ['svc'], categories: ['all'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, custom: false, shortNames: ['pvc'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, custom: false, shortNames: ['pv'], subresources: {status: true}}),
  builtin({group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, custom: false, shortNames: ['cm']}),
  builtin({group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, custom: false}),
  builtin({group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, custom: false, shortNames: ['sa']}),
  builtin({group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, custom: false, shortNames: ['ev']}),
  builtin({group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, custom: false, shortNames: ['ev']}),
  builtin({group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, custom: false, shortNames: ['deploy'], categories: ['all'], subresources: {status: true, scale: {specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas'}}}),
  builtin({group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, custom: false, shortNames: ['rs'], categories: ['all'], subresources: {status: true, scale: {specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas'}}}),
  builtin({group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, custom: false, shortNames: ['sts'], categories: ['all'], subresources: {status: true, scale: {specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas'}}}),
  builtin({group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, custom: false, categories: ['all'], subresources: {status: true}}),
  builtin({group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true, custom: false}),
  builtin({group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, custom: false}),
  builtin({group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, custom: false, shortNames: ['sc']}),
  builtin({group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, custom: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'], subresources: {status: true}, printerColumns: [
    {name: 'Created At', type: 'date', jsonPath: '.metadata.creationTimestamp'},
  ]}),
  builtin({group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, custom: false, shortNames: ['hpa'], categories: ['all'], subresources: {status: true}}),
  // Custom resources of the cluster around AIM (installed by their own operators on a real cluster).
  kind({group: 'serving.kserve.io', version: 'v1beta1', kind: 'InferenceService', plural: 'inferenceservices', namespaced: true, custom: true, shortNames: ['isvc'], categories: ['all'], subresources: {status: true}, printerColumns: [
    {name: 'URL', type: 'string', jsonPath: '.status.url'},
    {name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status"},
    {name: 'Prev', type: 'integer', jsonPath: ".status.components.predictor.traffic[?(@.tag=='prev')].percent", priority: 1},
    {name: 'Latest', type: 'integer', jsonPath: ".status.components.predictor.traffic[?(@.latestRevision==true)].percent", priority: 1},
    age,
  ]}),
  kind({group: 'gateway.networking.k8s.io', version: 'v1', kind: 'Gateway', plural: 'gateways', namespaced: true, custom: true, shortNames: ['gtw'], categories: ['gateway-api'], subresources: {status: true}, printerColumns: [
    {name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName'},
    {name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value'},
    {name: 'Programmed', type: 'string', jsonPath: ".status.conditions[?(@.type=='Programmed')].status"},
    age,
  ]}),
  kind({group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', namespaced: true, custom: true, categories: ['gateway-api'], subresources: {status: true}, printerColumns: [
    {name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames'},
    age,
  ]}),
  kind({group: 'keda.sh', version: 'v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects', namespaced: true, custom: true, shortNames: ['so'], subresources: {status: true}, printerColumns: [
    {name: 'ScaleTargetKind', type: 'string', jsonPath: '.status.scaleTargetKind'},
    {name: 'ScaleTargetName', type: 'string', jsonPath: '.spec.scaleTargetRef.name'},
    {name: 'Min', type: 'integer', jsonPath: '.spec.minReplicaCount'},
    {name: 'Max', type: 'integer', jsonPath: '.spec.maxReplicaCount'},
    {name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status"},
    {name: 'Active', type: 'string', jsonPath: ".status.conditions[?(@.type=='Active')].status"},
    age,
  ]}),
]

function legacy(k: string, plural: string, namespaced: boolean, shortNames: string[], printerColumns: PrinterColumn[] = [status, age]): KindInfo {
  return kind({
    group: AIM_LEGACY_GROUP,
    version: AIM_VERSION,
    kind: k,
    plural,
    namespaced,
    custom: true,
    shortNames,
    categories: ['aim'],
    subresources: {status: true},
    printerColumns,
  })
}

/** The older API (kaiwo, seeds 000 and 003), accepted and converted by the simulator. */
export const LEGACY_AIM_KINDS: KindInfo[] = [
  legacy('AIMService', 'aimservices', true, ['aimsvc'], [
    status,
    {name: 'Model', type: 'string', jsonPath: '.status.resolvedImage.name'},
    {name: 'Template', type: 'string', jsonPath: '.status.resolvedTemplate.name'},
    {name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas'},
    age,
  ]),
  legacy('AIMImage', 'aimimages', true, ['aimimg'], [
    {name: 'Model ID', type: 'string', jsonPath: '.spec.modelId'},
    {name: 'Image', type: 'string', jsonPath: '.spec.image'},
    age,
  ]),
  legacy('AIMClusterImage', 'aimclusterimages', false, ['aimclimg'], [
    {name: 'Model ID', type: 'string', jsonPath: '.spec.modelId'},
    {name: 'Image', type: 'string', jsonPath: '.spec.image'},
    age,
  ]),
  legacy('AIMClusterConfig', 'aimclusterconfigs', false, ['aimccfg'], [age]),
  legacy('ModelCache', 'modelcaches', true, ['mc'], [
    status,
    {name: 'Source', type: 'string', jsonPath: '.spec.sourceUri'},
    {name: 'PVC', type: 'string', jsonPath: '.status.persistentVolumeClaim'},
    age,
  ]),
  legacy('AIMModelCache', 'aimmodelcaches', true, ['aimmc'], [
    status,
    {name: 'Source', type: 'string', jsonPath: '.spec.sourceUri'},
    {name: 'PVC', type: 'string', jsonPath: '.status.persistentVolumeClaim'},
    age,
  ]),
  legacy('AIMServiceTemplate', 'aimservicetemplates', true, ['aimst'], [
    {name: 'Model', type: 'string', jsonPath: '.spec.modelId'},
    status,
    {name: 'Metric', type: 'string', jsonPath: '.spec.metric'},
    {name: 'Precision', type: 'string', jsonPath: '.spec.precision'},
    age,
  ]),
  legacy('AIMClusterServiceTemplate', 'aimclusterservicetemplates', false, ['aimclst'], [
    {name: 'Model', type: 'string', jsonPath: '.spec.modelId'},
    status,
    {name: 'Metric', type: 'string', jsonPath: '.spec.metric'},
    {name: 'Precision', type: 'string', jsonPath: '.spec.precision'},
    age,
  ]),
  legacy('AIMTemplateCache', 'aimtemplatecaches', true, ['aimtc'], [
    {name: 'Template', type: 'string', jsonPath: '.spec.templateRef'},
    status,
    {name: 'Kind', type: 'string', jsonPath: '.status.resolvedTemplateKind'},
    age,
  ]),
  legacy('AIMModel', 'aimmodels', true, ['aimmdl']),
  legacy('AIMClusterModel', 'aimclustermodels', false, ['aimclmdl']),
  legacy('AIMKVCache', 'aimkvcaches', true, ['aimkvc'], [
    status,
    {name: 'Type', type: 'string', jsonPath: '.spec.kvCacheType'},
    {name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint'},
    age,
  ]),
  legacy('AIMRuntimeConfig', 'aimruntimeconfigs', true, ['aimrcfg'], [age]),
  legacy('AIMClusterRuntimeConfig', 'aimclusterruntimeconfigs', false, ['aimcrcfg'], [age]),
]

export const OME_GROUP = 'ome.io'
export const OME_VERSION = 'v1beta1'

const baseModelColumns: PrinterColumn[] = [
  {name: 'Disabled', type: 'boolean', jsonPath: '.spec.disabled'},
  {name: 'Version', type: 'string', jsonPath: '.spec.version'},
  {name: 'Vendor', type: 'string', jsonPath: '.spec.vendor'},
  {name: 'Framework', type: 'string', jsonPath: '.spec.modelFramework.name'},
  {name: 'FrameworkVersion', type: 'string', jsonPath: '.spec.modelFramework.version'},
  {name: 'ModelFormat', type: 'string', jsonPath: '.spec.modelFormat.name'},
  {name: 'Architecture', type: 'string', jsonPath: '.spec.modelArchitecture'},
  {name: 'Capabilities', type: 'string', jsonPath: '.spec.modelCapabilities'},
  {name: 'Size', type: 'string', jsonPath: '.spec.modelParameterSize'},
  {name: 'CompartmentID', type: 'string', jsonPath: '.spec.compartmentID'},
  {name: 'Ready', type: 'string', jsonPath: '.status.state'},
  age,
]
const runtimeColumns: PrinterColumn[] = [
  {name: 'Disabled', type: 'boolean', jsonPath: '.spec.disabled'},
  {name: 'ModelFormat', type: 'string', jsonPath: '.spec.supportedModelFormats[*].modelFormat.name'},
  {name: 'ModelFramework', type: 'string', jsonPath: '.spec.supportedModelFormats[*].modelFramework.name'},
  {name: 'ModelFrameworkVersion', type: 'string', jsonPath: '.spec.supportedModelFormats[*].modelFramework.version'},
  {name: 'ModelArchitecture', type: 'string', jsonPath: '.spec.supportedModelFormats[*].modelArchitecture'},
  {name: 'ModelSizeMin', type: 'string', jsonPath: '.spec.modelSizeRange.min'},
  {name: 'ModelSizeMax', type: 'string', jsonPath: '.spec.modelSizeRange.max'},
  {name: 'Images', type: 'string', jsonPath: '.spec.containers[*].image'},
  age,
]

function ome(k: string, plural: string, namespaced: boolean, shortNames: string[], printerColumns: PrinterColumn[], statusSub = true): KindInfo {
  return kind({group: OME_GROUP, version: OME_VERSION, kind: k, plural, namespaced, custom: true, shortNames, subresources: statusSub ? {status: true} : {}, printerColumns})
}

/** OME (seed 004), a second operator the simulator can run. */
export const OME_KINDS: KindInfo[] = [
  ome('InferenceService', 'inferenceservices', true, ['isvc'], [
    {name: 'URL', type: 'string', jsonPath: '.status.url'},
    {name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status"},
    {name: 'BaseModel', type: 'string', jsonPath: '.spec.model.name'},
    {name: 'Runtime', type: 'string', jsonPath: '.spec.runtime.name'},
    {name: 'Prev', type: 'integer', jsonPath: ".status.components.engine.traffic[?(@.tag=='prev')].percent", priority: 1},
    {name: 'Latest', type: 'integer', jsonPath: '.status.components.engine.traffic[?(@.latestRevision==true)].percent', priority: 1},
    {name: 'PrevRolledoutRevision', type: 'string', jsonPath: '.status.components.engine.previousRolledoutRevision', priority: 1},
    {name: 'LatestReadyRevision', type: 'string', jsonPath: '.status.components.engine.latestReadyRevision', priority: 1},
    age,
  ]),
  ome('BaseModel', 'basemodels', true, [], baseModelColumns),
  ome('ClusterBaseModel', 'clusterbasemodels', false, [], baseModelColumns),
  ome('ServingRuntime', 'servingruntimes', true, [], runtimeColumns, false),
  ome('ClusterServingRuntime', 'clusterservingruntimes', false, [], runtimeColumns, false),
]

/**
 * Every kind served, in lookup priority order: when two groups share a name, the earlier wins
 * (aim.eai.amd.com before aim.silogen.ai, serving.kserve.io before ome.io, core before events.k8s.io).
 */
export const ALL_KINDS: KindInfo[] = [...AIM_KINDS, ...BUILTIN_KINDS, ...LEGACY_AIM_KINDS, ...OME_KINDS]

/**
 * The operators a simulated cluster can run. `aim` is the AIM Engine with what it needs around it
 * (KServe's InferenceService, and the older aim.silogen.ai API it still serves); `ome` is OME.
 * Gateway API, KEDA and the built-in kinds are always there.
 */
export type Operator = 'aim' | 'ome'
export const OPERATORS: readonly Operator[] = ['aim', 'ome']
export const DEFAULT_OPERATORS: readonly Operator[] = ['aim']
const OPERATOR_GROUPS: Record<Operator, readonly string[]> = {
  aim: [AIM_GROUP, AIM_LEGACY_GROUP, 'serving.kserve.io'],
  ome: [OME_GROUP],
}

/** `aim,ome` → ['aim', 'ome']; throws an Error whose message names the bad value. */
export function parseOperators(text: string): Operator[] {
  const out: Operator[] = []
  for (const part of text.split(',').map((p) => p.trim())) {
    if (!(OPERATORS as readonly string[]).includes(part)) {
      throw new Error(`unknown operator "${part}" (expected a comma-separated list of: ${OPERATORS.join(', ')})`)
    }
    if (!out.includes(part as Operator)) out.push(part as Operator)
  }
  return out
}

/** The group whose kinds an operator brings, or undefined for one every cluster serves. */
export function operatorOf(group: string): Operator | undefined {
  return OPERATORS.find((op) => OPERATOR_GROUPS[op].includes(group))
}

/**
 * The kinds a cluster running `operators` serves, in the order kube-apiserver's discovery lists
 * them, which is what kubectl uses to resolve a name two groups share: built-in groups first, then
 * custom resources by APIService name `<version>.<group>` (every CRD gets the same group priority).
 * So with both operators `inferenceservice` means ome.io's (`v1beta1.ome.io` sorts before
 * `v1beta1.serving.kserve.io`), as on a real cluster with both installed.
 */
export function servedKinds(operators: readonly Operator[]): KindInfo[] {
  const served = ALL_KINDS.filter((k) => {
    const op = operatorOf(k.group)
    return op === undefined || operators.includes(op)
  })
  const builtin = served.filter((k) => !k.custom)
  const apiServiceName = (k: KindInfo) => `${k.version}.${k.group}`
  const custom = served.filter((k) => k.custom).sort((a, b) => (apiServiceName(a) < apiServiceName(b) ? -1 : apiServiceName(a) > apiServiceName(b) ? 1 : 0))
  return [...builtin, ...custom]
}

export function apiVersionOf(info: Pick<KindInfo, 'group' | 'version'>): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`
}

export function splitApiVersion(apiVersion: string): {group: string; version: string} {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1)}
}

export class KindRegistry {
  private readonly byResource = new Map<string, KindInfo>()
  private readonly byGvk = new Map<string, KindInfo>()

  constructor(readonly kinds: KindInfo[] = ALL_KINDS) {
    for (const info of kinds) this.add(info)
  }

  add(info: KindInfo): void {
    this.byResource.set(`${info.group}/${info.version}/${info.plural}`, info)
    this.byGvk.set(`${apiVersionOf(info)}/${info.kind}`, info)
  }

  forResource(group: string, version: string, plural: string): KindInfo | undefined {
    return this.byResource.get(`${group}/${version}/${plural}`)
  }

  forKind(apiVersion: string, kindName: string): KindInfo | undefined {
    return this.byGvk.get(`${apiVersion}/${kindName}`)
  }

  /** The entry of a kind the code itself names (first version served in `group`); throws when the table lacks it. */
  require(group: string, kindName: string): KindInfo {
    const info = this.kinds.find((k) => k.group === group && k.kind === kindName)
    if (!info) throw new Error(`kind ${kindName} of group "${group}" is not in the registry`)
    return info
  }

  /**
   * Resolve what a user typed, as kubectl does: `aimsvc`, `aimservices`, `aimservice`, `AIMService`,
   * `aimservices.aim.eai.amd.com` or `aimservices.v1alpha1.aim.eai.amd.com`. Plural and singular names
   * win over short names; among groups, the registry order decides (see ALL_KINDS).
   */
  lookup(name: string): KindInfo | undefined {
    const [head = '', ...rest] = name.toLowerCase().split('.')
    let group = rest.join('.')
    let version: string | undefined
    if (rest.length > 1 && this.kinds.some((k) => k.version === rest[0] && k.group === rest.slice(1).join('.'))) {
      version = rest[0]
      group = rest.slice(1).join('.')
    } else if (rest.length === 1 && this.kinds.some((k) => k.group === '' && k.version === rest[0])) {
      // `pods.v1`: the core group
      version = rest[0]
      group = ''
    }
    const candidates = this.kinds.filter(
      (k) => (rest.length === 0 || k.group === group) && (version === undefined || k.version === version),
    )
    return (
      candidates.find((k) => k.plural === head || k.singular === head) ??
      candidates.find((k) => k.kind.toLowerCase() === head) ??
      candidates.find((k) => k.shortNames.includes(head))
    )
  }

  groups(): Map<string, KindInfo[]> {
    const out = new Map<string, KindInfo[]>()
    for (const info of this.kinds) {
      const list = out.get(info.group) ?? []
      list.push(info)
      out.set(info.group, list)
    }
    return out
  }
}

export const registry = new KindRegistry()

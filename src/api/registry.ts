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

export const ALL_KINDS: KindInfo[] = [...AIM_KINDS, ...BUILTIN_KINDS]

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

  /** Resolve what a user typed (`aimsvc`, `aimservices`, `AIMService`, `aimservice.aim.eai.amd.com`). */
  lookup(name: string): KindInfo | undefined {
    const [head, ...rest] = name.toLowerCase().split('.')
    const group = rest.join('.')
    return this.kinds.find(
      (k) =>
        (group === '' || k.group === group) &&
        (k.plural === head || k.singular === head || k.kind.toLowerCase() === head || k.shortNames.includes(head ?? '')),
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

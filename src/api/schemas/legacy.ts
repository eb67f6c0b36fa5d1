/** Schemas of the older group aim.silogen.ai/v1alpha1 (reference aim-engine.md §13, seeds 000 and 003). */
import {
  arr,
  bool,
  conditions,
  enumOf,
  envList,
  free,
  has,
  imagePullSecrets,
  immutable,
  int32,
  obj,
  parentReference,
  quantity,
  resourceRequirements,
  type Schema,
  str,
  withRules,
} from '../schema.js'
import {AIMClusterRuntimeConfig, AIMKVCache, AIMModel, AIMRuntimeConfig, METRICS, PRECISIONS, SOURCE_URI_PATTERN, kindSchema, routingConfig} from './aim.js'

const legacyStatus = (description: string): Schema => ({...free(description), properties: {conditions: conditions(), status: str('Overall status.')}})

const gpuSelector: Schema = obj(
  {count: int32('Number of GPUs.', {minimum: 1}), model: str('GPU model (for example MI300X).')},
  'GPU selection (older API; hardware.gpu in aim.eai.amd.com).',
)

const kvCacheRef: Schema = obj(
  {
    env: envList('Environment of the cache pods.'),
    image: str('Image of the cache backend.'),
    lmCacheConfig: str('LMCache configuration.'),
    name: str('An existing AIMKVCache to use.'),
    resources: resourceRequirements,
    storage: obj({accessModes: arr(str()), size: quantity('Size of the PVC (minimum 1Gi).'), storageClassName: str()}, 'Storage of a new cache.'),
    type: enumOf(['redis'], 'Create a cache of this type, named kvcache-<namespace>.'),
  },
  'KV cache of the service.',
)

const legacyServiceSpec: Schema = obj(
  {
    aimModelId: str('Model identifier from the AIMImage catalog (generation 1).'),
    autoScaling: free('Autoscaling through KEDA.'),
    cacheModel: bool('Cache the model on demand.', {default: false}),
    configRef: str('Cluster config to use (generation 1).'),
    env: envList('Environment variables of the inference containers.'),
    imagePullSecrets: imagePullSecrets(),
    kvCache: kvCacheRef,
    maxReplicas: int32(undefined, {minimum: 1}),
    minReplicas: int32(undefined, {minimum: 1}),
    model: withRules(
      obj({image: str('AIM container image.'), ref: str('Name of an AIMModel or AIMClusterModel.')}, 'The model: exactly one of ref or image.'),
      {
        rule: 'has(self.ref) != has(self.image)',
        message: 'exactly one of ref or image must be specified',
        check: (self) => has(self, 'ref') !== has(self, 'image'),
      },
    ),
    modelId: str('Alias of aimModelId.'),
    overrides: obj({gpuSelector, metric: enumOf(METRICS), precision: enumOf(PRECISIONS)}, 'Overrides of the template parameters.'),
    replicas: int32('Number of replicas.', {default: 1}),
    resources: resourceRequirements,
    routing: routingConfig,
    runtimeConfigName: str('Runtime config to use.'),
    serviceAccountName: str(),
    template: obj({allowUnoptimized: bool()}, 'Template selection.'),
    templateRef: str('Template to use (namespace first, then cluster).'),
  },
  'Desired state of the service (older API).',
)

export const LegacyAIMService = kindSchema('An AIM inference service (older API group aim.silogen.ai).', legacyServiceSpec, legacyStatus('Observed state of the service.'))

const imageSpec: Schema = obj(
  {
    defaultServiceTemplate: str('Template services of this model use by default.'),
    image: str('AIM container image.'),
    imagePullSecrets: imagePullSecrets(),
    modelId: str('Model identifier, for example meta/llama-3-8b:1.1+20240915.'),
  },
  'A catalog entry: model identifier to image.',
  {required: ['image']},
)

export const AIMImage = kindSchema('A catalog entry of the older API.', imageSpec, legacyStatus('Observed state.'))
export const AIMClusterImage = kindSchema('A cluster-wide catalog entry of the older API.', imageSpec, legacyStatus('Observed state.'))

export const AIMClusterConfig = kindSchema(
  'Cluster routing and cache storage defaults (older API).',
  obj(
    {
      cacheStorageClassName: str('Default storage class of model caches.'),
      imagePullSecrets: imagePullSecrets(),
      routing: obj({autoCreateRoute: bool('Create an HTTPRoute per service.', {default: true}), gateway: parentReference}, 'Routing defaults.'),
    },
    'Cluster configuration.',
  ),
  legacyStatus('Observed state.'),
)

const modelCacheSpec = (sizeRequired: boolean): Schema =>
  obj(
    {
      env: envList('Environment of the download job.'),
      imagePullSecrets: imagePullSecrets(),
      modelDownloadImage: str('Image of the downloader.'),
      size: quantity('Size of the PVC.'),
      sourceUri: withRules(str('Where to download from.', {pattern: SOURCE_URI_PATTERN}), immutable('sourceUri is immutable')),
      storageClassName: str('Storage class of the PVC.'),
    },
    'A downloaded model source (older API).',
    {required: sizeRequired ? ['sourceUri', 'size'] : ['sourceUri']},
  )

export const ModelCache = kindSchema('Model files downloaded into a PVC (older API).', modelCacheSpec(true), legacyStatus('Observed state.'))
export const AIMModelCache = kindSchema('Model files downloaded into a PVC (older API, generation 2).', modelCacheSpec(false), legacyStatus('Observed state.'))

const legacyTemplateSpec = (namespaced: boolean): Schema =>
  obj(
    {
      ...(namespaced ? {caching: obj({enabled: bool(undefined, {default: false}), env: envList('Environment of the download jobs.')}, 'Caching.')} : {}),
      env: envList('Environment variables.'),
      gpuSelector,
      imagePullSecrets: imagePullSecrets(),
      metric: enumOf(METRICS),
      modelId: str('Model identifier.'),
      modelName: str('Model name (generation 2).'),
      precision: enumOf(PRECISIONS),
      runtimeConfigName: str(),
    },
    'A runtime profile (older API).',
  )

export const LegacyAIMServiceTemplate = kindSchema('A namespaced runtime profile (older API).', legacyTemplateSpec(true), legacyStatus('Observed state.'))
export const LegacyAIMClusterServiceTemplate = kindSchema('A cluster runtime profile (older API).', legacyTemplateSpec(false), legacyStatus('Observed state.'))

export const LegacyAIMTemplateCache = kindSchema(
  'Pre-warmed caches of one template (older API).',
  obj(
    {
      env: envList('Environment of the download jobs.'),
      imagePullSecrets: imagePullSecrets(),
      storageClassName: str(),
      templateName: str('Template to warm (generation 2).'),
      templateRef: str('Template to warm.'),
    },
    'Desired state.',
  ),
  legacyStatus('Observed state.'),
)

/** Generation 2 kept model, KV cache and runtime config shapes close to the new group. */
function loosen(schema: Schema): Schema {
  return {...schema, properties: {...schema.properties, status: legacyStatus('Observed state.')}}
}

export const LEGACY_SCHEMAS: Record<string, Schema> = {
  AIMService: LegacyAIMService,
  AIMImage,
  AIMClusterImage,
  AIMClusterConfig,
  ModelCache,
  AIMModelCache,
  AIMServiceTemplate: LegacyAIMServiceTemplate,
  AIMClusterServiceTemplate: LegacyAIMClusterServiceTemplate,
  AIMTemplateCache: LegacyAIMTemplateCache,
  AIMModel: loosen(AIMModel),
  AIMClusterModel: loosen(AIMModel),
  AIMKVCache: loosen(AIMKVCache),
  AIMRuntimeConfig: loosen(AIMRuntimeConfig),
  AIMClusterRuntimeConfig: loosen(AIMClusterRuntimeConfig),
}

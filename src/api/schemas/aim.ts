/**
 * Schemas of aim.eai.amd.com/v1alpha1 (reference aim-engine.md §2 and seed 001). Descriptions are
 * what `kubectl explain` prints.
 */
import {
  arr,
  bool,
  conditions,
  enumOf,
  envList,
  free,
  has,
  immutable,
  imagePullSecrets,
  int32,
  int64,
  isObject,
  nodeAffinity,
  obj,
  parentReference,
  quantity,
  resourceRequirements,
  type Schema,
  str,
  stringMap,
  withRules,
} from '../schema.js'

export const METRICS = ['latency', 'throughput']
export const PRECISIONS = ['auto', 'fp4', 'fp8', 'fp16', 'fp32', 'bf16', 'int4', 'int8']
export const TEMPLATE_TYPES = ['optimized', 'preview', 'unoptimized']
export const SERVICE_STATUSES = ['Pending', 'Starting', 'Running', 'Degraded', 'Failed']
export const AIM_STATUSES = ['Pending', 'Progressing', 'Ready', 'Degraded', 'Failed', 'NotAvailable']
export const CACHING_MODES = ['Dedicated', 'Shared', 'Auto', 'Always', 'Never']
export const MODEL_ID_PATTERN = '^[a-zA-Z0-9_-]+/[a-zA-Z0-9._-]+$'
export const SOURCE_URI_PATTERN = '^(hf|s3)://[^ \\t\\r\\n]+$'
export const DEFAULT_DOWNLOAD_IMAGE = 'ghcr.io/silogen/aim-artifact-downloader:0.2.0'

/** The top-level envelope of a kind: apiVersion, kind, metadata, spec, status. */
export function kindSchema(description: string, spec: Schema | undefined, status: Schema | undefined, o: Partial<Schema> = {}): Schema {
  const properties: Record<string, Schema> = {
    apiVersion: str('The versioned schema of this representation of an object.'),
    kind: str('The REST resource this object represents, in CamelCase.'),
    metadata: {type: 'object'},
  }
  if (spec) properties.spec = spec
  if (status) properties.status = status
  return {type: 'object', description, properties, ...o}
}

export const resolvedReference = (description: string): Schema =>
  obj(
    {
      kind: str('Kind of the resolved object, as group/version/Kind.'),
      name: str('Name of the resolved object.'),
      namespace: str('Namespace of the resolved object; empty for cluster-scoped objects.'),
      scope: enumOf(['Namespace', 'Cluster', 'Merged', 'Unknown'], 'Where the object was found.'),
      uid: str('UID of the resolved object.'),
    },
    description,
  )

export const gpuRequirements: Schema = withRules(
  obj(
    {
      minVram: quantity('Minimum VRAM per GPU (for example 192Gi); any GPU model with at least this much qualifies. Exclusive with model.'),
      model: str('GPU model to run on (for example MI300X, MI325X). Exclusive with minVram.', {maxLength: 64}),
      requests: int32('Number of GPUs per replica. 0 targets GPU nodes without requesting a device.', {minimum: 0}),
      resourceName: str('Extended resource name the GPUs are requested as.', {default: 'amd.com/gpu'}),
    },
    'GPU requirements.',
  ),
  {
    rule: '!(has(self.model) && has(self.minVram))',
    message: 'model and minVram are mutually exclusive',
    check: (self) => !(has(self, 'model') && has(self, 'minVram')),
  },
)

export const hardwareRequirements = (description = 'Hardware the workload needs.'): Schema =>
  withRules(
    obj(
      {
        cpu: obj(
          {
            limits: quantity('CPU limit per replica.'),
            requests: quantity('CPU request per replica.'),
          },
          'CPU requirements, for CPU-only workloads or in addition to GPUs.',
          {required: ['requests']},
        ),
        gpu: gpuRequirements,
      },
      description,
    ),
    {
      rule: 'has(self.gpu) || has(self.cpu)',
      message: 'at least one of gpu or cpu must be specified',
      check: (self) => has(self, 'gpu') || has(self, 'cpu'),
    },
  )

/** AIMRuntimeParameters, inlined into templates and into AIMService.spec.overrides. */
export function runtimeParameters(): Record<string, Schema> {
  return {
    hardware: withRules(hardwareRequirements('Hardware requirements (GPU model, count, VRAM, or CPU).'), immutable('hardware is immutable')),
    metric: withRules(enumOf(METRICS, 'Optimisation goal: latency (interactive) or throughput (batch).'), immutable('metric is immutable')),
    precision: withRules(enumOf(PRECISIONS, 'Numeric precision of the model weights and activations.'), immutable('precision is immutable')),
  }
}

export const modelSource: Schema = obj(
  {
    env: envList('Environment variables for downloading this source (credentials, for example).'),
    modelId: str('Model identifier as org/name; the model is mounted at /workspace/cache/<modelId>.', {pattern: MODEL_ID_PATTERN}),
    size: quantity('Size of the model files; discovered when absent.'),
    sourceUri: str('Where the model files come from: hf://org/name or s3://bucket/path.', {pattern: SOURCE_URI_PATTERN}),
  },
  'A model artifact the runtime loads.',
  {required: ['modelId', 'sourceUri']},
)

export const storageConfig: Schema = obj(
  {
    defaultStorageClassName: str('Storage class for cache PVCs; the cluster default when empty.'),
    pvcHeadroomPercent: int32('Extra space, in percent of the model size, added to cache PVCs.', {default: 10, minimum: 0}),
  },
  'Storage settings for model caches.',
)

export const routingConfig: Schema = obj(
  {
    annotations: stringMap('Annotations added to the HTTPRoute.'),
    enabled: bool('Create an HTTPRoute for the service.'),
    gatewayRef: parentReference,
    pathTemplate: str("Path of the route, with JSONPath expressions in braces such as /{.metadata.namespace}/{.metadata.name} or {.metadata.labels['team']}. The rendered path is lowercased, URL-encoded per segment and at most 200 characters."),
    requestTimeout: str('Request timeout of the route (a duration such as 60s).'),
  },
  'HTTP routing through the Gateway API.',
)

/** AIMServiceRuntimeConfig, inlined into AIMService.spec and the runtime configs. */
export function serviceRuntimeConfig(): Record<string, Schema> {
  return {
    env: envList('Environment variables for the inference containers.'),
    routing: routingConfig,
    storage: storageConfig,
  }
}

export const customProfile: Schema = obj(
  {
    engineArgs: free('Inference engine arguments (for example dtype, gpu-memory-utilization).'),
    envVars: stringMap('Environment variables of the profile.'),
  },
  'A custom runtime profile, mounted into the inference container as a ConfigMap.',
)

// ------------------------------------------------------------------------------------ AIMService

const exactlyOneModel = {
  rule: '[has(self.name), has(self.image), has(self.custom)].filter(x, x).size() == 1',
  message: 'exactly one of name, image, or custom must be specified',
  check: (self: unknown) => ['name', 'image', 'custom'].filter((k) => has(self, k)).length === 1,
}

const serviceModel: Schema = withRules(
  obj(
    {
      custom: withRules(
        obj(
          {
            baseImage: str('AIM base image that runs the custom model.'),
            hardware: hardwareRequirements('Hardware the custom model needs.'),
            modelSources: arr(modelSource, 'The model artifacts; exactly one.', {minItems: 1, maxItems: 1}),
          },
          'A custom model: a base image plus model weights from hf:// or s3://.',
          {required: ['baseImage', 'hardware', 'modelSources']},
        ),
        {
          rule: 'size(self.modelSources) >= 1',
          message: 'at least one model source must be specified',
          check: (self) => isObject(self) && Array.isArray(self.modelSources) && self.modelSources.length >= 1,
        },
      ),
      image: str('AIM container image; an AIMModel for it is found or created.'),
      name: str('Name of an AIMModel in the namespace, else of an AIMClusterModel.'),
    },
    'The model to serve: exactly one of name, image or custom.',
  ),
  exactlyOneModel,
  immutable('model selection is immutable after creation'),
)

const podMetric: Schema = obj(
  {
    metric: obj(
      {
        backend: enumOf(['opentelemetry'], 'Metrics backend.', {default: 'opentelemetry'}),
        metricNames: arr(str(), 'Metrics collected from the pods.'),
        operationOverTime: str('Aggregation over time: last_one, avg, max, min, rate or count.'),
        query: str('Query that yields the metric value.'),
        serverAddress: str('Address of the metrics backend (default keda-otel-scaler.keda.svc:4317).'),
      },
      'Which metric to read and from where.',
    ),
    target: obj(
      {
        averageUtilization: int32('Target utilisation in percent (resource metrics only).'),
        averageValue: str('Target average value across pods, as a quantity.'),
        type: enumOf(['Value', 'AverageValue', 'Utilization'], 'How the target is interpreted.'),
        value: str('Target value, as a quantity.'),
      },
      'The value the autoscaler keeps the metric at.',
      {required: ['type']},
    ),
  },
  'A per-pod metric.',
  {required: ['metric', 'target']},
)

const autoScaling: Schema = obj(
  {
    metrics: arr(
      obj({podmetric: podMetric, type: enumOf(['PodMetric'], 'Type of metric source.')}, 'One metric driving the autoscaler.', {required: ['type']}),
      'Metrics for KEDA; without them KEDA scales on its defaults.',
    ),
  },
  'Autoscaling through KEDA; set minReplicas and maxReplicas too.',
)

const serviceSpec: Schema = obj(
  {
    autoScaling,
    cacheModel: bool('Deprecated and ignored; use caching.mode.'),
    caching: obj(
      {
        mode: withRules(
          enumOf(CACHING_MODES, 'Shared (default): caches outlive the service and are reused. Dedicated: caches are owned by the service. Always/Auto mean Shared, Never means Dedicated.', {default: 'Shared'}),
          immutable('caching mode is immutable after creation'),
        ),
      },
      'Model caching.',
    ),
    imagePullSecrets: imagePullSecrets('Secrets for pulling the AIM image.'),
    maxReplicas: int32('Maximum replicas when autoscaling.', {minimum: 1}),
    minReplicas: int32('Minimum replicas when autoscaling.', {minimum: 1}),
    model: serviceModel,
    overrides: obj(runtimeParameters(), 'Overrides of the template parameters used for template selection.'),
    replicas: int32('Number of replicas when not autoscaling.', {default: 1, minimum: 1}),
    resources: resourceRequirements,
    runtimeConfigName: str('AIMRuntimeConfig (namespace first, then AIMClusterRuntimeConfig) to use; "default" when empty.'),
    serviceAccountName: str('Service account of the inference pods.'),
    template: withRules(
      obj(
        {
          allowUnoptimized: bool('Allow automatic selection of unoptimized templates.'),
          name: str('AIMServiceTemplate (namespace first, then AIMClusterServiceTemplate) to use; selected automatically when empty.'),
        },
        'Template selection.',
      ),
      immutable('template selection is immutable after creation'),
    ),
    ...serviceRuntimeConfig(),
  },
  'Desired state of the service: which model, how to run it, how to expose it.',
  {required: ['model']},
)

const serviceStatus: Schema = obj(
  {
    cache: obj(
      {
        retryAttempts: int32('Retries of a failed cache.'),
        templateCacheRef: resolvedReference('The AIMTemplateCache the service uses.'),
      },
      'Cache status.',
    ),
    conditions: conditions(),
    observedGeneration: int64('The generation this status was computed from.'),
    resolvedModel: resolvedReference('The model that was resolved.'),
    resolvedRuntimeConfig: resolvedReference('The runtime config that was resolved.'),
    resolvedTemplate: resolvedReference('The template that was selected.'),
    routing: obj({path: str('The rendered HTTP path.')}, 'Observed routing.'),
    runtime: obj(
      {
        currentReplicas: int32(),
        desiredReplicas: int32(),
        maxReplicas: int32(),
        minReplicas: int32(),
        replicas: str('Replicas for display: "<current>" when min = max, else "<current>/<desired> (<min>-<max>)".'),
      },
      'Replica counts of the inference workload.',
    ),
    status: enumOf(SERVICE_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the service.',
)

export const AIMService = kindSchema('An AIM inference service: a model served by KServe on AMD GPUs, optionally routed and autoscaled.', serviceSpec, serviceStatus)

// ------------------------------------------------------------------------------------ AIMModel

const imageMetadata: Schema = obj(
  {
    model: obj(
      {
        canonicalName: str('Canonical model name, such as Qwen/Qwen3-32B.'),
        descriptionFull: str('Long description of the model.'),
        hfTokenRequired: bool('Whether downloading the model needs a Hugging Face token.'),
        recommendedDeployments: arr(
          obj(
            {
              description: str('What the deployment is for.'),
              gpuCount: int32('GPUs per replica.'),
              gpuModel: str('GPU model, such as MI300X.'),
              metric: str('latency or throughput.'),
              precision: str('Precision of the profile.'),
              profileId: str('Runtime profile identifier.'),
            },
            'A recommended deployment.',
          ),
          'Deployments the image publisher recommends.',
        ),
        releaseNotes: str('Release notes of the image.'),
        source: str('Where the model comes from, such as a Hugging Face repository.'),
        tags: arr(str(), 'Tags of the model.'),
        title: str('Title of the model.'),
        variants: arr(str(), 'Variants of the model.'),
        versions: arr(str(), 'Versions of the model.'),
      },
      'Model metadata from the image labels.',
    ),
    oci: free('OCI image annotations (title, description, licenses, vendor, …).'),
    originalLabels: stringMap('The image labels as read.'),
  },
  'Metadata of the AIM image.',
)

const modelTypeEnum = (description: string, o: Partial<Schema> = {}) => enumOf(TEMPLATE_TYPES, description, o)

const customTemplate: Schema = obj(
  {
    aimId: str('AIM identifier the profile is for.'),
    customProfile,
    env: {...envList('Environment variables of the template.'), maxItems: 64},
    hardware: hardwareRequirements('Hardware of the template.'),
    modelId: str('Model identifier the profile is for.'),
    name: str('Name of the generated template.', {maxLength: 63}),
    profile: obj({metric: enumOf(METRICS, 'Optimisation goal.'), precision: enumOf(PRECISIONS, 'Numeric precision.')}, 'Profile selection.'),
    type: modelTypeEnum('Optimisation level of the template.', {default: 'unoptimized'}),
  },
  'A template the model controller creates.',
)

const modelSpec: Schema = withRules(
  obj(
    {
      custom: obj({hardware: hardwareRequirements('Default hardware of the custom templates.'), type: modelTypeEnum('Default type of the custom templates.')}, 'Defaults for custom models.'),
      customTemplates: arr(customTemplate, 'Templates to create for this model.', {maxItems: 16}),
      defaultServiceTemplate: str('Deprecated; not used.'),
      discovery: obj(
        {
          createServiceTemplates: bool('Create templates from the recommended deployments.', {default: true}),
          extractMetadata: bool('Read metadata from the image.', {default: true}),
        },
        'Discovery of the image metadata.',
      ),
      env: envList('Environment variables for services of this model.'),
      image: str('AIM container image.', {minLength: 1}),
      imageMetadata,
      imagePullSecrets: imagePullSecrets(),
      modelSources: arr(modelSource, 'Model artifacts; set for a custom model.', {maxItems: 1}),
      resources: resourceRequirements,
      runtimeConfigName: str('Runtime config to use; "default" when empty.'),
      serviceAccountName: str('Service account of discovery jobs.'),
    },
    'Desired state of the model.',
    {required: ['image']},
  ),
  {
    rule: '!has(self.modelSources) || size(self.modelSources) == 0 || (has(self.custom) && has(self.custom.hardware)) || (has(self.customTemplates) && size(self.customTemplates) > 0 && self.customTemplates.all(t, has(t.hardware)))',
    message: 'hardware must be set in custom.hardware or on every customTemplate when modelSources is set',
    check: (self) => {
      if (!isObject(self)) return true
      const sources = self.modelSources
      if (!Array.isArray(sources) || sources.length === 0) return true
      if (isObject(self.custom) && has(self.custom, 'hardware')) return true
      const templates = self.customTemplates
      return Array.isArray(templates) && templates.length > 0 && templates.every((t) => has(t, 'hardware'))
    },
  },
)

const modelStatus: Schema = obj(
  {
    conditions: conditions(),
    imageMetadata,
    observedGeneration: int64(),
    resolvedRuntimeConfig: resolvedReference('The runtime config that was resolved.'),
    sourceType: enumOf(['Image', 'Custom'], 'Whether the model comes from an image or custom sources.'),
    status: enumOf(AIM_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the model.',
)

export const AIMModel = kindSchema('An AIM model in a namespace: an AIM image and its discovered metadata.', modelSpec, modelStatus)
export const AIMClusterModel = kindSchema('An AIM model available to every namespace.', modelSpec, modelStatus)

// ------------------------------------------------------------------------------------ templates

function templateSpec(namespaced: boolean): Schema {
  const properties: Record<string, Schema> = {
    aimId: str('AIM identifier (custom profiles).'),
    customProfile,
    env: envList('Environment variables of the template.'),
    imagePullSecrets: imagePullSecrets(),
    modelId: str('Model identifier (custom profiles).'),
    modelName: withRules(
      str(namespaced ? 'Name of the AIMModel in the same namespace.' : 'Name of the AIMClusterModel.', {minLength: 1}),
      immutable('modelName is immutable'),
    ),
    modelSources: arr(modelSource, 'Model artifacts; discovery is skipped when set.'),
    profileId: str('Runtime profile to use.'),
    resources: resourceRequirements,
    runtimeConfigName: str('Runtime config to use; "default" when empty.'),
    serviceAccountName: str('Service account of discovery jobs.'),
    type: modelTypeEnum('Optimisation level: optimized, preview or unoptimized.'),
    ...runtimeParameters(),
  }
  if (namespaced) {
    properties.caching = obj(
      {enabled: bool('Warm a cache for this template.', {default: false}), env: envList('Environment variables of the download jobs.')},
      'Caching of the template\'s model sources.',
    )
  }
  return obj(properties, 'Desired state of the template: model, optimisation goal, precision, hardware.', {required: ['modelName']})
}

const templateStatus: Schema = obj(
  {
    conditions: conditions(),
    discovery: obj({attempts: int32(), lastAttemptTime: str(undefined, {format: 'date-time'}), lastFailureReason: str(), specHash: str()}, 'Discovery attempts.'),
    discoveryJob: obj({name: str(), namespace: str()}, 'The discovery Job.'),
    hardwareSummary: str('Hardware as "<n> x <MODEL>", "<MODEL>" or "CPU".'),
    modelSources: arr(modelSource, 'Model sources found by discovery.'),
    observedGeneration: int64(),
    profile: obj(
      {
        engine_args: free('Engine arguments of the profile.'),
        env_vars: stringMap('Environment of the profile.'),
        metadata: obj({engine: str(), gpu: str(), gpuCount: int32(), metric: str(), precision: str(), type: str()}, 'Profile metadata.'),
        originalDiscoveryOutput: free('The discovery output as read.'),
      },
      'The runtime profile discovery chose.',
    ),
    resolvedCache: resolvedReference('The template cache.'),
    resolvedHardware: obj(
      {cpu: obj({limits: quantity(), requests: quantity()}), gpu: obj({minVram: quantity(), model: str(), requests: int32(), resourceName: str()})},
      'Hardware after resolution.',
    ),
    resolvedModel: resolvedReference('The model of the template.'),
    resolvedNodeAffinity: nodeAffinity,
    resolvedRuntimeConfig: resolvedReference('The runtime config that was resolved.'),
    status: enumOf(AIM_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the template.',
)

export const AIMServiceTemplate = kindSchema('A runtime profile for one model in a namespace.', templateSpec(true), templateStatus)
export const AIMClusterServiceTemplate = kindSchema('A runtime profile for one cluster model, usable from every namespace.', templateSpec(false), templateStatus)

// ------------------------------------------------------------------------------------ caches

const templateCacheSpec: Schema = obj(
  {
    downloadImage: str('Not used.'),
    env: envList('Environment variables of the download jobs.'),
    imagePullSecrets: imagePullSecrets(),
    mode: enumOf(['Dedicated', 'Shared'], 'Shared caches outlive their users; Dedicated ones are owned.', {default: 'Shared'}),
    modelSources: arr(modelSource, 'Not used.'),
    runtimeConfigName: str('Runtime config to use; "default" when empty.'),
    storageClassName: str('Storage class of the cache PVCs.'),
    templateName: str('Template to warm.', {minLength: 1}),
    templateScope: enumOf(['Namespace', 'Cluster', 'Unknown'], 'Where to look for the template; Unknown tries the namespace first.'),
  },
  'Desired state of the template cache.',
  {required: ['templateName', 'templateScope']},
)

const templateCacheStatus: Schema = obj(
  {
    artifacts: {
      type: 'object',
      description: 'Artifacts of the cache, by artifact name.',
      additionalProperties: obj({
        mountPoint: str(),
        model: str(),
        name: str(),
        persistentVolumeClaim: str(),
        status: str(),
        uid: str(),
      }),
    },
    conditions: conditions(),
    observedGeneration: int64(),
    resolvedTemplateKind: str('Kind of the template that was found.'),
    status: enumOf(AIM_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the template cache.',
)

export const AIMTemplateCache = kindSchema('Pre-downloaded model artifacts of one template.', templateCacheSpec, templateCacheStatus)

const artifactSpec: Schema = obj(
  {
    env: envList('Environment variables of the download job.'),
    imagePullSecrets: imagePullSecrets(),
    modelDownloadImage: str('Image of the downloader.', {default: DEFAULT_DOWNLOAD_IMAGE}),
    modelId: str('Model identifier.'),
    runtimeConfigName: str('Runtime config to use; "default" when empty.'),
    size: quantity('Size of the model; 0 or absent means discover it.'),
    sourceUri: withRules(str('Where to download from: hf://org/name or s3://bucket/path.', {pattern: SOURCE_URI_PATTERN}), immutable('sourceUri is immutable')),
    storageClassName: str('Storage class of the PVC.'),
  },
  'Desired state of the artifact.',
  {required: ['sourceUri']},
)

const artifactStatus: Schema = obj(
  {
    allocatedSize: quantity('Size of the PVC.'),
    conditions: conditions(),
    discoveredSizeBytes: int64('Size found by the size check.'),
    displaySize: str('Size for humans.'),
    download: obj(
      {attempt: int32(), message: str(), protocol: str(), protocolSequence: str(), totalAttempts: int32()},
      'Progress reported by the downloader.',
    ),
    headroomPercent: int32(),
    lastUsed: str(undefined, {format: 'date-time'}),
    mode: enumOf(['Dedicated', 'Shared'], 'Dedicated when owned.'),
    observedGeneration: int64(),
    persistentVolumeClaim: str('The PVC holding the files.'),
    progress: obj(
      {
        displayPercentage: str(),
        downloadedBytes: int64(),
        percentage: int32(undefined, {minimum: 0, maximum: 100}),
        totalBytes: int64(),
      },
      'Download progress.',
    ),
    status: enumOf(AIM_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the artifact.',
)

export const AIMArtifact = kindSchema('Model files downloaded into a PVC.', artifactSpec, artifactStatus)

// ------------------------------------------------------------------------------------ runtime config

const runtimeConfigSpec: Schema = obj(
  {
    defaultStorageClassName: str('Deprecated; use storage.defaultStorageClassName.'),
    labelPropagation: obj(
      {enabled: bool('Copy matching labels to children.', {default: false}), match: arr(str(), 'Label key globs to copy.')},
      'Propagation of the parent\'s labels to the objects it creates.',
    ),
    model: obj({autoDiscovery: bool('Not used.')}, 'Model settings.'),
    pvcHeadroomPercent: int32('Deprecated; use storage.pvcHeadroomPercent.', {minimum: 0}),
    ...serviceRuntimeConfig(),
  },
  'Defaults for services, models and caches: storage, routing, environment.',
)

const runtimeConfigStatus: Schema = obj({conditions: conditions(), observedGeneration: int64()}, 'Observed state of the runtime config.')

export const AIMRuntimeConfig = kindSchema('Runtime defaults for one namespace.', runtimeConfigSpec, runtimeConfigStatus)
export const AIMClusterRuntimeConfig = kindSchema('Runtime defaults for every namespace.', runtimeConfigSpec, runtimeConfigStatus)

// ------------------------------------------------------------------------------------ model source

const modelSourceSpec: Schema = obj(
  {
    filters: arr(
      obj(
        {
          exclude: arr(str(), 'Repository names to skip.'),
          image: str('Repository to match; * is a wildcard; a full URI overrides the registry.', {maxLength: 512}),
          versions: arr(str(), 'Semver constraints for this filter.'),
        },
        'Which images to import.',
        {required: ['image']},
      ),
      'Image filters.',
      {minItems: 1, maxItems: 100},
    ),
    imagePullSecrets: imagePullSecrets('Secrets in the operator namespace for the registry.'),
    maxModels: int32('Most models to create.', {default: 100, minimum: 1, maximum: 10000}),
    registry: str('Registry to scan.', {default: 'docker.io'}),
    syncInterval: str('How often to rescan.', {default: '1h'}),
    versions: arr(str(), 'Semver constraints for every filter.'),
  },
  'Which registry images become AIMClusterModels.',
  {required: ['filters']},
)

const modelSourceStatus: Schema = obj(
  {
    availableModels: int32(),
    conditions: conditions(),
    discoveredModels: int32(),
    lastSyncTime: str(undefined, {format: 'date-time'}),
    modelsLimitReached: bool(),
    observedGeneration: int64(),
    status: enumOf(AIM_STATUSES, 'Overall status.', {default: 'Pending'}),
  },
  'Observed state of the model source.',
)

export const AIMClusterModelSource = kindSchema('Creates AIMClusterModels from the images of a container registry.', modelSourceSpec, modelSourceStatus)

// ------------------------------------------------------------------------------------ KV cache

export const kvCacheStorage: Schema = withRules(
  obj(
    {
      accessModes: arr(str(), 'Access modes of the PVC.', {default: ['ReadWriteOnce']}),
      size: quantity('Size of the PVC.'),
      storageClassName: str('Storage class of the PVC.'),
    },
    'Storage of the cache; immutable once set.',
  ),
  immutable('storage is immutable once set'),
)

const kvCacheSpec: Schema = obj(
  {
    env: envList('Environment of the cache pods.'),
    image: str('Image of the cache backend.'),
    kvCacheType: enumOf(['redis'], 'Backend of the cache.', {default: 'redis'}),
    resources: resourceRequirements,
    storage: {...kvCacheStorage, properties: {...kvCacheStorage.properties, size: {...quantity('Size of the PVC.'), default: '1Gi'}}},
  },
  'Desired state of the KV cache.',
)

const kvCacheStatus: Schema = obj(
  {
    conditions: conditions(),
    endpoint: str('Connection URL, redis://<service>:6379.'),
    lastError: str(),
    observedGeneration: int64(),
    readyReplicas: int32(),
    replicas: int32(),
    serviceName: str(),
    statefulSetName: str(),
    status: enumOf(['Pending', 'Progressing', 'Ready', 'Failed'], 'Overall status.', {default: 'Pending'}),
    storageSize: str(),
  },
  'Observed state of the KV cache.',
)

export const AIMKVCache = kindSchema('A shared KV cache (Redis) for inference services.', kvCacheSpec, kvCacheStatus)

export const AIM_SCHEMAS: Record<string, Schema> = {
  AIMService,
  AIMModel,
  AIMClusterModel,
  AIMServiceTemplate,
  AIMClusterServiceTemplate,
  AIMTemplateCache,
  AIMArtifact,
  AIMRuntimeConfig,
  AIMClusterRuntimeConfig,
  AIMClusterModelSource,
  AIMKVCache,
}

/** Schemas of ome.io/v1beta1 (reference ome.md §1). Pod-spec parts preserve unknown fields. */
import {arr, bool, conditions, enumOf, free, int32, intOrString, obj, type Schema, str, stringMap} from '../schema.js'
import {kindSchema} from './aim.js'

const kedaConfig: Schema = obj(
  {
    authModes: str('Comma-separated list of basic, tls, bearer, custom.'),
    authenticationRef: obj({kind: str(undefined, {default: 'TriggerAuthentication'}), name: str()}, 'KEDA authentication.', {required: ['name']}),
    customPromQuery: str('Prometheus query.'),
    enableKeda: bool('Scale with KEDA.'),
    promServerAddress: str('Prometheus address.'),
    scalingOperator: str('Comparison operator.'),
    scalingThreshold: str('Threshold value.'),
  },
  'KEDA autoscaling.',
)

const extension: Record<string, Schema> = {
  annotations: stringMap('Annotations of the component objects.'),
  canaryTrafficPercent: int32(),
  containerConcurrency: int32(),
  deploymentStrategy: free('Deployment strategy (raw mode).'),
  kedaConfig,
  labels: stringMap('Labels of the component objects.'),
  maxReplicas: int32('Maximum replicas (webhook default 3 for engine and decoder, 2 for router).'),
  maxUnavailable: intOrString(),
  minAvailable: intOrString(),
  minReplicas: int32('Minimum replicas (webhook default 1); 0 enables scale to zero.'),
  scaleMetric: enumOf(['cpu', 'memory', 'concurrency', 'rps', 'tps'], 'Metric to scale on.'),
  scaleTarget: int32('Target value of the metric.'),
  timeoutSeconds: int32(),
}

const container = (description: string): Schema => free(description)

const component = (description: string): Schema => ({
  ...free(description),
  properties: {
    ...extension,
    acceleratorOverride: free('Accelerator selection for this component.'),
    leader: {...free('Leader pod of a multi-node deployment.'), properties: {runner: container('Leader container.')}},
    runner: container('The main container.'),
    worker: {...free('Worker pods of a multi-node deployment.'), properties: {runner: container('Worker container.'), size: int32('Number of worker pods.')}},
  },
})

const router: Schema = {...free('Routes requests between engine and decoder.'), properties: {...extension, config: stringMap('Appended to the router as environment variables.'), runner: container('Router container.')}}

const isvcSpec: Schema = obj(
  {
    acceleratorSelector: free('Accelerator class selection.'),
    decoder: component('Decoder of a prefill/decode disaggregated deployment.'),
    engine: component('The main inference component.'),
    kedaConfig,
    model: obj(
      {
        apiGroup: str(undefined, {default: 'ome.io'}),
        fineTunedWeights: arr(str(), 'Fine-tuned weights to apply (one at most).'),
        kind: str(undefined, {default: 'ClusterBaseModel'}),
        name: str('Name of the BaseModel or ClusterBaseModel.'),
      },
      'The model to serve.',
      {required: ['name']},
    ),
    predictor: free('Deprecated KServe-style predictor; migrated to engine.'),
    router,
    runtime: obj({apiGroup: str(), kind: str(undefined, {default: 'ClusterServingRuntime'}), name: str()}, 'The serving runtime; auto-selected when absent.', {required: ['name']}),
  },
  'Desired state of the OME inference service.',
)

const isvcStatus: Schema = {
  ...free('Observed state (Knative duck type).'),
  properties: {conditions: conditions(), observedGeneration: int32(), url: str()},
}

export const OMEInferenceService = kindSchema('An OME inference service: engine, optional decoder and router.', isvcSpec, isvcStatus)

const baseModelSpec: Schema = {
  ...free('The model: format, architecture, size, storage.'),
  properties: {
    apiCapabilities: arr(str()),
    compartmentID: str(),
    disabled: bool(),
    displayName: str(),
    maxTokens: int32(),
    modelArchitecture: str(),
    modelCapabilities: arr(str()),
    modelConfiguration: free(),
    modelFormat: obj({name: str(), operator: str(undefined, {default: 'Equal'}), version: str(), weight: int32(undefined, {default: 1})}, 'Format of the weights.', {required: ['name']}),
    modelFramework: obj({name: str(), operator: str(), version: str(), weight: int32()}, 'Framework of the weights.'),
    modelParameterSize: str('Parameter count, e.g. 70B.'),
    modelType: str(),
    quantization: str(),
    servingMode: arr(str()),
    storage: free('Where the weights are and which nodes get them.'),
    vendor: str(),
    version: str(),
  },
}

const baseModelStatus: Schema = {
  ...free('Observed state of the model.'),
  properties: {
    lifecycle: str(),
    nodesFailed: arr(str()),
    nodesReady: arr(str()),
    state: enumOf(['Creating', 'Importing', 'In_Transit', 'In_Training', 'Ready', 'Failed']),
  },
}

export const BaseModel = kindSchema('A model available in one namespace.', baseModelSpec, baseModelStatus)
export const ClusterBaseModel = kindSchema('A model available to every namespace.', baseModelSpec, baseModelStatus)

const runtimeSpec: Schema = {
  ...free('A serving runtime: supported formats and component templates.'),
  properties: {
    decoderConfig: component('Decoder template.'),
    disabled: bool(),
    engineConfig: component('Engine template.'),
    modelSizeRange: obj({max: str(), min: str()}, 'Model sizes the runtime serves, e.g. 7B..70B.'),
    protocolVersions: arr(str()),
    routerConfig: router,
    supportedModelFormats: arr(
      {
        ...free('A model format the runtime serves.'),
        properties: {autoSelect: bool(), name: str(), priority: int32(undefined, {minimum: 1}), version: str()},
      },
      'Model formats the runtime serves.',
    ),
  },
}

export const ServingRuntime = kindSchema('A serving runtime in one namespace.', runtimeSpec, free('Unused.'))
export const ClusterServingRuntime = kindSchema('A serving runtime for every namespace.', runtimeSpec, free('Unused.'))

export const OME_SCHEMAS: Record<string, Schema> = {
  InferenceService: OMEInferenceService,
  BaseModel,
  ClusterBaseModel,
  ServingRuntime,
  ClusterServingRuntime,
}

/** Small builders for engine tests: plain objects shaped like the real kinds. */
import type {KubeObject} from '../../../src/api/object.js'

export const AIM = 'aim.eai.amd.com/v1alpha1'

export interface TemplateOpts {
  ns?: string
  model?: string
  status?: string
  type?: string
  gpu?: string
  count?: number
  metric?: string
  precision?: string
  /** Put metric/precision/gpu only on the spec (no profile). */
  noProfile?: boolean
}

export function template(name: string, o: TemplateOpts = {}): KubeObject {
  const spec: Record<string, unknown> = {modelName: o.model ?? 'qwen'}
  if (o.gpu || o.count) spec.hardware = {gpu: {...(o.gpu ? {model: o.gpu} : {}), ...(o.count ? {requests: o.count} : {})}}
  if (o.noProfile) {
    if (o.metric) spec.metric = o.metric
    if (o.precision) spec.precision = o.precision
  }
  const status: Record<string, unknown> = {status: o.status ?? 'Ready'}
  if (!o.noProfile) {
    status.profile = {metadata: {engine: 'vllm', gpu: o.gpu, gpuCount: o.count, metric: o.metric ?? 'latency', precision: o.precision ?? 'fp16', type: o.type ?? 'optimized'}}
  }
  return {
    apiVersion: AIM,
    kind: o.ns ? 'AIMServiceTemplate' : 'AIMClusterServiceTemplate',
    metadata: {name, ...(o.ns ? {namespace: o.ns} : {}), uid: `uid-${name}`},
    spec,
    status,
  }
}

export function service(name: string, ns: string, spec: Record<string, unknown> = {}, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {apiVersion: AIM, kind: 'AIMService', metadata: {name, namespace: ns, uid: `uid-${name}`, generation: 1, ...extra}, spec}
}

export function model(name: string, o: {ns?: string; image?: string; status?: string} = {}): KubeObject {
  return {
    apiVersion: AIM,
    kind: o.ns ? 'AIMModel' : 'AIMClusterModel',
    metadata: {name, ...(o.ns ? {namespace: o.ns} : {}), uid: `uid-${name}`},
    spec: {image: o.image ?? `img/${name}:1`},
    status: {status: o.status ?? 'Ready'},
  }
}

export function node(name: string, labels: Record<string, string>, gpus = 8): KubeObject {
  return {apiVersion: 'v1', kind: 'Node', metadata: {name, labels}, status: {capacity: {'amd.com/gpu': String(gpus)}, allocatable: {'amd.com/gpu': String(gpus)}}}
}

/**
 * Simulated metrics: what metrics-server (`metrics.k8s.io/v1beta1`, for `kubectl top`) and a vLLM
 * server's `/metrics` endpoint would report for the fake pods. Usage follows the load set with
 * faults.setLoad(); values are deterministic.
 */
import type {KubeObject} from '../../src/api/object.js'
import {parseQuantity} from '../../src/engine/quantity.js'
import type {VirtualClock} from '../clock/index.js'
import type {Store} from '../store/types.js'
import type {FaultInjector} from './faults.js'

const PODS = {group: '', plural: 'pods'}

interface ContainerLike {
  name: string
  image?: string
  resources?: {requests?: Record<string, string | number>; limits?: Record<string, string | number>}
}

/** The inference service a pod serves (KServe or OME label), the key of faults.setLoad. */
export function inferenceServiceOf(pod: KubeObject): string | undefined {
  const l = pod.metadata.labels ?? {}
  return l['serving.kserve.io/inferenceservice'] ?? l['ome.io/inferenceservice'] ?? l['serving.ome.io/inferenceservice']
}

function runningRequestsPerPod(store: Store, faults: FaultInjector, pod: KubeObject): number {
  const isvc = inferenceServiceOf(pod)
  if (!isvc) return 0
  const ready = store
    .list(PODS, {namespace: pod.metadata.namespace})
    .items.filter((p) => inferenceServiceOf(p) === isvc && (p.status as {phase?: string} | undefined)?.phase === 'Running').length
  return faults.getLoad(pod.metadata.namespace ?? '', isvc) / Math.max(1, ready)
}

function formatCpu(cores: number): string {
  return `${Math.max(0, Math.round(cores * 1e9))}n`
}

function formatMemory(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`
}

/** Usage of one container under the simulated load (cores, bytes). */
export function containerUsage(store: Store, faults: FaultInjector, pod: KubeObject, c: ContainerLike): {cpu: number; memory: number} {
  const perPod = runningRequestsPerPod(store, faults, pod)
  const gpus = parseQuantity(c.resources?.limits?.['amd.com/gpu'] ?? c.resources?.requests?.['amd.com/gpu']) ?? 0
  const memLimit = parseQuantity(c.resources?.limits?.memory ?? c.resources?.requests?.memory)
  // An inference server holds its weights in host memory too; an idle sidecar uses little.
  const cpu = gpus > 0 ? 0.4 + 0.25 * perPod : 0.002 + 0.01 * perPod
  const memory = gpus > 0 ? Math.min(memLimit ?? Infinity, 12 * 2 ** 30 * gpus + perPod * 64 * 2 ** 20) : 24 * 2 ** 20
  return {cpu, memory}
}

/**
 * A usage model for the API server's metrics.k8s.io stand-in (simulator/apiserver/metrics.ts
 * `UsageModel`): `kubectl top` then follows faults.setLoad().
 */
export function loadUsageModel(store: Store, faults: FaultInjector): (pod: KubeObject, container: ContainerLike) => {cpu: number; memory: number} {
  return (pod, container) => containerUsage(store, faults, pod, container)
}

/** `metrics.k8s.io/v1beta1` PodMetrics for the running pods (all namespaces when none is given). */
export function podMetrics(store: Store, faults: FaultInjector, clock: VirtualClock, namespace?: string): KubeObject[] {
  const out: KubeObject[] = []
  for (const pod of store.list(PODS, namespace ? {namespace} : {}).items) {
    if ((pod.status as {phase?: string} | undefined)?.phase !== 'Running') continue
    const containers = ((pod.spec as {containers?: ContainerLike[]} | undefined)?.containers ?? []).map((c) => {
      const {cpu, memory} = containerUsage(store, faults, pod, c)
      return {name: c.name, usage: {cpu: formatCpu(cpu), memory: formatMemory(memory)}}
    })
    out.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace, labels: {...(pod.metadata.labels ?? {})}, creationTimestamp: clock.nowISO()},
      timestamp: clock.nowISO(),
      window: '15s',
      containers,
    })
  }
  return out
}

/** A vLLM server's Prometheus metrics for one pod (the series the seeds scale on). */
export function vllmMetricsText(store: Store, faults: FaultInjector, pod: KubeObject, modelName = 'model'): string {
  const running = runningRequestsPerPod(store, faults, pod)
  const label = `model_name="${modelName}"`
  return [
    '# HELP vllm:num_requests_running Number of requests currently running on GPU.',
    '# TYPE vllm:num_requests_running gauge',
    `vllm:num_requests_running{${label}} ${running}`,
    '# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
    '# TYPE vllm:num_requests_waiting gauge',
    `vllm:num_requests_waiting{${label}} ${Math.max(0, running - 256)}`,
    '# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.',
    '# TYPE vllm:gpu_cache_usage_perc gauge',
    `vllm:gpu_cache_usage_perc{${label}} ${Math.min(1, running / 64).toFixed(4)}`,
    '',
  ].join('\n')
}

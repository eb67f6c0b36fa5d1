/**
 * Engine figures: template selection over 10,000 templates (target < 20 ms median), and the
 * naming hash for comparison. One namespaced template (t-0) is the unique best, so the outcome
 * is `selected` after every stage has run over all candidates.
 */
import type {KubeObject} from '../../src/api/object.js'
import {clusterGpus, inferenceServiceName, selectTemplate} from '../../src/engine/index.js'
import type {BenchRow} from './types.js'

const GPUS = ['MI325X', 'MI300X', 'MI250X', 'MI210', 'MI355X']
const DEVICE: Record<string, string> = {MI325X: '74a5', MI300X: '74a1', MI250X: '7408', MI210: '740f', MI355X: '75a3'}
const METRICS = ['latency', 'throughput']
const PRECISIONS = ['int4', 'fp8', 'int8', 'fp16', 'bf16', 'fp32', 'auto']
const TYPES = ['optimized', 'preview', 'unoptimized']
const STATUSES = ['Ready', 'Ready', 'Ready', 'NotAvailable', 'Pending']

function templates(n: number, ns: string): {namespaced: KubeObject[]; cluster: KubeObject[]} {
  const namespaced: KubeObject[] = []
  const cluster: KubeObject[] = []
  for (let i = 0; i < n; i++) {
    const gpu = GPUS[i % GPUS.length]!
    const t: KubeObject = {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: i % 4 === 0 ? 'AIMServiceTemplate' : 'AIMClusterServiceTemplate',
      metadata: {name: `t-${i}`, ...(i % 4 === 0 ? {namespace: i % 8 === 0 ? ns : 'other'} : {})},
      spec: {modelName: i % 10 === 9 ? 'other-model' : 'qwen', hardware: {gpu: {model: gpu, requests: 1 + (i % 8)}}},
      status: {
        status: STATUSES[i % STATUSES.length],
        profile: {metadata: {gpu, gpuCount: 1 + (i % 8), metric: METRICS[i % 2], precision: i === 0 ? 'fp4' : PRECISIONS[i % PRECISIONS.length], type: TYPES[i % 3]}},
      },
    }
    ;(t.metadata.namespace ? namespaced : cluster).push(t)
  }
  return {namespaced, cluster}
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export async function bench(): Promise<BenchRow[]> {
  const ns = 'ml-team'
  const {namespaced, cluster} = templates(10_000, ns)
  const gpus = clusterGpus(['MI300X', 'MI325X', 'MI210'].map((g, i) => ({apiVersion: 'v1', kind: 'Node', metadata: {name: `n${i}`, labels: {'amd.com/gpu.device-id': DEVICE[g]!}}})))
  const service: KubeObject = {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 's', namespace: ns}, spec: {model: {name: 'qwen'}, template: {allowUnoptimized: true}}}
  const input = {service, modelName: 'qwen', namespacedTemplates: namespaced, clusterTemplates: cluster, gpus}
  for (let i = 0; i < 5; i++) selectTemplate(input)
  const times: number[] = []
  let outcome = ''
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now()
    outcome = selectTemplate(input).outcome
    times.push(performance.now() - t0)
  }
  const strict = {...input, service: {...service, spec: {model: {name: 'qwen'}}}}
  const strictTimes: number[] = []
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now()
    selectTemplate(strict)
    strictTimes.push(performance.now() - t0)
  }
  const nameStart = performance.now()
  const N = 20_000
  for (let i = 0; i < N; i++) inferenceServiceName(`svc-${i}`, 'ml-team')
  const perName = ((performance.now() - nameStart) / N) * 1000
  return [
    {area: 'engine', name: 'selectTemplate, 10,000 templates (allowUnoptimized), median', value: median(times), unit: 'ms', target: {op: '<', value: 20}, note: `outcome ${outcome}`},
    {area: 'engine', name: 'selectTemplate, 10,000 templates (optimized only), median', value: median(strictTimes), unit: 'ms', target: {op: '<', value: 20}},
    {area: 'engine', name: 'inferenceServiceName (SHA-256 derived name)', value: perName, unit: 'µs'},
  ]
}

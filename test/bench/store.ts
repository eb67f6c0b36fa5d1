/**
 * Object store figures: in-process write throughput with 10 active watchers, list latency for
 * 1,000 objects, server-side apply throughput and durable (fsynced) write throughput.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {KubeObject} from '../../src/api/object.js'
import {VirtualClock} from '../../simulator/clock/index.js'
import {createStore} from '../../simulator/store/index.js'
import type {BenchRow} from './types.js'

const PODS = {group: '', plural: 'pods'}

function pod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name: `pod-${i}`, namespace: 'default', labels: {app: `app-${i % 10}`, tier: 'bench'}},
    spec: {nodeName: `node-${i % 8}`, containers: [{name: 'main', image: 'rocm/vllm:latest', resources: {limits: {'amd.com/gpu': '1'}}}]},
  }
}

function writesWithWatchers(): {rate: number; delivered: number} {
  const store = createStore({clock: new VirtualClock(), seed: 'bench'})
  let delivered = 0
  for (let w = 0; w < 10; w++) {
    // A mix like the API server's: some watch everything, some filter by label or field.
    const opts = w < 4 ? {} : w < 7 ? {labelSelector: `app=app-${w}`} : {fieldSelector: `spec.nodeName=node-${w}`}
    store.watch(PODS, opts, () => delivered++)
  }
  const n = 5000
  const updates = 3
  const start = performance.now()
  for (let i = 0; i < n; i++) store.create(pod(i))
  for (let round = 0; round < updates; round++) {
    for (let i = 0; i < n; i++) {
      store.mutate(PODS, 'default', `pod-${i}`, (o) => {
        o.status = {phase: round === 0 ? 'Pending' : 'Running', podIP: `10.0.${i >> 8}.${i & 255}`, round}
      }, {subresource: 'status'})
    }
  }
  const seconds = (performance.now() - start) / 1000
  return {rate: (n * (1 + updates)) / seconds, delivered}
}

function listLatency(): {all: number; selected: number} {
  const store = createStore({clock: new VirtualClock(), seed: 'bench'})
  for (let i = 0; i < 1000; i++) store.create(pod(i))
  store.list(PODS) // warm the sorted index once, as a steady-state server has it
  const reps = 50
  let t = performance.now()
  for (let r = 0; r < reps; r++) store.list(PODS, {namespace: 'default'})
  const all = (performance.now() - t) / reps
  t = performance.now()
  for (let r = 0; r < reps; r++) store.list(PODS, {namespace: 'default', labelSelector: 'app=app-3,tier in (bench)'})
  const selected = (performance.now() - t) / reps
  return {all, selected}
}

function applyRate(): number {
  const store = createStore({clock: new VirtualClock(), seed: 'bench'})
  const n = 1000
  const svc = (i: number, replicas: number): KubeObject => ({
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMService',
    metadata: {name: `svc-${i}`, namespace: 'default', labels: {team: 'bench'}},
    spec: {model: {name: 'meta-llama-3-8b-instruct'}, replicas, routing: {enabled: true}, env: [{name: 'A', value: 'b'}]},
  })
  const start = performance.now()
  for (let i = 0; i < n; i++) store.apply(svc(i, 1), {fieldManager: 'kubectl'})
  for (let i = 0; i < n; i++) store.apply(svc(i, 2), {fieldManager: 'kubectl'})
  return (2 * n) / ((performance.now() - start) / 1000)
}

function durableRate(): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-bench-'))
  try {
    const store = createStore({clock: new VirtualClock(), seed: 'bench', statePath: path.join(dir, 'state.jsonl')})
    const n = 300
    const start = performance.now()
    for (let i = 0; i < n; i++) store.create(pod(i))
    const rate = n / ((performance.now() - start) / 1000)
    store.close()
    return rate
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

export async function bench(): Promise<BenchRow[]> {
  const writes = writesWithWatchers()
  const list = listLatency()
  const apply = applyRate()
  const durable = durableRate()
  return [
    {area: 'store', name: 'writes/s in-process, 10 watchers', value: writes.rate, unit: 'ops/s', target: {op: '>=', value: 2000}, note: `${writes.delivered} events delivered`},
    {area: 'store', name: 'list 1,000 pods', value: list.all, unit: 'ms', target: {op: '<=', value: 5}},
    {area: 'store', name: 'list 1,000 pods with a label selector', value: list.selected, unit: 'ms', target: {op: '<=', value: 5}},
    {area: 'store', name: 'server-side applies/s', value: apply, unit: 'ops/s'},
    {area: 'store', name: 'durable writes/s (fdatasync each)', value: durable, unit: 'ops/s', note: 'depends on the disk'},
  ]
}

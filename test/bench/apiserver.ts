/**
 * API server figures over loopback HTTPS: start-to-ready, single-object write and read latency,
 * write throughput with 10 watchers attached, and listing 1,000 objects.
 */
import {Agent, request} from 'node:https'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {generateServingCert} from '../../simulator/apiserver/tls.js'
import type {BenchRow} from './types.js'

const AREA = 'apiserver'
const CM_PATH = '/api/v1/namespaces/default/configmaps'

interface Client {
  call(method: string, path: string, body?: unknown, accept?: string): Promise<{status: number; text: string}>
  watch(path: string, onLine: () => void): () => void
  close(): void
}

function client(sim: Simulator): Client {
  const agent = new Agent({keepAlive: true, maxSockets: 16, ca: sim.caCert})
  const auth = `Bearer ${sim.token}`
  return {
    call: (method, path, body, accept) =>
      new Promise((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body)
        const headers: Record<string, string> = {Authorization: auth, Accept: accept ?? 'application/json'}
        if (text !== undefined) {
          headers['Content-Type'] = 'application/json'
          headers['Content-Length'] = String(Buffer.byteLength(text))
        }
        const req = request(`${sim.url}${path}`, {method, agent, headers}, (res) => {
          let out = ''
          res.on('data', (d: Buffer) => (out += d.toString()))
          res.on('end', () => resolve({status: res.statusCode ?? 0, text: out}))
        })
        req.on('error', reject)
        if (text !== undefined) req.write(text)
        req.end()
      }),
    watch: (path, onLine) => {
      const req = request(`${sim.url}${path}`, {headers: {Authorization: auth}, ca: sim.caCert}, (res) => {
        let buf = ''
        res.on('data', (d: Buffer) => {
          buf += d.toString()
          let nl: number
          while ((nl = buf.indexOf('\n')) >= 0) {
            buf = buf.slice(nl + 1)
            onLine()
          }
        })
        res.on('error', () => {})
      })
      req.on('error', () => {})
      req.end()
      return () => req.destroy()
    },
    close: () => agent.destroy(),
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

function cm(name: string, i: number, set = 'other'): unknown {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default', labels: {bench: 'yes', set}}, data: {index: String(i), payload: 'x'.repeat(200)}}
}

async function startToReady(controllers: boolean): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    const sim = await startSimulator({controllers})
    const c = client(sim)
    const r = await c.call('GET', '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices')
    if (r.status !== 200) throw new Error(`not ready: ${r.status}`)
    samples.push(performance.now() - t0)
    c.close()
    await sim.stop()
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const t0 = performance.now()
  await generateServingCert()
  rows.push({area: AREA, name: 'generate the serving certificate (EC P-256, first in process)', value: performance.now() - t0, unit: 'ms'})
  rows.push({
    area: AREA,
    name: 'start to first authenticated GET, API server alone (median of 5)',
    value: await startToReady(false),
    unit: 'ms',
    target: {op: '<', value: 300},
    note: 'certificate reused within the process',
  })
  rows.push({
    area: AREA,
    name: 'start to first authenticated GET, whole cluster (median of 5)',
    value: await startToReady(true),
    unit: 'ms',
    target: {op: '<', value: 300},
    note: 'includes the bootstrap reconciles that run before the first request is served',
  })

  const sim = await startSimulator({controllers: false})
  const c = client(sim)
  try {
    // Warm up the connection pool and the JIT.
    for (let i = 0; i < 50; i++) await c.call('POST', CM_PATH, cm(`warm-${i}`, i))

    const writes: number[] = []
    const reads: number[] = []
    for (let i = 0; i < 500; i++) {
      let t = performance.now()
      const w = await c.call('POST', CM_PATH, cm(`lat-${i}`, i))
      writes.push(performance.now() - t)
      if (w.status !== 201) throw new Error(`write failed: ${w.status} ${w.text}`)
      t = performance.now()
      await c.call('GET', `${CM_PATH}/lat-${i}`)
      reads.push(performance.now() - t)
    }
    writes.sort((a, b) => a - b)
    reads.sort((a, b) => a - b)
    rows.push({area: AREA, name: 'single-object write (POST) p50', value: percentile(writes, 50), unit: 'ms'})
    rows.push({area: AREA, name: 'single-object write (POST) p99', value: percentile(writes, 99), unit: 'ms', target: {op: '<=', value: 5}})
    rows.push({area: AREA, name: 'single-object read (GET) p50', value: percentile(reads, 50), unit: 'ms'})
    rows.push({area: AREA, name: 'single-object read (GET) p99', value: percentile(reads, 99), unit: 'ms', target: {op: '<=', value: 5}})

    // Throughput with 10 watchers on the collection (each must see every write).
    let received = 0
    const rv = sim.store.resourceVersion()
    const stops = Array.from({length: 10}, () => c.watch(`${CM_PATH}?watch=true&resourceVersion=${rv}`, () => received++))
    await new Promise((r) => setTimeout(r, 100))
    const total = 2000
    const concurrency = 8
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({length: concurrency}, async () => {
        while (next < total) {
          const i = next++
          const r = await c.call('POST', CM_PATH, cm(`tp-${i}`, i, i < 1000 ? 'list' : 'other'))
          if (r.status !== 201) throw new Error(`write failed: ${r.status}`)
        }
      }),
    )
    const deadline = Date.now() + 10_000
    while (received < total * 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    const seconds = (performance.now() - t0) / 1000
    for (const stop of stops) stop()
    rows.push({
      area: AREA,
      name: 'writes/s over HTTPS with 10 watchers (8 in flight, all events delivered)',
      value: total / seconds,
      unit: 'ops/s',
      target: {op: '>=', value: 500},
      note: `${received}/${total * 10} watch events delivered`,
    })

    // Watch delivery: from the store write to the event line arriving at an HTTPS watcher.
    const delays: number[] = []
    let pendingAt = 0
    let arrived: () => void = () => {}
    const stop = c.watch(`${CM_PATH}?watch=true&resourceVersion=${sim.store.resourceVersion()}`, () => {
      delays.push(performance.now() - pendingAt)
      arrived()
    })
    await new Promise((r) => setTimeout(r, 100))
    for (let i = 0; i < 300; i++) {
      const got = new Promise<void>((r) => (arrived = r))
      pendingAt = performance.now()
      sim.store.create(cm(`wl-${i}`, i) as never)
      await got
    }
    stop()
    delays.sort((a, b) => a - b)
    rows.push({area: AREA, name: 'watch delivery, store write to HTTPS client p50', value: percentile(delays, 50), unit: 'ms'})
    rows.push({area: AREA, name: 'watch delivery, store write to HTTPS client p99', value: percentile(delays, 99), unit: 'ms', target: {op: '<=', value: 10}})

    // List 1,000 objects (JSON and Table).
    const labelled = `${CM_PATH}?labelSelector=bench%3Dyes%2Cset%3Dlist&limit=1000`
    const listTimes: number[] = []
    const tableTimes: number[] = []
    let count = 0
    for (let i = 0; i < 10; i++) {
      let t = performance.now()
      const r = await c.call('GET', labelled)
      listTimes.push(performance.now() - t)
      count = (JSON.parse(r.text) as {items: unknown[]}).items.length
      t = performance.now()
      await c.call('GET', labelled, undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io')
      tableTimes.push(performance.now() - t)
    }
    if (count !== 1000) throw new Error(`expected 1000 listed, got ${count}`)
    rows.push({area: AREA, name: 'list 1,000 objects as JSON (median)', value: listTimes.sort((a, b) => a - b)[5]!, unit: 'ms'})
    rows.push({area: AREA, name: 'list 1,000 objects as a Table (median)', value: tableTimes.sort((a, b) => a - b)[5]!, unit: 'ms'})
  } finally {
    c.close()
    await sim.stop()
  }
  return rows
}

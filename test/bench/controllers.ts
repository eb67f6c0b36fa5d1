/**
 * Issue 4 at scale: the full simulated cluster (store, controller manager, downstream controllers,
 * AIM reconcilers) on a virtual clock, 250 MI300X nodes × 8 GPUs, 1,000 AIMServices spread over
 * 10 namespaces and the built-in 1-GPU catalog models, settled until every service is Running.
 * Prints wall time (target <= 5 s), peak RSS (target <= 400 MB) and virtual seconds simulated per
 * wall second. Run alone: `node --import tsx test/bench/run.ts controllers`.
 *
 * It measures the simulator as `kubectl aim simulate` runs it: the built dist/ (`npm run bench`
 * builds first). tsx's on-the-fly transform of the sources adds a name-keeping call for every named
 * closure a reconcile creates, which users never run; BENCH_FROM_SOURCES=1 measures the sources.
 */
import {existsSync, readdirSync, statSync} from 'node:fs'
import {resourceUsage} from 'node:process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {BenchRow} from './types.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

interface Simulator {
  registry: typeof import('../../src/api/registry.js')['registry']
  VirtualClock: typeof import('../../simulator/clock/index.js')['VirtualClock']
  createControllerManager: typeof import('../../simulator/controllers/index.js')['createControllerManager']
  createStore: typeof import('../../simulator/store/index.js')['createStore']
}

/** The newest modification time of the .ts files below `dir`. */
function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/**
 * The built simulator when it is as new as the sources (and BENCH_FROM_SOURCES is unset), else the
 * sources: running this file directly after an edit measures the edit, not an old build.
 */
async function loadSimulator(): Promise<{sim: Simulator; from: string}> {
  const built = join(ROOT, 'dist', 'simulator', 'controllers', 'index.js')
  const fromDist =
    !process.env['BENCH_FROM_SOURCES'] &&
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(newestSource(join(ROOT, 'simulator')), newestSource(join(ROOT, 'src')))
  const load = (dist: string, source: string) => import(fromDist ? pathToFileURL(join(ROOT, 'dist', dist)).href : source)
  const [api, clock, controllers, store] = await Promise.all([
    load('src/api/registry.js', '../../src/api/registry.js'),
    load('simulator/clock/index.js', '../../simulator/clock/index.js'),
    load('simulator/controllers/index.js', '../../simulator/controllers/index.js'),
    load('simulator/store/index.js', '../../simulator/store/index.js'),
  ])
  return {
    sim: {registry: api.registry, VirtualClock: clock.VirtualClock, createControllerManager: controllers.createControllerManager, createStore: store.createStore},
    from: fromDist ? 'dist/' : existsSync(built) && !process.env['BENCH_FROM_SOURCES'] ? 'sources (tsx; dist/ is older than them)' : 'sources (tsx)',
  }
}

const NODES = Number(process.env['BENCH_NODES'] ?? 250)
const SERVICES = Number(process.env['BENCH_SERVICES'] ?? 1000)
const NAMESPACES = 10
const MODELS = [
  'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5',
  'amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5',
  'amdenterpriseai/aim-meta-llama-llama-3-2-3b-instruct:0.8.5',
  'amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.5',
  'amdenterpriseai/aim-meta-llama-llama-3-3-70b-instruct:0.8.5',
  'amdenterpriseai/aim-mistralai-mixtral-8x7b-instruct-v0-1:0.8.5',
  'amdenterpriseai/aim-mistralai-mistral-small-3-2-24b-instruct-2506:0.8.5',
  'amdenterpriseai/aim-openai-gpt-oss-120b:0.8.5',
  'amdenterpriseai/aim-openai-gpt-oss-20b:0.8.5',
]


export interface ScaleResult {
  wallMs: number
  /** What ran: the built dist/ or the sources through tsx. */
  from: string
  /** Of wallMs, the cluster boot before any service is applied (catalog discovery, 10 virtual minutes). */
  bootMs: number
  virtualMs: number
  running: number
  total: number
  peakRssMb: number
  reconciles: number
  objects: number
}

/** Builds and settles the cluster; exported so a profile run can call it directly. */
export async function runScale(nodes = NODES, services = SERVICES): Promise<ScaleResult> {
  const {sim, from} = await loadSimulator()
  const {registry, VirtualClock, createControllerManager, createStore} = sim
  const kind = (k: string) => registry.kinds.find((i) => i.kind === k)!
  // memoryUsage.rss() reads the RSS alone (memoryUsage() also walks the heap spaces, ~0.5 ms a call).
  let peak = process.memoryUsage.rss()
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 20)
  try {
    const t0 = performance.now()
    const clock = new VirtualClock(Date.UTC(2026, 0, 1))
    const store = createStore({clock, seed: 'bench'})
    const manager = createControllerManager({store, clock, seed: 'bench', nodes: `mi300x=${nodes}`, gpusPerNode: 8})
    manager.start()
    // The cluster comes up first (catalog discovery Jobs finish), as an operator's would before users apply.
    await manager.settle(10 * 60_000)
    const bootMs = performance.now() - t0
    for (let n = 0; n < NAMESPACES; n++) {
      store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: `team-${n}`}})
    }
    for (let i = 0; i < services; i++) {
      store.create({
        apiVersion: 'aim.eai.amd.com/v1alpha1',
        kind: 'AIMService',
        metadata: {name: `svc-${i}`, namespace: `team-${i % NAMESPACES}`},
        spec: {model: {image: MODELS[i % MODELS.length]}},
      })
    }
    const v0 = clock.now()
    const svcKind = kind('AIMService')
    const allRunning = () => store.list(svcKind).items.filter((s) => (s.status as {status?: string} | undefined)?.status === 'Running').length
    // settle() in slices so the wall figure stops when every service is Running.
    let running = 0
    for (let step = 0; step < 60; step++) {
      await manager.settle(60_000)
      peak = Math.max(peak, process.memoryUsage.rss())
      running = allRunning()
      if (running === services) break
    }
    const wallMs = performance.now() - t0
    const result: ScaleResult = {
      from,
      wallMs,
      bootMs,
      virtualMs: clock.now() - v0,
      running,
      total: services,
      peakRssMb: Math.max(peak, resourceUsage().maxRSS * 1024) / (1024 * 1024),
      reconciles: manager.runtime.reconcileCount,
      objects: store.size(),
    }
    manager.stop()
    return result
  } finally {
    clearInterval(sampler)
  }
}

export async function bench(): Promise<BenchRow[]> {
  const r = await runScale()
  const note = `${r.running}/${r.total} Running on ${NODES} nodes; ${r.reconciles} reconciles, ${r.objects} objects; cluster boot ${r.bootMs.toFixed(0)} ms of it; ${r.from}`
  return [
    {area: 'controllers', name: `${SERVICES} AIMServices on ${NODES} nodes → all Running (wall)`, value: r.wallMs, unit: 'ms', target: {op: '<=', value: 5000}, note},
    {area: 'controllers', name: 'peak RSS of the bench process', value: r.peakRssMb, unit: 'MB', target: {op: '<=', value: 400}},
    {area: 'controllers', name: 'virtual seconds simulated per wall second', value: r.virtualMs / r.wallMs, unit: 'x', note: `${(r.virtualMs / 1000).toFixed(0)} virtual s`},
  ]
}

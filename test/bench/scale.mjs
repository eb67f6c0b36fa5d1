// The scale run of issue 4 (see controllers.ts), in plain JavaScript so that it runs both inside the
// bench (the sources, through tsx) and as its own `node` process on the built dist/, which is how
// `kubectl aim simulate` runs the simulator. Run directly, it loads dist/ and prints the result as
// JSON: `node test/bench/scale.mjs [NODES] [SERVICES]`.
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

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

/**
 * Builds the cluster from `sim`'s modules and settles it until every service is Running.
 * @param {import('./scale.d.mts').SimulatorModules} sim
 * @param {number} nodes
 * @param {number} services
 * @param {string} from what runs (reported back)
 * @returns {Promise<import('./scale.d.mts').ScaleResult>}
 */
export async function runScaleWith(sim, nodes, services, from) {
  const {registry, VirtualClock, createControllerManager, createStore} = sim
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
    for (let n = 0; n < NAMESPACES; n++) store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: `team-${n}`}})
    for (let i = 0; i < services; i++) {
      store.create({
        apiVersion: 'aim.eai.amd.com/v1alpha1',
        kind: 'AIMService',
        metadata: {name: `svc-${i}`, namespace: `team-${i % NAMESPACES}`},
        spec: {model: {image: MODELS[i % MODELS.length]}},
      })
    }
    const v0 = clock.now()
    const svcKind = registry.kinds.find((k) => k.kind === 'AIMService')
    const allRunning = () => store.list(svcKind).items.filter((s) => s.status?.status === 'Running').length
    // settle() in slices so the wall figure stops when every service is Running.
    let running = 0
    for (let step = 0; step < 60; step++) {
      await manager.settle(60_000)
      peak = Math.max(peak, process.memoryUsage.rss())
      running = allRunning()
      if (running === services) break
    }
    const result = {
      from,
      wallMs: performance.now() - t0,
      bootMs,
      virtualMs: clock.now() - v0,
      running,
      total: services,
      peakRssMb: Math.max(peak, process.resourceUsage().maxRSS * 1024) / (1024 * 1024),
      reconciles: manager.runtime.reconcileCount,
      objects: store.size(),
    }
    manager.stop()
    return result
  } finally {
    clearInterval(sampler)
  }
}

/** The built simulator's modules under `root` (the package root). */
export async function loadBuilt(root) {
  const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href)
  const [api, clock, controllers, store] = await Promise.all([
    load('src/api/registry.js'),
    load('simulator/clock/index.js'),
    load('simulator/controllers/index.js'),
    load('simulator/store/index.js'),
  ])
  return {registry: api.registry, VirtualClock: clock.VirtualClock, createControllerManager: controllers.createControllerManager, createStore: store.createStore}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const [nodes = '250', services = '1000'] = process.argv.slice(2)
  const result = await runScaleWith(await loadBuilt(root), Number(nodes), Number(services), 'dist/, in its own node process')
  process.stdout.write(JSON.stringify(result) + '\n')
}

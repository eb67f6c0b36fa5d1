/**
 * Issue 4 at scale: the full simulated cluster (store, controller manager, downstream controllers,
 * AIM reconcilers) on a virtual clock, 250 MI300X nodes × 8 GPUs, 1,000 AIMServices spread over
 * 10 namespaces and the built-in 1-GPU catalog models, settled until every service is Running.
 * Prints wall time (target <= 5 s; the median of three runs, with their range), peak RSS
 * (target <= 400 MB) and virtual seconds simulated per wall second. Run alone: `node --import tsx test/bench/run.ts controllers`.
 *
 * It measures the simulator as `kubectl aim simulate` runs it: the built dist/ (`npm run bench`
 * builds first) in a plain `node` process of its own (scale.mjs). Inside this tsx process the same
 * code pays for tsx's transform (a name-keeping call for every named closure a reconcile creates)
 * and its module hooks, which users never run; BENCH_FROM_SOURCES=1 measures the sources here.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {runScaleWith, type ScaleResult} from './scale.mjs'
import type {BenchRow} from './types.js'

export type {ScaleResult}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const NODES = Number(process.env['BENCH_NODES'] ?? 250)
const SERVICES = Number(process.env['BENCH_SERVICES'] ?? 1000)

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

/** dist/ is there and as new as the sources (and BENCH_FROM_SOURCES is unset). */
function builtIsCurrent(): boolean {
  const built = join(ROOT, 'dist', 'simulator', 'controllers', 'index.js')
  return (
    !process.env['BENCH_FROM_SOURCES'] &&
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(newestSource(join(ROOT, 'simulator')), newestSource(join(ROOT, 'src')))
  )
}

/**
 * Builds and settles the cluster: the built dist/ in a `node` process of its own when it is current
 * (running this file right after an edit measures the edit, not an old build), else the sources
 * in this process. Exported so a profile run can call it directly.
 */
export async function runScale(nodes = NODES, services = SERVICES): Promise<ScaleResult> {
  if (builtIsCurrent()) {
    const r = spawnSync(process.execPath, [join(ROOT, 'test', 'bench', 'scale.mjs'), String(nodes), String(services)], {encoding: 'utf8', maxBuffer: 1 << 20})
    if (r.status !== 0) throw new Error(`scale run exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`)
    return JSON.parse(r.stdout) as ScaleResult
  }
  const sim = {
    registry: (await import('../../src/api/registry.js')).registry,
    VirtualClock: (await import('../../simulator/clock/index.js')).VirtualClock,
    createControllerManager: (await import('../../simulator/controllers/index.js')).createControllerManager,
    createStore: (await import('../../simulator/store/index.js')).createStore,
  }
  const stale = existsSync(join(ROOT, 'dist', 'simulator', 'controllers', 'index.js')) && !process.env['BENCH_FROM_SOURCES']
  return runScaleWith(sim, nodes, services, stale ? 'sources (tsx; dist/ is older than them)' : 'sources (tsx)')
}

/** Runs of the scale scenario `npm run bench` makes: this VM's wall figures vary ±20% between identical runs. */
const RUNS = Number(process.env['BENCH_SCALE_RUNS'] ?? 3)

export async function bench(): Promise<BenchRow[]> {
  const runs: ScaleResult[] = []
  for (let i = 0; i < RUNS; i++) runs.push(await runScale())
  // The run with the median wall time is the one reported; the others give the range.
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs)
  const r = byWall[Math.floor((byWall.length - 1) / 2)]!
  const range = runs.length > 1 ? `median of ${runs.length} runs (${byWall.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')} s); ` : ''
  const note = `${range}${r.running}/${r.total} Running on ${NODES} nodes; ${r.reconciles} reconciles, ${r.objects} objects; cluster boot ${r.bootMs.toFixed(0)} ms of it; ${r.from}`
  const peakRss = Math.max(...runs.map((x) => x.peakRssMb))
  return [
    {area: 'controllers', name: `${SERVICES} AIMServices on ${NODES} nodes → all Running (wall)`, value: r.wallMs, unit: 'ms', target: {op: '<=', value: 5000}, note},
    {area: 'controllers', name: 'peak RSS of the bench process', value: peakRss, unit: 'MB', target: {op: '<=', value: 400}, note: runs.length > 1 ? `highest of ${runs.length} runs` : undefined},
    {area: 'controllers', name: 'virtual seconds simulated per wall second', value: r.virtualMs / r.wallMs, unit: 'x', note: `${(r.virtualMs / 1000).toFixed(0)} virtual s`},
  ]
}

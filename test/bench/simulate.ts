/**
 * `kubectl aim simulate` start-up, as a user sees it: spawn the built executable, time until the
 * ready line appears on stdout (target < 500 ms) and until the first `kubectl get aimservices`
 * succeeds against it (target < 1 s). Median of a few runs; each run uses a fresh state file (a
 * first start journals the bootstrap objects), and once more without --state. The runs take the
 * fast path (bin/fast-path.js → dist/fast/simulate.cjs); one more series through oclif
 * (KUBECTL_AIM_NO_FAST_PATH=1) and `node -e 0` put the figures in context on a busy machine.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {BenchRow} from './types.js'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const bin = process.env['KUBECTL_AIM_BIN'] ?? join(root, 'bin', 'kubectl-aim')
const RUNS = 5

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** CPU time (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime + stime in clock ticks (100 Hz)
  } catch {
    return Number.NaN
  }
}

/** Wall time of `node -e 0` (spawn to exit): what any node process costs on this machine now. */
async function nodeAlone(): Promise<number> {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['-e', '0'], {stdio: 'ignore'})
  await new Promise((res) => child.on('exit', res))
  return performance.now() - t0
}

async function once(withState: boolean, env: Record<string, string> = {}, getAfter = true): Promise<{ready: number; readyCpu: number; firstGet: number}> {
  const dir = mkdtempSync(join(tmpdir(), 'aim-bench-sim-'))
  const kubeconfig = join(dir, 'kubeconfig')
  const t0 = performance.now()
  const args = ['simulate', '--write-kubeconfig', kubeconfig, ...(withState ? ['--state', join(dir, 'state.jsonl')] : [])]
  const child = spawn(bin, args, {stdio: ['ignore', 'pipe', 'ignore'], env: {...process.env, ...env}})
  try {
    let readyCpu = Number.NaN
    const ready = await new Promise<number>((res, rej) => {
      const timer = setTimeout(() => rej(new Error('no ready line within 20s')), 20_000)
      child.stdout.on('data', () => {
        readyCpu = cpuMs(child.pid)
        clearTimeout(timer)
        res(performance.now() - t0)
      })
      child.on('exit', (code) => rej(new Error(`simulator exited with ${String(code)}`)))
    })
    let firstGet = Number.NaN
    for (let attempt = 0; getAfter && attempt < 50; attempt++) {
      const r = spawnSync('kubectl', ['get', 'aimservices', '-A'], {env: {...process.env, KUBECONFIG: kubeconfig}, encoding: 'utf8'})
      if (r.status === 0) {
        firstGet = performance.now() - t0
        break
      }
    }
    return {ready, readyCpu, firstGet}
  } finally {
    child.kill('SIGKILL')
    rmSync(dir, {recursive: true, force: true})
  }
}

export async function bench(): Promise<BenchRow[]> {
  const runs = []
  const stateless = []
  const oclif = []
  const node = []
  for (let i = 0; i < RUNS; i++) {
    runs.push(await once(true))
    stateless.push(await once(false))
    oclif.push(await once(true, {KUBECTL_AIM_NO_FAST_PATH: '1'}, false))
    node.push(await nodeAlone())
  }
  return [
    {area: 'simulate', name: 'process start → ready line', value: median(runs.map((r) => r.ready)), unit: 'ms', target: {op: '<', value: 500}, note: `median of ${RUNS}`},
    {
      area: 'simulate',
      name: 'process start → first kubectl get aimservices',
      value: median(runs.map((r) => r.firstGet)),
      unit: 'ms',
      target: {op: '<', value: 1000},
      note: `median of ${RUNS}; includes kubectl's own start`,
    },
    {
      area: 'simulate',
      name: 'CPU time of the process at the ready line',
      value: median(runs.map((r) => r.readyCpu)),
      unit: 'ms',
      target: {op: '<', value: 500},
      note: 'user+system, /proc; what the wall time would be on an idle core',
    },
    {area: 'simulate', name: 'process start → ready line, no --state', value: median(stateless.map((r) => r.ready)), unit: 'ms', target: {op: '<', value: 500}, note: `median of ${RUNS}`},
    {area: 'simulate', name: 'process start → ready line through oclif', value: median(oclif.map((r) => r.ready)), unit: 'ms', note: `median of ${RUNS}; KUBECTL_AIM_NO_FAST_PATH=1, for comparison`},
    {area: 'simulate', name: 'node -e 0 (spawn → exit), for context', value: median(node), unit: 'ms', note: `median of ${RUNS}; the floor of any start on this machine now`},
  ]
}

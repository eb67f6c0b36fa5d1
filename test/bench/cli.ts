/**
 * CLI figures: cold start of `kubectl aim --help` and `kubectl aim version` against `node -e 0`
 * (median of 5, interleaved round by round; target ≤ 2.0x), and `kubectl aim status` (table and
 * one service) against a running in-process simulator, and `status NAME` against stock
 * `kubectl get aimservice NAME -o yaml` on the same simulator (issue 5: ratio target ≤ 1.5x, median
 * of 9). Both executables are started the way kubectl starts a plugin: the file itself (bin/kubectl-aim
 * through its `#!/bin/sh` line, which starts node), not through kubectl's plugin dispatch. The status
 * commands take the fast path (bin/fast-path.js → dist/fast/status.cjs, its V8 code cache made by
 * the warm-up run, as a user's first run makes it); the same report through oclif is measured too.
 * Help and version take bin/fast-path.js (no oclif); the same help through oclif is measured too,
 * for comparison. Uses the built dist/ (npm run bench builds).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {spawn} from 'node:child_process'
import type {BenchRow} from './types.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BIN = join(ROOT, 'bin', 'kubectl-aim')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** `file args…` to its exit (file: node itself, or the executable as kubectl runs it). */
function timeSync(file: string, args: string[], env: Record<string, string> = {}, drop: string[] = []): number {
  const t0 = performance.now()
  const base: Record<string, string | undefined> = {...process.env, NO_COLOR: '1'}
  delete base.KUBECTL_AIM_NO_FAST_PATH
  for (const name of drop) delete base[name]
  const r = spawnSync(file, args, {stdio: 'ignore', env: {...base, ...env}})
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}`)
  return performance.now() - t0
}

/**
 * Async child (the simulator lives in this process, so the event loop must keep running): the
 * executable itself, as kubectl runs a plugin found on PATH.
 */
function timeAsync(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now()
    const base: Record<string, string | undefined> = {...process.env, NO_COLOR: '1'}
    delete base.KUBECTL_AIM_NO_FAST_PATH
    const child = spawn(args[0]!, args.slice(1), {stdio: 'ignore', env: {...base, ...env}})
    child.on('exit', (code) => (code === 0 ? resolvePromise(performance.now() - t0) : reject(new Error(`kubectl-aim ${args.slice(1).join(' ')} exited ${code}`))))
  })
}

/** Any executable (stock kubectl), async for the same reason as timeAsync. */
function timeCommand(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now()
    const child = spawn(cmd, args, {stdio: 'ignore', env: {...process.env, NO_COLOR: '1'}})
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolvePromise(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))))
  })
}

export async function bench(): Promise<BenchRow[]> {
  const rounds = 5
  const base: number[] = []
  const help: number[] = []
  const version: number[] = []
  const oclifHelp: number[] = []
  const bare: number[] = []
  const node = process.execPath
  // NODE_EXTRA_CA_CERTS costs node 25-45 ms at every start (it loads the file before any code runs);
  // bin/kubectl-aim defers it (src/kube/trust.ts). `node -e 0` is timed as the environment has it.
  const extraCa = process.env['NODE_EXTRA_CA_CERTS'] !== undefined
  timeSync(node, ['-e', '0'])
  timeSync(BIN, ['--help'])
  for (let i = 0; i < rounds; i++) {
    base.push(timeSync(node, ['-e', '0']))
    if (extraCa) bare.push(timeSync(node, ['-e', '0'], {}, ['NODE_EXTRA_CA_CERTS']))
    help.push(timeSync(BIN, ['--help']))
    version.push(timeSync(BIN, ['version']))
    oclifHelp.push(timeSync(BIN, ['--help'], {KUBECTL_AIM_NO_FAST_PATH: '1'}))
  }
  const b = median(base)
  const rows: BenchRow[] = [
    {area: 'cli', name: 'node -e 0 (baseline, median of 5)', value: b, unit: 'ms', note: extraCa ? 'with NODE_EXTRA_CA_CERTS, as this environment sets it' : undefined},
    ...(extraCa ? [{area: 'cli', name: 'node -e 0 without NODE_EXTRA_CA_CERTS', value: median(bare), unit: 'ms', note: 'what node itself costs here; bin/kubectl-aim defers the file'} satisfies BenchRow] : []),
    {area: 'cli', name: 'kubectl aim --help cold start', value: median(help), unit: 'ms'},
    {area: 'cli', name: 'kubectl aim --help / node -e 0', value: median(help) / b, unit: 'x', target: {op: '<=', value: 2}},
    {area: 'cli', name: 'kubectl aim version cold start', value: median(version), unit: 'ms'},
    {area: 'cli', name: 'kubectl aim version / node -e 0', value: median(version) / b, unit: 'x', target: {op: '<=', value: 2}},
    {area: 'cli', name: 'kubectl aim --help through oclif (fast path off)', value: median(oclifHelp), unit: 'ms', note: `${(median(oclifHelp) / b).toFixed(2)}x node -e 0`},
  ]

  const {startSimulator} = await import('../../simulator/index.js')
  const sim = await startSimulator({seed: 'bench-cli'})
  try {
    const kc = join(mkdtempSync(join(tmpdir(), 'aim-bench-cli-')), 'kubeconfig')
    sim.writeKubeconfig(kc)
    await sim.settle()
    await timeAsync([BIN, 'deploy', 'qwen', '--no-wait', '--kubeconfig', kc], {})
    await sim.settle()
    const table: number[] = []
    const one: number[] = []
    const oneOclif: number[] = []
    const getYaml: number[] = []
    const statusRounds = 9
    // Warm both executables once (disk cache, the code cache), then interleave round by round.
    await timeAsync([BIN, 'status', 'qwen3-32b', '--kubeconfig', kc], {})
    await timeCommand('kubectl', ['get', 'aimservice', 'qwen3-32b', '-o', 'yaml', '--kubeconfig', kc])
    for (let i = 0; i < statusRounds; i++) {
      table.push(await timeAsync([BIN, 'status', '--kubeconfig', kc], {}))
      one.push(await timeAsync([BIN, 'status', 'qwen3-32b', '--kubeconfig', kc], {}))
      getYaml.push(await timeCommand('kubectl', ['get', 'aimservice', 'qwen3-32b', '-o', 'yaml', '--kubeconfig', kc]))
      if (i % 3 === 0) oneOclif.push(await timeAsync([BIN, 'status', 'qwen3-32b', '--kubeconfig', kc], {KUBECTL_AIM_NO_FAST_PATH: '1'}))
    }
    // On a terminal (what a user at a prompt gets), through util-linux script(1) for a pseudo-terminal.
    const tty: number[] = []
    if (existsSync('/usr/bin/script')) {
      const cmd = `${BIN} status qwen3-32b --kubeconfig ${kc}`
      await timeCommand('/usr/bin/script', ['-qc', cmd, '/dev/null'])
      for (let i = 0; i < 5; i++) tty.push(await timeCommand('/usr/bin/script', ['-qc', cmd, '/dev/null']))
    }
    if (tty.length) rows.push({area: 'cli', name: 'kubectl aim status NAME on a terminal (script -qc)', value: median(tty), unit: 'ms', note: 'median of 5; pseudo-terminal from script(1)'})
    rows.push(
      {area: 'cli', name: 'kubectl aim status (table) vs simulator', value: median(table), unit: 'ms', note: `${(median(table) / b).toFixed(1)}x node -e 0`},
      {area: 'cli', name: 'kubectl aim status NAME (full report) vs simulator', value: median(one), unit: 'ms', note: `${(median(one) / b).toFixed(1)}x node -e 0; fastest ${Math.min(...one).toFixed(0)} ms`},
      {area: 'cli', name: 'kubectl aim status NAME through oclif (fast path off)', value: median(oneOclif), unit: 'ms', note: 'median of 3'},
      {area: 'cli', name: 'kubectl get aimservice NAME -o yaml vs simulator', value: median(getYaml), unit: 'ms', note: `stock kubectl; fastest ${Math.min(...getYaml).toFixed(0)} ms`},
      {
        area: 'cli',
        name: 'status NAME / kubectl get aimservice NAME -o yaml',
        value: median(one) / median(getYaml),
        unit: 'x',
        target: {op: '<=', value: 1.5},
        note: `cold, median of ${statusRounds}, same simulator, both executables run directly`,
      },
      {
        area: 'cli',
        name: 'status NAME / kubectl get -o yaml, fastest runs',
        value: Math.min(...one) / Math.min(...getYaml),
        unit: 'x',
        note: `fastest of ${statusRounds} each: less sensitive to other load on the machine than the medians`,
      },
    )
  } finally {
    await sim.stop()
  }
  return rows
}

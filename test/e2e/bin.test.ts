/**
 * The built plugin as a user runs it: `bin/kubectl-aim` as a child process (needs `npm run build`,
 * which `npm test` does first), also through kubectl's plugin dispatch, against an in-process
 * simulator. Waits here are on real child processes, each bounded.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {ROOT} from './harness.js'

// Real HTTPS and child processes on a shared 2-core machine: generous bounds (never sleeps).
vi.setConfig({testTimeout: 90_000, hookTimeout: 90_000})

const BIN = join(ROOT, 'bin', 'kubectl-aim')

/** The executable itself, as kubectl and a shell run it (its shell lines start node), or another program. */
function run(args: string[], env: Record<string, string> = {}, file = BIN): Promise<{stdout: string; stderr: string; code: number}> {
  const argv = args
  return new Promise((resolve) => {
    execFile(file, argv, {env: {...process.env, NO_COLOR: '1', CI: '1', ...env}, timeout: 30_000}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? ((err as {code: number}).code) : 1) : 0
      resolve({stdout, stderr, code})
    })
  })
}

let sim: Simulator
let kc: string

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'status.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  sim = await startSimulator({seed: 'cli-bin'})
  kc = join(mkdtempSync(join(tmpdir(), 'aim-bin-')), 'kubeconfig')
  sim.writeKubeconfig(kc)
  await sim.settle()
})
afterAll(async () => {
  await sim?.stop()
})

describe('bin/kubectl-aim', () => {
  it('--help lists the everyday commands', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    for (const cmd of ['deploy', 'status', 'why', 'explain-selection', 'logs', 'cache']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\s`, 'm'))
  })

  it('deploy --no-wait, then status -o json, with flags after the command name', async () => {
    const d = await run(['deploy', 'qwen', '--no-wait', '-n', 'default', '--kubeconfig', kc])
    expect(d.stderr).toContain('aimservice.aim.eai.amd.com/qwen3-32b created in namespace default (context: aim-simulator)')
    expect(d.code).toBe(0)
    expect(d.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen3-32b created')
    await sim.settle()
    const s = await run(['status', 'qwen3-32b', '-o', 'json', '--kubeconfig', kc])
    expect(s.code).toBe(0)
    const doc = JSON.parse(s.stdout)
    expect(doc.kind).toBe('StatusReport')
    expect(doc.service.status).toBe('Running')
  })

  it('KUBECONFIG is honoured and errors are one line with exit 2 for bad input', async () => {
    const ok = await run(['status'], {KUBECONFIG: kc})
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^qwen3-32b\s+Running/m)
    const bad = await run(['status', '--kubeconfig', '/nonexistent/kubeconfig'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe('error: stat /nonexistent/kubeconfig: no such file or directory\n')
    const flag = await run(['deploy', 'qwen', '--replicas', 'many', '--kubeconfig', kc])
    expect(flag.code).toBe(2)
    expect(flag.stderr.split('\n')[0]).toBe('error: Parsing --replicas: Expected an integer but received: many')
    expect(flag.stderr).not.toMatch(/\n\s+at /)
  })

  it('logs -f follows until Ctrl-C', async () => {
    const {spawn} = await import('node:child_process')
    const child = spawn(BIN, ['logs', 'qwen3-32b', '-f', '--tail', '2', '--kubeconfig', kc], {env: {...process.env, NO_COLOR: '1', CI: '1'}})
    let out = ''
    const firstLine = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no log line within 20s; stderr so far: ${err}`)), 20_000)
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        if (out.includes('\n')) {
          clearTimeout(t)
          resolve()
        }
      })
    })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await firstLine
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(out.split('\n').some((l) => l.trim() !== '')).toBe(true)
    expect(err).toBe('')
  })

  it('runs as a kubectl plugin (kubectl aim …)', async () => {
    const r = await run(['aim', 'status', '--kubeconfig', kc], {PATH: `${join(ROOT, 'bin')}:${process.env['PATH']}`}, 'kubectl')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^NAME\s+STATUS\s+MODEL/)
  })
})

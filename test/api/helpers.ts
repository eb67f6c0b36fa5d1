/**
 * Test harness for the API conformance suite: one in-process simulator per file, a kubeconfig
 * in a temp dir, and stock kubectl run as a child process (execFile, no shell) with its own
 * discovery cache directory.
 */
import {execFile, spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {realpathSync} from 'node:fs'
import {startSimulator, type Simulator, type SimulatorOptions} from '../../simulator/index.js'

export interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

export interface Harness {
  sim: Simulator
  dir: string
  kubeconfig: string
  kubectl(args: string[], options?: {bin?: string; kubeconfig?: string}): Promise<KubectlResult>
  /** Start a long-running kubectl; resolves with everything printed once `needle` appears. */
  streamUntil(args: string[], needle: string | RegExp, timeoutMs?: number): {done: Promise<string>; started: Promise<void>}
  close(): Promise<void>
}

/** The kubectl dispatcher's directory, where kubectl.1.27 … kubectl.1.33 live. */
export function versionedKubectls(): string[] {
  const dispatcher = realpathSync(findOnPath('kubectl'))
  const dir = dirname(dispatcher)
  return readdirSync(dir)
    .filter((f) => /^kubectl\.1\.\d+$/.test(f))
    .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
    .map((f) => join(dir, f))
}

function findOnPath(bin: string): string {
  for (const p of (process.env.PATH ?? '').split(':')) {
    try {
      const full = join(p, bin)
      realpathSync(full)
      return full
    } catch {
      // not here
    }
  }
  throw new Error(`${bin} not found on PATH`)
}

export async function startHarness(options: SimulatorOptions = {controllers: false}): Promise<Harness> {
  const sim = await startSimulator(options)
  const dir = mkdtempSync(join(tmpdir(), 'aim-api-test-'))
  const kubeconfig = join(dir, 'kubeconfig')
  sim.writeKubeconfig(kubeconfig)
  const env = {...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir, KUBECONFIG: ''}
  const children = new Set<ReturnType<typeof spawn>>()

  const kubectl: Harness['kubectl'] = (args, opts = {}) =>
    new Promise((resolve) => {
      execFile(opts.bin ?? 'kubectl', ['--kubeconfig', opts.kubeconfig ?? kubeconfig, ...args], {env, timeout: 30_000, encoding: 'utf8'}, (error, stdout, stderr) => {
        const code = error ? (typeof (error as {code?: unknown}).code === 'number' ? (error as {code: number}).code : 1) : 0
        resolve({code, stdout, stderr})
      })
    })

  const streamUntil: Harness['streamUntil'] = (args, needle, timeoutMs = 15_000) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], {env})
    children.add(child)
    let out = ''
    let startedResolve: () => void = () => {}
    const started = new Promise<void>((r) => (startedResolve = r))
    const done = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill()
        reject(new Error(`kubectl ${args.join(' ')}: "${String(needle)}" not seen within ${timeoutMs} ms; output:\n${out}`))
      }, timeoutMs)
      const check = () => {
        if (typeof needle === 'string' ? out.includes(needle) : needle.test(out)) {
          clearTimeout(timer)
          child.kill()
          resolve(out)
        }
      }
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        startedResolve()
        check()
      })
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString()
      })
      child.on('exit', () => {
        children.delete(child)
        clearTimeout(timer)
        if (!(typeof needle === 'string' ? out.includes(needle) : needle.test(out))) reject(new Error(`kubectl ${args.join(' ')} exited; output:\n${out}`))
      })
    })
    return {done, started}
  }

  return {
    sim,
    dir,
    kubeconfig,
    kubectl,
    streamUntil,
    close: async () => {
      for (const c of children) c.kill()
      await sim.stop()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** Wait (real time, bounded) until `predicate` holds; for observing a child process's requests. */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now()
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Splits a kubectl table into rows of cells (two or more spaces separate columns). */
export function tableRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))
}

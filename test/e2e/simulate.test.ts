/**
 * `kubectl aim simulate` as users run it: the built executable as a child process, driven with
 * stock kubectl and the plugin, stopped with SIGTERM and SIGKILL, restarted on the same state.
 * Real-time waits here are bounded waits for a child process's output (real I/O).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const bin = process.env['KUBECTL_AIM_BIN'] ?? join(root, 'bin', 'kubectl-aim')
const dir = mkdtempSync(join(tmpdir(), 'aim-simulate-e2e-'))
const kubeconfig = join(dir, 'kubeconfig')
const state = join(dir, 'state', 'cluster.jsonl')
const READY = /^kubectl-aim simulator ready at https:\/\/127\.0\.0\.1:(\d+)$/
const children = new Set<ChildProcess>()

interface Started {
  child: ChildProcess
  readyLine: string
  stderr: () => string
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** Start the simulator and resolve at its ready line (at most 20 s of real time). */
function start(args: string[] = [], statePath = state): Promise<Started> {
  const child = spawn(bin, ['simulate', '--write-kubeconfig', kubeconfig, '--state', statePath, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((res) =>
    child.on('exit', (code, signal) => {
      children.delete(child)
      res({code, signal})
    }),
  )
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no ready line within 20s; stderr: ${stderr}`)), 20_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      const line = stdout.split('\n')[0]!
      if (stdout.includes('\n')) {
        clearTimeout(timer)
        res({child, readyLine: line, stderr: () => stderr, exited})
      }
    })
    void exited.then(({code}) => {
      clearTimeout(timer)
      rej(new Error(`simulator exited with ${String(code)} before it was ready; stderr: ${stderr}`))
    })
  })
}

function kubectl(...args: string[]) {
  const r = spawnSync('kubectl', args, {encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECONFIG: kubeconfig}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

function plugin(...args: string[]) {
  const r = spawnSync(bin, args, {encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', CI: 'true'}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

const manifests = `apiVersion: v1
kind: Namespace
metadata: {name: ml-team}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ml-team}
data: {mode: fast}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-chat, namespace: ml-team}
spec:
  model: {image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5}
`

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dir, {recursive: true, force: true})
})

describe('kubectl aim simulate', () => {
  it('serves, survives SIGTERM and SIGKILL, and resumes every object from --state', async () => {
    const first = await start()
    expect(first.readyLine).toMatch(READY)
    expect(first.stderr()).toContain(`export KUBECONFIG=${kubeconfig}\n`)
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600)
    const config = readFileSync(kubeconfig, 'utf8')
    expect(config).toContain('current-context: aim-simulator')
    expect(config).toContain(`server: https://127.0.0.1:${READY.exec(first.readyLine)![1]}`)

    const applied = spawnSync('kubectl', ['apply', '-f', '-'], {input: manifests, encoding: 'utf8', env: {...process.env, KUBECONFIG: kubeconfig}, timeout: 30_000})
    expect(applied.stderr).toBe('')
    expect(applied.stdout).toBe('namespace/ml-team created\nconfigmap/settings created\naimservice.aim.eai.amd.com/qwen-chat created\n')
    expect(kubectl('get', 'aimservices', '-n', 'ml-team', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    const nodes = kubectl('get', 'nodes', '-l', 'amd.com/gpu.device-id=74a1', '-o', 'name')
    expect(nodes.stdout).toBe('node/gpu-mi300x-0\nnode/gpu-mi300x-1\n')
    const status = plugin('status', 'qwen-chat', '-n', 'ml-team')
    expect(status.stdout).toContain('qwen-chat')

    const port = READY.exec(first.readyLine)![1]!
    const busy = spawnSync(bin, ['simulate', '--port', port], {encoding: 'utf8', timeout: 30_000})
    expect(busy.stderr).toBe(`error: port ${port} on 127.0.0.1 is already in use\npass --port 0 to pick a free port\n`)
    expect(busy.status).toBe(1)

    first.child.kill('SIGTERM')
    const firstExit = await first.exited
    expect(first.stderr()).toMatch(/SIGTERM: stopping the simulator and flushing state\n$/)
    expect(firstExit).toEqual({code: 0, signal: null})

    const second = await start()
    expect(kubectl('get', 'configmap', 'settings', '-n', 'ml-team', '-o', 'jsonpath={.data.mode}').stdout).toBe('fast')
    expect(kubectl('get', 'aimservice', 'qwen-chat', '-n', 'ml-team', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    // A write acknowledged just before a crash survives it.
    const late = spawnSync('kubectl', ['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: ml-team}\ndata: {k: v}\n',
      encoding: 'utf8',
      env: {...process.env, KUBECONFIG: kubeconfig},
      timeout: 30_000,
    })
    expect(late.stdout).toBe('configmap/late created\n')
    second.child.kill('SIGKILL')
    expect((await second.exited).signal).toBe('SIGKILL')

    const third = await start()
    expect(kubectl('get', 'configmaps', '-n', 'ml-team', '-o', 'name').stdout).toContain('configmap/late\n')
    expect(kubectl('get', 'configmap', 'settings', '-n', 'ml-team', '-o', 'jsonpath={.data.mode}').stdout).toBe('fast')
    expect(kubectl('get', 'aimservices', '-A', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    third.child.kill('SIGINT')
    expect((await third.exited).code).toBe(0)
  }, 120_000)

  it.each([
    [['--nodes', 'mi999x=1'], 'error: invalid --nodes: unknown GPU model "mi999x" in node spec (known: mi300x, mi325x, mi355x, mi250x, mi210)'],
    [['--speed', '0'], 'error: invalid --speed "0": expected a number of virtual seconds per real second, > 0 (e.g. 10)'],
    [['--port', '70000'], 'error: invalid --port "70000": expected 0 (any free port) or 1-65535'],
    [['--gpus-per-node', 'two'], 'error: invalid --gpus-per-node "two": expected an integer from 1 to 64'],
    [['--catalog', '/nonexistent-catalog-dir'], 'error: invalid --catalog "/nonexistent-catalog-dir": not a directory'],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const r = spawnSync(bin, ['simulate', ...args], {encoding: 'utf8', timeout: 30_000})
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`${message}\n`)
    expect(r.status).toBe(2)
  })

  it('takes --gpus-per-node and --nodes', async () => {
    const sim = await start(['--nodes', 'mi325x=1', '--gpus-per-node', '4'], join(dir, 'other.jsonl'))
    expect(kubectl('get', 'node', 'gpu-mi325x-0', '-o', "jsonpath={.status.allocatable['amd\\.com/gpu']}").stdout).toBe('4')
    sim.child.kill('SIGTERM')
    expect((await sim.exited).code).toBe(0)
  }, 60_000)

  it('--operators ome serves OME, so seed 004\'s `kubectl get inferenceservice` is ome.io\'s', async () => {
    const sim = await start(['--operators', 'ome'], join(dir, 'ome.jsonl'))
    expect(sim.stderr()).toContain('operators ome; nodes mi300x=2')
    const models = join(root, 'fixtures', 'ome', 'models.yaml')
    const runtimes = join(root, 'fixtures', 'ome', 'runtimes.yaml')
    const isvc = join(root, 'fixtures', 'ome', 'seed-004-raw-deployment.yaml')
    expect(kubectl('apply', '-f', models, '-f', runtimes, '-f', isvc).code).toBe(0)
    const got = kubectl('get', 'inferenceservice', 'llama-chat', '-o', 'jsonpath={.apiVersion}')
    expect(got).toEqual({code: 0, stdout: 'ome.io/v1beta1', stderr: ''})
    const aim = kubectl('get', 'aimservices')
    expect(aim.code).toBe(1)
    expect(aim.stderr.trim()).toBe('error: the server doesn\'t have a resource type "aimservices"')
    sim.child.kill('SIGTERM')
    expect((await sim.exited).code).toBe(0)
  }, 60_000)

  it('rejects an unknown operator with exit code 2 and one line', () => {
    const r = spawnSync(bin, ['simulate', '--operators', 'aim,kserve'], {encoding: 'utf8', timeout: 30_000})
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe('error: invalid --operators: unknown operator "kserve" (expected a comma-separated list of: aim, ome)')
  })
})

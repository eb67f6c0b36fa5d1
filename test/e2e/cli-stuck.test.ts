/**
 * Deploys that cannot finish, and template ties: a one-node simulator whose GPUs are taken, and a
 * controller-less simulator holding hand-written templates that tie for the best score.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {registry} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import Deploy from '../../commands/deploy.js'
import Status from '../../commands/status.js'
import Why from '../../commands/why.js'
import Logs from '../../commands/logs.js'
import {runCommand, type RunResult} from './harness.js'

// Real HTTPS and child processes on a shared 2-core machine: generous bounds (never sleeps).
vi.setConfig({testTimeout: 90_000, hookTimeout: 90_000})

const dir = mkdtempSync(join(tmpdir(), 'aim-e2e-stuck-'))

async function drive(s: Simulator, run: Promise<RunResult>): Promise<RunResult> {
  let done = false
  const p = run.finally(() => (done = true))
  const deadline = Date.now() + 50_000
  while (!done && Date.now() < deadline) {
    await s.settle()
    await new Promise((r) => setTimeout(r, 15)) // let the HTTP watch deliver (real I/O)
  }
  return p
}

let kcStuck = ''
let stuckSim: Simulator | undefined

describe('a deploy that cannot be scheduled', () => {
  let sim: Simulator
  let kc: string
  beforeAll(async () => {
    sim = await startSimulator({seed: 'cli-stuck', nodes: 'mi300x=1'})
    kc = join(dir, 'stuck.kubeconfig')
    kcStuck = kc
    stuckSim = sim
    sim.writeKubeconfig(kc)
    await sim.settle()
    // Take all 8 GPUs of the only node.
    const filler = await drive(sim, runCommand(Deploy, ['qwen', '--name', 'filler', '--replicas', '8', '--kubeconfig', kc, '--timeout', '60s']))
    expect(filler.code).toBe(0)
  }, 90_000)
  it('times out with exit 1 naming FailedScheduling and how many nodes have a free GPU', async () => {
    // Create it and let the cluster reach FailedScheduling first, so the bounded real-time wait
    // below does not depend on machine load.
    expect((await runCommand(Deploy, ['qwen', '--name', 'stuck', '--no-wait', '--kubeconfig', kc])).code).toBe(0)
    const svcKind = registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!
    const scheduling = () =>
      ((sim.store.get(svcKind, 'default', 'stuck')?.status as {conditions?: Array<{type: string; reason?: string}>} | undefined)?.conditions ?? []).some(
        (c) => c.type === 'InferenceServicePodsReady' && c.reason === 'FailedScheduling',
      )
    for (let i = 0; i < 200 && !scheduling(); i++) await sim.settle()
    expect(scheduling()).toBe(true)
    const r = await drive(sim, runCommand(Deploy, ['qwen', '--name', 'stuck', '--timeout', '2s', '--kubeconfig', kc]))
    expect(r.code).toBe(1)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.at(-2)).toBe(
      'error: timed out after 2s waiting for aimservice/stuck (Pending): InferenceServicePodsReady is False, reason FailedScheduling: 0/1 nodes are available: 1 Insufficient amd.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    )
    expect(lines.at(-1)).toBe('0/1 nodes have a free MI300X (8/8 amd.com/gpu on MI300X nodes in use); free GPUs or add nodes, then: kubectl aim status stuck -n default')
    expect(r.stdout).toBe('')
  })

  it('status shows the reason in the table and the warning in the report', async () => {
    const table = await runCommand(Status, ['--kubeconfig', kc])
    expect(table.stdout).toMatch(/^stuck\s+Pending\s+.*FailedScheduling$/m)
    const one = await runCommand(Status, ['stuck', '--kubeconfig', kc])
    expect(one.stdout).toContain('Waiting on:  InferenceServicePodsReady FailedScheduling: 0/1 nodes are available')
    expect(one.stdout).toMatch(/✗ InferenceServicePodsReady\s+FailedScheduling/)
    expect(one.stdout).toMatch(/FailedScheduling\s+pod\/stuck-[0-9a-f]{8}-predictor-\S+\s+0\/1 nodes are available/)
  })
})

describe('logs of several pods', () => {
  it('says which pods have not started', async () => {
    const r = await runCommand(Logs, ['stuck', '--kubeconfig', kcStuck])
    expect(r.code).toBe(1)
    const [line, hint] = r.stderr.trimEnd().split('\n')
    expect(line).toMatch(/^error: no pod of aimservice\/stuck has started yet \(stuck-[0-9a-f]{8}-predictor-\S+: Pending\)$/)
    expect(hint).toBe('see why: kubectl aim status stuck -n default')
  })

  it('prefixes each line with its pod (stern-like)', async () => {
    const r = await runCommand(Logs, ['filler', '--tail', '1', '--kubeconfig', kcStuck])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(8)
    for (const l of lines) expect(l).toMatch(/^\[filler-[0-9a-f]{8}-predictor-\S+\] \S/)
    expect(new Set(lines.map((l) => l.split(']')[0])).size).toBe(8)
  })
})

describe('re-deploying with other flags', () => {
  it('reports configured, and drops fields an earlier deploy set (server-side apply)', async () => {
    const {registry} = await import('../../src/api/registry.js')
    const svcKind = registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!
    const same = await runCommand(Deploy, ['qwen', '--name', 'filler', '--replicas', '8', '--no-wait', '--kubeconfig', kcStuck])
    expect(same.stdout.trim()).toBe('aimservice.aim.eai.amd.com/filler unchanged')
    const less = await runCommand(Deploy, ['qwen', '--name', 'filler', '--no-wait', '--kubeconfig', kcStuck])
    expect(less.stdout.trim()).toBe('aimservice.aim.eai.amd.com/filler configured')
    const obj = stuckSim!.store.get(svcKind, 'default', 'filler') as {spec: {replicas?: number}}
    expect(obj.spec.replicas ?? 1).toBe(1)
  })
})

afterAll(async () => {
  await stuckSim?.stop()
})

describe('why with a tie', () => {
  let sim: Simulator
  let kc: string
  const kind = (k: string) => registry.forKind('aim.eai.amd.com/v1alpha1', k)!
  function template(name: string, metric = 'latency'): KubeObject {
    return {
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMClusterServiceTemplate',
      metadata: {name},
      spec: {modelName: 'tiny', metric, precision: 'fp16', hardware: {gpu: {model: 'MI300X', requests: 1}}},
    }
  }
  function put(obj: KubeObject, status: Record<string, unknown>): void {
    const info = registry.forKind(obj.apiVersion, obj.kind)!
    sim.store.create(obj)
    sim.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => ({...o, status}), {subresource: 'status'})
  }
  const ready = (metric: string) => ({status: 'Ready', profile: {metadata: {engine: 'vllm', gpu: 'MI300X', gpuCount: 1, metric, precision: 'fp16', type: 'optimized'}}})

  beforeAll(async () => {
    sim = await startSimulator({seed: 'cli-why', controllers: false})
    kc = join(dir, 'why.kubeconfig')
    sim.writeKubeconfig(kc)
    sim.store.create({apiVersion: 'v1', kind: 'Node', metadata: {name: 'gpu-0', labels: {'amd.com/gpu.device-id': '74a1'}}, status: {capacity: {'amd.com/gpu': '8'}, allocatable: {'amd.com/gpu': '8'}}} as KubeObject)
    put({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMClusterModel', metadata: {name: 'tiny'}, spec: {image: 'example.com/aim-tiny:1.0'}}, {status: 'Ready', imageMetadata: {model: {canonicalName: 'example/tiny'}}})
    put(template('tiny-a'), ready('latency'))
    put(template('tiny-b'), ready('latency'))
    put(template('tiny-c', 'throughput'), ready('throughput'))
    sim.store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'tie', namespace: 'default'}, spec: {model: {name: 'tiny'}}})
    sim.store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'pinned', namespace: 'default'}, spec: {model: {name: 'tiny'}, template: {name: 'tiny-c'}}})
    void kind
  })
  afterAll(async () => {
    await sim?.stop()
  })

  it('marks the tied templates and says how to fix it', async () => {
    const r = await runCommand(Why, ['tie', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^=\s+1\s+Cluster\s+tiny-a\s+Ready\s+optimized\s+1 x MI300X\s+latency\s+fp16\s+tie \(TemplateSelectionAmbiguous\)$/m)
    expect(r.stdout).toMatch(/^=\s+1\s+Cluster\s+tiny-b\s+.*tie \(TemplateSelectionAmbiguous\)$/m)
    expect(r.stdout).toMatch(/^\s+3\s+Cluster\s+tiny-c\s+.*rank 3 \(score 0\/1\/1\/4\): LowerPreferenceRank$/m)
    expect(r.stdout).toContain('Outcome: ambiguous: 2 templates tie (tiny-a, tiny-b)')
    expect(r.stdout).toContain('TemplateReady=False reason TemplateSelectionAmbiguous: Template selection is ambiguous: 2 templates have identical preference scores: tiny-a (Cluster), tiny-b (Cluster); set spec.template.name to choose one, or remove duplicate templates')
    expect(r.stdout).toContain('Note: fix: set spec.template.name to one of: tiny-a, tiny-b (kubectl aim deploy … --template NAME)')
    const json = JSON.parse((await runCommand(Why, ['tie', '-o', 'json', '--kubeconfig', kc])).stdout)
    expect(json).toMatchObject({outcome: 'ambiguous', tied: ['tiny-a', 'tiny-b'], condition: {reason: 'TemplateSelectionAmbiguous'}})
  })

  it('says so when the service pins template.name', async () => {
    const r = await runCommand(Why, ['pinned', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Note: the service pins spec.template.name=tiny-c: auto-selection does not run for it; the ranking below is hypothetical')
  })

  it('needs a NAME or --model (exit 2)', async () => {
    const r = await runCommand(Why, ['--kubeconfig', kc])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: give a service NAME or --model MODEL')
  })
})

/**
 * The everyday commands against the in-process simulator: real HTTPS, real client-node, the AIM
 * reconcilers on a manual virtual clock. While a command waits on a watch, `drive()` settles the
 * simulator (virtual time) until the command returns.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import Deploy from '../../commands/deploy.js'
import Status from '../../commands/status.js'
import Why from '../../commands/why.js'
import Logs from '../../commands/logs.js'
import CacheList from '../../commands/cache/list.js'
import CacheShow from '../../commands/cache/show.js'
import CacheWarm from '../../commands/cache/warm.js'
import CacheClean from '../../commands/cache/clean.js'
import {runCommand, type RunResult} from './harness.js'

// Real HTTPS and child processes on a shared 2-core machine: generous bounds (never sleeps).
vi.setConfig({testTimeout: 90_000, hookTimeout: 90_000})

let sim: Simulator
let kc: string
const dir = mkdtempSync(join(tmpdir(), 'aim-e2e-'))

/** Settle the simulator until the command finishes (the command waits on real HTTP watches). */
export async function drive(s: Simulator, run: Promise<RunResult>): Promise<RunResult> {
  let done = false
  const p = run.finally(() => (done = true))
  const deadline = Date.now() + 50_000
  while (!done && Date.now() < deadline) {
    await s.settle()
    await new Promise((r) => setTimeout(r, 15)) // let the HTTP watch deliver (real I/O)
  }
  return p
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)

beforeAll(async () => {
  sim = await startSimulator({seed: 'cli-e2e'})
  kc = join(dir, 'kubeconfig')
  sim.writeKubeconfig(kc)
  await sim.settle()
})
afterAll(async () => {
  await sim?.stop()
})

describe('deploy', () => {
  it('deploys qwen to Running and prints the endpoint last', async () => {
    const r = await drive(sim, runCommand(Deploy, ['qwen', '--kubeconfig', kc, '--timeout', '60s']))
    expect(r.stderr).toContain('aimservice.aim.eai.amd.com/qwen3-32b created in namespace default (context: aim-simulator)')
    expect(r.stderr).toMatch(/Model resolved: done \(qwen-qwen3-32b\)/)
    expect(r.stderr).toMatch(/Template selected: done \(qwen3-32b-mi300x-fp16-latency\)/)
    expect(r.stderr).toMatch(/Model cache warm: done/)
    expect(r.stderr).toContain('aimservice/qwen3-32b is Running (template qwen3-32b-mi300x-fp16-latency)')
    expect(r.code).toBe(0)
    expect(lastLine(r.stdout)).toMatch(/^https?:\/\/qwen3-32b-[0-9a-f]{8}/)
    expect(r.stdout).not.toMatch(/\u001b\[/)
  })

  it('is idempotent: the same flags again say "unchanged" and return at once', async () => {
    const r = await drive(sim, runCommand(Deploy, ['qwen', '--kubeconfig', kc]))
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('aimservice.aim.eai.amd.com/qwen3-32b unchanged')
    expect(lastLine(r.stdout)).toMatch(/^https?:\/\/qwen3-32b-/)
  })

  it('exits 2 listing the models an ambiguous MODEL matches', async () => {
    const r = await runCommand(Deploy, ['llama', '--kubeconfig', kc])
    expect(r.code).toBe(2)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines[0]).toBe('error: "llama" matches 2 models:')
    expect(r.stderr).toContain('aimclustermodel/meta-llama-llama-3-1-8b-instruct')
    expect(r.stderr).toContain('aimclustermodel/meta-llama-llama-3-2-1b-instruct')
    expect(r.stdout).toBe('')
  })

  it('exits 2 for an unknown model', async () => {
    const r = await runCommand(Deploy, ['no-such-model', '--kubeconfig', kc])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: no model matches "no-such-model"')
  })

  it('with --route the route path is the last line', async () => {
    const r = await drive(sim, runCommand(Deploy, ['gpt-oss', '--name', 'chat', '--route', '--gateway', 'gateways/inference-gateway', '--kubeconfig', kc, '--timeout', '60s']))
    expect(r.stderr).toMatch(/Route ready: done/)
    expect(r.code).toBe(0)
    expect(lastLine(r.stdout)).toBe('/default/chat')
  })

  it('with --min/--max-replicas the report shows the KEDA HPA', async () => {
    const r = await drive(sim, runCommand(Deploy, ['gpt-oss', '--name', 'scaled', '--min-replicas', '1', '--max-replicas', '3', '--kubeconfig', kc, '--timeout', '60s']))
    expect(r.code).toBe(0)
    const s = await runCommand(Status, ['scaled', '--kubeconfig', kc])
    expect(s.stdout).toMatch(/Autoscaling:\n {2}HPA keda-hpa-scaled-[0-9a-f]{8}-predictor: min 1 {2}max 3 {2}current 1 {2}desired 1/)
    expect(s.stdout).toMatch(/✓ HPAReady\s+HPAOperational/)
  })

  it('a failed deploy ends with the reason, message and a hint (exit 1)', async () => {
    const r = await drive(sim, runCommand(Deploy, ['qwen', '--name', 'pinned-bad', '--template', 'nope', '--kubeconfig', kc, '--timeout', '60s']))
    expect(r.code).toBe(1)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines.at(-2)).toBe('error: aimservice/pinned-bad failed: TemplateReady reason TemplateNotFound: template "nope" not found')
    expect(lines.at(-1)).toBe('see which templates were considered: kubectl aim why pinned-bad -n default')
    expect(r.stdout).toBe('')
    const s = await runCommand(Status, ['pinned-bad', '--kubeconfig', kc])
    expect(s.stdout).toContain('Status:      Failed')
    expect(s.stdout).toContain('Failed at:   TemplateReady TemplateNotFound: template "nope" not found')
  })

  it('--dry-run server validates without creating', async () => {
    const r = await runCommand(Deploy, ['gpt-oss', '--name', 'dry', '--dry-run', 'server', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com/dry created (server dry run)')
    const after = await runCommand(Status, ['dry', '--kubeconfig', kc])
    expect(after.code).toBe(1)
    expect(after.stderr.split('\n')[0]).toBe('error: aimservices "dry" not found in namespace "default"')
  })
})

describe('status', () => {
  it('lists services as a table', async () => {
    const r = await runCommand(Status, ['--kubeconfig', kc])
    expect(r.code).toBe(0)
    const [header, ...rows] = r.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^NAME\s+STATUS\s+MODEL\s+TEMPLATE\s+REPLICAS\s+ENDPOINT\s+AGE\s+REASON$/)
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['chat', 'pinned-bad', 'qwen3-32b', 'scaled'])
    expect(rows[0]).toMatch(/^chat\s+Running\s+openai-gpt-oss-20b\s+\S+\s+1\s+\/default\/chat\s/)
    expect(rows[1]).toMatch(/^pinned-bad\s+Failed\s+.*TemplateNotFound$/)
    expect(rows[2]).toMatch(/^qwen3-32b\s+Running\s+qwen-qwen3-32b\s+qwen3-32b-mi300x-fp16-latency\s+1\s+http/)
  })

  it('-A adds a NAMESPACE column; another namespace is empty', async () => {
    const all = await runCommand(Status, ['-A', '--kubeconfig', kc])
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+STATUS/)
    expect(all.stdout).toMatch(/^default\s+qwen3-32b\s+Running/m)
    const other = await runCommand(Status, ['-n', 'kube-system', '--kubeconfig', kc])
    expect(other.code).toBe(0)
    expect(other.stderr).toBe('No resources found in kube-system namespace.\n')
  })

  it('shows one service as plain text without ANSI off a TTY', async () => {
    const r = await runCommand(Status, ['qwen3-32b', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/\u001b\[/)
    expect(r.stdout).toContain('Status:      Running')
    expect(r.stdout).toContain('Template:    qwen3-32b-mi300x-fp16-latency (Cluster)')
    expect(r.stdout).toMatch(/✓ CacheReady\s+CacheReady\s+Template cache is ready/)
    expect(r.stdout).toMatch(/qwen3-32b-[0-9a-f]{8}-predictor-\S+\s+1\/1\s+Running\s+gpu-mi300x-\d+\s+0/)
    expect(r.stdout).toMatch(/Qwen\/Qwen3-32B\s+\[#{20}\] 100%/)
    expect(r.stdout).toContain('kubectl aim logs qwen3-32b -n default')
  })

  it('-o json is a StatusReport', async () => {
    const r = await runCommand(Status, ['qwen3-32b', '-o', 'json', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({apiVersion: 'cli.aim.eai.amd.com/v1alpha1', kind: 'StatusReport', context: 'aim-simulator'})
    expect(doc.service).toMatchObject({name: 'qwen3-32b', namespace: 'default', status: 'Running', template: {name: 'qwen3-32b-mi300x-fp16-latency', pinned: false}})
    expect(doc.pods).toHaveLength(1)
    expect(doc.cache.artifacts[0]).toMatchObject({modelId: 'Qwen/Qwen3-32B', status: 'Ready', percentage: 100})
    expect(doc.conditions.find((c: {type: string}) => c.type === 'Ready')).toMatchObject({status: 'True', reason: 'AllComponentsReady'})
    expect(doc.errors).toEqual([])
  })

  it('--watch redraws when the service changes', async () => {
    const {registry} = await import('../../src/api/registry.js')
    const svcKind = registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!
    let done = false
    const run = runCommand(Status, ['scaled', '--watch', '-o', 'json', '--watch-updates', '2', '--kubeconfig', kc]).finally(() => (done = true))
    for (let i = 0; !done && i < 2000; i++) {
      // Keep changing something the report shows until the watch has drawn twice.
      sim.store.mutate(svcKind, 'default', 'scaled', (o) => ({...o, spec: {...(o.spec as object), env: [{name: 'TICK', value: String(i)}]}}))
      await sim.settle()
      await new Promise((r) => setTimeout(r, 20)) // the watch event travels over real HTTPS
    }
    const r = await run
    expect(r.code).toBe(0)
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(docs).toHaveLength(2)
    expect(docs[1].env[0].name).toBe('TICK')
    const strip = (d: {collectedAt?: string}) => JSON.stringify({...d, collectedAt: ''})
    expect(strip(docs[1])).not.toBe(strip(docs[0]))
  })

  it('--watch -o json streams one document per change', async () => {
    const r = await runCommand(Status, ['qwen3-32b', '--watch', '-o', 'json', '--watch-updates', '1', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(docs).toHaveLength(1)
    expect(docs[0].kind).toBe('StatusReport')
  })
})

describe('why', () => {
  it('ranks every candidate and marks the winner, as the controller chose', async () => {
    const r = await runCommand(Why, ['qwen3-32b', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^\*\s+1\s+Cluster\s+qwen3-32b-mi300x-fp16-latency\s+Ready\s+optimized\s+1 x MI300X\s+latency\s+fp16\s+selected \(BestMatch\)$/m)
    expect(r.stdout).toMatch(/2\s+Cluster\s+qwen3-32b-mi300x-fp16-throughput\s+.*rank 2 \(score 0\/1\/1\/4\): LowerPreferenceRank$/m)
    expect(r.stdout).toMatch(/qwen3-32b-mi325x-fp8-latency\s+NotAvailable\s+.*dropped at availability: TemplateNotAvailable/)
    expect(r.stdout).toContain('Outcome: selected qwen3-32b-mi300x-fp16-latency')
  })

  it('explains a hypothetical deployment with overrides, and answers with the alias name too', async () => {
    const r = await runCommand(Why, ['--model', 'qwen', '--metric', 'throughput', '-o', 'json', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({kind: 'ExplainReport', hypothetical: true, model: 'qwen-qwen3-32b', outcome: 'selected', selected: 'qwen3-32b-mi300x-fp16-throughput'})
    expect(doc.candidates.find((c: {name: string}) => c.name === 'qwen3-32b-mi300x-fp16-latency')).toMatchObject({droppedAt: 'overrides', reason: 'ServiceOverridesNotMatched'})
    expect(Why.aliases).toContain('explain-selection')
  })
})

describe('cache', () => {
  it('lists the template cache with its user', async () => {
    const r = await runCommand(CacheList, ['--kubeconfig', kc])
    expect(r.code).toBe(0)
    const [header, ...rows] = r.stdout.trimEnd().split('\n')
    const row = rows.find((l) => l.startsWith('qwen3-32b-mi300x-fp16-latency-'))
    expect(header).toMatch(/^NAME\s+TEMPLATE\s+MODE\s+STATUS\s+ARTIFACTS\s+SIZE\s+PROGRESS\s+USED BY\s+AGE$/)
    expect(row).toMatch(/^qwen3-32b-mi300x-fp16-latency-[0-9a-f]{8}\s+qwen3-32b-mi300x-fp16-latency\s+Shared\s+Ready\s+1\/1\s+61 GiB\s+100%\s+qwen3-32b\s+/)
  })

  it('shows one cache with artifacts and PVCs', async () => {
    const list = JSON.parse((await runCommand(CacheList, ['-o', 'json', '--kubeconfig', kc])).stdout)
    const name = list.items.find((c: {template: string}) => c.template === 'qwen3-32b-mi300x-fp16-latency').name as string
    const r = await runCommand(CacheShow, [name, '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Name:        ${name}`)
    expect(r.stdout).toContain('Used by:     aimservice/qwen3-32b')
    expect(r.stdout).toMatch(/progress: \[#{20}\] 100%/)
    expect(r.stdout).toMatch(/pvc:\s+hf---qwen-qwen3-32b-\S+-cache-[0-9a-f]{8}\s+Bound/)
  })

  it('warms another template and follows it to Ready', async () => {
    const r = await drive(sim, runCommand(CacheWarm, ['qwen3-32b-mi300x-fp16-throughput', '--wait', '--timeout', '60s', '--kubeconfig', kc]))
    expect(r.stderr.split('\n')[0]).toMatch(/^aimtemplatecache\.aim\.eai\.amd\.com\/qwen3-32b-mi300x-fp16-throughput-[0-9a-f]{8} created; waiting for it to be Ready$/)
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toMatch(/^aimtemplatecache\.aim\.eai\.amd\.com\/qwen3-32b-mi300x-fp16-throughput-[0-9a-f]{8} ready$/)
    const again = await runCommand(CacheWarm, ['qwen3-32b-mi300x-fp16-throughput', '--kubeconfig', kc])
    expect(again.stdout.trim()).toMatch(/ unchanged$/)
  })

  it('clean lists unused Shared caches, refuses without --yes off a TTY, deletes with --yes', async () => {
    const dry = await runCommand(CacheClean, ['--dry-run', '--kubeconfig', kc])
    expect(dry.code).toBe(0)
    expect(dry.stderr).toMatch(/^would delete aimtemplatecache\/qwen3-32b-mi300x-fp16-throughput-[0-9a-f]{8} in default \(unused, template qwen3-32b-mi300x-fp16-throughput, 1 artifacts\)$/m)
    expect(dry.stderr).not.toContain('qwen3-32b-mi300x-fp16-latency-')
    const refused = await runCommand(CacheClean, ['--kubeconfig', kc])
    expect(refused.code).toBe(2)
    expect(refused.stderr.trimEnd().split('\n').slice(-2)).toEqual(['error: refusing to delete without confirmation: stdin is not a terminal', 'pass --yes to delete, or --dry-run to only list'])
    const done = await runCommand(CacheClean, ['--yes', '--kubeconfig', kc])
    expect(done.code).toBe(0)
    expect(done.stdout.trim()).toMatch(/^aimtemplatecache\.aim\.eai\.amd\.com\/qwen3-32b-mi300x-fp16-throughput-[0-9a-f]{8} deleted$/)
    await sim.settle()
    const after = await runCommand(CacheList, ['-o', 'name', '--kubeconfig', kc])
    expect(after.stdout).not.toContain('throughput')
  })

  it('warm of an unknown template exits 2', async () => {
    const r = await runCommand(CacheWarm, ['nope', '--kubeconfig', kc])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: template "nope" not found in namespace default or cluster scope')
  })
})

describe('logs', () => {
  it('prints the predictor container log without prefixes for one pod', async () => {
    const r = await runCommand(Logs, ['qwen3-32b', '--kubeconfig', kc])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Uvicorn running on http:\/\/0\.0\.0\.0:8000/)
    expect(r.stdout).not.toMatch(/^\[qwen3-32b/m)
    const tail = await runCommand(Logs, ['qwen3-32b', '--tail', '1', '--prefix', '--kubeconfig', kc])
    expect(tail.stdout.trim().split('\n')).toHaveLength(1)
  })

  it('-f follows pods that start later, prefixing lines with the pod name', async () => {
    const {KubeClient} = await import('../../src/kube/client.js')
    const {streamServiceLogs} = await import('../../src/kube/logs.js')
    const {registry} = await import('../../src/api/registry.js')
    const client = KubeClient.create({kubeconfig: kc})
    const lines: string[] = []
    let stop!: () => void
    const stopSignal = new Promise<void>((r) => (stop = r))
    const following = streamServiceLogs(client, 'chat', 'default', {follow: true, tailLines: 1, write: (l) => lines.push(l), stopSignal})
    const svcKind = registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!
    sim.store.mutate(svcKind, 'default', 'chat', (o) => ({...o, spec: {...(o.spec as object), replicas: 2}}))
    const pods = () => new Set(lines.map((l) => /^\[([^\]]+)\]/.exec(l)?.[1]).filter(Boolean))
    for (let i = 0; i < 500 && pods().size < 2; i++) {
      await sim.settle()
      await new Promise((r) => setTimeout(r, 20)) // log lines travel over real HTTPS
    }
    stop()
    await following
    expect(pods().size).toBeGreaterThanOrEqual(2) // the new replica (a rollout may add more)
    for (const p of pods()) expect(p).toMatch(/^chat-[0-9a-f]{8}-predictor-/)
  })

  it('says when there are no pods', async () => {
    const r = await runCommand(Logs, ['nope', '--kubeconfig', kc])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('error: aimservices "nope" not found in namespace "default"')
  })
})

describe('connection errors', () => {
  it('401 with a wrong token is one line', async () => {
    const bad = join(dir, 'bad-token')
    const {writeFileSync, readFileSync} = await import('node:fs')
    writeFileSync(bad, readFileSync(kc, 'utf8').replace(/token: .*/, 'token: "wrong"'))
    const r = await runCommand(Status, ['--kubeconfig', bad])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('error: You must be logged in to the server (Unauthorized)')
  })

  it('an unreachable server is one line naming it', async () => {
    const {createServer} = await import('node:net')
    const port = await new Promise<number>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as {port: number}).port
        srv.close(() => resolve(p))
      })
    })
    const gone = join(dir, 'gone')
    const {writeFileSync, readFileSync} = await import('node:fs')
    writeFileSync(gone, readFileSync(kc, 'utf8').replace(/server: .*/, `server: https://127.0.0.1:${port}`))
    const r = await runCommand(Status, ['--kubeconfig', gone])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe(`error: cannot reach the Kubernetes API server at https://127.0.0.1:${port} (ECONNREFUSED)`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('KUBECONFIG merges files kubectl-style; --context and -n pick the namespace', async () => {
    const {writeFileSync, readFileSync} = await import('node:fs')
    const {delimiter} = await import('node:path')
    const text = readFileSync(kc, 'utf8')
    // First file: a context "team" on the simulator with namespace ml-team, current. Second: the simulator's own.
    const first = join(dir, 'first')
    writeFileSync(
      first,
      text
        .replace(/^current-context: .*$/m, 'current-context: team')
        .replace(/- name: aim-simulator\n {2}context:\n {4}cluster: aim-simulator\n {4}user: aim-simulator\n {4}namespace: default/, '- name: team\n  context:\n    cluster: aim-simulator\n    user: aim-simulator\n    namespace: ml-team'),
    )
    expect(readFileSync(first, 'utf8')).toContain('namespace: ml-team')
    const env = {KUBECONFIG: [first, kc].join(delimiter)}
    const team = await runCommand(Status, [], {env})
    expect(team.stderr).toBe('No resources found in ml-team namespace.\n')
    const other = await runCommand(Status, ['--context', 'aim-simulator'], {env})
    expect(other.stdout).toMatch(/^qwen3-32b\s+Running/m)
    const flag = await runCommand(Status, ['-n', 'default'], {env})
    expect(flag.stdout).toMatch(/^qwen3-32b\s+Running/m)
  })

  it('an unknown --context exits 2', async () => {
    const r = await runCommand(Status, ['--context', 'prod', '--kubeconfig', kc])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: context "prod" does not exist')
  })
})

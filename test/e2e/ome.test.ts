/**
 * OME in the plugin (issue 7): `kubectl aim status NAME` and `kubectl aim why NAME` for an
 * ome.io InferenceService, against the in-process simulator (real HTTPS, real client-node).
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {parseAllDocuments, parse as parseYaml} from 'yaml'
import type {KubeObject} from '../../src/api/object.js'
import {registry} from '../../src/api/registry.js'
import {fixturesDir} from '../../simulator/cluster/catalog.js'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import Status from '../../commands/status.js'
import Why from '../../commands/why.js'
import {runCommand} from './harness.js'

vi.setConfig({testTimeout: 90_000, hookTimeout: 90_000})

let sim: Simulator
let kc: string

function apply(text: string): void {
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as KubeObject | null
    if (!o?.kind) continue
    const info = registry.forKind(o.apiVersion, o.kind)!
    if (info.namespaced) o.metadata.namespace ??= 'default'
    sim.store.create(o)
  }
}
const fixture = (file: string) => readFileSync(join(fixturesDir(), 'ome', file), 'utf8')
const run = (cmd: typeof Status | typeof Why, ...argv: string[]) => runCommand(cmd, [...argv, '--kubeconfig', kc])
const section = (text: string, title: string) => {
  const lines = text.split('\n')
  const start = lines.indexOf(`${title}:`)
  if (start < 0) return []
  const end = lines.findIndex((l, i) => i > start && (l === '' || /^\S/.test(l)))
  return lines.slice(start + 1, end < 0 ? undefined : end)
}

// A namespace runtime for Llama in team-a: it must beat the cluster runtimes there.
const TEAM = `
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: ome.io/v1beta1
kind: ServingRuntime
metadata: {name: team-vllm, namespace: team-a}
spec:
  modelSizeRange: {min: 30B, max: 80B}
  supportedModelFormats:
    - name: safetensors
      modelFormat: {name: safetensors, version: "1.0.0"}
      modelFramework: {name: transformers, version: "4.47.0"}
      modelArchitecture: LlamaForCausalLM
      autoSelect: true
      priority: 1
  engineConfig:
    runner:
      name: ome-container
      image: vllm/vllm-openai:v0.9.0.1
      resources:
        requests: {amd.com/gpu: "1"}
        limits: {amd.com/gpu: "1"}
---
apiVersion: ome.io/v1beta1
kind: InferenceService
metadata: {name: team-llama, namespace: team-a}
spec:
  model: {name: llama-3-70b-instruct}
  engine: {minReplicas: 1, maxReplicas: 2}
---
apiVersion: ome.io/v1beta1
kind: InferenceService
metadata: {name: lost-model, namespace: default}
spec:
  model: {name: no-such-model}
  engine: {minReplicas: 1}
`

beforeAll(async () => {
  sim = await startSimulator({seed: 'ome-e2e', nodes: 'mi300x=2,a100=2', operators: ['aim', 'ome']})
  kc = join(mkdtempSync(join(tmpdir(), 'aim-ome-e2e-')), 'kubeconfig')
  sim.writeKubeconfig(kc)
  apply(fixture('models.yaml'))
  apply(fixture('runtimes.yaml'))
  apply(fixture('seed-004-raw-deployment.yaml'))
  apply(fixture('seed-004-router.yaml'))
  apply(fixture('seed-004-architecture.yaml'))
  apply(TEAM)
  await sim.settle(30 * 60_000)
})
afterAll(async () => {
  await sim?.stop()
})

describe('kubectl aim status NAME for an OME InferenceService', () => {
  it('is chosen automatically when no AIMService has the name: summary, component, pods, look closer', async () => {
    const r = await run(Status, 'llama-chat')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines).toContain('Name:          llama-chat  (inferenceservices.ome.io)')
    expect(lines).toContain('Ready:         True')
    expect(lines).toContain('URL:           http://llama-chat.default.example.com')
    expect(lines).toContain('Model:         llama-3-70b-instruct (ClusterBaseModel)  70B')
    expect(lines).toContain('Model status:  Loaded (UpToDate)')
    expect(lines).toContain('Runtime:       vllm-rocm-llama (ClusterServingRuntime, auto-selected)')
    expect(section(r.stdout, 'Component engine')).toEqual([
      '  Mode:        RawDeployment',
      '  Replicas:    min 2  max 10  desired 2',
      '  Ready pods:  2/2',
      '  URL:         http://llama-chat-engine.default.example.com',
      '  Revision:    llama-chat-engine-00001',
      '  Condition:     ✓ EngineReady=True',
    ])
    const pods = section(r.stdout, 'Pods')
    expect(pods[0]).toMatch(/^ {2}POD +COMPONENT +READY +PHASE +NODE +RESTARTS +REASON$/)
    expect(pods.slice(1)).toHaveLength(2)
    for (const p of pods.slice(1)) expect(p).toMatch(/^ {2}llama-chat-engine-\S+ +engine +1\/1 +Running +gpu-mi300x-[01] +0$/)
    expect(section(r.stdout, 'Look closer with')).toEqual([
      '  kubectl -n default get inferenceservices.ome.io llama-chat',
      '  kubectl -n default describe inferenceservices.ome.io llama-chat',
      '  kubectl -n default get pods -l ome.io/inferenceservice=llama-chat',
      '  kubectl -n default logs -l serving.ome.io/inferenceservice=llama-chat --tail=50',
      '  kubectl get clusterbasemodels.ome.io llama-3-70b-instruct',
      '  kubectl get clusterservingruntimes.ome.io vllm-rocm-llama',
      '  kubectl -n default get events --field-selector involvedObject.name=llama-chat',
    ])
  })

  it('router + engine: one section per component with its mode and replicas', async () => {
    const r = await run(Status, 'llama-routed', '--ome')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Mode:          engine RawDeployment, router RawDeployment')
    expect(section(r.stdout, 'Component router')).toContain('  Condition:     ✓ RouterReady=True')
    expect(section(r.stdout, 'Component router')).toContain('  URL:         http://llama-routed-router.default.example.com')
    expect(section(r.stdout, 'Conditions').map((l) => l.trim())).toEqual(expect.arrayContaining(['✓ RouterReady', '✓ EngineReady', '✓ Ready']))
  })

  it('-o json is an OMEStatusReport; -o yaml the same document', async () => {
    const r = await run(Status, 'llama-chat', '-o', 'json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({
      apiVersion: 'cli.aim.eai.amd.com/v1alpha1',
      kind: 'OMEStatusReport',
      context: 'aim-simulator',
      service: {name: 'llama-chat', namespace: 'default', ready: 'True', url: 'http://llama-chat.default.example.com', address: 'http://llama-chat.default.svc.cluster.local', prefillDecode: false},
      model: {name: 'llama-3-70b-instruct', kind: 'ClusterBaseModel', lookup: 'found', size: '70B', transitionStatus: 'UpToDate', activeModelState: 'Loaded', targetModelState: 'Loaded'},
      runtime: {name: 'vllm-rocm-llama', kind: 'ClusterServingRuntime', explicit: false, outcome: 'selected', reason: 'RuntimeSelected'},
      errors: [],
    })
    expect(doc.components).toEqual([
      {
        component: 'engine',
        mode: 'RawDeployment',
        minReplicas: 2,
        maxReplicas: 10,
        replicas: 2,
        pods: 2,
        readyPods: 2,
        url: 'http://llama-chat-engine.default.example.com',
        revision: 'llama-chat-engine-00001',
        condition: {type: 'EngineReady', status: 'True'},
      },
    ])
    const y = await run(Status, 'llama-chat', '-o', 'yaml')
    expect(parseYaml(y.stdout)).toMatchObject({kind: 'OMEStatusReport', components: [{component: 'engine', readyPods: 2}]})
    const n = await run(Status, 'llama-chat', '-o', 'name')
    expect(n.stdout).toBe('inferenceservice.ome.io/llama-chat\n')
  })

  it('a missing model: Ready False with the OME reason, InvalidSpec model status, why among the commands', async () => {
    const r = await run(Status, 'lost-model')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines).toContain('Ready:         False BaseModelNotFound: No BaseModel or ClusterBaseModel with the name: no-such-model')
    expect(lines).toContain('Model status:  Pending (InvalidSpec)')
    expect(lines).toContain('Runtime:       none (BaseModelNotFound: the model is not resolved)')
    expect(section(r.stdout, 'Recent warnings')[1]).toMatch(/ModelReconcileError +inferenceservice\/lost-model +No BaseModel or ClusterBaseModel with the name: no-such-model$/)
    expect(section(r.stdout, 'Look closer with')).toContain('  kubectl aim why lost-model -n default')
  })

  it('an unknown name still fails with the AIMService error; --ome names the OME resource', async () => {
    const r = await run(Status, 'nope')
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('error: aimservices "nope" not found in namespace "default"')
    const o = await run(Status, 'nope', '--ome')
    expect(o.code).toBe(1)
    expect(o.stderr.split('\n')[0]).toMatch(/^error: inferenceservices(\.ome\.io)? "nope" not found in namespace "default"$/)
  })

  it('--watch prints a new report when the service changes', async () => {
    const before = sim.requestLog.length
    const watching = run(Status, 'llama-chat', '--watch', '--watch-updates', '2', '-o', 'json')
    // Wait (real I/O, bounded) until the command's pod watch is open, then change the service.
    const deadline = Date.now() + 20_000
    while (!sim.requestLog.slice(before).some((e) => e.path.endsWith('/namespaces/default/pods') && /watch=(true|1)/.test(e.query)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20))
    }
    sim.store.mutate(registry.forKind('ome.io/v1beta1', 'InferenceService')!, 'default', 'llama-chat', (o) => {
      ;(o.spec as {engine: {maxReplicas: number}}).engine.maxReplicas = 12
    })
    let done = false
    const result = watching.finally(() => (done = true))
    while (!done && Date.now() < deadline + 20_000) {
      await sim.settle()
      await new Promise((r) => setTimeout(r, 15))
    }
    const r = await result
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const reports = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(reports.map((x) => [x.kind, x.components[0].maxReplicas])).toEqual([
      ['OMEStatusReport', 10],
      ['OMEStatusReport', 12],
    ])
    sim.store.mutate(registry.forKind('ome.io/v1beta1', 'InferenceService')!, 'default', 'llama-chat', (o) => {
      ;(o.spec as {engine: {maxReplicas: number}}).engine.maxReplicas = 10
    })
    await sim.settle()
  })

  it('the table without NAME lists OME services in a second table', async () => {
    const r = await run(Status)
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('OME InferenceServices (inferenceservices.ome.io):')
    expect(lines[1]).toMatch(/^NAME +READY +MODEL +MODEL STATUS +COMPONENTS +URL +AGE +REASON$/)
    expect(lines.slice(2).map((l) => l.split(/ {2,}/).slice(0, 5))).toEqual([
      ['llama-3-70b', 'True', 'llama-3-70b-instruct', 'Loaded', 'engine'],
      ['llama-chat', 'True', 'llama-3-70b-instruct', 'Loaded', 'engine'],
      ['llama-routed', 'True', 'llama-3-70b-instruct', 'Loaded', 'engine,router'],
      ['lost-model', 'False', 'no-such-model', 'Pending', 'engine'],
    ])
    expect(lines[5]).toMatch(/BaseModelNotFound$/)
    const j = JSON.parse((await run(Status, '-A', '-o', 'json')).stdout)
    expect(j.items).toEqual([])
    expect(j.omeItems.map((i: {namespace: string; name: string}) => `${i.namespace}/${i.name}`)).toEqual(['default/llama-3-70b', 'default/llama-chat', 'default/llama-routed', 'default/lost-model', 'team-a/team-llama'])
  })
})

describe('kubectl aim why NAME for an OME InferenceService', () => {
  it('one row per cluster runtime: the winner, the format and autoSelect losers', async () => {
    const r = await run(Why, 'llama-chat')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('Runtime selection for inferenceservices.ome.io/llama-chat in default')
    expect(lines[1]).toBe('  model: llama-3-70b-instruct (ClusterBaseModel)  format mt:safetensors:1.0.0:LlamaForCausalLM:transformers:4.47.0  size 70B')
    const rows = lines.slice(4, 7).map((l) => l.split(/ {2,}/).map((c) => c.trim()))
    expect(lines[3]).toMatch(/^ +RANK +SCOPE +RUNTIME +FORMATS +SIZE +PRIORITY +RESULT$/)
    expect(rows).toEqual([
      ['*', '1', 'cluster', 'vllm-rocm-llama', 'safetensors:1.0.0 LlamaForCausalLM transformers:4.47.0 auto', '7B–75B', '1', 'selected (score 2)'],
      ['', '-', 'cluster', 'srt-deepseek-r1', 'safetensors:1.0.0 DeepseekV3ForCausalLM fp8 transformers:4.46.3 auto', '600B–700B', '1', 'dropped at format: architecture DeepseekV3ForCausalLM does not match LlamaForCausalLM'],
      ['', '-', 'cluster', 'vllm-text-generation', 'safetensors:1.0.0 LlamaForCausalLM transformers:4.47.0', '1B–75B', '1', 'dropped at autoSelect: no matching format has autoSelect: true'],
    ])
    expect(lines).toContain('Outcome: selected vllm-rocm-llama')
    expect(lines).toContain('  RuntimeSelected: ClusterServingRuntime vllm-rocm-llama auto-selected (score 2)')
    expect(lines).toContain('  pods run: vllm-rocm-llama')
  })

  it('a namespace runtime beats the cluster ones, and the controller runs what why selected', async () => {
    const r = await run(Why, 'team-llama', '-n', 'team-a', '-o', 'json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({kind: 'OMEExplainReport', service: {name: 'team-llama', namespace: 'team-a'}, outcome: 'selected', selected: 'team-vllm', explicit: false, reason: 'RuntimeSelected', currentRuntime: 'team-vllm'})
    expect(doc.candidates.map((c: {name: string; scope: string; rank?: number; droppedAt?: string; selected: boolean}) => [c.name, c.scope, c.rank ?? null, c.droppedAt ?? null, c.selected])).toEqual([
      ['team-vllm', 'namespace', 1, null, true],
      ['vllm-rocm-llama', 'cluster', 2, 'order', false],
      ['srt-deepseek-r1', 'cluster', null, 'format', false],
      ['vllm-text-generation', 'cluster', null, 'autoSelect', false],
    ])
    expect(doc.candidates[0]).toMatchObject({namespace: 'team-a', sizeRange: '30B–80B', priority: 1, score: 2, formats: ['safetensors:1.0.0 LlamaForCausalLM transformers:4.47.0 auto']})
    expect(doc.candidates[1].reason).toBe('ServingRuntime team-vllm is namespace-scoped and wins over cluster runtimes')
    const text = await run(Why, 'team-llama', '-n', 'team-a')
    expect(text.stdout).toMatch(/\n {4}2 +cluster +vllm-rocm-llama +.* +rank 2 \(score 2\): ServingRuntime team-vllm is namespace-scoped and wins over cluster runtimes\n/)
  })

  it('spec.runtime.name (seed 004 architecture example): one row, the named runtime, on the NVIDIA nodes', async () => {
    const r = await run(Why, 'llama-3-70b')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[2]).toBe('  runtime named by spec.runtime.name: vllm-text-generation')
    expect(lines[5]!.split(/ {2,}/).map((c) => c.trim())).toEqual(['*', '1', 'cluster', 'vllm-text-generation', 'safetensors:1.0.0 LlamaForCausalLM transformers:4.47.0', '1B–75B', '1', 'selected (spec.runtime.name)'])
    expect(lines[6]).toBe('')
    expect(lines).toContain('  RuntimeSelected: ClusterServingRuntime vllm-text-generation (spec.runtime.name)')
    expect(lines).toContain('Note: spec.runtime.name names the runtime: auto-selection does not run, the runtime only has to be enabled and support the model (autoSelect is not required)')
    const s = await run(Status, 'llama-3-70b', '-o', 'json')
    const doc = JSON.parse(s.stdout)
    expect(doc.runtime).toMatchObject({name: 'vllm-text-generation', explicit: true})
    expect(doc.pods.map((p: {node: string}) => p.node.replace(/-\d$/, ''))).toEqual(['gpu-a100'])
  })

  it('a missing model: no runtime, every candidate waits on the model', async () => {
    const r = await run(Why, 'lost-model', '-o', 'json')
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({outcome: 'noModel', reason: 'BaseModelNotFound', model: {name: 'no-such-model', lookup: 'notFound', message: 'No BaseModel or ClusterBaseModel with the name: no-such-model'}})
    expect(doc.candidates.map((c: {reason: string}) => c.reason)).toEqual(['model not resolved', 'model not resolved', 'model not resolved'])
    const t = await run(Why, 'lost-model')
    expect(t.stdout).toContain('Outcome: no runtime (BaseModelNotFound)')
  })

  it('AIM-only overrides are refused for an OME service', async () => {
    const r = await run(Why, 'llama-chat', '--gpu-model', 'MI300X')
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: --gpu-model applies to AIM template selection, not to the runtime of an OME InferenceService')
  })
})

describe('stock kubectl with --operators aim,ome (docs/compatibility.md)', () => {
  // Asynchronous: the simulator serves from this very process.
  const kubectl = (...args: string[]) =>
    new Promise<{status: number; stdout: string; stderr: string}>((resolve) => {
      // kubectl caches discovery per host:port; a cache another simulator left on this port
      // (with other operators) must not decide what a bare name means here.
      execFile('kubectl', [...args, '--kubeconfig', kc], {encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECACHEDIR: join(dirname(kc), 'cache')}}, (err, stdout, stderr) => {
        resolve({status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr})
      })
    })

  it('a bare inferenceservice is ome.io (as kube-apiserver orders v1beta1.ome.io first); KServe\'s needs its group', async () => {
    const bare = await kubectl('get', 'inferenceservice', 'llama-chat', '-n', 'default', '-o', 'jsonpath={.apiVersion} {.status.url}')
    expect(bare.status).toBe(0)
    expect(bare.stdout).toBe('ome.io/v1beta1 http://llama-chat.default.example.com')
    const kserve = await kubectl('get', 'inferenceservices.serving.kserve.io', 'llama-chat', '-n', 'default')
    expect(kserve.status).toBe(1)
    expect(kserve.stderr.trim()).toBe('Error from server (NotFound): inferenceservices.serving.kserve.io "llama-chat" not found')
  })
})

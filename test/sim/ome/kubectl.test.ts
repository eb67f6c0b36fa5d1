/**
 * Stock kubectl against startSimulator({operators: ['ome']}) for seed 004's troubleshooting
 * commands on an OME InferenceService, verbatim: get (table, -o yaml, jsonpath), describe, logs -l,
 * top, wait --for=condition=Ready. And which group a bare `inferenceservice` means for each set of
 * operators.
 */
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fixturesDir} from '../../../simulator/cluster/catalog.js'
import {registry} from '../../../src/api/registry.js'
import {startHarness, tableRows, type Harness} from '../../api/helpers.js'
import {parseManifests, readFixture} from './harness.js'

let h: Harness

beforeAll(async () => {
  h = await startHarness({operators: ['ome']})
  for (const file of ['models.yaml', 'runtimes.yaml', 'seed-004-raw-deployment.yaml']) {
    for (const o of parseManifests(readFixture(file))) {
      const info = registry.forKind(o.apiVersion, o.kind)!
      h.sim.store.create(info.namespaced ? {...o, metadata: {...o.metadata, namespace: o.metadata.namespace ?? 'default'}} : o)
    }
  }
  await h.sim.settle(30 * 60_000)
}, 60_000)

afterAll(async () => {
  await h?.close()
})

describe('kubectl and OME (seed 004 commands)', () => {
  it('get inferenceservices.ome.io prints the OME printer columns', async () => {
    const r = await h.kubectl(['get', 'inferenceservices.ome.io', '-n', 'default'])
    expect(r.stderr).toBe('')
    const rows = tableRows(r.stdout)
    expect(rows[0]).toEqual(['NAME', 'URL', 'READY', 'BASEMODEL', 'RUNTIME', 'AGE'])
    expect(rows[1]!.slice(0, 4)).toEqual(['llama-chat', 'http://llama-chat.default.example.com', 'True', 'llama-3-70b-instruct'])
  })

  it('kubectl get inferenceservice llama-chat -o yaml (the seed verbatim) shows the status of the seed', async () => {
    const r = await h.kubectl(['get', 'inferenceservice', 'llama-chat', '-o', 'yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('apiVersion: ome.io/v1beta1')
    expect(r.stdout).toContain('url: http://llama-chat.default.example.com')
    expect(r.stdout).toContain('latestReadyRevision: llama-chat-engine-00001')
    expect(r.stdout).toContain('activeModelState: Loaded')
    const jp = await h.kubectl(['get', 'inferenceservices.ome.io', 'llama-chat', '-o', "jsonpath={.status.conditions[?(@.type=='EngineReady')].status}"])
    expect(jp.stdout).toBe('True')
  })

  it('kubectl describe inferenceservice llama-chat (the seed verbatim) shows conditions and events', async () => {
    const r = await h.kubectl(['describe', 'inferenceservice', 'llama-chat'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Name:\s+llama-chat/)
    expect(r.stdout).toMatch(/Status:\s+True\n\s+Type:\s+EngineReady/)
    expect(r.stdout).toMatch(/Normal\s+InferenceServiceReady\s+\S+\s+ome-controller-manager\s+InferenceService \[llama-chat\] is Ready/)
  })

  it('kubectl logs -l serving.ome.io/inferenceservice=llama-chat reads the engine pods', async () => {
    const r = await h.kubectl(['logs', '-l', 'serving.ome.io/inferenceservice=llama-chat'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Starting to load model /raid/models/meta/llama-3-70b-instruct')
  })

  it('kubectl top pods -l serving.ome.io/inferenceservice=llama-chat lists the engine pods', async () => {
    const r = await h.kubectl(['top', 'pods', '-l', 'serving.ome.io/inferenceservice=llama-chat'])
    expect(r.stderr).toBe('')
    const rows = tableRows(r.stdout)
    expect(rows[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)'])
    expect(rows.slice(1).map((row) => row[0]!.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')).sort()).toEqual(['llama-chat-engine', 'llama-chat-engine'])
  })

  it('kubectl wait --for=condition=Ready and get of the derived objects', async () => {
    const w = await h.kubectl(['wait', '--for=condition=Ready', 'inferenceservices.ome.io/llama-chat', '--timeout=5s'])
    expect(w.stdout.trim()).toBe('inferenceservice.ome.io/llama-chat condition met')
    const r = await h.kubectl(['get', 'deploy,svc,hpa', '-l', 'ome.io/inferenceservice=llama-chat', '-o', 'name'])
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      'deployment.apps/llama-chat-engine',
      'horizontalpodautoscaler.autoscaling/llama-chat-engine',
      'service/llama-chat',
      'service/llama-chat-engine',
    ])
  })

  it('kubectl apply -f of a seed example (client- and server-side) reaches Ready', async () => {
    const file = join(fixturesDir(), 'ome', 'seed-004-keda.yaml')
    const a = await h.kubectl(['apply', '-f', file])
    expect(a.stdout.trim()).toBe('inferenceservice.ome.io/llama-keda created')
    await h.sim.settle(30 * 60_000)
    const w = await h.kubectl(['wait', '--for=condition=Ready', 'inferenceservices.ome.io/llama-keda', '--timeout=5s'])
    expect(w.stdout.trim()).toBe('inferenceservice.ome.io/llama-keda condition met')
    const so = await h.kubectl(['get', 'scaledobjects', 'scaledobject-llama-keda-engine', '-o', 'jsonpath={.spec.triggers[0].metadata.threshold}'])
    expect(so.stdout).toBe('0.5')
    const ssa = await h.kubectl(['apply', '--server-side', '-f', file])
    expect(ssa.stdout.trim()).toBe('inferenceservice.ome.io/llama-keda serverside-applied')
  })
})

describe('which InferenceService a bare name means', () => {
  it('aim (the default) serves only KServe\'s; ome.io is not installed', async () => {
    const aim = await startHarness({})
    try {
      const r = await aim.kubectl(['api-resources', '--no-headers', '-o', 'name'])
      const names = r.stdout.trim().split('\n')
      expect(names).toContain('inferenceservices.serving.kserve.io')
      expect(names.filter((n) => n.startsWith('inferenceservices.'))).toEqual(['inferenceservices.serving.kserve.io'])
      const g = await aim.kubectl(['get', 'inferenceservices.ome.io'])
      expect(g.code).toBe(1)
      expect(g.stderr.trim()).toBe('error: the server doesn\'t have a resource type "inferenceservices"')
    } finally {
      await aim.close()
    }
  })

  it('with aim and ome, `inferenceservice` is ome.io\'s as on a real cluster; KServe\'s needs its group', async () => {
    const both = await startHarness({operators: ['aim', 'ome']})
    try {
      for (const o of parseManifests(readFixture('seed-004-raw-deployment.yaml'))) {
        both.sim.store.create({...o, metadata: {...o.metadata, namespace: o.metadata.namespace ?? 'default'}})
      }
      both.sim.store.create({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {name: 'kserve-one', namespace: 'default'},
        spec: {predictor: {model: {modelFormat: {name: 'vllm'}}}},
      })
      const bare = await both.kubectl(['get', 'inferenceservice', '-o', 'name'])
      expect(bare.stdout.trim()).toBe('inferenceservice.ome.io/llama-chat')
      const kserve = await both.kubectl(['get', 'inferenceservices.serving.kserve.io', '-o', 'name'])
      expect(kserve.stdout.trim()).toBe('inferenceservice.serving.kserve.io/kserve-one')
    } finally {
      await both.close()
    }
  })
})

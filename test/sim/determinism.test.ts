/**
 * Issue 4: "Deterministic: the same inputs and clock steps give byte-identical objects". The whole
 * simulated cluster (store, downstream controllers, AIM reconcilers, GPU nodes, catalog) is run twice
 * with the same seed, manifests and clock steps; the stores' dumps must match byte for byte.
 */
import {afterEach, describe, expect, it} from 'vitest'
import type {KubeObject} from '../../src/api/object.js'
import {VirtualClock} from '../../simulator/clock/index.js'
import {createControllerManager, type SimControllerManager} from '../../simulator/controllers/index.js'
import {createStore} from '../../simulator/store/index.js'

const IMAGE = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'
const SMALL = 'amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5'

function services(): KubeObject[] {
  const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMService',
    metadata: {name, namespace: 'ml-team'},
    spec,
  })
  return [
    svc('cached', {model: {image: IMAGE}, caching: {mode: 'Shared'}}),
    svc('routed', {model: {image: SMALL}, routing: {enabled: true, gatewayRef: {name: 'inference-gateway', namespace: 'gateways'}}}),
    svc('scaled', {
      model: {image: SMALL},
      minReplicas: 1,
      maxReplicas: 3,
      autoScaling: {
        metrics: [
          {
            type: 'PodMetric',
            podmetric: {
              metric: {backend: 'opentelemetry', metricNames: ['vllm:num_requests_running'], query: 'vllm:num_requests_running', operationOverTime: 'avg'},
              target: {type: 'Value', value: '1'},
            },
          },
        ],
      },
    }),
  ]
}

const managers: SimControllerManager[] = []
afterEach(() => {
  for (const m of managers.splice(0)) m.stop()
})

/** One run: fixed start time, seed, manifests and clock steps; returns the store dump as JSON. */
async function run(seed: string): Promise<{json: string; objects: KubeObject[]}> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1))
  const store = createStore({clock, seed})
  const manager = createControllerManager({store, clock, seed, nodes: 'mi300x=2'})
  managers.push(manager)
  manager.start()
  await manager.settle(60_000)
  store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
  for (const obj of services()) store.create(obj)
  // Explicit clock steps, then run to quiescence.
  for (const step of [1_000, 5_000, 30_000]) {
    await manager.idle()
    await clock.advance(step)
  }
  await manager.settle(30 * 60_000)
  const objects = store.dump()
  return {json: JSON.stringify(objects), objects}
}

describe('determinism (issue 4)', () => {
  it('the same seed, manifests and clock steps give byte-identical store dumps', async () => {
    const a = await run('determinism')
    const b = await run('determinism')
    // The runs did real work: every service is Running, with its cache, route and autoscaler.
    const svcs = a.objects.filter((o) => o.kind === 'AIMService')
    expect(svcs.map((s) => [s.metadata.name, (s.status as {status?: string}).status])).toEqual([
      ['cached', 'Running'],
      ['routed', 'Running'],
      ['scaled', 'Running'],
    ])
    const kinds = new Set(a.objects.map((o) => o.kind))
    for (const k of ['AIMTemplateCache', 'AIMArtifact', 'HTTPRoute', 'ScaledObject', 'HorizontalPodAutoscaler', 'Pod', 'Event']) expect(kinds).toContain(k)
    expect(b.json.length).toBe(a.json.length)
    expect(b.json === a.json).toBe(true)
  }, 60_000)

  it('a different seed changes uids', async () => {
    const a = await run('determinism')
    const b = await run('another-seed')
    const uids = (objs: KubeObject[]) => new Map(objs.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.uid]))
    const ua = uids(a.objects)
    const ub = uids(b.objects)
    const svc = 'AIMService/ml-team/cached'
    expect(ua.get(svc)).toMatch(/^[0-9a-f-]{36}$/)
    expect(ub.get(svc)).toMatch(/^[0-9a-f-]{36}$/)
    expect(ub.get(svc)).not.toBe(ua.get(svc))
    expect(b.json).not.toBe(a.json)
  }, 60_000)
})

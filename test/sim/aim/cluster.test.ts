/**
 * The AIM reconcilers inside the whole simulated cluster (createControllerManager's defaults: the
 * real downstream controllers, GPU nodes, the catalog), for the seed documents' end-to-end stories.
 */
import {parse as parseYaml} from 'yaml'
import {afterEach, describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createControllerManager, type SimControllerManager} from '../../../simulator/controllers/index.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'

let manager: SimControllerManager | undefined
afterEach(() => manager?.stop())

function cluster(nodes?: string): {store: SimStore; clock: VirtualClock; manager: SimControllerManager; apply: (y: string) => void; get: (k: string, ns: string | undefined, n: string) => any; list: (k: string, ns?: string, l?: string) => any[]} {
  const clock = new VirtualClock()
  const store = createStore({clock, seed: 'aim-cluster-test'})
  manager = createControllerManager({store, clock, seed: 'aim-cluster-test', ...(nodes ? {nodes} : {})})
  manager.start()
  const ref = (k: string) => registry.kinds.find((x) => x.kind === k)!
  store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
  return {
    store,
    clock,
    manager,
    apply: (y) => {
      for (const doc of y.split(/^---$/m).map((d) => parseYaml(d) as KubeObject).filter(Boolean)) store.create(doc)
    },
    get: (k, ns, n) => store.get(ref(k), ns, n),
    list: (k, ns, l) => store.list(ref(k), {namespace: ns, labelSelector: l}).items,
  }
}

const conds = (o: any) => Object.fromEntries((o.status?.conditions ?? []).map((c: any) => [c.type, [c.status, c.reason, c.message]]))

describe('AIM reconcilers in the simulated cluster', () => {
  it('reproduces the seed 001 "Example Status"', async () => {
    const c = cluster()
    c.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMRuntimeConfig
metadata: {name: default, namespace: ml-team}
spec:
  routing:
    enabled: true
    gatewayRef: {name: inference-gateway, namespace: gateways}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMModel
metadata: {name: qwen-qwen3-32b, namespace: ml-team}
spec:
  image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
  discovery: {createServiceTemplates: false}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-chat, namespace: ml-team}
spec:
  model: {name: qwen-qwen3-32b}
  template: {name: qwen3-32b-latency}
`)
    await c.manager.settle()
    const s = c.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    expect(s.status.observedGeneration).toBe(1)
    const k = conds(s)
    expect(k.ModelReady).toEqual(['True', 'ModelResolved', 'AIMModel qwen-qwen3-32b is ready'])
    expect(k.TemplateReady).toEqual(['True', 'Resolved', 'AIMClusterServiceTemplate qwen3-32b-latency is ready'])
    expect(k.CacheReady).toEqual(['True', 'CacheReady', 'Template cache is ready'])
    expect(k.InferenceServiceReady).toEqual(['True', 'RuntimeReady', 'InferenceService is ready'])
    expect(k.HTTPRouteReady).toEqual(['True', 'HTTPRouteAccepted', 'HTTPRoute is accepted by gateway'])
    expect(k.Ready).toEqual(['True', 'AllComponentsReady', 'All components are ready'])
    expect(s.status.resolvedRuntimeConfig).toMatchObject({name: 'default', namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMRuntimeConfig'})
    expect(s.status.resolvedModel).toMatchObject({name: 'qwen-qwen3-32b', namespace: 'ml-team', scope: 'Namespace', kind: 'aim.eai.amd.com/v1alpha1/AIMModel'})
    expect(s.status.resolvedTemplate).toMatchObject({name: 'qwen3-32b-latency', scope: 'Cluster', kind: 'aim.eai.amd.com/v1alpha1/AIMClusterServiceTemplate'})
    expect(s.status.resolvedTemplate.namespace).toBeUndefined()
    expect(s.status.routing).toEqual({path: '/ml-team/qwen-chat'})
    // Seed 002 troubleshooting selectors find the children.
    const [isvc] = c.list('InferenceService', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')
    expect(c.list('Pod', 'ml-team', `serving.kserve.io/inferenceservice=${isvc.metadata.name}`).length).toBeGreaterThan(0)
    expect(c.list('HTTPRoute', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')).toHaveLength(1)
    expect(c.list('AIMTemplateCache', 'ml-team', 'aim.eai.amd.com/service.name=qwen-chat')).toHaveLength(1)
  })

  it('auto-selects the MI300X fp16 latency template for Qwen3-32B on an MI300X cluster', async () => {
    const c = cluster('mi300x=2')
    c.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-service, namespace: ml-team}
spec:
  model: {name: qwen-qwen3-32b}
`)
    await c.manager.settle()
    const s = c.get('AIMService', 'ml-team', 'qwen-service')
    expect(s.status.status).toBe('Running')
    expect(s.status.resolvedTemplate.name).toBe('qwen3-32b-mi300x-fp16-latency')
  })

  it('leaves the service Pending with FailedScheduling when no node has enough GPUs', async () => {
    const c = cluster('mi300x=1')
    c.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata: {name: qwen-16gpu, namespace: ml-team}
spec:
  modelName: qwen-qwen3-32b
  hardware: {gpu: {model: MI300X, requests: 16}}
  modelSources:
    - {modelId: Qwen/Qwen3-32B, sourceUri: hf://Qwen/Qwen3-32B, size: 61Gi}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMModel
metadata: {name: qwen-qwen3-32b, namespace: ml-team}
spec:
  image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5
  discovery: {createServiceTemplates: false}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: big, namespace: ml-team}
spec:
  model: {name: qwen-qwen3-32b}
  template: {name: qwen-16gpu}
`)
    await c.manager.settle()
    const s = c.get('AIMService', 'ml-team', 'big')
    expect(s.status.status).toBe('Pending')
    expect(conds(s).InferenceServicePodsReady.slice(0, 2)).toEqual(['False', 'FailedScheduling'])
  })
})

describe('AIM reconcilers under injected faults', () => {
  it('fails the service with CacheFailed when the model download fails', async () => {
    const c = cluster()
    c.manager.faults.failDownload('hf://Qwen/Qwen3-32B')
    c.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-chat, namespace: ml-team}
spec:
  model: {name: qwen-qwen3-32b}
`)
    await c.manager.settle()
    const s = c.get('AIMService', 'ml-team', 'qwen-chat')
    expect(conds(s).CacheReady).toEqual(['False', 'CacheFailed', 'Template cache failed'])
    expect(s.status.status).toBe('Failed')
    expect(c.list('InferenceService', 'ml-team')).toEqual([])
    const [art] = c.list('AIMArtifact', 'ml-team')
    expect(art.status.status).toBe('Failed')
    expect(art.status.progress.displayPercentage).toBe('N/A')
  })

  it('fails a template whose discovery pod cannot pull the model image', async () => {
    const c = cluster()
    c.manager.faults.failImagePull('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', 'Unauthorized')
    await c.manager.settle()
    const t = c.get('AIMClusterServiceTemplate', undefined, 'qwen3-32b-mi300x-fp16-latency')
    // Between pulls the kubelet reports ImagePullBackOff (an infrastructure error → Degraded); right
    // after a pull it reports the registry's answer (ImagePullAuthFailure → Failed).
    expect(['Failed', 'Degraded']).toContain(t.status.status)
    const [status, reason] = conds(t).DiscoveryPodsReady
    expect(status).toBe('False')
    expect(reason).toMatch(/^ImagePull(AuthFailure|BackOff)$/)
    expect(t.status.modelSources).toBeUndefined()
  })

  it('reports the image pull failure of the inference pods on the service', async () => {
    const c = cluster()
    await c.manager.settle()
    c.manager.faults.failImagePull('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', 'Unauthorized')
    c.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-chat, namespace: ml-team}
spec:
  model: {name: qwen-qwen3-32b}
`)
    await c.manager.settle()
    const s = c.get('AIMService', 'ml-team', 'qwen-chat')
    const [status, reason] = conds(s).InferenceServicePodsReady
    expect(status).toBe('False')
    expect(reason).toMatch(/^ImagePull(AuthFailure|BackOff)$/)
    expect(['Failed', 'Degraded']).toContain(s.status.status)
    expect(conds(s).Ready[0]).toBe('False')
  })
})

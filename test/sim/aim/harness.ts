/**
 * Test harness for the AIM reconcilers: a store, a virtual clock, the controller runtime with
 * aimReconcilers(), GPU nodes, and a deliberately small stand-in for the downstream cluster (Jobs
 * that run the catalog's dry-run / check-size, PVC binding, KServe pods with GPU scheduling, KEDA's
 * HPA, gateway acceptance, StatefulSets) so these tests exercise the AIM controllers alone.
 */
import {parse as parseYaml} from 'yaml'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {discoveryOutput, selectProfile, type CatalogImageRegistry} from '../../../simulator/cluster/catalog.js'
import {buildNodes, parseNodeSpec} from '../../../simulator/cluster/nodes.js'
import {aimReconcilers} from '../../../simulator/controllers/aim/index.js'
import {createControllerManager, type SimControllerManager} from '../../../simulator/controllers/index.js'
import type {ReconcileContext, Reconciler} from '../../../simulator/controllers/types.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'

export const START = Date.UTC(2026, 0, 1, 0, 0, 0)

/** Seed 001's quick start: the AIMService `qwen-chat` in ml-team, by image. */
export const QUICK_START_IMAGE = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'
export const QUICK_START = `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: qwen-chat
  namespace: ml-team
spec:
  model:
    image: ${QUICK_START_IMAGE}
`

/** The namespaced AIMModel `qwen-qwen3-32b` in ml-team on the quick-start image; `spec` adds lines to its spec. */
export function qwenModel(spec = ''): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMModel
metadata:
  name: qwen-qwen3-32b
  namespace: ml-team
spec:
  image: ${QUICK_START_IMAGE}
${spec}`
}

const JOB_RUN_MS = 5_000
const GPU_PER_NODE = 8

export interface Harness {
  store: SimStore
  clock: VirtualClock
  manager: SimControllerManager
  apply(yamlOrObjects: string | KubeObject | KubeObject[]): void
  get(kind: string, namespace: string | undefined, name: string): any
  list(kind: string, namespace?: string, labelSelector?: string): any[]
  settle(ms?: number): Promise<void>
  condition(obj: any, type: string): any
  /** `{type: [status, reason, message]}` of an object's conditions. */
  conditions(obj: any): Record<string, [string, string, string]>
  /** `[status, reason, message]` of one condition; throws when the object has no such condition. */
  cond(obj: any, type: string): [string, string, string]
  delete(kind: string, namespace: string | undefined, name: string): void
  stop(): void
}

function ref(kind: string) {
  const info = registry.kinds.find((k) => k.kind === kind || k.plural === kind)
  if (!info) throw new Error(`unknown kind ${kind}`)
  return info
}

export function createHarness(opts: {nodes?: string; namespaces?: string[]; seed?: string} = {}): Harness {
  const clock = new VirtualClock(START)
  const store = createStore({clock, seed: opts.seed ?? 'aim-test'})
  let manager!: SimControllerManager
  const images = () => manager.images as CatalogImageRegistry
  manager = createControllerManager({
    store,
    clock,
    bootstrap: false,
    seed: opts.seed ?? 'aim-test',
    reconcilers: [...aimReconcilers(), ...fakeCluster(images, () => manager)],
  })
  for (const ns of ['default', 'aim-system', 'gateways', ...(opts.namespaces ?? ['ml-team'])]) {
    if (!store.get(ref('Namespace'), undefined, ns)) store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
  }
  const nodeSpec = opts.nodes ?? 'mi300x=2'
  for (const node of nodeSpec ? buildNodes(parseNodeSpec(nodeSpec), GPU_PER_NODE, clock.nowISO()) : []) {
    const status = node.status
    const created = store.create(node)
    store.mutate(ref('Node'), undefined, created.metadata.name!, (o) => {
      o.status = status
    }, {subresource: 'status'})
  }
  manager.start()

  const h: Harness = {
    store,
    clock,
    manager,
    apply(input) {
      const objs: KubeObject[] =
        typeof input === 'string' ? (input.split(/^---$/m).map((d) => parseYaml(d)).filter(Boolean) as KubeObject[]) : Array.isArray(input) ? input : [input]
      for (const o of objs) {
        const info = registry.forKind(o.apiVersion, o.kind)!
        const status = o.status
        const existing = store.get(info, o.metadata.namespace, o.metadata.name!)
        if (existing) store.update({...o, metadata: {...o.metadata, resourceVersion: existing.metadata.resourceVersion}})
        else store.create(o)
        if (status !== undefined) {
          store.mutate(info, o.metadata.namespace, o.metadata.name!, (x) => {
            x.status = status
          }, {subresource: 'status'})
        }
      }
    },
    get: (kind, namespace, name) => store.get(ref(kind), namespace, name),
    list: (kind, namespace, labelSelector) => store.list(ref(kind), {namespace, labelSelector}).items,
    settle: (ms = 30 * 60_000) => manager.settle(ms),
    condition: (obj, type) => (obj?.status?.conditions ?? []).find((c: any) => c.type === type),
    conditions: (obj) => Object.fromEntries((obj?.status?.conditions ?? []).map((c: any) => [c.type, [c.status, c.reason, c.message]])),
    cond: (obj, type) => {
      const c = (obj?.status?.conditions ?? []).find((x: any) => x.type === type)
      if (!c) throw new Error(`${obj?.kind ?? 'object'} ${obj?.metadata?.name ?? ''} has no ${type} condition`)
      return [c.status, c.reason, c.message]
    },
    delete: (kind, namespace, name) => {
      store.delete(ref(kind), namespace, name, {propagationPolicy: 'Background'})
    },
    stop: () => manager.stop(),
  }
  return h
}

function cond(type: string, status: string, reason: string, message = '', now = ''): any {
  return {type, status, reason, message, lastTransitionTime: now}
}

function writeStatus(ctx: ReconcileContext, obj: KubeObject, status: unknown): void {
  const info = registry.forKind(obj.apiVersion, obj.kind)!
  ctx.store.mutate(info, obj.metadata.namespace, obj.metadata.name!, (o) => {
    o.status = status
  }, {subresource: 'status'})
}

function envOf(container: any): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]))
}

/** The smallest fake cluster the AIM controllers need. */
function fakeCluster(images: () => CatalogImageRegistry, mgr: () => SimControllerManager): Reconciler[] {
  const jobs: Reconciler = {
    name: 'test-job-runner',
    for: ref('Job'),
    reconcile(key, ctx) {
      const job = ctx.store.get(ref('Job'), key.namespace, key.name) as any
      if (!job || (job.status?.conditions ?? []).some((c: any) => c.type === 'Complete' || c.type === 'Failed')) return
      if (!job.status?.startTime) {
        writeStatus(ctx, job, {startTime: ctx.clock.nowISO(), active: 1})
        return {requeueAfterMs: JOB_RUN_MS}
      }
      if (ctx.clock.now() < Date.parse(job.status.startTime) + JOB_RUN_MS) return {requeueAfterMs: Date.parse(job.status.startTime) + JOB_RUN_MS - ctx.clock.now()}
      const container = job.spec.template.spec.containers[0]
      const podName = `${key.name}-run`
      let lines: string[] = []
      let ok = true
      let message = ''
      const image = images().lookup(container.image)
      if (container.name === 'discovery') {
        const env = envOf(container)
        const profile = image && selectProfile(image, {metric: env.AIM_METRIC, precision: env.AIM_PRECISION, gpuModel: env.AIM_GPU_MODEL, gpuCount: env.AIM_GPU_COUNT ? Number(env.AIM_GPU_COUNT) : undefined, profileId: env.AIM_PROFILE_ID})
        if (image && profile) lines = ['starting dry-run', JSON.stringify(discoveryOutput(image, profile))]
        else {
          ok = false
          message = 'no profile matches the requested configuration'
        }
      } else if (container.name === 'check-size') {
        const uri = container.command?.[1]
        const size = images().sourceSize(uri)
        if (size) lines = [JSON.stringify({url: uri, sizeBytes: size})]
        else ok = false
      }
      ctx.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: podName, namespace: key.namespace, labels: {...(job.spec.template.metadata?.labels ?? {})}, ownerReferences: [{apiVersion: 'batch/v1', kind: 'Job', name: key.name!, uid: job.metadata.uid, controller: true}]},
        spec: {...job.spec.template.spec},
      })
      writeStatus(ctx, {apiVersion: 'v1', kind: 'Pod', metadata: {name: podName, namespace: key.namespace}}, {phase: ok ? 'Succeeded' : 'Failed'})
      for (const l of lines) mgr().logs.append(key.namespace!, podName, container.name, l)
      const now = ctx.clock.nowISO()
      writeStatus(ctx, job, {
        startTime: job.status.startTime,
        completionTime: now,
        ...(ok ? {succeeded: 1} : {failed: 1}),
        conditions: ok ? [cond('Complete', 'True', 'Completed', '', now)] : [cond('Failed', 'True', 'BackoffLimitExceeded', message || 'Job has reached the specified backoff limit', now)],
      })
      return undefined
    },
  }
  const pvcs: Reconciler = {
    name: 'test-pvc-binder',
    for: ref('PersistentVolumeClaim'),
    reconcile(key, ctx) {
      const pvc = ctx.store.get(ref('PersistentVolumeClaim'), key.namespace, key.name) as any
      if (!pvc || pvc.status?.phase === 'Bound') return
      writeStatus(ctx, pvc, {phase: 'Bound', accessModes: pvc.spec.accessModes, capacity: {storage: pvc.spec.resources.requests.storage}})
    },
  }
  const isvcs: Reconciler = {
    name: 'test-kserve',
    for: ref('InferenceService'),
    reconcile(key, ctx) {
      const isvc = ctx.store.get(ref('InferenceService'), key.namespace, key.name) as any
      if (!isvc || isvc.metadata.deletionTimestamp) return
      const predictor = isvc.spec.predictor
      const gpus = Number(predictor.containers[0].resources?.requests?.['amd.com/gpu'] ?? 0)
      const schedulable = gpus <= GPU_PER_NODE
      const podName = `${key.name}-predictor-00001`
      const ns = key.namespace!
      if (!ctx.store.get(ref('Pod'), ns, podName)) {
        ctx.store.create({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {name: podName, namespace: ns, labels: {'serving.kserve.io/inferenceservice': key.name, ...(isvc.metadata.labels ?? {})}},
          spec: {containers: predictor.containers, volumes: predictor.volumes},
        })
        if (schedulable) {
          writeStatus(ctx, {apiVersion: 'v1', kind: 'Pod', metadata: {name: podName, namespace: ns}}, {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]})
        } else {
          writeStatus(ctx, {apiVersion: 'v1', kind: 'Pod', metadata: {name: podName, namespace: ns}}, {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'Unschedulable'}]})
          const pod = ctx.store.get(ref('Pod'), ns, podName)!
          ctx.events.event(pod, 'Warning', 'FailedScheduling', `0/2 nodes are available: 2 Insufficient amd.com/gpu.`, 'default-scheduler')
        }
      }
      const ready = schedulable
      const want = {conditions: [cond('Ready', ready ? 'True' : 'False', ready ? 'Ready' : 'PredictorNotReady')], url: `http://${key.name}.${ns}.example.com`}
      if (JSON.stringify(isvc.status?.conditions?.[0]?.status) !== JSON.stringify(want.conditions[0]!.status)) writeStatus(ctx, isvc, want)
      if (isvc.metadata.annotations?.['serving.kserve.io/autoscalerClass'] === 'keda') {
        const so = `${key.name}-predictor`
        if (!ctx.store.get(ref('ScaledObject'), ns, so)) {
          ctx.store.create({apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: {name: so, namespace: ns}, spec: {scaleTargetRef: {name: so}, minReplicaCount: predictor.minReplicas, maxReplicaCount: predictor.maxReplicas, triggers: []}})
        }
        const hpa = `keda-hpa-${key.name}-predictor`
        if (!ctx.store.get(ref('HorizontalPodAutoscaler'), ns, hpa)) {
          ctx.store.create({apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: hpa, namespace: ns}, spec: {minReplicas: predictor.minReplicas, maxReplicas: predictor.maxReplicas, scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: so}}})
          writeStatus(ctx, {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {name: hpa, namespace: ns}}, {
            currentReplicas: predictor.minReplicas,
            desiredReplicas: predictor.minReplicas,
            conditions: [cond('AbleToScale', 'True', 'ReadyForNewScale'), cond('ScalingActive', 'True', 'ValidMetricFound')],
          })
        }
      }
      return undefined
    },
  }
  const routes: Reconciler = {
    name: 'test-gateway',
    for: ref('HTTPRoute'),
    reconcile(key, ctx) {
      const route = ctx.store.get(ref('HTTPRoute'), key.namespace, key.name) as any
      if (!route || route.status?.parents?.length) return
      writeStatus(ctx, route, {parents: (route.spec.parentRefs ?? []).map((p: any) => ({parentRef: p, controllerName: 'sim/gateway', conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs')]}))})
    },
  }
  const sts: Reconciler = {
    name: 'test-statefulset',
    for: ref('StatefulSet'),
    reconcile(key, ctx) {
      const s = ctx.store.get(ref('StatefulSet'), key.namespace, key.name) as any
      if (!s || s.status?.readyReplicas === s.spec.replicas) return
      writeStatus(ctx, s, {replicas: s.spec.replicas, readyReplicas: s.spec.replicas, currentReplicas: s.spec.replicas})
    },
  }
  return [jobs, pvcs, isvcs, routes, sts]
}

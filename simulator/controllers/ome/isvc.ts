/**
 * The OME InferenceService controller (ome.io/v1beta1, seed 004), in the simulator.
 * Per reconcile: finalizer → validate → model lookup → runtime selection → merge runtime templates
 * into the declared components → deployment mode per component → children → external Service →
 * status. Every rule comes from src/engine/ome.ts; this file reads the store and writes objects.
 *
 * What each mode builds (the simulator has no Knative or LeaderWorkerSet kinds, see
 * docs/compatibility.md):
 * - RawDeployment: Deployment + Service `{isvc}-{component}`, and an HPA `{component}` or a KEDA
 *   ScaledObject `scaledobject-{component}` (autoscalerClass keda / kedaConfig.enableKeda).
 * - Serverless (minReplicas 0): Deployment + Service, replicas = minReplicas, Knative autoscaling
 *   annotations on the pod template; no HPA. Ready while scaled to zero; modelStatus Standby.
 * - MultiNode (leader/worker): leader StatefulSet `lws-{component}` (replicas = minReplicas) and one
 *   worker StatefulSet `lws-{component}-{group}` of worker.size pods per group, as LeaderWorkerSet
 *   lays them out; Service `{component}` selecting the leaders.
 * - Router: as RawDeployment (or Serverless with minReplicas 0), plus ServiceAccount `{isvc}-router`.
 * - External Service `{isvc}` selecting the router (else the engine); IngressReady follows it.
 */
import type {Condition, KubeObject} from '../../../src/api/object.js'
import type {BaseModelSpec, OMEComponentSpec, OMEInferenceServiceSpec, ServingRuntimeSpec} from '../../../src/api/types/ome.js'
import {
  autoscalerFor,
  componentModes,
  lookupBaseModel,
  mergeComponent,
  migratePredictor,
  modelNodeLabel,
  OME_COMPONENT_LABEL,
  OME_COMPONENTS,
  OME_DEFAULT_PORT,
  OME_ISVC_FINALIZER,
  OME_ISVC_LABEL,
  OME_MAIN_CONTAINER,
  OME_SERVING_ISVC_LABEL,
  omeComponentConditionType,
  omeComponentName,
  omeLeaderWorkerSetName,
  omeModelConfigName,
  omeModelStatus,
  omeReadyRollup,
  omeRevisionName,
  omeScaledObjectName,
  omeServiceName,
  omeUrls,
  selectRuntime,
  validateInferenceService,
  type OMEComponent,
  type OMEConditionInput,
  type OMEDeploymentMode,
} from '../../../src/engine/ome.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {controllerRef, getCondition, isOwnedBy, ownedBy, REF, setCondition, stableJson} from '../downstream/util.js'
import {deleteIfPresent, ensure, OME_MANAGER, OME_REF, stableClusterIP} from './common.js'

type Obj = Record<string, unknown>
type Container = Obj & {name?: string; image?: string; env?: Array<Obj & {name: string}>; ports?: Array<{containerPort?: number; name?: string; protocol?: string}>; volumeMounts?: Obj[]}

/** ComponentExtensionSpec and OME-only keys: everything else in a component is pod spec. */
const NON_POD_KEYS = new Set([
  'minReplicas', 'maxReplicas', 'scaleTarget', 'scaleMetric', 'containerConcurrency', 'timeoutSeconds', 'canaryTrafficPercent',
  'labels', 'annotations', 'minAvailable', 'maxUnavailable', 'deploymentStrategy', 'kedaConfig', 'runner', 'leader', 'worker',
  'acceleratorOverride', 'config', 'size', 'resources',
])
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', 'autoscaling.knative.dev/min-scale', 'autoscaling.knative.dev/max-scale'])

interface ModelInfo {
  name: string
  kind: 'BaseModel' | 'ClusterBaseModel'
  spec: BaseModelSpec
  annotations: Record<string, string>
}

interface Plan {
  isvc: KubeObject
  ns: string
  name: string
  model: ModelInfo
  runtimeName: string
}

interface ComponentResult {
  condition: OMEConditionInput
  status: Obj
  port: number
  pods: KubeObject[]
  mode: OMEDeploymentMode
  scaledToZero: boolean
}

function podFields(spec: Obj): Obj {
  const out: Obj = {}
  for (const [k, v] of Object.entries(spec)) if (!NON_POD_KEYS.has(k) && v !== undefined) out[k] = structuredClone(v)
  return out
}

function commonLabels(plan: Plan, component: OMEComponent, merged: OMEComponentSpec): Record<string, string> {
  const vendor = plan.model.spec.vendor
  return {
    ...(plan.isvc.metadata.labels ?? {}),
    ...(merged.labels ?? {}),
    [OME_ISVC_LABEL]: plan.name,
    [OME_SERVING_ISVC_LABEL]: plan.name,
    [OME_COMPONENT_LABEL]: component,
    'serving-runtime': plan.runtimeName,
    'fine-tuned-serving': 'false',
    'base-model-name': plan.model.name,
    'base-model-size': plan.model.annotations['models.ome.io/category'] ?? 'SMALL',
    'base-model-type': 'Serving',
    ...(vendor ? {'base-model-vendor': vendor} : {}),
  }
}

function commonAnnotations(plan: Plan, merged: OMEComponentSpec): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(plan.isvc.metadata.annotations ?? {})) if (!DROPPED_ANNOTATIONS.has(k)) out[k] = v
  Object.assign(out, merged.annotations ?? {})
  out['ome.io/base-model-name'] = plan.model.name
  if (plan.model.spec.vendor) out['ome.io/base-model-vendor'] = plan.model.spec.vendor
  out['ome.io/base-model-format'] = plan.model.spec.modelFormat?.name ?? ''
  if (plan.model.spec.modelFormat?.version) out['ome.io/base-model-format-version'] = plan.model.spec.modelFormat.version
  out['ome.io/serving-runtime'] = plan.runtimeName
  return out
}

/** The runner container with the model wired in (engine, decoder, workers) or the router config as env. */
function buildContainer(plan: Plan, component: OMEComponent, runner: Container | undefined, merged: OMEComponentSpec): Container {
  const c: Container = structuredClone(runner ?? {})
  c.name ??= OME_MAIN_CONTAINER
  c.imagePullPolicy ??= 'IfNotPresent'
  const env = [...(c.env ?? [])]
  const path = plan.model.spec.storage?.path
  if (component !== 'router') {
    if (path && !env.some((e) => e.name === 'MODEL_PATH')) env.push({name: 'MODEL_PATH', value: path})
    if (path) {
      const mounts = [...(c.volumeMounts ?? [])]
      if (!mounts.some((m) => m.name === plan.model.name)) mounts.push({name: plan.model.name, mountPath: path, readOnly: true})
      c.volumeMounts = mounts
    }
  } else {
    for (const [k, v] of Object.entries((merged as {config?: Record<string, string>}).config ?? {})) env.push({name: k, value: String(v)})
    if (!env.some((e) => e.name === 'INFERENCESERVICE_NAME')) env.push({name: 'INFERENCESERVICE_NAME', value: plan.name})
  }
  if (env.length) c.env = env
  return c
}

function containerPort(c: Container | undefined): number {
  return Number(c?.ports?.[0]?.containerPort ?? OME_DEFAULT_PORT)
}

/** Pod template of a component (or of an LWS leader/worker): labels, annotations, model volume and node selector. */
function podTemplate(plan: Plan, component: OMEComponent, merged: OMEComponentSpec, part: {runner?: Container; pod?: Obj; extraLabels?: Record<string, string>; extraAnnotations?: Record<string, string>}): {template: Obj; container: Container} {
  const container = buildContainer(plan, component, part.runner, merged)
  const pod: Obj = {...podFields(merged as Obj), ...(part.pod ? podFields(part.pod) : {})}
  const sidecars = (pod.containers as Container[] | undefined) ?? []
  pod.containers = [container, ...sidecars.filter((s) => s.name !== container.name)]
  if (component !== 'router') {
    const path = plan.model.spec.storage?.path
    if (path) {
      const volumes = [...((pod.volumes as Array<{name: string}> | undefined) ?? [])]
      if (!volumes.some((v) => v.name === plan.model.name)) volumes.push({name: plan.model.name, hostPath: {path}} as {name: string})
      pod.volumes = volumes
    }
    pod.nodeSelector = {[modelNodeLabel(plan.model.kind, plan.model.name, plan.ns)]: 'Ready', ...((pod.nodeSelector as Record<string, string> | undefined) ?? {})}
  } else {
    pod.serviceAccountName ??= `${plan.name}-router`
  }
  const labels = {...commonLabels(plan, component, merged), ...(part.extraLabels ?? {})}
  const annotations = {...commonAnnotations(plan, merged), ...(part.extraAnnotations ?? {})}
  return {template: {metadata: {labels, annotations}, spec: pod}, container}
}

function ownerMeta(plan: Plan, name: string, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject['metadata'] {
  return {name, namespace: plan.ns, labels, ...(annotations ? {annotations} : {}), ownerReferences: [controllerRef(plan.isvc)]}
}

function serviceObject(plan: Plan, name: string, labels: Record<string, string>, selector: Record<string, string>, port: number, portName: string): KubeObject {
  const svcName = omeServiceName(name)
  const ip = stableClusterIP(plan.ns, svcName)
  const type = plan.isvc.metadata.annotations?.['ome.io/service-type'] ?? 'ClusterIP'
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownerMeta(plan, svcName, labels),
    spec: {
      type,
      clusterIP: ip,
      clusterIPs: [ip],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      selector,
      ports: [{name: portName, protocol: 'TCP', port, targetPort: port}],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
  }
}

function deploymentRevision(ctx: ReconcileContext, deploy: KubeObject | undefined): number {
  if (!deploy) return 1
  const sets = ownedBy(ctx.store, REF.replicasets, deploy)
  return Math.max(1, ...sets.map((r) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)))
}

function revisionStatus(componentName: string, url: string, revision: number, ready: boolean): Obj {
  const rev = omeRevisionName(componentName, revision)
  return {
    ...(ready ? {url, latestReadyRevision: rev} : {}),
    latestCreatedRevision: rev,
    traffic: [{revisionName: rev, percent: 100, latestRevision: true}],
  }
}

function componentPods(ctx: ReconcileContext, plan: Plan, component: OMEComponent): KubeObject[] {
  return ctx.store.list(REF.pods, {namespace: plan.ns, labelSelector: `${OME_ISVC_LABEL}=${plan.name},${OME_COMPONENT_LABEL}=${component}`}).items
}

/** Deployment (RawDeployment or Serverless) + Service + autoscaler of one component. */
function reconcileDeploymentComponent(ctx: ReconcileContext, plan: Plan, component: OMEComponent, merged: OMEComponentSpec, mode: OMEDeploymentMode): ComponentResult {
  const name = omeComponentName(plan.name, component)
  const labels = commonLabels(plan, component, merged)
  const serverless = mode === 'Serverless'
  const extraAnnotations: Record<string, string> = {}
  if (serverless) {
    extraAnnotations['autoscaling.knative.dev/min-scale'] = String(merged.minReplicas ?? 0)
    if (merged.maxReplicas) extraAnnotations['autoscaling.knative.dev/max-scale'] = String(merged.maxReplicas)
    extraAnnotations['autoscaling.knative.dev/class'] = 'kpa.autoscaling.knative.dev'
    if (merged.scaleTarget !== undefined) extraAnnotations['autoscaling.knative.dev/target'] = String(merged.scaleTarget)
    if (merged.scaleMetric) extraAnnotations['autoscaling.knative.dev/metric'] = merged.scaleMetric
  }
  const {template, container} = podTemplate(plan, component, merged, {runner: merged.runner as Container | undefined, extraLabels: {app: name}, extraAnnotations})
  const autoscaler = autoscalerFor(plan.isvc, name, merged)
  const replicas = serverless ? (merged.minReplicas ?? 0) : autoscaler.minReplicas
  const deploy = ensure(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: ownerMeta(plan, name, labels, {'ome.io/deploymentMode': mode}),
      spec: {
        replicas,
        selector: {matchLabels: {app: name}},
        strategy: (merged.deploymentStrategy as Obj | undefined) ?? {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}},
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template,
      },
    },
    // An autoscaler owns replicas of a raw Deployment; a Serverless one follows minReplicas.
    {keep: serverless || autoscaler.kind === 'none' ? [] : ['replicas']},
  )
  const port = containerPort(container)
  ensure(ctx, serviceObject(plan, name, labels, {app: name}, port, container.name ?? OME_MAIN_CONTAINER))

  // Autoscaling (raw mode only; Serverless is Knative's own autoscaler).
  const soName = omeScaledObjectName(name)
  if (!serverless && autoscaler.kind === 'hpa') {
    deleteIfPresent(ctx, REF.scaledobjects, plan.ns, soName)
    ensure(ctx, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: ownerMeta(plan, name, labels),
      spec: {
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
        minReplicas: autoscaler.minReplicas,
        maxReplicas: autoscaler.maxReplicas,
        metrics: [{type: 'Resource', resource: {name: autoscaler.metric, target: {type: 'Utilization', averageUtilization: autoscaler.target}}}],
      },
    })
  } else if (!serverless && autoscaler.kind === 'keda') {
    if (isOwned(ctx.store.get(REF.hpas, plan.ns, name), plan.isvc)) deleteIfPresent(ctx, REF.hpas, plan.ns, name)
    ensure(ctx, {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: ownerMeta(plan, soName, labels),
      spec: {
        scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
        minReplicaCount: autoscaler.minReplicas,
        maxReplicaCount: autoscaler.maxReplicas,
        triggers: [{type: 'prometheus', metadata: autoscaler.trigger, ...(autoscaler.authenticationRef ? {authenticationRef: autoscaler.authenticationRef} : {})}],
      },
    })
  } else {
    if (isOwned(ctx.store.get(REF.hpas, plan.ns, name), plan.isvc)) deleteIfPresent(ctx, REF.hpas, plan.ns, name)
    deleteIfPresent(ctx, REF.scaledobjects, plan.ns, soName)
  }

  const available = getCondition(deploy, 'Available')
  const ready = available?.status === 'True'
  const type = omeComponentConditionType(component)
  const condition: OMEConditionInput = ready
    ? {type, status: 'True'}
    : available
      ? {type, status: 'False', reason: String(available.reason ?? 'MinimumReplicasUnavailable'), message: String(available.message ?? 'Deployment does not have minimum availability.')}
      : {type, status: 'Unknown', reason: 'Initializing', message: `Deployment ${name} has not reported availability yet`}
  const urls = omeUrls(plan.name, plan.ns)
  const specReplicas = (deploy.spec as {replicas?: number} | undefined)?.replicas ?? 1
  return {
    condition,
    status: revisionStatus(name, urls.component(name), deploymentRevision(ctx, deploy), ready),
    port,
    pods: componentPods(ctx, plan, component),
    mode,
    scaledToZero: serverless && specReplicas === 0,
  }
}

function isOwned(obj: KubeObject | undefined, owner: KubeObject): boolean {
  return !!obj && isOwnedBy(obj, owner)
}

/** MultiNode: leader StatefulSet + one worker StatefulSet per group (the LeaderWorkerSet layout) + Service. */
function reconcileMultiNodeComponent(ctx: ReconcileContext, plan: Plan, component: OMEComponent, merged: OMEComponentSpec): ComponentResult {
  const name = omeComponentName(plan.name, component)
  const lws = omeLeaderWorkerSetName(name)
  const labels = commonLabels(plan, component, merged)
  const size = Math.max(0, merged.worker?.size ?? 1)
  const groupSize = size + 1
  const groups = Math.max(0, merged.minReplicas ?? 1)
  const lwsLabels = {'leaderworkerset.sigs.k8s.io/name': lws}
  const leaderPart = merged.leader ?? {}
  const workerPart = merged.worker ?? {}
  const env = (extra: Record<string, string>) => Object.entries(extra).map(([k, v]) => ({name: k, value: v}))
  const withEnv = (runner: Container | undefined, extra: Record<string, string>): Container => {
    const c = structuredClone(runner ?? {}) as Container
    const names = new Set((c.env ?? []).map((e) => e.name))
    c.env = [...(c.env ?? []), ...env(extra).filter((e) => !names.has(e.name))]
    return c
  }
  const leaderRunner = withEnv((leaderPart.runner ?? merged.runner) as Container | undefined, {LWS_GROUP_SIZE: String(groupSize), LWS_WORKER_INDEX: '0'})
  const leader = podTemplate(plan, component, merged, {
    runner: leaderRunner,
    pod: leaderPart as Obj,
    extraLabels: {...lwsLabels, app: name, 'ray.io/node-type': 'head', 'leaderworkerset.sigs.k8s.io/worker-index': '0', 'leaderworkerset.sigs.k8s.io/group-size': String(groupSize)},
  })
  const leaderSet = ensure(ctx, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: ownerMeta(plan, lws, {...labels, ...lwsLabels}, {'leaderworkerset.sigs.k8s.io/size': String(groupSize), 'ome.io/deploymentMode': 'MultiNode'}),
    spec: {
      replicas: groups,
      serviceName: omeServiceName(name),
      podManagementPolicy: 'Parallel',
      selector: {matchLabels: {...lwsLabels, 'leaderworkerset.sigs.k8s.io/worker-index': '0'}},
      template: leader.template,
    },
  })
  const sets: KubeObject[] = [leaderSet]
  for (let g = 0; g < groups && size > 0; g++) {
    const leaderAddress = `${lws}-${g}.${omeServiceName(name)}.${plan.ns}.svc.cluster.local`
    const workerRunner = withEnv((workerPart.runner ?? merged.runner) as Container | undefined, {LWS_LEADER_ADDRESS: leaderAddress, LWS_GROUP_SIZE: String(groupSize)})
    const worker = podTemplate(plan, component, merged, {
      runner: workerRunner,
      pod: workerPart as Obj,
      extraLabels: {...lwsLabels, 'leaderworkerset.sigs.k8s.io/group-index': String(g), 'leaderworkerset.sigs.k8s.io/worker': 'true'},
    })
    const meta = worker.template.metadata as {annotations: Record<string, string>}
    for (const k of Object.keys(meta.annotations)) if (k.startsWith('prometheus.io/')) delete meta.annotations[k]
    sets.push(ensure(ctx, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: ownerMeta(plan, `${lws}-${g}`, {...labels, ...lwsLabels, 'leaderworkerset.sigs.k8s.io/group-index': String(g)}),
      spec: {
        replicas: size,
        serviceName: omeServiceName(name),
        podManagementPolicy: 'Parallel',
        selector: {matchLabels: {...lwsLabels, 'leaderworkerset.sigs.k8s.io/group-index': String(g), 'leaderworkerset.sigs.k8s.io/worker': 'true'}},
        template: worker.template,
      },
    }))
  }
  // Groups scaled away.
  for (const s of ownedBy(ctx.store, REF.statefulsets, plan.isvc)) {
    const n = s.metadata.name ?? ''
    const m = new RegExp(`^${lws.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(n)
    if (m && (Number(m[1]) >= groups || size === 0)) deleteIfPresent(ctx, REF.statefulsets, plan.ns, n)
  }
  const port = containerPort(leader.container)
  ensure(ctx, serviceObject(plan, name, labels, {app: name, 'ray.io/node-type': 'head'}, port, leader.container.name ?? OME_MAIN_CONTAINER))
  const want = (s: KubeObject) => (s.spec as {replicas?: number}).replicas ?? 1
  const readyOf = (s: KubeObject) => (s.status as {readyReplicas?: number} | undefined)?.readyReplicas ?? 0
  const leadersReady = readyOf(leaderSet)
  let groupsReady = 0
  for (let g = 0; g < groups; g++) {
    const workers = sets.find((s) => s.metadata.name === `${lws}-${g}`)
    const leaderPod = ctx.store.get(REF.pods, plan.ns, `${lws}-${g}`)
    const leaderOk = !!leaderPod && getCondition(leaderPod, 'Ready')?.status === 'True'
    if (leaderOk && (size === 0 || (workers && readyOf(workers) >= want(workers)))) groupsReady++
  }
  void leadersReady
  const ready = groupsReady >= groups
  const type = omeComponentConditionType(component)
  const condition: OMEConditionInput = ready
    ? {type, status: 'True'}
    : {type, status: 'False', reason: 'GroupsNotReady', message: `${groupsReady}/${groups} leader-worker groups of ${lws} are ready (group size ${groupSize})`}
  const urls = omeUrls(plan.name, plan.ns)
  const leaderPods = componentPods(ctx, plan, component).filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'head')
  return {condition, status: revisionStatus(name, urls.component(name), 1, ready), port, pods: leaderPods, mode: 'MultiNode', scaledToZero: false}
}

function reconcileRouterExtras(ctx: ReconcileContext, plan: Plan, merged: OMEComponentSpec): void {
  if ((merged as Obj).serviceAccountName) return
  ensure(ctx, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: ownerMeta(plan, `${plan.name}-router`, {[OME_ISVC_LABEL]: plan.name, [OME_COMPONENT_LABEL]: 'router'}),
  }, {fields: []})
}

/** Remove children of components the ISVC no longer declares (and of modes it no longer uses). */
function cleanup(ctx: ReconcileContext, plan: Plan, present: Map<OMEComponent, OMEDeploymentMode>): void {
  for (const ref of [REF.deployments, REF.services, REF.hpas, REF.scaledobjects, REF.statefulsets, OME_REF.serviceaccounts]) {
    for (const obj of ownedBy(ctx.store, ref, plan.isvc)) {
      const component = obj.metadata.labels?.[OME_COMPONENT_LABEL] as OMEComponent | 'external-service' | undefined
      if (!component || component === 'external-service') continue
      const mode = present.get(component)
      const stale =
        !mode ||
        (ref === REF.statefulsets && mode !== 'MultiNode') ||
        (ref === REF.deployments && mode === 'MultiNode') ||
        ((ref === REF.hpas || ref === REF.scaledobjects) && mode !== 'RawDeployment')
      if (stale) deleteIfPresent(ctx, ref, plan.ns, obj.metadata.name ?? '')
    }
  }
}

type StatusConditions = Array<Condition & Record<string, unknown>>

function conditionList(previous: StatusConditions | undefined, decided: OMEConditionInput[], now: string, keep: (type: string) => boolean): StatusConditions {
  const list: StatusConditions = (previous ?? []).filter((c) => keep(c.type)).map((c) => ({...c}))
  for (const d of decided) {
    const next: Record<string, unknown> = {type: d.type, status: d.status}
    if (d.status !== 'True') {
      if (d.reason) next.reason = d.reason
      if (d.message) next.message = d.message
    }
    setCondition(list, next as Condition & Record<string, unknown>, now)
  }
  const order = ['IngressReady', 'PredictorReady', 'EngineReady', 'DecoderReady', 'RouterReady', 'Ready']
  list.sort((a, b) => (order.indexOf(a.type) + 100 * +(order.indexOf(a.type) < 0)) - (order.indexOf(b.type) + 100 * +(order.indexOf(b.type) < 0)))
  return list
}

function writeIsvcStatus(ctx: ReconcileContext, isvc: KubeObject, status: Obj): void {
  const prev = isvc.status as {conditions?: StatusConditions} | undefined
  if (stableJson(isvc.status ?? {}) === stableJson(status)) return
  const wasReady = prev?.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
  const ready = (status.conditions as StatusConditions).find((c) => c.type === 'Ready')
  let written: KubeObject | undefined
  try {
    written = ctx.store.mutate(OME_REF.isvcs, isvc.metadata.namespace, isvc.metadata.name ?? '', (o) => {
      o.status = JSON.parse(JSON.stringify(status))
    }, {subresource: 'status', fieldManager: OME_MANAGER})
  } catch (error) {
    if ((error as {code?: number}).code === 404) return
    throw error
  }
  if (ready?.status === 'True' && !wasReady) ctx.events.event(written, 'Normal', 'InferenceServiceReady', `InferenceService [${isvc.metadata.name}] is Ready`, OME_MANAGER)
  else if (ready?.status === 'False' && wasReady) ctx.events.event(written, 'Warning', 'InferenceServiceNotReady', `InferenceService [${isvc.metadata.name}] is no longer Ready: ${ready.reason ?? ''}`, OME_MANAGER)
}

/** A failure before any child is built (bad spec, model or runtime): Ready=False and modelStatus InvalidSpec. */
function writeFailure(ctx: ReconcileContext, isvc: KubeObject, reason: string, message: string, eventReason: string): void {
  const prev = (isvc.status ?? {}) as Obj & {conditions?: StatusConditions}
  const changed = prev.conditions?.find((c) => c.type === 'Ready')?.reason !== reason
  const status: Obj = {
    ...prev,
    observedGeneration: isvc.metadata.generation ?? 1,
    conditions: conditionList(prev.conditions, [{type: 'Ready', status: 'False', reason, message}], ctx.clock.nowISO(), () => true),
    modelStatus: {transitionStatus: 'InvalidSpec', modelRevisionStates: {targetModelState: 'Pending'}, lastFailureInfo: {reason, message}},
  }
  writeIsvcStatus(ctx, isvc, status)
  if (changed) ctx.events.event(isvc, 'Warning', eventReason, message, OME_MANAGER)
}

export function inferenceServiceReconciler(): Reconciler {
  const byLabel = (obj: KubeObject): ObjectKey[] => {
    const name = obj.metadata.labels?.[OME_ISVC_LABEL]
    return name ? [{namespace: obj.metadata.namespace, name}] : []
  }
  const isvcsWhere = (ctx: ReconcileContext, pred: (isvc: KubeObject) => boolean, namespace?: string): ObjectKey[] =>
    ctx.store.list(OME_REF.isvcs, namespace ? {namespace} : {}).items.filter(pred).map((i) => ({namespace: i.metadata.namespace, name: i.metadata.name ?? ''}))
  const modelName = (i: KubeObject) => (i.spec as OMEInferenceServiceSpec | undefined)?.model?.name
  return {
    name: OME_MANAGER,
    for: OME_REF.isvcs,
    watches: [
      {kind: REF.pods, map: byLabel},
      {kind: REF.deployments, map: byLabel},
      {kind: REF.statefulsets, map: byLabel},
      {kind: REF.services, map: byLabel},
      {kind: OME_REF.basemodels, map: (obj, ctx) => isvcsWhere(ctx, (i) => modelName(i) === obj.metadata.name, obj.metadata.namespace)},
      {kind: OME_REF.clusterbasemodels, map: (obj, ctx) => isvcsWhere(ctx, (i) => modelName(i) === obj.metadata.name)},
      {kind: OME_REF.servingruntimes, map: (obj, ctx) => isvcsWhere(ctx, () => true, obj.metadata.namespace)},
      {kind: OME_REF.clusterservingruntimes, map: (_obj, ctx) => isvcsWhere(ctx, () => true)},
    ],
    reconcile(key, ctx) {
      let isvc = ctx.store.get(OME_REF.isvcs, key.namespace, key.name)
      if (!isvc) return
      if (isvc.metadata.deletionTimestamp) {
        if ((isvc.metadata.finalizers ?? []).includes(OME_ISVC_FINALIZER)) {
          ctx.store.mutate(OME_REF.isvcs, key.namespace, key.name, (o) => {
            o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== OME_ISVC_FINALIZER)
          }, {fieldManager: OME_MANAGER})
        }
        return
      }
      if (!(isvc.metadata.finalizers ?? []).includes(OME_ISVC_FINALIZER)) {
        isvc = ctx.store.mutate(OME_REF.isvcs, key.namespace, key.name, (o) => {
          o.metadata.finalizers = [...(o.metadata.finalizers ?? []), OME_ISVC_FINALIZER]
        }, {fieldManager: OME_MANAGER})
      }
      const migration = migratePredictor((isvc.spec ?? {}) as OMEInferenceServiceSpec)
      const spec = migration.spec
      if (migration.migrated && !(isvc.status as {conditions?: StatusConditions} | undefined)?.conditions?.some((c) => c.type === 'PredictorReady')) {
        ctx.events.event(isvc, 'Warning', 'DeprecatedPredictor', 'spec.predictor is deprecated; it is served as spec.engine (migrate to engine, model and runtime)', OME_MANAGER)
      }
      const ns = key.namespace ?? 'default'
      const invalid = validateInferenceService(spec)
      if (invalid) return writeFailure(ctx, isvc, 'InvalidPredictorSpec', invalid, 'InternalError')

      const lookup = lookupBaseModel({...isvc, spec}, ctx.store.list(OME_REF.basemodels, {namespace: ns}).items, ctx.store.list(OME_REF.clusterbasemodels).items)
      if (lookup.outcome !== 'found' || !lookup.model) return writeFailure(ctx, isvc, lookup.reason, lookup.message, 'ModelReconcileError')

      const selection = selectRuntime({
        isvc: {...isvc, spec},
        model: lookup.model,
        namespacedRuntimes: ctx.store.list(OME_REF.servingruntimes, {namespace: ns}).items,
        clusterRuntimes: ctx.store.list(OME_REF.clusterservingruntimes).items,
      })
      if (selection.outcome !== 'selected' || !selection.selected) {
        return writeFailure(ctx, isvc, selection.reason, selection.message, selection.explicit ? 'RuntimeValidationError' : 'RuntimeSelectionError')
      }
      const runtimeSpec = (selection.selected.runtime.spec ?? {}) as ServingRuntimeSpec
      const plan: Plan = {
        isvc,
        ns,
        name: key.name,
        model: {name: lookup.model.metadata.name ?? '', kind: lookup.kind!, spec: lookup.model.spec, annotations: lookup.model.metadata.annotations ?? {}},
        runtimeName: selection.selected.name,
      }
      const merged = {
        engine: mergeComponent('engine', spec.engine, runtimeSpec),
        decoder: mergeComponent('decoder', spec.decoder, runtimeSpec),
        router: mergeComponent('router', spec.router, runtimeSpec),
      }
      const modes = componentModes(merged)
      const results = new Map<OMEComponent, ComponentResult>()
      const present = new Map<OMEComponent, OMEDeploymentMode>()
      for (const component of OME_COMPONENTS) {
        const m = merged[component]
        const mode = modes[component]
        if (!m || !mode) continue
        present.set(component, mode)
        if (component === 'router') reconcileRouterExtras(ctx, plan, m)
        results.set(component, mode === 'MultiNode' ? reconcileMultiNodeComponent(ctx, plan, component, m) : reconcileDeploymentComponent(ctx, plan, component, m, mode))
      }
      cleanup(ctx, plan, present)

      // ModelConfig ConfigMap: the model spec the serving containers can read (reference §4.6).
      ensure(ctx, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: ownerMeta(plan, omeModelConfigName(key.name), {[OME_ISVC_LABEL]: key.name}),
        data: {'models.json': JSON.stringify([{modelName: plan.model.name, modelSpec: plan.model.spec, fineTunedWeightSpec: null}])},
      }, {fields: ['data']})

      // External Service {isvc}: the router if there is one, else the engine.
      const entry: OMEComponent = results.has('router') ? 'router' : 'engine'
      const entryPort = results.get(entry)?.port ?? OME_DEFAULT_PORT
      const external = isvc.metadata.labels?.['networking.knative.dev/visibility'] === 'cluster-local'
        ? undefined
        : ensure(ctx, serviceObject(plan, key.name, {[OME_ISVC_LABEL]: key.name, [OME_COMPONENT_LABEL]: 'external-service'}, {[OME_ISVC_LABEL]: key.name, [OME_COMPONENT_LABEL]: entry}, entryPort, 'http'))

      // Status.
      const now = ctx.clock.nowISO()
      const decided: OMEConditionInput[] = [
        external
          ? {type: 'IngressReady', status: 'True'}
          : {type: 'IngressReady', status: 'True', reason: 'IngressDisabled', message: 'cluster-local visibility: no external service'},
      ]
      for (const [, r] of results) decided.push(r.condition)
      decided.push(omeReadyRollup([...results.keys()], decided))
      // The deprecated predictor reads as its engine.
      const engineCondition = results.get('engine')?.condition
      if (migration.migrated && engineCondition) decided.push({...engineCondition, type: 'PredictorReady'})
      const componentTypes = new Set(OME_COMPONENTS.map(omeComponentConditionType))
      const presentTypes = new Set([...results.keys()].map(omeComponentConditionType))
      const prev = (isvc.status ?? {}) as Obj & {conditions?: StatusConditions}
      const conditions = conditionList(prev.conditions, decided, now, (t) => !componentTypes.has(t) || presentTypes.has(t))
      const urls = omeUrls(key.name, ns)
      const components: Obj = {}
      for (const [c, r] of results) components[c] = r.status
      if (migration.migrated && components.engine) components.predictor = components.engine
      const serving = [...results.entries()].filter(([c]) => c !== 'router').map(([, r]) => r)
      const servingReady = serving.every((r) => r.condition.status === 'True')
      const modelStatus = omeModelStatus({
        pods: serving.flatMap((r) => r.pods),
        ready: servingReady,
        scaledToZero: serving.length > 0 && serving.every((r) => r.scaledToZero),
      })
      const status: Obj = {
        observedGeneration: isvc.metadata.generation ?? 1,
        conditions,
        url: urls.url,
        address: {url: urls.address},
        components,
        modelStatus,
      }
      writeIsvcStatus(ctx, isvc, status)
      return undefined
    },
  }
}

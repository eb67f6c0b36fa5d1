/**
 * KEDA and the HPA controller. ScaledObject → HPA `keda-hpa-<so>` (autoscaling/v2) with external
 * metrics; the HPA controller scales the target Deployment on the simulated
 * `vllm:num_requests_running` load (faults.setLoad), with kube's tolerance, min/max limits and the
 * 300 s scale-down stabilisation window, and writes HPA conditions and Events.
 */
import type {Condition, KubeObject} from '../../../src/api/object.js'
import {parseQuantity} from '../../../src/engine/quantity.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import type {ClusterDeps} from './index.js'
import {clone, controllerRef, createOrIgnore, REF, setCondition, stableJson, writeStatus} from './util.js'

const KEDA = 'keda-operator'
const HPA = 'horizontal-pod-autoscaler'
const TOLERANCE = 0.1
const STABILIZATION_MS = 300_000

interface Trigger {
  type: string
  name?: string
  metricType?: string
  metadata?: Record<string, string>
}

/** KEDA's external metric name for a trigger: `s<i>-<metric>`, sanitised. */
export function kedaMetricName(index: number, trigger: Trigger): string {
  const raw = trigger.name ?? trigger.metadata?.metricName ?? trigger.metadata?.query ?? trigger.type
  const base = raw.replace(/\{.*$/, '').replace(/^[a-z_]+\(/i, '').replace(/\)$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')
  return `s${index}-${base || trigger.type}`
}

function hpaMetrics(so: KubeObject): Array<Record<string, unknown>> {
  const name = so.metadata.name ?? ''
  const triggers = ((so.spec as {triggers?: Trigger[]} | undefined)?.triggers ?? [])
  return triggers.map((t, i) => {
    if (t.type === 'cpu' || t.type === 'memory') {
      const type = t.metricType ?? 'Utilization'
      const target = type === 'Utilization' ? {type, averageUtilization: Number(t.metadata?.value ?? 80)} : {type, averageValue: t.metadata?.value ?? '1'}
      return {type: 'Resource', resource: {name: t.type, target}}
    }
    const value = t.metadata?.targetValue ?? t.metadata?.threshold ?? t.metadata?.value ?? '1'
    const type = t.metricType ?? 'AverageValue'
    return {
      type: 'External',
      external: {
        metric: {name: kedaMetricName(i, t), selector: {matchLabels: {'scaledobject.keda.sh/name': name}}},
        target: type === 'Value' ? {type: 'Value', value} : {type: 'AverageValue', averageValue: value},
      },
    }
  })
}

export function scaledObjectReconciler(deps: ClusterDeps): Reconciler {
  return {
    name: KEDA,
    for: REF.scaledobjects,
    reconcile(key, ctx) {
      const so = ctx.store.get(REF.scaledobjects, key.namespace, key.name)
      if (!so || so.metadata.deletionTimestamp) return
      const spec = (so.spec ?? {}) as {scaleTargetRef?: {name?: string; kind?: string; apiVersion?: string}; minReplicaCount?: number; maxReplicaCount?: number; triggers?: Trigger[]}
      const target = spec.scaleTargetRef?.name ?? ''
      const hpaName = `keda-hpa-${key.name}`
      const now = ctx.clock.nowISO()
      const minReplicas = spec.minReplicaCount ?? 0
      const hpaSpec = {
        scaleTargetRef: {apiVersion: spec.scaleTargetRef?.apiVersion ?? 'apps/v1', kind: spec.scaleTargetRef?.kind ?? 'Deployment', name: target},
        minReplicas: Math.max(1, minReplicas),
        maxReplicas: spec.maxReplicaCount ?? 100,
        metrics: hpaMetrics(so),
      }
      const labels = {
        'app.kubernetes.io/managed-by': 'keda-operator',
        'app.kubernetes.io/name': hpaName,
        'app.kubernetes.io/part-of': key.name,
        'app.kubernetes.io/version': '2.16.1',
        'scaledobject.keda.sh/name': key.name,
        ...(so.metadata.labels ?? {}),
      }
      const hpa = ctx.store.get(REF.hpas, key.namespace, hpaName)
      const firstTime = !hpa
      if (!hpa) {
        createOrIgnore(ctx.store, {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: {name: hpaName, namespace: key.namespace, labels, ownerReferences: [controllerRef(so)]},
          spec: hpaSpec,
        }, KEDA)
      } else if (stableJson({...(hpa.spec as object), behavior: undefined}) !== stableJson(hpaSpec)) {
        ctx.store.mutate(REF.hpas, key.namespace, hpaName, (o) => {
          o.spec = {...hpaSpec, ...((o.spec as {behavior?: unknown}).behavior ? {behavior: (o.spec as {behavior?: unknown}).behavior} : {})}
        }, {fieldManager: KEDA})
      }
      const deployForLoad = ctx.store.get(REF.deployments, key.namespace, target)
      const active = deps.faults.getLoad(key.namespace ?? '', loadKey(target, deployForLoad)) > 0
      const status = clone((so.status ?? {}) as Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>})
      const conditions = status.conditions ?? []
      const deploy = ctx.store.get(REF.deployments, key.namespace, target)
      if (!deploy) {
        setCondition(conditions, {type: 'Ready', status: 'False', reason: 'ScaledObjectCheckFailed', message: `ScaledObject doesn't have correct scaleTargetRef specification`}, now)
      } else {
        setCondition(conditions, {type: 'Ready', status: 'True', reason: 'ScaledObjectReady', message: 'ScaledObject is defined correctly and is ready for scaling'}, now)
      }
      setCondition(conditions, active
        ? {type: 'Active', status: 'True', reason: 'ScalerActive', message: 'Scaling is performed because triggers are active'}
        : {type: 'Active', status: 'False', reason: 'ScalerNotActive', message: 'Scaling is not performed because triggers are not active'}, now)
      setCondition(conditions, {type: 'Fallback', status: 'False', reason: 'NoFallbackFound', message: 'No fallbacks are active on this scaled object'}, now)
      setCondition(conditions, {type: 'Paused', status: 'False', reason: 'ScaledObjectUnpaused', message: 'pause annotation removed for ScaledObject'}, now)
      status.conditions = conditions
      status.scaleTargetKind = 'apps/v1.Deployment'
      status.scaleTargetGVKR = {group: 'apps', kind: 'Deployment', resource: 'deployments', version: 'v1'}
      status.originalReplicaCount ??= (deploy?.spec as {replicas?: number} | undefined)?.replicas ?? 1
      status.hpaName = hpaName
      status.externalMetricNames = hpaSpec.metrics.filter((m) => m.type === 'External').map((m) => ((m.external as {metric: {name: string}}).metric.name))
      if (active) status.lastActiveTime = now
      writeStatus(ctx.store, REF.scaledobjects, so, status, KEDA)
      if (firstTime && deploy) {
        const types = [...new Set((spec.triggers ?? []).map((t) => t.type))].join(', ')
        ctx.events.event(so, 'Normal', 'KEDAScalersStarted', `Scaler ${types} is built.`, KEDA)
        ctx.events.event(so, 'Normal', 'ScaledObjectReady', 'ScaledObject is ready for scaling', KEDA)
      }
      // The HPA re-reads the metric now (KEDA's metrics server answers with the new value).
      if (hpa) return
    },
  }
}

interface Recommendation {
  at: number
  replicas: number
}

function selectorText(name: string): string {
  return `&LabelSelector{MatchLabels:map[string]string{scaledobject.keda.sh/name: ${name},},MatchExpressions:[]LabelSelectorRequirement{},}`
}

export function hpaReconciler(deps: ClusterDeps): Reconciler {
  const history = new Map<string, Recommendation[]>()
  const hpasFor = (obj: KubeObject, ctx: ReconcileContext): ObjectKey[] =>
    ctx.store
      .list(REF.hpas, {namespace: obj.metadata.namespace})
      .items.filter((h) => (h.spec as {scaleTargetRef?: {name?: string}}).scaleTargetRef?.name === obj.metadata.name)
      .map((h) => ({namespace: h.metadata.namespace, name: h.metadata.name ?? ''}))
  return {
    name: HPA,
    for: REF.hpas,
    watches: [
      {kind: REF.deployments, map: hpasFor},
      // KEDA's Active flips with load: re-evaluate the HPA behind the ScaledObject.
      {kind: REF.scaledobjects, map: (obj) => [{namespace: obj.metadata.namespace, name: `keda-hpa-${obj.metadata.name}`}]},
    ],
    reconcile(key, ctx) {
      const hpa = ctx.store.get(REF.hpas, key.namespace, key.name)
      const id = `${key.namespace}/${key.name}`
      if (!hpa || hpa.metadata.deletionTimestamp) {
        history.delete(id)
        return
      }
      const now = ctx.clock.now()
      const nowISO = ctx.clock.nowISO()
      const spec = hpa.spec as {scaleTargetRef: {name: string; kind?: string}; minReplicas?: number; maxReplicas: number; metrics?: Array<Record<string, any>>}
      const min = spec.minReplicas ?? 1
      const max = spec.maxReplicas
      const status = clone((hpa.status ?? {}) as Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>})
      const conditions = status.conditions ?? []
      const deploy = ctx.store.get(REF.deployments, key.namespace, spec.scaleTargetRef.name)
      if (!deploy) {
        setCondition(conditions, {type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments/scale.apps "${spec.scaleTargetRef.name}" not found`}, nowISO)
        status.conditions = conditions
        status.currentReplicas = status.currentReplicas ?? 0
        status.desiredReplicas = status.desiredReplicas ?? 0
        writeStatus(ctx.store, REF.hpas, hpa, status, HPA)
        return
      }
      const current = (deploy.spec as {replicas?: number}).replicas ?? 1
      const readyPods = (deploy.status as {readyReplicas?: number} | undefined)?.readyReplicas ?? 0
      const load = deps.faults.getLoad(key.namespace ?? '', loadKey(spec.scaleTargetRef.name, deploy))
      const soName = hpa.metadata.labels?.['scaledobject.keda.sh/name'] ?? key.name.replace(/^keda-hpa-/, '')
      let desired = current
      let metricsOk = true
      let metricText = ''
      const currentMetrics: Array<Record<string, unknown>> = []
      let proposals: number[] = []
      for (const m of spec.metrics ?? []) {
        if (m.type === 'External') {
          const name = m.external.metric.name as string
          metricText = `external metric ${name}(${selectorText(soName)})`
          if (readyPods === 0) {
            metricsOk = false
            metricText = `unable to get external metric ${key.namespace}/${name}/${selectorText(soName)}: unable to fetch metrics from external metrics API: no metrics returned from external metrics API`
            continue
          }
          const target = m.external.target
          if (target.type === 'Value') {
            const value = load / readyPods
            const goal = parseQuantity(target.value) ?? 1
            const ratio = value / goal
            currentMetrics.push({type: 'External', external: {metric: m.external.metric, current: {value: formatMilli(value)}}})
            proposals.push(Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(current * ratio))
          } else {
            const goal = parseQuantity(target.averageValue) ?? 1
            const perPod = load / Math.max(1, current)
            currentMetrics.push({type: 'External', external: {metric: m.external.metric, current: {averageValue: formatMilli(perPod)}}})
            const ratio = perPod / goal
            proposals.push(Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(load / goal))
          }
        } else if (m.type === 'Resource') {
          const resource = m.resource.name as string
          metricText = `cpu resource utilization (percentage of request)`
          if (readyPods === 0) {
            metricsOk = false
            metricText = `failed to get ${resource} utilization: unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`
            continue
          }
          // Idle inference servers: 5% CPU utilisation, plus a little per running request.
          const utilization = Math.min(100, 5 + (load * 10) / Math.max(1, readyPods))
          const goal = m.resource.target.averageUtilization ?? 80
          currentMetrics.push({type: 'Resource', resource: {name: resource, current: {averageUtilization: Math.round(utilization)}}})
          const ratio = utilization / goal
          proposals.push(Math.abs(ratio - 1) <= TOLERANCE ? current : Math.ceil(current * ratio))
        }
      }
      if (proposals.length === 0) proposals = [current]
      const raw = Math.max(...proposals)
      const limited = Math.min(max, Math.max(min, raw))
      // Scale-down stabilisation: the highest recommendation of the last 5 minutes wins.
      const recs = (history.get(id) ?? []).filter((r) => now - r.at < STABILIZATION_MS)
      recs.push({at: now, replicas: limited})
      history.set(id, recs)
      let stabilized = false
      desired = limited
      if (metricsOk && limited < current) {
        const highest = Math.max(...recs.map((r) => r.replicas))
        if (highest > limited) {
          desired = Math.min(current, highest)
          stabilized = desired !== limited
        }
      }
      if (!metricsOk) desired = Math.min(max, Math.max(min, current))
      let rescaled = false
      if (desired !== current) {
        ctx.store.mutate(REF.deployments, key.namespace, spec.scaleTargetRef.name, (o) => {
          ;(o.spec as {replicas?: number}).replicas = desired
        }, {fieldManager: HPA})
        rescaled = true
        const why = desired > current ? `${metricText} above target` : 'All metrics below target'
        ctx.events.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${why}`, HPA)
        status.lastScaleTime = nowISO
      }
      setCondition(
        conditions,
        rescaled
          ? {type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}`}
          : stabilized
            ? {type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation'}
            : {type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size'},
        nowISO,
      )
      if (metricsOk) {
        setCondition(conditions, {type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metricText}`}, nowISO)
      } else {
        const reason = (spec.metrics ?? []).some((m) => m.type === 'External') ? 'FailedGetExternalMetric' : 'FailedGetResourceMetric'
        setCondition(conditions, {type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${metricText}`}, nowISO)
      }
      setCondition(
        conditions,
        raw > max
          ? {type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count'}
          : raw < min
            ? {type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count'}
            : {type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range'},
        nowISO,
      )
      status.conditions = conditions
      status.currentReplicas = (deploy.status as {replicas?: number} | undefined)?.replicas ?? current
      status.desiredReplicas = desired
      if (currentMetrics.length) status.currentMetrics = currentMetrics
      else delete status.currentMetrics
      writeStatus(ctx.store, REF.hpas, hpa, status, HPA)
      // Re-evaluate when the stabilisation window lets a scale-down through.
      if (metricsOk && limited < desired) {
        const oldest = Math.min(...recs.filter((r) => r.replicas > limited).map((r) => r.at))
        return {requeueAfterMs: Math.max(1000, oldest + STABILIZATION_MS - now)}
      }
      return undefined
    },
  }
}

/** Which inference service a scaled Deployment serves (the key of faults.setLoad). */
export function loadKey(deploymentName: string, deploy: KubeObject | undefined): string {
  const labels = deploy?.metadata.labels ?? {}
  return (
    labels['serving.kserve.io/inferenceservice'] ??
    labels['ome.io/inferenceservice'] ??
    labels['serving.ome.io/inferenceservice'] ??
    deploymentName.replace(/-(predictor|engine|decoder|router)$/, '')
  )
}

function formatMilli(value: number): string {
  if (Number.isInteger(value)) return String(value)
  return `${Math.round(value * 1000)}m`
}

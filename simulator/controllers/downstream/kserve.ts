/**
 * The fake KServe controller (RawDeployment mode): InferenceService → Deployment and Service
 * `<isvc>-predictor`, a KEDA ScaledObject (autoscalerClass keda) or an HPA (class hpa), and the
 * ISVC status (PredictorReady, IngressReady, Ready, url, address, modelStatus).
 */
import type {Condition, KubeObject} from '../../../src/api/object.js'
import type {ObjectKey, Reconciler} from '../types.js'
import {deepEqual} from '../../store/util.js'
import {clone, controllerRef, createOrIgnore, getCondition, onlyStatusChangedBut, REF, setCondition, stableJson, statusDraft, writeStatus, type PodStatus} from './util.js'

const COMPONENT = 'kserve-controller-manager'
const ISVC_LABEL = 'serving.kserve.io/inferenceservice'
export const DEFAULT_OTEL_SCALER = 'keda-otel-scaler.keda.svc:4318'

interface MetricSpec {
  type?: string
  podmetric?: {
    metric?: {backend?: string; serverAddress?: string; metricNames?: string[]; query?: string; operationOverTime?: string}
    target?: {type?: string; value?: string | number; averageValue?: string | number; averageUtilization?: number}
  }
  resource?: {name?: string; target?: {type?: string; averageUtilization?: number; averageValue?: string | number; value?: string | number}}
  external?: {metric?: {backend?: string; serverAddress?: string; query?: string}; target?: {type?: string; value?: string | number; averageValue?: string | number; averageUtilization?: number}}
}

interface Predictor {
  containers?: Array<Record<string, unknown>>
  minReplicas?: number
  maxReplicas?: number
  scaleMetric?: string
  scaleTarget?: number
  autoScaling?: {metrics?: MetricSpec[]}
  [key: string]: unknown
}

const POD_SPEC_FIELDS = [
  'volumes', 'affinity', 'nodeSelector', 'tolerations', 'imagePullSecrets', 'serviceAccountName', 'initContainers',
  'securityContext', 'priorityClassName', 'schedulerName', 'hostIPC', 'runtimeClassName', 'dnsPolicy', 'terminationGracePeriodSeconds',
]

export function autoscalerClass(isvc: KubeObject): string {
  return isvc.metadata.annotations?.['serving.kserve.io/autoscalerClass'] ?? 'hpa'
}

/** The ScaledObject triggers KServe derives from predictor.autoScaling.metrics. */
export function kedaTriggers(predictor: Predictor): Array<Record<string, unknown>> {
  const metrics = predictor.autoScaling?.metrics ?? []
  if (metrics.length === 0) {
    return [{type: 'cpu', metricType: 'Utilization', metadata: {value: String(predictor.scaleTarget ?? 80)}}]
  }
  return metrics.map((m) => {
    if (m.type === 'Resource' && m.resource) {
      const target = m.resource.target ?? {}
      const type = target.type ?? 'Utilization'
      const value = type === 'Utilization' ? target.averageUtilization : (target.averageValue ?? target.value)
      return {type: m.resource.name ?? 'cpu', metricType: type, metadata: {value: String(value ?? 80)}}
    }
    const metric = m.podmetric?.metric ?? m.external?.metric ?? {}
    const target = m.podmetric?.target ?? m.external?.target ?? {}
    const targetType = target.type ?? 'Value'
    const targetValue = String(target.value ?? target.averageValue ?? target.averageUtilization ?? 1)
    const query = metric.query ?? (metric as {metricNames?: string[]}).metricNames?.[0] ?? ''
    if ((metric.backend ?? 'opentelemetry') === 'prometheus') {
      return {type: 'prometheus', metricType: targetType === 'AverageValue' ? 'AverageValue' : 'Value', metadata: {serverAddress: metric.serverAddress ?? 'http://prometheus.monitoring.svc:9090', query, threshold: targetValue}}
    }
    return {
      type: 'external',
      metricType: targetType === 'AverageValue' ? 'AverageValue' : 'Value',
      metadata: {
        scalerAddress: metric.serverAddress ?? DEFAULT_OTEL_SCALER,
        query,
        targetValue,
        operationOverTime: (metric as {operationOverTime?: string}).operationOverTime ?? 'last_one',
      },
    }
  })
}

function clusterIP(key: ObjectKey): string {
  // Deterministic per service name, in the 10.96.0.0/12 service range.
  let h = 0
  for (const ch of `${key.namespace}/${key.name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0
  return `10.96.${(h >>> 8) % 250}.${(h % 250) + 2}`
}

/**
 * What the InferenceService status reads from one of its pods and learns from no other change:
 * whether it is crashing. (Its readiness reaches the Deployment's readyReplicas, which the
 * InferenceService watches, as KServe's controller owns Deployments rather than watching pods.)
 */
function podView(p: KubeObject): string {
  return String(((p.status as PodStatus | undefined)?.containerStatuses ?? []).some((c) => c.restartCount > 0 && !c.ready))
}

/** What the InferenceService reads from its Deployment: the Available condition and the ready replica count. */
function deploymentView(o: KubeObject): string {
  const c = getCondition(o, 'Available')
  return `${c ? `${c.status}/${c.reason ?? ''}/${c.message ?? ''}` : ''}/${(o.status as {readyReplicas?: number} | undefined)?.readyReplicas ?? 0}`
}

export function kserveReconciler(): Reconciler {
  return {
    name: COMPONENT,
    for: REF.isvcs,
    ownStatusWritesSettle: true,
    // What it creates in a reconcile, that reconcile reads back (the status reads the Deployment and Service).
    ownCreatesSettle: true,
    // Of its Deployment's status the InferenceService reads only the Available condition and readyReplicas.
    ownedChanged: (child, old, ctx) => {
      if (child.kind !== 'Deployment' || !old) return true
      if (!ctx.store.get(REF.deployments, child.metadata.namespace, child.metadata.name ?? '')) return true
      return !onlyStatusChangedBut(old, child, deploymentView)
    },
    watches: [
      // A predictor pod matters when it comes or goes, or its crash state changes (its readiness
      // arrives through the Deployment).
      {
        kind: REF.pods,
        map: (obj, ctx, old) => {
          const now = obj.metadata.labels?.[ISVC_LABEL]
          const before = old?.metadata.labels?.[ISVC_LABEL]
          if (!now && !before) return []
          const gone = !ctx.store.get(REF.pods, obj.metadata.namespace, obj.metadata.name ?? '')
          if (old && !gone && now === before && podView(old) === podView(obj)) return []
          const keys = now ? [{namespace: obj.metadata.namespace, name: now}] : []
          if (before && before !== now) keys.push({namespace: obj.metadata.namespace, name: before})
          return keys
        },
      },
    ],
    reconcile(key, ctx) {
      const isvc = ctx.store.get(REF.isvcs, key.namespace, key.name)
      if (!isvc || isvc.metadata.deletionTimestamp) return
      const now = ctx.clock.nowISO()
      const annotations = isvc.metadata.annotations ?? {}
      const spec = (isvc.spec ?? {}) as {predictor?: Predictor}
      const predictor = spec.predictor ?? {}
      const name = `${key.name}-predictor`
      const mode = annotations['serving.kserve.io/deploymentMode'] ?? 'RawDeployment'
      if (mode === 'Serverless') {
        ctx.events.event(isvc, 'Warning', 'ServerlessModeRejected', 'It is not possible to use Serverless deployment mode when Knative Services are not available', COMPONENT)
        return
      }
      const klass = autoscalerClass(isvc)
      const minReplicas = predictor.minReplicas ?? 1
      const maxReplicas = Math.max(minReplicas, predictor.maxReplicas ?? minReplicas)
      const appLabel = `isvc.${name}`
      const isvcLabels = isvc.metadata.labels ?? {}
      const podLabels = {...isvcLabels, app: appLabel, component: 'predictor', [ISVC_LABEL]: key.name, 'serving.kserve.io/inferenceservice-name': key.name}
      const podAnnotations: Record<string, string> = {}
      for (const [k, v] of Object.entries(annotations)) if (k !== 'kubectl.kubernetes.io/last-applied-configuration') podAnnotations[k] = v
      podAnnotations['serving.kserve.io/deploymentMode'] = 'RawDeployment'
      const podSpec: Record<string, unknown> = {}
      for (const field of POD_SPEC_FIELDS) if (predictor[field] !== undefined) podSpec[field] = clone(predictor[field])
      podSpec.containers = clone(predictor.containers ?? [])
      podSpec.automountServiceAccountToken = false
      const template = {metadata: {labels: podLabels, annotations: podAnnotations}, spec: podSpec}
      const ownerRef = [controllerRef(isvc)]
      const labels = {...isvcLabels, app: appLabel, component: 'predictor', [ISVC_LABEL]: key.name}

      // Deployment
      const existing = ctx.store.get(REF.deployments, key.namespace, name)
      if (!existing) {
        createOrIgnore(ctx.store, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: {name, namespace: key.namespace, labels, annotations: {...podAnnotations}, ownerReferences: ownerRef},
          spec: {
            replicas: minReplicas,
            selector: {matchLabels: {app: appLabel}},
            strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
            progressDeadlineSeconds: 600,
            revisionHistoryLimit: 10,
            template,
          },
        }, COMPONENT)
      } else {
        const current = existing.spec as {replicas?: number; template?: unknown}
        const wantReplicas = klass === 'none' || klass === 'external' ? minReplicas : current.replicas
        if (!deepEqual(current.template, template) || wantReplicas !== current.replicas || !deepEqual(existing.metadata.labels, labels)) {
          ctx.store.mutate(REF.deployments, key.namespace, name, (o) => {
            const s = o.spec as Record<string, unknown>
            s.template = template
            s.replicas = wantReplicas
            o.metadata.labels = labels
          }, {fieldManager: COMPONENT})
        }
      }

      // Service
      if (!ctx.store.get(REF.services, key.namespace, name)) {
        const ip = clusterIP({namespace: key.namespace, name})
        const port = Number(((predictor.containers?.[0]?.ports as Array<{containerPort?: number}> | undefined)?.[0]?.containerPort) ?? 8080)
        createOrIgnore(ctx.store, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {name, namespace: key.namespace, labels, ownerReferences: ownerRef},
          spec: {
            type: 'ClusterIP',
            clusterIP: ip,
            clusterIPs: [ip],
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            selector: {app: appLabel},
            ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: port}],
            sessionAffinity: 'None',
            internalTrafficPolicy: 'Cluster',
          },
        }, COMPONENT)
      }

      // Autoscaling
      if (klass === 'keda') {
        const soSpec = {
          scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
          minReplicaCount: minReplicas,
          maxReplicaCount: maxReplicas,
          triggers: kedaTriggers(predictor),
        }
        const so = ctx.store.get(REF.scaledobjects, key.namespace, name)
        if (!so) {
          createOrIgnore(ctx.store, {
            apiVersion: 'keda.sh/v1alpha1',
            kind: 'ScaledObject',
            metadata: {name, namespace: key.namespace, labels, ownerReferences: ownerRef},
            spec: soSpec,
          }, COMPONENT)
        } else if (stableJson(so.spec) !== stableJson(soSpec)) {
          ctx.store.mutate(REF.scaledobjects, key.namespace, name, (o) => {
            o.spec = soSpec
          }, {fieldManager: COMPONENT})
        }
      } else if (klass === 'hpa' && maxReplicas > minReplicas) {
        if (!ctx.store.get(REF.hpas, key.namespace, name)) {
          createOrIgnore(ctx.store, {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: {name, namespace: key.namespace, labels, ownerReferences: ownerRef},
            spec: {
              scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
              minReplicas,
              maxReplicas,
              metrics: [{type: 'Resource', resource: {name: predictor.scaleMetric ?? 'cpu', target: {type: 'Utilization', averageUtilization: predictor.scaleTarget ?? 80}}}],
            },
          }, COMPONENT)
        }
      }

      // Status
      const deploy = ctx.store.get(REF.deployments, key.namespace, name)
      const available = getCondition(deploy, 'Available')
      const predictorReady = available?.status === 'True'
      const service = ctx.store.get(REF.services, key.namespace, name)
      const pods = ctx.store.list(REF.pods, {namespace: key.namespace, labelSelector: `${ISVC_LABEL}=${key.name}`}).items
      const readyPods = pods.filter((p) => getCondition(p, 'Ready')?.status === 'True').length
      const crashing = pods.some((p) => ((p.status as PodStatus | undefined)?.containerStatuses ?? []).some((c) => c.restartCount > 0 && !c.ready))
      const status = statusDraft(isvc.status as (Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>}) | undefined)
      const conditions = status.conditions ?? []
      setCondition(conditions, service ? {type: 'IngressReady', status: 'True'} : {type: 'IngressReady', status: 'False', reason: 'IngressNotReady', message: 'Ingress has not been created'}, now)
      setCondition(
        conditions,
        predictorReady
          ? {type: 'PredictorReady', status: 'True'}
          : {type: 'PredictorReady', status: 'False', reason: available?.reason ?? 'MinimumReplicasUnavailable', message: available?.message ?? 'Deployment does not have minimum availability.'},
        now,
      )
      const ready = predictorReady && !!service
      setCondition(
        conditions,
        ready
          ? {type: 'Ready', status: 'True'}
          : {type: 'Ready', status: 'False', reason: predictorReady ? 'IngressNotReady' : (available?.reason ?? 'MinimumReplicasUnavailable'), message: predictorReady ? 'Ingress has not been created' : (available?.message ?? 'Deployment does not have minimum availability.')},
        now,
      )
      for (const c of conditions) if (c.status === 'True') {
        delete c.reason
        delete c.message
      }
      const order = ['IngressReady', 'PredictorReady', 'Ready']
      conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
      status.conditions = conditions
      status.observedGeneration = isvc.metadata.generation ?? 1
      status.deploymentMode = 'RawDeployment'
      const internal = `http://${name}.${key.namespace}.svc.cluster.local`
      status.address = {url: internal}
      status.url = `http://${key.name}-${key.namespace}.example.com`
      status.components = {predictor: {url: `http://${name}-${key.namespace}.example.com`, address: {url: internal}}}
      const activeModelState = readyPods > 0 ? 'Loaded' : pods.length > 0 ? (crashing ? 'FailedToLoad' : 'Loading') : 'Pending'
      status.modelStatus = {
        transitionStatus: readyPods > 0 ? 'UpToDate' : crashing ? 'BlockedByFailedLoad' : 'InProgress',
        states: {activeModelState, targetModelState: 'Loaded'},
        copies: {failedCopies: crashing ? pods.length - readyPods : 0, totalCopies: readyPods},
        ...(crashing ? {lastFailureInfo: {reason: 'ModelLoadFailed', message: 'Model server container restarted'}} : {}),
      }
      const wasReady = getCondition(isvc, 'Ready')?.status === 'True'
      writeStatus(ctx.store, REF.isvcs, isvc, status, COMPONENT)
      const readyNow = conditions.find((c) => c.type === 'Ready')
      if (!wasReady && readyNow?.status === 'True') ctx.events.event(isvc, 'Normal', 'InferenceServiceReady', `InferenceService [${key.name}] is Ready`, COMPONENT)
      if (wasReady && readyNow?.status !== 'True') {
        ctx.events.event(isvc, 'Warning', 'InferenceServiceNotReady', `InferenceService [${key.name}] is no longer Ready because of: ${readyNow?.reason ?? 'Unknown'}`, COMPONENT)
      }
    },
  }
}

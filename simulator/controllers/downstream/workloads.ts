/**
 * kube-controller-manager's workload controllers: Job → pods, Deployment → ReplicaSet → pods,
 * StatefulSet → ordered pods (and their claims). Names, labels, status and Events as in 1.32.
 */
import type {Condition, KubeObject} from '../../../src/api/object.js'
import type {ReconcileContext, Reconciler} from '../types.js'
import {
  clone,
  controllerRef,
  createOrIgnore,
  deleteIgnoringNotFound,
  getCondition,
  isTerminal,
  ownedBy,
  ownerKeys,
  podPhase,
  podReady,
  randomSuffix,
  REF,
  setCondition,
  statusDraft,
  templateHash,
  writeStatus,
  type PodStatus,
} from './util.js'

interface PodTemplate {
  metadata?: {labels?: Record<string, string>; annotations?: Record<string, string>}
  spec?: Record<string, unknown>
}

interface Selector {
  matchLabels?: Record<string, string>
}

function podFromTemplate(owner: KubeObject, template: PodTemplate | undefined, name: string, extraLabels: Record<string, string> = {}): KubeObject {
  // The store copies what it is given: only the parts set here are copied (the rest is shared with the frozen template).
  const spec = {...(template?.spec ?? {})} as Record<string, unknown>
  if (Array.isArray(spec.containers)) spec.containers = (spec.containers as Array<Record<string, unknown>>).map((c) => ({...c}))
  spec.restartPolicy ??= 'Always'
  spec.schedulerName ??= 'default-scheduler'
  spec.terminationGracePeriodSeconds ??= 30
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.serviceAccountName ??= 'default'
  spec.enableServiceLinks ??= true
  spec.preemptionPolicy ??= 'PreemptLowerPriority'
  spec.priority ??= 0
  if (!spec.tolerations) {
    spec.tolerations = [
      {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
      {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
    ]
  }
  for (const c of (spec.containers as Array<Record<string, unknown>> | undefined) ?? []) {
    c.terminationMessagePath ??= '/dev/termination-log'
    c.terminationMessagePolicy ??= 'File'
    c.imagePullPolicy ??= String(c.image ?? '').endsWith(':latest') || !String(c.image ?? '').includes(':') ? 'Always' : 'IfNotPresent'
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: {...(template?.metadata?.labels ?? {}), ...extraLabels},
      ...(template?.metadata?.annotations ? {annotations: {...template.metadata.annotations}} : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec,
    status: {phase: 'Pending', qosClass: 'BestEffort'},
  }
}

/** What a Job reads from one of its pods: deletion, whether it succeeded or failed (not Pending vs Running), readiness and restarts. */
function jobPodView(p: KubeObject): string {
  const restarts = ((p.status as PodStatus | undefined)?.containerStatuses ?? []).reduce((m, c) => m + c.restartCount, 0)
  return `${!!p.metadata.deletionTimestamp}/${isTerminal(p) ? podPhase(p) : 'active'}/${podReady(p)}/${restarts}`
}

/**
 * What a ReplicaSet reads from one of its pods: deletion, whether it finished, readiness. (Node and
 * age only rank pods for a scale-down, which a change of the ReplicaSet itself starts.)
 */
function replicaSetPodView(p: KubeObject): string {
  return `${!!p.metadata.deletionTimestamp}/${isTerminal(p)}/${podReady(p)}`
}

/** What a Deployment reads from one of its ReplicaSets: revision, size and the replica counts it sums. */
function deploymentReplicaSetView(r: KubeObject): string {
  const status = (r.status ?? {}) as {replicas?: number; readyReplicas?: number; availableReplicas?: number}
  return `${!!r.metadata.deletionTimestamp}/${r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? ''}/${(r.spec as {replicas?: number} | undefined)?.replicas}/${status.replicas}/${status.readyReplicas}/${status.availableReplicas}`
}

function activePods(ctx: ReconcileContext, owner: KubeObject): KubeObject[] {
  return ownedBy(ctx.store, REF.pods, owner).filter((p) => !p.metadata.deletionTimestamp)
}

/** Create a pod with a fresh random suffix; retries on a name collision. */
function createPod(ctx: ReconcileContext, owner: KubeObject, template: PodTemplate | undefined, prefix: string, extraLabels: Record<string, string>, component: string): KubeObject | undefined {
  for (let i = 0; i < 5; i++) {
    const pod = createOrIgnore(ctx.store, podFromTemplate(owner, template, `${prefix}-${randomSuffix(ctx.random)}`, extraLabels), component)
    if (pod) return pod
  }
  return undefined
}

// Jobs --------------------------------------------------------------------------------------------

export function jobReconciler(): Reconciler {
  const component = 'job-controller'
  return {
    name: component,
    for: REF.jobs,
    // A second pass after its own status write computes the same status and the same requeue.
    ownStatusWritesSettle: true,
    ownCreatesSettle: true,
    ownedChanged: (child, old, ctx) => {
      if (child.kind !== 'Pod' || !old) return true
      if (!ctx.store.get(REF.pods, child.metadata.namespace, child.metadata.name ?? '')) return true
      return jobPodView(old) !== jobPodView(child)
    },
    reconcile(key, ctx) {
      const job = ctx.store.get(REF.jobs, key.namespace, key.name)
      if (!job || job.metadata.deletionTimestamp) return
      const spec = (job.spec ?? {}) as {template?: PodTemplate; backoffLimit?: number; completions?: number; parallelism?: number; ttlSecondsAfterFinished?: number; suspend?: boolean}
      const status = statusDraft(job.status as (Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>}) | undefined)
      const now = ctx.clock.nowISO()
      const finished = (status.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
      if (finished) {
        const ttl = spec.ttlSecondsAfterFinished
        if (ttl === undefined) return
        const doneAt = Date.parse(String(status.completionTime ?? finished.lastTransitionTime ?? now))
        const due = doneAt + ttl * 1000 - ctx.clock.now()
        if (due > 0) return {requeueAfterMs: due}
        deleteIgnoringNotFound(ctx.store, REF.jobs, key.namespace, key.name)
        return
      }
      const pods = ownedBy(ctx.store, REF.pods, job)
      const succeeded = pods.filter((p) => (p.status as PodStatus | undefined)?.phase === 'Succeeded').length
      const failedPods = pods.filter((p) => (p.status as PodStatus | undefined)?.phase === 'Failed').length
      const restarts = pods.reduce((n, p) => n + ((p.status as PodStatus | undefined)?.containerStatuses ?? []).reduce((m, c) => m + c.restartCount, 0), 0)
      const failed = failedPods + restarts
      const active = pods.filter((p) => !isTerminal(p) && !p.metadata.deletionTimestamp)
      const completions = spec.completions ?? 1
      const parallelism = spec.parallelism ?? 1
      const backoffLimit = spec.backoffLimit ?? 6
      const uid = job.metadata.uid ?? ''
      const labels = {'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': key.name, 'controller-uid': uid, 'job-name': key.name}
      status.startTime ??= now
      const conditions = status.conditions ?? []
      const deadline = (job.spec as {activeDeadlineSeconds?: number}).activeDeadlineSeconds
      const started = Date.parse(String(status.startTime ?? now))
      const overDeadline = deadline !== undefined && ctx.clock.now() - started >= deadline * 1000
      if (overDeadline && succeeded < completions) {
        for (const p of active) deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, p.metadata.name ?? '')
        const message = 'Job was active longer than specified deadline'
        setCondition(conditions, {type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message, lastProbeTime: now}, now)
        setCondition(conditions, {type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message, lastProbeTime: now}, now)
        status.conditions = conditions
        status.active = undefined
        if (failed) status.failed = failed
        status.ready = 0
        status.terminating = 0
        writeStatus(ctx.store, REF.jobs, job, status, component)
        ctx.events.event(job, 'Warning', 'DeadlineExceeded', message, component)
        return spec.ttlSecondsAfterFinished !== undefined ? {requeueAfterMs: spec.ttlSecondsAfterFinished * 1000} : undefined
      }
      if (failed > backoffLimit) {
        for (const p of active) deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, p.metadata.name ?? '')
        setCondition(conditions, {type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now}, now)
        setCondition(conditions, {type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now}, now)
        status.conditions = conditions
        status.active = undefined
        status.failed = failed
        status.ready = 0
        status.terminating = 0
        writeStatus(ctx.store, REF.jobs, job, status, component)
        ctx.events.event(job, 'Warning', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', component)
        return spec.ttlSecondsAfterFinished !== undefined ? {requeueAfterMs: spec.ttlSecondsAfterFinished * 1000} : undefined
      }
      if (succeeded >= completions) {
        setCondition(conditions, {type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now}, now)
        setCondition(conditions, {type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now}, now)
        status.conditions = conditions
        status.active = undefined
        status.succeeded = succeeded
        if (failed > 0) status.failed = failed
        status.ready = 0
        status.terminating = 0
        status.completionTime = now
        writeStatus(ctx.store, REF.jobs, job, status, component)
        ctx.events.event(job, 'Normal', 'Completed', 'Job completed', component)
        return spec.ttlSecondsAfterFinished !== undefined ? {requeueAfterMs: spec.ttlSecondsAfterFinished * 1000} : undefined
      }
      if (!spec.suspend) {
        const want = Math.min(parallelism, completions - succeeded) - active.length
        for (let i = 0; i < want; i++) {
          const pod = createPod(ctx, job, spec.template, key.name, labels, component)
          if (pod) {
            active.push(pod)
            ctx.events.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, component)
          }
        }
      }
      status.active = active.length || undefined
      status.ready = active.filter(podReady).length
      status.terminating = 0
      if (succeeded) status.succeeded = succeeded
      if (failed) status.failed = failed
      status.uncountedTerminatedPods = {}
      if (conditions.length) status.conditions = conditions
      writeStatus(ctx.store, REF.jobs, job, status, component)
      if (deadline !== undefined) return {requeueAfterMs: Math.max(0, started + deadline * 1000 - ctx.clock.now())}
    },
  }
}

// ReplicaSets -------------------------------------------------------------------------------------

export function replicaSetReconciler(): Reconciler {
  const component = 'replicaset-controller'
  return {
    name: component,
    for: REF.replicasets,
    ownStatusWritesSettle: true,
    ownCreatesSettle: true,
    // Of a pod the ReplicaSet reads only whether it is being deleted, its phase and its readiness.
    ownedChanged: (child, old, ctx) => {
      if (child.kind !== 'Pod' || !old) return true
      if (!ctx.store.get(REF.pods, child.metadata.namespace, child.metadata.name ?? '')) return true
      return replicaSetPodView(old) !== replicaSetPodView(child)
    },
    reconcile(key, ctx) {
      const rs = ctx.store.get(REF.replicasets, key.namespace, key.name)
      if (!rs || rs.metadata.deletionTimestamp) return
      const spec = (rs.spec ?? {}) as {replicas?: number; template?: PodTemplate; selector?: Selector; minReadySeconds?: number}
      const replicas = spec.replicas ?? 1
      const pods = activePods(ctx, rs).filter((p) => !isTerminal(p))
      // Failed pods are replaced (and removed), as the ReplicaSet controller does.
      for (const p of ownedBy(ctx.store, REF.pods, rs).filter(isTerminal)) deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, p.metadata.name ?? '')
      if (pods.length < replicas) {
        for (let i = pods.length; i < replicas; i++) {
          const pod = createPod(ctx, rs, spec.template, key.name, {}, component)
          if (pod) {
            pods.push(pod)
            ctx.events.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, component)
          }
        }
      } else if (pods.length > replicas) {
        // Delete unscheduled, then not-ready, then the newest first.
        const ranked = [...pods].sort((a, b) => {
          const sa = (a.spec as {nodeName?: string}).nodeName ? 1 : 0
          const sb = (b.spec as {nodeName?: string}).nodeName ? 1 : 0
          if (sa !== sb) return sa - sb
          const ra = podReady(a) ? 1 : 0
          const rb = podReady(b) ? 1 : 0
          if (ra !== rb) return ra - rb
          return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)) || String(b.metadata.name).localeCompare(String(a.metadata.name))
        })
        for (const p of ranked.slice(0, pods.length - replicas)) {
          deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, p.metadata.name ?? '')
          ctx.events.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, component)
        }
        const gone = new Set(ranked.slice(0, pods.length - replicas).map((p) => p.metadata.name))
        pods.splice(0, pods.length, ...pods.filter((p) => !gone.has(p.metadata.name)))
      }
      const ready = pods.filter(podReady).length
      writeStatus(ctx.store, REF.replicasets, rs, {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata.generation ?? 1,
      }, component)
    },
  }
}

// Deployments -------------------------------------------------------------------------------------

export function deploymentReconciler(): Reconciler {
  const component = 'deployment-controller'
  return {
    name: component,
    for: REF.deployments,
    ownStatusWritesSettle: true,
    ownCreatesSettle: true,
    ownedChanged: (child, old, ctx) => {
      if (child.kind !== 'ReplicaSet' || !old) return true
      if (!ctx.store.get(REF.replicasets, child.metadata.namespace, child.metadata.name ?? '')) return true
      return deploymentReplicaSetView(old) !== deploymentReplicaSetView(child)
    },
    reconcile(key, ctx) {
      const deploy = ctx.store.get(REF.deployments, key.namespace, key.name)
      if (!deploy || deploy.metadata.deletionTimestamp) return
      const spec = (deploy.spec ?? {}) as {replicas?: number; template?: PodTemplate; selector?: Selector; paused?: boolean}
      const replicas = spec.replicas ?? 1
      const hash = templateHash(spec.template ?? {})
      const rsName = `${key.name}-${hash}`
      const sets = ownedBy(ctx.store, REF.replicasets, deploy)
      let current = sets.find((r) => r.metadata.name === rsName)
      let createdNew = false
      const revision = Math.max(0, ...sets.map((r) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)))
      const olds = sets
        .filter((r) => r.metadata.name !== rsName)
        .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)))
      const strategy = (spec as {strategy?: {type?: string; rollingUpdate?: {maxSurge?: number | string; maxUnavailable?: number | string}}}).strategy ?? {}
      const recreate = strategy.type === 'Recreate'
      const surge = recreate ? 0 : resolvePercent(strategy.rollingUpdate?.maxSurge ?? '25%', replicas, true)
      let unavailable = recreate ? replicas : resolvePercent(strategy.rollingUpdate?.maxUnavailable ?? '25%', replicas, false)
      if (surge === 0 && unavailable === 0) unavailable = 1
      const oldTotal = olds.reduce((n, r) => n + specReplicas(r), 0)
      // (Helpers at module level: closures made per reconcile cost more than their bodies.)
      const rollout: Rollout = {oldTotal, recreate, olds, replicas, surge}
      if (!current) {
        const template = clone(spec.template ?? {})
        template.metadata = {...(template.metadata ?? {}), labels: {...(template.metadata?.labels ?? {}), 'pod-template-hash': hash}}
        const initial = newReplicaSetTarget(0, rollout)
        current = createOrIgnore(
          ctx.store,
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: {
              name: rsName,
              namespace: key.namespace,
              labels: {...(template.metadata.labels ?? {})},
              annotations: {
                'deployment.kubernetes.io/desired-replicas': String(replicas),
                'deployment.kubernetes.io/max-replicas': String(replicas + surge),
                'deployment.kubernetes.io/revision': String(revision + 1),
              },
              ownerReferences: [controllerRef(deploy)],
            },
            spec: {
              replicas: initial,
              selector: {matchLabels: {...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash}},
              template,
            },
          },
          component,
        )
        if (!current) return {requeueAfterMs: 100}
        createdNew = true
        if (initial > 0) ctx.events.event(deploy, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${initial}`, component)
      } else {
        current = scaleReplicaSet(ctx, deploy, current, newReplicaSetTarget(specReplicas(current), rollout), replicas, component)
      }
      // Scale old ReplicaSets down while keeping replicas - maxUnavailable pods available.
      const newReplicas = specReplicas(current)
      let room = oldTotal + newReplicas - (replicas - unavailable) - Math.max(0, newReplicas - availableOf(current))
      for (const old of olds) {
        const n = specReplicas(old)
        if (n === 0) continue
        // Unavailable old pods can always go; available ones only within the budget.
        const unhealthy = Math.max(0, n - availableOf(old))
        const down = Math.min(n, unhealthy + Math.max(0, room))
        if (down <= 0) continue
        scaleReplicaSet(ctx, deploy, old, n - down, replicas, component)
        room -= Math.max(0, down - unhealthy)
      }
      const all = ownedBy(ctx.store, REF.replicasets, deploy)
      const total = sumStatus(all, 'replicas')
      const ready = sumStatus(all, 'readyReplicas')
      const available = sumStatus(all, 'availableReplicas')
      const updated = (current.status as {replicas?: number} | undefined)?.replicas ?? 0
      const now = ctx.clock.nowISO()
      const status = statusDraft(deploy.status as (Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>}) | undefined)
      const conditions = status.conditions ?? []
      // deploymentutil.MaxUnavailable: the rolling-update budget; 0 for Recreate.
      const minAvailable = Math.max(0, replicas - (recreate ? 0 : Math.min(unavailable, replicas)))
      const availableNow = available >= minAvailable
      setCondition(
        conditions,
        availableNow
          ? {type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: now}
          : {type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: now},
        now,
      )
      const prevProgress = getCondition(deploy, 'Progressing')
      const complete = updated === replicas && ((current.status as {availableReplicas?: number} | undefined)?.availableReplicas ?? 0) >= replicas && total === replicas
      const progressing = complete
        ? {type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.`}
        : createdNew || !prevProgress
          ? {type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"`}
          : {type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.`}
      const keepUpdate = prevProgress && prevProgress.reason === progressing.reason && prevProgress.message === progressing.message
      setCondition(conditions, {...progressing, status: 'True' as const, lastUpdateTime: keepUpdate ? (prevProgress.lastUpdateTime as string) : now}, now)
      // Keep the Available condition's lastUpdateTime stable when nothing changed.
      const prevAvail = getCondition(deploy, 'Available')
      const avail = conditions.find((c) => c.type === 'Available')
      if (avail && prevAvail && prevAvail.status === avail.status && prevAvail.reason === avail.reason) avail.lastUpdateTime = prevAvail.lastUpdateTime
      conditions.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0))
      status.conditions = conditions
      status.observedGeneration = deploy.metadata.generation ?? 1
      status.replicas = total || undefined
      status.updatedReplicas = updated || undefined
      status.readyReplicas = ready || undefined
      status.availableReplicas = available || undefined
      status.unavailableReplicas = Math.max(0, replicas - available) || undefined
      writeStatus(ctx.store, REF.deployments, deploy, status, component)
    },
  }
}

const specReplicas = (r: KubeObject | undefined): number => (r?.spec as {replicas?: number} | undefined)?.replicas ?? 0
const availableOf = (r: KubeObject | undefined): number => (r?.status as {availableReplicas?: number} | undefined)?.availableReplicas ?? 0

function sumStatus(sets: KubeObject[], field: string): number {
  let acc = 0
  for (const r of sets) acc += (r.status as Record<string, number> | undefined)?.[field] ?? 0
  return acc
}

interface Rollout {
  oldTotal: number
  recreate: boolean
  olds: KubeObject[]
  replicas: number
  surge: number
}

/** How big the new ReplicaSet may be now: all of it without old pods; else within maxSurge (Recreate: after the old pods are gone). */
function newReplicaSetTarget(cur: number, {oldTotal, recreate, olds, replicas, surge}: Rollout): number {
  if (oldTotal === 0) {
    if (!recreate) return replicas
    const oldPods = olds.reduce((n, r) => n + (((r.status as {replicas?: number} | undefined)?.replicas) ?? 0), 0)
    return oldPods === 0 ? replicas : cur
  }
  if (recreate) return cur
  const maxTotal = replicas + surge
  const all = oldTotal + cur
  if (cur >= replicas) return replicas
  return all < maxTotal ? Math.min(replicas, cur + (maxTotal - all)) : cur
}

/** Scale a ReplicaSet of the Deployment to `to` replicas (with the ScalingReplicaSet event); returns it as stored. */
function scaleReplicaSet(ctx: ReconcileContext, deploy: KubeObject, r: KubeObject, to: number, replicas: number, component: string): KubeObject {
  const from = specReplicas(r)
  if (from === to) return r
  const updated = ctx.store.mutate(REF.replicasets, deploy.metadata.namespace, r.metadata.name ?? '', (o) => {
    ;(o.spec as {replicas?: number}).replicas = to
    o.metadata.annotations = {...(o.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(replicas)}
  }, {fieldManager: component})
  ctx.events.event(deploy, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${r.metadata.name} from ${from} to ${to}`, component)
  return updated
}

// StatefulSets ------------------------------------------------------------------------------------

export function statefulSetReconciler(): Reconciler {
  const component = 'statefulset-controller'
  return {
    name: component,
    for: REF.statefulsets,
    reconcile(key, ctx) {
      const sts = ctx.store.get(REF.statefulsets, key.namespace, key.name)
      if (!sts || sts.metadata.deletionTimestamp) return
      const spec = (sts.spec ?? {}) as {
        replicas?: number
        template?: PodTemplate
        serviceName?: string
        podManagementPolicy?: string
        volumeClaimTemplates?: KubeObject[]
      }
      const replicas = spec.replicas ?? 1
      const revision = `${key.name}-${templateHash(spec.template ?? {})}`
      const pods = new Map(activePods(ctx, sts).map((p) => [p.metadata.name ?? '', p]))
      const parallel = spec.podManagementPolicy === 'Parallel'
      for (let i = 0; i < replicas; i++) {
        const name = `${key.name}-${i}`
        const existing = pods.get(name)
        if (existing) {
          if (isTerminal(existing)) deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, name)
          if (!parallel && !podReady(existing)) break
          continue
        }
        for (const tpl of spec.volumeClaimTemplates ?? []) {
          const claim = `${tpl.metadata.name}-${name}`
          if (ctx.store.get(REF.pvcs, key.namespace, claim)) continue
          createOrIgnore(ctx.store, {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {name: claim, namespace: key.namespace, labels: {...(spec.template?.metadata?.labels ?? {})}},
            spec: clone(tpl.spec ?? {}),
          }, component)
          ctx.events.event(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim} Pod ${name} in StatefulSet ${key.name} success`, component)
        }
        const template = clone(spec.template ?? {})
        const podSpec = (template.spec ?? {}) as {volumes?: Array<Record<string, unknown>>; hostname?: string; subdomain?: string}
        podSpec.volumes = [
          ...(podSpec.volumes ?? []),
          ...(spec.volumeClaimTemplates ?? []).map((tpl) => ({name: tpl.metadata.name, persistentVolumeClaim: {claimName: `${tpl.metadata.name}-${name}`}})),
        ]
        podSpec.hostname = name
        if (spec.serviceName) podSpec.subdomain = spec.serviceName
        template.spec = podSpec as Record<string, unknown>
        const pod = createOrIgnore(ctx.store, podFromTemplate(sts, template, name, {
          'apps.kubernetes.io/pod-index': String(i),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': name,
        }), component)
        if (pod) {
          pods.set(name, pod)
          ctx.events.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${key.name} successful`, component)
        }
        if (!parallel) break
      }
      // Scale down from the highest ordinal.
      for (const name of [...pods.keys()].sort((a, b) => ordinal(b) - ordinal(a))) {
        if (ordinal(name) < replicas) continue
        deleteIgnoringNotFound(ctx.store, REF.pods, key.namespace, name)
        pods.delete(name)
        ctx.events.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${key.name} successful`, component)
        if (!parallel) break
      }
      const live = [...pods.values()].filter((p) => ctx.store.get(REF.pods, key.namespace, p.metadata.name ?? ''))
      const ready = live.filter(podReady).length
      writeStatus(ctx.store, REF.statefulsets, sts, {
        observedGeneration: sts.metadata.generation ?? 1,
        replicas: live.length,
        readyReplicas: ready || undefined,
        currentReplicas: live.length || undefined,
        updatedReplicas: live.length || undefined,
        availableReplicas: ready,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      }, component)
    },
  }
}

/** maxSurge / maxUnavailable: an int, or a percentage of replicas rounded up (surge) or down (unavailable). */
function resolvePercent(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value
  const m = /^(\d+)%$/.exec(value)
  if (!m) return Number(value) || 0
  const exact = (Number(m[1]) * replicas) / 100
  return roundUp ? Math.ceil(exact) : Math.floor(exact)
}

function ordinal(name: string): number {
  return Number(/-(\d+)$/.exec(name)?.[1] ?? -1)
}

export {ownerKeys}

/**
 * AIMArtifact (reference §6.3): RoleBinding for the downloader, size check Job when the size is
 * unknown, a PVC sized with headroom (created once, never mutated), the download Job, and progress
 * (the downloader patches status.progress; this reconciler keeps it).
 */
import {labels as L} from '../../../src/api/labels.js'
import {checkSizeJobName, downloadJobName, makeRfc1123Compliant, pvcName} from '../../../src/engine/naming.js'
import {parseQuantity} from '../../../src/engine/quantity.js'
import {podsHealth} from '../../../src/engine/status.js'
import {formatDisplaySize, headroomPercent, parseCheckSizeOutput, pvcSize, storageClassFor} from '../../../src/engine/storage.js'
import type {Health} from '../../../src/engine/types.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import type {KubeObject} from '../../../src/api/object.js'
import {onlyStatusChangedBut} from '../../store/util.js'
import {
  R,
  applyChild,
  jobObject,
  podEventsFor,
  runtimeConfigWatches,
  clone,
  deepEqual,
  get,
  isDeleting,
  isPaused,
  jobChanged,
  jobFailure,
  jobPods,
  jobState,
  podHealthChanged,
  readLogs,
  writeStatus,
  type ConditionInput,
  type Obj,
} from './common.js'
import {finishStatus, type Component} from './health.js'
import {mergeEnv} from '../../../src/engine/env.js'
import {resolveRuntimeConfig, runtimeConfigComponent} from './runtimeconfig.js'

const CONTROLLER = 'artifact'
export const DOWNLOAD_IMAGE = 'ghcr.io/silogen/aim-artifact-downloader:0.2.0'
export const ROLE_BINDING = 'aim-engine-artifact-status-updater'

/** An artifact's status, with the downloader's progress reduced to whether it is complete. */
function downloadView(o: KubeObject): unknown {
  const {progress, download: _download, ...rest} = (o.status ?? {}) as {progress?: {percentage?: number}; download?: unknown}
  return {...rest, complete: (progress?.percentage ?? 0) >= 100}
}

export function artifactReconciler(): Reconciler {
  return {
    name: `aim-${CONTROLLER}-controller`,
    for: R.artifact,
    ownStatusWritesSettle: true,
    // The downloader's progress patches (up to 20 a download): of them this reconciler reads only
    // whether the download reached 100 % (Downloading or Verifying); it keeps the rest as patched.
    forChanged: (obj, old) => !old || !onlyStatusChangedBut(old, obj, downloadView),
    // Of the Jobs and the PVC it owns, an artifact reads the Job's state and the claim's phase.
    ownedChanged: (child, old, ctx) => {
      // Created by the reconcile in progress, which took the new object into its status.
      if (!old && creating !== undefined && child.metadata.ownerReferences?.some((r) => r.uid === creating)) return false
      if (child.kind === 'Job') return jobChanged(child as Obj, old as Obj | undefined, ctx) && !isReadyArtifact(child as Obj, ctx)
      if (child.kind === 'PersistentVolumeClaim' && old) {
        // Its requested size and whether it is Bound, Lost or neither (CachePvc below); the
        // provisioner's annotations and a Pending phase being set do not count.
        const phase = (o: Obj) => (o.status?.phase === 'Bound' || o.status?.phase === 'Lost' ? o.status.phase : 'Pending')
        const view = (o: Obj) => [o.spec?.resources?.requests?.storage, phase(o), o.metadata.deletionTimestamp]
        return !deepEqual(view(old as Obj), view(child as Obj)) || !get(ctx, R.pvc, child.metadata.namespace, child.metadata.name!)
      }
      return true
    },
    watches: [
      ...runtimeConfigWatches(R.artifact),
      {
        kind: R.pod,
        map: (p, ctx, old) => {
          const a = p.metadata.labels?.[L.cacheName]
          if (!a && !old?.metadata.labels?.[L.cacheName]) return []
          if (!a || !podHealthChanged(p as Obj, old as Obj | undefined, ctx) || isReadyArtifact(p as Obj, ctx)) return []
          return [{namespace: p.metadata.namespace, name: a}]
        },
      },
    ],
    reconcile: reconcileArtifact,
  }
}


/** The uid of the artifact whose children the reconcile in progress is creating. */
let creating: string | undefined

/**
 * Whether the artifact a Job or pod (by its cache-name label) works for is Ready: a Ready artifact
 * reads neither its Jobs nor their pods again (its size is known, its download done).
 */
function isReadyArtifact(o: Obj, ctx: ReconcileContext): boolean {
  const name = o.metadata.labels?.[L.cacheName]
  return !!name && get(ctx, R.artifact, o.metadata.namespace, name)?.status?.status === 'Ready'
}

function reconcileArtifact(key: ObjectKey, ctx: ReconcileContext) {
  const art = get(ctx, R.artifact, key.namespace, key.name)
  if (!art || isDeleting(art) || isPaused(art)) return
  creating = art.metadata.uid
  try {
    return reconcileLiveArtifact(key, ctx, art)
  } finally {
    creating = undefined
  }
}

function reconcileLiveArtifact(key: ObjectKey, ctx: ReconcileContext, art: Obj) {
  const spec = art.spec ?? {}
  const prev = art.status ?? {}
  const ns = key.namespace!
  const uid = art.metadata.uid!
  const components: Component[] = []
  const extra: ConditionInput[] = []
  const rc = resolveRuntimeConfig(ctx, ns, spec.runtimeConfigName)
  const rcComp = runtimeConfigComponent(rc)
  if (rcComp) components.push(rcComp)
  const status: Record<string, any> = {mode: (art.metadata.ownerReferences ?? []).length > 0 ? 'Dedicated' : 'Shared'}
  for (const f of ['progress', 'download', 'discoveredSizeBytes', 'lastUsed'] as const) if (prev[f] !== undefined) status[f] = clone(prev[f])
  const image = spec.modelDownloadImage || DOWNLOAD_IMAGE
  const env = mergeEnv(rc.spec.env, spec.env)

  // 1. RoleBinding so the downloader can patch the artifact status.
  if (!get(ctx, R.roleBinding, ns, ROLE_BINDING)) {
    applyChild(
      ctx,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: {name: ROLE_BINDING, namespace: ns},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'aim-engine-artifact-status-updater'},
        subjects: [{kind: 'ServiceAccount', name: 'default', namespace: ns}],
      },
      {controller: CONTROLLER, parent: art, createOnly: true},
    )
  }

  // 2. Size.
  let bytes = parseQuantity(spec.size) ?? 0
  if (bytes <= 0 && typeof prev.discoveredSizeBytes === 'number') bytes = prev.discoveredSizeBytes
  if (bytes <= 0) {
    const name = checkSizeJobName(art.metadata.name!, uid)
    const job = get(ctx, R.job, ns, name)
    const state = jobState(job)
    if (state === 'None') {
      applyChild(ctx, checkSizeJob(art, ns, name, image, env), {controller: CONTROLLER, parent: art, owner: art, fields: []})
      components.push({name: 'CheckSizeJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Checking the model size'}, dependency: 'downstream'})
    } else if (state === 'Running') {
      components.push({name: 'CheckSizeJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Checking the model size'}, dependency: 'downstream'})
    } else if (state === 'Failed') {
      const f = jobFailure(job!)
      components.push({name: 'CheckSizeJob', health: {state: 'Failed', reason: 'JobFailed', message: f.message, error: 'InvalidSpec'}, dependency: 'downstream'})
    } else {
      const pod = jobPods(ctx, job!).find((p) => p.status?.phase === 'Succeeded') ?? jobPods(ctx, job!)[0]
      const lines = (pod ? readLogs(ctx, pod, 'check-size') : undefined) ?? []
      const size = parseCheckSizeOutput(lines)
      if (!size.ok) {
        components.push({name: 'CheckSizeOutput', health: {state: 'Failed', reason: size.reason, message: size.message, error: 'InvalidSpec'}, dependency: 'downstream'})
      } else {
        bytes = size.sizeBytes
        status.discoveredSizeBytes = size.sizeBytes
        components.push({name: 'CheckSizeJob', health: {state: 'Ready', reason: 'JobComplete', message: 'Model size checked'}, dependency: 'downstream'})
      }
    }
  }

  // 3. PVC (created once, never mutated).
  const headroom = headroomPercent(rc.spec)
  const storageClass = storageClassFor(spec.storageClassName, rc.spec)
  const pvcNameValue = pvcName(art.metadata.name!, uid)
  let pvc = get(ctx, R.pvc, ns, pvcNameValue)
  if (bytes > 0) {
    status.displaySize = formatDisplaySize(bytes)
    status.headroomPercent = headroom
    if (!pvc) {
      const labels: Record<string, string> = {
        [L.cacheName]: art.metadata.name!,
        [L.sourceModel]: makeRfc1123Compliant(String(spec.sourceUri).replace(/^[a-z0-9]+:\/\//, '')),
      }
      if (art.metadata.labels?.[L.templateCreated] === 'true') labels[L.cacheType] = 'template-cache'
      pvc = applyChild(
        ctx,
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {name: pvcNameValue, namespace: ns, labels},
          spec: {
            accessModes: ['ReadWriteMany'],
            resources: {requests: {storage: pvcSize(bytes, headroom)}},
            ...(storageClass ? {storageClassName: storageClass} : {}),
          },
        },
        {controller: CONTROLLER, parent: art, owner: art, createOnly: true},
      )
    }
  }
  if (pvc) {
    status.persistentVolumeClaim = pvc.metadata.name
    status.allocatedSize = pvc.spec?.resources?.requests?.storage
    const phase = pvc.status?.phase
    const health: Health =
      phase === 'Bound'
        ? {state: 'Ready', reason: 'PvcBound', message: 'PVC is bound'}
        : phase === 'Lost'
          ? {state: 'Degraded', reason: 'PvcLost', message: 'PVC lost its volume', error: 'Infrastructure'}
          : {state: 'Progressing', reason: 'PvcPending', message: 'PVC is pending'}
    components.push({name: 'CachePvc', health, dependency: 'downstream'})
  } else if (bytes > 0) {
    components.push({name: 'CachePvc', health: {state: 'Progressing', reason: 'PvcPending', message: 'PVC is being created'}, dependency: 'downstream'})
  }

  // 4. Download.
  const wasReady = prev.status === 'Ready'
  if (pvc) {
    const name = downloadJobName(art.metadata.name!, uid)
    const job = get(ctx, R.job, ns, name)
    const state = wasReady ? 'Complete' : jobState(job)
    if (state === 'None') {
      applyChild(ctx, downloadJob(art, ns, name, image, pvc.metadata.name!, bytes, env), {controller: CONTROLLER, parent: art, owner: art, fields: []})
      components.push({name: 'DownloadJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Downloading the model'}, dependency: 'downstream'})
      extra.push({type: 'DownloadComplete', status: 'False', reason: 'Downloading', message: 'Download in progress'})
    } else if (state === 'Running') {
      components.push({name: 'DownloadJob', health: {state: 'Progressing', reason: 'JobRunning', message: 'Downloading the model'}, dependency: 'downstream'})
      const pods = jobPods(ctx, job!)
      if (pods.length) components.push({name: 'DownloadJobPods', health: podsHealth(pods, podEventsFor(ctx, ns, pods)), dependency: 'downstream'})
      const pct = status.progress?.percentage ?? 0
      extra.push(
        pct >= 100
          ? {type: 'DownloadComplete', status: 'True', reason: 'Verifying', message: 'Download finished; verifying'}
          : {type: 'DownloadComplete', status: 'False', reason: 'Downloading', message: 'Download in progress'},
      )
    } else if (state === 'Failed') {
      const f = jobFailure(job!)
      components.push({name: 'DownloadJob', health: {state: 'Failed', reason: 'DownloadFailed', message: f.message, error: 'InvalidSpec'}, dependency: 'downstream'})
      extra.push({type: 'DownloadComplete', status: 'False', reason: 'VerificationFailed', message: f.message})
      status.progress = {...(status.progress ?? {}), displayPercentage: 'N/A'}
    } else {
      components.push({name: 'DownloadJob', health: {state: 'Ready', reason: 'JobComplete', message: 'Download job completed'}, dependency: 'downstream'})
      components.push({name: 'DownloadJobPods', health: {state: 'Ready', reason: 'PodsSucceeded', message: 'Download pod succeeded'}, dependency: 'downstream'})
      extra.push({type: 'DownloadComplete', status: 'True', reason: 'Verified', message: 'Download and verification complete'})
      status.progress = {totalBytes: bytes, downloadedBytes: bytes, percentage: 100, displayPercentage: '100 %'}
    }
  }

  const result = finishStatus(components, 'other', undefined, prev.conditions)
  let overall = result.status
  if (overall === 'Ready' && !pvc) overall = 'Progressing'
  writeStatus(ctx, R.artifact, art, {...status, status: overall}, [...result.conditions, ...extra], `aim-${CONTROLLER}-controller`)
  return undefined
}

function checkSizeJob(art: Obj, ns: string, name: string, image: string, env: any[]): Obj {
  const labels = {[L.cacheName]: art.metadata.name!, [L.component]: 'check-size'}
  return jobObject(ns, name, labels, {backoffLimit: 2, ttlSecondsAfterFinished: 300}, {
    containers: [{name: 'check-size', image, command: ['/check-size.sh', art.spec.sourceUri], ...(env.length ? {env: clone(env)} : {})}],
  })
}

function downloadJob(art: Obj, ns: string, name: string, image: string, pvc: string, bytes: number, env: any[]): Obj {
  const labels = {[L.cacheName]: art.metadata.name!, [L.cacheType]: 'artifact', [L.component]: 'download'}
  const baseEnv = [
    {name: 'AIM_DOWNLOADER_PROTOCOL', value: 'XET,HF_TRANSFER'},
    {name: 'TMPDIR', value: '/tmp/'},
    {name: 'HF_HOME', value: '/tmp/.hf'},
    {name: 'EXPECTED_SIZE_BYTES', value: String(bytes)},
    {name: 'MOUNT_PATH', value: '/cache'},
    {name: 'TARGET_DIR', value: '/cache'},
    {name: 'ARTIFACT_NAME', value: art.metadata.name!},
    {name: 'ARTIFACT_NAMESPACE', value: ns},
    {name: 'STALL_TIMEOUT', value: '120'},
  ]
  return jobObject(ns, name, labels, {backoffLimit: 2, ttlSecondsAfterFinished: 600}, {
    securityContext: {runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000},
    ...(art.spec.imagePullSecrets ? {imagePullSecrets: clone(art.spec.imagePullSecrets)} : {}),
    containers: [
      {
        name: 'model-download',
        image,
        args: [art.spec.sourceUri],
        env: mergeEnv(baseEnv, env),
        volumeMounts: [{name: 'cache', mountPath: '/cache'}],
      },
    ],
    volumes: [{name: 'cache', persistentVolumeClaim: {claimName: pvc}}],
  })
}

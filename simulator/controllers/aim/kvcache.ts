/**
 * AIMKVCache (seed 000, reference §13.2): a Redis StatefulSet with a volume claim template and a
 * Service; status endpoint `redis://<svc>:6379`, replicas from the StatefulSet.
 */
import {labels as L} from '../../../src/api/labels.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {R, applyChild, clone, get, isDeleting, isPaused, writeStatus} from './common.js'

const CONTROLLER = 'kvcache'
export const REDIS_IMAGE = 'redis:7.2'

export function kvCacheReconciler(): Reconciler {
  return {name: `aim-${CONTROLLER}-controller`, for: R.kvCache, reconcile: reconcileKVCache}
}

function reconcileKVCache(key: ObjectKey, ctx: ReconcileContext) {
  const kv = get(ctx, R.kvCache, key.namespace, key.name)
  if (!kv || isDeleting(kv) || isPaused(kv)) return
  const ns = key.namespace!
  const spec = kv.spec ?? {}
  const type = spec.kvCacheType ?? 'redis'
  if (type !== 'redis') {
    writeStatus(ctx, R.kvCache, kv, {status: 'Failed', lastError: `unsupported kvCacheType "${type}"`}, [
      {type: 'Ready', status: 'False', reason: 'InvalidSpec', message: `unsupported kvCacheType "${type}"`},
    ], `aim-${CONTROLLER}-controller`)
    return
  }
  const name = key.name
  const size = String(spec.storage?.size ?? '1Gi')
  const labels = {[L.appName]: 'aim-kvcache', 'app.kubernetes.io/instance': name, [L.kvCacheName]: name}
  const svcName = name
  applyChild(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {name: svcName, namespace: ns, labels: {...labels}},
      spec: {selector: {...labels}, ports: [{name: 'redis', port: 6379, targetPort: 6379, protocol: 'TCP'}], clusterIP: 'None'},
    },
    {controller: CONTROLLER, parent: kv, owner: kv, fields: []},
  )
  const sts = applyChild(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name, namespace: ns, labels: {...labels}},
      spec: {
        replicas: 1,
        serviceName: svcName,
        selector: {matchLabels: {...labels}},
        template: {
          metadata: {labels: {...labels}},
          spec: {
            containers: [
              {
                name: 'redis',
                image: spec.image ?? REDIS_IMAGE,
                ports: [{containerPort: 6379, name: 'redis'}],
                ...(spec.env ? {env: clone(spec.env)} : {}),
                ...(spec.resources ? {resources: clone(spec.resources)} : {}),
                volumeMounts: [{name: 'data', mountPath: '/data'}],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {name: 'data'},
            spec: {
              accessModes: spec.storage?.accessModes ?? ['ReadWriteOnce'],
              resources: {requests: {storage: size}},
              ...(spec.storage?.storageClassName ? {storageClassName: spec.storage.storageClassName} : {}),
            },
          },
        ],
      },
    },
    {controller: CONTROLLER, parent: kv, owner: kv, fields: []},
  )
  const ready = sts.status?.readyReplicas ?? 0
  const replicas = sts.status?.replicas ?? 0
  const ok = ready >= 1
  writeStatus(
    ctx,
    R.kvCache,
    kv,
    {
      status: ok ? 'Ready' : 'Progressing',
      statefulSetName: name,
      serviceName: svcName,
      endpoint: `redis://${svcName}:6379`,
      replicas,
      readyReplicas: ready,
      storageSize: size,
    },
    [
      ok
        ? {type: 'Ready', status: 'True', reason: 'KVCacheReady', message: 'Redis is ready'}
        : {type: 'Ready', status: 'False', reason: 'StatefulSetNotReady', message: `Redis StatefulSet ${name} has ${ready}/1 ready replicas`},
    ],
    `aim-${CONTROLLER}-controller`,
  )
}

/**
 * The persistent-volume controller with a dynamic provisioner: PVCs of a known StorageClass (or
 * the default one) get a PV `pvc-<uid>` and are Bound; an unknown class leaves them Pending with
 * a ProvisioningFailed event. Released PVs of reclaim policy Delete are deleted.
 */
import type {KubeObject} from '../../../src/api/object.js'
import type {ReconcileContext, Reconciler} from '../types.js'
import {createOrIgnore, deleteIgnoringNotFound, REF, writeStatus} from './util.js'

const COMPONENT = 'persistentvolume-controller'
const PROVISION_MS = 2000

function defaultClass(ctx: ReconcileContext): KubeObject | undefined {
  return ctx.store
    .list(REF.storageclasses)
    .items.filter((sc) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')
    .sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))[0]
}

export function pvcReconciler(): Reconciler {
  const waiting = new Map<string, number>()
  // The last problem reported per claim, so a re-reconcile does not repeat the same event.
  const reported = new Map<string, string>()
  const report = (ctx: ReconcileContext, pvc: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => {
    const id = `${pvc.metadata.namespace}/${pvc.metadata.name}`
    if (reported.get(id) === `${reason}:${message}`) return
    reported.set(id, `${reason}:${message}`)
    ctx.events.event(pvc, type, reason, message, COMPONENT)
  }
  return {
    name: COMPONENT,
    for: REF.pvcs,
    watches: [
      // A new StorageClass may let Pending claims bind.
      {kind: REF.storageclasses, map: (_obj, ctx) => ctx.store.list(REF.pvcs).items.filter((p) => (p.status as {phase?: string} | undefined)?.phase !== 'Bound').map((p) => ({namespace: p.metadata.namespace, name: p.metadata.name ?? ''}))},
    ],
    reconcile(key, ctx) {
      const id = `${key.namespace}/${key.name}`
      const pvc = ctx.store.get(REF.pvcs, key.namespace, key.name)
      if (!pvc) {
        waiting.delete(id)
        reported.delete(id)
        return
      }
      if (pvc.metadata.deletionTimestamp) return
      const spec = (pvc.spec ?? {}) as {storageClassName?: string | null; volumeName?: string; accessModes?: string[]; resources?: {requests?: {storage?: string}}; volumeMode?: string}
      const phase = (pvc.status as {phase?: string} | undefined)?.phase
      if (phase === 'Bound') return
      let className = spec.storageClassName
      if (className === undefined || className === null) {
        const def = defaultClass(ctx)
        if (def) {
          className = def.metadata.name
          // The DefaultStorageClass admission plugin / retroactive assignment sets the class.
          ctx.store.mutate(REF.pvcs, key.namespace, key.name, (o) => {
            ;(o.spec as Record<string, unknown>).storageClassName = className
          }, {fieldManager: COMPONENT})
        }
      }
      if (phase !== 'Pending') writeStatus(ctx.store, REF.pvcs, pvc, {phase: 'Pending'}, COMPONENT)
      if (!className) {
        report(ctx, pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set')
        return
      }
      const sc = ctx.store.get(REF.storageclasses, undefined, className)
      if (!sc) {
        report(ctx, pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`)
        return
      }
      const provisioner = String((sc as {provisioner?: string}).provisioner ?? 'kubernetes.io/no-provisioner')
      const started = waiting.get(id)
      if (started === undefined) {
        waiting.set(id, ctx.clock.now())
        ctx.events.event(
          pvc,
          'Normal',
          'ExternalProvisioning',
          `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
          COMPONENT,
        )
        ctx.events.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key.namespace}/${key.name}"`, `${provisioner}_sim-provisioner`)
        return {requeueAfterMs: PROVISION_MS}
      }
      if (ctx.clock.now() - started < PROVISION_MS) return {requeueAfterMs: PROVISION_MS - (ctx.clock.now() - started)}
      waiting.delete(id)
      const pvName = `pvc-${pvc.metadata.uid}`
      const storage = spec.resources?.requests?.storage ?? '1Gi'
      const accessModes = spec.accessModes ?? ['ReadWriteOnce']
      createOrIgnore(ctx.store, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: {'pv.kubernetes.io/provisioned-by': provisioner, 'volume.kubernetes.io/provisioner-deletion-secret-name': '', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': ''},
          finalizers: ['kubernetes.io/pv-protection'],
        },
        spec: {
          capacity: {storage},
          accessModes,
          persistentVolumeReclaimPolicy: String((sc as {reclaimPolicy?: string}).reclaimPolicy ?? 'Delete'),
          storageClassName: className,
          volumeMode: spec.volumeMode ?? 'Filesystem',
          claimRef: {apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: key.namespace, name: key.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion},
          csi: {driver: provisioner, volumeHandle: pvName, fsType: 'ext4'},
        },
      }, COMPONENT)
      const pv = ctx.store.get(REF.pvs, undefined, pvName)
      if (pv) writeStatus(ctx.store, REF.pvs, pv, {phase: 'Bound', lastPhaseTransitionTime: ctx.clock.nowISO()}, COMPONENT)
      const bound = ctx.store.mutate(REF.pvcs, key.namespace, key.name, (o) => {
        ;(o.spec as Record<string, unknown>).volumeName = pvName
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.beta.kubernetes.io/storage-provisioner': provisioner,
          'volume.kubernetes.io/storage-provisioner': provisioner,
        }
      }, {fieldManager: COMPONENT})
      writeStatus(ctx.store, REF.pvcs, bound, {phase: 'Bound', accessModes, capacity: {storage}}, COMPONENT)
      ctx.events.event(bound, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, `${provisioner}_sim-provisioner`)
    },
  }
}

/** Deletes dynamically provisioned PVs (reclaim policy Delete) once their claim is gone. */
export function pvReconciler(): Reconciler {
  return {
    name: 'persistentvolume-reclaimer',
    for: REF.pvs,
    watches: [{kind: REF.pvcs, map: (obj) => [{name: `pvc-${obj.metadata.uid}`}]}],
    reconcile(key, ctx) {
      const pv = ctx.store.get(REF.pvs, undefined, key.name)
      if (!pv) return
      const spec = (pv.spec ?? {}) as {claimRef?: {namespace?: string; name?: string; uid?: string}; persistentVolumeReclaimPolicy?: string}
      const claim = spec.claimRef
      if (!claim?.name) return
      const pvc = ctx.store.get(REF.pvcs, claim.namespace, claim.name)
      if (pvc && pvc.metadata.uid === claim.uid) return
      if (spec.persistentVolumeReclaimPolicy === 'Delete') {
        if (pv.metadata.finalizers?.length) {
          ctx.store.mutate(REF.pvs, undefined, key.name, (o) => {
            o.metadata.finalizers = []
          }, {fieldManager: COMPONENT})
        }
        deleteIgnoringNotFound(ctx.store, REF.pvs, undefined, key.name)
      } else {
        writeStatus(ctx.store, REF.pvs, pv, {phase: 'Released'}, COMPONENT)
      }
    },
  }
}

/** The fake cluster's controllers: what kube-controller-manager, kube-scheduler, kubelet, KServe, KEDA and a gateway controller do. */
import type {CatalogImageRegistry} from '../../cluster/catalog.js'
import type {FaultInjector} from '../../cluster/faults.js'
import type {LogStore} from '../../cluster/logs.js'
import type {Reconciler} from '../types.js'
import {gatewayReconciler, httpRouteReconciler} from './gateway.js'
import {hpaReconciler, scaledObjectReconciler} from './keda.js'
import {Kubelet} from './kubelet.js'
import {kserveReconciler} from './kserve.js'
import {schedulerReconciler} from './scheduler.js'
import {pvcReconciler, pvReconciler} from './storage.js'
import {deploymentReconciler, jobReconciler, replicaSetReconciler, statefulSetReconciler} from './workloads.js'

export interface ClusterDeps {
  faults: FaultInjector
  images: CatalogImageRegistry
  logs: LogStore
}

/** Every downstream controller, in a fixed order (the order keeps the simulation deterministic). */
export function downstreamReconcilers(deps: ClusterDeps): Reconciler[] {
  return [
    pvcReconciler(),
    pvReconciler(),
    schedulerReconciler(),
    new Kubelet(deps).reconciler(),
    jobReconciler(),
    deploymentReconciler(),
    replicaSetReconciler(),
    statefulSetReconciler(),
    kserveReconciler(),
    scaledObjectReconciler(deps),
    hpaReconciler(deps),
    gatewayReconciler(),
    httpRouteReconciler(),
  ]
}

export {schedulePod, podRequests} from './scheduler.js'
export {kedaTriggers, autoscalerClass} from './kserve.js'
export {kedaMetricName} from './keda.js'

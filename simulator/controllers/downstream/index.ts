/** The fake cluster's controllers: what kube-controller-manager, kube-scheduler, kubelet, KServe, KEDA and a gateway controller do. */
import type {CatalogImageRegistry} from '../../cluster/catalog.js'
import type {FaultInjector} from '../../cluster/faults.js'
import type {LogStore} from '../../cluster/logs.js'
import type {Reconciler} from '../types.js'

export interface ClusterDeps {
  faults: FaultInjector
  images: CatalogImageRegistry
  logs: LogStore
}

export function downstreamReconcilers(_deps: ClusterDeps): Reconciler[] {
  return []
}

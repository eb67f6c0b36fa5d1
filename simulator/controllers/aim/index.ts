/**
 * The AIM operator's reconcilers in the simulator. createControllerManager registers these next to
 * the fake downstream controllers.
 */
import type {Reconciler} from '../types.js'
import {artifactReconciler} from './artifact.js'
import {kvCacheReconciler} from './kvcache.js'
import {legacyReconcilers} from './legacy.js'
import {modelReconciler} from './model.js'
import {modelSourceReconciler} from './modelsource.js'
import {runtimeConfigReconciler} from './runtimeconfig.js'
import {serviceReconciler} from './service.js'
import {templateReconciler} from './template.js'
import {templateCacheReconciler} from './templatecache.js'

export {SERVICE_FINALIZER} from './service.js'
export {TEMPLATE_CACHE_FINALIZER} from './templatecache.js'

/**
 * The AIM operator's reconcilers; they run once the cluster's own controllers have settled
 * (`waitsForCluster`), and the AIMService's once the rest of the operator has too (`waitsForOperator`).
 */
export function aimReconcilers(): Reconciler[] {
  const service = serviceReconciler()
  const reconcilers: Reconciler[] = [
    service,
    modelReconciler(false),
    modelReconciler(true),
    templateReconciler(false),
    templateReconciler(true),
    templateCacheReconciler(),
    artifactReconciler(),
    kvCacheReconciler(),
    runtimeConfigReconciler(false),
    runtimeConfigReconciler(true),
    modelSourceReconciler(),
    ...legacyReconcilers(),
  ]
  for (const r of reconcilers) r.waitsForCluster = true
  service.waitsForOperator = true
  return reconcilers
}

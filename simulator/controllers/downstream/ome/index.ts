/** OME (ome.io/v1beta1, seed 004): the InferenceService controller and the model agent. */
import type {Reconciler} from '../../types.js'
import type {ClusterDeps} from '../index.js'
import {omeInferenceServiceReconciler} from './isvc.js'
import {baseModelReconciler} from './models.js'

export function omeReconcilers(deps: ClusterDeps): Reconciler[] {
  return [baseModelReconciler(deps, true), baseModelReconciler(deps, false), omeInferenceServiceReconciler()]
}

export {modelNodeLabel, OME_REF} from './models.js'
export {mergeComponent, parseModelSize, selectRuntime} from './isvc.js'

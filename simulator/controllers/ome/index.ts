/**
 * The OME operator (ome.io/v1beta1, seed 004) in the simulator: the InferenceService controller
 * and the BaseModel/ClusterBaseModel model agent. createControllerManager registers these next to
 * the AIM reconcilers.
 */
import type {Reconciler} from '../types.js'
import {baseModelReconciler} from './basemodel.js'
import {inferenceServiceReconciler} from './isvc.js'

export {downloadMs} from './basemodel.js'
export {OME_REF} from './common.js'

export function omeReconcilers(): Reconciler[] {
  return [inferenceServiceReconciler(), baseModelReconciler(false), baseModelReconciler(true)]
}

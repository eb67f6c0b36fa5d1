/**
 * The older API's condition vocabulary (reference aim-engine.md §13.1/§13.2): how an
 * aim.eai.amd.com AIMService's status reads in aim.silogen.ai terms. The legacy reconcilers
 * (simulator/controllers/aim/legacy.ts) mirror the new object's status onto the legacy object;
 * `legacyServiceConditions` gives the conditions an aim.silogen.ai client expects
 * (Resolved, CacheReady, RuntimeReady, RoutingReady, Ready, Progressing, Failure) so the mirror
 * can add them beside the new ones.
 */
import type {Condition} from '../../../src/api/object.js'

export const LEGACY_SERVICE_CONDITION_TYPES = ['Resolved', 'CacheReady', 'RuntimeReady', 'RoutingReady', 'Ready', 'Progressing', 'Failure'] as const

interface NewServiceStatus {
  status?: string
  conditions?: Array<Pick<Condition, 'type' | 'status'> & {reason?: string; message?: string; lastTransitionTime?: string}>
}

type Out = Pick<Condition, 'type' | 'status' | 'reason' | 'message'> & {lastTransitionTime?: string}

/** Legacy conditions of an AIMService from its aim.eai.amd.com status. Types absent from the new status are left out. */
export function legacyServiceConditions(status: NewServiceStatus): Out[] {
  const conds = status.conditions ?? []
  const get = (type: string) => conds.find((c) => c.type === type)
  const out: Out[] = []
  const make = (type: string, from: {status: Condition['status']; reason?: string; message?: string; lastTransitionTime?: string}, reason: string): Out => ({
    type,
    status: from.status,
    reason,
    message: from.message ?? '',
    ...(from.lastTransitionTime ? {lastTransitionTime: from.lastTransitionTime} : {}),
  })
  const failed = status.status === 'Failed'

  const model = get('ModelReady')
  const template = get('TemplateReady')
  if (model || template) {
    const blocking = [model, template].find((c) => c && c.status !== 'True')
    out.push(
      blocking
        ? make('Resolved', blocking, blocking.reason === 'ModelNotFound' || blocking.reason?.startsWith('Template') ? blocking.reason : failed ? 'ValidationFailed' : (blocking.reason ?? 'Resolving'))
        : make('Resolved', {status: 'True', message: 'Model and template resolved', lastTransitionTime: template?.lastTransitionTime ?? model?.lastTransitionTime}, 'Resolved'),
    )
  }
  const cache = get('CacheReady')
  if (cache) out.push(make('CacheReady', cache, cache.status === 'True' ? 'CacheWarm' : /Fail/.test(cache.reason ?? '') ? 'CacheFailed' : 'WaitingForCache'))
  const runtime = get('InferenceServiceReady')
  if (runtime) out.push(make('RuntimeReady', runtime, runtime.status === 'True' ? 'RuntimeReady' : failed || /Fail|BackOff/.test(runtime.reason ?? '') ? 'RuntimeFailed' : 'CreatingRuntime'))
  const route = get('HTTPRouteReady')
  if (route) {
    out.push(make('RoutingReady', route, route.status === 'True' ? 'RouteReady' : route.reason === 'PathTemplateInvalid' ? 'PathTemplateInvalid' : /Fail|Invalid/.test(route.reason ?? '') ? 'RouteFailed' : 'ConfiguringRoute'))
  }
  const ready = get('Ready')
  if (ready) out.push(make('Ready', ready, ready.reason ?? (ready.status === 'True' ? 'Ready' : 'NotReady')))
  const progressing = status.status === 'Pending' || status.status === 'Starting'
  out.push({type: 'Progressing', status: progressing ? 'True' : 'False', reason: progressing ? (ready?.reason ?? 'Progressing') : 'Settled', message: progressing ? (ready?.message ?? '') : `Service is ${status.status ?? 'Unknown'}`})
  out.push(
    failed
      ? {type: 'Failure', status: 'True', reason: ready?.reason ?? 'Failed', message: ready?.message ?? ''}
      : {type: 'Failure', status: 'False', reason: 'NoFailure', message: ''},
  )
  return out
}

/**
 * `kubectl aim status NAME --watch` for an OME InferenceService: re-collects the OMEStatusReport
 * whenever the service or its pods change (one report at a time, changes coalesced), hands each
 * changed report to the caller, and stops on SIGINT/SIGTERM, after `maxUpdates` reports, or when a
 * watch fails (the error is rethrown).
 */
import {K} from './aim.js'
import type {KubeClient} from './client.js'
import {buildOmeReport, OME_K, type OMEStatusReport} from './ome.js'
import {OME_ISVC_LABEL} from '../engine/ome.js'

export async function watchOmeStatus(
  client: KubeClient,
  name: string,
  namespace: string,
  onReport: (r: OMEStatusReport) => Promise<void>,
  maxUpdates?: number,
): Promise<void> {
  let updates = 0
  let lastKey = ''
  let pending: Promise<void> | undefined
  let again = false
  let failure: unknown
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = resolve))
  const draw = async () => {
    const r = await buildOmeReport(client, await client.get(OME_K.isvc, name, namespace))
    const key = JSON.stringify({...r, collectedAt: ''})
    if (key === lastKey) return
    lastKey = key
    await onReport(r)
    updates++
    if (maxUpdates !== undefined && updates >= maxUpdates) stop()
  }
  const schedule = () => {
    if (pending) {
      again = true
      return
    }
    pending = draw()
      .catch((err) => {
        failure = err
        stop()
      })
      .finally(() => {
        pending = undefined
        if (again) {
          again = false
          schedule()
        }
      })
  }
  await draw()
  if (maxUpdates !== undefined && updates >= maxUpdates) return
  const handles = await Promise.all([
    client.watch(OME_K.isvc, {namespace, name}, () => schedule()),
    client.watch(K.pod, {namespace, labelSelector: `${OME_ISVC_LABEL}=${name}`}, () => schedule()),
  ])
  const onSignal = () => stop()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  for (const h of handles) {
    h.done.catch((err) => {
      failure = err
      stop()
    })
  }
  await stopped
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  for (const h of handles) h.stop()
  await pending
  if (failure) throw failure
}

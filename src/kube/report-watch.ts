/**
 * The loop behind `kubectl aim status NAME --watch`, for AIMService and OME reports alike:
 * re-collects the report whenever one of the watches fires (one report at a time, changes
 * coalesced), hands each changed report (ignoring `collectedAt`) to the caller, and stops on
 * SIGINT/SIGTERM, after `maxUpdates` reports, or when a watch or a collection fails (the error is
 * rethrown). Nothing is reported once it is stopping.
 */
import type {WatchHandle} from './client.js'

export async function watchReports<R extends {collectedAt: string}>(
  collect: () => Promise<R>,
  watches: (changed: () => void) => Array<Promise<WatchHandle>>,
  onReport: (r: R) => Promise<void>,
  maxUpdates?: number,
): Promise<void> {
  let updates = 0
  let lastKey = ''
  let pending: Promise<void> | undefined
  let again = false
  let failure: unknown
  let stopping = false
  let stop!: () => void
  const stopped = new Promise<void>((resolve) => (stop = () => {
    stopping = true
    resolve()
  }))
  const draw = async () => {
    const r = await collect()
    // A change that arrived while the last report was drawn must not print once the watch is over.
    if (stopping) return
    const key = JSON.stringify({...r, collectedAt: ''})
    if (key === lastKey) return
    lastKey = key
    await onReport(r)
    updates++
    if (maxUpdates !== undefined && updates >= maxUpdates) stop()
  }
  const schedule = () => {
    if (stopping) return
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
  const handles = await Promise.all(watches(() => schedule()))
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

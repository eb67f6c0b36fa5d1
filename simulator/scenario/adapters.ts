/**
 * Local adapters for `kubectl aim simulate` around startSimulator(), until it takes these options:
 * - `--gpus-per-node`: nodes are built with the default GPU count, so set the `amd.com/gpu` (or
 *   `nvidia.com/gpu`) capacity/allocatable and the count-encoded device-id label on every GPU node;
 * - resuming `--state`: the real-time clock restarts at wall time, which can be behind the
 *   timestamps the previous run wrote (its clock ran at × speed), so move it past the newest one.
 */
import type {KubeObject} from '../../src/api/object.js'
import type {VirtualClock} from '../clock/index.js'
import type {Store} from '../store/types.js'

const NODES = {group: '', plural: 'nodes'}

export function setGpusPerNode(store: Store, gpus: number): void {
  for (const node of store.list(NODES).items) {
    const name = node.metadata.name!
    const status = node.status as {capacity?: Record<string, string>} | undefined
    const resource = ['amd.com/gpu', 'nvidia.com/gpu'].find((r) => status?.capacity?.[r] !== undefined)
    if (resource === undefined) continue
    store.mutate(NODES, undefined, name, (n) => {
      const labels = {...(n.metadata.labels ?? {})}
      for (const key of Object.keys(labels)) if (/^(beta\.)?amd\.com\/gpu\.device-id\./.test(key)) labels[key] = String(gpus)
      n.metadata.labels = labels
    })
    store.mutate(
      NODES,
      undefined,
      name,
      (n) => {
        const s = (n.status ?? {}) as {capacity?: Record<string, string>; allocatable?: Record<string, string>}
        s.capacity = {...(s.capacity ?? {}), [resource]: String(gpus)}
        s.allocatable = {...(s.allocatable ?? {}), [resource]: String(gpus)}
        n.status = s
      },
      {subresource: 'status'},
    )
  }
}

/** The newest timestamp written in any object's metadata (creation, deletion, managed fields). */
export function newestTimestamp(objects: KubeObject[]): number | undefined {
  let newest: number | undefined
  const see = (value: string | undefined) => {
    if (!value) return
    const t = Date.parse(value)
    if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t
  }
  for (const obj of objects) {
    see(obj.metadata.creationTimestamp)
    see(obj.metadata.deletionTimestamp)
    for (const entry of obj.metadata.managedFields ?? []) see(entry.time)
  }
  return newest
}

/** Move the clock forward to just after the newest stored timestamp, if it is behind. */
export async function resumeClock(clock: VirtualClock, objects: KubeObject[]): Promise<void> {
  const newest = newestTimestamp(objects)
  if (newest !== undefined && newest >= clock.now()) await clock.advance(newest - clock.now() + 1000)
}

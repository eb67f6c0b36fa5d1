/**
 * `events.k8s.io/v1` Events as a view of the core/v1 Events, as kube-apiserver stores both
 * APIs in one place: the same objects answer `kubectl get events` and
 * `kubectl get events.events.k8s.io`, and describe sees events written through either.
 * A Store adapter translates objects and field selectors; every HTTP behaviour is shared.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {errors} from '../../src/api/status.js'
import type {Store, WatchEvent} from '../store/types.js'

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** [core/v1 field, events.k8s.io/v1 field] */
const RENAMES: Array<[string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
]

function rename(obj: KubeObject, apiVersion: string, from: 0 | 1): KubeObject {
  const out: Any = {...obj, apiVersion, kind: 'Event'}
  for (const pair of RENAMES) {
    const src = pair[from]
    const dst = pair[from === 0 ? 1 : 0]
    if (src in out) {
      out[dst] = out[src]
      delete out[src]
    }
  }
  return out as KubeObject
}

export const toEventsV1 = (core: KubeObject): KubeObject => rename(core, 'events.k8s.io/v1', 0)
export const toCoreEvent = (v1: KubeObject): KubeObject => rename(v1, 'v1', 1)

/** `regarding.name=x,reportingController=y` → `involvedObject.name=x,reportingComponent=y`. */
export function coreEventSelector(selector: string | undefined): string | undefined {
  if (!selector) return selector
  return selector
    .split(',')
    .map((term) => term.trim().replace(/^regarding\./, 'involvedObject.').replace(/^reportingController(?=\s*[=!])/, 'reportingComponent'))
    .join(',')
}

export function eventsV1Store(store: Store, core: KindInfo): Store {
  const map = (o: KubeObject | undefined) => (o ? toEventsV1(o) : undefined)
  // A change written for events.k8s.io/v1 objects, applied to the stored core/v1 Event.
  const viaV1 = (change: (obj: KubeObject) => KubeObject | void) => (o: KubeObject) => {
    const v1 = toEventsV1(o)
    return toCoreEvent(change(v1) ?? v1)
  }
  return {
    get: (_ref, ns, name) => map(store.get(core, ns, name)),
    mustGet: (_ref, ns, name) => {
      const o = store.get(core, ns, name)
      if (!o) throw errors.notFound('events.k8s.io', 'events', name)
      return toEventsV1(o)
    },
    list: (_ref, options = {}) => {
      const r = store.list(core, {...options, fieldSelector: coreEventSelector(options.fieldSelector)})
      return {...r, items: r.items.map(toEventsV1)}
    },
    create: (obj, options) => toEventsV1(store.create(toCoreEvent(obj), options)),
    update: (obj, options) => toEventsV1(store.update(toCoreEvent(obj), options)),
    mutate: (_ref, ns, name, change, options) => toEventsV1(store.mutate(core, ns, name, viaV1(change), options)),
    mutateWithStatus: (_ref, ns, name, change) => toEventsV1(store.mutateWithStatus(core, ns, name, viaV1(change))),
    apply: (obj, options) => toEventsV1(store.apply(toCoreEvent(obj), options)),
    delete: (_ref, ns, name, options) => toEventsV1(store.delete(core, ns, name, options)),
    watch: (_ref, options, onEvent) =>
      store.watch(core, {...options, fieldSelector: coreEventSelector(options.fieldSelector)}, (event: WatchEvent) =>
        onEvent(event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED' ? {type: event.type, object: toEventsV1(event.object)} : event),
      ),
    watchAll: (onEvent) => store.watchAll(onEvent),
    resourceVersion: () => store.resourceVersion(),
  }
}

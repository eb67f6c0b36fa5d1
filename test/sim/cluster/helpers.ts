import {VirtualClock} from '../../../simulator/clock/index.js'
import {createControllerManager, type ControllerManagerOptions} from '../../../simulator/controllers/index.js'
import {createStore} from '../../../simulator/store/index.js'
import type {Reconciler} from '../../../simulator/controllers/types.js'
import type {KubeObject} from '../../../src/api/object.js'

export function startCluster(options: Partial<ControllerManagerOptions> = {}) {
  const clock = new VirtualClock()
  const store = createStore({clock, seed: options.seed ?? 'test'})
  const manager = createControllerManager({store, clock, aim: false, ...options})
  manager.start()
  return {clock, store, manager}
}

/** A bare controller runtime running only `reconcilers` (no cluster bootstrap). */
export function startRuntime(reconcilers: Reconciler[]) {
  const clock = new VirtualClock()
  const store = createStore({clock, seed: 'rt'})
  const manager = createControllerManager({store, clock, reconcilers, bootstrap: false})
  manager.start()
  return {clock, store, manager}
}

export function eventsFor(store: ReturnType<typeof createStore>, namespace: string, name: string): Array<{type: string; reason: string; message: string; count: number}> {
  return store
    .list({group: '', plural: 'events'}, {namespace})
    .items.filter((e) => (e.involvedObject as {name?: string}).name === name)
    .map((e) => ({type: String(e.type), reason: String(e.reason), message: String(e.message), count: Number(e.count)}))
}

export function deployment(name: string, namespace: string, image: string, replicas = 1, resources: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, namespace},
    spec: {
      replicas,
      selector: {matchLabels: {app: name}},
      template: {
        metadata: {labels: {app: name}},
        spec: {containers: [{name: 'main', image, resources: Object.keys(resources).length ? {requests: resources, limits: resources} : undefined}]},
      },
    },
  }
}

export function condition(obj: KubeObject | undefined, type: string): {status?: string; reason?: string; message?: string} | undefined {
  return ((obj?.status as {conditions?: Array<{type: string; status: string; reason?: string; message?: string}>} | undefined)?.conditions ?? []).find((c) => c.type === type)
}

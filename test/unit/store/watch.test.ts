import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore, type WatchEvent} from '../../../simulator/store/index.js'

const CM = {group: '', plural: 'configmaps'}

function cm(name: string, labels?: Record<string, string>, data: Record<string, string> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default', labels}, data}
}

function setup(historySize?: number) {
  const clock = new VirtualClock()
  return createStore({clock, seed: 'watch', historySize})
}

const fmt = (e: WatchEvent) => `${e.type} ${e.object.metadata.name ?? ''}@${e.object.metadata.resourceVersion}`

describe('store: watch', () => {
  it('sends synthetic ADDED events for the current state when resourceVersion is unset or "0"', () => {
    const store = setup()
    store.create(cm('b'))
    store.create(cm('a'))
    for (const resourceVersion of [undefined, '0']) {
      const seen: string[] = []
      const w = store.watch(CM, {resourceVersion}, (e) => seen.push(`${e.type} ${e.object.metadata.name}`))
      expect(seen).toEqual(['ADDED a', 'ADDED b'])
      w.stop()
    }
  })

  it('delivers live events in resourceVersion order, also for writes made inside a callback', () => {
    const store = setup()
    const first: string[] = []
    const second: string[] = []
    store.watch(CM, {}, (e) => {
      first.push(fmt(e))
      if (e.type === 'ADDED' && e.object.metadata.name === 'a') store.create(cm('b'))
    })
    store.watch(CM, {}, (e) => second.push(fmt(e)))
    store.create(cm('a'))
    expect(first).toEqual(['ADDED a@4', 'ADDED b@5'])
    expect(second).toEqual(first)
  })

  it('resumes after a resourceVersion from the history', () => {
    const store = setup()
    const a = store.create(cm('a'))
    const rv = a.metadata.resourceVersion
    store.mutate(CM, 'default', 'a', (o) => {
      o.data = {x: '1'}
    })
    store.delete(CM, 'default', 'a')
    const seen: string[] = []
    store.watch(CM, {resourceVersion: rv}, (e) => seen.push(fmt(e)))
    store.create(cm('c'))
    expect(seen).toEqual(['MODIFIED a@5', 'DELETED a@6', 'ADDED c@7'])
  })

  it('answers a resourceVersion older than the history with 410 Expired', () => {
    const store = setup(3)
    for (let i = 0; i < 6; i++) store.create(cm(`c${i}`))
    // RVs 1-3 are the namespaces, 4-9 the config maps; the history keeps 7, 8, 9.
    let err: unknown
    try {
      store.watch(CM, {resourceVersion: '5'}, () => undefined)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).code).toBe(410)
    expect((err as ApiError).reason).toBe('Expired')
    expect((err as ApiError).message).toBe('too old resource version: 5 (7)')
    const seen: string[] = []
    store.watch(CM, {resourceVersion: '6'}, (e) => seen.push(fmt(e)))
    expect(seen).toEqual(['ADDED c3@7', 'ADDED c4@8', 'ADDED c5@9'])
  })

  it('turns selector transitions into ADDED and DELETED', () => {
    const store = setup()
    const seen: string[] = []
    store.watch(CM, {labelSelector: 'app=web', namespace: 'default'}, (e) => seen.push(fmt(e)))
    store.create(cm('a', {app: 'db'}))
    store.mutate(CM, 'default', 'a', (o) => {
      o.metadata.labels = {app: 'web'}
    })
    store.mutate(CM, 'default', 'a', (o) => {
      o.data = {k: 'v'}
    })
    store.mutate(CM, 'default', 'a', (o) => {
      o.metadata.labels = {app: 'db'}
    })
    store.delete(CM, 'default', 'a')
    expect(seen).toEqual(['ADDED a@5', 'MODIFIED a@6', 'DELETED a@7'])
  })

  it('filters by namespace and field selector', () => {
    const store = setup()
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}})
    const seen: string[] = []
    store.watch(CM, {fieldSelector: 'metadata.name=a', namespace: 'default'}, (e) => seen.push(fmt(e)))
    store.create(cm('a'))
    store.create(cm('b'))
    store.create({...cm('a'), metadata: {name: 'a', namespace: 'x'}})
    expect(seen).toEqual(['ADDED a@5'])
  })

  it('stops delivering after stop()', () => {
    const store = setup()
    const seen: string[] = []
    const w = store.watch(CM, {}, (e) => seen.push(fmt(e)))
    store.create(cm('a'))
    w.stop()
    store.create(cm('b'))
    expect(seen).toEqual(['ADDED a@4'])
  })

  it('watchAll sees every kind with its registry entry', () => {
    const store = setup()
    const seen: string[] = []
    store.watchAll((e, info) => seen.push(`${e.type} ${info.kind} ${e.object.metadata.name}`))
    store.create(cm('a'))
    store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMModel', metadata: {name: 'm', namespace: 'default'}, spec: {image: 'rocm/x:1'}})
    expect(seen).toEqual(['ADDED ConfigMap a', 'ADDED AIMModel m'])
  })

  it('makes bookmarks at the current resourceVersion, and an initial-events-end bookmark when asked', () => {
    const store = setup()
    store.create(cm('a'))
    expect(store.bookmark(CM)).toEqual({type: 'BOOKMARK', object: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {resourceVersion: '4'}}})
    const seen: WatchEvent[] = []
    store.watch(CM, {sendInitialEvents: true, allowBookmarks: true}, (e) => seen.push(e))
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK'])
    expect(seen[1]!.object.metadata.annotations).toEqual({'k8s.io/initial-events-end': 'true'})
  })

  it('keeps a throwing watcher from breaking the write or other watchers', () => {
    const errors: unknown[] = []
    const store = createStore({clock: new VirtualClock(), onWatchError: (e) => errors.push(e)})
    const seen: string[] = []
    store.watch(CM, {}, () => {
      throw new Error('boom')
    })
    store.watch(CM, {}, (e) => seen.push(fmt(e)))
    expect(store.create(cm('a')).metadata.name).toBe('a')
    expect(seen).toEqual(['ADDED a@4'])
    expect(errors).toHaveLength(1)
  })
})

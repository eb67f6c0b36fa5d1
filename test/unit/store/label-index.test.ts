import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore, matchesLabelSelector} from '../../../simulator/store/index.js'
// The simulator's own seeded PRNG (mulberry32): a failure reproduces.
import {seededRandom} from '../../../simulator/controllers/runtime.js'

const CM = {group: '', plural: 'configmaps'}
const NAMESPACES = ['default', 'ns-a', 'ns-b']
const SELECTORS = ['app=x', 'app=y', 'app=x,tier=web', 'tier=web,app!=x', 'app==y,tier', 'tier=db,app in (x,y)', 'app=z']

describe('store: label index', () => {
  it('list with an equality label selector equals filtering the full list, and unfiltered lists equal dump(), over 1500 random creates, relabels and deletes', () => {
    const clock = new VirtualClock()
    const store = createStore({clock, seed: 'labels'})
    for (const ns of NAMESPACES.slice(1)) store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
    const rand = seededRandom('42')
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
    const randomLabels = (): Record<string, string> | undefined => {
      const labels: Record<string, string> = {}
      if (rand() < 0.7) labels['app'] = pick(['x', 'y', 'z'])
      if (rand() < 0.5) labels['tier'] = pick(['web', 'db'])
      return Object.keys(labels).length > 0 || rand() < 0.5 ? labels : undefined
    }
    const scan = (labelSelector: string, namespace?: string) =>
      store
        .list(CM, namespace ? {namespace} : {})
        .items.filter((o) => matchesLabelSelector(o.metadata.labels, labelSelector))
        .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
    let checks = 0
    for (let step = 0; step < 1500; step++) {
      const ns = pick(NAMESPACES)
      const name = `cm-${Math.floor(rand() * 40)}`
      const existing = store.get(CM, ns, name)
      const r = rand()
      if (!existing) {
        const labels = randomLabels()
        store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: ns, ...(labels ? {labels} : {})}, data: {v: String(step)}})
      } else if (r < 0.4) {
        store.mutate(CM, ns, name, (o: KubeObject) => {
          const labels = randomLabels()
          if (labels) o.metadata.labels = labels
          else delete o.metadata.labels
        })
      } else if (r < 0.6) {
        // A write that leaves the labels as they are.
        store.mutate(CM, ns, name, (o: KubeObject) => {
          ;(o as {data?: Record<string, string>}).data = {v: String(step)}
        })
      } else {
        store.delete(CM, ns, name)
      }
      if (step % 5 === 0) {
        // Unfiltered lists (served from the per-namespace list cache between writes) against dump().
        const all = store.dump().filter((o) => o.kind === 'ConfigMap').map((o) => `${o.metadata.namespace}/${o.metadata.name}/${o.metadata.resourceVersion}`)
        const listed = (namespace?: string) => store.list(CM, namespace ? {namespace} : {}).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}/${o.metadata.resourceVersion}`)
        expect(listed()).toEqual(all)
        expect(listed()).toEqual(all)
        for (const ns of NAMESPACES) expect(listed(ns)).toEqual(all.filter((k) => k.startsWith(`${ns}/`)))
        // What a caller does to the returned array does not reach the next list.
        store.list(CM, {namespace: 'ns-a'}).items.length = 0
        expect(listed('ns-a')).toEqual(all.filter((k) => k.startsWith('ns-a/')))
      }
      if (step % 10 === 0) {
        for (const selector of SELECTORS) {
          const got = (namespace?: string) => store.list(CM, {labelSelector: selector, ...(namespace ? {namespace} : {})}).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
          expect(got()).toEqual(scan(selector))
          expect(got('ns-a')).toEqual(scan(selector, 'ns-a'))
          checks++
        }
      }
    }
    expect(checks).toBe(1050)
  })

  it('pages an indexed list with limit and continue in (namespace, name) order', () => {
    const clock = new VirtualClock()
    const store = createStore({clock, seed: 'pages'})
    store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'other'}})
    for (const [ns, name, app] of [
      ['other', 'b', 'x'],
      ['default', 'c', 'x'],
      ['default', 'a', 'x'],
      ['default', 'b', 'y'],
      ['other', 'a', 'x'],
    ] as const) {
      store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: ns, labels: {app}}})
    }
    const first = store.list(CM, {labelSelector: 'app=x', limit: 2})
    expect(first.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['default/a', 'default/c'])
    const second = store.list(CM, {labelSelector: 'app=x', limit: 2, continue: first.continue!})
    expect(second.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['other/a', 'other/b'])
    expect(second.continue).toBeUndefined()
    expect(store.list(CM, {labelSelector: 'app=nothing'}).items).toEqual([])
  })
})

/**
 * In-process harness for the OME reconcilers: the whole simulated cluster (createControllerManager
 * with its default reconcilers: downstream + AIM + OME) on a virtual clock, plus helpers to apply
 * the fixtures/ome manifests.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseAllDocuments} from 'yaml'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {fixturesDir} from '../../../simulator/cluster/catalog.js'
import {createControllerManager, type SimControllerManager} from '../../../simulator/controllers/index.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'

export interface OmeHarness {
  store: SimStore
  clock: VirtualClock
  manager: SimControllerManager
  apply(input: string | KubeObject[]): KubeObject[]
  applyFixture(...files: string[]): KubeObject[]
  get(kind: string, namespace: string | undefined, name: string): any
  list(kind: string, namespace?: string, labelSelector?: string): any[]
  settle(ms?: number): Promise<void>
  conditions(obj: any): Record<string, string>
  events(name: string): string[]
  stop(): void
}

const OME_KINDS = new Set(['InferenceService', 'BaseModel', 'ClusterBaseModel', 'ServingRuntime', 'ClusterServingRuntime'])

export function kindRef(kind: string) {
  const info = registry.kinds.find((k) => k.kind === kind && (!OME_KINDS.has(kind) || k.group === 'ome.io'))
  if (!info) throw new Error(`unknown kind ${kind}`)
  return info
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && !!o.kind)
}

export function readFixture(file: string): string {
  return readFileSync(join(fixturesDir(), 'ome', file), 'utf8')
}

export function createOmeHarness(opts: {nodes?: string; seed?: string; catalogDir?: string} = {}): OmeHarness {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1))
  const store = createStore({clock, seed: opts.seed ?? 'ome-test'})
  // The whole cluster: the legacy and NVIDIA tests use this harness for AIM objects too.
  const manager = createControllerManager({store, clock, seed: opts.seed ?? 'ome-test', nodes: opts.nodes ?? 'mi300x=2', catalogDir: opts.catalogDir, operators: ['aim', 'ome']})
  manager.start()
  const h: OmeHarness = {
    store,
    clock,
    manager,
    apply(input) {
      const objs = typeof input === 'string' ? parseManifests(input) : input
      const out: KubeObject[] = []
      for (const o of objs) {
        const info = registry.forKind(o.apiVersion, o.kind)!
        const ns = info.namespaced ? (o.metadata.namespace ?? 'default') : undefined
        const obj = {...o, metadata: {...o.metadata, ...(ns ? {namespace: ns} : {})}}
        const status = obj.status
        const existing = store.get(info, ns, obj.metadata.name!)
        const written = existing
          ? store.update({...obj, metadata: {...obj.metadata, resourceVersion: existing.metadata.resourceVersion}})
          : store.create(obj)
        if (status !== undefined && info.subresources.status) {
          store.mutate(info, ns, obj.metadata.name!, (x) => {
            x.status = status
          }, {subresource: 'status'})
        }
        out.push(written)
      }
      return out
    },
    applyFixture: (...files) => files.flatMap((f) => h.apply(readFixture(f))),
    get: (kind, namespace, name) => store.get(kindRef(kind), namespace, name),
    list: (kind, namespace, labelSelector) => store.list(kindRef(kind), {namespace, labelSelector}).items,
    settle: (ms = 30 * 60_000) => manager.settle(ms),
    conditions: (obj) => Object.fromEntries((obj?.status?.conditions ?? []).map((c: any) => [c.type, c.status])),
    events: (name) =>
      store
        .list(kindRef('Event'), {})
        .items.filter((e: any) => e.involvedObject?.name === name)
        .map((e: any) => `${e.type} ${e.reason}: ${e.message}`),
    stop: () => manager.stop(),
  }
  return h
}

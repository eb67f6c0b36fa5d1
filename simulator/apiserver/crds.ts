/**
 * CustomResourceDefinitions as apiextensions-apiserver treats them: creating one makes its
 * kinds served at once (discovery, OpenAPI, CRUD) and marks it NamesAccepted and Established,
 * so `kubectl apply -f crds.yaml && kubectl wait --for=condition=Established crd/…` works.
 * Kinds are added to a per-simulator DynamicRegistry (never the process-wide one); a deleted
 * CRD's kinds stay served until the simulator restarts.
 */
import {KindRegistry, type KindInfo, type PrinterColumn} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import type {Store, Watch} from '../store/types.js'

/** A KindRegistry whose kinds can grow while the simulator runs; listeners hear about each addition. */
export class DynamicRegistry extends KindRegistry {
  private listeners?: Set<() => void>

  constructor(kinds: KindInfo[]) {
    super([...kinds])
  }

  override add(info: KindInfo): void {
    super.add(info)
    if (!this.kinds.includes(info)) this.kinds.push(info)
    for (const listener of this.listeners ?? []) listener()
  }

  onChange(listener: () => void): () => void {
    this.listeners ??= new Set()
    this.listeners.add(listener)
    return () => this.listeners?.delete(listener)
  }
}

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The kinds a CRD serves, one per served version. */
export function kindsOfCrd(crd: KubeObject): KindInfo[] {
  const spec = (crd.spec ?? {}) as Any
  const names = (spec.names ?? {}) as Any
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string' || typeof names.plural !== 'string') return []
  return ((spec.versions ?? []) as Any[])
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => {
      const scale = v.subresources?.scale as Any | undefined
      return {
        group: spec.group,
        version: v.name,
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        plural: names.plural,
        singular: names.singular ?? String(names.kind).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        custom: true,
        subresources: {
          ...(v.subresources?.status ? {status: true} : {}),
          ...(scale ? {scale: {specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath}} : {}),
        },
        printerColumns: ((v.additionalPrinterColumns ?? []) as Any[]).map(
          (c): PrinterColumn => ({name: c.name, type: c.type, jsonPath: c.jsonPath, description: c.description, priority: c.priority, format: c.format}),
        ),
      }
    })
}

function condition(type: string, reason: string, message: string, now: string): Any {
  return {type, status: 'True', reason, message, lastTransitionTime: now}
}

/**
 * Watches CRDs in the store: registers their kinds and writes the Established status. Returns
 * the watch to stop with the server.
 */
export function serveCrds(store: Store, registry: DynamicRegistry, now: () => string): Watch {
  const crdInfo = registry.forResource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')
  if (!crdInfo) return {stop: () => {}}
  let stopped = false
  const pending = new Set<string>()
  const handle = (crd: KubeObject) => {
    for (const info of kindsOfCrd(crd)) {
      if (!registry.forResource(info.group, info.version, info.plural)) registry.add(info)
    }
    const conditions = (((crd.status ?? {}) as Any).conditions ?? []) as Any[]
    if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return
    const name = crd.metadata.name!
    if (pending.has(name)) return
    pending.add(name)
    // Not from inside the store's watch callback: write the status once the current write is done.
    setImmediate(() => {
      pending.delete(name)
      if (stopped || !store.get(crdInfo, undefined, name)) return
      const at = now()
      const spec = (crd.spec ?? {}) as Any
      store.mutate(
        crdInfo,
        undefined,
        name,
        (o) => ({
          ...o,
          status: {
            conditions: [condition('NamesAccepted', 'NoConflicts', 'no conflicts found', at), condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted', at)],
            acceptedNames: spec.names ?? {},
            storedVersions: ((spec.versions ?? []) as Any[]).filter((v) => v.storage).map((v) => v.name),
          },
        }),
        {subresource: 'status'},
      )
    })
  }
  const watch = store.watch(crdInfo, {}, (event) => {
    if (event.type === 'ADDED' || event.type === 'MODIFIED') handle(event.object)
  })
  return {
    stop: () => {
      stopped = true
      watch.stop()
    },
  }
}

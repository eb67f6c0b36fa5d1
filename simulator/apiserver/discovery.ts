/**
 * Discovery documents built from the kinds registry: aggregated (apidiscovery.k8s.io v2 and
 * v2beta1, one round trip) and legacy (APIVersions, APIGroupList, APIGroup, APIResourceList).
 * Built once per server and reused: they only change when the registry does.
 */
import {apiVersionOf, type KindInfo, type KindRegistry} from '../../src/api/registry.js'
import {parseMediaTypes} from './http.js'

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

export type AggregatedVersion = 'v2' | 'v2beta1'

/** Which aggregated-discovery version (if any) the Accept header asks for, in the client's order. */
export function wantsAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const r of parseMediaTypes(accept)) {
    if (r.type !== 'application/json') continue
    if (r.params.g === 'apidiscovery.k8s.io' && r.params.as === 'APIGroupDiscoveryList') {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v
      continue
    }
    if (!r.params.as) return undefined
  }
  return undefined
}

export function aggregatedContentType(v: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`
}

interface GroupVersions {
  group: string
  versions: Map<string, KindInfo[]>
}

function byGroup(kinds: KindInfo[]): GroupVersions[] {
  const groups = new Map<string, GroupVersions>()
  for (const info of kinds) {
    let g = groups.get(info.group)
    if (!g) {
      g = {group: info.group, versions: new Map()}
      groups.set(info.group, g)
    }
    const list = g.versions.get(info.version) ?? []
    list.push(info)
    g.versions.set(info.version, list)
  }
  return [...groups.values()]
}

function verbsOf(info: KindInfo): string[] {
  return info.verbs ?? ALL_VERBS
}

export class Discovery {
  private groups: GroupVersions[] = []
  /** Short names per kind, each advertised once: the first kind in the registry keeps it. */
  private readonly shortNames = new Map<KindInfo, string[]>()

  /** `extra`: served kinds that are not stored objects (the metrics API). */
  constructor(
    readonly registry: KindRegistry,
    private readonly extra: KindInfo[] = [],
  ) {
    this.refresh()
  }

  /** Rebuild after the registry grew (a CRD was created). */
  refresh(): void {
    const kinds = [...this.registry.kinds, ...this.extra]
    this.groups = byGroup(kinds)
    this.shortNames.clear()
    const taken = new Set<string>()
    for (const info of kinds) {
      const mine = info.shortNames.filter((s) => !taken.has(s))
      for (const s of mine) taken.add(s)
      this.shortNames.set(info, mine)
    }
  }

  private shortNamesOf(info: KindInfo): string[] {
    return this.shortNames.get(info) ?? info.shortNames
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.groups.some((g) => g.group === group && g.versions.has(version))
  }

  groupVersions(): Array<{group: string; version: string}> {
    return this.groups.flatMap((g) => [...g.versions.keys()].map((version) => ({group: g.group, version})))
  }

  /** `/api` (core only) or `/apis` (every named group) as an APIGroupDiscoveryList. */
  aggregated(core: boolean, v: AggregatedVersion): unknown {
    const items = this.groups
      .filter((g) => (g.group === '') === core)
      .map((g) => ({
        metadata: {name: g.group, creationTimestamp: null},
        versions: [...g.versions.entries()].map(([version, kinds]) => ({
          version,
          freshness: 'Current',
          resources: kinds.map((info) => this.aggregatedResource(info)),
        })),
      }))
    return {kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items}
  }

  private aggregatedResource(info: KindInfo): unknown {
    const responseKind = {group: info.group, version: info.version, kind: info.kind}
    const subresources: unknown[] = []
    if (info.subresources.status) {
      subresources.push({subresource: 'status', responseKind, verbs: ['get', 'patch', 'update']})
    }
    if (info.subresources.scale) {
      subresources.push({subresource: 'scale', responseKind: {group: 'autoscaling', version: 'v1', kind: 'Scale'}, verbs: ['get', 'patch', 'update']})
    }
    if (info.group === '' && info.plural === 'pods') {
      subresources.push({subresource: 'log', responseKind: {group: '', version: 'v1', kind: 'Pod'}, verbs: ['get']})
    }
    return {
      resource: info.plural,
      responseKind,
      scope: info.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: info.singular,
      verbs: verbsOf(info),
      ...(this.shortNamesOf(info).length > 0 ? {shortNames: this.shortNamesOf(info)} : {}),
      ...(info.categories.length > 0 ? {categories: info.categories} : {}),
      ...(subresources.length > 0 ? {subresources} : {}),
    }
  }

  /** Legacy `/api`. */
  apiVersions(serverAddress: string): unknown {
    return {
      kind: 'APIVersions',
      versions: this.groups.filter((g) => g.group === '').flatMap((g) => [...g.versions.keys()]),
      serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}],
    }
  }

  private apiGroup(g: GroupVersions): Record<string, unknown> {
    const versions = [...g.versions.keys()].map((version) => ({groupVersion: `${g.group}/${version}`, version}))
    return {name: g.group, versions, preferredVersion: versions[0]}
  }

  /** Legacy `/apis`. */
  apiGroupList(): unknown {
    return {kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups.filter((g) => g.group !== '').map((g) => this.apiGroup(g))}
  }

  /** Legacy `/apis/<group>`. */
  apiGroupDoc(group: string): unknown | undefined {
    const g = this.groups.find((x) => x.group === group && group !== '')
    return g ? {kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(g)} : undefined
  }

  /** `/api/v1` and `/apis/<group>/<version>` as an APIResourceList. */
  resourceList(group: string, version: string): unknown | undefined {
    const g = this.groups.find((x) => x.group === group)
    const kinds = g?.versions.get(version)
    if (!kinds) return undefined
    const resources: unknown[] = []
    for (const info of kinds) {
      resources.push({
        name: info.plural,
        singularName: info.singular,
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: verbsOf(info),
        ...(this.shortNamesOf(info).length > 0 ? {shortNames: this.shortNamesOf(info)} : {}),
        ...(info.categories.length > 0 ? {categories: info.categories} : {}),
        storageVersionHash: '',
      })
      if (info.subresources.status) {
        resources.push({name: `${info.plural}/status`, singularName: '', namespaced: info.namespaced, kind: info.kind, verbs: ['get', 'patch', 'update']})
      }
      if (info.subresources.scale) {
        resources.push({name: `${info.plural}/scale`, singularName: '', namespaced: info.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update']})
      }
      if (info.group === '' && info.plural === 'pods') {
        resources.push({name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get']})
      }
    }
    return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({group, version}), resources}
  }
}

/**
 * `kubectl aim cache …`: template caches with their artifacts, PVCs and the services that use them;
 * warming a template's cache; cleaning failed or unused Shared caches.
 */
import type {Condition, KubeObject} from '../api/object.js'
import {templateCacheName} from '../engine/naming.js'
import {K, AIM_API_VERSION, artifactsOfCache, field, type AIMService} from './aim.js'
import type {KubeClient, WatchHandle} from './client.js'
import {failure, usageError} from './errors.js'
import {artifactRow, type ArtifactRow} from './report.js'

export interface CacheArtifact extends Omit<ArtifactRow, 'mode'> {
  pvcPhase?: string
  pvcCapacity?: string
}

export interface CacheInfo {
  name: string
  namespace: string
  template?: string
  templateScope?: string
  mode: string
  status: string
  createdAt?: string
  owner?: string
  usedBy: string[]
  artifacts: CacheArtifact[]
  conditions: Condition[]
}

function cacheInfo(tc: KubeObject, artifacts: KubeObject[], pvcs: Map<string, KubeObject>, services: AIMService[]): CacheInfo {
  const name = tc.metadata.name ?? ''
  const ns = tc.metadata.namespace ?? ''
  const mine = artifactsOfCache(tc, name, artifacts.filter((a) => a.metadata.namespace === ns))
  const owner = tc.metadata.ownerReferences?.find((o) => o.controller) ?? tc.metadata.ownerReferences?.[0]
  return {
    name,
    namespace: ns,
    template: field<string>(tc, 'spec', 'templateName'),
    templateScope: field<string>(tc, 'spec', 'templateScope'),
    mode: field<string>(tc, 'spec', 'mode') ?? 'Shared',
    status: field<string>(tc, 'status', 'status') ?? 'Pending',
    createdAt: tc.metadata.creationTimestamp,
    owner: owner ? `${owner.kind.toLowerCase()}/${owner.name}` : undefined,
    usedBy: services
      .filter((s) => s.metadata.namespace === ns && s.status?.cache?.templateCacheRef?.name === name)
      .map((s) => s.metadata.name ?? '')
      .sort(),
    artifacts: mine
      .map((a) => {
        const pvcName = field<string>(a, 'status', 'persistentVolumeClaim')
        const pvc = pvcName ? pvcs.get(`${ns}/${pvcName}`) : undefined
        const {mode: _mode, ...row} = artifactRow(a)
        return {
          ...row,
          pvcPhase: field<string>(pvc, 'status', 'phase'),
          pvcCapacity: field<string>(pvc, 'status', 'capacity', 'storage') ?? field<string>(pvc, 'spec', 'resources', 'requests', 'storage'),
        }
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
    conditions: (field<Condition[]>(tc, 'status', 'conditions') ?? []),
  }
}

export async function listCaches(client: KubeClient, options: {namespace?: string; allNamespaces?: boolean}): Promise<CacheInfo[]> {
  const scope = {namespace: options.namespace, allNamespaces: options.allNamespaces}
  const [caches, artifacts, pvcs, services] = await Promise.all([
    client.list(K.templateCache, scope),
    client.list(K.artifact, scope),
    client.list(K.pvc, scope).catch(() => ({items: [] as KubeObject[]})),
    client.list<AIMService>(K.service, scope).catch(() => ({items: [] as AIMService[]})),
  ])
  const pvcMap = new Map(pvcs.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]))
  return caches.items
    .map((tc) => cacheInfo(tc, artifacts.items, pvcMap, services.items))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
}

export async function showCache(client: KubeClient, name: string, namespace: string): Promise<CacheInfo> {
  const tc = await client.get(K.templateCache, name, namespace)
  const [artifacts, pvcs, services] = await Promise.all([
    client.list(K.artifact, {namespace}),
    client.list(K.pvc, {namespace}).catch(() => ({items: [] as KubeObject[]})),
    client.list<AIMService>(K.service, {namespace}).catch(() => ({items: [] as AIMService[]})),
  ])
  return cacheInfo(tc, artifacts.items, new Map(pvcs.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p])), services.items)
}

export function cachePercent(c: CacheInfo): number | undefined {
  if (!c.artifacts.length) return undefined
  return Math.round(c.artifacts.reduce((n, a) => n + (a.percentage ?? 0), 0) / c.artifacts.length)
}

/** Create (or find) the Shared AIMTemplateCache of a template. */
export async function warmCache(client: KubeClient, template: string, namespace: string, dryRun?: 'client' | 'server'): Promise<{action: 'created' | 'unchanged'; cache: KubeObject}> {
  const nsTemplate = await client.tryGet(K.template, template, namespace)
  const clTemplate = nsTemplate ? undefined : await client.tryGet(K.clusterTemplate, template)
  if (!nsTemplate && !clTemplate) {
    throw usageError(`template "${template}" not found in namespace ${namespace} or cluster scope`, `list templates: kubectl get aimservicetemplates -n ${namespace}; kubectl get aimclusterservicetemplates`)
  }
  const scope = nsTemplate ? 'Namespace' : 'Cluster'
  const name = templateCacheName(template, {namespace}, 'Shared')
  const existing = await client.tryGet(K.templateCache, name, namespace)
  if (existing) return {action: 'unchanged', cache: existing}
  // A Shared cache for this template under another name (e.g. created by a service) counts too.
  const others = await client.list(K.templateCache, {namespace})
  const same = others.items.find((c) => field(c, 'spec', 'templateName') === template && (field<string>(c, 'spec', 'mode') ?? 'Shared') === 'Shared')
  if (same) return {action: 'unchanged', cache: same}
  const cache: KubeObject = {
    apiVersion: AIM_API_VERSION,
    kind: 'AIMTemplateCache',
    metadata: {name, namespace, labels: {'app.kubernetes.io/managed-by': 'kubectl-aim'}},
    spec: {templateName: template, templateScope: scope, mode: 'Shared'},
  }
  if (dryRun === 'client') return {action: 'created', cache}
  return {action: 'created', cache: await client.create(cache, {dryRun: dryRun === 'server'})}
}

/** Follows a cache until Ready (progress % from its artifacts); throws on Failed or timeout. */
export async function waitForCache(client: KubeClient, name: string, namespace: string, timeoutMs: number, onProgress: (info: CacheInfo) => void): Promise<CacheInfo> {
  let info = await showCache(client, name, namespace)
  onProgress(info)
  if (info.status === 'Ready') return info
  if (info.status === 'Failed') throw cacheFailed(info)
  return await new Promise<CacheInfo>((resolve, reject) => {
    const handles: WatchHandle[] = []
    let finished = false
    let busy = false
    let again = false
    const done = (err?: unknown) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      for (const h of handles) h.stop()
      if (err) reject(err)
      else resolve(info)
    }
    const timer = setTimeout(() => done(failure(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for aimtemplatecache/${name} (${info.status}${cachePercent(info) !== undefined ? `, ${cachePercent(info)}%` : ''})`, `look closer: kubectl aim cache show ${name} -n ${namespace}`)), timeoutMs)
    const refresh = async () => {
      if (busy) {
        again = true
        return
      }
      busy = true
      try {
        info = await showCache(client, name, namespace)
        onProgress(info)
        if (info.status === 'Ready') done()
        else if (info.status === 'Failed') done(cacheFailed(info))
      } catch (err) {
        done(err)
      } finally {
        busy = false
        if (again && !finished) {
          again = false
          void refresh()
        }
      }
    }
    for (const kind of [K.templateCache, K.artifact]) {
      client
        .watch(kind, {namespace}, () => void refresh())
        .then((h) => {
          if (finished) h.stop()
          else handles.push(h)
          h.done.catch((e) => done(e))
        })
        .catch((e) => done(e))
    }
    void refresh()
  })
}

function cacheFailed(info: CacheInfo): Error {
  const bad = info.conditions.find((c) => c.status === 'False' && c.type !== 'Ready') ?? info.conditions.find((c) => c.status === 'False')
  return failure(`aimtemplatecache/${info.name} failed${bad ? `: ${bad.type} reason ${bad.reason ?? ''}${bad.message ? `: ${bad.message}` : ''}` : ''}`, `look closer: kubectl aim cache show ${info.name} -n ${info.namespace}`)
}

/** Caches `clean` removes: Shared (no owner) and either Failed or used by no service. */
export function cleanable(caches: CacheInfo[]): Array<CacheInfo & {why: string}> {
  return caches
    .filter((c) => c.mode === 'Shared' && !c.owner)
    .flatMap((c) => (c.status === 'Failed' ? [{...c, why: 'Failed'}] : c.usedBy.length === 0 ? [{...c, why: 'unused'}] : []))
}

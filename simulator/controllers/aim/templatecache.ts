/**
 * AIMTemplateCache (reference §6.2): one AIMArtifact per model source of the template, reusing
 * matching artifacts with mode isolation (Shared uses only unowned artifacts, Dedicated only its
 * own), and a finalizer that removes the non-Ready artifacts on delete.
 */
import {labels as L, finalizers} from '../../../src/api/labels.js'
import {artifactName} from '../../../src/engine/naming.js'
import type {Health} from '../../../src/engine/types.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {
  AIM_API_VERSION,
  R,
  applyChild,
  clone,
  deleteIfExists,
  ensureFinalizer,
  get,
  isDeleting,
  isPaused,
  isOwnedBy,
  list,
  removeFinalizer,
  runtimeConfigWatches,
  writeStatus,
  type Obj,
} from './common.js'
import {finishStatus, type Component} from './health.js'
import {mergeEnv} from '../../../src/engine/env.js'
import {resolveRuntimeConfig, runtimeConfigComponent} from './runtimeconfig.js'
import {onlyStatusChangedBut} from '../../store/util.js'

export const TEMPLATE_CACHE_FINALIZER = finalizers.templateCacheArtifactCleanup
export const TEMPLATE_CACHE_LABEL = L.templateCacheName
const CONTROLLER = 'template-cache'

const RANK: Record<string, number> = {Ready: 0, Progressing: 1, Pending: 2, Degraded: 3, NotAvailable: 4, Failed: 5}
const rank = (s: string | undefined) => RANK[s ?? 'Pending'] ?? 6

/**
 * What a template cache reads from an artifact, as one comparable string: identity, labels, owners,
 * deletion, spec, status.status, the claim and the Ready condition's reason.
 */
function artifactView(a: Obj): string {
  const m = a.metadata
  const ready = ((a.status?.conditions ?? []) as Array<{type: string; reason?: string}>).find((c) => c.type === 'Ready')?.reason
  return JSON.stringify([m.name, m.uid, m.labels, m.ownerReferences, m.deletionTimestamp, a.spec, a.status?.status, a.status?.persistentVolumeClaim, ready])
}

/**
 * Whether a (cluster) template changed only in status a cache does not read: a cache reads its
 * status.status (templateHealthForCache, the artifacts' health) and status.modelSources.
 */
function templateUnchangedForCache(t: Obj, old: Obj | undefined, ctx: ReconcileContext): boolean {
  return (
    !!old &&
    onlyStatusChangedBut(old, t, (o) => [o.status?.status, o.status?.modelSources]) &&
    !!get(ctx, t.metadata.namespace ? R.template : R.clusterTemplate, t.metadata.namespace, t.metadata.name!)
  )
}

export function templateCacheReconciler(): Reconciler {
  return {
    name: `aim-${CONTROLLER}-controller`,
    for: R.templateCache,
    // A cache reads of its own status only the previous conditions: its status write needs no second pass.
    ownStatusWritesSettle: true,
    // A Dedicated cache owns its artifacts: the same changes count through the owner reference as
    // through the artifact watch below.
    ownedChanged: (child, old, ctx) => {
      if (child.kind !== 'AIMArtifact') return true
      const now = creating
      if (!old) return !(now && now.namespace === child.metadata.namespace && child.metadata.labels?.[TEMPLATE_CACHE_LABEL] === now.name)
      return artifactView(old as Obj) !== artifactView(child as Obj) || !get(ctx, R.artifact, child.metadata.namespace, child.metadata.name!)
    },
    watches: [
      ...runtimeConfigWatches(R.templateCache),
      {
        kind: R.artifact,
        map: (a, ctx, old) => {
          // Download progress and other status a cache does not read enqueue nothing.
          if (old && artifactView(old) === artifactView(a) && get(ctx, R.artifact, a.metadata.namespace, a.metadata.name!)) return []
          // The cache creating this artifact right now lists it already (as the create returned it).
          const now = creating
          const creator = !old && now && now.namespace === a.metadata.namespace ? now.name : undefined
          // Any cache in the namespace whose template uses this source may reuse the artifact; so may one
          // that lists it already, was labelled its creator, is being deleted, or has no template yet.
          const caches = list(ctx, R.templateCache, {namespace: a.metadata.namespace}).filter((c) => {
            if (c.metadata.name === creator) return false
            if (isDeleting(c) || a.metadata.labels?.[TEMPLATE_CACHE_LABEL] === c.metadata.name || c.status?.artifacts?.[a.metadata.name!]) return true
            const {template} = findTemplate(ctx, c)
            const sources: any[] | undefined = template?.status?.modelSources
            return !sources || sources.some((s) => s?.sourceUri === (a as Obj).spec?.sourceUri)
          })
          return caches.map((c) => ({namespace: c.metadata.namespace, name: c.metadata.name!}))
        },
      },
      {
        kind: R.template,
        map: (t, ctx, old) =>
          templateUnchangedForCache(t, old, ctx)
            ? []
            : list(ctx, R.templateCache, {namespace: t.metadata.namespace})
                .filter((c) => c.spec?.templateName === t.metadata.name)
                .map((c) => ({namespace: c.metadata.namespace, name: c.metadata.name!})),
      },
      {
        kind: R.clusterTemplate,
        map: (t, ctx, old) =>
          templateUnchangedForCache(t, old, ctx)
            ? []
            : list(ctx, R.templateCache)
                .filter((c) => c.spec?.templateName === t.metadata.name)
                .map((c) => ({namespace: c.metadata.namespace, name: c.metadata.name!})),
      },
    ],
    reconcile: reconcileTemplateCache,
  }
}

function findTemplate(ctx: ReconcileContext, tc: Obj): {template?: Obj; kind?: string; cluster: boolean} {
  const scope = tc.spec?.templateScope
  const name = tc.spec?.templateName
  if (scope !== 'Cluster') {
    const t = get(ctx, R.template, tc.metadata.namespace, name)
    if (t) return {template: t, kind: 'AIMServiceTemplate', cluster: false}
    if (scope === 'Namespace') return {cluster: false}
  }
  const c = get(ctx, R.clusterTemplate, undefined, name)
  return c ? {template: c, kind: 'AIMClusterServiceTemplate', cluster: true} : {cluster: scope === 'Cluster'}
}

/** The cache whose artifacts the reconcile in progress is creating. */
let creating: ObjectKey | undefined

function reconcileTemplateCache(key: ObjectKey, ctx: ReconcileContext) {
  creating = key
  try {
    return reconcileOneTemplateCache(key, ctx)
  } finally {
    creating = undefined
  }
}

function reconcileOneTemplateCache(key: ObjectKey, ctx: ReconcileContext) {
  const tc = get(ctx, R.templateCache, key.namespace, key.name)
  if (!tc || isPaused(tc)) return
  const artifacts = list(ctx, R.artifact, {namespace: key.namespace})
  if (isDeleting(tc)) {
    for (const a of artifacts) {
      if (a.metadata.labels?.[TEMPLATE_CACHE_LABEL] === key.name && a.status?.status !== 'Ready') deleteIfExists(ctx, R.artifact, key.namespace, a.metadata.name!)
    }
    removeFinalizer(ctx, R.templateCache, tc, TEMPLATE_CACHE_FINALIZER)
    return
  }
  // Adding the finalizer is a metadata change: its watch event reconciles the cache again.
  if (ensureFinalizer(ctx, R.templateCache, tc, TEMPLATE_CACHE_FINALIZER)) return
  const spec = tc.spec ?? {}
  const mode: 'Shared' | 'Dedicated' = spec.mode === 'Dedicated' ? 'Dedicated' : 'Shared'
  const components: Component[] = []
  const rc = resolveRuntimeConfig(ctx, key.namespace, spec.runtimeConfigName)
  const rcComp = runtimeConfigComponent(rc)
  if (rcComp) components.push(rcComp)

  const {template, kind} = findTemplate(ctx, tc)
  components.push({name: 'ServiceTemplate', health: templateHealthForCache(template, spec.templateName), dependency: 'upstream'})
  const status: Record<string, any> = {}
  if (kind) status.resolvedTemplateKind = kind

  const entries: Record<string, any> = {}
  const sources: any[] = template?.status?.modelSources ?? []
  if (template) {
    sources.forEach((source, index) => {
      const usable = artifacts.filter(
        (a) =>
          a.status?.status &&
          a.spec?.sourceUri === source.sourceUri &&
          (!spec.storageClassName || a.spec?.storageClassName === spec.storageClassName) &&
          (mode === 'Shared' ? (a.metadata.ownerReferences ?? []).length === 0 : isOwnedBy(a, tc)),
      )
      let artifact = usable.sort((a, b) => rank(a.status?.status) - rank(b.status?.status) || a.metadata.name!.localeCompare(b.metadata.name!))[0]
      if (!artifact) {
        const env = mergeEnv(spec.env, source.env)
        const name = artifactName({sourceUri: source.sourceUri, env, storageClassName: spec.storageClassName, mode, cacheName: tc.metadata.name})
        artifact = applyChild(
          ctx,
          {
            apiVersion: AIM_API_VERSION,
            kind: 'AIMArtifact',
            metadata: {
              name,
              namespace: key.namespace,
              labels: {
                [L.templateCreated]: 'true',
                // Seed 002 troubleshooting: `kubectl get aimartifact -l aim.eai.amd.com/template=<template-name>`.
                [L.template]: spec.templateName,
                [L.templateName]: spec.templateName,
                [L.templateScope]: kind === 'AIMClusterServiceTemplate' ? 'Cluster' : 'Namespace',
                [L.templateIndex]: String(index),
                [TEMPLATE_CACHE_LABEL]: tc.metadata.name!,
              },
            },
            spec: {
              sourceUri: source.sourceUri,
              modelId: source.modelId,
              size: source.size ?? 0,
              ...(spec.storageClassName ? {storageClassName: spec.storageClassName} : {}),
              ...(env.length ? {env: clone(env)} : {}),
              ...(spec.runtimeConfigName ? {runtimeConfigName: spec.runtimeConfigName} : {}),
            },
          },
          {controller: CONTROLLER, parent: tc, owner: mode === 'Dedicated' ? tc : undefined, fields: []},
        )
      }
      entries[artifact.metadata.name!] = {
        uid: artifact.metadata.uid,
        name: artifact.metadata.name,
        model: source.modelId,
        status: artifact.status?.status ?? 'Pending',
        ...(artifact.status?.persistentVolumeClaim ? {persistentVolumeClaim: artifact.status.persistentVolumeClaim} : {}),
      }
    })
  }
  status.artifacts = entries

  const list_ = Object.values(entries)
  let artifactsHealth: Health
  if (!template || template.status?.status !== 'Ready') {
    artifactsHealth = {state: 'Pending', reason: 'CreatingCaches', message: 'Waiting for the AIM artifacts to be created'}
  } else if (sources.length === 0) {
    artifactsHealth = {state: 'Ready', reason: 'NoCaches', message: 'The template has no model sources to cache'}
  } else if (list_.every((e) => e.status === 'Ready')) {
    artifactsHealth = {state: 'Ready', reason: 'AllCachesReady', message: 'All caches are ready'}
  } else {
    const worst = list_.sort((a, b) => rank(b.status) - rank(a.status))[0]
    const notReady = list_.filter((e) => e.status !== 'Ready').map((e) => `${e.name} (${e.status})`)
    const state = (worst.status === 'Pending' ? 'Progressing' : worst.status) as Health['state']
    const art = artifacts.find((a) => a.metadata.name === worst.name)
    const readyReason = (art?.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.reason ?? 'CachesNotReady'
    artifactsHealth = {state, reason: readyReason, message: `One or more caches are not ready: ${notReady.join(', ')}`}
  }
  components.push({name: 'Artifacts', health: artifactsHealth, dependency: 'downstream'})

  const result = finishStatus(components, 'other', undefined, tc.status?.conditions)
  const overall = template?.status?.status === 'NotAvailable' && result.status !== 'Failed' ? 'NotAvailable' : result.status
  writeStatus(ctx, R.templateCache, tc, {...status, status: overall}, result.conditions, `aim-${CONTROLLER}-controller`)
  return undefined
}

function templateHealthForCache(template: Obj | undefined, name: string): Health {
  if (!template) return {state: 'Failed', reason: 'ReferenceNotFound', message: `Template ${name} not found`, error: 'MissingUpstreamDependency'}
  const st = template.status?.status ?? 'Pending'
  if (st === 'Ready') return {state: 'Ready', reason: 'TemplateReady', message: `Template ${name} is ready`}
  if (st === 'NotAvailable') return {state: 'NotAvailable', reason: 'TemplateNotAvailable', message: `Template ${name} is not available`}
  if (st === 'Failed' || st === 'Degraded') return {state: 'Failed', reason: 'TemplateFailed', message: `Template ${name} is ${st}`}
  return {state: 'Pending', reason: 'TemplateNotReady', message: `Template ${name} is not ready yet`}
}

/**
 * AIMRuntimeConfig / AIMClusterRuntimeConfig: the merged runtime config every AIM reconciler reads
 * (reference §1 phase 2), and the configs' own reconciler (status conditions only).
 */
import type {KindInfo} from '../../../src/api/registry.js'
import type {Health} from '../../../src/engine/types.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {R, get, isDeleting, isPaused, writeStatus, type Obj} from './common.js'
import type {Component} from './health.js'
import {resolveRuntimeConfig as engineResolveRuntimeConfig} from '../../../src/engine/config.js'

export interface ResolvedRuntimeConfig {
  name: string
  /** Merged spec (namespaced wins); empty when no config exists. */
  spec: Record<string, any>
  namespaced?: Obj
  cluster?: Obj
  resolved?: {name: string; namespace?: string; scope: string; kind: string; uid?: string}
  /** Set when resolution failed (ConfigNotFound). */
  health?: Health
  /** Set when a config exists (RuntimeConfigResolved). */
  ready?: Health
}

/**
 * The namespaced `AIMRuntimeConfig` and `AIMClusterRuntimeConfig` of that name (default `default`),
 * merged by the engine's resolveRuntimeConfig (namespaced wins; env merged by name).
 */
export function resolveRuntimeConfig(ctx: ReconcileContext, namespace: string | undefined, configName: string | undefined): ResolvedRuntimeConfig {
  const name = configName || 'default'
  const namespaced = namespace ? get(ctx, R.runtimeConfig, namespace, name) : undefined
  const cluster = get(ctx, R.clusterRuntimeConfig, undefined, name)
  const r = engineResolveRuntimeConfig(name, namespaced, cluster)
  if (!r.ok) return {name, spec: {}, health: r.health}
  return {name, spec: (r.config ?? {}) as Record<string, any>, namespaced, cluster, ...(r.ref ? {resolved: r.ref} : {}), ...(r.ref ? {ready: r.health} : {})}
}

/** The RuntimeConfig component: present only when a config exists or resolution failed. */
export function runtimeConfigComponent(rc: ResolvedRuntimeConfig): Component | undefined {
  if (rc.health) return {name: 'RuntimeConfig', health: rc.health, dependency: 'upstream'}
  if (!rc.resolved) return undefined
  return {name: 'RuntimeConfig', health: rc.ready ?? {state: 'Ready', reason: 'RuntimeConfigResolved', message: `RuntimeConfig ${rc.name} resolved`}, dependency: 'upstream'}
}

export function runtimeConfigReconciler(cluster: boolean): Reconciler {
  const info: KindInfo = cluster ? R.clusterRuntimeConfig : R.runtimeConfig
  const name = cluster ? 'aim-cluster-runtime-config-controller' : 'aim-runtime-config-controller'
  return {
    name,
    for: info,
    reconcile(key: ObjectKey, ctx: ReconcileContext) {
      const obj = get(ctx, info, key.namespace, key.name)
      if (!obj || isDeleting(obj) || isPaused(obj)) return
      const spec = obj.spec ?? {}
      const routing = spec.routing ?? {}
      const problems: string[] = []
      if (routing.enabled === true && !routing.gatewayRef?.name) problems.push('routing is enabled but routing.gatewayRef is not set')
      const headroom = spec.storage?.pvcHeadroomPercent ?? spec.pvcHeadroomPercent
      if (headroom !== undefined && (typeof headroom !== 'number' || headroom < 0)) problems.push('storage.pvcHeadroomPercent must be a non-negative integer')
      const ready = problems.length === 0
      const {observedGeneration: _g, conditions: _c, ...rest} = obj.status ?? {}
      writeStatus(
        ctx,
        info,
        obj,
        rest,
        [
          ready
            ? {type: 'Ready', status: 'True', reason: 'RuntimeConfigReady', message: 'Runtime configuration is valid'}
            : {type: 'Ready', status: 'False', reason: 'InvalidSpec', message: problems.join('; ')},
        ],
        name,
      )
    },
  }
}

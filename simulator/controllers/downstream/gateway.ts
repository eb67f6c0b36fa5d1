/**
 * A Gateway API controller (kgateway-like): Gateways get Accepted/Programmed and an address;
 * HTTPRoutes whose parent Gateway exists get status.parents[] with Accepted and ResolvedRefs.
 * A route whose parent does not exist gets no status at all, as no controller owns it.
 */
import type {Condition, KubeObject} from '../../../src/api/object.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {clone, REF, setCondition, writeStatus} from './util.js'

export const CONTROLLER_NAME = 'kgateway.dev/kgateway'
const COMPONENT = 'kgateway'

interface ParentRef {
  group?: string
  kind?: string
  name: string
  namespace?: string
  sectionName?: string
  port?: number
}

interface RouteSpec {
  parentRefs?: ParentRef[]
  rules?: Array<{backendRefs?: Array<{group?: string; kind?: string; name: string; namespace?: string; port?: number}>}>
}

function routesFor(ctx: ReconcileContext, match: (route: KubeObject) => boolean): ObjectKey[] {
  return ctx.store
    .list(REF.httproutes)
    .items.filter(match)
    .map((r) => ({namespace: r.metadata.namespace, name: r.metadata.name ?? ''}))
}

export function gatewayReconciler(): Reconciler {
  return {
    name: 'gateway-controller',
    for: REF.gateways,
    watches: [{kind: REF.httproutes, map: (obj) => ((obj.spec as RouteSpec | undefined)?.parentRefs ?? []).map((p) => ({namespace: p.namespace ?? obj.metadata.namespace, name: p.name}))}],
    reconcile(key, ctx) {
      const gw = ctx.store.get(REF.gateways, key.namespace, key.name)
      if (!gw || gw.metadata.deletionTimestamp) return
      const now = ctx.clock.nowISO()
      const generation = gw.metadata.generation ?? 1
      const status = clone((gw.status ?? {}) as Record<string, unknown> & {conditions?: Array<Condition & Record<string, unknown>>})
      const conditions = status.conditions ?? []
      setCondition(conditions, {type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: generation}, now)
      setCondition(conditions, {type: 'Programmed', status: 'True', reason: 'Programmed', message: '', observedGeneration: generation}, now)
      status.conditions = conditions
      let h = 0
      for (const ch of `${key.namespace}/${key.name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0
      status.addresses = [{type: 'IPAddress', value: `172.18.255.${(h % 200) + 10}`}]
      const routes = ctx.store.list(REF.httproutes).items.filter((r) =>
        ((r.spec as RouteSpec | undefined)?.parentRefs ?? []).some((p) => p.name === key.name && (p.namespace ?? r.metadata.namespace) === key.namespace),
      )
      const listeners = ((gw.spec as {listeners?: Array<{name: string; protocol?: string}>} | undefined)?.listeners ?? []).map((l) => ({
        name: l.name,
        attachedRoutes: routes.length,
        supportedKinds: [{group: 'gateway.networking.k8s.io', kind: 'HTTPRoute'}],
        conditions: [
          {type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: generation, lastTransitionTime: now},
          {type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: '', observedGeneration: generation, lastTransitionTime: now},
          {type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '', observedGeneration: generation, lastTransitionTime: now},
          {type: 'Programmed', status: 'True', reason: 'Programmed', message: '', observedGeneration: generation, lastTransitionTime: now},
        ],
      }))
      // Keep listener condition times stable across reconciles.
      const previous = (gw.status as {listeners?: Array<{name: string; conditions?: Array<{type: string; lastTransitionTime?: string}>}>} | undefined)?.listeners ?? []
      for (const l of listeners) {
        const prev = previous.find((p) => p.name === l.name)
        for (const c of l.conditions) {
          const pc = prev?.conditions?.find((x) => x.type === c.type)
          if (pc?.lastTransitionTime) c.lastTransitionTime = pc.lastTransitionTime
        }
      }
      status.listeners = listeners
      writeStatus(ctx.store, REF.gateways, gw, status, COMPONENT)
    },
  }
}

export function httpRouteReconciler(): Reconciler {
  return {
    name: 'httproute-controller',
    for: REF.httproutes,
    watches: [
      {kind: REF.gateways, map: (obj, ctx) => routesFor(ctx, (r) => ((r.spec as RouteSpec | undefined)?.parentRefs ?? []).some((p) => p.name === obj.metadata.name && (p.namespace ?? r.metadata.namespace) === obj.metadata.namespace))},
      {kind: REF.services, map: (obj, ctx) => routesFor(ctx, (r) => r.metadata.namespace === obj.metadata.namespace && ((r.spec as RouteSpec | undefined)?.rules ?? []).some((rule) => (rule.backendRefs ?? []).some((b) => b.name === obj.metadata.name)))},
    ],
    reconcile(key, ctx) {
      const route = ctx.store.get(REF.httproutes, key.namespace, key.name)
      if (!route || route.metadata.deletionTimestamp) return
      const now = ctx.clock.nowISO()
      const generation = route.metadata.generation ?? 1
      const spec = (route.spec ?? {}) as RouteSpec
      const previous = ((route.status as {parents?: Array<Record<string, unknown> & {parentRef: ParentRef; conditions?: Array<Condition & Record<string, unknown>>}>} | undefined)?.parents ?? [])
      const parents: Array<Record<string, unknown>> = []
      // Backends: every Service referenced must exist.
      let missing: string | undefined
      for (const rule of spec.rules ?? []) {
        for (const b of rule.backendRefs ?? []) {
          if ((b.kind ?? 'Service') !== 'Service') continue
          if (!ctx.store.get(REF.services, b.namespace ?? key.namespace, b.name)) missing ??= `Service "${b.name}" not found`
        }
      }
      for (const parent of spec.parentRefs ?? []) {
        if ((parent.kind ?? 'Gateway') !== 'Gateway') continue
        const ns = parent.namespace ?? key.namespace
        const gw = ctx.store.get(REF.gateways, ns, parent.name)
        if (!gw) continue
        const prev = previous.find((p) => p.parentRef.name === parent.name && (p.parentRef.namespace ?? key.namespace) === ns)
        const conditions = clone(prev?.conditions ?? [])
        const allowed = ((gw.spec as {listeners?: Array<{allowedRoutes?: {namespaces?: {from?: string}}}>} | undefined)?.listeners ?? []).some((l) => {
          const from = l.allowedRoutes?.namespaces?.from ?? 'Same'
          return from === 'All' || (from === 'Same' && ns === key.namespace) || from === 'Selector'
        })
        setCondition(
          conditions,
          allowed
            ? {type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: generation}
            : {type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', message: `No listener of Gateway ${ns}/${parent.name} allows routes from namespace ${key.namespace}`, observedGeneration: generation},
          now,
        )
        setCondition(
          conditions,
          missing
            ? {type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: missing, observedGeneration: generation}
            : {type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '', observedGeneration: generation},
          now,
        )
        parents.push({
          parentRef: {group: 'gateway.networking.k8s.io', kind: 'Gateway', name: parent.name, namespace: ns, ...(parent.sectionName ? {sectionName: parent.sectionName} : {})},
          controllerName: CONTROLLER_NAME,
          conditions,
        })
      }
      if (parents.length === 0 && previous.length === 0) return
      writeStatus(ctx.store, REF.httproutes, route, {parents}, COMPONENT)
    },
  }
}

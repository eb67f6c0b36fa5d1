/**
 * A stand-in for metrics-server: the `metrics.k8s.io/v1beta1` aggregated API (PodMetrics,
 * NodeMetrics) that `kubectl top pods|nodes` reads. Local adapter: the kinds are not in the
 * registry because they are not stored objects; values are computed on each request from the
 * pods in the store (usage = a fixed share of each running container's requests, or an injected
 * function), so they are deterministic.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {errors} from '../../src/api/status.js'
import {parseQuantity} from '../../src/engine/quantity.js'
import type {ServerContext} from './context.js'
import {sendJson} from './http.js'

export const METRICS_GROUP = 'metrics.k8s.io'
export const METRICS_VERSION = 'v1beta1'

const base = {group: METRICS_GROUP, version: METRICS_VERSION, custom: false, shortNames: [], categories: [], subresources: {}, printerColumns: [], verbs: ['get', 'list']}

/** Discovery entries for the metrics API (served here, not stored). */
export const METRICS_KINDS: KindInfo[] = [
  {...base, kind: 'PodMetrics', listKind: 'PodMetricsList', plural: 'pods', singular: '', namespaced: true},
  {...base, kind: 'NodeMetrics', listKind: 'NodeMetricsList', plural: 'nodes', singular: '', namespaced: false},
]

export interface ContainerUsage {
  cpu: number // cores
  memory: number // bytes
}

/** How busy a running container is; the default is a fixed share of its requests. */
export type UsageModel = (pod: KubeObject, container: {name: string; resources?: {requests?: Record<string, string>}}) => ContainerUsage

export const defaultUsage: UsageModel = (_pod, container) => {
  const cpu = parseQuantity(container.resources?.requests?.cpu) ?? 0.1
  const memory = parseQuantity(container.resources?.requests?.memory) ?? 64 * 2 ** 20
  return {cpu: cpu * 0.35, memory: memory * 0.75}
}

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const cpuText = (cores: number) => `${Math.round(cores * 1e9)}n`
const memText = (bytes: number) => `${Math.round(bytes / 1024)}Ki`

function running(pod: KubeObject): boolean {
  return (pod.status as Any | undefined)?.phase === 'Running' && !pod.metadata.deletionTimestamp
}

function podUsage(pod: KubeObject, model: UsageModel): Array<{name: string; usage: ContainerUsage}> {
  return (((pod.spec as Any | undefined)?.containers ?? []) as Any[]).map((c) => ({name: String(c.name), usage: model(pod, c as Parameters<UsageModel>[1])}))
}

export function serveMetrics(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, rest: string[], query: URLSearchParams, model: UsageModel = defaultUsage): void {
  if (req.method !== 'GET') throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
  const pods = ctx.registry.forResource('', 'v1', 'pods')!
  const nodes = ctx.registry.forResource('', 'v1', 'nodes')!
  const timestamp = new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const apiVersion = `${METRICS_GROUP}/${METRICS_VERSION}`
  let namespace: string | undefined
  let plural = rest[0]
  let name = rest[1]
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]
    plural = rest[2]
    name = rest[3]
  }
  const selectors = {labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined}

  if (plural === 'pods') {
    const podMetrics = (pod: KubeObject) => ({
      kind: 'PodMetrics',
      apiVersion,
      metadata: {name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: timestamp, labels: pod.metadata.labels},
      timestamp,
      window: '30s',
      containers: podUsage(pod, model).map((c) => ({name: c.name, usage: {cpu: cpuText(c.usage.cpu), memory: memText(c.usage.memory)}})),
    })
    if (name) {
      const pod = ctx.store.get(pods, namespace, name)
      if (!pod || !running(pod)) throw errors.notFound(METRICS_GROUP, 'pods', name)
      return sendJson(res, 200, podMetrics(pod))
    }
    const items = ctx.store.list(pods, {namespace, ...selectors}).items.filter(running).map(podMetrics)
    return sendJson(res, 200, {kind: 'PodMetricsList', apiVersion, metadata: {}, items})
  }
  if (plural === 'nodes' && namespace === undefined) {
    const allPods = ctx.store.list(pods, {}).items.filter(running)
    const nodeMetrics = (node: KubeObject) => {
      let cpu = 0.25
      let memory = 2 ** 30
      for (const pod of allPods) {
        if ((pod.spec as Any | undefined)?.nodeName !== node.metadata.name) continue
        for (const c of podUsage(pod, model)) {
          cpu += c.usage.cpu
          memory += c.usage.memory
        }
      }
      return {kind: 'NodeMetrics', apiVersion, metadata: {name: node.metadata.name, creationTimestamp: timestamp, labels: node.metadata.labels}, timestamp, window: '20s', usage: {cpu: cpuText(cpu), memory: memText(memory)}}
    }
    if (name) return sendJson(res, 200, nodeMetrics(ctx.store.get(nodes, undefined, name) ?? notFoundNode(name)))
    const items = ctx.store.list(nodes, selectors).items.map(nodeMetrics)
    return sendJson(res, 200, {kind: 'NodeMetricsList', apiVersion, metadata: {}, items})
  }
  throw errors.notFound(METRICS_GROUP, plural ?? '', name ?? '')
}

function notFoundNode(name: string): never {
  throw errors.notFound(METRICS_GROUP, 'nodes', name)
}

/**
 * Server-side Table output (meta.k8s.io/v1), as kube-apiserver produces it: `Name` plus the
 * registry's printer columns (JSONPath), or a hand-written column set for the built-in kinds
 * kubectl users know (Pods, Nodes, Deployments, Events, PVCs, Jobs, Services, HPAs…). Dates are
 * rendered here as human durations against the simulator's clock, as the real server does.
 */
import {apiVersionOf, type KindInfo, type PrinterColumn} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {evaluate} from './jsonpath.js'

export interface ColumnDefinition {
  name: string
  type: string
  format: string
  description: string
  priority: number
}

export type IncludeObject = 'Object' | 'Metadata' | 'None'

type Cell = string | number | boolean | null
type Row = (obj: KubeObject, now: number) => Cell[]

/** kube's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`
  if (minutes < 180) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`
  }
  return `${Math.floor(hours / 24 / 365)}y`
}

function since(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>'
  const t = Date.parse(timestamp)
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t)
}

function col(name: string, type = 'string', priority = 0, format = '', description = ''): ColumnDefinition {
  return {name, type, format, description, priority}
}

const NAME_COLUMN = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names')
const AGE_COLUMN = col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.')

// ---- generic (custom resources): Name + printer columns -----------------------------------

function printerCell(column: PrinterColumn, obj: KubeObject, now: number): Cell {
  const values = evaluate(column.jsonPath, obj)
  if (values.length === 0 || values[0] === undefined) return null
  const value = values[0]
  switch (column.type) {
    case 'string':
      return value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value)
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null
    case 'number':
      return typeof value === 'number' ? value : null
    case 'boolean':
      return typeof value === 'boolean' ? value : null
    case 'date':
      return typeof value === 'string' ? since(value, now) : null
  }
  return null
}

function genericPrinter(info: KindInfo): {columns: ColumnDefinition[]; row: Row} {
  const printer = info.printerColumns.length > 0 ? info.printerColumns : [{name: 'Age', type: 'date' as const, jsonPath: '.metadata.creationTimestamp'}]
  return {
    columns: [NAME_COLUMN, ...printer.map((c) => col(c.name, c.type, c.priority ?? 0, c.format ?? '', c.description ?? ''))],
    row: (obj, now) => [obj.metadata.name ?? '', ...printer.map((c) => printerCell(c, obj, now))],
  }
}

// ---- built-in kinds -------------------------------------------------------------------------

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const s = (obj: KubeObject): Any => (obj.spec ?? {}) as Any
const st = (obj: KubeObject): Any => (obj.status ?? {}) as Any
const orNone = (v: unknown): string => (v === undefined || v === null || v === '' ? '<none>' : String(v))
const age = (obj: KubeObject, now: number): string => since(obj.metadata.creationTimestamp, now)

function containers(obj: KubeObject): Any[] {
  const tpl = (s(obj).template?.spec?.containers ?? s(obj).jobTemplate?.spec?.template?.spec?.containers ?? []) as Any[]
  return tpl
}

function selectorText(selector: Any | undefined): string {
  if (!selector) return '<none>'
  const parts: string[] = []
  for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) parts.push(`${k}=${v}`)
  for (const e of (selector.matchExpressions ?? []) as Any[]) {
    const op = String(e.operator)
    if (op === 'Exists') parts.push(String(e.key))
    else if (op === 'DoesNotExist') parts.push(`!${e.key}`)
    else parts.push(`${e.key} ${op.toLowerCase()} (${(e.values ?? []).join(',')})`)
  }
  return parts.length > 0 ? parts.join(',') : '<none>'
}

function podStatusReason(pod: KubeObject): {reason: string; ready: number; total: number; restarts: number; lastRestart?: string} {
  const spec = s(pod)
  const status = st(pod)
  let reason: string = status.reason ?? status.phase ?? 'Pending'
  const total = ((spec.containers ?? []) as Any[]).length
  let ready = 0
  let restarts = 0
  let lastRestart: string | undefined
  let initializing = false
  const inits = (status.initContainerStatuses ?? []) as Any[]
  inits.forEach((c, i) => {
    restarts += Number(c.restartCount ?? 0)
    if (c.state?.terminated && c.state.terminated.exitCode === 0) return
    if (c.state?.terminated) reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`
    else reason = `Init:${i}/${((spec.initContainers ?? []) as Any[]).length}`
    initializing = true
  })
  if (!initializing) {
    let hasRunning = false
    for (const c of ((status.containerStatuses ?? []) as Any[]).slice().reverse()) {
      restarts += Number(c.restartCount ?? 0)
      const finishedAt = c.lastState?.terminated?.finishedAt
      if (finishedAt && (!lastRestart || finishedAt > lastRestart)) lastRestart = finishedAt
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`
      else if (c.ready && c.state?.running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = ((status.conditions ?? []) as Any[]).find((c) => c.type === 'Ready')
      reason = readyCond?.status === 'True' ? 'Running' : 'NotReady'
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
  return {reason, ready, total, restarts, lastRestart}
}

const podPrinter = {
  columns: [NAME_COLUMN, col('Ready', 'string', 0, '', 'The aggregate readiness state of this pod for accepting traffic.'), col('Status', 'string', 0, '', 'The aggregate status of the containers in this pod.'), col('Restarts', 'string', 0, '', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'), AGE_COLUMN, col('IP', 'string', 1, '', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'), col('Node', 'string', 1, '', 'NodeName is a request to schedule this pod onto a specific node.'), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
  row: (pod: KubeObject, now: number): Cell[] => {
    const p = podStatusReason(pod)
    const restarts = p.lastRestart ? `${p.restarts} (${since(p.lastRestart, now)} ago)` : String(p.restarts)
    const gates = (s(pod).readinessGates ?? []) as Any[]
    const conds = (st(pod).conditions ?? []) as Any[]
    const gateText = gates.length === 0 ? '<none>' : `${gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
    return [pod.metadata.name ?? '', `${p.ready}/${p.total}`, p.reason, restarts, age(pod, now), orNone(st(pod).podIP), orNone(s(pod).nodeName), orNone(st(pod).nominatedNodeName), gateText]
  },
}

const nodePrinter = {
  columns: [NAME_COLUMN, col('Status', 'string', 0, '', 'The status of the node'), col('Roles', 'string', 0, '', 'The roles of the node'), AGE_COLUMN, col('Version', 'string', 0, '', 'Kubelet Version reported by the node.'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
  row: (node: KubeObject, now: number): Cell[] => {
    const conds = (st(node).conditions ?? []) as Any[]
    const ready = conds.find((c) => c.type === 'Ready')
    const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown']
    if (s(node).unschedulable) parts.push('SchedulingDisabled')
    const roles = Object.keys(node.metadata.labels ?? {})
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length))
      .filter((r) => r !== '')
    const addr = (type: string) => orNone(((st(node).addresses ?? []) as Any[]).find((a) => a.type === type)?.address)
    const info = (st(node).nodeInfo ?? {}) as Any
    return [node.metadata.name ?? '', parts.join(','), roles.length > 0 ? roles.sort().join(',') : '<none>', age(node, now), orNone(info.kubeletVersion), addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>']
  },
}

const workloadWide = [col('Containers', 'string', 1, '', 'Names of each container in the template.'), col('Images', 'string', 1, '', 'Images referenced by each container in the template.'), col('Selector', 'string', 1, '', 'Label selector for pods.')]
const wide = (obj: KubeObject): Cell[] => [containers(obj).map((c) => c.name).join(','), containers(obj).map((c) => c.image).join(','), selectorText(s(obj).selector)]

const deploymentPrinter = {
  columns: [NAME_COLUMN, col('Ready', 'string', 0, '', 'Number of the pod with ready state'), col('Up-to-date', 'integer', 0, '', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'), col('Available', 'integer', 0, '', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), AGE_COLUMN, ...workloadWide],
  row: (d: KubeObject, now: number): Cell[] => [d.metadata.name ?? '', `${st(d).readyReplicas ?? 0}/${s(d).replicas ?? 1}`, st(d).updatedReplicas ?? 0, st(d).availableReplicas ?? 0, age(d, now), ...wide(d)],
}

const replicaSetPrinter = {
  columns: [NAME_COLUMN, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), AGE_COLUMN, ...workloadWide],
  row: (r: KubeObject, now: number): Cell[] => [r.metadata.name ?? '', s(r).replicas ?? 1, st(r).replicas ?? 0, st(r).readyReplicas ?? 0, age(r, now), ...wide(r)],
}

const statefulSetPrinter = {
  columns: [NAME_COLUMN, col('Ready', 'string'), AGE_COLUMN, col('Containers', 'string', 1), col('Images', 'string', 1)],
  row: (r: KubeObject, now: number): Cell[] => [r.metadata.name ?? '', `${st(r).readyReplicas ?? 0}/${s(r).replicas ?? 1}`, age(r, now), ...wide(r).slice(0, 2)],
}

function eventObject(ev: KubeObject): Any {
  return ((ev as Any).involvedObject ?? (ev as Any).regarding ?? {}) as Any
}

const eventPrinter = {
  columns: [col('Last Seen', 'string'), col('Type', 'string'), col('Reason', 'string'), col('Object', 'string'), col('Subobject', 'string', 1), col('Source', 'string', 1), col('Message', 'string'), col('First Seen', 'string', 1), col('Count', 'string', 1), col('Name', 'string', 1, 'name')],
  row: (ev: KubeObject, now: number): Cell[] => {
    const e = ev as Any
    const first = e.firstTimestamp ?? e.deprecatedFirstTimestamp ?? e.eventTime ?? ev.metadata.creationTimestamp
    const last = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.deprecatedLastTimestamp ?? e.eventTime ?? first
    const count = Number(e.series?.count ?? e.count ?? e.deprecatedCount ?? 1)
    const lastSeen = count > 1 ? `${since(last, now)} (x${count} over ${since(first, now)})` : since(last, now)
    const obj = eventObject(ev)
    const src = e.source ?? e.deprecatedSource
    const source = src?.component ? `${src.component}${src.host ? `, ${src.host}` : ''}` : e.reportingController ?? e.reportingComponent ?? ''
    return [lastSeen, e.type ?? '', e.reason ?? '', `${String(obj.kind ?? '').toLowerCase()}/${obj.name ?? ''}`, obj.fieldPath ?? '', source, String(e.message ?? e.note ?? '').trim(), since(first, now), String(count), ev.metadata.name ?? '']
  },
}

const ACCESS_MODES: Record<string, string> = {ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP'}
const accessModes = (modes: unknown): string => ((modes ?? []) as string[]).map((m) => ACCESS_MODES[m] ?? m).join(',')

const pvcPrinter = {
  columns: [NAME_COLUMN, col('Status', 'string'), col('Volume', 'string'), col('Capacity', 'string'), col('Access Modes', 'string'), col('StorageClass', 'string'), col('VolumeAttributesClass', 'string'), AGE_COLUMN, col('VolumeMode', 'string', 1)],
  row: (p: KubeObject, now: number): Cell[] => {
    const bound = Boolean(s(p).volumeName)
    return [p.metadata.name ?? '', p.metadata.deletionTimestamp ? 'Terminating' : st(p).phase ?? 'Pending', s(p).volumeName ?? '', bound ? st(p).capacity?.storage ?? '' : '', bound ? accessModes(st(p).accessModes) : '', s(p).storageClassName ?? '', s(p).volumeAttributesClassName ?? '<unset>', age(p, now), s(p).volumeMode ?? 'Filesystem']
  },
}

const pvPrinter = {
  columns: [NAME_COLUMN, col('Capacity', 'string'), col('Access Modes', 'string'), col('Reclaim Policy', 'string'), col('Status', 'string'), col('Claim', 'string'), col('StorageClass', 'string'), col('VolumeAttributesClass', 'string'), col('Reason', 'string'), AGE_COLUMN, col('VolumeMode', 'string', 1)],
  row: (p: KubeObject, now: number): Cell[] => {
    const claim = s(p).claimRef ? `${s(p).claimRef.namespace}/${s(p).claimRef.name}` : ''
    return [p.metadata.name ?? '', s(p).capacity?.storage ?? '', accessModes(s(p).accessModes), s(p).persistentVolumeReclaimPolicy ?? 'Retain', p.metadata.deletionTimestamp ? 'Terminating' : st(p).phase ?? 'Pending', claim, s(p).storageClassName ?? '', s(p).volumeAttributesClassName ?? '<unset>', st(p).reason ?? '', age(p, now), s(p).volumeMode ?? 'Filesystem']
  },
}

function jobStatus(j: KubeObject): string {
  const conds = (st(j).conditions ?? []) as Any[]
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True')
  if (has('Failed')) return 'Failed'
  if (has('Complete')) return 'Complete'
  if (has('Suspended')) return 'Suspended'
  if (has('FailureTarget')) return 'FailureTarget'
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet'
  if (j.metadata.deletionTimestamp) return 'Terminating'
  return 'Running'
}

const jobPrinter = {
  columns: [NAME_COLUMN, col('Status', 'string'), col('Completions', 'string'), col('Duration', 'string'), AGE_COLUMN, ...workloadWide],
  row: (j: KubeObject, now: number): Cell[] => {
    const completions = s(j).completions
    const done = `${st(j).succeeded ?? 0}/${completions ?? 1}`
    const start = st(j).startTime ? Date.parse(st(j).startTime) : undefined
    const end = st(j).completionTime ? Date.parse(st(j).completionTime) : now
    const duration = start === undefined ? '' : humanDuration(end - start)
    return [j.metadata.name ?? '', jobStatus(j), done, duration, age(j, now), ...wide(j)]
  },
}

const servicePrinter = {
  columns: [NAME_COLUMN, col('Type', 'string'), col('Cluster-IP', 'string'), col('External-IP', 'string'), col('Port(s)', 'string'), AGE_COLUMN, col('Selector', 'string', 1)],
  row: (svc: KubeObject, now: number): Cell[] => {
    const spec = s(svc)
    const type = spec.type ?? 'ClusterIP'
    let external = '<none>'
    if (type === 'ExternalName') external = spec.externalName ?? '<none>'
    else if (type === 'LoadBalancer') {
      const ips = ((st(svc).loadBalancer?.ingress ?? []) as Any[]).map((i) => i.ip ?? i.hostname).filter(Boolean)
      external = ips.length > 0 ? ips.join(',') : '<pending>'
    } else if ((spec.externalIPs ?? []).length > 0) external = spec.externalIPs.join(',')
    const ports = ((spec.ports ?? []) as Any[]).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',')
    const selector = Object.entries((spec.selector ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',')
    return [svc.metadata.name ?? '', type, spec.clusterIP ?? '<none>', external, ports === '' ? '<none>' : ports, age(svc, now), selector === '' ? '<none>' : selector]
  },
}

function hpaTargets(hpa: KubeObject): string {
  const metrics = (s(hpa).metrics ?? []) as Any[]
  const current = (st(hpa).currentMetrics ?? []) as Any[]
  if (metrics.length === 0) return '<none>'
  const parts = metrics.slice(0, 2).map((m, i) => {
    const cur = current[i]
    if (m.type === 'Resource') {
      const target = m.resource?.target ?? {}
      const name = m.resource?.name ?? ''
      if (target.averageUtilization !== undefined) {
        const c = cur?.resource?.current?.averageUtilization
        return `${name}: ${c === undefined ? '<unknown>' : `${c}%`}/${target.averageUtilization}%`
      }
      const c = cur?.resource?.current?.averageValue
      return `${name}: ${c ?? '<unknown>'}/${target.averageValue ?? target.value ?? '<unknown>'}`
    }
    const key = m.type === 'External' ? 'external' : m.type === 'Pods' ? 'pods' : 'object'
    const target = m[key]?.target ?? {}
    const c = cur?.[key]?.current
    const tv = target.averageValue ?? target.value ?? '<unknown>'
    const cv = c?.averageValue ?? c?.value ?? '<unknown>'
    return `${cv}/${tv}${target.averageValue !== undefined ? ' (avg)' : ''}`
  })
  return metrics.length > 2 ? `${parts.join(', ')} + ${metrics.length - 2} more...` : parts.join(', ')
}

const hpaPrinter = {
  columns: [NAME_COLUMN, col('Reference', 'string'), col('Targets', 'string'), col('MinPods', 'string'), col('MaxPods', 'string'), col('Replicas', 'string'), AGE_COLUMN],
  row: (h: KubeObject, now: number): Cell[] => [h.metadata.name ?? '', `${s(h).scaleTargetRef?.kind ?? ''}/${s(h).scaleTargetRef?.name ?? ''}`, hpaTargets(h), String(s(h).minReplicas ?? 1), String(s(h).maxReplicas ?? 0), String(st(h).currentReplicas ?? 0), age(h, now)],
}

const namespacePrinter = {
  columns: [NAME_COLUMN, col('Status', 'string'), AGE_COLUMN],
  row: (n: KubeObject, now: number): Cell[] => [n.metadata.name ?? '', st(n).phase ?? 'Active', age(n, now)],
}

const configMapPrinter = {
  columns: [NAME_COLUMN, col('Data', 'integer'), AGE_COLUMN],
  row: (c: KubeObject, now: number): Cell[] => [c.metadata.name ?? '', Object.keys((c as Any).data ?? {}).length + Object.keys((c as Any).binaryData ?? {}).length, age(c, now)],
}

const secretPrinter = {
  columns: [NAME_COLUMN, col('Type', 'string'), col('Data', 'integer'), AGE_COLUMN],
  row: (c: KubeObject, now: number): Cell[] => [c.metadata.name ?? '', (c as Any).type ?? 'Opaque', Object.keys((c as Any).data ?? {}).length + Object.keys((c as Any).stringData ?? {}).length, age(c, now)],
}

const storageClassPrinter = {
  columns: [NAME_COLUMN, col('Provisioner', 'string'), col('ReclaimPolicy', 'string'), col('VolumeBindingMode', 'string'), col('AllowVolumeExpansion', 'string'), AGE_COLUMN],
  row: (c: KubeObject, now: number): Cell[] => {
    const a = c as Any
    const isDefault = c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
    return [`${c.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`, a.provisioner ?? '', a.reclaimPolicy ?? 'Delete', a.volumeBindingMode ?? 'Immediate', String(a.allowVolumeExpansion ?? false), age(c, now)]
  },
}

const BUILTIN_PRINTERS: Record<string, {columns: ColumnDefinition[]; row: Row}> = {
  '/pods': podPrinter,
  '/nodes': nodePrinter,
  '/events': eventPrinter,
  'events.k8s.io/events': eventPrinter,
  '/persistentvolumeclaims': pvcPrinter,
  '/persistentvolumes': pvPrinter,
  '/services': servicePrinter,
  '/namespaces': namespacePrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'batch/jobs': jobPrinter,
  'autoscaling/horizontalpodautoscalers': hpaPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
}

const printerCache = new WeakMap<KindInfo, {columns: ColumnDefinition[]; row: Row}>()

export function printerFor(info: KindInfo): {columns: ColumnDefinition[]; row: Row} {
  let p = printerCache.get(info)
  if (!p) {
    p = (!info.custom && BUILTIN_PRINTERS[`${info.group}/${info.plural}`]) || genericPrinter(info)
    printerCache.set(info, p)
  }
  return p
}

function rowObject(info: KindInfo, obj: KubeObject, include: IncludeObject): Record<string, unknown> | undefined {
  if (include === 'None') return undefined
  if (include === 'Object') return {...obj, apiVersion: obj.apiVersion ?? apiVersionOf(info), kind: obj.kind ?? info.kind}
  return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata}
}

export interface TableOptions {
  now: number
  include: IncludeObject
  resourceVersion?: string
  continue?: string
  /** Leave columnDefinitions out (watch events after the first). */
  noHeaders?: boolean
}

export function toTable(info: KindInfo, objects: KubeObject[], options: TableOptions): Record<string, unknown> {
  const printer = printerFor(info)
  const rows = objects.map((obj) => {
    const object = rowObject(info, obj, options.include)
    return object ? {cells: printer.row(obj, options.now), object} : {cells: printer.row(obj, options.now)}
  })
  const metadata: Record<string, string> = {}
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion
  if (options.continue) metadata.continue = options.continue
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.noHeaders ? null : printer.columns,
    rows,
  }
}

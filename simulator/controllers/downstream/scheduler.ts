/**
 * The fake kube-scheduler: binds pending pods to nodes with resource accounting (cpu, memory,
 * amd.com/gpu, any extended resource), nodeSelector, required node affinity and NoSchedule taints,
 * and reports failures exactly as kube-scheduler 1.32 words them.
 */
import type {KubeObject} from '../../../src/api/object.js'
import {parseQuantity} from '../../../src/engine/quantity.js'
import {podRequests} from '../../../src/engine/resources.js'
import {nodeReady} from '../../cluster/nodes.js'
import type {ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import {getCondition, isTerminal, matchesRequirement, matchesSelector, REF, setCondition, stableJson, statusDraft, writeStatus, type PodLike, type PodStatus, type Requirement} from './util.js'

const COMPONENT = 'default-scheduler'

export {podRequests}

interface NodeAffinityTerm {
  matchExpressions?: Requirement[]
  matchFields?: Requirement[]
}

function matchesTerm(node: KubeObject, term: NodeAffinityTerm): boolean {
  const labels = node.metadata.labels ?? {}
  if (!(term.matchExpressions ?? []).every((e) => matchesRequirement(labels, e))) return false
  for (const f of term.matchFields ?? []) {
    if (f.key !== 'metadata.name') return false
    const inList = (f.values ?? []).includes(node.metadata.name ?? '')
    if ((f.operator === 'In' && !inList) || (f.operator === 'NotIn' && inList)) return false
  }
  return true
}

/** What the node filters read from a pod, read once per scheduling attempt rather than once per node. */
interface PodFilter {
  selector: Array<[string, string]>
  terms: NodeAffinityTerm[] | undefined
  tolerations: NonNullable<PodLike['spec']>['tolerations'] & object
}

function podFilter(pod: PodLike): PodFilter {
  const required = (pod.spec?.affinity as {nodeAffinity?: {requiredDuringSchedulingIgnoredDuringExecution?: {nodeSelectorTerms?: NodeAffinityTerm[]}}} | undefined)?.nodeAffinity
    ?.requiredDuringSchedulingIgnoredDuringExecution
  const terms = required?.nodeSelectorTerms ?? []
  return {
    selector: Object.entries(pod.spec?.nodeSelector ?? {}),
    terms: required && terms.length > 0 ? terms : undefined,
    tolerations: pod.spec?.tolerations ?? [],
  }
}

function matchesNodeSelectorAndAffinity(pod: PodFilter, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {}
  for (const [k, v] of pod.selector) if (labels[k] !== v) return false
  if (pod.terms && !pod.terms.some((t) => matchesTerm(node, t))) return false
  return true
}

type Taint = {key: string; value?: string; effect: string}
const NO_TAINTS: Taint[] = []

/** A node's NoSchedule and NoExecute taints, once per (frozen) node object. */
const taintsByNode = new WeakMap<KubeObject, Taint[]>()
function schedulingTaints(node: KubeObject): Taint[] {
  let taints = taintsByNode.get(node)
  if (taints) return taints
  const all = (node.spec as {taints?: Taint[]} | undefined)?.taints
  taints = all && all.length > 0 ? all.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') : NO_TAINTS
  if (Object.isFrozen(node)) taintsByNode.set(node, taints)
  return taints
}

function untoleratedTaint(pod: PodFilter, node: KubeObject): Taint | undefined {
  const taints = schedulingTaints(node)
  if (taints.length === 0) return undefined
  const tolerations = pod.tolerations
  return taints.find(
    (t) =>
      !tolerations.some(
        (tol) =>
          (tol.effect === undefined || tol.effect === '' || tol.effect === t.effect) &&
          ((tol.operator === 'Exists' && (tol.key === undefined || tol.key === '' || tol.key === t.key)) ||
            ((tol.operator ?? 'Equal') === 'Equal' && tol.key === t.key && (tol.value ?? '') === (t.value ?? ''))),
      ),
  )
}

export interface ScheduleResult {
  node?: string
  /** kube-scheduler's message when no node fits. */
  message?: string
}

// Store objects are frozen and replaced on every write, so a placed pod's requests can be kept per object.
const requestsByPod = new WeakMap<KubeObject, Readonly<Record<string, number>>>()
function placedRequests(p: KubeObject): Readonly<Record<string, number>> {
  let r = requestsByPod.get(p)
  if (!r) {
    r = podRequests(p as PodLike)
    if (Object.isFrozen(p)) requestsByPod.set(p, r)
  }
  return r
}

/** The node a pod holds resources on (bound and not terminal), once per (frozen) pod object. */
const placement = new WeakMap<KubeObject, string | null>()
function placedOn(p: KubeObject): string | undefined {
  let v = placement.get(p)
  if (v === undefined) {
    const nodeName = (p.spec as {nodeName?: string} | undefined)?.nodeName
    v = nodeName && !isTerminal(p) ? nodeName : null
    if (Object.isFrozen(p)) placement.set(p, v)
  }
  return v ?? undefined
}

/** A node's allocatable quantities, parsed once per (frozen) node object. */
interface NodeCaps {
  pods: number
  gpu: number
  cpu: number
  byResource: Map<string, number>
  allocatable: Record<string, string>
}
const capsByNode = new WeakMap<KubeObject, NodeCaps>()
function nodeCaps(node: KubeObject): NodeCaps {
  let c = capsByNode.get(node)
  if (c) return c
  const allocatable = (node.status as {allocatable?: Record<string, string>} | undefined)?.allocatable ?? {}
  c = {
    pods: parseQuantity(allocatable.pods) ?? 110,
    gpu: parseQuantity(allocatable['amd.com/gpu']) ?? 0,
    cpu: parseQuantity(allocatable.cpu) ?? 1,
    byResource: new Map(),
    allocatable,
  }
  if (Object.isFrozen(node)) capsByNode.set(node, c)
  return c
}
function capOf(c: NodeCaps, resource: string): number {
  let v = c.byResource.get(resource)
  if (v === undefined) c.byResource.set(resource, (v = parseQuantity(c.allocatable[resource]) ?? 0))
  return v
}

/** What the pods placed on one node use: summed requests and the pod count. */
export interface NodeUsage {
  used: Readonly<Record<string, number>>
  count: number
}

/**
 * The pods placed on each node, kept up to date from pod watch events, with each node's usage summed
 * on demand (in list order: namespace, then name, as a full scan would add them) and kept until one
 * of its pods changes.
 */
export class PlacementIndex {
  private readonly byNode = new Map<string, Map<string, KubeObject>>()
  private readonly nodeOf = new Map<string, string>()
  private readonly sums = new Map<string, NodeUsage>()
  /** Pods not bound to a node and not being deleted, by key. */
  private readonly unbound = new Map<string, ObjectKey>()
  private ready = false

  /** Forget everything (the next use rebuilds from a full list). */
  reset(): void {
    this.byNode.clear()
    this.nodeOf.clear()
    this.sums.clear()
    this.unbound.clear()
    this.ready = false
  }

  /** A pod changed: `current` is the stored pod, undefined when it is gone. */
  update(key: string, current: KubeObject | undefined): void {
    if (!this.ready) return
    if (current && !(current.spec as {nodeName?: string} | undefined)?.nodeName && !current.metadata.deletionTimestamp) {
      this.unbound.set(key, {namespace: current.metadata.namespace, name: current.metadata.name ?? ''})
    } else this.unbound.delete(key)
    const before = this.nodeOf.get(key)
    const after = current ? placedOn(current) : undefined
    if (before !== undefined) {
      this.byNode.get(before)?.delete(key)
      this.sums.delete(before)
      this.nodeOf.delete(key)
    }
    if (after !== undefined && current) {
      let m = this.byNode.get(after)
      if (!m) this.byNode.set(after, (m = new Map()))
      m.set(key, current)
      this.nodeOf.set(key, after)
      this.sums.delete(after)
    }
  }

  /** The pods waiting for a node, in list order (namespace, then name); undefined before the index is built. */
  pending(): ObjectKey[] | undefined {
    if (!this.ready) return undefined
    return [...this.unbound.values()].sort((a, b) => {
      const an = a.namespace ?? ''
      const bn = b.namespace ?? ''
      if (an !== bn) return an < bn ? -1 : 1
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    })
  }

  /** Usage per node, building the index from `listPods` on first use. */
  usage(listPods: () => KubeObject[]): (node: string) => NodeUsage | undefined {
    if (!this.ready) {
      this.ready = true
      for (const p of listPods()) this.update(`${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`, p)
    }
    return (node) => {
      let u = this.sums.get(node)
      if (u) return u
      const pods = this.byNode.get(node)
      if (!pods || pods.size === 0) return undefined
      const ordered = [...pods.values()].sort((a, b) => {
        const an = a.metadata.namespace ?? ''
        const bn = b.metadata.namespace ?? ''
        if (an !== bn) return an < bn ? -1 : 1
        const a1 = a.metadata.name ?? ''
        const b1 = b.metadata.name ?? ''
        return a1 < b1 ? -1 : a1 > b1 ? 1 : 0
      })
      const used: Record<string, number> = {}
      for (const p of ordered) {
        const r = placedRequests(p)
        for (const k in r) used[k] = (used[k] ?? 0) + r[k]!
      }
      u = {used, count: ordered.length}
      this.sums.set(node, u)
      return u
    }
  }
}

/**
 * Pick a node for `pod` given all nodes and the pods already placed (or, instead of `pods`, each
 * node's usage from a PlacementIndex). Pure; exported for tests.
 */
export function schedulePod(pod: PodLike, nodes: KubeObject[], pods: KubeObject[], unboundClaims?: string, usageOf?: (node: string) => NodeUsage | undefined): ScheduleResult {
  const n = nodes.length
  if (n === 0) return {message: 'no nodes available to schedule pods'}
  if (unboundClaims) {
    return {message: `0/${n} nodes are available: ${unboundClaims}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`}
  }
  const facts = podFactsOf(pod)
  const {filter, signature, requests, resources, amounts, resourcesKey} = facts
  const wantsGpu = (requests['amd.com/gpu'] ?? 0) > 0
  // Without an index, sum what the listed pods use per node.
  let used: Map<string, Record<string, number>> | undefined
  let count: Map<string, number> | undefined
  if (!usageOf) {
    used = new Map()
    count = new Map()
    for (let i = 0; i < pods.length; i++) {
      const p = pods[i]!
      const nodeName = placedOn(p)
      if (!nodeName || p.metadata.uid === pod.metadata.uid) continue
      let u = used.get(nodeName)
      if (!u) used.set(nodeName, (u = {}))
      const r = placedRequests(p)
      for (const k in r) u[k] = (u[k] ?? 0) + r[k]!
      count.set(nodeName, (count.get(nodeName) ?? 0) + 1)
    }
  }
  const reasons = new Map<string, number>()
  let notHelpful = 0
  let noVictims = 0
  // The fitting nodes and their scores (parallel arrays: no object per node).
  const fitNodes: KubeObject[] = []
  const fitScores: number[] = []
  // The best fit so far by (score desc, name asc), kept as the nodes are filtered: what sorting the
  // fits would put first (the sort stays for NaN scores, whose order only the sort defines).
  let best: KubeObject | undefined
  let bestScore = 0
  let nanScore = false
  const noUsage: Readonly<Record<string, number>> = {}
  // Indexed loops throughout: the store's arrays are frozen, where V8's iterators take a slow path.
  for (let nodeIndex = 0; nodeIndex < n; nodeIndex++) {
    const node = nodes[nodeIndex]!
    const known = nodeFacts(node)
    // Unschedulable, untolerated taint, not ready, affinity/selector: a node's answer for pods that
    // ask the same (selector, affinity, tolerations), kept per (frozen) node object.
    const verdict = staticVerdict(known, node, filter, signature)
    if (verdict !== '') {
      countReason(reasons, verdict)
      notHelpful++
      continue
    }
    const caps = known.caps
    const nodeName = known.name
    let u: Readonly<Record<string, number>> = noUsage
    let placed = 0
    if (usageOf) {
      const usage = usageOf(nodeName)
      if (usage) {
        u = usage.used
        placed = usage.count
      }
    } else {
      u = used!.get(nodeName) ?? noUsage
      placed = count!.get(nodeName) ?? 0
    }
    const capacities = capsOfResources(known, resources, resourcesKey)
    let short = placed + 1 > caps.pods
    for (let i = 0; i < resources.length && !short; i++) {
      if ((u[resources[i]!] ?? 0) + amounts[i]! > capacities[i]!) short = true
    }
    if (short) {
      // Each shortage counts once per node, in the order kube-scheduler lists them.
      if (placed + 1 > caps.pods) countReason(reasons, 'Too many pods')
      for (let i = 0; i < resources.length; i++) if ((u[resources[i]!] ?? 0) + amounts[i]! > capacities[i]!) countReason(reasons, `Insufficient ${resources[i]!}`)
      noVictims++
      continue
    }
    // Least-allocated scoring over the resources the pod asks for (GPU first), name as tie-break.
    const gpuCap = caps.gpu
    const gpuFree = gpuCap > 0 ? (gpuCap - (u['amd.com/gpu'] ?? 0)) / gpuCap : 0
    const cpuCap = caps.cpu
    const cpuFree = (cpuCap - (u.cpu ?? 0)) / cpuCap
    // A CPU-only pod prefers nodes without free GPUs to keep GPU nodes free; otherwise least allocated.
    const score = wantsGpu ? gpuFree * 10 + cpuFree : cpuFree
    fitNodes.push(node)
    fitScores.push(score)
    if (Number.isNaN(score)) nanScore = true
    else if (!best || score > bestScore || (score === bestScore && node.metadata.name! < best.metadata.name!)) {
      best = node
      bestScore = score
    }
  }
  if (fitNodes.length > 0) {
    if (!nanScore) return {node: best!.metadata.name}
    const fits = fitNodes.map((node, i) => ({node, score: fitScores[i]!}))
    fits.sort((a, b) => b.score - a.score || (a.node.metadata.name! < b.node.metadata.name! ? -1 : 1))
    return {node: fits[0]!.node.metadata.name}
  }
  const parts = [...reasons.entries()].map(([r, c]) => `${c} ${r}`).sort()
  const preemption: string[] = []
  if (notHelpful > 0) preemption.push(`${notHelpful} Preemption is not helpful for scheduling`)
  if (noVictims > 0) preemption.push(`${noVictims} No preemption victims found for incoming pod`)
  preemption.sort()
  return {message: `0/${n} nodes are available: ${parts.join(', ')}. preemption: 0/${n} nodes are available: ${preemption.join(', ')}.`}
}

function countReason(reasons: Map<string, number>, reason: string): void {
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
}

/** The filter's inputs as one string: pods from one template share it. */
function filterSignature(filter: PodFilter): string {
  return stableJson([filter.selector, filter.terms ?? null, filter.tolerations])
}

/**
 * What scheduling reads from a pod, kept per (frozen) pod spec: retries of a pod reuse it. `resources`
 * and `amounts` are the positive requests in the requests' key order; `resourcesKey` names that list.
 */
interface PodFacts {
  filter: PodFilter
  signature: string
  requests: Readonly<Record<string, number>>
  resources: string[]
  amounts: number[]
  resourcesKey: string
}
const factsBySpec = new WeakMap<object, PodFacts>()
function podFactsOf(pod: PodLike): PodFacts {
  const spec = pod.spec
  let known = spec ? factsBySpec.get(spec) : undefined
  if (!known) {
    const filter = podFilter(pod)
    const requests = podRequests(pod)
    const resources: string[] = []
    const amounts: number[] = []
    for (const [resource, amount] of Object.entries(requests)) {
      if (!(amount > 0)) continue
      resources.push(resource)
      amounts.push(amount)
    }
    known = {filter, signature: filterSignature(filter), requests, resources, amounts, resourcesKey: resources.join('\u0000')}
    if (spec && Object.isFrozen(spec)) factsBySpec.set(spec, known)
  }
  return known
}

/**
 * Per (frozen) node object: its name, parsed capacities, the static filters' reason for each pod
 * filter signature ('' when the node passes them) with the last one asked kept aside (pods of one
 * template come in runs), and the capacities of the last list of requested resources.
 */
interface NodeFacts {
  name: string
  caps: NodeCaps
  verdicts: Map<string, string>
  lastSignature: string | undefined
  lastVerdict: string
  capsKey: string | undefined
  capsValues: number[]
}
const factsByNode = new WeakMap<KubeObject, NodeFacts>()
function nodeFacts(node: KubeObject): NodeFacts {
  let facts = factsByNode.get(node)
  if (facts) return facts
  facts = {name: node.metadata.name ?? '', caps: nodeCaps(node), verdicts: new Map(), lastSignature: undefined, lastVerdict: '', capsKey: undefined, capsValues: []}
  if (Object.isFrozen(node)) factsByNode.set(node, facts)
  return facts
}

function capsOfResources(facts: NodeFacts, resources: string[], key: string): number[] {
  if (facts.capsKey === key) return facts.capsValues
  const values: number[] = []
  for (let i = 0; i < resources.length; i++) values.push(capOf(facts.caps, resources[i]!))
  facts.capsKey = key
  facts.capsValues = values
  return values
}

function staticVerdict(facts: NodeFacts, node: KubeObject, filter: PodFilter, signature: string): string {
  if (facts.lastSignature === signature) return facts.lastVerdict
  let verdict = facts.verdicts.get(signature)
  if (verdict === undefined) {
    verdict = staticFilters(node, filter)
    facts.verdicts.set(signature, verdict)
  }
  facts.lastSignature = signature
  facts.lastVerdict = verdict
  return verdict
}

function staticFilters(node: KubeObject, filter: PodFilter): string {
  const status = node.status as {conditions?: Array<{type: string; status: string}>} | undefined
  if ((node.spec as {unschedulable?: boolean} | undefined)?.unschedulable) return 'node(s) were unschedulable'
  const taint = untoleratedTaint(filter, node)
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`
  if (!nodeReady(node) && status?.conditions) return 'node(s) were not ready'
  if (!matchesNodeSelectorAndAffinity(filter, node)) return "node(s) didn't match Pod's node affinity/selector"
  return ''
}

function unboundClaimsMessage(pod: PodLike, ctx: ReconcileContext): string | undefined {
  const claims = (pod.spec?.volumes ?? [])
    .map((v) => (v.persistentVolumeClaim as {claimName?: string} | undefined)?.claimName)
    .filter((c): c is string => !!c)
  for (const claim of claims) {
    const pvc = ctx.store.get(REF.pvcs, pod.metadata.namespace, claim)
    if (!pvc) return `persistentvolumeclaim "${claim}" not found`
    if ((pvc.status as {phase?: string} | undefined)?.phase !== 'Bound') return 'pod has unbound immediate PersistentVolumeClaims'
  }
  return undefined
}

export function schedulerReconciler(): Reconciler {
  // When each pod last got a FailedScheduling event: retries repeat it (count grows), status echoes do not.
  // Also the unschedulable queue: the pods a node, pod or claim change sends back to be tried again.
  const lastFailure = new Map<string, {at: number; message: string; key: ObjectKey}>()
  const placements = new PlacementIndex()
  // Every other pending pod is queued already or was never ours (another schedulerName): only the
  // ones that failed need a retry. In list order (namespace, then name), as a full scan gives them.
  const unschedulable = (): ObjectKey[] => {
    if (lastFailure.size === 0) return []
    return [...lastFailure.values()]
      .map((f) => f.key)
      .sort((a, b) => {
        const an = a.namespace ?? ''
        const bn = b.namespace ?? ''
        if (an !== bn) return an < bn ? -1 : 1
        return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
      })
  }
  return {
    name: 'default-scheduler',
    for: REF.pods,
    ownStatusWritesSettle: true,
    // A bound pod is done with (once any failure it had is forgotten); only pending ones need a pass.
    forChanged: (obj) => (!(obj.spec as {nodeName?: string} | undefined)?.nodeName && !obj.metadata.deletionTimestamp) || lastFailure.has(obj.metadata.uid ?? ''),
    onStart: () => placements.reset(),
    watches: [
      // A node change, a freed pod or a bound claim can make unschedulable pods fit.
      {kind: REF.nodes, map: () => unschedulable()},
      {
        kind: REF.pods,
        map: (obj, ctx) => {
          const current = ctx.store.get(REF.pods, obj.metadata.namespace, obj.metadata.name ?? '')
          placements.update(`${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, current)
          return obj.metadata.deletionTimestamp || isTerminal(obj) || !current ? unschedulable() : []
        },
      },
      {kind: REF.pvcs, map: (obj) => unschedulable().filter((k) => k.namespace === obj.metadata.namespace)},
    ],
    reconcile(key, ctx) {
      const pod = ctx.store.get(REF.pods, key.namespace, key.name) as PodLike & KubeObject | undefined
      if (!pod || pod.metadata.deletionTimestamp || pod.spec?.nodeName) {
        if (pod?.metadata.uid) lastFailure.delete(pod.metadata.uid)
        else if (!pod && lastFailure.size > 0) {
          const live = new Set(ctx.store.list(REF.pods).items.map((p) => p.metadata.uid))
          for (const uid of [...lastFailure.keys()]) if (!live.has(uid)) lastFailure.delete(uid)
        }
        return
      }
      const schedulerName = (pod.spec as {schedulerName?: string} | undefined)?.schedulerName
      if (schedulerName && schedulerName !== COMPONENT) return
      const nodes = ctx.store.list(REF.nodes).items
      const usage = placements.usage(() => ctx.store.list(REF.pods).items)
      const result = schedulePod(pod, nodes, [], unboundClaimsMessage(pod, ctx), usage)
      const now = ctx.clock.nowISO()
      if (!result.node) {
        const status: PodStatus = statusDraft(pod.status as PodStatus | undefined)
        status.phase = 'Pending'
        status.conditions = setCondition(status.conditions ?? [], {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: result.message, lastProbeTime: null}, now)
        status.qosClass ??= qosClass(pod)
        writeStatus(ctx.store, REF.pods, pod, status, COMPONENT)
        const uid = pod.metadata.uid ?? ''
        const last = lastFailure.get(uid)
        if (!last || last.message !== result.message || ctx.clock.now() - last.at >= 60_000) {
          ctx.events.event(pod, 'Warning', 'FailedScheduling', result.message ?? '', COMPONENT)
          lastFailure.set(uid, {at: ctx.clock.now(), message: result.message ?? '', key: {namespace: key.namespace, name: key.name}})
        }
        // kube-scheduler flushes unschedulable pods back into the active queue every 5 minutes.
        return {requeueAfterMs: 5 * 60_000}
      }
      // Bound: no longer in the unschedulable queue (before the write, which the watch sees at once).
      lastFailure.delete(pod.metadata.uid ?? '')
      // One write, as kube-apiserver's pods/binding makes it: spec.nodeName and the PodScheduled
      // condition together, recorded for no field manager. (The phase and QoS class, which
      // kube-apiserver sets when it creates a pod, come with it here.)
      const bound = ctx.store.mutateWithStatus(REF.pods, key.namespace, key.name, (o) => {
        const spec = (o.spec ?? {}) as Record<string, unknown>
        spec.nodeName = result.node
        o.spec = spec
        const status: PodStatus = statusDraft(o.status as PodStatus | undefined)
        status.phase ??= 'Pending'
        status.conditions = setCondition(status.conditions ?? [], {type: 'PodScheduled', status: 'True', lastProbeTime: null}, now)
        for (const c of status.conditions) if (c.type === 'PodScheduled') {
          delete c.reason
          delete c.message
        }
        status.qosClass ??= qosClass(pod)
        o.status = status
      })
      ctx.events.event(bound, 'Normal', 'Scheduled', `Successfully assigned ${key.namespace}/${key.name} to ${result.node}`, COMPONENT)
    },
  }
}

export function qosClass(pod: PodLike): string {
  const containers = pod.spec?.containers ?? []
  let anySet = false
  let guaranteed = containers.length > 0
  for (const c of containers) {
    const req = c.resources?.requests ?? {}
    const lim = c.resources?.limits ?? {}
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) anySet = true
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && parseQuantity(req[r]) !== parseQuantity(lim[r]))) guaranteed = false
    }
  }
  if (!anySet) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

/**
 * The controller runtime: work queues fed by store watch events, requeues and error backoff on the
 * virtual clock, an EventRecorder writing core/v1 Events, and settle() to fast-forward the cluster.
 *
 * Scheduling is deliberately serial: (reconciler, key) items are processed one at a time, in arrival
 * order within three FIFOs: the cluster's own controllers' first, then the operators' reconcilers
 * (`waitsForCluster`), then the ones that also wait for the rest of their operator
 * (`waitsForOperator`), each whenever the ones before it are empty. That gives "at most one
 * reconcile of a key at a time" for free and makes the whole simulation deterministic for a given
 * seed and sequence of clock steps.
 */
import {registry, splitApiVersion, type KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {isApiError} from '../../src/api/status.js'
import {drainAsyncWork, type TimerHandle, type VirtualClock} from '../clock/index.js'
import type {Store, Watch} from '../store/types.js'
import {nowISO} from '../store/util.js'
import type {
  ControllerManager,
  EventRecorder,
  ImageRegistry,
  ObjectKey,
  PodLogProvider,
  ReconcileContext,
  Reconciler,
} from './types.js'

export interface RuntimeOptions {
  store: Store
  clock: VirtualClock
  reconcilers: Reconciler[]
  /** More reconcilers that load asynchronously (a module import); start() waits for them. */
  deferredReconcilers?: Promise<Reconciler[]>
  logs: PodLogProvider
  images: ImageRegistry
  random: () => number
  /** Called once from start(), before the first reconcile; writes the initial cluster objects. */
  bootstrap?: (ctx: ReconcileContext) => void
  /** First retry delay after a thrown error (virtual ms); doubles per failure. */
  baseBackoffMs?: number
  maxBackoffMs?: number
  /** Reports reconcile errors (default: stderr when DEBUG mentions "sim"). */
  onError?: (reconciler: string, key: ObjectKey, error: unknown) => void
}

const keyOf = (k: ObjectKey): string => (k.namespace ? `${k.namespace}/${k.name}` : k.name)
function parseKey(s: string): ObjectKey {
  const slash = s.indexOf('/')
  return slash < 0 ? {name: s} : {namespace: s.slice(0, slash), name: s.slice(slash + 1)}
}

const sameRef = (a: Pick<KindInfo, 'group' | 'plural'>, b: Pick<KindInfo, 'group' | 'plural'>): boolean =>
  a.group === b.group && a.plural === b.plural

/** Seeded PRNG (mulberry32 over an FNV-1a hash of the seed string). */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  let state = h >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export class ControllerRuntime implements ControllerManager {
  readonly logs: PodLogProvider
  readonly ctx: ReconcileContext
  readonly events: KubeEventRecorder
  private readonly reconcilers: Reconciler[]
  /**
   * The queued keys by tier: the cluster's own controllers', the operators' (`waitsForCluster`), then
   * those that also wait for the rest of their operator (`waitsForOperator`). A tier runs only when
   * every tier before it is empty.
   */
  private readonly queues = [new Fifo(), new Fifo(), new Fifo()]
  /** Per reconciler index: its tier. */
  private readonly tiers: number[] = []
  private readonly queued: Array<Set<string>> = []
  private readonly timers: Array<Map<string, TimerHandle>> = []
  private readonly failures: Array<Map<string, number>> = []
  private starting: Promise<void> | undefined
  private readonly dueAt = new Map<number, number>()
  private readonly kindByOwner = new Map<string, number[]>()
  private watch: Watch | undefined
  private running = false
  /** The reconcile in progress (reconciler index and key string). */
  private current: {index: number; key: string} | undefined
  private started = false
  private pumping = false
  private waiters: Array<() => void> = []
  /** Reconciles run so far (for benchmarks and tests). */
  reconcileCount = 0
  /** Per reconciler: reconciles run and wall-clock milliseconds spent in them. */
  readonly stats = new Map<string, {count: number; ms: number; errors: number}>()

  constructor(private readonly options: RuntimeOptions) {
    this.reconcilers = []
    this.logs = options.logs
    this.events = new KubeEventRecorder(options.store, options.clock)
    this.ctx = {
      store: options.store,
      clock: options.clock,
      events: this.events,
      random: options.random,
      logs: options.logs,
      images: options.images,
    }
    for (const r of options.reconcilers) this.register(r)
  }

  /** Add a reconciler (before start). */
  register(r: Reconciler): void {
    const index = this.reconcilers.length
    this.reconcilers.push(r)
    this.tiers.push(r.waitsForOperator ? 2 : r.waitsForCluster ? 1 : 0)
    this.routes.clear()
    this.routesByInfo.clear()
    this.ownersByRef.clear()
    this.queued.push(new Set())
    this.timers.push(new Map())
    this.failures.push(new Map())
    const info = registry.kinds.find((k) => sameRef(k, r.for))
    if (!info) return
    const id = `${info.group}/${info.kind}`
    this.kindByOwner.set(id, [...(this.kindByOwner.get(id) ?? []), index])
  }

  names(): string[] {
    return this.reconcilers.map((r) => r.name)
  }

  start(): void {
    if (this.started || this.starting) return
    const deferred = this.options.deferredReconcilers
    if (deferred) {
      this.starting = deferred.then(
        (list) => {
          for (const r of list) this.register(r)
          this.begin()
        },
        (error: unknown) => {
          this.reportError('controller-manager', {name: 'start'}, error)
          this.begin()
        },
      )
      return
    }
    this.begin()
  }

  private begin(): void {
    this.starting = undefined
    this.started = true
    for (const r of this.reconcilers) r.onStart?.(this.ctx)
    this.options.bootstrap?.(this.ctx)
    // Every existing object of a `for` kind gets one reconcile, as an informer's initial list would.
    this.reconcilers.forEach((r, index) => {
      for (const obj of this.options.store.list(r.for).items) this.enqueue(index, keyOf(objectKey(obj)))
    })
    this.watch = this.options.store.watchAll((event, info, old) => {
      const type = event.type
      if (type === 'BOOKMARK' || type === 'ERROR') return
      this.onObject(event.object, info, old, type)
    })
  }

  stop(): void {
    this.watch?.stop()
    this.watch = undefined
    this.started = false
    this.timers.forEach((m) => {
      for (const handle of m.values()) this.options.clock.clearTimeout(handle)
      m.clear()
    })
    this.dueAt.clear()
    for (const q of this.queues) q.clear()
    this.queued.forEach((s) => s.clear())
    this.wake()
  }

  /** Enqueue a key for the reconciler with this name (tests, fault injection). */
  trigger(name: string, key: ObjectKey): void {
    const index = this.reconcilers.findIndex((r) => r.name === name)
    if (index >= 0) this.enqueue(index, keyOf(key))
  }

  /** Enqueue every reconciler's keys that relate to this object, as if it had just changed. */
  touch(obj: KubeObject): void {
    const info = registry.forKind(obj.apiVersion, obj.kind)
    if (info) this.onObject(obj, info)
  }

  /**
   * Per resource (`group/plural`): in reconciler order, what an event of it means to each reconciler —
   * its own kind, and the watches on it. Built on first use (reconcilers are only added before start).
   */
  private readonly routes = new Map<string, Route[]>()
  /** The same lists by KindInfo object (the store hands out one per kind): no key string per event. */
  private readonly routesByInfo = new Map<object, Route[]>()
  private readonly ownerNamespaced = new Map<number, boolean>()
  /** Owner reconciler indexes by ownerReference apiVersion, then kind (empty when none owns it). */
  private readonly ownersByRef = new Map<string, Map<string, number[]>>()

  private routesFor(info: Pick<KindInfo, 'group' | 'plural'>): Route[] {
    const known = this.routesByInfo.get(info)
    if (known) return known
    const id = `${info.group}/${info.plural}`
    let list = this.routes.get(id)
    if (list) {
      this.routesByInfo.set(info, list)
      return list
    }
    list = []
    this.reconcilers.forEach((r, index) => {
      const isFor = sameRef(r.for, info)
      const maps = (r.watches ?? []).filter((w) => sameRef(w.kind, info)).map((w) => w.map)
      if (isFor || maps.length > 0) list!.push({index, isFor, maps})
    })
    this.routes.set(id, list)
    this.routesByInfo.set(info, list)
    return list
  }

  private ownersOf(apiVersion: string, kind: string): number[] {
    let byKind = this.ownersByRef.get(apiVersion)
    if (!byKind) this.ownersByRef.set(apiVersion, (byKind = new Map()))
    let owners = byKind.get(kind)
    if (!owners) {
      const {group} = splitApiVersion(apiVersion)
      owners = this.kindByOwner.get(`${group}/${kind}`) ?? []
      byKind.set(kind, owners)
    }
    return owners
  }

  private onObject(obj: KubeObject, info: KindInfo, old?: KubeObject, type?: string): void {
    const meta = obj.metadata
    let k: string | undefined
    let key: ObjectKey | undefined
    // touch() (no type) re-announces: no filter applies to it.
    const deleted = type === 'DELETED'
    for (const route of this.routesFor(info)) {
      const index = route.index
      const r = this.reconcilers[index]!
      if (route.isFor) {
        k ??= meta.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta.name ?? '')
        const current = this.current
        const own = r.ownStatusWritesSettle && current !== undefined && current.index === index && current.key === k && statusOnly(old, obj)
        let matters = !own
        if (matters && type !== undefined && !deleted && r.forChanged) {
          try {
            matters = r.forChanged(obj, old, this.ctx)
          } catch (error) {
            matters = true
            this.reportError(r.name, (key ??= objectKey(obj)), error)
          }
        }
        if (matters) this.enqueue(index, k)
      }
      for (const map of route.maps) {
        let keys: ObjectKey[] = []
        try {
          keys = map(obj, this.ctx, old)
        } catch (error) {
          this.reportError(r.name, (key ??= objectKey(obj)), error)
        }
        for (const mapped of keys) this.enqueue(index, keyOf(mapped))
      }
    }
    const refs = meta.ownerReferences
    if (!refs) return
    // Indexed: ownerReferences of a stored object are a frozen array (slow for V8's iterators).
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r]!
      if (!ref.controller) continue
      const owners = this.ownersOf(ref.apiVersion, ref.kind)
      for (const index of owners) {
        const owner = this.reconcilers[index]!
        let namespaced = this.ownerNamespaced.get(index)
        if (namespaced === undefined) {
          namespaced = !!registry.kinds.find((kind) => sameRef(kind, owner.for))?.namespaced
          this.ownerNamespaced.set(index, namespaced)
        }
        const ownerKey = namespaced && meta.namespace ? `${meta.namespace}/${ref.name}` : ref.name
        // A child the owner created in the reconcile now running: that reconcile already counts it.
        if (type === 'ADDED' && owner.ownCreatesSettle && this.current !== undefined && this.current.index === index && this.current.key === ownerKey) continue
        const filter = owner.ownedChanged
        if (filter) {
          let matters = true
          try {
            matters = filter(obj, old, this.ctx)
          } catch (error) {
            this.reportError(owner.name, (key ??= objectKey(obj)), error)
          }
          if (!matters) continue
        }
        this.enqueue(index, ownerKey)
      }
    }
  }

  private enqueue(index: number, key: string): void {
    if (!this.started) return
    const set = this.queued[index]!
    if (set.has(key)) return
    set.add(key)
    this.queues[this.tiers[index]!]!.push(index, key)
    this.schedulePump()
  }

  private schedulePump(): void {
    if (this.pumping) return
    this.pumping = true
    queueMicrotask(() => void this.pump())
  }

  private async pump(): Promise<void> {
    try {
      // Reconcilers that return synchronously run back to back; only a returned promise is awaited.
      while (this.started) {
        const queue = this.queues.find((q) => q.size() > 0)
        if (!queue) break
        const index = queue.peekIndex()
        const key = queue.shift()
        this.queued[index]!.delete(key)
        this.running = true
        const pending = this.runOne(index, key)
        if (pending) await pending
        this.running = false
      }
    } finally {
      this.running = false
      this.pumping = false
      this.wake()
    }
  }

  /** Runs one reconcile; returns a promise only when the reconciler returned one. */
  private runOne(index: number, keyString: string): Promise<void> | undefined {
    const r = this.reconcilers[index]!
    const key = parseKey(keyString)
    this.reconcileCount++
    // Looked up each time: callers may clear the map between runs.
    let stat = this.stats.get(r.name)
    if (!stat) this.stats.set(r.name, (stat = {count: 0, ms: 0, errors: 0}))
    stat.count++
    const started = performance.now()
    this.current = {index, key: keyString}
    let result: ReturnType<Reconciler['reconcile']>
    try {
      result = r.reconcile(key, this.ctx)
    } catch (error) {
      this.current = undefined
      this.finish(index, keyString, stat, started, undefined, error, true)
      return undefined
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      const s = stat
      return (result as Promise<{requeueAfterMs?: number} | void>).then(
        (value) => {
          this.current = undefined
          this.finish(index, keyString, s, started, value, undefined, false)
        },
        (error: unknown) => {
          this.current = undefined
          this.finish(index, keyString, s, started, undefined, error, true)
        },
      )
    }
    this.current = undefined
    this.finish(index, keyString, stat, started, result as {requeueAfterMs?: number} | void, undefined, false)
    return undefined
  }

  private finish(index: number, keyString: string, stat: {count: number; ms: number; errors: number}, started: number, result: {requeueAfterMs?: number} | void, error: unknown, failed: boolean): void {
    const r = this.reconcilers[index]!
    let delay: number | undefined
    stat.ms += performance.now() - started
    if (!failed) {
      if (this.failures[index]!.size > 0) this.failures[index]!.delete(keyString)
      if (result && result.requeueAfterMs !== undefined) delay = Math.max(0, result.requeueAfterMs)
    } else {
      stat.errors++
      const n = this.failures[index]!.get(keyString) ?? 0
      this.failures[index]!.set(keyString, n + 1)
      const base = this.options.baseBackoffMs ?? 5
      const max = this.options.maxBackoffMs ?? 60_000
      delay = Math.min(max, base * 2 ** Math.min(n, 30))
      // Conflicts are the normal price of optimistic concurrency; only report the rest.
      if (!(isApiError(error) && error.code === 409)) this.reportError(r.name, parseKey(keyString), error)
    }
    if (delay !== undefined && this.started) {
      const timers = this.timers[index]!
      // As controller-runtime's AddAfter: a pending requeue that is due sooner is kept, a later one
      // is replaced; a reconcile in between does not cancel it.
      const due = this.options.clock.now() + delay
      const pending = timers.get(keyString)
      if (pending && (this.dueAt.get(pending.id) ?? Infinity) <= due) return
      if (pending) {
        this.options.clock.clearTimeout(pending)
        this.dueAt.delete(pending.id)
      }
      const handle = this.options.clock.setTimeout(() => {
        if (timers.get(keyString) === handle) timers.delete(keyString)
        this.dueAt.delete(handle.id)
        this.enqueue(index, keyString)
      }, delay)
      timers.set(keyString, handle)
      this.dueAt.set(handle.id, due)
    }
  }

  private reportError(name: string, key: ObjectKey, error: unknown): void {
    if (this.options.onError) return this.options.onError(name, key, error)
    if (/sim|kubectl-aim/.test(process.env.DEBUG ?? '')) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      process.stderr.write(`[${name}] ${keyOf(key)}: ${message}\n`)
    }
  }

  private busy(): boolean {
    return this.queues.some((q) => q.size() > 0) || this.running || this.pumping
  }

  private wake(): void {
    if (this.busy()) return
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w()
  }

  async idle(): Promise<void> {
    if (this.starting) await this.starting
    for (;;) {
      if (this.busy()) {
        await new Promise<void>((resolve) => this.waiters.push(resolve))
        continue
      }
      // Let store watch fan-out and other async work land, then check again.
      await drainAsyncWork(2)
      if (!this.busy()) return
    }
  }

  async settle(maxVirtualMs = 30 * 60_000): Promise<void> {
    const clock = this.options.clock
    const deadline = clock.now() + maxVirtualMs
    for (let guard = 0; guard < 1_000_000; guard++) {
      await this.idle()
      const next = clock.nextDueIn()
      if (next === undefined || clock.now() + next > deadline) return
      await clock.advance(next)
    }
  }
}

/** A FIFO of (reconciler index, key) as two parallel arrays read from `head`; compacted as it drains. */
class Fifo {
  private indexes: number[] = []
  private keys: string[] = []
  private head = 0

  size(): number {
    return this.keys.length - this.head
  }

  push(index: number, key: string): void {
    this.indexes.push(index)
    this.keys.push(key)
  }

  /** The reconciler index of the next item (the queue is not empty). */
  peekIndex(): number {
    return this.indexes[this.head]!
  }

  /** Removes the next item and returns its key (the queue is not empty). */
  shift(): string {
    const key = this.keys[this.head++]!
    if (this.head >= 1024 && this.head * 2 >= this.keys.length) {
      this.indexes = this.indexes.slice(this.head)
      this.keys = this.keys.slice(this.head)
      this.head = 0
    }
    return key
  }

  clear(): void {
    this.indexes = []
    this.keys = []
    this.head = 0
  }
}

/** Whether `obj` differs from `old` only in status (and resourceVersion/managedFields), by reference. */
function statusOnly(old: KubeObject | undefined, obj: KubeObject): boolean {
  if (!old) return false
  const a = old as Record<string, unknown>
  const b = obj as Record<string, unknown>
  for (const k in b) if (k !== 'status' && k !== 'metadata' && b[k] !== a[k]) return false
  for (const k in a) if (k !== 'status' && k !== 'metadata' && !(k in b)) return false
  const am = old.metadata as Record<string, unknown>
  const bm = obj.metadata as Record<string, unknown>
  for (const k in bm) if (k !== 'resourceVersion' && k !== 'managedFields' && bm[k] !== am[k]) return false
  for (const k in am) if (k !== 'resourceVersion' && k !== 'managedFields' && !(k in bm)) return false
  return true
}

type Route = {index: number; isFor: boolean; maps: Array<NonNullable<Reconciler['watches']>[number]['map']>}

export function objectKey(obj: KubeObject): ObjectKey {
  return obj.metadata.namespace ? {namespace: obj.metadata.namespace, name: obj.metadata.name ?? ''} : {name: obj.metadata.name ?? ''}
}

/**
 * Writes core/v1 Events the way client-go's recorder does: one object per (object, type, reason,
 * message, component), `count` and `lastTimestamp` bumped on repeats.
 */
const EVENTS_REF = Object.freeze({group: '', plural: 'events'})

export class KubeEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, {namespace: string; name: string}>()
  private counter = 0
  private pruneAt = 10_000
  /** The current virtual millisecond in nanoseconds, split in hex above and a number below bit 32 (kept while the clock stands still). */
  private baseAt = Number.NaN
  private baseHigh = ''
  private baseLow = 0

  /** `at` ms in nanoseconds plus `n`, in hex: BigInt arithmetic once per instant, not per event. */
  private nanosHex(at: number, n: number): string {
    if (at !== this.baseAt) {
      const base = BigInt(at) * 1_000_000n
      this.baseAt = at
      this.baseHigh = (base >> 32n).toString(16)
      this.baseLow = Number(base & 0xffffffffn)
    }
    const low = this.baseLow + n
    if (this.baseHigh === '0' || low > 0xffffffff) return (BigInt(at) * 1_000_000n + BigInt(n)).toString(16)
    return this.baseHigh + low.toString(16).padStart(8, '0')
  }

  /** Forget events the store no longer has (the per-namespace cap deleted them). */
  private prune(): void {
    const ref = EVENTS_REF
    for (const [id, at] of this.seen) if (!this.store.get(ref, at.namespace, at.name)) this.seen.delete(id)
    this.pruneAt = Math.max(10_000, this.seen.size * 2)
  }

  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly defaultComponent = 'aim-engine',
  ) {}

  /** `fieldPath` (beyond the EventRecorder contract) names a part of the object, e.g. `spec.containers{main}` as kubelet does. */
  event(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string, fieldPath?: string): void {
    const source = component ?? this.defaultComponent
    const meta = regarding.metadata
    const namespace = meta.namespace || 'default'
    const id = `${regarding.apiVersion}\u0000${regarding.kind}\u0000${namespace}\u0000${meta.name ?? ''}\u0000${meta.uid ?? ''}\u0000${fieldPath ?? ''}\u0000${type}\u0000${reason}\u0000${message}\u0000${source}`
    const now = nowISO(this.clock)
    const ref = EVENTS_REF
    const existing = this.seen.get(id)
    try {
      if (existing && this.store.get(ref, existing.namespace, existing.name)) {
        this.store.mutate(ref, existing.namespace, existing.name, (ev) => {
          ev.count = ((ev.count as number | undefined) ?? 1) + 1
          ev.lastTimestamp = now
        })
        return
      }
      // The same fields, in the same order, as spreading the optional ones would give.
      const involved: Record<string, unknown> = {apiVersion: regarding.apiVersion, kind: regarding.kind, name: meta.name}
      if (meta.namespace) involved.namespace = meta.namespace
      if (meta.uid) involved.uid = meta.uid
      if (meta.resourceVersion) involved.resourceVersion = meta.resourceVersion
      if (fieldPath) involved.fieldPath = fieldPath
      // client-go names events "<object>.<unix nanos in hex>"; the counter keeps names unique.
      const name = `${meta.name}.${this.nanosHex(this.clock.now(), ++this.counter)}`
      const sourceField: Record<string, string> = {component: source}
      const host = (regarding.spec as {nodeName?: string} | undefined)?.nodeName
      if (source === 'kubelet' && host) sourceField.host = host
      const event: KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {name, namespace},
        involvedObject: involved,
        reason,
        message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: sourceField,
        reportingComponent: source,
        reportingInstance: sourceField.host ?? '',
      }
      // Built for this call alone: the store may keep it rather than copy it.
      if (this.store.createOwned) this.store.createOwned(event)
      else this.store.create(event)
      this.seen.set(id, {namespace, name})
      if (this.seen.size > this.pruneAt) this.prune()
    } catch {
      // Events are best effort, as in client-go (e.g. the namespace is being deleted).
    }
  }
}

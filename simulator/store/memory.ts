/**
 * The in-memory object store: kube-apiserver storage semantics (uid, one global resourceVersion,
 * generation, status subresource, finalizers, ownerReference GC, namespace lifecycle, watch with
 * history) over plain JSON objects. Stored objects are deep-frozen and handed out as is: callers
 * read them freely and write through create/update/mutate/apply/delete.
 */
import {OBJECT_META_FIELDS, type KubeObject, type ObjectMeta, type OwnerReference} from '../../src/api/object.js'
import {apiVersionOf, splitApiVersion, type KindInfo, type KindRegistry, registry as defaultRegistry} from '../../src/api/registry.js'
import {ApiError, errors, qualifiedResource} from '../../src/api/status.js'
import type {VirtualClock} from '../clock/index.js'
import {applyPatch, ssaConflictError, trackUpdate, type ApplyOutcome} from './ssa.js'
import {Journal, loadState, type JournalRecord, type JournalSync} from './journal.js'
import {
  checkFieldSelector,
  matchesFieldSelector,
  matchesLabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  type FieldRequirement,
  type LabelRequirement,
} from './selectors.js'
import type {DeleteOptions, ListOptions, ResourceRef, Store, Watch, WatchEvent, WatchOptions, WriteOptions} from './types.js'
import {clone, deepEqual, deepFreeze, isPlainJson, nowISO, seededSuffix, seededUid} from './util.js'
import {defaultStatus, jsonCopyShared, validate, withDefaults, withStatusDefaults} from './validation.js'
import {BoundedCache} from '../../src/memo.js'

export interface StoreOptions {
  clock: VirtualClock
  /** Seeds uids and generated names. Same seed + same operations + same clock = same objects. */
  seed?: string
  /** Durable state: an append-only journal, compacted when the store opens. */
  statePath?: string
  registry?: KindRegistry
  /** Watch events kept for resuming watches (older resourceVersions answer 410 Expired). */
  historySize?: number
  /**
   * fdatasync after every journal write (true, the default), never (false), or 'deferred': once at
   * the end of the event-loop turn or on flush() (whoever sends a write's effects out flushes first).
   */
  fsync?: JournalSync
  /** core/v1 Events kept per namespace; the oldest are deleted beyond this (default 1000). */
  maxEventsPerNamespace?: number
  /** Where exceptions thrown by watch callbacks go (default: stderr). */
  onWatchError?: (error: unknown) => void
  /**
   * Updates share the parts they leave as stored with the stored object instead of copying,
   * defaulting and comparing them again (default true; same results either way). False runs every
   * write through the full copy: the tests compare the two.
   */
  sharedWrites?: boolean
}

/** The Store contract plus what the simulator and the tests need on top. */
export interface SimStore extends Store {
  createOwned(obj: KubeObject): KubeObject
  /** Number of stored objects. */
  size(): number
  /** Every stored object, sorted by kind, namespace, name. */
  dump(): KubeObject[]
  /** A BOOKMARK event at the current resourceVersion for the API server's watch streams. */
  bookmark(ref: ResourceRef): WatchEvent
  /** Like apply(), also saying whether the object was created (201) or updated (200). */
  applyWithResult(obj: KubeObject, options: WriteOptions & {fieldManager: string; force?: boolean}): {object: KubeObject; created: boolean}
  /** The registry entry the store uses for a resource (throws NotFound for an unknown one). */
  kindFor(ref: ResourceRef): KindInfo
  /** Flush and close the journal. Further writes throw. */
  close(): void
  /**
   * Runs `fn` (synchronous); with a state file, the journal writes it makes are fdatasynced once
   * when it returns rather than once per write. For writes no client is acknowledged before it
   * returns, such as a fresh cluster's bootstrap (~25 fdatasyncs before the ready line otherwise).
   */
  groupCommit<T>(fn: () => T): T
  /** fdatasync the journal's writes not synced yet ('deferred' mode); a no-op otherwise. */
  flush(): void
  /**
   * The objects of `ref` in `namespace` with an ownerReference to `ownerUid`, in list (name) order:
   * what a list of the namespace filtered by owner gives, from the store's owner index.
   */
  dependentsOf(ref: ResourceRef, namespace: string | undefined, ownerUid: string): KubeObject[]
}

interface Table {
  info: KindInfo
  key: string
  byNs: Map<string, Map<string, KubeObject>>
  count: number
  sortedKeys: Array<[string, string]> | undefined
  /** Per namespace, its object names in sorted order; built on first use, then kept up to date. */
  sortedNames: Map<string, string[]>
  watchers: Set<Watcher>
  /** core/v1 Events only: namespace → involvedObject.name → the names of the Events about it. */
  byInvolved?: Map<string, Map<string, Set<string>>>
  /**
   * core/v1 Events only: per namespace, the objects in the order they were committed (= ascending
   * resourceVersion), so the event cap finds the oldest without a scan. Built on first use.
   */
  commitOrder?: Map<string, CommitQueue>
  /**
   * Per label key asked for by an equality selector (built on first use, then kept up to date by
   * commit): label value → namespace → names with that label. Serves `list({labelSelector})`
   * without scanning the namespace.
   */
  byLabel?: Map<string, Map<string, Map<string, Set<string>>>>
  /**
   * Unfiltered, unpaged list results per namespace ('\0*' for all namespaces or a cluster-scoped
   * kind), dropped by any commit to that namespace: reconcilers list the same few sets many times
   * between changes.
   */
  listed?: Map<string, KubeObject[]>
}

const ALL_NAMESPACES = '\0*'
const NAMESPACES_REF: ResourceRef = Object.freeze({group: '', plural: 'namespaces'})
const EVENTS_REF: ResourceRef = Object.freeze({group: '', plural: 'events'})

/** Parsed label selectors by text: controllers list with the same few selector shapes over and over. */
const parsedSelectors = new BoundedCache<string, LabelRequirement[]>(4096)
function labelRequirements(selector: string | undefined): LabelRequirement[] {
  if (selector === undefined || selector === '') return []
  return parsedSelectors.get(selector, parseLabelSelector)
}

const labelOf = (obj: KubeObject | undefined, key: string): string | undefined => {
  const labels = obj?.metadata.labels
  return labels !== undefined && Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined
}

/** Keep a table's label indexes in step with one object replaced (`before` → `after`, either absent). */
function indexLabels(t: Table, ns: string, name: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
  if (!t.byLabel) return
  if (before !== undefined && after !== undefined && before.metadata.labels === after.metadata.labels) return
  for (const [key, byValue] of t.byLabel) {
    const was = labelOf(before, key)
    const now = labelOf(after, key)
    if (was === now) continue
    if (was !== undefined) {
      const byNs = byValue.get(was)
      const names = byNs?.get(ns)
      if (names) {
        names.delete(name)
        if (names.size === 0) {
          byNs!.delete(ns)
          if (byNs!.size === 0) byValue.delete(was)
        }
      }
    }
    if (now !== undefined) {
      let byNs = byValue.get(now)
      if (!byNs) byValue.set(now, (byNs = new Map()))
      let names = byNs.get(ns)
      if (!names) byNs.set(ns, (names = new Set()))
      names.add(name)
    }
  }
}

const involvedName = (obj: KubeObject): unknown => (obj as {involvedObject?: {name?: unknown}}).involvedObject?.name

/** Keep a table's involved-object index in step with one object added or removed. */
function indexInvolved(t: Table, ns: string, obj: KubeObject | undefined, added: boolean): void {
  if (!t.byInvolved || !obj) return
  const involved = involvedName(obj)
  if (typeof involved !== 'string') return
  let byName = t.byInvolved.get(ns)
  if (added) {
    if (!byName) t.byInvolved.set(ns, (byName = new Map()))
    let names = byName.get(involved)
    if (!names) byName.set(involved, (names = new Set()))
    names.add(obj.metadata.name!)
    return
  }
  const names = byName?.get(involved)
  if (!names) return
  names.delete(obj.metadata.name!)
  if (names.size === 0) {
    byName!.delete(involved)
    if (byName!.size === 0) t.byInvolved.delete(ns)
  }
}

/**
 * Objects in commit order. An entry is current while the table still holds that very object: a newer
 * version or a delete leaves it stale (skipped when it reaches the head) instead of costing a map
 * update on every write.
 */
interface CommitQueue {
  objects: KubeObject[]
  head: number
}

interface StoredEvent {
  rv: number
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  table: Table
  obj: KubeObject
  old: KubeObject | undefined
}

interface Watcher {
  namespace: string | undefined
  labels: LabelRequirement[]
  fields: FieldRequirement[]
  startRv: number
  stopped: boolean
  onEvent: (event: WatchEvent) => void
}

interface AllWatcher {
  startRv: number
  stopped: boolean
  onEvent: (event: WatchEvent, info: KindInfo, old?: KubeObject) => void
}

interface Location {
  table: Table
  ns: string
  name: string
}

type Work = {t: 'owner'; uid: string} | {t: 'dep'; uid: string} | {t: 'ns'; name: string}

const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public']
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public'])
const FOREGROUND = 'foregroundDeletion'
const NO_FINALIZERS: readonly string[] = Object.freeze([])
const ORPHAN = 'orphan'

function forbidden(group: string, plural: string, name: string, message: string): ApiError {
  const err = errors.forbidden(`${qualifiedResource(group, plural)} "${name}" is forbidden: ${message}`)
  err.status.details = {name, group: group || undefined, kind: plural}
  return err
}

function goString(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`
}

function specEqual(a: KubeObject, b: KubeObject): boolean {
  for (const k in a) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue
    if (!deepEqual(a[k], b[k])) return false
  }
  for (const k in b) {
    if (k === 'metadata' || k === 'status' || k === 'apiVersion' || k === 'kind') continue
    if (!(k in a) && b[k] !== undefined) return false
  }
  return true
}

export class MemoryStore implements SimStore {
  private readonly clock: VirtualClock
  private readonly seed: string
  private readonly registry: KindRegistry
  private readonly historySize: number
  private readonly maxEventsPerNamespace: number
  private readonly onWatchError: (error: unknown) => void
  private readonly sharedWrites: boolean
  private readonly tables = new Map<string, Table>()
  /** Tables by the ref object asked with (callers pass the same constant refs over and over). */
  private readonly tableByRef = new WeakMap<ResourceRef, Table>()
  private readonly byUid = new Map<string, Location>()
  private readonly dependents = new Map<string, Set<string>>()
  private rv = 0
  private uidSeq = 0
  private nameSeq = 0
  private history: StoredEvent[] = []
  private historyStart = 0
  private compactedRv = 0
  private queue: StoredEvent[] = []
  private dispatching = false
  private readonly allWatchers = new Set<AllWatcher>()
  private work: Work[] = []
  private working = false
  private journal: Journal | undefined
  private closed = false
  /** The core/v1 namespaces table (every namespaced write checks its namespace). */
  private namespaces!: Table

  constructor(options: StoreOptions) {
    this.clock = options.clock
    this.seed = options.seed ?? 'kubectl-aim'
    this.registry = options.registry ?? defaultRegistry
    this.historySize = options.historySize ?? 5_000
    this.maxEventsPerNamespace = options.maxEventsPerNamespace ?? 1000
    this.sharedWrites = options.sharedWrites ?? true
    this.onWatchError =
      options.onWatchError ?? ((e) => process.stderr.write(`store: watch callback failed: ${e instanceof Error ? e.stack : String(e)}\n`))
    if (options.statePath) {
      const state = loadState(options.statePath)
      if (state) {
        this.rv = state.rv
        this.uidSeq = state.uidSeq
        this.nameSeq = state.nameSeq
        for (const entry of state.objects) this.restore(entry.obj, entry.group, entry.plural)
        this.compactedRv = this.rv
      }
      const snapshot = this.dump().map((obj) => {
        const info = this.tableForObject(obj).info
        return {obj, group: info.group, plural: info.plural}
      })
      this.journal = Journal.open(options.statePath, this.snapshotHeader(), snapshot, options.fsync ?? true)
    }
    const nsTable = (this.namespaces = this.table(NAMESPACES_REF))
    this.groupCommit(() => {
      for (const name of INITIAL_NAMESPACES) {
        if (!this.lookup(nsTable, '', name)) {
          this.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name}})
        }
      }
    })
  }

  // ---------------------------------------------------------------- kinds and tables

  kindFor(ref: ResourceRef): KindInfo {
    return this.table(ref).info
  }

  private table(ref: ResourceRef): Table {
    const known = this.tableByRef.get(ref)
    if (known && known.info.group === ref.group && known.info.plural === ref.plural) return known
    const key = `${ref.group}/${ref.plural}`
    let t = this.tables.get(key)
    if (t) {
      this.tableByRef.set(ref, t)
      return t
    }
    let info: KindInfo | undefined =
      (ref.version ? this.registry.forResource(ref.group, ref.version, ref.plural) : undefined) ??
      this.registry.kinds.find((k) => k.group === ref.group && k.plural === ref.plural)
    if (!info && ref.kind && ref.version && ref.namespaced !== undefined) {
      info = {
        listKind: `${ref.kind}List`,
        singular: ref.kind.toLowerCase(),
        shortNames: [],
        categories: [],
        custom: true,
        subresources: {},
        printerColumns: [],
        ...(ref as Partial<KindInfo>),
      } as KindInfo
    }
    if (!info) throw errors.unknownResource()
    t = {info, key, byNs: new Map(), count: 0, sortedKeys: undefined, sortedNames: new Map(), watchers: new Set()}
    if (info.group === '' && info.plural === 'events') t.byInvolved = new Map()
    this.tables.set(key, t)
    return t
  }

  private tableForObject(obj: KubeObject): Table {
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      throw errors.badRequest('Object \'Kind\' is missing in the request body')
    }
    const info = this.registry.forKind(obj.apiVersion, obj.kind)
    if (info) return this.table(info)
    const {group} = splitApiVersion(obj.apiVersion)
    for (const t of this.tables.values()) if (t.info.group === group && t.info.kind === obj.kind) return t
    const found = this.registry.kinds.find((k) => k.group === group && k.kind === obj.kind)
    if (found) return this.table(found)
    throw errors.unknownResource()
  }

  private lookup(t: Table, ns: string, name: string): KubeObject | undefined {
    return t.byNs.get(ns)?.get(name)
  }

  private nsKey(t: Table, namespace: string | undefined): string {
    return t.info.namespaced ? (namespace ?? '') : ''
  }

  // ---------------------------------------------------------------- reads

  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.table(ref)
    return this.lookup(t, this.nsKey(t, namespace), name)
  }

  mustGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject {
    const t = this.table(ref)
    const obj = this.lookup(t, this.nsKey(t, namespace), name)
    if (!obj) throw errors.notFound(t.info.group, t.info.plural, name)
    return obj
  }

  list(ref: ResourceRef, options: ListOptions = {}): {items: KubeObject[]; resourceVersion: string; continue?: string} {
    const t = this.table(ref)
    const labels = labelRequirements(options.labelSelector)
    const fields = parseFieldSelector(options.fieldSelector)
    checkFieldSelector(t.info, fields)
    const ns = t.info.namespaced ? options.namespace : undefined
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity
    const after = options.continue ? decodeContinue(options.continue) : undefined
    const whole = labels.length === 0 && fields.length === 0 && !after && limit === Infinity
    const listedKey = ns !== undefined && ns !== '' ? ns : ALL_NAMESPACES
    if (whole) {
      const cached = t.listed?.get(listedKey)
      if (cached) return {items: cached.slice(), resourceVersion: String(this.rv)}
    }
    const items: KubeObject[] = []
    let next: string | undefined
    // Visits keys in (namespace, name) order from the continue point; false stops the walk.
    const visit = (kns: string, kname: string, obj: KubeObject): boolean => {
      if (after && !(kns > after[0] || (kns === after[0] && kname > after[1]))) return true
      if (labels.length > 0 && !matchesLabelSelector(obj.metadata.labels, labels)) return true
      if (fields.length > 0 && !matchesFieldSelector(obj, fields)) return true
      if (items.length >= limit) {
        const last = items[items.length - 1]!
        next = encodeContinue(last.metadata.namespace ?? '', last.metadata.name ?? '', this.rv)
        return false
      }
      items.push(obj)
      return true
    }
    const involved = t.byInvolved && ns ? fields.find((f) => f.field === 'involvedObject.name' && f.operator === '=' && f.value !== '') : undefined
    const byLabel = involved ? undefined : labels.find((r) => r.operator === '=')
    if (byLabel) {
      // An equality requirement: only the names the label index holds for it, in (namespace, name) order.
      const candidates = this.labelIndex(t, byLabel.key).get(byLabel.values[0]!)
      if (candidates) {
        const namespaces = ns !== undefined && ns !== '' ? [ns] : [...candidates.keys()].sort()
        walk: for (const kns of namespaces) {
          const names = candidates.get(kns)
          const m = t.byNs.get(kns)
          if (!names || !m) continue
          for (const kname of names.size > 1 ? [...names].sort() : names) if (!visit(kns, kname, m.get(kname)!)) break walk
        }
      }
    } else if (involved && ns) {
      // Events about one object: only the names the involved-object index holds, in name order.
      const m = t.byNs.get(ns)
      const names = [...(t.byInvolved!.get(ns)?.get(involved.value) ?? [])].sort()
      if (m) for (const kname of names) if (!visit(ns, kname, m.get(kname)!)) break
    } else if (ns !== undefined && ns !== '') {
      // One namespace: walk only its names (same order and continue semantics as the full walk).
      const m = t.byNs.get(ns)
      if (m) for (const kname of this.sortedNamesIn(t, ns)) if (!visit(ns, kname, m.get(kname)!)) break
    } else {
      for (const [kns, kname] of this.sortedKeys(t)) if (!visit(kns, kname, this.lookup(t, kns, kname)!)) break
    }
    if (whole) (t.listed ??= new Map()).set(listedKey, items.slice())
    return next === undefined ? {items, resourceVersion: String(this.rv)} : {items, resourceVersion: String(this.rv), continue: next}
  }

  private sortedKeys(t: Table): Array<[string, string]> {
    if (t.sortedKeys) return t.sortedKeys
    const out: Array<[string, string]> = []
    for (const ns of [...t.byNs.keys()].sort()) {
      for (const name of this.sortedNamesIn(t, ns)) out.push([ns, name])
    }
    t.sortedKeys = out
    return out
  }

  /** The table's index for one label key, built from its objects on first use. */
  private labelIndex(t: Table, key: string): Map<string, Map<string, Set<string>>> {
    if (!t.byLabel) t.byLabel = new Map()
    let byValue = t.byLabel.get(key)
    if (byValue) return byValue
    byValue = new Map()
    for (const [kns, objs] of t.byNs) {
      for (const [kname, obj] of objs) {
        const value = labelOf(obj, key)
        if (value === undefined) continue
        let byNs = byValue.get(value)
        if (!byNs) byValue.set(value, (byNs = new Map()))
        let names = byNs.get(kns)
        if (!names) byNs.set(kns, (names = new Set()))
        names.add(kname)
      }
    }
    t.byLabel.set(key, byValue)
    return byValue
  }

  private sortedNamesIn(t: Table, ns: string): string[] {
    let names = t.sortedNames.get(ns)
    if (!names) {
      names = [...(t.byNs.get(ns)?.keys() ?? [])].sort()
      t.sortedNames.set(ns, names)
    }
    return names
  }

  /** Keep the sorted indexes in step with one added or removed name (an absent index is built later). */
  private indexName(t: Table, ns: string, name: string, added: boolean): void {
    t.sortedKeys = undefined
    const names = t.sortedNames.get(ns)
    if (!names) return
    let lo = 0
    let hi = names.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (names[mid]! < name) lo = mid + 1
      else hi = mid
    }
    if (added) {
      if (names[lo] !== name) names.splice(lo, 0, name)
    } else if (names[lo] === name) names.splice(lo, 1)
  }

  resourceVersion(): string {
    return String(this.rv)
  }

  dependentsOf(ref: ResourceRef, namespace: string | undefined, ownerUid: string): KubeObject[] {
    const t = this.table(ref)
    const ns = this.nsKey(t, namespace)
    const out: KubeObject[] = []
    for (const uid of this.dependents.get(ownerUid) ?? []) {
      const loc = this.byUid.get(uid)
      if (!loc || loc.table !== t || loc.ns !== ns) continue
      const obj = this.lookup(t, ns, loc.name)
      if (obj) out.push(obj)
    }
    return out.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0))
  }

  size(): number {
    let n = 0
    for (const t of this.tables.values()) n += t.count
    return n
  }

  dump(): KubeObject[] {
    const out: KubeObject[] = []
    for (const key of [...this.tables.keys()].sort()) {
      const t = this.tables.get(key)!
      for (const [ns, name] of this.sortedKeys(t)) out.push(this.lookup(t, ns, name)!)
    }
    return out
  }

  // ---------------------------------------------------------------- writes

  create(obj: KubeObject, options: WriteOptions = {}): KubeObject {
    this.checkOpen()
    const t = this.tableForObject(obj)
    return this.createInternal(t, obj, options, false)
  }

  createOwned(obj: KubeObject): KubeObject {
    this.checkOpen()
    const t = obj.apiVersion === 'v1' && obj.kind === 'Event' ? this.table(EVENTS_REF) : this.tableForObject(obj)
    // Defaulting a core/v1 Event is its JSON copy alone (no schema or built-in defaults): a plain JSON
    // object handed over is that copy already. Other kinds, and other input, take the general path.
    const owned = t.info.group === '' && t.info.plural === 'events' && isPlainJson(obj)
    return this.createInternal(t, obj, {}, false, owned)
  }

  // `keepManaged`: the managedFields come from apply.
  /**
   * Create from `input`, which is not changed (defaulting makes the store's own copy), unless `owned`:
   * then `input` is a plain JSON object the store takes as its defaulted copy (see createOwned).
   */
  private createInternal(t: Table, input: KubeObject, options: WriteOptions, keepManaged: boolean, owned = false): KubeObject {
    const info = t.info
    const o = owned ? input : withDefaults(input, info)
    const meta: ObjectMeta = (o.metadata ??= {})
    o.apiVersion ??= apiVersionOf(info)
    if (info.namespaced) {
      if (!meta.namespace) {
        throw errors.invalid(info.group, info.kind, meta.name ?? '', [
          {reason: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value'},
        ])
      }
      this.checkNamespaceWritable(meta.namespace, info)
    } else {
      delete meta.namespace
    }
    const ns = info.namespaced ? meta.namespace! : ''
    if (!meta.name) {
      if (!meta.generateName) {
        throw errors.invalid(info.group, info.kind, '', [
          {reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required'},
        ])
      }
      meta.name = this.generateName(t, ns, meta.generateName)
    }
    if (this.lookup(t, ns, meta.name)) throw errors.alreadyExists(info.group, info.plural, meta.name)
    delete meta.resourceVersion
    delete meta.deletionTimestamp
    delete meta.deletionGracePeriodSeconds
    meta.generation = 1
    meta.creationTimestamp = nowISO(this.clock)
    if (info.subresources.status) delete o.status
    if (info.group === '' && info.kind === 'Namespace') {
      o.spec = {finalizers: ['kubernetes']}
      o.status = {phase: 'Active'}
    }
    validate(o, info)
    if (keepManaged) {
      // apply computed them
    } else if (options.fieldManager) {
      meta.managedFields = trackUpdate(undefined, o, options.fieldManager, nowISO(this.clock), info, options.subresource)
    } else if (meta.managedFields === undefined) {
      delete meta.managedFields
    }
    if (options.dryRun) {
      meta.uid = seededUid(`${this.seed}/dry-run`, this.uidSeq + 1)
      return deepFreeze(o)
    }
    meta.uid = seededUid(this.seed, ++this.uidSeq)
    this.commit(t, 'ADDED', o, undefined)
    if (info.group === '' && info.plural === 'events') this.capEvents(t, ns)
    this.processWork()
    return this.current(t, ns, meta.name) ?? o
  }

  update(obj: KubeObject, options: WriteOptions = {}): KubeObject {
    this.checkOpen()
    const t = this.tableForObject(obj)
    const info = t.info
    const meta: ObjectMeta = obj.metadata ?? {}
    const ns = info.namespaced ? (meta.namespace ?? '') : ''
    const name = meta.name ?? ''
    if (options.subresource === 'status' && !info.subresources.status) throw errors.unknownResource()
    const old = this.lookup(t, ns, name)
    if (!old) throw errors.notFound(info.group, info.plural, name)
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
      if (meta.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(info.group, info.plural, name)
    } else if (info.custom) {
      throw errors.invalid(info.group, info.kind, name, [
        {reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update'},
      ])
    }
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw errors.conflict(info.group, info.plural, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`)
    }
    return this.updateInternal(t, old, obj.metadata ? obj : {...obj, metadata: {}}, options, false)
  }

  mutate(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => KubeObject | void,
    options: WriteOptions = {},
  ): KubeObject {
    return this.mutateInternal(ref, namespace, name, change, options, false)
  }

  mutateWithStatus(ref: ResourceRef, namespace: string | undefined, name: string, change: (obj: KubeObject) => KubeObject | void): KubeObject {
    return this.mutateInternal(ref, namespace, name, change, {}, true)
  }

  /** `withStatus`: the draft's status is written with the rest (mutateWithStatus), no subresource split. */
  private mutateInternal(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => KubeObject | void,
    options: WriteOptions,
    withStatus: boolean,
  ): KubeObject {
    this.checkOpen()
    const t = this.table(ref)
    if (options.subresource === 'status' && !t.info.subresources.status) throw errors.unknownResource()
    const old = this.lookup(t, this.nsKey(t, namespace), name)
    if (!old) throw errors.notFound(t.info.group, t.info.plural, name)
    // A mutable copy, except managedFields: the stored (frozen) list is shared, as callers replace it
    // rather than edit it, and copying it on every controller write is most of the copy's cost.
    // (Copies by for-in: object rest destructuring is several times slower in V8.)
    const managedFields = old.metadata.managedFields
    const meta: Record<string, unknown> = {}
    const om = old.metadata as Record<string, unknown>
    for (const k in om) if (k !== 'managedFields') meta[k] = om[k]
    // A status write only takes the draft's status: the rest stays the stored (frozen) parts, and the
    // status is copied only if the change reads it (most callers just assign a new one).
    const copy: Record<string, unknown> = {}
    const src = old as Record<string, unknown>
    let draft: KubeObject
    if (options.subresource === 'status') {
      for (const k in src) if (k !== 'status') copy[k] = src[k]
      copy.metadata = meta
      draft = copy as KubeObject
      if (old.status !== undefined) {
        ;(copy as Record<symbol, LazyStatus>)[LAZY_STATE] = {stored: old.status, value: undefined, copied: false}
        Object.defineProperty(draft, 'status', LAZY_STATUS)
      }
    } else {
      for (const k in src) copy[k] = k === 'metadata' ? meta : src[k]
      draft = clone(copy as KubeObject)
    }
    if (managedFields !== undefined) draft.metadata.managedFields = managedFields
    const result = change(draft) ?? draft
    if (options.subresource === 'status' && this.sharedWrites) {
      // A status write takes only the status and managedFields of the result. The status is copied
      // once, sharing what equals the stored one: when that is all of it (and managedFields are the
      // stored ones), the write is a no-op, found without a separate comparison walk.
      const status = result.status
      const copy = status === undefined ? undefined : jsonCopyShared(status, old.status)
      const mf = result.metadata?.managedFields
      if (copy === old.status && (mf === undefined || mf === old.metadata.managedFields)) return old
      return this.updateInternal(t, old, result.metadata ? result : {...result, metadata: {}}, options, false, false, {status: copy})
    }
    // Nothing changed: the write would be a no-op (defaulting an already defaulted object changes
    // nothing, and an unchanged object validates as it did), so skip copying and validating it.
    if (deepEqual(result, old)) return old
    return this.updateInternal(t, old, result.metadata ? result : {...result, metadata: {}}, options, false, false, undefined, withStatus)
  }

  apply(obj: KubeObject, options: WriteOptions & {fieldManager: string; force?: boolean}): KubeObject {
    return this.applyWithResult(obj, options).object
  }

  applyWithResult(obj: KubeObject, options: WriteOptions & {fieldManager: string; force?: boolean}): {object: KubeObject; created: boolean} {
    this.checkOpen()
    if (!options.fieldManager) {
      throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [
        {reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch'},
      ])
    }
    const t = this.tableForObject(obj)
    const info = t.info
    if (options.subresource === 'status' && !info.subresources.status) throw errors.unknownResource()
    const meta = obj.metadata ?? {}
    const ns = info.namespaced ? (meta.namespace ?? '') : ''
    const name = meta.name ?? ''
    if (!name) {
      throw errors.invalid(info.group, info.kind, '', [{reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name is required'}])
    }
    const old = this.lookup(t, ns, name)
    if (old && meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(info.group, info.plural, name)
    }
    if (!old && options.subresource === 'status') throw errors.notFound(info.group, info.plural, name)
    const now = nowISO(this.clock)
    const outcome: ApplyOutcome = applyPatch(old, obj, {
      manager: options.fieldManager,
      force: options.force ?? false,
      info,
      now,
      subresource: options.subresource,
    })
    if (outcome.conflicts.length > 0) throw ssaConflictError(outcome.conflicts)
    const result = outcome.object
    if (!old) return {object: this.createInternal(t, result, {dryRun: options.dryRun}, true), created: true}
    return {object: this.updateInternal(t, old, result, {dryRun: options.dryRun, subresource: options.subresource}, false, true), created: false}
  }

  /**
   * The shared update path: status-subresource split, immutable metadata, finalizer rules,
   * generation, no-op detection. `candidate` is not changed unless `internal` (then it is a copy
   * the store owns); otherwise defaulting makes the store's own copy first.
   */
  private updateInternal(
    t: Table,
    old: KubeObject,
    candidate: KubeObject,
    options: WriteOptions,
    internal: boolean,
    managedByApply = false,
    /** A status write's status, copied already (store-owned): only defaulted here. */
    copied?: {status: unknown},
    /** The candidate's status is written too (mutateWithStatus): no status subresource split. */
    withStatus = false,
  ): KubeObject {
    const info = t.info
    let next: KubeObject
    if (options.subresource === 'status') {
      next = {...old, metadata: {...old.metadata}, status: copied ? copied.status : candidate.status}
      if (managedByApply || candidate.metadata?.managedFields !== undefined) {
        const mf = candidate.metadata.managedFields
        next.metadata.managedFields = mf && Object.isFrozen(mf) ? mf : clone(mf)
      }
      // Everything but the status is the stored (frozen, defaulted) object's: only the status is copied.
      if (internal) next = clone(next)
      else if (copied) {
        const status = defaultStatus(info, next.status)
        if (status === undefined) delete next.status
        else next.status = status
      } else next = withStatusDefaults(next, info, old)
    } else {
      next = internal ? candidate : withDefaults(candidate, info, this.sharedWrites ? old : undefined)
      if (info.subresources.status && !withStatus) {
        if (old.status === undefined) delete next.status
        else next.status = old.status
      }
    }
    const meta = next.metadata
    const om = old.metadata
    meta.name = om.name
    if (om.namespace !== undefined) meta.namespace = om.namespace
    else delete meta.namespace
    meta.uid = om.uid
    meta.creationTimestamp = om.creationTimestamp
    meta.resourceVersion = om.resourceVersion
    if (om.deletionTimestamp !== undefined) {
      meta.deletionTimestamp = om.deletionTimestamp
      meta.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds
    } else {
      delete meta.deletionTimestamp
      delete meta.deletionGracePeriodSeconds
    }
    delete meta.generateName
    if (om.generateName !== undefined) meta.generateName = om.generateName
    if (om.deletionTimestamp && !internal) {
      const before = new Set(om.finalizers ?? [])
      const added = (meta.finalizers ?? []).filter((f) => !before.has(f))
      if (added.length > 0) {
        throw errors.invalid(info.group, info.kind, om.name ?? '', [
          {
            reason: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${goString(added)}`,
          },
        ])
      }
    }
    meta.generation = specEqual(old, next) ? om.generation : (om.generation ?? 0) + 1
    if (meta.generation === undefined) delete meta.generation
    if (meta.finalizers !== undefined && meta.finalizers.length === 0) delete meta.finalizers
    if (!internal) validate(next, info, old)
    if (meta.managedFields === undefined) {
      if (om.managedFields !== undefined) meta.managedFields = om.managedFields
    }
    if (deepEqual(next, old)) return old
    if (options.fieldManager && !managedByApply) {
      meta.managedFields = trackUpdate(old, next, options.fieldManager, nowISO(this.clock), info, options.subresource)
    }
    if (options.dryRun) return deepFreeze(next)
    this.commitUpdate(t, old, next)
    this.processWork()
    return this.current(t, om.namespace ?? '', om.name!) ?? next
  }

  /** Commit `next` over `old`: MODIFIED, or DELETED when the last finalizer of a deleting object went. */
  private commitUpdate(t: Table, old: KubeObject, next: KubeObject): void {
    const gone = next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers ?? []).length === 0
    if (gone && !(t.info.group === '' && t.info.kind === 'Namespace' && this.namespaceHasContent(next.metadata.name!))) {
      this.commit(t, 'DELETED', next, old)
    } else {
      this.commit(t, 'MODIFIED', next, old)
      if (next.metadata.deletionTimestamp) {
        if (t.info.group === '' && t.info.kind === 'Namespace') this.work.push({t: 'ns', name: next.metadata.name!})
        this.work.push({t: 'owner', uid: next.metadata.uid!})
      }
    }
  }

  delete(ref: ResourceRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    this.checkOpen()
    const t = this.table(ref)
    const info = t.info
    const ns = this.nsKey(t, namespace)
    const old = this.lookup(t, ns, name)
    if (!old) throw errors.notFound(info.group, info.plural, name)
    const pre = options.preconditions
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw errors.conflict(info.group, info.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`)
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw errors.conflict(
        info.group,
        info.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      )
    }
    if (info.group === '' && info.kind === 'Namespace' && PROTECTED_NAMESPACES.has(name)) {
      throw forbidden(info.group, info.plural, name, 'this namespace may not be deleted')
    }
    const result = this.deleteObject(t, old, options.propagationPolicy ?? 'Background', options.dryRun ?? false)
    this.processWork()
    return result
  }

  /** Delete one object: mark it (finalizers, foreground/orphan, namespaces) or remove it. */
  private deleteObject(t: Table, old: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan', dryRun: boolean): KubeObject {
    const info = t.info
    const ns = old.metadata.namespace ?? ''
    const name = old.metadata.name!
    if (old.metadata.deletionTimestamp) return old
    const isNamespace = info.group === '' && info.kind === 'Namespace'
    // Copied only when a policy adds a finalizer (most deletes, e.g. the event cap's, have none).
    let finalizers: readonly string[] = old.metadata.finalizers ?? NO_FINALIZERS
    if (policy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers = [...finalizers, FOREGROUND]
    if (policy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers = [...finalizers, ORPHAN]
    if (finalizers.length > 0 || isNamespace) {
      const next = clone(old)
      next.metadata.deletionTimestamp = nowISO(this.clock)
      next.metadata.deletionGracePeriodSeconds = 0
      if (finalizers.length > 0) next.metadata.finalizers = [...finalizers]
      next.metadata.generation = (old.metadata.generation ?? 0) + 1
      if (isNamespace) next.status = {...(next.status as object), phase: 'Terminating'}
      if (dryRun) return deepFreeze(next)
      this.commit(t, 'MODIFIED', next, old)
      if (isNamespace) this.work.push({t: 'ns', name})
      this.work.push({t: 'owner', uid: old.metadata.uid!})
      return this.lookup(t, ns, name) ?? next
    }
    if (dryRun) return old
    // The DELETED object is the stored one with a new resourceVersion: its frozen parts are shared.
    const final: KubeObject = {...old, metadata: {...old.metadata}}
    this.commit(t, 'DELETED', final, old)
    return final
  }

  // ---------------------------------------------------------------- the commit point

  private commit(t: Table, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject, old: KubeObject | undefined): void {
    const rv = ++this.rv
    obj.metadata.resourceVersion = String(rv)
    obj.metadata = orderedMeta(obj.metadata)
    deepFreeze(obj)
    const ns = obj.metadata.namespace ?? ''
    const name = obj.metadata.name!
    const uid = obj.metadata.uid!
    if (t.listed) {
      t.listed.delete(ns)
      t.listed.delete(ALL_NAMESPACES)
    }
    if (type === 'DELETED') {
      const m = t.byNs.get(ns)
      const stored = m?.get(name)
      indexInvolved(t, ns, stored, false)
      indexLabels(t, ns, name, stored, undefined)
      m?.delete(name)
      if (m && m.size === 0) t.byNs.delete(ns)
      t.count--
      this.indexName(t, ns, name, false)
      this.byUid.delete(uid)
      this.unlinkOwners(old ?? obj)
      if (this.dependents.has(uid)) this.work.push({t: 'owner', uid})
      const deletedRefs = obj.metadata.ownerReferences
      if (deletedRefs) for (let i = 0; i < deletedRefs.length; i++) this.work.push({t: 'owner', uid: deletedRefs[i]!.uid})
      if (t.info.namespaced && ns) {
        const nsObj = this.lookup(this.namespaces, '', ns)
        if (nsObj?.metadata.deletionTimestamp) this.work.push({t: 'ns', name: ns})
      }
    } else {
      let m = t.byNs.get(ns)
      if (!m) {
        m = new Map()
        t.byNs.set(ns, m)
      }
      const before = m.get(name)
      if (before === undefined) {
        t.count++
        this.indexName(t, ns, name, true)
      }
      // An Event's count bump keeps its involved object: its entry in that index stays as it is.
      const sameInvolved = t.byInvolved !== undefined && before !== undefined && involvedName(before) === involvedName(obj)
      if (!sameInvolved) indexInvolved(t, ns, before, false)
      indexLabels(t, ns, name, before, obj)
      m.set(name, obj)
      if (!sameInvolved) indexInvolved(t, ns, obj, true)
      if (t.commitOrder) {
        let order = t.commitOrder.get(ns)
        if (!order) t.commitOrder.set(ns, (order = {objects: [], head: 0}))
        order.objects.push(obj)
        // Stale entries of a namespace the cap never trims (updates, deletes) are dropped now and then.
        if (order.objects.length - order.head > 2 * m.size + 1024) {
          const current = m
          order.objects = order.objects.slice(order.head).filter((o) => current.get(o.metadata.name!) === o)
          order.head = 0
        }
      }
      // A new version of a stored object keeps its uid's location (same table, namespace and name).
      if (old === undefined) this.byUid.set(uid, {table: t, ns, name})
      if (old && old.metadata.ownerReferences === obj.metadata.ownerReferences) this.relinkOwners(obj)
      else {
        if (old) this.unlinkOwners(old)
        this.linkOwners(obj)
      }
      // Indexed loops over ownerReferences here and below: the stored lists are frozen, and V8's
      // array builtins and for-of take a slow path on frozen arrays (some() ~20x an indexed loop).
      const refs = obj.metadata.ownerReferences
      if (refs) {
        for (let i = 0; i < refs.length; i++) {
          if (!this.ownerAlive(obj, t, refs[i]!)) {
            this.work.push({t: 'dep', uid})
            break
          }
        }
      }
    }
    const event: StoredEvent = {rv, type, table: t, obj, old}
    this.history.push(event)
    if (this.history.length - this.historyStart > this.historySize) {
      // Every commit adds one entry and one resourceVersion, so the dropped (oldest) entry's version
      // follows from the newest one's: no read of that long-cold entry.
      this.compactedRv = rv - (this.history.length - 1 - this.historyStart)
      this.history[this.historyStart] = undefined as unknown as StoredEvent
      this.historyStart++
      if (this.historyStart >= this.historySize) {
        this.history = this.history.slice(this.historyStart)
        this.historyStart = 0
      }
    }
    if (this.journal) {
      const rec: JournalRecord =
        type === 'DELETED'
          ? {t: 'd', g: t.info.group, p: t.info.plural, ns, n: name, rv, u: this.uidSeq, s: this.nameSeq}
          : {t: 'p', g: t.info.group, p: t.info.plural, o: obj, rv, u: this.uidSeq, s: this.nameSeq}
      this.journal.append(rec)
    }
    this.queue.push(event)
    if (!this.dispatching) this.dispatch()
  }

  private linkOwners(obj: KubeObject): void {
    const refs = obj.metadata.ownerReferences
    if (!refs) return
    const uid = obj.metadata.uid!
    for (let i = 0; i < refs.length; i++) {
      const owner = refs[i]!.uid
      let set = this.dependents.get(owner)
      if (!set) {
        set = new Set()
        this.dependents.set(owner, set)
      }
      set.add(uid)
    }
  }

  /**
   * unlinkOwners then linkOwners of a new version with the same (shared) ownerReferences, without
   * dropping and making again the one-dependent sets most owners have: the sets end up the same,
   * in the same order (a set of several moves the uid to its end, as delete + add does).
   */
  private relinkOwners(obj: KubeObject): void {
    const refs = obj.metadata.ownerReferences
    if (!refs) return
    const uid = obj.metadata.uid!
    for (let i = 0; i < refs.length; i++) {
      const owner = refs[i]!.uid
      const set = this.dependents.get(owner)
      if (set === undefined) this.dependents.set(owner, new Set([uid]))
      else if (set.size > 1 || !set.has(uid)) {
        set.delete(uid)
        set.add(uid)
      }
    }
  }

  private unlinkOwners(obj: KubeObject): void {
    const refs = obj.metadata.ownerReferences
    if (!refs) return
    const uid = obj.metadata.uid!
    for (let i = 0; i < refs.length; i++) {
      const owner = refs[i]!.uid
      const set = this.dependents.get(owner)
      if (!set) continue
      set.delete(uid)
      if (set.size === 0) this.dependents.delete(owner)
    }
  }

  private current(t: Table, ns: string, name: string): KubeObject | undefined {
    return this.lookup(t, ns, name)
  }

  private byUidObject(uid: string): {table: Table; obj: KubeObject} | undefined {
    const loc = this.byUid.get(uid)
    if (!loc) return undefined
    const obj = this.lookup(loc.table, loc.ns, loc.name)
    return obj ? {table: loc.table, obj} : undefined
  }

  // ---------------------------------------------------------------- garbage collection

  /** Run queued GC and namespace work until nothing is left. Re-entrant calls return at once. */
  private processWork(): void {
    if (this.working) return
    this.working = true
    try {
      for (let i = 0; i < this.work.length; i++) {
        const item = this.work[i]!
        if (item.t === 'owner') this.collectOwner(item.uid)
        else if (item.t === 'dep') this.checkDependent(item.uid)
        else this.finishNamespace(item.name)
        if (i > 10_000 && i * 2 > this.work.length) {
          this.work = this.work.slice(i + 1)
          i = -1
        }
      }
      this.work = []
    } finally {
      this.working = false
    }
  }

  private collectOwner(uid: string): void {
    const deps = [...(this.dependents.get(uid) ?? [])]
    const owner = this.byUidObject(uid)
    if (!owner) {
      for (const depUid of deps) this.checkDependent(depUid)
      return
    }
    const o = owner.obj
    if (!o.metadata.deletionTimestamp) return
    const fins = o.metadata.finalizers ?? []
    if (fins.includes(ORPHAN)) {
      for (const depUid of deps) {
        const dep = this.byUidObject(depUid)
        if (dep) this.setOwnerRefs(dep.table, dep.obj, (dep.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid))
      }
      this.removeFinalizer(owner.table, ORPHAN, uid)
    } else if (fins.includes(FOREGROUND)) {
      for (const depUid of deps) {
        const dep = this.byUidObject(depUid)
        if (dep && !dep.obj.metadata.deletionTimestamp) this.deleteObject(dep.table, dep.obj, 'Foreground', false)
      }
      const blocking = [...(this.dependents.get(uid) ?? [])].some((depUid) => {
        const dep = this.byUidObject(depUid)
        return dep?.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true) ?? false
      })
      if (!blocking) this.removeFinalizer(owner.table, FOREGROUND, uid)
    }
  }

  /**
   * Whether an owner reference points at a live owner the dependent may have: same namespace or
   * cluster-scoped (a cluster-scoped dependent cannot be owned by a namespaced object).
   */
  private ownerAlive(dep: KubeObject, depTable: Table, ref: OwnerReference): boolean {
    const loc = this.byUid.get(ref.uid)
    if (!loc) return false
    if (loc.table.info.namespaced) return depTable.info.namespaced && loc.ns === (dep.metadata.namespace ?? '')
    return true
  }

  /** Collect a dependent whose owners are all gone; drop references to absent owners otherwise. */
  private checkDependent(depUid: string): void {
    const dep = this.byUidObject(depUid)
    if (!dep) return
    const refs = dep.obj.metadata.ownerReferences ?? []
    if (refs.length === 0) return
    const alive = refs.filter((r) => this.ownerAlive(dep.obj, dep.table, r))
    if (alive.length === refs.length) return
    if (alive.length === 0) {
      if (!dep.obj.metadata.deletionTimestamp) this.deleteObject(dep.table, dep.obj, 'Background', false)
    } else {
      this.setOwnerRefs(dep.table, dep.obj, alive)
    }
  }

  private setOwnerRefs(t: Table, obj: KubeObject, refs: OwnerReference[]): void {
    const next = clone(obj)
    if (refs.length > 0) next.metadata.ownerReferences = refs
    else delete next.metadata.ownerReferences
    this.updateInternal(t, obj, next, {}, true)
  }

  private removeFinalizer(t: Table, finalizer: string, uid: string): void {
    const cur = this.byUidObject(uid)
    if (!cur) return
    const next = clone(cur.obj)
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer)
    this.updateInternal(t, cur.obj, next, {}, true)
  }

  private namespaceHasContent(name: string): boolean {
    for (const t of this.tables.values()) {
      if (t.info.namespaced && (t.byNs.get(name)?.size ?? 0) > 0) return true
    }
    return false
  }

  private finishNamespace(name: string): void {
    const nsTable = this.table(NAMESPACES_REF)
    const nsObj = this.lookup(nsTable, '', name)
    if (!nsObj?.metadata.deletionTimestamp) return
    for (const t of [...this.tables.values()]) {
      if (!t.info.namespaced) continue
      const m = t.byNs.get(name)
      if (!m) continue
      for (const obj of [...m.values()]) {
        const cur = this.lookup(t, name, obj.metadata.name!)
        if (cur && !cur.metadata.deletionTimestamp) this.deleteObject(t, cur, 'Background', false)
      }
    }
    if (this.namespaceHasContent(name)) return
    const cur = this.lookup(nsTable, '', name)
    if (!cur || (cur.metadata.finalizers ?? []).length > 0) return
    const final = clone(cur)
    final.spec = {...(final.spec as object), finalizers: []}
    this.commit(nsTable, 'DELETED', final, cur)
  }

  private checkNamespaceWritable(namespace: string, info: KindInfo): void {
    const nsObj = this.lookup(this.namespaces, '', namespace)
    if (!nsObj) throw errors.notFound('', 'namespaces', namespace)
    if (nsObj.metadata.deletionTimestamp) {
      throw forbidden(
        info.group,
        info.plural,
        '',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      )
    }
  }

  /** Keep at most maxEventsPerNamespace core/v1 Events in a namespace, dropping the oldest. */
  private capEvents(t: Table, ns: string): void {
    const m = t.byNs.get(ns)
    if (!m || m.size <= this.maxEventsPerNamespace) return
    const excess = m.size - this.maxEventsPerNamespace
    if (!t.commitOrder) {
      // Build the commit-order index once: every namespace's events by ascending resourceVersion.
      t.commitOrder = new Map()
      for (const [kns, objs] of t.byNs) {
        const sorted = [...objs.values()].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
        t.commitOrder.set(kns, {objects: sorted, head: 0})
      }
    }
    // The oldest events by resourceVersion: the first current entries of the namespace's commit order.
    const order = t.commitOrder.get(ns)
    if (!order) return
    const victims: KubeObject[] = []
    const objects = order.objects
    while (victims.length < excess && order.head < objects.length) {
      const obj = objects[order.head]!
      objects[order.head++] = undefined as unknown as KubeObject
      if (m.get(obj.metadata.name!) === obj) victims.push(obj)
    }
    // Drop the consumed head once it is most of the queue (amortised O(1) per entry).
    if (order.head > 1024 && order.head * 2 > objects.length) {
      order.objects = objects.slice(order.head)
      order.head = 0
    }
    for (const v of victims) this.deleteObject(t, v, 'Background', false)
  }

  private generateName(t: Table, ns: string, base: string): string {
    const prefix = base.length > 58 ? base.slice(0, 58) : base
    for (;;) {
      const name = prefix + seededSuffix(this.seed, ++this.nameSeq)
      if (!this.lookup(t, ns, name)) return name
    }
  }

  // ---------------------------------------------------------------- watch

  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): Watch {
    const t = this.table(ref)
    const labels = parseLabelSelector(options.labelSelector)
    const fields = parseFieldSelector(options.fieldSelector)
    checkFieldSelector(t.info, fields)
    const w: Watcher = {
      namespace: t.info.namespaced && options.namespace ? options.namespace : undefined,
      labels,
      fields,
      startRv: this.rv,
      stopped: false,
      onEvent,
    }
    const from = options.resourceVersion
    if (from === undefined || from === '' || from === '0') {
      for (const obj of this.list(t.info, {namespace: w.namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector}).items) {
        this.safeCall(() => onEvent({type: 'ADDED', object: obj}))
      }
      if (options.sendInitialEvents && options.allowBookmarks) {
        const bm = this.bookmark(t.info)
        bm.object.metadata.annotations = {'k8s.io/initial-events-end': 'true'}
        this.safeCall(() => onEvent(bm))
      }
    } else {
      const n = Number(from)
      if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`invalid resource version: ${from}`)
      if (n < this.compactedRv) throw errors.gone(`too old resource version: ${n} (${this.compactedRv + 1})`)
      // Replay what happened after n from the history, then go live.
      const first = this.historyIndexAfter(n)
      for (let i = first; i < this.history.length; i++) {
        const ev = this.history[i]!
        if (ev.table === t) this.deliver(w, ev)
      }
      w.startRv = Math.max(this.rv, n)
    }
    t.watchers.add(w)
    return {
      stop: () => {
        w.stopped = true
        t.watchers.delete(w)
      },
    }
  }

  watchAll(onEvent: (event: WatchEvent, info: KindInfo, old?: KubeObject) => void): Watch {
    const w: AllWatcher = {startRv: this.rv, stopped: false, onEvent}
    this.allWatchers.add(w)
    return {
      stop: () => {
        w.stopped = true
        this.allWatchers.delete(w)
      },
    }
  }

  bookmark(ref: ResourceRef): WatchEvent {
    const info = this.table(ref).info
    return {type: 'BOOKMARK', object: {apiVersion: apiVersionOf(info), kind: info.kind, metadata: {resourceVersion: String(this.rv)}}}
  }

  private historyIndexAfter(rv: number): number {
    let lo = this.historyStart
    let hi = this.history.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.history[mid]!.rv <= rv) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private dispatch(): void {
    this.dispatching = true
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const ev = this.queue[i]!
        if (ev.table.watchers.size > 0) {
          for (const w of ev.table.watchers) {
            if (!w.stopped && ev.rv > w.startRv) this.deliver(w, ev)
          }
        }
        if (this.allWatchers.size > 0) {
          const wev: WatchEvent = {type: ev.type, object: ev.obj}
          const info = ev.table.info
          for (const w of this.allWatchers) {
            if (w.stopped || ev.rv <= w.startRv) continue
            try {
              w.onEvent(wev, info, ev.old)
            } catch (e) {
              this.onWatchError(e)
            }
          }
        }
      }
    } finally {
      this.queue = []
      this.dispatching = false
    }
  }

  private matches(w: Watcher, obj: KubeObject): boolean {
    if (w.namespace !== undefined && obj.metadata.namespace !== w.namespace) return false
    if (w.labels.length > 0 && !matchesLabelSelector(obj.metadata.labels, w.labels)) return false
    if (w.fields.length > 0 && !matchesFieldSelector(obj, w.fields)) return false
    return true
  }

  private deliver(w: Watcher, ev: StoredEvent): void {
    let type: WatchEvent['type'] | undefined
    if (ev.type === 'DELETED') {
      if (this.matches(w, ev.obj)) type = 'DELETED'
    } else if (ev.type === 'ADDED') {
      if (this.matches(w, ev.obj)) type = 'ADDED'
    } else {
      const now = this.matches(w, ev.obj)
      const before = ev.old !== undefined && this.matches(w, ev.old)
      if (now) type = before ? 'MODIFIED' : 'ADDED'
      else if (before) type = 'DELETED'
    }
    if (type) {
      const object = ev.obj
      this.safeCall(() => w.onEvent({type: type!, object}))
    }
  }

  private safeCall(fn: () => void): void {
    try {
      fn()
    } catch (e) {
      this.onWatchError(e)
    }
  }

  // ---------------------------------------------------------------- persistence

  private snapshotHeader(): {rv: number; uidSeq: number; nameSeq: number} {
    return {rv: this.rv, uidSeq: this.uidSeq, nameSeq: this.nameSeq}
  }

  private restore(obj: KubeObject, group: string, plural: string): void {
    const {version} = splitApiVersion(obj.apiVersion)
    const t = this.table({group, plural, version, kind: obj.kind, namespaced: obj.metadata.namespace !== undefined})
    const frozen = deepFreeze(obj)
    const ns = frozen.metadata.namespace ?? ''
    let m = t.byNs.get(ns)
    if (!m) {
      m = new Map()
      t.byNs.set(ns, m)
    }
    if (!m.has(frozen.metadata.name!)) t.count++
    indexInvolved(t, ns, m.get(frozen.metadata.name!), false)
    indexLabels(t, ns, frozen.metadata.name!, m.get(frozen.metadata.name!), frozen)
    m.set(frozen.metadata.name!, frozen)
    indexInvolved(t, ns, frozen, true)
    t.commitOrder = undefined
    t.sortedKeys = undefined
    t.listed = undefined
    t.sortedNames.delete(ns)
    this.byUid.set(frozen.metadata.uid!, {table: t, ns, name: frozen.metadata.name!})
    this.linkOwners(frozen)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.journal?.close()
    this.journal = undefined
  }

  groupCommit<T>(fn: () => T): T {
    return this.journal ? this.journal.group(fn) : fn()
  }

  flush(): void {
    this.journal?.flush()
  }

  private checkOpen(): void {
    if (this.closed) throw errors.internal('the store is closed')
  }
}

/**
 * A status write's draft status: the stored one is copied only when the change reads it (most
 * callers assign a new one). Module-level accessors, so a write allocates no closures. The state
 * sits on the draft under a symbol (which for-in, Object.keys and JSON leave out): a WeakMap entry
 * per draft cost ~5x the rest of the draft, mostly in the GC's ephemeron work.
 */
interface LazyStatus {
  stored: unknown
  value: unknown
  copied: boolean
}
const LAZY_STATE = Symbol('lazyStatus')
function getLazyStatus(this: Record<symbol, LazyStatus>): unknown {
  const s = this[LAZY_STATE]!
  if (!s.copied) {
    s.value = clone(s.stored)
    s.copied = true
  }
  return s.value
}
function setLazyStatus(this: Record<symbol, LazyStatus>, v: unknown): void {
  const s = this[LAZY_STATE]!
  s.value = v
  s.copied = true
}
const LAZY_STATUS: PropertyDescriptor = {get: getLazyStatus, set: setLazyStatus, enumerable: true, configurable: true}

const META_RANK = new Map<string, number>(OBJECT_META_FIELDS.map((k, i) => [k, i]))

/** Metadata in the order kube-apiserver serialises it (so `-o yaml` reads as usual). */
function orderedMeta(meta: ObjectMeta): ObjectMeta {
  const src = meta as Record<string, unknown>
  // Most writes keep the stored metadata's order: then the object is already what this builds.
  let rank = -1
  let ordered = true
  for (const k in src) {
    const r = META_RANK.get(k) ?? OBJECT_META_FIELDS.length
    if (src[k] === undefined || r < rank || (r === rank && r < OBJECT_META_FIELDS.length)) {
      ordered = false
      break
    }
    rank = r
  }
  if (ordered) return meta
  const out: Record<string, unknown> = {}
  for (const k of OBJECT_META_FIELDS) if (src[k] !== undefined) out[k] = src[k]
  for (const k in src) if (!(k in out) && src[k] !== undefined) out[k] = src[k]
  return out as ObjectMeta
}

function encodeContinue(ns: string, name: string, rv: number): string {
  return Buffer.from(JSON.stringify({v: 1, rv, ns, name})).toString('base64url')
}

function decodeContinue(token: string): [string, string] {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {ns?: unknown; name?: unknown}
    if (typeof parsed.ns === 'string' && typeof parsed.name === 'string') return [parsed.ns, parsed.name]
  } catch {
    // fall through
  }
  throw errors.badRequest(`continue key is not valid: ${token}`)
}

/**
 * The contract of the simulator's object store. The API server, the controllers and the tests
 * program against this interface; simulator/store implements it.
 *
 * Objects are plain JSON. The store owns metadata it is responsible for (uid, resourceVersion,
 * generation, creationTimestamp, deletionTimestamp, managedFields on apply) and throws
 * `ApiError` (src/api/status.ts) exactly where kube-apiserver would answer with an error Status.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'

/** Identifies a resource collection: the registry entry decides group, version, plural, scope. */
export type ResourceRef = Pick<KindInfo, 'group' | 'plural'> & Partial<KindInfo>

export interface ListOptions {
  namespace?: string // undefined = all namespaces (or cluster-scoped)
  labelSelector?: string // kubectl syntax: a=b,c!=d,e in (f,g),!h,i
  fieldSelector?: string // metadata.name=x, metadata.namespace=y, involvedObject.name=z, spec.nodeName=n
  limit?: number
  continue?: string
}

export interface WriteOptions {
  dryRun?: boolean
  fieldManager?: string
  /** Write only the status subresource (ignores spec/metadata changes except as kube does). */
  subresource?: 'status'
}

export interface DeleteOptions {
  dryRun?: boolean
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
  preconditions?: {uid?: string; resourceVersion?: string}
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'

export interface WatchEvent {
  type: WatchEventType
  object: KubeObject
}

export interface WatchOptions extends ListOptions {
  /** Resume after this version. Undefined or "0": synthetic ADDED events for the current state first. */
  resourceVersion?: string
  allowBookmarks?: boolean
  sendInitialEvents?: boolean
}

export interface Watch {
  stop(): void
}

export interface Store {
  /** The registry entry for a resource, or throws NotFound for an unknown one. */
  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined
  /** Like get, but throws ApiError NotFound. */
  mustGet(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject
  list(ref: ResourceRef, options?: ListOptions): {items: KubeObject[]; resourceVersion: string; continue?: string}
  create(obj: KubeObject, options?: WriteOptions): KubeObject
  /**
   * create() of an object the caller built for this call and hands over: the store may keep (and
   * freeze) it instead of copying it, so the caller must not use it afterwards. Same result as
   * create(obj). Optional: callers fall back to create() where a store lacks it.
   */
  createOwned?(obj: KubeObject): KubeObject
  /** Replace. Honours metadata.resourceVersion as a precondition (409 Conflict when stale). */
  update(obj: KubeObject, options?: WriteOptions): KubeObject
  /** Read-modify-write without a precondition: what controllers use for their own objects. */
  mutate(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    change: (obj: KubeObject) => KubeObject | void,
    options?: WriteOptions,
  ): KubeObject
  /**
   * Read-modify-write of spec and status together, in one commit and recorded for no field manager:
   * what kube-apiserver's own subresource handlers do through storage (pods/binding sets
   * spec.nodeName and the PodScheduled condition in one update).
   */
  mutateWithStatus(ref: ResourceRef, namespace: string | undefined, name: string, change: (obj: KubeObject) => KubeObject | void): KubeObject
  /** Server-side apply of a partial object by a field manager (409 on conflicts unless force). */
  apply(obj: KubeObject, options: WriteOptions & {fieldManager: string; force?: boolean}): KubeObject
  delete(ref: ResourceRef, namespace: string | undefined, name: string, options?: DeleteOptions): KubeObject
  watch(ref: ResourceRef, options: WatchOptions, onEvent: (event: WatchEvent) => void): Watch
  /**
   * Watch every resource at once (controllers use it to enqueue work). `old` is the object as it was
   * before a MODIFIED or DELETED event (undefined for ADDED).
   */
  watchAll(onEvent: (event: WatchEvent, info: KindInfo, old?: KubeObject) => void): Watch
  /** The newest resourceVersion handed out. */
  resourceVersion(): string
}

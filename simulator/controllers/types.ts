/**
 * Contracts between the controller runtime, the reconcilers and the rest of the simulator.
 * controller-runtime shape: a reconciler owns one kind, reconcile(key) is idempotent, reads the
 * store, writes children and status, and asks to be requeued after a (virtual) delay.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import type {VirtualClock} from '../clock/index.js'
import type {Store} from '../store/types.js'

export interface ObjectKey {
  namespace?: string
  name: string
}

export interface ReconcileResult {
  /** Reconcile this key again after this many virtual milliseconds. */
  requeueAfterMs?: number
}

export interface EventRecorder {
  /** Writes a core/v1 Event (type Normal|Warning) about `regarding`, deduplicated with a count. */
  event(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string): void
}

export interface ReconcileContext {
  store: Store
  clock: VirtualClock
  events: EventRecorder
  /** Deterministic randomness (seeded) for anything that would be random in a real cluster. */
  random: () => number
  logs: PodLogProvider
  /** The simulated container registry: what `docker inspect` of an image would show. */
  images: ImageRegistry
}

export interface ImageRegistry {
  /** The image's config labels (OCI + com.amd.aim.*), or undefined when the image does not exist. */
  inspect(image: string): {labels: Record<string, string>} | undefined
}

export interface Reconciler {
  /** A short name used in logs and as the field manager: `aim-service-controller`. */
  name: string
  /** The kind this reconciler owns; a change to an object of this kind enqueues its key. */
  for: Pick<KindInfo, 'group' | 'plural'>
  /**
   * Other kinds whose changes should enqueue keys of `for`: map a changed object to the keys to
   * reconcile (owner references, labels, or a lookup). `old` is the object before the change
   * (undefined when it was just created or when the runtime re-announces it).
   */
  watches?: Array<{kind: Pick<KindInfo, 'group' | 'plural'>; map: (obj: KubeObject, ctx: ReconcileContext, old?: KubeObject) => ObjectKey[]}>
  /**
   * Its own status writes never need another pass: a status-only change of the object it is
   * reconciling, written during that reconcile, does not enqueue the object again (other changes,
   * and status changes by anyone else, still do).
   */
  ownStatusWritesSettle?: boolean
  /**
   * Whether a change to an object this reconciler controls (controller ownerReference) can matter to
   * it; without it every change of a child enqueues the owner. `old` is the child before the change
   * (undefined when created); a deleted child is no longer in the store.
   */
  ownedChanged?: (child: KubeObject, old: KubeObject | undefined, ctx: ReconcileContext) => boolean
  /**
   * Whether a change to an object of its own kind can matter to it; without it every change enqueues
   * the object. `old` is the object before the change (undefined when created). Deletions always
   * enqueue (the filter is not asked).
   */
  forChanged?: (obj: KubeObject, old: KubeObject | undefined, ctx: ReconcileContext) => boolean
  /**
   * Children it creates while reconciling their owner are already accounted for in that reconcile:
   * their creation does not enqueue the owner again (their later changes still do, through
   * `ownedChanged`).
   */
  ownCreatesSettle?: boolean
  /**
   * An operator's reconciler rather than one of the cluster's own controllers: its queued keys run
   * only once the cluster's controllers have nothing queued. A cascade (pod → ReplicaSet →
   * Deployment → InferenceService) settles before the operator looks, and a key queued by several of
   * its steps is reconciled once, as a client-go work queue coalesces it.
   */
  waitsForCluster?: boolean
  /**
   * As `waitsForCluster`, and its keys also wait until the other `waitsForCluster` reconcilers have
   * nothing queued: a reconciler of the objects users create (AIMService) then looks at the models,
   * templates and caches it depends on once their own reconcilers have settled at that instant.
   */
  waitsForOperator?: boolean
  /** Called when the runtime starts watching (before the first reconcile): drop state kept from watch events. */
  onStart?: (ctx: ReconcileContext) => void
  reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult | void> | ReconcileResult | void
}

export interface PodLogOptions {
  container?: string
  tailLines?: number
  sinceSeconds?: number
  timestamps?: boolean
  previous?: boolean
}

/** Fake containers write lines here; `pods/log` and the discovery reader read them. */
export interface PodLogProvider {
  /** Lines so far; throws ApiError (400/404) like kubelet when the container is unknown or not started. */
  read(namespace: string, pod: string, options?: PodLogOptions): string[]
  /** New lines as they are written; returns an unsubscribe function. `onEnd` when the container stops. */
  follow(namespace: string, pod: string, options: PodLogOptions, onLine: (line: string) => void, onEnd: () => void): () => void
  append(namespace: string, pod: string, container: string, line: string): void
}

export interface ControllerManager {
  readonly logs: PodLogProvider
  start(): void
  stop(): void
  /** Resolve once no reconcile is queued or running (timers on the clock may still be pending). */
  idle(): Promise<void>
  /** idle(), then advance the clock to each next timer until none is due within `maxVirtualMs`. */
  settle(maxVirtualMs?: number): Promise<void>
}

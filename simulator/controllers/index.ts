/**
 * createControllerManager: the whole fake cluster in one call — the controller runtime, the
 * downstream controllers (scheduler, kubelet, jobs, deployments, KServe, KEDA, PVC binder,
 * Gateway API), the AIM reconcilers, GPU nodes, the image catalog and fault injection.
 */
import type {KubeObject} from '../../src/api/object.js'
import {DEFAULT_OPERATORS, operatorOf, registry, splitApiVersion, type Operator} from '../../src/api/registry.js'
import {isApiError} from '../../src/api/status.js'
import type {VirtualClock} from '../clock/index.js'
import type {Store} from '../store/types.js'
import {CatalogImageRegistry, loadBuiltinCatalog, loadCatalogDir, loadCatalogManifests} from '../cluster/catalog.js'
import {FaultInjector} from '../cluster/faults.js'
import {LogStore} from '../cluster/logs.js'
import {buildNodes, DEFAULT_GPUS_PER_NODE, DEFAULT_NODE_SPEC, parseNodeSpec} from '../cluster/nodes.js'
import {downstreamReconcilers, type ClusterDeps} from './downstream/index.js'
import {ControllerRuntime, seededRandom} from './runtime.js'
import type {ControllerManager, Reconciler} from './types.js'
import {aimReconcilers} from './aim/index.js'
import {omeReconcilers} from './ome/index.js'

export {ControllerRuntime, KubeEventRecorder, seededRandom, objectKey} from './runtime.js'

export interface ControllerManagerOptions {
  store: Store
  clock: VirtualClock
  /** Seed for everything random (pod name suffixes, IPs, jitter). Default "kubectl-aim". */
  seed?: string
  /** GPU node pools, `mi300x=2,mi325x=1`. Default: 2 nodes × 8 MI300X. */
  nodes?: string
  gpusPerNode?: number
  /** Extra catalog images (YAML files), added to the built-in catalog. */
  catalogDir?: string
  /** Default: the downstream controllers + aimReconcilers(). */
  reconcilers?: Reconciler[]
  /** Include the AIM reconcilers (default true; ignored when `reconcilers` is given). */
  aim?: boolean
  /**
   * The operators the cluster runs (default `aim`): reconcilers, watches and bootstrap objects of
   * the others' kinds are left out, as their CRDs are not installed.
   */
  operators?: readonly Operator[]
  /** Write namespaces, nodes, the default StorageClass, Gateways and catalog models on start. Default true. */
  bootstrap?: boolean
  /** Simulated download bandwidth, bytes per virtual second (default 1 GiB/s). */
  downloadBandwidth?: number
}

export type SimControllerManager = ControllerManager & {
  faults: FaultInjector
  images: CatalogImageRegistry
  runtime: ControllerRuntime
  logs: LogStore
}

export const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'aim-system', 'gateways', 'kgateway-system']

export function createControllerManager(options: ControllerManagerOptions): SimControllerManager {
  const {store, clock} = options
  parseNodeSpec(options.nodes ?? DEFAULT_NODE_SPEC) // fail fast on a bad --nodes value
  const gpusPerNode = options.gpusPerNode ?? DEFAULT_GPUS_PER_NODE
  const catalog = options.catalogDir ? loadCatalogDir(options.catalogDir) : loadBuiltinCatalog()
  const images = new CatalogImageRegistry(catalog)
  const logs = new LogStore(clock, store)
  const faults = new FaultInjector(store, clock)
  if (options.downloadBandwidth) faults.setBandwidth(options.downloadBandwidth)
  const random = seededRandom(options.seed ?? 'kubectl-aim')
  const deps: ClusterDeps = {faults, images, logs}
  const operators = options.operators ?? DEFAULT_OPERATORS
  const runs = (group: string) => {
    const op = operatorOf(group)
    return op === undefined || operators.includes(op)
  }
  const reconcilers = (
    options.reconcilers ?? (options.aim === false ? downstreamReconcilers(deps) : [...downstreamReconcilers(deps), ...aimReconcilers(), ...omeReconcilers()])
  )
    .filter((r) => runs(r.for.group))
    .map((r) => (r.watches?.every((w) => runs(w.kind.group)) ?? true ? r : withWatches(r, r.watches!.filter((w) => runs(w.kind.group)))))
  const bootstrap = options.bootstrap ?? true

  const runtime = new ControllerRuntime({
    store,
    clock,
    reconcilers,
    logs,
    images,
    random,
    bootstrap: bootstrap
      ? () => {
          for (const obj of bootstrapObjects(clock, options.nodes ?? DEFAULT_NODE_SPEC, gpusPerNode)) {
            if (runs(splitApiVersion(obj.apiVersion).group)) createIfMissing(store, obj)
          }
        }
      : undefined,
  })
  faults.notify = (name, key) => runtime.trigger(name, key)

  return {
    logs,
    faults,
    images,
    runtime,
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    idle: () => runtime.idle(),
    settle: (ms?: number) => runtime.settle(ms),
  }
}

/** The objects a fresh simulated cluster starts with. */
export function bootstrapObjects(clock: VirtualClock, nodes = DEFAULT_NODE_SPEC, gpusPerNode = DEFAULT_GPUS_PER_NODE): KubeObject[] {
  const objects: KubeObject[] = []
  for (const name of BOOTSTRAP_NAMESPACES) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name, labels: {'kubernetes.io/metadata.name': name}},
      spec: {finalizers: ['kubernetes']},
      status: {phase: 'Active'},
    })
  }
  objects.push(...buildNodes(parseNodeSpec(nodes), gpusPerNode, clock.nowISO()))
  objects.push({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {name: 'standard', annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}},
    provisioner: 'sim.aim.amd.com/nfs',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
    parameters: {accessModes: 'ReadWriteOnce,ReadWriteMany'},
  })
  for (const [namespace, name] of [
    ['gateways', 'inference-gateway'],
    ['kgateway-system', 'kserve-ingress-gateway'],
  ] as const) {
    objects.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: {name, namespace},
      spec: {
        gatewayClassName: 'kgateway',
        listeners: [{name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: {namespaces: {from: 'All'}}}],
      },
    })
  }
  objects.push(...loadCatalogManifests())
  return objects
}

/** A reconciler with fewer watches; keeps its prototype (some reconcilers are class instances). */
function withWatches(r: Reconciler, watches: NonNullable<Reconciler['watches']>): Reconciler {
  return Object.assign(Object.create(Object.getPrototypeOf(r) as object) as Reconciler, r, {watches})
}

function createIfMissing(store: Store, obj: KubeObject): void {
  try {
    const status = obj.status
    const created = store.create(obj)
    // Status is not taken from a create for kinds with a status subresource; write it separately.
    if (status !== undefined && JSON.stringify(created.status) !== JSON.stringify(status)) {
      const ref = refOf(created)
      store.mutate(ref, created.metadata.namespace, created.metadata.name ?? '', (o) => {
        o.status = status
      }, {subresource: 'status'})
    }
  } catch (error) {
    if (isApiError(error) && error.code === 409) return
    throw error
  }
}

function refOf(obj: KubeObject): {group: string; plural: string} {
  const info = registry.forKind(obj.apiVersion, obj.kind)
  if (!info) throw new Error(`unknown kind ${obj.apiVersion} ${obj.kind}`)
  return info
}


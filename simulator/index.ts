/**
 * startSimulator: the whole simulated cluster in one call — virtual clock, object store,
 * controller manager (AIM reconcilers + fake downstream cluster) and the HTTPS API server that
 * stock kubectl and client-node talk to. Tests run it on port 0 with a manual clock and call
 * settle(); `kubectl aim simulate` runs it with the clock at real time × speed.
 */
import {randomBytes} from 'node:crypto'
import type {KubeObject} from '../src/api/object.js'
import {DEFAULT_OPERATORS, servedKinds, type Operator} from '../src/api/registry.js'
import {VirtualClock, drainAsyncWork} from './clock/index.js'
import {createStore, type SimStore} from './store/index.js'
import {createControllerManager, type SimControllerManager} from './controllers/index.js'
import type {PodLogProvider} from './controllers/types.js'
import {startApiServer, type ApiServer, type RequestLogEntry} from './apiserver/server.js'
import {loadOrCreateServingCert} from './apiserver/tls.js'
import {kubeconfigText, writeKubeconfigFile} from './apiserver/kubeconfig.js'
import {MemoryPodLogs} from './apiserver/memory-logs.js'
import {apiExtras} from './apiserver/extras.js'
import {DynamicRegistry} from './apiserver/crds.js'

export interface SimulatorOptions {
  /** 0 or undefined: a random free port on 127.0.0.1. */
  port?: number
  /** Bearer token clients must send; random when not given. */
  token?: string
  /** Seeds uids, generated names and every random choice in the cluster. */
  seed?: string
  /** Persist objects here (journal); the TLS certificate is cached beside it. */
  statePath?: string
  /** GPU node pools, e.g. "mi300x=2,mi325x=1". */
  nodes?: string
  /** Extra catalog images (YAML files). */
  catalogDir?: string
  /** GPUs per node (default 8); applies to nodes the simulator creates. */
  gpusPerNode?: number
  /** undefined: a manual virtual clock (tests call settle/advance); a number: real time × speed. */
  speed?: number
  /** Run the controller manager (default true). */
  controllers?: boolean
  /**
   * Operators the cluster runs (default `aim`): only their kinds are served, in kube-apiserver's
   * discovery order, so a name two operators share (`inferenceservice`) resolves as on a real cluster.
   */
  operators?: readonly Operator[]
}

export interface Simulator {
  /** `https://127.0.0.1:PORT` */
  url: string
  token: string
  /** A kubeconfig (current context `aim-simulator`) with the CA and the token. */
  kubeconfig: string
  /** The serving certificate (PEM), which is also the CA clients trust. */
  caCert: string
  clock: VirtualClock
  store: SimStore
  /** Undefined when started with `controllers: false`. */
  manager: SimControllerManager | undefined
  /** Where pods/log reads: the manager's log store, or an in-memory one without controllers. */
  logs: PodLogProvider
  /** Every HTTP request served (method, path, query, content type, status, ms). */
  requestLog: RequestLogEntry[]
  /** Let reconciles finish and fire due timers up to `maxVirtualMs` ahead (manager.settle). */
  settle(maxVirtualMs?: number): Promise<void>
  /** Writes the kubeconfig with mode 0600. */
  writeKubeconfig(path: string): void
  /** Closes the server and every stream, stops the manager and the clock, closes the store. */
  stop(): Promise<void>
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  // Real-time mode starts at wall time so that ages kubectl computes itself (describe) read right;
  // a manual clock keeps the deterministic default start.
  const clock = options.speed === undefined ? new VirtualClock() : new VirtualClock(Math.floor(Date.now() / 1000) * 1000)
  // Making a certificate is mostly asynchronous crypto: start it now and build the store and the
  // controllers meanwhile.
  const certPromise = loadOrCreateServingCert(options.statePath)
  certPromise.catch(() => undefined)
  // Per simulator, so that CRDs created in one never change the kinds another one serves.
  const operators = options.operators ?? DEFAULT_OPERATORS
  const registry = new DynamicRegistry(servedKinds(operators))
  const extras = apiExtras()
  // The journal syncs once per event-loop turn, and before anything leaves the API server
  // (beforeSend below): a burst of controller writes (a fresh cluster's first second: ~300) costs
  // one fdatasync instead of one each, and no client ever sees a write a crash could lose.
  const store = createStore({clock, seed: options.seed, statePath: options.statePath, registry, fsync: 'deferred'})
  let manager: SimControllerManager | undefined
  let server: ApiServer | undefined
  try {
    manager =
      options.controllers === false
        ? undefined
        : createControllerManager({store, clock, seed: options.seed, nodes: options.nodes, gpusPerNode: options.gpusPerNode, catalogDir: options.catalogDir, operators})
    const logs: PodLogProvider = manager?.logs ?? new MemoryPodLogs(() => clock.now())
    const cert = await certPromise
    server = await startApiServer({
      store,
      cert,
      token,
      registry,
      port: options.port,
      now: () => clock.now(),
      logs,
      openapi: extras.openapi,
      validator: extras.validator,
      beforeSend: () => store.flush(),
    })
    // A previous run's clock ran at × speed, ahead of wall time: resume after its newest timestamp
    // so time never runs backwards for the objects it left.
    const newest = options.statePath === undefined ? undefined : newestTimestamp(store.dump())
    if (newest !== undefined && newest >= clock.now()) await clock.advance(newest - clock.now() + 1000)
    // The bootstrap objects are written before any request is served: one group commit.
    store.groupCommit(() => manager?.start())
    if (options.speed !== undefined) clock.startRealTime(options.speed)
    const kubeconfig = kubeconfigText(server.url, cert.certPem, token)
    const srv = server
    const mgr = manager
    let stopped = false
    return {
      url: server.url,
      token,
      kubeconfig,
      caCert: cert.certPem,
      clock,
      store,
      manager,
      logs,
      requestLog: server.requestLog,
      settle: async (maxVirtualMs?: number) => {
        if (mgr) await mgr.settle(maxVirtualMs)
        else await drainAsyncWork()
      },
      writeKubeconfig: (path: string) => writeKubeconfigFile(path, kubeconfig),
      stop: async () => {
        if (stopped) return
        stopped = true
        await clock.stopRealTime()
        mgr?.stop()
        await srv.close()
        store.close()
      },
    }
  } catch (e) {
    manager?.stop()
    await server?.close()
    store.close()
    throw e
  }
}

/** The newest timestamp in any object's metadata (creation, deletion, managed fields). */
function newestTimestamp(objects: KubeObject[]): number | undefined {
  let newest: number | undefined
  const see = (value: string | undefined) => {
    const t = value ? Date.parse(value) : NaN
    if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t
  }
  for (const obj of objects) {
    see(obj.metadata.creationTimestamp)
    see(obj.metadata.deletionTimestamp)
    for (const entry of obj.metadata.managedFields ?? []) see(entry.time)
  }
  return newest
}

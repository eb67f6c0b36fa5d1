/**
 * The in-process simulator a scenario runs against: a store, the controller manager (every
 * reconciler, GPU nodes, catalog, faults) on a virtual clock. The HTTPS API server is started only
 * when a step runs a command (`kubectl-aim`, `kubectl`).
 */
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {stringify} from 'yaml'
import {DEFAULT_OPERATORS, KindRegistry, servedKinds} from '../../src/api/registry.js'
import {VirtualClock} from '../clock/index.js'
import {createControllerManager, type SimControllerManager} from '../controllers/index.js'
import {createStore, type SimStore} from '../store/index.js'
import type {ImagePullFailure} from '../cluster/faults.js'
import {FAULTS, type Scenario} from './schema.js'
import type {ScenarioHarness} from './runner.js'

const NODES = {group: '', plural: 'nodes'}
const ISVCS = {group: 'serving.kserve.io', plural: 'inferenceservices'}


export class FaultSpecError extends Error {}

function str(spec: Record<string, unknown>, key: string, fault: string): string {
  const v = spec[key]
  if (typeof v !== 'string' || v === '') throw new FaultSpecError(`fault ${fault} needs "${key}" (a string)`)
  return v
}

function num(spec: Record<string, unknown>, key: string, fault: string): number {
  const v = spec[key]
  if (typeof v !== 'number' || !(v >= 0)) throw new FaultSpecError(`fault ${fault} needs "${key}" (a number >= 0)`)
  return v
}

/** The InferenceService behind an AIMService (by the service-name label) or named directly. */
function isvcName(store: SimStore, spec: Record<string, unknown>): {namespace: string; name: string} {
  const namespace = str(spec, 'namespace', 'load')
  if (typeof spec['isvc'] === 'string') return {namespace, name: spec['isvc']}
  const service = str(spec, 'service', 'load')
  const items = store.list(ISVCS, {namespace, labelSelector: `aim.eai.amd.com/service.name=${service}`}).items
  if (items.length !== 1) throw new FaultSpecError(`fault load: AIMService ${namespace}/${service} has ${items.length} InferenceServices`)
  return {namespace, name: items[0]!.metadata.name!}
}

export function applyFault(manager: SimControllerManager, store: SimStore, action: 'inject' | 'clear', spec: Record<string, unknown>): void {
  const entries = Object.entries(spec)
  if (entries.length !== 1) throw new FaultSpecError(`a fault names exactly one of: ${FAULTS.join(', ')}`)
  const [fault, raw] = entries[0]!
  const args = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const f = manager.faults
  const inject = action === 'inject'
  switch (fault) {
    case 'imagePull': {
      const image = str(args, 'image', fault)
      if (inject) f.failImagePull(image, (args['reason'] as ImagePullFailure | undefined) ?? 'NotFound')
      else f.clearImagePull(image)
      return
    }
    case 'download': {
      const source = str(args, 'source', fault)
      if (inject) f.failDownload(source)
      else f.clearDownload(source)
      return
    }
    case 'crashPod': {
      const namespace = str(args, 'namespace', fault)
      const pod = str(args, 'pod', fault)
      if (inject) f.crashPod(namespace, pod)
      else f.clearCrash(namespace, pod)
      return
    }
    case 'crashImage': {
      const image = str(args, 'image', fault)
      if (inject) f.crashImage(image)
      else f.clearCrashImage(image)
      return
    }
    case 'load': {
      const {namespace, name} = isvcName(store, args)
      f.setLoad(namespace, name, inject ? num(args, 'running', fault) : 0)
      return
    }
    case 'nodeNotReady':
      f.setNodeReady(str(args, 'node', fault), !inject)
      return
    case 'removeNode':
    case 'removeGpuLabels': {
      if (!inject) throw new FaultSpecError(`fault ${fault} cannot be cleared`)
      const node = str(args, 'node', fault)
      const names = node === '*' ? store.list(NODES).items.map((n) => n.metadata.name!) : [node]
      for (const n of names) {
        if (fault === 'removeNode') f.removeNode(n)
        else f.removeGpuLabels(n)
      }
      return
    }
    case 'bandwidth':
      f.setBandwidth(inject ? num(args, 'bytesPerSecond', fault) : 2 ** 30)
      return
    default:
      throw new FaultSpecError(`unknown fault "${fault}" (expected one of: ${FAULTS.join(', ')})`)
  }
}

export interface HarnessParts {
  clock: VirtualClock
  store: SimStore
  manager: SimControllerManager
}

/** Build and start the simulated cluster for a scenario (no ports). */
export async function createHarness(scenario: Scenario): Promise<ScenarioHarness & HarnessParts> {
  const clock = new VirtualClock()
  // Only the scenario's operators' kinds exist, as in `kubectl aim simulate --operators`.
  const registry = new KindRegistry(servedKinds(scenario.operators ?? DEFAULT_OPERATORS))
  const store = createStore({clock, seed: String(scenario.seed ?? 'kubectl-aim'), onWatchError: () => {}, registry})
  let catalogDir: string | undefined
  if (scenario.catalog.length > 0) {
    catalogDir = mkdtempSync(join(tmpdir(), 'aim-scenario-catalog-'))
    writeFileSync(join(catalogDir, 'scenario.yaml'), stringify({images: scenario.catalog}))
  }
  const noGpus = scenario.nodes !== undefined && scenario.nodes.length === 0
  const nodes = scenario.nodes && scenario.nodes.length > 0 ? scenario.nodes.map((p) => `${p.gpu.model.toLowerCase()}=${p.count}`).join(',') : undefined
  const manager = createControllerManager({store, clock, seed: String(scenario.seed ?? 'kubectl-aim'), nodes, gpusPerNode: scenario.gpusPerNode, catalogDir, operators: scenario.operators})
  manager.start()
  await manager.idle()
  if (noGpus) {
    for (const node of store.list(NODES).items) store.delete(NODES, undefined, node.metadata.name!)
    await manager.idle()
  }
  let server: {kubeconfigPath: string; stop: () => Promise<void>} | undefined

  return {
    clock,
    store,
    manager,
    async advance(ms) {
      await clock.advance(ms)
      await manager.idle()
    },
    async settle(ms) {
      await manager.settle(ms)
    },
    fault(action, spec) {
      applyFault(manager, store, action, spec)
    },
    async serve() {
      if (!server) server = await serveStore(store, clock, manager, registry)
      return {kubeconfigPath: server.kubeconfigPath}
    },
    async stop() {
      await clock.stopRealTime()
      if (server) await server.stop()
      manager.stop()
      store.close()
      if (catalogDir) rmSync(catalogDir, {recursive: true, force: true})
    },
  }
}

/** Serve the store over HTTPS on a free loopback port and write a kubeconfig for it (mode 0600). */
async function serveStore(store: SimStore, clock: VirtualClock, manager: SimControllerManager, registry: KindRegistry): Promise<{kubeconfigPath: string; stop: () => Promise<void>}> {
  const [{startApiServer}, {generateServingCert}, {kubeconfigText, writeKubeconfigFile}, {loadApiExtras}] = await Promise.all([
    import('../apiserver/server.js'),
    import('../apiserver/tls.js'),
    import('../apiserver/kubeconfig.js'),
    import('../apiserver/extras.js'),
  ])
  const [cert, extras] = await Promise.all([generateServingCert(), loadApiExtras()])
  const token = randomBytes(24).toString('base64url')
  const server = await startApiServer({store, cert, token, registry, now: () => clock.now(), logs: manager.logs, openapi: extras.openapi, validator: extras.validator})
  const dir = mkdtempSync(join(tmpdir(), 'aim-scenario-kube-'))
  const kubeconfigPath = join(dir, 'kubeconfig')
  writeKubeconfigFile(kubeconfigPath, kubeconfigText(server.url, cert.certPem, token))
  return {
    kubeconfigPath,
    async stop() {
      await server.close()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

import type {registry} from '../../src/api/registry.js'
import type {VirtualClock} from '../../simulator/clock/index.js'
import type {createControllerManager} from '../../simulator/controllers/index.js'
import type {createStore} from '../../simulator/store/index.js'

export interface SimulatorModules {
  registry: typeof registry
  VirtualClock: typeof VirtualClock
  createControllerManager: typeof createControllerManager
  createStore: typeof createStore
}

export interface ScaleResult {
  /** What ran: the built dist/ in its own process, or the sources through tsx. */
  from: string
  wallMs: number
  /** Of wallMs, the cluster boot before any service is applied (catalog discovery, 10 virtual minutes). */
  bootMs: number
  virtualMs: number
  running: number
  total: number
  peakRssMb: number
  reconciles: number
  objects: number
}

export function runScaleWith(sim: SimulatorModules, nodes: number, services: number, from: string): Promise<ScaleResult>
export function loadBuilt(root: string): Promise<SimulatorModules>

/** What every request handler can reach: the store, the kinds, the clock, logs, validation. */
import type {KindInfo, KindRegistry} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import type {Store} from '../store/types.js'
import type {PodLogProvider} from '../controllers/types.js'

export interface Validator {
  /** Dotted paths of fields the kind's schema does not know (`spec.foo`), for fieldValidation. */
  unknownFields?(obj: KubeObject, info: KindInfo): string[]
}

export interface ServerContext {
  store: Store
  registry: KindRegistry
  /** Virtual now (ms) for Table ages. */
  now(): number
  logs(): PodLogProvider | undefined
  validator: Validator
  /** Called when the server stops: close every open stream. */
  closers: Set<() => void>
  /** Called before a watch event is written (responses call it through writeHead). */
  beforeSend?: (() => void) | undefined
}

/** The resource a request addresses. */
export interface Target {
  info: KindInfo
  namespace?: string
  name?: string
  subresource?: string
}

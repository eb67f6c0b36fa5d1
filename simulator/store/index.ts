/**
 * The simulator's object store. `createStore` returns a SimStore: the Store contract of
 * ./types.ts plus size(), dump(), bookmark(), applyWithResult(), kindFor() and close().
 *
 * What callers should know:
 * - Objects handed out (get, list, watch events, write results) are deep-frozen and shared:
 *   read them, never change them; write through mutate() (it passes a mutable copy) or a copy.
 * - Watch callbacks run synchronously, in resourceVersion order, after the write is stored; a
 *   write made inside a callback is delivered after the current event reaches every watcher.
 * - Garbage collection (ownerReferences), foreground/orphan finalizers and namespace cleanup run
 *   synchronously at the end of the write that triggers them: when delete() returns, dependents
 *   without finalizers of their own are gone.
 * - Writes go through src/api/validation (defaults, 422 Invalid); writes that change nothing
 *   return the stored object without a new resourceVersion or event.
 */
import type {KindRegistry} from '../../src/api/registry.js'
import type {VirtualClock} from '../clock/index.js'
import {MemoryStore, type SimStore, type StoreOptions} from './memory.js'

export function createStore(options: {
  clock: VirtualClock
  seed?: string
  statePath?: string
  registry?: KindRegistry
} & Partial<StoreOptions>): SimStore {
  return new MemoryStore(options)
}

export {MemoryStore, type SimStore, type StoreOptions} from './memory.js'
export * from './types.js'
export {
  parseLabelSelector,
  matchesLabelSelector,
  parseFieldSelector,
  matchesFieldSelector,
  checkFieldSelector,
  fieldValue,
  supportedFields,
  type LabelRequirement,
  type FieldRequirement,
} from './selectors.js'
export {fieldsOf, toFieldsV1, fromFieldsV1, pathString} from './ssa.js'

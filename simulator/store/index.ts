/**
 * The simulator's object store. `createStore` returns a SimStore: the Store contract of
 * ./types.ts plus size(), dump(), bookmark(), applyWithResult(), kindFor() and close().
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

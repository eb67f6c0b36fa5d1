/**
 * Adapter to src/api/validation.ts (written by the api engineer). Until that module lands this is
 * a local no-op: defaults are not applied and every object is valid.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'

/** Fill defaults in place (create, update, apply). */
export function applyDefaultsTo(_obj: KubeObject, _info: KindInfo): void {}

/** Throw ApiError 422 when the object is invalid. `old` is the stored object on updates. */
export function validate(_obj: KubeObject, _info: KindInfo, _old?: KubeObject): void {}

/**
 * Adapter to src/api/validation.ts: defaulting and validation as kube-apiserver does them on
 * every write, turned into the store's shape (a defaulted copy; ApiError 422 on invalid objects).
 */
import type {KubeObject} from '../../src/api/object.js'
import type {KindInfo} from '../../src/api/registry.js'
import {errors} from '../../src/api/status.js'
import {applyDefaults, applyStatusDefaults, defaultStatus, jsonCopyShared, validateObject} from '../../src/api/validation.js'

export {defaultStatus, jsonCopyShared}

/**
 * A defaulted copy of the object (create, update, apply). With `stored` (an update), the parts equal
 * to the stored object's are its frozen parts, shared rather than copied.
 */
export function withDefaults(obj: KubeObject, info: KindInfo, stored?: KubeObject): KubeObject {
  if (stored !== undefined) return applyDefaults(info, obj, stored)
  const mf = obj.metadata?.managedFields
  if (mf === undefined || !Object.isFrozen(mf)) return applyDefaults(info, obj)
  // A stored (frozen) managedFields list is shared, not copied: defaulting never touches it and the
  // store replaces it rather than editing it.
  const {managedFields: _shared, ...meta} = obj.metadata!
  const out = applyDefaults(info, {...obj, metadata: meta})
  out.metadata.managedFields = mf
  return out
}

/**
 * A status write over the stored (defaulted) `obj`: only its status is copied and defaulted; the
 * parts equal to `stored`'s status are shared with it (frozen, defaulted already).
 */
export function withStatusDefaults(obj: KubeObject, info: KindInfo, stored?: KubeObject): KubeObject {
  return applyStatusDefaults(info, obj, stored)
}

/** Throw ApiError 422 when the object is invalid. `old` is the stored object on updates. */
export function validate(obj: KubeObject, info: KindInfo, old?: KubeObject): void {
  const causes = validateObject(info, obj, old)
  if (causes.length > 0) throw errors.invalid(info.group, info.kind, obj.metadata?.name ?? '', causes)
}

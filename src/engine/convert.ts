/** Legacy aim.silogen.ai/v1alpha1 manifests → aim.eai.amd.com/v1alpha1 (reference §13.3). */
import type {KubeObject} from '../api/object.js'

export interface ConversionResult {
  objects: KubeObject[]
  /** One line per field or kind without an equivalent, or changed meaning. */
  notes: string[]
}

export function convertLegacy(docs: readonly KubeObject[]): ConversionResult {
  void docs
  throw new Error('convertLegacy: not implemented yet')
}

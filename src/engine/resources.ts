/** Container resources of the inference container (reference §7). */
import type {ResourceRequirements} from './types.js'

export const DEFAULT_GPU_RESOURCE = 'amd.com/gpu'

/** N GPUs → requests cpu 4N, memory 32N Gi, gpu N; limits memory 48N Gi, gpu N. Nothing when N is 0. */
export function defaultResources(gpuCount: number, resourceName = DEFAULT_GPU_RESOURCE): ResourceRequirements {
  if (!(gpuCount > 0)) return {}
  return {
    requests: {cpu: String(4 * gpuCount), memory: `${32 * gpuCount}Gi`, [resourceName]: String(gpuCount)},
    limits: {memory: `${48 * gpuCount}Gi`, [resourceName]: String(gpuCount)},
  }
}

/** Overlay resources key by key (requests and limits separately). */
export function overlayResources(base: ResourceRequirements, over: ResourceRequirements | undefined): ResourceRequirements {
  if (!over) return base
  const out: ResourceRequirements = {}
  const requests = {...(base.requests ?? {}), ...(over.requests ?? {})}
  const limits = {...(base.limits ?? {}), ...(over.limits ?? {})}
  if (Object.keys(requests).length) out.requests = requests
  if (Object.keys(limits).length) out.limits = limits
  return out
}

/**
 * Defaults from the template's resolved GPU count and resource name, then template.spec.resources,
 * then service.spec.resources. Values are normalised to strings.
 */
export function inferenceResources(input: {
  gpuCount?: number
  gpuResourceName?: string
  templateResources?: ResourceRequirements
  serviceResources?: ResourceRequirements
}): ResourceRequirements {
  let r = defaultResources(input.gpuCount ?? 0, input.gpuResourceName || DEFAULT_GPU_RESOURCE)
  r = overlayResources(r, input.templateResources)
  r = overlayResources(r, input.serviceResources)
  const str = (m: Record<string, string | number> | undefined) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)])) : undefined)
  const out: ResourceRequirements = {}
  if (r.requests) out.requests = str(r.requests)!
  if (r.limits) out.limits = str(r.limits)!
  return out
}

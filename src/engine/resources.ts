/** Container resources of the inference container (reference §7). */
import {parseQuantity} from './quantity.js'
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

interface ContainerResources {
  resources?: {requests?: Record<string, string | number>; limits?: Record<string, string | number>}
}

/**
 * What a pod asks the scheduler for, as kube accounts it: the sum over containers, the max with
 * each init container; a limit stands in for a missing request. Quantities are plain numbers
 * (cores, bytes, devices).
 */
export function podRequests(pod: {spec?: {containers?: ContainerResources[]; initContainers?: ContainerResources[]}}): Record<string, number> {
  const of = (c: ContainerResources): Record<string, number> => {
    const out: Record<string, number> = {}
    const requests = c.resources?.requests ?? {}
    const limits = c.resources?.limits ?? {}
    for (const key of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
      const v = parseQuantity(requests[key] ?? limits[key])
      if (v !== undefined) out[key] = v
    }
    return out
  }
  const sum: Record<string, number> = {}
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of Object.entries(of(c))) sum[k] = (sum[k] ?? 0) + v
  for (const c of pod.spec?.initContainers ?? []) for (const [k, v] of Object.entries(of(c))) sum[k] = Math.max(sum[k] ?? 0, v)
  return sum
}

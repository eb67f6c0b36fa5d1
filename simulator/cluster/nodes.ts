/**
 * Fake GPU nodes: one pool per GPU model. AMD nodes are labelled as the AMD GPU operator's node
 * labeller labels real nodes (`amd.com/gpu.device-id`, `.family`, `.vram`, `.product-name`), with
 * `amd.com/gpu` capacity; NVIDIA nodes (seed 004's OME examples) as the NVIDIA GPU operator's
 * feature discovery does (`nvidia.com/gpu.product`, `.count`, `.memory`, `.family`, plus the
 * `accelerator: nvidia-a100` label seed 004 selects on), with `nvidia.com/gpu` capacity. Every
 * node has a Ready condition.
 */
import type {KubeObject} from '../../src/api/object.js'

export interface GpuModelInfo {
  /** Canonical model, as the operator normalises it: MI300X. */
  model: string
  deviceId: string
  family: string
  vram: string
  productName: string
  /** Host resources of a typical 8-GPU server of this generation. */
  cpu: string
  memory: string
  /** Absent means AMD. NVIDIA pools carry `nvidia.com/gpu` capacity and NVIDIA labels instead. */
  vendor?: 'amd' | 'nvidia'
}

export const GPU_MODELS: Record<string, GpuModelInfo> = {
  mi300x: {model: 'MI300X', deviceId: '74a1', family: 'AI', vram: '192G', productName: 'AMD_Instinct_MI300X_OAM', cpu: '192', memory: '2048Gi'},
  mi325x: {model: 'MI325X', deviceId: '74a5', family: 'AI', vram: '256G', productName: 'AMD_Instinct_MI325X_OAM', cpu: '192', memory: '2048Gi'},
  mi355x: {model: 'MI355X', deviceId: '75a3', family: 'AI', vram: '288G', productName: 'AMD_Instinct_MI355X_OAM', cpu: '256', memory: '3072Gi'},
  mi250x: {model: 'MI250X', deviceId: '7408', family: 'AI', vram: '128G', productName: 'AMD_Instinct_MI250X_MI250', cpu: '128', memory: '1024Gi'},
  mi210: {model: 'MI210', deviceId: '740f', family: 'AI', vram: '64G', productName: 'AMD_Instinct_MI210', cpu: '64', memory: '512Gi'},
}

/**
 * NVIDIA pools (seed 004's OME examples request nvidia.com/gpu), accepted by parseNodeSpec beside
 * GPU_MODELS (which stays the AMD table the AIM side and error messages list). deviceId is the PCI
 * device id, family the architecture, vram in MiB as `nvidia.com/gpu.memory` reports it.
 */
export const NVIDIA_GPU_MODELS: Record<string, GpuModelInfo> = {
  a100: {model: 'A100', deviceId: '20b2', family: 'ampere', vram: '81920', productName: 'NVIDIA-A100-SXM4-80GB', cpu: '128', memory: '2048Gi', vendor: 'nvidia'},
  h100: {model: 'H100', deviceId: '2330', family: 'hopper', vram: '81559', productName: 'NVIDIA-H100-80GB-HBM3', cpu: '224', memory: '2048Gi', vendor: 'nvidia'},
  h200: {model: 'H200', deviceId: '2335', family: 'hopper', vram: '143771', productName: 'NVIDIA-H200', cpu: '224', memory: '3072Gi', vendor: 'nvidia'},
  l40s: {model: 'L40S', deviceId: '26b9', family: 'ada-lovelace', vram: '46068', productName: 'NVIDIA-L40S', cpu: '64', memory: '512Gi', vendor: 'nvidia'},
}

/** The extended resource a node of this GPU model offers: `amd.com/gpu` or `nvidia.com/gpu`. */
export function gpuResourceName(gpu: GpuModelInfo): 'amd.com/gpu' | 'nvidia.com/gpu' {
  return gpu.vendor === 'nvidia' ? 'nvidia.com/gpu' : 'amd.com/gpu'
}

export interface NodePool {
  gpu: GpuModelInfo
  count: number
}

export const DEFAULT_NODE_SPEC = 'mi300x=2'
export const DEFAULT_GPUS_PER_NODE = 8

export class NodeSpecError extends Error {}

/** `"mi300x=2,mi325x=1"` → pools. Throws NodeSpecError with a one-line message on bad input. */
export function parseNodeSpec(spec: string): NodePool[] {
  const pools: NodePool[] = []
  const known = Object.keys(GPU_MODELS).join(', ')
  for (const raw of spec.split(',')) {
    const part = raw.trim()
    if (part === '') continue
    const match = /^([A-Za-z0-9]+)=(\d+)$/.exec(part)
    if (!match) throw new NodeSpecError(`invalid node spec "${part}": expected MODEL=COUNT, e.g. mi300x=2`)
    const gpu = GPU_MODELS[match[1]!.toLowerCase()] ?? NVIDIA_GPU_MODELS[match[1]!.toLowerCase()]
    if (!gpu) throw new NodeSpecError(`unknown GPU model "${match[1]}" in node spec (known: ${known})`)
    const count = Number(match[2])
    if (count < 1 || count > 1000) throw new NodeSpecError(`invalid node count ${match[2]} for ${match[1]}: must be between 1 and 1000`)
    if (pools.some((p) => p.gpu === gpu)) throw new NodeSpecError(`GPU model "${match[1]}" appears twice in node spec`)
    pools.push({gpu, count})
  }
  if (pools.length === 0) throw new NodeSpecError(`empty node spec: expected MODEL=COUNT[,MODEL=COUNT…], e.g. ${DEFAULT_NODE_SPEC}`)
  return pools
}

/** Node names: `gpu-mi300x-0`, `gpu-mi300x-1`, `gpu-mi325x-0`, … */
export function nodeName(gpu: GpuModelInfo, index: number): string {
  return `gpu-${gpu.model.toLowerCase()}-${index}`
}

export function buildNodes(pools: NodePool[], gpusPerNode = DEFAULT_GPUS_PER_NODE, now = '2026-01-01T00:00:00Z'): KubeObject[] {
  const nodes: KubeObject[] = []
  let ordinal = 0
  for (const pool of pools) {
    for (let i = 0; i < pool.count; i++) {
      nodes.push(buildNode(pool.gpu, i, ordinal++, gpusPerNode, now))
    }
  }
  return nodes
}

export function buildNode(gpu: GpuModelInfo, index: number, ordinal: number, gpusPerNode: number, now: string): KubeObject {
  const name = nodeName(gpu, index)
  const capacity = {
    cpu: gpu.cpu,
    memory: gpu.memory,
    pods: '110',
    'ephemeral-storage': '3840Gi',
    [gpuResourceName(gpu)]: String(gpusPerNode),
  }
  const gpuLabels: Record<string, string> =
    gpu.vendor === 'nvidia'
      ? {
          accelerator: `nvidia-${gpu.model.toLowerCase()}`,
          'nvidia.com/gpu.present': 'true',
          'nvidia.com/gpu.product': gpu.productName,
          'nvidia.com/gpu.count': String(gpusPerNode),
          'nvidia.com/gpu.memory': gpu.vram,
          'nvidia.com/gpu.family': gpu.family,
          'nvidia.com/gpu.deploy.device-plugin': 'true',
        }
      : {
          'amd.com/gpu.device-id': gpu.deviceId,
          'amd.com/gpu.family': gpu.family,
          'amd.com/gpu.vram': gpu.vram,
          'amd.com/gpu.product-name': gpu.productName,
          [`amd.com/gpu.device-id.${gpu.deviceId}`]: String(gpusPerNode),
        }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': `${gpu.model.toLowerCase()}-x${gpusPerNode}`,
        ...gpuLabels,
      },
      annotations: {'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true'},
    },
    spec: {podCIDR: `10.244.${ordinal}.0/24`, podCIDRs: [`10.244.${ordinal}.0/24`]},
    status: {
      capacity,
      allocatable: {...capacity},
      conditions: [
        nodeCondition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now),
        nodeCondition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
        nodeCondition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now),
        nodeCondition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now),
      ],
      addresses: [
        {type: 'InternalIP', address: `10.0.0.${10 + ordinal}`},
        {type: 'Hostname', address: name},
      ],
      daemonEndpoints: {kubeletEndpoint: {Port: 10250}},
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '6.8.0-aim-sim',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.9',
        kubeProxyVersion: 'v1.32.9',
        machineID: `aim-sim-${ordinal}`,
        systemUUID: `aim-sim-${ordinal}`,
        bootID: `aim-sim-${ordinal}`,
      },
    },
  }
}

export function nodeCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: string) {
  return {type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now}
}

/** Whether a node is Ready and schedulable. */
/** Readiness of stored (deep-frozen) nodes, which cannot change. */
const readiness = new WeakMap<KubeObject, boolean>()

export function nodeReady(node: KubeObject): boolean {
  const known = readiness.get(node)
  if (known !== undefined) return known
  const spec = node.spec as {unschedulable?: boolean} | undefined
  let ready = false
  if (!spec?.unschedulable) {
    const conditions = (node.status as {conditions?: Array<{type: string; status: string}>} | undefined)?.conditions ?? []
    for (const c of conditions) {
      if (c.type !== 'Ready') continue
      ready = c.status === 'True'
      break
    }
  }
  // A stored node is deep-frozen: its readiness cannot change, so it is worked out once.
  if (Object.isFrozen(node) && Object.isFrozen(node.spec ?? {}) && Object.isFrozen(node.status ?? {}) && Object.isFrozen(conditionsOf(node))) readiness.set(node, ready)
  return ready
}

function conditionsOf(node: KubeObject): unknown {
  return (node.status as {conditions?: unknown} | undefined)?.conditions ?? []
}


/** The AMD GPU model a node carries, from its device-id label (undefined for CPU and NVIDIA nodes). */
export function nodeGpuModel(node: KubeObject): string | undefined {
  const id = node.metadata.labels?.['amd.com/gpu.device-id']
  if (!id) return undefined
  return Object.values(GPU_MODELS).find((g) => g.deviceId === id.replace(/^0x/, '').toLowerCase())?.model
}

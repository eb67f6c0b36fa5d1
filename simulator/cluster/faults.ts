/**
 * Fault injection for the simulated cluster: what a chaos test or a scenario file can break.
 * Controllers read this state (image pulls, downloads, crashes, load); node faults are written
 * straight to the Node objects, as a failing kubelet or a relabelled node would appear.
 */
import type {KubeObject} from '../../src/api/object.js'
import type {VirtualClock} from '../clock/index.js'
import type {ObjectKey} from '../controllers/types.js'
import type {Store} from '../store/types.js'
import {nodeCondition} from './nodes.js'
import {normalizeImage} from './catalog.js'

const NODES = {group: '', plural: 'nodes'}

export type ImagePullFailure = 'NotFound' | 'Unauthorized'

export class FaultInjector {
  private readonly pullFailures = new Map<string, ImagePullFailure>()
  private readonly downloadFailures = new Set<string>()
  private readonly crashingPods = new Set<string>()
  private readonly crashingImages = new Set<string>()
  private readonly load = new Map<string, number>()
  /** Download bandwidth in bytes per virtual second (default 1 GiB/s). */
  bandwidthBytesPerSecond = 2 ** 30
  /** Set by the controller manager: re-run a reconciler for a key after a fault changes. */
  notify: (reconciler: string, key: ObjectKey) => void = () => {}

  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
  ) {}

  // Images -------------------------------------------------------------------------------------

  /** Pulls of this image fail (a repository-wide failure when no tag is given). */
  failImagePull(image: string, kind: ImagePullFailure = 'NotFound'): void {
    this.pullFailures.set(image.includes(':') ? normalizeImage(image).full : normalizeImage(image).repo, kind)
  }

  clearImagePull(image: string): void {
    this.pullFailures.delete(image.includes(':') ? normalizeImage(image).full : normalizeImage(image).repo)
  }

  imagePullFailure(image: string): ImagePullFailure | undefined {
    const n = normalizeImage(image)
    return this.pullFailures.get(n.full) ?? this.pullFailures.get(n.repo)
  }

  // Downloads ----------------------------------------------------------------------------------

  failDownload(sourceUri: string): void {
    this.downloadFailures.add(sourceUri)
  }

  clearDownload(sourceUri: string): void {
    this.downloadFailures.delete(sourceUri)
  }

  downloadFails(sourceUri: string): boolean {
    return this.downloadFailures.has(sourceUri)
  }

  setBandwidth(bytesPerSecond: number): void {
    this.bandwidthBytesPerSecond = Math.max(1, bytesPerSecond)
  }

  // Containers ---------------------------------------------------------------------------------

  /** The pod's containers exit with code 1 shortly after starting, until cleared (CrashLoopBackOff). */
  crashPod(namespace: string, pod: string): void {
    this.crashingPods.add(`${namespace}/${pod}`)
    this.notify('kubelet', {namespace, name: pod})
  }

  /** Every container running this image crashes. */
  crashImage(image: string): void {
    this.crashingImages.add(normalizeImage(image).full)
    for (const pod of this.store.list({group: '', plural: 'pods'}).items) {
      const containers = (pod.spec as {containers?: Array<{image?: string}>} | undefined)?.containers ?? []
      if (containers.some((c) => c.image && normalizeImage(c.image).full === normalizeImage(image).full)) {
        this.notify('kubelet', {namespace: pod.metadata.namespace, name: pod.metadata.name ?? ''})
      }
    }
  }

  clearCrash(namespace: string, pod: string): void {
    this.crashingPods.delete(`${namespace}/${pod}`)
    this.notify('kubelet', {namespace, name: pod})
  }

  clearCrashImage(image: string): void {
    this.crashingImages.delete(normalizeImage(image).full)
  }

  crashes(namespace: string, pod: string, image: string): boolean {
    return this.crashingPods.has(`${namespace}/${pod}`) || this.crashingImages.has(normalizeImage(image).full)
  }

  // Load (drives KEDA) -------------------------------------------------------------------------

  /**
   * Total `vllm:num_requests_running` across the pods of an inference service (KServe or OME:
   * the name in the pods' `serving.kserve.io/inferenceservice` / `serving.ome.io/inferenceservice` label).
   */
  setLoad(namespace: string, isvc: string, runningRequests: number): void {
    this.load.set(`${namespace}/${isvc}`, Math.max(0, runningRequests))
    // KEDA polls its scalers and the HPA controller re-reads metrics: re-evaluate every autoscaler of the namespace.
    for (const so of this.store.list({group: 'keda.sh', plural: 'scaledobjects'}, {namespace}).items) {
      this.notify('keda-operator', {namespace, name: so.metadata.name ?? ''})
    }
    for (const hpa of this.store.list({group: 'autoscaling', plural: 'horizontalpodautoscalers'}, {namespace}).items) {
      this.notify('horizontal-pod-autoscaler', {namespace, name: hpa.metadata.name ?? ''})
    }
  }

  getLoad(namespace: string, isvc: string): number {
    return this.load.get(`${namespace}/${isvc}`) ?? 0
  }

  // Nodes --------------------------------------------------------------------------------------

  /** The node's kubelet stops reporting: Ready becomes Unknown and the unreachable taints appear. */
  setNodeReady(name: string, ready: boolean): KubeObject {
    const now = this.clock.nowISO()
    this.store.mutate(NODES, undefined, name, (node) => {
      const spec = (node.spec ?? {}) as {taints?: Array<Record<string, unknown>>}
      const others = (spec.taints ?? []).filter((t) => !String(t.key).startsWith('node.kubernetes.io/unreachable'))
      spec.taints = ready
        ? others.length ? others : undefined
        : [
            ...others,
            {key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: now},
            {key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now},
          ]
      node.spec = spec
    })
    return this.store.mutate(NODES, undefined, name, (node) => {
      const status = (node.status ?? {}) as {conditions?: Array<Record<string, unknown>>}
      status.conditions = (status.conditions ?? []).map((c) =>
        ready
          ? nodeCondition(String(c.type), c.type === 'Ready' ? 'True' : 'False', readyReason(String(c.type)), readyMessage(String(c.type)), now)
          : {...nodeCondition(String(c.type), 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', now), lastHeartbeatTime: c.lastHeartbeatTime},
      )
      node.status = status
    }, {subresource: 'status'})
  }

  /** The node disappears (scale-in, hardware failure); its pods are deleted by pod GC. */
  removeNode(name: string): void {
    this.store.delete(NODES, undefined, name)
    for (const pod of this.store.list({group: '', plural: 'pods'}, {fieldSelector: `spec.nodeName=${name}`}).items) {
      try {
        this.store.delete({group: '', plural: 'pods'}, pod.metadata.namespace, pod.metadata.name ?? '')
      } catch {
        // already gone
      }
    }
  }

  /** Remove the AMD GPU labels (as when the node labeller stops or the GPU operator is removed). */
  removeGpuLabels(name: string): KubeObject {
    return this.store.mutate(NODES, undefined, name, (node) => {
      const labels = {...(node.metadata.labels ?? {})}
      for (const key of Object.keys(labels)) if (key.startsWith('amd.com/gpu') || key.startsWith('beta.amd.com/gpu')) delete labels[key]
      node.metadata.labels = labels
    })
  }
}

function readyReason(type: string): string {
  return {MemoryPressure: 'KubeletHasSufficientMemory', DiskPressure: 'KubeletHasNoDiskPressure', PIDPressure: 'KubeletHasSufficientPID', Ready: 'KubeletReady'}[type] ?? 'KubeletReady'
}

function readyMessage(type: string): string {
  return (
    {
      MemoryPressure: 'kubelet has sufficient memory available',
      DiskPressure: 'kubelet has no disk pressure',
      PIDPressure: 'kubelet has sufficient PID available',
      Ready: 'kubelet is posting ready status',
    }[type] ?? ''
  )
}

/**
 * The fake kubelet of every simulated node: pulls images (with ErrImagePull/ImagePullBackOff),
 * resolves env from Secrets/ConfigMaps (CreateContainerConfigError), creates and starts the fake
 * containers of cluster/containers.ts on the virtual clock, restarts them (CrashLoopBackOff) and
 * writes pod status (phase, conditions, container statuses, IPs) and Events with kubelet's wording.
 */
import {hash} from 'node:crypto'
import type {KubeObject} from '../../../src/api/object.js'
import type {TimerHandle} from '../../clock/index.js'
import {normalizeImage, type CatalogImage} from '../../cluster/catalog.js'
import {containerProgram, type Step} from '../../cluster/containers.js'
import {nodeReady} from '../../cluster/nodes.js'
import type {EventRecorder, ObjectKey, ReconcileContext, Reconciler} from '../types.js'
import type {ClusterDeps} from './index.js'
import {clone, deleteIgnoringNotFound, getCondition, REF, setCondition, statusDraft, writeStatus, type ContainerSpec, type ContainerStatus, type PodLike, type PodStatus} from './util.js'

const COMPONENT = 'kubelet'
const MAX_BACKOFF_MS = 300_000

type Phase = 'waiting' | 'pulling' | 'running' | 'terminated'

interface ContainerState {
  spec: ContainerSpec
  phase: Phase
  waitingReason?: string
  waitingMessage?: string
  ready: boolean
  started: boolean
  restartCount: number
  containerID?: string
  startedAt?: string
  finishedAt?: string
  exitCode?: number
  terminatedReason?: string
  lastTerminated?: Record<string, Record<string, unknown>>
  pullFailures: number
  crashPending?: boolean
  timers: TimerHandle[]
  image?: CatalogImage
}

interface PodState {
  uid: string
  namespace: string
  name: string
  node: string
  containers: ContainerState[]
  initDone: boolean
  startTime: string
  podIP: string
  hostIP: string
  /** The pod as the kubelet's last status write left it (the stored object, or the unchanged one). */
  written?: KubeObject
  /** Status writes so far. */
  writes: number
}

function sha(text: string): string {
  return hash('sha256', text, 'hex')
}

/** An image's reference and imageID as the runtime reports them, worked out once per image string. */
const reported = new Map<string, {ref: string; imageID: string}>()
function reportedImage(image: string): {ref: string; imageID: string} {
  let r = reported.get(image)
  if (!r) {
    const ref = fullRef(image)
    r = {ref, imageID: `${ref.replace(/:[^:/]+$/, '')}@sha256:${sha(normalizeImage(image).full)}`}
    reported.set(image, r)
  }
  return r
}

/** `docker.io/library/redis:7` style reference the runtime reports. */
function fullRef(image: string): string {
  const n = normalizeImage(image)
  const first = n.repo.split('/')[0]!
  const hasRegistry = n.repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasRegistry) return n.full
  return n.repo.includes('/') ? `docker.io/${n.full}` : `docker.io/library/${n.full}`
}

export class Kubelet {
  private readonly pods = new Map<string, PodState>()
  private readonly imagesOnNode = new Map<string, Set<string>>()
  private readonly ipCounter = new Map<string, number>()
  /** The pod (uid) whose status the kubelet is writing: the store announces the write before it returns. */
  private writing: string | undefined
  private ctx!: ReconcileContext

  constructor(private readonly deps: ClusterDeps) {}

  reconciler(): Reconciler {
    return {
      name: 'kubelet',
      for: REF.pods,
      ownStatusWritesSettle: true,
      // Its own status writes (from container timers, outside a reconcile) change nothing it reads;
      // injected faults enqueue the pod themselves.
      forChanged: (obj) => this.writing === undefined || obj.metadata.uid !== this.writing,
      watches: [
        {kind: REF.secrets, map: (obj) => this.waitingOnConfig(obj)},
        {kind: REF.configmaps, map: (obj) => this.waitingOnConfig(obj)},
        {kind: REF.nodes, map: (obj, ctx) => ctx.store.list(REF.pods, {fieldSelector: `spec.nodeName=${obj.metadata.name}`}).items.map(keyOf)},
      ],
      reconcile: (key, ctx) => this.reconcile(key, ctx),
    }
  }

  private waitingOnConfig(obj: KubeObject): ObjectKey[] {
    const out: ObjectKey[] = []
    for (const state of this.pods.values()) {
      if (state.namespace !== obj.metadata.namespace) continue
      if (state.containers.some((c) => c.waitingReason === 'CreateContainerConfigError') || !state.initDone) out.push({namespace: state.namespace, name: state.name})
    }
    return out
  }

  private reconcile(key: ObjectKey, ctx: ReconcileContext): void | {requeueAfterMs: number} {
    this.ctx = ctx
    const id = `${key.namespace}/${key.name}`
    const pod = ctx.store.get(REF.pods, key.namespace, key.name) as (KubeObject & PodLike) | undefined
    let state = this.pods.get(id)
    if (state && (!pod || pod.metadata.uid !== state.uid)) {
      this.teardown(state)
      state = undefined
    }
    if (!pod || pod.metadata.deletionTimestamp) {
      if (pod && state) this.teardown(state)
      return
    }
    const nodeName = pod.spec?.nodeName
    if (!nodeName) return
    const node = ctx.store.get(REF.nodes, undefined, nodeName)
    if (!node) return
    if (!state) {
      // A pod from a saved state: finished pods and ready servers are taken over as they are;
      // anything in between starts again, as after a kubelet restart.
      const status = pod.status as PodStatus | undefined
      const phase = status?.phase
      const isJob = (pod.metadata.ownerReferences ?? []).some((r) => r.kind === 'Job')
      const readyServer = phase === 'Running' && !isJob && getCondition(pod, 'Ready')?.status === 'True'
      if (phase === 'Succeeded' || phase === 'Failed' || readyServer) {
        state = this.adopt(pod, node)
        this.pods.set(id, state)
        const cache = this.imagesOnNode.get(state.node) ?? new Set<string>()
        for (const c of state.containers) if (c.image) cache.add(normalizeImage(c.spec.image ?? '').full)
        this.imagesOnNode.set(state.node, cache)
        return
      }
      state = this.begin(pod, node)
      if (status?.podIP) state.podIP = status.podIP
      if (status?.startTime) state.startTime = status.startTime
      this.pods.set(id, state)
    }
    if (!nodeReady(node)) return this.writeNodeHealth(pod, node)
    const wasInitialized = state.initDone
    const writesBefore = state.writes
    if (!state.initDone) {
      const missing = this.missingVolume(pod)
      if (missing) {
        ctx.events.event(pod, 'Warning', 'FailedMount', missing, COMPONENT)
        this.write(state)
        return {requeueAfterMs: 120_000}
      }
      state.initDone = true
      for (const c of state.containers) this.pull(state, c)
    }
    // Crash faults injected after start take effect on running containers.
    for (const c of state.containers) {
      if (c.phase === 'running' && c.image && !c.crashPending && this.deps.faults.crashes(state.namespace, state.name, c.image.image)) {
        c.crashPending = true
        this.clearTimers(c)
        this.schedule(state, c, [{at: 1000, log: 'Fatal Python error: Segmentation fault'}, {at: 1000, exit: 139, reason: 'Error'}])
      }
      if (c.waitingReason === 'CreateContainerConfigError') this.createAndStart(state, c)
    }
    // Nothing to write when the stored pod is still what the last status write left and the state
    // has not changed since (every change above writes, except initialization without a pull).
    if ((wasInitialized || state.writes !== writesBefore) && state.written !== undefined && this.current(state) === state.written) return
    this.write(state)
  }

  private adopt(pod: KubeObject & PodLike, node: KubeObject): PodState {
    const status = (pod.status ?? {}) as PodStatus
    const statuses = status.containerStatuses ?? []
    const containers: ContainerState[] = (pod.spec?.containers ?? []).map((spec) => {
      const cs = statuses.find((c) => c.name === spec.name)
      const running = cs?.state?.running as {startedAt?: string} | undefined
      const terminated = cs?.state?.terminated as {exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string} | undefined
      return {
        spec,
        phase: (running ? 'running' : terminated ? 'terminated' : 'waiting') as Phase,
        waitingReason: running || terminated ? undefined : 'ContainerCreating',
        ready: cs?.ready ?? false,
        started: !!running,
        restartCount: cs?.restartCount ?? 0,
        containerID: cs?.containerID,
        startedAt: running?.startedAt ?? terminated?.startedAt,
        finishedAt: terminated?.finishedAt,
        exitCode: terminated?.exitCode,
        terminatedReason: terminated?.reason,
        lastTerminated: cs?.lastState && Object.keys(cs.lastState).length ? cs.lastState : undefined,
        pullFailures: 0,
        timers: [],
        image: this.deps.images.lookup(spec.image ?? ''),
      }
    })
    return {
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      node: node.metadata.name ?? '',
      containers,
      initDone: true,
      startTime: status.startTime ?? this.ctx.clock.nowISO(),
      podIP: status.podIP ?? '',
      hostIP: status.hostIP ?? '',
      writes: 0,
    }
  }

  private begin(pod: KubeObject & PodLike, node: KubeObject): PodState {
    const nodeName = node.metadata.name ?? ''
    const cidr = ((node.spec as {podCIDR?: string} | undefined)?.podCIDR ?? '10.244.0.0/24').split('/')[0]!.split('.')
    const n = (this.ipCounter.get(nodeName) ?? 1) + 1
    this.ipCounter.set(nodeName, n)
    const podIP = `${cidr[0]}.${cidr[1]}.${Number(cidr[2]) + Math.floor(n / 254)}.${(n % 254) + 1}`
    const hostIP = ((node.status as {addresses?: Array<{type: string; address: string}>} | undefined)?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? ''
    return {
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      node: nodeName,
      containers: (pod.spec?.containers ?? []).map((spec) => ({
        spec,
        phase: 'waiting' as Phase,
        waitingReason: 'ContainerCreating',
        ready: false,
        started: false,
        restartCount: 0,
        pullFailures: 0,
        timers: [],
      })),
      initDone: false,
      startTime: this.ctx.clock.nowISO(),
      podIP,
      hostIP,
      writes: 0,
    }
  }

  private teardown(state: PodState): void {
    for (const c of state.containers) this.clearTimers(c)
    this.pods.delete(`${state.namespace}/${state.name}`)
    this.deps.logs.forget(state.namespace, state.name)
  }

  private clearTimers(c: ContainerState): void {
    for (const t of c.timers) this.ctx.clock.clearTimeout(t)
    c.timers = []
  }

  private current(state: PodState): (KubeObject & PodLike) | undefined {
    const pod = this.ctx.store.get(REF.pods, state.namespace, state.name) as (KubeObject & PodLike) | undefined
    return pod && pod.metadata.uid === state.uid ? pod : undefined
  }

  private after(state: PodState, c: ContainerState, ms: number, fn: () => void): void {
    const handle = this.ctx.clock.setTimeout(() => {
      c.timers = c.timers.filter((t) => t !== handle)
      if (this.pods.get(`${state.namespace}/${state.name}`) !== state) return
      fn()
    }, ms)
    c.timers.push(handle)
  }

  /** kubelet events name the container in involvedObject.fieldPath (`spec.containers{name}`) when the recorder supports it. */
  private event(state: PodState, type: 'Normal' | 'Warning', reason: string, message: string, container?: string): void {
    const pod = this.current(state)
    if (!pod) return
    const recorder = this.ctx.events as EventRecorder & {event(r: KubeObject, t: 'Normal' | 'Warning', reason: string, message: string, component?: string, fieldPath?: string): void}
    recorder.event(pod, type, reason, message, COMPONENT, container ? `spec.containers{${container}}` : undefined)
  }

  private missingVolume(pod: KubeObject & PodLike): string | undefined {
    for (const v of pod.spec?.volumes ?? []) {
      const cm = v.configMap as {name?: string; optional?: boolean} | undefined
      if (cm?.name && !cm.optional && !this.ctx.store.get(REF.configmaps, pod.metadata.namespace, cm.name)) {
        return `MountVolume.SetUp failed for volume "${v.name}" : configmap "${cm.name}" not found`
      }
      const secret = v.secret as {secretName?: string; optional?: boolean} | undefined
      if (secret?.secretName && !secret.optional && !this.ctx.store.get(REF.secrets, pod.metadata.namespace, secret.secretName)) {
        return `MountVolume.SetUp failed for volume "${v.name}" : secret "${secret.secretName}" not found`
      }
    }
    return undefined
  }

  // Image pulls ---------------------------------------------------------------------------------

  private pull(state: PodState, c: ContainerState): void {
    const image = c.spec.image ?? ''
    const cache = this.imagesOnNode.get(state.node) ?? new Set<string>()
    this.imagesOnNode.set(state.node, cache)
    const found = this.deps.images.lookup(image)
    const failure = this.deps.faults.imagePullFailure(image)
    const policy = c.spec.imagePullPolicy ?? (normalizeImage(image).tag === 'latest' ? 'Always' : 'IfNotPresent')
    if (found && !failure && cache.has(normalizeImage(image).full) && policy !== 'Always') {
      c.image = found
      this.event(state, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, c.spec.name)
      this.after(state, c, 500, () => this.createAndStart(state, c))
      return
    }
    c.phase = 'pulling'
    c.waitingReason = 'ContainerCreating'
    c.waitingMessage = undefined
    this.event(state, 'Normal', 'Pulling', `Pulling image "${image}"`, c.spec.name)
    const pullMs = found && !failure ? found.pullMs : 1500
    this.after(state, c, pullMs, () => {
      if (!found || failure) return this.pullFailed(state, c, failure === 'Unauthorized')
      c.image = found
      cache.add(normalizeImage(image).full)
      const secs = `${(pullMs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`
      const size = 1_000_000_000 + (parseInt(sha(found.image).slice(0, 6), 16) % 9_000_000_000)
      this.event(state, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs} (${secs} including waiting). Image size: ${found.kind === 'generic' ? Math.floor(size / 50) : size} bytes.`, c.spec.name)
      this.createAndStart(state, c)
    })
    this.write(state)
  }

  private pullFailed(state: PodState, c: ContainerState, auth: boolean): void {
    const image = c.spec.image ?? ''
    const ref = fullRef(image)
    const why = auth
      ? `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`
      : `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`
    c.pullFailures++
    c.phase = 'waiting'
    c.waitingReason = 'ErrImagePull'
    c.waitingMessage = why
    this.event(state, 'Warning', 'Failed', `Failed to pull image "${image}": ${why}`, c.spec.name)
    this.event(state, 'Warning', 'Failed', 'Error: ErrImagePull', c.spec.name)
    this.write(state)
    this.after(state, c, 1000, () => {
      c.waitingReason = 'ImagePullBackOff'
      c.waitingMessage = `Back-off pulling image "${image}"`
      this.event(state, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, c.spec.name)
      this.event(state, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.spec.name)
      this.write(state)
      const delay = Math.min(MAX_BACKOFF_MS, 10_000 * 2 ** (c.pullFailures - 1))
      this.after(state, c, delay, () => this.pull(state, c))
    })
  }

  // Containers ----------------------------------------------------------------------------------

  private resolveEnv(state: PodState, c: ContainerState): {env: Record<string, string>} | {error: string} {
    const env: Record<string, string> = {}
    for (const e of c.spec.env ?? []) {
      if (e.value !== undefined) {
        env[e.name] = e.value
        continue
      }
      const from = e.valueFrom ?? {}
      const secretRef = from.secretKeyRef
      const cmRef = from.configMapKeyRef
      if (secretRef) {
        const secret = this.ctx.store.get(REF.secrets, state.namespace, secretRef.name ?? '')
        if (!secret) {
          if (secretRef.optional) continue
          return {error: `secret "${secretRef.name}" not found`}
        }
        const data = (secret.data ?? {}) as Record<string, string>
        const stringData = (secret.stringData ?? {}) as Record<string, string>
        const key = secretRef.key ?? ''
        if (!(key in data) && !(key in stringData)) {
          if (secretRef.optional) continue
          return {error: `couldn't find key ${key} in Secret ${state.namespace}/${secretRef.name}`}
        }
        env[e.name] = key in stringData ? stringData[key]! : Buffer.from(data[key]!, 'base64').toString('utf8')
      } else if (cmRef) {
        const cm = this.ctx.store.get(REF.configmaps, state.namespace, cmRef.name ?? '')
        if (!cm) {
          if (cmRef.optional) continue
          return {error: `configmap "${cmRef.name}" not found`}
        }
        const data = (cm.data ?? {}) as Record<string, string>
        const key = cmRef.key ?? ''
        if (!(key in data)) {
          if (cmRef.optional) continue
          return {error: `couldn't find key ${key} in ConfigMap ${state.namespace}/${cmRef.name}`}
        }
        env[e.name] = data[key]!
      } else if (from.fieldRef) {
        const path = (from.fieldRef as {fieldPath?: string}).fieldPath
        env[e.name] = path === 'metadata.name' ? state.name : path === 'metadata.namespace' ? state.namespace : path === 'status.podIP' ? state.podIP : ''
      }
    }
    return {env}
  }

  private createAndStart(state: PodState, c: ContainerState): void {
    const pod = this.current(state)
    if (!pod || !c.image) return
    const resolved = this.resolveEnv(state, c)
    if ('error' in resolved) {
      const first = c.waitingReason !== 'CreateContainerConfigError' || c.waitingMessage !== resolved.error
      c.phase = 'waiting'
      c.waitingReason = 'CreateContainerConfigError'
      c.waitingMessage = resolved.error
      if (first) this.event(state, 'Warning', 'Failed', `Error: ${resolved.error}`, c.spec.name)
      this.write(state)
      return
    }
    const now = this.ctx.clock.nowISO()
    c.phase = 'running'
    c.waitingReason = undefined
    c.waitingMessage = undefined
    c.started = true
    c.ready = false
    c.startedAt = now
    c.containerID = `containerd://${sha(`${state.uid}/${c.spec.name}/${c.restartCount}`)}`
    this.deps.logs.startRun(state.namespace, state.name, c.spec.name)
    this.event(state, 'Normal', 'Created', `Created container: ${c.spec.name}`, c.spec.name)
    this.event(state, 'Normal', 'Started', `Started container ${c.spec.name}`, c.spec.name)
    const node = this.ctx.store.get(REF.nodes, undefined, state.node)
    const steps = containerProgram({
      pod,
      container: c.spec,
      env: resolved.env,
      node,
      image: c.image,
      images: this.deps.images,
      faults: this.deps.faults,
      store: this.ctx.store,
      now: () => this.ctx.clock.now(),
      random: this.ctx.random,
      isJob: (pod.metadata.ownerReferences ?? []).some((r) => r.kind === 'Job'),
    })
    // A container with no readiness step is ready once started (no readiness probe).
    if (!steps.some((s) => 'ready' in s)) c.ready = true
    this.schedule(state, c, steps)
    this.write(state)
  }

  private schedule(state: PodState, c: ContainerState, steps: Step[]): void {
    // Group steps by time so that one timer fires per instant, in order.
    const byTime = new Map<number, Step[]>()
    for (const s of steps) {
      const group = byTime.get(s.at)
      if (group) group.push(s)
      else byTime.set(s.at, [s])
    }
    for (const [at, group] of [...byTime.entries()].sort((a, b) => a[0] - b[0])) {
      this.after(state, c, at, () => {
        let changed = false
        for (const s of group) {
          if ('log' in s) this.deps.logs.append(state.namespace, state.name, c.spec.name, s.log)
          else if ('run' in s) s.run()
          else if ('ready' in s) {
            c.ready = true
            changed = true
          } else if ('exit' in s) {
            this.terminate(state, c, s.exit, s.reason)
            changed = true
          }
        }
        if (changed) this.write(state)
      })
    }
  }

  private terminate(state: PodState, c: ContainerState, code: number, reason?: string): void {
    const pod = this.current(state)
    this.clearTimers(c)
    const now = this.ctx.clock.nowISO()
    c.phase = 'terminated'
    c.crashPending = false
    c.ready = false
    c.exitCode = code
    c.finishedAt = now
    c.terminatedReason = reason ?? (code === 0 ? 'Completed' : 'Error')
    this.deps.logs.endRun(state.namespace, state.name, c.spec.name)
    const policy = pod?.spec?.restartPolicy ?? 'Always'
    const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0)
    if (!restart || !pod) return
    c.lastTerminated = {terminated: {exitCode: code, reason: c.terminatedReason, startedAt: c.startedAt, finishedAt: now, containerID: c.containerID}}
    c.restartCount++
    const delay = Math.min(MAX_BACKOFF_MS, 10_000 * 2 ** (c.restartCount - 1))
    c.phase = 'waiting'
    c.started = false
    c.waitingReason = 'CrashLoopBackOff'
    c.waitingMessage = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.spec.name} pod=${state.name}_${state.namespace}(${state.uid})`
    this.event(state, 'Warning', 'BackOff', `Back-off restarting failed container ${c.spec.name} in pod ${state.name}_${state.namespace}(${state.uid})`, c.spec.name)
    this.after(state, c, delay, () => {
      this.event(state, 'Normal', 'Pulled', `Container image "${c.spec.image}" already present on machine`, c.spec.name)
      this.createAndStart(state, c)
    })
  }

  // Status --------------------------------------------------------------------------------------

  private containerStatus(c: ContainerState): ContainerStatus {
    const image = c.spec.image ?? ''
    let stateField: Record<string, Record<string, unknown>>
    if (c.phase === 'running') stateField = {running: {startedAt: c.startedAt}}
    else if (c.phase === 'terminated')
      stateField = {terminated: {exitCode: c.exitCode, reason: c.terminatedReason, startedAt: c.startedAt, finishedAt: c.finishedAt, containerID: c.containerID}}
    else stateField = {waiting: c.waitingMessage ? {reason: c.waitingReason, message: c.waitingMessage} : {reason: c.waitingReason ?? 'ContainerCreating'}}
    const known = c.image ? reportedImage(image) : undefined
    const out: ContainerStatus = {
      name: c.spec.name,
      image: known ? known.ref : image,
      imageID: known ? known.imageID : '',
      ready: c.ready,
      started: c.phase === 'running',
      restartCount: c.restartCount,
      state: stateField,
      lastState: c.lastTerminated ?? {},
    }
    if (c.containerID && c.phase !== 'waiting') out.containerID = c.containerID
    else if (c.containerID && c.lastTerminated) out.containerID = c.containerID
    return out
  }

  private write(state: PodState): void {
    const pod = this.current(state)
    if (!pod) return
    const now = this.ctx.clock.nowISO()
    const status: PodStatus = statusDraft(pod.status as PodStatus | undefined)
    const cs = state.containers.map((c) => this.containerStatus(c))
    const allTerminated = state.containers.length > 0 && state.containers.every((c) => c.phase === 'terminated')
    const anyFailed = state.containers.some((c) => c.phase === 'terminated' && c.exitCode !== 0)
    const anyStarted = state.containers.some((c) => c.phase === 'running' || c.restartCount > 0 || c.phase === 'terminated')
    let phase = 'Pending'
    if (allTerminated) phase = anyFailed ? 'Failed' : 'Succeeded'
    else if (anyStarted) phase = 'Running'
    const allReady = state.containers.length > 0 && state.containers.every((c) => c.ready)
    const unready = state.containers.filter((c) => !c.ready).map((c) => c.spec.name)
    const conditions = status.conditions ?? []
    setCondition(conditions, {type: 'PodReadyToStartContainers', status: state.initDone ? 'True' : 'False', lastProbeTime: null}, now)
    setCondition(conditions, {type: 'Initialized', status: 'True', lastProbeTime: null}, now)
    if (allReady) {
      setCondition(conditions, {type: 'Ready', status: 'True', lastProbeTime: null}, now)
      setCondition(conditions, {type: 'ContainersReady', status: 'True', lastProbeTime: null}, now)
    } else {
      const reason = phase === 'Succeeded' ? 'PodCompleted' : phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady'
      const message = phase === 'Succeeded' || phase === 'Failed' ? undefined : `containers with unready status: [${unready.join(' ')}]`
      setCondition(conditions, {type: 'Ready', status: 'False', reason, ...(message ? {message} : {}), lastProbeTime: null}, now)
      setCondition(conditions, {type: 'ContainersReady', status: 'False', reason, ...(message ? {message} : {}), lastProbeTime: null}, now)
    }
    for (const c of conditions) {
      if (c.status === 'True' && c.type !== 'PodScheduled') {
        delete c.reason
        delete c.message
      }
    }
    const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']
    conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
    status.conditions = conditions
    status.phase = phase
    status.hostIP = state.hostIP
    status.hostIPs = [{ip: state.hostIP}]
    status.podIP = state.podIP
    status.podIPs = [{ip: state.podIP}]
    status.startTime = state.startTime
    status.containerStatuses = cs
    this.writing = state.uid
    try {
      state.written = writeStatus(this.ctx.store, REF.pods, pod, status, COMPONENT)
    } finally {
      this.writing = undefined
    }
    state.writes++
  }

  /** The node stopped reporting: its pods are no longer Ready (node lifecycle controller). */
  private writeNodeHealth(pod: KubeObject & PodLike, node: KubeObject): {requeueAfterMs: number} | void {
    if (nodeReady(node)) return
    const status: PodStatus = clone((pod.status as PodStatus | undefined) ?? {})
    const conditions = status.conditions ?? []
    const now = this.ctx.clock.nowISO()
    const ready = conditions.find((c) => c.type === 'Ready')
    if (!(ready?.status === 'False' && ready.reason === 'NodeNotReady')) {
      setCondition(conditions, {type: 'Ready', status: 'False', reason: 'NodeNotReady', message: 'Node is not ready', lastProbeTime: null}, now)
      status.conditions = conditions
      writeStatus(this.ctx.store, REF.pods, pod, status, 'node-controller')
      this.ctx.events.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller')
    }
    // Taint-based eviction: pods tolerate node.kubernetes.io/unreachable:NoExecute for tolerationSeconds (default 300).
    const taint = ((node.spec as {taints?: Array<{key: string; effect: string; timeAdded?: string}>} | undefined)?.taints ?? []).find(
      (t) => t.effect === 'NoExecute' && (t.key === 'node.kubernetes.io/unreachable' || t.key === 'node.kubernetes.io/not-ready'),
    )
    if (!taint) return
    const toleration = (pod.spec?.tolerations ?? []).find((t) => t.key === taint.key && t.effect === 'NoExecute') as {tolerationSeconds?: number} | undefined
    if (toleration && toleration.tolerationSeconds === undefined) return
    const seconds = toleration?.tolerationSeconds ?? 0
    const since = Date.parse(taint.timeAdded ?? now)
    const due = since + seconds * 1000 - this.ctx.clock.now()
    if (due > 0) return {requeueAfterMs: due}
    this.ctx.events.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`, 'taint-eviction-controller')
    deleteIgnoringNotFound(this.ctx.store, REF.pods, pod.metadata.namespace, pod.metadata.name ?? '')
  }

}

function keyOf(obj: KubeObject): ObjectKey {
  return {namespace: obj.metadata.namespace, name: obj.metadata.name ?? ''}
}

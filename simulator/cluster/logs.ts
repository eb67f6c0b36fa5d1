/**
 * Container logs of the fake kubelet. Fake containers append lines; `pods/log` reads them with
 * kubelet's options (tailLines, sinceSeconds, timestamps, previous) and follows them.
 */
import type {KubeObject} from '../../src/api/object.js'
import {errors} from '../../src/api/status.js'
import type {VirtualClock} from '../clock/index.js'
import type {PodLogOptions, PodLogProvider} from '../controllers/types.js'
import type {Store} from '../store/types.js'

interface Line {
  t: number
  text: string
}

interface Run {
  lines: Line[]
  ended: boolean
}

interface ContainerLog {
  runs: Run[] // [previous..., current]
  followers: Set<{onLine: (line: string) => void; onEnd: () => void; timestamps: boolean}>
}

const POD_REF = {group: '', plural: 'pods'}

/** RFC 3339 with nanoseconds, as kubelet prints with `--timestamps`. */
export function kubeletTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString() // 2026-01-01T00:00:00.123Z
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`
}

export class LogStore implements PodLogProvider {
  private readonly containers = new Map<string, ContainerLog>()

  constructor(
    private readonly clock: VirtualClock,
    private readonly store?: Store,
  ) {}

  private entry(namespace: string, pod: string, container: string): ContainerLog {
    const id = `${namespace}/${pod}/${container}`
    let log = this.containers.get(id)
    if (!log) {
      log = {runs: [], followers: new Set()}
      this.containers.set(id, log)
    }
    return log
  }

  /** A container (re)starts: its current run becomes the previous one. */
  startRun(namespace: string, pod: string, container: string): void {
    const log = this.entry(namespace, pod, container)
    const current = log.runs.at(-1)
    if (current && !current.ended) this.endRun(namespace, pod, container)
    log.runs.push({lines: [], ended: false})
    if (log.runs.length > 2) log.runs.shift()
  }

  /** The container stopped: followers are told the stream ended. */
  endRun(namespace: string, pod: string, container: string): void {
    const log = this.containers.get(`${namespace}/${pod}/${container}`)
    const current = log?.runs.at(-1)
    if (!log || !current || current.ended) return
    current.ended = true
    const followers = [...log.followers]
    log.followers.clear()
    for (const f of followers) f.onEnd()
  }

  /** Forget a deleted pod's logs (ends any follower). */
  forget(namespace: string, pod: string): void {
    for (const [id, log] of this.containers) {
      if (!id.startsWith(`${namespace}/${pod}/`)) continue
      const followers = [...log.followers]
      this.containers.delete(id)
      for (const f of followers) f.onEnd()
    }
  }

  append(namespace: string, pod: string, container: string, line: string): void {
    const log = this.entry(namespace, pod, container)
    let current = log.runs.at(-1)
    if (!current || current.ended) {
      current = {lines: [], ended: false}
      log.runs.push(current)
      if (log.runs.length > 2) log.runs.shift()
    }
    const t = this.clock.now()
    for (const text of line.split('\n')) {
      current.lines.push({t, text})
      for (const f of log.followers) f.onLine(f.timestamps ? `${kubeletTimestamp(t)} ${text}` : text)
    }
  }

  /** Which container a request means, with kubelet's and the API server's errors. */
  private resolve(namespace: string, pod: string, options: PodLogOptions | undefined): string {
    let container = options?.container
    if (this.store) {
      const obj = this.store.get(POD_REF, namespace, pod)
      if (!obj) throw errors.notFound('', 'pods', pod)
      const names = podContainers(obj)
      if (!container) {
        if (names.length === 1) container = names[0]!
        else
          throw errors.badRequest(
            `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`,
          )
      } else if (!names.includes(container) && !initContainers(obj).includes(container)) {
        throw errors.badRequest(`container ${container} is not valid for pod ${pod}`)
      }
      const log = this.containers.get(`${namespace}/${pod}/${container}`)
      if (!log || log.runs.length === 0) {
        const waiting = waitingReason(obj, container)
        const why = waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' ? 'trying and failing to pull image' : (waiting ?? 'ContainerCreating')
        throw errors.badRequest(`container "${container}" in pod "${pod}" is waiting to start: ${why}`)
      }
      return container
    }
    if (!container) {
      const prefix = `${namespace}/${pod}/`
      const names = [...this.containers.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))
      if (names.length === 0) throw errors.notFound('', 'pods', pod)
      container = names[0]!
    }
    return container
  }

  private select(namespace: string, pod: string, options: PodLogOptions | undefined): {log: ContainerLog | undefined; run: Run | undefined; container: string} {
    const container = this.resolve(namespace, pod, options)
    const log = this.containers.get(`${namespace}/${pod}/${container}`)
    if (!log || log.runs.length === 0) {
      if (this.store) throw errors.badRequest(`container "${container}" in pod "${pod}" is waiting to start: ContainerCreating`)
      return {log, run: undefined, container}
    }
    if (options?.previous) {
      // While a crashed container waits to restart, its last run is the previous instance.
      const last = log.runs.at(-1)!
      const run = last.ended ? last : log.runs.length > 1 ? log.runs.at(-2) : undefined
      if (!run) throw errors.badRequest(`previous terminated container "${container}" in pod "${pod}" not found`)
      return {log, run, container}
    }
    return {log, run: log.runs.at(-1), container}
  }

  read(namespace: string, pod: string, options?: PodLogOptions): string[] {
    const {run} = this.select(namespace, pod, options)
    if (!run) return []
    let lines = run.lines
    if (options?.sinceSeconds !== undefined) {
      const from = this.clock.now() - options.sinceSeconds * 1000
      lines = lines.filter((l) => l.t >= from)
    }
    if (options?.tailLines !== undefined) lines = options.tailLines <= 0 ? [] : lines.slice(-options.tailLines)
    return lines.map((l) => (options?.timestamps ? `${kubeletTimestamp(l.t)} ${l.text}` : l.text))
  }

  follow(namespace: string, pod: string, options: PodLogOptions, onLine: (line: string) => void, onEnd: () => void): () => void {
    const {log, run} = this.select(namespace, pod, options)
    if (!log || !run || run.ended || options.previous) {
      queueMicrotask(onEnd)
      return () => {}
    }
    const follower = {onLine, onEnd, timestamps: options.timestamps ?? false}
    log.followers.add(follower)
    return () => {
      log.followers.delete(follower)
    }
  }
}

function podContainers(pod: KubeObject): string[] {
  const spec = pod.spec as {containers?: Array<{name: string}>} | undefined
  return (spec?.containers ?? []).map((c) => c.name)
}

function initContainers(pod: KubeObject): string[] {
  const spec = pod.spec as {initContainers?: Array<{name: string}>} | undefined
  return (spec?.initContainers ?? []).map((c) => c.name)
}

function waitingReason(pod: KubeObject, container: string): string | undefined {
  const status = pod.status as {containerStatuses?: Array<{name: string; state?: {waiting?: {reason?: string}}}>} | undefined
  return status?.containerStatuses?.find((c) => c.name === container)?.state?.waiting?.reason
}

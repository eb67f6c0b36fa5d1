/**
 * `kubectl aim logs`: the predictor pods of a service (found by label, reference §12), their logs
 * prefixed with the pod name when there are several (stern-like), following new pods with -f.
 */
import type {KubeObject} from '../api/object.js'
import {K, LABELS, field, serviceSelector, type AIMService} from './aim.js'
import type {KubeClient, LogOptions, WatchHandle} from './client.js'
import {failure} from './errors.js'

export interface ServiceLogOptions extends LogOptions {
  /** Called with complete lines (prefix included). */
  write: (line: string) => void
  /** Force prefixes even with one pod. */
  prefix?: boolean
  /** Resolves to stop following (Ctrl-C). */
  stopSignal?: Promise<void>
}

export const PREDICTOR_CONTAINER = 'kserve-container'

export async function servicePods(client: KubeClient, name: string, namespace: string): Promise<{svc: AIMService; isvc?: string; selector: string; pods: KubeObject[]}> {
  const svc = await client.get<AIMService>(K.service, name, namespace)
  const isvcs = await client.list(K.isvc, {namespace, labelSelector: serviceSelector(name)})
  const isvc = isvcs.items[0]?.metadata.name
  const selector = isvc ? `${LABELS.isvc}=${isvc}` : serviceSelector(name)
  const pods = await client.list(K.pod, {namespace, labelSelector: selector})
  return {svc, isvc, selector, pods: pods.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))}
}

function containerFor(pod: KubeObject, wanted: string | undefined): string | undefined {
  const names = (field<Array<{name: string}>>(pod, 'spec', 'containers') ?? []).map((c) => c.name)
  if (wanted) {
    if (names.length && !names.includes(wanted)) throw failure(`container ${wanted} is not valid for pod ${pod.metadata.name}: choose one of [${names.join(' ')}]`)
    return wanted
  }
  if (names.includes(PREDICTOR_CONTAINER)) return PREDICTOR_CONTAINER
  return names[0]
}

function started(pod: KubeObject): boolean {
  const phase = field<string>(pod, 'status', 'phase')
  if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return true
  return (field<Array<{state?: {running?: unknown; terminated?: unknown}}>>(pod, 'status', 'containerStatuses') ?? []).some((s) => s.state?.running || s.state?.terminated)
}

/** A line splitter per stream: chunks in, whole lines out. */
function lineSplitter(emit: (line: string) => void): {push(chunk: string): void; flush(): void} {
  let buf = ''
  return {
    push(chunk) {
      buf += chunk
      let i: number
      while ((i = buf.indexOf('\n')) >= 0) {
        emit(buf.slice(0, i))
        buf = buf.slice(i + 1)
      }
    },
    flush() {
      if (buf) emit(buf)
      buf = ''
    },
  }
}

export async function streamServiceLogs(client: KubeClient, name: string, namespace: string, o: ServiceLogOptions): Promise<void> {
  const {svc, pods, selector} = await servicePods(client, name, namespace)
  const running = pods.filter(started)
  if (running.length === 0 && !o.follow) {
    throw failure(
      pods.length === 0 ? `aimservice/${name} has no predictor pods yet (status ${svc.status?.status ?? 'Pending'})` : `no pod of aimservice/${name} has started yet (${pods.map((p) => `${p.metadata.name}: ${field<string>(p, 'status', 'phase') ?? 'Pending'}`).join(', ')})`,
      `see why: kubectl aim status ${name} -n ${namespace}`,
    )
  }
  const prefixed = o.prefix || pods.length > 1 || Boolean(o.follow)
  const opts: LogOptions = {follow: o.follow, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, timestamps: o.timestamps, previous: o.previous}
  if (!o.follow) {
    for (const pod of running) {
      const container = containerFor(pod, o.container)
      const split = lineSplitter((line) => o.write(prefixed && pods.length > 1 ? `[${pod.metadata.name}] ${line}` : line))
      const h = await client.logs(namespace, pod.metadata.name!, {...opts, container}, (c) => split.push(c))
      await h.done
      split.flush()
    }
    return
  }
  // Follow: every started pod now, and pods that start later (watch), until stopped.
  const following = new Map<string, WatchHandle>()
  const multi = () => prefixed && (pods.length > 1 || following.size > 1)
  const follow = async (pod: KubeObject) => {
    const podName = pod.metadata.name!
    if (following.has(podName)) return
    const container = containerFor(pod, o.container)
    const split = lineSplitter((line) => o.write(multi() ? `[${podName}] ${line}` : line))
    try {
      const h = await client.logs(namespace, podName, {...opts, container}, (c) => split.push(c))
      following.set(podName, h)
      h.done.then(
        () => split.flush(),
        () => split.flush(),
      )
    } catch {
      // Not started yet: the watch brings it back when it runs.
    }
  }
  for (const pod of running) await follow(pod)
  const watch = await client.watch(K.pod, {namespace, labelSelector: selector}, (ev) => {
    if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && started(ev.object)) void follow(ev.object)
  })
  await (o.stopSignal ?? new Promise<void>(() => undefined))
  watch.stop()
  for (const h of following.values()) h.stop()
}

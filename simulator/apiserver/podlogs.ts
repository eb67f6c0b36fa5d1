/**
 * pods/log: text/plain, chunked when following. Lines come from the PodLogProvider (the
 * controller manager's fake containers, or an injected one in tests).
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {KubeObject} from '../../src/api/object.js'
import {errors} from '../../src/api/status.js'
import type {PodLogOptions, PodLogProvider} from '../controllers/types.js'
import type {ServerContext} from './context.js'
import {truthy} from './http.js'

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function containerNames(pod: KubeObject, key: 'containers' | 'initContainers' | 'ephemeralContainers'): string[] {
  return (((pod.spec as Any | undefined)?.[key] ?? []) as Any[]).map((c) => String(c.name))
}

function positiveInt(v: string | null, name: string): number | undefined {
  if (v === null || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`${name}: Invalid value: "${v}": must be a non-negative integer`)
  return n
}

export function servePodLog(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, namespace: string, podName: string, query: URLSearchParams): void {
  const pods = ctx.registry.forResource('', 'v1', 'pods')!
  const pod = ctx.store.mustGet(pods, namespace, podName)
  const main = containerNames(pod, 'containers')
  const all = [...main, ...containerNames(pod, 'initContainers'), ...containerNames(pod, 'ephemeralContainers')]
  let container = query.get('container') ?? undefined
  if (!container) {
    if (main.length === 1) container = main[0]
    else throw errors.badRequest(`a container name must be specified for pod ${podName}, choose one of: [${main.join(' ')}]`)
  } else if (!all.includes(container)) {
    throw errors.badRequest(`container ${container} is not valid for pod ${podName}`)
  }
  const sinceTime = query.get('sinceTime')
  let sinceSeconds = positiveInt(query.get('sinceSeconds'), 'sinceSeconds')
  if (sinceSeconds === undefined && sinceTime) {
    const t = Date.parse(sinceTime)
    if (!Number.isNaN(t)) sinceSeconds = Math.max(0, Math.ceil((ctx.now() - t) / 1000))
  }
  const options: PodLogOptions = {
    container,
    tailLines: positiveInt(query.get('tailLines'), 'tailLines'),
    sinceSeconds,
    timestamps: truthy(query.get('timestamps')),
    previous: truthy(query.get('previous')),
  }
  const limitBytes = positiveInt(query.get('limitBytes'), 'limitBytes')
  const provider: PodLogProvider | undefined = ctx.logs()
  const lines = provider ? provider.read(namespace, podName, options) : []
  const follow = truthy(query.get('follow')) && provider !== undefined

  res.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private'})
  res.flushHeaders()
  let sent = 0
  let closed = false
  let unsubscribe: (() => void) | undefined
  const close = () => {
    if (closed) return
    closed = true
    unsubscribe?.()
    ctx.closers.delete(close)
    if (!res.writableEnded) res.end()
  }
  const write = (line: string) => {
    if (closed) return
    let text = line.endsWith('\n') ? line : `${line}\n`
    if (limitBytes !== undefined) {
      if (sent + Buffer.byteLength(text) > limitBytes) {
        text = Buffer.from(text).subarray(0, limitBytes - sent).toString('utf8')
        res.write(text)
        close()
        return
      }
      sent += Buffer.byteLength(text)
    }
    res.write(text)
  }
  for (const line of lines) write(line)
  if (!follow || closed) {
    close()
    return
  }
  ctx.closers.add(close)
  res.on('close', close)
  unsubscribe = provider.follow(namespace, podName, options, write, close)
  if (closed) unsubscribe()
}

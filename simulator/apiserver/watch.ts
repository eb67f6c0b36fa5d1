/**
 * `?watch=1`: chunked, newline-framed JSON events. Headers are flushed at once (client-node's
 * fetch times out waiting for them otherwise); a too-old resourceVersion becomes an in-stream
 * ERROR event (410 Expired) followed by closing the stream; `timeoutSeconds` ends the stream
 * cleanly (with a BOOKMARK first when bookmarks were asked for). Table watches send one-row
 * Tables, with column definitions only in the first event.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {apiVersionOf, type KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {ApiError, errors} from '../../src/api/status.js'
import type {WatchEvent} from '../store/types.js'
import type {ServerContext} from './context.js'
import {JSON_TYPE, TABLE_TYPE, truthy} from './http.js'
import {toTable, type IncludeObject} from './table.js'

/**
 * One serialization per stored object version, shared by every JSON watcher (the watch-cache
 * trick): the store hands out the same frozen object to each watcher.
 */
const encoded = new WeakMap<object, string>()

function encodeEvent(event: WatchEvent): string {
  let json = encoded.get(event.object)
  if (json === undefined) {
    json = JSON.stringify(event.object)
    if (Object.isFrozen(event.object)) encoded.set(event.object, json)
  }
  return `{"type":"${event.type}","object":${json}}\n`
}

const BOOKMARK_INTERVAL_MS = 60_000

export interface WatchRequest {
  info: KindInfo
  namespace?: string
  query: URLSearchParams
  format: 'json' | 'table' | 'metadata'
  include: IncludeObject
}

export function serveWatch(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
  const {info, query} = w
  const allowBookmarks = truthy(query.get('allowWatchBookmarks'))
  const contentType = w.format === 'table' ? TABLE_TYPE : w.format === 'metadata' ? 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' : JSON_TYPE
  res.writeHead(200, {'Content-Type': contentType, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private'})
  res.flushHeaders()
  res.socket?.setNoDelay(true)

  let closed = false
  let headersSent = false
  let handle: {stop(): void} | undefined
  let timer: NodeJS.Timeout | undefined
  let ticker: NodeJS.Timeout | undefined

  const close = () => {
    if (closed) return
    closed = true
    if (timer) clearTimeout(timer)
    if (ticker) clearInterval(ticker)
    handle?.stop()
    ctx.closers.delete(close)
    if (!res.writableEnded) res.end()
  }
  ctx.closers.add(close)
  res.on('close', close)

  const write = (text: string) => {
    if (closed) return
    ctx.beforeSend?.()
    res.write(text)
  }

  const bookmark = () => {
    const object = {kind: info.kind, apiVersion: apiVersionOf(info), metadata: {resourceVersion: ctx.store.resourceVersion()}}
    write(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`)
  }

  const onEvent = (event: WatchEvent) => {
    if (closed) return
    if (event.type === 'ERROR') {
      write(encodeEvent(event))
      // The informer relists only after the server closes the stream.
      setImmediate(close)
      return
    }
    if (event.type === 'BOOKMARK') {
      if (allowBookmarks) write(encodeEvent(event))
      return
    }
    if (w.format === 'json') {
      write(encodeEvent(event))
      return
    }
    if (w.format === 'metadata') {
      write(`{"type":"${event.type}","object":${JSON.stringify({kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: event.object.metadata})}}\n`)
      return
    }
    const table = toTable(info, [withType(info, event.object)], {now: ctx.now(), include: w.include, noHeaders: headersSent})
    headersSent = true
    write(`{"type":"${event.type}","object":${JSON.stringify(table)}}\n`)
  }

  try {
    handle = ctx.store.watch(
      info,
      {
        namespace: w.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        allowBookmarks,
        sendInitialEvents: query.has('sendInitialEvents') ? truthy(query.get('sendInitialEvents')) : undefined,
      },
      onEvent,
    )
  } catch (e) {
    const status = e instanceof ApiError ? e.status : errors.internal(e instanceof Error ? e.message : String(e)).status
    write(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`)
    close()
    return
  }
  if (closed) {
    handle.stop()
    return
  }
  if (allowBookmarks) {
    // kube-apiserver sends a bookmark about once a minute, so a resumed watch starts close to now.
    ticker = setInterval(bookmark, BOOKMARK_INTERVAL_MS)
    ticker.unref()
  }
  const timeout = Number(query.get('timeoutSeconds') ?? '')
  if (Number.isFinite(timeout) && timeout > 0) {
    timer = setTimeout(() => {
      if (allowBookmarks) bookmark()
      close()
    }, timeout * 1000)
    timer.unref()
  }
}

export function withType(info: KindInfo, obj: KubeObject): KubeObject {
  if (obj.apiVersion && obj.kind) return obj
  return {...obj, apiVersion: obj.apiVersion || apiVersionOf(info), kind: obj.kind || info.kind}
}

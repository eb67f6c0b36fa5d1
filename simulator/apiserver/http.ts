/** Small HTTP helpers shared by the handlers: JSON/Status responses, body reading, media types. */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {ApiError, errors, type Status} from '../../src/api/status.js'

export const JSON_TYPE = 'application/json'
export const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io'
const MAX_BODY = 3 * 1024 * 1024

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = JSON_TYPE): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(code, {'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private'})
  res.end(text)
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text)})
  res.end(text)
}

export function sendStatus(res: ServerResponse, status: Status): void {
  sendJson(res, status.code, status)
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (error instanceof ApiError) return sendStatus(res, error.status)
  const message = error instanceof Error ? error.message : String(error)
  sendStatus(res, errors.internal(message).status)
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8')
}

export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(tooLarge())
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function tooLarge(): ApiError {
  return new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the request body is too large', reason: 'BadRequest', code: 413})
}

export interface MediaRange {
  type: string
  params: Record<string, string>
}

/** Parses an Accept or Content-Type header into media ranges (parameter order does not matter). */
export function parseMediaTypes(header: string | undefined): MediaRange[] {
  if (!header) return []
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim())
      const out: Record<string, string> = {}
      for (const p of params) {
        const eq = p.indexOf('=')
        if (eq > 0) out[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '')
      }
      return {type: type.toLowerCase(), params: out}
    })
    .filter((m) => m.type !== '')
}

export function mediaType(header: string | undefined): string {
  return parseMediaTypes(header)[0]?.type ?? ''
}

export type Format = 'table' | 'metadata' | 'json' | 'yaml' | 'none'

/**
 * What the client asked for, in its order of preference: a meta.k8s.io Table, metadata only
 * (PartialObjectMetadata[List]), plain JSON, YAML, or nothing we can produce (406).
 */
export function negotiate(accept: string | undefined): Format {
  const ranges = parseMediaTypes(accept)
  if (ranges.length === 0) return 'json'
  for (const r of ranges) {
    if (r.type === 'application/yaml' && !r.params.as) return 'yaml'
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*'
    if (!jsonish) continue
    if (r.params.as) {
      const meta = r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')
      if (meta && r.params.as === 'Table') return 'table'
      if (meta && (r.params.as === 'PartialObjectMetadata' || r.params.as === 'PartialObjectMetadataList')) return 'metadata'
      continue
    }
    return 'json'
  }
  return 'none'
}

export function notAcceptable(): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message:
      'only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
    reason: 'NotAcceptable',
    code: 406,
  })
}

export function truthy(value: string | null): boolean {
  return value === 'true' || value === '1'
}

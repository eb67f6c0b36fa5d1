/**
 * Errors the CLI shows to users: one line, an optional hint, an exit code. Everything that can go
 * wrong talking to a cluster (unreachable server, 401/403, 404, CRDs missing, timeouts) is mapped
 * here to a `UserError`; commands never format errors themselves. No client-node import: this module
 * is loaded by the base command, which must stay light.
 */

export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

export class UserError extends Error {
  /** The HTTP status behind the error, when a server answered. */
  httpStatus?: number

  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'UserError'
  }
}

/** Bad input (flags, arguments, names that match nothing): exit 2. */
export function usageError(message: string, hint?: string): UserError {
  return new UserError(message, EXIT_USAGE, hint)
}

/** An operation that failed or did not finish: exit 1. */
export function failure(message: string, hint?: string): UserError {
  return new UserError(message, EXIT_FAILED, hint)
}

/** What the request was about, so a 403 or 404 can name it. */
export interface RequestTarget {
  verb: 'get' | 'list' | 'watch' | 'create' | 'patch' | 'delete' | 'apply' | 'logs'
  /** The resource phrase, e.g. `aimservices` or `aimservices.aim.eai.amd.com`. */
  resource: string
  name?: string
  namespace?: string
  /** Whether the resource is one of ours (a 404 on a list then means the CRDs are not installed). */
  aim?: boolean
  server?: string
}

interface StatusBody {
  kind?: string
  message?: string
  reason?: string
  code?: number
  details?: {name?: string; kind?: string; causes?: Array<{field?: string; message?: string}>}
}

function parseBody(body: unknown): StatusBody | undefined {
  if (body == null) return undefined
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as unknown
      return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : {message: body}
    } catch {
      return body.trim() ? {message: body.trim()} : undefined
    }
  }
  if (typeof body === 'object') return body as StatusBody
  return undefined
}

/** The HTTP status of an ApiException-like error (client-node throws `{code, body}`), else undefined. */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as {code?: unknown; statusCode?: unknown; body?: unknown}
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) return e.code
  if (typeof e.statusCode === 'number') return e.statusCode
  return undefined
}

function networkCode(err: unknown): string | undefined {
  let cur: unknown = err
  for (let depth = 0; depth < 4 && cur && typeof cur === 'object'; depth++) {
    const e = cur as {code?: unknown; errno?: unknown; cause?: unknown; type?: unknown}
    if (typeof e.code === 'string') return e.code
    if (typeof e.errno === 'string') return e.errno
    if (e.type === 'request-timeout') return 'ETIMEDOUT'
    cur = e.cause
  }
  return undefined
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE'])
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
])

function who(target: RequestTarget): string {
  return target.name ? `${target.resource} "${target.name}"` : target.resource
}

function where(target: RequestTarget): string {
  return target.namespace ? ` in namespace "${target.namespace}"` : ''
}

/** Turns anything thrown by a request into a one-line UserError. */
export function toUserError(err: unknown, target: RequestTarget): UserError {
  if (err instanceof UserError) return err
  const status = httpStatusOf(err)
  if (status !== undefined) {
    const e = httpError(err, status, target)
    e.httpStatus = status
    return e
  }
  return networkError(err, target)
}

function httpError(err: unknown, status: number, target: RequestTarget): UserError {
  const body = parseBody((err as {body?: unknown}).body)
  const message = body?.message
  switch (status) {
    case 401:
      return failure('You must be logged in to the server (Unauthorized)', 'check the credentials of the current context (token or client certificate)')
    case 403:
      return failure(
        `forbidden: cannot ${target.verb} ${target.resource}${where(target)}${message ? `: ${message}` : ''}`,
        `ask for RBAC access: kubectl auth can-i ${target.verb === 'apply' ? 'patch' : target.verb === 'logs' ? 'get' : target.verb} ${target.verb === 'logs' ? 'pods/log' : target.resource}${target.namespace ? ` -n ${target.namespace}` : ''}`,
      )
    case 404: {
      const objectMissing = Boolean(body?.details?.name) || (message !== undefined && / not found$/.test(message) && message.includes('"'))
      if (!objectMissing && target.aim) {
        const plural = target.resource.split('.')[0]
        return failure(`the server doesn't have resource type ${plural}: is the AIM Engine installed?`, 'install the AIM Engine operator (it brings the aim.eai.amd.com CRDs), or try: kubectl aim simulate')
      }
      if (!objectMissing) return failure(`the server doesn't have resource type ${target.resource.split('.')[0]}`)
      return failure(`${who(target)} not found${where(target)}`)
    }
    case 409:
      return failure(message ?? `conflict on ${who(target)}`)
    case 410:
      return failure(message ?? 'the watch expired (410 Gone)')
    case 422: {
      return new UserError(message ?? `${who(target)} is invalid`, EXIT_USAGE)
    }
    case 504:
    case 408:
      return failure(`timed out waiting for the server to ${target.verb} ${who(target)}`)
    default:
      return failure(`the server answered ${status}${body?.reason ? ` (${body.reason})` : ''} to ${target.verb} ${who(target)}${message ? `: ${message}` : ''}`)
  }
}

function networkError(err: unknown, target: RequestTarget): UserError {
  const code = networkCode(err)
  const server = target.server ?? 'the server'
  if (code && NETWORK_CODES.has(code)) {
    return failure(`cannot reach the Kubernetes API server at ${server} (${code})`, 'is the cluster running and is the current context right? (kubectl config current-context)')
  }
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ABORT_ERR') {
    return failure(`timed out waiting for the server at ${server} to ${target.verb} ${who(target)}`, 'raise --request-timeout (e.g. 1m), or check the cluster')
  }
  if (code && TLS_CODES.has(code)) {
    return failure(`TLS error talking to ${server}: ${code}`, 'check certificate-authority(-data) of the cluster in your kubeconfig')
  }
  const msg = err instanceof Error ? err.message : String(err)
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|socket hang up/.test(msg)) {
    return failure(`cannot reach the Kubernetes API server at ${server}`, 'is the cluster running and is the current context right? (kubectl config current-context)')
  }
  return failure(firstLine(msg))
}

export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text
  return line.trim()
}

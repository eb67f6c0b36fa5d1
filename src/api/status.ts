/**
 * `Status` objects, the body of every API error, and the error class that carries one. The store
 * throws these, the API server serialises them, the CLI turns them into one-line messages.
 */

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Gone'
  | 'Expired'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'InternalError'
  | 'Timeout'

export interface StatusCause {
  reason?: string // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueForbidden, …
  message: string
  field?: string
}

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, never>
  status: 'Success' | 'Failure'
  message: string
  reason?: StatusReason
  details?: {name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number}
  code: number
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message)
    this.name = 'ApiError'
  }

  get code(): number {
    return this.status.code
  }

  get reason(): StatusReason | undefined {
    return this.status.reason
  }
}

function failure(code: number, reason: StatusReason, message: string, details?: Status['details']): ApiError {
  return new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code})
}

/** `aimservices.aim.eai.amd.com "x" not found` — the resource phrase kube-apiserver uses. */
export function qualifiedResource(group: string, plural: string): string {
  return group === '' ? plural : `${plural}.${group}`
}

export const errors = {
  notFound: (group: string, plural: string, name: string) =>
    failure(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, {name, group: group || undefined, kind: plural}),
  alreadyExists: (group: string, plural: string, name: string) =>
    failure(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, {name, group: group || undefined, kind: plural}),
  conflict: (group: string, plural: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, {name, group: group || undefined, kind: plural}),
  /** 422: message `Kind.group "name" is invalid: [cause, cause]` with one cause per field. */
  invalid: (group: string, kind: string, name: string, causes: StatusCause[]) => {
    const qualified = group === '' ? kind : `${kind}.${group}`
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message))
    const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`
    return failure(422, 'Invalid', `${qualified} "${name}" is invalid: ${body}`, {name, group: group || undefined, kind, causes})
  },
  /** 404 for a path or resource type the server does not serve (no name in the details). */
  unknownResource: () => failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  badRequest: (message: string) => failure(400, 'BadRequest', message),
  gone: (message: string) => failure(410, 'Expired', message),
  unauthorized: () => failure(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (message: string) => failure(403, 'Forbidden', message),
  methodNotAllowed: (message: string) => failure(405, 'MethodNotAllowed', message),
  unsupportedMediaType: (message: string) => failure(415, 'UnsupportedMediaType', message),
  internal: (message: string) => failure(500, 'InternalError', message),
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

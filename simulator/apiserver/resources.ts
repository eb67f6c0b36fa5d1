/**
 * CRUD on registry kinds: list/get (JSON or Table), create, replace, the four patch types,
 * delete (DeleteOptions in body and query), deletecollection, and the status and scale
 * subresources. Object semantics (resourceVersion, generation, finalizers, GC, apply) belong to
 * the store; this file translates HTTP to store calls and back.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createRequire} from 'node:module'
import {apiVersionOf, type KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {ApiError, errors} from '../../src/api/status.js'
import {strictDecodingMessage} from '../../src/api/validation.js'
import type {DeleteOptions, WriteOptions} from '../store/types.js'
import type {ServerContext, Target} from './context.js'
import {mediaType, negotiate, notAcceptable, readBody, readBodyBytes, sendJson, TABLE_TYPE, truthy} from './http.js'
import {decodeKubeProtobuf, isKubeProtobuf} from './protobuf.js'
import {jsonPatch, mergePatch, strategicMergePatch} from './patch.js'
import {toTable, type IncludeObject} from './table.js'
import {serveWatch, withType} from './watch.js'

// yaml costs ~30 ms to load and only YAML bodies and `Accept: application/yaml` need it (kubectl
// sends and asks for JSON): loaded on first use, synchronously (the package is CommonJS).
let yamlModule: typeof import('yaml') | undefined
const yaml = (): typeof import('yaml') => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'))
const parseYaml = (text: string): unknown => yaml().parse(text)
const toYaml = (value: unknown): string => yaml().stringify(value)

type Any = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const APPLY = 'application/apply-patch+yaml'
const MERGE = 'application/merge-patch+json'
const JSONPATCH = 'application/json-patch+json'
const STRATEGIC = 'application/strategic-merge-patch+json'

interface Request {
  ctx: ServerContext
  req: IncomingMessage
  res: ServerResponse
  query: URLSearchParams
  target: Target
  warnings: string[]
}

function include(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject')
  return v === 'Object' || v === 'None' ? v : 'Metadata'
}

function dryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun')
  for (const v of values) if (v !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`)
  return values.length > 0
}

function fieldManager(r: Request): string | undefined {
  const explicit = r.query.get('fieldManager')
  if (explicit) return explicit
  const agent = r.req.headers['user-agent']
  return agent ? agent.split('/')[0] : undefined
}

async function parseObject(r: Request): Promise<Any> {
  const type = mediaType(r.req.headers['content-type'])
  if (isKubeProtobuf(type)) return decodeKubeProtobuf(await readBodyBytes(r.req)) as Any
  if (type !== '' && !type.includes('json') && !type.includes('yaml')) {
    throw errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`)
  }
  const text = await readBody(r.req)
  let body: unknown
  try {
    body = type.includes('yaml') ? parseYaml(text) : JSON.parse(text)
  } catch (e) {
    throw errors.badRequest(`the body of the request could not be decoded: ${e instanceof Error ? e.message : String(e)}`)
  }
  return body as Any
}

const META_TYPE = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'
const META_LIST_TYPE = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'

export function partialMetadata(obj: KubeObject): Record<string, unknown> {
  return {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata}
}

function respond(r: Request, code: number, obj: KubeObject): void {
  const out = withType(r.target.info, obj)
  if (r.warnings.length > 0) r.res.setHeader('Warning', r.warnings.map((w) => `299 - ${JSON.stringify(w)}`))
  switch (negotiate(r.req.headers.accept)) {
    case 'table':
      return sendJson(r.res, code, toTable(r.target.info, [out], {now: r.ctx.now(), include: include(r.query)}), TABLE_TYPE)
    case 'metadata':
      return sendJson(r.res, code, partialMetadata(out), META_TYPE)
    case 'yaml':
      return sendJson(r.res, code, toYaml(out), 'application/yaml')
    default:
      return sendJson(r.res, code, out)
  }
}

/** Type meta must match the URL; a missing one is filled in. Namespace and name checks too. */
function checkBody(r: Request, body: Any, forName?: string): KubeObject {
  const {info} = r.target
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the body of the request was not a JSON object')
  const expected = apiVersionOf(info)
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    throw errors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`)
  }
  if (body.kind !== undefined && body.kind !== info.kind) {
    throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${info.kind})`)
  }
  body.apiVersion = expected
  body.kind = info.kind
  body.metadata ??= {}
  if (typeof body.metadata !== 'object') throw errors.badRequest('metadata must be an object')
  if (info.namespaced) {
    if (body.metadata.namespace && r.target.namespace && body.metadata.namespace !== r.target.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    if (r.target.namespace) body.metadata.namespace = r.target.namespace
  } else {
    delete body.metadata.namespace
  }
  if (forName !== undefined && body.metadata.name !== forName) {
    if (body.metadata.name === undefined || body.metadata.name === '') body.metadata.name = forName
    else throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${forName})`)
  }
  return body as KubeObject
}

/** fieldValidation=Strict|Warn|Ignore against the kind's schema (Warn is the server default). */
function fieldValidation(r: Request, obj: KubeObject): void {
  const mode = r.query.get('fieldValidation') ?? 'Warn'
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
    throw errors.badRequest(`fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`)
  }
  if (!r.ctx.validator.unknownFields) return
  const unknown = r.ctx.validator.unknownFields(obj, r.target.info)
  if (unknown.length === 0) return
  if (mode === 'Strict') throw errors.badRequest(strictDecodingMessage(unknown))
  if (mode === 'Warn') r.warnings.push(...unknown.map((f) => `unknown field "${f}"`))
  // As kube-apiserver prunes fields a structural schema does not know, unknown fields are not stored.
  for (const path of unknown) prune(obj as Any, path)
}

/** Deletes `spec.a[0].b` / `spec.labels[key]` from an object (paths as unknownFields reports them). */
function prune(obj: Any, path: string): void {
  const segments: string[] = []
  const re = /([^.[\]]+)|\[([^\]]*)\]/g
  for (let m = re.exec(path); m; m = re.exec(path)) segments.push(m[1] ?? m[2] ?? '')
  let cur: unknown = obj
  for (const seg of segments.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)]
    else if (cur && typeof cur === 'object') cur = (cur as Any)[seg]
    else return
  }
  const last = segments[segments.length - 1]
  if (last !== undefined && cur && typeof cur === 'object' && !Array.isArray(cur)) delete (cur as Any)[last]
}

function writeOptions(r: Request): WriteOptions {
  const opts: WriteOptions = {}
  if (dryRun(r.query)) opts.dryRun = true
  const manager = fieldManager(r)
  if (manager) opts.fieldManager = manager
  if (r.target.subresource === 'status') opts.subresource = 'status'
  return opts
}

// ---- handlers ----------------------------------------------------------------------------------

export async function handleCollection(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: Target, query: URLSearchParams): Promise<void> {
  const r: Request = {ctx, req, res, query, target, warnings: []}
  switch (req.method) {
    case 'GET':
      return list(r)
    case 'POST':
      return create(r)
    case 'DELETE':
      return deleteCollection(r)
    default:
      throw errors.methodNotAllowed(`the server does not allow this method on the requested resource`)
  }
}

export async function handleItem(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: Target, query: URLSearchParams): Promise<void> {
  const r: Request = {ctx, req, res, query, target, warnings: []}
  if (target.subresource === 'scale') return scale(r)
  if (target.subresource !== undefined && target.subresource !== 'status') throw notFoundResource()
  switch (req.method) {
    case 'GET':
      if (negotiate(req.headers.accept) === 'none') throw notAcceptable()
      return respond(r, 200, ctx.store.mustGet(target.info, target.namespace, target.name!))
    case 'PUT':
      return replace(r)
    case 'PATCH':
      return patch(r)
    case 'DELETE':
      if (target.subresource) throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
      return remove(r)
    default:
      throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
  }
}

function notFoundResource(): ApiError {
  return new ApiError({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404})
}

function list(r: Request): void {
  const {info, namespace} = r.target
  const as = negotiate(r.req.headers.accept)
  if (as === 'none') throw notAcceptable()
  if (truthy(r.query.get('watch'))) {
    if (as === 'yaml') throw notAcceptable()
    serveWatch(r.ctx, r.req, r.res, {info, namespace, query: r.query, format: as, include: include(r.query)})
    return
  }
  const limit = Number(r.query.get('limit') ?? '')
  const result = r.ctx.store.list(info, {
    namespace,
    labelSelector: r.query.get('labelSelector') ?? undefined,
    fieldSelector: r.query.get('fieldSelector') ?? undefined,
    limit: Number.isInteger(limit) && limit > 0 ? limit : undefined,
    continue: r.query.get('continue') ?? undefined,
  })
  const items = result.items.map((o) => withType(info, o))
  const metadata: Record<string, string> = {resourceVersion: result.resourceVersion}
  if (result.continue) metadata.continue = result.continue
  switch (as) {
    case 'table':
      return sendJson(r.res, 200, toTable(info, items, {now: r.ctx.now(), include: include(r.query), resourceVersion: result.resourceVersion, continue: result.continue}), TABLE_TYPE)
    case 'metadata':
      return sendJson(r.res, 200, {kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partialMetadata)}, META_LIST_TYPE)
    case 'yaml':
      return sendJson(r.res, 200, toYaml({apiVersion: apiVersionOf(info), kind: info.listKind, metadata, items}), 'application/yaml')
    default:
      return sendJson(r.res, 200, {apiVersion: apiVersionOf(info), kind: info.listKind, metadata, items})
  }
}

async function create(r: Request): Promise<void> {
  if (r.target.info.namespaced && !r.target.namespace) throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
  const body = checkBody(r, await parseObject(r))
  fieldValidation(r, body)
  const created = r.ctx.store.create(body, writeOptions(r))
  respond(r, 201, created)
}

async function replace(r: Request): Promise<void> {
  const {info, name} = r.target
  const body = checkBody(r, await parseObject(r), name)
  fieldValidation(r, body)
  if (info.custom && !body.metadata.resourceVersion) {
    throw errors.invalid(info.group, info.kind, name!, [{reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update'}])
  }
  const updated = r.ctx.store.update(body, writeOptions(r))
  respond(r, 200, updated)
}

function unsupportedPatch(info: KindInfo): ApiError {
  const types = info.custom ? [JSONPATCH, MERGE, APPLY] : [JSONPATCH, MERGE, APPLY, STRATEGIC]
  return errors.unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${types.join(', ')}`)
}

async function patch(r: Request): Promise<void> {
  const {info, namespace, name} = r.target
  const type = mediaType(r.req.headers['content-type'])
  if (type === STRATEGIC && info.custom) throw unsupportedPatch(info)
  if (![APPLY, MERGE, JSONPATCH, STRATEGIC].includes(type)) throw unsupportedPatch(info)
  const body = await parseObject(r)
  const opts = writeOptions(r)
  if (type === APPLY) {
    const manager = r.query.get('fieldManager')
    if (!manager) {
      throw errors.invalid('meta.k8s.io', 'PatchOptions', '', [{reason: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch'}])
    }
    const obj = checkBody(r, body, name)
    fieldValidation(r, obj)
    const existed = r.ctx.store.get(info, namespace, name!) !== undefined
    const force = truthy(r.query.get('force'))
    const applied = r.ctx.store.apply(obj, {...opts, fieldManager: manager, force})
    respond(r, existed ? 200 : 201, applied)
    return
  }
  const current = r.ctx.store.mustGet(info, namespace, name!)
  let patched: Any
  if (type === JSONPATCH) patched = jsonPatch(current, body) as Any
  else if (type === MERGE) patched = mergePatch(current, body) as Any
  else patched = strategicMergePatch(current, body) as Any
  if (!patched || typeof patched !== 'object') throw errors.badRequest('the patch did not produce an object')
  const meta = (patched.metadata ?? {}) as Any
  if (meta.name !== current.metadata.name || (info.namespaced && meta.namespace !== current.metadata.namespace)) {
    throw errors.invalid(info.group, info.kind, name!, [{reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${meta.name}": field is immutable`}])
  }
  if (meta.uid !== undefined && meta.uid !== current.metadata.uid) {
    throw errors.invalid(info.group, info.kind, name!, [{reason: 'FieldValueInvalid', field: 'metadata.uid', message: `Invalid value: "${meta.uid}": field is immutable`}])
  }
  patched.apiVersion = apiVersionOf(info)
  patched.kind = info.kind
  // The patch's own resourceVersion (if any) is a precondition; otherwise apply to what we read.
  const patchRv = (body as Any)?.metadata?.resourceVersion
  patched.metadata = {...meta, resourceVersion: type === JSONPATCH ? meta.resourceVersion ?? current.metadata.resourceVersion : patchRv ?? current.metadata.resourceVersion}
  fieldValidation(r, patched as KubeObject)
  const updated = r.ctx.store.update(patched as KubeObject, opts)
  respond(r, 200, updated)
}

async function deleteOptions(r: Request): Promise<DeleteOptions> {
  const text = await readBody(r.req)
  let body: Any = {}
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as Any
    } catch {
      throw errors.badRequest('the body of the request could not be decoded as DeleteOptions')
    }
  }
  const opts: DeleteOptions = {}
  const policy = r.query.get('propagationPolicy') ?? body.propagationPolicy
  const orphan = r.query.get('orphanDependents') ?? body.orphanDependents
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
      throw errors.badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`)
    }
    opts.propagationPolicy = policy
  } else if (orphan === true || orphan === 'true') opts.propagationPolicy = 'Orphan'
  else if (orphan === false || orphan === 'false') opts.propagationPolicy = 'Foreground'
  if (dryRun(r.query) || (Array.isArray(body.dryRun) && body.dryRun.includes('All'))) opts.dryRun = true
  const pre = body.preconditions as Any | undefined
  if (pre && (pre.uid || pre.resourceVersion)) opts.preconditions = {uid: pre.uid ?? undefined, resourceVersion: pre.resourceVersion ?? undefined}
  return opts
}

async function remove(r: Request): Promise<void> {
  const {info, namespace, name} = r.target
  const opts = await deleteOptions(r)
  const deleted = r.ctx.store.delete(info, namespace, name!, opts)
  const still = opts.dryRun ? undefined : r.ctx.store.get(info, namespace, name!)
  if (still && still.metadata.uid === deleted.metadata.uid) {
    respond(r, 200, still)
    return
  }
  if (opts.dryRun && (deleted.metadata.finalizers?.length ?? 0) > 0) {
    respond(r, 200, deleted)
    return
  }
  sendJson(r.res, 200, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {name, ...(info.group ? {group: info.group} : {}), kind: info.plural, uid: deleted.metadata.uid},
  })
}

async function deleteCollection(r: Request): Promise<void> {
  const {info, namespace} = r.target
  const opts = await deleteOptions(r)
  const {items} = r.ctx.store.list(info, {
    namespace,
    labelSelector: r.query.get('labelSelector') ?? undefined,
    fieldSelector: r.query.get('fieldSelector') ?? undefined,
  })
  const deleted: KubeObject[] = []
  for (const item of items) {
    try {
      deleted.push(withType(info, r.ctx.store.delete(info, item.metadata.namespace, item.metadata.name!, opts)))
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e
    }
  }
  sendJson(r.res, 200, {apiVersion: apiVersionOf(info), kind: info.listKind, metadata: {resourceVersion: r.ctx.store.resourceVersion()}, items: deleted})
}

// ---- scale ----------------------------------------------------------------------------------------

function readPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const k of path.replace(/^\./, '').split('.')) cur = cur && typeof cur === 'object' ? (cur as Any)[k] : undefined
  return cur
}

function writePath(obj: Any, path: string, value: unknown): void {
  const keys = path.replace(/^\./, '').split('.')
  let cur = obj
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {}
    cur = cur[k] as Any
  }
  cur[keys[keys.length - 1]!] = value
}

function selectorString(obj: KubeObject): string | undefined {
  const sel = (obj.spec as Any | undefined)?.selector
  if (!sel || typeof sel !== 'object') return typeof sel === 'string' ? sel : undefined
  const labels = (sel.matchLabels ?? sel) as Record<string, unknown>
  const parts = Object.entries(labels)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => `${k}=${String(v)}`)
  return parts.length > 0 ? parts.join(',') : undefined
}

function toScale(info: KindInfo, obj: KubeObject): Any {
  const paths = info.subresources.scale!
  const selector = selectorString(obj)
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: {replicas: Number(readPath(obj, paths.specReplicasPath) ?? 0)},
    status: {replicas: Number(readPath(obj, paths.statusReplicasPath) ?? 0), ...(selector ? {selector} : {})},
  }
}

async function scale(r: Request): Promise<void> {
  const {info, namespace, name} = r.target
  const paths = info.subresources.scale
  if (!paths) throw notFoundResource()
  const current = r.ctx.store.mustGet(info, namespace, name!)
  if (r.req.method === 'GET') {
    sendJson(r.res, 200, toScale(info, current))
    return
  }
  if (r.req.method !== 'PUT' && r.req.method !== 'PATCH') throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
  const body = await parseObject(r)
  let desired: Any
  if (r.req.method === 'PUT') desired = body
  else {
    const type = mediaType(r.req.headers['content-type'])
    const scaleObj = toScale(info, current)
    if (type === JSONPATCH) desired = jsonPatch(scaleObj, body) as Any
    else if (type === MERGE || type === STRATEGIC || type === APPLY) desired = mergePatch(scaleObj, body) as Any
    else throw unsupportedPatch(info)
  }
  const replicas = desired?.spec?.replicas
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid('autoscaling', 'Scale', name!, [{reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`}])
  }
  const rv = desired?.metadata?.resourceVersion
  if (r.req.method === 'PUT' && rv && rv !== current.metadata.resourceVersion) throw errors.conflict(info.group, info.plural, name!)
  const next = JSON.parse(JSON.stringify(current)) as Any
  writePath(next, paths.specReplicasPath, replicas)
  const opts = writeOptions(r)
  delete opts.subresource
  const updated = r.ctx.store.update(next as KubeObject, opts)
  sendJson(r.res, 200, toScale(info, updated))
}


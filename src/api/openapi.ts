/**
 * OpenAPI v3 documents in the shape kube-apiserver serves at /openapi/v3 and /openapi/v3/<gv>.
 * kubectl relies on them for: `fieldValidation` support detection (a `patch` operation with
 * x-kubernetes-group-version-kind and a `fieldValidation` parameter), strategic-merge support
 * (built-ins list application/strategic-merge-patch+json), and `kubectl explain`.
 */
import {createHash} from 'node:crypto'
import {ALL_KINDS, type KindInfo, apiVersionOf} from './registry.js'
import {type Schema, wireSchema} from './schema.js'
import {hasFullSchema, schemaFor} from './schemas/index.js'

export const KUBERNETES_VERSION = 'v1.32.2'

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1'
const ref = (name: string) => ({$ref: `#/components/schemas/${name}`})

/** Whether a group is a Kubernetes built-in group (io.k8s.api.* schema names). */
function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || (group.endsWith('.k8s.io') && !group.startsWith('gateway.networking.'))
}

/**
 * The components.schemas name of a kind, as the real server names it: `io.k8s.api.core.v1.Pod`,
 * `io.k8s.api.apps.v1.Deployment`, `com.amd.eai.aim.v1alpha1.AIMService` (reversed group for CRDs).
 */
export function schemaName(info: Pick<KindInfo, 'group' | 'version'>, kind: string): string {
  if (info.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${info.version}.${kind}`
  if (isBuiltinGroup(info.group)) {
    const pkg = info.group === '' ? 'core' : info.group.split('.')[0]
    return `io.k8s.api.${pkg}.${info.version}.${kind}`
  }
  return `${info.group.split('.').reverse().join('.')}.${info.version}.${kind}`
}

// ------------------------------------------------------------------------------------ meta schemas

const str = (description: string, o: Record<string, unknown> = {}) => ({type: 'string', description, ...o})
const int = (description: string) => ({type: 'integer', format: 'int64', description})

function metaSchemas(): Record<string, unknown> {
  return {
    [`${META}.Time`]: {type: 'string', format: 'date-time', description: 'A timestamp in RFC 3339 form.'},
    [`${META}.FieldsV1`]: {type: 'object', description: 'The set of fields a manager owns, in the FieldsV1 encoding.'},
    [`${META}.OwnerReference`]: {
      type: 'object',
      description: 'Identifies an owning object; the garbage collector deletes dependents of a deleted owner.',
      required: ['apiVersion', 'kind', 'name', 'uid'],
      properties: {
        apiVersion: str('API version of the owner.', {default: ''}),
        blockOwnerDeletion: {type: 'boolean', description: 'Foreground deletion of the owner waits for this dependent.'},
        controller: {type: 'boolean', description: 'The owner is the managing controller.'},
        kind: str('Kind of the owner.', {default: ''}),
        name: str('Name of the owner.', {default: ''}),
        uid: str('UID of the owner.', {default: ''}),
      },
      'x-kubernetes-map-type': 'atomic',
    },
    [`${META}.ManagedFieldsEntry`]: {
      type: 'object',
      description: 'A field manager, the operation it used and the fields it owns.',
      properties: {
        apiVersion: str('API version of the fields.'),
        fieldsType: str('Format of fieldsV1; always FieldsV1.'),
        fieldsV1: {allOf: [ref(`${META}.FieldsV1`)], description: 'The owned fields.'},
        manager: str('Name of the manager.'),
        operation: str('Apply or Update.'),
        subresource: str('Subresource the write went to.'),
        time: {allOf: [ref(`${META}.Time`)], description: 'When the entry last changed.'},
      },
    },
    [`${META}.ObjectMeta`]: {
      type: 'object',
      description: 'Metadata every persisted resource has: name, namespace, labels, owners and bookkeeping.',
      properties: {
        annotations: {type: 'object', additionalProperties: {type: 'string', default: ''}, description: 'Unstructured key/value data kept with the object.'},
        creationTimestamp: {allOf: [ref(`${META}.Time`)], description: 'When the server created the object.'},
        deletionGracePeriodSeconds: int('Seconds allowed for graceful termination.'),
        deletionTimestamp: {allOf: [ref(`${META}.Time`)], description: 'When deletion was requested; set by the server.'},
        finalizers: {type: 'array', items: {type: 'string', default: ''}, description: 'Must be empty before the object is removed.', 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge'},
        generateName: str('Prefix for a server-generated name.'),
        generation: int('Sequence number of the desired state; bumped on spec changes.'),
        labels: {type: 'object', additionalProperties: {type: 'string', default: ''}, description: 'Key/value pairs for selecting objects.'},
        managedFields: {type: 'array', items: {allOf: [ref(`${META}.ManagedFieldsEntry`)], default: {}}, description: 'Field ownership, for server-side apply.', 'x-kubernetes-list-type': 'atomic'},
        name: str('Name, unique within a namespace.'),
        namespace: str('Namespace of the object; empty for cluster-scoped objects.'),
        ownerReferences: {
          type: 'array',
          items: {allOf: [ref(`${META}.OwnerReference`)], default: {}},
          description: 'Objects this object depends on.',
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
        },
        resourceVersion: str('Opaque version of the object, for optimistic concurrency and watches.'),
        selfLink: str('Deprecated; not set.'),
        uid: str('Unique identifier in time and space.'),
      },
    },
    [`${META}.ListMeta`]: {
      type: 'object',
      description: 'Metadata of a list.',
      properties: {
        continue: str('Token for the next page of a chunked list.'),
        remainingItemCount: int('Items left after this page, when known.'),
        resourceVersion: str('Version of the list; watch from here.'),
        selfLink: str('Deprecated; not set.'),
      },
    },
    [`${META}.StatusCause`]: {
      type: 'object',
      description: 'One reason an operation failed.',
      properties: {field: str('Field path of the cause.'), message: str('What went wrong.'), reason: str('Machine-readable cause.')},
    },
    [`${META}.StatusDetails`]: {
      type: 'object',
      description: 'More about a failed operation.',
      properties: {
        causes: {type: 'array', items: {allOf: [ref(`${META}.StatusCause`)], default: {}}, 'x-kubernetes-list-type': 'atomic'},
        group: str('Group of the resource.'),
        kind: str('Kind (or resource) of the object.'),
        name: str('Name of the object.'),
        retryAfterSeconds: {type: 'integer', format: 'int32', description: 'Seconds to wait before retrying.'},
        uid: str('UID of the object.'),
      },
    },
    [`${META}.Status`]: {
      type: 'object',
      description: 'The result of an operation that returns no object, and of every error.',
      properties: {
        apiVersion: str('v1'),
        code: {type: 'integer', format: 'int32', description: 'HTTP status code.'},
        details: {allOf: [ref(`${META}.StatusDetails`)], description: 'Details of the failure.'},
        kind: str('Status'),
        message: str('What happened, for humans.'),
        metadata: {allOf: [ref(`${META}.ListMeta`)], default: {}},
        reason: str('Machine-readable reason.'),
        status: str('Success or Failure.'),
      },
      'x-kubernetes-group-version-kind': [{group: '', kind: 'Status', version: 'v1'}],
    },
    [`${META}.Preconditions`]: {
      type: 'object',
      description: 'Conditions that must hold before a delete.',
      properties: {resourceVersion: str('Expected resourceVersion.'), uid: str('Expected UID.')},
    },
    [`${META}.DeleteOptions`]: {
      type: 'object',
      description: 'Options of a delete.',
      properties: {
        apiVersion: str('API version.'),
        dryRun: {type: 'array', items: {type: 'string', default: ''}},
        gracePeriodSeconds: int('Grace period.'),
        kind: str('Kind.'),
        orphanDependents: {type: 'boolean', description: 'Deprecated; use propagationPolicy.'},
        preconditions: {allOf: [ref(`${META}.Preconditions`)]},
        propagationPolicy: str('Orphan, Background or Foreground.'),
      },
    },
    [`${META}.Patch`]: {type: 'object', description: 'A patch body; its format depends on the content type.'},
  }
}

// ------------------------------------------------------------------------------------ kind schemas

/** The published schema of a kind: its structural schema with metadata referencing ObjectMeta. */
export function publishedSchema(info: KindInfo): Record<string, unknown> {
  const s: Schema = wireSchema(schemaFor(info))
  const properties: Record<string, unknown> = {...(s.properties ?? {})}
  properties.metadata = {allOf: [ref(`${META}.ObjectMeta`)], default: {}, description: "Standard object's metadata."}
  return {...s, properties, 'x-kubernetes-group-version-kind': [{group: info.group, kind: info.kind, version: info.version}]}
}

function listSchema(info: KindInfo): Record<string, unknown> {
  return {
    type: 'object',
    description: `A list of ${info.kind}.`,
    required: ['items'],
    properties: {
      apiVersion: str('The versioned schema of this representation of an object.'),
      items: {type: 'array', items: ref(schemaName(info, info.kind)), description: `The ${info.plural}.`},
      kind: str('The REST resource this object represents.'),
      metadata: {allOf: [ref(`${META}.ListMeta`)], default: {}, description: 'Standard list metadata.'},
    },
    'x-kubernetes-group-version-kind': [{group: info.group, kind: info.listKind, version: info.version}],
  }
}

// ------------------------------------------------------------------------------------ paths

const q = (name: string, description: string, type = 'string') => ({name, in: 'query', description, schema: {type, uniqueItems: true}})
const P = {
  pretty: q('pretty', "If 'true', the output is pretty printed."),
  dryRun: q('dryRun', 'When present, changes are not persisted. The only valid value is All.'),
  fieldManager: q('fieldManager', 'Name of the actor making the change.'),
  fieldValidation: q('fieldValidation', 'How the server treats unknown or duplicate fields: Ignore, Warn or Strict.'),
  force: q('force', 'Force an apply request, taking over conflicting fields.', 'boolean'),
  labelSelector: q('labelSelector', 'Restrict the list by label.'),
  fieldSelector: q('fieldSelector', 'Restrict the list by field.'),
  limit: q('limit', 'Maximum number of items to return.', 'integer'),
  continue: q('continue', 'Token of the next page.'),
  resourceVersion: q('resourceVersion', 'Version to read from or watch after.'),
  watch: q('watch', 'Watch for changes instead of listing.', 'boolean'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'Send BOOKMARK events.', 'boolean'),
  timeoutSeconds: q('timeoutSeconds', 'Timeout of a list or watch call.', 'integer'),
  propagationPolicy: q('propagationPolicy', 'Orphan, Background or Foreground garbage collection.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'Grace period of the deletion.', 'integer'),
  name: (what: string) => ({name: 'name', in: 'path', description: `name of the ${what}`, required: true, schema: {type: 'string', uniqueItems: true}}),
  namespace: {name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: {type: 'string', uniqueItems: true}},
}

const JSON_TYPES = ['application/json', 'application/yaml']
const content = (schema: unknown, types = JSON_TYPES) => Object.fromEntries(types.map((t) => [t, {schema}]))
const ok = (schema: unknown, code = '200') => ({[code]: {description: 'OK', content: content(schema)}, '401': {description: 'Unauthorized'}})

function opId(verb: string, info: KindInfo, suffix = ''): string {
  const g = info.group === '' ? 'Core' : info.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase())
  const v = info.version.replace(/^./, (c) => c.toUpperCase())
  return `${verb}${g}${v}${info.namespaced ? 'Namespaced' : ''}${info.kind}${suffix}`
}

function patchOperation(info: KindInfo, schema: unknown, action: string, id: string): Record<string, unknown> {
  const types = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
  // Strategic merge is advertised only where the schema is detailed enough to compute one. For the
  // permissive built-in schemas, kubectl then falls back to its compiled-in types, which is correct.
  if (!info.custom && hasFullSchema(info)) types.splice(2, 0, 'application/strategic-merge-patch+json')
  return {
    description: `partially update the specified ${info.kind}`,
    operationId: id,
    tags: [tag(info)],
    parameters: [P.dryRun, P.fieldManager, P.fieldValidation, P.force],
    requestBody: {content: Object.fromEntries(types.map((t) => [t, {schema: ref(`${META}.Patch`)}])), required: true},
    responses: {...ok(schema), ...{'201': {description: 'Created', content: content(schema)}}},
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(info),
  }
}

const gvk = (info: KindInfo) => ({group: info.group, version: info.version, kind: info.kind})
const tag = (info: KindInfo) => (info.group === '' ? `core_${info.version}` : `${info.group.split('.')[0]}_${info.version}`)

function kindPaths(info: KindInfo): Record<string, unknown> {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`
  const scope = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}` : `${base}/${info.plural}`
  const item = ref(schemaName(info, info.kind))
  const list = ref(schemaName(info, info.listKind))
  const status = ref(`${META}.Status`)
  const listParams = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.timeoutSeconds, P.watch]
  const common = (extra: unknown[]) => ({parameters: [...extra, P.pretty]})
  const t = [tag(info)]
  const paths: Record<string, unknown> = {}
  paths[scope] = {
    get: {description: `list or watch objects of kind ${info.kind}`, operationId: opId('list', info), tags: t, parameters: listParams, responses: ok(list), 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk(info)},
    post: {
      description: `create a ${info.kind}`,
      operationId: opId('create', info),
      tags: t,
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: {content: {'*/*': {schema: item}}, required: true},
      responses: {...ok(item), '201': {description: 'Created', content: content(item)}, '202': {description: 'Accepted', content: content(item)}},
      'x-kubernetes-action': 'post',
      'x-kubernetes-group-version-kind': gvk(info),
    },
    delete: {
      description: `delete collection of ${info.kind}`,
      operationId: opId('deleteCollection', info),
      tags: t,
      parameters: [...listParams, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      responses: ok(status),
      'x-kubernetes-action': 'deletecollection',
      'x-kubernetes-group-version-kind': gvk(info),
    },
    ...common(info.namespaced ? [P.namespace] : []),
  }
  paths[`${scope}/{name}`] = {
    get: {description: `read the specified ${info.kind}`, operationId: opId('read', info), tags: t, responses: ok(item), 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk(info)},
    put: {
      description: `replace the specified ${info.kind}`,
      operationId: opId('replace', info),
      tags: t,
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: {content: {'*/*': {schema: item}}, required: true},
      responses: {...ok(item), '201': {description: 'Created', content: content(item)}},
      'x-kubernetes-action': 'put',
      'x-kubernetes-group-version-kind': gvk(info),
    },
    patch: patchOperation(info, item, 'patch', opId('patch', info)),
    delete: {
      description: `delete a ${info.kind}`,
      operationId: opId('delete', info),
      tags: t,
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      requestBody: {content: {'*/*': {schema: ref(`${META}.DeleteOptions`)}}},
      responses: {...ok(status), '202': {description: 'Accepted', content: content(status)}},
      'x-kubernetes-action': 'delete',
      'x-kubernetes-group-version-kind': gvk(info),
    },
    ...common([P.name(info.kind), ...(info.namespaced ? [P.namespace] : [])]),
  }
  if (info.subresources.status) {
    paths[`${scope}/{name}/status`] = {
      get: {description: `read status of the specified ${info.kind}`, operationId: opId('read', info, 'Status'), tags: t, responses: ok(item), 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk(info)},
      put: {
        description: `replace status of the specified ${info.kind}`,
        operationId: opId('replace', info, 'Status'),
        tags: t,
        parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
        requestBody: {content: {'*/*': {schema: item}}, required: true},
        responses: ok(item),
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk(info),
      },
      patch: patchOperation(info, item, 'patch', opId('patch', info, 'Status')),
      ...common([P.name(info.kind), ...(info.namespaced ? [P.namespace] : [])]),
    }
  }
  if (info.subresources.scale) {
    const scale = ref('io.k8s.api.autoscaling.v1.Scale')
    paths[`${scope}/{name}/scale`] = {
      get: {description: `read scale of the specified ${info.kind}`, operationId: opId('read', info, 'Scale'), tags: t, responses: ok(scale), 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': {group: 'autoscaling', version: 'v1', kind: 'Scale'}},
      patch: {...patchOperation(info, scale, 'patch', opId('patch', info, 'Scale')), 'x-kubernetes-group-version-kind': {group: 'autoscaling', version: 'v1', kind: 'Scale'}},
      ...common([P.name('Scale'), ...(info.namespaced ? [P.namespace] : [])]),
    }
  }
  if (info.namespaced) {
    paths[`${base}/${info.plural}`] = {
      get: {description: `list or watch objects of kind ${info.kind} in all namespaces`, operationId: opId('list', {...info, namespaced: false}, 'ForAllNamespaces'), tags: t, parameters: listParams, responses: ok(list), 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk(info)},
      ...common([]),
    }
  }
  return paths
}

const scaleSchema = {
  type: 'object',
  description: 'A scaling request for a resource.',
  properties: {
    apiVersion: {type: 'string'},
    kind: {type: 'string'},
    metadata: {allOf: [ref(`${META}.ObjectMeta`)], default: {}},
    spec: {type: 'object', properties: {replicas: {type: 'integer', format: 'int32'}}},
    status: {type: 'object', properties: {replicas: {type: 'integer', format: 'int32'}, selector: {type: 'string'}}},
  },
  'x-kubernetes-group-version-kind': [{group: 'autoscaling', kind: 'Scale', version: 'v1'}],
}

// ------------------------------------------------------------------------------------ documents

/** `api/v1` or `apis/<group>/<version>`: the key of a group-version in the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`
}

const cache = new Map<string, {doc: object; hash: string}>()

function build(group: string, version: string, kinds: KindInfo[]): {doc: object; hash: string} {
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = metaSchemas()
  let needsScale = false
  for (const info of kinds) {
    Object.assign(paths, kindPaths(info))
    schemas[schemaName(info, info.kind)] = publishedSchema(info)
    schemas[schemaName(info, info.listKind)] = listSchema(info)
    if (info.subresources.scale) needsScale = true
  }
  if (needsScale) schemas['io.k8s.api.autoscaling.v1.Scale'] = scaleSchema
  const doc = {
    openapi: '3.0.0',
    info: {title: 'Kubernetes', version: KUBERNETES_VERSION},
    paths,
    components: {
      schemas,
      securitySchemes: {BearerToken: {type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header'}},
    },
    security: [{BearerToken: []}],
  }
  const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase().slice(0, 128)
  return {doc, hash}
}

function entry(group: string, version: string): {doc: object; hash: string} | undefined {
  const key = `${group}/${version}`
  let e = cache.get(key)
  if (!e) {
    const kinds = ALL_KINDS.filter((k) => k.group === group && k.version === version)
    if (kinds.length === 0) return undefined
    e = build(group, version, kinds)
    cache.set(key, e)
  }
  return e
}

/** The document of one group-version (GET /openapi/v3/api/v1, /openapi/v3/apis/<g>/<v>), or undefined. */
export function openApiV3Document(group: string, version: string): object | undefined {
  return entry(group, version)?.doc
}

/** The index served at GET /openapi/v3. Every served group-version is listed, with a content hash. */
export function openApiV3Root(): {paths: Record<string, {serverRelativeURL: string}>} {
  const paths: Record<string, {serverRelativeURL: string}> = {}
  const seen = new Set<string>()
  for (const info of ALL_KINDS) {
    const key = apiVersionOf(info)
    if (seen.has(key)) continue
    seen.add(key)
    const e = entry(info.group, info.version)
    if (!e) continue
    const path = groupVersionPath(info.group, info.version)
    paths[path] = {serverRelativeURL: `/openapi/v3/${path}?hash=${e.hash}`}
  }
  return {paths}
}

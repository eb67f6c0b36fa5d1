/**
 * OpenAPI v3 as kubectl needs it: `/openapi/v3` (an index of group-versions with a content hash)
 * and one document per group-version whose item paths carry a `patch` operation with the
 * x-kubernetes-group-version-kind extension and the `fieldValidation` parameter (kubectl then
 * leaves validation to the server). Schemas come from a provider (src/api/openapi.ts); this
 * file only adds what is missing from a provider's document, or builds a permissive one.
 */
import {createHash} from 'node:crypto'
import {apiVersionOf, type KindInfo, type KindRegistry} from '../../src/api/registry.js'

export interface OpenApiProvider {
  /** A full OpenAPI 3 document for a group-version, or undefined to use the built-in permissive one. */
  document?(group: string, version: string): Record<string, unknown> | undefined
}

type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const PATCH_TYPES_CR = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']
const PATCH_TYPES_BUILTIN = [...PATCH_TYPES_CR, 'application/strategic-merge-patch+json']

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`
}

/** `io.k8s.api.core.v1.Pod`, `ai.amd.eai.aim.v1alpha1.AIMService`: the reversed-group naming kube uses. */
export function schemaName(info: Pick<KindInfo, 'group' | 'version' | 'kind' | 'custom'>): string {
  if (!info.custom) {
    const pkg = info.group === '' ? 'core' : info.group.replace(/\.k8s\.io$/, '').replace(/\..*$/, '')
    return `io.k8s.api.${pkg}.${info.version}.${info.kind}`
  }
  return `${info.group.split('.').reverse().join('.')}.${info.version}.${info.kind}`
}

function param(name: string, description: string): Doc {
  return {name, in: 'query', description, schema: {type: name === 'force' ? 'boolean' : 'string', uniqueItems: true}}
}

/**
 * Strategic merge patch is advertised only for built-ins with a real schema: kubectl computes
 * SMP from the OpenAPI v3 schema when advertised, and falls back to its compiled-in types otherwise.
 */
function operations(info: KindInfo, ref: string, realSchema: boolean): Doc {
  const gvk = {group: info.group, version: info.version, kind: info.kind}
  const types = info.custom || !realSchema ? PATCH_TYPES_CR : PATCH_TYPES_BUILTIN
  const content = Object.fromEntries(types.map((t) => [t, {schema: {type: 'object'}}]))
  const ok = {description: 'OK', content: {'application/json': {schema: {$ref: ref}}}}
  return {
    get: {operationId: `read${info.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {'200': ok}},
    put: {
      operationId: `replace${info.kind}`,
      'x-kubernetes-action': 'put',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [param('dryRun', 'dry run'), param('fieldManager', 'field manager'), param('fieldValidation', 'field validation')],
      requestBody: {content: {'application/json': {schema: {$ref: ref}}}, required: true},
      responses: {'200': ok},
    },
    patch: {
      operationId: `patch${info.kind}`,
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': gvk,
      parameters: [param('dryRun', 'dry run'), param('fieldManager', 'field manager'), param('fieldValidation', 'field validation'), param('force', 'force')],
      requestBody: {content, required: true},
      responses: {'200': ok},
    },
    delete: {operationId: `delete${info.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: {'200': ok}},
  }
}

function permissiveSchema(info: KindInfo): Doc {
  return {
    type: 'object',
    description: `${info.kind} (${apiVersionOf(info)}).`,
    properties: {
      apiVersion: {type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.'},
      kind: {type: 'string', description: 'Kind is a string value representing the REST resource this object represents.'},
      metadata: {type: 'object', description: "Standard object's metadata.", 'x-kubernetes-preserve-unknown-fields': true},
      spec: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
      status: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
    },
    'x-kubernetes-group-version-kind': [{group: info.group, version: info.version, kind: info.kind}],
  }
}

function hasGvk(schema: Doc, info: KindInfo): boolean {
  const list = schema['x-kubernetes-group-version-kind']
  return Array.isArray(list) && list.some((g: Doc) => g.group === info.group && g.version === info.version && g.kind === info.kind)
}

export class OpenApi {
  private readonly docs = new Map<string, {text: string; hash: string}>()
  private indexText: string | undefined

  /** Forget built documents (the registry grew). */
  reset(): void {
    this.docs.clear()
    this.indexText = undefined
  }

  constructor(
    private readonly registry: KindRegistry,
    private readonly provider: OpenApiProvider = {},
  ) {}

  private kindsOf(group: string, version: string): KindInfo[] {
    return this.registry.kinds.filter((k) => k.group === group && k.version === version)
  }

  private build(group: string, version: string): Doc | undefined {
    const kinds = this.kindsOf(group, version)
    if (kinds.length === 0) return undefined
    let provided: Doc | undefined
    try {
      provided = this.provider.document?.(group, version)
    } catch {
      provided = undefined
    }
    const doc: Doc = provided ? JSON.parse(JSON.stringify(provided)) : {}
    doc.openapi ??= '3.0.0'
    doc.info ??= {title: 'Kubernetes', version: 'v1.32.4'}
    doc.paths ??= {}
    doc.components ??= {}
    doc.components.schemas ??= {}
    const schemas = doc.components.schemas as Doc
    for (const info of kinds) {
      let name = Object.keys(schemas).find((n) => hasGvk(schemas[n] as Doc, info))
      const realSchema = name !== undefined
      if (!name) {
        name = schemaName(info)
        schemas[name] = permissiveSchema(info)
      }
      const ref = `#/components/schemas/${name}`
      const base = info.group === '' ? `/api/${version}` : `/apis/${group}/${version}`
      const item = info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}/{name}` : `${base}/${info.plural}/{name}`
      const ops = operations(info, ref, realSchema)
      doc.paths[item] = {...ops, ...(doc.paths[item] ?? {})}
      const patch = (doc.paths[item] as Doc).patch as Doc
      if (!patch['x-kubernetes-group-version-kind']) patch['x-kubernetes-group-version-kind'] = ops.patch['x-kubernetes-group-version-kind']
      const params = (patch.parameters ?? []) as Doc[]
      if (!params.some((p) => p.name === 'fieldValidation')) patch.parameters = [...params, param('fieldValidation', 'field validation')]
      if (info.subresources.status) doc.paths[`${item}/status`] ??= {...operations(info, ref, realSchema)}
    }
    return doc
  }

  document(group: string, version: string): {text: string; hash: string} | undefined {
    const key = `${group}/${version}`
    let cached = this.docs.get(key)
    if (!cached) {
      const doc = this.build(group, version)
      if (!doc) return undefined
      const text = JSON.stringify(doc)
      cached = {text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase()}
      this.docs.set(key, cached)
    }
    return cached
  }

  index(): string {
    if (!this.indexText) {
      const paths: Record<string, {serverRelativeURL: string}> = {}
      const seen = new Set<string>()
      for (const k of this.registry.kinds) {
        const key = `${k.group}/${k.version}`
        if (seen.has(key)) continue
        seen.add(key)
        const doc = this.document(k.group, k.version)
        if (doc) paths[gvPath(k.group, k.version)] = {serverRelativeURL: `/openapi/v3/${gvPath(k.group, k.version)}?hash=${doc.hash}`}
      }
      this.indexText = JSON.stringify({paths})
    }
    return this.indexText
  }
}

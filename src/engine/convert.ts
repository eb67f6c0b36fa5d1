/**
 * Legacy aim.silogen.ai/v1alpha1 manifests → aim.eai.amd.com/v1alpha1 (reference §13.3). Pure: takes
 * parsed documents, returns converted documents plus one note per field or kind that has no
 * equivalent or whose meaning changed. Documents of other groups pass through unchanged.
 */
import {AIM_GROUP, AIM_LEGACY_GROUP, AIM_VERSION} from '../api/registry.js'
import type {KubeObject, ObjectMeta} from '../api/object.js'
import {makeRfc1123Compliant} from './naming.js'

export interface ConversionResult {
  objects: KubeObject[]
  /** One line per field or kind without an equivalent, or with a changed meaning. */
  notes: string[]
}

const NEW_API = `${AIM_GROUP}/${AIM_VERSION}`

type Spec = Record<string, unknown>

export function isLegacy(doc: KubeObject): boolean {
  return typeof doc.apiVersion === 'string' && doc.apiVersion.split('/')[0] === AIM_LEGACY_GROUP
}

function label(doc: KubeObject): string {
  const m = doc.metadata ?? {}
  return `${doc.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name ?? '(unnamed)'}`
}

function cleanMeta(meta: ObjectMeta | undefined): ObjectMeta {
  const out: ObjectMeta = {}
  for (const k of ['name', 'generateName', 'namespace', 'labels', 'annotations'] as const) {
    const v = meta?.[k]
    if (v !== undefined) (out as Record<string, unknown>)[k] = v
  }
  return out
}

function obj(v: unknown): Spec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Spec) : {}
}

/** gpuSelector{count, model} → hardware.gpu{requests, model}. */
function gpuSelectorToHardware(sel: unknown): Spec | undefined {
  const s = obj(sel)
  const gpu: Spec = {}
  if (s.count !== undefined) gpu.requests = s.count
  if (s.model !== undefined) gpu.model = s.model
  return Object.keys(gpu).length ? {gpu} : undefined
}

class Converter {
  readonly notes: string[] = []
  /** modelId → AIMImage/AIMClusterImage name, from the same input. */
  private readonly imageNames = new Map<string, string>()

  constructor(docs: readonly KubeObject[]) {
    for (const d of docs) {
      if (isLegacy(d) && (d.kind === 'AIMImage' || d.kind === 'AIMClusterImage')) {
        const id = obj(d.spec).modelId
        if (typeof id === 'string' && d.metadata?.name) this.imageNames.set(id, d.metadata.name)
      }
    }
  }

  note(doc: KubeObject, text: string): void {
    this.notes.push(`${label(doc)}: ${text}`)
  }

  /** A legacy model id → the name of the model that replaces its AIMImage. */
  modelName(doc: KubeObject, field: string, id: string): string {
    const known = this.imageNames.get(id)
    if (known) return known
    const name = makeRfc1123Compliant(id)
    this.note(doc, `${field} "${id}" refers to a model id; converted to model name "${name}" — make sure an AIMModel or AIMClusterModel with that name exists`)
    return name
  }

  /** Copy listed fields, note and drop the others. */
  rest(doc: KubeObject, from: Spec, into: Spec, keep: readonly string[], handled: readonly string[]): void {
    for (const [k, v] of Object.entries(from)) {
      if (handled.includes(k)) continue
      if (keep.includes(k)) into[k] = v
      else this.note(doc, `spec.${k} has no equivalent in ${NEW_API}; dropped`)
    }
  }

  make(doc: KubeObject, kind: string, spec: Spec): KubeObject {
    const out: KubeObject = {apiVersion: NEW_API, kind, metadata: cleanMeta(doc.metadata)}
    if (Object.keys(spec).length || doc.spec !== undefined) out.spec = spec
    return out
  }

  service(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    const model: Spec = {...obj(s.model)}
    if (model.ref !== undefined) {
      model.name = model.ref
      delete model.ref
    }
    for (const f of ['aimModelId', 'modelId'] as const) {
      if (typeof s[f] === 'string' && model.name === undefined && model.image === undefined) model.name = this.modelName(doc, `spec.${f}`, s[f])
    }
    if (Object.keys(model).length) out.model = model
    const template: Spec = {...obj(s.template)}
    if (typeof s.templateRef === 'string') template.name = s.templateRef
    if (Object.keys(template).length) out.template = template
    if (s.cacheModel !== undefined) {
      out.caching = {mode: 'Shared'}
      if (s.cacheModel !== true) this.note(doc, 'spec.cacheModel: false has no equivalent; caching is always on in the new API (caching.mode Shared; use Dedicated for service-owned caches)')
    }
    if (s.caching !== undefined) out.caching = s.caching
    if (typeof s.configRef === 'string') out.runtimeConfigName = s.configRef
    if (s.overrides !== undefined) {
      const o = {...obj(s.overrides)}
      if (o.gpuSelector !== undefined) {
        const hw = gpuSelectorToHardware(o.gpuSelector)
        delete o.gpuSelector
        if (hw) o.hardware = hw
      }
      out.overrides = o
    }
    if (s.kvCache !== undefined) this.note(doc, 'spec.kvCache has no equivalent (AIMKVCache was removed in aim.eai.amd.com); dropped')
    this.rest(
      doc,
      s,
      out,
      ['runtimeConfigName', 'replicas', 'minReplicas', 'maxReplicas', 'autoScaling', 'resources', 'routing', 'env', 'imagePullSecrets', 'serviceAccountName', 'storage'],
      ['model', 'aimModelId', 'modelId', 'template', 'templateRef', 'cacheModel', 'caching', 'configRef', 'overrides', 'kvCache'],
    )
    return this.make(doc, 'AIMService', out)
  }

  template(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    if (typeof s.modelName === 'string') out.modelName = s.modelName
    else if (typeof s.modelId === 'string') out.modelName = this.modelName(doc, 'spec.modelId', s.modelId)
    if (s.gpuSelector !== undefined) {
      const hw = gpuSelectorToHardware(s.gpuSelector)
      if (hw) out.hardware = hw
    }
    if (s.caching !== undefined) {
      if (doc.kind === 'AIMServiceTemplate') out.caching = s.caching
      else this.note(doc, 'spec.caching is not supported on cluster-scoped templates; dropped')
    }
    this.rest(
      doc,
      s,
      out,
      ['metric', 'precision', 'hardware', 'env', 'imagePullSecrets', 'serviceAccountName', 'resources', 'runtimeConfigName', 'modelSources', 'profileId', 'type'],
      ['modelName', 'modelId', 'gpuSelector', 'caching'],
    )
    return this.make(doc, doc.kind, out)
  }

  image(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    const cluster = doc.kind === 'AIMClusterImage' || !doc.metadata?.namespace
    if (doc.kind === 'AIMImage' && cluster) this.note(doc, 'AIMImage without a namespace was a cluster catalog entry; converted to AIMClusterModel')
    if (s.modelId !== undefined) this.note(doc, `spec.modelId "${String(s.modelId)}" has no equivalent; the model's identity now comes from the image's labels`)
    if (s.defaultServiceTemplate !== undefined) {
      this.note(doc, `spec.defaultServiceTemplate has no effect in ${NEW_API} (templates are auto-selected); set spec.template.name on services instead; dropped`)
    }
    this.rest(doc, s, out, ['image', 'imagePullSecrets', 'serviceAccountName', 'runtimeConfigName', 'env', 'resources', 'discovery', 'imageMetadata'], [
      'modelId',
      'defaultServiceTemplate',
    ])
    return this.make(doc, cluster ? 'AIMClusterModel' : 'AIMModel', out)
  }

  model(doc: KubeObject): KubeObject {
    const s = {...obj(doc.spec)}
    if (s.defaultServiceTemplate !== undefined) {
      this.note(doc, `spec.defaultServiceTemplate has no effect in ${NEW_API} (templates are auto-selected); dropped`)
      delete s.defaultServiceTemplate
    }
    return this.make(doc, doc.kind, s)
  }

  clusterConfig(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    const r = obj(s.routing)
    const routing: Spec = {}
    if (r.gateway !== undefined) routing.gatewayRef = r.gateway
    if (r.gatewayRef !== undefined) routing.gatewayRef = r.gatewayRef
    if (r.autoCreateRoute !== undefined) routing.enabled = r.autoCreateRoute
    else if (r.gateway !== undefined) routing.enabled = true
    for (const k of ['pathTemplate', 'requestTimeout', 'annotations', 'enabled']) if (r[k] !== undefined) routing[k] = r[k]
    if (Object.keys(routing).length) out.routing = routing
    if (s.routing !== undefined && r.gateway !== undefined && r.pathTemplate === undefined) {
      this.note(doc, 'the default route path is now /<namespace>/<service> (was /<namespace>/<workload id>/); set routing.pathTemplate to change it')
    }
    if (typeof s.cacheStorageClassName === 'string') out.storage = {defaultStorageClassName: s.cacheStorageClassName}
    if (s.imagePullSecrets !== undefined) this.note(doc, 'spec.imagePullSecrets has no equivalent on runtime configs; set imagePullSecrets on services or models instead; dropped')
    this.rest(doc, s, out, ['env', 'labelPropagation', 'storage'], ['routing', 'cacheStorageClassName', 'imagePullSecrets'])
    return this.make(doc, 'AIMClusterRuntimeConfig', out)
  }

  runtimeConfig(doc: KubeObject): KubeObject {
    const s = {...obj(doc.spec)}
    const storage = {...obj(s.storage)}
    if (s.defaultStorageClassName !== undefined) {
      storage.defaultStorageClassName ??= s.defaultStorageClassName
      delete s.defaultStorageClassName
    }
    if (s.pvcHeadroomPercent !== undefined) {
      storage.pvcHeadroomPercent ??= s.pvcHeadroomPercent
      delete s.pvcHeadroomPercent
    }
    if (Object.keys(storage).length) s.storage = storage
    return this.make(doc, doc.kind, s)
  }

  templateCache(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    const name = s.templateName ?? s.templateRef
    if (name !== undefined) out.templateName = name
    out.templateScope = s.templateScope ?? 'Unknown'
    this.rest(doc, s, out, ['env', 'imagePullSecrets', 'storageClassName', 'runtimeConfigName', 'mode'], ['templateName', 'templateRef', 'templateScope'])
    return this.make(doc, 'AIMTemplateCache', out)
  }

  modelCache(doc: KubeObject): KubeObject {
    const s = obj(doc.spec)
    const out: Spec = {}
    this.note(doc, `converted to AIMArtifact: its status is Ready (was Available), and a size of 0 means "discover the size"`)
    if (s.downloadImage !== undefined) out.modelDownloadImage = s.downloadImage
    this.rest(doc, s, out, ['sourceUri', 'storageClassName', 'size', 'env', 'imagePullSecrets', 'modelId', 'runtimeConfigName', 'modelDownloadImage'], ['downloadImage'])
    return this.make(doc, 'AIMArtifact', out)
  }

  convert(doc: KubeObject): KubeObject | undefined {
    if (!isLegacy(doc)) return doc
    switch (doc.kind) {
      case 'AIMService':
        return this.service(doc)
      case 'AIMServiceTemplate':
      case 'AIMClusterServiceTemplate':
        return this.template(doc)
      case 'AIMImage':
      case 'AIMClusterImage':
        return this.image(doc)
      case 'AIMModel':
      case 'AIMClusterModel':
        return this.model(doc)
      case 'AIMClusterConfig':
        return this.clusterConfig(doc)
      case 'AIMRuntimeConfig':
      case 'AIMClusterRuntimeConfig':
        return this.runtimeConfig(doc)
      case 'AIMTemplateCache':
        return this.templateCache(doc)
      case 'ModelCache':
      case 'AIMModelCache':
        return this.modelCache(doc)
      case 'AIMKVCache':
        this.note(doc, `AIMKVCache has no equivalent in ${NEW_API}; dropped`)
        return undefined
      default:
        this.note(doc, `kind ${doc.kind} is not known in ${NEW_API}; dropped`)
        return undefined
    }
  }
}

/** Convert every aim.silogen.ai document (also inside `kind: List`); others pass through. */
export function convertLegacy(docs: readonly KubeObject[]): ConversionResult {
  const flat: KubeObject[] = []
  for (const d of docs) {
    if (d && d.kind === 'List' && Array.isArray(d.items)) flat.push(...(d.items as KubeObject[]))
    else if (d) flat.push(d)
  }
  const c = new Converter(flat)
  const objects: KubeObject[] = []
  for (const d of flat) {
    const out = c.convert(d)
    if (out) objects.push(out)
  }
  return {objects, notes: c.notes}
}

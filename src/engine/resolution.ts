/**
 * Model resolution (seed 002 "Model Resolution", reference §4) and explicit template resolution
 * (reference §5.3) for an AIMService, with the ModelReady / TemplateReady conditions they imply.
 */
import {AIM_GROUP, AIM_VERSION} from '../api/registry.js'
import type {KubeObject} from '../api/object.js'
import {NamingError, customModelName, derivedTemplateName, modelNameFromImage} from './naming.js'
import {type ServiceOverrides, serviceOverrides} from './selection.js'
import type {ConditionDecision, EnvVar, Health, ModelSource, ResolvedReference, Scope} from './types.js'

export const ORIGIN_LABEL = 'aim.eai.amd.com/origin'
export const CUSTOM_MODEL_LABEL = 'aim.eai.amd.com/custom-model'
export const SERVICE_LABEL = 'aim.eai.amd.com/service'

interface ServiceModelSpec {
  model?: {
    name?: string
    image?: string
    custom?: {baseImage?: string; modelSources?: ModelSource[]; hardware?: unknown}
  }
  runtimeConfigName?: string
  imagePullSecrets?: Array<{name: string}>
  serviceAccountName?: string
  env?: EnvVar[]
}

export interface ModelResolutionInput {
  service: KubeObject
  /** AIMModels (other namespaces are ignored). */
  namespacedModels: readonly KubeObject[]
  clusterModels: readonly KubeObject[]
}

export type ModelResolution =
  | {outcome: 'resolved'; model: KubeObject; scope: Scope; ref: ResolvedReference; health: Health; condition: ConditionDecision}
  | {outcome: 'create'; create: KubeObject; health: Health; condition: ConditionDecision}
  | {outcome: 'error'; reason: string; message: string; health: Health; condition: ConditionDecision}

function cond(h: Health): ConditionDecision {
  return {type: 'ModelReady', status: h.state === 'Ready' ? 'True' : 'False', reason: h.reason, message: h.message}
}

export function modelKind(scope: Scope): 'AIMModel' | 'AIMClusterModel' {
  return scope === 'Namespace' ? 'AIMModel' : 'AIMClusterModel'
}

/** `{name, namespace?, scope, kind: aim.eai.amd.com/v1alpha1/AIMModel, uid}` */
export function resolvedReference(obj: KubeObject, scope: Scope, kind: string): ResolvedReference {
  const ref: ResolvedReference = {name: obj.metadata.name ?? '', scope, kind: `${AIM_GROUP}/${AIM_VERSION}/${kind}`}
  if (scope === 'Namespace' && obj.metadata.namespace) ref.namespace = obj.metadata.namespace
  if (obj.metadata.uid) ref.uid = obj.metadata.uid
  return ref
}

/** ModelReady table (reference §4) for a found model. */
export function modelHealth(model: KubeObject, scope: Scope): Health {
  const kind = modelKind(scope)
  const name = model.metadata.name ?? ''
  const st = ((model.status ?? {}) as {status?: string}).status ?? 'Pending'
  switch (st) {
    case 'Ready':
      return {state: 'Ready', reason: 'ModelResolved', message: `${kind} ${name} is ready`}
    case 'Pending':
    case 'Progressing':
      return {state: 'Progressing', reason: 'ModelNotReady', message: `${kind} ${name} is not ready yet`}
    case 'Failed':
    case 'Degraded':
      return {state: 'Failed', reason: 'ModelNotReady', message: `${kind} ${name} is in failed state`}
    default:
      return {state: 'Progressing', reason: 'ModelNotReady', message: `${kind} ${name} status: ${st}`}
  }
}

function found(model: KubeObject, scope: Scope): ModelResolution {
  const health = modelHealth(model, scope)
  return {outcome: 'resolved', model, scope, ref: resolvedReference(model, scope, modelKind(scope)), health, condition: cond(health)}
}

function error(reason: string, message: string, category: Health['error'], state: Health['state'] = 'Failed'): ModelResolution {
  const health: Health = {state, reason, message, error: category}
  return {outcome: 'error', reason, message, health, condition: cond(health)}
}

function sameSources(a: readonly ModelSource[] | undefined, b: readonly ModelSource[] | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false
  const aws = (s: ModelSource) => s.env?.find((e) => e.name === 'AWS_ENDPOINT_URL')?.value ?? ''
  return a.every((s, i) => {
    const t = b[i]!
    return s.modelId === t.modelId && s.sourceUri === t.sourceUri && aws(s) === aws(t)
  })
}

/**
 * Resolve the model of a service: a sticky `status.resolvedModel` that is still Ready; else
 * `model.name` (namespace, then cluster); `model.image` (exact match in both scopes; none → an
 * AIMModel to create; several → error); `model.custom` (matching namespaced custom model, else one
 * to create).
 */
export function resolveModel(input: ModelResolutionInput): ModelResolution {
  const svc = input.service
  const ns = svc.metadata.namespace ?? 'default'
  const spec = (svc.spec ?? {}) as ServiceModelSpec
  const nsModels = input.namespacedModels.filter((m) => m.metadata.namespace === ns)
  const ready = (m: KubeObject) => ((m.status ?? {}) as {status?: string}).status === 'Ready'

  const sticky = ((svc.status ?? {}) as {resolvedModel?: ResolvedReference}).resolvedModel
  if (sticky?.name) {
    const pool = sticky.scope === 'Cluster' ? input.clusterModels : nsModels
    const m = pool.find((x) => x.metadata.name === sticky.name)
    if (m && ready(m)) return found(m, sticky.scope === 'Cluster' ? 'Cluster' : 'Namespace')
  }

  const model = spec.model ?? {}
  if (model.name) {
    const n = nsModels.find((m) => m.metadata.name === model.name)
    if (n) return found(n, 'Namespace')
    const c = input.clusterModels.find((m) => m.metadata.name === model.name)
    if (c) return found(c, 'Cluster')
    return error('ModelNotFound', `model "${model.name}" not found in namespace ${ns} or cluster scope`, 'MissingUpstreamDependency')
  }

  if (model.image) {
    const image = model.image
    const nsMatch = nsModels.filter((m) => (m.spec as {image?: string} | undefined)?.image === image)
    const clMatch = input.clusterModels.filter((m) => (m.spec as {image?: string} | undefined)?.image === image)
    if (nsMatch.length + clMatch.length === 1) return nsMatch[0] ? found(nsMatch[0], 'Namespace') : found(clMatch[0]!, 'Cluster')
    if (nsMatch.length + clMatch.length > 1) {
      const list = [...nsMatch.map((m) => `${m.metadata.name} (namespace)`), ...clMatch.map((m) => `${m.metadata.name} (cluster)`)].join(', ')
      return error('MultipleModelsFound', `multiple models found with the same image with image "${image}": ${list}`, 'Infrastructure', 'Degraded')
    }
    let name: string
    try {
      name = modelNameFromImage(image)
    } catch (e) {
      if (e instanceof NamingError) return error('InvalidImageReference', `invalid image reference "${image}"`, 'InvalidSpec')
      throw e
    }
    const create: KubeObject = {
      apiVersion: `${AIM_GROUP}/${AIM_VERSION}`,
      kind: 'AIMModel',
      metadata: {name, namespace: ns, labels: {[ORIGIN_LABEL]: 'auto-generated', 'aim.eai.amd.com/service.name': svc.metadata.name ?? ''}},
      spec: pruned({image, runtimeConfigName: spec.runtimeConfigName, imagePullSecrets: spec.imagePullSecrets, serviceAccountName: spec.serviceAccountName}),
    }
    const health: Health = {state: 'Progressing', reason: 'CreatingModel', message: `Model will be created for image ${image}`}
    return {outcome: 'create', create, health, condition: cond(health)}
  }

  if (model.custom) {
    const c = model.custom
    if (!c.baseImage || !c.modelSources?.length) return error('ModelNotFound', 'model.custom needs baseImage and one model source', 'InvalidSpec')
    const match = nsModels.find((m) => {
      const s = (m.spec ?? {}) as {image?: string; modelSources?: ModelSource[]}
      return s.image === c.baseImage && sameSources(s.modelSources, c.modelSources)
    })
    if (match) return found(match, 'Namespace')
    const create: KubeObject = {
      apiVersion: `${AIM_GROUP}/${AIM_VERSION}`,
      kind: 'AIMModel',
      metadata: {
        name: customModelName({baseImage: c.baseImage, modelSources: c.modelSources}),
        namespace: ns,
        labels: {
          [ORIGIN_LABEL]: 'auto-generated',
          [CUSTOM_MODEL_LABEL]: 'true',
          [SERVICE_LABEL]: svc.metadata.name ?? '',
          'aim.eai.amd.com/service.name': svc.metadata.name ?? '',
        },
      },
      spec: pruned({
        image: c.baseImage,
        modelSources: c.modelSources,
        custom: c.hardware ? {hardware: c.hardware} : undefined,
        runtimeConfigName: spec.runtimeConfigName,
        imagePullSecrets: spec.imagePullSecrets,
        serviceAccountName: spec.serviceAccountName,
        env: spec.env,
      }),
    }
    const health: Health = {state: 'Progressing', reason: 'CreatingModel', message: `Custom model will be created for ${c.modelSources[0]!.modelId}`}
    return {outcome: 'create', create, health, condition: cond(health)}
  }

  return error('ModelNotFound', 'no model specified in service spec', 'InvalidSpec')
}

function pruned<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

export interface TemplateResolutionInput {
  service: KubeObject
  namespacedTemplates: readonly KubeObject[]
  clusterTemplates: readonly KubeObject[]
  overrides?: ServiceOverrides
}

export type TemplateResolution =
  | {outcome: 'resolved'; template: KubeObject; scope: Scope; ref: ResolvedReference; derivedName?: string; health: Health; condition: ConditionDecision}
  | {outcome: 'notFound'; name: string; health: Health; condition: ConditionDecision}

export function templateKind(scope: Scope): 'AIMServiceTemplate' | 'AIMClusterServiceTemplate' {
  return scope === 'Namespace' ? 'AIMServiceTemplate' : 'AIMClusterServiceTemplate'
}

/** TemplateReady table (reference §5.3) for a found template. */
export function templateHealth(template: KubeObject, scope: Scope): Health {
  const label = `${templateKind(scope)} ${template.metadata.name ?? ''}`
  const st = ((template.status ?? {}) as {status?: string}).status ?? 'Pending'
  switch (st) {
    case 'Ready':
      return {state: 'Ready', reason: 'Resolved', message: `${label} is ready`}
    case 'NotAvailable':
      return {state: 'NotAvailable', reason: 'TemplateNotReady', message: `${label} is not available (no matching GPUs)`}
    case 'Failed':
    case 'Degraded':
      return {state: 'Failed', reason: 'TemplateNotReady', message: `${label} is in failed state`}
    default:
      return {state: 'Progressing', reason: 'TemplateNotReady', message: `${label} is not ready yet`}
  }
}

function tcond(h: Health): ConditionDecision {
  return {type: 'TemplateReady', status: h.state === 'Ready' ? 'True' : 'False', reason: h.reason, message: h.message}
}

/**
 * Explicit `spec.template.name`: with overrides, the derived `<name>-ovr-…` in the namespace first;
 * then the namespaced template, then the cluster template. Not found → `TemplateNotFound`
 * "template "<n>" not found" (MissingUpstreamDependency: the service is Failed).
 */
export function resolveExplicitTemplate(input: TemplateResolutionInput): TemplateResolution {
  const svc = input.service
  const ns = svc.metadata.namespace ?? 'default'
  const name = ((svc.spec ?? {}) as {template?: {name?: string}}).template?.name ?? ''
  const overrides = input.overrides ?? serviceOverrides(svc)
  const nsTemplates = input.namespacedTemplates.filter((t) => t.metadata.namespace === ns)
  const ok = (t: KubeObject, scope: Scope, derivedName?: string): TemplateResolution => {
    const health = templateHealth(t, scope)
    const r: TemplateResolution = {outcome: 'resolved', template: t, scope, ref: resolvedReference(t, scope, templateKind(scope)), health, condition: tcond(health)}
    if (derivedName) r.derivedName = derivedName
    return r
  }
  if (overrides && Object.keys(overrides).length > 0) {
    const dn = derivedTemplateName(name, overrides)
    const d = nsTemplates.find((t) => t.metadata.name === dn)
    if (d) return ok(d, 'Namespace', dn)
  }
  const n = nsTemplates.find((t) => t.metadata.name === name)
  if (n) return ok(n, 'Namespace')
  const c = input.clusterTemplates.find((t) => t.metadata.name === name)
  if (c) return ok(c, 'Cluster')
  const health: Health = {state: 'Failed', reason: 'TemplateNotFound', message: `template "${name}" not found`, error: 'MissingUpstreamDependency'}
  return {outcome: 'notFound', name, health, condition: tcond(health)}
}

/**
 * Names of derived objects (reference §3, GenerateDerivedName): sanitised parts joined with `-`,
 * plus a truncated SHA-256 of the JSON-encoded hash inputs, shortened to fit a maximum length.
 */
import {createHash} from 'node:crypto'
import type {EnvVar} from './types.js'
import {BoundedCache} from '../memo.js'

export class NamingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NamingError'
  }
}

/**
 * MakeRFC1123Compliant: lowercase; every character outside `[a-z0-9-]` → `-` (runs not collapsed);
 * trim `-`; cut to 63 and trim trailing `-`. Empty → `part`.
 */
export function makeRfc1123Compliant(s: string): string {
  let out = s.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '')
  if (out.length > 63) out = out.slice(0, 63).replace(/-+$/, '')
  return out === '' ? 'part' : out
}

/** Label values: lowercase, runs of `[^a-z0-9._-]` → `_`, trimmed to alphanumerics, ≤ 63 characters. */
export function sanitizeLabelValue(s: string): string {
  const trim = (v: string) => v.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
  let out = trim(s.toLowerCase().replace(/[^a-z0-9._-]+/g, '_'))
  if (out.length > 63) out = trim(out.slice(0, 63))
  return out
}

/** Go's encoding/json: like JSON.stringify, but escapes <, >, & and U+2028/2029; undefined → null. */
export function goJson(v: unknown): string {
  const s = JSON.stringify(v === undefined ? null : v) ?? 'null'
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

// Reconcilers derive the same names over and over (a model's from its image, a service's from its
// namespace): the digest of a text already seen, and the model name of an image, are kept.
const inputDigests = new BoundedCache<string, string>(20_000)
const modelNamesByImage = new BoundedCache<string, string>(20_000)
const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

/** First `length` hex characters of SHA-256 over the Go-JSON of each input joined by `|`. */
export function hashInputs(inputs: readonly unknown[], length = 8): string {
  let text = ''
  for (let i = 0; i < inputs.length; i++) text += (i > 0 ? '|' : '') + goJson(inputs[i])
  return inputDigests.get(text, sha256Hex).slice(0, length)
}

export interface DerivedNameOptions {
  /** Hex characters of the hash; default 8. */
  hashLength?: number
  /** Default 63. */
  maxLength?: number
}

/** GenerateDerivedName (reference §3). */
export function generateDerivedName(parts: readonly string[], inputs: readonly unknown[], options: DerivedNameOptions = {}): string {
  const hashLength = options.hashLength ?? 8
  const maxLength = options.maxLength ?? 63
  const clean = parts.map(makeRfc1123Compliant)
  const hash = hashLength > 0 ? hashInputs(inputs, hashLength) : ''
  const suffix = hash ? `-${hash}` : ''
  const total = () => clean.join('-').length + suffix.length
  if (maxLength < suffix.length + clean.length) throw new NamingError(`cannot fit a name into ${maxLength} characters`)
  while (total() > maxLength) {
    let longest = 0
    for (let i = 1; i < clean.length; i++) if (clean[i]!.length > clean[longest]!.length) longest = i
    const p = clean[longest]!
    if (p.length <= 1) throw new NamingError(`cannot fit a name into ${maxLength} characters`)
    clean[longest] = p.slice(0, -1).replace(/-+$/, '') || p.slice(0, 1)
  }
  return clean.join('-') + suffix
}

export interface ImageParts {
  registry: string
  /** Path without registry and tag: `amdenterpriseai/aim-qwen-qwen3-32b`. */
  repository: string
  /** Last path segment, sanitised: `aim-qwen-qwen3-32b`. */
  name: string
  /** Sanitised tag (`0-8-5`), first 6 hex characters of a digest, or `latest`. */
  tag: string
}

function sanitizeImageComponent(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
}

/**
 * ExtractImageParts. Throws NamingError (the service's `InvalidImageReference`) when the name or tag
 * sanitises to nothing.
 */
export function extractImageParts(image: string): ImageParts {
  let ref = image.trim()
  let digest: string | undefined
  const at = ref.indexOf('@')
  if (at >= 0) {
    digest = ref.slice(at + 1)
    ref = ref.slice(0, at)
  }
  let rawTag: string | undefined
  const lastSlash = ref.lastIndexOf('/')
  const colon = ref.lastIndexOf(':')
  if (colon > lastSlash) {
    rawTag = ref.slice(colon + 1)
    ref = ref.slice(0, colon)
  }
  const segments = ref.split('/')
  let registry = 'docker.io'
  if (segments.length > 1) {
    const first = segments[0]!
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      segments.shift()
    }
  }
  const repository = segments.join('/')
  const name = sanitizeImageComponent(segments[segments.length - 1] ?? '')
  let tag: string
  if (digest !== undefined) tag = sanitizeImageComponent((digest.split(':')[1] ?? digest).slice(0, 6))
  else tag = rawTag === undefined ? 'latest' : sanitizeImageComponent(rawTag)
  if (!name || !tag || !repository) throw new NamingError(`invalid image reference "${image}"`)
  return {registry, repository, name, tag}
}

/** KServe InferenceService: `[svc]`, hash(ns), max `63 - len("-predictor") - 1 - len(ns)`. */
export function inferenceServiceName(svcName: string, namespace: string): string {
  const maxLength = 63 - 11 - namespace.length
  if (maxLength < 10) throw new NamingError(`namespace "${namespace}" is too long to derive an InferenceService name (max 42 characters)`)
  return generateDerivedName([svcName], [namespace], {maxLength})
}

/** HTTPRoute: `[svc]`, hash(ns), max 63. */
export function httpRouteName(svcName: string, namespace: string): string {
  return generateDerivedName([svcName], [namespace])
}

/** AIMModel auto-created for `model.image`: `[imageName, tag]`, hash(image). */
export function modelNameFromImage(image: string): string {
  // Model resolution asks it per service and reconcile of a handful of images (an invalid one throws
  // each time, as it is not kept).
  return modelNamesByImage.get(image, deriveModelName)
}

function deriveModelName(image: string): string {
  const p = extractImageParts(image)
  return generateDerivedName([p.name, p.tag], [image])
}

/** AIMModel for `model.custom`: `[modelSources[0].modelId]`, hash(baseImage, per source modelId, sourceUri[, AWS_ENDPOINT_URL]). */
export function customModelName(custom: {baseImage: string; modelSources: ReadonlyArray<{modelId: string; sourceUri: string; env?: EnvVar[]}>}): string {
  const inputs: unknown[] = [custom.baseImage]
  for (const s of custom.modelSources) {
    inputs.push(s.modelId, s.sourceUri)
    const aws = s.env?.find((e) => e.name === 'AWS_ENDPOINT_URL')?.value
    if (aws) inputs.push(aws)
  }
  return generateDerivedName([custom.modelSources[0]?.modelId ?? 'custom'], inputs)
}

export interface DeploymentNaming {
  gpuModel?: string
  gpuCount?: number
  metric?: string
  precision?: string
}

function metricShort(metric: string | undefined): string | undefined {
  if (!metric) return undefined
  const m = metric.toLowerCase()
  return m === 'latency' ? 'lat' : m === 'throughput' ? 'thr' : m
}

/** `1x-mi300x-lat-fp16`: count+GPU, or GPU, or `x<count>`; then lat/thr; then precision. */
export function deploymentSuffix(d: DeploymentNaming): string {
  const parts: string[] = []
  const n = d.gpuCount ?? 0
  if (d.gpuModel && n > 0) parts.push(`${n}x-${d.gpuModel}`)
  else if (d.gpuModel) parts.push(d.gpuModel)
  else if (n > 0) parts.push(`x${n}`)
  const ms = metricShort(d.metric)
  if (ms) parts.push(ms)
  if (d.precision) parts.push(d.precision)
  return parts.join('-').toLowerCase()
}

/**
 * Template a model creates for one recommended deployment: `[image, suffix]`, 4-hex hash of
 * `modelName-image[-GPU][-xN][-metric][-precision]`.
 */
export function templateNameForDeployment(model: {name: string; image: string}, d: DeploymentNaming): string {
  let key = `${model.name}-${model.image}`
  if (d.gpuModel) key += `-${d.gpuModel}`
  if ((d.gpuCount ?? 0) > 0) key += `-x${d.gpuCount}`
  if (d.metric) key += `-${d.metric}`
  if (d.precision) key += `-${d.precision}`
  const suffix = deploymentSuffix(d)
  return generateDerivedName(suffix ? [model.image, suffix] : [model.image], [key], {hashLength: 4})
}

/** Template for `customTemplates[index]`: `[model, "custom", name?, precision?, gpu?]`. */
export function customTemplateName(
  modelName: string,
  index: number,
  t: {name?: string; precision?: string; metric?: string; gpuCount?: number; gpuModel?: string},
): string {
  const parts = [modelName, 'custom']
  if (t.name) parts.push(t.name)
  if (t.precision) parts.push(t.precision)
  if (t.gpuModel) parts.push(t.gpuModel)
  return generateDerivedName(parts, [modelName, index, t.name ?? '', t.precision ?? '', t.metric ?? '', t.gpuCount ?? 0, t.gpuModel ?? ''])
}

/** Derived template for service overrides: `[base, "ovr", gpu?, "<N>gpu"?, precision?, metric?]`, 4-hex hash. */
export function derivedTemplateName(baseTemplate: string, o: DeploymentNaming): string {
  const parts = [baseTemplate, 'ovr']
  if (o.gpuModel) parts.push(o.gpuModel.toLowerCase())
  if ((o.gpuCount ?? 0) > 0) parts.push(`${o.gpuCount}gpu`)
  if (o.precision) parts.push(o.precision)
  if (o.metric) parts.push(o.metric)
  return generateDerivedName(parts, ['gpu', o.gpuModel ?? '', 'count', o.gpuCount ?? 0, 'precision', o.precision ?? '', 'metric', o.metric ?? ''], {hashLength: 4})
}

export type CachingMode = 'Shared' | 'Dedicated'

/** AIMTemplateCache: Shared `[template]` hash(ns); Dedicated `[template, svc]` hash(svc UID). */
export function templateCacheName(
  templateName: string,
  owner: {namespace?: string; svcName?: string; svcUid?: string},
  mode: CachingMode = 'Shared',
): string {
  if (mode === 'Dedicated') return generateDerivedName([templateName, owner.svcName ?? ''], [owner.svcUid ?? ''])
  return generateDerivedName([templateName], [owner.namespace ?? ''])
}

function envForHash(env: readonly EnvVar[] | undefined): unknown {
  if (!env || env.length === 0) return null
  return env.map((e) => {
    const o: Record<string, unknown> = {name: e.name}
    if (e.value) o.value = e.value
    if (e.valueFrom) o.valueFrom = e.valueFrom
    return o
  })
}

/** AIMArtifact: `[sourceUri]`, 10-hex hash(sourceUri, env, storageClass[, "dedicated", cacheName]). */
export function artifactName(a: {sourceUri: string; env?: readonly EnvVar[]; storageClassName?: string; mode?: CachingMode; cacheName?: string}): string {
  const inputs: unknown[] = [a.sourceUri, envForHash(a.env), a.storageClassName ?? '']
  if (a.mode === 'Dedicated') inputs.push('dedicated', a.cacheName ?? '')
  return generateDerivedName([a.sourceUri.replace(/\./g, '-')], inputs, {hashLength: 10})
}

export function pvcName(artifact: string, artifactUid: string): string {
  return generateDerivedName([artifact, 'cache'], [artifactUid])
}

export function downloadJobName(artifact: string, artifactUid: string): string {
  return generateDerivedName([artifact, 'download'], [artifactUid])
}

export function checkSizeJobName(artifact: string, artifactUid: string): string {
  return generateDerivedName([artifact, 'check-size'], [artifactUid])
}

export interface DiscoveryJobInputs {
  templateName: string
  modelName: string
  image: string
  serviceAccountName?: string
  env?: readonly EnvVar[]
  imagePullSecrets?: ReadonlyArray<{name: string}>
  metric?: string
  precision?: string
  gpuModel?: string
  gpuCount?: number
  profileId?: string
}

/** `discover-<template cut to 45>-<8 hex of SHA-256 over the job's inputs>`: at most 63 characters (a label value). */
export function discoveryJobName(d: DiscoveryJobInputs): string {
  const h = createHash('sha256')
  h.update(d.modelName)
  h.update(d.image)
  h.update(d.serviceAccountName ?? '')
  for (const e of d.env ?? []) h.update(`${e.name}${e.value ?? ''}`)
  for (const s of d.imagePullSecrets ?? []) h.update(s.name)
  h.update(d.metric ?? '')
  h.update(d.precision ?? '')
  h.update(d.gpuModel ?? '')
  h.update(String(d.gpuCount ?? 0))
  h.update(d.profileId ?? '')
  const base = d.templateName.slice(0, 45).replace(/-+$/, '')
  return `discover-${base}-${h.digest('hex').slice(0, 8)}`
}

/** AIMClusterModel created by an AIMClusterModelSource: `[repository, tag]`, 6-hex hash(registry, repository, tag). */
export function clusterModelNameFromSource(registry: string, repository: string, tag: string): string {
  return generateDerivedName([repository, tag], [registry, repository, tag], {hashLength: 6})
}

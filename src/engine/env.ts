/**
 * Environment layering for the inference container (reference §7): defaults < runtime config <
 * template < service, merged by name, AIM_ENGINE_ARGS deep-merged as JSON, sorted by name.
 * Secret references stay `valueFrom` — the engine never resolves them.
 */
import type {EnvVar, ModelSource, TemplateSpecView} from './types.js'

export const ENGINE_ARGS_VAR = 'AIM_ENGINE_ARGS'

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Deep merge of JSON objects; `b` wins on scalars and arrays. */
export function deepMerge(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b
  const out: Record<string, unknown> = {...a}
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v
  return out
}

function mergeEngineArgs(base: EnvVar, over: EnvVar): EnvVar {
  if (base.value === undefined || over.value === undefined) return over
  try {
    const a: unknown = JSON.parse(base.value)
    const b: unknown = JSON.parse(over.value)
    if (isPlainObject(a) && isPlainObject(b)) return {name: over.name, value: JSON.stringify(deepMerge(a, b))}
  } catch {
    // not JSON: the overlay replaces the value
  }
  return over
}

/** Merge `overlay` into `base` by name (replacing in place, appending new names). */
export function mergeEnv(base: readonly EnvVar[] | undefined, overlay: readonly EnvVar[] | undefined): EnvVar[] {
  const out = (base ?? []).map((e) => ({...e}))
  for (const e of overlay ?? []) {
    const i = out.findIndex((x) => x.name === e.name)
    const copy = {...e}
    if (i < 0) out.push(copy)
    else out[i] = e.name === ENGINE_ARGS_VAR ? mergeEngineArgs(out[i]!, copy) : copy
  }
  return out
}

export function sortEnv(env: readonly EnvVar[]): EnvVar[] {
  return [...env].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** `{K: V}` → env list (in key order). */
export function envFromMap(m: Record<string, string | number | boolean> | undefined): EnvVar[] {
  return Object.entries(m ?? {}).map(([name, v]) => ({name, value: String(v)}))
}

export interface InferenceEnvInput {
  runtimeConfigEnv?: readonly EnvVar[]
  template?: TemplateSpecView
  /** Template inline sources (spec.modelSources) — AIM_MODEL_ID comes from the first. */
  templateModelSources?: readonly ModelSource[]
  serviceEnv?: readonly EnvVar[]
}

/**
 * The kserve-container env: AIM_CACHE_PATH, VLLM_ENABLE_METRICS; runtime-config env; AIM_PROFILE_ID,
 * AIM_METRIC, AIM_PRECISION from the template spec; template env; AIM_MODEL_ID for inline sources;
 * service env. Sorted by name.
 */
export function buildInferenceEnv(input: InferenceEnvInput): EnvVar[] {
  let env: EnvVar[] = [
    {name: 'AIM_CACHE_PATH', value: '/workspace/cache'},
    {name: 'VLLM_ENABLE_METRICS', value: 'true'},
  ]
  env = mergeEnv(env, input.runtimeConfigEnv)
  const t = input.template ?? {}
  const fromTemplate: EnvVar[] = []
  if (t.profileId) fromTemplate.push({name: 'AIM_PROFILE_ID', value: t.profileId})
  if (t.metric) fromTemplate.push({name: 'AIM_METRIC', value: t.metric})
  if (t.precision) fromTemplate.push({name: 'AIM_PRECISION', value: t.precision})
  env = mergeEnv(env, fromTemplate)
  env = mergeEnv(env, t.env)
  const sources = input.templateModelSources ?? t.modelSources
  if (sources?.[0]?.modelId) env = mergeEnv(env, [{name: 'AIM_MODEL_ID', value: sources[0].modelId}])
  env = mergeEnv(env, input.serviceEnv)
  return sortEnv(env)
}

/** For display: `NAME=value`, or `NAME=<secret name/key>` for secret references (never the value). */
export function describeEnvVar(e: EnvVar): string {
  if (e.value !== undefined) return `${e.name}=${e.value}`
  const ref = (e.valueFrom as {secretKeyRef?: {name?: string; key?: string}} | undefined)?.secretKeyRef
  if (ref) return `${e.name}=<secret ${ref.name ?? ''}/${ref.key ?? ''}>`
  return `${e.name}=<from ${Object.keys(e.valueFrom ?? {}).join(',') || 'unset'}>`
}

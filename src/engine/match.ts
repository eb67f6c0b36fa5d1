/**
 * Which model a user means by MODEL (DESIGN §3, `kubectl aim deploy MODEL`, `why --model M`): an
 * exact model name, model id or image wins; else a unique case-insensitive substring; a namespaced
 * model beats a cluster model standing for the same image; an unmatched image reference is
 * deployed as is.
 */
import type {KubeObject} from '../api/object.js'

export interface ModelCandidate {
  kind: 'AIMModel' | 'AIMClusterModel'
  name: string
  namespace?: string
  image?: string
  modelId?: string
}

export type ModelQueryResult =
  | {type: 'model'; model: ModelCandidate}
  | {type: 'image'; image: string}
  | {type: 'ambiguous'; matches: ModelCandidate[]}
  | {type: 'none'}

export function modelCandidates(models: KubeObject[], clusterModels: KubeObject[]): ModelCandidate[] {
  const conv = (kind: ModelCandidate['kind']) => (m: KubeObject): ModelCandidate => {
    const spec = m.spec as {image?: string} | undefined
    const status = m.status as {imageMetadata?: {model?: {canonicalName?: string}}} | undefined
    return {
      kind,
      name: m.metadata.name ?? '',
      namespace: kind === 'AIMModel' ? m.metadata.namespace : undefined,
      image: spec?.image,
      modelId: status?.imageMetadata?.model?.canonicalName,
    }
  }
  return [...models.map(conv('AIMModel')), ...clusterModels.map(conv('AIMClusterModel'))]
}

export function describeModelCandidate(c: ModelCandidate): string {
  const scope = c.kind === 'AIMModel' ? `aimmodel/${c.name}` : `aimclustermodel/${c.name}`
  return `${scope}${c.modelId ? ` (${c.modelId})` : ''}${c.image ? ` image ${c.image}` : ''}`
}

/** Namespaced beats cluster when both stand for the same image. */
function collapse(matches: ModelCandidate[]): ModelCandidate[] {
  const byImage = new Map<string, ModelCandidate[]>()
  for (const m of matches) {
    const key = m.image ?? `name:${m.name}`
    byImage.set(key, [...(byImage.get(key) ?? []), m])
  }
  return [...byImage.values()].map((group) => group.find((g) => g.kind === 'AIMModel') ?? group[0]!)
}

export function matchModelQuery(query: string, candidates: ModelCandidate[]): ModelQueryResult {
  const keys = (c: ModelCandidate) => [c.name, c.modelId, c.image].filter((k): k is string => Boolean(k))
  const exact = collapse(candidates.filter((c) => keys(c).includes(query)))
  if (exact.length === 1) return {type: 'model', model: exact[0]!}
  if (exact.length > 1) return {type: 'ambiguous', matches: exact}
  const q = query.toLowerCase()
  const partial = collapse(candidates.filter((c) => keys(c).some((k) => k.toLowerCase().includes(q))))
  if (partial.length === 1) return {type: 'model', model: partial[0]!}
  if (partial.length > 1) return {type: 'ambiguous', matches: partial}
  if (/[/:]/.test(query) && /^[a-z0-9]/i.test(query)) return {type: 'image', image: query}
  return {type: 'none'}
}

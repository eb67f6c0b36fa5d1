/**
 * `kubectl aim why`: reads the live templates and nodes and runs the engine's selectTemplate — the
 * very function the controller calls — then shapes its trace into an ExplainReport.
 */
import type {KubeObject} from '../api/object.js'
import {clusterGpus} from '../engine/gpu.js'
import {resolveModel} from '../engine/resolution.js'
import {selectTemplate, serviceOverrides, type CandidateTrace, type SelectionResult, type ServiceOverrides} from '../engine/selection.js'
import {K, AIM_API_VERSION, type AIMService} from './aim.js'
import type {KubeClient} from './client.js'
import {candidatesFrom, matchModel} from './deploy.js'
import {REPORT_API_VERSION} from './report.js'

export interface CandidateRow {
  scope: string
  name: string
  namespace?: string
  status: string
  type: string
  gpu?: string
  gpuCount?: number
  metric?: string
  precision?: string
  droppedAt?: string
  reason: string
  message: string
  rank?: number
  score?: number[]
  selected: boolean
  tied: boolean
}

export interface ExplainReport {
  apiVersion: typeof REPORT_API_VERSION
  kind: 'ExplainReport'
  collectedAt: string
  service?: {name: string; namespace: string; pinnedTemplate?: string; currentTemplate?: string}
  hypothetical: boolean
  model?: string
  gpus: string[]
  overrides?: ServiceOverrides
  allowUnoptimized: boolean
  outcome: SelectionResult['outcome']
  selected?: string
  tied: string[]
  condition: SelectionResult['condition']
  candidates: CandidateRow[]
  notes: string[]
}

function row(c: CandidateTrace, tied: Set<CandidateTrace>): CandidateRow {
  return {
    scope: c.scope,
    name: c.name,
    ...(c.namespace ? {namespace: c.namespace} : {}),
    status: c.status || 'Unknown',
    type: c.type,
    ...(c.gpu !== undefined ? {gpu: c.gpu} : {}),
    ...(c.gpuCount !== undefined ? {gpuCount: c.gpuCount} : {}),
    ...(c.metric ? {metric: c.metric} : {}),
    ...(c.precision ? {precision: c.precision} : {}),
    ...(c.droppedAt ? {droppedAt: c.droppedAt} : {}),
    reason: c.reason,
    message: c.message,
    ...(c.rank !== undefined ? {rank: c.rank} : {}),
    ...(c.score ? {score: c.score} : {}),
    selected: Boolean(c.selected),
    tied: tied.has(c),
  }
}

const STAGE_ORDER = ['preference', 'scope', 'gpu', 'overrides', 'optimization', 'availability']

/** Selected first, then by rank, then the dropped ones by how far they got. */
export function sortRows(rows: CandidateRow[]): CandidateRow[] {
  return [...rows].sort((a, b) => {
    if (a.selected !== b.selected) return a.selected ? -1 : 1
    const ar = a.rank ?? Number.MAX_SAFE_INTEGER
    const br = b.rank ?? Number.MAX_SAFE_INTEGER
    if (ar !== br) return ar - br
    const as = STAGE_ORDER.indexOf(a.droppedAt ?? 'preference')
    const bs = STAGE_ORDER.indexOf(b.droppedAt ?? 'preference')
    return as - bs || a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name)
  })
}

export interface ExplainInput {
  /** Existing service to explain; or a hypothetical one (`--model`). */
  service?: string
  model?: string
  namespace: string
  overrides?: ServiceOverrides
  allowUnoptimized?: boolean
}

export async function explainSelection(client: KubeClient, input: ExplainInput, now = new Date()): Promise<ExplainReport> {
  const ns = input.namespace
  const notes: string[] = []
  const [nsTemplates, clTemplates, nodes, nsModels, clModels] = await Promise.all([
    client.list(K.template, {namespace: ns}),
    client.list(K.clusterTemplate),
    client.list(K.node),
    client.list(K.model, {namespace: ns}),
    client.list(K.clusterModel),
  ])
  let service: AIMService
  let modelName: string | undefined
  if (input.service) {
    service = await client.get<AIMService>(K.service, input.service, ns)
    modelName = service.status?.resolvedModel?.name
    if (!modelName) {
      const res = resolveModel({service, namespacedModels: nsModels.items, clusterModels: clModels.items})
      if (res.outcome === 'resolved') modelName = res.model.metadata.name
      else notes.push(`model not resolved: ${res.outcome === 'error' ? `${res.reason}: ${res.message}` : 'the controller will create it from the image'}`)
    }
    const pinned = service.spec?.template?.name
    if (pinned) notes.push(`the service pins spec.template.name=${pinned}: auto-selection does not run for it; the ranking below is hypothetical`)
  } else {
    const match = matchModel(input.model ?? '', candidatesFrom(nsModels.items, clModels.items))
    service = {apiVersion: AIM_API_VERSION, kind: 'AIMService', metadata: {name: '(hypothetical)', namespace: ns}, spec: {model: match.type === 'model' ? {name: match.model.name} : {image: match.image}}}
    if (match.type === 'model') modelName = match.model.name
    else {
      const res = resolveModel({service, namespacedModels: nsModels.items, clusterModels: clModels.items})
      if (res.outcome === 'resolved') modelName = res.model.metadata.name
      else notes.push(`no model for image ${match.image} yet: the controller would create one and discover its templates`)
    }
  }
  const gpus = clusterGpus(nodes.items as KubeObject[])
  const result = selectTemplate({
    service,
    modelName,
    namespacedTemplates: nsTemplates.items,
    clusterTemplates: clTemplates.items,
    gpus,
    overrides: input.overrides && Object.keys(input.overrides).length ? input.overrides : undefined,
    allowUnoptimized: input.allowUnoptimized || undefined,
  })
  const tied = new Set(result.tied ?? [])
  if (result.outcome === 'ambiguous') notes.push(`fix: set spec.template.name to one of: ${(result.tied ?? []).map((c) => c.name).join(', ')} (kubectl aim deploy … --template NAME)`)
  const overrides = input.overrides && Object.keys(input.overrides).length ? input.overrides : serviceOverrides(service)
  return {
    apiVersion: REPORT_API_VERSION,
    kind: 'ExplainReport',
    collectedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(input.service ? {service: {name: input.service, namespace: ns, ...(service.spec?.template?.name ? {pinnedTemplate: service.spec.template.name} : {}), ...(service.status?.resolvedTemplate?.name ? {currentTemplate: service.status.resolvedTemplate.name} : {})}} : {}),
    hypothetical: !input.service,
    ...(modelName ? {model: modelName} : {}),
    gpus: gpus.models,
    ...(overrides ? {overrides} : {}),
    allowUnoptimized: Boolean(input.allowUnoptimized ?? service.spec?.template?.allowUnoptimized),
    outcome: result.outcome,
    ...(result.selected ? {selected: result.selected.name} : {}),
    tied: (result.tied ?? []).map((c) => c.name),
    condition: result.condition,
    candidates: sortRows(result.candidates.map((c) => row(c, tied))),
    notes,
  }
}

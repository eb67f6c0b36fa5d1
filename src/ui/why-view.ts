/** Text rendering of an ExplainReport: one row per candidate template, winner and ties marked. */
import type {ExplainReport} from '../kube/why.js'
import {paint, table, type Style} from './format.js'

export function renderExplainText(r: ExplainReport, style: Style): string {
  const out: string[] = []
  const subject = r.service ? `aimservice/${r.service.name} in ${r.service.namespace}` : `a hypothetical service in this namespace`
  out.push(`Template selection for ${subject}`)
  out.push(`  model: ${r.model ?? '<not resolved>'}   cluster GPUs: ${r.gpus.length ? r.gpus.join(', ') : 'none'}${r.allowUnoptimized ? '   allowUnoptimized: true' : ''}`)
  if (r.overrides) {
    const o = r.overrides
    const parts = [o.metric && `metric=${o.metric}`, o.precision && `precision=${o.precision}`, o.gpuModel && `gpu=${o.gpuModel}`, o.gpuCount !== undefined && `count=${o.gpuCount}`].filter(Boolean)
    out.push(`  overrides: ${parts.join(' ')}`)
  }
  out.push('')
  if (r.candidates.length === 0) out.push('  no candidate templates')
  else {
    const rows = r.candidates.map((c) => {
      const mark = c.selected ? '*' : c.tied ? '=' : ' '
      const result = c.selected ? 'selected (BestMatch)' : c.tied ? 'tie (TemplateSelectionAmbiguous)' : c.droppedAt ? `dropped at ${c.droppedAt}: ${c.reason} — ${c.message}` : `rank ${c.rank}${c.score ? ` (score ${c.score.map((n) => (n >= 1000 ? '?' : String(n))).join('/')})` : ''}: ${c.reason}`
      return [
        mark,
        c.rank !== undefined ? String(c.rank) : '-',
        c.scope,
        c.name,
        c.status,
        c.type,
        c.gpu ? `${c.gpuCount ?? '?'} x ${c.gpu}` : 'CPU',
        c.metric ?? '-',
        c.precision ?? '-',
        result,
      ]
    })
    const lines = table(['', 'RANK', 'SCOPE', 'TEMPLATE', 'STATUS', 'TYPE', 'GPU', 'METRIC', 'PRECISION', 'RESULT'], rows).split('\n')
    lines.forEach((line, i) => {
      const c = i === 0 ? undefined : r.candidates[i - 1]
      out.push(c?.selected ? paint(style, 'green', line) : c?.tied ? paint(style, 'yellow', line) : c?.droppedAt ? paint(style, 'gray', line) : line)
    })
  }
  if (r.candidates.some((c) => c.rank !== undefined && !c.selected && !c.tied)) out.push('  score = type/GPU tier/metric/precision ranks, lower wins (? = unknown value)')
  out.push('')
  const cond = r.condition
  const verdict =
    r.outcome === 'selected'
      ? paint(style, 'green', `selected ${r.selected}`)
      : r.outcome === 'ambiguous'
        ? paint(style, 'yellow', `ambiguous: ${r.tied.length} templates tie (${r.tied.join(', ')})`)
        : paint(style, 'red', r.outcome === 'notReady' ? 'no template is ready yet' : 'no template found')
  out.push(`Outcome: ${verdict}`)
  out.push(`  TemplateReady=${cond.status} reason ${cond.reason}: ${cond.message}`)
  if (r.service?.currentTemplate && r.service.currentTemplate !== r.selected) out.push(`  the service currently uses ${r.service.currentTemplate} (selection is sticky while that template stays Ready)`)
  for (const n of r.notes) out.push(`Note: ${n}`)
  return out.join('\n')
}

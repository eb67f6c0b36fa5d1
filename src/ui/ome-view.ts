/**
 * Views of the OME reports (src/kube/ome.ts): the status sections (drawn plain or by the Ink
 * SectionsView like the AIM report), the OME table under the AIM one, and the runtime selection
 * table of `kubectl aim why`.
 */
import type {OMEExplainReport, OMEServiceRow, OMEStatusReport} from '../kube/ome.js'
import {conditionMood, formatAge, paint, sortConditions, table, type ColorName, type Style} from './format.js'
import {grid, renderSectionsPlain, seg, symbol, type Line, type Section} from './status-view.js'

function kv(label: string, value: string, color?: ColorName): Line {
  return [seg(`${label}:`.padEnd(15)), seg(value, color)]
}

function readyColor(status: string): ColorName {
  return status === 'True' ? 'green' : status === 'False' ? 'red' : 'yellow'
}

export function omeStatusSections(r: OMEStatusReport, nowMs: number): Section[] {
  const s = r.service
  const m = r.model
  const modelState = m.activeModelState ?? m.targetModelState
  const summary: Line[] = [
    kv('Name', `${s.name}  (${'inferenceservices.ome.io'})`),
    kv('Namespace', s.namespace),
    kv('Ready', `${s.ready}${s.ready !== 'True' && s.reason ? ` ${s.reason}${s.message ? `: ${s.message}` : ''}` : ''}`, readyColor(s.ready)),
    kv('Age', formatAge(s.createdAt, nowMs)),
    kv('URL', s.url ?? '-'),
    kv('Address', s.address ?? '-'),
    kv('Model', `${m.name ?? '-'}${m.kind ? ` (${m.kind})` : ''}${m.size ? `  ${m.size}` : ''}${m.lookup !== 'found' && m.message ? `  ${m.message}` : ''}`, m.lookup === 'found' ? undefined : 'red'),
    kv(
      'Model status',
      modelState ? `${modelState}${m.targetModelState && m.targetModelState !== modelState ? ` → ${m.targetModelState}` : ''} (${m.transitionStatus ?? '-'})` : '-',
      modelState === 'Loaded' || modelState === 'Standby' ? 'green' : modelState === 'FailedToLoad' || m.transitionStatus === 'InvalidSpec' || m.transitionStatus === 'BlockedByFailedLoad' ? 'red' : 'yellow',
    ),
    kv('Runtime', r.runtime.name ? `${r.runtime.name} (${r.runtime.kind}${r.runtime.explicit ? ', spec.runtime.name' : ', auto-selected'})` : `none (${r.runtime.reason}${r.runtime.message ? `: ${r.runtime.message}` : ''})`, r.runtime.name ? undefined : 'red'),
    kv('Mode', `${r.components.map((c) => `${c.component} ${c.mode ?? '?'}`).join(', ') || '-'}${s.prefillDecode ? '  (prefill-decode disaggregated)' : ''}`),
    kv('Generation', `${s.generation ?? '-'} (observed ${s.observedGeneration ?? '-'})`, s.generation !== undefined && s.observedGeneration !== undefined && s.observedGeneration < s.generation ? 'yellow' : undefined),
  ]
  if (m.failure) summary.push(kv('Load failure', `${m.failure.reason ?? ''}${m.failure.location ? ` on ${m.failure.location}` : ''}: ${m.failure.message ?? ''}`, 'red'))
  const sections: Section[] = [{lines: summary}]

  for (const c of r.components) {
    const cond = c.condition
    sections.push({
      title: `Component ${c.component}`,
      lines: [
        kv('  Mode', c.mode ?? '-'),
        kv('  Replicas', `min ${c.minReplicas ?? '-'}  max ${c.maxReplicas ?? '-'}${c.replicas !== undefined ? `  desired ${c.replicas}` : ''}`),
        kv('  Ready pods', `${c.readyPods}/${c.pods}`, c.pods > 0 && c.readyPods === c.pods ? 'green' : c.pods === 0 && c.mode === 'Serverless' ? undefined : 'yellow'),
        kv('  URL', c.url ?? '-'),
        ...(c.revision ? [kv('  Revision', c.revision)] : []),
        [seg('  Condition:     '), symbol(cond), seg(` ${cond.type}=${cond.status}`), seg(cond.reason && cond.status !== 'True' ? ` ${cond.reason}` : '', cond.status === 'True' ? undefined : conditionMood(cond as never) === 'error' ? 'red' : 'yellow'), seg(cond.message && cond.status !== 'True' ? `: ${cond.message}` : '')],
      ],
    })
  }
  if (r.components.length === 0) sections.push({title: 'Components', lines: [[seg('  none declared (spec.engine is required)', 'red')]]})

  const conds = sortConditions(r.conditions)
  const cw = Math.max(0, ...conds.map((c) => c.type.length))
  sections.push({
    title: 'Conditions',
    lines: conds.length
      ? conds.map((c) => [seg('  '), symbol(c), seg(` ${c.type.padEnd(cw)}  `), seg(c.reason ?? '', c.status === 'True' ? undefined : conditionMood(c) === 'error' ? 'red' : 'yellow'), seg(c.message ? `  ${c.message}` : '')])
      : [[seg('  <none> (the controller has not reported yet)', 'gray')]],
  })

  sections.push({
    title: 'Pods',
    lines: r.pods.length
      ? grid(
          ['POD', 'COMPONENT', 'READY', 'PHASE', 'NODE', 'RESTARTS', 'REASON'],
          r.pods.map((p) => [p.name, p.component ?? '-', p.ready, p.phase, p.node ?? '<none>', String(p.restarts), p.reason ?? '']),
        )
      : [[seg('  no pods', 'gray')]],
  })

  sections.push({
    title: 'Recent warnings',
    lines: r.events.length
      ? grid(
          ['AGE', 'REASON', 'OBJECT', 'MESSAGE'],
          r.events.map((e) => [formatAge(e.lastTimestamp, nowMs), e.reason, e.object, `${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`]),
        )
      : [[seg('  <none>', 'gray')]],
  })
  sections.push({title: 'Look closer with', lines: r.lookCloser.map((c) => [seg(`  ${c}`, 'cyan')])})
  if (r.errors.length) sections.push({title: 'Errors while collecting', lines: r.errors.map((e) => [seg(`  ${e}`, 'red')])})
  return sections
}

export function renderOmeStatusText(r: OMEStatusReport, nowMs: number, color = false): string {
  return renderSectionsPlain(omeStatusSections(r, nowMs), color)
}

/** The OME InferenceServices table printed under the AIM services one. */
export function renderOmeTable(rows: OMEServiceRow[], nowMs: number, options: {allNamespaces?: boolean; wide?: boolean} = {}): string {
  const headers = [...(options.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'READY', 'MODEL', 'MODEL STATUS', 'COMPONENTS', 'URL', 'AGE', 'REASON', ...(options.wide ? ['MESSAGE'] : [])]
  const body = rows.map((r) => [
    ...(options.allNamespaces ? [r.namespace] : []),
    r.name,
    r.ready,
    r.model || '<none>',
    r.modelState || '-',
    r.components || '-',
    r.url || '<none>',
    formatAge(r.createdAt, nowMs),
    r.reason,
    ...(options.wide ? [r.message ?? ''] : []),
  ])
  return table(headers, body)
}

/** `kubectl aim why` for an OME InferenceService: one row per runtime, the winner marked *. */
export function renderOmeExplainText(r: OMEExplainReport, style: Style): string {
  const out: string[] = []
  out.push(`Runtime selection for inferenceservices.ome.io/${r.service.name} in ${r.service.namespace}`)
  const m = r.model
  out.push(`  model: ${m.name ?? '<none>'}${m.kind ? ` (${m.kind})` : ''}${m.format ? `  format ${m.format}` : ''}${m.size ? `  size ${m.size}` : ''}`)
  if (m.lookup !== 'found') out.push(`  ${paint(style, 'red', `model ${m.lookup}: ${m.message}`)}`)
  if (r.explicit) out.push(`  runtime named by spec.runtime.name: ${r.requestedRuntime ?? '?'}`)
  out.push('')
  if (r.candidates.length === 0) out.push('  no candidate runtimes')
  else {
    const rows = r.candidates.map((c) => {
      const result = c.selected
        ? r.explicit
          ? 'selected (spec.runtime.name)'
          : `selected (score ${c.score ?? '-'})`
        : c.droppedAt === 'order'
          ? `rank ${c.rank} (score ${c.score ?? '-'}): ${c.reason}`
          : c.droppedAt
            ? `dropped at ${c.droppedAt}: ${c.reason}`
            : c.reason
      return [
        c.selected ? '*' : ' ',
        c.rank !== undefined ? String(c.rank) : '-',
        c.scope,
        c.namespace ? `${c.namespace}/${c.name}` : c.name,
        c.formats.join('; ') || '<none>',
        c.sizeRange ?? '-',
        String(c.priority),
        result,
      ]
    })
    const lines = table(['', 'RANK', 'SCOPE', 'RUNTIME', 'FORMATS', 'SIZE', 'PRIORITY', 'RESULT'], rows).split('\n')
    lines.forEach((line, i) => {
      const c = i === 0 ? undefined : r.candidates[i - 1]
      out.push(c?.selected ? paint(style, 'green', line) : c?.droppedAt && c.droppedAt !== 'order' ? paint(style, 'gray', line) : line)
    })
    if (!r.explicit) out.push('  namespace runtimes beat cluster runtimes; then higher score (format weight × priority), tighter size range, name')
  }
  out.push('')
  const verdict = r.outcome === 'selected' ? paint(style, 'green', `selected ${r.selected}`) : paint(style, 'red', `no runtime (${r.reason})`)
  out.push(`Outcome: ${verdict}`)
  out.push(`  ${r.reason}: ${r.message}`)
  if (r.currentRuntime) out.push(`  pods run: ${r.currentRuntime}`)
  for (const n of r.notes) out.push(`Note: ${n}`)
  return out.join('\n')
}

/**
 * The status view model: a StatusReport laid out as titled sections of coloured segments. The plain
 * renderer (non-TTY, no ANSI unless asked) and the Ink component (TTY) both draw this same model.
 */
import type {StatusReport, ServiceRow} from '../kube/report.js'
import {conditionMood, formatAge, progressBar, sortConditions, statusColor, table, type ColorName} from './format.js'

export interface Segment {
  text: string
  color?: ColorName
  bold?: boolean
}
export type Line = Segment[]
export interface Section {
  title?: string
  lines: Line[]
}

export const seg = (text: string, color?: ColorName, bold?: boolean): Segment => ({text, ...(color ? {color} : {}), ...(bold ? {bold} : {})})

function kv(label: string, value: string, color?: ColorName): Line {
  return [seg(`${label}:`.padEnd(13)), seg(value, color)]
}

/** ✓ ✗ … ? for a condition, coloured by its mood. */
export function symbol(c: {status: string; reason?: string}): Segment {
  switch (conditionMood(c as {status: 'True' | 'False' | 'Unknown'; reason?: string})) {
    case 'ok':
      return seg('✓', 'green')
    case 'error':
      return seg('✗', 'red')
    case 'waiting':
      return seg('…', 'yellow')
    default:
      return seg('?', 'gray')
  }
}

/** Aligns rows into lines of segments, colouring whole cells via `colorOf`. */
export function grid(headers: string[], rows: string[][], colorOf?: (row: number, col: number) => ColorName | undefined): Line[] {
  const text = table(headers, rows).split('\n')
  const widths = headers.map((_, i) => Math.max(...[headers, ...rows].map((r) => [...(r[i] ?? '')].length)))
  return text.map((line, r) => {
    if (r === 0 || !colorOf) return [seg(`  ${line}`, r === 0 ? 'gray' : undefined)]
    const row = rows[r - 1]!
    const out: Line = [seg('  ')]
    row.forEach((cell, c) => {
      const pad = c === row.length - 1 ? '' : ' '.repeat((widths[c] ?? 0) - [...cell].length) + '   '
      out.push(seg(cell, colorOf(r - 1, c)))
      if (pad) out.push(seg(pad))
    })
    return out
  })
}

export function statusSections(r: StatusReport, nowMs: number): Section[] {
  const s = r.service
  const summary: Line[] = [
    kv('Name', s.name),
    kv('Namespace', s.namespace),
    kv('Status', s.status, statusColor(s.status)),
    kv('Age', formatAge(s.createdAt, nowMs)),
    kv('Model', `${s.model.resolved ?? '-'}${s.model.scope ? ` (${s.model.scope})` : ''}${s.model.requested && s.model.requested !== s.model.resolved ? `  requested: ${s.model.requested}` : ''}`),
    kv('Template', `${s.template.name ?? '-'}${s.template.scope ? ` (${s.template.scope})` : ''}${s.template.pinned ? '  pinned by spec.template.name' : ''}`),
    kv('Replicas', s.replicas ?? '-'),
    kv('Endpoint', s.endpoint ?? '-'),
    kv('Caching', s.cachingMode),
    kv('Generation', `${s.generation ?? '-'} (observed ${s.observedGeneration ?? '-'})`, s.generation !== undefined && s.observedGeneration !== undefined && s.observedGeneration < s.generation ? 'yellow' : undefined),
  ]
  if (s.blocking && s.status !== 'Running') {
    summary.push(kv(s.status === 'Failed' ? 'Failed at' : 'Waiting on', `${s.blocking.type} ${s.blocking.reason ?? ''}${s.blocking.message ? `: ${s.blocking.message}` : ''}`, s.status === 'Failed' || s.status === 'Degraded' ? 'red' : 'yellow'))
  }
  const sections: Section[] = [{lines: summary}]

  const conds = sortConditions(r.conditions)
  const cw = Math.max(0, ...conds.map((c) => c.type.length))
  const rw = Math.max(0, ...conds.map((c) => (c.reason ?? '').length))
  sections.push({
    title: 'Conditions',
    lines: conds.length
      ? conds.map((c) => [seg('  '), symbol(c), seg(` ${c.type.padEnd(cw)}  `), seg((c.reason ?? '').padEnd(rw), c.status === 'True' ? undefined : conditionMood(c) === 'error' ? 'red' : 'yellow'), seg(c.message ? `  ${c.message}` : '')])
      : [[seg('  <none> (the controller has not reported yet)', 'gray')]],
  })

  const isvcLines: Line[] = []
  if (r.inferenceService) {
    const i = r.inferenceService
    isvcLines.push([seg(`  ${i.name}  `), seg(`Ready=${i.ready ?? 'Unknown'}`, i.ready === 'True' ? 'green' : 'yellow'), seg(i.reason && i.ready !== 'True' ? ` (${i.reason})` : ''), seg(i.url ? `  ${i.url}` : '')])
    if (r.pods.length) {
      isvcLines.push(
        ...grid(
          ['POD', 'READY', 'PHASE', 'NODE', 'RESTARTS', 'REASON'],
          r.pods.map((p) => [p.name, p.ready, p.phase, p.node ?? '<none>', String(p.restarts), p.reason ?? '']),
          (row, col) => (col === 2 ? (r.pods[row]!.phase === 'Running' ? 'green' : r.pods[row]!.phase === 'Failed' ? 'red' : 'yellow') : undefined),
        ),
      )
    } else isvcLines.push([seg('  no pods yet', 'gray')])
  } else isvcLines.push([seg('  not created yet', 'gray')])
  sections.push({title: 'Inference service', lines: isvcLines})

  if (r.cache) {
    const c = r.cache
    const lines: Line[] = [[seg(`  ${c.name}  `), seg(c.status ?? 'Unknown', statusColor(c.status === 'Ready' ? 'Ready' : c.status)), seg(`  mode ${c.mode ?? '-'}`)]]
    for (const a of c.artifacts) {
      lines.push([seg(`  ${a.modelId ?? a.name}  `), seg(progressBar(a.percentage ?? 0), a.status === 'Ready' ? 'green' : a.status === 'Failed' ? 'red' : 'yellow'), seg(`  ${a.size ?? '?'}  ${a.status ?? 'Pending'}${a.pvc ? `  pvc/${a.pvc}` : ''}`)])
    }
    if (!c.artifacts.length) lines.push([seg('  no artifacts yet', 'gray')])
    sections.push({title: 'Cache', lines})
  }

  const routeLines: Line[] = r.routing.enabled
    ? [
        kv('  Route', r.routing.route ?? 'not created yet'),
        kv('  Gateway', r.routing.gateway ?? '(runtime config default)'),
        kv('  Path', r.routing.path ?? '-'),
        kv('  Accepted', r.routing.accepted ?? 'Unknown', r.routing.accepted === 'True' ? 'green' : 'yellow'),
      ]
    : [[seg('  disabled (enable with spec.routing.enabled or a runtime config)', 'gray')]]
  sections.push({title: 'Routing', lines: routeLines})

  if (r.autoscaling) {
    const a = r.autoscaling
    sections.push({
      title: 'Autoscaling',
      lines: [[seg(`  HPA ${a.hpa}: `), seg(a.found ? `min ${a.min ?? '-'}  max ${a.max ?? '-'}  current ${a.current ?? '-'}  desired ${a.desired ?? '-'}` : `not created yet (min ${a.min ?? '-'}, max ${a.max ?? '-'})`, a.found ? undefined : 'yellow')]],
    })
  }

  if (r.env.length) {
    sections.push({title: 'Environment', lines: r.env.map((e) => [seg(`  ${e.name}=`), e.from ? seg(`<from ${e.from}>`, 'gray') : seg(e.value ?? '')])})
  }

  sections.push({
    title: 'Recent warnings',
    lines: r.events.length
      ? grid(
          ['AGE', 'REASON', 'OBJECT', 'MESSAGE'],
          r.events.map((e) => [formatAge(e.lastTimestamp, nowMs), e.reason, e.object, `${e.message}${e.count > 1 ? ` (x${e.count}${e.firstTimestamp && e.lastTimestamp ? ` over ${formatAge(e.firstTimestamp, Date.parse(e.lastTimestamp))}` : ''})` : ''}`]),
          (_row, col) => (col === 1 ? 'red' : undefined),
        )
      : [[seg('  <none>', 'gray')]],
  })
  sections.push({title: 'Look closer with', lines: r.lookCloser.map((c) => [seg(`  ${c}`, 'cyan')])})
  if (r.errors.length) sections.push({title: 'Errors while collecting', lines: r.errors.map((e) => [seg(`  ${e}`, 'red')])})
  return sections
}

export function renderSectionsPlain(sections: Section[], color: boolean): string {
  const paintSeg = (s: Segment) => {
    if (!color || (!s.color && !s.bold)) return s.text
    const codes: Record<ColorName, number> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2}
    let t = s.text
    if (s.color) t = `\u001b[${codes[s.color]}m${t}\u001b[39m`
    if (s.bold) t = `\u001b[1m${t}\u001b[22m`
    return t
  }
  const out: string[] = []
  sections.forEach((sec, i) => {
    if (i > 0) out.push('')
    if (sec.title) out.push(color ? `\u001b[1m${sec.title}:\u001b[22m` : `${sec.title}:`)
    for (const line of sec.lines) out.push(line.map(paintSeg).join('').replace(/\s+$/, ''))
  })
  return out.join('\n')
}

export function renderStatusText(r: StatusReport, nowMs: number, color = false): string {
  return renderSectionsPlain(statusSections(r, nowMs), color)
}

/** The table of `kubectl aim status` without a name. */
export function renderServiceTable(rows: ServiceRow[], nowMs: number, options: {allNamespaces?: boolean; wide?: boolean} = {}): string {
  const headers = [...(options.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'STATUS', 'MODEL', 'TEMPLATE', 'REPLICAS', 'ENDPOINT', 'AGE', 'REASON', ...(options.wide ? ['MESSAGE'] : [])]
  const body = rows.map((r) => [
    ...(options.allNamespaces ? [r.namespace] : []),
    r.name,
    r.status,
    r.model || '<none>',
    r.template || '<none>',
    r.replicas || '-',
    r.endpoint || '<none>',
    formatAge(r.createdAt, nowMs),
    r.reason || (r.status === 'Running' ? '' : '-'),
    ...(options.wide ? [r.message ?? ''] : []),
  ])
  return table(headers, body)
}

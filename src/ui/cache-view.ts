/** Text views of template caches: the list table and the detail of one cache. */
import type {CacheInfo} from '../kube/cache.js'
import {cachePercent} from '../kube/cache.js'
import {formatAge, paint, progressBar, sortConditions, conditionSymbol, statusColor, table, type Style} from './format.js'

export function renderCacheTable(caches: CacheInfo[], nowMs: number, allNamespaces = false): string {
  const rows = caches.map((c) => {
    const ready = c.artifacts.filter((a) => a.status === 'Ready').length
    const pct = cachePercent(c)
    return [
      ...(allNamespaces ? [c.namespace] : []),
      c.name,
      c.template ?? '<none>',
      c.mode,
      c.status,
      `${ready}/${c.artifacts.length}`,
      c.artifacts.map((a) => a.size).filter(Boolean).join('+') || '-',
      pct === undefined ? '-' : `${pct}%`,
      c.usedBy.length ? c.usedBy.join(',') : '<none>',
      formatAge(c.createdAt, nowMs),
    ]
  })
  return table([...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'TEMPLATE', 'MODE', 'STATUS', 'ARTIFACTS', 'SIZE', 'PROGRESS', 'USED BY', 'AGE'], rows)
}

export function renderCacheDetail(c: CacheInfo, nowMs: number, style: Style): string {
  const out: string[] = []
  const kv = (k: string, v: string) => out.push(`${`${k}:`.padEnd(13)}${v}`)
  kv('Name', c.name)
  kv('Namespace', c.namespace)
  kv('Template', `${c.template ?? '-'}${c.templateScope ? ` (${c.templateScope})` : ''}`)
  kv('Mode', c.mode)
  kv('Status', paint(style, statusColor(c.status === 'Ready' ? 'Ready' : c.status), c.status))
  kv('Owner', c.owner ?? '<none> (shared: outlives the services that use it)')
  kv('Used by', c.usedBy.length ? c.usedBy.map((s) => `aimservice/${s}`).join(', ') : '<none>')
  kv('Age', formatAge(c.createdAt, nowMs))
  out.push('', 'Artifacts:')
  if (!c.artifacts.length) out.push('  <none yet>')
  for (const a of c.artifacts) {
    out.push(`  ${a.name}`)
    out.push(`    model:    ${a.modelId ?? '-'}  (${a.sourceUri ?? '-'})`)
    out.push(`    progress: ${progressBar(a.percentage ?? 0)}  ${a.size ?? '?'}  ${a.status ?? 'Pending'}`)
    out.push(`    pvc:      ${a.pvc ?? '<none yet>'}${a.pvcPhase ? `  ${a.pvcPhase}` : ''}${a.pvcCapacity ? `  ${a.pvcCapacity}` : ''}`)
  }
  if (c.conditions.length) {
    out.push('', 'Conditions:')
    for (const cond of sortConditions(c.conditions)) out.push(`  ${conditionSymbol(cond, style)} ${cond.type}  ${cond.reason ?? ''}${cond.message ? `  ${cond.message}` : ''}`)
  }
  return out.join('\n')
}

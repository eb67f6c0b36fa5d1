import {render} from 'ink-testing-library'
import {renderToString} from 'ink'
import {describe, expect, it} from 'vitest'
import {SectionsView} from '../../../src/ui/StatusView.js'
import {renderServiceTable, renderStatusText, statusSections} from '../../../src/ui/status-view.js'
import {formatAge, formatDuration, parseDuration, progressBar, table} from '../../../src/ui/format.js'
import {renderExplainText} from '../../../src/ui/why-view.js'
import type {StatusReport} from '../../../src/kube/report.js'
import type {ExplainReport} from '../../../src/kube/why.js'

const NOW = Date.parse('2026-01-01T01:00:00Z')

const report: StatusReport = {
  apiVersion: 'cli.aim.eai.amd.com/v1alpha1',
  kind: 'StatusReport',
  collectedAt: '2026-01-01T01:00:00Z',
  context: 'lab',
  service: {
    name: 'qwen-chat',
    namespace: 'ml-team',
    status: 'Starting',
    createdAt: '2026-01-01T00:48:00Z',
    generation: 2,
    observedGeneration: 1,
    model: {requested: 'qwen-qwen3-32b', resolved: 'qwen-qwen3-32b', scope: 'Cluster'},
    template: {name: 'qwen3-32b-latency', scope: 'Cluster', pinned: true},
    replicas: '1',
    cachingMode: 'Shared',
    blocking: {type: 'CacheReady', reason: 'CacheNotReady', message: 'Template cache is progressing'},
  },
  conditions: [
    {type: 'ModelReady', status: 'True', reason: 'ModelResolved', message: 'AIMClusterModel qwen-qwen3-32b is ready'},
    {type: 'CacheReady', status: 'False', reason: 'CacheNotReady', message: 'Template cache is progressing'},
    {type: 'Ready', status: 'False', reason: 'Progressing', message: 'Waiting for components to become ready'},
    {type: 'TemplateReady', status: 'False', reason: 'TemplateSelectionAmbiguous', message: 'tie'},
  ],
  pods: [],
  cache: {name: 'qwen3-32b-latency-5d2c1a9e', mode: 'Shared', status: 'Progressing', artifacts: [{name: 'hf---qwen', modelId: 'Qwen/Qwen3-32B', status: 'Progressing', size: '61 GiB', percentage: 45}]},
  routing: {enabled: true, gateway: 'gateways/inference-gateway', path: '/ml-team/qwen-chat', accepted: 'Unknown'},
  autoscaling: {hpa: 'keda-hpa-qwen-chat-a04542d9-predictor', found: true, min: 1, max: 5, current: 2, desired: 3},
  env: [{name: 'HF_TOKEN', from: 'secret huggingface-creds/token'}, {name: 'LOG', value: 'debug'}],
  events: [],
  lookCloser: ['kubectl -n ml-team describe aimservice qwen-chat'],
  errors: ['events: forbidden: cannot list events in namespace "ml-team"'],
}

describe('format helpers', () => {
  it('formats kubectl ages and parses durations', () => {
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(5 * 60_000 + 30_000)).toBe('5m30s')
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3h12m')
    expect(formatDuration(50 * 3_600_000)).toBe('2d2h')
    expect(formatAge('2026-01-01T00:48:00Z', NOW)).toBe('12m')
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('90')).toBe(90_000)
    expect(parseDuration('soon')).toBeUndefined()
  })

  it('draws progress bars and aligned tables', () => {
    expect(progressBar(45)).toBe('[#########...........]  45%')
    expect(table(['NAME', 'STATUS'], [['a', 'Running'], ['longer-name', 'Pending']])).toBe('NAME          STATUS\na             Running\nlonger-name   Pending')
  })
})

describe('status views', () => {
  it('plain text has every section, conditions sorted (Ready, errors, waiting, ok), no ANSI', () => {
    const text = renderStatusText(report, NOW)
    expect(text).not.toMatch(/\u001b\[/)
    const conds = text.split('\n').filter((l) => /^ {2}[✓✗…?] /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))
    expect(conds).toEqual(['… Ready', '✗ TemplateReady', '… CacheReady', '✓ ModelReady'])
    expect(text).toContain('Template:    qwen3-32b-latency (Cluster)  pinned by spec.template.name')
    expect(text).toContain('Generation:  2 (observed 1)')
    expect(text).toContain('Age:         12m')
    expect(text).toContain('Waiting on:  CacheReady CacheNotReady: Template cache is progressing')
    expect(text).toContain('Qwen/Qwen3-32B  [#########...........]  45%  61 GiB  Progressing')
    expect(text).toContain('HPA keda-hpa-qwen-chat-a04542d9-predictor: min 1  max 5  current 2  desired 3')
    expect(text).toContain('HF_TOKEN=<from secret huggingface-creds/token>')
    expect(text).toContain('Errors while collecting:\n  events: forbidden')
  })

  it('colours only when asked', () => {
    expect(renderStatusText(report, NOW, true)).toMatch(/\u001b\[33mStarting\u001b\[39m/)
  })

  it('the Ink view renders the same sections (ink-testing-library frame)', () => {
    const {lastFrame, unmount} = render(<SectionsView sections={statusSections(report, NOW)} footer="watching" />)
    const frame = lastFrame() ?? ''
    expect(frame).toContain('Conditions:')
    expect(frame).toContain('✗ TemplateReady')
    expect(frame).toContain('Status:      Starting')
    expect(frame).toContain('watching')
    unmount()
  })

  it('renderToString gives the same text as the plain renderer (modulo colour)', () => {
    const ink = renderToString(<SectionsView sections={statusSections(report, NOW)} />, {columns: 200})
    // eslint-disable-next-line no-control-regex
    const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).join('\n')
    expect(strip(ink)).toBe(strip(renderStatusText(report, NOW)))
  })

  it('the service table has a REASON column and NAMESPACE with -A', () => {
    const rows = [{namespace: 'ml-team', name: 'qwen-chat', status: 'Pending', model: 'm', template: '', replicas: '', endpoint: '', createdAt: '2026-01-01T00:00:00Z', reason: 'FailedScheduling'}]
    expect(renderServiceTable(rows, NOW, {allNamespaces: true})).toBe(
      'NAMESPACE   NAME        STATUS    MODEL   TEMPLATE   REPLICAS   ENDPOINT   AGE   REASON\nml-team     qwen-chat   Pending   m       <none>     -          <none>     60m   FailedScheduling',
    )
  })
})

describe('plain deploy progress', () => {
  it('prints a line per change, download % in 10% steps, no ANSI without colour', async () => {
    const {plainProgress} = await import('../../../src/ui/progress.js')
    const lines: string[] = []
    let t = 1000
    const sink = plainProgress((l) => lines.push(l), {color: false}, () => t)
    sink.stage({id: 'model', title: 'Model resolved', state: 'done', detail: 'qwen'})
    for (const p of [0, 3, 7, 12, 15, 100]) {
      t += 500
      sink.stage({id: 'cache', title: 'Model cache warm', state: 'running', detail: `${p}%`})
    }
    sink.stage({id: 'cache', title: 'Model cache warm', state: 'done'})
    sink.stage({id: 'route', title: 'Route ready', state: 'skipped'})
    expect(lines).toEqual([
      '   0.0s Model resolved: done (qwen)',
      '   0.5s Model cache warm: waiting (0%)',
      '   2.0s Model cache warm: waiting (12%)',
      '   3.0s Model cache warm: waiting (100%)',
      '   3.0s Model cache warm: done',
    ])
  })
})

describe('why view', () => {
  it('marks the winner with * and names the stage that dropped the others', () => {
    const r: ExplainReport = {
      apiVersion: 'cli.aim.eai.amd.com/v1alpha1',
      kind: 'ExplainReport',
      collectedAt: '',
      hypothetical: true,
      model: 'm',
      gpus: ['MI300X'],
      allowUnoptimized: false,
      outcome: 'selected',
      selected: 'a',
      tied: [],
      condition: {type: 'TemplateReady', status: 'True', reason: 'Resolved', message: 'AIMClusterServiceTemplate a is ready'},
      candidates: [
        {scope: 'Cluster', name: 'a', status: 'Ready', type: 'optimized', gpu: 'MI300X', gpuCount: 1, metric: 'latency', precision: 'fp16', reason: 'BestMatch', message: '', rank: 1, selected: true, tied: false},
        {scope: 'Cluster', name: 'b', status: 'NotAvailable', type: 'optimized', gpu: 'MI325X', gpuCount: 1, droppedAt: 'availability', reason: 'TemplateNotAvailable', message: 'Template status is NotAvailable, not Ready', selected: false, tied: false},
      ],
      notes: [],
    }
    const text = renderExplainText(r, {color: false})
    expect(text).toMatch(/^\*\s+1\s+Cluster\s+a\s+Ready\s+optimized\s+1 x MI300X\s+latency\s+fp16\s+selected \(BestMatch\)$/m)
    expect(text).toMatch(/^\s+-\s+Cluster\s+b\s+NotAvailable\s+optimized\s+1 x MI325X\s+-\s+-\s+dropped at availability: TemplateNotAvailable — Template status is NotAvailable, not Ready$/m)
    expect(text).toContain('Outcome: selected a')
  })
})

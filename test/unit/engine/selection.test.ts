import {describe, expect, it} from 'vitest'
import {PRECISION_ORDER, clusterGpus, selectTemplate, type SelectionInput} from '../../../src/engine/index.js'
import {node, service, template, type TemplateOpts} from './builders.js'

const NS = 'ml-team'
const MI300X = ['MI300X']

function run(templates: Array<[string, TemplateOpts]>, o: Partial<SelectionInput> & {spec?: Record<string, unknown>} = {}) {
  const all = templates.map(([n, t]) => template(n, t))
  return selectTemplate({
    service: service('qwen-chat', NS, o.spec ?? {model: {name: 'qwen'}}),
    modelName: 'modelName' in o ? o.modelName : 'qwen',
    namespacedTemplates: all.filter((t) => t.metadata.namespace),
    clusterTemplates: all.filter((t) => !t.metadata.namespace),
    gpus: o.gpus ?? MI300X,
    ...(o.overrides ? {overrides: o.overrides} : {}),
  })
}

function dropped(r: ReturnType<typeof run>, name: string) {
  const c = r.candidates.find((x) => x.name === name)!
  return {droppedAt: c.droppedAt, reason: c.reason}
}

describe('selectTemplate: outcome and condition', () => {
  it('one best template → TemplateReady True Resolved with the seed message', () => {
    const r = run([['qwen3-32b-latency', {gpu: 'MI300X', count: 1, metric: 'latency'}], ['qwen3-32b-throughput', {gpu: 'MI300X', count: 1, metric: 'throughput'}]])
    expect(r.outcome).toBe('selected')
    expect(r.selected?.name).toBe('qwen3-32b-latency')
    expect(r.selected?.selected).toBe(true)
    expect(r.condition).toEqual({type: 'TemplateReady', status: 'True', reason: 'Resolved', message: 'AIMClusterServiceTemplate qwen3-32b-latency is ready'})
    expect(r.health.state).toBe('Ready')
    const loser = r.candidates.find((c) => c.name === 'qwen3-32b-throughput')!
    expect(loser).toMatchObject({rank: 2, reason: 'LowerPreferenceRank'})
    expect(loser.droppedAt).toBeUndefined()
    expect(loser.selected).toBeUndefined()
    expect(r.selected?.score).toEqual([0, 1, 0, 4])
  })

  it('identical scores → TemplateSelectionAmbiguous naming the tied templates and the fix', () => {
    const r = run([['a', {gpu: 'MI300X'}], ['b', {gpu: 'MI300X'}], ['c', {gpu: 'MI300X', metric: 'throughput'}]])
    expect(r.outcome).toBe('ambiguous')
    expect(r.tied?.map((c) => c.name)).toEqual(['a', 'b'])
    expect(r.condition).toEqual({
      type: 'TemplateReady',
      status: 'False',
      reason: 'TemplateSelectionAmbiguous',
      message:
        'Template selection is ambiguous: 2 templates have identical preference scores: a (Cluster), b (Cluster); set spec.template.name to choose one, or remove duplicate templates',
    })
    expect(r.health).toMatchObject({state: 'Failed', error: 'InvalidSpec'})
    expect(r.selected).toBeUndefined()
  })

  it('templates exist but none is Ready → TemplateNotReady', () => {
    const r = run([['a', {status: 'Pending'}], ['b', {status: 'Progressing'}]])
    expect(r.outcome).toBe('notReady')
    expect(r.condition).toEqual({type: 'TemplateReady', status: 'False', reason: 'TemplateNotReady', message: 'Templates exist but are not ready yet'})
    expect(r.health.state).toBe('Pending')
  })

  it('no templates for the model → TemplateNotFound', () => {
    const r = run([['other', {model: 'llama'}]])
    expect(r.outcome).toBe('none')
    expect(r.candidates).toEqual([])
    expect(r.condition).toEqual({type: 'TemplateReady', status: 'False', reason: 'TemplateNotFound', message: 'No template found for service: no templates reference model qwen'})
  })

  it('every candidate filtered out → TemplateNotFound with the counts', () => {
    const r = run([['a', {gpu: 'MI325X'}], ['b', {type: 'unoptimized', gpu: 'MI300X'}]])
    expect(r.outcome).toBe('none')
    expect(r.condition.reason).toBe('TemplateNotFound')
    expect(r.condition.message).toBe('No template found for service: all 2 templates of model qwen were filtered out (1 RequiredGPUNotInCluster, 1 UnoptimizedTemplateFiltered)')
  })

  it('no resolved model → TemplateNotFound', () => {
    const r = run([['a', {}]], {modelName: undefined})
    expect(r.outcome).toBe('none')
    expect(r.condition.message).toBe('No template found for service: the model is not resolved yet')
  })
})

describe('selectTemplate: stages', () => {
  it('stage 1 availability: only Ready; reason per status', () => {
    const r = run([
      ['ok', {gpu: 'MI300X'}],
      ['p', {status: 'Pending'}],
      ['pr', {status: 'Progressing'}],
      ['na', {status: 'NotAvailable'}],
      ['d', {status: 'Degraded'}],
      ['f', {status: 'Failed'}],
      ['x', {status: ''}],
    ])
    expect(r.selected?.name).toBe('ok')
    expect(['p', 'pr', 'na', 'd', 'f', 'x'].map((n) => dropped(r, n))).toEqual([
      {droppedAt: 'availability', reason: 'TemplatePending'},
      {droppedAt: 'availability', reason: 'TemplateProgressing'},
      {droppedAt: 'availability', reason: 'TemplateNotAvailable'},
      {droppedAt: 'availability', reason: 'TemplateDegraded'},
      {droppedAt: 'availability', reason: 'TemplateFailed'},
      {droppedAt: 'availability', reason: 'TemplateNotReady'},
    ])
  })

  it('stage 2 optimization: unoptimized, preview and profile-less templates are excluded unless allowUnoptimized', () => {
    const ts: Array<[string, TemplateOpts]> = [
      ['unopt', {type: 'unoptimized', gpu: 'MI300X'}],
      ['prev', {type: 'preview', gpu: 'MI300X'}],
      ['bare', {noProfile: true, gpu: 'MI300X', metric: 'latency'}],
    ]
    const strict = run(ts)
    expect(strict.outcome).toBe('none')
    expect(dropped(strict, 'prev')).toEqual({droppedAt: 'optimization', reason: 'UnoptimizedTemplateFiltered'})
    expect(strict.candidates.find((c) => c.name === 'bare')?.type).toBe('unoptimized')
    const loose = run(ts, {spec: {model: {name: 'qwen'}, template: {allowUnoptimized: true}}})
    expect(loose.selected?.name).toBe('prev') // preview > unoptimized
  })

  it('stage 3 overrides: metric, precision (case-insensitive), GPU model and count', () => {
    const ts: Array<[string, TemplateOpts]> = [
      ['lat-fp8', {gpu: 'MI300X', count: 1, metric: 'latency', precision: 'fp8'}],
      ['thr-fp16', {gpu: 'MI300X', count: 2, metric: 'throughput', precision: 'fp16'}],
      ['lat-325', {gpu: 'MI325X', count: 1, metric: 'latency', precision: 'fp16'}],
    ]
    const gpus = ['MI300X', 'MI325X']
    expect(run(ts, {gpus, spec: {model: {name: 'qwen'}, overrides: {metric: 'Throughput'}}}).selected?.name).toBe('thr-fp16')
    expect(run(ts, {gpus, spec: {model: {name: 'qwen'}, overrides: {precision: 'FP8'}}}).selected?.name).toBe('lat-fp8')
    const byGpu = run(ts, {gpus, spec: {model: {name: 'qwen'}, overrides: {hardware: {gpu: {model: 'Instinct-MI300X'}}}}})
    expect(byGpu.selected?.name).toBe('lat-fp8')
    expect(dropped(byGpu, 'lat-325')).toEqual({droppedAt: 'overrides', reason: 'ServiceOverridesNotMatched'})
    expect(byGpu.candidates.find((c) => c.name === 'lat-325')?.message).toBe('GPU MI325X does not match override MI300X')
    const byCount = run(ts, {gpus, overrides: {gpuCount: 2}})
    expect(byCount.selected?.name).toBe('thr-fp16')
    expect(byCount.candidates.find((c) => c.name === 'lat-fp8')?.message).toBe('GPU count 1 does not match override 2')
  })

  it('stage 3: GPU count is compared only when both counts are > 0', () => {
    const r = run([['nocount', {gpu: 'MI300X'}]], {overrides: {gpuCount: 4}})
    expect(r.selected?.name).toBe('nocount')
  })

  it('stage 4 GPU: a template whose GPU is not in the cluster is dropped; CPU templates pass', () => {
    const r = run([['mi355', {gpu: 'MI355X'}], ['cpu', {}]], {gpus: clusterGpus([node('n1', {'amd.com/gpu.device-id': '74a1'})])})
    expect(dropped(r, 'mi355')).toEqual({droppedAt: 'gpu', reason: 'RequiredGPUNotInCluster'})
    expect(r.candidates.find((c) => c.name === 'mi355')?.message).toBe('Required GPU MI355X is not in the cluster (available: MI300X)')
    expect(r.selected?.name).toBe('cpu')
  })

  it('stage 5 scope: a namespace template beats a better-scored cluster template', () => {
    const r = run([['cluster-best', {gpu: 'MI300X', precision: 'fp4'}], ['ns-worse', {ns: NS, gpu: 'MI300X', precision: 'fp32', metric: 'throughput'}]])
    expect(r.selected).toMatchObject({name: 'ns-worse', scope: 'Namespace', kind: 'AIMServiceTemplate'})
    expect(dropped(r, 'cluster-best')).toEqual({droppedAt: 'scope', reason: 'NamespaceTemplatePreferred'})
    expect(r.condition.message).toBe('AIMServiceTemplate ns-worse is ready')
  })

  it('templates in other namespaces and of other models are not candidates', () => {
    const r = run([['elsewhere', {ns: 'other', gpu: 'MI300X'}], ['other-model', {model: 'llama', gpu: 'MI300X'}], ['mine', {gpu: 'MI300X'}]])
    expect(r.candidates.map((c) => c.name)).toEqual(['mine'])
    expect(r.selected?.scope).toBe('Cluster')
  })
})

describe('selectTemplate: preference tiers', () => {
  const gpus = ['MI325X', 'MI300X', 'MI250X', 'MI210', 'MI355X']
  const allow = {model: {name: 'qwen'}, template: {allowUnoptimized: true}}

  it('profile type first: optimized beats a better GPU, metric and precision', () => {
    const r = run([['prev', {type: 'preview', gpu: 'MI325X', precision: 'fp4'}], ['opt', {gpu: 'MI210', metric: 'throughput', precision: 'fp32'}]], {gpus, spec: allow})
    expect(r.selected?.name).toBe('opt')
  })

  it('GPU tier: MI325X > MI300X > MI250X > MI210 > unknown', () => {
    const order = ['MI325X', 'MI300X', 'MI250X', 'MI210', 'MI355X']
    const r = run(order.reverse().map((g) => [g.toLowerCase(), {gpu: g}] as [string, TemplateOpts]), {gpus})
    expect(r.selected?.name).toBe('mi325x')
    const ranks = Object.fromEntries(r.candidates.map((c) => [c.name, c.rank]))
    expect(ranks).toEqual({mi355x: 5, mi210: 4, mi250x: 3, mi300x: 2, mi325x: 1})
  })

  it('unknown GPUs tie with each other (MI355X vs MI350X) → ambiguous', () => {
    const r = run([['a', {gpu: 'MI355X'}], ['b', {gpu: 'MI350X'}]], {gpus: ['MI355X', 'MI350X']})
    expect(r.outcome).toBe('ambiguous')
  })

  it('GPU beats metric; metric latency beats throughput', () => {
    expect(run([['thr-325', {gpu: 'MI325X', metric: 'throughput'}], ['lat-300', {gpu: 'MI300X', metric: 'latency'}]], {gpus}).selected?.name).toBe('thr-325')
    expect(run([['thr', {gpu: 'MI300X', metric: 'throughput', precision: 'fp4'}], ['lat', {gpu: 'MI300X', metric: 'latency', precision: 'fp32'}]], {gpus}).selected?.name).toBe('lat')
  })

  it('precision: fp4 > int4 > fp8 > int8 > fp16 > bf16 > fp32; auto is unknown', () => {
    expect(PRECISION_ORDER).toEqual(['fp4', 'int4', 'fp8', 'int8', 'fp16', 'bf16', 'fp32'])
    const list = ['auto', 'fp32', 'bf16', 'fp16', 'int8', 'fp8', 'int4', 'fp4']
    for (let i = 0; i < list.length - 1; i++) {
      const worse = list[i]!
      const better = list[i + 1]!
      const r = run([[worse, {gpu: 'MI300X', precision: worse}], [better, {gpu: 'MI300X', precision: better}]], {gpus})
      expect(r.selected?.name, `${better} over ${worse}`).toBe(better)
    }
  })

  it('spec values are used when the template has no profile (allowUnoptimized)', () => {
    const r = run([['a', {noProfile: true, gpu: 'MI300X', metric: 'throughput'}], ['b', {noProfile: true, gpu: 'MI300X', metric: 'latency'}]], {gpus, spec: allow})
    expect(r.selected?.name).toBe('b')
    expect(r.selected).toMatchObject({metric: 'latency', gpu: 'MI300X', type: 'unoptimized'})
  })
})

describe('worked example: Qwen3-32B on an MI300X-only cluster (reference §11.3)', () => {
  it('picks the MI300X fp16 latency template', () => {
    const r = run(
      [
        ['q-1x-mi300x-lat-fp16', {gpu: 'MI300X', count: 1, metric: 'latency', precision: 'fp16'}],
        ['q-1x-mi300x-thr-fp16', {gpu: 'MI300X', count: 1, metric: 'throughput', precision: 'fp16'}],
        ['q-1x-mi325x-lat', {gpu: 'MI325X', count: 1, metric: 'latency', status: 'NotAvailable', type: 'unoptimized'}],
        ['q-1x-mi325x-thr', {gpu: 'MI325X', count: 1, metric: 'throughput', status: 'NotAvailable', type: 'unoptimized'}],
      ],
      {gpus: clusterGpus([node('w1', {'amd.com/gpu.device-id': '74a1', 'amd.com/gpu.vram': '192G'})])},
    )
    expect(r.selected?.name).toBe('q-1x-mi300x-lat-fp16')
    expect(r.candidates.filter((c) => c.droppedAt === 'availability').map((c) => c.reason)).toEqual(['TemplateNotAvailable', 'TemplateNotAvailable'])
  })
})

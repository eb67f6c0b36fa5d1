/**
 * The OME status view drawn by the Ink SectionsView (TTY) matches the plain rendering, and colours
 * switch on only when asked.
 */
import {describe, expect, it} from 'vitest'
import type {OMEStatusReport} from '../../src/kube/ome.js'
import {omeStatusSections, renderOmeStatusText} from '../../src/ui/ome-view.js'

const report: OMEStatusReport = {
  apiVersion: 'cli.aim.eai.amd.com/v1alpha1',
  kind: 'OMEStatusReport',
  collectedAt: '2026-01-01T00:10:00Z',
  context: 'test',
  service: {name: 'pd', namespace: 'default', createdAt: '2026-01-01T00:00:00Z', generation: 2, observedGeneration: 1, ready: 'False', reason: 'DecoderNotReady', message: 'Deployment pd-decoder has not reported availability yet', url: 'http://pd.default.example.com', prefillDecode: true},
  model: {name: 'deepseek-r1', kind: 'ClusterBaseModel', lookup: 'found', size: '671B', transitionStatus: 'BlockedByFailedLoad', targetModelState: 'FailedToLoad', failure: {reason: 'ModelLoadFailed', location: 'pd-engine-abc', message: 'container ome-container exited with code 1', exitCode: 1}},
  runtime: {name: 'srt-deepseek-r1', kind: 'ClusterServingRuntime', explicit: true, outcome: 'selected', reason: 'RuntimeSelected', message: ''},
  components: [
    {component: 'engine', mode: 'RawDeployment', minReplicas: 1, maxReplicas: 3, replicas: 1, pods: 1, readyPods: 0, condition: {type: 'EngineReady', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'}},
    {component: 'decoder', mode: 'MultiNode', minReplicas: 1, maxReplicas: 3, pods: 0, readyPods: 0, condition: {type: 'DecoderReady', status: 'Unknown', reason: 'Initializing'}},
  ],
  conditions: [],
  pods: [],
  events: [],
  lookCloser: ['kubectl -n default get inferenceservices.ome.io pd'],
  errors: [],
}

describe('OME status view', () => {
  it('plain text: prefill-decode, the load failure, each component, generation lag', () => {
    const text = renderOmeStatusText(report, Date.parse('2026-01-01T00:10:00Z'))
    const lines = text.split('\n')
    expect(lines).toContain('Ready:         False DecoderNotReady: Deployment pd-decoder has not reported availability yet')
    expect(lines).toContain('Model status:  FailedToLoad (BlockedByFailedLoad)')
    expect(lines).toContain('Runtime:       srt-deepseek-r1 (ClusterServingRuntime, spec.runtime.name)')
    expect(lines).toContain('Mode:          engine RawDeployment, decoder MultiNode  (prefill-decode disaggregated)')
    expect(lines).toContain('Load failure:  ModelLoadFailed on pd-engine-abc: container ome-container exited with code 1')
    expect(lines).toContain('Age:           10m')
    expect(lines).toContain('Generation:    2 (observed 1)')
    expect(lines).toContain('  Condition:     … EngineReady=False MinimumReplicasUnavailable: Deployment does not have minimum availability.')
    expect(lines).toContain('  Condition:     ? DecoderReady=Unknown Initializing')
    expect(lines).toContain('  Replicas:    min 1  max 3')
    expect(text).not.toMatch(/\u001b\[/)
    expect(renderOmeStatusText(report, Date.parse('2026-01-01T00:10:00Z'), true)).toMatch(/\u001b\[31m/)
  })

  it('the Ink view draws the same lines', async () => {
    const {renderToString} = await import('ink')
    const {createElement} = await import('react')
    const {SectionsView} = await import('../../src/ui/StatusView.js')
    const now = Date.parse('2026-01-01T00:10:00Z')
    const ink = renderToString(createElement(SectionsView, {sections: omeStatusSections(report, now)}), {columns: 200})
    // eslint-disable-next-line no-control-regex
    const plain = ink.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd())
    for (const line of ['Mode:          engine RawDeployment, decoder MultiNode  (prefill-decode disaggregated)', '  Ready pods:  0/1']) expect(plain).toContain(line)
  })
})

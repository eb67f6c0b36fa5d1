/**
 * What the AIM reconcilers react to, and what they write in one go: watches that skip changes a
 * reconciler does not read must still let through the ones it does, and a status computed once for
 * a virtual instant must carry every transition (and its Event) the separate writes did.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {registry} from '../../../src/api/registry.js'
import {createControllerManager} from '../../../simulator/controllers/index.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore} from '../../../simulator/store/index.js'
import {createHarness, QUICK_START, qwenModel, START, type Harness} from './harness.js'

let h: Harness | undefined
afterEach(() => {
  h?.stop()
  h = undefined
})

const kind = (k: string) => registry.kinds.find((i) => i.kind === k)!

const model = qwenModel(`  discovery:
    extractMetadata: false`)

/** A template whose status the test sets (its reconciler leaves paused objects alone). */
function pausedTemplate(name: string, status: string): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMServiceTemplate
metadata:
  name: ${name}
  namespace: ml-team
  annotations:
    aim.eai.amd.com/reconciliation-paused: "true"
spec:
  modelName: qwen-qwen3-32b
status:
  status: ${status}
`
}

const service = `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: chat
  namespace: ml-team
spec:
  model:
    name: qwen-qwen3-32b
`

describe('AIMService watches on templates', () => {
  it("follows a not-Ready template's status in selection's filtered-out counts while another template of the model is Ready", async () => {
    h = createHarness()
    h.apply(model)
    // Ready but without a profile: unoptimized, so selection filters it out.
    h.apply(pausedTemplate('a-pending', 'Pending'))
    h.apply(pausedTemplate('b-unoptimized', 'Ready'))
    h.apply(service)
    await h.settle()
    const message = (n: string) => `No template found for service: all 2 templates of model qwen-qwen3-32b were filtered out (1 ${n}, 1 UnoptimizedTemplateFiltered)`
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual(['False', 'TemplateNotFound', message('TemplatePending')])

    h.apply(pausedTemplate('a-pending', 'Progressing'))
    await h.settle()
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual(['False', 'TemplateNotFound', message('TemplateProgressing')])

    h.apply(pausedTemplate('a-pending', 'NotAvailable'))
    await h.settle()
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual(['False', 'TemplateNotFound', message('TemplateNotAvailable')])
  })

  it('waits with TemplateNotReady while no template is Ready, and selects the first one that becomes Ready', async () => {
    h = createHarness()
    h.apply(model)
    h.apply(pausedTemplate('a-pending', 'Pending'))
    h.apply(service)
    await h.settle()
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual(['False', 'TemplateNotReady', 'Templates exist but are not ready yet'])
    h.apply(pausedTemplate('a-pending', 'Progressing'))
    await h.settle()
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual(['False', 'TemplateNotReady', 'Templates exist but are not ready yet'])
    // An unoptimized Ready template: selection now filters it out and says so.
    h.apply(pausedTemplate('a-pending', 'Ready'))
    await h.settle()
    expect(h.cond(h.get('AIMService', 'ml-team', 'chat'), 'TemplateReady')).toEqual([
      'False',
      'TemplateNotFound',
      'No template found for service: all 1 templates of model qwen-qwen3-32b were filtered out (1 UnoptimizedTemplateFiltered)',
    ])
  })
})

describe('AIMService status writes', () => {
  it('writes the InferenceService it creates and its pods (none yet) in the same status as the cache becoming ready', async () => {
    h = createHarness()
    const writes: Array<Record<string, string>> = []
    const w = h.store.watch(kind('AIMService'), {namespace: 'ml-team'}, (ev) => {
      const s = ev.object as any
      if (s.metadata.name !== 'qwen-chat' || !s.status?.conditions) return
      writes.push(Object.fromEntries(s.status.conditions.map((c: any) => [c.type, `${c.status}/${c.reason}`])))
    })
    h.apply(QUICK_START)
    await h.settle()
    w.stop()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    const cacheReady = writes.findIndex((c) => c.CacheReady === 'True/CacheReady')
    expect(cacheReady).toBeGreaterThan(0)
    expect(writes[cacheReady - 1]!.CacheReady).not.toBe('True/CacheReady')
    expect(writes[cacheReady]).toMatchObject({InferenceServiceReady: 'False/CreatingRuntime', InferenceServicePodsReady: 'False/NoPods'})
    // Every transition still has its Event, in order.
    const reasons = h
      .list('Event', 'ml-team')
      .filter((e: any) => e.involvedObject.kind === 'AIMService' && e.involvedObject.name === 'qwen-chat')
      .map((e: any) => e.reason)
    expect(reasons.indexOf('CacheReady')).toBeGreaterThanOrEqual(0)
    expect(reasons.indexOf('NoPods')).toBeGreaterThan(reasons.indexOf('CacheReady'))
    const ready = s.status.conditions.find((c: any) => c.type === 'InferenceServicePodsReady')
    expect(ready.status).toBe('True')
  })
})

describe('AIMService and its InferenceService after Running', () => {
  const quickStart = QUICK_START
  const isvcOf = (hh: Harness) => hh.list('InferenceService', 'ml-team')[0]
  const container = (isvc: any) => isvc.spec.predictor.containers[0]

  it('puts back an InferenceService spec someone else changed, and follows a change of the service', async () => {
    h = createHarness()
    h.apply(quickStart)
    await h.settle()
    const before = isvcOf(h)
    expect(h.get('AIMService', 'ml-team', 'qwen-chat').status.status).toBe('Running')

    // Someone edits the InferenceService: the service's next reconcile restores what it applies.
    h.store.mutate(kind('InferenceService'), 'ml-team', before.metadata.name, (o: any) => {
      o.spec.predictor.containers[0].image = 'example.com/other:1'
      o.spec.predictor.maxReplicas = 5
    })
    await h.settle()
    const restored = isvcOf(h)
    expect(container(restored).image).toBe(container(before).image)
    expect(restored.spec.predictor.maxReplicas).toBe(before.spec.predictor.maxReplicas)

    // A label someone removes from it comes back too.
    h.store.mutate(kind('InferenceService'), 'ml-team', before.metadata.name, (o: any) => {
      delete o.metadata.labels['aim.eai.amd.com/service']
    })
    await h.settle()
    expect(isvcOf(h).metadata.labels['aim.eai.amd.com/service']).toBe('qwen-chat')

    // The service's own spec changes reach the InferenceService.
    h.store.mutate(kind('AIMService'), 'ml-team', 'qwen-chat', (o: any) => {
      o.spec.env = [{name: 'EXTRA_FLAG', value: 'on'}]
    })
    await h.settle()
    expect(container(isvcOf(h)).env).toEqual(expect.arrayContaining([{name: 'EXTRA_FLAG', value: 'on'}]))
  })
})

describe('AIMServiceTemplate discovery on the simulated cluster', () => {
  // A pod the scheduler can place is bound before the operator looks (its reconcilers wait for the
  // cluster's controllers), so a schedulable discovery pod shows no Pending step: none is asserted.
  it('reports every step of the discovery pod (pulling, ready, succeeded) as a transition with its Event', async () => {
    const clock = new VirtualClock(START)
    const store = createStore({clock, seed: 'watches'})
    const manager = createControllerManager({store, clock, seed: 'watches', nodes: 'mi300x=1'})
    manager.start()
    try {
      await manager.settle(60_000)
      store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'chat', namespace: 'default'}, spec: {model: {image: 'amdenterpriseai/aim-meta-llama-llama-3-2-3b-instruct:0.8.5'}}})
      await manager.settle(30 * 60_000)
      const svc = store.get(kind('AIMService'), 'default', 'chat') as any
      expect(svc.status.status).toBe('Running')
      const tpl = svc.status.resolvedTemplate.name
      const reasons = store
        .list(kind('Event'), {namespace: 'default'})
        .items.filter((e: any) => e.involvedObject.kind === 'AIMServiceTemplate' && e.involvedObject.name === tpl)
        .map((e: any) => e.reason)
      expect(reasons).toEqual(expect.arrayContaining(['PodsProgressing', 'PodsReady', 'PodsSucceeded', 'JobComplete', 'AllComponentsReady']))
      expect(reasons.indexOf('PodsReady')).toBeGreaterThan(reasons.indexOf('PodsProgressing'))
    } finally {
      manager.stop()
    }
  })
})

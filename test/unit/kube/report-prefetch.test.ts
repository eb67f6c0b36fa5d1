/**
 * prefetchReport: the reads that need only the service's name are sent before buildReport runs, and
 * buildReport uses them (and only for the same service) instead of asking again.
 */
import {describe, expect, it} from 'vitest'
import type {KindInfo} from '../../../src/api/registry.js'
import type {KubeClient} from '../../../src/kube/client.js'
import {buildReport, prefetchReport} from '../../../src/kube/report.js'
import type {AIMService} from '../../../src/kube/aim.js'

function fakeClient() {
  const calls: string[] = []
  const client = {
    namespace: 'ml',
    contextName: 'ctx',
    now: () => 0,
    list: async (info: KindInfo, opts: {namespace?: string; labelSelector?: string}) => {
      calls.push(`list ${info.plural} ${opts.namespace ?? ''} ${opts.labelSelector ?? ''}`.trim())
      if (info.plural === 'inferenceservices') return {items: [{apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: {name: 'svc-isvc', namespace: 'ml'}}]}
      if (info.plural === 'events') return {items: [{apiVersion: 'v1', kind: 'Event', metadata: {name: 'e'}, type: 'Warning', reason: 'BackOff', message: 'm', involvedObject: {kind: 'AIMService', name: 'svc'}}]}
      return {items: []}
    },
    tryGet: async () => undefined,
  }
  return {client: client as unknown as KubeClient, calls}
}

const svc: AIMService = {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'svc', namespace: 'ml'}, spec: {model: {name: 'm'}}} as AIMService

describe('prefetchReport', () => {
  it('sends the InferenceService and event lists at once, and buildReport does not ask again', async () => {
    const {client, calls} = fakeClient()
    const pre = prefetchReport(client, 'svc', 'ml')
    expect(calls).toEqual(['list inferenceservices ml aim.eai.amd.com/service.name=svc', 'list events ml'])
    const report = await buildReport(client, svc, new Date(0), pre)
    expect(calls).toEqual(['list inferenceservices ml aim.eai.amd.com/service.name=svc', 'list events ml', 'list pods ml serving.kserve.io/inferenceservice=svc-isvc'])
    expect(report.inferenceService?.name).toBe('svc-isvc')
    expect(report.events.map((e) => e.reason)).toEqual(['BackOff'])
    expect(report.errors).toEqual([])
  })

  it('is ignored for another service, and a failed prefetch is reported like a failed read', async () => {
    const {client, calls} = fakeClient()
    const other = prefetchReport(client, 'other', 'ml')
    await buildReport(client, svc, new Date(0), other)
    expect(calls.filter((c) => c.startsWith('list inferenceservices'))).toEqual(['list inferenceservices ml aim.eai.amd.com/service.name=other', 'list inferenceservices ml aim.eai.amd.com/service.name=svc'])
    const failing = {name: 'svc', namespace: 'ml', isvcs: Promise.reject(new Error('boom')), events: Promise.resolve({items: []})}
    failing.isvcs.catch(() => undefined)
    const report = await buildReport(client, svc, new Date(0), failing as never)
    expect(report.errors).toEqual(['inferenceservices: boom'])
  })
})

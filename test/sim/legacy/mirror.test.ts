/**
 * The legacy mirror writes aim.silogen.ai condition names (reference §13.1/13.2) on a failing
 * legacy AIMService too, and keeps lastTransitionTime while a condition's status holds.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {createOmeHarness, type OmeHarness} from '../ome/harness.js'

const LEGACY_SERVICES = {group: 'aim.silogen.ai', plural: 'aimservices'}
let h: OmeHarness
afterEach(() => h?.stop())

describe('legacy condition names on a failing aim.silogen.ai AIMService', () => {
  it('an unknown model: Resolved False ModelNotFound, Failure True, Progressing False', async () => {
    h = createOmeHarness({nodes: 'mi300x=1'})
    h.apply(`
apiVersion: aim.silogen.ai/v1alpha1
kind: AIMService
metadata: {name: ghost, namespace: default}
spec:
  aimModelId: no-such-model
`)
    await h.settle(10 * 60_000)
    const converted = h.get('AIMService', 'default', 'ghost')
    const legacy = h.store.get(LEGACY_SERVICES, 'default', 'ghost') as any
    const conds = Object.fromEntries(legacy.status.conditions.map((c: any) => [c.type, c]))
    expect(legacy.status.status).toBe(converted.status.status)
    expect(legacy.status.status).toBe('Failed')
    expect(conds.Resolved).toMatchObject({status: 'False', reason: 'ModelNotFound'})
    expect(conds.Failure).toMatchObject({status: 'True', reason: conds.Ready.reason})
    expect(conds.Progressing).toMatchObject({status: 'False', reason: 'Settled', message: 'Service is Failed'})
    expect(conds.ModelReady).toMatchObject({status: 'False', reason: 'ModelNotFound'})
    expect(legacy.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Resolved', 'False', 'ModelNotFound'],
      ['CacheReady', 'False', 'WaitingForCache'],
      ['RuntimeReady', 'False', 'RuntimeFailed'],
      ['Ready', 'False', 'ModelNotFound'],
      ['Progressing', 'False', 'Settled'],
      ['Failure', 'True', 'ModelNotFound'],
      ['ModelReady', 'False', 'ModelNotFound'],
      ['TemplateReady', 'False', 'TemplateNotFound'],
      ['InferenceServiceReady', 'False', 'CreatingRuntime'],
      ['ConfigValid', 'False', 'ReferenceNotFound'],
    ])
    // Nothing changes on a further reconcile pass: the mirror is stable (no rewrite).
    const rv = legacy.metadata.resourceVersion
    await h.settle(10 * 60_000)
    expect((h.store.get(LEGACY_SERVICES, 'default', 'ghost') as any).metadata.resourceVersion).toBe(rv)
  })
})

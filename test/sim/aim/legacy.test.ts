import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

describe('legacy aim.silogen.ai objects (seed 000)', () => {
  it('converts a legacy AIMService into an owned aim.eai.amd.com service and mirrors its status', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.silogen.ai/v1alpha1
kind: AIMService
metadata:
  name: llama-chat
  namespace: ml-team
spec:
  model:
    image: ghcr.io/silogen/aim-meta-llama-llama-3-1-8b-instruct:0.7.0
  kvCache:
    type: redis
`)
    await h.settle()
    const legacy = h.store.get({group: 'aim.silogen.ai', plural: 'aimservices'}, 'ml-team', 'llama-chat') as any
    const svc = h.get('AIMService', 'ml-team', 'llama-chat')
    expect(svc.apiVersion).toBe('aim.eai.amd.com/v1alpha1')
    expect(svc.metadata.ownerReferences[0]).toMatchObject({apiVersion: 'aim.silogen.ai/v1alpha1', kind: 'AIMService', name: 'llama-chat', uid: legacy.metadata.uid})
    expect(svc.status.status).toBe('Running')
    expect(legacy.status.status).toBe('Running')
    expect(legacy.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({status: 'True', reason: 'AllComponentsReady'})
    expect(h.get('AIMKVCache', 'ml-team', 'kvcache-llama-chat').status.status).toBe('Ready')

    h.store.delete({group: 'aim.silogen.ai', plural: 'aimservices'}, 'ml-team', 'llama-chat', {propagationPolicy: 'Background'})
    await h.settle()
    expect(h.get('AIMService', 'ml-team', 'llama-chat')).toBeUndefined()
    expect(h.list('InferenceService', 'ml-team')).toEqual([])
  })
})

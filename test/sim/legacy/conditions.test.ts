import {describe, expect, it} from 'vitest'
import {legacyServiceConditions} from '../../../simulator/controllers/legacy/conditions.js'

const c = (type: string, status: 'True' | 'False', reason = '', message = '') => ({type, status, reason, message})

describe('legacyServiceConditions (aim.silogen.ai condition names)', () => {
  it('a running service: every legacy condition True except Progressing and Failure', () => {
    const out = legacyServiceConditions({
      status: 'Running',
      conditions: [c('ModelReady', 'True', 'Ready'), c('TemplateReady', 'True', 'Selected'), c('CacheReady', 'True', 'Ready'), c('InferenceServiceReady', 'True', 'Ready'), c('HTTPRouteReady', 'True', 'Ready'), c('Ready', 'True', 'AllComponentsReady')],
    })
    expect(out.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['Resolved', 'True', 'Resolved'],
      ['CacheReady', 'True', 'CacheWarm'],
      ['RuntimeReady', 'True', 'RuntimeReady'],
      ['RoutingReady', 'True', 'RouteReady'],
      ['Ready', 'True', 'AllComponentsReady'],
      ['Progressing', 'False', 'Settled'],
      ['Failure', 'False', 'NoFailure'],
    ])
  })
  it('a failed service: Resolved False with the model reason, Failure True', () => {
    const out = legacyServiceConditions({
      status: 'Failed',
      conditions: [c('ModelReady', 'False', 'ModelNotFound', 'model "x" not found'), c('Ready', 'False', 'ModelNotFound', 'Component Model is not ready')],
    })
    expect(out.find((x) => x.type === 'Resolved')).toMatchObject({status: 'False', reason: 'ModelNotFound', message: 'model "x" not found'})
    expect(out.find((x) => x.type === 'Failure')).toMatchObject({status: 'True', reason: 'ModelNotFound', message: 'Component Model is not ready'})
    expect(out.some((x) => x.type === 'RuntimeReady')).toBe(false)
  })
  it('a starting service waiting for its cache and route', () => {
    const out = legacyServiceConditions({
      status: 'Starting',
      conditions: [c('CacheReady', 'False', 'CacheNotReady', 'Template cache is progressing'), c('InferenceServiceReady', 'False', 'CreatingRuntime'), c('HTTPRouteReady', 'False', 'PathTemplateInvalid', 'label team missing'), c('Ready', 'False', 'Progressing', 'Waiting')],
    })
    expect(Object.fromEntries(out.map((x) => [x.type, `${x.status} ${x.reason}`]))).toEqual({
      CacheReady: 'False WaitingForCache',
      RuntimeReady: 'False CreatingRuntime',
      RoutingReady: 'False PathTemplateInvalid',
      Ready: 'False Progressing',
      Progressing: 'True Progressing',
      Failure: 'False NoFailure',
    })
  })
})

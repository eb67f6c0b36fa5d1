import {describe, expect, it} from 'vitest'
import {toUserError} from '../../../src/kube/errors.js'

const svc = {verb: 'get' as const, resource: 'aimservices', name: 'qwen', namespace: 'ml-team', aim: true, server: 'https://10.0.0.1:6443'}

describe('toUserError', () => {
  it('maps HTTP statuses to one line', () => {
    expect(toUserError({code: 401, body: '{"kind":"Status","message":"Unauthorized"}'}, svc).message).toBe('You must be logged in to the server (Unauthorized)')
    expect(toUserError({code: 404, body: {kind: 'Status', message: 'aimservices.aim.eai.amd.com "qwen" not found', details: {name: 'qwen'}}}, svc).message).toBe('aimservices "qwen" not found in namespace "ml-team"')
    expect(toUserError({code: 404, body: {kind: 'Status', message: 'the server could not find the requested resource', details: {}}}, {...svc, verb: 'list', name: undefined}).message).toBe("the server doesn't have resource type aimservices: is the AIM Engine installed?")
    expect(toUserError({code: 404, body: '404 page not found'}, {verb: 'list', resource: 'httproutes', aim: false}).message).toBe("the server doesn't have resource type httproutes")
    const invalid = toUserError({code: 422, body: {message: 'AIMService.aim.eai.amd.com "qwen" is invalid: spec.model: Invalid value: "object": model selection is immutable after creation'}}, svc)
    expect(invalid.exitCode).toBe(2)
    expect(invalid.message).toContain('model selection is immutable after creation')
    expect(toUserError({code: 504, body: ''}, svc).message).toBe('timed out waiting for the server to get aimservices "qwen"')
  })

  it('maps network failures to "cannot reach" with the server', () => {
    const refused = Object.assign(new Error('request to https://10.0.0.1:6443/x failed, reason: connect ECONNREFUSED'), {code: 'ECONNREFUSED'})
    const e = toUserError(refused, svc)
    expect(e.message).toBe('cannot reach the Kubernetes API server at https://10.0.0.1:6443 (ECONNREFUSED)')
    expect(e.exitCode).toBe(1)
    const nested = toUserError({message: 'fetch failed', cause: {code: 'ENOTFOUND'}}, svc)
    expect(nested.message).toBe('cannot reach the Kubernetes API server at https://10.0.0.1:6443 (ENOTFOUND)')
    expect(toUserError(Object.assign(new Error('x'), {code: 'DEPTH_ZERO_SELF_SIGNED_CERT'}), svc).message).toBe('TLS error talking to https://10.0.0.1:6443: DEPTH_ZERO_SELF_SIGNED_CERT')
  })

  it('keeps only the first line of unknown errors', () => {
    expect(toUserError(new Error('boom\n    at x (y.js:1:1)'), svc).message).toBe('boom')
  })
})

import {describe, expect, it} from 'vitest'
import {redact} from '../../../src/kube/report.js'

describe('redact', () => {
  it('masks credential-looking text and keeps the rest', () => {
    expect(redact('pull failed: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc')).toBe('pull failed: Authorization: Bearer [REDACTED]')
    expect(redact('download with token=hf_abcdefghijklmnopqrstuv failed')).toBe('download with token=[REDACTED] failed')
    expect(redact('HF_TOKEN hf_abcdefghijklmnopqrstuv rejected')).toBe('HF_TOKEN [REDACTED] rejected')
    expect(redact('s3://AKIA:verysecret@bucket/path')).toBe('s3://[REDACTED]@bucket/path')
    expect(redact('password: "p a s s" used')).toBe('password: [REDACTED] used')
    expect(redact('0/2 nodes are available: 2 Insufficient amd.com/gpu.')).toBe('0/2 nodes are available: 2 Insufficient amd.com/gpu.')
  })
})

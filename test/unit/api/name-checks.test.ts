/**
 * validateObject skips building nameErrors' list when a quick check finds the name valid: the
 * metadata.name causes must stay exactly nameErrors' for every name, valid or not.
 */
import {describe, expect, it} from 'vitest'
import {registry} from '../../../src/api/registry.js'
import {nameErrors, validateObject} from '../../../src/api/validation.js'
import {seededRandom} from '../../../simulator/controllers/runtime.js'

// Characters the name rules treat specially, plus some they reject (upper case, '_', '/', '\n', non-ASCII).
const ALPHABET = ['a', 'z', '0', '9', 'k', '-', '.', '_', 'A', '/', '\n', 'é', 'm']

describe('metadata.name validation', () => {
  it('gives nameErrors’ causes (and only those) for random names of Namespaces, Services, Events and AIMServices', () => {
    const kinds = [
      registry.forKind('v1', 'Namespace')!,
      registry.forKind('v1', 'Service')!,
      registry.forKind('v1', 'Event')!,
      registry.forKind('aim.eai.amd.com/v1alpha1', 'AIMService')!,
    ]
    const r = seededRandom('names')
    let valid = 0
    for (let i = 0; i < 4000; i++) {
      const info = kinds[i % kinds.length]!
      let name = ''
      const n = 1 + Math.floor(r() * 8)
      for (let j = 0; j < n; j++) name += ALPHABET[Math.floor(r() * ALPHABET.length)]!
      if (r() < 0.05) name = 'a'.repeat(60 + Math.floor(r() * 200))
      const obj = {apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind, metadata: {name, namespace: 'ns'}}
      const got = validateObject(info, obj).filter((c) => c.field === 'metadata.name')
      const want = nameErrors(info, name).map((msg) => ({reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: ${msg}`}))
      expect(got, JSON.stringify(name)).toEqual(want)
      if (want.length === 0) valid++
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(valid).toBeGreaterThan(400)
    expect(valid).toBeLessThan(3600)
  })
})

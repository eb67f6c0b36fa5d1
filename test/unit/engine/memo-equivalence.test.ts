/**
 * The engine keeps some derived values (hash digests, model names by image) and reads stored, frozen
 * condition lists with indexed loops: each must give exactly what the plain computation gives.
 */
import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {goJson, hashInputs, modelNameFromImage, generateDerivedName, getCondition, rollupStatus} from '../../../src/engine/index.js'
import {extractImageParts} from '../../../src/engine/naming.js'
import type {Condition} from '../../../src/api/object.js'

const direct = (inputs: unknown[], length = 8) => createHash('sha256').update(inputs.map(goJson).join('|')).digest('hex').slice(0, length)

describe('hashInputs (digests kept per input text)', () => {
  it('gives the direct sha256 on first and repeated calls, for any length', () => {
    const cases: unknown[][] = [[], ['team-0'], ['a', 'b'], ['a|b'], [null, undefined, 1, {x: '<&>'}], ['\u2028'], ['a', ''], ['', 'a']]
    for (let round = 0; round < 2; round++) for (const inputs of cases) for (const length of [4, 8, 12, 64]) expect(hashInputs(inputs, length)).toBe(direct(inputs, length))
  })
})

describe('modelNameFromImage (kept per image)', () => {
  it('equals the derived name from the image parts, again when asked twice', () => {
    for (const image of ['amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', 'ghcr.io/x/y@sha256:abcdef0123', 'localhost:5000/m:latest']) {
      const p = extractImageParts(image)
      const want = generateDerivedName([p.name, p.tag], [image])
      expect(modelNameFromImage(image)).toBe(want)
      expect(modelNameFromImage(image)).toBe(want)
    }
  })

  it('still throws for an invalid image each time', () => {
    expect(() => modelNameFromImage('')).toThrow()
    expect(() => modelNameFromImage('')).toThrow()
  })
})

describe('condition lookups on frozen lists', () => {
  const list: Condition[] = [
    {type: 'A', status: 'True', reason: 'r1', message: ''},
    {type: 'B', status: 'False', reason: 'r2', message: ''},
    {type: 'A', status: 'False', reason: 'r3', message: ''},
  ] as Condition[]

  it('getCondition returns the first of a type, as find does, frozen or not', () => {
    for (const l of [list, Object.freeze([...list])]) {
      for (const type of ['A', 'B', 'C']) expect(getCondition(l, type)).toBe(l.find((c) => c.type === type))
    }
    expect(getCondition(undefined, 'A')).toBeUndefined()
  })

  it('rollupStatus reads the last previous condition of a type (as a Map built from the list holds)', () => {
    const previous = Object.freeze([
      {type: 'DependenciesReachable', status: 'True', reason: 'x', message: ''},
      {type: 'DependenciesReachable', status: 'False', reason: 'y', message: ''},
      {type: 'AuthValid', status: 'False', reason: 'z', message: ''},
      {type: 'AuthValid', status: 'True', reason: 'w', message: ''},
    ]) as readonly Condition[]
    const r = rollupStatus([{component: 'Model', state: 'Ready', reason: 'Ok', message: ''}], {previous})
    expect(r.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['ModelReady', 'True', 'Ok'],
      ['DependenciesReachable', 'True', 'Reachable'],
      ['Ready', 'True', 'AllComponentsReady'],
    ])
  })
})

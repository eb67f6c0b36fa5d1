import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {seededSuffix, seededUid} from '../../../simulator/store/util.js'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('seeded ids', () => {
  it('derive generateName suffixes from sha256 of seed and counter', () => {
    for (const [seed, counter] of [['bench', 1], ['test', 42], ['ünïcode', 7]] as const) {
      const bytes = createHash('sha256').update(`${seed}\u0000name\u0000${counter}`).digest()
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
      expect(seededSuffix(seed, counter)).toBe([0, 1, 2, 3, 4].map((i) => alphabet[bytes[i]! % alphabet.length]).join(''))
    }
  })

  it('make uids in UUID v4 shape, the same for the same seed and counter', () => {
    for (const [seed, counter] of [['bench', 1], ['test', 42], ['ünïcode', 7], ['bench', 0], ['bench', 2 ** 32 + 5], ['bench', Number.MAX_SAFE_INTEGER]] as const) {
      const uid = seededUid(seed, counter)
      expect(uid).toMatch(UUID_V4)
      expect(seededUid(seed, counter)).toBe(uid)
    }
    // Pinned, so that a change of the generator (and of every seeded cluster's uids) is deliberate.
    expect([seededUid('bench', 1), seededUid('kubectl-aim', 1)]).toMatchInlineSnapshot(`
      [
        "0de71cde-0645-4f2a-9b01-33646b1903f5",
        "cf290974-ee6d-4d45-9489-7715a4354a2b",
      ]
    `)
  })

  it('give distinct uids to distinct counters, and different ones per seed', () => {
    const seen = new Set<string>()
    for (let counter = 0; counter < 200_000; counter++) seen.add(seededUid('bench', counter))
    for (const counter of [2 ** 32, 2 ** 32 + 1, 2 ** 40, 2 ** 52]) seen.add(seededUid('bench', counter))
    expect(seen.size).toBe(200_004)
    for (let counter = 1; counter < 1000; counter++) expect(seededUid('bench/dry-run', counter)).not.toBe(seededUid('bench', counter))
  })

  it('spread the counter over every hex digit (no digit stuck at a few values)', () => {
    const variants = new Set<string>()
    const perPlace: Array<Set<string>> = Array.from({length: 36}, () => new Set())
    for (let counter = 1; counter <= 2000; counter++) {
      const uid = seededUid('bench', counter)
      for (let i = 0; i < 36; i++) perPlace[i]!.add(uid[i]!)
      variants.add(uid[19]!)
    }
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) expect([...perPlace[i]!]).toEqual(['-'])
      else if (i === 14) expect([...perPlace[i]!]).toEqual(['4'])
      else if (i === 19) expect([...variants].sort()).toEqual(['8', '9', 'a', 'b'])
      else expect(perPlace[i]!.size).toBe(16)
    }
  })
})

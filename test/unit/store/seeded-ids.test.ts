import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {seededSuffix, seededUid} from '../../../simulator/store/util.js'

describe('seeded ids', () => {
  it('derive uids and generateName suffixes from sha256 of seed and counter, as before the one-shot hash', () => {
    for (const [seed, counter] of [['bench', 1], ['test', 42], ['ünïcode', 7]] as const) {
      const h = createHash('sha256').update(`${seed}\u0000uid\u0000${counter}`).digest('hex')
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
      expect(seededUid(seed, counter)).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`)
      const bytes = createHash('sha256').update(`${seed}\u0000name\u0000${counter}`).digest()
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
      expect(seededSuffix(seed, counter)).toBe([0, 1, 2, 3, 4].map((i) => alphabet[bytes[i]! % alphabet.length]).join(''))
    }
    expect(seededUid('bench', 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})

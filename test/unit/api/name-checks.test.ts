/**
 * The one-pass name and label-value checks validation uses on every write must accept exactly what
 * kube-apiserver's regexes accept.
 */
import {describe, expect, it} from 'vitest'
import {DNS1123_SUBDOMAIN, LABEL_VALUE, isDns1123Subdomain, isLabelValue, nameErrors} from '../../../src/api/validation.js'
import {seededRandom} from '../../../simulator/controllers/runtime.js'

// Characters either check treats specially, plus some it rejects (upper case, '/', '\n', non-ASCII).
const ALPHABET = ['a', 'z', '0', '9', 'k', '-', '.', '_', 'A', 'Z', '/', ' ', '\n', 'é', 'm', 'x']

function randomString(r: () => number): string {
  const n = Math.floor(r() * 9)
  let s = ''
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)]!
  return s
}

describe('one-pass name checks', () => {
  it('isDns1123Subdomain and isLabelValue agree with the regexes on random strings', () => {
    const r = seededRandom('names')
    let subdomains = 0
    let values = 0
    for (let i = 0; i < 20000; i++) {
      const s = randomString(r)
      expect(isDns1123Subdomain(s), JSON.stringify(s)).toBe(DNS1123_SUBDOMAIN.test(s))
      expect(isLabelValue(s), JSON.stringify(s)).toBe(LABEL_VALUE.test(s))
      if (DNS1123_SUBDOMAIN.test(s)) subdomains++
      if (LABEL_VALUE.test(s)) values++
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(subdomains).toBeGreaterThan(500)
    expect(values).toBeGreaterThan(500)
  })

  it('agree on the edge cases', () => {
    for (const s of ['', 'a', '-', '.', 'a.', '.a', 'a-', '-a', 'a..b', 'a.-b', 'a-.b', 'a-b.c-d', 'pod-1.1a2b3c4d', 'a\n', 'A', 'a_b', 'a.b_c', '_a', 'a_', 'a-_-.b']) {
      expect(isDns1123Subdomain(s), JSON.stringify(s)).toBe(DNS1123_SUBDOMAIN.test(s))
      expect(isLabelValue(s), JSON.stringify(s)).toBe(LABEL_VALUE.test(s))
    }
  })

  it('nameErrors keeps its messages', () => {
    const info = {group: '', kind: 'Event'}
    expect(nameErrors(info, 'pod-1.187b2a')).toEqual([])
    expect(nameErrors(info, 'Pod')).toHaveLength(1)
    expect(nameErrors(info, 'Pod')[0]).toMatch(/^a lowercase RFC 1123 subdomain must consist of/)
    expect(nameErrors(info, 'a'.repeat(254))).toEqual(['must be no more than 253 characters'])
  })
})

import {describe, expect, it} from 'vitest'
import {BoundedCache} from '../../src/memo.js'

describe('BoundedCache', () => {
  it('computes a key once, stores nothing when the compute throws, and empties itself when full', () => {
    const cache = new BoundedCache<string, string>(2)
    const computed: string[] = []
    const upper = (k: string) => {
      computed.push(k)
      if (k === 'bad') throw new Error('bad key')
      return k.toUpperCase()
    }
    expect(cache.get('a', upper)).toBe('A')
    expect(cache.get('a', upper)).toBe('A')
    expect(() => cache.get('bad', upper)).toThrow('bad key')
    expect(() => cache.get('bad', upper)).toThrow('bad key')
    expect(cache.get('b', upper)).toBe('B')
    // Full (a, b): c empties it, so a is computed again.
    expect(cache.get('c', upper)).toBe('C')
    expect(cache.get('a', upper)).toBe('A')
    expect(computed).toEqual(['a', 'bad', 'bad', 'b', 'c', 'a'])
  })
})

/**
 * Values computed from a key (an input text, an image, a seed, a selector) that the simulator asks
 * for over and over. Bounded by emptying the cache when it is full: the keys in use come back at
 * once, and nothing has to track their age. A compute that throws stores nothing.
 */
export class BoundedCache<K, V> {
  private readonly values = new Map<K, V>()

  constructor(private readonly max: number) {}

  get(key: K, compute: (key: K) => V): V {
    let value = this.values.get(key)
    if (value === undefined) {
      value = compute(key)
      if (this.values.size >= this.max) this.values.clear()
      this.values.set(key, value)
    }
    return value
  }
}

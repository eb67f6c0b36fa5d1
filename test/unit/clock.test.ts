import {describe, expect, it} from 'vitest'
import {VirtualClock} from '../../simulator/clock/index.js'

describe('VirtualClock', () => {
  it('fires timers in due order, ties in scheduling order, and stops at the target time', async () => {
    const clock = new VirtualClock(0)
    const fired: string[] = []
    clock.setTimeout(() => fired.push('b@20'), 20)
    clock.setTimeout(() => fired.push('a@10'), 10)
    clock.setTimeout(() => fired.push('c@20'), 20)
    clock.setTimeout(() => fired.push('d@31'), 31)
    await clock.advance(30)
    expect(fired).toEqual(['a@10', 'b@20', 'c@20'])
    expect(clock.now()).toBe(30)
    expect(clock.nextDueIn()).toBe(1)
  })

  it('runs a timer scheduled by a firing timer within the same advance when it falls due', async () => {
    const clock = new VirtualClock(0)
    const seen: number[] = []
    clock.setTimeout(() => {
      seen.push(clock.now())
      clock.setTimeout(() => seen.push(clock.now()), 5)
    }, 10)
    await clock.advance(20)
    expect(seen).toEqual([10, 15])
  })

  it('never lets two advances overlap, so time only moves forward', async () => {
    const clock = new VirtualClock(0)
    const times: number[] = []
    for (const at of [5, 15, 25]) clock.setTimeout(() => times.push(clock.now()), at)
    await Promise.all([clock.advance(10), clock.advance(10), clock.advance(10)])
    expect(times).toEqual([5, 15, 25])
    expect(clock.now()).toBe(30)
  })

  it('clearTimeout cancels a pending timer', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 10)
    clock.clearTimeout(handle)
    await clock.advance(100)
    expect(fired).toBe(false)
    expect(clock.pendingTimers()).toBe(0)
  })

  it('stopRealTime resolves only after the tick in flight stops firing timers', async () => {
    const clock = new VirtualClock(0)
    clock.startRealTime(1_000_000, 1)
    let firedAfterStop = 0
    let stopped = false
    // A long chain of timers keeps a tick busy; none may fire once stopRealTime has resolved.
    const chain = (n: number): void => {
      if (stopped) firedAfterStop++
      if (n > 0) clock.setTimeout(() => chain(n - 1), 1)
    }
    chain(100_000)
    await new Promise((resolve) => setTimeout(resolve, 30))
    await clock.stopRealTime()
    stopped = true
    const pending = clock.pendingTimers()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(firedAfterStop).toBe(0)
    expect(clock.pendingTimers()).toBe(pending)
  })
})

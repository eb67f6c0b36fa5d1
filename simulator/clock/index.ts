/**
 * The simulator's virtual clock. Every delay in the simulated cluster (discovery, downloads,
 * image pulls, model load) is a timer on this clock, so tests move time with advance() instead of
 * sleeping, and the `simulate` command runs it at real time × speed.
 */

export interface TimerHandle {
  readonly id: number
}

interface Timer {
  id: number
  due: number
  seq: number
  fn: () => void
}

export class VirtualClock {
  private current: number
  private seq = 0
  private timers: Timer[] = []
  private realTimeHandle: NodeJS.Timeout | undefined
  /** The advance in progress; advances never overlap, so time only moves forward. */
  private inFlight: Promise<void> | undefined
  private halted = false
  private readonly listeners = new Set<() => void>()
  private isoAt = Number.NaN
  private iso = ''

  constructor(startMs = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.current = startMs
  }

  /** Virtual milliseconds since the epoch. */
  now(): number {
    return this.current
  }

  /** RFC 3339 with second precision, the form Kubernetes timestamps take. */
  nowISO(): string {
    // Reconcilers ask many times per virtual instant; format once per instant.
    if (this.isoAt !== this.current) {
      this.isoAt = this.current
      this.iso = new Date(this.current).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }
    return this.iso
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer: Timer = {id: ++this.seq, due: this.current + Math.max(0, delayMs), seq: this.seq, fn}
    // Keep the list sorted by (due, seq) so firing order is deterministic.
    let index = this.timers.length
    while (index > 0 && compare(this.timers[index - 1]!, timer) > 0) index--
    this.timers.splice(index, 0, timer)
    this.notify()
    return {id: timer.id}
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return
    const index = this.timers.findIndex((t) => t.id === handle.id)
    if (index >= 0) this.timers.splice(index, 1)
  }

  /** Milliseconds until the next timer, or undefined when none is pending. */
  nextDueIn(): number | undefined {
    const next = this.timers[0]
    return next === undefined ? undefined : Math.max(0, next.due - this.current)
  }

  pendingTimers(): number {
    return this.timers.length
  }

  /**
   * Move virtual time forward by `ms`, firing every timer that falls due, in order. Between
   * timers it yields to the microtask and macrotask queue so that async work triggered by a
   * timer (reconciles, store writes) runs before the next timer fires.
   */
  async advance(ms: number): Promise<void> {
    while (this.inFlight) await this.inFlight
    const run = this.advanceNow(ms)
    this.inFlight = run
    try {
      await run
    } finally {
      if (this.inFlight === run) this.inFlight = undefined
    }
  }

  private async advanceNow(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms)
    for (;;) {
      await drainAsyncWork()
      if (this.halted) return
      const next = this.timers[0]
      if (next === undefined || next.due > target) break
      // Every timer due at this instant, in order. Between two of them the promise jobs the first
      // one started (the controller runtime's reconciles run as one) finish before the next fires;
      // the macrotask queue (I/O) gets its turn once per instant rather than once per timer.
      const due = next.due
      if (due > this.current) this.current = due
      for (;;) {
        const timer = this.timers[0]
        if (timer === undefined || timer.due !== due || this.halted) break
        this.timers.shift()
        timer.fn()
        await drainPromiseJobs()
      }
    }
    this.current = target
    await drainAsyncWork()
  }

  /** Run the clock against wall time: each real second moves `speed` virtual seconds. */
  startRealTime(speed = 10, tickMs = 20): void {
    if (this.realTimeHandle) clearInterval(this.realTimeHandle)
    this.halted = false
    let last = Date.now()
    this.realTimeHandle = setInterval(() => {
      // A tick that finds the previous one still firing timers waits; the wall time it missed is
      // carried into the next tick, so virtual time still keeps pace.
      if (this.inFlight) return
      const now = Date.now()
      const elapsed = (now - last) * speed
      last = now
      void this.advance(elapsed)
    }, tickMs)
    this.realTimeHandle.unref()
  }

  /**
   * Stop following wall time. Resolves once the tick in flight has stopped firing timers, so a
   * caller can close what those timers write to (the store) without racing them.
   */
  async stopRealTime(): Promise<void> {
    if (!this.realTimeHandle) return
    clearInterval(this.realTimeHandle)
    this.realTimeHandle = undefined
    this.halted = true
    while (this.inFlight) await this.inFlight
    this.halted = false
  }

  /** Called whenever a timer is added; lets a runner wake up when new work is scheduled. */
  onSchedule(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private notify(): void {
    for (const listener of this.listeners) listener()
  }
}

function compare(a: Timer, b: Timer): number {
  return a.due - b.due || a.seq - b.seq
}

/**
 * Let the promise jobs queued so far run, and the ones they queue in turn, a few levels deep
 * (without waiting for the macrotask queue).
 */
async function drainPromiseJobs(levels = 4): Promise<void> {
  for (let i = 0; i < levels; i++) await undefined
}

/** Let pending promise callbacks and immediates run. */
export async function drainAsyncWork(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

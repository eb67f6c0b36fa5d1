/**
 * Deploy progress on stderr. Non-TTY / CI: plain lines with the elapsed time (kn style), one per
 * change, no spinners. TTY: listr2 tasks, one per stage, titles updated in place.
 */
import type {ProgressSink, StageState} from '../kube/deploy.js'
import {paint, type Style} from './format.js'

function elapsed(startMs: number, nowMs: number): string {
  return `${((nowMs - startMs) / 1000).toFixed(1)}s`.padStart(7)
}

export function plainProgress(write: (line: string) => void, style: Style, now: () => number = Date.now): ProgressSink {
  const start = now()
  const lastPercent = new Map<string, number>()
  return {
    stage(s: StageState) {
      if (s.state === 'pending' || s.state === 'skipped') return
      // Download progress: one line per 10% step, not one per update.
      const pct = s.state === 'running' && s.detail ? /^(\d+)%$/.exec(s.detail) : null
      if (pct) {
        const step = Math.floor(Number(pct[1]) / 10)
        if (lastPercent.get(s.id) === step) return
        lastPercent.set(s.id, step)
      }
      const mark = s.state === 'done' ? paint(style, 'green', 'done') : s.state === 'failed' ? paint(style, 'red', 'failed') : 'waiting'
      write(`${elapsed(start, now())} ${s.title}: ${mark}${s.detail ? ` (${s.detail})` : ''}`)
    },
    note(text: string) {
      write(`${elapsed(start, now())} ${text}`)
    },
    close() {},
  }
}

/** listr2 in a TTY: each stage a task whose promise resolves when the stage is done. */
export async function listrProgress(stages: Array<{id: string; title: string}>): Promise<ProgressSink> {
  const {Listr} = await import('listr2')
  type Waiter = {resolve: () => void; reject: (e: Error) => void; setTitle?: (t: string) => void; skip?: () => void}
  const waiters = new Map<string, Waiter>()
  const promises = new Map<string, Promise<void>>()
  const lastTitle = new Map<string, string>()
  const skipped = new Set<string>()
  for (const s of stages) {
    let w!: Waiter
    const p = new Promise<void>((resolve, reject) => (w = {resolve, reject}))
    p.catch(() => undefined)
    waiters.set(s.id, w)
    promises.set(s.id, p)
  }
  const list = new Listr(
    stages.map((s) => ({
      title: s.title,
      task: async (_ctx: unknown, task: {title: string; skip: (m?: string) => void}) => {
        const w = waiters.get(s.id)!
        if (skipped.has(s.id)) {
          task.skip(`${s.title}: not configured`)
          return
        }
        w.setTitle = (t) => (task.title = t)
        w.skip = () => task.skip(`${s.title}: not configured`)
        const t = lastTitle.get(s.id)
        if (t) task.title = t
        await promises.get(s.id)
      },
    })),
    {concurrent: false, exitOnError: true, rendererOptions: {collapseErrors: false}},
  )
  const running = list.run().catch(() => undefined)
  return {
    stage(s: StageState) {
      const w = waiters.get(s.id)
      if (!w) return
      const title = `${s.title}${s.detail ? ` (${s.detail})` : ''}`
      lastTitle.set(s.id, title)
      w.setTitle?.(title)
      if (s.state === 'done') w.resolve()
      else if (s.state === 'skipped') {
        skipped.add(s.id)
        w.skip?.()
        w.resolve()
      } else if (s.state === 'failed') w.reject(new Error(title))
    },
    note() {},
    async close(ok: boolean) {
      if (!ok) for (const w of waiters.values()) w.reject(new Error('stopped'))
      await running
    },
  }
}

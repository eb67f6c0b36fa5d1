/**
 * Durable state for the store: one append-only file of JSON lines. Opening the store loads the
 * file (a torn last line from a crash is ignored), then compacts it: a snapshot is written to a
 * temporary file, fsynced and renamed over the old one. Every write is appended (in the page cache,
 * so it survives `kill -9` of the process) and, by default, fdatasynced before the store returns.
 * In 'deferred' sync mode the fdatasync waits for the end of the current event-loop turn, or for an
 * explicit flush() — the API server flushes before any byte of a response or watch event leaves,
 * so nothing a client has seen is lost to a power cut either, and a burst of controller writes
 * costs one fdatasync instead of one each.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {KubeObject} from '../../src/api/object.js'

export type JournalRecord =
  | {t: 'h'; v: 1; rv: number; u: number; s: number}
  | {t: 'p'; g: string; p: string; o: KubeObject; rv?: number; u?: number; s?: number}
  | {t: 'd'; g: string; p: string; ns: string; n: string; rv: number; u: number; s: number}

export interface LoadedState {
  rv: number
  uidSeq: number
  nameSeq: number
  objects: Array<{obj: KubeObject; group: string; plural: string}>
}

/** Read a state file; undefined when it does not exist. Unparseable (torn) lines are skipped. */
export function loadState(file: string): LoadedState | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  const objects = new Map<string, {obj: KubeObject; group: string; plural: string}>()
  const state: LoadedState = {rv: 0, uidSeq: 0, nameSeq: 0, objects: []}
  for (const line of text.split('\n')) {
    if (line === '') continue
    let rec: JournalRecord
    try {
      rec = JSON.parse(line) as JournalRecord
    } catch {
      continue // a torn write: the process died before the line was complete
    }
    if (rec.t === 'h') {
      state.rv = rec.rv
      state.uidSeq = rec.u
      state.nameSeq = rec.s
    } else if (rec.t === 'p') {
      const m = rec.o.metadata
      objects.set(`${rec.g}/${rec.p}/${m.namespace ?? ''}/${m.name}`, {obj: rec.o, group: rec.g, plural: rec.p})
      bump(state, rec)
    } else if (rec.t === 'd') {
      objects.delete(`${rec.g}/${rec.p}/${rec.ns}/${rec.n}`)
      bump(state, rec)
    }
  }
  state.objects = [...objects.values()]
  return state
}

function bump(state: LoadedState, rec: {rv?: number; u?: number; s?: number}): void {
  if (rec.rv !== undefined && rec.rv > state.rv) state.rv = rec.rv
  if (rec.u !== undefined && rec.u > state.uidSeq) state.uidSeq = rec.u
  if (rec.s !== undefined && rec.s > state.nameSeq) state.nameSeq = rec.s
}

/** true: fdatasync per write; false: never; 'deferred': once per event-loop turn, or on flush(). */
export type JournalSync = boolean | 'deferred'

export class Journal {
  private fd: number | undefined

  private constructor(
    private readonly file: string,
    fd: number,
    private readonly sync: JournalSync,
  ) {
    this.fd = fd
  }

  /**
   * Compact: write header + snapshot to `<file>.tmp`, fsync, rename over `file`, fsync the
   * directory; then open `file` for appending.
   */
  static open(
    file: string,
    header: {rv: number; uidSeq: number; nameSeq: number},
    objects: Array<{obj: KubeObject; group: string; plural: string}>,
    sync: JournalSync,
  ): Journal {
    fs.mkdirSync(path.dirname(file), {recursive: true})
    const tmp = `${file}.tmp`
    const lines: string[] = [JSON.stringify({t: 'h', v: 1, rv: header.rv, u: header.uidSeq, s: header.nameSeq})]
    for (const {obj, group, plural} of objects) lines.push(JSON.stringify({t: 'p', g: group, p: plural, o: obj}))
    const fd = fs.openSync(tmp, 'w', 0o600)
    try {
      fs.writeSync(fd, lines.join('\n') + '\n')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
    try {
      const dir = fs.openSync(path.dirname(file), 'r')
      try {
        fs.fsyncSync(dir)
      } finally {
        fs.closeSync(dir)
      }
    } catch {
      // some filesystems do not allow fsync on a directory; the rename is still atomic
    }
    return new Journal(file, fs.openSync(file, 'a', 0o600), sync)
  }

  append(rec: JournalRecord): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`)
    fs.writeSync(this.fd, JSON.stringify(rec) + '\n')
    if (!this.sync) return
    if (this.grouped > 0 || this.sync === 'deferred') {
      this.unsynced = true
      if (this.sync === 'deferred' && !this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          this.flush()
        })
      }
    } else {
      fs.fdatasyncSync(this.fd)
    }
  }

  private grouped = 0
  private unsynced = false
  private scheduled = false

  /** fdatasync now if a write is not synced yet (a no-op otherwise). */
  flush(): void {
    if (!this.unsynced || this.fd === undefined) return
    this.unsynced = false
    fs.fdatasyncSync(this.fd)
  }

  /**
   * Runs `fn`; the appends it makes are fdatasynced once, when it returns (in 'deferred' mode at
   * the end of the turn, as any write), instead of once each. Only for writes no one is told about
   * before then (a fresh cluster's bootstrap objects).
   */
  group<T>(fn: () => T): T {
    this.grouped++
    try {
      return fn()
    } finally {
      this.grouped--
      // In 'deferred' mode the end of the turn (or the next flush) syncs the group too.
      if (this.grouped === 0 && this.sync !== 'deferred') this.flush()
    }
  }

  close(): void {
    if (this.fd === undefined) return
    fs.fsyncSync(this.fd)
    fs.closeSync(this.fd)
    this.fd = undefined
  }
}

/**
 * A PodLogProvider kept in memory: what the server uses when no controller manager runs
 * (tests with controllers off append lines here). Timestamps come from the given clock.
 */
import type {PodLogOptions, PodLogProvider} from '../controllers/types.js'

interface Line {
  at: number
  text: string
}

interface Stream {
  lines: Line[]
  followers: Set<{onLine: (line: string) => void; timestamps: boolean}>
}

function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

export class MemoryPodLogs implements PodLogProvider {
  private readonly streams = new Map<string, Stream>()

  constructor(private readonly now: () => number = Date.now) {}

  private stream(namespace: string, pod: string, container: string): Stream {
    const key = `${namespace}/${pod}/${container}`
    let s = this.streams.get(key)
    if (!s) {
      s = {lines: [], followers: new Set()}
      this.streams.set(key, s)
    }
    return s
  }

  read(namespace: string, pod: string, options: PodLogOptions = {}): string[] {
    const s = this.streams.get(`${namespace}/${pod}/${options.container ?? ''}`)
    if (!s) return []
    let lines = s.lines
    if (options.sinceSeconds !== undefined) {
      const from = this.now() - options.sinceSeconds * 1000
      lines = lines.filter((l) => l.at >= from)
    }
    if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines)
    return lines.map((l) => (options.timestamps ? `${rfc3339Nano(l.at)} ${l.text}` : l.text))
  }

  follow(namespace: string, pod: string, options: PodLogOptions, onLine: (line: string) => void, _onEnd: () => void): () => void {
    const s = this.stream(namespace, pod, options.container ?? '')
    const follower = {onLine, timestamps: options.timestamps === true}
    s.followers.add(follower)
    return () => s.followers.delete(follower)
  }

  append(namespace: string, pod: string, container: string, line: string): void {
    const s = this.stream(namespace, pod, container)
    const entry = {at: this.now(), text: line}
    s.lines.push(entry)
    for (const f of s.followers) f.onLine(f.timestamps ? `${rfc3339Nano(entry.at)} ${entry.text}` : entry.text)
  }
}

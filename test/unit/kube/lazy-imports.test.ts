/**
 * `kubectl aim --help` must stay fast: no command module (nor what it imports at top level) may
 * load client-node, ink, react, listr2 or yaml eagerly. Walks the static (non-type) imports.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from '../../e2e/harness.js'

const HEAVY = ['@kubernetes/client-node', 'ink', 'react', 'listr2', 'yaml', 'ink-testing-library']
const COMMANDS = ['deploy', 'status', 'why', 'logs', 'cache/index', 'cache/list', 'cache/show', 'cache/warm', 'cache/clean']

function staticImports(file: string): string[] {
  const src = readFileSync(file, 'utf8')
  const out: string[] = []
  for (const m of src.matchAll(/^import\s+(?!type\b)([^'"]*?)\s*from\s+['"]([^'"]+)['"]/gm)) {
    const clause = m[1]!.trim()
    // `import {type A, type B} from` is type-only too.
    if (/^\{[^}]*\}$/.test(clause) && clause.slice(1, -1).split(',').every((p) => p.trim() === '' || p.trim().startsWith('type '))) continue
    out.push(m[2]!)
  }
  for (const m of src.matchAll(/^import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!)
  return out
}

function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>()
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return
    const deps = staticImports(file)
    seen.set(file, deps)
    for (const d of deps) {
      if (!d.startsWith('.')) continue
      const ts = resolve(dirname(file), d).replace(/\.js$/, '')
      const target = [`${ts}.ts`, `${ts}.tsx`].find((f) => existsSync(f))
      if (target) walk(target, [...chain, target])
    }
  }
  walk(entry, [entry])
  return seen
}

describe('heavy modules are imported lazily', () => {
  for (const cmd of COMMANDS) {
    it(`commands/${cmd}.ts loads none of ${HEAVY.join(', ')} at startup`, () => {
      const graph = reach(join(ROOT, 'commands', `${cmd}.ts`))
      const offenders = [...graph].flatMap(([file, deps]) => deps.filter((d) => HEAVY.includes(d)).map((d) => `${file.slice(ROOT.length + 1)} → ${d}`))
      expect(offenders).toEqual([])
      expect(graph.size).toBeGreaterThan(1)
    })
  }
})

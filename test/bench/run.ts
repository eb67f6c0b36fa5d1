/**
 * `npm run bench`: runs every test/bench/<area>.ts module's bench() and prints one line per figure,
 * with its target and the ratio to it. Benchmarks print; they never fail the build.
 */
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {BenchModule, BenchRow} from './types.js'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'types.ts'].includes(f))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort()

function fmt(value: number): string {
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function verdict(row: BenchRow): string {
  if (!row.target) return ''
  const {op, value} = row.target
  const ok =
    op === '<' ? row.value < value : op === '<=' ? row.value <= value : op === '>=' ? row.value >= value : row.value > value
  const ratio = op === '<' || op === '<=' ? value / row.value : row.value / value
  return `target ${op} ${fmt(value)} ${row.unit}  ${ok ? 'met' : 'MISSED'} (${fmt(ratio)}x of target)`
}

let failures = 0
for (const file of modules) {
  const area = file.replace(/\.ts$/, '')
  let rows: BenchRow[]
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as BenchModule
    rows = await mod.bench()
  } catch (error) {
    failures++
    console.log(`${area.padEnd(10)} error: ${(error as Error).message}`)
    continue
  }
  for (const row of rows) {
    const figure = `${fmt(row.value)} ${row.unit}`.padStart(14)
    console.log(`${row.area.padEnd(10)} ${row.name.padEnd(58)} ${figure}  ${verdict(row)}${row.note ? `  (${row.note})` : ''}`)
  }
}
if (failures > 0) console.log(`${failures} bench module(s) could not run`)
process.exit(0)

/**
 * bin/fast-path.js answers root help and version without loading oclif: its output must equal
 * oclif's own (the same executable with KUBECTL_AIM_NO_FAST_PATH=1). Child processes on the built
 * dist/ (npm test builds first); each bounded by a timeout, never a sleep.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it, vi} from 'vitest'
import {ROOT} from './harness.js'
// @ts-expect-error bin/ is plain JavaScript without type declarations
import {fastPath, renderRootHelp} from '../../bin/fast-path.js'

vi.setConfig({testTimeout: 60_000})

const BIN = join(ROOT, 'bin', 'kubectl-aim')

function run(args: string[], env: Record<string, string> = {}): Promise<{stdout: string; stderr: string; code: number}> {
  return new Promise((resolve) => {
    const base: Record<string, string | undefined> = {...process.env, NO_COLOR: '1'}
    delete base.KUBECTL_AIM_NO_FAST_PATH
    delete base.OCLIF_COLUMNS
    execFile(process.execPath, [BIN, ...args], {env: {...base, ...env}, timeout: 30_000}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0
      resolve({stdout, stderr, code})
    })
  })
}

const OCLIF = {KUBECTL_AIM_NO_FAST_PATH: '1'}
const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))

describe('root help without oclif', () => {
  it('renders exactly what oclif renders, at several terminal widths', async () => {
    for (const columns of ['80', '100', '64']) {
      const oclif = await run(['--help'], {...OCLIF, OCLIF_COLUMNS: columns})
      expect(oclif.code).toBe(0)
      expect(oclif.stdout).toContain('COMMANDS\n')
      const ua = `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`
      expect(renderRootHelp(pjson, manifest, ua, Number(columns), false)).toBe(oclif.stdout)
      const fast = await run(['--help'], {OCLIF_COLUMNS: columns})
      expect(fast).toEqual(oclif)
    }
  })

  it('answers no arguments, -h and help with the same text', async () => {
    const oclif = await run([], OCLIF)
    expect(oclif.stdout).toMatch(/^kubectl plugin for AMD Inference Microservices/)
    for (const args of [[], ['-h'], ['help']]) expect(await run(args)).toEqual({stdout: oclif.stdout, stderr: '', code: 0})
  })

  it('leaves anything it cannot render identically to oclif', () => {
    const ua = 'kubectl-aim/0.1.0 linux-x64 node-v20.0.0'
    // a description that wraps to more than five lines switches oclif to its multi-line layout
    expect(renderRootHelp(pjson, manifest, ua, 45, false)).toBeUndefined()
    const templated = {commands: {a: {id: 'a', description: 'Uses <%= config.bin %>', aliases: []}}}
    expect(renderRootHelp(pjson, templated, ua, 80, false)).toBeUndefined()
    const ok = renderRootHelp(pjson, {commands: {b: {id: 'b', description: 'Bee', aliases: ['a']}, 'b:c': {id: 'b:c', description: 'Sea', aliases: []}}}, ua, 80, true)
    expect(ok).toBe(
      `${pjson.description}\n\n\u001B[1mVERSION\u001B[22m\n  ${ua}\n\n\u001B[1mUSAGE\u001B[22m\n  $ kubectl aim [COMMAND]\n\n` +
        '\u001B[1mTOPICS\u001B[22m\n  b  Bee\n\n\u001B[1mCOMMANDS\u001B[22m\n  a  Bee\n  b  Bee\n\n',
    )
  })

  it('falls back to oclif when the manifest is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aim-fast-path-'))
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pjson))
    const root = new URL(`${pathToFileURL(dir).href}/`)
    expect(await fastPath(['--help'], root)).toBe(false)
    expect(await fastPath(['status'], new URL(`${pathToFileURL(ROOT).href}/`))).toBe(false)
    expect(await fastPath(['version', '-o', 'json'], new URL(`${pathToFileURL(ROOT).href}/`))).toBe(false)
  })
})

describe('version without oclif', () => {
  it('version and --version / -v print what oclif prints', async () => {
    const oclif = await run(['version'], OCLIF)
    expect(oclif.stdout).toBe(`kubectl-aim ${pjson.version} (${process.version}, ${process.platform}/${process.arch})\n`)
    expect(await run(['version'])).toEqual(oclif)
    const ua = await run(['--version'], OCLIF)
    expect(ua.stdout).toBe(`kubectl-aim/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    expect(await run(['--version'])).toEqual(ua)
    expect(await run(['-v'])).toEqual(ua)
  })
})

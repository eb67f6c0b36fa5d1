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
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {ROOT} from './harness.js'
// @ts-expect-error bin/ is plain JavaScript without type declarations
import {fastPath, renderRootHelp} from '../../bin/fast-path.js'

vi.setConfig({testTimeout: 60_000})

const BIN = join(ROOT, 'bin', 'kubectl-aim')

function run(args: string[], env: Record<string, string> = {}, input?: string): Promise<{stdout: string; stderr: string; code: number}> {
  return new Promise((resolve) => {
    const base: Record<string, string | undefined> = {...process.env, NO_COLOR: '1'}
    delete base.KUBECTL_AIM_NO_FAST_PATH
    delete base.OCLIF_COLUMNS
    const child = execFile(process.execPath, [BIN, ...args], {env: {...base, ...env}, timeout: 30_000}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0
      resolve({stdout, stderr, code})
    })
    child.stdin?.end(input)
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
    expect(await fastPath(['deploy'], new URL(`${pathToFileURL(ROOT).href}/`))).toBe(false)
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

describe('status without oclif', () => {
  let sim: Simulator
  let kc: string

  beforeAll(async () => {
    sim = await startSimulator({seed: 'fast-path-status'})
    kc = join(mkdtempSync(join(tmpdir(), 'aim-fast-status-')), 'kubeconfig')
    sim.writeKubeconfig(kc)
    await sim.settle()
    const d = await run(['deploy', 'qwen', '--no-wait', '--kubeconfig', kc])
    expect(d.code).toBe(0)
    await sim.settle()
  }, 90_000)
  afterAll(async () => {
    await sim?.stop()
  })

  // Reports stamp the second they were collected at (wall time): the only part two runs may differ in.
  const stable = (r: {stdout: string; stderr: string; code: number}) => ({...r, stdout: r.stdout.replace(/("?collectedAt"?: "?)[0-9T:-]+Z/g, '$1<t>')})

  const cases: string[][] = [
    ['qwen3-32b'],
    ['qwen3-32b', '-n', 'default'],
    ['--namespace=default', 'qwen3-32b', '-o', 'json'],
    ['qwen3-32b', '-o', 'yaml'],
    ['qwen3-32b', '-oname'],
    [],
    ['-A'],
    ['-A', '-o', 'wide'],
    ['-o', 'json'],
    ['-n', 'nowhere'],
    ['no-such-service'],
    ['qwen3-32b', '-A'],
    ['qwen3-32b', '--bogus'],
    ['qwen3-32b', '-o'],
    ['qwen3-32b', '-o', 'xml'],
    ['a', 'b'],
    ['qwen3-32b', '--request-timeout', 'soon'],
    ['qwen3-32b', '--context', 'nope'],
  ]

  it('prints what oclif prints, with the same exit code, for each command line', async () => {
    for (const argv of cases) {
      const args = ['status', ...argv, '--kubeconfig', kc]
      const [oclif, fast] = await Promise.all([run(args, OCLIF), run(args)])
      expect(stable(fast), argv.join(' ')).toEqual(stable(oclif))
      if (argv[0] === 'qwen3-32b' && argv.length === 1) expect(oclif.stdout).toContain('Name:        qwen3-32b')
    }
  })

  it('handles a plain status itself (no fallback to oclif)', async () => {
    const {fastRun} = await import('../../src/fast/status.js')
    const root = new URL(`${pathToFileURL(ROOT).href}/`)
    const write = process.stdout.write.bind(process.stdout)
    let out = ''
    process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write
    try {
      expect(await fastRun(['qwen3-32b', '-o', 'name', '--kubeconfig', kc], root)).toBe(true)
    } finally {
      process.stdout.write = write
    }
    expect(out).toBe('aimservice.aim.eai.amd.com/qwen3-32b\n')
  })

  it('reads NAME from piped stdin as oclif does', async () => {
    const args = ['status', '-o', 'name', '--kubeconfig', kc]
    const expected = {stdout: 'aimservice.aim.eai.amd.com/qwen3-32b\n', stderr: '', code: 0}
    // oclif gives stdin 10 ms (real time) once it looks; on a loaded machine it can miss it, and so
    // can the fast path, which keeps the same rule: a few tries.
    let results: Array<{stdout: string; stderr: string; code: number}> = []
    for (let attempt = 0; attempt < 4; attempt++) {
      results = [await run(args, OCLIF, 'qwen3-32b\n'), await run(args, {}, 'qwen3-32b\n')]
      if (results.every((r) => JSON.stringify(r) === JSON.stringify(expected))) break
    }
    expect(results).toEqual([expected, expected])
  })

  it('leaves --watch, help and unparsed flags to oclif', async () => {
    const {fastRun} = await import('../../src/fast/status.js')
    const root = new URL(`${pathToFileURL(ROOT).href}/`)
    for (const argv of [['x', '--watch'], ['x', '-w'], ['x', '--watch-updates', '1'], ['x', '--help'], ['x', '--bogus']]) {
      expect(await fastRun(argv, root), argv.join(' ')).toBe(false)
    }
  })
})

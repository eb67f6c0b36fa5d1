/**
 * The fast path's loading: scripts/bundle-vendor.mjs bundleFast makes one CommonJS file per bundled
 * fast command, and bin/fast-path.js loadBundle runs it with a V8 code cache it keeps beside it.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
// @ts-expect-error plain JavaScript build script without type declarations
import {FAST_BUNDLES, bundleFast} from '../../scripts/bundle-vendor.mjs'
// @ts-expect-error bin/ is plain JavaScript without type declarations
import {loadBundle} from '../../bin/fast-path.js'
import {ROOT} from '../e2e/harness.js'

describe('bundleFast', () => {
  it('makes dist/fast/status.cjs: our modules and yaml inside, other packages, client-node and Ink views outside, import() routed', async () => {
    expect(FAST_BUNDLES).toEqual(['status', 'simulate'])
    const dist = mkdtempSync(join(tmpdir(), 'aim-fast-dist-'))
    const r = ((await bundleFast(dist)) as Array<{id: string; outfile: string; externals: string[]}>).find((b) => b.id === 'status')
    expect(r!.id).toBe('status')
    expect(r!.externals).toEqual(['../src/ui/StatusView.js', '@kubernetes/client-node', 'ink', 'react'])
    const code = readFileSync(join(dist, 'fast', 'status.cjs'), 'utf8')
    expect(code).not.toMatch(/\bimport\(/)
    expect(code).toContain('__aimImport("../vendor/client-node.js")')
    expect(code).not.toContain('__aimImport("yaml")')
    expect(code).not.toMatch(/require\("yaml"\)/)
    expect(code).not.toContain('@oclif/core')
  })
})

describe('loadBundle', () => {
  function bundle(dir: string) {
    mkdirSync(join(dir, 'sub'), {recursive: true})
    writeFileSync(join(dir, 'sub', 'helper.mjs'), 'export const who = "helper"\n')
    writeFileSync(
      join(dir, 'b.cjs'),
      'const {join} = require("node:path"); exports.fastRun = async () => [(await __aimImport("./sub/helper.mjs")).who, typeof (await __aimImport("yaml")).parse, join("a", "b"), __filename.endsWith("b.cjs")]\n',
    )
    return pathToFileURL(join(dir, 'b.cjs'))
  }

  it('runs a CommonJS bundle, routes dynamic imports, and reuses the code cache it saved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aim-bundle-'))
    const file = bundle(dir)
    const first = loadBundle(file)
    expect(first.fromCache).toBe(false)
    expect(await first.exports.fastRun()).toEqual(['helper', 'function', join('a', 'b'), true])
    first.saveCache()
    const caches = readdirSync(join(dir, '.cache'))
    expect(caches).toHaveLength(1)
    expect(caches[0]).toMatch(/^b\.cjs\..*\.v8cache$/)
    const second = loadBundle(file)
    expect(second.fromCache).toBe(true)
    expect(await second.exports.fastRun()).toEqual(['helper', 'function', join('a', 'b'), true])
  })

  // Each load in a fresh process: within one, V8's own compilation cache answers before the file's.
  function loadInChild(file: URL): string {
    const script = `import {loadBundle} from ${JSON.stringify(pathToFileURL(join(ROOT, 'bin', 'fast-path.js')).href)}
const b = loadBundle(new URL(${JSON.stringify(file.href)}))
console.log(b ? (await b.exports.fastRun())[0] + ' ' + b.fromCache : 'none')
b?.saveCache()`
    return execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 30_000}).trim()
  }

  it('makes the cache again when V8 rejects it, and answers undefined without a bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aim-bundle-'))
    const file = bundle(dir)
    expect(loadInChild(file)).toBe('helper false')
    expect(loadInChild(file)).toBe('helper true')
    const [name] = readdirSync(join(dir, '.cache'))
    writeFileSync(join(dir, '.cache', name!), 'not a code cache')
    expect(loadInChild(file)).toBe('helper false')
    expect(readFileSync(join(dir, '.cache', name!)).toString()).not.toBe('not a code cache')
    expect(loadInChild(file)).toBe('helper true')
    expect(loadInChild(pathToFileURL(join(dir, 'missing.cjs')))).toBe('none')
    expect(existsSync(join(dir, '.cache'))).toBe(true)
  })
})

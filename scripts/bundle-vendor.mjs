#!/usr/bin/env node
/**
 * Post-build step (after tsc): prebundles @kubernetes/client-node into one file,
 * dist/vendor/client-node.js, and points the compiled modules that import it at that file.
 *
 * Why: Node 20 has no module compile cache, and client-node is ~970 files; importing it costs
 * 0.5-1 s per cold start of `kubectl aim status`. One minified, tree-shaken ESM file holding only
 * the names dist/ actually uses imports in a fraction of that. Only dist/ changes: the TypeScript
 * sources (and vitest, which runs them) still import '@kubernetes/client-node' itself.
 *
 * The names are read from the compiled code: static `import {A, B} from '…'` and
 * `const {A, B} = await import('…')`. Any other use (namespace import, `import(…)` kept whole)
 * bundles the whole package instead (`export *`), so a new use can never miss a name.
 *
 * Then (bundleFast) each command with a fast path (src/fast/<id>.ts exporting fastRun) becomes one
 * CommonJS file, dist/fast/<id>.cjs, that bin/fast-path.js compiles with a V8 code cache: a cold
 * `kubectl aim status` then loads one script instead of resolving and linking twenty ES modules.
 *
 * Usage: node scripts/bundle-vendor.mjs [distDir]   (default: dist next to this script)
 */
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'

export const VENDORED = '@kubernetes/client-node'
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** `A, B as C, type D` → ['A', 'B'] (imported names, not local aliases). */
function names(list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('type '))
    .map((s) => s.split(/\s+as\s+|\s*:\s*/)[0].trim())
}

/**
 * The names one compiled module takes from `specifier`, or 'all' when a use cannot be read
 * name by name, or undefined when the module does not use it.
 * @param {string} code
 * @param {string} [specifier]
 * @returns {Set<string> | 'all' | undefined}
 */
export function usedNames(code, specifier = VENDORED) {
  const q = `['"]${escapeRe(specifier)}['"]`
  const total = (code.match(new RegExp(q, 'g')) ?? []).length
  if (total === 0) return undefined
  const found = new Set()
  let understood = 0
  for (const m of code.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${q}`, 'g'))) {
    understood++
    for (const n of names(m[1])) found.add(n)
  }
  for (const m of code.matchAll(new RegExp(`(?:const|let|var)\\s*\\{([^}]*)\\}\\s*=\\s*await\\s+import\\(\\s*${q}\\s*\\)`, 'g'))) {
    understood++
    for (const n of names(m[1])) found.add(n)
  }
  for (const _m of code.matchAll(new RegExp(`import\\s+type\\s*\\{[^}]*\\}\\s*from\\s*${q}`, 'g'))) understood++
  return understood === total ? found : 'all'
}

/**
 * The module's code with every import of `specifier` pointed at `target` (a relative specifier).
 * @param {string} code
 * @param {string} target
 * @param {string} [specifier]
 */
export function rewriteSpecifier(code, target, specifier = VENDORED) {
  return code.replace(new RegExp(`(['"])${escapeRe(specifier)}\\1`, 'g'), (_m, quote) => `${quote}${target}${quote}`)
}

/** The bundle's entry source for these names ('all': the whole package). */
export function entrySource(used, specifier = VENDORED) {
  if (used === 'all') return `export * from '${specifier}'\n`
  return `export {${[...used].sort().join(', ')}} from '${specifier}'\n`
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else if (e.name.endsWith('.js')) out.push(p)
  }
  return out
}

/**
 * node-fetch 2 takes `Url.URL || whatwgUrl.URL`: on Node the built-in URL always wins, so its
 * whatwg-url import (and tr46's 300 KB Unicode table, parsed at load) is dead weight. Only
 * node-fetch's import is replaced, by the built-in URL.
 */
const nodeFetchUsesBuiltinUrl = {
  name: 'node-fetch-builtin-url',
  setup(b) {
    b.onResolve({filter: /^whatwg-url$/}, (args) =>
      /[\\/]node-fetch[\\/]/.test(args.importer) ? {path: 'whatwg-url', namespace: 'aim-builtin-url'} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'aim-builtin-url'}, () => ({contents: 'module.exports = {URL: globalThis.URL}', loader: 'js'}))
  },
}

/**
 * One ESM file per package, so a command pays only for what it imports. (yaml was tried too: it
 * saves little and broke `simulate --demo`'s apply with a 415, so it stays a plain dependency.)
 */
export const PACKAGES = [{specifier: VENDORED, file: 'client-node.js'}]

/** Bundles each vendored package into <dist>/vendor and rewrites its importers. Returns what it did. */
export async function bundleVendor(dist = join(ROOT, 'dist')) {
  const vendorDir = join(dist, 'vendor')
  const files = walk(dist).filter((f) => !f.startsWith(vendorDir + sep))
  const done = []
  const {build} = await import('esbuild')
  for (const {specifier, file} of PACKAGES) {
    const outfile = join(vendorDir, file)
    const importers = []
    let used = new Set()
    for (const f of files) {
      const code = readFileSync(f, 'utf8')
      const u = usedNames(code, specifier)
      if (u === undefined) continue
      importers.push({file: f, code})
      if (u === 'all' || used === 'all') used = 'all'
      else for (const n of u) used.add(n)
    }
    if (importers.length === 0) continue
    // `export *` from a CommonJS package gives an ESM bundle no named exports: list them instead,
    // as Node itself sees them (cjs-module-lexer names plus default).
    if (used === 'all') used = new Set(Object.keys(await import(specifier)))
    mkdirSync(vendorDir, {recursive: true})
    await build({
      stdin: {contents: entrySource(used, specifier), resolveDir: ROOT, sourcefile: `${file}-entry.js`, loader: 'js'},
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      keepNames: true,
      legalComments: 'none',
      logLevel: 'warning',
      outfile,
      plugins: [nodeFetchUsesBuiltinUrl],
      // CommonJS dependencies inside call require(); ESM output has none, so give it one.
      banner: {js: "import {createRequire as __aimCreateRequire} from 'node:module';const require=__aimCreateRequire(import.meta.url);"},
    })
    for (const {file: f, code} of importers) {
      let rel = relative(dirname(f), outfile).split(sep).join('/')
      if (!rel.startsWith('.')) rel = `./${rel}`
      writeFileSync(f, rewriteSpecifier(code, rel, specifier))
    }
    done.push({specifier, outfile, importers: importers.map((i) => i.file), names: used === 'all' ? ['*'] : [...used].sort()})
  }
  return done
}

/** The name the fast bundles call instead of `import(…)` (bin/fast-path.js passes it in). */
export const IMPORT_FN = '__aimImport'

/**
 * The fast paths that are bundled (each src/fast/<id>.ts must export fastRun). Opt-in: a bundle
 * moves the code, so a module that finds files relative to its own URL must also look one level
 * below dist/ (the simulator's catalog JSON does). The others run from dist/src/fast/<id>.js.
 */
export const FAST_BUNDLES = ['status', 'simulate']

/** The bundled fast paths whose source exists and exports fastRun. */
export function fastEntries(srcDir = join(ROOT, 'src', 'fast'), ids = FAST_BUNDLES) {
  return ids.filter((id) => existsSync(join(srcDir, `${id}.ts`)) && /export\s+async\s+function\s+fastRun\b/.test(readFileSync(join(srcDir, `${id}.ts`), 'utf8')))
}

/**
 * Bundles src/fast/<id>.ts into <dist>/fast/<id>.cjs: our modules and INLINED packages inside; other packages, the vendored
 * client-node and modules that would load Ink (.tsx) stay outside and are loaded on use from dist/
 * and node_modules. bin/fast-path.js runs the file as a function
 * `(exports, require, module, __filename, __dirname, __aimImport)` with a V8 code cache (a vm.Script
 * cannot call `import()` itself on Node 20, so dynamic imports go through __aimImport).
 */
// Pure-JS packages a fast command needs on every run (or most: the simulator's certificate when
// none is cached), inlined with everything they import so the V8 code cache covers them.
const INLINED = new Set(['yaml', 'cli-truncate', '@peculiar/x509', 'reflect-metadata'])
const INLINED_FROM = /[\\/]node_modules[\\/]/

export async function bundleFast(dist = join(ROOT, 'dist'), srcDir = join(ROOT, 'src', 'fast')) {
  const {build} = await import('esbuild')
  const outDir = join(dist, 'fast')
  const done = []
  for (const id of fastEntries(srcDir)) {
    const outfile = join(outDir, `${id}.cjs`)
    const externals = new Set()
    const result = await build({
      entryPoints: [join(srcDir, `${id}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      keepNames: true,
      legalComments: 'none',
      logLevel: 'warning',
      write: false,
      outfile,
      define: {'import.meta.url': '__aimImportMetaUrl'},
      banner: {js: "var __aimImportMetaUrl=require('node:url').pathToFileURL(__filename).href;"},
      plugins: [
        {
          name: 'aim-fast-externals',
          setup(b) {
            b.onResolve({filter: /.*/}, (args) => {
              if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined
              if (args.path === VENDORED) {
                externals.add(VENDORED)
                return {path: '../vendor/client-node.js', external: true}
              }
              if (INLINED.has(args.path) || INLINED_FROM.test(args.importer)) return undefined
              if (!args.path.startsWith('.') && !args.path.startsWith('/')) {
                externals.add(args.path)
                return {path: args.path, external: true}
              }
              // A .tsx module (Ink views) stays a module of its own, imported from dist/ on use.
              const source = resolve(args.resolveDir, args.path).replace(/\.js$/, '')
              if (existsSync(`${source}.tsx`)) {
                let rel = relative(outDir, join(dist, relative(ROOT, `${source}.js`))).split(sep).join('/')
                if (!rel.startsWith('.')) rel = `./${rel}`
                externals.add(rel)
                return {path: rel, external: true}
              }
              return undefined
            })
          },
        },
      ],
    })
    let code = result.outputFiles[0].text
    const before = code.length
    code = code.replace(/\bimport\(/g, `${IMPORT_FN}(`)
    if (code.length === before && externals.size > 0) throw new Error(`bundleFast ${id}: no dynamic import found`)
    mkdirSync(outDir, {recursive: true})
    writeFileSync(outfile, code)
    done.push({id, outfile, bytes: code.length, externals: [...externals].sort()})
  }
  return done
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ? resolve(process.argv[2]) : undefined
  for (const r of await bundleVendor(dist)) {
    console.error(`bundled ${r.specifier} {${r.names.join(', ')}} into ${relative(ROOT, r.outfile)} for ${r.importers.length} module(s)`)
  }
  for (const r of await bundleFast(dist)) {
    console.error(`bundled fast path ${r.id} into ${relative(ROOT, r.outfile)} (${Math.round(r.bytes / 1024)} KB; outside: ${r.externals.join(', ')})`)
  }
}

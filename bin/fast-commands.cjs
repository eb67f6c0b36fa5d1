// The commands with a fast path of their own, dispatched without @oclif/core: CommonJS, so the
// executable loads it synchronously (one ES module fewer to resolve and link on every cold start).
// bin/kubectl-aim asks fastCommand first; fast-path.js (help, version) re-exports it for bin/run.js.
'use strict'
const {closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync} = require('node:fs')
const {tmpdir} = require('node:os')

/**
 * Commands with a fast path: dist/src/fast/<id>.ts exports
 * `async function fastRun(argv: string[], root: URL, hooks?: {ready(): void}): Promise<boolean>`
 * (argv: the words after the command name; false: not handled, oclif runs the command as usual).
 */
const FAST_COMMANDS = new Set(['status', 'simulate'])

/**
 * Runs `argv` when it names a fast command: true (done) or false (run oclif); undefined when it
 * names none. False for everything while KUBECTL_AIM_NO_FAST_PATH or DEBUG is set.
 * @param {string[]} argv arguments after the executable
 * @param {URL} root the package root (a directory URL ending in '/')
 * @returns {Promise<boolean | undefined>}
 */
async function fastCommand(argv, root) {
  const env = process.env
  if (env.KUBECTL_AIM_NO_FAST_PATH && env.KUBECTL_AIM_NO_FAST_PATH !== '0') return false
  if (env.DEBUG) return false
  const id = argv[0]
  if (id === undefined || !FAST_COMMANDS.has(id)) return undefined
  return runFastCommand(id, argv.slice(1), root)
}

/**
 * Runs the command's fast module: its bundle dist/fast/<id>.cjs when the build made one (see
 * scripts/bundle-vendor.mjs bundleFast), else dist/src/fast/<id>.js. False when it is missing or
 * declines.
 */
async function runFastCommand(id, argv, root) {
  let mod
  let bundle
  try {
    bundle = loadBundle(new URL(`dist/fast/${id}.cjs`, root))
    mod = bundle?.exports ?? (await import(new URL(`dist/src/fast/${id}.js`, root).href))
  } catch {
    return false
  }
  if (typeof mod.fastRun !== 'function') return false
  try {
    // A long-running command (simulate) calls ready() once it serves: its cache is saved then.
    return (await mod.fastRun(argv, root, {ready: () => bundle?.saveCache()})) === true
  } finally {
    bundle?.saveCache()
  }
}

/**
 * A CommonJS bundle compiled with a V8 code cache (Node 20 has no module compile cache). The cache
 * is keyed by the bundle file (inode, size, mtime), node's version and arch; it lives beside the bundle, or in a
 * private per-user directory under the OS temp dir when dist/ is read-only. V8 checks it and
 * rejects one that does not fit (then it is made again). Undefined when there is no bundle.
 * @param {URL} file
 * @returns {{exports: Record<string, unknown>, fromCache: boolean, saveCache(): void} | undefined}
 */
function loadBundle(file) {
  // Builtins as CommonJS: their ES module facades cost more than this whole function.
  const {dirname, join} = process.getBuiltinModule('node:path')
  const {fileURLToPath} = process.getBuiltinModule('node:url')
  const path = fileURLToPath(file)
  let code
  let stat
  try {
    const fd = openSync(path, 'r')
    try {
      stat = fstatSync(fd)
      code = readFileSync(fd, 'utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
  // The file as built (inode, size, mtime) for this node; V8 also checks the source and its flags.
  const key = [stat.ino, stat.size, Math.round(stat.mtimeMs * 1000), process.version, process.arch].join('-')
  const name = `${path.split(/[\\/]/).pop()}.${key}.v8cache`
  const places = [join(dirname(path), '.cache'), privateTmp()].filter(Boolean)
  let cachedData
  for (const dir of places) {
    try {
      cachedData = readFileSync(join(dir, name))
      break
    } catch {}
  }
  // The CommonJS wrapper, plus the import() the bundle cannot call from a vm.Script on Node 20.
  const {Script} = process.getBuiltinModule('node:vm')
  const {createRequire} = process.getBuiltinModule('node:module')
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __aimImport) {${code}\n})`, {filename: path, cachedData})
  const module = {exports: {}}
  const dynamicImport = (specifier) => import(specifier.startsWith('.') ? new URL(specifier, file).href : specifier)
  script.runInThisContext()(module.exports, createRequire(file), module, path, dirname(path), dynamicImport)
  const fresh = cachedData === undefined || script.cachedDataRejected === true
  let saved = false
  return {
    exports: module.exports,
    fromCache: !fresh,
    saveCache() {
      if (!fresh || saved) return
      saved = true
      let data
      try {
        data = script.createCachedData()
      } catch {
        return
      }
      for (const dir of places) {
        try {
          mkdirSync(dir, {recursive: true, mode: 0o700})
          const tmp = join(dir, `${name}.${process.pid}.tmp`)
          writeFileSync(tmp, data, {mode: 0o600})
          renameSync(tmp, join(dir, name))
          return
        } catch {}
      }
    },
  }
}

/** <tmpdir>/kubectl-aim-<uid>, when it is (or can be) a directory of ours that no one else can write. */
function privateTmp() {
  const {join} = process.getBuiltinModule('node:path')
  if (typeof process.getuid !== 'function') return undefined
  const dir = join(tmpdir(), `kubectl-aim-${process.getuid()}`)
  try {
    const st = lstatSync(dir)
    if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined
  } catch (err) {
    if (err?.code !== 'ENOENT') return undefined
  }
  return dir
}


module.exports = {FAST_COMMANDS, fastCommand, loadBundle}

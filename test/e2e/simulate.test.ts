/**
 * `kubectl aim simulate` as users run it: the built executable as a child process, driven with
 * stock kubectl and the plugin, stopped with SIGTERM and SIGKILL, restarted on the same state.
 * Real-time waits here are bounded waits for a child process's output (real I/O).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {X509Certificate, createPrivateKey} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {generateServingCert, loadOrCreateServingCert} from '../../simulator/apiserver/tls.js'
// @ts-expect-error bin/ is plain JavaScript without type declarations
import {FAST_COMMANDS} from '../../bin/fast-path.js'

const root = resolve(import.meta.dirname, '../..')
const bin = process.env['KUBECTL_AIM_BIN'] ?? join(root, 'bin', 'kubectl-aim')
const dir = mkdtempSync(join(tmpdir(), 'aim-simulate-e2e-'))
const kubeconfig = join(dir, 'kubeconfig')
// kubectl's discovery cache is per host:port; one left by another simulator on a reused port must not count.
const kubeCache = join(dir, 'kube-cache')
const state = join(dir, 'state', 'cluster.jsonl')
const READY = /^kubectl-aim simulator ready at https:\/\/127\.0\.0\.1:(\d+)$/
const children = new Set<ChildProcess>()
/** Child environment without the switches that turn the fast path off. */
const baseEnv: Record<string, string | undefined> = {...process.env}
delete baseEnv['KUBECTL_AIM_NO_FAST_PATH']
delete baseEnv['DEBUG']
const OCLIF = {KUBECTL_AIM_NO_FAST_PATH: '1'}
// A preload that reports on stderr when any module of @oclif/core is loaded (its files are CommonJS).
const probe = join(dir, 'oclif-probe.cjs')
writeFileSync(
  probe,
  `const M = require('node:module'); const load = M._load
M._load = function (request, parent, isMain) {
  if (parent && parent.filename && parent.filename.includes('@oclif/core')) { M._load = load; require('node:fs').writeSync(2, 'OCLIF-LOADED\\n') }
  return load.apply(this, arguments)
}
`,
)
const PROBE = {NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${probe}`.trim()}

interface Started {
  child: ChildProcess
  readyLine: string
  stderr: () => string
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** Start the simulator and resolve at its ready line (at most 20 s of real time). */
function start(args: string[] = [], statePath = state, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(bin, ['simulate', '--write-kubeconfig', kubeconfig, '--state', statePath, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...baseEnv, ...env}})
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((res) =>
    child.on('exit', (code, signal) => {
      children.delete(child)
      res({code, signal})
    }),
  )
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no ready line within 20s; stderr: ${stderr}`)), 20_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      const line = stdout.split('\n')[0]!
      if (stdout.includes('\n')) {
        clearTimeout(timer)
        res({child, readyLine: line, stderr: () => stderr, exited})
      }
    })
    void exited.then(({code}) => {
      clearTimeout(timer)
      rej(new Error(`simulator exited with ${String(code)} before it was ready; stderr: ${stderr}`))
    })
  })
}

function kubectl(...args: string[]) {
  const r = spawnSync('kubectl', args, {encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: kubeCache}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

function plugin(...args: string[]) {
  const r = spawnSync(bin, args, {encoding: 'utf8', timeout: 30_000, env: {...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', CI: 'true'}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

const manifests = `apiVersion: v1
kind: Namespace
metadata: {name: ml-team}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ml-team}
data: {mode: fast}
---
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata: {name: qwen-chat, namespace: ml-team}
spec:
  model: {image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5}
`

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dir, {recursive: true, force: true})
})

describe('kubectl aim simulate', () => {
  it('serves, survives SIGTERM and SIGKILL, and resumes every object from --state', async () => {
    // Through bin/fast-path.js: @oclif/core is never loaded, start to SIGTERM.
    const first = await start([], state, PROBE)
    expect(first.readyLine).toMatch(READY)
    expect(first.stderr()).toMatch(/started in \d+ ms; Ctrl-C stops\n$/)
    expect(first.stderr()).toContain(`export KUBECONFIG=${kubeconfig}\n`)
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600)
    const config = readFileSync(kubeconfig, 'utf8')
    expect(config).toContain('current-context: aim-simulator')
    expect(config).toContain(`server: https://127.0.0.1:${READY.exec(first.readyLine)![1]}`)

    const applied = spawnSync('kubectl', ['apply', '-f', '-'], {input: manifests, encoding: 'utf8', env: {...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: kubeCache}, timeout: 30_000})
    expect(applied.stderr).toBe('')
    expect(applied.stdout).toBe('namespace/ml-team created\nconfigmap/settings created\naimservice.aim.eai.amd.com/qwen-chat created\n')
    expect(kubectl('get', 'aimservices', '-n', 'ml-team', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    const nodes = kubectl('get', 'nodes', '-l', 'amd.com/gpu.device-id=74a1', '-o', 'name')
    expect(nodes.stdout).toBe('node/gpu-mi300x-0\nnode/gpu-mi300x-1\n')
    const status = plugin('status', 'qwen-chat', '-n', 'ml-team')
    expect(status.stdout).toContain('qwen-chat')

    const port = READY.exec(first.readyLine)![1]!
    const busy = spawnSync(bin, ['simulate', '--port', port], {encoding: 'utf8', timeout: 30_000})
    expect(busy.stderr).toBe(`error: port ${port} on 127.0.0.1 is already in use\npass --port 0 to pick a free port\n`)
    expect(busy.status).toBe(1)

    first.child.kill('SIGTERM')
    const firstExit = await first.exited
    expect(first.stderr()).toMatch(/SIGTERM: stopping the simulator and flushing state\n$/)
    expect(first.stderr()).not.toContain('OCLIF-LOADED')
    expect(first.stderr()).not.toContain('PRIVATE KEY')
    expect(firstExit).toEqual({code: 0, signal: null})

    // Through oclif (the same body): it resumes what the fast path flushed.
    const second = await start([], state, {...OCLIF, ...PROBE})
    expect(second.stderr()).toContain('OCLIF-LOADED')
    expect(kubectl('get', 'configmap', 'settings', '-n', 'ml-team', '-o', 'jsonpath={.data.mode}').stdout).toBe('fast')
    expect(kubectl('get', 'aimservice', 'qwen-chat', '-n', 'ml-team', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    // A write acknowledged just before a crash survives it.
    const late = spawnSync('kubectl', ['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late, namespace: ml-team}\ndata: {k: v}\n',
      encoding: 'utf8',
      env: {...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: kubeCache},
      timeout: 30_000,
    })
    expect(late.stdout).toBe('configmap/late created\n')
    second.child.kill('SIGKILL')
    expect((await second.exited).signal).toBe('SIGKILL')

    const third = await start()
    expect(kubectl('get', 'configmaps', '-n', 'ml-team', '-o', 'name').stdout).toContain('configmap/late\n')
    expect(kubectl('get', 'configmap', 'settings', '-n', 'ml-team', '-o', 'jsonpath={.data.mode}').stdout).toBe('fast')
    expect(kubectl('get', 'aimservices', '-A', '-o', 'name').stdout).toBe('aimservice.aim.eai.amd.com/qwen-chat\n')
    third.child.kill('SIGINT')
    expect((await third.exited).code).toBe(0)
  }, 120_000)

  it.each([
    [['--nodes', 'mi999x=1'], 'error: invalid --nodes: unknown GPU model "mi999x" in node spec (known: mi300x, mi325x, mi355x, mi250x, mi210)'],
    [['--speed', '0'], 'error: invalid --speed "0": expected a number of virtual seconds per real second, > 0 (e.g. 10)'],
    [['--port', '70000'], 'error: invalid --port "70000": expected 0 (any free port) or 1-65535'],
    [['--gpus-per-node', 'two'], 'error: invalid --gpus-per-node "two": expected an integer from 1 to 64'],
    [['--catalog', '/nonexistent-catalog-dir'], 'error: invalid --catalog "/nonexistent-catalog-dir": not a directory'],
    [['--token', 'has space'], 'error: invalid --token: expected printable characters without spaces'],
    [['--operators', 'ome', '--demo'], 'error: --demo deploys an AIMService: --operators must include aim'],
    [['--state', '/'], 'error: invalid --state "/": is a directory, expected a file'],
  ])('rejects %j with one line and exit 2, the same with and without oclif', (args, message) => {
    const fast = spawnSync(bin, ['simulate', ...args], {encoding: 'utf8', timeout: 30_000, env: {...baseEnv, ...PROBE}})
    expect(fast.stdout).toBe('')
    expect(fast.stderr).toBe(`${message}\n`)
    expect(fast.status).toBe(2)
    const oclif = spawnSync(bin, ['simulate', ...args], {encoding: 'utf8', timeout: 30_000, env: {...baseEnv, ...OCLIF}})
    expect({stdout: oclif.stdout, stderr: oclif.stderr, status: oclif.status}).toEqual({stdout: '', stderr: `${message}\n`, status: 2})
  })

  it('takes the fast path for simulate, and leaves to oclif what its parser is unsure of', () => {
    expect(FAST_COMMANDS.has('simulate')).toBe(true)
    const fastModule = pathToFileURL(join(root, 'dist', 'src', 'fast', 'simulate.js')).href
    const handled = (argv: string[]) => {
      const script = `const {fastRun} = await import(${JSON.stringify(fastModule)}); process.stderr.write('handled=' + (await fastRun(${JSON.stringify(argv)}, new URL(${JSON.stringify(pathToFileURL(root).href + '/')}))) + '\\n')`
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 30_000, env: baseEnv})
      return {stderr: r.stderr, status: r.status}
    }
    expect(handled(['--port', 'x'])).toEqual({stderr: 'error: invalid --port "x": expected 0 (any free port) or 1-65535\nhandled=true\n', status: 2})
    for (const argv of [['run', 'scenario.yaml'], ['--help'], ['--bogus'], ['--port', '1', '--port', '2'], ['--port']]) {
      expect(handled(argv), argv.join(' ')).toEqual({stderr: 'handled=false\n', status: 0})
    }
    // oclif's own parse errors stay oclif's (one line, exit 2).
    const unknown = spawnSync(bin, ['simulate', '--bogus'], {encoding: 'utf8', timeout: 30_000, env: baseEnv})
    expect(unknown.status).toBe(2)
    expect(unknown.stderr.split('\n')[0]).toMatch(/^error: Nonexistent flag: --bogus/)
  })

  it('takes --gpus-per-node, --nodes and --catalog (YAML, loaded on use by the bundle)', async () => {
    const catalogDir = join(dir, 'catalog')
    mkdirSync(catalogDir, {recursive: true})
    writeFileSync(join(catalogDir, 'extra.yaml'), 'images: []\n')
    const sim = await start(['--nodes', 'mi325x=1', '--gpus-per-node', '4', '--catalog', catalogDir], join(dir, 'other.jsonl'))
    expect(kubectl('get', 'node', 'gpu-mi325x-0', '-o', "jsonpath={.status.allocatable['amd\\.com/gpu']}").stdout).toBe('4')
    sim.child.kill('SIGTERM')
    expect((await sim.exited).code).toBe(0)
  }, 60_000)

  it('--operators ome serves OME, so seed 004\'s `kubectl get inferenceservice` is ome.io\'s', async () => {
    const sim = await start(['--operators', 'ome'], join(dir, 'ome.jsonl'))
    expect(sim.stderr()).toContain('operators ome; nodes mi300x=2')
    const models = join(root, 'fixtures', 'ome', 'models.yaml')
    const runtimes = join(root, 'fixtures', 'ome', 'runtimes.yaml')
    const isvc = join(root, 'fixtures', 'ome', 'seed-004-raw-deployment.yaml')
    expect(kubectl('apply', '-f', models, '-f', runtimes, '-f', isvc).code).toBe(0)
    const got = kubectl('get', 'inferenceservice', 'llama-chat', '-o', 'jsonpath={.apiVersion}')
    expect(got).toEqual({code: 0, stdout: 'ome.io/v1beta1', stderr: ''})
    const aim = kubectl('get', 'aimservices')
    expect(aim.code).toBe(1)
    expect(aim.stderr.trim()).toBe('error: the server doesn\'t have a resource type "aimservices"')
    sim.child.kill('SIGTERM')
    expect((await sim.exited).code).toBe(0)
  }, 60_000)

  it('rejects an unknown operator with exit code 2 and one line', () => {
    const r = spawnSync(bin, ['simulate', '--operators', 'aim,kserve'], {encoding: 'utf8', timeout: 30_000})
    expect(r.status).toBe(2)
    expect(r.stderr.trim()).toBe('error: invalid --operators: unknown operator "kserve" (expected a comma-separated list of: aim, ome)')
  })

  it('runs as the one-file bundle dist/fast/simulate.cjs, whose code cache is saved at the ready line', async () => {
    const cacheDir = join(root, 'dist', 'fast', '.cache')
    const simulateCaches = () => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => /^simulate\.cjs\..*\.v8cache$/.test(f)) : [])
    expect(existsSync(join(root, 'dist', 'fast', 'simulate.cjs'))).toBe(true)
    for (const f of simulateCaches()) rmSync(join(cacheDir, f), {force: true})
    const sim = await start([], join(dir, 'bundle.jsonl'), PROBE)
    // Served after the synchronous save that follows the ready line.
    expect(kubectl('get', 'nodes', '-o', 'name').stdout).toBe('node/gpu-mi300x-0\nnode/gpu-mi300x-1\n')
    sim.child.kill('SIGKILL')
    expect((await sim.exited).signal).toBe('SIGKILL')
    expect(simulateCaches()).toHaveLength(1)
    expect(sim.stderr()).not.toContain('OCLIF-LOADED')
  }, 60_000)

  it('fastRun calls the ready hook right after the ready line, and a SIGTERM then flushes --state', () => {
    const fastModule = pathToFileURL(join(root, 'dist', 'src', 'fast', 'simulate.js')).href
    const statePath = join(dir, 'hook', 'cluster.jsonl')
    const argv = ['--state', statePath, '--seed', 'hook']
    const script = `const {fastRun} = await import(${JSON.stringify(fastModule)})
let calls = 0
const handled = await fastRun(${JSON.stringify(argv)}, new URL(${JSON.stringify(pathToFileURL(root).href + '/')}), {ready: () => { calls++; process.stderr.write('ready hook\\n'); process.kill(process.pid, 'SIGTERM') }})
process.stderr.write('handled=' + handled + ' calls=' + calls + '\\n')`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: 30_000, env: baseEnv})
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^kubectl-aim simulator ready at https:\/\/127\.0\.0\.1:\d+\n$/)
    expect(r.stderr).toMatch(/Ctrl-C stops\nready hook\nSIGTERM: stopping the simulator and flushing state\nhandled=true calls=1\n$/)
    const journal = readFileSync(statePath, 'utf8')
    expect(journal).toContain('"name":"gpu-mi300x-1"')
  })

  it('syncs the state file a handful of times before the ready line, not once per bootstrap object', async () => {
    const counter = join(dir, 'count-syncs.cjs')
    writeFileSync(
      counter,
      `const fs = require('node:fs'); let n = 0
for (const name of ['fsyncSync', 'fdatasyncSync']) { const f = fs[name]; fs[name] = (fd) => { n++; return f(fd) } }
const write = process.stdout.write.bind(process.stdout)
process.stdout.write = (chunk, ...rest) => { if (String(chunk).startsWith('kubectl-aim simulator ready')) fs.writeSync(2, 'syncs=' + n + '\\n'); return write(chunk, ...rest) }
`,
    )
    const statePath = join(dir, 'syncs', 'cluster.jsonl')
    const sim = await start([], statePath, {NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${counter}`.trim()})
    const syncs = Number(/syncs=(\d+)\n/.exec(sim.stderr())?.[1])
    // Opening (compacting) the journal: 2; the initial namespaces, at the end of the turn that wrote
    // them (the server's listen is awaited): 1. The bootstrap's writes are synced after the ready
    // line, at the end of its turn, or before a response leaves the API server.
    expect(syncs).toBe(3)
    sim.child.kill('SIGTERM')
    expect((await sim.exited).code).toBe(0)
    // Everything the bootstrap wrote is in the journal.
    const journal = readFileSync(statePath, 'utf8')
    for (const name of ['"name":"kube-system"', '"name":"gpu-mi300x-0"', '"name":"gpu-mi300x-1"', '"kind":"StorageClass"']) expect(journal).toContain(name)
  }, 60_000)

  it('groupCommit: the writes inside are journaled, its value and errors pass through', async () => {
    const {createStore} = await import('../../simulator/store/index.js')
    const {VirtualClock} = await import('../../simulator/clock/index.js')
    const statePath = join(dir, 'group', 'cluster.jsonl')
    const store = createStore({clock: new VirtualClock(), statePath})
    const cm = (name: string) => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default'}, data: {k: name}})
    expect(store.groupCommit(() => (store.create(cm('a')), store.groupCommit(() => store.create(cm('b'))).metadata.name))).toBe('b')
    expect(() => store.groupCommit(() => (store.create(cm('c')), store.create(cm('c'))))).toThrow(/already exists/)
    store.create(cm('d'))
    store.close()
    const reopened = createStore({clock: new VirtualClock(), statePath})
    expect(reopened.list({group: '', version: 'v1', plural: 'configmaps'}, {namespace: 'default'}).items.map((o) => o.metadata.name)).toEqual(['a', 'b', 'c', 'd'])
    reopened.close()
  })

  it("journal 'deferred' sync: one fdatasync per event-loop turn, flush() only when a write is pending", () => {
    const storeModule = join(root, 'simulator', 'store', 'index.ts')
    const clockModule = join(root, 'simulator', 'clock', 'index.ts')
    const script = `const fs = process.getBuiltinModule('node:fs'); let n = 0
const sync = fs.fdatasyncSync; fs.fdatasyncSync = (fd) => { n++; return sync(fd) }
process.getBuiltinModule('node:module').syncBuiltinESMExports()
const {createStore} = await import(${JSON.stringify(pathToFileURL(storeModule).href)})
const {VirtualClock} = await import(${JSON.stringify(pathToFileURL(clockModule).href)})
const counts = []
for (const fsync of [true, 'deferred']) {
  const store = createStore({clock: new VirtualClock(), statePath: ${JSON.stringify(join(dir, 'deferred'))} + '/' + fsync + '.jsonl', fsync})
  n = 0
  for (let i = 0; i < 50; i++) store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cm-' + i, namespace: 'default'}})
  const inTurn = n
  await new Promise((r) => setImmediate(r))
  const afterTurn = n
  store.flush()
  store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'late', namespace: 'default'}})
  store.flush()
  counts.push([inTurn, afterTurn, n])
  store.close()
}
process.stdout.write(JSON.stringify(counts))`
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 60_000, cwd: root, env: baseEnv})
    expect(r.stderr).toBe('')
    // per write: 50, 50, 51; deferred: none in the turn, one after it, none for an empty flush, one for 'late'.
    expect(JSON.parse(r.stdout)).toEqual([
      [50, 50, 51],
      [0, 1, 2],
    ])
  }, 60_000)

  it('syncs the journal before a response or a watch event leaves the API server', async () => {
    const {startSimulator} = await import('../../simulator/index.js')
    const {request} = await import('node:https')
    const sim = await startSimulator({statePath: join(dir, 'before-send', 'cluster.jsonl'), controllers: false})
    const log: string[] = []
    const flush = sim.store.flush.bind(sim.store)
    sim.store.flush = () => {
      log.push('flush')
      flush()
    }
    const call = (method: string, path: string, body?: unknown, onData?: (chunk: string) => void, onHeaders?: () => void) =>
      new Promise<string>((res, rej) => {
        const req = request(`${sim.url}${path}`, {method, ca: sim.caCert, headers: {authorization: `Bearer ${sim.token}`, 'content-type': 'application/json'}}, (response) => {
          onHeaders?.()
          let text = ''
          response.setEncoding('utf8').on('data', (d: string) => {
            log.push('data')
            text += d
            onData?.(d)
          })
          response.on('end', () => res(text))
        })
        req.on('error', rej)
        req.end(body === undefined ? undefined : JSON.stringify(body))
      })
    try {
      await call('POST', '/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'acked'}})
      expect(log[0]).toBe('flush')
      expect(log).toContain('data')
      log.length = 0
      // A watch event of a write made outside a request (as a controller's) goes out after a flush too.
      let watched!: () => void
      let started!: () => void
      const event = new Promise<void>((res) => (watched = res))
      const headers = new Promise<void>((res) => (started = res))
      const rv = sim.store.resourceVersion()
      const watch = call('GET', `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, undefined, (d) => d.includes('"ADDED"') && watched(), () => started())
      await headers
      log.length = 0
      sim.store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'by-controller', namespace: 'default'}})
      await event
      expect(log.slice(0, 2)).toEqual(['flush', 'data'])
      await sim.stop() // ends the watch stream
      await watch
    } finally {
      await sim.stop()
    }
  }, 60_000)

  it('makes its serving certificate with @peculiar/x509: a P-256 CA for 127.0.0.1 and localhost, read back by OpenSSL', async () => {
    const now = new Date('2026-03-01T12:00:00Z')
    const {certPem, keyPem} = await generateServingCert(now)
    const cert = new X509Certificate(certPem)
    expect(cert.subject).toBe('CN=kubectl-aim-simulator')
    expect(cert.issuer).toBe('CN=kubectl-aim-simulator')
    expect(cert.ca).toBe(true)
    expect(cert.verify(cert.publicKey)).toBe(true)
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true)
    expect(cert.publicKey.asymmetricKeyDetails).toEqual({namedCurve: 'prime256v1'})
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost')
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1'])
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-03-01T11:59:00.000Z')
    expect(new Date(cert.validTo).toISOString()).toBe('2027-03-01T12:00:00.000Z')
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/)
    // The library reads back the extensions (critical flags included).
    await import('reflect-metadata')
    const x509 = await import('@peculiar/x509')
    const parsed = new x509.X509Certificate(certPem)
    expect(parsed.signatureAlgorithm).toMatchObject({name: 'ECDSA', hash: {name: 'SHA-256'}})
    const basic = parsed.getExtension(x509.BasicConstraintsExtension)!
    expect([basic.ca, basic.critical]).toEqual([true, true])
    const usages = parsed.getExtension(x509.KeyUsagesExtension)!
    expect([usages.usages, usages.critical]).toEqual([x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign, true])
    expect(parsed.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual([x509.ExtendedKeyUsage.serverAuth])
    expect(parsed.getExtension(x509.SubjectAlternativeNameExtension)!.names.toJSON()).toEqual([
      {type: 'ip', value: '127.0.0.1'},
      {type: 'dns', value: 'localhost'},
    ])
    // Dates from 2050 are GeneralizedTime (RFC 5280).
    expect(new X509Certificate((await generateServingCert(new Date('2049-12-31T23:59:30Z'))).certPem).validTo).toBe('Dec 31 23:59:30 2050 GMT')
  })

  it('caches the pair beside --state (key 0600) and reuses it', async () => {
    const statePath = join(dir, 'certs', 'cluster.jsonl')
    const first = await loadOrCreateServingCert(statePath)
    expect(statSync(`${statePath}.tls.key`).mode & 0o777).toBe(0o600)
    expect(readFileSync(`${statePath}.tls.crt`, 'utf8')).toBe(first.certPem)
    expect(await loadOrCreateServingCert(statePath)).toEqual(first)
  })
})

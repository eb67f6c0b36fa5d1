import {spawn} from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore} from '../../../simulator/store/index.js'

const CM = {group: '', plural: 'configmaps'}
const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'))
})
afterEach(() => {
  fs.rmSync(dir, {recursive: true, force: true})
})

describe('store: persistence', () => {
  it('round-trips objects, versions and counters through close and reopen', () => {
    const statePath = path.join(dir, 'state.jsonl')
    const clock = new VirtualClock()
    const a = createStore({clock, seed: 'p', statePath})
    a.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'one', namespace: 'default'}, data: {k: 'v'}})
    a.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 's', namespace: 'default', finalizers: ['f/x']}, spec: {model: {name: 'm'}, replicas: 1}})
    a.mutate(SVC, 'default', 's', (o) => {
      o.status = {status: 'Running'}
    }, {subresource: 'status'})
    a.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'two', namespace: 'default'}})
    a.delete(CM, 'default', 'two')
    a.delete(SVC, 'default', 's')
    const before = a.dump()
    const rv = a.resourceVersion()
    a.close()
    expect(() => a.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'late', namespace: 'default'}})).toThrow('the store is closed')

    const b = createStore({clock, seed: 'p', statePath})
    expect(b.dump()).toEqual(before)
    expect(b.resourceVersion()).toBe(rv)
    expect(b.mustGet(SVC, 'default', 's').metadata.deletionTimestamp).toBeDefined()
    const next = b.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'three', namespace: 'default'}})
    expect(next.metadata.resourceVersion).toBe(String(Number(rv) + 1))
    expect(before.map((o) => o.metadata.uid)).not.toContain(next.metadata.uid)
    // The history did not survive: resuming from before the restart is 410.
    let err: unknown
    try {
      b.watch(CM, {resourceVersion: '4'}, () => undefined)
    } catch (e) {
      err = e
    }
    expect((err as ApiError).code).toBe(410)
    b.close()
  })

  it('keeps every acknowledged write without close(), and compacts on open', () => {
    const statePath = path.join(dir, 'state.jsonl')
    const clock = new VirtualClock()
    const a = createStore({clock, statePath})
    for (let i = 0; i < 20; i++) {
      a.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `c${i}`, namespace: 'default'}})
    }
    for (let i = 0; i < 10; i++) a.delete(CM, 'default', `c${i}`)
    const linesBefore = fs.readFileSync(statePath, 'utf8').trim().split('\n').length
    const b = createStore({clock, statePath})
    expect(b.list(CM).items.map((c) => c.metadata.name)).toEqual(['c10', 'c11', 'c12', 'c13', 'c14', 'c15', 'c16', 'c17', 'c18', 'c19'])
    const linesAfter = fs.readFileSync(statePath, 'utf8').trim().split('\n').length
    expect(linesAfter).toBe(1 + 3 + 10) // header, namespaces, config maps
    expect(linesAfter).toBeLessThan(linesBefore)
    expect(fs.existsSync(`${statePath}.tmp`)).toBe(false)
    a.close()
    b.close()
  })

  it('ignores a torn last line', () => {
    const statePath = path.join(dir, 'state.jsonl')
    const clock = new VirtualClock()
    const a = createStore({clock, statePath})
    a.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'whole', namespace: 'default'}})
    a.close()
    fs.appendFileSync(statePath, '{"t":"p","g":"","p":"configmaps","o":{"apiVersion":"v1","kind":"Conf')
    const b = createStore({clock, statePath})
    expect(b.list(CM).items.map((c) => c.metadata.name)).toEqual(['whole'])
    b.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'after', namespace: 'default'}})
    b.close()
    const c = createStore({clock, statePath})
    expect(c.list(CM).items.map((x) => x.metadata.name)).toEqual(['after', 'whole'])
    c.close()
  })

  it('survives kill -9 in the middle of writing', async () => {
    const statePath = path.join(dir, 'state.jsonl')
    const script = path.join(dir, 'writer.ts')
    fs.writeFileSync(
      script,
      [
        `import {VirtualClock} from ${JSON.stringify(path.join(root, 'simulator/clock/index.ts'))}`,
        `import {createStore} from ${JSON.stringify(path.join(root, 'simulator/store/index.ts'))}`,
        `const store = createStore({clock: new VirtualClock(), statePath: ${JSON.stringify(statePath)}})`,
        `for (let i = 0; ; i++) {`,
        `  store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c' + i, namespace: 'default'}, data: {pad: 'x'.repeat(2000)}})`,
        `  process.stdout.write('acked c' + i + '\\n')`,
        `}`,
      ].join('\n'),
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    const acked: string[] = []
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer did not start: ${stderr}`)), 20_000)
      let buf = ''
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString()
        const lines = buf.split('\n')
        buf = lines.pop()!
        for (const l of lines) acked.push(l.replace('acked ', ''))
        if (acked.length >= 50) {
          clearTimeout(timer)
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
    await new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))
    const store = createStore({clock: new VirtualClock(), statePath})
    const names = new Set(store.list(CM).items.map((c) => c.metadata.name))
    expect(acked.length).toBeGreaterThanOrEqual(50)
    for (const name of acked) expect(names.has(name)).toBe(true)
    store.close()
  })
})

/** A simulator restarted from its saved state keeps the OME service Ready without re-downloading or rewriting it. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {registry} from '../../../src/api/registry.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createControllerManager} from '../../../simulator/controllers/index.js'
import {createStore} from '../../../simulator/store/index.js'
import {parseManifests, readFixture} from './harness.js'

it('restart from a saved state: models stay Ready, the service stays Ready, children are not rewritten', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ome-restart-'))
  try {
    const statePath = join(dir, 'state.jsonl')
    const clock = new VirtualClock(Date.UTC(2026, 0, 1))
    const store = createStore({clock, seed: 'r', statePath})
    const m1 = createControllerManager({store, clock, seed: 'r', operators: ['ome']})
    m1.start()
    for (const file of ['models.yaml', 'runtimes.yaml', 'seed-004-router.yaml']) {
      for (const o of parseManifests(readFixture(file))) {
        const info = registry.forKind(o.apiVersion, o.kind)!
        store.create(info.namespaced ? {...o, metadata: {...o.metadata, namespace: o.metadata.namespace ?? 'default'}} : o)
      }
    }
    await m1.settle(30 * 60_000)
    const isvcRef = {group: 'ome.io', plural: 'inferenceservices'}
    const before = store.get(isvcRef, 'default', 'llama-routed')!
    const deploy = store.get({group: 'apps', plural: 'deployments'}, 'default', 'llama-routed-engine')!
    expect((before.status as any).conditions.find((c: any) => c.type === 'Ready').status).toBe('True')
    m1.stop()
    store.close()

    const store2 = createStore({clock, seed: 'r', statePath})
    const m2 = createControllerManager({store: store2, clock, seed: 'r', operators: ['ome']})
    m2.start()
    await m2.settle(30 * 60_000)
    const after = store2.get(isvcRef, 'default', 'llama-routed')!
    expect((after.status as any).conditions.find((c: any) => c.type === 'Ready').status).toBe('True')
    expect(store2.get({group: 'apps', plural: 'deployments'}, 'default', 'llama-routed-engine')!.metadata.generation).toBe(deploy.metadata.generation)
    expect((store2.get({group: 'ome.io', plural: 'clusterbasemodels'}, undefined, 'llama-3-70b-instruct')!.status as any).state).toBe('Ready')
    m2.stop()
    store2.close()
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
})

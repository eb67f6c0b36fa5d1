/**
 * Ages are computed against the server's clock: the simulator sends its virtual time in the HTTP
 * `Date` header, and the CLI's KubeClient keeps the skew. Here the simulator's manual clock is far
 * from wall time, as it runs ahead at --speed > 1.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import CacheList from '../../commands/cache/list.js'
import Status from '../../commands/status.js'
import {KubeClient} from '../../src/kube/client.js'
import {K} from '../../src/kube/aim.js'
import {collectStatus} from '../../src/kube/report.js'
import {renderServiceTable, renderStatusText} from '../../src/ui/status-view.js'
import {serviceRow} from '../../src/kube/report.js'
import {runCommand} from './harness.js'

vi.setConfig({testTimeout: 60_000, hookTimeout: 60_000})

let sim: Simulator
let kc: string

beforeAll(async () => {
  sim = await startSimulator({seed: 'server-clock', controllers: false})
  kc = join(mkdtempSync(join(tmpdir(), 'aim-server-clock-')), 'kubeconfig')
  sim.writeKubeconfig(kc)
  sim.store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
  sim.store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'aged', namespace: 'ml-team'}, spec: {model: {name: 'm'}}})
  sim.store.create({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMTemplateCache', metadata: {name: 'aged-cache', namespace: 'ml-team'}, spec: {templateName: 't', templateScope: 'Namespace'}})
  await sim.clock.advance(3 * 60_000)
})
afterAll(async () => {
  await sim?.stop()
})

describe('server clock', () => {
  it('the API server sends its virtual time as the Date header', async () => {
    const client = KubeClient.create({kubeconfig: kc})
    expect(client.serverSkewMs).toBe(0)
    await client.get(K.service, 'aged', 'ml-team')
    // the premise: this simulator's clock is not wall time
    expect(Math.abs(sim.clock.now() - Date.now())).toBeGreaterThan(10 * 60_000)
    // HTTP dates have one-second resolution
    expect(Math.abs(client.now() - sim.clock.now())).toBeLessThan(2_000)
  })

  it('status shows the age on the server: created 3 virtual minutes ago reads 3m', async () => {
    const client = KubeClient.create({kubeconfig: kc, namespace: 'ml-team'})
    const r = await collectStatus(client, 'aged', 'ml-team')
    expect(renderStatusText(r, client.now())).toMatch(/^Age:\s+3m$/m)
    const svc = await client.get(K.service, 'aged', 'ml-team')
    const table = renderServiceTable([serviceRow(svc as never)], client.now())
    expect(table.split('\n')[1]).toMatch(/^aged\s+.*\s3m(\s|$)/)
  })

  it('kubectl aim status NAME and the status table print 3m', async () => {
    const one = await runCommand(Status, ['aged', '--kubeconfig', kc, '-n', 'ml-team'])
    expect(one.code).toBe(0)
    expect(one.stdout).toMatch(/^Age:\s+3m$/m)
    const table = await runCommand(Status, ['--kubeconfig', kc, '-n', 'ml-team'])
    const [header, row] = table.stdout.split('\n')
    expect(row!.slice(header!.indexOf('AGE')).split(/\s+/)[0]).toBe('3m')
  })

  it('cache list ages come from the server clock', async () => {
    const r = await runCommand(CacheList, ['--kubeconfig', kc, '-n', 'ml-team'])
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/\bAGE\b/)
    const header = r.stdout.split('\n')[0]!
    const row = r.stdout.split('\n')[1]!
    expect(row.startsWith('aged-cache')).toBe(true)
    expect(row.slice(header.indexOf('AGE')).split(/\s+/)[0]).toBe('3m')
  })
})

/**
 * Smoke set with the oldest and newest versioned kubectl binaries that sit beside the
 * dispatcher (1.27 needs /openapi/v2 and aggregated discovery v2beta1; 1.33 the newest forms).
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startHarness, tableRows, versionedKubectls, type Harness} from './helpers.js'

const bins = versionedKubectls()
const picks = bins.length > 0 ? [bins[0]!, bins[bins.length - 1]!] : []

let h: Harness

beforeAll(async () => {
  h = await startHarness({controllers: false})
  h.sim.store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
})

afterAll(async () => {
  await h?.close()
})

it('finds versioned kubectl binaries beside the dispatcher', () => {
  expect(picks.map((b) => b.replace(/^.*kubectl\./, ''))).toEqual(['1.27', '1.33'])
})

describe.each(picks.map((bin) => [bin.replace(/^.*\//, ''), bin]))('%s', (name, bin) => {
  const ns = `smoke-${name.replace(/\./g, '-')}`

  it('api-resources, apply (client-side and server-side), get, patch, delete', async () => {
    h.sim.store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: ns}})
    const file = join(h.dir, `${name}.yaml`)
    writeFileSync(file, `apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: smoke\n  namespace: ${ns}\nspec:\n  model: {name: m1}\n  replicas: 1\n`)
    const kc = (args: string[]) => h.kubectl(args, {bin})
    const resources = await kc(['api-resources', '--api-group=aim.eai.amd.com', '--no-headers'])
    expect(tableRows(resources.stdout)).toContainEqual(['aimservices', 'aimsvc', 'aim.eai.amd.com/v1alpha1', 'true', 'AIMService'])
    expect((await kc(['apply', '-f', file])).stdout.trim()).toBe('aimservice.aim.eai.amd.com/smoke created')
    writeFileSync(file, `apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: smoke\n  namespace: ${ns}\nspec:\n  model: {name: m1}\n  replicas: 2\n`)
    expect((await kc(['apply', '-f', file])).stdout.trim()).toBe('aimservice.aim.eai.amd.com/smoke configured')
    expect((await kc(['apply', '--server-side', '--force-conflicts', '-f', file])).stdout.trim()).toBe('aimservice.aim.eai.amd.com/smoke serverside-applied')
    const table = await kc(['-n', ns, 'get', 'aimsvc'])
    expect(tableRows(table.stdout)[0]).toEqual(['NAME', 'STATUS', 'MODEL', 'TEMPLATE', 'REPLICAS', 'AGE'])
    const patched = await kc(['-n', ns, 'patch', 'aimsvc', 'smoke', '--type', 'merge', '-p', '{"spec":{"replicas":3}}'])
    expect(patched.stdout.trim()).toBe('aimservice.aim.eai.amd.com/smoke patched')
    const jp = await kc(['-n', ns, 'get', 'aimsvc', 'smoke', '-o', 'jsonpath={.spec.replicas}'])
    expect(jp.stdout).toBe('3')
    expect((await kc(['-n', ns, 'delete', 'aimsvc', 'smoke'])).stdout.trim()).toBe('aimservice.aim.eai.amd.com "smoke" deleted')
  })
})

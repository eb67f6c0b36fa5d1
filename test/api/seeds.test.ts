/**
 * The kubectl commands printed in the seed documents, run verbatim (placeholders filled in)
 * against the whole simulated cluster (controllers on) after deploying seed 001's examples.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startHarness, tableRows, type Harness} from './helpers.js'

const SEEDS = join(import.meta.dirname, '../../fixtures/seeds')
let h: Harness
let isvc: string

beforeAll(async () => {
  h = await startHarness({seed: 'api-seeds'})
  await h.sim.settle(60_000)
  const scaled = join(h.dir, 'scaled.yaml')
  writeFileSync(scaled, readFileSync(join(SEEDS, '001-autoscaling-basic.yaml'), 'utf8').replace('name: qwen-chat', 'name: qwen-scaled'))
  const support = await h.kubectl(['apply', '-f', join(SEEDS, 'support-ml-team.yaml')])
  expect(support.code).toBe(0)
  const apply = await h.kubectl(['apply', '-f', join(SEEDS, '001-complete-example.yaml'), '-f', scaled])
  expect(apply.stdout.trim().split('\n')).toEqual(['aimservice.aim.eai.amd.com/qwen-chat created', 'aimservice.aim.eai.amd.com/qwen-scaled created'])
  await h.sim.settle(3_600_000)
  const found = h.sim.store.list({group: 'serving.kserve.io', plural: 'inferenceservices'}, {namespace: 'ml-team', labelSelector: 'aim.eai.amd.com/service.name=qwen-scaled'})
  isvc = found.items[0]!.metadata.name!
}, 60_000)

afterAll(async () => {
  await h?.close()
})

describe('seed 001/002 troubleshooting commands', () => {
  it('get, describe and jsonpath on the AIMService', async () => {
    const [get, describeOut, ready, conditions] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'get', 'aimservice', 'qwen-chat']),
      h.kubectl(['-n', 'ml-team', 'describe', 'aimservice', 'qwen-chat']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimservice', 'qwen-chat', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimservice', 'qwen-chat', '-o', 'jsonpath={.status.conditions[?(@.type=="HTTPRouteReady")]}']),
    ])
    expect(tableRows(get.stdout)[1]?.slice(0, 5)).toEqual(['qwen-chat', 'Running', 'qwen-qwen3-32b', 'qwen3-32b-latency', '2'])
    expect(describeOut.stdout).toMatch(/^Name:\s+qwen-chat$/m)
    expect(describeOut.stdout).toMatch(/^Events:/m)
    expect(ready.code).toBe(0)
    expect(ready.stdout.length).toBeGreaterThan(0)
    expect(JSON.parse(conditions.stdout)).toMatchObject({type: 'HTTPRouteReady', status: 'True'})
  })

  it('derived objects by label: InferenceService, HTTPRoute, pods, template caches', async () => {
    const [isvcs, routes, pods, caches, templates] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'get', 'inferenceservice', '-l', 'aim.eai.amd.com/service.name=qwen-chat', '-o', 'name']),
      h.kubectl(['-n', 'ml-team', 'get', 'httproute', '-l', 'aim.eai.amd.com/service.name=qwen-chat', '-o', 'name']),
      h.kubectl(['get', 'pods', '-l', `serving.kserve.io/inferenceservice=${isvc}`, '-n', 'ml-team', '--no-headers']),
      h.kubectl(['get', 'aimtemplatecache', '-l', 'aim.eai.amd.com/service.name=qwen-chat', '-A', '-o', 'name']),
      h.kubectl(['get', 'aimservicetemplates', '-A', '-o', 'custom-columns=NAME:.metadata.name,STATUS:.status.status']),
    ])
    expect(isvcs.stdout).toMatch(/^inferenceservice\.serving\.kserve\.io\/qwen-chat-[0-9a-f]{8}$/m)
    expect(routes.stdout).toMatch(/^httproute\.gateway\.networking\.k8s\.io\/qwen-chat-/m)
    expect(tableRows(pods.stdout).map((r) => r.slice(1, 3))).toEqual([['1/1', 'Running']])
    expect(caches.stdout).toMatch(/^aimtemplatecache\.aim\.eai\.amd\.com\/qwen3-32b-latency-/m)
    expect(tableRows(templates.stdout)[0]).toEqual(['NAME', 'STATUS'])
  })

  it('autoscaling: hpa get and describe, scaledobject -o yaml, top pods', async () => {
    const [hpa, describeHpa, so, top] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'get', 'hpa', `keda-hpa-${isvc}-predictor`]),
      h.kubectl(['-n', 'ml-team', 'describe', 'hpa', `keda-hpa-${isvc}-predictor`]),
      h.kubectl(['-n', 'ml-team', 'get', 'scaledobject', `${isvc}-predictor`, '-o', 'yaml']),
      h.kubectl(['top', 'pods', '-n', 'ml-team', '-l', `serving.kserve.io/inferenceservice=${isvc}`, '--no-headers']),
    ])
    expect(tableRows(hpa.stdout)[0]).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'])
    expect(tableRows(hpa.stdout)[1]?.slice(0, 2)).toEqual([`keda-hpa-${isvc}-predictor`, `Deployment/${isvc}-predictor`])
    expect(describeHpa.stdout).toMatch(/^Reference:\s+Deployment\//m)
    expect(so.stdout).toContain('kind: ScaledObject')
    expect(so.stdout).toContain('maxReplicaCount: 5')
    expect(tableRows(top.stdout)).toHaveLength(1)
  })

  it('get hpa -w prints the current state', async () => {
    const watch = h.streamUntil(['-n', 'ml-team', 'get', 'hpa', `keda-hpa-${isvc}-predictor`, '-w'], `keda-hpa-${isvc}-predictor`)
    expect(await watch.done).toMatch(/^NAME\s+REFERENCE\s+TARGETS/)
  })
})

import {describe, expect, it} from 'vitest'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {LogStore} from '../../../simulator/cluster/logs.js'
import type {KubeObject} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {condition, deployment, startCluster} from './helpers.js'

const pods = {group: '', plural: 'pods'}
const nodes = {group: '', plural: 'nodes'}

describe('pod logs', () => {
  it('filters by tailLines and sinceSeconds, prefixes timestamps, and follows new lines', async () => {
    const clock = new VirtualClock()
    const logs = new LogStore(clock)
    logs.startRun('ns', 'p', 'c')
    logs.append('ns', 'p', 'c', 'one')
    await clock.advance(60_000)
    logs.append('ns', 'p', 'c', 'two')
    logs.append('ns', 'p', 'c', 'three')
    expect(logs.read('ns', 'p')).toEqual(['one', 'two', 'three'])
    expect(logs.read('ns', 'p', {tailLines: 2})).toEqual(['two', 'three'])
    expect(logs.read('ns', 'p', {sinceSeconds: 30})).toEqual(['two', 'three'])
    expect(logs.read('ns', 'p', {tailLines: 1, timestamps: true})).toEqual(['2026-01-01T00:01:00.000000000Z three'])
    const seen: string[] = []
    let ended = false
    const stop = logs.follow('ns', 'p', {}, (l) => seen.push(l), () => (ended = true))
    logs.append('ns', 'p', 'c', 'four')
    logs.endRun('ns', 'p', 'c')
    expect(seen).toEqual(['four'])
    expect(ended).toBe(true)
    stop()
  })

  it('answers like kubelet for unknown pods, unknown containers and containers not started yet', async () => {
    const {store, manager} = startCluster()
    manager.faults.failImagePull('nginx')
    store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'two', namespace: 'default'}, spec: {containers: [{name: 'a', image: 'nginx:1'}, {name: 'b', image: 'nginx:1'}]}} as KubeObject)
    await manager.settle(5000)
    const err = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return e instanceof ApiError ? [e.code, e.message] : e
      }
      return undefined
    }
    expect(err(() => manager.logs.read('default', 'nope'))).toEqual([404, 'pods "nope" not found'])
    expect(err(() => manager.logs.read('default', 'two'))).toEqual([400, 'a container name must be specified for pod two, choose one of: [a b]'])
    expect(err(() => manager.logs.read('default', 'two', {container: 'x'}))).toEqual([400, 'container x is not valid for pod two'])
    expect(err(() => manager.logs.read('default', 'two', {container: 'a'}))).toEqual([400, 'container "a" in pod "two" is waiting to start: trying and failing to pull image'])
    manager.stop()
  })
})

describe('node faults', () => {
  it('a NotReady node makes its pods unready; removing it lets the deployment reschedule', async () => {
    const {store, manager} = startCluster()
    store.create(deployment('web', 'default', 'nginx:1.27', 1, {'amd.com/gpu': '1'}))
    await manager.settle(60_000)
    const [p] = store.list(pods, {namespace: 'default'}).items
    const node = (p!.spec as {nodeName: string}).nodeName
    manager.faults.setNodeReady(node, false)
    await manager.settle(10_000)
    expect(condition(store.get(nodes, undefined, node), 'Ready')).toMatchObject({status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.'})
    expect(condition(store.get(pods, 'default', p!.metadata.name!), 'Ready')).toMatchObject({status: 'False', reason: 'NodeNotReady'})
    manager.faults.removeNode(node)
    await manager.settle(120_000)
    const after = store.list(pods, {namespace: 'default'}).items
    expect(after).toHaveLength(1)
    expect((after[0]!.spec as {nodeName: string}).nodeName).not.toBe(node)
    expect(condition(after[0], 'Ready')?.status).toBe('True')
    manager.stop()
  })

  it('evicts pods from an unreachable node after the 300 s toleration; the deployment reschedules them', async () => {
    const {store, clock, manager} = startCluster()
    store.create(deployment('web', 'default', 'nginx:1.27', 1, {'amd.com/gpu': '1'}))
    await manager.settle(60_000)
    const [p] = store.list(pods, {namespace: 'default'}).items
    const node = (p!.spec as {nodeName: string}).nodeName
    manager.faults.setNodeReady(node, false)
    await manager.idle()
    await clock.advance(299_000)
    await manager.idle()
    expect(store.get(pods, 'default', p!.metadata.name!)).toBeDefined()
    await manager.settle(120_000)
    expect(store.get(pods, 'default', p!.metadata.name!)).toBeUndefined()
    const [replacement] = store.list(pods, {namespace: 'default'}).items
    expect((replacement!.spec as {nodeName: string}).nodeName).not.toBe(node)
    expect(condition(replacement, 'Ready')?.status).toBe('True')
    manager.stop()
  })

  it('fails a job that runs past activeDeadlineSeconds', async () => {
    const {store, manager} = startCluster()
    manager.faults.failImagePull('busybox')
    store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'slow', namespace: 'default'},
      spec: {activeDeadlineSeconds: 30, template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox:1.36'}]}}},
    } as KubeObject)
    await manager.settle(120_000)
    const job = store.get({group: 'batch', plural: 'jobs'}, 'default', 'slow')
    expect(condition(job, 'Failed')).toMatchObject({status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline'})
    expect(store.list(pods, {namespace: 'default'}).items).toHaveLength(0)
    manager.stop()
  })

  it('removing GPU labels drops the AMD labels of a node', () => {
    const {store, manager} = startCluster()
    manager.faults.removeGpuLabels('gpu-mi300x-1')
    const labels = store.get(nodes, undefined, 'gpu-mi300x-1')!.metadata.labels ?? {}
    expect(Object.keys(labels).filter((k) => k.startsWith('amd.com/'))).toEqual([])
    expect(labels['kubernetes.io/hostname']).toBe('gpu-mi300x-1')
    manager.stop()
  })
})

describe('artifact downloader', () => {
  function job(name: string, args: string[], command?: string[], env: Array<{name: string; value: string}> = []): KubeObject {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name, namespace: 'default'},
      spec: {backoffLimit: 0, template: {spec: {restartPolicy: 'Never', containers: [{name: 'model-download', image: 'ghcr.io/silogen/aim-artifact-downloader:0.2.0', args, ...(command ? {command} : {}), env}]}}},
    }
  }

  it('check-size prints {url, sizeBytes} as its last line', async () => {
    const {store, manager} = startCluster()
    store.create(job('size', ['hf://Qwen/Qwen3-32B'], ['/check-size.sh']))
    await manager.settle(60_000)
    const [p] = store.list(pods, {namespace: 'default', labelSelector: 'job-name=size'}).items
    expect(manager.logs.read('default', p!.metadata.name!).at(-1)).toBe(`{"url": "hf://Qwen/Qwen3-32B", "sizeBytes": ${Math.round(61.04 * 2 ** 30)}}`)
    manager.stop()
  })

  it('downloads at the simulated bandwidth, patching the artifact status; an unknown source fails', async () => {
    const {store, clock, manager} = startCluster()
    store.create({
      apiVersion: 'aim.eai.amd.com/v1alpha1',
      kind: 'AIMArtifact',
      metadata: {name: 'art', namespace: 'default'},
      spec: {sourceUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct', modelId: 'Qwen/Qwen2.5-0.5B-Instruct'},
    })
    manager.faults.setBandwidth(0.1 * 2 ** 30)
    store.create(job('dl', ['hf://Qwen/Qwen2.5-0.5B-Instruct'], undefined, [{name: 'ARTIFACT_NAME', value: 'art'}, {name: 'ARTIFACT_NAMESPACE', value: 'default'}]))
    await manager.idle()
    // Image pull (5 s), start, then the first half of 0.93 GiB at 0.1 GiB/s.
    await clock.advance(12_000)
    await manager.idle()
    const mid = store.get({group: 'aim.eai.amd.com', plural: 'aimartifacts'}, 'default', 'art')!.status as {progress: {percentage: number}; download: {protocol: string}}
    expect(mid.progress.percentage).toBeGreaterThan(0)
    expect(mid.progress.percentage).toBeLessThan(100)
    expect(mid.download.protocol).toBe('XET')
    await manager.settle(5 * 60_000)
    const done = store.get({group: 'aim.eai.amd.com', plural: 'aimartifacts'}, 'default', 'art')!.status as {progress: Record<string, unknown>}
    expect(done.progress).toMatchObject({percentage: 100, displayPercentage: '100 %'})
    expect(condition(store.get({group: 'batch', plural: 'jobs'}, 'default', 'dl'), 'Complete')?.status).toBe('True')

    store.create(job('bad', ['hf://nobody/nothing']))
    await manager.settle(5 * 60_000)
    expect(condition(store.get({group: 'batch', plural: 'jobs'}, 'default', 'bad'), 'Failed')?.status).toBe('True')
    manager.stop()
  })
})

describe('simulated metrics', () => {
  it('reports pod usage for kubectl top and vLLM gauges that follow the load', async () => {
    const {podMetrics, vllmMetricsText} = await import('../../../simulator/cluster/metrics.js')
    const {store, clock, manager} = startCluster()
    const d = deployment('srv', 'default', 'nginx:1.27', 2, {'amd.com/gpu': '1', memory: '48Gi'})
    ;((d.spec as {template: {metadata: {labels: Record<string, string>}}}).template.metadata.labels)['serving.kserve.io/inferenceservice'] = 'srv'
    store.create(d)
    await manager.settle(60_000)
    manager.faults.setLoad('default', 'srv', 8)
    const metrics = podMetrics(store, manager.faults, clock, 'default')
    expect(metrics).toHaveLength(2)
    expect(metrics[0]!.containers).toEqual([{name: 'main', usage: {cpu: '1400000000n', memory: '12845056Ki'}}])
    const [p] = store.list(pods, {namespace: 'default'}).items
    expect(vllmMetricsText(store, manager.faults, p!, 'Qwen/Qwen3-32B')).toContain('vllm:num_requests_running{model_name="Qwen/Qwen3-32B"} 4\n')
    manager.stop()
  })
})

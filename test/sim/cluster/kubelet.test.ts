import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, deployment, eventsFor, startCluster} from './helpers.js'

const pods = {group: '', plural: 'pods'}
const jobs = {group: 'batch', plural: 'jobs'}

function pod(name: string, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default'}, spec: {containers: [{name: 'main', image, ...extra}]}}
}

function waiting(p: KubeObject | undefined): {reason?: string; message?: string} | undefined {
  return (p?.status as {containerStatuses?: Array<{state: {waiting?: {reason?: string; message?: string}}}>}).containerStatuses?.[0]?.state.waiting
}

describe('kubelet and fake containers', () => {
  it('fails to pull an unknown image: ErrImagePull, then ImagePullBackOff with kubelet events', async () => {
    const {store, clock, manager} = startCluster()
    store.create(pod('bad', 'example.com/nope/missing:1.0'))
    await manager.idle()
    await clock.advance(1500)
    await manager.idle()
    let p = store.get(pods, 'default', 'bad')
    expect(waiting(p)?.reason).toBe('ErrImagePull')
    await clock.advance(1000)
    await manager.idle()
    p = store.get(pods, 'default', 'bad')
    expect(waiting(p)).toEqual({reason: 'ImagePullBackOff', message: 'Back-off pulling image "example.com/nope/missing:1.0"'})
    expect((p!.status as {phase: string}).phase).toBe('Pending')
    const events = eventsFor(store, 'default', 'bad')
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'Warning',
        reason: 'Failed',
        message:
          'Failed to pull image "example.com/nope/missing:1.0": rpc error: code = NotFound desc = failed to pull and unpack image "example.com/nope/missing:1.0": failed to resolve reference "example.com/nope/missing:1.0": example.com/nope/missing:1.0: not found',
      }),
    )
    expect(events).toContainEqual(expect.objectContaining({type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff'}))
    // kubelet events name the container (kubectl get events shows it as SUBOBJECT).
    const raw = store.list({group: '', plural: 'events'}, {namespace: 'default'}).items.find((e) => e.reason === 'Pulling')!
    expect(raw.involvedObject).toMatchObject({kind: 'Pod', name: 'bad', fieldPath: 'spec.containers{main}'})
    expect(events).toContainEqual(expect.objectContaining({type: 'Normal', reason: 'BackOff', message: 'Back-off pulling image "example.com/nope/missing:1.0"'}))
    manager.stop()
  })

  it('fails a known image when a pull fault is injected', async () => {
    const {store, manager} = startCluster()
    manager.faults.failImagePull('redis')
    store.create(pod('r', 'redis:7'))
    await manager.settle(20_000)
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting(store.get(pods, 'default', 'r'))?.reason)
    manager.stop()
  })

  it('reports CreateContainerConfigError for a missing secret, and starts once it exists', async () => {
    const {store, manager} = startCluster()
    store.create(pod('s', 'redis:7', {env: [{name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'huggingface-creds', key: 'token'}}}]}))
    await manager.settle(60_000)
    expect(waiting(store.get(pods, 'default', 's'))).toEqual({reason: 'CreateContainerConfigError', message: 'secret "huggingface-creds" not found'})
    store.create({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'huggingface-creds', namespace: 'default'}, data: {token: Buffer.from('hf_x').toString('base64')}})
    await manager.settle(60_000)
    expect(condition(store.get(pods, 'default', 's'), 'Ready')?.status).toBe('True')
    manager.stop()
  })

  it('runs a job to completion, then deletes it after ttlSecondsAfterFinished', async () => {
    const {store, clock, manager} = startCluster()
    store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'once', namespace: 'default'},
      spec: {backoffLimit: 0, ttlSecondsAfterFinished: 60, template: {spec: {restartPolicy: 'Never', containers: [{name: 'c', image: 'busybox:1.36', command: ['echo', 'hi']}]}}},
    })
    await manager.settle(30_000)
    const job = store.get(jobs, 'default', 'once')!
    expect(condition(job, 'Complete')).toMatchObject({status: 'True', reason: 'CompletionsReached'})
    expect(job.status).toMatchObject({succeeded: 1})
    const [jp] = store.list(pods, {namespace: 'default', labelSelector: 'job-name=once'}).items
    expect((jp!.status as {phase: string}).phase).toBe('Succeeded')
    expect(eventsFor(store, 'default', 'once').map((e) => e.reason)).toEqual(['SuccessfulCreate', 'Completed'])
    await clock.advance(61_000)
    await manager.idle()
    expect(store.get(jobs, 'default', 'once')).toBeUndefined()
    manager.stop()
  })

  it('fails a job whose discovery run matches no profile (exit 1, BackoffLimitExceeded)', async () => {
    const {store, manager} = startCluster()
    store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'disc', namespace: 'default'},
      spec: {
        backoffLimit: 0,
        template: {spec: {restartPolicy: 'Never', containers: [{name: 'discovery', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', args: ['dry-run', '--format=json'], env: [{name: 'AIM_GPU_MODEL', value: 'MI355X'}]}]}},
      },
    })
    await manager.settle(5 * 60_000)
    expect(condition(store.get(jobs, 'default', 'disc'), 'Failed')).toMatchObject({status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit'})
    const [jp] = store.list(pods, {namespace: 'default', labelSelector: 'job-name=disc'}).items
    expect(manager.logs.read('default', jp!.metadata.name!)).toEqual([
      'ERROR: no profile of Qwen/Qwen3-32B matches the requested configuration (gpu=MI355X)',
    ])
    manager.stop()
  })

  it('prints the discovery JSON for the requested profile', async () => {
    const {store, manager} = startCluster()
    store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {name: 'disc', namespace: 'default'},
      spec: {
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{
              name: 'discovery',
              image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5',
              args: ['dry-run', '--format=json'],
              env: [{name: 'AIM_METRIC', value: 'latency'}, {name: 'AIM_PRECISION', value: 'fp16'}, {name: 'AIM_GPU_MODEL', value: 'MI300X'}, {name: 'AIM_GPU_COUNT', value: '1'}],
            }],
          },
        },
      },
    })
    await manager.settle(5 * 60_000)
    expect(condition(store.get(jobs, 'default', 'disc'), 'Complete')?.status).toBe('True')
    const [jp] = store.list(pods, {namespace: 'default', labelSelector: 'job-name=disc'}).items
    const out = JSON.parse(manager.logs.read('default', jp!.metadata.name!).join('\n'))
    expect(out).toEqual([
      {
        filename: 'vllm-mi300x-fp16-tp1-latency.yaml',
        profile: {
          model: 'Qwen/Qwen3-32B',
          quantized_model: '',
          metadata: {engine: 'vllm', gpu: 'MI300X', gpu_count: 1, metric: 'latency', precision: 'fp16', type: 'optimized'},
          engine_args: {'tensor-parallel-size': 1, 'max-model-len': 32768, 'max-num-seqs': 64},
          env_vars: {VLLM_ROCM_USE_AITER: '1', GPU_ARCHS: 'gfx942'},
        },
        models: [{name: 'Qwen/Qwen3-32B', source: 'hf://Qwen/Qwen3-32B', size_gb: 61.04}],
      },
    ])
    manager.stop()
  })

  it('serves an AIM image with vLLM-like logs and becomes ready after a size-proportional load', async () => {
    const {store, clock, manager} = startCluster()
    store.create(deployment('qwen', 'default', 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', 1, {'amd.com/gpu': '1'}))
    await manager.settle(60_000)
    const [p] = store.list(pods, {namespace: 'default'}).items
    expect((p!.status as {phase: string}).phase).toBe('Running')
    expect(condition(p, 'Ready')?.status).toBe('False')
    await manager.settle(5 * 60_000)
    const ready = store.list(pods, {namespace: 'default'}).items[0]!
    expect(condition(ready, 'Ready')?.status).toBe('True')
    const lines = manager.logs.read('default', ready.metadata.name!)
    expect(lines).toContain('AIM: selected profile vllm-mi300x-fp16-tp1-latency (optimized, MI300X x1, fp16, latency)')
    expect(lines.some((l) => l.includes('Loading model weights took 61.0400 GB'))).toBe(true)
    expect(lines.at(-1)).toBe('INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)')
    expect(manager.logs.read('default', ready.metadata.name!, {tailLines: 1})).toEqual(['INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'])
    expect(manager.logs.read('default', ready.metadata.name!, {tailLines: 1, timestamps: true})[0]).toMatch(/^2026-01-01T00:\d\d:\d\d\.\d{9}Z INFO: {5}Uvicorn/)
    void clock
    manager.stop()
  })

  it('restarts a crashing container with CrashLoopBackOff', async () => {
    const {store, clock, manager} = startCluster()
    store.create(pod('c', 'redis:7'))
    await manager.settle(30_000)
    manager.faults.crashPod('default', 'c')
    await manager.idle()
    await clock.advance(1500)
    await manager.idle()
    const cs = (store.get(pods, 'default', 'c')!.status as {containerStatuses: Array<{restartCount: number; state: {waiting?: {reason: string}}; lastState: {terminated?: {exitCode: number}}}>}).containerStatuses[0]!
    expect(cs.restartCount).toBe(1)
    expect(cs.state.waiting?.reason).toBe('CrashLoopBackOff')
    expect(cs.lastState.terminated?.exitCode).toBe(139)
    expect(eventsFor(store, 'default', 'c').some((e) => e.reason === 'BackOff' && e.message.startsWith('Back-off restarting failed container main in pod c_default('))).toBe(true)
    expect(manager.logs.read('default', 'c', {previous: true})).toContain('Fatal Python error: Segmentation fault')
    manager.faults.clearCrash('default', 'c')
    await manager.settle(60_000)
    expect(condition(store.get(pods, 'default', 'c'), 'Ready')?.status).toBe('True')
    manager.stop()
  })
})

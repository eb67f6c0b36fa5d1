/**
 * Fake containers: what each image does once the kubelet starts it. A program is a list of
 * timed steps (log lines, status patches) ending in "ready" (a server), or "exit" (a job).
 * The kubelet (controllers/downstream/kubelet.ts) runs the steps on the virtual clock.
 */
import type {KubeObject} from '../../src/api/object.js'
import {parseQuantity} from '../../src/engine/quantity.js'
import type {Store} from '../store/types.js'
import {discoveryOutput, selectProfile, type CatalogImage, type CatalogImageRegistry, type CatalogProfile} from './catalog.js'
import type {FaultInjector} from './faults.js'

export type Step =
  | {at: number; log: string}
  | {at: number; ready: true}
  | {at: number; exit: number; reason?: string; message?: string}
  | {at: number; run: () => void}

export interface ContainerContext {
  pod: KubeObject
  container: {name: string; image?: string; command?: string[]; args?: string[]; env?: Array<{name: string; value?: string}>; resources?: {requests?: Record<string, string | number>; limits?: Record<string, string | number>}}
  /** Env with values resolved (secrets and config maps looked up by the kubelet). */
  env: Record<string, string>
  node?: KubeObject
  image: CatalogImage
  images: CatalogImageRegistry
  faults: FaultInjector
  store: Store
  now: () => number
  random: () => number
  /** Whether the pod belongs to a Job (run-to-completion semantics for generic images). */
  isJob: boolean
}

const GiB = 2 ** 30

function vllmTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

function gpuModelOfNode(node: KubeObject | undefined): string | undefined {
  const name = node?.metadata.labels?.['amd.com/gpu.product-name']
  if (!name) return undefined
  return /MI\d+[A-Z]*/.exec(name)?.[0]
}

/** Build the program a container runs. */
export function containerProgram(c: ContainerContext): Step[] {
  const args = [...(c.container.command ?? []), ...(c.container.args ?? [])]
  const crash = c.faults.crashes(c.pod.metadata.namespace ?? '', c.pod.metadata.name ?? '', c.image.image)
  let steps: Step[]
  switch (c.image.kind) {
    case 'downloader':
      steps = args.some((a) => a.includes('check-size')) ? checkSizeProgram(c, args) : downloadProgram(c, args)
      break
    case 'aim-model':
    case 'aim-base':
      steps = args.includes('dry-run') ? discoveryProgram(c) : servingProgram(c)
      break
    default:
      // Inference servers from public images (OME runtimes, seed 004) load a model like vLLM does.
      steps = !c.isJob && /(^|\/)(vllm|sglang|custom-vllm|vllm-openai)([:/-]|$)/.test(c.image.image) ? servingProgram(c) : genericProgram(c)
  }
  if (crash) {
    const kept = steps.filter((s) => s.at < 5000 && !('ready' in s) && !('exit' in s))
    kept.push({at: 5000, log: 'Fatal Python error: Segmentation fault'})
    kept.push({at: 5000, exit: 139, reason: 'Error'})
    return kept
  }
  return steps
}

function genericProgram(c: ContainerContext): Step[] {
  const name = c.image.image.split(':')[0]!
  if (c.isJob) {
    return [
      {at: 500, log: `${name}: running ${[...(c.container.command ?? []), ...(c.container.args ?? [])].join(' ') || 'default command'}`},
      {at: 2000, exit: 0, reason: 'Completed'},
    ]
  }
  const lines: Record<string, string[]> = {
    redis: ['1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', '1:M 01 Jan 2026 00:00:00.001 * Ready to accept connections tcp'],
    nginx: ['/docker-entrypoint.sh: Configuration complete; ready for start up', 'nginx: start worker processes'],
  }
  const base = name.split('/').pop() ?? name
  const steps: Step[] = (lines[base] ?? [`${base} started`]).map((log, i) => ({at: 200 + i * 100, log}))
  steps.push({at: 1000, ready: true})
  return steps
}

function discoveryProgram(c: ContainerContext): Step[] {
  const count = c.env.AIM_GPU_COUNT ? Number(c.env.AIM_GPU_COUNT) : undefined
  const req = {
    metric: c.env.AIM_METRIC,
    precision: c.env.AIM_PRECISION,
    gpuModel: c.env.AIM_GPU_MODEL,
    gpuCount: count,
    profileId: c.env.AIM_PROFILE_ID,
  }
  const profile = c.image.kind === 'aim-model' ? selectProfile(c.image, req) : undefined
  if (!profile) {
    const wanted = Object.entries({gpu: req.gpuModel, gpu_count: req.gpuCount, metric: req.metric, precision: req.precision, profile_id: req.profileId})
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')
    return [
      {at: 2000, log: `ERROR: no profile of ${c.image.canonicalName ?? c.image.image} matches the requested configuration (${wanted || 'no filters'})`},
      {at: 2000, exit: 1, reason: 'Error'},
    ]
  }
  return [
    {at: 3000, log: JSON.stringify(discoveryOutput(c.image, profile))},
    {at: 3000, exit: 0, reason: 'Completed'},
  ]
}

function checkSizeProgram(c: ContainerContext, args: string[]): Step[] {
  const uri = args.find((a) => /^(hf|s3):\/\//.test(a)) ?? args.at(-1) ?? ''
  const size = c.images.sourceSize(uri)
  if (size === undefined || c.faults.downloadFails(uri)) {
    return [
      {at: 500, log: `Checking size of ${uri}`},
      {at: 1500, log: `ERROR: could not determine the size of ${uri}: repository not found or access denied`},
      {at: 1500, exit: 1, reason: 'Error'},
    ]
  }
  return [
    {at: 500, log: `Checking size of ${uri}`},
    // Printed by Python's json.dumps, hence the spaces.
    {at: 1500, log: `{"url": ${JSON.stringify(uri)}, "sizeBytes": ${size}}`},
    {at: 1500, exit: 0, reason: 'Completed'},
  ]
}

function humanGiB(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`
}

function downloadProgram(c: ContainerContext, args: string[]): Step[] {
  const uri = args.find((a) => /^(hf|s3):\/\//.test(a)) ?? args[0] ?? ''
  const namespace = c.env.ARTIFACT_NAMESPACE ?? c.pod.metadata.namespace
  const name = c.env.ARTIFACT_NAME
  const known = c.images.sourceSize(uri)
  const expected = parseQuantity(c.env.EXPECTED_SIZE_BYTES)
  const total = known ?? expected ?? 0
  const protocols = (c.env.AIM_DOWNLOADER_PROTOCOL ?? 'XET,HF_TRANSFER').split(',').map((s) => s.trim()).filter(Boolean)
  const protocol = uri.startsWith('s3://') ? 'S3' : (protocols[0] ?? 'HF_TRANSFER')
  const patch = (progress: Record<string, unknown>, download: Record<string, unknown>) => () => {
    if (!name || !namespace) return
    try {
      c.store.mutate(
        {group: 'aim.eai.amd.com', plural: 'aimartifacts'},
        namespace,
        name,
        (o) => {
          const status = (o.status ?? {}) as Record<string, unknown>
          status.progress = progress
          status.download = {...((status.download as Record<string, unknown> | undefined) ?? {}), ...download}
          o.status = status
        },
        {subresource: 'status', fieldManager: 'aim-artifact-downloader'},
      )
    } catch {
      // The artifact is gone or not ours to patch: the real downloader logs and carries on.
    }
  }
  const downloadInfo = (message: string) => ({
    protocol,
    attempt: 1,
    totalAttempts: uri.startsWith('s3://') ? 1 : protocols.length,
    protocolSequence: uri.startsWith('s3://') ? 'S3' : protocols.join(','),
    message,
  })
  const steps: Step[] = [{at: 300, log: `Starting download of ${uri} to ${c.env.TARGET_DIR ?? '/cache'} (protocol ${protocol})`}]
  if (known === undefined || c.faults.downloadFails(uri)) {
    steps.push({at: 1000, run: patch({totalBytes: total, downloadedBytes: 0, percentage: 0, displayPercentage: '0 %'}, downloadInfo(`Download of ${uri} failed`))})
    steps.push({at: 2000, log: `ERROR: download of ${uri} failed: 404 Client Error: Repository Not Found`})
    steps.push({at: 2000, exit: 1, reason: 'Error'})
    return steps
  }
  const bandwidth = c.faults.bandwidthBytesPerSecond
  const durationMs = Math.max(1000, Math.ceil((total / bandwidth) * 1000))
  const ticks = Math.max(1, Math.min(20, Math.ceil(durationMs / 5000)))
  steps.push({at: 500, run: patch({totalBytes: total, downloadedBytes: 0, percentage: 0, displayPercentage: '0 %'}, downloadInfo(`Downloading with ${protocol}`))})
  for (let i = 1; i <= ticks; i++) {
    const at = 500 + Math.round((durationMs * i) / ticks)
    const done = i === ticks ? total : Math.floor((total * i) / ticks)
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100
    steps.push({at, log: `${uri}: ${humanGiB(done)} / ${humanGiB(total)} (${pct}%) at ${humanGiB(bandwidth)}/s`})
    steps.push({at, run: patch({totalBytes: total, downloadedBytes: done, percentage: pct, displayPercentage: `${pct} %`}, downloadInfo(i === ticks ? 'Download complete' : `Downloading with ${protocol}`))})
  }
  const end = 500 + durationMs
  steps.push({at: end + 1000, log: `Verified ${uri}: ${total} bytes`})
  steps.push({at: end + 1000, exit: 0, reason: 'Completed'})
  return steps
}

/** The profile the AIM runtime picks at start: env filters plus the node's GPU and the requested count. */
export function servingProfile(c: ContainerContext): CatalogProfile | undefined {
  const gpus = Number(parseQuantity(c.container.resources?.limits?.['amd.com/gpu'] ?? c.container.resources?.requests?.['amd.com/gpu']) ?? 0)
  const full = {
    metric: c.env.AIM_METRIC,
    precision: c.env.AIM_PRECISION,
    gpuModel: gpuModelOfNode(c.node),
    gpuCount: gpus || undefined,
    profileId: c.env.AIM_PROFILE_ID,
  }
  return (
    selectProfile(c.image, full) ??
    selectProfile(c.image, {...full, precision: undefined}) ??
    selectProfile(c.image, {...full, precision: undefined, gpuCount: undefined}) ??
    selectProfile(c.image, {gpuModel: full.gpuModel}) ??
    c.image.profiles[0]
  )
}

function servingProgram(c: ContainerContext): Step[] {
  const t0 = c.now()
  const line = (at: number, file: string, text: string): Step => ({at, log: `INFO ${vllmTime(t0 + at)} [${file}] ${text}`})
  const profile = c.image.kind === 'aim-model' ? servingProfile(c) : undefined
  const model = profile ? c.image.models.find((m) => m.name === profile.model) : undefined
  const modelId = model?.name ?? c.env.AIM_MODEL_ID ?? c.env.MODEL_PATH?.split('/').pop() ?? 'model'
  const sizeGb = model?.sizeGb ?? 16
  const tp = profile?.count ?? 1
  // Load time grows with the model: ~20 s of engine start plus ~1 s per GiB of weights.
  const loadMs = Math.round(20_000 + sizeGb * 1000)
  const weightsMs = Math.round(sizeGb * 800)
  const aim = c.image.kind === 'aim-model' || c.image.kind === 'aim-base'
  const cachePath = aim ? (c.env.AIM_CACHE_PATH ?? '/workspace/cache') : (c.env.MODEL_PATH ?? '/mnt/models').replace(/\/[^/]*$/, '')
  const steps: Step[] = [
    ...(aim
      ? [
          {at: 200, log: `AIM runtime ${c.image.version ?? ''} starting (image ${c.image.image})`},
          {at: 300, log: profile ? `AIM: selected profile ${profile.id} (${profile.type}, ${profile.gpu} x${profile.count}, ${profile.precision}, ${profile.metric})` : `AIM: using model ${modelId} from ${cachePath}`},
        ]
      : []),
    line(1000, '__init__.py:239', 'Automatically detected platform rocm.'),
    line(2000, 'api_server.py:1043', 'vLLM API server version 0.9.2'),
    line(2100, 'api_server.py:1044', `args: Namespace(model='${cachePath}/${modelId}', tensor_parallel_size=${tp}, port=8000, served_model_name=['${c.image.canonicalName ?? modelId}'])`),
    line(5000, 'config.py:793', "This model supports multiple tasks: {'generate'}. Defaulting to 'generate'."),
    line(8000, 'gpu_model_runner.py:1595', `Starting to load model ${cachePath}/${modelId}...`),
    line(8000 + weightsMs, 'default_loader.py:272', `Loading weights took ${(weightsMs / 1000).toFixed(2)} seconds`),
    line(8000 + weightsMs + 500, 'model_runner.py:1146', `Loading model weights took ${(sizeGb / tp).toFixed(4)} GB`),
    line(loadMs - 3000, 'kv_cache_utils.py:634', `GPU KV cache size: ${(Math.round(1_200_000 / Math.max(1, sizeGb / 16)) * tp).toLocaleString('en-US')} tokens`),
    line(loadMs - 1000, 'api_server.py:1377', 'Starting vLLM API server 0 on http://0.0.0.0:8000'),
    {at: loadMs - 500, log: 'INFO:     Started server process [1]'},
    {at: loadMs - 400, log: 'INFO:     Waiting for application startup.'},
    {at: loadMs - 300, log: 'INFO:     Application startup complete.'},
    {at: loadMs, log: 'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'},
    {at: loadMs, ready: true},
  ]
  return steps
}

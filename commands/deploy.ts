import {Args, Flags} from '@oclif/core'
import {KubeCommand} from '../src/kube/command.js'
import {usageError} from '../src/kube/errors.js'

export default class Deploy extends KubeCommand {
  static override description = `Deploy a model as an AIMService and wait until it serves

MODEL is matched against AIMModel/AIMClusterModel names, model ids and images: an exact match wins, else a unique case-insensitive substring. An image reference that matches no model is deployed as is. Progress goes to stderr; the endpoint path is the last line on stdout.`

  static override examples = [
    'kubectl aim deploy qwen',
    'kubectl aim deploy Qwen/Qwen3-32B --name chat -n ml-team --route --gateway gateways/inference-gateway',
    'kubectl aim deploy amdenterpriseai/aim-qwen-qwen3-32b:0.8.5 --metric throughput --no-wait',
    'kubectl aim deploy qwen --env-from-secret HF_TOKEN=secret/huggingface-creds/token --dry-run client -o yaml',
  ]

  static override args = {
    model: Args.string({description: 'model name, model id (org/name) or image', required: true}),
  }

  static override flags = {
    name: Flags.string({description: 'service name (default: derived from the model)'}),
    image: Flags.string({description: 'deploy this image (spec.model.image); MODEL then only names the service'}),
    template: Flags.string({description: 'pin a template by name (spec.template.name)'}),
    replicas: Flags.integer({description: 'replicas', min: 0}),
    'min-replicas': Flags.integer({description: 'autoscaling minimum (KEDA)', min: 1}),
    'max-replicas': Flags.integer({description: 'autoscaling maximum (KEDA)', min: 1}),
    metric: Flags.string({description: 'optimisation metric override', options: ['latency', 'throughput']}),
    precision: Flags.string({description: 'precision override', options: ['auto', 'fp4', 'fp8', 'fp16', 'fp32', 'bf16', 'int4', 'int8']}),
    'gpu-model': Flags.string({description: 'GPU model override, e.g. MI300X'}),
    'gpu-count': Flags.integer({description: 'GPU count override', min: 0}),
    'allow-unoptimized': Flags.boolean({description: 'allow unoptimized/preview templates in auto-selection'}),
    caching: Flags.string({description: 'caching mode', options: ['Shared', 'Dedicated', 'Auto', 'Always', 'Never']}),
    route: Flags.boolean({description: 'expose through Gateway API (HTTPRoute)'}),
    gateway: Flags.string({description: 'gateway as NAMESPACE/NAME (implies --route)'}),
    'path-template': Flags.string({description: 'route path template, e.g. /{.metadata.namespace}/{.metadata.name}'}),
    env: Flags.string({description: 'environment variable KEY=VALUE (repeatable)', multiple: true}),
    'env-from-secret': Flags.string({description: 'KEY=SECRET/KEY (or KEY=secret/SECRET/KEY): a secretKeyRef (repeatable; values are never printed)', multiple: true}),
    'runtime-config': Flags.string({description: 'AIMRuntimeConfig name'}),
    'dry-run': Flags.string({description: 'only print/validate: client (no request) or server (dryRun=All)', options: ['none', 'client', 'server']}),
    output: Flags.string({char: 'o', description: 'print the manifest instead of progress', options: ['yaml', 'json']}),
    wait: Flags.boolean({description: 'wait until Running (default)', default: true, allowNo: true}),
    timeout: Flags.string({description: 'how long to wait, e.g. 10m', default: '15m'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Deploy)
    const io = this.setupIo(flags)
    const {parseDuration} = await import('../src/ui/format.js')
    const timeoutMs = parseDuration(flags.timeout)
    if (timeoutMs === undefined || timeoutMs <= 0) throw usageError(`invalid --timeout "${flags.timeout}": use a duration like 90s, 10m or 1h`)
    const deploy = await import('../src/kube/deploy.js')
    const {K} = await import('../src/kube/aim.js')
    const client = await this.client(flags)
    const namespace = client.namespace

    let match: import('../src/kube/deploy.js').ModelMatch
    if (flags.image) match = {type: 'image', image: flags.image}
    else {
      const [models, clusterModels] = await Promise.all([client.list(K.model, {namespace}), client.list(K.clusterModel)])
      match = deploy.matchModel(args.model, deploy.candidatesFrom(models.items, clusterModels.items))
    }
    const svc = deploy.buildService(match, {
      namespace,
      name: flags.name,
      nameFrom: flags.image && args.model !== flags.image ? args.model : undefined,
      image: flags.image,
      template: flags.template,
      replicas: flags.replicas,
      minReplicas: flags['min-replicas'],
      maxReplicas: flags['max-replicas'],
      metric: flags.metric,
      precision: flags.precision,
      gpuModel: flags['gpu-model'],
      gpuCount: flags['gpu-count'],
      allowUnoptimized: flags['allow-unoptimized'],
      caching: flags.caching,
      route: flags.route,
      gateway: flags.gateway,
      pathTemplate: flags['path-template'],
      env: flags.env,
      envFromSecret: flags['env-from-secret'],
      runtimeConfig: flags['runtime-config'],
    })
    const name = svc.metadata.name!
    const dryRun = flags['dry-run'] === 'client' || flags['dry-run'] === 'server' ? flags['dry-run'] : undefined

    let object = svc
    let action: import('../src/kube/deploy.js').ApplyAction = 'created'
    if (dryRun !== 'client') {
      const applied = await deploy.applyService(client, svc, dryRun)
      object = applied.object
      action = applied.action
    }
    if (flags.output) {
      // -o prints the manifest (client dry run: as built; otherwise as the server has it) and returns.
      const shown = dryRun === 'client' ? svc : object
      if (flags.output === 'json') io.out(JSON.stringify(clean(shown), null, 2))
      else {
        const {stringify} = await import('yaml')
        io.out(stringify(clean(shown)).trimEnd())
      }
      return
    }
    if (dryRun) {
      io.out(`aimservice.aim.eai.amd.com/${name} ${action} (${dryRun} dry run)`)
      return
    }
    const ctx = `in namespace ${namespace} (context: ${client.contextName})`
    io.err(`aimservice.aim.eai.amd.com/${name} ${action} ${ctx}`)
    if (!flags.wait) {
      if (!flags.output) io.out(`aimservice.aim.eai.amd.com/${name} ${action}`)
      io.err(`follow it with: kubectl aim status ${name} -n ${namespace} --watch`)
      return
    }
    const {plainProgress, listrProgress} = await import('../src/ui/progress.js')
    const useListr = io.isTTY && process.stderr.isTTY && !process.env['CI'] && process.env['TERM'] !== 'dumb'
    const stamp = (line: string) => io.err(line)
    const stages = deploy.STAGES.filter((st) => st.id !== 'route' || object.spec?.routing?.enabled)
    const sink = useListr ? await listrProgress(stages) : plainProgress(stamp, {color: io.color && Boolean(process.stderr.isTTY)})
    const abort = new AbortController()
    const onSignal = () => abort.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      const result = await deploy.waitForService(client, name, namespace, {timeoutMs, sink, signal: abort.signal})
      await sink.close(true)
      io.err(`aimservice/${name} is Running (template ${result.service.status?.resolvedTemplate?.name ?? '-'})`)
      io.err(`look closer with: kubectl aim status ${name} -n ${namespace}`)
      io.out(result.endpoint ?? `aimservice/${name}`)
    } catch (err) {
      await sink.close(false)
      throw err
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/** Drop server-managed noise from a manifest we print. */
function clean<T extends {metadata: object}>(obj: T): T {
  const {managedFields: _m, ...metadata} = obj.metadata as Record<string, unknown>
  return {...obj, metadata} as T
}

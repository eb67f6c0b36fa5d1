import {Args, Flags} from '@oclif/core'
import {KubeCommand} from '../src/kube/command.js'
import {usageError} from '../src/kube/errors.js'

export default class Why extends KubeCommand {
  static override aliases = ['explain-selection']
  static override description = `Explain which template a service gets, and why the others lost

Every candidate template (namespace and cluster scope) is one row: its status, type, GPU, metric and precision, and either the selection stage that dropped it (and why) or its rank. The winner is marked *, ties =. It runs the same selection function as the AIM controller, on live templates and nodes. With --model instead of NAME it explains a deployment that does not exist yet.

For an OME InferenceService (inferenceservices.ome.io; automatic when no AIMService has that name, or --ome) it explains the serving runtime instead: every ServingRuntime and ClusterServingRuntime with its formats, size range and priority, and the stage it lost at or its rank — the same selection the OME controller runs.`

  static override examples = [
    'kubectl aim why qwen-chat -n ml-team',
    'kubectl aim explain-selection qwen-chat',
    'kubectl aim why --model qwen --gpu-model MI300X --metric throughput',
    'kubectl aim why qwen-chat -o json',
    'kubectl aim why llama-chat --ome',
  ]

  static override args = {
    name: Args.string({description: 'AIMService name'}),
  }

  static override flags = {
    model: Flags.string({description: 'explain for this model (name, model id or image) instead of a service'}),
    'gpu-model': Flags.string({description: 'override: GPU model'}),
    'gpu-count': Flags.integer({description: 'override: GPU count', min: 0}),
    metric: Flags.string({description: 'override: metric', options: ['latency', 'throughput']}),
    precision: Flags.string({description: 'override: precision', options: ['auto', 'fp4', 'fp8', 'fp16', 'fp32', 'bf16', 'int4', 'int8']}),
    'allow-unoptimized': Flags.boolean({description: 'let unoptimized/preview templates compete'}),
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml']}),
    ome: Flags.boolean({description: 'NAME is an OME InferenceService: explain its runtime selection'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Why)
    const io = this.setupIo(flags)
    if (!args.name && !flags.model) throw usageError('give a service NAME or --model MODEL', 'e.g. kubectl aim why qwen-chat, or kubectl aim why --model qwen')
    if (args.name && flags.model) throw usageError('give either a service NAME or --model, not both')
    if (flags.ome && !args.name) throw usageError('--ome needs an InferenceService NAME')
    const client = await this.client(flags)
    if (args.name) {
      const ome = await import('../src/kube/ome.js')
      const target = await ome.resolveServiceTarget(client, args.name, client.namespace, flags.ome)
      if (target.kind === 'ome') {
        const aimOnly = (['gpu-model', 'gpu-count', 'metric', 'precision', 'allow-unoptimized'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false)
        if (aimOnly.length) throw usageError(`--${aimOnly[0]} applies to AIM template selection, not to the runtime of an OME InferenceService`)
        const r = await ome.explainOmeRuntime(client, target.isvc, client.namespace)
        if (flags.output === 'json') io.out(JSON.stringify(r, null, 2))
        else if (flags.output === 'yaml') io.out((await import('yaml')).stringify(r).trimEnd())
        else io.out((await import('../src/ui/ome-view.js')).renderOmeExplainText(r, {color: io.color}))
        return
      }
    }
    const {explainSelection} = await import('../src/kube/why.js')
    const overrides: Record<string, unknown> = {}
    if (flags.metric) overrides['metric'] = flags.metric
    if (flags.precision) overrides['precision'] = flags.precision
    if (flags['gpu-model']) overrides['gpuModel'] = flags['gpu-model']
    if (flags['gpu-count'] !== undefined) overrides['gpuCount'] = flags['gpu-count']
    const report = await explainSelection(client, {
      service: args.name,
      model: flags.model,
      namespace: client.namespace,
      overrides: Object.keys(overrides).length ? overrides : undefined,
      allowUnoptimized: flags['allow-unoptimized'] || undefined,
    })
    if (flags.output === 'json') io.out(JSON.stringify(report, null, 2))
    else if (flags.output === 'yaml') io.out((await import('yaml')).stringify(report).trimEnd())
    else {
      const {renderExplainText} = await import('../src/ui/why-view.js')
      io.out(renderExplainText(report, {color: io.color}))
    }
  }
}

import {Args, Flags} from '@oclif/core'
import {KubeCommand, allNamespacesFlag} from '../src/kube/command.js'

export default class Status extends KubeCommand {
  static override description = `Show why an AIMService is (or is not) serving

With NAME: one report — summary, conditions, InferenceService and pods, cache artifacts, routing, autoscaling, recent Warning events, and the kubectl commands that look closer. Without NAME: a table of services with the reason each one is waiting on (and a second table of OME InferenceServices when any exist).

When no AIMService is called NAME but an OME InferenceService (inferenceservices.ome.io) is, or with --ome, the report shows the OME service: readiness, URL, model and model status, the runtime chosen, and each component (engine, decoder, router) with its deployment mode, replicas and pods.`

  static override examples = [
    'kubectl aim status',
    'kubectl aim status -A',
    'kubectl aim status qwen-chat -n ml-team',
    'kubectl aim status qwen-chat --watch',
    'kubectl aim status qwen-chat -o json',
    'kubectl aim status llama-chat --ome',
  ]

  static override args = {
    name: Args.string({description: 'AIMService name'}),
  }

  static override flags = {
    'all-namespaces': allNamespacesFlag,
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml', 'wide', 'name']}),
    watch: Flags.boolean({char: 'w', description: 'keep the view up to date from a watch'}),
    ome: Flags.boolean({description: 'NAME is an OME InferenceService (inferenceservices.ome.io); automatic when no AIMService has that name'}),
    'watch-updates': Flags.integer({hidden: true, description: 'stop --watch after this many updates (tests)'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Status)
    const io = this.setupIo(flags)
    const {runStatus} = await import('../src/fast/status-run.js')
    await runStatus(args, flags, io, () => this.client(flags))
  }
}

import {Args, Flags} from '@oclif/core'
import {KubeCommand} from '../src/kube/command.js'
import {usageError} from '../src/kube/errors.js'

export default class Logs extends KubeCommand {
  static override description = `Print the logs of a service's predictor pods

Each line is prefixed with the pod name when there are several pods (or with -f). With -f the command follows every pod, including pods that start later, until Ctrl-C.`

  static override examples = ['kubectl aim logs qwen-chat', 'kubectl aim logs qwen-chat -f --since 5m', 'kubectl aim logs qwen-chat --tail 100 -c kserve-container']

  static override args = {
    name: Args.string({description: 'AIMService name', required: true}),
  }

  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'follow the logs (and new pods)'}),
    since: Flags.string({description: 'only lines newer than a duration, e.g. 5m'}),
    tail: Flags.integer({description: 'lines of recent log to show per pod (-1: all)', default: -1}),
    container: Flags.string({char: 'c', description: 'container name (default kserve-container)'}),
    timestamps: Flags.boolean({description: 'include timestamps'}),
    previous: Flags.boolean({char: 'p', description: 'logs of the previous (crashed) container'}),
    prefix: Flags.boolean({description: 'always prefix lines with the pod name'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logs)
    const io = this.setupIo(flags)
    let sinceSeconds: number | undefined
    if (flags.since) {
      const {parseDuration} = await import('../src/ui/format.js')
      const ms = parseDuration(flags.since)
      if (ms === undefined || ms <= 0) throw usageError(`invalid --since "${flags.since}": use a duration like 30s, 5m or 1h`)
      sinceSeconds = Math.max(1, Math.ceil(ms / 1000))
    }
    const client = await this.client(flags)
    const {streamServiceLogs} = await import('../src/kube/logs.js')
    let stop!: () => void
    const stopSignal = new Promise<void>((resolve) => (stop = resolve))
    const onSignal = () => stop()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    try {
      await streamServiceLogs(client, args.name, client.namespace, {
        follow: flags.follow,
        sinceSeconds,
        tailLines: flags.tail >= 0 ? flags.tail : undefined,
        container: flags.container,
        timestamps: flags.timestamps,
        previous: flags.previous,
        prefix: flags.prefix,
        write: (line) => io.out(line),
        stopSignal,
      })
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

import {Args, Flags} from '@oclif/core'
import {KubeCommand} from '../../src/kube/command.js'

export default class CacheShow extends KubeCommand {
  static override description = 'Show one template cache: artifacts with progress, PVCs, mode, owner and the services using it'
  static override examples = ['kubectl aim cache show qwen3-32b-latency-0a1b2c3d -n ml-team']
  static override args = {name: Args.string({description: 'AIMTemplateCache name', required: true})}
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(CacheShow)
    const io = this.setupIo(flags)
    const client = await this.client(flags)
    const {showCache} = await import('../../src/kube/cache.js')
    const info = await showCache(client, args.name, client.namespace)
    if (flags.output === 'json') io.out(JSON.stringify(info, null, 2))
    else if (flags.output === 'yaml') io.out((await import('yaml')).stringify(info).trimEnd())
    else {
      const {renderCacheDetail} = await import('../../src/ui/cache-view.js')
      io.out(renderCacheDetail(info, client.now(), {color: io.color}))
    }
  }
}

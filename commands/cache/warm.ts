import {Args, Flags} from '@oclif/core'
import {KubeCommand} from '../../src/kube/command.js'
import {usageError} from '../../src/kube/errors.js'

export default class CacheWarm extends KubeCommand {
  static override description = `Pre-download a template's model artifacts into a Shared template cache

Creates an AIMTemplateCache for TEMPLATE (a namespaced template, else a cluster one) unless a Shared cache for it exists, and with --wait follows it until Ready, showing download progress.`
  static override examples = ['kubectl aim cache warm qwen3-32b-latency --wait', 'kubectl aim cache warm qwen3-32b-latency --dry-run client -o yaml']
  static override args = {template: Args.string({description: 'AIMServiceTemplate / AIMClusterServiceTemplate name', required: true})}
  static override flags = {
    wait: Flags.boolean({description: 'wait until the cache is Ready'}),
    timeout: Flags.string({description: 'how long to wait', default: '30m'}),
    'dry-run': Flags.string({description: 'client or server', options: ['none', 'client', 'server']}),
    output: Flags.string({char: 'o', description: 'print the cache object', options: ['json', 'yaml', 'name']}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(CacheWarm)
    const io = this.setupIo(flags)
    const {parseDuration, progressBar} = await import('../../src/ui/format.js')
    const timeoutMs = parseDuration(flags.timeout)
    if (!timeoutMs) throw usageError(`invalid --timeout "${flags.timeout}": use a duration like 90s, 10m or 1h`)
    const client = await this.client(flags)
    const cache = await import('../../src/kube/cache.js')
    const dryRun = flags['dry-run'] === 'client' || flags['dry-run'] === 'server' ? flags['dry-run'] : undefined
    const {action, cache: obj} = await cache.warmCache(client, args.template, client.namespace, dryRun)
    const name = obj.metadata.name!
    if (flags.output === 'json') io.out(JSON.stringify(obj, null, 2))
    else if (flags.output === 'yaml') io.out((await import('yaml')).stringify(obj).trimEnd())
    else if (!flags.wait || dryRun) io.out(`aimtemplatecache.aim.eai.amd.com/${name} ${action}${dryRun ? ` (${dryRun} dry run)` : ''}`)
    if (!flags.wait || dryRun) return
    io.err(`aimtemplatecache.aim.eai.amd.com/${name} ${action}; waiting for it to be Ready`)
    let last = ''
    const start = Date.now()
    const info = await cache.waitForCache(client, name, client.namespace, timeoutMs, (c) => {
      const pct = cache.cachePercent(c)
      const line = `${c.status}${pct !== undefined ? ` ${progressBar(pct)}` : ''} (${c.artifacts.filter((a) => a.status === 'Ready').length}/${c.artifacts.length} artifacts)`
      if (line !== last) {
        last = line
        io.err(`${((Date.now() - start) / 1000).toFixed(1).padStart(6)}s ${line}`)
      }
    })
    io.out(`aimtemplatecache.aim.eai.amd.com/${info.name} ready`)
  }
}

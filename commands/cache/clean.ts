import {Flags} from '@oclif/core'
import {KubeCommand, allNamespacesFlag} from '../../src/kube/command.js'
import {usageError} from '../../src/kube/errors.js'

export default class CacheClean extends KubeCommand {
  static override description = `Delete Shared template caches that failed or that no service uses

Asks before deleting unless --yes; --dry-run lists what would go. Dedicated caches and caches owned by a template are left alone (they go with their owner).`
  static override examples = ['kubectl aim cache clean --dry-run', 'kubectl aim cache clean --yes -A']
  static override flags = {
    'all-namespaces': allNamespacesFlag,
    yes: Flags.boolean({char: 'y', description: 'do not ask'}),
    'dry-run': Flags.boolean({description: 'only list what would be deleted'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(CacheClean)
    const io = this.setupIo(flags)
    const client = await this.client(flags)
    const {listCaches, cleanable} = await import('../../src/kube/cache.js')
    const {K} = await import('../../src/kube/aim.js')
    const victims = cleanable(await listCaches(client, {namespace: client.namespace, allNamespaces: flags['all-namespaces']}))
    if (!victims.length) {
      io.err('nothing to clean: every Shared cache is in use and healthy')
      return
    }
    for (const v of victims) io.err(`${flags['dry-run'] ? 'would delete' : 'will delete'} aimtemplatecache/${v.name} in ${v.namespace} (${v.why}, template ${v.template ?? '-'}, ${v.artifacts.length} artifacts)`)
    if (flags['dry-run']) {
      for (const v of victims) io.out(`aimtemplatecache.aim.eai.amd.com/${v.name} deleted (dry run)`)
      return
    }
    if (!flags.yes) {
      if (!process.stdin.isTTY) throw usageError('refusing to delete without confirmation: stdin is not a terminal', 'pass --yes to delete, or --dry-run to only list')
      const {createInterface} = await import('node:readline/promises')
      const rl = createInterface({input: process.stdin, output: process.stderr})
      const answer = await rl.question(`delete ${victims.length} cache(s) in context ${client.contextName}? [y/N] `)
      rl.close()
      if (!/^y(es)?$/i.test(answer.trim())) {
        io.err('aborted; nothing deleted')
        return
      }
    }
    for (const v of victims) {
      await client.delete(K.templateCache, v.name, {namespace: v.namespace, propagationPolicy: 'Background'})
      io.out(`aimtemplatecache.aim.eai.amd.com/${v.name} deleted`)
    }
  }
}

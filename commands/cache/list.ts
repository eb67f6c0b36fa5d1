import {Flags} from '@oclif/core'
import {KubeCommand, allNamespacesFlag} from '../../src/kube/command.js'

export default class CacheList extends KubeCommand {
  static override description = 'List template caches with their artifacts, sizes, progress and the services that use them'
  static override aliases = ['cache:ls']
  static override examples = ['kubectl aim cache list', 'kubectl aim cache list -A -o json']
  static override flags = {
    'all-namespaces': allNamespacesFlag,
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml', 'name']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(CacheList)
    const io = this.setupIo(flags)
    const client = await this.client(flags)
    const {listCaches} = await import('../../src/kube/cache.js')
    const caches = await listCaches(client, {namespace: client.namespace, allNamespaces: flags['all-namespaces']})
    if (flags.output === 'json' || flags.output === 'yaml') {
      const doc = {apiVersion: 'cli.aim.eai.amd.com/v1alpha1', kind: 'CacheList', items: caches}
      io.out(flags.output === 'json' ? JSON.stringify(doc, null, 2) : (await import('yaml')).stringify(doc).trimEnd())
      return
    }
    if (flags.output === 'name') {
      for (const c of caches) io.out(`aimtemplatecache.aim.eai.amd.com/${c.name}`)
      return
    }
    if (!caches.length) {
      io.err(flags['all-namespaces'] ? 'No resources found' : `No resources found in ${client.namespace} namespace.`)
      return
    }
    const {renderCacheTable} = await import('../../src/ui/cache-view.js')
    io.out(renderCacheTable(caches, client.now(), flags['all-namespaces']))
  }
}

import {Args, Flags} from '@oclif/core'
import {KubeCommand, allNamespacesFlag} from '../src/kube/command.js'
import {usageError} from '../src/kube/errors.js'

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
    if (args.name && flags['all-namespaces']) throw usageError('a service name cannot be combined with --all-namespaces')
    const client = await this.client(flags)
    const {K} = await import('../src/kube/aim.js')
    const report = await import('../src/kube/report.js')
    const view = await import('../src/ui/status-view.js')

    if (!args.name) {
      const list = await client.list<import('../src/kube/aim.js').AIMService>(K.service, {allNamespaces: flags['all-namespaces']})
      // One extra list for the endpoints (InferenceService URLs) of services without a route path.
      const isvcs = await client.list(K.isvc, {allNamespaces: flags['all-namespaces']}).catch(() => ({items: []}))
      const urls = new Map(isvcs.items.map((i) => [`${i.metadata.namespace}/${i.metadata.labels?.['aim.eai.amd.com/service.name'] ?? ''}`, (i.status as {url?: string} | undefined)?.url]))
      const {listOmeRows} = await import('../src/kube/ome.js')
      const omeRows = await listOmeRows(client, flags['all-namespaces'])
      const rows = list.items
        .map(report.serviceRow)
        .map((r) => (r.endpoint ? r : {...r, endpoint: urls.get(`${r.namespace}/${r.name}`) ?? ''})).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
      if (flags.output === 'json' || flags.output === 'yaml') {
        const doc = {apiVersion: report.REPORT_API_VERSION, kind: 'ServiceStatusList', collectedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), items: rows, ...(omeRows.length ? {omeItems: omeRows} : {})}
        io.out(flags.output === 'json' ? JSON.stringify(doc, null, 2) : (await import('yaml')).stringify(doc).trimEnd())
        return
      }
      if (flags.output === 'name') {
        for (const r of rows) io.out(`aimservice.aim.eai.amd.com/${r.name}`)
        for (const r of omeRows) io.out(`inferenceservice.ome.io/${r.name}`)
        return
      }
      if (rows.length === 0 && omeRows.length === 0) {
        io.err(flags['all-namespaces'] ? 'No resources found' : `No resources found in ${client.namespace} namespace.`)
        return
      }
      if (rows.length > 0) io.out(view.renderServiceTable(rows, client.now(), {allNamespaces: flags['all-namespaces'], wide: flags.output === 'wide'}))
      if (omeRows.length > 0) {
        const {renderOmeTable} = await import('../src/ui/ome-view.js')
        io.out(`${rows.length > 0 ? '\n' : ''}OME InferenceServices (inferenceservices.ome.io):\n${renderOmeTable(omeRows, client.now(), {allNamespaces: flags['all-namespaces'], wide: flags.output === 'wide'})}`)
      }
      return
    }

    const name = args.name
    const namespace = client.namespace
    const ome = await import('../src/kube/ome.js')
    const target = await ome.resolveServiceTarget(client, name, namespace, flags.ome)
    if (target.kind === 'ome') {
      const omeView = await import('../src/ui/ome-view.js')
      let ink: {rerender(node: unknown): void; unmount(): void} | undefined
      const live = Boolean(flags.watch && io.isTTY && !flags.output)
      const printOme = async (r: import('../src/kube/ome.js').OMEStatusReport) => {
        if (flags.output === 'json') io.out(JSON.stringify(r, null, flags.watch ? 0 : 2))
        else if (flags.output === 'yaml') io.out(`${flags.watch ? '---\n' : ''}${(await import('yaml')).stringify(r).trimEnd()}`)
        else if (flags.output === 'name') io.out(`inferenceservice.ome.io/${r.service.name}`)
        else if (io.isTTY) {
          const {render, renderToString} = await import('ink')
          const {createElement} = await import('react')
          const {SectionsView} = await import('../src/ui/StatusView.js')
          const sections = omeView.omeStatusSections(r, client.now())
          if (!live) io.out(renderToString(createElement(SectionsView, {sections}), {columns: io.columns}))
          else {
            const node = createElement(SectionsView, {sections, footer: `watching ${ome.OME_ISVC_RESOURCE}/${name} — Ctrl-C to stop`})
            if (ink) ink.rerender(node)
            else ink = render(node, {exitOnCtrlC: false, patchConsole: false}) as never
          }
        } else io.out(omeView.renderOmeStatusText(r, client.now(), io.color))
      }
      if (!flags.watch) await printOme(await ome.buildOmeReport(client, target.isvc))
      else {
        const {watchOmeStatus} = await import('../src/kube/ome-watch.js')
        try {
          await watchOmeStatus(client, name, namespace, printOme, flags['watch-updates'])
        } finally {
          ink?.unmount()
        }
      }
      return
    }
    const print = async (r: import('../src/kube/report.js').StatusReport) => {
      if (flags.output === 'json') io.out(JSON.stringify(r, null, flags.watch ? 0 : 2))
      else if (flags.output === 'yaml') io.out(`${flags.watch ? '---\n' : ''}${(await import('yaml')).stringify(r).trimEnd()}`)
      else if (flags.output === 'name') io.out(`aimservice.aim.eai.amd.com/${r.service.name}`)
      else if (io.isTTY) {
        const {renderToString} = await import('ink')
        const {createElement} = await import('react')
        const {SectionsView} = await import('../src/ui/StatusView.js')
        io.out(renderToString(createElement(SectionsView, {sections: view.statusSections(r, client.now())}), {columns: io.columns}))
      } else io.out(view.renderStatusText(r, client.now(), io.color))
    }

    if (!flags.watch) {
      await print(await report.buildReport(client, target.service))
      return
    }
    await this.watchStatus(client, name, namespace, flags['watch-updates'], print, io.isTTY && !flags.output)
  }

  /** Re-collects the report on every change of the service, its pods or artifacts (throttled). */
  private async watchStatus(
    client: import('../src/kube/client.js').KubeClient,
    name: string,
    namespace: string,
    maxUpdates: number | undefined,
    print: (r: import('../src/kube/report.js').StatusReport) => Promise<void>,
    live: boolean,
  ): Promise<void> {
    const {K} = await import('../src/kube/aim.js')
    const report = await import('../src/kube/report.js')
    const view = await import('../src/ui/status-view.js')
    const {watchReports} = await import('../src/kube/report-watch.js')
    let ink: {rerender(node: unknown): void; unmount(): void} | undefined
    const draw = async (r: import('../src/kube/report.js').StatusReport) => {
      if (live) {
        const {render} = await import('ink')
        const {createElement} = await import('react')
        const {SectionsView} = await import('../src/ui/StatusView.js')
        const node = createElement(SectionsView, {sections: view.statusSections(r, client.now()), footer: `watching aimservice/${name} — Ctrl-C to stop`})
        if (ink) ink.rerender(node)
        else ink = render(node, {exitOnCtrlC: false, patchConsole: false}) as never
      } else await print(r)
    }
    try {
      await watchReports(
        async () => report.buildReport(client, await client.get<import('../src/kube/aim.js').AIMService>(K.service, name, namespace)),
        (changed) => [
          client.watch(K.service, {namespace, name}, changed),
          client.watch(K.pod, {namespace}, changed),
          client.watch(K.artifact, {namespace}, changed),
        ],
        draw,
        maxUpdates,
      )
    } finally {
      ink?.unmount()
    }
  }
}

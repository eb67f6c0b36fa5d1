/**
 * `kubectl aim status [NAME]`: the command's whole run after flag parsing, called by the oclif
 * command (commands/status.ts) and by its fast path (src/fast/status.ts) alike.
 */
import type {KubeClient} from '../kube/client.js'
import type {AIMService} from '../kube/aim.js'
import type {StatusReport} from '../kube/report.js'
import type {OMEStatusReport} from '../kube/ome.js'
import {usageError} from '../kube/errors.js'
import type {Io} from './io.js'
import type {KubeFlags} from './kube.js'

export interface StatusFlags extends KubeFlags {
  'all-namespaces'?: boolean
  output?: string
  watch?: boolean
  ome?: boolean
  'watch-updates'?: number
}

export async function runStatus(args: {name?: string}, flags: StatusFlags, io: Io, client: () => Promise<KubeClient>): Promise<void> {
  if (args.name && flags['all-namespaces']) throw usageError('a service name cannot be combined with --all-namespaces')
  const [c, {K}, report, view] = await Promise.all([client(), import('../kube/aim.js'), import('../kube/report.js'), import('../ui/status-view.js')])

  if (!args.name) {
    const [list, isvcs, omeRows] = await Promise.all([
      c.list<AIMService>(K.service, {allNamespaces: flags['all-namespaces']}),
      // One extra list for the endpoints (InferenceService URLs) of services without a route path.
      c.list(K.isvc, {allNamespaces: flags['all-namespaces']}).catch(() => ({items: []})),
      import('../kube/ome.js').then(({listOmeRows}) => listOmeRows(c, Boolean(flags['all-namespaces']))),
    ])
    const urls = new Map(isvcs.items.map((i) => [`${i.metadata.namespace}/${i.metadata.labels?.['aim.eai.amd.com/service.name'] ?? ''}`, (i.status as {url?: string} | undefined)?.url]))
    const rows = list.items
      .map(report.serviceRow)
      .map((r) => (r.endpoint ? r : {...r, endpoint: urls.get(`${r.namespace}/${r.name}`) ?? ''}))
      .sort((a, b) => report.byCodePoint(a.namespace, b.namespace) || report.byCodePoint(a.name, b.name))
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
      io.err(flags['all-namespaces'] ? 'No resources found' : `No resources found in ${c.namespace} namespace.`)
      return
    }
    if (rows.length > 0) io.out(view.renderServiceTable(rows, c.now(), {allNamespaces: flags['all-namespaces'], wide: flags.output === 'wide'}))
    if (omeRows.length > 0) {
      const {renderOmeTable} = await import('../ui/ome-view.js')
      io.out(`${rows.length > 0 ? '\n' : ''}OME InferenceServices (inferenceservices.ome.io):\n${renderOmeTable(omeRows, c.now(), {allNamespaces: flags['all-namespaces'], wide: flags.output === 'wide'})}`)
    }
    return
  }

  const name = args.name
  const namespace = c.namespace
  const ome = await import('../kube/ome.js')
  const resolving = ome.resolveServiceTarget(c, name, namespace, flags.ome)
  // The one-shot AIM report's reads that need only the name go out right after the service's own.
  const prefetch = flags.ome || flags.watch ? undefined : report.prefetchReport(c, name, namespace)
  const target = await resolving
  if (target.kind === 'ome') {
    const omeView = await import('../ui/ome-view.js')
    let ink: {rerender(node: unknown): void; unmount(): void} | undefined
    const live = Boolean(flags.watch && io.isTTY && !flags.output)
    const printOme = async (r: OMEStatusReport) => {
      if (flags.output === 'json') io.out(JSON.stringify(r, null, flags.watch ? 0 : 2))
      else if (flags.output === 'yaml') io.out(`${flags.watch ? '---\n' : ''}${(await import('yaml')).stringify(r).trimEnd()}`)
      else if (flags.output === 'name') io.out(`inferenceservice.ome.io/${r.service.name}`)
      else if (live) {
        const {render} = await import('ink')
        const {createElement} = await import('react')
        const {SectionsView} = await import('../ui/StatusView.js')
        const node = createElement(SectionsView, {sections: omeView.omeStatusSections(r, c.now()), footer: `watching ${ome.OME_ISVC_RESOURCE}/${name} — Ctrl-C to stop`})
        if (ink) ink.rerender(node)
        else ink = render(node, {exitOnCtrlC: false, patchConsole: false}) as never
      } else if (io.isTTY) io.out((await import('./tty.js')).fitToWidth(omeView.renderOmeStatusText(r, c.now(), io.color), io.columns))
      else io.out(omeView.renderOmeStatusText(r, c.now(), io.color))
    }
    if (!flags.watch) await printOme(await ome.buildOmeReport(c, target.isvc))
    else {
      const {watchOmeStatus} = await import('../kube/ome-watch.js')
      try {
        await watchOmeStatus(c, name, namespace, printOme, flags['watch-updates'])
      } finally {
        ink?.unmount()
      }
    }
    return
  }
  const print = async (r: StatusReport) => {
    if (flags.output === 'json') io.out(JSON.stringify(r, null, flags.watch ? 0 : 2))
    else if (flags.output === 'yaml') io.out(`${flags.watch ? '---\n' : ''}${(await import('yaml')).stringify(r).trimEnd()}`)
    else if (flags.output === 'name') io.out(`aimservice.aim.eai.amd.com/${r.service.name}`)
    // On a terminal: the lines Ink's view would draw (see tty.ts), without loading Ink.
    else if (io.isTTY) io.out((await import('./tty.js')).fitToWidth(view.renderStatusText(r, c.now(), io.color), io.columns))
    else io.out(view.renderStatusText(r, c.now(), io.color))
  }

  if (!flags.watch) {
    await print(await report.buildReport(c, target.service, undefined, prefetch))
    return
  }
  await watchStatus(c, name, namespace, flags['watch-updates'], print, io.isTTY && !flags.output)
}

/** Re-collects the report on every change of the service, its pods or artifacts (throttled). */
async function watchStatus(c: KubeClient, name: string, namespace: string, maxUpdates: number | undefined, print: (r: StatusReport) => Promise<void>, live: boolean): Promise<void> {
  const [{K}, report, view, {watchReports}] = await Promise.all([import('../kube/aim.js'), import('../kube/report.js'), import('../ui/status-view.js'), import('../kube/report-watch.js')])
  let ink: {rerender(node: unknown): void; unmount(): void} | undefined
  const draw = async (r: StatusReport) => {
    if (live) {
      const {render} = await import('ink')
      const {createElement} = await import('react')
      const {SectionsView} = await import('../ui/StatusView.js')
      const node = createElement(SectionsView, {sections: view.statusSections(r, c.now()), footer: `watching aimservice/${name} — Ctrl-C to stop`})
      if (ink) ink.rerender(node)
      else ink = render(node, {exitOnCtrlC: false, patchConsole: false}) as never
    } else await print(r)
  }
  try {
    await watchReports(
      async () => report.buildReport(c, await c.get<AIMService>(K.service, name, namespace)),
      (changed) => [c.watch(K.service, {namespace, name}, changed), c.watch(K.pod, {namespace}, changed), c.watch(K.artifact, {namespace}, changed)],
      draw,
      maxUpdates,
    )
  } finally {
    ink?.unmount()
  }
}

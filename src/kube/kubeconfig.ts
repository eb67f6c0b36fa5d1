/**
 * Kubeconfig resolution exactly as kubectl does it (client-node merges differently, see
 * reference/plugin-ux.md §2.3):
 * - `--kubeconfig FILE`: that one file, no merging;
 * - else `KUBECONFIG` (path list): files merged, the first definition of a name wins, and
 *   `current-context` comes from the first file that sets one;
 * - else `~/.kube/config`.
 * Then `--context` picks the context, and the namespace is `-n`, else the context's, else `default`.
 * Relative file paths inside a kubeconfig are resolved against the file that holds them.
 */
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {failure, usageError} from './errors.js'

type Entry = Record<string, unknown>
export interface NamedCluster {
  name: string
  cluster: Entry
}
export interface NamedUser {
  name: string
  user: Entry
}
export interface NamedContext {
  name: string
  context: {cluster?: string; user?: string; namespace?: string; [key: string]: unknown}
}

export interface MergedKubeconfig {
  clusters: NamedCluster[]
  users: NamedUser[]
  contexts: NamedContext[]
  currentContext?: string
  files: string[]
}

export interface ResolveOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  env?: NodeJS.ProcessEnv
  home?: string
}

export interface ResolvedKubeconfig {
  merged: MergedKubeconfig
  contextName: string
  context: NamedContext
  cluster: NamedCluster
  user: NamedUser
  namespace: string
  /** Where the namespace came from, for messages. */
  namespaceSource: 'flag' | 'context' | 'default'
  server: string
}

const PATH_KEYS: Record<'cluster' | 'user', string[]> = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile'],
}

function absolutize(entry: Entry, keys: string[], base: string): Entry {
  const out: Entry = {...entry}
  for (const key of keys) {
    const value = out[key]
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) out[key] = resolve(base, value)
  }
  return out
}

function readFile(path: string): Entry {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw failure(`cannot read kubeconfig ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  let doc: unknown
  try {
    doc = parseText(text)
  } catch (err) {
    throw failure(`kubeconfig ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`)
  }
  if (doc == null) return {}
  if (typeof doc !== 'object' || Array.isArray(doc)) throw failure(`kubeconfig ${path} is not a Config object`)
  return doc as Entry
}

/** The document in a kubeconfig file: JSON when it is JSON (no YAML parser needed), else YAML. */
function parseText(text: string): unknown {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text)
    } catch {
      // not JSON after all: YAML reports it
    }
  }
  return parseYaml(text)
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : []
}

/** Merges kubeconfig files the kubectl way: first definition of a name wins, first current-context wins. */
export function mergeKubeconfigFiles(paths: string[]): MergedKubeconfig {
  const merged: MergedKubeconfig = {clusters: [], users: [], contexts: [], files: []}
  const seen = {clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>()}
  for (const path of paths) {
    const doc = readFile(path)
    const base = dirname(path)
    merged.files.push(path)
    for (const c of list<{name?: string; cluster?: Entry}>(doc['clusters'])) {
      if (!c?.name || seen.clusters.has(c.name)) continue
      seen.clusters.add(c.name)
      merged.clusters.push({name: c.name, cluster: absolutize(c.cluster ?? {}, PATH_KEYS.cluster, base)})
    }
    for (const u of list<{name?: string; user?: Entry}>(doc['users'])) {
      if (!u?.name || seen.users.has(u.name)) continue
      seen.users.add(u.name)
      merged.users.push({name: u.name, user: absolutize(u.user ?? {}, PATH_KEYS.user, base)})
    }
    for (const c of list<{name?: string; context?: NamedContext['context']}>(doc['contexts'])) {
      if (!c?.name || seen.contexts.has(c.name)) continue
      seen.contexts.add(c.name)
      merged.contexts.push({name: c.name, context: {...(c.context ?? {})}})
    }
    const current = doc['current-context']
    if (merged.currentContext === undefined && typeof current === 'string' && current !== '') merged.currentContext = current
  }
  return merged
}

/** The files kubectl would read, in order. */
export function kubeconfigPaths(options: ResolveOptions): string[] {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw usageError(`stat ${options.kubeconfig}: no such file or directory`)
    return [options.kubeconfig]
  }
  const env = options.env ?? process.env
  const fromEnv = env['KUBECONFIG']
  if (fromEnv && fromEnv.trim() !== '') {
    // kubectl silently skips entries that do not exist.
    const paths = [...new Set(fromEnv.split(delimiter).filter((p) => p !== ''))].filter((p) => existsSync(p))
    if (paths.length > 0) return paths
    throw failure(`none of the files in KUBECONFIG exist: ${fromEnv}`)
  }
  const home = options.home ?? env['HOME'] ?? homedir()
  const path = join(home, '.kube', 'config')
  if (!existsSync(path)) {
    throw failure('no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config', 'to try kubectl aim without a cluster: kubectl aim simulate --write-kubeconfig ./sim.kubeconfig')
  }
  return [path]
}

export function resolveKubeconfig(options: ResolveOptions = {}): ResolvedKubeconfig {
  const merged = mergeKubeconfigFiles(kubeconfigPaths(options))
  const contextName = options.context || merged.currentContext
  if (!contextName) {
    throw failure('current-context is not set in the kubeconfig', 'pass --context NAME or run: kubectl config use-context NAME')
  }
  const context = merged.contexts.find((c) => c.name === contextName)
  if (!context) {
    if (options.context) throw usageError(`context "${contextName}" does not exist`, `contexts: ${merged.contexts.map((c) => c.name).join(', ') || '<none>'}`)
    throw failure(`current-context "${contextName}" does not exist in the kubeconfig`)
  }
  const cluster = merged.clusters.find((c) => c.name === context.context.cluster)
  if (!cluster) throw failure(`cluster "${context.context.cluster ?? ''}" of context "${contextName}" does not exist in the kubeconfig`)
  const user = merged.users.find((u) => u.name === context.context.user) ?? {name: context.context.user ?? '', user: {}}
  const server = typeof cluster.cluster['server'] === 'string' ? (cluster.cluster['server'] as string) : ''
  if (!server) throw failure(`cluster "${cluster.name}" has no server in the kubeconfig`)
  let namespace: string
  let namespaceSource: ResolvedKubeconfig['namespaceSource']
  if (options.namespace) {
    namespace = options.namespace
    namespaceSource = 'flag'
  } else if (context.context.namespace) {
    namespace = context.context.namespace
    namespaceSource = 'context'
  } else {
    namespace = 'default'
    namespaceSource = 'default'
  }
  return {merged, contextName, context, cluster, user, namespace, namespaceSource, server}
}

/**
 * The single-context kubeconfig (as an object in kubeconfig YAML/JSON shape) to hand to
 * client-node's `loadFromString`, so client-node never applies its own merge rules.
 */
export function flattenForClient(resolved: ResolvedKubeconfig): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [resolved.cluster],
    users: [resolved.user.name ? resolved.user : {name: 'anonymous', user: {}}],
    contexts: [
      {
        name: resolved.contextName,
        context: {...resolved.context.context, cluster: resolved.cluster.name, user: resolved.user.name || 'anonymous', namespace: resolved.namespace},
      },
    ],
    'current-context': resolved.contextName,
  }
}

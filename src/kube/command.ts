/**
 * The shared oclif base of every cluster command: the kubectl global flags (after the command
 * name, as kubectl plugins must), one-line errors with exit codes, colour control. Light on
 * purpose — only @oclif/core is loaded here; the client (client-node) is imported on first use.
 */
import {Command, Errors, Flags, type Interfaces} from '@oclif/core'
import {EXIT_USAGE} from './errors.js'
import type {KubeClient} from './client.js'
import {processIo, type Io} from '../fast/io.js'
import {failureOutput} from '../fast/errors.js'
import {clientFor, type KubeFlags} from '../fast/kube.js'

export const kubeFlags = {
  namespace: Flags.string({char: 'n', description: 'namespace (default: the context\'s namespace, else "default")', helpGroup: 'GLOBAL'}),
  context: Flags.string({description: 'kubeconfig context to use', helpGroup: 'GLOBAL'}),
  kubeconfig: Flags.string({description: 'path to the kubeconfig file (else KUBECONFIG, else ~/.kube/config)', helpGroup: 'GLOBAL'}),
  'no-color': Flags.boolean({description: 'no colours (also NO_COLOR)', helpGroup: 'GLOBAL'}),
  'request-timeout': Flags.string({description: 'per-request timeout, e.g. 30s (0: none)', default: '30s', helpGroup: 'GLOBAL'}),
}

export const allNamespacesFlag = Flags.boolean({char: 'A', description: 'list across all namespaces'})

export type {KubeFlags} from '../fast/kube.js'
export {processIo, type Io} from '../fast/io.js'

export abstract class KubeCommand extends Command {
  static override baseFlags = kubeFlags

  private clientInstance: KubeClient | undefined
  protected io: Io = processIo()

  protected setupIo(flags: KubeFlags): Io {
    this.io = processIo(Boolean(flags['no-color']))
    return this.io
  }

  /** The cluster client for these flags (kubeconfig, context, namespace). Loads client-node lazily. */
  protected async client(flags: KubeFlags): Promise<KubeClient> {
    this.clientInstance ??= await clientFor(flags)
    return this.clientInstance
  }

  protected override async catch(err: Interfaces.CommandError): Promise<never> {
    if (err instanceof Errors.ExitError) throw err
    const debug = (process.env['DEBUG'] ?? '').split(',').some((d) => d.trim() === 'kubectl-aim' || d.trim() === '*')
    if (!(err instanceof Errors.CLIError) && (err as {oclif?: {exit?: number}}).oclif?.exit === undefined) {
      const out = failureOutput(err)
      process.stderr.write(out.stderr)
      if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
      throw new Errors.ExitError(out.exit)
    }
    // Parser errors (unknown flag, missing argument, bad option value) are usage errors.
    const lines = stripAnsi(err.message).split('\n').map((l) => l.trim())
    const end = lines.findIndex((l, i) => i > 0 && (l === '' || /^(See more help|Note:|Alternatively)/.test(l)))
    const message = (end < 0 ? lines : lines.slice(0, end))
      .filter(Boolean)
      .join(': ')
      .replace(/:\s*:/g, ':')
      .replace(/\s{2,}/g, ' ')
      .replace(/^error:\s*/i, '')
    let exit = (err as {oclif?: {exit?: number}}).oclif?.exit ?? EXIT_USAGE
    if (exit === 1 && isParseError(err)) exit = EXIT_USAGE
    const hint = `see: kubectl aim ${this.id?.replaceAll(':', ' ') ?? ''} --help`.replace(/\s+--help/, ' --help')
    process.stderr.write(`error: ${message}\n${hint}\n`)
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    throw new Errors.ExitError(exit)
  }
}

function isParseError(err: unknown): boolean {
  const name = (err as {name?: string; constructor?: {name?: string}}).constructor?.name ?? ''
  return /Parse|Flag|Arg|Option|Validation|Required/.test(name)
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
}

/**
 * Runs a command class in-process with captured stdout/stderr and its exit code, the way a user
 * would see them. Commands write through process.stdout/stderr.write (vitest's console intercept is
 * off), so swapping those two functions captures everything, Ink and listr2 included.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Command} from '@oclif/core'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface RunResult {
  stdout: string
  stderr: string
  code: number
}

type CommandClass = typeof Command & {run(argv?: string[], opts?: unknown): Promise<unknown>}

let queue: Promise<unknown> = Promise.resolve()

/** Serialised: process.stdout is global, so two in-process runs never overlap. */
export function runCommand(cmd: CommandClass, argv: string[], options: {env?: Record<string, string | undefined>} = {}): Promise<RunResult> {
  const next = queue.then(() => runNow(cmd, argv, options))
  queue = next.catch(() => undefined)
  return next
}

async function runNow(cmd: CommandClass, argv: string[], options: {env?: Record<string, string | undefined>}): Promise<RunResult> {
  let stdout = ''
  let stderr = ''
  const outWrite = process.stdout.write.bind(process.stdout)
  const errWrite = process.stderr.write.bind(process.stderr)
  const saved: Record<string, string | undefined> = {}
  const env = {NO_COLOR: '1', CI: '1', ...options.env}
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stderr.write
  let code = 0
  try {
    await cmd.run(argv, ROOT)
  } catch (err) {
    const exit = (err as {oclif?: {exit?: number}}).oclif?.exit
    if (typeof exit === 'number') code = exit
    else {
      code = 1
      stderr += `UNCAUGHT: ${(err as Error)?.stack ?? String(err)}\n`
    }
  } finally {
    process.stdout.write = outWrite
    process.stderr.write = errWrite
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
  return {stdout, stderr, code}
}

/** A kubeconfig for a plain-HTTP fake server (nock) with a bearer token. */
export function writeKubeconfig(server: string, options: {token?: string; namespace?: string; context?: string; dir?: string; extra?: string} = {}): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'aim-kc-'))
  const ctx = options.context ?? 'test'
  const path = join(dir, `${ctx}.kubeconfig`)
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${ctx}`,
      '  cluster:',
      `    server: ${server}`,
      '    insecure-skip-tls-verify: true',
      'users:',
      `- name: ${ctx}`,
      '  user:',
      `    token: ${options.token ?? 'test-token'}`,
      'contexts:',
      `- name: ${ctx}`,
      '  context:',
      `    cluster: ${ctx}`,
      `    user: ${ctx}`,
      ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
      `current-context: ${ctx}`,
      options.extra ?? '',
    ].join('\n'),
  )
  return path
}

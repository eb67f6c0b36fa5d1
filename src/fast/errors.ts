/**
 * What a command prints and exits with when its run fails with anything but a parse error: the
 * `error: …` line, an optional hint line, the exit code. One rule for the oclif commands
 * (KubeCommand.catch) and the fast paths.
 */
import {UserError, firstLine} from '../kube/errors.js'

export interface FailureOutput {
  /** The text for stderr, lines ending in '\n'. */
  stderr: string
  exit: number
}

export function failureOutput(err: unknown): FailureOutput {
  let message: string
  let hint: string | undefined
  let exit: number
  if (err instanceof UserError) {
    message = err.message
    hint = err.hint
    exit = err.exitCode
  } else {
    message = firstLine(err instanceof Error ? err.message : String(err))
    exit = 1
  }
  message = message.replace(/^error:\s*/i, '')
  return {stderr: `error: ${message}\n${hint ? `${hint}\n` : ''}`, exit}
}

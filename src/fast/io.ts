/**
 * Terminal output for the commands, shared by the oclif commands (through src/kube/command.ts) and
 * the fast paths of bin/fast-path.js: no @oclif/core here.
 */

/** Writes to stdout/stderr; tests swap process.stdout.write to capture. */
export interface Io {
  out(text: string): void
  err(text: string): void
  isTTY: boolean
  color: boolean
  columns: number
}

export function processIo(noColor = false): Io {
  const isTTY = Boolean(process.stdout.isTTY)
  const env = process.env
  const color = !noColor && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb' && (isTTY || (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0'))
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTTY,
    color,
    columns: process.stdout.columns || 100,
  }
}

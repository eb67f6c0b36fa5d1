/**
 * The fast path of `kubectl aim status` (bin/fast-commands.cjs dispatches here without loading
 * @oclif/core): the manifest-driven flag parser, then the command's own run (status-run.ts).
 * Declines (returns false, oclif runs) whenever the parser is unsure, and for --watch.
 */
import {argsFromStdin, parseFlags} from './flags.js'
import {loadManifest} from './manifest.js'

/** Runs `status` for the words after the command name; false: not handled, run oclif. */
export async function fastRun(argv: string[], root: URL): Promise<boolean> {
  const manifest = loadManifest(root)
  if (!manifest) return false
  let input = parseFlags(manifest, 'status', argv)
  // --watch stays with oclif; --watch-updates is an integer flag (oclif parses it, this parser does not).
  if (!input || input.flags['watch'] !== undefined || input.flags['watch-updates'] !== undefined) return false
  input = await argsFromStdin(manifest, 'status', input)
  if (!input) return false
  const [{processIo}, {runStatus}, {clientFor}, {failureOutput}] = await Promise.all([import('./io.js'), import('./status-run.js'), import('./kube.js'), import('./errors.js')])
  const flags = input.flags as import('./status-run.js').StatusFlags
  try {
    await runStatus(input.args, flags, processIo(Boolean(flags['no-color'])), () => clientFor(flags))
  } catch (err) {
    const out = failureOutput(err)
    process.stderr.write(out.stderr)
    process.exitCode = out.exit
  }
  return true
}

/**
 * `kubectl aim simulate`: the command's one body (runSimulate), called by the oclif command
 * (commands/simulate/index.ts) and by the fast path bin/fast-path.js takes without loading
 * @oclif/core (fastRun). No oclif here; the simulator is imported once the flags are checked.
 */
import {failure, usageError} from '../kube/errors.js'

export const READY_PREFIX = 'kubectl-aim simulator ready at'

/** The flags as oclif parses them (all options are strings; the command parses the numbers). */
export interface SimulateFlags {
  port: string
  'write-kubeconfig'?: string | undefined
  nodes: string
  'gpus-per-node'?: string | undefined
  catalog?: string | undefined
  state?: string | undefined
  speed?: string | undefined
  token?: string | undefined
  seed?: string | undefined
  operators: string
  demo?: boolean | undefined
}

function parsePort(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw usageError(`invalid --port "${raw}": expected 0 (any free port) or 1-65535`)
  return Number(raw)
}

function parseSpeed(raw: string): number {
  const speed = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(speed) || speed <= 0 || speed > 1_000_000) {
    throw usageError(`invalid --speed "${raw}": expected a number of virtual seconds per real second, > 0 (e.g. 10)`)
  }
  return speed
}

function parseGpusPerNode(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 64) throw usageError(`invalid --gpus-per-node "${raw}": expected an integer from 1 to 64`)
  return Number(raw)
}

/**
 * Checks the flags (usage errors throw a UserError with exit 2), starts the simulator, prints the
 * ready line (then calls onReady) and runs until SIGINT/SIGTERM. "started in N ms" counts from the
 * process's start (what the user waits), with or without oclif.
 */
export async function runSimulate(flags: SimulateFlags, onReady?: () => void): Promise<void> {
  const port = parsePort(flags.port)
  const speed = parseSpeed(flags.speed ?? (flags.demo ? '100' : '10'))
  const gpusPerNode = flags['gpus-per-node'] === undefined ? undefined : parseGpusPerNode(flags['gpus-per-node'])
  if (flags.token !== undefined && !/^[\x21-\x7e]+$/.test(flags.token)) throw usageError('invalid --token: expected printable characters without spaces')
  // The simulator's modules start loading now; the checks below need only two small ones.
  const simulatorModule = import('../../simulator/index.js')
  simulatorModule.catch(() => undefined)
  const [{existsSync, statSync, mkdirSync}, {dirname, resolve}, nodesModule, {parseOperators}] = await Promise.all([
    import('node:fs'),
    import('node:path'),
    import('../../simulator/cluster/nodes.js'),
    import('../api/registry.js'),
  ])
  let operators: ReturnType<typeof parseOperators>
  try {
    operators = parseOperators(flags.operators)
  } catch (e) {
    throw usageError(`invalid --operators: ${(e as Error).message}`)
  }
  if (flags.demo && !operators.includes('aim')) throw usageError('--demo deploys an AIMService: --operators must include aim')
  try {
    nodesModule.parseNodeSpec(flags.nodes)
  } catch (e) {
    if (e instanceof nodesModule.NodeSpecError) throw usageError(`invalid --nodes: ${e.message}`)
    throw e
  }
  if (flags.catalog !== undefined && !(existsSync(flags.catalog) && statSync(flags.catalog).isDirectory())) {
    throw usageError(`invalid --catalog "${flags.catalog}": not a directory`)
  }
  const statePath = flags.state === undefined ? undefined : resolve(flags.state)
  if (statePath !== undefined) {
    if (existsSync(statePath) && statSync(statePath).isDirectory()) throw usageError(`invalid --state "${flags.state}": is a directory, expected a file`)
    mkdirSync(dirname(statePath), {recursive: true})
  }

  const [{startSimulator}, {tmpdir}] = await Promise.all([simulatorModule, import('node:os')])
  let sim: Awaited<ReturnType<typeof startSimulator>>
  try {
    sim = await startSimulator({port, token: flags.token, seed: flags.seed, statePath, nodes: flags.nodes, gpusPerNode, catalogDir: flags.catalog, speed, operators})
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw failure(`port ${port} on 127.0.0.1 is already in use`, 'pass --port 0 to pick a free port')
    if (code === 'EACCES' || code === 'EROFS') throw failure(`cannot write state ${flags.state ?? ''}: ${(e as Error).message}`)
    throw e
  }
  // From here to the ready line nothing awaits: the controllers' first reconciles would run first.
  const kubeconfigPath =
    flags['write-kubeconfig'] !== undefined ? resolve(flags['write-kubeconfig']) : flags.demo ? resolve(tmpdir(), 'kubectl-aim-demo', 'kubeconfig') : undefined
  if (kubeconfigPath !== undefined) sim.writeKubeconfig(kubeconfigPath)

  const stopping = new Promise<string>((resolvePromise) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolvePromise(signal))
  })
  const ms = Math.round(performance.now())
  if (kubeconfigPath !== undefined) {
    process.stderr.write(`kubeconfig written to ${kubeconfigPath} (context aim-simulator); use it with:\n  export KUBECONFIG=${kubeconfigPath}\n`)
  } else {
    process.stderr.write('no kubeconfig written: pass --write-kubeconfig PATH to use kubectl against the simulator\n')
  }
  process.stderr.write(
    `operators ${operators.join(',')}; nodes ${flags.nodes}${gpusPerNode ? ` × ${gpusPerNode} GPUs` : ''}, clock ×${speed}${statePath ? `, state ${statePath}` : ''}; started in ${ms} ms; Ctrl-C stops\n`,
  )
  // Last, so that whoever waits for this line also has the hints above.
  process.stdout.write(`${READY_PREFIX} ${sim.url}\n`)
  onReady?.()

  let demoFailed = false
  if (flags.demo && kubeconfigPath !== undefined) {
    const {runDemo} = await import('../../simulator/scenario/demo.js')
    demoFailed = !(await runDemo({kubeconfigPath, stopping}))
    process.stderr.write(`\nThe simulator keeps running. In another shell:\n  export KUBECONFIG=${kubeconfigPath}\n  kubectl get aimservices -A\n  kubectl aim status qwen\nCtrl-C stops it.\n`)
  }

  const signal = await stopping
  process.stderr.write(`${signal}: stopping the simulator${statePath ? ' and flushing state' : ''}\n`)
  await sim.stop()
  if (demoFailed) process.exitCode = 1
}

/** What bin/fast-path.js may pass to a fast command that runs for long. */
export interface FastHooks {
  /**
   * Called once, right after the ready line: the moment to save the V8 code cache of a bundled fast
   * path (the functions a start compiles are compiled by then; a simulator often ends with SIGKILL).
   */
  ready?: () => void
}

/**
 * `simulate` without oclif (bin/fast-path.js): flags from oclif.manifest.json, then runSimulate.
 * False (oclif runs) for anything the manifest parser is unsure of: `simulate run`, --help, unknown
 * or repeated flags, a manifest without this command's defaults.
 */
export async function fastRun(argv: string[], root: URL, hooks: FastHooks = {}): Promise<boolean> {
  const [{loadManifest}, {parseFlags}] = await Promise.all([import('./manifest.js'), import('./flags.js')])
  const manifest = loadManifest(root)
  if (!manifest) return false
  const input = parseFlags(manifest, 'simulate', argv)
  if (!input || Object.keys(input.args).length > 0) return false
  const f = input.flags
  // The defaults must come from the manifest (one definition, the oclif flags); a manifest that
  // lacks them is not this command's.
  if (typeof f['port'] !== 'string' || typeof f['nodes'] !== 'string' || typeof f['operators'] !== 'string') return false
  for (const [name, value] of Object.entries(f)) if (typeof value !== (name === 'demo' ? 'boolean' : 'string')) return false
  try {
    await runSimulate(f as unknown as SimulateFlags, hooks.ready)
  } catch (err) {
    const {failureOutput} = await import('./errors.js')
    const out = failureOutput(err)
    process.stderr.write(out.stderr)
    process.exitCode = out.exit
  }
  return true
}

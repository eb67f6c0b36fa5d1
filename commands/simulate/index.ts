import {Flags} from '@oclif/core'
import {KubeCommand} from '../../src/kube/command.js'
import {failure, usageError} from '../../src/kube/errors.js'

const READY_PREFIX = 'kubectl-aim simulator ready at'

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

export default class Simulate extends KubeCommand {
  static override summary = 'Run a simulated Kubernetes cluster with the AIM operator and AMD GPU nodes'
  static override description = `Starts, in this process, a Kubernetes-compatible API server over HTTPS on 127.0.0.1 with the
AIM reconcilers, fake KServe/KEDA/Gateway/storage controllers and fake AMD GPU nodes, on a
virtual clock running at real time × --speed. Prints one line on stdout when it accepts requests:

  kubectl-aim simulator ready at https://127.0.0.1:PORT

--operators picks what the cluster runs: aim (the default: AIM Engine, KServe and the older
aim.silogen.ai API), ome (OME's ome.io kinds), or both. Only their kinds are served, so a name two
of them share resolves as on a real cluster: with both, \`kubectl get inferenceservice\` means
ome.io's and KServe's is inferenceservices.serving.kserve.io.

With --write-kubeconfig, writes a kubeconfig (context aim-simulator, mode 0600) that stock kubectl
and kubectl aim use. Runs until SIGINT/SIGTERM. With --state, every object is journaled to FILE
and a later start on the same FILE resumes them (also after a crash).`

  static override examples = [
    'kubectl aim simulate --write-kubeconfig /tmp/aim.kubeconfig',
    'kubectl aim simulate --nodes mi300x=2,mi325x=1 --state ~/.kube/aim-sim.state --write-kubeconfig ~/.kube/aim-sim',
    'kubectl aim simulate --demo',
    'kubectl aim simulate --operators ome --write-kubeconfig /tmp/ome.kubeconfig',
    'kubectl aim simulate run fixtures/scenarios/seed-001-quick-start.yaml',
  ]

  // The simulator is the cluster: no kubeconfig/context/namespace flags here.
  static override baseFlags = {} as typeof KubeCommand.baseFlags

  static override flags = {
    port: Flags.string({description: 'port on 127.0.0.1 (0 = any free port)', default: '0', helpValue: 'PORT'}),
    'write-kubeconfig': Flags.string({description: 'write a kubeconfig for the simulator to PATH (mode 0600)', helpValue: 'PATH'}),
    nodes: Flags.string({description: 'GPU node pools, MODEL=COUNT[,MODEL=COUNT…]', default: 'mi300x=2', helpValue: 'mi300x=2,mi325x=1'}),
    'gpus-per-node': Flags.string({description: 'amd.com/gpu capacity of each node (default 8)', helpValue: 'N'}),
    catalog: Flags.string({description: 'directory of extra catalog images (YAML), added to the built-in catalog', helpValue: 'DIR'}),
    state: Flags.string({description: 'persist every object to FILE and resume from it', helpValue: 'FILE'}),
    speed: Flags.string({description: 'virtual seconds per real second (default 10; 100 with --demo)', helpValue: 'X'}),
    token: Flags.string({description: 'bearer token clients must send (default: random)', helpValue: 'T'}),
    seed: Flags.string({description: 'seed for uids, generated names and simulated randomness', helpValue: 'S'}),
    operators: Flags.string({
      description: 'operators the cluster runs: aim (AIM Engine with KServe), ome (OME), or aim,ome; only their kinds are served',
      default: 'aim',
      helpValue: 'aim,ome',
    }),
    demo: Flags.boolean({description: 'deploy qwen, show status and why, then keep running', default: false}),
  }

  async run(): Promise<void> {
    const started = performance.now()
    const {flags} = await this.parse(Simulate)
    const port = parsePort(flags.port)
    const speed = parseSpeed(flags.speed ?? (flags.demo ? '100' : '10'))
    const gpusPerNode = flags['gpus-per-node'] === undefined ? undefined : parseGpusPerNode(flags['gpus-per-node'])
    if (flags.token !== undefined && !/^[\x21-\x7e]+$/.test(flags.token)) throw usageError('invalid --token: expected printable characters without spaces')
    const [{existsSync, statSync, mkdirSync}, {dirname, resolve}, nodesModule, {parseOperators}] = await Promise.all([
      import('node:fs'),
      import('node:path'),
      import('../../simulator/cluster/nodes.js'),
      import('../../src/api/registry.js'),
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

    const [{startSimulator}, {tmpdir}] = await Promise.all([import('../../simulator/index.js'), import('node:os')])
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
    const ms = Math.round(performance.now() - started)
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
}

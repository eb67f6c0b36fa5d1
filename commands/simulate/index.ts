import {Flags} from '@oclif/core'
import {KubeCommand} from '../../src/kube/command.js'

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
    const {flags} = await this.parse(Simulate)
    // One body for this command and its fast path (bin/fast-path.js → src/fast/simulate.ts).
    const {runSimulate} = await import('../../src/fast/simulate.js')
    await runSimulate(flags)
  }
}

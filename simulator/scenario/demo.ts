/**
 * `kubectl aim simulate --demo`: with the simulator already serving, run the plugin against it as
 * a user would — deploy qwen (waiting, with progress), then `status` and `why` — each as a child
 * process of bin/run.js with the simulator's kubeconfig. Plain lines when CI=true or off a TTY.
 */
import {spawn} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot} from './runner.js'

export interface DemoOptions {
  kubeconfigPath: string
  /** Resolves when the user interrupts; the running step is stopped. */
  stopping: Promise<unknown>
  /** Where the plugin's output goes (default: this process's stdout/stderr). */
  stdio?: 'inherit' | 'ignore'
  pluginEntry?: string
}

export const DEMO_STEPS: Array<{title: string; args: string[]}> = [
  {title: 'Deploy Qwen3-32B as the AIMService "qwen"', args: ['deploy', 'qwen', '--name', 'qwen', '--timeout', '15m']},
  {title: 'Its status', args: ['status', 'qwen']},
  {title: 'Why this template was selected', args: ['why', 'qwen']},
]

/** Runs the demo steps in order; false when one fails (later steps still run). */
export async function runDemo(options: DemoOptions): Promise<boolean> {
  const entry = options.pluginEntry ?? join(repoRoot(), 'bin', 'run.js')
  let ok = true
  let interrupted = false
  void options.stopping.then(() => (interrupted = true))
  for (const step of DEMO_STEPS) {
    if (interrupted) return ok
    process.stderr.write(`\n$ kubectl aim ${step.args.join(' ')}    # ${step.title}\n`)
    const child = spawn(process.execPath, [entry, ...step.args], {
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
      env: {...process.env, KUBECONFIG: options.kubeconfigPath},
    })
    const stop = () => child.kill('SIGTERM')
    void options.stopping.then(stop)
    const code = await new Promise<number | null>((resolve) => {
      child.on('error', () => resolve(127))
      child.on('close', (c) => resolve(c))
    })
    if (code !== 0) {
      ok = false
      if (!interrupted) process.stderr.write(`(kubectl aim ${step.args[0]} exited with ${String(code)})\n`)
    }
  }
  return ok
}

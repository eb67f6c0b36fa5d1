/**
 * Runs a parsed scenario against an in-process simulator (a ScenarioHarness): applies manifests
 * straight into the store, moves the virtual clock, checks expectations, and runs plugin or kubectl
 * commands as child processes against the HTTPS API server when a step asks for one.
 */
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {KubeObject} from '../../src/api/object.js'
import {registry} from '../../src/api/registry.js'
import {isApiError} from '../../src/api/status.js'
import type {VirtualClock} from '../clock/index.js'
import type {Store} from '../store/types.js'
import {formatDuration} from './duration.js'
import {checkExpectation, storeRef, type CheckFailure} from './expect.js'
import {resolveTarget, type CommandStep, type OutputMatch, type Scenario, type Step} from './schema.js'

/** What the runner needs from a simulator. harness.ts builds one from the real simulator. */
export interface ScenarioHarness {
  store: Store
  clock: VirtualClock
  /** Advance virtual time by `ms` (0 = only let queued reconciles run). */
  advance(ms: number): Promise<void>
  /** Let the cluster come to rest, moving the clock at most `maxVirtualMs`. */
  settle(maxVirtualMs: number): Promise<void>
  /** Inject or clear a fault; undefined when the simulator has no fault injection. */
  fault?(action: 'inject' | 'clear', spec: Record<string, unknown>): void
  /** Start the HTTPS API server once (for command steps) and return the kubeconfig to use. */
  serve(): Promise<{kubeconfigPath: string}>
  stop(): Promise<void>
}

export type HarnessFactory = (scenario: Scenario) => Promise<ScenarioHarness>

export interface CommandOutput {
  exitCode: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

export interface StepResult {
  step: Step
  status: 'passed' | 'failed' | 'error' | 'skipped'
  failures: CheckFailure[]
  /** Why a step could not run (an API error, a missing file, a command that timed out). */
  error?: string
  output?: CommandOutput
  durationMs: number
  /** Virtual time the step moved the clock. */
  virtualMs: number
}

export interface ScenarioResult {
  scenario: Scenario
  passed: boolean
  steps: StepResult[]
  /** Set when the simulator could not be started or stopped. */
  error?: string
  durationMs: number
  virtualMs: number
}

export interface RunOptions {
  harness: HarnessFactory
  /** Called after each step (for progress output). */
  onStep?: (result: StepResult) => void
  /** Where `kubectl-aim` steps find the plugin (default: this repository's bin/run.js). */
  pluginEntry?: string
  /** The kubectl binary for `kubectl` steps (default: `kubectl` on PATH). */
  kubectl?: string
}

/** The repository root: the nearest directory above this file with bin/run.js (src and dist layouts). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'bin', 'run.js')) && existsSync(join(dir, 'package.json'))) return dir
    dir = dirname(dir)
  }
  return process.cwd()
}

function apiMessage(e: unknown): string {
  if (isApiError(e)) return e.message
  return e instanceof Error ? e.message : String(e)
}

/** Create or replace each object, as `kubectl apply` would for a fresh object; namespaces appear on demand. */
export async function applyObjects(store: Store, objects: KubeObject[]): Promise<void> {
  for (const original of objects) {
    const obj = structuredClone(original)
    const target = resolveTarget(undefined, obj.apiVersion, obj.kind)
    if (typeof target === 'string') throw new Error(target)
    const ref = storeRef(target)
    const namespaced = target.info.namespaced
    if (namespaced) {
      obj.metadata.namespace ??= 'default'
      const nsRef = registry.forKind('v1', 'Namespace')!
      if (!store.get(nsRef, undefined, obj.metadata.namespace)) {
        store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: obj.metadata.namespace}})
      }
    } else delete obj.metadata.namespace
    const existing = store.get(ref, obj.metadata.namespace, obj.metadata.name!)
    if (!existing) {
      store.create(obj, {fieldManager: 'kubectl-aim-scenario'})
      continue
    }
    const next: KubeObject = {
      ...existing,
      ...obj,
      metadata: {...existing.metadata, labels: obj.metadata.labels, annotations: obj.metadata.annotations, resourceVersion: existing.metadata.resourceVersion},
      status: existing.status,
    }
    store.update(next, {fieldManager: 'kubectl-aim-scenario'})
  }
}

function matchOutput(name: 'stdout' | 'stderr', text: string, want: OutputMatch): CheckFailure[] {
  const out: CheckFailure[] = []
  const clip = (s: string) => (s.length > 2000 ? `${s.slice(0, 2000)}…` : s)
  for (const needle of want.contains) {
    if (!text.includes(needle)) out.push({check: `${name} contains`, expected: JSON.stringify(needle), actual: clip(text) || '<empty>'})
  }
  for (const needle of want.notContains) {
    if (text.includes(needle)) out.push({check: `${name} does not contain`, expected: JSON.stringify(needle), actual: clip(text)})
  }
  if (want.equals !== undefined && text.replace(/\n+$/, '') !== want.equals.replace(/\n+$/, '')) {
    out.push({check: `${name} equals`, expected: want.equals, actual: clip(text) || '<empty>'})
  }
  if (want.matches && !want.matches.test(text)) out.push({check: `${name} matches`, expected: `/${want.matches.source}/`, actual: clip(text) || '<empty>'})
  return out
}

/** Run a child process with a bounded real-time timeout (commands are real I/O). */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd?: string): Promise<CommandOutput> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {env, cwd, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      resolvePromise({exitCode: 127, stdout, stderr: `${stderr}${e.message}\n`, timedOut})
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({exitCode: code, stdout, stderr, timedOut})
    })
  })
}

async function runCommand(harness: ScenarioHarness, step: CommandStep & {type: 'kubectl-aim' | 'kubectl'}, options: RunOptions): Promise<{output: CommandOutput; failures: CheckFailure[]}> {
  const {kubeconfigPath} = await harness.serve()
  const env: NodeJS.ProcessEnv = {...process.env, KUBECONFIG: kubeconfigPath, NO_COLOR: '1', CI: 'true', FORCE_COLOR: '0'}
  const [command, args] =
    step.type === 'kubectl-aim'
      ? [process.execPath, [options.pluginEntry ?? join(repoRoot(), 'bin', 'run.js'), ...step.args]]
      : [options.kubectl ?? 'kubectl', step.args]
  if (step.speed !== undefined) harness.clock.startRealTime(step.speed)
  let output: CommandOutput
  try {
    output = await runProcess(command, args, env, step.timeoutMs)
  } finally {
    if (step.speed !== undefined) await harness.clock.stopRealTime()
  }
  const failures: CheckFailure[] = []
  if (output.timedOut) failures.push({check: 'finishes', expected: `within ${formatDuration(step.timeoutMs)}`, actual: 'killed after the timeout'})
  else if (output.exitCode !== step.exitCode) {
    const hint = output.stderr.trim().split('\n').slice(0, 3).join(' | ')
    failures.push({check: 'exit code', expected: String(step.exitCode), actual: `${String(output.exitCode)}${hint ? ` (stderr: ${hint})` : ''}`})
  }
  failures.push(...matchOutput('stdout', output.stdout, step.stdout), ...matchOutput('stderr', output.stderr, step.stderr))
  return {output, failures}
}

async function expectWithin(harness: ScenarioHarness, step: Extract<Step, {type: 'expect'}>): Promise<CheckFailure[]> {
  let failures = checkExpectation(harness.store, step.expect)
  const within = step.withinMs ?? 0
  let elapsed = 0
  for (let guard = 0; failures.length > 0 && elapsed < within && guard < 100_000; guard++) {
    const next = harness.clock.nextDueIn()
    const stride = Math.min(next === undefined ? within - elapsed : Math.max(next, 1), within - elapsed)
    await harness.advance(stride)
    elapsed += stride
    failures = checkExpectation(harness.store, step.expect)
  }
  if (failures.length > 0 && within > 0) {
    for (const f of failures) f.actual = `${f.actual} (after ${formatDuration(within)})`
  }
  return failures
}

async function runStep(harness: ScenarioHarness, step: Step, options: RunOptions): Promise<Omit<StepResult, 'step' | 'durationMs' | 'virtualMs'>> {
  switch (step.type) {
    case 'apply':
      await applyObjects(harness.store, step.objects)
      await harness.advance(0)
      return {status: 'passed', failures: []}
    case 'delete':
      harness.store.delete(storeRef(step.target), step.target.info.namespaced ? step.namespace : undefined, step.name, {propagationPolicy: step.propagationPolicy})
      await harness.advance(0)
      return {status: 'passed', failures: []}
    case 'advance':
      await harness.advance(step.ms)
      return {status: 'passed', failures: []}
    case 'settle':
      await harness.settle(step.ms)
      return {status: 'passed', failures: []}
    case 'expect': {
      const failures = await expectWithin(harness, step)
      return {status: failures.length === 0 ? 'passed' : 'failed', failures}
    }
    case 'fault':
      if (!harness.fault) return {status: 'error', failures: [], error: 'this simulator has no fault injection'}
      harness.fault(step.action, step.spec)
      await harness.advance(0)
      return {status: 'passed', failures: []}
    case 'kubectl-aim':
    case 'kubectl': {
      const {output, failures} = await runCommand(harness, step, options)
      return {status: failures.length === 0 ? 'passed' : 'failed', failures, output}
    }
  }
}

/** Run one scenario. Steps stop at the first failure; the rest are reported as skipped. */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
  const started = performance.now()
  let harness: ScenarioHarness
  try {
    harness = await options.harness(scenario)
  } catch (e) {
    return {scenario, passed: false, steps: [], error: `cannot start the simulator: ${apiMessage(e)}`, durationMs: performance.now() - started, virtualMs: 0}
  }
  const virtualStart = harness.clock.now()
  const steps: StepResult[] = []
  let stopped = false
  for (const step of scenario.steps) {
    if (stopped) {
      const skipped: StepResult = {step, status: 'skipped', failures: [], durationMs: 0, virtualMs: 0}
      steps.push(skipped)
      options.onStep?.(skipped)
      continue
    }
    const t0 = performance.now()
    const v0 = harness.clock.now()
    let result: StepResult
    try {
      const r = await runStep(harness, step, options)
      result = {step, ...r, durationMs: performance.now() - t0, virtualMs: harness.clock.now() - v0}
    } catch (e) {
      result = {step, status: 'error', failures: [], error: apiMessage(e), durationMs: performance.now() - t0, virtualMs: harness.clock.now() - v0}
    }
    steps.push(result)
    options.onStep?.(result)
    if (result.status !== 'passed') stopped = true
  }
  let error: string | undefined
  try {
    await harness.stop()
  } catch (e) {
    error = `cannot stop the simulator: ${apiMessage(e)}`
  }
  const passed = error === undefined && steps.every((s) => s.status === 'passed')
  return {scenario, passed, steps, error, durationMs: performance.now() - started, virtualMs: harness.clock.now() - virtualStart}
}

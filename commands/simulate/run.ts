import {Args, Errors, Flags} from '@oclif/core'
import {KubeCommand} from '../../src/kube/command.js'
import {failure, usageError} from '../../src/kube/errors.js'

export default class SimulateRun extends KubeCommand {
  static override summary = 'Run scenario files against an in-process simulator (for CI)'
  static override description = `Each scenario lists GPU nodes, catalog additions and steps (apply, advance, settle, expect,
fault, delete, kubectl-aim, kubectl). The simulator runs in this process on a virtual clock; an
HTTPS port is opened only for scenarios with kubectl-aim or kubectl steps.

Exit status: 0 when every expectation holds, 1 when one does not (the first failures are shown
with expected and actual values), 2 when a scenario file is invalid (the line is named).`

  static override examples = [
    'kubectl aim simulate run fixtures/scenarios/seed-001-quick-start.yaml',
    'kubectl aim simulate run fixtures/scenarios/*.yaml --junit report.xml',
  ]

  // No cluster flags: the scenario brings its own in-process cluster.
  static override baseFlags = {} as typeof KubeCommand.baseFlags
  static override strict = false
  static override args = {
    scenario: Args.string({description: 'scenario YAML file (several may be given)'}),
  }

  static override flags = {
    junit: Flags.string({description: 'write a JUnit XML report to FILE', helpValue: 'FILE'}),
    verbose: Flags.boolean({char: 'v', description: 'list every step, not only failures', default: false}),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(SimulateRun)
    if (argv.length === 0) throw usageError('no scenario file given', 'usage: kubectl aim simulate run SCENARIO.yaml… [--junit FILE]')
    const {loadScenario, ScenarioError} = await import('../../simulator/scenario/schema.js')
    const scenarios = []
    for (const file of argv as string[]) {
      try {
        scenarios.push(loadScenario(file))
      } catch (e) {
        if (e instanceof ScenarioError) throw usageError(`invalid scenario ${e.message}`)
        throw e
      }
    }
    const [{runScenario}, {createHarness}, {formatResult, toJUnit}] = await Promise.all([
      import('../../simulator/scenario/runner.js'),
      import('../../simulator/scenario/harness.js'),
      import('../../simulator/scenario/report.js'),
    ])
    const results = []
    for (const scenario of scenarios) {
      const result = await runScenario(scenario, {harness: createHarness})
      results.push(result)
      process.stdout.write(`${formatResult(result, process.cwd(), flags.verbose)}\n`)
    }
    const failed = results.filter((r) => !r.passed).length
    if (results.length > 1) process.stdout.write(`${failed === 0 ? 'PASS' : 'FAIL'} ${results.length - failed}/${results.length} scenarios passed\n`)
    if (flags.junit) {
      const {writeFileSync} = await import('node:fs')
      try {
        writeFileSync(flags.junit, toJUnit(results))
      } catch (e) {
        throw failure(`cannot write ${flags.junit}: ${(e as Error).message}`)
      }
    }
    if (failed > 0) throw new Errors.ExitError(1)
  }
}

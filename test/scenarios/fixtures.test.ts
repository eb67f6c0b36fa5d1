/**
 * Every scenario in fixtures/scenarios runs against the in-process simulator and must pass: the
 * seed examples of 001/002 and the troubleshooting cases are the behavioural spec in executable form.
 */
import {readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {createHarness} from '../../simulator/scenario/harness.js'
import {formatResult} from '../../simulator/scenario/report.js'
import {runScenario} from '../../simulator/scenario/runner.js'
import {loadScenario} from '../../simulator/scenario/schema.js'

const root = resolve(import.meta.dirname, '../..')
const dir = join(root, 'fixtures', 'scenarios')
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()

describe('fixtures/scenarios', () => {
  it('has a scenario per seed example and troubleshooting case', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  it.each(files)('%s', async (file) => {
    const scenario = loadScenario(join(dir, file))
    // kubectl-aim steps run the built CLI (bin/run.js; `npm test` builds first).
    const result = await runScenario(scenario, {harness: createHarness, pluginEntry: process.env['KUBECTL_AIM_RUN']})
    expect(result.passed, formatResult(result, root, true)).toBe(true)
  })
})

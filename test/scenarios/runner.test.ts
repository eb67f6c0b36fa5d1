/**
 * The scenario runner against the real in-process simulator (store + controllers), with scenarios
 * that depend only on core behaviour (objects, selectors, nodes, virtual time), so their outcome is
 * exact. The command-level tests run the built CLI (bin/run.js; `npm test` builds first).
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {createHarness} from '../../simulator/scenario/harness.js'
import {formatResult, toJUnit} from '../../simulator/scenario/report.js'
import {runScenario} from '../../simulator/scenario/runner.js'
import {parseScenario} from '../../simulator/scenario/schema.js'

const root = resolve(import.meta.dirname, '../..')
const bin = process.env['KUBECTL_AIM_RUN'] ?? join(root, 'bin', 'run.js')
const dir = mkdtempSync(join(tmpdir(), 'aim-scenario-test-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const passing = `name: config objects
nodes: {mi300x: 1, mi325x: 2}
steps:
  - apply:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: one, namespace: team-a, labels: {app: demo}}
        data: {greeting: hello}
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: two, namespace: team-a, labels: {app: demo}}
        data: {greeting: hi}
  - advance: 90s
  - expect:
      resource: configmap
      namespace: team-a
      name: one
      jsonpath: {"{.data.greeting}": hello, "{.metadata.labels.app}": demo}
  - expect: {resource: configmaps, namespace: team-a, selector: app=demo, count: 2}
  - expect: {resource: nodes, selector: amd.com/gpu.device-id=74a5, count: 2}
  - expect: {resource: namespace, name: team-a}
  - delete: {resource: configmap, namespace: team-a, name: two}
  - expect: {resource: configmap, namespace: team-a, name: two, exists: false}
`

const failing = `name: a wrong greeting
steps:
  - apply:
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: one, namespace: team-a}
      data: {greeting: hello}
  - expect:
      resource: configmap
      namespace: team-a
      name: one
      jsonpath: {"{.data.greeting}": bonjour}
  - expect: {resource: configmaps, namespace: team-a, count: 5}
`

/** Writes a scenario into the working directory of the CLI runs and returns its relative name. */
function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text)
  return name
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {cwd: dir, encoding: 'utf8', timeout: 60_000, env: {...process.env, NO_COLOR: '1'}})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

describe('runScenario', () => {
  it('passes when every expectation holds', async () => {
    const scenario = {...parseScenario(passing, join(dir, 'pass.yaml'), dir), file: join(dir, 'pass.yaml')}
    const result = await runScenario(scenario, {harness: createHarness})
    expect(result.steps.map((s) => s.status)).toEqual(Array(8).fill('passed'))
    expect(result.passed).toBe(true)
    expect(result.virtualMs).toBe(90_000)
    expect(formatResult(result, dir).split('\n')[0]).toMatch(/^PASS config objects \(pass\.yaml\) 8\/8 steps, virtual 1m30s, \d+ms$/)
  })

  it('stops at the first failed step and shows expected and actual values', async () => {
    const scenario = {...parseScenario(failing, join(dir, 'fail.yaml'), dir), file: join(dir, 'fail.yaml')}
    const result = await runScenario(scenario, {harness: createHarness})
    expect(result.passed).toBe(false)
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'failed', 'skipped'])
    const text = formatResult(result, dir).split('\n')
    expect(text.slice(1)).toEqual([
      '  FAIL step 2 (line 8) expect configmaps team-a/one',
      '    jsonpath $.data.greeting',
      '      expected: "bonjour"',
      '      actual:   "hello"',
      '  (1 later step skipped)',
    ])
  })

  it('retries an expectation while virtual time moves, up to "within"', async () => {
    const scenario = parseScenario(
      `name: absent
steps:
  - expect: {resource: configmap, namespace: default, name: nope, within: 2m}
`,
      join(dir, 'within.yaml'),
      dir,
    )
    const result = await runScenario(scenario, {harness: createHarness})
    expect(result.steps[0]!.failures).toEqual([{check: 'exists', expected: 'the object exists', actual: 'not found (after 2m)'}])
    expect(result.virtualMs).toBe(120_000)
  })

  it('counts objects by label and field selectors', async () => {
    const scenario = parseScenario(
      `name: counts
steps:
  - apply:
      - {apiVersion: v1, kind: ConfigMap, metadata: {name: one, namespace: team-c, labels: {app: demo}}}
      - {apiVersion: v1, kind: ConfigMap, metadata: {name: two, namespace: team-c, labels: {app: demo}}}
  - expect: {resource: configmaps, namespace: team-c, fieldSelector: metadata.name=two, count: 1}
  - expect: {resource: configmaps, namespace: team-c, selector: app=demo, minCount: 3}
`,
      join(dir, 'counts.yaml'),
      dir,
    )
    const result = await runScenario(scenario, {harness: createHarness})
    expect(result.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'failed'])
    expect(result.steps[2]!.failures).toEqual([{check: 'count (selector app=demo)', expected: 'at least 3', actual: '2 (team-c/one, team-c/two)'}])
  })

  it('reports a step that cannot run as an error', async () => {
    const scenario = parseScenario('name: gone\nsteps:\n  - delete: {resource: configmap, namespace: default, name: nope}\n', join(dir, 'err.yaml'), dir)
    const result = await runScenario(scenario, {harness: createHarness})
    expect(result.steps[0]).toMatchObject({status: 'error', error: 'configmaps "nope" not found'})
  })

  it('writes JUnit XML with one testcase per step', async () => {
    const scenario = {...parseScenario(failing, join(dir, 'fail.yaml'), dir), file: join(dir, 'fail.yaml')}
    const xml = toJUnit([await runScenario(scenario, {harness: createHarness})], dir)
    expect(xml).toContain('<testsuites name="kubectl-aim scenarios" tests="3" failures="1" errors="0" skipped="1"')
    expect(xml).toContain('<testsuite name="a wrong greeting" tests="3" failures="1" errors="0" skipped="1"')
    expect(xml).toMatch(/<testcase classname="a wrong greeting" name="step 1: apply configmap\/one" file="fail.yaml" line="3" time="[\d.]+"\/>/)
    expect(xml).toContain('<failure message="jsonpath $.data.greeting: expected &quot;bonjour&quot;, got &quot;hello&quot;" type="ExpectationFailed">')
    expect(xml).toContain('<skipped message="an earlier step did not pass"/>')
  })
})

describe('kubectl aim simulate run', () => {
  it('exits 0 when every expectation holds', () => {
    const r = cli(['simulate', 'run', write('pass.yaml', passing)])
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^PASS config objects \(pass\.yaml\) 8\/8 steps, virtual 1m30s, \d+ms\n$/)
    expect(r.code).toBe(0)
  })

  it('exits 1 with the first failures, and writes --junit', () => {
    const junit = join(dir, 'report.xml')
    const r = cli(['simulate', 'run', write('pass.yaml', passing), write('fail.yaml', failing), '--junit', junit])
    expect(r.code).toBe(1)
    expect(r.stdout.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^FAIL a wrong greeting \(fail\.yaml\) 2\/3 steps, virtual 0s, \d+ms$/),
      '  FAIL step 2 (line 8) expect configmaps team-a/one',
      '    jsonpath $.data.greeting',
      '      expected: "bonjour"',
      '      actual:   "hello"',
      '  (1 later step skipped)',
      'FAIL 1/2 scenarios passed',
      '',
    ])
    const xml = readFileSync(junit, 'utf8')
    expect(xml).toContain('tests="11" failures="1" errors="0" skipped="1"')
  })

  it('exits 2 for an invalid scenario, naming the line', () => {
    const r = cli(['simulate', 'run', write('bad.yaml', 'name: bad\nsteps:\n  - settle: 1m\n  - advance: soon\n')])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('error: invalid scenario bad.yaml:4: steps[1].advance: must be a duration such as 30s, 5m or 1h30m, got "soon"\n')
  })

  it('exits 2 without a scenario file', () => {
    const r = cli(['simulate', 'run'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error: no scenario file given\nusage: kubectl aim simulate run SCENARIO.yaml… [--junit FILE]\n')
  })

  it('runs plugin and kubectl steps against the HTTPS API server', () => {
    const file = write(
      'commands.yaml',
      `name: commands
steps:
  - apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: shown, namespace: team-b}, data: {k: v}}
  - kubectl-aim: {args: [version], stdout: {matches: "^kubectl-aim \\\\d+\\\\.\\\\d+"}}
  - kubectl: {args: [get, configmaps, -n, team-b, -o, name], stdout: {equals: configmap/shown}}
  - kubectl: {args: [get, configmap, missing, -n, team-b], exitCode: 1, stderr: 'configmaps "missing" not found'}
`,
    )
    const r = cli(['simulate', 'run', file, '-v'])
    expect(r.stdout).toContain('ok   step 3 (line 5) kubectl get configmaps -n team-b -o name')
    expect(r.code).toBe(0)
  })
})

import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDuration, formatDuration} from '../../simulator/scenario/duration.js'
import {normaliseJsonPath, parseScenario, ScenarioError, splitArgs} from '../../simulator/scenario/schema.js'

function errorOf(text: string): string {
  try {
    parseScenario(text, 'bad.yaml', tmpdir())
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError)
    return (e as Error).message
  }
  throw new Error('expected the scenario to be rejected')
}

const service = `
      apiVersion: aim.eai.amd.com/v1alpha1
      kind: AIMService
      metadata: {name: qwen-chat, namespace: ml-team}
      spec: {model: {image: amdenterpriseai/aim-qwen-qwen3-32b:0.8.5}}`

describe('durations', () => {
  it('reads Go-style durations', () => {
    expect(parseDuration('5m')).toBe(300_000)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('1.5s')).toBe(1500)
    expect(parseDuration('0')).toBe(0)
    expect(parseDuration('5')).toBeUndefined()
    expect(parseDuration('5 m')).toBeUndefined()
    expect(formatDuration(5_430_000)).toBe('1h30m30s')
    expect(formatDuration(250)).toBe('250ms')
  })
})

describe('parseScenario', () => {
  it('parses every kind of step', () => {
    const s = parseScenario(
      `name: all steps
nodes: {mi300x: 2, mi325x: 1}
gpusPerNode: 4
steps:
  - apply:${service}
  - advance: 5m
  - settle:
  - settle: 10m
  - expect:
      resource: aimsvc
      namespace: ml-team
      name: qwen-chat
      jsonpath: {"{.status.status}": Running, "$.status.routing.path": /ml-team/qwen-chat}
      condition: {type: Ready, status: True, reason: AllComponentsReady}
      within: 10m
  - expect: {resource: inferenceservices, namespace: ml-team, selector: aim.eai.amd.com/service.name=qwen-chat, count: 1}
  - fault: {inject: {imagePull: {image: x}}}
  - delete: {resource: aimservice, namespace: ml-team, name: qwen-chat}
  - kubectl-aim: status qwen-chat -n ml-team
  - kubectl: {args: [get, aimsvc, -A], stdout: {contains: [qwen-chat]}, exitCode: 0, timeout: 20s}
`,
      'all.yaml',
      tmpdir(),
    )
    expect(s.name).toBe('all steps')
    expect(s.nodes?.map((p) => `${p.gpu.model}=${p.count}`)).toEqual(['MI300X=2', 'MI325X=1'])
    expect(s.gpusPerNode).toBe(4)
    expect(s.steps.map((st) => st.type)).toEqual(['apply', 'advance', 'settle', 'settle', 'expect', 'expect', 'fault', 'delete', 'kubectl-aim', 'kubectl'])
    expect(s.steps.map((st) => st.line)).toEqual([5, 10, 11, 12, 13, 20, 21, 22, 23, 24])
    const [apply, advance, settleDefault, settle, expectOne, expectCount] = s.steps
    expect(apply).toMatchObject({type: 'apply', title: 'apply aimservice/qwen-chat'})
    expect(advance).toMatchObject({type: 'advance', ms: 300_000})
    expect(settleDefault).toMatchObject({type: 'settle', ms: 1_800_000})
    expect(settle).toMatchObject({type: 'settle', ms: 600_000})
    expect(expectOne).toMatchObject({
      type: 'expect',
      title: 'expect aimservices ml-team/qwen-chat',
      withinMs: 600_000,
      expect: {
        jsonpath: [
          {path: '$.status.status', equals: 'Running'},
          {path: '$.status.routing.path', equals: '/ml-team/qwen-chat'},
        ],
        conditions: [{type: 'Ready', status: 'True', reason: 'AllComponentsReady'}],
      },
    })
    expect(expectCount).toMatchObject({expect: {selector: 'aim.eai.amd.com/service.name=qwen-chat', count: 1}})
    expect(s.steps[8]).toMatchObject({args: ['status', 'qwen-chat', '-n', 'ml-team'], exitCode: 0, timeoutMs: 30_000})
    expect(s.steps[9]).toMatchObject({args: ['get', 'aimsvc', '-A'], timeoutMs: 20_000, stdout: {contains: ['qwen-chat']}})
  })

  it('reads manifests from files relative to the scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scn-'))
    writeFileSync(join(dir, 'two.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata: {name: ml-team}\n---\n${service.replace(/^ {6}/gm, '')}\n`)
    const s = parseScenario('name: files\nsteps:\n  - apply: {file: two.yaml}\n', join(dir, 's.yaml'), dir)
    expect(s.steps[0]).toMatchObject({type: 'apply', title: 'apply namespace/ml-team, aimservice/qwen-chat'})
  })

  it('names the file, line and key of each mistake', () => {
    expect(errorOf('name: x\nsteps:\n  - apply: {file: missing.yaml}\n')).toBe('bad.yaml:3: steps[0].apply.file: cannot read manifest file missing.yaml')
    expect(errorOf('name: x\nsteps:\n  - advance: 5 minutes\n')).toBe('bad.yaml:3: steps[0].advance: must be a duration such as 30s, 5m or 1h30m, got "5 minutes"')
    expect(errorOf('name: x\nsteps:\n  - settle: 1m\n  - expct: {}\n')).toBe(
      'bad.yaml:4: steps[1].expct: unknown step "expct" (expected one of: apply, delete, advance, settle, expect, fault, kubectl-aim, kubectl)',
    )
    expect(errorOf('name: x\nsteps:\n  - expect:\n      resource: aimservice\n      namespace: a\n      name: b\n      jsonpth: {}\n')).toBe(
      'bad.yaml:7: steps[0].expect.jsonpth: unknown key "jsonpth" (expected one of: resource, apiVersion, kind, namespace, name, selector, fieldSelector, exists, jsonpath, condition, conditions, count, minCount, within)',
    )
    expect(errorOf('name: x\nsteps:\n  - expect: {resource: aimwidgets, name: b}\n')).toBe('bad.yaml:3: steps[0].expect.resource: unknown resource "aimwidgets"')
    expect(errorOf('name: x\nsteps:\n  - expect: {resource: aimservice, name: b}\n')).toBe('bad.yaml:3: steps[0].expect: aimservices are namespaced: add "namespace"')
    expect(errorOf('name: x\nsteps:\n  - expect:\n      resource: aimservice\n      namespace: a\n      name: b\n      condition: {type: Ready, status: yes}\n')).toBe(
      'bad.yaml:7: steps[0].expect.condition.status: must be "True", "False" or "Unknown", got "yes"',
    )
    expect(errorOf('name: x\nsteps:\n  - settle: 1m\n    advance: 1m\n')).toBe('bad.yaml:3: steps[0]: has several actions (settle, advance): use one per step')
    expect(errorOf('name: x\nnodes: {mi999x: 1}\nsteps:\n  - settle: 1m\n')).toBe('bad.yaml:2: nodes.mi999x: unknown GPU model "mi999x" (known: mi300x, mi325x, mi355x, mi250x, mi210)')
    expect(errorOf('name: x\nsteps: []\n')).toBe('bad.yaml:2: steps: must be a non-empty list of steps, got a list')
    expect(errorOf('steps:\n  - settle: 1m\n')).toBe('bad.yaml:1: name: must be a non-empty string, got nothing')
    expect(errorOf('name: x\nsteps:\n  - apply: {apiVersion: example.com/v1, kind: Widget, metadata: {name: w}}\n')).toBe(
      'bad.yaml:3: steps[0].apply: manifest: unknown kind "Widget" in "example.com/v1"',
    )
    expect(errorOf('name: x\nsteps:\n  - kubectl-aim: {args: status, exitCode: -1}\n')).toBe('bad.yaml:3: steps[0].kubectl-aim.exitCode: must be an integer >= 0, got -1')
    expect(errorOf('name: x\ncatalog:\n  - {imagex: foo}\nsteps:\n  - settle: 1m\n')).toBe('bad.yaml:3: catalog[0]: invalid catalog entry: every image needs an "image" field')
    expect(errorOf('name: x\ncatalog:\n  - {image: a/b:1, profiles: [{gpu: MI300X, count: 1, precision: fp16, metric: latency, model: m/x}]}\nsteps:\n  - settle: 1m\n')).toBe(
      'bad.yaml:3: catalog[0]: invalid catalog entry: a/b:1: profile vllm-mi300x-fp16-tp1-latency serves unknown model m/x',
    )
    expect(errorOf('name: x\nsteps:\n  - fault: {inject: {imagepull: {image: x}}}\n')).toBe(
      'bad.yaml:3: steps[0].fault.inject.imagepull: unknown fault "imagepull" (expected one of: imagePull, download, crashPod, crashImage, load, nodeNotReady, removeNode, removeGpuLabels, bandwidth)',
    )
    expect(errorOf('name: [x\n')).toMatch(/^bad\.yaml:\d+: invalid YAML: /)
    expect(errorOf('name: x\noperators: [aim, kserve]\nsteps:\n  - settle: 1m\n')).toBe(
      'bad.yaml:2: operators: unknown operator "kserve" (expected a comma-separated list of: aim, ome)',
    )
    // Kinds resolve against the scenario's operators: without ome, ome.io is not served.
    expect(errorOf('name: x\nsteps:\n  - expect: {resource: basemodels, namespace: a, name: b}\n')).toBe('bad.yaml:3: steps[0].expect.resource: unknown resource "basemodels"')
  })

  it('resolves a shared name by the scenario\'s operators, as kubectl would against that cluster', () => {
    const target = (operators: string) =>
      parseScenario(`name: x\n${operators}steps:\n  - expect: {resource: inferenceservice, namespace: a, name: b}\n`).steps[0]
    expect(target('')).toMatchObject({expect: {target: {group: 'serving.kserve.io'}}})
    expect(target('operators: [ome]\n')).toMatchObject({expect: {target: {group: 'ome.io'}}})
    expect(target('operators: aim,ome\n')).toMatchObject({expect: {target: {group: 'ome.io'}}})
    expect(parseScenario('name: x\noperators: [ome, aim, ome]\nsteps:\n  - settle: 1m\n').operators).toEqual(['ome', 'aim'])
  })

  it('normalises JSONPath spellings and splits command lines', () => {
    expect(normaliseJsonPath('{.status.status}')).toBe('$.status.status')
    expect(normaliseJsonPath(".status.conditions[?(@.type=='Ready')].status")).toBe("$.status.conditions[?(@.type=='Ready')].status")
    expect(normaliseJsonPath('status')).toBeUndefined()
    expect(splitArgs(`get aimsvc -o jsonpath='{.items[*].metadata.name}' "a b"`)).toEqual(['get', 'aimsvc', '-o', 'jsonpath={.items[*].metadata.name}', 'a b'])
  })
})

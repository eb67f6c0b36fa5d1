/**
 * The scenario file: what `kubectl aim simulate run` executes. A scenario names the cluster it
 * needs (GPU node pools, catalog additions) and a list of steps. parseScenario() validates the
 * YAML and answers every mistake with the file, the line and the path of the offending key.
 *
 * ```yaml
 * name: deploy qwen by image
 * nodes: {mi300x: 2}
 * steps:
 *   - apply: {file: ../seeds/001-quick-start.yaml}
 *   - settle: 30m
 *   - expect:
 *       resource: aimservice
 *       namespace: ml-team
 *       name: qwen-chat
 *       jsonpath: {"{.status.status}": Running}
 *       condition: {type: Ready, status: "True", reason: AllComponentsReady}
 * ```
 */
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Node as YamlNode} from 'yaml'
import {DEFAULT_OPERATORS, KindRegistry, parseOperators, registry, servedKinds, type KindInfo, type Operator} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {parseDuration} from './duration.js'
import {addToCatalog, loadBuiltinCatalog} from '../cluster/catalog.js'
import {DEFAULT_GPUS_PER_NODE, GPU_MODELS, NVIDIA_GPU_MODELS, NodeSpecError, parseNodeSpec, type NodePool} from '../cluster/nodes.js'

/** A kind as a scenario names it, resolved against the one registry of kinds. */
export interface ResourceTarget {
  info: KindInfo
  /** The registry entry's group and version (legacy aim.silogen.ai kinds have their own entries). */
  group: string
  version: string
}

export interface ConditionExpectation {
  type: string
  status?: 'True' | 'False' | 'Unknown'
  reason?: string
  /** Substring the condition's message must contain. */
  message?: string
}

export interface Expectation {
  target: ResourceTarget
  namespace?: string
  name?: string
  selector?: string
  fieldSelector?: string
  exists?: boolean
  jsonpath: Array<{path: string; equals: unknown}>
  conditions: ConditionExpectation[]
  count?: number
  /** At least this many objects match (events, pods that come and go). */
  minCount?: number
}

export interface OutputMatch {
  contains: string[]
  notContains: string[]
  equals?: string
  matches?: RegExp
}

export interface CommandStep {
  args: string[]
  exitCode: number
  stdout: OutputMatch
  stderr: OutputMatch
  /** Run the virtual clock at real time × speed while the command runs (default: frozen). */
  speed?: number
  timeoutMs: number
}

interface StepBase {
  index: number
  line: number
  /** What the step shows as in reports: `apply qwen-chat.yaml`, `expect aimservices ml-team/qwen`. */
  title: string
}

export type Step = StepBase &
  (
    | {type: 'apply'; objects: KubeObject[]}
    | {type: 'delete'; target: ResourceTarget; namespace?: string; name: string; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'}
    | {type: 'advance'; ms: number}
    | {type: 'settle'; ms: number}
    | {type: 'expect'; expect: Expectation; withinMs?: number}
    | {type: 'fault'; action: 'inject' | 'clear'; spec: Record<string, unknown>}
    | ({type: 'kubectl-aim' | 'kubectl'} & CommandStep)
  )

export interface Scenario {
  /** Absolute path of the file, when read from disk. */
  file?: string
  name: string
  description?: string
  seed?: number
  /** GPU node pools; undefined = the simulator's default, [] = a cluster without GPU nodes. */
  nodes?: NodePool[]
  /** Operators the cluster runs (undefined = the simulator's default, `aim`). */
  operators?: Operator[]
  gpusPerNode: number
  /** Catalog entries (images the simulated registry knows), passed to the simulator as is. */
  catalog: Array<Record<string, unknown>>
  steps: Step[]
}

/** Faults a scenario can inject and clear: `fault: {inject: {imagePull: {image: …}}}` (see harness.ts). */
export const FAULTS = ['imagePull', 'download', 'crashPod', 'crashImage', 'load', 'nodeNotReady', 'removeNode', 'removeGpuLabels', 'bandwidth'] as const

export const DEFAULT_SETTLE_MS = 30 * 60_000
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000

/** An invalid scenario: `file:line: path: what is wrong`. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${path ? `${path}: ` : ''}${detail}`)
    this.name = 'ScenarioError'
  }
}

const TOP_KEYS = ['name', 'description', 'seed', 'nodes', 'operators', 'gpusPerNode', 'catalog', 'steps']
const STEP_KEYS = ['apply', 'delete', 'advance', 'settle', 'expect', 'fault', 'kubectl-aim', 'kubectl']
const EXPECT_KEYS = ['resource', 'apiVersion', 'kind', 'namespace', 'name', 'selector', 'fieldSelector', 'exists', 'jsonpath', 'condition', 'conditions', 'count', 'minCount', 'within']
const COMMAND_KEYS = ['args', 'exitCode', 'stdout', 'stderr', 'speed', 'timeout']
const MATCH_KEYS = ['contains', 'notContains', 'equals', 'matches']

/** Walks the YAML tree once, remembering the line of every key and item by its path. */
function lineIndex(root: YamlNode | null, counter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>()
  const at = (node: {range?: [number, number, number] | null} | null | undefined) =>
    node?.range ? counter.linePos(node.range[0]).line : undefined
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        const child = path === '' ? key : `${path}.${key}`
        const line = at(pair.key as YamlNode) ?? at(pair.value as YamlNode)
        if (line !== undefined) lines.set(child, line)
        walk(pair.value, child)
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = `${path}[${i}]`
        const line = at(item as YamlNode)
        if (line !== undefined) lines.set(child, line)
        walk(item, child)
      })
    }
  }
  const rootLine = at(root)
  if (rootLine !== undefined) lines.set('', rootLine)
  walk(root, '')
  return lines
}

type Plain = Record<string, unknown>

class Validator {
  /** The kinds the scenario's cluster serves: what `resource:` names resolve against. */
  kinds: KindRegistry = registry

  constructor(
    readonly file: string,
    readonly lines: Map<string, number>,
  ) {}

  /** The line of `path`, or of the nearest enclosing key that has one. */
  line(path: string): number | undefined {
    let p = path
    for (;;) {
      const line = this.lines.get(p)
      if (line !== undefined) return line
      if (p === '') return undefined
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))
      p = cut < 0 ? '' : p.slice(0, cut)
    }
  }

  fail(path: string, detail: string): never {
    throw new ScenarioError(this.file, this.line(path), path, detail)
  }

  map(value: unknown, path: string, allowed?: string[]): Plain {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, `must be a mapping, got ${describe(value)}`)
    if (allowed) {
      for (const key of Object.keys(value)) {
        if (!allowed.includes(key)) this.fail(join(path, key), `unknown key "${key}" (expected one of: ${allowed.join(', ')})`)
      }
    }
    return value as Plain
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') this.fail(path, `must be a non-empty string, got ${describe(value)}`)
    return value
  }

  optString(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path)
  }

  int(value: unknown, path: string, min = 0): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(path, `must be an integer >= ${min}, got ${describe(value)}`)
    return value
  }

  duration(value: unknown, path: string): number {
    const ms = typeof value === 'string' ? parseDuration(value) : typeof value === 'number' && value === 0 ? 0 : undefined
    if (ms === undefined) this.fail(path, `must be a duration such as 30s, 5m or 1h30m, got ${describe(value)}`)
    return ms
  }

  bool(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, got ${describe(value)}`)
    return value
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return JSON.stringify(value)
}

/** Resolve a kind named by `resource: aimsvc` or by `apiVersion` + `kind`. */
export function resolveTarget(resource: string | undefined, apiVersion: string | undefined, kind: string | undefined, kinds: KindRegistry = registry): ResourceTarget | string {
  if (resource !== undefined) {
    const info = kinds.lookup(resource)
    if (!info) return `unknown resource "${resource}"`
    return {info, group: info.group, version: info.version}
  }
  if (apiVersion === undefined || kind === undefined) return 'needs "resource" (e.g. aimservice) or both "apiVersion" and "kind"'
  const info = registry.forKind(apiVersion, kind)
  if (!info) return `unknown kind "${kind}" in "${apiVersion}"`
  return {info, group: info.group, version: info.version}
}

function parseTarget(v: Validator, spec: Plain, path: string): ResourceTarget {
  const target = resolveTarget(
    v.optString(spec['resource'], join(path, 'resource')),
    v.optString(spec['apiVersion'], join(path, 'apiVersion')),
    v.optString(spec['kind'], join(path, 'kind')),
    v.kinds,
  )
  if (typeof target === 'string') v.fail(spec['resource'] !== undefined ? join(path, 'resource') : path, target)
  return target
}

function parseManifests(v: Validator, value: unknown, path: string, baseDir: string): KubeObject[] {
  const objects: KubeObject[] = []
  const addObject = (obj: unknown, where: string, origin: string) => {
    if (obj === null || obj === undefined) return // empty YAML documents
    if (typeof obj !== 'object' || Array.isArray(obj)) v.fail(where, `${origin}: a manifest must be a mapping, got ${describe(obj)}`)
    const o = obj as Plain
    if (o['kind'] === 'List' && Array.isArray(o['items'])) {
      for (const item of o['items']) addObject(item, where, origin)
      return
    }
    for (const key of ['apiVersion', 'kind'] as const) {
      if (typeof o[key] !== 'string' || o[key] === '') v.fail(where, `${origin}: manifest has no ${key}`)
    }
    const meta = o['metadata']
    if (meta === null || typeof meta !== 'object' || typeof (meta as Plain)['name'] !== 'string') {
      v.fail(where, `${origin}: ${String(o['kind'])} has no metadata.name`)
    }
    const target = resolveTarget(undefined, o['apiVersion'] as string, o['kind'] as string, v.kinds)
    if (typeof target === 'string') v.fail(where, `${origin}: ${target}`)
    objects.push(o as KubeObject)
  }
  const addYaml = (text: string, where: string, origin: string) => {
    for (const doc of parseAllDocuments(text)) {
      if (!('errors' in doc) || doc.errors.length > 0) {
        const first = 'errors' in doc ? doc.errors[0] : undefined
        v.fail(where, `${origin}: invalid YAML: ${first?.message.split('\n')[0] ?? 'unreadable'}`)
      }
      addObject(doc.toJS(), where, origin)
    }
  }
  const addFile = (file: unknown, where: string) => {
    const name = v.string(file, where)
    const full = resolve(baseDir, name)
    let text: string
    try {
      text = readFileSync(full, 'utf8')
    } catch {
      v.fail(where, `cannot read manifest file ${name}`)
    }
    addYaml(text, where, name)
  }

  if (typeof value === 'string') addYaml(value, path, 'inline YAML')
  else if (Array.isArray(value)) value.forEach((obj, i) => addObject(obj, `${path}[${i}]`, `manifest ${i + 1}`))
  else {
    const spec = v.map(value, path)
    if ('kind' in spec || 'apiVersion' in spec) addObject(spec, path, 'manifest')
    else {
      v.map(value, path, ['file', 'files', 'manifest', 'manifests', 'yaml'])
      if (spec['file'] !== undefined) addFile(spec['file'], join(path, 'file'))
      if (spec['files'] !== undefined) {
        if (!Array.isArray(spec['files'])) v.fail(join(path, 'files'), 'must be a list of file names')
        spec['files'].forEach((f, i) => addFile(f, `${join(path, 'files')}[${i}]`))
      }
      if (spec['manifest'] !== undefined) addObject(spec['manifest'], join(path, 'manifest'), 'manifest')
      if (spec['manifests'] !== undefined) {
        if (!Array.isArray(spec['manifests'])) v.fail(join(path, 'manifests'), 'must be a list of manifests')
        spec['manifests'].forEach((obj, i) => addObject(obj, `${join(path, 'manifests')}[${i}]`, `manifest ${i + 1}`))
      }
      if (spec['yaml'] !== undefined) addYaml(v.string(spec['yaml'], join(path, 'yaml')), join(path, 'yaml'), 'inline YAML')
    }
  }
  if (objects.length === 0) v.fail(path, 'names no manifests')
  return objects
}

function conditionStatus(v: Validator, value: unknown, path: string): ConditionExpectation['status'] {
  if (value === undefined) return undefined
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (value === 'True' || value === 'False' || value === 'Unknown') return value
  v.fail(path, `must be "True", "False" or "Unknown", got ${describe(value)}`)
}

function parseCondition(v: Validator, value: unknown, path: string): ConditionExpectation {
  const spec = v.map(value, path, ['type', 'status', 'reason', 'message'])
  return {
    type: v.string(spec['type'], join(path, 'type')),
    status: conditionStatus(v, spec['status'], join(path, 'status')),
    reason: v.optString(spec['reason'], join(path, 'reason')),
    message: v.optString(spec['message'], join(path, 'message')),
  }
}

/** `{.status.status}` (kubectl) or `$.status.status` (JSONPath) or `.status.status`. */
export function normaliseJsonPath(path: string): string | undefined {
  let p = path.trim()
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim()
  if (p.startsWith('.')) p = `$${p}`
  if (!p.startsWith('$')) return undefined
  if (p.includes('{') || p.includes('}')) return undefined // only one expression, and no templates
  return p
}

function parseExpect(v: Validator, value: unknown, path: string): Expectation {
  const spec = v.map(value, path, EXPECT_KEYS)
  const target = parseTarget(v, spec, path)
  const namespace = v.optString(spec['namespace'], join(path, 'namespace'))
  const name = v.optString(spec['name'], join(path, 'name'))
  const selector = v.optString(spec['selector'], join(path, 'selector'))
  const fieldSelector = v.optString(spec['fieldSelector'], join(path, 'fieldSelector'))
  const minCount = spec['minCount'] === undefined ? undefined : v.int(spec['minCount'], join(path, 'minCount'))
  const exists = spec['exists'] === undefined ? undefined : v.bool(spec['exists'], join(path, 'exists'))
  const count = spec['count'] === undefined ? undefined : v.int(spec['count'], join(path, 'count'))
  const jsonpath: Expectation['jsonpath'] = []
  if (spec['jsonpath'] !== undefined) {
    const jp = v.map(spec['jsonpath'], join(path, 'jsonpath'))
    for (const [expr, equals] of Object.entries(jp)) {
      const normal = normaliseJsonPath(expr)
      if (!normal) v.fail(join(join(path, 'jsonpath'), expr), `"${expr}" is not a JSONPath such as {.status.status} or $.status.status`)
      jsonpath.push({path: normal, equals})
    }
  }
  const conditions: ConditionExpectation[] = []
  if (spec['condition'] !== undefined) conditions.push(parseCondition(v, spec['condition'], join(path, 'condition')))
  if (spec['conditions'] !== undefined) {
    if (!Array.isArray(spec['conditions'])) v.fail(join(path, 'conditions'), 'must be a list of conditions')
    spec['conditions'].forEach((c, i) => conditions.push(parseCondition(v, c, `${join(path, 'conditions')}[${i}]`)))
  }
  if (name !== undefined && (selector !== undefined || fieldSelector !== undefined)) {
    v.fail(join(path, selector !== undefined ? 'selector' : 'fieldSelector'), 'use either "name" or a selector, not both')
  }
  if (count !== undefined && minCount !== undefined) v.fail(join(path, 'minCount'), 'use either "count" or "minCount", not both')
  if (name === undefined && count === undefined && minCount === undefined) {
    v.fail(path, 'needs "name" (one object) or "count"/"minCount" (objects matching selector/namespace)')
  }
  if (name === undefined && (jsonpath.length > 0 || conditions.length > 0 || exists !== undefined)) {
    v.fail(path, '"jsonpath", "condition" and "exists" need "name"')
  }
  if (name !== undefined && (count !== undefined || minCount !== undefined)) {
    v.fail(join(path, count !== undefined ? 'count' : 'minCount'), 'a count goes with a selector or a namespace, not with "name"')
  }
  if (target.info.namespaced && name !== undefined && namespace === undefined) v.fail(path, `${target.info.plural} are namespaced: add "namespace"`)
  if (exists === false && (jsonpath.length > 0 || conditions.length > 0)) v.fail(join(path, 'exists'), 'an absent object has no fields to check')
  return {target, namespace, name, selector, fieldSelector, exists, jsonpath, conditions, count, minCount}
}

function parseMatch(v: Validator, value: unknown, path: string): OutputMatch {
  const out: OutputMatch = {contains: [], notContains: []}
  if (value === undefined) return out
  if (typeof value === 'string') {
    out.contains.push(value)
    return out
  }
  const spec = v.map(value, path, MATCH_KEYS)
  const list = (key: 'contains' | 'notContains') => {
    const raw = spec[key]
    if (raw === undefined) return []
    if (typeof raw === 'string') return [raw]
    if (!Array.isArray(raw)) v.fail(join(path, key), 'must be a string or a list of strings')
    return raw.map((s, i) => v.string(s, `${join(path, key)}[${i}]`))
  }
  out.contains = list('contains')
  out.notContains = list('notContains')
  if (spec['equals'] !== undefined) {
    if (typeof spec['equals'] !== 'string') v.fail(join(path, 'equals'), `must be a string, got ${describe(spec['equals'])}`)
    out.equals = spec['equals']
  }
  if (spec['matches'] !== undefined) {
    const source = v.string(spec['matches'], join(path, 'matches'))
    try {
      out.matches = new RegExp(source, 'm')
    } catch (e) {
      v.fail(join(path, 'matches'), `invalid regular expression: ${(e as Error).message}`)
    }
  }
  return out
}

function parseCommand(v: Validator, value: unknown, path: string): CommandStep {
  const spec: Plain = typeof value === 'string' || Array.isArray(value) ? {args: value} : v.map(value, path, COMMAND_KEYS)
  const rawArgs = spec['args']
  let args: string[]
  if (typeof rawArgs === 'string') args = splitArgs(rawArgs)
  else if (Array.isArray(rawArgs)) args = rawArgs.map((a, i) => (typeof a === 'number' ? String(a) : v.string(a, `${join(path, 'args')}[${i}]`)))
  else v.fail(join(path, 'args'), `must be a command line string or a list of arguments, got ${describe(rawArgs)}`)
  if (args.length === 0) v.fail(join(path, 'args'), 'is empty')
  const speed = spec['speed']
  if (speed !== undefined && (typeof speed !== 'number' || !(speed > 0))) v.fail(join(path, 'speed'), `must be a number > 0, got ${describe(speed)}`)
  return {
    args,
    exitCode: spec['exitCode'] === undefined ? 0 : v.int(spec['exitCode'], join(path, 'exitCode')),
    stdout: parseMatch(v, spec['stdout'], join(path, 'stdout')),
    stderr: parseMatch(v, spec['stderr'], join(path, 'stderr')),
    speed: speed as number | undefined,
    timeoutMs: spec['timeout'] === undefined ? DEFAULT_COMMAND_TIMEOUT_MS : v.duration(spec['timeout'], join(path, 'timeout')),
  }
}

/** Split a command line on spaces, honouring single and double quotes (no escapes, no globbing). */
export function splitArgs(line: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | undefined
  let started = false
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      started = true
    } else if (/\s/.test(ch)) {
      if (started) out.push(current)
      current = ''
      started = false
    } else {
      current += ch
      started = true
    }
  }
  if (started) out.push(current)
  return out
}

function ref(target: ResourceTarget, namespace: string | undefined, name: string | undefined): string {
  const where = namespace && name ? `${namespace}/${name}` : name ?? (namespace ? `in ${namespace}` : '')
  return `${target.info.plural}${where ? ` ${where}` : ''}`
}

function parseStep(v: Validator, value: unknown, index: number, baseDir: string): Step {
  const path = `steps[${index}]`
  const spec = v.map(value, path)
  const keys = Object.keys(spec).filter((k) => k !== 'name' && k !== 'within')
  if (keys.length !== 1 || !STEP_KEYS.includes(keys[0]!)) {
    const unknown = keys.find((k) => !STEP_KEYS.includes(k))
    if (unknown !== undefined) v.fail(join(path, unknown), `unknown step "${unknown}" (expected one of: ${STEP_KEYS.join(', ')})`)
    v.fail(path, keys.length === 0 ? `has no action (expected one of: ${STEP_KEYS.join(', ')})` : `has several actions (${keys.join(', ')}): use one per step`)
  }
  const type = keys[0]!
  const body = spec[type]
  const at = join(path, type)
  const line = v.line(path) ?? 0
  const label = spec['name'] === undefined ? undefined : v.string(spec['name'], join(path, 'name'))
  if (spec['within'] !== undefined && type !== 'expect') v.fail(join(path, 'within'), '"within" belongs to an expect step')
  const base = (title: string) => ({index, line, title: label ?? title})
  switch (type) {
    case 'apply': {
      const objects = parseManifests(v, body, at, baseDir)
      const names = objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`)
      return {...base(`apply ${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}`), type: 'apply', objects}
    }
    case 'delete': {
      const d = v.map(body, at, ['resource', 'apiVersion', 'kind', 'namespace', 'name', 'propagationPolicy'])
      const target = parseTarget(v, d, at)
      const name = v.string(d['name'], join(at, 'name'))
      const namespace = v.optString(d['namespace'], join(at, 'namespace'))
      if (target.info.namespaced && namespace === undefined) v.fail(at, `${target.info.plural} are namespaced: add "namespace"`)
      const policy = d['propagationPolicy']
      if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
        v.fail(join(at, 'propagationPolicy'), `must be Background, Foreground or Orphan, got ${describe(policy)}`)
      }
      return {...base(`delete ${ref(target, namespace, name)}`), type: 'delete', target, namespace, name, propagationPolicy: policy}
    }
    case 'advance': {
      const ms = v.duration(body, at)
      return {...base(`advance ${String(body)}`), type: 'advance', ms}
    }
    case 'settle': {
      const ms = body === null || body === undefined || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) ? DEFAULT_SETTLE_MS : v.duration(body, at)
      return {...base(`settle${body === null || body === undefined ? '' : ` ${typeof body === 'string' ? body : ''}`}`.trimEnd()), type: 'settle', ms}
    }
    case 'expect': {
      const expect = parseExpect(v, body, at)
      const withinRaw = (body as Plain)['within'] ?? spec['within']
      const withinMs = withinRaw === undefined ? undefined : v.duration(withinRaw, (body as Plain)['within'] !== undefined ? join(at, 'within') : join(path, 'within'))
      return {...base(`expect ${ref(expect.target, expect.namespace, expect.name)}`), type: 'expect', expect, withinMs}
    }
    case 'fault': {
      const f = v.map(body, at, ['inject', 'clear'])
      const actions = Object.keys(f)
      if (actions.length !== 1) v.fail(at, 'needs exactly one of "inject" or "clear"')
      const action = actions[0] as 'inject' | 'clear'
      const faultSpec = v.map(f[action], join(at, action))
      const names = Object.keys(faultSpec)
      if (names.length !== 1) v.fail(join(at, action), `names exactly one fault (one of: ${FAULTS.join(', ')})`)
      if (!(FAULTS as readonly string[]).includes(names[0]!)) v.fail(join(join(at, action), names[0]!), `unknown fault "${names[0]}" (expected one of: ${FAULTS.join(', ')})`)
      v.map(faultSpec[names[0]!], join(join(at, action), names[0]!))
      return {...base(`fault ${action} ${JSON.stringify(faultSpec)}`), type: 'fault', action, spec: faultSpec}
    }
    default: {
      const command = parseCommand(v, body, at)
      return {...base(`${type} ${command.args.join(' ')}`), type: type as 'kubectl-aim' | 'kubectl', ...command}
    }
  }
}

function parseNodes(v: Validator, value: unknown): NodePool[] {
  // `nodes: mi300x=2,mi325x=1` (as the --nodes flag) or `nodes: {mi300x: 2, mi325x: 1}`; empty = no GPU nodes.
  let spec: string
  if (typeof value === 'string') spec = value
  else {
    const map = v.map(value, 'nodes')
    for (const [name, count] of Object.entries(map)) {
      if (!GPU_MODELS[name.toLowerCase()] && !NVIDIA_GPU_MODELS[name.toLowerCase()]) v.fail(`nodes.${name}`, `unknown GPU model "${name}" (known: ${Object.keys(GPU_MODELS).join(', ')})`)
      v.int(count, `nodes.${name}`, 1)
    }
    spec = Object.entries(map).map(([name, count]) => `${name}=${String(count)}`).join(',')
  }
  if (spec.trim() === '') return []
  try {
    return parseNodeSpec(spec)
  } catch (e) {
    if (e instanceof NodeSpecError) v.fail('nodes', e.message)
    throw e
  }
}

/** Parse and validate scenario text. `file` names it in errors and anchors relative manifest paths. */
export function parseScenario(text: string, file = 'scenario.yaml', baseDir = dirname(resolve(file))): Scenario {
  const counter = new LineCounter()
  const doc = parseDocument(text, {lineCounter: counter, prettyErrors: false})
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!
    const line = err.linePos?.[0]?.line ?? counter.linePos(err.pos[0]).line
    throw new ScenarioError(file, line, '', `invalid YAML: ${err.message.split('\n')[0]}`)
  }
  const v: Validator = new Validator(file, lineIndex(doc.contents as YamlNode | null, counter))
  const top = v.map(doc.toJS(), '', TOP_KEYS)
  const name = v.string(top['name'], 'name')
  const gpusPerNode = top['gpusPerNode'] === undefined ? DEFAULT_GPUS_PER_NODE : v.int(top['gpusPerNode'], 'gpusPerNode', 1)
  const nodes = top['nodes'] === undefined || top['nodes'] === null ? (top['nodes'] === null ? [] : undefined) : parseNodes(v, top['nodes'])
  const operators = top['operators'] === undefined ? undefined : parseScenarioOperators(v, top['operators'])
  v.kinds = new KindRegistry(servedKinds(operators ?? DEFAULT_OPERATORS))
  let catalog: Array<Record<string, unknown>> = []
  const rawCatalog = top['catalog']
  if (rawCatalog !== undefined) {
    if (!Array.isArray(rawCatalog)) v.fail('catalog', 'must be a list of catalog entries')
    catalog = rawCatalog.map((entry, i) => v.map(entry, `catalog[${i}]`))
    // Check the entries as the simulator will read them (sameAs may name a built-in image).
    if (catalog.length > 0) {
      const check = loadBuiltinCatalog()
      catalog.forEach((entry, i) => {
        try {
          addToCatalog(check, {images: [entry]} as unknown as Parameters<typeof addToCatalog>[1], `catalog[${i}]`)
        } catch (e) {
          v.fail(`catalog[${i}]`, `invalid catalog entry: ${(e as Error).message.replace(/^catalog\[\d+\]: /, '')}`)
        }
      })
    }
  }
  const rawSteps = top['steps']
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) v.fail('steps', `must be a non-empty list of steps, got ${describe(rawSteps)}`)
  const steps = rawSteps.map((s, i) => parseStep(v, s, i, baseDir))
  return {
    name,
    description: v.optString(top['description'], 'description'),
    seed: top['seed'] === undefined ? undefined : v.int(top['seed'], 'seed'),
    nodes,
    operators,
    gpusPerNode,
    catalog,
    steps,
  }
}

// `operators: [aim, ome]` or `operators: aim,ome` (as the --operators flag).
function parseScenarioOperators(v: Validator, value: unknown): Operator[] {
  const text = Array.isArray(value) && value.every((x) => typeof x === 'string') ? value.join(',') : typeof value === 'string' ? value : undefined
  if (text === undefined || text.trim() === '') v.fail('operators', `must be a list of operators (aim, ome), got ${describe(value)}`)
  try {
    return parseOperators(text)
  } catch (e) {
    return v.fail('operators', (e as Error).message)
  }
}

export function loadScenario(file: string): Scenario {
  const full = resolve(file)
  let text: string
  try {
    text = readFileSync(full, 'utf8')
  } catch {
    throw new ScenarioError(file, undefined, '', 'cannot read scenario file')
  }
  return {...parseScenario(text, file, dirname(full)), file: full}
}

/**
 * Decoding of the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) for the built-in
 * kinds kubectl's generators send that way (`kubectl create namespace|configmap|secret|
 * serviceaccount|deployment|service|job`, `kubectl run`). Typed clients in kubectl always
 * encode bodies as protobuf, with no fallback to JSON, so the server has to read them.
 * Only the fields those generators set are mapped; anything else is ignored.
 */
import {errors} from '../../src/api/status.js'

type Json = Record<string, unknown>

type Field =
  | {name: string; t: 'string' | 'int' | 'bool' | 'bytes'; repeated?: boolean; pointer?: boolean}
  | {name: string; t: 'map'; value: 'string' | 'bytes' | 'quantity'}
  | {name: string; t: 'msg'; of: () => Schema; repeated?: boolean}
  | {name: string; t: 'intOrString'}

type Schema = Record<number, Field>

const s = (name: string, repeated = false): Field => ({name, t: 'string', repeated})
const i = (name: string, pointer = false): Field => ({name, t: 'int', pointer})
const b = (name: string, pointer = false): Field => ({name, t: 'bool', pointer})
const m = (name: string, of: () => Schema, repeated = false): Field => ({name, t: 'msg', of, repeated})
const map = (name: string, value: 'string' | 'bytes' | 'quantity' = 'string'): Field => ({name, t: 'map', value})

const objectMeta: Schema = {1: s('name'), 2: s('generateName'), 3: s('namespace'), 11: map('labels'), 12: map('annotations'), 14: s('finalizers', true)}
const labelSelector: Schema = {1: map('matchLabels'), 2: m('matchExpressions', () => ({1: s('key'), 2: s('operator'), 3: s('values', true)}), true)}
const containerPort: Schema = {1: s('name'), 2: i('hostPort'), 3: i('containerPort'), 4: s('protocol'), 5: s('hostIP')}
const envVar: Schema = {1: s('name'), 2: s('value')}
const resources: Schema = {1: map('limits', 'quantity'), 2: map('requests', 'quantity')}
const container: Schema = {
  1: s('name'),
  2: s('image'),
  3: s('command', true),
  4: s('args', true),
  5: s('workingDir'),
  6: m('ports', () => containerPort, true),
  7: m('env', () => envVar, true),
  8: m('resources', () => resources),
  14: s('imagePullPolicy'),
  16: b('stdin'),
  17: b('stdinOnce'),
  18: b('tty'),
}
const podSpec: Schema = {
  2: m('containers', () => container, true),
  3: s('restartPolicy'),
  4: i('terminationGracePeriodSeconds', true),
  6: s('dnsPolicy'),
  7: map('nodeSelector'),
  8: s('serviceAccountName'),
  10: s('nodeName'),
  20: m('initContainers', () => container, true),
}
const podTemplate: Schema = {1: m('metadata', () => objectMeta), 2: m('spec', () => podSpec)}
const servicePort: Schema = {1: s('name'), 2: s('protocol'), 3: i('port'), 4: {name: 'targetPort', t: 'intOrString'}, 5: i('nodePort')}

const KINDS: Record<string, Schema> = {
  'v1/Namespace': {1: m('metadata', () => objectMeta), 2: m('spec', () => ({1: s('finalizers', true)}))},
  'v1/ConfigMap': {1: m('metadata', () => objectMeta), 2: map('data'), 3: map('binaryData', 'bytes'), 4: b('immutable', true)},
  'v1/Secret': {1: m('metadata', () => objectMeta), 2: map('data', 'bytes'), 3: s('type'), 4: map('stringData'), 5: b('immutable', true)},
  'v1/ServiceAccount': {1: m('metadata', () => objectMeta), 3: m('imagePullSecrets', () => ({1: s('name')}), true), 4: b('automountServiceAccountToken', true)},
  'v1/Pod': {1: m('metadata', () => objectMeta), 2: m('spec', () => podSpec)},
  'v1/Service': {
    1: m('metadata', () => objectMeta),
    2: m('spec', () => ({1: m('ports', () => servicePort, true), 2: map('selector'), 3: s('clusterIP'), 4: s('type'), 7: s('externalName'), 9: s('externalIPs', true)})),
  },
  'apps/v1/Deployment': {
    1: m('metadata', () => objectMeta),
    2: m('spec', () => ({
      1: i('replicas', true),
      2: m('selector', () => labelSelector),
      3: m('template', () => podTemplate),
      4: m('strategy', () => ({1: s('type')})),
      5: i('minReadySeconds'),
      6: i('revisionHistoryLimit', true),
      7: b('paused'),
      9: i('progressDeadlineSeconds', true),
    })),
  },
  'batch/v1/Job': {
    1: m('metadata', () => objectMeta),
    2: m('spec', () => ({1: i('parallelism', true), 2: i('completions', true), 3: i('activeDeadlineSeconds', true), 6: m('template', () => podTemplate), 7: i('backoffLimit', true)})),
  },
}

class Reader {
  pos = 0
  constructor(readonly buf: Buffer) {}
  done(): boolean {
    return this.pos >= this.buf.length
  }
  varint(): number {
    let result = 0
    let scale = 1
    for (;;) {
      if (this.pos >= this.buf.length) throw malformed()
      const byte = this.buf[this.pos++]!
      result += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return result
      scale *= 128
    }
  }
  bytes(): Buffer {
    const len = this.varint()
    if (this.pos + len > this.buf.length) throw malformed()
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.pos += 8
    else if (wireType === 2) this.bytes()
    else if (wireType === 5) this.pos += 4
    else throw malformed()
  }
}

function malformed() {
  return errors.badRequest('the body of the request could not be decoded: malformed protobuf')
}

function toInt32(n: number): number {
  return n > 0x7fffffff ? n - 2 ** 32 : n
}

function decodeMap(buf: Buffer, value: 'string' | 'bytes' | 'quantity'): [string, string] {
  const r = new Reader(buf)
  let key = ''
  let val = ''
  while (!r.done()) {
    const tag = r.varint()
    const f = Math.floor(tag / 8)
    if (f === 1 && (tag & 7) === 2) key = r.bytes().toString('utf8')
    else if (f === 2 && (tag & 7) === 2) {
      const raw = r.bytes()
      if (value === 'bytes') val = raw.toString('base64')
      else if (value === 'quantity') val = String(decode(raw, {1: s('string')}).string ?? '')
      else val = raw.toString('utf8')
    } else r.skip(tag & 7)
  }
  return [key, val]
}

function decode(buf: Buffer, schema: Schema): Json {
  const out: Json = {}
  const r = new Reader(buf)
  while (!r.done()) {
    const tag = r.varint()
    const num = Math.floor(tag / 8)
    const wt = tag & 7
    const field = schema[num]
    if (!field) {
      r.skip(wt)
      continue
    }
    switch (field.t) {
      case 'string':
      case 'bytes': {
        const v = field.t === 'bytes' ? r.bytes().toString('base64') : r.bytes().toString('utf8')
        if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(v)
        else if (v !== '') out[field.name] = v
        break
      }
      case 'int': {
        const v = toInt32(r.varint())
        if (v !== 0 || field.pointer) out[field.name] = v
        break
      }
      case 'bool': {
        const v = r.varint() !== 0
        if (v || field.pointer) out[field.name] = v
        break
      }
      case 'map': {
        const [k, v] = decodeMap(r.bytes(), field.value)
        ;((out[field.name] ??= {}) as Record<string, string>)[k] = v
        break
      }
      case 'intOrString': {
        const v = decode(r.bytes(), {1: i('type'), 2: i('intVal'), 3: s('strVal')})
        out[field.name] = v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0)
        break
      }
      case 'msg': {
        const v = decode(r.bytes(), field.of())
        if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(v)
        else if (Object.keys(v).length > 0) out[field.name] = v
        break
      }
    }
  }
  return out
}

/** True when a Content-Type names the Kubernetes protobuf encoding. */
export function isKubeProtobuf(contentType: string): boolean {
  return contentType === 'application/vnd.kubernetes.protobuf'
}

/** Decodes `k8s\0` + runtime.Unknown{typeMeta, raw} into a JSON object (415 for kinds not mapped here). */
export function decodeKubeProtobuf(body: Buffer): Json {
  if (body.length < 4 || body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') throw malformed()
  const unknown = new Reader(body.subarray(4))
  let apiVersion = ''
  let kind = ''
  let raw: Buffer | undefined
  while (!unknown.done()) {
    const tag = unknown.varint()
    const num = Math.floor(tag / 8)
    if (num === 1 && (tag & 7) === 2) {
      const meta = decode(unknown.bytes(), {1: s('apiVersion'), 2: s('kind')})
      apiVersion = String(meta.apiVersion ?? '')
      kind = String(meta.kind ?? '')
    } else if (num === 2 && (tag & 7) === 2) raw = unknown.bytes()
    else unknown.skip(tag & 7)
  }
  const schema = KINDS[`${apiVersion}/${kind}`]
  if (!schema || !raw) {
    throw errors.unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf is read only for kubectl's generators; ${apiVersion}/${kind} is not one of them)`,
    )
  }
  return {apiVersion, kind, ...decode(raw, schema)}
}

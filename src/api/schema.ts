/**
 * Structural OpenAPI v3 schemas (the dialect of CRD `openAPIV3Schema`) and small builders for them.
 * Every schema here is used three ways: served in /openapi/v3 documents, written into CRDs, and
 * enforced by validation.ts. CEL rules carry a JavaScript `check` next to their CEL text, since
 * there is no CEL evaluator; `wireSchema` strips it before a schema leaves the process.
 */

/** An `x-kubernetes-validations` rule with the JavaScript equivalent of its CEL expression. */
export interface ValidationRule {
  rule: string
  message: string
  /** Relative JSONPath of the field the error is reported on (CEL `fieldPath`). */
  fieldPath?: string
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate'
  /**
   * Returns true when the rule holds. `oldSelf` is passed for transition rules (those that mention
   * oldSelf), which are evaluated only on update and only when the old value exists.
   */
  check: (self: unknown, oldSelf?: unknown) => boolean
  transition?: boolean
}

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  format?: string
  description?: string
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  additionalProperties?: Schema | boolean
  enum?: unknown[]
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  minProperties?: number
  maxProperties?: number
  default?: unknown
  nullable?: boolean
  anyOf?: Schema[]
  allOf?: Schema[]
  $ref?: string
  'x-kubernetes-preserve-unknown-fields'?: boolean
  'x-kubernetes-int-or-string'?: boolean
  'x-kubernetes-embedded-resource'?: boolean
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map'
  'x-kubernetes-list-map-keys'?: string[]
  'x-kubernetes-map-type'?: 'atomic' | 'granular'
  'x-kubernetes-validations'?: ValidationRule[]
}

/** A copy without JavaScript checks: what CRDs and OpenAPI documents carry. */
export function wireSchema(schema: Schema): Schema {
  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) => (key === 'check' || key === 'transition' ? undefined : value)),
  ) as Schema
}

// ------------------------------------------------------------------------------------ builders

type Opts = Omit<Schema, 'type'>

export const str = (description?: string, o: Opts = {}): Schema => ({type: 'string', ...(description ? {description} : {}), ...o})
export const bool = (description?: string, o: Opts = {}): Schema => ({type: 'boolean', ...(description ? {description} : {}), ...o})
export const int32 = (description?: string, o: Opts = {}): Schema => ({type: 'integer', format: 'int32', ...(description ? {description} : {}), ...o})
export const int64 = (description?: string, o: Opts = {}): Schema => ({type: 'integer', format: 'int64', ...(description ? {description} : {}), ...o})
export const enumOf = (values: string[], description?: string, o: Opts = {}): Schema => str(description, {enum: values, ...o})
export const arr = (items: Schema, description?: string, o: Opts = {}): Schema => ({type: 'array', ...(description ? {description} : {}), items, ...o})
export const obj = (properties: Record<string, Schema>, description?: string, o: Opts = {}): Schema => ({
  type: 'object',
  ...(description ? {description} : {}),
  properties,
  ...o,
})
export const stringMap = (description?: string): Schema => ({type: 'object', ...(description ? {description} : {}), additionalProperties: {type: 'string'}})
export const free = (description?: string): Schema => ({type: 'object', ...(description ? {description} : {}), 'x-kubernetes-preserve-unknown-fields': true})
export const anyValue = (description?: string): Schema => ({...(description ? {description} : {}), 'x-kubernetes-preserve-unknown-fields': true})

export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$'

export const quantity = (description?: string): Schema => ({
  ...(description ? {description} : {}),
  anyOf: [{type: 'integer'}, {type: 'string'}],
  pattern: QUANTITY_PATTERN,
  'x-kubernetes-int-or-string': true,
})

export const intOrString = (description?: string): Schema => ({
  ...(description ? {description} : {}),
  anyOf: [{type: 'integer'}, {type: 'string'}],
  'x-kubernetes-int-or-string': true,
})

/** `self == oldSelf` on a field. */
export function immutable(message: string): ValidationRule {
  return {rule: 'self == oldSelf', message, transition: true, check: (self, old) => deepEqual(self, old)}
}

export function withRules(schema: Schema, ...rules: ValidationRule[]): Schema {
  return {...schema, 'x-kubernetes-validations': [...(schema['x-kubernetes-validations'] ?? []), ...rules]}
}

/** CEL `has(self.x)`: present and not null. */
export function has(self: unknown, key: string): boolean {
  return isObject(self) && self[key] !== undefined && self[key] !== null
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const arrA = Array.isArray(a)
  if (arrA !== Array.isArray(b)) return false
  if (arrA) {
    const x = a as unknown[]
    const y = b as unknown[]
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !deepEqual(x[i], y[i])) return false
    return true
  }
  // Without allocating: the store compares objects on every write. Members that are the same value
  // (most: shared frozen parts, equal strings) are passed over without a call.
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let countX = 0
  for (const k in x) {
    const vx = x[k]
    if (vx === undefined) continue
    countX++
    const vy = y[k]
    if (vx !== vy && !deepEqual(vx, vy)) return false
  }
  let countY = 0
  for (const k in y) if (y[k] !== undefined) countY++
  return countX === countY
}

// ------------------------------------------------------------------------------------ core shapes

const keyRef = (what: string): Schema =>
  obj(
    {
      key: str(`The key of the ${what} to select.`),
      name: str(`Name of the ${what}.`, {default: ''}),
      optional: bool(`Whether the ${what} or its key may be missing.`),
    },
    `A key of a ${what} in the pod's namespace.`,
    {required: ['key'], 'x-kubernetes-map-type': 'atomic'},
  )

export const envVar: Schema = obj(
  {
    name: str('Name of the environment variable.'),
    value: str('Literal value; $(VAR) references are expanded by the kubelet.'),
    valueFrom: obj(
      {
        configMapKeyRef: keyRef('ConfigMap'),
        secretKeyRef: keyRef('Secret'),
        fieldRef: obj(
          {apiVersion: str('API version of the field path, "v1" by default.'), fieldPath: str('Path of the pod field, such as metadata.name.')},
          'A field of the pod.',
          {required: ['fieldPath'], 'x-kubernetes-map-type': 'atomic'},
        ),
        resourceFieldRef: obj(
          {
            containerName: str('Container whose resource is read.'),
            divisor: quantity('Unit the value is expressed in (default 1).'),
            resource: str('Resource to read, such as limits.cpu.'),
          },
          'A resource limit or request of the container.',
          {required: ['resource'], 'x-kubernetes-map-type': 'atomic'},
        ),
      },
      'Where the value comes from when value is empty.',
    ),
  },
  'An environment variable of a container.',
  {required: ['name']},
)

export const envList = (description: string): Schema =>
  arr(envVar, description, {'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name']})

export const localObjectReference: Schema = obj({name: str('Name of the referent.', {default: ''})}, 'A reference to an object in the same namespace.', {
  'x-kubernetes-map-type': 'atomic',
})

export const imagePullSecrets = (description = 'Secrets used to pull the container images.'): Schema => arr(localObjectReference, description)

export const resourceRequirements: Schema = obj(
  {
    claims: arr(obj({name: str(), request: str()}, undefined, {required: ['name']}), 'Dynamic resource claims.', {
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    }),
    limits: {type: 'object', description: 'Maximum amount of compute resources allowed.', additionalProperties: quantity()},
    requests: {type: 'object', description: 'Minimum amount of compute resources required.', additionalProperties: quantity()},
  },
  'Compute resource requirements of a container.',
)

/**
 * metav1.Condition. Only type and status are required here (metav1 also requires reason, message
 * and lastTransitionTime): Knative-style conditions (KServe, OME) omit them, and a status write
 * from a controller must never be refused over a missing message.
 */
export const condition: Schema = obj(
  {
    lastTransitionTime: str('When the condition last changed status.', {format: 'date-time'}),
    message: str('Human readable detail.', {maxLength: 32768}),
    observedGeneration: int64('The .metadata.generation the condition was set from.', {minimum: 0}),
    reason: str('CamelCase reason for the last transition.', {maxLength: 1024}),
    severity: str('Severity (Knative conditions).'),
    status: enumOf(['True', 'False', 'Unknown'], 'Status of the condition.'),
    type: str('Type of the condition, in CamelCase.', {maxLength: 316}),
  },
  'One aspect of the current state of the object.',
  {required: ['status', 'type']},
)

export const conditions = (description = 'The latest observations of the object\'s state.'): Schema =>
  arr(condition, description, {'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type']})

/** Gateway API ParentReference. */
export const parentReference: Schema = obj(
  {
    group: str('Group of the referent.', {default: 'gateway.networking.k8s.io', maxLength: 253, pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'}),
    kind: str('Kind of the referent.', {default: 'Gateway', maxLength: 63, minLength: 1, pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'}),
    name: str('Name of the referent.', {maxLength: 253, minLength: 1}),
    namespace: str('Namespace of the referent; defaults to the namespace of the route.', {maxLength: 63, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'}),
    port: int32('Port of the listener to attach to.', {minimum: 1, maximum: 65535}),
    sectionName: str('Name of the listener section to attach to.', {maxLength: 253, minLength: 1}),
  },
  'A reference to the Gateway the route attaches to.',
  {required: ['name']},
)

export const nodeAffinity: Schema = free('Node affinity scheduling rules (core/v1 NodeAffinity).')

/** The schema of every kind in the registry. AIM, legacy AIM and OME kinds are full; the rest are permissive. */
import {AIM_GROUP, AIM_LEGACY_GROUP, type KindInfo, OME_GROUP} from '../registry.js'
import {type Schema, str} from '../schema.js'
import {AIM_SCHEMAS} from './aim.js'
import {LEGACY_SCHEMAS} from './legacy.js'
import {OME_SCHEMAS} from './ome.js'

const permissive = new Map<string, Schema>()

/** A schema that keeps everything: what the simulator uses for kinds it does not validate. */
export function permissiveSchema(info: Pick<KindInfo, 'kind'>): Schema {
  let s = permissive.get(info.kind)
  if (!s) {
    s = {
      type: 'object',
      description: `${info.kind} (served without a detailed schema by the simulator).`,
      properties: {
        apiVersion: str('The versioned schema of this representation of an object.'),
        kind: str('The REST resource this object represents, in CamelCase.'),
        metadata: {type: 'object'},
      },
      'x-kubernetes-preserve-unknown-fields': true,
    }
    permissive.set(info.kind, s)
  }
  return s
}

/** Whether the kind has a full schema (and so gets full validation, defaults and strict field checks). */
export function hasFullSchema(info: Pick<KindInfo, 'group' | 'kind'>): boolean {
  return fullSchema(info) !== undefined
}

function fullSchema(info: Pick<KindInfo, 'group' | 'kind'>): Schema | undefined {
  switch (info.group) {
    case AIM_GROUP:
      return AIM_SCHEMAS[info.kind]
    case AIM_LEGACY_GROUP:
      return LEGACY_SCHEMAS[info.kind]
    case OME_GROUP:
      return OME_SCHEMAS[info.kind]
    default:
      return undefined
  }
}

/** The schema of a kind, with JavaScript CEL checks (use wireSchema() before serialising). */
export function schemaFor(info: Pick<KindInfo, 'group' | 'kind'>): Schema {
  return fullSchema(info) ?? permissiveSchema(info)
}

export {AIM_SCHEMAS, LEGACY_SCHEMAS, OME_SCHEMAS}

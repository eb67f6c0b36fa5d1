/**
 * A minimal `/openapi/v2` for older kubectl (1.27-1.29 ask for it when checking whether the
 * server validates fields). Each served kind gets an item path whose PATCH operation carries the
 * x-kubernetes-group-version-kind extension and the `fieldValidation` query parameter, so
 * kubectl leaves validation to the server; there are no definitions, so client-side schema
 * lookups find nothing and fall back to kubectl's compiled-in types. Encoded as the
 * gnostic OpenAPIv2 protobuf (Document/Paths/PathItem/Operation field numbers) or as JSON.
 */
import type {KindInfo, KindRegistry} from '../../src/api/registry.js'

export const OPENAPI_V2_PROTO_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'

function varint(n: number): number[] {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return out
}

/** A length-delimited field (strings and embedded messages). */
function field(num: number, payload: Buffer | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return Buffer.concat([Buffer.from([...varint((num << 3) | 2), ...varint(bytes.length)]), bytes])
}

const msg = (...parts: Buffer[]) => Buffer.concat(parts)

function itemPath(info: KindInfo): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`
  return info.namespaced ? `${base}/namespaces/{namespace}/${info.plural}/{name}` : `${base}/${info.plural}/{name}`
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force']

function protoOperation(info: KindInfo): Buffer {
  const params = QUERY_PARAMS.map((name) =>
    // ParametersItem.parameter(1) → Parameter.non_body_parameter(2) → NonBodyParameter.query_parameter_sub_schema(3)
    field(8, field(1, field(2, field(3, msg(field(2, 'query'), field(4, name), field(6, name === 'force' ? 'boolean' : 'string')))))),
  )
  const gvk = `group: "${info.group}"\nkind: ${info.kind}\nversion: ${info.version}\n`
  // Operation.operation_id(5), parameters(8), vendor_extension(13) = NamedAny{name(1), value(2): Any{yaml(2)}}
  return msg(field(5, `patch${info.kind}`), ...params, field(13, msg(field(1, 'x-kubernetes-group-version-kind'), field(2, field(2, gvk)))))
}

export function openApiV2Proto(registry: KindRegistry): Buffer {
  const paths = registry.kinds.map((info) => field(2, msg(field(1, itemPath(info)), field(2, field(8, protoOperation(info))))))
  // Document.swagger(1), info(2){title(1), version(2)}, paths(8)
  return msg(field(1, '2.0'), field(2, msg(field(1, 'Kubernetes'), field(2, 'v1.32.4'))), field(8, msg(...paths)))
}

export function openApiV2Json(registry: KindRegistry): unknown {
  const paths: Record<string, unknown> = {}
  for (const info of registry.kinds) {
    paths[itemPath(info)] = {
      patch: {
        operationId: `patch${info.kind}`,
        parameters: QUERY_PARAMS.map((name) => ({name, in: 'query', type: name === 'force' ? 'boolean' : 'string', uniqueItems: true})),
        'x-kubernetes-group-version-kind': {group: info.group, version: info.version, kind: info.kind},
      },
    }
  }
  return {swagger: '2.0', info: {title: 'Kubernetes', version: 'v1.32.4'}, paths, definitions: {}}
}

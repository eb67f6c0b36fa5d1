/**
 * Adapter to the API engineer's schema modules (src/api/openapi.ts, src/api/validation.ts),
 * loaded when present: full OpenAPI documents (kubectl explain) and unknown-field detection
 * (fieldValidation). Without them the server serves permissive schemas and skips unknown-field checks.
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import type {Validator} from './context.js'
import type {OpenApiProvider} from './openapi.js'

type AnyFn = (...args: unknown[]) => unknown

async function optionalImport(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(path)) as Record<string, unknown>
  } catch {
    return undefined
  }
}

export async function loadApiExtras(): Promise<{openapi: OpenApiProvider; validator: Validator}> {
  const [openapiMod, validationMod] = await Promise.all([optionalImport('../../src/api/openapi.js'), optionalImport('../../src/api/validation.js')])
  const openApiV3Document = openapiMod?.openApiV3Document as AnyFn | undefined
  const unknownFields = validationMod?.unknownFields as AnyFn | undefined
  return {
    openapi: openApiV3Document
      ? {document: (group: string, version: string) => openApiV3Document(group, version) as Record<string, unknown> | undefined}
      : {},
    validator: unknownFields ? {unknownFields: (obj: KubeObject, info: KindInfo) => (unknownFields(obj, info) as string[] | undefined) ?? []} : {},
  }
}

/**
 * Wires the API engineer's schema modules into the server: full OpenAPI v3 documents
 * (src/api/openapi.ts, for kubectl explain and SMP) and unknown-field detection
 * (src/api/validation.ts, for fieldValidation=Strict|Warn).
 */
import type {KindInfo} from '../../src/api/registry.js'
import type {KubeObject} from '../../src/api/object.js'
import {openApiV3Document} from '../../src/api/openapi.js'
import {unknownFields} from '../../src/api/validation.js'
import type {Validator} from './context.js'
import type {OpenApiProvider} from './openapi.js'

export function apiExtras(): {openapi: OpenApiProvider; validator: Validator} {
  return {
    openapi: {document: (group: string, version: string) => openApiV3Document(group, version) as Record<string, unknown> | undefined},
    validator: {unknownFields: (obj: KubeObject, info: KindInfo) => unknownFields(info, obj)},
  }
}

/** Async form kept for callers written against the earlier optional-import adapter. */
export async function loadApiExtras(): Promise<{openapi: OpenApiProvider; validator: Validator}> {
  return apiExtras()
}

/**
 * Every manifest the project ships (fixtures) and every YAML example of the seed documents must be
 * accepted by the schemas: strict field checking (what kubectl asks for), defaults, validation.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import type {KubeObject} from '../../../src/api/object.js'
import {registry} from '../../../src/api/registry.js'
import {applyDefaults, unknownFields, validateObject} from '../../../src/api/validation.js'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.yaml') || p.endsWith('.yml') ? [p] : []
  })
}

/** Objects anywhere in a document (scenario files embed manifests in lists). */
function objects(value: unknown, out: KubeObject[] = []): KubeObject[] {
  if (Array.isArray(value)) value.forEach((v) => objects(v, out))
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    if (typeof o.apiVersion === 'string' && typeof o.kind === 'string' && o.metadata && typeof o.metadata === 'object') out.push(o as KubeObject)
    else Object.values(o).forEach((v) => objects(v, out))
  }
  return out
}

function problems(obj: KubeObject): string[] {
  const info = registry.forKind(obj.apiVersion, obj.kind)
  if (!info) return []
  const unknown = unknownFields(info, obj).map((f) => `unknown field "${f}"`)
  const causes = validateObject(info, applyDefaults(info, obj)).map((c) => `${c.field}: ${c.message}`)
  return [...unknown, ...causes]
}

describe('shipped manifests', () => {
  it('every fixture object is valid and has no unknown fields', () => {
    const found: string[] = []
    let checked = 0
    for (const file of files('fixtures')) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        for (const obj of objects(doc.toJS())) {
          checked++
          for (const p of problems(obj)) found.push(`${file} ${obj.kind}/${obj.metadata.name ?? ''}: ${p}`)
        }
      }
    }
    expect(found).toEqual([])
    expect(checked).toBeGreaterThan(0)
  })
})

describe('seed documents', () => {
  const seeds: [string, string, string][] = [
    ['000_5eaf91cc85ebec55.txt', 'aim.silogen.ai/v1alpha1', 'AIMService'],
    ['003_742981d2a93d4f76.txt', 'aim.silogen.ai/v1alpha1', 'AIMService'],
    ['004_53df44518184c2c8.txt', 'ome.io/v1beta1', 'InferenceService'],
  ]
  // The seeds sit beside the repository (../shared/seeds), in a checkout and in CI alike.
  const dir = fileURLToPath(new URL('../../../../shared/seeds', import.meta.url))
  const present = (() => {
    try {
      return statSync(dir).isDirectory()
    } catch {
      return false
    }
  })()

  it.skipIf(!present)('every fenced YAML example whose root is an object or a spec is accepted', () => {
    const found: string[] = []
    let checked = 0
    for (const [file, apiVersion, kind] of seeds) {
      const text = readFileSync(join(dir, file), 'utf8')
      for (const m of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        for (const doc of parseAllDocuments(m[1]!)) {
          const js = doc.toJS() as Record<string, unknown> | null
          if (!js || typeof js !== 'object') continue
          // Fragments are either whole objects or start at `spec:` (status examples are output, not input).
          if (!js.apiVersion && !js.spec) continue
          const obj = (js.apiVersion ? js : {apiVersion, kind, ...js}) as KubeObject
          obj.metadata ??= {name: 'example'}
          delete obj.status
          checked++
          for (const p of problems(obj)) found.push(`${file} ${obj.kind}/${obj.metadata.name ?? ''}: ${p}`)
        }
      }
    }
    expect(found).toEqual([])
    expect(checked).toBeGreaterThan(30)
  })
})

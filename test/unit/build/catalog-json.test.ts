import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parse, parseAllDocuments} from 'yaml'

const root = new URL('../../../', import.meta.url)

describe('catalog-json: the built-in catalog as JSON in dist/ (npm run build)', () => {
  it('holds exactly what the YAML says', () => {
    const yamlImages = parse(readFileSync(new URL('fixtures/catalog/images.yaml', root), 'utf8')) as unknown
    const jsonImages = JSON.parse(readFileSync(new URL('dist/fixtures-json/catalog/images.json', root), 'utf8')) as unknown
    expect(jsonImages).toEqual(yamlImages)

    const yamlManifests = parseAllDocuments(readFileSync(new URL('fixtures/catalog/manifests.yaml', root), 'utf8'))
      .map((d) => d.toJSON() as {kind?: string} | null)
      .filter((o) => o?.kind)
    const jsonManifests = JSON.parse(readFileSync(new URL('dist/fixtures-json/catalog/manifests.json', root), 'utf8')) as unknown[]
    expect(jsonManifests).toEqual(yamlManifests)
    expect(jsonManifests.length).toBeGreaterThan(0)
  })

  it('is what the compiled simulator loads', async () => {
    const {loadBuiltinCatalog, loadCatalogManifests} = (await import(new URL('dist/simulator/cluster/catalog.js', root).href)) as typeof import('../../../simulator/cluster/catalog.js')
    const fromSource = await import('../../../simulator/cluster/catalog.js')
    expect([...loadBuiltinCatalog().images.keys()]).toEqual([...fromSource.loadBuiltinCatalog().images.keys()])
    expect(loadCatalogManifests()).toEqual(fromSource.loadCatalogManifests())
  })
})

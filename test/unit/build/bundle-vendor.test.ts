import {describe, expect, it} from 'vitest'
import {entrySource, rewriteSpecifier, usedNames} from '../../../scripts/bundle-vendor.mjs'

const compiled = `import * as http from 'node:http';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
async function f() {
    const { ApiException } = await import('@kubernetes/client-node');
    const { HttpMethod: M } = await import("@kubernetes/client-node");
}
`

describe('bundle-vendor: which names the compiled code takes from client-node', () => {
  it('reads static named imports and destructured dynamic imports (imported names, not aliases)', () => {
    expect([...(usedNames(compiled) as Set<string>)].sort()).toEqual(['ApiException', 'HttpMethod', 'KubeConfig', 'KubernetesObjectApi', 'PatchStrategy', 'Watch'])
  })

  it('is undefined for a module that does not import it (a comment naming it unquoted does not count)', () => {
    expect(usedNames("// over @kubernetes/client-node\nimport {x} from 'yaml'")).toBeUndefined()
  })

  it("falls back to the whole package for a use it cannot read name by name", () => {
    expect(usedNames("import * as k8s from '@kubernetes/client-node'")).toBe('all')
    expect(usedNames("const k = await import('@kubernetes/client-node')")).toBe('all')
    expect(usedNames(`${compiled}\nconst all = await import('@kubernetes/client-node')`)).toBe('all')
  })

  it('writes the entry: named re-exports, sorted, or export * for all', () => {
    expect(entrySource(new Set(['Watch', 'KubeConfig']))).toBe("export {KubeConfig, Watch} from '@kubernetes/client-node'\n")
    expect(entrySource('all')).toBe("export * from '@kubernetes/client-node'\n")
  })

  it('points every quoted import of the package at the bundle and leaves the rest alone', () => {
    const out = rewriteSpecifier(compiled, '../../vendor/client-node.js')
    expect(out).toContain("from '../../vendor/client-node.js';")
    expect(out).toContain("await import('../../vendor/client-node.js')")
    expect(out).toContain('await import("../../vendor/client-node.js")')
    expect(out).toContain("from 'node:http'")
    expect(out).not.toMatch(/['"]@kubernetes\/client-node['"]/)
  })
})

describe('bundle-vendor: the built dist/ (npm run build)', () => {
  const root = new URL('../../../', import.meta.url)
  it('dist/src/kube/client.js imports the prebundled dist/vendor/client-node.js, which exports what it uses', async () => {
    const {readFileSync} = await import('node:fs')
    const code = readFileSync(new URL('dist/src/kube/client.js', root), 'utf8')
    expect(code).not.toMatch(/['"]@kubernetes\/client-node['"]/)
    // Imported on first use only: plain reads do without it (src/fast/transport.ts).
    expect(code).toContain("await import('../../vendor/client-node.js')")
    expect(code).not.toMatch(/^import [^;]*vendor\/client-node/m)
    const vendor = (await import(new URL('dist/vendor/client-node.js', root).href)) as Record<string, unknown>
    for (const name of ['KubeConfig', 'KubernetesObjectApi', 'Watch', 'ApiException', 'HttpMethod']) expect(typeof vendor[name], name).not.toBe('undefined')
  })
})

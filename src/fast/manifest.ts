/**
 * oclif.manifest.json for the fast paths, when oclif would run the package's own commands as the
 * manifest describes them: no plugins, hooks or other configuration that could change a command,
 * and a manifest built for this package version. Otherwise undefined (oclif runs).
 */
import {readFileSync} from 'node:fs'

export function loadManifest(root: URL): object | undefined {
  try {
    const pjson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {version?: string; oclif?: Record<string, unknown>}
    const oclif = pjson.oclif ?? {}
    for (const key of ['plugins', 'devPlugins', 'jitPlugins', 'hooks', 'helpClass', 'state', 'default', 'exitCodes', 'flexibleTaxonomy']) {
      const value = oclif[key]
      if (value !== undefined && !(Array.isArray(value) && value.length === 0)) return undefined
    }
    const manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8')) as {version?: string; commands?: unknown}
    if (!manifest || typeof manifest.commands !== 'object' || manifest.version !== pjson.version) return undefined
    return manifest
  } catch {
    return undefined
  }
}

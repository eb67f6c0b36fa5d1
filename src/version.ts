/**
 * The `kubectl aim version` text, shared by commands/version.ts and the fast path of bin/ (which
 * answers `kubectl aim version` without loading oclif). No imports: it must stay cheap to load.
 */

export interface VersionInfo {
  clientVersion: string
  node: string
  platform: string
}

export type VersionOutput = 'json' | 'yaml'

export function versionInfo(clientVersion: string): VersionInfo {
  return {clientVersion, node: process.version, platform: `${process.platform}/${process.arch}`}
}

/** The printed text (no trailing newline): one line, or JSON / YAML with `-o`. */
export function formatVersion(info: VersionInfo, output?: VersionOutput | string): string {
  if (output === 'json') return JSON.stringify(info, null, 2)
  if (output === 'yaml') return `clientVersion: ${info.clientVersion}\nnode: ${info.node}\nplatform: ${info.platform}`
  return `kubectl-aim ${info.clientVersion} (${info.node}, ${info.platform})`
}

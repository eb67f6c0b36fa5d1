/**
 * A small flag parser driven by oclif.manifest.json, for the commands bin/fast-path.js runs without
 * loading @oclif/core. The flags have one definition, the command's oclif flags; the manifest is
 * their serialised form. It follows oclif's parser (lib/parser/parse.js) for the plain cases only:
 * `--flag value`, `--flag=value`, `-c value`, `-cvalue`, `-c=value`, booleans (`--no-x` when the flag
 * allows it), option lists, defaults, positional args. Anything else — unknown or repeated flags,
 * a missing or empty value, values that look like flags, `--`, combined short booleans, env or
 * relationship rules, help flags, too many or missing required args — returns undefined, and oclif
 * parses (and reports every usage error) as before.
 *
 * Option values come back as strings: the manifest does not say whether oclif would also parse them
 * (an integer flag is `type: 'option'` there). A fast command must decline the flags whose value it
 * would use with a parse of its own.
 */

export interface ParsedInput {
  flags: Record<string, unknown>
  args: Record<string, string>
}

interface ManifestFlag {
  name?: string
  type?: string
  char?: string
  aliases?: string[]
  charAliases?: string[]
  allowNo?: boolean
  multiple?: boolean
  options?: string[]
  default?: unknown
  env?: string
  required?: boolean
  exclusive?: unknown
  dependsOn?: unknown
  exactlyOne?: unknown
  relationships?: unknown
  combinable?: unknown
  allowStdin?: unknown
  deprecated?: unknown
  deprecateAliases?: unknown
  hasDynamicHelp?: boolean
  delimiter?: unknown
  defaultHelp?: unknown
}

interface ManifestArg {
  name?: string
  required?: boolean
  options?: string[]
  default?: unknown
  multiple?: boolean
  ignoreStdin?: boolean
}

interface ManifestCommand {
  id?: string
  strict?: boolean
  flags?: Record<string, ManifestFlag>
  args?: Record<string, ManifestArg>
  enableJsonFlag?: boolean
  deprecationOptions?: unknown
  state?: string
}

/** The manifest's entry for `commandId`, or undefined. */
export function manifestCommand(manifest: object, commandId: string): ManifestCommand | undefined {
  const commands = (manifest as {commands?: Record<string, ManifestCommand>}).commands
  if (!commands || typeof commands !== 'object' || !Object.hasOwn(commands, commandId)) return undefined
  const cmd = commands[commandId]
  return cmd && typeof cmd === 'object' ? cmd : undefined
}

/**
 * The flags and args oclif would parse from `argv` (the words after the command id), or undefined
 * when this parser is not sure (oclif then parses).
 */
export function parseFlags(manifest: object, commandId: string, argv: string[]): ParsedInput | undefined {
  const cmd = manifestCommand(manifest, commandId)
  if (!cmd || cmd.strict === false || cmd.enableJsonFlag || cmd.deprecationOptions || cmd.state) return undefined
  const defs = cmd.flags ?? {}
  const argDefs = Object.entries(cmd.args ?? {})
  for (const def of Object.values(defs)) {
    // Rules this parser does not evaluate, wherever they are declared.
    if (!def || typeof def !== 'object') return undefined
    if (def.aliases?.length || def.charAliases?.length || def.env || def.required || def.hasDynamicHelp) return undefined
    if (def.exclusive || def.dependsOn || def.exactlyOne || def.relationships || def.combinable || def.allowStdin || def.delimiter || 'defaultHelp' in def) return undefined
    if (def.type !== 'boolean' && def.type !== 'option') return undefined
  }
  if (argDefs.some(([, a]) => !a || typeof a !== 'object' || a.multiple)) return undefined

  const byChar = new Map<string, string>()
  for (const [name, def] of Object.entries(defs)) if (def.char) byChar.set(def.char, name)

  const flags: Record<string, unknown> = {}
  const given = new Set<string>()
  const positional: string[] = []
  const rest = [...argv]
  while (rest.length > 0) {
    const word = rest.shift()!
    if (!word.startsWith('-') || word === '-') {
      if (word === '-' || word === '') return undefined
      positional.push(word)
      continue
    }
    if (word === '--') return undefined
    let name: string | undefined
    let value: string | undefined
    let negated = false
    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      const key = eq === -1 ? word.slice(2) : word.slice(2, eq)
      if (eq !== -1) value = word.slice(eq + 1)
      if (Object.hasOwn(defs, key)) name = key
      else if (key.startsWith('no-') && Object.hasOwn(defs, key.slice(3)) && defs[key.slice(3)]!.type === 'boolean' && defs[key.slice(3)]!.allowNo) {
        name = key.slice(3)
        negated = true
      }
      if (name === undefined) return undefined
      const def = defs[name]!
      if (def.type === 'boolean') {
        if (value !== undefined) return undefined
      } else if (value === undefined) {
        value = rest.shift()
      }
    } else {
      name = byChar.get(word[1]!)
      if (name === undefined) return undefined
      const def = defs[name]!
      if (def.type === 'boolean') {
        if (word.length > 2) return undefined // combined short flags
      } else {
        value = word.length > 2 ? word.slice(word[2] === '=' ? 3 : 2) : rest.shift()
      }
    }
    const def = defs[name]!
    if (def.deprecated || def.deprecateAliases) return undefined
    if (def.type === 'boolean') {
      flags[name] = !negated
      given.add(name)
      continue
    }
    // An option: one value, present, not empty, not something that looks like a flag.
    if (def.multiple || given.has(name)) return undefined
    if (value === undefined || value === '' || value.startsWith('-')) return undefined
    if (def.options && !def.options.includes(value)) return undefined
    flags[name] = value
    given.add(name)
  }
  for (const [name, def] of Object.entries(defs)) {
    if (given.has(name) || def.default === undefined) continue
    if (def.default === null || !['string', 'number', 'boolean'].includes(typeof def.default)) return undefined
    flags[name] = def.default
  }

  if (positional.length > argDefs.length) return undefined
  const args: Record<string, string> = {}
  for (const [i, [name, def]] of argDefs.entries()) {
    const value = positional[i]
    if (value !== undefined) {
      if (def.options && !def.options.includes(value)) return undefined
      args[name] = value
    } else if (def.required) {
      return undefined
    } else if (def.default !== undefined) {
      if (typeof def.default !== 'string') return undefined
      args[name] = def.default
    }
  }
  return {flags, args}
}

/**
 * oclif reads a missing positional arg from stdin when stdin is not a terminal (parse.js readStdin:
 * whatever arrives before the stream closes, or nothing after 10 ms). Completes `parsed` the same
 * way for the first missing arg; returns undefined when the value read would need a check this
 * module does not do (an arg with options).
 */
export async function argsFromStdin(manifest: object, commandId: string, parsed: ParsedInput, input?: NodeJS.ReadStream): Promise<ParsedInput | undefined> {
  const cmd = manifestCommand(manifest, commandId)
  const missing = Object.entries(cmd?.args ?? {}).find(([name, def]) => parsed.args[name] === undefined && !def.ignoreStdin)
  if (!missing) return parsed
  // process.stdin only now: making the stream costs milliseconds.
  const stdin = input ?? process.stdin
  if (stdin.isTTY) return parsed
  const text = await readStdin(stdin)
  // What oclif would find in its stdin cache if it parses after all (the stream is consumed now).
  if (text !== null) (globalThis as {oclif?: Record<string, unknown>}).oclif = {...(globalThis as {oclif?: Record<string, unknown>}).oclif, stdinCache: text}
  if (!text) return parsed
  const value = text.trim()
  if (missing[1].options) return undefined
  return {flags: parsed.flags, args: {...parsed.args, [missing[0]]: value}}
}

function readStdin(stdin: NodeJS.ReadStream): Promise<string | null> {
  return new Promise((resolve) => {
    let text = ''
    let settled = false
    const done = (value: string | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stdin.off('data', onData)
      stdin.off('end', onEnd)
      stdin.off('error', onEnd)
      stdin.pause()
      resolve(value)
    }
    const onData = (chunk: Buffer | string) => (text += chunk.toString())
    // readline's lines (a last empty one is no line), joined with the platform's EOL, as oclif does.
    const onEnd = () => done(text.split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '').join(process.platform === 'win32' ? '\r\n' : '\n'))
    const timer = setTimeout(() => done(null), 10)
    stdin.on('data', onData)
    stdin.once('end', onEnd)
    stdin.once('error', onEnd)
  })
}

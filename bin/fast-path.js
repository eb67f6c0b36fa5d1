// Fast path of the executables: `kubectl aim` alone, `--help`, `-h`, `help`, `version`, `--version`
// and `-v` are answered from oclif.manifest.json and package.json without importing @oclif/core
// (which alone costs about as much as starting node). The commands in FAST_COMMANDS are dispatched
// by fast-commands.cjs (see there). The root help is rendered the way oclif's Help class renders it
// (sections, two-column lists wrapped to the terminal width like wrap-ansi with hard breaks).
// Anything this file is not sure to render identically returns false, and the caller runs oclif.
// KUBECTL_AIM_NO_FAST_PATH=1 turns the fast path off (the tests compare both).
import {existsSync, readFileSync} from 'node:fs'
import {arch, platform, release} from 'node:os'
import {FAST_COMMANDS, fastCommand, loadBundle} from './fast-commands.cjs'

export {FAST_COMMANDS, fastCommand, loadBundle}

const HELP_ARGS = new Set(['--help', '-h', 'help'])

const VERSION_FLAGS = new Set(['--version', '-v'])

/**
 * Prints the answer for `argv` and returns true, or returns false when oclif must run.
 * @param {string[]} argv arguments after the executable
 * @param {URL} root the package root (a directory URL ending in '/')
 */
export async function fastPath(argv, root) {
  const handled = await fastCommand(argv, root)
  if (handled !== undefined) return handled
  if (argv.length > 1) return false
  const arg = argv[0]
  const kind = arg === undefined || HELP_ARGS.has(arg) ? 'help' : arg === 'version' ? 'version' : VERSION_FLAGS.has(arg) ? 'userAgent' : undefined
  if (!kind) return false
  let pjson
  try {
    pjson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
  } catch {
    return false
  }
  const oclif = pjson.oclif ?? {}
  // Only the plain configuration this renderer knows (no plugins, hooks, themes or custom help).
  if (oclif.plugins?.length || oclif.hooks || oclif.theme || oclif.helpClass || oclif.helpOptions || pjson.helpOptions || oclif.state || oclif.default) return false
  if (kind === 'version') {
    let mod
    try {
      mod = await import(new URL('dist/src/version.js', root).href)
    } catch {
      return false
    }
    process.stdout.write(mod.formatVersion(mod.versionInfo(pjson.version ?? '0.0.0')) + '\n')
    return true
  }
  const ua = userAgent(pjson)
  if (!ua) return false
  if (kind === 'userAgent') {
    process.stdout.write(ua + '\n')
    return true
  }
  let manifest
  try {
    manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8'))
  } catch {
    return false
  }
  if (!manifest || typeof manifest.commands !== 'object' || manifest.version !== pjson.version) return false
  const text = renderRootHelp(pjson, manifest, ua, termWidth())
  if (text === undefined) return false
  process.stdout.write(text)
  return true
}

/** oclif's config.userAgent, or undefined on WSL (oclif reports 'wsl' there: let it). */
function userAgent(pjson) {
  if (platform() === 'linux') {
    if (release().toLowerCase().includes('microsoft')) return undefined
    try {
      if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return undefined
    } catch {}
    if (existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')) return undefined
  }
  const a = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version ?? '0.0.0'} ${platform()}-${a} node-${process.version}`
}

/** oclif's stdtermwidth: OCLIF_COLUMNS, else the terminal's width (80 when not a terminal, at least 40). */
function termWidth() {
  const columns = Number.parseInt(process.env.OCLIF_COLUMNS ?? '', 10)
  if (columns) return columns
  const out = process.stdout
  if (!out.isTTY) return 80
  const width = out.getWindowSize()[0]
  if (width < 1) return 80
  if (width < 40) return 40
  return width
}

/** Whether ansis (oclif's colour library) would print bold on stdout; approximated, conservative. */
function useColor() {
  const env = process.env
  if ('NO_COLOR' in env || process.argv.includes('--no-color') || process.argv.includes('--color=false')) return false
  if ('FORCE_COLOR' in env) return !['0', 'false'].includes(env.FORCE_COLOR)
  if (env.TERM === 'dumb') return false
  return Boolean(process.stdout.isTTY)
}

class Unsupported extends Error {}

/** Plain text whose width is its length (ASCII and the common narrow symbols); anything else is Unsupported. */
function width(s) {
  for (const ch of s) {
    const c = ch.codePointAt(0)
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c < 0x370) || c >= 0x1100) throw new Unsupported()
  }
  return [...s].length
}

/** wrap-ansi(text, columns, {hard: true}) for plain text; words longer than a line are Unsupported. */
function wrap(text, columns) {
  if (columns < 1) throw new Unsupported()
  return text
    .normalize()
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return ''
      const rows = ['']
      const words = line.split(' ')
      words.forEach((word, i) => {
        const len = width(word)
        if (len > columns) throw new Unsupported()
        rows[rows.length - 1] = rows.at(-1).trimStart()
        let rowLength = width(rows.at(-1))
        if (i !== 0 && rowLength > 0) {
          rows[rows.length - 1] += ' '
          rowLength++
        }
        if (rowLength + len > columns && rowLength > 0 && len > 0) rows.push('')
        rows[rows.length - 1] += word
      })
      return rows.map((r) => r.trimEnd()).join('\n')
    })
    .join('\n')
}

/** indent-string: every non-blank line. */
function indent(text, n) {
  return text.replace(/^(?!\s*$)/gm, ' '.repeat(n))
}

/** oclif's HelpFormatter.renderList with indentation 2 and spacer '\n'. */
function renderList(rows, maxWidth) {
  const maxLength = Math.max(...rows.map(([left]) => width(left)))
  let output = ''
  let cur = ''
  for (const [left, right] of rows) {
    if (cur) output += '\n' + cur
    cur = left
    if (!right) {
      cur = cur.trim()
      continue
    }
    const [first, ...lines] = wrap(right.trim(), maxWidth - (2 + maxLength + 2))
      .split('\n')
      .map((s) => s.trim())
    cur += ' '.repeat(maxLength - width(cur) + 2) + first
    if (lines.length === 0) continue
    if (lines.length > 4) throw new Unsupported() // oclif switches to its multi-line layout
    cur += '\n' + indent(lines.join('\n'), maxLength + 2)
  }
  if (cur) output += '\n' + cur
  return output.trim()
}

function section(header, body, color) {
  return [color ? `\u001B[1m${header}\u001B[22m` : header, indent(body, 2)].join('\n')
}

/** Text that oclif would pass through its ejs renderer unchanged. */
function plain(s) {
  if (typeof s !== 'string') return s
  if (s.includes('<%')) throw new Unsupported()
  return s
}

/**
 * oclif's root help (Help.showRootHelp) from the manifest, or undefined when unsure.
 * @returns {string | undefined}
 */
export function renderRootHelp(pjson, manifest, ua, maxWidth, color = useColor()) {
  try {
    const oclif = pjson.oclif ?? {}
    const separator = oclif.topicSeparator === ' ' ? ' ' : ':'
    const bin = oclif.bin || pjson.name
    // Plugin.commands: the manifest's commands sorted with localeCompare; Config adds aliases after each.
    const plugin = Object.values(manifest.commands).sort((a, b) => a.id.localeCompare(b.id))
    const commands = new Map()
    for (const c of plugin) {
      if (c.id.includes(' ')) return undefined
      commands.set(c.id, c)
      for (const alias of c.aliases ?? []) commands.set(alias.replaceAll(' ', ':'), {...c, hidden: false, id: alias.replaceAll(' ', ':')})
      for (const alias of c.hiddenAliases ?? []) commands.set(alias.replaceAll(' ', ':'), {...c, hidden: true, id: alias.replaceAll(' ', ':')})
    }
    // Config.loadTopics: the package's declared topics first, then a topic for every prefix of a
    // visible command's id that is not declared.
    const topics = new Map()
    for (const [name, topic] of Object.entries(oclif.topics ?? {})) {
      if (topic.subtopics) throw new Unsupported()
      topics.set(name, {name, description: topic.description, hidden: topic.hidden})
    }
    for (const c of plugin.filter((c) => !c.hidden)) {
      const parts = c.id.split(':')
      while (parts.length > 0) {
        const name = parts.join(':')
        if (name && !topics.has(name)) topics.set(name, {name, description: c.summary || c.description})
        parts.pop()
      }
    }
    const byKey = (key) => (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)
    const all = [...topics.values()]
    const rootTopics = all
      .filter((t) => all.some((s) => s.name.includes(`${t.name}:`)))
      .filter((t) => !t.hidden)
      .sort(byKey((t) => t.name))
      .filter((t) => !t.name.includes(':'))
    const rootCommands = [...commands.values()]
      .filter((c) => !c.hidden)
      .sort(byKey((c) => c.id))
      .filter((c) => c.id && !c.id.includes(':'))

    const description = plain(oclif.description || pjson.description || '')
    const rest = description.split('\n').slice(1).join('\n')
    const root = [
      description.split('\n')[0],
      section('VERSION', wrap(ua, maxWidth - 2), color),
      section('USAGE', wrap(`$ ${bin} [COMMAND]`, maxWidth - 2), color),
      rest ? section('DESCRIPTION', wrap(rest, maxWidth - 2), color) : '',
    ]
      .filter(Boolean)
      .join('\n\n')
    let out = root + '\n\n'
    if (rootTopics.length > 0) {
      const rows = rootTopics.map((t) => [t.name.replaceAll(':', separator), t.description && plain(t.description).split('\n')[0]])
      out += section('TOPICS', renderList(rows, maxWidth), color) + '\n\n'
    }
    if (rootCommands.length > 0) {
      const rows = rootCommands.map((c) => {
        const summary = c.summary ? plain(c.summary).split('\n')[0] : c.description && plain(c.description).split('\n')[0]
        return [c.id.replaceAll(':', separator), summary]
      })
      out += section('COMMANDS', renderList(rows, maxWidth), color) + '\n\n'
    }
    return out
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
}

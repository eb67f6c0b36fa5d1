/**
 * A strict parser for the YAML that kubeconfig files are made of in practice (what kubectl, cloud
 * CLIs and our simulator write): block mappings and sequences, plain, single- and double-quoted
 * scalars, `{}` and `[]`, full-line comments. It exists so that a cold start need not load the
 * `yaml` package (tens of ms). It never guesses: on anything outside that subset — anchors, tags,
 * block scalars, flow collections with content, inline comments, tabs, several documents, duplicate
 * keys, numbers other than plain decimal integers — it returns undefined and the caller parses with
 * `yaml` as before. Where it answers, the value equals `yaml.parse(text)` (YAML 1.2 core schema).
 */

type Value = null | boolean | number | string | Value[] | {[key: string]: Value}

class Bail extends Error {}

interface Line {
  indent: number
  text: string
}

const INT = /^[-+]?[0-9]+$/
// Core-schema scalars this parser does not convert (octal, hex, floats, infinities, NaN).
const OTHER_NUMBER = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const NULL = /^(?:~|null|Null|NULL)$/
const TRUE = /^(?:true|True|TRUE)$/
const FALSE = /^(?:false|False|FALSE)$/

/** The document, or undefined when it is outside the subset (then use `yaml`). */
export function parseKubeconfigYaml(text: string): unknown {
  try {
    return parseDocument(text)
  } catch (err) {
    if (err instanceof Bail) return undefined
    throw err
  }
}

function bail(): never {
  throw new Bail()
}

function parseDocument(text: string): Value {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const lines: Line[] = []
  for (const raw of text.split(/\r?\n/)) {
    if (raw.includes('\t') || raw.includes('\r')) bail()
    const trimmed = raw.trimStart()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) bail()
    lines.push({indent: raw.length - trimmed.length, text: trimmed.trimEnd()})
  }
  if (lines.length === 0) return null
  if (lines[0]!.indent !== 0) bail()
  const pos = {i: 0}
  const value = parseBlock(lines, pos, 0)
  if (pos.i !== lines.length) bail()
  return value
}

/** A block node (mapping or sequence) whose lines start at `indent`. */
function parseBlock(lines: Line[], pos: {i: number}, indent: number): Value {
  const first = lines[pos.i]!
  if (first.indent !== indent) bail()
  if (first.text === '-' || first.text.startsWith('- ')) return parseSequence(lines, pos, indent)
  return parseMapping(lines, pos, indent, undefined)
}

function parseSequence(lines: Line[], pos: {i: number}, indent: number): Value[] {
  const out: Value[] = []
  while (pos.i < lines.length) {
    const line = lines[pos.i]!
    if (line.indent < indent) break
    if (line.indent > indent) bail()
    if (!(line.text === '-' || line.text.startsWith('- '))) break
    const rest = line.text.slice(1).trimStart()
    if (rest === '') {
      pos.i++
      const next = lines[pos.i]
      if (!next || next.indent <= indent) out.push(null)
      else out.push(parseBlock(lines, pos, next.indent))
      continue
    }
    if (rest === '-' || rest.startsWith('- ')) bail() // nested sequences on one line
    const itemIndent = indent + (line.text.length - rest.length)
    if (splitKey(rest)) {
      // `- key: value` opens a mapping whose keys line up with `key`.
      out.push(parseMapping(lines, pos, itemIndent, rest))
    } else {
      out.push(scalar(rest))
      pos.i++
      const next = lines[pos.i]
      if (next && next.indent > indent) bail() // a multi-line scalar
    }
  }
  return out
}

/** `key: rest` → [key, rest]; undefined when the text is not a mapping entry. */
function splitKey(text: string): [string, string] | undefined {
  let key: string
  let after: string
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = quotedEnd(text)
    key = quoted(text.slice(0, end + 1))
    after = text.slice(end + 1)
    if (!after.startsWith(':')) return undefined
  } else {
    const m = /^([A-Za-z0-9_][A-Za-z0-9_.\/-]*):(?: |$)/.exec(text)
    if (!m) {
      if (/^[^'"\s]*:(?: |$)/.test(text)) bail() // a key this parser does not read
      return undefined
    }
    key = m[1]!
    after = text.slice(m[1]!.length)
  }
  if (after !== ':' && !after.startsWith(': ')) bail()
  return [key, after.slice(1).trim()]
}

/**
 * A mapping at `indent`. `firstText` is the text of its first entry when it follows a sequence dash
 * on the same line (then that line is lines[pos.i] itself).
 */
function parseMapping(lines: Line[], pos: {i: number}, indent: number, firstText: string | undefined): {[key: string]: Value} {
  const out: {[key: string]: Value} = {}
  let first = firstText !== undefined
  while (pos.i < lines.length) {
    const line = lines[pos.i]!
    let text: string
    if (first) {
      text = firstText!
      first = false
    } else {
      if (line.indent < indent) break
      if (line.indent > indent) bail()
      text = line.text
      if (text === '-' || text.startsWith('- ')) break
    }
    const entry = splitKey(text)
    if (!entry) bail()
    const [key, rest] = entry
    if (Object.hasOwn(out, key) || key === '__proto__' || key === '<<') bail()
    if (NULL.test(key) || TRUE.test(key) || FALSE.test(key) || INT.test(key) || OTHER_NUMBER.test(key)) bail() // keys yaml would not keep as written
    pos.i++
    if (rest !== '') {
      out[key] = scalar(rest)
      const next = lines[pos.i]
      if (next && next.indent > indent) bail() // a multi-line scalar
      continue
    }
    const next = lines[pos.i]
    if (next && next.indent > indent) out[key] = parseBlock(lines, pos, next.indent)
    else if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) out[key] = parseSequence(lines, pos, indent)
    else out[key] = null
  }
  return out
}

function scalar(text: string): Value {
  if (text === '{}') return {}
  if (text === '[]') return []
  const c = text[0]!
  if (c === '"' || c === "'") {
    const end = quotedEnd(text)
    if (end !== text.length - 1) bail()
    return quoted(text)
  }
  // Indicators that start something other than a plain scalar, and plain scalars with a comment or
  // a mapping separator inside.
  if ('?:,[]{}#&*!|>%@`'.includes(c) || text === '-' || text.startsWith('- ')) bail()
  if (text.includes(' #') || text.includes(': ') || text.endsWith(':')) bail()
  if (NULL.test(text)) return null
  if (TRUE.test(text)) return true
  if (FALSE.test(text)) return false
  if (INT.test(text)) {
    const n = Number(text)
    if (!/^-?(?:0|[1-9][0-9]*)$/.test(text) || Object.is(n, -0) || !Number.isSafeInteger(n)) bail()
    return n
  }
  if (OTHER_NUMBER.test(text)) bail()
  return text
}

/** Index of the closing quote of the quoted scalar at the start of `text`. */
function quotedEnd(text: string): number {
  const q = text[0]!
  for (let i = 1; i < text.length; i++) {
    const c = text[i]
    if (q === '"' && c === '\\') {
      i++
      continue
    }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        i++
        continue
      }
      return i
    }
  }
  return bail()
}

const ESCAPES: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f'}

function quoted(token: string): string {
  const body = token.slice(1, -1)
  if (token[0] === "'") return body.replaceAll("''", "'")
  return body.replace(/\\(.)/g, (_m, c: string) => ESCAPES[c] ?? bail())
}

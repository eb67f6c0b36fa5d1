/**
 * One-shot status on a terminal: the plain renderer's text cut to the terminal's width, each long
 * line ending in '…', which is what Ink's `wrap="truncate-end"` draws for the same sections (the
 * views test that the Ink and plain texts agree) without loading Ink and React (most of a second).
 * `--watch` keeps the live Ink view.
 */

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/y

/** Columns a code point takes in a terminal: 0 for combining marks and controls, 2 for wide ones. */
function cellWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  if ((cp >= 0x300 && cp < 0x370) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2
  }
  return 1
}

/** The line cut to `columns` cells (the last one '…') when it is wider; colours closed. */
export function fitLine(line: string, columns: number): string {
  let width = 0
  for (let i = 0; i < line.length; ) {
    SGR.lastIndex = i
    const m = SGR.exec(line)
    if (m) {
      i += m[0].length
      continue
    }
    const cp = line.codePointAt(i)!
    width += cellWidth(cp)
    i += cp > 0xffff ? 2 : 1
  }
  if (width <= columns) return line
  if (columns < 1) return ''
  let out = ''
  let used = 0
  let styled = false
  for (let i = 0; i < line.length; ) {
    SGR.lastIndex = i
    const m = SGR.exec(line)
    if (m) {
      out += m[0]
      styled = true
      i += m[0].length
      continue
    }
    const cp = line.codePointAt(i)!
    const w = cellWidth(cp)
    if (used + w > columns - 1) break
    out += String.fromCodePoint(cp)
    used += w
    i += cp > 0xffff ? 2 : 1
  }
  return `${out}…${styled ? '\u001b[0m' : ''}`
}

export function fitToWidth(text: string, columns: number): string {
  return text
    .split('\n')
    .map((l) => fitLine(l, columns))
    .join('\n')
}

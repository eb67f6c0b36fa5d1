/**
 * One-shot status on a terminal: the plain renderer's text cut to the terminal's width, each long
 * line ending in '…', which is what Ink's `wrap="truncate-end"` draws for the same sections (the
 * views test that the Ink and plain texts agree) without loading Ink and React (most of a second).
 * The cut is Ink's own: cli-truncate, which Ink calls for `truncate-end`. `--watch` keeps the live
 * Ink view.
 */
import cliTruncate from 'cli-truncate'

/** The line cut to `columns` cells (the last one '…') when it is wider; colours kept balanced. */
export function fitLine(line: string, columns: number): string {
  if (columns < 1) return ''
  return cliTruncate(line, columns, {position: 'end'})
}

export function fitToWidth(text: string, columns: number): string {
  return text
    .split('\n')
    .map((l) => fitLine(l, columns))
    .join('\n')
}

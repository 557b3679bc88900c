/**
 * A code frame: the line a message points at, numbered, with a caret under
 * its column, and a line either side. Columns in messages count UTF-16 code
 * units from 1 (as micromark and yaml count them); the caret is placed by
 * what a terminal shows: a tab runs to the next multiple of four, a wide or
 * emoji character takes two cells, a combining mark none.
 */
import stringWidth from 'string-width'

export interface Place {
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
}

export interface FrameOptions {
  /** Lines shown either side of the line pointed at (default 1). */
  context?: number
  /** Display cells a source line may take before it is cut around the caret (default 100). */
  maxWidth?: number
  /** Styles for the gutter and the caret (default: none). */
  dim?: (text: string) => string
  mark?: (text: string) => string
  /** Text after the caret (a suggestion), already styled. */
  label?: string
}

const TAB = 4

/** One grapheme of a line as shown: the UTF-16 indexes in the line it stands for, its text and width. */
interface Cell {
  index: number
  end: number
  text: string
  width: number
}

const segmenter = new Intl.Segmenter('en', {granularity: 'grapheme'})

/**
 * What may not reach the terminal as it is: control characters (an escape
 * sequence in a paper must not restyle or rewrite the operator's terminal),
 * bidirectional marks, overrides and isolates (they would reorder what is
 * shown), and lone surrogates. Each is shown as `<U+XXXX>`.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u

const codePoint = (char: string) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`

/** `text` with what may not reach the terminal shown as `<U+XXXX>` (for reasons and paths, which can quote a paper). */
export function visible(text: string): string {
  return UNSAFE.test(text) ? [...text].map((char) => (UNSAFE.test(char) ? codePoint(char) : char)).join('') : text
}

function cells(line: string): Cell[] {
  const out: Cell[] = []
  let column = 0
  for (const {segment, index} of segmenter.segment(line)) {
    let text = segment
    let width: number
    if (segment === '\t') {
      width = TAB - (column % TAB)
      text = ' '.repeat(width)
    } else {
      text = visible(segment)
      width = stringWidth(text)
    }
    out.push({index, end: index + segment.length, text, width})
    column += width
  }
  return out
}

/** The display column (from 0) of the grapheme holding the code unit at `index` (from 0), or of the line's end. */
function displayColumn(row: Cell[], index: number): number {
  let column = 0
  for (const cell of row) {
    if (cell.end > index) break
    column += cell.width
  }
  return column
}

function render(row: Cell[], from: number, to: number): string {
  let text = from > 0 ? '…' : ''
  let column = 0
  let cut = false
  for (const cell of row) {
    const start = column
    column += cell.width
    if (start < from) continue
    if (column > to) {
      cut = true
      break
    }
    text += cell.text
  }
  return cut ? text + '…' : text
}

/**
 * The frame for a message at `place` in `source`, as lines without line
 * endings, or nothing when the place is not a line of the source.
 */
export function codeFrame(source: string, place: Place, options: FrameOptions = {}): string[] | undefined {
  const {context = 1, maxWidth = 100, dim = (s: string) => s, mark = (s: string) => s, label} = options
  if (place.line == null) return undefined
  const lines = source.replace(/^\ufeff/, '').split('\n')
  const line = place.line
  if (line < 1 || line > lines.length) return undefined
  const text = (n: number) => lines[n - 1].replace(/\r$/, '')
  const row = cells(text(line))
  const lineLength = text(line).length
  const startIndex = Math.min(Math.max(0, (place.column ?? 1) - 1), lineLength)
  let endIndex = startIndex + 1
  if (place.endLine === line && place.endColumn != null && place.endColumn - 1 > startIndex) endIndex = Math.min(place.endColumn - 1, lineLength)
  else if (place.endLine != null && place.endLine > line) endIndex = Math.max(startIndex + 1, text(line).trimEnd().length)
  const caret = displayColumn(row, startIndex)
  const underline = Math.max(1, displayColumn(row, endIndex) - caret)

  // A long line is cut to a window around the caret.
  const total = row.reduce((sum, cell) => sum + cell.width, 0)
  const from = total <= maxWidth ? 0 : Math.max(0, Math.min(caret - Math.floor(maxWidth / 3), total - maxWidth))
  const to = from + maxWidth
  const shift = from > 0 ? from - 1 : 0

  const first = Math.max(1, line - context)
  const last = Math.min(lines.length, line + context)
  const gutter = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    const shown = n === line ? render(row, from, to) : render(cells(text(n)), from, to)
    out.push(`${n === line ? mark('>') : ' '} ${dim(`${String(n).padStart(gutter)} |`)}${shown ? ' ' + shown : ''}`)
    if (n === line) {
      const width = Math.min(underline, Math.max(1, to - caret))
      out.push(`  ${dim(`${' '.repeat(gutter)} |`)} ${' '.repeat(caret - shift)}${mark('^'.repeat(width))}${label ? ' ' + label : ''}`)
    }
  }
  return out
}

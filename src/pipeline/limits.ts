/**
 * Limits that keep absurd input from hanging or crashing the build.
 *
 * - Nesting depth: at most `MAX_DEPTH` levels of quotes, lists, footnote
 *   definitions, sensitive blocks and spans, emphasis, strikethrough and links
 *   inside one another. Deeper is the error `nesting-too-deep` at the first
 *   node too deep (the tree is cut there, so no later step recurses into it).
 * - Before parsing: the parser itself (micromark) takes time quadratic in some
 *   nesting (10,000 nested list markers on one line took minutes), so a cheap
 *   linear scan of the source refuses input nested far beyond any paper
 *   (`SCAN_LIMIT`) before it is parsed, with the same rule id.
 * - GFM footnote calls written as `![^1]`: the parser looks back over the
 *   whole paragraph at every `]`, quadratic on a run of `]`; the look-back is
 *   bounded to what a footnote label can span.
 *
 * - Long papers: parsed in pieces (pieces.ts), so the parser's memory and
 *   its steps that rewrite every event so far stay within one piece.
 *
 * Installed by `remarkCheckDirectives` (the first checking step of both the
 * public and the preview pipeline), after `remark-parse` and the GFM and
 * directive syntax.
 */
import type {Nodes, Root} from 'mdast'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import {installPieces} from './pieces.js'

/** Levels of nesting a paper may use (see `NESTING_KINDS`). */
export const MAX_DEPTH = 32

/** Nesting refused before parsing: far beyond `MAX_DEPTH`, well before the parser slows down. */
export const SCAN_LIMIT = 128

/** Nested `:::` blocks refused before parsing (each open block is checked on every later line). */
export const FENCE_SCAN_LIMIT = 64

/** The node types that count as one level of nesting. */
export const NESTING_KINDS = new Set([
  'blockquote',
  'list',
  'footnoteDefinition',
  'containerDirective',
  'leafDirective',
  'textDirective',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference'
])

const MESSAGE = `Nesting too deep: at most ${MAX_DEPTH} levels of quotes, lists, footnotes, withheld blocks and spans, emphasis, brackets and links may sit inside one another. Simplify the structure here`

interface Refusal {
  line: number
  column: number
  what: string
}

/**
 * Install the limits on a processor: the source scan runs before the parser,
 * and the footnote-call look-back is bounded. Returns the depth check to run
 * first on the tree; it returns false when the paper was refused here.
 */
export function installLimits(processor: Processor): (tree: Root, file: VFile) => boolean {
  const self = processor as unknown as {parser?: (document: string, file: VFile) => Root}
  const parse = self.parser
  if (parse && !(parse as {limited?: boolean}).limited) {
    // Long papers are parsed in pieces (see pieces.ts).
    const parseInPieces = installPieces(processor)
    const limited = (document: string, file: VFile): Root => {
      const refusal = scanSource(document)
      if (refusal) {
        fail(file, `${MESSAGE} (${refusal.what})`, {line: refusal.line, column: refusal.column}, 'nesting-too-deep')
        return {type: 'root', children: [], data: {refused: true} as never}
      }
      return parseInPieces(parse, document, file)
    }
    ;(limited as {limited?: boolean}).limited = true
    self.parser = limited
  }
  boundFootnoteCalls(processor)
  return (tree, file) => {
    if ((tree.data as {refused?: boolean} | undefined)?.refused) return false
    return checkDepth(tree, file)
  }
}

/**
 * Depth check without recursion: the first node nested more than `MAX_DEPTH`
 * deep is an error, and every such node loses its children so that no later
 * (recursive) step can overflow the stack.
 */
export function checkDepth(tree: Root, file: VFile): boolean {
  let ok = true
  const stack: Array<[Nodes, number]> = [[tree, 0]]
  while (stack.length > 0) {
    const [node, outer] = stack.pop()!
    const depth = NESTING_KINDS.has(node.type) ? outer + 1 : outer
    if (depth > MAX_DEPTH) {
      if (ok) fail(file, MESSAGE, node.position?.start ?? {line: 1, column: 1}, 'nesting-too-deep')
      ok = false
      if ('children' in node) (node as {children: Nodes[]}).children = []
      continue
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as Nodes, depth])
  }
  return ok
}

/**
 * A linear scan of the source for nesting far beyond any paper, before the
 * parser sees it. Deliberately rough (it does not know code blocks, so it
 * counts in them too); the exact rule is `checkDepth` on the parsed tree.
 * Counts, for each line, the quote and list markers and footnote labels it
 * starts with; across lines, the `:::` blocks left open; within a paragraph
 * (lines up to a blank one), the depth of matched brackets and an estimate
 * of emphasis nesting.
 */
export function scanSource(source: string): Refusal | undefined {
  let fences = 0
  let inline = new InlineScan()
  // Content columns of the containers open at the end of the previous line
  // (list items, quotes, footnotes), innermost last.
  const containers: number[] = []
  let lineStart = 0
  for (let line = 1; lineStart <= source.length; line++) {
    let lineEnd = source.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = source.length
    let i = lineStart
    let column = 0
    const skipSpace = () => {
      for (; i < lineEnd && (source[i] === ' ' || source[i] === '\t'); i++) column = source[i] === '\t' ? column + 4 - (column % 4) : column + 1
    }
    skipSpace()
    const blank = i === lineEnd
    // A line indented less than a container's content is outside it (lazy
    // lines aside, which open nothing). Blank lines end nothing.
    if (!blank) while (containers.length > 0 && containers.at(-1)! > column) containers.pop()
    // Containers this line opens.
    for (;;) {
      const marker = containerMarker(source, i, lineEnd)
      if (marker === 0) break
      if (containers.length >= SCAN_LIMIT) {
        // A line of dashes or stars with spaces is a thematic break, not lists.
        if (thematicBreak(source, i, lineEnd)) break
        return {line, column: i - lineStart + 1, what: `more than ${SCAN_LIMIT} quotes, lists or footnotes open at once`}
      }
      const kind = source[i]
      const start = column
      i += marker
      column += marker
      const after = column
      skipSpace()
      // The column its content starts at, which later lines must reach.
      if (kind === '>') containers.push(after + (column > after ? 1 : 0))
      else if (kind === '[') containers.push(start + 4)
      else containers.push(column - after > 4 || i === lineEnd ? after + 1 : column)
    }
    // Directive fences: `:::name` opens, `:::` alone closes.
    let colons = 0
    while (i + colons < lineEnd && source[i + colons] === ':') colons++
    if (colons >= 3) {
      let rest = i + colons
      while (rest < lineEnd && (source[rest] === ' ' || source[rest] === '\t')) rest++
      if (rest === lineEnd) fences = Math.max(0, fences - 1)
      else if (rest === i + colons && ++fences > FENCE_SCAN_LIMIT) {
        return {line, column: i - lineStart + 1, what: `more than ${FENCE_SCAN_LIMIT} \`:::\` blocks open at once`}
      }
    }
    // Inline nesting, per paragraph.
    if (i === lineEnd) inline = new InlineScan()
    else {
      const refusal = inline.scan(source, i, lineEnd)
      if (refusal !== undefined) {
        return {line, column: refusal - lineStart + 1, what: `more than ${SCAN_LIMIT} brackets or emphasis marks nested in one paragraph`}
      }
    }
    lineStart = lineEnd + 1
  }
  return undefined
}

/** Length of the container marker at `i` (`>`, `-`, `1.`, `[^x]:`), or 0. */
function containerMarker(source: string, i: number, end: number): number {
  const c = source[i]
  if (c === '>') return 1
  const spaceAfter = (at: number) => at >= end || source[at] === ' ' || source[at] === '\t'
  if ((c === '-' || c === '*' || c === '+') && spaceAfter(i + 1)) return 1
  let digits = 0
  while (digits < 10 && i + digits < end && source.charCodeAt(i + digits) >= 0x30 && source.charCodeAt(i + digits) <= 0x39) digits++
  if (digits > 0 && digits <= 9 && (source[i + digits] === '.' || source[i + digits] === ')') && spaceAfter(i + digits + 1)) return digits + 1
  if (c === '[' && source[i + 1] === '^') {
    // A footnote label: no whitespace or `[`, at most 1,000 characters.
    for (let j = i + 2; j < end && j < i + 1004; j++) {
      const d = source[j]
      if (d === ']') return source[j + 1] === ':' && j > i + 2 ? j + 2 - i : 0
      if (d === '[' || d === ' ' || d === '\t') return 0
    }
  }
  return 0
}

/** Whether the rest of the line from `i` is a thematic break (`- - -`, `* * *`). */
function thematicBreak(source: string, i: number, end: number): boolean {
  const c = source[i]
  if (c !== '-' && c !== '*' && c !== '_') return false
  for (let j = i; j < end; j++) if (source[j] !== c && source[j] !== ' ' && source[j] !== '\t') return false
  return true
}

/**
 * Bracket and emphasis nesting in one paragraph, in linear time. Brackets: the
 * depth of matched `[`...`]` pairs (an unmatched `[` or `]` is text, and does
 * not count). Emphasis: CommonMark's delimiter matching, roughly (flanking by
 * the neighbouring characters, no rule of three), each matched pair of runs
 * counting one level per two characters.
 */
class InlineScan {
  /** Open `[`: the deepest matched nesting closed inside each so far. */
  private brackets: number[] = []
  /** Open emphasis runs: marker, length left, deepest nesting inside. */
  private runs: Array<{marker: string; length: number; inside: number}> = []
  private open: Record<string, number> = {'*': 0, _: 0, '~': 0}

  /** Scan `source[from, to)`; the offset where nesting passes the limit, if it does. */
  scan(source: string, from: number, to: number): number | undefined {
    for (let i = from; i < to; i++) {
      const c = source[i]
      if (c === '\\') {
        i++
        continue
      }
      if (c === '[') this.brackets.push(0)
      else if (c === ']' && this.brackets.length > 0) {
        const height = this.brackets.pop()! + 1
        if (height > SCAN_LIMIT) return i
        if (this.brackets.length > 0) this.brackets[this.brackets.length - 1] = Math.max(this.brackets.at(-1)!, height)
      } else if (c === '*' || c === '_' || c === '~') {
        let end = i
        while (end < to && source[end] === c) end++
        const height = this.delimiter(c, end - i, source[i - 1], end < to ? source[end] : '\n')
        if (height > SCAN_LIMIT) return i
        i = end - 1
      }
    }
    return undefined
  }

  private delimiter(marker: string, length: number, before: string | undefined, after: string): number {
    const space = (c: string | undefined) => c === undefined || /\s/.test(c)
    const punctuation = (c: string | undefined) => c !== undefined && /[\p{P}\p{S}]/u.test(c)
    const left = !space(after) && (!punctuation(after) || space(before) || punctuation(before))
    const right = !space(before) && (!punctuation(before) || space(after) || punctuation(after))
    let height = 0
    let rest = length
    if (right && this.open[marker] > 0) {
      let inside = 0
      while (rest > 0 && this.open[marker] > 0) {
        const top = this.runs.at(-1)!
        if (top.marker !== marker) {
          // Openers between the closer and its opener can no longer match.
          this.runs.pop()
          this.open[top.marker]--
          inside = Math.max(inside, top.inside)
          continue
        }
        const used = Math.min(top.length, rest)
        height = Math.max(inside, top.inside) + Math.ceil(used / 2)
        top.length -= used
        rest -= used
        if (top.length > 0) top.inside = height
        else {
          this.runs.pop()
          this.open[marker]--
          inside = height
          if (this.runs.length > 0) this.runs.at(-1)!.inside = Math.max(this.runs.at(-1)!.inside, height)
        }
      }
    }
    if (left && rest > 0) {
      this.runs.push({marker, length: rest, inside: 0})
      this.open[marker]++
    }
    return height
  }
}

/**
 * Bound the look-back of GFM's `![^label]` footnote call. The original walks
 * back over every event of the paragraph at each `]` (quadratic on a run of
 * `]`); an opening further back than a footnote label can span (1,000
 * characters, no whitespace) can never make a call, so stopping there gives
 * the same parse. (Save one case no paper writes: a label followed by a
 * thousand spaces before its `]`, which the original trims away; here that
 * stays text, and its footnote is then unused and dropped.)
 */
function boundFootnoteCalls(processor: Processor): void {
  const extensions = (processor.data() as {micromarkExtensions?: unknown[]}).micromarkExtensions ?? []
  const seen = new Set<unknown>()
  const visitExtension = (extension: unknown): void => {
    if (!extension || typeof extension !== 'object' || seen.has(extension)) return
    seen.add(extension)
    if (Array.isArray(extension)) return extension.forEach(visitExtension)
    const text = (extension as {text?: Record<number, unknown>}).text
    const constructs = text?.[93]
    for (const construct of Array.isArray(constructs) ? constructs : constructs ? [constructs] : []) {
      const c = construct as {name?: string; tokenize: Tokenizer; bounded?: boolean}
      if (c.name !== 'gfmPotentialFootnoteCall' || c.bounded) continue
      c.tokenize = boundedPotentialFootnoteCall(c.tokenize)
      c.bounded = true
    }
  }
  extensions.forEach(visitExtension)
}

type Tokenizer = (this: TokenizeContext, effects: unknown, ok: unknown, nok: (code: number | null) => unknown) => (code: number | null) => unknown
interface TokenizeContext {
  events: Array<[string, {type: string; start: {offset: number}}]>
  now(): {offset: number}
}

/** How far back (in characters) an `![` can start and still make a footnote call. */
const FOOTNOTE_CALL_SPAN = 1010

function boundedPotentialFootnoteCall(original: Tokenizer): Tokenizer {
  const stops = new Set(['labelImage', 'gfmFootnoteCall', 'labelLink', 'label', 'image', 'link'])
  return function (this: TokenizeContext, effects, ok, nok) {
    // The original looks for the nearest of these tokens, going back; if
    // none lies within reach, the call cannot succeed: fail at once.
    const events = this.events
    const floor = this.now().offset - FOOTNOTE_CALL_SPAN
    for (let index = events.length - 1; index >= 0; index--) {
      const token = events[index][1]
      if (stops.has(token.type)) return original.call(this, effects, ok, nok)
      if (token.start.offset < floor) break
    }
    return nok
  }
}

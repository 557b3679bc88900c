/**
 * Parse a long paper in pieces, with the same tree as parsing it whole.
 *
 * Why: the parser (micromark) keeps every event of the document until it
 * builds the tree, about 250 bytes for each byte of a paper, and some of its
 * steps rewrite all events so far at each construct (a setext heading copies
 * the whole list of events: quadratic). A build with a 3 MB paper peaked at
 * 2 GiB; 6,000 setext headings took 9 times as long as 6,000 ATX ones.
 * Parsed in pieces of `PIECE_SIZE`, memory is bounded by a piece and those
 * steps are quadratic only within one.
 *
 * A piece ends where nothing is open: before a line that follows a blank line
 * and starts, unindented, with a letter, a digit (not a list marker) or `#`.
 * After a blank line such a line closes every paragraph, table, list, quote
 * and footnote (none continues without indentation or a marker), so the
 * parser starts afresh there, as it does at the start of a document. Only
 * three things run on through it: a fenced code block, a raw HTML block of
 * the kinds that end at a closing tag (`<pre>`, `<!--`, ...) and a `:::`
 * block. Parsed alone, a piece that ends inside one of them ends it at the
 * end of the piece, past the blank line, so a piece is kept only when its
 * last block ends before its trailing blank lines; otherwise the rest of the
 * paper is parsed as one piece. Positions are shifted to the whole paper.
 *
 * What the parser shares across the whole document is the set of link and
 * footnote definitions (a reference resolves against a definition anywhere).
 * Each piece is parsed with the definitions of the whole paper: first those
 * a scan of the source finds, then, if the tree shows other ones, parsed
 * again with exactly those. A small micromark construct tried at every `[`
 * and `]` (before any reference is looked up) puts the set on the parser.
 * A definition inside a `:::` block is seen only by the references the
 * parser reads after it, which no one set says: such a paper is parsed
 * whole.
 *
 * `tests/speed/pieces.test.ts` checks the tree equals the whole parse, to
 * the positions, on every fixture and the CommonMark examples with tiny
 * pieces.
 */
import type {Nodes, Root} from 'mdast'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'

/** Papers longer than twice this are parsed in pieces of at least this many characters. */
export const PIECE_SIZE = 8 * 1024

type Parse = (document: string, file: VFile) => Root

/** The definitions of a whole paper, lower-cased identifiers as in the tree. */
interface Definitions {
  links: Set<string>
  footnotes: Set<string>
}

/** What the parser looks references up in: `includes` and `push` are all micromark uses. */
class Lookup {
  constructor(private readonly known: Set<string>) {}
  includes(identifier: string): boolean {
    return this.known.has(identifier.toLowerCase())
  }
  push(): number {
    // The set is the whole paper's already.
    return this.known.size
  }
}

interface ParserState {
  defined: unknown
  gfmFootnotes?: unknown
  mopacSeeded?: boolean
}

/**
 * Install piece parsing on a processor (remark-parse, GFM and directives
 * already attached). Returns the parser to call instead of the processor's
 * own: `parse(document, file)`, or in pieces when the document is long.
 */
export function installPieces(processor: Processor): (parse: Parse, document: string, file: VFile, pieceSize?: number) => Root {
  const state: {definitions?: Definitions} = {}
  const seed = {
    partial: true,
    tokenize(this: {parser: ParserState}, _effects: unknown, _ok: unknown, nok: (code: number | null) => unknown) {
      const definitions = state.definitions
      if (definitions && !this.parser.mopacSeeded) {
        this.parser.defined = new Lookup(definitions.links)
        this.parser.gfmFootnotes = new Lookup(definitions.footnotes)
        this.parser.mopacSeeded = true
      }
      return nok
    }
  }
  const data = processor.data() as {micromarkExtensions?: unknown[]}
  const extension = {text: {91: seed, 93: seed}}
  const extensions = (data.micromarkExtensions ??= [])
  extensions.push(extension)

  return (parse, document, file, pieceSize = PIECE_SIZE) => {
    const starts = pieceStarts(document, pieceSize)
    if (starts.length === 1) return parse(document, file)
    // Why last: the constructs of later extensions are tried first, and the
    // seed must be tried before any construct that looks a reference up.
    if (extensions.at(-1) !== extension) {
      extensions.splice(extensions.indexOf(extension), 1)
      extensions.push(extension)
    }
    let definitions = scanDefinitions(document)
    for (let attempt = 0; attempt < 2; attempt++) {
      state.definitions = definitions
      try {
        const tree = parsePieces(parse, document, file, starts)
        const found = treeDefinitions(tree)
        // Why whole: a definition inside a `:::` block is parsed after the
        // text around the block, so references before it do not see it:
        // not one set for the whole paper.
        if (found.nested) break
        if (sameSet(found.links, definitions.links) && sameSet(found.footnotes, definitions.footnotes)) return tree
        definitions = found
      } finally {
        state.definitions = undefined
      }
    }
    // A definition inside a `:::` block, or the definitions found changed
    // again (cannot happen: they do not depend on the set): parse whole
    // rather than guess.
    return parse(document, file)
  }
}

/** Offsets where pieces start: 0, then lines where nothing can be open (see above), `size` apart at least. */
export function pieceStarts(source: string, size: number): number[] {
  const starts = [0]
  if (source.length <= 2 * size) return starts
  let previousBlank = false
  for (let start = 0; start < source.length; ) {
    let end = source.indexOf('\n', start)
    if (end === -1) end = source.length
    const blank = isBlank(source, start, end)
    if (previousBlank && start - starts.at(-1)! >= size && source.length - start >= size && startsPiece(source, start, end)) starts.push(start)
    previousBlank = blank
    start = end + 1
  }
  return starts
}

function isBlank(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (source[i] !== ' ' && source[i] !== '\t') return false
  return true
}

/** A line that, after a blank line, can continue nothing: unindented letter, digit (not a list marker) or `#`. */
function startsPiece(source: string, start: number, end: number): boolean {
  const c = source.charCodeAt(start)
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
  if (letter || c === 0x23) return true
  if (c < 0x30 || c > 0x39) return false
  // `1.` or `1)` then a space, a tab or the line's end is an ordered list item.
  let i = start
  while (i < end && i - start < 10 && source.charCodeAt(i) >= 0x30 && source.charCodeAt(i) <= 0x39) i++
  const marker = i - start <= 9 && (source[i] === '.' || source[i] === ')') && (i + 1 >= end || source[i + 1] === ' ' || source[i + 1] === '\t')
  return !marker
}

function parsePieces(parse: Parse, source: string, file: VFile, starts: number[]): Root {
  const children: Root['children'] = []
  let first: Root | undefined
  let last: Root | undefined
  let line = 1
  for (let n = 0; n < starts.length; n++) {
    const from = starts[n]
    let to = n + 1 < starts.length ? starts[n + 1] : source.length
    const text = source.slice(from, to)
    let tree = parse(text, file)
    if (to < source.length && !closedBefore(tree, text)) {
      // Something runs on past the piece's end (a code block, raw HTML or a
      // `:::` block left open): parse the rest as one piece.
      to = source.length
      tree = parse(source.slice(from), file)
    }
    if (n > 0) shift(tree, line - 1, from)
    first ??= tree
    last = tree
    children.push(...tree.children)
    if (to === source.length) break
    line += countLines(text)
  }
  const root: Root = {type: 'root', children}
  if (first?.position && last?.position) root.position = {start: first.position.start, end: last.position.end}
  return root
}

function countLines(text: string): number {
  let lines = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++
  return lines
}

/** Whether the last block of a piece ends before the piece's trailing blank lines. */
function closedBefore(tree: Root, text: string): boolean {
  const lastChild = tree.children.at(-1)
  if (!lastChild) return true
  // The line ending after the last line that is not blank.
  let i = text.length - 1
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) i--
  const contentEnd = text.indexOf('\n', i)
  const end = lastChild.position?.end.offset
  return end !== undefined && contentEnd !== -1 && end <= contentEnd
}

/** Move every position of a piece's tree by `lines` lines and `offset` characters (columns stay). */
function shift(tree: Root, lines: number, offset: number): void {
  const done = new WeakSet<object>()
  const move = (point: {line: number; offset?: number} | undefined) => {
    if (!point || done.has(point)) return
    done.add(point)
    point.line += lines
    if (point.offset !== undefined) point.offset += offset
  }
  const stack: Nodes[] = [tree]
  while (stack.length > 0) {
    const node = stack.pop()!
    move(node.position?.start)
    move(node.position?.end)
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes)
  }
}

/** Link and footnote definitions written at the start of a line (after quote and list markers), as a first guess. */
function scanDefinitions(source: string): Definitions {
  const links = new Set<string>()
  const footnotes = new Set<string>()
  for (const match of source.matchAll(/^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*\[(\^)?((?:\\[^\n]|[^\\[\]\n])+)\]:/gm)) {
    const identifier = normalize(match[2])
    if (!identifier) continue
    if (match[1]) footnotes.add(identifier)
    else links.add(identifier)
  }
  return {links, footnotes}
}

/** micromark's `normalizeIdentifier`, lower-cased as the tree's `identifier`. */
function normalize(label: string): string {
  return label
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
}

/** The definitions in a tree (their identifiers are lower-cased by the parser); `nested`: one is inside a `:::` block. */
function treeDefinitions(tree: Root): Definitions & {nested: boolean} {
  const links = new Set<string>()
  const footnotes = new Set<string>()
  let nested = false
  const stack: Array<[Nodes, boolean]> = [[tree, false]]
  while (stack.length > 0) {
    const [node, inBlock] = stack.pop()!
    if (node.type === 'definition') links.add(node.identifier)
    else if (node.type === 'footnoteDefinition') footnotes.add(node.identifier)
    if (inBlock && (node.type === 'definition' || node.type === 'footnoteDefinition')) nested = true
    const inside = inBlock || node.type === 'containerDirective'
    if ('children' in node) for (const child of node.children) stack.push([child as Nodes, inside])
  }
  return {links, footnotes, nested}
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false
  for (const value of a) if (!b.has(value)) return false
  return true
}

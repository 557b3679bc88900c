/**
 * remark plugin: check every directive. `official-sensitive` is the only
 * directive papers may use; it must state its ground. Anything else that looks
 * like a directive is a typo, not content (`:::oficial-sensitive`), except a
 * bare `:word` in prose, which is turned back into text.
 */
import type {Nodes, Root, Parent, Text} from 'mdast'
import type {Node} from 'unist'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import type {Processor} from 'unified'
import {toString, SKIP} from '../vendor/index.js'
import type {VFile} from 'vfile'
import {parseExemption, splitExemptions} from '../content/exemptions.js'
import {fail} from '../content/messages.js'
import {closest, didYouMean, suggestExemption} from '../content/suggest.js'
import {foldForChecks, hasSensitiveSyntax} from '../content/markings.js'
import './data.js'
import {installLimits} from './limits.js'
import {visitSplicing, walk} from './walk.js'
import {kindProblem} from './withheld-kind.js'

export const SENSITIVE = 'official-sensitive'

/** The directive `mopac import` leaves where it dropped or was unsure of something (`::import-unresolved[...]`): always an error. */
export const IMPORT_MARKER = 'import-unresolved'

/** An import marker's label, on one line and cut short. */
function importLabel(directive: Directive): string {
  const label = toString(directive).replace(/\s+/g, ' ').trim()
  return label.length > 200 ? `${label.slice(0, 197)}...` : label || 'see the Word file'
}

type Directive = ContainerDirective | LeafDirective | TextDirective

/** The exemptions a sensitive node resolved to, set by this plugin. */
export function directiveExemptions(node: Directive): string[] {
  return ((node.data as {exemptions?: string[]} | undefined)?.exemptions) ?? []
}


export default function remarkCheckDirectives(this: Processor) {
  // Why here: this is the first checking step of both the public and the
  // preview pipeline, so both get the limits (see limits.ts).
  const limits = installLimits(this)
  return function (tree: Root, file: VFile) {
    // A paper nested too deep is refused, and its tree cut, before anything
    // below walks it.
    if (!limits(tree, file)) return
    const source = String(file.value)
    const lines = new Lines(source)

    // Why: `::: official-sensitive` (a space after the colons), a block inside
    // raw HTML, or an escaped colon leave the material as ordinary text, which
    // would be published. Refuse rather than guess.
    // Ranges of the source that parsed as sensitive directives (in document
    // order, none inside another): everything else must not hold sensitive
    // syntax.
    const ranges: Array<[number, number]> = []
    walk(tree, (node) => {
      if (isSensitive(node)) {
        const start = node.position?.start.offset
        const end = node.position?.end.offset
        if (start !== undefined && end !== undefined) ranges.push([start, end])
        return false
      }
      return undefined
    })
    const outsideDirectives = (start: number, end: number) => blankRanges(source, ranges, start, end)

    const unparsed = (node: Node, written: string) => {
      const spaced = spaceAfterColons(written)
      if (spaced) {
        fail(file, `\`${spaced.written}\` has a space after the colons, so it is not read as a directive and its text would be published${didYouMean(spaced.meant)}: write the colons and \`${SENSITIVE}\` together`, node, 'directive-unparsed')
        return
      }
      fail(file, `This looks like \`${SENSITIVE}\` but is not read as a directive, so its text would be published: write \`:::${SENSITIVE}{exemptions="..."}\` at the start of a line (plain colons and hyphen, no space after the colons, not inside HTML, code, image text or a title), or \`:${SENSITIVE}[text]{exemptions="..."}\` inline. Papers cannot show the syntax itself, even in code (see README)`, node, 'directive-unparsed')
    }

    walk(tree, (node) => {
      if (isSensitive(node)) return undefined
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      // Check each leaf block twice: as written (image alt text and titles
      // are flattened in the tree) and as parsed (entities decoded, and a
      // lookalike name that splits the text joined up again).
      const leafBlock = node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || node.type === 'html' || node.type === 'code' || node.type === 'definition'
      if (leafBlock && start !== undefined && end !== undefined) {
        const written = outsideDirectives(start, end)
        if (hasSensitiveSyntax(decodeEntities(written)) || hasSensitiveSyntax(safeDecode(written)) || hasSensitiveSyntax(parsedText(node))) unparsed(node, written)
        // Why: a span's label ends at the first unbalanced \`]\`, even one in
        // code, a link address or HTML; the rest of what the author meant to
        // withhold, with its \`]{exemptions=...}\`, would follow as prose.
        if (!withinRange(ranges, start, end) && labelEndedEarly(node as Parent, source, start, end)) {
          fail(file, 'A withheld span seems to end early: after it comes a `]` with no `[` (or, in the text of a link, its label holds an unclosed code span, `<` or `(`). Its label probably ended at a `]` inside code, a link address or HTML, so the rest would be published. Escape that `]` as `\\]`', node, 'directive-label-early')
        } else if (bracedExemptions(written)) {
          fail(file, '`{exemptions=...}` stands outside any withheld span, so the text it was meant for would be published: put it right after a span\'s label (`:official-sensitive[text]{exemptions="s40"}`) or on a block\'s opening line; if a span\'s label ended early, at a `]` inside code, a link address or HTML, escape that `]` as `\\]`', node, 'directive-label-early')
        }
        return false
      }
      return undefined
    })

    // Why: every line that starts with a fence (three or more colons, in any
    // spelling) must open or close a parsed block. Anything else is a block
    // that closed earlier than written (at a \`:::\` inside code, HTML or a
    // list item), a closing fence with text after it, or a block closed twice:
    // what follows it may be meant withheld.
    const fenceLines = new Set<number>()
    walk(tree, (node) => {
      if (node.type === 'containerDirective' && node.position) fenceLines.add(node.position.start.line).add(node.position.end.line)
    })
    // Stray lines pair up as blocks would: one with a name after its colons
    // (an opening line not read as one) and the next bare one with at least
    // as many colons. The opening line's message spans the pair, so that the
    // closing line's own message reads as following from it.
    const strays: Array<{line: number; column: number; closedBy?: number; closes?: number}> = []
    const opened: Array<{stray: (typeof strays)[number]; colons: number}> = []
    for (let line = 1; line <= lines.count; line++) {
      if (fenceLines.has(line)) continue
      const fence = STRAY_FENCE.exec(foldForChecks(lines.text(line)))
      if (!fence) continue
      // The column of the colons, after any quote and list markers.
      const column = CONTAINER_PREFIX.exec(lines.text(line))![0].length + 1
      const stray: (typeof strays)[number] = {line, column}
      strays.push(stray)
      const colons = fence[1].length
      if (/^[ \t]*[a-z]/i.test(fence[2])) opened.push({stray, colons})
      else if (fence[2].trim() === '' && opened.length > 0 && opened.at(-1)!.colons <= colons) {
        const opening = opened.pop()!.stray
        opening.closedBy = line
        stray.closes = opening.line
      }
    }
    for (const {line, column, closedBy, closes} of strays) {
      if (closedBy !== undefined) {
        fail(file, `A line starting with \`:::\` that opens no block: lines ${line} to ${closedBy}, up to the \`:::\` line that would close it, are not read as withheld. Write \`:::${SENSITIVE}{exemptions="..."}\` with nothing between the colons and the name`, {start: {line, column}, end: {line: closedBy, column: lines.text(closedBy).length + 1}}, 'directive-stray-fence')
      } else if (closes !== undefined) {
        fail(file, `A \`:::\` line that closes no block: the line it would close, line ${closes}, opens none`, {line, column}, 'directive-stray-fence')
      } else {
        fail(file, 'A line starting with `:::` that opens or closes no block: a withheld block ended earlier than written (at a `:::` inside code, HTML or a list item?), was closed twice, or its closing line has text after the colons. Check where each `:::official-sensitive` block ends', {line, column}, 'directive-stray-fence')
      }
    }

    visitSplicing(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return
      const directive = node as Directive
      const start = directive.position?.start.offset
      const end = directive.position?.end.offset
      const marker = directive.type === 'containerDirective' ? ':::' : directive.type === 'leafDirective' ? '::' : ':'

      if (directive.name !== SENSITIVE) {
        if (directive.type === 'textDirective' && start !== undefined && end === start + 1 + directive.name.length && parent && index !== undefined) {
          // A bare `:word` (as in "Note:this") is prose: put the text back.
          const text: Text = {type: 'text', value: source.slice(start, end), position: directive.position}
          parent.children.splice(index, 1, text as never)
          return [SKIP, index + 1]
        }
        if (directive.name === IMPORT_MARKER) {
          // Why: `mopac import` marks what it dropped or was unsure of; the
          // paper must not publish until a person has looked at each piece.
          fail(file, `An imported piece to resolve: ${importLabel(directive)}. Resolve this imported piece (compare it with the Word file; withhold, keep or delete it), then delete the marker`, directive, 'import-unresolved')
          return
        }
        const hint = didYouMean(similar(directive.name) ? marker + SENSITIVE : undefined)
        fail(file, `Unknown directive \`${marker}${directive.name}\`${hint}: the only directive papers may use is \`${marker}${SENSITIVE}\``, directive, 'directive-unknown')
        return
      }

      const attributes = directive.attributes ?? {}
      if (start !== undefined && end !== undefined && countExemptionAttributes(directive, source, start, end) > 1) {
        fail(file, `\`exemptions\` is given twice on \`${marker}${SENSITIVE}\`: give it once, with every section separated by spaces`, directive, 'directive-attribute-unknown')
      }
      for (const key of Object.keys(attributes)) {
        if (key !== 'exemptions' && key !== 'kind') {
          fail(file, `Unknown attribute \`${key}\` on \`${marker}${SENSITIVE}\`${didYouMean(closest(key, ['exemptions']))}: the attributes are \`exemptions\` and \`kind\`, e.g. \`{exemptions="s43" kind="Part 2 business case"}\``, directive, 'directive-attribute-unknown')
        }
      }
      const written_exemptions = attributes.exemptions
      let exemptions = written_exemptions == null ? [] : splitExemptions(written_exemptions)
      for (const exemption of exemptions) {
        if (!parseExemption(exemption)) {
          fail(file, `Unknown exemption \`${exemption}\`${didYouMean(suggestExemption(exemption))}: expected a section of the Freedom of Information Act 2000 from \`s21\` to \`s44\`, optionally with a subsection, e.g. \`s43\` or \`s31(1)(a)\``, directive, 'exemption-unknown')
        }
      }
      if (exemptions.length === 0) exemptions = file.data.defaultExemptions ?? []
      if (exemptions.length === 0) {
        fail(file, `Sensitive material with no ground: give \`{exemptions="s43"}\` on the directive, or \`part2.exemptions\` in the frontmatter`, directive, 'redaction-no-ground')
      }
      directive.data = {...directive.data, exemptions} as never
      // `kind` is published in the notice: public text, checked as such.
      const kindIssue = attributes.kind == null ? undefined : kindProblem(attributes.kind)
      if (kindIssue) fail(file, `Invalid \`kind\` on \`${marker}${SENSITIVE}\`: ${kindIssue}`, directive, 'directive-kind-invalid')

      if (directive.type !== 'containerDirective' && directive.children.length === 0) {
        // Why: `:official-sensitive [Jane Smith]` (a space before the label)
        // parses as an empty directive followed by public text.
        fail(file, `\`${marker}${SENSITIVE}\` has no label, so it withholds nothing: write the withheld text in brackets right after the name, e.g. \`${marker}${SENSITIVE}[Jane Smith]{exemptions="s40"}\``, directive, 'directive-empty')
      }

      if (directive.type === 'containerDirective' && !closedByOwnFence(directive, lines)) {
        // Why: a block the parser ended anywhere but at its own closing fence
        // (the end of the list item, quote or footnote it sits in, the end of
        // the file, a lazy line, or a nested block's fence) does not end where
        // its author meant: what follows may be meant withheld. A code block
        // in it that its own fence does not close was cut by the block's
        // \`:::\` line, which may have been meant as code.
        const code = cutCode(directive)
        const reason = code
          ? `\`:::${SENSITIVE}\` ends at a \`:::\` line that may have been meant as code: the fenced code block at line ${code.position!.start.line} in it is not closed by its own fence. Close the code block before the block's closing line`
          : `\`:::${SENSITIVE}\` is not closed by its own fence: end the block with a line of at least as many colons as it opens with (\`:::\` for \`:::\`, \`::::\` for \`::::\`), indented no further than its opening line when the block ends with a list, inside the same list item, quote or footnote, after the closing line of every block nested in it`
        fail(file, reason, directive.position?.start, 'directive-unclosed')
      }
      return undefined
    })
  }
}

/** Lines of the source, found once: line `n` (1-based) is `text(n)`. */
class Lines {
  readonly starts: number[] = [0]
  constructor(readonly source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }

  get count(): number {
    return this.starts.length
  }

  /** Offset where line `n` starts. */
  start(line: number): number {
    return this.starts[line - 1] ?? this.source.length
  }

  /** Offset where line `n` ends (before its line ending). */
  end(line: number): number {
    return line < this.starts.length ? this.starts[line] - 1 : this.source.length
  }

  text(line: number): string {
    return this.source.slice(this.start(line), this.end(line))
  }
}

/** The index of the first of `ranges` (sorted, disjoint) that ends after `start` (binary search). */
function firstEndingAfter(ranges: Array<[number, number]>, start: number): number {
  let low = 0
  let high = ranges.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (ranges[middle][1] <= start) low = middle + 1
    else high = middle
  }
  return low
}

/** Whether `[start, end)` lies inside one of `ranges` (sorted, disjoint): a block within withheld material. */
function withinRange(ranges: Array<[number, number]>, start: number, end: number): boolean {
  const low = firstEndingAfter(ranges, start)
  return low < ranges.length && ranges[low][0] <= start && ranges[low][1] >= end
}

/**
 * A line that starts (after quote and list markers) with three or more
 * colons, once lookalikes are folded: its colons, and the rest of the line.
 */
const STRAY_FENCE = /^(?:[\s>]|[-*+][ \t]|\d{1,9}[.)][ \t])*(:{3,})(.*)$/

/** The quote and list markers and indentation at the start of a line. */
const CONTAINER_PREFIX = /^(?:[\s>]|[-*+][ \t]|\d{1,9}[.)][ \t])*/

function isSensitive(node: Node): node is Directive {
  return (node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective') && (node as Directive).name === SENSITIVE
}

/**
 * `source[start, end)` with every range in `ranges` (sorted, disjoint)
 * blanked to spaces. Linear in the block and the ranges that touch it.
 */
function blankRanges(source: string, ranges: Array<[number, number]>, start: number, end: number): string {
  const pieces: string[] = []
  let at = start
  for (let i = firstEndingAfter(ranges, start); i < ranges.length && ranges[i][0] < end; i++) {
    const from = Math.max(ranges[i][0], start)
    const to = Math.min(ranges[i][1], end)
    if (from > at) pieces.push(source.slice(at, from))
    if (to > from) pieces.push(' '.repeat(to - Math.max(from, at)))
    at = Math.max(at, to)
  }
  if (at < end) pieces.push(source.slice(at, end))
  return pieces.join('')
}

/**
 * Whether `{...exemptions=` stands in `text` (a `{` before it, no `}` in
 * between), as `/\{[^}]*\bexemptions\s*=/i` would say, in linear time.
 */
function bracedExemptions(text: string): boolean {
  let lastOpen = -1
  let lastClose = -1
  let scanned = 0
  for (const match of text.matchAll(/\bexemptions\s*=/gi)) {
    for (; scanned < match.index; scanned++) {
      if (text[scanned] === '{') lastOpen = scanned
      else if (text[scanned] === '}') lastClose = scanned
    }
    if (lastOpen > lastClose) return true
  }
  return false
}

/**
 * Whether a withheld span in this leaf block seems to have ended before its
 * author meant: after it comes a `]` with no `[` to match. In the text of a
 * link the `]` that ends the link text is the link's own: there the check
 * runs to the end of the link text, then from the end of the link; and the
 * span's label must not hold an unclosed code span, `<` or `(`, which would
 * mean its `]` stood inside it.
 */
function labelEndedEarly(block: Parent, source: string, start: number, end: number): boolean {
  const spans: Array<{span: TextDirective; link?: Parent}> = []
  const walk = (node: Node, link: Parent | undefined) => {
    if (isSensitive(node)) {
      if (node.type === 'textDirective') spans.push({span: node, link})
      return
    }
    const inLink = node.type === 'link' || node.type === 'linkReference' ? (node as Parent) : link
    if ('children' in node) for (const child of (node as Parent).children) walk(child, inLink)
  }
  walk(block, undefined)
  if (spans.length === 0) return false

  const rest = new UnbalancedClose(source, start, end)
  const inLinks = new Map<Parent, UnbalancedClose>()
  for (const {span, link} of spans) {
    const spanEnd = span.position?.end.offset
    if (spanEnd === undefined) continue
    const textEnd = link?.children.at(-1)?.position?.end.offset
    const linkEnd = link?.position?.end.offset
    if (!link || textEnd === undefined || linkEnd === undefined || source[textEnd] !== ']' || textEnd < spanEnd) {
      if (rest.after(spanEnd)) return true
      continue
    }
    let text = inLinks.get(link)
    if (!text) inLinks.set(link, (text = new UnbalancedClose(source, link.position!.start.offset ?? spanEnd, textEnd)))
    if (text.after(spanEnd) || rest.after(linkEnd) || unclosedInLabel(span, source)) return true
  }
  return false
}

/**
 * For every offset `p` in `[start, end)`: whether `source[p, end)` has a `]`
 * with no `[` before it (backslash escapes skipped). One pass each way.
 */
class UnbalancedClose {
  private readonly lowest: Int32Array
  constructor(source: string, private readonly start: number, end: number) {
    const length = Math.max(0, end - start)
    const step = new Int8Array(length)
    for (let i = 0; i < length; i++) {
      const c = source[start + i]
      if (c === '\\') i++
      else if (c === '[') step[i] = 1
      else if (c === ']') step[i] = -1
    }
    // lowest[i]: the lowest running count of `[` minus `]` from i on (0 for none).
    this.lowest = new Int32Array(length + 1)
    for (let i = length - 1; i >= 0; i--) this.lowest[i] = Math.min(0, step[i] + this.lowest[i + 1])
  }

  after(offset: number): boolean {
    const i = offset - this.start
    return i >= 0 && i < this.lowest.length && this.lowest[i] < 0
  }
}

/** Whether a span's label holds an unclosed code span, `<` or `(` (its `]` may have stood inside it). */
function unclosedInLabel(span: TextDirective, source: string): boolean {
  const from = span.children[0]?.position?.start.offset
  const to = span.children.at(-1)?.position?.end.offset
  if (from === undefined || to === undefined) return false
  const label = source.slice(from, to)
  let angles = 0
  let parens = 0
  for (const c of label) {
    if (c === '<') angles++
    else if (c === '>') angles = Math.max(0, angles - 1)
    else if (c === '(') parens++
    else if (c === ')') parens = Math.max(0, parens - 1)
  }
  if (angles > 0 || parens > 0) return true
  // Code spans: a run of backticks is closed by the next run of equal length.
  const runs = [...label.matchAll(/`+/g)].map((m) => m[0].length)
  const next = new Map<number, number>()
  const closer = new Array<number>(runs.length)
  for (let i = runs.length - 1; i >= 0; i--) {
    closer[i] = next.get(runs[i]) ?? -1
    next.set(runs[i], i)
  }
  for (let i = 0; i < runs.length; i++) {
    if (closer[i] === -1) return true
    i = closer[i]
  }
  return false
}

/**
 * How many times `exemptions=` is written in the directive's attributes:
 * after the label, on the opening line for a block.
 */
function countExemptionAttributes(directive: Directive, source: string, start: number, end: number): number {
  const label = directive.type === 'containerDirective' ? directive.children.find((child) => (child.data as {directiveLabel?: boolean} | undefined)?.directiveLabel) : directive.children.at(-1)
  let colons = 0
  while (source[start + colons] === ':') colons++
  const from = label?.position?.end.offset ?? start + colons + directive.name.length
  let to = end
  if (directive.type === 'containerDirective') {
    const lineEnd = source.indexOf('\n', start)
    if (lineEnd !== -1 && lineEnd < to) to = lineEnd
  }
  return [...source.slice(Math.min(from, to), to).matchAll(/\bexemptions\s*=/g)].length
}

/**
 * Whether a block ended on its own closing fence: a line after all of its
 * content (so not the closing line of a block nested in it, nor a lazy line),
 * ending where the block ends, holding only quote markers and indentation,
 * then at least as many colons as the opening, then spaces. A block the
 * parser ended at the end of a list item, quote, footnote or the file ends
 * elsewhere (its last content line, or the blank line after).
 */
function closedByOwnFence(node: ContainerDirective, lines: Lines): boolean {
  const source = lines.source
  const position = node.position
  if (!position || position.start.offset === undefined || position.end.offset === undefined) return false
  const end = position.end.offset
  if (position.end.line <= position.start.line) return false
  for (const child of node.children) if (!child.position || child.position.end.line >= position.end.line) return false
  if (end !== source.length && source[end] !== '\n') return false
  let opening = 0
  while (source[position.start.offset + opening] === ':') opening++
  const lineStart = lines.start(position.end.line)
  let i = end
  while (i > lineStart && (source[i - 1] === ' ' || source[i - 1] === '\t')) i--
  let colons = 0
  while (i > lineStart && source[i - 1] === ':') {
    i--
    colons++
  }
  if (colons < opening) return false
  for (let j = lineStart; j < i; j++) if (source[j] !== ' ' && source[j] !== '\t' && source[j] !== '>') return false
  // Why: a closing line indented further than the opening one, after a list
  // that ends the block (\`  :::\` under its last item), may have been meant
  // for that item, not as the block's end: the parser closes the block
  // there, so refuse.
  if (columnOf(source, lineStart, i) <= columnOf(source, lines.start(position.start.line), position.start.offset)) return true
  let last: Node | undefined = node.children.at(-1)
  while (last) {
    if (last.type === 'list') return false
    last = 'children' in last ? (last as Parent).children.at(-1) : undefined
  }
  return true
}

/** The visual column (tabs to multiples of 4) at which \`offset\` stands on the line starting at \`lineStart\`. */
function columnOf(source: string, lineStart: number, offset: number): number {
  let column = 0
  for (let j = lineStart; j < offset; j++) column = source[j] === '\t' ? column + 4 - (column % 4) : column + 1
  return column
}

/** A code block, last in the block, that the block's closing line cut short (it ends at column 1 of that line). */
function cutCode(node: ContainerDirective): Node | undefined {
  const line = node.position?.end.line
  let last: Node | undefined = node.children.at(-1)
  while (last) {
    if (last.type === 'code' && last.position?.end.line === line && last.position?.end.column === 1) return last
    last = 'children' in last ? (last as Parent).children.at(-1) : undefined
  }
  return undefined
}

/** Whether a directive name looks like a misspelling of the sensitive one. */
function similar(name: string): boolean {
  const a = name.toLowerCase()
  if (a.includes('sensitive') || a.includes('official') || a.includes('ficial')) return true
  return closest(a, [SENSITIVE], 4) !== undefined
}

/**
 * The sensitive syntax written with a space after its colons (`::: official-sensitive{...}`),
 * as written, and as meant (the space removed), on the first line of `text` that has it.
 */
function spaceAfterColons(text: string): {written: string; meant: string} | undefined {
  const match = /^[ \t>]*(:+)[ \t]+(official-sensitive)(\S*)/im.exec(text)
  if (!match) return undefined
  const written = `${match[1]} ${match[2]}`
  const attributes = match[3].length <= 60 ? match[3] : ''
  return {written, meant: `${match[1]}${SENSITIVE}${attributes}`}
}

export type {Parent}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, hex: string) => codePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => codePoint(Number(dec)))
    .replace(/&colon;?/gi, ':')
    .replace(/&hyphen;?|&dash;?|&minus;?/gi, '-')
}

function codePoint(value: number): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '\ufffd'
}

/**
 * The text of a block as parsed, with entities decoded; a directive that is
 * not the sensitive one reads as its name (`:offi` + `cial-sensitive[...]`).
 */
function parsedText(node: Node): string {
  let text = ''
  walk(node as Nodes, (inner) => {
    if ((inner.type === 'textDirective' || inner.type === 'leafDirective' || inner.type === 'containerDirective') && (inner as Directive).name !== SENSITIVE) {
      text += ':' + (inner as Directive).name
      return undefined
    }
    if ((inner.type === 'textDirective' || inner.type === 'leafDirective' || inner.type === 'containerDirective')) return false
    if ('value' in inner && typeof inner.value === 'string') text += inner.value
    if (inner.type === 'image' || inner.type === 'imageReference') text += ' ' + ((inner as {alt?: string}).alt ?? '') + ' '
    if ('title' in inner && typeof inner.title === 'string') text += ' ' + inner.title + ' '
    return undefined
  })
  return text
}

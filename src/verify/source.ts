/**
 * Source-paper reading for `verify`: decides whether a paper is public at
 * `now` and extracts every piece of text that must never be published, plus
 * the paper's public text (used to suppress boilerplate matches).
 *
 * Independent of the publishing pipeline by design: the directive syntax is
 * recognised by a line-based scanner written here, not by remark.
 *
 * Block scanning rules. Verify reads a block as its author wrote it, which
 * is stricter than the parser: where the two could differ, more is secret,
 * never less (the pipeline refuses such papers; should it ever publish one,
 * what the author withheld is still a secret here):
 *  - Line prefixes (indentation, `>` blockquote markers, list markers `-`,
 *    `*`, `+`, `1.`, `1)`) are skipped before looking for directive fences.
 *  - An opening fence is `:::name` (3+ colons; whitespace before the name is
 *    tolerated even though micromark would not accept it, so a mistyped fence
 *    still counts as sensitive). Names matching /official[-_ ]?sensitive/i are
 *    sensitive; other names are tracked only for nesting.
 *  - A closing fence (`:::` with only colons) closes the innermost open
 *    container whose fence is not longer than it and that stands where it
 *    does: the same quote depth, no list marker on the closing line, at most
 *    3 columns from the opening fence's column, and (inside a sensitive
 *    block) not inside a list item opened in the block (an item stays open
 *    while lines are indented to its content, blank lines and lazy lines
 *    included). micromark instead closes at a `:::` line inside such a list
 *    item, code or HTML; here such a line closes nothing.
 *  - A fenced code block (``` or ~~~) opened inside a sensitive block runs
 *    to its own closing fence (same character, at least as long) or the end
 *    of the file; a `:::` line in it closes nothing.
 *  - A sensitive container that is never closed extends to the end of file.
 *  - A closing fence that closes nothing outside a block means some block
 *    ended earlier than its author wrote (at a `:::` in HTML, say): every
 *    line from the end of the first sensitive block to that fence is secret.
 *  - HTML comments (`<!-- ... -->`, over lines, in code too; one never closed
 *    runs to the end of the file) are internal notes: secret (kind
 *    `internal-note`), never public text.
 *  - `::official-sensitive...` leaf lines are sensitive as a whole.
 *  - `:official-sensitive[label]` spans: the bracket-balanced label (escapes
 *    honoured) is sensitive; an unbalanced label extends to the end of the
 *    paragraph (next blank line).
 *  - Definitions (`[^x]: ...`, `[x]: url "title"`) found outside sensitive
 *    regions but referenced only from sensitive text (or comments) are treated
 *    as sensitive too (remark hoists definitions, so they could otherwise survive
 *    redaction of the text that used them).
 *  - The label of a sensitive container opener is part of the secret text;
 *    directive attributes such as `exemptions="s43"` are not (they are
 *    public metadata and too short to match anyway).
 *
 * Frontmatter: a value (any key but `classification`) that holds sensitive
 * syntax or a marking (`:official-sensitive[...]`, `OFFICIAL-SENSITIVE`,
 * `SECRET`, lookalikes and escapes included) is secret, one that holds an
 * HTML comment an internal note; neither is public text.
 */
import {parseDocument, LineCounter, isAlias, isMap, isScalar, isSeq, type Document} from 'yaml'
import {TZDate} from '@date-fns/tz'
import {decodeSourceText, forEachToken, slugify, stripTags} from './text.js'
import {labelTemplates, MONTH_NAMES, type LabelTemplate} from './site-text.js'

export type SecretKind = 'sensitive' | 'internal-note' | 'internal-frontmatter' | 'not-public'

export interface SecretPiece {
  kind: SecretKind
  sourceFile: string
  tokens: string[]
  lines: number[]
  cols: number[]
  /** Sub-spans `[start, length]` (e.g. single lines of a block) to match as phrases when short. */
  spans: Array<[number, number]>
  /** Match the whole piece as one phrase when it is shorter than the n-gram size. */
  whole: boolean
  /** part2.review: dates-only values are not reported as phrases. */
  review?: boolean
  /** Ids/slugs: matched as phrases with a relaxed rule (>= 2 words, one with a letter). */
  relaxed?: boolean
}

export interface PaperExtraction {
  sourceFile: string
  isPublic: boolean
  invalid: boolean
  /** Slugs that must not appear as a path segment (not-public papers only). */
  forbiddenSlugs: Array<{ slug: string; line: number; column: number }>
  /** Slug of a public paper (its path names are legitimately public). */
  publicSlug: string | null
  pieces: SecretPiece[]
  /** Public token streams (frontmatter values, body, link destinations). */
  publicStreams: string[][]
  /**
   * Local files that public text of a public paper links to (as written,
   * relative to the paper): the build copies them beside the page, so their
   * text is public too.
   */
  publicRefs: string[]
  /**
   * The deferral instant (epoch ms) `now` was compared with, when it was:
   * the reading is the same for any `now` on the same side of it.
   */
  dueAt?: number
}

// ---------------------------------------------------------------------------
// Time

const NULLISH = new Set(['', '~', 'null', 'Null', 'NULL'])

function validYmd(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false
  const t = new Date(Date.UTC(y, mo - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d
}

/**
 * Parses a deferral `until` value to epoch milliseconds, or null if it cannot
 * be understood (callers then fail closed).
 *  - `YYYY-MM-DD`: 00:00 Europe/London on that date;
 *  - date-time with `Z` or `±HH:MM`/`±HHMM`: that instant;
 *  - date-time without offset: London wall-clock time (via TZDate).
 */
export function parseUntil(value: string): number | null {
  const s = value.trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    if (!validYmd(y, mo, d)) return null
    const t = new TZDate(y, mo - 1, d, 'Europe/London').getTime()
    return Number.isFinite(t) ? t : null
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?[ ]?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(s)
  if (!m) return null
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]
  const sec = m[6] !== undefined ? Number(m[6]) : 0
  const ms = m[7] !== undefined ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null
  const off = m[8]
  if (off !== undefined) {
    let offMin = 0
    if (off !== 'Z' && off !== 'z') {
      const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(off)
      if (!om) return null
      const oh = Number(om[2])
      const omin = om[3] !== undefined ? Number(om[3]) : 0
      if (oh > 23 || omin > 59) return null
      offMin = (om[1] === '-' ? -1 : 1) * (oh * 60 + omin)
    }
    return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offMin * 60_000
  }
  const t = new TZDate(y, mo - 1, d, h, mi, sec, 'Europe/London').getTime() + ms
  return Number.isFinite(t) ? t : null
}

// ---------------------------------------------------------------------------
// Line helpers

/** Index where a line's content starts after indentation, `>` markers and list markers. */
export function contentStart(line: string): number {
  let i = 0
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++
    if (line[i] === '>') {
      i++
      if (line[i] === ' ') i++
      continue
    }
    const m = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(line.slice(i, i + 11))
    if (m) {
      i += m[0].length
      continue
    }
    return i
  }
}

/** Where a line stands among containers: its quote depth and its list markers. */
export interface LinePrefix {
  /** Number of `>` quote markers before the content. */
  quote: number
  /** Column (characters after the last quote marker and its space) of the first character that is not a space or tab. */
  indent: number
  /** Column of the content (after indentation and list markers), as {@link indent}. */
  col: number
  /** Content columns of the list items that list markers on this line open (after the last quote marker). */
  markers: number[]
  /** Index of the content in the line ({@link contentStart}). */
  start: number
}

/** The container prefix of a line (the same walk as {@link contentStart}). */
export function linePrefix(line: string): LinePrefix {
  let i = 0
  let quote = 0
  let base = 0
  let indent = -1
  let markers: number[] = []
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++
    if (indent < 0) indent = i - base
    if (line[i] === '>') {
      i++
      if (line[i] === ' ') i++
      quote++
      base = i
      indent = -1
      markers = []
      continue
    }
    const m = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(line.slice(i, i + 11))
    if (m) {
      i += m[0].length
      let k = i
      while (k < line.length && (line[k] === ' ' || line[k] === '\t')) k++
      markers.push((k - i >= 1 && k - i <= 4 && k < line.length ? k : i + 1) - base)
      continue
    }
    return { quote, indent, col: i - base, markers, start: i }
  }
}

// Generous on purpose: lookalike dashes and colons, invisible characters and
// a space after the colons still count, so a paper the pipeline might read
// differently is still treated as sensitive here (over-extracting is safe).
const SENSITIVE_NAME_RE = /official[\W_]{0,3}sensitive/i
const OPENER_RE = /^(:{3,})[ \t]*([A-Za-z][^\s{[]*)/
const CLOSER_RE = /^(:{3,})[ \t]*$/
const LEAF_RE = /^::(?!:)[ \t]*official[\W_]{0,3}sensitive/i
// `(?<!:)`: a match starts only at the first colon of a run, so a long run of
// colons is tried once, not once per colon (which would be quadratic).
const INLINE_RE = /(?<!:):+[\s\W_]{0,3}official[\W_]{0,3}sensitive[ \t]*/gi

/**
 * Fold lookalike dashes, colons and spaces to ASCII, one character for one,
 * so positions in the folded line are positions in the real one.
 */
export function foldSame(text: string): string {
  return text
    .replace(/[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[\uff1a\ufe55\ufe13]/g, ':')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
}

/**
 * Index of the `]` balancing an already-open `[` (depth given), or -1 plus the
 * remaining depth. `limit` bounds the characters looked at (-1 past it).
 */
function findClose(line: string, from: number, depth: number, limit = Infinity): { index: number; depth: number } {
  const end = Math.min(line.length, from + limit)
  for (let j = from; j < end; j++) {
    const c = line[j]
    if (c === '\\') {
      j++
      continue
    }
    if (c === '[') depth++
    else if (c === ']') {
      depth--
      if (depth === 0) return { index: j, depth: 0 }
    }
  }
  return { index: -1, depth }
}

function findBrace(line: string, from: number, limit = Infinity): number {
  let quote = ''
  const end = Math.min(line.length, from + 1 + limit)
  for (let j = from + 1; j < end; j++) {
    const c = line[j]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '}') return j
  }
  return -1
}

// The lookbehind starts a name only where a run of name characters starts (linear on a long run).
const ATTR_RE = /(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))|[#.]([\w-]+)/g

function attrValues(block: string): string[] {
  const out: string[] = []
  ATTR_RE.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = ATTR_RE.exec(block))) {
    // Exemption codes are public metadata of the redaction notice, not secret text.
    if (m[1] !== undefined && /^exemptions?$/i.test(m[1])) continue
    out.push(m[2] ?? m[3] ?? m[4] ?? m[5] ?? '')
  }
  return out
}

const KIND_ATTR_RE = /(?<![\w:.-])kind\s*=\s*(?:"([^"]*)"|'([^']*)')/g

/**
 * The `kind` attribute values of the `official-sensitive` directives on a
 * line: only in a directive's own `{...}`, never inside a label (a span's
 * label is withheld, so a directive written in it is skipped with it).
 */
export function kindValues(line: string): string[] {
  const out: string[] = []
  if (!/kind/i.test(line)) return out
  const re = /(?<!:):+official-sensitive(?=[[{])/g
  let m: RegExpExecArray | null
  while ((m = re.exec(line))) {
    let j = m.index + m[0].length
    if (line[j] === '[') {
      const c = findClose(line, j + 1, 1, LABEL_LOOKAHEAD)
      if (c.index < 0) break
      j = c.index + 1
    }
    if (line[j] === '{') {
      const e = findBrace(line, j, LABEL_LOOKAHEAD)
      if (e < 0) break
      for (const k of line.slice(j + 1, e).matchAll(KIND_ATTR_RE)) out.push(k[1] ?? k[2] ?? '')
      j = e + 1
    }
    re.lastIndex = Math.max(j, m.index + 1)
  }
  return out
}

interface Tok {
  t: string
  col: number // 0-based index in the raw line
}
interface CleanLine {
  main: Tok[]
  side: Array<{ col: number; toks: Tok[] }>
  /** Destinations that may name a local file (links, images, definitions, `src`/`href` of raw HTML). */
  refs: Array<{ col: number; url: string }>
}

/** A link destination naming a file beside the paper (`./images/chart.svg`, `files/a%20b.pdf`), or null. */
export function localRef(url: string): string | null {
  let u = url.trim()
  if (u.startsWith('<') && u.endsWith('>')) u = u.slice(1, -1).trim()
  if (!u || u.startsWith('#') || u.startsWith('/') || u.startsWith('\\') || /^[a-z][a-z0-9+.-]*:/i.test(u)) return null
  u = u.replace(/[?#].*$/s, '')
  try {
    u = decodeURIComponent(u)
  } catch {
    /* keep as written */
  }
  return u || null
}

const HTML_REF_RE = /(?<![\w-])(?:src|href|data|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi

/** How far cleanLine looks for the end of a directive's label or attributes. */
const LABEL_LOOKAHEAD = 4096
// Each run of whitespace is taken whole (`(?=(\s*))\1` is an atomic group):
// with three adjacent whitespace quantifiers, `](` and a long run of spaces
// took quadratic time (10,000 spaces: 0.3 s). Groups: 2 destination, 4 title.
const LINK_DEST_RE = /\]\((?=(\s*))\1(<[^<>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:(?=(\s+))\3("[^"]*"|'[^']*'|\([^()]*\)))?(?=(\s*))\5\)/g
const STRICT_TAG_RE = /<!--|-->|<\/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])[^<>]*>/g

function tokensOf(text: string, offset: number): Tok[] {
  const d = decodeSourceText(text)
  const out: Tok[] = []
  forEachToken(d.text, (t, idx) => out.push({ t, col: offset + (d.map ? (d.map[idx] ?? idx) : idx) }))
  return out
}

/**
 * Converts one markdown line into tokens with raw-line columns. Link
 * destinations, link titles and attribute values are moved to side segments
 * (their order differs between markdown and HTML); markup is blanked.
 */
export function cleanLine(line: string): CleanLine {
  let s = line
  const side: Array<{ col: number; text: string }> = []
  const refs: Array<{ col: number; url: string }> = []
  const addRef = (col: number, url: string): void => {
    const r = localRef(url)
    if (r) refs.push({ col, url: r })
  }
  // Blanking is collected and applied in one pass (`flush`) after each loop,
  // so a line with thousands of matches stays linear.
  let pending: Array<[number, number]> = []
  const blank = (a: number, b: number): void => {
    if (b > a) pending.push([a, b])
  }
  const flush = (): void => {
    if (pending.length === 0) return
    pending.sort((x, y) => x[0] - y[0])
    let out = ''
    let last = 0
    for (const [a, b] of pending) {
      if (b <= last) continue
      const from = Math.max(a, last)
      out += s.slice(last, from) + ' '.repeat(b - from)
      last = b
    }
    s = out + s.slice(last)
    pending = []
  }
  // A bare site address (`https://www.london.gov.uk/`) is too generic to report on its own.
  const pushUrl = (col: number, url: string): void => {
    addRef(col, url)
    if (!/^<?[a-z][a-z0-9+.-]*:\/\/[^/?#\s<>]*\/?>?$/i.test(url.trim())) side.push({ col, text: url })
  }
  const cs = contentStart(s)
  blank(0, cs)
  flush()
  const content = s.slice(cs)
  if (/^(?:`{3,}|~{3,})/.test(content)) return { main: [], side: [], refs: [] }
  let m: RegExpExecArray | null
  /** After a directive name: keep the `[label]`, move `{attributes}` values to side. Returns the end. */
  const labelAndAttrs = (j: number): number => {
    // Bounded: only where tokens are split is at stake here (not what is
    // secret), and unbounded look-aheads from each of many directives would
    // make a long line quadratic.
    if (s[j] === '[') {
      const c = findClose(s, j + 1, 1, LABEL_LOOKAHEAD)
      if (c.index < 0) return j
      j = c.index + 1
    }
    if (s[j] === '{') {
      const e = findBrace(s, j, LABEL_LOOKAHEAD)
      if (e > 0) {
        for (const v of attrValues(s.slice(j + 1, e))) if (v) side.push({ col: j, text: v })
        blank(j, e + 1)
        j = e + 1
      }
    }
    return j
  }
  // Directive fences at the start of the content.
  if ((m = /^:{2,}[ \t]*(?:[A-Za-z][\w-]*)?/.exec(content))) {
    blank(cs, cs + m[0].length)
    labelAndAttrs(cs + m[0].length)
  }
  // Definitions.
  if ((m = /^\[(\^?)((?:[^\]\\]|\\.)*)\]:[ \t]*/.exec(content))) {
    if (m[1]) {
      // A footnote's label is rendered into the page (its ids and links).
      if (m[2]) side.push({ col: cs + 2, text: m[2] as string })
      blank(cs, cs + m[0].length)
    } else {
      const rest = content.slice(m[0].length)
      const dm = /^(<[^<>]*>|\S+)\s*(.*)$/.exec(rest)
      pushUrl(cs + m[0].length, dm ? (dm[1] as string) : rest)
      if (dm && dm[2]) side.push({ col: cs + m[0].length, text: dm[2] as string })
      blank(cs, s.length)
    }
  }
  flush()
  // Inline directives (name blanked, label kept, attributes to side).
  const dirRe = /(?<!:):+[A-Za-z][\w-]*(?=[[{])/g
  while ((m = dirRe.exec(s))) {
    const start = m.index
    blank(start, start + m[0].length)
    dirRe.lastIndex = Math.max(labelAndAttrs(start + m[0].length), start + 1)
  }
  flush()
  // Inline links / images: destination + title to side.
  LINK_DEST_RE.lastIndex = 0
  while ((m = LINK_DEST_RE.exec(s))) {
    pushUrl(m.index + 1, m[2] ?? '')
    if (m[4]) side.push({ col: m.index + 1, text: m[4] })
    blank(m.index + 1, m.index + m[0].length)
  }
  flush()
  // Footnote references and full/collapsed reference labels.
  s = s.replace(/\[\^[^\]\s]*\]/g, (x, at: number) => {
    if (x.length > 3) side.push({ col: at + 2, text: x.slice(2, -1) })
    return ' '.repeat(x.length)
  })
  s = s.replace(/\]\[[^\]]*\]/g, (x) => ']' + ' '.repeat(x.length - 1))
  // HTML tags: attribute values to side.
  STRICT_TAG_RE.lastIndex = 0
  while ((m = STRICT_TAG_RE.exec(s))) {
    for (const r of m[0].matchAll(HTML_REF_RE)) addRef(m.index, r[1] ?? r[2] ?? r[3] ?? '')
    const vals = stripTags(m[0]).trim()
    if (vals) side.push({ col: m.index, text: vals })
    blank(m.index, m.index + m[0].length)
  }
  flush()
  return {
    main: tokensOf(s, 0),
    side: side.map((x) => ({ col: x.col, toks: tokensOf(x.text, x.col) })).filter((x) => x.toks.length > 0),
    refs,
  }
}

// ---------------------------------------------------------------------------
// Pieces

class PieceBuilder {
  readonly piece: SecretPiece
  constructor(kind: SecretKind, sourceFile: string, whole = true) {
    this.piece = { kind, sourceFile, tokens: [], lines: [], cols: [], spans: [], whole }
  }
  add(toks: Tok[], line: number, asSpan: boolean): void {
    const start = this.piece.tokens.length
    for (const t of toks) {
      this.piece.tokens.push(t.t)
      this.piece.lines.push(line)
      this.piece.cols.push(t.col + 1)
    }
    if (asSpan && toks.length > 0) this.piece.spans.push([start, toks.length])
  }
}

function labelKey(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase()
}
function bracketLabels(text: string, into: Set<string>): void {
  const re = /\[([^[\]]+)\]/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) into.add(labelKey(m[1] as string))
}

interface LineState {
  raw: string
  lineNo: number
  whole: boolean
  ranges: Array<[number, number]>
  clean?: CleanLine
}

/** A test of whether a column lies in one of `ranges` (`[start, end)`, any order): a binary search on merged ranges. */
function inRanges(ranges: ReadonlyArray<readonly [number, number, ...number[]]>): (col: number) => boolean {
  if (ranges.length === 0) return () => false
  const sorted = ranges.map((r) => [r[0], r[1]] as [number, number]).sort((x, y) => x[0] - y[0])
  const merged: Array<[number, number]> = []
  for (const r of sorted) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return (col) => {
    let lo = 0
    let hi = merged.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((merged[mid] as [number, number])[1] <= col) lo = mid + 1
      else hi = mid
    }
    return lo < merged.length && (merged[lo] as [number, number])[0] <= col
  }
}

function isBlank(line: string): boolean {
  return /^[\s>]*$/.test(line)
}

/**
 * Scans the body lines, returning per-line secret markings and the sensitive
 * pieces (blocks, leaves, spans, hoisted definitions).
 */
function scanBody(lines: string[], firstLineNo: number, sourceFile: string): { states: LineState[]; pieces: SecretPiece[]; kinds: string[] } {
  const states: LineState[] = lines.map((raw, i) => ({ raw, lineNo: firstLineNo + i, whole: false, ranges: [] }))
  const pieces: SecretPiece[] = []
  /** `kind` values of sensitive directives outside withheld material (see {@link kindValues}). */
  const kinds: string[] = []
  const clean = (st: LineState): CleanLine => (st.clean ??= cleanLine(st.raw))

  /** An open directive container: its fence, where it stands, and (inside a sensitive block) how many list items opened in the block were open. */
  interface Open {
    colons: number
    sensitive: boolean
    quote: number
    col: number
    items: number
  }
  const stack: Open[] = []
  let sensDepth = 0
  let block = null as PieceBuilder | null
  let inline = null as { b: PieceBuilder; depth: number } | null
  // Inside a sensitive block, as its author wrote it: the block's quote depth
  // and fence column, the list items opened in it (content columns), a fenced
  // code block opened in it, and whether the previous line was text (a lazy
  // line does not end a list item).
  let blockQuote = 0
  let blockCol = 0
  let items: number[] = []
  let code = null as { char: string; len: number } | null
  let prevText = false
  /** Sensitive blocks that ended, in order, with their closing line (see stray closers below). */
  const ended: Array<{ b: PieceBuilder; end: number }> = []
  let extendedTo = -1
  let owner = 0

  const addLineTo = (b: PieceBuilder, st: LineState): void => {
    st.whole = true
    const c = clean(st)
    b.add(c.main, st.lineNo, true)
    for (const sd of c.side) {
      const p = new PieceBuilder('sensitive', sourceFile)
      p.add(sd.toks, st.lineNo, false)
      pieces.push(p.piece)
    }
  }
  const addRange = (st: LineState, a: number, b: number, pb: PieceBuilder): void => {
    if (b <= a) return
    st.ranges.push([a, b])
    const c = clean(st)
    pb.add(
      c.main.filter((t) => t.col >= a && t.col < b),
      st.lineNo,
      true,
    )
    for (const sd of c.side) {
      if (sd.col >= a && sd.col < b) {
        const p = new PieceBuilder('sensitive', sourceFile)
        p.add(sd.toks, st.lineNo, false)
        pieces.push(p.piece)
      }
    }
  }
  /** The innermost open container that a closing fence of `n` colons on a line with this prefix closes, or -1. */
  const closes = (n: number, pre: LinePrefix): number => {
    if (pre.markers.length > 0) return -1
    for (let j = stack.length - 1; j >= 0; j--) {
      const o = stack[j] as Open
      if (o.colons <= n && o.quote === pre.quote && Math.abs(o.col - pre.col) <= 3 && o.items === items.length) return j
    }
    return -1
  }

  for (let k = 0; k < states.length; k++) {
    const st = states[k] as LineState
    const line = st.raw
    const pre = linePrefix(line)
    const cs = pre.start
    const content = foldSame(line.slice(cs))

    if (block) {
      // A fenced code block opened inside the block runs to its own closing
      // fence (or the end of the file): a `:::` line in it does not close anything.
      if (code) {
        const m = /^(`{3,}|~{3,})[ \t]*$/.exec(content)
        if (m && (m[1] as string)[0] === code.char && (m[1] as string).length >= code.len) code = null
        addLineTo(block, st)
        continue
      }
      if (isBlank(line)) {
        prevText = false
        addLineTo(block, st)
        continue
      }
      if (pre.quote === blockQuote) {
        const startsBlock = pre.markers.length > 0 || /^(?::{3,}|`{3,}|~{3,}|#{1,6}(?:[ \t]|$)|<)/.test(content)
        if (!prevText || startsBlock) while (items.length > 0 && (items[items.length - 1] as number) > pre.indent) items.pop()
        for (const c of pre.markers) items.push(c)
        const fence = /^(`{3,}|~{3,})(.*)$/.exec(content)
        const ref = items.length > 0 ? (items[items.length - 1] as number) : blockCol
        if (fence && !((fence[1] as string)[0] === '`' && (fence[2] as string).includes('`')) && pre.col - ref <= 3) {
          code = { char: (fence[1] as string)[0] as string, len: (fence[1] as string).length }
          prevText = false
          addLineTo(block, st)
          continue
        }
      }
      prevText = !/^(?::{2,}|#{1,6}(?:[ \t]|$))/.test(content)
      const op = OPENER_RE.exec(content)
      if (op) {
        const sensitive = SENSITIVE_NAME_RE.test(op[2] as string)
        stack.push({ colons: (op[1] as string).length, sensitive, quote: pre.quote, col: pre.col, items: items.length })
        if (sensitive) sensDepth++
        addLineTo(block, st)
        continue
      }
      const cl = CLOSER_RE.exec(content)
      const idx = cl ? closes((cl[1] as string).length, pre) : -1
      if (idx < 0) {
        addLineTo(block, st)
        continue
      }
      st.whole = true
      stack.length = idx
      sensDepth = stack.filter((x) => x.sensitive).length
      if (sensDepth === 0) {
        pieces.push(block.piece)
        ended.push({ b: block, end: k })
        block = null
      }
      continue
    }

    // Continuation of an unterminated inline label.
    if (inline) {
      if (isBlank(line)) {
        pieces.push(inline.b.piece)
        inline = null
      } else {
        const c = findClose(line, cs, inline.depth)
        if (c.index < 0) {
          addRange(st, 0, line.length, inline.b)
          inline.depth = c.depth
          continue
        }
        addRange(st, 0, c.index, inline.b)
        pieces.push(inline.b.piece)
        inline = null
        scanInline(st, c.index + 1)
        continue
      }
    }

    kinds.push(...kindValues(line))
    const op = OPENER_RE.exec(content)
    if (op) {
      const sensitive = SENSITIVE_NAME_RE.test(op[2] as string)
      stack.push({ colons: (op[1] as string).length, sensitive, quote: pre.quote, col: pre.col, items: 0 })
      if (sensitive) {
        block = new PieceBuilder('sensitive', sourceFile)
        sensDepth = 1
        blockQuote = pre.quote
        blockCol = pre.col
        items = []
        code = null
        prevText = false
        addLineTo(block, st)
      }
      continue
    }
    const cl = CLOSER_RE.exec(content)
    if (cl) {
      const idx = closes((cl[1] as string).length, pre)
      if (idx >= 0) {
        stack.length = idx
        continue
      }
      // A closing fence that closes nothing: some block ended earlier than
      // its author wrote (at a `:::` in code, a list item or HTML, say).
      // Which one is not known, so everything from the end of the first
      // sensitive block to this fence is withheld, each run of lines with the
      // block before it.
      if (ended.length > 0) {
        for (let j = Math.max((ended[0] as { end: number }).end + 1, extendedTo + 1); j <= k; j++) {
          while (owner + 1 < ended.length && (ended[owner + 1] as { end: number }).end < j) owner++
          const s = states[j] as LineState
          if (!s.whole) addLineTo((ended[owner] as { b: PieceBuilder }).b, s)
        }
        extendedTo = k
        continue
      }
    }
    if (LEAF_RE.test(content)) {
      st.whole = true
      const p = new PieceBuilder('sensitive', sourceFile)
      const c = clean(st)
      p.add(c.main, st.lineNo, true)
      pieces.push(p.piece)
      for (const sd of c.side) {
        const q = new PieceBuilder('sensitive', sourceFile)
        q.add(sd.toks, st.lineNo, false)
        pieces.push(q.piece)
      }
      continue
    }
    scanInline(st, 0)
  }
  if (block) pieces.push(block.piece)
  if (inline) pieces.push(inline.b.piece)

  function scanInline(st: LineState, from: number): void {
    const line = st.raw
    const re = new RegExp(INLINE_RE.source, 'gi')
    re.lastIndex = from
    const folded = foldSame(line)
    let m: RegExpExecArray | null
    while ((m = re.exec(folded))) {
      let j = m.index + m[0].length
      if (line[j] === '[') {
        const c = findClose(line, j + 1, 1)
        const b = new PieceBuilder('sensitive', sourceFile)
        if (c.index < 0) {
          addRange(st, j + 1, line.length, b)
          inline = { b, depth: c.depth }
          return
        }
        addRange(st, j + 1, c.index, b)
        pieces.push(b.piece)
        j = c.index + 1
      }
      if (line[j] === '{') {
        const e = findBrace(line, j)
        if (e > 0) j = e + 1
      }
      re.lastIndex = j
    }
  }

  // HTML comments are internal notes, never published (the pipeline drops
  // them, or refuses a paper where one would be shown): their text is secret
  // wherever it stands, in code too, to `-->` or the end of the file.
  const notes: PieceBuilder[] = []
  commentRanges(lines).forEach((ranges, i) => {
    const st = states[i] as LineState
    if (st.whole) return
    if (ranges.length === 0) return
    const inSpan = inRanges(st.ranges)
    const c = clean(st)
    // Tokens and side segments in column order, ranges in order: one sweep.
    let r = 0
    const which = (col: number): number => {
      while (r < ranges.length && (ranges[r] as [number, number, number])[1] <= col) r++
      const range = ranges[r]
      return range && range[0] <= col && !inSpan(col) ? range[2] : -1
    }
    const byComment = new Map<number, Tok[]>()
    for (const t of c.main) {
      const id = which(t.col)
      if (id >= 0) (byComment.get(id) ?? byComment.set(id, []).get(id)!).push(t)
    }
    for (const [id, toks] of byComment) (notes[id] ??= new PieceBuilder('internal-note', sourceFile)).add(toks, st.lineNo, true)
    r = 0
    for (const sd of [...c.side].sort((x, y) => x.col - y.col)) {
      if (which(sd.col) < 0) continue
      const q = new PieceBuilder('internal-note', sourceFile)
      q.add(sd.toks, st.lineNo, false)
      pieces.push(q.piece)
    }
    for (const [a, b] of ranges) st.ranges.push([a, b])
  })
  for (const nb of notes) if (nb && nb.piece.tokens.length > 0) pieces.push(nb.piece)

  hoistDefinitions(states, pieces, sourceFile, clean)
  return { states, pieces, kinds }
}

function hoistDefinitions(
  states: LineState[],
  pieces: SecretPiece[],
  sourceFile: string,
  clean: (st: LineState) => CleanLine,
): void {
  const secretRefs = new Set<string>()
  const publicRefs = new Set<string>()
  const defs: Array<{ i: number; key: string; footnote: boolean }> = []
  states.forEach((st, i) => {
    const content = st.raw.slice(contentStart(st.raw))
    const def = st.whole ? null : /^\[(\^?)((?:[^\]\\]|\\.)+)\]:/.exec(content)
    if (st.whole) bracketLabels(st.raw, secretRefs)
    else {
      // Secret ranges blanked in one pass (a line may hold thousands).
      let pub = ''
      let last = 0
      for (const [a, b] of [...st.ranges].sort((x, y) => x[0] - y[0])) {
        bracketLabels(st.raw.slice(a, b), secretRefs)
        if (b <= last) continue
        const from = Math.max(a, last)
        pub += st.raw.slice(last, from) + ' '.repeat(b - from)
        last = b
      }
      pub += st.raw.slice(last)
      if (def) {
        defs.push({ i, key: labelKey((def[1] as string) + (def[2] as string)), footnote: def[1] === '^' })
        pub = pub.slice(0, contentStart(pub)) + pub.slice(contentStart(pub) + def[0].length)
      }
      bracketLabels(pub, publicRefs)
    }
  })
  for (const d of defs) {
    if (!secretRefs.has(d.key) || publicRefs.has(d.key)) continue
    const b = new PieceBuilder('sensitive', sourceFile)
    const take = (st: LineState): void => {
      st.whole = true
      st.ranges = []
      const c = clean(st)
      b.add(c.main, st.lineNo, true)
      for (const sd of c.side) {
        const q = new PieceBuilder('sensitive', sourceFile)
        q.add(sd.toks, st.lineNo, false)
        pieces.push(q.piece)
      }
    }
    take(states[d.i] as LineState)
    if (d.footnote) {
      let afterBlank = false
      for (let j = d.i + 1; j < states.length; j++) {
        const st = states[j] as LineState
        if (isBlank(st.raw)) {
          afterBlank = true
          continue
        }
        const indented = /^(?: {4}|\t)/.test(st.raw)
        if (afterBlank && !indented) break
        if (!indented && /^\s*\[\^?[^\]]+\]:/.test(st.raw)) break
        if (st.whole) break
        take(st)
      }
    }
    pieces.push(b.piece)
  }
}

// ---------------------------------------------------------------------------
// Frontmatter

function flatten(v: unknown): string | null {
  if (v === undefined || v === null) return null
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map(flatten).filter((x): x is string => x !== null).join('\n')
  if (typeof v === 'object') {
    return Object.values(v as Record<string, unknown>)
      .map(flatten)
      .filter((x): x is string => x !== null)
      .join('\n')
  }
  return String(v)
}

/** Every string value under `v` with its path (array items by index), in document order. */
function leaves(v: unknown, path: Array<string | number>, out: Array<[Array<string | number>, string]> = []): Array<[Array<string | number>, string]> {
  if (v === undefined || v === null) return out
  if (typeof v === 'string') out.push([path, v])
  else if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out))
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, [...path, k], out)
  else out.push([path, String(v)])
  return out
}

function pathKey(path: ReadonlyArray<string | number>): string {
  return JSON.stringify(path)
}

/**
 * Whether a frontmatter value holds sensitive syntax or a marking
 * (`sensitive`), or an HTML comment (`internal-note`): as written, and with
 * escapes, entities and percent-encoding decoded.
 */
export function markedKind(value: string): SecretKind | null {
  for (const v of [value, decodeSourceText(value).text]) {
    const folded = foldSame(v.normalize('NFKC'))
    if (SENSITIVE_NAME_RE.test(folded) || /\b(?:TOP[\W_]+)?SECRET\b/.test(folded)) return 'sensitive'
  }
  for (const v of [value, decodeSourceText(value).text]) if (/<!--|-->/.test(v)) return 'internal-note'
  return null
}

function isMapLike(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function textToks(text: string): Tok[] {
  const out: Tok[] = []
  for (const line of text.split(/\r\n|\r|\n/)) {
    const c = cleanLine(line)
    for (const t of c.main) out.push(t)
    for (const s of c.side) for (const t of s.toks) out.push(t)
  }
  return out
}

/**
 * Per line, the column ranges inside `<!-- ... -->` with the number of the
 * comment they belong to (a comment may span lines, blank ones too; one never
 * closed runs to the end).
 */
function commentRanges(lines: string[]): Array<Array<[number, number, number]>> {
  const out: Array<Array<[number, number, number]>> = []
  let open = false
  let id = -1
  for (const line of lines) {
    const ranges: Array<[number, number, number]> = []
    let i = 0
    while (i <= line.length) {
      if (open) {
        const end = line.indexOf('-->', i)
        if (end < 0) {
          ranges.push([i, line.length, id])
          break
        }
        ranges.push([i, end + 3, id])
        open = false
        i = end + 3
      } else {
        const start = line.indexOf('<!--', i)
        if (start < 0) break
        open = true
        id++
        i = start
      }
    }
    out.push(ranges)
  }
  return out
}

/** Thrown by {@link plainValue} for frontmatter verify will not read (the paper is then treated as not public). */
class Unreadable extends Error {}

const MAX_YAML_DEPTH = 32
const MAX_YAML_NODES = 20_000

/**
 * The frontmatter as plain values: strings, arrays and objects with string
 * keys. Written here instead of `doc.toJS()`, whose stringifying of
 * collection keys (`? ? ? ...`) and alias expansion take super-linear time;
 * a collection key, nesting deeper than {@link MAX_YAML_DEPTH} or more than
 * {@link MAX_YAML_NODES} nodes (aliases counted each time) is unreadable.
 */
function plainValue(node: unknown, doc: Document, depth = 0, budget = { nodes: 0 }): unknown {
  if (++budget.nodes > MAX_YAML_NODES || depth > MAX_YAML_DEPTH) throw new Unreadable()
  if (node === null || node === undefined) return null
  if (isAlias(node)) return plainValue(node.resolve(doc), doc, depth + 1, budget)
  if (isScalar(node)) return node.value === null || node.value === undefined ? null : String(node.value)
  if (isSeq(node)) return node.items.map((item) => plainValue(item, doc, depth + 1, budget))
  if (isMap(node)) {
    const out: Record<string, unknown> = {}
    for (const pair of node.items) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key
      if (!isScalar(key)) throw new Unreadable()
      out[String(key.value)] = plainValue(pair.value, doc, depth + 1, budget)
    }
    return out
  }
  throw new Unreadable()
}

/**
 * Reads one source paper. Never throws for bad input: unparseable frontmatter
 * makes the whole file a not-public secret.
 */
export function extractPaper(text: string, sourceFile: string, now: Date): PaperExtraction {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)
  const result: PaperExtraction = {
    sourceFile,
    isPublic: false,
    invalid: false,
    forbiddenSlugs: [],
    publicSlug: null,
    pieces: [],
    publicStreams: [],
    publicRefs: [],
  }

  let fmLines: string[] | null = null
  let bodyStart = 0
  let invalid = false
  if ((lines[0] ?? '').trimEnd() === '---') {
    for (let j = 1; j < lines.length; j++) {
      const l = (lines[j] as string).trimEnd()
      if (l === '---' || l === '...') {
        fmLines = lines.slice(1, j)
        bodyStart = j + 1
        break
      }
    }
    if (!fmLines) invalid = true
  }

  let data: Record<string, unknown> = {}
  const lc = new LineCounter()
  let doc: ReturnType<typeof parseDocument> | null = null
  if (fmLines && !invalid) {
    try {
      doc = parseDocument(fmLines.join('\n'), { schema: 'failsafe', lineCounter: lc, uniqueKeys: true, prettyErrors: false })
      if (doc.errors.length > 0) invalid = true
      else {
        const js: unknown = plainValue(doc.contents, doc)
        if (js === null || js === undefined) data = {}
        else if (isMapLike(js)) data = js
        else invalid = true
      }
    } catch {
      invalid = true
    }
  }

  if (invalid) {
    result.invalid = true
    // Whole file is secret. Lines of the (broken) frontmatter lose their `key:` prefix so
    // that values such as the title can still match as short phrases (one span per line).
    const b = new PieceBuilder('not-public', sourceFile)
    const fmEnd = fmLines ? bodyStart : (lines[0] ?? '').trimEnd() === '---' ? lines.length : 0
    lines.forEach((l, i) => {
      const c = cleanLine(i < fmEnd ? l.replace(/^(\s*(?:-\s*)?)[\w-]+[ \t]*:(?=\s|$)/, (x) => ' '.repeat(x.length)) : l)
      b.add(c.main, i + 1, true)
      for (const s of c.side) {
        const q = new PieceBuilder('not-public', sourceFile)
        q.add(s.toks, i + 1, false)
        result.pieces.push(q.piece)
      }
    })
    result.pieces.push(b.piece)
    return result
  }

  const pos = (path: Array<string | number>): { line: number; column: number } => {
    const node = doc?.getIn(path, true) as { range?: [number, number, number] } | undefined
    if (node && Array.isArray(node.range)) {
      const p = lc.linePos(node.range[0])
      return { line: p.line + 1, column: p.col }
    }
    return { line: 1, column: 1 }
  }
  const fmPiece = (kind: SecretKind, path: Array<string | number>, value: string | null, extra?: Partial<SecretPiece>): void => {
    if (!value) return
    const p = pos(path)
    const b = new PieceBuilder(kind, sourceFile)
    Object.assign(b.piece, extra)
    b.add(
      textToks(value).map((t) => ({ t: t.t, col: p.column - 1 })),
      p.line,
      false,
    )
    if (b.piece.tokens.length > 0) result.pieces.push(b.piece)
  }

  // Publicity.
  const classification = data['classification']
  let isPublic = classification === 'OFFICIAL'
  const deferral = data['deferral']
  if (isPublic && deferral !== undefined && !(typeof deferral === 'string' && NULLISH.has(deferral.trim()))) {
    if (!isMapLike(deferral)) isPublic = false
    else {
      const until = deferral['until']
      if (until !== undefined && !(typeof until === 'string' && NULLISH.has(until.trim()))) {
        const t = typeof until === 'string' ? parseUntil(until) : null
        if (t !== null) result.dueAt = t
        if (t === null || now.getTime() < t) isPublic = false
      }
    }
  }
  // A draft is never published, nor a paper withdrawn with `remove`; read
  // strictly: any value but false (or none) makes it not public.
  const off = (value: unknown) => value !== undefined && value !== null && value !== false && !(typeof value === 'string' && (value.trim() === 'false' || NULLISH.has(value.trim())))
  if (off(data['draft'])) isPublic = false
  const withdrawn = data['withdrawn']
  if (isMapLike(withdrawn) && off(withdrawn['remove'])) isPublic = false
  result.isPublic = isPublic

  // Body.
  const bodyLines = lines.slice(bodyStart)
  const { states, pieces, kinds } = scanBody(bodyLines, bodyStart + 1, sourceFile)
  result.pieces.push(...pieces)

  // Frontmatter values the pipeline refuses to publish (every paper): one
  // holding sensitive syntax or a marking (`:official-sensitive[...]`,
  // `OFFICIAL-SENSITIVE`, `SECRET`) is secret, one holding an HTML comment an
  // internal note; neither counts as public text. `classification` names the
  // marking by design.
  const markedPaths = new Set<string>()
  for (const [path, value] of leaves(data, [])) {
    if (path[0] === 'classification') continue
    const kind = markedKind(value)
    if (!kind) continue
    markedPaths.add(pathKey(path))
    fmPiece(kind, path, value)
  }

  // Internal frontmatter (every paper).
  if (isMapLike(deferral)) fmPiece('internal-frontmatter', ['deferral', 'reason'], flatten(deferral['reason']))
  const part2 = data['part2']
  if (isMapLike(part2)) fmPiece('internal-frontmatter', ['part2', 'review'], flatten(part2['review']), { review: true })

  const id = flatten(data['id'])
  if (!isPublic) {
    fmPiece('not-public', ['title'], flatten(data['title']))
    fmPiece('not-public', ['id'], id, { relaxed: true })
    fmPiece('not-public', ['summary'], flatten(data['summary']))
    // Its decision maker and each tag (one by one: tags side by side in a
    // withheld paper are not a phrase the site prints; the tag list of the
    // side column would put any two of them together). Why: "Decision maker
    // <its name>" or a page of its own tag, before its date, was not reported
    // (a red team's finding). Said by a public paper too, they are public.
    fmPiece('not-public', ['decision_maker'], flatten(data['decision_maker']))
    const tags = data['tags']
    if (Array.isArray(tags)) tags.forEach((tag, i) => fmPiece('not-public', ['tags', i], flatten(tag)))
    else fmPiece('not-public', ['tags'], flatten(tags))
    if (id) {
      const slug = slugify(id)
      const p = pos(['id'])
      if (slug) {
        result.forbiddenSlugs.push({ slug, ...p })
        fmPiece('not-public', ['id'], slug.replace(/-/g, ' '), { relaxed: true })
      }
    }
    const base = slugify(sourceFile.replace(/^.*\//, '').replace(/\.[^.]*$/, ''))
    if (/[a-z]/.test(base) && /[0-9]/.test(base) && !result.forbiddenSlugs.some((f) => f.slug === base)) {
      result.forbiddenSlugs.push({ slug: base, line: 1, column: 1 })
    }
    const body = new PieceBuilder('not-public', sourceFile)
    for (const st of states) {
      const c = st.clean ?? cleanLine(st.raw)
      body.add(c.main, st.lineNo, false)
      for (const s of c.side) {
        const q = new PieceBuilder('not-public', sourceFile)
        q.add(s.toks, st.lineNo, false)
        result.pieces.push(q.piece)
      }
    }
    result.pieces.push(body.piece)
    return result
  }

  // Public text: frontmatter values other than internal ones, plus non-secret body text.
  const streams = result.publicStreams
  const internal = new Set([pathKey(['deferral', 'reason']), pathKey(['part2', 'review'])])
  // Each field's values (a list's items one by one), for the site's labels below.
  const fields = new Map<string, string[][]>()
  for (const [key, v] of Object.entries(data)) {
    const values = leaves(v, [key])
      .filter(([path]) => !markedPaths.has(pathKey(path)) && !internal.has(pathKey(path.slice(0, 2))))
      .map(([, value]) => value)
    streams.push(textToks(values.join('\n')).map((t) => t.t))
    const items = values.map((value) => textToks(value).map((t) => t.t)).filter((toks) => toks.length > 0)
    if (items.length > 0) fields.set(key, items)
  }
  // The date as the pages print it (`1 May 2024`), for a label's `{date}`.
  const ymd = typeof data['date'] === 'string' && !markedPaths.has(pathKey(['date'])) ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(data['date']) : null
  const month = ymd ? MONTH_NAMES[Number(ymd[2]) - 1] : undefined
  if (ymd && month) fields.set('date', [[String(Number(ymd[3])), month, ymd[1] as string]])
  else fields.delete('date')
  streams.push(...labelled(fields))
  if (id && !markedPaths.has(pathKey(['id']))) {
    result.publicSlug = slugify(id) || null
    streams.push(slugify(id).split('-'))
  }
  // The body stream runs on across removed sensitive material, as the redacted
  // output does, so that n-grams spanning a redaction seam count as public.
  // HTML comments are internal notes (their ranges are among the secret ones).
  const body: string[] = []
  states.forEach((st) => {
    if (st.whole) return
    const c = st.clean ?? cleanLine(st.raw)
    const inRange = inRanges(st.ranges)
    for (const t of c.main) if (!inRange(t.col)) body.push(t.t)
    for (const s of c.side) if (!inRange(s.col)) streams.push(s.toks.map((t) => t.t))
    for (const r of c.refs) if (!inRange(r.col)) result.publicRefs.push(r.url)
    // The line as a reader sees it: inline markup inside a word joins its
    // parts (\`**re**procurement\`, \`[Kestrel](url)wing\`), so the joined word
    // is public text too.
    if (/[*_~`<\[]/.test(st.raw)) {
      const visible = [...st.raw].map((ch, col) => (inRange(col) ? ' ' : ch)).join('')
      const joined = visible.replace(/\]\([^()\s]{0,500}\)/g, ']').replace(/<[^<>\n]{0,300}>/g, '').replace(/[*_~`[\]]/g, '')
      streams.push(textToks(joined).map((t) => t.t))
    }
  })
  streams.push(body)
  // A notice prints its directive's `kind` ("Material withheld: Part 2
  // business case"): the author's public description, public text like the
  // title. Only of directives outside withheld material (a nested one's
  // `kind` stays secret with its block).
  for (const kind of kinds) streams.push(textToks(kind).map((t) => t.t))
  return result
}

/**
 * A public paper's fields as the site prints them with its labels: each
 * label template of the reference (./site-text.ts, `labelTemplates`) with
 * the paper's values in its slots. Why: a page prints a label and a public
 * value side by side ("Decision maker Deputy Mayor for Policing and
 * Crime"), a run that is in neither the public text nor the site's own
 * text, so a withheld paper that said the same was reported, and stopped
 * every build. These runs are public text like the fields themselves: they
 * hold the site's wording and this paper's public values, nothing else.
 *
 * Made: the whole template, when the paper has every field it names (a
 * list's items in a row); and each slot alone with the site tokens around
 * it up to the next slot (a listing's neighbours are other papers), with
 * the list whole and with each item.
 */
function labelled(fields: ReadonlyMap<string, string[][]>, templates: readonly LabelTemplate[] = labelTemplates()): string[][] {
  const out = new Map<string, string[]>()
  const add = (toks: string[]): void => {
    if (toks.length > 0) out.set(toks.join(' '), toks)
  }
  for (const template of templates) {
    const whole = template.every((item) => typeof item === 'string' || fields.has(item.field))
    if (whole) add(template.flatMap((item) => (typeof item === 'string' ? [item] : (fields.get(item.field) as string[][]).flat())))
    template.forEach((item, i) => {
      if (typeof item === 'string') return
      const items = fields.get(item.field)
      // (A slot with its list whole is in the whole template, when made.)
      if (!items || (whole && items.length === 1)) return
      let a = i
      while (a > 0 && typeof template[a - 1] === 'string') a--
      let b = i + 1
      while (b < template.length && typeof template[b] === 'string') b++
      const before = template.slice(a, i) as string[]
      const after = template.slice(i + 1, b) as string[]
      if (!whole) add([...before, ...items.flat(), ...after])
      if (items.length > 1) for (const one of items) add([...before, ...one, ...after])
    })
  }
  return [...out.values()]
}


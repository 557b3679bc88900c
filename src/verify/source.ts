/**
 * Source-paper reading for `verify`: decides whether a paper is public at
 * `now` and extracts every piece of text that must never be published, plus
 * the paper's public text (used to suppress boilerplate matches).
 *
 * Independent of the publishing pipeline by design: the directive syntax is
 * recognised by a line-based scanner written here, not by remark.
 *
 * Block scanning rules (generous: when in doubt, a sensitive region is extended):
 *  - Line prefixes (indentation, `>` blockquote markers, list markers `-`,
 *    `*`, `+`, `1.`, `1)`) are skipped before looking for directive fences.
 *  - An opening fence is `:::name` (3+ colons; whitespace before the name is
 *    tolerated even though micromark would not accept it, so a mistyped fence
 *    still counts as sensitive). Names matching /official[-_ ]?sensitive/i are
 *    sensitive; other names are tracked only for nesting.
 *  - A closing fence (`:::` with only colons) closes the innermost open
 *    container whose fence is not longer than it. micromark instead closes the
 *    outermost container that the fence can close, so our sensitive regions
 *    end at the same line or later.
 *  - A sensitive container that is never closed extends to the end of file.
 *  - Fenced code inside a container does not protect `:::` lines (this matches
 *    micromark, which checks the closing fence before the container content).
 *  - `::official-sensitive...` leaf lines are sensitive as a whole.
 *  - `:official-sensitive[label]` spans: the bracket-balanced label (escapes
 *    honoured) is sensitive; an unbalanced label extends to the end of the
 *    paragraph (next blank line).
 *  - Definitions (`[^x]: ...`, `[x]: url "title"`) found outside sensitive
 *    regions but referenced only from sensitive text are treated as sensitive
 *    too (remark hoists definitions, so they could otherwise survive
 *    redaction of the text that used them).
 *  - The label of a sensitive container opener is part of the secret text;
 *    directive attributes such as `exemptions="s43"` are not (they are
 *    public metadata and too short to match anyway).
 */
import {parseDocument, LineCounter, isAlias, isMap, isScalar, isSeq, type Document} from 'yaml'
import {TZDate} from '@date-fns/tz'
import {decodeSourceText, forEachToken, slugify, stripTags} from './text.js'

export type SecretKind = 'sensitive' | 'internal-frontmatter' | 'not-public'

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
function foldSame(text: string): string {
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
const LINK_DEST_RE = /\]\(\s*(<[^<>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+("[^"]*"|'[^']*'|\([^()]*\)))?\s*\)/g
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
    pushUrl(m.index + 1, m[1] ?? '')
    if (m[2]) side.push({ col: m.index + 1, text: m[2] })
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

function isBlank(line: string): boolean {
  return /^[\s>]*$/.test(line)
}

/**
 * Scans the body lines, returning per-line secret markings and the sensitive
 * pieces (blocks, leaves, spans, hoisted definitions).
 */
function scanBody(lines: string[], firstLineNo: number, sourceFile: string): { states: LineState[]; pieces: SecretPiece[] } {
  const states: LineState[] = lines.map((raw, i) => ({ raw, lineNo: firstLineNo + i, whole: false, ranges: [] }))
  const pieces: SecretPiece[] = []
  const clean = (st: LineState): CleanLine => (st.clean ??= cleanLine(st.raw))

  const stack: Array<{ colons: number; sensitive: boolean }> = []
  let sensDepth = 0
  let block = null as PieceBuilder | null
  let inline = null as { b: PieceBuilder; depth: number } | null

  const addLineToBlock = (st: LineState): void => {
    st.whole = true
    const c = clean(st)
    block!.add(c.main, st.lineNo, true)
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

  for (const st of states) {
    const line = st.raw
    const cs = contentStart(line)
    const content = foldSame(line.slice(cs))

    // Continuation of an unterminated inline label.
    if (inline && !block) {
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

    const op = OPENER_RE.exec(content)
    if (op) {
      const sensitive = SENSITIVE_NAME_RE.test(op[2] as string)
      stack.push({ colons: (op[1] as string).length, sensitive })
      if (sensitive) {
        if (sensDepth === 0) {
          if (inline) {
            pieces.push(inline.b.piece)
            inline = null
          }
          block = new PieceBuilder('sensitive', sourceFile)
        }
        sensDepth++
      }
      if (block) addLineToBlock(st)
      continue
    }
    const cl = CLOSER_RE.exec(content)
    if (cl && stack.length > 0) {
      const n = (cl[1] as string).length
      let idx = -1
      for (let j = stack.length - 1; j >= 0; j--) {
        if ((stack[j] as { colons: number }).colons <= n) {
          idx = j
          break
        }
      }
      if (idx >= 0) {
        if (block) st.whole = true
        stack.length = idx
        sensDepth = stack.filter((x) => x.sensitive).length
        if (block && sensDepth === 0) {
          pieces.push(block.piece)
          block = null
        }
        continue
      }
    }
    if (block) {
      addLineToBlock(st)
      continue
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

  hoistDefinitions(states, pieces, sourceFile, clean)
  return { states, pieces }
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
      let pub = st.raw
      for (const [a, b] of st.ranges) {
        bracketLabels(st.raw.slice(a, b), secretRefs)
        pub = pub.slice(0, a) + ' '.repeat(b - a) + pub.slice(b)
      }
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

function isMapLike(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function textToks(text: string): Tok[] {
  const out: Tok[] = []
  for (const line of text.split(/\r\n|\r|\n/)) {
    const c = cleanLine(line)
    out.push(...c.main)
    for (const s of c.side) out.push(...s.toks)
  }
  return out
}

/** Per line, the column ranges inside `<!-- ... -->` (a comment may span lines). */
function commentRanges(lines: string[]): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = []
  let open = false
  for (const line of lines) {
    const ranges: Array<[number, number]> = []
    let i = 0
    while (i <= line.length) {
      if (open) {
        const end = line.indexOf('-->', i)
        if (end < 0) {
          ranges.push([i, line.length])
          break
        }
        ranges.push([i, end + 3])
        open = false
        i = end + 3
      } else {
        const start = line.indexOf('<!--', i)
        if (start < 0) break
        open = true
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

  const pos = (path: string[]): { line: number; column: number } => {
    const node = doc?.getIn(path, true) as { range?: [number, number, number] } | undefined
    if (node && Array.isArray(node.range)) {
      const p = lc.linePos(node.range[0])
      return { line: p.line + 1, column: p.col }
    }
    return { line: 1, column: 1 }
  }
  const fmPiece = (kind: SecretKind, path: string[], value: string | null, extra?: Partial<SecretPiece>): void => {
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
        if (t === null || now.getTime() < t) isPublic = false
      }
    }
  }
  result.isPublic = isPublic

  // Body.
  const bodyLines = lines.slice(bodyStart)
  const { states, pieces } = scanBody(bodyLines, bodyStart + 1, sourceFile)
  result.pieces.push(...pieces)

  // Internal frontmatter (every paper).
  if (isMapLike(deferral)) fmPiece('internal-frontmatter', ['deferral', 'reason'], flatten(deferral['reason']))
  const part2 = data['part2']
  if (isMapLike(part2)) fmPiece('internal-frontmatter', ['part2', 'review'], flatten(part2['review']), { review: true })

  const id = flatten(data['id'])
  if (!isPublic) {
    fmPiece('not-public', ['title'], flatten(data['title']))
    fmPiece('not-public', ['id'], id, { relaxed: true })
    fmPiece('not-public', ['summary'], flatten(data['summary']))
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
  for (const [key, v] of Object.entries(data)) {
    if (key === 'deferral' && isMapLike(v)) {
      const { reason: _r, ...rest } = v
      streams.push(textToks(flatten(rest) ?? '').map((t) => t.t))
    } else if (key === 'part2' && isMapLike(v)) {
      const { review: _r, ...rest } = v
      streams.push(textToks(flatten(rest) ?? '').map((t) => t.t))
    } else {
      streams.push(textToks(flatten(v) ?? '').map((t) => t.t))
    }
  }
  if (id) {
    result.publicSlug = slugify(id) || null
    streams.push(slugify(id).split('-'))
  }
  // The body stream runs on across removed sensitive material, as the redacted
  // output does, so that n-grams spanning a redaction seam count as public.
  // HTML comments are internal notes, never published: their text is not public text.
  const comments = commentRanges(states.map((st) => st.raw))
  const body: string[] = []
  states.forEach((st, k) => {
    if (st.whole) return
    const c = st.clean ?? cleanLine(st.raw)
    const hidden = [...st.ranges, ...(comments[k] ?? [])]
    const inRange = (col: number): boolean => hidden.some(([a, b]) => col >= a && col < b)
    for (const t of c.main) if (!inRange(t.col)) body.push(t.t)
    for (const s of c.side) if (!inRange(s.col)) streams.push(s.toks.map((t) => t.t))
    for (const r of c.refs) if (!inRange(r.col)) result.publicRefs.push(r.url)
  })
  streams.push(body)
  return result
}

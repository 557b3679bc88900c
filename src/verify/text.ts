/**
 * Text normalisation and tokenisation for the independent leak verifier.
 *
 * Everything here is deliberately self-contained (no remark/unified, nothing
 * from the publishing pipeline) so that a bug in the pipeline's own parsing
 * cannot silently hide a leak from `verify`.
 *
 * The same tokeniser is used for source secrets, for public source text and
 * for output files, so that both sides normalise identically:
 *   - tokens are maximal runs of letters, digits, combining marks and `_`;
 *     everything else (markdown/HTML punctuation, quotes, dashes, `&`, ...)
 *     separates tokens;
 *   - each token is NFKC-normalised and lower-cased (non-ASCII tokens are
 *     re-split after NFKC, e.g. `½` -> `1`, `2`), and leading/trailing `_`
 *     are trimmed (markdown `_emphasis_`);
 *   - soft hyphens and zero-width characters are deleted before tokenising,
 *     so `confiden&shy;tial` still matches `confidential`.
 */
import {tokenHash, type TokenSink} from './filter.js'

const TOKEN_RE = /[\p{L}\p{N}\p{M}_]+/gu
const ASCII_RE = /^[\x00-\x7f]*$/

/** Leading and trailing `_` removed (markdown `_emphasis_`); a loop, not a regex, so a long run stays linear. */
function trimUnderscores(t: string): string {
  let a = 0
  let b = t.length
  while (a < b && t.charCodeAt(a) === 95) a++
  while (b > a && t.charCodeAt(b - 1) === 95) b--
  return a === 0 && b === t.length ? t : t.slice(a, b)
}

/** Characters removed before tokenising (soft hyphen, zero-width, BOM, word joiner). */
export const INVISIBLE_RE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g

function pushNormalised(raw: string, index: number, out: (tok: string, index: number) => void): void {
  if (ASCII_RE.test(raw)) {
    let t = raw.toLowerCase()
    if (t.charCodeAt(0) === 95 || t.charCodeAt(t.length - 1) === 95) t = trimUnderscores(t)
    if (t) out(t, index)
    return
  }
  const norm = raw.normalize('NFKC').toLowerCase()
  const re = new RegExp(TOKEN_RE.source, 'gu')
  let m: RegExpExecArray | null
  while ((m = re.exec(norm))) {
    const t = trimUnderscores(m[0])
    if (t) out(t, index)
  }
}

/** ASCII word characters: letters, digits, `_`. */
const ASCII_WORD = new Uint8Array(128)
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /[A-Za-z0-9_]/.test(String.fromCharCode(c)) ? 1 : 0
/** BMP code units above ASCII: 0 not looked up yet, 1 letter/number/mark, 2 other. */
const BMP_WORD = new Uint8Array(65536)
const WORD_CHAR_RE = /^[\p{L}\p{N}\p{M}]$/u

function isLowSurrogate(d: number): boolean {
  return d >= 0xdc00 && d <= 0xdfff
}

/** Length (1 or 2 code units) of the non-ASCII word character at `i`, or 0. */
function wordCharLen(text: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1)
    if (d >= 0xdc00 && d <= 0xdfff) return WORD_CHAR_RE.test(text.slice(i, i + 2)) ? 2 : 0
    return 0
  }
  let k = BMP_WORD[c] as number
  if (k === 0) {
    k = c >= 0xdc00 && c <= 0xdfff ? 2 : WORD_CHAR_RE.test(String.fromCharCode(c)) ? 1 : 2
    BMP_WORD[c] = k
  }
  return k === 1 ? 1 : 0
}

/**
 * Calls `out` for each normalised token of `text` with the index of the raw
 * token start. The same tokens as /[\p{L}\p{N}\p{M}_]+/gu, read with a
 * character loop (ASCII tokens never touch a regular expression).
 */
export function forEachToken(text: string, out: (tok: string, index: number) => void): void {
  const n = text.length
  let i = 0
  while (i < n) {
    let c = text.charCodeAt(i)
    if (c < 128) {
      if (ASCII_WORD[c] === 0) {
        i++
        continue
      }
    } else {
      const w = wordCharLen(text, i, c)
      if (w === 0) {
        i += c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1
        continue
      }
    }
    const start = i
    let ascii = true
    let upper = false
    while (i < n) {
      c = text.charCodeAt(i)
      if (c < 128) {
        if (ASCII_WORD[c] === 0) break
        if (c >= 65 && c <= 90) upper = true
        i++
      } else {
        const w = wordCharLen(text, i, c)
        if (w === 0) break
        ascii = false
        i += w
      }
    }
    if (ascii) {
      let t = text.slice(start, i)
      if (upper) t = t.toLowerCase()
      if (t.charCodeAt(0) === 95 || t.charCodeAt(t.length - 1) === 95) t = trimUnderscores(t)
      if (t) out(t, start)
    } else pushNormalised(text.slice(start, i), start, out)
  }
}

export function tokenize(text: string): string[] {
  const toks: string[] = []
  forEachToken(text, (t) => toks.push(t))
  return toks
}

// ---------------------------------------------------------------------------
// HTML entities

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  zwnj: '', zwj: '', lrm: '', rlm: '', shy: '', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’',
  sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', hellip: '…', prime: '′', Prime: '″', laquo: '«',
  raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•', middot: '·', pound: '£', euro: '€', yen: '¥',
  cent: '¢', copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷',
  frac12: '½', frac14: '¼', frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', para: '¶', sect: '§',
  iexcl: '¡', iquest: '¿', curren: '¤', brvbar: '¦', uml: '¨', macr: '¯', acute: '´', cedil: '¸',
  ordf: 'ª', ordm: 'º', not: '¬', micro: 'µ', dagger: '†', Dagger: '‡', permil: '‰', minus: '−',
  colon: ':', comma: ',', period: '.', excl: '!', quest: '?', num: '#', dollar: '$', percnt: '%',
  lpar: '(', rpar: ')', ast: '*', plus: '+', sol: '/', bsol: '\\', semi: ';', equals: '=',
  lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}',
  verbar: '|', vert: '|', grave: '`', Hat: '^', lowbar: '_', tilde: '˜', hyphen: '‐', dash: '‐',
  NewLine: '\n', Tab: '\t', aelig: 'æ', AElig: 'Æ', oslash: 'ø', Oslash: 'Ø', szlig: 'ß', eth: 'ð',
  ETH: 'Ð', thorn: 'þ', THORN: 'Þ', oelig: 'œ', OElig: 'Œ', fnof: 'ƒ',
}
const COMBINING: Record<string, string> = {
  grave: '\u0300', acute: '\u0301', circ: '\u0302', tilde: '\u0303', uml: '\u0308', ring: '\u030a',
  cedil: '\u0327', caron: '\u030c',
}
// Numeric references as browsers read them: any leading zeros, `;` optional.
const ENTITY_RE = /&(?:#0*(\d{1,7});?|#[xX]0*([0-9a-fA-F]{1,6});?|([A-Za-z][A-Za-z0-9]{1,31});)/g

function decodeEntity(m: RegExpExecArray | string[]): string {
  const [whole, dec, hex, name] = m
  if (dec !== undefined || hex !== undefined) {
    const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex as string, 16)
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd'
    return String.fromCodePoint(cp)
  }
  const n = name as string
  const direct = NAMED[n]
  if (direct !== undefined) return direct
  // Accented letters: &eacute; -> e + U+0301 (NFKC later composes to é).
  const acc = /^([A-Za-z])(grave|acute|circ|tilde|uml|ring|cedil|caron)$/.exec(n)
  if (acc) return (acc[1] as string) + COMBINING[acc[2] as string]
  return whole as string
}

export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text
  return text.replace(ENTITY_RE, (...args: string[]) => decodeEntity(args))
}

// ---------------------------------------------------------------------------
// Other encodings found in output files

const PERCENT_RE = /(?:%[0-9A-Fa-f]{2})+/g

export function decodePercent(text: string): string {
  if (text.indexOf('%') < 0) return text
  return text.replace(PERCENT_RE, (s) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  })
}

/** JSON / JS string escapes (`\n`, `\u00e9`, `\"`, `\/` ...), also markdown backslash escapes. */
const ESCAPE_RE = /\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrtbfv]|[!-/:-@[-`{-~])/g

export function decodeEscapes(text: string): string {
  if (text.indexOf('\\') < 0) return text
  return text.replace(ESCAPE_RE, (_s, e: string) => {
    const c = e.charAt(0)
    if (c === 'u' && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16))
    if (c === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16))
    if (e.length === 1 && 'nrtbfv'.includes(c)) return ' '
    return e
  })
}

const TAG_RE = /<!--|-->|<!\[CDATA\[|\]\]>|<[!?][^<>]*>|<\/?[A-Za-z][^<>]*>/g
const ATTR_VALUE_RE = /=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g

/**
 * Replaces markup tags by a space followed by their attribute values (so
 * `href`, `alt`, `title`, `content` values stay scannable) and a space.
 */
export function stripTags(text: string): string {
  if (text.indexOf('<') < 0) return text
  return text.replace(TAG_RE, (tag) => {
    if (tag.length < 4 || tag.charCodeAt(1) === 33 /* ! */ || tag.charCodeAt(1) === 63 /* ? */) {
      return ' '
    }
    if (tag.indexOf('=') < 0) return ' '
    const vals: string[] = []
    ATTR_VALUE_RE.lastIndex = 0
    let m: RegExpExecArray | null
    while ((m = ATTR_VALUE_RE.exec(tag))) vals.push(m[1] ?? m[2] ?? m[3] ?? '')
    return ' ' + vals.join(' ') + ' '
  })
}

export const MARKUP_HINT_RE = /<\/?[A-Za-z!?]/

/**
 * Text variants scanned for one output file: the decoded raw text, and (when
 * the text contains markup) a tag-stripped variant. Entities are decoded twice
 * to handle double-escaped HTML in RSS/Atom/JSON.
 */
export function outputVariants(raw: string): string[] {
  const esc = decodeEscapes(raw)
  const a = decodePercent(decodeEntities(decodeEntities(esc))).replace(INVISIBLE_RE, '')
  const variants = [a]
  if (MARKUP_HINT_RE.test(esc) || MARKUP_HINT_RE.test(a)) {
    const b = decodePercent(decodeEntities(stripTags(decodeEntities(stripTags(esc))))).replace(INVISIBLE_RE, '')
    variants.push(b)
  }
  return variants
}

// ---------------------------------------------------------------------------
// Mapped text: length-changing replacements that remember original columns.

export interface MappedText {
  text: string
  /** map[i] = index in the original line of text[i]; null = identity. */
  map: number[] | null
}

export function mappedReplace(src: MappedText, re: RegExp, fn: (m: RegExpExecArray) => string): MappedText {
  re.lastIndex = 0
  if (!re.test(src.text)) return src
  re.lastIndex = 0
  const oldMap = src.map
  const orig = (i: number): number => (oldMap ? (oldMap[i] ?? oldMap[oldMap.length - 1] ?? i) : i)
  let out = ''
  const map: number[] = []
  let last = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(src.text))) {
    const start = m.index
    for (let i = last; i < start; i++) map.push(orig(i))
    out += src.text.slice(last, start)
    const rep = fn(m)
    for (let i = 0; i < rep.length; i++) map.push(orig(start))
    out += rep
    last = start + m[0].length
    if (m[0].length === 0) re.lastIndex++
  }
  for (let i = last; i < src.text.length; i++) map.push(orig(i))
  out += src.text.slice(last)
  return { text: out, map }
}

/** Decodes markdown backslash escapes, entities and percent-encoding, keeping a column map. */
export function decodeSourceText(line: string): MappedText {
  let t: MappedText = { text: line, map: null }
  t = mappedReplace(t, /\\([!-/:-@[-`{-~])/g, (m) => m[1] as string)
  t = mappedReplace(t, new RegExp(ENTITY_RE.source, 'g'), (m) => decodeEntity(m))
  t = mappedReplace(t, new RegExp(PERCENT_RE.source, 'g'), (m) => {
    try {
      return decodeURIComponent(m[0])
    } catch {
      return m[0]
    }
  })
  t = mappedReplace(t, new RegExp(INVISIBLE_RE.source, 'g'), () => '')
  return t
}

// ---------------------------------------------------------------------------
// Token classification heuristics

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have he her his i if in into is it its of on or our she so that the ' +
    'their them then there these they this to was we were which will with you your not no all any can may also more ' +
    'than such other been being do does did had would should could'
  ).split(' '),
)

const MONTHS_DAYS = new Set(
  (
    'january february march april may june july august september october november december ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday ' +
    'mon tue tues wed thu thur thurs fri sat sun am pm'
  ).split(' '),
)

const REVIEW_WORDS = new Set(
  (
    'review reviewed date dated due by on in of after before from until annually annual yearly quarterly monthly ' +
    'year years month months week weeks day days q1 q2 q3 q4 tbc tbd end start next every the'
  ).split(' '),
)

function hasLetter(t: string): boolean {
  return /\p{L}/u.test(t)
}

/** A token that adds (almost) no information: stopword, number or single character. */
export function isWeak(t: string): boolean {
  return t.length <= 1 || STOPWORDS.has(t) || /^\d+$/.test(t)
}

export function isDateish(t: string): boolean {
  return /^\d+$/.test(t) || /^\d+(?:st|nd|rd|th)$/.test(t) || MONTHS_DAYS.has(t)
}

/** Pure-letter tokens need to be at least this long to count as distinctive on their own. */
export const DISTINCTIVE_WORD_LENGTH = 16

/**
 * A single token distinctive enough to report on its own: an identifier-like
 * token (>= 2 letters and >= 2 digits, length >= 6, e.g. `ab12cd`, `op2025x`),
 * an inner-underscore token (length >= 8, e.g. `canary_ab12cd`), or a very long
 * word (>= {@link DISTINCTIVE_WORD_LENGTH} letters). Number-only tokens never.
 */
export function isDistinctive(t: string, wordLength = DISTINCTIVE_WORD_LENGTH): boolean {
  if (t.length < 6) return false
  let letters = 0
  let digits = 0
  let under = 0
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c === 95) under++
    else if (c >= 48 && c <= 57) digits++
    else if (c >= 97 && c <= 122) letters++
    else if (/\p{N}/u.test(t.charAt(i))) digits++
    else letters++
  }
  if (letters === 0) return false
  if (letters >= 2 && digits >= 2 && t.length >= 6) return true
  if (under >= 1 && letters >= 4 && t.length >= 8) return true
  return digits === 0 && under === 0 && t.length >= wordLength
}

/** Words of withheld material shorter than this never count on their own. */
export const WORD_MIN_LENGTH = 5

const LETTERS_ONLY_RE = /^[\p{L}\p{M}]+$/u

/**
 * A word that counts on its own when it occurs only in withheld material
 * (the caller drops it when it occurs in public source text, in the site's
 * own text, or as a shorter form of such a word): letters only, at least
 * {@link WORD_MIN_LENGTH} characters, not a stopword, month or day name.
 */
export function isWordCandidate(t: string): boolean {
  return t.length >= WORD_MIN_LENGTH && !STOPWORDS.has(t) && !MONTHS_DAYS.has(t) && LETTERS_ONLY_RE.test(t)
}

/**
 * Other readings of one output token for the single-word check: its parts
 * between `_` (a file name `zanthoria_bid.pdf` is one token).
 */
export function tokenParts(t: string): string[] {
  const out: string[] = []
  if (t.indexOf('_') >= 0) for (const p of t.split('_')) if (p) out.push(p)
  return out
}

/**
 * Whether a short phrase (2..ngram-1 tokens) is specific enough to match on
 * its own: >= 6 characters in total, at least one non-stopword token with a
 * letter and >= 3 characters, not made only of date-ish tokens, and for
 * two-word phrases no stopword or single-character word ("the council").
 */
export function isPhraseOk(tokens: readonly string[]): boolean {
  if (tokens.length < 2) return false
  if (tokens.length === 2 && tokens.some((t) => t.length === 1 || STOPWORDS.has(t))) return false
  let chars = 0
  let content = false
  let allDate = true
  for (const t of tokens) {
    chars += t.length
    if (!content && t.length >= 3 && !STOPWORDS.has(t) && hasLetter(t) && !MONTHS_DAYS.has(t)) content = true
    if (allDate && !isDateish(t)) allDate = false
  }
  return chars >= 6 && content && !allDate
}

/** A review value (e.g. `2027-06-01`, `June 2027`, `annual review`) carries no distinctive phrase. */
export function isReviewBoilerplate(tokens: readonly string[]): boolean {
  return tokens.every((t) => isDateish(t) || REVIEW_WORDS.has(t))
}

export function slugify(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

// ---------------------------------------------------------------------------
// Output scan: tokens straight to vocabulary ids

/**
 * A vocabulary (token -> id) that ASCII tokens are looked up in straight from
 * the text, by a hash of their lower-cased characters: no string is made for
 * the (many) output tokens that are in no secret.
 */
export class VocabLookup {
  private readonly keys: Int32Array
  private readonly ids: Int32Array
  private readonly strs: string[]
  private readonly mask: number
  readonly map: Map<string, number>

  constructor(vocab: Map<string, number>) {
    this.map = vocab
    let size = 16
    while (size < vocab.size * 2) size *= 2
    this.keys = new Int32Array(size)
    this.ids = new Int32Array(size).fill(-1)
    this.strs = new Array<string>(size)
    this.mask = size - 1
    for (const [t, id] of vocab) {
      if (!ASCII_RE.test(t)) continue
      let h = 0x811c9dc5
      for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193)
      let s = h & this.mask
      while (this.ids[s] !== -1) s = (s + 1) & this.mask
      this.keys[s] = h
      this.ids[s] = id
      this.strs[s] = t
    }
  }

  /** Id of the ASCII token text[start, end) lower-cased, or -1. */
  span(text: string, start: number, end: number): number {
    return this.hashed(text, start, end, spanHash(text, start, end))
  }

  /** {@link span}, given the token's {@link spanHash}. */
  hashed(text: string, start: number, end: number, h: number): number {
    const len = end - start
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.ids[s] as number
      if (id === -1) return -1
      if (this.keys[s] !== h) continue
      const t = this.strs[s] as string
      if (t.length !== len) continue
      let same = true
      for (let i = 0; i < len; i++) {
        let c = text.charCodeAt(start + i)
        if (c >= 65 && c <= 90) c += 32
        if (c !== t.charCodeAt(i)) {
          same = false
          break
        }
      }
      if (same) return id
    }
  }
}

/**
 * FNV-1a of the ASCII token text[start, end) lower-cased: the hash of the
 * token's string (`tokenHash` in ./filter.ts), without making the string.
 */
export function spanHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i)
    if (c >= 65 && c <= 90) c += 32
    h = Math.imul(h ^ c, 0x01000193)
  }
  return h
}

let idBuf = new Int32Array(1 << 16)

/**
 * The token ids of `text` (the tokens of {@link forEachToken}; -1 for a token
 * not in the vocabulary), as a view valid until the next call. `onParts` gets
 * the ids of the `_`-separated parts of tokens that have an inner `_`.
 */
export function tokenIds(text: string, vocab: VocabLookup, onParts?: (id: number) => void, sink?: TokenSink): Int32Array {
  let len = 0
  sink?.start()
  const push = (id: number): void => {
    if (len === idBuf.length) {
      const next = new Int32Array(idBuf.length * 2)
      next.set(idBuf)
      idBuf = next
    }
    idBuf[len++] = id
  }
  const parts = (t: string): void => {
    if ((!onParts && !sink) || t.indexOf('_') < 0) return
    for (const p of tokenParts(t)) {
      sink?.part(tokenHash(p))
      const id = onParts ? vocab.map.get(p) : undefined
      if (id !== undefined) onParts?.(id)
    }
  }
  const n = text.length
  let i = 0
  while (i < n) {
    let c = text.charCodeAt(i)
    if (c < 128) {
      if (ASCII_WORD[c] === 0) {
        i++
        continue
      }
    } else {
      const w = wordCharLen(text, i, c)
      if (w === 0) {
        i += c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1
        continue
      }
    }
    const start = i
    let ascii = true
    let under = false
    while (i < n) {
      c = text.charCodeAt(i)
      if (c < 128) {
        if (ASCII_WORD[c] === 0) break
        if (c === 95) under = true
        i++
      } else {
        const w = wordCharLen(text, i, c)
        if (w === 0) break
        ascii = false
        i += w
      }
    }
    if (ascii) {
      let a = start
      let b = i
      if (under) {
        while (a < b && text.charCodeAt(a) === 95) a++
        while (b > a && text.charCodeAt(b - 1) === 95) b--
      }
      if (a === b) continue
      const h = spanHash(text, a, b)
      push(vocab.hashed(text, a, b, h))
      sink?.token(h)
      if (under && (onParts || sink)) {
        const t = text.slice(a, b)
        if (t.indexOf('_') >= 0) parts(t.toLowerCase())
      }
    } else {
      pushNormalised(text.slice(start, i), start, (t) => {
        push(vocab.map.get(t) ?? -1)
        sink?.token(tokenHash(t))
        parts(t)
      })
    }
  }
  return idBuf.subarray(0, len)
}

/**
 * The site's own text, as `verify` knows it: what a build prints whatever the
 * papers say (navigation, footer, page titles and labels, the withheld-material
 * notices with every exemption's wording, the accessibility, privacy and data
 * pages, feed, JSON, CSV and search-index boilerplate), and the files a build
 * writes byte for byte whatever the papers (scripts, styles, WebAssembly).
 *
 * Where it comes from: a reference build of a BENIGN corpus (generated papers
 * whose every word is a marker, `qq...`, exercising every exemption, notices,
 * spans, footnotes, tables, attachments, tags, years, pagination, deferrals,
 * first-published dates, with and without a base URL), reduced to token runs
 * with the markers cut out: ./site-text.generated.ts. tests/verify/site-text.test.ts
 * makes that reference with the real build and fails when the site's text has
 * changed and the reference no longer covers it (`UPDATE_SITE_TEXT=1` rewrites it).
 *
 * Why a reference and not the output being checked: text "on every page" or
 * "on the pages that are not papers" of the site under test would also take
 * in a leak that a bug puts on every page (a withheld paper's title in a
 * site-wide list), and then excuse it. The reference is made from papers that
 * hold none of this corpus's text, so nothing in it can be a secret of this
 * corpus: a phrase of withheld material that is also in the reference carries
 * no information (the site prints it anyway), and a phrase that is in withheld
 * material only is still reported.
 *
 * Numbers, short tokens with a digit (`s40`, `v3`) and single characters are
 * left out when comparing with the reference (`section 43 of` and `section
 * 31(1)(a) of` are both `section of`). Longer tokens with digits (hashes,
 * identifiers) are never in it.
 */
import {isUtf8} from 'node:buffer'
import {createHash} from 'node:crypto'
import {decompress, fileTexts} from './output.js'
import {FIXED_FILES, LABELS, SITE_TEXT} from './site-text.generated.js'
import {decodeEntities, forEachToken, outputVariants, tokenParts} from './text.js'

/**
 * Whether a token is left out when comparing with the reference: numbers,
 * short tokens with a digit (`s40`, `v3`, `22a`) and single characters
 * (subsection letters, the `s` of `Mayor's`). Comparing without them, `section
 * 43 of` is `section 31(1)(a) of` is `sections 40 and 43 of`'s shape; what
 * differs only in such tokens carries no secret.
 */
export function isChromeFiller(t: string): boolean {
  return t.length <= 1 || chromeKey(t) === '#'
}

/** The token class used to compare with the reference. */
export function chromeKey(t: string): string {
  let digit = false
  let allDigits = true
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c >= 48 && c <= 57) digit = true
    else allDigits = false
  }
  if (allDigits && t.length > 0) return '#'
  if (digit && t.length <= 4) return '#'
  return t
}

/** Tokens never kept in the reference: long tokens with a digit (hashes, build ids). */
function breaksRun(t: string): boolean {
  if (t.length < 5) return false
  let digit = false
  let letter = false
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c >= 48 && c <= 57) digit = true
    else letter = true
  }
  return digit && letter
}

export interface SiteText {
  /** Token runs ({@link chromeKey}-normalised, {@link isChromeFiller} tokens left out). */
  streams: string[][]
  /** Every token of `streams`. */
  vocab: Set<string>
  /** `size:sha256` of files every build writes byte for byte. */
  fixedFiles: Set<string>
  /** Sizes that occur in `fixedFiles` (a file of another size is not hashed). */
  fixedSizes: Set<number>
}

let cached: SiteText | null = null

/** The reference, parsed once per process. */
export function siteText(): SiteText {
  if (cached) return cached
  const streams: string[][] = []
  const vocab = new Set<string>()
  for (const line of SITE_TEXT.split('\n')) {
    if (!line) continue
    const toks = line.split(' ').filter((t) => !isChromeFiller(t))
    if (toks.length === 0) continue
    streams.push(toks)
    for (const t of toks) vocab.add(t)
  }
  // The parts of a token joined by `_` (`header__owner`), as the single-word check reads output tokens.
  for (const t of [...vocab]) {
    for (const part of tokenParts(t)) {
      if (vocab.has(part)) continue
      vocab.add(part)
      streams.push([part])
    }
  }
  const fixedFiles = new Set<string>()
  const fixedSizes = new Set<number>()
  for (const line of FIXED_FILES.split('\n')) {
    if (!line) continue
    fixedFiles.add(line)
    fixedSizes.add(Number(line.slice(0, line.indexOf(':'))))
  }
  cached = { streams, vocab, fixedFiles, fixedSizes }
  return cached
}

export function fileKey(bytes: Uint8Array): string {
  return `${bytes.byteLength}:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Whether an output file is byte for byte one every build writes (so it holds nothing of any paper). */
export function isFixedFile(bytes: Uint8Array, model: SiteText = siteText()): boolean {
  return model.fixedSizes.has(bytes.byteLength) && model.fixedFiles.has(fileKey(bytes))
}

/**
 * The reference holds every sequence of up to COVER + 1 tokens of the site's
 * text (phrases are matched in 8-word n-grams).
 */
const COVER = 16

function cutHash(t: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193)
  return (h >>> 0) % 65521
}

/** Scripts, styles and images: byte for byte the same in every build (listed by hash), their words are not kept. */
const ASSET_FILE_RE = /\.(?:js|mjs|css|svg|wasm|pagefind|png|ico)$/i

/**
 * Reduces the files of a benign build to the reference: the token runs of
 * every file as `verify` scans it, cut at marker tokens (`isMarker`) and long
 * tokens with digits; and the `size:sha256` of every file that holds no marker
 * (the same bytes whatever the papers). Several builds may be merged by
 * passing all their files.
 */
export function extractSiteText(
  files: Iterable<[string, Uint8Array | string]>,
  isMarker: (token: string) => boolean,
): { streams: string[]; fixedFiles: string[] } {
  const streams = new Set<string>()
  const fixed = new Set<string>()
  for (const [rel, data] of files) {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const runs: string[] = []
    let run: string[] = []
    let marked = false
    const flush = (): void => {
      if (run.length > 0) runs.push(run.join(' '))
      run = []
    }
    const add = (t: string): void => {
      if (isMarker(t)) {
        marked = true
        flush()
      } else if (breaksRun(t)) flush()
      else run.push(chromeKey(t))
    }
    const plain = decompress(bytes, rel)
    // Binary files (the search index's word lists: CBOR, each word glued to its
    // length byte) hold no run of words worth keeping.
    for (const text of isUtf8(plain) ? fileTexts(plain) : []) {
      const variants = outputVariants(text)
      // Both readings the scan makes: as written, and with tags replaced by their attribute values.
      for (const v of variants) {
        forEachToken(v, add)
        flush()
      }
    }
    for (const name of rel.split('/')) {
      forEachToken(name, add)
      flush()
    }
    if (!marked) fixed.add(fileKey(bytes))
    if (marked || !ASSET_FILE_RE.test(rel)) {
      for (const r of runs) streams.add(r)
    }
  }
  // Long runs cut into overlapping pieces at content-defined points (tokens
  // whose hash is 0 mod 16): each piece runs from one cut to COVER tokens past
  // the next, so every sequence of up to COVER + 1 tokens is inside one piece,
  // and the page frame repeated on many pages (whatever comes before it) gives
  // the same pieces.
  const pieces = new Set<string>()
  for (const r of streams) {
    const toks = r.split(' ')
    if (toks.length <= 2 * COVER) {
      pieces.add(r)
      continue
    }
    const cuts = [0]
    for (let i = 1; i < toks.length; i++) if (cutHash(toks[i] as string) % 16 === 0) cuts.push(i)
    for (let j = 0; j < cuts.length; j++) {
      const end = Math.min(toks.length, (j + 1 < cuts.length ? (cuts[j + 1] as number) : toks.length) + COVER)
      pieces.add(toks.slice(cuts[j], end).join(' '))
    }
  }
  streams.clear()
  for (const w of pieces) streams.add(w)
  // Keep a run only when no longer run already holds it.
  const kept: string[] = []
  let all = '\n'
  for (const r of [...streams].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    if (all.includes(` ${r} `) || all.includes(`\n${r} `) || all.includes(` ${r}\n`) || all.includes(`\n${r}\n`)) continue
    kept.push(r)
    all += `${r}\n`
  }
  return { streams: kept.sort(), fixedFiles: [...fixed].sort() }
}

/** A label template: the site's tokens, and slots for a public paper's field (a frontmatter key). */
export type LabelTemplate = ReadonlyArray<string | {field: string}>

let labels: LabelTemplate[] | null = null

/** The label templates of the reference (./site-text.generated.ts, `LABELS`; see {@link extractLabels}), parsed once per process. */
export function labelTemplates(): LabelTemplate[] {
  if (labels) return labels
  labels = LABELS.split('\n').filter(Boolean).map((line) => line.split(' ').map((t) => (/^\{[a-z_]+\}$/.test(t) ? {field: t.slice(1, -1)} : t)))
  return labels
}

/** The months as a page prints them in a date, lower-cased as tokens are. */
export const MONTH_NAMES: readonly string[] = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MONTHS: ReadonlySet<string> = new Set(MONTH_NAMES)

/** Site tokens kept on each side of a public value in a label template: a phrase is matched in n-grams of 8. */
const LABEL_CONTEXT = 7

/**
 * The site's labels around the public values it prints, from the files of
 * a benign build: where the build printed a paper's field (its markers say
 * which, `fieldOf`), the site's own tokens on each side, up to
 * {@link LABEL_CONTEXT}, with the field as a slot: `decision maker
 * {decision_maker} tags {tags} exemptions applied`. Only pages, and only
 * what a reader sees of them (no tag or attribute value): the runs a person
 * may write in withheld material too. Two values with few enough site
 * tokens between them are one template. A template is cut at a number or
 * short token with a digit (the site prints counts and sections there,
 * which a slot cannot stand for; a `numbered` field's own number, an id's,
 * is part of its value), at a marker of no field, and where the page's text
 * breaks. A date as the pages print it (`1 May 2024`) is the paper's
 * `date`, a slot: a plain paper's page prints no other date. Two slots
 * with no site token between are in one template only when the markers of
 * both (`identified` fields: the paper's number ends them) say one paper's.
 * A run of more of a field's markers than one paper has (`widest`: the
 * side column's tags, every paper's) is no slot. What verify does with them: ./source.ts, `labelled`.
 */
export function extractLabels(files: Iterable<[string, Uint8Array | string]>, fieldOf: (token: string) => string | null | undefined, isMarker: (token: string) => boolean, numbered: ReadonlySet<string> = new Set(['id']), identified: ReadonlySet<string> = new Set(['id', 'title', 'summary']), widest = 2): string[] {
  const templates = new Set<string>()
  for (const [rel, data] of files) {
    if (!/\.html$/i.test(rel)) continue
    const html = typeof data === 'string' ? data : Buffer.from(data).toString('utf8')
    {
      for (const v of [visibleText(html)]) {
        // The template being made: site tokens and slots; `site` counts the site tokens since the last slot.
        let items: string[] = []
        let slots = 0
        let site = 0
        let field: string | undefined
        const close = (): void => {
          if (slots > 0) for (const window of windows(items)) templates.add(window.join(' '))
          items = []
          slots = 0
          site = 0
          field = undefined
        }
        // Two values with no word of the site between are two papers' as
        // often as one's (a listing's entry ends with a date or a decision
        // maker, and the next begins with its title): one template only when
        // both are known to be one paper's (a page's `PCD 4100: <its title>`),
        // by the paper's number in their markers; else two, or a template
        // would put one paper's values side by side as no page does (a red
        // team's finding: "2024 <a public title>" made public).
        let ident: string | undefined
        let before: string | undefined
        let pending: number | undefined
        // The paper the template's identified slots are of, where its current slot starts, and where the site's words before it start.
        let chain: string | undefined
        let slotAt = 0
        let gapAt = 0
        // The markers of the current slot's field read so far.
        const group = new Set<string>()
        const split = (): void => {
          if (pending === undefined) return
          for (const window of windows(items.slice(0, pending))) templates.add(window.join(' '))
          items = items.slice(pending)
          slots = 1
          pending = undefined
          chain = ident
        }
        const identify = (f: string, t: string): void => {
          const n = /(\d+)$/.exec(t)?.[1]
          if (!n || !identified.has(f) || ident !== undefined) return
          ident = n
          if (pending !== undefined) {
            if (before === n) pending = undefined
            else split()
          } else if (chain !== undefined && chain !== n) {
            // Another paper's, with the site's words between (a page's previous and next decisions): two templates, the words in both.
            for (const window of windows(items.slice(0, slotAt))) templates.add(window.join(' '))
            items = items.slice(gapAt)
            slots = 1
          }
          chain = n
        }
        const cut = (): void => {
          split()
          // What follows the last slot is kept up to the context; with no slot, nothing.
          if (slots > 0) items.splice(items.length - Math.max(0, site - LABEL_CONTEXT))
          close()
        }
        const slot = (f: string): void => {
          split()
          if (slots > 0 && site === 0) {
            pending = items.length
            before = ident
          } else if (slots > 0 && site > LABEL_CONTEXT) {
            // Too far from the last slot to be read with it: the site tokens before this slot start a new template.
            const context = items.slice(items.length - LABEL_CONTEXT)
            items.splice(items.length - (site - LABEL_CONTEXT))
            for (const window of windows(items)) templates.add(window.join(' '))
            items = context
            slots = 0
          } else if (slots === 0 && items.length > LABEL_CONTEXT) items = items.slice(items.length - LABEL_CONTEXT)
          if (slots === 0) chain = undefined
          slotAt = items.length
          gapAt = slotAt - Math.min(site, slotAt)
          items.push(`{${f}}`)
          slots++
          site = 0
          field = f
          ident = undefined
        }
        const toks: string[] = []
        forEachToken(v, (t) => void toks.push(t))
        for (let i = 0; i < toks.length; i++) {
          const t = toks[i] as string
          if (isMarker(t)) {
            const f = fieldOf(t)
            if (!f) {
              cut()
              continue
            }
            if (field !== f) {
              slot(f)
              group.clear()
            }
            group.add(t)
            if (group.size === widest + 1 && slots > 0) {
              // More of a field than one paper has (the side column's tags, the
              // search page's filters: every paper's at once): no slot for one
              // paper's values, which no page prints between these words.
              pending = undefined
              if (slots > 1) for (const window of windows(items.slice(0, slotAt))) templates.add(window.join(' '))
              items = []
              slots = 0
              site = 0
              chain = undefined
              ident = undefined
              continue
            }
            if (group.size <= widest) identify(f, t)
            continue
          }
          // A date as the pages print it (`1 May 2024`): the paper's date, a slot (`{date}`).
          if (/^\d{1,2}$/.test(t) && MONTHS.has(toks[i + 1] as string) && /^\d{4}$/.test(toks[i + 2] ?? '')) {
            slot('date')
            i += 2
            continue
          }
          if (chromeKey(t) === '#' || t.length <= 1 || breaksRun(t)) {
            // A slot's own number (an id's: `PCD 4100`) stays with it, and says whose it is.
            if (field !== undefined && numbered.has(field) && site === 0 && chromeKey(t) === '#') {
              identify(field, t)
              continue
            }
            cut()
            continue
          }
          split()
          items.push(t)
          site++
          field = undefined
        }
        cut()
      }
    }
  }
  // A template inside a longer one with the same fields is made whenever that one is (./source.ts, `labelled`): left out.
  const fieldsOf = (t: string): string => [...new Set(t.split(' ').filter((w) => w.startsWith('{')))].sort().join(' ')
  const all = [...templates].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
  const kept: string[] = []
  for (const t of all) {
    const fields = fieldsOf(t)
    if (kept.some((k) => ` ${k} `.includes(` ${t} `) && fieldsOf(k) === fields)) continue
    kept.push(t)
  }
  return kept.sort()
}

/** Most slots in one template: a listing's entries would otherwise make one template of the whole list. */
const LABEL_SLOTS = 3

/**
 * A chain of site tokens and slots as templates of at most
 * {@link LABEL_SLOTS} slots each, one starting at every slot, each with the
 * site tokens before its first slot and after its last (a run between two
 * slots is at most {@link LABEL_CONTEXT} tokens).
 */
function windows(items: readonly string[]): string[][] {
  const at = items.flatMap((item, i) => (item.startsWith('{') ? [i] : []))
  if (at.length <= LABEL_SLOTS) return [[...items]]
  const out: string[][] = []
  for (let k = 0; k + LABEL_SLOTS <= at.length; k++) {
    const start = k === 0 ? 0 : (at[k - 1] as number) + 1
    const end = k + LABEL_SLOTS === at.length ? items.length : (at[k + LABEL_SLOTS] as number)
    out.push(items.slice(start, end))
  }
  return out
}

/** The text a reader sees of a page: no script, style or tag, and no attribute value. */
function visibleText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^<>]*>/g, ' '))
}


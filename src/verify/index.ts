/**
 * `verify`: an independent second line of defence against publishing
 * material that must never be public. It shares no code with the redaction
 * pipeline: it re-reads the source papers with its own line-based scanner
 * (see ./source.ts), extracts everything that must not appear in the output,
 * and searches every file under the output folder for it.
 *
 * What is secret (per source paper, with file/line/column):
 *  - `sensitive`: text of `official-sensitive` container blocks, leaf lines and
 *    inline spans (all raw text of those lines, link URLs/titles and attribute
 *    values included), plus definitions only referenced from such text, and
 *    frontmatter values holding sensitive syntax or a marking. Blocks are read
 *    as their author wrote them, more strictly than the parser (see
 *    ./source.ts): a `:::` in code or a list item opened in the block closes
 *    nothing, and a stray closing fence withholds back to the first block;
 *  - `internal-note`: HTML comments in the body, and frontmatter values that
 *    hold one;
 *  - `internal-frontmatter`: `deferral.reason` and `part2.review` of every paper;
 *  - `not-public`: for papers not public at `now` (classification not exactly
 *    `OFFICIAL`, or `deferral.until` in the future or unparseable, or invalid
 *    frontmatter): title, id, slug, summary and the whole body.
 *
 * Matching heuristics (text normalised on both sides by ./text.ts: NFKC,
 * lower case, entities/JSON escapes/percent-encoding decoded, markup and
 * punctuation dropped, words = runs of letters/digits/`_`):
 *  1. every word n-gram (default 8) of each secret piece;
 *  2. secret pieces shorter than n words (names in spans, titles, ids,
 *     reasons, single lines of a block, link URLs) as whole phrases, if they
 *     have >= 2 words, >= 6 letters/digits in total, at least one non-stopword
 *     word of >= 3 characters (two-word phrases: no stopword or one-letter
 *     word at all), and are not only numbers/month/day names (so a
 *     bare date such as a `part2.review` value `2020-06-01` is never reported;
 *     review values made only of date words and words like "annual review"
 *     are skipped entirely). Ids are matched with a relaxed rule (>= 2 words,
 *     one of them with a letter);
 *  3. single distinctive tokens: >= 2 letters and >= 2 digits and >= 6
 *     characters (`ab12cd`, `pcd1450`), or an inner underscore and >= 8
 *     characters (`canary_ab12cd`). Numbers alone never count;
 *  4. single WORDS: every word of secret text (letters only, >= 5
 *     characters, not a stopword, month or day name; not from a
 *     `part2.review` value) counts on its own, so a supplier's or project's
 *     code name (`Zanthoria`) is caught alone, in a file name too (also as a
 *     part of a token joined by `_`: `zanthoria_bid.pdf`). What keeps this
 *     from reporting ordinary words is rule 5: a word that occurs in any
 *     public source text or in the site's own text is not distinctive;
 *  5. anything from 1-4 that also occurs in the PUBLIC text of the source
 *     papers (public papers' frontmatter and body outside sensitive pieces,
 *     the body read straight across removed sensitive material as the
 *     redacted page would be, footnote labels, and the text of local files
 *     that public text links to, which the build copies beside the page:
 *     only files of the pipeline's allowlist that are not papers under
 *     another name, see {@link publicFileStreams}) is dropped, which removes
 *     legitimately repeated text. So is anything that
 *     occurs in the SITE'S OWN TEXT (navigation, footer, page titles, labels,
 *     the withheld-material notices with every exemption's wording, the fixed
 *     pages): verify's reference of it is made from a build of a benign
 *     corpus, never from the output under test (see ./site-text.ts for why
 *     and how), compared without numbers and single characters. An n-gram is also dropped
 *     when its core (the n-gram without weak words - stopwords, numbers,
 *     single letters - at either end) is public or site text, or when it is
 *     all weak words: such "seam" n-grams appear wherever the output joins
 *     two public passages and carry no secret;
 *  6. path names: every file and directory name is scanned too, and a name
 *     (without extension) equal to the slug of a not-public paper is a hit.
 *
 * Nothing is dropped because of where, or how often, it occurs in the output:
 * a phrase or word that occurs in withheld material and in no public source
 * text and not in the reference of the site's own text is reported wherever
 * it appears, even on every page.
 *
 * Output files are read recursively (dotfiles included); gzip (magic
 * `1f 8b`, e.g. Pagefind `.pf_fragment` files) and `.br` brotli content is
 * decompressed; the text is scanned as UTF-8 (and additionally as latin1 when
 * it is not valid UTF-8), once as-is and once with markup tags replaced by
 * their attribute values. A file byte for byte identical to one that every
 * build writes whatever the papers (scripts, style sheets, WebAssembly: listed
 * in the reference) holds nothing of any paper and is not read; its name is
 * still checked. Adjacent matches from the same secret piece are merged, so
 * one leaked passage yields one hit.
 *
 * No regular expression here or in ./source.ts and ./text.ts backtracks
 * super-linearly on paper or output text (tests/verify/redos.test.ts).
 *
 * With `memory` (build and release give `<state>/verify`), what the last
 * clean search read and found is reused where it cannot have changed, with
 * the same verdict and hits (./incremental.ts).
 */
import {readFile, realpath, stat} from 'node:fs/promises'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import fg from 'fast-glob'
import {extractPaper, foldSame, type PaperExtraction, type SecretKind, type SecretPiece} from './source.js'
import {heapWatch} from './heap.js'
import {SecretIndex} from './matcher.js'
import {decompress, fileTexts, scanTextsOf, walk} from './output.js'
import {isChromeFiller, isFixedFile, siteText} from './site-text.js'
import {FilterBuilder, mayHoldAny, runItems, type TokenSink} from './filter.js'
import {FilterPack} from './pack.js'
import {candidates, compactStreams, contentDigest, extrasDigest, forgetReadings, freshIndex, keyOf, lostExcluded, recall, repairFolder, remember, rememberedPiece, rememberedReading, piecesWereRead, readSourceText, secretKeys, secretPieceCount, unitId, withParts, type ReadingRecord} from './incremental.js'
import {decodePercent, isDistinctive, isPhraseOk, isReviewBoilerplate, isWeak, isWordCandidate, outputVariants, tokenIds, tokenParts, tokenize, VocabLookup} from './text.js'

export interface VerifyOptions {
  content: string
  out: string
  now: Date
  ngram?: number
  /**
   * A folder of verify's own (the build gives `<state>/verify`): the list of
   * what was secret and the files found clean the last time this check passed.
   * With it, a file byte for byte one found clean then is searched only for
   * what has become secret since (see ./incremental.ts); the verdict and the
   * hits are the same as without it.
   */
  memory?: string
  /**
   * With `memory`: read none of what it holds (search everything, as without
   * it) and, when nothing is found, leave a new memory in its place: what
   * `--no-cache` does, so that the build after it need not search in full.
   */
  fresh?: boolean
}

export interface VerifyHit {
  /** Relative to `out` (POSIX separators); directories end with `/`. */
  outputFile: string
  /** `content` as given joined with the paper's relative path. */
  sourceFile: string
  line: number
  column: number
  kind: SecretKind
  /** The matched (normalised) phrase or token, truncated to ~80 characters. */
  match: string
}

export interface VerifyResult {
  hits: VerifyHit[]
  /** Output files scanned. */
  filesScanned: number
  /** Secret pieces extracted (blocks, spans, frontmatter values, not-public texts, ...). */
  secretsExtracted: number
  /** Source papers read. */
  papers: number
  /** The `out` folder as given (POSIX separators); used by {@link formatVerifyResult} to prefix paths. */
  out?: string
  /** With `memory`: output files found clean before and searched only for what has become secret since. */
  filesRemembered?: number
  /** With `memory`: whether every entry of every paper was looked at (no usable memory, or a change that needs it). */
  readAll?: boolean
  /** With `memory`: how many remembered readings had their secret pieces read (none when a change lost no public text and brought nothing new). */
  piecesRead?: number
  /** With `memory`: entries new to it (new withheld text), searched for in the public text that may hold them (none when all was searched). */
  entriesNew?: number
  /** With `memory`: the unchanged papers whose public text was read for the entries new to it. */
  textsRead?: number
  /** With `memory`: the files found clean before that were not read, their filter of words lacking what is new (`filesRemembered` counts them too). */
  filesPassed?: number
  /** With `memory`: runs of words that lost the public text that made them public (a change that removed or replaced public text), and the entries left out then that were searched for again because of them. */
  lostRuns?: number
  entriesAgain?: number
}

/**
 * Thrown when there is nothing to check: the content or output folder is
 * missing or not a folder, the output folder holds no file, or the content
 * folder holds no paper. The command line reports it as bad usage (exit 2).
 */
export class VerifyInputError extends Error {
  override name = 'VerifyInputError'
}

const KIND_ORDER: Record<SecretKind, number> = { sensitive: 0, 'internal-note': 1, 'internal-frontmatter': 2, 'not-public': 3 }
const MAX_MATCH = 80
const READ_BATCH = 64
/** Local files linked from public text larger than this are not read as public text. */
const MAX_PUBLIC_FILE = 64 * 1024 * 1024

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

function truncate(s: string): string {
  return s.length > MAX_MATCH ? `${s.slice(0, MAX_MATCH - 1)}…` : s
}

function idPhraseOk(tokens: readonly string[]): boolean {
  return tokens.length >= 2 && tokens.some((t) => /\p{L}/u.test(t)) && tokens.join('').length >= 3
}

/**
 * Drops every entry of `idx` that occurs in the site's own text (the
 * reference in ./site-text.ts), compared without numbers, short tokens with a
 * digit and single characters ({@link isChromeFiller}). Only entries whose
 * every other token is in the reference's vocabulary are looked at; an entry
 * made of such tokens only is never dropped here.
 */
function excludeSiteText(idx: SecretIndex): void {
  const model = siteText()
  // 1 = a token the reference has, 2 = a filler token (left out of the comparison).
  const kind = new Uint8Array(idx.vocab.size)
  for (const [tok, id] of idx.vocab) kind[id] = isChromeFiller(tok) ? 2 : model.vocab.has(tok) ? 1 : 0
  const shadow = new SecretIndex(1024)
  // Per piece: its shadow piece (filler tokens left out) and, per token, the
  // number of kept tokens before it.
  const shadowOf = new Map<number, { sp: number; before: Int32Array }>()
  const targets: number[][] = []
  for (let e = 0; e < idx.ePiece.length; e++) {
    if (idx.excluded[e]) continue
    const p = idx.ePiece[e] as number
    const off = idx.eOff[e] as number
    const len = idx.eLen[e] as number
    const ids = (idx.pieces[p] as { ids: Int32Array }).ids
    let ok = true
    let kept = 0
    for (let k = 0; k < len; k++) {
      const c = kind[ids[off + k] as number]
      if (c === 0) {
        ok = false
        break
      }
      if (c === 1) kept++
    }
    if (!ok || kept === 0) continue
    let sh = shadowOf.get(p)
    if (!sh) {
      const piece = (idx.pieces[p] as { piece: SecretPiece }).piece
      const before = new Int32Array(piece.tokens.length + 1)
      const keptTokens: string[] = []
      piece.tokens.forEach((t, i) => {
        before[i] = keptTokens.length
        if (!isChromeFiller(t)) keptTokens.push(t)
      })
      before[piece.tokens.length] = keptTokens.length
      sh = { sp: shadow.addPiece({ ...piece, tokens: keptTokens }), before }
      shadowOf.set(p, sh)
    }
    const a = sh.before[off] as number
    const se = shadow.addEntry(sh.sp, a, (sh.before[off + len] as number) - a)
    ;(targets[se] ??= []).push(e)
  }
  if (targets.length === 0) return
  shadow.finish()
  for (const stream of model.streams) {
    shadow.scan(shadow.toIds(stream), (se) => {
      for (const e of targets[se] ?? []) idx.excluded[e] = 1
    })
  }
}

/**
 * The files the pipeline copies beside a page (its allowlist, restated here:
 * verify imports nothing of the pipeline), with, for the binary ones, the
 * bytes their content must start with. Anything else a public paper links to
 * is never published, so its text is not public.
 */
const ATTACHMENT_MAGIC: Readonly<Record<string, ReadonlyArray<Uint8Array> | null>> = {
  '.pdf': [Buffer.from('%PDF-')],
  '.png': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  '.jpg': [Buffer.from([0xff, 0xd8, 0xff])],
  '.jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  '.gif': [Buffer.from('GIF87a'), Buffer.from('GIF89a')],
  '.webp': null, // RIFF....WEBP, checked below
  '.csv': [],
  '.svg': [],
}
/** Names of Markdown files (the pipeline's papers, and what it refuses to attach). */
const MARKDOWN_NAME_RE = /\.(?:md|markdown|mdown|mkdn?|mdwn|mdx|mdtext|text)$/i
/** A YAML frontmatter fence line (`---`) at the start of the text, or anywhere in it. */
const FRONTMATTER_START_RE = /^[\s\ufeff]*---[ \t]*(?:\r\n|\r|\n|$)/
const FENCE_LINE_RE = /(?:^|\r\n|\r|\n)[ \t]*---[ \t]*(?:\r\n|\r|\n|$)/
/** Sensitive-material syntax, lookalikes included (as ./source.ts reads it). */
const SENSITIVE_SYNTAX_RE = /:[\s\W_]{0,3}official[\W_]{0,3}sensitive/i

function hasMagic(buf: Buffer, ext: string): boolean {
  const magic = ATTACHMENT_MAGIC[ext]
  if (magic === null) return buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP'
  if (!magic || magic.length === 0) return true
  return magic.some((m) => buf.length >= m.length && buf.subarray(0, m.length).equals(m))
}

/**
 * The public text of local files that public papers link to (the build
 * copies them beside the page), and the files among them that are papers in
 * disguise. A linked file counts as public text only if it is one the
 * pipeline would copy and not a paper:
 *  - its name has an extension of the pipeline's allowlist (.pdf .png .jpg
 *    .jpeg .gif .webp .csv .svg, any case), and it resolves, links followed,
 *    to a regular file inside the content folder;
 *  - it is not a paper under another name: not a hard or symbolic link to a
 *    paper (same device and inode), not a link to a Markdown-named file, and
 *    its text neither starts with a `---` frontmatter line nor holds a `---`
 *    line or sensitive syntax (`:official-sensitive`) anywhere;
 *  - a binary format's content starts with that format's signature (a PDF
 *    with `%PDF-`, ...): its bytes are then what the build copies, and their
 *    text is what the scan of the copy reads. CSV and SVG are text.
 * Such a file that is not a paper already read (a copy, or a link to a
 * Markdown file the content scan does not read) is read as a paper (returned
 * in `papers`): what it withholds stays secret wherever it is copied.
 */
async function publicFileStreams(content: string, papers: PaperExtraction[], now: Date): Promise<{ streams: string[][]; papers: PaperExtraction[]; byPaper: Map<string, string[][]> }> {
  const root = path.resolve(content)
  const files = new Set<string>()
  const refsOf = new Map<string, string[]>()
  for (const paper of papers) {
    if (!paper.isPublic) continue
    const dir = path.dirname(path.resolve(paper.sourceFile))
    for (const ref of paper.publicRefs) {
      const abs = path.resolve(dir, ref)
      if (abs === root || !abs.startsWith(root + path.sep)) continue
      files.add(abs)
      refsOf.set(paper.sourceFile, [...(refsOf.get(paper.sourceFile) ?? []), abs])
    }
  }
  const streams: string[][] = []
  const disguised: PaperExtraction[] = []
  // Each paper's share (the files its public text links to), for verify's memory.
  const byFile = new Map<string, string[][]>()
  const byPaper = (): Map<string, string[][]> => new Map([...refsOf].map(([paper, refs]) => [paper, [...new Set(refs)].flatMap((abs) => byFile.get(abs) ?? [])]))
  if (files.size === 0) return { streams, papers: disguised, byPaper: byPaper() }
  const realRoot = await realpath(root).catch(() => root)
  let paperInodes: Set<string> | null = null
  const inodesOfPapers = async (): Promise<Set<string>> => {
    if (paperInodes) return paperInodes
    const set = new Set<string>()
    for (const paper of papers) {
      const st = await stat(path.resolve(paper.sourceFile)).catch(() => null)
      if (st) set.add(`${st.dev}:${st.ino}`)
    }
    return (paperInodes = set)
  }
  const seen = new Set<string>()
  for (const abs of [...files].sort()) {
    const ext = path.extname(abs).toLowerCase()
    if (!Object.hasOwn(ATTACHMENT_MAGIC, ext)) continue
    // The file itself, links resolved, must be inside the content folder.
    const real = await realpath(abs).catch(() => null)
    if (!real || !real.startsWith(realRoot + path.sep)) continue
    const st = await stat(abs).catch(() => null)
    // Too large to read: not read here. What it holds (a paper under another
    // name) cannot be vouched for, so no output file that large passes the
    // check (below); the build refuses such an attachment (asset-too-large).
    if (!st || !st.isFile() || st.size > MAX_PUBLIC_FILE) continue
    const inode = `${st.dev}:${st.ino}`
    if ((st.nlink > 1 || real !== abs) && (await inodesOfPapers()).has(inode)) continue
    const buf = await readFile(abs).catch(() => null)
    if (!buf) continue
    const utf8 = buf.toString('utf8')
    if (MARKDOWN_NAME_RE.test(real) || FRONTMATTER_START_RE.test(utf8) || FENCE_LINE_RE.test(utf8) || SENSITIVE_SYNTAX_RE.test(foldSame(utf8)) || SENSITIVE_SYNTAX_RE.test(buf.toString('latin1'))) {
      // A paper under another name: read it as one (once, whatever links to it).
      if (!seen.has(inode)) {
        seen.add(inode)
        disguised.push(extractPaper(utf8, toPosix(path.join(content, path.relative(root, abs))), now))
      }
      continue
    }
    if (!hasMagic(buf, ext)) continue
    const own: string[][] = []
    for (const t of fileTexts(decompress(buf, abs))) for (const v of outputVariants(t)) own.push(tokenize(v))
    streams.push(...own)
    byFile.set(abs, own)
  }
  return { streams, papers: disguised, byPaper: byPaper() }
}

/**
 * The text of the site configuration (`<content>/mopac.config.json`): the
 * site prints every value of it on its pages (the organisation, contacts),
 * so it is public text, read here with JSON.parse alone. `$comment` is never
 * printed, so it does not count; a file that cannot be read or parsed adds
 * nothing (the build refuses it anyway).
 */
async function configStreams(content: string): Promise<string[][]> {
  let value: unknown
  let text: string
  try {
    // As the build reads it: a regular file (a link followed), at most 1 MiB, no pipe waited on.
    text = readSourceText(path.join(content, 'mopac.config.json'), {follow: true, limit: 1024 * 1024})
  } catch (error) {
    // None: nothing to add. Anything else there, refused (the build refuses it too).
    if ((error as {code?: string}).code === 'ENOENT') return []
    throw error
  }
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  const streams: string[][] = []
  const walkValue = (v: unknown, key: string): void => {
    if (key === '$comment' || key === '$schema') return
    if (typeof v === 'string') streams.push(tokenize(v))
    else if (Array.isArray(v)) for (const item of v) walkValue(item, '')
    else if (v && typeof v === 'object') for (const [k, inner] of Object.entries(v)) walkValue(inner, k)
  }
  walkValue(value, '')
  return streams
}


/**
 * The live secret index: every entry (n-gram, short phrase, single word) of
 * the secret pieces, less what occurs in public text or the site's own
 * text, and less the seam n-grams (rule 5); with the keys of the entries
 * left out, and how many entries were new to `known`.
 *
 * With `known` (what was secret and what was left out at the last clean
 * search: see `Candidates` in ./incremental.ts), `pieces` are the changed
 * papers' and `publicStreams` their text: an entry left out then is left
 * out, one secret then is looked for in that text, and one that is neither
 * (new to the memory) is looked for there and in the public text `more`
 * gives for what is new (the texts whose filter of words may hold it).
 *
 * With `remembered` (the secrets remembered, each its words joined by a
 * space), each is an entry as it is, alongside those of `pieces`: see
 * `Candidates` in ./incremental.ts.
 */
function liveIndex(pieces: SecretPiece[], publicStreams: Iterable<string[]>, n: number, {known, keys = true, remembered = []}: {known?: {secrets: ReadonlySet<string>; excluded: {has(key: string): boolean}; more: (runs: number[][], pending: (run: number) => boolean) => Iterable<string[]>}; keys?: boolean; remembered?: Iterable<string>} = {}): {live: SecretIndex; excluded: string[]; fresh: number} {
  let totalTokens = 0
  for (const p of pieces) totalTokens += p.tokens.length
  const asPieces: SecretPiece[] = []
  for (const key of remembered) {
    const piece = rememberedPiece(key)
    asPieces.push(piece)
    totalTokens += piece.tokens.length
  }
  const index = new SecretIndex(totalTokens * n)
  // Probe index of n-gram "cores" (the n-gram minus weak words at either end),
  // only used to spot n-grams that are public text plus weak words.
  const probe = new SecretIndex(totalTokens * 2, index)
  const cores: Array<{ entry: number; core: number }> = []
  const allWeak: number[] = []
  // An entry of `n` words at `off` of piece `pi`, with its core for the seam rule.
  const nGram = (pi: number, toks: readonly string[], off: number): void => {
    const before = index.ePiece.length
    const e = index.addEntry(pi, off, n)
    if (e !== before) return
    let a = off
    let b = off + n
    while (a < b && isWeak(toks[a] as string)) a++
    while (b > a && isWeak(toks[b - 1] as string)) b--
    if (b === a) allWeak.push(e)
    else if (b - a < n) cores.push({ entry: e, core: probe.addEntry(pi, a, b - a) })
  }
  // A remembered secret is an entry whole (one of n words is an n-gram: every
  // shorter entry is a phrase or a word, which the seam rule does not read).
  for (const piece of asPieces) {
    const pi = index.addPiece(piece)
    if (piece.tokens.length === n) nGram(pi, piece.tokens, 0)
    else index.addEntry(pi, 0, piece.tokens.length)
  }
  for (const piece of pieces) {
    const pi = index.addPiece(piece)
    const toks = piece.tokens
    const len = toks.length
    if (len >= n) {
      for (let off = 0; off + n <= len; off++) nGram(pi, toks, off)
    } else if (piece.whole && len >= 2) {
      const ok = piece.relaxed
        ? idPhraseOk(toks)
        : isPhraseOk(toks) && !(piece.review && isReviewBoilerplate(toks))
      if (ok) index.addEntry(pi, 0, len)
    }
    for (const [s, l] of piece.spans) {
      if (l >= 2 && l < n && l < len && isPhraseOk(toks.slice(s, s + l))) index.addEntry(pi, s, l)
    }
    // Single tokens: identifiers, and words (rule 4: a word of withheld
    // material that is in no public text and not the site's own counts alone).
    for (let i = 0; i < len; i++) {
      const t = toks[i] as string
      if (isDistinctive(t) || (!piece.review && isWordCandidate(t))) index.addEntry(pi, i, 1)
    }
  }
  index.finish()
  probe.finish()

  // With `known`: the entries new to the memory (neither secret nor left
  // out then), and what a text must hold to hold each, or the core the seam
  // rule reads of it (./filter.ts). `known.more` gives the public text that
  // may hold one of them, beyond the changed papers' text: an entry new to
  // the memory is searched for in all public text that can hold it, as a
  // full search would.
  let fresh = 0
  let extra: Iterable<string[]> = []
  if (known) {
    const coreOf = new Map<number, number>()
    for (const {entry, core} of cores) coreOf.set(entry, core)
    const weak = new Set(allWeak)
    // Each run of words, what a text must hold to hold it, and the entries
    // it stands for (with the core of each, when it has one).
    const runs = new Map<string, {items: number[]; entries: Array<[number, number | undefined]>}>()
    for (let e = 0; e < index.ePiece.length; e++) {
      const key = keyOf(index, e)
      if (known.secrets.has(key) || known.excluded.has(key)) continue
      fresh++
      // (An n-gram all of weak words is left out whatever the text says.)
      if (weak.has(e)) continue
      const core = coreOf.get(e)
      const [of, c] = core === undefined ? [index, e] : [probe, core]
      const toks = (of.pieces[of.ePiece[c] as number] as {piece: SecretPiece}).piece.tokens.slice(of.eOff[c] as number, (of.eOff[c] as number) + (of.eLen[c] as number))
      const run = toks.join(' ')
      let found = runs.get(run)
      if (!found) runs.set(run, (found = {items: runItems(toks), entries: []}))
      found.entries.push([e, core])
    }
    const list = [...runs.values()]
    // A run is still looked for while one of its entries is not left out by the text read so far.
    const pending = (i: number): boolean => (list[i] as (typeof list)[number]).entries.some(([e, core]) => !index.excluded[e] && !(core !== undefined && probe.excluded[core]))
    if (list.length > 0) extra = known.more(list.map((run) => run.items), pending)
  }

  // Exclude anything that occurs in public text.
  for (const stream of chain(publicStreams, extra)) {
    const ids = index.toIds(stream)
    index.exclude(ids)
    probe.exclude(ids)
  }
  index.doneExcluding()
  probe.doneExcluding()
  // ... or in the site's own text (navigation, notices, fixed pages: see ./site-text.ts).
  excludeSiteText(index)
  excludeSiteText(probe)
  // Seam rule: an n-gram that is public text plus weak words (stopwords, numbers,
  // single letters) at its ends carries no secret; it typically matches where
  // redaction or concatenation in the output joins two public passages.
  for (const { entry, core } of cores) if (probe.excluded[core]) index.excluded[entry] = 1
  for (const entry of allWeak) index.excluded[entry] = 1
  const excluded: string[] = []
  for (let e = 0; e < index.ePiece.length; e++) {
    // (The keys are only for the memory: a check without one does not make them.)
    if (index.excluded[e]) {
      if (keys) excluded.push(keyOf(index, e))
    } else if (known) {
      const key = keyOf(index, e)
      if (known.excluded.has(key)) {
        index.excluded[e] = 1
        excluded.push(key)
      }
    }
  }
  // The entries still live, in an index of their own: the output scan looks for
  // these only (most of the secret index is public text, excluded above). It
  // shares the pieces and their words' ids with the index (made once: at
  // 20,000 papers a one-paper edit indexes some 190,000 remembered secrets).
  let liveTokens = 0
  for (let e = 0; e < index.ePiece.length; e++) if (!index.excluded[e]) liveTokens += index.eLen[e] as number
  const live = new SecretIndex(liveTokens, index)
  for (let e = 0; e < index.ePiece.length; e++) {
    if (!index.excluded[e]) live.addEntry(index.ePiece[e] as number, index.eOff[e] as number, index.eLen[e] as number)
  }
  live.finish()
  return {live, excluded, fresh}
}

function* chain<T>(...lists: Iterable<T>[]): Iterable<T> {
  for (const list of lists) yield* list
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  return search(options)
}

/**
 * {@link verify}; `keep` (for a search done again in full after one with the
 * memory found something): the readings the memory names, which a search
 * that finds something leaves in place.
 */
async function search(options: VerifyOptions, keep: ReadonlySet<string> = new Set()): Promise<VerifyResult> {
  const n = Math.max(2, Math.min(64, Math.floor(options.ngram ?? 8)))
  const now = options.now
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new Error('verify: invalid `now`')
  // The heap, looked at between batches: a large site's check makes much short-lived text (./heap.ts).
  const heap = heapWatch()
  for (const [label, dir] of [
    ['content', options.content],
    ['out', options.out],
  ] as const) {
    const st = await stat(dir).catch(() => null)
    if (!st) throw new VerifyInputError(`verify: ${label} directory not found: ${dir}`)
    if (!st.isDirectory()) throw new VerifyInputError(`verify: ${label} is not a directory: ${dir}`)
  }

  // 1. Source papers: the files the build reads as papers (src/content/
  // discover.ts), listed by the check's own walk: regular files ending in
  // lower-case `.md`, none hidden (a name starting with a dot) or under
  // node_modules, none through a link. Why not more: a file's public text
  // counts as public here, so a hidden copy of a paper (a backup, an old
  // version) that says a secret openly made the check pass a site that
  // leaked it, and two hidden links to the content folder made the walk
  // endless (a red team's findings). The build refuses a linked paper or
  // folder, and a `.markdown` or `.MD` file, outright.
  let listed: string[]
  try {
    listed = await fg('**/*.md', {
      cwd: options.content,
      dot: false,
      followSymbolicLinks: false,
      onlyFiles: true,
      caseSensitiveMatch: true,
      ignore: ['**/node_modules/**'],
    })
  } catch (error) {
    // A folder that cannot be read (a path past the system's limit): not
    // checked, so refused, as the build refuses it (exit 1).
    throw Object.assign(new Error(`verify: a folder in ${options.content} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): move or rename it`), { changedDuringRun: true })
  }
  const rels = listed.sort()
  if (rels.length === 0) throw new VerifyInputError(`verify: no papers (*.md) in the content directory ${options.content}: nothing to check the site against`)
  const entries = await walk(options.out)
  if (!entries.some((e) => !e.dir)) throw new VerifyInputError(`verify: the out directory ${options.out} holds no file: nothing to check (is --out the built site?)`)
  // The memory first: a remembered reading is used only as it has it.
  if (options.memory !== undefined) repairFolder(options.memory)
  const recalled = options.memory === undefined || options.fresh === true ? undefined : await recall(options.memory, n)
  // The filters of words of each reading and each file read (./pack.ts): none of a memory not recalled is used.
  const pack = options.memory === undefined ? undefined : new FilterPack(options.memory, recalled?.filters)
  const readingRecords = new Map<string, ReadingRecord>()
  const papers: PaperExtraction[] = []
  const readings = new Set<string>()
  const readingIds: string[] = []
  for (let i = 0; i < rels.length; i += READ_BATCH) {
    const batch = rels.slice(i, i + READ_BATCH)
    heap.check()
    // Unreadable files make the whole check fail (throws): fail closed.
    // (Read one by one: a file of a few KB costs less read at once than through the thread pool.)
    const texts = batch.map((rel) => readSourceText(path.join(options.content, rel)))
    const read = await Promise.all(
      batch.map(async (rel, k) => {
        const sourceFile = toPosix(path.join(options.content, rel))
        if (options.memory === undefined) return compactStreams(extractPaper(texts[k] as string, sourceFile, now))
        const {extraction, id, record} = await rememberedReading(options.memory, texts[k] as string, sourceFile, now, recalled?.readings, pack)
        readings.add(id)
        readingRecords.set(id, record)
        return { extraction, id }
      }),
    )
    for (const r of read) {
      if ('id' in r) {
        papers.push(r.extraction)
        readingIds.push(r.id)
      } else papers.push(r)
    }
  }

  // Local files that public text links to: public text, or papers under another name.
  const linked = await publicFileStreams(options.content, papers, now)
  papers.push(...linked.papers)

  // 2. Secret index: the pieces of `of` (every paper unless said), in the
  // order hits are reported in. (A remembered reading's pieces are read from
  // the memory when asked for: a search of a change that lost no public text
  // needs only the changed papers'.)
  const piecesOf = (of: Iterable<PaperExtraction> = papers): SecretPiece[] =>
    [...of]
      .flatMap((p) => p.pieces)
      .filter((p) => p.tokens.length > 0)
      .map((p, i) => ({ p, i }))
      .sort((a, b) => KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind] || a.i - b.i)
      .map((x) => x.p)
  let secretsExtracted = 0
  for (const paper of papers) secretsExtracted += secretPieceCount(paper)

  // 3. Public text: anything that occurs in public source text, or in the text
  // of local files that public text links to, is not secret.
  const config = await configStreams(options.content)
  // (Read only when all of it is searched: a remembered paper's public text is read from the memory when asked for.)
  // One paper's at a time: the public text of every paper together is large.
  function* allPublic(): Iterable<string[]> {
    for (let i = 0; i < papers.length; i++) {
      if (i % READ_BATCH === 0) heap.check()
      yield* withParts((papers[i] as PaperExtraction).publicStreams)
    }
    yield* withParts([...linked.streams, ...config])
  }

  // With verify's memory, only the papers changed since are read, and only
  // what can be secret now is looked at (see `Candidates` in
  // ./incremental.ts): what was secret last time, what the changed papers
  // hold, and what lost the public text that made it public.
  const memory = recalled
  // A paper's unit: its reading, and the text of the files its public text links to.
  const units = new Map(papers.slice(0, papers.length - linked.papers.length).map((p, i) => [p.sourceFile, unitId(readingIds[i] as string, linked.byPaper.get(p.sourceFile))]))
  const extras = extrasDigest(linked.papers, config)
  const chosen = memory && options.memory !== undefined ? await candidates(options.memory, memory, { units, extras, papers, linked: linked.byPaper, n }) : undefined
  // The changed papers' text is searched for the changed papers' entries
  // and the secrets remembered (see liveIndex).
  const changedPapers = chosen ? papers.filter((p) => chosen.changed.has(p.sourceFile)) : []
  // An entry new to the memory (new withheld text) is searched for in the
  // public text that may hold it: each unchanged paper's whose filter of
  // words says it may (./filter.ts; one without a sound filter is read), and
  // the text read this run besides (papers under other names, linked files,
  // the configuration).
  // The text read this run comes first; a run of words left out by the text
  // read so far is not looked for further (a common word withheld is left
  // out by the first paper that says it).
  let textsRead = 0
  function* mayHold(runs: number[][], pending: (run: number) => boolean): Iterable<string[]> {
    for (const paper of linked.papers) yield* withParts(paper.publicStreams)
    yield* withParts([...linked.streams, ...config])
    let looked = runs.map((_, i) => i)
    let items = runs
    for (let i = 0; i < readingIds.length; i++) {
      const paper = papers[i] as PaperExtraction
      if (chosen?.changed.has(paper.sourceFile)) continue
      const still = looked.filter(pending)
      if (still.length === 0) return
      if (still.length < looked.length) items = (looked = still).map((r) => runs[r] as number[])
      const id = readingIds[i] as string
      const filter = pack?.get(id)
      if (filter && !mayHoldAny(filter, items)) continue
      if (textsRead++ % READ_BATCH === 0) heap.check()
      const streams = withParts(paper.publicStreams)
      // (A reading whose filter was lost has it made again, from the text read.)
      if (!filter) pack?.add(id, new FilterBuilder().streams(streams).finish())
      yield* streams
    }
  }
  // When runs of words lost the public text that made them public, the
  // entries left out then that they may have left out are searched for
  // again, as the remembered secrets are: whole, in the changed papers'
  // text and in all public text that may hold them (./incremental.ts,
  // `lostExcluded`). Every other entry left out then is left out now.
  const again = memory && chosen && chosen.lostRuns.length > 0 ? lostExcluded(memory.excluded, chosen.lostRuns, n) : []
  const againSet = new Set(again)
  const fastBuilt = memory && chosen ? liveIndex(piecesOf(changedPapers), chosen.changedText, n, {known: {secrets: memory.secrets, excluded: againSet.size === 0 ? memory.excluded : {has: (key: string) => !againSet.has(key) && memory.excluded.has(key)}, more: mayHold}, remembered: [...memory.secrets, ...again]}) : undefined
  const built = fastBuilt ?? liveIndex(piecesOf(), allPublic(), n, {keys: options.memory !== undefined})
  const live = built.live
  // Left out now: what this search left out, and what was left out then and was not searched for again.
  const excludedNow = memory && fastBuilt ? [...(againSet.size === 0 ? memory.excluded : [...memory.excluded].filter((key) => !againSet.has(key))), ...built.excluded] : built.excluded
  // Single-token entries by token id (for the parts of a token joined by `_`).
  const single = live.singles()

  const lookup = new VocabLookup(live.vocab)

  // Forbidden path names (slugs of not-public papers, unless a public paper shares them).
  const publicSlugs = new Set<string>()
  for (const paper of papers) if (paper.publicSlug) publicSlugs.add(paper.publicSlug)
  const forbidden = new Map<string, { sourceFile: string; line: number; column: number }>()
  for (const paper of papers) {
    for (const f of paper.forbiddenSlugs) {
      if (!publicSlugs.has(f.slug) && !forbidden.has(f.slug)) {
        forbidden.set(f.slug, { sourceFile: paper.sourceFile, line: f.line, column: f.column })
      }
    }
  }

  // 4. Outputs.
  const hits: VerifyHit[] = []
  let filesScanned = 0

  // What has become secret since the files remembered were found clean: only
  // this is searched for in them (the index shares the live one's pieces and
  // vocabulary, so a hit reads the same).
  const fresh = memory ? freshIndex(live, memory.secrets) : undefined

  // The entries new since the files remembered were found clean, as what a
  // text must hold to hold each (./filter.ts): a remembered file whose
  // filter of words lacks it for each is not read.
  const freshRuns: number[][] = []
  if (fresh) {
    const idx = fresh.index
    for (let e = 0; e < idx.ePiece.length; e++) {
      const off = idx.eOff[e] as number
      freshRuns.push(runItems((idx.pieces[idx.ePiece[e] as number] as {piece: SecretPiece}).piece.tokens.slice(off, off + (idx.eLen[e] as number))))
    }
  }
  // The filter of the words of each file read, kept for the next search (with a memory).
  const words = options.memory === undefined ? undefined : new FilterBuilder()
  let filesPassed = 0

  const scanTexts = (rel: string, texts: string[], within: {index: SecretIndex; single: Map<number, number>} = {index: live, single}, sink?: TokenSink): void => {
    const idx = within.index
    const ranges = new Map<number, Array<[number, number]>>()
    const onPart = (id: number): void => {
      const e = within.single.get(id)
      if (e !== undefined) record(e)
    }
    const record = (e: number): void => {
      const p = idx.ePiece[e] as number
      const off = idx.eOff[e] as number
      let list = ranges.get(p)
      if (!list) ranges.set(p, (list = []))
      list.push([off, off + (idx.eLen[e] as number)])
    }
    if (idx.ePiece.length > 0) for (const text of texts) idx.scan(tokenIds(text, lookup, onPart, sink), record)
    else if (sink) for (const text of texts) tokenIds(text, lookup, undefined, sink)
    for (const [p, list] of ranges) {
      const piece = (idx.pieces[p] as { piece: SecretPiece }).piece
      list.sort((a, b) => a[0] - b[0] || a[1] - b[1])
      let cur: [number, number] | null = null
      const emit = (r: [number, number]): void => {
        hits.push({
          outputFile: rel,
          sourceFile: piece.sourceFile,
          line: piece.lines[r[0]] as number,
          column: piece.cols[r[0]] as number,
          kind: piece.kind,
          match: truncate(piece.tokens.slice(r[0], r[1]).join(' ')),
        })
      }
      for (const r of list) {
        if (cur && r[0] <= cur[1]) cur[1] = Math.max(cur[1], r[1])
        else {
          if (cur) emit(cur)
          cur = [r[0], r[1]]
        }
      }
      if (cur) emit(cur)
    }
  }

  const checkName = (rel: string, outputFile: string, texts: string[]): string[] => {
    const name = rel.slice(rel.lastIndexOf('/') + 1)
    const decoded = decodePercent(name)
    const lower = decoded.toLowerCase()
    for (const cand of new Set([lower, lower.split('.')[0] as string])) {
      const f = forbidden.get(cand)
      if (f) {
        hits.push({ outputFile, sourceFile: f.sourceFile, line: f.line, column: f.column, kind: 'not-public', match: truncate(cand) })
      }
    }
    return [decoded, ...texts]
  }

  const files = entries.filter((e) => !e.dir)
  for (const d of entries.filter((e) => e.dir)) scanTexts(`${d.rel}/`, checkName(d.rel, `${d.rel}/`, []))

  const clean: string[] = []
  let filesRemembered = 0
  for (let i = 0; i < files.length; i += READ_BATCH) {
    const batch = files.slice(i, i + READ_BATCH)
    heap.check()
    // Every file is read, always: one written in place while a run went on,
    // its times set back, is read like any other (no identity on disk is trusted).
    const bufs = batch.map((f) => readFileSync(f.abs))
    batch.forEach((f, k) => {
      const buf = bufs[k] as Buffer
      // A file this large may be one the check could not read as a source
      // (a linked file over the limit, a red-team finding): refused.
      if (buf.length > MAX_PUBLIC_FILE) throw Object.assign(new Error(`verify: ${f.rel} is larger than ${MAX_PUBLIC_FILE / 2 ** 20} MiB: the check cannot vouch for a file that large, so nothing is published; make it smaller or split it`), { changedDuringRun: true })
      const texts: string[] = []
      filesScanned++
      // How a file is read depends on its bytes and on one thing of its name
      // (a `.br` name is decompressed): both make what is remembered.
      const digest = options.memory === undefined ? '' : `${contentDigest(buf)}${/\.br$/i.test(f.rel) ? '.br' : ''}`
      if (options.memory !== undefined) clean.push(digest)
      // A file byte for byte one that every build writes (a script, a style
      // sheet) holds nothing of any paper: only its name is checked.
      if (isFixedFile(buf)) return scanTexts(f.rel, checkName(f.rel, f.rel, texts))
      const read = (): void => {
        for (const t of scanTextsOf(buf, f.rel)) texts.push(t)
      }
      if (memory?.files.has(digest) && fresh) {
        // Found clean before: nothing then secret is in it; search it for
        // what is secret now and was not then. Its name, as any name, for all.
        filesRemembered++
        scanTexts(f.rel, checkName(f.rel, f.rel, []))
        if (fresh.index.ePiece.length > 0) {
          // Not read when its words cannot make any of what is new.
          const filter = pack?.get(digest)
          if (filter && !mayHoldAny(filter, freshRuns)) {
            filesPassed++
            return
          }
          read()
          scanTexts(f.rel, texts, fresh, filter ? undefined : words)
          if (!filter && words) pack?.add(digest, words.finish())
        }
      } else {
        read()
        scanTexts(f.rel, checkName(f.rel, f.rel, texts), undefined, words)
        if (words) pack?.add(digest, words.finish())
      }
    })
  }

  const seen = new Set<string>()
  const unique = hits.filter((h) => {
    const key = [h.outputFile, h.sourceFile, h.line, h.column, h.kind].join('\0')
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  unique.sort(
    (a, b) =>
      cmp(a.outputFile, b.outputFile) || cmp(a.sourceFile, b.sourceFile) || a.line - b.line || a.column - b.column,
  )

  if (options.memory !== undefined) {
    // Found something: the report is the full search's, hit for hit (a
    // remembered file's name and text are searched apart, so adjacent
    // matches could merge differently). A search that used the memory is
    // done again in full, reading none of it (`fresh`): when that finds
    // nothing (a secret remembered from a paper that no longer has it,
    // found in a page that may say it), it leaves a new memory, so the
    // next build does not find the same again and search in full again.
    if (unique.length > 0) {
      pack?.discard()
      // The memory is not updated: the readings this run made and it does
      // not name go (a red-team finding: refused runs between clean ones
      // that searched the changed text alone grew the folder without end).
      // (A fresh search keeps those of the memory it did not read, if this code can use it: the next build may.)
      const named = recalled ?? (options.fresh === true && keep.size === 0 ? await recall(options.memory, n) : undefined)
      await forgetReadings(options.memory, named === undefined ? keep : new Set(named.readings.keys()), readings)
      // A search that used none of the memory is the full one: its report stands.
      if (recalled === undefined) return result()
      return search({ ...options, fresh: true }, new Set(recalled.readings.keys()))
    }
    // Remembered only when nothing was found: a remembered file is one found
    // clean against every secret remembered with it.
    // The filters first: the memory names how many records their file holds, and its size.
    const filters = (pack as FilterPack).save(new Set([...readings, ...clean]))
    await remember(options.memory, { n, secrets: secretKeys(live), excluded: excludedNow, files: clean, readings: readingRecords, units, extras, filters })
    // (Only what the memory held before and not now, when the changed papers' text was searched alone.)
    // (A change that lost public text lists the folder, and so removes what a stopped run left.)
    await forgetReadings(options.memory, readings, recalled && chosen && chosen.lostRuns.length === 0 && built === fastBuilt ? recalled.readings.keys() : undefined)
  }
  return result()

  function result(): VerifyResult {
    return { hits: unique, filesScanned, secretsExtracted, papers: papers.length, out: toPosix(options.out), ...(options.memory === undefined ? {} : { filesRemembered, readAll: fastBuilt === undefined, piecesRead: papers.filter(piecesWereRead).length, entriesNew: fastBuilt?.fresh ?? 0, textsRead, filesPassed, lostRuns: chosen?.lostRuns.length ?? 0, entriesAgain: again.length }) }
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * One line per hit (`public/x.html: matches content/a.md:12:1 (sensitive): "..."`,
 * output paths prefixed with `result.out` when set), then a summary line.
 */
export function formatVerifyResult(result: VerifyResult): string {
  const prefix = (f: string): string => (result.out ? path.posix.join(result.out, f) : f)
  const lines = result.hits.map(
    (h) => `${prefix(h.outputFile)}: matches ${h.sourceFile}:${h.line}:${h.column} (${h.kind}): ${JSON.stringify(h.match)}`,
  )
  const files = new Set(result.hits.map((h) => h.outputFile)).size
  const stats = `${result.filesScanned} output file(s) scanned against ${result.secretsExtracted} secret piece(s) from ${result.papers} paper(s)`
  lines.push(
    result.hits.length === 0
      ? `verify: OK, no leaks found; ${stats}`
      : `verify: ${result.hits.length} leak(s) found in ${files} output path(s); ${stats}`,
  )
  return lines.join('\n')
}

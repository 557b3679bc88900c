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
 *    values included), plus definitions only referenced from such text;
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
 *     characters (`canary_ab12cd`), or a pure word of >= 16 letters. Numbers
 *     alone never count;
 *  4. anything from 1-3 that also occurs in the PUBLIC text of the source
 *     papers (public papers' frontmatter and body outside sensitive pieces,
 *     the body read straight across removed sensitive material as the
 *     redacted page would be) is dropped, which removes boilerplate and
 *     legitimately repeated text. An n-gram is also dropped when its core
 *     (the n-gram without weak words - stopwords, numbers, single letters - at
 *     either end) is public text, or when it is all weak words: such "seam"
 *     n-grams appear wherever the output joins two public passages and carry
 *     no secret;
 *  5. path names: every file and directory name is scanned too, and a name
 *     (without extension) equal to the slug of a not-public paper is a hit.
 *
 * Output files are read recursively (dotfiles included); gzip (magic
 * `1f 8b`, e.g. Pagefind `.pf_fragment` files) and `.br` brotli content is
 * decompressed; the text is scanned as UTF-8 (and additionally as latin1 when
 * it is not valid UTF-8), once as-is and once with markup tags replaced by
 * their attribute values. Adjacent matches from the same secret piece are
 * merged, so one leaked passage yields one hit.
 */
import {readFile, readdir, stat, realpath} from 'node:fs/promises'
import {isUtf8} from 'node:buffer'
import path from 'node:path'
import {gunzipSync, brotliDecompressSync} from 'node:zlib'
import fg from 'fast-glob'
import {extractPaper, type PaperExtraction, type SecretKind, type SecretPiece} from './source.js'
import {SecretIndex} from './matcher.js'
import {decodePercent, isDistinctive, isPhraseOk, isReviewBoilerplate, isWeak, outputVariants, tokenize} from './text.js'

export interface VerifyOptions {
  content: string
  out: string
  now: Date
  ngram?: number
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
}

const KIND_ORDER: Record<SecretKind, number> = { sensitive: 0, 'internal-frontmatter': 1, 'not-public': 2 }
const MAX_MATCH = 80
const READ_BATCH = 64

function toPosix(p: string): string {
  return p.split(path.sep).join('/')
}

function truncate(s: string): string {
  return s.length > MAX_MATCH ? `${s.slice(0, MAX_MATCH - 1)}…` : s
}

function idPhraseOk(tokens: readonly string[]): boolean {
  return tokens.length >= 2 && tokens.some((t) => /\p{L}/u.test(t)) && tokens.join('').length >= 3
}

interface OutputEntry {
  rel: string
  abs: string
  dir: boolean
}

async function walk(root: string): Promise<OutputEntry[]> {
  const out: OutputEntry[] = []
  const seen = new Set<string>()
  const visit = async (absDir: string, relDir: string): Promise<void> => {
    let real: string
    try {
      real = await realpath(absDir)
    } catch {
      return
    }
    if (seen.has(real)) return
    seen.add(real)
    const entries = await readdir(absDir, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const ent of entries) {
      const abs = path.join(absDir, ent.name)
      const rel = relDir ? `${relDir}/${ent.name}` : ent.name
      let isDir = ent.isDirectory()
      let isFile = ent.isFile()
      if (ent.isSymbolicLink()) {
        try {
          const st = await stat(abs)
          isDir = st.isDirectory()
          isFile = st.isFile()
        } catch {
          isDir = false
          isFile = false
        }
      }
      if (isDir) {
        out.push({ rel, abs, dir: true })
        await visit(abs, rel)
      } else if (isFile) out.push({ rel, abs, dir: false })
    }
  }
  await visit(root, '')
  return out
}

function decompress(buf: Buffer, rel: string): Buffer {
  let b = buf
  if (/\.br$/i.test(rel)) {
    try {
      b = brotliDecompressSync(b)
    } catch {
      /* not brotli after all */
    }
  }
  for (let k = 0; k < 3 && b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b; k++) {
    try {
      b = gunzipSync(b)
    } catch {
      break
    }
  }
  return b
}

function fileTexts(buf: Buffer): string[] {
  const texts = isUtf8(buf) ? [buf.toString('utf8')] : [buf.toString('utf8'), buf.toString('latin1')]
  // UTF-16 with a byte order mark (a browser reads it as text).
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) texts.push(buf.subarray(2).toString('utf16le'))
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2))
    if (swapped.length % 2 === 0) texts.push(swapped.swap16().toString("utf16le"))
  }
  // base64 data: URLs carry whole files inside a page.
  for (const text of [...texts]) {
    for (const m of text.matchAll(/data:[^,;"'\s]*;base64,([A-Za-z0-9+/=]{8,})/g)) texts.push(Buffer.from(m[1] as string, 'base64').toString('utf8'))
  }
  return texts
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const n = Math.max(2, Math.min(64, Math.floor(options.ngram ?? 8)))
  const now = options.now
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new Error('verify: invalid `now`')
  for (const [label, dir] of [
    ['content', options.content],
    ['out', options.out],
  ] as const) {
    const st = await stat(dir).catch(() => null)
    if (!st || !st.isDirectory()) throw new Error(`verify: ${label} directory not found: ${dir}`)
  }

  // 1. Source papers.
  const rels = (
    await fg('**/*.{md,markdown}', {
      cwd: options.content,
      dot: true,
      onlyFiles: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    })
  ).sort()
  const papers: PaperExtraction[] = []
  for (let i = 0; i < rels.length; i += READ_BATCH) {
    const batch = rels.slice(i, i + READ_BATCH)
    // Unreadable files make the whole check fail (rejects): fail closed.
    const texts = await Promise.all(batch.map((rel) => readFile(path.join(options.content, rel), 'utf8')))
    batch.forEach((rel, k) => papers.push(extractPaper(texts[k] as string, toPosix(path.join(options.content, rel)), now)))
  }

  // 2. Secret index.
  let totalTokens = 0
  for (const paper of papers) for (const p of paper.pieces) totalTokens += p.tokens.length
  const index = new SecretIndex(totalTokens * n)
  const pieces: SecretPiece[] = papers
    .flatMap((p) => p.pieces)
    .filter((p) => p.tokens.length > 0)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => KIND_ORDER[a.p.kind] - KIND_ORDER[b.p.kind] || a.i - b.i)
    .map((x) => x.p)
  // Probe index of n-gram "cores" (the n-gram minus weak words at either end),
  // only used to spot n-grams that are public text plus weak words.
  const probe = new SecretIndex(totalTokens * 2, index)
  const cores: Array<{ entry: number; core: number }> = []
  const allWeak: number[] = []
  for (const piece of pieces) {
    const pi = index.addPiece(piece)
    const toks = piece.tokens
    const len = toks.length
    if (len >= n) {
      for (let off = 0; off + n <= len; off++) {
        const before = index.ePiece.length
        const e = index.addEntry(pi, off, n)
        if (e !== before) continue
        let a = off
        let b = off + n
        while (a < b && isWeak(toks[a] as string)) a++
        while (b > a && isWeak(toks[b - 1] as string)) b--
        if (b === a) allWeak.push(e)
        else if (b - a < n) cores.push({ entry: e, core: probe.addEntry(pi, a, b - a) })
      }
    } else if (piece.whole && len >= 2) {
      const ok = piece.relaxed
        ? idPhraseOk(toks)
        : isPhraseOk(toks) && !(piece.review && isReviewBoilerplate(toks))
      if (ok) index.addEntry(pi, 0, len)
    }
    for (const [s, l] of piece.spans) {
      if (l >= 2 && l < n && l < len && isPhraseOk(toks.slice(s, s + l))) index.addEntry(pi, s, l)
    }
    for (let i = 0; i < len; i++) if (isDistinctive(toks[i] as string)) index.addEntry(pi, i, 1)
  }
  index.finish()
  probe.finish()

  // 3. Exclude anything that occurs in public source text.
  for (const paper of papers) {
    for (const stream of paper.publicStreams) {
      const ids = index.toIds(stream)
      index.scan(ids, (e) => {
        index.excluded[e] = 1
      })
      probe.scan(ids, (e) => {
        probe.excluded[e] = 1
      })
    }
  }
  // Seam rule: an n-gram that is public text plus weak words (stopwords, numbers,
  // single letters) at its ends carries no secret; it typically matches where
  // redaction or concatenation in the output joins two public passages.
  for (const { entry, core } of cores) if (probe.excluded[core]) index.excluded[entry] = 1
  for (const entry of allWeak) index.excluded[entry] = 1

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
  const entries = await walk(options.out)
  const hits: VerifyHit[] = []
  let filesScanned = 0

  const scanTexts = (rel: string, texts: string[]): void => {
    const ranges = new Map<number, Array<[number, number]>>()
    for (const text of texts) {
      const ids = index.toIds(tokenize(text))
      index.scan(ids, (e) => {
        if (index.excluded[e]) return
        const p = index.ePiece[e] as number
        const off = index.eOff[e] as number
        let list = ranges.get(p)
        if (!list) ranges.set(p, (list = []))
        list.push([off, off + (index.eLen[e] as number)])
      })
    }
    for (const [p, list] of ranges) {
      const piece = (index.pieces[p] as { piece: SecretPiece }).piece
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

  for (let i = 0; i < files.length; i += READ_BATCH) {
    const batch = files.slice(i, i + READ_BATCH)
    const bufs = await Promise.all(batch.map((f) => readFile(f.abs)))
    batch.forEach((f, k) => {
      const texts: string[] = []
      filesScanned++
      for (const t of fileTexts(decompress(bufs[k] as Buffer, f.rel))) texts.push(...outputVariants(t))
      scanTexts(f.rel, checkName(f.rel, f.rel, texts))
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

  return { hits: unique, filesScanned, secretsExtracted: pieces.length, papers: papers.length, out: toPosix(options.out) }
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

/**
 * verify's memory: what was secret, which output files were found clean, and
 * how each paper read, the last time the check passed. A build changes few
 * papers and few files, so most of the work need not be done again:
 *  - a paper is read again only when its path, its text or the side of its
 *    deferral date that `now` is on changed (`rememberedReading`);
 *  - the unchanged papers' readings are not read at all (a summary of each,
 *    in the memory, gives their paths, slugs and linked files): the secrets
 *    remembered are searched for as they are, with the changed papers'
 *    entries, in the changed papers' text (`Candidates`, whose comment gives
 *    the argument);
 *  - what lost the public text that made it public, and what is new to the
 *    memory (new withheld text), is searched for in all public text that may
 *    hold it: each paper's public text and each file read has a filter of
 *    its words (./filter.ts, kept in ./pack.ts), and only those that may
 *    hold it are read;
 *  - a file byte for byte one found clean then (and read the same way: a
 *    `.br` name is decompressed) holds none of the phrases and words secret
 *    then, so it is searched only for what has become secret since, and
 *    only when its filter of words may hold some of it.
 * The verdict is the same as a full search's, by those arguments alone:
 * every file not remembered is searched for everything secret now, and every
 * path name is checked as always. A test compares the two after random
 * changes (tests/verify/memory.test.ts), and rounds of red-team attacks
 * are kept in tests/attacks/verify-memory*.test.ts and
 * tests/attacks/seventh-session.test.ts.
 *
 * Entries are compared by their words (the tokens after normalisation), and
 * the memory is used only by the same code of verify (a hash of its own
 * files, the runtime and the lock files) with the same n-gram size; anything else, a memory that cannot be
 * read, or a change to the configuration, to papers under other names, or to
 * the files a paper linked to, means a full reading. The memory is
 * written only after a search found nothing, so a remembered file was clean
 * against everything remembered with it. It is written atomically (a new
 * file renamed over the old).
 *
 * This module imports nothing of the pipeline, like the rest of verify.
 */
import {createHash} from 'node:crypto'
import {closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {FilterBuilder} from './filter.js'
import type {FilterPack, PackSize} from './pack.js'
import {SecretIndex} from './matcher.js'
import {extractPaper, type PaperExtraction, type SecretPiece} from './source.js'
import {isWeak, tokenParts} from './text.js'

const FILE = 'memory.json'
const FORMAT = 7

export interface Memory {
  /** The secret entries (their words joined by a space) when the files were found clean. */
  secrets: Set<string>
  /** Entries found in public text (or left out by the site's own text and the seam rule) then. */
  excluded: Set<string>
  /** Digests of the output files found clean against them. */
  files: Set<string>
  /** Each reading kept (its id) -> the digests of its two files (one changed or damaged since is not used), and its summary. */
  readings: Map<string, ReadingRecord>
  /** Each paper's unit then (source path -> `<key>:<side>|<digest of its linked files' text>`). */
  units: Map<string, string>
  /** Digest of the rest of the source then: papers under other names, the site configuration. */
  extras: string
  /** How many records the pack of filters of words held then, and its size (./pack.ts). */
  filters: PackSize
}

/** The SHA-256 of a reading's main file and of its public text's file. */
export type ReadingFiles = [string, string]

/**
 * What a reading holds besides its secret pieces and public text: enough for
 * a search that needs neither (a change whose public text lost nothing, see
 * `Candidates`) to know the paper's path names, the files it links to and
 * its side of `now`, without reading the reading's files.
 */
export interface ReadingSummary {
  sourceFile: string
  isPublic: boolean
  invalid: boolean
  forbiddenSlugs: PaperExtraction['forbiddenSlugs']
  publicSlug: string | null
  publicRefs: string[]
  dueAt?: number
  /** How many of its pieces have words (the pieces a search indexes). */
  secretPieces: number
}

/** A reading as the memory keeps it: its files' digests and its summary. */
export interface ReadingRecord {
  files: ReadingFiles
  summary: ReadingSummary
}

const SUMMARY = Symbol('summary')

function summaryOf(reading: PaperExtraction): ReadingSummary {
  const {sourceFile, isPublic, invalid, forbiddenSlugs, publicSlug, publicRefs, dueAt} = reading
  return {sourceFile, isPublic, invalid, forbiddenSlugs, publicSlug, publicRefs, ...(dueAt === undefined ? {} : {dueAt}), secretPieces: reading.pieces.filter((p) => p.tokens.length > 0).length}
}

/** How many pieces with words a reading has (a remembered one's from its summary, without reading its pieces). */
export function secretPieceCount(reading: PaperExtraction): number {
  const summary = (reading as {[SUMMARY]?: ReadingSummary})[SUMMARY]
  return summary ? summary.secretPieces : reading.pieces.filter((p) => p.tokens.length > 0).length
}

/** What a clean search leaves to the next. */
export interface Remembered {
  n: number
  readings: Map<string, ReadingRecord>
  secrets: string[]
  excluded: Iterable<string>
  files: string[]
  units: Map<string, string>
  extras: string
  filters: PackSize
}

let codeVersion: string | undefined

/**
 * A hash of verify's own code (every file of this folder), of the runtime
 * (Node's version and Unicode tables) and of the package's lock files (the
 * versions of the YAML parser and time zone library verify reads papers
 * with): another verify may read differently.
 */
function verifyVersion(): string {
  if (codeVersion) return codeVersion
  const dir = path.dirname(fileURLToPath(import.meta.url))
  const hash = createHash('sha256')
  for (const name of readdirSync(dir).filter((f) => /\.(?:js|ts)$/.test(f)).sort()) {
    hash.update(name).update('\0').update(readFileSync(path.join(dir, name))).update('\0')
  }
  // The runtime: its Unicode tables decide what a word is, and how it is
  // normalised and lower-cased (a filter of words made under other tables
  // could lack a word the search now reads).
  hash.update(`${process.version}\0${process.versions.unicode ?? ''}\0${process.versions.icu ?? ''}\0`)
  // The lock file as committed, and as installed (what npm put in node_modules).
  for (const lock of [path.join(dir, '..', '..', 'package-lock.json'), path.join(dir, '..', '..', 'node_modules', '.package-lock.json')]) {
    try {
      hash.update(readFileSync(lock))
    } catch {
      hash.update('none')
    }
  }
  return (codeVersion = hash.digest('hex'))
}

/**
 * A source paper as read by ./source.ts, from `<dir>/papers` when read before
 * by this code (the key is the paper's path and text and verify's version)
 * and `now` is on the same side of its deferral instant as then; else read
 * afresh and remembered. Each side has a file of its own
 * (`<key>.<side>.json`: `null` for a paper whose reading does not depend on
 * `now`), so the reading before a deferred paper fell due is still there for
 * {@link candidates}. Returns the reading id (`<key>:<side>`), which also
 * names the files to keep, and the record the memory keeps of it.
 *
 * A remembered reading is given from its summary in the memory: its pieces
 * are read from its file when first asked for, and its public text (most of
 * its size, in a file of its own, `<key>.<side>.public.json`) each time it
 * is asked for. A search whose change lost no public text (see `Candidates`)
 * reads neither for the papers that did not change. A file changed or
 * damaged since is read from the paper again.
 */
export async function rememberedReading(dir: string, text: string, sourceFile: string, now: Date, known: ReadonlyMap<string, ReadingRecord> | undefined, pack?: FilterPack): Promise<{extraction: PaperExtraction; id: string; record: ReadingRecord}> {
  const keyOf = (of: string): string => createHash('sha256').update(verifyVersion()).update('\0').update(sourceFile).update('\0').update(of).digest('hex')
  const key = keyOf(text)
  const side = (x: {dueAt?: number}): boolean | null => (x.dueAt === undefined ? null : now.getTime() < x.dueAt)
  // The paper read again when its reading is (damaged files): its text is
  // not held meanwhile (200 MB at 20,000 papers, kept alive to the end of
  // the check), and is used only as it was when its key was made.
  const again = (): PaperExtraction => {
    const current = readSourceText(sourceFile)
    if (keyOf(current) !== key) throw Object.assign(new Error(`verify: ${sourceFile} changed while the check ran: run it again`), {changedDuringRun: true})
    return extractPaper(current, sourceFile, now)
  }
  for (const tried of [null, true, false]) {
    const id = `${key}:${tried}`
    const record = known?.get(id)
    if (record && record.summary.sourceFile === sourceFile && side(record.summary) === tried) return {extraction: lazyReading(dir, id, record, again), id, record}
  }
  const extraction = extractPaper(text, sourceFile, now)
  const id = `${key}:${side(extraction)}`
  const file = readingFile(dir, id)
  mkdirSync(path.dirname(file), {recursive: true})
  // The public text first: a reading whose main file is there has both.
  // (Synchronously: a first check writes thousands, and a round trip
  // through the thread pool for each cost more than the write.)
  const {publicStreams, ...rest} = extraction
  const files: string[] = []
  for (const [target, value] of [[publicFile(dir, id), publicStreams], [file, rest]] as const) {
    const json = JSON.stringify(value)
    files.unshift(sha(json))
    const temp = `${target}.${process.pid}.tmp`
    writeFileSync(temp, json)
    try {
      renameSync(temp, target)
    } catch (error) {
      // A folder where the memory keeps a file (damage): removed, as any damaged file is replaced.
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EISDIR' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error
      rmSync(target, {recursive: true, force: true})
      renameSync(temp, target)
    }
  }
  // The filter of its public text's words (./filter.ts): a change that
  // brings new withheld text reads this paper's public text only if it may
  // hold some of it. (A filter not kept is no loss: the text is read.)
  pack?.add(id, new FilterBuilder().streams(withParts(publicStreams)).finish())
  // Its public text is read back from its file when asked for, as a remembered one's.
  publicTextFrom(rest as PaperExtraction, dir, id, files[1]!, () => again().publicStreams)
  return {extraction: rest as PaperExtraction, id, record: {files: files as ReadingFiles, summary: summaryOf(extraction)}}
}

/** Remembered readings whose pieces were read. */
const piecesRead = new WeakSet<PaperExtraction>()

/** Whether `reading` was remembered and its pieces have been read from the memory. */
export function piecesWereRead(reading: PaperExtraction): boolean {
  return piecesRead.has(reading)
}

/**
 * A remembered reading from its summary: its pieces read from its file (as
 * the memory has it) when first asked for, and kept; its public text read
 * each time. A file changed, damaged or gone is read from the paper again
 * (`again`).
 */
function lazyReading(dir: string, id: string, record: ReadingRecord, again: () => PaperExtraction): PaperExtraction {
  const {secretPieces: _, ...summary} = record.summary
  const reading = {...summary, [SUMMARY]: record.summary} as unknown as PaperExtraction
  let pieces: SecretPiece[] | undefined
  Object.defineProperty(reading, 'pieces', {
    enumerable: true,
    configurable: true,
    get() {
      if (pieces) return pieces
      piecesRead.add(reading)
      const saved = savedReading(dir, id, record.files)
      pieces = saved && Array.isArray(saved.pieces) ? saved.pieces : again().pieces
      return pieces
    }
  })
  publicTextFrom(reading, dir, id, record.files[1], () => again().publicStreams)
  return reading
}

function sha(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url')
}

function readingFile(dir: string, id: string): string {
  const [key, side] = id.split(':')
  return path.join(dir, 'papers', `${key}.${side}.json`)
}

function publicFile(dir: string, id: string): string {
  const [key, side] = id.split(':')
  return path.join(dir, 'papers', `${key}.${side}.public.json`)
}

/**
 * The reading a reading id names, if its file is still the one the memory
 * recorded (`expected`): a file changed or damaged since is not used. Its public
 * text is read when first asked for (from `again` when its file cannot be
 * read or changed, else an error).
 */
function savedReading(dir: string, id: string, expected: ReadingFiles | undefined, again?: () => string[][]): PaperExtraction | undefined {
  if (!expected) return undefined
  let reading: PaperExtraction
  try {
    const bytes = readFileSync(readingFile(dir, id))
    if (sha(bytes) !== expected[0]) return undefined
    reading = JSON.parse(bytes.toString('utf8')) as PaperExtraction
  } catch {
    return undefined
  }
  if (!reading || typeof reading !== 'object') return undefined
  publicTextFrom(reading, dir, id, expected[1], again)
  return reading
}

/**
 * Give `reading` its public text from its file in the memory, read each time
 * it is asked for and not held: a full search reads every paper's public
 * text once, and needs one paper's at a time. A file changed or damaged is
 * read from the paper again (`again`), or, without it, an error.
 */
function publicTextFrom(reading: PaperExtraction, dir: string, id: string, digest: string, again?: () => string[][]): void {
  Object.defineProperty(reading, 'publicStreams', {
    enumerable: true,
    configurable: true,
    get() {
      let streams: string[][]
      try {
        const bytes = readFileSync(publicFile(dir, id))
        if (sha(bytes) !== digest) throw new Error('changed since')
        streams = JSON.parse(bytes.toString('utf8')) as string[][]
        if (!Array.isArray(streams)) throw new Error('not a list')
      } catch (error) {
        if (!again) throw new Error(`verify: the memory's reading ${id} has no public text (${(error as Error).message}): remove ${dir} and run again`)
        streams = again()
      }
      return streams
    }
  })
}

/**
 * `reading` with its public text held as one string a stream (its words
 * joined by spaces), made into lists of words again each time it is asked
 * for. Why: a list of words costs about 40 bytes a word, and a full search
 * held every paper's (about 1 GiB at 20,000 papers) while it needs one
 * paper's at a time. A reading with a word that is empty or holds a space
 * (the tokenizer makes none) is left as it is.
 */
export function compactStreams(reading: PaperExtraction): PaperExtraction {
  const streams = reading.publicStreams
  if (!streams.every((stream) => stream.every((word) => word.length > 0 && !word.includes(' ')))) return reading
  const joined = streams.map((stream) => stream.join(' '))
  Object.defineProperty(reading, 'publicStreams', {
    enumerable: true,
    configurable: true,
    get: () => joined.map((text) => (text === '' ? [] : text.split(' ')))
  })
  return reading
}

/** Removes the remembered readings not among `ids` (papers changed or gone, sides left). */
export async function forgetReadings(dir: string, ids: ReadonlySet<string>, before?: Iterable<string>): Promise<void> {
  // With `before` (the readings the memory held before, after a search of
  // the changed papers alone; or those a refused run made): only those not
  // among `ids` are removed, without listing the folder (40,000 files at
  // 20,000 papers). What a run that stopped left is removed by the next
  // that lists it.
  if (before !== undefined) {
    for (const id of before) if (!ids.has(id)) for (const file of [readingFile(dir, id), publicFile(dir, id)]) rmSync(file, {force: true})
    return
  }
  const keep = new Set([...ids].flatMap((id) => [path.basename(readingFile(dir, id)), path.basename(publicFile(dir, id))]))
  const folder = path.join(dir, 'papers')
  const names = await readdir(folder).catch(() => [] as string[])
  await Promise.all(names.filter((name) => !keep.has(name)).map((name) => rm(path.join(folder, name), {force: true})))
}

/** Public streams, with the parts of public tokens joined by `_` as streams of their own (the single-word check reads output tokens so). */
export function withParts(streams: readonly string[][]): string[][] {
  const parts: string[][] = []
  for (const stream of streams) for (const t of stream) if (t.indexOf('_') >= 0) for (const part of tokenParts(t)) parts.push([part])
  return [...streams, ...parts]
}

/** Digest of what a search reads besides the papers and the files they link to: papers under other names, the configuration. */
export function extrasDigest(disguised: PaperExtraction[], config: string[][]): string {
  return createHash('sha256').update(JSON.stringify([disguised, config])).digest('hex')
}

/**
 * A paper's unit: its reading id and, after a `|`, a digest of the text of
 * the local files its public text links to (empty when none).
 */
export function unitId(reading: string, linked: string[][] | undefined): string {
  return `${reading}|${linked && linked.length > 0 ? createHash('sha256').update(JSON.stringify(linked)).digest('hex') : ''}`
}

/** Every run of 1 to `n` words of the streams (words joined by a space). */
function runsOf(streams: string[][], n: number): Set<string> {
  const runs = new Set<string>()
  for (const stream of streams) {
    for (let i = 0; i < stream.length; i++) {
      for (let k = 1; k <= n && i + k <= stream.length; k++) {
        if (!stream[i + k - 1]) break
        runs.add(stream.slice(i, i + k).join(' '))
      }
    }
  }
  return runs
}

/**
 * What changed since the last clean search (`memory`): the papers changed
 * (their unit differs: path, text, side of the deferral, or the text of the
 * files their public text links to), their public text now, and the runs
 * of up to n words their public text held then and holds no more (`lostRuns`).
 * A paper that linked to files and now links to others, or whose linked
 * files changed, a changed paper whose old reading cannot be read, and any
 * change to papers under other names or to the configuration, give
 * undefined: search everything. (A paper that links to files for the first
 * time, such as a deferred one falling due, only adds public text.)
 */
export async function candidates(dir: string, memory: Memory, now: {units: Map<string, string>; extras: string; papers: PaperExtraction[]; linked: Map<string, string[][]>; n: number}): Promise<Candidates | undefined> {
  if (memory.extras !== now.extras) return undefined
  const changed = new Set<string>()
  for (const [file, id] of now.units) if (memory.units.get(file) !== id) changed.add(file)
  for (const file of memory.units.keys()) if (!now.units.has(file)) changed.add(file)
  const byFile = new Map(now.papers.map((p) => [p.sourceFile, p]))
  const before: string[][] = []
  const after: string[][] = []
  for (const file of changed) {
    const id = memory.units.get(file)
    if (id !== undefined) {
      const [reading, linked] = id.split('|') as [string, string]
      // The text of linked files is not remembered: a paper that linked to
      // some, and now links to others or they changed, means a full reading.
      if (linked !== '' && now.units.get(file)?.split('|')[1] !== linked) return undefined
      const old = savedReading(dir, reading, memory.readings.get(reading)?.files)
      if (!old) return undefined
      try {
        before.push(...old.publicStreams)
      } catch {
        return undefined
      }
    }
    if (now.units.has(file)) after.push(...(byFile.get(file)?.publicStreams ?? []), ...(now.linked.get(file) ?? []))
  }
  const kept = runsOf(withParts(after), now.n)
  const lost = [...runsOf(withParts(before), now.n)].filter((run) => !kept.has(run))
  return {changed, changedText: withParts(after), lostRuns: lost}
}

/**
 * The papers changed since the last clean search, their public text now
 * (parts included), and the runs of words that lost the public text that
 * made them public. With them, the search reads the changed papers alone
 * (`verify` in ./index.ts), and its live index is the full search's:
 *
 * - An entry of an unchanged paper was an entry then: secret (so among the
 *   secrets remembered) or left out. The unchanged papers' public text is
 *   the text it was, so an entry secret then is in public text now only if
 *   it is in the changed papers' text: the remembered secrets are indexed
 *   whole, as they are, and looked for there.
 * - An entry left out then is left out now, unless the text that left it out
 *   (the entry, or the core the seam rule reads of an n-gram) was a run of a
 *   changed paper's public text that it holds no more: a lost run. Those
 *   entries ({@link lostExcluded}) are searched for again, whole, as new ones.
 * - An entry new to the memory (neither secret nor left out then: new
 *   withheld text) is searched for in the changed papers' text and in all
 *   public text that may hold it (the filters of words, ./filter.ts).
 *
 * That live index holds every entry of the full one, and may hold more (a
 * secret remembered from a paper that changed and no longer has it): more is
 * searched for, never less, and a hit makes the check search everything
 * again before it reports (see `verify`).
 */
export interface Candidates {
  /** The source paths of the papers changed since (or gone). */
  changed: Set<string>
  changedText: string[][]
  /** The runs of words that lost the public text that made them public. */
  lostRuns: string[]
}

/**
 * The entries left out then (`excluded`, by their words) that may be secret
 * now because runs of words lost the public text that made them public
 * (`lost`, see {@link candidates}): an entry that is itself such a run, and
 * an n-gram whose core (less the weak words at its ends, what the seam rule
 * reads) is one. Any other entry left out then is left out now: the text
 * that left it out (or its core) is still public, in a paper that did not
 * change or in a changed paper's text that still holds it, or it was left
 * out by the site's own text or for being all weak words.
 */
export function lostExcluded(excluded: ReadonlySet<string>, lost: readonly string[], n: number): string[] {
  const lostSet = new Set(lost)
  const found: string[] = []
  for (const run of lost) if (excluded.has(run)) found.push(run)
  for (const key of excluded) {
    // (Only an n-gram with a weak word at an end has a core other than itself.)
    const first = key.indexOf(' ')
    if (first < 0 || (!isWeak(key.slice(0, first)) && !isWeak(key.slice(key.lastIndexOf(' ') + 1)))) continue
    const toks = key.split(' ')
    if (toks.length !== n) continue
    let a = 0
    let b = n
    while (a < b && isWeak(toks[a] as string)) a++
    while (b > a && isWeak(toks[b - 1] as string)) b--
    if (b > a && b - a < n && lostSet.has(toks.slice(a, b).join(' ')) && !lostSet.has(key)) found.push(key)
  }
  return found
}

/**
 * Makes the memory's folder fit to be written: a folder where it keeps a
 * file (memory.json, the pack of filters and the new pack being written)
 * is removed, and so is anything but a folder where it keeps its readings
 * (`papers`: a file, or a link, whose target the run would otherwise list
 * and remove files from). Damage, replaced as a damaged file is: without
 * this, a build with `--no-cache` (which writes the memory anew) stopped.
 */
export function repairFolder(dir: string): void {
  for (const name of [FILE, 'filters.pack', 'filters.pack.new']) {
    const file = path.join(dir, name)
    if (lstatSync(file, {throwIfNoEntry: false})?.isDirectory()) rmSync(file, {recursive: true, force: true})
  }
  const papers = path.join(dir, 'papers')
  const stat = lstatSync(papers, {throwIfNoEntry: false})
  if (stat && !stat.isDirectory()) rmSync(papers, {force: true})
}

/** The digest a remembered file is known by. */
export function contentDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url')
}

/** The memory in `dir`, if there is one this code with this n-gram size can use. */
export async function recall(dir: string, n: number): Promise<Memory | undefined> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path.join(dir, FILE), 'utf8'))
  } catch {
    return undefined
  }
  const d = data as {format?: unknown; version?: unknown; ngram?: unknown; secrets?: unknown; excluded?: unknown; files?: unknown; readings?: unknown; units?: unknown; extras?: unknown; filters?: {records?: unknown; bytes?: unknown}}
  if (d?.format !== FORMAT || d.version !== verifyVersion() || d.ngram !== n || typeof d.extras !== 'string') return undefined
  const size = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0
  if (!size(d.filters?.records) || !size(d.filters?.bytes)) return undefined
  if (!Array.isArray(d.secrets) || !Array.isArray(d.excluded) || !Array.isArray(d.files) || !d.units || typeof d.units !== 'object') return undefined
  if (!d.secrets.every((k) => typeof k === 'string') || !d.excluded.every((k) => typeof k === 'string') || !d.files.every((k) => typeof k === 'string')) return undefined
  const units = Object.entries(d.units as Record<string, unknown>)
  if (!units.every(([, id]) => typeof id === 'string')) return undefined
  if (!d.readings || typeof d.readings !== 'object') return undefined
  const readings = new Map<string, ReadingRecord>()
  for (const [id, value] of Object.entries(d.readings as Record<string, unknown>)) {
    if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string' || typeof value[1] !== 'string' || !isSummary(value[2])) return undefined
    readings.set(id, {files: [value[0], value[1]], summary: value[2]})
  }
  return {secrets: new Set(d.secrets as string[]), excluded: new Set(d.excluded as string[]), files: new Set(d.files as string[]), readings, units: new Map(units as Array<[string, string]>), extras: d.extras, filters: {records: d.filters.records, bytes: d.filters.bytes}}
}

function isSummary(value: unknown): value is ReadingSummary {
  const v = value as Partial<Record<keyof ReadingSummary, unknown>> | null
  return (
    typeof v === 'object' && v !== null &&
    typeof v.sourceFile === 'string' && typeof v.isPublic === 'boolean' && typeof v.invalid === 'boolean' &&
    (v.publicSlug === null || typeof v.publicSlug === 'string') &&
    Array.isArray(v.publicRefs) && v.publicRefs.every((r) => typeof r === 'string') &&
    Array.isArray(v.forbiddenSlugs) && v.forbiddenSlugs.every((f) => typeof f?.slug === 'string' && Number.isInteger(f.line) && Number.isInteger(f.column)) &&
    (v.dueAt === undefined || Number.isFinite(v.dueAt)) &&
    Number.isInteger(v.secretPieces) && (v.secretPieces as number) >= 0
  )
}

/** Records that `files` were found clean against the entries `secrets`, read from `units` and `extras`. */
export async function remember(dir: string, {n, secrets, excluded, files, readings, units, extras, filters}: Remembered): Promise<void> {
  await mkdir(dir, {recursive: true})
  const body = JSON.stringify({format: FORMAT, version: verifyVersion(), ngram: n, extras, filters, units: Object.fromEntries(units), secrets, excluded: [...new Set(excluded)], files: [...new Set(files)].sort(), readings: Object.fromEntries([...readings].map(([id, {files, summary}]) => [id, [...files, summary]]))})
  const temp = path.join(dir, `.${FILE}.${process.pid}.tmp`)
  await writeFile(temp, body)
  await rename(temp, path.join(dir, FILE))
}

/** The pieces made of one remembered secret each, and the secret (the words of the whole piece joined by a space). */
const rememberedKeys = new WeakMap<SecretPiece, string>()

const ZEROS: readonly number[] = Object.freeze(new Array<number>(64).fill(0))

/** A piece made of the words of a remembered secret, to index it as one entry. */
export function rememberedPiece(key: string): SecretPiece {
  const tokens = key.split(' ')
  // (No line or column: a hit from it makes the check search everything before it reports.)
  const zeros = tokens.length <= ZEROS.length ? (ZEROS as number[]) : tokens.map(() => 0)
  const piece: SecretPiece = {kind: 'sensitive', sourceFile: '', tokens, lines: zeros, cols: zeros, spans: [], whole: false}
  rememberedKeys.set(piece, key)
  return piece
}

/** An entry of `index` by its words. */
export function keyOf(index: SecretIndex, e: number): string {
  const piece = (index.pieces[index.ePiece[e] as number] as {piece: SecretPiece}).piece
  const off = index.eOff[e] as number
  const len = index.eLen[e] as number
  if (off === 0 && len === piece.tokens.length) {
    const key = rememberedKeys.get(piece)
    if (key !== undefined) return key
  }
  return piece.tokens.slice(off, off + len).join(' ')
}

/** Every entry of `live`, by its words. */
export function secretKeys(live: SecretIndex): string[] {
  const keys: string[] = []
  for (let e = 0; e < live.ePiece.length; e++) keys.push(keyOf(live, e))
  return keys
}

/**
 * The entries of `live` not among `remembered`, in an index sharing its
 * pieces and vocabulary (so token ids and hits read the same), with its
 * single-token entries by token id (for the parts of a token joined by `_`).
 */
export function freshIndex(live: SecretIndex, remembered: Set<string>): {index: SecretIndex; single: Map<number, number>} {
  const fresh: number[] = []
  let tokens = 0
  for (let e = 0; e < live.ePiece.length; e++) {
    if (remembered.has(keyOf(live, e))) continue
    fresh.push(e)
    tokens += live.eLen[e] as number
  }
  const index = new SecretIndex(tokens, live)
  for (const e of fresh) index.addEntry(live.ePiece[e] as number, live.eOff[e] as number, live.eLen[e] as number)
  index.finish()
  return {index, single: index.singles()}
}

/**
 * The text of the paper at `file`, read only as a regular file, without
 * following a link (the check's listing takes none: a link put at a paper's
 * path since is refused, as the build refuses it), never waiting on a pipe
 * nor reading a device without end, and no more than its size when opened
 * (at most `limit`, 64 MiB as the build reads a paper). With `follow`, a
 * link is followed (the site configuration, as the build reads it). Any
 * other file, or one that cannot be read, stops the check with an error
 * (`changedDuringRun`: the command says so and exits 1).
 */
export function readSourceText(file: string, {follow = false, limit = 64 * 1024 * 1024}: {follow?: boolean; limit?: number} = {}): string {
  const changed = (why: string) => Object.assign(new Error(`verify: ${file} changed or was removed while the check ran (${why}): run it again`), {changedDuringRun: true})
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw Object.assign(changed(code === 'ELOOP' ? 'a symbolic link' : (code ?? 'cannot be opened')), {code})
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw changed('not a regular file')
    if (stat.size > limit) throw Object.assign(new Error(`verify: ${file} is larger than ${limit / 2 ** 20} MiB, and is not read: split it`), {changedDuringRun: true})
    const bytes = Buffer.allocUnsafe(stat.size)
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) throw changed('shorter than when opened')
      read += n
    }
    return bytes.toString('utf8')
  } catch (error) {
    if ((error as {changedDuringRun?: unknown}).changedDuringRun === true) throw error
    throw changed((error as NodeJS.ErrnoException).code ?? 'cannot be read')
  } finally {
    closeSync(fd)
  }
}

/**
 * The persistent cache of per-paper results, under `<state>/cache/` (never
 * under --out). An entry is the outcome of `processSource`: the redacted,
 * rendered paper as it will be once due. Its key is the SHA-256 of the
 * pipeline version, the paper's path in the content folder and its bytes, so
 * an edited paper, a moved deferral, a new classification or a new pipeline
 * never meets an old entry. Each build decides the status at its own `now`
 * with the gate's rule (`atInstant`), so a cached paper is never published
 * before it is due. A corrupt or foreign entry is ignored (with a warning)
 * and rebuilt.
 */
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {PaperOutcome, PlainMessage} from '../publish/outcome.js'
import {PaperChanged, readSourceFile} from '../content/source-file.js'
import {processSource, type PaperInput} from '../publish/process.js'
import {digestBody, lazyBody, type Body} from '../publish/body.js'
import type {PublicPaper} from '../publish/types.js'
import {codeVersion} from './code-version.js'

/** The index of a run's entries, in the cache folder (`PaperCache.saveIndex`). */
const INDEX = 'index.json'

function unreadable(file: string): PlainMessage {
  return {reason: `Cache entry for \`${file}\` was unreadable (corrupt, truncated or from another version): ignored and rebuilt`, fatal: false, ruleId: 'cache-corrupt'}
}

/** Bump when the shape of an entry or the pipeline's output changes. */
export const CACHE_FORMAT = 2

/** The pipeline version: package version and code hash, cache format and the pipeline configuration. */
export const PIPELINE_VERSION = `${codeVersion()}/cache-${CACHE_FORMAT}/gfm-no-autolink+directive`

export function cacheKey(input: PaperInput, pipelineVersion = PIPELINE_VERSION): string {
  return createHash('sha256').update(pipelineVersion).update('\0').update(input.relativePath).update('\0').update(input.bytes).digest('hex')
}

interface Entry {
  format: number
  pipeline: string
  key: string
  /** The outcome; its public paper's body (Markdown, HTML, text) is in `<key>.body.json`. */
  outcome: PaperOutcome
  /** The digest of that body (src/publish/body.ts) and the size of its file. */
  body?: string
  bodySize?: number
}

export class PaperCache {
  readonly warnings: PlainMessage[] = []
  hits = 0
  misses = 0

  constructor(
    readonly dir: string,
    readonly pipelineVersion = PIPELINE_VERSION,
    readonly options: {
      /**
       * Make a damaged body again from the bytes given (the preview, which
       * holds every paper's bytes anyway, and keeps outcomes across edits),
       * not from the paper read again (a build: see `lazy`).
       */
      holdSources?: boolean
      /** Never remove an entry, damaged or not (the preview, `check`: they write nothing). */
      readOnly?: boolean
    } = {}
  ) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key + '.json')
  }

  /**
   * The entries of the last run that wrote the index (`saveIndex`), by key:
   * read once, in one file, instead of one file a paper (a one-paper build
   * at 20,000 papers read 20,000 files, about a second). A copy: an entry is
   * checked as one read from its file is, a body as ever, and a key the
   * index lacks is read from its file.
   */
  private index: Map<string, Entry> | undefined
  /** Whether the index on disk is to be written anew whatever it holds (missing, unreadable, or a `--no-cache` run). */
  private indexStale = false

  private indexed(): Map<string, Entry> {
    if (this.index) return this.index
    this.index = new Map()
    try {
      const stored = JSON.parse(readFileSync(path.join(this.dir, INDEX), 'utf8')) as {format?: unknown; pipeline?: unknown; entries?: unknown}
      if (stored.format === CACHE_FORMAT && stored.pipeline === this.pipelineVersion && Array.isArray(stored.entries)) {
        for (const entry of stored.entries as Entry[]) if (typeof entry?.key === 'string') this.index.set(entry.key, entry)
      }
    } catch {
      // None, or unreadable: every entry is read from its file, and the index written anew.
      this.indexStale = true
    }
    return this.index
  }

  /**
   * Write the index of the entries `keys` name (a run's papers), when it is
   * behind by much (below); atomically. Entries it lacks are read from their
   * files.
   */
  saveIndex(keys: ReadonlySet<string>, {fresh = false}: {fresh?: boolean} = {}): void {
    if (this.options.readOnly) return
    // (A run that read nothing of the cache, `--no-cache`, takes nothing of the index either: it is made from the files it wrote.)
    if (fresh) {
      this.index = new Map()
      this.indexStale = true
    }
    const index = this.indexed()
    let behind = 0
    for (const key of keys) if (!index.has(key)) behind++
    for (const key of index.keys()) if (!keys.has(key)) behind++
    // Why not after every change: the whole index is written (5 MB at 4,000
    // papers), and a one-paper edit's new entry is read from its own file
    // as well. Written when it is missing or unreadable, or when more than
    // one entry in fifty (at least 32) would be read from their files.
    if (!this.indexStale && behind <= Math.max(32, keys.size / 50)) return
    const entries: Entry[] = []
    for (const key of keys) {
      let entry = index.get(key)
      if (!entry) {
        try {
          entry = JSON.parse(readFileSync(this.file(key), 'utf8')) as Entry
        } catch {
          continue
        }
        if (entry?.key !== key || entry.pipeline !== this.pipelineVersion) continue
      }
      entries.push(entry)
    }
    mkdirSync(this.dir, {recursive: true})
    const file = path.join(this.dir, INDEX)
    const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
    writeFileSync(tmp, JSON.stringify({format: CACHE_FORMAT, pipeline: this.pipelineVersion, entries}))
    renameSync(tmp, file)
    this.index = new Map(entries.map((entry) => [entry.key, entry]))
    this.indexStale = false
  }

  private bodyFile(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key + '.body.json')
  }

  /** Whether an entry for `key` is stored (it may still turn out unreadable). */
  has(key: string): boolean {
    return this.indexed().has(key) || existsSync(this.file(key))
  }

  /** The cached outcome for `input`, or undefined. */
  async get(input: PaperInput, key = cacheKey(input, this.pipelineVersion)): Promise<PaperOutcome | undefined> {
    // The index's copy first; one that does not hold (its files removed or
    // written again since: the index is written only when much changed) is
    // passed over for the entry's own file.
    const copy = this.indexed().get(key)
    if (copy) {
      const outcome = this.use(input, key, copy)
      if (outcome) return outcome
      this.index?.delete(key)
    }
    let entry: Entry
    try {
      entry = JSON.parse(readFileSync(this.file(key), 'utf8')) as Entry
    } catch (error) {
      this.misses++
      if (error instanceof SyntaxError) this.warnings.push(unreadable(input.path))
      return undefined
    }
    const outcome = this.use(input, key, entry)
    if (outcome) return outcome
    this.misses++
    this.warnings.push(unreadable(input.path))
    return undefined
  }

  /** The outcome an entry holds for `key`, its body read when asked for; undefined when the entry or its body is not the one stored. */
  private use(input: PaperInput, key: string, entry: Entry): PaperOutcome | undefined {
    try {
      if (entry.format !== CACHE_FORMAT || entry.pipeline !== this.pipelineVersion || entry.key !== key || !entry.outcome || typeof entry.outcome.status !== 'string') {
        throw new Error('foreign entry')
      }
      // (A copy is given the body: the entry, held by the index, stays without it.)
      const outcome = {...entry.outcome, ...(entry.outcome.public ? {public: {...entry.outcome.public}} : {})}
      if (outcome.public) {
        const file = this.bodyFile(key)
        if (typeof entry.body !== 'string' || statSync(file).size !== entry.bodySize) throw new Error('no body, or not the one stored')
        this.lazy(input, key, outcome.public, entry.body)
      }
      this.hits++
      // The path as given this run (the content folder may be named differently).
      return {...outcome, path: input.path}
    } catch {
      return undefined
    }
  }

  /**
   * Give a stored paper its body from `<key>.body.json`, read only if
   * something asks for it and checked against its digest then; one damaged
   * since is made again from the paper (and the entry dropped), read again
   * from its file: a paper changed since this run read it is an error
   * (`holdSources`: from the bytes given).
   * Why not from the bytes this run read: the body outlives them (to the end
   * of the leak check), and holding every paper's bytes for a case this rare
   * kept every source in memory (200 MB at 20,000 papers).
   */
  private lazy(input: PaperInput, key: string, paper: object, digest: string): void {
    const file = this.bodyFile(key)
    const entryFile = this.file(key)
    const {path: source, relativePath} = input
    const pipelineVersion = this.pipelineVersion
    // (Only what the closures below name is kept alive by them.)
    const held = this.options.holdSources ? input : undefined
    const size = input.bytes.byteLength
    const readOnly = this.options.readOnly === true
    lazyBody(
      paper,
      digest,
      () => {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as Body
        } catch {
          return undefined
        }
      },
      () => {
        if (held) return processSource(held).public as Body
        // (A paper changed since, or anything but the regular file it was, is PaperChanged.)
        const again: PaperInput = {path: source, relativePath, bytes: readSourceFile(source, relativePath, size)}
        if (cacheKey(again, pipelineVersion) !== key) throw new PaperChanged(`\`${relativePath}\` changed or was removed while this run was using it (its stored body was damaged, and the paper read again is not the one read first): nothing was published; run the command again`)
        return processSource(again).public as Body
      },
      () => {
        if (readOnly) return
        this.index?.delete(key)
        // Damaged: dropped, so the next run processes the paper afresh. (Whatever
        // is there, a folder even; what cannot be removed is refused when read.)
        for (const name of [entryFile, file]) {
          try {
            rmSync(name, {force: true, recursive: true})
          } catch {
            // Left: its digest refuses it next time too.
          }
        }
      }
    )
  }

  /**
   * Store an outcome, atomically (a reader never sees half an entry): its
   * body first, then the entry naming it. Returns the outcome as `get` would
   * give it, its body read from the store when asked for: a build that
   * processes every paper does not hold every body.
   */
  async set(input: PaperInput, outcome: PaperOutcome, key = cacheKey(input, this.pipelineVersion)): Promise<PaperOutcome> {
    const file = this.file(key)
    let entry: Entry = {format: CACHE_FORMAT, pipeline: this.pipelineVersion, key, outcome}
    mkdirSync(path.dirname(file), {recursive: true})
    // (Synchronously: a build of every paper stores thousands, and a round
    // trip through the thread pool for each write cost more than the write.)
    const write = (target: string, json: string) => {
      const tmp = `${target}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
      writeFileSync(tmp, json)
      renameSync(tmp, target)
    }
    if (outcome.public) {
      const {markdown, html, text, ...rest} = outcome.public
      const body: Body = {markdown, html, text}
      const json = JSON.stringify(body)
      write(this.bodyFile(key), json)
      entry = {...entry, outcome: {...outcome, public: rest as PublicPaper}, body: digestBody(body), bodySize: Buffer.byteLength(json)}
    }
    write(file, JSON.stringify(entry))
    // (Kept in the index only when it is next written: see `saveIndex`.)
    if (!entry.outcome.public || !entry.body) return outcome
    const stored = {...entry.outcome, public: {...entry.outcome.public}}
    this.lazy(input, key, stored.public, entry.body)
    return stored
  }
}

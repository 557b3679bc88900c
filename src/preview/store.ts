/**
 * The preview's papers: one entry per `*.md` file under the content folder,
 * keyed by its path relative to the folder, holding the last bytes read and
 * the outcome of `processPaper` for them. A change to a file reprocesses
 * that file only. The checks `build` makes across papers (one slug per paper,
 * attachments that exist inside the folder) are repeated here so a paper's
 * status matches what a build would say.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {discoverPapers, duplicateSlugMessage, paperIdentities, readInputs} from '../build/build.js'
import {checkAssets} from '../publish/attachments.js'
import {createProcessor} from '../build/pool.js'
import {MAX_PAPER_BYTES, readRegularFile} from '../content/source-file.js'
import {decide, keepsLive, publishedPaper, statusWord, type ApprovalCheck, type Decision} from '../publish/decide.js'
import type {PaperOutcome, PlainMessage} from '../publish/outcome.js'
import type {PublicAsset, PublicPaper} from '../publish/types.js'
import {withoutLinksOffSite} from '../publish/kept.js'
import {linksAtInstant, processPaper, type PaperInput} from '../publish/process.js'

export interface Entry {
  relativePath: string
  /** Path as given (content folder joined with the relative path), as in build messages. */
  path: string
  bytes?: Uint8Array
  /** The outcome for `bytes` at `processedAt`. */
  outcome?: PaperOutcome
  processedAt?: number
  /** Errors about attachments (missing, or links out of the folder), as `build` reports them. */
  assetMessages: PlainMessage[]
  /** The attachments' bytes, as `build` reads them (for the public page and its hash). */
  assets: PublicAsset[]
  /** The store's sequence number when this entry last changed. */
  changedSeq: number
  /** Per-entry queue, so reads and processing of one file never interleave. */
  pending: Promise<void>
  /** Milliseconds the last processing took. */
  took?: number
}

export interface StoreOptions {
  content: string
  /** The real path of the content folder (symlinks resolved). */
  realRoot: string
  /** The instant statuses are computed at. */
  now: () => Date
  /** The build's cache folder, read (never written) for the first scan. */
  cacheDir?: string
  /** The site's approval policy, as the build applies it. */
  approval?: ApprovalCheck
}

export type ChangeListener = (relativePaths: string[], seq: number) => void

export class PaperStore {
  readonly content: string
  readonly now: () => Date
  readonly entries = new Map<string, Entry>()
  /** Increases on every change seen after the first scan. */
  seq = 0
  ready = false
  /** Papers processed by the first scan so far. */
  processed = 0
  private readonly realRoot: string
  private readonly cacheDir?: string
  approval?: ApprovalCheck
  /** Outcomes of the first scan, made on worker threads (and from the cache when present). */
  private prefill = new Map<string, {bytes: Uint8Array; outcome: PaperOutcome}>()
  private bySlug = new Map<string, Set<string>>()
  private listeners = new Set<ChangeListener>()
  private closed = false

  constructor(options: StoreOptions) {
    this.content = options.content
    this.realRoot = options.realRoot
    this.now = options.now
    this.cacheDir = options.cacheDir
    this.approval = options.approval
  }

  get total(): number {
    return this.entries.size
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.closed = true
    this.listeners.clear()
  }

  /** Find every paper, then process them a few at a time, yielding so the server stays responsive. */
  async load(): Promise<void> {
    const relatives = await discoverPapers(this.content)
    for (const relativePath of relatives) this.entry(relativePath)
    if (relatives.length >= 64) {
      // Process the first scan on both cores (reading the build's cache, never
      // writing it); a paper asked for meanwhile is processed at once.
      try {
        const inputs = await readInputs(this.content)
        const outcomes = await createProcessor({cacheDir: this.cacheDir, readOnly: true, holdSources: true}).processAll(inputs, this.now())
        inputs.forEach((input, i) => this.prefill.set(input.relativePath, {bytes: input.bytes, outcome: outcomes[i]}))
      } catch {
        // Fall back to processing each paper in this thread.
      }
    }
    const chunk = 25
    for (let i = 0; i < relatives.length && !this.closed; i += chunk) {
      await Promise.all(relatives.slice(i, i + chunk).map((rel) => this.ensure(rel)))
      this.processed = Math.min(relatives.length, i + chunk)
      await new Promise((resolve) => setImmediate(resolve))
    }
    this.ready = true
    this.emit([])
  }

  private entry(relativePath: string): Entry {
    let entry = this.entries.get(relativePath)
    if (!entry) {
      entry = {relativePath, path: path.join(this.content, relativePath), assetMessages: [], assets: [], changedSeq: this.seq, pending: Promise.resolve()}
      this.entries.set(relativePath, entry)
    }
    return entry
  }

  /** The entry with an outcome (processing it now if the first scan has not reached it yet). */
  async ensure(relativePath: string): Promise<Entry | undefined> {
    const entry = this.entries.get(relativePath)
    if (!entry) return undefined
    if (!entry.outcome) await this.enqueue(entry, false)
    if (this.isStale(entry)) await this.reprocess(entry)
    return this.entries.get(relativePath)
  }

  /** Why: a deferral that ended while the preview ran (on the clock, not --at) makes the paper public now. */
  private isStale(entry: Entry): boolean {
    const outcome = entry.outcome
    return outcome?.status === 'deferred' && outcome.deferUntil !== undefined && this.now().getTime() >= Date.parse(outcome.deferUntil)
  }

  private reprocess(entry: Entry): Promise<void> {
    const run = entry.pending.then(async () => {
      if (!this.isStale(entry)) return
      this.process(entry)
      await this.checkAssets(entry)
    })
    entry.pending = run.catch(() => {})
    return run
  }

  /** Reprocess every paper whose deferral has ended since it was processed. */
  async refreshStale(): Promise<void> {
    const stale = [...this.entries.values()].filter((entry) => this.isStale(entry))
    await Promise.all(stale.map((entry) => this.reprocess(entry)))
  }

  /** Re-read one file after the watcher saw it change (or appear, or go). Returns whether anything changed. */
  async refresh(relativePath: string): Promise<boolean> {
    const known = this.entries.get(relativePath)
    const entry = known ?? this.entry(relativePath)
    const changed = await this.enqueue(entry, true)
    if (!known && !this.entries.has(relativePath)) return false
    return changed
  }

  private enqueue(entry: Entry, notify: boolean): Promise<boolean> {
    let changed = false
    const run = entry.pending.then(async () => {
      if (!notify && entry.outcome) return
      changed = await this.read(entry, notify)
    })
    entry.pending = run.catch(() => {})
    return run.then(() => changed)
  }

  private async read(entry: Entry, notify: boolean): Promise<boolean> {
    let bytes: Uint8Array
    try {
      // As the build reads a paper: a regular file only, never a pipe waited on.
      bytes = readRegularFile(entry.path, {limit: MAX_PAPER_BYTES})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        if (!this.entries.has(entry.relativePath)) return false
        this.remove(entry)
        if (notify) this.emit([entry.relativePath, ...this.partners(entry)])
        return true
      }
      // Unreadable (permissions, a folder named *.md): show it as invalid rather than stop.
      delete entry.bytes
      entry.outcome = {
        path: entry.path,
        relativePath: entry.relativePath,
        status: 'invalid',
        messages: [{reason: `Cannot read the file (${(error as {reason?: string}).reason ?? code ?? String(error)})`, fatal: true, ruleId: 'file-unreadable'}],
        redactions: [],
        exemptions: [],
        assetRefs: []
      }
      entry.assetMessages = []
      entry.assets = []
      if (notify) this.emit([entry.relativePath])
      return true
    }
    if (entry.outcome && entry.bytes && Buffer.compare(Buffer.from(bytes), Buffer.from(entry.bytes)) === 0) return false
    const oldSlug = entry.outcome?.slug
    entry.bytes = bytes
    this.entries.set(entry.relativePath, entry)
    this.process(entry)
    await this.checkAssets(entry)
    const newSlug = entry.outcome?.slug
    const affected = new Set<string>([entry.relativePath])
    if (oldSlug !== newSlug) {
      if (oldSlug) {
        for (const other of this.bySlug.get(oldSlug) ?? []) affected.add(other)
        this.bySlug.get(oldSlug)?.delete(entry.relativePath)
      }
      if (newSlug) {
        const set = this.bySlug.get(newSlug) ?? new Set<string>()
        set.add(entry.relativePath)
        this.bySlug.set(newSlug, set)
        for (const other of set) affected.add(other)
      }
    }
    if (notify) this.emit([...affected])
    return true
  }

  private process(entry: Entry): void {
    const start = performance.now()
    const input: PaperInput = {path: entry.path, relativePath: entry.relativePath, bytes: entry.bytes!}
    const warm = this.prefill.get(entry.relativePath)
    this.prefill.delete(entry.relativePath)
    entry.outcome = warm && Buffer.compare(Buffer.from(warm.bytes), Buffer.from(input.bytes)) === 0 ? warm.outcome : processPaper(input, this.now())
    entry.processedAt = this.now().getTime()
    entry.took = performance.now() - start
  }

  private remove(entry: Entry): void {
    const slug = entry.outcome?.slug
    if (slug) this.bySlug.get(slug)?.delete(entry.relativePath)
    this.entries.delete(entry.relativePath)
  }

  /** Other papers sharing the entry's slug. */
  private partners(entry: Entry): string[] {
    const slug = entry.outcome?.slug
    return slug ? [...(this.bySlug.get(slug) ?? [])].filter((p) => p !== entry.relativePath) : []
  }

  /** As `build` does for public papers: every attachment must be a file inside the content folder. */
  private async checkAssets(entry: Entry): Promise<void> {
    const outcome = entry.outcome
    if (outcome?.status !== 'public' || outcome.assetRefs.length === 0) {
      entry.assetMessages = []
      entry.assets = []
      return
    }
    // The build's own check, so a paper the build would refuse shows as invalid here.
    const papers = await paperIdentities([...this.entries.keys()].map((relativePath) => path.join(this.realRoot, relativePath)))
    const checked = await checkAssets(this.content, this.realRoot, outcome.assetRefs, papers)
    entry.assetMessages = checked.messages
    entry.assets = checked.assets
  }


  /** A file that is not a paper changed: recheck the attachments of papers that use it. */
  async refreshAsset(relativePath: string): Promise<void> {
    const affected: string[] = []
    for (const entry of this.entries.values()) {
      if (!entry.outcome?.assetRefs.some((ref) => ref.source === relativePath)) continue
      const before = JSON.stringify(entry.assetMessages)
      await this.checkAssets(entry)
      if (JSON.stringify(entry.assetMessages) !== before) affected.push(entry.relativePath)
    }
    if (affected.length > 0) this.emit(affected)
  }

  private emit(relativePaths: string[]): void {
    this.seq++
    for (const rel of relativePaths) {
      const entry = this.entries.get(rel)
      if (entry) entry.changedSeq = this.seq
    }
    for (const listener of this.listeners) listener(relativePaths, this.seq)
  }

  /**
   * The outcome as a build would report it: the paper's own, plus the errors
   * found across papers (shared slug, attachments), which make it invalid.
   */
  view(entry: Entry): PaperOutcome | undefined {
    return this.decided(entry)?.outcome
  }

  /** The publication decision for the entry at the preview's instant: the build's own `decide`. */
  decision(entry: Entry): Decision | undefined {
    return this.decided(entry)?.decision
  }

  /** The entry's outcome with the errors found across papers (a shared slug, attachments), before links are decided. */
  private withCorpusMessages(entry: Entry): PaperOutcome | undefined {
    const outcome = entry.outcome
    if (!outcome) return undefined
    const extra: PlainMessage[] = [...entry.assetMessages]
    const slug = outcome.slug
    const same = slug ? [...(this.bySlug.get(slug) ?? [])].filter((p) => p !== entry.relativePath && this.entries.has(p)) : []
    if (slug && same.length > 0) {
      const others = same.map((p) => this.entries.get(p)!.path).join(', ')
      extra.push(duplicateSlugMessage(slug, others, outcome.idLine))
    }
    return extra.length === 0 ? outcome : {...outcome, messages: [...outcome.messages, ...extra]}
  }

  /** As the build decides: a held paper keeps its live version while that is still its page. */
  private decideEntry(entry: Entry, outcome: PaperOutcome): Decision {
    const context = {now: this.now(), assets: entry.assets, approval: this.approval}
    const decision = decide(outcome, context)
    const kept = decision.status === 'held' ? this.kept.get(entry.relativePath) : undefined
    if (!kept || !keepsLive(kept, outcome, [...this.entries.values()].flatMap((e) => (e.outcome ? [e.outcome] : [])))) return decision
    return decide(outcome, {...context, kept})
  }

  private decided(entry: Entry): {outcome: PaperOutcome; decision: Decision} | undefined {
    const base = this.withCorpusMessages(entry)
    if (!base) return undefined
    // As the build does: links to papers not on the site keep only their text.
    const view = this.withLinksHidden(entry, base)
    const decision = this.decideEntry(entry, view)
    const shown: PaperOutcome = {...view, status: statusWord(decision)}
    if (decision.status !== 'public' && decision.status !== 'withdrawn') delete shown.public
    return {outcome: shown, decision}
  }

  /**
   * Versions live on the site, by file (from the state folder's store of
   * published papers): the preview shows a held paper's kept page as the
   * site does. Set by the server; `keptChanged` when it changes.
   */
  kept = new Map<string, PublicPaper>()
  private keptVersion = 0

  keptChanged(): void {
    this.keptVersion++
  }

  /** The papers held at this instant (before their kept versions are known). */
  heldPaths(): string[] {
    return [...this.entries.values()].filter((entry) => entry.outcome && this.decision(entry)?.status === 'held').map((entry) => entry.relativePath)
  }

  /**
   * The papers a build at the preview's instant would publish (pages and
   * withdrawal notices), by slug. With `candidates`, a paper awaiting approval
   * is shown as it will be published once approved.
   */
  publishedPapers(candidates = false): PublicPaper[] {
    const papers: PublicPaper[] = []
    const slugs = new Set<string>()
    for (const relativePath of [...this.entries.keys()].sort()) {
      const decision = this.decision(this.entries.get(relativePath)!)
      const waiting = candidates && decision?.status === 'held' ? decision.awaitingApproval?.rendering : undefined
      // As the build does: a kept version names no paper that is off the site now.
      const kept = decision?.status === 'held' && decision.kept ? withoutLinksOffSite(decision.kept, this.onSite()) : undefined
      const paper = waiting ?? kept ?? (decision && publishedPaper(decision))
      if (!paper || slugs.has(paper.slug)) continue
      slugs.add(paper.slug)
      papers.push(paper)
    }
    return papers.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
  }

  private onSiteCache?: {seq: number; at: number; kept: number; slugs: Set<string>}

  /**
   * The slugs with a page on the site at this instant: papers published (or
   * withdrawn to a notice) and the kept versions of held papers. Links to any
   * other paper keep only their text, as the build does.
   */
  private onSite(): Set<string> {
    const at = this.now().getTime()
    const cache = this.onSiteCache
    if (cache && cache.seq === this.seq && cache.at === at && cache.kept === this.keptVersion) return cache.slugs
    const slugs = new Set<string>()
    for (const entry of this.entries.values()) {
      const base = this.withCorpusMessages(entry)
      const paper = base && publishedPaper(this.decideEntry(entry, base))
      if (paper) slugs.add(paper.slug)
    }
    this.onSiteCache = {seq: this.seq, at, kept: this.keptVersion, slugs}
    return slugs
  }

  /** The build's own rule for links to papers that are not on the site at this instant. */
  private withLinksHidden(entry: Entry, outcome: PaperOutcome): PaperOutcome {
    if (outcome.status !== 'public' || !outcome.paperLinks?.length || !entry.bytes) return outcome
    return linksAtInstant(outcome, {path: entry.path, relativePath: entry.relativePath, bytes: entry.bytes}, this.onSite(), this.now())
  }

  /** Approvals changed: every paper's decision may have. */
  approvalsChanged(): void {
    this.emit([...this.entries.keys()])
  }

  /** Every processed paper's view, in path order. */
  views(): PaperOutcome[] {
    const list: PaperOutcome[] = []
    for (const entry of this.entries.values()) {
      const view = this.view(entry)
      if (view) list.push(view)
    }
    return list
  }

  /** The input for a paper's current bytes. */
  input(entry: Entry): PaperInput | undefined {
    return entry.bytes ? {path: entry.path, relativePath: entry.relativePath, bytes: entry.bytes} : undefined
  }
}

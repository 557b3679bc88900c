/**
 * One build: discover papers, process each (redact first), check the corpus
 * as a whole, then derive the site from public papers only. Hands each file
 * to `sink` as it is made (a staging folder, `write.ts`, which swaps it into
 * place), or returns the files in memory. Writes nothing itself.
 */
import {createHash} from 'node:crypto'
import {realpathSync, statSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from '../vendor/index.js'
import {checkAssets} from '../publish/attachments.js'
import {decide, keepsLive, publishedPaper, statusWord, type ApprovalCheck, type Decision} from '../publish/decide.js'
import {withoutLinksOffSite} from '../publish/kept.js'
import type {PaperOutcome, PlainMessage} from '../publish/outcome.js'
import {hideLinksToNonPublic, linksAtInstant, processPaper, type PaperInput} from '../publish/process.js'
import type {PublicPaper, PublicationDates} from '../publish/types.js'
import {renderSiteKeyed, type FileSink, type SiteFiles} from '../site/render.js'
import type {ShardInfo} from '../site/memo.js'
import {fileDigest, type LiveSite} from './manifest.js'
import type {SiteConfig} from '../config/types.js'
import {scanContent, type ContentScan} from '../content/discover.js'
import {readSourceFile} from '../content/source-file.js'
import {codeVersion} from './code-version.js'
import {MARKER} from './marker.js'

/** The attachment check lives in publish/attachments.ts; re-exported for the preview. */
export {checkAssets}

export interface BuildOptions {
  /** Content folder. */
  content: string
  /** The instant to build at. */
  now: Date
  /** Absolute site URL for canonical links and feeds. */
  baseUrl?: string
  /** The site configuration (`mopac.config.json`, defaults filled in) for the site's own pages. */
  config?: SiteConfig
  /** First-published dates from the release log, or a function that makes them from the public papers. */
  dates?: PublicationDates | ((papers: PublicPaper[]) => PublicationDates)
  /** Render the site (default true); `check` and `schedule` only need the outcomes. */
  render?: boolean
  /**
   * The input fingerprint of the live site. When this build's inputs give the
   * same fingerprint, the site would be byte-identical: skip rendering.
   */
  unchangedFrom?: string
  /** Process papers (the default runs in this thread; the cache and workers plug in here). */
  processAll?: (inputs: PaperInput[], now: Date) => Promise<PaperOutcome[]>
  /**
   * Hold broken papers instead of stopping (the release job): a paper with an
   * error is left out, or, when it is live, kept as last published; a draft's
   * errors do not stop the build. Without it, any error stops the build.
   */
  hold?: boolean
  /** The version of a paper (by content file) live on the site: kept while the paper is held. */
  lastPublished?: (file: string) => Promise<PublicPaper | undefined>
  /** The site's approval policy (config `approvals`); none: no approval needed. */
  approval?: ApprovalCheck
  /**
   * The live site as its manifest vouches for it: pages made from the same as
   * their live copy are kept (`site.kept`), not rendered.
   */
  live?: LiveSite
  /**
   * Where the files made go as they are made (a staging folder,
   * src/build/write.ts): the build then holds one page at a time, and
   * `BuildResult.files` is empty. Without it the files are kept in memory.
   */
  sink?: FileSink
}

/** What a rendering leaves besides the files it made (src/build/manifest.ts). */
export interface RenderedSite {
  /** How many files this build made (the marker included): the rest are `kept`. */
  made: number
  /** Paths taken unchanged from the live site (`BuildOptions.live`): staging links them. */
  kept: string[]
  /** Every file of the site but the marker -> its SHA-256 (`fileDigest`). */
  digests: ReadonlyMap<string, string>
  /** Every keyed page and search file -> its key. */
  keys: ReadonlyMap<string, string>
  shards: ReadonlyMap<string, ShardInfo>
}

/** A paper held back by an error in a `hold` build. */
export interface HeldPaper {
  outcome: PaperOutcome
  /** Why: errors, or approvals the site requires and its rendering lacks. */
  reason: 'errors' | 'approval'
  /** Its errors (or the missing approval), first first. */
  errors: PlainMessage[]
  /** The version kept on the site, when the paper is live. */
  kept?: PublicPaper
}

export interface BuildResult {
  /** Whether the build may be published (no paper has an error). */
  ok: boolean
  outcomes: PaperOutcome[]
  /** Messages that belong to no single paper (e.g. an empty content folder). */
  problems: PlainMessage[]
  /** The files this build made, when `ok` and rendered (with `site.kept`, the whole site); empty when they went to `BuildOptions.sink`. */
  files?: SiteFiles
  /** The rest of the site, when rendered: files kept from the live site, every file's digest, and the keys for the next build's manifest. */
  site?: RenderedSite
  /** Content hash of the site: the same files give the same id. */
  buildId?: string
  /** Hash of everything the site is made from (code, papers, statuses, files, dates, options). */
  fingerprint?: string
  /** True when `unchangedFrom` matched: nothing was rendered. */
  unchanged?: boolean
  publicPapers: PublicPaper[]
  /** What the walk of the content folder found (for `check`'s summary). */
  scan?: ContentScan
  /** Papers held back: by errors (`hold` builds only), or for want of approval. */
  held: HeldPaper[]
  /** The publication decision for each paper, by its path in the content folder. */
  decisions: Map<string, Decision>
  /** The content file each public paper was made from, by slug. */
  sources: Map<string, string>
}

/** Paths of the papers under `content`, sorted. */
export async function discoverPapers(content: string): Promise<string[]> {
  return (await scanContent(content)).papers
}

/**
 * Read every paper's bytes (one by one: a file of a few KB costs less read
 * at once than through the thread pool), each as the regular file the scan
 * found: one changed since into a link, a pipe, a device or a folder, or
 * gone, stops the run (`PaperChanged`).
 */
export async function readInputs(content: string, relatives?: string[]): Promise<PaperInput[]> {
  return (relatives ?? (await discoverPapers(content))).map((relativePath) => {
    const file = path.join(content, relativePath)
    return {path: file, relativePath, bytes: readSourceFile(file, relativePath)}
  })
}

const inThread = async (inputs: PaperInput[], now: Date) => inputs.map((input) => processPaper(input, now))

export async function build(options: BuildOptions): Promise<BuildResult> {
  const problems: PlainMessage[] = []
  let stat
  try {
    stat = await fs.stat(options.content)
  } catch {}
  if (!stat?.isDirectory()) {
    problems.push({reason: `Content folder \`${options.content}\` does not exist: give the folder of papers with --content`, fatal: true, ruleId: 'content-missing'})
    return {ok: false, outcomes: [], problems, publicPapers: [], held: [], sources: new Map(), decisions: new Map()}
  }
  const scan = await scanContent(options.content)
  const inputs = await readInputs(options.content, scan.papers)
  if (inputs.length === 0) {
    // Why: an empty folder is far more likely a wrong --content than a wish
    // to take the whole site down.
    problems.push({reason: `No papers (\`*.md\`) in \`${options.content}\`: check --content`, fatal: true, ruleId: 'content-empty'})
    return {ok: false, outcomes: [], problems, publicPapers: [], scan, held: [], sources: new Map(), decisions: new Map()}
  }

  for (const name of scan.links) {
    problems.push({reason: `\`${name}\` is a symbolic link to a paper or a folder: papers are read only as regular files inside the content folder. Copy the file or folder here instead of linking it`, fatal: true, ruleId: 'content-symlink'})
  }
  for (const name of scan.badNames) {
    // Why: nothing of that name can be opened, so a paper there would be left out unseen.
    problems.push({reason: `\`${name}\` has a name that is not UTF-8 text (shown here with \uFFFD): rename it`, fatal: true, ruleId: 'content-name'})
  }
  for (const {name, code} of scan.unreadable) {
    // Why: a paper in it would be left out unseen.
    problems.push({reason: `The folder \`${name}\` cannot be read (${code === 'ENAMETOOLONG' ? 'its path is longer than the system allows' : code}): move or rename it`, fatal: true, ruleId: 'content-unreadable'})
  }
  for (const name of scan.specials) {
    // Why: named like a paper but not a file: a pipe, a device or a socket.
    problems.push({reason: `\`${name}\` is named like a paper but is not a regular file (a pipe, a device or a socket): replace it with the paper itself, or remove it`, fatal: true, ruleId: 'content-special'})
  }
  for (const name of scan.unread) {
    // Why: the build does not read it as a paper, yet a link could copy it raw.
    problems.push({reason: `\`${name}\` looks like a paper but is not read as one (papers end in lower-case \`.md\`): rename it to \`.md\`, or move it out of the content folder`, fatal: true, ruleId: 'content-unread'})
  }

  const processed = await (options.processAll ?? inThread)(inputs, options.now)
  checkCorpus(processed)
  const outcomes = hideLinksToNonPublic(processed, inputs, options.now)
  const papers = await paperIdentities(inputs.map((input) => input.path))
  const assets = await loadAssets(options.content, outcomes, papers)

  // The one decision, for every paper; a held paper keeps its live version
  // (when it is still that paper's page).
  const decisions = new Map<string, Decision>()
  const decideOne = async (outcome: PaperOutcome) => {
    const context = {now: options.now, assets: assets.get(outcome.relativePath), approval: options.approval}
    let decision = decide(outcome, context)
    if (decision.status === 'held' && options.lastPublished) {
      const kept = await options.lastPublished(outcome.relativePath)
      if (kept && keepsLive(kept, outcome, outcomes)) decision = decide(outcome, {...context, kept})
    }
    decisions.set(outcome.relativePath, decision)
    outcome.status = statusWord(decision)
  }
  for (const outcome of outcomes) await decideOne(outcome)
  // Links to papers held for approval (not on the site) lose their address
  // too, as links to any paper not public do; repeat while that holds more.
  const inputByPath = new Map(inputs.map((input) => [input.relativePath, input]))
  for (let round = 0; round < 8; round++) {
    const onSite = new Set([...decisions.values()].flatMap((d) => publishedPaper(d)?.slug ?? []))
    const stale = outcomes.filter((o) => o.public !== undefined && o.paperLinks?.some((slug) => !onSite.has(slug) && !(o.hiddenLinks ?? []).includes(slug)))
    if (stale.length === 0) break
    for (const outcome of stale) {
      // (Its status word may say `unapproved`; its public rendering is what changes.)
      const again = linksAtInstant({...outcome, status: 'public'}, inputByPath.get(outcome.relativePath)!, onSite, options.now)
      outcomes[outcomes.indexOf(outcome)] = again
      await decideOne(again)
    }
  }
  // A kept version names no paper that is off the site now.
  const onSite = new Set([...decisions.values()].flatMap((d) => publishedPaper(d)?.slug ?? []))
  for (const [file, decision] of decisions) {
    if (decision.status === 'held' && decision.kept) decisions.set(file, {...decision, kept: withoutLinksOffSite(decision.kept, onSite)})
  }
  const held: HeldPaper[] = []
  for (const outcome of outcomes) {
    const decision = decisions.get(outcome.relativePath)!
    if (decision.status === 'held' && (decision.reason === 'approval' || options.hold)) held.push({outcome, reason: decision.reason, errors: decision.errors, kept: decision.kept})
  }
  // Why: without `hold` any error stops the build (a draft's too); with it,
  // a paper with errors is held. A paper awaiting approval is held either way.
  const stops = (d: Decision) => (d.status === 'held' && d.reason === 'errors') || (d.status === 'draft' && d.errors.length > 0)
  const ok = problems.every((m) => !m.fatal) && (options.hold === true || ![...decisions.values()].some(stops))
  const publicPapers: PublicPaper[] = []
  const sources = new Map<string, string>()
  if (!ok) return {ok, outcomes, problems, publicPapers, scan, held, sources, decisions}
  for (const outcome of outcomes) {
    const paper = publishedPaper(decisions.get(outcome.relativePath)!)
    // A held live paper stays as last published, unless its slug is now another paper's.
    if (!paper || sources.has(paper.slug)) continue
    publicPapers.push(paper)
    sources.set(paper.slug, outcome.relativePath)
  }
  publicPapers.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
  if (options.render === false) return {ok, outcomes, problems, publicPapers, scan, held, sources, decisions}
  const dates = typeof options.dates === 'function' ? options.dates(publicPapers) : options.dates
  const fingerprint = inputFingerprint(inputs, outcomes, publicPapers, {baseUrl: options.baseUrl ?? null, dates: dates ?? null, config: options.config ?? null})
  if (options.unchangedFrom === fingerprint) return {ok, outcomes, problems, publicPapers, fingerprint, unchanged: true, scan, held, sources, decisions}
  const digests = new Map<string, string>()
  const files: SiteFiles = new Map()
  const store: FileSink = options.sink ?? ((name, content) => files.set(name, content))
  let made = 0
  const put: FileSink = (name, content) => {
    made++
    store(name, content)
  }
  const sink: FileSink = (name, content) => {
    digests.set(name, fileDigest(content))
    put(name, content)
  }
  const {memo} = await renderSiteKeyed(publicPapers, {baseUrl: options.baseUrl, dates, config: options.config, live: options.live, sink})
  for (const name of memo.kept) {
    const live = options.live?.files.get(name)
    // (The memo keeps only pages whose live file the manifest vouches for.)
    if (!live || digests.has(name)) throw new Error(`build: \`${name}\` was kept from a live site that does not have it`)
    digests.set(name, live.sha256)
  }
  const buildId = siteHash(digests)
  put(MARKER, `mopac-publisher site, build ${buildId}\ninputs ${fingerprint}\nThis folder is replaced whole by each build.\n`)
  const site = {made, kept: memo.kept, digests, keys: memo.keys, shards: memo.shards}
  return {ok, outcomes, problems, files, site, publicPapers, buildId, fingerprint, scan, held, sources, decisions}
}

/** SHA-256 of everything a site is made from. */
function inputFingerprint(inputs: PaperInput[], outcomes: PaperOutcome[], papers: PublicPaper[], options: unknown): string {
  const hash = createHash('sha256').update(codeVersion()).update('\0').update(JSON.stringify(options))
  for (const input of inputs) hash.update('\0' + input.relativePath + '\0').update(input.bytes)
  for (const outcome of outcomes) hash.update(`\0${outcome.relativePath}:${outcome.status}`)
  for (const paper of papers) for (const asset of paper.assets) hash.update(`\0${paper.slug}/${asset.target}\0`).update(asset.bytes)
  // What the decision shows at this instant that the inputs alone do not say (an update falling due).
  for (const paper of papers) hash.update(`\0${paper.slug}:updates:${paper.updates?.length ?? 0}`)
  return hash.digest('hex').slice(0, 32)
}

/** SHA-256 over every path and its content's SHA-256 (`fileDigest`), in path order: the same files give the same id. */
export function siteHash(digests: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256')
  for (const name of [...digests.keys()].sort()) {
    if (name === MARKER) continue
    hash.update(name + '\0' + digests.get(name)! + '\0')
  }
  return hash.digest('hex').slice(0, 16)
}

/** The error for a paper whose slug another paper also makes. */
export function duplicateSlugMessage(slug: string, others: string, idLine: number | undefined): PlainMessage {
  return {reason: `Two papers make the slug \`${slug}\` (also ${others}): give each paper its own id`, line: idLine ?? 1, column: 1, fatal: true, ruleId: 'slug-duplicate'}
}

/** Checks across papers: one slug, one paper. */
function checkCorpus(outcomes: PaperOutcome[]): void {
  const bySlug = new Map<string, PaperOutcome[]>()
  for (const outcome of outcomes) {
    // A draft is never published, so it takes no page: it shares a slug freely.
    if (!outcome.slug || outcome.draft) continue
    bySlug.set(outcome.slug, [...(bySlug.get(outcome.slug) ?? []), outcome])
  }
  for (const [slug, same] of bySlug) {
    if (same.length < 2) continue
    for (const outcome of same) {
      const others = same.filter((o) => o !== outcome).map((o) => o.path).join(', ')
      outcome.messages.push(duplicateSlugMessage(slug, others, outcome.idLine))
      outcome.status = 'invalid'
      delete outcome.public
    }
  }
}

/** Read the local files public papers refer to; a missing, escaping or unsafe file is an error. */
async function loadAssets(content: string, outcomes: PaperOutcome[], papers: Set<string>): Promise<Map<string, PublicPaper['assets']>> {
  const result = new Map<string, PublicPaper['assets']>()
  const root = await fs.realpath(content)
  for (const outcome of outcomes) {
    if (outcome.status !== 'public' || outcome.assetRefs.length === 0) continue
    const {assets, messages} = await checkAssets(content, root, outcome.assetRefs, papers)
    outcome.messages.push(...messages)
    if (outcome.messages.some((m) => m.fatal)) {
      outcome.status = 'invalid'
      delete outcome.public
    }
    result.set(outcome.relativePath, assets)
  }
  return result
}

/** Real paths and inodes of papers, so neither a symlink nor a hard link to one passes as an attachment. */
export async function paperIdentities(paths: string[]): Promise<Set<string>> {
  const ids = new Set<string>()
  // (One by one, synchronously: cheaper than a thread-pool round trip each.)
  for (const file of paths) {
    try {
      ids.add(realpathSync.native(file))
    } catch {
      ids.add(file)
    }
    try {
      const stat = statSync(file)
      ids.add(`inode:${stat.dev}:${stat.ino}`)
    } catch {
      // Gone or unreadable: its path stands for it.
    }
  }
  return ids
}

/** VFiles carrying each paper's messages, for vfile-reporter. */
export function messageFiles(result: Pick<BuildResult, 'outcomes' | 'problems'>, contentLabel = 'content'): VFile[] {
  const files: VFile[] = []
  if (result.problems.length > 0) {
    const file = new VFile({path: contentLabel})
    for (const m of result.problems) addMessage(file, m)
    files.push(file)
  }
  for (const outcome of result.outcomes) {
    if (outcome.messages.length === 0) continue
    const file = new VFile({path: outcome.path})
    for (const m of outcome.messages) addMessage(file, m)
    files.push(file)
  }
  return files
}

function addMessage(file: VFile, m: PlainMessage): void {
  const start = m.line != null ? {line: m.line, column: m.column ?? 1} : undefined
  const end = m.endLine != null ? {line: m.endLine, column: m.endColumn ?? 1} : undefined
  const message = file.message(m.reason, {place: start && end ? {start, end} : start, ruleId: m.ruleId, source: 'mopac'})
  message.fatal = m.fatal
}

/**
 * The release job: build the site as at `now`, check the new output with the
 * independent leak check, swap it in, and log each paper that became public
 * (or was withdrawn) in this run. Safe to run from cron every minute: a lock
 * keeps runs apart, and a run killed at any point is completed by the next.
 *
 * Order, and why: stage -> verify -> write `pending.json` -> swap -> append
 * to the log -> remove `pending.json`. If a run dies after the swap, the next
 * run finds `pending.json` naming the build now live and appends its entries
 * with their true instants; if it dies before, the pending entries are
 * dropped and the next run works them out again.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {build, type BuildOptions, type BuildResult} from '../build/build.js'
import {assertReplaceable, assertSeparateFolders, LiveSiteChanged, openStage, recoverOut, siteBuildId, siteFingerprint, spareOf, swapIn, toSpare, type KeptFile, type LeakHit, type Stage} from '../build/write.js'
import {acquireLock} from './lock.js'
import {readLiveSite, writeManifest, type LiveSite} from '../build/manifest.js'
import type {PublicPaper, PublicationDates} from '../publish/types.js'
import {appendLog, currentlyReleased, publicationDates, readLog, type HeldEntry, type ReleaseEntry} from './log.js'
import {lastPublished, settlePublished, stagePublished} from './published.js'
import {APPROVALS_FILE, readApprovals} from './approvals.js'
import {approvalCheck} from '../publish/approvals.js'
import type {BuildResult as Built} from '../build/build.js'

/** `held`: what was due is released, but some papers with errors were held back. */
export type ReleaseStatus = 'released' | 'nothing-due' | 'held' | 'content-errors' | 'leak' | 'locked'

export type {LeakHit} from '../build/write.js'

export interface ReleaseOptions {
  content: string
  out: string
  state: string
  now: Date
  baseUrl?: string
  /** The site configuration (`mopac.config.json`, defaults filled in). */
  config?: BuildOptions['config']
  dryRun?: boolean
  /** The independent leak check, run on the staged site before the swap. */
  verify: (staged: string) => Promise<LeakHit[]>
  /** Process papers (cache and workers plug in here). */
  processAll?: BuildOptions['processAll']
  /**
   * All or nothing (`mopac build`): any error in any paper stops the run
   * instead of holding that paper.
   */
  strict?: boolean
  /** The site's approval policy: a paper whose public rendering lacks its approvals is held. */
  approval?: BuildOptions['approval']
  /** Rebuild and swap even when the live site's inputs are unchanged (`--no-cache`). */
  force?: boolean
  /** How long to wait for another run's lock, in ms (default 3000). */
  lockWait?: number
  /** Called after a run that was not refused, still holding the lock (the CLI prunes the cache here). */
  afterRun?: () => Promise<unknown>
  /** Test hook: called at each stage; a test kills the process there. */
  onStage?: (stage: 'staged' | 'verified' | 'swapping' | 'mid-swap' | 'swapped' | 'appending') => void
}

export interface ReleaseResult {
  status: ReleaseStatus
  now: string
  buildId?: string
  released: ReleaseEntry[]
  withdrawn: ReleaseEntry[]
  build?: BuildResult
  hits?: LeakHit[]
  /** Papers held back by errors, as logged. */
  held: HeldEntry[]
}

const PENDING = 'pending.json'
/** Where the site keeps paper pages (`decisions/<slug>/`). */
const PAPERS_DIR = 'decisions'

/** The SHA-256 of a public paper's Markdown. */
export function markdownHash(paper: Pick<PublicPaper, 'markdown'>): string {
  return createHash('sha256').update(paper.markdown).digest('hex')
}

/** What this run changes in the log, given the public papers and the log so far. */
export function planRelease(publicPapers: PublicPaper[], log: ReleaseEntry[], now: Date, buildId: string, alreadyLive: Set<string> = new Set(), siteExists = alreadyLive.size > 0): {released: ReleaseEntry[]; withdrawn: ReleaseEntry[]} {
  const live = currentlyReleased(log)
  const at = now.toISOString()
  const released: ReleaseEntry[] = []
  const seen = new Set<string>()
  for (const paper of [...publicPapers].sort((a, b) => a.slug.localeCompare(b.slug))) {
    // A withdrawn paper's notice page is not the paper: logged as withdrawn below if it was live.
    if (paper.withdrawn) continue
    seen.add(paper.slug)
    if (live.has(paper.slug) && !alreadyLive.has(paper.slug) && siteExists) {
      // The log says public, but the live site lacks it: something other than
      // the release job (a plain build with another --now) took it down.
      // Record the gap: withdrawn (when is unknown, so now), then released.
      const entry = live.get(paper.slug)!
      released.push({event: 'withdrawn', id: entry.id, slug: paper.slug, title: entry.title, dueAt: entry.dueAt, at, buildId})
    } else if (live.has(paper.slug)) continue
    released.push({event: alreadyLive.has(paper.slug) ? 'baseline' : 'released', id: paper.id, slug: paper.slug, title: paper.title, dueAt: paper.dueAt ?? null, at, sha256: markdownHash(paper), buildId})
  }
  const withdrawn: ReleaseEntry[] = []
  for (const [slug, entry] of [...live].sort(([a], [b]) => a.localeCompare(b))) {
    if (seen.has(slug)) continue
    withdrawn.push({event: 'withdrawn', id: entry.id, slug, title: entry.title, dueAt: entry.dueAt, at, buildId})
  }
  return {released, withdrawn}
}

/** Slugs of the papers on the live site now. */
export async function liveSlugs(out: string): Promise<Set<string>> {
  try {
    const entries = await fs.readdir(path.join(out, PAPERS_DIR), {withFileTypes: true})
    return new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name))
  } catch {
    return new Set()
  }
}

/**
 * The first-published dates a release at `now` gives the public papers: the
 * log's, and `now` for those it would release. The preview shows pages with
 * these, so they match the build byte for byte.
 */
export function releaseDates(papers: PublicPaper[], log: ReleaseEntry[], now: Date, live: Set<string>): PublicationDates {
  const plan = planRelease(papers, log, now, 'pending', live)
  return publicationDates([...log, ...plan.released], papers)
}

/** Finish a run that died after its swap: append what it meant to log. */
async function completePending(state: string, out: string): Promise<void> {
  const file = path.join(state, PENDING)
  let pending: {buildId: string; entries: ReleaseEntry[]}
  try {
    pending = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    // A torn pending file: the run died while writing it, before any swap.
    await fs.rm(file, {force: true})
    return
  }
  if ((await siteBuildId(out)) === pending.buildId) {
    const logged = new Set((await readLog(state)).map((e) => `${e.event} ${e.slug} ${e.buildId}`))
    await appendLog(state, pending.entries.filter((e) => !logged.has(`${e.event} ${e.slug} ${e.buildId}`)))
  }
  await fs.rm(file, {force: true})
}

async function writePending(state: string, buildId: string, entries: ReleaseEntry[]): Promise<void> {
  const file = path.join(state, PENDING)
  const tmp = file + '.tmp'
  await fs.writeFile(tmp, JSON.stringify({buildId, entries}) + '\n')
  await fs.rename(tmp, file)
}

export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const now = options.now.toISOString()
  // Before anything is created: the state folder must not be inside --out.
  await assertSeparateFolders({content: options.content, out: options.out, state: options.state})
  await fs.mkdir(options.state, {recursive: true})
  const unlock = await acquireLock(options.state, options.lockWait ?? 3000)
  if (!unlock) return {status: 'locked', now, released: [], withdrawn: [], held: []}
  try {
    const result = await releaseLocked(options)
    // Only tidying: a failure here changes nothing published.
    await options.afterRun?.().catch(() => {})
    return result
  } finally {
    await unlock().catch(() => {})
  }
}

async function releaseLocked(options: ReleaseOptions): Promise<ReleaseResult> {
  const {state, out} = options
  const now = options.now.toISOString()
  if (!options.dryRun) {
    await recoverOut(out)
    await completePending(state, out)
    await settlePublished(state, await siteBuildId(out))
    await assertReplaceable(out)
  }
  const log = await readLog(state)
  const live = await liveSlugs(out)
  const liveBuild = await siteBuildId(out)
  // The approval policy: the config's `approvals`, checked against <content>/approvals.jsonl.
  const required = options.config?.approvals ?? 0
  const approvals = options.approval === undefined && required > 0 ? await readApprovals(options.content) : undefined
  const approval = options.approval ?? (approvals ? approvalCheck(approvals.records, required) : undefined)

  let plan: {released: ReleaseEntry[]; withdrawn: ReleaseEntry[]} = {released: [], withdrawn: []}
  // What of the live site the build may keep as it is (none with --no-cache).
  let liveSite = options.dryRun || options.force ? undefined : await readLiveSite(state, out, await siteBuildId(out))
  // The folder the site is written into as it is made (none for a dry run).
  let stage: Stage | undefined
  const run = async (unchangedFrom: string | undefined) => {
    await stage?.discard()
    stage = options.dryRun ? undefined : await openStage(out)
    return build({
      content: options.content,
      now: options.now,
      baseUrl: options.baseUrl,
      config: options.config,
      processAll: options.processAll,
      render: !options.dryRun,
      unchangedFrom,
      // Why: one broken paper (a colleague's draft, a typo in another paper)
      // must not stop what is due; it is held and reported on every run.
      hold: !options.strict,
      lastPublished: (file) => lastPublished(state, file, liveBuild),
      approval,
      live: liveSite,
      sink: stage?.put,
      dates: (papers) => {
        // First-published dates include the papers this run releases.
        plan = planRelease(papers, log, options.now, 'pending', live)
        return publicationDates([...log, ...plan.released], papers)
      }
    })
  }
  try {
    return await staged()
  } finally {
    // A stage not swapped in (an error, nothing to publish, a leak) is removed.
    await stage?.discard()
  }

  async function staged(): Promise<ReleaseResult> {
    let result = await run(options.dryRun || options.force ? undefined : await siteFingerprint(out))
    // A line of the approvals file that approves nothing is said on every run (it holds papers, never publishes them).
    for (const problem of approvals?.problems ?? []) result.problems.push({reason: `${APPROVALS_FILE} line ${problem.line}: ${problem.reason}`, fatal: false, ruleId: 'approval-invalid'})
    if (!result.ok) return {status: 'content-errors', now, released: [], withdrawn: [], build: result, held: []}
    const held = heldEntries(result, now)
    const settle = (status: ReleaseStatus): ReleaseStatus => (held.length > 0 && (status === 'released' || status === 'nothing-due') ? 'held' : status)
    if (result.unchanged) {
      // The live site is exactly what this run would build: nothing to swap,
      // unless the log lags behind it.
      if (plan.released.length === 0 && plan.withdrawn.length === 0) {
        if (held.length > 0) await appendLog(state, held)
        return {status: settle('nothing-due'), now, buildId: await siteBuildId(out), released: [], withdrawn: [], build: result, held}
      }
      result = await run(undefined)
    }
    if (options.dryRun) {
      plan = planRelease(result.publicPapers, log, options.now, 'dry-run', live)
      return {status: settle(plan.released.some((e) => e.event === 'released') ? 'released' : 'nothing-due'), now, ...plan, build: result, held}
    }

    // Stage and check; a site with files kept from the live site is made
    // again whole when the live site changed under the run, or when the check
    // finds a leak (a kept file may be what leaks: changed on disk while live).
    const stageAndCheck = async (): Promise<{staged: string; hits: LeakHit[]}> => {
      const kept = keptFiles(result, liveSite)
      // The folders the last site swapped out holds as this build keeps them are moved from it (src/build/spare.ts).
      const spare = kept.size > 0 ? spareOf(state, out) : undefined
      const staged = await stage!.finish(kept, spare && {spare, state})
      options.onStage?.('staged')
      return {staged, hits: await options.verify(staged)}
    }
    let checked: {staged: string; hits: LeakHit[]} | undefined
    try {
      checked = await stageAndCheck()
    } catch (error) {
      if (!(error instanceof LiveSiteChanged)) throw error
    }
    if (!checked || (checked.hits.length > 0 && (result.site?.kept.length ?? 0) > 0)) {
      liveSite = undefined
      result = await run(undefined)
      if (!result.ok || !result.files) return {status: 'content-errors', now, released: [], withdrawn: [], build: result, held: []}
      checked = await stageAndCheck()
    }
    const {staged, hits} = checked
    const buildId = result.buildId!
    const released = plan.released.map((e) => ({...e, buildId}))
    const withdrawn = plan.withdrawn.map((e) => ({...e, buildId}))
    if (hits.length > 0) {
      return {status: 'leak', now, buildId, released: [], withdrawn: [], build: result, hits, held: []}
    }
    options.onStage?.('verified')
    const entries = [...released, ...withdrawn]
    if (entries.length > 0) await writePending(state, buildId, entries)
    // The record of what goes live, made before the swap: a run that dies after it finds it settled by the next.
    await stagePublished(state, buildId, publishedSources(result))
    options.onStage?.('swapping')
    try {
      // The site swapped out becomes the spare, with the files the new one holds as they are.
      await swapIn(out, staged, () => options.onStage?.('mid-swap'), toSpare(state, {digests: result.site!.digests, vouched: liveSite?.files}))
      stage = undefined
    } catch (error) {
      await fs.rm(path.join(state, PENDING), {force: true})
      throw error
    }
    options.onStage?.('swapped')
    if (entries.length > 0) {
      options.onStage?.('appending')
      await appendLog(state, entries)
      await fs.rm(path.join(state, PENDING), {force: true})
    }
    if (held.length > 0) await appendLog(state, held)
    await settlePublished(state, buildId)
    // Only speed depends on it: a manifest not written names an older build, and is not used.
    await writeManifest(state, out, {buildId, ...result.site!}).catch(() => {})
    return {status: settle(released.some((e) => e.event === 'released') ? 'released' : 'nothing-due'), now, buildId, released, withdrawn, build: result, held}
  }
}

/** The files a build kept from the live site, with what each must still be there. */
function keptFiles(result: Built, live: LiveSite | undefined): Map<string, KeptFile> {
  const kept = new Map<string, KeptFile>()
  for (const name of result.site?.kept ?? []) {
    const entry = live?.files.get(name)
    if (!entry) throw new LiveSiteChanged(`\`${name}\` is not in the live site's manifest`)
    kept.set(name, entry)
  }
  return kept
}

/** Each public paper of a build with the content file it came from. */
export function publishedSources(result: Built): Array<{file: string; paper: PublicPaper}> {
  return result.publicPapers.map((paper) => ({file: result.sources.get(paper.slug)!, paper})).filter((entry) => entry.file !== undefined)
}

/** The log lines for the papers a build held back: the first error of each. */
function heldEntries(result: Built, now: string): HeldEntry[] {
  return result.held.map(({outcome, kept, errors}) => {
    const first = errors[0] ?? {reason: 'has errors', line: 1, column: 1, ruleId: undefined}
    return {event: 'held', file: outcome.relativePath, id: outcome.id ?? null, slug: outcome.slug ?? kept?.slug ?? null, live: Boolean(kept), line: first.line ?? 1, column: first.column ?? 1, ruleId: first.ruleId ?? null, reason: first.reason, at: now}
  })
}

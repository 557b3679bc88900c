/** `mopac build`: publish the content folder to the output folder. */
import {build} from '../../build/build.js'
import {assertReplaceable, assertSeparateFolders, OutputError, recoverOut, siteBuildId, siteFingerprint, writeVerifiedSite} from '../../build/write.js'
import {acquireLock} from '../../release/lock.js'
import {verify} from '../../verify/index.js'
import {recordPublished} from '../../release/published.js'
import {publishedSources} from '../../release/release.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {baseUrlOption, contentOption, noCacheOption, nowOption, outOption, processorFor, resolveBaseUrl, resolveNow, stateOption, paperTimeoutOption, allowFutureNowOption, guardFutureNow} from '../options.js'
import {printMessages} from '../report.js'
import {publicationDates, readLog} from '../../release/log.js'
import type {Command} from './types.js'

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build the public site from the content folder',
  usage: 'mopac build [--content DIR] [--out DIR] [--now ISO] [--base-url URL] [--state DIR]',
  help: `Reads every paper (*.md) under --content, removes sensitive material, and
writes the public site to --out, replacing it atomically after the
independent leak check (mopac verify) has scanned the new site. Papers that are
OFFICIAL-SENSITIVE, or deferred past --now, are left out whole. If any paper
has an error, every message is printed and nothing under --out changes
(exit 1); if the leak check finds anything, nothing changes either (exit 3).

Options:
  --content DIR   folder of papers (default: content)
  --out DIR       output folder, replaced whole (default: public)
  --now ISO       build as at this instant, ISO 8601 (default: the current time);
                  without an offset it is London time
  --base-url URL  absolute URL of the site, for canonical links and feeds
  --state DIR     state folder: the release log, read for "First published"
                  dates, and the cache (default: .mopac)
  --no-cache      process every paper afresh (the cache is <state>/cache) and
                  rewrite the site even when nothing changed
  --paper-timeout S  stop a paper that takes longer than S seconds to process,
                  as an error naming it (default: 20)
  --allow-future-now  allow a --now more than 5 minutes ahead of the real time
                  on a live site (one with a release log); it publishes
                  deferred papers early

When the papers, their statuses at --now, the files and the options are the
same as for the site already in --out, nothing is rewritten.`,
  options: {...contentOption, ...outOption, ...nowOption, ...baseUrlOption, ...stateOption, ...noCacheOption, ...paperTimeoutOption, ...allowFutureNowOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    await guardFutureNow(values, now, io, 'build')
    const baseUrl = resolveBaseUrl(values['base-url'] as string | undefined)
    const content = values.content as string
    const out = values.out as string
    const state = values.state as string
    try {
      await assertSeparateFolders({content, out, state})
      await assertReplaceable(out)
    } catch (error) {
      if (error instanceof OutputError) throw new UsageError(error.message)
      throw error
    }
    // Why: the release job holds the same lock; without it, a slow build
    // could swap back a paper a release has just withdrawn.
    const unlock = await acquireLock(state, 3000)
    if (!unlock) {
      io.stderr(`A release run holds the lock on ${state}/; nothing done. Try again in a moment.\n`)
      return EXIT.locked
    }
    try {
      return await buildLocked(values, io, {content, out, now, baseUrl})
    } catch (error) {
      if (error instanceof OutputError) throw new UsageError(error.message)
      throw error
    } finally {
      await unlock()
    }
  }
}

/** The build proper, run while holding the state folder's lock. */
async function buildLocked(values: Record<string, string | boolean | undefined>, io: CliIo, {content, out, now, baseUrl}: {content: string; out: string; now: Date; baseUrl?: string}): Promise<number> {
  const started = performance.now()
  const liveAtStart = (await siteBuildId(out)) ?? null
  const log = await readLog(values.state as string)
  const processor = processorFor(values, false, io)
  await recoverOut(out)
  // --no-cache also rebuilds a site whose inputs have not changed.
  const live = values['no-cache'] ? undefined : await siteFingerprint(out)
  const result = await build({content, now, baseUrl, dates: (papers) => publicationDates(log, papers), processAll: processor.processAll, unchangedFrom: live})
  result.problems.push(...processor.stats.warnings)
  printMessages(result, io, content)
  const count = (s: string) => result.outcomes.filter((o) => o.status === s).length
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2)
  if (result.ok && result.unchanged) {
    io.stdout(`Nothing changed: ${out}/ is up to date (${count('public')} papers published, ${count('deferred')} deferred, ${count('withheld')} withheld whole): ${result.outcomes.length} read, ${processor.stats.fromCache} from cache, ${seconds()} s.\n`)
    return EXIT.ok
  }
  if (!result.ok || !result.files) {
    const bad = result.outcomes.filter((o) => o.status === 'invalid').length
    io.stderr(`Nothing published: ${bad > 0 ? `${bad} paper${bad === 1 ? ' has' : 's have'} errors` : 'the content folder has errors'}. ${out}/ is unchanged.\n`)
    return EXIT.content
  }
  // Why: the independent leak check runs on the staged site before every
  // swap, as in `release`; there is no flag to turn it off.
  const {hits} = await writeVerifiedSite(out, result.files, {ifLive: liveAtStart, check: async (staged) => (await verify({content, out: staged, now})).hits})
  if (hits.length > 0) {
    io.stderr(`Leak check failed: the new site contains text that must not be public. ${out}/ is unchanged.\n`)
    for (const hit of hits) io.stderr(`  ${hit.outputFile}: matches ${hit.sourceFile}:${hit.line}:${hit.column} "${hit.match}"\n`)
    return EXIT.leak
  }
  // What is live now, kept so that a release can hold a live paper that later breaks.
  await recordPublished(values.state as string, publishedSources(result))
  io.stdout(`Published ${count('public')} papers to ${out}/ (${count('deferred')} deferred, ${count('withheld')} withheld whole): ${result.outcomes.length} read, ${processor.stats.fromCache} from cache, ${result.files.size} files, ${seconds()} s.\n`)
  return EXIT.ok
}

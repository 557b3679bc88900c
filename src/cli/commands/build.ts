/** `mopac build`: publish the content folder to the output folder. */
import {assertReplaceable, assertSeparateFolders, OutputError} from '../../build/write.js'
import {release, type ReleaseResult} from '../../release/release.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {baseUrlOption, contentOption, noCacheOption, nowOption, outOption, processorFor, resolveBaseUrl, resolveNow, stateOption, leakCheck, paperTimeoutOption, allowFutureNowOption, guardFutureNow} from '../options.js'
import {printMessages, reporterOption} from '../report.js'
import {loadSiteConfig, type SiteConfig} from '../config.js'
import type {Command} from './types.js'
import {printHeld} from './release.js'
import {removingStagesOnStop} from '../signals.js'

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
                  (wins over site.baseUrl in <content>/mopac.config.json)
  --state DIR     state folder: the release log, read for "First published"
                  dates, and the cache (default: .mopac)
  --no-cache      process every paper afresh (the cache, <state>/cache, is
                  not read, and is written anew), rewrite the site even
                  when nothing changed, and have the leak check search in
                  full (its memory, <state>/verify, is made anew)
  --paper-timeout S  stop a paper that takes longer than S seconds to process,
                  as an error naming it (default: 20)
  --allow-future-now  allow a --now more than 5 minutes ahead of the real time
                  on a live site (one with a release log); it publishes
                  deferred papers early

When the papers, their statuses at --now, the files and the options are the
same as for the site already in --out, nothing is rewritten.`,
  options: {...contentOption, ...outOption, ...nowOption, ...baseUrlOption, ...stateOption, ...noCacheOption, ...paperTimeoutOption, ...allowFutureNowOption, ...reporterOption},
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
    const config = await loadSiteConfig(content, io, {baseUrl})
    if (!config) return EXIT.content
    return await buildAndLog(values, io, {content, out, state, now, baseUrl: config.site.baseUrl, config})
  }
}

/**
 * The build proper: the release job's own run (lock, stage, leak check,
 * swap, log), all or nothing. Why: a paper first published by a plain build
 * is logged at that build, and a build never swaps an older view of the
 * content over what a release has just published or withdrawn.
 */
async function buildAndLog(values: Record<string, string | boolean | undefined>, io: CliIo, {content, out, state, now, baseUrl, config}: {content: string; out: string; state: string; now: Date; baseUrl?: string; config?: SiteConfig}): Promise<number> {
  const started = performance.now()
  const processor = processorFor(values, false, io)
  let result: ReleaseResult
  try {
    result = await removingStagesOnStop(() => release({content, out, state, now, baseUrl, config, strict: true, force: Boolean(values['no-cache']), processAll: processor.processAll, afterRun: processor.prune, verify: leakCheck(content, now, state, values)}))
  } catch (error) {
    if (error instanceof OutputError) throw new UsageError(error.message)
    throw error
  }
  if (result.status === 'locked') {
    io.stderr(`A release run holds the lock on ${state}/; nothing done. Try again in a moment.\n`)
    return EXIT.locked
  }
  const built = result.build!
  built.problems.push(...processor.stats.warnings)
  printMessages(built, io, content, values.reporter)
  const count = (s: string) => built.outcomes.filter((o) => o.status === s).length
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2)
  if (result.status === 'content-errors') {
    const bad = built.outcomes.filter((o) => o.status === 'invalid' || o.messages.some((m) => m.fatal)).length
    io.stderr(`Nothing published: ${bad > 0 ? `${bad} paper${bad === 1 ? ' has' : 's have'} errors` : 'the content folder has errors'}. ${out}/ is unchanged.\n`)
    return EXIT.content
  }
  if (result.status === 'leak') {
    io.stderr(`Leak check failed: the new site contains text that must not be public. ${out}/ is unchanged.\n`)
    for (const hit of result.hits ?? []) io.stderr(`  ${hit.outputFile}: matches ${hit.sourceFile}:${hit.line}:${hit.column} "${hit.match}"\n`)
    return EXIT.leak
  }
  for (const entry of result.withdrawn) io.stderr(`Warning: took down ${entry.id} "${entry.title}", which the release log had as live; logged as withdrawn.\n`)
  const drafts = count('draft') ? `, ${count('draft')} drafts` : ''
  const read = `${built.outcomes.length} read, ${processor.stats.fromCache} from cache`
  if (built.unchanged && !built.files) {
    io.stdout(`Nothing changed: ${out}/ is up to date (${count('public')} papers published, ${count('deferred')} deferred, ${count('withheld')} withheld whole${drafts}): ${read}, ${seconds()} s.\n`)
    return printHeld(result, io, content) ? EXIT.held : EXIT.ok
  }
  // Files kept from the live site were not made again (its manifest vouched for them).
  const kept = built.site?.kept.length ?? 0
  const made = built.site?.made ?? built.files?.size ?? 0
  const files = `${made + kept} files${kept > 0 ? ` (${made} made, ${kept} unchanged)` : ''}`
  io.stdout(`Published ${count('public')} papers to ${out}/ (${count('deferred')} deferred, ${count('withheld')} withheld whole${drafts}): ${read}, ${files}, leak check passed, ${seconds()} s.\n`)
  return printHeld(result, io, content) ? EXIT.held : EXIT.ok
}

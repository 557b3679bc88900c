/** `mopac release`: the scheduled job that publishes papers as they fall due. */
import {release, type ReleaseResult} from '../../release/release.js'
import {logPath} from '../../release/log.js'
import {formatLondonInstant} from '../../time/london.js'
import {OutputError} from '../../build/write.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {baseUrlOption, contentOption, jsonOption, noCacheOption, nowOption, outOption, processorFor, resolveBaseUrl, resolveNow, stateOption, leakCheck, paperTimeoutOption, allowFutureNowOption, guardFutureNow} from '../options.js'
import {printMessages, reporterOption} from '../report.js'
import {loadSiteConfig} from '../config.js'
import type {Command} from './types.js'
import {removingStagesOnStop} from '../signals.js'

const codes = {released: EXIT.ok, 'nothing-due': EXIT.ok, held: EXIT.held, 'content-errors': EXIT.content, leak: EXIT.leak, locked: EXIT.locked} as const

export const releaseCommand: Command = {
  name: 'release',
  summary: 'Publish the papers that are due, check the output for leaks, and log each release',
  usage: 'mopac release [--content DIR] [--out DIR] [--state DIR] [--now ISO] [--base-url URL] [--dry-run] [--json]',
  help: `Builds the site as at --now, runs the independent leak check (mopac verify)
on the new output before swapping it in, then appends each paper that became
public (or was withdrawn) to the release log, <state>/releases.jsonl.
Safe to run every minute: a second run waits briefly for the lock and exits 4
if it cannot have it; a run killed at any point is completed by the next.

One broken paper never stops the others: a paper with an error is held (left
out, or kept on the site as last published when it is live), logged as
\`held\` and listed last; the run exits 5. A draft (draft: true) is never
published, and its errors are warnings here (errors in \`mopac check\`).

Options:
  --content DIR   folder of papers (default: content)
  --out DIR       output folder, replaced whole (default: public)
  --state DIR     release log, lock and cache, never inside --out (default: .mopac)
  --no-cache      process every paper afresh, and have the leak check search
                  in full (its memory is made anew)
  --paper-timeout S  stop a paper that takes longer than S seconds to process,
                  as an error naming it (default: 20)
  --allow-future-now  allow a --now more than 5 minutes ahead of the real time
                  on a live site (one with a release log); it publishes
                  deferred papers early
  --now ISO       release as at this instant (default: the current time)
  --base-url URL  absolute URL of the site
  --dry-run       say what would be released; change nothing
  --json          print a machine-readable summary`,
  options: {...contentOption, ...outOption, ...stateOption, ...nowOption, ...baseUrlOption, ...jsonOption, ...noCacheOption, ...paperTimeoutOption, ...allowFutureNowOption, 'dry-run': {type: 'boolean', default: false}, ...reporterOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    await guardFutureNow(values, now, io, 'release')
    const content = values.content as string
    const out = values.out as string
    const state = values.state as string
    const config = await loadSiteConfig(content, io, {baseUrl: resolveBaseUrl(values['base-url'] as string | undefined)})
    if (!config) return EXIT.content
    const stage = io.env.MOPAC_TEST_KILL_AT
    let result: ReleaseResult
    const processor = processorFor(values, false, io)
    try {
      result = await removingStagesOnStop(() => release({
        content,
        out,
        state,
        now,
        baseUrl: config.site.baseUrl,
        config,
        dryRun: Boolean(values['dry-run']),
        processAll: processor.processAll, afterRun: processor.prune,
        verify: leakCheck(content, now, state, values),
        // Test hook (documented in docs/release.md): die with SIGKILL at a stage.
        onStage: stage ? (at) => at === stage && process.kill(process.pid, 'SIGKILL') : undefined
      }))
    } catch (error) {
      if (error instanceof OutputError) throw new UsageError(error.message)
      throw error
    }
    if (result.build) {
      result.build.problems.push(...processor.stats.warnings)
      // A draft's errors are the author's to fix: warnings here, errors in `check`.
      const outcomes = result.build.outcomes.map((o) => (o.draft ? {...o, messages: o.messages.map((m) => ({...m, fatal: false}))} : o))
      // Why no code frames off a terminal: a cron job mails its output, and a
      // paper's lines may be withheld material.
      printMessages({...result.build, outcomes}, io, content, values.reporter, {frames: io.isTTY})
    }
    const summary = {
      status: result.status,
      exitCode: codes[result.status],
      now: result.now,
      dryRun: Boolean(values['dry-run']),
      buildId: result.buildId ?? null,
      released: result.released.filter((e) => e.event === 'released'),
      baseline: result.released.filter((e) => e.event === 'baseline').map((e) => e.slug),
      withdrawn: result.withdrawn,
      leaks: result.hits ?? [],
      held: result.held,
      log: logPath(state)
    }
    if (values.json) {
      io.stdout(JSON.stringify(summary, null, 2) + '\n')
      return summary.exitCode
    }
    const would = values['dry-run'] ? 'Would release' : 'Released'
    switch (result.status) {
      case 'locked':
        io.stderr(`Another release run holds the lock on ${state}/; nothing done. The next scheduled run will try again.\n`)
        break
      case 'content-errors':
        io.stderr(`Nothing released: papers have errors. ${out}/ and the release log are unchanged.\n`)
        break
      case 'leak':
        io.stderr(`Leak check failed: the new site contains text that must not be public. ${out}/ and the release log are unchanged.\n`)
        for (const hit of result.hits ?? []) io.stderr(`  ${hit.outputFile}: matches ${hit.sourceFile}:${hit.line}:${hit.column} "${hit.match}"\n`)
        break
      default: {
        const lines: string[] = []
        for (const e of summary.released) lines.push(`${would} ${e.id} "${e.title}" (due ${e.dueAt ? formatLondonInstant(new Date(e.dueAt)) : 'on publication'})`)
        for (const e of result.withdrawn) lines.push(`${values['dry-run'] ? 'Would withdraw' : 'Withdrew'} ${e.id} "${e.title}"`)
        if (summary.baseline.length > 0) lines.push(`${values['dry-run'] ? 'Would record' : 'Recorded'} ${summary.baseline.length} papers already public before the release log saw them`)
        if (summary.released.length === 0 && result.withdrawn.length === 0) lines.push(`Nothing due as at ${formatLondonInstant(now)}.`)
        if (!values['dry-run']) lines.push(`Site ${out}/ is build ${result.buildId}; log ${logPath(state)}.`)
        io.stdout(lines.join('\n') + '\n')
      }
    }
    // Last, so a cron mail ends with them: every paper held back, on every run.
    printHeld(result, io, content)
    return summary.exitCode
  }
}

/** Every paper a run held back, with its first error (or the approval it lacks). Returns whether there were any. */
export function printHeld(result: Pick<ReleaseResult, 'held'>, io: CliIo, content: string): boolean {
  if (result.held.length === 0) return false
  const approval = result.held.filter((h) => h.ruleId === 'approval-missing').length
  const errors = result.held.length - approval
  const why = [errors > 0 ? `${errors} because of errors` : '', approval > 0 ? `${approval} awaiting approval` : ''].filter(Boolean).join(', ')
  const lines = [`HELD: ${result.held.length} paper${result.held.length === 1 ? '' : 's'} not published (${why}; exit 5); fix or approve them and the next run publishes:`]
  for (const h of result.held) lines.push(`  ${h.id ?? h.slug ?? h.file}: ${content}/${h.file}:${h.line}:${h.column} ${h.ruleId ?? ''} ${h.reason}${h.live ? ' (the live version stays as last published)' : ''}`)
  io.stderr(lines.join('\n') + '\n')
  return true
}

/** `mopac schedule`: what is due next, what is withheld, what is broken. */
import {formatLondonInstant} from '../../time/london.js'
import {EXIT} from '../exit.js'
import type {CliIo} from '../io.js'
import {contentOption, noCacheOption, checkAll, stateOption, jsonOption, nowOption, resolveNow, paperTimeoutOption} from '../options.js'
import {printMessages} from '../report.js'
import type {Command} from './types.js'

function remaining(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  return [days ? `${days}d` : '', hours ? `${hours}h` : '', `${mins}m`].filter(Boolean).join(' ')
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'List upcoming releases, papers withheld whole and papers that fail validation',
  usage: 'mopac schedule [--content DIR] [--now ISO] [--json]',
  help: `Lists first every paper that is due but held by an error (OVERDUE, with
where the error is), then the deferred papers in the order they fall due, each
with the due instant in London time and in UTC and the time remaining; the
papers withheld whole; the drafts; and the papers that fail validation but are
not yet due. Exits 5 when a paper is overdue, so monitoring can alert. Writes
nothing.

Options:
  --content DIR   folder of papers (default: content)
  --state DIR     state folder whose cache is read, never written (default: .mopac)
  --no-cache      process every paper afresh
  --paper-timeout S  stop a paper that takes longer than S seconds to process,
                  as an error naming it (default: 20)
  --now ISO       as at this instant (default: the current time)
  --json          print the schedule as JSON`,
  options: {...contentOption, ...stateOption, ...noCacheOption, ...paperTimeoutOption, ...nowOption, ...jsonOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    const content = values.content as string
    const result = await checkAll(values, content, now)
    const upcoming = result.outcomes
      .filter((o) => o.status === 'deferred')
      .sort((a, b) => (a.deferUntil! < b.deferUntil! ? -1 : a.deferUntil! > b.deferUntil! ? 1 : a.path.localeCompare(b.path)))
      .map((o) => ({id: o.id!, title: o.title!, path: o.path, dueUtc: o.deferUntil!, dueLondon: formatLondonInstant(new Date(o.deferUntil!)), remaining: remaining(new Date(o.deferUntil!).getTime() - now.getTime())}))
    const withheld = result.outcomes.filter((o) => o.status === 'withheld').map((o) => ({id: o.id!, title: o.title!, path: o.path, classification: o.classification!}))
    const invalid = result.outcomes
      .filter((o) => o.status === 'invalid' || o.messages.some((m) => m.fatal))
      .map((o) => {
        const first = o.messages.find((m) => m.fatal)
        return {path: o.path, id: o.id ?? null, draft: o.draft === true, dueUtc: o.deferUntil ?? null, due: !o.deferUntil || new Date(o.deferUntil) <= now, heldBy: first ? `${o.path}:${first.line ?? 1}:${first.column ?? 1} ${first.ruleId ?? ''}`.trim() : o.path, errors: o.messages.filter((m) => m.fatal).map((m) => `${o.path}:${m.line ?? 1}:${m.column ?? 1} ${m.reason}`)}
      })
    // Why: a paper that is due but held by an error is late; say so first, and
    // exit non-zero so a monitoring job can alert. Drafts are never due.
    const overdue = invalid.filter((i) => i.due && !i.draft)
    const drafts = result.outcomes.filter((o) => o.draft).map((o) => ({id: o.id ?? null, path: o.path, errors: o.messages.filter((m) => m.fatal).length}))
    if (values.json) {
      io.stdout(JSON.stringify({now: now.toISOString(), overdue, upcoming, withheld, drafts, invalid}, null, 2) + '\n')
    } else {
      const lines = [`Schedule as at ${formatLondonInstant(now)} (${now.toISOString()}):`, '']
      for (const o of overdue) lines.push(o.dueUtc ? `OVERDUE: ${o.id ?? o.path} due ${formatLondonInstant(new Date(o.dueUtc))}, held by ${o.heldBy}` : `HELD: ${o.id ?? o.path} (no deferral), held by ${o.heldBy}`)
      if (overdue.length > 0) lines.push('')
      lines.push(`Upcoming releases (${upcoming.length}):`)
      for (const u of upcoming) lines.push(`  ${u.dueLondon}  ${u.dueUtc}  in ${u.remaining}  ${u.id} "${u.title}"`)
      lines.push('', `Withheld whole (${withheld.length}):`)
      for (const w of withheld) lines.push(`  ${w.id} "${w.title}" ${w.classification}`)
      lines.push('', `Drafts, never published (${drafts.length}):`)
      for (const d of drafts) lines.push(`  ${d.id ?? d.path}${d.errors > 0 ? ` (${d.errors} error${d.errors === 1 ? '' : 's'})` : ''} ${d.path}`)
      const later = invalid.filter((i) => !i.due && !i.draft)
      lines.push('', `Failing validation, not yet due (${later.length}):`)
      for (const i of later) lines.push(`  ${i.path}${i.id ? ` (${i.id})` : ''} - due ${i.dueUtc}, will not be released until fixed`)
      io.stdout(lines.join('\n') + '\n')
      printMessages(result, io, content)
    }
    if (overdue.length > 0) return EXIT.held
    return EXIT.ok
  }
}

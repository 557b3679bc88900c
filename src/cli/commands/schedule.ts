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
  help: `Lists the deferred papers in the order they fall due, each with the due
instant in London time and in UTC and the time remaining; the papers withheld
whole; and the papers that fail validation (which the release job will not
publish until they are fixed). Writes nothing.

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
      .filter((o) => o.status === 'invalid')
      .map((o) => ({path: o.path, id: o.id ?? null, dueUtc: o.deferUntil ?? null, due: !o.deferUntil || new Date(o.deferUntil) <= now, errors: o.messages.filter((m) => m.fatal).map((m) => `${o.path}:${m.line ?? 1}:${m.column ?? 1} ${m.reason}`)}))
    if (values.json) {
      io.stdout(JSON.stringify({now: now.toISOString(), upcoming, withheld, invalid}, null, 2) + '\n')
    } else {
      const lines = [`Schedule as at ${formatLondonInstant(now)} (${now.toISOString()}):`, '', `Upcoming releases (${upcoming.length}):`]
      for (const u of upcoming) lines.push(`  ${u.dueLondon}  ${u.dueUtc}  in ${u.remaining}  ${u.id} "${u.title}"`)
      lines.push('', `Withheld whole (${withheld.length}):`)
      for (const w of withheld) lines.push(`  ${w.id} "${w.title}" ${w.classification}`)
      lines.push('', `Failing validation (${invalid.length}):`)
      for (const i of invalid) lines.push(`  ${i.path}${i.id ? ` (${i.id})` : ''}${i.due ? ' - due now, will not be released until fixed' : ` - due ${i.dueUtc}`}`)
      io.stdout(lines.join('\n') + '\n')
      printMessages(result, io, content)
    }
    return EXIT.ok
  }
}

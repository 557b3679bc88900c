/** `mopac schedule`: what is due next, what is withheld, what is broken. */
import {formatLondonInstant} from '../../time/london.js'
import {EXIT} from '../exit.js'
import type {CliIo} from '../io.js'
import {contentOption, noCacheOption, checkAll, stateOption, jsonOption, nowOption, resolveNow, paperTimeoutOption} from '../options.js'
import {printMessages} from '../report.js'
import type {Command} from './types.js'
import {loadSiteConfig} from '../config.js'
import {approvalCheck} from '../../publish/approvals.js'
import {readApprovals} from '../../release/approvals.js'

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
where the error is) or awaiting approval (with approvals: 1 or 2 in the
site configuration), then the deferred papers in the order they fall due, each
with the due instant in London time and in UTC and the time remaining (and,
for those due within 30 days, NEEDS APPROVAL when their rendering as at that
instant lacks its approvals); the
papers withheld whole; the drafts; and the papers that fail validation but are
not yet due. Exits 5 when a paper is overdue or awaiting approval, so
monitoring can alert. Writes
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
    const config = await loadSiteConfig(content, io)
    if (!config) return EXIT.content
    // The site's approval policy, as build and release apply it.
    const required = config.approvals
    const approval = required > 0 ? approvalCheck((await readApprovals(content)).records, required) : undefined
    const result = await checkAll(values, content, now, approval)
    const upcoming = result.outcomes
      .filter((o) => o.status === 'deferred')
      .sort((a, b) => (a.deferUntil! < b.deferUntil! ? -1 : a.deferUntil! > b.deferUntil! ? 1 : a.path.localeCompare(b.path)))
      .map((o) => ({id: o.id!, title: o.title!, path: o.path, dueUtc: o.deferUntil!, dueLondon: formatLondonInstant(new Date(o.deferUntil!)), remaining: remaining(new Date(o.deferUntil!).getTime() - now.getTime()), needsApproval: null as string | null}))
    // Papers due within 30 days whose rendering as at their due instant lacks its approvals.
    if (approval) {
      for (const due of new Set(upcoming.filter((u) => Date.parse(u.dueUtc) - now.getTime() <= 30 * 86_400_000).map((u) => u.dueUtc))) {
        const then = await checkAll(values, content, new Date(due), approval)
        for (const u of upcoming.filter((x) => x.dueUtc === due)) {
          const outcome = then.outcomes.find((o) => o.path === u.path)
          const decision = outcome && then.decisions.get(outcome.relativePath)
          if (decision?.status === 'held' && decision.reason === 'approval') u.needsApproval = `${decision.awaitingApproval?.approvers.length ?? 0} of ${required} approvals`
        }
      }
    }
    const awaiting = result.outcomes.filter((o) => o.status === 'unapproved').map((o) => {
      const decision = result.decisions.get(o.relativePath)
      const have = decision?.status === 'held' ? decision.awaitingApproval?.approvers.length ?? 0 : 0
      return {id: o.id ?? null, title: o.title ?? null, path: o.path, approvals: `${have} of ${required}`, live: decision?.status === 'held' && decision.kept !== undefined}
    })
    const withheld = result.outcomes.filter((o) => o.status === 'withheld').map((o) => ({id: o.id!, title: o.title!, path: o.path, classification: o.classification!}))
    const invalid = result.outcomes
      .filter((o) => o.status !== 'unapproved' && (o.status === 'invalid' || o.messages.some((m) => m.fatal)))
      .map((o) => {
        const first = o.messages.find((m) => m.fatal)
        return {path: o.path, id: o.id ?? null, draft: o.draft === true, dueUtc: o.deferUntil ?? null, due: !o.deferUntil || new Date(o.deferUntil) <= now, heldBy: first ? `${o.path}:${first.line ?? 1}:${first.column ?? 1} ${first.ruleId ?? ''}`.trim() : o.path, errors: o.messages.filter((m) => m.fatal).map((m) => `${o.path}:${m.line ?? 1}:${m.column ?? 1} ${m.reason}`)}
      })
    // Why: a paper that is due but held by an error is late; say so first, and
    // exit non-zero so a monitoring job can alert. Drafts are never due.
    const overdue = invalid.filter((i) => i.due && !i.draft)
    const drafts = result.outcomes.filter((o) => o.draft).map((o) => ({id: o.id ?? null, path: o.path, errors: o.messages.filter((m) => m.fatal).length}))
    if (values.json) {
      io.stdout(JSON.stringify({now: now.toISOString(), overdue, awaitingApproval: awaiting, upcoming, withheld, drafts, invalid}, null, 2) + '\n')
    } else {
      const lines = [`Schedule as at ${formatLondonInstant(now)} (${now.toISOString()}):`, '']
      for (const o of overdue) lines.push(o.dueUtc ? `OVERDUE: ${o.id ?? o.path} due ${formatLondonInstant(new Date(o.dueUtc))}, held by ${o.heldBy}` : `HELD: ${o.id ?? o.path} (no deferral), held by ${o.heldBy}`)
      for (const a of awaiting) lines.push(`AWAITING APPROVAL: ${a.id ?? a.path} "${a.title ?? ''}" has ${a.approvals} approvals of its current public rendering${a.live ? ' (the live version stays as last approved)' : ''}: \`mopac approve ${JSON.stringify(a.id ?? a.path)} --as "Your name"\``)
      if (overdue.length > 0 || awaiting.length > 0) lines.push('')
      lines.push(`Upcoming releases (${upcoming.length}):`)
      for (const u of upcoming) lines.push(`  ${u.dueLondon}  ${u.dueUtc}  in ${u.remaining}  ${u.id} "${u.title}"${u.needsApproval ? `  NEEDS APPROVAL (${u.needsApproval})` : ''}`)
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
    if (overdue.length > 0 || awaiting.length > 0) return EXIT.held
    return EXIT.ok
  }
}

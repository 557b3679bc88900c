/** `mopac check`: validate every paper and summarise; writes nothing. */
import {formatLondonInstant} from '../../time/london.js'
import {EXIT} from '../exit.js'
import type {CliIo} from '../io.js'
import {contentOption, noCacheOption, checkAll, stateOption, nowOption, resolveNow, paperTimeoutOption} from '../options.js'
import {printMessages, reporterOption} from '../report.js'
import {loadSiteConfig} from '../config.js'
import type {Command} from './types.js'
import {approvalCheck} from '../../publish/approvals.js'
import {readApprovals} from '../../release/approvals.js'

export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate every paper and summarise what would be published',
  usage: 'mopac check [--content DIR] [--now ISO]',
  help: `Validates every paper under --content, prints every problem with its
file:line:column, then a summary: how many papers would be published, how many
are deferred (with their dates) and how many are withheld whole. Writes nothing.

Options:
  --content DIR   folder of papers (default: content)
  --state DIR     state folder whose cache is read, never written (default: .mopac)
  --no-cache      process every paper afresh
  --paper-timeout S  stop a paper that takes longer than S seconds to process,
                  as an error naming it (default: 20)
  --now ISO       check as at this instant (default: the current time)`,
  options: {...contentOption, ...stateOption, ...noCacheOption, ...paperTimeoutOption, ...nowOption, ...reporterOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    const content = values.content as string
    const config = await loadSiteConfig(content, io)
    // The site's approval policy, as build and release apply it.
    const required = config?.approvals ?? 0
    const result = await checkAll(values, content, now, required > 0 ? approvalCheck((await readApprovals(content)).records, required) : undefined)
    const failed = printMessages(result, io, content, values.reporter)
    const of = (s: string) => result.outcomes.filter((o) => o.status === s)
    const lines = [`${result.outcomes.length} papers checked as at ${formatLondonInstant(now)}:`]
    lines.push(`  ${of('public').length} published`)
    const deferred = of('deferred').sort((a, b) => (a.deferUntil! < b.deferUntil! ? -1 : 1))
    lines.push(`  ${deferred.length} deferred${deferred.length ? ':' : ''}`)
    for (const o of deferred) lines.push(`    ${o.id} until ${formatLondonInstant(new Date(o.deferUntil!))} (${o.path})`)
    const withheld = of('withheld')
    lines.push(`  ${withheld.length} withheld whole${withheld.length ? ':' : ''}`)
    for (const o of withheld) lines.push(`    ${o.id} ${o.classification} (${o.path})`)
    const drafts = result.outcomes.filter((o) => o.draft)
    if (drafts.length > 0) lines.push(`  ${drafts.length} draft${drafts.length === 1 ? '' : 's'}, never published: ${drafts.map((o) => `${o.id ?? o.relativePath} (${o.path})`).join(', ')}`)
    const removed = of('removed')
    if (removed.length > 0) lines.push(`  ${removed.length} withdrawn and removed: ${removed.map((o) => o.id).join(', ')}`)
    const unapproved = of('unapproved')
    if (unapproved.length > 0) lines.push(`  ${unapproved.length} awaiting approval (approvals: ${required}), held until approved: ${unapproved.map((o) => `${o.id} (${o.path})`).join(', ')}`)
    const invalid = of('invalid')
    if (invalid.length > 0) lines.push(`  ${invalid.length} with errors: ${invalid.map((o) => o.path).join(', ')}`)
    const scan = result.scan
    if (scan) {
      const refused = scan.unread.length + scan.links.length + scan.badNames.length + scan.specials.length + scan.unreadable.length
      const considered = scan.papers.length + refused + scan.others
      lines.push(`${considered} files considered: ${scan.papers.length} papers (*.md), ${scan.others} other files (attachments are copied only when a public paper uses them)${refused > 0 ? `, ${refused} refused (see the errors above)` : ''}.`)
      for (const {name, reason} of scan.skipped) lines.push(`  not read: ${name}: ${reason}`)
    }
    io.stdout(lines.join('\n') + '\n')
    return failed || !result.ok || !config ? EXIT.content : EXIT.ok
  }
}

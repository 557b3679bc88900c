/** `mopac report`: the redaction report for every paper, as text or JSON; writes no files. */
import {build} from '../../build/build.js'
import {buildReport, formatReportText, reportHasErrors} from '../../preview/report.js'
import {EXIT} from '../exit.js'
import type {CliIo} from '../io.js'
import {contentOption, jsonOption, nowOption, resolveNow} from '../options.js'
import type {Command} from './types.js'

export const reportCommand: Command = {
  name: 'report',
  summary: 'Print the redaction report for every paper (text or JSON)',
  usage: 'mopac report [--content DIR] [--now ISO] [--json]',
  help: `For every paper under --content: its status at --now (public, deferred,
withheld whole or invalid), classification and exemptions, and each redaction
with its exemptions, source lines and word count, then its warnings and errors.
For CI and for records; the report names internal facts (classifications,
source lines), so keep it with the papers, not on the public site.
Writes nothing; exits 1 if any paper has an error.

Options:
  --content DIR   folder of papers (default: content)
  --now ISO       statuses as at this instant (default: the current time)
  --json          print JSON instead of text`,
  options: {...contentOption, ...nowOption, ...jsonOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    const content = values.content as string
    const result = await build({content, now, render: false})
    const report = buildReport(result.outcomes, result.problems, now, content)
    io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReportText(report))
    return reportHasErrors(report) ? EXIT.content : EXIT.ok
  }
}

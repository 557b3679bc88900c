/**
 * The redaction report: per paper, what is withheld and on what ground, with
 * the warnings and errors. Plain data made from outcomes, for `mopac report`
 * (text and JSON) and the preview's review pages. Internal: it names source
 * lines and classifications, so it is never part of the public site.
 */
import type {PaperOutcome, PaperStatus, PlainMessage} from '../publish/outcome.js'
import {formatLondonInstant} from '../time/london.js'
import {exemptionWithTitle} from '../pipeline/mark-sensitive.js'

export interface ReportRedaction {
  kind: 'block' | 'inline'
  exemptions: string[]
  startLine?: number
  endLine?: number
  words: number
}

export interface ReportMessage {
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
  reason: string
  ruleId?: string
}

export interface PaperReport {
  /** Path as given (content folder joined with the relative path). */
  path: string
  /** Path relative to the content folder, with `/`. */
  relativePath: string
  id?: string
  title?: string
  status: PaperStatus
  /** Deferral instant, ISO 8601, when the paper has one. */
  deferUntil?: string
  classification?: string
  exemptions: string[]
  redactions: ReportRedaction[]
  /** Words withheld in all redactions. */
  words: number
  warnings: ReportMessage[]
  errors: ReportMessage[]
}

export interface Report {
  /** The instant statuses were computed at, ISO 8601. */
  at: string
  content: string
  summary: {papers: number; public: number; deferred: number; withheld: number; invalid: number; redactions: number; words: number; warnings: number; errors: number}
  papers: PaperReport[]
  /** Problems that belong to no single paper (e.g. a missing content folder). */
  problems: ReportMessage[]
}

function reportMessage(m: PlainMessage): ReportMessage {
  const out: ReportMessage = {} as ReportMessage
  if (m.line != null) out.line = m.line
  if (m.column != null) out.column = m.column
  if (m.endLine != null) out.endLine = m.endLine
  if (m.endColumn != null) out.endColumn = m.endColumn
  out.reason = m.reason
  if (m.ruleId) out.ruleId = m.ruleId
  return out
}

export function paperReport(outcome: PaperOutcome): PaperReport {
  const redactions = outcome.redactions.map((r) => {
    const item: ReportRedaction = {kind: r.kind, exemptions: [...r.exemptions]} as ReportRedaction
    if (r.position) {
      item.startLine = r.position.start.line
      item.endLine = r.position.end.line
    }
    item.words = r.words
    return item
  })
  const report: PaperReport = {path: outcome.path, relativePath: outcome.relativePath} as PaperReport
  if (outcome.id !== undefined) report.id = outcome.id
  if (outcome.title !== undefined) report.title = outcome.title
  report.status = outcome.status
  if (outcome.deferUntil) report.deferUntil = outcome.deferUntil
  if (outcome.classification !== undefined) report.classification = outcome.classification
  report.exemptions = [...outcome.exemptions]
  report.redactions = redactions
  report.words = redactions.reduce((sum, r) => sum + r.words, 0)
  report.warnings = outcome.messages.filter((m) => !m.fatal).map(reportMessage)
  report.errors = outcome.messages.filter((m) => m.fatal).map(reportMessage)
  return report
}

export function buildReport(outcomes: PaperOutcome[], problems: PlainMessage[], at: Date, content: string): Report {
  const papers = outcomes.map(paperReport).sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0))
  const count = (status: PaperStatus) => papers.filter((p) => p.status === status).length
  return {
    at: at.toISOString(),
    content,
    summary: {
      papers: papers.length,
      public: count('public'),
      deferred: count('deferred'),
      withheld: count('withheld'),
      invalid: count('invalid'),
      redactions: papers.reduce((sum, p) => sum + p.redactions.length, 0),
      words: papers.reduce((sum, p) => sum + p.words, 0),
      warnings: papers.reduce((sum, p) => sum + p.warnings.length, 0),
      errors: papers.reduce((sum, p) => sum + p.errors.length, 0) + problems.filter((m) => m.fatal).length
    },
    papers,
    problems: problems.map(reportMessage)
  }
}

/** Whether a report has any error. */
export function reportHasErrors(report: Report): boolean {
  return report.summary.errors > 0 || report.papers.some((p) => p.status === 'invalid')
}

/** `file:line:column`. */
export function place(path: string, m: ReportMessage): string {
  return m.line != null ? `${path}:${m.line}:${m.column ?? 1}` : path
}

/** Lines of a redaction: "51-53" or "32". */
export function lineRange(r: ReportRedaction): string {
  if (r.startLine == null) return '?'
  return r.endLine != null && r.endLine !== r.startLine ? `${r.startLine}-${r.endLine}` : String(r.startLine)
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`

export function statusText(p: Pick<PaperReport, 'status' | 'deferUntil' | 'classification'>): string {
  switch (p.status) {
    case 'deferred':
      return `deferred until ${formatLondonInstant(new Date(p.deferUntil!))}`
    case 'withheld':
      return `withheld whole (${p.classification})`
    default:
      return p.status
  }
}

/** The report as text, for people and CI logs. */
export function formatReportText(report: Report): string {
  const lines: string[] = []
  lines.push(`Redaction report for ${report.content} as at ${formatLondonInstant(new Date(report.at))}`)
  lines.push('')
  for (const m of report.problems) lines.push(`error ${place(report.content, m)}  ${m.reason}${m.ruleId ? `  [${m.ruleId}]` : ''}`)
  for (const p of report.papers) {
    lines.push(`${p.path}${p.id ? `  ${p.id}` : ''}  ${statusText(p)}${p.classification && p.status !== 'withheld' ? `  ${p.classification}` : ''}`)
    if (p.exemptions.length > 0) lines.push(`  exemptions: ${p.exemptions.map(exemptionWithTitle).join('; ')}`)
    if (p.redactions.length > 0) {
      lines.push(`  ${plural(p.redactions.length, 'redaction')}, ${plural(p.words, 'word')} withheld:`)
      p.redactions.forEach((r, i) => {
        lines.push(`    ${i + 1}. ${r.kind.padEnd(6)} ${r.exemptions.join(' ') || '(no ground)'}  lines ${lineRange(r)}  ${plural(r.words, 'word')}`)
      })
    }
    for (const m of p.errors) lines.push(`  error   ${place(p.path, m)}  ${m.reason}${m.ruleId ? `  [${m.ruleId}]` : ''}`)
    for (const m of p.warnings) lines.push(`  warning ${place(p.path, m)}  ${m.reason}${m.ruleId ? `  [${m.ruleId}]` : ''}`)
  }
  const s = report.summary
  lines.push('')
  lines.push(
    `${plural(s.papers, 'paper')}: ${s.public} public, ${s.deferred} deferred, ${s.withheld} withheld whole, ${s.invalid} with errors; ` +
      `${plural(s.redactions, 'redaction')} (${plural(s.words, 'word')}); ${plural(s.warnings, 'warning')}, ${plural(s.errors, 'error')}.`
  )
  return lines.join('\n') + '\n'
}

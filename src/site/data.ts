/**
 * Open data: every current public paper's public metadata as JSON and as CSV
 * (a withdrawn decision is not in it: the caller passes current papers only).
 *
 * CSV follows RFC 4180: CRLF line ends, a header row, fields quoted when they
 * hold a comma, a double quote, CR or LF, and quotes doubled inside. No byte
 * order mark. Against formula injection, a value that begins with `=`, `+`,
 * `-`, `@`, a tab or a CR is prefixed with an apostrophe (the OWASP advice), so
 * a spreadsheet shows it as text; the JSON carries values unchanged.
 */
import type {PublicPaper} from '../publish/types.js'
import {absolute, lastUpdatedOf, paperDir, uniqueExemptions} from './paths.js'
import type {SiteConfig} from '../config/types.js'
import {exemptionPhrase} from '../content/exemptions.js'
import {OGL_URL} from './layout.js'

export interface DecisionRecord {
  id: string
  title: string
  /** `YYYY-MM-DD`. */
  decisionDate: string
  /** ISO 8601 instant, or null when the release log has none. */
  firstPublished: string | null
  decisionMaker: string | null
  summary: string | null
  tags: string[]
  /**
   * `code` as written (`s43`), `section` (`43`, `31(1)(a)`), `title` (the
   * Act's heading, `Commercial interests`) and `label`, the site's one
   * wording in running text (`section 43 (commercial interests)`).
   */
  exemptions: {code: string; section: string; title: string; label: string}[]
  /** Absolute with a base URL, else relative to the site root. */
  url: string
  markdownUrl: string
  /** `YYYY-MM-DD` of the latest correction (`updates`), or null when there is none. */
  lastUpdated: string | null
}

export function records(sorted: PublicPaper[], firstPublished: Map<string, string>, baseUrl: string | undefined): DecisionRecord[] {
  const url = (to: string) => (baseUrl ? absolute(baseUrl, to) : to)
  return sorted.map((paper) => ({
    id: paper.id,
    title: paper.title,
    decisionDate: paper.date,
    firstPublished: firstPublished.get(paper.slug) ?? null,
    decisionMaker: paper.decisionMaker ?? null,
    summary: paper.summary ?? null,
    tags: [...new Set(paper.tags)],
    exemptions: uniqueExemptions(paper).map((e: PublicPaper['exemptions'][number]) => ({code: e.code, section: e.section, title: e.title, label: exemptionPhrase(e.code)})),
    url: url(paperDir(paper)),
    markdownUrl: url(paperDir(paper) + 'index.md'),
    lastUpdated: lastUpdatedOf(paper) ?? null
  }))
}

export function decisionsJson(list: DecisionRecord[], config: SiteConfig): string {
  return (
    JSON.stringify(
      {
        title: `Decisions of the ${config.organisation.name}`,
        licence: OGL_URL,
        count: list.length,
        decisions: list
      },
      null,
      2
    ) + '\n'
  )
}

const CSV_COLUMNS = ['id', 'title', 'decision_date', 'first_published', 'decision_maker', 'summary', 'tags', 'exemptions', 'url', 'markdown_url', 'last_updated'] as const

/** One CSV field: neutralised against formulas, then quoted when RFC 4180 needs it. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function decisionsCsv(list: DecisionRecord[]): string {
  const rows = list.map((r) => [
    r.id,
    r.title,
    r.decisionDate,
    r.firstPublished ?? '',
    r.decisionMaker ?? '',
    r.summary ?? '',
    r.tags.join('; '),
    r.exemptions.map((e) => e.label).join('; '),
    r.url,
    r.markdownUrl,
    r.lastUpdated ?? ''
  ])
  return [CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('')
}

/**
 * The public paper: what may be published about a paper, and nothing else.
 * Everything public (pages, listings, public Markdown, feeds, search, data) is
 * made from this type alone. It carries no source path, no internal
 * frontmatter and no unredacted text.
 */

/** A FOIA exemption applied to a paper, with its short title. */
export interface PublicExemption {
  /** As written, e.g. `s43` or `s31(1)(a)`. */
  code: string
  /** e.g. `43` or `31(1)(a)`. */
  section: string
  /** Short title, e.g. `Commercial interests`. */
  title: string
}

/** A local file copied beside the paper's page. */
export interface PublicAsset {
  /** Path under the paper's folder, e.g. `files/chart.svg`. */
  target: string
  /** Its bytes. */
  bytes: Uint8Array
}

export interface PublicPaper {
  id: string
  slug: string
  title: string
  /** Decision date, `YYYY-MM-DD`. */
  date: string
  decisionMaker?: string
  summary?: string
  tags: string[]
  /** Exemptions applied to withheld material (including `part2.exemptions`). */
  exemptions: PublicExemption[]
  /** Number of withheld blocks and spans. */
  withheld: number
  /** The instant the paper became due, ISO 8601, when it was deferred. */
  dueAt?: string
  /** The public Markdown (redacted). */
  markdown: string
  /** The body as sanitized HTML (redacted). */
  html: string
  /** The same body as plain text, without its withheld notices: what search indexes (src/pipeline/text.ts). */
  text: string
  assets: PublicAsset[]
  /**
   * Withdrawn (GOV.UK style): the page keeps its title, reference, dates and
   * this notice; body, Markdown, attachments, summary, decision maker and
   * tags are empty, and it leaves listings, search and open data.
   */
  withdrawn?: {date: string; explanation: string}
  /** Public corrections, newest first. */
  updates?: Array<{date: string; note: string}>
}

/** Release information that decorates public pages (from the release log). */
export interface PublicationDates {
  /** slug -> first published instant, ISO 8601. */
  firstPublished: Record<string, string>
}

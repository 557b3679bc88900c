/**
 * Source papers: what is read from `content/`. Only `content/`, `publish/gate`
 * and the pipeline see this type; the site is made from `PublicPaper` alone.
 */
import type {VFile} from 'vfile'

/** FOIA exemption as written, e.g. `s43` or `s31(1)(a)`. */
export type Exemption = string

/** The validated frontmatter of a paper. */
export interface Frontmatter {
  id: string
  title: string
  /** Decision date, `YYYY-MM-DD` (text, never a Date). */
  date: string
  classification: string
  decision_maker?: string
  summary?: string
  tags?: string[]
  /** `"true"`: never published by any command. */
  draft?: 'true' | 'false'
  /** Withdrawn on `date` (public `explanation`); `remove: "true"` takes the page down whole. */
  withdrawn?: {date: string; explanation: string; remove?: 'true' | 'false'}
  /** Public corrections, GOV.UK's change history. */
  updates?: Array<{date: string; note: string}>
  deferral?: {until: string; reason?: string}
  part2?: {exemptions?: Exemption[]; review?: string}
}

/** A source paper after reading and frontmatter validation. */
export interface SourcePaper {
  /** Path as given (relative to the working directory or absolute). */
  path: string
  /** Path relative to the content folder, with `/`. */
  relativePath: string
  /** The file, carrying messages; its value is the body with the frontmatter blanked. */
  file: VFile
  /** The validated frontmatter, or undefined when it has errors. */
  frontmatter?: Frontmatter
  /** Parsed deferral instant. */
  deferUntil?: Date
  /** Slug made from the id. */
  slug?: string
  /** Base classification: `OFFICIAL` or `OFFICIAL-SENSITIVE`. */
  level?: 'OFFICIAL' | 'OFFICIAL-SENSITIVE'
  /** `part2.exemptions` that are valid (the ground for blocks that name none). */
  defaultExemptions: string[]
  /** `draft: true`: validated and shown, never published. */
  draft?: boolean
}

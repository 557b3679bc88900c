/**
 * What the plugins record on `file.data`, typed once. The redaction report,
 * the preview and the build read these; no plugin keeps module-level state.
 */
import type {Position} from 'unist'

/** One piece of withheld material. */
export interface Redaction {
  kind: 'block' | 'inline'
  /** FOIA sections, as written (`s43`, `s31(1)(a)`). */
  exemptions: string[]
  /** Where it stood in the source. */
  position?: Position
  /** Words withheld. */
  words: number
}

/** A local file the public tree refers to, to be copied beside the page. */
export interface AssetRef {
  /** Path relative to the content folder, with `/`. */
  source: string
  /** Path relative to the paper's folder in the site, e.g. `files/chart.svg`. */
  target: string
  position?: Position
}

/** A link from the paper to the page of another paper. */
export interface PaperLink {
  slug: string
  line: number
  column: number
}

declare module 'vfile' {
  interface DataMap {
    /** Exemptions to apply to sensitive blocks that name none (`part2.exemptions`). */
    defaultExemptions: string[]
    /** Path of the paper relative to the content folder, with `/`. */
    relativePath: string
    redactions: Redaction[]
    /** Identifiers of definitions removed with redacted material. */
    redactedDefinitions: {definition: string[]; footnote: string[]}
    assets: AssetRef[]
    /** Links to other papers' pages, recorded by paper-links.ts. */
    paperLinks: PaperLink[]
    /** Input: slugs of papers not public at this build's instant; links to them lose their address. */
    hiddenPapers: string[]
  }
}

export {}

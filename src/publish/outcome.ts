/**
 * The outcome of processing one source paper at an instant: its status, the
 * public paper when it is public, and the messages. Serializable (it crosses
 * worker threads and is cached), so messages travel as plain objects.
 * Internal: used by the CLI, the release job and the preview; never by site/.
 */
import type {Redaction, AssetRef} from '../pipeline/data.js'
import type {PublicPaper} from './types.js'

/** A decision's status as reports show it (see `statusWord` in decide.ts). */
export type PaperStatus = 'public' | 'deferred' | 'withheld' | 'draft' | 'removed' | 'invalid' | 'unapproved'

export interface PlainMessage {
  reason: string
  line?: number
  column?: number
  endLine?: number
  endColumn?: number
  ruleId?: string
  fatal: boolean
}

export interface PaperOutcome {
  path: string
  relativePath: string
  status: PaperStatus
  messages: PlainMessage[]
  /** Internal facts for reports (never published unless the paper is public). */
  id?: string
  slug?: string
  title?: string
  date?: string
  classification?: string
  /** Line of the `id` key, for duplicate reports. */
  idLine?: number
  /** Deferral instant, ISO 8601. */
  deferUntil?: string
  /** `draft: true` (also on a draft with errors). */
  draft?: boolean
  /** Base classification, when valid. */
  level?: 'OFFICIAL' | 'OFFICIAL-SENSITIVE'
  redactions: Redaction[]
  exemptions: string[]
  /** Local files to copy, when public. */
  assetRefs: AssetRef[]
  /** Slugs of the papers whose pages the public text links to. */
  paperLinks?: string[]
  /** Those of `paperLinks` reduced to their text at this instant (the target is not on the site). */
  hiddenLinks?: string[]
  /** The public paper (assets without bytes yet), when status is `public`. */
  public?: Omit<PublicPaper, 'assets'>
}

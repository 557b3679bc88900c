/**
 * The one publication decision. Every command (build, release, check,
 * schedule, report) and the preview ask this function, and nothing else,
 * whether a paper is public at an instant. Only the `public` case (and the
 * `withdrawn` notice, which keeps a paper's address and title) carries a
 * `PublicPaper`, so no consumer can render a paper that is not public without
 * the compiler objecting.
 *
 * Pure: the processed paper, the instant, the attachment bytes, the version
 * live on the site and the approvals come in as arguments.
 */
import type {PaperOutcome, PaperStatus, PlainMessage} from './outcome.js'
import {copyPaper} from './body.js'
import type {PublicAsset, PublicPaper} from './types.js'
import {londonDate} from '../time/london.js'

export type Decision =
  /** Published at this instant. */
  | {status: 'public'; paper: PublicPaper}
  /** Withdrawn: only the notice page (address, title, dates, explanation) is published. */
  | {status: 'withdrawn'; paper: PublicPaper}
  /** Withdrawn with `remove: true`: nothing of it is published. */
  | {status: 'removed'}
  /** Not before `until` (ISO 8601). */
  | {status: 'deferred'; until: string}
  /** OFFICIAL-SENSITIVE: withheld whole. */
  | {status: 'withheld'}
  /** `draft: true`: never published; `errors` are the author's to fix. */
  | {status: 'draft'; errors: PlainMessage[]}
  /**
   * Not published because of `errors` (`reason: 'errors'`), or because its
   * public rendering lacks the approvals the site requires
   * (`reason: 'approval'`). `kept` is the version live on the site, which
   * stays as last published (release job).
   */
  | {status: 'held'; reason: 'errors' | 'approval'; errors: PlainMessage[]; kept?: PublicPaper; awaitingApproval?: AwaitingApproval}

/** A rendering held for approval: what reviewers approve; never published as it stands. */
export interface AwaitingApproval {
  rendering: PublicPaper
  hash: string
  approvers: string[]
}

/** What the site's approval policy needs to know. */
export interface ApprovalCheck {
  /** Approvals by different people the current public rendering needs (0: none). */
  required: number
  /** SHA-256 of a paper's public rendering (see `renderingHash`). */
  hash: (paper: PublicPaper) => string
  /** The distinct people who approved the rendering with this hash, for this paper id. */
  approvers: (id: string, hash: string) => string[]
}

export interface DecideContext {
  /** The instant of the decision. */
  now: Date
  /** The paper's attachments, read at the edge (empty when it has none). */
  assets?: PublicAsset[]
  /** The version live on the site (release job): kept while the paper is held. */
  kept?: PublicPaper
  approval?: ApprovalCheck
}

/** Errors of a processed paper. */
export function errorsOf(outcome: PaperOutcome): PlainMessage[] {
  return outcome.messages.filter((m) => m.fatal)
}

/**
 * Decide a processed paper at `ctx.now`. `outcome` is the record made by
 * `processSource` (its status ignores any deferral), with the errors found
 * across papers (a shared slug, an attachment) added to its messages.
 */
export function decide(outcome: PaperOutcome, ctx: DecideContext): Decision {
  const errors = errorsOf(outcome)
  // Why: a draft is never published by any command, whatever else it says.
  if (outcome.draft) return {status: 'draft', errors}
  if (outcome.status === 'invalid' || errors.length > 0 || !outcome.level) {
    return held('errors', errors.length > 0 ? errors : [{reason: 'This paper could not be read', line: 1, column: 1, fatal: true, ruleId: 'paper-unreadable'}], ctx.kept)
  }
  if (outcome.status === 'removed') return {status: 'removed'}
  if (outcome.level !== 'OFFICIAL' || outcome.status === 'withheld') return {status: 'withheld'}
  if (outcome.deferUntil && ctx.now.getTime() < Date.parse(outcome.deferUntil)) return {status: 'deferred', until: outcome.deferUntil}
  if (outcome.status === 'deferred') return {status: 'deferred', until: outcome.deferUntil ?? ''}
  if (outcome.status !== 'public' || !outcome.public) return held('errors', [{reason: 'This paper has no public version', line: 1, column: 1, fatal: true, ruleId: 'paper-unprocessable'}], ctx.kept)
  // (A copy that leaves a body from the cache unread: src/publish/body.ts.)
  const paper: PublicPaper = copyPaper(outcome.public, {assets: outcome.public.withdrawn ? [] : ctx.assets ?? []})
  // Why: a correction dated later than now is not public yet (its note may
  // announce what has not happened); it appears on its London date.
  if (paper.updates) {
    const today = londonDate(ctx.now)
    const due = paper.updates.filter((u) => u.date <= today)
    if (due.length > 0) paper.updates = due
    else delete paper.updates
  }
  const approval = ctx.approval
  if (approval && approval.required > 0) {
    const hash = approval.hash(paper)
    const have = approval.approvers(paper.id, hash)
    if (have.length < approval.required) {
      const who = have.length > 0 ? ` (approved by ${have.join(', ')})` : ''
      const reason = `Not published: this paper's public rendering (sha256 ${hash.slice(0, 12)}) needs ${approval.required} approval${approval.required === 1 ? '' : 's'} by different people and has ${have.length}${who}. Review it in \`mopac preview\`, then run \`mopac approve ${JSON.stringify(paper.id)} --as "Your name"\``
      // Why: a withdrawal notice publishes its own words (title, explanation),
      // so it is approved like any rendering; until then the page goes
      // entirely (no kept version: the paper is being taken down).
      const kept = paper.withdrawn ? undefined : ctx.kept
      return {...held('approval', [{reason, line: 1, column: 1, fatal: true, ruleId: 'approval-missing'}], kept), awaitingApproval: {rendering: paper, hash, approvers: have}} as Decision
    }
  }
  if (paper.withdrawn) return {status: 'withdrawn', paper}
  return {status: 'public', paper}
}

function held(reason: 'errors' | 'approval', errors: PlainMessage[], kept: PublicPaper | undefined): Decision {
  return kept ? {status: 'held', reason, errors, kept} : {status: 'held', reason, errors}
}

/** The paper a decision puts on the site (its page, or its withdrawal notice), if any. */
export function publishedPaper(decision: Decision): PublicPaper | undefined {
  if (decision.status === 'public' || decision.status === 'withdrawn') return decision.paper
  if (decision.status === 'held') return decision.kept
  return undefined
}

/** The status word reports show for a decision (`invalid`: held because of errors). */
export function statusWord(decision: Decision): PaperStatus {
  switch (decision.status) {
    case 'withdrawn':
      return 'public'
    case 'held':
      return decision.reason === 'approval' ? 'unapproved' : 'invalid'
    case 'draft':
      // A draft with errors shows as invalid, as `check` treats it.
      return decision.errors.length > 0 ? 'invalid' : 'draft'
    default:
      return decision.status
  }
}

/**
 * Whether the version live on the site may stay while this paper is held:
 * only when it is the same paper (same slug, or the paper's slug cannot be
 * read) and no other paper of the content now makes that slug (one moved,
 * withdrawn, removed, deferred or reclassified there decides it instead).
 */
export function keepsLive(kept: PublicPaper, outcome: Pick<PaperOutcome, 'slug' | 'relativePath'>, others: Array<Pick<PaperOutcome, 'slug' | 'relativePath'>>): boolean {
  if (outcome.slug !== undefined && outcome.slug !== kept.slug) return false
  return !others.some((o) => o.relativePath !== outcome.relativePath && o.slug === kept.slug)
}

/**
 * Sign-off locked to the public rendering. A reviewer approves a paper's
 * public rendering (its public Markdown, its public metadata and its
 * attachments' bytes) as the one decision makes it; the approval records a
 * SHA-256 of that rendering. With the site's `approvals: N`, a paper is
 * published only while its current rendering has N approvals by different
 * people: any change to it (a word of Part 1, a redaction removed, a deferral
 * moved) changes the hash and holds the paper until it is approved again.
 *
 * Pure: the records come in from the edge (src/release/approvals.ts reads and
 * appends the file). Names are what approvers typed; nothing here is a
 * signature.
 */
import {createHash} from 'node:crypto'
import {z} from '../vendor/index.js'
import type {ApprovalCheck, Decision} from './decide.js'
import type {PublicPaper} from './types.js'
import {withoutLinksOffSite} from './kept.js'

/** One approval, one line of `approvals.jsonl` in the content folder. */
export const approvalSchema = z.strictObject({
  /** The paper's id (`PCD 602`). */
  paper: z.string().min(1),
  /** Its file, relative to the content folder, when approved. */
  file: z.string().min(1),
  /** Who approved: as they typed it; it must have a letter in it once invisible characters are dropped. */
  approver: z.string().trim().refine(isVisibleName, 'a name with a letter in it'),
  /** When, ISO 8601. */
  at: z.iso.datetime({offset: true}),
  /** SHA-256 (hex) of `rendering`. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The public rendering approved, as text (see `renderingText`), for the diff of what changed since. */
  rendering: z.string(),
  note: z.string().optional()
})

export type Approval = z.infer<typeof approvalSchema>

/** A line that is not a valid approval: it approves nothing. */
export interface ApprovalProblem {
  line: number
  reason: string
}

/**
 * A paper's public rendering as one text: every public field, each
 * attachment by name and SHA-256, then the public Markdown (links to other
 * decision pages by their text). Reviewable as it is, and what the approval
 * hash covers.
 */
export function renderingText(paper: PublicPaper): string {
  const head: Array<[string, unknown]> = [
    ['id', paper.id],
    ['slug', paper.slug],
    ['title', paper.title],
    ['date', paper.date],
    ['decision maker', paper.decisionMaker ?? null],
    ['summary', paper.summary ?? null],
    ['tags', paper.tags],
    ['exemptions', paper.exemptions.map((e) => e.code)],
    ['withheld pieces', paper.withheld],
    ['due', paper.dueAt ?? null],
    ['updates', paper.updates ?? []],
    ['withdrawn', paper.withdrawn ?? null],
    ['attachments', paper.assets.map((a) => `${a.target} sha256:${createHash('sha256').update(a.bytes).digest('hex')}`)]
  ]
  // Why links to decision pages count by their text alone: whether such a
  // link is live follows the other paper's publication (and its approval),
  // so approvals must not depend on the order papers are approved in.
  // (Parsed only when an address to a decision page may be there: `decisions`
  // then a slash or backslash, plain, percent-encoded or as an entity.)
  const markdown = /decisions(?:[\\/]|%2f|%5c|&#)/i.test(paper.markdown) ? withoutLinksOffSite(paper, new Set()).markdown : paper.markdown
  return head.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join('\n') + '\n---\n' + markdown
}

/** SHA-256 (hex) of a paper's public rendering. */
export function renderingHash(paper: PublicPaper): string {
  return sha256(renderingText(paper))
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** Parse `approvals.jsonl`: the valid records, and a problem for each other non-blank line. */
export function parseApprovals(text: string): {records: Approval[]; problems: ApprovalProblem[]} {
  const records: Approval[] = []
  const problems: ApprovalProblem[] = []
  // A byte order mark (some Windows editors write one) is not part of the first line.
  text.replace(/^\ufeff/, '').split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      problems.push({line: i + 1, reason: 'not a JSON line (a torn write, or edited by hand): it approves nothing'})
      return
    }
    const parsed = approvalSchema.safeParse(value)
    if (!parsed.success) {
      problems.push({line: i + 1, reason: `not an approval (${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ')}): it approves nothing`})
      return
    }
    if (sha256(parsed.data.rendering) !== parsed.data.sha256) {
      problems.push({line: i + 1, reason: 'its sha256 is not the hash of its rendering (edited by hand?): it approves nothing'})
      return
    }
    records.push(parsed.data)
  })
  return {records, problems}
}

/**
 * A name as compared: compatibility-normalised (NFKC: composed and
 * decomposed accents, full-width letters are one), invisible format
 * characters (zero-width space and joiner, soft hyphen, bidi marks, word
 * joiner) and spaces dropped, case folded. Two names that print alike are
 * one person.
 */
export function samePerson(name: string): string {
  // Why no spaces at all: spacing cannot tell two people apart, and an
  // invisible character may stand where a space prints.
  return name.normalize('NFKC').replace(/[\p{Cf}\s]+/gu, '').toLocaleLowerCase('en-GB')
}

/** Whether a name has something visible in it: a letter. */
export function isVisibleName(name: string): boolean {
  return /\p{L}/u.test(samePerson(name))
}

/** The different people who approved this rendering of this paper, in order of approval. */
export function approversOf(records: Approval[], id: string, hash: string): string[] {
  const seen = new Map<string, string>()
  for (const record of records) {
    if (record.paper !== id || record.sha256 !== hash) continue
    const key = samePerson(record.approver)
    if (!seen.has(key)) seen.set(key, record.approver.trim())
  }
  return [...seen.values()]
}

/**
 * The latest rendering of a paper that had all the approvals it needed
 * (`required`, at least one) by different people, with them: what a reviewer
 * compares a new rendering with. A rendering only some people approved
 * (its own author, say) is never the base, so a change slipped into it
 * shows in the diff.
 */
export function lastFullyApproved(records: Approval[], id: string, required: number): {rendering: string; sha256: string; approvers: string[]; at: string} | undefined {
  const need = Math.max(1, required)
  const people = new Map<string, Map<string, string>>()
  let last: {rendering: string; sha256: string; approvers: string[]; at: string} | undefined
  for (const record of [...records].filter((r) => r.paper === id).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const seen = people.get(record.sha256) ?? new Map<string, string>()
    people.set(record.sha256, seen)
    const key = samePerson(record.approver)
    if (seen.has(key)) continue
    seen.set(key, record.approver.trim())
    if (seen.size === need) last = {rendering: record.rendering, sha256: record.sha256, approvers: [...seen.values()], at: record.at}
  }
  return last
}

/** The check `decide` applies: `required` approvals by different people of the current rendering. */
export function approvalCheck(records: Approval[], required: number): ApprovalCheck {
  return {required, hash: renderingHash, approvers: (id, hash) => approversOf(records, id, hash)}
}

/** The rendering a reviewer approves for a decision: the public paper, or the one awaiting approval. */
export function renderingToApprove(decision: Decision): PublicPaper | undefined {
  if (decision.status === 'public' || decision.status === 'withdrawn') return decision.paper
  if (decision.status === 'held' && decision.awaitingApproval) return decision.awaitingApproval.rendering
  return undefined
}

/**
 * The gate: the one place where a source paper becomes a public paper: an
 * allowlist of its metadata copied out, beside the redacted body. Whether
 * it is published at an instant is `decide` (decide.ts).
 */
import type {Root} from 'mdast'
import {parseExemption, sortExemptions} from '../content/exemptions.js'
import {hasErrors} from '../content/messages.js'
import type {SourcePaper} from '../content/types.js'
import {toBody, toMarkdown} from '../pipeline/processor.js'
import type {PaperStatus} from './outcome.js'
import type {PublicExemption, PublicPaper} from './types.js'

/** What the publication rule needs to know of a paper. */
export interface GateFacts {
  /** No error in the paper. */
  valid: boolean
  level?: 'OFFICIAL' | 'OFFICIAL-SENSITIVE'
  /** Deferral instant, ISO 8601. */
  deferUntil?: string
  /** `draft: true` in the frontmatter. */
  draft?: boolean
  /** `withdrawn.remove: true`: published in error, taken down whole. */
  removed?: boolean
}

/**
 * What a source paper is, before any instant: `public` means "public once
 * due" (valid, OFFICIAL, not a draft, not removed). The cache stores this;
 * whether it is public at an instant is `decide` (decide.ts), the one
 * publication decision.
 */
export function sourceStatus(facts: GateFacts): PaperStatus {
  if (!facts.valid || !facts.level) return 'invalid'
  // Why: a draft is never published by any command, whatever else it says.
  if (facts.draft) return 'draft'
  if (facts.removed) return 'removed'
  if (facts.level !== 'OFFICIAL') return 'withheld'
  return 'public'
}

/** The facts of a read (and redacted) source paper. */
export function factsOf(paper: SourcePaper): GateFacts {
  return {
    valid: Boolean(paper.frontmatter && paper.level) && !hasErrors(paper.file),
    level: paper.level,
    deferUntil: paper.deferUntil?.toISOString(),
    draft: paper.draft,
    removed: paper.frontmatter?.withdrawn?.remove === 'true'
  }
}

/** Every exemption applied to a paper: its redactions' and `part2.exemptions`. */
export function appliedExemptions(paper: SourcePaper): string[] {
  const fromRedactions = (paper.file.data.redactions ?? []).flatMap((r) => r.exemptions)
  return sortExemptions([...fromRedactions, ...(paper.frontmatter?.part2?.exemptions ?? [])])
}

function publicExemption(code: string): PublicExemption {
  const parsed = parseExemption(code)
  return {code, section: parsed ? parsed.section + parsed.subsection : code, title: parsed?.title ?? code}
}

/**
 * Make the public paper. Why an explicit allowlist: `deferral.reason`,
 * `part2.review` and any future internal key can never ride along.
 */
export function toPublicPaper(paper: SourcePaper, tree: Root): Omit<PublicPaper, 'assets'> {
  const fm = paper.frontmatter!
  const body = toBody(tree)
  const result: Omit<PublicPaper, 'assets'> = {
    id: fm.id,
    slug: paper.slug!,
    title: fm.title,
    date: fm.date,
    tags: [...(fm.tags ?? [])],
    exemptions: appliedExemptions(paper).map(publicExemption),
    withheld: (paper.file.data.redactions ?? []).length,
    markdown: toMarkdown(tree),
    html: body.html,
    text: body.text
  }
  if (fm.decision_maker) result.decisionMaker = fm.decision_maker
  if (fm.summary) result.summary = fm.summary
  if (paper.deferUntil) result.dueAt = paper.deferUntil.toISOString()
  if (fm.updates?.length) result.updates = [...fm.updates].map(({date, note}) => ({date, note})).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
  if (fm.withdrawn) {
    // Why: a withdrawn page keeps only what identifies it and the notice;
    // nothing of its body, attachments or descriptive metadata stays.
    return {id: result.id, slug: result.slug, title: result.title, date: result.date, tags: [], exemptions: [], withheld: 0, markdown: '', html: '', text: '', withdrawn: {date: fm.withdrawn.date, explanation: fm.withdrawn.explanation}, ...(result.updates ? {updates: result.updates} : {}), ...(result.dueAt ? {dueAt: result.dueAt} : {})}
  }
  return result
}

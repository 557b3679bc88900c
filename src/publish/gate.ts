/**
 * The gate: the one place where a source paper becomes a public paper. A
 * paper is public at `now` when its classification is OFFICIAL, it has no
 * error, and it has no deferral or `now` is at or after it. Only then is an
 * allowlist of its metadata copied out, beside the redacted body.
 */
import type {Root} from 'mdast'
import {parseExemption, sortExemptions} from '../content/exemptions.js'
import {hasErrors} from '../content/messages.js'
import type {SourcePaper} from '../content/types.js'
import {toHtml, toMarkdown} from '../pipeline/processor.js'
import type {PaperStatus} from './outcome.js'
import type {PublicExemption, PublicPaper} from './types.js'

/** The status of a read (and redacted) paper at `now`. */
export function statusAt(paper: SourcePaper, now: Date): PaperStatus {
  if (!paper.frontmatter || !paper.level || hasErrors(paper.file)) return 'invalid'
  if (paper.level !== 'OFFICIAL') return 'withheld'
  if (paper.deferUntil && now.getTime() < paper.deferUntil.getTime()) return 'deferred'
  return 'public'
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
  const result: Omit<PublicPaper, 'assets'> = {
    id: fm.id,
    slug: paper.slug!,
    title: fm.title,
    date: fm.date,
    tags: [...(fm.tags ?? [])],
    exemptions: appliedExemptions(paper).map(publicExemption),
    withheld: (paper.file.data.redactions ?? []).length,
    markdown: toMarkdown(tree),
    html: toHtml(tree)
  }
  if (fm.decision_maker) result.decisionMaker = fm.decision_maker
  if (fm.summary) result.summary = fm.summary
  if (paper.deferUntil) result.dueAt = paper.deferUntil.toISOString()
  return result
}

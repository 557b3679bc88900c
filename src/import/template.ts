/**
 * `mopac new`, as pure functions: the next free PCD number of a content
 * folder, and a paper from the decision-form template, with every key
 * written and explained in a YAML comment. The paper is a draft, so it is
 * never published until its author removes `draft: true`; its placeholders
 * are valid, so `mopac check` accepts it as written.
 */
import {slugify} from '../content/slug.js'
import {paperStem} from './names.js'

export interface NewPaper {
  /** `PCD 1600`. */
  id: string
  title: string
  /** `YYYY-MM-DD`. */
  date: string
}

/** The `id` of a paper's frontmatter, read from its text without validating the rest. */
export function paperId(text: string): string | undefined {
  const end = text.indexOf('\n---', 3)
  const head = end === -1 ? text.slice(0, 4096) : text.slice(0, end)
  const match = /^id:[ \t]*(["']?)([^"'#\n]*?)\1[ \t]*(?:#.*)?$/m.exec(head)
  return match?.[2].trim() || undefined
}

/** The next free PCD number: one more than the highest `PCD n` among `ids` (`PCD 1` when there is none). */
export function nextPcd(ids: Array<string | undefined>): {id: string; highest?: string} {
  let highest = 0
  let highestId: string | undefined
  for (const id of ids) {
    const match = /^PCD ?(\d{1,9})$/i.exec(id?.trim() ?? '')
    if (match && Number(match[1]) > highest) {
      highest = Number(match[1])
      highestId = id
    }
  }
  return {id: `PCD ${highest + 1}`, highest: highestId}
}

/** The file name for a new paper: `pcd-1600-title-words.md`. */
export function newPaperFileName(paper: NewPaper): string {
  return `${paperStem({value: paper.id}, {value: paper.title})}.md`
}

/** Whether two ids name the same page. */
export function sameSlug(a: string, b: string): boolean {
  return slugify(a) !== '' && slugify(a) === slugify(b)
}

/** The decision-form template, filled with the id, title and date. */
export function newPaperText(paper: NewPaper): string {
  const quote = (value: string) => JSON.stringify(value.replace(/\s+/g, ' ').trim())
  return `---
# A new decision paper, from the MOPAC decision form. Each key is explained in
# the comment above it (README, "Content format"). Check it with \`mopac check\`
# and see it as readers will with \`mopac preview\`.
#
# Decision reference, unique: it names the page (PCD 1600 is decisions/pcd-1600/).
id: ${quote(paper.id)}
# Public: the decision's title.
title: ${quote(paper.title)}
# Public: the date the decision maker approved it, YYYY-MM-DD.
date: ${quote(paper.date)}
# OFFICIAL: published, with the withheld blocks below removed. (A paper that
# must never be published at all has the sensitive classification: README.)
classification: OFFICIAL
# Public: who took the decision.
decision_maker: "Deputy Mayor for Policing and Crime"
# Public: one or two sentences for listings, search and open data.
summary: "To be written: what was decided, in one or two sentences."
# Public: topics, e.g. [contracts, technology].
tags: []
# A draft is checked and previewed but never published by any command:
# delete this line when the paper is ready to go out.
draft: true
# Deferral: not published before \`until\` (YYYY-MM-DD is 00:00 London time;
# YYYY-MM-DDTHH:MM is London wall-clock time). \`reason\` is internal, never
# published. To defer, remove the \`# \` before these three lines:
# deferral:
#   until: "2030-01-01"
#   reason: "Why publication waits"
# Part 2: the FOIA sections (s21 to s44) that are the ground of the withheld
# blocks below that name none; \`review\` is an internal review date, never
# published. Delete these lines if there is no Part 2.
part2:
  exemptions: [s43]
  # review: "2030-01-01"
# Later, if needed: \`withdrawn\` (date, explanation) to withdraw the decision,
# and \`updates\` (date, note) for public corrections. See README.
---

## Executive summary

To be written.

## Recommendation

The Deputy Mayor for Policing and Crime is recommended to:

1. To be written.

## Part 1 – non-confidential facts and advice

### 1. Introduction and background

1.1. To be written.

### 2. Issues for consideration

2.1. To be written.

### 3. Financial comments

3.1. To be written.

### 4. Legal comments

4.1. To be written.

### 5. Equality comments

5.1. To be written.

### 6. Privacy comments

6.1. To be written.

### 7. Real estate implications

7.1. To be written.

### 8. Environmental implications

8.1. To be written.

### 9. Background/supporting papers

9.1. None.

## Public access to information

Part 1 of this decision is subject to the Freedom of Information Act 2000 and will be published once approved.

<!-- Part 2: the exempt facts and advice and the legal rationale go in the withheld block below, which is never published. Its ground is part2.exemptions above. Delete the block if there is no Part 2. -->

:::official-sensitive
## Part 2

To be written, or delete this block.
:::
`
}

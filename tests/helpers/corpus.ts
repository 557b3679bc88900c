/**
 * A corpus with a canary planted in every place the core issue's "Never"
 * list names, and public canaries that must survive. Canaries are lower-case
 * letters then digits so search indexing (lower-casing, stemming) keeps them.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const SECRET = {
  blockText: 'zkblocktext1001',
  blockHeading: 'zkblockheading1002',
  blockUrl: 'zkblockurl1003',
  blockAlt: 'zkblockalt1004',
  blockTitle: 'zkblocktitle1005',
  blockFootnote: 'zkblockfootnote1006',
  blockCode: 'zkblockcode1007',
  blockCell: 'zkblockcell1008',
  spanText: 'zkspantext1009',
  footnoteOnlyRedacted: 'zkfootnoteonly1010',
  definitionOnlyRedacted: 'zkdefinitiononly1011',
  imageOnlyRedacted: 'zkimageonly1012',
  comment: 'zkcomment1013',
  deferralReason: 'zkdeferralreason1014',
  part2Review: '2031-07-19',
  deferredTitle: 'zkdeferredtitle1015',
  deferredId: 'PCD 901015',
  deferredSlug: 'pcd-901015',
  deferredSummary: 'zkdeferredsummary1016',
  deferredBody: 'zkdeferredbody1017',
  withheldTitle: 'zkwithheldtitle1018',
  withheldId: 'PCD 901018',
  withheldSlug: 'pcd-901018',
  withheldSummary: 'zkwithheldsummary1019',
  withheldBody: 'zkwithheldbody1020',
  nestedInner: 'zknestedinner1021',
  leafLabel: 'zkleaflabel1022',
  script: 'zkscript1023',
  containerLabel: 'zkcontainerlabel1024',
  footnoteInBlock: 'zkfootnoteinblock1025',
  listInBlock: 'zklistinblock1026',
  htmlInBlock: 'zkhtmlinblock1027',
  imageFileInBlock: 'zkimagefileblock1028'
} as const

export const PUBLIC = {
  title: 'zppublictitle2001',
  summary: 'zppublicsummary2002',
  body: 'zppublicbody2003',
  cell: 'zppubliccell2004',
  footnote: 'zppublicfootnote2005',
  alt: 'zppublicalt2006',
  tag: 'zppublictag2007',
  link: 'zppubliclink2008',
  afterBlock: 'zppublicafter2009',
  releasedTitle: 'zpreleasedtitle2010'
} as const

export function writeCanaryCorpus(dir: string): void {
  fs.mkdirSync(path.join(dir, 'images'), {recursive: true})
  fs.writeFileSync(path.join(dir, 'images', 'public-chart.svg'), `<svg xmlns="http://www.w3.org/2000/svg"><title>chart</title></svg>\n`)
  fs.writeFileSync(path.join(dir, `images/${SECRET.imageOnlyRedacted}.png`), `${SECRET.imageOnlyRedacted} bytes\n`)
  fs.writeFileSync(path.join(dir, `images/${SECRET.imageFileInBlock}.png`), `${SECRET.imageFileInBlock} bytes\n`)
  fs.writeFileSync(
    path.join(dir, 'public.md'),
    `---
id: PCD 100
title: Public ${PUBLIC.title}
date: "2024-05-01"
classification: OFFICIAL
summary: Summary ${PUBLIC.summary}
tags: [${PUBLIC.tag}, contracts]
decision_maker: Deputy Mayor for Policing and Crime
deferral:
  until: "2024-06-01"
  reason: Internal ${SECRET.deferralReason}
part2:
  exemptions: [s43]
  review: "${SECRET.part2Review}"
---

<!-- internal: ${SECRET.comment} -->

# Decision

Body ${PUBLIC.body} with a note.[^pub] See [the guidance](https://example.org/${PUBLIC.link}).

![${PUBLIC.alt}](./images/public-chart.svg)

| Item | Value |
| --- | --- |
| ${PUBLIC.cell} | :official-sensitive[${SECRET.spanText}]{exemptions="s40"} |

Cited only by withheld text: :official-sensitive[claim[^only] and [link][onlydef] ![x](./images/${SECRET.imageOnlyRedacted}.png)]{exemptions="s43"}.

[^pub]: Footnote ${PUBLIC.footnote}.
[^only]: Only ${SECRET.footnoteOnlyRedacted}.
[onlydef]: https://example.org/${SECRET.definitionOnlyRedacted}

::::official-sensitive[${SECRET.containerLabel}]{exemptions="s43"}
## Part 2 ${SECRET.blockHeading}

Text ${SECRET.blockText} and [a link](https://example.org/${SECRET.blockUrl} "${SECRET.blockTitle}").

![${SECRET.blockAlt}](./images/${SECRET.imageFileInBlock}.png)

- list ${SECRET.listInBlock}

| Supplier | Price |
| --- | --- |
| ${SECRET.blockCell} | £1 |

\`\`\`
${SECRET.blockCode}
\`\`\`

Note.[^inblock]

[^inblock]: ${SECRET.blockFootnote} ${SECRET.footnoteInBlock}

<div>${SECRET.htmlInBlock}</div>

:::official-sensitive{exemptions="s40"}
${SECRET.nestedInner}
:::
::::

::official-sensitive[${SECRET.leafLabel}]{exemptions="s43"}

<script>alert("${SECRET.script}")</script>

After ${PUBLIC.afterBlock}.
`
  )
  fs.writeFileSync(
    path.join(dir, 'deferred.md'),
    `---
id: ${SECRET.deferredId}
title: Deferred ${SECRET.deferredTitle}
date: "2026-01-10"
classification: OFFICIAL
summary: ${SECRET.deferredSummary}
deferral:
  until: "2030-01-01"
  reason: embargo
---

Body ${SECRET.deferredBody}.
`
  )
  fs.writeFileSync(
    path.join(dir, 'withheld.md'),
    `---
id: ${SECRET.withheldId}
title: Withheld ${SECRET.withheldTitle}
date: "2026-02-10"
classification: OFFICIAL-SENSITIVE [COMMERCIAL]
summary: ${SECRET.withheldSummary}
---

Body ${SECRET.withheldBody}.
`
  )
  fs.writeFileSync(
    path.join(dir, 'released.md'),
    `---
id: PCD 101
title: Released ${PUBLIC.releasedTitle}
date: "2025-03-10"
classification: OFFICIAL
deferral:
  until: "2025-04-01T09:00"
---

A paper whose deferral has passed.
`
  )
}

/** Canaries of papers in other states of their life: withdrawn, removed, draft, with a correction not yet due, and a withheld block that names its kind. */
export const LIFECYCLE_SECRET = {
  withdrawnBody: 'zkwithdrawnbody1101',
  withdrawnSummary: 'zkwithdrawnsummary1102',
  withdrawnTag: 'zkwithdrawntag1103',
  removedTitle: 'zkremovedtitle1104',
  removedBody: 'zkremovedbody1105',
  draftTitle: 'zkdrafttitle1106',
  draftBody: 'zkdraftbody1107',
  futureUpdate: 'zkfutureupdate1108',
  kindBlockText: 'zkkindblock1109'
} as const

/** Papers holding {@link LIFECYCLE_SECRET}, beside the canary corpus (decision dates in 2024; the build is later). */
export function writeLifecycleCanaries(dir: string): void {
  const c = LIFECYCLE_SECRET
  const head = (id: string, title: string, extra = '') => `---\nid: ${id}\ntitle: ${title}\ndate: "2024-09-01"\nclassification: OFFICIAL\n${extra}---\n\n`
  fs.writeFileSync(path.join(dir, 'withdrawn.md'), head('PCD 110', 'Withdrawn decision', `summary: Summary ${c.withdrawnSummary}\ntags: [${c.withdrawnTag}]\nwithdrawn:\n  date: "2024-10-01"\n  explanation: Replaced by a later decision.\n`) + `Body ${c.withdrawnBody}.\n`)
  fs.writeFileSync(path.join(dir, 'removed.md'), head('PCD 111', `Removed ${c.removedTitle}`, 'withdrawn:\n  date: "2024-10-01"\n  explanation: Published in error.\n  remove: true\n') + `Body ${c.removedBody}.\n`)
  fs.writeFileSync(path.join(dir, 'draft.md'), head('PCD 112', `Draft ${c.draftTitle}`, 'draft: true\n') + `Body ${c.draftBody}.\n`)
  fs.writeFileSync(path.join(dir, 'future-update.md'), head('PCD 113', 'Corrected later', `updates:\n  - date: "2099-01-01"\n    note: Correction ${c.futureUpdate}.\n`) + 'A decision with a correction dated far ahead.\n')
  fs.writeFileSync(path.join(dir, 'kind.md'), head('PCD 114', 'Withheld kind', 'part2:\n  exemptions: [s43]\n') + `Public intro.\n\n:::official-sensitive{exemptions="s43" kind="Part 2 business case"}\nThe price was ${c.kindBlockText}.\n:::\n`)
}

export function tempDir(prefix = 'mopac-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

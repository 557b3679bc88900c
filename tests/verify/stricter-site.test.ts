/**
 * verify's stricter reading on a real site. The real build of papers that use
 * every construct in question correctly (blocks holding lists, code and
 * quotes, blocks in list items, indented closing fences, HTML comments, CSV
 * and SVG attachments) passes; a leak of what the author withheld (in a block
 * the pipeline would close early, a comment, a marked frontmatter value, a
 * paper under an attachment's name) is a hit, and the same site without the
 * leak still passes against that content.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {verify} from '../../src/verify/index.js'
import {builtSite, NOW, withheldPaper, type BuiltSite} from './built-site.js'

const A = `---
id: PCD 6100
title: Estates depot consolidation
date: "2024-04-01"
classification: OFFICIAL
decision_maker: Deputy Mayor for Policing and Crime
summary: Consolidation of two vehicle depots.
tags: [estates, fleet]
---

The Deputy Mayor is asked to approve the consolidation of two vehicle depots.

:::official-sensitive{exemptions="s43"}
The bids were scored as follows:

- Zentrafold Estates scored highest on price
- a second bidder scored highest on quality

> Evaluation panel note: both bids were compliant.

\`\`\`
score = price * 0.6 + quality * 0.4
\`\`\`
:::

Public paragraph after the first withheld block about estates planning.

1. The first step is a survey of both depots.

   :::official-sensitive{exemptions="s40"}
   - Surveyor: Marrowby Associates
     appointed in March
   :::

2. The second step is the sale of the older depot.

:::official-sensitive{exemptions="s43"}
The valuation by Oskwell Partners is confidential.
  :::

<!-- internal note: Quorvant pricing query still pending with finance -->

See [the figures](./data/figures.csv) and the chart:

![Spend by depot](./images/chart.svg)

The consolidation will complete within the financial year.
`

const FIGURES = 'depot,spend\nBrackwater Road,1200\nHolloway Lane,800\n'
const CHART = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text x="1" y="5">Fennimore Yard</text></svg>'
const W = withheldPaper('PCD 6101', 'Depot disposal', 'The Kestrelmoor depot was valued below its book value by the district valuer.')
const B = `---
id: PCD 6102
title: Fleet workshop lease
date: "2024-04-02"
classification: OFFICIAL
---

The fleet workshop lease is renewed on the same terms. Brackwater Road and Fennimore Yard appear in a withheld note below.

:::official-sensitive{exemptions="s43"}
Brackwater Road and Fennimore Yard were both offered by Zentrafold.
:::
`

let site: BuiltSite
beforeAll(async () => {
  site = await builtSite({'a.md': A, 'b.md': B, 'w.md': W, 'data/figures.csv': FIGURES, 'images/chart.svg': CHART})
}, 60_000)
afterAll(() => site?.cleanup())

type Change = string | Buffer | {link: string} | {symlink: string}

/**
 * verify's hits on the built site with `changes` made to its content (files
 * written, linked, or with `null` removed) and `plant` written into the
 * site; everything is put back afterwards.
 */
async function hitsWith(changes: Record<string, Change | null>, plant?: {file: string; text: string}) {
  const saved = new Map<string, Buffer | null>()
  for (const [rel, change] of Object.entries(changes)) {
    const file = path.join(site.content, rel)
    saved.set(file, fs.existsSync(file) ? fs.readFileSync(file) : null)
    fs.rmSync(file, {force: true})
    fs.mkdirSync(path.dirname(file), {recursive: true})
    if (change === null) continue
    if (typeof change === 'string' || Buffer.isBuffer(change)) fs.writeFileSync(file, change)
    else if ('link' in change) fs.linkSync(path.join(site.content, change.link), file)
    else fs.symlinkSync(change.symlink, file)
  }
  const target = plant && path.join(site.out, plant.file)
  const original = target && fs.existsSync(target) ? fs.readFileSync(target) : null
  try {
    if (target && plant) {
      fs.mkdirSync(path.dirname(target), {recursive: true})
      fs.writeFileSync(target, original && plant.file.endsWith('.html') ? original.toString('utf8').replace('</main>', `<p>${plant.text}</p></main>`) : plant.text)
    }
    return (await verify({content: site.content, out: site.out, now: NOW})).hits
  } finally {
    if (target) {
      if (original) fs.writeFileSync(target, original)
      else fs.rmSync(target, {force: true})
    }
    for (const [file, data] of saved) {
      fs.rmSync(file, {force: true})
      if (data) fs.writeFileSync(file, data)
    }
  }
}

const PAGE = 'decisions/pcd-6100/index.html'
const summary = (hits: Awaited<ReturnType<typeof hitsWith>>) => hits.map((h) => `${h.outputFile} ${path.basename(h.sourceFile)}:${h.line} ${h.kind} ${h.match}`)

describe('the real build of papers that use blocks, comments and attachments correctly', () => {
  it('passes', async () => {
    expect(summary(await hitsWith({}))).toEqual([])
  })

  it('still sees what the blocks and the comment withhold', async () => {
    expect(summary(await hitsWith({}, {file: PAGE, text: 'Marrowby'}))).toEqual([`${PAGE} a.md:31 sensitive marrowby`])
    expect(summary(await hitsWith({}, {file: PAGE, text: 'Oskwell'}))).toEqual([`${PAGE} a.md:38 sensitive oskwell`])
    expect(summary(await hitsWith({}, {file: PAGE, text: 'Internal note: Quorvant pricing query still pending with finance'}))).toEqual([
      `${PAGE} a.md:41 internal-note internal note quorvant pricing query still pending with finance`
    ])
  })

  it('counts the text of the CSV and SVG the paper links to as public', async () => {
    expect(summary(await hitsWith({}, {file: PAGE, text: 'Brackwater Road and Fennimore Yard'}))).toEqual([])
  })
})

const LEAK = 'the supplier zkverify quoted four million pounds for the depot survey contract'

describe('what the author withheld, published by a pipeline that read the paper as written', () => {
  const cases: Record<string, Record<string, Change | null>> = {
    'a block closed early at a ::: in code': {'a.md': A + `\n:::official-sensitive{exemptions="s43"}\n\`\`\`\n:::\n${LEAK}\n\`\`\`\n:::\n`},
    'a block closed early at a ::: in a list item': {'a.md': A + `\n:::official-sensitive{exemptions="s43"}\n- item\n  :::\n${LEAK}\n:::\n`},
    'a comment with a blank line in it': {'a.md': A + `\nText <!-- note\n\n${LEAK} -->\n`},
    'a span in decision_maker': {'a.md': A.replace('decision_maker: Deputy Mayor for Policing and Crime', `decision_maker: ":official-sensitive[${LEAK}]"`)},
    'a marking in the summary': {'a.md': A.replace('summary: Consolidation of two vehicle depots.', `summary: "OFFICIAL-SENSITIVE: ${LEAK}"`)}
  }
  for (const [what, changes] of Object.entries(cases)) {
    it(`${what}: a hit, and none without the leak`, async () => {
      expect(summary(await hitsWith(changes))).toEqual([])
      expect((await hitsWith(changes, {file: PAGE, text: LEAK})).map((h) => [h.outputFile, h.match])).toEqual([[PAGE, LEAK]])
    })
  }
})

describe('an attachment that is a paper is never public text', () => {
  // A second public paper links the file (the site need not show it).
  const linking = (name: string) => `---\nid: PCD 6103\ntitle: Annex\ndate: "2024-04-03"\nclassification: OFFICIAL\n---\n\nSee [the annex](./${name}).\n`
  const withheldText = 'Kestrelmoor depot was valued below its book value by the district valuer'
  const cases: Record<string, Record<string, Change | null>> = {
    'a hard link to a withheld paper': {'l.md': linking('annex.csv'), 'annex.csv': {link: 'w.md'}},
    'a symbolic link to a withheld paper': {'l.md': linking('annex.csv'), 'annex.csv': {symlink: 'w.md'}},
    'a copy of a withheld paper': {'l.md': linking('annex.svg'), 'annex.svg': W},
    'a link to a Markdown file the content scan does not read': {'l.md': linking('annex.csv'), 'annex.mdown': W, 'annex.csv': {symlink: 'annex.mdown'}},
    'a text file (never copied)': {'l.md': linking('annex.txt'), 'annex.txt': withheldText},
    'a PNG that is not one': {'l.md': linking('annex.png'), 'annex.png': withheldText}
  }
  for (const [what, changes] of Object.entries(cases)) {
    it(`${what}: a hit, and none without the leak`, async () => {
      expect(summary(await hitsWith(changes))).toEqual([])
      expect((await hitsWith(changes, {file: PAGE, text: withheldText})).map((h) => [h.outputFile, path.basename(h.sourceFile), h.kind])).toEqual([[PAGE, 'w.md', 'not-public']])
    })
  }

  it('a copy of a paper that is in no .md file is read as the paper it is', async () => {
    const copy = `---\nid: PCD 6104\ntitle: Annex copy\ndate: "2024-04-03"\nclassification: OFFICIAL\n---\n\n:::official-sensitive{exemptions="s43"}\n${LEAK}\n:::\n`
    const changes = {'l.md': linking('annex.csv'), 'annex.csv': copy}
    expect(summary(await hitsWith(changes))).toEqual([])
    expect((await hitsWith(changes, {file: PAGE, text: LEAK})).map((h) => [path.basename(h.sourceFile), h.line, h.kind])).toEqual([['annex.csv', 9, 'sensitive']])
  })

  it('a real PNG counts (its bytes are what the build copies, and what verify reads of the copy)', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(` tEXt ${withheldText}`)])
    expect(summary(await hitsWith({'l.md': linking('annex.png'), 'annex.png': png}, {file: PAGE, text: withheldText}))).toEqual([])
  })
})

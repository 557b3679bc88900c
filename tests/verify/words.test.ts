/**
 * Issue 9 section 7, second rule: a single distinctive word of withheld
 * material (a supplier's or project's code name that is in no public source
 * text and not in the site's own text) is a hit on its own, in a file's
 * content or in a file name, however the file encodes it; a word that public
 * text or the site's own text also has is not.
 */
import {gzipSync, brotliCompressSync} from 'node:zlib'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {isWordCandidate, WORD_MIN_LENGTH} from '../../src/verify/text.js'
import {builtSite, withheldPaper, type BuiltSite} from './built-site.js'

const PUBLIC = `---
id: PCD 5100
title: Custody suite refurbishment
date: "2024-03-01"
classification: OFFICIAL
summary: Refurbishment of two custody suites.
---

The contract for the refurbishment of two custody suites is approved.

:::official-sensitive{exemptions="s43"}
The preferred bidder, Zanthoria Facilities, scored highest on the contract evaluation.
:::

The project is known internally as :official-sensitive[Operation Quillfeather]{exemptions="s31"} until completion.
`

let site: BuiltSite
beforeAll(async () => {
  site = await builtSite({'a.md': PUBLIC})
}, 60_000)
afterAll(() => site?.cleanup())

/** Plants `data` at `rel`, runs verify, removes it again; the hits in `rel` (or under it). */
async function plantedHits(rel: string, data: string | Buffer) {
  site.plant(rel, data)
  try {
    return (await site.hits()).filter((h) => h.outputFile === rel || h.outputFile.startsWith(rel.split('/')[0] + '/') || rel.startsWith(h.outputFile))
  } finally {
    fs.rmSync(path.join(site.out, rel.split('/')[0] as string), {recursive: true, force: true})
  }
}

describe('a lone code-name word of withheld material', () => {
  it('the built site passes as it is', async () => {
    expect(await site.hits()).toEqual([])
  })

  it('in a file\'s content is a hit, with its source position', async () => {
    const hits = await plantedHits('leak.html', '<p>Thanks to the team at zanthoria.</p>')
    expect(hits).toEqual([
      {outputFile: 'leak.html', sourceFile: `${site.content}/a.md`, line: 12, column: 23, kind: 'sensitive', match: 'zanthoria'}
    ])
  })

  it('in a span label: one word of it is enough', async () => {
    expect((await plantedHits('leak.txt', 'QUILLFEATHER')).map((h) => [h.line, h.match])).toEqual([[15, 'quillfeather']])
  })

  it('in a file name or a folder name is a hit', async () => {
    expect((await plantedHits('files/zanthoria.pdf', 'x')).map((h) => h.outputFile)).toEqual(['files/zanthoria.pdf'])
    expect((await plantedHits('Zanthoria-bid/index.html', '<p>x</p>')).map((h) => h.outputFile)).toEqual(['Zanthoria-bid/'])
    expect((await plantedHits('files/Zanthoria_bid_v2.pdf', 'x')).map((h) => h.outputFile)).toEqual(['files/Zanthoria_bid_v2.pdf'])
    expect((await plantedHits('files/%5Aanthoria.txt', 'x')).map((h) => h.outputFile)).toEqual(['files/%5Aanthoria.txt'])
  })

  it('inside gzip, brotli, a base64 data: URL, UTF-16, entities and JSON escapes is a hit', async () => {
    const cases: Array<[string, string | Buffer]> = [
      ['pagefind/fragment/en_x.pf_fragment', gzipSync(Buffer.from('pagefind_dcd{"content":"supplier zanthoria"}'))],
      ['x.js.br', brotliCompressSync(Buffer.from('const s = "Zanthoria"'))],
      ['x.html', `<img src="data:text/plain;base64,${Buffer.from('by Zanthoria').toString('base64')}">`],
      ['x.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zanthoria', 'utf16le')])],
      ['x.xml', '<t>&#90;anth&#x6f;ria</t>'],
      ['x.json', '{"s":"\\u005aanthoria"}']
    ]
    for (const [rel, data] of cases) expect((await plantedHits(rel, data)).map((h) => h.match), rel).toEqual(['zanthoria'])
  })

  it('property: any generated code name of withheld text, planted in any way, is a hit', async () => {
    const name = fc
      .tuple(fc.constantFrom('zq', 'xv', 'qj', 'vz'), fc.stringMatching(/^[a-z]{4,10}$/))
      .map(([a, b]) => a + b)
    const place = fc.constantFrom('html', 'name', 'gzip', 'attr', 'upper', 'underscore')
    await fc.assert(
      fc.asyncProperty(name, place, async (word, how) => {
        site.paper('w.md', withheldPaper('PCD 5200', 'Part 2', `The supplier ${word[0]!.toUpperCase()}${word.slice(1)} bid.`))
        try {
          const planted: Record<string, [string, string | Buffer]> = {
            html: ['p/x.html', `<p>about ${word} today</p>`],
            name: [`p/${word}.pdf`, 'x'],
            gzip: ['p/x.gz', gzipSync(Buffer.from(`a ${word} b`))],
            attr: ['p/x.html', `<a title="${word}" href="#">x</a>`],
            upper: ['p/x.txt', word.toUpperCase()],
            underscore: [`p/report_${word}_final.csv`, 'x']
          }
          const [rel, data] = planted[how]!
          const hits = await plantedHits(rel, data)
          expect(hits.map((h) => h.match), `${how} ${word}`).toContain(word)
        } finally {
          fs.rmSync(path.join(site.content, 'w.md'), {force: true})
        }
      }),
      {numRuns: 30}
    )
  }, 120_000)
})

describe('words that are not distinctive', () => {
  it('a word of withheld text that public text also has is no hit', async () => {
    // `refurbishment`, `contract`, `custody` are in the public text; `evaluation` only in the block.
    expect(await plantedHits('x.html', '<p>refurbishment contract custody suites</p>')).toEqual([])
    expect((await plantedHits('x.html', '<p>evaluation</p>')).map((h) => h.match)).toEqual(['evaluation'])
  })

  it('a word of withheld text that the site\'s own text has is no hit', async () => {
    site.paper('w.md', withheldPaper('PCD 5300', 'Accessibility', 'Statement about privacy, pagination and navigation, decisions withheld.'))
    try {
      expect(await plantedHits('x.html', '<p>accessibility statement privacy pagination navigation decisions withheld</p>')).toEqual([])
    } finally {
      fs.rmSync(path.join(site.content, 'w.md'), {force: true})
    }
  })

  it('short words, stopwords, months and days never count alone; the limit is documented', async () => {
    expect(WORD_MIN_LENGTH).toBe(5)
    expect(['nova', 'which', 'september', 'thursday', 's43', '2026', 'ab12cd'].map(isWordCandidate)).toEqual([false, false, false, false, false, false, false])
    expect(['orion', 'zanthoria', 'kestrel', 'été'].map(isWordCandidate)).toEqual([true, true, true, false])
    site.paper('w.md', withheldPaper('PCD 5301', 'Part 2', 'Project Nova starts in September, which is early.'))
    try {
      expect(await plantedHits('x.html', '<p>nova september which</p>')).toEqual([])
    } finally {
      fs.rmSync(path.join(site.content, 'w.md'), {force: true})
    }
  })

  it('property: a word that public text has is never a hit on its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z]{6,12}$/), async (word) => {
        site.paper('w.md', withheldPaper('PCD 5400', 'Part 2', `Secret ${word}.`))
        site.paper('p.md', `---\nid: PCD 5401\ntitle: Public\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\nPublic mention of ${word}.\n`)
        try {
          expect(await plantedHits('x.html', `<p>${word}</p>`)).toEqual([])
        } finally {
          fs.rmSync(path.join(site.content, 'w.md'), {force: true})
          fs.rmSync(path.join(site.content, 'p.md'), {force: true})
        }
      }),
      {numRuns: 25}
    )
  }, 120_000)

  it('an HTML comment (an internal note) does not make a word public', async () => {
    site.paper('p.md', `---\nid: PCD 5404\ntitle: Public with a note\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\nText. <!-- ask\nZanthoria about the price -->\n`)
    try {
      expect((await plantedHits('x.html', '<p>Zanthoria</p>')).map((h) => h.match)).toEqual(['zanthoria'])
    } finally {
      fs.rmSync(path.join(site.content, 'p.md'), {force: true})
    }
  })

  it('the text of a file that public text links to is public', async () => {
    // A public paper's chart names the supplier; the withheld paper does too: not a leak.
    site.paper('images/chart.svg', '<svg xmlns="http://www.w3.org/2000/svg"><text>Spend with Brightwater Logistics</text></svg>')
    site.paper('p.md', `---\nid: PCD 5402\ntitle: Public chart\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\n![Spend by supplier](./images/chart.svg)\n`)
    site.paper('w.md', withheldPaper('PCD 5403', 'Part 2', 'Brightwater Logistics was paid late.'))
    try {
      expect(await plantedHits('x.svg', '<svg><text>Spend with Brightwater Logistics</text></svg>')).toEqual([])
      // ...but only from public text: a link inside withheld material does not make its file public.
      site.paper('w.md', withheldPaper('PCD 5403', 'Part 2', 'Brightwater Logistics was paid late.'))
      site.paper('p.md', `---\nid: PCD 5402\ntitle: Public chart\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\nText.\n\n:::official-sensitive{exemptions="s43"}\n![Spend by supplier](./images/chart.svg)\n:::\n`)
      expect((await plantedHits('x.svg', '<svg><text>Brightwater</text></svg>')).map((h) => h.match)).toEqual(['brightwater'])
    } finally {
      for (const f of ['w.md', 'p.md', 'images']) fs.rmSync(path.join(site.content, f), {recursive: true, force: true})
    }
  })
})

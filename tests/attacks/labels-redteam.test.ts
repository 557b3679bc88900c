/**
 * Red team of 11f8c9d: "a site label followed by a public paper's own field
 * value is public text" (src/verify/source.ts `labelled`, templates in
 * src/verify/site-text.generated.ts `LABELS`). Kept as tests.
 *
 * Every `it` asserts the SAFE outcome: withheld text planted on a page (a
 * pipeline bug simulated by writing into the site) is reported, the memory's
 * verdict is a full search's, and (last block, secondary) a withheld paper
 * quoting what a page prints of a public paper passes.
 *
 * Found and mended: templates were made from pages of papers in every state,
 * so every public paper's values were put beside words of a state it is not
 * in ("withdrawn {id} {title}", "{summary} exempt material withheld", the
 * previous listing item's exemption ground): a withheld "Withdrawn: PCD 4100
 * <its title>" printed by a bug was not reported. Templates are now made
 * from a plain corpus (no withheld material, exemption, withdrawal,
 * deferral or update: tests/verify/benign-site.ts, `plainPaper`).
 *
 * Found, older than 11f8c9d, and mended: a deferred or OFFICIAL-SENSITIVE
 * paper's decision_maker and tags were never secret.
 *
 * Found, and mended after: a withheld paper quoting a listing entry across
 * its date ("Decision date 1 May 2024 Decision maker ...") was reported, as
 * templates stopped at numbers: a date as the pages print it is now a slot,
 * `{date}`, filled with the paper's own date.
 */
import {writeFile, rm} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {verify, type VerifyHit} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'
import {builtSite, withheldPaper, type BuiltSite} from '../verify/built-site.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const EARLIER = new Date('2026-01-01T12:00:00Z')

/** PCD 4100, public, NOT withdrawn, no withheld material, no exemptions. */
const Q = `---
id: PCD 4100
title: Gateway support contract extension
date: "2024-05-01"
classification: OFFICIAL
decision_maker: Deputy Mayor for Policing and Crime
summary: Extends the gateway support contract while a replacement is procured.
tags: [contracts, technology]
---

The Deputy Mayor is asked to approve the extension.
`
/** Public words elsewhere (so a single word of a secret is not what reports it). */
const OTHER = `---
id: PCD 12
title: Works on Brackwater Road and Ottoline Street
date: "2024-05-01"
classification: OFFICIAL
tags: [estates]
---

Works on Kestrelwing Lane are complete.
`
const os = (title: string, body = 'Legal advice received on the supplier dispute.', fm = ''): string =>
  `---\nid: PCD 4999\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL-SENSITIVE\n${fm}---\n\n${body}\n`
const deferred = (title: string, fm = ''): string =>
  `---\nid: PCD 4998\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL\n${fm}deferral:\n  until: "2099-01-01"\n---\n\nLater.\n`
const pub = (id: number, fm: string, title = `Public paper ${id}`): string =>
  `---\nid: PCD ${id}\ntitle: ${title}\ndate: "2024-05-01"\nclassification: OFFICIAL\n${fm}---\n\nBody of ${id}.\n`

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

/** Papers under content/, `page` planted at `file` in the site; the full search's hits there. */
async function planted(papers: Record<string, string>, page: string, file = 'leak/index.html', now = NOW): Promise<VerifyHit[]> {
  const files: Record<string, string> = {'public/index.html': '<p>Decisions</p>', [`public/${file}`]: page}
  for (const [name, text] of Object.entries(papers)) files[`content/${name}`] = text
  fx = await makeFixture(files)
  const r = await verify({content: fx.content, out: fx.out, now})
  return r.hits.filter((h) => h.outputFile === file)
}

describe('hole: a state-specific label is filled for a paper not in that state', () => {
  it('an OFFICIAL-SENSITIVE paper titled "Withdrawn: PCD 4100 ..." (PCD 4100 live, not withdrawn), printed in the feed, is reported', async () => {
    const hits = await planted({'q.md': Q, 'w.md': os('Withdrawn: PCD 4100 Gateway support contract extension')},
      '<?xml version="1.0"?><feed><entry><title>Withdrawn: PCD 4100 Gateway support contract extension</title></entry></feed>', 'feed.xml')
    expect(hits.map((h) => h.match).join(' ')).toMatch(/withdrawn pcd 4100/)
  })

  it('a deferred paper titled "<public title> withdrawn", on a page before its date, is reported', async () => {
    const hits = await planted({'q.md': Q, 'd.md': deferred('Gateway support contract extension withdrawn')}, '<h2>Gateway support contract extension withdrawn</h2>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('a withheld sentence "PCD 4100 ... withdrawn: this decision was withdrawn on" is reported', async () => {
    const hits = await planted({'q.md': Q, 'w.md': os('Internal note', 'PCD 4100 Gateway support contract extension withdrawn: this decision was withdrawn on legal advice.')},
      '<p>PCD 4100 Gateway support contract extension withdrawn: this decision was withdrawn on</p>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('"Legal professional privilege: <public title>" (no paper is s42) withheld, printed, is reported', async () => {
    const hits = await planted({'q.md': Q, 'w.md': os('Legal professional privilege: Gateway support contract extension')}, '<h2>Legal professional privilege: Gateway support contract extension</h2>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('"<public summary>. Exempt material withheld" for a paper with no exemptions, withheld, printed, is reported', async () => {
    const text = 'Extends the gateway support contract while a replacement is procured. Exempt material withheld. Some material in this'
    const hits = await planted({'q.md': Q, 'w.md': os('Internal', text)}, `<p>${text}</p>`)
    expect(hits.length).toBeGreaterThan(0)
  })

  it('property: a withheld title = state word + a public paper\'s id and title (paper not in that state) is reported', async () => {
    const WORDS = ['harbour', 'lantern', 'meadow', 'quarry', 'orchard', 'granite', 'willow', 'beacon', 'cobalt', 'thistle']
    await fc.assert(
      fc.asyncProperty(
        fc.integer({min: 100, max: 9999}),
        fc.array(fc.constantFrom(...WORDS), {minLength: 2, maxLength: 4}),
        fc.constantFrom<[string, (id: string, t: string) => string]>(
          ['withdrawn page title', (id, t) => `Withdrawn: ${id} ${t}`],
          ['withdrawn notice', (_id, t) => `${t} withdrawn`],
          ['exemption ground before', (_id, t) => `Commercial interests: ${t}`],
          ['exemption ground before (s42)', (_id, t) => `Legal professional privilege ${t}`]
        ),
        async (n, words, [, make]) => {
          const title = words.join(' ')
          const secret = make(`PCD ${n}`, title)
          const hits = await planted({'q.md': pub(n, 'decision_maker: Deputy Mayor\n', title), 'w.md': os(secret)}, `<h1>${secret}</h1>`)
          await fx?.cleanup()
          fx = undefined
          expect(hits.length, secret).toBeGreaterThan(0)
        }
      ),
      {numRuns: 8}
    )
  })
})

describe('no hole: marked field values, other papers\' values, the label alone', () => {
  it('a tag marked sensitive, under "Decisions tagged", is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'q.md': pub(60, 'tags: [estates, ":official-sensitive[quillabrent]{exemptions=\\"s43\\"}"]\n')}, '<h1>Decisions tagged quillabrent</h1>')
    expect(hits.map((h) => h.match).join(' ')).toMatch(/quillabrent/)
  })

  it('part of a decision maker marked sensitive (its words public elsewhere), under the label, is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'q.md': pub(60, 'decision_maker: "Deputy Mayor :official-sensitive[Ottoline Brackwater]{exemptions=\\"s40\\"}"\n')}, '<p>Decision maker Deputy Mayor Ottoline Brackwater</p>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('an HTML comment in a decision maker, under the label, is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'q.md': pub(60, 'decision_maker: "Deputy Mayor <!-- Ottoline Brackwater -->"\n')}, '<p>Decision maker Deputy Mayor Ottoline Brackwater</p>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('a tag item marked sensitive between public tags: the list read across it is not the withheld tag', async () => {
    const hits = await planted({'o.md': OTHER, 'q.md': pub(60, 'tags: [estates, ":official-sensitive[quillabrent]{exemptions=\\"s43\\"}", fleet]\n')}, '<p>Tags estates quillabrent fleet Exemptions applied</p>')
    expect(hits.map((h) => h.match).join(' ')).toMatch(/quillabrent/)
  })

  it('property: a label with a withheld name (public words, not a field) is reported', async () => {
    const LABELS = ['Decision maker', 'Decisions tagged', 'Reference', 'Tags', 'Next decision', 'Withdrawn:']
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LABELS), fc.constantFrom('Ottoline Brackwater', 'Brackwater Kestrelwing', 'Kestrelwing Ottoline Road'), async (label, name) => {
        const hits = await planted({'o.md': OTHER, 'q.md': Q, 'w.md': os('Internal', `${label} ${name}`)}, `<p>${label} ${name}</p>`)
        await fx?.cleanup()
        fx = undefined
        expect(hits.length, `${label} ${name}`).toBeGreaterThan(0)
      }),
      {numRuns: 10}
    )
  })
})

describe('older than 11f8c9d: a not-public paper\'s decision maker and tags', () => {
  it('a deferred paper\'s decision maker under the label, before its date, is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'd.md': deferred('Deferred thing', 'decision_maker: Commander Ottoline Quillfeather\n')}, '<p>Decision maker Commander Ottoline Quillfeather</p>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('an OFFICIAL-SENSITIVE paper\'s own tag on a tag page is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'w.md': os('Internal', 'Body.', 'tags: [zephyrcombe]\n')}, '<h1>Decisions tagged zephyrcombe</h1>', 'tags/zephyrcombe/index.html')
    expect(hits.length).toBeGreaterThan(0)
  })
})

describe('the memory: a label run that loses its public value', () => {
  /** A clean search with memory, `change`, then the memory's and a full search's hits on the planted page. */
  async function afterChange(q1: string, change: (content: string) => Promise<void>, page: string, now2 = NOW): Promise<{mem: string[]; full: string[]}> {
    fx = await makeFixture({
      'public/index.html': '<p>Decisions</p>',
      'public/leak/index.html': `<p>${page}</p>`,
      'content/q.md': q1,
      'content/z.md': pub(12, 'tags: [contracts]\n', 'Other paper on Ottoline Brackwater and kestrelwing matters'),
      'content/w.md': os('Internal', page)
    })
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    await change(fx.content)
    const mem = await verify({content: fx.content, out: fx.out, now: now2, memory})
    const full = await verify({content: fx.content, out: fx.out, now: now2})
    return {mem: mem.hits.map((h) => `${h.outputFile} ${h.match}`), full: full.hits.map((h) => `${h.outputFile} ${h.match}`)}
  }
  const q = (fm: string): string => pub(60, fm, 'Public paper sixty')

  for (const [name, q1, change, page, now2] of [
    ['decision maker changed', q('decision_maker: Ottoline Brackwater\n'), (c: string) => writeFile(path.join(c, 'q.md'), q('decision_maker: Deputy Mayor\n')), 'Decision maker Ottoline Brackwater', NOW],
    ['a tag removed', q('tags: [contracts, kestrelwing]\n'), (c: string) => writeFile(path.join(c, 'q.md'), q('tags: [contracts]\n')), 'Decisions tagged contracts kestrelwing', NOW],
    ['the paper deleted', q('decision_maker: Ottoline Brackwater\n'), (c: string) => rm(path.join(c, 'q.md')), 'Decision maker Ottoline Brackwater', NOW],
    ['deferred again by an earlier --now', q('decision_maker: Ottoline Brackwater\ndeferral:\n  until: "2026-06-01"\n'), async () => {}, 'Decision maker Ottoline Brackwater', EARLIER],
    ['made a draft', q('decision_maker: Ottoline Brackwater\n'), (c: string) => writeFile(path.join(c, 'q.md'), q('decision_maker: Ottoline Brackwater\ndraft: true\n')), 'Decision maker Ottoline Brackwater', NOW]
  ] as const) {
    it(`${name}: reported, and the memory's verdict is the full search's`, async () => {
      const {mem, full} = await afterChange(q1, change, page, now2)
      expect(full.some((h) => h.startsWith('leak/index.html'))).toBe(true)
      expect(mem).toEqual(full)
    })
  }
})

describe('secondary: a withheld paper quoting a public paper as its page prints it passes', () => {
  let site: BuiltSite
  beforeAll(async () => {
    site = await builtSite({'a.md': Q.replace('title: Gateway', 'title: Custody').replace('PCD 4100', 'PCD 4200')})
  }, 60_000)
  afterAll(() => site?.cleanup())

  it('"Decision date: 1 May 2024. Decision maker: Deputy Mayor for Policing and Crime." (same day, same decision maker as a public paper)', async () => {
    site.paper('x.md', withheldPaper('PCD 4500', 'Internal', 'Decision date: 1 May 2024. Decision maker: Deputy Mayor for Policing and Crime.'))
    expect((await site.hits()).map((h) => `${h.outputFile} ${h.match}`)).toEqual([])
  })

  it('the header of a listing entry: "Reference PCD 4200 / Decision date 1 May 2024 / Decision maker ..."', async () => {
    site.paper('x.md', withheldPaper('PCD 4500', 'Internal', 'Custody support contract extension\n\nReference: PCD 4200\n\nDecision date: 1 May 2024\n\nDecision maker: Deputy Mayor for Policing and Crime'))
    expect((await site.hits()).map((h) => `${h.outputFile} ${h.match}`)).toEqual([])
  })
})

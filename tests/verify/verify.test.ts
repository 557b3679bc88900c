import {gzipSync, brotliCompressSync} from 'node:zlib'
import {afterEach, describe, expect, it} from 'vitest'
import {verify, formatVerifyResult, type VerifyHit} from '../../src/verify/index.js'
import {CLEAN_HTML, CLEAN_SITEMAP, DEFERRED_PAPER, PUBLIC_PAPER, makeFixture, type Fixture} from './helpers.js'

const BEFORE = new Date('2026-06-01T12:00:00Z') // PCD 1450 deferred
const AFTER = new Date('2026-12-10T09:30:00Z') // 09:30 London (GMT) on 10 December: deferral over

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

async function baseFixture(extra: Record<string, string | Buffer> = {}): Promise<Fixture> {
  fx = await makeFixture({
    'content/public-a.md': PUBLIC_PAPER,
    'content/deferred-b.md': DEFERRED_PAPER,
    'public/index.html': CLEAN_HTML,
    'public/decisions/pcd-1001/index.html': CLEAN_HTML,
    'public/sitemap.xml': CLEAN_SITEMAP,
    ...extra,
  })
  return fx
}

function run(f: Fixture, now: Date, ngram?: number) {
  return verify({ content: f.content, out: f.out, now, ngram })
}

function only(hits: VerifyHit[], outputFile: string): VerifyHit[] {
  return hits.filter((h) => h.outputFile === outputFile)
}

describe('verify: clean output', () => {
  it('passes a clean site with zero hits', async () => {
    const f = await baseFixture({
      'public/.nojekyll': '',
      'public/assets/site.css': 'body { font-family: sans-serif } .redacted { background: #000 }',
      'public/assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff, 0xfe, 0x12]),
      'public/feed.json': JSON.stringify({
        items: [{ id: 'pcd-1001', title: 'Estates strategy refresh', content_html: '<p>The contract lead is [Redacted: s40] in the estates team.</p>' }],
      }),
      'public/pagefind/fragment/en_1234.pf_fragment': gzipSync(
        Buffer.from('pagefind_dcd' + JSON.stringify({ url: '/decisions/pcd-1001/', content: 'Estates strategy refresh. The costs are contained within the approved capital programme for the coming financial year.' })),
      ),
    })
    const r = await run(f, BEFORE)
    expect(r.hits).toEqual([])
    expect(r.papers).toBe(2)
    expect(r.filesScanned).toBe(8)
    expect(r.secretsExtracted).toBeGreaterThan(3)
    expect(formatVerifyResult(r)).toMatch(/^verify: OK, no leaks found; 8 output file\(s\) scanned/)
  })

  it('throws when the output folder does not exist', async () => {
    const f = await baseFixture()
    await expect(verify({ content: f.content, out: `${f.out}-missing`, now: BEFORE })).rejects.toThrow(/out directory not found/)
  })
})

describe('verify: sensitive material', () => {
  it('catches a sentence from a sensitive block with its source line', async () => {
    const f = await baseFixture({
      'public/decisions/pcd-1001/leak.html':
        '<p>Offer: <em>is four million pounds</em>, subject to contract and planning consent.</p>',
    })
    const r = await run(f, BEFORE)
    const hits = only(r.hits, 'decisions/pcd-1001/leak.html')
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({
      sourceFile: `${f.content}/public-a.md`,
      line: 23,
      column: 1,
      kind: 'sensitive',
      match: 'is four million pounds subject to contract and planning consent',
    })
    expect(r.hits).toHaveLength(1)
  })

  it('merges a longer leaked passage into one hit starting at its first line', async () => {
    const f = await baseFixture({
      'public/x.html':
        '<p>The preferred bidder is <strong>Northgate Holdings</strong> and the negotiated price of the freehold\nis four million pounds</p>',
    })
    const r = await run(f, BEFORE)
    expect(r.hits).toHaveLength(1)
    expect(r.hits[0]).toMatchObject({ outputFile: 'x.html', line: 22, column: 1, kind: 'sensitive' })
    expect(r.hits[0]!.match.length).toBeLessThanOrEqual(80)
  })

  it('catches a name from an inline span (in an attribute, with entities)', async () => {
    const f = await baseFixture({ 'public/about.html': '<meta name="author" content="Jane&nbsp;Smith">' })
    const r = await run(f, BEFORE)
    expect(r.hits).toEqual([
      {
        outputFile: 'about.html',
        sourceFile: `${f.content}/public-a.md`,
        line: 30,
        column: 42,
        kind: 'sensitive',
        match: 'jane smith',
      },
    ])
  })

  it('catches a leak inside a gzip file and a Pagefind fragment', async () => {
    const f = await baseFixture({
      'public/sitemap.xml.gz': gzipSync(Buffer.from('<p>contact: Jane Smith</p>')),
      'public/pagefind/fragment/en_abcd.pf_fragment': gzipSync(
        Buffer.from('pagefind_dcd' + JSON.stringify({ content: 'The preferred bidder is Northgate Holdings and the negotiated price of the freehold' })),
      ),
      'public/app.js.br': brotliCompressSync(Buffer.from('var x = "Jane Smith";')),
    })
    const r = await run(f, BEFORE)
    expect(r.hits.map((h) => [h.outputFile, h.kind, h.line])).toEqual([
      ['app.js.br', 'sensitive', 30],
      ['pagefind/fragment/en_abcd.pf_fragment', 'sensitive', 22],
      ['sitemap.xml.gz', 'sensitive', 30],
    ])
  })

  it('decodes JSON escapes and scans non-UTF-8 files as latin1', async () => {
    const f = await baseFixture({
      'public/search.json': '{"t":"Jane\\u00a0Smith","b":"negotiated price of the freehold\\nis four million pounds"}',
      'public/blob.bin': Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' Northgate Holdings | 87 '), Buffer.from([0x80])]),
    })
    const r = await run(f, BEFORE)
    expect(only(r.hits, 'search.json').map((h) => h.line)).toEqual([22, 30])
    // The table row as a phrase; `northgate` also on its own (a word of withheld text only).
    expect(only(r.hits, 'blob.bin').map((h) => h.match)).toContain('northgate holdings 87')
  })

  it('catches a distinctive token, a link URL and a hoisted footnote from sensitive text', async () => {
    const paper = `---
id: PCD 2000
title: Fleet contract
date: 2026-01-01
classification: OFFICIAL
---

Intro text that is public. The fleet figure is :official-sensitive[set out in annex[^f]]{exemptions="s43"}.

[^f]: Footnote text CANARY_FOOT_77 from the supplier.

> :::official-sensitive{exemptions="s43"}
> The code word is OPX2219Q and [the tender file](https://tenders.example/secret-bid-file.pdf "bid").
> :::
`
    const f = await baseFixture({
      'content/c.md': paper,
      'public/a.html': '<p>Reference OPX2219Q only</p>',
      'public/b.html': '<a href="https://tenders.example/secret-bid-file.pdf">file</a>',
      'public/c.html': '<li>canary_foot_77</li>',
    })
    const r = await run(f, BEFORE)
    expect(r.hits.map((h) => [h.outputFile, h.line, h.match])).toEqual([
      ['a.html', 13, 'opx2219q'],
      ['b.html', 13, 'https tenders example secret bid file pdf'],
      ['c.html', 10, 'canary_foot_77'],
    ])
  })

  it('handles nested and indented blocks, multi-line labels and unclosed blocks', async () => {
    const paper = `---
id: PCD 2001
title: Nesting
date: 2026-01-01
classification: OFFICIAL
---

- Item one

  ::::official-sensitive{exemptions="s43"}
  Outer text about Operation Nightjar funding
  :::note
  Inner note about the Nightjar informant network
  :::
  Still inside the outer block after the note closes
  ::::

Public paragraph names :official-sensitive[the [lead] officer
Sergeant Quill Brackenbury]{exemptions="s40"} here.

:::official-sensitive
Unclosed block mentions Harbourside Depot valuation
`
    const f = await baseFixture({
      'content/d.md': paper,
      'public/a.html': '<p>Still inside the outer block after the note closes</p>',
      'public/b.html': '<p>Sergeant <b>Quill Brackenbury</b></p>',
      'public/c.html': '<p>Unclosed block mentions <a href="#">Harbourside Depot</a> valuation</p>',
      'public/d.html': '<p>Public paragraph names here. Item one.</p>',
    })
    const r = await run(f, BEFORE)
    // Line 11: `outer`, a word that only withheld text has, also counts on its own.
    expect(r.hits.map((h) => [h.outputFile, h.line])).toEqual([
      ['a.html', 11],
      ['a.html', 15],
      ['b.html', 19],
      ['c.html', 22],
    ])
  })

  it('ignores phrases that also occur in public text of the source papers', async () => {
    const paper = `---
id: PCD 2002
title: Another paper
date: 2026-01-01
classification: OFFICIAL
---

The costs are contained within the approved capital programme for the coming financial year.

:official-sensitive[Financial implications]{exemptions="s43"}
`
    const f = await baseFixture({ 'content/e.md': paper })
    const r = await run(f, BEFORE)
    expect(r.hits).toEqual([])
  })
})

describe('verify: boilerplate seams', () => {
  it('does not report public text joined to one common word, nor text around removed blocks', async () => {
    const deferred = `---
id: PCD 2003
title: Horse welfare stables review
date: 2026-01-01
classification: OFFICIAL
deferral:
  until: 2099-01-01
---

Following approval of the refreshed estates strategy for the next five years and the Mounted Branch review, the Met will close the Thamesmead stables.

For the Metropolitan Police Service, replacing the strategy agreed in 2021 the contract lead is named.
`
    const f = await baseFixture({
      'content/f.md': deferred,
      // A listing page joining public text with other public words.
      'public/list.html':
        '<li>Approval of the refreshed estates strategy for the next five years.</li><li>And the rest</li>' +
        '<p>for the Metropolitan Police Service, replacing the strategy agreed in 2021.</p><p>The contract lead is [Redacted: s40].</p>',
    })
    expect((await run(f, BEFORE)).hits).toEqual([])
    await f.write('public/list2.html', '<p>the Mounted Branch review, the Met will close the Thamesmead stables.</p>')
    const r = await run(f, BEFORE)
    // The sentence (line 10), and `stables` from the deferred title (line 3): a word of no public text
    // (`review` is the site's own text: the about page's internal review).
    expect(r.hits.map((h) => [h.outputFile, h.kind, h.line])).toEqual([
      ['list2.html', 'not-public', 3],
      ['list2.html', 'not-public', 10],
    ])
  })
})

describe('verify: frontmatter and not-public papers', () => {
  it('catches a deferral reason (even once the paper is public) but not a bare review date', async () => {
    const f = await baseFixture({
      'public/x.html': '<p>Reason: Disclosure would prejudice <i>Operation Kestrel</i>.</p><p>Review 2027-06-01</p>',
    })
    for (const now of [BEFORE, AFTER]) {
      const r = await run(f, now)
      expect(r.hits).toEqual([
        {
          outputFile: 'x.html',
          sourceFile: `${f.content}/deferred-b.md`,
          line: 10,
          column: 11,
          kind: 'internal-frontmatter',
          match: 'disclosure would prejudice operation kestrel',
        },
      ])
    }
  })

  it("catches a deferred paper's title in sitemap.xml, and passes once the deferral is over", async () => {
    const f = await baseFixture({
      'public/sitemap.xml': CLEAN_SITEMAP.replace(
        '</urlset>',
        '<url><loc>https://example.org/decisions/next/</loc><image:title>Covert surveillance technology procurement</image:title></url>\n</urlset>',
      ),
    })
    const before = await run(f, BEFORE)
    expect(before.hits).toEqual([
      {
        outputFile: 'sitemap.xml',
        sourceFile: `${f.content}/deferred-b.md`,
        line: 3,
        column: 8,
        kind: 'not-public',
        match: 'covert surveillance technology procurement',
      },
    ])
    expect((await run(f, new Date('2026-12-10T09:29:59Z'))).hits).toHaveLength(1)
    expect((await run(f, AFTER)).hits).toEqual([])
  })

  it("catches a deferred paper's slug in a path and its id in text", async () => {
    const f = await baseFixture({
      'public/decisions/pcd-1450/index.html': '<p>nothing here</p>',
      'public/archive/pcd-1450.json': '{}',
      'public/related.html': '<p>See PCD&nbsp;1450 for details.</p>',
    })
    const r = await run(f, BEFORE)
    expect(r.hits.map((h) => [h.outputFile, h.kind, h.match, h.line])).toEqual([
      ['archive/pcd-1450.json', 'not-public', 'pcd-1450', 2],
      ['decisions/pcd-1450/', 'not-public', 'pcd-1450', 2],
      ['related.html', 'not-public', 'pcd 1450', 2],
    ])
    expect(formatVerifyResult({ ...r, out: undefined }).split('\n')[0]).toBe(
      `archive/pcd-1450.json: matches ${f.content}/deferred-b.md:2:5 (not-public): "pcd-1450"`,
    )
    expect(formatVerifyResult(r).split('\n')).toEqual([
      `${f.out}/archive/pcd-1450.json: matches ${f.content}/deferred-b.md:2:5 (not-public): "pcd-1450"`,
      `${f.out}/decisions/pcd-1450/: matches ${f.content}/deferred-b.md:2:5 (not-public): "pcd-1450"`,
      `${f.out}/related.html: matches ${f.content}/deferred-b.md:2:5 (not-public): "pcd 1450"`,
      'verify: 3 leak(s) found in 3 output path(s); 6 output file(s) scanned against 10 secret piece(s) from 2 paper(s)',
    ])
    expect((await run(f, AFTER)).hits).toEqual([])
  })

  it("catches a deferred paper's body text", async () => {
    const f = await baseFixture({
      'public/x.xml': '<description>&lt;p&gt;The Met proposes to buy specialist listening equipment from an approved supplier&lt;/p&gt;</description>',
    })
    const r = await run(f, BEFORE)
    // The sentence, and the words it shares with the deferred summary (no public text has them).
    expect(r.hits.map((h) => [h.line, h.column, h.match])).toEqual([
      [7, 10, 'specialist equipment'],
      [15, 1, 'the met proposes to buy specialist listening equipment from an approved supplier'],
    ])
  })

  it('treats OFFICIAL-SENSITIVE, unparseable deferrals and invalid YAML as not public', async () => {
    const f = await baseFixture({
      'content/os.md': `---\nid: PCD 3001\ntitle: Armoury refurbishment works\nclassification: OFFICIAL-SENSITIVE [COMMERCIAL]\n---\nBody.\n`,
      'content/bad-until.md': `---\nid: PCD 3002\ntitle: Custody nurse recruitment\nclassification: OFFICIAL\ndeferral:\n  until: next spring\n---\nBody.\n`,
      'content/bad-yaml.md': `---\nid: PCD 3003\ntitle: Thamesmead stables disposal\ntags: [unterminated\n---\nThe broken paper is about selling the stables to a private buyer.\n`,
      'public/x.html':
        '<h2>Armoury refurbishment works</h2><h2>Custody nurse recruitment</h2><h2>Thamesmead stables disposal</h2>',
      'public/y.html': '<p>The broken paper is about selling the stables to a private buyer.</p>',
    })
    const r = await run(f, new Date('2030-01-01T00:00:00Z'))
    expect(r.hits.map((h) => [h.sourceFile.replace(`${f.content}/`, ''), h.line, h.kind])).toEqual([
      ['bad-until.md', 3, 'not-public'],
      ['bad-yaml.md', 3, 'not-public'],
      ['os.md', 3, 'not-public'],
      ['bad-yaml.md', 3, 'not-public'],
      ['bad-yaml.md', 6, 'not-public'],
    ])
  })

  it('honours the ngram option', async () => {
    const f = await baseFixture({
      // Each word is public (so none counts on its own); the run of them is not.
      'content/words.md': '---\nid: PCD 1002\ntitle: Words\ndate: 2026-01-01\nclassification: OFFICIAL\n---\n\nSpecialist. Listening. Equipment.\n',
      'public/x.html': '<p>specialist listening equipment from an approved</p>',
    })
    expect((await run(f, BEFORE)).hits).toEqual([])
    expect((await run(f, BEFORE, 5)).hits).toHaveLength(1)
  })
})

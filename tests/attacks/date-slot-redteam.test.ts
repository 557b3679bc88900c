/**
 * Red team of b05ffb2: "a date as the pages print it (`1 May 2024`) is a
 * label slot `{date}`, filled with the paper's own frontmatter date"
 * (src/verify/site-text.ts `extractLabels`, src/verify/source.ts `labelled`).
 * Every `it` asserts the SAFE outcome.
 *
 * Found, and mended after: the template "decision date {date} {title}
 * reference ..." came from a listing, where one entry's date is followed by
 * the NEXT entry's title. Filled with one paper's own date and title, it made
 * public a run no page prints ("2024 Gateway support contract extension"), so
 * a withheld title or span "<year | month year | date> <public title>" was
 * not reported. All the `hole` tests passed at b05ffb2^. Now two slots with
 * no site word between are one template only when their markers say one
 * paper's, and a template is cut where its slots change paper.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {cleanupPlanted, deferred, os, OTHER, planted, pub} from './label-helpers.js'
import {builtSite, pageText, withheldPaper, type BuiltSite} from '../verify/built-site.js'

afterEach(cleanupPlanted)

const P = pub(4100, 'Gateway support contract extension')

describe('hole: "{date} {title}" (a listing\'s date, then the NEXT entry\'s title) filled with one paper\'s own date and title', () => {
  for (const title of ['2024 Gateway support contract extension', 'May 2024 Gateway support contract extension', '1 May 2024 Gateway support contract extension']) {
    it(`a deferred paper titled "${title}" (public PCD 4100 "Gateway support contract extension" dated 1 May 2024), printed, is reported`, async () => {
      const hits = await planted({'o.md': OTHER, 'p.md': P, 'd.md': deferred(title)}, `<h1>${title}</h1>`)
      expect(hits.length).toBeGreaterThan(0)
    })
  }

  it('an OFFICIAL-SENSITIVE paper\'s title "2024 <public title>", in the feed, is reported', async () => {
    const t = '2024 Gateway support contract extension'
    const hits = await planted({'o.md': OTHER, 'p.md': P, 'w.md': os(t, 'Legal advice received.')}, `<?xml version="1.0"?><feed><entry><title>${t}</title></entry></feed>`, 'feed.xml')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('a sensitive span "2024 <public title>" in another public paper, left in its page, is reported', async () => {
    const q = pub(60, 'Fleet review', '2023-02-07', '') + '\nThe plan is :official-sensitive[2024 Gateway support contract extension]{exemptions="s43"} now.\n'
    const hits = await planted({'o.md': OTHER, 'p.md': P, 'q.md': q}, '<p>The plan is 2024 Gateway support contract extension now.</p>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('the same, the public paper\'s date unquoted (`date: 2024-05-01`): a deferred "2024 <public title>" is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'p.md': P.replace('"2024-05-01"', '2024-05-01'), 'd.md': deferred('2024 Gateway support contract extension')}, '<h1>2024 Gateway support contract extension</h1>')
    expect(hits.length).toBeGreaterThan(0)
  })

  it('control: the same title with a year NOT the public paper\'s is reported', async () => {
    const hits = await planted({'o.md': OTHER, 'p.md': P, 'd.md': deferred('2025 Gateway support contract extension')}, '<h1>2025 Gateway support contract extension</h1>')
    expect(hits.length).toBeGreaterThan(0)
  })
})

describe('false positives: a withheld paper quoting what the built site prints of public papers passes', () => {
  let site: BuiltSite
  beforeAll(async () => {
    site = await builtSite({
      'a.md': pub(4100, 'Gateway support contract extension', '2024-05-01', 'decision_maker: Deputy Mayor for Policing and Crime\n'),
      'b.md': pub(4200, 'Custody support contract extension', '2024-05-02', 'updates:\n  - date: "2024-07-09"\n    note: Typo fixed.\n')
    })
  }, 60_000)
  afterAll(() => site?.cleanup())
  const quote = async (text: string, printedIn: string): Promise<string[]> => {
    // (The quote is what the site prints: a check that it is, so the test means what it says.)
    expect(pageText(fs.readFileSync(path.join(site.out, printedIn), 'utf8')).replace(/:/g, '')).toContain(text)
    site.paper('x.md', withheldPaper('PCD 4500', 'Internal', text))
    return (await site.hits()).map((h) => `${h.outputFile} ${h.match}`)
  }

  it('the home listing across two entries: "... PCD 4200 Decision date 2 May 2024 Gateway support contract extension ..."', async () => {
    expect(await quote('Custody support contract extension Reference PCD 4200 Decision date 2 May 2024 Gateway support contract extension Reference PCD 4100 Decision date 1 May 2024', 'index.html')).toEqual([])
  })

  it('a page\'s header with its last update: "Reference PCD 4200 Decision date 2 May 2024 Last updated 9 July 2024"', async () => {
    expect(await quote('Reference PCD 4200 Decision date 2 May 2024 Last updated 9 July 2024', 'decisions/pcd-4200/index.html')).toEqual([])
  })

  it('control: one listing entry, its own date (b05ffb2\'s fix) passes', async () => {
    expect(await quote('Gateway support contract extension Reference PCD 4100 Decision date 1 May 2024 Decision maker Deputy Mayor for Policing and Crime', 'index.html')).toEqual([])
  })
})

/**
 * A label of the site followed by a public paper's value, as a page prints
 * it ("Decision maker Deputy Mayor for Policing and Crime", "Reference PCD
 * 4100", "Decisions tagged contracts"), is public: a withheld paper that says
 * the same passes (src/verify/source.ts, `labelled`; the templates come from
 * the reference build, src/verify/site-text.ts, `extractLabels`). Until this
 * was mended such a run was in neither the public text nor the site's own
 * text, and an OFFICIAL-SENSITIVE paper saying "Decision maker: Deputy Mayor
 * for Policing and Crime" stopped every build and release (exit 3).
 *
 * And no hole: a label with a value that is not that public paper's own
 * field (a withheld paper's, another field's) is still reported, as is
 * anything withheld beside it.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {builtSite, pageText, PUBLIC_WITH_NOTICES, withheldPaper, type BuiltSite} from './built-site.js'

let site: BuiltSite
beforeAll(async () => {
  site = await builtSite({'a.md': PUBLIC_WITH_NOTICES}, {baseUrl: 'https://decisions.example.org/'})
}, 60_000)
afterAll(() => site?.cleanup())

function clearExtraPapers(s: BuiltSite = site): void {
  for (const name of fs.readdirSync(s.content)) if (name !== 'a.md') fs.rmSync(path.join(s.content, name), {recursive: true, force: true})
}

describe('a site label with a public paper\'s own value is public', () => {
  for (const excerpt of [
    'Decision maker: Deputy Mayor for Policing and Crime',
    'Decision maker Deputy Mayor for Policing and Crime. Tags: contracts, technology.',
    'Reference: PCD 4100',
    'Decisions tagged contracts',
    'Tag contracts',
    'Tags contracts technology Exemptions applied',
    'Next decision PCD 4100 Gateway support contract extension',
    'Gateway support contract extension. Reference PCD 4100. Decision date'
  ]) {
    it(`a withheld paper saying ${JSON.stringify(excerpt)}: the site passes`, async () => {
      clearExtraPapers()
      site.paper('x.md', withheldPaper('PCD 4500', 'Internal', excerpt))
      expect(await site.hits()).toEqual([])
    })
  }
})

describe('no hole: only the label with that paper\'s own public value', () => {
  it('a withheld paper\'s own decision maker under the label, on a page, is reported', async () => {
    clearExtraPapers()
    site.paper('x.md', withheldPaper('PCD 4501', 'Internal review', 'Decision maker: Marcus Vellacott Quill'))
    site.plant('leak/index.html', '<p>Decision maker Marcus Vellacott Quill</p>')
    const hits = await site.hits()
    expect(hits.filter((h) => h.outputFile === 'leak/index.html').map((h) => h.match).join(' ')).toMatch(/vellacott/)
  })

  it('a public value under another field\'s label is still reported when withheld material says it', async () => {
    clearExtraPapers()
    // The title under the decision maker's label: the site never prints it so.
    const phrase = 'Decision maker Gateway support contract extension'
    site.paper('x.md', withheldPaper('PCD 4502', 'Internal', phrase))
    site.plant('leak/index.html', `<p>${phrase}</p>`)
    const hits = await site.hits()
    expect(hits.some((h) => h.outputFile === 'leak/index.html' && h.match.startsWith('decision maker gateway')), JSON.stringify(hits)).toBe(true)
  })

  it('a label and a public value with a withheld sentence after it: the sentence is reported', async () => {
    clearExtraPapers()
    const withheld = 'Decision maker Deputy Mayor for Policing and Crime who declined the Harrowgate settlement offer'
    site.paper('x.md', withheldPaper('PCD 4503', 'Internal', withheld))
    site.plant('leak/index.html', `<p>${withheld}</p>`)
    const hits = await site.hits()
    // (One hit: the label and value run on into the withheld words, and adjacent matches merge.)
    const leaked = hits.filter((h) => h.outputFile === 'leak/index.html')
    expect(leaked.length, JSON.stringify(hits)).toBeGreaterThan(0)
    site.plant('leak/index.html', '<p>who declined the Harrowgate settlement offer</p>')
    expect((await site.hits()).map((h) => h.match).join(' ')).toMatch(/harrowgate settlement/)
    // The label and the public value alone are not what is reported.
    expect(hits.filter((h) => h.outputFile !== 'leak/index.html')).toEqual([])
  })

  it('a field marked sensitive is no value for a label: the withheld name beside the label is reported', async () => {
    clearExtraPapers()
    // The span in the summary is withheld; the summary's public words stay public.
    site.paper('x.md', withheldPaper('PCD 4504', 'Internal', 'Decision maker Ottoline Brackwater'))
    site.plant('leak/index.html', '<p>Decision maker Ottoline Brackwater</p>')
    const hits = await site.hits()
    expect(hits.some((h) => h.outputFile === 'leak/index.html' && /brackwater/.test(h.match))).toBe(true)
  })
})

/** Words of a page's visible text; a word's key is its letters and digits, lower-cased. */
function words(html: string): string[] {
  return pageText(html).split(' ').filter(Boolean)
}
const key = (w: string): string => w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')

describe('property: a field\'s value with the site\'s words around it, on any page that shows it', () => {
  const WORDS = ['harbour', 'lantern', 'meadow', 'quarry', 'orchard', 'granite', 'willow', 'beacon', 'cobalt', 'thistle', 'saffron', 'juniper', 'falcon', 'marble', 'copper']
  const TAGS = ['custody', 'fleet', 'estates', 'training', 'victims', 'contracts']
  const field = fc.array(fc.constantFrom(...WORDS), {minLength: 1, maxLength: 4}).map((w) => w.join(' '))

  it('passes, for random fields of a public paper', async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record({id: fc.integer({min: 100, max: 9999}), title: field, maker: field, summary: field, tags: fc.uniqueArray(fc.constantFrom(...TAGS), {minLength: 1, maxLength: 3})}),
        fc.nat(),
        fc.integer({min: 0, max: 3}),
        fc.integer({min: 0, max: 3}),
        async ({id, title, maker, summary, tags}, pick, before, after) => {
          const paper = `---\nid: PCD ${id}\ntitle: ${title}\ndate: "2024-05-01"\nclassification: OFFICIAL\nsummary: ${summary}\ntags: [${tags.join(', ')}]\ndecision_maker: ${maker}\n---\n\nThe body says little.\n`
          const s = await builtSite({'a.md': paper})
          try {
            // Every place a page shows one of the fields, with up to three of the page's words each side (no number: dates and counts are the site's own).
            const fields = [`PCD ${id}`, title, maker, summary, ...tags].map((f) => f.split(' ').map(key))
            const excerpts: string[] = []
            for (const rel of ['index.html', 'decisions/index.html', `decisions/pcd-${id}/index.html`, `tags/${tags[0]}/index.html`, 'archive/2024/index.html', 'search/index.html']) {
              const file = path.join(s.out, rel)
              if (!fs.existsSync(file)) continue
              const w = words(fs.readFileSync(file, 'utf8'))
              for (const f of fields) {
                for (let i = 0; i + f.length <= w.length; i++) {
                  if (!f.every((k, j) => key(w[i + j] as string) === k)) continue
                  let a = i
                  while (a > i - before && a > 0 && !/\d/.test(w[a - 1] as string)) a--
                  let b = i + f.length
                  while (b < i + f.length + after && b < w.length && !/\d/.test(w[b] as string)) b++
                  excerpts.push(w.slice(a, b).join(' '))
                }
              }
            }
            expect(excerpts.length).toBeGreaterThan(5)
            runs++
            const excerpt = excerpts[pick % excerpts.length] as string
            fs.writeFileSync(path.join(s.content, 'x.md'), withheldPaper('PCD 1', 'Internal', excerpt))
            expect(await s.hits(), excerpt).toEqual([])
          } finally {
            s.cleanup()
          }
        }
      ),
      {numRuns: 25}
    )
    expect(runs).toBe(25)
  }, 120_000)
})

describe('the date as the pages print it is a field too', () => {
  it('a withheld paper quoting a listing entry across its date passes; with another date, or another paper\'s, it is reported', async () => {
    clearExtraPapers()
    fs.rmSync(path.join(site.out, 'leak'), {recursive: true, force: true})
    const entry = 'Reference PCD 4100. Decision date 1 May 2024. Decision maker Deputy Mayor for Policing and Crime.'
    site.paper('x.md', withheldPaper('PCD 4505', 'Internal', entry))
    expect(await site.hits()).toEqual([])
    // The public paper's date is 1 May 2024: any other date beside its labels and values is not what a page prints.
    const other = 'Reference PCD 4100. Decision date 2 May 2024. Decision maker Deputy Mayor for Policing and Crime.'
    site.paper('x.md', withheldPaper('PCD 4505', 'Internal', other))
    site.plant('leak/index.html', `<p>${other}</p>`)
    const hits = await site.hits()
    expect(hits.some((h) => h.outputFile === 'leak/index.html'), JSON.stringify(hits)).toBe(true)
    fs.rmSync(path.join(site.out, 'leak'), {recursive: true, force: true})
  })
})

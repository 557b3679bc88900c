/**
 * Issue 9 section 7, first rule: verify does not report the site's own text
 * (withheld-material notices, navigation, footer, page titles, labels, the
 * fixed pages) because a withheld or deferred paper happens to contain the
 * same words; and this opens no hole: what is in withheld material only is
 * still reported, even when it is dressed up as site text or put on every page.
 *
 * The site is built once with the real pipeline; withheld papers do not change
 * it (they are never published), so each case only adds papers to content/
 * and runs verify.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {builtSite, deferredPaper, pageText, PUBLIC_WITH_NOTICES, withheldPaper, type BuiltSite} from './built-site.js'

let site: BuiltSite
const FIXED_PAGES = ['accessibility/index.html', 'privacy/index.html', 'data/index.html', 'search/index.html', 'withheld-information/index.html', '404.html']

beforeAll(async () => {
  site = await builtSite({'a.md': PUBLIC_WITH_NOTICES}, {baseUrl: 'https://decisions.example.org/'})
}, 60_000)
afterAll(() => site?.cleanup())

function clearExtraPapers(): void {
  for (const name of fs.readdirSync(site.content)) if (name !== 'a.md') fs.rmSync(path.join(site.content, name), {recursive: true, force: true})
}

function read(rel: string): string {
  return fs.readFileSync(path.join(site.out, rel), 'utf8')
}

/** The text units of the site's own wording: fixed pages, and the notices on the paper page. */
function siteTextUnits(): string[] {
  const units = FIXED_PAGES.map((p) => pageText(read(p)))
  const paperPage = read('decisions/pcd-4100/index.html')
  for (const m of paperPage.matchAll(/<div class="mopac-withheld"[^>]*>([\s\S]*?)<\/div>/g)) units.push(pageText(m[1] as string))
  for (const m of paperPage.matchAll(/<span class="mopac-withheld-inline"[^>]*>([\s\S]*?)<\/span>\]<\/span>/g)) units.push(pageText(m[1] as string))
  return units
}

describe('the site\'s own text quoted by withheld material is not a leak', () => {
  it('the built page really carries the notices that the withheld papers below quote', () => {
    const page = pageText(read('decisions/pcd-4100/index.html'))
    expect(page).toContain('Material withheld (1 paragraph). Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).')
    expect(page).toMatch(/\[withheld under section 40 of the Freedom of Information Act 2000 \(personal information\) ?\]/)
    expect(page).toContain('Exempt under section 31(1)(a) (law enforcement) and section 40 (personal information) of the Freedom of Information Act 2000.')
  })

  it('a withheld paper quoting the exemption wording: the site passes', async () => {
    clearExtraPapers()
    site.paper(
      'w1.md',
      withheldPaper(
        'PCD 4201',
        'Part 2 of the gateway decision',
        [
          'This part is exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).',
          '',
          'Material withheld. Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).',
          '',
          'Personal details are [withheld under section 40 of the Freedom of Information Act 2000 (personal information)] as usual, and the investigation is exempt under section 31(1)(a) (law enforcement) and section 40 (personal information) of the Freedom of Information Act 2000.'
        ].join('\n')
      )
    )
    site.paper('d1.md', deferredPaper('PCD 4202', 'Deferred notice quote', 'Exempt under section 40 of the Freedom of Information Act 2000 (personal information). About withheld information.'))
    // The same wording inside a withheld block of a public paper.
    site.paper(
      'p2.md',
      `---\nid: PCD 4203\ntitle: Another public decision\ndate: "2024-02-01"\nclassification: OFFICIAL\n---\n\nPublic words.\n\n:::official-sensitive{exemptions="s43"}\nThe supplier's bid is exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).\n:::\n`
    )
    expect(await site.hits()).toEqual([])
  })

  it('withheld papers whose titles and text are page titles, navigation and footer: the site passes', async () => {
    clearExtraPapers()
    const titles = ['Accessibility statement', 'Search', 'Privacy', 'Open data', 'Page not found', 'Search decisions', 'Browse decisions by year or tag', 'All decisions', 'Decisions']
    titles.forEach((title, i) => site.paper(`t${i}.md`, withheldPaper(`PCD 43${i}0`, title, `${title}\n\nSkip to main content`, title)))
    site.paper(
      'footer.md',
      withheldPaper(
        'PCD 4399',
        'Support links',
        [
          'All content is available under the Open Government Licence v3.0, except where otherwise stated.',
          'This decision as Markdown (the public text, with withheld material marked)',
          'Exemptions applied',
          'section 43 (commercial interests). This is a qualified exemption: we applied the public interest test and found that the public interest in withholding this information outweighs the public interest in publishing it.',
          // The build marker, the open data files, robots.txt, the feed.
          'This folder is replaced whole by each build.',
          'decision_date first_published decision_maker markdown_url licence',
          'User-agent: Allow',
          'Decisions of the Mayor\'s Office for Policing and Crime, published under the Freedom of Information Act 2000.'
        ].join('\n\n')
      )
    )
    expect(await site.hits()).toEqual([])
  })

  it('property: any excerpt of the site\'s own wording, as a withheld paper\'s title or text, passes', async () => {
    const units = siteTextUnits().map((u) => u.split(' ').filter(Boolean))
    expect(units.length).toBeGreaterThan(FIXED_PAGES.length)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({min: 0, max: units.length - 1}).chain((u) => {
          const words = units[u] as string[]
          return fc.tuple(fc.constant(u), fc.integer({min: 0, max: words.length - 1}), fc.integer({min: 1, max: 40}))
        }),
        fc.boolean(),
        async ([u, start, length], asTitle) => {
          clearExtraPapers()
          const excerpt = (units[u] as string[]).slice(start, start + length).join(' ')
          site.paper('x.md', asTitle ? withheldPaper('PCD 4500', excerpt, 'Nothing else.') : withheldPaper('PCD 4500', 'Internal', excerpt))
          expect(await site.hits(), excerpt).toEqual([])
        }
      ),
      {numRuns: 40}
    )
  }, 120_000)
})

describe('no hole: withheld-only material is still a leak, whatever it looks like', () => {
  it('site wording with a secret word or sentence in it: the secret part is reported', async () => {
    clearExtraPapers()
    site.paper(
      'w.md',
      withheldPaper(
        'PCD 4601',
        'Part 2',
        'Material withheld. Exempt under section 43 of the Freedom of Information Act 2000: commercial interests. Zanthoria offered four million pounds for the gateway contract extension.'
      )
    )
    expect(await site.hits()).toEqual([])
    site.plant('leak1.html', '<p>Material withheld. Exempt under section 43 of the Freedom of Information Act 2000: Zanthoria.</p>')
    site.plant('leak2.html', '<p>Commercial interests. Zanthoria offered four million pounds for the gateway contract extension.</p>')
    try {
      const hits = await site.hits()
      expect(hits.filter((h) => h.outputFile === 'leak1.html').map((h) => h.match)).toEqual(['zanthoria'])
      const second = hits.filter((h) => h.outputFile === 'leak2.html')
      expect(second).toHaveLength(1)
      expect(second[0]!.match).toMatch(/^commercial interests zanthoria offered four million pounds for the gateway/)
    } finally {
      fs.rmSync(path.join(site.out, 'leak1.html'))
      fs.rmSync(path.join(site.out, 'leak2.html'))
    }
  })

  it('a withheld title put on every page (a site-wide list gone wrong) is reported on every page', async () => {
    clearExtraPapers()
    site.paper('w.md', withheldPaper('PCD 4602', 'Covert surveillance of the Thamesmead estate', 'Body.'))
    const pages: string[] = []
    const walk = (dir: string, rel = ''): void => {
      for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
        const r = rel ? `${rel}/${e.name}` : e.name
        if (e.isDirectory()) walk(path.join(dir, e.name), r)
        else if (r.endsWith('.html')) pages.push(r)
      }
    }
    walk(site.out)
    const originals = new Map(pages.map((p) => [p, read(p)]))
    try {
      for (const p of pages) site.plant(p, (originals.get(p) as string).replace('</footer>', '<p>Latest: Covert surveillance of the Thamesmead estate</p></footer>'))
      const hits = await site.hits()
      expect(new Set(hits.map((h) => h.outputFile))).toEqual(new Set(pages))
    } finally {
      for (const [p, html] of originals) site.plant(p, html)
    }
  })

  it('property: a new order of words that are all site wording is still reported', async () => {
    const words = [...new Set(siteTextUnits().join(' ').toLowerCase().split(/[^a-z]+/))].filter((w) => w.length >= 4 && !['that', 'this', 'with', 'from', 'have', 'been', 'were', 'will', 'your', 'they', 'them', 'than', 'such', 'also', 'more', 'other', 'which', 'their', 'there', 'these', 'then', 'into', 'would', 'should', 'could'].includes(w))
    expect(words.length).toBeGreaterThan(50)
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(words, {minLength: 10, maxLength: 14}), async (picked) => {
        clearExtraPapers()
        const sentence = picked.join(' ')
        site.paper('w.md', withheldPaper('PCD 4603', 'Part 2', sentence))
        site.plant('leak.html', `<p>${sentence}</p>`)
        const hits = (await site.hits()).filter((h) => h.outputFile === 'leak.html')
        expect(hits.length, sentence).toBeGreaterThan(0)
      }),
      {numRuns: 25}
    ).finally(() => fs.rmSync(path.join(site.out, 'leak.html'), {force: true}))
  }, 120_000)

  it('a withheld paper titled like a site page still has its id and slug reported', async () => {
    clearExtraPapers()
    site.paper('w.md', withheldPaper('PCD 4604', 'Accessibility statement', 'Body.'))
    site.plant('decisions/pcd-4604/index.html', '<h1>Accessibility statement</h1><p>PCD 4604</p>')
    try {
      const hits = await site.hits()
      expect(hits.map((h) => [h.outputFile, h.match])).toEqual([
        ['decisions/pcd-4604/', 'pcd-4604'],
        ['decisions/pcd-4604/index.html', 'pcd 4604']
      ])
    } finally {
      fs.rmSync(path.join(site.out, 'decisions/pcd-4604'), {recursive: true})
    }
  })
})

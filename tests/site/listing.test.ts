/** Listings, pagination, archives and paper pages, from generated public papers. */
import {beforeAll, describe, expect, it} from 'vitest'
import type {SiteFiles} from '../../src/site/render.js'
import {pageNumbers} from '../../src/site/components.js'
import {tagSlug} from '../../src/site/paths.js'
import {htmlPages, listed, makePaper, makePapers, render, text} from './helpers.js'

describe('listing and pagination (120 papers)', () => {
  let files: SiteFiles
  const papers = makePapers(120)
  beforeAll(async () => {
    // Given out of order: the site sorts newest first.
    files = await render([...papers].reverse())
  })

  it('pages 50 decisions at a time, newest first', () => {
    const one = listed(text(files, 'index.html'))
    const two = listed(text(files, 'page/2/index.html'))
    const three = listed(text(files, 'page/3/index.html'))
    expect([one.length, two.length, three.length]).toEqual([50, 50, 20])
    expect(files.has('page/4/index.html')).toBe(false)
    expect(files.has('page/1/index.html')).toBe(false)
    expect([...one, ...two, ...three]).toEqual(papers.map((p) => p.title))
  })

  it('links the pages with GOV.UK pagination', () => {
    const two = text(files, 'page/2/index.html')
    expect(two).toContain('<nav class="govuk-pagination" aria-label="Pagination">')
    expect(two).toContain('<a class="govuk-link govuk-pagination__link" href="../../" rel="prev">')
    expect(two).toContain('<a class="govuk-link govuk-pagination__link" href="../3/" rel="next">')
    expect(two).toContain('aria-label="Page 2" aria-current="page"')
    expect(two).toContain('Decisions 51 to 100 of 120, newest first.')
    const one = text(files, 'index.html')
    expect(one).not.toContain('rel="prev"')
    expect(one).toContain('href="page/2/" rel="next"')
    expect(text(files, 'page/3/index.html')).not.toContain('rel="next"')
  })

  it('shows each entry with id, title, decision date, decision maker and the withheld flag naming the sections', () => {
    const html = text(files, 'index.html')
    const entry = /<li><h2><a href="decisions\/pcd-2003\/">[\s\S]*?<\/li>/.exec(html)?.[0]
    expect(entry).toBeDefined()
    expect(entry).toContain('Reference: PCD 2003')
    expect(entry).toContain('Decision date: 9 June 2026')
    expect(entry).toContain('Decision maker: Deputy Mayor for Policing and Crime')
    expect(entry).toContain('<strong class="govuk-tag govuk-tag--grey">Exempt material withheld</strong> under section 31(1)(a) (law enforcement) and section 43 (commercial interests)')
    const plain = /<li><h2><a href="decisions\/pcd-2001\/">[\s\S]*?<\/li>/.exec(html)?.[0]
    expect(plain).not.toContain('Exempt material withheld')
  })

  it('has year and tag archives, paginated too, linked from the listing', () => {
    const years = [...new Set(papers.map((p) => p.date.slice(0, 4)))]
    const home = text(files, 'index.html')
    for (const year of years) {
      expect(home).toContain(`href="archive/${year}/"`)
      const all = [] as string[]
      for (let n = 1; files.has(n === 1 ? `archive/${year}/index.html` : `archive/${year}/page/${n}/index.html`); n++) {
        all.push(...listed(text(files, n === 1 ? `archive/${year}/index.html` : `archive/${year}/page/${n}/index.html`)))
      }
      expect(all).toEqual(papers.filter((p) => p.date.startsWith(year)).map((p) => p.title))
    }
    // "Young people" and "young-people" would share one archive; the slug is URL-safe.
    expect(tagSlug('Young people')).toBe('young-people')
    expect(home).toContain('href="tags/young-people/"')
    expect(listed(text(files, 'tags/contracts/index.html'))).toHaveLength(50)
    expect(listed(text(files, 'tags/contracts/page/2/index.html'))).toHaveLength(10)
    expect(text(files, 'tags/contracts/index.html')).toContain('Decisions tagged ‘contracts’')
    expect(text(files, 'archive/index.html')).toContain('href="../tags/young-people/">Young people</a> (60 decisions)')
  })

  it('numbers pages with ellipses', () => {
    expect(pageNumbers(1, 1)).toEqual([1])
    expect(pageNumbers(1, 3)).toEqual([1, 2, 3])
    expect(pageNumbers(5, 10)).toEqual([1, 0, 4, 5, 6, 0, 10])
    expect(pageNumbers(3, 10)).toEqual([1, 2, 3, 4, 0, 10])
  })

  it('has one page per paper, with previous (older) and next (newer) decisions', () => {
    const pages = htmlPages(files).filter((p) => p.startsWith('decisions/'))
    expect(pages).toHaveLength(120)
    const middle = text(files, 'decisions/pcd-2010/index.html')
    expect(middle).toContain('<a class="govuk-link govuk-pagination__link" href="../pcd-2011/" rel="prev">')
    expect(middle).toContain('<a class="govuk-link govuk-pagination__link" href="../pcd-2009/" rel="next">')
    expect(text(files, 'decisions/pcd-2001/index.html')).not.toContain('rel="next"')
    expect(text(files, 'decisions/pcd-2120/index.html')).not.toContain('rel="prev"')
  })
})

describe('paper page', () => {
  it('shows the public metadata, exemptions, body, attachments and Markdown link', async () => {
    const paper = makePaper(3, {
      assets: [{target: 'files/chart.svg', bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')}]
    })
    const files = await render([paper], {dates: {firstPublished: {[paper.slug]: '2026-07-01T23:30:00Z'}}})
    const html = text(files, 'decisions/pcd-2003/index.html')
    expect(html).toContain('<html class="govuk-template" lang="en-GB">')
    // A line break keeps the reference apart from the title in text taken from the page.
    expect(html).toContain('<span class="govuk-caption-l">PCD 2003</span>\n<h1 class="govuk-heading-l">')
    expect(html).toContain('<dt class="govuk-summary-list__key">Decision date</dt><dd class="govuk-summary-list__value"><time datetime="2026-06-09">9 June 2026</time></dd>')
    // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
    expect(html).toContain('<dt class="govuk-summary-list__key">First published</dt><dd class="govuk-summary-list__value"><time datetime="2026-07-01T23:30:00.000Z">2 July 2026 at 00:30 BST</time></dd>')
    // Each exemption in the one wording, with its public interest sentence (qualified or absolute).
    expect(html).toContain('<li>section 31(1)(a) (law enforcement). This is a qualified exemption: we applied the public interest test and found that the public interest in withholding this information outweighs the public interest in publishing it.</li><li>section 43 (commercial interests). This is a qualified exemption:')
    expect(html).toContain(paper.html)
    expect(html).toContain('<a class="govuk-link" href="files/chart.svg">chart.svg</a> (SVG, 41 bytes)')
    expect(html).toContain('<a class="govuk-link" href="index.md" type="text/markdown">This decision as Markdown</a>')
    expect(html).toContain('<main class="govuk-main-wrapper" id="main-content" data-pagefind-body="">')
    expect(text(files, 'decisions/pcd-2003/index.md')).toBe(paper.markdown)
    expect(files.get('decisions/pcd-2003/files/chart.svg')).toBe(paper.assets[0].bytes)
  })

  it('shows no first published date without the release log, nor for an invalid one', async () => {
    const paper = makePaper(1)
    for (const dates of [undefined, {firstPublished: {}}, {firstPublished: {[paper.slug]: 'not a date'}}]) {
      const html = text(await render([paper], {dates}), 'decisions/pcd-2001/index.html')
      expect(html).not.toContain('First published')
    }
  })

  it('escapes public text it puts in pages', async () => {
    const paper = makePaper(1, {title: 'Fish <script>alert(1)</script> & "chips"', summary: '<b>bold</b>', decisionMaker: 'A & B', tags: ['<x>']})
    const files = await render([paper])
    const html = text(files, 'decisions/pcd-2001/index.html')
    // Outside quoted attribute values, no markup of the paper's survives.
    const outsideAttributes = (page: string) => page.replace(/="[^"]*"/g, '=""')
    expect(outsideAttributes(html)).not.toContain('<script>')
    expect(html).toContain('<h1 class="govuk-heading-l">Fish &#x3C;script>alert(1)&#x3C;/script> &#x26; "chips"</h1>')
    expect(html).toContain('<meta property="og:title" content="PCD 2001: Fish <script>alert(1)</script> &#x26; &#x22;chips&#x22;">')
    for (const page of [html, text(files, 'index.html'), text(files, 'tags/x/index.html')]) {
      expect(outsideAttributes(page)).not.toContain('<script>')
      expect(outsideAttributes(page)).not.toContain('<b>')
      expect(outsideAttributes(page)).not.toContain('<x>')
    }
  })

  it('refuses a file target that would leave its folder or replace its page', async () => {
    for (const target of ['../escape.txt', '/abs.txt', 'index.html', 'files/../../x', 'a//b']) {
      await expect(render([makePaper(1, {assets: [{target, bytes: new Uint8Array(1)}]})])).rejects.toThrow(/would leave its folder/)
    }
  })

  it('builds an empty site when nothing is public yet', async () => {
    const files = await render([])
    expect(text(files, 'index.html')).toContain('No decisions have been published yet.')
    expect(files.has('search/index.html')).toBe(true)
    expect(JSON.parse(text(files, 'search-index/meta.json'))).toMatchObject({docs: 0, shards: []})
  })
})

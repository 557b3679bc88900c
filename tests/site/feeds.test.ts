/** Atom feed (read back with an independent parser), sitemap, robots.txt, canonical and Open Graph. */
import {parseFeed} from '@rowanmanning/feed-parser'
import {describe, expect, it} from 'vitest'
import {BASE, htmlPages, makePaper, makePapers, render, text} from './helpers.js'

describe('Atom feed', () => {
  it('has the latest 50 decisions, newest first, with updated from the newest entry', async () => {
    const papers = makePapers(60)
    const files = await render(papers, {baseUrl: BASE})
    const xml = text(files, 'feed.xml')
    const feed = parseFeed(xml)
    expect(feed.meta.type).toBe('atom')
    expect(feed.title).toBe('MOPAC decisions')
    expect(feed.self).toBe(`${BASE}feed.xml`)
    expect(feed.items).toHaveLength(50)
    expect(feed.items.map((i) => i.title)).toEqual(papers.slice(0, 50).map((p) => `${p.id}: ${p.title}`))
    const first = feed.items[0]
    expect(first.url).toBe(`${BASE}decisions/pcd-2001/`)
    expect(first.id).toBe(`${BASE}decisions/pcd-2001/`)
    expect(first.categories.map((c) => c.term)).toEqual(['contracts', 'technology'])
    expect(first.authors.map((a) => a.name)).toEqual(['Deputy Mayor for Policing and Crime'])
    // Decision date 23 June 2026, 00:00 in London (BST) is 22 June 23:00 UTC.
    expect(first.updated?.toISOString()).toBe('2026-06-22T23:00:00.000Z')
    expect(feed.updated?.toISOString()).toBe('2026-06-22T23:00:00.000Z')
    const third = feed.items[2]
    // The one wording of the exemption table, in section order.
    expect(third.description).toContain('Exempt material withheld under section 31(1)(a) (law enforcement) and section 43 (commercial interests).')
    expect(xml).not.toContain('<generator')
  })

  it('orders by first publication when the release log has it, and takes updated from it', async () => {
    const old = makePaper(100, {title: 'An old decision published late'})
    const recent = makePaper(1)
    const files = await render([recent, old], {baseUrl: BASE, dates: {firstPublished: {[old.slug]: '2026-11-20T09:00:00Z'}}})
    const feed = parseFeed(text(files, 'feed.xml'))
    expect(feed.items.map((i) => i.title)).toEqual([`${old.id}: ${old.title}`, `${recent.id}: ${recent.title}`])
    expect(feed.updated?.toISOString()).toBe('2026-11-20T09:00:00.000Z')
    expect(feed.items[0].published?.toISOString()).toBe('2026-11-20T09:00:00.000Z')
  })

  it('escapes titles and tags', async () => {
    const files = await render([makePaper(1, {title: 'A <b>&</b> "B" ]]> C', tags: ['x & y', 'a"b<c'], summary: 'S ]]> <i>T</i>'})], {baseUrl: BASE})
    const xml = text(files, 'feed.xml')
    // The summary is HTML-escaped text inside CDATA, so "]]>" cannot end it early.
    expect(xml).toContain('<p>S ]]&gt; &lt;i&gt;T&lt;/i&gt;</p>]]></summary>')
    const feed = parseFeed(xml)
    expect(feed.items[0].title).toBe('PCD 2001: A <b>&</b> "B" ]]> C')
    expect(feed.items[0].categories.map((c) => c.term)).toEqual(['x & y', 'a"b<c'])
    expect(feed.items[0].description).toContain('S ]]> <i>T</i>')
  })

  it('is the same whatever the clock says', async () => {
    const papers = makePapers(3)
    const a = text(await render(papers, {baseUrl: BASE}), 'feed.xml')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const b = text(await render(papers, {baseUrl: BASE}), 'feed.xml')
    expect(b).toBe(a)
  })
})

describe('sitemap, robots.txt, canonical links', () => {
  it('lists exactly the public pages', async () => {
    const files = await render(makePapers(70), {baseUrl: BASE})
    const xml = text(files, 'sitemap.xml')
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(true)
    const listed = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1])
    const expected = htmlPages(files)
      .filter((p) => p !== '404.html' && p !== 'search/index.html')
      .map((p) => BASE + p.replace(/index\.html$/, ''))
    expect([...listed].sort()).toEqual([...expected].sort())
    expect(new Set(listed).size).toBe(listed.length)
    expect(listed).toContain(`${BASE}decisions/pcd-2001/`)
    expect(listed).toContain(`${BASE}page/2/`)
    expect(listed).toContain(`${BASE}accessibility/`)
    expect(listed).not.toContain(`${BASE}search/`)
    expect(text(files, 'robots.txt')).toBe(`User-agent: *\nAllow: /\n\nSitemap: ${BASE}sitemap.xml\n`)
  })

  it('gives each page its canonical URL and Open Graph tags from public metadata', async () => {
    const paper = makePaper(1)
    const files = await render([paper], {baseUrl: 'https://decisions.example.org/mopac'})
    const html = text(files, 'decisions/pcd-2001/index.html')
    expect(html).toContain(`<link rel="canonical" href="${BASE}decisions/pcd-2001/">`)
    expect(html).toContain(`<meta property="og:url" content="${BASE}decisions/pcd-2001/">`)
    expect(html).toContain(`<meta property="og:title" content="PCD 2001: ${paper.title}">`)
    expect(html).toContain(`<meta property="og:description" content="${paper.summary}">`)
    expect(html).toContain('<meta property="og:type" content="article">')
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="MOPAC decisions: latest decisions" href="../../feed.xml">')
    expect(text(files, 'index.html')).toContain(`<link rel="canonical" href="${BASE}">`)
    expect(text(files, '404.html')).toContain(`href="${BASE}search/"`)
  })

  it('without a base URL: no feed, no sitemap, no canonical links, root-relative 404 links', async () => {
    const files = await render(makePapers(3))
    expect(files.has('feed.xml')).toBe(false)
    expect(files.has('sitemap.xml')).toBe(false)
    expect(text(files, 'robots.txt')).toBe('User-agent: *\nAllow: /\n')
    for (const page of htmlPages(files)) {
      const html = text(files, page)
      expect(html).not.toContain('rel="canonical"')
      expect(html).not.toContain('og:url')
      expect(html).not.toContain('feed.xml')
    }
    expect(text(files, '404.html')).toContain('<a class="govuk-link" href="/search/">')
    expect(text(files, 'decisions.json')).toContain('"url": "decisions/pcd-2001/"')
  })
})

/**
 * Withdrawal and corrections, as GOV.UK does them: a withdrawn decision keeps
 * a page that is only its notice (in the sitemap and the feed, nowhere else),
 * and a corrected one shows "Last updated" and its change history.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {gunzipSync} from 'node:zlib'
import {parseFeed} from '@rowanmanning/feed-parser'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {SiteFiles} from '../../src/site/render.js'
import {nuHtmlCheck} from '../helpers/vnu.js'
import {BASE, htmlPages, listed, makePaper, parseCsv, render, text} from './helpers.js'

const enc = new TextEncoder()

/** What a withdrawn paper carried before; none of it may reach the site. */
const FORMER = {
  body: 'zqformerbodyword',
  markdown: 'zqformermarkdownword',
  attachment: 'zqformer-attachment-name.pdf',
  attachmentBytes: 'zqformerattachmentbytes',
  summary: 'zqformersummaryword',
  maker: 'zqformermakerword',
  tag: 'zqformertagword',
  exemption: 'zqformerexemptionword'
}
const WITHDRAWN_TITLE = 'Zqwithdrawn decision about a gateway contract'
const EXPLANATION = 'This decision was superseded by PCD 2100, which replaces the gateway contract.'
const LIVE_WORD = 'zqlivebodyword'

/**
 * The withdrawn paper as it would arrive if the gate left everything in place:
 * the site must still publish nothing of it but its identity and notice.
 */
const withdrawn = makePaper(3, {
  title: WITHDRAWN_TITLE,
  summary: FORMER.summary,
  decisionMaker: FORMER.maker,
  tags: ['contracts', FORMER.tag],
  exemptions: [{code: 's43', section: '43', title: FORMER.exemption}],
  withheld: 1,
  markdown: `# Former\n\n${FORMER.markdown}\n`,
  html: `<p>${FORMER.body}</p><p><a href="files/${FORMER.attachment}">${FORMER.attachment}</a></p>`,
  assets: [{target: `files/${FORMER.attachment}`, bytes: enc.encode(FORMER.attachmentBytes)}],
  withdrawn: {date: '2026-07-20', explanation: EXPLANATION},
  updates: [{date: '2026-07-01', note: 'Corrected the decision date in the notice.'}]
})
const updated = makePaper(2, {
  html: `<p>Public body with ${LIVE_WORD}.</p>`,
  updates: [
    {date: '2026-08-01', note: 'Corrected the contract value in the financial comments.'},
    {date: '2026-07-10', note: 'Added the procurement timetable.'}
  ]
})
const papers = [makePaper(1), updated, withdrawn, makePaper(4), makePaper(5), makePaper(6)]
const current = papers.filter((p) => p !== withdrawn)
const firstPublished = {[withdrawn.slug]: '2026-06-20T09:00:00Z', [updated.slug]: '2026-06-17T08:30:00Z'}

/** A file's text, gunzipped first when it is gzip. */
function readable(content: string | Uint8Array): string {
  if (typeof content === 'string') return content
  const bytes = content[0] === 0x1f && content[1] === 0x8b ? gunzipSync(content) : Buffer.from(content)
  return Buffer.from(bytes).toString('latin1')
}

/** Files naming `word` or holding it (the search index, which holds words in lower case, in any case). */
function filesContaining(files: SiteFiles, word: string): string[] {
  const holds = (name: string, text: string) => text.includes(word) || (name.startsWith('search-index/') && text.toLowerCase().includes(word.toLowerCase()))
  return [...files].filter(([name, content]) => name.includes(word) || holds(name, readable(content))).map(([name]) => name)
}

/** Every page of a paginated listing whose first page is `dir`. */
function allListed(files: SiteFiles, dir: string): string[] {
  const out: string[] = []
  for (let n = 1; files.has(n === 1 ? `${dir}index.html` : `${dir}page/${n}/index.html`); n++) out.push(...listed(text(files, n === 1 ? `${dir}index.html` : `${dir}page/${n}/index.html`)))
  return out
}

describe('a withdrawn decision', () => {
  let files: SiteFiles
  let page: string
  beforeAll(async () => {
    files = await render(papers, {baseUrl: BASE, dates: {firstPublished}})
    page = text(files, 'decisions/pcd-2003/index.html')
  })

  it('keeps its page: title, reference, decision date, first published and a prominent withdrawal notice', () => {
    expect(page).toContain('<title>[Withdrawn] PCD 2003: Zqwithdrawn decision about a gateway contract - MOPAC decisions</title>')
    expect(page).toContain(`<span class="govuk-caption-l">PCD 2003</span><h1 class="govuk-heading-l">${WITHDRAWN_TITLE}</h1>`)
    // GOV.UK's notification banner, a region named by its title, straight after the heading.
    expect(page).toContain(
      '</h1><div class="govuk-notification-banner" role="region" aria-labelledby="withdrawn-title"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="withdrawn-title">Withdrawn</h2></div>' +
        '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">This decision was withdrawn on <time datetime="2026-07-20">20 July 2026</time></p>' +
        `<p class="govuk-body">${EXPLANATION}</p></div></div>`
    )
    expect(page).toContain('<dt class="govuk-summary-list__key">Reference</dt><dd class="govuk-summary-list__value">PCD 2003</dd>')
    expect(page).toContain('<dt class="govuk-summary-list__key">Decision date</dt><dd class="govuk-summary-list__value"><time datetime="2026-06-09">9 June 2026</time></dd>')
    expect(page).toContain('<dt class="govuk-summary-list__key">First published</dt><dd class="govuk-summary-list__value"><time datetime="2026-06-20T09:00:00.000Z">20 June 2026 at 10:00 BST</time></dd>')
    expect(page).toContain(`<meta name="description" content="PCD 2003, decided 9 June 2026, was withdrawn on 20 July 2026.">`)
    expect(page).toContain('<meta property="article:modified_time" content="2026-07-20">')
    expect(page).toContain(`<link rel="canonical" href="${BASE}decisions/pcd-2003/">`)
  })

  it('has no body, Markdown link, attachments, exemptions, decision maker, tags or previous/next', () => {
    for (const gone of ['mopac-prose', 'Other formats', 'index.md', 'Attachments', 'Exemptions applied', 'Exempt material withheld', 'Decision maker', '>Tags<', 'article:tag', 'govuk-pagination', 'rel="prev"', 'rel="next"']) {
      expect(page, gone).not.toContain(gone)
    }
    expect(files.has('decisions/pcd-2003/index.md')).toBe(false)
    expect([...files.keys()].filter((name) => name.startsWith('decisions/pcd-2003/'))).toEqual(['decisions/pcd-2003/index.html'])
  })

  it('publishes nothing it carried before, in any file', () => {
    for (const word of Object.values(FORMER)) expect(filesContaining(files, word), word).toEqual([])
    // The scan reads the search index: a live paper's body word is found there.
    expect(filesContaining(files, LIVE_WORD).filter((name) => name.startsWith('search-index/')).length).toBeGreaterThan(0)
  })

  it('is in no listing, archive, tag page or previous/next link', () => {
    const titles = current.map((p) => p.title)
    expect(allListed(files, '')).toEqual(titles)
    expect(allListed(files, 'archive/2026/')).toEqual(titles)
    expect(allListed(files, 'tags/contracts/')).toEqual(current.filter((p) => p.tags.includes('contracts')).map((p) => p.title))
    expect(files.has(`tags/${FORMER.tag}/index.html`)).toBe(false)
    expect(text(files, 'archive/index.html')).toContain('>2026</a> (5 decisions)')
    // Its neighbours link past it.
    expect(text(files, 'decisions/pcd-2002/index.html')).toContain('<a class="govuk-link govuk-pagination__link" href="../pcd-2004/" rel="prev">')
    expect(text(files, 'decisions/pcd-2004/index.html')).toContain('<a class="govuk-link govuk-pagination__link" href="../pcd-2002/" rel="next">')
    // No page but its own names it or links to it.
    const naming = htmlPages(files).filter((name) => name !== 'decisions/pcd-2003/index.html' && /pcd-2003|PCD 2003|Zqwithdrawn/.test(text(files, name)))
    expect(naming).toEqual([])
  })

  it('is not searchable: its page is not indexed and no search file holds it', () => {
    expect(page).not.toContain('data-pagefind-body')
    expect(page).toContain('<div class="govuk-grid-row" data-pagefind-ignore="all"><div class="govuk-grid-column-two-thirds"><span class="govuk-caption-l">PCD 2003</span>')
    expect(JSON.parse(text(files, 'search-index/meta.json')).docs).toBe(current.length)
    for (const word of ['pcd-2003', 'PCD 2003', 'Zqwithdrawn', 'superseded']) {
      expect(filesContaining(files, word).filter((name) => name.startsWith('search-index/')), word).toEqual([])
    }
  })

  it('leaves the open data', () => {
    const data = JSON.parse(text(files, 'decisions.json'))
    expect(data.count).toBe(current.length)
    expect(data.decisions.map((d: {id: string}) => d.id)).toEqual(current.map((p) => p.id))
    const csv = text(files, 'decisions.csv')
    expect(parseCsv(csv).slice(1).map((row) => row[0])).toEqual(current.map((p) => p.id))
    for (const file of ['decisions.json', 'decisions.csv']) {
      expect(text(files, file)).not.toContain('PCD 2003')
      expect(text(files, file)).not.toContain('pcd-2003')
      expect(text(files, file)).not.toContain(WITHDRAWN_TITLE)
    }
  })

  it('stays in the sitemap, last modified on its withdrawal', () => {
    const xml = text(files, 'sitemap.xml')
    expect(xml).toContain(`<loc>${BASE}decisions/pcd-2003/</loc>\n    <lastmod>2026-07-20</lastmod>`)
  })

  it('has a feed entry: "Withdrawn: …", updated on the withdrawal date, with the explanation and nothing else of it', () => {
    const xml = text(files, 'feed.xml')
    const feed = parseFeed(xml)
    const entry = feed.items.find((i) => i.id === `${BASE}decisions/pcd-2003/`)
    expect(entry).toBeDefined()
    expect(entry?.title).toBe(`Withdrawn: PCD 2003: ${WITHDRAWN_TITLE}`)
    expect(entry?.url).toBe(`${BASE}decisions/pcd-2003/`)
    // 00:00 on 20 July 2026 in London (BST).
    expect(entry?.updated?.toISOString()).toBe('2026-07-19T23:00:00.000Z')
    expect(entry?.published?.toISOString()).toBe('2026-06-20T09:00:00.000Z')
    expect(entry?.description).toContain('was withdrawn on 20 July 2026.')
    expect(entry?.description).toContain(EXPLANATION)
    expect(entry?.categories).toEqual([])
    expect(entry?.authors.map((a) => a.name)).not.toContain(FORMER.maker)
    // Most recently updated first: the corrected paper (1 August), then the withdrawal (20 July), then the rest.
    expect(feed.items.map((i) => i.id)).toEqual([updated, withdrawn, ...current.filter((p) => p !== updated)].map((p) => `${BASE}decisions/${p.slug}/`))
  })

  it('keeps its change history on the notice page', () => {
    expect(page).toContain('<dt class="govuk-summary-list__key">Last updated</dt><dd class="govuk-summary-list__value"><time datetime="2026-07-01">1 July 2026</time></dd>')
    expect(page).toContain('Corrected the decision date in the notice.')
  })
})

describe('corrections (updates)', () => {
  let files: SiteFiles
  let page: string
  beforeAll(async () => {
    files = await render(papers, {baseUrl: BASE, dates: {firstPublished}})
    page = text(files, 'decisions/pcd-2002/index.html')
  })

  it('shows "Last updated" beside "First published"', () => {
    expect(page).toContain(
      '<dt class="govuk-summary-list__key">First published</dt><dd class="govuk-summary-list__value"><time datetime="2026-06-17T08:30:00.000Z">17 June 2026 at 09:30 BST</time></dd></div>' +
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Last updated</dt><dd class="govuk-summary-list__value"><time datetime="2026-08-01">1 August 2026</time></dd></div>'
    )
    expect(page).toContain('<meta property="article:modified_time" content="2026-08-01">')
    // A paper without corrections has no such row.
    expect(text(files, 'decisions/pcd-2001/index.html')).not.toContain('Last updated')
    expect(text(files, 'decisions/pcd-2001/index.html')).not.toContain('govuk-details')
  })

  it('lists every update, newest first, in a "Show all updates" details component ending with the first publication', () => {
    expect(page).toContain(
      '<details class="govuk-details" id="full-history"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show all updates</span></summary>' +
        '<div class="govuk-details__text"><ol class="govuk-list">' +
        '<li><strong><time datetime="2026-08-01">1 August 2026</time></strong><br>Corrected the contract value in the financial comments.</li>' +
        '<li><strong><time datetime="2026-07-10">10 July 2026</time></strong><br>Added the procurement timetable.</li>' +
        '<li><strong><time datetime="2026-06-17T08:30:00.000Z">17 June 2026</time></strong><br>First published.</li>' +
        '</ol></div></details>'
    )
    // The body and the Markdown link are still there.
    expect(page).toContain(`<p>Public body with ${LIVE_WORD}.</p>`)
    expect(page).toContain('This decision as Markdown')
  })

  it('orders updates by date whatever order they come in', async () => {
    const paper = makePaper(1, {updates: [{date: '2026-07-02', note: 'Older note.'}, {date: '2026-09-03', note: 'Newer note.'}]})
    const html = text(await render([paper]), 'decisions/pcd-2001/index.html')
    expect(html).toContain('<time datetime="2026-09-03">3 September 2026</time></dd>')
    expect(html.indexOf('Newer note.')).toBeLessThan(html.indexOf('Older note.'))
    expect(html).not.toContain('First published')
  })

  it('gives the feed entry the latest update as its updated time', () => {
    const feed = parseFeed(text(files, 'feed.xml'))
    const entry = feed.items.find((i) => i.id === `${BASE}decisions/pcd-2002/`)
    expect(entry?.title).toBe(`PCD 2002: ${updated.title}`)
    expect(entry?.updated?.toISOString()).toBe('2026-07-31T23:00:00.000Z')
    expect(entry?.published?.toISOString()).toBe('2026-06-17T08:30:00.000Z')
    expect(entry?.description).toContain('Updated 1 August 2026: Corrected the contract value in the financial comments.')
    expect(feed.updated?.toISOString()).toBe('2026-07-31T23:00:00.000Z')
  })

  it('keeps the feed entry’s updated time at its first publication when the update is not later', async () => {
    const paper = makePaper(1, {updates: [{date: '2026-08-01', note: 'Fixed a typo before release.'}]})
    const feed = parseFeed(text(await render([paper], {baseUrl: BASE, dates: {firstPublished: {[paper.slug]: '2026-08-01T10:00:00Z'}}}), 'feed.xml'))
    expect(feed.items[0].updated?.toISOString()).toBe('2026-08-01T10:00:00.000Z')
    expect(feed.items[0].published?.toISOString()).toBe('2026-08-01T10:00:00.000Z')
  })

  it('puts the latest update in the open data and the sitemap', () => {
    const data = JSON.parse(text(files, 'decisions.json'))
    const byId = new Map(data.decisions.map((d: {id: string; lastUpdated: string | null}) => [d.id, d.lastUpdated]))
    expect(byId.get('PCD 2002')).toBe('2026-08-01')
    expect(byId.get('PCD 2001')).toBeNull()
    const rows = parseCsv(text(files, 'decisions.csv'))
    expect(rows[0]).toEqual(['id', 'title', 'decision_date', 'first_published', 'decision_maker', 'summary', 'tags', 'exemptions', 'url', 'markdown_url', 'last_updated'])
    const row = rows.find((r) => r[0] === 'PCD 2002')
    expect(row?.[10]).toBe('2026-08-01')
    expect(row?.[3]).toBe('2026-06-17T08:30:00.000Z')
    expect(rows.find((r) => r[0] === 'PCD 2001')?.[10]).toBe('')
    expect(text(files, 'sitemap.xml')).toContain(`<loc>${BASE}decisions/pcd-2002/</loc>\n    <lastmod>2026-08-01</lastmod>`)
  })
})

describe('withdrawn and corrected pages', () => {
  let temp: string
  afterAll(() => {
    if (temp) fs.rmSync(temp, {recursive: true, force: true})
  })

  it('pass the Nu Html Checker', async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-withdrawn-'))
    const files = await render(papers, {baseUrl: BASE, dates: {firstPublished}})
    for (const [name, content] of files) {
      fs.mkdirSync(path.dirname(path.join(temp, name)), {recursive: true})
      fs.writeFileSync(path.join(temp, name), content)
    }
    const pages = ['decisions/pcd-2003/index.html', 'decisions/pcd-2002/index.html', 'decisions/pcd-2001/index.html', 'index.html'].map((p) => path.join(temp, p))
    const result = nuHtmlCheck(pages)
    expect(result.error).toBeUndefined()
    expect(result.output).toBe('')
    expect(result.status).toBe(0)
  }, 120_000)
})

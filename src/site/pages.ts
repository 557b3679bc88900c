/**
 * The HTML pages of the site, each made from public papers only.
 */
import {h} from 'hastscript'
import type {Element, ElementContent} from 'hast'
import type {PublicPaper} from '../publish/types.js'
import type {SiteConfig} from '../config/types.js'
import {formatLondonInstant} from '../time/london.js'
import {changeHistory, dateElement, decisionList, pagination, prevNext, summaryList, withdrawnNotice, type Row} from './components.js'
import {hrefFor, OGL_URL, raw, renderPage, type Href, type PageInput, type Section} from './layout.js'
import {
  exemptionProse,
  formatBytes,
  formatLongDate,
  hasWithheld,
  instantDate,
  latestDate,
  pageDir,
  PAGE_SIZE,
  tagDir,
  uniqueExemptions,
  updatesOf,
  yearDir,
  type TagGroup
} from './paths.js'

/** What every page needs to know about the whole site. */
export interface SiteContext {
  config: SiteConfig
  baseUrl?: string
  hasFeed: boolean
  years: {year: string; papers: PublicPaper[]}[]
  tags: TagGroup[]
  /** slug -> first-published instant (ISO, valid). */
  firstPublished: Map<string, string>
  /** Slugs whose first-published instant is the release log's (shown to the minute, London time). */
  exact?: Set<string>
}

type Common = Pick<PageInput, 'baseUrl' | 'hasFeed' | 'config'>
const common = (site: SiteContext): Common => ({baseUrl: site.baseUrl, hasFeed: site.hasFeed, config: site.config})

const ignore = {dataPagefindIgnore: 'all'}
const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`

function twoThirds(children: ElementContent[]): Element {
  return h('div.govuk-grid-row', [h('div.govuk-grid-column-two-thirds', children)])
}

/** The side column of listings: years, tags, open data. */
function browse(href: Href, site: SiteContext, current: {year?: string; tag?: string}): Element {
  const yearLinks = site.years.map(({year}) =>
    h('li', [h('a.govuk-link', {href: href(yearDir(year)), ariaCurrent: current.year === year ? 'page' : undefined}, year)])
  )
  const tagLinks = site.tags.map((tag) =>
    h('li', [h('a.govuk-link', {href: href(tagDir(tag.slug)), ariaCurrent: current.tag === tag.slug ? 'page' : undefined}, tag.name)])
  )
  return h('div.govuk-grid-column-one-third', ignore, [
    h('nav.mopac-side', {ariaLabelledBy: 'browse-years'}, [h('h2.govuk-heading-s#browse-years', 'Browse by year'), h('ul.mopac-chips', yearLinks)]),
    ...(tagLinks.length > 0 ? [h('nav.mopac-side', {ariaLabelledBy: 'browse-tags'}, [h('h2.govuk-heading-s#browse-tags', 'Browse by tag'), h('ul.mopac-chips', tagLinks)])] : []),
    h('div.mopac-side', [
      h('h2.govuk-heading-s', 'Open data'),
      h('ul.govuk-list', [
        h('li', [h('a.govuk-link', {href: href('decisions.csv')}, 'All decisions as CSV')]),
        h('li', [h('a.govuk-link', {href: href('decisions.json')}, 'All decisions as JSON')]),
        ...(site.hasFeed ? [h('li', [h('a.govuk-link', {href: href('feed.xml')}, 'Atom feed of the latest decisions')])] : [])
      ])
    ])
  ])
}

export interface Listing {
  /** Folder of the first page, e.g. `` (home), `archive/2019/`, `tags/technology/`. */
  dir: string
  title: string
  /** Sentence before the list, e.g. "Decisions made in 2019". */
  intro: string
  section: Section
  current: {year?: string; tag?: string}
}

/** Every page of one listing: output path -> HTML. */
export function listingPages(listing: Listing, papers: PublicPaper[], site: SiteContext): [string, string][] {
  const total = Math.max(1, Math.ceil(papers.length / PAGE_SIZE))
  const out: [string, string][] = []
  for (let n = 1; n <= total; n++) {
    const path = pageDir(listing.dir, n) + 'index.html'
    const href = hrefFor({path})
    const slice = papers.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)
    const first = (n - 1) * PAGE_SIZE + 1
    const counts =
      papers.length === 0
        ? 'No decisions have been published yet.'
        : total === 1
          ? `${plural(papers.length, 'decision')}, newest first.`
          : `Decisions ${first} to ${first + slice.length - 1} of ${papers.length}, newest first.`
    const title = total > 1 ? `${listing.title} (page ${n} of ${total})` : listing.title
    const main: ElementContent[] = [
      ...(total > 1 ? [h('span.govuk-caption-l', `Page ${n} of ${total}`)] : []),
      h('h1.govuk-heading-l', listing.title),
      h('p.govuk-body', listing.intro ? `${listing.intro} ${counts}` : counts),
      ...(slice.length > 0 ? [decisionList(href, slice, site.firstPublished)] : []),
      ...[pagination(href, listing.dir, n, total)].filter((e): e is Element => e !== undefined)
    ]
    out.push([
      path,
      renderPage({
        ...common(site),
        path,
        title,
        section: listing.section,
        description: `${listing.title}: ${counts}`,
        body: [h('div.govuk-grid-row', [h('div.govuk-grid-column-two-thirds', main), browse(href, site, listing.current)])]
      })
    ])
  }
  return out
}

/** The archive index: years and tags with their counts. */
export function archivePage(site: SiteContext): string {
  const path = 'archive/index.html'
  const href = hrefFor({path})
  return renderPage({
    ...common(site),
    path,
    title: 'Browse decisions by year or tag',
    section: 'archive',
    body: [
      twoThirds([
        h('h1.govuk-heading-l', 'Browse decisions by year or tag'),
        h('h2.govuk-heading-m', 'By year'),
        h('ul.govuk-list', site.years.map(({year, papers}) => h('li', [h('a.govuk-link', {href: href(yearDir(year))}, year), ` (${plural(papers.length, 'decision')})`]))),
        h('h2.govuk-heading-m', 'By tag'),
        site.tags.length > 0
          ? h('ul.govuk-list', site.tags.map((tag) => h('li', [h('a.govuk-link', {href: href(tagDir(tag.slug))}, tag.name), ` (${plural(tag.papers.length, 'decision')})`])))
          : h('p.govuk-body', 'No decision has a tag yet.')
      ])
    ]
  })
}

/** One decision's page; a withdrawn one keeps its identity, dates and the notice alone. */
export function paperPage(paper: PublicPaper, older: PublicPaper | undefined, newer: PublicPaper | undefined, site: SiteContext, tagSlugs: Map<string, string>): string {
  const path = `decisions/${paper.slug}/index.html`
  const href = hrefFor({path})
  const firstPublished = site.firstPublished.get(paper.slug)
  const firstDate = instantDate(firstPublished)
  const updates = updatesOf(paper)
  const lastUpdated = updates[0]?.date
  const withdrawn = paper.withdrawn
  const dates: Row[] = [
    {key: 'Reference', value: paper.id},
    {key: 'Decision date', value: [dateElement(paper.date)]},
    ...(firstPublished && firstDate ? [{key: 'First published', value: [h('time', {dateTime: firstPublished}, site.exact?.has(paper.slug) ? formatLondonInstant(new Date(firstPublished)) : formatLongDate(firstDate))]}] : []),
    ...(lastUpdated ? [{key: 'Last updated', value: [dateElement(lastUpdated)]}] : [])
  ]
  const history = updates.length > 0 ? [changeHistory(updates, firstPublished && firstDate ? {iso: firstPublished, date: firstDate} : undefined)] : []
  const modified = latestDate(lastUpdated, withdrawn?.date)
  const head = [
    h('meta', {property: 'article:published_time', content: firstPublished ?? paper.date}),
    ...(modified ? [h('meta', {property: 'article:modified_time', content: modified})] : [])
  ]

  if (withdrawn) {
    // Why: a withdrawn decision is a notice, not a document: none of its body,
    // files, Markdown or descriptive metadata, and nothing of it in search.
    return renderPage({
      ...common(site),
      path,
      title: `[Withdrawn] ${paper.id}: ${paper.title}`,
      description: `${paper.id}, decided ${formatLongDate(paper.date)}, was withdrawn on ${formatLongDate(withdrawn.date)}.`,
      section: 'decisions',
      ogType: 'article',
      head,
      body: [
        h('div.govuk-grid-row', ignore, [
          h('div.govuk-grid-column-two-thirds', [
            h('span.govuk-caption-l', paper.id),
            h('h1.govuk-heading-l', paper.title),
            withdrawnNotice(withdrawn),
            summaryList(dates),
            ...history
          ])
        ])
      ]
    })
  }

  const exemptions = uniqueExemptions(paper)
  const rows: Row[] = [
    ...dates,
    ...(paper.decisionMaker ? [{key: 'Decision maker', value: paper.decisionMaker}] : []),
    ...(paper.tags.length > 0
      ? [
          {
            key: 'Tags',
            value: [
              h(
                'ul.mopac-chips',
                [...new Set(paper.tags)].map((tag) => h('li', [h('a.govuk-link', {href: href(tagDir(tagSlugs.get(tag) ?? '')), dataPagefindIgnore: 'all'}, tag)]))
              )
            ]
          }
        ]
      : []),
    ...(exemptions.length > 0
      ? [{key: 'Exemptions applied', value: [h('ul.govuk-list', exemptions.map((e: PublicPaper['exemptions'][number]) => h('li', `Section ${e.section}: ${e.title}`)))]}]
      : [])
  ]
  const prose = exemptionProse(paper)
  const notice = hasWithheld(paper)
    ? [
        h('div.govuk-inset-text', ignore, [
          h('strong', 'Exempt material withheld. '),
          prose
            ? `Some material in this decision is exempt from publication under ${prose} of the Freedom of Information Act 2000 and has been withheld. Each place it was removed is marked.`
            : 'Some material in this decision is exempt from publication under the Freedom of Information Act 2000 and has been withheld. Each place it was removed is marked.'
        ])
      ]
    : []
  const attachments =
    paper.assets.length > 0
      ? [
          h('h2.govuk-heading-m', 'Attachments'),
          h(
            'ul.govuk-list',
            [...paper.assets]
              .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
              .map((asset) => {
                const name = asset.target.split('/').pop() ?? asset.target
                const ext = name.includes('.') ? name.split('.').pop()!.toUpperCase() : 'File'
                return h('li', [h('a.govuk-link', {href: asset.target.split('/').map(encodeURIComponent).join('/')}, name), ` (${ext}, ${formatBytes(asset.bytes.byteLength)})`])
              })
          )
        ]
      : []
  const nav = prevNext(href, older, newer)
  return renderPage({
    ...common(site),
    path,
    title: `${paper.id}: ${paper.title}`,
    description: paper.summary ?? `${paper.id}, decided ${formatLongDate(paper.date)}.`,
    section: 'decisions',
    ogType: 'article',
    searchable: true,
    head: [...head, ...[...new Set(paper.tags)].map((tag) => h('meta', {property: 'article:tag', content: tag}))],
    body: [
      twoThirds([
        h('span.govuk-caption-l', paper.id),
        h('h1.govuk-heading-l', paper.title),
        ...(paper.summary ? [h('p.govuk-body-l', paper.summary)] : []),
        ...notice,
        summaryList(rows),
        ...history,
        h('div.mopac-prose', [raw(paper.html)]),
        ...attachments,
        h('h2.govuk-heading-m', ignore, 'Other formats'),
        h('p.govuk-body', ignore, [h('a.govuk-link', {href: 'index.md', type: 'text/markdown'}, 'This decision as Markdown'), ' (the public text, with withheld material marked)']),
        ...(nav ? [h('div', ignore, [nav])] : [])
      ])
    ]
  })
}

/** The search page: the Pagefind UI, with a way through without JavaScript. */
export function searchPage(site: SiteContext): string {
  const path = 'search/index.html'
  const href = hrefFor({path})
  return renderPage({
    ...common(site),
    path,
    title: 'Search decisions',
    section: 'search',
    noindex: true,
    head: [h('link', {rel: 'stylesheet', href: href('pagefind/pagefind-ui.css')})],
    body: [
      twoThirds([
        h('h1.govuk-heading-l', 'Search decisions'),
        h('div#search.mopac-search'),
        h('noscript', [
          h('p.govuk-body', [
            'Search needs JavaScript, which is off in your browser. You can ',
            h('a.govuk-link', {href: href('archive/')}, 'browse decisions by year or tag'),
            ' or see ',
            h('a.govuk-link', {href: href('')}, 'all decisions'),
            ' instead.'
          ])
        ])
      ])
    ],
    scripts: [h('script', {src: href('pagefind/pagefind-ui.js')}), h('script', {src: href('assets/search.js')})]
  })
}

/** The page any static server can show for a missing address. */
export function notFoundPage(site: SiteContext, css: string): string {
  const path = '404.html'
  const href = hrefFor({path, baseUrl: site.baseUrl, standalone: {css}})
  return renderPage({
    ...common(site),
    path,
    title: 'Page not found',
    section: 'none',
    noindex: true,
    standalone: {css},
    body: [
      twoThirds([
        h('h1.govuk-heading-l', 'Page not found'),
        h('p.govuk-body', 'If you typed the web address, check it is correct.'),
        h('p.govuk-body', 'If you pasted the web address, check you copied the entire address.'),
        h('p.govuk-body', ['You can find decisions on the ', h('a.govuk-link', {href: href('')}, 'list of all decisions'), ' or ', h('a.govuk-link', {href: href('search/')}, 'search for a decision'), '.'])
      ])
    ]
  })
}

/** A plain text page: a heading and paragraphs or lists. */
function textPage(site: SiteContext, path: string, title: string, content: ElementContent[]): string {
  return renderPage({...common(site), path, title, section: 'none', body: [twoThirds([h('h1.govuk-heading-l', title), ...content])]})
}

const p = (...children: Inline[]) => h('p.govuk-body', children)
const h2 = (text: string) => h('h2.govuk-heading-m', text)
type Inline = string | ElementContent
const bullets = (items: (string | Inline[])[]) => h('ul.govuk-list.govuk-list--bullet', items.map((item) => h('li', typeof item === 'string' ? [item] : item)))

export function accessibilityPage(site: SiteContext): string {
  const path = 'accessibility/index.html'
  const href = hrefFor({path})
  return textPage(site, path, 'Accessibility statement', [
    p(`This accessibility statement applies to the ${site.config.site.name} website, which publishes decisions of the ${site.config.organisation.name} (${site.config.organisation.shortName}).`),
    p('We want as many people as possible to be able to use this website. For example, that means you should be able to:'),
    bullets([
      'change colours, contrast levels and fonts using browser or device settings',
      'zoom in up to 400% without the text spilling off the screen',
      'navigate the whole website using just a keyboard',
      'read every decision, and browse them by year and by tag, without JavaScript',
      'listen to the website using a screen reader'
    ]),
    h2('How accessible this website is'),
    p('We know some parts of this website are not fully accessible:'),
    bullets([
      ['search needs JavaScript; without it, you can ', h('a.govuk-link', {href: href('archive/')}, 'browse decisions by year or tag'), ' instead'],
      'some attachments to decisions, such as charts, may not be fully accessible'
    ]),
    p('Where material has been withheld under the Freedom of Information Act 2000, a notice in the text says so and names the exemption. These notices are part of the page text, so screen readers announce them.'),
    h2('Feedback and contact information'),
    p('If you need information on this website in a different format, or find a problem not listed on this page, contact MOPAC through ', h('a.govuk-link', {href: 'https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime'}, 'its pages on london.gov.uk'), '.'),
    h2('Enforcement procedure'),
    p('The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the accessibility regulations). If you are not happy with how we respond to your complaint, ', h('a.govuk-link', {href: 'https://www.equalityadvisoryservice.com/'}, 'contact the Equality Advisory and Support Service (EASS)'), '.'),
    h2('Technical information about this website’s accessibility'),
    p('MOPAC is committed to making its website accessible, in accordance with the accessibility regulations. This website is built with the patterns of the GOV.UK Design System and aims to meet the Web Content Accessibility Guidelines version 2.2 AA standard.'),
    p('Every build is checked with automated tests (axe-core for WCAG 2.2 A and AA, and the Nu Html Checker) and by keyboard-only navigation in a browser. Automated tests do not find every problem; a manual audit has not yet been carried out.')
  ])
}

export function privacyPage(site: SiteContext): string {
  const path = 'privacy/index.html'
  const href = hrefFor({path})
  return textPage(site, path, 'Privacy', [
    p('This website publishes decisions. It does not ask you for any personal information.'),
    h2('Cookies and tracking'),
    p('This website does not set cookies and does not use analytics, advertising or tracking of any kind.'),
    h2('Search'),
    p('Search runs in your browser. The words you search for are not sent to us: your browser downloads parts of a search index and looks them up itself.'),
    h2('Web server logs'),
    p('Like any website, the web server that hosts these pages may record technical information about each request, such as your IP address, the page asked for and the time, to keep the service secure and running. Any such records are kept only as long as needed for that purpose.'),
    h2('Personal information in decisions'),
    p('Personal information that is exempt from publication under section 40 of the Freedom of Information Act 2000 is removed from decisions before they are published, and the place it was removed is marked.'),
    h2('Contact'),
    p('To ask about how MOPAC handles personal information, contact MOPAC through ', h('a.govuk-link', {href: 'https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime'}, 'its pages on london.gov.uk'), '.'),
    p('You can also see ', h('a.govuk-link', {href: href('accessibility/')}, 'the accessibility statement'), '.')
  ])
}

export function dataPage(site: SiteContext): string {
  const path = 'data/index.html'
  const href = hrefFor({path})
  return textPage(site, path, 'Open data', [
    p('The public details of every published decision are available to download and reuse under the ', h('a.govuk-link', {href: OGL_URL, rel: 'license'}, 'Open Government Licence v3.0'), '.'),
    bullets([
      [h('a.govuk-link', {href: href('decisions.csv')}, 'decisions.csv'), ': one row per decision (comma-separated values, UTF-8, RFC 4180)'],
      [h('a.govuk-link', {href: href('decisions.json')}, 'decisions.json'), ': the same details as JSON'],
      ...(site.hasFeed ? [[h('a.govuk-link', {href: href('feed.xml')}, 'feed.xml'), ': an Atom feed of the latest 50 decisions'] as Inline[]] : []),
      ['each decision’s text as Markdown, linked from its page']
    ]),
    h2('What the files contain'),
    p('For each decision: its reference, title, decision date, first published date (when known), decision maker, summary, tags, the Freedom of Information Act exemptions under which material was withheld, its address on this website and the date of its latest correction (when it has one). Decisions are listed newest first. A decision that has been withdrawn is not in the files; its page says when and why it was withdrawn.'),
    h2('Spreadsheet safety'),
    p('So that a spreadsheet never runs a value as a formula, any CSV value that begins with =, +, -, @, a tab or a carriage return starts with an apostrophe (\'). Remove it if you process the file with a program rather than a spreadsheet.')
  ])
}

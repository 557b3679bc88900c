/**
 * The HTML pages of the site, each made from public papers only.
 */
import {h} from '../vendor/index.js'
import type {Element, ElementContent} from 'hast'
import type {PublicPaper} from '../publish/types.js'
import type {SiteConfig} from '../config/types.js'
import {exemptionPhrase, exemptionTest, publicInterestSentence, sortExemptions, underTheAct} from '../content/exemptions.js'
import {formatLondonInstant} from '../time/london.js'
import {changeHistory, dateElement, decisionList, pagination, prevNext, summaryList, withdrawnNotice, type Row} from './components.js'
import {hrefFor, OGL_URL, raw, renderPage, type Href, type PageInput, type Section} from './layout.js'
import type {SiteMemo} from './memo.js'
import {
  ABOUT_WITHHELD_DIR,
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
export const common = (site: SiteContext): Common => ({baseUrl: site.baseUrl, hasFeed: site.hasFeed, config: site.config})

const ignore = {dataPagefindIgnore: 'all'}
const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`

export function twoThirds(children: ElementContent[]): Element {
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

/**
 * Every page of one listing: output path -> HTML, or undefined for a page
 * `memo` keeps from the live site (made from the same papers and site).
 */
export function listingPages(listing: Listing, papers: PublicPaper[], site: SiteContext, memo?: SiteMemo): [string, string | undefined][] {
  const total = Math.max(1, Math.ceil(papers.length / PAGE_SIZE))
  const out: [string, string | undefined][] = []
  // What the side column reads of the site.
  const side = memo ? [site.years.map(({year}) => year), site.tags.map((tag) => [tag.name, tag.slug])] : undefined
  for (let n = 1; n <= total; n++) {
    const path = pageDir(listing.dir, n) + 'index.html'
    const href = hrefFor({path})
    const slice = papers.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE)
    if (memo?.same(path, slice, [listing, n, total, papers.length, slice.map((p) => site.firstPublished.get(p.slug) ?? null), side])) {
      out.push([path, undefined])
      continue
    }
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

  // In section order, as every wording of them is (src/content/exemptions.ts).
  const order = sortExemptions(uniqueExemptions(paper).map((e) => e.code))
  const exemptions = [...uniqueExemptions(paper)].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code))
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
      ? [
          {
            key: 'Exemptions applied',
            // Each in the one wording, and whether the public interest test applied (qualified) or not (absolute).
            value: [
              h(
                'ul.govuk-list',
                exemptions.map((e: PublicPaper['exemptions'][number]) => {
                  const test = exemptionTest(e.code)
                  return h('li', [exemptionPhrase(e.code), ...(test ? ['. ', publicInterestSentence(test)] : [])])
                })
              )
            ]
          }
        ]
      : [])
  ]
  const codes = exemptions.map((e: PublicPaper['exemptions'][number]) => e.code)
  const notice = hasWithheld(paper)
    ? [
        h('div.govuk-inset-text', ignore, [
          h('p.govuk-body', [
            h('strong', 'Exempt material withheld. '),
            codes.length > 0
              ? `Some material in this decision is exempt from publication under ${underTheAct(codes)} and has been withheld. Each place it was removed is marked.`
              : 'Some material in this decision is exempt from publication under the Freedom of Information Act 2000 and has been withheld. Each place it was removed is marked.'
          ]),
          h('p.govuk-body', [h('a.govuk-link', {href: href(ABOUT_WITHHELD_DIR)}, 'About withheld information'), ': what the exemptions mean, and how to ask for withheld material, ask for a review or complain.'])
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
        // Why the line break: text taken from the page (search excerpts, reader mode) keeps the two apart.
        {type: 'text', value: '\n'},
        h('h1.govuk-heading-l', paper.title),
        ...(paper.summary ? [h('p.govuk-body-l', paper.summary)] : []),
        ...notice,
        // Not in search excerpts (the results show the reference and date apart).
        h('div', {dataPagefindIgnore: 'index'}, [summaryList(rows)]),
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

/**
 * The search page, in GOV.UK's patterns: a labelled search box with its
 * button, year and tag filters as small checkboxes, and the results as a list
 * of linked titles with reference, decision date and an excerpt, under "N
 * results for ...". The form and the filters are written here; the script
 * (./search.ts) shows them, reads the address (`?q=cctv&year=2024&tag=...`),
 * looks the words up in the search index and writes the results. Without JavaScript the page says how
 * to find decisions instead.
 */
export function searchPage(site: SiteContext): string {
  const path = 'search/index.html'
  const href = hrefFor({path})
  const checkbox = (name: string, value: string, i: number) =>
    h('div.govuk-checkboxes__item', [
      h('input.govuk-checkboxes__input', {id: `${name}-${i}`, name, type: 'checkbox', value}),
      h('label.govuk-label.govuk-checkboxes__label', {htmlFor: `${name}-${i}`}, value)
    ])
  const filter = (name: string, legend: string, values: string[]) =>
    h('div.govuk-form-group', [
      h('fieldset.govuk-fieldset', [
        h('legend.govuk-fieldset__legend.govuk-fieldset__legend--s', legend),
        h('div.govuk-checkboxes.govuk-checkboxes--small', {dataModule: 'govuk-checkboxes'}, values.map((value, i) => checkbox(name, value, i + 1)))
      ])
    ])
  const noScript = [
    'Search needs JavaScript. If it is off or not working in your browser, you can ',
    h('a.govuk-link', {href: href('archive/')}, 'browse decisions by year or tag'),
    ' or see ',
    h('a.govuk-link', {href: href('')}, 'all decisions'),
    ' instead.'
  ]
  return renderPage({
    ...common(site),
    path,
    title: 'Search decisions',
    section: 'search',
    noindex: true,
    head: [h('link', {rel: 'stylesheet', href: href('assets/search.css')})],
    body: [
      // Why hidden until the script runs: without JavaScript a search box that cannot search only misleads.
      h('form.mopac-search-form#search-form', {action: './', method: 'get', role: 'search', ariaLabel: 'Decisions', hidden: true, dataBundle: href('search-index/'), dataRoot: href('')}, [
        h('div.govuk-grid-row', [
          h('div.govuk-grid-column-two-thirds', [
            h('div.govuk-form-group', [
              h('h1.govuk-label-wrapper', [h('label.govuk-label.govuk-label--l', {htmlFor: 'search-q'}, 'Search decisions')]),
              // Why no example reference ("PCD 1065"): a reference in the site's own text would
              // make every reference look like site text to the leak check (src/verify/site-text.ts).
              h('div.govuk-hint#search-q-hint', 'Search by a decision’s reference or title, or by words in it.'),
              h('div.mopac-search-bar', [
                h('input.govuk-input#search-q', {name: 'q', type: 'search', spellCheck: 'false', autoComplete: 'off', ariaDescribedBy: 'search-q-hint'}),
                h('button.govuk-button', {type: 'submit', dataModule: 'govuk-button'}, 'Search')
              ])
            ])
          ])
        ]),
        // Results before the filters, so that on a phone they come first;
        // on a wider screen the filters stand to their left.
        h('div.govuk-grid-row', [
          h('div.govuk-grid-column-two-thirds.mopac-results-column', [
            h('p.govuk-body.mopac-results__count#search-status', {role: 'status'}),
            h('div#search-results')
          ]),
          h('div.govuk-grid-column-one-third.mopac-filters', [
            h('h2.govuk-heading-m', 'Filter results'),
            ...(site.years.length > 0 ? [filter('year', 'Decision year', site.years.map(({year}) => year))] : []),
            ...(site.tags.length > 0 ? [filter('tag', 'Tag', site.tags.map((tag) => tag.name))] : []),
            h('button.govuk-button.govuk-button--secondary', {type: 'submit', dataModule: 'govuk-button'}, 'Apply filters')
          ])
        ])
      ]),
      // Shown until the script takes over, and again if search cannot start: without JavaScript, or in a browser it does not support.
      h('div#search-fallback', [twoThirds([h('h1.govuk-heading-l', 'Search decisions'), h('p.govuk-body', noScript)])])
    ],
    scripts: [h('script', {src: href('assets/search.js')})]
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
export function textPage(site: SiteContext, path: string, title: string, content: ElementContent[]): string {
  return renderPage({...common(site), path, title, section: 'none', body: [twoThirds([h('h1.govuk-heading-l', title), ...content])]})
}

export const p = (...children: Inline[]) => h('p.govuk-body', children)
export const h2 = (text: string) => h('h2.govuk-heading-m', text)
export type Inline = string | ElementContent
export const bullets = (items: (string | Inline[])[]) => h('ul.govuk-list.govuk-list--bullet', items.map((item) => h('li', typeof item === 'string' ? [item] : item)))

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

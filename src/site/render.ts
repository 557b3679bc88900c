/**
 * The public site, made from public papers alone: listing, paper pages with
 * their public Markdown and files, year archives, the stylesheet.
 */
import {h} from 'hastscript'
import type {ElementContent} from 'hast'
import {formatLongDate} from '../time/london.js'
import type {PublicPaper, PublicationDates} from '../publish/types.js'
import {raw, renderPage, rootOf} from './layout.js'
import {siteCss} from './style.js'

export interface SiteOptions {
  baseUrl?: string
  dates?: PublicationDates
}

/** Output path -> content. */
export type SiteFiles = Map<string, string | Uint8Array>

/** Newest decision first; ties by id so the order is stable. */
export function byNewest(a: PublicPaper, b: PublicPaper): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id, 'en', {numeric: true})
}

export function renderSite(papers: PublicPaper[], options: SiteOptions = {}): SiteFiles {
  const files: SiteFiles = new Map()
  const sorted = [...papers].sort(byNewest)
  const years = [...new Set(sorted.map((p) => p.date.slice(0, 4)))].sort().reverse()

  files.set('assets/site.css', siteCss)
  files.set('index.html', listingPage('index.html', 'Decisions', sorted, years, options))
  for (const year of years) {
    const path = `archive/${year}/index.html`
    files.set(path, listingPage(path, `Decisions in ${year}`, sorted.filter((p) => p.date.startsWith(year)), years, options))
  }
  for (const paper of sorted) {
    const dir = `decisions/${paper.slug}/`
    files.set(dir + 'index.html', paperPage(dir + 'index.html', paper, options))
    files.set(dir + 'index.md', paper.markdown)
    for (const asset of paper.assets) files.set(dir + asset.target, asset.bytes)
  }
  return files
}

function exemptionSummary(paper: PublicPaper): string {
  return paper.exemptions.map((e) => `s${e.section}`).join(', ')
}

function listingPage(path: string, title: string, papers: PublicPaper[], years: string[], options: SiteOptions): string {
  const root = rootOf(path)
  const items: ElementContent[] = papers.map((paper) =>
    h('li.decision', [
      h('h2.decision-title', [h('a', {href: `${root}decisions/${paper.slug}/`}, paper.title)]),
      h('dl.decision-meta', [
        h('dt', 'Reference'), h('dd', paper.id),
        h('dt', 'Decision date'), h('dd', [h('time', {dateTime: paper.date}, formatLongDate(paper.date))]),
        ...(paper.decisionMaker ? [h('dt', 'Decision maker'), h('dd', paper.decisionMaker)] : []),
        ...(paper.exemptions.length > 0 ? [h('dt', 'Exempt material'), h('dd', `Withheld under ${exemptionSummary(paper)}`)] : [])
      ]),
      ...(paper.summary ? [h('p', paper.summary)] : [])
    ])
  )
  return renderPage({
    path,
    title,
    baseUrl: options.baseUrl,
    body: [
      h('h1', title),
      h('nav', {ariaLabel: 'Archive by year'}, [h('h2', 'Archive by year'), h('ul.years', years.map((y) => h('li', [h('a', {href: `${root}archive/${y}/`}, y)])))]),
      papers.length > 0 ? h('ol.decisions', items) : h('p', 'No decisions have been published yet.')
    ]
  })
}

function paperPage(path: string, paper: PublicPaper, options: SiteOptions): string {
  const firstPublished = options.dates?.firstPublished[paper.slug]
  const meta: ElementContent[] = [
    h('dt', 'Reference'), h('dd', paper.id),
    h('dt', 'Decision date'), h('dd', [h('time', {dateTime: paper.date}, formatLongDate(paper.date))]),
    ...(firstPublished ? [h('dt', 'First published'), h('dd', [h('time', {dateTime: firstPublished.slice(0, 10)}, formatLongDate(firstPublished.slice(0, 10)))])] : []),
    ...(paper.decisionMaker ? [h('dt', 'Decision maker'), h('dd', paper.decisionMaker)] : []),
    ...(paper.tags.length > 0 ? [h('dt', 'Tags'), h('dd', paper.tags.join(', '))] : [])
  ]
  const exemptions: ElementContent[] =
    paper.exemptions.length > 0
      ? [
          h('section.exemptions', {ariaLabelledBy: 'exemptions-heading'}, [
            h('h2#exemptions-heading', 'Exempt material withheld'),
            h('p', 'Some material in this decision is exempt from publication under the Freedom of Information Act 2000:'),
            h('ul', paper.exemptions.map((e) => h('li', `Section ${e.section}: ${e.title}`)))
          ])
        ]
      : []
  return renderPage({
    path,
    title: paper.title,
    description: paper.summary,
    baseUrl: options.baseUrl,
    body: [
      h('p.caption', paper.id),
      h('h1', paper.title),
      ...(paper.summary ? [h('p.lead', paper.summary)] : []),
      h('dl.paper-meta', meta),
      ...exemptions,
      h('article.paper-body', [raw(paper.html)]),
      h('p.source', [h('a', {href: 'index.md'}, 'This decision as Markdown')])
    ]
  })
}

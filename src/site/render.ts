/**
 * The public site, made from public papers alone (and the release log's
 * first-published dates): listings, year and tag archives, paper pages with
 * their public Markdown and files, search, feeds, open data, and the static
 * pages. A withdrawn paper keeps its page as a notice, in the sitemap and
 * the feed, and leaves everything else. Imports nothing from the pipeline:
 * only public types, London time and its own modules. Output depends on the
 * input alone (no clock, no random names), so the same papers always make the
 * same bytes.
 */
import type {PublicPaper, PublicationDates} from '../publish/types.js'
import {DEFAULT_CONFIG} from '../config/defaults.js'
import type {SiteConfig} from '../config/types.js'
import {decisionsCsv, decisionsJson, records} from './data.js'
import {atomFeed, robotsTxt, sitemap} from './feeds.js'
import {
  archivePage,
  dataPage,
  listingPages,
  notFoundPage,
  common,
  paperPage,
  searchPage,
  type SiteContext
} from './pages.js'
import {aboutWithheldPage, accessibilityPage, privacyPage} from './statements.js'
import {ABOUT_WITHHELD_DIR, byNewest, firstPublishedOf, groupTags, instantDate, lastUpdatedOf, latestDate, paperDir, shownPaper, tagDir, tagSlug, yearDir} from './paths.js'
import {FAVICON_SVG} from './layout.js'
import {searchIndexFor, searchScript} from './search.js'
import {SiteMemo, type LiveKeys} from './memo.js'
import {searchCss, siteCss} from './style.generated.js'

export {byNewest}

export interface SiteOptions {
  /** Absolute site URL; enables canonical links, og:url, feed.xml and sitemap.xml. Wins over `config.site.baseUrl`. */
  baseUrl?: string
  dates?: PublicationDates
  /** The site configuration (`mopac.config.json`); MOPAC's defaults when absent. */
  config?: SiteConfig
}

/** Output path -> content. */
export type SiteFiles = Map<string, string | Uint8Array>

/** Pages left out of the sitemap and the search index. */
const NOT_LISTED = new Set(['404.html', 'search/index.html'])

function normaliseBase(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined
  const url = new URL(baseUrl)
  url.search = ''
  url.hash = ''
  return url.href.endsWith('/') ? url.href : url.href + '/'
}

/** A paper's file target must stay inside its folder and not replace its page. */
function checkTarget(paper: PublicPaper, target: string): void {
  const parts = target.split('/')
  if (target.startsWith('/') || target.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..') || target === 'index.html' || target === 'index.md') {
    throw new Error(`File target \`${target}\` of ${paper.id} would leave its folder or replace its page`)
  }
}

/** What every page of a site is rendered from: made once from the public papers. */
export interface SitePlan {
  site: SiteContext
  /** Every paper the site has, withdrawn ones reduced to their notice, newest first. */
  all: PublicPaper[]
  /** The current ones (not withdrawn), newest first. */
  sorted: PublicPaper[]
  tagSlugs: Map<string, string>
  /** Slug -> position in `sorted`. */
  order: Map<string, number>
}

export function planSite(papers: PublicPaper[], options: SiteOptions = {}): SitePlan {
  const config = options.config ?? DEFAULT_CONFIG
  const baseUrl = normaliseBase(options.baseUrl ?? config.site.baseUrl)
  // Every paper the site has, withdrawn ones reduced to their notice.
  const all = papers.map(shownPaper).sort(byNewest)
  // Why: a withdrawn decision keeps its page (the notice), its sitemap entry
  // and a feed entry, and leaves everything else: listings, archives,
  // previous/next, search and open data are made from the current ones only.
  const sorted = all.filter((p) => !p.withdrawn)
  const firstPublished = new Map<string, string>()
  const exact = new Set<string>()
  for (const paper of all) {
    const iso = firstPublishedOf(paper, options.dates?.firstPublished)
    if (iso) firstPublished.set(paper.slug, iso)
    // An instant from the release log (not a decision date standing in for it).
    if (iso && /T/.test(options.dates?.firstPublished[paper.slug] ?? '')) exact.add(paper.slug)
  }
  const yearNames = [...new Set(sorted.map((p) => p.date.slice(0, 4)))].sort().reverse()
  const tags = groupTags(sorted)
  const tagSlugs = new Map<string, string>()
  for (const paper of sorted) for (const tag of paper.tags) tagSlugs.set(tag, tagSlug(tag))
  const site: SiteContext = {
    config,
    baseUrl,
    hasFeed: Boolean(baseUrl),
    years: yearNames.map((year) => ({year, papers: sorted.filter((p) => p.date.startsWith(year))})),
    tags,
    firstPublished,
    exact
  }
  return {site, all, sorted, tagSlugs, order: new Map(sorted.map((p, i) => [p.slug, i]))}
}

/**
 * The page of one paper as `renderSite` writes it (its path and HTML), or
 * undefined when the site has no page for that slug. The preview shows
 * reviewers this, so what they approve is the public page itself.
 */
export function paperPageOf(plan: SitePlan, slug: string): [string, string] | undefined {
  const {site, all, sorted, tagSlugs} = plan
  const i = plan.order.get(slug)
  // The list is newest first: the next (newer) decision is before it.
  if (i !== undefined) return [paperDir(sorted[i]) + 'index.html', paperPage(sorted[i], sorted[i + 1], sorted[i - 1], site, tagSlugs)]
  const withdrawn = all.find((p) => p.slug === slug && p.withdrawn)
  return withdrawn ? [paperDir(withdrawn) + 'index.html', paperPage(withdrawn, undefined, undefined, site, tagSlugs)] : undefined
}

export async function renderSite(papers: PublicPaper[], options: SiteOptions = {}): Promise<SiteFiles> {
  return (await renderSiteKeyed(papers, options)).files
}

/** Where a rendering's files go as they are made (instead of `KeyedSite.files`). */
export type FileSink = (path: string, content: string | Uint8Array) => void

/** A rendering with its keys: what it made, and what it kept from the live site. */
export interface KeyedSite {
  /** The files made by this rendering (none when they went to a `sink`). */
  files: SiteFiles
  /** The keys, kept paths and search shards of this rendering (`memo.kept`: files to take from the live site). */
  memo: SiteMemo
}

/**
 * The site, keyed: with `live` (the live site's keys, src/build/manifest.ts),
 * a page or search shard made from the same as its live copy is not rendered
 * but listed in `memo.kept`, to be taken from the live site as it is. The
 * files made and the files kept are together the site `renderSite` makes.
 * With `sink`, each file made is handed to it at once and not kept: the
 * rendering holds one page at a time, not the site.
 */
export async function renderSiteKeyed(papers: PublicPaper[], options: SiteOptions & {live?: LiveKeys; sink?: FileSink} = {}): Promise<KeyedSite> {
  const plan = planSite(papers, options)
  const {site, all, sorted, tagSlugs} = plan
  const {config, baseUrl, tags, firstPublished} = site
  // What every page reads of the site as a whole (renderPage's common part).
  const memo = new SiteMemo(options.live, common(site))
  const files: SiteFiles = new Map()
  const put: FileSink = options.sink ?? ((path, content) => files.set(path, content))

  // Every page's path, for the sitemap; each page made goes out at once.
  const pages: string[] = []
  const add = (made: Iterable<[string, string | undefined]>): void => {
    for (const [path, html] of made) {
      pages.push(path)
      if (html !== undefined) put(path, html)
    }
  }
  add(listingPages({dir: '', title: 'Decisions', intro: '', section: 'decisions', current: {}}, sorted, site, memo))
  add([['archive/index.html', archivePage(site)]])
  for (const {year, papers: inYear} of site.years) {
    add(listingPages({dir: yearDir(year), title: `Decisions in ${year}`, intro: `Decisions made in ${year}.`, section: 'archive', current: {year}}, inYear, site, memo))
  }
  for (const tag of tags) {
    add(listingPages({dir: tagDir(tag.slug), title: `Decisions tagged ‘${tag.name}’`, intro: '', section: 'archive', current: {tag: tag.slug}}, tag.papers, site, memo))
  }
  // A paper's page: the paper, its neighbours, its first-published date and how it is shown, its tags' folders.
  const keyed = (paper: PublicPaper, older: PublicPaper | undefined, newer: PublicPaper | undefined): [string, string | undefined] => {
    const path = paperDir(paper) + 'index.html'
    if (memo.same(path, [paper, older, newer], [firstPublished.get(paper.slug) ?? null, site.exact?.has(paper.slug) ?? false, paper.tags.map((tag) => tagSlugs.get(tag) ?? null)])) return [path, undefined]
    return paperPageOf(plan, paper.slug)!
  }
  sorted.forEach((paper, i) => {
    add([keyed(paper, sorted[i + 1], sorted[i - 1])])
    // The public Markdown and the files: the paper's own, kept while it is
    // the same. (Made with its page: a body read from the cache is read once.)
    if (!memo.same(paperDir(paper) + 'index.md', [paper], 'markdown')) put(paperDir(paper) + 'index.md', paper.markdown)
    for (const asset of paper.assets) {
      checkTarget(paper, asset.target)
      if (!memo.same(paperDir(paper) + asset.target, [paper], 'file')) put(paperDir(paper) + asset.target, asset.bytes)
    }
  })
  for (const paper of all) if (paper.withdrawn) add([keyed(paper, undefined, undefined)])
  add([
    ['search/index.html', searchPage(site)],
    ['data/index.html', dataPage(site)],
    ['accessibility/index.html', accessibilityPage(site)],
    ['privacy/index.html', privacyPage(site)],
    [`${ABOUT_WITHHELD_DIR}index.html`, aboutWithheldPage(site)],
    ['404.html', notFoundPage(site, siteCss)]
  ])
  put('assets/site.css', siteCss)
  put('assets/search.js', searchScript)
  put('assets/search.css', searchCss)
  put('assets/favicon.svg', FAVICON_SVG)

  const list = records(sorted, firstPublished, baseUrl)
  put('decisions.json', decisionsJson(list, config))
  put('decisions.csv', decisionsCsv(list))
  put('robots.txt', robotsTxt(baseUrl))
  if (baseUrl) {
    put('feed.xml', atomFeed(all, firstPublished, baseUrl, config))
    // Last modified: first published, the latest correction or the withdrawal, whichever is latest.
    const lastmod = new Map(all.map((p) => [paperDir(p) + 'index.html', latestDate(instantDate(firstPublished.get(p.slug)), lastUpdatedOf(p), p.withdrawn?.date)]))
    put('sitemap.xml', sitemap(pages.filter((path) => !NOT_LISTED.has(path)).map((path) => ({path, lastmod: lastmod.get(path)})), baseUrl))
  }

  // Only current decisions: a withdrawn one is in no search index file.
  searchIndexFor(sorted, memo, put)
  return {files, memo}
}

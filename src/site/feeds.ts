/**
 * Discovery: the Atom feed, the sitemap and robots.txt.
 *
 * Feeds and sitemaps need absolute URLs, so `feed.xml` and `sitemap.xml` are
 * only written when the build has a base URL (`--base-url`); without one,
 * robots.txt names no sitemap and pages carry no canonical link. Nothing here
 * reads the clock: the feed's `updated` is the newest entry's.
 */
import {Feed} from 'feed'
import type {PublicPaper} from '../publish/types.js'
import {parseLondonInstant} from '../time/london.js'
import type {SiteConfig} from '../config/types.js'
import {OGL_URL} from './layout.js'
import {absolute, byNewest, exemptionProse, FEED_SIZE, formatLongDate, hasWithheld, lastUpdatedOf, paperDir, updatesOf} from './paths.js'

/** The instant a paper counts as published for the feed: first published, else 00:00 London on its decision date. */
export function feedInstant(paper: PublicPaper, firstPublished: Map<string, string>): Date {
  const first = firstPublished.get(paper.slug)
  return first ? new Date(first) : dayStart(paper.date)
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** 00:00 London time on a calendar date. */
function dayStart(date: string): Date {
  const parsed = parseLondonInstant(date)
  return parsed.ok ? parsed.value : new Date(`${date}T00:00:00Z`)
}

/**
 * The instant a feed entry was last updated: its withdrawal (a withdrawn
 * decision), else its latest correction, each at 00:00 London time on its
 * date; never before the entry was published.
 */
export function feedUpdated(paper: PublicPaper, published: Date): Date {
  const changed = paper.withdrawn ? paper.withdrawn.date : lastUpdatedOf(paper)
  if (!changed) return published
  const at = dayStart(changed)
  return at.getTime() > published.getTime() ? at : published
}

/**
 * The latest decisions, most recently updated first: an entry's `published`
 * is its first-published instant when the release log has one, else its
 * decision date; its `updated` is that, or its latest correction or its
 * withdrawal when later. A withdrawn decision's entry is its notice
 * ("Withdrawn: …"), with nothing of its former content.
 */
export function atomFeed(papers: PublicPaper[], firstPublished: Map<string, string>, baseUrl: string, config: SiteConfig): string {
  const entries = papers
    .map((paper) => {
      const published = feedInstant(paper, firstPublished)
      return {paper, published, updated: feedUpdated(paper, published)}
    })
    .sort((a, b) => b.updated.getTime() - a.updated.getTime() || b.published.getTime() - a.published.getTime() || byNewest(a.paper, b.paper))
    .slice(0, FEED_SIZE)
  const updated = entries.length > 0 ? entries[0].updated : new Date(0)
  const feed = new Feed({
    id: absolute(baseUrl, ''),
    title: config.site.name,
    description: `Decisions of the ${config.organisation.name}, published under the Freedom of Information Act 2000.`,
    link: absolute(baseUrl, ''),
    feedLinks: {atom: absolute(baseUrl, 'feed.xml')},
    language: 'en-GB',
    updated,
    generator: false,
    copyright: `Open Government Licence v3.0: ${OGL_URL}`,
    author: {name: config.organisation.name}
  })
  for (const {paper, published, updated: at} of entries) {
    const url = absolute(baseUrl, paperDir(paper))
    if (paper.withdrawn) {
      feed.addItem({
        id: url,
        link: url,
        title: escapeHtml(`Withdrawn: ${paper.id}: ${paper.title}`),
        date: at,
        published,
        description:
          `<p>${escapeHtml(paper.id)}, decided ${escapeHtml(formatLongDate(paper.date))}, was withdrawn on ${escapeHtml(formatLongDate(paper.withdrawn.date))}.</p>` +
          `<p>${escapeHtml(paper.withdrawn.explanation)}</p>`
      })
      continue
    }
    const lines = [
      `<p>${escapeHtml(paper.id)}, decided ${escapeHtml(formatLongDate(paper.date))}${paper.decisionMaker ? ` by the ${escapeHtml(paper.decisionMaker)}` : ''}.</p>`
    ]
    if (paper.summary) lines.push(`<p>${escapeHtml(paper.summary)}</p>`)
    if (hasWithheld(paper)) {
      const prose = exemptionProse(paper)
      lines.push(`<p>Exempt material withheld${prose ? ` under ${escapeHtml(prose)}` : ''}.</p>`)
    }
    const latest = updatesOf(paper)[0]
    if (latest) lines.push(`<p>Updated ${escapeHtml(formatLongDate(latest.date))}: ${escapeHtml(latest.note)}</p>`)
    feed.addItem({
      id: url,
      link: url,
      title: escapeHtml(`${paper.id}: ${paper.title}`),
      date: at,
      published,
      description: lines.join(''),
      category: [...new Set(paper.tags)].map((tag) => ({term: tag, name: tag})),
      author: paper.decisionMaker ? [{name: paper.decisionMaker}] : undefined
    })
  }
  // The feed package escapes `&` and quotes in category attributes but not
  // `<` or `>`: finish the job so a tag cannot break the XML.
  const xml = feed.atom1().replace(/<category((?:\s+[a-z]+="[^"]*")*)\s*\/>/g, (_, attributes: string) => `<category${attributes.replace(/="([^"]*)"/g, (__, value: string) => `="${value.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`)}/>`)
  return xml + '\n'
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

/** A sitemap of `pages` (output paths of HTML files, with an optional last-modified date). */
export function sitemap(pages: {path: string; lastmod?: string}[], baseUrl: string): string {
  const urls = pages.map(({path, lastmod}) => {
    const loc = absolute(baseUrl, path.replace(/(^|\/)index\.html$/, '$1'))
    return `  <url>\n    <loc>${escapeXml(loc)}</loc>\n${lastmod ? `    <lastmod>${escapeXml(lastmod)}</lastmod>\n` : ''}  </url>\n`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('')}</urlset>\n`
}

export function robotsTxt(baseUrl: string | undefined): string {
  return `User-agent: *\nAllow: /\n${baseUrl ? `\nSitemap: ${absolute(baseUrl, 'sitemap.xml')}\n` : ''}`
}

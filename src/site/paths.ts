/**
 * Where each page lives, and the small pure helpers shared by the pages.
 * Every output path is relative to the site root and every link in a page is
 * relative to that page, so the site works from any folder of any static
 * server (the 404 page excepted: see `notFoundPage`).
 */
import {formatLongDate, londonDate} from '../time/london.js'
import type {PublicPaper} from '../publish/types.js'
import {exemptionsPhrase} from '../content/exemptions.js'

/** Decisions on one listing page. */
export const PAGE_SIZE = 50
/** Entries in the Atom feed. */
export const FEED_SIZE = 50

export const paperDir = (paper: PublicPaper): string => `decisions/${paper.slug}/`
/**
 * The "About withheld information" page. Every withheld notice links to it
 * from `decisions/<slug>/` (src/pipeline/redact.ts `ABOUT_WITHHELD_HREF`, which
 * a test checks against this).
 */
export const ABOUT_WITHHELD_DIR = 'withheld-information/'
export const yearDir = (year: string): string => `archive/${year}/`
export const tagDir = (tagSlug: string): string => `tags/${tagSlug}/`

/** Folder of page `n` (1-based) of a paginated listing whose first page is in `dir`. */
export function pageDir(dir: string, n: number): string {
  return n === 1 ? dir : `${dir}page/${n}/`
}

/** The shortest relative link from the page at `from` (an output path) to folder or file `to` (relative to the root). */
export function linkTo(from: string, to: string): string {
  const fromDir = from.split('/').slice(0, -1)
  const toParts = to.split('/')
  let common = 0
  while (common < fromDir.length && common < toParts.length - 1 && fromDir[common] === toParts[common]) common++
  const href = '../'.repeat(fromDir.length - common) + toParts.slice(common).join('/')
  return href === '' ? './' : href
}

/** An absolute URL of folder or file `to` under `baseUrl` (which ends in `/`). */
export function absolute(baseUrl: string, to: string): string {
  return new URL(to, baseUrl).href
}

/** Newest decision first; ties by reference so the order is stable. */
export function byNewest(a: PublicPaper, b: PublicPaper): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1
  return compareIds(a.id, b.id) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
}

/** Reference order with numbers compared as numbers ("PCD 602" before "PCD 1012"), locale-free. */
export function compareIds(a: string, b: string): number {
  const split = (s: string) => s.split(/(\d+)/).map((part, i) => (i % 2 ? Number(part) : part))
  const pa = split(a)
  const pb = split(b)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === y) continue
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x) < String(y) ? -1 : 1
  }
  return 0
}

/**
 * The URL slug of a tag: lower-case ASCII letters and digits joined by hyphens.
 * A tag with no such characters gets a stable hash instead (`tag--1a2b3c4d`).
 */
export function tagSlug(tag: string): string {
  const slug = tag
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
  // A double hyphen never comes out of the rule above, so no ordinary tag can spell a hashed slug.
  return slug || `tag--${fnv1a(tag)}`
}

/** 32-bit FNV-1a of a string, as 8 hex digits (stable names, not security). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}

export interface TagGroup {
  slug: string
  /** The tag as shown: the first spelling in sorted order among those with this slug. */
  name: string
  papers: PublicPaper[]
}

/** Tags by slug (spellings that make the same slug share one archive), sorted by name. */
export function groupTags(sorted: PublicPaper[]): TagGroup[] {
  const groups = new Map<string, {names: Set<string>; papers: PublicPaper[]}>()
  for (const paper of sorted) {
    for (const tag of new Set(paper.tags)) {
      const slug = tagSlug(tag)
      const group = groups.get(slug) ?? {names: new Set<string>(), papers: []}
      group.names.add(tag)
      if (!group.papers.includes(paper)) group.papers.push(paper)
      groups.set(slug, group)
    }
  }
  const key = (g: TagGroup) => g.name.toLowerCase()
  return [...groups.entries()]
    .map(([slug, g]) => ({slug, name: [...g.names].sort()[0], papers: g.papers}))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
}

/** The London calendar date of an ISO instant, or undefined when it is not one. */
export function instantDate(iso: string | undefined): string | undefined {
  if (!iso) return undefined
  const time = Date.parse(iso)
  if (!Number.isFinite(time)) return undefined
  return londonDate(new Date(time))
}

/** The first-published instant of a paper, normalised to ISO 8601 UTC, when known and valid. */
export function firstPublishedOf(paper: PublicPaper, firstPublished: Record<string, string> | undefined): string | undefined {
  const iso = firstPublished && Object.prototype.hasOwnProperty.call(firstPublished, paper.slug) ? firstPublished[paper.slug] : undefined
  if (typeof iso !== 'string' || !iso) return undefined
  const time = Date.parse(iso)
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined
}

export {formatLongDate}

/** Exemptions without repeats of the same section. */
export function uniqueExemptions(paper: PublicPaper): PublicPaper['exemptions'] {
  const seen = new Set<string>()
  return paper.exemptions.filter((e) => (seen.has(e.section) ? false : (seen.add(e.section), true)))
}

/** The paper's exemptions in running text: "section 40 (personal information) and section 43 (commercial interests)". */
export function exemptionProse(paper: PublicPaper): string {
  return exemptionsPhrase(uniqueExemptions(paper).map((e) => e.code))
}

/** Whether any material was withheld from the paper. */
export function hasWithheld(paper: PublicPaper): boolean {
  return paper.withheld > 0 || paper.exemptions.length > 0
}

/** A byte count as "2 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * What the site may show of a paper. A withdrawn paper keeps only what
 * identifies it (reference, title, decision date), its withdrawal notice and
 * its change history: whatever else it still carries (body, Markdown,
 * attachments, summary, decision maker, tags, exemptions) is dropped here,
 * so no later step can publish it even if the gate left something behind.
 */
export function shownPaper(paper: PublicPaper): PublicPaper {
  if (!paper.withdrawn) return paper
  return {
    id: paper.id,
    slug: paper.slug,
    title: paper.title,
    date: paper.date,
    tags: [],
    exemptions: [],
    withheld: 0,
    markdown: '',
    html: '',
    text: '',
    assets: [],
    withdrawn: {date: paper.withdrawn.date, explanation: paper.withdrawn.explanation},
    ...(paper.updates ? {updates: paper.updates} : {})
  }
}

/** A paper's corrections, newest first (by date; notes of one date keep their order). */
export function updatesOf(paper: PublicPaper): {date: string; note: string}[] {
  return (paper.updates ?? []).map((u, i) => ({u, i})).sort((a, b) => (a.u.date < b.u.date ? 1 : a.u.date > b.u.date ? -1 : a.i - b.i)).map(({u}) => u)
}

/** The date (`YYYY-MM-DD`) of a paper's latest correction, if it has any. */
export function lastUpdatedOf(paper: PublicPaper): string | undefined {
  return updatesOf(paper)[0]?.date
}

/** The latest of some `YYYY-MM-DD` dates, ignoring missing ones. */
export function latestDate(...dates: (string | undefined)[]): string | undefined {
  return dates.filter((d): d is string => Boolean(d)).sort().pop()
}

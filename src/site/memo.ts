/**
 * Pages a build may take from the live site instead of rendering them again.
 *
 * Each page, and each search shard, is known by a key: a hash of exactly what
 * it is made from (the whole of every public paper it shows, by digest, and
 * the few site-wide facts it reads). The build records every key in the site
 * manifest (src/build/manifest.ts); the next build renders only the pages
 * whose key changed and hard-links the rest from the live site. A key that
 * misses something a page shows would keep a stale page, so each key is made
 * from whole papers (an edit to a paper re-renders every page that lists it,
 * not only the fields it shows), and `paperDigest` reads every field of the
 * type (a new field it lacks does not compile). tests/incremental.test.ts holds the result byte for
 * byte equal to a cold build after random changes.
 */
import {createHash} from 'node:crypto'
import {bodyDigest} from '../publish/body.js'
import type {PublicPaper} from '../publish/types.js'

/** What a search shard was made from, and what it holds. */
export interface ShardInfo {
  key: string
  docs: number
  /** The first folded word of each chunk (as in meta.json). */
  chunks: string[]
  /** Its files, from the site root. */
  files: string[]
}

/** The keys of the live site: only files still as the build that keyed them wrote them. */
export interface LiveKeys {
  /** Output path -> the key of what it was made from. */
  pages: ReadonlyMap<string, string>
  /** Search shard name -> what it was made from and its files. */
  shards: ReadonlyMap<string, ShardInfo>
}

/**
 * Every field of a public paper, in the digest's order. `satisfies` makes a
 * field added to PublicPaper and not here a compile error: a page showing it
 * could otherwise be kept stale.
 */
const FIELDS = Object.keys({
  id: 1,
  slug: 1,
  title: 1,
  date: 1,
  decisionMaker: 1,
  summary: 1,
  tags: 1,
  exemptions: 1,
  withheld: 1,
  dueAt: 1,
  markdown: 1,
  html: 1,
  text: 1,
  assets: 1,
  withdrawn: 1,
  updates: 1
} satisfies Record<keyof PublicPaper, 1>) as Array<keyof PublicPaper>

/**
 * A digest of everything a public paper holds. Each field goes in with its
 * length, so no two papers share a digest by how their fields split.
 */
export function paperDigest(paper: PublicPaper): string {
  const hash = createHash('sha256')
  // (A string's length in UTF-16 units: as unambiguous as its byte length, without copying it.)
  const add = (value: string | Uint8Array) => hash.update(`${typeof value === 'string' ? value.length : value.byteLength}:`).update(value)
  for (const field of FIELDS) {
    // The body (Markdown, HTML, text) by its digest: known for a paper from the cache without reading it.
    if (field === 'markdown' || field === 'html') continue
    if (field === 'text') {
      add(bodyDigest(paper))
      continue
    }
    if (field === 'assets') {
      add(String(paper.assets.length))
      for (const asset of paper.assets) {
        add(asset.target)
        add(asset.bytes)
      }
      continue
    }
    // As JSON: a summary of "null" is not a missing summary.
    add(JSON.stringify(paper[field] ?? null))
  }
  return hash.digest('base64url')
}

/**
 * The keys of one rendering: which pages it may keep from the live site, and
 * the key of every page it keys (for the next build).
 */
export class SiteMemo {
  /** Output path -> key, for every keyed page and search file of this rendering. */
  readonly keys = new Map<string, string>()
  /** Paths taken from the live site unchanged (not rendered). */
  readonly kept: string[] = []
  /** This rendering's search shards. */
  readonly shards = new Map<string, ShardInfo>()
  private readonly digests = new Map<PublicPaper, string>()
  private readonly site: string

  /**
   * @param live the live site's keys (none: render everything)
   * @param site what every page reads of the whole site (the configuration, base URL, feed)
   */
  constructor(
    private readonly live: LiveKeys | undefined,
    site: unknown
  ) {
    this.site = createHash('sha256').update(JSON.stringify(site)).digest('base64url')
  }

  digest(paper: PublicPaper): string {
    let digest = this.digests.get(paper)
    if (digest === undefined) this.digests.set(paper, (digest = paperDigest(paper)))
    return digest
  }

  /** The key of what `papers` and `data` make at `path`. */
  key(path: string, papers: Array<PublicPaper | undefined>, data: unknown): string {
    const body = JSON.stringify([path, this.site, papers.map((p) => (p ? this.digest(p) : null)), data])
    return createHash('sha256').update(body).digest('base64url')
  }

  /** Whether the live copy of the page at `path` was made from the same: then it is kept, not rendered. */
  same(path: string, papers: Array<PublicPaper | undefined>, data: unknown): boolean {
    const key = this.key(path, papers, data)
    this.keys.set(path, key)
    if (this.live?.pages.get(path) !== key) return false
    this.kept.push(path)
    return true
  }

  /** The live shard `name` when it was made from the same papers: its files are kept. */
  sameShard(name: string, papers: PublicPaper[]): {key: string; live?: ShardInfo} {
    const key = this.key(`search-index/${name}/`, papers, null)
    const live = this.live?.shards.get(name)
    if (live?.key !== key || !live.files.every((file) => this.live?.pages.get(file) === key)) return {key}
    this.kept.push(...live.files)
    return {key, live}
  }
}

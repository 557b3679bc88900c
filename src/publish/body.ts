/**
 * A public paper's body (its Markdown, HTML and text: nearly all of its
 * size), read only when something asks for it. A paper from the cache whose
 * pages, search shard and record are all unchanged is never read whole: its
 * body's digest, stored with it, is all the build needs of it
 * (src/site/memo.ts).
 *
 * Only the few bodies read last are held (`RECENT`): one asked for again
 * later is read again, and checked again.
 *
 * The digest of a body read lazily is known without reading it; a body
 * assigned anew forgets it, and a copy keeps it only through `copyPaper`,
 * which copies the lazy fields as they are. A body whose bytes do not match
 * its digest when read stops the build.
 */
import {createHash} from 'node:crypto'
import type {PublicPaper} from './types.js'

/** The fields of the body. */
export type Body = Pick<PublicPaper, 'markdown' | 'html' | 'text'>
const FIELDS = ['markdown', 'html', 'text'] as const

interface Source {
  digest: string
  read: () => Body
}

/** Lazy papers whose body is still their source's (nothing assigned to it since). */
const sources = new WeakMap<object, Source>()

/** The SHA-256 of a body: each field with its length, in order. */
export function digestBody(body: Body): string {
  const hash = createHash('sha256')
  for (const field of FIELDS) hash.update(`${body[field].length}:`).update(body[field])
  return hash.digest('base64url')
}

/** The digest of `paper`'s body: known, or computed from it. */
export function bodyDigest(paper: PublicPaper): string {
  return sources.get(paper)?.digest ?? digestBody(paper)
}

function attach(paper: object, source: Source): void {
  const own: Partial<Body> = {}
  for (const field of FIELDS) {
    Object.defineProperty(paper, field, {
      enumerable: true,
      configurable: true,
      get: () => (field in own ? own[field] : source.read()[field]),
      set: (value: string) => {
        // A body changed in place is no longer the one digested.
        sources.delete(paper)
        own[field] = value
      }
    })
  }
  sources.set(paper, source)
}

/**
 * Give `paper` a body read by `load` when first asked for, whose digest is
 * `digest`. A body that does not match it (damaged on disk, or its digest
 * damaged) is made again by `again`, and `damaged` is told (the store can
 * drop it, so the next run makes it afresh).
 */
export function lazyBody<T extends object>(paper: T, digest: string, load: () => Body | undefined, again: () => Body, damaged: () => void = () => {}): T & Body {
  // A body made again (damaged on disk) is held: it cannot be read again.
  let made: Body | undefined
  const wellFormed = (b: Body | undefined): b is Body => FIELDS.every((field) => typeof b?.[field] === 'string')
  const source: Source = {
    digest,
    read: () => {
      if (made) return made
      const held = recent.get(source)
      if (held) {
        // The most recent last.
        recent.delete(source)
        recent.set(source, held)
        return held
      }
      const loaded = load()
      if (wellFormed(loaded) && digestBody(loaded) === digest) {
        recent.set(source, loaded)
        for (const oldest of recent.keys()) {
          if (recent.size <= RECENT) break
          recent.delete(oldest)
        }
        return loaded
      }
      damaged()
      made = again()
      if (!wellFormed(made)) throw new Error('a stored paper body was damaged, and making it again from the paper gave none')
      return made
    }
  }
  attach(paper, source)
  return paper as T & Body
}

/**
 * The bodies read most recently. Why only these: a build of every paper
 * reads each body once or twice (its page, its search shard), and holding
 * every body read kept the whole site's text in memory to the end (1 GiB at
 * 20,000 papers). A page asks for its paper's fields one after another, so a
 * few suffice; a body no longer here is read again, and checked again.
 * (Not a WeakRef: what one holds stays alive until the synchronous job ends,
 * and a rendering of every page is one.)
 */
const RECENT = 16
const recent = new Map<Source, Body>()

/**
 * A copy of `paper` with `changes`. A lazy body stays lazy (the copy does not
 * read it) and keeps its digest, unless `changes` replaces part of it.
 */
export function copyPaper(paper: Omit<PublicPaper, 'assets'>, changes: Partial<PublicPaper> & Pick<PublicPaper, 'assets'>): PublicPaper {
  const source = sources.get(paper)
  if (!source) return {...paper, ...changes}
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(paper) as Array<keyof typeof paper>) if (!(FIELDS as readonly string[]).includes(key)) copy[key] = paper[key]
  attach(copy, source)
  for (const [key, value] of Object.entries(changes)) Object.defineProperty(copy, key, {value, enumerable: true, configurable: true, writable: true})
  if (FIELDS.some((field) => field in changes)) sources.delete(copy)
  return copy as unknown as PublicPaper
}

/**
 * The last published version of every paper on the live site, under
 * `<state>/published/` (never under --out): the public paper exactly as it
 * was built (redacted; no source text), keyed by slug, with an index from the
 * paper's file to its slug. When a live paper later has an error, `release`
 * holds it: the site keeps this version, neither updated nor removed, until
 * the paper is fixed.
 *
 * Written after each successful swap; only entries that changed are written.
 */
import {createHash, randomBytes} from 'node:crypto'
import {renameSync, writeFileSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {htmlBodyText} from '../pipeline/text.js'
import type {PublicPaper} from '../publish/types.js'
import {paperDigest} from '../site/memo.js'

const DIR = 'published'
const INDEX = 'index.json'
/** The index of a build staged but not yet known to be live (written before its swap). */
const NEXT = 'index.next.json'

interface Index {
  /**
   * The build whose papers these are: the record is used only while that
   * build is the live site (another state folder may have published since).
   */
  buildId?: string
  /**
   * slug -> {file: the paper's path in the content folder, sha256 of its
   * entry, the paper's digest (src/site/memo.ts), the entry's file name
   * (`<slug>.<sha256>.json`; `<slug>.json` before names held the hash)}
   */
  papers: Record<string, {file: string; sha256: string; digest?: string; name?: string}>
}

/** A published paper as stored: its bytes as base64. */
interface StoredPaper extends Omit<PublicPaper, 'assets'> {
  assets: Array<{target: string; bytes: string}>
}

function encode(paper: PublicPaper): string {
  const stored: StoredPaper = {...paper, assets: paper.assets.map((a) => ({target: a.target, bytes: Buffer.from(a.bytes).toString('base64')}))}
  return JSON.stringify(stored)
}

function decode(text: string): PublicPaper {
  const stored = JSON.parse(text) as StoredPaper
  // A version stored before bodies kept their text: made from its HTML, as a build would.
  if (typeof stored.text !== 'string') stored.text = htmlBodyText(stored.html)
  return {...stored, assets: stored.assets.map((a) => ({target: a.target, bytes: new Uint8Array(Buffer.from(a.bytes, 'base64'))}))}
}

async function readIndex(state: string, name = INDEX): Promise<Index | undefined> {
  let index: Index
  try {
    index = JSON.parse(await fs.readFile(path.join(state, DIR, name), 'utf8')) as Index
  } catch {
    return undefined
  }
  if (!index || typeof index !== 'object' || !index.papers || typeof index.papers !== 'object' || Array.isArray(index.papers)) return undefined
  // An entry of another shape (damaged) is left out: its paper has no kept version.
  const papers: Index['papers'] = {}
  for (const [slug, entry] of Object.entries(index.papers)) {
    if (entry && typeof entry === 'object' && typeof entry.file === 'string' && typeof entry.sha256 === 'string' && (entry.name === undefined || (typeof entry.name === 'string' && !entry.name.includes('/') && !entry.name.includes('\\')))) papers[slug] = entry
  }
  return {buildId: typeof index.buildId === 'string' ? index.buildId : undefined, papers}
}

/**
 * Write a file whole or not at all. Synchronously: a first build records
 * every paper (18,000 at 20,000 papers), and a round trip through the
 * thread pool for each write took most of the time.
 */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

const entryName = (slug: string, entry: Index['papers'][string]) => entry.name ?? `${slug}.json`

/**
 * The last published version of the paper in `file` (path relative to the
 * content folder), if any, while the record is the live site's
 * (`liveBuildId`): a record of another build (a run with another state
 * folder published since) keeps nothing.
 */
export async function lastPublished(state: string, file: string, liveBuildId: string | undefined): Promise<PublicPaper | undefined> {
  const index = await readIndex(state)
  if (!index || liveBuildId === undefined || index.buildId !== liveBuildId) return undefined
  const slug = Object.keys(index.papers).find((s) => index.papers[s].file === file)
  if (!slug) return undefined
  try {
    const text = await fs.readFile(path.join(state, DIR, entryName(slug, index.papers[slug])), 'utf8')
    if (createHash('sha256').update(text).digest('hex') !== index.papers[slug].sha256) return undefined
    return decode(text)
  } catch {
    return undefined
  }
}

/**
 * Stage the record of the papers a build is about to make live (`papers`
 * maps each public paper's file to it), before its swap: their entries
 * (new names, so the live record stays whole) and the next index, naming
 * the build. `settlePublished` makes it the record once that build is live.
 */
export async function stagePublished(state: string, buildId: string, papers: Array<{file: string; paper: PublicPaper}>): Promise<void> {
  const dir = path.join(state, DIR)
  await fs.mkdir(dir, {recursive: true})
  const before = (await readIndex(state)) ?? {papers: {}}
  const index: Index = {buildId, papers: {}}
  for (const {file, paper} of papers) {
    // A paper as recorded before (same digest) is not encoded again.
    const digest = paperDigest(paper)
    const was = before.papers[paper.slug]
    if (was?.digest === digest && typeof was.sha256 === 'string') {
      index.papers[paper.slug] = {...was, file}
      continue
    }
    const text = encode(paper)
    const sha256 = createHash('sha256').update(text).digest('hex')
    const name = `${paper.slug}.${sha256.slice(0, 16)}.json`
    index.papers[paper.slug] = {file, sha256, digest, name}
    if (was?.name !== name) await writeAtomic(path.join(dir, name), text)
  }
  await writeAtomic(path.join(dir, NEXT), JSON.stringify(index))
}

/**
 * Settle the record against the live site's build: a next index naming it
 * becomes the record (its swap happened), one naming another build is
 * dropped (it never went live); entries no index names are removed.
 */
export async function settlePublished(state: string, liveBuildId: string | undefined): Promise<void> {
  const dir = path.join(state, DIR)
  const next = await readIndex(state, NEXT)
  if (next) {
    if (liveBuildId !== undefined && next.buildId === liveBuildId) await fs.rename(path.join(dir, NEXT), path.join(dir, INDEX))
    else await fs.rm(path.join(dir, NEXT), {force: true})
  } else await fs.rm(path.join(dir, NEXT), {force: true})
  const index = await readIndex(state)
  if (!index) return
  const named = new Set(Object.entries(index.papers).map(([slug, entry]) => entryName(slug, entry)))
  named.add(INDEX)
  const names = await fs.readdir(dir).catch(() => [] as string[])
  await Promise.all(names.filter((name) => !named.has(name) && !name.endsWith('.tmp')).map((name) => fs.rm(path.join(dir, name), {force: true})))
}

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
import fs from 'node:fs/promises'
import path from 'node:path'
import {htmlBodyText} from '../pipeline/text.js'
import type {PublicPaper} from '../publish/types.js'
import {paperDigest} from '../site/memo.js'

const DIR = 'published'
const INDEX = 'index.json'

interface Index {
  /** slug -> {file: the paper's path in the content folder, sha256 of its entry, the paper's digest (src/site/memo.ts)} */
  papers: Record<string, {file: string; sha256: string; digest?: string}>
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

async function readIndex(state: string): Promise<Index> {
  try {
    const index = JSON.parse(await fs.readFile(path.join(state, DIR, INDEX), 'utf8')) as Index
    return index && typeof index.papers === 'object' ? index : {papers: {}}
  } catch {
    return {papers: {}}
  }
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
  await fs.writeFile(tmp, text)
  await fs.rename(tmp, file)
}

/** The last published version of the paper in `file` (path relative to the content folder), if any. */
export async function lastPublished(state: string, file: string): Promise<PublicPaper | undefined> {
  const index = await readIndex(state)
  const slug = Object.keys(index.papers).find((s) => index.papers[s].file === file)
  if (!slug) return undefined
  try {
    const text = await fs.readFile(path.join(state, DIR, `${slug}.json`), 'utf8')
    if (createHash('sha256').update(text).digest('hex') !== index.papers[slug].sha256) return undefined
    return decode(text)
  } catch {
    return undefined
  }
}

/** Record the papers now live: `papers` maps each public paper's file to it. */
export async function recordPublished(state: string, papers: Array<{file: string; paper: PublicPaper}>): Promise<void> {
  const dir = path.join(state, DIR)
  await fs.mkdir(dir, {recursive: true})
  const before = await readIndex(state)
  const index: Index = {papers: {}}
  for (const {file, paper} of papers) {
    // A paper as recorded before (same digest) is not encoded again.
    const digest = paperDigest(paper)
    const was = before.papers[paper.slug]
    if (was?.digest === digest && typeof was.sha256 === 'string') {
      index.papers[paper.slug] = {file, sha256: was.sha256, digest}
      continue
    }
    const text = encode(paper)
    const sha256 = createHash('sha256').update(text).digest('hex')
    index.papers[paper.slug] = {file, sha256, digest}
    if (was?.sha256 !== sha256) await writeAtomic(path.join(dir, `${paper.slug}.json`), text)
  }
  await writeAtomic(path.join(dir, INDEX), JSON.stringify(index))
  for (const slug of Object.keys(before.papers)) {
    if (!index.papers[slug]) await fs.rm(path.join(dir, `${slug}.json`), {force: true})
  }
}

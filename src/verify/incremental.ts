/**
 * verify's memory: what was secret, and which output files were found clean,
 * the last time the check passed. A build changes few files and little of
 * what is secret, so most of the site need not be searched again: a file byte
 * for byte one found clean then holds none of the phrases and words secret
 * then (its search found none), so it can only hold what has become secret
 * since. The verdict is the same as a full search's, by that argument alone:
 *  - every file not remembered is searched for everything secret now;
 *  - a remembered file is searched for every secret entry (phrase, n-gram or
 *    word: the same entries, from the same source reading and exclusions, as
 *    the full search) that was not among the secret entries remembered with
 *    it;
 *  - every path name is checked as always.
 * Entries are compared by their words (the tokens after normalisation), and
 * the memory is used only by the same code of verify (a hash of its own
 * files) with the same n-gram size; anything else, or a memory that cannot be
 * read, means a full search. The memory is written only after a search found
 * nothing, so a remembered file was clean against everything remembered with
 * it. It is written atomically (a new file renamed over the old).
 *
 * This module imports nothing of the pipeline, like the rest of verify.
 */
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {SecretIndex} from './matcher.js'
import type {SecretPiece} from './source.js'

const FILE = 'memory.json'
const FORMAT = 1

export interface Memory {
  /** The secret entries (their words joined by a space) when the files were found clean. */
  secrets: Set<string>
  /** Digests of the output files found clean against them. */
  files: Set<string>
}

let codeVersion: string | undefined

/** A hash of verify's own code (every file of this folder): another verify may read differently. */
function verifyVersion(): string {
  if (codeVersion) return codeVersion
  const dir = path.dirname(fileURLToPath(import.meta.url))
  const hash = createHash('sha256')
  for (const name of readdirSync(dir).filter((f) => /\.(?:js|ts)$/.test(f)).sort()) {
    hash.update(name).update('\0').update(readFileSync(path.join(dir, name))).update('\0')
  }
  return (codeVersion = hash.digest('hex'))
}

/** The digest a remembered file is known by. */
export function contentDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url')
}

/** The memory in `dir`, if there is one this code with this n-gram size can use. */
export async function recall(dir: string, n: number): Promise<Memory | undefined> {
  let data: unknown
  try {
    data = JSON.parse(await readFile(path.join(dir, FILE), 'utf8'))
  } catch {
    return undefined
  }
  const d = data as {format?: unknown; version?: unknown; ngram?: unknown; secrets?: unknown; files?: unknown}
  if (d?.format !== FORMAT || d.version !== verifyVersion() || d.ngram !== n) return undefined
  if (!Array.isArray(d.secrets) || !Array.isArray(d.files)) return undefined
  if (!d.secrets.every((k) => typeof k === 'string') || !d.files.every((k) => typeof k === 'string')) return undefined
  return {secrets: new Set(d.secrets as string[]), files: new Set(d.files as string[])}
}

/** Records that `files` were found clean against the entries `secrets`. */
export async function remember(dir: string, n: number, secrets: string[], files: string[]): Promise<void> {
  await mkdir(dir, {recursive: true})
  const body = JSON.stringify({format: FORMAT, version: verifyVersion(), ngram: n, secrets, files: [...new Set(files)].sort()})
  const temp = path.join(dir, `.${FILE}.${process.pid}.tmp`)
  await writeFile(temp, body)
  await rename(temp, path.join(dir, FILE))
}

function keyOf(index: SecretIndex, e: number): string {
  const piece = (index.pieces[index.ePiece[e] as number] as {piece: SecretPiece}).piece
  const off = index.eOff[e] as number
  return piece.tokens.slice(off, off + (index.eLen[e] as number)).join(' ')
}

/** Every entry of `live`, by its words. */
export function secretKeys(live: SecretIndex): string[] {
  const keys: string[] = []
  for (let e = 0; e < live.ePiece.length; e++) keys.push(keyOf(live, e))
  return keys
}

/**
 * The entries of `live` not among `remembered`, in an index sharing its
 * pieces and vocabulary (so token ids and hits read the same), with its
 * single-token entries by token id (for the parts of a token joined by `_`).
 */
export function freshIndex(live: SecretIndex, remembered: Set<string>): {index: SecretIndex; single: Map<number, number>} {
  const fresh: number[] = []
  let tokens = 0
  for (let e = 0; e < live.ePiece.length; e++) {
    if (remembered.has(keyOf(live, e))) continue
    fresh.push(e)
    tokens += live.eLen[e] as number
  }
  const index = new SecretIndex(tokens, live)
  for (const e of fresh) index.addEntry(live.ePiece[e] as number, live.eOff[e] as number, live.eLen[e] as number)
  index.finish()
  const single = new Map<number, number>()
  for (let e = 0; e < index.ePiece.length; e++) {
    if (index.eLen[e] !== 1) continue
    const ids = (index.pieces[index.ePiece[e] as number] as {ids: Int32Array}).ids
    const id = ids[index.eOff[e] as number] as number
    if (!single.has(id)) single.set(id, e)
  }
  return {index, single}
}

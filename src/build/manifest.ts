/**
 * The site manifest, `<state>/site-manifest.json`: every file of the live
 * site with its SHA-256, size and identity on disk (inode and modification
 * time), and the key of what each page and search shard was made from
 * (src/site/memo.ts). A build renders only the pages whose key changed and
 * hard-links the others from the live site, never reading them.
 *
 * Trusted only as far as it can be checked:
 *  - it names the build it describes, and is used only while the live
 *    site's marker names the same build, by the same code (`codeVersion`);
 *  - a file is taken from the live site only while its inode, size and
 *    modification and change times (nanoseconds) are still those the
 *    manifest recorded just after the swap: a file changed, replaced or
 *    removed since is made again (the change time cannot be set back, so an
 *    edit with its modification time set back is seen too), and staging
 *    checks each file it links is still that file (`Stage.finish`);
 *  - anything unreadable or of another format means no manifest: the build
 *    renders everything.
 * It is written after the swap, atomically; a run that dies before writing it
 * leaves the previous manifest, which names another build and is not used.
 * The leak check reads the staged site as always, kept files included.
 */
import {createHash, randomBytes} from 'node:crypto'
import {lstatSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {LiveKeys, ShardInfo} from '../site/memo.js'
import {codeVersion} from './code-version.js'

const FILE = 'site-manifest.json'
const FORMAT = 2

/** A file of the site as written: its bytes' SHA-256 and size, its inode, modification and change times (ns). */
export interface ManifestFile {
  sha256: string
  size: number
  ino: string
  mtime: string
  ctime: string
}

/** The live site, as far as its manifest still holds: files unchanged since it was written, and their keys. */
export interface LiveSite extends LiveKeys {
  buildId: string
  files: ReadonlyMap<string, ManifestFile>
}

interface Stored {
  format: number
  code: string
  buildId: string
  /** path -> [sha256, size, ino, mtime ns, ctime ns] */
  files: Record<string, [string, number, string, string, string]>
  /** path -> key */
  keys: Record<string, string>
  shards: Record<string, ShardInfo>
}

/** The SHA-256 of a file's bytes, as the manifest and the build id use it. */
export function fileDigest(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

/**
 * The live site under `out` as `<state>`'s manifest describes it, or
 * undefined when there is none it can vouch for. Files that changed on disk
 * since are left out, with their keys.
 */
export async function readLiveSite(state: string, out: string, buildId: string | undefined): Promise<LiveSite | undefined> {
  if (buildId === undefined) return undefined
  let stored: Stored
  try {
    stored = JSON.parse(await fs.readFile(path.join(state, FILE), 'utf8')) as Stored
  } catch {
    return undefined
  }
  if (stored?.format !== FORMAT || stored.code !== codeVersion() || stored.buildId !== buildId || !wellFormed(stored)) return undefined
  const entries = Object.entries(stored.files)
  const checked = entries.map(([name, [, size, ino, mtime, ctime]]) => {
    try {
      const stat = lstatSync(path.join(out, name), {bigint: true})
      return stat.isFile() && stat.size === BigInt(size) && String(stat.ino) === ino && String(stat.mtimeNs) === mtime && String(stat.ctimeNs) === ctime
    } catch {
      return false
    }
  })
  const files = new Map<string, ManifestFile>()
  entries.forEach(([name, [sha256, size, ino, mtime, ctime]], i) => {
    if (checked[i]) files.set(name, {sha256, size, ino, mtime, ctime})
  })
  // Keys only for files still as written.
  const pages = new Map<string, string>()
  for (const [name, key] of Object.entries(stored.keys)) if (files.has(name) && typeof key === 'string') pages.set(name, key)
  return {buildId, files, pages, shards: new Map(Object.entries(stored.shards))}
}

/** Whether a parsed manifest has the shape this code writes (a damaged one is not used). */
function wellFormed(stored: Stored): boolean {
  const isString = (v: unknown): v is string => typeof v === 'string'
  if (!stored.files || typeof stored.files !== 'object' || !stored.keys || typeof stored.keys !== 'object' || !stored.shards || typeof stored.shards !== 'object') return false
  for (const entry of Object.values(stored.files)) {
    if (!Array.isArray(entry) || entry.length !== 5 || !isString(entry[0]) || !Number.isSafeInteger(entry[1]) || !entry.slice(2).every(isString)) return false
  }
  if (!Object.values(stored.keys).every(isString)) return false
  for (const [name, shard] of Object.entries(stored.shards)) {
    if (!shard || typeof shard !== 'object' || !isString(shard.key) || !Number.isSafeInteger(shard.docs) || !Array.isArray(shard.chunks) || !shard.chunks.every(isString)) return false
    if (!Array.isArray(shard.files) || !shard.files.every((f) => isString(f) && f.startsWith(`search-index/${name}/`)) || new Set(shard.files).size !== shard.files.length) return false
  }
  return true
}

/**
 * Record the site just swapped in under `out`: each file's digest, with its
 * inode and modification time read now, and the keys and search shards of
 * its rendering.
 */
export async function writeManifest(state: string, out: string, site: {buildId: string; digests: ReadonlyMap<string, string>; keys: ReadonlyMap<string, string>; shards: ReadonlyMap<string, ShardInfo>}): Promise<void> {
  const names = [...site.digests.keys()]
  const stats = names.map((name) => {
    const stat = lstatSync(path.join(out, name), {bigint: true, throwIfNoEntry: false})
    return stat?.isFile() ? {sha256: site.digests.get(name)!, size: Number(stat.size), ino: String(stat.ino), mtime: String(stat.mtimeNs), ctime: String(stat.ctimeNs)} : undefined
  })
  const files: Stored['files'] = {}
  names.forEach((name, i) => {
    const entry = stats[i]
    if (entry) files[name] = [entry.sha256, entry.size, entry.ino, entry.mtime, entry.ctime]
  })
  const stored: Stored = {format: FORMAT, code: codeVersion(), buildId: site.buildId, files, keys: Object.fromEntries(site.keys), shards: Object.fromEntries(site.shards)}
  await fs.mkdir(state, {recursive: true})
  const file = path.join(state, FILE)
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`
  await fs.writeFile(tmp, JSON.stringify(stored))
  await fs.rename(tmp, file)
}

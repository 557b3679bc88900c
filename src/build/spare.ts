/**
 * The spare site: the site a build swapped out, kept beside --out
 * (`.<base>.spare`) with only the files the new live site holds byte for
 * byte at the same path, so that the next build can move its folders into
 * its staging folder whole (one rename a folder) instead of making every
 * folder again and linking every file, and need not remove the old site
 * file by file. At 4,000 papers that was about 1 s of a one-paper edit
 * (making 4,000 folders, linking 8,000 files, then unlinking and removing
 * them with the old site), at 20,000 about 5 s.
 *
 * Why it cannot publish what it should not:
 *  - it holds nothing the live site does not: when a site is swapped out,
 *    every file that is not byte for byte the new live file at its path
 *    (a changed page, a withdrawn paper's, anything the manifest cannot
 *    vouch for) is removed before it becomes the spare, as the old site was
 *    removed before;
 *  - a build writes nothing into it: new files go into a new staging folder
 *    only, and a folder is moved from the spare only when every file and
 *    folder in it is what the spare's record says (inode, size,
 *    modification and change times, which cannot be set back) and what the
 *    build keeps at that path (the same SHA-256), with no other entry;
 *  - the staging folder, moved folders included, is read whole by the leak
 *    check before it is swapped in, as before;
 *  - a swap removes the spare before it replaces the live site (what the
 *    build moved from it is in the stage by then): the spare never outlives
 *    the live site it was made for. A run that stops while it prunes the
 *    site it swapped out leaves that site beside --out under its old-site
 *    name, which the next run removes, as before;
 *  - its record (`<state>/site-spare.json`) is removed before the first
 *    folder is moved and before the old site is pruned, and written last: a
 *    spare with no record (or a record with no spare) lends nothing.
 * The record is trusted as far as the state folder is, as the site
 * manifest is: the bytes of a folder it lends are not read again before the
 * move, only by the leak check after (which reads the whole stage).
 */
import {lstatSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync, type BigIntStats} from 'node:fs'
import path from 'node:path'
import {removeTree} from './remove.js'

const FILE = 'site-spare.json'
const FORMAT = 1

/** A file of the spare as recorded: its SHA-256 and size, inode, modification and change times (ns). */
export interface SpareFile {
  sha256: string
  size: number
  ino: string
  mtime: string
  ctime: string
}

/** A folder of the spare as recorded: its inode, modification and change times (ns), which any entry added or removed changes. */
export interface SpareFolder {
  ino: string
  mtime: string
  ctime: string
}

/** The spare of a site as its record describes it. */
export interface Spare {
  /** The spare folder (absolute). */
  dir: string
  files: ReadonlyMap<string, SpareFile>
  /** Every folder below the spare's own (relative, POSIX separators). */
  folders: ReadonlyMap<string, SpareFolder>
}

interface Stored {
  format: number
  dir: string
  files: Record<string, [string, number, string, string, string]>
  folders: Record<string, [string, string, string]>
}

/** The spare folder of the site `<dir>/<base>`. */
export function spareDir(dir: string, base: string): string {
  return path.join(dir, `.${base}.spare`)
}

/**
 * The spare of the site at `<dir>/<base>` as `state`'s record describes it,
 * or undefined (no record, another folder's, or one that cannot be read).
 */
export function readSpare(state: string, dir: string, base: string): Spare | undefined {
  const folder = spareDir(dir, base)
  let stored: Stored
  try {
    stored = JSON.parse(readFileSync(path.join(state, FILE), 'utf8')) as Stored
  } catch {
    return undefined
  }
  if (stored?.format !== FORMAT || stored.dir !== folder || !wellFormed(stored)) return undefined
  const files = new Map<string, SpareFile>()
  for (const [name, [sha256, size, ino, mtime, ctime]] of Object.entries(stored.files)) files.set(name, {sha256, size, ino, mtime, ctime})
  const folders = new Map<string, SpareFolder>()
  for (const [name, [ino, mtime, ctime]] of Object.entries(stored.folders)) folders.set(name, {ino, mtime, ctime})
  return {dir: folder, files, folders}
}

function wellFormed(stored: Stored): boolean {
  const isString = (v: unknown): v is string => typeof v === 'string'
  if (!stored.files || typeof stored.files !== 'object' || !stored.folders || typeof stored.folders !== 'object') return false
  for (const entry of Object.values(stored.files)) {
    if (!Array.isArray(entry) || entry.length !== 5 || !isString(entry[0]) || !Number.isSafeInteger(entry[1]) || !entry.slice(2).every(isString)) return false
  }
  return Object.values(stored.folders).every((entry) => Array.isArray(entry) && entry.length === 3 && entry.every(isString))
}

/** Forget the spare's record (before its first folder is moved: what is moved is no longer where the record says). */
export function forgetSpare(state: string): void {
  try {
    unlinkSync(path.join(state, FILE))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

const sameFile = (stat: BigIntStats | undefined, file: {size: number; ino: string; mtime: string; ctime: string}): boolean =>
  stat !== undefined && stat.isFile() && stat.size === BigInt(file.size) && String(stat.ino) === file.ino && String(stat.mtimeNs) === file.mtime && String(stat.ctimeNs) === file.ctime

/**
 * The folders of `spare` the stage can take whole: below the site's top
 * folder, holding no file the build made (`made`, every folder above a made
 * file), and holding exactly the files `kept` names under them, each with
 * the SHA-256 the build keeps and each, with every folder in it, still as
 * the record says on disk. The outermost such folders, relative to the site.
 */
export function movableFolders(spare: Spare, kept: ReadonlyMap<string, {sha256: string}>, made: Iterable<string>): string[] {
  const dirty = new Set<string>(['.'])
  for (const name of made) for (let d = path.posix.dirname(name); !dirty.has(d); d = path.posix.dirname(d)) dirty.add(d)
  // Each folder's files and subfolders, as the build keeps them and as the spare holds them.
  const tree = () => ({files: new Map<string, string>(), dirs: new Set<string>()})
  const want = new Map<string, ReturnType<typeof tree>>()
  const have = new Map<string, ReturnType<typeof tree>>()
  const add = (into: Map<string, ReturnType<typeof tree>>, name: string, sha: string): void => {
    const dir = path.posix.dirname(name)
    let node = into.get(dir)
    if (!node) into.set(dir, (node = tree()))
    node.files.set(name, sha)
    for (let d = dir; d !== '.'; d = path.posix.dirname(d)) {
      const parent = path.posix.dirname(d)
      let up = into.get(parent)
      if (!up) into.set(parent, (up = tree()))
      if (up.dirs.has(d)) break
      up.dirs.add(d)
    }
  }
  for (const [name, file] of kept) add(want, name, file.sha256)
  for (const [name, file] of spare.files) add(have, name, file.sha256)
  // A folder the spare holds must be recorded, with every folder above it.
  const memo = new Map<string, boolean>()
  const movable = (dir: string): boolean => {
    const known = memo.get(dir)
    if (known !== undefined) return known
    const result = ((): boolean => {
      if (dirty.has(dir)) return false
      const w = want.get(dir)
      const h = have.get(dir)
      const folder = spare.folders.get(dir)
      if (!w || !h || !folder) return false
      if (w.files.size !== h.files.size || w.dirs.size !== h.dirs.size) return false
      for (const [name, sha] of w.files) if (h.files.get(name) !== sha) return false
      for (const sub of w.dirs) if (!h.dirs.has(sub)) return false
      // On disk as recorded: the folder (no entry added or removed since),
      // holding exactly the entries the build keeps there (read now: a
      // file added while the record was made, in the same tick of the clock
      // as the folder's times were read, is not in the record; a red-team
      // finding), and each file.
      const stat = lstatSync(path.join(spare.dir, dir), {bigint: true, throwIfNoEntry: false})
      if (!stat?.isDirectory() || String(stat.ino) !== folder.ino || String(stat.mtimeNs) !== folder.mtime || String(stat.ctimeNs) !== folder.ctime) return false
      const entries = readdirSync(path.join(spare.dir, dir))
      if (entries.length !== w.files.size + w.dirs.size) return false
      for (const name of entries) {
        const rel = `${dir}/${name}`
        if (!w.files.has(rel) && !w.dirs.has(rel)) return false
      }
      for (const name of w.files.keys()) if (!sameFile(lstatSync(path.join(spare.dir, name), {bigint: true, throwIfNoEntry: false}), spare.files.get(name)!)) return false
      for (const sub of w.dirs) if (!movable(sub)) return false
      return true
    })()
    memo.set(dir, result)
    return result
  }
  const outermost: string[] = []
  const visit = (dir: string): void => {
    for (const sub of want.get(dir)?.dirs ?? []) {
      if (movable(sub)) outermost.push(sub)
      else visit(sub)
    }
  }
  visit('.')
  return outermost.sort()
}

/**
 * Make `old` (a site just swapped out) the spare of the site now live at
 * `live`, synchronously: every file that is not byte for byte the live file
 * at its path is removed (one the old manifest vouches for, `vouched`, still
 * as it recorded, with the SHA-256 the new site has there; or the very file
 * live there, a hard link), and so is every link, other entry and folder
 * left empty; then the previous spare is removed, `old` takes its place and
 * its record is written. The record is written last: the live site's
 * manifest, written after, must see the change times every unlink here made
 * to files the two share.
 */
export function retireToSpare(state: string, old: string, live: string, site: {digests: ReadonlyMap<string, string>; vouched?: ReadonlyMap<string, SpareFile>}): void {
  forgetSpare(state)
  const files: Stored['files'] = {}
  const folders: Stored['folders'] = {}
  // The stat a kept file is recorded with: read once, here. (Unlinking the
  // others changes no kept file's times: a file that differs from the new
  // site's shares no inode with one that does, unless something else linked
  // them, and then the record is stale and the folder is not lent.)
  const keeps = (rel: string, abs: string): BigIntStats | undefined => {
    const want = site.digests.get(rel)
    if (want === undefined) return undefined
    const stat = lstatSync(abs, {bigint: true})
    if (!stat.isFile()) return undefined
    const vouched = site.vouched?.get(rel)
    if (vouched && vouched.sha256 === want && sameFile(stat, vouched)) return stat
    // The live file itself (linked into the new site: its change time moved then).
    const now = lstatSync(path.join(live, rel), {bigint: true, throwIfNoEntry: false})
    return now !== undefined && now.isFile() && now.ino === stat.ino && now.dev === stat.dev ? stat : undefined
  }
  // Returns whether the folder keeps anything; a folder's times are read
  // after its entries are pruned (each removal changes them).
  const prune = (rel: string): boolean => {
    const abs = rel === '.' ? old : path.join(old, rel)
    let any = false
    for (const entry of readdirSync(abs, {withFileTypes: true})) {
      const name = rel === '.' ? entry.name : `${rel}/${entry.name}`
      const file = path.join(abs, entry.name)
      if (entry.isDirectory()) {
        // Its own type, read just before it is read: a folder swapped for a
        // link since the listing is a link, removed as one, and what it
        // points to is left alone (as removeTree does).
        if (!lstatSync(file).isDirectory()) unlinkSync(file)
        else if (prune(name)) any = true
        else rmdirSync(file)
      } else {
        const stat = entry.isFile() ? keeps(name, file) : undefined
        if (stat) {
          any = true
          files[name] = [site.digests.get(name)!, Number(stat.size), String(stat.ino), String(stat.mtimeNs), String(stat.ctimeNs)]
        } else unlinkSync(file)
      }
    }
    if (any && rel !== '.') {
      const stat = lstatSync(abs, {bigint: true})
      folders[rel] = [String(stat.ino), String(stat.mtimeNs), String(stat.ctimeNs)]
    }
    return any
  }
  prune('.')
  // (The swap removed the previous spare before it replaced the site: see
  // `swapIn`; one made since by another run goes too.)
  const spare = spareDir(path.dirname(old), path.basename(live))
  if (lstatSync(spare, {throwIfNoEntry: false})) removeTree(spare)
  // (Moving the top folder changes only its own times.)
  renameSync(old, spare)
  const stored: Stored = {format: FORMAT, dir: spare, files, folders}
  const target = path.join(state, FILE)
  const temp = `${target}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify(stored))
  renameSync(temp, target)
}

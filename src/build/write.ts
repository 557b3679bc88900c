/**
 * Write a site atomically: into a temporary folder beside --out, then two
 * renames swap it in. A failed build never touches --out; a successful one
 * leaves no file of an earlier build but, beside --out, the spare
 * (./spare.ts): the site it replaced, less every file that is not byte for
 * byte one of the new site's. A run killed between the two renames is
 * repaired by the next run (`recoverOut`).
 */
import {createHash, randomBytes} from 'node:crypto'
import {constants as fsConstants, copyFileSync, linkSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync, type BigIntStats} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {SiteFiles} from '../site/render.js'

import {MARKER} from './marker.js'
import {removeTree} from './remove.js'
import {forgetSpare, movableFolders, readSpare, retireToSpare, spareDir, type Spare, type SpareFile} from './spare.js'

export {MARKER, removeTree}

export class OutputError extends Error {}

/** A file the build kept from the live site is no longer the one its manifest vouched for: make the site again whole. */
export class LiveSiteChanged extends OutputError {}

/** What a kept file must still be in the live site: its SHA-256, size, inode, modification and change times (ns). */
export interface KeptFile {
  sha256: string
  size: number
  ino: string
  mtime: string
  ctime: string
}

/**
 * The folders beside `out`: its parent (its real path, so that two runs
 * naming --out through different paths agree on every name), and the names
 * of staging and old-site folders.
 */
function siblings(out: string) {
  const resolved = path.dirname(path.resolve(out))
  let dir = resolved
  try {
    dir = realpathSync.native(resolved)
  } catch {
    // Not there yet: made by the first write.
  }
  const base = path.basename(path.resolve(out))
  return {dir, base, tmpPrefix: `.${base}.tmp-`, oldPrefix: `.${base}.old-`}
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A staging (`tmp`) or old-site (`old`) folder of the site `base`, as this
 * code names them (`.<base>.tmp-<pid>-<8 hex>`): the kind and the pid, or
 * undefined for any other name (another site's, `.site.old-2.tmp-...` of
 * `--out site.old-2` included).
 */
function sibling(base: string, name: string): {kind: 'tmp' | 'old'; pid: number} | undefined {
  const match = new RegExp(`^\\.${escapeRe(base)}\\.(tmp|old)-(\\d+)-[0-9a-f]{8}$`).exec(name)
  return match ? {kind: match[1] as 'tmp' | 'old', pid: Number(match[2])} : undefined
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p)
    return true
  } catch {
    return false
  }
}

/** Staging and old-site folders a write of this process is using now (absolute paths). */
const inFlight = new Set<string>()

/** Whether a process of this machine is running (used to tell stale temporary folders and locks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Put --out back if a run died between the two renames, and remove the
 * temporary folders of runs that are no longer alive.
 */
export async function recoverOut(out: string, {swapWindowMs = SWAP_WINDOW_MS}: {swapWindowMs?: number} = {}): Promise<void> {
  const {dir, base} = siblings(out)
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return
  }
  const target = path.join(dir, base)
  // Folders this process is using right now (another write of this process,
  // between its steps) are neither repaired from nor removed.
  const isOld = (n: string) => sibling(base, n)?.kind === 'old'
  const olds = names.filter((n) => isOld(n) && !inFlight.has(path.join(dir, n))).sort()
  // A swap of this process is under way: --out may be missing on purpose.
  if (names.some((n) => isOld(n) && inFlight.has(path.join(dir, n)))) return
  if (!(await exists(target)) && olds.length > 0) {
    // The previous site was moved aside but the new one never arrived. With
    // more than one candidate, which was live is not certain: refuse.
    if (olds.length > 1) throw new OutputError(`\`${out}\` is missing and ${olds.length} earlier sites (${olds.join(', ')}) are beside it: move the one that was live back to \`${out}\` and remove the others`)
    const pid = sibling(base, olds[0])!.pid
    const candidate = path.join(dir, olds[0])
    const stat = lstatSync(candidate, {throwIfNoEntry: false})
    // Another process is between its two renames (one synchronous step, so
    // moments ago): not ours to undo. Older, its pid is another process's now.
    if (pid !== process.pid && processAlive(pid) && stat && Date.now() - stat.ctimeMs < swapWindowMs) throw new OutputError(`\`${out}\` is being replaced by another run (process ${pid}): nothing written; run again`)
    // Only a site this code wrote is put back (a folder with its marker, not a link to one).
    if (stat?.isDirectory() && lstatSync(path.join(candidate, MARKER), {throwIfNoEntry: false})?.isFile()) await fs.rename(candidate, target)
  }
  const now = Date.now()
  for (const name of names) {
    const found = sibling(base, name)
    if (found === undefined) continue
    const file = path.join(dir, name)
    if (inFlight.has(file)) continue
    // Another live process's: not ours to remove. (This process's others are
    // left by a write of it that failed.) A staging folder untouched for a
    // day is a dead run's whose pid was given to another process since.
    const stat = lstatSync(file, {throwIfNoEntry: false})
    if (!stat) continue
    if (found.pid !== process.pid && processAlive(found.pid) && !(found.kind === 'tmp' && now - stat.mtimeMs > STALE_STAGE_MS)) continue
    removeTree(file)
  }
}

/**
 * A site moved aside longer ago than this (its change time: the rename) by a
 * pid alive is a dead run's whose pid was reused: a swap's two renames are
 * one synchronous step.
 */
const SWAP_WINDOW_MS = 60_000

/** A staging folder older than this, of a pid alive, is another process's pid reused. */
const STALE_STAGE_MS = 24 * 3_600_000

/** The real path of `p`, or of its nearest existing parent joined with the rest. */
async function realish(p: string): Promise<string> {
  const absolute = path.resolve(p)
  try {
    return await fs.realpath(absolute)
  } catch {
    const parent = path.dirname(absolute)
    return parent === absolute ? absolute : path.join(await realish(parent), path.basename(absolute))
  }
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep)
}

/**
 * Refuse folders that overlap: a swap replaces --out whole, so the content
 * folder or the state folder (the release log!) inside it would be deleted,
 * or published; and --out inside the content folder would be read as papers.
 */
export async function assertSeparateFolders(folders: {content: string; out: string; state?: string}): Promise<void> {
  const out = await realish(folders.out)
  const content = await realish(folders.content)
  if (inside(content, out)) throw new OutputError(`--content \`${folders.content}\` is inside --out \`${folders.out}\`, which each build replaces whole: keep them apart`)
  if (inside(out, content)) throw new OutputError(`--out \`${folders.out}\` is inside --content \`${folders.content}\`: keep the site out of the content folder`)
  if (folders.state !== undefined) {
    const state = await realish(folders.state)
    if (inside(state, out)) throw new OutputError(`--state \`${folders.state}\` is inside --out \`${folders.out}\`: the release log and cache must never be published (nor deleted by a swap)`)
  }
}

/** Refuse to replace a non-empty folder that is not a mopac site. */
export async function assertReplaceable(out: string): Promise<void> {
  const target = path.resolve(out)
  let entries: string[]
  try {
    const stat = await fs.lstat(target)
    if (!stat.isDirectory()) throw new OutputError(`\`${out}\` is not a folder: give an output folder with --out`)
    entries = await fs.readdir(target)
  } catch (error) {
    if (error instanceof OutputError) throw error
    return
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new OutputError(`\`${out}\` holds files that mopac did not write (no \`${MARKER}\`): give an empty or new folder with --out, or remove it`)
  }
}

/**
 * A staging folder being filled: files are written into it as they are made
 * (`put`), so a build never holds the whole site; `finish` links the files
 * kept from the live site and gives the folder to check and swap in.
 */
export interface Stage {
  /** The temporary folder beside --out. */
  readonly dir: string
  /** Write one file of the site (a name put twice is written twice, the last wins). */
  put(name: string, content: string | Uint8Array): void
  /**
   * Link each of `kept` (files of the live site the build keeps as they are,
   * src/build/manifest.ts), checking each is the file the manifest vouched
   * for; returns the folder. The live file is never changed, so a failed
   * build still leaves the live site exactly as it was. With `spare` (the
   * site swapped out last, ./spare.ts), the folders it holds exactly as the
   * build keeps them are moved from it whole instead.
   */
  finish(kept?: ReadonlyMap<string, KeptFile>, spare?: {spare: Spare; state: string}): Promise<string>
  /** Remove the folder (a stage not used). */
  discard(): Promise<void>
}

/**
 * A new staging folder beside `out`, made when its first file comes (a run
 * stopped while papers are processed leaves none).
 */
export async function openStage(out: string): Promise<Stage> {
  const {dir, base, tmpPrefix} = siblings(out)
  const tmp = path.join(dir, `${tmpPrefix}${process.pid}-${randomBytes(4).toString('hex')}`)
  const folders = new Set<string>(['.'])
  const names = new Set<string>()
  // The folder this stage made: the one it finishes (not one made in its place meanwhile).
  let made: bigint | undefined
  const make = (): void => {
    if (stopping) throw new OutputError('stopped by a signal: nothing published')
    if (made !== undefined) return
    mkdirSync(dir, {recursive: true})
    inFlight.add(tmp)
    mkdirSync(tmp)
    made = lstatSync(tmp, {bigint: true}).ino
  }
  // One mkdir a folder, its parent first (a recursive mkdir tries every
  // level of the path: most of a one-paper build's staging time).
  const folderOf = (name: string): void => {
    const folder = path.dirname(name)
    if (folders.has(folder)) return
    folderOf(folder)
    mkdirSync(path.join(tmp, folder))
    folders.add(folder)
  }
  return {
    dir: tmp,
    put(name, content) {
      if (path.isAbsolute(name) || name.split(/[\\/]/).some((part) => part === '..' || part === '')) throw new OutputError(`\`${name}\` is not a path inside the site`)
      make()
      folderOf(name)
      writeFileSync(path.join(tmp, name), content)
      names.add(name)
    },
    async finish(kept = new Map(), spare) {
      try {
        if (stopping) throw new OutputError('stopped by a signal: nothing published')
        make()
        const live = path.join(dir, base)
        if (kept.size > 0 && !(await exists(path.join(live, MARKER)))) throw new LiveSiteChanged(`\`${out}\` is not the site this build keeps files of`)
        // Every folder to move is chosen before anything is linked (a link
        // changes the change time of a file the spare may share).
        const moving = spare && kept.size > 0 ? movableFolders(spare.spare, kept, names) : []
        const moved = new Set<string>()
        // (Its record no longer holds once a folder has left it.)
        if (moving.length > 0) forgetSpare(spare!.state)
        for (const folder of moving) {
          folderOf(folder)
          try {
            renameSync(path.join(spare!.spare.dir, folder), path.join(tmp, folder))
          } catch {
            continue
          }
          moved.add(folder)
          folders.add(folder)
        }
        const inMoved = (name: string): boolean => {
          for (let d = path.posix.dirname(name); d !== '.'; d = path.posix.dirname(d)) if (moved.has(d)) return true
          return false
        }
        for (const [name, expected] of kept) {
          if (moved.size > 0 && inMoved(name)) continue
          folderOf(name)
          keepFile(path.join(live, name), path.join(tmp, name), expected)
        }
        if (!names.has(MARKER)) await fs.writeFile(path.join(tmp, MARKER), 'mopac-publisher site\n')
        // Still the folder this stage made, with every file it wrote.
        if (lstatSync(tmp, {bigint: true, throwIfNoEntry: false})?.ino !== made || [...names].some((name) => !lstatSync(path.join(tmp, name), {throwIfNoEntry: false})?.isFile())) {
          throw new OutputError(`the staging folder \`${tmp}\` changed while the site was written into it: nothing published; run again`)
        }
        return tmp
      } catch (error) {
        // Nothing of a half-staged folder stays, in the folder or in this process's list.
        await discard(tmp)
        throw error
      }
    },
    discard: async () => {
      if (made !== undefined) await discard(tmp)
    }
  }
}

/** Set by `stopStaging`: no stage is made, filled, finished or swapped in after. */
let stopping = false

/** Old sites this process has swapped out and is removing. */
const retired = new Set<string>()

/**
 * For a signal that stops a run: at once, and synchronously, remove the
 * staging folders this process is filling and the old sites it has swapped
 * out, and refuse every stage and swap after (the process may go on for a
 * turn of the event loop before the signal ends it). A swap is two renames
 * made synchronously, so a signal never finds one half done: --out is the
 * site before or the site after, whole.
 */
export function stopStaging(): void {
  stopping = true
  for (const folder of [...inFlight, ...retired]) {
    if (!retired.has(folder) && !/\.tmp-\d+-[0-9a-f]{8}$/.test(folder)) continue
    try {
      removeTree(folder)
    } catch {
      // The next run removes it (its process is gone).
    }
  }
}

/**
 * Write `files` (kept in memory) into a new staging folder beside `out`, and
 * finish it with `kept` (see `Stage.finish`); returns its path.
 */
export async function stageSite(out: string, files: SiteFiles, kept: ReadonlyMap<string, KeptFile> = new Map()): Promise<string> {
  const stage = await openStage(out)
  try {
    for (const [name, content] of files) stage.put(name, content)
  } catch (error) {
    await stage.discard()
    throw error
  }
  return stage.finish(kept)
}

/**
 * Link a kept file from the live site, then check the link is the file the
 * manifest vouched for (the live site may have been replaced meanwhile).
 * Where links cannot be made, copy it and check its bytes instead.
 */
function keepFile(live: string, target: string, expected: KeptFile): void {
  const same = (stat: BigIntStats | undefined, ctime: boolean) => stat?.isFile() && stat.size === BigInt(expected.size) && String(stat.ino) === expected.ino && String(stat.mtimeNs) === expected.mtime && (!ctime || String(stat.ctimeNs) === expected.ctime)
  // (Linking changes the file's change time: checked before, and the link's inode after.)
  if (!same(lstatSync(live, {bigint: true, throwIfNoEntry: false}), true)) throw new LiveSiteChanged(`\`${live}\` changed or is gone`)
  try {
    linkSync(live, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new LiveSiteChanged(`\`${live}\` is gone`)
    // Only where hard links cannot be made (another file system, or one
    // without them): copy, and check the copy. (Never onto an existing name.)
    if (!['EPERM', 'EXDEV', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'].includes(code ?? '')) throw error
    copyFileSync(live, target, fsConstants.COPYFILE_EXCL)
    if (createHash('sha256').update(readFileSync(target)).digest('hex') !== expected.sha256) throw new LiveSiteChanged(`\`${live}\` changed`)
    return
  }
  if (!same(lstatSync(target, {bigint: true}), false)) throw new LiveSiteChanged(`\`${live}\` changed`)
}

/** The spare of the site at `out` as `state`'s record describes it (./spare.ts), if any. */
export function spareOf(state: string, out: string): Spare | undefined {
  const {dir, base} = siblings(out)
  return readSpare(state, dir, base)
}

/**
 * How a swap retires the site it replaced: made the spare of the new one
 * (./spare.ts), keeping the files the new site holds byte for byte; the
 * manifest's files (`vouched`) are the live site's as the build read it.
 */
export function toSpare(state: string, site: {digests: ReadonlyMap<string, string>; vouched?: ReadonlyMap<string, SpareFile>}): (old: string, live: string) => void {
  return (old, live) => retireToSpare(state, old, live, site)
}

/**
 * Swap a staged folder in place of `out`. The site it replaces is removed,
 * or given to `retire` (synchronously; removed if that fails).
 */
export async function swapIn(out: string, staged: string, betweenRenames?: () => void, retire?: (old: string, live: string) => void): Promise<void> {
  const {dir, base, oldPrefix} = siblings(out)
  const target = path.join(dir, base)
  const old = path.join(dir, `${oldPrefix}${process.pid}-${randomBytes(4).toString('hex')}`)
  inFlight.add(old)
  try {
    const hadOld = await exists(target)
    if (stopping) throw new OutputError('stopped by a signal: nothing published')
    // The spare (./spare.ts) goes before the live site changes: it holds
    // files of the site being replaced, some of which the new one may not
    // (a page taken down), and what this build moved from it is staged.
    // (One that cannot be removed does not stop the swap: the live site is
    // what readers see, and a spare without a record lends nothing.)
    const spare = spareDir(dir, base)
    try {
      if (lstatSync(spare, {throwIfNoEntry: false})) removeTree(spare)
    } catch {
      // Tried again after the swap (retireToSpare), and by the next swap.
    }
    // The two renames in one synchronous step: no signal handler runs between
    // them, so a run stopped by one leaves --out whole (SIGKILL between them
    // is repaired by the next run, recoverOut).
    if (hadOld) renameSync(target, old)
    betweenRenames?.()
    try {
      renameSync(staged, target)
    } catch (error) {
      if (hadOld) renameSync(old, target)
      throw error
    }
    inFlight.delete(path.resolve(staged))
    if (hadOld) {
      retired.add(old)
      inFlight.delete(old)
      try {
        try {
          retire?.(old, target)
        } catch {
          // Only speed depends on it: the site is removed, and no spare is recorded.
        }
        if (lstatSync(old, {throwIfNoEntry: false})) removeTree(old)
      } finally {
        retired.delete(old)
      }
    }
  } finally {
    inFlight.delete(old)
    inFlight.delete(path.resolve(staged))
  }
}

/** Remove a staged folder that will not be used. */
export async function discard(staged: string): Promise<void> {
  try {
    removeTree(staged)
  } finally {
    inFlight.delete(path.resolve(staged))
  }
}

/** The build id recorded in a site's marker, if any. */
export async function siteBuildId(out: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(path.join(out, MARKER), 'utf8')
    return /build ([0-9a-f]+)/.exec(text)?.[1]
  } catch {
    return undefined
  }
}

/** The input fingerprint recorded in a site's marker, if any. */
export async function siteFingerprint(out: string): Promise<string | undefined> {
  try {
    const text = await fs.readFile(path.join(out, MARKER), 'utf8')
    return /^inputs ([0-9a-f]+)$/m.exec(text)?.[1]
  } catch {
    return undefined
  }
}

/** A leak found in a staged site by the independent check (`mopac verify`). */
export interface LeakHit {
  outputFile: string
  sourceFile: string
  line: number
  column: number
  match: string
}

/** The independent leak check, run on a staged folder before it is swapped in. */
export type SiteCheck = (staged: string) => Promise<LeakHit[]>

/**
 * Stage, check and swap in one go: the only way a command writes a site.
 * The staged folder is scanned by `check` (the independent leak check); on
 * any hit it is discarded and the live site stays exactly as it was. With
 * `ifLive`, the swap happens only if the live site is still the build it
 * names (`null` for none): a build made from an older view never replaces
 * what another run published meanwhile.
 */
export async function writeVerifiedSite(out: string, files: SiteFiles, options: {check: SiteCheck; ifLive?: string | null}): Promise<{hits: LeakHit[]}> {
  await recoverOut(out)
  await assertReplaceable(out)
  const assertUnchanged = async () => {
    if (options.ifLive !== undefined && ((await siteBuildId(out)) ?? null) !== options.ifLive) {
      throw new OutputError(`\`${out}\` changed while this build ran (another run published it): nothing written; run the build again`)
    }
  }
  await assertUnchanged()
  const staged = await stageSite(out, files)
  try {
    // Why: the second line of defence runs on every path that writes a site;
    // no option turns it off.
    const hits = await options.check(staged)
    if (hits.length > 0) {
      await discard(staged)
      return {hits}
    }
    await assertUnchanged()
    await swapIn(out, staged)
    return {hits: []}
  } catch (error) {
    await discard(staged)
    throw error
  }
}

/**
 * Stage and swap in without the leak check. Only for tests that examine what
 * the pipeline alone writes; commands use `writeVerifiedSite`.
 */
export async function writeSite(out: string, files: SiteFiles, options: {ifLive?: string | null} = {}): Promise<void> {
  await writeVerifiedSite(out, files, {...options, check: async () => []})
}

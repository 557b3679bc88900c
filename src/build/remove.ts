/**
 * Removing a folder tree synchronously (the old site, a discarded stage,
 * what a signal leaves, the spare).
 */
import {lstatSync, readdirSync, rmdirSync, rmSync, unlinkSync} from 'node:fs'
import path from 'node:path'

/**
 * Remove a folder and all in it, synchronously (a signal's handler runs
 * before or after, never during). A plain walk (read the folder, unlink its
 * files, remove it) took two thirds of `fs.rm`'s time on a site of thousands
 * of files; symbolic links in it are removed, never followed. What the walk
 * cannot remove is left to `rmSync`, which retries, and throws if it cannot.
 */
export function removeTree(folder: string): void {
  try {
    removeWalk(folder)
  } catch {
    rmSync(folder, {recursive: true, force: true})
  }
}

function removeWalk(folder: string): void {
  // Each folder's own type is read just before it is: a folder swapped for a
  // link to another since its parent was listed is a link, removed as one,
  // and what it points to is left alone (a red-team finding: the type in the
  // parent's listing was trusted). A link to a folder is the link's to remove.
  const stat = lstatSync(folder, {throwIfNoEntry: false})
  if (!stat) return
  if (!stat.isDirectory()) return unlinkSync(folder)
  let entries
  try {
    entries = readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  for (const entry of entries) {
    const file = path.join(folder, entry.name)
    if (entry.isDirectory()) removeWalk(file)
    else unlinkSync(file)
  }
  rmdirSync(folder)
}

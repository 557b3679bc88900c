/** The lock that keeps runs that write --out and the log apart. */
import fs from 'node:fs/promises'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import {processAlive} from '../build/write.js'

/**
 * Take the state folder's lock (proper-lockfile), waiting up to `wait` ms.
 * `release` and `build` both hold it, so neither swaps a site built from an
 * older view of the content over the other's. The
 * holder's pid is written beside it: a lock whose holder died (SIGKILL
 * cannot unlock) is taken over at once rather than after it goes stale.
 */
export async function acquireLock(state: string, wait: number): Promise<(() => Promise<void>) | undefined> {
  await fs.mkdir(state, {recursive: true})
  const lockPath = path.join(state, 'release.lock')
  const pidPath = path.join(state, 'release.lock.pid')
  const attempt = (retries: number) =>
    lockfile.lock(state, {
      lockfilePath: lockPath,
      realpath: false,
      // Why: a holder on another machine (shared disk) is only known dead by its lock going stale.
      stale: 15_000,
      update: 5_000,
      retries: {retries, factor: 1, minTimeout: 250, maxTimeout: 250}
    })
  const locked = (error: unknown) => (error as {code?: string}).code === 'ELOCKED'
  /** Remove a lock whose holder (on this machine) is dead; whether it did. */
  const takeOverDead = async () => {
    const holder = Number(await fs.readFile(pidPath, 'utf8').catch(() => 'NaN'))
    if (!Number.isInteger(holder) || holder <= 0 || processAlive(holder)) return false
    await fs.rm(lockPath, {recursive: true, force: true})
    return true
  }
  let release: () => Promise<void>
  try {
    // First without waiting: a dead holder's lock is taken over at once.
    release = await attempt(0)
  } catch (error) {
    if (!locked(error)) throw error
    try {
      release = (await takeOverDead()) ? await attempt(0) : await attempt(Math.max(0, Math.ceil(wait / 250)))
    } catch (again) {
      if (!locked(again)) throw again
      // The holder may have died while we waited.
      if (!(await takeOverDead())) return undefined
      try {
        release = await attempt(0)
      } catch (last) {
        if (locked(last)) return undefined
        throw last
      }
    }
  }
  await fs.writeFile(pidPath, String(process.pid))
  return async () => {
    await fs.rm(pidPath, {force: true})
    await release()
  }
}

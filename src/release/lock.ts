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
  const attempt = () =>
    lockfile.lock(state, {
      lockfilePath: lockPath,
      realpath: false,
      // Why: a holder on another machine (shared disk) is only known dead by its lock going stale.
      stale: 15_000,
      update: 5_000,
      retries: {retries: Math.max(0, Math.ceil(wait / 250)), factor: 1, minTimeout: 250, maxTimeout: 250}
    })
  let release: () => Promise<void>
  try {
    release = await attempt()
  } catch (error) {
    if ((error as {code?: string}).code !== 'ELOCKED') throw error
    const holder = Number(await fs.readFile(pidPath, 'utf8').catch(() => 'NaN'))
    if (!Number.isInteger(holder) || holder <= 0 || processAlive(holder)) return undefined
    await fs.rm(lockPath, {recursive: true, force: true})
    try {
      release = await attempt()
    } catch (again) {
      if ((again as {code?: string}).code === 'ELOCKED') return undefined
      throw again
    }
  }
  await fs.writeFile(pidPath, String(process.pid))
  return async () => {
    await fs.rm(pidPath, {force: true})
    await release()
  }
}

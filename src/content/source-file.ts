/**
 * Reading a paper's bytes from disk: the edge the pure reading (./read.ts)
 * gets them from. A paper is read only as the regular file the scan found
 * (./discover.ts): what stands at its path when it is read may have changed
 * since, into a link, a pipe that nobody writes (a read would wait for ever,
 * with the signal handlers unable to run), a device that never ends, a
 * folder, or nothing. Any of those is `PaperChanged`, never a wait or an
 * unbounded read.
 */
import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs'

/**
 * A paper changed on disk, or was removed, while a run was using it. The
 * command stops with exit code 1 and the message (src/cli/index.ts reads
 * `changedDuringRun`, so the leak check, which shares no code, can say the
 * same).
 */
export class PaperChanged extends Error {
  readonly changedDuringRun = true
}

/**
 * The bytes of the regular file at `file`, opened without following a link
 * or waiting on a pipe, and no more than its size when opened (or than
 * `size`, which it must then have). Throws `PaperChanged`, naming the paper
 * as `name`, when it is anything else or cannot be read.
 */
export function readSourceFile(file: string, name: string, size?: number): Uint8Array {
  const changed = (why: string) => new PaperChanged(`\`${name}\` changed or was removed while this run was using it (${why}): nothing was published; run the command again`)
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    throw changed((error as NodeJS.ErrnoException).code ?? 'cannot be opened')
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw changed('not a regular file')
    if (size !== undefined && stat.size !== size) throw changed('another size')
    const bytes = new Uint8Array(stat.size)
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) throw changed('shorter than when opened')
      read += n
    }
    return bytes
  } catch (error) {
    if (error instanceof PaperChanged) throw error
    throw changed((error as NodeJS.ErrnoException).code ?? 'cannot be read')
  } finally {
    closeSync(fd)
  }
}

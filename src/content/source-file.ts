/**
 * Reading a file of the content folder from disk: the edge the pure reading
 * (./read.ts) gets a paper's bytes from, and the site configuration, the
 * approvals file and the code frames of reports theirs. A file is read only
 * as a regular file: what stands at its path when it is read may be (or
 * have become since the scan) a link, a pipe that nobody writes (a read
 * would wait for ever, with the signal handlers unable to run), a device
 * that never ends, a folder, or nothing. Any of those is refused at once,
 * never waited on or read without end.
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

/** Papers larger than this are not read (a 3 MB paper is a long one; the pipeline costs about 5 s of CPU a MB). */
export const MAX_PAPER_BYTES = 64 * 1024 * 1024

/** A paper that is not read at all (too large): the command stops with exit code 1 and the message. */
export class PaperRefused extends Error {
  readonly changedDuringRun = true
}

/** A file not read: why, and the system's error code when there was one (`ENOENT` for none there). */
export class FileRefused extends Error {
  constructor(
    readonly reason: string,
    readonly code?: string
  ) {
    super(reason)
  }
}

/**
 * The bytes of the regular file at `file`, opened without waiting on a pipe
 * (and, unless `follow`, without following a link), no more than its size
 * when opened: exactly `size` when given, at most `limit`. Throws
 * `FileRefused` for anything else or a file that cannot be read.
 */
export function readRegularFile(file: string, {size, limit, follow = false}: {size?: number; limit?: number; follow?: boolean} = {}): Uint8Array {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new FileRefused(code === 'ELOOP' ? 'a symbolic link' : (code ?? 'cannot be opened'), code)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new FileRefused(stat.isDirectory() ? 'a folder' : 'not a regular file')
    if (size !== undefined && stat.size !== size) throw new FileRefused('another size')
    if (limit !== undefined && stat.size > limit) throw new FileRefused(`larger than ${limit} bytes`)
    const bytes = new Uint8Array(stat.size)
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) throw new FileRefused('shorter than when opened')
      read += n
    }
    return bytes
  } catch (error) {
    if (error instanceof FileRefused) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new FileRefused(code ?? 'cannot be read', code)
  } finally {
    closeSync(fd)
  }
}

/**
 * A paper's bytes as `readRegularFile` reads them (no link followed; exactly
 * `size` bytes when given). Throws `PaperChanged`, naming the paper as
 * `name`, when it is anything else or cannot be read.
 */
export function readSourceFile(file: string, name: string, size?: number): Uint8Array {
  try {
    return readRegularFile(file, {size, limit: MAX_PAPER_BYTES})
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error
    if (error.reason.startsWith('larger than')) throw new PaperRefused(`\`${name}\` is larger than ${MAX_PAPER_BYTES / 2 ** 20} MiB, and is not read: split it into papers, or move what is not a paper out of the content folder`)
    throw new PaperChanged(`\`${name}\` changed or was removed while this run was using it (${error.reason}): nothing was published; run the command again`)
  }
}

/**
 * A paper's text as the build would read it (a regular file, no link, at
 * most 64 MiB), or undefined when it cannot be: for commands that only look
 * at papers (`new`, `import`: their references), where the build refuses
 * such a paper anyway.
 */
export function paperTextIfReadable(file: string): string | undefined {
  try {
    return Buffer.from(readRegularFile(file, {limit: MAX_PAPER_BYTES})).toString('utf8')
  } catch {
    return undefined
  }
}

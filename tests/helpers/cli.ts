/**
 * Two ways to run `mopac`: `mopac()` spawns the real bin (built into dist/ by
 * `npm test`) in a child process; `runMopac()` calls the same `main()` in this
 * process, which is about ten times cheaper. Spawn only when the process
 * boundary is what is tested: exit codes set by the bin, signals, SIGKILL at a
 * stage, two processes at once, worker threads and their time budget (papers
 * run on workers only from the compiled code, so in-process runs under vitest
 * process every paper in this thread).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type {CliIo} from '../../src/cli/io.js'

export const repo = path.join(import.meta.dirname, '../..')
const bin = path.join(repo, 'bin/mopac.js')

export interface MopacResult {
  code: number | null
  stdout: string
  stderr: string
}

export function mopac(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): MopacResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repo,
    env: {...process.env, ...options.env},
    encoding: 'utf8'
  })
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

/**
 * `mopac args` in this process, through `main(argv, io)` as bin/mopac.js
 * calls it: the exit code it returns (70 for an unexpected failure, as the
 * bin reports it), and everything written to stdout and stderr.
 *
 * Relative paths resolve against `cwd` (default: the repository, as for
 * `mopac()`). `env` is added to the command's environment; a `TZ` in it is
 * also the time zone of this process while the command runs (Node applies a
 * change to process.env.TZ at once), so a time-zone test means the same as
 * with a child process. `now` is the command's clock (default: the real one).
 */
export async function runMopac(args: string[], options: {cwd?: string; env?: Record<string, string>; now?: Date} = {}): Promise<MopacResult & {code: number}> {
  let stdout = ''
  let stderr = ''
  const env = {...process.env, ...options.env}
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    now: () => options.now ?? new Date(),
    isTTY: false,
    env
  }
  const cwd = process.cwd()
  const tz = process.env.TZ
  const target = options.cwd ?? repo
  if (path.resolve(target) !== cwd) process.chdir(target)
  if (options.env?.TZ !== undefined) process.env.TZ = options.env.TZ
  let code: number
  try {
    // Imported here, so files that only spawn the bin do not load the whole CLI.
    const {main} = await import('../../src/cli/index.js')
    code = await main(args, io)
  } catch (error) {
    // What bin/mopac.js prints and exits with when main() throws.
    stderr += `mopac: unexpected failure (a bug; nothing was published):\n${(error as Error)?.stack ?? error}\n`
    code = 70
  } finally {
    if (process.cwd() !== cwd) process.chdir(cwd)
    if (options.env?.TZ !== undefined) {
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    }
  }
  return {code, stdout, stderr}
}

/** Every file under `dir` with its bytes, for exact comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, {withFileTypes: true})) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else files[path.relative(dir, full)] = fs.readFileSync(full).toString('base64')
    }
  }
  walk(dir)
  return files
}

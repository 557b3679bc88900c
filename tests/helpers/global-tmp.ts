/**
 * vitest `globalSetup`: every temporary folder the tests make (sites, state
 * folders, corpora: several hundred a run) goes into one folder of this run,
 * removed when the run ends, instead of piling up in the system's.
 * `os.tmpdir()` reads TMPDIR, and the test workers inherit it.
 *
 * Where: TMPDIR when it is set; else /dev/shm (memory) when it exists with
 * room, as the tests write and remove some tens of thousands of small files
 * and the disk's share of that was a tenth of the run; else the system's.
 */
import {mkdtempSync, rmSync, statfsSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

function base(): string {
  if (process.env.TMPDIR) return os.tmpdir()
  try {
    const fs = statfsSync('/dev/shm')
    if (fs.bavail * fs.bsize > 4 * 1024 ** 3) return '/dev/shm'
  } catch {
    // No /dev/shm here (macOS, Windows): the system's.
  }
  return os.tmpdir()
}

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(base(), 'mopac-tests-'))
  const before = process.env.TMPDIR
  process.env.TMPDIR = dir
  return () => {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
    rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * vitest `globalSetup`: every temporary folder the tests make (sites, state
 * folders, corpora: several hundred a run) goes into one folder of this run,
 * removed when the run ends, instead of piling up in the system's.
 * `os.tmpdir()` reads TMPDIR, and the test workers inherit it.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mopac-tests-'))
  const before = process.env.TMPDIR
  process.env.TMPDIR = dir
  return () => {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
    rmSync(dir, {recursive: true, force: true})
  }
}

/**
 * A paper's bytes are read only from the regular file the scan found: what
 * stands at its path when it is read (a link, a pipe nobody writes, a device
 * without end, a folder, nothing) is an error naming the paper, never a
 * wait or an unbounded read. The build's reads (src/content/source-file.ts)
 * and the leak check's own (src/verify/incremental.ts) are held to the same;
 * the scan refuses what is named like a paper but is not one.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build, readInputs} from '../../src/build/build.js'
import {PaperChanged, readSourceFile} from '../../src/content/source-file.js'
import {readSourceText} from '../../src/verify/incremental.js'
import {verify} from '../../src/verify/index.js'
import {tempDir} from '../helpers/corpus.js'

const TEXT = '---\nid: PCD 1\ntitle: A\n---\n\nBody.\n'

function folder() {
  const dir = tempDir()
  const file = path.join(dir, 'a.md')
  fs.writeFileSync(file, TEXT)
  const other = path.join(dir, 'outside.txt')
  fs.writeFileSync(other, TEXT)
  return {dir, file, other}
}

const kinds: Record<string, (file: string, other: string) => void> = {
  'a pipe nobody writes': (file) => execFileSync('mkfifo', [file]),
  'a link to /dev/zero': (file) => fs.symlinkSync('/dev/zero', file),
  'a folder': (file) => fs.mkdirSync(file),
  nothing: () => {}
}

describe('the build reads a paper only as a regular file', () => {
  it('reads a regular file whole, and checks the size when it is given', () => {
    const {file} = folder()
    expect(Buffer.from(readSourceFile(file, 'a.md')).toString()).toBe(TEXT)
    expect(Buffer.from(readSourceFile(file, 'a.md', Buffer.byteLength(TEXT))).toString()).toBe(TEXT)
    expect(() => readSourceFile(file, 'a.md', 3)).toThrow(PaperChanged)
  })

  for (const [kind, make] of Object.entries({...kinds, 'a link to a regular file': (file: string, other: string) => fs.symlinkSync(other, file)})) {
    it(`${kind} at the path: PaperChanged naming the paper, at once`, async () => {
      const {dir, file, other} = folder()
      fs.rmSync(file)
      make(file, other)
      expect(() => readSourceFile(file, 'a.md')).toThrow(PaperChanged)
      expect(() => readSourceFile(file, 'a.md')).toThrow(/`a\.md` changed or was removed while this run was using it/)
      // As the build reads the papers the scan found.
      await expect(readInputs(dir, ['a.md'])).rejects.toThrow(PaperChanged)
    })
  }
})

describe('the leak check reads a paper only as a regular file', () => {
  it('reads a regular file whole; a link only when told to follow (the configuration), never a paper through one', () => {
    const {dir, file, other} = folder()
    expect(readSourceText(file)).toBe(TEXT)
    const link = path.join(dir, 'b.md')
    fs.symlinkSync(other, link)
    expect(() => readSourceText(link)).toThrow(/a symbolic link/)
    expect(readSourceText(link, {follow: true})).toBe(TEXT)
    expect(() => readSourceText(file, {limit: 3})).toThrow(/larger than/)
  })

  for (const [kind, make] of Object.entries(kinds)) {
    it(`${kind} at the path: an error the command reports as a changed paper, at once`, () => {
      const {file, other} = folder()
      fs.rmSync(file)
      make(file, other)
      let error: unknown
      try {
        readSourceText(file)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(Error)
      expect((error as {changedDuringRun?: boolean}).changedDuringRun).toBe(true)
      expect((error as Error).message).toMatch(/changed or was removed while the check ran/)
    })
  }
})

describe('the scan', () => {
  it('refuses a pipe named like a paper (content-special): the build stops, nothing is skipped unseen', async () => {
    const {dir} = folder()
    execFileSync('mkfifo', [path.join(dir, 'b.md')])
    const result = await build({content: dir, now: new Date('2026-06-01T12:00:00Z')})
    expect(result.ok).toBe(false)
    expect(result.problems.map((p) => p.ruleId)).toContain('content-special')
    expect(result.problems.find((p) => p.ruleId === 'content-special')?.reason).toContain('`b.md` is named like a paper but is not a regular file')
  })

  it('refuses a name that is not UTF-8 (content-name), file or folder', async () => {
    const {dir} = folder()
    const bad = Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0xff]), Buffer.from('.md')])
    fs.writeFileSync(bad, TEXT)
    const badFolder = Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0xfe])])
    fs.mkdirSync(badFolder)
    const result = await build({content: dir, now: new Date('2026-06-01T12:00:00Z')})
    expect(result.ok).toBe(false)
    expect(result.problems.filter((p) => p.ruleId === 'content-name')).toHaveLength(2)
  })

  it('counts a file that is not named like a paper, whose name is not UTF-8, with the other files (no paper can name it)', async () => {
    const {dir} = folder()
    fs.writeFileSync(Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.png')]), 'x')
    const result = await build({content: dir, now: new Date('2026-06-01T12:00:00Z')})
    expect(result.problems.filter((p) => p.ruleId === 'content-name')).toEqual([])
    expect(result.scan?.others).toBe(2)
  })
})

describe('the leak check and files too large to vouch for', () => {
  it('refuses an output file over 64 MiB (one it may not have read as a source), whatever it holds', async () => {
    const {dir} = folder()
    const out = path.join(tempDir(), 'site')
    fs.mkdirSync(path.join(out, 'files'), {recursive: true})
    fs.writeFileSync(path.join(out, 'index.html'), '<p>Body.</p>')
    const big = path.join(out, 'files', 'big.pdf')
    fs.writeFileSync(big, '%PDF-1.4\n')
    fs.truncateSync(big, 64 * 1024 * 1024 + 1)
    await expect(verify({content: dir, out, now: new Date('2026-06-01T12:00:00Z')})).rejects.toThrow(/larger than 64 MiB: the check cannot vouch for a file that large/)
    fs.truncateSync(big, 64 * 1024 * 1024)
    expect((await verify({content: dir, out, now: new Date('2026-06-01T12:00:00Z')})).hits).toEqual([])
  })
})

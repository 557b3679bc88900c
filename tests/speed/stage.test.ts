/**
 * A build writes its site into the staging folder as it makes it (a build of
 * every paper holds one page at a time, not the site): the folder it stages
 * must be the very site a build in memory makes, a name that would leave it
 * is refused, and a run that stops leaves no staging folder behind.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {MARKER, openStage, processAlive, recoverOut, removeTree} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'
import {snapshot} from '../helpers/cli.js'

const now = new Date('2026-11-25T12:00:00Z')
const baseUrl = 'https://example.org/'

function siteOf(files: Map<string, string | Uint8Array>): Record<string, string> {
  return Object.fromEntries([...files].map(([name, content]) => [name, Buffer.from(content).toString('base64')]))
}

/** Every file under `dir`, base64. */
const folderOf = snapshot

describe('a site written into its staging folder as it is made', () => {
  it('is byte for byte the site a build in memory makes, and the build holds none of it', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    writeCanaryCorpus(content)
    const inMemory = await build({content, now, baseUrl})
    expect(inMemory.ok).toBe(true)
    const stage = await openStage(path.join(dir, 'site'))
    const streamed = await build({content, now, baseUrl, sink: stage.put})
    expect(streamed.files?.size).toBe(0)
    expect(streamed.site?.made).toBe(inMemory.files!.size)
    const staged = await stage.finish()
    expect(folderOf(staged)).toEqual(siteOf(inMemory.files!))
    expect(streamed.buildId).toBe(inMemory.buildId)
    await stage.discard()
    expect(fs.existsSync(staged)).toBe(false)
  })

  it('refuses a name that would leave the folder', async () => {
    const dir = tempDir()
    const stage = await openStage(path.join(dir, 'site'))
    for (const name of ['../escaped.html', 'a/../../escaped.html', '/etc/escaped', 'a//b.html', 'a\\..\\..\\b']) {
      expect(() => stage.put(name, 'x'), name).toThrow(/not a path inside the site/)
    }
    await stage.discard()
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('leaves no staging folder when a release stops: content errors, a leak, a run that throws', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'site')
    const state = path.join(dir, 'state')
    writeCanaryCorpus(content)
    const check = async (staged: string) => (await verify({content, out: staged, now})).hits
    expect((await release({content, out, state, now, baseUrl, strict: true, verify: check})).status).toBe('released')
    const live = folderOf(out)
    const beside = () => fs.readdirSync(dir).filter((name) => name !== 'content' && name !== 'state')
    // A leak: the check says the staged site leaks.
    const leak = await release({content, out, state, now: new Date('2026-11-26T12:00:00Z'), baseUrl, strict: true, force: true, verify: async () => [{outputFile: 'index.html', sourceFile: 'x.md', line: 1, column: 1, match: 'x'}]})
    expect(leak.status).toBe('leak')
    expect(beside()).toEqual(['site'])
    // The check throws.
    await expect(release({content, out, state, now, baseUrl, strict: true, force: true, verify: async () => Promise.reject(new Error('zkcheckfailed'))})).rejects.toThrow('zkcheckfailed')
    expect(beside()).toEqual(['site'])
    // A paper with an error (a strict build stops).
    fs.writeFileSync(path.join(content, 'broken.md'), '---\nid: PCD 1\n---\n')
    expect((await release({content, out, state, now, baseUrl, strict: true, force: true, verify: check})).status).toBe('content-errors')
    expect(beside()).toEqual(['site'])
    expect(folderOf(out)).toEqual(live)
  })
})

describe('a swap cut short between its renames (--out missing, the old site beside it)', () => {
  /** A folder with a site's marker beside a missing --out, as a run killed between its renames leaves it. */
  function cutShort(pid: number) {
    const dir = tempDir()
    const out = path.join(dir, 'site')
    const old = path.join(dir, `.site.old-${pid}-abcdef12`)
    fs.mkdirSync(old)
    fs.writeFileSync(path.join(old, MARKER), 'mopac-publisher site\n')
    fs.writeFileSync(path.join(old, 'index.html'), '<p>the live site</p>')
    return {dir, out, old}
  }

  it("is put back by the next run when the run that cut it is gone", async () => {
    let dead = 32_000
    while (processAlive(dead)) dead -= 7
    const {out, old} = cutShort(dead)
    await recoverOut(out)
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('<p>the live site</p>')
    expect(fs.existsSync(old)).toBe(false)
  })

  it('is not undone while the process that moved it aside moments ago is alive: the run refuses, and leaves it', async () => {
    const {out, old} = cutShort(process.ppid)
    expect(processAlive(process.ppid)).toBe(true)
    await expect(recoverOut(out)).rejects.toThrow(/being replaced by another run/)
    expect(fs.existsSync(old)).toBe(true)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('is put back when it was moved aside longer ago than a swap takes, though its pid is alive (reused)', async () => {
    const {out, old} = cutShort(process.ppid)
    // (Its change time cannot be set back: the window is made less than none
    // instead. Not zero: the change time has a fraction of a millisecond that
    // Date.now() lacks, so a folder moved in the same millisecond was "younger
    // than zero", and the test failed now and then.)
    await recoverOut(out, {swapWindowMs: -1000})
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('<p>the live site</p>')
    expect(fs.existsSync(old)).toBe(false)
  })
})

describe('removeTree (how a retired site or a staging folder is removed)', () => {
  it('removes a folder and all in it, and removes links without touching what they point to', () => {
    const dir = tempDir()
    const outside = path.join(dir, 'outside')
    fs.mkdirSync(path.join(outside, 'inner'), {recursive: true})
    fs.writeFileSync(path.join(outside, 'inner', 'keep.txt'), 'keep')
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'a', 'b', 'c'), {recursive: true})
    fs.writeFileSync(path.join(site, 'a', 'b', 'c', 'index.html'), 'x')
    fs.writeFileSync(path.join(site, '.hidden'), 'x')
    fs.symlinkSync(outside, path.join(site, 'a', 'to-folder'))
    fs.symlinkSync(path.join(outside, 'inner', 'keep.txt'), path.join(site, 'to-file'))
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(site, 'dangling'))
    removeTree(site)
    expect(fs.existsSync(site)).toBe(false)
    expect(fs.readFileSync(path.join(outside, 'inner', 'keep.txt'), 'utf8')).toBe('keep')

    // A link given as the folder itself: the link goes, its target stays.
    const link = path.join(dir, 'link')
    fs.symlinkSync(outside, link)
    removeTree(link)
    expect(fs.existsSync(link)).toBe(false)
    expect(fs.lstatSync(outside).isDirectory()).toBe(true)
    expect(fs.readFileSync(path.join(outside, 'inner', 'keep.txt'), 'utf8')).toBe('keep')

    // Nothing there: nothing to do.
    expect(() => removeTree(path.join(dir, 'missing'))).not.toThrow()
  })
})

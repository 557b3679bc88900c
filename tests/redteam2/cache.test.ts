/**
 * Red team round 2: the cache and the hard-linked staging. SAFE = a warm
 * build never publishes what a cold build of the same source would not, and
 * nothing outside the package's own code can change what a paper renders to
 * while the cache and the unchanged-site shortcut keep an old result.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it, vi} from 'vitest'
import {build} from '../../src/build/build.js'
import {createProcessor} from '../../src/build/pool.js'
import {writeSite} from '../../src/build/write.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {expectBuildOk, expectBuildRefused} from '../redteam/helpers.js'
import {tempCorpus} from './helpers.js'

const now = new Date('2026-11-25T12:00:00Z')
const pub = (id: string, body: string) => `---\nid: ${id}\ntitle: T ${id}\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\n${body}`
const withheld = (id: string, body: string) => `---\nid: ${id}\ntitle: W ${id}\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${body}`

async function warmBuild(content: string, cacheDir: string) {
  const processor = createProcessor({cacheDir, workers: false})
  return build({content, now, processAll: processor.processAll})
}

describe('cache: edits between builds', () => {
  it('two papers swap contents (public <-> withheld)', async () => {
    const {content, out, dir} = tempCorpus({'a.md': pub('PCD 1', 'Public.\n'), 'b.md': withheld('PCD 2', 'zkr2swapsecret\n')})
    const cacheDir = path.join(dir, 'cache')
    expectBuildOk(await warmBuild(content, cacheDir))
    const a = fs.readFileSync(path.join(content, 'a.md'))
    fs.writeFileSync(path.join(content, 'a.md'), fs.readFileSync(path.join(content, 'b.md')))
    fs.writeFileSync(path.join(content, 'b.md'), a)
    const result = await warmBuild(content, cacheDir)
    expectBuildOk(result)
    expect(result.outcomes.map((o) => `${o.relativePath} ${o.status}`).sort()).toEqual(['a.md withheld', 'b.md public'])
    await writeSite(out, result.files!)
    expect(findCanaries(scanSite(out), ['zkr2swapsecret'])).toEqual([])
  })

  it('a paper renamed over another (same bytes, different path) and a mtime-only touch', async () => {
    const {content, out, dir} = tempCorpus({'a.md': pub('PCD 1', 'Public.\n'), 'b.md': pub('PCD 2', ':::official-sensitive{exemptions="s43"}\nzkr2renamesecret\n:::\n')})
    const cacheDir = path.join(dir, 'cache')
    expectBuildOk(await warmBuild(content, cacheDir))
    fs.renameSync(path.join(content, 'b.md'), path.join(content, 'sub-b.md'))
    const t = new Date('2001-01-01T00:00:00Z')
    fs.utimesSync(path.join(content, 'a.md'), t, t)
    const result = await warmBuild(content, cacheDir)
    expectBuildOk(result)
    expect(result.outcomes.map((o) => `${o.relativePath} ${o.status}`).sort()).toEqual(['a.md public', 'sub-b.md public'])
    await writeSite(out, result.files!)
    expect(findCanaries(scanSite(out), ['zkr2renamesecret'])).toEqual([])
  })

  it('the pipeline version covers the parser and sanitizer dependencies (node_modules / lockfile), not only this package\'s own files', async () => {
    // codeVersion() hashes the package version and every .js/.ts/.css file
    // under src/ (or dist/). An upgrade of remark-directive, micromark or
    // hast-util-sanitize changes how papers parse and what is removed, yet
    // leaves every cache key and the unchanged-site fingerprint as they were,
    // so old outcomes keep being published.
    vi.resetModules()
    const read = vi.spyOn(fs, 'readFileSync')
    try {
      const {codeVersion} = await import('../../src/build/code-version.js')
      codeVersion()
      const files = read.mock.calls.map((c) => String(c[0]))
      expect(files.length, 'spy saw the hashed files').toBeGreaterThan(0)
      expect(files.some((f) => /package-lock\.json$|node_modules[\\/](remark-directive|micromark-extension-directive|hast-util-sanitize)/.test(f)), 'no dependency input in the pipeline version').toBe(true)
    } finally {
      read.mockRestore()
    }
  })
})

describe('hard-linked staging', () => {
  it('an edit made to a live file in place (same inode) does not survive into the next build', async () => {
    const {content, out} = tempCorpus({'a.md': pub('PCD 1', 'Public text.\n')})
    const first = await build({content, now})
    expectBuildOk(first)
    await writeSite(out, first.files!)
    const page = path.join(out, 'decisions/pcd-1/index.md')
    const original = fs.readFileSync(page)
    // Tamper in place with the same length, so only a byte compare tells.
    const tampered = Buffer.from(original.toString('latin1').replace('Public text.', 'zkr2tamper!!'), 'latin1')
    expect(tampered.length).toBe(original.length)
    fs.writeFileSync(page, tampered)
    const second = await build({content, now})
    expectBuildOk(second)
    await writeSite(out, second.files!)
    expect(findCanaries(scanSite(out), ['zkr2tamper'])).toEqual([])
  })

  it('a failed build leaves every live file (content and inode) as it was', async () => {
    const {content, out} = tempCorpus({'a.md': pub('PCD 1', 'Public text.\n')})
    const first = await build({content, now})
    expectBuildOk(first)
    await writeSite(out, first.files!)
    const before = scanSite(out).map((f) => f.name + f.text).sort()
    fs.writeFileSync(path.join(content, 'b.md'), pub('PCD 2', ':::official-sensitive\nunclosed\n'))
    const second = await build({content, now})
    expectBuildRefused(second, 'directive-unclosed')
    expect(scanSite(out).map((f) => f.name + f.text).sort()).toEqual(before)
  })
})

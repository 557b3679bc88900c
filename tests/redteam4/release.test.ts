/**
 * Red team round 4: the release job and its log; the unchanged-site shortcut
 * and the cache. SAFE = the log matches the site, nothing deferred goes out
 * early, nothing withdrawn comes back.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {createProcessor} from '../../src/build/pool.js'
import {siteBuildId, writeSite} from '../../src/build/write.js'
import {expectBuildOk} from '../redteam/helpers.js'
import {BASE, corpus, logLines, paper, releaseAt} from './helpers.js'

const DUE = '2026-12-10T09:30:00Z'
const before = new Date('2026-12-10T09:29:59.999Z')
const at = new Date(DUE)
const after = new Date('2026-12-10T10:00:00Z')
const deferred = paper('PCD 2', `deferral:\n  until: "${DUE}"\n  reason: zkrsn\n`, 'Deferred body zkdefbody.\n')
const onSite = (out: string, slug: string) => fs.existsSync(path.join(out, 'decisions', slug, 'index.html'))

describe('unchanged-site shortcut and cache never publish early (held)', () => {
  it('a site built by a plain build at a later --now, then release before due: the deferred paper is taken off', async () => {
    const c = corpus({'a.md': paper('PCD 1'), 'b.md': deferred})
    const r = await build({content: c.content, now: after, baseUrl: BASE})
    expectBuildOk(r)
    await writeSite(c.out, r.files!)
    expect(onSite(c.out, 'pcd-2')).toBe(true)
    const res = await releaseAt(c, before)
    expect(res.status).toBe('nothing-due')
    expect(onSite(c.out, 'pcd-2')).toBe(false)
  })
  it('warm cache, 1 ms before due: not public; at due: public and logged once', async () => {
    const c = corpus({'a.md': paper('PCD 1'), 'b.md': deferred})
    const processor = createProcessor({cacheDir: path.join(c.state, 'cache'), workers: false})
    const statuses: string[] = []
    statuses.push((await releaseAt(c, new Date('2026-12-01T00:00:00Z'), {processAll: processor.processAll})).status)
    statuses.push((await releaseAt(c, before, {processAll: processor.processAll})).status)
    expect(onSite(c.out, 'pcd-2')).toBe(false)
    statuses.push((await releaseAt(c, at, {processAll: processor.processAll})).status)
    statuses.push((await releaseAt(c, at, {processAll: processor.processAll})).status)
    statuses.push((await releaseAt(c, after, {processAll: processor.processAll})).status)
    expect(statuses).toEqual(['released', 'nothing-due', 'released', 'nothing-due', 'nothing-due'])
    expect(onSite(c.out, 'pcd-2')).toBe(true)
    expect(logLines(c.state).filter((e) => e.slug === 'pcd-2').map((e) => e.event)).toEqual(['released'])
  })
})

describe('the log matches the site', () => {
  it('--state inside --out (the help says "never inside --out"): refused before anything is read or written, at every run', async () => {
    const c = corpus({'a.md': paper('PCD 1'), 'b.md': deferred, 'w.md': paper('PCD 3', '', 'Body.\n').replace('title: Title PCD 3', 'title: Zkwithdrawntitle review')})
    const first = await build({content: c.content, now: before, baseUrl: BASE})
    expectBuildOk(first)
    await writeSite(c.out, first.files!)
    const state = path.join(c.out, '.mopac')
    const processor = createProcessor({cacheDir: path.join(state, 'cache'), workers: false})
    const listing = () => fs.readdirSync(c.out, {recursive: true, encoding: 'utf8'}).sort()
    const site = listing()
    await expect(releaseAt({...c, state}, before, {processAll: processor.processAll})).rejects.toThrow(/--state .* is inside --out/)
    expect(listing()).toEqual(site)
    fs.writeFileSync(path.join(c.content, 'w.md'), fs.readFileSync(path.join(c.content, 'w.md'), 'utf8').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'))
    await expect(releaseAt({...c, state}, at, {processAll: processor.processAll})).rejects.toThrow(/--state .* is inside --out/)
    expect(listing()).toEqual(site)
    expect(fs.existsSync(path.join(state, 'releases.jsonl'))).toBe(false)
  })

  it('a plain build computed before a withdrawal and written after the release that withdrew it does not put the paper back', async () => {
    const c = corpus({'a.md': paper('PCD 1'), 'w.md': paper('PCD 3', '', 'Mistakenly public zkwithdrawn.\n')})
    expect((await releaseAt(c, before)).status).toBe('released')
    expect(onSite(c.out, 'pcd-3')).toBe(true)
    // A long plain build starts, noting the live site it builds against...
    const liveAtStart = (await siteBuildId(c.out)) ?? null
    const slow = await build({content: c.content, now: before, baseUrl: BASE})
    expectBuildOk(slow)
    // ...meanwhile the paper is reclassified and the release job takes it down.
    fs.writeFileSync(path.join(c.content, 'w.md'), paper('PCD 3', '', 'Mistakenly public zkwithdrawn.\n').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'))
    const res = await releaseAt(c, at)
    expect(res.withdrawn.map((e) => e.slug)).toEqual(['pcd-3'])
    expect(onSite(c.out, 'pcd-3')).toBe(false)
    // The slow build finishes; its swap is refused, as the live site changed.
    // (The \`mopac build\` command also holds the release lock.)
    await expect(writeSite(c.out, slow.files!, {ifLive: liveAtStart})).rejects.toThrow(/changed while this build ran/)
    expect(onSite(c.out, 'pcd-3')).toBe(false)
  })

  it('a plain build between releases that takes a released paper down and back: the log records it', async () => {
    const c = corpus({'a.md': paper('PCD 1'), 'b.md': deferred})
    expect((await releaseAt(c, at)).status).toBe('released')
    const down = await build({content: c.content, now: before, baseUrl: BASE}) // e.g. a build with a wrong --now
    expectBuildOk(down)
    await writeSite(c.out, down.files!)
    expect(onSite(c.out, 'pcd-2')).toBe(false)
    await releaseAt(c, after)
    expect(onSite(c.out, 'pcd-2')).toBe(true)
    const events = logLines(c.state).filter((e) => e.slug === 'pcd-2').map((e) => e.event)
    // The site was without it between the two releases: the log shows the withdrawal and the re-release.
    expect(events).toEqual(['released', 'withdrawn', 'released'])
  })
})

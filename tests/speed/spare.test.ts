/**
 * The spare (src/build/spare.ts): the site a build swapped out, kept beside
 * --out with only the files the new live site holds byte for byte, whose
 * folders the next build moves into its stage whole. It must never hold
 * what the live site does not (a page taken down, a page as it was before
 * an edit), never lend a folder that is not exactly what its record and the
 * build say, and never make the site differ from a cold build's.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {coldSite, OK, paper, runRelease, sameSize, setup, T0, T1, withheld, write, type Ctx} from '../attacks/keep-helpers.js'
import {fileDigest} from '../../src/build/manifest.js'
import {movableFolders, readSpare, retireToSpare} from '../../src/build/spare.js'
import {snapshot} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {spareExtras} from '../helpers/spare.js'

const PLAN = 'zkspareplan903'
const LEAK = 'zksparecanary77'
const papers = {
  'a.md': paper(901, 'Fleet renewal.'),
  'b.md': paper(902, `Custody review.\n\n${withheld('The Quorvald site closes.')}`),
  'c.md': paper(903, `Estates plan ${PLAN} agreed.`)
}

const spareDir = (ctx: Ctx): string => path.join(ctx.root, '.public.spare')
const page = (slug: string): string => path.join('decisions', slug, 'index.html')

/** Three runs: the first site, an edit (the first site becomes the spare), and the state before a third. */
async function twoBuilds(): Promise<Ctx> {
  const ctx = setup(papers, 'mopac-spare-')
  expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
  write(ctx, {'a.md': paper(901, 'Fleet renewal, second tender.')})
  expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
  expect(fs.existsSync(spareDir(ctx))).toBe(true)
  expect(spareExtras(ctx.out)).toEqual([])
  return ctx
}

/** The slug of paper 90n's page folder in the live site. */
function slugOf(ctx: Ctx, n: number): string {
  const slug = fs.readdirSync(path.join(ctx.out, 'decisions')).find((name) => name.includes(String(n)))
  if (!slug) throw new Error(`no page for ${n}`)
  return slug
}

describe('the spare beside --out', () => {
  it('lends its folders to the next build: an unchanged page is the file the spare held, and the site is a cold build\'s', async () => {
    const ctx = await twoBuilds()
    const c = page(slugOf(ctx, 903))
    const held = fs.statSync(path.join(spareDir(ctx), c)).ino
    write(ctx, {'a.md': paper(901, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(fs.statSync(path.join(ctx.out, c)).ino).toBe(held)
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    expect(spareExtras(ctx.out)).toEqual([])
  })

  it('holds nothing of a page taken down, nor a page as it was before an edit', async () => {
    const ctx = setup(papers, 'mopac-spare-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(ctx.out), [PLAN])).not.toEqual([])
    // Paper c reclassified (taken down), paper a edited.
    write(ctx, {'c.md': paper(903, `Estates plan ${PLAN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'), 'a.md': paper(901, 'Fleet renewal, second tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(fs.existsSync(spareDir(ctx))).toBe(true)
    expect(findCanaries(scanSite(spareDir(ctx)), [PLAN])).toEqual([])
    expect(findCanaries(scanSite(ctx.out), [PLAN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    const a = page(slugOf(ctx, 901))
    if (fs.existsSync(path.join(spareDir(ctx), a))) expect(fs.readFileSync(path.join(spareDir(ctx), a))).toEqual(fs.readFileSync(path.join(ctx.out, a)))
  })

  describe('changed after it was recorded: the folder is not lent, and the site is a cold build\'s', () => {
    const cases: Array<[string, (ctx: Ctx, folder: string) => void]> = [
      ['a page rewritten in place, the same size, its times set back (the folder untouched)', (ctx, folder) => {
        const file = path.join(folder, 'index.html')
        const ref = path.join(ctx.root, 'times-ref')
        execFileSync('touch', ['-r', file, ref])
        const folderTimes = fs.statSync(folder)
        const fd = fs.openSync(file, 'r+')
        fs.writeSync(fd, sameSize(fs.readFileSync(file, 'utf8'), LEAK), 0)
        fs.closeSync(fd)
        execFileSync('touch', ['-r', ref, file])
        // Only the file's change time tells.
        expect(fs.statSync(folder).mtimeMs).toBe(folderTimes.mtimeMs)
        expect(fs.statSync(folder).ctimeMs).toBe(folderTimes.ctimeMs)
      }],
      ['a file added to the folder', (_ctx, folder) => fs.writeFileSync(path.join(folder, `${LEAK}.html`), `<p>${LEAK}</p>`)],
      ['a file removed from the folder', (_ctx, folder) => fs.rmSync(path.join(folder, 'index.md'))],
      ['the folder replaced by a link to a copy holding the leak', (ctx, folder) => {
        const copy = path.join(ctx.root, 'elsewhere')
        fs.cpSync(folder, copy, {recursive: true})
        fs.writeFileSync(path.join(copy, 'index.html'), `<p>${LEAK}</p>`)
        fs.rmSync(folder, {recursive: true})
        fs.symlinkSync(copy, folder)
      }],
      ['the folder replaced by a copy of itself', (ctx, folder) => {
        const copy = `${folder}.copy`
        fs.cpSync(folder, copy, {recursive: true, preserveTimestamps: true})
        fs.rmSync(folder, {recursive: true})
        fs.renameSync(copy, folder)
      }],
      ['the record damaged', (ctx) => fs.writeFileSync(path.join(ctx.state, 'site-spare.json'), '{"format":1,')],
      ['the record naming another folder', (ctx) => {
        const file = path.join(ctx.state, 'site-spare.json')
        const record = JSON.parse(fs.readFileSync(file, 'utf8'))
        fs.writeFileSync(file, JSON.stringify({...record, dir: path.join(ctx.root, 'elsewhere')}))
      }],
      ['the spare removed', (ctx) => fs.rmSync(spareDir(ctx), {recursive: true})],
      ['the spare replaced by a link to the content folder', (ctx) => {
        fs.rmSync(spareDir(ctx), {recursive: true})
        fs.symlinkSync(ctx.content, spareDir(ctx))
      }]
    ]
    for (const [name, change] of cases) {
      it(name, async () => {
        const ctx = await twoBuilds()
        const c = path.dirname(page(slugOf(ctx, 903)))
        change(ctx, path.join(spareDir(ctx), c))
        write(ctx, {'a.md': paper(901, 'Fleet renewal, third tender.')})
        const result = await runRelease(ctx, {now: T0})
        expect(OK).toContain(result.status)
        expect(findCanaries(scanSite(ctx.out), [LEAK])).toEqual([])
        expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
        expect(spareExtras(ctx.out)).toEqual([])
        // What a link pointed to is left alone.
        expect(fs.existsSync(path.join(ctx.content, 'a.md'))).toBe(true)
      })
    }
  })

  it('a run stopped after it moved folders (the leak check found a leak) publishes nothing, and the next run is a cold build\'s', async () => {
    const ctx = await twoBuilds()
    write(ctx, {'a.md': paper(901, 'Fleet renewal, third tender.')})
    const before = snapshot(ctx.out)
    expect((await runRelease(ctx, {now: T0, killAt: 'staged'}).catch((error: Error) => error)) instanceof Error).toBe(true)
    expect(snapshot(ctx.out)).toEqual(before)
    expect(fs.existsSync(path.join(ctx.state, 'site-spare.json'))).toBe(false)
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    expect(spareExtras(ctx.out)).toEqual([])
  })
})

describe('movableFolders: which folders of a recorded spare a build may take', () => {
  /** A site swapped out (`old`) made the spare of `site`, its files not shared with the live site's. */
  function recorded() {
    const root = tempDir('mopac-spare-unit-')
    const files: Record<string, string> = {'a/index.html': '<p>A page</p>', 'a/index.md': '# A', 'b/index.html': '<p>B page</p>', 'b/files/x.csv': 'x,y\n', 'c/index.html': '<p>C page</p>'}
    const old = path.join(root, '.site.old-1-aaaaaaaa')
    const live = path.join(root, 'site')
    const state = path.join(root, 'state')
    fs.mkdirSync(state)
    for (const [name, text] of Object.entries(files)) {
      for (const dir of [old, live]) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
        fs.writeFileSync(path.join(dir, name), text)
      }
    }
    const digests = new Map(Object.entries(files).map(([name, text]) => [name, fileDigest(text)]))
    const vouched = new Map(Object.keys(files).map((name) => {
      const stat = fs.lstatSync(path.join(old, name), {bigint: true})
      return [name, {sha256: digests.get(name)!, size: Number(stat.size), ino: String(stat.ino), mtime: String(stat.mtimeNs), ctime: String(stat.ctimeNs)}]
    }))
    retireToSpare(state, old, live, {digests, vouched})
    const spare = readSpare(state, root, 'site')
    if (!spare) throw new Error('no spare recorded')
    const kept = new Map([...digests].map(([name, sha256]) => [name, {sha256}]))
    return {root, spare, kept, digests}
  }

  it('lends every folder held exactly as recorded, outermost first, and none above a file the build made', () => {
    const {spare, kept} = recorded()
    expect(movableFolders(spare, kept, [])).toEqual(['a', 'b', 'c'])
    expect(movableFolders(spare, kept, ['b/files/y.csv'])).toEqual(['a', 'c'])
    const less = new Map(kept)
    less.delete('a/index.md')
    expect(movableFolders(spare, less, [])).toEqual(['b', 'c'])
    const other = new Map(kept).set('c/index.html', {sha256: fileDigest('<p>Another C</p>')})
    expect(movableFolders(spare, other, [])).toEqual(['a', 'b'])
  })

  it('does not lend a folder whose file was rewritten in place with its times set back, the folder untouched', () => {
    const {root, spare, kept} = recorded()
    const file = path.join(spare.dir, 'a', 'index.html')
    const ref = path.join(root, 'times-ref')
    execFileSync('touch', ['-r', file, ref])
    const folder = fs.statSync(path.dirname(file), {bigint: true})
    const fd = fs.openSync(file, 'r+')
    fs.writeSync(fd, '<p>A leak</p>', 0)
    fs.closeSync(fd)
    execFileSync('touch', ['-r', ref, file])
    expect(fs.statSync(path.dirname(file), {bigint: true}).mtimeNs).toBe(folder.mtimeNs)
    expect(fs.statSync(file, {bigint: true}).mtimeNs).toBe(fs.statSync(ref, {bigint: true}).mtimeNs)
    expect(movableFolders(spare, kept, [])).toEqual(['b', 'c'])
  })

  it('does not lend a folder with an entry added, removed or replaced, nor one whose subfolder changed', () => {
    const {spare, kept} = recorded()
    fs.writeFileSync(path.join(spare.dir, 'a', 'extra.html'), 'x')
    fs.rmSync(path.join(spare.dir, 'b', 'files', 'x.csv'))
    fs.rmSync(path.join(spare.dir, 'c', 'index.html'))
    fs.writeFileSync(path.join(spare.dir, 'c', 'index.html'), '<p>C page</p>')
    expect(movableFolders(spare, kept, [])).toEqual([])
  })

  it('keeps in the spare only the files the live site holds byte for byte, vouched for or the live file itself', () => {
    const root = tempDir('mopac-spare-unit-')
    const old = path.join(root, '.site.old-1-aaaaaaaa')
    const live = path.join(root, 'site')
    const state = path.join(root, 'state')
    fs.mkdirSync(state)
    for (const dir of [old, live]) fs.mkdirSync(path.join(dir, 'p'), {recursive: true})
    fs.writeFileSync(path.join(old, 'p', 'same.html'), 'same')
    fs.writeFileSync(path.join(live, 'p', 'same.html'), 'same')
    fs.writeFileSync(path.join(old, 'p', 'changed.html'), 'before')
    fs.writeFileSync(path.join(live, 'p', 'changed.html'), 'after')
    fs.writeFileSync(path.join(old, 'p', 'gone.html'), 'taken down')
    fs.writeFileSync(path.join(old, 'p', 'unvouched.html'), 'same')
    fs.writeFileSync(path.join(live, 'p', 'unvouched.html'), 'same')
    fs.writeFileSync(path.join(live, 'p', 'linked.html'), 'linked')
    fs.linkSync(path.join(live, 'p', 'linked.html'), path.join(old, 'p', 'linked.html'))
    fs.symlinkSync(path.join(live, 'p', 'same.html'), path.join(old, 'p', 'link.html'))
    fs.mkdirSync(path.join(old, 'empty'))
    const digests = new Map(['p/same.html', 'p/changed.html', 'p/unvouched.html', 'p/linked.html', 'p/link.html'].map((name) => [name, fileDigest(fs.readFileSync(path.join(live, name === 'p/link.html' ? 'p/same.html' : name)))]))
    const vouchedOf = (name: string, sha: string) => {
      const stat = fs.lstatSync(path.join(old, name), {bigint: true})
      return [name, {sha256: sha, size: Number(stat.size), ino: String(stat.ino), mtime: String(stat.mtimeNs), ctime: String(stat.ctimeNs)}] as const
    }
    const vouched = new Map([vouchedOf('p/same.html', fileDigest('same')), vouchedOf('p/changed.html', fileDigest('before')), vouchedOf('p/gone.html', fileDigest('taken down'))])
    retireToSpare(state, old, live, {digests, vouched})
    const spare = path.join(root, '.site.spare')
    expect(fs.existsSync(old)).toBe(false)
    expect(fs.readdirSync(spare, {recursive: true}).map(String).sort()).toEqual(['p', 'p/linked.html', 'p/same.html'])
    expect(fs.readFileSync(path.join(live, 'p', 'same.html'), 'utf8')).toBe('same')
  })
})

/**
 * Red team (third round) on the two newest changes:
 *  - the spare site beside --out (src/build/spare.ts, write.ts finish/swapIn,
 *    release.ts), and
 *  - verify's fast path for a change that lost no public text, with reading
 *    summaries in memory.json (src/verify/incremental.ts, index.ts).
 * Every test asserts the safe behaviour: a failing test is a hole. Holes
 * found and fixed: a spare left holding a page the new site took down when
 * the old site's retirement failed or was killed (S12, S13, S19: the swap
 * now removes the spare before it replaces the live site), and the prune
 * following a folder swapped for a link (S14: each folder's own type is read
 * before it is read). Three need someone who can write the state folder
 * (S18, V13, V14): the spare's record and verify's memory are trusted as far
 * as the state folder is, as the site manifest is (anyone who can write it
 * can forge the manifest too, and V14's kind was possible before); they are
 * kept as `it.fails`, known limitations that fail loudly if ever closed.
 */
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {coldSite, OK, paper, runRelease, sameSize, setup, T0, T1, withheld, write, deferredUntil, withdrawnFm, type Ctx, patchFs} from './keep-helpers.js'
import {snapshot, repo} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {spareExtras} from '../helpers/spare.js'
import {verify} from '../../src/verify/index.js'

const require = createRequire(import.meta.url)
const nodeFs = require('node:fs') as typeof fs

const spareDir = (ctx: Ctx): string => path.join(path.dirname(ctx.out), `.${path.basename(ctx.out)}.spare`)
const TAKEN = 'zktakendown441'
const EDIT = 'zkspareedit552'

const base = (): Record<string, string> => ({
  'a.md': paper(801, 'Fleet renewal.'),
  'b.md': paper(802, `Custody review.\n\n${withheld('The Quorvald site closes.')}`),
  'w.md': paper(803, `Estates plan ${TAKEN} agreed.`)
})

/** v1, then an edit of a: the spare holds v1 ∩ v2, w's folder included. */
async function spareHoldingW(): Promise<Ctx> {
  const ctx = setup(base(), 'mopac-rt3-')
  expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
  write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.')})
  expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
  expect(findCanaries(scanSite(spareDir(ctx)), [TAKEN])).not.toEqual([])
  expect(spareExtras(ctx.out)).toEqual([])
  return ctx
}


let restore: Array<() => void> = []
afterEach(() => {
  for (const r of restore.reverse()) r()
  restore = []
})

describe('the spare: taken-down material, honest runs', () => {
  it('S1 a paper reclassified while the spare holds its folder: not in the site, not in the spare, site = cold', async () => {
    const ctx = await spareHoldingW()
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')})
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(findCanaries(scanSite(spareDir(ctx)), [TAKEN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T1))
  })

  it('S2 a paper re-deferred while the spare holds its folder', async () => {
    const ctx = await spareHoldingW()
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`, {fm: deferredUntil('2027-01-01')})})
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(findCanaries(scanSite(spareDir(ctx)), [TAKEN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T1))
  })

  it('S3 a paper withdrawn (notice) while the spare holds its folder with an attachment', async () => {
    const ctx = setup({...base(), 'w.md': paper(803, `Estates plan ${TAKEN} agreed. See [the data](./w-data.csv).`), 'w-data.csv': `site,cost\n${TAKEN}x,12\n`}, 'mopac-rt3-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(spareDir(ctx)), [`${TAKEN}x`])).not.toEqual([])
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed. See [the data](./w-data.csv).`, {fm: withdrawnFm})})
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(findCanaries(scanSite(spareDir(ctx)), [TAKEN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T1))
  })

  it('S4 a paper renamed (its id, so its slug) while the spare holds its folder', async () => {
    const ctx = await spareHoldingW()
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`).replace('id: PCD 803', 'id: PCD 893')})
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(fs.existsSync(path.join(ctx.out, 'decisions', 'pcd-803'))).toBe(false)
    expect(fs.existsSync(path.join(spareDir(ctx), 'decisions', 'pcd-803'))).toBe(false)
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T1))
  })

  it('S5 an attachment changed under the same name while the spare holds the folder', async () => {
    const ctx = setup({...base(), 'w.md': paper(803, 'Estates plan agreed. See [the data](./w-data.csv).'), 'w-data.csv': 'site,cost\nalpha,12\n'}, 'mopac-rt3-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'w-data.csv': 'site,cost\nbeta,13\n'})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
  })

  it('S6 three edits in a row (the spare lent, then refilled): the site stays a cold build\'s and the spare holds no extras', async () => {
    const ctx = await spareHoldingW()
    for (const [i, text] of ['third', 'fourth', 'fifth'].entries()) {
      write(ctx, {'a.md': paper(801, `Fleet renewal, ${text} tender.`), ...(i === 1 ? {'b.md': paper(802, 'Custody review, revised.')} : {})})
      expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
      expect(spareExtras(ctx.out)).toEqual([])
    }
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
  })
})

describe('the spare: changed on disk', () => {
  it('S7 a spare page sharing its inode with the live page, rewritten in place with its times set back: nothing of it published', async () => {
    const ctx = await spareHoldingW()
    const rel = path.join('decisions', 'pcd-803', 'index.html')
    const file = path.join(spareDir(ctx), rel)
    // Shares its inode with the live page (linked at the last build).
    const shared = fs.statSync(file).ino === fs.statSync(path.join(ctx.out, rel)).ino
    const ref = path.join(ctx.root, 'times-ref')
    spawnSync('touch', ['-r', file, ref])
    const fd = fs.openSync(file, 'r+')
    fs.writeSync(fd, sameSize(fs.readFileSync(file, 'utf8'), EDIT), 0)
    fs.closeSync(fd)
    spawnSync('touch', ['-r', ref, file])
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    const result = await runRelease(ctx, {now: T0})
    expect(OK).toContain(result.status)
    expect(findCanaries(scanSite(ctx.out), [EDIT])).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    expect(spareExtras(ctx.out)).toEqual([])
    expect(typeof shared).toBe('boolean')
  })

  it('S8 a spare folder replaced by a copy made of hard links (same inodes, new folder): not lent, site = cold', async () => {
    const ctx = await spareHoldingW()
    const folder = path.join(spareDir(ctx), 'decisions', 'pcd-803')
    const copy = `${folder}.cp`
    spawnSync('cp', ['-al', folder, copy])
    fs.writeFileSync(path.join(copy, 'extra.html'), `<p>${EDIT}</p>`)
    fs.rmSync(folder, {recursive: true})
    fs.renameSync(copy, folder)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(ctx.out), [EDIT])).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
  })

  it('S9 a hard link from the spare to a file outside (a name replaced): not lent, and the outside file is left alone', async () => {
    const ctx = await spareHoldingW()
    const outside = path.join(ctx.root, 'outside.html')
    fs.writeFileSync(outside, `<p>${EDIT}</p>`)
    const target = path.join(spareDir(ctx), 'decisions', 'pcd-803', 'index.html')
    fs.rmSync(target)
    fs.linkSync(outside, target)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(ctx.out), [EDIT])).toEqual([])
    expect(fs.readFileSync(outside, 'utf8')).toBe(`<p>${EDIT}</p>`)
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
  })

  it('S10 the spare moved elsewhere and replaced by a symbolic link to it: the site is a cold build\'s, nothing outside is removed', async () => {
    const ctx = await spareHoldingW()
    const away = path.join(ctx.root, 'away')
    fs.renameSync(spareDir(ctx), away)
    fs.symlinkSync(away, spareDir(ctx))
    fs.writeFileSync(path.join(ctx.root, 'away-sentinel'), 'x')
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    expect(spareExtras(ctx.out)).toEqual([])
    expect(fs.existsSync(path.join(ctx.root, 'away-sentinel'))).toBe(true)
  })

  it('S11 a folder of the spare replaced by a symbolic link to the same folder moved outside: the site is a cold build\'s', async () => {
    const ctx = await spareHoldingW()
    const decisions = path.join(spareDir(ctx), 'decisions')
    const away = path.join(ctx.root, 'away-decisions')
    fs.renameSync(decisions, away)
    fs.symlinkSync(away, decisions)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    expect(spareExtras(ctx.out)).toEqual([])
  })
})

describe('the spare: runs that fail or stop', () => {
  it('S12 the retirement of the old site fails midway (an I/O error while pruning): the spare must not keep a page the new site took down', async () => {
    const ctx = await spareHoldingW()
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')})
    let thrown = false
    restore.push(patchFs('readdirSync', (orig) => ((p: fs.PathLike, ...rest: unknown[]) => {
      if (!thrown && String(p).includes(`.${path.basename(ctx.out)}.old-`)) {
        thrown = true
        throw Object.assign(new Error('EIO: i/o error, scandir'), {code: 'EIO'})
      }
      return (orig as (...a: unknown[]) => unknown)(p, ...rest)
    }) as typeof fs.readdirSync))
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    for (const r of restore.reverse()) r()
    restore = []
    expect(thrown).toBe(true)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    // The claim: the spare holds nothing the live site does not.
    expect(spareExtras(ctx.out)).toEqual([])
    expect(fs.existsSync(spareDir(ctx)) ? findCanaries(scanSite(spareDir(ctx)), [TAKEN]) : []).toEqual([])
  })

  it('S13 ... and a later run with nothing to do leaves it there (no run removes a spare without a record)', async () => {
    const ctx = await spareHoldingW()
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')})
    let thrown = false
    restore.push(patchFs('readdirSync', (orig) => ((p: fs.PathLike, ...rest: unknown[]) => {
      if (!thrown && String(p).includes(`.${path.basename(ctx.out)}.old-`)) {
        thrown = true
        throw Object.assign(new Error('EIO: i/o error, scandir'), {code: 'EIO'})
      }
      return (orig as (...a: unknown[]) => unknown)(p, ...rest)
    }) as typeof fs.readdirSync))
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    for (const r of restore.reverse()) r()
    restore = []
    // Two more runs, nothing changed.
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    expect(fs.existsSync(spareDir(ctx)) ? findCanaries(scanSite(spareDir(ctx)), [TAKEN]) : []).toEqual([])
  })

  it('S14 a folder of the old site swapped for a link to a folder outside while it is pruned: nothing outside is removed', async () => {
    const ctx = await spareHoldingW()
    const victim = path.join(ctx.root, 'victim')
    fs.mkdirSync(victim)
    fs.writeFileSync(path.join(victim, 'precious.txt'), 'do not delete')
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    let swapped = false
    const oldMark = `.${path.basename(ctx.out)}.old-`
    restore.push(patchFs('readdirSync', (orig) => ((p: fs.PathLike, ...rest: unknown[]) => {
      const result = (orig as (...a: unknown[]) => unknown)(p, ...rest)
      const s = String(p)
      // The race, made certain: right after the parent is listed, a folder in it becomes a link.
      if (!swapped && s.includes(oldMark) && s.endsWith(`${path.sep}decisions`)) {
        swapped = true
        const folder = path.join(s, 'pcd-801')
        nodeFs.rmSync(folder, {recursive: true})
        nodeFs.symlinkSync(victim, folder)
      }
      return result
    }) as typeof fs.readdirSync))
    await runRelease(ctx, {now: T0}).catch(() => undefined)
    for (const r of restore.reverse()) r()
    restore = []
    expect(swapped).toBe(true)
    expect(fs.existsSync(path.join(victim, 'precious.txt'))).toBe(true)
  })

  for (const stage of ['staged', 'verified', 'swapping', 'mid-swap', 'swapped', 'appending'] as const) {
    it(`S15 a run stopped at ${stage} (as SIGKILL would), then run again: site = cold, spare holds no extras`, async () => {
      const ctx = await spareHoldingW()
      write(ctx, {'w.md': paper(803, 'Estates plan withdrawn from the agenda.'), 'a.md': paper(801, 'Fleet renewal, third tender.')})
      await runRelease(ctx, {now: T1, killAt: stage}).catch(() => undefined)
      // (Stopped between the two renames, --out is missing until the next run puts it back.)
      if (stage !== 'mid-swap') expect(spareExtras(ctx.out)).toEqual([])
      expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
      expect(spareExtras(ctx.out)).toEqual([])
      expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
      expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T1))
    })
  }

  it('S16 two state folders on one --out, taking turns, one of them with the paper taken down', async () => {
    const ctx = await spareHoldingW()
    const other = {content: path.join(ctx.root, 'content-b'), state: path.join(ctx.root, 'state-b')}
    fs.cpSync(ctx.content, other.content, {recursive: true})
    fs.writeFileSync(path.join(other.content, 'w.md'), paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'))
    expect(OK).toContain((await runRelease(ctx, {now: T0, ...other})).status)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    fs.writeFileSync(path.join(other.content, 'a.md'), paper(801, 'Fleet renewal, fourth tender.'))
    expect(OK).toContain((await runRelease(ctx, {now: T0, ...other})).status)
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0, other.content, other.state))
  })

  it('S17 --out given through a symlinked parent and a relative path in turns: site = cold, spare holds no extras', async () => {
    const ctx = await spareHoldingW()
    const link = path.join(path.dirname(ctx.root), `rt3-link-${randomBytes(3).toString('hex')}`)
    fs.symlinkSync(ctx.root, link)
    try {
      write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
      expect(OK).toContain((await runRelease(ctx, {now: T0, out: path.join(link, 'public')})).status)
      expect(spareExtras(ctx.out)).toEqual([])
      write(ctx, {'w.md': paper(803, 'Estates plan withdrawn.', {fm: withdrawnFm})})
      const cwd = process.cwd()
      process.chdir(link)
      try {
        expect(OK).toContain((await runRelease(ctx, {now: T0, out: 'public'})).status)
      } finally {
        process.chdir(cwd)
      }
      expect(spareExtras(ctx.out)).toEqual([])
      expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
      expect(fs.readdirSync(ctx.root).filter((n) => n.startsWith('.public.') && !n.endsWith('.spare'))).toEqual([])
      expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
    } finally {
      fs.rmSync(link)
    }
  })

  it.fails('KNOWN LIMITATION S18 the spare\'s record edited by someone who can write the state folder: a folder planted in the spare, recorded with its real times and the kept SHA-256, is not published', async () => {
    const ctx = await spareHoldingW()
    const recordFile = path.join(ctx.state, 'site-spare.json')
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'))
    const folderRel = 'decisions/pcd-803'
    const folder = path.join(spareDir(ctx), folderRel)
    // The genuine folder moved aside (its files, shared with the live site, untouched: a rename changes no file's times) ...
    fs.renameSync(folder, path.join(ctx.root, 'aside'))
    fs.mkdirSync(folder)
    for (const name of ['index.html', 'index.md']) {
      const rel = `${folderRel}/${name}`
      const text = fs.readFileSync(path.join(ctx.out, rel), 'utf8')
      // ... and a new one planted in its place, recorded as it is (the record is in the state folder).
      fs.writeFileSync(path.join(folder, name), name === 'index.html' ? sameSize(text, EDIT) : text)
      const st = fs.lstatSync(path.join(folder, name), {bigint: true})
      record.files[rel] = [record.files[rel][0], Number(st.size), String(st.ino), String(st.mtimeNs), String(st.ctimeNs)]
    }
    const fst = fs.lstatSync(folder, {bigint: true})
    record.folders[folderRel] = [String(fst.ino), String(fst.mtimeNs), String(fst.ctimeNs)]
    fs.writeFileSync(recordFile, JSON.stringify(record))
    write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.')})
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(ctx.out), [EDIT])).toEqual([])
  })
})

describe('the spare: the real command killed with SIGKILL while it prunes the old site', () => {
  it('S19 SIGKILL at the first unlink of the old site: the spare left must hold nothing the live site does not', () => {
    const ctx = setup(base(), 'mopac-rt3-bin-')
    const preload = path.join(ctx.root, 'kill-at-prune.mjs')
    fs.writeFileSync(preload, [
      "import fs from 'node:fs'",
      "import {syncBuiltinESMExports} from 'node:module'",
      'const orig = fs.unlinkSync',
      "fs.unlinkSync = function (p, ...rest) { if (process.env.RT3_KILL && String(p).includes('.public.old-')) process.kill(process.pid, 'SIGKILL'); return orig.call(this, p, ...rest) }",
      'syncBuiltinESMExports()'
    ].join('\n'))
    const run = (now: string, kill = false) => spawnSync(process.execPath, ['--import', preload, path.join(repo, 'bin/mopac.js'), 'build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', now], {encoding: 'utf8', env: {...process.env, ...(kill ? {RT3_KILL: '1'} : {})}})
    expect(run('2026-06-01T12:00:00Z').status).toBe(0)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.')})
    expect(run('2026-06-01T12:00:00Z').status).toBe(0)
    expect(findCanaries(scanSite(spareDir(ctx)), [TAKEN])).not.toEqual([])
    write(ctx, {'w.md': paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')})
    const killed = run('2026-10-01T12:00:00Z', true)
    expect(killed.signal).toBe('SIGKILL')
    expect(findCanaries(scanSite(ctx.out), [TAKEN])).toEqual([])
    expect(fs.existsSync(spareDir(ctx)) ? findCanaries(scanSite(spareDir(ctx)), [TAKEN]) : []).toEqual([])
    // The site swapped out, cut short while pruned, is beside --out under its
    // old-site name (as when its removal was cut short before the spare):
    // the next run removes it.
    const old = fs.readdirSync(ctx.root).filter((n) => n.startsWith('.public.old-'))
    expect(old).toHaveLength(1)
    expect(run('2026-10-01T12:00:00Z').status).toBe(0)
    expect(fs.readdirSync(ctx.root).filter((n) => n.startsWith('.public.') && n !== '.public.spare')).toEqual([])
    for (const name of fs.readdirSync(ctx.root).filter((n) => n === 'public' || n.startsWith('.public'))) expect(findCanaries(scanSite(path.join(ctx.root, name)), [TAKEN]), name).toEqual([])
    expect(spareExtras(ctx.out)).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// verify's memory: the fast path and the reading summaries.

const NOW = new Date('2026-06-01T12:00:00Z')
const LATER = new Date('2026-12-02T12:00:00Z')

interface VCtx {
  root: string
  content: string
  out: string
  memory: string
}

function vsetup(files: Record<string, string>): VCtx {
  const root = tempDir('mopac-rt3-v-')
  const v = {root, content: path.join(root, 'content'), out: path.join(root, 'out'), memory: path.join(root, 'state', 'verify')}
  fs.mkdirSync(v.content)
  fs.mkdirSync(v.out)
  vwrite(v, files)
  return v
}

function vwrite(v: VCtx, files: Record<string, string | null>, dir = v.content): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name)
    if (text === null) fs.rmSync(file, {recursive: true, force: true})
    else {
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, text)
    }
  }
}

const vpaper = (n: number, body: string, fm = ''): string => `---\nid: PCD ${n}\ntitle: Decision ${n} on estates\ndate: "2026-01-10"\nclassification: OFFICIAL\nsummary: Summary of decision ${n}.\n${fm}---\n\n${body}\n\nEnd of the paper.\n`

/** The verdicts with the memory (updating it) and without. */
async function both(v: VCtx, now = NOW): Promise<{mem: number; full: number; readAll?: boolean; piecesRead?: number}> {
  const full = await verify({content: v.content, out: v.out, now})
  const mem = await verify({content: v.content, out: v.out, now, memory: v.memory})
  return {mem: mem.hits.length, full: full.hits.length, readAll: mem.readAll, piecesRead: mem.piecesRead}
}

function editMemory(v: VCtx, edit: (memory: {readings: Record<string, [string, string, Record<string, unknown>]>; secrets: string[]; excluded: string[]}) => void): void {
  const file = path.join(v.memory, 'memory.json')
  const data = JSON.parse(fs.readFileSync(file, 'utf8'))
  edit(data)
  fs.writeFileSync(file, JSON.stringify(data))
}

const VT = {
  open: vpaper(601, 'Fleet renewal of the estate vehicles.'),
  secret: vpaper(602, `Custody review.\n\n${withheld('The Marbosk contract with Quillaby Holdings ends early.')}`),
  deferred: vpaper(603, 'The Hastuvel relocation goes ahead in spring.', 'deferral:\n  until: "2026-12-01"\n  reason: Market engagement\n')
}
const V: Record<string, string> & {secret: string; deferred: string} = Object.assign({'open.md': VT.open, 'secret.md': VT.secret, 'deferred.md': VT.deferred}, {}) as never
Object.defineProperty(V, 'secret', {value: VT.secret, enumerable: false})
Object.defineProperty(V, 'deferred', {value: VT.deferred, enumerable: false})

describe('verify: the fast path and the reading summaries (content changes)', () => {
  it('V1 a new page leaking an unchanged paper\'s withheld word after an edit that only adds text (fast path)', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'leak.html': '<p>Zone marbosk</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V2 a withheld word in a file name as part of a token joined by `_`, after an edit that only adds text', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'files/report_quillaby_final.pdf': '%PDF-1.4\n'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V3 the deferred paper\'s slug as a folder name, after an edit that only adds text', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'decisions/pcd-603/x.txt': 'nothing here'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V4 a withheld paper moved to another path (its reading new, the old gone) while its text leaks', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'deferred.md': null, 'sub/moved-deferred.md': V.deferred})
    vwrite(v, {'leak.html': '<p>The hastuvel relocation</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V5 a paper whose deferral side flips back (its deferral moved later after it fell due)', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v, LATER)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'deferred.md': V.deferred.replace('2026-12-01', '2027-03-01'), 'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. The Hastuvel relocation goes ahead in spring.')})
    expect(await both(v, LATER)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. The Hastuvel relocation goes ahead in spring. And more.')})
    vwrite(v, {'decisions/pcd-603/index.html': '<p>x</p>'}, v.out)
    const r = await both(v, LATER)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V6 a secret public only through a linked CSV whose text then changes', async () => {
    const v = vsetup({...V, 'open.md': vpaper(601, 'Fleet renewal. See [data](./d.csv).'), 'd.csv': 'name,cost\nmarbosk,1\n'})
    vwrite(v, {'index.html': '<p>Fleet renewal marbosk.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'d.csv': 'name,cost\nother,1\n', 'secret.md': V.secret + '\nMore.\n'})
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V7 a CSV that is really a paper (a `---` line and a withheld block), linked, while another paper changes', async () => {
    const disguised = `---\nid: PCD 699\ntitle: Hidden\ndate: "2026-01-10"\nclassification: OFFICIAL\n---\n\n${withheld('Trelloquin bid is lowest.')}\n`
    const v = vsetup({...V, 'open.md': vpaper(601, 'Fleet renewal. See [data](./d.csv).'), 'd.csv': disguised})
    vwrite(v, {'index.html': '<p>Fleet renewal.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal. See [data](./d.csv). More vans.')})
    vwrite(v, {'leak.html': '<p>trelloquin</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V8 a public paper made a draft while another changed paper repeats its text (lost nothing): its slug becomes forbidden', async () => {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles.', 'draft: true\n'), 'secret.md': V.secret.replace('Custody review.', 'Custody review. Decision 601 on estates. Summary of decision 601. Fleet renewal of the estate vehicles. PCD 601. pcd 601.')})
    vwrite(v, {'decisions/pcd-601/index.html': '<p>x</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V9 random sequences (fast-check): renames, deferral flips, drafts, linked CSVs, disguised papers, leaks and slug folders: the memory\'s verdict is the full one\'s', async () => {
    const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'cellunor', 'dravonet', 'ferrowind', 'glimmoran']
    type P = {name: string; deferred: boolean; draft: boolean; open: string; secret: string; csv: string | null}
    const paperA = fc.record({
      name: fc.constantFrom('p1.md', 'p2.md', 'sub/p1.md', 'p3.md'),
      deferred: fc.boolean(),
      draft: fc.boolean(),
      open: fc.array(fc.constantFrom(...WORDS), {maxLength: 3}).map((w) => w.join(' ')),
      secret: fc.array(fc.constantFrom(...WORDS), {minLength: 1, maxLength: 2}).map((w) => w.join(' ')),
      csv: fc.option(fc.oneof(fc.constantFrom(...WORDS).map((w) => `a,b\n${w},1\n`), fc.constant('---\nid: PCD 9\n---\n')), {freq: 2})
    })
    const stepA = fc.oneof(
      fc.record({k: fc.constant('paper' as const), slot: fc.nat(2), p: fc.option(paperA, {freq: 5})}),
      fc.record({k: fc.constant('leak' as const), slot: fc.nat(2), word: fc.constantFrom(...WORDS), folder: fc.boolean()}),
      fc.record({k: fc.constant('time' as const)})
    )
    await fc.assert(
      fc.asyncProperty(fc.array(stepA, {minLength: 2, maxLength: 6}), async (steps) => {
        const v = vsetup({})
        vwrite(v, {'index.html': '<p>Decisions</p>'}, v.out)
        const slots: Array<P | null> = [null, null, null]
        let now = NOW
        const render = (i: number, p: P): Record<string, string | null> => {
          const link = p.csv !== null ? ` See [data](./d${i}.csv).` : ''
          const fm = `${p.deferred ? 'deferral:\n  until: "2026-12-01"\n' : ''}${p.draft ? 'draft: true\n' : ''}`
          return {[p.name]: vpaper(610 + i, `Plan ${p.open}.${link}\n\n${withheld(`Part two ${p.secret}.`)}`, fm), [`d${i}.csv`]: p.csv}
        }
        try {
          for (const s of steps) {
            if (s.k === 'paper') {
              const old = slots[s.slot]
              if (old) vwrite(v, {[old.name]: null, [`d${s.slot}.csv`]: null})
              // One file per name: a name taken by another slot is skipped.
              if (s.p && slots.some((o, j) => j !== s.slot && o?.name === s.p!.name)) slots[s.slot] = null
              else {
                slots[s.slot] = s.p
                if (s.p) vwrite(v, render(s.slot, s.p))
              }
            } else if (s.k === 'leak') {
              if (s.folder) vwrite(v, {[`decisions/pcd-${610 + s.slot}/index.html`]: '<p>page</p>'}, v.out)
              else vwrite(v, {[`leak-${s.slot}.html`]: `<p>${s.word}</p>`}, v.out)
            } else now = now === NOW ? LATER : NOW
            if (!fs.readdirSync(v.content, {recursive: true}).some((n) => String(n).endsWith('.md'))) continue
            const full = await verify({content: v.content, out: v.out, now})
            const mem = await verify({content: v.content, out: v.out, now, memory: v.memory})
            expect(mem.hits.length > 0).toBe(full.hits.length > 0)
          }
        } finally {
          fs.rmSync(v.root, {recursive: true, force: true})
        }
      }),
      {numRuns: 12}
    )
  })
})

describe('verify: memory.json edited by hand (someone who can write the state folder)', () => {
  async function primed(): Promise<VCtx> {
    const v = vsetup(V)
    vwrite(v, {'index.html': '<p>Fleet renewal of the estate vehicles.</p>'}, v.out)
    expect(await both(v)).toMatchObject({mem: 0, full: 0})
    return v
  }
  const summaryOf = (v: VCtx, file: string, edit: (s: Record<string, unknown>) => void) =>
    editMemory(v, (m) => {
      for (const [, , s] of Object.values(m.readings)) if (String(s.sourceFile).endsWith(file)) edit(s)
    })

  it('V10 a summary whose forbiddenSlugs were emptied: the deferred paper\'s slug as a folder name is still found', async () => {
    const v = await primed()
    summaryOf(v, 'deferred.md', (s) => (s.forbiddenSlugs = []))
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'decisions/pcd-603/x.txt': 'nothing here'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V11 a summary of another paper claiming the deferred paper\'s slug as its public slug', async () => {
    const v = await primed()
    summaryOf(v, 'open.md', (s) => (s.publicSlug = 'pcd-603'))
    vwrite(v, {'secret.md': V.secret + '\nMore.\n'})
    vwrite(v, {'decisions/pcd-603/x.txt': 'nothing here'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V12 a summary with a wrong dueAt (the deferred paper claimed due): it is read again, not trusted', async () => {
    const v = await primed()
    summaryOf(v, 'deferred.md', (s) => {
      s.dueAt = NOW.getTime() - 1000
      s.isPublic = true
    })
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'leak.html': '<p>The hastuvel relocation</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it.fails('KNOWN LIMITATION V13 a summary with isPublic flipped and a linked file added (publicRefs): the withheld word in that file does not become public', async () => {
    const v = await primed()
    vwrite(v, {'notes.csv': 'word\nmarbosk\n'})
    summaryOf(v, 'secret.md', (s) => {
      s.isPublic = true
      s.publicRefs = ['./notes.csv']
    })
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'leak.html': '<p>marbosk</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it.fails('KNOWN LIMITATION V14 the remembered secrets emptied (and the words listed as excluded)', async () => {
    const v = await primed()
    editMemory(v, (m) => {
      m.excluded.push(...m.secrets)
      m.secrets = []
    })
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal of the estate vehicles. More vans.')})
    vwrite(v, {'leak.html': '<p>marbosk</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V15 a reading file (its pieces) damaged: read from the paper again', async () => {
    const v = await primed()
    const dir = path.join(v.memory, 'papers')
    for (const name of fs.readdirSync(dir)) if (!name.endsWith('.public.json')) fs.writeFileSync(path.join(dir, name), '{"pieces":[]}')
    // A change that loses public text, so pieces are read.
    vwrite(v, {'open.md': vpaper(601, 'Fleet renewal.')})
    vwrite(v, {'leak.html': '<p>marbosk</p>'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })

  it('V16 a summary whose sourceFile names another paper: not used for this one', async () => {
    const v = await primed()
    editMemory(v, (m) => {
      const entries = Object.values(m.readings)
      const open = entries.find(([, , s]) => String(s.sourceFile).endsWith('open.md'))!
      const deferred = entries.find(([, , s]) => String(s.sourceFile).endsWith('deferred.md'))!
      // Swap the summaries' content but keep each one's sourceFile.
      const keep = deferred[2].sourceFile
      deferred[2] = {...open[2], sourceFile: keep}
    })
    vwrite(v, {'secret.md': V.secret + '\nMore.\n'})
    vwrite(v, {'decisions/pcd-603/x.txt': 'nothing here'}, v.out)
    const r = await both(v)
    expect(r.full).toBeGreaterThan(0)
    expect(r.mem).toBe(r.full)
  })
})

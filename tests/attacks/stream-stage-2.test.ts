/**
 * Red team, round 2, of the streamed stage: cdc56df (pages written into
 * `.<out>.tmp-<pid>-<8hex>` beside --out as they are made) and the fixes of
 * f093fa1 (src/build/write.ts `openStage`, `finish`, `discardStagesSync`,
 * `recoverOut`, `sibling`, `siblings`; src/cli/signals.ts; src/build/pool.ts
 * `keep`; src/build/cache.ts).
 *
 * Each test asserts the safe behaviour; a failing test is a hole. Signals are
 * sent to the real bin (dist/, `npx tsc -p tsconfig.build.json` first) from a
 * preload (`--import`, written by this file) that sends the signal at one
 * point of the run (and, where the point is an await, holds the run there
 * until the signal has ended it); every other run is in-process.
 *
 * Found when written, and fixed since (every test here passes; two were
 * changed with the fix, as their comments say):
 *  - SIGTERM/SIGINT: `stop` (src/cli/signals.ts) removes the stages, then
 *    sends the signal again, but proper-lockfile's signal-exit keeps a
 *    listener on SIGINT/SIGTERM, so the second signal is only an event: the
 *    run goes on for a turn of the event loop. A signal handled while the
 *    build awaits the content folder's real path (loadAssets, the last await
 *    before rendering) lets the run render the whole site into a new staging
 *    folder, never checked, left beside --out;
 *  - a signal between the two renames of the swap: the staged (checked) site
 *    is removed, --out is left missing (the site is down until the next run),
 *    the old site beside it;
 *  - the handler's rmSync of a staging folder whose second rename (staged -> --out) is in
 *    flight in the thread pool: when the rename lands during the removal (forced here by the
 *    preload) --out is half a site, its marker gone, and every later run refuses to replace it;
 *  - a signal while the old site is removed after the swap (swapIn's fs.rm then; removeTree, synchronous, now):
 *    the old site stays beside --out, with the text of a paper this run took
 *    down (reclassified OFFICIAL-SENSITIVE);
 *  - SIGHUP (a closed terminal or SSH session) and the other signals
 *    signal-exit handles: no stage is removed;
 *  - recoverOut keeps a stale stage whose pid now belongs to another live process;
 *  - recoverOut moves whatever has the old site's exact name into --out
 *    (a symbolic link to the content folder included) without checking it is
 *    a mopac site.
 */
import fs from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {createProcessor} from '../../src/build/pool.js'
import {openStage, processAlive} from '../../src/build/write.js'
import {readLog} from '../../src/release/log.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {mopac, runMopac, snapshot} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {deferredUntil, OK, paper, runRelease, setup as setupIn, spareExtras, T0, T1, withheld, write, type Ctx} from './keep-helpers.js'

const setup = (papers: Record<string, string>): Ctx => setupIn(papers, 'mopac-stream2-')
const OWN = new Set(['content', 'public', 'state', 'state-b', 'alias'])

/** Every name beside --out that is not one of the test's own folders; the spare only by what it holds that the live site does not (see `spareExtras`). */
function leftovers(ctx: Ctx): string[] {
  return fs.readdirSync(ctx.root).filter((name) => !OWN.has(name)).flatMap((name) => (name === '.public.spare' ? spareExtras(ctx.out) : [name])).sort()
}

/**
 * The canaries a web server serving `root` could show: every file under it
 * but the content and state folders, symbolic links followed (as a server
 * does), with where each was found.
 */
function exposed(root: string, words: string[], only?: string): string[] {
  const hits = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string, rel: string): void => {
    let stat: fs.Stats
    try {
      stat = fs.statSync(file)
    } catch {
      return
    }
    if (stat.isDirectory()) {
      const real = fs.realpathSync(file)
      if (seen.has(real)) return
      seen.add(real)
      for (const name of fs.readdirSync(file)) {
        if (rel === '' && (name === 'content' || name === 'state' || name === 'state-b')) continue
        if (rel === '' && only !== undefined && name !== only) continue
        visit(path.join(file, name), rel ? `${rel}/${name}` : name)
      }
      return
    }
    const text = `${rel}\n${fs.readFileSync(file, 'latin1')}`.toLowerCase()
    for (const word of words) if (text.includes(word)) hits.add(`${word} in ${rel}`)
  }
  visit(root, '')
  return [...hits].sort()
}

/** A pid no process has now. */
function deadPid(): number {
  for (let pid = 32_000; pid > 1000; pid -= 7) if (!processAlive(pid)) return pid
  throw new Error('no free pid')
}

/** The site and log a run of `steps` in a fresh folder (in-process, uninterrupted) gives. */
async function reference(steps: Array<{papers: Record<string, string | null>; now: Date; strict?: boolean}>): Promise<{site: Record<string, string>; log: string[]}> {
  const ref = setup({})
  for (const step of steps) {
    write(ref, step.papers)
    expect(OK).toContain((await runRelease(ref, {now: step.now, strict: step.strict})).status)
  }
  return {site: snapshot(ref.out), log: await logLines(ref)}
}

/** The release log (its released, baseline and withdrawn lines) as `event slug at` lines. */
async function logLines(ctx: Ctx): Promise<string[]> {
  return (await readLog(ctx.state)).map((e) => `${e.event} ${e.slug} ${e.at}`)
}

// ---------------------------------------------------------------------------
// The preload: sends a signal at one point of a run of the real bin
// ---------------------------------------------------------------------------

const PRELOAD = String.raw`
import fs from 'node:fs'
import path from 'node:path'
import {syncBuiltinESMExports} from 'node:module'
const point = process.env.RT_POINT
const signal = process.env.RT_SIG
const mark = process.env.RT_MARK
let fired = false
const fire = () => {
  fired = true
  fs.writeFileSync(mark, point)
  process.kill(process.pid, signal)
}
// Held here until the signal ends the process (it is pending already).
const hold = () => new Promise((resolve) => setTimeout(resolve, 30000))
// Two turns of the event loop: the signal is handled in the first, the run goes on in the second.
const hop = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
const isOld = (p) => /^\..+\.old-\d+-[0-9a-f]{8}$/.test(path.basename(String(p)))
const isStage = (p) => /\.tmp-\d+-[0-9a-f]{8}$/.test(String(p))
const P = fs.promises
const {realpath, rename, rm, open, stat} = P
P.realpath = async function (p, ...rest) {
  if (!fired && point === 'render' && new Error().stack.includes('loadAssets')) {
    fire()
    await hop()
    return fs.realpathSync(p)
  }
  return realpath.call(this, p, ...rest)
}
P.stat = async function (p, ...rest) {
  if (!fired && point === 'check' && isStage(p)) {
    fire()
    await hold()
  }
  return stat.call(this, p, ...rest)
}
// 'rename-race': the second rename of the swap, in the thread pool, lands while the
// handler's rmSync is removing the same folder (after its third file): forced here.
let racing
let unlinks = 0
const unlinkSync = fs.unlinkSync
fs.unlinkSync = function (p, ...rest) {
  const result = unlinkSync.call(this, p, ...rest)
  if (racing && String(p).startsWith(racing.from + path.sep) && ++unlinks === 3) {
    fs.renameSync(racing.from, racing.to)
    racing = undefined
  }
  return result
}
P.rename = async function (from, to) {
  if (!fired && point === 'rename-race' && isStage(from) && !isOld(to)) {
    racing = {from: String(from), to: String(to)}
    fire()
    await hold()
  }
  const result = await rename.call(this, from, to)
  if (!fired && point === 'mid-swap' && isOld(to)) {
    fire()
    await hold()
  }
  return result
}
// The swap's renames are synchronous since the fixes: the same points, sent
// from inside them (a handler runs only once the synchronous step is over).
const renameSync = fs.renameSync
fs.renameSync = function (from, to) {
  if (!fired && point === 'rename-race' && isStage(from) && !isOld(to)) {
    racing = {from: String(from), to: String(to)}
    fire()
  }
  const result = renameSync.call(this, from, to)
  if (!fired && point === 'mid-swap' && isOld(to)) fire()
  return result
}
// The old site is removed synchronously since (removeTree): the signal is
// sent from inside the removal, and its handler runs once it is over.
const readdirSync = fs.readdirSync
fs.readdirSync = function (p, ...rest) {
  if (!fired && point === 'old-removal' && isOld(p)) fire()
  return readdirSync.call(this, p, ...rest)
}
P.rm = async function (p, options) {
  if (!fired && point === 'old-removal' && isOld(p)) {
    fire()
    await hold()
  }
  return rm.call(this, p, options)
}
P.open = async function (p, flags, ...rest) {
  if (!fired && point === 'append' && String(p).endsWith('releases.jsonl') && flags === 'a') {
    fire()
    await hold()
  }
  return open.call(this, p, flags, ...rest)
}
syncBuiltinESMExports()
`

let preloadFile: string | undefined
function preload(): string {
  if (!preloadFile) {
    preloadFile = path.join(tempDir('mopac-stream2-preload-'), 'signal-at.mjs')
    fs.writeFileSync(preloadFile, PRELOAD)
  }
  return preloadFile
}

type Point = 'render' | 'check' | 'mid-swap' | 'old-removal' | 'append' | 'rename-race'

/** `mopac <command>` (the real bin) on ctx, sent `signal` at `point`; whether the point was reached. */
function killedRun(ctx: Ctx, command: 'build' | 'release', now: Date, point: Point, signal: NodeJS.Signals): {reached: boolean; code: number | null} {
  const mark = path.join(path.dirname(preload()), `mark-${path.basename(ctx.root)}`)
  fs.rmSync(mark, {force: true})
  const result = mopac([command, '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', now.toISOString()], {
    env: {NODE_OPTIONS: `--import=${pathToFileURL(preload()).href}`, RT_POINT: point, RT_SIG: signal, RT_MARK: mark}
  })
  return {reached: fs.existsSync(mark), code: result.code}
}

// ---------------------------------------------------------------------------
// 1. Signals at each stage of a run, then the next run
// ---------------------------------------------------------------------------

describe('a signal at each stage of a run (the real bin), then the next run', () => {
  const secretA = 'zksigsecret9001'
  const base = {'a.md': paper(901, `Opening text.\n\n${withheld(`The supplier ${secretA} was named.`)}`), 'b.md': paper(902, 'Other public text.')}
  const added = {'c.md': paper(903, 'A new decision, published by this run.')}

  for (const [command, signal] of [['build', 'SIGTERM'], ['release', 'SIGINT']] as const) {
    it(`${command}, ${signal} handled while the build awaits the content folder's real path (just before rendering): no staging folder is left beside --out`, async () => {
      const ctx = setup(base)
      expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
      const before = snapshot(ctx.out)
      write(ctx, added)
      const killed = killedRun(ctx, command, T0, 'render', signal)
      expect(killed.reached).toBe(true)
      expect(killed.code).toBe(null)
      const left = leftovers(ctx)
      const stageFiles = left.flatMap((name) => (fs.statSync(path.join(ctx.root, name)).isDirectory() ? fs.readdirSync(path.join(ctx.root, name), {recursive: true}).map(String) : []))
      // --out as it was, no withheld text anywhere a server could show.
      expect(snapshot(ctx.out)).toEqual(before)
      expect(exposed(ctx.root, [secretA])).toEqual([])
      // The next run completes the work and tidies.
      expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
      expect(snapshot(ctx.out)).toEqual((await reference([{papers: base, now: T0, strict: true}, {papers: added, now: T0, strict: true}])).site)
      expect(leftovers(ctx)).toEqual([])
      // The hole: a whole site, rendered after the handler ran and never checked, was beside --out.
      expect({left, files: stageFiles.length}).toEqual({left: [], files: 0})
    })
  }

  it('build, SIGHUP (a closed terminal or SSH session) during the leak check: no staging folder is left beside --out', async () => {
    const ctx = setup(base)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    const before = snapshot(ctx.out)
    write(ctx, added)
    const killed = killedRun(ctx, 'build', T0, 'check', 'SIGHUP')
    expect(killed.reached).toBe(true)
    expect(snapshot(ctx.out)).toEqual(before)
    expect(leftovers(ctx)).toEqual([])
  })

  it('build, SIGTERM between the two renames of the swap: --out is whole when the run has ended (the site before or after), not missing', async () => {
    const ctx = setup(base)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    const before = snapshot(ctx.out)
    write(ctx, added)
    const killed = killedRun(ctx, 'build', T0, 'mid-swap', 'SIGTERM')
    expect(killed.reached).toBe(true)
    const outAfterKill = fs.existsSync(ctx.out) ? snapshot(ctx.out) : undefined
    const left = leftovers(ctx)
    expect(exposed(ctx.root, [secretA])).toEqual([])
    // The next run puts the old site back and builds: whole, nothing left.
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    expect(snapshot(ctx.out)).toEqual((await reference([{papers: base, now: T0, strict: true}, {papers: added, now: T0, strict: true}])).site)
    expect(leftovers(ctx)).toEqual([])
    // The hole: until that next run, --out was missing and the old site beside it.
    expect({out: outAfterKill === undefined ? 'missing' : outAfterKill === before || 'decisions/pcd-903/index.html' in outAfterKill ? 'whole' : 'mixed', left}).toEqual({out: 'whole', left: []})
  })

  it('build, SIGTERM handled while the second rename of the swap is in flight (forced: it lands during the handler\'s removal): --out is never half a site', async () => {
    const ctx = setup(base)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    const before = snapshot(ctx.out)
    write(ctx, added)
    const killed = killedRun(ctx, 'build', T0, 'rename-race', 'SIGTERM')
    expect(killed.reached).toBe(true)
    const outAfterKill = fs.existsSync(ctx.out) ? snapshot(ctx.out) : {}
    const next = await runRelease(ctx, {strict: true}).catch((error: Error) => ({status: `threw: ${error.message}`}))
    const after = (await reference([{papers: base, now: T0, strict: true}, {papers: added, now: T0, strict: true}])).site
    const names = (site: Record<string, string>) => Object.keys(site).sort()
    const state = JSON.stringify(outAfterKill) === JSON.stringify(before) ? 'before' : JSON.stringify(names(outAfterKill)) === JSON.stringify(names(after)) ? 'after' : `half: ${names(after).filter((n) => !(n in outAfterKill)).join(', ')} missing`
    expect({state, next: next.status}).toEqual({state: expect.stringMatching(/^(before|after)$/), next: expect.stringMatching(/^(released|nothing-due|held)$/)})
  })

  it('release, SIGTERM while the old site is removed after the swap: the text of a paper this run took down is not left beside --out', async () => {
    const taken = 'zksigreclass9004'
    const first = {...base, 'd.md': paper(904, `The plan ${taken} is agreed.`)}
    const ctx = setup(first)
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(exposed(ctx.root, [taken], 'public').length).toBeGreaterThan(0)
    // Reclassified: its whole text is withheld from now on.
    const second = {'d.md': paper(904, `The plan ${taken} is agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')}
    write(ctx, second)
    const killed = killedRun(ctx, 'release', T1, 'old-removal', 'SIGTERM')
    expect(killed.reached).toBe(true)
    const exposedAfterKill = exposed(ctx.root, [taken, secretA])
    const left = leftovers(ctx)
    // --out itself is the new site.
    expect(exposed(ctx.root, [taken, secretA], 'public')).toEqual([])
    // The next run logs the withdrawal once and tidies.
    expect(OK).toContain((await runRelease(ctx, {now: T1})).status)
    const ref = await reference([{papers: first, now: T0}, {papers: second, now: T1}])
    expect(snapshot(ctx.out)).toEqual(ref.site)
    expect(await logLines(ctx)).toEqual(ref.log)
    expect(leftovers(ctx)).toEqual([])
    // The hole: after the killed run, the old site (with the withdrawn paper) was beside --out.
    expect({exposed: exposedAfterKill, left}).toEqual({exposed: [], left: []})
  })

  it('release, SIGTERM while the log is appended: --out is the new site, nothing beside it, and the next run logs the release once at its true instant', async () => {
    const first = {...base, 'e.md': paper(905, 'A deferred decision, due in August.', {fm: deferredUntil('2026-08-01T09:30:00Z')})}
    const ctx = setup(first)
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    const killed = killedRun(ctx, 'release', T1, 'append', 'SIGTERM')
    expect(killed.reached).toBe(true)
    expect(fs.existsSync(path.join(ctx.out, 'decisions/pcd-905/index.html'))).toBe(true)
    expect(leftovers(ctx)).toEqual([])
    expect(OK).toContain((await runRelease(ctx, {now: new Date(T1.getTime() + 60_000)})).status)
    expect((await logLines(ctx)).filter((l) => l.includes('pcd-905'))).toEqual([`released pcd-905 ${T1.toISOString()}`])
    expect(leftovers(ctx)).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// 2. recoverOut: names, stale folders, other forms
// ---------------------------------------------------------------------------

/** A folder that looks like a mopac site, with `word` on a page. */
function plantSite(dir: string, word: string): void {
  fs.mkdirSync(path.join(dir, 'decisions', 'pcd-1'), {recursive: true})
  fs.writeFileSync(path.join(dir, '.mopac-site'), 'mopac-publisher site, build 0123456789abcdef\n')
  fs.writeFileSync(path.join(dir, 'decisions', 'pcd-1', 'index.html'), `<p>The supplier ${word} was named.</p>`)
  fs.writeFileSync(path.join(dir, 'index.html'), '<p>listing</p>')
}

describe('recoverOut and the names of the folders beside --out', () => {
  const papers = {'a.md': paper(910, `Text.\n\n${withheld('The supplier zknamesecret9100 was named.')}`), 'b.md': paper(911, 'Other.')}
  // Each --out name, and a neighbour that an unescaped pattern of it would take for its old site.
  const NAMES: Array<[string, string]> = [
    ['site.old-1', '.siteXold-1'],
    ['a+b', '.aab'],
    ['.tmp-1-aaaaaaaa', '.Xtmp-1-aaaaaaaa'],
    ['a(b)', '.ab'],
    ['x[1]', '.x1']
  ]
  for (const [name, lookalike] of NAMES) {
    it(`--out \`${name}\`: a run stopped between the renames is repaired by the next, and \`${lookalike}.old-…\` beside it is neither moved in nor removed`, async () => {
      const ctx = setup(papers)
      ctx.out = path.join(ctx.root, name)
      OWN.add(name)
      expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
      const clean = snapshot(ctx.out)
      await expect(runRelease(ctx, {strict: true, force: true, killAt: 'mid-swap'})).rejects.toThrow('killed at mid-swap')
      expect(fs.existsSync(ctx.out)).toBe(false)
      const neighbour = `${lookalike}.old-${deadPid()}-abcdef12`
      plantSite(path.join(ctx.root, neighbour), 'zkneighbour9101')
      expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
      expect(snapshot(ctx.out)).toEqual(clean)
      expect(leftovers(ctx)).toEqual([neighbour])
      expect(exposed(ctx.root, ['zkneighbour9101', 'zknamesecret9100'], name)).toEqual([])
    })
  }

  it('leftovers of other forms (short or upper-case hex, no pid, a suffix) are never moved into a missing --out', async () => {
    const ctx = setup(papers)
    const dead = deadPid()
    const forms = [`.public.old-${dead}-abcdef1`, `.public.old-${dead}-ABCDEF12`, '.public.old-x-abcdef12', `.public.old-${dead}-abcdef12~`, `.public.OLD-${dead}-abcdef12`, `.public.old-${dead}-abcdef12.tmp-1-abcdef12`]
    forms.forEach((form, i) => plantSite(path.join(ctx.root, form), `zkform910${i}`))
    const r = await runRelease(ctx, {strict: true}).catch((error: Error) => ({status: `threw: ${error.message}`}))
    expect(OK).toContain(r.status)
    expect(exposed(ctx.root, forms.map((_, i) => `zkform910${i}`), 'public')).toEqual([])
    expect(leftovers(ctx)).toEqual([...forms].sort())
  })

  it('a stale staging folder whose pid now belongs to another live process (pid reuse) is not left beside --out, once a day old', async () => {
    const stale = 'zkstalestage9110'
    const ctx = setup(papers)
    // Left by a run killed with SIGKILL; its pid is now another process's (here the test runner's parent).
    // (Within a day of its last change it cannot be told from a live run's and is left: a known limit.)
    const name = `.public.tmp-${process.ppid}-deadbeef`
    plantSite(path.join(ctx.root, name), stale)
    const dayAgo = new Date(Date.now() - 25 * 3_600_000)
    fs.utimesSync(path.join(ctx.root, name), dayAgo, dayAgo)
    expect(processAlive(process.ppid)).toBe(true)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    expect(OK).toContain((await runRelease(ctx, {strict: true, force: true})).status)
    expect(exposed(ctx.root, [stale])).toEqual([])
  })

  it('an old-site name that is not a mopac site (a symbolic link to the content folder) is never moved into a missing --out', async () => {
    const secret = 'zksymlinkold9120'
    const ctx = setup({...papers, 'c.md': paper(912, `Text.\n\n${withheld(`The supplier ${secret} was named.`)}`)})
    fs.symlinkSync(ctx.content, path.join(ctx.root, `.public.old-${deadPid()}-abcdef12`))
    await runRelease(ctx, {strict: true}).catch(() => undefined)
    expect(exposed(ctx.root, [secret], 'public')).toEqual([])
  })

  it('--out a symbolic link: refused, nothing written beside it or through it', async () => {
    const ctx = setup(papers)
    const real = path.join(ctx.root, 'alias')
    fs.mkdirSync(real)
    fs.writeFileSync(path.join(real, 'keep.txt'), 'mine\n')
    fs.symlinkSync(real, ctx.out)
    for (const command of ['build', 'release']) {
      const r = await runMopac([command, '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', T0.toISOString()])
      expect(r.code).toBe(2)
    }
    expect(fs.lstatSync(ctx.out).isSymbolicLink()).toBe(true)
    expect(fs.readdirSync(real)).toEqual(['keep.txt'])
    expect(leftovers(ctx)).toEqual([])
  })

  it('--out named through a symbolic link to its parent, stopped between the renames; the next run names it by its real path: repaired, nothing left', async () => {
    const ctx = setup(papers)
    fs.symlinkSync(ctx.root, path.join(ctx.root, 'alias'))
    const viaAlias = path.join(ctx.root, 'alias', 'public')
    expect(OK).toContain((await runRelease(ctx, {strict: true, out: viaAlias})).status)
    const clean = snapshot(ctx.out)
    await expect(runRelease(ctx, {strict: true, force: true, out: viaAlias, killAt: 'mid-swap'})).rejects.toThrow('killed at mid-swap')
    expect(fs.existsSync(ctx.out)).toBe(false)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    expect(snapshot(ctx.out)).toEqual(clean)
    expect(leftovers(ctx)).toEqual([])
  })

  it('two runs, two state folders, the same --out by two names: the second runs while the first is between its renames; --out is whole after both, nothing left', async () => {
    const ctx = setup(papers)
    fs.symlinkSync(ctx.root, path.join(ctx.root, 'alias'))
    const viaAlias = path.join(ctx.root, 'alias', 'public')
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    write(ctx, {'c.md': paper(913, 'Added.')})
    let other: ReturnType<typeof mopac> | undefined
    const first = await runRelease(ctx, {
      strict: true,
      at: {'mid-swap': () => void (other = mopac(['build', '--content', ctx.content, '--out', viaAlias, '--state', path.join(ctx.root, 'state-b'), '--now', T0.toISOString()]))}
    }).catch((error: Error) => ({status: `threw: ${error.message}`}))
    // (Since the fixes: the other run does not undo a swap of a live process; it refuses, and says to run again.)
    expect(other?.code).toBe(2)
    expect(other?.stderr).toMatch(/being replaced by another run/)
    expect(first.status).toBe('released')
    const site = snapshot(ctx.out)
    expect(Object.keys(site)).toContain('decisions/pcd-913/index.html')
    expect(site['.mopac-site']).toBeDefined()
    expect((await verify({content: ctx.content, out: ctx.out, now: T0})).hits).toEqual([])
    expect(leftovers(ctx)).toEqual([])
  }, 20_000)
})

// ---------------------------------------------------------------------------
// 3. A stage's folder changed between its puts and finish
// ---------------------------------------------------------------------------

describe('a staging folder changed before finish', () => {
  const put = (stage: Awaited<ReturnType<typeof openStage>>) => {
    stage.put('index.html', '<p>listing</p>')
    stage.put('decisions/pcd-1/index.html', '<p>page</p>')
    stage.put('.mopac-site', 'mopac-publisher site\n')
  }
  it('replaced by a copy of itself (another inode): refused', async () => {
    const root = tempDir('mopac-stream2-')
    const stage = await openStage(path.join(root, 'site'))
    put(stage)
    fs.renameSync(stage.dir, path.join(root, 'moved'))
    fs.cpSync(path.join(root, 'moved'), stage.dir, {recursive: true})
    fs.writeFileSync(path.join(stage.dir, 'extra.html'), '<p>zkextra9200</p>')
    await expect(stage.finish()).rejects.toThrow(/changed while the site was written/)
    expect(fs.existsSync(stage.dir)).toBe(false)
  })
  it('a page replaced by a symbolic link to a paper: refused', async () => {
    const root = tempDir('mopac-stream2-')
    fs.writeFileSync(path.join(root, 'paper.md'), withheld('zklinked9201'))
    const stage = await openStage(path.join(root, 'site'))
    put(stage)
    fs.rmSync(path.join(stage.dir, 'decisions/pcd-1/index.html'))
    fs.symlinkSync(path.join(root, 'paper.md'), path.join(stage.dir, 'decisions/pcd-1/index.html'))
    await expect(stage.finish()).rejects.toThrow(/changed while the site was written/)
    expect(fs.existsSync(stage.dir)).toBe(false)
  })
})

// ---------------------------------------------------------------------------
// 4. A cache that stops being writable halfway through a run
// ---------------------------------------------------------------------------

describe('cache-unwritable mid-run', () => {
  /** Run the release job with its cache replaced by a file at the `at`-th file written into it; returns the result and the processor's warnings. */
  async function breakingCache(ctx: Ctx, at: number, restore: boolean) {
    const cacheDir = path.join(ctx.state, 'cache')
    const processor = createProcessor({cacheDir, workers: false})
    const real = fs.writeFileSync
    let writes = 0
    fs.writeFileSync = ((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof file === 'string' && file.startsWith(cacheDir + path.sep) && ++writes === at) {
        fs.renameSync(cacheDir, `${cacheDir}.moved`)
        real(cacheDir, 'not a folder any more\n')
      }
      return (real as (...a: unknown[]) => void)(file, ...rest)
    }) as typeof fs.writeFileSync
    syncBuiltinESMExports()
    try {
      const result = await release({
        content: ctx.content,
        out: ctx.out,
        state: ctx.state,
        now: T0,
        strict: true,
        processAll: processor.processAll,
        afterRun: processor.prune,
        verify: async (staged) => (await verify({content: ctx.content, out: staged, now: T0, memory: path.join(ctx.state, 'verify')})).hits
      })
      return {result, warnings: processor.stats.warnings.map((w) => w.ruleId), writes}
    } finally {
      fs.writeFileSync = real
      syncBuiltinESMExports()
      if (restore) {
        fs.rmSync(cacheDir, {force: true})
        fs.renameSync(`${cacheDir}.moved`, cacheDir)
      }
    }
  }

  function corpus(count: number): {papers: Record<string, string>; secrets: string[]} {
    const papers: Record<string, string> = {}
    const secrets: string[] = []
    for (let i = 0; i < count; i++) {
      secrets.push(`zkcachesec${9300 + i}`)
      papers[`p${i}.md`] = paper(930 + i, `Opening ${i}.\n\n${withheld(`The supplier ${secrets[i]} was named.`)}\n\nClosing words ${i}.`)
    }
    return {papers, secrets}
  }

  for (const at of [1, 5]) {
    it(`the cache replaced by a file at its write ${at}: the site is the clean build's, byte for byte, with a cache-unwritable warning; the next run too`, async () => {
      const {papers, secrets} = corpus(6)
      const ctx = setup(papers)
      const clean = await reference([{papers, now: T0, strict: true}])
      const {result, warnings} = await breakingCache(ctx, at, false)
      expect(OK).toContain(result.status)
      expect(warnings).toContain('cache-unwritable')
      expect(snapshot(ctx.out)).toEqual(clean.site)
      expect(exposed(ctx.root, secrets)).toEqual([])
      // The cache put back as it was when it broke (entries stored before): an edit, and the next run.
      fs.rmSync(path.join(ctx.state, 'cache'), {force: true})
      fs.renameSync(path.join(ctx.state, 'cache.moved'), path.join(ctx.state, 'cache'))
      const edited = {...papers, 'p0.md': papers['p0.md']!.replace('Closing words 0.', 'Closing words 0, edited.')}
      write(ctx, edited)
      expect(OK).toContain((await runRelease(ctx, {strict: true, prune: true})).status)
      expect(snapshot(ctx.out)).toEqual((await reference([{papers, now: T0, strict: true}, {papers: edited, now: T0, strict: true}])).site)
      expect(exposed(ctx.root, secrets)).toEqual([])
    })
  }
})

/**
 * Second red team of the kept-pages / leak-check-memory work, aimed at the
 * fixes of aefa59a and 4066ee3:
 *  - staging's identity checks and the LiveSiteChanged rebuild (src/build/write.ts, src/release/release.ts);
 *  - the manifest's change times (src/build/manifest.ts);
 *  - the published record staged before the swap and settled after (src/release/published.ts);
 *  - bodies checked against their digest (src/publish/body.ts, src/build/cache.ts);
 *  - the cache pruned after a run (src/build/pool.ts).
 * Each test asserts the safe behaviour; a failing test is a hole. Found when written:
 *  - the published record (<state>/published/index.json) is trusted for a held paper without
 *    checking it describes the live build: a run with another state folder that withdrew a paper
 *    or deleted text from it, then the paper breaking, makes the first state folder's next run
 *    put the old body back (the leak check cannot see it: a withdrawn body is public to it, and
 *    deleted text is in no source);
 *  - a kept file written in place (times set back) between staging and the manifest's write is
 *    vouched for by the manifest (it records the change time after the edit) and skipped by the
 *    check's memory: withheld text stays published in later runs;
 *  - a published index with a null entry (index.json or index.next.json) crashes every run with a
 *    TypeError (settlePublished, lastPublished).
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {ReleaseResult} from '../../src/release/release.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {deferredUntil, OK, paper, rewriteInPlace, runRelease, sameSize, setup as setupIn, T0, T2, withdrawnFm, withheld, write, type Ctx, type RunOpts, type Stage} from './keep-helpers.js'
import {filesUnder} from '../helpers/cache.js'

const STAGES: Stage[] = ['staged', 'verified', 'swapping', 'mid-swap', 'swapped', 'appending']
/** An error that holds the paper (a misspelt directive name). */
const BREAK = '\n\n:::official-sensitiv{exemptions="s43"}\nx\n:::'
const SAFE = [...OK, 'leak']

const setup = (papers: Record<string, string>): Ctx => setupIn(papers, 'mopac-keep2-')
/** A run of the release job as cron runs it: broken papers held, the cache pruned after. */
const run = (ctx: Ctx, o: RunOpts = {}): Promise<ReleaseResult> => runRelease(ctx, {strict: false, prune: true, ...o})

function canaries(out: string, words: string[]): string[] {
  if (!fs.existsSync(out)) return []
  return [...new Set(findCanaries(scanSite(out), words).map((h) => h.canary))].sort()
}

/** Every canary present after must already have been present before (a held paper never brings back text the live site no longer shows). */
function expectNoComeback(before: string[], after: string[]): void {
  expect(after.filter((w) => !before.includes(w))).toEqual([])
}

// ---------------------------------------------------------------------------
// 1. The published record (held papers) and other state folders / kills
// ---------------------------------------------------------------------------

describe('published record: a held paper never brings back what the live site no longer shows', () => {
  it('withdrawn by a run with another state folder, then broken: the first state folder\'s record republishes the pre-withdrawal body', async () => {
    const body = 'zqxtwostatewd1'
    const ctx = setup({'a.md': paper(301, `Body ${body} words.`), 'b.md': paper(302, 'Other text.')})
    const other = path.join(ctx.root, 'state-b')
    expect(OK).toContain((await run(ctx)).status)
    // The withdrawal goes out through the other state folder (a colleague's build, or a second cron).
    write(ctx, {'a.md': paper(301, `Body ${body} words.`, {fm: withdrawnFm})})
    expect(OK).toContain((await run(ctx, {state: other})).status)
    expect(canaries(ctx.out, [body])).toEqual([])
    // The paper then breaks; the first state folder's job runs.
    write(ctx, {'a.md': paper(301, `Body ${body} words.${BREAK}`, {fm: withdrawnFm})})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [body])).toEqual([])
  })

  it('the same with the paper\'s withdrawal published by a run killed after its swap, and another state folder publishing before the next run settles', async () => {
    const body = 'zqxtwostatewd2'
    const ctx = setup({'a.md': paper(303, `Body ${body} words.`), 'b.md': paper(304, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(303, `Body ${body} words.`, {fm: withdrawnFm})})
    await expect(run(ctx, {killAt: 'swapped'})).rejects.toThrow(/killed/)
    write(ctx, {'b.md': paper(304, 'Other text, edited.')})
    expect(OK).toContain((await run(ctx, {state: path.join(ctx.root, 'state-b')})).status)
    write(ctx, {'a.md': paper(303, `Body ${body} words.${BREAK}`, {fm: withdrawnFm})})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [body])).toEqual([])
  })

  it('a redaction published by another state folder, then the paper breaks: the old record\'s unredacted text is not published', async () => {
    const word = 'zqxtwostaterd3'
    const ctx = setup({'a.md': paper(305, `The supplier ${word} is named.`), 'b.md': paper(306, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(305, `The supplier\n\n${withheld(`${word} is named.`)}`)})
    expect(OK).toContain((await run(ctx, {state: path.join(ctx.root, 'state-b')})).status)
    write(ctx, {'a.md': paper(305, `The supplier\n\n${withheld(`${word} is named.`)}${BREAK}`)})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('deferred again by a run with another state folder at an earlier --now, then broken: no title or address before its date', async () => {
    const title = 'Zqxredeferttl4'
    const ctx = setup({'a.md': paper(307, 'Body text.', {title: `${title} plan`, fm: deferredUntil('2026-09-01')}), 'b.md': paper(308, 'Other text.')})
    expect(OK).toContain((await run(ctx, {now: T2})).status)
    // Deferred again (date moved later) and taken down through the other state folder.
    write(ctx, {'a.md': paper(307, 'Body text.', {title: `${title} plan`, fm: deferredUntil('2027-03-01')})})
    expect(OK).toContain((await run(ctx, {now: T2, state: path.join(ctx.root, 'state-b')})).status)
    expect(canaries(ctx.out, [title, 'pcd-307'])).toEqual([])
    write(ctx, {'a.md': paper(307, `Body text.${BREAK}`, {title: `${title} plan`, fm: deferredUntil('2027-03-01')})})
    const r = await run(ctx, {now: T2})
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [title, 'pcd-307'])).toEqual([])
  })

  for (const stage of STAGES) {
    it(`withdrawal run killed at '${stage}', then the paper breaks and is held: no text the live site no longer shows`, async () => {
      const body = `zqxkillwd${stage.replace('-', '')}`
      const ctx = setup({'a.md': paper(310, `Body ${body} words.`), 'b.md': paper(311, 'Other text.')})
      expect(OK).toContain((await run(ctx)).status)
      write(ctx, {'a.md': paper(310, `Body ${body} words.`, {fm: withdrawnFm})})
      await expect(run(ctx, {killAt: stage})).rejects.toThrow(/killed/)
      // An ordinary run completes what the killed one left (or publishes the withdrawal).
      write(ctx, {'b.md': paper(311, 'Other text, edited.')})
      expect(OK).toContain((await run(ctx)).status)
      const before = canaries(ctx.out, [body])
      expect(before).toEqual([])
      write(ctx, {'a.md': paper(310, `Body ${body} words.${BREAK}`, {fm: withdrawnFm})})
      const r = await run(ctx)
      expect(SAFE).toContain(r.status)
      expectNoComeback(before, canaries(ctx.out, [body]))
    })
  }

  it('withdrawal run killed at \'swapping\' whose paper breaks before the next run: the held paper shows the live (pre-withdrawal) version only', async () => {
    // The live site still shows the body (the withdrawal never went live): keeping it is documented.
    // What must not happen is a version the live site never showed.
    const body = 'zqxkillswap5'
    const newer = 'zqxnevershown5'
    const ctx = setup({'a.md': paper(312, `Body ${body} words.`), 'b.md': paper(313, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(312, `Body ${body} words, ${newer}.`)})
    await expect(run(ctx, {killAt: 'swapping'})).rejects.toThrow(/killed/)
    write(ctx, {'a.md': paper(312, `Body ${body} words, ${newer}.${BREAK}`)})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [newer])).toEqual([])
  })

  it('--now moved backward (paper taken down) and a second state folder that saw it public: held, it never appears before its date', async () => {
    const title = 'Zqxbackward6'
    const ctx = setup({'a.md': paper(314, 'Body.', {title: `${title} plan`, fm: deferredUntil('2026-09-01')}), 'b.md': paper(315, 'Other text.')})
    const other = path.join(ctx.root, 'state-b')
    expect(OK).toContain((await run(ctx, {now: T2, state: other})).status)
    expect(OK).toContain((await run(ctx, {now: T0})).status)
    expect(canaries(ctx.out, [title, 'pcd-314'])).toEqual([])
    write(ctx, {'a.md': paper(314, `Body.${BREAK}`, {title: `${title} plan`, fm: deferredUntil('2026-09-01')})})
    const r = await run(ctx, {now: T0, state: other})
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [title, 'pcd-314'])).toEqual([])
  })

  it('withdrawn with its body replaced, through another state folder; then broken: the deleted body (in no source any more) comes back', async () => {
    const body = 'zqxunwithdraw7'
    const ctx = setup({'a.md': paper(316, `Body ${body} words.`), 'b.md': paper(317, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(316, `New body.`, {fm: withdrawnFm})})
    expect(OK).toContain((await run(ctx, {state: path.join(ctx.root, 'state-b')})).status)
    expect(canaries(ctx.out, [body])).toEqual([])
    write(ctx, {'a.md': paper(316, `New body.${BREAK}`, {fm: withdrawnFm})})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [body])).toEqual([])
  })

  it('text deleted from a live paper (published through another state folder), then the paper breaks: the deleted text comes back', async () => {
    // No withdrawal at all: an ordinary edit that removes a sentence, then an error.
    const word = 'zqxdeleted12'
    const ctx = setup({'a.md': paper(318, `Opening. The supplier ${word} was named by mistake.`), 'b.md': paper(319, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(318, 'Opening.')})
    expect(OK).toContain((await run(ctx, {state: path.join(ctx.root, 'state-b')})).status)
    expect(canaries(ctx.out, [word])).toEqual([])
    write(ctx, {'a.md': paper(318, `Opening.${BREAK}`)})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('a plain build (all or nothing, `mopac build`) with another state folder publishes the withdrawal, then the paper breaks: the release job does not put the body back', async () => {
    const body = 'zqxbuildtd13'
    const ctx = setup({'a.md': paper(324, `Body ${body} words.`), 'b.md': paper(325, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(324, `Body ${body} words.`, {fm: withdrawnFm})})
    expect(OK).toContain((await run(ctx, {state: path.join(ctx.root, 'state-b'), strict: true})).status)
    expect(canaries(ctx.out, [body])).toEqual([])
    write(ctx, {'a.md': paper(324, `Body ${body} words.${BREAK}`, {fm: withdrawnFm})})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [body])).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// 2. The live site changes under a run (LiveSiteChanged rebuild)
// ---------------------------------------------------------------------------

describe('keep: another run swaps --out under a run', () => {
  it('another state folder publishes after this run staged (before its check): the result equals a cold build and keeps nothing stale later', async () => {
    const body = 'zqxstagedswap8'
    const ctx = setup({'a.md': paper(320, `Body ${body}.`, {fm: withdrawnFm}), 'b.md': paper(321, 'Other text.')})
    const older = path.join(ctx.root, 'older')
    fs.mkdirSync(older)
    fs.writeFileSync(path.join(older, 'a.md'), paper(320, `Body ${body}.`))
    fs.writeFileSync(path.join(older, 'b.md'), paper(321, 'Other text.'))
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'b.md': paper(321, 'Other text, edited.')})
    // The other run is made ready (its site staged and checked) and swapped in once this run has staged.
    const otherOut = path.join(ctx.root, 'older-public')
    const otherState = path.join(ctx.root, 'state-b')
    expect(OK).toContain((await run({...ctx, out: otherOut}, {content: older, state: otherState})).status)
    const r = await run(ctx, {
      at: {
        staged: () => {
          // (Synchronous stand-in for the other run's swap: its site renamed over --out.)
          const aside = path.join(ctx.root, 'aside')
          fs.renameSync(ctx.out, aside)
          fs.renameSync(otherOut, ctx.out)
          fs.rmSync(aside, {recursive: true})
        }
      }
    })
    expect(OK).toContain(r.status)
    expect(canaries(ctx.out, [body])).toEqual([])
    write(ctx, {'b.md': paper(321, 'Other text, edited twice.')})
    expect(OK).toContain((await run(ctx)).status)
    expect(canaries(ctx.out, [body])).toEqual([])
  })

  it('another state folder publishes during the rebuild too (every processAll): the run ends, and nothing stale is published', async () => {
    const body = 'zqxrebuildloop9'
    const ctx = setup({'a.md': paper(322, `Body ${body}.`, {fm: withdrawnFm}), 'b.md': paper(323, 'Other text.')})
    const older = path.join(ctx.root, 'older')
    fs.mkdirSync(older)
    fs.writeFileSync(path.join(older, 'a.md'), paper(322, `Body ${body}.`))
    fs.writeFileSync(path.join(older, 'b.md'), paper(323, 'Other text.'))
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'b.md': paper(323, 'Other text, edited.')})
    let calls = 0
    const r = await run(ctx, {
      hook: async () => {
        if (++calls > 4) return
        write(ctx, {'b.md': paper(323, `Other text, edited ${calls}.`)})
        await run(ctx, {content: older, state: path.join(ctx.root, 'state-b')})
      }
    }).then(
      (x) => x.status as string,
      (e: Error) => e.constructor.name
    )
    expect([...OK, 'OutputError', 'LiveSiteChanged']).toContain(r)
    expect(calls).toBeLessThan(5)
    expect(canaries(ctx.out, [body])).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// 3. The manifest's change times: the window between link and manifest
// ---------------------------------------------------------------------------

describe('keep: a live file edited in place while a run holds it (times set back)', () => {
  for (const stage of ['verified', 'swapping', 'swapped'] as const) {
    it(`edited at '${stage}' (after the check, before the manifest records its change time): the next runs do not keep it`, async () => {
      const word = `zqxwindow${stage}`
      const ctx = setup({'a.md': paper(330, `Opening text.\n\n${withheld(`Supplier ${word} chosen.`)}`), 'b.md': paper(331, 'Other text.')})
      expect(OK).toContain((await run(ctx)).status)
      write(ctx, {'b.md': paper(331, 'Other text, edited.')})
      const page = () => path.join(ctx.out, 'decisions', 'pcd-330', 'index.md')
      const r1 = await run(ctx, {
        at: {
          [stage]: () => {
            // The page is kept: the staged folder holds a hard link to the live file, so an
            // in-place write (times set back) through --out changes the file about to be swapped in.
            rewriteInPlace(page(), sameSize(fs.readFileSync(page(), 'utf8'), word), true)
          }
        }
      })
      expect(OK).toContain(r1.status)
      // The live page now carries the word (the writer's doing). The next ordinary runs, with an
      // edit elsewhere, must make the page again (or refuse), not keep it on the manifest's word.
      write(ctx, {'b.md': paper(331, 'Other text, edited twice.')})
      const r2 = await run(ctx)
      expect(r2.status === 'leak' || canaries(ctx.out, [word]).length === 0).toBe(true)
    })
  }
})

// ---------------------------------------------------------------------------
// 4. Bodies, prune
// ---------------------------------------------------------------------------

describe('cache: damaged bodies with kept pages and held papers', () => {
  it('a body rewritten (same size) with withheld text, its page kept, then the paper breaks and is held: the record stays clean', async () => {
    const word = 'zqxbodyheld10'
    const ctx = setup({'a.md': paper(340, `Opening text long enough.\n\n${withheld(`Supplier ${word} chosen.`)}`), 'b.md': paper(341, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    for (const file of filesUnder(path.join(ctx.state, 'cache'), '.body.json')) {
      const text = fs.readFileSync(file, 'utf8')
      if (text.includes('Opening text long enough')) fs.writeFileSync(file, text.replace('Opening text long enough', `Opening ${word}`.padEnd('Opening text long enough'.length, 'x')))
    }
    write(ctx, {'b.md': paper(341, 'Other text, edited.')})
    expect(OK).toContain((await run(ctx)).status)
    expect(canaries(ctx.out, [word])).toEqual([])
    // Another page that shows a's body must be made (a's tag changes the listing? no: a new paper's neighbours).
    write(ctx, {'c.md': paper(342, 'A new paper.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(340, `Opening text long enough.\n\n${withheld(`Supplier ${word} chosen.`)}${BREAK}`)})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('prune drops the entries of the version live before an edit; a revert to it, killed at each stage, recovers', async () => {
    const word = 'zqxprune11'
    const ctx = setup({'a.md': paper(343, `Body ${word}.`), 'b.md': paper(344, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    write(ctx, {'a.md': paper(343, `Body\n\n${withheld(`${word}.`)}`)})
    expect(OK).toContain((await run(ctx)).status)
    for (const stage of ['verified', 'swapped'] as const) {
      write(ctx, {'a.md': paper(343, `Body ${stage}\n\n${withheld(`${word}.`)}`)})
      await expect(run(ctx, {killAt: stage})).rejects.toThrow(/killed/)
    }
    write(ctx, {'a.md': paper(343, `Body\n\n${withheld(`${word}.`)}${BREAK}`)})
    const r = await run(ctx)
    expect(SAFE).toContain(r.status)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('prune while a reader of the same cache (the preview) holds an entry whose body it has not read yet: the reader gets that version\'s body, not the new one or a crash', async () => {
    const ctx = setup({'a.md': paper(345, 'First version zqxprunefirst.'), 'b.md': paper(346, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    const {PaperCache, cacheKey} = await import('../../src/build/cache.js')
    // As the preview reads it (createProcessor's `holdSources`), and as a build does.
    const preview = new PaperCache(path.join(ctx.state, 'cache'), undefined, {holdSources: true, readOnly: true})
    const building = new PaperCache(path.join(ctx.state, 'cache'))
    const file = path.join(ctx.content, 'a.md')
    const input = {path: file, relativePath: 'a.md', bytes: new Uint8Array(fs.readFileSync(file))}
    const outcome = await preview.get(input, cacheKey(input, preview.pipelineVersion))
    const built = await building.get(input, cacheKey(input, building.pipelineVersion))
    expect(outcome?.public).toBeDefined()
    expect(built?.public).toBeDefined()
    // The release job edits the paper and prunes (the old entry and its body go).
    write(ctx, {'a.md': paper(345, 'Second version zqxprunesecond.')})
    expect(OK).toContain((await run(ctx)).status)
    expect(fs.existsSync(path.join(ctx.state, 'cache'))).toBe(true)
    const markdown = outcome!.public!.markdown
    expect(markdown).toContain('zqxprunefirst')
    expect(markdown).not.toContain('zqxprunesecond')
    // A build holds no paper's bytes: it reads the paper again, finds it
    // changed since, and stops rather than give the new text as the old.
    expect(() => built!.public!.markdown).toThrow(/`a\.md` changed or was removed while this run was using it/)
  })
})

// ---------------------------------------------------------------------------
// 5. Crashes from damaged state in the new paths
// ---------------------------------------------------------------------------

describe('damaged state: recover or stop clearly, never a TypeError', () => {
  async function afterDamage(damage: (ctx: Ctx) => void, strict = false) {
    const ctx = setup({'a.md': paper(350, 'Opening zqxcrash text.'), 'b.md': paper(351, 'Other text.')})
    expect(OK).toContain((await run(ctx)).status)
    damage(ctx)
    write(ctx, {'a.md': paper(350, `Opening\n\n${withheld('zqxcrash text.')}${BREAK}`)})
    const r = await run(ctx, {strict}).then(
      (x) => x.status as string,
      (e: Error) => `${e.constructor.name}: ${e.message}`
    )
    return {ctx, r}
  }
  const index = (ctx: Ctx, name = 'index.json') => path.join(ctx.state, 'published', name)
  const editJson = (file: string, change: (x: any) => void) => {
    const x = JSON.parse(fs.readFileSync(file, 'utf8'))
    change(x)
    fs.writeFileSync(file, JSON.stringify(x))
  }

  // (The paper's new version withholds what its live version said, and has
  // an error: it is held with its live version, which the leak check now
  // refuses, so the release stops and the site stays as it was, the word
  // still public there as it was. The damaged entry is another paper's.)
  it('published/index.json with a null entry', async () => {
    const {ctx, r} = await afterDamage((ctx) => editJson(index(ctx), (x) => (x.papers['pcd-351'] = null)))
    expect(r).toBe('leak')
    expect(fs.readFileSync(path.join(ctx.out, 'decisions', 'pcd-351', 'index.html'), 'utf8')).toContain('Other text.')
  })

  it('published/index.json with an entry whose name is not a string', async () => {
    const {ctx, r} = await afterDamage((ctx) => editJson(index(ctx), (x) => (x.papers['pcd-350'].name = {x: 1})))
    expect(SAFE).toContain(r)
    expect(canaries(ctx.out, ['zqxcrash'])).toEqual([])
  })

  it('published/index.next.json naming the live build with a null entry (a run killed after its swap, file damaged)', async () => {
    const {ctx, r} = await afterDamage((ctx) => {
      const text = fs.readFileSync(index(ctx), 'utf8')
      const x = JSON.parse(text)
      x.papers['pcd-351'] = null
      fs.writeFileSync(index(ctx, 'index.next.json'), JSON.stringify(x))
    })
    expect(r).toBe('leak')
    expect(fs.readFileSync(path.join(ctx.out, 'decisions', 'pcd-351', 'index.html'), 'utf8')).toContain('Other text.')
  })

  it('published/index.json whose papers is an array of nulls', async () => {
    const {r} = await afterDamage((ctx) => fs.writeFileSync(index(ctx), JSON.stringify({papers: [null, null]})))
    expect(SAFE).toContain(r)
  })

  it('verify memory.json whose readings map holds nulls', async () => {
    const {r} = await afterDamage((ctx) => {
      const file = path.join(ctx.state, 'verify', 'memory.json')
      const x = JSON.parse(fs.readFileSync(file, 'utf8'))
      if (Array.isArray(x.readings)) x.readings = x.readings.map(() => null)
      else if (x.readings && typeof x.readings === 'object') for (const k of Object.keys(x.readings)) x.readings[k] = null
      else x.readings = null
      fs.writeFileSync(file, JSON.stringify(x))
    })
    expect(SAFE).toContain(r)
  })

  it('a cache entry whose outcome.public is a string (digest field intact)', async () => {
    const {r} = await afterDamage((ctx) => {
      for (const file of filesUnder(path.join(ctx.state, 'cache'), '.json')) {
        if (file.endsWith('.body.json')) continue
        editJson(file, (x) => {
          if (x.outcome?.public) x.outcome.public.assets = null
        })
      }
    })
    expect(SAFE).toContain(r)
  })

  it('site-manifest.json whose file entry has a non-numeric ino string', async () => {
    const {r} = await afterDamage((ctx) =>
      editJson(path.join(ctx.state, 'site-manifest.json'), (x) => {
        for (const k of Object.keys(x.files)) x.files[k][2] = '../../etc'
      })
    )
    expect(SAFE).toContain(r)
  })
})

/**
 * Red team, ninth session: the memory made anew (`fresh`, `--no-cache`:
 * db0042e), the search done again in full after one with the memory found
 * something (and `keep`, and a folder where a reading's file goes: 5715b6f),
 * and the salted filters of words (f18bbb5). Each test asserts the SAFE
 * behaviour (or the behaviour the README promises).
 *
 * No leak found (every verdict, fresh or with the memory, was the full
 * search's). Found, and mended after: a refused fresh (`--no-cache`) search
 * removed the reading files the old memory still names (forgetReadings with
 * keep = {}), so every later edit searched in full; `--no-cache` crashed
 * (exit 70) on a memory folder with a folder at memory.json /
 * filters.pack(.new) or a file at papers, where before it ignored the
 * memory; and (older, state folder trust) a `papers` link had the listing
 * removal delete files outside. Now a fresh search that finds something
 * keeps the readings a memory this code can use names, and every search
 * with a memory first removes a folder where the memory keeps a file and
 * anything but a folder at `papers` (repairFolder, src/verify/incremental.ts).
 */
import {existsSync} from 'node:fs'
import {mkdir, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {verify} from '../../src/verify/index.js'
import {FilterBuilder, mayHoldAny, openFilter, runItems, sealFilter} from '../../src/verify/filter.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const paper = (id: number, body: string, extra = '') =>
  `---\nid: PCD ${id}\ntitle: Paper ${id}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${id}.\n${extra}---\n\n${body}\n`
const withheld = (s: string) => `\n\n:::official-sensitive{exemptions="s43"}\n${s}\n:::\n`
const COMMON = 'alpha bravo charlie delta echo foxtrot golf hotel india'
const SECRET = 'The Trelloquin Motors bid was the lowest of all received.'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

async function setUp(extra: Record<string, string | Buffer> = {}): Promise<{f: Fixture; memory: string}> {
  const all: Record<string, string | Buffer> = {...extra}
  for (let i = 0; i < 3; i++) {
    all[`content/p${i}.md`] ??= paper(900 + i, `Paper ${i} opens. ${COMMON}.`)
    all[`public/p${i}.html`] ??= `<p>Paper ${i} opens. ${COMMON}.</p>`
  }
  all['content/s.md'] ??= paper(950, `Fleet renewal.${withheld(SECRET)}`)
  all['public/s.html'] ??= '<p>Fleet renewal.</p>'
  fx = await makeFixture(all)
  const memory = path.join(fx.root, 'state', 'verify')
  const first = await verify({content: fx.content, out: fx.out, now: NOW, memory})
  expect(first.hits).toEqual([])
  return {f: fx, memory}
}
const full = async (f: Fixture) => (await verify({content: f.content, out: f.out, now: NOW})).hits

/** The reading files memory.json names, that are not in papers/. */
async function missingReadings(memory: string): Promise<string[]> {
  const data = JSON.parse(await readFile(path.join(memory, 'memory.json'), 'utf8')) as {readings: Record<string, unknown>}
  const missing: string[] = []
  for (const id of Object.keys(data.readings)) {
    const [key, side] = id.split(':')
    for (const name of [`${key}.${side}.json`, `${key}.${side}.public.json`]) if (!existsSync(path.join(memory, 'papers', name))) missing.push(name)
  }
  return missing
}

// ---------------------------------------------------------------------------
// 1. Random sequences: memory runs, fresh runs (`--no-cache`), refused runs,
//    edits that withhold, publish and leak. Each verdict is the full search's.

describe('random sequences of memory, fresh and refused runs', () => {
  it('every verdict with the memory (fresh or not) is the full search\'s, at every step', async () => {
    const ops = fc.constantFrom(
      'withhold-new', // a paper withholds a new sentence
      'publish-secret', // s.md says its secret openly
      'withhold-again', // s.md withholds it again
      'leak-page', // a page quotes the secret
      'fix-page', // the page is removed
      'leak-old', // a page quotes a secret a paper withheld at the start
      'edit-public', // a paper's public text changes
      'drop-paper', // a paper is removed
    )
    const mode = fc.constantFrom<'memory' | 'fresh'>('memory', 'fresh')
    let seq = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(ops, mode, fc.nat(2)), {minLength: 2, maxLength: 6}), async (steps) => {
        const {f, memory} = await setUp()
        try {
          let made = 0
          for (const [op, m, k] of steps) {
            const word = `Quorvantik${seq++}x`
            switch (op) {
              case 'withhold-new':
                await writeFile(path.join(f.content, `p${k}.md`), paper(900 + k, `Paper ${k} opens. ${COMMON}.${withheld(`The ${word} tender was scored highest by the panel.`)}`))
                made++
                break
              case 'publish-secret':
                await writeFile(path.join(f.content, 's.md'), paper(950, `Fleet renewal. ${SECRET}`))
                await writeFile(path.join(f.out, 's.html'), `<p>Fleet renewal. ${SECRET}</p>`)
                break
              case 'withhold-again':
                await writeFile(path.join(f.content, 's.md'), paper(950, `Fleet renewal.${withheld(SECRET)}`))
                await writeFile(path.join(f.out, 's.html'), '<p>Fleet renewal.</p>')
                break
              case 'leak-page':
                await writeFile(path.join(f.out, `leak${k}.html`), `<p>${SECRET}</p>`)
                break
              case 'fix-page':
                await rm(path.join(f.out, `leak${k}.html`), {force: true})
                break
              case 'leak-old':
                await writeFile(path.join(f.out, `q${k}.html`), `<p>Quoted: ${COMMON} Trelloquin.</p>`)
                break
              case 'edit-public':
                await writeFile(path.join(f.content, `p${k}.md`), paper(900 + k, `Paper ${k} opens anew ${word}. ${COMMON}.`))
                await writeFile(path.join(f.out, `p${k}.html`), `<p>Paper ${k} opens anew ${word}. ${COMMON}.</p>`)
                break
              case 'drop-paper':
                await rm(path.join(f.content, `p${k}.md`), {force: true})
                await rm(path.join(f.out, `p${k}.html`), {force: true})
                break
            }
            const expected = await full(f)
            const got = await verify({content: f.content, out: f.out, now: NOW, memory, fresh: m === 'fresh'})
            expect(got.hits).toEqual(expected)
            // The run after it, with whatever memory it left, also agrees.
            const after = await verify({content: f.content, out: f.out, now: NOW, memory})
            expect(after.hits).toEqual(expected)
          }
          void made
        } finally {
          await f.cleanup()
          fx = undefined
        }
      }),
      {numRuns: 12, seed: 9009},
    )
  }, 60_000)
})

// ---------------------------------------------------------------------------
// 2. Refused runs and the readings the memory names.

describe('refused runs leave the memory whole', () => {
  it('a refused search done again in full (memory used, then fresh) leaves every reading the memory names, and no other', async () => {
    const {f, memory} = await setUp()
    await writeFile(path.join(f.content, 'p1.md'), paper(901, `Paper 1 opens anew. ${COMMON}.`))
    await writeFile(path.join(f.out, 'leak.html'), `<p>${SECRET}</p>`)
    const r = await verify({content: f.content, out: f.out, now: NOW, memory})
    expect(r.hits.length).toBeGreaterThan(0)
    expect(await missingReadings(memory)).toEqual([])
    expect((await readdir(path.join(memory, 'papers'))).length).toBe(8)
  })

  it('a refused --no-cache (fresh) search does not remove the readings the old memory still names', async () => {
    const {f, memory} = await setUp()
    await writeFile(path.join(f.out, 'leak.html'), `<p>${SECRET}</p>`)
    const r = await verify({content: f.content, out: f.out, now: NOW, memory, fresh: true})
    expect(r.hits.length).toBeGreaterThan(0)
    // The old memory stays (memory.json is not replaced): its readings should still be there.
    expect(await missingReadings(memory)).toEqual([])
  })

  it('after a refused --no-cache, the leak fixed and a paper edited, the next build searches the changed paper alone (not in full)', async () => {
    const {f, memory} = await setUp()
    await writeFile(path.join(f.out, 'leak.html'), `<p>${SECRET}</p>`)
    expect((await verify({content: f.content, out: f.out, now: NOW, memory, fresh: true})).hits.length).toBeGreaterThan(0)
    await rm(path.join(f.out, 'leak.html'))
    expect((await verify({content: f.content, out: f.out, now: NOW, memory})).hits).toEqual([])
    await writeFile(path.join(f.content, 'p1.md'), paper(901, `Paper 1 opens anew. ${COMMON}.`))
    await writeFile(path.join(f.out, 'p1.html'), `<p>Paper 1 opens anew. ${COMMON}.</p>`)
    const next = await verify({content: f.content, out: f.out, now: NOW, memory})
    expect(next.hits).toEqual(await full(f))
    // Verdict is right; but the memory was damaged by the refused run: every later edit searches in full.
    expect(next.readAll).toBe(false)
  })

  it('after a refused --no-cache, later builds still catch a new leak (verdict only)', async () => {
    const {f, memory} = await setUp()
    await writeFile(path.join(f.out, 'leak.html'), `<p>${SECRET}</p>`)
    expect((await verify({content: f.content, out: f.out, now: NOW, memory, fresh: true})).hits.length).toBeGreaterThan(0)
    await rm(path.join(f.out, 'leak.html'))
    expect((await verify({content: f.content, out: f.out, now: NOW, memory})).hits).toEqual([])
    await writeFile(path.join(f.content, 'p2.md'), paper(902, `Paper 2 opens. ${COMMON}.${withheld('The Plaxivorn depot lease ends early next spring.')}`))
    await writeFile(path.join(f.out, 'p0.html'), `<p>Paper 0 opens. ${COMMON}. Plaxivorn</p>`)
    const mem = await verify({content: f.content, out: f.out, now: NOW, memory})
    const expected = await full(f)
    expect(expected.length).toBeGreaterThan(0)
    expect(mem.hits).toEqual(expected)
  })

  it('a search done again in full that finds nothing leaves a memory that still catches the next leak of an old secret in a remembered page', async () => {
    const {f, memory} = await setUp()
    // s.md stops withholding its secret (says nothing of it); a page quotes it: memory run hits, fresh finds nothing.
    await writeFile(path.join(f.content, 's.md'), paper(950, 'Fleet renewal. The lowest bid won.'))
    await writeFile(path.join(f.out, 'c.html'), `<p>${SECRET}</p>`)
    expect((await verify({content: f.content, out: f.out, now: NOW, memory})).hits).toEqual([])
    // Withheld again: the page found clean (remembered) now leaks.
    await writeFile(path.join(f.content, 's.md'), paper(950, `Fleet renewal. The lowest bid won.${withheld(SECRET)}`))
    const mem = await verify({content: f.content, out: f.out, now: NOW, memory})
    const expected = await full(f)
    expect(expected.map((h) => h.outputFile)).toContain('c.html')
    expect(mem.hits).toEqual(expected)
  })
})

// ---------------------------------------------------------------------------
// 3. Folders and links where the memory keeps files.

describe('a folder or link where a reading goes', () => {
  it('a folder at a reading\'s file holding a link to a file outside: the folder goes, the outside file stays', async () => {
    const {f, memory} = await setUp()
    const outside = path.join(f.root, 'outside')
    await mkdir(outside)
    await writeFile(path.join(outside, 'keep.txt'), 'precious')
    // The reading of a paper about to be written for the first time.
    await writeFile(path.join(f.content, 'p1.md'), paper(901, `Paper 1 opens anew. ${COMMON}.`))
    // Find its id by a fresh run in another memory.
    const other = path.join(f.root, 'state', 'other')
    await verify({content: f.content, out: f.out, now: NOW, memory: other})
    const names = new Set(await readdir(path.join(memory, 'papers')))
    const fresh = (await readdir(path.join(other, 'papers'))).filter((n) => !names.has(n))
    expect(fresh.length).toBe(2)
    for (const name of fresh) {
      await mkdir(path.join(memory, 'papers', name, 'sub'), {recursive: true})
      await symlink(outside, path.join(memory, 'papers', name, 'link'))
      await symlink(path.join(outside, 'keep.txt'), path.join(memory, 'papers', name, 'sub', 'file'))
    }
    const r = await verify({content: f.content, out: f.out, now: NOW, memory, fresh: true})
    expect(r.hits).toEqual([])
    expect(await readFile(path.join(outside, 'keep.txt'), 'utf8')).toBe('precious')
    expect(await missingReadings(memory)).toEqual([])
  })

  it('papers/ a link to a folder outside the memory: a fresh run deletes no file there (PRE-EXISTING listing removal in forgetReadings, now also reached by --no-cache; needs write access to the state folder)', async () => {
    fx = await makeFixture({'content/a.md': paper(960, `Text.${withheld(SECRET)}`), 'public/a.html': '<p>Text.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    const victim = path.join(fx.root, 'victim')
    await mkdir(victim)
    await writeFile(path.join(victim, 'notes.txt'), 'precious')
    await mkdir(memory, {recursive: true})
    await symlink(victim, path.join(memory, 'papers'))
    const r = await verify({content: fx.content, out: fx.out, now: NOW, memory, fresh: true})
    expect(r.hits).toEqual([])
    expect(existsSync(path.join(victim, 'notes.txt'))).toBe(true)
  })

  it('papers/ a link to a folder outside: the new rmSync of a folder at a reading\'s name cannot reach a folder of any other name there', async () => {
    fx = await makeFixture({'content/a.md': paper(960, `Text.${withheld(SECRET)}`), 'public/a.html': '<p>Text.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    const victim = path.join(fx.root, 'victim')
    await mkdir(path.join(victim, 'important', 'inner'), {recursive: true})
    await writeFile(path.join(victim, 'important', 'inner', 'data.txt'), 'precious')
    await mkdir(memory, {recursive: true})
    await symlink(victim, path.join(memory, 'papers'))
    // (The listing removal, rm without recursion, refuses the folder: the run may throw.)
    await verify({content: fx.content, out: fx.out, now: NOW, memory, fresh: true}).catch(() => undefined)
    expect(await readFile(path.join(victim, 'important', 'inner', 'data.txt'), 'utf8')).toBe('precious')
  })
})

// ---------------------------------------------------------------------------
// 4. A damaged memory folder and --no-cache (which used to ignore the memory).

describe('--no-cache with a damaged memory folder', () => {
  for (const name of ['memory.json', 'filters.pack', 'filters.pack.new', 'papers']) {
    it(`a folder (or file) at ${name}, site clean: a fresh search passes and makes the memory anew (it used not to touch the memory)`, async () => {
      const {f, memory} = await setUp()
      await rm(path.join(memory, name), {force: true, recursive: true})
      if (name === 'papers') await writeFile(path.join(memory, name), 'not a folder')
      else await mkdir(path.join(memory, name, 'x'), {recursive: true})
      expect(await full(f)).toEqual([])
      let hits: unknown
      try {
        hits = (await verify({content: f.content, out: f.out, now: NOW, memory, fresh: true})).hits
      } catch (error) {
        hits = `threw: ${(error as Error).message}`
      }
      expect(hits).toEqual([])
    })
  }

  it('through the command line: build --no-cache with a folder at <state>/verify/memory.json exits 0', async () => {
    const {runMopac} = await import('../helpers/cli.js')
    fx = await makeFixture({'content/a.md': paper(970, `Fleet renewal.${withheld(SECRET)}`)})
    const state = path.join(fx.root, 'state')
    const site = path.join(fx.root, 'site')
    const args = ['build', '--content', fx.content, '--out', site, '--state', state, '--now', NOW.toISOString()]
    expect((await runMopac(args, {now: NOW})).code).toBe(0)
    await rm(path.join(state, 'verify', 'memory.json'))
    await mkdir(path.join(state, 'verify', 'memory.json', 'x'), {recursive: true})
    const r = await runMopac([...args, '--no-cache'], {now: NOW})
    expect({code: r.code, err: r.stderr.slice(0, 400)}).toEqual({code: 0, err: ''})
  })
})

// ---------------------------------------------------------------------------
// 5. The salted filters: never "no" to what a text holds.

describe('salted filters of words', () => {
  const tok = fc.oneof(
    fc.constantFrom('a', 'b', 'zz', 'price_band', '_x_', 'Ωmega', '東京', 'x'.repeat(40)),
    fc.string({minLength: 1, maxLength: 6}).filter((s) => !/\s/.test(s)),
  )
  it('a filter (sealed, opened) says maybe to every run of words of its text, whatever its salt', () => {
    fc.assert(
      fc.property(fc.array(fc.array(tok, {minLength: 0, maxLength: 12}), {minLength: 0, maxLength: 5}), fc.nat(), fc.nat(), (streams, a, b) => {
        const builder = new FilterBuilder()
        // Another text first: the builder is reused, as the output scan reuses it.
        builder.streams([['warm', 'up', 'text']]).finish()
        const filter = builder.streams(streams).finish()
        const opened = openFilter('n', sealFilter('n', filter))
        expect(opened).toBeDefined()
        const all = streams.flat()
        if (all.length === 0) return
        const s = streams.find((x) => x.length > 0)!
        const i = a % s.length
        const j = Math.min(s.length, i + 1 + (b % 4))
        expect(mayHoldAny(opened!, [runItems(s.slice(i, j))])).toBe(true)
        // A byte view at an odd offset (as a pack's records are).
        const buf = new Uint8Array(opened!.length + 3)
        buf.set(opened!, 3)
        expect(mayHoldAny(buf.subarray(3), [runItems(s.slice(i, j))])).toBe(true)
      }),
      {numRuns: 2000, seed: 99},
    )
  })
})

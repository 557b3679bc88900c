/**
 * Red team (second round on the spare / verify) against the three newest
 * commits only:
 *  - da847a1 (verify): the live index shares the index's pieces and vocabulary;
 *  - da847a1 (spare): a kept file's record is the stat of the prune's one lstat;
 *  - ff87088 (verify memory): a search of the changed papers alone removes only
 *    the readings the memory held before and not now, without listing the folder.
 * Every test asserts the safe behaviour: a failing test is a hole.
 *
 * The verify attacks compare with verify as it was at a12ffd2 (before both
 * commits), extracted from git into a temporary folder.
 *
 * Results at ff87088: holes F5 (introduced by ff87088: a reading written by a
 * run the leak check refused is removed only by a run that lists the folder),
 * SP2 and SP3 (both present at a12ffd2 already: the manifest is written after
 * the retirement, and a folder's times are read after an entry added since
 * its listing). SP1 and SP6 fail at a12ffd2 and hold now (the second lstat
 * recorded a file changed or replaced after the prune read it).
 *
 * Fixed since: F5 (a refused run removes the readings it made that the
 * memory does not name) and SP3 (a folder is lent only when its entries,
 * read when it is lent, are exactly the files and folders the build keeps
 * there). SP2 is kept as `it.fails`, a known limitation older than these
 * commits: the site manifest reads the live files' times after the swap, so
 * a live file rewritten in place, its times set back, between the swap and
 * the manifest is recorded as written; the leak check reads every file of
 * every stage, so nothing withheld is published by it, but the next site can
 * differ from a cold build's. It needs someone writing into the live site
 * during the run.
 *
 * The verify attacks compare with verify as it was at a12ffd2 when the
 * clone has that commit (a shallow clone does not: then only their own
 * assertions hold them).
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {brotliCompressSync, gzipSync} from 'node:zlib'
import fc from 'fast-check'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {verify, type VerifyHit, type VerifyOptions, type VerifyResult} from '../../src/verify/index.js'
import {coldSite, OK, paper, rewriteInPlace, runRelease, sameSize, setup, T0, T1, withheld, write, type Ctx, patchFs} from './keep-helpers.js'
import {snapshot} from '../helpers/cli.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {spareExtras} from '../helpers/spare.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const require = createRequire(import.meta.url)
const nodeFs = require('node:fs') as typeof fs
const REPO = path.resolve(__dirname, '..', '..')
const NOW = new Date('2026-06-01T12:00:00Z')
const LATER = new Date('2026-12-02T12:00:00Z')

// ---------------------------------------------------------------------------
// verify as it was before da847a1 / ff87088

let oldDir: string | undefined
let oldVerify: ((o: VerifyOptions) => Promise<VerifyResult>) | undefined
beforeAll(async () => {
  let names: string[]
  try {
    names = execFileSync('git', ['-C', REPO, 'ls-tree', '--name-only', 'a12ffd2', 'src/verify/'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim().split('\n')
  } catch {
    return
  }
  oldDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt2-old-verify-'))
  const verifyDir = path.join(oldDir, 'src', 'verify')
  fs.mkdirSync(verifyDir, {recursive: true})
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(oldDir, 'node_modules'))
  for (const name of names) fs.writeFileSync(path.join(oldDir, name), execFileSync('git', ['-C', REPO, 'show', `a12ffd2:${name}`], {maxBuffer: 64 << 20}))
  oldVerify = ((await import(/* @vite-ignore */ path.join(verifyDir, 'index.ts'))) as {verify: typeof verify}).verify
})
afterAll(() => {
  if (oldDir) fs.rmSync(oldDir, {recursive: true, force: true})
})

const key = (h: VerifyHit): string => `${h.outputFile} ${h.sourceFile}:${h.line}:${h.column} ${h.kind} ${h.match}`

/** verify now and before, no memory: the same hits, every one. */
async function sameAsBefore(f: Fixture, now = NOW): Promise<VerifyHit[]> {
  const a = await verify({content: f.content, out: f.out, now})
  if (oldVerify) {
    const b = await oldVerify({content: f.content, out: f.out, now})
    expect(a.hits.map(key)).toEqual(b.hits.map(key))
    expect(a.filesScanned).toBe(b.filesScanned)
  }
  // Without the commit to compare with, at least the full search with a
  // memory finds the same (the memory's first run reads everything).
  else expect((await verify({content: f.content, out: f.out, now, memory: path.join(f.root, 'state', `verify-${Math.random().toString(36).slice(2)}`)})).hits.map(key)).toEqual(a.hits.map(key))
  return a.hits
}

const fm = (id: number, title: string, extra = ''): string =>
  `---\nid: PCD ${id}\ntitle: ${title}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary of decision ${id}.\n${extra}---\n\n`
const block = (text: string): string => `:::official-sensitive{exemptions="s43"}\n${text}\n:::\n`

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

describe('da847a1 verify: the live index shares the index pieces and vocabulary', () => {
  /**
   * A corpus where most of the vocabulary is of excluded entries only (public
   * words that a withheld block repeats), so the shared vocabulary gives ids
   * to words the old live vocabulary did not have.
   */
  const corpus = (): Record<string, string> => ({
    'content/a.md': fm(901, 'Estates disposal') + 'The freehold of the Harrow depot will be sold to the highest bidder at auction.\n\n' + block('The freehold of the Harrow depot will be sold to Zanthoria Holdings for four million pounds.') + '\nThe contract lead is :official-sensitive[Brathwick Quell]{exemptions="s40"}.\n',
    'content/b.md': fm(902, 'Fleet renewal') + 'Fleet renewal by tender.\n\n' + block('Canary_ab12cd suppliers Mextroven and Pellucane submitted bids.') + '<!-- internal note: Orvantis was told first -->\n',
    'content/c.md': fm(903, 'Custody estate', 'deferral:\n  until: 2026-12-01\n  reason: Glimmoran negotiations\n') + 'The Quorvald custody site will close in the spring of next year, staff to move.\n',
    'content/d.md': fm(904, 'Reclassified', '').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE') + 'Ferrowind programme cost overrun of twelve per cent.\n'
  })

  it('V1 HTML, attributes, JSON escapes, entities, file and folder names: the same hits as before, and every leak found', async () => {
    fx = await makeFixture({
      ...corpus(),
      'public/index.html': '<p>Decisions</p>',
      'public/a.html': '<p>The freehold of the Harrow depot will be sold to the highest bidder at auction.</p>',
      'public/leak1.html': '<p>The freehold of the Harrow depot <b>will be sold</b> to Zanthoria Holdings for four million pounds.</p>',
      'public/leak2.html': '<img alt="contract lead Brathwick Quell" src="x.png">',
      'public/leak3.json': JSON.stringify({t: 'Suppliers \u004dextroven and Pellucane', n: 'Orvantis was told first'}),
      'public/leak4.html': '<p>The Quorvald custody site will close in the spring of next year</p>',
      'public/leak5.html': '<p>Z&#97;nthoria &amp; Ferrowind</p>',
      'public/zanthoria-bid/index.html': '<p>ok</p>',
      'public/files/canary_ab12cd.pdf': '%PDF-1.4 nothing',
      'public/custody-estate.html': '<p>ok</p>',
      'public/glimmoran%20talks.txt': 'ok'
    })
    const hits = await sameAsBefore(fx)
    const files = new Set(hits.map((h) => h.outputFile))
    for (const f of ['leak1.html', 'leak2.html', 'leak3.json', 'leak4.html', 'leak5.html', 'zanthoria-bid/', 'files/canary_ab12cd.pdf', 'glimmoran%20talks.txt']) expect(files).toContain(f)
    expect(files).not.toContain('a.html')
    expect(files).not.toContain('index.html')
  })

  it('V2 tokens joined by `_`: a withheld word as a part is found, a part that is only an excluded (public) word is not, as before', async () => {
    fx = await makeFixture({
      ...corpus(),
      'public/index.html': '<p>Decisions</p>',
      'public/u1.html': '<p>harrow_zanthoria_depot</p>',
      'public/u2.html': '<p>harrow_depot_freehold_auction</p>',
      'public/u3.html': '<a href="/files/__pellucane__.csv">x</a>',
      'public/u4.html': '<p>MEXTROVEN_bid_2026</p>',
      'public/u5.html': '<p>x_canary_ab12cd_y</p>',
      'public/harrow_orvantis.txt': 'ok'
    })
    const hits = await sameAsBefore(fx)
    const files = new Set(hits.map((h) => h.outputFile))
    for (const f of ['u1.html', 'u3.html', 'u4.html', 'harrow_orvantis.txt']) expect(files).toContain(f)
    expect(files).not.toContain('u2.html')
  })

  it('V3 gzip, brotli (.br), latin1 and odd Unicode (fullwidth, ligatures, combining marks, NBSP, soft hyphen, dotted I): the same hits as before', async () => {
    const leak = '<p>The freehold of the Harrow depot will be sold to Zanthoria Holdings for four million pounds.</p>'
    fx = await makeFixture({
      ...corpus(),
      'public/index.html': '<p>Decisions</p>',
      'public/g.pf_fragment': gzipSync(Buffer.from(leak)),
      'public/b.html.br': brotliCompressSync(Buffer.from(leak)),
      'public/l1.txt': Buffer.from('Suppliers Mextroven and Pellucane caf\xe9', 'latin1'),
      'public/w1.html': '<p>ＺＡＮＴＨＯＲＩＡ</p>',
      'public/w2.html': '<p>Ferrowind\u00ad programme</p>',
      'public/w3.html': '<p>Pellucane\u0301 and Me\u200bxtroven</p>',
      'public/w4.html': '<p>BRATHWİCK QUELL</p>',
      'public/w5.html': '<p>Brathwick\u00a0Quell</p>',
      'public/w6.html': '<p>Orvantis was told ﬁrst 𝐎𝐫𝐯𝐚𝐧𝐭𝐢𝐬</p>',
      'public/w7.html': '<p>Quorvald\u0000custody\u2028site</p>'
    })
    const hits = await sameAsBefore(fx)
    const files = new Set(hits.map((h) => h.outputFile))
    for (const f of ['g.pf_fragment', 'b.html.br', 'l1.txt', 'w1.html', 'w5.html']) expect(files).toContain(f)
  })

  it('V4 random papers and random output (words of withheld, public and excluded text, joined by spaces, `_`, markup, case): the same hits as before', async () => {
    const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'harrow', 'depot', 'freehold', 'will', 'be', 'sold', 'the', 'of', 'glimmoran', 'pab12cd', 'canary_zz99xx']
    const word = fc.constantFrom(...WORDS)
    const phrase = fc.array(word, {minLength: 1, maxLength: 12}).map((w) => w.join(' '))
    const sep = fc.constantFrom(' ', '_', '<b>', '</b> ', '&nbsp;', '-', '\u00ad', '. ')
    const out = fc.array(fc.tuple(word, sep, fc.boolean()), {minLength: 1, maxLength: 30}).map((ws) => ws.map(([w, s, up]) => (up ? w.toUpperCase() : w) + s).join(''))
    const paperArb = fc.record({open: fc.array(phrase, {maxLength: 3}), secret: fc.array(phrase, {maxLength: 3}), deferred: fc.boolean()})
    let total = 0
    await fc.assert(
      fc.asyncProperty(fc.array(paperArb, {minLength: 1, maxLength: 3}), fc.array(out, {minLength: 1, maxLength: 4}), async (papers, outs) => {
        await fx?.cleanup()
        fx = await makeFixture({'public/index.html': '<p>Decisions</p>'})
        for (const [i, p] of papers.entries()) await fx.write(`content/p${i}.md`, fm(700 + i, `Paper ${i}`, p.deferred ? 'deferral:\n  until: 2026-12-01\n' : '') + p.open.map((t) => `${t}\n\n`).join('') + p.secret.map(block).join('\n') + '\nEnd.\n')
        for (const [i, o] of outs.entries()) await fx.write(`public/o${i}.html`, `<p>${o}</p>`)
        total += (await sameAsBefore(fx)).length
      }),
      {numRuns: 25}
    )
    expect(total).toBeGreaterThan(0)
  }, 30_000)
})

// ---------------------------------------------------------------------------
// ff87088 (and da847a1's freshIndex over the shared vocabulary): the memory

const papersDir = (memory: string): string => path.join(memory, 'papers')
const listPapers = (memory: string): string[] => (fs.existsSync(papersDir(memory)) ? fs.readdirSync(papersDir(memory)).sort() : [])
/** The files memory.json's readings name (both of each). */
function referenced(memory: string): string[] {
  const m = JSON.parse(fs.readFileSync(path.join(memory, 'memory.json'), 'utf8')) as {readings: Record<string, unknown>}
  return Object.keys(m.readings).flatMap((id) => {
    const [k, side] = id.split(':')
    return [`${k}.${side}.json`, `${k}.${side}.public.json`]
  }).sort()
}

describe('ff87088 verify memory: the fast path forgets only what it held before', () => {
  const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'cellunor', 'dravonet', 'ferrowind', 'glimmoran', 'hastuvel', 'jorrabine']
  const word = fc.constantFrom(...WORDS)
  const phrase = fc.array(word, {minLength: 1, maxLength: 9}).map((w) => w.join(' '))
  interface P {open: string[]; secret: string[]; deferred: boolean}
  const src = (i: number, p: P): string => fm(750 + i, `Paper ${i}`, p.deferred ? 'deferral:\n  until: 2026-12-01\n' : '') + p.open.map((t) => `${t}\n\n`).join('') + p.secret.map(block).join('\n') + '\nEnd of the paper.\n'
  type Step = {k: 'append'; slot: number; text: string} | {k: 'secret'; slot: number; text: string} | {k: 'new'; slot: number; p: P} | {k: 'page'; slot: number; of: number; leak: boolean; enc: 'html' | 'gz' | 'br' | 'under'} | {k: 'time'} | {k: 'move'; slot: number} | {k: 'cut'; slot: number}
  const pArb: fc.Arbitrary<P> = fc.record({open: fc.array(phrase, {maxLength: 2}), secret: fc.array(phrase, {maxLength: 2}), deferred: fc.boolean()})
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    {arbitrary: fc.record({k: fc.constant('append' as const), slot: fc.nat(2), text: phrase}), weight: 4},
    {arbitrary: fc.record({k: fc.constant('secret' as const), slot: fc.nat(2), text: phrase}), weight: 2},
    {arbitrary: fc.record({k: fc.constant('new' as const), slot: fc.nat(3), p: pArb}), weight: 1},
    {arbitrary: fc.record({k: fc.constant('page' as const), slot: fc.nat(3), of: fc.nat(3), leak: fc.boolean(), enc: fc.constantFrom('html' as const, 'gz' as const, 'br' as const, 'under' as const)}), weight: 3},
    {arbitrary: fc.constant({k: 'time' as const}), weight: 1},
    {arbitrary: fc.record({k: fc.constant('move' as const), slot: fc.nat(3)}), weight: 1},
    {arbitrary: fc.record({k: fc.constant('cut' as const), slot: fc.nat(3)}), weight: 1}
  )

  it('V5/F1 random changes, mostly additions (the fast path): memory verdict = full verdict, hit for hit; every reading the memory names is on disk; nothing else is left by clean runs', async () => {
    const seen = {fast: 0, hits: 0}
    await fc.assert(
      fc.asyncProperty(fc.array(pArb, {minLength: 1, maxLength: 3}), fc.array(stepArb, {minLength: 2, maxLength: 9}), async (start, steps) => {
        await fx?.cleanup()
        fx = await makeFixture({'public/index.html': '<p>Decisions</p>'})
        const f = fx
        const memory = path.join(f.root, 'state', 'verify')
        const cur = new Map<number, {p: P; name: string}>()
        const put = async (slot: number, p: P, name = cur.get(slot)?.name ?? `p${slot}.md`) => {
          cur.set(slot, {p, name})
          await f.write(`content/${name}`, src(slot, p))
        }
        for (const [i, p] of start.entries()) await put(i, p)
        let now = NOW
        let leakRuns = 0
        for (const s of [{k: 'time' as const}, ...steps]) {
          if (s.k === 'time') now = now === NOW ? LATER : NOW
          if ((s.k === 'append' || s.k === 'secret') && cur.has(s.slot)) {
            const c = cur.get(s.slot)!
            await put(s.slot, s.k === 'append' ? {...c.p, open: [...c.p.open, s.text]} : {...c.p, secret: [...c.p.secret, s.text]})
          }
          if (s.k === 'new') await put(s.slot, s.p)
          if (s.k === 'move' && cur.has(s.slot)) {
            const c = cur.get(s.slot)!
            fs.renameSync(path.join(f.content, c.name), path.join(f.content, `moved-${c.name}`))
            cur.set(s.slot, {...c, name: `moved-${c.name}`})
          }
          if (s.k === 'cut' && cur.has(s.slot)) {
            const c = cur.get(s.slot)!
            await put(s.slot, {...c.p, open: c.p.open.slice(1)})
          }
          if (s.k === 'page' && cur.has(s.of)) {
            const p = cur.get(s.of)!.p
            const text = [...p.open, ...(s.leak ? p.secret : [])].join(s.enc === 'under' ? '_' : '. ').split(' ').join(s.enc === 'under' ? '_' : ' ')
            const html = `<p>${text}</p>`
            if (s.enc === 'gz') await f.write(`public/f${s.slot}.pf_fragment`, gzipSync(Buffer.from(html)))
            else if (s.enc === 'br') await f.write(`public/f${s.slot}.html.br`, brotliCompressSync(Buffer.from(html)))
            else await f.write(`public/f${s.slot}.html`, html)
          }
          const full = await verify({content: f.content, out: f.out, now})
          const fast = await verify({content: f.content, out: f.out, now, memory})
          expect(fast.hits.map(key)).toEqual(full.hits.map(key))
          if (fast.hits.length > 0) {
            seen.hits++
            leakRuns++
          } else {
            if (fast.readAll === false && fast.piecesRead === 0) seen.fast++
            // Every reading the memory names is there (a later run uses them).
            const on = listPapers(memory)
            for (const name of referenced(memory)) expect(on).toContain(name)
            // A run with no leak run before it leaves nothing else.
            if (leakRuns === 0) expect(on).toEqual(referenced(memory))
          }
        }
      }),
      {numRuns: 20}
    )
    expect(seen.fast).toBeGreaterThan(0)
    expect(seen.hits).toBeGreaterThan(0)
  }, 60_000)

  const paperWith = (id: number, body: string) => fm(id, `Paper ${id}`) + `${body}\n`

  it('F2 a reading file swapped for another reading (of the same paper before an edit) is not used: a later full candidate search finds the leak', async () => {
    fx = await makeFixture({'content/a.md': paperWith(820, 'Fleet renewal.'), 'content/b.md': paperWith(821, 'Custody review.'), 'public/a.html': '<p>Fleet renewal.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    const before = listPapers(memory)
    const saved = new Map(before.map((n) => [n, fs.readFileSync(path.join(papersDir(memory), n))]))
    // An edit that adds a withheld block (no public text lost): the fast path.
    await fx.write('content/a.md', paperWith(820, `Fleet renewal.\n\n${block('Stavorin Motors supplies the vans.')}`))
    const edit = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(edit.hits).toEqual([])
    const after = listPapers(memory)
    const gone = before.filter((n) => !after.includes(n))
    const fresh = after.filter((n) => !before.includes(n))
    expect(gone).toHaveLength(2)
    // The old reading (no secret) written over the new one's names.
    for (const n of fresh) fs.writeFileSync(path.join(papersDir(memory), n), saved.get(gone.find((g) => g.endsWith('.public.json') === n.endsWith('.public.json'))!)!)
    // A change that loses public text (candidates reads the changed papers' readings), and a page leaking a's secret.
    await fx.write('content/b.md', paperWith(821, 'Review.'))
    await fx.write('public/c.html', '<p>Stavorin Motors supplies the vans.</p>')
    const leak = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(leak.hits.map((h) => h.outputFile)).toContain('c.html')
    expect(leak.hits.map(key)).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits.map(key))
  })

  it('F3 a deferred paper falling due and the clock going back (fast path each way): the side left is removed, the verdict is the full search\'s', async () => {
    const deferred = fm(830, 'Custody estate', 'deferral:\n  until: 2026-12-01\n') + 'The Quorvald custody site will close in the spring.\n'
    fx = await makeFixture({'content/a.md': deferred, 'content/b.md': paperWith(831, 'Fleet renewal.'), 'public/b.html': '<p>Fleet renewal.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    // The site as a build at each instant makes it: a's page only once it is due (every run clean).
    for (const now of [LATER, NOW, LATER, NOW, LATER]) {
      if (now === LATER) await fx.write('public/a.html', '<p>The Quorvald custody site will close in the spring.</p>')
      else fs.rmSync(path.join(fx.out, 'a.html'), {force: true})
      const fast = await verify({content: fx.content, out: fx.out, now, memory})
      expect(fast.hits.map(key)).toEqual((await verify({content: fx.content, out: fx.out, now})).hits.map(key))
      expect(fast.hits).toEqual([])
      expect(listPapers(memory)).toEqual(referenced(memory))
    }
    // And a page shown before its date is found, from the memory as in full.
    await fx.write('public/a.html', '<p>The Quorvald custody site will close in the spring.</p>')
    const early = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(early.hits.length).toBeGreaterThan(0)
    expect(early.hits.map(key)).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits.map(key))
  })

  it('F4 a foreign file named as a reading the next run will make: overwritten, never read as the paper', async () => {
    fx = await makeFixture({'content/a.md': paperWith(840, 'Fleet renewal.'), 'public/a.html': '<p>Fleet renewal.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    const v1 = listPapers(memory)
    const v1files = new Map(v1.map((n) => [n, fs.readFileSync(path.join(papersDir(memory), n))]))
    // v2 adds a secret (fast path, v1's reading removed), v3 goes back to v1's text.
    await fx.write('content/a.md', paperWith(840, `Fleet renewal.\n\n${block('Hastuvel Motors won the bid.')}`))
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    const v2 = listPapers(memory)
    // Plant v2's reading (with the secret) under v1's names... and v1's (no secret) under v2's.
    const v2files = new Map(v2.map((n) => [n, fs.readFileSync(path.join(papersDir(memory), n))]))
    for (const n of v1) fs.writeFileSync(path.join(papersDir(memory), n), v2files.get(v2.find((m) => m.endsWith('.public.json') === n.endsWith('.public.json'))!)!)
    for (const n of v2) fs.writeFileSync(path.join(papersDir(memory), n), v1files.get(v1.find((m) => m.endsWith('.public.json') === n.endsWith('.public.json'))!)!)
    await fx.write('public/c.html', '<p>Hastuvel Motors won the bid.</p>')
    const r = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(r.hits.map((h) => h.outputFile)).toContain('c.html')
    // Back to v1's text: the planted file is not taken for its reading.
    await fx.write('content/a.md', paperWith(840, 'Fleet renewal.'))
    const back = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(back.hits.map(key)).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits.map(key))
    expect(back.hits).toEqual([])
  })

  it('F5 growth: a workflow of additions (each one first refused by the leak check, then fixed) leaves the papers folder bounded', async () => {
    fx = await makeFixture({'content/a.md': paperWith(850, 'Minutes.\n\n' + block('Jorrabine Ltd was paid.')), 'content/b.md': paperWith(851, 'Fleet.'), 'public/a.html': '<p>Minutes.</p>', 'public/b.html': '<p>Fleet.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    let text = 'Minutes.'
    for (let i = 0; i < 8; i++) {
      // Draft i: an appended item, with a page that (wrongly) shows the withheld line: refused.
      const draft = `${text} Item ${i} draft.`
      await fx.write('content/a.md', paperWith(850, `${draft}\n\n` + block('Jorrabine Ltd was paid.')))
      await fx.write('public/a.html', `<p>${draft} Jorrabine Ltd was paid.</p>`)
      expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits.length).toBeGreaterThan(0)
      // Fixed: the item as published, a page without the withheld line (only additions since the last clean run).
      text = `${text} Item ${i} agreed.`
      await fx.write('content/a.md', paperWith(850, `${text}\n\n` + block('Jorrabine Ltd was paid.')))
      await fx.write('public/a.html', `<p>${text}</p>`)
      const clean = await verify({content: fx.content, out: fx.out, now: NOW, memory})
      expect(clean.hits).toEqual([])
      expect(clean.readAll).toBe(false)
    }
    // Two papers: two readings, two files each (and a few a stopped run may leave).
    expect(listPapers(memory).length).toBeLessThanOrEqual(referenced(memory).length + 4)
  })

  it('F6 a paper moved to another path (fast path): its old reading goes, the new one is used, the verdict is the full search\'s', async () => {
    fx = await makeFixture({'content/a.md': paperWith(860, 'Fleet renewal.\n\n' + block('Wexmorran Fleet supplies the vans.')), 'content/b.md': paperWith(861, 'Custody.'), 'public/a.html': '<p>Fleet renewal.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    fs.mkdirSync(path.join(fx.content, 'old'))
    fs.renameSync(path.join(fx.content, 'a.md'), path.join(fx.content, 'old', 'a.md'))
    const moved = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(moved.hits).toEqual([])
    expect(listPapers(memory)).toEqual(referenced(memory))
    await fx.write('public/c.html', '<p>wexmorran_fleet</p>')
    const leak = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(leak.hits.map((h) => h.outputFile)).toContain('c.html')
    expect(leak.hits.map(key)).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits.map(key))
  })
})

// ---------------------------------------------------------------------------
// da847a1 (spare): a kept file's record is the stat of the prune's one lstat

let restore: Array<() => void> = []
const unpatch = (): void => {
  for (const r of restore.reverse()) r()
  restore = []
}
afterEach(unpatch)

const TAKEN = 'zktakendown661'
const EDIT = 'zkspareedit772'
const spareOf = (ctx: Ctx): string => path.join(path.dirname(ctx.out), `.${path.basename(ctx.out)}.spare`)
const oldMark = (ctx: Ctx): string => `.${path.basename(ctx.out)}.old-`
const base = (): Record<string, string> => ({
  'a.md': paper(801, 'Fleet renewal.', {fm: 'tags:\n  - fleet\n'}),
  'b.md': paper(802, `Custody review.\n\n${withheld('The Quorvald site closes.')}`),
  'w.md': paper(803, `Estates plan ${TAKEN} agreed.`)
})
const reclassified = (): string => paper(803, `Estates plan ${TAKEN} agreed.`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')

/** Each path of the old site (being retired) the first time `fn` is called on it, after the call: `act(abs, rel)`. */
function onOld<K extends 'lstatSync' | 'readdirSync'>(ctx: Ctx, fn: K, act: (abs: string, rel: string) => void): void {
  const mark = oldMark(ctx)
  const done = new Set<string>()
  restore.push(patchFs(fn, (orig) => ((p: fs.PathLike, ...rest: unknown[]) => {
    const result = (orig as (...a: unknown[]) => unknown)(p, ...rest)
    const s = String(p)
    const at = s.indexOf(mark)
    if (at >= 0 && !done.has(s)) {
      done.add(s)
      const rel = s.slice(at).split(path.sep).slice(1).join('/')
      act(s, rel)
    }
    return result
  }) as (typeof fs)[K]))
}

/** After the attack: the same content again (nothing changed: every file kept, the spare's folders lent), then an edit. */
async function laterRunsAreCold(ctx: Ctx, canaries: string[]): Promise<void> {
  unpatch()
  for (const step of [() => undefined, () => write(ctx, {'a.md': paper(801, 'Fleet renewal, third tender.', {fm: 'tags:\n  - fleet\n'})}), () => write(ctx, {'b.md': paper(802, `Custody review, second stage.\n\n${withheld('The Quorvald site closes.')}`)})]) {
    step()
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(findCanaries(scanSite(ctx.out), canaries)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, T0))
  }
  // What the attacker wrote into the retired site is not lent, and the spare keeps nothing of it past the next swap.
  expect(spareExtras(ctx.out)).toEqual([])
}

describe('da847a1 spare: the record takes the prune\'s one lstat', () => {
  it('SP1 a file kept on the manifest\'s word (re-made byte for byte, its own inode) rewritten in place, times set back, right after the prune read it: never lent', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.', {fm: 'tags:\n  - fleet\n'})})
    const hit: string[] = []
    onOld(ctx, 'lstatSync', (abs, rel) => {
      // archive/… and tags/… pages show every paper: made again, the same bytes (kept by the manifest's word).
      if (!/^(archive|tags)\/.*\.html$/.test(rel) || !nodeFs.lstatSync(abs).isFile()) return
      hit.push(rel)
      rewriteInPlace(abs, sameSize(nodeFs.readFileSync(abs, 'utf8'), EDIT), true)
    })
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(hit.length).toBeGreaterThan(0)
    await laterRunsAreCold(ctx, [EDIT])
  })

  it.fails('KNOWN LIMITATION SP2 a kept file that is the live file (a hard link) rewritten in place, times set back, right after the prune read it: the next site is still a cold build\'s', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.', {fm: 'tags:\n  - fleet\n'})})
    const hit: string[] = []
    onOld(ctx, 'lstatSync', (abs, rel) => {
      // Paper b's page, unchanged: linked from the live site into the new one (the same inode).
      if (rel !== 'decisions/pcd-802/index.html' && rel !== 'decisions/pcd-802/index.md') return
      if (nodeFs.lstatSync(abs).ino !== nodeFs.lstatSync(path.join(ctx.out, rel)).ino) return
      hit.push(rel)
      rewriteInPlace(abs, sameSize(nodeFs.readFileSync(abs, 'utf8'), EDIT), true)
    })
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(hit.length).toBeGreaterThan(0)
    await laterRunsAreCold(ctx, [EDIT])
  })

  it('SP3 a file added to a folder of the old site after the prune listed it (before it read the folder\'s times): never lent', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.', {fm: 'tags:\n  - fleet\n'})})
    const hit: string[] = []
    onOld(ctx, 'readdirSync', (abs, rel) => {
      // A search shard's folder whose files are linked from the live site (kept): lent whole by the next edit of paper a.
      if (!/^search-index\/[^/]+\/docs$/.test(rel)) return
      if (!nodeFs.readdirSync(abs).every((n) => nodeFs.lstatSync(path.join(abs, n)).ino === nodeFs.lstatSync(path.join(ctx.out, rel, n), {throwIfNoEntry: false})?.ino)) return
      hit.push(rel)
      nodeFs.writeFileSync(path.join(abs, 'notice.html'), `<p>Defaced ${EDIT}</p>`)
    })
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(hit.length).toBeGreaterThan(0)
    await laterRunsAreCold(ctx, [EDIT])
  })

  it('SP4 hard links inside the old site between kept files and a page taken down (both ways), made between the swap\'s renames: nothing taken down is lent', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'w.md': reclassified()})
    const findOld = (): string => {
      const name = fs.readdirSync(path.dirname(ctx.out)).find((n) => n.startsWith(oldMark(ctx)))!
      return path.join(path.dirname(ctx.out), name)
    }
    let linked = false
    await runRelease(ctx, {
      now: T0,
      at: {
        'mid-swap': () => {
          const old = findOld()
          const taken = path.join(old, 'decisions', 'pcd-803', 'index.html')
          // A kept page becomes the taken-down page's inode; the taken-down .md becomes a kept page's.
          const kept1 = path.join(old, 'privacy', 'index.html')
          fs.rmSync(kept1)
          fs.linkSync(taken, kept1)
          const takenMd = path.join(old, 'decisions', 'pcd-803', 'index.md')
          fs.rmSync(takenMd)
          fs.linkSync(path.join(old, 'accessibility', 'index.html'), takenMd)
          linked = true
        }
      }
    }).then((r) => expect(OK).toContain(r.status))
    expect(linked).toBe(true)
    expect(findCanaries(scanSite(spareOf(ctx)), [TAKEN])).toEqual([])
    await laterRunsAreCold(ctx, [TAKEN])
  })

  it('SP5 a spare made meanwhile (another run) holding hard links to the old site\'s kept files, removed after the prune read them: the next site is a cold build\'s', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.', {fm: 'tags:\n  - fleet\n'})})
    await runRelease(ctx, {
      now: T0,
      at: {
        'mid-swap': () => {
          const name = fs.readdirSync(path.dirname(ctx.out)).find((n) => n.startsWith(oldMark(ctx)))!
          const old = path.join(path.dirname(ctx.out), name)
          const spare = spareOf(ctx)
          for (const rel of ['accessibility/index.html', 'privacy/index.html', 'archive/index.html', 'decisions/pcd-802/index.html']) {
            fs.mkdirSync(path.dirname(path.join(spare, rel)), {recursive: true})
            fs.linkSync(path.join(old, rel), path.join(spare, rel))
          }
        }
      }
    }).then((r) => expect(OK).toContain(r.status))
    await laterRunsAreCold(ctx, [EDIT])
  })

  it('SP6 a kept file replaced (renamed over: a new inode, the same size and times) right after the prune read it: never lent', async () => {
    const ctx = setup(base(), 'mopac-rt2-')
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    write(ctx, {'a.md': paper(801, 'Fleet renewal, second tender.', {fm: 'tags:\n  - fleet\n'})})
    const hit: string[] = []
    onOld(ctx, 'lstatSync', (abs, rel) => {
      if (rel !== 'decisions/pcd-802/index.md' && rel !== 'archive/index.html' && !/^search-index\/[^/]+\/docs\/0\.json$/.test(rel)) return
      if (!nodeFs.lstatSync(abs).isFile()) return
      hit.push(rel)
      const tmp = `${abs}.x`
      nodeFs.writeFileSync(tmp, sameSize(nodeFs.readFileSync(abs, 'utf8'), EDIT))
      execFileSync('touch', ['-r', abs, tmp])
      nodeFs.renameSync(tmp, abs)
    })
    expect(OK).toContain((await runRelease(ctx, {now: T0})).status)
    expect(hit.length).toBeGreaterThanOrEqual(3)
    await laterRunsAreCold(ctx, [EDIT])
  })
})

/**
 * verify's memory (src/verify/incremental.ts): a search that skips what it
 * found clean before must reach the full search's verdict, hit for hit,
 * after any sequence of changes to the papers and to the output.
 */
import {readdirSync, statSync} from 'node:fs'
import {readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {verify} from '../../src/verify/index.js'
import {rememberedReading} from '../../src/verify/incremental.js'
import {makeFixture, type Fixture} from './helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
/** After the deferral in the generated papers (1 December 2026). */
const LATER = new Date('2026-12-02T12:00:00Z')
/** Invented words: in no site text, long enough to count alone when withheld. */
const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'cellunor', 'dravonet', 'ferrowind', 'glimmoran', 'hastuvel', 'jorrabine', 'kelvastro', 'lummerick', 'marbosk', 'nettrilow', 'orvantis', 'pellucane', 'quorvald', 'rusmerane', 'stavorin', 'trelloquin', 'umbrasset', 'vintrolex', 'wexmorran', 'yallobine']
/** A word: one of the above, or a new one (so a change can bring words never seen before). */
const word = fc.oneof({arbitrary: fc.constantFrom(...WORDS), weight: 4}, {arbitrary: fc.stringMatching(/^[bcdfghjklmnpqrstvwxz]{6,8}$/), weight: 1}, {arbitrary: fc.constantFrom('the', 'of', 'and', '12'), weight: 1})
/**
 * Words every paper says openly (so none is secret alone), and runs of them
 * in other orders: withheld, such a run is secret only as a run of words
 * (an n-gram), so a search for what is new must read it as one.
 */
const COMMON = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india']
const ORDERS = [[8, 7, 6, 5, 4, 3, 2, 1, 0], [1, 3, 5, 7, 0, 2, 4, 6, 8], [4, 0, 8, 3, 7, 2, 6, 1, 5]].map((order) => order.map((i) => COMMON[i]!).join(' '))
const phrase = fc.oneof({arbitrary: fc.array(word, {minLength: 1, maxLength: 10}).map((w) => w.join(' ')), weight: 4}, {arbitrary: fc.constantFrom(...ORDERS), weight: 1})
/** Text of a file: phrases, some words joined by `_` (the single-word check reads their parts). */
const fileText = fc.array(fc.tuple(phrase, fc.boolean()).map(([p, joined]) => (joined ? p.replaceAll(' ', '_') : p)), {maxLength: 4}).map((p) => `<p>${p.join('. ')}</p>`)

interface Paper {
  deferred: boolean
  title: string
  open: string[]
  withheld: string[]
}

const paper: fc.Arbitrary<Paper> = fc.record({
  deferred: fc.boolean(),
  title: phrase,
  open: fc.array(phrase, {maxLength: 3}),
  withheld: fc.array(phrase, {maxLength: 2})
})

type Step =
  | {kind: 'paper'; slot: number; paper: Paper | null}
  | {kind: 'file'; slot: number; text: string | null}
  | {kind: 'page'; slot: number; paper: number; leak: boolean}
  | {kind: 'again'}
  | {kind: 'time'}

const step: fc.Arbitrary<Step> = fc.oneof(
  {arbitrary: fc.record({kind: fc.constant('paper' as const), slot: fc.nat(3), paper: fc.option(paper, {freq: 4})}), weight: 3},
  {arbitrary: fc.record({kind: fc.constant('file' as const), slot: fc.nat(4), text: fc.option(fileText, {freq: 4})}), weight: 2},
  {arbitrary: fc.record({kind: fc.constant('page' as const), slot: fc.nat(4), paper: fc.nat(3), leak: fc.constant(false)}), weight: 3},
  {arbitrary: fc.record({kind: fc.constant('page' as const), slot: fc.nat(4), paper: fc.nat(3), leak: fc.constant(true)}), weight: 1},
  {arbitrary: fc.constant({kind: 'again' as const}), weight: 1},
  {arbitrary: fc.constant({kind: 'time' as const}), weight: 1}
)

function source(n: number, p: Paper): string {
  return [
    '---',
    `id: PCD ${700 + n}`,
    `title: ${p.title}`,
    'date: 2026-01-10',
    'classification: OFFICIAL',
    'decision_maker: Deputy Mayor for Policing and Crime',
    `summary: Summary of decision ${700 + n}.`,
    ...(p.deferred ? ['deferral:', '  until: 2026-12-01', '  reason: Market engagement'] : []),
    '---',
    '',
    ...p.open.flatMap((t) => [t, '']),
    `${COMMON.join(' ')}.`,
    '',
    ...p.withheld.flatMap((t) => [':::official-sensitive{exemptions="s43"}', t, ':::', '']),
    'End of the paper.',
    ''
  ].join('\n')
}

/** A page of a paper: its title and public text, and its withheld text when `leak`. */
function page(p: Paper, leak: boolean): string {
  return `<h1>${p.title}</h1><p>${[...p.open, ...(leak ? p.withheld : [])].join('. ')}</p>`
}

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

describe('verify with its memory', () => {
  it('finds what a full search finds, after any changes to papers and output', async () => {
    const seen = {remembered: 0, hits: 0, summaries: 0, fresh: 0, passed: 0, lost: 0}
    await fc.assert(
      fc.asyncProperty(fc.array(paper, {minLength: 1, maxLength: 3}), fc.array(step, {minLength: 2, maxLength: 10}), async (start, steps) => {
        await fx?.cleanup()
        fx = await makeFixture({'public/index.html': '<p>Decisions</p>'})
        const f = fx
        const memory = path.join(f.root, 'state', 'verify')
        const current = new Map<number, Paper>()
        const writePaper = (slot: number, p: Paper | null) => {
          if (p) current.set(slot, p)
          else current.delete(slot)
          return p ? f.write(`content/p${slot}.md`, source(slot, p)) : rm(path.join(f.content, `p${slot}.md`), {force: true})
        }
        for (const [i, p] of start.entries()) await writePaper(i, p)
        // The output starts as the public papers' pages.
        for (const [i, p] of start.entries()) if (!p.deferred) await f.write(`public/p${i}.html`, page(p, false))
        let now = NOW
        for (const s of [{kind: 'again' as const}, ...steps]) {
          // The clock moves past the papers' deferral, or back (a build for an earlier --now).
          if (s.kind === 'time') now = now === NOW ? LATER : NOW
          if (s.kind === 'paper') await writePaper(s.slot, s.paper)
          // A page made from a paper as it is now: its public text as a build
          // would write it, or (a leak) its withheld text too.
          if (s.kind === 'page' && current.has(s.paper)) {
            const p = current.get(s.paper)!
            if (s.leak || !p.deferred || now >= LATER) await f.write(`public/f${s.slot}.html`, page(p, s.leak))
          }
          if (s.kind === 'file') {
            if (s.text === null) await rm(path.join(f.out, `f${s.slot}.html`), {force: true})
            else await f.write(`public/f${s.slot}.html`, s.text)
          }
          // verify refuses a content folder with no paper.
          if (!readdirSync(f.content).some((n) => n.endsWith('.md'))) await writePaper(9, start[0]!)
          const full = await verify({content: f.content, out: f.out, now})
          const fast = await verify({content: f.content, out: f.out, now, memory})
          expect(fast.hits).toEqual(full.hits)
          // A search that reads none of a memory and makes a new one (`--no-cache`, and a search that found something) reports as the full one does.
          expect((await verify({content: f.content, out: f.out, now, memory: path.join(f.root, 'state', 'made'), fresh: true})).hits).toEqual(full.hits)
          expect(fast.filesScanned).toBe(full.filesScanned)
          seen.remembered += fast.filesRemembered ?? 0
          // Found clean with no remembered paper's pieces read: the search of the changed papers alone.
          if (fast.hits.length === 0 && fast.readAll === false && fast.piecesRead === 0) seen.summaries++
          // Entries new to the memory searched for through the filters of words, and files they let pass unread.
          if (fast.hits.length === 0 && (fast.entriesNew ?? 0) > 0) seen.fresh++
          seen.passed += fast.filesPassed ?? 0
          // Public text lost, and the search still of the changed papers alone (with what it left out searched for again).
          if (fast.hits.length === 0 && (fast.lostRuns ?? 0) > 0 && fast.readAll === false && fast.piecesRead === 0) seen.lost++
          if (full.hits.length > 0) seen.hits++
        }
      }),
      {numRuns: 40}
    )
    // The runs took every path: files searched only for what was new, the
    // remembered secrets searched for as they are, and leaks found.
    expect(seen.remembered).toBeGreaterThan(0)
    expect(seen.summaries).toBeGreaterThan(0)
    expect(seen.hits).toBeGreaterThan(0)
    expect(seen.fresh).toBeGreaterThan(0)
    expect(seen.passed).toBeGreaterThan(0)
    expect(seen.lost).toBeGreaterThan(0)
  })

  it('searches a file found clean before for what became secret since', async () => {
    const open = 'The negotiated freehold price with Zorvaline Estates was agreed.'
    const paperWith = (body: string) => `---\nid: PCD 801\ntitle: Estates disposal\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Disposal of a surplus site.\n---\n\n${body}\n`
    fx = await makeFixture({'content/a.md': paperWith(open), 'public/a.html': `<p>${open}</p>`, 'public/b.html': '<p>Nothing here.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    const first = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(first.hits).toEqual([])
    expect(JSON.parse(await readFile(path.join(memory, 'memory.json'), 'utf8')).files).toHaveLength(2)
    // The phrase is withheld now; the page is unchanged, so remembered as clean.
    await writeFile(path.join(fx.content, 'a.md'), paperWith(`:::official-sensitive{exemptions="s43"}\n${open}\n:::`))
    const second = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(second.hits.map((h) => h.outputFile)).toContain('a.html')
    expect(second.hits).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits)
  })

  it('reads a paper again when the clock is on the other side of its deferral', async () => {
    const paperText = '---\nid: PCD 803\ntitle: Custody estate\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Custody estate review.\ndeferral:\n  until: 2026-12-01\n  reason: Market engagement\n---\n\nThe Quorvald custody site will close in the spring.\n'
    fx = await makeFixture({'content/a.md': paperText, 'public/a.html': '<p>The Quorvald custody site will close in the spring.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    // Public after its date: the page is clean, and the reading is remembered.
    expect((await verify({content: fx.content, out: fx.out, now: LATER, memory})).hits).toEqual([])
    // Before its date the same text is withheld: the remembered reading does not apply.
    const before = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(before.hits.map((h) => h.outputFile)).toContain('a.html')
    expect(before.hits).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits)
  })

  it('reads only what changed when a deferred paper falls due (the release job\'s usual run)', async () => {
    const deferred = '---\nid: PCD 804\ntitle: Custody estate\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Custody estate review.\ndeferral:\n  until: 2026-12-01\n---\n\nThe Quorvald custody site will close. See [the plan](plan.csv).\n'
    const other = '---\nid: PCD 805\ntitle: Fleet\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Fleet renewal.\n---\n\nNew vehicles.\n\n:::official-sensitive{exemptions="s43"}\nStavorin supplies the vans.\n:::\n'
    fx = await makeFixture({'content/a.md': deferred, 'content/b.md': other, 'content/plan.csv': 'site,closes\nQuorvald,spring\n', 'public/b.html': '<p>New vehicles.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).readAll).toBe(true)
    await writeFile(path.join(fx.out, 'a.html'), '<p>The Quorvald custody site will close.</p>')
    const due = await verify({content: fx.content, out: fx.out, now: LATER, memory})
    expect(due.readAll).toBe(false)
    expect(due.hits).toEqual([])
    // And a leak of the other paper's withheld word is still found.
    await writeFile(path.join(fx.out, 'b.html'), '<p>New vehicles from Stavorin.</p>')
    const leak = await verify({content: fx.content, out: fx.out, now: LATER, memory})
    expect(leak.hits.map((h) => h.match)).toContain('stavorin')
  })

  it('finds a word that was public only through text since removed, in later runs that search only the changed text', async () => {
    const paperWith = (id: number, body: string) => `---\nid: PCD ${id}\ntitle: Paper ${id}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${id}.\n---\n\n${body}\n`
    const withheld = paperWith(811, 'Fleet renewal.\n\n:::official-sensitive{exemptions="s43"}\nPellucane supplies the vans.\n:::')
    fx = await makeFixture({
      'content/a.md': paperWith(810, 'The Pellucane depot is open.'),
      'content/b.md': withheld,
      'content/c.md': paperWith(812, 'Custody review.'),
      'public/a.html': '<p>The Pellucane depot is open.</p>',
      'public/b.html': '<p>Fleet renewal.</p>'
    })
    const memory = path.join(fx.root, 'state', 'verify')
    // The word is public (paper a says it): not secret.
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    // Paper a no longer says it: it is secret now (paper b withholds it).
    await writeFile(path.join(fx.content, 'a.md'), paperWith(810, 'The depot is open.'))
    await writeFile(path.join(fx.out, 'a.html'), '<p>The depot is open.</p>')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    // A change that only adds public text (searched alone), then a page that leaks the word.
    await writeFile(path.join(fx.content, 'c.md'), paperWith(812, 'Custody review. The estate will be sold.'))
    const added = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(added.hits).toEqual([])
    expect(added.readAll).toBe(false)
    await writeFile(path.join(fx.out, 'b.html'), '<p>Fleet renewal by Pellucane.</p>')
    const leak = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(leak.hits.map((h) => h.match)).toContain('pellucane')
    expect(leak.hits).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits)
  })

  it('reads a file found clean before again when it changed on disk, in place and to the same size', async () => {
    const paperText = '---\nid: PCD 813\ntitle: Fleet\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Fleet renewal.\n---\n\nFleet renewal by tender.\n\n:::official-sensitive{exemptions="s43"}\nPellucane supplies the vans.\n:::\n'
    const clean = '<p>Fleet renewal by Marbosker.</p>'
    const leak = '<p>Fleet renewal by Pellucane.</p>'
    expect(leak.length).toBe(clean.length)
    fx = await makeFixture({'content/a.md': paperText, 'public/a.html': clean, 'public/b.html': clean})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    // Unchanged: not read again.
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(2)
    const inode = statSync(path.join(fx.out, 'a.html')).ino
    // Written in place (the same inode, the same size), later than it was read.
    await new Promise((resolve) => setTimeout(resolve, 30))
    await writeFile(path.join(fx.out, 'a.html'), leak)
    expect(statSync(path.join(fx.out, 'a.html')).ino).toBe(inode)
    const found = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(found.hits.map((h) => `${h.outputFile} ${h.match}`)).toEqual(['a.html pellucane'])
    // Replaced by a new file of the same size: read too.
    await writeFile(path.join(fx.out, 'a.html'), clean)
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    await rm(path.join(fx.out, 'b.html'))
    await writeFile(path.join(fx.out, 'b.html'), leak)
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits.map((h) => h.outputFile)).toEqual(['b.html'])
  })

  describe('a change that lost no public text: the other papers are not read again', () => {
    const paperWith = (id: number, body: string) => `---\nid: PCD ${id}\ntitle: Paper ${id}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${id}.\n---\n\n${body}\n`
    const fleet = paperWith(820, 'Fleet renewal.\n\n:::official-sensitive{exemptions="s43"}\nThe Hastuvel Motors bid was lowest by far.\n:::')
    const custody = paperWith(821, 'Custody review.')
    const setUp = async () => {
      fx = await makeFixture({'content/a.md': fleet, 'content/b.md': custody, 'public/a.html': '<p>Fleet renewal.</p>', 'public/b.html': '<p>Custody review.</p>'})
      const memory = path.join(fx.root, 'state', 'verify')
      expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
      return memory
    }

    it('an edit adding text reads no other paper\'s pieces, and a new page leaking an unchanged paper\'s secret is found', async () => {
      const memory = await setUp()
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Custody review. The estate will be sold.'))
      const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(edit.hits).toEqual([])
      expect(edit.readAll).toBe(false)
      expect(edit.piecesRead).toBe(0)
      // A new page with paper a's withheld words: a's pieces were not read, its secrets are still searched for.
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Custody review. The estate will be sold soon.'))
      await writeFile(path.join(fx!.out, 'c.html'), '<p>The Hastuvel Motors bid was lowest by far.</p>')
      const leak = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(leak.hits.map((h) => `${h.outputFile} ${h.sourceFile}:${h.line}`)).toContain(`c.html ${fx!.content}/a.md:13`)
      expect(leak.hits).toEqual((await verify({content: fx!.content, out: fx!.out, now: NOW})).hits)
    })

    it('a remembered secret another paper now says openly is not reported', async () => {
      const memory = await setUp()
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Custody review. The Hastuvel Motors bid was lowest by far.'))
      await writeFile(path.join(fx!.out, 'b.html'), '<p>Custody review. The Hastuvel Motors bid was lowest by far.</p>')
      const open = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(open.hits).toEqual([])
      expect(open.piecesRead).toBe(0)
      expect(open.hits).toEqual((await verify({content: fx!.content, out: fx!.out, now: NOW})).hits)
    })

    it('a secret no paper withholds any more is not reported (the check searches everything before it reports)', async () => {
      const memory = await setUp()
      // Paper a no longer withholds the sentence (nor says it): its words stay among the secrets remembered.
      await writeFile(path.join(fx!.content, 'a.md'), paperWith(820, 'Fleet renewal. The lowest bid won.'))
      await writeFile(path.join(fx!.out, 'a.html'), '<p>Fleet renewal. The lowest bid won.</p>')
      expect((await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits).toEqual([])
      // A page quoting it: no paper withholds it, so no hit, as a full search finds.
      await writeFile(path.join(fx!.out, 'c.html'), '<p>The Hastuvel Motors bid was lowest by far.</p>')
      const quoted = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(quoted.hits).toEqual((await verify({content: fx!.content, out: fx!.out, now: NOW})).hits)
      expect(quoted.hits).toEqual([])
      // The search done again in full left a new memory: the next run finds nothing with it, searching only what changed.
      const next = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(next.hits).toEqual([])
      expect(next.readAll).toBe(false)
      expect(next.filesRemembered).toBe(3)
    })

    it('an edit removes the changed paper\'s old reading only; a run that lists the folder removes what a stopped run left', async () => {
      const memory = await setUp()
      const folder = path.join(memory, 'papers')
      const files = () => readdirSync(folder).sort()
      const first = files()
      expect(first).toHaveLength(4)
      await writeFile(path.join(folder, 'left-by-a-stopped-run.json'), '{}')
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Custody review. The estate will be sold.'))
      const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(edit.piecesRead).toBe(0)
      const after = files()
      expect(after).toHaveLength(5)
      // Paper a's reading kept; paper b's old one gone, its new one there.
      expect(first.filter((name) => after.includes(name))).toHaveLength(2)
      expect(after).toContain('left-by-a-stopped-run.json')
      // A change that loses public text lists the folder.
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Review.'))
      await writeFile(path.join(fx!.out, 'b.html'), '<p>Review.</p>')
      expect((await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits).toEqual([])
      expect(files()).toHaveLength(4)
      expect(files()).not.toContain('left-by-a-stopped-run.json')
    })

    it('a remembered reading whose file is damaged is read from the paper again when its pieces are needed', async () => {
      const memory = await setUp()
      for (const name of readdirSync(path.join(memory, 'papers'))) if (!name.endsWith('.public.json')) await writeFile(path.join(memory, 'papers', name), '{"damaged": true}')
      // Public text lost (needs every paper's pieces), and a leak of paper a's words.
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(821, 'Review.'))
      await writeFile(path.join(fx!.out, 'b.html'), '<p>Review. Hastuvel Motors bid.</p>')
      const found = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(found.hits.map((h) => h.outputFile)).toEqual(['b.html'])
      expect(found.hits).toEqual((await verify({content: fx!.content, out: fx!.out, now: NOW})).hits)
    })
  })

  it('reads a paper again, when its remembered reading is damaged, only as it was when the check read it', async () => {
    const text = '---\nid: PCD 830\ntitle: A\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: D\nsummary: S.\n---\n\nText.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran bid.\n:::\n'
    fx = await makeFixture({'content/a.md': text, 'public/a.html': '<p>Text.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    const file = path.join(fx.content, 'a.md')
    const first = await rememberedReading(memory, text, file, NOW, undefined)
    // Its reading's files damaged: the pieces come from the paper, read again.
    for (const name of readdirSync(path.join(memory, 'papers'))) await writeFile(path.join(memory, 'papers', name), 'damaged')
    const again = await rememberedReading(memory, text, file, NOW, new Map([[first.id, first.record]]))
    expect(again.extraction.pieces.flatMap((p) => p.tokens)).toContain('wexmorran')
    // The paper changed since the check read it: refused, not read as it is now.
    const later = await rememberedReading(memory, text, file, NOW, new Map([[first.id, first.record]]))
    await writeFile(file, text.replace('Wexmorran', 'Another'))
    expect(() => later.extraction.pieces).toThrow(/changed (or was removed )?while the check ran/)
  })

  it('made anew (`fresh`, as `--no-cache` asks): none of the old is read, and the next run has a memory to use', async () => {
    const paperText = '---\nid: PCD 806\ntitle: Fleet\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Fleet renewal.\n---\n\nFleet renewal.\n\n:::official-sensitive{exemptions="s43"}\nThe Trelloquin Motors bid was lowest.\n:::\n'
    fx = await makeFixture({'content/a.md': paperText, 'public/a.html': '<p>Fleet renewal.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    // A memory that lies (a leaking page named as found clean): used, it would skip the page.
    const leak = '<p>The Trelloquin Motors bid was lowest.</p>'
    await writeFile(path.join(fx.out, 'b.html'), leak)
    const {createHash} = await import('node:crypto')
    const file = path.join(memory, 'memory.json')
    const data = JSON.parse(await readFile(file, 'utf8')) as {files: string[]}
    data.files.push(createHash('sha256').update(leak).digest('base64url'))
    await writeFile(file, JSON.stringify(data))
    const made = await verify({content: fx.content, out: fx.out, now: NOW, memory, fresh: true})
    expect(made.hits.map((h) => h.outputFile)).toEqual(['b.html'])
    // Found clean, it leaves a memory the next run uses.
    await rm(path.join(fx.out, 'b.html'))
    const clean = await verify({content: fx.content, out: fx.out, now: NOW, memory, fresh: true})
    expect(clean.hits).toEqual([])
    expect(clean.filesRemembered).toBe(0)
    const next = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(next.hits).toEqual([])
    expect(next.filesRemembered).toBe(1)
    expect(next.readAll).toBe(false)
  })

  it('is not used by another version of verify, nor when it cannot be read', async () => {
    fx = await makeFixture({'content/a.md': '---\nid: PCD 802\ntitle: A\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: D\nsummary: S.\n---\n\nText.\n', 'public/a.html': '<p>Text.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    await verify({content: fx.content, out: fx.out, now: NOW, memory})
    const file = path.join(memory, 'memory.json')
    const saved = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, JSON.stringify({...saved, version: 'another'}))
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(0)
    await writeFile(file, '{not json')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(0)
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(1)
  })
})

/**
 * Red team, seventh session: verify's filters of words (src/verify/filter.ts,
 * src/verify/pack.ts, `more`/`mayHold`/`freshRuns`/`filesPassed` in
 * src/verify/index.ts). Each test asserts the SAFE behaviour: the verdict
 * with the memory is the full search's, a leak is reported, and the
 * memory's folder does not grow without end.
 *
 * No leak found. Mended after it: refused runs grew the pack without end
 * (a refused run now takes back what it appended, and a pack not the size
 * the memory knew is written anew); the runtime's Unicode tables are now in
 * the memory's version (a filter made under other tables could lack a word
 * the search reads). A pack that is a folder is removed, as a damaged
 * file is replaced (after the ninth red team, tests/attacks/fresh-memory.test.ts;
 * before, it stopped the check, as a folder at memory.json did).
 */
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {brotliCompressSync, gzipSync} from 'node:zlib'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {verify} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const paperWith = (id: number, body: string, extra = '') =>
  `---\nid: PCD ${id}\ntitle: Paper ${id}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${id}.\n${extra}---\n\n${body}\n`
const withheld = (s: string) => `\n\n:::official-sensitive{exemptions="s43"}\n${s}\n:::\n`
const COMMON = 'alpha bravo charlie delta echo foxtrot golf hotel india'

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

async function setUp(files: Record<string, string | Buffer>): Promise<string> {
  const all: Record<string, string | Buffer> = {...files}
  for (let i = 0; i < 3; i++) {
    all[`content/p${i}.md`] ??= paperWith(900 + i, `Paper ${i} opens. ${COMMON}.`)
    all[`public/p${i}.html`] ??= `<p>Paper ${i} opens. ${COMMON}.</p>`
  }
  fx = await makeFixture(all)
  const memory = path.join(fx.root, 'state', 'verify')
  const first = await verify({content: fx.content, out: fx.out, now: NOW, memory})
  expect(first.hits).toEqual([])
  return memory
}
const full = async () => (await verify({content: fx!.content, out: fx!.out, now: NOW})).hits
const withMemory = async (memory: string) => verify({content: fx!.content, out: fx!.out, now: NOW, memory})

// ---------------------------------------------------------------------------
// 1. Generated: a page found clean holds, in some surface form, text a later
//    edit withholds. The memory's verdict must be the full search's.

/** Words of every kind the tokenizers meet. */
const WORDS = ['Zorvaline', 'quillaby', 'MEXTROVEN', 'price_band', '_lead_', 'a__b', 'café', 'cafe\u0301', 'ﬁnance', 'Straße', 'STRASSE', 'ΣΟΦΙΑ', 'σοφια', '東京都', '𝐀𝐁𝐂𝐃', '𝔷𝔬𝔯𝔳', '１２３４', 'ǅemal', 'İstanbul', 'ıstanbul', 'Kelvin\u212a', 'état_major', 'ÉTAT_MAJOR', 'x\u00adylophone', 'ﬀoo', 'Ⅻvolume', '²cubed', 'ℌilbert', 'Ａｃｍｅ', 'naïve', 'nai\u0308ve', 'ﬆreet', 'ǈubljana', 'ß', 'ẞig', '𝟘𝟙𝟚', 'o\u0332ver', '\u{1d7ce}\u{1d7cf}', 'hello\u200dworld', 'wx_ÿz', 'Ωmega', 'ﬃcial']
const word = fc.constantFrom(...WORDS)
const SEPS = [' ', '  ', '. ', ', ', '\n', ' - ', ' / ', '’', ' · ']
/** How a page may show text: as it is, escaped, upper-cased, tagged... */
const surface = fc.constantFrom<[string, (s: string) => string]>(
  ['plain', (s) => s],
  ['upper', (s) => s.toUpperCase()],
  ['lower', (s) => s.toLowerCase()],
  ['nfkd', (s) => s.normalize('NFKD')],
  ['nfkc', (s) => s.normalize('NFKC')],
  ['entities', (s) => [...s].map((c) => (/[\s]/.test(c) ? c : `&#x${c.codePointAt(0)!.toString(16)};`)).join('')],
  ['percent', (s) => encodeURIComponent(s)],
  ['tags', (s) => s.split(' ').map((w) => `<b>${w}</b>`).join(' ')],
  ['shy', (s) => [...s].join('&shy;')],
  ['zw', (s) => [...s].join('\u200b')],
  ['underscores', (s) => s.replace(/ /g, '_')],
  ['json', (s) => JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
  ['attr', (s) => `<a title="${s.replace(/"/g, '&quot;')}">x</a>`],
)
const fileKind = fc.constantFrom('page.html', 'data.json', 'notes.txt', 'gz.html', 'page.html.br', 'raw.txt.br')

function encodeFor(kind: string, text: string): Buffer {
  if (kind === 'gz.html') return gzipSync(Buffer.from(text))
  if (kind === 'page.html.br') return brotliCompressSync(Buffer.from(text))
  return Buffer.from(text)
}

describe('1. generated texts and edits: the memory\'s verdict is the full search\'s', () => {
  it('a page found clean holds what an edit newly withholds (random Unicode, surface forms, file kinds)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(word, fc.constantFrom(...SEPS)), {minLength: 2, maxLength: 10}),
        fc.nat(),
        fc.nat(),
        surface,
        fileKind,
        async (parts, a, b, [, form], kind) => {
          const words = parts.map(([w]) => w)
          const text = parts.map(([w, s]) => w + s).join('')
          // The slice that becomes withheld: one word or a run of them.
          const i = a % words.length
          const len = 1 + (b % Math.min(4, words.length - i))
          const secret = words.slice(i, i + len).join(' ')
          const page = `<p>Seen in print: ${form(text)} (end)</p>`
          const memory = await setUp({[`public/${kind}`]: encodeFor(kind, page)})
          try {
            await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld(secret)}`))
            const want = await full()
            const got = await withMemory(memory)
            expect(got.hits, JSON.stringify({secret, page, kind})).toEqual(want)
          } finally {
            await fx!.cleanup()
            fx = undefined
          }
        },
      ),
      {numRuns: Number(process.env.S7_RUNS ?? 40)},
    )
  })

  it('the withheld text is written in the paper in another surface form than the page (ligatures, fullwidth, Turkish İ, ß, combining marks)', async () => {
    const pairs: Array<[string, string]> = [
      ['ﬁnancial Zorvaline', 'financial ZORVALINE'],
      ['Ａｃｍｅ Qorbital', 'acme qorbital'],
      ['İzmir Qorbital', 'i\u0307zmir qorbital'],
      ['Straße Qorbital', 'STRASSE QORBITAL'],
      ['Straße Qorbital', 'straße qorbital'],
      ['cafe\u0301 Qorbital', 'café qorbital'],
      ['Kelvin\u212a Qorbital', 'kelvink qorbital'],
      ['𝐙𝐨𝐫𝐯𝐚𝐥 Qorbital', 'zorval qorbital'],
      ['x\u00adylo Qorbital', 'xylo qorbital'],
      ['Qorbital_Holdings', 'qorbital holdings'],
      ['Qorbital Holdings', 'qorbital_holdings'],
      ['Ωmega Qorbital', 'ωmega qorbital'],
      ['ǅemal Qorbital', 'džemal qorbital'],
    ]
    for (const [inPaper, onPage] of pairs) {
      const memory = await setUp({'public/quote.html': `<p>We hear ${onPage} won.</p>`})
      await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld(`The bid of ${inPaper} won the tender.`)}`))
      const want = await full()
      const got = await withMemory(memory)
      expect(got.hits, `${inPaper} / ${onPage}`).toEqual(want)
      await fx!.cleanup()
      fx = undefined
    }
  })
})

// ---------------------------------------------------------------------------
// 2. The public-text side: entries made public only by text the filters may
//    not see (a linked file, a paper under another name, the configuration).

describe('2. new withheld text that is public elsewhere: no false refusal, no leak', () => {
  it('public only in an unchanged paper\'s linked file, a paper under another name, or the seam rule', async () => {
    const memory = await setUp({
      'content/q.md': paperWith(950, 'The register is [here](register.txt).'),
      'content/register.txt': 'Wexmorran Haulage Limited, depot at Quarry Lane.',
      'public/q.html': '<p>The register is here.</p><p>Wexmorran Haulage Limited, depot at Quarry Lane.</p>',
      'public/seam.html': '<p>the Quarry Lane of</p>',
    })
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld('Wexmorran Haulage Limited')}${withheld('the of the Quarry Lane of a in the')}`))
    const want = await full()
    const got = await withMemory(memory)
    expect(got.hits).toEqual(want)
  })

  it('a deferred paper falls due, then an edit withholds what it said (memory across three runs)', async () => {
    const deferred = paperWith(960, 'The Kestrel Wexmorran equipment list.', 'deferral:\n  until: 2026-07-01T09:30\n  reason: Operation\n')
    fx = await makeFixture({'content/d.md': deferred, 'content/p0.md': paperWith(900, `Paper 0. ${COMMON}.`), 'public/p0.html': `<p>Paper 0. ${COMMON}.</p>`})
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    const later = new Date('2026-07-02T12:00:00Z')
    // Falls due: published.
    await writeFile(path.join(fx.out, 'd.html'), '<p>The Kestrel Wexmorran equipment list.</p>')
    const one = await verify({content: fx.content, out: fx.out, now: later, memory})
    expect(one.hits).toEqual((await verify({content: fx.content, out: fx.out, now: later})).hits)
    // An edit to another paper withholds a word the now-public paper says: public, no hit.
    await writeFile(path.join(fx.content, 'p0.md'), paperWith(900, `Paper 0. ${COMMON}.${withheld('Kestrel Wexmorran equipment')}`))
    const two = await verify({content: fx.content, out: fx.out, now: later, memory})
    expect(two.hits).toEqual((await verify({content: fx.content, out: fx.out, now: later})).hits)
    // Now the same run before the date (deferred again): the page leaks.
    const three = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    const fullThree = (await verify({content: fx.content, out: fx.out, now: NOW})).hits
    expect(fullThree.length).toBeGreaterThan(0)
    expect(three.hits).toEqual(fullThree)
  })
})

// ---------------------------------------------------------------------------
// 3. Files: same content under another name, `.br` or not, empty files.

describe('3. files found clean before under other names', () => {
  it('the same bytes as a page and as a .br file (raw bytes read too), and an empty file', async () => {
    const text = '<p>We hear the Wexmorran Haulage price was four million.</p>'
    const memory = await setUp({'public/a.html': text, 'public/empty.txt': '', 'public/b.txt.br': brotliCompressSync(Buffer.from('<p>nothing here</p>'))})
    // A second file with bytes found clean before, under a .br name: its raw bytes are read as well.
    await writeFile(path.join(fx!.out, 'c.br'), text)
    await writeFile(path.join(fx!.out, 'd.html'), '')
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld('The Wexmorran Haulage price was four million.')}`))
    const want = await full()
    expect(want.map((h) => h.outputFile)).toEqual(expect.arrayContaining(['a.html', 'c.br']))
    expect((await withMemory(memory)).hits).toEqual(want)
  })

  it('a brotli file whose metadata block spells the secret (read raw) found clean, then the secret withheld', async () => {
    // A .br whose raw bytes hold words the decompressed text does not.
    const raw = Buffer.concat([brotliCompressSync(Buffer.from('<p>harmless</p>')), Buffer.from(' Quorvald Tangier lease ')])
    const memory = await setUp({'public/x.html.br': raw})
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld('Quorvald')}`))
    const want = await full()
    expect((await withMemory(memory)).hits).toEqual(want)
  })
})

// ---------------------------------------------------------------------------
// 4. The pack: damaged, a folder, refused runs.

describe('4. the pack of filters', () => {
  // Mended after the ninth red team: a folder where the memory keeps a file is
  // removed, as a damaged file is replaced (repairFolder, src/verify/incremental.ts).
  it('a pack that is a folder does not stop a check: it is replaced, and the verdict is the full search\'s', async () => {
    const memory = await setUp({})
    await rm(path.join(memory, 'filters.pack'), {force: true})
    await mkdir(path.join(memory, 'filters.pack'))
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld('Wexmorran')}`))
    await writeFile(path.join(fx!.out, 'new.html'), '<p>new page</p>')
    const got = await withMemory(memory).then(
      (r) => r.hits,
      (e: Error) => `threw: ${e.message}`,
    )
    expect(got).toEqual(await full())
  })

  it('a fresh pack\'s `.new` that is a folder does not stop a check', async () => {
    const memory = await setUp({})
    // The memory unreadable: the next run writes a new pack beside the old.
    await writeFile(path.join(memory, 'memory.json'), '{')
    await mkdir(path.join(memory, 'filters.pack.new'))
    const got = await withMemory(memory).then(
      (r) => r.hits,
      (e: Error) => `threw: ${e.message}`,
    )
    expect(got).toEqual(await full())
  })

  it('refused runs do not grow the pack without end (the records they append are counted or dropped)', async () => {
    // Pages of many distinct words: each run's filters pass 256 KiB, so a refused run writes them.
    const rnd = (seed: number) => () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5), (seed >>> 0).toString(36))
    const next = rnd(7)
    const files: Record<string, string> = {}
    for (let f = 0; f < 4; f++) files[`public/big${f}.html`] = `<p>${Array.from({length: 30000}, () => `w${next()}`).join(' ')}</p>`
    const memory = await setUp(files)
    const packSize = async () => (await stat(path.join(memory, 'filters.pack'))).size
    const clean = await packSize()
    // A leak: refused, again and again (each build changes a page, so it is read again).
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.${withheld('Wexmorran')}`))
    for (let run = 0; run < 6; run++) {
      for (let f = 0; f < 4; f++) await writeFile(path.join(fx!.out, `big${f}.html`), `<p>${Array.from({length: 30000}, () => `w${next()}`).join(' ')} Wexmorran</p>`)
      expect((await withMemory(memory)).hits.length).toBeGreaterThan(0)
    }
    const afterRefused = await packSize()
    // Fixed: a clean run.
    for (let f = 0; f < 4; f++) await writeFile(path.join(fx!.out, `big${f}.html`), files[`public/big${f}.html`]!)
    expect((await withMemory(memory)).hits).toEqual([])
    const afterClean = await packSize()
    // The pack after the clean run should be about what one clean run needs, not what the refused runs left.
    expect(afterClean, JSON.stringify({clean, afterRefused, afterClean})).toBeLessThan(3 * clean)
  })
})

// ---------------------------------------------------------------------------
// 5. Generated sequences of edits over a few papers and pages (public text,
//    withheld blocks, pages), the memory's verdict against the full search's
//    after each.

describe('5. generated sequences of edits', () => {
  const VOCAB = ['the', 'of', 'and', 'a', '2026', 'Zorvex', 'quillan', 'Mextro', 'haulage', 'depot', 'lease', 'Ｑuarry', 'Straße', 'naïve', 'tender_board', 'İlker', 'ﬁnance', 'price', 'four', 'million', 'Wexmorran']
  const words = fc.array(fc.constantFrom(...VOCAB), {minLength: 1, maxLength: 12}).map((w) => w.join(' '))
  const paperState = fc.record({pub: words, secret: fc.option(words, {nil: undefined})})
  const state = fc.record({papers: fc.array(paperState, {minLength: 3, maxLength: 3}), pages: fc.array(words, {minLength: 2, maxLength: 3})})

  it('the verdict with the memory is the full search\'s after each of three edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(state, {minLength: 3, maxLength: 4}), async (states) => {
        fx = await makeFixture({})
        const memory = path.join(fx.root, 'state', 'verify')
        try {
          for (const [k, s] of states.entries()) {
            for (const [i, p] of s.papers.entries()) await writeFile(path.join(fx.content, `p${i}.md`), paperWith(900 + i, `Opening of paper ${i}. ${p.pub}.${p.secret ? withheld(p.secret) : ''}`))
            for (const [i, page] of s.pages.entries()) await writeFile(path.join(fx.out, `page${i}.html`), `<p>${page}</p>`)
            // Pages of the papers' public text, as a build writes them.
            for (const [i, p] of s.papers.entries()) await writeFile(path.join(fx.out, `p${i}.html`), `<p>Opening of paper ${i}. ${p.pub}.</p>`)
            const want = await full()
            const got = await withMemory(memory)
            expect(got.hits, `step ${k}: ${JSON.stringify(s)}`).toEqual(want)
          }
        } finally {
          await fx!.cleanup()
          fx = undefined
        }
      }),
      {numRuns: Number(process.env.S7_RUNS ?? 25)},
    )
  })
})

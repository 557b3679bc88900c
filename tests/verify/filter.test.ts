/**
 * The filters of words (src/verify/filter.ts) and what verify's memory does
 * with them: a change that brings new withheld text reads only the public
 * text and the output files that may hold it. A filter may say "maybe"
 * wrongly, never "no": these tests hold it to the very tokens the search
 * reads, and hold the search that uses them to the full search's verdict.
 */
import {readdirSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {FilterBuilder, mayHoldAny, openFilter, runItems, sealFilter} from '../../src/verify/filter.js'
import {verify} from '../../src/verify/index.js'
import {forEachToken, tokenIds, tokenParts, VocabLookup} from '../../src/verify/text.js'
import {makeFixture, type Fixture} from './helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')

/** Text of every kind the tokenizer meets: cases, `_`, accents and combining marks, ligatures, other scripts, astral letters, punctuation. */
const piece = fc.constantFrom('Zorvaline', 'quillaby', 'MEXTROVEN', 'price_band', '_lead_', 'a__b', 'café', 'cafe\u0301', 'ﬁnance', 'Straße', 'ΣΟΦΙΑ', '東京', '𝐀𝐁', '𝔷𝔬𝔯', '１２３', 'x\u00ady', 'ǅemal', 'İstanbul', '£4.2m', '2026', 'état_major', 'ÉTAT_MAJOR')
const sep = fc.constantFrom(' ', '  ', '.', ', ', '\n', '-', '<p>', '&amp;', '\u200b', '/', '’')
const text = fc.array(fc.tuple(piece, sep), {maxLength: 30}).map((parts) => parts.map(([p, s]) => p + s).join(''))

/** The tokens the search reads of `text` (./text.ts), and the parts of those joined by `_`. */
function tokensOf(text: string): {tokens: string[]; parts: string[]} {
  const tokens: string[] = []
  forEachToken(text, (t) => tokens.push(t))
  return {tokens, parts: tokens.flatMap((t) => (t.includes('_') ? tokenParts(t) : []))}
}

/** The filter of `texts` as the output scan makes it: in the same pass as it reads their tokens. */
function scanFilter(texts: string[]): Uint8Array {
  const builder = new FilterBuilder()
  const lookup = new VocabLookup(new Map())
  for (const t of texts) tokenIds(t, lookup, undefined, builder)
  return builder.finish()
}

describe('a filter of words', () => {
  it('holds every run of tokens of the texts it was made from, and every part of a token joined by `_`', () => {
    fc.assert(
      fc.property(fc.array(text, {minLength: 1, maxLength: 3}), (texts) => {
        const filter = scanFilter(texts)
        for (const t of texts) {
          const {tokens, parts} = tokensOf(t)
          for (let i = 0; i < tokens.length; i++) {
            for (let k = 1; k <= 8 && i + k <= tokens.length; k++) expect(mayHoldAny(filter, [runItems(tokens.slice(i, i + k))])).toBe(true)
          }
          for (const part of parts) expect(mayHoldAny(filter, [runItems([part])])).toBe(true)
        }
      }),
      {numRuns: 300}
    )
  })

  it('made from lists of words (a paper\'s public text), holds every run of each list', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({minLength: 1, maxLength: 6}), {maxLength: 20}), {maxLength: 4}), (streams) => {
        const filter = new FilterBuilder().streams(streams).finish()
        for (const stream of streams) {
          for (let i = 0; i < stream.length; i++) {
            for (let k = 1; k <= 8 && i + k <= stream.length; k++) expect(mayHoldAny(filter, [runItems(stream.slice(i, i + k))])).toBe(true)
          }
        }
      }),
      {numRuns: 300}
    )
  })

  it('rules out nearly every word and run a text does not hold (so a change reads few texts)', () => {
    const words = Array.from({length: 400}, (_, i) => `word${i}`)
    const filter = scanFilter([words.join(' ')])
    let said = 0
    for (let i = 0; i < 2000; i++) if (mayHoldAny(filter, [runItems([`other${i}`])])) said++
    // Words next to each other in another order: each pair is absent.
    for (let i = 0; i < 399; i++) if (mayHoldAny(filter, [runItems([words[i + 1]!, words[i]!])])) said++
    expect(said).toBeLessThan(60)
    // An empty text holds nothing.
    expect(mayHoldAny(scanFilter(['']), [runItems(['word1'])])).toBe(false)
  })

  it('is not used when damaged, cut short, or kept under another name', () => {
    const filter = scanFilter(['The Zorvaline bid'])
    const sealed = sealFilter('abc', filter)
    expect(Array.from(openFilter('abc', sealed)!)).toEqual(Array.from(filter))
    expect(openFilter('abd', sealed)).toBeUndefined()
    expect(openFilter('abc', sealed.subarray(0, sealed.length - 1))).toBeUndefined()
    for (const at of [0, 15, 16, 20, sealed.length - 1]) {
      const damaged = Buffer.from(sealed)
      damaged[at] = damaged[at]! ^ 1
      expect(openFilter('abc', damaged)).toBeUndefined()
    }
    // A filter not of its shape says "maybe" to everything.
    expect(mayHoldAny(new Uint8Array([64, 0, 0, 0, 1]), [runItems(['x'])])).toBe(true)
  })
})

describe('verify with its memory, when a change brings new withheld text', () => {
  let fx: Fixture | undefined
  afterEach(async () => {
    await fx?.cleanup()
    fx = undefined
  })
  const paperWith = (id: number, body: string) => `---\nid: PCD ${id}\ntitle: Paper ${id}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${id}.\n---\n\n${body}\n`
  const COMMON = 'alpha bravo charlie delta echo foxtrot golf hotel india'
  const REORDERED = 'india hotel golf foxtrot echo delta charlie bravo alpha'
  /** Papers that all say COMMON openly; pages of each; and more pages that say nothing of them. */
  const setUp = async (extra: Record<string, string> = {}) => {
    const files: Record<string, string> = {...extra}
    for (let i = 0; i < 6; i++) {
      files[`content/p${i}.md`] = paperWith(900 + i, `Paper ${i} opens. ${COMMON}.`)
      files[`public/p${i}.html`] = `<p>Paper ${i} opens. ${COMMON}.</p>`
    }
    for (let i = 0; i < 6; i++) files[`public/other${i}.html`] = `<p>Notice ${i}: the office is closed on Monday.</p>`
    fx = await makeFixture(files)
    const memory = path.join(fx.root, 'state', 'verify')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).hits).toEqual([])
    return memory
  }
  const full = async () => (await verify({content: fx!.content, out: fx!.out, now: NOW})).hits

  it('reads only the texts that may hold it: no other paper\'s public text, no unchanged page', async () => {
    const memory = await setUp()
    await writeFile(path.join(fx!.content, 'p0.md'), paperWith(900, `Paper 0 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was four million.\n:::`))
    const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
    expect(edit.hits).toEqual([])
    expect(edit.readAll).toBe(false)
    expect(edit.entriesNew).toBeGreaterThan(0)
    expect(edit.textsRead).toBe(0)
    expect(edit.filesPassed).toBe(edit.filesRemembered)
    expect(edit.filesRemembered).toBe(12)
  })

  it('finds new withheld text that a page found clean before already holds', async () => {
    const memory = await setUp({'public/quote.html': '<p>We hear the Wexmorran Haulage price was four million.</p>'})
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was four million.\n:::`))
    const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
    expect(hits.map((h) => h.outputFile)).toContain('quote.html')
    expect(hits).toEqual(await full())
  })

  it('finds public words withheld in a new order (secret only as a run) in a page found clean before', async () => {
    const memory = await setUp({'public/quote.html': `<p>${REORDERED}</p>`})
    await writeFile(path.join(fx!.content, 'p2.md'), paperWith(902, `Paper 2 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\n${REORDERED}\n:::`))
    const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
    expect(hits.map((h) => h.outputFile)).toEqual(['quote.html'])
    expect(hits).toEqual(await full())
  })

  it('finds a withheld word that a page found clean before holds only as part of a word joined by `_`', async () => {
    const memory = await setUp({'public/data.csv': 'ref,name\n1,acme_wexmorran_ltd\n'})
    await writeFile(path.join(fx!.content, 'p3.md'), paperWith(903, `Paper 3 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nWexmorran\n:::`))
    const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
    expect(hits.map((h) => h.outputFile)).toEqual(['data.csv'])
    expect(hits).toEqual(await full())
  })

  it('does not report new withheld text that an unchanged paper says openly, and reads only that paper', async () => {
    const memory = await setUp({'content/q.md': paperWith(950, 'The Wexmorran depot opened in May.'), 'public/q.html': '<p>The Wexmorran depot opened in May.</p>'})
    await writeFile(path.join(fx!.content, 'p4.md'), paperWith(904, `Paper 4 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nWexmorran\n:::`))
    const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
    expect(edit.hits).toEqual([])
    expect(await full()).toEqual([])
    expect(edit.readAll).toBe(false)
    expect(edit.textsRead).toBe(1)
  })

  it('does not report public words withheld in a new order that an unchanged paper says in that order', async () => {
    const memory = await setUp({'content/q.md': paperWith(950, `${REORDERED}.`), 'public/q.html': `<p>${REORDERED}.</p>`})
    await writeFile(path.join(fx!.content, 'p5.md'), paperWith(905, `Paper 5 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\n${REORDERED}\n:::`))
    const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
    expect(edit.hits).toEqual([])
    expect(await full()).toEqual([])
    expect(edit.textsRead).toBe(1)
  })

  it('reads a file whose filter is damaged or gone, and a paper\'s public text whose filter is', async () => {
    const memory = await setUp({'public/quote.html': '<p>We hear the Wexmorran Haulage price was four million.</p>', 'content/q.md': paperWith(950, 'The Haulage depot opened.'), 'public/q.html': '<p>The Haulage depot opened.</p>'})
    // Every file filter swapped for another file's (sealed under its own name), every paper's damaged.
    const files = path.join(memory, 'files')
    const names = readdirSync(files)
    const first = await readFile(path.join(files, names[0]!))
    for (const name of names) await writeFile(path.join(files, name), first)
    const papers = path.join(memory, 'papers')
    for (const name of readdirSync(papers).filter((n) => n.endsWith('.filter'))) await writeFile(path.join(papers, name), 'damaged')
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was four million.\n:::`))
    const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
    expect(hits.map((h) => h.outputFile)).toContain('quote.html')
    expect(hits).toEqual(await full())
    // Found nothing: every unchanged paper's text read, every file too.
    await writeFile(path.join(fx!.out, 'quote.html'), '<p>Nothing to see.</p>')
    await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was five million.\n:::`))
    for (const name of readdirSync(files)) await writeFile(path.join(files, name), first)
    for (const name of readdirSync(papers).filter((n) => n.endsWith('.filter'))) await writeFile(path.join(papers, name), 'damaged')
    const clean = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
    expect(clean.hits).toEqual([])
    expect(clean.textsRead).toBe(6)
    expect(clean.filesPassed).toBeLessThanOrEqual(1)
  })
})

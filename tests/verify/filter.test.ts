/**
 * The filters of words (src/verify/filter.ts) and what verify's memory does
 * with them: a change that brings new withheld text reads only the public
 * text and the output files that may hold it. A filter may say "maybe"
 * wrongly, never "no": these tests hold it to the very tokens the search
 * reads, and hold the search that uses them to the full search's verdict.
 */
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {FilterBuilder, mayHoldAny, openFilter, runItems, sealFilter} from '../../src/verify/filter.js'
import {verify} from '../../src/verify/index.js'
import {FilterPack, type PackSize} from '../../src/verify/pack.js'
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

  it('says "maybe" to an absent word in few of many texts that share most of their words (papers from the same templates)', () => {
    const template = Array.from({length: 300}, (_, i) => `shared${i}`)
    const filters = Array.from({length: 300}, (_, t) => scanFilter([[...template, ...Array.from({length: 20}, (_, i) => `own${t}x${i}`)].join(' ')]))
    const rates = Array.from({length: 1000}, (_, w) => filters.filter((filter) => mayHoldAny(filter, [runItems([`absent${w}`])])).length / filters.length)
    // About 1% each on average; no word "maybe" in more than a few percent of the texts.
    expect(Math.max(...rates)).toBeLessThan(0.04)
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

describe('the pack of filters', () => {
  const f = (words: string) => scanFilter([words])
  const holds = (pack: FilterPack, name: string, word: string) => {
    const filter = pack.get(name)
    return filter === undefined ? 'none' : mayHoldAny(filter, [runItems([word])])
  }

  it('keeps what each run added, the last filter of a name winning; a torn end loses only what it tore', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mopac-pack-'))
    try {
      const one = new FilterPack(dir)
      one.add('a', f('alpha'))
      one.add('b', f('bravo'))
      const first = one.save(new Set(['a', 'b']))
      expect(first.records).toBe(2)
      const two = new FilterPack(dir, first)
      expect(holds(two, 'a', 'alpha')).toBe(true)
      two.add('a', f('charlie'))
      const second = two.save(new Set(['a', 'b']))
      expect(second.records).toBe(3)
      const three = new FilterPack(dir, second)
      expect(holds(three, 'a', 'charlie')).toBe(true)
      expect(holds(three, 'a', 'alpha')).toBe(false)
      expect(holds(three, 'b', 'bravo')).toBe(true)
      // A run stopped while it appended: the records before are used, and the next save writes the file anew.
      const file = path.join(dir, 'filters.pack')
      const bytes = await readFile(file)
      await writeFile(file, bytes.subarray(0, bytes.length - 7))
      const four = new FilterPack(dir, second)
      expect(holds(four, 'b', 'bravo')).toBe(true)
      expect(holds(four, 'a', 'alpha')).toBe(true)
      const fourth = four.save(new Set(['a', 'b']))
      expect(fourth.records).toBe(2)
      expect(fourth.bytes).toBe((await stat(file)).size)
      expect(holds(new FilterPack(dir, fourth), 'a', 'alpha')).toBe(true)
      // A search with no memory uses none of it.
      expect(holds(new FilterPack(dir), 'a', 'alpha')).toBe('none')
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('is written anew with only the names in use once most of it is of others, or once it is not the size the memory knew', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mopac-pack-'))
    try {
      let size: PackSize | undefined
      let record = 0
      const counts: number[] = []
      for (let run = 0; run < 30; run++) {
        const pack = new FilterPack(dir, size)
        for (let i = 0; i < 100; i++) pack.add(`r${run}-${i}`, f(`word${i}`))
        size = pack.save(new Set(Array.from({length: 100}, (_, i) => `r${run}-${i}`)))
        if (run === 0) record = (await stat(path.join(dir, 'filters.pack'))).size / 100
        counts.push(size.records)
      }
      // Appended to (100 records a run) until over 2 * 100 + 1024, then written anew with the 100 in use.
      expect(counts.slice(0, 12)).toEqual(Array.from({length: 12}, (_, i) => 100 * (i + 1)))
      expect(counts[12]).toBe(100)
      expect(Math.max(...counts)).toBe(1200)
      expect((await stat(path.join(dir, 'filters.pack'))).size).toBeLessThanOrEqual(1200 * record)
      const last = new FilterPack(dir, size)
      expect(holds(last, 'r29-5', 'word5')).toBe(true)
      expect(holds(last, 'r0-5', 'word5')).toBe('none')
      // Runs that appended and were not counted (refused, or stopped): the next save writes it anew.
      const known = size!
      for (let run = 0; run < 3; run++) {
        const stray = new FilterPack(dir, known)
        for (let i = 0; i < 100; i++) stray.add(`s${run}-${i}`, f(`word${i}`))
        ;(stray as unknown as {flush(): void}).flush()
      }
      const next = new FilterPack(dir, known).save(new Set(['r29-5']))
      expect(next.records).toBe(1)
      expect((await stat(path.join(dir, 'filters.pack'))).size).toBe(next.bytes)
      // A refused run takes back what it wrote.
      const refused = new FilterPack(dir, next)
      for (let i = 0; i < 10000; i++) refused.add(`t${i}`, f(`word${i}`))
      expect((await stat(path.join(dir, 'filters.pack'))).size).toBeGreaterThan(next.bytes)
      refused.discard()
      expect((await stat(path.join(dir, 'filters.pack'))).size).toBe(next.bytes)
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
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
    // None of the five unchanged papers holds the new words; a filter says "maybe" wrongly for about one word in a hundred, so one may be read.
    expect(edit.textsRead).toBeLessThanOrEqual(1)
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
    // The paper that says it, and at most one other whose filter says "maybe" wrongly.
    expect(edit.textsRead).toBeGreaterThanOrEqual(1)
    expect(edit.textsRead).toBeLessThanOrEqual(2)
  })

  it('does not report public words withheld in a new order that an unchanged paper says in that order', async () => {
    const memory = await setUp({'content/q.md': paperWith(950, `${REORDERED}.`), 'public/q.html': `<p>${REORDERED}.</p>`})
    await writeFile(path.join(fx!.content, 'p5.md'), paperWith(905, `Paper 5 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\n${REORDERED}\n:::`))
    const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
    expect(edit.hits).toEqual([])
    expect(await full()).toEqual([])
    expect(edit.textsRead).toBe(1)
  })

  describe('and public text is lost (words replaced or removed)', () => {
    const SIX = 'zorvaline quillaby mextroven brathwick cellunor dravonet'
    /** Withheld with weak words at its ends: its n-gram (8 words) is left out while its core (6) is public. */
    const SEAM = `the ${SIX} of`

    it('finds an n-gram left out through its core (the seam rule) once the core is no longer public, in a page found clean before', async () => {
      const memory = await setUp({
        'content/a.md': paperWith(960, `Opening.\n\n:::official-sensitive{exemptions="s43"}\n${SEAM}\n:::`),
        'content/b.md': paperWith(961, `We said ${SIX} openly.`),
        'public/b.html': `<p>We said ${SIX} openly.</p>`,
        'public/quote.html': `<p>${SEAM}</p>`
      })
      // b's text keeps every word, in another order: the core is public no more.
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(961, `We said ${SIX.split(' ').reverse().join(' ')} openly.`))
      await writeFile(path.join(fx!.out, 'b.html'), `<p>We said ${SIX.split(' ').reverse().join(' ')} openly.</p>`)
      const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
      expect(hits.map((h) => h.outputFile)).toEqual(['quote.html'])
      expect(hits).toEqual(await full())
    })

    it('finds a withheld word left out then because a changed paper said it, which it says no more', async () => {
      const memory = await setUp({
        'content/a.md': paperWith(962, 'Opening.\n\n:::official-sensitive{exemptions="s43"}\nVintrolex\n:::'),
        'content/b.md': paperWith(963, 'We met Vintrolex today.'),
        'public/b.html': '<p>We met Vintrolex today.</p>',
        'public/quote.html': '<p>Vintrolex</p>'
      })
      await writeFile(path.join(fx!.content, 'b.md'), paperWith(963, 'We met them today.'))
      await writeFile(path.join(fx!.out, 'b.html'), '<p>We met them today.</p>')
      const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
      expect(hits.map((h) => h.outputFile).sort()).toEqual(['quote.html'])
      expect(hits).toEqual(await full())
    })

    it('searches only the changed papers\' text and what may hold what it lost: no other paper\'s text, no unchanged page', async () => {
      const memory = await setUp()
      await writeFile(path.join(fx!.content, 'p3.md'), paperWith(903, `Paper 3 closes. ${COMMON}.`))
      await writeFile(path.join(fx!.out, 'p3.html'), `<p>Paper 3 closes. ${COMMON}.</p>`)
      const edit = await verify({content: fx!.content, out: fx!.out, now: NOW, memory})
      expect(edit.hits).toEqual([])
      expect(edit.lostRuns).toBeGreaterThan(0)
      expect(edit.readAll).toBe(false)
      expect(edit.piecesRead).toBe(0)
      expect(edit.textsRead).toBe(0)
      expect(edit.filesRemembered).toBe(11)
    })
  })

  it('reads the files and the papers\' public text whose filters are damaged, swapped or gone', async () => {
    const setting = {'public/quote.html': '<p>We hear the Wexmorran Haulage price was four million.</p>', 'content/q.md': paperWith(950, 'The Haulage depot opened.'), 'public/q.html': '<p>The Haulage depot opened.</p>'}
    const packFile = (memory: string) => path.join(memory, 'filters.pack')
    /** The pack's records: name, and the sealed filter (see src/verify/pack.ts). */
    const records = (bytes: Buffer): Array<[string, Buffer]> => {
      const list: Array<[string, Buffer]> = []
      for (let at = 0; at < bytes.length; ) {
        const n = bytes.readUInt32LE(at)
        const name = bytes.toString('utf8', at + 4, at + 4 + n)
        const size = bytes.readUInt32LE(at + 4 + n)
        list.push([name, bytes.subarray(at + 8 + n, at + 8 + n + size)])
        at += 8 + n + size
      }
      return list
    }
    const packOf = (list: Array<[string, Buffer]>): Buffer =>
      Buffer.concat(list.flatMap(([name, sealed]) => {
        const n = Buffer.from(name)
        const head = Buffer.alloc(4)
        head.writeUInt32LE(n.length)
        const size = Buffer.alloc(4)
        size.writeUInt32LE(sealed.length)
        return [head, n, size, sealed]
      }))
    const damages: Array<[string, (bytes: Buffer) => Buffer]> = [
      ['gone', () => Buffer.alloc(0)],
      ['garbage', (bytes) => Buffer.from(bytes.map((b) => b ^ 0x5a))],
      ['cut short', (bytes) => bytes.subarray(0, 9)],
      // Each record's filter under the next record's name: sealed under its own, so not used.
      ['swapped', (bytes) => {
        const list = records(bytes)
        return packOf(list.map(([name], i) => [name, list[(i + 1) % list.length]![1]]))
      }],
      // Each filter's bits cleared (a filter of no words), its seal left.
      ['emptied', (bytes) => packOf(records(bytes).map(([name, sealed]) => [name, Buffer.concat([sealed.subarray(0, 20), Buffer.alloc(sealed.length - 20)])]))]
    ]
    for (const [why, damage] of damages) {
      const memory = await setUp(setting)
      expect(records(await readFile(packFile(memory))).length).toBe(14 + 7)
      await writeFile(packFile(memory), damage(await readFile(packFile(memory))))
      await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was four million.\n:::`))
      const hits = (await verify({content: fx!.content, out: fx!.out, now: NOW, memory})).hits
      expect(hits.map((h) => h.outputFile), why).toContain('quote.html')
      expect(hits).toEqual(await full())
      await fx!.cleanup()
      // Found nothing: every unchanged paper's text read, and every file.
      const again = await setUp({...setting, 'public/quote.html': '<p>Nothing to see.</p>'})
      await writeFile(packFile(again), damage(await readFile(packFile(again))))
      await writeFile(path.join(fx!.content, 'p1.md'), paperWith(901, `Paper 1 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Wexmorran Haulage price was four million.\n:::`))
      const clean = await verify({content: fx!.content, out: fx!.out, now: NOW, memory: again})
      expect(clean.hits, why).toEqual([])
      expect(clean.textsRead, why).toBe(6)
      expect(clean.filesPassed, why).toBe(0)
      // The filters lost are made again from what was read: the next such change reads little.
      await writeFile(path.join(fx!.content, 'p2.md'), paperWith(902, `Paper 2 opens. ${COMMON}.\n\n:::official-sensitive{exemptions="s43"}\nThe Quorvald lease ends.\n:::`))
      const next = await verify({content: fx!.content, out: fx!.out, now: NOW, memory: again})
      expect(next.hits, why).toEqual([])
      // (A filter may say "maybe" wrongly, about one word in a hundred: one of the six may be read.)
      expect(next.textsRead, why).toBeLessThanOrEqual(1)
      expect(next.filesPassed, why).toBe(next.filesRemembered)
      await fx!.cleanup()
      fx = undefined
    }
  })
})

/**
 * Red team of the last three changes:
 *  1. SecretIndex.exclude (the pruned scan that marks secret entries found in
 *     public text as excluded) against SecretIndex.scan, on adversarial
 *     indexes and streams, forced 32-bit hash collisions included, and end to
 *     end (public text repeating most of a withheld block, a leak planted);
 *  2. hasSensitiveSyntax's prefilter (mayStartName) and plain-ASCII shortcut
 *     against the pattern on the fully folded text;
 *  3. removeTree (the synchronous walk that removes a retired site, a
 *     discarded stage and a signal's leftovers).
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {removeTree} from '../../src/build/write.js'
import {foldForChecks, hasSensitiveSyntax} from '../../src/content/markings.js'
import {SecretIndex} from '../../src/verify/matcher.js'
import type {SecretPiece} from '../../src/verify/source.js'
import {tempDir} from '../helpers/corpus.js'
import {builtSite} from '../verify/built-site.js'

// ---------------------------------------------------------------------------
// 1. SecretIndex.exclude against scan
// ---------------------------------------------------------------------------

function piece(tokens: string[]): SecretPiece {
  return {kind: 'sensitive', sourceFile: 'p.md', tokens, lines: [], cols: [], spans: [], whole: false}
}

interface Shape {
  /** n-gram size: entries of exactly n words (their prefixes are not entries, as in liveIndex). */
  n: number
  /** Also single-word entries. */
  singles: boolean
  /** Also phrase entries [start, length] per piece (length < n). */
  spans: Array<[number, number]>
}

/** An index shaped like liveIndex's: n-grams, some singles, some short phrases. */
function shapedIndex(pieces: string[][], shape: Shape, shared?: SecretIndex): SecretIndex {
  const index = new SecretIndex(64, shared)
  for (const tokens of pieces) {
    const p = index.addPiece(piece(tokens))
    for (let off = 0; off + shape.n <= tokens.length; off++) index.addEntry(p, off, shape.n)
    for (const [s, l] of shape.spans) if (l >= 1 && s + l <= tokens.length) index.addEntry(p, s, l)
    if (shape.singles) for (let i = 0; i < tokens.length; i += 2) index.addEntry(p, i, 1)
  }
  index.finish()
  return index
}

/** Runs both searches over `streams` (each its own call) on two identical indexes; returns both marks. */
function bothWays(make: () => SecretIndex, streams: string[][], preExcluded: number[] = []): {byScan: number[]; byExclude: number[]} {
  const a = make()
  const b = make()
  for (const e of preExcluded) {
    if (e < a.excluded.length) {
      a.excluded[e] = 1
      b.excluded[e] = 1
    }
  }
  for (const stream of streams) {
    a.scan(a.toIds(stream), (e) => {
      a.excluded[e] = 1
    })
    b.exclude(b.toIds(stream))
  }
  return {byScan: [...a.excluded], byExclude: [...b.excluded]}
}

/** Entries `exclude` marked that `scan` did not (a secret dropped: a missed leak) and the reverse (a false alarm). */
function disagreements({byScan, byExclude}: {byScan: number[]; byExclude: number[]}) {
  const dropped: number[] = []
  const missed: number[] = []
  for (let e = 0; e < byScan.length; e++) {
    if (byExclude[e] && !byScan[e]) dropped.push(e)
    if (byScan[e] && !byExclude[e]) missed.push(e)
  }
  return {dropped, missed}
}

// The words the streams use: those of the pieces and a few that no piece has (ids -1).
const pieceWord = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta')
const streamWord = fc.oneof({weight: 6, arbitrary: pieceWord}, {weight: 1, arbitrary: fc.constantFrom('unknownword', 'other', '')})

/** A copy of matcher.ts's mix, to search for colliding id sequences. */
const SEED = 0x2545f491
function mix(h: number, id: number): number {
  h = Math.imul(h ^ (id + 0x7f4a7c15), 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}
const hashOf = (ids: number[]) => ids.reduce((h, id) => mix(h, id), SEED)

/**
 * Pairs of id pairs whose 2-word hashes are equal, every id below 2^17.
 * mix(h, id) is h ^ (id + C) scrambled bijectively, so [a, b] and [c, d]
 * collide exactly when (b + C) ^ (d + C) = mix(SEED, a) ^ mix(SEED, c):
 * look for first words whose hashes differ in the low 16 bits only, then
 * solve for d.
 */
const C = 0x7f4a7c15
function pairCollisions(want: number): Array<[[number, number], [number, number]]> {
  const byHigh = new Map<number, number[]>()
  const found: Array<[[number, number], [number, number]]> = []
  for (let a = 0; a < 60_000 && found.length < want; a++) {
    const ha = mix(SEED, a)
    const bucket = byHigh.get(ha >>> 16) ?? []
    for (const c of bucket) {
      const x = (ha ^ mix(SEED, c)) >>> 0
      const b = 1 << 16
      const d = (((b + C) ^ x) - C) | 0
      if (d >= 0 && d < 1 << 17 && hashOf([a, b]) === hashOf([c, d])) found.push([[a, b], [c, d]])
    }
    bucket.push(a)
    byHigh.set(ha >>> 16, bucket)
  }
  return found
}

/**
 * A single word whose hash equals a 2-word sequence's: [a] and [b, c].
 * mix(SEED, a) = mix(mix(SEED, b), c) exactly when
 * (a + C) ^ (c + C) = SEED ^ mix(SEED, b): look for b with that in the low
 * 16 bits, then solve for a.
 */
function singlePairCollision(): [number, [number, number]] | undefined {
  for (let b = 0; b < 1 << 21; b++) {
    const x = (SEED ^ mix(SEED, b)) >>> 0
    if (x >>> 16 !== 0) continue
    const c = 1 << 16
    const a = (((c + C) ^ x) - C) | 0
    if (a >= 0 && a < 1 << 17 && hashOf([a]) === hashOf([b, c])) return [a, [b, c]]
  }
  return undefined
}

const tok = (id: number) => `w${id}`

/** An index whose vocabulary has ids 0..size-1 for `w0`..`w{size-1}` (a first piece holds them all, no entries). */
function vocabIndex(size: number): SecretIndex {
  const index = new SecretIndex(1 << 16)
  index.addPiece(piece(Array.from({length: size}, (_, i) => tok(i))))
  return index
}

/** Vocabularies made once and shared (a new index over one shares its ids). */
const vocabs = new Map<number, SecretIndex>()
function overVocab(size: number): SecretIndex {
  let base = vocabs.get(size)
  if (!base) vocabs.set(size, (base = vocabIndex(size)))
  return new SecretIndex(1 << 12, base)
}

describe('SecretIndex.exclude: never marks an entry scan would not, and marks every one it would', () => {
  it('liveIndex-shaped indexes (n-grams whose prefixes are not entries, singles, phrases), words no piece has, several streams, pre-excluded entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(pieceWord, {minLength: 1, maxLength: 16}), {minLength: 1, maxLength: 6}),
        fc.array(fc.array(streamWord, {maxLength: 60}), {maxLength: 6}),
        fc.integer({min: 2, max: 9}),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(10), fc.integer({min: 1, max: 8})), {maxLength: 3}),
        fc.array(fc.nat(80), {maxLength: 12}),
        (pieces, streams, n, singles, spans, pre) => {
          const result = disagreements(bothWays(() => shapedIndex(pieces, {n, singles, spans}), streams, pre))
          expect(result).toEqual({dropped: [], missed: []})
        }
      ),
      {numRuns: 400}
    )
  })

  it('public text that repeats a withheld piece over and over, all of it but one word, then that word', () => {
    const base = ['the', 'board', 'agreed', 'the', 'price', 'with', 'the', 'board', 'of', 'the', 'supplier', 'board', 'the']
    fc.assert(
      fc.property(fc.integer({min: 0, max: base.length - 1}), fc.integer({min: 2, max: 12}), fc.integer({min: 1, max: 30}), (hole, n, copies) => {
        const secret = [...base]
        secret[hole] = 'quillfeather'
        const make = () => shapedIndex([secret, base.slice(0, 5)], {n, singles: true, spans: [[0, 2]]}, undefined)
        // Many copies of the public version, split across calls and in one call.
        const streams: string[][] = []
        for (let c = 0; c < copies; c++) streams.push(base)
        streams.push(Array.from({length: copies}, () => base).flat())
        // Then a stream with the whole secret.
        streams.push(secret)
        const result = disagreements(bothWays(make, streams))
        expect(result).toEqual({dropped: [], missed: []})
        // And the withheld word's entries stay live while it has not been seen.
        const index = make()
        for (const s of streams.slice(0, -1)) index.exclude(index.toIds(s))
        const before = [...index.excluded]
        index.exclude(index.toIds(secret))
        expect([...index.excluded].filter((x) => x === 0).length).toBe(0)
        expect(before.filter((x) => x === 0).length).toBeGreaterThan(0)
      }),
      {numRuns: 200}
    )
  })

  it('entries that are prefixes of others, duplicates, and entries up to 64 words (maxLen) at the end of a stream', () => {
    const words = Array.from({length: 70}, (_, i) => `x${i % 5}`)
    const make = () => {
      const index = new SecretIndex(64)
      const p = index.addPiece(piece(words))
      const q = index.addPiece(piece(words.slice(3)))
      for (const len of [1, 2, 3, 7, 8, 63, 64]) {
        for (let off = 0; off + len <= words.length; off += 3) {
          index.addEntry(p, off, len)
          if (off + len <= words.length - 3) index.addEntry(q, off, len)
        }
      }
      index.finish()
      return index
    }
    const streams = [words.slice(0, 63), words.slice(1, 65), words.slice(5), words.slice(0, 64), words.slice(6, 70), words]
    for (let cut = 1; cut <= streams.length; cut++) {
      expect(disagreements(bothWays(make, streams.slice(0, cut)))).toEqual({dropped: [], missed: []})
    }
  })

  it('more than the counts table starts with (thousands of entries, the table grows while counting and after)', () => {
    const vocab = Array.from({length: 400}, (_, i) => `v${i}`)
    let seed = 12345
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const pick = () => vocab[Math.floor(random() * vocab.length)] as string
    const pieces = Array.from({length: 300}, () => Array.from({length: 30}, pick))
    const make = () => shapedIndex(pieces, {n: 8, singles: true, spans: [[0, 3], [5, 4]]})
    expect(make().ePiece.length).toBeGreaterThan(6000)
    // Public text: most of each piece (a word changed in each), and random text.
    const streams = pieces.map((p, i) => p.map((w, k) => (k === i % 30 ? 'changed' : w)))
    for (let s = 0; s < 20; s++) streams.push(Array.from({length: 400}, pick))
    expect(disagreements(bothWays(make, streams))).toEqual({dropped: [], missed: []})
  })

  it('a probe index sharing the vocabulary and pieces (as liveIndex makes it) agrees too', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(pieceWord, {minLength: 2, maxLength: 12}), {minLength: 1, maxLength: 4}),
        fc.array(fc.array(streamWord, {maxLength: 40}), {maxLength: 4}),
        (pieces, streams) => {
          const run = (useExclude: boolean) => {
            const index = shapedIndex(pieces, {n: 4, singles: false, spans: []})
            const probe = new SecretIndex(64, index)
            for (let p = 0; p < index.pieces.length; p++) if (index.pieces[p]!.ids.length >= 2) probe.addEntry(p, 1, 2)
            probe.finish()
            for (const stream of streams) {
              const ids = index.toIds(stream)
              if (useExclude) {
                index.exclude(ids)
                probe.exclude(ids)
              } else {
                index.scan(ids, (e) => (index.excluded[e] = 1))
                probe.scan(ids, (e) => (probe.excluded[e] = 1))
              }
            }
            return [[...index.excluded], [...probe.excluded]]
          }
          expect(run(true)).toEqual(run(false))
        }
      ),
      {numRuns: 200}
    )
  })
})

describe('SecretIndex.exclude with forced 32-bit hash collisions', () => {
  const LIMIT = 1 << 17
  const collisions = pairCollisions(4)

  it('the copy of mix is the index\'s (colliding 2-word entries share a chain in its table)', () => {
    expect(collisions.length).toBeGreaterThan(0)
    const [[a, b], [c, d]] = collisions[0]!
    expect(hashOf([a, b])).toBe(hashOf([c, d]))
    const index = vocabIndex(LIMIT)
    const p = index.addPiece(piece([tok(a), tok(b), tok(c), tok(d)]))
    const e1 = index.addEntry(p, 0, 2)
    const e2 = index.addEntry(p, 2, 2)
    expect(e2).not.toBe(e1)
    // The second entry's chain goes on to the first: same slot, same key.
    expect((index as unknown as {next: number[]}).next[e2]).toBe(e1)
  })

  it('two n-grams whose 2-word prefixes collide: excluding one never drops the other, and each is found when it occurs', () => {
    for (const [[a, b], [c, d]] of collisions) {
      const x = [LIMIT + 1, LIMIT + 2, LIMIT + 3, LIMIT + 4, LIMIT + 5, LIMIT + 6]
      const one = [a, b, ...x].map(tok)
      const two = [c, d, ...x.map((v) => v + 10)].map(tok)
      const make = () => {
        const index = overVocab(LIMIT + 20)
        const p1 = index.addPiece(piece(one))
        const p2 = index.addPiece(piece(two))
        index.addEntry(p1, 0, 8)
        index.addEntry(p2, 0, 8)
        // Prefix-only entries too (the 2-word ones collide in the main table).
        index.addEntry(p1, 0, 2)
        index.addEntry(p2, 0, 2)
        index.finish()
        return index
      }
      const orders = [
        [two, one.slice(0, 7), one],
        [one, two.slice(0, 7), two],
        [one.slice(0, 2), two.slice(0, 2), two, one.slice(0, 7)],
        [[...two, ...one.slice(0, 7)], one]
      ]
      for (const streams of orders) {
        for (let cut = 1; cut <= streams.length; cut++) expect(disagreements(bothWays(make, streams.slice(0, cut)))).toEqual({dropped: [], missed: []})
      }
    }
  })

  it('a 1-word prefix and a 2-word prefix with the same hash share a count: neither is dropped', () => {
    const found = singlePairCollision()
    expect(found).toBeDefined()
    const [a, [b, c]] = found!
    expect(hashOf([a])).toBe(hashOf([b, c]))
    const size = Math.max(a, b, c) + 10
    const make = () => {
      const index = overVocab(size)
      const p1 = index.addPiece(piece([a, size + 1, size + 2, size + 3].map(tok)))
      const p2 = index.addPiece(piece([b, c, size + 4, size + 5].map(tok)))
      index.addEntry(p1, 0, 4)
      index.addEntry(p2, 0, 4)
      index.addEntry(p1, 0, 1)
      index.finish()
      return index
    }
    const one = [a, size + 1, size + 2, size + 3].map(tok)
    const two = [b, c, size + 4, size + 5].map(tok)
    for (const streams of [[two, one.slice(0, 3), one], [one, two.slice(0, 3), two], [[tok(a)], two.slice(0, 3), one]]) {
      for (let cut = 1; cut <= streams.length; cut++) expect(disagreements(bothWays(make, streams.slice(0, cut)))).toEqual({dropped: [], missed: []})
    }
  })
})

describe('leak check end to end: public text repeating most of a withheld block', () => {
  const common = 'The Deputy Mayor approved the revised estates programme after the board considered the options for the northern custody suites and the costs of each option'
  const unique = 'the settlement with Quillfeather Logistics was agreed at nine hundred thousand pounds'
  const paperText = (id: number, withheld: string) => `---
id: PCD ${id}
title: "Estates programme ${id}"
date: "2024-05-01"
classification: OFFICIAL
part2:
  exemptions: [s43]
---

${common}.

${common}, again in summary.

:::official-sensitive{exemptions="s43"}
${withheld}
:::

Financial comments follow in the usual form.
`

  it('a planted leak of the part only the withheld text has, or of the words across its seam, is reported; no false alarm without one', async () => {
    const site = await builtSite({
      'a.md': paperText(4201, `${common} and ${unique}.`),
      'b.md': paperText(4202, `${common}.`),
      'c.md': paperText(4203, `${common} and the costs were reviewed.`)
    })
    try {
      expect(await site.hits()).toEqual([])
      const page = path.join(site.out, 'decisions', 'pcd-4202', 'index.html')
      const html = fs.readFileSync(page, 'utf8')
      const plant = async (text: string) => {
        site.plant('decisions/pcd-4202/index.html', html.replace('Financial comments follow', `${text}. Financial comments follow`))
        const hits = await site.hits()
        site.plant('decisions/pcd-4202/index.html', html)
        return hits
      }
      expect((await plant(unique)).length).toBeGreaterThan(0)
      // The eight words across the seam: the first five are public, each
      // n-gram that starts with them but this one excluded.
      expect((await plant('considered the options for the northern custody suites and the costs of each option and the settlement with Quillfeather')).length).toBeGreaterThan(0)
      expect((await plant('each option and the settlement with Quillfeather Logistics')).length).toBeGreaterThan(0)
      expect(await site.hits()).toEqual([])
    } finally {
      site.cleanup()
    }
  })
})

// ---------------------------------------------------------------------------
// 2. hasSensitiveSyntax: the prefilter and the ASCII shortcut are exact
// ---------------------------------------------------------------------------

/**
 * The full folding, as markings.ts had it before any fast path (copied, so
 * the reference does not go through the code under test).
 */
const confusables: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ѕ: 's', ј: 'j', ԁ: 'd', ӏ: 'l', һ: 'h', ԛ: 'q', ԝ: 'w', ѵ: 'v', т: 't', к: 'k', н: 'h', м: 'm', в: 'b',
  А: 'A', Е: 'E', О: 'O', Р: 'P', С: 'C', У: 'Y', Х: 'X', І: 'I', Ѕ: 'S', Ј: 'J', Т: 'T', К: 'K', Н: 'H', М: 'M', В: 'B', Ԛ: 'Q', Ԝ: 'W',
  α: 'a', ε: 'e', ο: 'o', ρ: 'p', ι: 'i', ν: 'v', κ: 'k', τ: 't', υ: 'u', ϲ: 'c', ı: 'i', ɩ: 'i', ℓ: 'l', ǀ: 'l', ꜰ: 'f', ꜱ: 's', ᴄ: 'c', ᴏ: 'o',
  Α: 'A', Ε: 'E', Ο: 'O', Ρ: 'P', Ι: 'I', Ν: 'N', Κ: 'K', Τ: 'T', Υ: 'Y', Χ: 'X', Ζ: 'Z', Η: 'H', Μ: 'M', Β: 'B'
}
const confusableRe = new RegExp(`[${Object.keys(confusables).join('')}]`, 'g')
const fullFold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu, '')
    .replace(/[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(confusableRe, (c) => confusables[c] as string)

/** The old check: the pattern over the fully folded text (wildcard letters as NUL). */
const fuzzy = (w: string) => [...w].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}\\u0000]`).join('')
const SYNTAX = new RegExp(`:+[\\s\\W_]*${fuzzy('official')}[\\W_]*${fuzzy('sensitive')}`)
const folded = (text: string) => fullFold(text).replace(/[^\x00-\x7f]/gu, (c) => (/\p{L}/u.test(c) ? '\u0000' : c))
const reference = (text: string) => SYNTAX.test(folded(text))

// Every BMP character whose folding makes a colon, a letter of the name, or nothing at all.
const interesting: string[] = (() => {
  const out: string[] = []
  const letters = /[officalsenitvOFFICIALSENSITV:]/
  for (let cp = 0x80; cp <= 0xffff; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue
    const c = String.fromCharCode(cp)
    const f = fullFold(c)
    if (f === '' || letters.test(f) || f.includes('\u0000')) out.push(c)
  }
  return out
})()

describe('hasSensitiveSyntax (mayStartName prefilter, plain-ASCII shortcut) agrees with the pattern on folded text', () => {
  it('every colon lookalike that folding turns into a colon is there, and each starts the syntax', () => {
    for (const colon of ['\uff1a', '\ufe55', '\ufe13', '\u2a74']) {
      expect(interesting).toContain(colon)
      expect(hasSensitiveSyntax(`${colon}official-sensitive`)).toBe(true)
      expect(hasSensitiveSyntax(`x${colon}\u00a0\u200b\uff4ffficial\u2013sensitive`)).toBe(true)
    }
    // A ligature for the f's, a circled o, a small capital, an astral math o.
    expect(hasSensitiveSyntax(':o\ufb03cial-sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':\u24deffi\u1d04ial sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':\ud835\udc28fficial sensitive')).toBe(true)
    // Control characters in otherwise ASCII text (folding drops them).
    expect(hasSensitiveSyntax(':\u0001official-sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':\u000bo\u001bfficial-sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':\u007f\u0008official\u0007sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':x\u0001official-sensitive')).toBe(false)
  })

  it('random text over lookalikes, controls, wildcard letters and the name\'s pieces', () => {
    const pieces = ['o', 'O', 'f', 'ff', 'fficial', 'official', 'sensitive', 'SENSITIVE', 'ensitive', ':', '::', ' ', '-', '_', '\t', '\n', '\u0000', '\u0001', '\u000b', '\u007f', 'x', '1', 'é', 'ж', 'ο', '\u2013', '\u200b', '\u00ad', '\ufb03', '\ud835\udc28', '\ud800']
    const part = fc.oneof({weight: 5, arbitrary: fc.constantFrom(...pieces)}, {weight: 2, arbitrary: fc.constantFrom(...interesting)}, {weight: 1, arbitrary: fc.string({maxLength: 2})})
    fc.assert(
      fc.property(fc.array(part, {maxLength: 16}), (parts) => {
        const text = parts.join('')
        expect(hasSensitiveSyntax(text), JSON.stringify(text)).toBe(reference(text))
        expect(foldForChecks(text), JSON.stringify(text)).toBe(fullFold(text))
      }),
      {numRuns: 20_000}
    )
  })

  it('plain ASCII (tab, line feed, carriage return, printable) is its own folding', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom(...'\t\n\r :oOfFiIcCaAlLsSeEnNtTvV-_x1*[]{}'.split('')), maxLength: 40}), (text) => {
        expect(folded(text)).toBe(text)
        expect(foldForChecks(text)).toBe(text)
        expect(hasSensitiveSyntax(text), JSON.stringify(text)).toBe(reference(text))
      }),
      {numRuns: 5_000}
    )
  })

  it('long runs stay linear and exact', () => {
    const t0 = Date.now()
    expect(hasSensitiveSyntax(':'.repeat(100_000) + '\u0436'.repeat(100_000))).toBe(true)
    expect(hasSensitiveSyntax(': x'.repeat(50_000) + '\uff1a\u00a0official_sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':o'.repeat(50_000))).toBe(false)
    expect(hasSensitiveSyntax('\u0001:'.repeat(50_000) + 'officia')).toBe(false)
    expect(Date.now() - t0).toBeLessThan(3_000)
  })
})

// ---------------------------------------------------------------------------
// 3. removeTree
// ---------------------------------------------------------------------------

/** Runs `fn` with fs.readdirSync wrapped by `wrap` (the named import of src/build/write.ts too). */
function withReaddir<T>(wrap: (real: typeof fs.readdirSync, p: fs.PathLike, options: unknown) => unknown, fn: () => T): T {
  const real = fs.readdirSync
  fs.readdirSync = ((p: fs.PathLike, options?: unknown) => wrap(real, p, options)) as typeof fs.readdirSync
  syncBuiltinESMExports()
  try {
    return fn()
  } finally {
    fs.readdirSync = real
    syncBuiltinESMExports()
  }
}

function outsideFolder(dir: string): string {
  const outside = path.join(dir, 'outside')
  fs.mkdirSync(path.join(outside, 'inner'), {recursive: true})
  fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep')
  fs.writeFileSync(path.join(outside, 'inner', 'keep.txt'), 'keep')
  return outside
}

const outsideIntact = (outside: string) => {
  expect(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('keep')
  expect(fs.readFileSync(path.join(outside, 'inner', 'keep.txt'), 'utf8')).toBe('keep')
}

describe('removeTree', () => {
  // Node's rimraf (rmSync's recursive removal, removeTree's fallback) keeps
  // the fs functions it is first loaded with: load it before any is wrapped.
  fs.rmSync(path.join(tempDir('mopac-rt-'), 'none'), {recursive: true, force: true})

  it('links to folders at every level, links to the folder above, a loop of links, a FIFO: all removed, nothing outside touched', () => {
    const dir = tempDir('mopac-rt-')
    const outside = outsideFolder(dir)
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'a', 'b'), {recursive: true})
    fs.writeFileSync(path.join(site, 'a', 'b', 'index.html'), 'x')
    fs.symlinkSync(outside, path.join(site, 'to-outside'))
    fs.symlinkSync('../../outside', path.join(site, 'a', 'relative'))
    fs.symlinkSync('..', path.join(site, 'a', 'b', 'up'))
    fs.symlinkSync(dir, path.join(site, 'a', 'b', 'to-parent'))
    fs.symlinkSync('loop2', path.join(site, 'loop1'))
    fs.symlinkSync('loop1', path.join(site, 'loop2'))
    fs.linkSync(path.join(outside, 'keep.txt'), path.join(site, 'hardlink'))
    try {
      execFileSync('mkfifo', [path.join(site, 'fifo')])
    } catch {
      // (no FIFOs here)
    }
    removeTree(site)
    expect(fs.existsSync(site)).toBe(false)
    outsideIntact(outside)
  })

  it('a file replaced by a folder while the walk runs: removed all the same', () => {
    const dir = tempDir('mopac-rt-')
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'a'), {recursive: true})
    fs.writeFileSync(path.join(site, 'a', 'page.html'), 'x')
    withReaddir(
      (real, p, options) => {
        const entries = real(p as string, options as {withFileTypes: true})
        if (String(p) === path.join(site, 'a') && fs.lstatSync(path.join(site, 'a', 'page.html')).isFile()) {
          fs.unlinkSync(path.join(site, 'a', 'page.html'))
          fs.mkdirSync(path.join(site, 'a', 'page.html', 'deeper'), {recursive: true})
          fs.writeFileSync(path.join(site, 'a', 'page.html', 'deeper', 'f'), 'x')
        }
        return entries
      },
      () => removeTree(site)
    )
    expect(fs.existsSync(site)).toBe(false)
  })

  it('a folder made unreadable and unwritable (mode 000) is still removed, or removeTree throws (never silently leaves half a site)', () => {
    const dir = tempDir('mopac-rt-')
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'locked', 'x'), {recursive: true})
    fs.writeFileSync(path.join(site, 'locked', 'x', 'f.html'), 'x')
    fs.writeFileSync(path.join(site, 'index.html'), 'x')
    fs.chmodSync(path.join(site, 'locked'), 0o000)
    let threw = false
    try {
      removeTree(site)
    } catch {
      threw = true
    } finally {
      if (fs.existsSync(path.join(site, 'locked'))) fs.chmodSync(path.join(site, 'locked'), 0o755)
    }
    expect(threw || !fs.existsSync(site)).toBe(true)
  })

  it('a very deep tree (1,500 levels) is removed', () => {
    const dir = tempDir('mopac-rt-')
    const site = path.join(dir, 'site')
    let p = site
    for (let i = 0; i < 1500; i++) p = path.join(p, 'd')
    fs.mkdirSync(p, {recursive: true})
    fs.writeFileSync(path.join(p, 'f'), 'x')
    removeTree(site)
    expect(fs.existsSync(site)).toBe(false)
  })

  it('rmSync, which removeTree replaced, does not follow the same swap: it looks at each entry again before reading it', () => {
    // In a fresh process: Node's rimraf keeps the fs functions it was first
    // loaded with, so it is only watched where the watch comes first.
    const dir = tempDir('mopac-rt-')
    const outside = outsideFolder(dir)
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'sub'), {recursive: true})
    fs.writeFileSync(path.join(site, 'sub', 'page.html'), 'x')
    const script = `
      const fs = require('node:fs'), path = require('node:path')
      const [site, outside] = process.argv.slice(1)
      const real = fs.readdirSync
      let swapped = false
      fs.readdirSync = function (p, ...rest) {
        const entries = real.call(this, p, ...rest)
        if (!swapped && String(p) === site) {
          swapped = true
          fs.unlinkSync(path.join(site, 'sub', 'page.html'))
          fs.rmdirSync(path.join(site, 'sub'))
          fs.symlinkSync(outside, path.join(site, 'sub'))
        }
        return entries
      }
      fs.rmSync(site, {recursive: true, force: true})
      process.stdout.write(String(swapped))
    `
    const swapped = execFileSync(process.execPath, ['-e', script, site, outside], {encoding: 'utf8'})
    expect(swapped).toBe('true')
    expect(fs.existsSync(site)).toBe(false)
    outsideIntact(outside)
  })

  it('a folder of the tree swapped for a link to a folder outside after its parent was read: the walk does not follow it (a hole, fixed: each folder\'s own type is read just before it is)', () => {
    // readdirSync(site) reports `sub` as a folder; before the walk reads
    // `sub` (here: the moment the parent's listing is returned; on a real
    // site, any time during the removal of the entries listed before it),
    // `sub` becomes a link to a folder outside. removeWalk trusted the
    // listing's type and called readdirSync / unlinkSync through the link.
    const dir = tempDir('mopac-rt-')
    const outside = outsideFolder(dir)
    const site = path.join(dir, 'site')
    fs.mkdirSync(path.join(site, 'sub'), {recursive: true})
    fs.writeFileSync(path.join(site, 'sub', 'page.html'), 'x')
    let swapped = false
    try {
      withReaddir(
        (real, p, options) => {
          const entries = real(p as string, options as {withFileTypes: true})
          if (!swapped && String(p) === site) {
            swapped = true
            fs.rmSync(path.join(site, 'sub'), {recursive: true})
            fs.symlinkSync(outside, path.join(site, 'sub'))
          }
          return entries
        },
        () => removeTree(site)
      )
    } catch {
      // (Throwing is fine; deleting outside is not.)
    }
    expect(swapped).toBe(true)
    outsideIntact(outside)
  })
})

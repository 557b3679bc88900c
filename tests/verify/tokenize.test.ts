/**
 * verify's tokeniser reads ASCII with a character loop (speed); it must give
 * exactly the tokens of the regular-expression definition it replaced, and
 * the output scan's straight-to-id reading must agree with it.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {forEachToken, tokenIds, tokenize, VocabLookup} from '../../src/verify/text.js'

/** The definition: /[\p{L}\p{N}\p{M}_]+/gu, NFKC and lower case, `_` trimmed, non-ASCII re-split after NFKC. */
function reference(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (const m of text.matchAll(/[\p{L}\p{N}\p{M}_]+/gu)) {
    const raw = m[0]
    if (/^[\x00-\x7f]*$/.test(raw)) {
      const t = raw.toLowerCase().replace(/^_+|_+$/g, '')
      if (t) out.push([t, m.index])
    } else {
      for (const n of raw.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}\p{M}_]+/gu)) {
        const t = n[0].replace(/^_+|_+$/g, '')
        if (t) out.push([t, m.index])
      }
    }
  }
  return out
}

const texty = fc.oneof(
  fc.string(),
  fc.string({unit: 'binary'}),
  fc.string({unit: fc.constantFrom(...'aZ_9 -:<>&;é\u0301ﬁ½𝐀\ud800\udc00日Ω\u00ad_'.split(''))}),
)

describe('tokeniser', () => {
  it('property: the same tokens and positions as the regular-expression definition', () => {
    fc.assert(
      fc.property(texty, (text) => {
        const got: Array<[string, number]> = []
        forEachToken(text, (t, i) => got.push([t, i]))
        expect(got).toEqual(reference(text))
      }),
      {numRuns: 2000},
    )
  })

  it('property: the output scan reads the same ids as tokenize + the vocabulary', () => {
    fc.assert(
      fc.property(texty, fc.array(fc.string({unit: fc.constantFrom('a', 'b', 'é', '_', '1')}), {maxLength: 6}), (text, extra) => {
        const toks = tokenize(text)
        const vocab = new Map<string, number>()
        for (const t of [...toks.filter((_, i) => i % 2 === 0), ...extra]) if (t && !vocab.has(t)) vocab.set(t, vocab.size)
        const ids = Array.from(tokenIds(text, new VocabLookup(vocab)))
        expect(ids).toEqual(toks.map((t) => vocab.get(t) ?? -1))
      }),
      {numRuns: 2000},
    )
  })

  it('the parts of a token joined by `_` are read for the single-word check', () => {
    const vocab = new Map([['zanthoria', 0], ['bid', 1]])
    const parts: number[] = []
    tokenIds('see Zanthoria_BID_v2.pdf and __zanthoria__', new VocabLookup(vocab), (id) => parts.push(id))
    expect(parts).toEqual([0, 1])
  })
})

/**
 * The secret index's two searches agree: `exclude` (which stops reading on
 * from a position once every entry beginning with the words read so far is
 * excluded) marks exactly the entries `scan` finds, whatever the entries and
 * the text, so the leak check's verdict does not depend on which one ran.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {SecretIndex} from '../../src/verify/matcher.js'
import type {SecretPiece} from '../../src/verify/source.js'

// A small vocabulary, so that the text repeats the pieces (as public text
// repeats the withheld text around it) and entries share their prefixes.
const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', '')

function piece(tokens: string[]): SecretPiece {
  return {kind: 'sensitive', sourceFile: 'p.md', tokens, lines: [], cols: [], spans: [], whole: false}
}

/** An index of every run of 1 to `maxLen` words of each piece, with some entries excluded to begin with. */
function indexOf(pieces: string[][], maxLen: number, preExcluded: number[]): SecretIndex {
  const index = new SecretIndex(64)
  for (const tokens of pieces) {
    const p = index.addPiece(piece(tokens))
    for (let off = 0; off < tokens.length; off++) {
      for (let len = 1; len <= maxLen && off + len <= tokens.length; len++) {
        if (tokens.slice(off, off + len).includes('')) break
        index.addEntry(p, off, len)
      }
    }
  }
  index.finish()
  for (const e of preExcluded) if (e < index.excluded.length) index.excluded[e] = 1
  return index
}

describe('SecretIndex.exclude', () => {
  it('marks exactly the entries scan finds, over several streams in turn', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(word, {minLength: 1, maxLength: 12}), {minLength: 1, maxLength: 6}),
        fc.array(fc.array(word, {maxLength: 40}), {maxLength: 5}),
        fc.integer({min: 1, max: 8}),
        fc.array(fc.nat(200), {maxLength: 10}),
        (pieces, streams, maxLen, preExcluded) => {
          const byScan = indexOf(pieces, maxLen, preExcluded)
          const byExclude = indexOf(pieces, maxLen, preExcluded)
          for (const stream of streams) {
            byScan.scan(byScan.toIds(stream), (e) => {
              byScan.excluded[e] = 1
            })
            byExclude.exclude(byExclude.toIds(stream))
          }
          expect([...byExclude.excluded]).toEqual([...byScan.excluded])
        },
      ),
      {numRuns: 500},
    )
  })

  it('finds an entry that only a long run reaches, after its shorter neighbours are all excluded', () => {
    const index = indexOf([['alpha', 'beta', 'gamma', 'delta']], 4, [])
    index.exclude(index.toIds(['alpha', 'beta', 'gamma']))
    // Every entry but the ones holding "delta" is excluded now.
    const live = () => [...index.excluded].filter((x) => x === 0).length
    expect(live()).toBe(4)
    index.exclude(index.toIds(['alpha', 'beta', 'gamma', 'delta']))
    expect(live()).toBe(0)
  })
})

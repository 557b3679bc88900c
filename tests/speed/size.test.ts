/**
 * A paper's cost grows linearly with its size (issue "Speed and scale, second
 * step"). No timings here (the machine is shared): the parser's working set
 * is counted, and a paper of a few hundred kilobytes goes through the whole
 * build. `node scripts/bench.js --sizes` times the size series.
 */
import remarkDirective from 'remark-directive'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {generateBigPaper} from '../../scripts/gen-big-paper.js'
import remarkGfmPapers from '../../src/pipeline/gfm.js'
import {installPieces, pieceStarts, PIECE_SIZE} from '../../src/pipeline/pieces.js'
import {buildAt, content} from '../attacks/helpers.js'

describe('a long paper is parsed in bounded pieces, once', () => {
  const {text} = generateBigPaper({bytes: 1_000_000})

  it('every piece is small, whatever the paper size', () => {
    const starts = pieceStarts(text, PIECE_SIZE)
    expect(starts.length).toBeGreaterThan(100)
    const sizes = starts.map((start, i) => (starts[i + 1] ?? text.length) - start)
    // A piece runs to the first place a piece may start after PIECE_SIZE: a
    // paragraph and its table further on.
    expect(Math.max(...sizes)).toBeLessThan(PIECE_SIZE + 1000)
  })

  it('the parser reads each character once, and never more than a piece at a time', () => {
    const processor = unified().use(remarkParse).use(remarkGfmPapers).use(remarkDirective)
    const inPieces = installPieces(processor as never)
    processor.freeze()
    let read = 0
    let largest = 0
    const tree = inPieces(
      (piece) => {
        read += piece.length
        largest = Math.max(largest, piece.length)
        return processor.parse(piece)
      },
      text,
      new VFile(text)
    )
    expect(read).toBe(text.length)
    expect(largest).toBeLessThan(PIECE_SIZE + 1000)
    expect(tree.position?.end.offset).toBe(text.length)
  })
})

describe('a paper of 400 KB', () => {
  it('builds, with its withheld material removed', async () => {
    const {text, paragraphs} = generateBigPaper({bytes: 400_000, id: 'PCD 1'})
    const result = await buildAt(content({'large.md': text}))
    expect(result.ok).toBe(true)
    const paper = result.publicPapers[0]
    expect(paper.slug).toBe('pcd-1')
    // Every 25th paragraph names a person in a withheld span, every 100th is
    // followed by a withheld block.
    expect(paper.withheld).toBe(Math.floor(paragraphs / 25) + Math.floor(paragraphs / 100))
    expect(paper.html).not.toMatch(/benchmark day rate|Jordan Sample|Priya Okafor|Samuel Whitfield|Aisha Kowalski|Thomas Brennan/)
  }, 300_000)
})

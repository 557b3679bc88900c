/**
 * A long paper is parsed in pieces (src/pipeline/pieces.ts). The tree must be
 * the whole parse's, to the positions: checked with pieces as small as the
 * rule allows on every fixture, every CommonMark example, generated papers
 * and the cases where a piece could end inside something still open.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {both, parse} from '../helpers/pieces.js'
import {generateBigPaper} from '../../scripts/gen-big-paper.js'
import {generatePaper} from '../../scripts/gen-corpus.js'
import {pieceStarts} from '../../src/pipeline/pieces.js'

const require = createRequire(import.meta.url)
const spec = require('commonmark-spec') as {tests: Array<{markdown: string; number: number}>}

function fixtures(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...fixtures(file))
    else if (entry.name.endsWith('.md')) out.push(file)
  }
  return out
}

describe('parsing in pieces gives the whole parse', () => {
  it('every fixture, in the smallest pieces', () => {
    const files = fixtures(path.resolve(import.meta.dirname, '..', 'fixtures'))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const {whole, pieces} = both(fs.readFileSync(file, 'utf8'))
      expect(pieces, file).toEqual(whole)
    }
  })

  it('every CommonMark example alone, and all of them in one document', () => {
    for (const example of spec.tests) {
      const {whole, pieces} = both(example.markdown)
      expect(pieces, `example ${example.number}`).toEqual(whole)
    }
    const all = spec.tests.map((example) => example.markdown).join('\n\n')
    const {whole, pieces, starts} = both(all)
    expect(starts.length).toBeGreaterThan(100)
    expect(pieces).toEqual(whole)
    // The same with the examples in another order (other neighbours).
    const reversed = spec.tests.map((example) => example.markdown).reverse().join('\n\n')
    const again = both(reversed)
    expect(again.pieces).toEqual(again.whole)
  })

  it('generated papers', () => {
    for (let i = 0; i < 8; i++) {
      const {whole, pieces, starts} = both(generatePaper(i).text, 200)
      expect(starts.length).toBeGreaterThan(3)
      expect(pieces).toEqual(whole)
    }
    const big = generateBigPaper({bytes: 60_000}).text
    const {whole, pieces, starts} = both(big, 4000)
    expect(starts.length).toBeGreaterThan(5)
    expect(pieces).toEqual(whole)
  })

  const cases: Record<string, string> = {
    'reference before its definition, pieces apart': '[a] and [b][] and [^n]\n\nText.\n\nMore text.\n\n[a]: /one\n[b]: /two "Title"\n\n[^n]: A note.\n',
    'definition before its reference': '[a]: /one\n\nText [a].\n\nText [^x].\n\n[^x]: Note.\n\nText [a][].\n',
    'a label that is not defined anywhere': 'Text [a] and [^b].\n\nMore [c][].\n\n[d]: /x\n',
    'labels that only look like definitions': 'Text\n\n> [a]: /x\n\n```\n[b]: /y\n```\n\n[a] [b]\n\nEnd [a].\n',
    'multi-line and escaped labels': '[a\nb]: /x\n\nSee [a b].\n\n[c\\]d]: /y\n\nSee [c\\]d].\n\nSee [A  B].\n',
    'case and spacing in labels': '[Foo Bar]: /x\n\nSee [foo   bar].\n\nSee [FOO BAR][].\n\n[^Note 1]: x\n\nSee [^note 1].\n',
    'unclosed fence': 'Text\n\n```\ncode\n\nnot text\n\n# not a heading\n',
    'unclosed fence in a list item': '- ```\n  code\n\nText\n\nMore\n',
    'fence in a quote': '> ```\n> code\n\nText\n\nMore\n',
    'html comment over blank lines': 'Text\n\n<!--\n\nhidden\n\nHidden too\n\n-->\n\nText\n',
    'raw html block kinds': 'A\n\n<pre>\n\nB\n\n</pre>\n\nC\n\n<div>\nD\n\nE\n\n<script>\n\nF\n\n</script>\nG\n',
    'directive blocks': 'Text\n\n:::official-sensitive{exemptions="s43"}\nA\n\nB\n\n:::\n\nC\n\n::::official-sensitive\n:::official-sensitive\nD\n\n:::\n\nE\n::::\n\nF\n\n:::official-sensitive\nunclosed\n\nG\n',
    'lists that continue after blank lines': '- a\n\n- b\n\nc\n\n1. d\n\n2. e\n\nf\n\n10) g\n\n11) h\n\ni\n',
    'indented code and lazy lines': '    code\n\n    more\n\nText\n\n> quote\nlazy\n\nText\n',
    'setext headings and thematic breaks': 'Heading\n=======\n\nText\n\nOther\n-----\n\nA\n\n***\n\nB\n\n---\n\nC\n',
    'tables': '| a | b |\n|---|---|\n| 1 | 2 |\n\nText\n\n| c |\n|---|\n\nD\n',
    'footnote definitions with paragraphs': '[^1]: First\n\n    more of it\n\nText[^1]\n\n[^2]:\n\nText[^2]\n',
    'tabs and a byte order mark in the middle': 'A\n\n\tcode\n\nB\tc\n\n\ufeffD\n\nE\n',
    'spans and emphasis': 'A :official-sensitive[x]{exemptions="s40"} b _c_ **d** [e](f)\n\nG ~~h~~ `i`\n\nJ\n',
    'no final line ending': 'A\n\nB\n\nC',
    'definitions inside a withheld block': 'See [a] and [^n].\n\n:::official-sensitive{exemptions="s43"}\n[a]: /x\n\n[^n]: Note\n:::\n\nAfter [a] and [^n].\n\nEnd.\n'
  }
  for (const [name, document] of Object.entries(cases)) {
    it(name, () => {
      for (const variant of [document, document.repeat(3), document + '\n' + document]) {
        const {whole, pieces} = both(variant)
        expect(pieces).toEqual(whole)
      }
    })
  }

  it('splits only where a piece may start', () => {
    expect(pieceStarts('a\n\nb\n\nc\n', 1)).toEqual([0, 3, 6])
    // After no blank line, at a list marker, indented, or at `:`: no piece starts.
    expect(pieceStarts('a\nb\n\n- c\n\n1. d\n\n  e\n\n:::\n\n>f\n', 1)).toEqual([0])
    // A number that is not a list marker, a heading.
    expect(pieceStarts('a\n\n1.2. b\n\n# c\n', 1)).toEqual([0, 3, 11])
    // Short papers are parsed whole.
    expect(pieceStarts('a\n\nb\n', 1000)).toEqual([0])
  })
})

/**
 * Issue 9, section 6: nesting has a limit. At most 32 levels of quotes,
 * lists, footnote definitions, sensitive blocks and spans, emphasis, strong,
 * strikethrough and links inside one another; a 33rd is `nesting-too-deep`
 * at the node that goes too deep. Thousands of levels are refused just as
 * quickly, before the parser sees them (never a stack overflow, exit 70, or
 * minutes of work).
 */
import {describe, expect, it} from 'vitest'
import {MAX_DEPTH, SCAN_LIMIT, scanSource} from '../../src/pipeline/limits.js'
import {errors, expectPublic, expectRefused, paper, published} from './helpers.js'

const FIRST = 7 // the first body line, after the six lines of frontmatter

/** Builders: `depth` levels of one kind of nesting, holding `zkinner` at the bottom. */
const kinds: Record<string, (depth: number) => string> = {
  'quotes on one line': (d) => '>'.repeat(d) + ' zkinner\n',
  'quotes over lines': (d) => Array.from({length: d}, (_, i) => '> '.repeat(i + 1) + 'level').join('\n\n') + ' zkinner\n',
  'bullet lists on one line': (d) => '- '.repeat(d) + 'zkinner\n',
  'ordered lists on one line': (d) => '1. '.repeat(d) + 'zkinner\n',
  'lists by indentation': (d) => Array.from({length: d}, (_, i) => '  '.repeat(i) + '- level').join('\n') + ' zkinner\n',
  'footnote definitions': (d) => 'See.[^n1]\n\n' + Array.from({length: d}, (_, i) => `[^n${i + 1}]: `).join('') + 'zkinner\n',
  'sensitive blocks': (d) =>
    Array.from({length: d}, (_, i) => ':'.repeat(d + 2 - i) + 'official-sensitive{exemptions="s43"}').join('\n') + '\nzkinner\n' + Array.from({length: d}, (_, i) => ':'.repeat(3 + i)).join('\n') + '\n\nPublic.\n',
  'sensitive spans': (d) => 'A ' + ':official-sensitive['.repeat(d) + 'zkinner' + ']{exemptions="s40"}'.repeat(d) + '.\n',
  'strong emphasis': (d) => 'A ' + '**'.repeat(d) + 'zkinner' + '**'.repeat(d) + '.\n',
  'emphasis and strong by words': (d) => 'A ' + Array.from({length: d}, (_, i) => (i % 2 ? '_' : '*') + 'w ').join('') + 'zkinner' + Array.from({length: d}, (_, i) => ' w' + ((d - 1 - i) % 2 ? '_' : '*')).join('') + '.\n',
  strikethrough: (d) => 'A ' + '~~a '.repeat(d) + 'zkinner' + '~~ c'.repeat(d) + '.\n',
  'mixed: list, quote, block, emphasis, link, span': (d) => {
    // Each round adds six levels: a list, a quote, a block (in its own
    // container, so they close), emphasis, strong, a link and a span inline.
    const rounds = Math.floor(d / 3)
    let prefix = ''
    const lines: string[] = []
    for (let i = 0; i < rounds; i++) {
      lines.push(prefix + '- level')
      prefix += '  '
      lines.push(prefix + '> quoted')
      prefix += '> '
    }
    const inline = d - 2 * rounds
    const open = Array.from({length: inline}, (_, i) => ['*', '[', ':official-sensitive['][i % 3]).join('')
    const close = Array.from({length: inline}, (_, i) => ['*', '](https://example.org)', ']{exemptions="s40"}'][(inline - 1 - i) % 3]).join('')
    lines.push(prefix + 'x ' + open + 'zkinner' + close + ' y')
    return lines.join('\n') + '\n'
  }
}

describe(`nesting up to ${MAX_DEPTH} levels`, () => {
  for (const [kind, make] of Object.entries(kinds)) {
    it(`${kind}: ${MAX_DEPTH} levels are fine`, () => {
      const outcome = paper(make(MAX_DEPTH))
      expect(errors(outcome)).not.toContain('nesting-too-deep')
      if (outcome.status === 'public') expect(published(outcome).length).toBeGreaterThan(0)
    })

    it(`${kind}: ${MAX_DEPTH + 1} levels are refused, at the node too deep`, () => {
      const outcome = paper(make(MAX_DEPTH + 1))
      expectRefused(outcome, 'nesting-too-deep')
      const message = outcome.messages.find((m) => m.ruleId === 'nesting-too-deep')!
      expect(message.line).toBeGreaterThanOrEqual(FIRST)
    })

    it(`${kind}: thousands of levels are refused quickly, without a crash`, () => {
      const outcome = paper(make(2000))
      expectRefused(outcome, 'nesting-too-deep')
      expect(errors(outcome)).not.toContain('paper-unprocessable')
    }, 5_000)
  }

  it('the error points at the line and column of the first level too deep', () => {
    const outcome = paper('Intro.\n\n' + '>'.repeat(MAX_DEPTH + 1) + ' x\n')
    expectRefused(outcome, 'nesting-too-deep', FIRST + 2)
    expect(outcome.messages.find((m) => m.ruleId === 'nesting-too-deep')!.column).toBe(MAX_DEPTH + 1)
  })

  it('a real paper nests nowhere near the limit', () => {
    const body = [
      '## Decision',
      '',
      '- The Deputy Mayor **approves** the [contract](https://example.org), with *a _small_ change*:',
      '  1. first',
      '     > a quote with :official-sensitive[a name]{exemptions="s40"} in it',
      '',
      ':::official-sensitive{exemptions="s43"}',
      '- withheld _list_',
      ':::'
    ].join('\n')
    expectPublic(paper(body + '\n'))
  })
})

describe('the scan before parsing', () => {
  it('refuses far deeper nesting, with a position, in linear time', () => {
    const deep = (text: string) => scanSource(text)
    expect(deep('>'.repeat(100_000))).toMatchObject({line: 1, column: SCAN_LIMIT + 1})
    expect(deep('a\n\n' + '- '.repeat(100_000) + 'x')).toMatchObject({line: 3})
    expect(deep('1) '.repeat(100_000))).toMatchObject({line: 1})
    expect(deep('[^a]: '.repeat(100_000))).toMatchObject({line: 1})
    expect(deep('['.repeat(100_000) + ']'.repeat(100_000))).toBeDefined()
    expect(deep('!['.repeat(50_000) + '](u)'.repeat(50_000))).toBeDefined()
    expect(deep('*'.repeat(100_000) + 'a' + '*'.repeat(100_000))).toBeDefined()
    expect(deep(Array.from({length: 100}, () => ':::official-sensitive').join('\n'))).toBeDefined()
  }, 5_000)

  it('lets through what only looks deep', () => {
    // A thematic break, unmatched brackets, a single long run of stars,
    // closed blocks one after another, emphasis in sequence.
    expect(scanSource('- '.repeat(10_000) + '-')).toBeUndefined()
    expect(scanSource('* '.repeat(10_000))).toBeUndefined()
    expect(scanSource('['.repeat(100_000))).toBeUndefined()
    expect(scanSource(']'.repeat(100_000))).toBeUndefined()
    expect(scanSource('*'.repeat(100_000))).toBeUndefined()
    expect(scanSource('*a* '.repeat(10_000))).toBeUndefined()
    expect(scanSource(':::official-sensitive\nx\n:::\n'.repeat(1_000))).toBeUndefined()
    expect(scanSource('[a](b) [c][d] '.repeat(10_000))).toBeUndefined()
  })
})

/**
 * Issue 9, section 6: no input hangs the build. A run of 10,000 of any single
 * character at the start, in the middle and at the end of a paper, and in
 * frontmatter values, is processed quickly (each case has a 5 s timeout: the
 * test must not hang; no timing is asserted), never crashes, and never
 * publishes the paper's withheld canary. The regular expressions applied to
 * paper text were audited for super-linear backtracking; these are the
 * inputs that found the cubic and quadratic ones.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {findMarking, foldForChecks, hasSensitiveSyntax} from '../../src/content/markings.js'
import {errors, expectSafe, paper} from './helpers.js'

const N = 10_000
// The characters, in every place; others that open or close a
// construct, at the start, middle and end and in the frontmatter.
const CHARS = [':', '[', '*', '>', '-', ' ', '`', '{', '<', '\\']
const MORE = [']', '}', '_', '~', '|', '!', '(', '#', '&', '\n']
const EVERYWHERE = new Set(CHARS)

const fm = (title: string, summary: string) => `---
id: PCD 1
title: ${JSON.stringify(title)}
date: "2019-06-20"
classification: OFFICIAL
summary: ${JSON.stringify(summary)}
tags: [${JSON.stringify(title)}]
---
`

const SECRET = 'zkrunsecret1'
const span = `:official-sensitive[${SECRET}]{exemptions="s40"}`
const block = `:::official-sensitive{exemptions="s43"}\n${SECRET} block\n:::`

function places(run: string): Record<string, string> {
  return {
    start: fm('T', 'S') + run + `\n\nText ${span}.\n\n${block}\n`,
    middle: fm('T', 'S') + `Text ${span} ${run} more\n\n${block}\n`,
    'middle of a line after a block': fm('T', 'S') + `${block}\n\nx${run}x\n`,
    'end (no newline)': fm('T', 'S') + `${block}\n\nText ${span}.\n\n` + run,
    'in a list item': fm('T', 'S') + `- item ${run}\n- ${span}\n`,
    'in a quote': fm('T', 'S') + `> ${run}\n> ${span}\n`,
    'in a sensitive block': fm('T', 'S') + `:::official-sensitive{exemptions="s43"}\n${SECRET} ${run}\n:::\n`,
    'in a span label': fm('T', 'S') + `:official-sensitive[${SECRET} ${run}]{exemptions="s40"}\n`,
    'in link text': fm('T', 'S') + `[a ${span} ${run}](https://example.org)\n`,
    'in a table cell': fm('T', 'S') + `| a | b |\n| - | - |\n| ${run} | ${span} |\n`,
    'in fenced code': fm('T', 'S') + '```\n' + run + '\n```\n\n' + block + '\n'
  }
}

describe(`a run of ${N.toLocaleString('en-GB')} of one character`, () => {
  for (const c of [...CHARS, ...MORE]) {
    const run = c.repeat(N)
    for (const [where, text] of Object.entries(places(run))) {
      if (!EVERYWHERE.has(c) && !['start', 'middle', 'end (no newline)'].includes(where)) continue
      it(`${JSON.stringify(c)} ${where}`, () => {
        const outcome = paper(text, '')
        expect(errors(outcome)).not.toContain('paper-unprocessable')
        expectSafe(outcome, SECRET)
      }, 5_000)
    }
    for (const key of ['title', 'summary'] as const) {
      it(`${JSON.stringify(c)} in the frontmatter ${key}`, () => {
        const value = `Value ${run} end`
        const outcome = paper(`Body ${span}.\n`, key === 'title' ? fm(value, 'S') : fm('T', value))
        expect(errors(outcome)).not.toContain('paper-unprocessable')
        expectSafe(outcome, SECRET)
      }, 5_000)
    }
  }
})

describe('the bounded look-back of GFM footnote calls', () => {
  it('keeps `![^1]` a footnote call', () => {
    const outcome = paper('Text![^1] and more.\n\n[^1]: The note.\n', fm('T', 'S'))
    expect(errors(outcome)).toEqual([])
    expect(outcome.public!.html).toMatch(/<sup><a href="#user-content-fn-1"[^>]*>1<\/a><\/sup>/)
  })

  it(`handles ${N.toLocaleString('en-GB')} \`]\` after an \`![^\` in a paper with footnotes`, () => {
    const outcome = paper(`See ![^1 ${']'.repeat(N)} and ${span}.[^1]\n\n[^1]: The note.\n`, fm('T', 'S'))
    expectSafe(outcome, SECRET)
  }, 5_000)
})

describe('linear-time marking and syntax scans', () => {
  it('agree with the patterns they replace on lookalike-heavy text', () => {
    // The old patterns, which backtrack in cubic time on runs of colons, on
    // inputs small enough for them; the scans must give the same answers.
    const fuzzy = (w: string) => [...w].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}\\u0000]`).join('')
    const name = `${fuzzy('official')}[\\W_]*${fuzzy('sensitive')}`
    const syntax = new RegExp(`:+[\\s\\W_]*${name}`)
    const marking = new RegExp(name)
    const pieces = ['o', 'O', 'f', 'fficial', 'official', 'sensitive', 'SENSITIVE', ':', '::', ' ', '-', '_', '\u0000', 'é', 'x', 'ο', '\u2013', '\uff1a']
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    for (let i = 0; i < 20_000; i++) {
      let text = ''
      const length = Math.floor(random() * 14)
      for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)]
      // Both sides see the folded text the way the module folds it.
      const folded = foldForChecks(text).replace(/[^\x00-\x7f]/gu, (c) => (/\p{L}/u.test(c) ? '\u0000' : c))
      expect(hasSensitiveSyntax(text), JSON.stringify(text)).toBe(syntax.test(folded))
      expect(findMarking(text) !== undefined, JSON.stringify(text)).toBe(marking.test(folded) || /\b(?:TOP[\W_]+)?SECRET\b/.test(folded))
    }
  })

  it('fold plain ASCII to itself, as the full folding does', () => {
    // The fast path returns plain text as it is; the full folding (forced by
    // a letter with an accent, which it folds to the bare letter) must leave
    // the plain part as it is too.
    const plain = fc.string({unit: fc.oneof(fc.integer({min: 0x20, max: 0x7e}).map((c) => String.fromCharCode(c)), fc.constantFrom('\t', '\n', '\r'))})
    fc.assert(
      fc.property(plain, (text) => {
        expect(foldForChecks(text)).toBe(text)
        expect(foldForChecks(text + '\u00e9')).toBe(text + 'e')
      }),
      {numRuns: 2000}
    )
    // Controls other than tab and line ends are not plain: they are removed.
    expect(foldForChecks('a\u0000b\u007fc')).toBe('abc')
  })

  it('find the syntax after a long run of colons, spaces and wildcard letters', () => {
    expect(hasSensitiveSyntax(':'.repeat(50_000) + ' official-sensitive')).toBe(true)
    expect(hasSensitiveSyntax(':'.repeat(50_000) + ' official-sensitiv')).toBe(false)
    expect(hasSensitiveSyntax('\u0436'.repeat(8) + ':' + '\u0436'.repeat(17))).toBe(true)
    expect(hasSensitiveSyntax(': '.repeat(50_000) + '\u0416'.repeat(16))).toBe(false)
    expect(findMarking('official' + '-'.repeat(50_000))).toBeUndefined()
    expect(findMarking('OFFICIAL' + '_'.repeat(50_000) + 'SENSITIVE')).toBe('OFFICIAL' + '_'.repeat(50_000) + 'SENSITIVE')
  }, 5_000)
})

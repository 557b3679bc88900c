/**
 * Issue 9, section 6, for raw HTML: elements nested more than 64 deep in one
 * piece of raw HTML are `nesting-too-deep` at that HTML, never a stack
 * overflow reported as `paper-unprocessable` at line 1, whatever the
 * elements, their depth, or the container the HTML stands in.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {MAX_HTML_DEPTH} from '../../src/pipeline/raw-html.js'
import {errors, expectPublic, paper, published} from './helpers.js'

const FIRST = 7 // the first body line, after the six lines of frontmatter
const TAGS = ['div', 'span', 'b', 'i', 'em', 'strong', 'sub', 'sup', 'kbd', 'section', 'blockquote', 'ul', 'ol', 'li', 'p', 'table', 'tr', 'td', 'details', 'a', 'abbr', 'del', 'ins', 'svg', 'math', 'template', 'textarea', 'font', 'x-custom']

/** `depth` elements of `tags` (cycled), opened and (when `closed`) closed again, holding `zkinner`. */
function nested(tags: string[], depth: number, closed: boolean): string {
  const names = Array.from({length: depth}, (_, i) => tags[i % tags.length]!)
  return names.map((t) => `<${t}>`).join('') + 'zkinner' + (closed ? [...names].reverse().map((t) => `</${t}>`).join('') : '')
}

/** Where the HTML stands: a block of its own, inline in a paragraph, in a list item, a quote, a table cell. */
const places: Record<string, (html: string) => string> = {
  block: (html) => `Public before.\n\n${html}\n\nPublic after.\n`,
  inline: (html) => `Public before.\n\nText ${html} more.\n`,
  'list item': (html) => `Public before.\n\n- ${html}\n`,
  quote: (html) => `Public before.\n\n> ${html}\n`,
  'table cell': (html) => `Public before.\n\n| a |\n| - |\n| ${html} |\n`
}

describe('raw HTML nested too deep', () => {
  for (const [place, wrap] of Object.entries(places)) {
    it(`is nesting-too-deep at the HTML, not paper-unprocessable (${place})`, () => {
      // 10,000 overflows the HTML tree's converters (refused as it overflows); once is enough.
      for (const depth of place === 'block' ? [MAX_HTML_DEPTH + 40, 3_000, 10_000] : [MAX_HTML_DEPTH + 40, 3_000]) {
        const outcome = paper(wrap(nested(['div', 'span', 'b'], depth, true)))
        expect(errors(outcome)).toContain('nesting-too-deep')
        expect(errors(outcome)).not.toContain('paper-unprocessable')
        const message = outcome.messages.find((m) => m.ruleId === 'nesting-too-deep')!
        expect(message.line).toBeGreaterThan(FIRST)
        expect(published(outcome)).not.toContain('zkinner')
      }
    })
  }

  it('any elements, any depth beyond the limit, closed or not, in any place', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TAGS), {minLength: 1, maxLength: 4}), fc.integer({min: 100, max: 3_000}), fc.boolean(), fc.constantFrom(...Object.keys(places)), (tags, depth, closed, place) => {
        const outcome = paper(places[place]!(nested(tags, depth, closed)))
        const found = errors(outcome)
        // Some markup never nests (a `<td>` outside a table, `<textarea>` text, an implied `</p>`):
        // then the paper may pass, but never as a crash.
        expect(found).not.toContain('paper-unprocessable')
        if (found.length === 0) expect(published(outcome)).not.toBe('')
      }),
      {numRuns: 25}
    )
  })

  it('refuses nothing shallow: ordinary HTML tables and lists a paper uses', () => {
    expectPublic(paper(`Before.\n\n<table><tbody><tr><td><p><strong><a href="https://example.org/">Cell</a></strong></p></td></tr></tbody></table>\n\nAfter.\n`))
    expectPublic(paper(`Before.\n\n${nested(['div', 'ul', 'li'], 60, true)}\n\nAfter.\n`))
  })
})

/**
 * Frontmatter edge cases: a closing `---` with trailing spaces or tabs is a
 * closing line (accepted); anything else after the dashes is refused; an HTML
 * comment (an internal note) in any published value is refused, never shown.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {processSource} from '../../src/publish/process.js'

const paper = (frontmatter: string, closing = '---', body = 'Public text.\n') =>
  `---\n${frontmatter}${closing}\n\n${body}`
const base = 'id: PCD 1\ntitle: A title\ndate: "2020-01-01"\nclassification: OFFICIAL\n'
const run = (source: string) => processSource({path: 'content/x.md', relativePath: 'x.md', bytes: Buffer.from(source)})
const rules = (source: string) => run(source).messages.filter((m) => m.fatal).map((m) => m.ruleId)

describe('the closing frontmatter line', () => {
  it('accepts any run of spaces and tabs after the three dashes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\t'), {minLength: 0, maxLength: 12}), (spaces) => {
        const outcome = run(paper(base, '---' + spaces.join('')))
        expect(outcome.messages.filter((m) => m.fatal)).toEqual([])
        expect(outcome.status).toBe('public')
        expect(outcome.public?.markdown).toBe('Public text.\n')
      })
    )
  })

  it('refuses anything else after the dashes, at the closing line', () => {
    for (const closing of ['---x', '--- x', '---\t# note', '----', '--- OFFICIAL-SENSITIVE']) {
      const outcome = run(paper(base, closing))
      expect(outcome.status, closing).toBe('invalid')
      const message = outcome.messages.find((m) => m.ruleId === 'frontmatter-yaml')
      expect(message?.line, closing).toBe(6)
    }
  })
})

describe('HTML comments in published frontmatter values', () => {
  const canary = 'zkfmcomment7001'
  const places: Array<[string, string]> = [
    ['title', `title: "A title <!-- ${canary} -->"\n`],
    ['summary', `summary: "Summary <!-- ${canary} -->"\n`],
    ['decision_maker', `decision_maker: "Deputy Mayor <!-- ${canary} -->"\n`],
    ['tags', `tags: ["roads <!-- ${canary} -->"]\n`],
    ['tags (block list)', `tags:\n  - roads\n  - "<!-- ${canary} -->"\n`],
    ['summary (folded)', `summary: >\n  Summary\n  <!-- ${canary}\n  -->\n`],
    ['id', `id: "PCD 1 <!-- ${canary} -->"\n`]
  ]
  for (const [where, line] of places) {
    it(`refuses a comment in ${where}`, () => {
      const fm = where === 'id' ? base.replace('id: PCD 1\n', line) : where === 'title' ? base.replace('title: A title\n', line) : base + line
      const outcome = run(paper(fm))
      expect(outcome.status).toBe('invalid')
      expect(rules(paper(fm))).toContain('comment-in-frontmatter')
      expect(outcome.public).toBeUndefined()
    })
  }

  it('refuses a comment fragment wherever it sits in any published value (generated)', () => {
    fc.assert(
      fc.property(fc.constantFrom('title', 'summary', 'decision_maker'), fc.string({maxLength: 8}), fc.constantFrom('<!--', '-->', '<!-- x -->'), fc.string({maxLength: 8}), (key, before, comment, after) => {
        const value = JSON.stringify(`${before}${comment}${after}`)
        const fm = key === 'title' ? base.replace('title: A title\n', () => `title: ${value}\n`) : `${base}${key}: ${value}\n`
        expect(rules(paper(fm))).toContain('comment-in-frontmatter')
      })
    )
  })
})

describe('frontmatter nested absurdly deep', () => {
  const cases: Array<[string, string]> = [
    ['explicit keys', `${'? '.repeat(400)}a\n`],
    ['flow sequences', `x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`],
    ['flow mappings', `x: ${'{a: '.repeat(500)}b${'}'.repeat(500)}\n`],
    ['block mappings', Array.from({length: 200}, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' v\n']
  ]
  for (const [what, yaml] of cases) {
    it(`is refused at once, not processed for minutes: ${what}`, () => {
      const outcome = run(paper(base + yaml))
      expect(outcome.status).toBe('invalid')
      expect(outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId)).toContain('frontmatter-yaml')
    }, 5_000)
  }
})

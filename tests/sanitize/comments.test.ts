/**
 * An HTML comment is an internal note wherever it stands in the body. A
 * comment read as one is removed; comment-like text that would be published
 * (in code, in raw HTML that reads it as text, in an attribute, written with
 * entities, never closed) is refused at its place. Random papers place
 * comments, each holding its own canary, in every kind of code, raw HTML
 * element and container: each paper is either refused with a comment rule at
 * the comment's lines, or public with no canary in any public field and
 * every public word kept.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {processPaper} from '../../src/publish/process.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'
import {COMMENT_RULES, FM, containers, forms, kinds, placement, render} from './places.js'

const NOW = new Date('2026-01-01T00:00:00Z')

const run = (body: string): PaperOutcome => processPaper({path: 'x.md', relativePath: 'x.md', bytes: Buffer.from(FM + body)}, NOW)
const fatal = (outcome: PaperOutcome) => outcome.messages.filter((m) => m.fatal)
const publicText = (outcome: PaperOutcome) => JSON.stringify(outcome.public ?? {}).toLowerCase()

describe('HTML comments (internal notes) in the body', () => {
  it('random placements: refused with a comment rule at the comment, or published without it', () => {
    fc.assert(
      fc.property(fc.array(placement, {minLength: 1, maxLength: 3}), (placements) => {
        const {body, spans, publics} = render(placements)
        const outcome = run(body)
        const errors = fatal(outcome)
        if (outcome.status === 'invalid') {
          expect(errors.length, body).toBeGreaterThan(0)
          for (const error of errors) expect(COMMENT_RULES, `${error.ruleId} ${error.reason}\n${body}`).toContain(error.ruleId)
        } else {
          const text = publicText(outcome)
          for (const {canary} of spans) expect(text, `${canary} published from:\n${body}`).not.toContain(canary)
          for (const pub of publics) expect(text, `${pub} lost from:\n${body}`).toContain(pub)
        }
        // A placement that must be refused is refused at its own lines.
        for (const span of spans) {
          const expected = kinds[span.placement.kind].refused
          if (!expected) continue
          const here = errors.filter((e) => e.line !== undefined && e.line >= span.from && e.line <= span.to && expected.includes(e.ruleId!))
          expect(here.length, `${span.placement.kind} in ${span.placement.container} (form ${span.placement.form}) not refused at ${span.from}-${span.to}: ${JSON.stringify(errors)}\n${body}`).toBeGreaterThan(0)
        }
      }),
      {numRuns: 400, seed: 20261201}
    )
  })

  it('every kind in every container, one at a time', () => {
    for (const [kindName, kind] of Object.entries(kinds)) {
      for (const [containerName, container] of Object.entries(containers)) {
        if (container.inline && !kind.inline) continue
        forms.forEach((form, index) => {
          const canary = `zkeach${index}`
          const body = `Before.\n\n${container.wrap(kind.make(form(canary)))}\n\nAfter zpafter.\n`
          const outcome = run(body)
          const where = `${kindName} in ${containerName}, form ${index}:\n${body}`
          if (kind.refused) {
            expect(outcome.status, where).toBe('invalid')
            expect(fatal(outcome).some((m) => kind.refused!.includes(m.ruleId!)), `${where}\n${JSON.stringify(fatal(outcome))}`).toBe(true)
          } else if (outcome.status === 'invalid') {
            for (const m of fatal(outcome)) expect(COMMENT_RULES, where).toContain(m.ruleId)
          } else {
            expect(publicText(outcome), where).not.toContain(canary)
            expect(publicText(outcome), where).toContain('zpafter')
          }
        })
      }
    }
  })
})

describe('comment rules, one by one', () => {
  const refusedWith = (body: string, rule: string, line?: number) => {
    const outcome = run(body)
    expect(outcome.status, body).toBe('invalid')
    const match = fatal(outcome).find((m) => m.ruleId === rule)
    expect(match, `${body}\n${JSON.stringify(fatal(outcome))}`).toBeDefined()
    if (line !== undefined) expect(match!.line).toBe(line + FM.split('\n').length - 1)
  }

  it('a comment in a fenced code block (comment-in-code at the block)', () => refusedWith('Text.\n\n```html\n<p>x</p>\n<!-- zkcode1 -->\n```\n', 'comment-in-code', 3))
  it('a comment in an indented code block', () => refusedWith('Text.\n\n    <!-- zkcode2 -->\n', 'comment-in-code', 3))
  it('an arrow in code is a comment fragment', () => refusedWith('Use `a --> b` here.\n', 'comment-in-code', 1))
  it('a comment in inline code', () => refusedWith('Text `<!-- zkcode3 -->`.\n', 'comment-in-code', 1))
  it('a comment in a textarea (RCDATA)', () => refusedWith('Text.\n\n<textarea>\n<!-- zkhtml1 -->\n</textarea>\n', 'comment-in-html', 4))
  it('a comment in an inline title', () => refusedWith('Text <title><!-- zkhtml2 --></title>.\n', 'comment-in-html', 1))
  it('a comment in a style element (raw text)', () => refusedWith('<style>\n<!-- zkhtml3 -->\n</style>\n', 'comment-in-html', 2))
  it('a comment in a script element, even though the script goes', () => refusedWith('<script><!-- zkhtml4 --></script>\n', 'comment-in-html', 1))
  it('a comment in an attribute', () => refusedWith('<abbr title="&lt;!-- zkhtml5 --&gt;">x</abbr>\n', 'comment-in-html', 1))
  it('a comment written with entities in raw HTML', () => refusedWith('<p>&lt;!-- zkhtml6 --&gt;</p>\n', 'comment-in-html', 1))
  it('a comment written with entities in Markdown text', () => refusedWith('Text &lt;!-- zkent1 --&gt; more.\n', 'comment-unparsed', 1))
  it('a comment block never closed, which would hide the rest', () => refusedWith('Text.\n\n<!-- note zkopen1\n\nPublic text hidden.\n', 'comment-unclosed', 3))
  it('a comment block closed with --!>', () => refusedWith('Text.\n\n<!-- note --!> zkbang1\n', 'comment-unparsed', 3))

  it('removes comments read as comments, in every container, keeping the text around', () => {
    const body = '<!-- zkrm1 -->\n\nText <!-- zkrm2 --> kept.\n\n- item <!-- zkrm3 -->\n\n> quote\n> <!-- zkrm4 -->\n\n| a |\n| --- |\n| x <!-- zkrm5 --> |\n\n<div><!-- zkrm6 -->div text</div>\n\n<noscript><!-- zkrm7 --></noscript><template><!-- zkrm8 --></template>\n\nNote.[^1]\n\n[^1]: Footnote <!-- zkrm9 --> text.\n'
    const outcome = run(body)
    expect(fatal(outcome)).toEqual([])
    const text = publicText(outcome)
    expect(text).not.toMatch(/zkrm\d/)
    for (const word of ['kept', 'item', 'quote', 'div text', 'footnote']) expect(text).toContain(word)
  })
})

/**
 * Issue 9, section 10: fewer false refusals, no less safety.
 *
 * (a) A withheld span in the text of a link: the span is withheld, the rest
 *     of the link text and the link are published. It was refused because
 *     the `]` that ends the link text counted as a `]` with no `[` after the
 *     span (`directive-label-early`); in a link the check now runs to the end
 *     of the link text, then from the end of the link.
 * (b) Directive syntax shown in a fenced code block (a paper documenting it)
 *     stays refused: a real withheld block turned into code by two
 *     forgotten fences reads exactly the same (see README).
 *
 * Each allowance is attacked: the canary must never appear.
 */
import {describe, expect, it} from 'vitest'
import {errors, expectPublic, expectRefused, expectSafe, paper, published} from './helpers.js'

const FM_PART2 = `---
id: PCD 1
title: Title
date: "2019-06-20"
classification: OFFICIAL
part2:
  exemptions: [s43]
---
`

describe('(a) a withheld span in the text of a link', () => {
  it('is withheld; the rest of the link is published', () => {
    const outcome = paper('[letter from :official-sensitive[Jane Smith zk1]{exemptions="s40"} about parking](https://example.org/letter)\n')
    expectPublic(outcome)
    const md = outcome.public!.markdown
    expect(md).toContain('letter from')
    expect(md).toContain('about parking')
    expect(md).toContain('https://example.org/letter')
    expect(md).toContain('withheld under section 40 of the Freedom of Information Act 2000 (personal information)')
    expect(published(outcome)).not.toContain('zk1')
    expect(outcome.public!.html).toMatch(/<a href="https:\/\/example.org\/letter">letter from <span class="mopac-withheld-inline"[^>]*>\[withheld<span class="govuk-visually-hidden"> under section 40 [^<]*<\/span>\]<\/span> about parking<\/a>/)
  })

  const allowed: Record<string, string> = {
    'reference link': '[letter from :official-sensitive[Jane zk1]{exemptions="s40"}][ref]\n\n[ref]: https://example.org\n',
    'two spans and emphasis': '[a :official-sensitive[zk1]{exemptions="s40"} *b* :official-sensitive[zk2]{exemptions="s43"} c](https://example.org)\n',
    'span last in the link text, default ground': '[letter from :official-sensitive[Jane zk1]](https://example.org)\n',
    'span with brackets inside it': '[memo :official-sensitive[Jane \\[zk1\\] Smith]{exemptions="s40"} here](https://example.org)\n',
    'span with a code span inside it': '[memo :official-sensitive[the `x` zk1]{exemptions="s40"} here](https://example.org)\n',
    'link in a list item and a table': '- [a :official-sensitive[zk1]{exemptions="s40"} b](https://example.org)\n\n| x |\n| - |\n| [a :official-sensitive[zk2]{exemptions="s40"} b](https://example.org) |\n'
  }
  for (const [what, body] of Object.entries(allowed)) {
    it(`also in a ${what}`, () => {
      const outcome = paper(body, FM_PART2)
      expectPublic(outcome)
      for (const canary of body.match(/zk\d/g)!) expect(published(outcome)).not.toContain(canary)
    })
  }

  // Attacks: a label that ended early inside link text, whatever closes it.
  const attacks: Record<string, string> = {
    'code-span ] then the link closes': '[see :official-sensitive[the `a]` zk1](https://example.org)\n',
    'code-span ] then more text': '[see :official-sensitive[the `a]` zk1] more](https://example.org)\n',
    'autolink ]': '[see :official-sensitive[<https://x.example/a]> zk1](https://example.org)\n',
    'HTML attribute ]': '[see :official-sensitive[<span title="]">zk1</span>](https://example.org)\n',
    'link destination ]': '[see :official-sensitive[[memo](https://x.example/a]) zk1](https://example.org)\n',
    'stray ] in the label': '[see :official-sensitive[Acme] Holdings zk1] more](https://example.org)\n',
    'braces after the link text': '[see :official-sensitive[the `a]` zk1]{exemptions="s40"}](https://example.org)\n',
    'reference link, code-span ]': '[see :official-sensitive[the `a]` zk1][ref]\n\n[ref]: https://example.org\n',
    'after the link, unbalanced ]': '[see :official-sensitive[x]{exemptions="s40"}](https://example.org) zk1]\n',
    'image alt text': '![see :official-sensitive[zk1]{exemptions="s40"}](https://example.org/a.png)\n',
    'link title': '[see](https://example.org ":official-sensitive[zk1]{exemptions=\\"s40\\"}")\n'
  }
  for (const [what, body] of Object.entries(attacks)) {
    it(`attack: ${what}`, () => expectSafe(paper(body, FM_PART2), 'zk1'))
  }
})

const fence = '```'

describe('(b) directive syntax shown in a fenced code block stays refused', () => {
  // Why (README, "Content format"): which fence lines pair up cannot be
  // decided from the text. An author who forgets one closing fence above a
  // real withheld block, and another below it, turns the withheld block into
  // an ordinary, top-level, properly closed code block holding balanced
  // `:::` lines: exactly what a paper documenting the syntax would write.
  // Nothing in the text tells the two apart, so syntax in code is refused.
  const documenting = [
    'To withhold a section, write:',
    '',
    fence + 'markdown',
    ':::official-sensitive{exemptions="s43"}',
    '## Part 2 business case zk1',
    ':::',
    fence,
    ''
  ].join('\n')
  const twoForgottenFences = [
    fence + 'sh',
    'npm run build',
    '', // the closing fence was forgotten here
    ':::official-sensitive{exemptions="s43"}',
    'Supplier zk1',
    ':::',
    fence, // meant to open a code block, closes the first one
    '',
    'more code', // and its closing fence was forgotten too
    ''
  ].join('\n')

  it('the two read the same: both refused', () => {
    for (const body of [documenting, twoForgottenFences]) {
      const outcome = paper(body)
      expectSafe(outcome, 'zk1')
      expectRefused(outcome, 'directive-unparsed')
      expectRefused(outcome, 'directive-stray-fence')
    }
  })

  const cases: Record<string, [string, string]> = {
    'with no language named': [fence + '\n:::official-sensitive{exemptions="s43"}\nzk1\n:::\n' + fence + '\n', 'directive-stray-fence'],
    'with tildes': ['~~~text\n::::official-sensitive{exemptions="s43"}\n:::official-sensitive{exemptions="s40"}\nzk1\n:::\n::::\n~~~\n', 'directive-stray-fence'],
    'a span': [fence + 'md\nThe lead, :official-sensitive[zk1]{exemptions="s40"}, manages it.\n' + fence + '\n', 'directive-unparsed'],
    'in a list item': ['- example:\n\n  ' + fence + 'md\n  :::official-sensitive{exemptions="s43"}\n  zk1\n  :::\n  ' + fence + '\n', 'directive-stray-fence'],
    'in a quote': ['> ' + fence + 'md\n> :::official-sensitive{exemptions="s43"}\n> zk1\n> :::\n> ' + fence + '\n', 'directive-stray-fence'],
    'in a footnote': ['See.[^1]\n\n[^1]: Note.\n\n    ' + fence + 'md\n    :::official-sensitive{exemptions="s43"}\n    zk1\n    :::\n    ' + fence + '\n', 'directive-stray-fence'],
    'indented code': ['    :::official-sensitive{exemptions="s43"}\n    zk1\n    :::\n', 'directive-stray-fence'],
    'inline code': ['Write `:official-sensitive[zk1]{exemptions="s40"}` inline.\n', 'directive-unparsed'],
    'lookalike colons': [fence + 'md\n\uff1a\uff1a\uff1aofficial-sensitive{exemptions="s43"}\nzk1\n\uff1a\uff1a\uff1a\n' + fence + '\n', 'directive-stray-fence']
  }
  for (const [what, [body, rule]] of Object.entries(cases)) {
    it(what, () => {
      const outcome = paper(body)
      expectSafe(outcome, 'zk1')
      expectRefused(outcome, rule)
    })
  }

  // A `:::` in code inside a withheld block ends the block early; the rest
  // must never be published.
  const attacks: Record<string, string> = {
    'a block closed early by its own code block': [':::official-sensitive{exemptions="s43"}', fence + 'md', ':::', fence, 'zk1', ':::', ''].join('\n'),
    'a block closed early in HTML': [':::official-sensitive{exemptions="s43"}', '<pre>', ':::', 'zk1', '</pre>', ':::', ''].join('\n'),
    'a list item block closed by a fence in its code': ['- :::official-sensitive{exemptions="s43"}', '  secret', '  ' + fence + 'md', '  :::', '  ' + fence, '  zk1', '  :::', ''].join('\n')
  }
  for (const [what, body] of Object.entries(attacks)) {
    it(`attack: ${what}`, () => expectSafe(paper(body), 'zk1'))
  }

  it('code without the syntax is fine, closed or not', () => {
    expectPublic(paper(fence + 'sh\nnpm run build\n' + fence + '\n\n' + fence + '\nnever closed\n'))
    expectPublic(paper(':::official-sensitive{exemptions="s43"}\n' + fence + '\ncode zk1\n' + fence + '\n:::\n'))
  })
})

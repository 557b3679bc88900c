/**
 * Sensitive material: blocks in odd containers and line endings, and
 * internal frontmatter values (deferral.reason, part2.review: "internal,
 * never published").
 */
import {describe, expect, it} from 'vitest'
import {buildAndVerify, buildAt, content, expectNoCanary, expectRefused, paper} from './helpers.js'

const P2 = 'part2:\n  exemptions: [s43]\n'
const one = (body: string, extra = P2) => content({'a.md': paper('PCD 1', extra, body)})
const S = ':::official-sensitive{exemptions="s43"}'

describe('(was a hole) a YAML alias copies an internal value into a public field', () => {
  // `reason: &r ...` then `summary: *r` publishes deferral.reason in the page,
  // feed, JSON, CSV and search; `review: &v "2031-07-19"` then `tags: [*v]`
  // publishes part2.review as a tag page. Neither line objects (verify reads
  // the alias as public summary text). Anchors and aliases in frontmatter
  // are now refused (frontmatter-yaml).
  it('deferral.reason via summary: *r', async () => {
    const dir = one('Public body.\n', 'deferral:\n  until: "2024-01-01"\n  reason: &r Awaiting zqcodename supplier notification\nsummary: *r\n')
    const r = await buildAt(dir)
    expectNoCanary(r, ['zqcodename'])
  })
  it('part2.review via tags: [*v]', async () => {
    const dir = one('Public body.\n', 'part2:\n  exemptions: [s43]\n  review: &v "2031-07-19"\ntags: [*v]\n')
    const r = await buildAt(dir)
    expectNoCanary(r, ['2031-07-19'])
  })
  it('is refused: anchors and aliases are not allowed in frontmatter', async () => {
    const r = await buildAt(one('Public body.\n', 'deferral:\n  until: "2024-01-01"\n  reason: &r Awaiting zqcodename supplier notification\nsummary: *r\n'))
    expect(r.ok).toBe(false)
    expect(r.outcomes.flatMap((o) => o.messages).filter((m) => m.fatal).map((m) => m.ruleId)).toContain('frontmatter-yaml')
  })
})

describe('held: blocks end only on their own closing line', () => {
  const published: Record<string, string> = {
    CRLF: `Intro.\r\n\r\n${S}\r\nzqs1 secret\r\n:::\r\n\r\nAfter.\r\n`,
    'CR only': `Intro.\r\r${S}\rzqs1 secret\r:::\r\rAfter.\r`,
    'U+2028 inside, closed later': `${S}\nzqs1 secret\u2028:::\nmore zqs1\n:::\n`,
    'in a list item, tabs': `-\t${S}\n\tzqs1\n\t:::\n`,
    'ordered list with )': `1) ${S}\n   zqs1\n   :::\n`,
    'quote without space': `>${S}\n>zqs1\n>:::\n`,
    'setext heading inside': `${S}\nzqs1 heading\n===\n:::\n`,
    'setext --- inside': `${S}\nzqs1\n---\n:::\n`,
    'table inside': `${S}\n| a | b |\n|---|---|\n| zqs1 | y |\n:::\n`,
    'HTML block with a blank line inside': `${S}\n<custom>\nzqs1\n\n:::\n`,
    'list in a footnote': `x[^1]\n\n[^1]: - item\n      ${S}\n      zqs1\n      :::\n`,
    '$$ around': `$$\n${S}\nzqs1\n:::\n$$\n`,
    'closing line with trailing tab': `${S}\nzqs1\n:::\t\n`,
    'single-quoted exemptions': `:::official-sensitive{exemptions='s43'}\nzqs1\n:::\n`,
    'span across a soft break': 'Name :official-sensitive[zqs1\nzqs1]{exemptions="s40"} end.\n',
    'span in a heading': '# Head :official-sensitive[zqs1]{exemptions="s40"}\n',
    'span in a table header': '| :official-sensitive[zqs1]{exemptions="s40"} | b |\n|---|---|\n| c | d |\n'
  }
  for (const [what, body] of Object.entries(published)) {
    it(`published without the canary: ${what}`, async () => {
      const r = await buildAt(one(body))
      expect(r.ok).toBe(true)
      expectNoCanary(r, ['zqs1'])
    })
  }
  const refused: Record<string, [string, string]> = {
    'U+2028 as the line ends': [`${S}\u2028zqs1 secret\u2028:::\n\nAfter.`, 'directive-unparsed'],
    'NEL before the closing colons': [`${S}\nzqs1 secret\u0085:::\n\nAfter.`, 'directive-unclosed'],
    'form feed before the closing colons': [`${S}\nzqs1\n\f:::\n`, 'directive-unclosed'],
    'tab-indented closing line': [`${S}\nzqs1\n\t:::\n`, 'directive-unclosed'],
    'NBSP after the closing colons': [`${S}\nzqs1\n:::\u00a0\n`, 'directive-unclosed'],
    'closing line outside the list item': [`- item\n\n  ${S}\n  zqs1\n:::\n`, 'directive-unclosed'],
    'lazy closing line in a quote': [`> ${S}\n> zqs1\n:::\n`, 'directive-unclosed'],
    'footnote closing line under-indented': [`x[^1]\n\n[^1]: note\n\n    ${S}\n    zqs1\n  :::\n`, 'directive-unclosed'],
    'in an HTML block': [`<div>\n${S}\nzqs1\n:::\n</div>\n`, 'directive-unparsed'],
    'in a definition-list-like line': [`Term\n: ${S}\nzqs1\n:::\n`, 'directive-unparsed'],
    'attributes across lines': [`:::official-sensitive{\nexemptions="s43"}\nzqs1\n:::\n`, 'directive-unparsed'],
    'non-breaking hyphen in the name': [`:::official\u2011sensitive{exemptions="s43"}\nzqs1\n:::\n`, 'directive-unparsed'],
    'zero-width space in the name': [`:::official-\u200bsensitive{exemptions="s43"}\nzqs1\n:::\n`, 'directive-unknown'],
    'upper-case name': [`:::OFFICIAL-SENSITIVE{exemptions="s43"}\nzqs1\n:::\n`, 'directive-unknown'],
    'BOM before the opening line': [`\ufeff${S}\nzqs1\n:::\n`, 'directive-unparsed'],
    'fullwidth closing colons': [`${S}\nzqs1\n：：：\nzqs2\n:::\n`, 'directive-stray-fence'],
    'unclosed ~~~ inside': [`${S}\n~~~\nzqs1\n:::\n`, 'directive-unclosed'],
    'span across a blank line': ['Name :official-sensitive[zqs1\n\nzqs2]{exemptions="s40"} end.\n', 'directive-label-early'],
    'span attributes after a space': ['Name :official-sensitive[zqs1] {exemptions="s40"} end.\n', 'directive-label-early'],
    'span in image alt': ['![alt :official-sensitive[zqs1]{exemptions="s40"}](https://example.org/x.png)\n', 'directive-unparsed'],
    'span in a link title': ['[a](https://example.org/ "t :official-sensitive[zqs1]{exemptions=s40}")\n', 'directive-unparsed'],
    'span after an entity colon': ['Name &#58;official-sensitive[zqs1]{exemptions="s40"} end.\n', 'directive-unparsed']
  }
  for (const [what, [body, rule]] of Object.entries(refused)) {
    it(`refused: ${what}`, async () => expectRefused(await buildAt(one(body)), rule))
  }
})

describe('held: classification variants are refused, never published', () => {
  for (const v of ['"OFFICIAL SENSITIVE"', '"OFFICIAL - SENSITIVE"', '"OFFICIAL_SENSITIVE"', '"OFFICIAL\\u200b"', '"ＯFFICIAL"', 'Official', '"OFFICIAL-SENSITIVE-COMMERCIAL"', '>\n  OFFICIAL\n  SENSITIVE']) {
    it(v, async () => {
      const dir = content({'a.md': paper('PCD 1'), 'b.md': paper('PCD 9', '', 'Body zqbody.\n', 'zqtitle').replace('classification: OFFICIAL', `classification: ${v}`)})
      expectRefused(await buildAt(dir), 'classification-unknown')
    })
  }
})

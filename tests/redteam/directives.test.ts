/**
 * Red team: directive syntax variants. Each case holds a canary the author
 * meant to withhold, and states its one expected outcome: refused with the
 * rule that names why, or published with the canary withheld.
 */
import {describe, it} from 'vitest'
import {expectOutcome, expectRefused, published, refused, runBody, type Expected} from './helpers.js'

const block = (name: string, canary: string) => `${name}{exemptions="s43"}\n${canary}\n:::\n`

describe('directive name lookalikes (intended sensitive, not parsed as a directive)', () => {
  const variants: Record<string, string> = {
    'U+2010 hyphen': ':::official\u2010sensitive',
    'U+2011 non-breaking hyphen': ':::official\u2011sensitive',
    'U+2013 en dash': ':::official\u2013sensitive',
    'U+2014 em dash': ':::official\u2014sensitive',
    'U+2212 minus sign': ':::official\u2212sensitive',
    'U+FE63 small hyphen-minus': ':::official\ufe63sensitive',
    'U+FF0D fullwidth hyphen-minus': ':::official\uff0dsensitive',
    'NUL between words (becomes U+FFFD)': ':::official\u0000sensitive',
    'fullwidth colons': '\uff1a\uff1a\uff1aofficial-sensitive',
    'NBSP after colons': ':::\u00a0official-sensitive'
  }
  for (const [what, opener] of Object.entries(variants)) {
    it(`block with ${what}`, () => {
      expectRefused(runBody(block(opener, 'zkcanarylook')), 'directive-unparsed')
    })
  }
  it('inline span with U+2011 non-breaking hyphen', () => {
    expectRefused(runBody('The lead, :official\u2011sensitive[zkcanaryspanlook]{exemptions="s40"}, manages it.\n'), 'directive-unparsed')
  })
  it('inline span with en dash', () => {
    expectRefused(runBody('The lead, :official\u2013sensitive[zkcanaryspanlook2]{exemptions="s40"}, manages it.\n'), 'directive-unparsed')
  })
})

describe('directive syntax variants that must hold', () => {
  const cases: Record<string, [string, Expected]> = {
    'plain block': [block(':::official-sensitive', 'zkheld1'), published],
    'in a list item': [`- item\n\n  :::official-sensitive{exemptions="s43"}\n  zkheld2\n  :::\n`, published],
    'in a blockquote': [`> :::official-sensitive{exemptions="s43"}\n> zkheld3\n> :::\n`, published],
    'tab-indented (code)': [`\t:::official-sensitive{exemptions="s43"}\n\tzkheld4\n\t:::\n`, refused('directive-unparsed')],
    '3-space indent': [`   :::official-sensitive{exemptions="s43"}\n   zkheld5\n   :::\n`, published],
    'upper case name': [block(':::OFFICIAL-SENSITIVE', 'zkheld6'), refused('directive-unknown')],
    'unquoted attribute': [`:::official-sensitive{exemptions=s43}\nzkheld7\n:::\n`, published],
    '#id .class attributes': [`:::official-sensitive{#x .y exemptions="s43"}\nzkheld8\n:::\n`, refused('directive-attribute-unknown')],
    'closing fence with text': [`:::official-sensitive{exemptions="s43"}\nzkheld9\n::: trailing\n`, refused('directive-stray-fence', 'directive-unclosed')],
    'unclosed inner block': [`::::official-sensitive{exemptions="s43"}\n:::official-sensitive\nzkheld10\n::::\nafter\n`, refused('directive-unclosed')],
    'container label': [`:::official-sensitive[zkheld11]{exemptions="s43"}\nbody\n:::\n`, published],
    'soft hyphen in name': [block(':::official\u00ad-sensitive', 'zkheld12'), refused('directive-unknown')],
    'zero-width space in name': [block(':::official-\u200bsensitive', 'zkheld13'), refused('directive-unknown')],
    'Cyrillic o': [block(':::\u043efficial-sensitive', 'zkheld14'), refused('directive-unknown')],
    'underscore': [block(':::official_sensitive', 'zkheld15'), refused('directive-unknown')],
    'space after colons': [block('::: official-sensitive', 'zkheld16'), refused('directive-unparsed')],
    'escaped colon': ['Text \\:official-sensitive[zkheld17]{exemptions="s40"} end\n', refused('directive-unparsed')],
    'entity colon': ['Text &#58;official-sensitive[zkheld18]{exemptions="s40"} end\n', refused('directive-unparsed')],
    'span label nested brackets': ['A :official-sensitive[a [b] zkheld19]{exemptions="s40"} z\n', published],
    'span label with link': ['A :official-sensitive[see [l](https://x.example/zkheld20)]{exemptions="s40"} z\n', published],
    'span label with footnote ref': ['A :official-sensitive[see[^1]]{exemptions="s40"} z\n\n[^1]: zkheld21\n', published],
    'span label with reference link': ['A :official-sensitive[see [r]]{exemptions="s40"} z\n\n[r]: https://x.example/zkheld22\n', published],
    'span across lines': ['A :official-sensitive[Jane zkheld23\nSmith]{exemptions="s40"} z\n', published],
    'span in table cell': ['| a | b |\n|---|---|\n| :official-sensitive[zkheld24]{exemptions="s40"} | x |\n', published],
    'span in setext heading': ['Heading :official-sensitive[zkheld25]{exemptions="s40"}\n===\n', published],
    'span in code': ['A `:official-sensitive[zkheld26]{exemptions="s40"}` z\n', refused('directive-unparsed')],
    'span with space before label': ['A :official-sensitive [zkheld27]{exemptions="s40"} z\n', refused('directive-empty')],
    'span attrs on next line': ['A :official-sensitive[Jane]\n{exemptions="s40"} zkheld28\n', refused('directive-label-early')],
    'leaf without label': ['::official-sensitive{exemptions="s43"}\nzkheld29\n', refused('directive-empty')],
    'block in raw HTML': ['<div>\n:::official-sensitive{exemptions="s43"}\nzkheld30\n:::\n</div>\n', refused('directive-unparsed')],
    'img alt in raw HTML': ['Text <img alt=":official-sensitive[zkheld31]{exemptions=s40}" src="https://x.example/y.png"> end\n', refused('directive-unparsed')],
    '4-colon outer, 3-colon inner then text, 4-colon close': ['::::official-sensitive{exemptions="s43"}\nsecret\n:::\nzkheld32\n::::\n', refused('directive-stray-fence')],
    'lazy line in blockquote': ['> :::official-sensitive{exemptions="s43"}\nzkheld33\n> :::\n', refused('directive-unclosed')],
    'block closed by a list end': ['- :::official-sensitive{exemptions="s43"}\n  secret\n- zkheld34\n  :::\n', refused('directive-unclosed')],
    'same-colon nesting': [':::official-sensitive{exemptions="s43"}\nA\n:::official-sensitive{exemptions="s40"}\nB\n:::\nzkheld35\n:::\n', refused('directive-unclosed')],
    'very long block': [`:::official-sensitive{exemptions="s43"}\n${'zkheld36 '.repeat(20000)}\n:::\n`, published]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkheld\d+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('sensitive blocks closed early by a stray fence (text after it is published)', () => {
  it('a fenced code block inside the block holding a ::: line', () => {
    expectRefused(runBody(':::official-sensitive{exemptions="s43"}\n```\n:::\nzkcanaryfence1\n```\n:::\n'), 'directive-stray-fence')
  })
  it('a tilde code block inside the block holding a ::: line', () => {
    expectRefused(runBody(':::official-sensitive{exemptions="s43"}\nA\n~~~\n:::\n~~~\nzkcanaryfence2\n:::\n'), 'directive-stray-fence')
  })
  it('an indented ::: inside a list item in the block', () => {
    expectRefused(runBody(':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\nzkcanaryfence3\n:::\n'), 'directive-stray-fence')
  })
  it('a raw HTML block inside the block holding a ::: line', () => {
    expectRefused(runBody(':::official-sensitive{exemptions="s43"}\nA\n<div>\n:::\nzkcanaryfence4\n</div>\n:::\n'), 'directive-stray-fence')
  })
  it('a doubled closing fence (orphan ::: left in public text)', () => {
    expectRefused(runBody(':::official-sensitive{exemptions="s43"}\nsecret\n:::\nzkcanaryfence5\n:::\n'), 'directive-stray-fence')
  })
  it('4-colon block in a blockquote closed by the quote ending, its ::: inner line taken as the close', () => {
    expectRefused(runBody('> ::::official-sensitive{exemptions="s43"}\n> secret\n> :::\nzkcanaryfence6\n::::\n'), 'directive-stray-fence')
  })
})

describe('sensitive spans where the directive is flattened to a string', () => {
  it('span inside an image alt', () => {
    expectRefused(runBody('Chart ![:official-sensitive[zkcanaryalt1]{exemptions="s40"}](https://x.example/c.png) end\n'), 'directive-unparsed')
  })
  it('span inside a reference image alt', () => {
    expectRefused(runBody('Chart ![:official-sensitive[zkcanaryalt2]{exemptions="s40"}][c] end\n\n[c]: https://x.example/c.png\n'), 'directive-unparsed')
  })
  it('span inside an image alt inside a link', () => {
    expectRefused(runBody('[![:official-sensitive[zkcanaryalt3]{exemptions="s40"}](https://x.example/c.png)](https://x.example)\n'), 'directive-unparsed')
  })
  it('span written in an image title', () => {
    expectRefused(runBody('![c](https://x.example/c.png ":official-sensitive[zkcanarytitle1]{exemptions=s40}")\n'), 'directive-unparsed')
  })
  it('span written in a definition title', () => {
    expectRefused(runBody('![c][c]\n\n[c]: https://x.example/c.png ":official-sensitive[zkcanarytitle2]{exemptions=s40}"\n'), 'directive-unparsed')
  })
  it('entity-encoded colon in a raw HTML attribute', () => {
    expectRefused(runBody('Text <img alt="&#58;official-sensitive[zkcanaryent]" src="https://x.example/y.png">\n'), 'directive-unparsed')
  })
})

/**
 * Red team: directive syntax variants. Each case holds a canary the author
 * meant to withhold; the safe outcome is "refused" or "canary not published".
 */
import {describe, it} from 'vitest'
import {expectSafe, runBody} from './helpers.js'

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
      expectSafe(runBody(block(opener, 'zkcanarylook')), 'zkcanarylook')
    })
  }
  it('inline span with U+2011 non-breaking hyphen', () => {
    expectSafe(runBody('The lead, :official\u2011sensitive[zkcanaryspanlook]{exemptions="s40"}, manages it.\n'), 'zkcanaryspanlook')
  })
  it('inline span with en dash', () => {
    expectSafe(runBody('The lead, :official\u2013sensitive[zkcanaryspanlook2]{exemptions="s40"}, manages it.\n'), 'zkcanaryspanlook2')
  })
})

describe('directive syntax variants that must hold', () => {
  const cases: Record<string, string> = {
    'plain block': block(':::official-sensitive', 'zkheld1'),
    'in a list item': `- item\n\n  :::official-sensitive{exemptions="s43"}\n  zkheld2\n  :::\n`,
    'in a blockquote': `> :::official-sensitive{exemptions="s43"}\n> zkheld3\n> :::\n`,
    'tab-indented (code)': `\t:::official-sensitive{exemptions="s43"}\n\tzkheld4\n\t:::\n`,
    '3-space indent': `   :::official-sensitive{exemptions="s43"}\n   zkheld5\n   :::\n`,
    'upper case name': block(':::OFFICIAL-SENSITIVE', 'zkheld6'),
    'unquoted attribute': `:::official-sensitive{exemptions=s43}\nzkheld7\n:::\n`,
    '#id .class attributes': `:::official-sensitive{#x .y exemptions="s43"}\nzkheld8\n:::\n`,
    'closing fence with text': `:::official-sensitive{exemptions="s43"}\nzkheld9\n::: trailing\n`,
    'unclosed inner block': `::::official-sensitive{exemptions="s43"}\n:::official-sensitive\nzkheld10\n::::\nafter\n`,
    'container label': `:::official-sensitive[zkheld11]{exemptions="s43"}\nbody\n:::\n`,
    'soft hyphen in name': block(':::official\u00ad-sensitive', 'zkheld12'),
    'zero-width space in name': block(':::official-\u200bsensitive', 'zkheld13'),
    'Cyrillic o': block(':::\u043efficial-sensitive', 'zkheld14'),
    'underscore': block(':::official_sensitive', 'zkheld15'),
    'space after colons': block('::: official-sensitive', 'zkheld16'),
    'escaped colon': 'Text \\:official-sensitive[zkheld17]{exemptions="s40"} end\n',
    'entity colon': 'Text &#58;official-sensitive[zkheld18]{exemptions="s40"} end\n',
    'span label nested brackets': 'A :official-sensitive[a [b] zkheld19]{exemptions="s40"} z\n',
    'span label with link': 'A :official-sensitive[see [l](https://x.example/zkheld20)]{exemptions="s40"} z\n',
    'span label with footnote ref': 'A :official-sensitive[see[^1]]{exemptions="s40"} z\n\n[^1]: zkheld21\n',
    'span label with reference link': 'A :official-sensitive[see [r]]{exemptions="s40"} z\n\n[r]: https://x.example/zkheld22\n',
    'span across lines': 'A :official-sensitive[Jane zkheld23\nSmith]{exemptions="s40"} z\n',
    'span in table cell': '| a | b |\n|---|---|\n| :official-sensitive[zkheld24]{exemptions="s40"} | x |\n',
    'span in setext heading': 'Heading :official-sensitive[zkheld25]{exemptions="s40"}\n===\n',
    'span in code': 'A `:official-sensitive[zkheld26]{exemptions="s40"}` z\n',
    'span with space before label': 'A :official-sensitive [zkheld27]{exemptions="s40"} z\n',
    'span attrs on next line': 'A :official-sensitive[Jane]\n{exemptions="s40"} zkheld28\n',
    'leaf without label': '::official-sensitive{exemptions="s43"}\nzkheld29\n',
    'block in raw HTML': '<div>\n:::official-sensitive{exemptions="s43"}\nzkheld30\n:::\n</div>\n',
    'img alt in raw HTML': 'Text <img alt=":official-sensitive[zkheld31]{exemptions=s40}" src="https://x.example/y.png"> end\n',
    '4-colon outer, 3-colon inner then text, 4-colon close': '::::official-sensitive{exemptions="s43"}\nsecret\n:::\nzkheld32\n::::\n',
    'lazy line in blockquote': '> :::official-sensitive{exemptions="s43"}\nzkheld33\n> :::\n',
    'block closed by a list end': '- :::official-sensitive{exemptions="s43"}\n  secret\n- zkheld34\n  :::\n',
    'same-colon nesting': ':::official-sensitive{exemptions="s43"}\nA\n:::official-sensitive{exemptions="s40"}\nB\n:::\nzkheld35\n:::\n',
    'very long block': `:::official-sensitive{exemptions="s43"}\n${'zkheld36 '.repeat(20000)}\n:::\n`
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkheld\d+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('sensitive blocks closed early by a stray fence (text after it is published)', () => {
  it('a fenced code block inside the block holding a ::: line', () => {
    expectSafe(runBody(':::official-sensitive{exemptions="s43"}\n```\n:::\nzkcanaryfence1\n```\n:::\n'), 'zkcanaryfence1')
  })
  it('a tilde code block inside the block holding a ::: line', () => {
    expectSafe(runBody(':::official-sensitive{exemptions="s43"}\nA\n~~~\n:::\n~~~\nzkcanaryfence2\n:::\n'), 'zkcanaryfence2')
  })
  it('an indented ::: inside a list item in the block', () => {
    expectSafe(runBody(':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\nzkcanaryfence3\n:::\n'), 'zkcanaryfence3')
  })
  it('a raw HTML block inside the block holding a ::: line', () => {
    expectSafe(runBody(':::official-sensitive{exemptions="s43"}\nA\n<div>\n:::\nzkcanaryfence4\n</div>\n:::\n'), 'zkcanaryfence4')
  })
  it('a doubled closing fence (orphan ::: left in public text)', () => {
    expectSafe(runBody(':::official-sensitive{exemptions="s43"}\nsecret\n:::\nzkcanaryfence5\n:::\n'), 'zkcanaryfence5')
  })
  it('4-colon block in a blockquote closed by the quote ending, its ::: inner line taken as the close', () => {
    expectSafe(runBody('> ::::official-sensitive{exemptions="s43"}\n> secret\n> :::\nzkcanaryfence6\n::::\n'), 'zkcanaryfence6')
  })
})

describe('sensitive spans where the directive is flattened to a string', () => {
  it('span inside an image alt', () => {
    expectSafe(runBody('Chart ![:official-sensitive[zkcanaryalt1]{exemptions="s40"}](https://x.example/c.png) end\n'), 'zkcanaryalt1')
  })
  it('span inside a reference image alt', () => {
    expectSafe(runBody('Chart ![:official-sensitive[zkcanaryalt2]{exemptions="s40"}][c] end\n\n[c]: https://x.example/c.png\n'), 'zkcanaryalt2')
  })
  it('span inside an image alt inside a link', () => {
    expectSafe(runBody('[![:official-sensitive[zkcanaryalt3]{exemptions="s40"}](https://x.example/c.png)](https://x.example)\n'), 'zkcanaryalt3')
  })
  it('span written in an image title', () => {
    expectSafe(runBody('![c](https://x.example/c.png ":official-sensitive[zkcanarytitle1]{exemptions=s40}")\n'), 'zkcanarytitle1')
  })
  it('span written in a definition title', () => {
    expectSafe(runBody('![c][c]\n\n[c]: https://x.example/c.png ":official-sensitive[zkcanarytitle2]{exemptions=s40}"\n'), 'zkcanarytitle2')
  })
  it('entity-encoded colon in a raw HTML attribute', () => {
    expectSafe(runBody('Text <img alt="&#58;official-sensitive[zkcanaryent]" src="https://x.example/y.png">\n'), 'zkcanaryent')
  })
})

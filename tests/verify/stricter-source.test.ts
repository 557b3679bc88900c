/**
 * verify reads a paper more strictly than the pipeline: where the two could
 * differ, more of it is secret, never less. Here, on the reading alone
 * (extractPaper): which words end up in a secret piece, and which in public
 * text. tests/verify/stricter-site.test.ts checks the same rules on real
 * builds, and tests/redteam/verify-backstop.test.ts on leaks.
 */
import {describe, expect, it} from 'vitest'
import {extractPaper, linePrefix, markedKind} from '../../src/verify/source.js'

const now = new Date('2026-11-25T12:00:00Z')
const FM = '---\nid: PCD 100\ntitle: Public\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\n'
const OPEN = ':::official-sensitive{exemptions="s43"}'

/** The kinds of the pieces holding `word`, and whether public text has it. */
function reading(text: string, word: string): {secret: string[]; public: boolean} {
  const ex = extractPaper(text, 'a.md', now)
  return {
    secret: [...new Set(ex.pieces.filter((p) => p.tokens.includes(word)).map((p) => p.kind))],
    public: ex.publicStreams.some((s) => s.includes(word))
  }
}

const SECRET = {secret: ['sensitive'], public: false}
const PUBLIC = {secret: [], public: true}

describe('a sensitive block runs to its own closing fence, as its author wrote it', () => {
  const early: Record<string, string> = {
    'a ::: in code opened in the block, a fence after': `${OPEN}\n\`\`\`\n:::\nzkafter\n\`\`\`\n:::\n`,
    'a ::: in code opened in the block, no fence after (code runs to the end)': `${OPEN}\n\`\`\`\n:::\nzkafter\n\`\`\`\n`,
    'a ::: in tilde code, closed by a longer fence': `${OPEN}\n~~~\n:::\n~~~~\nzkafter\n:::\n`,
    'a ::: in a list item opened in the block, a fence after': `${OPEN}\n- item\n  :::\nzkafter\n:::\n`,
    'a ::: in a list item opened in the block, no fence after': `${OPEN}\n- item\n  :::\nzkafter\n`,
    'a ::: in a list item kept open by a lazy line': `${OPEN}\n- item\nlazy line\n  :::\nzkafter\n`,
    'a ::: in a nested list item': `${OPEN}\n- item\n  - sub\n    :::\nzkafter\n`,
    'a ::: indented four columns more (code, not a fence)': `${OPEN}\ntext\n    :::\nzkafter\n`,
    'a ::: in a quote the block does not stand in': `${OPEN}\n> quoted\n> :::\nzkafter\n`,
    'a ::: outside the quote the block stands in': `> ${OPEN}\n> quoted\n:::\nzkafter\n`,
    'a ::: with a list marker': `${OPEN}\ntext\n- :::\nzkafter\n`,
    'a ::: shorter than the opening fence': `::::official-sensitive\ntext\n:::\nzkafter\n`,
    'a ::: in HTML, a fence after (a stray fence withholds back to the block)': `${OPEN}\n<div>\n:::\nzkafter\n</div>\n:::\n`,
    'an extra ::: far below': `${OPEN}\ntext\n:::\n\nzkafter\n\nMore text.\n\n:::\n`
  }
  for (const [what, body] of Object.entries(early)) {
    it(`${what}: the text after it is secret`, () => expect(reading(FM + body, 'zkafter')).toEqual(SECRET))
  }

  it('a stray fence withholds everything back to the end of the first sensitive block', () => {
    const text = FM + `${OPEN}\nA\n:::\n\nzkbetween\n\n${OPEN}\nC\n:::\n\nzkafter\n\n:::\n\nzklast\n`
    expect(reading(text, 'zkbetween')).toEqual(SECRET)
    expect(reading(text, 'zkafter')).toEqual(SECRET)
    expect(reading(text, 'zklast')).toEqual(PUBLIC)
  })

  const correct: Record<string, string> = {
    'a list in the block, closed at column 0': `${OPEN}\n- item\n- two\n:::\n\nzkafter\n`,
    'a list in the block, closed after a blank line': `${OPEN}\n- item\n\n  more of the item\n\n:::\n\nzkafter\n`,
    'code in the block, closed by its fence': `${OPEN}\n\`\`\`js\ncode\n\`\`\`\n:::\n\nzkafter\n`,
    'a closing fence indented by up to three spaces': `${OPEN}\ntext\n   :::\n\nzkafter\n`,
    'a longer closing fence': `${OPEN}\ntext\n:::::\n\nzkafter\n`,
    'a block in a list item, with a sub-list': `- item\n\n  ${OPEN}\n  - sub\n    more\n  :::\n\nzkafter\n`,
    'a block opened on a list marker': `- ${OPEN}\n  text\n  :::\n\nzkafter\n`,
    'a block in a quote': `> ${OPEN}\n> - item\n> :::\n\nzkafter\n`,
    'a nested block': `::::official-sensitive\n${OPEN}\ninner\n:::\nouter\n::::\n\nzkafter\n`,
    'inline code with backticks in the block': `${OPEN}\n\`\`\`a\`b\n:::\n\nzkafter\n`
  }
  for (const [what, body] of Object.entries(correct)) {
    it(`${what}: the text after it is public`, () => expect(reading(FM + body, 'zkafter')).toEqual(PUBLIC))
  }

  it('reads a line\'s prefix: quotes, indentation, list markers', () => {
    expect(linePrefix('  :::')).toMatchObject({quote: 0, indent: 2, col: 2, markers: []})
    expect(linePrefix('> - :::x')).toMatchObject({quote: 1, indent: 0, col: 2, markers: [2]})
    expect(linePrefix('- - x')).toMatchObject({quote: 0, indent: 0, col: 4, markers: [2, 4]})
    expect(linePrefix('1.  x')).toMatchObject({col: 4, markers: [4]})
  })
})

describe('an HTML comment is an internal note', () => {
  const cases: Record<string, string> = {
    'on one line': 'Public text <!-- zknote --> more.\n',
    'over lines, a blank one too': 'Public text <!-- note\n\nzknote -->\n',
    'never closed (to the end)': 'Public text <!-- note\n\nzknote\n\nMore.\n',
    'in code': '```\n<!-- zknote -->\n```\n',
    'in a list item': '- item <!-- zknote -->\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, () => expect(reading(FM + body, 'zknote')).toEqual({secret: ['internal-note'], public: false}))
  }

  it('leaves the text around it public, and a definition used only in it secret', () => {
    const text = FM + 'Before <!-- see [zkref] --> zkafter.\n\n[zkref]: https://x.example/zkdest\n'
    expect(reading(text, 'zkafter')).toEqual(PUBLIC)
    expect(reading(text, 'zkdest').public).toBe(false)
    expect(reading(text, 'zkdest').secret).toEqual(['sensitive'])
  })
})

describe('a frontmatter value with sensitive syntax, a marking or a comment is secret', () => {
  const cases: Record<string, [string, string[]]> = {
    'a span in decision_maker': ['decision_maker: ":official-sensitive[zkvalue]{exemptions=\\"s40\\"}"', ['sensitive']],
    'a lookalike span in the summary': ['summary: "\uff1aofficial\u2013sensitive[zkvalue]"', ['sensitive']],
    'an escaped span in the summary': ['summary: "&#58;official-sensitive[zkvalue]"', ['sensitive']],
    'a marking in a tag': ['tags: [estates, "OFFICIAL-SENSITIVE zkvalue"]', ['sensitive']],
    'SECRET in a nested value': ['withdrawn:\n  explanation: "SECRET zkvalue"', ['sensitive']],
    'a comment in the title': ['title: "Public <!-- zkvalue -->"', ['internal-note']]
  }
  for (const [what, [line, kinds]] of Object.entries(cases)) {
    it(what, () => {
      const text = FM.replace('title: Public\n', line.startsWith('title:') ? `${line}\n` : `title: Public\n${line}\n`) + 'Body.\n'
      expect(reading(text, 'zkvalue')).toEqual({secret: kinds, public: false})
    })
  }

  it('leaves the other values public, and `classification` alone', () => {
    const text = FM.replace('title: Public\n', 'title: Public zktitle\ntags: [zktag, "OFFICIAL-SENSITIVE x"]\n') + 'Body.\n'
    expect(reading(text, 'zktitle')).toEqual(PUBLIC)
    expect(reading(text, 'zktag')).toEqual(PUBLIC)
    expect(markedKind('OFFICIAL')).toBe(null)
    expect(markedKind('Secret Santa')).toBe(null)
    const withheld = FM.replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')
    expect(extractPaper(withheld + 'Body.\n', 'a.md', now).pieces.some((p) => p.kind === 'sensitive')).toBe(false)
  })

  it('a marked id gives no public slug text', () => {
    const ex = extractPaper(FM.replace('id: PCD 100', 'id: "PCD 100 :official-sensitive[zkid]"') + 'Body.\n', 'a.md', now)
    expect(ex.publicStreams.flat()).not.toContain('zkid')
    expect(ex.pieces.some((p) => p.kind === 'sensitive' && p.tokens.includes('zkid'))).toBe(true)
  })
})

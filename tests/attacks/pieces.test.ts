/**
 * Red team: long papers are parsed in pieces (src/pipeline/pieces.ts). The
 * piecewise tree must equal the whole parse, and withheld text must never
 * reach the public output, whatever the cut points.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {both, parse} from '../helpers/pieces.js'
import {PIECE_SIZE} from '../../src/pipeline/pieces.js'
import {processPaper} from '../../src/publish/process.js'

const CANARY = 'ZQXCANARY'
const FM = '---\nid: PCD 1\ntitle: T\ndate: "2019-06-20"\nclassification: OFFICIAL\ndecision_maker: D\nsummary: S.\n---\n\n'
const pad = (n: number) => Array.from({length: n}, (_, i) => `Public paragraph number ${i} with ordinary words in it for padding.`).join('\n\n') + '\n\n'
/** Public padding of about `bytes` characters. */
const padBytes = (bytes: number) => pad(Math.ceil(bytes / 70))

function run(body: string) {
  const text = FM + body
  const outcome = processPaper({path: 'x.md', relativePath: 'x.md', bytes: Buffer.from(text)} as never, new Date('2026-01-01T00:00:00Z')) as never as {
    public?: {markdown?: string; html?: string}
    errors?: unknown[]
  }
  return outcome
}
function leaked(body: string): boolean {
  const o = run(body)
  const md = o.public?.markdown ?? ''
  const html = o.public?.html ?? ''
  return md.includes(CANARY) || html.includes(CANARY)
}

/** Sensitive payloads whose insides hold lines a piece may start at. */
const S = '{exemptions="s43"}'
const payloads: Record<string, string> = {
  'plain block, paragraphs': `:::official-sensitive${S}\nSecret start.\n\n${CANARY} one\n\n# ${CANARY} heading\n\n1234 ${CANARY}\n\n:::\n`,
  'nested ::::/:::': `::::official-sensitive${S}\n:::official-sensitive${S}\ninner\n\n${CANARY} a\n\n:::\n\n${CANARY} b\n\n::::\n`,
  'fence with ::: inside': `:::official-sensitive${S}\nx\n\n\`\`\`\n:::\n\n${CANARY} code\n\`\`\`\n\n${CANARY} after\n\n:::\n`,
  'tilde fence long': `:::official-sensitive${S}\nx\n\n~~~~~\n:::\n~~~\n\n${CANARY} code\n~~~~~\n\n${CANARY} after\n\n:::\n`,
  'html pre': `:::official-sensitive${S}\n<pre>\n\n${CANARY} pre\n\n</pre>\n\n${CANARY} after\n\n:::\n`,
  'html div type 6': `:::official-sensitive${S}\n<div>\n\n${CANARY} div\n\n</div>\n\n${CANARY} after\n\n:::\n`,
  'html script type 1': `:::official-sensitive${S}\n<script>\n\n${CANARY}\n\n</script>\n\n${CANARY} after\n\n:::\n`,
  'list item with block': `- item\n\n  :::official-sensitive${S}\n  a\n\n  ${CANARY}\n\n  :::\n\nAfter list.\n`,
  'quote with block': `> :::official-sensitive${S}\n> a\n>\n> ${CANARY}\n>\n> :::\n\nAfter quote.\n`,
  'footnote multi-para': `Text[^n].\n\n[^n]: :::official-sensitive${S}\n    a\n\n    ${CANARY}\n\n    :::\n\nAfter.\n`,
  'setext after cut': `:::official-sensitive${S}\nx\n\n${CANARY}\n===\n\nAlso ${CANARY}\n---\n\n:::\n`,
  'table': `:::official-sensitive${S}\nx\n\n| a | b |\n|---|---|\n| ${CANARY} | 2 |\n\n${CANARY} t\n\n:::\n`,
  'closing fence right after cut': `:::official-sensitive${S}\n${CANARY} x\n\n:::\n\nAfter.\n`,
  'definitions in block': `See [ref] and [^f].\n\n:::official-sensitive${S}\n[ref]: /${CANARY}\n\n[^f]: ${CANARY} note\n\n${CANARY} z\n\n:::\n\nAfter [ref] [^f].\n`,
  'leaf and span': `::official-sensitive[${CANARY} leaf]${S}\n\nA :official-sensitive[${CANARY} span]{exemptions="s40"} b\n\nAfter.\n`,
  'tabs': `:::official-sensitive${S}\n\tx\n\t\n${CANARY}\t tab\n \t\n\t:::\n\n:::\n`,
  'lazy line': `:::official-sensitive${S}\n> quote\nlazy ${CANARY}\n\n${CANARY}\n\n:::\n`
}

describe('pieces: withheld text never published, whatever the cut', () => {
  for (const [name, payload] of Object.entries(payloads)) {
    it(`${name}, at every offset near a cut`, () => {
      // Move the payload across the first cut point, a line at a time.
      for (let shiftParas = 0; shiftParas < 4; shiftParas++) {
        const body = padBytes(PIECE_SIZE - 200) + pad(shiftParas) + payload + padBytes(PIECE_SIZE + 1500)
        expect(body.length).toBeGreaterThan(2 * PIECE_SIZE)
        expect(leaked(body), `${name} shift ${shiftParas}`).toBe(false)
        const {whole, pieces} = both(body, PIECE_SIZE)
        expect(pieces).toEqual(whole)
      }
    })
  }

  it('each payload with the smallest pieces equals the whole parse', () => {
    for (const payload of Object.values(payloads)) {
      for (const doc of [payload, 'A\n\n' + payload + '\nB\n\n' + payload, payload.repeat(3)]) {
        const {whole, pieces} = both(doc)
        expect(pieces).toEqual(whole)
      }
    }
  })
})

describe('pieces: random documents, smallest pieces, equal the whole parse', () => {
  const atoms = [
    '', '', '', 'Text', 'Zed more', '# H', '1234 x', '1. item', '- item', '  indented', '    code', '\tcode', '> quote', '>', 'lazy',
    ':::official-sensitive{exemptions="s43"}', '::::official-sensitive{exemptions="s43"}', ':::', '::::', '  :::', '```', '~~~', '````', '~~~~ x',
    '<pre>', '</pre>', '<div>', '</div>', '<script>', '</script>', '<?php', '?>', '<![CDATA[', ']]>', '<!X', '<a href="x">', '[a]: /u', '[^n]: note',
    'See [a] and [^n].', '===', '---', '| a | b |', '|---|---|', '::official-sensitive[x]{exemptions="s43"}', 'A :official-sensitive[x]{exemptions="s40"}',
    '[^m]:', '    para two', '[b\n]: /v', 'Use [b].', '$$', '*', '2)', '10. ten', '<!-- c', '-->'
  ]
  it('property', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), {minLength: 5, maxLength: 60}), (lines) => {
        const doc = lines.join('\n') + '\n'
        const {whole, pieces} = both(doc)
        expect(pieces).toEqual(whole)
      }),
      {numRuns: 600}
    )
  })
})

describe('pieces: a bare CR after an ordered-list marker', () => {
  // Component-level difference (pieces.ts alone): `startsPiece` sees `2.\r` as
  // not a list marker (it checks for space, tab or `\n` after the `.`), but
  // micromark reads `\r` as a line ending, so `2.` is an (empty) item that
  // continues the list above: the whole parse has one loose list, the pieces
  // two lists. Also `countLines` counts `\n` only while micromark counts `\r`,
  // so every later piece's line numbers are off. NOT reachable through
  // processPaper: readPaper turns `\r\n?` into `\n` before parsing (checked
  // below), so this is no leak today; it would become one if a caller parsed
  // un-normalised text.
  it.fails('whole parse and pieces differ on `1. a\\n\\n2.\\r`', () => {
    const doc = '1. a\n\n2.\r   b\n\nc\n'
    const {whole, pieces, starts} = both(doc)
    expect(starts.length).toBeGreaterThan(1)
    expect(pieces).toEqual(whole)
  })
  it.fails('line numbers after a bare CR in an earlier piece', () => {
    const doc = 'a\rb\n\nc\n'
    const {whole, pieces} = both(doc)
    expect(pieces).toEqual(whole)
  })
  it('through processPaper, CR is normalised: no leak with a CR list marker at a cut', () => {
    const list = Array.from({length: 200}, (_, i) => `${i + 1}. item ${i} with some ordinary public words`).join('\n\n')
    const body = list + '\n\n2.\r   :::official-sensitive{exemptions="s43"}\r   ' + CANARY + '\r\r   ' + CANARY + ' two\r   :::\r\r' + padBytes(PIECE_SIZE + 1500)
    expect(body.length).toBeGreaterThan(2 * PIECE_SIZE)
    expect(leaked(body)).toBe(false)
  })
})

/**
 * Property: for random papers mixing public and sensitive blocks, lists,
 * tables, footnotes, links, images, inline spans and raw HTML pieces, each
 * sensitive piece with its own canary, no sensitive canary reaches the public
 * Markdown or HTML and every public canary does. Raw HTML: allowed inline
 * elements keep their text (in both outputs); scripts, event handlers,
 * `javascript:` URLs and comments carry secret canaries that must go.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {processPaper} from '../src/publish/process.js'

type Piece =
  | {kind: 'para'; spans: boolean[]}
  | {kind: 'list'; items: boolean[]}
  | {kind: 'table'; cells: boolean[]}
  | {kind: 'footnote'; sensitiveRef: boolean}
  | {kind: 'link'}
  | {kind: 'image'}
  | {kind: 'block'; inner: Array<'para' | 'list' | 'table' | 'code' | 'image' | 'footnote' | 'heading' | 'link' | 'nested' | 'html'>}
  | {kind: 'html'; pieces: HtmlPiece[]; container: 'para' | 'list' | 'quote' | 'cell' | 'heading' | 'div'}

const htmlPieces = ['sub', 'sup', 'kbd', 'abbr', 'ins', 'del', 'nestedMd', 'spanInHtml', 'unknown', 'handler', 'script', 'jsUrl', 'comment', 'imgHandler', 'style'] as const
type HtmlPiece = (typeof htmlPieces)[number]

const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({kind: fc.constant('para' as const), spans: fc.array(fc.boolean(), {minLength: 1, maxLength: 4})}),
  fc.record({kind: fc.constant('list' as const), items: fc.array(fc.boolean(), {minLength: 1, maxLength: 4})}),
  fc.record({kind: fc.constant('table' as const), cells: fc.array(fc.boolean(), {minLength: 2, maxLength: 4})}),
  fc.record({kind: fc.constant('footnote' as const), sensitiveRef: fc.boolean()}),
  fc.record({kind: fc.constant('link' as const)}),
  fc.record({kind: fc.constant('image' as const)}),
  fc.record({
    kind: fc.constant('block' as const),
    inner: fc.array(fc.constantFrom('para', 'list', 'table', 'code', 'image', 'footnote', 'heading', 'link', 'nested', 'html' as const), {minLength: 1, maxLength: 5})
  }),
  fc.record({
    kind: fc.constant('html' as const),
    pieces: fc.array(fc.constantFrom(...htmlPieces), {minLength: 1, maxLength: 4}),
    container: fc.constantFrom('para', 'list', 'quote', 'cell', 'heading', 'div' as const)
  })
)

function render(pieces: Piece[]) {
  let n = 0
  const secrets: string[] = []
  const publics: string[] = []
  const s = () => {
    const c = `zs${++n}q${n}`
    secrets.push(c)
    return c
  }
  const p = () => {
    const c = `zp${++n}q${n}`
    publics.push(c)
    return c
  }
  const span = () => `:official-sensitive[${s()}]{exemptions="s40"}`
  // Fragments that must appear as written in both the HTML and the Markdown.
  const keeps: string[] = []
  const kept = (tag: string, attrs = '') => {
    const c = p()
    keeps.push(`<${tag}${attrs}>${c}</${tag}>`)
    return `<${tag}${attrs}>${c}</${tag}>`
  }
  const html = (piece: HtmlPiece): string => {
    switch (piece) {
      case 'sub': case 'sup': case 'kbd': case 'ins': case 'del': return `H${kept(piece)}O`
      case 'abbr': {
        const title = p()
        return kept('abbr', ` title="${title}"`)
      }
      case 'nestedMd': return `<sub>*${p()}*</sub>`
      case 'spanInHtml': return `<kbd>${span()}</kbd>`
      case 'unknown': return `<marquee>${p()}</marquee>`
      case 'handler': return `<span onclick="${s()}()">${p()}</span>`
      case 'script': return `<script>${s()}()</script>`
      case 'jsUrl': return `<a href="javascript:${s()}()">${p()}</a>`
      case 'comment': return `<!-- ${s()} -->`
      case 'imgHandler': return `<img src="https://example.org/x.png" onerror="${s()}()" alt="x">`
      case 'style': return `<span style="background:url(https://${s()}.example/)">${p()}</span>`
    }
  }
  const blocks: string[] = []
  for (const x of pieces) {
    switch (x.kind) {
      case 'para':
        blocks.push(x.spans.map((sensitive) => (sensitive ? `word ${span()}` : `word ${p()}`)).join(' ') + '.')
        break
      case 'list':
        blocks.push(x.items.map((sensitive) => `- item ${sensitive ? span() : p()}`).join('\n'))
        break
      case 'table': {
        const cells = x.cells.map((sensitive) => (sensitive ? span() : p()))
        blocks.push(`| ${x.cells.map((_, i) => `H${i}`).join(' | ')} |\n| ${x.cells.map(() => '---').join(' | ')} |\n| ${cells.join(' | ')} |`)
        break
      }
      case 'footnote': {
        const label = `f${++n}`
        if (x.sensitiveRef) {
          blocks.push(`Claim :official-sensitive[cited${`[^${label}]`} ${s()}]{exemptions="s43"}.`)
          blocks.push(`[^${label}]: Note ${s()}`)
        } else {
          blocks.push(`Claim ${p()}.[^${label}]`)
          blocks.push(`[^${label}]: Note ${p()}`)
        }
        break
      }
      case 'link':
        blocks.push(`See [${p()}](https://example.org/${p()}).`)
        break
      case 'image':
        blocks.push(`![${p()}](https://example.org/${p()}.png)`)
        break
      case 'block': {
        const inner = x.inner.map((kind) => {
          switch (kind) {
            case 'para': return `Text ${s()}.`
            case 'list': return `- one ${s()}\n- two ${s()}`
            case 'table': return `| A | B |\n| --- | --- |\n| ${s()} | ${s()} |`
            case 'code': return '```\n' + s() + '\n```'
            case 'image': return `![${s()}](https://example.org/${s()}.png "${s()}")`
            case 'footnote': {
              const label = `g${++n}`
              return `Fact.[^${label}]\n\n[^${label}]: ${s()}`
            }
            case 'heading': return `## Heading ${s()}`
            case 'link': return `[${s()}](https://example.org/${s()})`
            case 'nested': return `:::official-sensitive{exemptions="s31(1)(a)"}\n${s()}\n:::`
            case 'html': return `<div>${s()}</div>\n\nSome <sub>${s()}</sub> and <kbd>${s()}</kbd>.`
          }
        })
        blocks.push(`::::official-sensitive{exemptions="s43"}\n${inner.join('\n\n')}\n::::`)
        break
      }
      case 'html': {
        const line = 'Raw ' + x.pieces.map(html).join(' and ') + ' end.'
        switch (x.container) {
          case 'para': blocks.push(line); break
          case 'list': blocks.push(`- ${line}\n- two`); break
          case 'quote': blocks.push(`> ${line}`); break
          case 'cell': blocks.push(`| A |\n| --- |\n| ${line} |`); break
          case 'heading': blocks.push(`## ${line}`); break
          case 'div': blocks.push(`<div>\n\n${line}\n\n</div>`); break
        }
        break
      }
    }
  }
  const text = `---\nid: PCD 5\ntitle: Random\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\n${blocks.join('\n\n')}\n`
  return {text, secrets, publics, keeps}
}

describe('random papers', () => {
  it('publish every public canary and no sensitive one', () => {
    fc.assert(
      fc.property(fc.array(piece, {minLength: 1, maxLength: 12}), (pieces) => {
        const {text, secrets, publics, keeps} = render(pieces)
        const outcome = processPaper({path: 'r.md', relativePath: 'r.md', bytes: Buffer.from(text)}, new Date('2026-01-01T00:00:00Z'))
        expect(outcome.messages.filter((m) => m.fatal), text).toEqual([])
        expect(outcome.status).toBe('public')
        const output = outcome.public!.markdown + '\n' + outcome.public!.html
        for (const secret of secrets) expect(output, `${secret} leaked from:\n${text}`).not.toContain(secret)
        for (const pub of publics) expect(output, `${pub} lost from:\n${text}`).toContain(pub)
        for (const fragment of keeps) {
          expect(outcome.public!.html, `${fragment} mangled in the page from:\n${text}`).toContain(fragment)
          expect(outcome.public!.markdown, `${fragment} mangled in the Markdown from:\n${text}`).toContain(fragment)
        }
        expect(outcome.public!.html, text).not.toMatch(/<script|onclick|onerror|javascript:|style=|<!--/i)
        expect(outcome.public!.markdown, text).not.toMatch(/<script|onclick|onerror|javascript:|style=|<!--/i)
      }),
      {numRuns: 300, seed: 20261125}
    )
  })
})

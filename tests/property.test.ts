/**
 * Property: for random papers mixing public and sensitive blocks, lists,
 * tables, footnotes, links, images and inline spans, each sensitive piece
 * with its own canary, no sensitive canary reaches the public Markdown or
 * HTML and every public canary does.
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
  | {kind: 'block'; inner: Array<'para' | 'list' | 'table' | 'code' | 'image' | 'footnote' | 'heading' | 'link' | 'nested'>}

const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({kind: fc.constant('para' as const), spans: fc.array(fc.boolean(), {minLength: 1, maxLength: 4})}),
  fc.record({kind: fc.constant('list' as const), items: fc.array(fc.boolean(), {minLength: 1, maxLength: 4})}),
  fc.record({kind: fc.constant('table' as const), cells: fc.array(fc.boolean(), {minLength: 2, maxLength: 4})}),
  fc.record({kind: fc.constant('footnote' as const), sensitiveRef: fc.boolean()}),
  fc.record({kind: fc.constant('link' as const)}),
  fc.record({kind: fc.constant('image' as const)}),
  fc.record({
    kind: fc.constant('block' as const),
    inner: fc.array(fc.constantFrom('para', 'list', 'table', 'code', 'image', 'footnote', 'heading', 'link', 'nested' as const), {minLength: 1, maxLength: 5})
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
          }
        })
        blocks.push(`::::official-sensitive{exemptions="s43"}\n${inner.join('\n\n')}\n::::`)
        break
      }
    }
  }
  const text = `---\nid: PCD 5\ntitle: Random\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\n${blocks.join('\n\n')}\n`
  return {text, secrets, publics}
}

describe('random papers', () => {
  it('publish every public canary and no sensitive one', () => {
    fc.assert(
      fc.property(fc.array(piece, {minLength: 1, maxLength: 12}), (pieces) => {
        const {text, secrets, publics} = render(pieces)
        const outcome = processPaper({path: 'r.md', relativePath: 'r.md', bytes: Buffer.from(text)}, new Date('2026-01-01T00:00:00Z'))
        expect(outcome.messages.filter((m) => m.fatal), text).toEqual([])
        expect(outcome.status).toBe('public')
        const output = outcome.public!.markdown + '\n' + outcome.public!.html
        for (const secret of secrets) expect(output, `${secret} leaked from:\n${text}`).not.toContain(secret)
        for (const pub of publics) expect(output, `${pub} lost from:\n${text}`).toContain(pub)
      }),
      {numRuns: 300, seed: 20261125}
    )
  })
})

/**
 * Issue 9, section 2: a sensitive block ends where its author closed it.
 * Every `:::official-sensitive` block must end on its own closing fence (a
 * line of at least as many colons as its opening, after all of its content,
 * not the closing line of a block nested in it); a block the parser ended any
 * other way (the end of a list item, quote or footnote, the end of the file,
 * a lazy line, a nested block's fence) is `directive-unclosed` at its opening
 * line, however deep.
 *
 * The generator: random nestings of lists (ordered and not), quotes,
 * footnote definitions and sensitive blocks (3 to 6 colons), closing fences
 * randomly dropped or written without their container's markers, lines
 * randomly written without them (lazily, or leaving the container). Each sensitive block holds a unique canary. Each
 * paper is either refused with an error or publishes no canary; every public
 * paper is then built into a whole site (in-process) and every output file
 * scanned, compressed ones decompressed. PARSE_SEED and PARSE_RUNS run it
 * with another seed or more runs.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {tempDir} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {NOW, errors, expectPublic, expectRefused, expectSafe, paper, published} from './helpers.js'

type Block =
  | {kind: 'para'; bare: 0 | 1 | 2; tight: boolean}
  | {kind: 'list'; ordered: boolean; items: Block[][]}
  | {kind: 'quote'; body: Block[]}
  | {kind: 'footnote'; body: Block[]}
  | {kind: 'sensitive'; colons: number | 'nested'; close: boolean; bareFence: boolean; body: Block[]}

const blocks = fc.letrec<{block: Block; para: Block; list: Block; quote: Block; footnote: Block; sensitive: Block}>((tie) => ({
  block: fc.oneof({maxDepth: 5, depthSize: 'small'}, tie('para'), tie('list'), tie('quote'), tie('footnote'), tie('sensitive'), tie('sensitive')),
  // A line written without its containers' markers: none, the first (it leaves them), or the second (lazy).
  // Tight: no blank line before it.
  para: fc.record({
    kind: fc.constant('para' as const),
    bare: fc.integer({min: 0, max: 4}).map((n) => (n === 0 ? 1 : n === 1 ? 2 : 0) as 0 | 1 | 2),
    tight: fc.integer({min: 0, max: 2}).map((n) => n === 0)
  }),
  list: fc.record({
    kind: fc.constant('list' as const),
    ordered: fc.boolean(),
    items: fc.array(fc.array(tie('block'), {minLength: 1, maxLength: 3}), {minLength: 1, maxLength: 2})
  }),
  quote: fc.record({kind: fc.constant('quote' as const), body: fc.array(tie('block'), {minLength: 1, maxLength: 3})}),
  footnote: fc.record({kind: fc.constant('footnote' as const), body: fc.array(tie('block'), {minLength: 1, maxLength: 2})}),
  sensitive: fc.record({
    kind: fc.constant('sensitive' as const),
    // Mostly as the README says (the outer one has more colons than those
    // inside it), sometimes any number from 3 to 6.
    colons: fc.oneof({weight: 3, arbitrary: fc.constant('nested' as const)}, {weight: 1, arbitrary: fc.integer({min: 3, max: 6})}),
    close: fc.integer({min: 0, max: 2}).map((n) => n > 0),
    bareFence: fc.integer({min: 0, max: 7}).map((n) => n === 0),
    body: fc.array(tie('block'), {maxLength: 3})
  })
}))

/** A line, and whether it is written without its containers' markers (lazy, or a fence at column 1). */
interface Line {
  text: string
  bare?: boolean
}

interface Rendered {
  text: string
  secrets: string[]
}

/** How many sensitive blocks deep `body` nests. */
function height(body: Block[]): number {
  let most = 0
  for (const block of body) {
    const inner = block.kind === 'para' ? [] : block.kind === 'list' ? block.items.flat() : block.body
    most = Math.max(most, (block.kind === 'sensitive' ? 1 : 0) + height(inner))
  }
  return most
}

/** Render a generated body; `id` makes the canaries of each paper unique. */
function render(top: Block[], id: number): Rendered {
  let n = 0
  const secrets: string[] = []
  const secret = () => {
    const canary = `zq${id}x${++n}k`
    secrets.push(canary)
    return canary
  }
  const prefix = (lines: Line[], first: string, rest: string, blank: string): Line[] =>
    lines.map((line, i) => (line.bare ? line : {text: line.text === '' ? (i === 0 ? first.trimEnd() : blank) : (i === 0 ? first : rest) + line.text}))
  const join = (body: Block[], sensitive: boolean): Line[] => body.flatMap((block, i) => [...(i > 0 && !(block.kind === 'para' && block.tight) ? [{text: ''}] : []), ...one(block, sensitive)])
  const one = (block: Block, sensitive: boolean): Line[] => {
    switch (block.kind) {
      case 'para': {
        const word = sensitive ? secret : () => 'public'
        return [{text: `Text ${word()} here.`, bare: block.bare === 1}, {text: `More ${word()} text.`, bare: block.bare === 2}]
      }
      case 'list':
        return block.items.flatMap((item, i) => {
          const marker = block.ordered ? `${i + 1}. ` : '- '
          return [...(i > 0 ? [{text: ''}] : []), ...prefix(join(item, sensitive), marker, ' '.repeat(marker.length), '')]
        })
      case 'quote':
        return prefix(join(block.body, sensitive), '> ', '> ', '>')
      case 'footnote': {
        const label = `f${id}n${++n}`
        return [{text: `See the note.[^${label}]`}, {text: ''}, ...prefix(join(block.body, sensitive), `[^${label}]: `, '    ', '')]
      }
      case 'sensitive': {
        const fence = ':'.repeat(block.colons === 'nested' ? 3 + height(block.body) : block.colons)
        // Each block holds its own canary first.
        const body = join([{kind: 'para', bare: 0, tight: false}, ...block.body], true)
        return [{text: `${fence}official-sensitive{exemptions="s43"}`}, ...body, ...(block.close ? [{text: fence, bare: block.bareFence}] : [])]
      }
    }
  }
  const lines = [...join(top, false), {text: ''}, {text: `The end ${id}.`}]
  return {text: lines.map((line) => line.text).join('\n') + '\n', secrets}
}

/**
 * The issue's shape, often: a block nested in another (`::::` around `:::`)
 * inside a chain of lists, quotes and footnotes, with either fence dropped
 * and the paragraphs after the inner block written tightly or without their
 * containers' markers.
 */
const issueShape: fc.Arbitrary<Block[]> = fc
  .record({
    containers: fc.array(fc.constantFrom('ul', 'ol', 'quote', 'footnote'), {minLength: 1, maxLength: 3}),
    outer: fc.integer({min: 4, max: 6}),
    inner: fc.integer({min: 3, max: 5}),
    outerClose: fc.boolean(),
    innerClose: fc.integer({min: 0, max: 3}).map((n) => n > 0),
    bareFence: fc.integer({min: 0, max: 5}).map((n) => n === 0),
    before: fc.array(blocks.para, {maxLength: 1}),
    after: fc.array(blocks.para, {maxLength: 2})
  })
  .map(({containers, outer, inner, outerClose, innerClose, bareFence, before, after}) => {
    const innerBlock: Block = {kind: 'sensitive', colons: Math.min(inner, outer - 1), close: innerClose, bareFence: false, body: []}
    let body: Block[] = [{kind: 'sensitive', colons: outer, close: outerClose, bareFence, body: [...before, innerBlock, ...after]}]
    for (const container of containers) {
      body = [container === 'quote' ? {kind: 'quote', body} : container === 'footnote' ? {kind: 'footnote', body} : {kind: 'list', ordered: container === 'ol', items: [body]}]
    }
    return [...body, {kind: 'para', bare: 0, tight: false}]
  })

const frontmatter = (id: number) => `---\nid: PCD ${id}\ntitle: Generated ${id}\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\n`

describe('generated nestings of lists, quotes, footnotes and sensitive blocks', () => {
  it('are refused with an error, or publish no canary, in any file of the built site', async () => {
    const publicPapers: Array<{id: number; text: string; secrets: string[]}> = []
    let refused = 0
    let id = 1000
    fc.assert(
      fc.property(fc.oneof(fc.array(blocks.block, {minLength: 1, maxLength: 4}), issueShape), (body) => {
        const {text, secrets} = render(body, ++id)
        const outcome = paper(text, frontmatter(id))
        if (outcome.status === 'invalid') {
          expect(errors(outcome).length, text).toBeGreaterThan(0)
          refused++
          return
        }
        expect(outcome.status, text).toBe('public')
        const output = published(outcome)
        for (const secret of secrets) expect(output, `${secret} published from:\n${text}`).not.toContain(secret)
        if (publicPapers.length < 150) publicPapers.push({id, text: frontmatter(id) + text, secrets})
      }),
      {numRuns: Number(process.env.PARSE_RUNS ?? 600), seed: Number(process.env.PARSE_SEED ?? 20260921)}
    )
    // The generator must make both kinds, or it tests nothing.
    expect(publicPapers.length).toBeGreaterThan(30)
    expect(refused).toBeGreaterThan(30)

    // The public ones, built into a whole site: no canary in any file.
    const dir = tempDir('mopac-parse-')
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    fs.mkdirSync(content)
    for (const p of publicPapers) fs.writeFileSync(path.join(content, `p${p.id}.md`), p.text)
    const result = await build({content, now: NOW, baseUrl: 'https://decisions.example.org/'})
    expect(result.outcomes.flatMap((o) => o.messages.filter((m) => m.fatal))).toEqual([])
    expect(result.ok).toBe(true)
    await writeSite(out, result.files!)
    const files = scanSite(out)
    expect(files.some((f) => /^search-index\/s[0-9a-f]\/terms\//.test(f.name))).toBe(true)
    expect(findCanaries(files, publicPapers.flatMap((p) => p.secrets))).toEqual([])
    // And the public text is there: the scan reads what it should.
    expect(findCanaries(files, [`The end ${publicPapers[0].id}`]).length).toBeGreaterThan(0)
    fs.rmSync(dir, {recursive: true, force: true})
  }, 120_000)
})

describe('a sensitive block ends only at its own closing fence', () => {
  const S = (colons: number) => `${':'.repeat(colons)}official-sensitive{exemptions="s43"}`

  // The issue's cases: `::::` around `:::`, the outer fence never written,
  // inside a list item, a quote or a footnote; text after it follows.
  const cases: Record<string, [string, number]> = {
    'outer fence missing, in a list item, inner block last': [`- item\n\n  ${S(4)}\n  outer zk1\n  ${S(3)}\n  inner zk2\n  :::\n\nafter the list zk3\n`, 9],
    'outer fence missing, in a quote, lazy line after the inner block': [`> ${S(4)}\n> ${S(3)}\n> inner zk2\n> :::\nlazy zk3\n\nafter zk4\n`, 7],
    'outer fence missing, in a quote, inner block last': [`> ${S(4)}\n> outer zk1\n> ${S(3)}\n> inner zk2\n> :::\n\nafter zk3\n`, 7],
    'outer fence missing, in a footnote': [`See.[^1]\n\n[^1]: ${S(4)}\n    ${S(3)}\n    inner zk2\n    :::\n\nafter zk3\n`, 9],
    'outer fence missing, in an ordered list item': [`1. ${S(4)}\n   ${S(3)}\n   inner zk2\n   :::\n2. next zk3\n`, 7],
    'outer fence missing at the end of the file': [`${S(4)}\nouter zk1\n${S(3)}\ninner zk2\n:::\n`, 7],
    'outer fence missing, three deep in lists and quotes': [`- a\n  > - ${S(5)}\n  >   ${S(4)}\n  >   ${S(3)}\n  >   inner zk2\n  >   :::\n  >   ::::\n\nafter zk3\n`, 8],
    'closing fence without the quote marker': [`> ${S(3)}\n> secret zk1\n:::\n\nafter zk2\n`, 7],
    'closing fence not indented into the list item': [`- ${S(3)}\n  secret zk1\n:::\n\nafter zk2\n`, 7],
    'closing fence too short for the opening': [`${S(4)}\nsecret zk1\n:::\n\nafter zk2\n`, 7],
    'inner block with the same colons as the outer': [`${S(3)}\nouter zk1\n${S(3)}\ninner zk2\n:::\nouter again zk3\n:::\n`, 9],
    'inner block with more colons than the outer': [`${S(3)}\nouter zk1\n${S(4)}\ninner zk2\n::::\nouter again zk3\n:::\n`, 9],
    'lazy line ends a paragraph in a block in a list': [`- ${S(3)}\n  secret zk1\nlazy zk2\n- next\n`, 7]
  }
  for (const [what, [body, line]] of Object.entries(cases)) {
    it(what, () => {
      const outcome = paper(body)
      const canaries = body.match(/zk\d/g)!
      expectSafe(outcome, ...canaries)
      expectRefused(outcome, 'directive-unclosed', line)
    })
  }

  it('a block ended at a `:::` meant as code (its code block not closed) is refused', () => {
    // In a list item in the block: the rest of the block follows as public text.
    const outcome = paper(`${S(3)}\n- item\n\n  \`\`\`\n  :::\n  \`\`\`\n  secret zk1\n:::\n\nafter\n`)
    expectSafe(outcome, 'zk1')
    expectRefused(outcome, 'directive-unclosed', 7)
    expectRefused(outcome, 'directive-stray-fence', 14)
    // Last in the block: nothing follows, but which `:::` was meant is unknown.
    const last = paper(`${S(3)}\nExample:\n\n\`\`\`\nsecret zk1\n:::\n`)
    expectRefused(last, 'directive-unclosed', 7)
    expect(last.messages.find((m) => m.ruleId === 'directive-unclosed')!.reason).toContain('code block at line 10')
  })

  it('a fence indented into the list item it follows is refused: it may have been meant for the item', () => {
    for (const body of [`${S(3)}\n- secret zk1\n  :::\n\nafter zk2\n`, `${S(3)}\n1. secret zk1\n   :::\nafter zk2\n`, `> ${S(3)}\n> - secret zk1\n>   :::\n\nafter zk2\n`, `${S(3)}\n- secret zk1\n\t:::\n\nafter zk2\n`]) {
      const outcome = paper(body)
      expect(outcome.status, body).toBe('invalid')
      expect(outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId), body).toContain('directive-unclosed')
    }
  })

  it('properly nested and closed blocks in every container still publish', () => {
    const body = [
      `- item\n\n  ${S(4)}\n  outer zk1\n  ${S(3)}\n  inner zk2\n  :::\n  ::::\n`,
      `> ${S(4)}\n> ${S(3)}\n> inner zk3\n> :::\n> ::::\n`,
      `See.[^1]\n\n[^1]: ${S(4)}\n    ${S(3)}\n    inner zk4\n    :::\n    ::::\n`,
      `1. ${S(3)}\n   secret zk5\n   :::   \n2. public item\n`,
      `${S(6)}\n${S(5)}\n${S(4)}\n${S(3)}\nzk6\n:::\n::::\n:::::\n::::::\n`,
      `${S(4)}\nzk7\n:::::::\n`,
      'after everything\n'
    ].join('\n')
    const outcome = paper(body)
    expectPublic(outcome)
    const text = published(outcome)
    for (const canary of body.match(/zk\d/g)!) expect(text).not.toContain(canary)
    expect(text).toContain('after everything')
    expect(text).toContain('public item')
    expect(outcome.redactions.filter((r) => r.kind === 'block')).toHaveLength(6)
  })
})

describe('leaf and inline directives end where written', () => {
  const FM2 = `---\nid: PCD 2\ntitle: T\ndate: "2019-06-20"\nclassification: OFFICIAL\npart2:\n  exemptions: [s43]\n---\n`
  const cases: Record<string, string> = {
    'span label across a list item boundary': '- :official-sensitive[Jane\n- Smith zk1]{exemptions="s40"}\n',
    'span label across a quote boundary': '> :official-sensitive[Jane\n\nSmith zk1]{exemptions="s40"}\n',
    'span label across a block fence': `:::official-sensitive{exemptions="s43"}\n:official-sensitive[a\n:::\nb zk1]{exemptions="s40"}\n`,
    'span label across a table cell': '| a | b |\n| - | - |\n| :official-sensitive[x | zk1] |\n',
    'span label closed by a code-span ] (default ground)': 'The :official-sensitive[the `a]` zk1] won.\n',
    'span in link text closed by a code-span ] (default ground)': '[see :official-sensitive[the `a]` zk1](https://example.org)\n',
    'span in link text closed by an autolink ] (default ground)': '[see :official-sensitive[<https://x.example/a]> zk1](https://example.org)\n',
    'span in link text closed by a link destination ] (default ground)': '[see :official-sensitive[a](https://x.example/a]) zk1](https://example.org)\n',
    'span in link text, stray ] after it': '[see :official-sensitive[Acme] Holdings zk1] more](https://example.org)\n',
    'span in a reference link closed early': '[see :official-sensitive[the `a]` zk1][ref]\n\n[ref]: https://example.org\n',
    'leaf label closed by a code-span ]': '::official-sensitive[a `]` zk1]{exemptions="s40"}\n',
    'leaf label across lines in a list item': '- ::official-sensitive[a\n- zk1]{exemptions="s40"}\n',
    'leaf with text after it': '::official-sensitive[a] zk1]{exemptions="s40"}\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, () => expectSafe(paper(body, FM2), 'zk1'))
  }
})

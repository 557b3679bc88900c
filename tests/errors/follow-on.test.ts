/**
 * One root cause, one error: messages that follow from an error are printed
 * as notes under it, never dropped, and the paper is refused all the same.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {groupFollowOns, type Placed} from '../../src/cli/follow-on.js'
import {processPaper} from '../../src/publish/process.js'
import {check, paper, PROBLEM_LINE, problemLines} from './helpers.js'

/** The outcome's own messages for a paper, as the pipeline reports them. */
function messagesOf(text: string) {
  return processPaper({path: 'p.md', relativePath: 'p.md', bytes: Buffer.from(text)}, new Date('2026-11-25T12:00:00Z')).messages
}

/** The notes printed under a problem: `    line:column kind reason  [rule]`. */
function notes(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^ {4}\d+:\d+ (error|warning) /.test(line))
}

const SPACED = paper('## Financial comments\n\n::: official-sensitive{exemptions="s43"}\n## Part 2 business case\n\nThe price is £2.1m.\n:::\n\nThe end.\n')

describe('a space after `:::`', () => {
  it('is one error, with what follows from it as notes, and the paper is refused', async () => {
    const messages = messagesOf(SPACED)
    expect(messages.filter((m) => m.fatal).length).toBeGreaterThan(1)
    const result = await check({'pcd-7.md': SPACED})
    expect(result.code).toBe(1)
    const problems = problemLines(result.stderr)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/pcd-7\.md:10:1: error: `::: official-sensitive` has a space after the colons.*did you mean `:::official-sensitive\{exemptions="s43"\}`.*  \[directive-unparsed\]$/)
    // Every other message is there, as a note under it.
    expect(notes(result.stderr)).toHaveLength(messages.length - 1)
    for (const m of messages.filter((m) => m.ruleId !== 'directive-unparsed')) expect(notes(result.stderr).some((line) => line.startsWith(`    ${m.line}:${m.column} `) && line.endsWith(`[${m.ruleId}]`))).toBe(true)
    expect(result.stderr).not.toMatch(/Escape that `\]`/)
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(`1 error (and ${messages.length - 1} follow-on messages, shown as notes)`)
  })

  it('publishes nothing from build either', async () => {
    const result = await check({'pcd-7.md': SPACED}, {command: 'build'})
    expect(result.code).toBe(1)
    expect(problemLines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toMatch(/Nothing published/)
  })

  it('is one error inside a list or a quote too, and with a closing line of more colons', async () => {
    for (const body of ['- item\n\n  ::: official-sensitive{exemptions="s43"}\n  Secret.\n  :::\n', '> ::: official-sensitive{exemptions="s43"}\n> Secret.\n>\n> :::\n', '::::  official-sensitive{exemptions="s43"}\n\nSecret.\n\n::::\n']) {
      const result = await check({'pcd-7.md': paper(body)})
      expect(result.code, body).toBe(1)
      expect(problemLines(result.stderr), body).toEqual([expect.stringMatching(/\[directive-unparsed\]$/)])
    }
  })
})

describe('known causes and their consequences', () => {
  const cases: Array<[string, string, string]> = [
    ['a block inside raw HTML', paper('<div>\n:::official-sensitive{exemptions="s43"}\nsecret\n:::\n</div>\n'), 'directive-unparsed'],
    ['a misspelt attribute, with no other ground', paper(':::official-sensitive{exemption="s43"}\nsecret\n:::\n'), 'directive-attribute-unknown'],
    ['a space before a span label', paper('Lead :official-sensitive [Jane Smith]{exemptions="s40"} here.\n'), 'directive-empty'],
    ['a misspelt required key', paper('Body.\n').replace('title: A paper', 'titel: A paper'), 'frontmatter-unknown-key'],
    ['a misspelt directive around a marked heading', paper(':::oficial-sensitive{exemptions="s43"}\n## Part 2 - OFFICIAL-SENSITIVE\n\nsecret\n:::\n'), 'directive-unknown']
  ]
  for (const [name, text, rule] of cases) {
    it(`${name}: one error, ${rule}`, async () => {
      const messages = messagesOf(text)
      expect(messages.length, JSON.stringify(messages)).toBeGreaterThan(1)
      const result = await check({'pcd-7.md': text})
      expect(result.code).toBe(1)
      expect(problemLines(result.stderr).map((line) => line.match(PROBLEM_LINE)!.groups!.rule)).toEqual([rule])
      expect(notes(result.stderr)).toHaveLength(messages.length - 1)
    })
  }

  it('puts the missing key at the misspelt one and asks', async () => {
    const result = await check({'pcd-7.md': paper('Body.\n').replace('title: A paper', 'titel: A paper')})
    expect(result.stderr).toMatch(/pcd-7\.md:3:1: error: Unknown frontmatter key `titel` \(did you mean `title`\?\)/)
    expect(notes(result.stderr)).toEqual([expect.stringMatching(/^ {4}3:1 error {3}Missing required frontmatter key `title`  \[frontmatter-missing\]$/)])
  })
})

describe('independent problems stay apart', () => {
  it('an unclosed block with an unknown exemption is two errors', async () => {
    const result = await check({'pcd-7.md': paper('- item\n\n  :::official-sensitive{exemptions="s99"}\n  secret\n\nAfter.\n')})
    expect(problemLines(result.stderr).map((line) => line.match(PROBLEM_LINE)!.groups!.rule).sort()).toEqual(['directive-unclosed', 'exemption-unknown'])
  })

  it('problems in different places are each an error', async () => {
    const result = await check({'pcd-7.md': paper('A :abbr[x] here.\n\n::: official-sensitive{exemptions="s43"}\nSecret.\n:::\n\nThen :tip[y] there.\n', 'decison_maker: x\n')})
    expect(problemLines(result.stderr).map((line) => line.match(PROBLEM_LINE)!.groups!.rule)).toEqual(['frontmatter-unknown-key', 'directive-unknown', 'directive-unparsed', 'directive-unknown'])
  })
})

describe('groupFollowOns', () => {
  const rules = ['directive-unparsed', 'directive-unknown', 'directive-stray-fence', 'directive-label-early', 'prose-marking', 'exemption-unknown', 'directive-empty', 'redaction-no-ground', 'frontmatter-unknown-key', 'frontmatter-missing', undefined]
  const message = fc.record({
    line: fc.option(fc.integer({min: 1, max: 6}), {nil: undefined}),
    column: fc.integer({min: 1, max: 4}),
    span: fc.option(fc.tuple(fc.integer({min: 0, max: 3}), fc.integer({min: 1, max: 6})), {nil: undefined}),
    ruleId: fc.constantFrom(...rules),
    fatal: fc.boolean()
  }).map(({line, column, span, ruleId, fatal}): Placed => ({line, column: line === undefined ? undefined : column, endLine: line !== undefined && span ? line + span[0] : undefined, endColumn: line !== undefined && span ? span[1] : undefined, ruleId, fatal}))

  it('keeps every message, once, under an error when it follows from one (fail closed)', () => {
    fc.assert(
      fc.property(fc.array(message, {maxLength: 12}), (messages) => {
        const groups = groupFollowOns(messages)
        const shown = groups.flatMap((g) => [g.message, ...g.followOns])
        expect(shown).toHaveLength(messages.length)
        expect(new Set(shown)).toEqual(new Set(messages))
        for (const group of groups) if (group.followOns.length > 0) expect(group.message.fatal).toBe(true)
        // An error among the messages is an error among the roots: a run that
        // has errors never reads as clean.
        if (messages.some((m) => m.fatal)) expect(groups.some((g) => g.message.fatal)).toBe(true)
      })
    )
  })

  it('is quick on tens of thousands of stray fences', () => {
    const many: Placed[] = Array.from({length: 20000}, (_, i) => ({line: i + 1, column: 1, ruleId: 'directive-stray-fence', fatal: true}))
    const started = performance.now()
    expect(groupFollowOns(many)).toHaveLength(20000)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

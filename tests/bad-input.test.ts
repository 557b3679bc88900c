/**
 * Each bad input of the core issue: a clear error at file:line:column, and
 * the paper does not publish. Whole builds with a bad paper publish nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../src/build/build.js'
import {processPaper} from '../src/publish/process.js'
import {tempDir} from './helpers/corpus.js'

const now = new Date('2026-11-25T12:00:00Z')

function run(text: string | Uint8Array) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  return processPaper({path: 'paper.md', relativePath: 'paper.md', bytes}, now)
}

const head = (extra = '', classification = 'OFFICIAL') => `---
id: PCD 7
title: A paper
date: "2020-02-02"
classification: ${classification}
${extra}---

`

function errors(outcome: ReturnType<typeof run>) {
  return outcome.messages.filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.ruleId}`)
}

const cases: Array<[string, string | Uint8Array, string[], RegExp]> = [
  ['invalid YAML', '---\nid: [PCD 7\ntitle: x\n---\n\nBody\n', ['3:1 frontmatter-yaml'], /Invalid YAML/],
  ['a missing required key', '---\nid: PCD 7\ndate: "2020-02-02"\nclassification: OFFICIAL\n---\n\nBody\n', ['2:1 frontmatter-missing'], /Missing required frontmatter key `title`/],
  ['an unknown key', head('deferal:\n  until: "2030-01-01"\n'), ['6:1 frontmatter-unknown-key'], /Unknown frontmatter key `deferal`/],
  ['an unknown nested key', head('deferral:\n  until: "2030-01-01"\n  reasons: x\n'), ['8:3 frontmatter-unknown-key'], /`deferral.reasons`/],
  ['an impossible date', head().replace('2020-02-02', '2019-02-30'), ['4:7 date-invalid'], /not a date in the calendar/],
  ['an impossible deferral date', head('deferral:\n  until: "2027-02-30"\n'), ['7:10 date-invalid'], /deferral.until/],
  ['a London time skipped by the clock change', head('deferral:\n  until: "2027-03-28T01:30"\n'), ['7:10 date-invalid'], /does not exist/],
  ['an unknown classification', head('', 'RESTRICTED'), ['5:17 classification-unknown'], /Unknown classification `RESTRICTED`/],
  ['SECRET', head('', 'SECRET'), ['5:17 classification-forbidden'], /must not be stored here/],
  ['TOP SECRET', head('', 'TOP SECRET'), ['5:17 classification-forbidden'], /must not be stored here/],
  ['an unknown exemption in part2', head('part2:\n  exemptions: [s99]\n'), ['7:16 exemption-unknown'], /Unknown exemption `s99`/],
  ['an unknown exemption on a block', head() + ':::official-sensitive{exemptions="s99"}\nx\n:::\n', ['8:1 exemption-unknown'], /s99/],
  ['a block with no ground', head() + 'Text.\n\n:::official-sensitive\nx\n:::\n', ['10:1 redaction-no-ground'], /no ground/],
  ['a span with no ground', head() + 'Name :official-sensitive[Jane] here.\n', ['8:6 redaction-no-ground'], /no ground/],
  ['a misspelt container directive', head() + ':::oficial-sensitive{exemptions="s43"}\nx\n:::\n', ['8:1 directive-unknown'], /did you mean `:::official-sensitive`/],
  ['an unknown leaf directive', head() + '::note[x]\n', ['8:1 directive-unknown'], /Unknown directive `::note`/],
  ['an unknown text directive with a label', head() + 'A :abbr[HTML] here.\n', ['8:3 directive-unknown'], /Unknown directive `:abbr`/],
  ['an unknown text directive with attributes', head() + 'A :tip{x=1} here.\n', ['8:3 directive-unknown'], /Unknown directive `:tip`/],
  ['a marked heading outside a block', head() + '## Part 2 - OFFICIAL-SENSITIVE\n\nText.\n', ['8:1 heading-marking'], /not withheld/],
  ['a public reference to a footnote inside a block', head() + 'Claim.[^1]\n\n:::official-sensitive{exemptions="s43"}\n[^1]: secret\n:::\n', ['8:1 reference-redacted'], /withheld material/],
  ['an unclosed block', head() + ':::official-sensitive{exemptions="s43"}\nnever closed\n', ['8:1 directive-unclosed'], /not closed/],
  ['a block with a space after the colons (not read as a directive)', head() + '::: official-sensitive\nsecret figures\n:::\n', ['8:1 directive-unparsed', '8:1 directive-stray-fence', '10:1 directive-stray-fence'], /not read as a directive/],
  ['a span with a space before its label', head() + 'Lead :official-sensitive [Jane Smith]{exemptions="s40"} here.\n', ['8:1 directive-label-early', '8:6 redaction-no-ground', '8:6 directive-empty'], /end early|outside any withheld span|no ground|no label/],
  ['a sensitive block inside raw HTML', head() + '<div>\n:::official-sensitive{exemptions="s43"}\nsecret\n:::\n</div>\n', ['8:1 directive-unparsed', '8:1 directive-label-early', '9:1 directive-stray-fence', '11:1 directive-stray-fence'], /not read as a directive/],
  ['a marking in the title', head().replace('title: A paper', 'title: Part 2 OFFICIAL-SENSITIVE'), ['3:8 frontmatter-marking'], /published whole/],
  ['a span whose label ends early at a `]` in code', head('part2:\n  exemptions: [s43]\n') + 'The winner, :official-sensitive[the `a]` bidder Acme]{exemptions="s40"}, was told.\n', ['10:1 directive-label-early'], /end early/],
  ['a file that is not UTF-8', Buffer.concat([Buffer.from(head() + 'Caf'), Buffer.from([0xe9, 0x0a])]), ['8:1 encoding-not-utf8'], /not UTF-8/]
]

describe('bad input', () => {
  for (const [name, input, expected, reason] of cases) {
    it(`refuses ${name}`, () => {
      const outcome = run(input)
      expect(outcome.status).toBe('invalid')
      expect(outcome.public).toBeUndefined()
      expect(errors(outcome)).toEqual(expected)
      expect(outcome.messages.find((m) => m.fatal)?.reason).toMatch(reason)
    })
  }

  it('reports every problem of a paper at once', () => {
    const outcome = run(head('deferal: x\npart2:\n  exemptions: [s99]\n').replace('2020-02-02', '2019-02-30'))
    expect(errors(outcome).length).toBeGreaterThanOrEqual(1)
    const text = head('part2:\n  exemptions: [s99]\n', 'TOP SECRET').replace('2020-02-02', '2019-02-30')
    expect(errors(run(text))).toEqual(['4:7 date-invalid', '5:17 classification-forbidden', '7:16 exemption-unknown'])
  })

  it('keeps a bare :word in prose as text', () => {
    const outcome = run(head() + 'Meet at 10:30 in room:a and say :hello.\n')
    expect(outcome.status).toBe('public')
    expect(outcome.public!.markdown).toContain('Meet at 10:30 in room:a and say :hello.')
  })

  it('warns, but publishes, on a marking in public prose', () => {
    const outcome = run(head() + 'This mentions OFFICIAL-SENSITIVE material.\n')
    expect(outcome.status).toBe('public')
    expect(outcome.messages).toEqual([expect.objectContaining({line: 8, column: 1, fatal: false, ruleId: 'prose-marking'})])
  })

  it('accepts CRLF line endings and a byte order mark, with true positions', () => {
    const text = '\uFEFF' + (head() + 'Para.\n\n:::official-sensitive\nx\n:::\n').replace(/\n/g, '\r\n')
    const outcome = run(text)
    expect(errors(outcome)).toEqual(['10:1 redaction-no-ground'])
    const good = run('\uFEFF' + (head() + 'Para.\n').replace(/\n/g, '\r\n'))
    expect(good.status).toBe('public')
    expect(good.public!.markdown).toBe('Para.\n')
  })

  it('refuses two papers with one slug, and publishes nothing', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'a.md'), head() + 'A\n')
    fs.writeFileSync(path.join(dir, 'b.md'), head().replace('PCD 7', 'pcd-7') + 'B\n')
    fs.writeFileSync(path.join(dir, 'c.md'), head().replace('PCD 7', 'PCD 8') + 'C\n')
    const result = await build({content: dir, now})
    expect(result.ok).toBe(false)
    expect(result.files).toBeUndefined()
    const dupes = result.outcomes.flatMap((o) => o.messages.filter((m) => m.ruleId === 'slug-duplicate').map((m) => `${o.relativePath}:${m.line}`))
    expect(dupes).toEqual(['a.md:2', 'b.md:2'])
  })

  it('refuses an empty or missing content folder', async () => {
    const dir = tempDir()
    expect((await build({content: dir, now})).problems[0].ruleId).toBe('content-empty')
    expect((await build({content: path.join(dir, 'nope'), now})).problems[0].ruleId).toBe('content-missing')
  })

  it('refuses attachments that would run script in a browser', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'evil.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>')
    fs.writeFileSync(path.join(dir, 'page.html'), '<p>hi</p>')
    fs.writeFileSync(path.join(dir, 'ok.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><title>ok</title></svg>')
    fs.writeFileSync(path.join(dir, 'a.md'), head() + '![x](./evil.svg)\n\n[page](page.html)\n\n![ok](ok.svg)\n')
    const result = await build({content: dir, now})
    expect(result.ok).toBe(false)
    expect(result.outcomes[0].messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['8:1 asset-unsafe', '10:1 asset-unsafe'])
  })

  it('refuses a missing local image and a symlink out of the content folder', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'outside secret')
    fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(content, 'link.txt'))
    fs.writeFileSync(path.join(content, 'a.md'), head() + '![x](./missing.png)\n\n[y](./link.txt)\n')
    const result = await build({content, now})
    expect(result.ok).toBe(false)
    expect(result.outcomes[0].messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['8:1 asset-missing', '10:1 asset-outside'])
  })
})

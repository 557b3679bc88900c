/**
 * Problems print as editors and terminals read them: one line per problem,
 * `file:line:column: error: reason  [rule-id]`, then the line with a caret
 * under the column, the suggestion, and where the rule is explained.
 */
import path from 'node:path'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'
import {check, paper, PROBLEM_LINE, problemLines} from './helpers.js'

const THREE = paper(
  'The contract goes to Acme.\n\n:::official-sensitive{exemptions="s433"}\nThe price.\n:::\n\nA :abbr[CCTV] contract.\n',
  'decison_maker: Deputy Mayor\n'
)

describe('one line per problem', () => {
  it('is file:line:column: error: reason  [rule-id], for each problem', async () => {
    const result = await check({'pcd-7.md': THREE})
    expect(result.code).toBe(1)
    const file = path.join(result.content, 'pcd-7.md')
    const lines = problemLines(result.stderr)
    expect(lines.map((line) => line.match(PROBLEM_LINE)!.groups)).toEqual([
      expect.objectContaining({file, line: '6', column: '1', kind: 'error', rule: 'frontmatter-unknown-key'}),
      expect.objectContaining({file, line: '11', column: '1', kind: 'error', rule: 'exemption-unknown'}),
      expect.objectContaining({file, line: '15', column: '3', kind: 'error', rule: 'directive-unknown'})
    ])
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('3 errors')
  })

  it('says warning: for a warning, and prints nothing else as a problem', async () => {
    const result = await check({'pcd-7.md': paper('This was OFFICIAL-SENSITIVE once.\n')})
    expect(result.code).toBe(0)
    expect(problemLines(result.stderr)).toEqual([expect.stringMatching(/pcd-7\.md:8:1: warning: .*  \[prose-marking\]$/)])
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('1 warning')
  })

  it('names the content folder for a problem of the folder itself', async () => {
    const result = await check({'notes.txt': 'no papers here'})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${result.content}: error: No papers`)
    expect(result.stderr).toMatch(/\[content-empty\]\n {2}see: docs\/errors\.md#content-empty\n/)
  })

  it('links the rule id to its section in docs/errors.md', async () => {
    const result = await check({'pcd-7.md': THREE})
    for (const rule of ['frontmatter-unknown-key', 'exemption-unknown', 'directive-unknown']) expect(result.stderr).toContain(`  see: docs/errors.md#${rule}\n`)
  })
})

describe('the code frame', () => {
  it('shows the line with a caret under the column and a line either side', async () => {
    const result = await check({'pcd-7.md': THREE})
    const frame = result.stderr.split('\n')
    const at = frame.findIndex((line) => line.startsWith('> 15 |'))
    expect(frame.slice(at - 1, at + 3)).toEqual(['  14 |', '> 15 | A :abbr[CCTV] contract.', '     |   ^^^^^^^^^^^', '  16 |'])
  })

  it('puts the caret under the column after a tab, an astral emoji and wide characters', async () => {
    // Columns count UTF-16 code units (the emoji is two); the terminal shows
    // the tab to the next multiple of four and each of 😀 漢 字 as two cells.
    const result = await check({'pcd-7.md': paper('A\t😀 漢字 :abbr[x] here.\n')})
    const frame = result.stderr.split('\n')
    expect(problemLines(result.stderr)[0]).toMatch(/pcd-7\.md:8:9: error: Unknown directive `:abbr`/)
    const at = frame.findIndex((line) => line.startsWith('> 8 |'))
    expect(frame[at]).toBe('> 8 | A   😀 漢字 :abbr[x] here.')
    expect(frame[at + 1]).toBe('    |             ^^^^^^^^')
    const colon = frame[at].indexOf(':abbr')
    expect(frame[at + 1].indexOf('^')).toBe(stringWidth(frame[at].slice(0, colon)))
  })

  it('shows control characters and bidirectional overrides as code points, never raw', async () => {
    const result = await check({'pcd-7.md': paper('A \u001b[31mred\u202e :abbr[x]\n')})
    const frame = result.stderr.split('\n')
    const at = frame.findIndex((line) => line.startsWith('> 8 |'))
    expect(frame[at]).toBe('> 8 | A <U+001B>[31mred<U+202E> :abbr[x]')
    expect(frame[at + 1].indexOf('^')).toBe(frame[at].indexOf(':abbr'))
    expect(result.stderr).not.toContain('\u001b')
  })

  it('shows them as code points in a reason that quotes the paper too', async () => {
    // A YAML escape puts an ESC character in a key, which the reason quotes.
    const result = await check({'pcd-7.md': paper('Body.\n', '"x\\e[2Jy": 1\n')})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('Unknown frontmatter key `x<U+001B>[2Jy`')
    expect(result.stderr).not.toContain('\u001b')
  })

  it('cuts a long line to a window around the caret', async () => {
    const result = await check({'pcd-7.md': paper('x'.repeat(5000) + ' :abbr[x] ' + 'y'.repeat(5000) + '\n')})
    const frame = result.stderr.split('\n')
    const at = frame.findIndex((line) => line.startsWith('> 8 |'))
    expect(frame[at].length).toBeLessThan(120)
    expect(frame[at]).toMatch(/^> 8 \| …x+ :abbr\[x\] y+…$/)
    expect(frame[at + 1].indexOf('^')).toBe(frame[at].indexOf(':abbr'))
  })
})

describe('colour', () => {
  const bad = {'pcd-7.md': THREE}
  it('only when stderr is a terminal', async () => {
    expect((await check(bad, {isTTY: true})).stderr).toContain('\u001b[31m')
    expect((await check(bad, {isTTY: false})).stderr).not.toContain('\u001b[')
  })

  it('never when NO_COLOR is set, with either reporter', async () => {
    expect((await check(bad, {isTTY: true, env: {NO_COLOR: '1'}})).stderr).not.toContain('\u001b[')
    expect((await check(bad, {isTTY: true, env: {NO_COLOR: '1'}, args: ['--reporter', 'vfile']})).stderr).not.toContain('\u001b[')
    expect((await check(bad, {isTTY: true, args: ['--reporter', 'vfile']})).stderr).toContain('\u001b[')
  })

  it('adds colour and nothing else', async () => {
    const coloured = await check(bad, {isTTY: true})
    const plain = await check(bad)
    const strip = (run: {stderr: string; content: string}) => run.stderr.replaceAll(run.content, 'CONTENT').replace(/\u001b\[\d+m/g, '')
    expect(strip(coloured)).toBe(strip(plain))
  })
})

describe('--reporter vfile', () => {
  it("prints vfile-reporter's grouped output, every message alike", async () => {
    const result = await check({'pcd-7.md': paper('::: official-sensitive{exemptions="s43"}\nSecret.\n:::\n')}, {args: ['--reporter', 'vfile']})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/pcd-7\.md\n8:1-10:4 +error +/)
    expect(result.stderr).toMatch(/directive-unparsed/)
    expect(result.stderr).toMatch(/5 messages \(✖ 4 errors, ⚠ 1 warning\)/)
    expect(problemLines(result.stderr)).toEqual([])
  })

  it('is offered by check, build and release, and a mistyped reporter is bad usage before any work', async () => {
    for (const command of ['check', 'build', 'release']) {
      const result = await check({'pcd-7.md': THREE}, {command, args: ['--reporter', 'vfiles']})
      expect(result.code, command).toBe(2)
      expect(result.stderr, command).toMatch(/Unknown --reporter `vfiles`: use `default` or `vfile`/)
      const used = await check({'pcd-7.md': THREE}, {command, args: ['--reporter', 'vfile']})
      expect(used.code, command).toBe(command === 'release' ? 5 : 1)
      expect(used.stderr, command).toMatch(/\n✖ 3 errors\n/)
    }
  })

  it('is listed by --help', async () => {
    const {mopac} = await import('./helpers.js')
    for (const command of ['check', 'build', 'release']) expect((await mopac([command, '--help'])).stdout, command).toMatch(/--reporter NAME/)
  })
})

describe('build and release', () => {
  it('print the same one line per problem and publish nothing', async () => {
    const built = await check({'pcd-7.md': THREE}, {command: 'build'})
    expect(built.code).toBe(1)
    expect(problemLines(built.stderr).length).toBe(3)
    expect(built.stderr).toMatch(/Nothing published/)
    const released = await check({'pcd-7.md': THREE}, {command: 'release'})
    expect(released.code).toBe(5)
    expect(problemLines(released.stderr).length).toBe(3)
    expect(released.stderr).toMatch(/HELD: 1 paper not published/)
  })
})

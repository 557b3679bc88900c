/**
 * "Did you mean" where one fits: frontmatter keys, classifications,
 * exemptions, directive attributes, commands and options. One candidate
 * nearer than all the others, or no suggestion at all.
 */
import {describe, expect, it} from 'vitest'
import {closest, suggestClassification, suggestExemption, suggestionIn} from '../../src/content/suggest.js'
import {check, mopac, paper} from './helpers.js'

const validClassification = (c: string) => c === 'OFFICIAL' || /^OFFICIAL-SENSITIVE(?: \[[A-Z][A-Z -]*\])?$/.test(c)

describe('suggestions in a paper', () => {
  it('a misspelt frontmatter key', async () => {
    const result = await check({'pcd-7.md': paper('Body.\n', 'decison_maker: Deputy Mayor\n')})
    expect(result.stderr).toMatch(/pcd-7\.md:6:1: error: Unknown frontmatter key `decison_maker` \(did you mean `decision_maker`\?\)/)
    expect(result.stderr).toContain('> 6 | decison_maker: Deputy Mayor\n    | ^^^^^^^^^^^^^ did you mean `decision_maker`?\n')
  })

  it('a misspelt nested key', async () => {
    const result = await check({'pcd-7.md': paper('Body.\n', 'deferral:\n  untill: "2030-01-01"\n')})
    expect(result.stderr).toMatch(/Unknown frontmatter key `deferral\.untill` \(did you mean `until`\?\)/)
  })

  it('a misspelt classification', async () => {
    const result = await check({'pcd-7.md': paper('Body.\n', '', 'OFFICAL')})
    expect(result.stderr).toMatch(/pcd-7\.md:5:17: error: Unknown classification `OFFICAL` \(did you mean `OFFICIAL`\?\)/)
    expect(result.stderr).toContain('> 5 | classification: OFFICAL\n    |                 ^^^^^^^ did you mean `OFFICIAL`?\n')
  })

  it('a mistyped exemption, in part2 and on a block', async () => {
    const result = await check({'pcd-7.md': paper(':::official-sensitive{exemptions="s433"}\nSecret.\n:::\n', 'part2:\n  exemptions: [s433]\n')})
    expect(result.stderr).toMatch(/pcd-7\.md:7:16: error: Unknown exemption `s433` \(did you mean `s43`\?\)/)
    expect(result.stderr).toMatch(/pcd-7\.md:10:1: error: Unknown exemption `s433` \(did you mean `s43`\?\)/)
  })

  it('a misspelt attribute', async () => {
    const result = await check({'pcd-7.md': paper(':::official-sensitive{exemption="s43"}\nSecret.\n:::\n')})
    expect(result.stderr).toMatch(/Unknown attribute `exemption` on `:::official-sensitive` \(did you mean `exemptions`\?\)/)
  })

  it('a misspelt directive name', async () => {
    const result = await check({'pcd-7.md': paper(':::oficial-sensitive{exemptions="s43"}\nSecret.\n:::\n')})
    expect(result.stderr).toContain(`> 8 | :::oficial-sensitive{exemptions="s43"}\n    | ${'^'.repeat(38)} did you mean \`:::official-sensitive\`?\n`)
  })
})

describe('suggestions on the command line', () => {
  it('a misspelt command', async () => {
    const result = await mopac(['buidl'])
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('Unknown command `buidl` (did you mean `mopac build`?): run `mopac --help` for the list of commands\n')
  })

  it('a misspelt option', async () => {
    const result = await mopac(['build', '--contnet', 'content'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^Unknown option `--contnet` for `mopac build` \(did you mean `--content`\?\)\nRun `mopac build --help` for usage\.\n$/)
  })

  it("another command's option names the commands that take it", async () => {
    const result = await mopac(['check', '--out', 'x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^Unknown option `--out` for `mopac check` \(it is an option of `mopac build`, `mopac release`, /)
  })

  it('nothing near: no guess', async () => {
    expect((await mopac(['frobnicate'])).stderr).not.toMatch(/did you mean/)
    expect((await mopac(['build', '--zzzzzz'])).stderr).not.toMatch(/did you mean/)
  })
})

describe('closest and the suggesters', () => {
  it('suggests only a candidate nearer than every other', () => {
    expect(closest('decison_maker', ['decision_maker', 'date', 'title'])).toBe('decision_maker')
    expect(closest('buidl', ['build', 'check', 'release'])).toBe('build')
    expect(closest('Title', ['title', 'tags'])).toBe('title')
    expect(closest('frobnicate', ['build', 'check'])).toBeUndefined()
    expect(closest('s4', ['s40', 's41', 's42'])).toBeUndefined()
  })

  it('exemptions: the form papers use, or the nearest section, and no guess between two', () => {
    const cases: Array<[string, string | undefined]> = [['s433', 's43'], ['S43', 's43'], ['43', 's43'], ['section 43', 's43'], ['s.43', 's43'], ['s31(1)(A)', 's31(1)(a)'], ['s99', undefined], ['s45', undefined], ['x', undefined]]
    for (const [written, meant] of cases) expect(suggestExemption(written), written).toBe(meant)
  })

  it('classifications', () => {
    const cases: Array<[string, string | undefined]> = [['OFFICAL', 'OFFICIAL'], ['official', 'OFFICIAL'], ['OFFICIAL SENSITIVE', 'OFFICIAL-SENSITIVE'], ['official-sensitive commercial', 'OFFICIAL-SENSITIVE [COMMERCIAL]'], ['OFFICIAL-SENSITIVE [commercial]', 'OFFICIAL-SENSITIVE [COMMERCIAL]'], ['OFICIAL-SENSITVE', 'OFFICIAL-SENSITIVE'], ['PUBLIC', undefined], ['RESTRICTED', undefined]]
    for (const [written, meant] of cases) expect(suggestClassification(written, validClassification), written).toBe(meant)
  })

  it('the suggestion is found again in the reason', () => {
    expect(suggestionIn('Unknown exemption `s433` (did you mean `s43`?): expected ...')).toBe('`s43`')
    expect(suggestionIn('Unknown exemption `s99`: expected ...')).toBeUndefined()
  })
})

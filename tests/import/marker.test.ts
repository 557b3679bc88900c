/**
 * The marker `mopac import` leaves where it dropped or was unsure of
 * something: `mopac check` refuses it, at its place, with its own rule id,
 * until the author deletes it.
 */
import {describe, expect, it} from 'vitest'
import {processPaper} from '../../src/publish/process.js'

const now = new Date('2026-01-01T00:00:00Z')

function check(body: string) {
  const text = `---\nid: PCD 9\ntitle: Marker\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\n${body}`
  return processPaper({path: 'content/p.md', relativePath: 'p.md', bytes: Buffer.from(text)}, now)
}

describe('import-unresolved', () => {
  it('refuses a marker on its own line, at its line, quoting its text', () => {
    const outcome = check('Before.\n\n::import-unresolved[Kept from the approval box: is this part of the paper?]\n\nAfter.\n')
    expect(outcome.status).toBe('invalid')
    const errors = outcome.messages.filter((m) => m.fatal)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ruleId: 'import-unresolved', line: 10, column: 1})
    expect(errors[0].reason).toContain('Kept from the approval box: is this part of the paper?')
    expect(errors[0].reason).toContain('then delete the marker')
  })

  it('refuses a marker inside a line and inside a withheld block', () => {
    const outcome = check('An image :import-unresolved[Image 2 could not be carried over] here.\n\n:::official-sensitive{exemptions="s43"}\n::import-unresolved[Part 2 note]\n:::\n')
    expect(outcome.messages.filter((m) => m.fatal).map((m) => [m.ruleId, m.line])).toEqual([
      ['import-unresolved', 8],
      ['import-unresolved', 11]
    ])
  })

  it('accepts the paper once the marker is deleted', () => {
    expect(check('Before.\n\nAfter.\n').status).toBe('public')
  })
})

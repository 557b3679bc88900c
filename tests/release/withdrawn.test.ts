/**
 * Withdrawal and corrections in the frontmatter: validated like every other
 * key; a withdrawn paper keeps only its identity and the notice, its
 * attachments go, and the log records the withdrawal; `remove: true` takes
 * the page down whole.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {processPaper} from '../../src/publish/process.js'
import {release} from '../../src/release/release.js'
import {tempDir} from '../helpers/corpus.js'

const now = new Date('2026-12-05T12:00:00Z')
const base = 'id: PCD 5\ntitle: A decision\ndate: "2026-11-01"\nclassification: OFFICIAL\nsummary: zkwithdrawnsummary\ntags: [roads]\n'
const paper = (extra: string, body = 'zkwithdrawnbody text.\n\n![chart](./chart.png)\n') => `---\n${base}${extra}---\n\n${body}`
const run = (source: string) => processPaper({path: 'content/p.md', relativePath: 'p.md', bytes: Buffer.from(source)}, now)

describe('withdrawn and updates', () => {
  it('a withdrawn paper keeps its identity and the notice, nothing of its body', () => {
    const outcome = run(paper('withdrawn:\n  date: "2026-12-01"\n  explanation: Replaced by PCD 6.\n'))
    expect(outcome.status).toBe('public')
    expect(outcome.assetRefs).toEqual([])
    expect(outcome.public).toEqual({id: 'PCD 5', slug: 'pcd-5', title: 'A decision', date: '2026-11-01', tags: [], exemptions: [], withheld: 0, markdown: '', html: '', text: '', withdrawn: {date: '2026-12-01', explanation: 'Replaced by PCD 6.'}})
  })

  it('remove: true takes the paper off whole', () => {
    const outcome = run(paper('withdrawn:\n  date: "2026-12-01"\n  explanation: Published in error.\n  remove: true\n'))
    expect(outcome.status).toBe('removed')
    expect(outcome.public).toBeUndefined()
  })

  it('updates are public, newest first', () => {
    const outcome = run(paper('updates:\n  - date: "2026-11-02"\n    note: Typo fixed.\n  - date: "2026-11-20"\n    note: Value corrected.\n'))
    expect(outcome.public?.updates).toEqual([{date: '2026-11-20', note: 'Value corrected.'}, {date: '2026-11-02', note: 'Typo fixed.'}])
  })

  const invalid: Array<[string, string, string]> = [
    ['a withdrawal with no explanation', 'withdrawn:\n  date: "2026-12-01"\n', 'frontmatter-missing'],
    ['a withdrawal on no real date', 'withdrawn:\n  date: "2026-02-30"\n  explanation: x\n', 'date-invalid'],
    ['an unknown key in a withdrawal', 'withdrawn:\n  date: "2026-12-01"\n  explanation: x\n  reason: y\n', 'frontmatter-unknown-key'],
    ['remove that is not true or false', 'withdrawn:\n  date: "2026-12-01"\n  explanation: x\n  remove: yes\n', 'frontmatter-invalid'],
    ['an update with no note', 'updates:\n  - date: "2026-12-01"\n', 'frontmatter-missing'],
    ['an update on no real date', 'updates:\n  - date: "tomorrow"\n    note: x\n', 'date-invalid'],
    ['a marking in an explanation', 'withdrawn:\n  date: "2026-12-01"\n  explanation: OFFICIAL-SENSITIVE detail\n', 'frontmatter-marking'],
    ['a comment in a note', 'updates:\n  - date: "2026-12-01"\n    note: "Fixed <!-- internal -->"\n', 'comment-in-frontmatter']
  ]
  for (const [what, extra, rule] of invalid) {
    it(`refuses ${what}`, () => {
      const outcome = run(paper(extra))
      expect(outcome.status).toBe('invalid')
      expect(outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId)).toContain(rule)
    })
  }

  it('an update dated later appears on its date, with no other change to the content', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    const state = path.join(dir, 'state')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'p.md'), paper('updates:\n  - date: "2026-12-07"\n    note: zkfutureupdate corrected.\n', 'Body text.\n'))
    const page = () => fs.readFileSync(path.join(out, 'decisions/pcd-5/index.html'), 'utf8')
    await release({content, out, state, now, verify: async () => []})
    expect(page()).not.toContain('zkfutureupdate')
    const later = new Date('2026-12-07T09:00:00Z')
    await release({content, out, state, now: later, verify: async () => []})
    expect(page()).toContain('zkfutureupdate')
  })

  it('the release log records a withdrawal, and a removal', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    const state = path.join(dir, 'state')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'chart.png'), Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5dd4c5a0000000049454e44ae426082', 'hex'))
    fs.writeFileSync(path.join(content, 'p.md'), paper(''))
    fs.writeFileSync(path.join(content, 'q.md'), paper('', 'Other.\n').replace(/PCD 5/, 'PCD 7'))
    expect((await release({content, out, state, now, verify: async () => []})).status).toBe('released')
    fs.writeFileSync(path.join(content, 'p.md'), paper('withdrawn:\n  date: "2026-12-06"\n  explanation: Replaced by PCD 6.\n'))
    fs.writeFileSync(path.join(content, 'q.md'), paper('withdrawn:\n  date: "2026-12-06"\n  explanation: In error.\n  remove: true\n', 'Other.\n').replace(/PCD 5/, 'PCD 7'))
    const later = await release({content, out, state, now: new Date('2026-12-06T12:00:00Z'), verify: async () => []})
    expect(later.withdrawn.map((e) => e.slug).sort()).toEqual(['pcd-5', 'pcd-7'])
    expect(fs.existsSync(path.join(out, 'decisions', 'pcd-7'))).toBe(false)
    expect(fs.existsSync(path.join(out, 'decisions', 'pcd-5', 'files', 'chart.png'))).toBe(false)
    // A third run logs nothing new.
    const again = await release({content, out, state, now: new Date('2026-12-06T13:00:00Z'), verify: async () => []})
    expect(again.released).toEqual([])
    expect(again.withdrawn).toEqual([])
  })
})

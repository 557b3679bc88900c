/**
 * One broken paper never delays another; a draft is never published and its
 * errors are warnings in `release`.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {content, paper, releaseAt} from './helpers.js'

const due = paper('PCD 9', 'deferral:\n  until: "2025-01-01"\n', 'Due body.\n', 'Due paper')
const at = new Date('2025-01-02T00:00:00Z')
const onSite = (out: string, slug: string) => fs.existsSync(path.join(out, 'decisions', slug, 'index.html'))

describe('(was a hole) a draft sharing a due paper\'s slug holds the due paper', () => {
  // `slug-duplicate` is raised on both papers; the draft's copy is a warning,
  // but the due paper gets it as an error and is held (exit 5). A draft (for
  // instance a revision being prepared with the same id) should never delay
  // a due paper: it is never published, so there is no clash on the site.
  for (const [what, draftId] of [['same id', 'PCD 9'], ['id with the same slug', 'pcd-9']] as const) {
    it(what, async () => {
      const dir = content({'a.md': paper('PCD 1'), 'b.md': due, 'c.md': paper(draftId, 'draft: true\n', 'Draft revision.\n', 'Draft')})
      const r = await releaseAt(dir, at)
      expect(r.held.map((h) => h.id)).toEqual([])
      expect(onSite(r.out, 'pcd-9')).toBe(true)
    })
  }
})

describe('held: broken papers do not delay others', () => {
  it('a paper with an unclosed block is held, the due paper goes out', async () => {
    const dir = content({'a.md': paper('PCD 1'), 'b.md': due, 'c.md': paper('PCD 3', 'part2:\n  exemptions: [s43]\n', ':::official-sensitive\nzqsecret\n')})
    const r = await releaseAt(dir, at)
    expect(r.status).toBe('held')
    expect(onSite(r.out, 'pcd-9')).toBe(true)
    expect(onSite(r.out, 'pcd-3')).toBe(false)
    expect(r.held.map((h) => h.ruleId)).toContain('directive-unclosed')
  })
  it('a draft with an error does not hold anything', async () => {
    const dir = content({'a.md': paper('PCD 1'), 'b.md': due, 'c.md': paper('PCD 3', 'draft: true\n', ':::official-sensitive\nx\n')})
    const r = await releaseAt(dir, at)
    expect(r.held).toEqual([])
    expect(onSite(r.out, 'pcd-9')).toBe(true)
  })
  it('one second before due: not released', async () => {
    const dir = content({'a.md': paper('PCD 1'), 'b.md': due})
    const r = await releaseAt(dir, new Date('2024-12-31T23:59:59Z'))
    expect(onSite(r.out, 'pcd-9')).toBe(false)
  })
})

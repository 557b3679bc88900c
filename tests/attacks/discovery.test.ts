/**
 * No paper is skipped silently.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildAt, content, expectRefused, paper} from './helpers.js'

describe('(was a hole, low) a paper whose name ends in ".md " (trailing space) is counted as an attachment', () => {
  // `check` lists it among "other files"; the paper is left out without an
  // error, while `.MD`, `.markdown`, `.mkd` and `.mdown` are refused with
  // content-unread.
  it('"b.md " is refused (content-unread)', async () => {
    const r = await buildAt(content({'a.md': paper('PCD 1'), 'b.md ': paper('PCD 2')}))
    expectRefused(r, 'content-unread')
  })
})

describe('held: Markdown-like names are refused or read', () => {
  for (const name of ['b.Md', 'b.MD', 'b.mdown', 'b.MARKDOWN', 'b.mkd', 'b.markdown']) {
    it(name, async () => expectRefused(await buildAt(content({'a.md': paper('PCD 1'), [name]: paper('PCD 2')})), 'content-unread'))
  }
  it('a paper in a sub-folder is read', async () => {
    const r = await buildAt(content({'a.md': paper('PCD 1'), 'sub/deeper/b.md': paper('PCD 2')}))
    expect(r.outcomes.map((o) => o.status).sort()).toEqual(['public', 'public'])
  })
  it('a symbolic link to a paper is refused', async () => {
    const dir = content({'a.md': paper('PCD 1'), 'real/b.txt': paper('PCD 2')})
    fs.symlinkSync(path.join(dir, 'real/b.txt'), path.join(dir, 'b.md'))
    expectRefused(await buildAt(dir), 'content-symlink')
  })
  it('a symbolic link to a folder is refused', async () => {
    const dir = content({'a.md': paper('PCD 1'), 'real/b.md': paper('PCD 2')})
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'))
    expectRefused(await buildAt(dir), 'content-symlink')
  })
  it('two ids with the same slug are refused', async () => {
    expectRefused(await buildAt(content({'a.md': paper('PCD 7'), 'b.md': paper('pcd-7')})), 'slug-duplicate')
  })
})

/**
 * Papers are never skipped silently: a paper or a folder that is a symbolic
 * link is refused with an error naming it; hidden entries are listed by
 * `check` as not read, with the reason.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {scanContent} from '../../src/content/discover.js'
import {runMopac} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

const now = new Date('2026-06-01T12:00:00Z')
const paper = (n: number, body = 'Public text.') => `---\nid: PCD ${n}\ntitle: Paper ${n}\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\n${body}\n`

function folder() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  fs.mkdirSync(path.join(content, 'sub'), {recursive: true})
  fs.writeFileSync(path.join(content, 'a.md'), paper(1))
  fs.writeFileSync(path.join(content, 'sub', 'b.md'), paper(2))
  return {dir, content}
}

describe('symbolic links in the content folder', () => {
  const cases: Array<[string, (content: string, dir: string) => void, string]> = [
    ['a paper that links to a paper inside', (content) => fs.symlinkSync('a.md', path.join(content, 'c.md')), 'c.md'],
    ['a paper that links to a file outside', (content, dir) => {
      fs.writeFileSync(path.join(dir, 'outside.md'), paper(9))
      fs.symlinkSync(path.join(dir, 'outside.md'), path.join(content, 'sub', 'd.md'))
    }, 'sub/d.md'],
    ['a folder that is a link', (content) => fs.symlinkSync('sub', path.join(content, 'linked')), 'linked'],
    ['a folder link to a folder outside', (content, dir) => {
      fs.mkdirSync(path.join(dir, 'elsewhere'))
      fs.writeFileSync(path.join(dir, 'elsewhere', 'e.md'), paper(10))
      fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(content, 'more'))
    }, 'more'],
    ['a dangling link named like a paper', (content) => fs.symlinkSync('nowhere.md', path.join(content, 'gone.md')), 'gone.md'],
    ['a link with another Markdown name', (content) => fs.symlinkSync('a.md', path.join(content, 'x.markdown')), 'x.markdown']
  ]
  for (const [what, make, name] of cases) {
    it(`refuses ${what}, naming it`, async () => {
      const {dir, content} = folder()
      make(content, dir)
      const result = await build({content, now})
      expect(result.ok).toBe(false)
      const refusal = result.problems.find((m) => m.ruleId === 'content-symlink')
      expect(refusal?.fatal).toBe(true)
      expect(refusal?.reason).toContain(`\`${name}\``)
      expect(result.files).toBeUndefined()
    })
  }

  it('a link to an attachment is not a paper, and counted', async () => {
    const {content} = folder()
    fs.writeFileSync(path.join(content, 'data.csv'), 'a,b\n1,2\n')
    fs.symlinkSync('data.csv', path.join(content, 'link.csv'))
    const scan = await scanContent(content)
    expect(scan.papers).toEqual(['a.md', 'sub/b.md'])
    expect(scan.links).toEqual([])
    expect(scan.others).toBe(2)
  })

  it('check says how many files it considered and why any were not read', async () => {
    const {content} = folder()
    fs.mkdirSync(path.join(content, '.drafts'))
    fs.writeFileSync(path.join(content, '.drafts', 'z.md'), paper(3))
    fs.writeFileSync(path.join(content, 'chart.png'), 'png')
    const ok = await runMopac(['check', '--content', content, '--no-cache', '--now', '2026-06-01T12:00Z'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('3 files considered: 2 papers (*.md), 1 other files')
    expect(ok.stdout).toContain('not read: .drafts: hidden (its name starts with a dot)')

    fs.symlinkSync('a.md', path.join(content, 'copy.md'))
    const refused = await runMopac(['check', '--content', content, '--no-cache', '--now', '2026-06-01T12:00Z'])
    expect(refused.code).toBe(1)
    expect(refused.stdout + refused.stderr).toContain('`copy.md` is a symbolic link')
  })
})

/**
 * The scheduled release's output goes to mail: off a terminal it names the
 * place of each problem and never quotes the paper's lines, which may be
 * withheld material. `check`, run by an author, shows the line.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runMopac} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

const NOW = new Date('2026-06-01T12:00:00Z')

describe('release output', () => {
  it('quotes no line of a paper off a terminal; check does', async () => {
    const root = tempDir('mopac-mail-')
    const content = path.join(root, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'good.md'), '---\nid: PCD 1\ntitle: Good\ndate: "2026-05-01"\nclassification: OFFICIAL\n---\n\nFine.\n')
    fs.writeFileSync(path.join(content, 'bad.md'), '---\nid: PCD 2\ntitle: Bad\ndate: "2026-05-01"\nclassification: OFFICIAL\n---\n\nThe lead is :official-sensitive[zkmailsecret Jane Smith]{exemptions="s99"} today.\n')
    const args = ['--content', content, '--out', path.join(root, 'out'), '--state', path.join(root, 'state'), '--now', NOW.toISOString()]
    const release = await runMopac(['release', ...args], {now: NOW})
    expect(release.code).toBe(5)
    expect(release.stderr).toMatch(/bad\.md:\d+:\d+/)
    expect(release.stderr).not.toContain('zkmailsecret')
    const check = await runMopac(['check', '--content', content, '--now', NOW.toISOString()], {now: NOW})
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('zkmailsecret')
  })
})

/**
 * Sign-off locked to the public rendering: with `approvals: 2`, a paper is
 * published only after two different people approved its exact public
 * rendering, and any change to that rendering holds it again.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {approversOf, parseApprovals, renderingHash, renderingText, sha256} from '../../src/publish/approvals.js'
import {decide} from '../../src/publish/decide.js'
import {processPaper} from '../../src/publish/process.js'
import {runMopac} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

const NOW = new Date('2026-06-01T12:00:00Z')

const paper = (part1: string, extra = '') => `---
id: PCD 700
title: Custody suite refurbishment
date: "2026-05-20"
classification: OFFICIAL
decision_maker: Deputy Mayor for Policing and Crime
${extra}---

## Part 1

${part1}

:::official-sensitive{exemptions="s43"}
zkapprovalsecret the tender prices were 4.1m and 4.6m.
:::
`

const OTHER = `---
id: PCD 701
title: Another decision
date: "2026-05-21"
classification: OFFICIAL
---

Approved grants for youth projects.
`

function site(approvals: number) {
  const root = tempDir('mopac-approvals-')
  const content = path.join(root, 'content')
  fs.mkdirSync(content)
  fs.writeFileSync(path.join(content, 'mopac.config.json'), JSON.stringify({approvals}) + '\n')
  fs.writeFileSync(path.join(content, 'pcd-700.md'), paper('The refurbishment of the custody suite is approved.'))
  fs.writeFileSync(path.join(content, 'pcd-701.md'), OTHER)
  const args = ['--content', content, '--out', path.join(root, 'public'), '--state', path.join(root, 'state'), '--now', NOW.toISOString()]
  const page = () => {
    const file = path.join(root, 'public/decisions/pcd-700/index.html')
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined
  }
  const build = () => runMopac(['build', ...args], {now: NOW})
  const approve = (who: string, id = 'PCD 700') => runMopac(['approve', id, '--as', who, '--content', content, '--now', NOW.toISOString()], {now: NOW})
  return {root, content, build, approve, page}
}

describe('the rendering an approval covers', () => {
  const at = (text: string) => processPaper({path: 'x.md', relativePath: 'x.md', bytes: Buffer.from(text)}, NOW)
  const rendered = (text: string) => {
    const d = decide(at(text), {now: NOW})
    if (d.status !== 'public') throw new Error(`not public: ${d.status}`)
    return d.paper
  }

  it('holds public text and metadata, never the withheld text', () => {
    const text = renderingText(rendered(paper('Part one words.')))
    expect(text).toContain('Part one words.')
    expect(text).toContain('Custody suite refurbishment')
    expect(text).not.toContain('zkapprovalsecret')
  })

  it('changes with a word of Part 1, a redaction removed, a title, a deferral moved or an attachment byte', () => {
    const base = renderingHash(rendered(paper('Part one words.')))
    const changes = [
      paper('Part one word.'),
      paper('Part one words.').replace(':::official-sensitive{exemptions="s43"}\nzkapprovalsecret the tender prices were 4.1m and 4.6m.\n:::\n', ''),
      paper('Part one words.').replace('Custody suite refurbishment', 'Custody suite refurbishments'),
      paper('Part one words.', 'deferral:\n  until: "2026-05-30"\n'),
      paper('Part one words.').replace('s43', 's43, s40')
    ]
    for (const text of changes) expect(renderingHash(rendered(text))).not.toBe(base)
    const withAsset = (bytes: number[]) => renderingHash({...rendered(paper('Part one words.')), assets: [{target: 'files/a.png', bytes: new Uint8Array(bytes)}]})
    expect(withAsset([1, 2, 3])).not.toBe(withAsset([1, 2, 4]))
  })

  it('counts people, not lines: the same name twice (case, spaces) is one approval', () => {
    const rendering = 'x'
    const line = (approver: string, hash = sha256(rendering)) => JSON.stringify({paper: 'PCD 1', file: 'a.md', approver, at: NOW.toISOString(), sha256: hash, rendering})
    const {records, problems} = parseApprovals([line('Ann Lee'), line(' ann  lee '), line('Bo Chan'), '{torn', line('Eve', 'f'.repeat(64)), JSON.stringify({paper: 'PCD 1'})].join('\n'))
    expect(approversOf(records, 'PCD 1', sha256(rendering))).toEqual(['Ann Lee', 'Bo Chan'])
    // A torn line, a hash that is not the rendering's and a line missing fields approve nothing.
    expect(problems.map((p) => p.line)).toEqual([4, 5, 6])
  })
})

describe('approvals: 2', () => {
  it('publishes a paper only after two different people approved its exact rendering; a change holds it again, the approved version stays live', async () => {
    const s = site(2)
    await s.approve('Ann Lee', 'PCD 701')
    await s.approve('Bo Chan', 'PCD 701')
    const check = await runMopac(['check', '--content', s.content, '--state', path.join(s.root, 'state'), '--now', NOW.toISOString()], {now: NOW})
    expect(check.code).toBe(0)
    expect(check.stdout).toContain('1 awaiting approval (approvals: 2), held until approved: PCD 700')
    expect(check.stdout).toContain('1 published')
    let run = await s.build()
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('approval-missing')
    expect(s.page()).toBeUndefined()
    // The other paper, approved, is not stopped by this one.
    expect(fs.existsSync(path.join(s.root, 'public/decisions/pcd-701/index.html'))).toBe(true)

    expect((await s.approve('Ann Lee')).code).toBe(0)
    run = await s.build()
    expect(run.code).toBe(5)
    expect(s.page()).toBeUndefined()
    // The same person again is still one approval.
    expect((await s.approve(' ann lee')).code).toBe(0)
    expect((await s.build()).code).toBe(5)
    expect(s.page()).toBeUndefined()

    const second = await s.approve('Bo Chan')
    expect(second.stdout).toContain('2 of 2 needed')
    run = await s.build()
    expect(run.code).toBe(0)
    expect(s.page()).toContain('The refurbishment of the custody suite is approved.')

    // A word of Part 1 changes: held until approved again; the live page stays as approved.
    fs.writeFileSync(path.join(s.content, 'pcd-700.md'), paper('The refurbishment of the custody suite is deferred.'))
    run = await s.build()
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('the live version stays as last published')
    expect(s.page()).toContain('The refurbishment of the custody suite is approved.')
    expect(s.page()).not.toContain('is deferred.')
    await s.approve('Ann Lee')
    await s.approve('Bo Chan')
    expect((await s.build()).code).toBe(0)
    expect(s.page()).toContain('is deferred.')
    for (const file of walk(path.join(s.root, 'public'))) expect(fs.readFileSync(file, 'utf8').includes('zkapprovalsecret')).toBe(false)
  })

  it('an approval file edited by hand approves nothing', async () => {
    const s = site(1)
    await s.approve('Ann Lee')
    const file = path.join(s.content, 'approvals.jsonl')
    const record = JSON.parse(fs.readFileSync(file, 'utf8'))
    // Someone swaps in another rendering under the approved hash.
    fs.writeFileSync(file, JSON.stringify({...record, rendering: record.rendering.replace('approved', 'rejected')}) + '\n')
    const run = await s.build()
    expect(run.code).toBe(5)
    expect(s.page()).toBeUndefined()
  })

  it('approvals: 0 publishes without approvals, as before', async () => {
    const s = site(0)
    expect((await s.build()).code).toBe(0)
    expect(s.page()).toContain('custody suite is approved')
  })

  it('refuses to approve what has no public rendering, with the reason', async () => {
    const s = site(1)
    fs.writeFileSync(path.join(s.content, 'pcd-702.md'), OTHER.replace('PCD 701', 'PCD 702').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'))
    const run = await runMopac(['approve', 'PCD 702', '--as', 'Ann', '--content', s.content, '--now', NOW.toISOString()], {now: NOW})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('withheld whole')
    const missing = await runMopac(['approve', 'PCD 999', '--as', 'Ann', '--content', s.content], {now: NOW})
    expect(missing.code).toBe(2)
    expect(fs.existsSync(path.join(s.content, 'approvals.jsonl'))).toBe(false)
  })

  it('approves a deferred paper as it will be released, at the end of its deferral', async () => {
    const s = site(1)
    fs.writeFileSync(path.join(s.content, 'pcd-700.md'), paper('Deferred words.', 'deferral:\n  until: "2026-07-01"\n'))
    await s.approve('Ann Lee', 'PCD 701')
    const run = await s.approve('Ann Lee')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 July 2026')
    // When it falls due, it is published without another approval.
    const later = new Date('2026-07-02T00:00:00Z')
    const args = ['build', '--content', s.content, '--out', path.join(s.root, 'public'), '--state', path.join(s.root, 'state'), '--now', later.toISOString(), '--allow-future-now']
    expect((await runMopac(args, {now: later})).code).toBe(0)
    expect(s.page()).toContain('Deferred words.')
  })
})

describe('schedule with approvals', () => {
  it('lists a due paper awaiting approval (exit 5) and a paper due soon that lacks it', async () => {
    const s = site(1)
    fs.writeFileSync(path.join(s.content, 'pcd-702.md'), paper('Soon words.', 'deferral:\n  until: "2026-06-10"\n').replace('PCD 700', 'PCD 702'))
    await s.approve('Ann Lee', 'PCD 701')
    const run = await runMopac(['schedule', '--content', s.content, '--state', path.join(s.root, 'state'), '--now', NOW.toISOString()], {now: NOW})
    expect(run.code).toBe(5)
    expect(run.stdout).toMatch(/AWAITING APPROVAL: PCD 700 .*0 of 1/)
    expect(run.stdout).not.toContain('AWAITING APPROVAL: PCD 701')
    expect(run.stdout).toMatch(/PCD 702 .*NEEDS APPROVAL \(0 of 1 approvals\)/)
    await s.approve('Ann Lee', 'PCD 702')
    await s.approve('Ann Lee')
    const after = await runMopac(['schedule', '--content', s.content, '--state', path.join(s.root, 'state'), '--now', NOW.toISOString()], {now: NOW})
    expect(after.code).toBe(0)
    expect(after.stdout).not.toContain('APPROVAL')
  })
})

function walk(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

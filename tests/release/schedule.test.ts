/**
 * `mopac schedule` shows what is due next; the release job gives the same
 * results whatever the machine's time zone.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {mopac, runMopac, snapshot} from '../helpers/cli.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

function setup() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  fs.writeFileSync(path.join(content, 'soon.md'), '---\nid: PCD 200\ntitle: Soon\ndate: "2026-07-01"\nclassification: OFFICIAL\ndeferral:\n  until: "2026-07-01"\n---\n\nSoon.\n')
  fs.writeFileSync(path.join(content, 'broken.md'), '---\nid: PCD 201\ntitle: Broken\ndate: "2026-07-01"\nclassification: OFFICIAL\ndeferral:\n  until: "2026-06-01"\n---\n\n:::oficial-sensitive\nx\n:::\n')
  return {dir, content}
}

describe('mopac schedule', () => {
  it('lists upcoming releases in due order with London and UTC times, withheld papers and broken papers', async () => {
    const {content, dir} = setup()
    const before = fs.readdirSync(dir)
    const result = await runMopac(['schedule', '--content', content, '--now', '2026-06-30T12:00:00Z', '--json'])
    // A broken paper that is due is overdue: exit 5, so monitoring can alert.
    expect(result.code).toBe(5)
    const schedule = JSON.parse(result.stdout)
    expect(schedule.upcoming.map((u: {id: string}) => u.id)).toEqual(['PCD 200', 'PCD 901015'])
    expect(schedule.upcoming[0]).toMatchObject({dueUtc: '2026-06-30T23:00:00.000Z', dueLondon: '1 July 2026 at 00:00 BST', remaining: '11h 0m'})
    expect(schedule.withheld.map((w: {id: string}) => w.id)).toEqual(['PCD 901018'])
    expect(schedule.invalid).toEqual([expect.objectContaining({id: 'PCD 201', due: true, errors: [expect.stringMatching(/broken\.md:10:1 Unknown directive/)]})])
    const text = await runMopac(['schedule', '--content', content, '--now', '2026-06-30T12:00:00Z'])
    expect(text.stdout).toMatch(/1 July 2026 at 00:00 BST\s+2026-06-30T23:00:00.000Z\s+in 11h 0m\s+PCD 200/)
    // Overdue papers come first, with where the error is.
    expect(text.stdout.split('\n')[2]).toMatch(/^OVERDUE: PCD 201 due 1 June 2026 at 00:00 BST, held by .*broken\.md:10:1 directive-unknown$/)
    expect(schedule.overdue).toEqual([expect.objectContaining({id: 'PCD 201'})])
    expect(fs.readdirSync(dir)).toEqual(before)
  })
})

describe('time zones', () => {
  it('America/New_York and Asia/Tokyo give the same schedule, site and release log', async () => {
    const results = []
    for (const tz of ['America/New_York', 'Asia/Tokyo']) {
      const {content, dir} = setup()
      fs.rmSync(path.join(content, 'broken.md'))
      const env = {TZ: tz}
      const out = path.join(dir, 'public')
      const state = path.join(dir, 'state')
      // Tokyo's schedule comes from a child process started in that time zone
      // (anything read from the time zone as a module loads shows too; the
      // build's is in cli.test.ts); everything else runs in this process
      // with the time zone switched for the run.
      const args = ['schedule', '--content', content, '--now', '2026-06-30T22:00:00Z', '--json']
      const listed = tz === 'Asia/Tokyo' ? mopac(args, {env}) : await runMopac(args, {env})
      const schedule = JSON.parse(listed.stdout.split(dir).join('DIR'))
      const runs = []
      for (const now of ['2026-06-30T22:00:00Z', '2026-06-30T23:00:00Z', '2026-07-01T09:00']) runs.push(await runMopac(['release', '--content', content, '--out', out, '--state', state, '--now', now, '--json'], {env}))
      expect(runs.map((r) => r.code), runs.map((r) => r.stdout + r.stderr).join('\n')).toEqual([0, 0, 0])
      const log = fs.readFileSync(path.join(state, 'releases.jsonl'), 'utf8')
      results.push({schedule, log: log.replace(/"buildId":"[0-9a-f]+"/g, ''), site: snapshot(out), released: runs.map((r) => JSON.parse(r.stdout).released.map((e: {slug: string}) => e.slug))})
    }
    expect(results[1].schedule).toEqual(results[0].schedule)
    expect(results[1].released).toEqual(results[0].released)
    expect(results[0].released[1]).toEqual(['pcd-200'])
    expect(results[1].log).toEqual(results[0].log)
    expect(results[1].site).toEqual(results[0].site)
  })
})

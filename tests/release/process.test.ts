/**
 * The release job as cron runs it: two real processes at once, and a real
 * process killed with SIGKILL at each stage, then a normal run. Site and log
 * stay consistent. Runs whose process boundary is not the point call the same
 * `main()` in this process (`runMopac`).
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readLog} from '../../src/release/log.js'
import {acquireLock} from '../../src/release/lock.js'
import {repo, runMopac} from '../helpers/cli.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {spareExtras} from '../helpers/spare.js'
import {SECRET} from '../helpers/corpus.js'

function setup() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  return {dir, content, out: path.join(dir, 'public'), state: path.join(dir, 'state')}
}

// These simulate the scheduled job at instants ahead of the real clock, on purpose.
const args = (s: ReturnType<typeof setup>, now: string) => ['release', '--content', s.content, '--out', s.out, '--state', s.state, '--now', now, '--allow-future-now']

function run(argv: string[], env: Record<string, string> = {}): Promise<{code: number | null; signal: string | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repo, 'bin/mopac.js'), ...argv], {env: {...process.env, ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))
  })
}

/** The site holds exactly the papers the log says are live, and nothing sensitive. */
async function expectConsistent(s: ReturnType<typeof setup>, expected: string[]) {
  const live = fs.readdirSync(path.join(s.out, 'decisions')).sort()
  expect(live).toEqual(expected)
  const log = await readLog(s.state)
  const logged = new Map<string, string>()
  for (const e of log) {
    if (e.event === 'withdrawn') logged.delete(e.slug)
    else logged.set(e.slug, e.event)
  }
  expect([...logged.keys()].sort()).toEqual(expected)
  // Each paper logged at most once per event kind.
  const keys = log.map((e) => `${e.event} ${e.slug}`)
  expect(new Set(keys).size).toBe(keys.length)
  expect(findCanaries(scanSite(s.out), Object.values(SECRET))).toEqual([])
  // Beside --out, only the spare, holding nothing the live site does not.
  expect(fs.readdirSync(path.dirname(s.out)).filter((n) => n.startsWith('.public') && n !== '.public.spare')).toEqual([])
  expect(spareExtras(s.out)).toEqual([])
  expect(fs.existsSync(path.join(s.state, 'pending.json'))).toBe(false)
}

describe('mopac release', () => {
  it('releases what is due, logs it, and a second run at the same instant releases nothing', async () => {
    const s = setup()
    const first = await runMopac(args(s, '2026-11-25T12:00:00Z'))
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/Released PCD 100/)
    const again = await runMopac([...args(s, '2026-11-25T12:00:00Z'), '--json'])
    expect(again.code).toBe(0)
    const summary = JSON.parse(again.stdout)
    expect(summary.status).toBe('nothing-due')
    expect(summary.released).toEqual([])
    const log = await readLog(s.state)
    expect(log.map((e) => `${e.event} ${e.slug}`).sort()).toEqual(['released pcd-100', 'released pcd-101'])
    expect(log[0]).toMatchObject({at: '2026-11-25T12:00:00.000Z', buildId: expect.stringMatching(/^[0-9a-f]{16}$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/)})
    expect(fs.existsSync(path.join(s.out, 'releases.jsonl'))).toBe(false)
    // An earlier --now never removes anything from the log.
    expect((await runMopac(args(s, '2026-01-01T00:00:00Z'))).code).toBe(0)
    expect((await readLog(s.state)).length).toBeGreaterThanOrEqual(log.length)
    expect((await readLog(s.state)).slice(0, log.length)).toEqual(log)
  })

  it('--dry-run says what would be released and changes nothing', async () => {
    const s = setup()
    const result = await runMopac([...args(s, '2026-11-25T12:00:00Z'), '--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Would release PCD 100/)
    expect(fs.existsSync(s.out)).toBe(false)
    expect(fs.existsSync(path.join(s.state, 'releases.jsonl'))).toBe(false)
  })

  it('takes down a paper whose deferral moved later, and logs the withdrawal', async () => {
    const s = setup()
    expect((await runMopac(args(s, '2026-11-25T12:00:00Z'))).code).toBe(0)
    const file = path.join(s.content, 'released.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('2025-04-01T09:00', '2027-04-01T09:00'))
    const result = await runMopac(args(s, '2026-11-25T13:00:00Z'))
    expect(result.stdout).toMatch(/Withdrew PCD 101/)
    await expectConsistent(s, ['pcd-100'])
  })

  it('holds a broken paper (exit 5, reported last) and still releases what is due', async () => {
    const s = setup()
    expect((await runMopac(args(s, '2026-11-25T12:00:00Z'))).code).toBe(0)
    fs.writeFileSync(path.join(s.content, 'bad.md'), '---\nid: X\n---\n')
    const held = await runMopac(args(s, '2031-01-01T00:00:00Z'))
    expect(held.code).toBe(5)
    expect(held.stdout).toMatch(/Released PCD 901015/)
    expect(held.stderr).toMatch(/HELD: 1 paper not published \(1 because of errors; exit 5\)[^\n]*\n {2}bad\.md: .*bad\.md:2:1/)
    expect(held.stderr.trimEnd().split('\n').at(-1)).toMatch(/bad\.md/)
    const log = (await fs.promises.readFile(path.join(s.state, 'releases.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    expect(log.at(-1)).toMatchObject({event: 'held', file: 'bad.md', live: false})
    expect(log.filter((e) => e.event === 'released').map((e) => e.slug).sort()).toEqual(['pcd-100', 'pcd-101', 'pcd-901015'])
    expect(fs.readdirSync(path.join(s.out, 'decisions')).sort()).toEqual(['pcd-100', 'pcd-101', 'pcd-901015'])
  })

  it('exits 1 on an error in the content folder itself, and leaves site and log as they were', async () => {
    const s = setup()
    expect((await runMopac(args(s, '2026-11-25T12:00:00Z'))).code).toBe(0)
    const log = fs.readFileSync(path.join(s.state, 'releases.jsonl'), 'utf8')
    fs.symlinkSync('elsewhere.md', path.join(s.content, 'linked.md'))
    const refused = await runMopac(args(s, '2031-01-01T00:00:00Z'))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/content-symlink/)
    expect(fs.readFileSync(path.join(s.state, 'releases.jsonl'), 'utf8')).toBe(log)
    await expectConsistent(s, ['pcd-100', 'pcd-101'])
  })

  it('two runs at once never both write: one waits or exits 4, and the log has each paper once', async () => {
    const s = setup()
    const [a, b] = await Promise.all([run(args(s, '2026-11-25T12:00:00Z')), run(args(s, '2026-11-25T12:00:00Z'))])
    const codes = [a.code, b.code].sort()
    expect(codes[0]).toBe(0)
    expect([0, 4]).toContain(codes[1])
    if (codes[1] === 4) expect(a.stderr + b.stderr).toMatch(/holds the lock/)
    await expectConsistent(s, ['pcd-100', 'pcd-101'])
  })

  for (const stage of ['staged', 'verified', 'swapping', 'mid-swap', 'swapped', 'appending']) {
    it(`a run killed with SIGKILL at "${stage}" is completed by the next run`, async () => {
      const s = setup()
      const killed = await run(args(s, '2026-11-25T12:00:00Z'), {MOPAC_TEST_KILL_AT: stage})
      expect(killed.signal).toBe('SIGKILL')
      // The run after the crash needs no process of its own.
      const next = await runMopac(args(s, '2026-11-25T12:05:00Z'))
      expect(next.stderr).toBe('')
      expect(next.code).toBe(0)
      await expectConsistent(s, ['pcd-100', 'pcd-101'])
      const log = await readLog(s.state)
      // After the swap, the log records the first run's instant: the true one.
      const at = log.find((e) => e.slug === 'pcd-100')!.at
      expect(at).toBe(['swapped', 'appending'].includes(stage) ? '2026-11-25T12:00:00.000Z' : '2026-11-25T12:05:00.000Z')
    })
  }

  it('repairs a log line torn by a crash mid-append', async () => {
    const s = setup()
    expect((await runMopac(args(s, '2026-11-25T12:00:00Z'))).code).toBe(0)
    fs.appendFileSync(path.join(s.state, 'releases.jsonl'), '{"event":"released","slu')
    const file = path.join(s.content, 'deferred.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('2030-01-01', '2026-11-25'))
    expect((await runMopac(args(s, '2026-11-25T14:00:00Z'))).code).toBe(0)
    const lines = fs.readFileSync(path.join(s.state, 'releases.jsonl'), 'utf8').trim().split('\n')
    expect(lines.at(-1)).toMatch(/"slug":"pcd-901015"/)
    expect((await readLog(s.state)).map((e) => e.slug).sort()).toEqual(['pcd-100', 'pcd-101', 'pcd-901015'])
  })

  it('a plain build logs the papers it first publishes, and their pages say when', async () => {
    const s = setup()
    expect((await runMopac(['build', '--content', s.content, '--out', s.out, '--state', s.state, '--now', '2026-11-25T12:00:00Z'])).code).toBe(0)
    const log = await readLog(s.state)
    expect(log.map((e) => `${e.event} ${e.slug} ${e.at}`)).toEqual(['released pcd-100 2026-11-25T12:00:00.000Z', 'released pcd-101 2026-11-25T12:00:00.000Z'])
    expect(fs.readFileSync(path.join(s.out, 'decisions/pcd-100/index.html'), 'utf8')).toMatch(/First published[\s\S]*25 November 2026 at 12:00 GMT/)
    // Listings, in decision-date order, say when each went live too.
    expect(fs.readFileSync(path.join(s.out, 'index.html'), 'utf8')).toContain('First published: <time datetime="2026-11-25T12:00:00.000Z">25 November 2026</time>')
  })

  it('shows "First published" from the log, and the decision date for papers public before the log', async () => {
    const s = setup()
    // A site published before this state folder (and its log) existed.
    expect((await runMopac(['build', '--content', s.content, '--out', s.out, '--state', path.join(s.dir, 'elsewhere'), '--now', '2026-11-25T12:00:00Z'])).code).toBe(0)
    const file = path.join(s.content, 'deferred.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('2030-01-01', '2026-12-01'))
    expect((await runMopac(args(s, '2026-11-30T12:00:00Z'))).code).toBe(0)
    expect((await runMopac(args(s, '2026-12-01T00:00:00Z'))).code).toBe(0)
    const log = await readLog(s.state)
    expect(log.map((e) => `${e.event} ${e.slug}`)).toEqual(['baseline pcd-100', 'baseline pcd-101', 'released pcd-901015'])
    const released = fs.readFileSync(path.join(s.out, 'decisions/pcd-901015/index.html'), 'utf8')
    expect(released).toMatch(/First published[\s\S]*1 December 2026/)
    const before = fs.readFileSync(path.join(s.out, 'decisions/pcd-100/index.html'), 'utf8')
    expect(before).toMatch(/First published[\s\S]*1 May 2024/)
  })

  it('a plain build waits for the release lock and exits 4 while a release holds it', async () => {
    const s = setup()
    const unlock = await acquireLock(s.state, 0)
    expect(unlock).toBeDefined()
    try {
      const result = await runMopac(['build', '--content', s.content, '--out', s.out, '--state', s.state, '--now', '2026-11-25T12:00:00Z'])
      expect(result.code).toBe(4)
      expect(result.stderr).toMatch(/holds the lock/)
      expect(fs.existsSync(s.out)).toBe(false)
    } finally {
      await unlock!()
    }
    expect((await runMopac(['build', '--content', s.content, '--out', s.out, '--state', s.state, '--now', '2026-11-25T12:00:00Z'])).code).toBe(0)
  })

  it('refuses a state folder inside the output folder (the log would be published)', async () => {
    const s = setup()
    const result = await runMopac(['release', '--content', s.content, '--out', s.out, '--state', path.join(s.out, '.mopac'), '--now', '2026-11-25T12:00:00Z'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/must never be published/)
    expect(fs.existsSync(s.out)).toBe(false)
  })
})

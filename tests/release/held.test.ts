/**
 * The release job never silently misses a due paper. A simulated month of
 * runs every six hours, while broken drafts and broken live papers appear and
 * are fixed: every paper that is due and valid is live after the first run at
 * or after its due instant; a broken paper is held and reported on every run
 * (status `held`, a `held` log line); a broken live paper keeps its last
 * published rendering byte for byte; a draft is never published and never holds
 * anything up. Papers go through the per-paper cache, as the scheduled
 * job's do.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {createProcessor} from '../../src/build/pool.js'
import {release} from '../../src/release/release.js'
import {tempDir} from '../helpers/corpus.js'

const HOUR = 3_600_000
const START = Date.parse('2026-11-01T00:00:00Z')
const day = (n: number, hour = 0) => new Date(START + (n * 24 + hour) * HOUR)

function paper(n: number, options: {until?: Date; draft?: boolean; broken?: boolean; body?: string} = {}): string {
  const fm = [`id: PCD ${n}`, `title: Paper ${n}`, `date: "2026-10-01"`, 'classification: OFFICIAL']
  if (options.draft) fm.push('draft: true')
  if (options.until) fm.push(`deferral:\n  until: "${options.until.toISOString()}"`)
  const body = options.broken ? ':::oficial-sensitive{exemptions="s43"}\nTypo.\n:::' : options.body ?? `Body of paper ${n}.`
  return `---\n${fm.join('\n')}\n---\n\n${body}\n`
}

describe('a month of scheduled runs with broken papers', () => {
  it('releases everything due on time, holds only what is broken, and says so every run', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    const state = path.join(dir, 'state')
    fs.mkdirSync(content)
    const write = (name: string, text: string) => fs.writeFileSync(path.join(content, name), text)

    // Deferred papers falling due through the month, at odd hours.
    const dues = new Map<number, Date>()
    for (let n = 1; n <= 12; n++) dues.set(n, day(n * 2 + 1, (n * 7) % 24))
    for (const [n, until] of dues) write(`p${n}.md`, paper(n, {until}))
    write('live.md', paper(100, {body: 'Live text that must stay exactly as published.'}))

    const events: Array<[number, () => void]> = [
      [day(2).getTime(), () => write('draft.md', paper(200, {draft: true, broken: true}))],
      [day(4).getTime(), () => write('live.md', paper(100, {broken: true}))],
      // Paper 3 breaks a day before it is due and is fixed two days after.
      [dues.get(3)!.getTime() - 24 * HOUR, () => write('p3.md', paper(3, {until: dues.get(3), broken: true}))],
      [dues.get(3)!.getTime() + 48 * HOUR, () => write('p3.md', paper(3, {until: dues.get(3)}))],
      [day(12).getTime(), () => write('live.md', paper(100, {body: 'Live text, corrected.'}))],
      [day(20).getTime(), () => write('draft.md', paper(200, {draft: true}))]
    ]

    let livePage: string | undefined
    for (let at = START; at <= day(30).getTime(); at += 6 * HOUR) {
      for (const [when, act] of events) if (when <= at && when > at - 6 * HOUR) act()
      const now = new Date(at)
      const {processAll} = createProcessor({cacheDir: path.join(state, 'cache'), workers: false})
      const result = await release({content, out, state, now, processAll, verify: async () => []})
      const broken = fs.readdirSync(content).filter((name) => fs.readFileSync(path.join(content, name), 'utf8').includes('oficial') && !fs.readFileSync(path.join(content, name), 'utf8').includes('draft: true'))
      // Every broken non-draft paper is held and reported, on every run.
      expect(result.held.map((h) => h.file).sort(), now.toISOString()).toEqual(broken.sort())
      expect(result.status, now.toISOString()).toBe(broken.length > 0 ? 'held' : result.released.some((e) => e.event === 'released') ? 'released' : 'nothing-due')
      const live = new Set(fs.readdirSync(path.join(out, 'decisions')))
      for (const [n, until] of dues) {
        const isBroken = broken.includes(`p${n}.md`)
        expect(live.has(`pcd-${n}`), `PCD ${n} at ${now.toISOString()}`).toBe(until.getTime() <= at && !isBroken)
      }
      // The draft never goes out.
      expect(live.has('pcd-200')).toBe(false)
      // The live paper: its public Markdown byte for byte, and its page but for
      // the next/previous links, which follow the papers released around it.
      const page = fs.readFileSync(path.join(out, 'decisions', 'pcd-100', 'index.md'), 'utf8') + fs.readFileSync(path.join(out, 'decisions', 'pcd-100', 'index.html'), 'utf8').replace(/<nav class="govuk-pagination[\s\S]*?<\/nav>/, '')
      if (broken.includes('live.md')) expect(page).toBe(livePage)
      else livePage = page
    }
    expect(livePage).toContain('Live text, corrected.')
    const log = fs.readFileSync(path.join(state, 'releases.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    const heldLines = log.filter((entry) => entry.event === 'held')
    expect(heldLines.some((entry) => entry.file === 'live.md' && entry.live === true && entry.ruleId === 'directive-unknown' && entry.line === 8)).toBe(true)
    expect(heldLines.some((entry) => entry.file === 'p3.md' && entry.live === false)).toBe(true)
    expect(heldLines.some((entry) => entry.file === 'draft.md')).toBe(false)
    // Each deferred paper is released exactly once.
    for (const n of dues.keys()) expect(log.filter((entry) => entry.event === 'released' && entry.slug === `pcd-${n}`).length).toBe(1)
  }, 120_000)
})

describe('drafts', () => {
  it('are never published by build or release, are checked like any paper, and a live paper made a draft is taken down and logged', async () => {
    const {build} = await import('../../src/build/build.js')
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    const state = path.join(dir, 'state')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'a.md'), paper(1))
    fs.writeFileSync(path.join(content, 'b.md'), paper(2, {draft: true}))
    const now = day(1)
    const built = await build({content, now})
    expect(built.ok).toBe(true)
    expect(built.outcomes.find((o) => o.relativePath === 'b.md')?.status).toBe('draft')
    expect(built.publicPapers.map((p) => p.slug)).toEqual(['pcd-1'])

    // A broken draft stops a plain build (all or nothing) but not a release.
    fs.writeFileSync(path.join(content, 'c.md'), paper(3, {draft: true, broken: true}))
    const strict = await build({content, now})
    expect(strict.ok).toBe(false)
    expect(strict.outcomes.find((o) => o.relativePath === 'c.md')?.messages.some((m) => m.fatal && m.ruleId === 'directive-unknown')).toBe(true)
    const first = await release({content, out, state, now, verify: async () => []})
    expect(first.status).toBe('released')
    expect(first.held).toEqual([])
    expect(fs.readdirSync(path.join(out, 'decisions'))).toEqual(['pcd-1'])

    // `draft: true` on a live paper takes it down, logged as withdrawn.
    fs.writeFileSync(path.join(content, 'a.md'), paper(1, {draft: true}))
    const down = await release({content, out, state, now: day(2), verify: async () => []})
    expect(down.withdrawn.map((e) => e.slug)).toEqual(['pcd-1'])
    expect(fs.existsSync(path.join(out, 'decisions', 'pcd-1'))).toBe(false)

    // `draft` is validated like every other key.
    fs.writeFileSync(path.join(content, 'a.md'), paper(1).replace('classification: OFFICIAL', 'classification: OFFICIAL\ndraft: yes'))
    const invalid = await build({content, now})
    expect(invalid.outcomes.find((o) => o.relativePath === 'a.md')?.messages.find((m) => m.fatal)?.ruleId).toBe('frontmatter-invalid')
  })
})

describe('the preview index, like schedule', () => {
  it('lists a due paper held by an error first, and not a broken draft', async () => {
    const {PaperStore} = await import('../../src/preview/store.js')
    const {homePage} = await import('../../src/preview/pages.js')
    const dir = tempDir()
    const content = path.join(dir, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'late.md'), paper(1512, {until: day(1), broken: true}))
    fs.writeFileSync(path.join(content, 'draft.md'), paper(1600, {draft: true, broken: true}))
    fs.writeFileSync(path.join(content, 'fine.md'), paper(1))
    const store = new PaperStore({content, realRoot: fs.realpathSync(content), now: () => day(2)})
    await store.load()
    while (!store.ready) await new Promise((resolve) => setTimeout(resolve, 10))
    const page = homePage({store, fixed: true, events: ''})
    const overdue = page.slice(page.indexOf('Overdue: due, but held by an error'))
    expect(page.indexOf('Overdue: due, but held by an error')).toBeGreaterThan(-1)
    expect(overdue.slice(0, overdue.indexOf('</table>'))).toContain('PCD 1512')
    expect(overdue.slice(0, overdue.indexOf('</table>'))).not.toContain('PCD 1600')
    store.close()
  })
})

describe('check shows drafts', () => {
  it('lists each draft as never published', async () => {
    const {main} = await import('../../src/cli/index.js')
    const dir = tempDir()
    const content = path.join(dir, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'a.md'), paper(1))
    fs.writeFileSync(path.join(content, 'b.md'), paper(2, {draft: true}))
    let out = ''
    const code = await main(['check', '--content', content, '--no-cache', '--state', path.join(dir, 'state')], {stdout: (t) => void (out += t), stderr: () => {}, now: () => day(1), isTTY: false, env: {}})
    expect(code).toBe(0)
    expect(out).toContain('1 draft, never published: PCD 2')
  })
})

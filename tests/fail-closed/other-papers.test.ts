/**
 * Nothing of a paper that is not public, even from another paper.
 *
 * The general rule: the site at an instant is a function of the papers public
 * at that instant alone. A content folder with deferred, withheld and broken-
 * link papers builds the same site, byte for byte, as the same folder with
 * only its public papers. That covers every path by which one paper's output
 * could name another: links between papers, listings, pagination counts, tag
 * and year pages, next/previous, the feed, the sitemap, search and open data.
 * (Pagination needs more than 50 public papers: tests/site/listing.test.ts.)
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {createProcessor} from '../../src/build/pool.js'
import {MARKER} from '../../src/build/marker.js'
import type {SiteFiles} from '../../src/site/render.js'
import {tempDir} from '../helpers/corpus.js'

const BASE = 'https://decisions.example.org'

interface Spec {
  n: number
  kind: 'public' | 'deferred' | 'withheld' | 'due'
  tag: string
  year: number
  links: number[]
}

function paperSource(spec: Spec, all: number[]): string {
  const fm = [`id: PCD ${spec.n}`, `title: Decision number ${spec.n}`, `date: "${spec.year}-05-0${1 + (spec.n % 9)}"`, `classification: ${spec.kind === 'withheld' ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL'}`, `tags: [${spec.tag}]`, `summary: Summary of paper ${spec.n}`]
  if (spec.kind === 'deferred') fm.push('deferral:\n  until: "2030-01-01"')
  if (spec.kind === 'due') fm.push('deferral:\n  until: "2020-01-01"')
  const links = spec.links.filter((target) => all.includes(target) || target > 900)
  const body = links
    .map((target, i) => {
      switch (i % 4) {
        case 0:
          return `See [the paper on item ${target}](/decisions/pcd-${target}/).`
        case 1:
          return `See [the related paper][r${target}].\n\n[r${target}]: ${BASE}/decisions/pcd-${target}/ "Related"`
        case 2:
          return `![Chart for ${target}](/decisions/pcd-${target}/files/chart.png)`
        default:
          return `Read [item ${target}](/Decisions/PCD%2D${target}/index.md#top) too.`
      }
    })
    .join('\n\n')
  return `---\n${fm.join('\n')}\n---\n\nPublic text of paper ${spec.n}.\n\n${body}\n`
}

function files(result: Awaited<ReturnType<typeof build>>): Record<string, string> {
  expect(result.ok, JSON.stringify(result.outcomes.flatMap((o) => o.messages.filter((m) => m.fatal)))).toBe(true)
  const out: Record<string, string> = {}
  for (const [name, content] of result.files as SiteFiles) if (name !== MARKER) out[name] = Buffer.from(content as never).toString('base64')
  return out
}

const now = new Date('2026-06-01T12:00:00Z')

describe('a public paper linking to one that is not public', () => {
  function corpus() {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    fs.mkdirSync(content)
    const write = (name: string, text: string) => fs.writeFileSync(path.join(content, name), text)
    write('a.md', `---\nid: PCD 1\ntitle: Public one\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\nSee [the parking decision](/decisions/pcd-2/), [ref][two], [withheld](${BASE}/decisions/pcd-3/#part-1), [missing](/decisions/pcd-4/) and [kept](/decisions/pcd-5/).\n\n![chart](/decisions/pcd-2/files/chart.png)\n\n[two]: /decisions/pcd-2/\n`)
    write('b.md', `---\nid: PCD 2\ntitle: Deferred two\ndate: "2026-01-02"\nclassification: OFFICIAL\ndeferral:\n  until: "2026-07-01T09:30"\n---\n\nDeferred text.\n`)
    write('c.md', `---\nid: PCD 3\ntitle: Withheld three\ndate: "2026-01-03"\nclassification: OFFICIAL-SENSITIVE\n---\n\nWithheld text.\n`)
    write('e.md', `---\nid: PCD 5\ntitle: Public five\ndate: "2026-01-05"\nclassification: OFFICIAL\n---\n\nText.\n`)
    return {dir, content}
  }

  it('publishes the link text without the address, warns, and names the target nowhere', async () => {
    const {content} = corpus()
    const result = await build({content, now, baseUrl: BASE})
    expect(result.ok).toBe(true)
    const a = result.outcomes.find((o) => o.slug === 'pcd-1')!
    expect(a.messages.filter((m) => m.ruleId === 'link-not-public').length).toBe(5)
    expect(a.messages.every((m) => !m.fatal)).toBe(true)
    const html = String(result.files!.get('decisions/pcd-1/index.html'))
    expect(html).toContain('See the parking decision, ref, withheld, missing and <a href="/decisions/pcd-5/">kept</a>')
    for (const [name, value] of result.files!) {
      const text = Buffer.from(value as never).toString('utf8')
      for (const slug of ['pcd-2', 'pcd-3', 'pcd-4']) {
        expect(name.includes(slug), name).toBe(false)
        expect(text.includes(slug), `${slug} in ${name}`).toBe(false)
      }
    }
  })

  it('restores the link once the target is public, through the cache too', async () => {
    const {dir, content} = corpus()
    const processor = createProcessor({cacheDir: path.join(dir, 'cache'), workers: false})
    const before = await build({content, now, processAll: processor.processAll})
    expect(String(before.files!.get('decisions/pcd-1/index.html'))).not.toContain('/decisions/pcd-2/')
    const later = new Date('2026-07-01T08:30:00Z')
    const after = await build({content, now: later, processAll: processor.processAll})
    expect(processor.stats.fromCache).toBeGreaterThan(0)
    const html = String(after.files!.get('decisions/pcd-1/index.html'))
    expect(html).toContain('<a href="/decisions/pcd-2/">the parking decision</a>')
    expect(String(after.files!.get('decisions/pcd-1/index.md'))).toContain('(/decisions/pcd-2/)')
    expect(after.outcomes.find((o) => o.slug === 'pcd-1')!.messages.filter((m) => m.ruleId === 'link-not-public').length).toBe(2)
    // And a cold build at the same instant agrees byte for byte.
    expect(files(after)).toEqual(files(await build({content, now: later})))
  })

  it('the site equals the site of the public papers alone (generated corpora)', async () => {
    const spec = fc.record({
      kind: fc.constantFrom<Spec['kind']>('public', 'public', 'deferred', 'withheld', 'due'),
      tag: fc.constantFrom('roads', 'policing', 'grants'),
      year: fc.integer({min: 2019, max: 2026}),
      links: fc.array(fc.integer({min: 1, max: 12}), {maxLength: 4})
    })
    await fc.assert(
      fc.asyncProperty(fc.array(spec, {minLength: 1, maxLength: 9}), async (specs) => {
        const numbered = specs.map((s, i) => ({...s, n: i + 1}))
        if (!numbered.some((s) => s.kind === 'public' || s.kind === 'due')) numbered[0].kind = 'public'
        const all = numbered.map((s) => s.n)
        const dir = tempDir()
        const whole = path.join(dir, 'whole')
        const only = path.join(dir, 'only')
        fs.mkdirSync(whole)
        fs.mkdirSync(only)
        for (const s of numbered) {
          const text = paperSource(s, all)
          fs.writeFileSync(path.join(whole, `p${s.n}.md`), text)
          if (s.kind === 'public' || s.kind === 'due') fs.writeFileSync(path.join(only, `p${s.n}.md`), text)
        }
        const a = files(await build({content: whole, now, baseUrl: BASE}))
        const b = files(await build({content: only, now, baseUrl: BASE}))
        expect(a).toEqual(b)
        fs.rmSync(dir, {recursive: true, force: true})
      }),
      {numRuns: 30}
    )
  }, 60_000)
})

describe('the preview shows links as the build would publish them', () => {
  it('a link to a deferred paper is text only, with the warning, until it is due', async () => {
    const {PaperStore} = await import('../../src/preview/store.js')
    const dir = tempDir()
    const content = path.join(dir, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'a.md'), `---\nid: PCD 1\ntitle: One\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\nSee [the other](/decisions/pcd-2/).\n`)
    fs.writeFileSync(path.join(content, 'b.md'), `---\nid: PCD 2\ntitle: Two\ndate: "2026-01-02"\nclassification: OFFICIAL\ndeferral:\n  until: "2026-07-01"\n---\n\nLater.\n`)
    let at = new Date('2026-06-01T12:00:00Z')
    const store = new PaperStore({content, realRoot: fs.realpathSync(content), now: () => at})
    await store.load()
    let entry = await store.ensure('a.md')
    let outcome = store.view(entry!)!
    expect(outcome.public?.html).toContain('See the other.')
    expect(outcome.messages.map((m) => m.ruleId)).toContain('link-not-public')
    at = new Date('2026-07-02T12:00:00Z')
    await store.refreshStale()
    entry = await store.ensure('a.md')
    outcome = store.view(entry!)!
    expect(outcome.public?.html).toContain('<a href="/decisions/pcd-2/">the other</a>')
    store.close()
  })
})

/**
 * Red team of 70a50fb (the cache's index of a run's entries,
 * src/build/cache.ts `saveIndex` / `indexed`, src/build/pool.ts `prune`) and
 * ed12a99 (verify's label rule, src/verify/source.ts `labelled`; a paper
 * not public keeps its decision maker and tags secret).
 *
 * Every `it` asserts the SAFE outcome: an incremental run (cache, index,
 * verify memory, manifest, spare) makes the site a cold `--no-cache` run
 * makes of the same content at the same instant, byte for byte; nothing of a
 * deferred paper, or of text since redacted, is in any file; withheld
 * material planted on a page is reported; a withheld paper sharing a public
 * paper's decision maker or tags, or saying site words, does not stop a
 * release.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {createProcessor} from '../../src/build/pool.js'
import {build} from '../../src/build/build.js'
import {verify} from '../../src/verify/index.js'
import {snapshot} from '../helpers/cli.js'
import {makeFixture} from '../verify/helpers.js'
import {coldSite, deferredUntil, OK, paper, runRelease, setup, T0, T1, T2, withheld, write, type Ctx} from './keep-helpers.js'

const BASE = 'https://example.org/'
const SECRET = 'Zephyrinewold'
const DEFERRED_WORD = 'Marrowquillion'
const OLD_PUBLIC = 'Tanglethorpe'

const index = (ctx: Ctx, state = ctx.state) => path.join(state, 'cache', 'index.json')
const indexKeys = (ctx: Ctx): string[] => JSON.parse(fs.readFileSync(index(ctx), 'utf8')).entries.map((e: {key: string}) => e.key).sort()
const liveText = (ctx: Ctx) => Object.entries(snapshot(ctx.out)).map(([n, b]) => n + '\n' + Buffer.from(b, 'base64').toString('utf8')).join('\n')

/** A run with its cache, index and memory (pruned, as the commands do); then the live site must be a cold run's. */
async function step(ctx: Ctx, now: Date, expectStatus: string[] = OK): Promise<string> {
  const r = await runRelease(ctx, {now, prune: true})
  expect(expectStatus, JSON.stringify({status: r.status, hits: r.hits?.slice(0, 3)})).toContain(r.status)
  if (OK.includes(r.status)) expect(snapshot(ctx.out)).toEqual(await coldSite(ctx, now))
  const text = liveText(ctx)
  for (const word of [SECRET]) expect(text).not.toContain(word)
  return text
}

const base = () => ({
  'a.md': paper(1, `Opening words. ${withheld(`The price agreed with ${SECRET} is fixed.`)}\n\nThe ${OLD_PUBLIC} depot closes.`),
  'b.md': paper(2, 'Second paper body.', {fm: 'tags: [Estates]\ndecision_maker: Chief Finance Officer\n'}),
  'd.md': paper(3, `The ${DEFERRED_WORD} scheme starts.`, {fm: deferredUntil('2026-09-01T09:30:00Z')})
})

describe('the cache index across edits, instants and refused runs', () => {
  it('edits, a redaction, a deferral falling due and un-due (--now back), a rename and a delete: every run is the cold site', async () => {
    const ctx = setup(base(), 'mopac-idx-')
    expect(await step(ctx, T0)).not.toContain(DEFERRED_WORD)
    expect(fs.existsSync(index(ctx))).toBe(true)
    // A public sentence redacted after it was published: the old text must go.
    write(ctx, {'a.md': paper(1, `Opening words. ${withheld(`The price agreed with ${SECRET} is fixed.`)}\n\n${withheld(`The ${OLD_PUBLIC} depot closes.`)}`)})
    expect(await step(ctx, T0)).not.toContain(OLD_PUBLIC)
    // Due at T1; not at T0 again (the cached outcome applied at each run's own instant).
    expect(await step(ctx, T1)).toContain(DEFERRED_WORD)
    expect(await step(ctx, T0)).not.toContain(DEFERRED_WORD)
    // Its deferral moved later after it was due: taken down.
    write(ctx, {'d.md': paper(3, `The ${DEFERRED_WORD} scheme starts.`, {fm: deferredUntil('2026-12-31T09:30:00Z')})})
    expect(await step(ctx, T2)).not.toContain(DEFERRED_WORD)
    // Renamed, then deleted: the index must not serve the old path's entry.
    write(ctx, {'d.md': null, 'sub/d2.md': paper(3, `The ${DEFERRED_WORD} scheme starts.`, {fm: deferredUntil('2026-12-31T09:30:00Z')})})
    expect(await step(ctx, T2)).not.toContain(DEFERRED_WORD)
    write(ctx, {'sub/d2.md': null, 'b.md': null})
    const text = await step(ctx, T2)
    expect(text).not.toContain('Chief Finance Officer')
    // (The index may keep the entries of papers since deleted: it is written
    // only when far behind. They are keyed by path and bytes, so never served
    // for another paper; each step above is the cold site.)
    expect(indexKeys(ctx).length).toBeGreaterThanOrEqual(1)
  }, 30_000)

  it('a run refused (content error, then the leak check) between good runs: the next runs are the cold site, and the refused text is nowhere', async () => {
    const ctx = setup(base(), 'mopac-idx-')
    await step(ctx, T0)
    // A content error (strict build): refused, nothing changes; the index is still written by prune.
    write(ctx, {'b.md': paper(2, 'Second paper body.\n\n:::official-sensitive{exemptions="s99"}\nBad ground.\n:::', {fm: 'tags: [Estates]\n'})})
    const refused = await runRelease(ctx, {now: T0, prune: true, strict: true})
    expect(refused.status).toBe('content-errors')
    write(ctx, {'b.md': paper(2, 'Second paper body, fixed.', {fm: 'tags: [Estates]\n'})})
    expect(await step(ctx, T0)).toContain('fixed')
    // The leak check's one known false reading: a `:::` indented into a list item in the block.
    const leaky = paper(4, `Intro.\n\n:::official-sensitive{exemptions="s43"}\n- item ${SECRET}\n  :::\n\nAfter the ${OLD_PUBLIC} list.`)
    write(ctx, {'e.md': leaky})
    const leak = await runRelease(ctx, {now: T0, prune: true})
    // Whatever the pipeline makes of it (held here: the pipeline refuses the paper), nothing secret goes live.
    expect(liveText(ctx)).not.toContain(SECRET)
    if (leak.status === 'leak') expect(liveText(ctx)).not.toContain('pcd-4')
    write(ctx, {'e.md': null})
    await step(ctx, T1)
    await step(ctx, T0)
  }, 30_000)

  it('a --no-cache run, then cached runs; a body damaged (same size) between runs; the index rewritten meanwhile', async () => {
    const ctx = setup(base(), 'mopac-idx-')
    await step(ctx, T0)
    const forced = await runRelease(ctx, {now: T1, force: true})
    expect(OK).toContain(forced.status)
    await step(ctx, T1)
    // Every body the same size, other letters: found when read, made again from the paper.
    const cacheDir = path.join(ctx.state, 'cache')
    const bodies = fs.readdirSync(cacheDir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.body.json'))
    expect(bodies.length).toBeGreaterThan(0)
    for (const f of bodies) {
      const file = path.join(cacheDir, f)
      const text = fs.readFileSync(file, 'utf8')
      fs.writeFileSync(file, text.replace(/[a-z]/g, (c) => (c === 'q' ? 'x' : 'q')))
    }
    // An edit to one paper (the index is rewritten), a neighbour's pages made again.
    write(ctx, {'b.md': paper(2, 'Second paper body, edited.', {fm: 'tags: [Estates]\n'})})
    const text = await step(ctx, T1)
    expect(text).not.toMatch(/qqqq/)
    await step(ctx, T2)
    await step(ctx, T0)
  }, 30_000)

  it('a read-only processor (preview, check) between two builds writes no index and changes no later run', async () => {
    const ctx = setup(base(), 'mopac-idx-')
    await step(ctx, T0)
    const before = fs.readFileSync(index(ctx), 'utf8')
    write(ctx, {'a.md': paper(1, `Only public words now. The ${OLD_PUBLIC} depot closes.`)})
    const ro = createProcessor({cacheDir: path.join(ctx.state, 'cache'), workers: false, readOnly: true})
    const r = await build({content: ctx.content, now: T1, processAll: ro.processAll, baseUrl: BASE})
    expect(r.ok).toBe(true)
    await ro.prune()
    expect(fs.readFileSync(index(ctx), 'utf8')).toBe(before)
    await step(ctx, T0)
  }, 30_000)

  it('an index from another content folder in the same state (same names, other bytes) serves nothing of it', async () => {
    const ctx = setup(base(), 'mopac-idx-')
    const other = path.join(ctx.root, 'other')
    fs.mkdirSync(other)
    // Same file names; a.md there says the secret openly (an older, unredacted checkout).
    fs.writeFileSync(path.join(other, 'a.md'), paper(1, `Opening words. The price agreed with ${SECRET} is fixed.`))
    fs.writeFileSync(path.join(other, 'b.md'), base()['b.md'])
    const o = await runRelease(ctx, {now: T0, prune: true, content: other, out: path.join(ctx.root, 'other-out')})
    expect(['leak', ...OK]).toContain(o.status)
    await step(ctx, T0)
    await step(ctx, T1)
  }, 30_000)
})

// ---------------------------------------------------------------------------
// Labels (ed12a99)

const NOW = new Date('2026-11-25T12:00:00Z')
const P = `---\nid: PCD 4100\ntitle: Gateway support contract extension\ndate: "2024-05-01"\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Extends the gateway support contract while a replacement is procured.\ntags: [Contracts, Technology]\n---\n\nThe Deputy Mayor is asked to approve the extension.\n`
const W = (fm: string, body = 'Legal advice received.') => `---\nid: PCD 4999\ntitle: Heronsgate settlement\ndate: "2024-06-01"\nclassification: OFFICIAL-SENSITIVE\n${fm}---\n\n${body}\n`
const D = (fm: string) => `---\nid: PCD 4998\ntitle: Later decision\ndate: "2024-06-01"\nclassification: OFFICIAL\n${fm}deferral:\n  until: "2099-01-01"\n---\n\nLater.\n`

async function plantedHits(papers: Record<string, string>, page: string, file = 'leak/index.html'): Promise<string[]> {
  const files: Record<string, string> = {'public/index.html': '<p>Decisions</p>', [`public/${file}`]: page}
  for (const [name, text] of Object.entries(papers)) files[`content/${name}`] = text
  const fx = await makeFixture(files)
  try {
    return (await verify({content: fx.content, out: fx.out, now: NOW})).hits.filter((h) => h.outputFile.startsWith(file.split('/')[0])).map((h) => h.outputFile)
  } finally {
    await fx.cleanup()
  }
}

describe('the label rule: withheld text beside a label is still reported', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['a withheld paper\'s own decision maker (public words elsewhere) under the label', {'p.md': P, 'w.md': W('decision_maker: Deputy Mayor for Technology Contracts\n')}, '<p>Decision maker: Deputy Mayor for Technology Contracts</p>'],
    ['a deferred paper\'s tag that is two public tags of another paper joined', {'p.md': P, 'd.md': D('tags: [Technology procurement freeze]\n')}, '<h1>Decisions tagged Technology procurement freeze</h1>'],
    ['withheld text between a public paper\'s label and its tags (the whole template read across it)', {'p.md': P.replace('The Deputy Mayor', `:::official-sensitive{exemptions="s43"}\nDecision maker Deputy Mayor for Policing and Crime approved the ${SECRET} bid\n:::\n\nThe Deputy Mayor`)}, `<p>Decision maker Deputy Mayor for Policing and Crime approved the ${SECRET} bid</p>`],
    ['a withheld title made of a public paper\'s dm and title in a new order', {'p.md': P, 'w.md': W('', 'x').replace('Heronsgate settlement', 'Gateway support contract extension refused by the Deputy Mayor for Policing and Crime')}, '<h2>Gateway support contract extension refused by the Deputy Mayor for Policing and Crime</h2>'],
    ['a withheld summary that is a listing entry of a public paper followed by a withheld word', {'p.md': P, 'w.md': W('summary: "Reference PCD 4100 decision date ends; Heronsgate claim settled"\n')}, '<p>Reference PCD 4100 decision date ends; Heronsgate claim settled</p>']
  ]
  for (const [name, papers, page] of cases) {
    it(`${name}: reported`, async () => {
      expect(await plantedHits(papers, page)).not.toEqual([])
    })
  }
})

describe('the label rule: no false positive from a withheld paper\'s decision maker and tags', () => {
  const variants: Array<[string, string]> = [
    ['the same decision maker and tags as the public paper', 'decision_maker: Deputy Mayor for Policing and Crime\ntags: [Contracts, Technology]\n'],
    ['tags other-cased and hyphenated', 'tags: [contracts, TECHNOLOGY, community-safety]\n'],
    ['site words and dates as tags', 'tags: [Search, Reference, Decision maker, "2024", May, GMT, Open data]\n'],
    ['a decision maker that is a public paper\'s tag, and tags that are its decision maker', 'decision_maker: Technology\ntags: [Deputy Mayor for Policing and Crime]\n'],
    ['a decision maker that is the site\'s owner', 'decision_maker: Mayor\'s Office for Policing and Crime\n']
  ]
  for (const [name, fm] of variants) {
    it(`${name}: a real build of the public paper passes verify (withheld and deferred)`, async () => {
      const fx = await makeFixture({'content/p.md': P, 'content/w.md': W(fm), 'content/d.md': D(fm)})
      try {
        const r = await build({content: fx.content, now: NOW, baseUrl: BASE})
        expect(r.ok).toBe(true)
        for (const [name, data] of r.files!) {
          const file = path.join(fx.out, name)
          fs.mkdirSync(path.dirname(file), {recursive: true})
          fs.writeFileSync(file, data)
        }
        const v = await verify({content: fx.content, out: fx.out, now: NOW})
        expect(v.hits.map((h) => `${h.outputFile}`)).toEqual([])
      } finally {
        await fx.cleanup()
      }
    })
  }
})

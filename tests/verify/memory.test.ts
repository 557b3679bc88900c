/**
 * verify's memory (src/verify/incremental.ts): a search that skips what it
 * found clean before must reach the full search's verdict, hit for hit,
 * after any sequence of changes to the papers and to the output.
 */
import {readdirSync} from 'node:fs'
import {readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {verify} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from './helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
/** Invented words: in no site text, long enough to count alone when withheld. */
const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'cellunor', 'dravonet', 'ferrowind', 'glimmoran', 'hastuvel', 'jorrabine', 'kelvastro', 'lummerick']
const phrase = fc.array(fc.constantFrom(...WORDS), {minLength: 1, maxLength: 10}).map((w) => w.join(' '))

interface Paper {
  deferred: boolean
  title: string
  open: string[]
  withheld: string[]
}

const paper: fc.Arbitrary<Paper> = fc.record({
  deferred: fc.boolean(),
  title: phrase,
  open: fc.array(phrase, {maxLength: 3}),
  withheld: fc.array(phrase, {maxLength: 2})
})

type Step =
  | {kind: 'paper'; slot: number; paper: Paper | null}
  | {kind: 'file'; slot: number; text: string | null}
  | {kind: 'again'}

const step: fc.Arbitrary<Step> = fc.oneof(
  {arbitrary: fc.record({kind: fc.constant('paper' as const), slot: fc.nat(3), paper: fc.option(paper, {freq: 4})}), weight: 3},
  {arbitrary: fc.record({kind: fc.constant('file' as const), slot: fc.nat(4), text: fc.option(fc.array(phrase, {maxLength: 4}).map((p) => `<p>${p.join('. ')}</p>`), {freq: 4})}), weight: 2},
  {arbitrary: fc.constant({kind: 'again' as const}), weight: 1}
)

function source(n: number, p: Paper): string {
  return [
    '---',
    `id: PCD ${700 + n}`,
    `title: ${p.title}`,
    'date: 2026-01-10',
    'classification: OFFICIAL',
    'decision_maker: Deputy Mayor for Policing and Crime',
    `summary: Summary of decision ${700 + n}.`,
    ...(p.deferred ? ['deferral:', '  until: 2026-12-01', '  reason: Market engagement'] : []),
    '---',
    '',
    ...p.open.flatMap((t) => [t, '']),
    ...p.withheld.flatMap((t) => [':::official-sensitive{exemptions="s43"}', t, ':::', '']),
    'End of the paper.',
    ''
  ].join('\n')
}

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

describe('verify with its memory', () => {
  it('finds what a full search finds, after any changes to papers and output', async () => {
    const seen = {remembered: 0, hits: 0}
    await fc.assert(
      fc.asyncProperty(fc.array(paper, {minLength: 1, maxLength: 3}), fc.array(step, {minLength: 2, maxLength: 10}), async (start, steps) => {
        await fx?.cleanup()
        fx = await makeFixture({'public/index.html': '<p>Decisions</p>'})
        const f = fx
        const memory = path.join(f.root, 'state', 'verify')
        const writePaper = (slot: number, p: Paper | null) => (p ? f.write(`content/p${slot}.md`, source(slot, p)) : rm(path.join(f.content, `p${slot}.md`), {force: true}))
        for (const [i, p] of start.entries()) await writePaper(i, p)
        // The output starts as the papers' text: each phrase on a page of its own.
        for (const [i, p] of start.entries()) await f.write(`public/p${i}.html`, `<h1>${p.title}</h1><p>${[...p.open, ...p.withheld].join('. ')}</p>`)
        for (const s of [{kind: 'again' as const}, ...steps]) {
          if (s.kind === 'paper') await writePaper(s.slot, s.paper)
          if (s.kind === 'file') {
            if (s.text === null) await rm(path.join(f.out, `f${s.slot}.html`), {force: true})
            else await f.write(`public/f${s.slot}.html`, s.text)
          }
          // verify refuses a content folder with no paper.
          if (!readdirSync(f.content).some((n) => n.endsWith('.md'))) await writePaper(9, start[0]!)
          const full = await verify({content: f.content, out: f.out, now: NOW})
          const fast = await verify({content: f.content, out: f.out, now: NOW, memory})
          expect(fast.hits).toEqual(full.hits)
          expect(fast.filesScanned).toBe(full.filesScanned)
          seen.remembered += fast.filesRemembered ?? 0
          if (full.hits.length > 0) seen.hits++
        }
      }),
      {numRuns: 25}
    )
    // The runs took both paths: files searched only for what was new, and leaks found.
    expect(seen.remembered).toBeGreaterThan(0)
    expect(seen.hits).toBeGreaterThan(0)
  })

  it('searches a file found clean before for what became secret since', async () => {
    const open = 'The negotiated freehold price with Zorvaline Estates was agreed.'
    const paperWith = (body: string) => `---\nid: PCD 801\ntitle: Estates disposal\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Disposal of a surplus site.\n---\n\n${body}\n`
    fx = await makeFixture({'content/a.md': paperWith(open), 'public/a.html': `<p>${open}</p>`, 'public/b.html': '<p>Nothing here.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    const first = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(first.hits).toEqual([])
    expect(JSON.parse(await readFile(path.join(memory, 'memory.json'), 'utf8')).files).toHaveLength(2)
    // The phrase is withheld now; the page is unchanged, so remembered as clean.
    await writeFile(path.join(fx.content, 'a.md'), paperWith(`:::official-sensitive{exemptions="s43"}\n${open}\n:::`))
    const second = await verify({content: fx.content, out: fx.out, now: NOW, memory})
    expect(second.hits.map((h) => h.outputFile)).toContain('a.html')
    expect(second.hits).toEqual((await verify({content: fx.content, out: fx.out, now: NOW})).hits)
  })

  it('is not used by another version of verify, nor when it cannot be read', async () => {
    fx = await makeFixture({'content/a.md': '---\nid: PCD 802\ntitle: A\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: D\nsummary: S.\n---\n\nText.\n', 'public/a.html': '<p>Text.</p>'})
    const memory = path.join(fx.root, 'state', 'verify')
    await verify({content: fx.content, out: fx.out, now: NOW, memory})
    const file = path.join(memory, 'memory.json')
    const saved = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, JSON.stringify({...saved, version: 'another'}))
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(0)
    await writeFile(file, '{not json')
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(0)
    expect((await verify({content: fx.content, out: fx.out, now: NOW, memory})).filesRemembered).toBe(1)
  })
})

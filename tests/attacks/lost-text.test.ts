/**
 * Red team (eighth round) against 1733528: a change that loses public text
 * searches the changed papers alone, with the entries left out then whose
 * exclusion may have rested on a lost run searched for again
 * (`lostExcluded`, src/verify/incremental.ts; `again` / `excludedNow` in
 * `verify`, src/verify/index.ts).
 *
 * Every test asserts the safe behaviour: the verdict with the memory is the
 * full search's, and what the memory keeps as secret after a clean run holds
 * every entry a full search finds secret (else the next runs are blind).
 *
 * Results at 1733528: no hole found. The generated test (also run with
 * RT_RUNS=600 and RT_RUNS=250 RT_STEPS=16, about 13,000 steps) and the chosen
 * cases hold; with the core rule of `lostExcluded` disabled by hand, the
 * generated test and two chosen cases fail, so the oracle (the memory's
 * secrets after a clean run against a fresh full search's) can see the
 * blindness this change risks.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import path from 'node:path'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {verify, type VerifyResult} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const LATER = new Date('2026-12-02T12:00:00Z')

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

function secretsOf(memory: string): Set<string> {
  return new Set((JSON.parse(readFileSync(path.join(memory, 'memory.json'), 'utf8')) as {secrets: string[]}).secrets)
}

/**
 * One step's comparison: verify with the memory, verify without (the
 * verdict), and a fresh full search that leaves a memory of its own (what is
 * secret by a full reading). Returns the entries a full search holds secret
 * that the memory does not (the blind spots of the next run).
 */
async function compare(f: Fixture, memory: string, now: Date, ngram: number): Promise<{fast: VerifyResult; full: VerifyResult; missing: string[]}> {
  const full = await verify({content: f.content, out: f.out, now, ngram})
  const fast = await verify({content: f.content, out: f.out, now, memory, ngram})
  let missing: string[] = []
  // (Only when this run wrote the memory: one that found something searched in full and left the memory as it was.)
  if (fast.hits.length === 0 && full.hits.length === 0 && fast.readAll !== undefined) {
    const ref = path.join(f.root, 'state', 'ref')
    await rm(ref, {recursive: true, force: true})
    await verify({content: f.content, out: f.out, now, memory: ref, fresh: true, ngram})
    const mine = secretsOf(memory)
    missing = [...secretsOf(ref)].filter((k) => !mine.has(k))
  }
  return {fast, full, missing}
}

// ---------------------------------------------------------------------------
// Generated papers and edits

const WORDS = ['zorvaline', 'quillaby', 'mextroven', 'brathwick', 'cellunor', 'dravonet', 'the', 'of', '12', 'a', 'and', 'decision', 'policing', 'ab12cd', 'Zorvaline']
const word = fc.constantFrom(...WORDS)
const phrase = fc.array(word, {minLength: 1, maxLength: 6}).map((w) => w.join(' '))
/** Text of a public line: a phrase, some words joined by `_`. */
const openText = fc.tuple(phrase, fc.nat(6)).map(([p, j]) => (j === 0 ? p.replaceAll(' ', '_') : j === 1 ? `${p} [data](d${p.length % 2}.csv)` : p))

type Status = 'public' | 'deferred' | 'sensitive' | 'remove'
interface Paper {
  status: Status
  title: string
  summary: string
  tags: string[]
  open: string[]
  spans: string[]
  withheld: string[]
}

const paperArb: fc.Arbitrary<Paper> = fc.record({
  status: fc.constantFrom<Status>('public', 'public', 'public', 'deferred', 'sensitive', 'remove'),
  title: phrase,
  summary: phrase,
  tags: fc.array(word, {maxLength: 2}),
  open: fc.array(openText, {maxLength: 3}),
  spans: fc.array(phrase, {maxLength: 1}),
  withheld: fc.array(phrase, {maxLength: 2})
})

function source(n: number, p: Paper): string {
  return [
    '---',
    `id: PCD ${700 + n}`,
    `title: "${p.title}"`,
    'date: 2026-01-10',
    `classification: ${p.status === 'sensitive' ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL'}`,
    'decision_maker: Deputy Mayor for Policing and Crime',
    `summary: "${p.summary}"`,
    ...(p.tags.length > 0 ? ['tags:', ...p.tags.map((t) => `  - "${t}"`)] : []),
    ...(p.status === 'deferred' ? ['deferral:', '  until: 2026-12-01', '  reason: Market engagement'] : []),
    ...(p.status === 'remove' ? ['withdrawn:', '  date: 2026-03-01', '  explanation: Published in error', '  remove: true'] : []),
    '---',
    '',
    ...p.open.flatMap((t) => [t, '']),
    ...p.spans.map((s) => `We note :official-sensitive[${s}]{exemptions="s40"} here.\n`),
    ...p.withheld.flatMap((t) => [':::official-sensitive{exemptions="s43"}', t, ':::', '']),
    ''
  ].join('\n')
}

type Step =
  | {kind: 'paper'; slot: number; paper: Paper | null}
  | {kind: 'drop'; slot: number; which: number}
  | {kind: 'hide'; slot: number; which: number}
  | {kind: 'status'; slot: number; status: Status}
  | {kind: 'move'; slot: number; to: number}
  | {kind: 'page'; slot: number; text: string}
  | {kind: 'time'}
  | {kind: 'two'; a: Paper; b: Paper}
  | {kind: 'csv'; slot: number; text: string | null}
  | {kind: 'copy'; slot: number; paper: number; extra: string}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({kind: fc.constant('paper' as const), slot: fc.nat(2), paper: fc.option(paperArb, {freq: 5})}),
  fc.record({kind: fc.constant('drop' as const), slot: fc.nat(2), which: fc.nat(5)}),
  fc.record({kind: fc.constant('hide' as const), slot: fc.nat(2), which: fc.nat(5)}),
  fc.record({kind: fc.constant('status' as const), slot: fc.nat(2), status: fc.constantFrom<Status>('public', 'deferred', 'sensitive', 'remove')}),
  fc.record({kind: fc.constant('move' as const), slot: fc.nat(2), to: fc.nat(2)}),
  fc.record({kind: fc.constant('page' as const), slot: fc.nat(2), text: fc.array(phrase, {maxLength: 3}).map((p) => p.join('. '))}),
  fc.constant({kind: 'time' as const}),
  fc.record({kind: fc.constant('two' as const), a: paperArb, b: paperArb}),
  fc.record({kind: fc.constant('csv' as const), slot: fc.nat(1), text: fc.option(phrase)}),
  fc.record({kind: fc.constant('copy' as const), slot: fc.nat(2), paper: fc.nat(2), extra: phrase})
)

describe('generated edits that lose public text', () => {
  for (const ngram of [4, 8]) {
    it(`with n = ${ngram}: the memory's verdict is the full search's, and it keeps every entry a full search holds secret`, async () => {
      const seen = {steps: 0, lost: 0, again: 0, hits: 0}
      await fc.assert(
        fc.asyncProperty(fc.array(paperArb, {minLength: 2, maxLength: 3}), fc.array(step, {minLength: 2, maxLength: Number(process.env.RT_STEPS ?? 8)}), async (start, steps) => {
          await fx?.cleanup()
          fx = await makeFixture({'public/index.html': '<p>Decisions</p>'})
          const f = fx
          const memory = path.join(f.root, 'state', 'verify')
          const current = new Map<number, Paper>()
          const write = async (slot: number, p: Paper | null): Promise<void> => {
            if (p) current.set(slot, p)
            else current.delete(slot)
            if (p) await f.write(`content/p${slot}.md`, source(slot, p))
            else await rm(path.join(f.content, `p${slot}.md`), {force: true})
          }
          for (const [i, p] of start.entries()) await write(i, p)
          let now = NOW
          for (const s of [{kind: 'time' as const, skip: true}, ...steps]) {
            if (s.kind === 'time' && !('skip' in s)) now = now === NOW ? LATER : NOW
            const p = 'slot' in s ? current.get(s.slot) : undefined
            if (s.kind === 'paper') await write(s.slot, s.paper)
            if (s.kind === 'drop' && p && p.open.length > 0) await write(s.slot, {...p, open: p.open.filter((_, i) => i !== s.which % p.open.length)})
            if (s.kind === 'hide' && p && p.open.length > 0) {
              const i = s.which % p.open.length
              await write(s.slot, {...p, open: p.open.filter((_, k) => k !== i), withheld: [...p.withheld, p.open[i]!.replaceAll('_', ' ')]})
            }
            if (s.kind === 'status' && p) await write(s.slot, {...p, status: s.status})
            if (s.kind === 'move' && p && s.to !== s.slot) {
              await rename(path.join(f.content, `p${s.slot}.md`), path.join(f.content, `p${s.to + 3}.md`))
              current.delete(s.slot)
            }
            if (s.kind === 'two') {
              await write(0, s.a)
              await write(1, s.b)
            }
            if (s.kind === 'csv') {
              if (s.text === null) await rm(path.join(f.content, `d${s.slot}.csv`), {force: true})
              else await f.write(`content/d${s.slot}.csv`, `${s.text}\n`)
            }
            const q = 'paper' in s && typeof s.paper === 'number' ? current.get(s.paper) : undefined
            if (s.kind === 'copy' && q) await f.write(`public/f${s.slot}.html`, `<h1>${q.title}</h1><p>${q.summary}</p><p>${q.open.join('. ')}</p><p>${s.extra}</p>`)
            if (s.kind === 'page') await f.write(`public/f${s.slot}.html`, `<p>${s.text}</p>`)
            if (!readdirSync(f.content).some((n) => n.endsWith('.md'))) await write(0, start[0]!)
            const {fast, full, missing} = await compare(f, memory, now, ngram)
            expect(fast.hits).toEqual(full.hits)
            expect(missing).toEqual([])
            seen.steps++
            if (fast.readAll === false && (fast.lostRuns ?? 0) > 0) seen.lost++
            if ((fast.entriesAgain ?? 0) > 0) seen.again++
            if (full.hits.length > 0) seen.hits++
          }
        }),
        {numRuns: Number(process.env.RT_RUNS ?? 30)}
      )
      expect(seen.again).toBeGreaterThan(0)
    }, 60_000)
  }
})

// ---------------------------------------------------------------------------
// Chosen cases

function paperWith(n: number, body: string, fm = ''): string {
  return `---\nid: PCD ${n}\ntitle: Paper ${n}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary ${n}.\n${fm}---\n\n${body}\n`
}
const block = (t: string): string => `:::official-sensitive{exemptions="s43"}\n${t}\n:::`

/** A fixture, a clean search with the memory, then `change`; the memory's verdict and the full one's after it, and after a second clean step. */
async function afterChange(files: Record<string, string>, change: (f: Fixture) => Promise<void>, leak: string, now2 = NOW): Promise<{fast: VerifyResult; full: VerifyResult; next: {fast: VerifyResult; full: VerifyResult}}> {
  fx = await makeFixture({'public/index.html': '<p>Decisions</p>', ...files})
  const f = fx
  const memory = path.join(f.root, 'state', 'verify')
  const first = await verify({content: f.content, out: f.out, now: NOW, memory})
  expect(first.hits).toEqual([])
  await change(f)
  const full = await verify({content: f.content, out: f.out, now: now2})
  const fast = await verify({content: f.content, out: f.out, now: now2, memory})
  // The leak appears only at the next build, after a clean one wrote the memory.
  await f.write('public/leak.html', `<p>${leak}</p>`)
  const nextFull = await verify({content: f.content, out: f.out, now: now2})
  const nextFast = await verify({content: f.content, out: f.out, now: now2, memory})
  // The change was searched through the memory: the changed papers alone, what it lost searched for again.
  expect({readAll: fast.readAll, lost: (fast.lostRuns ?? 0) > 0, again: (fast.entriesAgain ?? 0) > 0}).toEqual({readAll: false, lost: true, again: true})
  return {fast, full, next: {fast: nextFast, full: nextFull}}
}

describe('chosen edits that lose public text', () => {
  it('an n-gram left out by its core, a word public only as a part of a `_` token, is found once the token changes (the next build)', async () => {
    const ngram = 'the of a zorv 12 the of and'
    const r = await afterChange(
      {'content/a.md': paperWith(801, `Opening.\n\n${block(ngram)}`), 'content/b.md': paperWith(802, 'File ref_zorv here.')},
      (f) => f.write('content/b.md', paperWith(802, 'File ref_zorq here.')),
      ngram
    )
    expect(r.fast.hits).toEqual(r.full.hits)
    expect(r.next.full.hits.length).toBeGreaterThan(0)
    expect(r.next.fast.hits).toEqual(r.next.full.hits)
  })

  it('a paper whose frontmatter no longer parses loses all its public text: what it alone said openly is found', async () => {
    const r = await afterChange(
      {'content/a.md': paperWith(803, `Opening.\n\n${block('Vintrolex')}`), 'content/b.md': paperWith(804, 'We met Vintrolex today.')},
      (f) => f.write('content/b.md', paperWith(804, 'We met Vintrolex today.').replace('date: 2026-01-10', 'date: [2026')),
      'Vintrolex'
    )
    expect(r.fast.hits).toEqual(r.full.hits)
    expect(r.next.full.hits.length).toBeGreaterThan(0)
    expect(r.next.fast.hits).toEqual(r.next.full.hits)
  })

  it('a paper renamed and edited at once, and another deleted: what only they said is found', async () => {
    const r = await afterChange(
      {
        'content/a.md': paperWith(805, `Opening.\n\n${block('Vintrolex met Quorvald at the depot')}`),
        'content/b.md': paperWith(806, 'We met Vintrolex today.'),
        'content/c.md': paperWith(807, 'Quorvald spoke.')
      },
      async (f) => {
        await rename(path.join(f.content, 'b.md'), path.join(f.content, 'sub-b.md'))
        await f.write('content/sub-b.md', paperWith(806, 'We met them today.'))
        await rm(path.join(f.content, 'c.md'))
      },
      'Vintrolex and Quorvald'
    )
    expect(r.fast.hits).toEqual(r.full.hits)
    expect(r.next.full.hits.length).toBe(2)
    expect(r.next.fast.hits).toEqual(r.next.full.hits)
  })

  it('the clock moved back before a deferral: the paper deferred again loses its public text', async () => {
    const fm = 'deferral:\n  until: 2026-12-01\n  reason: Market engagement\n'
    fx = await makeFixture({'public/index.html': '<p>Decisions</p>', 'content/a.md': paperWith(808, `Opening.\n\n${block('Vintrolex')}`), 'content/b.md': paperWith(809, 'We met Vintrolex today.', fm)})
    const f = fx
    const memory = path.join(f.root, 'state', 'verify')
    expect((await verify({content: f.content, out: f.out, now: LATER, memory})).hits).toEqual([])
    expect((await verify({content: f.content, out: f.out, now: NOW, memory})).hits).toEqual([])
    await f.write('public/leak.html', '<p>Vintrolex</p>')
    const full = await verify({content: f.content, out: f.out, now: NOW})
    const fast = await verify({content: f.content, out: f.out, now: NOW, memory})
    expect(full.hits.length).toBeGreaterThan(0)
    expect(fast.hits).toEqual(full.hits)
  })

  it('a title (public frontmatter) edited: the phrase a span withholds elsewhere, public only in that title, is found', async () => {
    const r = await afterChange(
      {'content/a.md': paperWith(810, 'The lead is :official-sensitive[Jane Quorvald]{exemptions="s40"} now.'), 'content/b.md': paperWith(811, 'Body.').replace('title: Paper 811', 'title: Letter from Jane Quorvald')},
      (f) => f.write('content/b.md', paperWith(811, 'Body.').replace('title: Paper 811', 'title: Letter from Jane')),
      'Jane Quorvald'
    )
    expect(r.fast.hits).toEqual(r.full.hits)
    expect(r.next.full.hits.length).toBeGreaterThan(0)
    expect(r.next.fast.hits).toEqual(r.next.full.hits)
  })

  it('a change that loses public text and brings new withheld text at once, in two papers', async () => {
    const six = 'zorvaline quillaby mextroven brathwick cellunor dravonet'
    const r = await afterChange(
      {'content/a.md': paperWith(812, `Opening.\n\n${block(`the ${six} of`)}`), 'content/b.md': paperWith(813, `We said ${six} openly.`), 'content/c.md': paperWith(814, 'Nothing.')},
      async (f) => {
        await f.write('content/b.md', paperWith(813, `We said ${six.split(' ').reverse().join(' ')} openly.`))
        await f.write('content/c.md', paperWith(814, `Nothing.\n\n${block(`and ${six} 12`)}`))
      },
      `the ${six} of. and ${six} 12`
    )
    expect(r.fast.hits).toEqual(r.full.hits)
    expect(r.next.full.hits.length).toBeGreaterThan(0)
    expect(r.next.fast.hits).toEqual(r.next.full.hits)
  })
})

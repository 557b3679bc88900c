/**
 * Red team (second round) of verify's memory (src/verify/incremental.ts),
 * aimed at: readings kept per side of the deferral date, linked-file text
 * counted per paper, and candidates for entries excluded by the seam rule.
 * Each step compares `verify({memory})` with a full `verify()` on the same
 * inputs (the memory run second, as a build does), and where a leak is
 * expected checks that the full search finds it.
 */
import {link, mkdir, rm, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {verify, type VerifyResult} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const T0 = new Date('2026-06-01T12:00:00Z') // before D1 and D2
const T1 = new Date('2026-10-01T12:00:00Z') // after D1, before D2
const T2 = new Date('2026-12-02T12:00:00Z') // after both
const D1 = '2026-09-01'
const D2 = '2026-12-01'

const paper = (id: number, body: string, {title = `Decision ${id} on estates`, fm = ''}: {title?: string; fm?: string} = {}): string =>
  `---\nid: PCD ${id}\ntitle: ${title}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary of decision ${id}.\n${fm}---\n\n${body}\n`
const withheld = (text: string, attrs = 'exemptions="s43"'): string => `:::official-sensitive{${attrs}}\n${text}\n:::`
const deferred = (until: string): string => `deferral:\n  until: ${until}\n  reason: Market engagement\n`

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

async function setup(files: Record<string, string | Buffer>): Promise<{f: Fixture; memory: string; c: (rel: string) => string}> {
  fx = await makeFixture({'public/index.html': '<p>Decisions</p>', ...files})
  const f = fx
  return {f, memory: path.join(f.root, 'state', 'verify'), c: (rel) => path.join(f.content, rel)}
}

const files = (r: VerifyResult): string[] => [...new Set(r.hits.map((h) => h.outputFile))].sort()

/**
 * One step: apply `change`, run both searches at `now`, compare. `leak`: the
 * output files the full search must report (an empty list: clean).
 */
async function step(f: Fixture, memory: string, now: Date, leak: string[], change: () => Promise<unknown> = async () => {}): Promise<VerifyResult> {
  await change()
  const full = await verify({content: f.content, out: f.out, now})
  const mem = await verify({content: f.content, out: f.out, now, memory})
  expect(mem.hits).toEqual(full.hits)
  expect(files(full)).toEqual(leak)
  return mem
}

// The word is withheld in w.md (never changed); z.html (never changed) shows it alone.
const WORD = 'Zorvaline'
const base = (): Record<string, string> => ({
  'content/w.md': paper(900, `Opening text.\n\n${withheld(`Contract awarded to ${WORD} after review.`)}`),
  'public/z.html': `<p>${WORD}</p>`,
})

describe('linked files counted per paper', () => {
  it('a csv linked by two papers: one stops linking, then the other', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).'),
      'content/b.md': paper(902, 'Also [data](data.csv).'),
      'content/data.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('b.md'), paper(902, 'No link now.')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(901, 'No link either.')))
  })

  it('a csv linked by two papers: one changes its text (same link), the other stops linking', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).'),
      'content/b.md': paper(902, 'Also [data](data.csv).'),
      'content/data.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('a.md'), paper(901, 'See [the data](./data.csv) again.')))
    await step(f, memory, T0, [], () => writeFile(c('b.md'), paper(902, 'Nothing.')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(901, 'Nothing here.')))
  })

  it('a paper newly links the file another links, then the first drops it and the file changes', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).'),
      'content/b.md': paper(902, 'No link.'),
      'content/data.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('b.md'), paper(902, 'Now [data](data.csv).')))
    await step(f, memory, T0, [], () => writeFile(c('a.md'), paper(901, 'No link.')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('data.csv'), 'name\nOther\n'))
  })

  it('a paper switches to another file with the same text (same linked digest), the old file changes', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](d1.csv).'),
      'content/d1.csv': `name\n${WORD}\n`,
      'content/d2.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], async () => {
      await writeFile(c('a.md'), paper(901, 'See [data](d2.csv).'))
      await writeFile(c('d1.csv'), 'name\nOther\n')
    })
    await step(f, memory, T0, ['z.html'], () => writeFile(c('d2.csv'), 'name\nOther\n'))
  })

  it('a linked file changes while one linking paper is deferred, then it falls due; then the public one unlinks', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).', {fm: deferred(D2)}),
      'content/b.md': paper(902, 'Also [data](data.csv).'),
      'content/data.csv': 'name\nOther\n',
    })
    await step(f, memory, T0, ['z.html'])
    await step(f, memory, T0, [], () => writeFile(c('data.csv'), `name\n${WORD}\n`))
    await step(f, memory, T2, [])
    await step(f, memory, T2, [], () => writeFile(c('b.md'), paper(902, 'No link.')))
    // Back before a.md's date: nobody public links the file.
    await step(f, memory, T0, ['z.html'])
  })

  it('the only linker is deferred when the file changes; it falls due (first link: no full reading) and the word is public', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).', {fm: deferred(D2)}),
      'content/b.md': paper(902, `We thank ${WORD}.`),
      'content/data.csv': 'name\nOther\n',
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('data.csv'), `name\n${WORD}\n`))
    await step(f, memory, T2, [], () => writeFile(c('b.md'), paper(902, 'We thank them.')))
    await step(f, memory, T0, ['z.html'])
  })

  it('a paper falling due links a file whose text is withheld elsewhere (leak before, none after, leak again)', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).', {fm: deferred(D2)}),
      'content/data.csv': `name\n${WORD}\n`,
    })
    for (const [now, leak] of [[T0, ['z.html']], [T2, []], [T0, ['z.html']], [T2, []]] as const) await step(f, memory, now, [...leak])
    // Then the file loses the word while a.md is public.
    await step(f, memory, T2, ['z.html'], () => writeFile(c('data.csv'), 'name\nOther\n'))
  })

  it('`_` parts of linked text: the word only as part of `zorvaline_tour` in the csv; the linker edits, then the csv changes', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).'),
      'content/data.csv': 'name\nzorvaline_tour\n',
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('a.md'), paper(901, 'See [the data](data.csv) please.')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('data.csv'), 'name\nother_tour\n'))
  })

  it('`_` parts: the word as part of a token in the paper body, dropped while the linked file stays the same', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See zorvaline_tour and [data](data.csv).'),
      'content/data.csv': 'name\nOther\n',
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(901, 'See other_tour and [data](data.csv).')))
  })

  it('a linked .svg symlinked to another file whose text changes', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [chart](chart.svg).'),
      'content/real/chart.svg': `<svg xmlns="http://www.w3.org/2000/svg"><text>${WORD}</text></svg>`,
    })
    await symlink(c('real/chart.svg'), c('chart.svg'))
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('real/chart.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>Other</text></svg>'))
  })

  it('a new paper hard-linked to the linked csv (the csv becomes a paper)', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).'),
      'content/data.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T0, [])
    await link(c('data.csv'), c('x.md'))
    const full = await verify({content: f.content, out: f.out, now: T0})
    const mem = await verify({content: f.content, out: f.out, now: T0, memory})
    expect(mem.hits).toEqual(full.hits)
    expect(files(full)).toContain('z.html')
  })

  it('a public paper with a link falls back behind its date (clock back), its text also changing', async () => {
    const {f, memory, c} = await setup({
      ...base(),
      'content/a.md': paper(901, 'See [data](data.csv).', {fm: deferred(D2)}),
      'content/data.csv': `name\n${WORD}\n`,
    })
    await step(f, memory, T2, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(901, 'See [data](data.csv) now.', {fm: deferred(D2)})))
  })
})

describe('readings per side of the deferral date', () => {
  it('the clock moves back and forth across two papers\' dates', async () => {
    // p.md (due D1) holds A-word publicly, q.md (due D2) holds B-word; both withheld in w2.md.
    const {f, memory} = await setup({
      'content/w2.md': paper(910, `Opening.\n\n${withheld('Awards to Brathmoor and Cellivane were approved.')}`),
      'content/p.md': paper(911, 'We visited Brathmoor.', {fm: deferred(D1)}),
      'content/q.md': paper(912, 'We visited Cellivane.', {fm: deferred(D2)}),
      'public/a.html': '<p>Brathmoor</p>',
      'public/b.html': '<p>Cellivane</p>',
    })
    const expected = (now: Date): string[] => (now === T0 ? ['a.html', 'b.html'] : now === T1 ? ['b.html'] : [])
    for (const now of [T2, T1, T0, T2, T0, T1, T2, T1, T0, T1]) await step(f, memory, now, expected(now))
  })

  it('clean steps only (memory written each time): pages follow the clock', async () => {
    const {f, memory} = await setup({
      'content/w2.md': paper(910, `Opening.\n\n${withheld('Awards to Brathmoor and Cellivane were approved.')}`),
      'content/p.md': paper(911, 'We visited Brathmoor.', {fm: deferred(D1)}),
      'content/q.md': paper(912, 'We visited Cellivane.', {fm: deferred(D2)}),
    })
    const page = async (now: Date): Promise<void> => {
      await rm(path.join(f.out, 'a.html'), {force: true})
      await rm(path.join(f.out, 'b.html'), {force: true})
      if (now !== T0) await writeFile(path.join(f.out, 'a.html'), '<p>Brathmoor</p>')
      if (now === T2) await writeFile(path.join(f.out, 'b.html'), '<p>Cellivane</p>')
    }
    for (const now of [T2, T1, T0, T2, T1, T2]) await step(f, memory, now, [], () => page(now))
    // Now the pages stay and the clock goes back without a rebuild.
    await step(f, memory, T1, ['b.html'])
    await step(f, memory, T0, ['a.html', 'b.html'])
  })

  it('deferral `until` changes on the same side, then to the other side', async () => {
    const {f, memory, c} = await setup({...base(), 'content/b.md': paper(902, `We thank ${WORD}.`)})
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(902, `We thank ${WORD}.`, {fm: deferred(D2)})))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(902, `We thank ${WORD}.`, {fm: deferred(D1)})))
    await step(f, memory, T0, [], () => writeFile(c('b.md'), paper(902, `We thank ${WORD}.`, {fm: deferred('2026-05-01')})))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(902, `We thank ${WORD}.`, {fm: deferred('2026-06-01T13:00:00Z')})))
    await step(f, memory, T0, [], () => writeFile(c('b.md'), paper(902, `We thank ${WORD}.`, {fm: deferred('2026-06-01T12:00:00Z')})))
  })

  it('text changes and the deferral is crossed in the same run (both ways)', async () => {
    const {f, memory, c} = await setup({...base(), 'content/b.md': paper(902, `We thank ${WORD}.`, {fm: deferred(D2)})})
    await step(f, memory, T2, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(902, `We thank ${WORD} again.`, {fm: deferred(D2)})))
    await step(f, memory, T2, [], () => writeFile(c('b.md'), paper(902, `We thank ${WORD} once more.`, {fm: deferred(D2)})))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(902, 'We thank them.', {fm: deferred(D2)})))
    await step(f, memory, T2, ['z.html'])
  })

  it('text goes back to an earlier version whose reading for the other side is still on disk', async () => {
    const v1 = paper(902, `We thank ${WORD}.`, {fm: deferred(D2)})
    const v2 = paper(902, 'We thank them.', {fm: deferred(D2)})
    const {f, memory, c} = await setup({...base(), 'content/b.md': v1, 'public/z.html': '<p>Other</p>'})
    await step(f, memory, T2, [])
    await step(f, memory, T0, [])
    await step(f, memory, T2, [], () => writeFile(c('b.md'), v2))
    await step(f, memory, T0, [], () => writeFile(c('b.md'), v1))
    // The page now shows the word: public at T2 (b.md is due), a leak at T0.
    await step(f, memory, T2, [], () => writeFile(path.join(f.out, 'z.html'), `<p>${WORD}</p>`))
    await step(f, memory, T0, ['z.html'])
    await step(f, memory, T2, ['z.html'], () => writeFile(c('b.md'), v2))
  })

  it('deleting a paper (public by the clock) that was the only public source of the word; remembered page shows it', async () => {
    const {f, memory, c} = await setup({...base(), 'content/b.md': paper(902, `We thank ${WORD}.`, {fm: deferred(D1)})})
    await step(f, memory, T1, [])
    await step(f, memory, T2, [])
    await step(f, memory, T2, ['z.html'], () => rm(c('b.md')))
  })

  it('deleting the only public source after its reading on the other side was made in a leaking run', async () => {
    const {f, memory, c} = await setup({...base(), 'content/b.md': paper(902, `We thank ${WORD}.`, {fm: deferred(D1)})})
    await step(f, memory, T1, [])
    await step(f, memory, T0, ['z.html'])
    await step(f, memory, T1, ['z.html'], () => rm(c('b.md')))
  })

  it('deleting a paper that linked the only public copy of the word', async () => {
    const {f, memory, c} = await setup({...base(), 'content/b.md': paper(902, 'See [d](d.csv).'), 'content/d.csv': `name\n${WORD}\n`})
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => rm(c('b.md')))
  })

  it('a deferred paper falls due (word public elsewhere too), the other source drops it, then the paper withholds it', async () => {
    // While deferred, b.md's body is secret; the word is public through c.md.
    const {f, memory, c} = await setup({
      ...base(),
      'content/b.md': paper(902, `We thank ${WORD}.`, {fm: deferred(D2)}),
      'content/c.md': paper(903, `Also ${WORD}.`),
    })
    await step(f, memory, T0, [])
    await step(f, memory, T2, [])
    await step(f, memory, T2, [], () => writeFile(c('c.md'), paper(903, 'Also nobody.')))
    await step(f, memory, T2, ['z.html'], () => writeFile(c('b.md'), paper(902, `We thank :official-sensitive[${WORD}]{exemptions="s43"}.`, {fm: deferred(D2)})))
  })
})

describe('seam rule cores', () => {
  const core = 'brathwick cellunor dravonet ferrowind glimmoran hastuvel'
  const secretPaper = paper(920, `Opening.\n\n${withheld(`the ${core} and`)}`)
  const page = `<p>the ${core} and</p>`

  it('core public only through a linked csv; the csv changes', async () => {
    const {f, memory, c} = await setup({'content/s.md': secretPaper, 'content/a.md': paper(921, 'See [d](d.csv).'), 'content/d.csv': `x\n${core}\n`, 'public/z.html': page})
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => writeFile(c('a.md'), paper(921, 'See [the data](d.csv).')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('d.csv'), 'x\nnothing\n'))
  })

  it('core public only through a paper that the clock defers again', async () => {
    const {f, memory} = await setup({'content/s.md': secretPaper, 'content/a.md': paper(921, `Public: ${core}.`, {fm: deferred(D2)}), 'public/z.html': page})
    await step(f, memory, T2, [])
    await step(f, memory, T0, ['z.html'])
    await step(f, memory, T2, [])
  })

  it('core public through a paper whose text changes and crosses its date in one run', async () => {
    const {f, memory, c} = await setup({'content/s.md': secretPaper, 'content/a.md': paper(921, `Public: ${core}.`, {fm: deferred(D2)}), 'public/z.html': page})
    await step(f, memory, T2, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(921, 'Public: nothing.', {fm: deferred(D2)})))
  })

  it('core public in two papers; one is deleted, the other keeps it only in its title; then the title changes', async () => {
    const {f, memory, c} = await setup({
      'content/s.md': secretPaper,
      'content/a.md': paper(921, `Public: ${core}.`),
      'content/b.md': paper(922, 'Body.', {title: core}),
      'public/z.html': page,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => rm(c('a.md')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('b.md'), paper(922, 'Body.', {title: 'Other title'})))
  })

  it('core split across a redaction seam in a public paper (body stream runs across removed text), then the seam changes', async () => {
    const [h1, h2] = [core.split(' ').slice(0, 3).join(' '), core.split(' ').slice(3).join(' ')]
    const {f, memory, c} = await setup({
      'content/s.md': secretPaper,
      'content/a.md': paper(921, `Public ${h1} :official-sensitive[Qexmoral]{exemptions="s43"} ${h2} end.`),
      'public/z.html': page,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(921, `Public ${h1} :official-sensitive[Qexmoral]{exemptions="s43"} middle ${h2} end.`)))
  })

  it('the word of a core and a lost run near the start of a long piece (window before the run)', async () => {
    const long = `alpha ${'quarnet '.repeat(3)}the ${core} and ${'vellish '.repeat(3)}omega`
    const {f, memory, c} = await setup({
      'content/s.md': paper(920, `Opening.\n\n${withheld(long)}`),
      'content/a.md': paper(921, `Public: ${core}.`),
      'public/z.html': page,
    })
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], () => writeFile(c('a.md'), paper(921, 'Public: nothing.')))
  })
})

describe('same text, several paths', () => {
  it('two papers with the same text (same reading but for the path); one is deleted, then the other defers', async () => {
    const text = paper(930, `We thank ${WORD}.`)
    const {f, memory, c} = await setup({...base(), 'content/a.md': text, 'content/sub/a.md': text})
    await step(f, memory, T0, [])
    await step(f, memory, T0, [], () => rm(c('a.md')))
    await step(f, memory, T0, ['z.html'], () => writeFile(c('sub/a.md'), paper(930, `We thank ${WORD}.`, {fm: deferred(D2)})))
  })

  it('the only paper linking the csv is moved to another folder (the link now resolves to nothing)', async () => {
    const {f, memory, c} = await setup({...base(), 'content/a.md': paper(931, 'See [d](d.csv).'), 'content/d.csv': `name\n${WORD}\n`})
    await step(f, memory, T0, [])
    await step(f, memory, T0, ['z.html'], async () => {
      await mkdir(c('sub'))
      await writeFile(c('sub/a.md'), paper(931, 'See [d](d.csv).'))
      await rm(c('a.md'))
    })
  })
})

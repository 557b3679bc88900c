/**
 * Red team of verify's memory (src/verify/incremental.ts): after any change
 * to papers, linked files, the configuration, the output, the clock or the
 * state folder, verify WITH its memory must report exactly what a full
 * verify reports. Each test builds a clean memory first, makes one change,
 * and compares `verify({memory})` with `verify()` on the same inputs.
 */
import {brotliCompressSync} from 'node:zlib'
import {cp, mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {verify, type VerifyResult} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

const NOW = new Date('2026-06-01T12:00:00Z')
const LATER = new Date('2026-12-02T12:00:00Z')

/** A paper; `fm` is extra YAML lines (each ending in \n). */
const paper = (id: number, body: string, {title = `Decision ${id} on estates`, fm = ''}: {title?: string; fm?: string} = {}): string =>
  `---\nid: PCD ${id}\ntitle: ${title}\ndate: 2026-01-10\nclassification: OFFICIAL\ndecision_maker: Deputy Mayor for Policing and Crime\nsummary: Summary of decision ${id}.\n${fm}---\n\n${body}\n`
const withheld = (text: string, attrs = 'exemptions="s43"'): string => `:::official-sensitive{${attrs}}\n${text}\n:::`

let fx: Fixture | undefined
afterEach(async () => {
  await fx?.cleanup()
  fx = undefined
})

async function setup(files: Record<string, string | Buffer>): Promise<{f: Fixture; memory: string}> {
  fx = await makeFixture({'public/index.html': '<p>Decisions</p>', ...files})
  return {f: fx, memory: path.join(fx.root, 'state', 'verify')}
}

/** Both searches on the same inputs; the memory run second (it writes the memory). */
async function both(f: Fixture, memory: string, now = NOW, content = f.content): Promise<{full: VerifyResult; mem: VerifyResult}> {
  const full = await verify({content, out: f.out, now})
  const mem = await verify({content, out: f.out, now, memory})
  return {full, mem}
}

/** A clean run that leaves a memory, then the check after `change`. */
async function afterChange(f: Fixture, memory: string, change: () => Promise<void>, {before = NOW, after = NOW} = {}): Promise<{full: VerifyResult; mem: VerifyResult}> {
  const first = await both(f, memory, before)
  expect(first.full.hits).toEqual([])
  expect(first.mem.hits).toEqual([])
  await change()
  const r = await both(f, memory, after)
  expect(r.mem.hits).toEqual(r.full.hits)
  return r
}

const files = (r: VerifyResult): string[] => [...new Set(r.hits.map((h) => h.outputFile))].sort()

/** A hand-made brotli stream: a metadata block holding `meta` (which decoders skip), then an empty last block. */
function brotliWithMetadata(meta: Buffer): Buffer {
  const l = meta.length - 1
  if (l < 0 || l > 255) throw new Error('1..256 bytes')
  return Buffer.concat([Buffer.from([0x2c | ((l & 1) << 7), l >> 1]), meta, Buffer.from([0x03])])
}

describe('output side: a remembered file is known by its bytes, but read by its name too', () => {
  it('brotli bytes found clean as `search.bin` are decompressed when renamed `search.br`', async () => {
    const secret = 'The Zorvaline bid was the lowest received.'
    const page = Buffer.from(`<p>${secret} </p>`.repeat(30))
    const compressed = brotliCompressSync(page)
    expect(/zorvaline/i.test(compressed.toString('latin1'))).toBe(false)
    const {f, memory} = await setup({'content/a.md': paper(801, `Public text.\n\n${withheld(secret)}`), 'public/search.bin': compressed})
    const {full, mem} = await afterChange(f, memory, () => rename(path.join(f.out, 'search.bin'), path.join(f.out, 'search.br')))
    expect(files(full)).toEqual(['search.br'])
    expect(mem.hits).toEqual(full.hits)
  })

  it('a .br whose raw bytes (a brotli metadata block) hold the secret is a leak as it is, and renamed .html', async () => {
    const secret = 'The Zorvaline bid was the lowest received.'
    const br = brotliWithMetadata(Buffer.from(`<p>${secret}</p>`))
    const {f, memory} = await setup({'content/a.md': paper(802, `Public text.\n\n${withheld(secret)}`), 'public/x.br': br})
    const first = await both(f, memory)
    // A full verify reads a .br's raw bytes as well as what it decompresses to.
    expect(files(first.full)).toEqual(['x.br'])
    expect(first.mem.hits).toEqual(first.full.hits)
    await rename(path.join(f.out, 'x.br'), path.join(f.out, 'x.html'))
    const {full, mem} = await both(f, memory)
    expect(files(full)).toEqual(['x.html'])
    expect(mem.hits).toEqual(full.hits)
  })

  it('holds: a byte-identical file under a new (plain) name, or copied to a second path', async () => {
    const {f, memory} = await setup({'content/a.md': paper(803, `Public text Quillaby.\n\n${withheld('Mextroven holds the lease on the depot.')}`), 'public/a.html': '<p>Public text Quillaby.</p>'})
    const {full, mem} = await afterChange(f, memory, async () => {
      await rename(path.join(f.out, 'a.html'), path.join(f.out, 'b.txt'))
      await cp(path.join(f.out, 'b.txt'), path.join(f.out, 'sub', 'c.json'), {recursive: true})
    })
    expect(full.hits).toEqual([])
    expect(mem.filesRemembered).toBeGreaterThan(0)
  })

  it('holds: a remembered file whose name becomes a withheld slug', async () => {
    const {f, memory} = await setup({'content/a.md': paper(804, 'Public text.'), 'public/a.html': '<p>Public text.</p>'})
    const {full} = await afterChange(f, memory, async () => {
      await writeFile(path.join(f.content, 'b.md'), paper(805, 'Later.', {fm: 'deferral:\n  until: 2026-12-01\n  reason: Market engagement\n'}))
      await rename(path.join(f.out, 'a.html'), path.join(f.out, 'pcd-805.html'))
    })
    expect(files(full)).toEqual(['pcd-805.html'])
  })
})

describe('source side: public text lost since the last clean check', () => {
  // The word is withheld in a.md (unchanged) and public in b.md; the page holding it is unchanged.
  const base = () => ({
    'content/a.md': paper(811, `Opening text.\n\n${withheld('Contract awarded to Zorvaline after review.')}`),
    'public/z.html': '<p>Zorvaline</p>'
  })

  it('holds: b.md drops the public word', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'We thank Zorvaline for the tour.')})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, 'We thank them for the tour.')))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: b.md is deleted', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'We thank Zorvaline for the tour.')})
    const {full} = await afterChange(f, memory, () => rm(path.join(f.content, 'b.md')))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was only part of a `_`-joined token of b.md', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'See the file zorvaline_tour_notes for details.')})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, 'See the file tour_notes for details.')))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was in a frontmatter field (tags) of b.md', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'Body.', {fm: 'tags:\n  - zorvaline\n'})})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, 'Body.', {fm: 'tags:\n  - estates\n'})))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was the `kind` of a withheld block in b.md', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, `Body.\n\n${withheld('Other text here.', 'exemptions="s43" kind="Zorvaline"')}`)})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, `Body.\n\n${withheld('Other text here.', 'exemptions="s43" kind="Other"')}`)))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was a footnote label of b.md', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'Body text[^zorvaline].\n\n[^zorvaline]: A note.')})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, 'Body text[^one].\n\n[^one]: A note.')))
    expect(files(full)).toEqual(['z.html'])
  })

  for (const [what, fm] of [
    ['deferred', 'deferral:\n  until: 2026-12-01\n  reason: Market engagement\n'],
    ['a draft', 'draft: true\n'],
    ['withdrawn and removed', 'withdrawn:\n  remove: true\n'],
    ['deferred to an unparseable date', 'deferral:\n  until: soon\n']
  ] as const) {
    it(`holds: b.md (public, holding the word) becomes ${what}`, async () => {
      const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'We thank Zorvaline for the tour.')})
      const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(812, 'We thank Zorvaline for the tour.', {fm})))
      expect(files(full)).toContain('z.html')
    })
  }

  it('holds: the clock moves back before b.md\'s deferral (same text)', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'We thank Zorvaline for the tour.', {fm: 'deferral:\n  until: 2026-12-01\n  reason: Market engagement\n'})})
    const {full} = await afterChange(f, memory, async () => {}, {before: LATER, after: NOW})
    expect(files(full)).toContain('z.html')
  })

  it('holds: the seam rule\'s public core is lost (8-gram = public core + weak words)', async () => {
    const core = 'brathwick cellunor dravonet ferrowind glimmoran hastuvel'
    const {f, memory} = await setup({
      'content/a.md': paper(813, `Opening.\n\n${withheld(`the ${core} and`)}`),
      'content/b.md': paper(814, `Public: ${core}.`),
      'public/z.html': `<p>the ${core} and</p>`
    })
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(814, 'Public: nothing.')))
    expect(files(full)).toContain('z.html')
  })

  it('holds: the public word was in a linked .csv whose text changes (paper text unchanged)', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'See [the data](data.csv).'), 'content/data.csv': 'name,score\nZorvaline,3\n'})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'data.csv'), 'name,score\nOther,3\n'))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was in a linked .svg that becomes a disguised paper', async () => {
    const {f, memory} = await setup({...base(), 'content/b.md': paper(812, 'See [the chart](chart.svg).'), 'content/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg"><text>Zorvaline</text></svg>'})
    const {full} = await afterChange(f, memory, () =>
      writeFile(path.join(f.content, 'chart.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>:official-sensitive[Zorvaline]</text></svg>')
    )
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: the public word was in mopac.config.json (moved to $comment)', async () => {
    const {f, memory} = await setup({...base(), 'content/mopac.config.json': JSON.stringify({site: {title: 'Zorvaline decisions'}})})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'mopac.config.json'), JSON.stringify({site: {title: 'Decisions'}, $comment: 'Zorvaline'})))
    expect(files(full)).toEqual(['z.html'])
  })
})

describe('source side: what became secret in a paper changed or moved', () => {
  it('holds: a paper moved to another path with the same text, then deferred there', async () => {
    const text = paper(821, 'The Orvantis depot will close.')
    const {f, memory} = await setup({'content/a.md': text, 'public/a.html': '<p>The Orvantis depot will close.</p>'})
    const {full} = await afterChange(f, memory, async () => {
      await mkdir(path.join(f.content, 'sub'))
      await rename(path.join(f.content, 'a.md'), path.join(f.content, 'sub', 'a.md'))
      await writeFile(path.join(f.content, 'sub', 'a.md'), paper(821, 'The Orvantis depot will close.', {fm: 'draft: true\n'}))
    })
    expect(files(full)).toContain('a.html')
  })

  it('holds: public -> deferred -> public -> deferred again by the clock, page unchanged', async () => {
    const {f, memory} = await setup({'content/a.md': paper(822, 'The Pellucane custody site will close.', {fm: 'deferral:\n  until: 2026-12-01\n  reason: Market engagement\n'}), 'public/a.html': '<p>The Pellucane custody site will close.</p>'})
    for (const now of [LATER, NOW, LATER, NOW]) {
      const {full, mem} = await both(f, memory, now)
      expect(mem.hits).toEqual(full.hits)
      expect(full.hits.length > 0).toBe(now === NOW)
    }
  })

  it('holds: a withheld span added to a frontmatter value', async () => {
    const {f, memory} = await setup({'content/a.md': paper(823, 'Body.', {fm: 'tags:\n  - Rusmerane\n'}), 'public/a.html': '<p>Rusmerane</p>'})
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'a.md'), paper(823, 'Body.', {fm: 'tags:\n  - ":official-sensitive[Rusmerane]"\n'})))
    expect(files(full)).toContain('a.html')
  })

  it('holds: a disguised paper (.csv with a sensitive span) whose withheld word was public elsewhere', async () => {
    const {f, memory} = await setup({
      'content/a.md': paper(824, 'See [data](d.csv). Stavorin is named here.'),
      'content/d.csv': 'x\n:official-sensitive[Stavorin]\n',
      'public/a.html': '<p>Stavorin</p>'
    })
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'a.md'), paper(824, 'See [data](d.csv). Nobody is named here.')))
    expect(files(full)).toContain('a.html')
  })
})

describe('state folder situations', () => {
  const start = () => ({
    'content/a.md': paper(831, `Opening.\n\n${withheld('Trelloquin won the contract.')}`),
    'content/b.md': paper(832, 'Trelloquin visited us.'),
    'public/z.html': '<p>Trelloquin</p>'
  })

  it('holds: the papers cache is deleted before the change', async () => {
    const {f, memory} = await setup(start())
    const {full} = await afterChange(f, memory, async () => {
      await rm(path.join(memory, 'papers'), {recursive: true})
      await writeFile(path.join(f.content, 'b.md'), paper(832, 'Nobody visited us.'))
    })
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: only the changed paper\'s old reading is missing', async () => {
    const {f, memory} = await setup(start())
    const {full} = await afterChange(f, memory, async () => {
      const units = JSON.parse(await readFile(path.join(memory, 'memory.json'), 'utf8')).units as Record<string, string>
      // A unit is `<key>:<side>|<linked>`; its reading is papers/<key>.<side>.json.
      const [key, side] = units[`${f.content}/b.md`]!.split('|')[0]!.split(':')
      await rm(path.join(memory, 'papers', `${key}.${side}.json`))
      await writeFile(path.join(f.content, 'b.md'), paper(832, 'Nobody visited us.'))
    })
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: a stale reading file (another side of the deferral) sits under the changed paper\'s key', async () => {
    const {f, memory} = await setup({...start(), 'content/b.md': paper(832, 'Trelloquin visited us.', {fm: 'deferral:\n  until: 2026-12-01\n'})})
    // Clean at LATER (b.md public). A run at NOW with a leak rewrites b.md's reading (before: true), and writes no memory.
    expect((await both(f, memory, LATER)).mem.hits).toEqual([])
    await writeFile(path.join(f.out, 'leak.html'), '<p>Trelloquin won the contract</p>')
    const leak = await both(f, memory, NOW)
    expect(leak.mem.hits).toEqual(leak.full.hits)
    await rm(path.join(f.out, 'leak.html'))
    const r = await both(f, memory, NOW)
    expect(r.mem.hits).toEqual(r.full.hits)
    expect(files(r.full)).toContain('z.html')
  })

  it('holds: two content folders share one state folder', async () => {
    const {f, memory} = await setup({...start(), 'content2/a.md': paper(831, `Opening.\n\n${withheld('Trelloquin won the contract.')}`), 'content2/b.md': paper(832, 'Nobody visited us.')})
    const content2 = path.join(f.root, 'content2')
    await rm(path.join(f.out, 'z.html'))
    await writeFile(path.join(f.out, 'y.html'), '<p>Visited us</p>')
    expect((await both(f, memory, NOW, f.content)).mem.hits).toEqual([])
    await writeFile(path.join(f.out, 'z.html'), '<p>Trelloquin</p>')
    expect((await both(f, memory, NOW, f.content)).mem.hits).toEqual([])
    // Same output, the other content folder (where the word is not public).
    const r = await both(f, memory, NOW, content2)
    expect(r.mem.hits).toEqual(r.full.hits)
    expect(files(r.full)).toEqual(['z.html'])
  })

  it('holds: the same folder given by a relative and an absolute path', async () => {
    const {f, memory} = await setup(start())
    const rel = path.relative(process.cwd(), f.content)
    expect((await both(f, memory, NOW, rel)).mem.hits).toEqual([])
    await writeFile(path.join(f.content, 'b.md'), paper(832, 'Nobody visited us.'))
    const r = await both(f, memory, NOW, f.content)
    expect(r.mem.hits).toEqual(r.full.hits)
    expect(files(r.full)).toEqual(['z.html'])
  })

  it('holds: a leak run in between (no memory written), then the change', async () => {
    const {f, memory} = await setup(start())
    await afterChange(f, memory, () => writeFile(path.join(f.out, 'leak.html'), '<p>Trelloquin won the contract</p>'))
    await rm(path.join(f.out, 'leak.html'))
    await writeFile(path.join(f.content, 'b.md'), paper(832, 'Nobody visited us.'))
    const r = await both(f, memory)
    expect(r.mem.hits).toEqual(r.full.hits)
    expect(files(r.full)).toEqual(['z.html'])
  })

  it('holds: memory.json copied from another state folder (same code)', async () => {
    const {f, memory} = await setup(start())
    expect((await both(f, memory)).mem.hits).toEqual([])
    const other = path.join(f.root, 'state2', 'verify')
    await mkdir(other, {recursive: true})
    await cp(path.join(memory, 'memory.json'), path.join(other, 'memory.json'))
    await writeFile(path.join(f.content, 'b.md'), paper(832, 'Nobody visited us.'))
    const full = await verify({content: f.content, out: f.out, now: NOW})
    const mem = await verify({content: f.content, out: f.out, now: NOW, memory: other})
    expect(mem.hits).toEqual(full.hits)
    expect(files(full)).toEqual(['z.html'])
    expect(await readdir(other)).toContain('memory.json')
  })
})

describe('through the command line (build with <state>/verify)', () => {
  it('holds: build, change papers, build --no-cache (memory left stale), change back, build: each verdict is the full search\'s', async () => {
    const {runMopac} = await import('../helpers/cli.js')
    const {f} = await setup({
      'content/a.md': paper(841, `Opening.\n\n${withheld('Vintrolex won the contract.')}`),
      'content/b.md': paper(842, 'Vintrolex visited us.')
    })
    const state = path.join(f.root, 'state')
    const site = path.join(f.root, 'site')
    const build = async (extra: string[] = []) => {
      const r = await runMopac(['build', '--content', f.content, '--out', site, '--state', state, '--now', '2026-06-01T12:00:00Z', ...extra])
      const full = await verify({content: f.content, out: site, now: NOW})
      expect(full.hits).toEqual([])
      expect(r.code).toBe(0)
      return r
    }
    await build()
    await writeFile(path.join(f.content, 'b.md'), paper(842, 'Nobody visited us.'))
    await build(['--no-cache'])
    await writeFile(path.join(f.content, 'b.md'), paper(842, 'Vintrolex visited us again.', {fm: 'deferral:\n  until: 2026-12-01\n'}))
    await build()
    await writeFile(path.join(f.content, 'b.md'), paper(842, 'Vintrolex visited us.'))
    await build()
  })
})

describe('--no-cache and the memory', () => {
  it('a first build with --no-cache leaves a memory (made anew), so the next build need not search in full', async () => {
    const {runMopac} = await import('../helpers/cli.js')
    const {f} = await setup({'content/a.md': paper(843, `Opening.\n\n${withheld('Vintrolex won the contract.')}`)})
    const state = path.join(f.root, 'state')
    const r = await runMopac(['build', '--content', f.content, '--out', path.join(f.root, 'site'), '--state', state, '--now', '2026-06-01T12:00:00Z', '--no-cache'])
    expect(r.code).toBe(0)
    expect(await readdir(path.join(state, 'verify'))).toEqual(expect.arrayContaining(['memory.json', 'filters.pack', 'papers']))
  })
})

describe('more public-text sources', () => {
  it('holds: the word was public only as a word joined across inline markup (`**Zor**valine`) in b.md', async () => {
    const {f, memory} = await setup({
      'content/a.md': paper(851, `Opening.\n\n${withheld('Contract awarded to Zorvaline after review.')}`),
      'content/b.md': paper(852, 'We thank **Zor**valine for the tour.'),
      'public/z.html': '<p>Zorvaline</p>'
    })
    const {full} = await afterChange(f, memory, () => writeFile(path.join(f.content, 'b.md'), paper(852, 'We thank them for the tour.')))
    expect(files(full)).toEqual(['z.html'])
  })

  it('holds: two projects, both `--content content` relative to their own folder, share one memory', async () => {
    const {f, memory} = await setup({
      'p1/content/a.md': paper(853, `Opening.\n\n${withheld('Contract awarded to Zorvaline after review.')}`),
      'p1/content/b.md': paper(854, 'We thank Zorvaline for the tour.'),
      'p2/content/a.md': paper(853, `Opening.\n\n${withheld('Contract awarded to Zorvaline after review.')}`),
      'p2/content/b.md': paper(854, 'We thank them for the tour.'),
      'public/z.html': '<p>Zorvaline</p>'
    })
    const cwd = process.cwd()
    try {
      process.chdir(path.join(f.root, 'p1'))
      expect((await both(f, memory, NOW, 'content')).mem.hits).toEqual([])
      process.chdir(path.join(f.root, 'p2'))
      const r = await both(f, memory, NOW, 'content')
      expect(r.mem.hits).toEqual(r.full.hits)
      expect(files(r.full)).toEqual(['z.html'])
    } finally {
      process.chdir(cwd)
    }
  })
})

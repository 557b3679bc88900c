/**
 * `mopac new "Title"`: a draft paper from the decision-form template, with
 * every key written and explained, the next free PCD number, valid as
 * written (check accepts it, the preview shows it, no build publishes it),
 * never overwriting.
 */
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {main} from '../../src/cli/index.js'
import {nextPcd, paperId} from '../../src/import/template.js'
import {PaperStore} from '../../src/preview/store.js'
import {tempDir} from '../helpers/corpus.js'
import {listFiles, recordingIo} from '../import/helpers.js'

const now = new Date('2026-03-02T10:00:00Z')
const repoContent = path.join(import.meta.dirname, '../../content')

async function mopac(...args: string[]) {
  const io = recordingIo(now)
  const code = await main(args, io)
  return {code, out: io.out, err: io.err}
}

describe('mopac new', () => {
  let content: string
  let paper: string
  let first: Awaited<ReturnType<typeof mopac>>
  beforeAll(async () => {
    content = path.join(tempDir('mopac-new-'), 'content')
    fs.cpSync(repoContent, content, {recursive: true})
    first = await mopac('new', 'Body Worn Video Refresh', '--content', content)
    paper = path.join(content, 'pcd-1513-body-worn-video-refresh.md')
  })

  it('writes the paper with the next free PCD number and says so', () => {
    expect(first.code).toBe(0)
    expect(first.err).toBe('')
    expect(first.out).toContain(`Wrote ${paper}: PCD 1513 (the next free PCD number: the highest in ${content} is PCD 1512), a draft dated 2026-03-02.`)
    expect(fs.existsSync(paper)).toBe(true)
  })

  it('writes every key, each explained in a comment, and draft: true', () => {
    const text = fs.readFileSync(paper, 'utf8')
    const head = text.slice(0, text.indexOf('\n---\n', 3))
    for (const key of ['id: "PCD 1513"', 'title: "Body Worn Video Refresh"', 'date: "2026-03-02"', 'classification: OFFICIAL', 'decision_maker:', 'summary:', 'tags: []', 'draft: true', '# deferral:', '#   until:', '#   reason:', 'part2:', '  exemptions: [s43]', '# review:', '`withdrawn`', '`updates`']) {
      expect(head).toContain(key)
    }
    const lines = head.split('\n').slice(1)
    // Each key line is preceded by a comment line.
    for (const [index, line] of lines.entries()) if (/^[a-z_]+:/.test(line)) expect(lines[index - 1]).toMatch(/^\s*#/)
    expect(text).toContain('## Part 1 – non-confidential facts and advice')
    expect(text).toContain(':::official-sensitive\n## Part 2\n')
  })

  it('is valid as written: check accepts it and lists it as a draft', async () => {
    const result = await mopac('check', '--content', content, '--no-cache', '--state', path.join(path.dirname(content), 'state'))
    expect(result.err).not.toContain('pcd-1513')
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/draft.*PCD 1513/)
  })

  it('is never published by a build', async () => {
    const result = await build({content, now, render: false})
    expect(result.ok).toBe(true)
    const outcome = result.outcomes.find((o) => o.id === 'PCD 1513')!
    expect(outcome.status).toBe('draft')
    expect(outcome.messages).toEqual([])
    expect(result.publicPapers.map((p) => p.id)).not.toContain('PCD 1513')
  })

  it('opens in the preview', async () => {
    const store = new PaperStore({content, realRoot: fs.realpathSync(content), now: () => now})
    await store.load()
    const entry = store.entries.get('pcd-1513-body-worn-video-refresh.md')!
    expect(entry.outcome?.draft).toBe(true)
    expect(entry.outcome?.messages.filter((m) => m.fatal)).toEqual([])
    store.close()
  })

  it('refuses a reference another paper uses, and writes nothing', async () => {
    const before = listFiles(content)
    const result = await mopac('new', 'Another', '--id', 'pcd 602', '--content', content)
    expect(result.code).toBe(6)
    expect(result.err).toContain(`pcd 602 is the reference of ${path.join(content, 'pcd-602-seg-mseg-contract-extension.md')}. Give another with --id (the next free one is PCD 1514). Nothing was written.`)
    expect(listFiles(content)).toEqual(before)
  })

  it('never overwrites a file', async () => {
    const target = path.join(content, 'pcd-1600-notes.md')
    fs.writeFileSync(target, 'Not a paper yet.\n')
    const result = await mopac('new', 'Notes', '--id', 'PCD 1600', '--content', content)
    expect(result.code).toBe(6)
    expect(result.err).toContain('exists already, and `mopac new` never overwrites')
    expect(fs.readFileSync(target, 'utf8')).toBe('Not a paper yet.\n')
    fs.rmSync(target)
  })

  it('refuses a title check would refuse (a marking), with exit 2', async () => {
    const before = listFiles(content)
    const result = await mopac('new', 'Supplier OFFICIAL-SENSITIVE pricing', '--content', content)
    expect(result.code).toBe(2)
    expect(result.err).toContain('frontmatter-marking')
    expect(listFiles(content)).toEqual(before)
  })

  it('starts at PCD 1 in an empty folder, and needs a title', async () => {
    const empty = path.join(tempDir('mopac-new-'), 'content')
    fs.mkdirSync(empty)
    expect((await mopac('new', 'First decision', '--content', empty)).code).toBe(0)
    expect(listFiles(empty)).toEqual(['pcd-1-first-decision.md'])
    expect((await mopac('new', '--content', empty)).code).toBe(2)
  })
})

describe('the next free PCD number', () => {
  it('is one more than the highest, ignoring other references', () => {
    expect(nextPcd(['PCD 602', 'PCD 1512', undefined, 'DMPCD 2020 1', 'PCD 99'])).toEqual({id: 'PCD 1513', highest: 'PCD 1512'})
    expect(nextPcd([])).toEqual({id: 'PCD 1', highest: undefined})
  })

  it('reads the id of a paper, quoted or not, with a comment', () => {
    expect(paperId('---\nid: "PCD 602"\ntitle: x\n---\n')).toBe('PCD 602')
    expect(paperId("---\ntitle: x\nid: PCD 7 # the reference\n---\n")).toBe('PCD 7')
    expect(paperId('---\ntitle: x\n---\nid: PCD 9\n')).toBeUndefined()
  })
})

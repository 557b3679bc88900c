/**
 * The `mopac import` command: what it prints for the PCD 602 form, that it
 * never overwrites a paper without --force, and that the paper it writes is
 * one the preview opens as it opens any other.
 */
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import {PaperStore} from '../../src/preview/store.js'
import {tempDir} from '../helpers/corpus.js'
import {mopac} from '../helpers/cli.js'
import {decisionForm, part2Form} from './fixtures.js'
import {listFiles, recordingIo} from './helpers.js'

const now = new Date('2026-01-01T00:00:00Z')

describe('mopac import', () => {
  let dir: string
  let content: string
  let form: string
  let part2: string
  let first: {code: number; out: string; err: string}
  const run = async (...args: string[]) => {
    const io = recordingIo(now)
    const code = await main(['import', ...args], io)
    return {code, out: io.out, err: io.err}
  }
  beforeAll(async () => {
    dir = tempDir('mopac-import-cli-')
    content = path.join(dir, 'content')
    fs.mkdirSync(content)
    form = path.join(dir, 'PCD 602 decision form.docx')
    part2 = path.join(dir, 'PCD 602 Part 2.docx')
    fs.writeFileSync(form, await decisionForm())
    fs.writeFileSync(part2, await part2Form())
    first = await run(form, '--part2', part2, '--out', content)
  })

  it('prints what it filled in, dropped and wrote, and exits 0 when check accepts the paper', () => {
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    const paper = path.join(content, 'pcd-602-seg-mseg-contract-extension.md')
    expect(first.out).toContain(`Imported ${form} and ${part2} (Part 2, withheld) as ${paper} (PCD 602)`)
    expect(first.out).toMatch(/^ {2}date {14}2019-06-20 {2}<- the approval box's date "20\/06\/2019"$/m)
    expect(first.out).toMatch(/^ {2}part2\.exemptions {2}s43 {2}<- the Part 2 form: ".*Section 43 \(Commercial interests\)/m)
    // The signature is dropped; Part 2's chart is written (only withheld text refers to it).
    expect(first.out).toContain(`Images written beside the paper: ${path.join(content, 'images/pcd-602-seg-mseg-contract-extension/part2-image-1.png')}\n`)
    expect(first.out).toContain("  - the decision maker's approval box: ")
    expect(first.out).toContain('`mopac check` accepts the paper.')
    expect(listFiles(content)).toEqual(['images/pcd-602-seg-mseg-contract-extension/part2-image-1.png', 'pcd-602-seg-mseg-contract-extension.md'])
  })

  it('never overwrites the paper: exit 6, the file unchanged', async () => {
    const paper = path.join(content, 'pcd-602-seg-mseg-contract-extension.md')
    fs.appendFileSync(paper, '\nEdited by the author.\n')
    const again = await run(form, '--part2', part2, '--out', content)
    expect(again.code).toBe(6)
    expect(again.err).toBe(`Cannot import: \`${paper}\` exists already: the import never overwrites a paper or its images. Delete or rename it, or give --force to replace it. Nothing was written.\n`)
    expect(fs.readFileSync(paper, 'utf8')).toContain('Edited by the author.')
  })

  it('replaces it with --force', async () => {
    const forced = await run(form, '--part2', part2, '--out', content, '--force')
    expect(forced.code).toBe(0)
    expect(fs.readFileSync(path.join(content, 'pcd-602-seg-mseg-contract-extension.md'), 'utf8')).not.toContain('Edited by the author.')
    expect(listFiles(content).filter((name) => name.includes('import-tmp'))).toEqual([])
  })

  it('exits 1 when the paper has pieces to resolve, and lists them at file:line:column', async () => {
    const other = path.join(dir, 'other')
    fs.mkdirSync(other)
    const unsure = path.join(dir, 'unsure.docx')
    fs.writeFileSync(unsure, await decisionForm({approvalDate: 'tbc', approvalExtra: 'A note typed in the box.'}))
    const result = await run(unsure, '--out', other)
    expect(result.code).toBe(1)
    expect(result.out).toContain('To resolve: `mopac check` refuses the paper until each of these is done (3):')
    expect(result.out).toMatch(/pcd-602-seg-mseg-contract-extension\.md:\d+:\d+ {2}Invalid frontmatter `date`: must not be empty {2}frontmatter-invalid/)
    expect(result.out).toMatch(/pcd-602-seg-mseg-contract-extension\.md:\d+:1 {2}An imported piece to resolve: Kept from the decision maker's approval box/)
    expect(result.out).toContain('The form says there is a Part 2 form, but none was given: import again with --part2 PART2.docx')
  })

  it('refuses a reference another paper of the folder has, even with --force', async () => {
    const renamed = path.join(dir, 'renamed.docx')
    fs.writeFileSync(renamed, await decisionForm({title: 'SEG Contract Extension (corrected)'}))
    const result = await run(renamed, '--out', content, '--force')
    expect(result.code).toBe(6)
    expect(result.err).toContain(`PCD 602 is already the reference of \`${path.join(content, 'pcd-602-seg-mseg-contract-extension.md')}\``)
    expect(listFiles(content).filter((name) => name.endsWith('.md'))).toEqual(['pcd-602-seg-mseg-contract-extension.md'])
  })

  it('writes a --draft paper when asked', async () => {
    const drafts = path.join(dir, 'drafts')
    fs.mkdirSync(drafts)
    expect((await run(form, '--out', drafts, '--draft')).code).toBe(0)
    expect(fs.readFileSync(path.join(drafts, 'pcd-602-seg-mseg-contract-extension.md'), 'utf8')).toContain('\ndraft: true # a draft is never published')
  })

  it('writes a paper the preview opens like any other', async () => {
    const store = new PaperStore({content, realRoot: fs.realpathSync(content), now: () => now})
    await store.load()
    const entry = store.entries.get('pcd-602-seg-mseg-contract-extension.md')!
    expect(entry.outcome?.status).toBe('public')
    expect(entry.outcome?.messages).toEqual([])
    expect(entry.assetMessages).toEqual([])
    expect(entry.outcome?.redactions.length).toBe(1)
    store.close()
  })

  it('check accepts it', async () => {
    const io = recordingIo(now)
    const code = await main(['check', '--content', content, '--no-cache', '--state', path.join(dir, 'state')], io)
    expect(io.err).toBe('')
    expect(code).toBe(0)
    expect(io.out).toContain('1 published')
  })
})

describe('mopac import --help (the real bin)', () => {
  it('lists the options and exit code 6', () => {
    const result = mopac(['import', '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: mopac import FORM.docx [--part2 PART2.docx] [--out DIR] [--exemptions "s43"] [--draft] [--force]')
    expect(result.stdout).toContain('--part2 FILE')
    expect(result.stdout).toContain('6  import, new: nothing written')
  })
})

/**
 * The core promise: nothing sensitive and nothing not yet due in any file
 * under --out. Builds a corpus with a canary in every sensitive place and
 * scans every output file (names, gzip contents included).
 */
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {build} from '../src/build/build.js'
import {writeSite} from '../src/build/write.js'
import {LIFECYCLE_SECRET, PUBLIC, SECRET, tempDir, writeCanaryCorpus, writeLifecycleCanaries} from './helpers/corpus.js'
import {findCanaries, scanSite, type ScannedFile} from './helpers/scan.js'

const now = new Date('2026-11-25T12:00:00Z')

describe('canary scan of a whole build', () => {
  let files: ScannedFile[]
  let out: string
  beforeAll(async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    out = path.join(dir, 'public')
    writeCanaryCorpus(content)
    writeLifecycleCanaries(content)
    const result = await build({content, now, baseUrl: 'https://decisions.example.org/'})
    expect(result.outcomes.flatMap((o) => o.messages.filter((m) => m.fatal))).toEqual([])
    expect(result.ok).toBe(true)
    await writeSite(out, result.files!)
    files = scanSite(out)
  })

  it('writes the public papers', () => {
    expect(fs.existsSync(path.join(out, 'decisions/pcd-100/index.html'))).toBe(true)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-100/index.md'))).toBe(true)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-101/index.html'))).toBe(true)
  })

  for (const [place, canary] of Object.entries(SECRET)) {
    it(`never publishes ${place}`, () => {
      expect(findCanaries(files, [canary])).toEqual([])
    })
  }

  for (const [place, canary] of Object.entries(LIFECYCLE_SECRET)) {
    it(`never publishes ${place}`, () => {
      expect(findCanaries(files, [canary])).toEqual([])
    })
  }

  it('publishes the withdrawal notice and the kind of withheld material', () => {
    expect(fs.readFileSync(path.join(out, 'decisions/pcd-110/index.html'), 'utf8')).toContain('Replaced by a later decision.')
    expect(fs.readFileSync(path.join(out, 'decisions/pcd-114/index.html'), 'utf8')).toContain('Part 2 business case')
  })

  for (const [place, canary] of Object.entries(PUBLIC)) {
    it(`keeps public ${place}`, () => {
      expect(findCanaries(files, [canary]).length).toBeGreaterThan(0)
    })
  }

  it('keeps the public body, the withheld notice and the inline marker on the page', () => {
    const page = fs.readFileSync(path.join(out, 'decisions/pcd-100/index.html'), 'utf8')
    expect(page).toContain(PUBLIC.body)
    expect(page).toContain('Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).')
    expect(page).toContain('[withheld<span class="govuk-visually-hidden"> under section 40 of the Freedom of Information Act 2000 (personal information)</span>]')
    expect(page).toMatch(/section 43 \(commercial interests\)/)
  })

  it('copies only the files public text uses', () => {
    expect(fs.existsSync(path.join(out, 'decisions/pcd-100/files/public-chart.svg'))).toBe(true)
    expect(fs.readdirSync(path.join(out, 'decisions/pcd-100/files'))).toEqual(['public-chart.svg'])
  })

  it('lets no script or event handler from a paper reach a page', () => {
    const page = fs.readFileSync(path.join(out, 'decisions/pcd-100/index.html'), 'utf8')
    const article = page.slice(page.indexOf('<article'), page.indexOf('</article>'))
    expect(article).not.toMatch(/<script|onclick|javascript:/i)
  })
})

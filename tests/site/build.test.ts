/**
 * The site as a whole: reproducible bytes (Pagefind included), page weight,
 * the Nu Html Checker, the import rule, the generated stylesheet, and no
 * GOV.UK-only brand assets.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import type {SiteFiles} from '../../src/site/render.js'
// @ts-expect-error: a plain JavaScript script
import {buildCss, generatedPath, moduleText} from '../../site/build-css.mjs'
import {nuHtmlCheck} from '../helpers/vnu.js'
import {BASE, bytes, htmlPages, makePaper, makePapers, render, text} from './helpers.js'

const repo = path.join(import.meta.dirname, '../..')
const NOW = new Date('2026-11-25T12:00:00Z')
const LIMIT = 50 * 1024

async function sampleSite(baseUrl?: string): Promise<SiteFiles> {
  const result = await build({content: path.join(repo, 'content'), now: NOW, baseUrl})
  if (!result.ok || !result.files) throw new Error('the sample content did not build')
  return result.files
}

/** A varied generated corpus: 120 papers, long titles, attachments, odd tags. */
function generated() {
  return makePapers(120).map((paper, i) =>
    i === 7
      ? {...paper, title: `${paper.title} with a title much longer than most, as some decision titles run on for a good while before they end`, assets: [{target: 'files/a b.csv', bytes: new TextEncoder().encode('a,b\r\n1,2\r\n')}], tags: ['Café & bar', '£££']}
      : paper
  )
}

function writeSite(files: SiteFiles, dir: string): void {
  for (const [name, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    fs.writeFileSync(path.join(dir, name), content)
  }
}

function same(a: SiteFiles, b: SiteFiles): string[] {
  const differ: string[] = []
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name)
    const y = b.get(name)
    if (x === undefined || y === undefined || !Buffer.from(x).equals(Buffer.from(y))) differ.push(name)
  }
  return differ
}

describe('the built site', () => {
  let sample: SiteFiles
  let big: SiteFiles
  let temp: string

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-site-'))
    sample = await sampleSite()
    big = await render(generated(), {baseUrl: BASE, dates: {firstPublished: {'pcd-2001': '2026-06-24T10:00:00Z'}}})
  })

  afterAll(() => {
    if (temp) fs.rmSync(temp, {recursive: true, force: true})
  })

  it('is byte-for-byte the same when built again, search index included', async () => {
    const again = await sampleSite()
    expect(same(sample, again)).toEqual([])
    expect([...sample.keys()].filter((k) => k.startsWith('search-index/')).length).toBeGreaterThan(3)
    const bigAgain = await render(generated(), {baseUrl: BASE, dates: {firstPublished: {'pcd-2001': '2026-06-24T10:00:00Z'}}})
    expect(same(big, bigAgain)).toEqual([])
    // Order of the input does not matter either.
    const shuffled = await render([...generated()].reverse(), {baseUrl: BASE, dates: {firstPublished: {'pcd-2001': '2026-06-24T10:00:00Z'}}})
    expect(same(big, shuffled)).toEqual([])
  })

  it('indexes only paper pages, and only what they show', async () => {
    const meta = JSON.parse(text(sample, 'search-index/meta.json')) as {docs: number; shards: {name: string}[]}
    expect(meta.docs).toBe(4)
    const indexed = meta.shards.flatMap((shard) => (JSON.parse(text(sample, `search-index/${shard.name}/docs/0.json`)) as string[][]).map((row) => row[0]))
    expect(indexed.sort()).toEqual(['decisions/pcd-1012/', 'decisions/pcd-1065/', 'decisions/pcd-1301/', 'decisions/pcd-602/'])
    for (const name of sample.keys()) expect(name).not.toMatch(/^pagefind\//)
  })

  it('keeps every page but search under 50 KB of HTML and CSS', () => {
    const weights: [string, number][] = []
    for (const [label, files] of [['sample', sample], ['generated', big]] as const) {
      for (const page of htmlPages(files)) {
        if (page === 'search/index.html') continue
        const html = text(files, page)
        let total = bytes(html)
        for (const m of html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)) {
          const css = path.posix.normalize(path.posix.join(path.posix.dirname(page), m[1]))
          total += bytes(files.get(css) ?? '')
        }
        weights.push([`${label}: ${page}`, total])
      }
    }
    weights.sort((a, b) => b[1] - a[1])
    const heaviest = (label: string) => weights.find(([p]) => p.startsWith(label))!
    console.log(`Heaviest page, HTML + CSS in bytes (docs/site.md): ${heaviest('sample').join(' ')}; ${heaviest('generated').join(' ')}; site.css alone ${bytes(sample.get('assets/site.css')!)}`)
    expect(weights.filter(([, w]) => w >= LIMIT)).toEqual([])
  })

  it('passes the Nu Html Checker', () => {
    const sampleDir = path.join(temp, 'sample')
    const bigDir = path.join(temp, 'generated')
    writeSite(sample, sampleDir)
    writeSite(big, bigDir)
    const result = nuHtmlCheck([sampleDir, bigDir], {skipNonHtml: true})
    expect(result.error).toBeUndefined()
    expect(result.output).toBe('')
    expect(result.status).toBe(0)
  }, 120_000)

  it('ships no GOV.UK-only font or crown', () => {
    for (const [name, content] of [...sample, ...big]) {
      if (typeof content !== 'string') continue
      expect(content, name).not.toMatch(/GDS Transport|govuk-crest|govuk-footer__crown|govuk-logo|@font-face/)
    }
    expect(text(sample, 'assets/site.css')).toMatch(/^html\{font-family:arial,helvetica,sans-serif\}/)
  })

  it('has the stylesheet compiled from site/mopac.scss as committed', () => {
    expect(fs.readFileSync(generatedPath, 'utf8')).toBe(moduleText(buildCss()))
  })

  it('imports only public types (and their lazy body), the site configuration (types and defaults), the exemption table, London time, the gathered third-party modules and its own modules', () => {
    const dir = path.join(repo, 'src/site')
    const files = fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(3)
    const bad: string[] = []
    for (const file of files) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8')
      const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1])
      for (const spec of specifiers) {
        const relative = spec.startsWith('.') || spec.startsWith('/')
        const allowed = spec === '../publish/types.js' || spec === '../publish/body.js' || spec === '../config/types.js' || spec === '../config/defaults.js' || spec === '../content/exemptions.js' || spec === '../vendor/index.js' || /^\.\.\/time\/[\w.-]+\.js$/.test(spec) || /^\.\/[\w.-]+\.js$/.test(spec)
        if (relative && !allowed) bad.push(`${file}: ${spec}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('emits nothing but what public papers carry', async () => {
    // A paper's public fields reach the site; fields the type does not have cannot.
    const paper = {...makePaper(1), sourcePath: '/secret/zkpath1', frontmatter: {classification: 'zkclass2'}} as ReturnType<typeof makePaper>
    const files = await render([paper], {baseUrl: BASE})
    for (const [name, content] of files) {
      const body = Buffer.from(content).toString('latin1')
      expect(body, name).not.toContain('zkpath1')
      expect(body, name).not.toContain('zkclass2')
    }
  })
})

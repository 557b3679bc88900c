/**
 * Smoke test of the benchmark tooling: the corpus generator writes valid,
 * deterministic papers of the intended shape, and `runBench` measures a cold
 * build and a rebuild. No timing assertions.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {DEFAULT_NOW, generateCorpus, generatePaper} from '../scripts/gen-corpus.js'
import {runBench} from '../scripts/bench.js'
import {runMopac} from './helpers/cli.js'

describe('scripts/gen-corpus.js', () => {
  let dir: string
  let manifest: {papers: Array<{id: string; file: string; isPublic: boolean; classification: string; deferUntil?: string}>; dueSoon: Array<{deferUntil: string}>}

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-gen-corpus-'))
    manifest = generateCorpus(dir, {papers: 50, seed: 7})
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('writes 50 papers of 8-12 KB with unique ids', () => {
    const files = fs.readdirSync(dir).filter((name) => name.endsWith('.md'))
    expect(files).toHaveLength(50)
    for (const file of files) {
      const size = fs.statSync(path.join(dir, file)).size
      expect(size).toBeGreaterThanOrEqual(8000)
      expect(size).toBeLessThanOrEqual(12 * 1024)
    }
    expect(new Set(manifest.papers.map((p) => p.id)).size).toBe(50)
  })

  it('is deterministic, and paper i depends only on (seed, i)', () => {
    const again = generatePaper(17, {seed: 7})
    expect(fs.readFileSync(path.join(dir, again.file), 'utf8')).toBe(again.text)
    expect(generatePaper(17, {seed: 8}).text).not.toBe(again.text)
  })

  it('has a public paper first and a deferral falling due within a day of now', () => {
    expect(manifest.papers[0].isPublic).toBe(true)
    expect(manifest.dueSoon.length).toBeGreaterThanOrEqual(1)
    const due = Date.parse(manifest.dueSoon[0].deferUntil) - Date.parse(DEFAULT_NOW)
    expect(due).toBeGreaterThan(0)
    expect(due).toBeLessThanOrEqual(86_400_000)
  })

  it('passes `mopac check` with no errors or warnings', async () => {
    const result = await runMopac(['check', '--content', dir, '--now', DEFAULT_NOW])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^50 papers checked/)
  })
})

describe('scripts/bench.js', () => {
  // A smoke test of the tooling (three child processes): ten papers do as well as more.
  it('measures a cold build and a rebuild of 10 papers', async () => {
    const lines: string[] = []
    const rows = await runBench({papers: 10, doc: false, scenarios: ['cold', 'no-change'], log: (line: string) => lines.push(line)})
    expect(rows.map((r: {key: string}) => r.key)).toEqual(['cold', 'no-change'])
    for (const row of rows) {
      expect(row.papers).toBe(10)
      expect(row.wallSeconds).toBeGreaterThan(0)
      expect(row.peakRssMiB).toBeGreaterThan(0)
      expect(row.published).toBeGreaterThan(0)
    }
    expect(lines.join('\n')).toContain('| cold, empty cache | 10 |')
  })
})

describe('scripts/bench-parsers.js (npm run bench -- --parsers)', () => {
  const paper = '---\nid: "PCD 1"\ntitle: "A"\n---\n\n# Heading\n\nText with _emphasis_ and a [link](https://example.org/).\n\n| a | b |\n| - | - |\n| 1 | 2 |\n'

  it('gives every parser the body with its frontmatter blanked, lines kept', async () => {
    const {bodyOf} = await import('../scripts/bench-parsers.js')
    const body = bodyOf(paper)
    expect(body.split('\n')).toHaveLength(paper.split('\n').length)
    expect(body).not.toContain('PCD 1')
    expect(body).toContain('# Heading')
    expect(bodyOf('# No frontmatter\n')).toBe('# No frontmatter\n')
  })

  it('measures what it names: each parser parses, each writer writes, the same paper', async () => {
    const {PARSERS, bodyOf, parserFor, timeParser} = await import('../scripts/bench-parsers.js')
    const body = bodyOf(paper)
    const results = Object.fromEntries(await Promise.all(PARSERS.map(async (name: string) => [name, (await parserFor(name))(body)])))
    expect(results['markdown-it'].map((token: {type: string}) => token.type)).toContain('table_open')
    // CommonMark alone has no tables; the pipeline's parse has GFM's.
    expect(results.commonmark.children.map((node: {type: string}) => node.type)).toEqual(['heading', 'paragraph', 'paragraph'])
    expect(results.pipeline.children.map((node: {type: string}) => node.type)).toEqual(['heading', 'paragraph', 'table'])
    expect(results['to-markdown']).toContain('# Heading')
    expect(results['to-html']).toContain('<h1>Heading</h1>')
    await expect(parserFor('marked')).rejects.toThrow(/unknown parser/)
    expect(await timeParser('commonmark', [body], 1)).toBeGreaterThan(0)
  })

  it('prints one row a measurement', async () => {
    const {formatParserTable} = await import('../scripts/bench.js')
    const rows = [{parser: 'commonmark', papers: {seconds: 2, files: 4000, bytes: 4e7}, paper: {seconds: 1.5, bytes: 3e6}}]
    expect(formatParserTable(rows)).toBe(
      [
        '| parsing or writing alone, one thread | 4000 papers, 40.0 MB (s) | ms a paper | one paper of 3.0 MB (s) |',
        '| --- | ---: | ---: | ---: |',
        '| micromark to mdast, CommonMark only (no extension) | 2.00 | 0.50 | 1.50 |'
      ].join('\n')
    )
  })
})

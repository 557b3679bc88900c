/**
 * `mopac report`: the redaction report of the fixture papers, as JSON
 * (compared with tests/preview/fixtures/report.json) and as text.
 * Regenerate the fixture with UPDATE_FIXTURES=1 after a deliberate change.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import type {CliIo} from '../../src/cli/io.js'
import {formatLondonInstant} from '../../src/time/london.js'

const fixtures = join('tests', 'preview', 'fixtures')
const content = join(fixtures, 'content')

function io(): CliIo & {out: string; err: string} {
  const captured = {out: '', err: ''}
  return Object.assign(captured, {
    stdout: (text: string) => void (captured.out += text),
    stderr: (text: string) => void (captured.err += text),
    now: () => new Date('2026-06-01T12:00:00Z'),
    isTTY: false,
    env: {}
  })
}

describe('mopac report', () => {
  it('prints the JSON report for every paper and exits 1 when a paper has errors', async () => {
    const out = io()
    const code = await main(['report', '--content', content, '--now', '2026-06-01T12:00Z', '--json'], out)
    const report = JSON.parse(out.out)
    const expectedFile = join(fixtures, 'report.json')
    if (process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, JSON.stringify(report, null, 2) + '\n')
    expect(report).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))
    expect(code).toBe(1)
    expect(out.err).toBe('')
  })

  it('reports each redaction with its exemptions, lines and words', async () => {
    const out = io()
    await main(['report', '--content', content, '--now', '2026-06-01T12:00Z', '--json'], out)
    const report = JSON.parse(out.out)
    const grant = report.papers.find((p: {id?: string}) => p.id === 'PCD 2001')
    expect(grant.status).toBe('public')
    expect(grant.redactions).toEqual([
      {kind: 'inline', exemptions: ['s40'], startLine: 12, endLine: 12, words: 2},
      {kind: 'block', exemptions: ['s43'], startLine: 16, endLine: 18, words: 11},
      {kind: 'block', exemptions: ['s40', 's41'], startLine: 24, endLine: 28, words: 11}
    ])
    expect(grant.warnings.map((w: {ruleId: string}) => w.ruleId)).toEqual(['prose-marking'])
    expect(report.papers.find((p: {id?: string}) => p.id === 'PCD 2002').status).toBe('deferred')
    expect(report.papers.find((p: {id?: string}) => p.id === 'PCD 2003').status).toBe('withheld')
    const invalid = report.papers.find((p: {id?: string}) => p.id === 'PCD 2004')
    expect(invalid.status).toBe('invalid')
    expect(invalid.errors.map((e: {ruleId: string}) => e.ruleId).sort()).toEqual(['directive-unknown', 'exemption-unknown'])
  })

  it('computes statuses at --now', async () => {
    const out = io()
    await main(['report', '--content', content, '--now', '2026-06-20T09:30', '--json'], out)
    expect(JSON.parse(out.out).papers.find((p: {id?: string}) => p.id === 'PCD 2002').status).toBe('public')
  })

  it('prints a text report', async () => {
    const out = io()
    const code = await main(['report', '--content', content, '--now', '2026-06-01T12:00Z'], out)
    expect(code).toBe(1)
    const path = join(content, 'pcd-2001-public-grant.md')
    expect(out.out).toContain(`${path}  PCD 2001  public  OFFICIAL`)
    expect(out.out).toContain('    1. inline s40  lines 12  2 words')
    expect(out.out).toContain('    2. block  s43  lines 16-18  11 words')
    expect(out.out).toContain('    3. block  s40 s41  lines 24-28  11 words')
    expect(out.out).toContain(`  warning ${path}:22:1  Public text carries the marking`)
    const until = formatLondonInstant(new Date('2026-06-20T08:30:00Z'))
    expect(out.out).toContain(`${join(content, 'pcd-2002-deferred-procurement.md')}  PCD 2002  deferred until ${until}  OFFICIAL`)
    expect(out.out).toContain(`  error   ${join(content, 'pcd-2004-invalid-typo.md')}:10:1  Unknown directive`)
    expect(out.out).toContain('4 papers: 1 public, 1 deferred, 1 withheld whole, 1 with errors; 5 redactions (26 words); 1 warning, 2 errors.')
  })

  it('exits 0 when no paper has an error', async () => {
    const out = io()
    const {mkdtempSync, cpSync, rmSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'mopac-report-'))
    try {
      cpSync(content, dir, {recursive: true})
      rmSync(join(dir, 'pcd-2004-invalid-typo.md'))
      expect(await main(['report', '--content', dir, '--now', '2026-06-01T12:00Z', '--json'], out)).toBe(0)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

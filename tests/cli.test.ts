/**
 * The command line as a user runs it: the real bin in a child process.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {mopac, snapshot} from './helpers/cli.js'
import {tempDir, writeCanaryCorpus} from './helpers/corpus.js'

const NOW = '2026-11-25T12:00:00Z'

function corpus() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  return {dir, content, out: path.join(dir, 'public'), state: path.join(dir, 'state')}
}

describe('mopac --help', () => {
  it('lists the commands and exit codes', () => {
    const result = mopac(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/build/)
    expect(result.stdout).toMatch(/check/)
    expect(result.stdout).toMatch(/Exit codes/)
  })

  it('explains each option of build', () => {
    const result = mopac(['build', '--help'])
    expect(result.code).toBe(0)
    for (const flag of ['--content', '--out', '--now', '--base-url']) expect(result.stdout).toContain(flag)
  })

  it('exits 2 on bad usage', () => {
    expect(mopac(['publish']).code).toBe(2)
    expect(mopac(['build', '--colour']).code).toBe(2)
    const bad = mopac(['build', '--now', 'tomorrow'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/Invalid --now `tomorrow`/)
  })
})

describe('mopac build', () => {
  it('publishes, and reports what it did', () => {
    const {content, out, state} = corpus()
    const result = mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Published 2 papers .* \(1 deferred, 1 withheld whole\)/)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-100/index.html'))).toBe(true)
  })

  it('on any error prints every message with its position, exits 1 and leaves the site exactly as it was', () => {
    const {content, out, state} = corpus()
    expect(mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state]).code).toBe(0)
    const before = snapshot(out)
    fs.writeFileSync(path.join(content, 'bad.md'), '---\nid: PCD 55\ntitle: Bad\ndate: "2019-02-30"\nclassification: OFFICIAL\ndeferal: x\n---\n\n:::oficial-sensitive\nx\n:::\n')
    const result = mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/bad\.md/)
    expect(result.stderr).toMatch(/4:7.*date in the calendar/)
    expect(result.stderr).toMatch(/6:1.*Unknown frontmatter key `deferal`/)
    expect(result.stderr).toMatch(/Nothing published/)
    expect(snapshot(out)).toEqual(before)
    expect(fs.readdirSync(path.dirname(out)).filter((n) => n.startsWith('.public'))).toEqual([])
  })

  it('leaves no file of an earlier build: a re-deferred paper disappears', () => {
    const {content, out, state} = corpus()
    expect(mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state]).code).toBe(0)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-101'))).toBe(true)
    const file = path.join(content, 'released.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('2025-04-01T09:00', '2030-04-01T09:00'))
    expect(mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state]).code).toBe(0)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-101'))).toBe(false)
    expect(JSON.stringify(snapshot(out))).not.toContain(Buffer.from('zpreleasedtitle2010').toString('base64').slice(0, 12))
  })

  it('is reproducible: the same content and --now give byte-identical output, in any machine time zone', () => {
    const {content, dir, state} = corpus()
    const outs = ['UTC', 'America/New_York', 'Asia/Tokyo'].map((tz) => {
      const out = path.join(dir, `out-${tz.replace('/', '-')}`)
      expect(mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state, '--base-url', 'https://example.org/'], {env: {TZ: tz}}).code).toBe(0)
      return snapshot(out)
    })
    expect(outs[1]).toEqual(outs[0])
    expect(outs[2]).toEqual(outs[0])
    const text = Object.values(outs[0]).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n')
    expect(text).not.toContain(dir)
  })

  it('refuses to replace a folder it did not write', () => {
    const {content, dir, state} = corpus()
    const out = path.join(dir, 'important')
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'keep.txt'), 'keep')
    const result = mopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/did not write/)
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep')
  })
})

describe('mopac check', () => {
  it('summarises published, deferred and withheld papers and writes nothing', () => {
    const {content, dir} = corpus()
    const before = fs.readdirSync(dir)
    const result = mopac(['check', '--content', content, '--now', NOW], {env: {TZ: 'America/New_York'}})
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/2 published/)
    expect(result.stdout).toMatch(/1 deferred:\n\s+PCD 901015 until 1 January 2030/)
    expect(result.stdout).toMatch(/1 withheld whole/)
    expect(fs.readdirSync(dir)).toEqual(before)
  })

  it('exits 1 on errors', () => {
    const {content} = corpus()
    fs.writeFileSync(path.join(content, 'x.md'), '---\nid: PCD 3\ntitle: X\ndate: "2020-01-01"\nclassification: SECRET\n---\n')
    const result = mopac(['check', '--content', content, '--now', NOW])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/x\.md\s*\n?\s*5:17/)
  })
})

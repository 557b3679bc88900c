/**
 * The command line as a user runs it. The bin itself (help, exit codes, a
 * whole build with worker threads, an error) runs in a child process; the
 * rest calls the same `main()` in this process (`runMopac`).
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {mopac, runMopac, snapshot} from './helpers/cli.js'
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

  it('explains each option of build', async () => {
    const result = await runMopac(['build', '--help'])
    expect(result.code).toBe(0)
    for (const flag of ['--content', '--out', '--now', '--base-url']) expect(result.stdout).toContain(flag)
  })

  it('exits 2 on bad usage', async () => {
    // The bin's own exit status, then the same code from main() for the rest.
    expect(mopac(['publish']).code).toBe(2)
    expect((await runMopac(['build', '--colour'])).code).toBe(2)
    const bad = await runMopac(['build', '--now', 'tomorrow'])
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

  it('on any error prints every message with its position, exits 1 and leaves the site exactly as it was', async () => {
    const {content, out, state} = corpus()
    expect((await runMopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])).code).toBe(0)
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

  it('leaves no file of an earlier build: a re-deferred paper disappears', async () => {
    const {content, out, state} = corpus()
    expect((await runMopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])).code).toBe(0)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-101'))).toBe(true)
    const file = path.join(content, 'released.md')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('2025-04-01T09:00', '2030-04-01T09:00'))
    expect((await runMopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])).code).toBe(0)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-101'))).toBe(false)
    expect(JSON.stringify(snapshot(out))).not.toContain(Buffer.from('zpreleasedtitle2010').toString('base64').slice(0, 12))
  })

  it('is reproducible: the same content and --now give byte-identical output, in any machine time zone', async () => {
    const {content, dir, state} = corpus()
    const outs: Array<Record<string, string>> = []
    for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      const out = path.join(dir, `out-${tz.replace('/', '-')}`)
      const args = ['build', '--content', content, '--out', out, '--now', NOW, '--state', state, '--base-url', 'https://example.org/', '--no-cache']
      // In this process the time zone changes after the code is loaded; the
      // last one is a child process started in it, so anything read from the
      // time zone when a module loads would differ too. --no-cache: each
      // build processes every paper afresh.
      const result = tz === 'Asia/Tokyo' ? mopac(args, {env: {TZ: tz}}) : await runMopac(args, {env: {TZ: tz}})
      expect(result.code).toBe(0)
      outs.push(snapshot(out))
    }
    expect(outs[1]).toEqual(outs[0])
    // The marker's input fingerprint hashes the code as well: src/ in this
    // process, dist/ in the child. Every other byte must be the same.
    const codeBlind = (site: Record<string, string>) => ({...site, '.mopac-site': Buffer.from(Buffer.from(site['.mopac-site'], 'base64').toString('utf8').replace(/^inputs [0-9a-f]+$/m, 'inputs -')).toString('base64')})
    expect(codeBlind(outs[2]), 'the child process runs dist/: after changing src/, compile it (npm test does)').toEqual(codeBlind(outs[0]))
    const text = Object.values(outs[0]).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n')
    expect(text).not.toContain(dir)
  })

  it('refuses to replace a folder it did not write', async () => {
    const {content, dir, state} = corpus()
    const out = path.join(dir, 'important')
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'keep.txt'), 'keep')
    const result = await runMopac(['build', '--content', content, '--out', out, '--now', NOW, '--state', state])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/did not write/)
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep')
  })
})

describe('a paper changed on disk while a run uses the version it read', () => {
  it('stops the run with exit 1 and the paper named: nothing published, the live site as it was', async () => {
    const {patchFs} = await import('./attacks/keep-helpers.js')
    const c = corpus()
    const args = ['build', '--content', c.content, '--out', c.out, '--state', c.state, '--now', NOW]
    expect((await runMopac(args)).code).toBe(0)
    const before = snapshot(c.out)
    const name = 'public.md'
    const source = path.resolve(c.content, name)
    let reads = 0
    // Every stored body reads as damaged, and the paper is edited on disk
    // when the first is read (after the run read every paper).
    const restore = patchFs('readFileSync', (orig) => ((file: fs.PathOrFileDescriptor, options?: unknown) => {
      const where = typeof file === 'string' ? path.resolve(file) : ''
      if (!where.endsWith('.body.json')) return (orig as (f: fs.PathOrFileDescriptor, o?: unknown) => unknown)(file, options)
      if (reads++ === 0) fs.appendFileSync(source, '\nAdded since the run read it.\n')
      return typeof options === 'string' || (options as {encoding?: string})?.encoding ? '{}' : Buffer.from('{}')
    }) as never)
    let result
    try {
      result = await runMopac([...args, '--no-cache'])
    } finally {
      restore()
    }
    expect(reads).toBeGreaterThan(0)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`\`${name}\` changed or was removed while this run was using it`)
    expect(snapshot(c.out)).toEqual(before)
  })
})

describe('mopac check', () => {
  it('summarises published, deferred and withheld papers and writes nothing', async () => {
    const {content, dir} = corpus()
    const before = fs.readdirSync(dir)
    const result = await runMopac(['check', '--content', content, '--now', NOW], {env: {TZ: 'America/New_York'}})
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/2 published/)
    expect(result.stdout).toMatch(/1 deferred:\n\s+PCD 901015 until 1 January 2030/)
    expect(result.stdout).toMatch(/1 withheld whole/)
    expect(fs.readdirSync(dir)).toEqual(before)
  })

  it('exits 1 on errors', async () => {
    const {content} = corpus()
    fs.writeFileSync(path.join(content, 'x.md'), '---\nid: PCD 3\ntitle: X\ndate: "2020-01-01"\nclassification: SECRET\n---\n')
    const result = await runMopac(['check', '--content', content, '--now', NOW])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/x\.md:5:17: error: Classification `SECRET` must not be stored here.*  \[classification-forbidden\]\n/)
  })
})

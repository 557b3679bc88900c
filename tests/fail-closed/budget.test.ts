/**
 * A build never hangs: each paper has a time budget (an error naming the
 * paper when it runs out), and SIGTERM or SIGINT stops a running build at
 * once, even while a paper is being processed, leaving --out as it was.
 * The runs under test spawn the CLI because the process boundary (worker
 * threads, signals) is the point; the builds before and after them, and the
 * usage error, call the same `main()` in this process (`runMopac`).
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {mopac, repo, runMopac, snapshot} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {spareExtras} from '../helpers/spare.js'

const NOW = '2026-06-01T12:00Z'

/** A long but ordinary paper: numbered paragraphs with emphasis, a link and a table. */
function bigPaper(n: number, paragraphs: number): string {
  const body: string[] = []
  for (let i = 0; i < paragraphs; i++) body.push(`${i + 1}. Paragraph ${i} with _emphasis_, a [link](https://example.org/${i}) and **strong** text.\n\n| a | b |\n| - | - |\n| ${i} | x |`)
  return `---\nid: PCD ${n}\ntitle: Long paper ${n}\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\n${body.join('\n\n')}\n`
}

async function site() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'public')
  const state = path.join(dir, 'state')
  fs.mkdirSync(content)
  fs.writeFileSync(path.join(content, 'small.md'), `---\nid: PCD 1\ntitle: Small\ndate: "2026-01-01"\nclassification: OFFICIAL\n---\n\nText.\n`)
  const first = await runMopac(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])
  expect(first.code).toBe(0)
  return {dir, content, out, state}
}

describe('time budget and signals', () => {
  it('a paper over its budget is an error naming it; nothing is published', async () => {
    const {content, out, state} = await site()
    const before = snapshot(out)
    fs.writeFileSync(path.join(content, 'long.md'), bigPaper(2, 4000))
    const result = mopac(['build', '--content', content, '--out', out, '--state', state, '--now', NOW, '--paper-timeout', '0.01'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('long.md')
    expect(result.stderr).toMatch(/longer than its time budget \(0\.01 s\).*paper-timeout/)
    expect(snapshot(out)).toEqual(before)
  })

  it('--paper-timeout must be a positive number of seconds', async () => {
    const result = await runMopac(['check', '--paper-timeout', 'soon'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Invalid --paper-timeout/)
  })

  // A sixth red team: 0.0001 passed the check and became a budget of 0 ms.
  for (const value of ['0', '0.0001', '0.0004', '1e-4']) {
    it(`--paper-timeout ${value} (under a millisecond) is a usage error, not a budget of none`, async () => {
      const result = await runMopac(['check', '--paper-timeout', value])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/Invalid --paper-timeout/)
    })
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} stops a build while papers are processed, leaving --out as it was`, async () => {
      const {dir, content, out, state} = await site()
      const before = snapshot(out)
      for (let n = 2; n < 6; n++) fs.writeFileSync(path.join(content, `long-${n}.md`), bigPaper(n, 6000))
      const child = spawn(process.execPath, [path.join(repo, 'bin/mopac.js'), 'build', '--content', content, '--out', out, '--state', state, '--now', NOW, '--no-cache'], {stdio: ['ignore', 'ignore', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('exit', (code, sig) => resolve({code, signal: sig})))
      // A build that ends before the signal (a crash, a stale dist/) fails here rather than waiting for an exit already gone.
      const early = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(resolve, 1500))])
      expect(early, `the build ended before the signal: ${stderr}`).toBeUndefined()
      const sent = performance.now()
      child.kill(signal)
      const exit = await exited
      const took = performance.now() - sent
      // Not a timing assertion on speed: a process that ignored the signal
      // would still be processing 4 long papers for many seconds.
      expect(took).toBeLessThan(5000)
      expect(exit.code === 0).toBe(false)
      expect(snapshot(out)).toEqual(before)
      // The next build clears any staged folder the stopped one left.
      for (let n = 2; n < 6; n++) fs.rmSync(path.join(content, `long-${n}.md`))
      expect((await runMopac(['build', '--content', content, '--out', out, '--state', state, '--now', NOW, '--no-cache'])).code).toBe(0)
      expect(fs.readdirSync(dir).filter((n) => n !== '.public.spare').sort()).toEqual(['content', 'public', 'state'])
      expect(spareExtras(path.join(dir, 'public'))).toEqual([])
    }, 60_000)
  }
})

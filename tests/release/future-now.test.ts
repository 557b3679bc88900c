/**
 * Guard the clock: a `--now` more than five minutes ahead of the real time,
 * given to `build` or `release` on a live site (a state folder with a release
 * log), is refused (exit 2) unless --allow-future-now, because it would
 * publish deferred papers early. A first run, --dry-run, and a --now within
 * the slack are free. The clock comes in through the CLI's io.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import type {CliIo} from '../../src/cli/io.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

const REAL = new Date('2026-11-25T12:00:00Z')

function io(): CliIo & {out: string; err: string} {
  const captured = {out: '', err: ''}
  return Object.assign(captured, {
    stdout: (text: string) => void (captured.out += text),
    stderr: (text: string) => void (captured.err += text),
    now: () => REAL,
    isTTY: false,
    env: {}
  })
}

describe('a --now ahead of the clock on a live site', () => {
  for (const command of ['release', 'build'] as const) {
    it(`${command}: refused without --allow-future-now once the site has a release log`, async () => {
      const dir = tempDir()
      const content = path.join(dir, 'content')
      writeCanaryCorpus(content)
      const base = [command, '--content', content, '--out', path.join(dir, 'public'), '--state', path.join(dir, 'state'), '--no-cache']
      // The first release makes the log; a --now within five minutes is fine.
      expect(await main(['release', ...base.slice(1), '--now', '2026-11-25T12:04:00Z'], io())).toBe(0)
      expect(fs.existsSync(path.join(dir, 'state', 'releases.jsonl'))).toBe(true)
      const before = fs.readFileSync(path.join(dir, 'state', 'releases.jsonl'), 'utf8')

      const refused = io()
      expect(await main([...base, '--now', '2031-01-01T00:00:00Z'], refused)).toBe(2)
      expect(refused.err).toMatch(/ahead of the real time .* would publish deferred papers early/)
      expect(fs.readFileSync(path.join(dir, 'state', 'releases.jsonl'), 'utf8')).toBe(before)
      expect(fs.readdirSync(path.join(dir, 'public', 'decisions')).sort()).toEqual(['pcd-100', 'pcd-101'])

      if (command === 'release') expect(await main([...base, '--now', '2031-01-01T00:00:00Z', '--dry-run'], io())).toBe(0)
      expect(await main([...base, '--now', '2031-01-01T00:00:00Z', '--allow-future-now'], io())).toBe(0)
      expect(fs.readdirSync(path.join(dir, 'public', 'decisions'))).toContain('pcd-901015')
    })
  }
})

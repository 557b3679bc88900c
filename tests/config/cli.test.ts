/**
 * The site configuration through the commands: a bad mopac.config.json stops
 * build, release, check and preview with exit 1 and its positioned messages,
 * and nothing is published; --base-url wins over the file's base URL.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import type {CliIo} from '../../src/cli/io.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

const NOW = '2026-11-25T12:00:00Z'

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), now: () => new Date(NOW), isTTY: false, env: {}}
  const code = await main(args, io)
  return {code, stdout, stderr}
}

function corpus(config?: string) {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  if (config !== undefined) fs.writeFileSync(path.join(content, 'mopac.config.json'), config)
  return {content, out: path.join(dir, 'public'), state: path.join(dir, 'state')}
}

const BAD = '{\n  "site": {"name": "Example decisions"},\n  "approvals": 3,\n  "foi": {"emial": "foi@example.org"}\n}\n'

describe('a bad mopac.config.json', () => {
  it('stops build with exit 1, every problem at file:line:column, and publishes nothing', async () => {
    const {content, out, state} = corpus(BAD)
    const result = await run(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('mopac.config.json')
    expect(result.stderr).toMatch(/3:16\s+error\s+Invalid `approvals`/)
    expect(result.stderr).toMatch(/4:11\s+error\s+Unknown key `foi.emial`/)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('stops release, check and preview with exit 1', async () => {
    const {content, out, state} = corpus(BAD)
    expect((await run(['release', '--content', content, '--out', out, '--state', state, '--now', NOW])).code).toBe(1)
    expect(fs.existsSync(out)).toBe(false)
    const check = await run(['check', '--content', content, '--now', NOW])
    expect(check.code).toBe(1)
    expect(check.stderr).toMatch(/Invalid `approvals`/)
    // Still validates every paper and summarises.
    expect(check.stdout).toMatch(/papers checked/)
    expect((await run(['preview', '--content', content, '--port', '0'])).code).toBe(1)
  })
})

describe('a good mopac.config.json', () => {
  it('names the site and the organisation on every page, and gives the base URL unless --base-url does', async () => {
    const config = JSON.stringify({site: {name: 'Example decisions', baseUrl: 'https://file.example.org/'}, organisation: {name: 'Example Office', shortName: 'EO'}})
    const {content, out, state} = corpus(config)
    expect((await run(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])).code).toBe(0)
    const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8')
    expect(home).toContain('<title>Decisions - Example decisions</title>')
    expect(home).toContain('Example Office')
    expect(home).toContain('<link rel="canonical" href="https://file.example.org/">')
    expect(fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')).toContain('<title>Example decisions</title>')

    const flagged = corpus(config)
    expect((await run(['build', '--content', flagged.content, '--out', flagged.out, '--state', flagged.state, '--now', NOW, '--base-url', 'https://flag.example.org/x'])).code).toBe(0)
    expect(fs.readFileSync(path.join(flagged.out, 'index.html'), 'utf8')).toContain('<link rel="canonical" href="https://flag.example.org/x/">')
  }, 60_000)

  it('is optional: without it, MOPAC defaults and no base URL', async () => {
    const {content, out, state} = corpus()
    expect((await run(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])).code).toBe(0)
    const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8')
    expect(home).toContain('MOPAC decisions')
    expect(home).not.toContain('rel="canonical"')
    expect(fs.existsSync(path.join(out, 'feed.xml'))).toBe(false)
  }, 60_000)
})

/**
 * Issue 9 section 7, third rule: `mopac verify` with nothing to check (a
 * missing or empty --out, an --out that is a file, a missing --content or one
 * without papers) is bad usage, exit 2 with a clear message: never exit 70.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import {EXIT} from '../../src/cli/exit.js'
import {verify, VerifyInputError} from '../../src/verify/index.js'
import {PUBLIC_PAPER} from './helpers.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, {recursive: true, force: true})
})

function temp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-verify-cli-'))
  dirs.push(d)
  return d
}

async function run(args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(['verify', ...args, '--now', '2026-06-01T12:00:00Z'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    now: () => new Date('2026-06-01T12:00:00Z'),
    isTTY: false,
    env: {}
  })
  return {code, stdout, stderr}
}

function setup(): {content: string; out: string; root: string} {
  const root = temp()
  const content = path.join(root, 'content')
  fs.mkdirSync(content)
  fs.writeFileSync(path.join(content, 'a.md'), PUBLIC_PAPER)
  return {root, content, out: path.join(root, 'public')}
}

describe('mopac verify with nothing to check', () => {
  it('a missing --out: exit 2, naming the folder', async () => {
    const {content, out} = setup()
    const r = await run(['--content', content, '--out', out])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toContain(`out directory not found: ${out}`)
    expect(r.stderr).toContain('mopac verify --help')
    expect(r.stdout).toBe('')
  })

  it('an empty --out (or one holding only empty folders): exit 2', async () => {
    const {content, out} = setup()
    fs.mkdirSync(path.join(out, 'decisions', 'x'), {recursive: true})
    const r = await run(['--content', content, '--out', out])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toMatch(/holds no file: nothing to check/)
  })

  it('an --out that is a file: exit 2', async () => {
    const {content, root} = setup()
    const file = path.join(root, 'index.html')
    fs.writeFileSync(file, '<p>x</p>')
    const r = await run(['--content', content, '--out', file])
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toMatch(/out is not a directory/)
  })

  it('a missing --content, or one without papers: exit 2', async () => {
    const {root, out} = setup()
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'index.html'), '<p>x</p>')
    const missing = await run(['--content', path.join(root, 'nope'), '--out', out])
    expect(missing.code).toBe(EXIT.usage)
    expect(missing.stderr).toMatch(/content directory not found/)
    const empty = path.join(root, 'empty')
    fs.mkdirSync(empty)
    const none = await run(['--content', empty, '--out', out])
    expect(none.code).toBe(EXIT.usage)
    expect(none.stderr).toMatch(/no papers/)
  })

  it('a real site: exit 0; with a leak: exit 3', async () => {
    const {content, out} = setup()
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'index.html'), '<p>Estates strategy refresh</p>')
    expect((await run(['--content', content, '--out', out])).code).toBe(EXIT.ok)
    fs.writeFileSync(path.join(out, 'leak.html'), '<p>Northgate</p>')
    const r = await run(['--content', content, '--out', out])
    expect(r.code).toBe(EXIT.leak)
    expect(r.stdout).toMatch(/leak\.html: matches .*a\.md:22:\d+ \(sensitive\): "northgate"/)
  })

  it('the library call rejects with VerifyInputError (which build and release report as they see fit)', async () => {
    const {content, out} = setup()
    await expect(verify({content, out, now: new Date()})).rejects.toBeInstanceOf(VerifyInputError)
    fs.mkdirSync(out)
    await expect(verify({content, out, now: new Date()})).rejects.toThrow(/holds no file/)
  })
})

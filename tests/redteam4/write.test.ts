/**
 * Red team round 4: the atomic write. SAFE = a bad --out is refused and
 * nothing outside the site changes; no half site is ever live; a build never
 * deletes files it did not write.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {runMopac} from '../helpers/cli.js'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {MARKER, assertSeparateFolders, recoverOut, writeSite} from '../../src/build/write.js'
import {expectBuildOk} from '../redteam/helpers.js'
import {buildAt, corpus, NOW, paper} from './helpers.js'

const snapshot = (dir: string): string[] => {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      const f = path.join(d, e.name)
      out.push(path.relative(dir, f) + (e.isSymbolicLink() ? '@' + fs.readlinkSync(f) : e.isDirectory() ? '/' : ':' + fs.readFileSync(f).length))
      if (e.isDirectory()) walk(f)
    }
  }
  walk(dir)
  return out.sort()
}

/** Build (which must succeed), then writeSite to `out`, which must refuse with `message` and leave `watch` as it was. */
async function expectRefusedIntact(out: string, c: {content: string}, watch: string, message: RegExp) {
  const result = await buildAt(c.content)
  expectBuildOk(result)
  const before = snapshot(watch)
  await expect(writeSite(out, result.files!)).rejects.toThrow(message)
  expect(snapshot(watch)).toEqual(before)
}

describe('bad --out values are refused (held)', () => {
  it('--out = the content folder', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    await expectRefusedIntact(c.content, c, c.content, /holds files that mopac did not write/)
  })
  it('--out = the parent of the content folder', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    await expectRefusedIntact(c.dir, c, c.dir, /holds files that mopac did not write/)
  })
  it('--out = a symlink to a folder (even an old mopac site)', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    const real = path.join(c.dir, 'real')
    fs.mkdirSync(real)
    fs.writeFileSync(path.join(real, MARKER), 'mopac-publisher site\n')
    fs.writeFileSync(path.join(real, 'keep.txt'), 'keep')
    fs.symlinkSync(real, c.out)
    await expectRefusedIntact(c.out, c, c.dir, /is not a folder/)
  })
  it('--out = a file', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    fs.writeFileSync(c.out, 'not a folder')
    await expectRefusedIntact(c.out, c, c.dir, /is not a folder/)
  })
  it('--out = /', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    const result = await buildAt(c.content)
    expectBuildOk(result)
    const before = fs.readdirSync('/').sort()
    await expect(writeSite('/', result.files!)).rejects.toThrow(/holds files that mopac did not write/)
    expect(fs.readdirSync('/').sort()).toEqual(before)
  })
})

describe('--out that holds the content or the state', () => {
  it('a mopac site folder that the content folder was put inside: refused, content not deleted', async () => {
    const c = corpus({})
    const site = path.join(c.dir, 'site')
    const content = path.join(site, 'content')
    const first = corpus({'a.md': paper('PCD 1')})
    const built = await buildAt(first.content)
    expectBuildOk(built)
    await writeSite(site, built.files!)
    fs.cpSync(first.content, content, {recursive: true})
    fs.writeFileSync(path.join(content, 'notes.txt'), 'the only copy')
    // The command refuses overlapping folders before anything is built.
    const result = await runMopac(['build', '--content', content, '--out', site, '--state', path.join(c.dir, 'state'), '--now', NOW.toISOString()])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/inside --out/)
    await expect(assertSeparateFolders({content, out: site})).rejects.toThrow(/inside --out/)
    expect(fs.existsSync(path.join(content, 'notes.txt'))).toBe(true)
  })
})

describe('leftover .public.old-* folders', () => {
  it('with --out missing and two leftovers, none is guessed: the run stops and restores nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-rt4-old-'))
    const out = path.join(dir, 'public')
    const older = path.join(dir, '.public.old-999999-aaaaaaaa')
    const newer = path.join(dir, '.public.old-1000000-bbbbbbbb')
    for (const [d, tag] of [[older, 'older'], [newer, 'newer']] as const) {
      fs.mkdirSync(d)
      fs.writeFileSync(path.join(d, MARKER), 'mopac-publisher site\n')
      fs.writeFileSync(path.join(d, 'which.txt'), tag)
    }
    await expect(recoverOut(out)).rejects.toThrow(/earlier sites/)
    expect(fs.existsSync(out)).toBe(false)
    expect(fs.existsSync(older) && fs.existsSync(newer)).toBe(true)
  })
})

describe('concurrent builds in one process (or two containers that share the pid and the volume)', () => {
  it('two writeSite calls racing: the live site is always one whole build', async () => {
    const files: Record<string, string> = {}
    for (let i = 1; i <= 60; i++) files[`p${i}.md`] = paper(`PCD ${i}`, 'tags: [t]\n', `Body ${'word '.repeat(200)}\n`)
    const c = corpus(files)
    const builtA = await buildAt(c.content)
    const builtB = await build({content: c.content, now: NOW}) // no base URL: a different site
    expectBuildOk(builtA)
    expectBuildOk(builtB)
    const a = builtA.files!
    const b = builtB.files!
    const expected = (m: Map<string, string | Uint8Array>) => [...m.keys()].sort()
    const problems: string[] = []
    for (let round = 0; round < 25; round++) {
      await Promise.allSettled([writeSite(c.out, a), writeSite(c.out, b), new Promise((r) => setTimeout(r, round % 5)).then(() => writeSite(c.out, a)), new Promise((r) => setTimeout(r, round % 7)).then(() => writeSite(c.out, b))])
      if (!fs.existsSync(c.out)) {
        problems.push(`round ${round}: no site`)
        continue
      }
      const live = snapshot(c.out).filter((n) => !n.endsWith('/')).map((n) => n.replace(/:\d+$/, '')).sort()
      const names = (m: Map<string, string | Uint8Array>) => expected(m).filter((n) => n !== MARKER)
      const liveNames = live.filter((n) => n !== MARKER)
      const whole = JSON.stringify(liveNames) === JSON.stringify(names(a)) || JSON.stringify(liveNames) === JSON.stringify(names(b))
      if (!whole) problems.push(`round ${round}: ${liveNames.length} files (a ${names(a).length}, b ${names(b).length})`)
    }
    expect(problems).toEqual([])
  }, 60_000)
})

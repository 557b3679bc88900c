/**
 * Red team of cdc56df: pages streamed into the staging folder as they are
 * made (src/build/write.ts `openStage`, src/release/release.ts), bodies of
 * papers just processed read back from the cache when asked for
 * (src/publish/body.ts `lazyBody`, src/build/cache.ts `set`, src/build/pool.ts
 * `keep`), `--no-cache` storing the cache anew (`fresh`), and the leak check
 * holding public text compactly or on disk (src/verify/incremental.ts
 * `compactStreams`, `publicTextFrom`; src/verify/index.ts `allPublic`).
 *
 * Each test asserts the safe behaviour; a failing test is a hole. Found when
 * written, and fixed in f093fa1 (every test here passes since):
 *  - the staging folder is opened before papers are processed (release.ts `run`), so a SIGTERM
 *    or SIGINT (a cron `timeout`) at any point of a run leaves `.<out>.tmp-<pid>-<hex>` beside
 *    --out (half a site, never checked) until the next build or release for that --out; before,
 *    only a signal during staging or the check did;
 *  - a body file that became a folder crashes the run (cache.ts `lazy`: rmSync without
 *    `recursive` throws out of the body's getter, mid-render) instead of making it again;
 *  - `--no-cache` now writes the cache, so a cache that cannot be written (here `<state>/cache`
 *    is a file) crashes `--no-cache` builds (exit 70), which used to be the way round a broken cache;
 *  - a run whose staging folder another run of the same process removes (--out named through a
 *    symbolic link: `inFlight` holds the other spelling) crashes with ENOENT at its first page;
 *    with cdc56df's own `folderOf` (a recursive mkdir) a stage removed mid-render was recreated
 *    and finished as half a site (a095d9e's one-level mkdir now throws instead);
 *  - (older than cdc56df, more exposed now that a stage lives for the whole run) recoverOut reads
 *    the staging folder of `--out site.old-2` as an old folder of `--out site`, and moves it into
 *    place when `site` is missing: another site's unchecked stage is published as `site`.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build, readInputs} from '../../src/build/build.js'
import {cacheKey} from '../../src/build/cache.js'
import {createProcessor} from '../../src/build/pool.js'
import {openStage} from '../../src/build/write.js'
import type {PaperInput} from '../../src/publish/process.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'
import {release, type ReleaseResult} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {compactStreams} from '../../src/verify/incremental.js'
import {mopac as mopacCli, repo, runMopac, snapshot} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {OK, paper, runRelease, setup as setupIn, spareExtras, T0, withheld, write, type Ctx} from './keep-helpers.js'
import {rewriteBody} from '../helpers/cache.js'

const setup = (papers: Record<string, string>): Ctx => setupIn(papers, 'mopac-stream-')
const NOW = T0.toISOString()

/**
 * Every name beside --out that is not one of the test's own folders (a
 * staging or old folder left behind); the spare only by what it holds that
 * the live site does not hold byte for byte (see `spareExtras`).
 */
function leftovers(ctx: Ctx): string[] {
  return fs.readdirSync(ctx.root).filter((name) => !['content', 'public', 'state', 'state-b', 'alias'].includes(name)).flatMap((name) => (name === '.public.spare' ? spareExtras(ctx.out) : [name]))
}

function canaries(dir: string, words: string[]): string[] {
  if (!fs.existsSync(dir)) return []
  return [...new Set(findCanaries(scanSite(dir), words).map((h) => h.canary))].sort()
}

/** The site a clean run (its own folders, no cache) publishes from `papers`. */
async function cleanSite(papers: Record<string, string>, now = T0): Promise<Record<string, string>> {
  const ref = setup(papers)
  const r = await runRelease(ref, {now, strict: true, force: true})
  expect(OK).toContain(r.status)
  return snapshot(ref.out)
}

/** A site's files but its marker (which names the inputs, the configuration included). */
function withoutMarker(site: Record<string, string>): Record<string, string> {
  const {['.mopac-site']: _marker, ...rest} = site
  return rest
}

type ProcessAll = (inputs: PaperInput[], now: Date) => Promise<PaperOutcome[]>

/**
 * The release job in-process, as runRelease runs it, but with the
 * processor's `processAll` wrapped (to act between a paper's store and its
 * read) and its `fresh` option (`--no-cache`) and the check (`check`) open.
 */
async function runWrapped(ctx: Ctx, o: {wrap?: (inner: ProcessAll, cacheDir: string) => ProcessAll; fresh?: boolean; memory?: boolean; check?: (staged: string, n: number) => Promise<ReleaseResult['hits'] & object>; now?: Date; state?: string; out?: string}): Promise<ReleaseResult> {
  const now = o.now ?? T0
  const state = o.state ?? ctx.state
  const cacheDir = path.join(state, 'cache')
  const processor = createProcessor({cacheDir, workers: false, fresh: o.fresh})
  const inner: ProcessAll = (inputs, at) => processor.processAll(inputs, at)
  let n = 0
  return release({
    content: ctx.content,
    out: o.out ?? ctx.out,
    state,
    now,
    strict: false,
    afterRun: processor.prune,
    processAll: o.wrap ? o.wrap(inner, cacheDir) : inner,
    verify: async (staged) => {
      n++
      if (o.check) return o.check(staged, n)
      return (await verify({content: ctx.content, out: staged, now, memory: o.memory === false ? undefined : path.join(state, 'verify')})).hits
    }
  })
}

const entryFile = (cacheDir: string, input: PaperInput) => {
  const key = cacheKey(input)
  return path.join(cacheDir, key.slice(0, 2), `${key}.json`)
}
const bodyFile = (cacheDir: string, input: PaperInput) => entryFile(cacheDir, input).replace(/\.json$/, '.body.json')

/** Papers whose public pages hold `pub` words and whose withheld blocks hold `secret` words. */
function corpus(count: number, tag: string): {papers: Record<string, string>; secrets: string[]; publics: string[]} {
  const papers: Record<string, string> = {}
  const secrets: string[] = []
  const publics: string[] = []
  for (let i = 0; i < count; i++) {
    const s = `zk${tag}sec${1000 + i}`
    const p = `zk${tag}pub${1000 + i}`
    secrets.push(s)
    publics.push(p)
    papers[`p${i}.md`] = paper(700 + i, `Opening words ${p} here.\n\n${withheld(`The supplier ${s} was named.`)}\n\nClosing words.`)
  }
  return {papers, secrets, publics}
}

// ---------------------------------------------------------------------------
// 1. The staging folder's life
// ---------------------------------------------------------------------------

/** A long but ordinary paper (slow to process, so a signal lands while papers are processed). */
function longPaper(n: number, paragraphs: number): string {
  const body: string[] = []
  for (let i = 0; i < paragraphs; i++) body.push(`${i + 1}. Paragraph ${i} with _emphasis_, a [link](https://example.org/${i}) and **strong** text.\n\n| a | b |\n| - | - |\n| ${i} | x |`)
  return paper(n, body.join('\n\n'))
}

/** Wait until `test` holds (polling), or `ms` pass; whether it held. */
async function until(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (test()) return true
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  return test()
}

describe('the staging folder: opened for the whole run', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} (a cron \`timeout\`) while papers are processed leaves no staging folder beside --out`, async () => {
      const ctx = setup({'a.md': paper(801, 'Small paper.')})
      expect((await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW])).code).toBe(0)
      const before = snapshot(ctx.out)
      for (let n = 2; n < 4; n++) write(ctx, {[`long-${n}.md`]: longPaper(810 + n, 1500)})
      const child = spawn(process.execPath, [path.join(repo, 'bin/mopac.js'), 'build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW], {stdio: 'ignore'})
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
      // The signal goes while papers are processed (they take seconds): once the
      // run has opened its staging folder, or 1.5 s after it started.
      await until(() => leftovers(ctx).length > 0, 1500)
      expect(child.exitCode).toBe(null)
      child.kill(signal)
      expect(await exited).not.toBe(0)
      expect(snapshot(ctx.out)).toEqual(before)
      expect(leftovers(ctx)).toEqual([])
    }, 30_000)
  }

  it('SIGKILL mid-render, then an ordinary run: the site is whole and nothing is left beside --out', async () => {
    const {papers, secrets} = corpus(60, 'kill')
    const ctx = setup(papers)
    const clean = await cleanSite(papers)
    const child = spawn(process.execPath, [path.join(repo, 'bin/mopac.js'), 'build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW, '--no-cache'], {stdio: 'ignore'})
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    // Killed once a page is in its staging folder (the listing is made first).
    const seen = await until(() => leftovers(ctx).some((name) => fs.existsSync(path.join(ctx.root, name, 'index.html'))), 15_000)
    child.kill('SIGKILL')
    await exited
    console.log('SEEN', seen, leftovers(ctx), fs.existsSync(ctx.out))
    expect(canaries(ctx.out, secrets)).toEqual([])
    const r = await runRelease(ctx, {strict: true})
    expect(OK).toContain(r.status)
    expect(leftovers(ctx)).toEqual([])
    expect(snapshot(ctx.out)).toEqual(clean)
  }, 30_000)

  it('a run that throws while papers are processed leaves no staging folder', async () => {
    const ctx = setup({'a.md': paper(820, 'Text.')})
    await expect(
      runRelease(ctx, {
        hook: () => {
          throw new Error('zkthrown820')
        }
      })
    ).rejects.toThrow('zkthrown820')
    expect(leftovers(ctx)).toEqual([])
  })

  it('a staging folder removed under a stage (another run tidying) is never finished as a site', async () => {
    const root = tempDir('mopac-stream-')
    const stage = await openStage(path.join(root, 'site'))
    stage.put('index.html', '<p>listing</p>')
    fs.rmSync(stage.dir, {recursive: true, force: true})
    // What a build puts next: a paper's page in a new folder, then files at the root.
    const rest = async () => {
      stage.put('decisions/pcd-1/index.html', '<p>page</p>')
      stage.put('decisions.json', '[]')
      stage.put('.mopac-site', 'mopac-publisher site\n')
      return stage.finish()
    }
    await expect(rest()).rejects.toThrow()
    // Had it finished, it would be a site without its listing.
    expect(fs.existsSync(path.join(stage.dir, 'decisions.json')) && !fs.existsSync(path.join(stage.dir, 'index.html'))).toBe(false)
    await stage.discard()
  })

  it('two runs (two state folders) on the same --out named by two paths: the first run\'s staging folder is not removed by the second\'s tidying', async () => {
    const {papers} = corpus(3, 'alias')
    const ctx = setup(papers)
    // The same folder under another name (a symbolic link to the parent of --out).
    fs.symlinkSync(ctx.root, path.join(ctx.root, 'alias'))
    const viaAlias = path.join(ctx.root, 'alias', 'public')
    let second: ReleaseResult | undefined
    const first = await runRelease(ctx, {
      out: viaAlias,
      strict: true,
      hook: async () => {
        // Another run, another state folder, the real path of --out.
        second = await runRelease(ctx, {state: path.join(ctx.root, 'state-b'), strict: true})
      }
    }).catch((error: Error) => ({status: `threw: ${error.message}`}) as unknown as ReleaseResult)
    expect(OK).toContain(second?.status)
    // Never a half site, nothing left beside --out.
    expect(snapshot(ctx.out)).toEqual(await cleanSite(papers))
    expect(leftovers(ctx)).toEqual([])
    // The first run completes (its kept files gone, it makes the site again), not a crash on its own folder gone.
    expect(first.status).toMatch(/^(released|nothing-due|held)$/)
  })
})

// ---------------------------------------------------------------------------
// 2. A body stored, then read back when asked for
// ---------------------------------------------------------------------------

/** A body with `word` in every field, well formed, but not the one stored (its digest differs). */
function poisonedBody(file: string, word: string): string {
  const body = JSON.parse(fs.readFileSync(file, 'utf8')) as {markdown: string; html: string; text: string}
  return JSON.stringify({markdown: `${body.markdown}\n\n${word}\n`, html: `${body.html}<p>${word}</p>`, text: `${body.text} ${word}`})
}

type Damage = (file: string, other: string) => void
const DAMAGE: Record<string, Damage> = {
  'bytes garbled': (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/[a-z]/g, 'q')),
  'a well-formed body holding withheld words': (file) => fs.writeFileSync(file, poisonedBody(file, 'zkpoisonbody2001')),
  truncated: (file) => fs.truncateSync(file, 7),
  removed: (file) => fs.rmSync(file),
  'another paper\'s body': (file, other) => fs.copyFileSync(other, file),
  'the same size, other words': (file) => {
    const text = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, text.replace('Opening words', 'zkpoisonsz2002'.slice(0, 'Opening words'.length).padEnd('Opening words'.length, 'x')))
  }
}

describe('a body stored by this run and read back: damaged between the store and the read', () => {
  for (const [how, damage] of Object.entries(DAMAGE)) {
    it(`${how}: the site is the clean build's, byte for byte, and the next run's too`, async () => {
      const {papers, secrets} = corpus(4, 'dmg')
      const ctx = setup(papers)
      const wrap = (inner: ProcessAll, cacheDir: string): ProcessAll => async (inputs, now) => {
        const outcomes = await inner(inputs, now)
        const files = inputs.map((input) => bodyFile(cacheDir, input))
        expect(files.every((f) => fs.existsSync(f))).toBe(true)
        files.forEach((file, i) => damage(file, files[(i + 1) % files.length]!))
        return outcomes
      }
      const r = await runWrapped(ctx, {wrap})
      expect(OK).toContain(r.status)
      const clean = await cleanSite(papers)
      expect(snapshot(ctx.out)).toEqual(clean)
      expect(canaries(ctx.out, [...secrets, 'zkpoisonbody2001', 'zkpoisonsz'])).toEqual([])
      // The next run reads what this one left in the cache.
      write(ctx, {'extra.md': paper(790, 'Another decision.')})
      expect(OK).toContain((await runWrapped(ctx, {})).status)
      expect(snapshot(ctx.out)).toEqual(await cleanSite({...papers, 'extra.md': paper(790, 'Another decision.')}))
    })
  }

  it('replaced by a folder: the body is made again from the paper (not a crash), as for any other damage', async () => {
    const {papers} = corpus(2, 'dir')
    const ctx = setup(papers)
    const wrap = (inner: ProcessAll, cacheDir: string): ProcessAll => async (inputs, now) => {
      const outcomes = await inner(inputs, now)
      for (const input of inputs) {
        const file = bodyFile(cacheDir, input)
        fs.rmSync(file)
        fs.mkdirSync(file)
      }
      return outcomes
    }
    const r = await runWrapped(ctx, {wrap}).catch((error: Error) => ({status: `threw: ${error.message}`}) as unknown as ReleaseResult)
    expect(leftovers(ctx)).toEqual([])
    expect(r.status).toMatch(/^(released|nothing-due|held)$/)
    expect(snapshot(ctx.out)).toEqual(await cleanSite(papers))
  })

  it('a paper edited on disk while the run goes on: its page, its index.md and its search shard are one version', async () => {
    const v1 = 'zkversionone3001'
    const v2 = 'zkversiontwo3002'
    const ctx = setup({'a.md': paper(830, `The plan ${v1} is agreed.`), 'b.md': paper(831, 'Other text.')})
    expect(OK).toContain((await runWrapped(ctx, {})).status)
    const onePaper = () => {
      const page = fs.readFileSync(path.join(ctx.out, 'decisions/pcd-830/index.html'), 'utf8')
      const md = fs.readFileSync(path.join(ctx.out, 'decisions/pcd-830/index.md'), 'utf8')
      const search = scanSite(path.join(ctx.out, 'search-index')).map((f) => f.text).join('\n')
      const versions = (text: string) => [v1, v2].filter((w) => text.includes(w))
      expect(versions(page)).toHaveLength(1)
      expect(versions(md)).toEqual(versions(page))
      expect(versions(search)).toEqual(versions(page))
      return versions(page)
    }
    expect(onePaper()).toEqual([v1])
    write(ctx, {'b.md': paper(831, 'Other text, edited.')})
    const wrap = (inner: ProcessAll, cacheDir: string): ProcessAll => async (inputs, now) => {
      const outcomes = await inner(inputs, now)
      // Edited on disk, and its stored body damaged: the run cannot make the
      // body of the version it read (it no longer holds its bytes), so it
      // stops, and the live site stays one version.
      write(ctx, {'a.md': paper(830, `The plan ${v2} is agreed.`)})
      for (const input of inputs) fs.writeFileSync(bodyFile(cacheDir, input), '{}')
      return outcomes
    }
    await expect(runWrapped(ctx, {wrap})).rejects.toThrow(/`a\.md` changed or was removed while this run was using it/)
    expect(onePaper()).toEqual([v1])
    // The next run publishes the new version whole.
    expect(OK).toContain((await runWrapped(ctx, {})).status)
    expect(onePaper()).toEqual([v2])
  })

  it('a paper redacted on disk while the run goes on: the words it now withholds are not published', async () => {
    const word = 'zkredactmid3003'
    const ctx = setup({'a.md': paper(832, `The supplier ${word} is named.`), 'b.md': paper(833, 'Other text.')})
    const wrap = (inner: ProcessAll): ProcessAll => async (inputs, now) => {
      const outcomes = await inner(inputs, now)
      write(ctx, {'a.md': paper(832, `The supplier\n\n${withheld(`${word} is named.`)}`)})
      return outcomes
    }
    const r = await runWrapped(ctx, {wrap})
    expect([...OK, 'leak']).toContain(r.status)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('more papers than bodies held (16): a body damaged just after its page is written gives the same page, index.md and search shard', async () => {
    const {papers, secrets} = corpus(40, 'lru')
    const root = tempDir('mopac-stream-')
    const content = path.join(root, 'content')
    fs.mkdirSync(content)
    for (const [name, text] of Object.entries(papers)) fs.writeFileSync(path.join(content, name), text)
    const reference = await build({content, now: T0})
    expect(reference.ok).toBe(true)
    const cacheDir = path.join(root, 'cache')
    const processor = createProcessor({cacheDir, workers: false})
    const inputs = await readInputs(content)
    const bySlug = new Map(inputs.map((input) => [`decisions/pcd-${700 + Number(/p(\d+)\.md$/.exec(input.relativePath)![1])}/index.html`, input]))
    const made = new Map<string, string | Uint8Array>()
    const result = await build({
      content,
      now: T0,
      processAll: processor.processAll,
      sink: (name, bytes) => {
        made.set(name, bytes)
        const input = bySlug.get(name)
        if (input) fs.writeFileSync(bodyFile(cacheDir, input), poisonedBody(bodyFile(cacheDir, input), 'zkpoisonlru4001'))
      }
    })
    expect(result.ok).toBe(true)
    const text = (files: Map<string, string | Uint8Array>) => Object.fromEntries([...files].filter(([n]) => n !== '.mopac-site').map(([n, c]) => [n, Buffer.from(c).toString('base64')]))
    expect(text(made)).toEqual(text(reference.files!))
    const all = [...made.values()].map((c) => Buffer.from(c).toString('utf8')).join('\n')
    expect(all).not.toContain('zkpoisonlru4001')
    for (const s of secrets) expect(all).not.toContain(s)
  })
})

// ---------------------------------------------------------------------------
// 3. --no-cache: reads no entry, stores every paper anew
// ---------------------------------------------------------------------------

/** Rewrite every stored public body of `cacheDir` with `word` in it, its entry's digest and size to match (a consistent, poisoned cache). */
function poisonCache(cacheDir: string, word: string): number {
  let n = 0
  for (const rel of fs.readdirSync(cacheDir, {recursive: true}).map(String)) {
    if (!rel.endsWith('.body.json')) continue
    const file = path.join(cacheDir, rel)
    rewriteBody(file, JSON.parse(poisonedBody(file, word)))
    n++
  }
  return n
}

describe('--no-cache', () => {
  it('after a poisoned cache: publishes none of it, and leaves none of it for the next run', async () => {
    const word = 'zkpoisoncache5001'
    const {papers} = corpus(3, 'nc')
    const ctx = setup(papers)
    const args = ['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW]
    expect((await runMopac(args)).code).toBe(0)
    expect(poisonCache(path.join(ctx.state, 'cache'), word)).toBe(3)
    const forced = await runMopac([...args, '--no-cache'])
    expect(forced.code).toBe(0)
    expect(canaries(ctx.out, [word])).toEqual([])
    expect(canaries(path.join(ctx.state, 'cache'), [word])).toEqual([])
    // An edit, so the next ordinary run renders (from the cache) rather than finding nothing changed.
    write(ctx, {'p0.md': papers['p0.md']!.replace('Closing words.', 'Closing words, edited.')})
    expect((await runMopac(args)).code).toBe(0)
    expect(canaries(ctx.out, [word])).toEqual([])
  })

  it('with a cache that cannot be written (<state>/cache is not a folder): still builds, as --no-cache did', async () => {
    const {papers} = corpus(2, 'ncw')
    const ctx = setup(papers)
    fs.mkdirSync(ctx.state)
    fs.writeFileSync(path.join(ctx.state, 'cache'), 'not a folder\n')
    const r = await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW, '--no-cache'])
    expect(r.stderr).not.toMatch(/unexpected failure/)
    expect(r.code).toBe(0)
    expect(withoutMarker(snapshot(ctx.out))).toEqual(withoutMarker(await cleanSite(papers)))
  })
})

// ---------------------------------------------------------------------------
// 4. The leak check: public text compact, or read from its memory each time
// ---------------------------------------------------------------------------

/** A processAll that puts `leak` into the public body of the paper at `file` (a pipeline that leaks, for the check to catch). */
const leaking = (file: string, leak: string) => (inner: ProcessAll): ProcessAll => async (inputs, now) => {
  const outcomes = await inner(inputs, now)
  const target = outcomes.find((o) => o.relativePath === file)!.public!
  target.html = `${target.html}<p>${leak}</p>`
  target.markdown = `${target.markdown}\n\n${leak}\n`
  target.text = `${target.text} ${leak}`
  return outcomes
}

function publicFiles(state: string): string[] {
  const dir = path.join(state, 'verify', 'papers')
  return fs.readdirSync(dir).filter((n) => n.endsWith('.public.json')).map((n) => path.join(dir, n))
}

describe('the leak check with its memory: a reading\'s public text read back from its file', () => {
  const MEMORY_DAMAGE: Record<string, (file: string, words: string[]) => void> = {
    'rewritten to hold the leaked words as public text': (file, words) => {
      const streams = JSON.parse(fs.readFileSync(file, 'utf8')) as string[][]
      fs.writeFileSync(file, JSON.stringify([...streams, words, words.map((w) => w.toUpperCase())]))
    },
    'replaced by a folder': (file) => {
      fs.rmSync(file)
      fs.mkdirSync(file)
    },
    'not a list': (file) => fs.writeFileSync(file, '{"0": []}'),
    removed: (file) => fs.rmSync(file)
  }
  for (const [how, damage] of Object.entries(MEMORY_DAMAGE)) {
    it(`${how}: a leak is still found`, async () => {
      const {papers, secrets} = corpus(3, 'mem')
      const ctx = setup(papers)
      expect(OK).toContain((await runWrapped(ctx, {})).status)
      const live = snapshot(ctx.out)
      const leak = `The supplier ${secrets[0]} was named.`
      for (const file of publicFiles(ctx.state)) damage(file, ['the', 'supplier', secrets[0]!, 'was', 'named'])
      // An edit elsewhere, so the run renders.
      write(ctx, {'p2.md': papers['p2.md']!.replace('Closing words.', 'Closing words, edited.')})
      const r = await runWrapped(ctx, {wrap: leaking('p1.md', leak)}).catch((error: Error) => ({status: `threw: ${error.message}`}) as unknown as ReleaseResult)
      expect(r.status).toBe('leak')
      expect(snapshot(ctx.out)).toEqual(live)
      expect(leftovers(ctx)).toEqual([])
    })
  }

  it('changed while the check runs (between the changed papers\' search and the full one): a leak is still found', async () => {
    const {papers, secrets} = corpus(3, 'memrun')
    const ctx = setup(papers)
    expect(OK).toContain((await runWrapped(ctx, {})).status)
    const leak = `The supplier ${secrets[0]} was named.`
    write(ctx, {'p2.md': papers['p2.md']!.replace('Closing words.', 'Closing words, edited.')})
    // Each public text file is rewritten as soon as it is read the first time (fs.readFileSync is watched).
    const real = fs.readFileSync
    const seen = new Set<string>()
    const watched = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
      const bytes = (real as (f: fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(file, options)
      if (typeof file === 'string' && file.endsWith('.public.json') && !seen.has(file)) {
        seen.add(file)
        const streams = JSON.parse(Buffer.from(bytes).toString('utf8')) as string[][]
        fs.writeFileSync(file, JSON.stringify([...streams, ['the', 'supplier', secrets[0]!, 'was', 'named']]))
      }
      return bytes
    }) as typeof fs.readFileSync
    fs.readFileSync = watched
    syncBuiltinESMExports()
    let r: ReleaseResult
    try {
      r = await runWrapped(ctx, {wrap: leaking('p1.md', leak)})
    } finally {
      fs.readFileSync = real
      syncBuiltinESMExports()
    }
    // (The watch saw the memory's public text files.)
    expect(seen.size).toBeGreaterThan(0)
    expect(r.status).toBe('leak')
    expect(canaries(ctx.out, [secrets[0]!])).toEqual([])
  })

  it('compactStreams gives back odd words exactly (whitespace other than a space, line and paragraph separators, lone surrogates, empty streams)', () => {
    const odd: string[][] = [[], ['a\u00a0b', 'c\td', 'e\nf'], ['\u2028', '\u2029x', '\ud800', '\udfff\ud800'], [], ['\u200b', 'z\u0301', '😀'], ['', 'x'], ['p q']]
    for (let i = 0; i < odd.length; i++) {
      for (let j = i; j <= odd.length; j++) {
        const streams = odd.slice(i, j).map((s) => [...s])
        const reading = {sourceFile: 'x.md', isPublic: true, invalid: false, forbiddenSlugs: [], publicSlug: 'x', pieces: [], publicStreams: streams, publicRefs: []}
        expect(compactStreams(reading).publicStreams).toEqual(odd.slice(i, j))
      }
    }
  })

  it('odd public words (accents, ligatures, joined by `_`, other scripts, apostrophes, numbers): the compact check finds what the one read from files finds', async () => {
    const secret = 'zkoddsec6001'
    const part = 'zkpart6002'
    const ctx = setup({
      'a.md': paper(840, `Café naïve coöperate ﬁnance x_y_z foo_bar O'Brien’s 2024-05-01 £2.1m 日本語 テスト 😀 zero\u200bwidth Ǆemal İstanbul straße.\n\n${withheld(`The café naïve ${secret} foo bar, and ${part} in full.`)}`),
      'b.md': paper(841, `Public alpha_${part} joined. Text ﬁnance.`),
      'c.md': paper(842, 'Other text.')
    })
    const leak = `Café naïve ${secret} foo_bar and ${part} alone; straße ${secret}.`
    const r = await runWrapped(ctx, {wrap: leaking('c.md', leak), check: async () => []})
    expect(OK).toContain(r.status)
    const key = (h: {outputFile: string; sourceFile: string; line: number; column: number; match: string}) => [h.outputFile, path.basename(h.sourceFile), h.line, h.column, h.match].join(' ')
    const compact = (await verify({content: ctx.content, out: ctx.out, now: T0})).hits.map(key).sort()
    const fromFiles = (await verify({content: ctx.content, out: ctx.out, now: T0, memory: path.join(ctx.root, 'memory-fresh')})).hits.map(key).sort()
    expect(compact.length).toBeGreaterThan(0)
    expect(compact).toEqual(fromFiles)
  })
})

// ---------------------------------------------------------------------------
// 5. A run made again after files were streamed (a leak with kept files, the live site changed)
// ---------------------------------------------------------------------------

describe('a site made again after its first staging', () => {
  it('a leak found in a site with kept files: the site made again whole is the clean build, and nothing is left beside --out', async () => {
    const {papers} = corpus(5, 'retry')
    const ctx = setup(papers)
    expect(OK).toContain((await runWrapped(ctx, {})).status)
    const edited = {...papers, 'p4.md': papers['p4.md']!.replace('Closing words.', 'Closing words, edited.')}
    write(ctx, edited)
    let checks = 0
    const r = await runWrapped(ctx, {
      check: async (staged, n) => {
        checks = n
        if (n === 1) return [{outputFile: 'index.html', sourceFile: 'p0.md', line: 1, column: 1, match: 'x'}]
        return (await verify({content: ctx.content, out: staged, now: T0})).hits
      }
    })
    expect(checks).toBe(2)
    expect(OK).toContain(r.status)
    expect(snapshot(ctx.out)).toEqual(await cleanSite(edited))
    expect(leftovers(ctx)).toEqual([])
  })

  it('the live site changed under the run (its files touched): the site made again whole is the clean build', async () => {
    const {papers} = corpus(5, 'lsc')
    const ctx = setup(papers)
    expect(OK).toContain((await runRelease(ctx, {strict: true})).status)
    const edited = {...papers, 'p4.md': papers['p4.md']!.replace('Closing words.', 'Closing words, edited.')}
    write(ctx, edited)
    const r = await runRelease(ctx, {
      strict: true,
      hook: () => {
        for (const name of fs.readdirSync(ctx.out, {recursive: true}).map(String)) {
          const file = path.join(ctx.out, name)
          if (fs.statSync(file).isFile()) fs.utimesSync(file, new Date(), new Date())
        }
      }
    })
    expect(OK).toContain(r.status)
    expect(r.build?.site?.kept).toEqual([])
    expect(snapshot(ctx.out)).toEqual(await cleanSite(edited))
    expect(leftovers(ctx)).toEqual([])
  })

  it('a leak found again in the site made again whole: nothing published, nothing left beside --out', async () => {
    const {papers, secrets} = corpus(4, 'again')
    const ctx = setup(papers)
    expect(OK).toContain((await runWrapped(ctx, {})).status)
    const live = snapshot(ctx.out)
    write(ctx, {'p3.md': papers['p3.md']!.replace('Closing words.', 'Closing words, edited.')})
    const r = await runWrapped(ctx, {wrap: leaking('p2.md', `The supplier ${secrets[0]} was named.`)})
    expect(r.status).toBe('leak')
    expect(snapshot(ctx.out)).toEqual(live)
    expect(leftovers(ctx)).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// 6. Another --out beside this one whose name starts like this one's folders
// ---------------------------------------------------------------------------

describe('two sites side by side, one named like the other\'s old folder (`site` and `site.old-2`)', () => {
  it('a run for `site` (another process) never moves the staging folder of a run for `site.old-2` into its place', async () => {
    const word = 'zkothersite7001'
    const root = tempDir('mopac-stream-')
    const ctx: Ctx = {root, content: path.join(root, 'content'), out: path.join(root, 'site.old-2'), state: path.join(root, 'state')}
    fs.mkdirSync(ctx.content)
    write(ctx, {'a.md': paper(850, `Other site ${word} text.`)})
    // The other site's content has an error: its run stops, publishing nothing.
    const otherContent = path.join(root, 'content-b')
    fs.mkdirSync(otherContent)
    fs.writeFileSync(path.join(otherContent, 'broken.md'), '---\nid: PCD 851\n---\n')
    const site = path.join(root, 'site')
    let other: {code: number | null; stderr: string} | undefined
    const r = await runWrapped(ctx, {
      check: async (staged) => {
        // While this run's site is staged and checked, another process runs for `site`.
        other = mopacCli(['build', '--content', otherContent, '--out', site, '--state', path.join(root, 'state-b'), '--now', NOW])
        return (await verify({content: ctx.content, out: staged, now: T0})).hits
      }
    }).catch((error: Error) => ({status: `threw: ${error.message}`}) as unknown as ReleaseResult)
    expect(other?.code).toBe(1)
    // `site` holds nothing of this run's staged (unchecked, other) site.
    expect(canaries(site, [word])).toEqual([])
    expect(fs.existsSync(path.join(site, 'decisions', 'pcd-850'))).toBe(false)
    expect(OK).toContain(r.status)
  }, 30_000)
})

/**
 * Red team of f3f94d9: every read of a paper's bytes goes through one
 * function per side (the build's readSourceFile: O_NOFOLLOW | O_NONBLOCK,
 * a regular file, at most its size at open; the leak check's readSourceText,
 * the same but following links, as its fast-glob listing does). Attacked:
 * the two readers, what the two sides list, and the readers the change left
 * alone (config, approvals, code frames, the preview, `new`).
 *
 * Each test asserts the safe behaviour. Eleven were holes when written (the
 * comment above each says what happened); all are fixed: the leak check lists
 * the papers the build reads, and every file of the content folder that a
 * command reads (papers, configuration, approvals, code frames, the preview)
 * is read only as a regular file, never a pipe waited on, of bounded size;
 * names that are not UTF-8 are refused by the scan.
 */
import {execFileSync, spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readInputs} from '../../src/build/build.js'
import {loadSiteConfig} from '../../src/cli/config.js'
import {PaperChanged} from '../../src/content/source-file.js'
import {PaperStore} from '../../src/preview/store.js'
import {readApprovals} from '../../src/release/approvals.js'
import {verify} from '../../src/verify/index.js'
import {readSourceText} from '../../src/verify/incremental.js'
import {repo, runMopac} from '../helpers/cli.js'
import {NOW, SECRET, io, paper, release, runBin, secretPaper, setup} from './reads-helpers.js'





/** Settles with 'hung' when `p` has not settled after `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'hung'> =>
  Promise.race([p, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))])

/** A site folder holding the secret on one page (as a pipeline regression would put it there). */
function leakedSite(root: string): string {
  const out = path.join(root, 'leaked')
  fs.mkdirSync(out)
  fs.writeFileSync(path.join(out, 'index.html'), `<!doctype html><title>Decisions</title><p>${SECRET}.</p>\n`)
  return out
}

describe('the two listings agree on which files are papers', () => {
  it('control: the leak check finds the secret in a site that carries it', async () => {
    const ctx = setup()
    const result = await verify({content: ctx.content, out: leakedSite(ctx.root), now: new Date(NOW)})
    expect(result.hits.length).toBeGreaterThan(0)
  })

  // Was a HOLE (fixed: the leak check now lists the papers the build reads): the build never reads a hidden folder (scanContent skips every name
  // starting with a dot), but the leak check lists `**/*.{md,markdown}` with
  // `dot: true` and reads `.old/a.md` as a paper, and a public one: its text
  // is "public source text", so the secret it repeats is excluded from the
  // secret index. An editor's backup or an old copy of a paper in a hidden
  // folder (never published by the build) silently switches the second line
  // of defence off for every phrase and word it holds: a site carrying the
  // secret verifies clean (`mopac verify` exit 0, "OK, no leaks found").
  it('a hidden copy of a paper, never published, does not make its text public for the leak check', async () => {
    const ctx = setup({'a.md': secretPaper, '.old/a.md': paper(2, `Public text about estates.\n\n${SECRET}.`)})
    const result = await verify({content: ctx.content, out: leakedSite(ctx.root), now: new Date(NOW)})
    expect(result.hits.length).toBeGreaterThan(0)
  })

  // Was a HOLE (fixed: the leak check lists the papers the build reads): the same through a hidden link to a folder outside the content
  // folder: the build skips `.ref` (hidden; no content-symlink error, as the
  // link is hidden), fast-glob follows it, and the outside file's text counts
  // as public text for the leak check.
  it('a hidden link to a folder outside the content folder adds no public text', async () => {
    const ctx = setup()
    const outside = path.join(ctx.root, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'notes.md'), paper(3, `${SECRET}.`))
    fs.symlinkSync(outside, path.join(ctx.content, '.ref'))
    const result = await verify({content: ctx.content, out: leakedSite(ctx.root), now: new Date(NOW)})
    expect(result.hits.length).toBeGreaterThan(0)
  })

  // Was a HOLE (fixed: the leak check follows no link to a folder, and skips hidden names): two hidden links to the content folder itself (`.a -> .`,
  // `.b -> .`). The build's scan skips them (hidden, so not even
  // content-symlink); the leak check's fast-glob follows both, without cycle
  // detection, down to ELOOP: 2^40 paths. `mopac build` never ends (killed
  // here after 6 s; the lock's pid file is left in the state folder). One such
  // link alone passes (40 copies of each paper read).
  it('hidden links that loop make the build stop, not walk without end', async () => {
    const ctx = setup()
    fs.symlinkSync('.', path.join(ctx.content, '.a'))
    fs.symlinkSync('.', path.join(ctx.content, '.b'))
    const run = await runBin(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW], 6000, ctx.root)
    expect(run.hung).toBe(false)
  }, 15_000)

  it('a `.markdown` or `.MD` paper (read by neither side as a paper) stops the build', async () => {
    for (const name of ['b.markdown', 'b.MD']) {
      const ctx = setup({'a.md': secretPaper, [name]: paper(2, SECRET)})
      const run = await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW])
      expect(run.code).toBe(1)
      expect(fs.existsSync(ctx.out)).toBe(false)
    }
  })

  it('a FIFO or a link to /dev/zero named like a paper at scan time: no wait, no endless read', async () => {
    const ctx = setup()
    execFileSync('mkfifo', [path.join(ctx.content, 'b.md')])
    fs.symlinkSync('/dev/zero', path.join(ctx.content, 'c.md'))
    const run = await runBin(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW], 8000, ctx.root)
    expect(run.hung).toBe(false)
    expect(run.code).toBe(1) // c.md: content-symlink
    expect(fs.existsSync(ctx.out)).toBe(false)
  }, 15_000)

  // (Written when the leak check's reader followed links: it read the file as
  // empty. Since, the reader refuses a link, and the listing takes none.)
  it('a hidden link to a /proc file (size 0 in fstat, endless in content): refused by the leak check\'s reader, not listed, no wait', async () => {
    const ctx = setup()
    fs.symlinkSync('/proc/self/maps', path.join(ctx.content, '.p.md'))
    expect(() => readSourceText(path.join(ctx.content, '.p.md'))).toThrow(/a symbolic link/)
    const result = await within(verify({content: ctx.content, out: leakedSite(ctx.root), now: new Date(NOW)}), 10_000)
    expect(result).not.toBe('hung')
  })
})

describe('the build reads a paper only as the regular file it found', () => {
  it('a parent folder swapped for a link after the scan (O_NOFOLLOW guards the last name only): a FIFO or a device behind it is refused at once', async () => {
    const ctx = setup({'sub/a.md': secretPaper})
    const other = path.join(ctx.root, 'other')
    fs.mkdirSync(other)
    execFileSync('mkfifo', [path.join(other, 'a.md')])
    fs.rmSync(path.join(ctx.content, 'sub'), {recursive: true})
    fs.symlinkSync(other, path.join(ctx.content, 'sub'))
    const read = within(readInputs(ctx.content, ['sub/a.md']).then(() => 'read', (e) => e), 3000)
    const result = await read
    release(path.join(other, 'a.md'))
    expect(result).toBeInstanceOf(PaperChanged)
    // And a device through the swapped parent: /dev holds `zero`.
    fs.rmSync(path.join(ctx.content, 'sub'))
    fs.symlinkSync('/dev', path.join(ctx.content, 'sub'))
    await expect(readInputs(ctx.content, ['sub/zero'])).rejects.toThrow(PaperChanged)
    // And /proc through the parent: regular, size 0, read as empty (bounded).
    fs.rmSync(path.join(ctx.content, 'sub'))
    fs.symlinkSync('/proc/self', path.join(ctx.content, 'sub'))
    const [input] = await readInputs(ctx.content, ['sub/maps'])
    expect(input!.bytes.length).toBe(0)
  })

  // Was a HOLE (message; fixed): a paper whose name is not UTF-8 (`\xff.md`): readdir
  // gives `\uFFFD.md`, the open fails with ENOENT, and the run says the paper
  // "changed or was removed while this run was using it ... run the command
  // again", which it did not, and which no rerun cures. (Exit 1, nothing
  // published: closed, but the message sends the operator the wrong way.)
  it('a paper whose name is not UTF-8: exit 1 with a message that does not claim it changed', async () => {
    const ctx = setup()
    fs.writeFileSync(Buffer.concat([Buffer.from(ctx.content + '/'), Buffer.from([0xff]), Buffer.from('.md')]), paper(2))
    const run = await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW])
    expect(run.code).toBe(1)
    expect(fs.existsSync(ctx.out)).toBe(false)
    expect(run.stderr).not.toMatch(/changed or was removed/)
  })

  // Was a HOLE (message; fixed): a sparse 3 GB paper (`truncate -s 3G b.md`, no disk
  // used) is "changed or was removed while this run was using it
  // (ERR_OUT_OF_RANGE) ... run the command again"; one of 1.9 GB is read
  // whole (about 6 GB of memory and 12 s here, then encoding-not-utf8): no
  // size limit on a paper.
  it('a huge sparse paper: exit 1 with a message that does not claim it changed', async () => {
    const ctx = setup()
    const file = path.join(ctx.content, 'b.md')
    fs.writeFileSync(file, paper(2))
    fs.truncateSync(file, 3 * 1024 ** 3)
    const run = await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW])
    expect(run.code).toBe(1)
    expect(fs.existsSync(ctx.out)).toBe(false)
    expect(run.stderr).not.toMatch(/changed or was removed/)
  })

  // Was a HOLE (exit 70; fixed): a folder whose name is not UTF-8: readdir gives
  // `\uFFFD`, the scan's readdir of it throws ENOENT, uncaught:
  // "unexpected failure (a bug)", exit 70, from `build`, `release` and `check`.
  it('a folder whose name is not UTF-8: exit 1, not 70', async () => {
    const ctx = setup()
    const dir = Buffer.concat([Buffer.from(ctx.content + '/'), Buffer.from([0xff])])
    fs.mkdirSync(dir)
    fs.writeFileSync(Buffer.concat([dir, Buffer.from('/b.md')]), paper(2))
    const check = await runMopac(['check', '--content', ctx.content, '--now', NOW])
    const build = await runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW])
    expect(fs.existsSync(ctx.out)).toBe(false)
    expect([check.code, build.code]).toEqual([1, 1])
  })
})

describe('the readers the change left alone', () => {
  // Was a HOLE (hang; fixed): `mopac.config.json` is read with fs.readFile, no check of
  // what it is: a FIFO there blocks `build`, `release`, `check`, `schedule`,
  // `preview` for ever (a threadpool thread waits in open(2); the run never
  // ends: a cron release hangs until killed, later runs get exit 4 only
  // once it is). A link to /dev/zero reads 2 GB before failing.
  it('a FIFO as mopac.config.json: the run stops at once, no wait', async () => {
    const ctx = setup()
    const fifo = path.join(ctx.content, 'mopac.config.json')
    execFileSync('mkfifo', [fifo])
    const result = await within(loadSiteConfig(ctx.content, io()), 1500)
    release(fifo)
    expect(result).not.toBe('hung')
  })

  // Was a HOLE (hang; fixed): approvals.jsonl: lstat refuses a link, but a FIFO passes to
  // fs.readFile; with `approvals: 1` every build, release, check and
  // schedule waits on it for ever.
  it('a FIFO as approvals.jsonl: no wait', async () => {
    const ctx = setup()
    const fifo = path.join(ctx.content, 'approvals.jsonl')
    execFileSync('mkfifo', [fifo])
    const result = await within(readApprovals(ctx.content).then((r) => r, (e) => e), 1500)
    release(fifo)
    expect(result).not.toBe('hung')
  })

  // Was a HOLE (hang, signals unhandled while it lasts; fixed): the code frames of
  // `build`, `check` and `schedule` read each paper with an error again
  // (cli/report.ts readSource: statSync, following links, then a blocking
  // readFileSync). A paper swapped for a FIFO after the build read it (size 0
  // in stat, so under the 16 MB bound) blocks the main thread in open(2) for
  // ever; a link to /dev/zero reads until 2 GB. Here printMessages runs in a
  // child process on an outcome whose paper is now a FIFO.
  it('the code frame of a paper swapped for a FIFO after its read: no wait', async () => {
    const ctx = setup()
    const fifo = path.join(ctx.content, 'a.md')
    fs.rmSync(fifo)
    execFileSync('mkfifo', [fifo])
    const script = `
      const {printMessages} = await import(${JSON.stringify(path.join(repo, 'dist/cli/report.js'))})
      const io = {stdout: () => {}, stderr: (t) => process.stderr.write(t), isTTY: false, env: {}, now: () => new Date()}
      printMessages({problems: [], outcomes: [{path: ${JSON.stringify(fifo)}, relativePath: 'a.md', status: 'invalid', messages: [{reason: 'x', line: 1, column: 1, fatal: true, ruleId: 'r'}], redactions: [], exemptions: [], assetRefs: []}]}, io, 'content')
    `
    const run = await new Promise<{hung: boolean}>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: 'ignore'})
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve({hung: true})
      }, 4000)
      child.on('exit', () => {
        clearTimeout(timer)
        resolve({hung: false})
      })
    })
    release(fifo)
    expect(run.hung).toBe(false)
  }, 10_000)

  // Was a HOLE (hang; fixed): the preview re-reads a paper the watcher reports with
  // fs.readFile, no check: a FIFO (or a link to one, or to /dev/zero, which
  // chokidar follows) saved as `b.md` blocks a threadpool thread for ever;
  // four of them stop every file read of the preview.
  it('the preview: a FIFO appearing as a paper is refused, not waited on', async () => {
    const ctx = setup()
    const store = new PaperStore({content: ctx.content, realRoot: fs.realpathSync(ctx.content), now: () => new Date(NOW)})
    await store.load()
    const fifo = path.join(ctx.content, 'b.md')
    execFileSync('mkfifo', [fifo])
    const result = await within(store.refresh('b.md').then((r) => r, (e) => e), 1500)
    release(fifo)
    store.close()
    expect(result).not.toBe('hung')
  })

  // Was a HOLE (exit 70; fixed): `mopac new` reads every paper with fs.readFile: one
  // whose name is not UTF-8 is ENOENT, uncaught, exit 70 ("a bug").
  it('`mopac new` beside a paper whose name is not UTF-8: not exit 70', async () => {
    const ctx = setup()
    fs.writeFileSync(Buffer.concat([Buffer.from(ctx.content + '/'), Buffer.from([0xff]), Buffer.from('.md')]), paper(2))
    const run = await runMopac(['new', 'Body Worn Video Refresh', '--content', ctx.content])
    expect(run.code).not.toBe(70)
  })

  it('an attachment that is a FIFO, or a link to /dev/zero: refused, no wait', async () => {
    const ctx = setup({'a.md': paper(1, 'See [the data](./data.csv) and [more](./more.csv).')})
    execFileSync('mkfifo', [path.join(ctx.content, 'data.csv')])
    fs.symlinkSync('/dev/zero', path.join(ctx.content, 'more.csv'))
    const run = await within(runMopac(['build', '--content', ctx.content, '--out', ctx.out, '--state', ctx.state, '--now', NOW]), 8000)
    release(path.join(ctx.content, 'data.csv'))
    expect(run).not.toBe('hung')
    expect((run as {code: number}).code).toBe(1)
    expect(fs.existsSync(ctx.out)).toBe(false)
  })
})

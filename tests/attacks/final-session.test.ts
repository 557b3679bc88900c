/**
 * Final red team of the session b1c28fb..HEAD: false refusals of ordinary
 * layouts (the repository's own content folder reached in every usual way,
 * accented/NFD/emoji names, nested papers, `index.md`), and the leak check's
 * listing against the build's scan.
 *
 * Each `it` asserts the SAFE/CORRECT behaviour; a hole is `it.fails` with a
 * comment saying what happens instead.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {scanContent} from '../../src/content/discover.js'
import {verify} from '../../src/verify/index.js'
import {repo, runMopac} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

const NOW = '2026-06-01T12:00:00Z'
const realContent = path.join(repo, 'content')
const NFD = 'Re\u0301sume\u0301'
const NFC = 'R\u00e9sum\u00e9'
const SECRET = 'Quillabrenthor pricing'

const paper = (n: number, body = `Public text about estates number ${n}.`) =>
  `---\nid: PCD ${n}\ntitle: Estates decision ${n}\ndate: "2026-01-10"\nclassification: OFFICIAL\nsummary: Summary of decision ${n}.\n---\n\n${body}\n`

function copyContent(to: string): void {
  fs.cpSync(realContent, to, {recursive: true})
}

/** The repository's content plus nested papers under accented, NFD, emoji names, two `index.md`, attachments in an accented folder. */
function realWorld(root: string): string {
  const c = path.join(root, 'c')
  copyContent(c)
  const src1012 = fs.readFileSync(path.join(c, fs.readdirSync(c).find((n) => n.startsWith('pcd-1012'))!), 'utf8')
  const src1301 = fs.readFileSync(path.join(c, fs.readdirSync(c).find((n) => n.startsWith('pcd-1301'))!), 'utf8')
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(c, rel)), {recursive: true})
    fs.writeFileSync(path.join(c, rel), text)
  }
  put(`2024/${NFD}/décision 1.md`, src1012.replace('PCD 1012', 'PCD 2001'))
  put('2025/Ünïcode 🚀/🚀 launch.md', src1012.replace('PCD 1012', 'PCD 2002'))
  put('index.md', src1012.replace('PCD 1012', 'PCD 2003'))
  put('2024/index.md', src1012.replace('PCD 1012', 'PCD 2004'))
  put('Pièces jointes/chart é.svg', fs.readFileSync(path.join(c, 'images/spend-by-year.svg'), 'utf8'))
  put('2024/att.md', src1301.replace('PCD 1301', 'PCD 2005').replace('./images/spend-by-year.svg', '../Pièces jointes/chart é.svg'))
  put('angle.md', src1301.replace('PCD 1301', 'PCD 2007').replace('./images/spend-by-year.svg', '<./Pièces jointes/chart é.svg>'))
  put('pct.md', src1301.replace('PCD 1301', 'PCD 2008').replace('./images/spend-by-year.svg', './Pi%C3%A8ces%20jointes/chart%20%C3%A9.svg'))
  put(`${NFD}/secret.md`, paper(2009, `Public text about estates.\n\n:::official-sensitive{exemptions="s43"}\n${SECRET}.\n:::`))
  return c
}

describe('1. ordinary layouts still build (no false refusal)', () => {
  // Held: the repository's content folder given as a dot-folder path, with a
  // trailing slash, as `./x/`, through a symlink (with and without slash) and
  // as `../link/`: build exit 0, and the leak check reads all 7 papers.
  it('the real content folder reached every usual way: builds, and the check reads every paper', async () => {
    const root = tempDir('mopac-fs-')
    fs.mkdirSync(path.join(root, '.site'))
    copyContent(path.join(root, '.site/content'))
    fs.symlinkSync(path.join(root, '.site/content'), path.join(root, 'link'))
    for (const c of ['.site/content', '.site/content/', './.site/content/', 'link', 'link/', `../${path.basename(root)}/link/`]) {
      const out = path.join(root, 'out'), st = path.join(root, 'st')
      fs.rmSync(out, {recursive: true, force: true})
      fs.rmSync(st, {recursive: true, force: true})
      const r = await runMopac(['build', '--content', c, '--out', 'out', '--state', 'st', '--now', NOW], {cwd: root, now: new Date(NOW)})
      expect(r.code, `${c}: ${r.stderr}`).toBe(0)
      const v = await verify({content: path.join(root, c), out, now: new Date(NOW)})
      expect(v.papers, c).toBe(7)
      expect(v.hits).toEqual([])
    }
  }, 60_000)

  // Held: nested papers under NFD/NFC/emoji names, two index.md, an
  // attachment in `Pièces jointes/` referenced plainly, in <...>, and
  // percent-encoded: build 0, check 0, all 15 papers read by the leak check.
  it('nested accented / NFD / emoji / index.md papers and accented attachment folders build, and `check` passes', async () => {
    const root = tempDir('mopac-fs-')
    const c = realWorld(root)
    const r = await runMopac(['build', '--content', 'c', '--out', 'out', '--state', 'st', '--now', NOW], {cwd: root, now: new Date(NOW)})
    expect(r.code, r.stderr).toBe(0)
    const chk = await runMopac(['check', '--content', 'c', '--now', NOW], {cwd: root, now: new Date(NOW)})
    expect(chk.code, chk.stderr).toBe(0)
    const scan = await scanContent(c)
    expect(scan.papers.length).toBe(15)
    const v = await verify({content: c, out: path.join(root, 'out'), now: new Date(NOW)})
    expect(v.papers).toBe(15)
    expect(v.hits).toEqual([])
    expect(fs.readdirSync(path.join(root, 'out/decisions'))).toEqual(expect.arrayContaining(['pcd-2001', 'pcd-2002', 'pcd-2003', 'pcd-2004', 'pcd-2005', 'pcd-2007', 'pcd-2008', 'pcd-2009']))
  }, 60_000)

  // Held: `mopac new` in that folder suggests a free number and writes a draft; exit 0.
  it('`mopac new` on the real-world folder', async () => {
    const root = tempDir('mopac-fs-')
    realWorld(root)
    const r = await runMopac(['new', 'A new decision', '--content', 'c/'], {cwd: root, now: new Date(NOW)})
    expect(r.code, r.stderr).toBe(0)
  }, 30_000)

  // Was a HOLE (fixed: a linked file over 64 MiB is skipped again; an output
  // file that large is refused instead) (regression since b1c28fb, commit 092b75f): a public paper that only
  // MENTIONS a large file in a code span (`[report](./big.pdf)`, not a link:
  // the build copies nothing and the paper is fine) makes the leak check's
  // regex-based ref finder pick up `big.pdf`; it is over 64 MiB, so verify
  // now throws "which public text links to, is larger than 64 MiB" and the
  // build exits 1. At b1c28fb the same folder built (exit 0): the file was
  // skipped. Same for a fenced code block. A false refusal of legitimate
  // content (a large data file kept beside papers that document its path).
  it('a paper mentioning a >64 MiB PDF in a code span still builds', async () => {
    const root = tempDir('mopac-fs-')
    const c = path.join(root, 'c')
    fs.mkdirSync(c)
    fs.writeFileSync(path.join(c, 'p.md'), paper(3001, 'Public text. The raw file is at `[report](./big.pdf)` for reference.'))
    fs.writeFileSync(path.join(c, 'big.pdf'), '%PDF-1.4\n')
    fs.truncateSync(path.join(c, 'big.pdf'), 70 * 1024 * 1024)
    const r = await runMopac(['build', '--content', 'c', '--out', 'out', '--state', 'st', '--now', NOW], {cwd: root, now: new Date(NOW)})
    expect(r.code, r.stderr).toBe(0)
  }, 30_000)
})

describe('2. the leak check reads every paper the build publishes', () => {
  // Held: a secret from a paper in an NFD-named folder, in a content folder
  // reached through a symlink whose target sits under a dot-folder, is found
  // by the check when a site carries it.
  it('secret of a paper under an NFD folder, content via symlink into a dot-folder: found', async () => {
    const root = tempDir('mopac-fs-')
    fs.mkdirSync(path.join(root, '.hidden'))
    const c = path.join(root, '.hidden/c')
    fs.mkdirSync(path.join(c, NFD), {recursive: true})
    fs.writeFileSync(path.join(c, NFD, 'p.md'), paper(4001, `Public text about estates.\n\n:::official-sensitive{exemptions="s43"}\n${SECRET}.\n:::`))
    fs.mkdirSync(path.join(c, NFC), {recursive: true})
    fs.writeFileSync(path.join(c, NFC, 'p.md'), paper(4002))
    fs.symlinkSync(c, path.join(root, 'link'))
    const out = path.join(root, 'leaked')
    fs.mkdirSync(out)
    fs.writeFileSync(path.join(out, 'index.html'), `<!doctype html><title>x</title><p>${SECRET}.</p>\n`)
    for (const content of [path.join(root, 'link'), path.join(root, 'link') + '/', c]) {
      const v = await verify({content, out, now: new Date(NOW)})
      expect(v.papers).toBe(2)
      expect(v.hits.length).toBeGreaterThan(0)
    }
    // And the build itself refuses nothing here and publishes no secret.
    const r = await runMopac(['build', '--content', 'link/', '--out', 'out', '--state', 'st', '--now', NOW], {cwd: root, now: new Date(NOW)})
    expect(r.code, r.stderr).toBe(0)
    const all = fs.readdirSync(path.join(root, 'out'), {recursive: true}).map(String).filter((f) => fs.statSync(path.join(root, 'out', f)).isFile())
    for (const f of all) expect(fs.readFileSync(path.join(root, 'out', f)).includes('Quillabrenthor')).toBe(false)
  }, 60_000)
})

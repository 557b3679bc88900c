#!/usr/bin/env node
/**
 * Build benchmark: `npm run bench [-- --papers 1000,4000,20000] [--out-doc FILE | --no-doc] [--seed N] [--keep] [--peers [--pairs N]]`;
 * `--sizes` (one paper's size) and `--parsers` (what parsing alone costs) are below.
 *
 * For each corpus size it generates a synthetic corpus (scripts/gen-corpus.js)
 * in a temporary folder, then times `mopac build` in a fresh process for each
 * scenario, in this order (each one starts from the state the previous left):
 *
 *  cold --no-cache  the cache switched off (only when `build --no-cache` exists)
 *  cold             empty state folder: nothing cached yet (the run fills it)
 *  no change        the same content and --now again
 *  edit one         one public paper has a sentence appended (the first
 *                   swap after the cold build: no spare site beside --out yet)
 *  edit again       the same paper, another sentence (the site the edit
 *                   replaced is the spare the build moves folders from)
 *  add one          one new public paper (the generator's: its withheld text is
 *                   made of words and amounts other papers already withhold)
 *  add withheld     one new public paper whose withheld block says something
 *                   no paper said before (a new supplier, a new amount): what
 *                   a real new decision brings
 *  edit deferred    a sentence appended to a paper deferred past --now (all
 *                   of its text is withheld until then)
 *  now moves        same content, --now one minute after a deferred paper falls due
 *  verify           `mopac verify` alone on the last site: the share of each
 *                   build above that is the independent leak check
 *
 * Per run it records the wall time (spawn to exit, so Node start-up is
 * included), the peak RSS of the mopac process (kernel high-water mark, worker
 * threads included; read by a preloaded script at exit) and, on Linux, the
 * peak summed RSS of the whole process tree (child processes, such as the
 * Pagefind indexer of older builds, included; sampled every 50 ms, so it can miss short peaks).
 * The content, output and state folders live under os.tmpdir() and are
 * removed at the end unless --keep.
 *
 * With --peers it also builds the same papers with Eleventy (a dev
 * dependency) and, where a `hugo` is on PATH (Debian's package), with Hugo and
 * then the Pagefind CLI (a dev dependency, node_modules/.bin/pagefind) on
 * Hugo's output. The peers' projects (the generated papers, a minimal layout,
 * a listing page) are written once, before the scenarios above and untimed;
 * after them come --pairs N pairs (default 3), each one mopac cold build
 * (`--no-cache`, fresh output and state) and one build by each peer, mopac
 * first in odd pairs and the peers first in even ones, every run measured the
 * same way (wall; process-tree RSS sampled every 50 ms, and the kernel
 * high-water mark of a Node.js process). It prints and writes to the doc each
 * tool's median wall time, peak memory and mopac's ratio to it.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'
import {generateBigPaper} from './gen-big-paper.js'
import {DEFAULT_NOW, generateCorpus, generatePaper} from './gen-corpus.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(root, 'bin', 'mopac.js')
export const DEFAULT_DOC = path.join(root, 'docs', 'benchmarks.md')

export const SCENARIOS = {
  'cold-no-cache': 'cold, --no-cache',
  cold: 'cold, empty cache',
  'no-change': 'no-change rebuild',
  edit: 'edit one paper',
  'edit-again': 'edit it again',
  'edit-replace': 'edit, words replaced',
  add: 'add one paper',
  'add-withheld': 'add one, new withheld',
  'edit-deferred': 'edit a deferred paper',
  now: '--now past a deferral',
  verify: 'verify alone (the leak check every build runs)'
}

const RSS_PRELOAD = `// Written by scripts/bench.js: record the peak RSS (KiB) and CPU time (s, worker threads included) of this process at exit.
const {isMainThread} = require('node:worker_threads')
if (isMainThread && process.env.MOPAC_BENCH_RSS_FILE) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    try { require('node:fs').writeFileSync(process.env.MOPAC_BENCH_RSS_FILE, JSON.stringify({maxRSS: usage.maxRSS, cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6})) } catch {}
  })
}
`

/** Whether this build of mopac accepts `build --no-cache`. */
export async function supportsNoCache() {
  const result = await run(process.execPath, [bin, 'build', '--no-cache', '--help'], {})
  return result.code === 0
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd: root, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr, pid: child.pid}))
  })
}

// ---------------------------------------------------------------------------
// Process-tree RSS sampling (Linux /proc; elsewhere it reports nothing)

const PAGE = 4096

function readStat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return {ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE}
  } catch {
    return undefined
  }
}

function treeRss(rootPid) {
  const children = new Map()
  const stats = new Map()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = readStat(name)
    if (!stat) continue
    const pid = Number(name)
    stats.set(pid, stat)
    if (!children.has(stat.ppid)) children.set(stat.ppid, [])
    children.get(stat.ppid).push(pid)
  }
  let total = 0
  const stack = [rootPid]
  while (stack.length > 0) {
    const pid = stack.pop()
    total += stats.get(pid)?.rss ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return total
}

// ---------------------------------------------------------------------------
// One measured build

async function measureBuild({content, out, state, now, noCache, tmp, extraArgs = []}) {
  const args = [bin, 'build', '--content', content, '--out', out, '--now', now, '--state', state, ...(noCache ? ['--no-cache'] : []), ...extraArgs]
  const result = await measureProcess({command: process.execPath, args, tmp, node: true, what: `mopac build ${args.slice(2).join(' ')}`})
  const published = /Published (\d+) papers/.exec(result.stdout) ?? /\((\d+) papers published/.exec(result.stdout)
  const cached = /(\d+) from cache/.exec(result.stdout)
  return {
    wallSeconds: result.wallSeconds,
    cpuSeconds: result.cpuSeconds,
    peakRssMiB: result.ownMiB,
    treeRssMiB: Number.isNaN(result.treeMiB) ? undefined : Math.max(result.treeMiB, result.ownMiB),
    published: published ? Number(published[1]) : undefined,
    fromCache: cached ? Number(cached[1]) : undefined,
    stdout: result.stdout
  }
}

/** Time one mopac command (wall, peak RSS); it must exit 0. */
async function measureCommand(argv, tmp) {
  const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}.txt`)
  const preload = path.join(tmp, 'rss-preload.cjs')
  if (!fs.existsSync(preload)) fs.writeFileSync(preload, RSS_PRELOAD)
  const started = process.hrtime.bigint()
  const result = await run(process.execPath, ['--require', preload, bin, ...argv], {MOPAC_BENCH_RSS_FILE: rssFile})
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.code !== 0) throw new Error(`mopac ${argv.join(' ')} exited with ${result.code}\n${String(result.stdout).slice(-2000)}${String(result.stderr).slice(-2000)}`)
  const {kib, cpu} = readUsage(rssFile)
  return {wallSeconds, cpuSeconds: cpu, peakRssMiB: kib / 1024}
}

/** Peak RSS (KiB) and CPU seconds the preload wrote; NaN when it did not run. */
function readUsage(file) {
  try {
    const usage = JSON.parse(fs.readFileSync(file, 'utf8'))
    fs.rmSync(file)
    return {kib: Number(usage.maxRSS), cpu: Number(usage.cpu)}
  } catch {
    return {kib: NaN, cpu: NaN}
  }
}

// ---------------------------------------------------------------------------
// The benchmark

/**
 * Run the benchmark for each corpus size. Returns one row per (size, scenario).
 * With `peers`, also builds each corpus with Eleventy and, where `hugo` is
 * installed, Hugo + Pagefind, in `pairs` pairs alternating with mopac's cold
 * build (runPeers); the results are on the returned array's `peers`.
 * @param {{papers?: number | number[], seed?: number, now?: string, doc?: string | boolean, keep?: boolean, scenarios?: string[], log?: (line: string) => void, command?: string, peers?: boolean, pairs?: number}} [options]
 */
export async function runBench(options = {}) {
  const sizes = [options.papers ?? 4000].flat().map(Number)
  const seed = options.seed ?? 1
  const now = options.now ?? DEFAULT_NOW
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'))
  const wanted = new Set(options.scenarios ?? Object.keys(SCENARIOS))
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` first (npm run bench does)')
  const noCache = await supportsNoCache()
  if (!noCache) log('note: `mopac build --no-cache` is not accepted by this build; "cold" deletes <state>/cache before the run instead.')
  const pairs = options.pairs ?? DEFAULT_PAIRS
  if (options.peers && !(Number.isInteger(pairs) && pairs >= 1)) throw new Error(`--pairs must be a whole number of at least 1, got ${pairs}`)
  const peers = options.peers ? await findPeers() : undefined
  if (peers) for (const peer of Object.values(peers)) log(`peer: ${peer.name}${peer.version ? ' ' + peer.version : ''}${peer.missing ? ': ' + peer.missing : ''}`)
  const rows = []
  const runs = []
  const peerResults = []
  for (const papers of sizes) {
    if (!Number.isInteger(papers) || papers < 2) throw new Error(`--papers must be whole numbers of at least 2, got ${papers}`)
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mopac-bench-${papers}-`))
    const content = path.join(tmp, 'content')
    const out = path.join(tmp, 'site')
    const state = path.join(tmp, 'state')
    const info = {papers, tmp, cacheAfterCold: false, noCache}
    runs.push(info)
    try {
      let t = process.hrtime.bigint()
      const manifest = generateCorpus(content, {papers, seed, now})
      log(`${papers} papers (${(manifest.bytes / 1048576).toFixed(1)} MiB) generated in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s under ${tmp}`)
      // The peers' projects, from the corpus as generated (the scenarios below edit it).
      let prepared
      if (peers) {
        t = process.hrtime.bigint()
        prepared = preparePeers(content, path.join(tmp, 'peers'))
        log(`  peer projects (Eleventy, Hugo) and a copy for mopac written in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s (not timed)`)
      }
      const measure = async (key, buildNow = now, flags = {}) => {
        if (!wanted.has(key)) return
        const result = await measureBuild({content, out, state, now: buildNow, tmp, ...flags})
        const row = {scenario: SCENARIOS[key], key, papers, wallSeconds: result.wallSeconds, cpuSeconds: result.cpuSeconds, peakRssMiB: result.peakRssMiB, treeRssMiB: result.treeRssMiB, published: result.published, fromCache: result.fromCache}
        rows.push(row)
        log(`  ${row.scenario.padEnd(24)} ${String(papers).padStart(6)} papers  ${result.wallSeconds.toFixed(2).padStart(7)} s  ${fmt(result.cpuSeconds, 2).padStart(7)} s CPU  ${fmt(result.peakRssMiB).padStart(6)} MiB` + (row.treeRssMiB ? ` (tree ${fmt(row.treeRssMiB)} MiB)` : '') + (row.published !== undefined ? `  ${row.published} published` : '') + (row.fromCache !== undefined ? `, ${row.fromCache} from cache` : ''))
        return row
      }

      // (a) cold
      if (noCache) await measure('cold-no-cache', now, {noCache: true})
      // A cold build starts from nothing: no cache, no leak check's memory
      // (a --no-cache build leaves one), and no site to compare with.
      fs.rmSync(path.join(state, 'cache'), {recursive: true, force: true})
      fs.rmSync(path.join(state, 'verify'), {recursive: true, force: true})
      fs.rmSync(out, {recursive: true, force: true})
      await measure('cold')
      info.cacheAfterCold = fs.existsSync(path.join(state, 'cache'))
      // (b) nothing changed
      await measure('no-change')
      // (c) one public paper edited
      const edited = manifest.papers.find((p) => p.isPublic)
      if (wanted.has('edit')) fs.appendFileSync(path.join(content, edited.file), '\nThe Deputy Mayor asked for a further progress report in six months.\n')
      await measure('edit')
      // (c2) the same paper again: the usual case, with the spare beside --out
      if (wanted.has('edit-again')) fs.appendFileSync(path.join(content, edited.file), '\nA further report is due in twelve months.\n')
      await measure('edit-again')
      // (c3) words of it replaced, not added: its old public text had runs of
      // words its new text lacks, and the leak check looks again at what
      // those runs made public.
      if (wanted.has('edit-replace')) {
        const file = path.join(content, edited.file)
        const text = fs.readFileSync(file, 'utf8')
        fs.writeFileSync(file, text.replace('A further report is due in twelve months.', 'A further report is due in nine months.'))
      }
      await measure('edit-replace')
      // (d) one public paper added
      if (wanted.has('add')) {
        let next = papers
        let paper = generatePaper(next, {seed, now})
        while (!paper.isPublic) paper = generatePaper(++next, {seed, now})
        fs.writeFileSync(path.join(content, paper.file), paper.text)
      }
      await measure('add')
      // (d2) a paper whose withheld block says what no paper said before.
      // Why: the generator's withheld sentences repeat across papers, so its
      // added paper brings no new secret; a real one does, and the leak check
      // then searches every public text and output file for it.
      if (wanted.has('add-withheld')) {
        let next = papers + 1000
        let paper = generatePaper(next, {seed, now})
        while (!paper.isPublic) paper = generatePaper(++next, {seed, now})
        const withheld = `\n:::official-sensitive{exemptions="s43"}\nThe negotiated day rate with Quillbrook Vantage Partners is £73,951, agreed after the Varrow Hythe review of ${papers} tenders.\n:::\n`
        fs.writeFileSync(path.join(content, paper.file), paper.text + withheld)
      }
      await measure('add-withheld')
      // (d3) a deferred paper edited before its date: all its text is withheld.
      const deferred = manifest.papers.find((p) => p.deferUntil && !p.isPublic && p.classification === 'OFFICIAL' && !manifest.dueSoon.includes(p))
      if (wanted.has('edit-deferred')) {
        if (deferred) fs.appendFileSync(path.join(content, deferred.file), '\nThe Deputy Mayor asked for a further progress report in six months.\n')
        else log('  (no paper deferred past --now: "edit deferred" scenario skipped)')
      }
      if (deferred) await measure('edit-deferred')
      // (e) only --now moves past a deferral
      const due = manifest.dueSoon[0]
      if (due) await measure('now', new Date(Date.parse(due.deferUntil) + 60_000).toISOString().replace('.000Z', 'Z'))
      else if (wanted.has('now')) log('  (no deferral falls due within a day of --now: "now" scenario skipped)')
      // (f) the leak check alone, on the site the last build wrote
      if (wanted.has('verify')) {
        const verifyNow = due ? new Date(Date.parse(due.deferUntil) + 60_000).toISOString().replace('.000Z', 'Z') : now
        const result = await measureCommand(['verify', '--content', content, '--out', out, '--now', verifyNow], tmp)
        const row = {scenario: SCENARIOS.verify, key: 'verify', papers, wallSeconds: result.wallSeconds, cpuSeconds: result.cpuSeconds, peakRssMiB: result.peakRssMiB, treeRssMiB: undefined, published: undefined, fromCache: undefined}
        rows.push(row)
        log(`  ${row.scenario.padEnd(24)} ${String(papers).padStart(6)} papers  ${result.wallSeconds.toFixed(2).padStart(7)} s  ${fmt(result.peakRssMiB).padStart(6)} MiB`)
      }
      // (g) --peers: mopac's cold build against Eleventy and Hugo + Pagefind, alternating
      if (peers) peerResults.push(await runPeers({papers, prepared, dir: path.join(tmp, 'peers'), now, pairs, noCache, peers, keep: options.keep, log}))
    } finally {
      if (!options.keep) fs.rmSync(tmp, {recursive: true, force: true})
    }
  }
  log('')
  log(formatTable(rows))
  for (const result of peerResults) log(`\nPeers, ${result.papers} papers:\n\n${formatPeersTable(result)}`)
  if (options.doc) {
    const file = options.doc === true ? DEFAULT_DOC : path.resolve(options.doc)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, formatDoc(rows, {command: options.command ?? `npm run bench -- --papers ${sizes.join(',')}${peers ? ' --peers' : ''}`, now, seed, runs, peers: peers ? peerResults : undefined}))
    log(`\nWrote ${path.relative(process.cwd(), file) || file}`)
  }
  if (peers) rows.peers = peerResults
  return rows
}

/** The paper sizes of the size series, in MB (10^6 bytes). */
export const DEFAULT_SIZES = [0.3, 0.65, 1.5, 3]

/** The corpus sizes `npm run bench` measures when given no --papers. */
export const DEFAULT_PAPERS = [1000, 4000, 20000]

/**
 * The size series: for each size, a content folder of 8 ordinary papers
 * (scripts/gen-corpus.js) and one generated paper of that size
 * (scripts/gen-big-paper.js: numbered paragraphs, each with emphasis, a link
 * and a small table), built cold with `--no-cache` (and a paper time budget
 * long enough not to stop it). A paper's cost should grow linearly with its
 * size. Returns one row per size.
 * @param {{sizes?: number[], seed?: number, now?: string, log?: (line: string) => void, keep?: boolean, paperTimeout?: number}} [options]
 */
export async function runSizeSeries(options = {}) {
  const sizes = options.sizes ?? DEFAULT_SIZES
  const now = options.now ?? DEFAULT_NOW
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'))
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` first (npm run bench does)')
  const rows = []
  for (const megabytes of sizes) {
    if (!(megabytes > 0)) throw new Error(`--sizes must be positive numbers of megabytes, got ${megabytes}`)
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mopac-bench-size-${megabytes}-`))
    try {
      const content = path.join(tmp, 'content')
      generateCorpus(content, {papers: 8, seed: options.seed ?? 1, now})
      const {text, paragraphs} = generateBigPaper({bytes: Math.round(megabytes * 1e6), seed: options.seed ?? 1})
      fs.writeFileSync(path.join(content, 'large-paper.md'), text)
      const bytes = Buffer.byteLength(text)
      const result = await measureBuild({content, out: path.join(tmp, 'site'), state: path.join(tmp, 'state'), now, tmp, noCache: true, extraArgs: ['--paper-timeout', String(options.paperTimeout ?? 3600)]})
      const row = {megabytes, bytes, paragraphs, wallSeconds: result.wallSeconds, cpuSeconds: result.cpuSeconds, peakRssMiB: result.peakRssMiB, treeRssMiB: result.treeRssMiB, published: result.published}
      rows.push(row)
      log(`  ${(bytes / 1e6).toFixed(2).padStart(5)} MB paper (${paragraphs} paragraphs) + 8 papers  ${result.wallSeconds.toFixed(2).padStart(7)} s wall  ${fmt(result.cpuSeconds, 2).padStart(7)} s CPU  ${fmt(result.peakRssMiB).padStart(6)} MiB` + (row.treeRssMiB ? ` (tree ${fmt(row.treeRssMiB)} MiB)` : ''))
    } finally {
      if (!options.keep) fs.rmSync(tmp, {recursive: true, force: true})
    }
  }
  log('')
  log(formatSizeTable(rows))
  return rows
}

/**
 * The parsers' floor (`--parsers`): what parsing and writing alone cost on
 * the bench's own papers, one thread, nothing else running: Eleventy's
 * parser (markdown-it), micromark's CommonMark tree with no extension, the
 * pipeline's own parse, and the two writers every public paper goes through
 * (scripts/bench-parsers.js; one process per measurement, the fastest of
 * `runs` passes after a warm-up). For `papers` papers (default 4,000) and
 * one generated paper of `megabytes` MB (default 3). Returns one row per
 * measurement.
 * @param {{papers?: number, megabytes?: number, seed?: number, now?: string, runs?: number, log?: (line: string) => void, keep?: boolean}} [options]
 */
export async function runParserFloor(options = {}) {
  const papers = options.papers ?? 4000
  const megabytes = options.megabytes ?? 3
  const log = options.log ?? ((line) => process.stdout.write(line + '\n'))
  const {PARSERS} = await import('./bench-parsers.js')
  if (!(Number.isInteger(papers) && papers >= 1)) throw new Error(`--papers must be one whole number for --parsers, got ${papers}`)
  if (!(megabytes > 0)) throw new Error(`--sizes must be one positive number of megabytes for --parsers, got ${megabytes}`)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-bench-parsers-'))
  try {
    const content = path.join(tmp, 'content')
    generateCorpus(content, {papers, seed: options.seed ?? 1, now: options.now ?? DEFAULT_NOW})
    const big = path.join(tmp, 'large-paper.md')
    fs.writeFileSync(big, generateBigPaper({bytes: Math.round(megabytes * 1e6), seed: options.seed ?? 1}).text)
    const rows = []
    for (const parser of PARSERS) {
      const row = {parser}
      for (const [what, target] of [['papers', content], ['paper', big]]) {
        const result = await run(process.execPath, [path.join(root, 'scripts', 'bench-parsers.js'), '--parser', parser, '--runs', String(options.runs ?? 3), target], {})
        if (result.code !== 0) throw new Error(`bench-parsers --parser ${parser} failed (${result.code ?? result.signal}):\n${result.stderr}`)
        const measured = JSON.parse(result.stdout.trim().split('\n').pop())
        row[what] = measured
      }
      rows.push(row)
      log(`  ${PARSER_LABELS[parser].padEnd(58)} ${row.papers.seconds.toFixed(2).padStart(7)} s for ${row.papers.files} papers  ${row.paper.seconds.toFixed(2).padStart(6)} s for ${(row.paper.bytes / 1e6).toFixed(1)} MB`)
    }
    log('')
    log(formatParserTable(rows))
    return rows
  } finally {
    if (!options.keep) fs.rmSync(tmp, {recursive: true, force: true})
  }
}

const PARSER_LABELS = {
  'markdown-it': "markdown-it, Eleventy's parser (tokens)",
  commonmark: 'micromark to mdast, CommonMark only (no extension)',
  pipeline: "the pipeline's parse (GFM, directives, pieces, limits)",
  'to-markdown': 'mdast-util-to-markdown (the CommonMark tree)',
  'to-html': 'mdast-util-to-hast + hast-util-to-html (same tree)'
}

/** A Markdown table of the parsers' floor. */
export function formatParserTable(rows) {
  const first = rows[0]
  const lines = [
    `| parsing or writing alone, one thread | ${first.papers.files} papers, ${(first.papers.bytes / 1e6).toFixed(1)} MB (s) | ms a paper | one paper of ${(first.paper.bytes / 1e6).toFixed(1)} MB (s) |`,
    '| --- | ---: | ---: | ---: |'
  ]
  for (const r of rows) lines.push(`| ${PARSER_LABELS[r.parser] ?? r.parser} | ${r.papers.seconds.toFixed(2)} | ${((r.papers.seconds * 1000) / r.papers.files).toFixed(2)} | ${r.paper.seconds.toFixed(2)} |`)
  return lines.join('\n')
}

/** A Markdown table of the size series. */
export function formatSizeTable(rows) {
  const lines = ['| paper (MB) | paragraphs | wall (s) | CPU (s) | peak RSS (MiB) | process tree peak (MiB) |', '| ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const r of rows) lines.push(`| ${(r.bytes / 1e6).toFixed(2)} | ${r.paragraphs} | ${fmt(r.wallSeconds, 2)} | ${fmt(r.cpuSeconds, 2)} | ${fmt(r.peakRssMiB)} | ${fmt(r.treeRssMiB)} |`)
  return lines.join('\n')
}

function fmt(value, digits = 0) {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits)
}

/** A Markdown table of rows (also readable as plain text). */
export function formatTable(rows) {
  const lines = ['| scenario | papers | wall (s) | peak RSS (MiB) | process tree peak (MiB) | published | from cache | CPU (s) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const r of rows) lines.push(`| ${r.scenario} | ${r.papers} | ${fmt(r.wallSeconds, 2)} | ${fmt(r.peakRssMiB)} | ${fmt(r.treeRssMiB)} | ${r.published ?? 'n/a'} | ${r.fromCache ?? 'n/a'} | ${fmt(r.cpuSeconds, 2)} |`)
  return lines.join('\n')
}

export function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    parallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: os.totalmem() / 1073741824,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg().map((n) => n.toFixed(1)).join(', '),
    date: new Date().toISOString().slice(0, 10)
  }
}

function formatDoc(rows, {command, now, seed, runs, peers}) {
  const m = machine()
  const sizes = [...new Set(rows.map((r) => r.papers))]
  const parts = [
    '# Build benchmarks',
    '',
    '<!-- Generated by scripts/bench.js; rerun `npm run bench` to refresh. -->',
    '',
    `Measured ${m.date} with:`,
    '',
    '```sh',
    command,
    '```',
    '',
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${m.cpu} |`,
    `| cores | ${m.cores} (available parallelism ${m.parallelism}) |`,
    `| memory | ${m.memoryGiB.toFixed(1)} GiB |`,
    `| Node.js | ${m.node} |`,
    `| OS | ${m.os} |`,
    `| load average (1, 5, 15 min) when the doc was written | ${m.load} |`,
    '',
    `Corpus: \`scripts/gen-corpus.js\`, seed ${seed}: papers of 8-12 KB with tables, lists, footnotes and links; about a third with sensitive blocks, a quarter with sensitive names, a tenth deferred and 3% withheld whole. Every build is at \`--now ${now}\` except the last scenario.`,
    ''
  ]
  for (const papers of sizes) {
    const info = runs.find((r) => r.papers === papers)
    parts.push(`## ${papers} papers`, '', formatTable(rows.filter((r) => r.papers === papers)), '')
    if (info) parts.push(`\`--no-cache\` ${info.noCache ? 'accepted' : 'not accepted by this build (the cold run deleted `<state>/cache` instead)'}; \`<state>/cache\` ${info.cacheAfterCold ? 'present' : 'absent'} after the cold build.`, '')
  }
  parts.push(
    '## How to read this',
    '',
    '- Each row is one `mopac build` in a fresh Node.js process, run once, in the order shown; each starts from the content, output and state the previous run left. **wall** is spawn to exit, Node start-up included.',
    '- **cold, --no-cache** builds without reading the cache (it stores every paper there anew); **cold, empty cache** starts from an empty state folder and fills the cache. **no-change** rebuilds the same content; **edit one paper** appends a sentence to one public paper (the first swap after the cold builds, so no spare site is beside `--out` yet: every kept file is linked from the live site); **edit it again** appends another (the site the edit replaced is the spare, whose folders the build moves into the new site); **add one paper** adds a public paper (the generator\'s: its withheld words are ones other papers withhold); **add one, new withheld** adds a public paper whose withheld block names a supplier and a price no paper has, and **edit a deferred paper** appends a sentence to a paper deferred past `--now` (both bring withheld words new to the leak check, which then searches the public text of every paper and every file); **--now past a deferral** changes nothing but `--now`, set one minute after a deferred paper falls due, so that paper is published (the **published** count goes up by one). **from cache** is how many papers the build took from `<state>/cache` (as the build reports it; n/a when it does not).',
    '- With a working cache the last four rows should cost far less than the cold build: what remains is reading and hashing the content, rendering the site and writing it out.',
    '- **CPU** is the user and system time of the mopac process (worker threads included): on a shared machine it varies much less than **wall**.',
    '- **peak RSS** is the kernel high-water mark of the mopac process (worker threads included). **process tree peak** adds child processes (mopac starts none; the Pagefind indexer of older builds did) and is sampled every 50 ms, so it can miss short peaks; n/a where `/proc` is not available.',
    '- Single runs on a shared machine vary by 10-20%; compare rows of one run, and rerun before drawing conclusions from small differences.',
    ''
  )
  if (peers) parts.push(formatPeersDoc(peers, m))
  return parts.join('\n')
}

// ---------------------------------------------------------------------------
// Peers (--peers): the same corpus built by Eleventy and by Hugo + Pagefind,
// in pairs that alternate with mopac's cold build

export const DEFAULT_PAIRS = 3

/**
 * Time one process (every mopac build of the bench too): wall is spawn to
 * exit. Memory: on Linux the summed RSS of the whole process tree, sampled
 * every 50 ms, and for a Node.js process (`node: true`, started with the RSS
 * preload) also its own kernel high-water mark; **memoryMiB** is the larger of
 * the two. The peer comparison measures every tool, mopac included, with this.
 */
async function measureProcess({command, args, cwd = root, env = {}, tmp, node = false, what}) {
  let argv = args
  let rssFile
  if (node) {
    rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}.txt`)
    const preload = path.join(tmp, 'rss-preload.cjs')
    if (!fs.existsSync(preload)) fs.writeFileSync(preload, RSS_PRELOAD)
    argv = ['--require', preload, ...args]
  }
  const sampleTree = process.platform === 'linux' && fs.existsSync('/proc/self/stat')
  const child = spawn(command, argv, {cwd, env: {...process.env, ...env, ...(rssFile ? {MOPAC_BENCH_RSS_FILE: rssFile} : {})}, stdio: ['ignore', 'pipe', 'pipe']})
  const started = process.hrtime.bigint()
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  let treePeak = 0
  const sample = () => {
    try {
      treePeak = Math.max(treePeak, treeRss(child.pid))
    } catch {
      // /proc unreadable: no tree figure.
    }
  }
  const timer = sampleTree ? setInterval(sample, 50) : undefined
  if (sampleTree) sample()
  let wall = 0
  const {code, signal} = await new Promise((resolve, reject) => {
    child.on('error', (error) => {
      if (timer) clearInterval(timer)
      reject(error)
    })
    child.on('exit', () => {
      wall = Number(process.hrtime.bigint() - started) / 1e9
      if (timer) clearInterval(timer)
    })
    child.on('close', (code, signal) => resolve({code, signal}))
  })
  if (code !== 0) throw new Error(`${what ?? command} exited with ${code ?? signal}\n${stdout.slice(-2000)}${stderr.slice(-4000)}`)
  const {kib, cpu} = rssFile ? readUsage(rssFile) : {kib: NaN, cpu: NaN}
  const treeMiB = sampleTree && treePeak > 0 ? treePeak / 1048576 : NaN
  const ownMiB = kib / 1024
  const memoryMiB = Number.isNaN(treeMiB) ? ownMiB : Number.isNaN(ownMiB) ? treeMiB : Math.max(treeMiB, ownMiB)
  return {wallSeconds: wall, cpuSeconds: cpu, memoryMiB, ownMiB, treeMiB, stdout, stderr}
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const file = path.join(dir, name)
    try {
      fs.accessSync(file, fs.constants.X_OK)
      if (fs.statSync(file).isFile()) return file
    } catch {
      // not here
    }
  }
  return undefined
}

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/**
 * The peers this machine has: Eleventy and Pagefind from node_modules (dev
 * dependencies), Hugo where a `hugo` is on PATH (Debian's package). A missing
 * one has `missing` set to why.
 */
export async function findPeers() {
  const eleventy = {name: 'Eleventy', version: packageVersion('@11ty/eleventy')}
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@11ty', 'eleventy', 'package.json'), 'utf8'))
    const binPath = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.eleventy
    eleventy.bin = path.join(root, 'node_modules', '@11ty', 'eleventy', binPath)
    if (!fs.existsSync(eleventy.bin)) throw new Error('no bin')
  } catch {
    eleventy.missing = 'not installed (a dev dependency: npm install)'
  }
  const pagefind = {name: 'Pagefind', version: packageVersion('pagefind'), bin: path.join(root, 'node_modules', '.bin', 'pagefind')}
  if (!fs.existsSync(pagefind.bin) || !pagefind.version) pagefind.missing = 'not installed (a dev dependency: npm install)'
  const hugo = {name: 'Hugo', bin: onPath('hugo')}
  if (!hugo.bin) hugo.missing = 'not installed (no `hugo` on PATH; Debian: apt-get install hugo)'
  else {
    const result = await run(hugo.bin, ['version'], {}).catch((error) => ({code: -1, stdout: '', stderr: String(error)}))
    if (result.code !== 0) hugo.missing = `not working (\`hugo version\` exited with ${result.code})`
    else hugo.version = /v(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1] ?? result.stdout.trim().split('\n')[0]
  }
  return {eleventy, hugo, pagefind}
}

const PEER_PAGE = (title, body) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body>
<main>
${body}
</main>
</body>
</html>
`

/**
 * Write, under `dir`, the projects the peers build: the papers of `content`
 * (the same Markdown files, copied) with a minimal layout that gives each
 * paper a page, and a listing page of every paper. Also a copy for mopac's
 * runs in the comparison (the bench's other scenarios edit `content`).
 * Returns the folders.
 */
export function preparePeers(content, dir) {
  const files = fs.readdirSync(content).filter((name) => name.endsWith('.md')).sort()
  const mopacContent = path.join(dir, 'mopac', 'content')
  const eleventyDir = path.join(dir, 'eleventy')
  const hugoDir = path.join(dir, 'hugo')
  const targets = [mopacContent, path.join(eleventyDir, 'papers'), path.join(hugoDir, 'content', 'papers')]
  for (const target of targets) {
    fs.mkdirSync(target, {recursive: true})
    for (const file of files) fs.copyFileSync(path.join(content, file), path.join(target, file))
  }

  // Eleventy 3: Markdown through markdown-it only (no Liquid pass first: the
  // papers are not templates), each paper with a Nunjucks layout, and an index.
  fs.writeFileSync(
    path.join(eleventyDir, 'eleventy.config.mjs'),
    `// Written by scripts/bench.js --peers.
export default function (eleventyConfig) {
  eleventyConfig.addCollection('papers', (api) => api.getFilteredByGlob('papers/*.md').sort((a, b) => b.date - a.date))
}
export const config = {
  dir: {input: '.', includes: '_includes'},
  templateFormats: ['md', 'njk'],
  markdownTemplateEngine: false,
  htmlTemplateEngine: 'njk'
}
`
  )
  fs.writeFileSync(path.join(eleventyDir, 'papers', 'papers.11tydata.json'), JSON.stringify({layout: 'paper.njk'}) + '\n')
  fs.mkdirSync(path.join(eleventyDir, '_includes'), {recursive: true})
  fs.writeFileSync(path.join(eleventyDir, '_includes', 'paper.njk'), PEER_PAGE('{{ title }}', '<h1>{{ title }}</h1>\n<p>{{ id }}, {{ page.date.toISOString().slice(0, 10) }}, {{ decision_maker }}</p>\n{{ content | safe }}'))
  fs.writeFileSync(
    path.join(eleventyDir, 'index.njk'),
    '---\npermalink: /index.html\n---\n' +
      PEER_PAGE('Decision papers', '<h1>Decision papers</h1>\n<ul>\n{%- for paper in collections.papers %}\n<li><a href="{{ paper.url }}">{{ paper.data.title }}</a> ({{ paper.data.id }}, {{ paper.date.toISOString().slice(0, 10) }})</li>\n{%- endfor %}\n</ul>')
  )

  // Hugo: a page per paper and the home page listing them; nothing else
  // (no taxonomy, section, RSS, sitemap, robots.txt or 404 page).
  fs.writeFileSync(
    path.join(hugoDir, 'config.toml'),
    `# Written by scripts/bench.js --peers.
baseURL = "/"
languageCode = "en"
title = "Decision papers"
buildFuture = true
buildExpired = true
disableKinds = ["taxonomy", "term", "section", "RSS", "sitemap", "robotsTXT", "404"]
`
  )
  fs.mkdirSync(path.join(hugoDir, 'layouts', '_default'), {recursive: true})
  fs.writeFileSync(path.join(hugoDir, 'layouts', '_default', 'single.html'), PEER_PAGE('{{ .Title }}', '<h1>{{ .Title }}</h1>\n<p>{{ .Params.id }}, {{ .Date.Format "2006-01-02" }}, {{ .Params.decision_maker }}</p>\n{{ .Content }}'))
  fs.writeFileSync(
    path.join(hugoDir, 'layouts', 'index.html'),
    PEER_PAGE('Decision papers', '<h1>Decision papers</h1>\n<ul>\n{{- range .Site.RegularPages.ByDate.Reverse }}\n<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.id }}, {{ .Date.Format "2006-01-02" }})</li>\n{{- end }}\n</ul>')
  )
  return {files: files.length, mopacContent, eleventyDir, hugoDir}
}

function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function count(pattern, result) {
  const match = pattern.exec(`${result.stdout}\n${result.stderr}`)
  return match ? Number(match[1]) : undefined
}

/**
 * Time mopac's cold build against the peers on the projects preparePeers()
 * wrote, in `pairs` pairs: each pair is one mopac cold build and one build by
 * each peer, mopac first in odd pairs and the peers first in even ones. Every
 * run writes to a fresh folder (mopac also to a fresh state folder); the
 * folders are removed after each pair unless `keep`.
 */
export async function runPeers({papers, prepared, dir, now, pairs = DEFAULT_PAIRS, noCache = true, peers, keep = false, log = () => {}}) {
  const mopacLabel = noCache ? 'mopac cold, --no-cache' : 'mopac cold, empty cache'
  const runs = {mopac: [], eleventy: [], hugo: [], pagefind: [], hugoPagefind: []}
  const outputs = path.join(dir, 'out')
  const fresh = (name) => {
    const folder = path.join(outputs, name)
    fs.rmSync(folder, {recursive: true, force: true})
    return folder
  }
  const line = (pair, label, result, extra = '') => log(`  pair ${pair}/${pairs}  ${label.padEnd(26)} ${result.wallSeconds.toFixed(2).padStart(7)} s  ${fmt(result.memoryMiB).padStart(6)} MiB${extra}`)

  const mopac = async (pair) => {
    const state = fresh(`mopac-state-${pair}`)
    const out = fresh(`mopac-site-${pair}`)
    const args = [bin, 'build', '--content', prepared.mopacContent, '--out', out, '--now', now, '--state', state]
    if (noCache) args.push('--no-cache')
    const result = await measureProcess({command: process.execPath, args, tmp: dir, node: true, what: `mopac ${args.slice(1).join(' ')}`})
    result.pages = count(/Published (\d+) papers/, result) ?? count(/\((\d+) papers published/, result)
    runs.mopac.push(result)
    line(pair, mopacLabel, result, result.pages !== undefined ? `  ${result.pages} papers published` : '')
  }
  const others = async (pair) => {
    if (!peers.eleventy.missing) {
      const out = fresh(`eleventy-${pair}`)
      const args = [peers.eleventy.bin, '--config=eleventy.config.mjs', '--input=.', `--output=${out}`, '--quiet']
      const result = await measureProcess({command: process.execPath, args, cwd: prepared.eleventyDir, tmp: dir, node: true, what: `eleventy ${args.slice(1).join(' ')}`})
      result.pages = count(/Wrote (\d+) files/, result)
      runs.eleventy.push(result)
      line(pair, 'Eleventy (build only)', result, result.pages !== undefined ? `  ${result.pages} files written` : '')
    }
    if (!peers.hugo.missing) {
      const out = fresh(`hugo-${pair}`)
      const args = ['--source', prepared.hugoDir, '--destination', out, '--cacheDir', path.join(dir, 'hugo-cache')]
      const hugo = await measureProcess({command: peers.hugo.bin, args, tmp: dir, what: `hugo ${args.join(' ')}`})
      hugo.pages = count(/Pages\s*\|\s*(\d+)/, hugo)
      runs.hugo.push(hugo)
      line(pair, 'Hugo (build only)', hugo, hugo.pages !== undefined ? `  ${hugo.pages} pages` : '')
      if (!peers.pagefind.missing) {
        const pagefind = await measureProcess({command: peers.pagefind.bin, args: ['--site', out], cwd: dir, tmp: dir, what: `pagefind --site ${out}`})
        pagefind.pages = count(/Indexed (\d+) pages?/i, pagefind)
        runs.pagefind.push(pagefind)
        line(pair, 'Pagefind on Hugo\'s output', pagefind, pagefind.pages !== undefined ? `  ${pagefind.pages} pages indexed` : '')
        const both = {wallSeconds: hugo.wallSeconds + pagefind.wallSeconds, memoryMiB: Math.max(hugo.memoryMiB, pagefind.memoryMiB), pages: pagefind.pages}
        runs.hugoPagefind.push(both)
        line(pair, 'Hugo + Pagefind', both)
      }
    }
  }

  log(`  peers: ${pairs} pair${pairs === 1 ? '' : 's'}, alternating: ${mopacLabel} first in odd pairs, the peers first in even ones`)
  for (let pair = 1; pair <= pairs; pair++) {
    if (pair % 2 === 1) {
      await mopac(pair)
      await others(pair)
    } else {
      await others(pair)
      await mopac(pair)
    }
    // Each pair's output goes once the pair is done (not timed), to keep the disk small; --keep keeps them.
    if (!keep) fs.rmSync(outputs, {recursive: true, force: true})
  }

  const summary = (runsOf) => (runsOf.length ? {runs: runsOf.length, wallSeconds: median(runsOf.map((r) => r.wallSeconds)), walls: runsOf.map((r) => r.wallSeconds), memoryMiB: Math.max(...runsOf.map((r) => (Number.isNaN(r.memoryMiB) ? -Infinity : r.memoryMiB))), pages: runsOf.at(-1).pages} : undefined)
  const unavailable = (...tools) => tools.map((t) => t.missing).find(Boolean)
  const tools = [
    {key: 'mopac', label: `${mopacLabel} (mopac ${packageJsonVersion()})`, ...summary(runs.mopac)},
    {key: 'eleventy', label: `Eleventy ${peers.eleventy.version ?? ''} (build only)`.replace('  ', ' '), missing: peers.eleventy.missing, ...summary(runs.eleventy)},
    {key: 'hugo', label: `Hugo ${peers.hugo.version ?? ''} (build only)`.replace('  ', ' '), missing: peers.hugo.missing, ...summary(runs.hugo)},
    {key: 'hugo-pagefind', label: `Hugo ${peers.hugo.version ?? ''} + Pagefind ${peers.pagefind.version ?? ''} CLI`.replace(/ {2,}/g, ' '), missing: unavailable(peers.hugo, peers.pagefind), ...summary(runs.hugoPagefind)}
  ]
  for (const tool of tools) if (tool.memoryMiB === -Infinity) tool.memoryMiB = NaN
  const base = tools[0]
  for (const tool of tools) {
    tool.wallRatio = tool.runs ? base.wallSeconds / tool.wallSeconds : NaN
    tool.memoryRatio = tool.runs ? base.memoryMiB / tool.memoryMiB : NaN
  }
  return {papers, pairs, files: prepared.files, mopacLabel, tools, pairRatios: {eleventy: pairedRatios(runs.mopac, runs.eleventy), hugoPagefind: pairedRatios(runs.mopac, runs.hugoPagefind)}}
}

function pairedRatios(mopacRuns, peerRuns) {
  return peerRuns.length === mopacRuns.length ? mopacRuns.map((m, i) => m.wallSeconds / peerRuns[i].wallSeconds) : []
}

function packageJsonVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version
  } catch {
    return ''
  }
}

function ratio(value) {
  return value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)}×`
}

/** A Markdown table of one corpus size's peer comparison, and what the ratios say. */
export function formatPeersTable(result) {
  const lines = [
    '| tool | runs | median wall (s) | each run (s) | peak memory (MiB) | pages | mopac cold / this, wall | mopac cold / this, memory |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |'
  ]
  for (const t of result.tools) {
    if (!t.runs) lines.push(`| ${t.label} | ${t.missing ?? 'not run'} | | | | | | |`)
    else lines.push(`| ${t.label} | ${t.runs} | ${fmt(t.wallSeconds, 2)} | ${t.walls.map((w) => w.toFixed(2)).join(', ')} | ${fmt(t.memoryMiB)} | ${t.pages ?? 'n/a'} | ${t.key === 'mopac' ? '1' : ratio(t.wallRatio)} | ${t.key === 'mopac' ? '1' : ratio(t.memoryRatio)} |`)
  }
  const eleventy = result.tools.find((t) => t.key === 'eleventy')
  const hugoPagefind = result.tools.find((t) => t.key === 'hugo-pagefind')
  const says = (tool, paired) => (tool.runs ? `${ratio(tool.wallRatio)} (per pair: ${paired.map((r) => ratio(r)).join(', ')})` : tool.missing)
  lines.push(
    '',
    `${result.files} papers given to every tool. The runs alternated: ${result.pairs} pair${result.pairs === 1 ? '' : 's'}, each one ${result.mopacLabel} and one build by each peer, mopac first in odd pairs and the peers first in even ones; every run in a fresh process, to a fresh output folder.`,
    `mopac cold / Eleventy, wall: ${says(eleventy, result.pairRatios.eleventy)}. mopac cold / (Hugo + Pagefind), wall: ${says(hugoPagefind, result.pairRatios.hugoPagefind)}.`
  )
  return lines.join('\n')
}

function formatPeersDoc(peerResults, m) {
  const parts = [
    '## Peers: the same corpus built by Eleventy and by Hugo + Pagefind',
    '',
    `Measured ${m.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Node.js ${m.node}, ${m.os} (load average ${m.load} when the doc was written), with \`--peers\`.`,
    ''
  ]
  for (const result of peerResults) parts.push(`### ${result.papers} papers, peers`, '', formatPeersTable(result), '')
  parts.push(
    '- Each peer builds a project the bench writes once, outside the timed part: the same Markdown files (their YAML front matter read by the peer; the `:::` directive lines are plain text to it), a minimal layout that gives each paper a page, and a listing page of every paper. Eleventy: Markdown through markdown-it (no Liquid pass first), a Nunjucks layout, run by its bin in node_modules. Hugo: `hugo --source … --destination …` with taxonomy, section, RSS, sitemap, robots.txt and 404 pages switched off, then `node_modules/.bin/pagefind --site` on its output.',
    '- mopac does more than the peers: redaction, deferrals and withholding (so it publishes fewer pages), the leak check, feeds, its own search index; the peers render every paper as it is. The ratios say how far mopac\'s cold build is from a plain static site generator on the same papers, not which does the same work faster.',
    '- **wall** is spawn to exit (start-up included); the median of the runs. **peak memory** is the highest over the runs of the peak summed RSS of the process tree, sampled every 50 ms (for the Node.js tools, mopac and Eleventy, at least the process\'s own kernel high-water mark); Hugo + Pagefind adds the two walls and takes the larger memory. **pages** is, for mopac, the papers it published; for Eleventy the files it wrote; for Hugo the pages it built; for Hugo + Pagefind the pages Pagefind indexed. **mopac cold / this** divides mopac\'s median by the tool\'s: 2× means mopac took twice as long (or as much memory).',
    ''
  )
  return parts.join('\n')
}

// ---------------------------------------------------------------------------
// Command line

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--sizes` alone takes the default series.
  const argv = process.argv.slice(2)
  const at = argv.indexOf('--sizes')
  if (at !== -1 && (at === argv.length - 1 || argv[at + 1].startsWith('-'))) argv.splice(at + 1, 0, DEFAULT_SIZES.join(','))
  const {values} = parseArgs({
    args: argv,
    options: {
      sizes: {type: 'string'},
      papers: {type: 'string'},
      'out-doc': {type: 'string', default: DEFAULT_DOC},
      'no-doc': {type: 'boolean', default: false},
      seed: {type: 'string', default: '1'},
      keep: {type: 'boolean', default: false},
      peers: {type: 'boolean', default: false},
      parsers: {type: 'boolean', default: false},
      pairs: {type: 'string', default: String(DEFAULT_PAIRS)},
      help: {type: 'boolean', short: 'h', default: false}
    }
  })
  if (values.help) {
    process.stdout.write(
      'Usage: npm run bench -- [--papers N[,N...]] [--out-doc FILE | --no-doc] [--seed N] [--keep] [--peers [--pairs N]]\n' +
        `       npm run bench -- --sizes [MB[,MB...]] [--seed N] [--keep]\n` +
        `       npm run bench -- --parsers [--papers N] [--sizes MB] [--seed N]\n\n` +
        `--papers: corpus sizes (default ${DEFAULT_PAPERS.join(',')}); times cold and incremental builds and the leak check,\n` +
        '         and writes docs/benchmarks.md.\n' +
        '--peers: also builds each corpus with Eleventy and, where `hugo` is on PATH, Hugo + Pagefind, in pairs\n' +
        `         alternating with mopac's cold build (--pairs N, default ${DEFAULT_PAIRS}); the table goes in the doc too.\n` +
        `--sizes: one paper of each size (default ${DEFAULT_SIZES.join(', ')} MB) with 8 ordinary papers, built cold\n` +
        '         with --no-cache; prints wall and CPU time and peak RSS (writes no doc).\n' +
        '--parsers: what parsing and writing alone cost, one thread, on N papers (default 4000) and one paper\n' +
        "         of MB (default 3): Eleventy's parser, micromark's CommonMark, the pipeline's parse, the writers (writes no doc).\n"
    )
  } else if (values.parsers) {
    const sizes = (values.sizes ?? '3').split(',').map((s) => s.trim()).filter(Boolean).map(Number)
    const papers = (values.papers ?? '4000').split(',').map((s) => s.trim()).filter(Boolean).map(Number)
    if (sizes.length !== 1 || papers.length !== 1) {
      process.stderr.write('bench: --parsers takes one --papers count and one --sizes size\n')
      process.exitCode = 2
    } else {
      runParserFloor({papers: papers[0], megabytes: sizes[0], seed: Number(values.seed), keep: values.keep}).catch((error) => {
        process.stderr.write(`bench: ${error?.stack ?? error}\n`)
        process.exitCode = 1
      })
    }
  } else if (values.sizes !== undefined) {
    const sizes = values.sizes.split(',').map((s) => s.trim()).filter(Boolean).map(Number)
    runSizeSeries({sizes, seed: Number(values.seed), keep: values.keep}).catch((error) => {
      process.stderr.write(`bench: ${error?.stack ?? error}\n`)
      process.exitCode = 1
    })
  } else {
    // The issue's three sizes by default (20,000 takes most of the run: about 15 minutes of it here).
    const papers = (values.papers ?? DEFAULT_PAPERS.join(',')).split(',').map((s) => s.trim()).filter(Boolean).map(Number)
    runBench({
      papers,
      seed: Number(values.seed),
      doc: values['no-doc'] ? false : values['out-doc'],
      keep: values.keep,
      peers: values.peers,
      pairs: Number(values.pairs),
      command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`
    }).catch((error) => {
      process.stderr.write(`bench: ${error?.stack ?? error}\n`)
      process.exitCode = 1
    })
  }
}

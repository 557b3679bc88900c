#!/usr/bin/env node
/**
 * What parsing alone costs: the floor under a cold build and under one long
 * paper, measured on the bench's own papers (`npm run bench -- --parsers`).
 *
 *   node scripts/bench-parsers.js --parser NAME FILE|FOLDER...
 *
 * parses the Markdown body of each FILE (and of each `.md` file in a FOLDER) (its frontmatter blanked, as the
 * pipeline does) with one parser, in this one thread: a warm-up pass, then
 * `--runs` timed passes (default 3), and prints one line of JSON with the
 * fastest pass (`seconds`), the bytes parsed and the files. The parsers:
 *
 *  markdown-it   Eleventy's parser (`html: true`, as Eleventy sets it), to
 *                its token stream: what Eleventy parses before it renders.
 *  commonmark    micromark through mdast-util-from-markdown, CommonMark
 *                only: the syntax tree the unified ecosystem starts from,
 *                with no extension.
 *  pipeline      the pipeline's own parse (src/pipeline/processor.js:
 *                CommonMark, the GFM the papers use, directives, long papers
 *                in pieces, the nesting limits), no plugin run after it.
 *
 * and the two writers every public paper goes through, on the `commonmark`
 * tree (parsed before the clock starts):
 *
 *  to-markdown   mdast-util-to-markdown: the public Markdown file.
 *  to-html       mdast-util-to-hast, then hast-util-to-html: the page's body.
 *
 * Every pass parses every file; nothing is written. The bench spawns one
 * process per parser so no parser runs on another's heap.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(path.join(root, 'package.json'))

export const PARSERS = ['markdown-it', 'commonmark', 'pipeline', 'to-markdown', 'to-html']

/** A paper's body with its frontmatter blanked (line numbers kept), as src/content/read.ts gives the parser. */
export function bodyOf(text) {
  const match = /^---\r?\n[\s\S]*?\r?\n---(?:\r?\n|$)/.exec(text)
  return match ? match[0].replace(/[^\r\n]/g, ' ') + text.slice(match[0].length) : text
}

/** A function parsing one Markdown string with `name`. */
export async function parserFor(name) {
  if (name === 'markdown-it') {
    const MarkdownIt = require('markdown-it')
    const md = new MarkdownIt({html: true})
    return (text) => md.parse(text, {})
  }
  if (name === 'commonmark') {
    const {fromMarkdown} = await import(pathToFileURL(require.resolve('mdast-util-from-markdown')).href)
    return (text) => fromMarkdown(text)
  }
  if (name === 'pipeline') {
    const dist = path.join(root, 'dist')
    if (!fs.existsSync(path.join(dist, 'pipeline', 'processor.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` first (npm run bench does)')
    const {createRedactor} = await import(pathToFileURL(path.join(dist, 'pipeline', 'processor.js')).href)
    const {VFile} = await import(pathToFileURL(path.join(dist, 'vendor', 'index.js')).href)
    const redactor = createRedactor()
    return (text) => redactor.parse(new VFile({value: text}))
  }
  if (name === 'to-markdown' || name === 'to-html') {
    const load = async (pkg) => import(pathToFileURL(require.resolve(pkg)).href)
    const {fromMarkdown} = await load('mdast-util-from-markdown')
    const {toMarkdown} = await load('mdast-util-to-markdown')
    const {toHast} = await load('mdast-util-to-hast')
    const {toHtml} = await load('hast-util-to-html')
    const write = name === 'to-markdown' ? (tree) => toMarkdown(tree) : (tree) => toHtml(toHast(tree))
    // The tree is parsed once, untimed; the writers do not change it.
    const trees = new Map()
    return (text) => {
      let tree = trees.get(text)
      if (!tree) trees.set(text, (tree = fromMarkdown(text)))
      return write(tree)
    }
  }
  throw new Error(`unknown parser ${JSON.stringify(name)}: one of ${PARSERS.join(', ')}`)
}

/** Parse every text with `name` (or write it, for the writers): a warm-up pass, then `runs` timed ones; the fastest pass in seconds. */
export async function timeParser(name, texts, runs = 3) {
  const parse = await parserFor(name)
  for (const text of texts) parse(text)
  let best = Infinity
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint()
    for (const text of texts) parse(text)
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9)
  }
  return best
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const {values, positionals} = parseArgs({options: {parser: {type: 'string'}, runs: {type: 'string', default: '3'}}, allowPositionals: true})
  const runs = Number(values.runs)
  if (!values.parser || positionals.length === 0 || !(Number.isInteger(runs) && runs >= 1)) {
    process.stderr.write(`usage: node scripts/bench-parsers.js --parser ${PARSERS.join('|')} [--runs N] FILE|FOLDER...\n`)
    process.exitCode = 2
  } else {
    const files = positionals.flatMap((given) =>
      fs.statSync(given).isDirectory()
        ? fs.readdirSync(given).filter((name) => name.endsWith('.md')).sort().map((name) => path.join(given, name))
        : [given]
    )
    const texts = files.map((file) => bodyOf(fs.readFileSync(file, 'utf8')))
    timeParser(values.parser, texts, runs).then(
      (seconds) => process.stdout.write(JSON.stringify({parser: values.parser, seconds, files: texts.length, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0)}) + '\n'),
      (error) => {
        process.stderr.write(`bench-parsers: ${error?.stack ?? error}\n`)
        process.exitCode = 1
      }
    )
  }
}

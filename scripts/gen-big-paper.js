#!/usr/bin/env node
/**
 * Generate one large decision paper, for the size series of the benchmark
 * (`scripts/bench.js --sizes`) and the tests that check a paper's cost grows
 * linearly with its size:
 *
 *   node scripts/gen-big-paper.js FILE KILOBYTES [seed]
 *
 * The paper is numbered paragraphs (`3.12.`, not list items), each with
 * emphasis, strong emphasis, a link and a small table; a heading every twenty
 * paragraphs; every 25th paragraph names a person in a withheld span and
 * every 100th is followed by a withheld block, so the redaction steps run
 * too. Deterministic: the same size and seed give the same bytes. It passes
 * `mopac check` with no errors or warnings.
 */
import fs from 'node:fs'
import {pathToFileURL} from 'node:url'
import {mulberry32} from './gen-corpus.js'

const ACTORS = ['The MPS', 'MOPAC', 'The Commissioning team', 'The Property Services team', 'The programme board', 'The supplier']
const VERBS = ['will deliver', 'has reviewed', 'will monitor', 'has assessed', 'will extend', 'has agreed', 'will manage']
const OBJECTS = ['the custody estate', 'the contract value', 'the framework agreement', 'the business case', 'the transition plan', 'the risk register', 'the revenue budget']
const QUALIFIERS = ['within the approved budget', 'over the remaining contract term', 'before the end of the financial year', 'across all thirty-two boroughs', 'with quarterly reporting']
const NAMES = ['Jordan Sample', 'Priya Okafor', 'Samuel Whitfield', 'Aisha Kowalski', 'Thomas Brennan']
const DOCS = ['police-and-crime-plan', 'scheme-of-delegation', 'evaluation-report', 'budget-submission', 'annual-report']

/**
 * A paper of at least `bytes` bytes (UTF-8), frontmatter included.
 * @param {{bytes: number, seed?: number, id?: string}} options
 * @returns {{text: string, paragraphs: number}}
 */
export function generateBigPaper({bytes, seed = 1, id = 'PCD 90001'}) {
  const next = mulberry32(seed)
  const pick = (list) => list[Math.floor(next() * list.length)]
  const int = (min, max) => min + Math.floor(next() * (max - min + 1))
  const parts = [
    '---',
    `id: ${JSON.stringify(id)}`,
    `title: "Large paper of ${Math.round(bytes / 1024)} KB (generated)"`,
    'date: "2024-06-20"',
    'classification: OFFICIAL',
    'summary: A generated paper for measuring how the build scales with the size of one paper.',
    'part2:',
    '  exemptions: [s43]',
    '---',
    '',
    '_Generated paper for benchmarking: the decision, names and figures are fictional._',
    ''
  ]
  let size = parts.join('\n').length
  let paragraphs = 0
  let section = 0
  while (size < bytes) {
    if (paragraphs % 20 === 0) {
      section++
      const heading = `## ${section}. ${pick(OBJECTS).replace(/^the /, 'The ')}\n`
      parts.push(heading)
      size += heading.length + 1
    }
    paragraphs++
    const p = (paragraphs - 1) % 20 + 1
    const year = int(2012, 2024)
    let text =
      `${section}.${p}. ${pick(ACTORS)} ${pick(VERBS)} _${pick(OBJECTS)}_ ${pick(QUALIFIERS)}. ` +
      `The **${pick(OBJECTS).replace(/^the /, '')}** is set out in the [${pick(DOCS).replace(/-/g, ' ')}](https://example.org/${pick(DOCS)}/${year}).`
    if (paragraphs % 25 === 0) text += ` The lead is :official-sensitive[${pick(NAMES)}]{exemptions="s40"}.`
    const table = [
      '| Year | Revenue (£m) | Capital (£m) |',
      '|---|---:|---:|',
      `| ${year}/${String((year + 1) % 100).padStart(2, '0')} | ${(int(10, 400) / 10).toFixed(1)} | ${(int(0, 200) / 10).toFixed(1)} |`,
      `| ${year + 1}/${String((year + 2) % 100).padStart(2, '0')} | ${(int(10, 400) / 10).toFixed(1)} | ${(int(0, 200) / 10).toFixed(1)} |`
    ].join('\n')
    const block = paragraphs % 100 === 0 ? `\n:::official-sensitive\nFictional: the benchmark day rate was £${int(600, 1900)}. ${pick(ACTORS)} ${pick(VERBS)} ${pick(OBJECTS)}.\n:::\n` : ''
    const chunk = `${text}\n\n${table}\n${block}\n`
    parts.push(chunk)
    size += Buffer.byteLength(chunk) + 1
  }
  return {text: parts.join('\n'), paragraphs}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, kilobytes, seed] = process.argv.slice(2)
  if (!file || !kilobytes || !/^\d+$/.test(kilobytes) || (seed !== undefined && !/^\d+$/.test(seed))) {
    process.stderr.write('Usage: node scripts/gen-big-paper.js FILE KILOBYTES [seed]\n')
    process.exitCode = 2
  } else {
    const {text, paragraphs} = generateBigPaper({bytes: Number(kilobytes) * 1024, seed: seed === undefined ? 1 : Number(seed)})
    fs.writeFileSync(file, text)
    process.stdout.write(`Wrote ${file}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB, ${paragraphs} paragraphs.\n`)
  }
}

#!/usr/bin/env node
/**
 * Generate a large content folder for measuring the reviewer preview:
 * `node scripts/gen-preview-corpus.js DIR [--count 4000]`.
 *
 * Each paper is one of the sample papers in content/ with a fresh id, so the
 * corpus has the sample's mix of public, deferred, withheld, block and inline
 * redactions, tables, footnotes and an image. Deferrals are spread over the
 * next few months so the preview's "due in the next 30 days" list is not
 * empty. Writes only under DIR (created if missing; must be empty).
 */
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const {values, positionals} = parseArgs({
    options: {count: {type: 'string', default: '4000'}, samples: {type: 'string', default: 'content'}},
    allowPositionals: true
  })
  const dir = positionals[0]
  if (!dir) {
    process.stderr.write('Usage: node scripts/gen-preview-corpus.js DIR [--count N] [--samples DIR]\n')
    process.exitCode = 2
  } else {
    const written = generateCorpus(dir, Number(values.count), values.samples)
    process.stdout.write(`Wrote ${written} papers to ${dir}\n`)
  }
}

/** Write `count` papers into `dir`, made from the samples in `samples`. */
export function generateCorpus(dir, count, samples = 'content') {
  fs.mkdirSync(dir, {recursive: true})
  if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`)
  const templates = fs
    .readdirSync(samples)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => fs.readFileSync(path.join(samples, name), 'utf8'))
  if (fs.existsSync(path.join(samples, 'images'))) fs.cpSync(path.join(samples, 'images'), path.join(dir, 'images'), {recursive: true})
  const start = Date.UTC(2026, 0, 1)
  for (let i = 0; i < count; i++) {
    const n = 10000 + i
    let text = templates[i % templates.length].replace(/^id: .*$/m, `id: "PCD ${n}"`)
    // Spread deferrals: one day apart from 2026-01-01, so some are due soon, some past.
    const until = new Date(start + (i % 500) * 86_400_000).toISOString().slice(0, 10)
    text = text.replace(/^  until: .*$/m, `  until: "${until}"`)
    const folder = path.join(dir, `batch-${String(Math.floor(i / 500)).padStart(2, '0')}`)
    fs.mkdirSync(folder, {recursive: true})
    // Images are referenced as ./images/...; keep every paper beside a copy.
    if (!fs.existsSync(path.join(folder, 'images')) && fs.existsSync(path.join(dir, 'images'))) fs.cpSync(path.join(dir, 'images'), path.join(folder, 'images'), {recursive: true})
    fs.writeFileSync(path.join(folder, `pcd-${n}.md`), text)
  }
  return count
}

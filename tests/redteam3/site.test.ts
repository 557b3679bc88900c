/**
 * Red team round 3, whole site: build, and release with verify. Each attack
 * is refused: the build stops with the rule that names why; release holds the
 * paper back (its error logged) and no canary reaches any written file.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {expectBuildRefused, expectReleaseHeld} from '../redteam/helpers.js'
import {tempCorpus} from '../redteam2/helpers.js'

const now = new Date('2026-11-25T12:00:00Z')
const paper = (body: string, extra = '') => `---\nid: PCD 1\ntitle: Contract\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n${body}`
const withheld = (fm: string, nl = '\n') => ['---', 'id: PCD 9', 'title: Withheld', 'date: "2024-05-01"', fm, '---', 'The preferred bidder Xylocorp Holdings offered four million pounds.', ''].join(nl)

/** The build of `files`; it writes nothing (each case here is refused). */
async function buildOf(files: Record<string, string>, setup?: (content: string) => void) {
  const {content} = tempCorpus(files)
  setup?.(content)
  return build({content, now})
}

/** Release `files`, which must hold `a.md` back with `ruleId`; the canaries found in the written site. */
async function releaseHits(files: Record<string, string>, canary: string, ruleId: string, setup?: (content: string) => void) {
  const {content, out, state} = tempCorpus(files)
  setup?.(content)
  const result = await release({content, out, state, now, verify: async (staged) => (await verify({content, out: staged, now})).hits})
  expectReleaseHeld(result, {'a.md': ruleId})
  return findCanaries(scanSite(out), [canary])
}

const body: Record<string, [text: string, ruleId: string]> = {
  'tag character + en dash in a span name': ['The project lead, :offi\u{E0041}cial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', 'directive-unparsed'],
  'Armenian o + en dash in a span name': ['The project lead, :\u0585fficial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', 'directive-unparsed'],
  'image alt with an internal comment': ['Chart ![Bids <!-- internal: Zephyrine Quackenbush bid lowest -->](https://x.example/c.png)\n', 'comment-unparsed']
}

describe('was a finding, now refused: body bypasses reach the written site', () => {
  for (const [what, [text, ruleId]] of Object.entries(body)) {
    it(`build: ${what}`, async () => expectBuildRefused(await buildOf({'a.md': paper(text)}), ruleId))
    it(`release with verify: ${what}`, async () => expect(await releaseHits({'a.md': paper(text)}, 'quackenbush', ruleId)).toEqual([]))
  }
  const second = paper('---\ndeferral:\n  until: "2030-01-01"\n  reason: Awaiting Zephyrine Quackenbush sign-off\n---\n\nBody.\n')
  it('build: deferral in a second frontmatter block', async () => expectBuildRefused(await buildOf({'a.md': second}), 'frontmatter-yaml'))
  it('release with verify: deferral in a second frontmatter block', async () => expect(await releaseHits({'a.md': second}, 'quackenbush', 'frontmatter-yaml')).toEqual([]))
})

// checkAssets: a hard link is not resolved by realpath, so only the
// frontmatter sniff /^\uFEFF?---[ \t]*\r?\n[\s\S]*?\bclassification\s*:/ on
// the first 4096 bytes stands between a withheld paper and files/.
describe('was a finding, now refused: attachment that is a withheld paper (hard link or copy) passes the frontmatter sniff', () => {
  const link = (name: string) => (content: string) => fs.linkSync(path.join(content, 'b.md'), path.join(content, name))
  const cases: Record<string, {files: Record<string, string>; setup?: (c: string) => void}> = {
    'hard link, quoted "classification" key': {files: {'a.md': paper('See [annex](./annex.txt).\n'), 'b.md': withheld('"classification": OFFICIAL-SENSITIVE')}, setup: link('annex.txt')},
    'hard link, CR-only line endings (a valid paper for readPaper)': {files: {'a.md': paper('See [annex](./annex.txt).\n'), 'b.md': withheld('classification: OFFICIAL-SENSITIVE', '\r')}, setup: link('annex.txt')},
    'hard link, classification after 4096 bytes': {files: {'a.md': paper('See [annex](./annex.txt).\n'), 'b.md': withheld(`summary: ${'x'.repeat(5000)}\nclassification: OFFICIAL-SENSITIVE`)}, setup: link('annex.txt')},
    'plain copy with a quoted key': {files: {'a.md': paper('See [annex](./annex.pdf).\n'), 'b.md': withheld("'classification': OFFICIAL-SENSITIVE"), 'annex.pdf': withheld("'classification': OFFICIAL-SENSITIVE")}}
  }
  for (const [what, {files, setup}] of Object.entries(cases)) {
    it(`build: ${what}`, async () => expectBuildRefused(await buildOf(files, setup), 'asset-paper'))
    it(`release with verify: ${what}`, async () => expect(await releaseHits(files, 'xylocorp', 'asset-paper', setup)).toEqual([]))
  }
})

describe('held in round 3', () => {
  it('hard link to a withheld paper with plain frontmatter is refused', async () => {
    const files = {'a.md': paper('See [annex](./annex.txt).\n'), 'b.md': withheld('classification: OFFICIAL-SENSITIVE')}
    expectBuildRefused(await buildOf(files, (c) => fs.linkSync(path.join(c, 'b.md'), path.join(c, 'annex.txt'))), 'asset-paper')
  })
  it('reference image whose definition sits in a block is refused', async () => {
    const files = {'a.md': paper('![c][img]\n\n:::official-sensitive{exemptions="s43"}\n[img]: ./xylocorp.png\n:::\n'), 'xylocorp.png': 'png'}
    expectBuildRefused(await buildOf(files), 'reference-redacted')
  })
})

/**
 * Red team round 3, whole site: build + writeSite, and release with verify.
 * SAFE = the build/release refuses, or no canary in any written file.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {tempCorpus} from '../redteam2/helpers.js'

const now = new Date('2026-11-25T12:00:00Z')
const paper = (body: string, extra = '') => `---\nid: PCD 1\ntitle: Contract\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n${body}`
const withheld = (fm: string, nl = '\n') => ['---', 'id: PCD 9', 'title: Withheld', 'date: "2024-05-01"', fm, '---', 'The preferred bidder Xylocorp Holdings offered four million pounds.', ''].join(nl)

async function siteHits(files: Record<string, string>, canary: string, setup?: (content: string) => void) {
  const {content, out} = tempCorpus(files)
  setup?.(content)
  const result = await build({content, now})
  if (!result.ok) return []
  await writeSite(out, result.files!)
  return findCanaries(scanSite(out), [canary])
}

async function releaseHits(files: Record<string, string>, canary: string, setup?: (content: string) => void) {
  const {content, out, state} = tempCorpus(files)
  setup?.(content)
  const result = await release({content, out, state, now, verify: async (staged) => (await verify({content, out: staged, now})).hits})
  if (result.status !== 'released' && result.status !== 'nothing-due') return []
  return findCanaries(scanSite(out), [canary])
}

const body = {
  'tag character + en dash in a span name': 'The project lead, :offi\u{E0041}cial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n',
  'Armenian o + en dash in a span name': 'The project lead, :\u0585fficial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n',
  'image alt with an internal comment': 'Chart ![Bids <!-- internal: Zephyrine Quackenbush bid lowest -->](https://x.example/c.png)\n'
}

describe('was a finding, now refused: body bypasses reach the written site', () => {
  for (const [what, text] of Object.entries(body)) {
    it(`build + writeSite: ${what}`, async () => expect(await siteHits({'a.md': paper(text)}, 'quackenbush')).toEqual([]))
    it(`release with verify: ${what}`, async () => expect(await releaseHits({'a.md': paper(text)}, 'quackenbush')).toEqual([]))
  }
  const second = paper('---\ndeferral:\n  until: "2030-01-01"\n  reason: Awaiting Zephyrine Quackenbush sign-off\n---\n\nBody.\n')
  it('build + writeSite: deferral in a second frontmatter block', async () => expect(await siteHits({'a.md': second}, 'quackenbush')).toEqual([]))
  it('release with verify: deferral in a second frontmatter block', async () => expect(await releaseHits({'a.md': second}, 'quackenbush')).toEqual([]))
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
    it(`build + writeSite: ${what}`, async () => expect(await siteHits(files, 'xylocorp', setup)).toEqual([]))
    it(`release with verify: ${what}`, async () => expect(await releaseHits(files, 'xylocorp', setup)).toEqual([]))
  }
})

describe('held in round 3', () => {
  it('hard link to a withheld paper with plain frontmatter is refused', async () => {
    const files = {'a.md': paper('See [annex](./annex.txt).\n'), 'b.md': withheld('classification: OFFICIAL-SENSITIVE')}
    expect(await siteHits(files, 'xylocorp', (c) => fs.linkSync(path.join(c, 'b.md'), path.join(c, 'annex.txt')))).toEqual([])
  })
  it('reference image whose definition sits in a block', async () => {
    const files = {'a.md': paper('![c][img]\n\n:::official-sensitive{exemptions="s43"}\n[img]: ./xylocorp.png\n:::\n'), 'xylocorp.png': 'png'}
    expect(await siteHits(files, 'xylocorp')).toEqual([])
  })
})

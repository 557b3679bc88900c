/**
 * Red team: would `mopac verify` (the second line of defence that `build` and
 * `release` run before every swap) catch what the pipeline let through? Each
 * case is a leak an earlier pipeline published. Today the pipeline refuses
 * each paper (asserted, with its rule); and should it ever publish one again,
 * verify must still catch it: the withheld sentence, written into the page as
 * that leak did, is a hit when verify reads the same content.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {verify} from '../../src/verify/index.js'
import {expectBuildOk, expectBuildRefused} from './helpers.js'

const now = new Date('2026-11-25T12:00:00Z')
const fm = (extra = '') => `---\nid: PCD 100\ntitle: Public\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n`

function corpus(files: Record<string, string | {symlink: string}>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-redteam-verify-'))
  const content = path.join(dir, 'content')
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    if (typeof value === 'string') fs.writeFileSync(file, value)
    else fs.symlinkSync(value.symlink, file)
  }
  return content
}

/** The pipeline's verdict on the attacking content. */
async function buildOf(files: Record<string, string | {symlink: string}>) {
  return build({content: corpus(files), now})
}

/**
 * verify's hits on a site that carries the leak: the site of the same paper
 * with nothing sensitive, plus `leak` written into its page (or as a file),
 * judged against the attacking content.
 */
async function verifyHitsOnLeak(files: Record<string, string | {symlink: string}>, leak: {file: string; text: string}): Promise<number> {
  const content = corpus(files)
  const clean = corpus({'a.md': fm() + 'Public body.\n'})
  const result = await build({content: clean, now})
  expectBuildOk(result)
  const out = path.join(path.dirname(clean), 'public')
  await writeSite(out, result.files!)
  const target = path.join(out, leak.file)
  fs.mkdirSync(path.dirname(target), {recursive: true})
  if (leak.file.endsWith('index.html')) fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace('</main>', `<p>${leak.text}</p></main>`))
  else fs.writeFileSync(target, leak.text)
  const report = await verify({content, out, now})
  return report.hits.length
}

const secretSentence = 'the supplier zkverify quoted four million pounds for the custody contract extension'

const page = 'decisions/pcd-100/index.html'

// `gap`: verify today does not see this leak (each reported as a finding; the
// case is `it.fails` until verify covers it, and then must be flipped back):
//  - a ::: closing the block early: verify's own line scanner ends the block at
//    the same inner ::: the pipeline once did, so it reads the sentence after
//    it as public text of the paper and drops it from the secrets;
//  - an HTML comment: verify has no notion of internal notes in comments;
//  - a span in a frontmatter value: verify reads published frontmatter values
//    as public text;
//  - an attachment that is a link to a withheld paper: verify counts the text
//    of every local file public text links to as public, so the withheld
//    paper's whole text is excluded from the secrets through that link.
const cases: Record<string, {files: Record<string, string | {symlink: string}>; ruleId: string; leak?: {file: string; text: string}; gap?: true}> = {
  'en-dash directive name': {files: {'a.md': fm() + `:::official\u2013sensitive{exemptions="s43"}\n${secretSentence}\n:::\n`}, ruleId: 'directive-unparsed'},
  'non-breaking-hyphen span': {files: {'a.md': fm() + `Lead :official\u2011sensitive[${secretSentence}]{exemptions="s40"} here.\n`}, ruleId: 'directive-unparsed'},
  'code fence closing the block early': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n\`\`\`\n:::\n${secretSentence}\n\`\`\`\n:::\n`}, ruleId: 'directive-stray-fence', gap: true},
  'list item ::: closing the block early': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n- item\n  :::\n${secretSentence}\n:::\n`}, ruleId: 'directive-stray-fence', gap: true},
  'span in image alt': {files: {'a.md': fm() + `![:official-sensitive[${secretSentence}]{exemptions="s40"}](https://x.example/c.png)\n`}, ruleId: 'directive-unparsed'},
  'comment with a blank line': {files: {'a.md': fm() + `Public text <!-- internal\n\n${secretSentence} -->\n`}, ruleId: 'comment-unparsed', gap: true},
  'decision_maker span': {files: {'a.md': fm(`decision_maker: ':official-sensitive[${secretSentence}]{exemptions="s40"}'\n`) + 'Body.\n'}, ruleId: 'frontmatter-marking', gap: true},
  'symlinked attachment to a withheld paper': {
    files: {
      'a.md': fm() + 'See [annex](./annex.txt).\n',
      'b.md': `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`,
      'annex.txt': {symlink: 'b.md'}
    },
    ruleId: 'asset-paper',
    gap: true,
    leak: {file: 'decisions/pcd-100/files/annex.txt', text: `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`}
  },
  'deferral with offset +99:59': {files: {'a.md': fm('deferral:\n  until: "2026-11-25T12:00+99:59"\n') + `${secretSentence}\n`}, ruleId: 'date-invalid'}
}

describe('the pipeline refuses what it once leaked', () => {
  for (const [what, {files, ruleId}] of Object.entries(cases)) {
    it(what, async () => expectBuildRefused(await buildOf(files), ruleId))
  }
})

describe('verify catches what the pipeline leaked', () => {
  for (const [what, {files, leak, gap}] of Object.entries(cases)) {
    ;(gap ? it.fails : it)(what, async () => {
      const hits = await verifyHitsOnLeak(files, leak ?? {file: page, text: secretSentence})
      expect(hits, 'verify hits').toBeGreaterThan(0)
    })
  }
})

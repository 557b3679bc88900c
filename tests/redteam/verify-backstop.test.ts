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

/** A file's text, or a symbolic or hard link to another file of the corpus. */
type File = string | {symlink: string} | {link: string}

function corpus(files: Record<string, File>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-redteam-verify-'))
  const content = path.join(dir, 'content')
  const links: Array<[string, string]> = []
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    if (typeof value === 'string') fs.writeFileSync(file, value)
    else if ('symlink' in value) fs.symlinkSync(value.symlink, file)
    else links.push([path.join(content, value.link), file])
  }
  for (const [target, file] of links) fs.linkSync(target, file)
  return content
}

/** The pipeline's verdict on the attacking content. */
async function buildOf(files: Record<string, File>) {
  return build({content: corpus(files), now})
}

/**
 * verify's hits on a site that carries the leak: the site of the same paper
 * with nothing sensitive, plus `leak` written into its page (or as a file),
 * judged against the attacking content; and the hits on that site without
 * the leak (none, or verify over-reads).
 */
async function verifyHitsOnLeak(files: Record<string, File>, leak: {file: string; text: string}): Promise<{leaked: number; clean: string[]}> {
  const content = corpus(files)
  const clean = corpus({'a.md': fm() + 'Public body.\n'})
  const result = await build({content: clean, now})
  expectBuildOk(result)
  const out = path.join(path.dirname(clean), 'public')
  await writeSite(out, result.files!)
  const before = await verify({content, out, now})
  const target = path.join(out, leak.file)
  fs.mkdirSync(path.dirname(target), {recursive: true})
  if (leak.file.endsWith('index.html')) fs.writeFileSync(target, fs.readFileSync(target, 'utf8').replace('</main>', `<p>${leak.text}</p></main>`))
  else fs.writeFileSync(target, leak.text)
  const report = await verify({content, out, now})
  return {leaked: report.hits.length, clean: before.hits.map((h) => h.kind)}
}

const secretSentence = 'the supplier zkverify quoted four million pounds for the custody contract extension'

const page = 'decisions/pcd-100/index.html'

const withheld = `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`

// Each case was once a gap (`it.fails`) where verify read the paper as the
// pipeline did, and so missed the leak; now verify reads it its own, stricter
// way (src/verify/source.ts and publicFileStreams in src/verify/index.ts):
//  - a ::: closing the block early (in code, a list item, HTML, indented as
//    code): a sensitive block runs to its own closing fence as the author
//    wrote it (code opened in it runs to its own fence; a fence in a list item
//    opened in it, in another quote or indented 4 columns more closes
//    nothing), and a closing fence that closes nothing withholds everything
//    back to the end of the first sensitive block;
//  - an HTML comment: its text is an internal note, secret wherever it stands;
//  - a span, marking or comment in a frontmatter value: secret, not public;
//  - an attachment that is a paper (a symbolic or hard link to one, a copy
//    under another name): its text is never public text, and a copy is read
//    as the paper it is.
// Each case also checks that verify does not over-read: the same site without
// the leak passes against the attacking content.
// `whole`: the content withholds the whole paper, so the site without the
// leak still shows its id and title (hits of kind not-public, and no other).
const cases: Record<string, {files: Record<string, File>; ruleId: string; leak?: {file: string; text: string}; whole?: true}> = {
  'en-dash directive name': {files: {'a.md': fm() + `:::official\u2013sensitive{exemptions="s43"}\n${secretSentence}\n:::\n`}, ruleId: 'directive-unparsed'},
  'non-breaking-hyphen span': {files: {'a.md': fm() + `Lead :official\u2011sensitive[${secretSentence}]{exemptions="s40"} here.\n`}, ruleId: 'directive-unparsed'},
  'code fence closing the block early': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n\`\`\`\n:::\n${secretSentence}\n\`\`\`\n:::\n`}, ruleId: 'directive-stray-fence'},
  'list item ::: closing the block early': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n- item\n  :::\n${secretSentence}\n:::\n`}, ruleId: 'directive-stray-fence'},
  'span in image alt': {files: {'a.md': fm() + `![:official-sensitive[${secretSentence}]{exemptions="s40"}](https://x.example/c.png)\n`}, ruleId: 'directive-unparsed'},
  'comment with a blank line': {files: {'a.md': fm() + `Public text <!-- internal\n\n${secretSentence} -->\n`}, ruleId: 'comment-unparsed'},
  'decision_maker span': {files: {'a.md': fm(`decision_maker: ':official-sensitive[${secretSentence}]{exemptions="s40"}'\n`) + 'Body.\n'}, ruleId: 'frontmatter-marking'},
  'symlinked attachment to a withheld paper': {
    files: {
      'a.md': fm() + 'See [annex](./annex.txt).\n',
      'b.md': `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`,
      'annex.txt': {symlink: 'b.md'}
    },
    ruleId: 'asset-paper',
    leak: {file: 'decisions/pcd-100/files/annex.txt', text: `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`}
  },
  'deferral with offset +99:59': {files: {'a.md': fm('deferral:\n  until: "2026-11-25T12:00+99:59"\n') + `${secretSentence}\n`}, ruleId: 'date-invalid', whole: true},
  // Variants of the gaps above, each refused by the pipeline today.
  'closing fence indented as code': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\nitem\n    :::\n${secretSentence}\n:::\n`}, ruleId: 'directive-stray-fence'},
  'closing fence inside HTML': {files: {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n<div>\n:::\n${secretSentence}\n</div>\n:::\n`}, ruleId: 'directive-stray-fence'},
  'comment in the title': {files: {'a.md': fm().replace('title: Public', `title: "Public <!-- ${secretSentence} -->"`) + 'Body.\n'}, ruleId: 'comment-in-frontmatter'},
  'comment never closed': {files: {'a.md': fm() + `Public text <!-- ${secretSentence}\n`}, ruleId: 'comment-unparsed'},
  'comment in code': {files: {'a.md': fm() + '```\n<!-- ' + secretSentence + ' -->\n```\n'}, ruleId: 'comment-in-code'},
  'marking in a tag': {files: {'a.md': fm(`tags: ["OFFICIAL-SENSITIVE ${secretSentence}"]\n`) + 'Body.\n'}, ruleId: 'frontmatter-marking'},
  'span in the summary': {files: {'a.md': fm(`summary: ":official-sensitive[${secretSentence}]"\n`) + 'Body.\n'}, ruleId: 'frontmatter-marking'},
  'hard link named .csv to a withheld paper': {
    files: {'a.md': fm() + 'See [annex](./annex.csv).\n', 'b.md': withheld, 'annex.csv': {link: 'b.md'}},
    ruleId: 'asset-paper',
    leak: {file: 'decisions/pcd-100/files/annex.csv', text: withheld}
  },
  'symbolic link named .csv to a withheld paper': {
    files: {'a.md': fm() + 'See [annex](./annex.csv).\n', 'b.md': withheld, 'annex.csv': {symlink: 'b.md'}},
    ruleId: 'asset-paper',
    leak: {file: 'decisions/pcd-100/files/annex.csv', text: withheld}
  },
  'copy of a withheld paper named .svg': {
    files: {'a.md': fm() + '![chart](./annex.svg)\n', 'b.md': withheld, 'annex.svg': withheld},
    ruleId: 'asset-paper',
    leak: {file: 'decisions/pcd-100/files/annex.svg', text: withheld}
  },
  'copy of a paper that is in no .md file, named .csv': {
    files: {'a.md': fm() + 'See [annex](./annex.csv).\n', 'annex.csv': fm().replace('PCD 100', 'PCD 8') + `:::official-sensitive{exemptions="s43"}\n${secretSentence}\n:::\n`},
    ruleId: 'asset-paper'
  }
}

describe('the pipeline refuses what it once leaked', () => {
  for (const [what, {files, ruleId}] of Object.entries(cases)) {
    it(what, async () => expectBuildRefused(await buildOf(files), ruleId))
  }
})

describe('verify catches what the pipeline leaked', () => {
  for (const [what, {files, leak, whole}] of Object.entries(cases)) {
    it(what, async () => {
      const hits = await verifyHitsOnLeak(files, leak ?? {file: page, text: secretSentence})
      expect(hits.leaked, 'verify hits on the leak').toBeGreaterThan(0)
      expect(new Set(hits.clean), 'verify hits on the same site without the leak').toEqual(new Set(whole ? ['not-public'] : []))
    })
  }
})

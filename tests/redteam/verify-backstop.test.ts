/**
 * Red team: would `mopac verify` (the second line of defence that `release`
 * runs before every swap) catch what the pipeline let through? Each case is a
 * leak the build publishes today (see the other red-team files); a failing
 * test here means the leak also passes `release`.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {verify} from '../../src/verify/index.js'

const now = new Date('2026-11-25T12:00:00Z')
const fm = (extra = '') => `---\nid: PCD 100\ntitle: Public\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n`

async function verifyHits(files: Record<string, string | {symlink: string}>): Promise<number | 'build-refused'> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-redteam-verify-'))
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'public')
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    if (typeof value === 'string') fs.writeFileSync(file, value)
    else fs.symlinkSync(value.symlink, file)
  }
  const result = await build({content, now})
  if (!result.ok) return 'build-refused'
  await writeSite(out, result.files!)
  const report = await verify({content, out, now})
  return report.hits.length
}

const secretSentence = 'the supplier zkverify quoted four million pounds for the custody contract extension'

const cases: Record<string, Record<string, string | {symlink: string}>> = {
  'en-dash directive name': {'a.md': fm() + `:::official\u2013sensitive{exemptions="s43"}\n${secretSentence}\n:::\n`},
  'non-breaking-hyphen span': {'a.md': fm() + `Lead :official\u2011sensitive[${secretSentence}]{exemptions="s40"} here.\n`},
  'code fence closing the block early': {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n\`\`\`\n:::\n${secretSentence}\n\`\`\`\n:::\n`},
  'list item ::: closing the block early': {'a.md': fm() + `:::official-sensitive{exemptions="s43"}\n- item\n  :::\n${secretSentence}\n:::\n`},
  'span in image alt': {'a.md': fm() + `![:official-sensitive[${secretSentence}]{exemptions="s40"}](https://x.example/c.png)\n`},
  'comment with a blank line': {'a.md': fm() + `Public text <!-- internal\n\n${secretSentence} -->\n`},
  'decision_maker span': {'a.md': fm(`decision_maker: ':official-sensitive[${secretSentence}]{exemptions="s40"}'\n`) + 'Body.\n'},
  'symlinked attachment to a withheld paper': {
    'a.md': fm() + 'See [annex](./annex.txt).\n',
    'b.md': `---\nid: PCD 9\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\n${secretSentence}\n`,
    'annex.txt': {symlink: 'b.md'}
  },
  'deferral with offset +99:59': {'a.md': fm('deferral:\n  until: "2026-11-25T12:00+99:59"\n') + `${secretSentence}\n`}
}

describe('verify catches what the pipeline leaks', () => {
  for (const [what, files] of Object.entries(cases)) {
    it(what, async () => {
      const hits = await verifyHits(files)
      expect(hits === 'build-refused' || hits > 0, `verify hits: ${hits}`).toBe(true)
    })
  }
})

/**
 * Red team round 2, whole site: a directive bypass that reaches the written
 * site, and whether `release` (with the independent leak check) lets it out.
 * SAFE = the build or release refuses, or no canary in any file.
 */
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {tempCorpus} from './helpers.js'

const now = new Date('2026-11-25T12:00:00Z')

const paper = (body: string) => `---\nid: PCD 1\ntitle: Contract\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\n${body}`

const attacks: Record<string, {body: string; canary: string}> = {
  'named entity &shy; in a span name': {body: 'The project lead, :offi&shy;cial-sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush'},
  'named entity &ndash; in a span name': {body: 'The project lead, :official&ndash;sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush'},
  'Cyrillic o + en dash in a span name': {body: 'The project lead, :\u043efficial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush'},
  'block closed early by a list item, real close with trailing text': {
    body: ':::official-sensitive{exemptions="s43"}\n## Part 2 business case\n\n- Bidder shortlist:\n  :::\nThe preferred bidder Xylocorp Holdings offered 4.2 million pounds for the contract.\n::: end of Part 2\n\nPublic text.\n',
    canary: 'xylocorp'
  },
  'block closed early by a list item, real close hidden in inline code': {
    body: ':::official-sensitive{exemptions="s43"}\n- Bidder shortlist:\n  :::\nThe preferred bidder Xylocorp Holdings offered `4.2m\n:::\n`\n\nPublic text.\n',
    canary: 'xylocorp'
  }
}

describe('directive bypasses reach the written site', () => {
  for (const [what, {body, canary}] of Object.entries(attacks)) {
    it(`build + writeSite: ${what}`, async () => {
      const {content, out} = tempCorpus({'a.md': paper(body)})
      const result = await build({content, now})
      if (!result.ok) return
      await writeSite(out, result.files!)
      expect(findCanaries(scanSite(out), [canary])).toEqual([])
    })
    it(`release with verify: ${what}`, async () => {
      const {content, out, state} = tempCorpus({'a.md': paper(body)})
      const result = await release({content, out, state, now, verify: async (staged) => (await verify({content, out: staged, now})).hits})
      if (result.status !== 'released' && result.status !== 'nothing-due') return
      expect(findCanaries(scanSite(out), [canary])).toEqual([])
    })
  }
})

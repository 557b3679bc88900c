/**
 * Red team round 2, whole site: a directive bypass that reaches the written
 * site, and whether `release` (with the independent leak check) lets it out.
 * Each attack is refused: by the build, with the rule that names why, and by
 * release, which holds the paper back (its error logged) and publishes
 * nothing of it.
 */
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {expectBuildRefused, expectReleaseHeld} from '../redteam/helpers.js'
import {tempCorpus} from './helpers.js'

const now = new Date('2026-11-25T12:00:00Z')

const paper = (body: string) => `---\nid: PCD 1\ntitle: Contract\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\n${body}`

const attacks: Record<string, {body: string; canary: string; ruleId: string}> = {
  'named entity &shy; in a span name': {body: 'The project lead, :offi&shy;cial-sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush', ruleId: 'directive-unparsed'},
  'named entity &ndash; in a span name': {body: 'The project lead, :official&ndash;sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush', ruleId: 'directive-unparsed'},
  'Cyrillic o + en dash in a span name': {body: 'The project lead, :\u043efficial\u2013sensitive[Zephyrine Quackenbush]{exemptions="s40"}, manages the grant.\n', canary: 'quackenbush', ruleId: 'directive-unparsed'},
  'block closed early by a list item, real close with trailing text': {
    body: ':::official-sensitive{exemptions="s43"}\n## Part 2 business case\n\n- Bidder shortlist:\n  :::\nThe preferred bidder Xylocorp Holdings offered 4.2 million pounds for the contract.\n::: end of Part 2\n\nPublic text.\n',
    canary: 'xylocorp',
    ruleId: 'directive-stray-fence'
  },
  'block closed early by a list item, real close hidden in inline code': {
    body: ':::official-sensitive{exemptions="s43"}\n- Bidder shortlist:\n  :::\nThe preferred bidder Xylocorp Holdings offered `4.2m\n:::\n`\n\nPublic text.\n',
    canary: 'xylocorp',
    ruleId: 'directive-stray-fence'
  }
}

describe('directive bypasses reach the written site', () => {
  for (const [what, {body, canary, ruleId}] of Object.entries(attacks)) {
    it(`build: ${what}`, async () => {
      const {content} = tempCorpus({'a.md': paper(body)})
      expectBuildRefused(await build({content, now}), ruleId)
    })
    it(`release with verify: ${what}`, async () => {
      const {content, out, state} = tempCorpus({'a.md': paper(body)})
      const result = await release({content, out, state, now, verify: async (staged) => (await verify({content, out: staged, now})).hits})
      expectReleaseHeld(result, {'a.md': ruleId})
      expect(findCanaries(scanSite(out), [canary])).toEqual([])
    })
  }
})

/**
 * A real peer: every CommonMark spec example goes through the pipeline as the
 * body of a public paper, and nothing public is lost: each word of the
 * text a reader sees in the reference rendering (text nodes; not tags,
 * attributes, comments or scripts, which the sanitizer removes on purpose) is
 * in our HTML or our public Markdown.
 */
import {createRequire} from 'node:module'
import {fromHtml} from 'hast-util-from-html'
import {SKIP, visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {processPaper} from '../src/publish/process.js'

const require = createRequire(import.meta.url)
const spec = require('commonmark-spec') as {tests: Array<{markdown: string; html: string; section: string; number: number}>}

const now = new Date('2026-01-01T00:00:00Z')

/** The words of the text a reader sees: text nodes, not tags, attributes, comments or scripts. */
function words(html: string): string[] {
  const parts: string[] = []
  visit(fromHtml(html, {fragment: true}), (node) => {
    if (node.type === 'element' && (node.tagName === 'script' || node.tagName === 'style')) return SKIP
    if (node.type === 'text') parts.push(node.value)
    return undefined
  })
  return parts.join(' ').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0)
}

/**
 * Examples the content rules refuse on purpose, with the rule: a link to a
 * `.md` file would copy a source paper (sensitive parts and all) into the
 * site; a backslash path is ambiguous across systems.
 */
const refused = new Map<number, string>([
  [484, 'asset-paper'],
  [502, 'asset-outside'],
  // micromark (the parser) reads this comment, valid since CommonMark 0.31,
  // as text; a comment published as text is refused.
  [626, 'comment-unparsed'],
  // A comment in an indented code block would be published as written: an
  // internal note is refused wherever it stands.
  [183, 'comment-in-code']
])

describe('CommonMark spec examples', () => {
  for (const example of spec.tests) {
    it(`example ${example.number} (${example.section})`, () => {
      const markdown = example.markdown.replace(/→/g, '\t')
      const text = `---\nid: CM ${example.number}\ntitle: Example\ndate: "2020-01-01"\nclassification: OFFICIAL\n---\n${markdown}`
      const outcome = processPaper({path: 'cm.md', relativePath: 'cm.md', bytes: Buffer.from(text)}, now)
      const fatal = outcome.messages.filter((m) => m.fatal)
      if (refused.has(example.number)) {
        expect([...new Set(fatal.map((m) => m.ruleId))]).toEqual([refused.get(example.number)])
        return
      }
      expect(fatal, JSON.stringify(fatal)).toEqual([])
      const ours = new Set(words(outcome.public!.html))
      const oursMd = new Set(words(outcome.public!.markdown))
      const lost = words(example.html.replace(/→/g, '\t')).filter((w) => !ours.has(w) && !oursMd.has(w))
      expect(lost, `example ${example.number}:\n${example.markdown}\nours:\n${outcome.public!.html}`).toEqual([])
    })
  }
})

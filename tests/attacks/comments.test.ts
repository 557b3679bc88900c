/**
 * Internal notes: HTML comments are removed when read as comments and
 * refused wherever they would be shown, including "every published
 * frontmatter value" and, in prose, "written with entities: `&lt;!--` too".
 */
import {describe, expect, it} from 'vitest'
import {buildAt, content, expectNoCanary, expectRefused, paper} from './helpers.js'

const one = (extra: string, body = 'Public body.\n') => content({'a.md': paper('PCD 1', extra, body)})

describe('(was a hole) an entity-written comment in a published frontmatter value is shown', () => {
  // In prose `&lt;!--` is refused as a note typed that way; in frontmatter the
  // value is shown literally ("a&lt;!-- zqcomment") on the page, tag pages,
  // feed, JSON and CSV, and the tag even becomes a folder name.
  const cases: Record<string, string> = {
    tag: 'tags: ["budget &lt;!-- zqcomment check --&gt;"]\n',
    'withdrawn explanation': 'withdrawn:\n  date: "2024-12-01"\n  explanation: "Superseded. &lt;!-- zqcomment --&gt;"\n',
    summary: 'summary: "Extends the contract. &lt;!-- zqcomment --&gt;"\n'
  }
  for (const [what, extra] of Object.entries(cases)) {
    it(what, async () => {
      const r = await buildAt(one(extra))
      expect(r.ok).toBe(false)
      expectNoCanary(r, ['zqcomment'])
    })
  }
})

describe('held: comments', () => {
  const refused: Record<string, [string, string, string]> = {
    'comment in an update note': ['updates:\n  - date: "2024-07-01"\n    note: "fix <!-- zqcomment -->"\n', 'Body.\n', 'comment-in-frontmatter'],
    'comment in a withdrawn explanation': ['withdrawn:\n  date: "2024-12-01"\n  explanation: "x <!-- zqcomment -->"\n', 'Body.\n', 'comment-in-frontmatter'],
    'comment in a folded summary': ['summary: >\n  a\n  <!-- zqcomment -->\n', 'Body.\n', 'comment-in-frontmatter'],
    'marking in an update note YAML comment': ['updates:\n  - date: "2024-07-01"\n    note: fix # OFFICIAL-SENSITIVE zqcomment\n', 'Body.\n', 'frontmatter-marking'],
    'entity comment in prose': ['', 'Text &lt;!-- zqcomment --&gt; more.\n', 'comment-unparsed'],
    'comment in inline code': ['', 'Use `<!-- zqcomment -->` here.\n', 'comment-in-code'],
    'comment in a textarea': ['', '<textarea><!-- zqcomment --></textarea>\n', 'comment-in-html'],
    'comment in an attribute': ['', '<abbr title="<!-- zqcomment -->">x</abbr>\n', 'comment-in-html'],
    'comment in image alt': ['', '![a <!-- zqcomment -->](https://example.org/x.png)\n', 'comment-unparsed'],
    'comment with a blank line inside': ['', 'Text <!-- zq\n\nzqcomment --> more.\n', 'comment-unparsed']
  }
  for (const [what, [extra, body, rule]] of Object.entries(refused)) {
    it(`refused: ${what}`, async () => expectRefused(await buildAt(one(extra, body)), rule))
  }
  const removed: Record<string, string> = {
    'comment on its own lines': '<!--\nzqcomment\n-->\n\nBody.\n',
    'comment in a paragraph': 'Body <!-- zqcomment --> text.\n',
    'comment in a list item': '- a <!-- zqcomment -->\n- b\n',
    'comment in a table cell': '| a | b |\n|---|---|\n| x <!-- zqcomment --> | y |\n',
    'comment in a link text': '[a <!-- zqcomment --> b](https://example.org/)\n'
  }
  for (const [what, body] of Object.entries(removed)) {
    it(`removed: ${what}`, async () => {
      const r = await buildAt(one('', body))
      expect(r.ok).toBe(true)
      expectNoCanary(r, ['zqcomment'])
    })
  }
})

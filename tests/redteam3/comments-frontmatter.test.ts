/**
 * Red team round 3: HTML comments outside text nodes, markings with invisible
 * characters, and a second frontmatter block.
 */
import {describe, it} from 'vitest'
import {FM, expectPublished, expectRefused, run, runBody} from '../redteam/helpers.js'

// sanitize.ts only looks for `<!--` in `text` nodes; an image's alt and a
// link/definition title are plain strings, so a comment there is published
// verbatim (alt="<!-- internal ... -->", title="...").
describe('was a finding, now refused: HTML comments (internal notes) inside image alt and titles are published', () => {
  const cases: Record<string, string> = {
    'image alt': 'Chart ![chart <!-- internal zk3c1 note -->](https://x.example/c.png) end\n',
    'image alt, unclosed comment': 'Chart ![<!-- internal zk3c2](https://x.example/c.png) end\n',
    'link title': 'See [x](https://x.example/ "<!-- internal zk3c3 note -->") end\n',
    'definition title': 'See [x] end\n\n[x]: https://x.example/ "<!-- internal zk3c4 -->"\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, () => expectRefused(runBody(body), 'comment-unparsed'))
  }
})

describe('was a finding, now refused: marking with an invisible tag character / Armenian letter passes the heading and frontmatter checks', () => {
  it('heading "Part 2 OFFI<U+E0041>CIAL-SENSITIVE"', () => expectRefused(runBody('## Part 2 OFFI\u{E0041}CIAL-SENSITIVE\n\nzk3m1\n'), 'heading-marking'))
  it('heading with Armenian capital oh U+0555', () => expectRefused(runBody('## Part 2 \u0555FFICIAL-SENSITIVE\n\nzk3m2\n'), 'heading-marking'))
  it('title carrying OFFI<U+E0041>CIAL-SENSITIVE', () => {
    expectRefused(run(FM.replace('title: Title', 'title: Part 2 OFFI\u{E0041}CIAL-SENSITIVE zk3m3') + 'Body.\n'), 'frontmatter-marking')
  })
})

// gray-matter reads only the first block; a second `---` YAML block becomes
// body text (thematic break + setext heading), so its deferral is ignored
// (published early) and deferral.reason is published.
describe('was a finding, now refused: a second frontmatter block is published as body text and not applied', () => {
  it('deferral in a second block', () => {
    expectRefused(run(FM + '---\ndeferral:\n  until: "2030-01-01"\n  reason: zk3fm1 awaiting supplier notice\n---\n\nBody.\n'), 'frontmatter-yaml')
  })
  it('YAML end marker `...` then a `---` block', () => {
    expectRefused(run('---\nid: PCD 1\ntitle: T\ndate: "2019-06-20"\nclassification: OFFICIAL\n...\n---\ndeferral:\n  until: "2030-01-01"\n  reason: zk3fm2\n---\nBody\n'), 'frontmatter-yaml')
  })
})

describe('held in round 3', () => {
  it('second block with OFFICIAL-SENSITIVE classification (heading-marking)', () => {
    expectRefused(run(FM + '---\nclassification: OFFICIAL-SENSITIVE\n---\n\nBody zk3ok1.\n'), 'frontmatter-yaml')
  })
  it('heading with LRI between the words', () => expectRefused(runBody('## Part 2 OFFICIAL\u2066-SENSITIVE\n\nzk3ok2\n'), 'heading-marking'))
  it('comment inside link text', () => expectPublished(runBody('[<!-- internal zk3ok3 -->x](https://x.example)\n'), 'zk3ok3'))
})

/**
 * Red team of 5aaa545 ("a label template never joins two papers' values").
 * Every `it` asserts the SAFE outcome: the withheld phrase printed on a
 * planted page is reported.
 *
 * Found, and mended after (a run of more of a field's markers than one
 * paper has is no slot: src/verify/site-text.ts `widest`): LABELS kept two templates whose {tags} slot stands for EVERY
 * paper's tags side by side (the sidebar and the search page's filter list
 * print all the site's tags, sorted):
 *   browse by tag {tags} open data all decisions as csv all
 *   tag {tags} apply filters search decisions search needs javascript
 * `labelled` fills {tags} with ONE paper's tags, so with tags abbey,
 * "Kestrel wing refit", zoning on the site, "browse by tag kestrel wing
 * refit" and "kestrel wing refit open data" / "... apply filters" become
 * public text, though every page prints "abbey kestrel wing refit zoning".
 * (Also seen, not a hole: the accessibility/privacy templates read the
 * config's statement dates as {date}; filled, they add only site words and
 * a date, runs verify does not report anyway.)
 */
import {afterEach, describe, expect, it} from 'vitest'
import {cleanupPlanted, deferred, os, OTHER, planted, pub} from './label-helpers.js'

afterEach(cleanupPlanted)

const tagged = (tag: string): Record<string, string> => ({
  'o.md': OTHER,
  'a.md': pub(4100, 'Gateway support contract extension', '2024-05-01', `tags: [${tag}]\n`),
  'b.md': pub(4200, 'Zoning', '2024-05-02', 'tags: [zoning]\n'),
  'c.md': pub(4300, 'Abbey', '2024-05-03', 'tags: [abbey]\n'),
  'k.md': pub(4400, 'Kestrel wing refit', '2024-05-04') // the words public anyway: only the labels differ
})
const span = (s: string): string => pub(60, 'Fleet review', '2023-02-07', '', `The plan: :official-sensitive[${s}]{exemptions="s43"} later.`)

describe('hole: one paper\'s tag read in the all-tags lists ("browse by tag {tags} open data", "tag {tags} apply filters")', () => {
  for (const s of ['Kestrel wing refit open data', 'browse by tag Kestrel wing refit', 'Kestrel wing refit apply filters search decisions']) {
    it(`a sensitive span "${s}" (public tag "Kestrel wing refit" among abbey, zoning), left in a page, is reported`, async () => {
      const hits = await planted({...tagged('Kestrel wing refit'), 'q.md': span(s)}, `<p>The plan: ${s} later.</p>`)
      expect(hits.length).toBeGreaterThan(0)
    })
  }
  it('a deferred paper titled "Kestrel wing refit open data", printed, is reported', async () => {
    const t = 'Kestrel wing refit open data'
    const hits = await planted({...tagged('Kestrel wing refit'), 'd.md': deferred(t)}, `<h1>${t}</h1>`)
    expect(hits.length).toBeGreaterThan(0)
  })
  it('an OFFICIAL-SENSITIVE paper titled "Kestrel wing refit open data", in the feed, is reported', async () => {
    const t = 'Kestrel wing refit open data'
    const hits = await planted({...tagged('Kestrel wing refit'), 'w.md': os(t, 'Legal advice.')}, `<?xml version="1.0"?><feed><entry><title>${t}</title></entry></feed>`, 'feed.xml')
    expect(hits.length).toBeGreaterThan(0)
  })
  it('control: the same span with the tag NOT a paper\'s (words public as a title) is reported', async () => {
    const s = 'Kestrel wing refit open data'
    const hits = await planted({...tagged('estates'), 'q.md': span(s)}, `<p>The plan: ${s} later.</p>`)
    expect(hits.length).toBeGreaterThan(0)
  })
})

/**
 * The leak check must not block a correct release: a withheld word that the
 * public text also uses is not a leak.
 */
import {describe, expect, it} from 'vitest'
import {buildAndVerify, content, paper} from './helpers.js'

const withBlock = (publicText: string, withheld: string) =>
  content({'a.md': paper('PCD 1', 'part2:\n  exemptions: [s43]\n', `${publicText}\n\n:::official-sensitive\n${withheld}\n:::\n`)})

describe('(was a hole) a public word written with markup inside it is not a leak', () => {
  // Pagefind's fragment joins `re<strong>procurement</strong>` into
  // "reprocurement"; verify's public text did not see that word, so the same
  // word in withheld text was a hit (exit 3), blocking a correct build. The
  // line as a reader sees it (inline markup removed) now counts as public.
  const cases: Record<string, [string, string]> = {
    'emphasis on a prefix': ['This is a **re**procurement, not an extension.', 'Reprocurement costs quoted by the supplier were high.'],
    'emphasis inside a word': ['The con**tract**ors were paid.', 'The contractors were paid late by the finance team.'],
    'code span then letters': ['Use the `Kestrel`wing system.', 'Kestrelwing is the internal name.'],
    'HTML <b> inside a word': ['The <b>Kestrel</b>wing unit.', 'Kestrelwing is the internal name.'],
    'link text then letters': ['The [Kestrel](https://example.org/k)wing team.', 'Kestrelwing is the internal name.']
  }
  for (const [what, [pub, withheld]] of Object.entries(cases)) {
    it(what, async () => {
      const {hits} = await buildAndVerify(withBlock(pub, withheld))
      expect(hits.map((h) => `${h.outputFile}: ${h.match}`)).toEqual([])
    })
  }
})

describe('held: no false positive', () => {
  const cases: Record<string, [string, string]> = {
    'site wording quoted in withheld text': ['Public text.', 'Material withheld. Exempt under section 43 of the Freedom of Information Act 2000: commercial interests.'],
    'prefix of a public word': ['Our contractors were paid.', 'The contract was signed.'],
    'entity in public text': ['We met at the caf&eacute; on Tuesday.', 'The meeting at the café.'],
    'escaped underscore': ['See file report\\_final here.', 'The report_final draft.'],
    'plural of a public word': ['Kestrel teams attended.', 'Kestrels attended.'],
    'word in a public link address': ['See [the framework](https://example.org/procurement-framework).', 'The procurement arrangements.'],
    'word in an abbr title': ['The <abbr title="Kestrelwing">KW</abbr> unit.', 'Kestrelwing is the internal name.']
  }
  for (const [what, [pub, withheld]] of Object.entries(cases)) {
    it(what, async () => {
      const {hits} = await buildAndVerify(withBlock(pub, withheld))
      expect(hits.map((h) => `${h.outputFile}: ${h.match}`)).toEqual([])
    })
  }
})

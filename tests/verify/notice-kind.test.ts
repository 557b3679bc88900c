/**
 * The words a notice adds (its `kind`, the site configuration's contacts) are
 * public text, so verify does not block a correct release over them; and
 * this opens no hole: withheld text around a `kind`, a `kind` nested in
 * withheld material, and a `kind` written inside a span's label stay secret.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {kindValues} from '../../src/verify/source.js'
import {builtSite, pageText, type BuiltSite} from './built-site.js'

const PUBLIC = `---
id: PCD 5600
title: Gateway contract
date: "2024-03-01"
classification: OFFICIAL
---

The contract is approved.

::::official-sensitive{exemptions="s43" kind="Quarrendon pricing schedule"}
## Quarrendon pricing schedule

The Quarrendon pricing schedule sets a day rate agreed with Velmorra Systems.

:::official-sensitive{exemptions="s43" kind="Brightwater annex"}
Nested.
:::
::::

The lead, :official-sensitive[Jane Smith]{exemptions="s40" kind="name"}, reports to the board.
`

let site: BuiltSite
beforeAll(async () => {
  site = await builtSite({'a.md': PUBLIC})
}, 60_000)
afterAll(() => site?.cleanup())

async function planted(html: string) {
  site.plant('x.html', html)
  try {
    return (await site.hits()).filter((h) => h.outputFile === 'x.html').map((h) => h.match)
  } finally {
    fs.rmSync(path.join(site.out, 'x.html'))
  }
}

describe('a notice\'s kind', () => {
  it('is printed, and the built site passes', async () => {
    const page = pageText(fs.readFileSync(path.join(site.out, 'decisions/pcd-5600/index.html'), 'utf8'))
    expect(page).toMatch(/Material withheld: Quarrendon pricing schedule \(\d paragraphs?\)\./)
    expect(page).toContain('[name withheld')
    expect(page).not.toContain('Velmorra')
    expect(await site.hits()).toEqual([])
  })

  it('is public text, even where the withheld block repeats it', async () => {
    expect(await planted('<p>Quarrendon pricing schedule</p>')).toEqual([])
  })

  it('leaves the withheld text around it secret', async () => {
    expect((await planted('<p>Quarrendon pricing schedule: Velmorra Systems</p>')).join(' ')).toContain('velmorra')
    expect(await planted('<p>sets a day rate agreed with</p>')).not.toEqual([])
  })

  it('of a block nested in withheld material stays secret', async () => {
    expect(await planted('<p>Brightwater annex</p>')).not.toEqual([])
  })

  it('is read only from a directive\'s own attributes, never from inside a label', () => {
    expect(kindValues(':::official-sensitive{exemptions="s43" kind="Part 2 business case"}')).toEqual(['Part 2 business case'])
    expect(kindValues('A :official-sensitive[Jane]{exemptions="s40" kind=\'name\'} and :official-sensitive[x]{kind="other"}.')).toEqual(['name', 'other'])
    expect(kindValues(':official-sensitive[a :official-sensitive[b]{kind="Secret words"} c]{exemptions="s40"}')).toEqual([])
    expect(kindValues('kind="loose" in prose, no directive')).toEqual([])
    expect(kindValues(':official-sensitive[the kind="Secret" thing]{exemptions="s40"}')).toEqual([])
  })
})

describe('the site configuration', () => {
  it('is public text: its contacts on every page are no leak, its $comment is no public text', async () => {
    site.paper('s.md', `---\nid: PCD 5601\ntitle: Internal\ndate: "2024-03-01"\nclassification: OFFICIAL-SENSITIVE\n---\n\nWrite to Thornquist Lodge about Varrowby matters.\n`)
    try {
      expect(await planted('<p>Thornquist Lodge</p>')).not.toEqual([])
      fs.writeFileSync(path.join(site.content, 'mopac.config.json'), JSON.stringify({$comment: 'Varrowby', organisation: {address: ['Thornquist Lodge', 'London']}}))
      expect(await planted('<p>Thornquist Lodge</p>')).toEqual([])
      expect(await planted('<p>Varrowby</p>')).not.toEqual([])
    } finally {
      fs.rmSync(path.join(site.content, 's.md'), {force: true})
      fs.rmSync(path.join(site.content, 'mopac.config.json'), {force: true})
    }
  })
})

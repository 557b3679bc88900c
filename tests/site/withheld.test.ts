/**
 * The public side of FOI: one wording for an exemption everywhere, from one
 * table checked against the Act; block notices with the kind and (when safe)
 * the amount of what was withheld; inline markers that read naturally and
 * expand for assistive technology; and the exemptions row's public interest
 * sentences.
 */
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {amountMayBeShown, exemptionPhrase, exemptions, exemptionTest, SECTIONS, underTheAct} from '../../src/content/exemptions.js'
import {redact, toHtml, toMarkdown} from '../../src/pipeline/processor.js'
import {ABOUT_WITHHELD_HREF} from '../../src/pipeline/redact.js'
import {ABOUT_WITHHELD_DIR, linkTo} from '../../src/site/paths.js'
import {makePaper, render, text} from './helpers.js'

function publish(body: string, defaults: string[] = []) {
  const file = new VFile({value: body, path: 'x.md'})
  file.data.relativePath = 'x.md'
  file.data.defaultExemptions = defaults
  const tree = redact(file)
  return {html: toHtml(tree), markdown: toMarkdown(tree), errors: file.messages.filter((m) => m.fatal).map((m) => `${m.ruleId}: ${m.reason}`)}
}

describe('the exemption table', () => {
  it('holds sections 21 to 44 of the Act as Part II has them', () => {
    expect(SECTIONS).toEqual(['21', '22', '22A', '23', '24', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44'])
    for (const section of SECTIONS) expect(exemptions[section].meaning.length, section).toBeGreaterThan(40)
  })

  it('marks as absolute exactly what FOIA 2000 s2(3) does (for a body that is not a House of Parliament)', () => {
    const absolute = SECTIONS.filter((s) => exemptionTest(`s${s}`) === 'absolute')
    expect(absolute).toEqual(['21', '23', '32', '34', '40', '41', '44'])
    // s37 depends on the paragraph; s36 is absolute only for the Houses of Parliament.
    expect(exemptionTest('s37')).toBe('mixed')
    expect(['s37(1)(a)', 's37(1)(aa)', 's37(1)(ab)'].map(exemptionTest)).toEqual(['absolute', 'absolute', 'absolute'])
    expect(['s37(1)(ac)', 's37(1)(ad)', 's37(1)(b)'].map(exemptionTest)).toEqual(['qualified', 'qualified', 'qualified'])
    expect(exemptionTest('s36(2)(b)(i)')).toBe('qualified')
    // s40: absolute for s40(1) and for s40(2) where disclosure breaks the data protection principles.
    expect(['s40', 's40(1)', 's40(2)', 's40(3A)(a)'].map(exemptionTest)).toEqual(['absolute', 'absolute', 'absolute', 'absolute'])
    expect(['s40(3A)(b)', 's40(3B)', 's40(4A)'].map(exemptionTest)).toEqual(['qualified', 'qualified', 'qualified'])
    expect(exemptionTest('s99')).toBeUndefined()
  })

  it('words an exemption one way, at three lengths', () => {
    expect(exemptionPhrase('s43')).toBe('section 43 (commercial interests)')
    expect(exemptionPhrase('s31(1)(a)')).toBe('section 31(1)(a) (law enforcement)')
    expect(exemptionPhrase('s37')).toBe('section 37 (communications with His Majesty and honours)')
    expect(underTheAct(['s43'])).toBe('section 43 of the Freedom of Information Act 2000 (commercial interests)')
    expect(underTheAct(['s43', 's40'])).toBe('section 40 (personal information) and section 43 (commercial interests) of the Freedom of Information Act 2000')
  })

  it('gives no amount where the amount may itself be the information', () => {
    expect(['s23', 's24', 's38', 's40', 's40(2)'].map((c) => amountMayBeShown([c]))).toEqual([false, false, false, false, false])
    expect(amountMayBeShown(['s43'])).toBe(true)
    expect(amountMayBeShown(['s43', 's40'])).toBe(false)
  })
})

describe('notices', () => {
  it('say what kind of material a block held, and roughly how much, in the page and the Markdown', () => {
    const {html, markdown, errors} = publish(':::official-sensitive{exemptions="s43" kind="Part 2 business case"}\n## Costs\n\nOne.\n\nTwo.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n:::\n')
    expect(errors).toEqual([])
    expect(html).toBe(
      '<div class="mopac-withheld" data-pagefind-ignore="all"><p><strong>Material withheld: Part 2 business case</strong> (2 paragraphs and 1 table). Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).</p><p><a href="../../withheld-information/">About withheld information</a></p></div>'
    )
    expect(markdown).toBe('> **Material withheld: Part 2 business case** (2 paragraphs and 1 table). Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).\n')
  })

  it('give no count for personal information, a leaf, or a block with nothing countable; never words', () => {
    expect(publish(':::official-sensitive{exemptions="s40" kind="Names of witnesses"}\nA.\n\nB.\n:::\n').html).toContain('<strong>Material withheld: Names of witnesses.</strong> Exempt under section 40 of the Freedom of Information Act 2000 (personal information).')
    expect(publish('::official-sensitive[A line.]{exemptions="s43"}\n').html).toContain('<strong>Material withheld.</strong> Exempt under section 43')
    expect(publish(':::official-sensitive{exemptions="s43"}\n```\ncode\n```\n:::\n').html).toContain('<strong>Material withheld.</strong> Exempt')
    const {html} = publish(':::official-sensitive{exemptions="s43"}\nFive words are here now.\n:::\n')
    expect(html).toContain('(1 paragraph)')
    expect(html).not.toMatch(/\bwords?\b.*withheld|\d+ words?/)
  })

  it('inline: "[name withheld]" to the eye, the ground for a screen reader, the same plain words in the Markdown', () => {
    const {html, markdown} = publish('The lead, :official-sensitive[Jane Smith]{exemptions="s40" kind="name"}, and :official-sensitive[x]{exemptions="s43"}.\n')
    expect(html).toBe(
      '<p>The lead, <span class="mopac-withheld-inline" data-pagefind-ignore="all">[name withheld<span class="govuk-visually-hidden"> under section 40 of the Freedom of Information Act 2000 (personal information)</span>]</span>, and <span class="mopac-withheld-inline" data-pagefind-ignore="all">[withheld<span class="govuk-visually-hidden"> under section 43 of the Freedom of Information Act 2000 (commercial interests)</span>]</span>.</p>'
    )
    expect(markdown).toBe('The lead, _\\[name withheld under section 40 of the Freedom of Information Act 2000 (personal information)]_, and _\\[withheld under section 43 of the Freedom of Information Act 2000 (commercial interests)]_.\n')
    expect(html).not.toContain('Jane')
  })

  it('link to the about page, which the site writes where the link points', () => {
    expect(linkTo('decisions/pcd-602/index.html', ABOUT_WITHHELD_DIR)).toBe(ABOUT_WITHHELD_HREF)
  })

  it('refuse a kind that is not plain public text, at the directive', () => {
    const bad = {
      '': 'it is empty',
      'OFFICIAL-SENSITIVE annex': 'marking',
      'Annex <b>A</b>': 'markup characters',
      [`${'x'.repeat(81)}`]: '81 characters',
      'Note <!-- internal -->': 'HTML comment'
    }
    for (const [kind, reason] of Object.entries(bad)) {
      const {errors} = publish(`:::official-sensitive{exemptions="s43" kind="${kind}"}\nA.\n:::\n`)
      expect(errors.join('\n'), kind).toMatch(new RegExp(`directive-kind-invalid: Invalid \`kind\`.*${reason.replace(/[()]/g, '\\$&')}`))
    }
    expect(publish(':official-sensitive[x]{exemptions="s40" kind=":official-sensitive[y]"}\n').errors.join('\n')).toMatch(/directive-kind-invalid/)
    expect(publish(':official-sensitive[x]{exemptions="s40" kind="name"}\n').errors).toEqual([])
    expect(publish(':official-sensitive[x]{exemptions="s40" knd="name"}\n').errors.join('\n')).toMatch(/directive-attribute-unknown: .*the attributes are `exemptions` and `kind`/)
  })
})

describe('one wording on every output', () => {
  const paper = makePaper(3, {exemptions: [{code: 's43', section: '43', title: 'Commercial interests'}, {code: 's40', section: '40', title: 'Personal information'}], withheld: 1})

  it('pages, listings, feed and open data use the table\'s wording, never the Act\'s heading or another form', async () => {
    const files = await render([paper, makePaper(1)], {baseUrl: 'https://decisions.example.org/'})
    const outputs = ['index.html', 'decisions/pcd-2003/index.html', 'feed.xml', 'decisions.csv', 'archive/2026/index.html'].map((path) => [path, text(files, path)] as const)
    for (const [path, content] of outputs) {
      expect(content, path).toContain('section 40 (personal information)')
      expect(content, path).toContain('section 43 (commercial interests)')
      expect(content, path).not.toMatch(/Section 43:|\(Commercial interests\)|: commercial interests|s43 Commercial/)
    }
    const json = JSON.parse(text(files, 'decisions.json'))
    expect(json.decisions.find((d: {id: string}) => d.id === 'PCD 2003').exemptions).toEqual([
      {code: 's43', section: '43', title: 'Commercial interests', label: 'section 43 (commercial interests)'},
      {code: 's40', section: '40', title: 'Personal information', label: 'section 40 (personal information)'}
    ])
  })

  it('the exemptions row says, for each, whether the public interest test applied', async () => {
    const page = text(await render([paper]), 'decisions/pcd-2003/index.html')
    expect(page).toContain('<li>section 40 (personal information). This is an absolute exemption: the Act does not require a public interest test.</li>')
    expect(page).toContain('<li>section 43 (commercial interests). This is a qualified exemption: we applied the public interest test and found that the public interest in withholding this information outweighs the public interest in publishing it.</li>')
    // The page's notice names them in full and links to the about page.
    expect(page).toContain('exempt from publication under section 40 (personal information) and section 43 (commercial interests) of the Freedom of Information Act 2000 and has been withheld.')
    expect(page).toContain('<a class="govuk-link" href="../../withheld-information/">About withheld information</a>')
  })
})

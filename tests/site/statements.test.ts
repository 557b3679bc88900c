/**
 * The site's statements and search page, rendered: "About withheld
 * information" (exemptions, deferral, Part 2 review, FOI request, internal
 * review, ICO), the accessibility statement as the model statement has it,
 * the privacy notice, all with the organisation's values from the site
 * configuration; the footer link on every page; and the GOV.UK search page.
 */
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG, parseSiteConfig} from '../../src/config/load.js'
import type {SiteConfig} from '../../src/config/types.js'
import {exemptionPhrase, exemptions, SECTIONS} from '../../src/content/exemptions.js'
import {makePaper, render, text} from './helpers.js'

function config(json: object): SiteConfig {
  const result = parseSiteConfig(JSON.stringify(json))
  if (!result.config) throw new Error(result.file.messages.map((m) => m.reason).join('\n'))
  return result.config
}

/** A page's text, tags dropped and entities of the apostrophe decoded. */
const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ')

const EXAMPLE = config({
  organisation: {name: 'Example Office for Policing', shortName: 'EOP', address: ['1 Example Street', 'London', 'E1 1AA']},
  foi: {email: 'foi@example.org', webForm: 'https://example.org/foi', internalReview: {email: 'review@example.org'}},
  accessibility: {contact: {email: 'a11y@example.org', phone: '020 7946 0000'}, responseDays: 7, prepared: '2026-01-05', lastReviewed: '2026-06-01', compliance: 'partial', nonAccessible: ['Charts in older decisions have no text description.']},
  privacy: {contact: {email: 'dpo@example.org'}, lastUpdated: '2026-06-02'}
})

describe('About withheld information', () => {
  it('explains every exemption from the table, deferral, the Part 2 review, and how to ask, review and complain', async () => {
    const page = text(await render([makePaper(1)], {config: EXAMPLE}), 'withheld-information/index.html')
    const words = plain(page)
    expect(page).toContain('<title>About withheld information - MOPAC decisions</title>')
    for (const section of SECTIONS) {
      expect(words).toContain(exemptionPhrase(`s${section}`))
      expect(words).toContain(exemptions[section].meaning.replace(/&/g, '&amp;'))
    }
    expect(words).toContain('section 43 (commercial interests) The information is a trade secret, or publishing it would, or would be likely to, harm someone’s commercial interests')
    expect(words).toContain('Public interest test: qualified, the public interest test applies.')
    expect(words).toContain('Public interest test: absolute, no public interest test.')
    for (const heading of ['How withheld material is shown', 'The exemptions', 'Deferred decisions', 'How long material stays withheld', 'Ask for withheld information', 'Ask for an internal review', 'Complain to the Information Commissioner']) expect(page).toContain(`<h2 class="govuk-heading-m">${heading}</h2>`)
    expect(words).toContain('Part 2 of the decision form')
    expect(words).toContain('We must reply within 20 working days')
    expect(words).toContain('within 40 working days of our reply')
    // The organisation's own contacts, and the ICO's.
    expect(words).toContain('decisions of the Example Office for Policing (EOP)')
    expect(page).toContain('<a class="govuk-link" href="mailto:foi@example.org">foi@example.org</a>')
    expect(page).toContain('<a class="govuk-link" href="https://example.org/foi">Make a request online</a>')
    expect(page).toContain('<a class="govuk-link" href="mailto:review@example.org">review@example.org</a>')
    expect(page).toContain('<a class="govuk-link" href="https://ico.org.uk/make-a-complaint/">Make a complaint to the ICO online</a>')
    expect(words).toContain('Telephone: 0303 123 1113')
    expect(words).toContain('Wycliffe House')
  })

  it('has MOPAC\'s defaults without a configuration: FOI by post to City Hall', async () => {
    const words = plain(text(await render([makePaper(1)]), 'withheld-information/index.html'))
    expect(words).toContain("Mayor's Office for Policing and Crime (MOPAC)")
    expect(words).toContain('Post: Freedom of Information Mayor\'s Office for Policing and Crime City Hall Kamal Chunchie Way London E16 1ZE')
  })

  it('is linked from every page\'s footer', async () => {
    const files = await render([makePaper(1), makePaper(3)], {config: EXAMPLE})
    for (const [path, content] of files) {
      if (!path.endsWith('.html')) continue
      const target = path === '404.html' ? '/withheld-information/' : undefined
      expect(content, path).toMatch(target ? new RegExp(`href="${target}">About withheld information`) : /href="(?:[./]*withheld-information\/|\.\/)">About withheld information<\/a><\/li>/)
    }
  })
})

describe('accessibility statement', () => {
  it('has every part of the model statement, with the organisation\'s values', async () => {
    const page = text(await render([makePaper(1)], {config: EXAMPLE}), 'accessibility/index.html')
    const words = plain(page)
    expect(page).toContain('<h1 class="govuk-heading-l">Accessibility statement for MOPAC decisions</h1>')
    for (const heading of ['How accessible this website is', 'Feedback and contact information', 'Reporting accessibility problems with this website', 'Enforcement procedure', 'Technical information about this website’s accessibility', 'Non-accessible content', 'What we’re doing to improve accessibility', 'Preparation of this accessibility statement']) expect(page).toContain(`<h2 class="govuk-heading-m">${heading}</h2>`)
    expect(page).toContain('<h3 class="govuk-heading-s">Compliance status</h3>')
    expect(words).toContain('This website is run by the Example Office for Policing.')
    expect(words).toContain('This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.')
    expect(words).toContain('Charts in older decisions have no text description.')
    expect(words).toContain('Email: a11y@example.org Telephone: 020 7946 0000')
    expect(words).toContain('get back to you in 7 working days')
    expect(words).toContain('This statement was prepared on 5 January 2026. It was last reviewed on 1 June 2026.')
    expect(words).toContain('axe-core')
    expect(words).toContain('Nu Html Checker')
    // The enforcement procedure: EHRC, EASS, and the Equality Commission for Northern Ireland.
    expect(words).toContain('The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018')
    expect(page).toContain('href="https://www.equalityadvisoryservice.com/"')
    expect(page).toContain('href="https://www.equalityni.org/Home">Equality Commission for Northern Ireland</a>')
    expect(words).toContain('in Northern Ireland.')
  })

  it('says "fully compliant" and "none known" when the configuration says so', async () => {
    const full = config({accessibility: {compliance: 'full', nonAccessible: [], lastTested: '2026-05-01'}})
    const words = plain(text(await render([makePaper(1)], {config: full}), 'accessibility/index.html'))
    expect(words).toContain('This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.')
    expect(words).toContain('We know of no content on this website that is not accessible.')
    expect(words).toContain('This website was last tested by a person on 1 May 2026.')
    const not = config({accessibility: {compliance: 'not', nonAccessible: ['Nothing works.']}})
    expect(plain(text(await render([makePaper(1)], {config: not}), 'accessibility/index.html'))).toContain('This website is not compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.')
    expect(DEFAULT_CONFIG.accessibility.compliance).toBe('partial')
  })
})

describe('privacy notice', () => {
  it('says in plain words that the site collects nothing, and whom to ask', async () => {
    const words = plain(text(await render([makePaper(1)], {config: EXAMPLE}), 'privacy/index.html'))
    expect(words).toContain('In short: nothing.')
    expect(words).toContain('It does not set cookies.')
    expect(words).toContain('It does not use analytics, advertising or tracking of any kind.')
    expect(words).toContain('Email: dpo@example.org')
    expect(words).toContain('This notice was last updated on 2 June 2026.')
  })
})

describe('search page', () => {
  it('is a GOV.UK form: a labelled box and button, year and tag filters as checkboxes with tags as written', async () => {
    const files = await render([makePaper(1), makePaper(2, {tags: ['Community safety']})])
    const page = text(files, 'search/index.html')
    expect(page).toContain('<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for="search-q">Search decisions</label></h1>')
    expect(page).toContain('<input class="govuk-input" id="search-q" name="q" type="search" spellcheck="false" autocomplete="off" aria-describedby="search-q-hint">')
    expect(page).toContain('<button class="govuk-button" type="submit" data-module="govuk-button">Search</button>')
    expect(page).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Decision year</legend>')
    expect(page).toContain('<input class="govuk-checkboxes__input" id="year-1" name="year" type="checkbox" value="2026"><label class="govuk-label govuk-checkboxes__label" for="year-1">2026</label>')
    expect(page).toContain('value="Community safety"><label class="govuk-label govuk-checkboxes__label" for="tag-1">Community safety</label>')
    expect(page).not.toContain('community-safety<')
    // The status line is announced; the form waits for the script; without it the page says what to do.
    expect(page).toContain('<p class="govuk-body mopac-results__count" id="search-status" role="status"></p>')
    expect(page).toMatch(/<form class="mopac-search-form" id="search-form" action=".\/" method="get" role="search" aria-label="Decisions" hidden data-bundle="..\/search-index\/" data-root="..\/">/)
    expect(page).toContain('Search needs JavaScript. If it is off or not working in your browser, you can <a class="govuk-link" href="../archive/">browse decisions by year or tag</a>')
    expect(page).toContain('<link rel="stylesheet" href="../assets/search.css">')
    expect(page).not.toContain('pagefind-ui')
    expect(files.get('assets/search.css')).toMatch(/\.govuk-checkboxes__input/)
    expect(files.get('assets/site.css')).not.toMatch(/\.govuk-checkboxes__input/)
  })

  it('gives search each paper\'s tags as written, its year and reference, and keeps labels out of excerpts', async () => {
    const files = await render([makePaper(2, {tags: ['Community safety']})])
    const page = text(files, 'decisions/pcd-2002/index.html')
    expect(page).toContain('<meta property="article:tag" content="Community safety">')
    expect(page).toMatch(/<span class="govuk-caption-l">PCD 2002<\/span>\n<h1/)
    const [shard] = (JSON.parse(text(files, 'search-index/meta.json')) as {shards: {name: string}[]}).shards.map((s) => s.name)
    expect(JSON.parse(text(files, `search-index/${shard}/filters.json`))).toEqual({year: {'2026': [0]}, tag: {'Community safety': [0]}, day: [expect.any(Number)]})
    expect(JSON.parse(text(files, `search-index/${shard}/docs/0.json`))[0]).toEqual(['decisions/pcd-2002/', expect.any(String), 'PCD 2002', expect.stringMatching(/ 2026$/)])
    expect(page).toContain('<div data-pagefind-ignore="index"><dl class="govuk-summary-list">')
  })
})

/**
 * The site's statements: "About withheld information" (the exemptions, how
 * to ask for withheld material, internal review and the Information
 * Commissioner), the accessibility statement (the model statement of the
 * Public Sector Bodies (Websites and Mobile Applications) (No. 2)
 * Accessibility Regulations 2018) and the privacy notice. What is particular
 * to the organisation (names, contacts, dates, the accessibility status)
 * comes from the site configuration (`mopac.config.json`); the exemptions
 * from the one table in src/content/exemptions.ts.
 */
import {h} from '../vendor/index.js'
import type {Element, ElementContent} from 'hast'
import type {Contact} from '../config/types.js'
import {exemptions, exemptionPhrase, exemptionTest, SECTIONS, underTheAct} from '../content/exemptions.js'
import {hrefFor, type Href} from './layout.js'
import {bullets, h2, p, textPage, type Inline, type SiteContext} from './pages.js'
import {ABOUT_WITHHELD_DIR, formatLongDate} from './paths.js'

const h3 = (text: string) => h('h3.govuk-heading-s', text)
const link = (href: string, text: string) => h('a.govuk-link', {href}, text)

/** A contact's ways in, one a line: email, telephone, online form, post. */
export function contactList(contact: Contact, formText = 'Use the online form'): Element {
  const items: Inline[][] = []
  if (contact.email) items.push(['Email: ', link(`mailto:${contact.email}`, contact.email)])
  if (contact.phone) items.push(['Telephone: ', contact.phone])
  if (contact.webForm) items.push([link(contact.webForm, formText)])
  if (contact.address) items.push(['Post:', ...contact.address.flatMap((line) => [h('br'), line])])
  return h('ul.govuk-list', items.map((item) => h('li', item)))
}

/** "The information" page: what withheld material is, and what a reader can do about it. */
export function aboutWithheldPage(site: SiteContext): string {
  const path = `${ABOUT_WITHHELD_DIR}index.html`
  const {organisation: org, foi, ico} = site.config
  const example = underTheAct(['s43'])
  const testText = (section: string): string => {
    const entry = exemptions[section]
    if (entry.note) return entry.note.charAt(0).toLowerCase() + entry.note.slice(1)
    return exemptionTest(`s${section}`) === 'absolute' ? 'absolute, no public interest test' : 'qualified, the public interest test applies'
  }
  // A summary list rather than a table: its rows stack on a phone, where three columns would not fit.
  const table = h(
    'dl.govuk-summary-list',
    SECTIONS.map((section) =>
      h('div.govuk-summary-list__row', {id: `section-${section.toLowerCase()}`}, [
        h('dt.govuk-summary-list__key', exemptionPhrase(`s${section}`)),
        h('dd.govuk-summary-list__value', [exemptions[section].meaning, h('br'), `Public interest test: ${testText(section)}.`])
      ])
    )
  )
  return textPage(site, path, 'About withheld information', [
    p(`We publish the decisions of the ${org.name} (${org.shortName}) on this website under the Freedom of Information Act 2000. Some material in a decision can be exempt from publication under the Act. When it is, we remove it before the decision is published and say so in its place.`),
    h2('How withheld material is shown'),
    p('Where a passage, such as a section, some paragraphs or a table, has been removed, a notice takes its place, for example:'),
    h('div.mopac-withheld', [h('p.govuk-body', [h('strong', 'Material withheld: Part 2 business case'), ` (2 paragraphs and 1 table). Exempt under ${example}.`])]),
    p(
      'Where a few words have been removed, such as a name, the text reads ',
      h('span.mopac-withheld-inline', ['[name withheld', h('span.govuk-visually-hidden', ` under ${underTheAct(['s40'])}`), ']']),
      ' or ',
      h('span.mopac-withheld-inline', ['[withheld', h('span.govuk-visually-hidden', ` under ${underTheAct(['s40'])}`), ']']),
      '. Screen readers also read out the exemption.'
    ),
    p('A notice says what kind of material was withheld when we can say so without giving it away. It also says roughly how much was removed, as a number of paragraphs and tables, but not for personal information, or for material about security bodies, national security or someone’s health and safety, where the amount itself could give something away. We never say how many words or letters were removed.'),
    p('Each decision lists the exemptions applied to it, and whether the public interest test applies to each.'),
    h2('The exemptions'),
    p('Each exemption is a section of the Freedom of Information Act 2000. Most are qualified: we withhold the information only when the public interest in withholding it outweighs the public interest in publishing it. Some are absolute: the Act does not require a public interest test.'),
    table,
    h2('Deferred decisions'),
    p('Some decisions are published some time after they are made: their publication is deferred until a date, for example until a contract has been signed or the people affected have been told. A deferred decision appears on this website on that date, with any exempt material withheld. Until then it is not listed.'),
    h2('How long material stays withheld'),
    p(`Exempt material is kept in Part 2 of the decision form. When the decision is made, Part 2 is given a date by which ${org.shortName} will review whether it still needs to be withheld. An exemption applies only while its reasons hold: what no longer needs to be withheld is published, and the decision’s page lists the update.`),
    p('You do not need to wait for a review. You can ask for withheld material at any time, and we will consider whether an exemption still applies when you ask.'),
    h2('Ask for withheld information'),
    p(`You have the right to ask ${org.shortName} for information it holds, including material withheld from these pages. Make your request in writing, give your name and an address for our reply (an email address is fine), and describe the information you want: give the decision’s reference, shown at the top of its page.`),
    contactList(foi.request, 'Make a request online'),
    p('We must reply within 20 working days. If we withhold information, we will tell you which exemption applies and why.'),
    h2('Ask for an internal review'),
    p('If you are not happy with our reply to your request, you can ask us to review it. Ask within 40 working days of our reply, and say what you would like us to look at again. Where possible, someone who was not involved in the original reply carries out the review, and we aim to reply within 20 working days.'),
    contactList(foi.internalReview, 'Ask for a review online'),
    h2('Complain to the Information Commissioner'),
    p('If you are still not happy after the internal review, you can complain to the Information Commissioner’s Office (ICO), which regulates Freedom of Information. The ICO will usually expect you to have asked for an internal review first.'),
    contactList({webForm: ico.complaintsUrl, phone: ico.phone, address: ico.address}, 'Make a complaint to the ICO online')
  ])
}

const compliance = {
  full: 'This website is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.',
  partial: 'This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below.',
  not: 'This website is not compliant with the Web Content Accessibility Guidelines version 2.2 AA standard. The non-compliances are listed below.'
} as const

/** The accessibility statement, in the model statement's order and words. */
export function accessibilityPage(site: SiteContext): string {
  const path = 'accessibility/index.html'
  const href: Href = hrefFor({path})
  const {site: about, organisation: org, accessibility: a} = site.config
  const regulations = 'Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018'
  const nonAccessible: ElementContent[] =
    a.nonAccessible.length === 0
      ? [p('We know of no content on this website that is not accessible.')]
      : [p('The content listed below is non-accessible for the following reasons.'), h3('Non-compliance with the accessibility regulations'), bullets(a.nonAccessible)]
  return textPage(site, path, `Accessibility statement for ${about.name}`, [
    p(`This accessibility statement applies to the ${about.name} website${about.baseUrl ? ` at ${about.baseUrl}` : ''}, which publishes the decisions of the ${org.name} (${org.shortName}).`),
    p(`This website is run by the ${org.name}. We want as many people as possible to be able to use this website. For example, that means you should be able to:`),
    bullets([
      'change colours, contrast levels and fonts using browser or device settings',
      'zoom in up to 400% without the text spilling off the screen',
      'navigate most of the website using just a keyboard or speech recognition software',
      'listen to most of the website using a screen reader',
      ['read every decision, and browse them by year and by tag, without JavaScript (search needs JavaScript; without it, ', h('a.govuk-link', {href: href('archive/')}, 'browse decisions by year or tag'), ')']
    ]),
    p('We’ve also made the website text as simple as possible to understand.'),
    p(link('https://mcmw.abilitynet.org.uk/', 'AbilityNet'), ' has advice on making your device easier to use if you have a disability.'),
    h2('How accessible this website is'),
    ...(a.nonAccessible.length === 0 ? [p('We know of no part of this website that is not accessible.')] : [p('We know some parts of this website are not fully accessible:'), bullets(a.nonAccessible)]),
    h2('Feedback and contact information'),
    p('If you need information on this website in a different format like accessible PDF, large print, easy read, audio recording or braille:'),
    contactList(a.contact),
    p(`We’ll consider your request and get back to you in ${a.responseDays} working ${a.responseDays === 1 ? 'day' : 'days'}.`),
    h2('Reporting accessibility problems with this website'),
    p('We’re always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we’re not meeting accessibility requirements, contact us in the same way.'),
    h2('Enforcement procedure'),
    p(`The Equality and Human Rights Commission (EHRC) is responsible for enforcing the ${regulations} (the ‘accessibility regulations’). If you’re not happy with how we respond to your complaint, `, link('https://www.equalityadvisoryservice.com/', 'contact the Equality Advisory and Support Service (EASS)'), '.'),
    p(`If you are in Northern Ireland and are not happy with how we respond to your complaint you can contact the `, link('https://www.equalityni.org/Home', 'Equality Commission for Northern Ireland'), ` who are responsible for enforcing the ${regulations} (the ‘accessibility regulations’) in Northern Ireland.`),
    h2('Technical information about this website’s accessibility'),
    p(`The ${org.name} is committed to making its website accessible, in accordance with the ${regulations}.`),
    h3('Compliance status'),
    p(compliance[a.compliance]),
    h2('Non-accessible content'),
    ...nonAccessible,
    h3('Disproportionate burden'),
    p('We are not claiming that fixing any accessibility problem would be a disproportionate burden.'),
    h2('What we’re doing to improve accessibility'),
    p(
      'Where material has been withheld under the Freedom of Information Act 2000, a notice in the text says so, and screen readers read out the exemption. Every page is tested each time the website changes (see below). ',
      link(href(ABOUT_WITHHELD_DIR), 'About withheld information'),
      ' explains the notices.'
    ),
    h2('Preparation of this accessibility statement'),
    p(`This statement was prepared on ${formatLongDate(a.prepared)}. It was last reviewed on ${formatLongDate(a.lastReviewed)}.`),
    ...(a.lastTested ? [p(`This website was last tested by a person on ${formatLongDate(a.lastTested)}.`)] : []),
    p('Every version of this website is tested automatically before it is published: each kind of page (the lists of decisions, a decision, the archives, search with results and without, this page and the page about withheld information) is checked with axe-core against the WCAG 2.2 A and AA rules in the Chromium browser at desktop and phone sizes; the HTML of every page is checked with the Nu Html Checker; and keyboard-only navigation and reading without JavaScript are tested.'),
    p(a.lastTested ? 'Automated tests do not find every problem.' : 'Automated tests do not find every problem, and the website has not yet been audited by a person.')
  ])
}

/** The privacy notice: what the website collects (nothing), in plain words. */
export function privacyPage(site: SiteContext): string {
  const path = 'privacy/index.html'
  const href = hrefFor({path})
  const {organisation: org, privacy, ico} = site.config
  return textPage(site, path, 'Privacy', [
    p('This page explains what this website collects about you when you use it. In short: nothing.'),
    h2('What this website collects'),
    bullets([
      'It does not set cookies.',
      'It does not use analytics, advertising or tracking of any kind.',
      'It does not ask you for any personal information: there are no forms to fill in.',
      'Search runs in your browser. The words you search for are not sent to us: your browser downloads parts of a search index and looks them up itself.'
    ]),
    h2('Web server logs'),
    p('Like any website, the web server that hosts these pages may record technical information about each request, such as your IP address, the page asked for and the time, to keep the service secure and running. Any such records are kept only as long as needed for that purpose.'),
    h2('Personal information in decisions'),
    p('Personal information that is exempt from publication under ', exemptionPhrase('s40'), ' of the Freedom of Information Act 2000 is removed from decisions before they are published, and the place it was removed is marked. ', link(href(ABOUT_WITHHELD_DIR), 'About withheld information'), ' explains how.'),
    h2('Contact'),
    p(`The ${org.name} (${org.shortName}) is responsible for this website. To ask about how ${org.shortName} handles personal information, contact:`),
    contactList(privacy.contact),
    h2('Complaints'),
    p('If you are unhappy with how your personal information is handled, you can complain to the Information Commissioner’s Office (ICO):'),
    contactList({webForm: ico.complaintsUrl, phone: ico.phone}, 'Make a complaint to the ICO online'),
    ...(privacy.lastUpdated ? [p(`This notice was last updated on ${formatLongDate(privacy.lastUpdated)}.`)] : []),
    p('You can also see ', link(href('accessibility/'), 'the accessibility statement'), '.')
  ])
}

/**
 * GOV.UK Frontend components as hast, written out without their JavaScript:
 * summary list, pagination, the decision list, the withdrawal notice
 * (notification banner) and the change history (details). Class names are spelt out in
 * full (site/build-css.mjs keeps the CSS of the classes named here).
 */
import {h, s} from '../vendor/index.js'
import type {Element, ElementContent} from 'hast'
import type {PublicPaper} from '../publish/types.js'
import {exemptionProse, formatLongDate, hasWithheld, instantDate, paperDir, pageDir} from './paths.js'
import type {Href} from './layout.js'

export interface Row {
  key: string
  value: ElementContent[] | string
}

export function summaryList(rows: Row[]): Element {
  return h(
    'dl.govuk-summary-list',
    rows.map((row) =>
      h('div.govuk-summary-list__row', [h('dt.govuk-summary-list__key', row.key), h('dd.govuk-summary-list__value', typeof row.value === 'string' ? [row.value] : row.value)])
    )
  )
}

export function dateElement(isoDate: string): Element {
  return h('time', {dateTime: isoDate}, formatLongDate(isoDate))
}

const prevIcon = () =>
  s('svg.govuk-pagination__icon.govuk-pagination__icon--prev', {xmlns: 'http://www.w3.org/2000/svg', height: '13', width: '15', ariaHidden: 'true', focusable: 'false', viewBox: '0 0 15 13'}, [
    s('path', {d: 'm6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z'})
  ])
const nextIcon = () =>
  s('svg.govuk-pagination__icon.govuk-pagination__icon--next', {xmlns: 'http://www.w3.org/2000/svg', height: '13', width: '15', ariaHidden: 'true', focusable: 'false', viewBox: '0 0 15 13'}, [
    s('path', {d: 'm8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z'})
  ])

/** The page numbers to show: first, last, and the current one with its neighbours; 0 is an ellipsis. */
export function pageNumbers(current: number, total: number): number[] {
  const wanted = new Set([1, total, current - 1, current, current + 1].filter((n) => n >= 1 && n <= total))
  const sorted = [...wanted].sort((a, b) => a - b)
  const out: number[] = []
  for (const n of sorted) {
    const last = out[out.length - 1]
    if (last !== undefined && n - last === 2) out.push(n - 1)
    else if (last !== undefined && n - last > 2) out.push(0)
    out.push(n)
  }
  return out
}

/** Numbered pagination for page `current` of `total` of the listing whose first page is folder `dir`. */
export function pagination(href: Href, dir: string, current: number, total: number): Element | undefined {
  if (total <= 1) return undefined
  const link = (n: number) => href(pageDir(dir, n))
  return h('nav.govuk-pagination', {ariaLabel: 'Pagination'}, [
    ...(current > 1
      ? [
          h('div.govuk-pagination__prev', [
            h('a.govuk-link.govuk-pagination__link', {href: link(current - 1), rel: 'prev'}, [
              prevIcon(),
              h('span.govuk-pagination__link-title', ['Previous', h('span.govuk-visually-hidden', ' page')])
            ])
          ])
        ]
      : []),
    h(
      'ul.govuk-pagination__list',
      pageNumbers(current, total).map((n) =>
        n === 0
          ? h('li.govuk-pagination__item.govuk-pagination__item--ellipsis', '\u22ef')
          : h('li.govuk-pagination__item', {className: n === current ? ['govuk-pagination__item--current'] : []}, [
              h('a.govuk-link.govuk-pagination__link', {href: link(n), ariaLabel: `Page ${n}`, ariaCurrent: n === current ? 'page' : undefined}, String(n))
            ])
      )
    ),
    ...(current < total
      ? [
          h('div.govuk-pagination__next', [
            h('a.govuk-link.govuk-pagination__link', {href: link(current + 1), rel: 'next'}, [
              h('span.govuk-pagination__link-title', ['Next', h('span.govuk-visually-hidden', ' page')]),
              nextIcon()
            ])
          ])
        ]
      : [])
  ])
}

/** Previous and next decision, in GOV.UK's block pagination. */
export function prevNext(href: Href, older: PublicPaper | undefined, newer: PublicPaper | undefined): Element | undefined {
  if (!older && !newer) return undefined
  const item = (paper: PublicPaper, which: 'prev' | 'next') =>
    h(which === 'prev' ? 'div.govuk-pagination__prev' : 'div.govuk-pagination__next', [
      h('a.govuk-link.govuk-pagination__link', {href: href(paperDir(paper)), rel: which}, [
        which === 'prev' ? prevIcon() : nextIcon(),
        h('span.govuk-pagination__link-title', which === 'prev' ? 'Previous decision' : 'Next decision'),
        h('span.govuk-visually-hidden', ':'),
        ' ',
        h('span.govuk-pagination__link-label', `${paper.id}: ${paper.title}`)
      ])
    ])
  return h('nav.govuk-pagination.govuk-pagination--block', {ariaLabel: 'Previous and next decision'}, [
    ...(older ? [item(older, 'prev')] : []),
    ...(newer ? [item(newer, 'next')] : [])
  ])
}

/** The "exempt material withheld" flag of a listing entry, naming the sections. */
export function withheldFlag(paper: PublicPaper): Element | undefined {
  if (!hasWithheld(paper)) return undefined
  const prose = exemptionProse(paper)
  return h('p', [h('strong.govuk-tag.govuk-tag--grey', 'Exempt material withheld'), prose ? ` under ${prose}` : ''])
}

/**
 * One entry of a decision list. Kept small (a listing page has 50), so its
 * elements are styled through `.mopac-list` rather than classes of their own.
 */
export function listItem(href: Href, paper: PublicPaper, firstPublished?: string): Element {
  const meta: (string | ElementContent)[] = [`Reference: ${paper.id}`, h('br'), `Decision date: ${formatLongDate(paper.date)}`]
  // Listings stay in decision-date order; when the paper went live is shown too.
  const published = instantDate(firstPublished)
  if (published) meta.push(h('br'), 'First published: ', h('time', {dateTime: firstPublished}, formatLongDate(published)))
  if (paper.decisionMaker) meta.push(h('br'), `Decision maker: ${paper.decisionMaker}`)
  const flag = withheldFlag(paper)
  return h('li', [h('h2', [h('a', {href: href(paperDir(paper))}, paper.title)]), h('p', meta), ...(flag ? [flag] : [])])
}

export function decisionList(href: Href, papers: PublicPaper[], firstPublished?: Map<string, string>): Element {
  return h(
    'ol.mopac-list',
    papers.map((paper) => listItem(href, paper, firstPublished?.get(paper.slug)))
  )
}

/**
 * The withdrawal notice, GOV.UK's notification banner (without its script):
 * a region named by its title, so assistive technology can find it.
 */
export function withdrawnNotice(withdrawn: {date: string; explanation: string}): Element {
  return h('div.govuk-notification-banner', {role: 'region', ariaLabelledBy: 'withdrawn-title'}, [
    h('div.govuk-notification-banner__header', [h('h2.govuk-notification-banner__title#withdrawn-title', 'Withdrawn')]),
    h('div.govuk-notification-banner__content', [
      h('p.govuk-notification-banner__heading', ['This decision was withdrawn on ', dateElement(withdrawn.date)]),
      h('p.govuk-body', withdrawn.explanation)
    ])
  ])
}

/**
 * GOV.UK's change history: "Show all updates" (a details element, so it
 * opens without JavaScript) listing each correction, newest first, then the
 * first publication when it is known.
 */
export function changeHistory(updates: {date: string; note: string}[], firstPublished: {iso: string; date: string} | undefined): Element {
  const item = (time: Element, note: string) => h('li', [h('strong', [time]), h('br'), note])
  return h('details.govuk-details#full-history', [
    h('summary.govuk-details__summary', [h('span.govuk-details__summary-text', 'Show all updates')]),
    h('div.govuk-details__text', [
      h('ol.govuk-list', [
        ...updates.map((u) => item(dateElement(u.date), u.note)),
        ...(firstPublished ? [item(h('time', {dateTime: firstPublished.iso}, formatLongDate(firstPublished.date)), 'First published.')] : [])
      ])
    ])
  ])
}

/**
 * The page shell, in GOV.UK Frontend's markup (template, generic header
 * without the crown, footer with the OGL notice) and a light menu bar. Pages
 * are made with hastscript and serialised once, so the output is stable.
 * Header, navigation and footer are kept out of the search index.
 */
import {h, s, toHtml} from '../vendor/index.js'
import type {Element, ElementContent, Root} from 'hast'
import type {SiteConfig} from '../config/types.js'
import {ABOUT_WITHHELD_DIR, absolute, linkTo} from './paths.js'

export const OGL_URL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/'

/** The site icon: a white M on MOPAC navy (no crown, no GOV.UK logo). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#0b2447"/><path fill="#fff" d="M6 25V7h4l6 9 6-9h4v18h-4V14l-6 8.5L10 14v11z"/></svg>\n'

/** The navigation item a page belongs to. */
export type Section = 'decisions' | 'archive' | 'search' | 'none'

export interface PageInput {
  /** Output path, e.g. `decisions/pcd-602/index.html`. */
  path: string
  /** The page's own title; the site name is added. */
  title: string
  description?: string
  body: ElementContent[]
  section: Section
  /** Absolute base URL ending in `/`, when known. */
  baseUrl?: string
  /** Whether the site has an Atom feed (only with a base URL). */
  hasFeed: boolean
  /** The site configuration: its name, the organisation and its contacts. */
  config: SiteConfig
  /** Open Graph type. */
  ogType?: 'website' | 'article'
  /** Keep out of search engines (404, search). */
  noindex?: boolean
  /** Mark `<main>` as the part of a paper page search excerpts are taken from (`data-pagefind-body`, a name kept from Pagefind). */
  searchable?: boolean
  /** Extra elements at the end of `<head>` / `<body>`. */
  head?: ElementContent[]
  scripts?: ElementContent[]
  /**
   * For the 404 page, served at any depth: the stylesheet inline and links
   * from the site root (absolute with a base URL, else from `/`).
   */
  standalone?: {css: string}
}

/** Raw, already sanitized HTML inside a hast tree. */
export function raw(value: string): ElementContent {
  return {type: 'raw', value} as unknown as ElementContent
}

const ignore = {dataPagefindIgnore: 'all'}

/** A function that turns a root-relative target into a link from this page. */
export type Href = (to: string) => string

export function hrefFor(page: Pick<PageInput, 'path' | 'baseUrl' | 'standalone'>): Href {
  if (page.standalone) return (to) => (page.baseUrl ? absolute(page.baseUrl, to) : '/' + to)
  return (to) => linkTo(page.path, to)
}

/** The canonical URL of a page, when the base URL is known. */
export function canonicalOf(path: string, baseUrl: string | undefined): string | undefined {
  return baseUrl ? absolute(baseUrl, path.replace(/(^|\/)index\.html$/, '$1')) : undefined
}

/** An item of the menu; the current section is marked for assistive technology and in bold. */
function navItem(href: string, text: string, current: boolean): Element {
  return h('li', [h('a', {href, ariaCurrent: current ? 'true' : undefined}, current ? [h('strong', text)] : [text])])
}

const oglLogo = s(
  'svg.govuk-footer__licence-logo',
  {ariaHidden: 'true', focusable: 'false', xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 483.2 195.7', height: '17', width: '41'},
  [
    s('path', {
      fill: 'currentColor',
      d: 'M421.5 142.8V.1l-50.7 32.3v161.1h112.4v-50.7zm-122.3-9.6A47.12 47.12 0 0 1 221 97.8c0-26 21.1-47.1 47.1-47.1 16.7 0 31.4 8.7 39.7 21.8l42.7-27.2A97.63 97.63 0 0 0 268.1 0c-36.5 0-68.3 20.1-85.1 49.7A98 98 0 0 0 97.8 0C43.9 0 0 43.9 0 97.8s43.9 97.8 97.8 97.8c36.5 0 68.3-20.1 85.1-49.7a97.76 97.76 0 0 0 149.6 25.4l19.4 22.2h3v-87.8h-80l24.3 27.5zM97.8 145c-26 0-47.1-21.1-47.1-47.1s21.1-47.1 47.1-47.1 47.2 21 47.2 47S123.8 145 97.8 145'
    })
  ]
)

export function renderPage(page: PageInput): string {
  const href = hrefFor(page)
  const home = href('')
  const canonical = page.standalone ? undefined : canonicalOf(page.path, page.baseUrl)
  const siteName = page.config.site.name
  const owner = page.config.organisation.name
  const fullTitle = `${page.title} - ${siteName}`
  const description = page.description ?? `Decisions of the ${owner}, published under the Freedom of Information Act 2000.`
  const head: (ElementContent | undefined)[] = [
    h('meta', {charSet: 'utf-8'}),
    h('title', fullTitle),
    h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
    h('meta', {name: 'description', content: description}),
    page.noindex ? h('meta', {name: 'robots', content: 'noindex'}) : undefined,
    canonical ? h('link', {rel: 'canonical', href: canonical}) : undefined,
    h('meta', {property: 'og:site_name', content: siteName}),
    h('meta', {property: 'og:title', content: page.title}),
    h('meta', {property: 'og:description', content: description}),
    h('meta', {property: 'og:type', content: page.ogType ?? 'website'}),
    h('meta', {property: 'og:locale', content: 'en_GB'}),
    canonical ? h('meta', {property: 'og:url', content: canonical}) : undefined,
    page.standalone
      ? h('link', {rel: 'icon', type: 'image/svg+xml', href: 'data:image/svg+xml,' + encodeURIComponent(FAVICON_SVG.trim())})
      : h('link', {rel: 'icon', type: 'image/svg+xml', href: href('assets/favicon.svg')}),
    page.standalone ? h('style', page.standalone.css) : h('link', {rel: 'stylesheet', href: href('assets/site.css')}),
    page.hasFeed ? h('link', {rel: 'alternate', type: 'application/atom+xml', title: `${siteName}: latest decisions`, href: href('feed.xml')}) : undefined,
    ...(page.head ?? [])
  ]
  const tree: Root = {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html.govuk-template', {lang: 'en-GB'}, [
        h('head', head.filter(Boolean) as ElementContent[]),
        h('body.govuk-template__body', [
          h('a.govuk-skip-link', {href: '#main-content', ...ignore}, 'Skip to main content'),
          h('header.govuk-template__header', ignore, [
            h('div.govuk-generic-header.mopac-header', [
              h('div.govuk-generic-header__container.govuk-width-container', [
                h('div.govuk-generic-header__logo', [
                  h('a.govuk-generic-header__homepage-link', {href: home}, [h('span.mopac-header__name', siteName), ' ', h('span.mopac-header__owner', owner)])
                ])
              ])
            ]),
            h('nav.mopac-nav', {ariaLabel: 'Menu'}, [
              h('ul.govuk-width-container', [
                navItem(home, 'All decisions', page.section === 'decisions'),
                navItem(href('archive/'), 'Browse by year or tag', page.section === 'archive'),
                navItem(href('search/'), 'Search', page.section === 'search')
              ])
            ])
          ]),
          h('div.govuk-width-container', [
            h('main.govuk-main-wrapper#main-content', page.searchable ? {dataPagefindBody: ''} : {}, page.body)
          ]),
          h('footer.govuk-footer', ignore, [
            h('div.govuk-width-container', [
              h('div.govuk-footer__meta', [
                h('div.govuk-footer__meta-item.govuk-footer__meta-item--grow', [
                  h('h2.govuk-visually-hidden', 'Support links'),
                  h('ul.govuk-footer__inline-list', [
                    h('li.govuk-footer__inline-list-item', [h('a.govuk-footer__link', {href: href(ABOUT_WITHHELD_DIR)}, 'About withheld information')]),
                    h('li.govuk-footer__inline-list-item', [h('a.govuk-footer__link', {href: href('accessibility/')}, 'Accessibility statement')]),
                    h('li.govuk-footer__inline-list-item', [h('a.govuk-footer__link', {href: href('privacy/')}, 'Privacy')]),
                    h('li.govuk-footer__inline-list-item', [h('a.govuk-footer__link', {href: href('data/')}, 'Open data')]),
                    ...(page.hasFeed ? [h('li.govuk-footer__inline-list-item', [h('a.govuk-footer__link', {href: href('feed.xml')}, 'Atom feed')])] : [])
                  ]),
                  oglLogo,
                  ' ',
                  h('span.govuk-footer__licence-description', [
                    'All content is available under the ',
                    h('a.govuk-footer__link', {href: OGL_URL, rel: 'license'}, 'Open Government Licence v3.0'),
                    ', except where otherwise stated'
                  ])
                ])
              ])
            ])
          ]),
          ...(page.scripts ?? [])
        ])
      ])
    ]
  }
  return toHtml(tree, {allowDangerousHtml: true}) + '\n'
}

/**
 * The page shell: header, main, footer; relative links so the site works from
 * any folder on any static server. Imports public types only.
 */
import {h} from 'hastscript'
import {toHtml} from 'hast-util-to-html'
import type {ElementContent, Root} from 'hast'

export const SITE_NAME = 'MOPAC decisions'

export interface PageInput {
  /** Output path, e.g. `decisions/pcd-602/index.html`. */
  path: string
  title: string
  description?: string
  body: ElementContent[]
  /** Absolute base URL for canonical links, when known. */
  baseUrl?: string
}

/** `../` repeated to reach the site root from `path`. */
export function rootOf(path: string): string {
  const depth = path.split('/').length - 1
  return depth === 0 ? './' : '../'.repeat(depth)
}

/** Raw, already sanitized HTML inside a hast tree. */
export function raw(value: string): ElementContent {
  return {type: 'raw', value} as unknown as ElementContent
}

export function renderPage(page: PageInput): string {
  const root = rootOf(page.path)
  const canonical = page.baseUrl ? new URL(page.path.replace(/index\.html$/, ''), page.baseUrl.endsWith('/') ? page.baseUrl : page.baseUrl + '/').href : undefined
  const tree: Root = {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: 'en-GB'}, [
        h('head', [
          h('meta', {charset: 'utf-8'}),
          h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
          h('title', `${page.title} - ${SITE_NAME}`),
          page.description ? h('meta', {name: 'description', content: page.description}) : undefined,
          canonical ? h('link', {rel: 'canonical', href: canonical}) : undefined,
          h('link', {rel: 'stylesheet', href: root + 'assets/site.css'})
        ].filter(Boolean) as ElementContent[]),
        h('body', [
          h('a.skip-link', {href: '#main'}, 'Skip to main content'),
          h('header.site-header', [h('div.container', [h('a.site-name', {href: root}, SITE_NAME), h('p.site-owner', "Mayor's Office for Policing and Crime")])]),
          h('main#main.container', {tabIndex: -1}, page.body),
          h('footer.site-footer', [
            h('div.container', [
              h('p', [
                'All content is available under the ',
                h('a', {href: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', rel: 'license'}, 'Open Government Licence v3.0'),
                ', except where otherwise stated.'
              ])
            ])
          ])
        ])
      ])
    ]
  }
  return toHtml(tree, {allowDangerousHtml: true}) + '\n'
}

/**
 * Search: a Pagefind index of the built paper pages (their HTML as the site
 * serves it, so withheld material, which never reaches the HTML, cannot be
 * found), kept in memory and returned as files under `pagefind/`.
 *
 * Only `<main data-pagefind-body>` is indexed; header, navigation, footer and
 * withheld notices carry `data-pagefind-ignore="all"`. Result URLs are
 * root-relative (`/decisions/…/`) and the UI prefixes the folder the bundle is
 * served from, so search works from any folder of any static server.
 */
import * as pagefind from 'pagefind'

/** Pagefind bundle files the site does not use (other UIs, the highlighter). */
const UNUSED = /^(pagefind-modular-ui\.|pagefind-component-ui\.|pagefind-highlight\.js$|playground\/)/

export class SearchIndexError extends Error {}

let running = 0
let closing: Promise<void> | undefined

/** Index `pages` (output path -> HTML) and return the bundle: output path -> bytes, sorted by path. */
export async function searchIndex(pages: [string, string][]): Promise<[string, Uint8Array][]> {
  while (closing) await closing
  running++
  try {
    const {index, errors} = await pagefind.createIndex({forceLanguage: 'en', keepIndexUrl: false})
    if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join('; ')}`)
    try {
      for (const [path, content] of [...pages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const url = '/' + path.replace(/(^|\/)index\.html$/, '$1')
        const added = await index.addHTMLFile({url, content})
        if (added.errors.length > 0) throw new SearchIndexError(`Pagefind could not index ${path}: ${added.errors.join('; ')}`)
      }
      const result = await index.getFiles()
      if (result.errors.length > 0) throw new SearchIndexError(`Pagefind could not build its index: ${result.errors.join('; ')}`)
      return result.files
        .filter((file) => !UNUSED.test(file.path))
        .map((file): [string, Uint8Array] => [`pagefind/${file.path}`, file.content])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    } finally {
      await index.deleteIndex()
    }
  } finally {
    running--
    // Stop the Pagefind process once no build in this process needs it.
    if (running === 0) {
      closing = pagefind
        .close()
        .then(
          () => undefined,
          () => undefined
        )
        .finally(() => {
          closing = undefined
        })
      await closing
    }
  }
}

/**
 * The search page's script: starts the Pagefind UI and runs a search given in
 * the address (`?q=`), so the page can be linked to with a query.
 */
export const searchScript = `(function () {
  'use strict'
  var element = document.getElementById('search')
  if (!element || typeof window.PagefindUI !== 'function') return
  var ui = new window.PagefindUI({
    element: '#search',
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: true,
    translations: {placeholder: 'Search decisions', search_label: 'Search decisions'}
  })
  var query = new URLSearchParams(window.location.search).get('q')
  if (query) ui.triggerSearch(query)
})()
`

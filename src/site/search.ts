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
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import * as pagefind from 'pagefind'

/** Pagefind bundle files the site does not use (other UIs, the highlighter). */
const UNUSED = /^(pagefind-modular-ui\.|pagefind-component-ui\.|pagefind-highlight\.js$|playground\/)/

export class SearchIndexError extends Error {}

/**
 * Index `pages` (output path -> HTML) and return the bundle: output path ->
 * bytes, sorted by path.
 *
 * The pages are written to a private temporary folder and Pagefind's own
 * command-line indexer reads that folder (with `--force-language en`, as the
 * site is English; result URLs are the pages' root-relative folders). It
 * makes the same page records as Pagefind's Node API fed one `addHTMLFile`
 * per page, without a message per page and the whole bundle sent back as
 * JSON, and with no service process left between builds; measured side by
 * side, both cost the same (docs/benchmarks.md): the time is Pagefind's own
 * indexing, about 2.7 ms of CPU a page. The index is made from exactly the
 * pages given, which are the staged site's pages (the leak check reads the
 * bundle with the rest of the site before the swap), so it never holds a word
 * the site does not show. Where the command cannot be found, or for a site
 * with no paper page (which the command refuses), the Node API indexes the
 * same folder.
 */
export async function searchIndex(pages: [string, string][]): Promise<[string, Uint8Array][]> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'mopac-search-'))
  try {
    const site = path.join(work, 'site')
    const out = path.join(work, 'pagefind')
    await writePages(site, pages)
    const binary = pagefindBinary()
    let bundle: [string, Uint8Array][]
    // The command refuses a site with no page; the Node API makes the empty bundle.
    if (binary && pages.length > 0) {
      await runPagefind(binary, site, out, work)
      bundle = await readBundle(out)
    } else bundle = await indexWithService(site, pages.length > 0)
    return bundle.filter(([name]) => !UNUSED.test(name)).map(([name, bytes]): [string, Uint8Array] => [`pagefind/${name}`, bytes])
  } finally {
    await fs.rm(work, {recursive: true, force: true})
  }
}

async function writePages(site: string, pages: [string, string][]): Promise<void> {
  const folders = new Set<string>()
  for (const [name] of pages) {
    if (path.isAbsolute(name) || name.split(/[\\/]/).some((part) => part === '..' || part === '') || !name.endsWith('.html')) {
      throw new SearchIndexError(`Cannot index \`${name}\`: not a page inside the site`)
    }
    folders.add(path.dirname(path.join(site, name)))
  }
  for (const folder of folders) await fs.mkdir(folder, {recursive: true})
  // A few files at a time: the pages are small, the folder is local.
  for (let i = 0; i < pages.length; i += 64) {
    await Promise.all(pages.slice(i, i + 64).map(([name, html]) => fs.writeFile(path.join(site, name), html)))
  }
}

/** The Pagefind command the `pagefind` package installed for this platform (as the package finds it), if any. */
function pagefindBinary(): string | undefined {
  for (const name of ['pagefind_extended', 'pagefind']) {
    const fromEnvironment = process.env[`${name.toUpperCase()}_BINARY_PATH`]
    if (fromEnvironment) return fromEnvironment
  }
  const platform = process.platform === 'win32' ? 'windows' : process.platform
  const require = createRequire(import.meta.url)
  for (const name of ['pagefind_extended', 'pagefind']) {
    try {
      return require.resolve(`@pagefind/${platform}-${os.arch()}/bin/${name}${platform === 'windows' ? '.exe' : ''}`)
    } catch {
      // Not installed for this platform.
    }
  }
  return undefined
}

function runPagefind(binary: string, site: string, out: string, cwd: string): Promise<void> {
  // Why a clean environment and an empty working folder: Pagefind reads its
  // settings from PAGEFIND_* variables and a pagefind.yml/json/toml in the
  // working folder, either of which could change what is indexed.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^PAGEFIND_/i.test(key)))
  return new Promise((resolve, reject) => {
    execFile(binary, ['--site', site, '--output-path', out, '--force-language', 'en', '--silent'], {cwd, env, maxBuffer: 16 * 1024 * 1024, windowsHide: true}, (error, _stdout, stderr) => {
      if (error) reject(new SearchIndexError(`Pagefind could not build the search index: ${String(stderr).trim() || error.message}`))
      else resolve()
    })
  })
}

/** The same with Pagefind's Node API (its service reads the folder), sorted by path. */
async function indexWithService(site: string, hasPages: boolean): Promise<[string, Uint8Array][]> {
  try {
    const {index, errors} = await pagefind.createIndex({forceLanguage: 'en', keepIndexUrl: false})
    if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join('; ')}`)
    if (hasPages) {
      const added = await index.addDirectory({path: site})
      if (added.errors.length > 0) throw new SearchIndexError(`Pagefind could not index the pages: ${added.errors.join('; ')}`)
    }
    const result = await index.getFiles()
    if (result.errors.length > 0) throw new SearchIndexError(`Pagefind could not build its index: ${result.errors.join('; ')}`)
    return result.files.map((file): [string, Uint8Array] => [file.path, file.content]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  } finally {
    await pagefind.close()
  }
}

/** Every file under `folder`: relative path (with `/`) -> bytes, sorted by path. */
async function readBundle(folder: string): Promise<[string, Uint8Array][]> {
  const files: [string, Uint8Array][] = []
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, {withFileTypes: true})) {
      const name = prefix + entry.name
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), name + '/')
      else if (entry.isFile()) files.push([name, await fs.readFile(path.join(dir, entry.name))])
    }
  }
  await walk(folder, '')
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The search page's script (progressive enhancement: the page says what to do
 * without it). It shows the form the page wrote hidden, reads the address
 * (`?q=cctv&year=2024&tag=Grants`), drives Pagefind's JavaScript API
 * (`pagefind.js`: `options`, `search` with year and tag filters) and writes
 * the results in GOV.UK's markup: "N results for ‘q’", then each result's
 * title as a link, its reference and decision date, and a short excerpt (the
 * matched words marked). Excerpts are rebuilt as text and `<mark>` elements
 * only, never inserted as HTML. Pagefind's own UI is not used.
 */
export const searchScript = `(function () {
  'use strict'
  var form = document.getElementById('search-form')
  var fallback = document.getElementById('search-fallback')
  if (!form || !fallback || !window.URLSearchParams || !window.DOMParser || !window.history) return
  var input = document.getElementById('search-q')
  var status = document.getElementById('search-status')
  var results = document.getElementById('search-results')
  var PAGE = 20
  var loading = null
  var run = 0

  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  // The bundle and the site root, from the page's own relative links, so search works from any folder.
  function load() {
    if (!loading) {
      var bundle = new URL(form.getAttribute('data-bundle'), document.baseURI).href
      var root = new URL(form.getAttribute('data-root'), document.baseURI).pathname
      loading = import(bundle + 'pagefind.js').then(function (pagefind) {
        return Promise.resolve(pagefind.options({baseUrl: root, excerptLength: 24})).then(function () { return pagefind })
      })
    }
    return loading
  }

  function selected(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (box) { return box.value })
  }

  function unavailable() {
    form.hidden = true
    fallback.hidden = false
  }

  // Pagefind's excerpt is HTML with <mark> around matches: keep its text and marks, nothing else.
  function excerpt(html) {
    var p = el('p', 'mopac-results__excerpt')
    var body = new DOMParser().parseFromString(html, 'text/html').body
    Array.prototype.forEach.call(body.childNodes, function (node) {
      p.appendChild(node.nodeName === 'MARK' ? el('mark', '', node.textContent) : document.createTextNode(node.textContent || ''))
    })
    return p
  }

  function item(data) {
    var li = el('li')
    var heading = el('h2')
    var link = el('a', 'govuk-link', (data.meta && data.meta.title) || data.url)
    link.href = data.url
    heading.appendChild(link)
    li.appendChild(heading)
    var meta = el('ul', 'mopac-results__meta')
    if (data.meta && data.meta.reference) meta.appendChild(el('li', '', 'Reference: ' + data.meta.reference))
    if (data.meta && data.meta.date) meta.appendChild(el('li', '', 'Decision date: ' + data.meta.date))
    if (meta.childNodes.length > 0) li.appendChild(meta)
    if (data.excerpt) li.appendChild(excerpt(data.excerpt))
    return li
  }

  function noResults() {
    results.appendChild(el('p', 'govuk-body', 'There are no matching decisions.'))
    results.appendChild(el('p', 'govuk-body', 'Improve your search results by:'))
    var list = el('ul', 'govuk-list govuk-list--bullet')
    ;['removing filters', 'double-checking your spelling', 'using fewer keywords', 'searching for something less specific'].forEach(function (text) {
      list.appendChild(el('li', '', text))
    })
    results.appendChild(list)
  }

  function describe(count, q, years, tags) {
    var text = count + (count === 1 ? ' result' : ' results')
    if (q) text += ' for \\u2018' + q + '\\u2019'
    var filters = years.concat(tags)
    if (filters.length > 0) text += (q ? ', ' : ' ') + 'filtered by ' + filters.join(', ')
    return text
  }

  function show(found, q, years, tags, id) {
    results.textContent = ''
    status.textContent = describe(found.length, q, years, tags)
    if (found.length === 0) return noResults()
    var list = el('ol', 'mopac-list mopac-results')
    results.appendChild(list)
    var more = el('button', 'govuk-button govuk-button--secondary', 'Show more results')
    more.type = 'button'
    var shown = 0
    function next(focus) {
      var slice = found.slice(shown, shown + PAGE)
      shown += slice.length
      return Promise.all(slice.map(function (result) { return result.data() })).then(function (datas) {
        if (id !== run) return
        var first = null
        datas.forEach(function (data) {
          var li = item(data)
          list.appendChild(li)
          if (!first) first = li.querySelector('a')
        })
        if (shown < found.length) results.appendChild(more)
        else if (more.parentNode) more.parentNode.removeChild(more)
        if (focus && first) first.focus()
      })
    }
    more.addEventListener('click', function () { next(true) })
    return next(false)
  }

  function search() {
    var id = ++run
    var q = input.value.trim()
    var years = selected('year')
    var tags = selected('tag')
    var params = new URLSearchParams()
    if (q) params.set('q', q)
    years.forEach(function (year) { params.append('year', year) })
    tags.forEach(function (tag) { params.append('tag', tag) })
    var query = params.toString()
    window.history.replaceState(null, '', query ? '?' + query : window.location.pathname)
    if (!q && years.length === 0 && tags.length === 0) {
      status.textContent = ''
      results.textContent = ''
      return
    }
    status.textContent = 'Searching\\u2026'
    var filters = {}
    if (years.length > 0) filters.year = {any: years}
    if (tags.length > 0) filters.tag = {any: tags}
    load()
      .then(function (pagefind) { return pagefind.search(q || null, {filters: filters}) })
      .then(function (found) {
        if (id === run && found) return show(found.results, q, years, tags, id)
      })
      .catch(unavailable)
  }

  form.hidden = false
  fallback.hidden = true
  var params = new URLSearchParams(window.location.search)
  input.value = params.get('q') || ''
  Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"]'), function (box) {
    box.checked = params.getAll(box.name).indexOf(box.value) >= 0
    box.addEventListener('change', search)
  })
  form.addEventListener('submit', function (event) {
    event.preventDefault()
    search()
  })
  if (params.toString()) search()
})()
`

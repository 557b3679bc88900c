/**
 * Search: an index of our own in Pagefind's spirit, made from the public
 * papers alone and served as static JSON under `search-index/`:
 *
 * - `meta.json`: how many decisions, and where each chunk of words begins;
 * - `terms/<n>.json`: about 32 KB of words in order (accents aside), each
 *   with the decisions that use it and a weight for each (BM25's term part,
 *   as a whole number), fetched only for the words a reader searches for;
 * - `docs/<n>.json`: title, reference, decision date and address of 256
 *   decisions at a time, fetched only for the results shown;
 * - `filters.json`: the decisions of each year and each tag, fetched only
 *   when a filter is ticked.
 *
 * What is indexed is what a paper's page shows in its main column and
 * Pagefind used to index there: reference, title, summary, corrections, the
 * public body without its withheld notices, and its attachments' names. A
 * withdrawn decision is in no file. Excerpts are taken by the reader's browser
 * from the decision's page itself, so an excerpt can only show what the page
 * shows.
 *
 * Why not Pagefind: it can only index the whole site again (11-14 s of a
 * one-paper edit at 4,000 papers, 1.5 GiB at 20,000), and shards of its index
 * each offer their own near matches for a word they lack (docs/performance.md).
 * This index is a pure function of the public papers, made in one pass from
 * their text (`PublicPaper.text`, made with their HTML from one tree).
 */
import type {PublicPaper} from '../publish/types.js'
import {formatLongDate} from '../time/london.js'
import type {SiteMemo} from './memo.js'
import {paperDir} from './paths.js'

/** Where the index is served, under the site root. */
export const SEARCH_DIR = 'search-index/'
/** About this many bytes of words and their decisions per `terms/<n>.json`. */
const CHUNK_BYTES = 32 * 1024
/** Decisions per `docs/<n>.json`. */
export const DOCS_PER_FILE = 256
/** Longer "words" (long numbers, run-together strings) are not indexed. */
const MAX_WORD = 48
/** BM25's saturation and length parameters, as Pagefind's defaults. */
const K1 = 1.2
const B = 0.75
/** A word of the title or reference counts as this many in the body. */
const TITLE_WEIGHT = 5

/**
 * The words of a text, as both the index and the reader's browser cut them
 * (the search script has the same function), and as the leak check
 * (src/verify/text.ts) cuts every public file: soft hyphens and zero-width
 * characters removed; runs of letters, digits, accents and `_`; each
 * NFKC-normalised and in lower case on its own (and cut again after NFKC),
 * without `_` at either end. So a word of the index is one the leak check
 * reads on the page it came from (tests/site/search.test.ts compares them).
 * Words without a letter or digit left once accents are removed are not
 * indexed. Matching ignores accents ({@link searchFold}).
 */
export function searchWords(text: string): string[] {
  // Why in pieces: a piece between ASCII separators that is plain ASCII
  // needs no normalising and no Unicode pattern (most of an English text;
  // half the time of the whole text through both).
  const words: string[] = []
  // `ascii`: a word of ASCII letters, digits and `_` (its fold is itself).
  const add = (word: string, ascii: boolean) => {
    let a = 0
    let b = word.length
    while (a < b && word.charCodeAt(a) === 95) a++
    while (b > a && word.charCodeAt(b - 1) === 95) b--
    const trimmed = a === 0 && b === word.length ? word : word.slice(a, b)
    if (trimmed !== '' && (ascii || searchFold(trimmed).replace(/_/g, '') !== '')) words.push(trimmed)
  }
  const pieces = text.replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '').split(/[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+/)
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!
    if (piece === '') continue
    if (/^[A-Za-z0-9_]+$/.test(piece)) {
      add(piece.toLowerCase(), true)
      continue
    }
    const raws = piece.match(/[\p{L}\p{N}\p{M}_]+/gu) || []
    for (let j = 0; j < raws.length; j++) {
      const raw = raws[j]!
      if (/^[\x00-\x7f]+$/.test(raw)) add(raw.toLowerCase(), true)
      else {
        const found = raw.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}\p{M}_]+/gu) || []
        for (let k = 0; k < found.length; k++) add(found[k]!, false)
      }
    }
  }
  return words
}

/** A word without its accents (`café` is `cafe`), as matching compares words. The script has the same. */
export function searchFold(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}+/gu, '')
}

/** What the index holds of one decision. */
export interface SearchRecord {
  /** Its page's folder, from the site root, e.g. `decisions/pcd-602/`. */
  path: string
  title: string
  reference: string
  /** Decision date as shown, e.g. `20 June 2019`. */
  date: string
  /** Decision date as days since 1 January 1970. */
  day: number
  year: string
  tags: string[]
  /** Title and reference words. */
  heading: string[]
  /** Every other indexed word, in order. */
  words: string[]
}

/** A decision's record. */
export function searchRecord(paper: PublicPaper): SearchRecord {
  const notes = (paper.updates ?? []).map((u) => u.note).join(' ')
  const attachments = paper.assets.map((a) => a.target.split('/').pop() ?? '').join(' ')
  return {
    path: paperDir(paper),
    title: paper.title,
    reference: paper.id,
    date: formatLongDate(paper.date),
    day: Date.UTC(Number(paper.date.slice(0, 4)), Number(paper.date.slice(5, 7)) - 1, Number(paper.date.slice(8, 10))) / 86_400_000,
    year: paper.date.slice(0, 4),
    tags: [...new Set(paper.tags)],
    heading: searchWords(`${paper.id} ${paper.title}`),
    words: [...searchWords(`${paper.summary ?? ''} ${notes}`), ...searchWords(paper.text), ...searchWords(attachments)]
  }
}

const json = (value: unknown) => JSON.stringify(value)

/** How many shards the decisions are spread over (by their address, so a decision stays in its shard). */
export const SHARDS = 16

/** A decision's shard: FNV-1a of its page's folder, as a name (`s0` to `sf`). */
export function shardOf(path: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193)
  return 's' + ((hash >>> 0) % SHARDS).toString(16)
}

/**
 * The index files of `records` (in the order of the listing, newest first),
 * output path -> JSON text, sorted by path.
 *
 * Why shards: a decision's words, weights and record are in its shard's
 * files only, and each shard's weights use its own mean length, so a change
 * to one decision changes one shard's files and `meta.json`; the other
 * shards' files stay byte for byte, and staging links them and the leak
 * check's memory skips them. The browser searches every shard and ranks the
 * results together (one rarity per word over all shards).
 */
export function searchIndex(records: SearchRecord[]): [string, string][] {
  const files: [string, string][] = []
  const shards: ShardEntry[] = []
  for (const [name, list] of byShard(records, (record) => record.path)) {
    const shard = shardFiles(list)
    shards.push({name, docs: list.length, chunks: shard.chunks})
    for (const [file, text] of shard.files) files.push([`${SEARCH_DIR}${name}/${file}`, text])
  }
  files.push(metaFile(shards, records.length))
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The same index made from `papers` (in the order of the listing), with the
 * shards whose papers are all as the live site's taken from it unchanged
 * (`memo` keeps their paths): only the files made anew are returned, or,
 * with `put`, handed to it shard by shard (a shard's text is not held after).
 */
export function searchIndexFor(papers: PublicPaper[], memo: SiteMemo, put?: (path: string, text: string) => void): [string, string][] {
  const files: [string, string][] = []
  const out = put ?? ((path: string, text: string) => void files.push([path, text]))
  const shards: ShardEntry[] = []
  for (const [name, list] of byShard(papers, paperDir)) {
    const {key, live} = memo.sameShard(name, list)
    if (live) {
      shards.push({name, docs: live.docs, chunks: live.chunks})
      memo.shards.set(name, live)
      for (const file of live.files) memo.keys.set(file, key)
      continue
    }
    const shard = shardFiles(list.map(searchRecord))
    const paths = shard.files.map(([file]) => `${SEARCH_DIR}${name}/${file}`)
    shards.push({name, docs: list.length, chunks: shard.chunks})
    memo.shards.set(name, {key, docs: list.length, chunks: shard.chunks, files: paths})
    shard.files.forEach(([, text], i) => {
      out(paths[i]!, text)
      memo.keys.set(paths[i]!, key)
    })
  }
  out(...metaFile(shards, papers.length))
  return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

interface ShardEntry {
  name: string
  docs: number
  chunks: string[]
}

/** Items by shard (by their page's folder), shards in name order, items in their order. */
function byShard<T>(items: T[], pathOf: (item: T) => string): Array<[string, T[]]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const name = shardOf(pathOf(item))
    const list = groups.get(name)
    if (list) list.push(item)
    else groups.set(name, [item])
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

function metaFile(shards: ShardEntry[], docs: number): [string, string] {
  return [`${SEARCH_DIR}meta.json`, json({version: 3, docs, perFile: DOCS_PER_FILE, shards})]
}

/** One shard's files (paths within the shard's folder) and where its chunks begin. */
function shardFiles(records: SearchRecord[]): {files: [string, string][]; chunks: string[]} {
  const lengths = records.map((r) => r.heading.length + r.words.length)
  const mean = lengths.length > 0 ? lengths.reduce((a, b) => a + b, 0) / lengths.length : 0
  // word -> [doc, weight, doc, weight, …] with docs ascending.
  const postings = new Map<string, number[]>()
  records.forEach((record, doc) => {
    const counts = new Map<string, number>()
    for (const word of record.heading) if (word.length <= MAX_WORD) counts.set(word, (counts.get(word) ?? 0) + TITLE_WEIGHT)
    for (const word of record.words) if (word.length <= MAX_WORD) counts.set(word, (counts.get(word) ?? 0) + 1)
    const norm = K1 * (1 - B + (B * lengths[doc]!) / (mean || 1))
    for (const [word, tf] of counts) {
      const weight = Math.max(1, Math.round((100 * tf * (K1 + 1)) / (tf + norm)))
      let list = postings.get(word)
      if (!list) postings.set(word, (list = []))
      list.push(doc, weight)
    }
  })
  // Words in the order of their folded form (so the words a prefix finds are
  // together), cut into chunks of about CHUNK_BYTES: the number of files and
  // the size of meta.json grow with the index's size, never with how many
  // distinct beginnings its words have.
  const folded = new Map<string, string>()
  for (const word of postings.keys()) folded.set(word, searchFold(word))
  const order = [...postings.keys()].sort((x, y) => {
    const [fx, fy] = [folded.get(x)!, folded.get(y)!]
    return fx < fy ? -1 : fx > fy ? 1 : x < y ? -1 : x > y ? 1 : 0
  })
  const chunks: string[][] = []
  const firsts: string[] = []
  let entries: string[] = []
  let size = 0
  for (const word of order) {
    // Doc numbers as differences from the previous one: shorter files.
    const list = postings.get(word)!
    const coded: number[] = []
    for (let i = 0, last = 0; i < list.length; i += 2) {
      coded.push(list[i]! - last, list[i + 1]!)
      last = list[i]!
    }
    const entry = `${json(word)}:${json(coded)}`
    if (entries.length === 0) firsts.push(folded.get(word)!)
    entries.push(entry)
    size += entry.length + 1
    if (size >= CHUNK_BYTES) {
      chunks.push(entries)
      entries = []
      size = 0
    }
  }
  if (entries.length > 0) chunks.push(entries)
  const files: [string, string][] = []
  chunks.forEach((entries, i) => files.push([`terms/${i}.json`, `{${entries.join(',')}}`]))
  for (let i = 0; i < records.length; i += DOCS_PER_FILE) {
    files.push([`docs/${i / DOCS_PER_FILE}.json`, json(records.slice(i, i + DOCS_PER_FILE).map((r) => [r.path, r.title, r.reference, r.date]))])
  }
  // Maps, then objects made with fromEntries: a tag called `__proto__` stays a tag.
  const year = new Map<string, number[]>()
  const tag = new Map<string, number[]>()
  const add = (map: Map<string, number[]>, key: string, doc: number) => {
    const list = map.get(key)
    if (list) list.push(doc)
    else map.set(key, [doc])
  }
  records.forEach((r, doc) => {
    add(year, r.year, doc)
    for (const t of r.tags) add(tag, t, doc)
  })
  // Each decision's day (days since 1970), so results from all shards list newest first when scores tie.
  files.push(['filters.json', json({year: Object.fromEntries(year), tag: Object.fromEntries(tag), day: records.map((r) => r.day)})])
  return {files, chunks: firsts}
}

/**
 * The search itself, as the browser runs it: `find(q, years, tags)` gives the
 * matching decisions, best first, as `{doc, score}`, with the index's
 * `meta.json` and the query's words. Plain JavaScript for the page's script
 * (below), which defines `data(name)`, a promise of an index file's JSON;
 * tests/site/search.test.ts runs it in Node on the files `searchIndex` makes.
 */
export const searchCore = `
  var own = Object.prototype.hasOwnProperty

  // The same two functions as searchWords and searchFold in src/site/search.ts
  // (tests/site/search.test.ts runs both on the same strings).
  function searchWords(text) {
    var words = []
    function add(word, ascii) {
      var a = 0
      var b = word.length
      while (a < b && word.charCodeAt(a) === 95) a++
      while (b > a && word.charCodeAt(b - 1) === 95) b--
      var trimmed = word.slice(a, b)
      if (trimmed !== '' && (ascii || searchFold(trimmed).replace(/_/g, '') !== '')) words.push(trimmed)
    }
    var pieces = text.replace(/[\\u00ad\\u200b-\\u200d\\u2060\\ufeff]/g, '').split(/[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x5e\\x60\\x7b-\\x7f]+/)
    for (var i = 0; i < pieces.length; i++) {
      var piece = pieces[i]
      if (piece === '') continue
      if (/^[A-Za-z0-9_]+$/.test(piece)) {
        add(piece.toLowerCase(), true)
        continue
      }
      var raws = piece.match(/[\\p{L}\\p{N}\\p{M}_]+/gu) || []
      for (var j = 0; j < raws.length; j++) {
        var raw = raws[j]
        if (/^[\\x00-\\x7f]+$/.test(raw)) add(raw.toLowerCase(), true)
        else {
          var found = raw.normalize('NFKC').toLowerCase().match(/[\\p{L}\\p{N}\\p{M}_]+/gu) || []
          for (var k = 0; k < found.length; k++) add(found[k], false)
        }
      }
    }
    return words
  }

  function searchFold(word) {
    return word.normalize('NFKD').replace(/\\p{M}+/gu, '')
  }

  // The chunks of a shard (shard.chunks: the first folded word of each, in
  // order) that can hold a word beginning with \`start\`.
  function chunksFor(shard, start) {
    var list = []
    for (var i = 0; i < shard.chunks.length; i++) {
      var from = shard.chunks[i]
      var next = shard.chunks[i + 1]
      if ((next === undefined || next >= start) && (from <= start || from.indexOf(start) === 0)) list.push(i)
    }
    return list
  }

  // The exact forms a term also finds: an English plural's singular.
  function forms(term) {
    var list = [term]
    if (term.length > 3 && /s$/.test(term) && !/ss$/.test(term)) {
      list.push(term.slice(0, -1))
      if (/ies$/.test(term)) list.push(term.slice(0, -3) + 'y')
      else if (/[sxz]es$|[cs]hes$/.test(term)) list.push(term.slice(0, -2))
    }
    return list
  }

  // How well a word of the index answers a (folded) term: 0 not at all, 1 exactly.
  function match(indexed, term) {
    var word = searchFold(indexed)
    if (word === term) return 1
    if (term.length >= 3 && word.indexOf(term) === 0) return 1 / (1 + 0.25 * (word.length - term.length))
    return forms(term).indexOf(word) > 0 ? 0.9 : 0
  }

  // For one term and one shard: the shard's decision number -> the best
  // weight of a word that answers the term.
  function weights(shard, term) {
    var keys = []
    forms(term).forEach(function (form) {
      chunksFor(shard, form).forEach(function (key) { if (keys.indexOf(key) < 0) keys.push(key) })
    })
    return Promise.all(keys.map(function (key) { return data(shard.name + '/terms/' + key + '.json') })).then(function (chunks) {
      var best = new Map()
      chunks.forEach(function (chunk) {
        Object.keys(chunk).forEach(function (word) {
          var bonus = match(word, term)
          if (bonus === 0) return
          var list = chunk[word]
          for (var i = 0, doc = 0; i < list.length; i += 2) {
            doc += list[i]
            var weight = list[i + 1] * bonus
            if (!(best.get(doc) >= weight)) best.set(doc, weight)
          }
        })
      })
      return best
    })
  }

  // A decision's key across shards: its shard's place in meta.shards, then its number there.
  var SPAN = 1048576

  // For one term: key -> score, with one rarity for the term over all shards
  // (how many decisions it matches), so a rare longer word does not outrank
  // the word itself.
  function scores(meta, term) {
    return Promise.all(meta.shards.map(function (shard) { return weights(shard, term) })).then(function (all) {
      var matched = 0
      all.forEach(function (best) { matched += best.size })
      var idf = Math.log(1 + (meta.docs - matched + 0.5) / (matched + 0.5))
      var found = new Map()
      all.forEach(function (best, s) {
        best.forEach(function (weight, doc) { found.set(s * SPAN + doc, (idf * weight) / 100) })
      })
      return found
    })
  }

  // The decisions of a shard in any of the named years (or tags); null when none is named.
  function allowed(filters, group, names) {
    if (names.length === 0) return null
    var set = new Set()
    names.forEach(function (name) {
      if (own.call(filters[group], name)) filters[group][name].forEach(function (doc) { set.add(doc) })
    })
    return set
  }

  function find(q, years, tags) {
    var terms = searchWords(q).map(searchFold).filter(function (term, i, all) { return all.indexOf(term) === i })
    return data('meta.json').then(function (meta) {
      var filters = Promise.all(meta.shards.map(function (shard) { return data(shard.name + '/filters.json') }))
      return Promise.all([Promise.all(terms.map(function (term) { return scores(meta, term) })), filters]).then(function (both) {
        var shardFilters = both[1]
        var candidates = new Map()
        if (terms.length === 0) {
          // Filters alone list every decision they allow; words that are not words find nothing.
          if (!q) meta.shards.forEach(function (shard, s) { for (var doc = 0; doc < shard.docs; doc++) candidates.set(s * SPAN + doc, 0) })
        } else {
          candidates = both[0][0]
          both[0].slice(1).forEach(function (more) {
            var next = new Map()
            candidates.forEach(function (score, key) { if (more.has(key)) next.set(key, score + more.get(key)) })
            candidates = next
          })
        }
        var sets = shardFilters.map(function (f) { return [allowed(f, 'year', years), allowed(f, 'tag', tags)].filter(Boolean) })
        var found = []
        candidates.forEach(function (score, key) {
          var s = Math.floor(key / SPAN)
          var doc = key % SPAN
          if (sets[s].every(function (set) { return set.has(doc) })) found.push({shard: meta.shards[s].name, doc: doc, score: score, day: shardFilters[s].day[doc], key: key})
        })
        // Best first; then newest first; then as listed.
        found.sort(function (a, b) { return b.score - a.score || b.day - a.day || a.key - b.key })
        return {meta: meta, terms: terms, found: found}
      })
    })
  }

`

/**
 * The search page's script (progressive enhancement: the page says what to do
 * without it). It shows the form the page wrote hidden, reads the address
 * (`?q=cctv&year=2024&tag=Grants`), looks the words up in the index above and
 * writes the results in GOV.UK's markup: "N results for ‘q’", then each
 * result's title as a link, its reference and decision date, and a short
 * excerpt from its page (the matched words marked).
 *
 * How words match: a word of three letters or more finds the words that
 * begin with it (`contract` finds `contractor`), and an English plural finds
 * its singular (`policies` finds `policy`); a shorter word finds only itself.
 * Every word must match; results are ranked by BM25 over the matched words,
 * an exact word counting more than a longer one, then newest first. Year and
 * tag filters keep the decisions in any ticked year and with any ticked tag.
 * Excerpts are built as text and `<mark>` elements only, never inserted as
 * HTML.
 */
export const searchScript = `(function () {
  'use strict'
  var form = document.getElementById('search-form')
  var fallback = document.getElementById('search-fallback')
  if (!form || !fallback || !window.URLSearchParams || !window.DOMParser || !window.history || !window.fetch || !window.Map || !window.Set || !String.prototype.normalize) return
  var input = document.getElementById('search-q')
  var status = document.getElementById('search-status')
  var results = document.getElementById('search-results')
  var PAGE = 20
  var WIDTH = 24
  var run = 0
  // The index and the site root, from the page's own relative links, so search works from any folder.
  var bundle = new URL(form.getAttribute('data-bundle'), document.baseURI).href
  var root = new URL(form.getAttribute('data-root'), document.baseURI)
  // A decision's page, only within the site: an address such as
  // https://host//other.example/search/ must not send readers or requests elsewhere.
  function pageUrl(path) {
    var url = new URL(path, root)
    return url.origin === root.origin && url.pathname.indexOf(root.pathname) === 0 ? url.href : null
  }
  var fetched = new Map()

  function get(url) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + ': ' + response.status)
        return response
      }))
    }
    return fetched.get(url)
  }

  function data(name) {
    return get(bundle + name).then(function (response) { return response.clone().json() })
  }

  ${searchCore}
  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  // The text of a decision's page as the index read it: its main column without what search ignores.
  function pageText(html) {
    var main = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-pagefind-body]')
    var parts = []
    function walk(node) {
      Array.prototype.forEach.call(node.childNodes, function (child) {
        if (child.nodeType === 3) parts.push(child.nodeValue)
        else if (child.nodeType === 1 && !child.hasAttribute('data-pagefind-ignore')) {
          parts.push(' ')
          walk(child)
        }
      })
    }
    if (main) walk(main)
    return parts.join('')
  }

  // About WIDTH words of the page around the most matches, matched words marked.
  function excerpt(text, terms) {
    var words = text.split(/\\s+/).filter(Boolean)
    var hit = words.map(function (word) {
      return searchWords(word).some(function (part) { return terms.some(function (term) { return match(part, term) > 0 }) })
    })
    var best = 0
    var most = 0
    for (var i = 0, count = 0; i < words.length; i++) {
      if (hit[i]) count++
      if (i >= WIDTH && hit[i - WIDTH]) count--
      if (count > most) {
        most = count
        best = Math.max(0, i - WIDTH + 1)
      }
    }
    var first = hit.indexOf(true, best)
    var start = first < 0 ? 0 : Math.max(0, Math.min(first - 6, words.length - WIDTH))
    var p = el('p', 'mopac-results__excerpt')
    if (start > 0) p.appendChild(document.createTextNode('\\u2026 '))
    words.slice(start, start + WIDTH).forEach(function (word, i) {
      if (i > 0) p.appendChild(document.createTextNode(' '))
      p.appendChild(hit[start + i] ? el('mark', '', word) : document.createTextNode(word))
    })
    if (start + WIDTH < words.length) p.appendChild(document.createTextNode(' \\u2026'))
    return p
  }

  function item(row, text, terms) {
    var li = el('li')
    var heading = el('h2')
    var url = pageUrl(row[0])
    var link = el(url ? 'a' : 'span', url ? 'govuk-link' : '', row[1])
    if (url) link.href = url
    heading.appendChild(link)
    li.appendChild(heading)
    var meta = el('ul', 'mopac-results__meta')
    meta.appendChild(el('li', '', 'Reference: ' + row[2]))
    meta.appendChild(el('li', '', 'Decision date: ' + row[3]))
    li.appendChild(meta)
    if (text && terms.length > 0) li.appendChild(excerpt(text, terms))
    return li
  }

  function unavailable() {
    form.hidden = true
    fallback.hidden = false
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

  function show(answer, q, years, tags, id) {
    var found = answer.found
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
      return Promise.all(slice.map(function (result) {
        var row = data(result.shard + '/docs/' + Math.floor(result.doc / answer.meta.perFile) + '.json').then(function (rows) { return rows[result.doc % answer.meta.perFile] })
        return row.then(function (row) {
          if (answer.terms.length === 0) return [row, '']
          // An excerpt is a nicety: without the page, the result stands without one.
          var url = pageUrl(row[0])
          if (!url) return [row, '']
          return get(url).then(function (response) { return response.clone().text() }).then(pageText, function () { return '' }).then(function (text) { return [row, text] })
        })
      })).then(function (items) {
        if (id !== run) return
        var first = null
        items.forEach(function (pair) {
          var li = item(pair[0], pair[1], answer.terms)
          list.appendChild(li)
          if (!first) first = li.querySelector('a')
        })
        if (shown < found.length) results.appendChild(more)
        else if (more.parentNode) more.parentNode.removeChild(more)
        if (focus && first) first.focus()
      })
    }
    more.addEventListener('click', function () { next(true).catch(unavailable) })
    return next(false)
  }

  function selected(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (box) { return box.value })
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
    // The page's own full address with the new query: a path alone (\`//host/…\`) could read as another origin.
    var address = new URL(window.location.href)
    address.search = query ? '?' + query : ''
    window.history.replaceState(null, '', address.href)
    if (!q && years.length === 0 && tags.length === 0) {
      status.textContent = ''
      results.textContent = ''
      return
    }
    status.textContent = 'Searching\\u2026'
    find(q, years, tags)
      .then(function (answer) { if (id === run) return show(answer, q, years, tags, id) })
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

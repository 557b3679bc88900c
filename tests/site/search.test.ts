/**
 * The search index (src/site/search.ts) and the search the reader's browser
 * runs on it (`searchCore`, run here in Node on the files the build makes):
 * which decisions a query finds, in which order, with which filters; that the
 * browser cuts words as the index does; that the index holds exactly the
 * words of the decisions it was made from, and nothing a page does not show.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {htmlBodyText as bodyText} from '../../src/pipeline/text.js'
import {searchCore, searchFold, searchIndex, searchWords, SEARCH_DIR, type SearchRecord} from '../../src/site/search.js'
import {INVISIBLE_RE, tokenize} from '../../src/verify/text.js'

interface Found {
  shard: string
  doc: number
  score: number
  path?: string
}
interface Engine {
  find(q: string, years: string[], tags: string[]): Promise<{found: Found[]; terms: string[]}>
  searchWords(text: string): string[]
  searchFold(word: string): string
}

/** The browser's search over these index files; each result also gets its decision's path (from its shard's docs file). */
function engine(files: [string, string][]): Engine {
  const byName = new Map(files)
  const data = (name: string) => {
    const text = byName.get(SEARCH_DIR + name)
    return text === undefined ? Promise.reject(new Error(`no ${name}`)) : Promise.resolve(JSON.parse(text))
  }
  const core = new Function('data', `${searchCore}\nreturn {find: find, searchWords: searchWords, searchFold: searchFold}`)(data) as Engine
  return {
    ...core,
    async find(q, years, tags) {
      const answer = await core.find(q, years, tags)
      for (const f of answer.found) {
        const rows = JSON.parse(byName.get(`${SEARCH_DIR}${f.shard}/docs/${Math.floor(f.doc / 256)}.json`)!) as string[][]
        f.path = rows[f.doc % 256]![0]!
      }
      return answer
    }
  }
}

function record(path: string, title: string, body: string, year = '2024', tags: string[] = []): SearchRecord {
  return {path, title, reference: path.toUpperCase(), date: `1 January ${year}`, day: Date.UTC(Number(year), 0, 1) / 86_400_000, year, tags, heading: searchWords(title), words: searchWords(body)}
}

const docs = [
  record('a', 'Gateway contract extension', 'The contractor keeps the secure gateway running. Policy review.', '2019', ['Technology']),
  record('b', 'Mentoring grant', 'A grant to be paid for youth mentoring; contracts follow the policies.', '2021', ['Community safety', '__proto__']),
  record('c', 'Custody CCTV', 'Cameras in custody suites and a contract variation for their maintenance.', '2021', ['Technology']),
  record('d', 'Estates', 'Benchmarking the estate, constructor and be done at the café.', '2024', [])
]

async function titles(e: Engine, q: string, years: string[] = [], tags: string[] = []): Promise<string[]> {
  return (await e.find(q, years, tags)).found.map((f) => f.path!)
}

describe('search', () => {
  const e = engine(searchIndex(docs))

  it('finds words by their beginning, plurals by their singular, short words only as themselves', async () => {
    expect((await titles(e, 'contract')).sort()).toEqual(['a', 'b', 'c'])
    expect(await titles(e, 'contractor')).toEqual(['a'])
    expect((await titles(e, 'Contracts')).sort()).toEqual(['a', 'b', 'c'])
    expect((await titles(e, 'policies')).sort()).toEqual(['a', 'b'])
    expect((await titles(e, 'be')).sort()).toEqual(['b', 'd'])
    expect(await titles(e, 'b')).toEqual([])
    expect(await titles(e, 'gatewayz')).toEqual([])
    // Accents are kept in the index and ignored in matching.
    expect(await titles(e, 'CAFÉ')).toEqual(['d'])
    expect(await titles(e, 'cafe')).toEqual(['d'])
  })

  it('needs every word, and ranks an exact word and the title first', async () => {
    expect(await titles(e, 'custody contract')).toEqual(['c'])
    expect(await titles(e, 'custody nothing')).toEqual([])
    // The title's "contract" outweighs a body's "contracts" and "contract".
    expect((await titles(e, 'contract'))[0]).toBe('a')
    // Punctuation alone is no word: nothing, not everything.
    expect(await titles(e, '&& —')).toEqual([])
  })

  it('filters by any ticked year and any ticked tag, both together, tags as written', async () => {
    // (Same day: the order across shards is the shards'.)
    expect((await titles(e, '', ['2021'])).sort()).toEqual(['b', 'c'])
    // Filters alone list newest first.
    expect(await titles(e, '', ['2019', '2024'])).toEqual(['d', 'a'])
    expect(await titles(e, '', [], ['Technology'])).toEqual(['c', 'a'])
    expect(await titles(e, '', ['2021'], ['Technology'])).toEqual(['c'])
    // c has the word itself, b only "contracts".
    expect(await titles(e, 'contract', ['2021'], ['Technology', 'Community safety'])).toEqual(['c', 'b'])
    expect(await titles(e, '', [], ['__proto__'])).toEqual(['b'])
    expect(await titles(e, '', [], ['constructor'])).toEqual([])
    expect(await titles(e, 'constructor')).toEqual(['d'])
    expect(await titles(e, '', ['1999'])).toEqual([])
  })

  it('cuts words in the browser exactly as the index does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({unit: 'binary'}), fc.constantFrom('Café ÉTÉ naïve', 'Ｆｕｌｌ ｗｉｄｔｈ', 'PCD 602: £1.2m', 'İstanbul ǅ', '日本語 テキスト', 'a\u0301b\u0308')), (text) => {
        const words = searchWords(text)
        expect(e.searchWords(text)).toEqual(words)
        for (const word of words) expect(e.searchFold(word)).toBe(searchFold(word))
        // And as the leak check cuts every public file (src/verify/text.ts): a word the
        // index holds is one the check reads (it leaves out only words with no letter or digit).
        expect(words).toEqual(tokenize(text.replace(INVISIBLE_RE, '')).filter((w) => searchFold(w).replace(/_/g, '') !== ''))
      }),
      {numRuns: 500}
    )
  })

  it('cuts the index into chunks by size, however many distinct words: files and meta.json grow with the index, not with its words', () => {
    // Every a-z triple (17,576 distinct words): one file per beginning would be 17,576 files.
    const letters = 'abcdefghijklmnopqrstuvwxyz'
    const triples: string[] = []
    for (const a of letters) for (const b of letters) for (const c of letters) triples.push(a + b + c)
    const cjk = Array.from({length: 3000}, (_, i) => String.fromCodePoint(0x4e00 + i) + String.fromCodePoint(0x4e00 + ((i * 7) % 3000)))
    const files = searchIndex([record('x/', 'x', triples.join(' ')), record('y/', 'y', cjk.join(' '))])
    const terms = files.filter(([name]) => /^search-index\/s[0-9a-f]\/terms\/\d+\.json$/.test(name))
    const total = terms.reduce((sum, [, json]) => sum + json.length, 0)
    // Per shard at most one chunk under the size (the last).
    expect(terms.length).toBeLessThanOrEqual(Math.ceil(total / (32 * 1024)) + 2)
    expect(files.every(([name]) => /^search-index\/(meta\.json|s[0-9a-f]\/(terms\/\d+|docs\/\d+|filters)\.json)$/.test(name))).toBe(true)
    const meta = JSON.parse(files.find(([name]) => name === `${SEARCH_DIR}meta.json`)![1]) as {shards: {chunks: string[]}[]}
    expect(meta.shards.reduce((n, shard) => n + shard.chunks.length, 0)).toBe(terms.length)
    expect(JSON.stringify(meta).length).toBeLessThan(2_000)
  })

  it('finds a word in whichever chunk holds it, when chunks are many', async () => {
    const many = Array.from({length: 12000}, (_, i) => `w${i.toString(36)}zq`)
    const big = [record('m/', 'Many', many.join(' ')), record('n/', 'Other', 'wzzzq w1zq and w10zq')]
    const files = searchIndex(big)
    expect(files.filter(([name]) => name.includes('/terms/')).length).toBeGreaterThan(3)
    const engineBig = engine(files)
    for (const word of ['w0zq', 'w1zq', 'w10zq', many[5999]!, many[11999]!, 'wzzzq']) {
      const found = (await engineBig.find(word, [], [])).found.map((f) => f.path!)
      expect(found.length, word).toBeGreaterThan(0)
      for (const path of found) expect(big.find((r) => r.path === path)!.words, word).toContain(word)
    }
    // A prefix across chunk borders finds every decision with such a word.
    expect((await engineBig.find('w1', [], [])).found.length).toBe(0)
    expect((await engineBig.find('w10', [], [])).found.map((f) => f.path!).sort()).toEqual(['m/', 'n/'])
  })

  it('changes one shard (and at most meta.json besides) when one decision changes, is added or leaves', () => {
    const many = Array.from({length: 60}, (_, i) => record(`decisions/pcd-${i}/`, `Title ${i}`, `body words ${i} contract`))
    const before = new Map(searchIndex(many))
    const changed = (after: Map<string, string>) => [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name))
    const shardsOf = (names: string[]) => [...new Set(names.filter((n) => n !== `${SEARCH_DIR}meta.json`).map((n) => n.split('/')[1]))]
    const edited = many.map((r, i) => (i === 17 ? record(r.path, r.title, 'new words entirely') : r))
    const added = [...many.slice(0, 30), record('decisions/pcd-new/', 'New', 'fresh words'), ...many.slice(30)]
    const removed = many.filter((_, i) => i !== 42)
    for (const after of [edited, added, removed]) {
      // (meta.json too, when the shard's count or chunks moved.)
      const names = changed(new Map(searchIndex(after)))
      expect(shardsOf(names).length).toBe(1)
    }
  })

  // A naive search over the records: what `find` must return, as a set.
  const VOCAB = ['contract', 'contractor', 'contracts', 'policy', 'policies', 'police', 'be', 'bee', 'grant', 'grants', 'cctv', 'café', 'zq', 'estate', 'estates', 'a']
  const matches = (indexed: string, term: string) => {
    const word = searchFold(indexed)
    if (word === term) return true
    if (term.length >= 3 && word.startsWith(term)) return true
    if (term.length > 3 && term.endsWith('s') && !term.endsWith('ss')) {
      if (word === term.slice(0, -1)) return true
      if (term.endsWith('ies') && word === term.slice(0, -3) + 'y') return true
      if (/[sxz]es$|[cs]hes$/.test(term) && word === term.slice(0, -2)) return true
    }
    return false
  }

  it('finds exactly the decisions that have every word, within the filters, on any corpus', async () => {
    const corpus = fc.array(
      fc.record({heading: fc.array(fc.constantFrom(...VOCAB), {maxLength: 3}), words: fc.array(fc.constantFrom(...VOCAB), {maxLength: 12}), year: fc.constantFrom('2019', '2020'), tags: fc.subarray(['T1', 'T2'])}),
      {minLength: 1, maxLength: 12}
    )
    const query = fc.record({
      terms: fc.array(fc.oneof(fc.constantFrom(...VOCAB), fc.constantFrom('con', 'contr', 'pol', 'gra', 'es', 'cafe', 'Café', 'polic')), {maxLength: 3}),
      years: fc.subarray(['2019', '2020']),
      tags: fc.subarray(['T1', 'T2'])
    })
    await fc.assert(
      fc.asyncProperty(corpus, query, async (raw, q) => {
        const records = raw.map((r, i) => ({...r, heading: searchWords(r.heading.join(' ')), words: searchWords(r.words.join(' ')), path: `p${i}/`, title: `T${i}`, reference: `R${i}`, date: '', day: 20000 - i}))
        const files = searchIndex(records)
        const text = q.terms.join(' ')
        const terms = [...new Set(searchWords(text).map(searchFold))]
        if (terms.length === 0 && q.years.length === 0 && q.tags.length === 0) return
        const expected = records
          .map((r, doc) => ({r, doc}))
          .filter(({r}) => terms.every((term) => [...r.heading, ...r.words].some((word) => matches(word, term))))
          .filter(({r}) => (q.years.length === 0 || q.years.includes(r.year)) && (q.tags.length === 0 || r.tags.some((t) => q.tags.includes(t))))
          .filter(() => terms.length > 0 || text.trim() === '')
          .map(({r}) => r.path)
        const found = (await engine(files).find(text, q.years, q.tags)).found
        expect(found.map((f) => f.path!).sort()).toEqual(expected.sort())
        // Best first; ties newest (here: listed first) first, across shards.
        const listed = (f: Found) => records.findIndex((r) => r.path === f.path)
        for (let i = 1; i < found.length; i++) expect(found[i - 1]!.score > found[i]!.score || (found[i - 1]!.score === found[i]!.score && listed(found[i - 1]!) < listed(found[i]!))).toBe(true)
      }),
      {numRuns: 200}
    )
  })

  it('holds exactly the words of its decisions, and no other', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({unit: 'binary'}), fc.string({unit: 'binary'})), {minLength: 1, maxLength: 6}), (texts) => {
        const records = texts.map(([title, body], i) => record(`p${i}/`, title, body))
        const files = searchIndex(records)
        const indexed = new Set<string>()
        const meta = JSON.parse(files.find(([name]) => name === `${SEARCH_DIR}meta.json`)![1]) as {shards: {name: string; chunks: string[]}[]; docs: number}
        for (const [name, json] of files) {
          const m = /^search-index\/(s[0-9a-f])\/terms\/(\d+)\.json$/.exec(name)
          if (!m) continue
          const chunks = meta.shards.find((shard) => shard.name === m[1])!.chunks
          const n = Number(m[2])
          for (const word of Object.keys(JSON.parse(json) as object)) {
            indexed.add(word)
            // In the chunk whose range holds it.
            expect(searchFold(word) >= chunks[n]!).toBe(true)
            if (n + 1 < chunks.length) expect(searchFold(word) <= chunks[n + 1]!).toBe(true)
          }
        }
        const words = new Set(records.flatMap((r) => [...r.heading, ...r.words]).filter((w) => w.length <= 48))
        // Kept as written (lower case, NFKC), accents too: the leak check reads the index as it reads pages.
        for (const word of words) expect(word).toBe(word.normalize('NFKC').toLowerCase())
        expect([...indexed].sort()).toEqual([...words].sort())
        expect(meta.docs).toBe(records.length)
        expect(meta.shards.reduce((n, shard) => n + shard.chunks.length, 0)).toBe(files.filter(([name]) => name.includes('/terms/')).length)
      })
    )
  })

  it('reads a body without what search ignores (withheld notices), however deep', () => {
    const html = '<p>Public zqpublic <span class="mopac-withheld-inline" data-pagefind-ignore="all">zqnoticeinline</span> text</p><div class="mopac-withheld" data-pagefind-ignore="all"><p>zqnotice <em>zqnested</em></p></div><ul><li><p>item&nbsp;zqitem&amp;</p></li></ul><table><tr><td>zqcell</td></tr></table>'
    const words = searchWords(bodyText(html))
    expect(words).toEqual(expect.arrayContaining(['zqpublic', 'text', 'item', 'zqitem', 'zqcell']))
    for (const hidden of ['zqnoticeinline', 'zqnotice', 'zqnested']) expect(words).not.toContain(hidden)
    // Neighbouring elements' words stay apart.
    expect(searchWords(bodyText('<p>one</p><p>two</p>'))).toEqual(['one', 'two'])
  })
})

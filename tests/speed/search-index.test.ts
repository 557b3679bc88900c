/**
 * The search index is built by Pagefind's command on a folder of the pages
 * (src/site/search.ts). It must hold what Pagefind's Node API, one page at a
 * time, made of the same pages: the same page records (fragments, with their
 * root-relative URLs and only `data-pagefind-body` text), the same kinds of
 * files, nothing the site does not use.
 */
import zlib from 'node:zlib'
import * as pagefind from 'pagefind'
import {describe, expect, it} from 'vitest'
import {searchIndex} from '../../src/site/search.js'

const page = (reference: string, words: string) =>
  `<!doctype html><html lang="en-GB"><head><title>${reference}</title></head><body><header data-pagefind-ignore="all">zqheaderonly</header><main data-pagefind-body><span data-pagefind-meta="reference" data-pagefind-filter="year:2026">${reference}</span><h1>${reference} title</h1><p>${words}</p></main><footer>zqfooteronly</footer></body></html>`

const pages: [string, string][] = [
  ['decisions/pcd-1/index.html', page('PCD 1', 'gateway contract zqalpha')],
  ['decisions/pcd-2/index.html', page('PCD 2', 'mentoring grant zqbeta')],
  ['decisions/pcd-3/index.html', page('PCD 3', 'custody cctv zqgamma')]
]

/** Pagefind's files are gzip with a signature line in front. */
function text(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes)
  const at = buffer.indexOf(Buffer.from([0x1f, 0x8b]))
  return at >= 0 && at < 64 ? zlib.gunzipSync(buffer.subarray(at)).toString('latin1') : buffer.toString('latin1')
}

async function withNodeApi(): Promise<Map<string, Uint8Array>> {
  const {index} = await pagefind.createIndex({forceLanguage: 'en', keepIndexUrl: false})
  try {
    for (const [path, content] of pages) await index!.addHTMLFile({url: '/' + path.replace(/index\.html$/, ''), content})
    const {files} = await index!.getFiles()
    return new Map(files.map((file) => [`pagefind/${file.path}`, file.content]))
  } finally {
    await index!.deleteIndex()
    await pagefind.close()
  }
}

describe('the search index', () => {
  it('holds the same page records as Pagefind’s Node API makes of the same pages', async () => {
    const files = new Map(await searchIndex(pages))
    const reference = await withNodeApi()
    const fragments = (map: Map<string, Uint8Array>) => [...map.keys()].filter((name) => name.startsWith('pagefind/fragment/')).sort()
    expect(fragments(files)).toEqual(fragments(reference))
    for (const name of fragments(files)) expect(Buffer.from(files.get(name)!).equals(Buffer.from(reference.get(name)!)), name).toBe(true)
    // A fragment is a signature, then the page's record as JSON.
    const records = fragments(files).map((name) => {
      const record = text(files.get(name)!)
      return JSON.parse(record.slice(record.indexOf('{'))) as {url: string; content: string}
    })
    expect(records.map((record) => record.url).sort()).toEqual(['/decisions/pcd-1/', '/decisions/pcd-2/', '/decisions/pcd-3/'])
    // The other files: the same kinds (names differ where they hash the page order).
    const kinds = (map: Map<string, Uint8Array>) => [...new Set([...map.keys()].map((name) => name.replace(/_[0-9a-f]+\./, '_#.').replace(/\.[0-9a-f]{10}\./, '.#.')))].sort()
    expect(kinds(files).filter((name) => !/modular-ui|component-ui|highlight|playground/.test(name))).toEqual(kinds(files))
    expect(kinds(files)).toEqual(kinds(reference).filter((name) => !/modular-ui|component-ui|highlight|playground/.test(name)))
    // Only the body is indexed, in every file of the bundle.
    const all = [...files.values()].map(text).join('\n')
    expect(all).toContain('zqalpha')
    expect(all).not.toMatch(/zqheaderonly|zqfooteronly/)
    // Sorted by path, as the site's files are.
    const names = [...files.keys()]
    expect(names).toEqual([...names].sort())
  }, 60_000)

  it('makes the bundle of a site with no paper page', async () => {
    const files = new Map(await searchIndex([]))
    expect(files.has('pagefind/pagefind.js')).toBe(true)
    expect(files.has('pagefind/pagefind-entry.json')).toBe(true)
  }, 60_000)

  it('refuses a page outside the site', async () => {
    await expect(searchIndex([['../x/index.html', page('PCD 9', 'x')]])).rejects.toThrow(/not a page inside the site/)
  })
})

/**
 * Nothing of a paper that is not public, even from another paper: a link
 * from a public paper to the page of a deferred paper keeps only its text
 * (README, "A link from a public paper to the page of a paper that is not
 * public ... is published as its text alone").
 */
import {describe, expect, it} from 'vitest'
import {buildAndVerify, buildAt, content, expectNoCanary, paper} from './helpers.js'

const DEFERRED = paper('PCD 9', 'summary: zqdefsummary\ntags: [zqdeftag]\ndeferral:\n  until: "2030-01-01"\n  reason: zqreason\n', 'Body zqdefbody.\n', 'Deferred zqdeftitle')
const CANARIES = ['decisions/pcd-9', 'pcd-9/', 'zqdeftitle', 'zqdefsummary', 'zqdefbody', 'zqdeftag', 'zqreason']
const withLink = (body: string) => content({'a.md': paper('PCD 1', '', body + '\n'), 'b.md': DEFERRED})

describe('raw HTML links to a deferred paper lose their address (was a hole: both lines passed it)', () => {
  // The link check once ran on Markdown links only: the address stayed in
  // the page, the public Markdown and (for <img>) Pagefind's metadata, and
  // `mopac verify` passed (the address is in public source text). Now every
  // address in a raw HTML attribute is checked too.
  const cases: Record<string, string> = {
    '<a href> to the deferred page': 'See <a href="/decisions/pcd-9/">the next decision</a>.',
    '<a href> with entity-encoded slashes': 'See <a href="&#x2F;decisions&#x2F;pcd-9/">the next decision</a>.',
    '<a href> in an HTML block': '<div>\n<a href="/decisions/pcd-9/">the next decision</a>\n</div>',
    '<img src> under the deferred page (also in Pagefind meta)': '<img src="/decisions/pcd-9/files/chart.png" alt="chart">',
    '<blockquote cite>': '<blockquote cite="/decisions/pcd-9/">quoted</blockquote>',
    '<q cite>': 'He said <q cite="/decisions/pcd-9/">yes</q>.',
    '<a href> percent-encoded': 'See <a href="/%64ecisions/pcd-9/">the next decision</a>.',
    '<a href> with a backslash': 'See <a href="/decisions\\pcd-9/">the next decision</a>.'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, async () => {
      const r = await buildAt(withLink(body))
      expect(r.ok).toBe(true)
      expectNoCanary(r, CANARIES)
    })
  }
  it('<a href> to the deferred page passes the independent leak check too', async () => {
    const {hits, result} = await buildAndVerify(withLink('See <a href="/decisions/pcd-9/">the next decision</a>.'))
    // SAFE: either the pipeline drops the address, or verify reports it.
    const leaked = [...result.files!.values()].some((v) => typeof v === 'string' && v.includes('/decisions/pcd-9/'))
    expect(leaked && hits.length === 0).toBe(false)
  })
})

describe('a Markdown link with a doubled slash to a deferred page loses its address (was a hole)', () => {
  // `/decisions//pcd-9/` is served as `/decisions/pcd-9/` by common static
  // servers (nginx merge_slashes, http-server, python -m http.server); the
  // link check now reads runs of slashes as one.
  it('[see](/decisions//pcd-9/)', async () => {
    const r = await buildAt(withLink('[see](/decisions//pcd-9/)'))
    expect(r.ok).toBe(true)
    expectNoCanary(r, CANARIES)
  })
})

describe('held: Markdown links to a deferred page keep their text alone', () => {
  const cases: Record<string, string> = {
    inline: '[see](/decisions/pcd-9/)',
    'upper-case path': '[see](/DECISIONS/PCD-9/)',
    'percent-encoded hyphen': '[see](/decisions/pcd%2D9/)',
    'percent-encoded letter': '[see](/decisions/%70cd-9/)',
    'index.html': '[see](/decisions/pcd-9/index.html)',
    'index.md': '[see](/decisions/pcd-9/index.md)',
    'no trailing slash': '[see](/decisions/pcd-9)',
    'dot segment': '[see](/decisions/./pcd-9/)',
    'dot-dot segment': '[see](/x/../decisions/pcd-9/)',
    'query string': '[see](/decisions/pcd-9/?a=1)',
    fragment: '[see](/decisions/pcd-9/#x)',
    'its files': '[see](/decisions/pcd-9/files/a.pdf)',
    'absolute on this site': '[see](https://example.org/decisions/pcd-9/)',
    'absolute on another site': '[see](https://other.example/decisions/pcd-9/)',
    'upper-case absolute': '[see](HTTPS://EXAMPLE.ORG/DECISIONS/PCD-9/)',
    'protocol-relative': '[see](//example.org/decisions/pcd-9/)',
    'reference definition': '[see][d]\n\n[d]: /decisions/pcd-9/',
    'unused definition with the title in its title': 'Hi.\n\n[d]: /decisions/pcd-9/ "zqdeftitle"',
    'in a footnote': 'x[^1]\n\n[^1]: [see](/decisions/pcd-9/)',
    'entity in the path': '[see](/decisions/pcd&#45;9/)',
    'encoded slash': '[see](/decisions%2Fpcd-9/)',
    'angle-bracket destination': '[see](</decisions/pcd-9/>)',
    'image under its files': '![x](/decisions/pcd-9/files/a.png)'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, async () => {
      const r = await buildAt(withLink(body))
      expect(r.ok).toBe(true)
      expectNoCanary(r, CANARIES)
    })
  }
})

describe('held: withdrawn, draft and withheld papers', () => {
  const base = {'a.md': paper('PCD 1')}
  const W = 'withdrawn:\n  date: "2024-12-01"\n  explanation: zqexpl\n'
  it('withdrawn but still deferred: no notice before its date', async () => {
    const r = await buildAt(content({...base, 'b.md': paper('PCD 9', `deferral:\n  until: "2030-01-01"\n${W}`, 'zqdefbody\n', 'zqdeftitle')}))
    expect(r.ok).toBe(true)
    expectNoCanary(r, [...CANARIES, 'zqexpl'])
  })
  it('withdrawn and OFFICIAL-SENSITIVE: no notice', async () => {
    const r = await buildAt(content({...base, 'b.md': paper('PCD 9', W, 'zqdefbody\n', 'zqdeftitle').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE')}))
    expect(r.ok).toBe(true)
    expectNoCanary(r, [...CANARIES, 'zqexpl'])
  })
  it('withdrawn draft: no notice', async () => {
    const r = await buildAt(content({...base, 'b.md': paper('PCD 9', `draft: true\n${W}`, 'zqdefbody\n', 'zqdeftitle')}))
    expect(r.ok).toBe(true)
    expectNoCanary(r, [...CANARIES, 'zqexpl'])
  })
})

/**
 * Attachments: a copy of a paper is refused (`asset-paper`: "any file that
 * opens with a `---` line (it would copy the source, sensitive parts and
 * all)"), the pipeline's only guard against copying a paper's source.
 */
import {describe, expect, it} from 'vitest'
import {buildAndVerify, buildAt, content, expectNoCanary, expectRefused, paper} from './helpers.js'

const DEFERRED = `---
id: PCD 9
title: Stadium security review
date: "2024-06-20"
classification: OFFICIAL
part2:
  exemptions: [s43]
deferral:
  until: "2030-01-01"
---

The Operation Kestrelwing budget.

:::official-sensitive
Supplier Zanthorpe quoted 4.1m.
:::
`
const CANARIES = ['kestrelwing', 'zanthorpe', 'stadium security review']
const linking = (name: string, bytes: string) => content({'a.md': paper('PCD 1', '', `The [figures](./${name}).\n`), 'b.md': DEFERRED, [name]: bytes})

describe('(was a hole) a copy of a deferred paper under a CSV name, not opening exactly with `---`', () => {
  // Was published whole (deferred title and body, and its withheld block);
  // a CSV or SVG holding a paper's signs anywhere is now refused.
  const cases: Record<string, string> = {
    'a blank line first': '\n' + DEFERRED,
    'a space before the dashes': ' ' + DEFERRED,
    'TOML-style +++ fences': DEFERRED.replace(/^---$/gm, '+++')
  }
  for (const [what, bytes] of Object.entries(cases)) {
    it(what, async () => {
      const r = await buildAt(linking('figures.csv', bytes))
      expect(r.ok).toBe(false) // SAFE: refused (asset-paper)
      expectNoCanary(r, CANARIES)
    })
  }
  // At 4df68a8 verify also counted the linked CSV as public source text and
  // passed it (both lines failed); verify now reads such a file as a paper,
  // and the pipeline refuses it first.
  it('the build refuses it before anything is written (asset-paper)', async () => expectRefused(await buildAt(linking('figures.csv', '\n' + DEFERRED)), 'asset-paper'))
})

describe('held: copies that open with `---`, paper links, unsafe files', () => {
  it('exact copy as CSV', async () => expectRefused(await buildAt(linking('figures.csv', DEFERRED)), 'asset-paper'))
  it('copy with a byte order mark', async () => expectRefused(await buildAt(linking('figures.csv', '\ufeff' + DEFERRED)), 'asset-paper'))
  it('copy with CRLF', async () => expectRefused(await buildAt(linking('figures.csv', DEFERRED.replace(/\n/g, '\r\n'))), 'asset-paper'))
  it('copy with trailing spaces after ---', async () => expectRefused(await buildAt(linking('figures.csv', DEFERRED.replace('---\n', '--- \n'))), 'asset-paper'))
  const links: Record<string, [string, string]> = {
    'upper-case .MD': ['[p](./b.MD)', 'asset-paper'],
    'percent-encoded dot': ['[p](./b%2Emd)', 'asset-paper'],
    'query string': ['[p](./b.md?x=1)', 'asset-paper'],
    fragment: ['[p](./b.md#x)', 'asset-paper'],
    'reference definition': ['[p][d]\n\n[d]: b.md', 'asset-paper'],
    image: ['![p](b.md)', 'asset-paper'],
    'parent folder': ['[p](../x.pdf)', 'asset-outside']
  }
  for (const [what, [body, rule]] of Object.entries(links)) {
    it(`link to the source: ${what}`, async () => expectRefused(await buildAt(content({'a.md': paper('PCD 1', '', body + '\n'), 'b.md': DEFERRED})), rule))
  }
  it('raw HTML <a href="./b.md"> copies nothing', async () => {
    const r = await buildAt(content({'a.md': paper('PCD 1', '', '<a href="./b.md">p</a>\n'), 'b.md': DEFERRED}))
    expectNoCanary(r, CANARIES)
  })
  const svgs: Record<string, string> = {
    '@import in <style>': '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/zq.css";</style><rect/></svg>',
    'CSS-escaped url(': '<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:u\\72l(https://evil.example/a)}</style><rect/></svg>',
    'data: use': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="data:image/svg+xml,zq#a"/></svg>',
    'javascript: link': '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
    'XHTML default namespace': '<svg xmlns="http://www.w3.org/2000/svg"><g xmlns="http://www.w3.org/1999/xhtml"><script>zq</script></g></svg>'
  }
  for (const [what, svg] of Object.entries(svgs)) {
    it(`SVG: ${what}`, async () => expectRefused(await buildAt(content({'a.md': paper('PCD 1', '', '![c](./x.svg)\n'), 'x.svg': svg})), 'asset-unsafe'))
  }
  it('SVG comments, metadata and editor attributes are dropped', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"><!-- zqatt1 --><metadata>zqatt2</metadata><rect inkscape:label="zqatt3"/></svg>'
    const r = await buildAt(content({'a.md': paper('PCD 1', '', '![c](./x.svg)\n'), 'x.svg': svg}))
    expect(r.ok).toBe(true)
    expectNoCanary(r, ['zqatt1', 'zqatt2', 'zqatt3'])
  })
})

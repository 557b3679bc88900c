/**
 * Red team round 4: the public site's derived outputs (pages, feed, sitemap,
 * JSON, CSV, meta tags, listings) from hostile PUBLIC metadata, and traces of
 * non-public papers in counts and pagination. Each case states its one
 * expected outcome: the build refuses with the rule that names why, or the
 * output is well-formed and carries the value as text.
 */
import fs from 'node:fs'
import path from 'node:path'
import {parse} from 'parse5'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {expectBuildOk, expectBuildRefused} from '../redteam/helpers.js'
import {BASE, buildAt, buildWrite, corpus, NOW, paper, read} from './helpers.js'

/** Characters XML 1.0 forbids anywhere in a document. */
const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

type Node = {nodeName: string; attrs?: {name: string; value: string}[]; childNodes?: Node[]; value?: string}
function all(node: Node, name: string, acc: Node[] = []): Node[] {
  if (node.nodeName === name) acc.push(node)
  for (const child of node.childNodes ?? []) all(child, name, acc)
  const content = (node as unknown as {content?: Node}).content
  if (content) all(content, name, acc)
  return acc
}
const attr = (n: Node, name: string) => n.attrs?.find((a) => a.name === name)?.value

// The feed stays well-formed because a character XML forbids never reaches
// it: such a value is refused in the frontmatter.
describe('feed.xml stays well-formed XML whatever the metadata: characters XML forbids are refused', () => {
  const cases: Record<string, string> = {
    'C0 control (\\x01) in the title': 'title2: x\n',
    'vertical tab in decision_maker': 'decision_maker: "Deputy \\x0B Mayor"\n',
    'backspace in the summary': 'summary: "Extends the \\x08 contract"\n',
    'control character in a tag': 'tags: ["\\x02contracts"]\n',
    'U+FFFE noncharacter in the summary': 'summary: "Extends \\uFFFE the contract"\n'
  }
  for (const [what, yaml] of Object.entries(cases)) {
    it(what, async () => {
      const text = what.includes('title')
        ? `---\nid: PCD 1\ntitle: "Contract \\x01 extension"\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\nBody\n`
        : paper('PCD 1', yaml)
      const c = corpus({'a.md': text})
      expectBuildRefused(await buildAt(c.content), 'frontmatter-invalid')
    })
  }
})

describe('a lone surrogate in public metadata', () => {
  it('is refused as a paper error (file:line), not an unhandled Pagefind crash', async () => {
    const c = corpus({'a.md': paper('PCD 1', 'tags: ["\\uD800x"]\n'), 'b.md': paper('PCD 2')})
    let result
    let thrown: unknown
    try {
      result = await build({content: c.content, now: NOW, baseUrl: BASE})
    } catch (error) {
      thrown = error
    }
    expect(String(thrown ?? '')).toBe('')
    // `mopac check` passes this paper (exit 0) while `build`/`release` crash (exit 70): safe = refused with a paper message.
    expectBuildRefused(result!, 'frontmatter-invalid')
    expect(result!.outcomes.find((o) => o.relativePath === 'a.md')!.status).toBe('invalid')
  })
  it('the next build in the same process still works', async () => {
    const c = corpus({'a.md': paper('PCD 1')})
    expectBuildOk(await build({content: c.content, now: NOW, baseUrl: BASE}))
  })
})

describe('hostile public metadata stays text (held)', () => {
  const hostile = `---\nid: "PCD 1 </title><script>alert(1)</script>"\ntitle: "\\"><script>alert(2)</script><meta http-equiv=refresh content=0;url=javascript:alert(3)> ]]>"\ndate: "2024-05-01"\nclassification: OFFICIAL\ndecision_maker: "<img src=x onerror=alert(4)> & ]]>"\nsummary: "\\" onload=\\"alert(5)\\" <style>*{}</style> ]]>"\ntags: ["<svg onload=alert(6)>", "\\"><script>alert(7)</script>", "=HYPERLINK(\\"http://x\\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]\n---\nBody\n`
  it('pages: no script, event handler or extra meta element; meta content carries the value', async () => {
    const c = corpus({'a.md': hostile, 'b.md': paper('PCD 2', 'tags: [other]\n')})
    await buildWrite(c.content, c.out)
    const pages: string[] = []
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, {withFileTypes: true})) {
        const f = path.join(d, e.name)
        if (e.isDirectory()) walk(f)
        else if (f.endsWith('.html')) pages.push(f)
      }
    }
    walk(c.out)
    for (const page of pages) {
      const doc = parse(read(page)) as unknown as Node
      for (const s of all(doc, 'script')) expect(attr(s, 'src') ?? 'inline', page).toMatch(/pagefind|search\.js|inline/)
      for (const tag of ['img', 'svg', 'style', 'iframe']) {
        if (tag === 'svg' || tag === 'style') continue
        expect(all(doc, tag).length, `${tag} in ${page}`).toBe(0)
      }
      for (const m of all(doc, 'meta')) expect(attr(m, 'http-equiv'), page).toBeUndefined()
      for (const tag of ['*']) void tag
      const everyElement = (n: Node, acc: Node[] = []): Node[] => {
        if (n.attrs) acc.push(n)
        for (const ch of n.childNodes ?? []) everyElement(ch, acc)
        return acc
      }
      for (const el of everyElement(doc)) for (const a of el.attrs ?? []) expect(a.name, `${el.nodeName} in ${page}`).not.toMatch(/^on/)
    }
    const page = parse(read(path.join(c.out, 'decisions/pcd-1-title-script-alert-1-script/index.html'))) as unknown as Node
    const description = all(page, 'meta').find((m) => attr(m, 'name') === 'description')
    expect(attr(description!, 'content')).toBe('" onload="alert(5)" <style>*{}</style> ]]>')
  })
  it('inline scripts are only the site\'s own (search page)', async () => {
    const c = corpus({'a.md': hostile})
    await buildWrite(c.content, c.out)
    const search = read(path.join(c.out, 'search/index.html'))
    // The tag filters show the tags as written: as text, never as markup or script.
    const doc = parse(search) as unknown as Node
    for (const s of all(doc, 'script')) expect(attr(s, 'src'), 'an inline script').toMatch(/search\.js$/)
    // The one svg is the footer's licence logo; the tag's markup is text (a label) and an attribute value.
    expect(all(doc, 'svg').length).toBe(1)
    expect(search).toContain('&#x3C;svg onload=alert(6)>')
  })
  it('decisions.json parses and round-trips every value', async () => {
    const c = corpus({'a.md': hostile})
    await buildWrite(c.content, c.out)
    const json = JSON.parse(read(path.join(c.out, 'decisions.json')))
    expect(json.count).toBe(1)
    expect(json.decisions[0].tags).toContain('=HYPERLINK("http://x")')
  })
  it('decisions.csv: one record per paper, no field a spreadsheet reads as a formula', async () => {
    const c = corpus({'a.md': hostile.replace('title: "', 'title: "=1+1'), 'b.md': paper('PCD 2', 'decision_maker: "@x"\nsummary: "\\ttab"\n')})
    await buildWrite(c.content, c.out)
    const csv = read(path.join(c.out, 'decisions.csv'))
    // RFC 4180 parse
    const rows: string[][] = []
    let row: string[] = []
    let field = ''
    let quoted = false
    for (let i = 0; i < csv.length; i++) {
      const ch = csv[i]
      if (quoted) {
        if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++
        else if (ch === '"') quoted = false
        else field += ch
      } else if (ch === '"') quoted = true
      else if (ch === ',') row.push(field), (field = '')
      else if (ch === '\r' && csv[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
      else field += ch
    }
    expect(rows.length).toBe(3)
    for (const r of rows) {
      expect(r.length).toBe(11)
      for (const f of r) expect(f).not.toMatch(/^[=+\-@\t\r]/)
    }
  })
  it('feed.xml and sitemap.xml stay well-formed (CDATA, attributes)', async () => {
    const c = corpus({'a.md': hostile})
    await buildWrite(c.content, c.out)
    const {XMLValidator} = await import('fast-xml-parser')
    for (const f of ['feed.xml', 'sitemap.xml']) expect(XMLValidator.validate(read(path.join(c.out, f)))).toBe(true)
    const feed = read(path.join(c.out, 'feed.xml'))
    expect(feed).not.toMatch(/<(script|img|svg|style|meta)\b/i)
    expect(XML_ILLEGAL.exec(feed)?.[0]).toBeUndefined()
  })
})

describe('non-public papers leave no trace in counts and pagination (held)', () => {
  it('50 public + 1 deferred newest: one page, "50 decisions", no page/2, deferred not a neighbour', async () => {
    const files: Record<string, string> = {}
    for (let i = 1; i <= 50; i++) files[`p${i}.md`] = paper(`PCD ${i}`, 'tags: [shared]\n', 'Body.\n', `2024-01-${String((i % 28) + 1).padStart(2, '0')}`)
    files['d.md'] = paper('PCD 999', 'tags: [shared]\ndeferral:\n  until: "2027-01-01"\n', 'Body.\n', '2025-12-31')
    const c = corpus(files)
    await buildWrite(c.content, c.out)
    expect(fs.existsSync(path.join(c.out, 'page/2'))).toBe(false)
    expect(fs.existsSync(path.join(c.out, 'tags/shared/page/2'))).toBe(false)
    expect(fs.existsSync(path.join(c.out, 'archive/2025'))).toBe(false)
    expect(read(path.join(c.out, 'index.html'))).toContain('50 decisions')
    expect(read(path.join(c.out, 'archive/index.html'))).not.toContain('51')
  })
})

describe('two public papers do not interfere', () => {
  it('a non-ASCII tag and an ASCII tag spelling its hash slug keep separate archives', async () => {
    const probe = corpus({'a.md': paper('PCD 1', 'tags: ["★"]\n')})
    await buildWrite(probe.content, probe.out)
    const slug = fs.readdirSync(path.join(probe.out, 'tags')).find((n) => n.startsWith('tag-'))!
    const c = corpus({'a.md': paper('PCD 1', 'tags: ["★"]\n'), 'b.md': paper('PCD 2', `tags: ["${slug}"]\n`)})
    await buildWrite(c.content, c.out)
    const archive = read(path.join(c.out, 'archive/index.html'))
    expect(archive).toContain('>★<')
    expect(archive).toContain(`>${slug}<`)
  })
  it('an attachment named index.html is refused (a web page, and it would stand in for the page)', async () => {
    const c = corpus({'a.md': paper('PCD 1', '', 'See [x](./index.html).\n'), 'index.html': '<p>hi</p>'})
    expectBuildRefused(await buildAt(c.content), 'asset-unsafe')
  })
  it('an attachment named index.md is refused (a link to a paper; the file is read as a paper too)', async () => {
    const c = corpus({'a.md': paper('PCD 1', '', 'See [y](./sub/index.md).\n'), 'sub/index.md': 'plain'})
    expectBuildRefused(await buildAt(c.content), 'asset-paper', 'frontmatter-missing')
  })
  it('every link from a page body to an attachment points at the file written (names with # ? %)', async () => {
    const c = corpus({'a.md': paper('PCD 1', '', 'See [a](./a%23b.pdf), [b](./c%3Fd.pdf) and [c](./e%2525f.pdf).\n'), 'a#b.pdf': '%PDF-1.4\npdf1\n%%EOF\n', 'c?d.pdf': '%PDF-1.4\npdf2\n%%EOF\n', 'e%25f.pdf': '%PDF-1.4\npdf3\n%%EOF\n'})
    await buildWrite(c.content, c.out)
    const dir = path.join(c.out, 'decisions/pcd-1')
    const doc = parse(read(path.join(dir, 'index.html'))) as unknown as Node
    const hrefs = all(doc, 'a').map((a) => attr(a, 'href') ?? '').filter((h) => h.startsWith('files/'))
    expect(hrefs.length).toBeGreaterThanOrEqual(3)
    for (const href of hrefs) {
      const url = new URL(href, 'https://example.org/decisions/pcd-1/')
      expect(fs.existsSync(path.join(c.out, decodeURIComponent(url.pathname))), href).toBe(true)
    }
  })
})

/**
 * Red team: whole-site builds. Non-public papers must leave no trace (title,
 * id, slug, summary, body, tags, decision maker, year) in any file or file
 * name; attachments must not carry a source paper.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {findCanaries, scanSite} from '../helpers/scan.js'

const now = new Date('2026-11-25T12:00:00Z')

function corpus(files: Record<string, string | {symlink: string}>): {content: string; out: string} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-redteam-'))
  const content = path.join(dir, 'content')
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    if (typeof value === 'string') fs.writeFileSync(file, value)
    else fs.symlinkSync(value.symlink, file)
  }
  return {content, out: path.join(dir, 'public')}
}

async function buildAndScan(files: Record<string, string | {symlink: string}>, baseUrl = 'https://decisions.example.org/') {
  const {content, out} = corpus(files)
  const result = await build({content, now, baseUrl})
  if (!result.ok) return {result, scanned: undefined, out}
  await writeSite(out, result.files!)
  return {result, scanned: scanSite(out), out}
}

const pub = (id: string, extra = '', body = 'Public body.\n') =>
  `---\nid: ${id}\ntitle: Public ${id}\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n${body}`

describe('non-public papers leave no trace in the site', () => {
  it('deferred and withheld papers sharing tags, years and neighbours with public ones', async () => {
    const {result, scanned} = await buildAndScan({
      'a.md': pub('PCD 100', 'tags: [shared, contracts]\ndecision_maker: Deputy Mayor\n'),
      'b.md': pub('PCD 102', 'tags: [shared]\n'),
      'deferred.md': `---\nid: PCD 9101\ntitle: Deferred zkdeftitle\ndate: "2031-05-02"\nclassification: OFFICIAL\nsummary: zkdefsummary\ndecision_maker: zkdefmaker\ntags: [shared, zkdeftag]\ndeferral:\n  until: "2026-11-25T12:00:00.001Z"\n  reason: zkdefreason\n---\nBody zkdefbody\n`,
      'withheld.md': `---\nid: PCD 9102\ntitle: Withheld zkwhtitle\ndate: "2032-05-01"\nclassification: OFFICIAL-SENSITIVE [COMMERCIAL]\nsummary: zkwhsummary\ntags: [zkwhtag]\n---\nBody zkwhbody\n`
    })
    expect(result.ok).toBe(true)
    const canaries = ['zkdeftitle', 'zkdefsummary', 'zkdefmaker', 'zkdeftag', 'zkdefreason', 'zkdefbody', 'pcd-9101', 'PCD 9101', 'zkwhtitle', 'zkwhsummary', 'zkwhtag', 'zkwhbody', 'pcd-9102', 'PCD 9102', 'archive/2031', 'archive/2032']
    expect(findCanaries(scanned!, canaries)).toEqual([])
  })

  it('a tag shared with a deferred paper counts only public papers', async () => {
    const {result, out} = await buildAndScan({
      'a.md': pub('PCD 100', 'tags: [shared]\n'),
      'deferred.md': `---\nid: PCD 9101\ntitle: Deferred\ndate: "2024-05-02"\nclassification: OFFICIAL\ntags: [shared]\ndeferral:\n  until: "2027-01-01"\n---\nBody\n`
    })
    expect(result.ok).toBe(true)
    const archive = fs.readFileSync(path.join(out, 'archive/index.html'), 'utf8')
    expect(archive).toContain('(1 decision)')
    expect(archive).not.toContain('(2 decisions)')
  })

  it('a slug collision between a public and a withheld paper fails the build', async () => {
    const {result} = await buildAndScan({
      'a.md': pub('PCD 7'),
      'b.md': `---\nid: pcd-7\ntitle: Withheld zkcollide\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody\n`
    })
    expect(result.ok).toBe(false)
  })
})

describe('attachments', () => {
  it('a symlinked attachment that resolves to a withheld source paper is refused', async () => {
    const {result, scanned} = await buildAndScan({
      'public.md': pub('PCD 100', '', 'See [the annex](./annex.txt).\n'),
      'secret.md': `---\nid: PCD 9103\ntitle: Withheld zksymtitle\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zksymbody\n`,
      'annex.txt': {symlink: 'secret.md'}
    })
    if (result.ok) expect(findCanaries(scanned!, ['zksymtitle', 'zksymbody'])).toEqual([])
  })

  it('a symlinked attachment that resolves to the public paper itself (sensitive parts and all) is refused', async () => {
    const {result, scanned} = await buildAndScan({
      'public.md': pub('PCD 100', '', 'See [the source](./source.txt).\n\n:::official-sensitive{exemptions="s43"}\nzkselfsecret\n:::\n'),
      'source.txt': {symlink: 'public.md'}
    })
    if (result.ok) expect(findCanaries(scanned!, ['zkselfsecret'])).toEqual([])
  })

  it('links to .md papers by other spellings are refused', async () => {
    for (const href of ['./secret.md', './secret.md#x', './secret.md?x', './secret%2Emd', './sub/../secret.md']) {
      const {result, scanned} = await buildAndScan({
        'public.md': pub('PCD 100', '', `See [x](${href}).\n`),
        'secret.md': `---\nid: PCD 9104\ntitle: Withheld zkmdtitle\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zkmdbody\n`
      })
      if (result.ok) expect(findCanaries(scanned!, ['zkmdbody']), href).toEqual([])
    }
  })

  it('a paper saved as .MD or .markdown (skipped by the build) is not copied raw when linked', async () => {
    for (const name of ['secret.MD', 'secret.markdown']) {
      const {result, scanned} = await buildAndScan({
        'public.md': pub('PCD 100', '', `See [x](./${name}).\n`),
        [name]: `---\nid: PCD 9105\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zkextbody\n`
      })
      if (result.ok) expect(findCanaries(scanned!, ['zkextbody']), name).toEqual([])
    }
  })

  it('a file only withheld material refers to is not copied', async () => {
    const {result, scanned} = await buildAndScan({
      'public.md': pub('PCD 100', '', ':::official-sensitive{exemptions="s43"}\n![c](./zkonlyfile.png)\n[d](./zkonlydoc.pdf)\n:::\n'),
      'zkonlyfile.png': 'zkonlyfilebytes',
      'zkonlydoc.pdf': 'zkonlydocbytes'
    })
    expect(result.ok).toBe(true)
    expect(findCanaries(scanned!, ['zkonlyfile', 'zkonlydoc'])).toEqual([])
  })
})

describe('metadata injection into feeds and data', () => {
  it('the Atom feed stays well-formed XML with hostile tags', async () => {
    const {result, out} = await buildAndScan({
      'a.md': pub('PCD 100', `tags: ["a<b", "]]><evil/>"]\ndecision_maker: "x]]><evil/>"\nsummary: "s]]><evil/>"\n`)
    })
    expect(result.ok).toBe(true)
    const feed = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')
    // `<` is never allowed inside an XML attribute value
    expect(feed).not.toMatch(/="[^"]*</)
  })

  it('titles with </script> and HTML stay text in pages', async () => {
    const {result, out} = await buildAndScan({
      'a.md': pub('PCD 100', '').replace('title: Public PCD 100', 'title: "</title><script>zkxss()</script>"')
    })
    expect(result.ok).toBe(true)
    const page = fs.readFileSync(path.join(out, 'decisions/pcd-100/index.html'), 'utf8')
    // Outside attribute values, the markup must be escaped.
    const withoutAttributes = page.replace(/="[^"]*"/g, '=""')
    expect(withoutAttributes).not.toContain('<script>zkxss')
  })
})

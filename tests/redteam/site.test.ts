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
import {expectBuildOk, expectBuildRefused} from './helpers.js'

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

async function buildOnly(files: Record<string, string | {symlink: string}>, baseUrl = 'https://decisions.example.org/') {
  const {content, out} = corpus(files)
  return {result: await build({content, now, baseUrl}), out}
}

/** Build, which must succeed, write the site and read every file of it. */
async function buildAndScan(files: Record<string, string | {symlink: string}>, baseUrl = 'https://decisions.example.org/') {
  const {result, out} = await buildOnly(files, baseUrl)
  expectBuildOk(result)
  await writeSite(out, result.files!)
  return {result, scanned: scanSite(out), out}
}

const pub = (id: string, extra = '', body = 'Public body.\n') =>
  `---\nid: ${id}\ntitle: Public ${id}\ndate: "2024-05-01"\nclassification: OFFICIAL\n${extra}---\n${body}`

describe('non-public papers leave no trace in the site', () => {
  it('deferred and withheld papers sharing tags, years and neighbours with public ones', async () => {
    const {scanned} = await buildAndScan({
      'a.md': pub('PCD 100', 'tags: [shared, contracts]\ndecision_maker: Deputy Mayor\n'),
      'b.md': pub('PCD 102', 'tags: [shared]\n'),
      'deferred.md': `---\nid: PCD 9101\ntitle: Deferred zkdeftitle\ndate: "2031-05-02"\nclassification: OFFICIAL\nsummary: zkdefsummary\ndecision_maker: zkdefmaker\ntags: [shared, zkdeftag]\ndeferral:\n  until: "2026-11-25T12:00:00.001Z"\n  reason: zkdefreason\n---\nBody zkdefbody\n`,
      'withheld.md': `---\nid: PCD 9102\ntitle: Withheld zkwhtitle\ndate: "2032-05-01"\nclassification: OFFICIAL-SENSITIVE [COMMERCIAL]\nsummary: zkwhsummary\ntags: [zkwhtag]\n---\nBody zkwhbody\n`
    })
    const canaries = ['zkdeftitle', 'zkdefsummary', 'zkdefmaker', 'zkdeftag', 'zkdefreason', 'zkdefbody', 'pcd-9101', 'PCD 9101', 'zkwhtitle', 'zkwhsummary', 'zkwhtag', 'zkwhbody', 'pcd-9102', 'PCD 9102', 'archive/2031', 'archive/2032']
    expect(findCanaries(scanned, canaries)).toEqual([])
  })

  it('a tag shared with a deferred paper counts only public papers', async () => {
    const {out} = await buildAndScan({
      'a.md': pub('PCD 100', 'tags: [shared]\n'),
      'deferred.md': `---\nid: PCD 9101\ntitle: Deferred\ndate: "2024-05-02"\nclassification: OFFICIAL\ntags: [shared]\ndeferral:\n  until: "2027-01-01"\n---\nBody\n`
    })
    const archive = fs.readFileSync(path.join(out, 'archive/index.html'), 'utf8')
    expect(archive).toContain('(1 decision)')
    expect(archive).not.toContain('(2 decisions)')
  })

  it('a slug collision between a public and a withheld paper fails the build', async () => {
    const {result} = await buildOnly({
      'a.md': pub('PCD 7'),
      'b.md': `---\nid: pcd-7\ntitle: Withheld zkcollide\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody\n`
    })
    expectBuildRefused(result, 'slug-duplicate')
  })
})

describe('attachments', () => {
  it('a symlinked attachment that resolves to a withheld source paper is refused', async () => {
    const {result} = await buildOnly({
      'public.md': pub('PCD 100', '', 'See [the annex](./annex.txt).\n'),
      'secret.md': `---\nid: PCD 9103\ntitle: Withheld zksymtitle\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zksymbody\n`,
      'annex.txt': {symlink: 'secret.md'}
    })
    expectBuildRefused(result, 'asset-paper')
  })

  it('a symlinked attachment that resolves to the public paper itself (sensitive parts and all) is refused', async () => {
    const {result} = await buildOnly({
      'public.md': pub('PCD 100', '', 'See [the source](./source.txt).\n\n:::official-sensitive{exemptions="s43"}\nzkselfsecret\n:::\n'),
      'source.txt': {symlink: 'public.md'}
    })
    expectBuildRefused(result, 'asset-paper')
  })

  for (const href of ['./secret.md', './secret.md#x', './secret.md?x', './secret%2Emd', './sub/../secret.md']) {
    it(`a link to a .md paper spelt ${href} is refused`, async () => {
      const {result} = await buildOnly({
        'public.md': pub('PCD 100', '', `See [x](${href}).\n`),
        'secret.md': `---\nid: PCD 9104\ntitle: Withheld zkmdtitle\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zkmdbody\n`
      })
      expectBuildRefused(result, 'asset-paper')
    })
  }

  for (const name of ['secret.MD', 'secret.markdown']) {
    it(`a paper saved as ${name} is refused as unread, and the link to it as a link to a paper`, async () => {
      const {result} = await buildOnly({
        'public.md': pub('PCD 100', '', `See [x](./${name}).\n`),
        [name]: `---\nid: PCD 9105\ntitle: Withheld\ndate: "2024-05-01"\nclassification: OFFICIAL-SENSITIVE\n---\nBody zkextbody\n`
      })
      expectBuildRefused(result, 'content-unread', 'asset-paper')
    })
  }

  it('a file only withheld material refers to is not copied', async () => {
    const {scanned} = await buildAndScan({
      'public.md': pub('PCD 100', '', ':::official-sensitive{exemptions="s43"}\n![c](./zkonlyfile.png)\n[d](./zkonlydoc.pdf)\n:::\n'),
      'zkonlyfile.png': 'zkonlyfilebytes',
      'zkonlydoc.pdf': 'zkonlydocbytes'
    })
    expect(findCanaries(scanned, ['zkonlyfile', 'zkonlydoc'])).toEqual([])
  })
})

describe('metadata injection into feeds and data', () => {
  it('the Atom feed stays well-formed XML with hostile tags', async () => {
    const {out} = await buildAndScan({
      'a.md': pub('PCD 100', `tags: ["a<b", "]]><evil/>"]\ndecision_maker: "x]]><evil/>"\nsummary: "s]]><evil/>"\n`)
    })
    const feed = fs.readFileSync(path.join(out, 'feed.xml'), 'utf8')
    // `<` is never allowed inside an XML attribute value
    expect(feed).not.toMatch(/="[^"]*</)
  })

  it('titles with </script> and HTML stay text in pages', async () => {
    const {out} = await buildAndScan({
      'a.md': pub('PCD 100', '').replace('title: Public PCD 100', 'title: "</title><script>zkxss()</script>"')
    })
    const page = fs.readFileSync(path.join(out, 'decisions/pcd-100/index.html'), 'utf8')
    // Outside attribute values, the markup must be escaped.
    const withoutAttributes = page.replace(/="[^"]*"/g, '=""')
    expect(withoutAttributes).not.toContain('<script>zkxss')
  })
})

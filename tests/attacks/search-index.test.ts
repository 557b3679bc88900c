/**
 * Red team: the site's own search index (`search-index/`, src/site/search.ts,
 * commit 648052d) and the search page's script (`searchScript`).
 *
 * 1. Nothing that is not on the live public site reaches any index file:
 *    withheld material wherever a paper can put it, papers that are not
 *    public (deferred, draft, OFFICIAL-SENSITIVE, withdrawn, unapproved), a
 *    paper taken down or deferred again in a later run, a kept (held)
 *    version. The oracle: every word the index lists for a decision is a word
 *    of that decision's own page (or the name of one of its files), and no
 *    canary is in any file, compared after NFKC, lower case and accents
 *    removed (the index's own folding).
 * 2. The leak check (`mopac verify`) finds withheld words that a pipeline
 *    bug would put in the index: a paper's `text` is given its withheld
 *    material and the site is rendered from it, so only the index carries it.
 * 3. The search page's script, run on a small fake DOM with the built index,
 *    writes nothing as HTML and fetches only from the site's own origin.
 * 4. Hostile input to the index: prototype names, many distinct words.
 *
 * Attacks that succeed today are plain tests asserting the safe behaviour
 * (so they fail); each says "HOLE" and what went wrong.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Element, Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {beforeAll, describe, expect, it} from 'vitest'
import {writeSite} from '../../src/build/write.js'
import type {PublicPaper} from '../../src/publish/types.js'
import {renderSite} from '../../src/site/render.js'
import {searchCore, searchFold, searchWords, SEARCH_DIR} from '../../src/site/search.js'
import {verify} from '../../src/verify/index.js'
import {runMopac} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'
import {BASE, buildAt, buildErrors, canariesIn, content, NOW, paper} from './helpers.js'
import {runSearchPage} from './search-page.js'

type Files = Map<string, string | Uint8Array>

// ---------------------------------------------------------------------------
// Helpers: read an index back, the words of a page, a folded canary scan
// ---------------------------------------------------------------------------

const text = (v: string | Uint8Array | undefined) => (v === undefined ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('utf8'))

/** How the index compares words: NFKC, lower case, accents removed. */
const fold = (s: string) => searchFold(s.normalize('NFKC').toLowerCase())

interface ReadIndex {
  meta: {docs: number; perFile: number; shards: {name: string; docs: number; chunks: string[]}[]}
  /** doc (shards one after another) -> [path, title, reference, date] */
  rows: string[][]
  /** doc -> its indexed words */
  words: Map<number, Set<string>>
  filters: {year: Record<string, number[]>; tag: Record<string, number[]>}
}

/** The index read back, its shards' decisions numbered one after another. */
function readIndex(files: Files): ReadIndex {
  const meta = JSON.parse(text(files.get(`${SEARCH_DIR}meta.json`))) as ReadIndex['meta']
  const rows: string[][] = []
  const words = new Map<number, Set<string>>()
  const filters: ReadIndex['filters'] = {year: {}, tag: {}}
  for (const shard of meta.shards) {
    const offset = rows.length
    const dir = `${SEARCH_DIR}${shard.name}/`
    for (let n = 0; n * meta.perFile < shard.docs; n++) rows.push(...(JSON.parse(text(files.get(`${dir}docs/${n}.json`))) as string[][]))
    for (const [name, value] of files) {
      if (!name.startsWith(`${dir}terms/`)) continue
      const chunk = JSON.parse(text(value)) as Record<string, number[]>
      for (const word of Object.keys(chunk)) {
        const list = chunk[word]!
        for (let i = 0, doc = 0; i < list.length; i += 2) {
          doc += list[i]!
          if (!words.has(offset + doc)) words.set(offset + doc, new Set())
          words.get(offset + doc)!.add(word)
        }
      }
    }
    const own = JSON.parse(text(files.get(`${dir}filters.json`))) as ReadIndex['filters']
    for (const group of ['year', 'tag'] as const) {
      for (const [key, docs] of Object.entries(own[group])) {
        if (!Object.prototype.hasOwnProperty.call(filters[group], key)) Object.defineProperty(filters[group], key, {value: [], enumerable: true, writable: true})
        filters[group][key]!.push(...docs.map((d) => offset + d))
      }
    }
  }
  return {meta, rows, words, filters}
}

/** The text nodes of an HTML page, each apart from the next. */
function pageText(html: string): string {
  const parts: string[] = []
  const stack: RootContent[] = [...(fromHtml(html) as Root).children].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'text') parts.push(node.value, ' ')
    else if (node.type === 'element') {
      parts.push(' ')
      const children = node.tagName === 'template' ? [] : (node as Element).children
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
    }
  }
  return parts.join('')
}

/** The words of a decision's page as a reader sees them, and the names of its files. */
function pageWords(files: Files, dir: string): Set<string> {
  const words = new Set<string>(searchWords(pageText(text(files.get(dir + 'index.html')))))
  for (const name of files.keys()) if (name.startsWith(dir) && !name.slice(dir.length).includes('/')) for (const w of searchWords(name.slice(dir.length))) words.add(w)
  return words
}

/**
 * Every word the index lists for a decision is on that decision's page; its
 * row (title, reference, date) and its tags are too; every decision in the
 * index has a page that is not a withdrawal notice.
 */
function expectIndexWithinPages(files: Files): void {
  const index = readIndex(files)
  const stray: string[] = []
  for (let doc = 0; doc < index.meta.docs; doc++) {
    const [dir, title, reference, date] = index.rows[doc]!
    const page = text(files.get(dir + 'index.html'))
    expect(page, `page of ${dir}`).not.toBe('')
    expect(page, `${dir} is in the index but withdrawn`).not.toContain('This decision was withdrawn')
    const shown = pageWords(files, dir!)
    for (const word of index.words.get(doc) ?? []) if (!shown.has(word)) stray.push(`${word}@${dir}`)
    for (const w of searchWords(`${title} ${reference} ${date}`)) if (!shown.has(w)) stray.push(`row:${w}@${dir}`)
    for (const [tag, docs] of Object.entries(index.filters.tag)) if (docs.includes(doc) && !page.includes(`>${tag.replace(/&/g, '&amp;').replace(/</g, '&lt;')}<`)) stray.push(`tag:${tag}@${dir}`)
  }
  expect(stray, 'indexed words that are not on their decision page').toEqual([])
}

/** The canaries found in any output file, as its words would be indexed (folded), and as written. */
function foldedCanaries(files: Files | undefined, canaries: string[]): string[] {
  const hits = canariesIn(files, canaries)
  for (const [name, value] of files ?? []) {
    const hay = fold(name + '\n' + text(value))
    for (const c of canaries) if (hay.includes(fold(c)) && !hits.includes(`${c}@${name}`)) hits.push(`${c}@${name}`)
  }
  return hits
}

function indexOnly(files: Files | undefined): Files {
  return new Map([...(files ?? [])].filter(([name]) => name.startsWith(SEARCH_DIR)))
}

/** The files of a site folder on disk. */
function readSite(out: string): Files {
  const files: Files = new Map()
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else files.set(path.relative(out, full).split(path.sep).join('/'), fs.readFileSync(full))
    }
  }
  if (fs.existsSync(out)) walk(out)
  return files
}

const S43 = '{exemptions="s43"}'

// ---------------------------------------------------------------------------
// 1. Nothing off the live site reaches the index
// ---------------------------------------------------------------------------

/** Withheld canaries in every place a body can hold them, around public text that must be found. */
const BODY_SECRETS = {
  block: 'zqblockpara01',
  blockHeading: 'zqblockhead02',
  blockList: 'zqblocklist03',
  blockTable: 'zqblockcell04',
  blockFootnote: 'zqblockfoot05',
  blockCode: 'zqblockcode06',
  blockQuote: 'zqblockquote07',
  nestedBlock: 'zqnestedblock08',
  leaf: 'zqleaflabel09',
  span: 'zqspanpara10',
  spanInLink: 'zqspanlink11',
  spanInCell: 'zqspancell12',
  spanInNestedList: 'zqspannested13',
  spanInFootnote: 'zqspanfoot14',
  spanInQuote: 'zqspanquote15',
  spanInEmphasis: 'zqspanemph16',
  commentInline: 'zqcommentinline17',
  commentBlock: 'zqcommentblock18',
  script: 'zqrawscript19',
  style: 'zqrawstyle20',
  template: 'zqrawtemplate21',
  fileOnlyInBlock: 'zqfileblock22',
  deferralReason: 'zqdeferralreason23',
  futureUpdate: 'zqfutureupdate24',
  spanInHtml: 'zqspanhtml25',
  definitionOnlyInBlock: 'zqdefinitiononly26',
  blockInList: 'zqblockinlist28'
}
// (`<noscript>` text stays as text on the page: public.)
const BODY_PUBLIC = ['zppublicpara', 'zppubliccell', 'zppublicnested', 'zppublicfoot', 'zppublicattach', 'zppublicsummary', 'zppublicupdate', 'zppublictitle', 'zppublicdetails', 'zppublicnoscript']

const allPlaces = paper(
  'PCD 100',
  `summary: Summary zppublicsummary\ntags: [Grants, Zppublictag]\nupdates:\n  - date: "2024-07-01"\n    note: Corrected zppublicupdate\n  - date: "2030-01-01"\n    note: Future ${BODY_SECRETS.futureUpdate}\ndeferral:\n  until: "2024-07-01"\n  reason: ${BODY_SECRETS.deferralReason}\npart2:\n  exemptions: [s43]\n  review: "2031-07-19"\n`,
  `Public zppublicpara and :official-sensitive[${BODY_SECRETS.span} words]${S43} after.

:::official-sensitive${S43}
## Heading ${BODY_SECRETS.blockHeading}

Paragraph ${BODY_SECRETS.block} with a note[^secretnote] and [a link][onlyblock].

- item ${BODY_SECRETS.blockList}
  - deeper

| a | b |
| - | - |
| ${BODY_SECRETS.blockTable} | x |

> quoted ${BODY_SECRETS.blockQuote}

\`\`\`
${BODY_SECRETS.blockCode}
\`\`\`

[^secretnote]: ${BODY_SECRETS.blockFootnote}

[data](./files/${BODY_SECRETS.fileOnlyInBlock}.csv)
:::

::::official-sensitive${S43}
Outer.

:::official-sensitive${S43}
Inner ${BODY_SECRETS.nestedBlock}.
:::
::::

::official-sensitive[${BODY_SECRETS.leaf}]${S43}

[onlyblock]: https://example.org/${BODY_SECRETS.definitionOnlyInBlock}

See [the letter from :official-sensitive[${BODY_SECRETS.spanInLink}]${S43} about parking](https://example.org/letter).

| col | col2 |
| --- | ---- |
| zppubliccell | :official-sensitive[${BODY_SECRETS.spanInCell}]${S43} |

- top
  - nested zppublicnested :official-sensitive[${BODY_SECRETS.spanInNestedList}]${S43}
  - item with a block:

    :::official-sensitive${S43}
    ${BODY_SECRETS.blockInList}
    :::

Footnoted[^pub].

[^pub]: zppublicfoot :official-sensitive[${BODY_SECRETS.spanInFootnote}]${S43}

> Quote :official-sensitive[${BODY_SECRETS.spanInQuote}]${S43}

_Emphasis :official-sensitive[${BODY_SECRETS.spanInEmphasis}]${S43}_ and **strong**.

Text <!-- ${BODY_SECRETS.commentInline} --> more.

<!--
${BODY_SECRETS.commentBlock}
-->

<details><summary>More zppublicdetails</summary>

Detail :official-sensitive[${BODY_SECRETS.spanInHtml}]${S43}

</details>

<script>${BODY_SECRETS.script}</script>

<style>.x{content:"${BODY_SECRETS.style}"}</style>

<template>${BODY_SECRETS.template}</template>

<noscript>zppublicnoscript</noscript>

[Attachment](./files/zppublicattach.csv)
`,
  'Title zppublictitle'
)

describe('1. the index holds only what the live site shows', () => {
  it('withheld material anywhere in a body (blocks, spans, lists, tables, footnotes, quotes, links, raw HTML, comments) is in no index file', async () => {
    const dir = content({
      'a.md': allPlaces,
      'files/zppublicattach.csv': 'a,b\n1,2\n',
      [`files/${BODY_SECRETS.fileOnlyInBlock}.csv`]: 'a,b\n1,2\n'
    })
    const result = await buildAt(dir)
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    expect(foldedCanaries(indexOnly(result.files), Object.values(BODY_SECRETS))).toEqual([])
    expect(foldedCanaries(result.files, Object.values(BODY_SECRETS))).toEqual([])
    // The public words are all found, so the paper was indexed at all.
    const indexed = new Set([...readIndex(result.files!).words.values()].flatMap((s) => [...s]))
    for (const word of BODY_PUBLIC) expect(indexed, word).toContain(word)
    expectIndexWithinPages(result.files!)
  })

})

describe('1. frontmatter that the index reads (title, summary, tags, corrections)', () => {
  const span = (c: string) => `":official-sensitive[${c}]{exemptions=\\"s43\\"}"`
  const cases: Array<[string, string, string?]> = [
    ['zqfmsummary', `summary: ${span('zqfmsummary')}\n`],
    ['zqfmtitle', '', `Title :official-sensitive[zqfmtitle]{exemptions="s43"}`],
    ['zqfmtag', `tags: [${span('zqfmtag')}]\n`],
    ['zqfmnote', `updates:\n  - date: "2024-07-01"\n    note: ${span('zqfmnote')}\n`],
    ['zqfmcomment', 'summary: "Summary <!-- zqfmcomment -->"\n'],
    ['zqfmtagcomment', 'tags: ["Grants <!-- zqfmtagcomment -->"]\n'],
    ['zqfmnotecomment', 'updates:\n  - date: "2024-07-01"\n    note: "Fixed <!-- zqfmnotecomment -->"\n'],
    ['zqfmleaf', 'summary: "::official-sensitive[zqfmleaf]{exemptions=\\"s43\\"}"\n'],
    ['zqfmmarking', 'summary: "OFFICIAL-SENSITIVE zqfmmarking"\n'],
    ['zqfmtitlemarking', '', 'OFFICIAL-SENSITIVE zqfmtitlemarking']
  ]
  it('sensitive syntax, comments or markings in a published frontmatter value are refused or reach no file', async () => {
    const outcomes: string[] = []
    for (const [canary, extra, title] of cases) {
      const dir = content({'a.md': paper('PCD 200', extra, 'Body.\n', title), 'b.md': paper('PCD 201', 'tags: [Grants]\n', 'Other body.\n')})
      const result = await buildAt(dir)
      outcomes.push(`${canary}: ${result.ok ? 'built' : 'refused ' + buildErrors(result).join(',')}`)
      expect(foldedCanaries(result.files, [canary]), canary).toEqual([])
      if (result.ok) expectIndexWithinPages(result.files!)
    }
    expect(outcomes.length).toBe(cases.length)
  })
})

describe('1. papers that are not public', () => {
  const NOT_PUBLIC = {
    deferredTitle: 'zqdeferredtitle',
    deferredSummary: 'zqdeferredsummary',
    deferredBody: 'zqdeferredbody',
    deferredTag: 'zqdeferredtag',
    deferredFile: 'zqdeferredfile',
    deferredNote: 'zqdeferrednote',
    draftTitle: 'zqdrafttitle',
    draftBody: 'zqdraftbody',
    draftTag: 'zqdrafttag',
    sensitiveTitle: 'zqsensitivetitle',
    sensitiveBody: 'zqsensitivebody',
    sensitiveTag: 'zqsensitivetag',
    withdrawnBody: 'zqwithdrawnbody',
    withdrawnSummary: 'zqwithdrawnsummary',
    withdrawnTag: 'zqwithdrawntag',
    withdrawnFile: 'zqwithdrawnfile',
    removedTitle: 'zqremovedtitle',
    removedBody: 'zqremovedbody',
    removedTag: 'zqremovedtag',
    deferredRef: 'zqdefref',
    draftRef: 'zqdraftref',
    sensitiveRef: 'zqsensref',
    removedRef: 'zqremovedref',
    titleAttr: 'zqdeftitleattr'
  }
  const N = NOT_PUBLIC
  const files = {
    'pub.md': paper(
      'PCD 300',
      'tags: [Grants]\n',
      `Public zqpubword. See [the deferred one](/decisions/zqdefref-301/), [](/decisions/zqdefref-301/), [ref][d], ![](/decisions/zqdefref-301/), [draft](/decisions/zqdraftref-302/), [sens](https://example.org/decisions/zqsensref-303/), [w](/decisions/pcd-304/) and [r](/decisions/zqremovedref-305/).\n\n[d]: /decisions/zqdefref-301/ "zqdeftitleattr"\n`
    ),
    'def.md': paper(
      'ZQDEFREF 301',
      `summary: ${N.deferredSummary}\ntags: [${N.deferredTag}]\nupdates:\n  - date: "2024-07-01"\n    note: ${N.deferredNote}\ndeferral:\n  until: "2030-01-01"\n`,
      `${N.deferredBody} [file](./files/${N.deferredFile}.csv)\n`,
      `Title ${N.deferredTitle}`
    ),
    'draft.md': paper('ZQDRAFTREF 302', `draft: true\ntags: [${N.draftTag}]\n`, `${N.draftBody}\n`, `Title ${N.draftTitle}`),
    'sens.md': paper('ZQSENSREF 303', `tags: [${N.sensitiveTag}]\n`, `${N.sensitiveBody}\n`, `Title ${N.sensitiveTitle}`).replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE [COMMERCIAL]'),
    'wd.md': paper(
      'PCD 304',
      `summary: ${N.withdrawnSummary}\ntags: [${N.withdrawnTag}]\nwithdrawn:\n  date: "2024-08-01"\n  explanation: Replaced by a later decision.\n`,
      `${N.withdrawnBody} [file](./files/${N.withdrawnFile}.csv)\n`,
      'Title of the withdrawn one'
    ),
    'rm.md': paper('ZQREMOVEDREF 305', `tags: [${N.removedTag}]\nwithdrawn:\n  date: "2024-08-01"\n  explanation: Published in error.\n  remove: true\n`, `${N.removedBody}\n`, `Title ${N.removedTitle}`),
    [`files/${N.deferredFile}.csv`]: 'a,b\n1,2\n',
    [`files/${N.withdrawnFile}.csv`]: 'a,b\n1,2\n'
  }

  it('deferred, draft, OFFICIAL-SENSITIVE, withdrawn and removed papers are in no index file (nor their tags, files, notes, titles through links)', async () => {
    const result = await buildAt(content(files))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    expect(foldedCanaries(result.files, Object.values(NOT_PUBLIC))).toEqual([])
    const index = readIndex(result.files!)
    expect(index.rows.map((r) => r[2])).toEqual(['PCD 300'])
    expect(Object.keys(index.filters.tag)).toEqual(['Grants'])
    expect(index.meta.docs).toBe(1)
    // The withdrawn paper's title and reference are on its notice, but it leaves search.
    const all = [...index.words.values()].flatMap((s) => [...s])
    expect(all).not.toContain('304')
    expectIndexWithinPages(result.files!)
  })

  // HOLE (borderline, not the index's own: the page and index.md have it too,
  // and the leak check passes because the address is in the public paper's
  // own source). An angle-bracket autolink to a paper that is not public yet
  // "keeps its text", and its text IS the address: the deferred paper's
  // reference (slug) is published before its date, and indexed.
  // remarkPaperLinks (src/pipeline/paper-links.ts) drops the address but
  // keeps the link's children, which for `<url>` are the url itself.
  it('an autolink to a deferred paper does not publish (or index) that paper\'s address', async () => {
    const result = await buildAt(content({...files, 'pub.md': paper('PCD 300', '', 'See <https://example.org/decisions/zqdefref-301/> soon.\n')}))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    expect(foldedCanaries(indexOnly(result.files), ['zqdefref'])).toEqual([])
    expect(foldedCanaries(result.files, ['zqdefref'])).toEqual([])
  })

  it('a kept (held) version whose autolink names a paper now off the site loses the address in its HTML, Markdown and text', async () => {
    const {withoutLinksOffSite} = await import('../../src/publish/kept.js')
    // Public when the version was kept; deferred again (off the site) now.
    const result = await buildAt(content({'pub.md': paper('PCD 300', '', 'See <https://example.org/decisions/pcd-302/> soon.\n'), 'ref.md': paper('PCD 302', '', 'Words.\n')}))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    const kept = result.publicPapers.find((p) => p.id === 'PCD 300')!
    expect(kept.html).toContain('pcd-302')
    const now = withoutLinksOffSite(kept, new Set(['pcd-300']))
    for (const part of [now.html, now.markdown, now.text]) {
      expect(part).not.toContain('pcd-302')
      expect(part).toContain('(link removed)')
    }
  })

  // The same class, every way a link's text can be its address: a reference
  // link, a link whose text is the address, raw HTML. Each leaves "(link removed)".
  for (const [how, body] of [
    ['a link whose text is the address', 'See [https://example.org/decisions/zqdefref-301/](https://example.org/decisions/zqdefref-301/) soon.\n'],
    ['a relative address as its own text', 'See [/decisions/zqdefref-301/](/decisions/zqdefref-301/) soon.\n'],
    ['a reference link', 'See [decisions/zqdefref-301/][r] soon.\n\n[r]: https://example.org/decisions/zqdefref-301/\n'],
    // (A block of raw HTML; inline raw HTML is cut into one node per tag, and
    // the text between `<a>` and `</a>` stays: noted, not fixed.)
    ['a block of raw HTML', '<p>See <a href="https://example.org/decisions/zqdefref-301/">https://example.org/<b>decisions/zqdefref-301/</b></a> soon.</p>\n']
  ] as const) {
    it(`${how} to a deferred paper does not publish that paper's address`, async () => {
      const result = await buildAt(content({...files, 'pub.md': paper('PCD 300', '', body)}))
      expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
      expect(foldedCanaries(result.files, ['zqdefref'])).toEqual([])
      expect(text(result.files!.get('decisions/pcd-300/index.html'))).toContain('(link removed)')
    })
  }
})

describe('1. later runs: a paper taken down, deferred again, reclassified, made a draft, redacted', () => {
  const T0 = new Date('2025-01-01T12:00:00Z')
  const T1 = new Date('2025-02-01T12:00:00Z')
  const before: Record<string, string> = {
    'a.md': paper('PCD 400', 'tags: [Zqlatertag]\n', 'Words zqlaterwithdrawn.\n'),
    'b.md': paper('PCD 401', '', 'Words zqlaterdeferred.\n'),
    'c.md': paper('PCD 402', '', 'Words zqlatersensitive.\n'),
    'd.md': paper('PCD 403', '', 'Words zqlaterdraft.\n'),
    'e.md': paper('PCD 404', '', 'Words zqlaterwithheld and public.\n'),
    'f.md': paper('PCD 405', '', 'Stays zqstays.\n')
  }
  const after: Record<string, string> = {
    'a.md': paper('PCD 400', 'tags: [Zqlatertag]\nwithdrawn:\n  date: "2025-01-20"\n  explanation: Replaced.\n', 'Words zqlaterwithdrawn.\n'),
    'b.md': paper('PCD 401', 'deferral:\n  until: "2030-01-01"\n', 'Words zqlaterdeferred.\n'),
    'c.md': paper('PCD 402', '', 'Words zqlatersensitive.\n').replace('classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'),
    'd.md': paper('PCD 403', 'draft: true\n', 'Words zqlaterdraft.\n'),
    'e.md': paper('PCD 404', '', `Words :official-sensitive[zqlaterwithheld]${S43} and public.\n`),
    'f.md': paper('PCD 405', '', 'Stays zqstays.\n')
  }
  const canaries = ['zqlaterwithdrawn', 'zqlatertag', 'zqlaterdeferred', 'zqlatersensitive', 'zqlaterdraft', 'zqlaterwithheld']

  for (const command of ['release', 'build']) {
    it(`\`mopac ${command}\` twice: what left the site in the second run leaves the index`, async () => {
      const root = tempDir('mopac-search-later-')
      const dir = path.join(root, 'content')
      const out = path.join(root, 'public')
      const state = path.join(root, 'state')
      const write = (files: Record<string, string>) => {
        fs.mkdirSync(dir, {recursive: true})
        for (const [rel, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), data)
      }
      const run = (now: Date) => runMopac([command, '--content', dir, '--out', out, '--state', state, '--now', now.toISOString(), '--base-url', BASE], {now})
      write(before)
      const first = await run(T0)
      expect(first.code, first.stderr).toBe(0)
      const live = readSite(out)
      expect(foldedCanaries(indexOnly(live), canaries).length).toBeGreaterThan(0)
      write(after)
      const second = await run(T1)
      const site = readSite(out)
      const report = `exit ${second.code}\n${second.stdout}\n${second.stderr}`
      expect(foldedCanaries(indexOnly(site), canaries), report).toEqual([])
      expect(foldedCanaries(site, ['zqlaterdeferred', 'zqlatersensitive', 'zqlaterdraft', 'zqlaterwithheld']), report).toEqual([])
      expectIndexWithinPages(site)
      expect(readIndex(site).rows.map((r) => r[2]).sort(), report).toEqual(['PCD 404', 'PCD 405'])
      expect(second.code, report).toBe(0)
    })
  }
})

describe('1. approvals: an unapproved rendering and the kept (held) version', () => {
  const T0 = new Date('2025-01-01T12:00:00Z')
  const T1 = new Date('2025-02-01T12:00:00Z')
  for (const command of ['build', 'release']) {
    it(`\`mopac ${command}\`: a held paper's new words, summary and tags stay out of the index while its approved version stays live`, async () => {
      const root = tempDir('mopac-search-kept-')
      const dir = path.join(root, 'content')
      const out = path.join(root, 'public')
      const state = path.join(root, 'state')
      fs.mkdirSync(dir)
      const write = (rel: string, data: string) => fs.writeFileSync(path.join(dir, rel), data)
      write('mopac.config.json', JSON.stringify({approvals: 1}) + '\n')
      write('a.md', paper('PCD 500', 'summary: Approved summary zqv1summary\ntags: [Zqv1tag]\n', 'Approved zqv1word, see [the other](/decisions/pcd-501/) zqlinktext.\n'))
      write('b.md', paper('PCD 501', '', 'Other zqotherword.\n'))
      const run = (now: Date) => runMopac([command, '--content', dir, '--out', out, '--state', state, '--now', now.toISOString(), '--base-url', BASE], {now})
      for (const id of ['PCD 500', 'PCD 501']) expect((await runMopac(['approve', id, '--as', 'Ann Lee', '--content', dir, '--now', T0.toISOString()], {now: T0})).code).toBe(0)
      const first = await run(T0)
      expect(first.code, first.stderr + first.stdout).toBe(0)
      expect(foldedCanaries(indexOnly(readSite(out)), ['zqv1word', 'zqotherword']).length).toBe(2)
      // The paper edited and not approved again; the other deferred again; a new paper never approved.
      write('a.md', paper('PCD 500', 'summary: New summary zqv2summary\ntags: [Zqv2tag]\nupdates:\n  - date: "2025-01-15"\n    note: Corrected zqv2note\n', `Edited zqv2unapproved, see [the other](/decisions/pcd-501/) zqlinktext.\n\n:::official-sensitive${S43}\nzqv1word\n:::\n`, 'Retitled zqv2title'))
      write('b.md', paper('PCD 501', 'deferral:\n  until: "2030-01-01"\n', 'Other zqotherword.\n'))
      write('c.md', paper('PCD 502', '', 'Never approved zqneverapproved.\n'))
      const second = await run(T1)
      const report = `exit ${second.code}\n${second.stdout}\n${second.stderr}`
      const site = readSite(out)
      expect(foldedCanaries(indexOnly(site), ['zqv2summary', 'zqv2tag', 'zqv2note', 'zqv2unapproved', 'zqv2title', 'zqneverapproved', 'zqotherword']), report).toEqual([])
      expectIndexWithinPages(site)
      // The kept version is what is live and indexed (its link to the deferred paper reduced to its text).
      expect(foldedCanaries(indexOnly(site), ['zqv1word', 'zqv1summary', 'zqlinktext']).length, report).toBe(3)
      expect(second.code, report).toBe(5)
    })
  }
})

// ---------------------------------------------------------------------------
// 2. The leak check reads the index as it reads the pages
// ---------------------------------------------------------------------------

describe('2. the leak check finds withheld text that a bug would put in the index', () => {
  // Each withheld span on its own line; what a bug in PublicPaper.text (or
  // anything else the index reads) would index is exactly these words.
  const CASES: Array<[string, string]> = [
    ['plain code name', 'Zanthoria'],
    ['capitals', 'ZANTHORIAX'],
    ['full-width letters (NFKC)', 'Ｚａｎｔｈｏｒｉａｙ'],
    ['decomposed accent (NFD in the paper, NFC in the index)', 'Zantho\u0301riaw'],
    ['ligature', 'ﬁnzanthoria'],
    ['Turkish dotted capital I', 'İZANTHORİAV'],
    ['letters and digits', 'ZX7Q9T'],
    ['apostrophe', 'O’Zanthoriu'],
    ['soft hyphen inside the word', 'Zan\u00adthoriat'],
    ['zero-width space inside the word', 'Zan\u200bthorias'],
    ['word joiner inside the word', 'Zan\u2060thorir'],
    ['Greek capitals, sigma before a curly apostrophe', 'ΠΑΠΑΔΟΠΟΥΛΟΣ’s'],
    ['underscored reference', 'acct_7731_zq'],
    ['two short names', 'Ann Bax'],
    ['a reference to another decision', 'PCD 9917'],
    ['a phrase of words each public elsewhere', 'constable harrow resigns tomorrow']
  ]
  // (`apple`: any site has chunks between `ann` and `bax`, so the two are not neighbours in meta.json.)
  const PUBLIC_VOCABULARY = 'The constable spoke. Harrow is a borough. Nobody resigns. See you tomorrow. Apples.'

  async function hitsFor(place: 'index' | 'page') {
    const lines = CASES.map(([, secret], i) => `Case ${i + 1}: :official-sensitive[${secret}]${S43} here.\n`)
    const dir = content({'sec.md': paper('PCD 600', '', lines.join('\n')), 'pub.md': paper('PCD 601', '', PUBLIC_VOCABULARY + '\n')})
    const result = await buildAt(dir)
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    // The body starts on line 8 (6 lines of frontmatter, a blank line); case i is on line 8 + 2i.
    const leaked = CASES.map(([, secret]) => secret)
    const papers: PublicPaper[] = result.publicPapers.map((p) => {
      if (p.id !== 'PCD 600') return p
      if (place === 'index') return {...p, text: p.text + ' ' + leaked.join(' . ')}
      return {...p, html: p.html + leaked.map((s) => `<p>${s}</p>`).join('\n')}
    })
    const files = await renderSite(papers, {baseUrl: BASE})
    // Only the place under test differs from the real build.
    for (const [name, value] of files) if (!(place === 'index' ? name.startsWith(SEARCH_DIR) : name === 'decisions/pcd-600/index.html')) expect(text(value), name).toBe(text(result.files!.get(name)))
    const out = path.join(tempDir('mopac-search-verify-'), 'site')
    await writeSite(out, files)
    const checked = await verify({content: dir, out, now: NOW})
    const found = new Map<number, string[]>()
    for (const hit of checked.hits) {
      const where = place === 'index' ? hit.outputFile.startsWith(SEARCH_DIR) : hit.outputFile.startsWith('decisions/pcd-600/')
      if (!where || !hit.sourceFile.endsWith('sec.md')) continue
      const n = (hit.line - 8) / 2
      found.set(n, [...(found.get(n) ?? []), hit.match])
    }
    return found
  }

  let index: Map<number, string[]>
  let page: Map<number, string[]>
  beforeAll(async () => {
    ;[index, page] = [await hitsFor('index'), await hitsFor('page')]
  })

  // Was a hole (second line of defence), fixed: the index now cuts and folds
  // words as the leak check does (src/verify/text.ts: soft hyphens and
  // zero-width characters deleted, `_` kept inside a word, each word lower-cased
  // on its own), so a single withheld word that only a bug put in the index is
  // reported there as on a page.
  // Known limit, kept as written: the index holds words, each once, not
  // phrases, so the leak check reads no phrase in it. Withheld text made only
  // of short words, numbers or words each public elsewhere ("Ann Bax", "PCD
  // 9917", a phrase of public words), if a bug put it only in the index, is
  // not reported there. What stands against that bug instead: the index is
  // made from PublicPaper.text, which comes from the same tree as the page's
  // HTML (src/pipeline/processor.ts toBody), and the tests in part 1 check
  // that every word the index gives a decision is on that decision's page.
  const PHRASES = new Set(['two short names', 'a reference to another decision', 'a phrase of words each public elsewhere'])
  CASES.forEach(([name, secret], i) => {
    if (PHRASES.has(name)) {
      it(`${name}: ${JSON.stringify(secret)} is reported on a page; in the index, a known limit (words, not phrases)`, () => {
        expect(page.has(i), 'the control: reported when on the page').toBe(true)
        expect(index.get(i)).toBeUndefined()
      })
      return
    }
    it(`${name}: ${JSON.stringify(secret)} is reported in the index as on a page`, () => {
      expect(page.has(i), 'the control: reported when on the page').toBe(true)
      expect(index.get(i), `indexed as ${JSON.stringify(searchWords(secret))}; on the page reported as ${page.get(i)?.join(', ')}`).toBeDefined()
    })
  })
})

describe('2. letters the index makes out of symbols (NFKC of ⓐ, ™, ㎏ …)', () => {
  // Was a hole, fixed: the index applied NFKC before cutting words, so
  // circled letters (symbols, category So) became the plain word
  // `zanthoriaq`, which the leak check (no word in symbols) never reported.
  // Now the index cuts words as the leak check does: symbols are no word, so
  // nothing of them is indexed. (The leak check reads no word in circled
  // letters on a page either: noted, not the index's.)
  it('a withheld code name in circled letters is not spelt out in the index', async () => {
    const secret = 'ⓩⓐⓝⓣⓗⓞⓡⓘⓐⓠ'
    expect(searchWords(secret)).toEqual([])
    const dir = content({'sec.md': paper('PCD 610', '', `Code name :official-sensitive[${secret}]${S43} here.\n`)})
    const result = await buildAt(dir)
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    const papers = result.publicPapers.map((p) => ({...p, text: p.text + ' ' + secret}))
    const files = await renderSite(papers, {baseUrl: BASE})
    expect(foldedCanaries(indexOnly(files), ['zanthoriaq'])).toEqual([])
  })

  // The other way: the index spells out public circled letters as a word that
  // is withheld elsewhere; the leak check, which reads no word in the public
  // text, then reports the index and blocks a correct release (exit 3).
  it('a public word in circled letters does not make the leak check block the site because another paper withholds it', async () => {
    const dir = content({
      'pub.md': paper('PCD 611', '', 'Our partner Ⓩⓐⓝⓣⓗⓞⓡⓘⓐⓟ is named.\n'),
      'sec.md': paper('PCD 612', '', `The supplier was :official-sensitive[Zanthoriap]${S43}.\n`)
    })
    const result = await buildAt(dir)
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    const out = path.join(tempDir('mopac-search-verify-'), 'site')
    await writeSite(out, result.files!)
    const {hits} = await verify({content: dir, out, now: NOW})
    expect(hits.map((h) => `${h.outputFile}: ${h.match}`)).toEqual([])
  })
})

// ---------------------------------------------------------------------------
// 3. The search page's script: no HTML written, nothing fetched off the site
// ---------------------------------------------------------------------------

describe('3. the search page script', () => {
  const HOSTILE = "<img src=x onerror='alert(1)'>"
  let files: Files
  beforeAll(async () => {
    const result = await buildAt(
      content({
        'a.md': paper('PCD 700', `tags: ["${HOSTILE}", __proto__, constructor]\nsummary: "${HOSTILE} summary"\n`, `The contract <b>zqbold</b> and ${'`'}<script>alert(2)</script>${'`'} here.\n`, `Contract ${HOSTILE} </title><script>alert(3)</script>`),
        'b.md': paper('PCD 701', 'tags: [Grants]\n', 'A grant, no contract.\n', 'Grant')
      })
    )
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    files = result.files!
  })

  it('finds decisions and writes titles, the query and excerpts as text only', async () => {
    const q = `contract ${HOSTILE} <script>alert(4)</script>`
    const run = await runSearchPage(files, `https://decisions.example/search/?q=${encodeURIComponent('contract')}`)
    expect(run.errors).toEqual([])
    expect(run.status).toBe('2 results for ‘contract’')
    expect(run.results).toContain(`Contract ${HOSTILE} </title><script>alert(3)</script>`)
    const hostile = await runSearchPage(files, `https://decisions.example/search/?q=${encodeURIComponent(q)}`)
    expect(hostile.errors).toEqual([])
    expect(hostile.status).toContain(`for ‘${q}’`)
    for (const u of [...run.fetched, ...run.links, ...hostile.fetched, ...hostile.links]) expect(new URL(u).origin).toBe('https://decisions.example')
    // The index is only ever asked for chunks it lists.
    for (const u of hostile.fetched) expect(new URL(u).pathname).toMatch(/^\/(search-index\/meta\.json|search-index\/s[0-9a-f]\/(filters|terms\/\d+|docs\/\d+)\.json|decisions\/[a-z0-9-]+\/)$/)
  })

  it('filters by tags named __proto__ and constructor as by any other', async () => {
    const proto = await runSearchPage(files, 'https://decisions.example/search/?tag=__proto__')
    expect(proto.errors).toEqual([])
    expect(proto.status).toBe('1 result filtered by __proto__')
    const none = await runSearchPage(files, 'https://decisions.example/search/?tag=toString')
    expect(none.status).toBe('')
    const hostile = await runSearchPage(files, `https://decisions.example/search/?tag=${encodeURIComponent(HOSTILE)}&q=contract`)
    expect(hostile.status).toBe(`1 result for ‘contract’, filtered by ${HOSTILE}`)
  })

  // HOLE (fetch from another origin, result links off the site). The script
  // takes the site root as a PATH (`new URL(data-root, baseURI).pathname`) and
  // fetches and links `root + row[0]`; only the index (`data-bundle`) keeps
  // its origin (`.href`). When the page's own address starts with `//`, that
  // path is a protocol-relative URL: at
  //   https://decisions.example//evil.example/x%2F..%2F..%2F/search/?q=contract
  // a server that decodes %2F and resolves dot segments (nginx by default)
  // serves the real search page, index and script (each is `/x/../../…`),
  // but root is `//evil.example/x%2F..%2F..%2F/`: the script fetches every
  // result's "page" from https://evil.example/… (its text becomes the
  // excerpt under the real title) and every result links there. A link in an
  // email or on social media is enough; the address bar shows the MOPAC host.
  it('fetches and links only within the site, whatever the page address', async () => {
    const address = 'https://decisions.example//evil.example/x%2F..%2F..%2F/search/?q=contract'
    const run = await runSearchPage(files, address)
    expect(run.errors).toEqual([])
    expect(run.status).toBe('2 results for ‘contract’')
    const off = [...run.fetched, ...run.links].filter((u) => new URL(u).origin !== 'https://decisions.example')
    expect({off, excerpt: run.results.includes('Zqattacker')}).toEqual({off: [], excerpt: false})
  })
})

// ---------------------------------------------------------------------------
// 4. Hostile input to the index
// ---------------------------------------------------------------------------

describe('4. hostile input to the index', () => {
  it('prototype names as tags and words stay tags and words', async () => {
    const names = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'prototype']
    const result = await buildAt(content({'a.md': paper('PCD 800', `tags: [${names.join(', ')}]\n`, `${names.join(' ')} __defineGetter__.\n`, 'Constructor prototype')}))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    const index = readIndex(result.files!)
    expect(Object.getPrototypeOf(index.filters.tag)).toBe(Object.prototype)
    for (const name of names) expect(Object.prototype.hasOwnProperty.call(index.filters.tag, name), name).toBe(true)
    const e = new Function('data', `${searchCore}\nreturn {find: find}`)((name: string) => Promise.resolve(JSON.parse(text(result.files!.get(SEARCH_DIR + name))))) as {find: (q: string, y: string[], t: string[]) => Promise<{found: unknown[]}>}
    expect((await e.find('', [], ['__proto__'])).found.length).toBe(1)
    expect((await e.find('constructor prototype', [], ['constructor'])).found.length).toBe(1)
    expect((await e.find('proto', [], [])).found.length).toBe(1)
    expect((await e.find('', [], ['isPrototypeOf'])).found.length).toBe(0)
    expectIndexWithinPages(result.files!)
  })

  it('very long words, and words in many scripts, make safe short file names and no crash', async () => {
    const scripts = ['Ελληνικά', 'Кириллица', 'עברית', 'العربية', 'देवनागरी', '中文字符', 'ひらがな', '한국어', 'ภาษาไทย', 'ꓮꓯꓰ', '𐐀𐐁𐐂', '𝔄𝔅ℭ', 'ǅǈǋ', 'İıŞ', 'a\u0301\u0302\u0303b']
    const body = ['x'.repeat(100_000), ('y'.repeat(47) + ' ').repeat(2000), scripts.join(' '), ('z' + '\u0301'.repeat(5000))].join('\n\n') + '\n'
    const result = await buildAt(content({'a.md': paper('PCD 801', '', body)}))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    for (const name of result.files!.keys()) if (name.startsWith(SEARCH_DIR)) {
      expect(name).toMatch(/^search-index\/(meta\.json|s[0-9a-f]\/(filters|docs\/\d+|terms\/\d+)\.json)$/)
    }
    const index = indexOnly(result.files)
    const bytes = [...index.values()].reduce((n, v) => n + text(v).length, 0)
    expect(bytes).toBeLessThan(20_000)
    expectIndexWithinPages(result.files!)
  })

  // HOLE (size: files and every reader's first download). The index writes a
  // file for every distinct first three letters (accents removed) and lists
  // every one in meta.json, which every reader's first search downloads. A
  // paper of distinct short words (here 12,000 three-character CJK words, 120 KB
  // of UTF-8) makes 12,000 files and a meta.json of 252 KB; with ASCII
  // alone the cap is 36³ + 36² + 36 (a 187 KB paper of all three-character
  // a–z/0–9 words: 46,660 files, a 280 KB meta.json, 184 MiB on a 4 KiB-block
  // disk against 380 KiB for all the decision pages, 7 s to write and 6 s
  // more in the leak check); with
  // other scripts there is no cap. Pagefind's index was a bounded number of
  // shards.
  it('a paper of many distinct short words does not make a file per word, nor a meta.json every reader downloads that grows with it', async () => {
    const words: string[] = []
    for (let i = 0; words.length < 12_000; i++) words.push(String.fromCodePoint(0x4e00 + (i % 40), 0x4e00 + 40 + (Math.floor(i / 40) % 40), 0x4e00 + 80 + Math.floor(i / 1600)))
    const result = await buildAt(content({'a.md': paper('PCD 802', '', words.join(' ') + '\n')}))
    expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
    const files = [...result.files!.keys()].filter((name) => name.startsWith(SEARCH_DIR))
    const meta = text(result.files!.get(`${SEARCH_DIR}meta.json`)).length
    expect({files: files.length > 2_000 ? `${files.length} files` : 'bounded', meta: meta > 64 * 1024 ? `${meta} bytes` : 'bounded'}).toEqual({files: 'bounded', meta: 'bounded'})
  })
})

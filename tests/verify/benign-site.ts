/**
 * The benign corpus that verify's reference of the site's own text is made
 * from (src/verify/site-text.ts): public papers whose every word is a marker
 * (`qq...`), so that what is left of the built site once the markers are cut
 * out is the site's own text. It exercises everything that prints fixed text:
 * every exemption (blocks, leaves, spans, several at once, subsections,
 * `part2.exemptions` defaults), footnotes, tables, lists, links, attachments,
 * tags, every month, several years, more than one listing page, a paper with
 * a first-published date, with and without a base URL.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {build} from '../../src/build/build.js'
import {createProcessor} from '../../src/build/pool.js'
import {parseSiteConfig} from '../../src/config/load.js'
import type {SiteConfig} from '../../src/config/types.js'
import type {PublicPaper} from '../../src/publish/types.js'

export const MARKER = 'qq'
export const isMarker = (token: string): boolean => token.includes(MARKER)

/**
 * The field of the paper a marker was written in (its frontmatter key), for
 * the label templates (src/verify/site-text.ts, `extractLabels`); none for
 * the body's markers and the other fields'.
 */
export function fieldOf(token: string): string | undefined {
  if (/^qq(?:title|alpha|omega)/.test(token)) return 'title'
  if (/^qq(?:summary|words)/.test(token)) return 'summary'
  if (/^qq(?:maker|person)/.test(token)) return 'decision_maker'
  if (/^qqtag/.test(token)) return 'tags'
  if (/^qqref/.test(token)) return 'id'
  return undefined
}

const SECTIONS = ['21', '22', '22A', '23', '24', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44']
const PAPERS = 56

/** Paper `i`'s date, and the frontmatter lines every paper of both corpora has (its fields). */
function fields(i: number): {year: number; month: string; day: string; lines: string[]} {
  const year = 2019 + (i % 6)
  const month = String((i % 12) + 1).padStart(2, '0')
  const day = String((i % 28) + 1).padStart(2, '0')
  const lines = [
    `id: QQREF ${i}`,
    `title: Qqtitle qqalpha${i}`,
    `date: "${year}-${month}-${day}"`,
    'classification: OFFICIAL',
    ...(i % 3 === 0 ? [] : [`decision_maker: Qqmaker qqperson`]),
    ...(i % 4 === 0 ? [] : [`summary: Qqsummary qqwords${i}.`]),
    ...(i % 5 === 0 ? [] : [`tags: [qqtag${i % 7}, qqtagshared]`])
  ]
  return {year, month, day, lines}
}

function paper(i: number): string {
  const section = SECTIONS[i % SECTIONS.length]
  const other = SECTIONS[(i * 7 + 3) % SECTIONS.length]
  const {year, month, day, lines} = fields(i)
  const fm = [
    '---',
    ...lines,
    ...(i % 2 === 0 ? ['part2:', `  exemptions: [s${section}]`] : []),
    ...(i % 9 === 0 ? ['deferral:', '  until: "2019-01-01"', '  reason: Qqreason'] : []),
    ...(i % 11 === 5 ? ['withdrawn:', `  date: "${year}-${month}-${day}"`, '  explanation: Qqwithdrawn qqreason.'] : []),
    ...(i % 8 === 3 ? ['updates:', `  - date: "${year + 1}-01-0${(i % 9) + 1}"`, '    note: Qqupdate qqnote.', `  - date: "${year + 1}-02-1${i % 10}"`, '    note: Qqsecond qqupdate.'] : []),
    '---',
    ''
  ]
  const body = [
    `# Qqheading qqone${i}`,
    '',
    `Qqbody qqtext qqmore.[^qqnote${i}] See [qqlink](https://qqhost.qqtld/qqpath) and [qqfile](./qqfiles/qqdoc${i % 2}.csv).`,
    '',
    `![Qqalt qqchart](./qqimages/qqchart.svg "Qqimagetitle")`,
    '',
    '- qqitem qqone',
    '- qqitem qqtwo',
    '',
    '1. qqstep',
    '2. qqstep',
    '',
    '| Qqcol | Qqcol |',
    '| --- | ---: |',
    '| qqcell | qqcell |',
    '',
    '> Qqquote qqtext.',
    '',
    '```',
    'qqcode qqblock',
    '```',
    '',
    `Qqbefore :official-sensitive[qqspan]{exemptions="s${other}"} qqafter :official-sensitive[qqspan]{exemptions="s40"} qqend.`,
    '',
    `Qqnamed :official-sensitive[qqspan]{exemptions="s40" kind="qqname"} qqand :official-sensitive[qqspan]{exemptions="s${other} s${section}" kind="qqdetail"}.`,
    '',
    `:::official-sensitive{exemptions="s${section}" kind="Qqkind qqpart"}`,
    'Qqwithheld qqtable.',
    '',
    '| Qqcol | Qqcol |',
    '| --- | --- |',
    '| qqcell | qqcell |',
    ':::',
    '',
    `:::official-sensitive{exemptions="s${section}"}`,
    'Qqwithheld qqblock.',
    ':::',
    '',
    'Qqbetween.',
    '',
    `:::official-sensitive{exemptions="s${section} s${other}"}`,
    'Qqwithheld.',
    ':::',
    '',
    `::official-sensitive[qqleaf]{exemptions="s${other}"}`,
    '',
    `::official-sensitive[qqleaf]{exemptions="s${other}" kind="qqleafkind"}`,
    '',
    ...(i % 2 === 0 ? [':::official-sensitive', 'Qqdefault.', ':::', ''] : []),
    ...(i === 1 ? [':::official-sensitive{exemptions="s31(1)(a) s36(2)(b)(i)"}', 'Qqsub.', ':::', ''] : []),
    ...(i === 2 ? [`:::official-sensitive{exemptions="${SECTIONS.map((s) => 's' + s).join(' ')}"}`, 'Qqall.', ':::', ''] : []),
    ...(i === 3 ? [':::official-sensitive{exemptions="s40 s43"}', 'Qqtwo.', ':::', '', ':::official-sensitive{exemptions="s31 s40 s43"}', 'Qqthree.', ':::', ''] : []),
    `Qqlast qqline.`,
    '',
    `[^qqnote${i}]: Qqfootnote qqtext.`,
    ''
  ]
  return fm.join('\n') + body.join('\n')
}

/**
 * A paper of the plain corpus: the same fields, with nothing of any state a
 * page tells in words beside them (no withheld material, no exemption, not
 * withdrawn, deferred or updated). The label templates are made from its
 * site only (src/verify/site-text.ts, `extractLabels`): a template made
 * from a page of a withdrawn paper or one with exempt material would put
 * "withdrawn" or "exempt material withheld" beside every public paper's
 * values (a red team's finding), and a listing's neighbours are plain too.
 */
function plainPaper(i: number): string {
  return [
    '---',
    ...fields(i).lines,
    '---',
    '',
    `# Qqheading qqone${i}`,
    '',
    'Qqbody qqtext qqmore.',
    ''
  ].join('\n')
}

/** Writes the benign corpus into `dir`. */
export function writeBenignCorpus(dir: string): void {
  fs.mkdirSync(path.join(dir, 'qqimages'), {recursive: true})
  fs.mkdirSync(path.join(dir, 'qqfiles'), {recursive: true})
  fs.writeFileSync(path.join(dir, 'qqimages', 'qqchart.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>qqcharttitle</title><rect width="10" height="10"/></svg>\n')
  fs.writeFileSync(path.join(dir, 'qqfiles', 'qqdoc0.csv'), 'qqa,qqb\nqqc,qqd\n')
  fs.writeFileSync(path.join(dir, 'qqfiles', 'qqdoc1.csv'), 'qqe,qqf\n')
  for (let i = 0; i < PAPERS; i++) fs.writeFileSync(path.join(dir, `qqpaper-${i}.md`), paper(i))
}

const NOW = new Date('2026-11-25T12:00:00Z')

/**
 * Site configurations for the two builds: MOPAC's defaults (their names and
 * addresses are the site's own text) with every contact way filled in with
 * markers, once as "partially compliant" and once as "fully compliant" with a
 * test date, so that every label and sentence the statements can print is in
 * the reference.
 */
function benignConfig(full: boolean): SiteConfig {
  const contact = {email: 'qqmail@qqhost.qqtld', phone: '0300 000 0000', webForm: 'https://qqhost.qqtld/qqform', address: ['Qqstreet qqroad', 'Qqtown']}
  const json = {
    foi: {...contact, internalReview: contact},
    privacy: {contact},
    accessibility: {contact, ...(full ? {compliance: 'full', nonAccessible: [], lastTested: '2026-10-01'} : {responseDays: 1})}
  }
  const parsed = parseSiteConfig(JSON.stringify(json))
  if (!parsed.config) throw new Error(`the benign configuration is invalid: ${parsed.file.messages.map((m) => m.reason).join('; ')}`)
  return parsed.config
}

async function buildAll(dir: string, processAll: ReturnType<typeof createProcessor>['processAll']): Promise<Array<[string, Uint8Array | string]>> {
  const all: Array<[string, Uint8Array | string]> = []
  const firstPublished = (papers: PublicPaper[]) => ({
    firstPublished: Object.fromEntries(papers.filter((_, i) => i % 2 === 0).map((p) => [p.slug, '2024-03-05T09:30:00Z']))
  })
  // Marked contacts, without and with a base URL; and MOPAC's defaults as
  // they are (a site with no mopac.config.json prints them, and verify then
  // has no file to read them from).
  const builds: Array<[string | undefined, SiteConfig | undefined]> = [[undefined, benignConfig(false)], ['https://qqsite.qqtld/qqbase/', benignConfig(true)], [undefined, undefined]]
  for (const [baseUrl, config] of builds) {
    const result = await build({content: dir, now: NOW, baseUrl, processAll, dates: firstPublished, config})
    if (!result.ok || !result.files) {
      const messages = result.outcomes.flatMap((o) => o.messages.map((m) => `${o.relativePath}: ${m.reason}`))
      throw new Error(`the benign corpus does not build:\n${[...result.problems.map((p) => p.reason), ...messages].join('\n')}`)
    }
    for (const [rel, data] of result.files) all.push([rel, data])
  }
  return all
}

/**
 * Every file of the benign site, built with and without a base URL; and the
 * files of a second, different benign site (fewer papers): a file is the same
 * whatever the papers only when both builds wrote it byte for byte.
 */
export async function benignSiteFiles(): Promise<{files: Array<[string, Uint8Array | string]>; other: Array<[string, Uint8Array | string]>; plain: Array<[string, Uint8Array | string]>}> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-benign-'))
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-benign-cache-'))
  try {
    writeBenignCorpus(dir)
    // The four builds share the per-paper cache, as a site's builds do: each
    // paper is parsed and redacted once.
    const {processAll} = createProcessor({cacheDir: cache, workers: false})
    const files = await buildAll(dir, processAll)
    for (let i = 40; i < PAPERS; i++) fs.rmSync(path.join(dir, `qqpaper-${i}.md`))
    fs.writeFileSync(path.join(dir, 'qqpaper-0.md'), paper(0).replace(/qqalpha0/g, 'qqomega'))
    const other = await buildAll(dir, processAll)
    fs.rmSync(dir, {recursive: true, force: true})
    fs.mkdirSync(dir)
    for (let i = 0; i < PAPERS; i++) fs.writeFileSync(path.join(dir, `qqpaper-${i}.md`), plainPaper(i))
    const result = await build({content: dir, now: NOW, processAll, config: benignConfig(false)})
    if (!result.ok || !result.files) throw new Error('the plain benign corpus does not build')
    return {files, other, plain: [...result.files]}
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
    fs.rmSync(cache, {recursive: true, force: true})
  }
}

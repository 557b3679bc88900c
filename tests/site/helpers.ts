/** Generated public papers and site helpers for the site's unit tests. */
import {renderSite, type SiteFiles, type SiteOptions} from '../../src/site/render.js'
import type {PublicPaper} from '../../src/publish/types.js'
import {htmlBodyText} from '../../src/pipeline/text.js'

/** A public paper numbered `n`, with a date that walks back from 2026 one week per paper. */
export function makePaper(n: number, overrides: Partial<PublicPaper> = {}): PublicPaper {
  const day = new Date(Date.UTC(2026, 5, 30) - n * 7 * 86_400_000).toISOString().slice(0, 10)
  const withheld = n % 3 === 0
  return {
    id: `PCD ${2000 + n}`,
    slug: `pcd-${2000 + n}`,
    title: `Approval of a contract variation for a sample service across London boroughs, number ${n}`,
    date: day,
    decisionMaker: 'Deputy Mayor for Policing and Crime',
    summary: `A summary of sample decision ${n}, about as long as the summaries of real decisions published by MOPAC, give or take a few words.`,
    tags: n % 2 ? ['contracts', 'technology'] : ['grants', 'Young people'],
    exemptions: withheld
      ? [
          {code: 's43', section: '43', title: 'Commercial interests'},
          {code: 's31(1)(a)', section: '31(1)(a)', title: 'Law enforcement'}
        ]
      : [],
    withheld: withheld ? 2 : 0,
    markdown: `# Sample ${n}\n\nBody of sample decision ${n}.\n`,
    html: `<h2>Executive summary</h2>\n<p>Body of sample decision ${n}, about gateways and mentoring.</p>${withheld ? '\n<div class="mopac-withheld" data-pagefind-ignore="all"><p><strong>Material withheld.</strong> Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).</p><p><a href="../../withheld-information/">About withheld information</a></p></div>' : ''}`,
    assets: [],
    ...overrides,
    // The body's text as the build makes it with the HTML (unless the test gives its own).
    text: overrides.text ?? htmlBodyText(overrides.html ?? `<h2>Executive summary</h2>\n<p>Body of sample decision ${n}, about gateways and mentoring.</p>`)
  }
}

export function makePapers(count: number): PublicPaper[] {
  return Array.from({length: count}, (_, i) => makePaper(i + 1))
}

export async function render(papers: PublicPaper[], options: SiteOptions = {}): Promise<SiteFiles> {
  return renderSite(papers, options)
}

export function text(files: SiteFiles, path: string): string {
  const value = files.get(path)
  if (value === undefined) throw new Error(`no ${path} in the site (has ${[...files.keys()].slice(0, 20).join(', ')}…)`)
  return typeof value === 'string' ? value : new TextDecoder().decode(value)
}

export function bytes(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength
}

/** The HTML pages of a site. */
export function htmlPages(files: SiteFiles): string[] {
  return [...files.keys()].filter((p) => p.endsWith('.html')).sort()
}

/** Titles of the entries of a listing page. */
export function listed(html: string): string[] {
  const list = /<ol class="mopac-list">([\s\S]*?)<\/ol>/.exec(html)
  if (!list) return []
  return [...list[1].matchAll(/<h2><a href="[^"]*">([^<]*)<\/a><\/h2>/g)].map((m) => m[1])
}

export const BASE = 'https://decisions.example.org/mopac/'

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
export function parseCsv(input: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  while (i < input.length) {
    let field = ''
    if (input[i] === '"') {
      i++
      for (;;) {
        if (i >= input.length) throw new Error('unterminated quoted field')
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"'
            i += 2
          } else {
            i++
            break
          }
        } else field += input[i++]
      }
    } else {
      while (i < input.length && input[i] !== ',' && input[i] !== '\r') {
        if (input[i] === '"' || input[i] === '\n') throw new Error(`bare ${JSON.stringify(input[i])} in unquoted field at ${i}`)
        field += input[i++]
      }
    }
    row.push(field)
    if (input[i] === ',') i++
    else if (input.startsWith('\r\n', i)) {
      rows.push(row)
      row = []
      i += 2
    } else if (i < input.length) throw new Error(`unexpected ${JSON.stringify(input[i])} at ${i}`)
  }
  if (row.length > 0) throw new Error('last record has no CRLF')
  return rows
}

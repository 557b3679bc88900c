/** Open data: decisions.json and decisions.csv (RFC 4180, guarded against formula injection). */
import {describe, expect, it} from 'vitest'
import {csvField} from '../../src/site/data.js'
import {BASE, makePaper, makePapers, parseCsv, render, text} from './helpers.js'

describe('decisions.json', () => {
  it('has each public paper’s public metadata, newest first', async () => {
    const papers = makePapers(5)
    const files = await render([...papers].reverse(), {baseUrl: BASE, dates: {firstPublished: {'pcd-2002': '2026-07-01T08:00:00+01:00'}}})
    const data = JSON.parse(text(files, 'decisions.json'))
    expect(data.count).toBe(5)
    expect(data.licence).toBe('https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/')
    expect(data.decisions.map((d: {id: string}) => d.id)).toEqual(papers.map((p) => p.id))
    expect(data.decisions[1]).toEqual({
      id: 'PCD 2002',
      title: papers[1].title,
      decisionDate: papers[1].date,
      firstPublished: '2026-07-01T07:00:00.000Z',
      decisionMaker: 'Deputy Mayor for Policing and Crime',
      summary: papers[1].summary,
      tags: ['grants', 'Young people'],
      exemptions: [],
      url: `${BASE}decisions/pcd-2002/`,
      markdownUrl: `${BASE}decisions/pcd-2002/index.md`,
      lastUpdated: null
    })
    expect(data.decisions[2].exemptions).toEqual([
      {code: 's43', section: '43', title: 'Commercial interests', label: 'section 43 (commercial interests)'},
      {code: 's31(1)(a)', section: '31(1)(a)', title: 'Law enforcement', label: 'section 31(1)(a) (law enforcement)'}
    ])
    expect(data.decisions[0].firstPublished).toBeNull()
    // Nothing but public metadata: no body, no Markdown, no counts of withheld text.
    for (const d of data.decisions) expect(Object.keys(d).sort()).toEqual(['decisionDate', 'decisionMaker', 'exemptions', 'firstPublished', 'id', 'lastUpdated', 'markdownUrl', 'summary', 'tags', 'title', 'url'])
  })
})

describe('decisions.csv', () => {
  it('is RFC 4180 with a header row and one record per paper', async () => {
    const papers = makePapers(4)
    const csv = text(await render(papers, {baseUrl: BASE}), 'decisions.csv')
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['id', 'title', 'decision_date', 'first_published', 'decision_maker', 'summary', 'tags', 'exemptions', 'url', 'markdown_url', 'last_updated'])
    expect(rows).toHaveLength(5)
    expect(rows.every((r) => r.length === 11)).toBe(true)
    expect(rows[3]).toEqual(['PCD 2003', papers[2].title, papers[2].date, '', 'Deputy Mayor for Policing and Crime', papers[2].summary, 'contracts; technology', 'section 43 (commercial interests); section 31(1)(a) (law enforcement)', `${BASE}decisions/pcd-2003/`, `${BASE}decisions/pcd-2003/index.md`, ''])
  })

  it('quotes commas, quotes and line breaks, and neutralises formulas', async () => {
    const paper = makePaper(1, {title: '=HYPERLINK("http://evil.example","click")', summary: 'Line one,\r\nline "two"', decisionMaker: '+44 20 7983 4000', tags: ['-minus', '@at', '\tTab', 'plain']})
    const rows = parseCsv(text(await render([paper]), 'decisions.csv'))
    expect(rows[1][1]).toBe('\'=HYPERLINK("http://evil.example","click")')
    expect(rows[1][5]).toBe('Line one,\r\nline "two"')
    expect(rows[1][4]).toBe("'+44 20 7983 4000")
    // The tags cell starts with "-minus".
    expect(rows[1][6]).toBe("'-minus; @at; \tTab; plain")
    expect(csvField('-1')).toBe("'-1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\rX')).toBe('"\'\rX"')
    expect(csvField('a "b"')).toBe('"a ""b"""')
    expect(csvField('safe = text')).toBe('safe = text')
  })
})

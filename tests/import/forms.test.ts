/**
 * Word decision forms, generated with `docx`, imported and then built as the
 * site: the Part 2 text and everything the form marks sensitive reach no
 * output file; the Part 1 text does.
 */
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {findCanaries, type ScannedFile} from '../helpers/scan.js'
import {appendedReport, decisionForm, markedSections, part2Form, PUBLIC_WORDS, richSections, SECRET_WORDS} from './fixtures.js'
import {buildAndScan, importInto, type Imported} from './helpers.js'

const SECRETS = Object.values(SECRET_WORDS)
const after = new Date('2026-01-01T12:00:00Z')

describe('the PCD 602 form with its Part 1 and a separate Part 2', () => {
  let imported: Imported
  let files: ScannedFile[]
  beforeAll(async () => {
    imported = await importInto({form: await decisionForm({appendix: appendedReport()}), part2: await part2Form()})
    const built = await buildAndScan(imported.content, after)
    expect(built.messages).toEqual([])
    expect(built.leaks).toEqual([])
    files = built.files
  })

  it('names the paper after its reference and title', () => {
    expect(path.basename(imported.paper)).toBe('pcd-602-seg-mseg-contract-extension.md')
  })

  it('fills the frontmatter from the form', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    const head = text.slice(0, text.indexOf('\n---', 3))
    expect(head).toContain('id: "PCD 602"')
    expect(head).toContain('title: "SEG & MSEG Contract Extension"')
    expect(head).toContain('date: "2019-06-20"')
    expect(head).toContain('classification: OFFICIAL')
    expect(head).toContain('decision_maker: "Deputy Mayor for Policing and Crime"')
    expect(head).toMatch(/summary: "This paper seeks approval .* zpimportsummary3001\."/)
    expect(head).toContain('exemptions: ["s43"]')
    expect(head).not.toContain('deferral')
  })

  it('passes check with nothing to resolve', () => {
    expect(imported.result.report.unresolved).toEqual([])
  })

  it('keeps Part 1 as headings and numbered paragraphs', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    expect(text).toContain('## Part 1 – non-confidential facts and advice')
    expect(text).toContain('### 1. Introduction and background')
    expect(text).toContain('1.1. MPS has operated a Secure External Gateway')
    expect(text).toContain('### 4. Legal Comments')
    expect(text).toMatch(/4\.1\. The grounds .*\n\n1\. cannot be made/)
  })

  it('puts the whole Part 2 form in one withheld block at the end, with its ground', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    const start = text.indexOf(':::official-sensitive{exemptions="s43"}\n## Part 2')
    expect(start).toBeGreaterThan(0)
    expect(text.trimEnd().endsWith(':::')).toBe(true)
    for (const secret of [SECRET_WORDS.part2Text, SECRET_WORDS.part2Cell, SECRET_WORDS.part2Heading, SECRET_WORDS.part2Footnote, SECRET_WORDS.part2Alt]) {
      expect(text.indexOf(secret)).toBeGreaterThan(start)
    }
    // A line of colons typed in Word is escaped, not read as a fence.
    expect(text).toContain('::\\: a line of colons in Word text')
    // Its heading line only repeats the public reference and title: the leak check would report it on every page.
    expect(text).not.toContain('**PCD 602 – SEG & MSEG Contract Extension**')
    expect(imported.result.report.notes).toContain('Part 2: "PCD 602 - SEG & MSEG Contract Extension" dropped: it only repeats the paper\'s public reference and title.')
  })

  it('drops the signature, tick boxes and declarations, and lists them', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    for (const furniture of ['The above request has my approval', 'Tick to confirm', 'Is there a', SECRET_WORDS.signatureAlt, SECRET_WORDS.officerName, '☑', '✓']) expect(text).not.toContain(furniture)
    const dropped = imported.result.report.dropped.join('\n')
    expect(dropped).toContain("the decision maker's approval box")
    expect(dropped).toContain('1 image')
    expect(dropped).toContain('the "Public access to information" box')
    expect(dropped).toContain("the originating officer's declaration")
  })

  it('keeps the report appended after the declaration', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    expect(text).toContain('## SEG & MSEG Contract Extension')
    expect(text).toContain(PUBLIC_WORDS.appendix)
  })

  it('publishes Part 1', () => {
    for (const word of [PUBLIC_WORDS.summary, PUBLIC_WORDS.recommendation, PUBLIC_WORDS.section, PUBLIC_WORDS.subItem, PUBLIC_WORDS.appendix]) {
      expect(findCanaries(files, [word]).map((hit) => hit.file)).toContain('decisions/pcd-602/index.html')
    }
  })

  it('publishes nothing of Part 2, the signatures or the declarations, in any file', () => {
    expect(findCanaries(files, SECRETS)).toEqual([])
  })

  it('shows the withheld notice with the ground', () => {
    const page = fs.readFileSync(path.join(path.dirname(imported.content), `public-${after.getTime()}`, 'decisions/pcd-602/index.html'), 'utf8')
    expect(page).toContain('Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).')
  })
})

describe('a deferred form', () => {
  let imported: Imported
  beforeAll(async () => {
    imported = await importInto({
      form: await decisionForm({pcd: 'PCD 1513', title: 'Gateway Deferred Extension', deferral: {reason: `Awaiting supplier notification ${SECRET_WORDS.deferralReason}`, until: '1 September 2019'}}),
      part2: await part2Form()
    })
  })

  it('fills deferral.until and deferral.reason from the box', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    expect(text).toContain('deferral:\n  until: "2019-09-01"\n  reason: "Awaiting supplier notification zkimportreason4007" # internal, never published')
    expect(imported.result.report.unresolved).toEqual([])
  })

  it('publishes nothing before the date', async () => {
    const built = await buildAndScan(imported.content, new Date('2019-08-31T12:00:00Z'))
    expect(built.messages).toEqual([])
    expect(findCanaries(built.files, [...SECRETS, ...Object.values(PUBLIC_WORDS), 'pcd-1513'])).toEqual([])
  })

  it('publishes Part 1 from the date, and never the reason or Part 2', async () => {
    const built = await buildAndScan(imported.content, new Date('2019-09-01T00:00:00+01:00'))
    expect(built.messages).toEqual([])
    expect(built.leaks).toEqual([])
    expect(findCanaries(built.files, [PUBLIC_WORDS.section]).length).toBeGreaterThan(0)
    expect(findCanaries(built.files, SECRETS)).toEqual([])
  })
})

describe('a form with a table, a footnote, a link and an image', () => {
  let imported: Imported
  let files: ScannedFile[]
  let out: string
  beforeAll(async () => {
    const rich = richSections()
    imported = await importInto({form: await decisionForm({pcd: 'PCD 1301', title: 'Digital Policing Spend', extraSections: rich.sections, footnotes: rich.footnotes, part2: false})})
    const built = await buildAndScan(imported.content, after)
    expect(built.messages).toEqual([])
    expect(built.leaks).toEqual([])
    files = built.files
    out = built.out
  })

  it('converts each to Markdown', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    expect(text).toMatch(/\| Year +\| Spend +\|\n\| -+ \| -+ \|\n\| 2019-20 zpimportcell3005 \| £2\.1m +\|/)
    expect(text).toContain('spend by year[^1], _before VAT_.')
    expect(text).toContain('[^1]: Figures from the MPS finance team zpimportfootnote3006.')
    expect(text).toContain('![Chart of spend by year zpimportalt3007](./images/pcd-1301-digital-policing-spend/image-1.png)')
    expect(text).toContain('[Police and Crime Plan](https://www.london.gov.uk/zpimportlink3008)')
    expect(imported.result.report.unresolved).toEqual([])
  })

  it('writes the image beside the paper, and not the signature', () => {
    const dir = path.join(imported.content, 'images/pcd-1301-digital-policing-spend')
    expect(fs.readdirSync(dir)).toEqual(['image-1.png'])
  })

  it('publishes them', () => {
    for (const word of [PUBLIC_WORDS.cell, PUBLIC_WORDS.footnote, PUBLIC_WORDS.alt, PUBLIC_WORDS.link]) expect(findCanaries(files, [word]).length).toBeGreaterThan(0)
    expect(fs.existsSync(path.join(out, 'decisions/pcd-1301/files/image-1.png'))).toBe(true)
    expect(findCanaries(files, SECRETS)).toEqual([])
  })

  it('notes that the form announces a Part 2 only when it does', () => {
    expect(imported.result.report.notes.join('\n')).not.toContain('none was given')
  })
})

describe('a form with protective markings inside its Part 1', () => {
  let imported: Imported
  let files: ScannedFile[]
  beforeAll(async () => {
    imported = await importInto({form: await decisionForm({pcd: 'PCD 1450', title: 'Gateway Replacement', extraSections: markedSections()}), part2: await part2Form()})
    const built = await buildAndScan(imported.content, after)
    expect(built.messages).toEqual([])
    expect(built.leaks).toEqual([])
    files = built.files
  })

  it('withholds each marked section, with the ground its text states or Part 2\'s', () => {
    const text = fs.readFileSync(imported.paper, 'utf8')
    expect(text).toMatch(/:::official-sensitive\{exemptions="s43\(2\)"\}\n### 5\. Commercial position\n\nOFFICIAL-SENSITIVE \\\[COMMERCIAL]\n\n5\.1\. The day rate negotiated is £1,234 zkimportmarked4005/)
    expect(text).toMatch(/:::official-sensitive\n### 6\. Supplier risks \(OFFICIAL-SENSITIVE\) zkimportmarkedhead4006\n\n6\.1\. The incumbent supplier may not bid again\.\n:::/)
    expect(text).toContain('### 7. Equality Comments')
    expect(imported.result.report.notes.join('\n')).toContain('"5. Commercial position" is marked OFFICIAL-SENSITIVE on the form: withheld, exempt under s43(2)')
  })

  it('publishes the rest of Part 1 and nothing marked', () => {
    for (const word of [PUBLIC_WORDS.section, PUBLIC_WORDS.subItem]) expect(findCanaries(files, [word]).length).toBeGreaterThan(0)
    expect(findCanaries(files, SECRETS)).toEqual([])
    expect(findCanaries(files, ['incumbent supplier may not bid'])).toEqual([])
  })

  it('without a Part 2, leaves a marked section with no stated ground to check, which refuses it', async () => {
    const alone = await importInto({form: await decisionForm({pcd: 'PCD 1451', title: 'Gateway Replacement', extraSections: markedSections(), part2: false})})
    expect(alone.result.report.unresolved.join('\n')).toContain('redaction-no-ground')
    const built = await buildAndScan(alone.content, after)
    expect(built.messages.join('\n')).toContain('redaction-no-ground')
    expect(built.files).toEqual([])
  })
})

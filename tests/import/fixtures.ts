/**
 * Word fixtures for `mopac import`, generated with the `docx` package: a
 * MOPAC decision form modelled on PCD 602 (title, executive summary,
 * recommendation, the decision maker's approval box with a signature, Part 1
 * with numbered sections, the "Public access to information" box, the
 * originating officer's declaration with tick boxes) and its separate Part 2
 * form. Canaries are lower-case letters then digits, as in helpers/corpus.ts.
 */
import zlib from 'node:zlib'
import {
  AlignmentType,
  CheckBox,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
  type ParagraphChild
} from 'docx'

/** Words of Part 1 that must reach the site. */
export const PUBLIC_WORDS = {
  summary: 'zpimportsummary3001',
  recommendation: 'zpimportrecommend3002',
  section: 'zpimportsection3003',
  subItem: 'zpimportsubitem3004',
  cell: 'zpimportcell3005',
  footnote: 'zpimportfootnote3006',
  alt: 'zpimportalt3007',
  link: 'zpimportlink3008',
  appendix: 'zpimportappendix3009'
} as const

/** Words that must never reach the site. */
export const SECRET_WORDS = {
  part2Text: 'zkimportparttwo4001',
  part2Cell: 'zkimportparttwocell4002',
  part2Heading: 'zkimportparttwohead4003',
  part2Footnote: 'zkimportparttwonote4004',
  markedSection: 'zkimportmarked4005',
  markedHeading: 'zkimportmarkedhead4006',
  deferralReason: 'zkimportreason4007',
  signatureAlt: 'zkimportsignature4008',
  officerName: 'zkimportofficer4009',
  part2Alt: 'zkimportparttwoalt4010'
} as const

/** A valid 2 x 2 BMP (a format Word keeps and the site does not publish). */
export function bmp(): Buffer {
  const header = Buffer.alloc(54)
  header.write('BM', 0, 'latin1')
  header.writeUInt32LE(54 + 16, 2)
  header.writeUInt32LE(54, 10)
  header.writeUInt32LE(40, 14)
  header.writeInt32LE(2, 18)
  header.writeInt32LE(2, 22)
  header.writeUInt16LE(1, 26)
  header.writeUInt16LE(24, 28)
  header.writeUInt32LE(16, 34)
  return Buffer.concat([header, Buffer.alloc(16, 0x7f)])
}

/** A valid PNG of `width` x `height` grey pixels. */
export function png(width = 4, height = 3, shade = 0x80): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  const rows = Buffer.alloc((width + 1) * height, shade)
  for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

const bold = (text: string) => new TextRun({text, bold: true})
const para = (...children: Array<string | ParagraphChild>) => new Paragraph({children: children.map((c) => (typeof c === 'string' ? new TextRun(c) : c))})
const boldPara = (text: string) => para(bold(text))
const numbered = (level: number, ...children: Array<string | ParagraphChild>) => new Paragraph({numbering: {reference: 'sections', level}, children: children.map((c) => (typeof c === 'string' ? new TextRun(c) : c))})
const recommended = (text: string) => new Paragraph({numbering: {reference: 'recommendations', level: 0}, children: [new TextRun(text)]})
const cell = (...children: Paragraph[]) => new TableCell({children, width: {size: 50, type: WidthType.PERCENTAGE}})
const box = (...rows: TableCell[][]) => new Table({rows: rows.map((cells) => new TableRow({children: cells})), width: {size: 100, type: WidthType.PERCENTAGE}})
const tick = () => para(new CheckBox({checked: true}))
const signature = (alt: string) => para(new ImageRun({type: 'png', data: png(8, 2, 0x10), transformation: {width: 120, height: 30}, altText: {name: 'Signature', description: alt, title: 'Signature'}}))

const numbering = {
  config: [
    {
      reference: 'sections',
      levels: [
        {level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT},
        {level: 1, format: LevelFormat.DECIMAL, text: '%1.%2.', alignment: AlignmentType.LEFT},
        {level: 2, format: LevelFormat.LOWER_LETTER, text: '%3)', alignment: AlignmentType.LEFT}
      ]
    },
    {reference: 'recommendations', levels: [{level: 0, format: LevelFormat.DECIMAL, text: '(%1)', alignment: AlignmentType.LEFT}]}
  ]
}

export interface FormOptions {
  pcd?: string
  title?: string
  /** The decision maker's approval date, as typed on the form. */
  approvalDate?: string
  /** `{reason, until}` answers YES to "Is the publication of Part 1 ... deferred?". */
  deferral?: {reason: string; until: string}
  /** The answer to "Is there a Part 2 form?" (default YES). */
  part2?: boolean
  /** Extra Part 1 sections (children after the standard ones). */
  extraSections?: FileChild[]
  /** Footnotes for the extra sections. */
  footnotes?: Record<string, {children: Paragraph[]}>
  /** Text of the page header (e.g. a protective marking). */
  header?: string
  /** Material after the declaration (an appended report). */
  appendix?: FileChild[]
  /** A paragraph the author typed into the approval box. */
  approvalExtra?: string
  /** Comments (internal notes) of the document. */
  comments?: {children: Array<{id: number; author: string; children: Paragraph[]}>}
}

/** The decision form (Part 1), modelled on PCD 602. */
export async function decisionForm(options: FormOptions = {}): Promise<Buffer> {
  const pcd = options.pcd ?? 'PCD 602'
  const title = options.title ?? 'SEG & MSEG Contract Extension'
  const deferral = options.deferral
  const children: FileChild[] = [
    new Paragraph({heading: HeadingLevel.HEADING_1, children: [new TextRun(`DMPC Decision – ${pcd}`)]}),
    para(bold('Title: '), new TextRun(title)),
    boldPara('Executive Summary:'),
    para(`This paper seeks approval for the extension of existing contracts for the management, support and maintenance services of the MPS Secure External Gateway (SEG) and Mobility Secure Enterprise Gateway (mSEG) for up to 6 months ${PUBLIC_WORDS.summary}.`),
    para('This investment in the maintenance of the platforms reduces the risk of increased operating costs of the existing service due to obsolescence of the technical platform.'),
    boldPara('Recommendation:'),
    para('The Deputy Mayor for Policing and Crime is recommended to:'),
    recommended(`Approve award of the extension of the existing MPS Secure External Gateway (SEG) Management, Support & Maintenance Services contract for up to 6 months ${PUBLIC_WORDS.recommendation}.`),
    recommended('Approve award of the extension of the Mobility Secure Enterprise Gateway (mSEG) Management, Support & Maintenance Services contract for up to 6 months.'),
    box(
      [cell(boldPara('Deputy Mayor for Policing and Crime'), para('I confirm I have considered whether or not I have any personal or prejudicial interest in this matter and take the proposed decision in compliance with the Code of Conduct. Any such interests are recorded below.'), para('The above request has my approval.'), ...(options.approvalExtra ? [para(options.approvalExtra)] : []))],
      [cell(boldPara('Signature'), signature(SECRET_WORDS.signatureAlt)), cell(boldPara('Date'), para(options.approvalDate ?? '20/06/2019'))]
    ),
    boldPara('PART I - NON-CONFIDENTIAL FACTS AND ADVICE TO THE DMPC'),
    numbered(0, bold('Introduction and background')),
    numbered(1, `MPS has operated a Secure External Gateway ("SEG") service under a series of contracts since 2003 and is the main security gateway for traffic in and out of the MPS network ${PUBLIC_WORDS.section}.`),
    numbered(1, 'As part of a more recent deployment a separate "Mobility SEG" (mSEG) has been stood up initially to support the latest MPS operational policing transformation initiatives.'),
    numbered(0, bold('Issues for consideration')),
    numbered(1, 'Both the existing SEG and the mSEG contracts co-terminate 30th June 2019.'),
    numbered(0, bold('Financial Comments')),
    numbered(1, 'The requested extension is to increase the contract value with Vodafone Ltd by £2.1m from £8.7m to £10.9m.'),
    numbered(1, 'There are no capital implications in this proposal.'),
    numbered(0, bold('Legal Comments')),
    numbered(1, 'The grounds for the extension of the contracts are in line with regulation 72(1)(b) of the Public Contracts Regulations 2015, where a change of supplier-'),
    numbered(2, `cannot be made for economic or technical reasons ${PUBLIC_WORDS.subItem}, and`),
    numbered(2, 'would cause significant inconvenience or substantial duplication of costs for the contracting authority'),
    ...(options.extraSections ?? []),
    numbered(0, bold('Equality Comments')),
    numbered(1, 'As this is an extension of an existing service this work does not change any aspects relating to equality or diversity.'),
    box(
      [
        cell(
          boldPara('Public access to information'),
          para('Information in this form (Part 1) is subject to the Freedom of Information Act 2000 (FOIA) and will be made available on the MOPAC website following approval.'),
          para('If immediate publication risks compromising the implementation of the decision it can be deferred until a specific date. Deferral periods should be kept to the shortest length strictly necessary.'),
          boldPara('Part 1 Deferral:'),
          para(`Is the publication of Part 1 of this approval to be deferred? ${deferral ? 'YES' : 'NO'}`),
          para(`If yes, for what reason: ${deferral?.reason ?? ''}`),
          para(`Until what date: ${deferral?.until ?? ''}`),
          para(bold('Part 2 Confidentiality: '), new TextRun('Only the facts or advice considered as likely to be exempt from disclosure under the FOIA should be in the separate Part 2 form, together with the legal rationale for non-publication.')),
          para('Is there a ', bold('Part 2'), ` form – ${options.part2 === false ? 'NO' : 'YES'}`)
        )
      ]
    ),
    boldPara('ORIGINATING OFFICER DECLARATION'),
    box(
      [cell(para('')), cell(boldPara('Tick to confirm statement (✓)'))],
      [cell(boldPara('Financial Advice'), para('The Strategic Finance and Resource Management Team has been consulted on this proposal.')), cell(tick())],
      [cell(boldPara('Legal Advice'), para('The MPS legal team has been consulted on the proposal.')), cell(tick())],
      [cell(boldPara('Equalities Advice:'), para('Equality and diversity issues are covered in the body of the report.')), cell(para('✓'))]
    ),
    boldPara('Chief Executive Officer'),
    para('I have been consulted about the proposal and confirm that financial, legal and equalities advice has been taken into account in the preparation of this report.'),
    box([cell(boldPara('Signature'), para(`R. Lawrence ${SECRET_WORDS.officerName}`)), cell(boldPara('Date'), para('10/7/19'))]),
    ...(options.appendix ?? [])
  ]
  const document = new Document({
    numbering,
    comments: options.comments,
    footnotes: options.footnotes,
    sections: [{headers: options.header ? {default: new Header({children: [para(options.header)]})} : undefined, children}]
  })
  return Packer.toBuffer(document)
}

export interface Part2Options {
  /** The legal rationale paragraph (states the ground). */
  rationale?: string
}

/** The separate Part 2 form, marked OFFICIAL-SENSITIVE. */
export async function part2Form(options: Part2Options = {}): Promise<Buffer> {
  const children: FileChild[] = [
    boldPara('OFFICIAL-SENSITIVE [COMMERCIAL]'),
    new Paragraph({heading: HeadingLevel.HEADING_1, children: [new TextRun('PART 2 – CONFIDENTIAL FACTS AND ADVICE TO THE DMPC')]}),
    boldPara('PCD 602 – SEG & MSEG Contract Extension'),
    para('The information in this form is not suitable for publication.'),
    boldPara('Legal rationale for non-publication'),
    para(options.rationale ?? `This information is exempt from disclosure under Section 43 (Commercial interests) of the Freedom of Information Act 2000 ${SECRET_WORDS.part2Text}.`),
    new Paragraph({heading: HeadingLevel.HEADING_2, children: [new TextRun(`Options considered ${SECRET_WORDS.part2Heading}`)]}),
    box([cell(boldPara('Option')), cell(boldPara('Six-month cost'))], [cell(para(`Extend both contracts ${SECRET_WORDS.part2Cell}`)), cell(para('£3,150,000'))]),
    para('Example Networks Ltd has offered a 4% discount', new FootnoteReferenceRun(1), '.'),
    para(new ImageRun({type: 'png', data: png(5, 5, 0x40), transformation: {width: 50, height: 50}, altText: {name: 'Chart', description: `Supplier chart ${SECRET_WORDS.part2Alt}`, title: 'Chart'}})),
    para('::: a line of colons in Word text'),
    para('Signature'),
    para('Date 21/06/2019')
  ]
  const document = new Document({
    footnotes: {1: {children: [para(`Offer letter of 3 June ${SECRET_WORDS.part2Footnote}.`)]}},
    sections: [{headers: {default: new Header({children: [para('OFFICIAL-SENSITIVE')]})}, children}]
  })
  return Packer.toBuffer(document)
}

/** Part 1 sections with a table, a footnote, a link and an image. */
export function richSections(): {sections: FileChild[]; footnotes: Record<string, {children: Paragraph[]}>} {
  return {
    sections: [
      numbered(0, bold('Spend by year')),
      numbered(1, 'The table shows the spend by year', new FootnoteReferenceRun(1), ', ', new TextRun({text: 'before VAT', italics: true}), '.'),
      box([cell(boldPara('Year')), cell(boldPara('Spend'))], [cell(para(`2019-20 ${PUBLIC_WORDS.cell}`)), cell(para('£2.1m'))], [cell(para('2020-21')), cell(para('£1.0m'))]),
      para(new ImageRun({type: 'png', data: png(6, 4), transformation: {width: 300, height: 200}, altText: {name: 'Chart', description: `Chart of spend by year ${PUBLIC_WORDS.alt}`, title: 'Chart'}})),
      numbered(1, 'See the ', new ExternalHyperlink({link: `https://www.london.gov.uk/${PUBLIC_WORDS.link}`, children: [new TextRun({text: 'Police and Crime Plan', style: 'Hyperlink'})]}), '.')
    ],
    footnotes: {1: {children: [para(`Figures from the MPS finance team ${PUBLIC_WORDS.footnote}.`)]}}
  }
}

/** A Part 1 section that carries a protective marking, and one whose heading does. */
export function markedSections(): FileChild[] {
  return [
    numbered(0, bold('Commercial position')),
    para('OFFICIAL-SENSITIVE [COMMERCIAL]'),
    numbered(1, `The day rate negotiated is £1,234 ${SECRET_WORDS.markedSection}; exempt under section 43(2) of the FOIA.`),
    numbered(0, bold(`Supplier risks (OFFICIAL-SENSITIVE) ${SECRET_WORDS.markedHeading}`)),
    numbered(1, 'The incumbent supplier may not bid again.')
  ]
}

/** An appended report after the declaration, as published decisions often have. */
export function appendedReport(): FileChild[] {
  return [
    new Paragraph({heading: HeadingLevel.HEADING_1, children: [new TextRun('SEG & MSEG Contract Extension')]}),
    para('MOPAC Investment Advisory Board June 2019'),
    new Paragraph({heading: HeadingLevel.HEADING_2, children: [new TextRun('Introduction and background')]}),
    para(`MPS has operated a Secure External Gateway service since 2003 ${PUBLIC_WORDS.appendix}.`)
  ]
}

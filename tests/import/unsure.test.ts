/**
 * What the import is unsure of is marked in the paper so that `mopac check`
 * refuses it, at its place, until the author resolves it: the paper cannot
 * be published by accident with a piece nobody looked at.
 */
import {Comment, CommentRangeEnd, CommentRangeStart, CommentReference, DeletedTextRun, ImageRun, InsertedTextRun, Paragraph, TextRun} from 'docx'
import {describe, expect, it} from 'vitest'
import {ImportError, importDecision} from '../../src/import/index.js'
import {processPaper} from '../../src/publish/process.js'
import {bmp, decisionForm, part2Form, png} from './fixtures.js'

const now = new Date('2026-01-01T00:00:00Z')

const rules = (unresolved: string[]) => unresolved.map((line) => /\s(\S+)$/.exec(line)![1])

/** Check a paper's text as `mopac check` would. */
function check(text: string) {
  return processPaper({path: 'p.md', relativePath: 'p.md', bytes: Buffer.from(text)}, now).messages.filter((m) => m.fatal)
}

/** The paper with every marker line deleted, as an author does once each piece is resolved. */
function resolved(text: string): string {
  return text.replace(/^::import-unresolved\[.*\]\n\n/gm, '')
}

describe('pieces the import is unsure of', () => {
  it('text typed into the approval box is kept, marked, and accepted once the marker is deleted', async () => {
    const result = await importDecision({form: await decisionForm({approvalExtra: 'Interest declared: none beyond those recorded in the register.'}), part2: await part2Form(), now})
    expect(result.text).toContain("::import-unresolved[Kept from the decision maker's approval box, which is otherwise form furniture: is this part of the paper? Keep it (under the right heading) or delete it]\n\nInterest declared: none beyond those recorded in the register.")
    expect(rules(result.report.unresolved)).toEqual(['import-unresolved'])
    expect(result.report.unresolved[0]).toMatch(/^\d+:1 {2}An imported piece to resolve: Kept from the decision maker's approval box/)
    expect(check(resolved(result.text))).toEqual([])
  })

  it('a protective marking mentioned in a Part 1 sentence', async () => {
    const form = await decisionForm({extraSections: [new Paragraph({children: [new TextRun('The supplier has asked that its pricing schedule, which it marks OFFICIAL-SENSITIVE, is not shared beyond the board.')]})]})
    const result = await importDecision({form, now})
    expect(result.text).toContain('::import-unresolved[The paragraph below mentions a protective marking above OFFICIAL: put what is sensitive in a withheld block, or confirm it may be published]\n\nThe supplier has asked')
    expect(rules(result.report.unresolved)).toEqual(['import-unresolved'])
  })

  it('an image the site cannot publish (BMP) is dropped, marked where it stood', async () => {
    const form = await decisionForm({extraSections: [new Paragraph({children: [new ImageRun({type: 'bmp', data: bmp(), transformation: {width: 20, height: 20}, altText: {name: 'Map', description: 'Map of sites', title: 'Map'}})]})]})
    const result = await importDecision({form, now})
    expect(result.text).toContain(':import-unresolved[Image 2 ("Map of sites") could not be carried over: it is image/bmp, which the site cannot publish. Export it from Word as PNG, save it in the content folder and link it here]')
    expect(result.images).toEqual([])
    expect(rules(result.report.unresolved)).toEqual(['import-unresolved'])
  })

  it('an image without a description is kept, and noted', async () => {
    const form = await decisionForm({extraSections: [new Paragraph({children: [new ImageRun({type: 'png', data: png(), transformation: {width: 20, height: 20}})]})]})
    const result = await importDecision({form, now})
    expect(result.text).toContain('![](./images/pcd-602-seg-mseg-contract-extension/image-1.png)')
    expect(result.report.notes.join('\n')).toContain('image-1.png has no description (alt text) in Word')
    expect(result.report.unresolved).toEqual([])
  })

  it('tracked changes and hidden text in the Word file, marked at the top', async () => {
    const form = await decisionForm({
      extraSections: [
        new Paragraph({children: [new TextRun('The board agreed '), new InsertedTextRun({text: 'unanimously ', id: 1, author: 'Officer', date: '2019-06-01T00:00:00Z'}), new DeletedTextRun({text: 'after a vote ', id: 2, author: 'Officer', date: '2019-06-01T00:00:00Z'}), new TextRun('on 1 June.')]}),
        new Paragraph({children: [new TextRun('Visible. '), new TextRun({text: 'Hidden note to the Mayor.', vanish: true})]})
      ]
    })
    const result = await importDecision({form, now})
    expect(result.text).toContain('The board agreed unanimously on 1 June.')
    expect(result.text).toContain('::import-unresolved[The Word file has tracked changes, converted as if all were accepted')
    expect(result.text).toContain('::import-unresolved[The Word file has hidden text, which is converted as ordinary text')
    expect(rules(result.report.unresolved)).toEqual(['import-unresolved', 'import-unresolved'])
  })

  it('comments in the Word file are dropped and noted', async () => {
    const form = await decisionForm({
      comments: {children: [{id: 0, author: 'Officer', children: [new Paragraph({children: [new TextRun('Internal: check the figure with finance')]})]}]},
      extraSections: [new Paragraph({children: [new CommentRangeStart(0), new TextRun('A figure.'), new CommentRangeEnd(0), new TextRun({children: [new CommentReference(0)]})]})]
    })
    const result = await importDecision({form, now})
    expect(result.text).not.toContain('check the figure with finance')
    expect(result.report.notes).toContain('1 comment in the Word file dropped (internal notes; never converted).')
    void Comment
  })

  it('a page header marked OFFICIAL-SENSITIVE: the paper is withheld whole, and marked', async () => {
    const result = await importDecision({form: await decisionForm({header: 'OFFICIAL-SENSITIVE [COMMERCIAL]'}), now})
    expect(result.text).toContain('classification: OFFICIAL-SENSITIVE\n')
    expect(rules(result.report.unresolved)).toEqual(['import-unresolved'])
  })

  it('a page header marked SECRET: refused, nothing converted', async () => {
    const error = await importDecision({form: await decisionForm({header: 'SECRET'}), now}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportError)
    expect((error as ImportError).code).toBe('classified')
  })

  it('a date, summary or deferral date that cannot be read is left empty, which check refuses at its key', async () => {
    const result = await importDecision({form: await decisionForm({approvalDate: 'to follow', deferral: {reason: 'Supplier', until: 'when the contract is signed'}}), now})
    expect(result.text).toMatch(/^date: "" # the approval box has no date: write the date the decision was approved, YYYY-MM-DD \(the officer's declaration is dated 2019-07-10\)$/m)
    expect(result.text).toMatch(/^ {2}until: "" # no date could be read from "Until what date: when the contract is signed"; write the date/m)
    expect(result.report.unresolved.join('\n')).toMatch(/^\d+:\d+ {2}Invalid frontmatter `date`: must not be empty {2}frontmatter-invalid$/m)
    expect(result.report.unresolved.join('\n')).toContain('`deferral.until`')
  })

  it('a document that is not a decision form is kept whole, and marked', async () => {
    const {Document, Packer} = await import('docx')
    const plain = await Packer.toBuffer(new Document({sections: [{children: [new Paragraph({children: [new TextRun('Minutes of the meeting.')]}), new Paragraph({children: [new ImageRun({type: 'png', data: png(), transformation: {width: 20, height: 20}, altText: {name: 'Plan', description: 'Floor plan', title: 'Plan'}})]})]}]}))
    const result = await importDecision({form: plain, now})
    expect(result.text).toContain('::import-unresolved[The parts of a MOPAC decision form (Executive Summary, Part 1) were not found')
    expect(result.text).toContain('Minutes of the meeting.')
    expect(result.fileName).toBe('imported-decision.md')
    expect(result.text).toContain('![Floor plan](./images/imported-decision/image-1.png)')
    expect(rules(result.report.unresolved)).toEqual(expect.arrayContaining(['import-unresolved', 'frontmatter-invalid']))
  })
})

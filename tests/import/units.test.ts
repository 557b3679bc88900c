/** The importer's small parts: grounds, dates, the zip reader, the Markdown writer. */
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {findDate} from '../../src/import/dates.js'
import {ImportError} from '../../src/import/errors.js'
import {findGrounds} from '../../src/import/grounds.js'
import {stringify} from '../../src/import/index.js'
import {readZipDirectory, readZipEntry} from '../../src/import/zip.js'
import remarkGfmPapers from '../../src/pipeline/gfm.js'
import {toMarkdown} from '../../src/pipeline/processor.js'
import {zip} from './helpers.js'

describe('findGrounds', () => {
  const grounds = (text: string) => findGrounds(text).map((ground) => ground.exemption)

  it('reads the ways forms state a FOIA exemption', () => {
    expect(grounds('Exempt under Section 43 (Commercial interests) of the Freedom of Information Act 2000.')).toEqual(['s43'])
    expect(grounds('This is exempt under s40(2) of the FOIA.')).toEqual(['s40(2)'])
    expect(grounds('Exempt under sections 40(2) and 43(2) of the FOIA.')).toEqual(['s40(2)', 's43(2)'])
    expect(grounds('Exempt under s.31(1)(A) FOIA, and s. 43, or 44.')).toEqual(['s31(1)(a)', 's43', 's44'])
    expect(grounds('Exempt: Section 22A (research), FOIA.')).toEqual(['s22A'])
  })

  it('reads no other numbers as grounds', () => {
    expect(grounds('Exempt under Article 2(2)(a) of the Elected Local Policing Bodies (Specified Information) Order 2011.')).toEqual([])
    expect(grounds('Under Sections 57 and 64 of the DPA 2018, a DPIA is mandatory.')).toEqual([])
    expect(grounds('There are 43 sites, see section 3.')).toEqual([])
  })

  it('prefers the sections stated next to the Act or an exemption', () => {
    expect(grounds('Section 35 of the Data Protection Act 2018 applies. The information is exempt under section 43 of the FOIA.')).toEqual(['s43'])
    expect(findGrounds('It is exempt under section 43 FOIA.')[0].context).toBe('It is exempt under section 43 FOIA.')
  })
})

describe('findDate', () => {
  it('reads British dates into the paper\'s forms', () => {
    expect(findDate('20/06/2019')?.value).toBe('2019-06-20')
    expect(findDate('Date 10/7/19')?.value).toBe('2019-07-10')
    expect(findDate('20.06.2019')?.value).toBe('2019-06-20')
    expect(findDate('1 September 2019')?.value).toBe('2019-09-01')
    expect(findDate('1st Sept. 2019')?.value).toBe('2019-09-01')
    expect(findDate('2019-06-20')?.value).toBe('2019-06-20')
    expect(findDate('1 September 2019 at 09:30')).toEqual({value: '2019-09-01T09:30', written: '1 September 2019 at 09:30'})
  })

  it('reads nothing that is not a real date', () => {
    expect(findDate('31/02/2019')).toBeUndefined()
    expect(findDate('when the contract is signed')).toBeUndefined()
    expect(findDate('13/13/2019')).toBeUndefined()
  })
})

describe('the zip reader', () => {
  it('lists the entries and inflates them within a cap', () => {
    const archive = zip({'a.txt': 'hello', 'b.txt': 'x'.repeat(5000)}, {deflate: true})
    const entries = readZipDirectory(archive, 10)
    expect(entries.map((entry) => [entry.name, entry.uncompressedSize])).toEqual([['a.txt', 5], ['b.txt', 5000]])
    expect(readZipEntry(archive, entries[0], 100).toString()).toBe('hello')
    expect(() => readZipEntry(archive, entries[1], 4000)).toThrow(ImportError)
  })

  it('refuses too many entries, and an encrypted entry', () => {
    const archive = zip({'a.txt': 'a', 'b.txt': 'b'})
    expect(() => readZipDirectory(archive, 1)).toThrow(/holds 2 parts/)
    const locked = Buffer.from(archive)
    const directory = locked.readUInt32LE(locked.length - 6)
    locked.writeUInt16LE(1, directory + 8)
    expect(() => readZipEntry(locked, readZipDirectory(locked, 10)[0], 100)).toThrow(/encrypted/)
  })
})

describe('the Markdown writer', () => {
  it('writes what the pipeline\'s own toMarkdown writes, for text without directives', () => {
    const source = '# Title\n\nSome *emphasis*, **strong**, a [link](https://example.org) and a note.[^1]\n\n* one\n* two\n\n***\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n[^1]: The note.\n'
    const tree = unified().use(remarkParse).use(remarkGfmPapers).parse(source) as Root
    expect(stringify(tree)).toBe(toMarkdown(tree))
  })

  it('gives a block holding a line of colons more colons than that line', () => {
    const tree: Root = {type: 'root', children: [{type: 'containerDirective', name: 'official-sensitive', attributes: {exemptions: 's43'}, children: [{type: 'containerDirective', name: 'official-sensitive', attributes: {}, children: [{type: 'paragraph', children: [{type: 'text', value: 'inner'}]}]}]} as never]}
    expect(stringify(tree)).toBe('::::official-sensitive{exemptions="s43"}\n:::official-sensitive\ninner\n:::\n::::\n')
  })
})

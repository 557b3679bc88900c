/**
 * Input `mopac import` refuses, each with a clear reason and nothing written:
 * not a zip, a zip that is not a Word document, a password-protected
 * (encrypted, OLE compound) document, a huge one, a Part 2 with no ground.
 */
import fs from 'node:fs'
import path from 'node:path'
import officeCrypto from 'officecrypto-tool'
import {beforeAll, describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import {DEFAULT_LIMITS, ImportError, importDecision} from '../../src/import/index.js'
import {tempDir} from '../helpers/corpus.js'
import {decisionForm, part2Form} from './fixtures.js'
import {listFiles, recordingIo, zip} from './helpers.js'

const now = new Date('2026-01-01T00:00:00Z')
const CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'

async function refusal(form: Uint8Array, options: {part2?: Uint8Array; limits?: typeof DEFAULT_LIMITS} = {}): Promise<ImportError> {
  try {
    await importDecision({form, now, ...options})
  } catch (error) {
    if (error instanceof ImportError) return error
    throw error
  }
  throw new Error('imported')
}

/** An OLE compound file header followed by a directory entry named `name` (UTF-16). */
function ole(name: string): Buffer {
  const bytes = Buffer.alloc(1536)
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes)
  Buffer.from(name, 'utf16le').copy(bytes, 1024)
  return bytes
}

let form: Buffer
beforeAll(async () => {
  form = await decisionForm()
})

describe('refused input', () => {
  it('a text file: not a zip', async () => {
    const error = await refusal(Buffer.from('Decision PCD 602: please publish.\n'))
    expect(error.code).toBe('not-docx')
    expect(error.message).toBe('it is not a Word document (.docx): a .docx is a zip archive, and this file is not one: open it in Word and save it as a Word Document (.docx)')
  })

  it('an empty file, a PDF, an RTF file', async () => {
    expect((await refusal(Buffer.alloc(0))).message).toBe('the file is empty')
    expect((await refusal(Buffer.from('%PDF-1.7\n'))).message).toMatch(/^it is a PDF, not a Word document/)
    expect((await refusal(Buffer.from('{\\rtf1\\ansi }'))).message).toMatch(/^it is a Rich Text \(\.rtf\) file/)
  })

  it('a zip that is not a Word document', async () => {
    const error = await refusal(zip({'notes.txt': 'hello'}))
    expect(error.code).toBe('not-docx')
    expect(error.message).toMatch(/^it is a zip archive but not a Word document \(it has no `\[Content_Types\]\.xml`\)/)
    expect((await refusal(zip({'[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>'}))).message).toContain('it looks like an Excel workbook')
    expect((await refusal(zip({'[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>'}))).message).toContain('its content types do not declare a Word document')
  })

  it('a .docx cut short', async () => {
    const error = await refusal(form.subarray(0, Math.floor(form.length / 2)))
    expect(error.code).toBe('not-docx')
    expect(error.message).toContain('damaged or cut short')
  })

  it('a password-protected document (an encrypted package in an OLE compound file)', async () => {
    const encrypted: Buffer = await officeCrypto.encrypt(form, {password: 'secret-1234'})
    expect(officeCrypto.isEncrypted(encrypted)).toBe(true)
    const error = await refusal(encrypted)
    expect(error.code).toBe('encrypted')
    expect(error.message).toMatch(/^it is password-protected \(an encrypted Word document\): open it in Word, remove the password/)
  })

  it('a Word 97-2003 document', async () => {
    expect((await refusal(ole('WordDocument'))).message).toMatch(/^it is a Word 97-2003 document \(\.doc\)/)
    expect((await refusal(ole('Workbook'))).message).toMatch(/^it is an Office 97-2003 file/)
  })

  it('a huge document: over the file size limit', async () => {
    const error = await refusal(form, {limits: {...DEFAULT_LIMITS, maxFileBytes: 4096}})
    expect(error.code).toBe('too-large')
    expect(error.message).toMatch(/^the file is \d+ KB, more than the 4 KB a decision form can be/)
  })

  it('a huge document: its text over the limit', async () => {
    const error = await refusal(form, {limits: {...DEFAULT_LIMITS, maxDocumentBytes: 2048}})
    expect(error.code).toBe('too-large')
    expect(error.message).toContain('its part `word/document.xml` unpacks to more than 2 KB')
  })

  it('a zip bomb: 30 MB of text in a few kilobytes, refused with the default limits', async () => {
    const bomb = zip({'[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': ' '.repeat(30 * 1024 * 1024)}, {deflate: true})
    expect(bomb.length).toBeLessThan(100 * 1024)
    const error = await refusal(bomb)
    expect(error.code).toBe('too-large')
    expect(error.message).toBe('its part `word/document.xml` unpacks to more than 20 MB, far more than a decision paper holds: split the document, or check that it is the right file')
  })

  it('a zip whose parts declare smaller sizes than they hold', async () => {
    const lying = zip({'[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': '<w:document/>', 'word/media/image1.png': Buffer.alloc(200_000)}, {deflate: true})
    // Declare every part as 10 bytes in the central directory.
    const directory = lying.readUInt32LE(lying.length - 6)
    for (let at = directory; lying.readUInt32LE(at) === 0x02014b50; at += 46 + lying.readUInt16LE(at + 28)) lying.writeUInt32LE(10, at + 24)
    const error = await refusal(lying, {limits: {...DEFAULT_LIMITS, maxUnpackedBytes: 100_000}})
    expect(error.code).toBe('too-large')
    expect(error.message).toContain('declare smaller sizes than they hold')
  })

  it('a Part 2 form that states no exemption', async () => {
    const error = await refusal(form, {part2: await part2Form({rationale: 'This information must not be published.'})})
    expect(error.code).toBe('no-ground')
    expect(error.input).toBe('part2')
    expect(error.message).toContain('every withheld piece must state its ground')
    expect(error.message).toContain('--exemptions "s43"')
  })
})

describe('mopac import on refused input', () => {
  let dir: string
  let content: string
  beforeAll(() => {
    dir = tempDir('mopac-import-bad-')
    content = path.join(dir, 'content')
    fs.mkdirSync(content)
  })

  const run = async (args: string[]) => {
    const io = recordingIo(now)
    const code = await main(['import', ...args, '--out', content], io)
    return {code, out: io.out, err: io.err}
  }

  it('exits 6, names the file and writes nothing, for each', async () => {
    const inputs: Record<string, Buffer> = {
      'notes.docx': Buffer.from('not a word file'),
      'archive.docx': zip({'notes.txt': 'hello'}),
      'locked.docx': await officeCrypto.encrypt(form, {password: 'secret-1234'}),
      'bomb.docx': zip({'[Content_Types].xml': CONTENT_TYPES, 'word/document.xml': ' '.repeat(25 * 1024 * 1024)}, {deflate: true})
    }
    for (const [name, bytes] of Object.entries(inputs)) {
      const file = path.join(dir, name)
      fs.writeFileSync(file, bytes)
      const result = await run([file])
      expect(result.code, name).toBe(6)
      expect(result.err, name).toMatch(new RegExp(`^Cannot import \`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`: .+\\. Nothing was written\\.\\n$`))
      expect(result.out).toBe('')
      expect(listFiles(content), name).toEqual([])
    }
  })

  it('names the Part 2 form when it is the one refused', async () => {
    fs.writeFileSync(path.join(dir, 'form.docx'), form)
    fs.writeFileSync(path.join(dir, 'part2.pdf'), '%PDF-1.7\n')
    const result = await run([path.join(dir, 'form.docx'), '--part2', path.join(dir, 'part2.pdf')])
    expect(result.code).toBe(6)
    expect(result.err).toContain('part2.pdf` (the Part 2 form): it is a PDF')
    expect(listFiles(content)).toEqual([])
  })

  it('takes the ground from --exemptions when the Part 2 form states none', async () => {
    fs.writeFileSync(path.join(dir, 'form.docx'), form)
    fs.writeFileSync(path.join(dir, 'part2.docx'), await part2Form({rationale: 'This information must not be published.'}))
    const refused = await run([path.join(dir, 'form.docx'), '--part2', path.join(dir, 'part2.docx')])
    expect(refused.code).toBe(6)
    expect(listFiles(content)).toEqual([])
    const given = await run([path.join(dir, 'form.docx'), '--part2', path.join(dir, 'part2.docx'), '--exemptions', 's43 s40(2)'])
    expect(given.code).toBe(0)
    expect(given.out).toContain('part2.exemptions  s43 s40(2)  <- --exemptions')
    expect(fs.readFileSync(path.join(content, 'pcd-602-seg-mseg-contract-extension.md'), 'utf8')).toContain(':::official-sensitive{exemptions="s43 s40(2)"}')
  })

  it('refuses bad usage with exit 2', async () => {
    expect((await run([])).code).toBe(2)
    expect((await run([path.join(dir, 'missing.docx')])).err).toContain('Cannot read')
    expect((await run([path.join(dir, 'form.docx'), '--part2', path.join(dir, 'part2.docx'), '--exemptions', 's99'])).err).toContain('Invalid --exemptions `s99`')
  })
})

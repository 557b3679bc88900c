/**
 * Open a Word file: judge its bytes (a .docx, not encrypted, not huge), note
 * what the converter will not show (page headers, comments, tracked changes,
 * hidden text), then convert it to HTML with mammoth, collecting its images.
 * Bytes in, data out: no file system, no network.
 */
import mammoth from 'mammoth'
import {ImportError} from './errors.js'
import {formatBytes, looksLikeZip, readZipDirectory, readZipEntry, type ZipEntry} from './zip.js'

/** Size limits for one Word file. */
export interface DocxLimits {
  /** The .docx file itself. */
  maxFileBytes: number
  /** All parts unpacked together (text, images). */
  maxUnpackedBytes: number
  /** The document's main text part (`word/document.xml`) unpacked. */
  maxDocumentBytes: number
  /** Parts in the archive. */
  maxEntries: number
}

/**
 * Why these numbers: a decision form with its images is a few megabytes; the
 * limits are ten times the largest plausible form, and keep a zip bomb or a
 * mistaken file from filling memory or producing a paper the build's time
 * budget cannot process.
 */
export const DEFAULT_LIMITS: DocxLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxDocumentBytes: 20 * 1024 * 1024,
  maxEntries: 5000
}

/** An image found in the document, in document order. */
export interface DocxImage {
  /** 1-based position among the document's images. */
  index: number
  contentType: string
  bytes: Buffer
  /** The image's description (alt text) in Word, if any. */
  alt?: string
}

/** What the converter does not carry over, found in the file itself. */
export interface DocxFacts {
  /** Text of the page headers and footers (mammoth drops them). */
  headerText: string
  /** Number of comments (never converted: internal notes). */
  comments: number
  /** Tracked insertions or deletions are present (mammoth reads them as accepted). */
  trackedChanges: boolean
  /** Text formatted as hidden (mammoth converts it as ordinary text). */
  hiddenText: boolean
}

export interface ConvertedDocx {
  html: string
  images: DocxImage[]
  /** The converter's own warnings. */
  messages: string[]
  facts: DocxFacts
}

/** `src` of an image in the converted HTML: `IMAGE_PREFIX + index`. */
export const IMAGE_PREFIX = 'mopac-import-image:'

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

/** Check the bytes are a .docx within the limits, and read what mammoth will not show. */
export function openDocx(bytes: Uint8Array, limits: DocxLimits = DEFAULT_LIMITS): DocxFacts {
  if (bytes.length === 0) throw new ImportError('not-docx', 'the file is empty')
  if (bytes.length > limits.maxFileBytes) throw new ImportError('too-large', `the file is ${formatBytes(bytes.length)}, more than the ${formatBytes(limits.maxFileBytes)} a decision form can be: check that it is the right file, or compress its images in Word (File > Compress Pictures)`)
  if (OLE.every((byte, i) => bytes[i] === byte)) throw oleError(bytes)
  if (!looksLikeZip(bytes)) throw new ImportError('not-docx', `${describeOther(bytes)}: open it in Word and save it as a Word Document (.docx)`)

  const entries = readZipDirectory(bytes, limits.maxEntries)
  const declared = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0)
  if (declared > limits.maxUnpackedBytes) throw new ImportError('too-large', `it unpacks to ${formatBytes(declared)}, more than the ${formatBytes(limits.maxUnpackedBytes)} a decision form can be: check that it is the right file, or compress its images in Word (File > Compress Pictures)`)
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const types = byName.get('[Content_Types].xml')
  const main = byName.get('word/document.xml')
  if (!types || !main) throw new ImportError('not-docx', `it is a zip archive but not a Word document (it has no ${types ? '`word/document.xml`' : '`[Content_Types].xml`'}): ${otherOffice(byName)}`)
  const typesXml = readZipEntry(bytes, types, 1024 * 1024).toString('utf8')
  if (!typesXml.includes('wordprocessingml.document.main+xml') && !typesXml.includes('wordprocessingml.template.main+xml') && !typesXml.includes('ms-word.document.macroEnabled.main+xml') && !typesXml.includes('ms-word.template.macroEnabledTemplate.main+xml')) {
    throw new ImportError('not-docx', 'it is a zip archive with a `word/document.xml`, but its content types do not declare a Word document: save it again from Word as a .docx')
  }

  // Why inflate everything here with a cap: mammoth inflates parts without
  // one, so a part that lies about its size must be caught first.
  let unpacked = 0
  const read = (entry: ZipEntry, cap: number) => {
    const left = limits.maxUnpackedBytes - unpacked
    let data: Buffer
    try {
      data = readZipEntry(bytes, entry, Math.max(1, Math.min(cap, left)))
    } catch (error) {
      if (error instanceof ImportError && error.code === 'too-large' && left < cap) throw new ImportError('too-large', `it unpacks to more than ${formatBytes(limits.maxUnpackedBytes)}, more than a decision form can be (its parts declare smaller sizes than they hold): check that it is the right file`)
      throw error
    }
    unpacked += data.length
    return data
  }
  let document = ''
  let headerText = ''
  let comments = 0
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue
    if (entry === main) document = read(entry, limits.maxDocumentBytes).toString('utf8')
    else {
      const data = read(entry, limits.maxUnpackedBytes)
      if (/^word\/(header|footer)\d*\.xml$/.test(entry.name)) headerText += ' ' + xmlText(data.toString('utf8'))
      if (entry.name === 'word/comments.xml') comments = countOccurrences(data.toString('utf8'), '<w:comment ')
    }
  }
  return {
    headerText: headerText.trim(),
    comments,
    trackedChanges: ['<w:ins ', '<w:del ', '<w:moveFrom ', '<w:moveTo '].some((tag) => document.includes(tag)),
    hiddenText: hasHiddenText(document)
  }
}

/** Convert a checked .docx to HTML (headings, lists, tables, footnotes, emphasis, links, images). */
export async function convertDocx(bytes: Uint8Array, limits: DocxLimits = DEFAULT_LIMITS): Promise<ConvertedDocx> {
  const facts = openDocx(bytes, limits)
  const images: DocxImage[] = []
  const result = await mammoth.convertToHtml(
    {buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)},
    {
      // Why: a document may link an image by path or URL; reading it would
      // let a Word file pull any local file into the paper.
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
      convertImage: mammoth.images.imgElement(async (image) => {
        const index = images.length + 1
        const alt = (image as unknown as {altText?: string}).altText
        images.push({index, contentType: image.contentType, bytes: await image.readAsBuffer(), alt: alt?.trim() || undefined})
        return {src: IMAGE_PREFIX + index}
      })
    }
  )
  return {html: result.value, images, messages: result.messages.map((message) => message.message), facts}
}

/** Why an OLE compound file (the Office 97-2003 container) is not read. */
function oleError(bytes: Uint8Array): ImportError {
  const has = (name: string) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from(name, 'utf16le'))
  if (has('EncryptedPackage') || has('EncryptionInfo')) {
    return new ImportError('encrypted', 'it is password-protected (an encrypted Word document): open it in Word, remove the password (File > Info > Protect Document > Encrypt with Password, clear the box) and save it again as a .docx')
  }
  if (has('WordDocument')) return new ImportError('not-docx', 'it is a Word 97-2003 document (.doc): open it in Word and save it as a Word Document (.docx)')
  return new ImportError('not-docx', 'it is an Office 97-2003 file, not a Word document (.docx): open it in Word and save it as a Word Document (.docx)')
}

/** A name for a file that is not a zip, from its first bytes. */
function describeOther(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1')
  if (head.startsWith('%PDF')) return 'it is a PDF, not a Word document (.docx)'
  if (head.startsWith('{\\rtf')) return 'it is a Rich Text (.rtf) file, not a Word document (.docx)'
  if (/^\s*</.test(head)) return 'it is a web page or XML file, not a Word document (.docx)'
  return 'it is not a Word document (.docx): a .docx is a zip archive, and this file is not one'
}

/** What a zip without Word's parts probably is. */
function otherOffice(byName: Map<string, ZipEntry>): string {
  const names = [...byName.keys()]
  if (names.some((name) => name.startsWith('xl/'))) return 'it looks like an Excel workbook. Give the decision form saved from Word as a .docx'
  if (names.some((name) => name.startsWith('ppt/'))) return 'it looks like a PowerPoint presentation. Give the decision form saved from Word as a .docx'
  if (names.includes('mimetype')) return 'it looks like an OpenDocument file. Open it in Word or LibreOffice and save it as a Word Document (.docx)'
  return 'give the decision form saved from Word as a .docx'
}

/** The text content of an XML part: tags removed, the five entities decoded. Linear. */
export function xmlText(xml: string): string {
  let out = ''
  let inTag = false
  for (let i = 0; i < xml.length; i++) {
    const c = xml[i]
    if (inTag) {
      if (c === '>') {
        inTag = false
        // A paragraph or cell end becomes a space, so words do not run together.
        if (xml.startsWith('</w:p>', i - 5) || xml.startsWith('</w:tc>', i - 6)) out += ' '
      }
    } else if (c === '<') inTag = true
    else out += c
  }
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
}

function countOccurrences(text: string, needle: string): number {
  let count = 0
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) count++
  return count
}

/** Whether any run is formatted hidden (`<w:vanish/>`, not `w:val="0"` or `"false"`). */
function hasHiddenText(document: string): boolean {
  for (let i = document.indexOf('<w:vanish'); i !== -1; i = document.indexOf('<w:vanish', i + 1)) {
    const end = document.indexOf('>', i)
    const tag = document.slice(i, end === -1 ? undefined : end + 1)
    if (!/^<w:vanish[\s/>]/.test(tag)) continue
    if (/w:val="(0|false|off)"/.test(tag)) continue
    return true
  }
  return false
}

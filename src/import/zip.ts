/**
 * Just enough of the zip format to judge a Word file before the converter
 * opens it: the central directory's entries and their declared sizes, and
 * each entry inflated with a hard cap on its output. Pure: bytes in.
 *
 * Why our own reader: a .docx is a zip, and a zip can declare small sizes
 * and inflate to gigabytes. Reading the directory ourselves lets `import`
 * refuse a huge or encrypted file with a clear message before anything
 * inflates it without a limit.
 */
import zlib from 'node:zlib'
import {ImportError} from './errors.js'

export interface ZipEntry {
  name: string
  /** General purpose flags (bit 0: encrypted). */
  flags: number
  /** 0 stored, 8 deflated. */
  method: number
  compressedSize: number
  uncompressedSize: number
  localOffset: number
}

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

/** Whether the bytes start like a zip file (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/** The entries of the zip's central directory; throws ImportError when it cannot be read. */
export function readZipDirectory(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const broken = (detail: string) => new ImportError('not-docx', `the file starts like a zip archive (as a .docx does) but ${detail}: it is damaged or cut short. Save it again from Word as a .docx`)
  // The end-of-directory record sits in the last 22 bytes plus a comment of up to 65,535.
  let eocd = -1
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at
      break
    }
  }
  if (eocd === -1) throw broken('has no zip directory at its end')
  const count = view.getUint16(eocd + 10, true)
  const size = view.getUint32(eocd + 12, true)
  const offset = view.getUint32(eocd + 16, true)
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ImportError('too-large', 'the file is a ZIP64 archive, which only very large documents need: split the document, or export the large images separately')
  if (count > maxEntries) throw new ImportError('too-large', `the file holds ${count} parts, more than the ${maxEntries} a Word document of a decision has: it is not a decision form`)
  if (offset + size > eocd) throw broken('its directory points outside the file')
  const entries: ZipEntry[] = []
  let at = offset
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw broken('its directory is malformed')
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    const entry: ZipEntry = {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8')
    }
    entries.push(entry)
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** Inflate one entry, refusing more than `maxBytes` of output whatever the directory declares. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Buffer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = entry.localOffset
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new ImportError('not-docx', `the part \`${entry.name}\` of the archive is missing or damaged. Save the file again from Word as a .docx`)
  if (entry.flags & 1) throw new ImportError('encrypted', 'the archive is encrypted (zip password): remove the password and save it again from Word as a .docx')
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  const data = bytes.subarray(start, start + entry.compressedSize)
  if (entry.method === 0) {
    if (data.length > maxBytes) throw tooLarge(entry.name, maxBytes)
    return Buffer.from(data)
  }
  if (entry.method !== 8) throw new ImportError('not-docx', `the part \`${entry.name}\` uses a compression method Word does not write (${entry.method}). Save the file again from Word as a .docx`)
  try {
    return zlib.inflateRawSync(data, {maxOutputLength: maxBytes})
  } catch (error) {
    if ((error as {code?: string}).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(entry.name, maxBytes)
    throw new ImportError('not-docx', `the part \`${entry.name}\` cannot be decompressed: the file is damaged. Save it again from Word as a .docx`)
  }
}

function tooLarge(name: string, maxBytes: number): ImportError {
  return new ImportError('too-large', `its part \`${name}\` unpacks to more than ${formatBytes(maxBytes)}, far more than a decision paper holds: split the document, or check that it is the right file`)
}

/** `12 MB`, `300 KB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

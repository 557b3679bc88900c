/**
 * Attachment tests: real files of each allowed type (made here, or small
 * samples encoded by Chromium), and a build of one paper that links to them,
 * run in-process through the library.
 */
import zlib from 'node:zlib'
import {build, type BuildResult} from '../../src/build/build.js'
import type {PlainMessage} from '../../src/publish/outcome.js'
import {tempCorpus} from '../redteam2/helpers.js'

export const NOW = new Date('2026-11-25T12:00:00Z')
export const BASE = 'https://example.org/'

const CRC_TABLE = Array.from({length: 256}, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])))
  return Buffer.concat([head, data, crc])
}

/** A real RGB PNG, `width` x `height`, blue with a white bar; `extra` chunks go before the image data. */
export function png(width = 4, height = 3, extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const rows: number[] = []
  for (let y = 0; y < height; y++) {
    rows.push(0)
    for (let x = 0; x < width; x++) rows.push(...(y === 1 && x > 0 && x < width - 1 ? [255, 255, 255] : [0x1d, 0x70, 0xb8]))
  }
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), ...extra, chunk('IDAT', zlib.deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))])
}

/** A PNG text chunk. */
export const pngText = (keyword: string, text: string) => chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'))

/** A 4x3 JPEG and WebP encoded by Chromium's canvas (toDataURL), and the classic 1x1 GIF. */
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAADAAQDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAeEAABBAMAAwAAAAAAAAAAAAABAAIDEwQREjFBUf/EABQBAQAAAAAAAAAAAAAAAAAAAAb/xAAXEQEAAwAAAAAAAAAAAAAAAAABABEx/9oADAMBAAIRAxEAPwCaysmTJpsbC2qMRNrhZHsDwXcgdH647J9lEROQrIKW9n//2Q==',
  'base64'
)
export const WEBP = Buffer.from(
  'UklGRjACAABXRUJQVlA4WAoAAAAgAAAAAwAAAgAASUNDUMgBAAAAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADZWUDggQgAAAHACAJ0BKgQAAwABQCYlqAJ0ugH4ABJoBZs9sqQA/nkaNL/Cqgf0fTFfMiWX/zjeVE8UOX/Mz/52W70FmHrfokAAAA==',
  'base64'
)
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

/** A one-page PDF with a cross-reference table. */
export function pdf(text = 'Decision annex'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 12 Tf 20 50 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 20 50 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

export const CSV = Buffer.from('Year,Spend (£m),Note\r\n2019/20,18.4,"below 20"\r\n2020/21,21.7,"rise <5%"\r\n')

/** The sample chart: an SVG as a chart tool writes it. */
export const SVG_CHART = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a chart tool -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" viewBox="0 0 120 60" role="img" aria-labelledby="t">
  <title id="t">Spend by year</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#1d70b8"/><stop offset="1" stop-color="#003078"/></linearGradient></defs>
  <style>.bar { fill: url(#g) } text { font: 10px Arial }</style>
  <g transform="translate(10 5)">
    <rect class="bar" x="0" y="10" width="20" height="40"/>
    <rect x="30" y="20" width="20" height="30" style="fill:url('#g');stroke:#0b0c0c"/>
    <use xlink:href="#lbl" x="0" y="0"/>
    <text id="lbl" x="0" y="58">2019 &amp; 2020 &lt;£m&gt;</text>
  </g>
</svg>
`

/** A public paper whose body is `body`. */
export const paper = (body: string, id = 'PCD 1') => `---\nid: ${id}\ntitle: Title ${id}\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\n${body}`

/** Markdown linking to each name, one per line from line 7 (the paper's frontmatter takes 6). */
export const links = (names: string[]) => names.map((name) => `[${name}](./${name.split('/').map(encodeURIComponent).join('/')})`).join('\n\n') + '\n'
/** The line a name's link stands on in `links(names)`. */
export const lineOf = (names: string[], name: string) => 7 + 2 * names.indexOf(name)

/** Build a content folder with one paper linking to `files` (every name in `files`), in-process. */
export async function buildWith(files: Record<string, string | Buffer>, extraPapers: Record<string, string> = {}): Promise<{result: BuildResult; messages: PlainMessage[]; names: string[]; content: string}> {
  const names = Object.keys(files)
  const c = tempCorpus({'a.md': paper(links(names)), ...files, ...extraPapers})
  const result = await build({content: c.content, now: NOW, baseUrl: BASE})
  const outcome = result.outcomes.find((o) => o.relativePath === 'a.md')
  if (!outcome) throw new Error('no outcome for a.md')
  return {result, messages: outcome.messages, names, content: c.content}
}

/** The bytes the site would publish for `name` beside PCD 1, or undefined. */
export function published(result: BuildResult, name: string): Uint8Array | undefined {
  const value = result.files?.get(`decisions/pcd-1/files/${name.split('/').at(-1)}`)
  return typeof value === 'string' ? Buffer.from(value) : value
}

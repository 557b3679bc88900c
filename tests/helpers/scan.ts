/**
 * Read every file of a built site as text for canary scans: file names too,
 * gzip and brotli contents decompressed (Pagefind fragments are gzip).
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

export interface ScannedFile {
  /** Path relative to the site root. */
  name: string
  /** Lower-cased text: the path, then the (decompressed) content. */
  text: string
}

function decode(bytes: Buffer, name: string): string {
  let data = bytes
  for (let i = 0; i < 3; i++) {
    if (data.length > 2 && data[0] === 0x1f && data[1] === 0x8b) data = zlib.gunzipSync(data)
    else if (name.endsWith('.br') && i === 0) data = zlib.brotliDecompressSync(data)
    else break
  }
  return data.toString('utf8') + '\n' + data.toString('latin1')
}

export function scanSite(root: string): ScannedFile[] {
  const files: ScannedFile[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
      const full = path.join(dir, entry.name)
      const name = path.relative(root, full)
      if (entry.isDirectory()) {
        files.push({name: name + '/', text: name.toLowerCase()})
        walk(full)
      } else {
        files.push({name, text: (name + '\n' + decode(fs.readFileSync(full), name)).toLowerCase()})
      }
    }
  }
  walk(root)
  return files
}

/** The canaries found in which files. */
export function findCanaries(files: ScannedFile[], canaries: string[]): Array<{canary: string; file: string}> {
  const hits: Array<{canary: string; file: string}> = []
  for (const canary of canaries) {
    const needle = canary.toLowerCase()
    for (const file of files) if (file.text.includes(needle)) hits.push({canary, file: file.name})
  }
  return hits
}

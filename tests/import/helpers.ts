/** Import a generated form into a scratch content folder, build the site in-process, scan it. */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import type {CliIo} from '../../src/cli/io.js'
import {writeImport} from '../../src/cli/commands/import.js'
import {importDecision, type ImportInput, type ImportResult} from '../../src/import/index.js'
import {verify} from '../../src/verify/index.js'
import {tempDir} from '../helpers/corpus.js'
import {scanSite, type ScannedFile} from '../helpers/scan.js'

export interface Imported {
  content: string
  paper: string
  result: ImportResult
}

/** Convert and write the paper (and its images) into a new content folder. */
export async function importInto(input: Omit<ImportInput, 'now'> & {now?: Date}): Promise<Imported> {
  const content = path.join(tempDir('mopac-import-'), 'content')
  fs.mkdirSync(content)
  const result = await importDecision({now: new Date('2026-01-01T00:00:00Z'), ...input})
  const written = await writeImport(content, result, false)
  return {content, paper: written.paper, result}
}

/**
 * Build the content folder as at `now`, write the site, and read every file
 * of it; `leaks` are what the release's independent leak check finds there.
 */
export async function buildAndScan(content: string, now: Date): Promise<{files: ScannedFile[]; out: string; messages: string[]; leaks: string[]}> {
  const out = path.join(path.dirname(content), `public-${now.getTime()}`)
  const result = await build({content, now, baseUrl: 'https://decisions.example.org/'})
  const messages = [...result.problems, ...result.outcomes.flatMap((outcome) => outcome.messages)].filter((m) => m.fatal).map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`)
  if (!result.ok) return {files: [], out, messages, leaks: []}
  await writeSite(out, result.files!)
  const leaks = (await verify({content, out, now})).hits.map((hit) => `${hit.outputFile}: ${hit.kind} ${hit.match} (${hit.sourceFile}:${hit.line})`)
  return {files: scanSite(out), out, messages, leaks}
}

/** An io for `main()` that records what a command prints. */
export function recordingIo(now = new Date('2026-01-01T00:00:00Z')): CliIo & {out: string; err: string} {
  const io = {out: '', err: '', stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), now: () => now, isTTY: false, env: {}}
  return io
}

/** A zip archive of stored (uncompressed) entries, or deflated ones with `deflate`. */
export function zip(entries: Record<string, string | Buffer>, options: {deflate?: boolean} = {}): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content)
    const stored = options.deflate ? zlib.deflateRawSync(data) : data
    const nameBytes = Buffer.from(name, 'utf8')
    const crc = zlib.crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(options.deflate ? 8 : 0, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(stored.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(options.deflate ? 8 : 0, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(stored.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, stored)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + stored.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(entries).length, 8)
  end.writeUInt16LE(Object.keys(entries).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** Every file under a folder, relative, sorted (to show nothing was written). */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return (fs.readdirSync(dir, {recursive: true, withFileTypes: true}) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
}

/**
 * The filters of words (./filter.ts) the memory keeps: one for each paper's
 * reading (by its id) and one for each output file read (by its digest), in
 * one file of records, `filters.pack`. Each search appends the filters it
 * makes as it makes them; a search with no memory writes a new pack, put in
 * the old one's place when it is found clean; and the pack is written anew
 * with the names in use only when it holds more than twice as many records
 * (or was found torn). Why one file: a first search makes a filter for each
 * paper and each output file (12,000 at 4,000 papers), and a file each cost
 * more to create than the search itself.
 *
 * A record is its name's length (4 bytes, little-endian), the name (UTF-8),
 * the length of the sealed filter (4 bytes) and the sealed filter (its hash
 * of name and bytes, then its bytes: `sealFilter`). The last record of a name
 * is its filter. A filter is used only when its seal holds: one damaged, cut
 * short, or under another name is as one never made (the text is read, and
 * its filter made again).
 *
 * This module imports nothing of the pipeline, like the rest of verify.
 */
import {mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {openFilter, sealFilter} from './filter.js'

const FILE = 'filters.pack'

export class FilterPack {
  /** Records made and not yet written, and their size. */
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Whether this run has written to its file (a new pack is begun by the first write). */
  private started = false
  private appended = 0
  private appendedFrom: number | undefined
  private bytes: Buffer | undefined
  private records: Map<string, [number, number]> | undefined
  /** Whether the file held anything but whole records (then it is written anew). */
  private torn = false

  /**
   * @param dir the memory's folder
   * @param known how many records and bytes the pack held when the memory was written (none: a search with no memory, which writes a new pack)
   */
  constructor(readonly dir: string, private readonly known?: PackSize) {
    this.fresh = known === undefined
  }

  private readonly fresh: boolean

  private get file(): string {
    return path.join(this.dir, FILE)
  }

  /** The file this run writes: the pack itself (appended to), or a new one (`.new`, put in its place by {@link save}). */
  private get target(): string {
    return this.fresh ? `${this.file}.new` : this.file
  }

  /**
   * Keeps the filter of `name`'s text: written as it comes, some 256 KiB at
   * a time (a first search makes one for each paper and each output file,
   * 60,000 at 20,000 papers: too many to hold).
   */
  add(name: string, filter: Uint8Array): void {
    const bytes = record(name, filter)
    this.pending.push(bytes)
    this.pendingBytes += bytes.length
    this.appended++
    if (this.pendingBytes >= 256 * 1024) this.flush()
  }

  private flush(): void {
    if (!this.started) {
      mkdirSync(this.dir, {recursive: true})
      // Where this run's records begin: read apart from what comes before, which may be torn.
      if (!this.fresh) this.appendedFrom = statSync(this.target, {throwIfNoEntry: false})?.size ?? 0
    }
    if (this.pending.length === 0 && this.started) return
    writeFileSync(this.target, Buffer.concat(this.pending), {flag: this.fresh && !this.started ? 'w' : 'a'})
    this.started = true
    this.pending = []
    this.pendingBytes = 0
  }

  /** The filter of `name`'s text as the pack held it when first asked (none made this run), if there is one and it is sound. */
  get(name: string): Uint8Array | undefined {
    const records = this.load()
    const at = records.get(name)
    return at ? openFilter(name, (this.bytes as Buffer).subarray(at[0], at[1])) : undefined
  }

  private load(): Map<string, [number, number]> {
    if (this.records) return this.records
    const records = new Map<string, [number, number]>()
    this.records = records
    if (this.fresh) return records
    let bytes: Buffer
    try {
      bytes = readFileSync(this.file)
    } catch {
      return records
    }
    this.bytes = bytes
    // What came before this run, then what it appended (each whole, or torn).
    const from = this.appendedFrom !== undefined && this.appendedFrom <= bytes.length ? this.appendedFrom : bytes.length
    for (const [start, end] of [[0, from], [from, bytes.length]] as const) {
      if (readRecords(bytes, start, end, records) !== end) this.torn = true
    }
    return records
  }

  /**
   * Ends this run's writing. A new pack (a search with no memory) takes the
   * old one's place. The pack is written anew with the records of `keep`
   * only: when it was found torn; when it is not the size the memory knew
   * (a run that stopped, or was refused, appended records it did not
   * count); or when it holds more than twice as many records as names kept.
   * Returns its size, for the memory.
   */
  save(keep: ReadonlySet<string>): PackSize {
    this.flush()
    if (this.fresh) {
      renameSync(this.target, this.file)
      return {records: this.appended, bytes: statSync(this.file).size}
    }
    const known = this.known as PackSize
    const before = this.appendedFrom ?? statSync(this.file, {throwIfNoEntry: false})?.size ?? 0
    const records = known.records + this.appended
    if (!this.torn && before === known.bytes && records <= 2 * keep.size + 1024) return {records, bytes: statSync(this.file).size}
    // (Read again: what this run appended is in it too.)
    this.records = undefined
    this.torn = false
    this.load()
    const kept: Buffer[] = []
    for (const name of keep) {
      const filter = this.get(name)
      if (filter) kept.push(record(name, filter))
    }
    this.bytes = undefined
    this.records = undefined
    const temp = `${this.file}.new`
    const bytes = Buffer.concat(kept)
    writeFileSync(temp, bytes)
    renameSync(temp, this.file)
    return {records: kept.length, bytes: bytes.length}
  }

  /** Takes back what this run wrote (a search that found something: the memory is not updated, so the pack is left as it was). */
  discard(): void {
    this.pending = []
    this.pendingBytes = 0
    if (!this.started) return
    if (this.fresh) rmSync(this.target, {force: true})
    else truncateSync(this.target, this.appendedFrom)
    this.started = false
    this.appended = 0
  }
}

/** How many records a pack holds, and its size in bytes. */
export interface PackSize {
  records: number
  bytes: number
}

/** Reads the records of bytes[start, end) into `records`; returns where it stopped (`end` when every record was whole). */
function readRecords(bytes: Buffer, start: number, end: number, records: Map<string, [number, number]>): number {
  let at = start
  while (at + 4 <= end) {
    const nameLength = bytes.readUInt32LE(at)
    if (at + 4 + nameLength + 4 > end) break
    const name = bytes.toString('utf8', at + 4, at + 4 + nameLength)
    const from = at + 4 + nameLength + 4
    const to = from + bytes.readUInt32LE(from - 4)
    if (to > end) break
    records.set(name, [from, to])
    at = to
  }
  return at
}

/** A record of the pack: the name's length, the name, the sealed filter's length, the sealed filter. */
function record(name: string, filter: Uint8Array): Buffer {
  const n = Buffer.from(name, 'utf8')
  const sealed = sealFilter(name, filter)
  const out = Buffer.allocUnsafe(8 + n.length + sealed.length)
  out.writeUInt32LE(n.length, 0)
  n.copy(out, 4)
  out.writeUInt32LE(sealed.length, 4 + n.length)
  sealed.copy(out, 8 + n.length)
  return out
}

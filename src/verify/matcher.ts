/**
 * Hash index of secret word sequences, scanned in one pass over a token stream.
 *
 * Tokens are interned to integer ids (tokens never seen in a secret get -1 and
 * act as a break). Every entry (an n-gram, a short phrase, or a single
 * distinctive token) is a `(piece, offset, length)` slice of a secret piece.
 * Entries are keyed by a 32-bit rolling hash of their ids in an
 * open-addressing table; a bitset of all entry-prefix hashes lets the scan stop
 * as soon as the words at a position cannot start any entry. Hash collisions
 * are harmless: candidates are verified id by id.
 */
import type {SecretPiece} from './source.js'

const SEED = 0x2545f491

function mix(h: number, id: number): number {
  h = Math.imul(h ^ (id + 0x7f4a7c15), 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

export interface IndexedPiece {
  piece: SecretPiece
  ids: Int32Array
}

/** Bitset size: ~8 bits per expected prefix, between 8 KiB and 16 MiB. */
function prefixBitsFor(expectedPrefixes: number): number {
  let bits = 1 << 16
  while (bits < expectedPrefixes * 8 && bits < 1 << 27) bits *= 2
  return bits
}

export class SecretIndex {
  readonly vocab: Map<string, number>
  readonly pieces: IndexedPiece[]
  readonly ePiece: number[] = []
  readonly eOff: number[] = []
  readonly eLen: number[] = []
  private readonly next: number[] = []
  // Open-addressing table: hash -> first entry (+1; 0 = empty slot).
  private tKeys = new Int32Array(1 << 12)
  private tHead = new Int32Array(1 << 12)
  private tMask = (1 << 12) - 1
  private tCount = 0
  private readonly prefixBits: Uint32Array
  private readonly prefixMask: number
  readonly lenPresent: boolean[] = []
  maxLen = 0
  excluded: Uint8Array = new Uint8Array(0)

  /**
   * @param expectedPrefixes rough number of (entry, prefix length) pairs, to size the prefix filter
   * @param shared another index whose vocabulary and pieces are shared (e.g. a probe index)
   */
  constructor(expectedPrefixes: number, shared?: SecretIndex) {
    this.vocab = shared ? shared.vocab : new Map<string, number>()
    this.pieces = shared ? shared.pieces : []
    const size = prefixBitsFor(expectedPrefixes)
    this.prefixBits = new Uint32Array(size >>> 5)
    this.prefixMask = size - 1
  }

  addPiece(piece: SecretPiece): number {
    const ids = new Int32Array(piece.tokens.length)
    piece.tokens.forEach((t, i) => {
      let id = this.vocab.get(t)
      if (id === undefined) {
        id = this.vocab.size
        this.vocab.set(t, id)
      }
      ids[i] = id
    })
    this.pieces.push({ piece, ids })
    return this.pieces.length - 1
  }

  private slot(h: number): number {
    let s = Math.imul(h, 0x9e3779b1) & this.tMask
    for (;;) {
      const v = this.tHead[s] as number
      if (v === 0 || this.tKeys[s] === h) return s
      s = (s + 1) & this.tMask
    }
  }

  private grow(): void {
    const oldKeys = this.tKeys
    const oldHead = this.tHead
    const size = oldKeys.length * 2
    this.tKeys = new Int32Array(size)
    this.tHead = new Int32Array(size)
    this.tMask = size - 1
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHead[i] !== 0) {
        const s = this.slot(oldKeys[i] as number)
        this.tKeys[s] = oldKeys[i] as number
        this.tHead[s] = oldHead[i] as number
      }
    }
  }

  /** Adds an entry unless an identical sequence is already indexed. Returns the entry index. */
  addEntry(pieceIdx: number, off: number, len: number): number {
    const ids = (this.pieces[pieceIdx] as IndexedPiece).ids
    const bits = this.prefixBits
    const mask = this.prefixMask
    let h = SEED
    for (let k = 0; k < len; k++) {
      h = mix(h, ids[off + k] as number)
      const b = h & mask
      bits[b >>> 5]! |= 1 << (b & 31)
    }
    let s = this.slot(h)
    for (let e = (this.tHead[s] as number) - 1; e >= 0; e = this.next[e] as number) {
      if (this.eLen[e] === len && this.sameIds(e, ids, off)) return e
    }
    const idx = this.ePiece.length
    this.ePiece.push(pieceIdx)
    this.eOff.push(off)
    this.eLen.push(len)
    if (this.tHead[s] === 0) {
      this.next.push(-1)
      this.tKeys[s] = h
      this.tHead[s] = idx + 1
      if (++this.tCount * 2 > this.tKeys.length) this.grow()
    } else {
      this.next.push((this.tHead[s] as number) - 1)
      this.tHead[s] = idx + 1
    }
    this.lenPresent[len] = true
    if (len > this.maxLen) this.maxLen = len
    return idx
  }

  private sameIds(e: number, ids: Int32Array, off: number): boolean {
    const p = (this.pieces[this.ePiece[e] as number] as IndexedPiece).ids
    const o = this.eOff[e] as number
    const len = this.eLen[e] as number
    for (let k = 0; k < len; k++) if (p[o + k] !== ids[off + k]) return false
    return true
  }

  /** Call once after all entries are added. */
  finish(): void {
    this.excluded = new Uint8Array(this.ePiece.length)
  }

  /** Single-token entries by token id (for the parts of a token joined by `_`): the first entry of each. */
  singles(): Map<number, number> {
    const single = new Map<number, number>()
    for (let e = 0; e < this.ePiece.length; e++) {
      if (this.eLen[e] !== 1) continue
      const id = (this.pieces[this.ePiece[e] as number] as IndexedPiece).ids[this.eOff[e] as number] as number
      if (!single.has(id)) single.set(id, e)
    }
    return single
  }

  /** Converts tokens to ids ('' and unknown tokens become -1). */
  toIds(tokens: readonly string[]): Int32Array {
    const out = new Int32Array(tokens.length)
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as string
      out[i] = t ? (this.vocab.get(t) ?? -1) : -1
    }
    return out
  }

  // For `exclude`: per prefix hash, how many entries not yet excluded have a
  // prefix with that hash. Open addressing over pairs (hash, 1 + count; 0 for
  // an empty slot) in one array, so a look-up reads one place. Made on the
  // first call.
  private counts: Int32Array | undefined
  private cMask = 0
  private cUsed = 0

  /** The pair index (even) of `h`'s slot in `counts`. */
  private cSlot(h: number): number {
    const counts = this.counts as Int32Array
    let s = Math.imul(h, 0x9e3779b1) & this.cMask
    while (counts[2 * s + 1] !== 0 && counts[2 * s] !== h) s = (s + 1) & this.cMask
    return 2 * s
  }

  /** Adds `delta` to the count of each prefix of entry `e`. */
  private countPrefixes(e: number, delta: number): void {
    const ids = (this.pieces[this.ePiece[e] as number] as IndexedPiece).ids
    const start = this.eOff[e] as number
    const len = this.eLen[e] as number
    let h = SEED
    for (let k = 0; k < len; k++) {
      h = mix(h, ids[start + k] as number)
      let s = this.cSlot(h)
      let counts = this.counts as Int32Array
      if (counts[s + 1] === 0) {
        counts[s] = h
        counts[s + 1] = 1
        if (++this.cUsed * 2 > this.cMask + 1) {
          this.growCounts()
          s = this.cSlot(h)
          counts = this.counts as Int32Array
        }
      }
      counts[s + 1] += delta
    }
  }

  private growCounts(): void {
    const old = this.counts as Int32Array
    const slots = (this.cMask + 1) * 2
    this.counts = new Int32Array(slots * 2)
    this.cMask = slots - 1
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue
      const s = this.cSlot(old[i] as number)
      this.counts[s] = old[i] as number
      this.counts[s + 1] = old[i + 1] as number
    }
  }

  /**
   * Marks every entry occurring in `ids` excluded: what `scan` would report,
   * set in `excluded`, but it stops reading on from a position as soon as
   * every entry that begins with the words read so far is excluded already.
   * Why: public text repeats much of the withheld text around it (that is
   * what it is searched for), and reading every entry's whole length at every
   * position of every paper was most of a full leak check's time. A count
   * shared by two prefixes through a hash collision only stops it later.
   */
  exclude(ids: Int32Array): void {
    if (this.counts === undefined) {
      this.counts = new Int32Array(2 << 12)
      this.cMask = (1 << 12) - 1
      for (let e = 0; e < this.ePiece.length; e++) if (!this.excluded[e]) this.countPrefixes(e, 1)
    }
    const count = ids.length
    const maxLen = this.maxLen
    const lenPresent = this.lenPresent
    const excluded = this.excluded
    for (let i = 0; i < count; i++) {
      if ((ids[i] as number) < 0) continue
      let h = SEED
      for (let k = 1; k <= maxLen; k++) {
        const j = i + k - 1
        if (j >= count) break
        const id = ids[j] as number
        if (id < 0) break
        h = mix(h, id)
        if (((this.counts as Int32Array)[this.cSlot(h) + 1] as number) <= 1) break
        if (!lenPresent[k]) continue
        const s = this.slot(h)
        for (let e = (this.tHead[s] as number) - 1; e >= 0; e = this.next[e] as number) {
          if (this.eLen[e] === k && !excluded[e] && this.sameIds(e, ids, i)) {
            excluded[e] = 1
            this.countPrefixes(e, -1)
          }
        }
      }
    }
  }

  /** Drops what `exclude` keeps (its counts), once the public text is read. */
  doneExcluding(): void {
    this.counts = undefined
    this.cMask = 0
    this.cUsed = 0
  }

  /** Calls `onMatch(entry, position)` for every entry occurring in `ids`. */
  scan(ids: Int32Array, onMatch: (entry: number, pos: number) => void): void {
    const count = ids.length
    const maxLen = this.maxLen
    const bits = this.prefixBits
    const mask = this.prefixMask
    const lenPresent = this.lenPresent
    for (let i = 0; i < count; i++) {
      if ((ids[i] as number) < 0) continue
      let h = SEED
      for (let k = 1; k <= maxLen; k++) {
        const j = i + k - 1
        if (j >= count) break
        const id = ids[j] as number
        if (id < 0) break
        h = mix(h, id)
        const b = h & mask
        if (((bits[b >>> 5] as number) & (1 << (b & 31))) === 0) break
        if (!lenPresent[k]) continue
        const s = this.slot(h)
        for (let e = (this.tHead[s] as number) - 1; e >= 0; e = this.next[e] as number) {
          if (this.eLen[e] === k && this.sameIds(e, ids, i)) onMatch(e, i)
        }
      }
    }
  }
}

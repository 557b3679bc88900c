/**
 * A filter of the words of a text (a Bloom filter): it may say a text holds a
 * run of words it does not hold, never the reverse. The memory keeps one for
 * each paper's public text and each output file found clean, so that when a
 * change brings an entry new to the memory (new withheld text), the check
 * reads only the texts that may hold it, not every one (./incremental.ts).
 *
 * What a filter holds is what the search reads, item for item:
 *  - each token, as `tokenIds` in ./text.ts makes it (normalised, lower
 *    case) and each `_`-separated part of one (the single-word check reads
 *    those);
 *  - each pair of tokens next to each other in one text (one stream of
 *    public text, one text of an output file).
 * A run of words occurs in a text only where each of its tokens (one word)
 * or each of its pairs (two or more) does: so a filter that lacks one of
 * them rules the text out, exactly. The tokens are hashed (32 bits, FNV-1a
 * of their UTF-16 code units, as ./text.ts's `VocabLookup` hashes them):
 * two tokens with one hash only make the filter say "maybe" more often.
 *
 * A filter on disk is sealed: its bytes follow the first 16 bytes of the
 * SHA-256 of its name and bytes, so a damaged filter, or one under another
 * name, is not used (the text is read instead).
 *
 * This module imports nothing of the pipeline, like the rest of verify.
 */
import {createHash} from 'node:crypto'

/** Bits a distinct item: about 1% of texts wrongly said to hold one. */
const BITS_PER_ITEM = 10
/** Probes an item. */
const PROBES = 6
const TAG = 16
/** A filter's size in bits and its salt, before its bits. */
const HEAD = 8

/** The hash of a token (FNV-1a of its UTF-16 code units): what the output scan computes of each token it reads. */
export function tokenHash(t: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193)
  return h
}

function fmix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** The item of one token, by its hash. */
export function wordItem(h: number): number {
  return fmix(h ^ 0x3c6ef372)
}

/** The item of two tokens next to each other, by their hashes (not the same as theirs the other way round). */
export function pairItem(a: number, b: number): number {
  return fmix(Math.imul(a, 0x9e3779b1) ^ ((b << 13) | (b >>> 19)) ^ 0x5bd1e995)
}

/** The step between an item's probes (odd). */
function stepOf(item: number): number {
  return ((item >>> 17) | (item << 15)) | 1
}

/** The bit of `bits` a probe `g` reads: its 32 bits scaled to the size (no division). */
function bitOf(g: number, bits: number): number {
  return Math.floor(((g >>> 0) * bits) / 4294967296)
}

/**
 * The items a text must hold to hold the run `tokens`: its token (one word),
 * else its pairs.
 */
export function runItems(tokens: readonly string[]): number[] {
  if (tokens.length === 1) return [wordItem(tokenHash(tokens[0] as string))]
  const items: number[] = []
  let prev = tokenHash(tokens[0] as string)
  for (let i = 1; i < tokens.length; i++) {
    const h = tokenHash(tokens[i] as string)
    items.push(pairItem(prev, h))
    prev = h
  }
  return items
}

/** What a tokenizer gives a filter: the start of a text, each token and each part of one, by hash. */
export interface TokenSink {
  start(): void
  token(h: number): void
  part(h: number): void
}

/**
 * Makes the filter of one text after another: tokens and parts come in
 * (`start` before each text), `finish` gives the filter and begins the next.
 * Its items are kept distinct (the filter is sized by their number).
 */
export class FilterBuilder implements TokenSink {
  private keys = new Int32Array(1 << 12)
  private stamps = new Uint32Array(1 << 12)
  private mask = (1 << 12) - 1
  private stamp = 1
  private items: number[] = []
  private prev = 0
  private first = true

  start(): void {
    this.first = true
  }

  token(h: number): void {
    this.add(wordItem(h))
    if (!this.first) this.add(pairItem(this.prev, h))
    this.prev = h
    this.first = false
  }

  part(h: number): void {
    this.add(wordItem(h))
  }

  /** Adds every token of `streams` (lists of tokens, each a text of its own). */
  streams(streams: Iterable<readonly string[]>): this {
    for (const stream of streams) {
      this.start()
      for (const t of stream) this.token(tokenHash(t))
    }
    return this
  }

  private add(item: number): void {
    let s = item & this.mask
    for (;;) {
      if (this.stamps[s] !== this.stamp) break
      if (this.keys[s] === item) return
      s = (s + 1) & this.mask
    }
    this.stamps[s] = this.stamp
    this.keys[s] = item
    this.items.push(item)
    if (this.items.length * 2 > this.keys.length) this.grow()
  }

  private grow(): void {
    const size = this.keys.length * 2
    this.keys = new Int32Array(size)
    this.stamps = new Uint32Array(size)
    this.mask = size - 1
    this.stamp = 1
    for (const item of this.items) {
      let s = item & this.mask
      while (this.stamps[s] === 1) s = (s + 1) & this.mask
      this.stamps[s] = 1
      this.keys[s] = item
    }
  }

  /**
   * The filter of what came in since the last `finish`: 4 bytes of its size
   * in bits, 4 of its salt, then its bits. The salt (made from its items)
   * sets where each item's bits fall in this filter. Why: with one place for
   * a word in every filter, texts that share most of their words (papers
   * made from the same templates) said "maybe" to the same absent word
   * together: one invented supplier's name was "maybe" in 5% of 4,000
   * papers, not 1%.
   */
  finish(): Uint8Array {
    const items = this.items
    const bits = Math.ceil((items.length * BITS_PER_ITEM) / 32) * 32
    let salt = items.length
    for (const item of items) salt = (salt + item) | 0
    salt = fmix(salt ^ 0x1b873593)
    const filter = new Uint8Array(HEAD + bits / 8)
    const view = new DataView(filter.buffer)
    view.setUint32(0, bits, true)
    view.setInt32(4, salt, true)
    for (const item of items) {
      const g0 = fmix(item ^ salt)
      for (let i = 0, g = g0, step = stepOf(g0); i < PROBES; i++, g = (g + step) | 0) {
        const b = bitOf(g, bits)
        filter[HEAD + (b >>> 3)]! |= 1 << (b & 7)
      }
    }
    this.items = []
    this.first = true
    // (A new stamp clears the set; after 2^32 - 1 texts it is cleared by hand.)
    if (++this.stamp === 0) {
      this.stamps.fill(0)
      this.stamp = 1
    }
    return filter
  }
}

/** Whether the text of `filter` may hold `item`. */
function has(filter: Uint8Array, bits: number, salt: number, item: number): boolean {
  const g0 = fmix(item ^ salt)
  for (let i = 0, g = g0, step = stepOf(g0); i < PROBES; i++, g = (g + step) | 0) {
    const b = bitOf(g, bits)
    if ((filter[HEAD + (b >>> 3)]! & (1 << (b & 7))) === 0) return false
  }
  return true
}

/** Whether the text of `filter` may hold one of the runs whose items are `runs` (see {@link runItems}). */
export function mayHoldAny(filter: Uint8Array, runs: readonly (readonly number[])[]): boolean {
  // (A filter not of this shape says "maybe" to all; a run of no items is in every text.)
  if (filter.length < HEAD) return true
  const view = new DataView(filter.buffer, filter.byteOffset, HEAD)
  const bits = view.getUint32(0, true)
  const salt = view.getInt32(4, true)
  if (bits % 32 !== 0 || filter.length !== HEAD + bits / 8) return true
  for (const items of runs) {
    if (items.length === 0) return true
    // An empty text's filter (no bits) holds nothing.
    if (bits > 0 && items.every((item) => has(filter, bits, salt, item))) return true
  }
  return false
}

function tagOf(name: string, body: Uint8Array): Buffer {
  return createHash('sha256').update(name).update('\0').update(body).digest().subarray(0, TAG)
}

/** `filter` as kept on disk under `name`: sealed by a hash of both. */
export function sealFilter(name: string, filter: Uint8Array): Buffer {
  return Buffer.concat([tagOf(name, filter), filter])
}

/** The filter kept under `name`, if `bytes` are what {@link sealFilter} made of one under that name. */
export function openFilter(name: string, bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < TAG + HEAD) return undefined
  const body = bytes.subarray(TAG)
  if (!Buffer.from(bytes.subarray(0, TAG)).equals(tagOf(name, body))) return undefined
  const bits = new DataView(body.buffer, body.byteOffset, 4).getUint32(0, true)
  if (bits % 32 !== 0 || body.length !== HEAD + bits / 8) return undefined
  return body
}

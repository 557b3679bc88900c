/** Worker thread entry: process a batch of papers (parse, redact, render). */
import {processSource, type PaperInput} from '../publish/process.js'
import type {PaperOutcome} from '../publish/outcome.js'
import {collectIfLarge} from './memory.js'

/** A paper this long leaves its trees (hundreds of MiB for a few MB of text) on the thread's heap. */
const LONG_PAPER = 1_000_000

export default function processBatch(batch: PaperInput[]): PaperOutcome[] {
  const outcomes = batch.map((input) => processSource({...input, bytes: Buffer.from(input.bytes)}))
  // Why: the thread stays alive, idle, while the build goes on (the pool
  // ends idle threads after a minute), and V8 keeps the garbage of a long
  // paper on its heap until it next allocates much: collected now, so the
  // leak check on the main thread does not come on top of it.
  if (batch.some((input) => input.bytes.length > LONG_PAPER)) collectIfLarge(0)
  return outcomes
}

/** Worker thread entry: process a batch of papers (parse, redact, render). */
import {processSource, type PaperInput} from '../publish/process.js'
import type {PaperOutcome} from '../publish/outcome.js'

export default function processBatch(batch: PaperInput[]): PaperOutcome[] {
  return batch.map((input) => processSource({...input, bytes: Buffer.from(input.bytes)}))
}

/**
 * How papers get processed: from the cache when it has them, otherwise parsed
 * and redacted on worker threads (both cores) or, for a few papers, in this
 * thread. Whatever the source of an outcome, each build applies its own
 * `now` through `atInstant`.
 */
import {existsSync} from 'node:fs'
import os from 'node:os'
import {fileURLToPath} from 'node:url'
import {Piscina} from 'piscina'
import type {PaperOutcome, PlainMessage} from '../publish/outcome.js'
import {atInstant, processSource, type PaperInput} from '../publish/process.js'
import {PaperCache, cacheKey} from './cache.js'
import {mapLimit} from './concurrency.js'

export interface ProcessorOptions {
  /** Cache folder; undefined turns the cache off. */
  cacheDir?: string
  /** Worker threads: a number, or false for none (default: one per core). */
  workers?: number | false
  /** Read the cache but never write it (for commands that write nothing). */
  readOnly?: boolean
  /** Called as papers are done (for a progress indicator). */
  onProgress?: (done: number, total: number) => void
  /** Fewest papers to process before starting workers (default 64). */
  workerThreshold?: number
}

export interface ProcessorStats {
  papers: number
  fromCache: number
  processed: number
  warnings: PlainMessage[]
}

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url))

export function createProcessor(options: ProcessorOptions = {}) {
  const cache = options.cacheDir ? new PaperCache(options.cacheDir) : undefined
  const stats: ProcessorStats = {papers: 0, fromCache: 0, processed: 0, warnings: []}

  async function processMisses(inputs: PaperInput[]): Promise<PaperOutcome[]> {
    const threads = options.workers === false ? 0 : options.workers ?? Math.max(1, os.availableParallelism())
    // Workers run the compiled code; under a TypeScript test runner there is none.
    if (threads < 1 || inputs.length < (options.workerThreshold ?? 64) || !existsSync(workerFile)) return inputs.map((input) => processSource(input))
    const pool = new Piscina({filename: workerFile, maxThreads: threads, minThreads: threads, idleTimeout: 100})
    try {
      const size = Math.max(8, Math.ceil(inputs.length / (threads * 8)))
      const batches: PaperInput[][] = []
      for (let i = 0; i < inputs.length; i += size) batches.push(inputs.slice(i, i + size))
      let done = 0
      const results = await Promise.all(
        batches.map(async (batch) => {
          const result = (await pool.run(batch)) as PaperOutcome[]
          done += batch.length
          options.onProgress?.(done, inputs.length)
          return result
        })
      )
      return results.flat()
    } finally {
      await pool.destroy()
    }
  }

  async function processAll(inputs: PaperInput[], now: Date): Promise<PaperOutcome[]> {
    stats.papers += inputs.length
    const outcomes: Array<PaperOutcome | undefined> = new Array(inputs.length)
    const keys = cache ? inputs.map((input) => cacheKey(input, cache.pipelineVersion)) : []
    if (cache) {
      await mapLimit(inputs, 64, async (input, i) => {
        outcomes[i] = await cache.get(input, keys[i])
      })
    }
    const missing = [...inputs.keys()].filter((i) => outcomes[i] === undefined)
    const fresh = await processMisses(missing.map((i) => inputs[i]))
    missing.forEach((i, n) => (outcomes[i] = fresh[n]))
    if (cache && !options.readOnly) await mapLimit(missing, 64, (i) => cache.set(inputs[i], outcomes[i]!, keys[i]))
    stats.fromCache += inputs.length - missing.length
    stats.processed += missing.length
    if (cache) stats.warnings.push(...cache.warnings.splice(0))
    return outcomes.map((outcome) => atInstant(outcome!, now))
  }

  return {processAll, stats}
}

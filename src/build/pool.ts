/**
 * How papers get processed: from the cache when it has them, otherwise parsed
 * and redacted on worker threads (both cores) or, for a few papers, in this
 * thread. Whatever the source of an outcome, each build applies its own
 * `now` through `atInstant`.
 */
import {existsSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
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
  /** Never read the cache: process every paper afresh, and store what it makes (`--no-cache`). */
  fresh?: boolean
  /** Called as papers are done (for a progress indicator). */
  onProgress?: (done: number, total: number) => void
  /** Fewest papers to process before starting workers (default 1: always, so the budget holds). */
  workerThreshold?: number
  /** Time budget for one paper, in ms (default 20,000); enforced on worker threads. */
  paperTimeoutMs?: number
  /** A stored body found damaged is made again from the bytes given, not the paper read again (see `PaperCache`). */
  holdSources?: boolean
  /**
   * End the worker threads once the papers are processed (a command that
   * processes papers once, then renders and checks the site). Why: an idle
   * thread keeps its heap, garbage included, until it ends (a minute
   * later): about 450 MB at 20,000 papers, held through the rendering and
   * the leak check, which is where a build's memory peaks.
   */
  endThreads?: boolean
  /**
   * Start a worker thread now, before the papers are read (a command's
   * processor). Why: a thread takes about half a second to load the
   * pipeline; started when the first paper not in the cache is found, after
   * every paper is read, that half second was on the path of every one-paper
   * build (a third of a second idle at 4,000 papers). Started here, it loads
   * on the other core while this one reads the papers.
   */
  warm?: boolean
}

/** The default time budget for processing one paper. */
export const PAPER_TIMEOUT_MS = 20_000

export interface ProcessorStats {
  papers: number
  fromCache: number
  processed: number
  warnings: PlainMessage[]
}

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url))

let shared: {pool: Piscina; threads: number; warming?: Promise<void>} | undefined
/** Calls of `processAll` under way in this process, of any processor (the threads are shared). */
let processing = 0

/**
 * The worker threads, shared by every build in this process. Why: starting a
 * thread loads the whole pipeline (about half a second of two cores), which
 * was most of a small build's time, paid again by each build in a test run or
 * a long-lived preview. Idle threads are unreferenced by Piscina, so they
 * never keep the process alive, and end after a minute unused, or as soon
 * as a command's papers are processed (`endThreads`). A thread stopped at a
 * paper's budget is replaced by the pool.
 */
function workerPool(threads: number): Piscina {
  if (shared?.threads !== threads) {
    void shared?.pool.destroy()
    shared = {pool: new Piscina({filename: workerFile, maxThreads: threads, minThreads: 0, idleTimeout: 60_000}), threads}
  }
  return shared.pool
}

/** How many worker threads are running now (for tests). */
export function runningWorkerThreads(): number {
  return shared?.pool.threads.length ?? 0
}

/**
 * End the shared worker threads now, unless other processing in this
 * process is still using them (the next processing starts new ones). Why
 * the check: two builds in one process (a library user, a test) share the
 * threads, and the first to finish ended them under the other, whose build
 * then failed (a sixth red team's finding; nothing was published).
 */
async function endWorkerPool(): Promise<void> {
  if (processing > 0) return
  const ending = shared
  shared = undefined
  await ending?.pool.destroy()
}

export function createProcessor(options: ProcessorOptions = {}) {
  const cache = options.cacheDir ? new PaperCache(options.cacheDir, undefined, {holdSources: options.holdSources, readOnly: options.readOnly}) : undefined
  const stats: ProcessorStats = {papers: 0, fromCache: 0, processed: 0, warnings: []}
  if (options.warm && options.workers !== false && existsSync(workerFile)) {
    // An empty batch: the thread loads the pipeline, processes nothing, and waits for work.
    const pool = workerPool(options.workers ?? Math.max(1, os.availableParallelism()))
    // (Settles however it ends: the first batch waits for it, below. A
    // thread that has not loaded within a paper's budget is stopped, and
    // the first batch goes to a new one.)
    if (shared && !shared.warming) shared.warming = pool.run([], {signal: AbortSignal.timeout(PAPER_TIMEOUT_MS)}).then(() => undefined, () => undefined)
  }
  /** The cache keys of every paper this processor was given. */
  const used = new Set<string>()

  /**
   * What becomes of a paper just processed: stored in the cache (unless it
   * was stopped at its budget: the next run tries it again), and given back
   * with its body read from there when asked for, so a build that processes
   * every paper holds no body it is not using.
   */
  let unwritable = false
  const keep = async (input: PaperInput, outcome: PaperOutcome, key: string | undefined): Promise<PaperOutcome> => {
    if (!cache || options.readOnly || unwritable || key === undefined || outcome.messages.some((m) => m.ruleId === 'paper-timeout')) return outcome
    try {
      return await cache.set(input, outcome, key)
    } catch (error) {
      // A cache that cannot be written (a folder owned by another user, a
      // full disk) costs only speed: this run holds its papers whole instead.
      if (unwritable) return outcome
      unwritable = true
      stats.warnings.push({reason: `The cache \`${cache.dir}\` cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): this run goes on without storing papers in it; fix its permissions or remove it`, fatal: false, ruleId: 'cache-unwritable'})
      return outcome
    }
  }

  async function processMisses(inputs: PaperInput[], keys: string[]): Promise<PaperOutcome[]> {
    const threads = options.workers === false ? 0 : options.workers ?? Math.max(1, os.availableParallelism())
    const keyOf = new Map(inputs.map((input, i) => [input, keys[i]]))
    // Workers run the compiled code; under a TypeScript test runner there is none.
    if (threads < 1 || inputs.length === 0 || inputs.length < (options.workerThreshold ?? 1) || !existsSync(workerFile)) {
      const outcomes: PaperOutcome[] = []
      for (const input of inputs) outcomes.push(await keep(input, processSource(input), keyOf.get(input)))
      return outcomes
    }
    // Why: papers are processed off the main thread, so a paper that takes too
    // long is stopped at its budget, and SIGTERM or SIGINT (a cron `timeout`)
    // is handled at once instead of after the paper.
    const budget = options.paperTimeoutMs ?? PAPER_TIMEOUT_MS
    const count = Math.min(threads, inputs.length)
    const pool = workerPool(threads)
    // Why wait for the warm thread: its empty batch is sent only when this
    // thread's event loop turns, which a command reading every paper
    // synchronously does not let happen before the first batch is sent.
    // The batch then found the warm thread busy with the empty one, and
    // Piscina started a second thread for it: the one-paper edit waited a
    // third of a second for that thread to load the pipeline, while the
    // warm thread sat idle (seen in a CPU profile of each thread).
    await shared?.warming
    // A batch may take its papers' share of the budget: one budget each, at most 4.
    const run = async (batch: PaperInput[]): Promise<PaperOutcome[]> => {
      try {
        return (await pool.run(batch, {signal: AbortSignal.timeout(budget * Math.min(batch.length, 4))})) as PaperOutcome[]
      } catch (error) {
        if ((error as Error)?.name !== 'AbortError' && (error as Error)?.name !== 'TimeoutError') throw error
        // The batch ran out of time: run its papers one at a time to find which.
        if (batch.length > 1) {
          const one: PaperOutcome[] = []
          for (const input of batch) one.push(...(await run([input])))
          return one
        }
        return [timedOut(batch[0], budget)]
      }
    }
    const size = Math.max(1, Math.min(64, Math.ceil(inputs.length / (count * 8))))
    const batches: PaperInput[][] = []
    for (let i = 0; i < inputs.length; i += size) batches.push(inputs.slice(i, i + size))
    let done = 0
    // Why: no more batches in flight than threads, so a batch's budget runs
    // while it is processed, not while it waits in the queue.
    const results = await mapLimit(batches, count, async (batch) => {
      const made = await run(batch)
      done += batch.length
      options.onProgress?.(done, inputs.length)
      // Stored once the thread has its next batch (it does not wait for the disk).
      const stored = new Promise<void>((resolve) => setImmediate(resolve)).then(() => Promise.all(made.map((outcome, k) => keep(batch[k], outcome, keyOf.get(batch[k])))))
      stored.catch(() => {})
      return {stored}
    })
    return (await Promise.all(results.map((result) => result.stored))).flat()
  }

  async function processAll(inputs: PaperInput[], now: Date): Promise<PaperOutcome[]> {
    processing++
    let outcomes: PaperOutcome[]
    try {
      outcomes = await processEach(inputs, now)
    } finally {
      processing--
    }
    if (options.endThreads) await endWorkerPool()
    return outcomes
  }

  async function processEach(inputs: PaperInput[], now: Date): Promise<PaperOutcome[]> {
    stats.papers += inputs.length
    const outcomes: Array<PaperOutcome | undefined> = new Array(inputs.length)
    const keys = cache ? inputs.map((input) => cacheKey(input, cache.pipelineVersion)) : []
    for (const key of keys) used.add(key)
    // The papers the cache does not have start on the workers while the
    // others are read from it; an entry that turns out unreadable follows.
    const stored = inputs.map((_, i) => (!options.fresh && cache?.has(keys[i])) ?? false)
    const absent = [...inputs.keys()].filter((i) => !stored[i])
    const early = processMisses(absent.map((i) => inputs[i]), absent.map((i) => keys[i]))
    // (Awaited below; a failure meanwhile is not an unhandled rejection.)
    early.catch(() => {})
    if (cache) {
      await mapLimit(
        absent.length === inputs.length ? [] : [...inputs.keys()].filter((i) => stored[i]),
        64,
        async (i) => {
          outcomes[i] = await cache.get(inputs[i], keys[i])
        }
      )
    }
    const unreadable = [...inputs.keys()].filter((i) => stored[i] && outcomes[i] === undefined)
    ;(await early).forEach((outcome, n) => (outcomes[absent[n]] = outcome))
    ;(await processMisses(unreadable.map((i) => inputs[i]), unreadable.map((i) => keys[i]))).forEach((outcome, n) => (outcomes[unreadable[n]] = outcome))
    const missing = [...absent, ...unreadable]
    stats.fromCache += inputs.length - missing.length
    stats.processed += missing.length
    if (cache) stats.warnings.push(...cache.warnings.splice(0))
    return outcomes.map((outcome) => atInstant(outcome!, now))
  }

  /**
   * Remove the cache entries no run of this processor used (papers since
   * edited or removed, other versions of the code), once it has written new
   * ones: the cache holds what the content folder makes now, and does not
   * grow with every edit and upgrade; and write the index of those it used.
   * Call it after a run that succeeded.
   * Files being written (`.tmp`) younger than an hour are left.
   */
  async function prune(): Promise<number> {
    if (!cache || options.readOnly || used.size === 0) return 0
    // The index of this run's entries, read in one file by the next (./cache.ts).
    try {
      cache.saveIndex(used, {fresh: options.fresh})
    } catch {
      // Only speed depends on it: the next run reads the entries' files.
    }
    if (stats.processed === 0) return 0
    let removed = 0
    const dirs = await fs.readdir(cache.dir, {withFileTypes: true}).catch(() => [])
    for (const dir of dirs) {
      if (!dir.isDirectory() || !/^[0-9a-f]{2}$/.test(dir.name)) continue
      const folder = path.join(cache.dir, dir.name)
      for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
        const file = path.join(folder, name)
        const key = /^([0-9a-f]{64})(?:\.body)?\.json$/.exec(name)?.[1]
        const stale = key ? !used.has(key) : name.endsWith('.tmp') && Date.now() - ((await fs.stat(file).catch(() => undefined))?.mtimeMs ?? Date.now()) > 3_600_000
        if (!stale) continue
        await fs.rm(file, {force: true})
        removed++
      }
    }
    return removed
  }

  return {processAll, prune, stats}
}

/** The outcome of a paper stopped at its time budget: an error naming it. */
function timedOut(input: PaperInput, budget: number): PaperOutcome {
  return {
    path: input.path,
    relativePath: input.relativePath,
    status: 'invalid',
    messages: [{reason: `Processing this paper took longer than its time budget (${budget / 1000} s), so it was stopped and nothing was published. Split it, or simplify deeply nested or very long structures; --paper-timeout sets the budget`, line: 1, column: 1, fatal: true, ruleId: 'paper-timeout'}],
    redactions: [],
    exemptions: [],
    assetRefs: []
  }
}

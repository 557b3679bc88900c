/** Flags shared by several commands, and their parsing. */
import path from 'node:path'
import {build} from '../build/build.js'
import type {ApprovalCheck} from '../publish/decide.js'
import {createProcessor} from '../build/pool.js'
import {parseNow} from '../time/london.js'
import {readLog} from '../release/log.js'
import {collectIfLarge} from '../build/memory.js'
import {verify} from '../verify/index.js'
import {UsageError, type CliIo} from './io.js'

export const contentOption = {content: {type: 'string', default: 'content'}} as const
export const outOption = {out: {type: 'string', default: 'public'}} as const
export const nowOption = {now: {type: 'string'}} as const
export const stateOption = {state: {type: 'string', default: '.mopac'}} as const
export const jsonOption = {json: {type: 'boolean', default: false}} as const
export const baseUrlOption = {'base-url': {type: 'string'}} as const
export const noCacheOption = {'no-cache': {type: 'boolean', default: false}} as const
export const paperTimeoutOption = {'paper-timeout': {type: 'string'}} as const
export const allowFutureNowOption = {'allow-future-now': {type: 'boolean', default: false}} as const

/** How far ahead of the clock `--now` may be on a live site without --allow-future-now. */
export const FUTURE_NOW_SLACK_MS = 5 * 60_000

/**
 * Refuse a `--now` ahead of the real time on a live site (one with a release
 * log) unless --allow-future-now is given.
 * Why: building a live site as at a later instant publishes deferred papers
 * early; a mistyped date must not do that by accident.
 */
export async function guardFutureNow(values: Record<string, unknown>, now: Date, io: CliIo, command: string): Promise<void> {
  if (values['allow-future-now'] || values['dry-run'] || now.getTime() - io.now().getTime() <= FUTURE_NOW_SLACK_MS) return
  const log = await readLog((values.state as string | undefined) ?? '.mopac')
  if (log.length === 0) return
  throw new UsageError(`--now ${now.toISOString()} is ahead of the real time (${io.now().toISOString()}) and ${String(values.state ?? '.mopac')}/ holds a release log, so this is a live site: \`${command}\` would publish deferred papers early. Use a scratch --out and --state to look ahead, \`--dry-run\`, \`mopac schedule\` or \`mopac preview --at\`; give --allow-future-now only if publishing early is meant`)
}

/** `--paper-timeout SECONDS`: the time budget for processing one paper. */
function paperTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined
  const seconds = Number(value)
  // (Under a millisecond would be a budget of none: every paper refused.)
  if (!Number.isFinite(seconds) || seconds < 0.001 || seconds > 3600) throw new UsageError(`Invalid --paper-timeout \`${String(value)}\`: give the seconds one paper may take, e.g. 20`)
  return Math.round(seconds * 1000)
}

/** The paper processor for a command: cached under <state>/cache unless --no-cache. */
export function processorFor(values: Record<string, unknown>, readOnly = false, io?: CliIo) {
  const state = (values.state as string | undefined) ?? '.mopac'
  const started = performance.now()
  let shown = false
  // On a terminal, runs over about a second show how far the processing is.
  const onProgress = io?.isTTY
    ? (done: number, total: number) => {
        if (performance.now() - started < 1000 && !shown) return
        shown = true
        io.stderr(`\rProcessing papers: ${done}/${total}${done === total ? '\n' : ''}`)
      }
    : undefined
  // --no-cache reads nothing from the cache; what it makes is stored anew (and
  // lets a build of every paper hold no paper's body it is not using). A
  // command processes its papers once: its threads end when they are done.
  return createProcessor({cacheDir: path.join(state, 'cache'), fresh: Boolean(values['no-cache']), readOnly, onProgress, paperTimeoutMs: paperTimeout(values['paper-timeout']), endThreads: true, warm: !readOnly})
}

/** `--now` or the clock. */
export function resolveNow(value: string | undefined, io: CliIo, flag = '--now'): Date {
  if (value === undefined) return io.now()
  const parsed = parseNow(value)
  if (!parsed.ok) throw new UsageError(`Invalid ${flag} \`${value}\`: ${parsed.reason}`)
  return parsed.value
}

export function resolveBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`Invalid --base-url \`${value}\`: give an absolute URL such as https://decisions.example.org/`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`Invalid --base-url \`${value}\`: use http or https`)
  return url.href.endsWith('/') ? url.href : url.href + '/'
}

/** Read and check every paper without rendering or writing (check, schedule): the cache is read, never written. */
export async function checkAll(values: Record<string, unknown>, content: string, now: Date, approval?: ApprovalCheck) {
  const processor = processorFor(values, true)
  const result = await build({content, now, render: false, processAll: processor.processAll, approval})
  result.problems.push(...processor.stats.warnings)
  return result
}

/**
 * verify's memory for a build or release (`<state>/verify`, see
 * src/verify/incremental.ts): files found clean before are searched only for
 * what has become secret since. `--no-cache` reads none of it and searches
 * every file in full, and (found clean) leaves a new memory for the next
 * build, as it stores every paper in the cache anew.
 */
export function verifyMemory(state: string, values: Record<string, string | boolean | undefined>): {memory: string; fresh: boolean} {
  return {memory: path.join(state, 'verify'), fresh: values['no-cache'] === true}
}

/**
 * The leak check a build or release runs on its staged site, with verify's
 * memory (above). Its index is garbage once it returns: collected (when
 * large) before the record of published papers is written, see
 * src/build/memory.ts.
 */
export function leakCheck(content: string, now: Date, state: string, values: Record<string, string | boolean | undefined>): (staged: string) => Promise<Awaited<ReturnType<typeof verify>>['hits']> {
  return async (staged) => {
    const {hits} = await verify({content, out: staged, now, ...verifyMemory(state, values)})
    collectIfLarge()
    return hits
  }
}

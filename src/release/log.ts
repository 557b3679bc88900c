/**
 * The release log: JSON Lines under --state (never under --out), one entry
 * per paper released or withdrawn. Appended, never rewritten. A line torn by
 * a crash mid-append is ignored when read and repaired on the next append.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {PublicationDates} from '../publish/types.js'

export const LOG_NAME = 'releases.jsonl'

/**
 * `released`: the paper became public in this run, at `at`.
 * `baseline`: the paper was already on the live site when the log first saw
 * it (published before the log existed, or by a plain `mopac build`); when it
 * first went public is unknown, so pages show its decision date.
 * `withdrawn`: the paper left the site in this run (re-deferred, reclassified
 * or deleted).
 */
export interface ReleaseEntry {
  event: 'released' | 'baseline' | 'withdrawn'
  id: string
  slug: string
  title: string
  /** When the paper was due (its deferral instant), or null when never deferred. */
  dueAt: string | null
  /** When this run released (or withdrew) it: the run's --now. */
  at: string
  /** SHA-256 of the public Markdown (released entries). */
  sha256?: string
  /** The build that did it. */
  buildId: string
}

/**
 * `held`: a paper with an error was held back in this run (left out, or kept
 * as last published when live). Logged on every run that holds it; readers
 * of the release history skip it.
 */
export interface HeldEntry {
  event: 'held'
  file: string
  id: string | null
  slug: string | null
  /** Whether the live site keeps its last published version. */
  live: boolean
  /** The first error: where and what. */
  line: number
  column: number
  ruleId: string | null
  reason: string
  at: string
}

export function logPath(state: string): string {
  return path.join(state, LOG_NAME)
}

/** Every complete entry of the log (none when there is no log). */
export async function readLog(state: string): Promise<ReleaseEntry[]> {
  let text: string
  try {
    text = await fs.readFile(logPath(state), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const entries: ReleaseEntry[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const entry = JSON.parse(line) as ReleaseEntry
      if (entry && ['released', 'baseline', 'withdrawn'].includes(entry.event) && typeof entry.slug === 'string') entries.push(entry)
    } catch {
      // A torn line from a run killed mid-append: the next run writes it again.
    }
  }
  return entries
}

/** Which slugs the log says are currently released. */
export function currentlyReleased(entries: ReleaseEntry[]): Map<string, ReleaseEntry> {
  const live = new Map<string, ReleaseEntry>()
  for (const entry of entries) {
    if (entry.event !== 'withdrawn') live.set(entry.slug, entry)
    else live.delete(entry.slug)
  }
  return live
}

/**
 * First-published dates for pages, once a log exists: the first release of
 * each public paper, or its decision date when it was public before the log
 * saw it. Without a log, none (pages show no first-published date).
 */
export function publicationDates(entries: ReleaseEntry[], papers: Array<{slug: string; date: string}>): PublicationDates {
  const firstPublished: Record<string, string> = {}
  if (entries.length === 0) return {firstPublished}
  const released = new Map<string, string>()
  for (const entry of entries) {
    if (entry.event === 'released' && !released.has(entry.slug)) released.set(entry.slug, entry.at)
  }
  for (const paper of papers) firstPublished[paper.slug] = released.get(paper.slug) ?? paper.date
  return {firstPublished}
}

/**
 * Append entries in one write. If the file ends in a torn line, end it first
 * so the new entries start on a line of their own.
 */
export async function appendLog(state: string, entries: Array<ReleaseEntry | HeldEntry>): Promise<void> {
  if (entries.length === 0) return
  await fs.mkdir(state, {recursive: true})
  const file = logPath(state)
  let prefix = ''
  try {
    const handle = await fs.open(file, 'r')
    try {
      const {size} = await handle.stat()
      if (size > 0) {
        const last = Buffer.alloc(1)
        await handle.read(last, 0, 1, size - 1)
        if (last[0] !== 0x0a) prefix = '\n'
      }
    } finally {
      await handle.close()
    }
  } catch {}
  const handle = await fs.open(file, 'a')
  try {
    await handle.write(prefix + entries.map((e) => JSON.stringify(e)).join('\n') + '\n')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

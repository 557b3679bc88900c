/**
 * Shared by the red teams' attacks on kept pages and the leak check's memory
 * (keep-and-memory.test.ts, keep-and-memory-2.test.ts): a content folder,
 * papers, the release job run in-process with its cache, memory and manifest,
 * and files rewritten in place with their times set back.
 */
import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import {createRequire, syncBuiltinESMExports} from 'node:module'
import path from 'node:path'
import {createProcessor} from '../../src/build/pool.js'
import type {SiteConfig} from '../../src/config/types.js'
import {release, type ReleaseResult} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {expect} from 'vitest'
import {snapshot} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

export const T0 = new Date('2026-06-01T12:00:00Z')
export const T1 = new Date('2026-10-01T12:00:00Z')
export const T2 = new Date('2026-12-02T12:00:00Z')

export type Stage = 'staged' | 'verified' | 'swapping' | 'mid-swap' | 'swapped' | 'appending'

export interface Ctx {
  root: string
  content: string
  out: string
  state: string
}

export function setup(papers: Record<string, string>, prefix = 'mopac-keep-'): Ctx {
  const root = tempDir(prefix)
  const ctx = {root, content: path.join(root, 'content'), out: path.join(root, 'public'), state: path.join(root, 'state')}
  fs.mkdirSync(ctx.content)
  write(ctx, papers)
  return ctx
}

/** Write (or, for null, remove) files of the content folder. */
export function write(ctx: Ctx, papers: Record<string, string | Buffer | null>): void {
  for (const [name, text] of Object.entries(papers)) {
    const file = path.join(ctx.content, name)
    if (text === null) fs.rmSync(file, {force: true})
    else {
      fs.mkdirSync(path.dirname(file), {recursive: true})
      fs.writeFileSync(file, text)
    }
  }
}

export interface PaperOpts {
  title?: string
  fm?: string
  summary?: string
  date?: string
}
export function paper(n: number, body: string, o: PaperOpts = {}): string {
  const date = o.date ?? `2026-01-${String(10 + (n % 18)).padStart(2, '0')}`
  return `---\nid: PCD ${n}\ntitle: ${o.title ?? `Decision ${n} on estates`}\ndate: "${date}"\nclassification: OFFICIAL\nsummary: ${o.summary ?? `Summary of decision ${n}.`}\n${o.fm ?? ''}---\n\n${body}\n`
}
export const withheld = (text: string) => `:::official-sensitive{exemptions="s43"}\n${text}\n:::`
export const deferredUntil = (until: string) => `deferral:\n  until: "${until}"\n  reason: Market engagement\n`
export const withdrawnFm = 'withdrawn:\n  date: "2026-05-01"\n  explanation: Published in error.\n'

export const OK = ['released', 'nothing-due', 'held']

export interface RunOpts {
  now?: Date
  /** Another content folder (an older checkout) instead of `ctx.content`. */
  content?: string
  state?: string
  out?: string
  /** `--no-cache`: no cache, no manifest, no verify memory. */
  force?: boolean
  /** All or nothing (`mopac build`) rather than holding broken papers (the release job). */
  strict?: boolean
  /** Prune the cache after the run, as the commands do. */
  prune?: boolean
  baseUrl?: string
  config?: SiteConfig
  /** Runs inside the build, after the live site's manifest was read. */
  hook?: () => Promise<void> | void
  /** Stop the run at this stage, as a SIGKILL there would (it throws). */
  killAt?: Stage
  /** Runs at these stages (before any kill). */
  at?: Partial<Record<Stage, () => void>>
}

/** The release job, in-process, with its cache, the leak check's memory and the site manifest. */
export async function runRelease(ctx: Ctx, o: RunOpts): Promise<ReleaseResult> {
  const now = o.now ?? T0
  const state = o.state ?? ctx.state
  const content = o.content ?? ctx.content
  const processor = createProcessor({cacheDir: o.force ? undefined : path.join(state, 'cache'), workers: false})
  return release({
    content,
    out: o.out ?? ctx.out,
    state,
    now,
    baseUrl: o.baseUrl,
    config: o.config,
    strict: o.strict,
    force: o.force,
    afterRun: o.prune ? processor.prune : undefined,
    onStage: (stage) => {
      o.at?.[stage]?.()
      if (stage === o.killAt) throw new Error(`killed at ${stage}`)
    },
    processAll: async (inputs, at) => {
      if (o.hook) await o.hook()
      return processor.processAll(inputs, at)
    },
    verify: async (staged) => (await verify({content, out: staged, now, memory: o.force ? undefined : path.join(state, 'verify')})).hits
  })
}

/** Rewrite a file in place: same inode, and (with `keepTimes`) its times set back to the nanosecond (`touch -r`). */
export function rewriteInPlace(file: string, text: string, keepTimes: boolean): void {
  const ref = `${file}.times-ref`
  if (keepTimes) execFileSync('touch', ['-r', file, ref])
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, text, 0)
  fs.closeSync(fd)
  if (keepTimes) {
    execFileSync('touch', ['-r', ref, file])
    fs.rmSync(ref)
  }
}

/** The same length as `text`, with `word` written over its middle (after `<main` when there is one). */
export function sameSize(text: string, word: string): string {
  const at = text.indexOf('<main')
  const start = at > 0 ? at + 10 : Math.floor(text.length / 2)
  return text.slice(0, start) + ` ${word} ` + text.slice(start + word.length + 2)
}

/** The site a cold build makes of the same content, at the same instant, with the same release log. */
export async function coldSite(ctx: Ctx, now: Date, content?: string, state = ctx.state): Promise<Record<string, string>> {
  const id = randomBytes(4).toString('hex')
  const cold = {out: path.join(ctx.root, `cold-${id}`), state: path.join(ctx.root, `cold-state-${id}`)}
  fs.mkdirSync(cold.state)
  if (fs.existsSync(path.join(state, 'releases.jsonl'))) fs.copyFileSync(path.join(state, 'releases.jsonl'), path.join(cold.state, 'releases.jsonl'))
  expect(OK).toContain((await runRelease(ctx, {now, ...cold, force: true, content})).status)
  const site = snapshot(cold.out)
  fs.rmSync(cold.out, {recursive: true, force: true})
  fs.rmSync(cold.state, {recursive: true, force: true})
  return site
}

const nodeFs = createRequire(import.meta.url)('node:fs') as typeof fs

/** Patch a function of node:fs for the ES module bindings too (the code under test imports them by name). */
export function patchFs<K extends keyof typeof fs>(name: K, make: (orig: (typeof fs)[K]) => (typeof fs)[K]): () => void {
  const orig = nodeFs[name]
  ;(nodeFs as Record<string, unknown>)[name] = make(orig)
  syncBuiltinESMExports()
  return () => {
    ;(nodeFs as Record<string, unknown>)[name] = orig
    syncBuiltinESMExports()
  }
}

export {spareExtras} from '../helpers/spare.js'

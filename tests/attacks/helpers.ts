/**
 * Attack helpers: temporary content folders, an in-process build, a canary
 * scan of every output file (gzip/brotli decompressed, Pagefind's headered
 * gzip too, file names included) and the independent leak check.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import {expect} from 'vitest'
import {build, type BuildResult} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {tempDir} from '../helpers/corpus.js'

export const BASE = 'https://example.org/'
export const NOW = new Date('2025-01-01T00:00:00Z')

/** A paper; `extra` is YAML lines, each ending in \n. */
export const paper = (id: string, extra = '', body = 'Public body.\n', title = `Title ${id}`) =>
  `---\nid: ${id}\ntitle: ${title}\ndate: "2024-06-20"\nclassification: OFFICIAL\n${extra}---\n\n${body}`

/** Write `files` (path -> text or bytes) into a new content folder. */
export function content(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('mopac-attack-')
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true})
    fs.writeFileSync(path.join(dir, rel), data)
  }
  return dir
}

export async function buildAt(dir: string, now = NOW): Promise<BuildResult> {
  return build({content: dir, now, baseUrl: BASE})
}

/** Every error rule id of a build. */
export function buildErrors(result: Pick<BuildResult, 'outcomes' | 'problems'>): string[] {
  return [...result.problems, ...result.outcomes.flatMap((o) => o.messages)].filter((m) => m.fatal).map((m) => m.ruleId ?? m.reason)
}

function decode(bytes: Buffer): string {
  let data = bytes
  for (let i = 0; i < 3; i++) {
    const at = data.indexOf(Buffer.from([0x1f, 0x8b]))
    if (at >= 0 && at < 64) data = zlib.gunzipSync(data.subarray(at))
    else break
  }
  return data.toString('utf8') + '\n' + data.toString('latin1')
}

/** The canaries found in the in-memory site, as `canary@file`. */
export function canariesIn(files: Map<string, string | Uint8Array> | undefined, canaries: string[]): string[] {
  const hits: string[] = []
  for (const [name, value] of files ?? []) {
    const text = (name + '\n' + (typeof value === 'string' ? value : decode(Buffer.from(value)))).toLowerCase()
    for (const c of canaries) if (text.includes(c.toLowerCase())) hits.push(`${c}@${name}`)
  }
  return hits
}

/** The build must be refused with each rule id in `ruleIds`. */
export function expectRefused(result: BuildResult, ...ruleIds: string[]): void {
  const describe = `ok ${result.ok}, errors ${JSON.stringify(buildErrors(result))}`
  expect(result.ok, describe).toBe(false)
  expect(result.files, describe).toBeUndefined()
  for (const id of ruleIds) expect(buildErrors(result), describe).toContain(id)
}

/** Either way, no canary is in any output file. */
export function expectNoCanary(result: BuildResult, canaries: string[]): void {
  expect(canariesIn(result.files, canaries)).toEqual([])
}

/** Build, write the site to a folder and run the independent leak check on it. */
export async function buildAndVerify(dir: string, now = NOW) {
  const result = await buildAt(dir, now)
  expect(result.ok, JSON.stringify(buildErrors(result))).toBe(true)
  const out = path.join(tempDir('mopac-attack-out-'), 'site')
  await writeSite(out, result.files!)
  const checked = await verify({content: dir, out, now})
  return {result, out, hits: checked.hits}
}

export function releaseAt(dir: string, now: Date) {
  const root = tempDir('mopac-attack-rel-')
  const out = path.join(root, 'site')
  const state = path.join(root, 'state')
  return release({content: dir, out, state, now, baseUrl: BASE, verify: async (staged) => (await verify({content: dir, out: staged, now})).hits}).then((r) => ({...r, out, state}))
}

import fs from 'node:fs'
import path from 'node:path'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'
import {expectBuildOk} from '../redteam/helpers.js'
import {tempCorpus} from '../redteam2/helpers.js'

export const BASE = 'https://example.org/'
export const NOW = new Date('2026-11-25T12:00:00Z')

/** The same temporary corpus as round 2's. */
export const corpus = tempCorpus

/** A paper; `extra` is YAML lines (each ending in \n). */
export const paper = (id: string, extra = '', body = 'Public body.\n', date = '2024-05-01') =>
  `---\nid: ${id}\ntitle: Title ${id}\ndate: "${date}"\nclassification: OFFICIAL\n${extra}---\n${body}`

export async function buildAt(content: string, now = NOW) {
  return build({content, now, baseUrl: BASE})
}

/** Build, which must succeed (with no error), and write the site to `out`. */
export async function buildWrite(content: string, out: string, now = NOW) {
  const result = await buildAt(content, now)
  expectBuildOk(result)
  await writeSite(out, result.files!)
  return result
}

export function releaseAt(c: {content: string; out: string; state: string}, now: Date, extra: Partial<Parameters<typeof release>[0]> = {}) {
  return release({content: c.content, out: c.out, state: c.state, now, baseUrl: BASE, verify: async (staged) => (await verify({content: c.content, out: staged, now})).hits, ...extra})
}

export const read = (file: string) => fs.readFileSync(file, 'utf8')
export const logLines = (state: string) => (fs.existsSync(path.join(state, 'releases.jsonl')) ? read(path.join(state, 'releases.jsonl')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [])

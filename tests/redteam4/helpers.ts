import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {release} from '../../src/release/release.js'
import {verify} from '../../src/verify/index.js'

export const BASE = 'https://example.org/'
export const NOW = new Date('2026-11-25T12:00:00Z')

export function corpus(files: Record<string, string | Buffer>): {dir: string; content: string; out: string; state: string} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-rt4-'))
  const content = path.join(dir, 'content')
  fs.mkdirSync(content, {recursive: true})
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, value)
  }
  return {dir, content, out: path.join(dir, 'public'), state: path.join(dir, 'state')}
}

/** A paper; `extra` is YAML lines (each ending in \n). */
export const paper = (id: string, extra = '', body = 'Public body.\n', date = '2024-05-01') =>
  `---\nid: ${id}\ntitle: Title ${id}\ndate: "${date}"\nclassification: OFFICIAL\n${extra}---\n${body}`

export async function buildAt(content: string, now = NOW) {
  return build({content, now, baseUrl: BASE})
}

export async function buildWrite(content: string, out: string, now = NOW) {
  const result = await buildAt(content, now)
  if (result.ok) await writeSite(out, result.files!)
  return result
}

export function releaseAt(c: {content: string; out: string; state: string}, now: Date, extra: Partial<Parameters<typeof release>[0]> = {}) {
  return release({content: c.content, out: c.out, state: c.state, now, baseUrl: BASE, verify: async (staged) => (await verify({content: c.content, out: staged, now})).hits, ...extra})
}

export const read = (file: string) => fs.readFileSync(file, 'utf8')
export const logLines = (state: string) => (fs.existsSync(path.join(state, 'releases.jsonl')) ? read(path.join(state, 'releases.jsonl')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [])

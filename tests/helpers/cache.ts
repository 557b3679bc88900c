/** Reaching into a cache folder (`<state>/cache`) the way an attacker with write access to it would. */
import fs from 'node:fs'
import path from 'node:path'
import {digestBody, type Body} from '../../src/publish/body.js'

/** Files of `dir` (recursively) whose names end with `suffix`. */
export function filesUnder(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .map((name) => path.join(dir, name))
    .filter((file) => file.endsWith(suffix) && fs.statSync(file).isFile())
}

/**
 * Store `body` as the cached body `<key>.body.json`, with the digest and
 * size its entry `<key>.json` (and the entry's copy in `index.json`) holds
 * of it made to match: a cache rewritten with care, not damaged.
 */
export function rewriteBody(bodyFile: string, body: Body): void {
  const json = JSON.stringify(body)
  fs.writeFileSync(bodyFile, json)
  const entryFile = bodyFile.replace(/\.body\.json$/, '.json')
  const entry = JSON.parse(fs.readFileSync(entryFile, 'utf8'))
  entry.body = digestBody(body)
  entry.bodySize = Buffer.byteLength(json)
  fs.writeFileSync(entryFile, JSON.stringify(entry))
  // And its copy in the cache's index of a run's entries, which a build reads first.
  const indexFile = path.join(path.dirname(path.dirname(entryFile)), 'index.json')
  if (fs.existsSync(indexFile)) {
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'))
    index.entries = index.entries.map((e: {key: string}) => (e.key === entry.key ? entry : e))
    fs.writeFileSync(indexFile, JSON.stringify(index))
  }
}

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
 * size its entry `<key>.json` holds of it made to match: a cache rewritten
 * with care, not damaged.
 */
export function rewriteBody(bodyFile: string, body: Body): void {
  const json = JSON.stringify(body)
  fs.writeFileSync(bodyFile, json)
  const entryFile = bodyFile.replace(/\.body\.json$/, '.json')
  const entry = JSON.parse(fs.readFileSync(entryFile, 'utf8'))
  entry.body = digestBody(body)
  entry.bodySize = Buffer.byteLength(json)
  fs.writeFileSync(entryFile, JSON.stringify(entry))
}

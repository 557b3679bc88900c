/**
 * A fingerprint of the code that produces the site: the package version, a
 * hash of every module of this package (dist/ when installed, src/ under a
 * TypeScript test runner) and of the lock file (the dependencies' versions). Any change to the pipeline or the site code gives
 * a new fingerprint, so no cache entry or unchanged-site shortcut outlives it.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {version} from './version.js'

let cached: string | undefined

export function codeVersion(): string {
  if (cached) return cached
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
  const hash = createHash('sha256').update(version)
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.(js|ts|css)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(path.relative(root, full)).update(fs.readFileSync(full))
    }
  }
  walk(root)
  // The dependencies too: a new parser or sanitizer changes what is removed.
  // Both lock files: as committed, and as installed (`npm i --no-save` changes only the second).
  const packageRoot = path.dirname(root)
  for (const lock of [path.join(packageRoot, 'package-lock.json'), path.join(packageRoot, 'node_modules', '.package-lock.json')]) {
    try {
      hash.update(fs.readFileSync(lock))
    } catch {
      hash.update('none')
    }
  }
  cached = `mopac-publisher@${version}+${hash.digest('hex').slice(0, 16)}`
  return cached
}

/** Run the real `mopac` bin (built into dist/ by `npm test`) in a child process. */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

export const repo = path.join(import.meta.dirname, '../..')
const bin = path.join(repo, 'bin/mopac.js')

export function mopac(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repo,
    env: {...process.env, ...options.env},
    encoding: 'utf8'
  })
  return {code: result.status, stdout: result.stdout, stderr: result.stderr}
}

/** Every file under `dir` with its bytes, for exact comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, {withFileTypes: true})) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else files[path.relative(dir, full)] = fs.readFileSync(full).toString('base64')
    }
  }
  walk(dir)
  return files
}

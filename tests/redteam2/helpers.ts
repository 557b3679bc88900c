import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A temporary folder with `content/` holding `files`; `out` and `state` beside it. */
export function tempCorpus(files: Record<string, string | Buffer>): {dir: string; content: string; out: string; state: string} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-rt2-'))
  const content = path.join(dir, 'content')
  fs.mkdirSync(content, {recursive: true})
  for (const [name, value] of Object.entries(files)) {
    const file = path.join(content, name)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, value)
  }
  return {dir, content, out: path.join(dir, 'public'), state: path.join(dir, 'state')}
}

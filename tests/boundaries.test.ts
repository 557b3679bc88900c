/**
 * Import boundaries, read from the source: where a folder may import from.
 * site/ has its own test (tests/site/build.test.ts: public types, time and
 * itself). Fails the suite when a boundary is crossed.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

const src = path.join(import.meta.dirname, '../src')

/** Every relative import of every .ts file under `folder`, resolved to a folder of src/. */
function imports(folder: string): Array<{file: string; target: string}> {
  const found: Array<{file: string; target: string}> = []
  const dir = path.join(src, folder)
  for (const file of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8')
    for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
      const spec = match[1]
      if (!spec.startsWith('.')) continue
      const resolved = path.relative(src, path.resolve(path.dirname(path.join(dir, file)), spec))
      found.push({file: `${folder}/${file}`, target: resolved.split(path.sep)[0]})
    }
  }
  return found
}

const rules: Array<[string, string[], string]> = [
  ['verify', ['verify'], 'the independent leak check shares no code with the rest'],
  ['pipeline', ['pipeline', 'content', 'vendor'], 'plugins are pure: no CLI, build, site, release or preview code'],
  ['content', ['content', 'time', 'vendor'], 'reading papers needs nothing of the pipeline or the outputs'],
  ['publish', ['publish', 'content', 'pipeline', 'time', 'vendor'], 'the decision is made from source papers and the pipeline only'],
  ['time', ['time', 'vendor'], 'London time stands alone'],
  ['vendor', [], 'the third-party modules, gathered, import nothing of ours']
]

describe('import boundaries', () => {
  for (const [folder, allowed, why] of rules) {
    it(`src/${folder} imports only ${allowed.join(', ')} (${why})`, () => {
      const found = imports(folder)
      expect(found.filter((i) => !allowed.includes(i.target)).map((i) => `${i.file} -> ${i.target}`)).toEqual([])
    })
  }

  it('nothing below src/cli imports the CLI', () => {
    const below = ['build', 'content', 'pipeline', 'preview', 'publish', 'release', 'site', 'time', 'verify'].flatMap(imports)
    expect(below.filter((i) => i.target === 'cli').map((i) => `${i.file} -> cli`)).toEqual([])
  })
})

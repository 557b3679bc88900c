/**
 * The command loads the third-party modules from one bundled file
 * (`dist/vendor/index.js`, made by scripts/bundle-vendor.js after `tsc`).
 * The bundle must change nothing but the time it takes to load: the bin with
 * it builds byte for byte the site the bin builds with the same modules
 * loaded one by one (the module as `tsc` writes it).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {generateCorpus} from '../scripts/gen-corpus.js'
import {repo, snapshot} from './helpers/cli.js'
import {tempDir, writeCanaryCorpus} from './helpers/corpus.js'

const MARK = '// mopac: bundled by scripts/bundle-vendor.js'

/** A copy of the bin and dist/ whose vendor module is the one `tsc` writes (the packages one by one). */
function unbundledCopy(dir: string): string {
  const copy = path.join(dir, 'unbundled')
  fs.cpSync(path.join(repo, 'bin'), path.join(copy, 'bin'), {recursive: true})
  fs.cpSync(path.join(repo, 'dist'), path.join(copy, 'dist'), {recursive: true})
  fs.cpSync(path.join(repo, 'package.json'), path.join(copy, 'package.json'))
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'))
  // The module has nothing but re-exports: its compiled form is its source.
  fs.writeFileSync(path.join(copy, 'dist', 'vendor', 'index.js'), fs.readFileSync(path.join(repo, 'src', 'vendor', 'index.ts')))
  return path.join(copy, 'bin', 'mopac.js')
}

function buildWith(bin: string, content: string, into: string): {code: number | null; stderr: string; site: Record<string, string>} {
  const result = spawnSync(process.execPath, [bin, 'build', '--content', content, '--out', path.join(into, 'site'), '--state', path.join(into, 'state'), '--now', '2026-11-25T12:00:00Z', '--base-url', 'https://example.org/'], {encoding: 'utf8', cwd: repo})
  const site = result.status === 0 ? snapshot(path.join(into, 'site')) : {}
  // The marker's fingerprint of the inputs includes a hash of the code, which differs; its build id (of every file) must not.
  if (site['.mopac-site']) site['.mopac-site'] = Buffer.from(Buffer.from(site['.mopac-site'], 'base64').toString('utf8').replace(/^inputs [0-9a-f]+$/m, 'inputs (code-dependent)')).toString('base64')
  return {code: result.status, stderr: result.stderr, site}
}

describe('the bundled third-party modules', () => {
  it('are bundled in dist/ (npm test, npm ci and npm run bench bundle them after tsc)', () => {
    expect(fs.readFileSync(path.join(repo, 'dist', 'vendor', 'index.js'), 'utf8').startsWith(MARK)).toBe(true)
  })

  it('build byte for byte the site the same modules loaded one by one build', () => {
    const dir = tempDir('mopac-vendor-')
    const content = path.join(dir, 'content')
    // The canary corpus (withheld blocks, spans, deferrals, attachments) and generated papers (tables, lists, footnotes, links).
    writeCanaryCorpus(content)
    generateCorpus(path.join(content, 'generated'), {papers: 12, seed: 3, now: '2026-11-25T12:00:00Z'})
    const bundled = buildWith(path.join(repo, 'bin', 'mopac.js'), content, path.join(dir, 'bundled'))
    const unbundled = buildWith(unbundledCopy(dir), content, path.join(dir, 'one-by-one'))
    expect({code: bundled.code, stderr: bundled.stderr}).toEqual({code: 0, stderr: expect.any(String)})
    expect(unbundled.code).toBe(0)
    expect(Object.keys(bundled.site).length).toBeGreaterThan(20)
    expect(bundled.site).toEqual(unbundled.site)
  })
})

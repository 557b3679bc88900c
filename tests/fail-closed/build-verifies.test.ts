/**
 * Every command that writes a site runs the independent leak check on the
 * staged site before the swap: a plain `build` as much as `release`. Here the
 * first line of defence is broken on purpose (a tampered cache entry carries
 * withheld text into the public rendering); `build` must refuse with exit 3
 * and leave the live site exactly as it was.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeVerifiedSite} from '../../src/build/write.js'
import {verify} from '../../src/verify/index.js'
import {runMopac, snapshot} from '../helpers/cli.js'
import {SECRET, tempDir, writeCanaryCorpus} from '../helpers/corpus.js'
import {rewriteBody} from '../helpers/cache.js'

const NOW = '2026-11-25T12:00:00Z'

function cacheFiles(dir: string): string[] {
  const found: string[] = []
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, {withFileTypes: true})) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.json')) found.push(full)
    }
  }
  walk(dir)
  return found
}

/**
 * Rewrite every cached public rendering so it carries the paper's whole
 * source body: the body file, and the digest and size its entry holds of it
 * (a cache rewritten with care, not damaged).
 */
function poisonCache(state: string, content: string): number {
  let poisoned = 0
  for (const file of cacheFiles(path.join(state, 'cache'))) {
    if (file.endsWith('.body.json')) continue
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'))
    const outcome = entry.outcome
    if (!outcome?.public) continue
    const source = fs.readFileSync(path.join(content, outcome.relativePath), 'utf8')
    const leaked = source.replace(/</g, '&lt;')
    const bodyFile = file.replace(/\.json$/, '.body.json')
    rewriteBody(bodyFile, {...JSON.parse(fs.readFileSync(bodyFile, 'utf8')), html: `<pre>${leaked}</pre>`, markdown: source})
    poisoned++
  }
  return poisoned
}

describe('build runs the leak check before it swaps', () => {
  it('refuses a site whose rendering leaks (exit 3) and leaves --out unchanged', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    const state = path.join(dir, 'state')
    writeCanaryCorpus(content)
    const first = await runMopac(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const before = snapshot(out)

    expect(poisonCache(state, content)).toBeGreaterThan(0)
    // A new paper defeats the unchanged-site shortcut; the poisoned entries are still used.
    fs.writeFileSync(path.join(content, 'new.md'), '---\nid: PCD 777\ntitle: A new decision\ndate: "2026-11-20"\nclassification: OFFICIAL\n---\n\nPublic text.\n')
    const second = await runMopac(['build', '--content', content, '--out', out, '--state', state, '--now', NOW])
    expect(second.code).toBe(3)
    expect(second.stderr).toMatch(/Leak check failed/)
    expect(snapshot(out)).toEqual(before)
    // No staged folder is left behind beside --out.
    expect(fs.readdirSync(dir).sort()).toEqual(['content', 'public', 'state'])
  })

  it('writeVerifiedSite discards the staged site on any hit and swaps on none', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    writeCanaryCorpus(content)
    const now = new Date(NOW)
    const result = await build({content, now})
    expect(result.ok).toBe(true)
    const clean = await writeVerifiedSite(out, result.files!, {check: async (staged) => (await verify({content, out: staged, now})).hits})
    expect(clean.hits).toEqual([])
    const before = snapshot(out)

    const tampered = new Map(result.files!)
    tampered.set('leak.txt', `${SECRET.blockText} ${SECRET.withheldBody}`)
    const refused = await writeVerifiedSite(out, tampered, {check: async (staged) => (await verify({content, out: staged, now})).hits})
    expect(refused.hits.map((hit) => hit.outputFile).join(' ')).toMatch(/leak\.txt/)
    expect(snapshot(out)).toEqual(before)
    expect(fs.readdirSync(dir).sort()).toEqual(['content', 'public'])
  })
})

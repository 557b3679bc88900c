/**
 * The cache must never publish what the source no longer allows. Each case
 * builds once to warm the cache, changes the source, builds again with the
 * warm cache, and checks the result equals a cold build's.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build, readInputs} from '../src/build/build.js'
import {PaperCache, cacheKey} from '../src/build/cache.js'
import {createProcessor} from '../src/build/pool.js'
import {writeSite} from '../src/build/write.js'
import {PUBLIC, SECRET, tempDir, writeCanaryCorpus} from './helpers/corpus.js'
import {findCanaries, scanSite} from './helpers/scan.js'

const now = new Date('2026-11-25T12:00:00Z')

function setup() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  return {dir, content, cacheDir: path.join(dir, 'cache')}
}

async function buildWith(content: string, cacheDir: string | undefined, at = now) {
  const processor = createProcessor({cacheDir, workers: false})
  const result = await build({content, now: at, processAll: processor.processAll})
  return {result, stats: processor.stats}
}

/** Site files as text, for comparing a warm build with a cold one. */
function text(files: Map<string, string | Uint8Array> | undefined) {
  return Object.fromEntries([...(files ?? new Map())].map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
}

function edit(file: string, from: string | RegExp, to: string) {
  const before = fs.readFileSync(file, 'utf8')
  const after = before.replace(from, to)
  expect(after).not.toBe(before)
  fs.writeFileSync(file, after)
}

describe('the cache', () => {
  it('serves unchanged papers from the cache, with output identical to a cold build', async () => {
    const {content, cacheDir} = setup()
    const cold = await buildWith(content, cacheDir)
    expect(cold.stats.fromCache).toBe(0)
    const warm = await buildWith(content, cacheDir)
    expect(warm.stats.fromCache).toBe(4)
    expect(text(warm.result.files)).toEqual(text(cold.result.files))
  })

  const changes: Array<[string, (content: string) => void, (r: Awaited<ReturnType<typeof buildWith>>) => void]> = [
    [
      'a paper edited to add a sensitive block',
      (c) => edit(path.join(c, 'released.md'), 'A paper whose deferral has passed.', 'A paper.\n\n:::official-sensitive{exemptions="s43"}\nzknewsecret3001\n:::\n'),
      ({result}) => expect(JSON.stringify(text(result.files))).not.toContain(Buffer.from('zknewsecret3001').toString('base64').slice(0, 12))
    ],
    [
      'a deferral moved later',
      (c) => edit(path.join(c, 'released.md'), '2025-04-01T09:00', '2027-04-01T09:00'),
      ({result}) => {
        expect(result.outcomes.find((o) => o.slug === 'pcd-101')!.status).toBe('deferred')
        expect([...result.files!.keys()].some((k) => k.includes('pcd-101'))).toBe(false)
      }
    ],
    [
      'a classification changed to OFFICIAL-SENSITIVE',
      (c) => edit(path.join(c, 'released.md'), 'classification: OFFICIAL', 'classification: OFFICIAL-SENSITIVE'),
      ({result}) => {
        expect(result.outcomes.find((o) => o.slug === 'pcd-101')!.status).toBe('withheld')
        expect([...result.files!.keys()].some((k) => k.includes('pcd-101'))).toBe(false)
      }
    ],
    [
      'a paper deleted',
      (c) => fs.rmSync(path.join(c, 'released.md')),
      ({result}) => expect([...result.files!.keys()].some((k) => k.includes('pcd-101'))).toBe(false)
    ]
  ]

  for (const [name, change, check] of changes) {
    it(`never publishes from the cache after ${name}`, async () => {
      const {content, cacheDir, dir} = setup()
      await buildWith(content, cacheDir)
      change(content)
      const warm = await buildWith(content, cacheDir)
      check(warm)
      const cold = await buildWith(content, path.join(dir, 'cold-cache'))
      expect(text(warm.result.files)).toEqual(text(cold.result.files))
    })
  }

  it('applies each build its own --now: a cached deferred paper appears only when due', async () => {
    const {content, cacheDir} = setup()
    await buildWith(content, cacheDir)
    const before = await buildWith(content, cacheDir, new Date('2029-12-31T23:59:59Z'))
    expect(before.stats.fromCache).toBe(4)
    expect(before.result.outcomes.find((o) => o.slug === 'pcd-901015')!.status).toBe('deferred')
    const after = await buildWith(content, cacheDir, new Date('2030-01-01T00:00:00Z'))
    expect(after.result.outcomes.find((o) => o.slug === 'pcd-901015')!.status).toBe('public')
  })

  it('misses when the pipeline version changes, and ignores entries of another version', async () => {
    const {content, cacheDir} = setup()
    await buildWith(content, cacheDir)
    const inputs = fs.readdirSync(content).filter((n) => n.endsWith('.md'))
    const input = {path: path.join(content, inputs[0]), relativePath: inputs[0], bytes: fs.readFileSync(path.join(content, inputs[0]))}
    expect(await new PaperCache(cacheDir).get(input)).toBeDefined()
    expect(await new PaperCache(cacheDir, 'mopac-publisher@99.0.0/cache-1/gfm+directive').get(input)).toBeUndefined()
    // An entry written by another version under the same key is refused.
    const files = fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.json'))
    for (const f of files) {
      const file = path.join(cacheDir, f)
      const entry = JSON.parse(fs.readFileSync(file, 'utf8'))
      fs.writeFileSync(file, JSON.stringify({...entry, pipeline: 'mopac-publisher@0.0.1/cache-1/gfm+directive'}))
    }
    const warm = await buildWith(content, cacheDir)
    expect(warm.stats.fromCache).toBe(0)
    expect(warm.stats.warnings.map((w) => w.ruleId)).toEqual(['cache-corrupt', 'cache-corrupt', 'cache-corrupt', 'cache-corrupt'])
  })

  it('ignores a corrupt or truncated entry with a warning, and rebuilds it', async () => {
    const {content, cacheDir} = setup()
    const cold = await buildWith(content, cacheDir)
    const files = fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.json') && !f.endsWith('.body.json'))
    fs.writeFileSync(path.join(cacheDir, files[0]), fs.readFileSync(path.join(cacheDir, files[0]), 'utf8').slice(0, 40))
    fs.writeFileSync(path.join(cacheDir, files[1]), 'garbage')
    const warm = await buildWith(content, cacheDir)
    expect(warm.stats.fromCache).toBe(2)
    expect(warm.stats.warnings).toHaveLength(2)
    expect(warm.stats.warnings[0].reason).toMatch(/ignored and rebuilt/)
    expect(text(warm.result.files)).toEqual(text(cold.result.files))
    expect((await buildWith(content, cacheDir)).stats.fromCache).toBe(4)
  })

  it('keeps a public paper\'s body apart, read only when asked for: one truncated is rebuilt with a warning, one damaged in place is made again', async () => {
    const {content, cacheDir} = setup()
    const cold = await buildWith(content, cacheDir)
    const bodies = fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.body.json'))
    expect(bodies.length).toBeGreaterThanOrEqual(2)
    fs.writeFileSync(path.join(cacheDir, bodies[0]), '{"markdown"')
    // The same size, other bytes: found when the body is read, by its digest.
    const second = path.join(cacheDir, bodies[1])
    fs.writeFileSync(second, fs.readFileSync(second, 'utf8').replace(/[a-z]/g, 'x'))
    const warm = await buildWith(content, cacheDir)
    expect(warm.stats.warnings.map((w) => w.reason)).toEqual([expect.stringMatching(/ignored and rebuilt/)])
    expect(text(warm.result.files)).toEqual(text(cold.result.files))
  })

  it('with --no-cache (`fresh`) reads no entry, and stores every paper anew: an entry altered on disk is replaced, not served', async () => {
    const {content, cacheDir} = setup()
    const cold = await buildWith(content, cacheDir)
    // An entry altered on disk that still reads as well-formed: a warm build would serve it.
    const entries = fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.json') && !f.endsWith('.body.json'))
    let altered = 0
    for (const f of entries) {
      const file = path.join(cacheDir, f)
      const entry = JSON.parse(fs.readFileSync(file, 'utf8'))
      if (!entry.outcome.public) continue
      entry.outcome.public.title = 'zkalteredtitle'
      fs.writeFileSync(file, JSON.stringify(entry))
      altered++
    }
    expect(altered).toBeGreaterThan(0)
    expect(JSON.stringify(text((await buildWith(content, cacheDir)).result.files))).toContain(Buffer.from('zkalteredtitle').toString('base64').slice(0, 12))
    const processor = createProcessor({cacheDir, workers: false, fresh: true})
    const fresh = await build({content, now, processAll: processor.processAll})
    expect(processor.stats.fromCache).toBe(0)
    expect(processor.stats.processed).toBe(4)
    expect(text(fresh.files)).toEqual(text(cold.result.files))
    // Stored anew: the next build with the cache serves the right entries.
    const next = await buildWith(content, cacheDir)
    expect(next.stats.fromCache).toBe(4)
    expect(text(next.result.files)).toEqual(text(cold.result.files))
  })

  it('gives a paper just processed back with its body read from the store when asked for, not held (one damaged meanwhile is made again)', async () => {
    const {content, cacheDir} = setup()
    const processor = createProcessor({cacheDir, workers: false})
    const inputs = await readInputs(content)
    const outcomes = await processor.processAll(inputs, now)
    const i = outcomes.findIndex((o) => o.public)
    expect(i).toBeGreaterThanOrEqual(0)
    const entry = path.join(cacheDir, cacheKey(inputs[i]).slice(0, 2), `${cacheKey(inputs[i])}.json`)
    const body = entry.replace(/\.json$/, '.body.json')
    const html = JSON.parse(fs.readFileSync(body, 'utf8')).html as string
    expect(html.length).toBeGreaterThan(0)
    // Damaged in place after it was stored: the body asked for now is read
    // from the store, found not to be the one stored, and made again.
    fs.writeFileSync(body, fs.readFileSync(body, 'utf8').replace(/[a-z]/g, 'x'))
    expect(outcomes[i].public!.html).toBe(html)
    expect(fs.existsSync(entry)).toBe(false)
  })

  it('makes a damaged body again from the paper read again: one changed or gone since is an error, and the bytes this run read are not held', async () => {
    const {content, cacheDir} = setup()
    await buildWith(content, cacheDir)
    const bodyOf = (input: Parameters<typeof cacheKey>[0]) => path.join(cacheDir, cacheKey(input).slice(0, 2), `${cacheKey(input)}.body.json`)
    const damage = (input: Parameters<typeof cacheKey>[0]) => fs.writeFileSync(bodyOf(input), fs.readFileSync(bodyOf(input), 'utf8').replace(/[a-z]/g, 'x'))
    const run = async () => {
      const processor = createProcessor({cacheDir, workers: false})
      const inputs = await readInputs(content)
      const outcomes = await processor.processAll(inputs, now)
      const publicOnes = outcomes.map((outcome, i) => ({outcome, input: inputs[i]})).filter(({outcome}) => outcome.public)
      expect(publicOnes).toHaveLength(2)
      return {inputs, publicOnes, fromCache: processor.stats.fromCache}
    }
    const first = await run()
    expect(first.fromCache).toBe(first.inputs.length)
    const [a, b] = first.publicOnes
    // What this run read is not what a damaged body is made from: dropping it changes nothing.
    for (const input of first.inputs) input.bytes = new Uint8Array(0)
    const html = JSON.parse(fs.readFileSync(bodyOf({...a.input, bytes: fs.readFileSync(a.input.path)}), 'utf8')).html as string
    damage({...a.input, bytes: fs.readFileSync(a.input.path)})
    expect(a.outcome.public!.html).toBe(html)
    // Changed on disk after this run read it (a secret added to its public
    // text): no body is made from the new text under the old entry.
    damage({...b.input, bytes: fs.readFileSync(b.input.path)})
    fs.appendFileSync(b.input.path, `\n${SECRET.blockText}\n`)
    expect(() => b.outcome.public!.html).toThrow(/changed or was removed while this run was using it/)
    // Gone since: an error too.
    const second = await run()
    const c = second.publicOnes.find(({input}) => input.relativePath === a.input.relativePath)!
    damage(c.input)
    fs.rmSync(c.input.path)
    expect(() => c.outcome.public!.html).toThrow(/changed or was removed while this run/)
  })

  it('after a run that wrote new entries, drops those no paper uses now: an edited paper\'s old version, another version of the code', async () => {
    const {content, cacheDir} = setup()
    await buildWith(content, cacheDir)
    const entries = () => fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
    const before = entries()
    // An entry of another version of the code, and a leftover temporary file of a dead run (old).
    const foreign = path.join(cacheDir, 'ab', `${'ab'.repeat(32)}.json`)
    fs.mkdirSync(path.dirname(foreign), {recursive: true})
    fs.writeFileSync(foreign, '{}')
    const tmp = path.join(cacheDir, 'ab', 'x.json.123.abc.tmp')
    fs.writeFileSync(tmp, '{')
    fs.utimesSync(tmp, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000))
    // Nothing new written: nothing pruned.
    const same = createProcessor({cacheDir, workers: false})
    await build({content, now, processAll: same.processAll})
    expect(await same.prune()).toBe(0)
    edit(path.join(content, 'released.md'), 'A paper whose deferral has passed.', 'A paper, edited.')
    const processor = createProcessor({cacheDir, workers: false})
    const result = await build({content, now, processAll: processor.processAll})
    expect(processor.stats.processed).toBe(1)
    // The edited paper's old entry (and body), the foreign entry and the old temporary file go.
    expect(await processor.prune()).toBeGreaterThanOrEqual(3)
    expect(fs.existsSync(foreign)).toBe(false)
    expect(fs.existsSync(tmp)).toBe(false)
    const after = entries()
    expect(after.length).toBe(before.length)
    expect(after).not.toEqual(before)
    // What is left serves the next build whole.
    const next = await buildWith(content, cacheDir)
    expect(next.stats.fromCache).toBe(4)
    expect(text(next.result.files)).toEqual(text(result.files))
  })

  it('reads a run\'s entries from one index the next time, a copy of their files: an index damaged, of another version, or lacking an entry costs only speed', async () => {
    const {content, cacheDir} = setup()
    const first = createProcessor({cacheDir, workers: false})
    const cold = await build({content, now, processAll: first.processAll})
    await first.prune()
    const index = path.join(cacheDir, 'index.json')
    expect(JSON.parse(fs.readFileSync(index, 'utf8')).entries).toHaveLength(4)
    // Small records: no body (the bodies stay in their own files).
    const small = () => expect(JSON.parse(fs.readFileSync(index, 'utf8')).entries.every((e: {outcome: {public?: object}}) => !e.outcome.public || !('html' in e.outcome.public))).toBe(true)
    small()
    const entryFiles = () => fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => /^[0-9a-f]{2}\/[0-9a-f]{64}\.json$/.test(f.split(path.sep).join('/')))
    expect(entryFiles()).toHaveLength(4)
    // The entries' files gone: the index serves every paper, bodies from their files.
    for (const f of entryFiles()) fs.rmSync(path.join(cacheDir, f))
    const fromIndex = await buildWith(content, cacheDir)
    expect(fromIndex.stats.fromCache).toBe(4)
    expect(fromIndex.stats.warnings).toEqual([])
    expect(text(fromIndex.result.files)).toEqual(text(cold.files))
    // Damaged, or of another version: not used; every paper is read from its file (made again here: they were removed).
    for (const damaged of ['{"format":2,"pipeline":', JSON.stringify({...JSON.parse(fs.readFileSync(index, 'utf8')), pipeline: 'mopac-publisher@0.0.1/cache-2/x'})]) {
      fs.writeFileSync(index, damaged)
      for (const f of entryFiles()) fs.rmSync(path.join(cacheDir, f))
      const again = createProcessor({cacheDir, workers: false})
      const result = await build({content, now, processAll: again.processAll})
      expect(again.stats.fromCache).toBe(0)
      expect(text(result.files)).toEqual(text(cold.files))
      await again.prune()
      expect(JSON.parse(fs.readFileSync(index, 'utf8')).entries).toHaveLength(4)
    }
    // An index lacking an entry (a paper edited since: the index is written
    // only when far behind): that paper is read from its file.
    const stored = JSON.parse(fs.readFileSync(index, 'utf8'))
    fs.writeFileSync(index, JSON.stringify({...stored, entries: stored.entries.slice(1)}))
    const partial = createProcessor({cacheDir, workers: false})
    const fromBoth = await build({content, now, processAll: partial.processAll})
    expect(partial.stats.fromCache).toBe(4)
    expect(partial.stats.warnings).toEqual([])
    expect(text(fromBoth.files)).toEqual(text(cold.files))
    await partial.prune()
    expect(JSON.parse(fs.readFileSync(index, 'utf8')).entries).toHaveLength(3)
    small()
    // Nothing new: the index is not written again.
    const mtime = fs.statSync(index).mtimeMs
    fs.utimesSync(index, new Date(mtime - 60_000), new Date(mtime - 60_000))
    const back = fs.statSync(index).mtimeMs
    const same = createProcessor({cacheDir, workers: false})
    await build({content, now, processAll: same.processAll})
    await same.prune()
    expect(fs.statSync(index).mtimeMs).toBe(back)
  })

  it('an index entry that no longer holds is passed over for the entry\'s own file; --no-cache writes the index anew from the files', async () => {
    const {content, cacheDir} = setup()
    const first = createProcessor({cacheDir, workers: false})
    const cold = await build({content, now, processAll: first.processAll})
    await first.prune()
    const index = path.join(cacheDir, 'index.json')
    // Every copy in the index names a body of another size (as after its paper was stored again).
    const stored = JSON.parse(fs.readFileSync(index, 'utf8'))
    const altered = {...stored, entries: stored.entries.map((e: {bodySize?: number}) => (e.bodySize ? {...e, bodySize: e.bodySize + 1} : e))}
    fs.writeFileSync(index, JSON.stringify(altered))
    const warm = await buildWith(content, cacheDir)
    expect(warm.stats.fromCache).toBe(4)
    expect(warm.stats.warnings).toEqual([])
    expect(text(warm.result.files)).toEqual(text(cold.files))
    // --no-cache reads none of it, and leaves an index made from the entries it wrote.
    const fresh = createProcessor({cacheDir, workers: false, fresh: true})
    await build({content, now, processAll: fresh.processAll})
    await fresh.prune()
    expect(fs.readFileSync(index, 'utf8')).not.toBe(JSON.stringify(altered))
    const rewritten = JSON.parse(fs.readFileSync(index, 'utf8'))
    expect(rewritten.entries).toHaveLength(4)
    for (const e of rewritten.entries) expect(JSON.parse(fs.readFileSync(path.join(cacheDir, e.key.slice(0, 2), `${e.key}.json`), 'utf8'))).toEqual(e)
  })

  it('serves no index entry whose body is gone or changed: the paper is made again', async () => {
    const {content, cacheDir} = setup()
    const first = createProcessor({cacheDir, workers: false})
    const cold = await build({content, now, processAll: first.processAll})
    await first.prune()
    const bodies = fs.readdirSync(cacheDir, {recursive: true}).map(String).filter((f) => f.endsWith('.body.json'))
    expect(bodies.length).toBeGreaterThan(0)
    for (const f of bodies) fs.writeFileSync(path.join(cacheDir, f), '{"markdown":"CANARY-INDEX-BODY","html":"","text":""}')
    const warm = await buildWith(content, cacheDir)
    expect(JSON.stringify(text(warm.result.files))).not.toContain(Buffer.from('CANARY-INDEX-BODY').toString('base64'))
    expect(text(warm.result.files)).toEqual(text(cold.files))
  })

  it('keeps the "Never" list with the cache warm exactly as cold', async () => {
    const {content, cacheDir, dir} = setup()
    for (const label of ['cold', 'warm']) {
      const {result} = await buildWith(content, cacheDir)
      const out = path.join(dir, label)
      await writeSite(out, result.files!)
      const files = scanSite(out)
      expect(findCanaries(files, Object.values(SECRET)), label).toEqual([])
      for (const canary of Object.values(PUBLIC)) expect(findCanaries(files, [canary]).length, `${label} ${canary}`).toBeGreaterThan(0)
    }
  })
})

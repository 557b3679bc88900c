/**
 * `mopac verify` as the second line of defence: inject bugs into the
 * pipeline (here, in the test; never in the product) and check that verify
 * catches what they let through: in a page, inside a gzip file, and in a
 * file name. On the real output of a correct build it finds nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'
import {processSource, type PaperInput} from '../../src/publish/process.js'
import {verify} from '../../src/verify/index.js'
import {release} from '../../src/release/release.js'
import {snapshot} from '../helpers/cli.js'
import {runMopac} from '../helpers/cli.js'
import {SECRET, tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

const now = new Date('2026-11-25T12:00:00Z')

function setup() {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  writeCanaryCorpus(content)
  // Sensitive prose long enough for phrase matching, as real papers have.
  fs.writeFileSync(
    path.join(content, 'long.md'),
    `---\nid: PCD 300\ntitle: Long paper\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\nPublic text about the gateway service.\n\n:::official-sensitive{exemptions="s43"}\nThe preferred bidder offered a discount of eleven per cent on the annual support charge for the gateway.\n:::\n`
  )
  return {dir, content, out: path.join(dir, 'public')}
}

async function buildWith(content: string, out: string, processAll: (inputs: PaperInput[], now: Date) => Promise<PaperOutcome[]>) {
  const result = await build({content, now, processAll})
  expect(result.ok).toBe(true)
  await writeSite(out, result.files!)
}

/** A redaction step that forgets block notices: the public body is the source body. */
const brokenRedaction = async (inputs: PaperInput[], at: Date) =>
  inputs.map((input) => {
    const outcome = processSource(input)
    if (outcome.public) {
      const body = Buffer.from(input.bytes).toString('utf8').replace(/^---[\s\S]*?\n---\n/, '')
      outcome.public = {...outcome.public, markdown: body, html: `<pre>${body.replace(/</g, '&lt;')}</pre>`}
    }
    return outcome.deferUntil && at < new Date(outcome.deferUntil) ? {...outcome, status: 'deferred' as const, public: undefined} : outcome
  })

/** A gate that ignores deferrals: the processed papers lose their deferral before the decision sees them. */
const brokenGate = async (inputs: PaperInput[]) => inputs.map((input) => ({...processSource(input), deferUntil: undefined}))


describe('verify against a deliberately broken pipeline', () => {
  it('passes the output of the real pipeline', async () => {
    const {content, out} = setup()
    const result = await build({content, now})
    await writeSite(out, result.files!)
    const report = await verify({content, out, now})
    expect(report.hits).toEqual([])
  })

  it('catches sensitive text that a broken redaction step lets into pages and a gzip file', async () => {
    const {content, out} = setup()
    await buildWith(content, out, brokenRedaction)
    // A deploy step that precompresses pages (gzip_static) carries the leak along.
    const page = path.join(out, 'decisions/pcd-300/index.html')
    fs.writeFileSync(page + '.gz', zlib.gzipSync(fs.readFileSync(page)))
    const report = await verify({content, out, now})
    const files = new Set(report.hits.map((h) => h.outputFile))
    expect(files.has('decisions/pcd-300/index.html')).toBe(true)
    expect(files.has('decisions/pcd-300/index.html.gz')).toBe(true)
    const hit = report.hits.find((h) => h.outputFile === 'decisions/pcd-300/index.html.gz')!
    expect(hit.sourceFile).toMatch(/long\.md$/)
    expect(hit.line).toBe(11)
    expect(report.hits.some((h) => h.outputFile.startsWith('decisions/pcd-100/') && h.kind === 'sensitive')).toBe(true)
  })

  it('catches a deferred paper that a broken gate publishes, by its file name too', async () => {
    const {content, out} = setup()
    await buildWith(content, out, brokenGate)
    const report = await verify({content, out, now})
    expect(report.hits.some((h) => h.outputFile === `decisions/${SECRET.deferredSlug}/` || h.outputFile.startsWith(`decisions/${SECRET.deferredSlug}/`))).toBe(true)
    expect(report.hits.some((h) => h.kind === 'not-public')).toBe(true)
  })

  it('exits 3 from the command line on a planted leak, and 0 on the real output', async () => {
    const {content, out} = setup()
    const result = await build({content, now})
    await writeSite(out, result.files!)
    expect((await runMopac(['verify', '--content', content, '--out', out, '--now', now.toISOString()])).code).toBe(0)
    fs.writeFileSync(path.join(out, 'planted.txt'), 'The preferred bidder offered a discount of eleven per cent on the annual support charge for the gateway.')
    const leak = await runMopac(['verify', '--content', content, '--out', out, '--now', now.toISOString()])
    expect(leak.code).toBe(3)
    expect(leak.stdout).toMatch(/planted\.txt.*long\.md:11/)
  })

  it('stops a release whose output leaks: exit status "leak", site and log unchanged', async () => {
    const {content, out, dir} = setup()
    const state = path.join(dir, 'state')
    const first = await release({content, out, state, now, verify: async (staged) => (await verify({content, out: staged, now})).hits})
    expect(first.status).toBe('released')
    const site = snapshot(out)
    const log = fs.readFileSync(path.join(state, 'releases.jsonl'), 'utf8')
    const later = new Date('2030-06-01T00:00:00Z')
    const broken = await release({content, out, state, now: later, processAll: brokenRedaction, verify: async (staged) => (await verify({content, out: staged, now: later})).hits})
    expect(broken.status).toBe('leak')
    expect(broken.hits!.length).toBeGreaterThan(0)
    expect(snapshot(out)).toEqual(site)
    expect(fs.readFileSync(path.join(state, 'releases.jsonl'), 'utf8')).toBe(log)
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.public'))).toEqual([])
  })

  it('treats lookalike sensitive syntax as sensitive (a pipeline reading it as prose would leak it)', async () => {
    const dir = tempDir()
    const content = path.join(dir, 'content')
    const out = path.join(dir, 'public')
    fs.mkdirSync(content)
    fs.mkdirSync(out)
    fs.writeFileSync(
      path.join(content, 'a.md'),
      '---\nid: PCD 1\ntitle: T\ndate: "2024-01-01"\nclassification: OFFICIAL\n---\n\n' +
        ':::official\u2013sensitive{exemptions="s43"}\nzkdashblock4001 the preferred bidder offered eleven per cent off\n:::\n\n' +
        'Lead ::official\u2011sensitive [zknbhspan4002]{exemptions="s40"} here.\n\n' +
        '\uff1a\uff1a\uff1aofficial-sensitive\nzkfullwidth4003 gateway charges were renegotiated by the supplier\n:::\n'
    )
    // What a pipeline that read these as prose would publish.
    fs.writeFileSync(path.join(out, 'page.html'), '<p>zkdashblock4001 the preferred bidder offered eleven per cent off</p><p>Lead [zknbhspan4002] here.</p><p>zkfullwidth4003 gateway charges were renegotiated by the supplier</p>')
    const report = await verify({content, out, now})
    const found = report.hits.map((h) => h.match).join(' ')
    for (const canary of ['zkdashblock4001', 'zknbhspan4002', 'zkfullwidth4003']) expect(found, canary).toContain(canary)
  })
})

/**
 * The reviewer approves exactly what the public will see: the preview's
 * public side is the built page itself, byte for byte, and its Approve
 * action records an approval of exactly the rendering shown.
 */
import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG} from '../../src/config/load.js'
import {startPreview, type Preview} from '../../src/preview/server.js'
import {runMopac} from '../helpers/cli.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

const NOW = new Date('2026-06-01T12:00:00Z')

describe('the preview shows the public page as built', () => {
  let preview: Preview
  let root: string
  let content: string
  let out: string

  beforeAll(async () => {
    root = tempDir('mopac-preview-page-')
    content = path.join(root, 'content')
    out = path.join(root, 'public')
    fs.mkdirSync(content)
    writeCanaryCorpus(content)
    const built = await runMopac(['build', '--content', content, '--out', out, '--state', path.join(root, 'state'), '--now', NOW.toISOString()], {now: NOW})
    expect(built.stderr).not.toContain('Nothing published')
    expect(built.code).toBe(0)
    preview = await startPreview({content, port: 0, at: NOW, watch: false, site: {config: DEFAULT_CONFIG, state: path.join(root, 'state'), out}})
    await preview.ready
  })
  afterAll(async () => {
    await preview?.close()
  })

  it('serves every paper page byte for byte as the build wrote it, with its stylesheet, Markdown and files', async () => {
    const slugs = fs.readdirSync(path.join(out, 'decisions')).filter((name) => fs.existsSync(path.join(out, 'decisions', name, 'index.html')))
    expect(slugs.length).toBeGreaterThan(1)
    for (const slug of slugs) {
      const dir = path.join(out, 'decisions', slug)
      const res = await fetch(`${preview.url}site/decisions/${slug}/`)
      expect(res.status).toBe(200)
      expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(dir, 'index.html')))).toBe(true)
      for (const name of fs.readdirSync(dir, {recursive: true}) as string[]) {
        const file = path.join(dir, name)
        if (name === 'index.html' || fs.statSync(file).isDirectory()) continue
        const asset = await fetch(`${preview.url}site/decisions/${slug}/${name}`)
        expect(asset.status, name).toBe(200)
        expect(Buffer.from(await asset.arrayBuffer()).equals(fs.readFileSync(file)), name).toBe(true)
      }
    }
    const css = await fetch(`${preview.url}site/assets/site.css`)
    expect(Buffer.from(await css.arrayBuffer()).equals(fs.readFileSync(path.join(out, 'assets/site.css')))).toBe(true)
  })

  it('serves nothing of a paper that is not public at that instant', async () => {
    const built = new Set(fs.readdirSync(path.join(out, 'decisions')))
    for (const rel of preview.store.entries.keys()) {
      const outcome = preview.store.view(preview.store.entries.get(rel)!)
      if (!outcome?.slug || built.has(outcome.slug)) continue
      expect((await fetch(`${preview.url}site/decisions/${outcome.slug}/`)).status).toBe(404)
    }
  })

  it('frames the public page on the review page', async () => {
    const rel = [...preview.store.entries.keys()].find((r) => preview.store.view(preview.store.entries.get(r)!)?.status === 'public')!
    const page = await (await fetch(`${preview.url}paper/${rel}/`)).text()
    expect(page).toMatch(/<iframe class="public-frame" src="\/site\/decisions\/[a-z0-9-]+\/"/)
    expect(page).toContain('Approve this redaction')
  })
})

describe('approving from the preview', () => {
  let preview: Preview
  let content: string
  const REL = 'pcd-800.md'

  beforeAll(async () => {
    const root = tempDir('mopac-preview-approve-')
    content = path.join(root, 'content')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, REL), '---\nid: PCD 800\ntitle: Stop and search review\ndate: "2026-05-01"\nclassification: OFFICIAL\n---\n\nPublic words.\n')
    preview = await startPreview({content, port: 0, at: NOW, watch: false, approvals: {required: 2}})
    await preview.ready
  })
  afterAll(async () => {
    await preview?.close()
  })

  const form = async (body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${preview.url}paper/${REL}/approve`, {method: 'POST', redirect: 'manual', headers: {'Content-Type': 'application/x-www-form-urlencoded', ...headers}, body: new URLSearchParams(body).toString()})
  const shownHash = async () => /name="sha256" value="([0-9a-f]{64})"/.exec(await (await fetch(`${preview.url}paper/${REL}/`)).text())![1]
  const formToken = async () => /name="form" value="([0-9a-f]{64})"/.exec(await (await fetch(`${preview.url}paper/${REL}/`)).text())![1]
  const file = () => path.join(content, 'approvals.jsonl')

  it('shows a paper awaiting approval with the page it will have once approved', async () => {
    const page = await (await fetch(`${preview.url}paper/${REL}/`)).text()
    expect(page).toContain('awaiting approval')
    const src = /<iframe class="public-frame" src="([^"]+)"/.exec(page)![1]
    expect(src).toBe('/candidate/decisions/pcd-800/')
    expect(await (await fetch(new URL(src, preview.url))).text()).toContain('Public words.')
    // Not on the site as the build would make it.
    expect((await fetch(`${preview.url}site/decisions/pcd-800/`)).status).toBe(404)
  })

  it('refuses a cross-site form, a stale rendering and a missing name; records a good one', async () => {
    const hash = await shownHash()
    const token = await formToken()
    // Without the page's form token: refused whatever the headers say.
    expect((await form({approver: 'Ann', sha256: hash}, {'Sec-Fetch-Site': 'same-origin'})).status).toBe(403)
    expect((await form({approver: 'Ann', sha256: hash, form: 'f'.repeat(64)})).status).toBe(403)
    expect((await form({approver: 'Ann', sha256: hash, form: token}, {'Sec-Fetch-Site': 'cross-site'})).status).toBe(403)
    expect((await form({approver: 'Ann', sha256: hash, form: token}, {Origin: 'https://evil.example'})).status).toBe(403)
    expect((await form({approver: 'Ann', sha256: 'a'.repeat(64), form: token})).status).toBe(409)
    expect((await form({approver: '  ', sha256: hash, form: token})).status).toBe(400)
    expect(fs.existsSync(file())).toBe(false)
    const ok = await form({approver: 'Ann Lee', sha256: hash, note: 'Checked s43 block', form: token}, {'Sec-Fetch-Site': 'same-origin'})
    expect(ok.status).toBe(303)
    const records = fs.readFileSync(file(), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({paper: 'PCD 800', file: REL, approver: 'Ann Lee', sha256: hash, note: 'Checked s43 block'})
    const page = await (await fetch(`${preview.url}paper/${REL}/`)).text()
    expect(page).toContain('Ann Lee')
    expect(page).toContain('1 person of 2 needed')
  })

  it('shows what changed since the last rendering that had all its approvals', async () => {
    // Until a rendering has both approvals, there is no base: review it whole.
    expect(await (await fetch(`${preview.url}paper/${REL}/`)).text()).toContain('No version of this paper has had all its approvals yet')
    const second = await form({approver: 'Bo Chan', sha256: await shownHash(), form: await formToken()})
    expect(second.status).toBe(303)
    fs.writeFileSync(path.join(content, REL), '---\nid: PCD 800\ntitle: Stop and search review\ndate: "2026-05-01"\nclassification: OFFICIAL\n---\n\nPublic words, revised.\n')
    await preview.store.refresh(REL)
    const page = await (await fetch(`${preview.url}paper/${REL}/`)).text()
    expect(page).toContain('Changed since approved by Ann Lee and Bo Chan')
    expect(page).toContain('<span class="diff-del">-Public words.</span>')
    expect(page).toContain('<span class="diff-add">+Public words, revised.</span>')
  })

  it('approves a deferred paper as it will be released, the same rendering `mopac approve` records', async () => {
    const DEF = 'pcd-801.md'
    fs.writeFileSync(path.join(content, DEF), '---\nid: PCD 801\ntitle: Deferred review\ndate: "2026-05-02"\nclassification: OFFICIAL\ndeferral:\n  until: "2026-07-01"\n---\n\nDeferred words.\n')
    await preview.store.refresh(DEF)
    const page = await (await fetch(`${preview.url}paper/${DEF}/`)).text()
    expect(page).toContain('as it will be released on 1 July 2026')
    const sha = /name="sha256" value="([0-9a-f]{64})"/.exec(page)![1]
    const token = /name="form" value="([0-9a-f]{64})"/.exec(page)![1]
    const res = await fetch(`${preview.url}paper/${DEF}/approve`, {method: 'POST', redirect: 'manual', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams({approver: 'Ann Lee', sha256: sha, form: token}).toString()})
    expect(res.status).toBe(303)
    const cli = await runMopac(['approve', 'PCD 801', '--as', 'Bo Chan', '--content', content, '--now', NOW.toISOString()], {now: NOW})
    expect(cli.code).toBe(0)
    const records = fs.readFileSync(file(), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((r) => r.paper === 'PCD 801')
    expect(records.map((r) => r.approver)).toEqual(['Ann Lee', 'Bo Chan'])
    expect(records[0].sha256).toBe(records[1].sha256)
  })
})

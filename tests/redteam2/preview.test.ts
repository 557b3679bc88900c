/**
 * Red team round 2: the reviewer preview server. SAFE = nothing outside the
 * content folder, no raw paper source, no access without the token off
 * loopback, no redirect off-site, no script from a hostile paper.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {startPreview, type Preview} from '../../src/preview/server.js'
import {tempCorpus} from './helpers.js'

const hostile = '<img src=x onerror=alert(1)>'
const previews: Preview[] = []
afterAll(async () => {
  for (const p of previews) await p.close()
})

function get(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<{status: number; headers: http.IncomingHttpHeaders; body: string}> {
  return new Promise((resolve, reject) => {
    const req = http.request({host: '127.0.0.1', port, path: rawPath, method: 'GET', headers: {Host: `127.0.0.1:${port}`, ...headers}}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
    })
    req.on('error', reject)
    req.end()
  })
}

async function setup(extra: {token?: string; requireToken?: boolean} = {}) {
  const {content, dir} = tempCorpus({
    'a.md': `---\nid: PCD 1\ntitle: "${hostile} title"\ndate: "2024-05-01"\nclassification: OFFICIAL\nsummary: "${hostile}"\n---\nSee [annex](./annex.txt) and :official-sensitive[zkr2prevsecret]{exemptions="s40"}.\n`,
    [`${hostile}.md`]: `---\nid: "PCD 2 ${hostile}"\ntitle: T\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\nBody\n`,
    'annex.txt': 'annex',
    'copy.markdown': 'zkr2rawsource',
    'sub/x.MD': 'zkr2rawsource2'
  })
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'zkr2outside')
  fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(content, 'link.txt'))
  fs.symlinkSync(path.join(content, 'a.md'), path.join(content, 'alias.txt'))
  const preview = await startPreview({content, port: 0, watch: false, ...extra})
  previews.push(preview)
  await preview.ready
  return {preview, content, dir}
}

describe('preview file routes: nothing outside the content folder, no raw paper source', () => {
  const paths = [
    '/content/link.txt', '/content/..%2foutside.txt', '/content/%2e%2e/outside.txt', '/content/a.md', '/content/a.MD%20', '/content/a.md%00.txt',
    '/content/copy.markdown', '/content/sub/x.MD', '/content/alias.txt', '/paper/a.md/files/..%2f..%2foutside.txt'
  ]
  for (const p of paths) {
    it(p, async () => {
      const {preview} = await setup()
      const res = await get(preview.port, p)
      expect([400, 403, 404], `${p}: ${res.status}`).toContain(res.status)
      expect(res.body, p).not.toMatch(/zkr2outside|zkr2rawsource|zkr2prevsecret/)
    })
  }
})

describe('preview access', () => {
  it('off-loopback mode: no page without the token, wrong host or not', async () => {
    const {preview} = await setup({requireToken: true})
    const attempts: Record<string, string>[] = [{}, {Host: 'evil.example'}, {Cookie: `mopac_preview_${preview.port}=`}, {Cookie: `mopac_preview_${preview.port}=x; mopac_preview_${preview.port}=${preview.token}`}]
    for (const headers of attempts) {
      const res = await get(preview.port, '/paper/a.md/', headers)
      expect(res.status, JSON.stringify(headers)).toBe(401)
      expect(res.body).not.toContain('zkr2prevsecret')
    }
  })

  it('token-stripping redirect never leaves the site', async () => {
    const {preview} = await setup({requireToken: true})
    for (const p of ['//evil.example/?token=T', '/\\evil.example/?token=T', '/%2F%2Fevil.example?token=T', '/%5Cevil.example?token=T', '/paper/?token=T&next=//evil.example']) {
      const res = await get(preview.port, p.replace('T', preview.token!))
      const location = String(res.headers.location ?? '')
      expect(location, p).toMatch(/^\/(?![\/\\])/)
    }
  })

  it('loopback mode refuses a rebound Host header', async () => {
    const {preview} = await setup()
    for (const host of ['evil.example', `evil.example:${preview.port}`, `127.0.0.1.evil.example:${preview.port}`, `localhost.:${preview.port}`, `LOCALHOST:${preview.port}`.replace('LOCALHOST', 'localhost\t')]) {
      const res = await get(preview.port, '/paper/a.md/', {Host: host})
      expect(res.status, host).toBe(403)
      expect(res.body, host).not.toContain('zkr2prevsecret')
    }
  })
})

describe('preview pages and a hostile paper', () => {
  it('title, summary, id and file name stay text', async () => {
    const {preview} = await setup()
    const pages = ['/', `/paper/a.md/`, `/paper/${encodeURIComponent(hostile + '.md')}/`]
    for (const p of pages) {
      const res = await get(preview.port, p)
      expect(res.status, p).toBe(200)
      expect(res.body, p).not.toContain(hostile)
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'")
    }
  })
})

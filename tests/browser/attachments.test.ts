/**
 * Attachments in Chromium: what the build publishes in `files/` runs no
 * script, opened on its own (top-level) with its proper type or with no type
 * at all (so the browser sniffs), or shown on the paper's page. A control
 * proves the harness sees script run: the raw payloads that got through the
 * old denylist (a namespaced `<x:script>` in an SVG, an XHTML page under a
 * less common extension) do run when served as they are, and the build
 * refuses both.
 */
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {CSV, GIF, JPEG, links, paper, pdf, png, SVG_CHART, WEBP} from '../attachments/helpers.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xht': 'application/xhtml+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8'
}

const NAMESPACED_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg"><x:script xmlns:x="http://www.w3.org/2000/svg">alert("ran: x:script")</x:script><rect width="10" height="10"/></svg>'
const XHTML_PAGE = '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert("ran: xhtml")</script></body></html>'
/** Neutralised payloads: accepted, and published sanitized. */
const NEUTRALISED: Record<string, string> = {
  'cdata.svg': '<svg xmlns="http://www.w3.org/2000/svg"><text y="20"><![CDATA[<script>alert("ran: cdata")</script>]]></text></svg>',
  'comment.svg': '<svg xmlns="http://www.w3.org/2000/svg"><!-- <script>alert("ran: comment")</script> --><rect width="5" height="5"/></svg>',
  'base.svg': '<svg xmlns="http://www.w3.org/2000/svg"><a xml:base="javascript:alert(&quot;ran: base&quot;)//" href="#r"><rect id="r" width="50" height="50"/></a></svg>',
  'label.svg': '<svg xmlns="http://www.w3.org/2000/svg"><rect aria-label="&lt;img src=x onerror=alert(&quot;ran: label&quot;)&gt;" width="5" height="5"/></svg>'
}

describe.skipIf(!fs.existsSync('/usr/bin/chromium'))('attachments in Chromium', () => {
  let temp: string
  let server: http.Server
  let browser: Browser
  let base: string
  let published: string[] = []

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-attachments-browser-'))
    const content = path.join(temp, 'content')
    const files: Record<string, string | Buffer> = {'chart.svg': SVG_CHART, 'chart.png': png(), 'photo.jpg': JPEG, 'a.gif': GIF, 'b.webp': WEBP, 'annex.pdf': pdf(), 'data.csv': CSV, ...NEUTRALISED}
    fs.mkdirSync(content, {recursive: true})
    for (const [name, value] of Object.entries(files)) fs.writeFileSync(path.join(content, name), value)
    const images = Object.keys(files).filter((n) => /\.(svg|png|jpg|gif|webp)$/.test(n)).map((n) => `![${n}](./${n})`).join('\n\n')
    fs.writeFileSync(path.join(content, 'a.md'), paper(`${links(Object.keys(files))}\n${images}\n`))
    const result = await build({content, now: new Date('2026-11-25T12:00:00Z'), baseUrl: 'https://example.org/'})
    if (!result.ok) throw new Error(JSON.stringify(result.outcomes.map((o) => o.messages)))
    await writeSite(path.join(temp, 'public'), result.files!)
    published = fs.readdirSync(path.join(temp, 'public/decisions/pcd-1/files'))
    fs.mkdirSync(path.join(temp, 'public/raw'))
    fs.writeFileSync(path.join(temp, 'public/raw/x-script.svg'), NAMESPACED_SCRIPT)
    fs.writeFileSync(path.join(temp, 'public/raw/page.xht'), XHTML_PAGE)
    const root = path.join(temp, 'public')
    server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost')
      let file = path.join(root, decodeURIComponent(url.pathname))
      if (file.endsWith('/')) file = path.join(file, 'index.html')
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) {
        response.writeHead(404)
        response.end()
        return
      }
      // ?sniff: no Content-Type at all, as a careless server would send.
      const type = url.searchParams.has('sniff') ? undefined : TYPES[path.extname(file)]
      response.writeHead(200, type ? {'content-type': type} : {})
      response.end(fs.readFileSync(file))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS})
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    if (temp) fs.rmSync(temp, {recursive: true, force: true})
  })

  /** Open `url` top-level; the alerts it raised, and the document's type (undefined when it became a download). */
  async function visit(url: string): Promise<{alerts: string[]; type?: string}> {
    const context = await browser.newContext({acceptDownloads: false})
    const page: Page = await context.newPage()
    const alerts: string[] = []
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message())
      void dialog.dismiss()
    })
    let type: string | undefined
    try {
      await page.goto(url, {waitUntil: 'load'})
      await page.waitForTimeout(300)
      type = await page.evaluate(() => document.contentType)
    } catch (error) {
      if (!/Download is starting|net::ERR_ABORTED/.test(String(error))) throw error
    }
    await context.close()
    return {alerts, type}
  }

  it('control: the raw payloads run script when served as they are', async () => {
    expect((await visit(`${base}raw/x-script.svg`)).alerts).toEqual(['ran: x:script'])
    expect((await visit(`${base}raw/page.xht`)).alerts).toEqual(['ran: xhtml'])
  })

  it('the build refuses both payloads', async () => {
    const content = path.join(temp, 'refused')
    fs.mkdirSync(content)
    fs.writeFileSync(path.join(content, 'chart.svg'), NAMESPACED_SCRIPT)
    fs.writeFileSync(path.join(content, 'page.xht'), XHTML_PAGE)
    fs.writeFileSync(path.join(content, 'page.pdf'), XHTML_PAGE)
    fs.writeFileSync(path.join(content, 'a.md'), paper(links(['chart.svg', 'page.xht', 'page.pdf'])))
    const result = await build({content, now: new Date('2026-11-25T12:00:00Z')})
    expect(result.ok).toBe(false)
    expect(result.outcomes[0].messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['7 asset-unsafe', '9 asset-unsafe', '11 asset-unsafe'])
  })

  it('every published attachment, opened on its own with its type or with none: no script, never an HTML or XHTML document', async () => {
    expect(published.sort()).toEqual(['a.gif', 'annex.pdf', 'b.webp', 'base.svg', 'cdata.svg', 'chart.png', 'chart.svg', 'comment.svg', 'data.csv', 'label.svg', 'photo.jpg'])
    for (const name of published) {
      for (const query of ['', '?sniff']) {
        const {alerts, type} = await visit(`${base}decisions/pcd-1/files/${name}${query}`)
        expect(alerts, name + query).toEqual([])
        expect(type ?? 'download', name + query).not.toMatch(/html/)
      }
    }
  })

  it('the paper page showing the images and linking the files: no script', async () => {
    const {alerts, type} = await visit(`${base}decisions/pcd-1/`)
    expect(type).toBe('text/html')
    expect(alerts).toEqual([])
  })

  it('clicking the neutralised SVG link runs nothing', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const alerts: string[] = []
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(`${base}decisions/pcd-1/files/base.svg`)
    await page.mouse.click(10, 10)
    await page.waitForTimeout(300)
    expect(alerts).toEqual([])
    await context.close()
  })
})

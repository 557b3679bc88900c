/**
 * The public site in Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core). The sample content is built by the real `mopac build`
 * and served by a minimal static server from a sub-folder (`/site/`), so the
 * relative links and the search bundle are proven to work outside the root.
 *
 * Covers: listing -> paper -> back; a withheld notice -> "About withheld
 * information"; year and tag archives; search (GOV.UK markup driven by
 * Pagefind's API) finds public words and nothing that only occurs in redacted
 * material, says how many results and when there are none, filters by year
 * and tag; keyboard-only route to search and its first result; axe-core
 * (WCAG 2.2 AA tags) on each kind of page, the search and about pages at
 * desktop and phone sizes; screenshots (test-results/, and docs/*.png for the
 * README).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import os from 'node:os'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import {chromium, type BrowserContext, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const repo = path.join(import.meta.dirname, '../..')
const PREFIX = '/site/'
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const ARTIFACTS = path.join(repo, 'test-results/site')
const PHONE = {width: 390, height: 844}
const DESKTOP = {width: 1200, height: 900}
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** A static file server for `root` under PREFIX, with `404.html` for anything missing. */
function serve(root: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    let file: string | undefined
    if (url.pathname.startsWith(PREFIX)) {
      const relative = decodeURIComponent(url.pathname.slice(PREFIX.length))
      const candidate = path.join(root, relative)
      if (candidate.startsWith(root)) {
        const stat = fs.statSync(candidate, {throwIfNoEntry: false})
        if (stat?.isFile()) file = candidate
        else if (stat?.isDirectory() && url.pathname.endsWith('/') && fs.existsSync(path.join(candidate, 'index.html'))) file = path.join(candidate, 'index.html')
      }
    }
    if (!file) {
      response.writeHead(404, {'content-type': TYPES['.html']})
      response.end(fs.readFileSync(path.join(root, '404.html')))
      return
    }
    response.writeHead(200, {'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream'})
    response.end(fs.readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('public site in Chromium', () => {
  let temp: string
  let site: string
  let server: http.Server
  let context: BrowserContext
  let page: Page
  let base: string
  const errors: string[] = []

  beforeAll(async () => {
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-site-browser-'))
    site = path.join(temp, 'public')
    const state = path.join(temp, 'state')
    fs.mkdirSync(state)
    const built = spawnSync(process.execPath, [path.join(repo, 'bin/mopac.js'), 'build', '--content', path.join(repo, 'content'), '--out', site, '--now', '2026-11-25T12:00:00Z', '--state', state], {cwd: repo, encoding: 'utf8'})
    if (built.status !== 0) throw new Error(`build failed (${built.status}): ${built.stderr}`)
    server = await serve(site)
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`
    context = await chromium.launchPersistentContext(path.join(temp, 'profile'), {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: {width: 1200, height: 900}
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (error) => errors.push(String(error)))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.location().url.includes('no-such-page')) errors.push(`${message.text()} ${message.location().url}`)
    })
    page.on('response', (response) => {
      // The 404 page is asked for on purpose; nothing else may be missing.
      if (response.status() >= 400 && !response.url().includes('no-such-page')) errors.push(`${response.status()} ${response.url()}`)
    })
    fs.mkdirSync(ARTIFACTS, {recursive: true})
    fs.mkdirSync(path.join(repo, 'docs'), {recursive: true})
  })

  afterAll(async () => {
    await context?.close()
    await new Promise((resolve) => server?.close(resolve))
    if (temp) fs.rmSync(temp, {recursive: true, force: true})
  })

  async function axe(name: string): Promise<void> {
    const results = await new AxeBuilder({page}).withTags(AXE_TAGS).analyze()
    const violations = results.violations.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    expect(violations).toEqual([])
  }

  it('goes from the listing to a paper and back', async () => {
    await page.goto(base)
    await expect(page.locator('h1').textContent()).resolves.toBe('Decisions')
    const items = page.locator('ol.mopac-list > li')
    expect(await items.count()).toBe(4)
    // Newest first.
    expect(await items.first().locator('h2').textContent()).toBe('Digital Policing Infrastructure Investment 2024/25')
    await expect(items.filter({hasText: 'SEG & MSEG Contract Extension'}).textContent()).resolves.toContain('Exempt material withheld under section 43 (commercial interests)')
    await page.screenshot({path: path.join(ARTIFACTS, 'listing.png'), fullPage: true})
    // For the README: the top of the listing, small enough to commit.
    await page.screenshot({path: path.join(repo, 'docs/screenshot.png'), clip: {x: 100, y: 0, width: 1000, height: 700}})

    await page.getByRole('link', {name: 'SEG & MSEG Contract Extension'}).click()
    await page.waitForURL(/decisions\/pcd-602\/$/)
    await expect(page.locator('h1').textContent()).resolves.toBe('SEG & MSEG Contract Extension')
    const meta = page.locator('.govuk-summary-list')
    await expect(meta.textContent()).resolves.toContain('20 June 2019')
    await expect(meta.textContent()).resolves.toContain('section 43 (commercial interests). This is a qualified exemption: we applied the public interest test')
    const notices = page.locator('.mopac-withheld')
    expect(await notices.count()).toBe(2)
    await expect(notices.nth(1).textContent()).resolves.toContain('Material withheld: Part 2 business case (4 paragraphs and 1 table). Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests).')
    expect(await page.content()).not.toContain('Example Networks')
    await page.screenshot({path: path.join(ARTIFACTS, 'paper.png'), fullPage: true})
    // For the README: a notice where the Part 2 business case was.
    await notices.nth(1).scrollIntoViewIfNeeded()
    const box = (await notices.nth(1).boundingBox())!
    await page.screenshot({path: path.join(repo, 'docs/screenshot-notice.png'), clip: {x: 100, y: Math.max(0, box.y - 200), width: 1000, height: 400}})
    await axe('paper')

    // Its public Markdown and its neighbours.
    expect(await page.getByRole('link', {name: 'This decision as Markdown'}).getAttribute('href')).toBe('index.md')
    const next = page.getByRole('link', {name: /Next decision/})
    await expect(next.textContent()).resolves.toContain('PCD 1012')

    await page.goBack()
    await page.waitForURL(base)
    await expect(page.locator('h1').textContent()).resolves.toBe('Decisions')
    await axe('listing')
  })

  it('has year and tag archives linked from the listing', async () => {
    await page.goto(base)
    await page.getByRole('navigation', {name: 'Browse by year'}).getByRole('link', {name: '2019'}).click()
    await page.waitForURL(/archive\/2019\/$/)
    await expect(page.locator('h1').textContent()).resolves.toBe('Decisions in 2019')
    const years = page.locator('ol.mopac-list > li h2')
    expect(await years.allTextContents()).toEqual(['SEG & MSEG Contract Extension'])
    await axe('year archive')

    await page.goto(base)
    // Tags as their authors wrote them, not their slugs.
    await page.getByRole('navigation', {name: 'Browse by tag'}).getByRole('link', {name: 'Community safety'}).waitFor()
    await page.getByRole('navigation', {name: 'Browse by tag'}).getByRole('link', {name: 'Technology'}).click()
    await page.waitForURL(/tags\/technology\/$/)
    await expect(page.locator('h1').textContent()).resolves.toBe('Decisions tagged ‘Technology’')
    expect(await page.locator('ol.mopac-list > li h2').allTextContents()).toEqual(['Digital Policing Infrastructure Investment 2024/25', 'SEG & MSEG Contract Extension'])
    await axe('tag archive')

    await page.goto(base + 'archive/')
    await axe('archive index')
  })

  /** Search on the search page (words, then ticked filters); returns the status line, result titles and excerpts. */
  async function search(term: string, filters: string[] = []): Promise<{status: string; titles: string[]; excerpts: string[]}> {
    await page.goto(`${base}search/`)
    const input = page.locator('#search-q')
    await input.waitFor({state: 'visible'})
    for (const label of filters) await page.getByLabel(label, {exact: true}).check()
    await input.fill(term)
    await input.press('Enter')
    const status = page.locator('#search-status')
    await expect.poll(async () => /result/.test((await status.textContent()) ?? ''), {timeout: 15_000}).toBe(true)
    return {
      status: (await status.textContent()) ?? '',
      titles: await page.locator('#search-results .mopac-results > li h2 a').allTextContents(),
      excerpts: await page.locator('#search-results .mopac-results__excerpt').allTextContents()
    }
  }

  it('searches the public text and never the redacted', async () => {
    const found = await search('MetSEG')
    expect(found.titles).toEqual(['SEG & MSEG Contract Extension'])
    expect(found.status).toBe('1 result for ‘MetSEG’')
    // Reference and decision date apart from each other and from the excerpt.
    const meta = await page.locator('#search-results .mopac-results__meta li').allTextContents()
    expect(meta).toEqual(['Reference: PCD 602', 'Decision date: 20 June 2019'])
    expect(found.excerpts[0]).toMatch(/MetSEG/)
    expect(found.excerpts[0]).not.toMatch(/ReferencePCD|Decision date/)
    // A title is a GOV.UK link: blue and underlined.
    const link = page.locator('#search-results .mopac-results > li h2 a').first()
    expect(await link.evaluate((a) => getComputedStyle(a).textDecorationLine)).toBe('underline')
    expect(await link.evaluate((a) => getComputedStyle(a).color)).toBe('rgb(26, 101, 166)')
    expect((await search('mentoring')).titles).toContain('Community Safety Grant – Riverside Youth Mentoring Project')
    await page.screenshot({path: path.join(ARTIFACTS, 'search.png'), fullPage: true})
    await axe('search with results')
    // Only in PCD 602's sensitive blocks (the fictional supplier) and PCD 1012's redacted name.
    for (const secret of ['Example Networks', 'Jordan']) {
      const none = await search(secret)
      expect(none.titles, secret).toEqual([])
      expect(none.status).toBe(`0 results for ‘${secret}’`)
      await expect(page.locator('#search-results').textContent()).resolves.toContain('There are no matching decisions.')
    }
    await axe('search without results')
    // A search can be linked to, filters included.
    await page.goto(`${base}search/?q=contract&year=2019`)
    await page.locator('#search-results .mopac-results > li h2 a').first().waitFor({state: 'visible', timeout: 15_000})
    expect(await page.locator('#search-results .mopac-results > li h2 a').allTextContents()).toEqual(['SEG & MSEG Contract Extension'])
    expect(await page.getByLabel('2019', {exact: true}).isChecked()).toBe(true)
    // Pagefind may still offer near matches for an unknown word (here "be"
    // for "benchmark"), but never the word itself.
    const near = await search('benchmark')
    for (const excerpt of near.excerpts) expect(excerpt.toLowerCase()).not.toContain('benchmark')
  })

  it('filters search results by year and by tag, with tags as written', async () => {
    const byTag = await search('', ['Technology'])
    expect(byTag.titles.sort()).toEqual(['Digital Policing Infrastructure Investment 2024/25', 'SEG & MSEG Contract Extension'])
    expect(byTag.status).toBe('2 results filtered by Technology')
    expect(await page.getByLabel('Community safety', {exact: true}).count()).toBe(1)
    const both = await search('', ['2019', 'Technology'])
    expect(both.titles).toEqual(['SEG & MSEG Contract Extension'])
    expect(page.url()).toContain('year=2019')
  })

  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`lays out search and the about page at ${size} size, accessibly`, async () => {
      await page.setViewportSize(viewport)
      try {
        await search('contract')
        await page.screenshot({path: path.join(ARTIFACTS, `search-${size}.png`), fullPage: true})
        if (size === 'desktop') await page.screenshot({path: path.join(repo, 'docs/screenshot-search.png'), clip: {x: 100, y: 0, width: 1000, height: 760}})
        // Nothing wider than the screen (WCAG 1.4.10, reflow).
        const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
        await axe(`search (${size})`)
        expect(await fits()).toBe(true)
        await page.goto(`${base}withheld-information/`)
        await expect(page.locator('h1').textContent()).resolves.toBe('About withheld information')
        await page.screenshot({path: path.join(ARTIFACTS, `about-withheld-${size}.png`), fullPage: true})
        await axe(`about withheld information (${size})`)
        expect(await fits()).toBe(true)
        await page.goto(`${base}accessibility/`)
        await axe(`accessibility statement (${size})`)
        expect(await fits()).toBe(true)
      } finally {
        await page.setViewportSize(DESKTOP)
      }
    })
  }

  it('goes from a withheld notice to "About withheld information"', async () => {
    await page.goto(`${base}decisions/pcd-602/`)
    await page.locator('.mopac-withheld').first().getByRole('link', {name: 'About withheld information'}).click()
    await page.waitForURL(/withheld-information\/$/)
    const main = (await page.locator('main').textContent()) ?? ''
    for (const words of ['section 43 (commercial interests)', 'Ask for withheld information', 'Ask for an internal review', 'Complain to the Information Commissioner', 'Deferred decisions', 'foi@mopac.london.gov.uk']) expect(main).toContain(words)
    // The inline marker reads naturally, with the ground for screen readers.
    await page.goto(`${base}decisions/pcd-1012/`)
    const marker = page.locator('.mopac-withheld-inline').first()
    expect(await marker.textContent()).toBe('[name withheld under section 40 of the Freedom of Information Act 2000 (personal information)]')
    // What a sighted reader sees is "[name withheld]": the ground is visually hidden.
    const hidden = marker.locator('.govuk-visually-hidden')
    expect(await hidden.evaluate((el) => [getComputedStyle(el).position, getComputedStyle(el).width])).toEqual(['absolute', '1px'])
    expect(await marker.evaluate((el) => el.firstChild?.textContent)).toBe('[name withheld')
  })

  it('reaches search and its first result by keyboard alone', async () => {
    await page.goto(base)
    let found = false
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press('Tab')
      found = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Search')
    }
    expect(found).toBe(true)
    // Focus is visible: the GOV.UK focus style (yellow background).
    const background = await page.evaluate(() => getComputedStyle(document.activeElement!).backgroundColor)
    expect(background).toBe('rgb(255, 221, 0)')
    await page.keyboard.press('Enter')
    await page.waitForURL(/search\/$/)
    await page.locator('#search-q').waitFor({state: 'visible'})
    let onInput = false
    for (let i = 0; i < 10 && !onInput; i++) {
      await page.keyboard.press('Tab')
      onInput = await page.evaluate(() => document.activeElement?.id === 'search-q')
    }
    expect(onInput).toBe(true)
    await page.keyboard.type('gateway')
    await page.keyboard.press('Enter')
    await page.locator('#search-results .mopac-results > li h2 a').first().waitFor({state: 'visible', timeout: 15_000})
    let onResult = false
    for (let i = 0; i < 40 && !onResult; i++) {
      await page.keyboard.press('Tab')
      onResult = await page.evaluate(() => Boolean(document.activeElement?.closest('.mopac-results')))
    }
    expect(onResult).toBe(true)
    const first = await page.evaluate(() => document.activeElement?.textContent)
    await page.keyboard.press('Enter')
    await page.waitForURL(/decisions\/pcd-[0-9]+\/$/)
    await expect(page.locator('h1').textContent()).resolves.toBe(first)
  })

  it('shows the 404 page for a missing address', async () => {
    const response = await page.goto(base + 'no-such-page/')
    expect(response?.status()).toBe(404)
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found')
    await axe('404')
  })

  it('reads without JavaScript', async () => {
    const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS})
    try {
      const other = await (await browser.newContext({javaScriptEnabled: false})).newPage()
      await other.goto(base)
      await other.getByRole('link', {name: 'SEG & MSEG Contract Extension'}).click()
      await other.waitForURL(/decisions\/pcd-602\/$/)
      await expect(other.locator('.mopac-prose').textContent()).resolves.toContain('MetSEG')
      await other.goto(base + 'search/')
      await expect(other.locator('main').textContent()).resolves.toContain('browse decisions by year or tag')
      // The search box that cannot search without JavaScript is not shown.
      expect(await other.locator('#search-form').isVisible()).toBe(false)
      expect(await other.locator('#search-fallback').isVisible()).toBe(true)
    } finally {
      await browser.close()
    }
  })

  it('logged no script error and no missing file', () => {
    expect(errors).toEqual([])
  })
})

/**
 * The reviewer preview server over HTTP, started in-process on port 0:
 * listing and statuses, review pages, errors, headers, the token, traversal
 * attempts, live updates, and that it writes nothing.
 */
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startPreview, type Preview} from '../../src/preview/server.js'
import {processPaper} from '../../src/publish/process.js'
import {eventsPathOf, nextReload, rawGet, tempContent, until} from './helpers.js'

const AT = new Date('2026-06-01T12:00:00Z')
const GRANT = 'pcd-2001-public-grant.md'
const DEFERRED = 'pcd-2002-deferred-procurement.md'
const WITHHELD = 'pcd-2003-withheld-review.md'
const INVALID = 'pcd-2004-invalid-typo.md'

function snapshot(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const s = statSync(p)
      out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`)
      if (s.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}

/** The public page the review page frames (served at /site/). */
async function publicPage(base: string, reviewHtml: string): Promise<string> {
  const src = /<iframe class="public-frame" src="([^"]+)"/.exec(reviewHtml)?.[1]
  expect(src).toMatch(/^\/site\/decisions\/[a-z0-9-]+\/$/)
  const res = await fetch(new URL(src!, base))
  expect(res.status).toBe(200)
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
  return res.text()
}

describe('preview server (loopback, no token)', () => {
  let temp: ReturnType<typeof tempContent>
  let preview: Preview
  let before: string[]

  beforeAll(async () => {
    temp = tempContent()
    mkdirSync(join(temp.root, 'outside'))
    writeFileSync(join(temp.root, 'outside', 'secret.txt'), 'TOP-SECRET-OUTSIDE')
    writeFileSync(join(temp.root, 'outside', 'secret.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><text>TOP-SECRET-OUTSIDE</text></svg>')
    symlinkSync(join(temp.root, 'outside', 'secret.svg'), join(temp.content, 'images', 'link.svg'))
    symlinkSync(join(temp.root, 'outside'), join(temp.content, 'outlink'))
    writeFileSync(join(temp.content, '.env'), 'HIDDEN=1')
    before = snapshot(temp.root)
    preview = await startPreview({content: temp.content, port: 0, at: AT, debounceMs: 10})
    await preview.ready
  })

  afterAll(async () => {
    await preview?.close()
    temp?.cleanup()
  })

  it('listens on loopback and answers with noindex, no-store and a restrictive CSP', async () => {
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(preview.token).toBeUndefined()
    const res = await fetch(preview.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-robots-tag')).toBe('noindex')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const body = await res.text()
    expect(body).toContain('<meta name="robots" content="noindex">')
    expect(body).toContain('OFFICIAL-SENSITIVE - reviewer preview - not for publication')
    expect(body).not.toMatch(/<script>|<style>|style="/)
    for (const path of ['/assets/preview.css', '/assets/preview.js', `/paper/${GRANT}/`, '/nowhere']) {
      const r = await fetch(preview.url.slice(0, -1) + path)
      expect(r.headers.get('cache-control'), path).toBe('no-store')
      expect(r.headers.get('x-robots-tag'), path).toBe('noindex')
    }
  })

  it('lists every paper with its status, classification, exemptions and redactions', async () => {
    const body = await (await fetch(preview.url)).text()
    const row = (file: string) => new RegExp(`<tr data-path="${file.replace(/\./g, '\\.')}" data-status="(\\w+)">([\\s\\S]*?)</tr>`).exec(body)
    expect(row(GRANT)?.[1]).toBe('public')
    expect(row(DEFERRED)?.[1]).toBe('deferred')
    expect(row(WITHHELD)?.[1]).toBe('withheld')
    expect(row(INVALID)?.[1]).toBe('invalid')
    expect(row(GRANT)![2]).toContain('section 40 (personal information), section 41 (information provided in confidence), section 43 (commercial interests)')
    expect(row(GRANT)![2]).toMatch(/<td class="num">3 <span class="path">\(24 words\)<\/span><\/td>/)
    expect(row(DEFERRED)![2]).toContain('Deferred until 20 June 2026')
    expect(row(WITHHELD)![2]).toContain('OFFICIAL-SENSITIVE [COMMERCIAL]')
    expect(row(INVALID)![2]).toContain('Invalid: 2 errors')
    // Due within 30 days of --at: listed first, in its own table.
    expect(body.indexOf('Due in the next 30 days')).toBeGreaterThan(-1)
    expect(body.indexOf(`data-path="${DEFERRED}"`)).toBeLessThan(body.indexOf(`data-path="${GRANT}"`))
  })

  it('filters by status with plain links', async () => {
    const body = await (await fetch(preview.url + '?status=deferred')).text()
    expect(body).toContain(`data-path="${DEFERRED}"`)
    expect(body).not.toContain(`data-path="${GRANT}"`)
    expect(body).toContain('<a href="/?status=deferred" aria-current="page">Deferred (1)</a>')
    const invalid = await (await fetch(preview.url + '?status=invalid')).text()
    expect(invalid).toContain(`data-path="${INVALID}"`)
    expect(invalid).not.toContain(`data-path="${DEFERRED}"`)
  })

  it('shows sensitive material marked and labelled, beside the exact public rendering', async () => {
    const res = await fetch(`${preview.url}paper/${GRANT}/`)
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('<span class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 40 (personal information)</span>Jordan Sample</span>')
    expect(body).toContain('<p class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 43 (commercial interests)</p>')
    expect(body).toContain('<p class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 40 (personal information); section 41 (information provided in confidence)</p>')
    // The public view is the public page itself, which holds outcome.public.html byte for byte.
    const bytes = readFileSync(join(temp.content, GRANT))
    const outcome = processPaper({path: join(temp.content, GRANT), relativePath: GRANT, bytes}, AT)
    const page = await publicPage(preview.url, body)
    expect(page).toContain(outcome.public!.html)
    // The redaction report and the warning.
    expect(body).toMatch(/<td>block<\/td><td>section 43 \(commercial interests\)<\/td><td>16-18<\/td><td class="num">11<\/td>/)
    expect(body).toContain('Public text carries the marking')
    expect(body).toContain('[prose-marking]')
  })

  it('shows only the public rendering on the public view', async () => {
    const body = await (await fetch(`${preview.url}paper/${GRANT}/?view=public`)).text()
    expect(body).not.toContain('Jordan Sample')
    expect(body).not.toContain('£1,234')
    const page = await publicPage(preview.url, body)
    expect(page).not.toContain('Jordan Sample')
    expect(page).not.toContain('£1,234')
    expect(page).toContain('mopac-withheld')
    const marked = await (await fetch(`${preview.url}paper/${GRANT}/?view=marked`)).text()
    expect(marked).toContain('Jordan Sample')
    expect(marked).not.toContain('data-view="public"')
  })

  it('redirects a paper address without its trailing slash', async () => {
    const res = await rawGet(preview.url, `/paper/${GRANT}?view=public`)
    expect(res.status).toBe(301)
    expect(res.headers.location).toBe(`/paper/${GRANT}/?view=public`)
  })

  it('shows an invalid paper with its errors, file:line:column and message, and keeps running', async () => {
    const res = await fetch(`${preview.url}paper/${INVALID}/`)
    expect(res.status).toBe(200)
    const body = await res.text()
    const file = join(temp.content, INVALID)
    expect(body).toContain(`<code>${file}:10:1</code> Unknown directive \`:::oficial-sensitive\``)
    expect(body).toContain(`<code>${file}:14:31</code> Unknown exemption \`s99\``)
    expect(body).toContain('2 errors: nothing is published while a paper has errors')
    expect((await fetch(preview.url)).status).toBe(200)
  })

  it('shows a deferred paper with the page it will have when due, and a withheld one', async () => {
    const deferred = await (await fetch(`${preview.url}paper/${DEFERRED}/?view=public`)).text()
    expect(deferred).toContain('Not public at')
    expect(deferred).toContain('deferred until 20 June 2026')
    expect(deferred).toContain('mopac-withheld')
    expect(deferred).not.toContain('£4.5m')
    const withheld = await (await fetch(`${preview.url}paper/${WITHHELD}/?view=public`)).text()
    expect(withheld).toContain('Withheld whole: the paper is classified OFFICIAL-SENSITIVE [COMMERCIAL]')
    expect(withheld).not.toContain('Nothing of this paper is published.')
  })

  it('serves images from the content folder for both views', async () => {
    const marked = await rawGet(preview.url, '/content/images/chart.svg')
    expect(marked.status).toBe(200)
    expect(marked.headers['content-type']).toBe('image/svg+xml')
    expect(marked.headers['content-security-policy']).toContain('sandbox')
    const publicFile = await rawGet(preview.url, `/paper/${GRANT}/files/chart.svg`)
    expect(publicFile.status).toBe(200)
    expect(publicFile.body).toContain('<title>Chart</title>')
  })

  it('reads nothing outside the content folder', async () => {
    const attempts = [
      '/content/../outside/secret.txt',
      '/content/%2e%2e/outside/secret.txt',
      '/content/%2E%2E/outside/secret.txt',
      '/content/..%2foutside%2fsecret.txt',
      '/content/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/content/images/..%5c..%5coutside%5csecret.txt',
      '/content//etc/passwd',
      '/content/%2Fetc%2Fpasswd',
      `/content/${encodeURIComponent(join(temp.root, 'outside', 'secret.txt'))}`,
      '/content/images/link.svg',
      '/content/outlink/secret.txt',
      '/content/.env',
      `/content/${GRANT}`,
      `/paper/${GRANT}/files/../../../outside/secret.txt`,
      `/paper/${GRANT}/files/%2e%2e/%2e%2e/outside/secret.txt`,
      `/paper/..%2f..%2foutside/secret.txt`,
      '/assets/../../outside/secret.txt',
      '/../outside/secret.txt',
      '/%2e%2e/outside/secret.txt'
    ]
    for (const path of attempts) {
      const res = await rawGet(preview.url, path)
      expect([400, 404], path).toContain(res.status)
      expect(res.body, path).not.toContain('TOP-SECRET-OUTSIDE')
      expect(res.body, path).not.toContain('root:')
      expect(res.body, path).not.toContain('HIDDEN=1')
    }
  })

  it('refuses other methods and requests addressed to another host name', async () => {
    expect((await rawGet(preview.url, '/', {}, 'POST')).status).toBe(405)
    const rebound = await rawGet(preview.url, '/', {Host: 'attacker.example:' + preview.port})
    expect(rebound.status).toBe(403)
    expect(rebound.body).not.toContain(GRANT)
    const local = await rawGet(preview.url, '/', {Host: 'localhost:' + preview.port})
    expect(local.status).toBe(200)
  })

  it('updates an open page when its paper is saved, rebuilding only that paper', async () => {
    const page = await (await fetch(`${preview.url}paper/${GRANT}/`)).text()
    const other = preview.store.entries.get(DEFERRED)!.outcome
    const stream = nextReload(preview.url, eventsPathOf(page))
    await stream.connected
    const file = join(temp.content, GRANT)
    const text = readFileSync(file, 'utf8').replace('Jordan Sample', 'Robin Example')
    writeFileSync(file, text)
    await stream.reload
    const updated = await (await fetch(`${preview.url}paper/${GRANT}/`)).text()
    expect(updated).toContain('Robin Example</span>')
    expect(updated).not.toContain('Jordan Sample')
    expect(preview.store.entries.get(DEFERRED)!.outcome).toBe(other)
  })

  it('follows a save made by writing a temporary file and renaming it over the paper', async () => {
    const page = await (await fetch(`${preview.url}paper/${GRANT}/`)).text()
    const stream = nextReload(preview.url, eventsPathOf(page))
    await stream.connected
    const file = join(temp.content, GRANT)
    const swap = join(temp.content, `.${GRANT}.tmp`)
    writeFileSync(swap, readFileSync(file, 'utf8').replace('Robin Example', 'Sam Example'))
    renameSync(swap, file)
    await stream.reload
    await until(async () => (await (await fetch(`${preview.url}paper/${GRANT}/`)).text()).includes('Sam Example</span>'))
  })

  it('keeps the last of two saves made within a few milliseconds', async () => {
    const file = join(temp.content, GRANT)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('Sam Example', 'First Save'))
    await new Promise((resolve) => setTimeout(resolve, 15))
    writeFileSync(file, text.replace('Sam Example', 'Second Save'))
    await until(async () => (await (await fetch(`${preview.url}paper/${GRANT}/`)).text()).includes('Second Save</span>'))
  })

  it('reloads a page whose change came before its event stream connected', async () => {
    const page = await (await fetch(`${preview.url}paper/${GRANT}/`)).text()
    const file = join(temp.content, GRANT)
    const seq = preview.store.seq
    writeFileSync(file, readFileSync(file, 'utf8').replace('who will manage', 'who manages'))
    await until(() => preview.store.seq > seq)
    const stream = nextReload(preview.url, eventsPathOf(page))
    await stream.reload
  })

  it('tells a page to reload after a server restart, or when the first scan it waited for is done', async () => {
    const events = eventsPathOf(await (await fetch(preview.url)).text())
    const restarted = nextReload(preview.url, events.replace(/boot=\w+/, 'boot=0000'))
    await restarted.reload
    const loading = nextReload(preview.url, events + '&loading=1')
    await loading.reload
  })

  it('follows papers added, fixed and removed', async () => {
    const home = await (await fetch(preview.url)).text()
    const stream = nextReload(preview.url, eventsPathOf(home))
    await stream.connected
    mkdirSync(join(temp.content, 'sub'))
    writeFileSync(join(temp.content, 'sub', 'new.md'), '---\nid: "PCD 2005"\ntitle: "New"\ndate: "2026-05-01"\nclassification: "OFFICIAL"\n---\n\nHello :official-sensitive[there]{exemptions="s40"}.\n')
    await stream.reload
    await until(async () => (await (await fetch(preview.url)).text()).includes('data-path="sub/new.md" data-status="public"'))
    const page = await (await fetch(`${preview.url}paper/sub/new.md/`)).text()
    expect(page).toContain('OFFICIAL-SENSITIVE, section 40 (personal information)</span>there</span>')

    // Names that need escaping in addresses and HTML.
    writeFileSync(join(temp.content, 'sub', 'a b#&<c>%.md'), '---\nid: "PCD 2006"\ntitle: "<b>T</b>"\ndate: "2026-05-01"\nclassification: "OFFICIAL"\n---\n\nText.\n')
    await until(async () => (await (await fetch(preview.url)).text()).includes('data-path="sub/a b#&amp;&lt;c&gt;%.md"'))
    const list = await (await fetch(preview.url)).text()
    expect(list).toContain('<a href="/paper/sub/a%20b%23%26%3Cc%3E%25.md/">&lt;b&gt;T&lt;/b&gt;</a>')
    expect((await fetch(`${preview.url}paper/sub/a%20b%23%26%3Cc%3E%25.md/`)).status).toBe(200)

    // An invalid paper fixed on disk becomes public.
    const invalid = join(temp.content, INVALID)
    writeFileSync(invalid, readFileSync(invalid, 'utf8').replace(':::oficial-sensitive', ':::official-sensitive').replace('s99', 's43'))
    await until(async () => (await (await fetch(preview.url)).text()).includes(`data-path="${INVALID}" data-status="public"`))

    // A second paper with the same id: both invalid, as the build would say.
    writeFileSync(join(temp.content, 'sub', 'copy.md'), readFileSync(join(temp.content, 'sub', 'new.md')))
    await until(async () => (await (await fetch(preview.url)).text()).includes('data-path="sub/copy.md" data-status="invalid"'))
    expect(await (await fetch(`${preview.url}paper/sub/new.md/`)).text()).toContain('[slug-duplicate]')
    rmSync(join(temp.content, 'sub', 'copy.md'))
    await until(async () => (await (await fetch(preview.url)).text()).includes('data-path="sub/new.md" data-status="public"'))

    // A file that cannot be read is shown as invalid; the server keeps going.
    mkdirSync(join(temp.content, 'sub', 'folder.md'))
    const unreadable = await preview.store.refresh('sub/folder.md')
    expect(unreadable).toBe(true)
    expect(await (await fetch(`${preview.url}paper/sub/folder.md/`)).text()).toContain('Cannot read the file (a folder)')

    rmSync(join(temp.content, 'sub'), {recursive: true})
    await until(async () => !(await (await fetch(preview.url)).text()).includes('sub/'))
    expect((await fetch(`${preview.url}paper/sub/new.md/`)).status).toBe(404)
  })

  it('wrote nothing', () => {
    const after = snapshot(temp.root).filter((line) => !line.startsWith('content/' + GRANT) && !line.startsWith('content ') && !line.startsWith('content/' + INVALID))
    expect(after).toEqual(before.filter((line) => !line.startsWith('content/' + GRANT) && !line.startsWith('content ') && !line.startsWith('content/' + INVALID)))
  })
})

describe('preview server with a token', () => {
  let temp: ReturnType<typeof tempContent>
  let preview: Preview
  const TOKEN = 'test-token-0123456789abcdef'

  beforeAll(async () => {
    temp = tempContent()
    preview = await startPreview({content: temp.content, host: '127.0.0.1', port: 0, at: AT, token: TOKEN, watch: false})
    await preview.ready
  })

  afterAll(async () => {
    await preview?.close()
    temp?.cleanup()
  })

  it('answers 401 without the token, or with a wrong one', async () => {
    expect(preview.openUrl).toBe(`${preview.url}?token=${TOKEN}`)
    for (const path of ['/', `/paper/${GRANT}/`, '/content/images/chart.svg', '/events', '/assets/preview.css']) {
      const res = await rawGet(preview.url, path)
      expect(res.status, path).toBe(401)
      expect(res.body).not.toContain('Jordan Sample')
      expect(res.headers['cache-control']).toBe('no-store')
    }
    expect((await rawGet(preview.url, '/?token=wrong')).status).toBe(401)
    expect((await rawGet(preview.url, '/', {Cookie: `mopac_preview_${preview.port}=wrong`})).status).toBe(401)
    expect((await rawGet(preview.url, '/', {Cookie: `mopac_preview_${preview.port}=${TOKEN.slice(0, -1)}`})).status).toBe(401)
  })

  it('takes the token once from the URL, then from an HttpOnly SameSite=Strict cookie', async () => {
    const first = await rawGet(preview.url, `/paper/${GRANT}/?view=public&token=${TOKEN}`)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe(`/paper/${GRANT}/?view=public`)
    const cookie = first.headers['set-cookie']![0]
    expect(cookie).toMatch(new RegExp(`^mopac_preview_${preview.port}=${TOKEN};`))
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const pair = cookie.split(';')[0]
    const page = await rawGet(preview.url, first.headers.location!, {Cookie: pair})
    expect(page.status).toBe(200)
    expect(page.body).toContain('data-view="public"')
    expect(page.body).not.toContain(TOKEN)
    // Off loopback the Host header is not checked: the token is the guard.
    expect((await rawGet(preview.url, '/', {Cookie: pair, Host: 'preview.example:8080'})).status).toBe(200)
  })

  it('never redirects off the site', async () => {
    const res = await rawGet(preview.url, `//attacker.example/?token=${TOKEN}`)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/')
  })

  it('requires a token by default off loopback, and generates one', async () => {
    const other = await startPreview({content: temp.content, host: '127.0.0.1', port: 0, requireToken: true, watch: false})
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect((await rawGet(other.url, '/')).status).toBe(401)
      expect((await rawGet(other.url, `/?token=${other.token}`)).status).toBe(303)
    } finally {
      await other.close()
    }
  })
})

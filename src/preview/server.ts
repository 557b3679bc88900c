/**
 * The reviewer preview server: a local web server over the content folder
 * that shows every paper, whatever its status, with sensitive material
 * marked, beside the exact public rendering. Reads the content folder only;
 * writes nothing anywhere.
 *
 * Loopback only by default. Bound to any other address it requires a token,
 * given once in the URL (`?token=`) and then carried by an HttpOnly,
 * SameSite=Strict cookie. Serves files from the content folder only after a
 * realpath check, and its own assets from memory.
 */
import {createHmac, randomBytes} from 'node:crypto'
import {createReadStream} from 'node:fs'
import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {watch, type FSWatcher} from 'chokidar'
import {serialize as serializeCookie} from 'cookie'
import {processPaper} from '../publish/process.js'
import type {PaperStatus} from '../publish/outcome.js'
import type {AssetRef} from '../pipeline/data.js'
import {previewCss, previewJs} from './assets.js'
import {html} from './html.js'
import {homePage, messagePage, paperPage, STATUSES, type View} from './pages.js'
import {build, checkAssets, paperIdentities} from '../build/build.js'
import {baseHeaders, FILE_CSP, SITE_CSP, generateToken, isLoopback, parseCookies, realFileInside, tokensEqual} from './security.js'
import {PaperStore} from './store.js'
import type {ApprovalCheck} from '../publish/decide.js'
import {approversOf, isVisibleName, renderingHash, renderingText, renderingToApprove, sha256, type Approval} from '../publish/approvals.js'
import {APPROVALS_FILE, ApprovalsFileError, appendApproval, readApprovals} from '../release/approvals.js'
import type {SiteConfig} from '../config/types.js'
import {liveSlugs, releaseDates} from '../release/release.js'
import {readLog} from '../release/log.js'
import {lastPublished} from '../release/published.js'
import {siteBuildId} from '../build/write.js'
import type {PublicPaper} from '../publish/types.js'
import {paperPageOf, planSite, type SitePlan} from '../site/render.js'
import {FAVICON_SVG} from '../site/layout.js'
import {siteCss} from '../site/style.generated.js'
import {pathSegments, paperUrl} from './urls.js'

export interface PreviewOptions {
  /** Content folder. */
  content: string
  /** Address to listen on (default 127.0.0.1). */
  host?: string
  /** Port (default 4321; 0 picks a free one). */
  port?: number
  /** Fixed instant to compute statuses at (`--at`). */
  at?: Date
  /** The clock, when `at` is not given (default: the system clock). */
  now?: () => Date
  /** Access token. Given, it is always required. */
  token?: string
  /** Require a token (default: when `host` is not loopback); one is generated when not given. */
  requireToken?: boolean
  /** Watch the content folder for changes (default true). */
  watch?: boolean
  /** Wait this long after the last event for a file before rereading it (default 25 ms). */
  debounceMs?: number
  /** The build's cache folder, read (never written) to speed up the first scan. */
  cacheDir?: string
  /**
   * What the build renders public pages with, so the preview's public page
   * is the built page byte for byte: the site configuration, the state
   * folder (release log: first-published dates) and the live site folder.
   */
  site?: {config?: SiteConfig; baseUrl?: string; state?: string; out?: string}
  /** The site's approval policy (config `approvals`), as the build applies it; approvals are read from the content folder. */
  approvals?: {required: number}
  /** Progress and change lines. */
  log?: (line: string) => void
}

export interface Preview {
  /** The server's address, e.g. `http://127.0.0.1:4321/`. */
  url: string
  /** The address to open: `url` with `?token=` when a token is required. */
  openUrl: string
  /** The token, when one is required. */
  token?: string
  host: string
  port: number
  /** Settles when every paper has been processed and the watcher is running. */
  ready: Promise<void>
  store: PaperStore
  close(): Promise<void>
}

export class PreviewError extends Error {}

/** chokidar emits at most one `change` per file per 50 ms and drops the rest. */
const CHOKIDAR_THROTTLE_MS = 50

interface Subscriber {
  res: http.ServerResponse
  paper?: string
}

const contentTypes: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.odt': 'application/vnd.oasis.opendocument.text'
}
/** Shown in the page; everything else is offered as a download. */
const inline = new Set(['.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.txt', '.csv'])

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return os.hostname()
  return host.includes(':') ? `[${host}]` : host
}

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const content = options.content
  let stat
  try {
    stat = await fs.stat(content)
  } catch {}
  if (!stat?.isDirectory()) throw new PreviewError(`Content folder \`${content}\` does not exist: give the folder of papers with --content`)
  const realRoot = await fs.realpath(content)
  const host = options.host ?? '127.0.0.1'
  const loopback = isLoopback(host)
  const requireToken = options.token !== undefined || (options.requireToken ?? !loopback)
  const token = requireToken ? options.token ?? generateToken() : undefined
  const fixed = options.at !== undefined
  const at = options.at
  const clock = options.now ?? (() => new Date())
    // Approvals: read from the content folder now and whenever the file changes.
  const required = options.approvals?.required ?? 0
  let approvalRecords: Approval[] = []
  const reloadApprovals = async () => {
    approvalRecords = (await readApprovals(content).catch(() => ({records: []}))).records
  }
  await reloadApprovals()
  const approval: ApprovalCheck = {required, hash: renderingHash, approvers: (id, hash) => approversOf(approvalRecords, id, hash)}
  const store = new PaperStore({content, realRoot, now: at ? () => at : clock, cacheDir: options.cacheDir, approval})
  const log = options.log ?? (() => {})
  const boot = randomBytes(6).toString('hex')
  const subscribers = new Set<Subscriber>()
  let port = options.port ?? 4321
  let cookieName = ''
  let allowedHosts = new Set<string>()
  let publicUrl = ''

  // --- responses ------------------------------------------------------------

  function send(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    const bytes = Buffer.from(body, 'utf8')
    res.writeHead(status, {...baseHeaders(), 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(bytes.length), ...headers})
    res.end(req.method === 'HEAD' ? undefined : bytes)
  }

  function redirect(req: http.IncomingMessage, res: http.ServerResponse, status: number, location: string, headers: Record<string, string> = {}): void {
    send(req, res, status, messagePage('Moved', html`<a href="${location}">Continue</a>`), {Location: location, ...headers})
  }

  const notFound = (req: http.IncomingMessage, res: http.ServerResponse, what = 'There is nothing at this address.') =>
    send(req, res, 404, messagePage('Not found', html`${what} <a href="/">All papers</a>`))

  async function sendFile(req: http.IncomingMessage, res: http.ServerResponse, real: string): Promise<void> {
    const info = await fs.stat(real)
    const ext = path.extname(real).toLowerCase()
    const headers: Record<string, string> = {
      ...baseHeaders(FILE_CSP),
      'Content-Type': contentTypes[ext] ?? 'application/octet-stream',
      'Content-Length': String(info.size)
    }
    if (!inline.has(ext)) headers['Content-Disposition'] = 'attachment'
    res.writeHead(200, headers)
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(real)
      stream.on('error', () => {
        res.destroy()
        resolve()
      })
      stream.on('end', resolve)
      stream.pipe(res)
    })
  }

  // --- access ---------------------------------------------------------------

  /** Whether the request may go on; answers it when not. */
  function admit(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string, query: URLSearchParams): boolean {
    if (!token) {
      // Why: a page on another site can point its own name at 127.0.0.1 (DNS
      // rebinding); only requests addressed to this machine by name get in.
      const hostHeader = (req.headers.host ?? '').toLowerCase()
      if (!allowedHosts.has(hostHeader)) {
        send(req, res, 403, messagePage('Forbidden', html`Open the preview at <a href="${publicUrl}">${publicUrl}</a>.`))
        return false
      }
      return true
    }
    const presented = query.get('token')
    if (presented !== null) {
      if (!tokensEqual(presented, token)) {
        unauthorized(req, res)
        return false
      }
      query.delete('token')
      // Strip the token from the address bar (and history) at once.
      const safePath = pathSegments(rawPath) ? rawPath : '/'
      const rest = query.toString()
      redirect(req, res, 303, safePath + (rest ? '?' + rest : ''), {
        'Set-Cookie': serializeCookie(cookieName, token, {httpOnly: true, sameSite: 'strict', path: '/'})
      })
      return false
    }
    const cookie = parseCookies(req.headers.cookie).get(cookieName)
    if (cookie === undefined || !tokensEqual(cookie, token)) {
      unauthorized(req, res)
      return false
    }
    return true
  }

  function unauthorized(req: http.IncomingMessage, res: http.ServerResponse): void {
    send(req, res, 401, messagePage('Token required', 'This preview needs its access token: open the address printed by `mopac preview`, which carries ?token=.'))
  }

  // --- routes ---------------------------------------------------------------

  function eventsUrl(paper?: string): string {
    const params = new URLSearchParams({boot, since: String(store.seq)})
    if (paper !== undefined) params.set('paper', paper)
    if (!store.ready) params.set('loading', '1')
    return '/events?' + params.toString()
  }

  function needsReload(sub: Subscriber, query: URLSearchParams): boolean {
    if (query.get('boot') !== boot) return true
    if (query.get('loading') === '1' && store.ready) return true
    const since = Number(query.get('since'))
    if (!Number.isFinite(since)) return true
    if (sub.paper !== undefined) {
      const entry = store.entries.get(sub.paper)
      return !entry || entry.changedSeq > since
    }
    return store.seq > since
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): void {
    res.writeHead(200, {...baseHeaders(), 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive'})
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    res.write('retry: 1000\n\n')
    const sub: Subscriber = {res, paper: query.get('paper') ?? undefined}
    if (needsReload(sub, query)) {
      res.write('event: reload\ndata: {}\n\n')
    }
    subscribers.add(sub)
    req.on('close', () => subscribers.delete(sub))
  }

  store.onChange((paths, seq) => {
    const data = JSON.stringify({paths: paths.length > 20 ? [] : paths, seq})
    for (const sub of subscribers) {
      if (sub.paper === undefined || paths.includes(sub.paper)) sub.res.write(`event: reload\ndata: ${data}\n\n`)
    }
  })

  async function home(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const value = query.get('status')
    const status = value && (STATUSES as string[]).includes(value) ? (value as PaperStatus) : undefined
    if (store.ready) await store.refreshStale()
    send(req, res, 200, homePage({store, status, fixed, events: eventsUrl()}))
  }

  /** The paper whose relative path is a prefix of `segments`, and what follows it. */
  function findPaper(segments: string[]): {rel: string; rest: string[]} | undefined {
    for (let i = 0; i < segments.length; i++) {
      const rel = segments.slice(0, i + 1).join('/')
      if (store.entries.has(rel)) return {rel, rest: segments.slice(i + 1)}
    }
    return undefined
  }

  async function paper(req: http.IncomingMessage, res: http.ServerResponse, rawPath: string, segments: string[], query: URLSearchParams): Promise<void> {
    const found = findPaper(segments)
    if (!found) return notFound(req, res, `No paper \`${segments.join('/')}\` in the content folder (it may have been removed).`)
    const entry = await store.ensure(found.rel)
    await refreshKept()
    const outcome = entry && store.view(entry)
    if (!entry || !outcome) return notFound(req, res, `No paper \`${found.rel}\` in the content folder (it may have been removed).`)
    if (found.rest.length === 0) {
      if (!rawPath.endsWith('/')) {
        const rest = query.toString()
        return redirect(req, res, 301, paperUrl(found.rel, rest ? '?' + rest : ''))
      }
      const value = query.get('view')
      const view: View = value === 'marked' || value === 'public' ? value : 'both'
      const decision = store.decision(entry)
      const due = decision?.status === 'deferred' ? await dueRendering(found.rel, decision.until) : undefined
      return send(req, res, 200, paperPage({store, entry, outcome, view, fixed, events: eventsUrl(found.rel), approvals: {required, records: approvalRecords, formToken: formToken(found.rel), ...(due?.rendering ? {due: {rendering: due.rendering, at: due.at}} : {})}}))
    }
    // A file the public rendering refers to (`files/chart.svg`, relative to the page).
    const target = found.rest.join('/')
    let refs: AssetRef[] = outcome.status === 'public' ? outcome.assetRefs : []
    if (outcome.status === 'deferred' && outcome.deferUntil) {
      const input = store.input(entry)
      const later = input ? processPaper(input, new Date(outcome.deferUntil)) : undefined
      refs = later?.status === 'public' ? later.assetRefs : []
    }
    const ref = refs.find((r) => r.target === target)
    const real = ref && (await realFileInside(realRoot, ref.source))
    if (!real) return notFound(req, res)
    await sendFile(req, res, real)
  }

  async function contentFile(req: http.IncomingMessage, res: http.ServerResponse, segments: string[]): Promise<void> {
    // Papers are shown, never served raw; hidden files (.git, .env) never.
    if (segments.length === 0 || segments.some((s) => s.startsWith('.')) || segments.at(-1)!.toLowerCase().endsWith('.md')) return notFound(req, res)
    const real = await realFileInside(realRoot, segments.join('/'))
    if (!real) return notFound(req, res)
    // The build's own rules: no paper (by name, symlink or frontmatter) goes out raw.
    const papers = await paperIdentities([...store.entries.keys()].map((relativePath) => path.join(realRoot, relativePath)))
    const {messages} = await checkAssets(content, realRoot, [{source: segments.join('/'), target: 'file'}], papers)
    if (messages.some((m) => m.ruleId === 'asset-paper' || m.ruleId === 'asset-outside')) return notFound(req, res)
    await sendFile(req, res, real)
  }

  // --- the public pages, as the build writes them ----------------------------

  const planned = new Map<boolean, {seq: number; at: number; plan: SitePlan}>()

  /** The versions the site keeps for held papers (from the state folder), so the preview shows the site as it is. */
  let keptSignature = ''
  async function refreshKept(): Promise<void> {
    const state = options.site?.state
    if (!state) return
    const kept = new Map<string, PublicPaper>()
    // (Kept only while the record is the live site's, as a release decides.)
    const liveBuild = options.site?.out ? await siteBuildId(options.site.out) : undefined
    for (const rel of store.heldPaths()) {
      const paper = await lastPublished(state, rel, liveBuild).catch(() => undefined)
      if (paper) kept.set(rel, paper)
    }
    const signature = JSON.stringify([...kept].map(([rel, paper]) => [rel, renderingHash(paper)]))
    if (signature === keptSignature) return
    keptSignature = signature
    store.kept = kept
    store.keptChanged()
    planned.clear()
  }

  /**
   * The site the build would make at the preview's instant (its pages
   * rendered on request); with `candidates`, papers awaiting approval as they
   * will be once approved.
   */
  async function sitePlan(candidates: boolean): Promise<SitePlan> {
    if (store.ready) await store.refreshStale()
    await refreshKept()
    const now = store.now()
    const cached = planned.get(candidates)
    if (cached && cached.seq === store.seq && cached.at === now.getTime()) return cached.plan
    const papers = store.publishedPapers(candidates)
    const site = options.site ?? {}
    const log = site.state ? await readLog(site.state).catch(() => []) : []
    const live = site.out ? await liveSlugs(site.out) : new Set<string>()
    const plan = planSite(papers, {baseUrl: site.baseUrl, config: site.config, dates: releaseDates(papers, log, now, live)})
    planned.set(candidates, {seq: store.seq, at: now.getTime(), plan})
    return plan
  }

  /**
   * `/site/…`: the public site's paper pages, exactly as the build writes
   * them at this instant (same renderer, same papers, same dates), with the
   * site's stylesheet and each page's files, so reviewers see the public page
   * itself. Nothing else of the site is served.
   */
  async function sitePage(req: http.IncomingMessage, res: http.ServerResponse, segments: string[], candidates = false): Promise<void> {
    const framed = {...baseHeaders(SITE_CSP), 'X-Frame-Options': 'SAMEORIGIN'}
    const path = segments.join('/')
    if (path === 'assets/site.css') return send(req, res, 200, siteCss, {...framed, 'Content-Type': 'text/css; charset=utf-8'})
    if (path === 'assets/favicon.svg') return send(req, res, 200, FAVICON_SVG, {...framed, 'Content-Type': 'image/svg+xml'})
    const [dir, slug, ...rest] = segments
    const plan = await sitePlan(candidates)
    const page = dir === 'decisions' && slug ? paperPageOf(plan, slug) : undefined
    if (!page) return send(req, res, 404, messagePage('Not in the preview', html`The preview shows public paper pages only: not public at this instant, or not a paper page. <a href="/">All papers</a>`), framed)
    if (rest.length === 0 || (rest.length === 1 && rest[0] === 'index.html')) return send(req, res, 200, page[1], framed)
    const paper = plan.sorted.find((p) => p.slug === slug)
    const target = rest.join('/')
    if (paper && target === 'index.md') return send(req, res, 200, paper.markdown, {...framed, 'Content-Type': 'text/markdown; charset=utf-8'})
    const asset = paper?.assets.find((a) => a.target === target)
    if (!asset) return notFound(req, res)
    const ext = target.slice(target.lastIndexOf('.')).toLowerCase()
    const headers: Record<string, string> = {...baseHeaders(FILE_CSP), 'Content-Type': contentTypes[ext] ?? 'application/octet-stream', 'Content-Length': String(asset.bytes.length)}
    if (!inline.has(ext)) headers['Content-Disposition'] = 'attachment'
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(asset.bytes))
  }

  /** The form body of a POST (URL-encoded, at most 16 KB). */
  async function formBody(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return undefined
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > 16_384) return undefined
      chunks.push(chunk as Buffer)
    }
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
  }

  /**
   * POST /paper/<file>/approve: record an approval of the rendering the
   * reviewer was shown (its hash is in the form; a rendering that changed
   * since is refused, so nobody approves what they did not see).
   */
  async function approve(req: http.IncomingMessage, res: http.ServerResponse, segments: string[]): Promise<void> {
    // Why: a form on another site must not approve in a reviewer's name (the
    // cookie is SameSite=Strict; the browser's fetch metadata says the rest).
    const site = req.headers['sec-fetch-site']
    const origin = req.headers.origin
    if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== 'null' && !allowedOrigin(origin))) {
      return send(req, res, 403, messagePage('Forbidden', 'Approvals are made from the preview’s own pages.'))
    }
    const found = findPaper(segments.slice(0, -1))
    const entry = found && found.rest.length === 0 ? await store.ensure(found.rel) : undefined
    const decision = entry && store.decision(entry)
    const rendering = decision?.status === 'deferred' ? (await dueRendering(entry!.relativePath, decision.until)).rendering : decision && renderingToApprove(decision)
    const form = await formBody(req)
    if (!entry || !rendering || !form) return send(req, res, 400, messagePage('Cannot approve', html`Only a paper with a public rendering at this instant can be approved. <a href="/">All papers</a>`))
    const approver = (form.get('approver') ?? '').trim()
    const text = renderingText(rendering)
    const hash = sha256(text)
    if (!isVisibleName(approver)) return send(req, res, 400, messagePage('Cannot approve', html`Give your name. <a href="${paperUrl(entry.relativePath)}">Back to the paper</a>`))
    // Why: only a page this preview served carries the form token (a forged
    // form from elsewhere cannot read it), whatever the browser says of origins.
    if (!tokensEqual(form.get('form') ?? '', formToken(entry.relativePath))) {
      return send(req, res, 403, messagePage('Forbidden', html`Approve from the paper's page in this preview. <a href="${paperUrl(entry.relativePath)}">Back to the paper</a>`))
    }
    if (form.get('sha256') !== hash) {
      return send(req, res, 409, messagePage('The paper changed', html`Its public rendering changed since the page was loaded: review it again before approving. <a href="${paperUrl(entry.relativePath)}">Back to the paper</a>`))
    }
    const note = (form.get('note') ?? '').trim()
    try {
      await appendApproval(content, {paper: rendering.id, file: entry.relativePath, approver, at: clock().toISOString(), sha256: hash, rendering: text, ...(note ? {note} : {})})
    } catch (error) {
      if (!(error instanceof ApprovalsFileError)) throw error
      return send(req, res, 409, messagePage('Cannot approve', error.message))
    }
    await reloadApprovals()
    store.approvalsChanged()
    log(`Approved ${rendering.id} (sha256 ${hash.slice(0, 12)}) as ${approver}`)
    redirect(req, res, 303, paperUrl(entry.relativePath))
  }

  /**
   * A deferred paper's rendering as it will be released (at the end of its
   * deferral), made as \`mopac approve\` makes it: by a build of the content
   * folder at that instant, with the approval policy. Cached per change.
   */
  const dueRenderings = new Map<string, {seq: number; rendering: PublicPaper | undefined; at: Date}>()
  async function dueRendering(relativePath: string, until: string): Promise<{rendering: PublicPaper | undefined; at: Date}> {
    const cached = dueRenderings.get(relativePath)
    if (cached && cached.seq === store.seq) return cached
    const at = new Date(until)
    const later = await build({content, now: at, render: false, hold: true, approval})
    const decision = later.decisions.get(relativePath)
    const result = {seq: store.seq, rendering: decision && renderingToApprove(decision), at}
    dueRenderings.set(relativePath, result)
    return result
  }

  /** The form token of a paper's Approve form: an HMAC of its path under a key made at start. */
  const formKey = randomBytes(32)
  function formToken(relativePath: string): string {
    return createHmac('sha256', formKey).update(relativePath).digest('hex')
  }

  function allowedOrigin(origin: string): boolean {
    try {
      const url = new URL(origin)
      return token ? true : allowedHosts.has(url.host.toLowerCase())
    } catch {
      return false
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method === 'POST') {
      const rawUrl = req.url ?? '/'
      const q = rawUrl.indexOf('?')
      const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q)
      if (!admit(req, res, rawPath, new URLSearchParams())) return
      const segments = pathSegments(rawPath)
      if (segments && segments[0] === 'paper' && segments.at(-1) === 'approve') return approve(req, res, segments.slice(1))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {...baseHeaders(), Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8'})
      res.end('Method not allowed\n')
      return
    }
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q)
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1))
    if (!admit(req, res, rawPath, query)) return
    const segments = pathSegments(rawPath)
    if (!segments) return send(req, res, 400, messagePage('Bad address', html`That address is not allowed. <a href="/">All papers</a>`))
    const [first, ...rest] = segments
    if (first === undefined) return home(req, res, query)
    if (first === 'assets' && rest.length === 1 && rest[0] === 'preview.css') return send(req, res, 200, previewCss, {'Content-Type': 'text/css; charset=utf-8'})
    if (first === 'assets' && rest.length === 1 && rest[0] === 'preview.js') return send(req, res, 200, previewJs, {'Content-Type': 'text/javascript; charset=utf-8'})
    if (first === 'events' && rest.length === 0) return events(req, res, query)
    if (first === 'paper') return paper(req, res, rawPath, rest, query)
    if (first === 'content') return contentFile(req, res, rest)
    if (first === 'site') return sitePage(req, res, rest)
    // The same, with papers awaiting approval as they will be once approved.
    if (first === 'candidate') return sitePage(req, res, rest, true)
    return notFound(req, res)
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`Preview error on ${req.url}: ${(error as Error)?.stack ?? error}`)
      if (!res.headersSent) send(req, res, 500, messagePage('Preview error', String((error as Error)?.message ?? error)))
      else res.destroy()
    })
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PreviewError(`Port ${port} on ${host} is in use: stop the other server or give another --port`)
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? new PreviewError(`Cannot listen on ${host}: it is not an address of this machine`)
            : error.code === 'EACCES'
              ? new PreviewError(`Not allowed to listen on port ${port}: give a port above 1023`)
              : error
      )
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  port = (server.address() as {port: number}).port
  cookieName = `mopac_preview_${port}`
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${urlHost(host).toLowerCase()}:${port}`])
  publicUrl = `http://${urlHost(host)}:${port}/`

  // --- watching ---------------------------------------------------------------

  const absContent = path.resolve(content)
  const timers = new Map<string, NodeJS.Timeout>()
  const debounceMs = options.debounceMs ?? 25
  let watcher: FSWatcher | undefined
  let watcherReady: Promise<void> = Promise.resolve()
  if (options.watch !== false) {
    watcher = watch(absContent, {
      ignoreInitial: true,
      followSymlinks: false,
      // As discovery does: no hidden files or folders, no node_modules.
      ignored: (file: string) => {
        const rel = path.relative(absContent, file)
        return rel !== '' && rel.split(path.sep).some((s) => s.startsWith('.') || s === 'node_modules')
      }
    })
    watcherReady = new Promise((resolve) => watcher!.once('ready', () => resolve()))
    /** Reread a paper, logging what changed. */
    const reread = (rel: string) => {
      const start = performance.now()
      store.refresh(rel).then(
        (changed) => {
          if (!changed) return
          const entry = store.entries.get(rel)
          const outcome = entry && store.view(entry)
          log(outcome ? `Updated ${entry!.path}: ${outcome.status} (${Math.round(performance.now() - start)} ms)` : `Removed ${path.join(content, rel)}`)
        },
        (error) => log(`Cannot read ${rel}: ${error}`)
      )
    }
    const later = (key: string, ms: number, action: () => void) => {
      clearTimeout(timers.get(key))
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key)
          action()
        }, ms)
      )
    }
    watcher.on('all', (event, file) => {
      const rel = path.relative(absContent, file).split(path.sep).join('/')
      if (rel === '' || rel.startsWith('../')) return
      if (event === 'unlinkDir') {
        // Papers under a folder that went (chokidar reports most, not all, of them).
        for (const known of store.entries.keys()) if (known === rel || known.startsWith(rel + '/')) later(known, debounceMs, () => reread(known))
        return
      }
      if (event !== 'add' && event !== 'change' && event !== 'unlink') return
      if (rel === APPROVALS_FILE) {
        later('\0approvals', debounceMs, () => reloadApprovals().then(() => store.approvalsChanged()))
        return
      }
      if (!rel.endsWith('.md')) {
        later('\0asset:' + rel, debounceMs, () => store.refreshAsset(rel).catch((error) => log(`Cannot recheck ${rel}: ${error}`)))
        return
      }
      later(rel, debounceMs, () => reread(rel))
      // Why: chokidar drops a second change to a file within 50 ms of the
      // first (formatter-on-save, atomic saves). Read once more after that
      // window; an unchanged file costs one read and no update.
      later('\0again:' + rel, debounceMs + CHOKIDAR_THROTTLE_MS + 10, () => reread(rel))
    })
    watcher.on('error', (error) => log(`Watcher: ${error}`))
  }

  const ping = setInterval(() => {
    for (const sub of subscribers) sub.res.write(': ping\n\n')
  }, 20_000)
  ping.unref()

  const ready = Promise.all([store.load(), watcherReady]).then(() => undefined)
  ready.catch((error) => log(`Cannot read the content folder: ${error}`))

  let closing: Promise<void> | undefined
  return {
    url: publicUrl,
    openUrl: token ? `${publicUrl}?token=${token}` : publicUrl,
    token,
    host,
    port,
    ready,
    store,
    close() {
      closing ??= (async () => {
        clearInterval(ping)
        for (const timer of timers.values()) clearTimeout(timer)
        timers.clear()
        store.close()
        for (const sub of subscribers) sub.res.end()
        subscribers.clear()
        await watcher?.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return closing
    }
  }
}

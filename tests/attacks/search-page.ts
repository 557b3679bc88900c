/**
 * The real assets/search.js run on a very small DOM built from the real
 * search page, for the red-team tests of the search page
 * (tests/attacks/search-index*.test.ts): what it fetches, where its result
 * links point, and whether it ever writes HTML. The browser tests run the same
 * script in Chromium.
 */
import path from 'node:path'
import type {Root, RootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {searchScript} from '../../src/site/search.js'

type Files = Map<string, string | Uint8Array>

const text = (v: string | Uint8Array | undefined) => (v === undefined ? '' : typeof v === 'string' ? v : Buffer.from(v).toString('utf8'))

/** A very small DOM: enough of it for assets/search.js, built from the real search page. */
export class FakeNode {
  childNodes: FakeNode[] = []
  parentNode: FakeEl | null = null
  constructor(
    public nodeType: number,
    public nodeValue: string | null = null
  ) {}
  get textContent(): string {
    return this.nodeType === 3 ? this.nodeValue! : this.childNodes.map((c) => c.textContent).join('')
  }
}
export class FakeEl extends FakeNode {
  attributes = new Map<string, string>()
  listeners = new Map<string, Array<(event: unknown) => void>>()
  className = ''
  hidden = false
  checked = false
  type = ''
  href = ''
  value = ''
  constructor(public tagName: string) {
    super(1)
  }
  override get textContent(): string {
    return super.textContent
  }
  override set textContent(value: string) {
    for (const c of this.childNodes) c.parentNode = null
    this.childNodes = value === '' ? [] : [new FakeNode(3, value)]
  }
  set innerHTML(_: string) {
    throw new Error('search.js wrote HTML (innerHTML)')
  }
  set outerHTML(_: string) {
    throw new Error('search.js wrote HTML (outerHTML)')
  }
  insertAdjacentHTML() {
    throw new Error('search.js wrote HTML (insertAdjacentHTML)')
  }
  get name() {
    return this.attributes.get('name') ?? ''
  }
  get id() {
    return this.attributes.get('id') ?? ''
  }
  getAttribute(name: string) {
    return this.attributes.get(name) ?? null
  }
  hasAttribute(name: string) {
    return this.attributes.has(name)
  }
  appendChild<T extends FakeNode>(node: T): T {
    if (node.parentNode) node.parentNode.removeChild(node)
    node.parentNode = this
    this.childNodes.push(node)
    return node
  }
  removeChild(node: FakeNode) {
    this.childNodes = this.childNodes.filter((c) => c !== node)
    node.parentNode = null
    return node
  }
  addEventListener(type: string, fn: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn])
  }
  focus() {}
  *descendants(): Generator<FakeEl> {
    for (const c of this.childNodes) if (c instanceof FakeEl) yield c, yield* c.descendants()
  }
  /** The selectors search.js uses: `a`, `[attr]`, `input[type="checkbox"]`, `input[name="x"]:checked`. */
  matches(selector: string): boolean {
    const m = /^([a-z]*)((?:\[[a-z-]+(?:="[^"]*")?\])*)(:checked)?$/.exec(selector)
    if (!m) throw new Error(`selector ${selector}`)
    if (m[1] && this.tagName !== m[1]) return false
    for (const [, name, value] of m[2]!.matchAll(/\[([a-z-]+)(?:="([^"]*)")?\]/g)) {
      const actual = name === 'type' ? this.type || this.attributes.get('type') : this.attributes.get(name!)
      if (actual === undefined || (value !== undefined && actual !== value)) return false
    }
    return !m[3] || this.checked
  }
  querySelectorAll(selector: string): FakeEl[] {
    return [...this.descendants()].filter((e) => e.matches(selector))
  }
  querySelector(selector: string): FakeEl | null {
    return this.querySelectorAll(selector)[0] ?? null
  }
}

const attributeName = (key: string) => (key === 'className' ? 'class' : key.startsWith('data') ? key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) : key.toLowerCase())

export function fakeDocument(html: string): FakeEl {
  const convert = (node: RootContent | Root): FakeNode | undefined => {
    if (node.type === 'text') return new FakeNode(3, node.value)
    if (node.type !== 'element' && node.type !== 'root') return undefined
    const el = new FakeEl(node.type === 'root' ? '#document' : node.tagName)
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (value === false || value === undefined || value === null) continue
        el.attributes.set(attributeName(key), Array.isArray(value) ? value.join(' ') : value === true ? '' : String(value))
      }
      el.hidden = el.attributes.has('hidden')
      el.type = el.attributes.get('type') ?? ''
      el.value = el.attributes.get('value') ?? ''
      el.className = el.attributes.get('class') ?? ''
    }
    for (const child of node.children as RootContent[]) {
      const c = convert(child)
      if (c) el.appendChild(c)
    }
    return el
  }
  return convert(fromHtml(html)) as FakeEl
}

export interface SearchRun {
  fetched: string[]
  links: string[]
  status: string
  results: string
  errors: string[]
}

/**
 * Load search/index.html of `files` at `address` (the site served from the
 * host's root, by a server that decodes %XX, resolves dot segments and merges
 * slashes before it looks a file up, as nginx does), run assets/search.js,
 * wait, and report what it fetched, where its result links point, and what it
 * wrote. Any other origin answers with a page of its own.
 */
export async function runSearchPage(files: Files, address: string): Promise<SearchRun> {
  const url = new URL(address)
  const document = fakeDocument(text(files.get('search/index.html')))
  const byId = (id: string) => [...document.descendants()].find((e) => e.id === id) ?? null
  const fetched: string[] = []
  const errors: string[] = []
  const respond = (status: number, body: string) => ({ok: status === 200, status, clone() { return this }, json: async () => JSON.parse(body), text: async () => body})
  const fetchFake = async (input: string) => {
    const target = new URL(input, url)
    fetched.push(target.href)
    if (target.origin !== url.origin) return respond(200, '<main data-pagefind-body><p>Zqattacker contract: call 0800 000 000 to claim your refund</p></main>')
    const local = path.posix.normalize(decodeURIComponent(target.pathname)).replace(/^\/+/, '')
    const body = files.get(local.endsWith('/') || local === '' ? local + 'index.html' : local)
    return body === undefined ? respond(404, 'Not found') : respond(200, text(body))
  }
  const window = {
    URLSearchParams,
    DOMParser: class {
      parseFromString(html: string) {
        return fakeDocument(html)
      }
    },
    history: {replaceState() {}},
    fetch: fetchFake,
    Map,
    Set,
    location: {search: url.search, pathname: url.pathname, href: url.href}
  }
  const doc = {
    baseURI: url.href,
    getElementById: byId,
    createElement: (tag: string) => new FakeEl(tag),
    createTextNode: (value: string) => new FakeNode(3, value),
    write() {
      throw new Error('search.js wrote HTML (document.write)')
    }
  }
  try {
    new Function('window', 'document', 'fetch', 'DOMParser', 'location', 'history', searchScript)(window, doc, fetchFake, window.DOMParser, window.location, window.history)
  } catch (error) {
    errors.push(String(error))
  }
  for (let i = 0; i < 30; i++) await new Promise((resolve) => setTimeout(resolve, 2))
  const results = byId('search-results')!
  return {
    fetched,
    links: results.querySelectorAll('a').map((a) => new URL(a.href, url).href),
    status: byId('search-status')!.textContent,
    results: results.textContent,
    errors
  }
}


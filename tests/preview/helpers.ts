/** Helpers for the preview tests: a temporary content folder and raw HTTP requests. */
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export const FIXTURES = join(import.meta.dirname, 'fixtures', 'content')

/** A temporary folder holding `content/` (a copy of the fixtures) and `outside/`. */
export function tempContent(): {root: string; content: string; cleanup: () => void} {
  const root = mkdtempSync(join(tmpdir(), 'mopac-preview-'))
  const content = join(root, 'content')
  cpSync(FIXTURES, content, {recursive: true})
  return {root, content, cleanup: () => rmSync(root, {recursive: true, force: true})}
}

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * A GET with the path sent exactly as given (fetch would resolve `..` and
 * `%2e%2e` before sending, hiding what the server does with them).
 */
export function rawGet(baseUrl: string, rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const url = new URL(baseUrl)
  return new Promise((resolve, reject) => {
    const req = http.request({host: url.hostname, port: url.port, path: rawPath, method, headers}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8')}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Wait for the next `reload` event on an event stream; resolves with the time it came. */
export function nextReload(baseUrl: string, eventsPath: string, headers: Record<string, string> = {}): {connected: Promise<void>; reload: Promise<number>; close: () => void} {
  const url = new URL(baseUrl)
  let close = () => {}
  let connectedResolve: () => void = () => {}
  const connected = new Promise<void>((resolve) => (connectedResolve = resolve))
  const reload = new Promise<number>((resolve, reject) => {
    const req = http.request({host: url.hostname, port: url.port, path: eventsPath, headers}, (res) => {
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        buffer += chunk
        if (buffer.includes('retry:')) connectedResolve()
        if (/^event: reload$/m.test(buffer)) {
          resolve(performance.now())
          req.destroy()
        }
      })
    })
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error)
    })
    req.end()
    close = () => req.destroy()
  })
  return {connected, reload, close}
}

/** The `data-events` address of a page. */
export function eventsPathOf(body: string): string {
  const match = /data-events="([^"]+)"/.exec(body)
  if (!match) throw new Error('page has no event stream')
  return match[1].replace(/&amp;/g, '&')
}

export async function until(check: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('timed out')
}

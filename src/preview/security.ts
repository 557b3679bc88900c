/**
 * The preview's guards: loopback detection, the access token (compared in
 * constant time), the headers every response carries, and the check that a
 * file really lies inside a folder (after symlinks are resolved).
 */
import {parse as parseCookie} from 'cookie'
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'
import fs from 'node:fs/promises'
import {isIP} from 'node:net'
import path from 'node:path'

/** Whether `host` names only this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  if (isIP(bare) === 4) return bare.startsWith('127.')
  if (bare === '::1') return true
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)
  return mapped ? mapped[1].startsWith('127.') : false
}

/** A fresh random token, URL- and cookie-safe. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Tokens may be given with --token: at least 16 visible ASCII characters, none of which need escaping in a cookie. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < 16) return 'use at least 16 characters (or leave --token out to have one generated)'
  if (!/^[A-Za-z0-9._~-]+$/.test(token)) return 'use only letters, digits and . _ ~ -'
  return undefined
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/**
 * Compare a presented token with the expected one in constant time.
 * Why hashes: timingSafeEqual needs equal lengths; comparing digests hides
 * the expected token's length too.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

/** Cookies of a request, by name (first wins). */
/** The cookies of a request, by name; the first of a name wins (RFC 6265 parsing by the `cookie` package). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const parsed = parseCookie(header ?? '')
  return new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

/** The Content-Security-Policy of preview pages: own styles, script and images only; nothing inline, nothing framed. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'"
].join('; ')

/** The public pages shown to reviewers (`/site/`): the site's own stylesheet and images, no script, framed only by the preview. */
export const SITE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

/** For files served from the content folder: no script even inside an SVG opened on its own. */
export const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

/** Headers on every response. */
export function baseHeaders(csp = PAGE_CSP): Record<string, string> {
  return {
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex',
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Why: papers link to outside sites; their paths (and a token) must not travel in Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

/**
 * The real path of `root/relative` when it is a file inside `realRoot` (the
 * real path of the root), following symlinks; undefined otherwise.
 */
export async function realFileInside(realRoot: string, relative: string): Promise<string | undefined> {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).some((s) => s === '..')) return undefined
  let real: string
  try {
    real = await fs.realpath(path.join(realRoot, relative))
  } catch {
    return undefined
  }
  if (!real.startsWith(realRoot + path.sep)) return undefined
  try {
    const stat = await fs.stat(real)
    return stat.isFile() ? real : undefined
  } catch {
    return undefined
  }
}

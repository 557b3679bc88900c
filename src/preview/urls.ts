/** The preview's addresses. Paths are relative to the content folder, with `/`. */

/** Encode each segment of a `/` path. */
export function encodePath(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/')
}

/** A paper's review page. The trailing slash makes its public `files/...` links resolve beneath it. */
export function paperUrl(relativePath: string, query = ''): string {
  return `/paper/${encodePath(relativePath)}/${query}`
}

/** A file in the content folder (images and attachments of the marked view). */
export function contentUrl(relativePath: string): string {
  return `/content/${encodePath(relativePath)}`
}

/**
 * Split a raw request path into decoded segments, or undefined when it is not
 * a plain path: empty, `.` or `..` segments (also as `%2e%2e`), backslashes,
 * NUL bytes, encoded slashes or bad escapes. Works on the raw path, before
 * any URL normalisation could resolve `..` away.
 */
export function pathSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined
  const parts = rawPath.slice(1).split('/')
  // A trailing slash leaves one empty segment at the end: allowed.
  if (parts.length > 1 && parts.at(-1) === '') parts.pop()
  if (parts.length === 1 && parts[0] === '') return []
  const segments: string[] = []
  for (const part of parts) {
    let decoded: string
    try {
      decoded = decodeURIComponent(part)
    } catch {
      return undefined
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || /[/\\\0]/.test(decoded)) return undefined
    segments.push(decoded)
  }
  return segments
}

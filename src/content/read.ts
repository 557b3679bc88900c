/**
 * Turn the bytes of one file into a source paper: UTF-8 check, byte order mark
 * and CRLF handled, frontmatter validated. Pure: the bytes come in from the edge.
 */
import {VFile} from '../vendor/index.js'
import {readFrontmatter} from './frontmatter.js'
import {fail} from './messages.js'
import {slugify} from './slug.js'
import type {SourcePaper} from './types.js'

const decoder = new TextDecoder('utf-8', {fatal: true})

/** Decode, normalise line endings and read the frontmatter of a paper. */
export function readPaper(path: string, relativePath: string, bytes: Uint8Array): SourcePaper {
  let text: string
  const file = new VFile({path})
  try {
    text = decoder.decode(bytes)
  } catch {
    // Point at the first byte that is not UTF-8, counted in lines of the bytes.
    const at = firstInvalidUtf8(bytes)
    fail(file, 'File is not UTF-8 text: save it as UTF-8', at, 'encoding-not-utf8')
    file.value = ''
    return {path, relativePath, file, defaultExemptions: []}
  }
  // A byte order mark is fine (TextDecoder drops it); so are CRLF line endings.
  text = text.replace(/\r\n?/g, '\n')
  const result = readFrontmatter(text, file)
  file.value = result.body
  const paper: SourcePaper = {path, relativePath, file, defaultExemptions: result.defaultExemptions ?? []}
  if (result.draft) paper.draft = true
  if (result.frontmatter) {
    paper.frontmatter = result.frontmatter
    paper.deferUntil = result.deferUntil
    paper.level = result.level
    paper.slug = slugify(result.frontmatter.id)
    if (!paper.slug) fail(file, `The id \`${result.frontmatter.id}\` makes an empty slug: use letters or digits`, {line: 1, column: 1}, 'frontmatter-invalid')
  }
  return paper
}

function firstInvalidUtf8(bytes: Uint8Array): {line: number; column: number} {
  let start = 0
  let line = 1
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end === -1) end = bytes.length
    try {
      decoder.decode(bytes.subarray(start, end))
    } catch {
      return {line, column: 1}
    }
    start = end + 1
    line++
  }
  return {line: 1, column: 1}
}

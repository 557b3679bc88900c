/**
 * One walk of the content folder: which files are papers, which look like
 * papers but are not read as one, and which were passed over and why. Nothing
 * is left out silently: `check` prints the counts and the reasons, and the
 * build refuses what is ambiguous.
 */
import {isUtf8} from 'node:buffer'
import fs from 'node:fs/promises'
import path from 'node:path'

/** File names that look like Markdown: papers, or papers saved under another name. */
export const MARKDOWN_NAME = /\.(md|markdown|mdown|mkdn?|mdwn|mdx|mdtext|text)$/i

export interface ContentScan {
  /** Regular files ending in lower-case `.md`, relative with `/`, sorted. */
  papers: string[]
  /** Markdown-like files that are not papers (`.MD`, `.markdown`): refused. */
  unread: string[]
  /** Symbolic links that are papers or folders: refused. */
  links: string[]
  /** Folders, and files named like papers, whose names are not UTF-8 (shown with U+FFFD, and not openable by that name): refused. */
  badNames: string[]
  /** Pipes, devices and sockets named like papers: refused. */
  specials: string[]
  /** Folders that cannot be read (a path longer than the system allows, no permission): refused. */
  unreadable: Array<{name: string; code: string}>
  /** Folders and files not read at all, with the reason (hidden, node_modules). */
  skipped: Array<{name: string; reason: string}>
  /** Every other file (attachments, images), counted. */
  others: number
}

/** Walk `content` (not following links) and sort what is there. */
export async function scanContent(content: string): Promise<ContentScan> {
  const scan: ContentScan = {papers: [], unread: [], links: [], badNames: [], specials: [], unreadable: [], skipped: [], others: 0}
  const walk = async (relativeDir: string): Promise<void> => {
    // Names as bytes: one that is not UTF-8 would come back as a string with
    // U+FFFD in it, by which nothing can be opened (a paper there left out
    // unseen, a folder read as missing: a red-team finding).
    let raw
    try {
      raw = await fs.readdir(path.join(content, relativeDir), {withFileTypes: true, encoding: 'buffer'})
    } catch (error) {
      // The content folder itself missing is the build's to say; a folder in
      // it that cannot be read (a path past the system's limit) is refused.
      if (relativeDir === '') throw error
      scan.unreadable.push({name: relativeDir, code: (error as NodeJS.ErrnoException).code ?? String(error)})
      return
    }
    await Promise.all(
      raw.map(async (entry) => {
        const bytes = entry.name as unknown as Buffer
        const entryName = bytes.toString('utf8')
        const name = relativeDir ? `${relativeDir}/${entryName}` : entryName
        if (bytes[0] === 0x2e) {
          scan.skipped.push({name, reason: 'hidden (its name starts with a dot)'})
          return
        }
        if (!isUtf8(bytes)) {
          // A folder (papers in it would go unread) or a name like a paper's
          // is refused; any other file could not be named by a paper's
          // (UTF-8) text anyway, and is counted with the rest.
          if (entry.isDirectory() || MARKDOWN_NAME.test(entryName.replace(/[\s.]+$/, ''))) scan.badNames.push(name)
          else scan.others++
          return
        }
        if (entryName === 'node_modules') {
          scan.skipped.push({name, reason: 'a node_modules folder'})
          return
        }
        if (entry.isSymbolicLink()) {
          // Why: a linked paper or folder was silently left out before, so
          // build, check and verify could disagree on the set of papers.
          const target = await fs.stat(path.join(content, name)).catch(() => undefined)
          if (target?.isDirectory() || MARKDOWN_NAME.test(entryName)) scan.links.push(name)
          else scan.others++
          return
        }
        if (entry.isDirectory()) return walk(name)
        if (!entry.isFile()) {
          // A pipe or device named like a paper is ambiguous: refused, not skipped.
          if (MARKDOWN_NAME.test(entryName)) scan.specials.push(name)
          else scan.skipped.push({name, reason: 'not a regular file'})
          return
        }
        if (entryName.endsWith('.md')) scan.papers.push(name)
        // Why: \`b.md \` or \`b.md.\` (a trailing space or dot) is a paper by any
        // reader's eye; it must not pass as an attachment.
        else if (MARKDOWN_NAME.test(entryName.replace(/[\s.]+$/, ''))) scan.unread.push(name)
        else scan.others++
      })
    )
  }
  await walk('')
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  scan.papers.sort(byName)
  scan.unread.sort(byName)
  scan.links.sort(byName)
  scan.badNames.sort(byName)
  scan.specials.sort(byName)
  scan.unreadable.sort((a, b) => byName(a.name, b.name))
  scan.skipped.sort((a, b) => byName(a.name, b.name))
  return scan
}

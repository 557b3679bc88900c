/**
 * remark plugin: make raw HTML and URLs in the public tree safe.
 *
 * - HTML comments are internal notes. One the parser read as a comment goes;
 *   comment-like text (`<!--`, `-->`, `--!>`) anywhere it would be published
 *   is an error: in text, image text and titles (`comment-unparsed`), in code
 *   (`comment-in-code`), in raw HTML that reads it as text or in an attribute
 *   (`comment-in-html`, see raw-html.ts).
 * - Raw HTML is sanitized once, on the parsed HTML tree (no script, event
 *   handler or `javascript:` URL), and put back into the tree (raw-html.ts).
 * - Link and image URLs with unsafe protocols are removed.
 *
 * The HTML rendering sanitizes again as its last step.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import sanitizeRawHtml, {COMMENT_LIKE} from './raw-html.js'
import {walk} from './walk.js'

const safeProtocol = /^(?:https?|mailto|tel):/i

/** Whether a URL is relative or uses a safe protocol. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme.
  const squashed = url.replace(/[\u0000-\u0020\u007f]+/g, '')
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squashed)
  return !scheme || safeProtocol.test(squashed)
}

export default function remarkSanitize() {
  return function (tree: Root, file: VFile) {
    walk(tree, (node) => {
      if (node.type === 'code' || node.type === 'inlineCode') {
        if (COMMENT_LIKE.test(node.value)) {
          // Why: code is published as written, so a note in it would be shown.
          fail(file, 'An HTML comment (`<!--`, `-->` or `--!>`) in code is published as written, but a comment is an internal note: remove it (to show an arrow, write `->` or `→`)', node, 'comment-in-code')
        }
        return undefined
      }
      // Text nodes hold entities decoded: `&lt;!--` is refused as well.
      const texts = node.type === 'text' ? [node.value] : node.type === 'image' || node.type === 'link' || node.type === 'definition' ? [(node as {alt?: string}).alt ?? '', node.title ?? ''] : []
      if (texts.some((t) => COMMENT_LIKE.test(t))) {
        // Why: a comment the parser did not read as one (a blank line inside
        // it, never closed, nested) would be published as text.
        fail(file, 'An HTML comment that is not read as one (a blank line inside it, not closed, nested, or written with entities such as `&lt;!--`), so its text would be published: keep each comment to `<!-- ... -->` with no blank line', node, 'comment-unparsed')
        return undefined
      }
      if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && !isSafeUrl(node.url)) {
        node.url = ''
      }
      return undefined
    })
    // After the checks above, which see only what the author wrote as Markdown.
    sanitizeRawHtml(tree, file)
  }
}

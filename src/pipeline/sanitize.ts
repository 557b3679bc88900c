/**
 * remark plugin: make raw HTML and URLs in the public tree safe. HTML comments
 * are internal notes and go; other raw HTML is sanitized (no script, event
 * handler or `javascript:` URL); link and image URLs with unsafe protocols are
 * removed. The HTML rendering sanitizes again as its last step.
 */
import type {Root} from 'mdast'
import {fromHtml} from 'hast-util-from-html'
import {sanitize} from 'hast-util-sanitize'
import {toHtml} from 'hast-util-to-html'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'

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
    visit(tree, (node, index, parent) => {
      const texts = node.type === 'text' || node.type === 'inlineCode' ? [node.value] : node.type === 'image' || node.type === 'link' || node.type === 'definition' ? [(node as {alt?: string}).alt ?? '', node.title ?? ''] : []
      if (texts.some((t) => /<!--|-->|--!>/.test(t))) {
        // Why: a comment the parser did not read as one (a blank line inside
        // it, never closed, nested) would be published as text.
        fail(file, 'An HTML comment that is not read as one (a blank line inside it, not closed, or nested), so its text would be published: keep each comment to `<!-- ... -->` with no blank line', node, 'comment-unparsed')
        return undefined
      }
      if (node.type === 'html' && parent && index !== undefined) {
        const clean = toHtml(sanitize(fromHtml(node.value, {fragment: true})))
        if (clean.trim() === '') {
          parent.children.splice(index, 1)
          return [SKIP, index]
        }
        node.value = clean
        return undefined
      }
      if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && !isSafeUrl(node.url)) {
        node.url = ''
      }
      return undefined
    })
  }
}

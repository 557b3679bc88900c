/**
 * The text of a public body as search reads it: its text nodes in order,
 * without the withheld notices (elements carrying `data-pagefind-ignore`, a
 * name kept from Pagefind), a space between elements so that neighbouring
 * blocks and cells keep their words apart. Made from the same hast as the
 * body's HTML, so the two always say the same.
 */
import type {Root, RootContent} from 'hast'
import {fromHtml} from '../vendor/index.js'

export function bodyText(tree: Root): string {
  const parts: string[] = []
  // A stack, not recursion: a deep body cannot overflow it.
  const stack: RootContent[] = [...tree.children].reverse()
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === 'text') parts.push(node.value)
    else if (node.type === 'element') {
      if (node.properties.dataPagefindIgnore !== undefined) continue
      parts.push(' ')
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** The same, from a body's HTML (a version stored before bodies kept their text). */
export function htmlBodyText(html: string): string {
  return bodyText(fromHtml(html, {fragment: true}))
}

/**
 * rehype plugin: after sanitizing, ids carry the `user-content-` prefix (so
 * paper content cannot clobber page globals); point in-page links such as a
 * footnote's `#fn-1` at the prefixed id, as GitHub does.
 */
import type {Root} from 'hast'
import {visit} from 'unist-util-visit'

export const CLOBBER_PREFIX = 'user-content-'

export default function rehypeFragmentLinks(options: {prefix?: string} = {}) {
  const prefix = options.prefix ?? CLOBBER_PREFIX
  return function (tree: Root) {
    const ids = new Set<string>()
    visit(tree, 'element', (node) => {
      const id = node.properties?.id
      if (typeof id === 'string') ids.add(id)
    })
    visit(tree, 'element', (node) => {
      const href = node.properties?.href
      if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) {
        const target = prefix + decodeFragment(href.slice(1))
        if (ids.has(target)) node.properties.href = '#' + target
      }
    })
  }
}

function decodeFragment(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

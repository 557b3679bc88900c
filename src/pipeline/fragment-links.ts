/**
 * rehype plugin: after sanitizing, ids carry the `user-content-` prefix (so
 * paper content cannot clobber page globals); point in-page links such as a
 * footnote's `#fn-1` at the prefixed id, as GitHub does.
 */
import type {Element, Root, RootContent} from 'hast'

export const CLOBBER_PREFIX = 'user-content-'

export default function rehypeFragmentLinks(options: {prefix?: string} = {}) {
  const prefix = options.prefix ?? CLOBBER_PREFIX
  return function (tree: Root) {
    // One walk (unist-util-visit costs several times a plain walk on the
    // hundreds of thousands of elements of a long paper).
    const ids = new Set<string>()
    const links: Element[] = []
    const stack: Array<Root | RootContent> = [tree]
    while (stack.length > 0) {
      const node = stack.pop()!
      if (node.type === 'element') {
        const id = node.properties?.id
        if (typeof id === 'string') ids.add(id)
        const href = node.properties?.href
        if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) links.push(node)
      }
      if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i])
    }
    for (const node of links) {
      const target = prefix + decodeFragment(String(node.properties.href).slice(1))
      if (ids.has(target)) node.properties.href = '#' + target
    }
  }
}

function decodeFragment(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

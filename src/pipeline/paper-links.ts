/**
 * remark plugin: links from this paper to the pages of other papers.
 *
 * Records every link, reference definition or image whose address names a
 * decision page (`/decisions/<slug>/...`, site-absolute or on any host) in
 * `file.data.paperLinks`. The build decides which papers are public at its
 * instant and, for a paper that links to one that is not (deferred, withheld
 * whole, or missing), runs the pipeline again with those slugs in
 * `file.data.hiddenPapers`: then each such link keeps its text but loses its
 * address (an image loses itself, keeping its alt text), with a warning.
 *
 * Why: the address of a paper that is not yet public names it (its slug is
 * its reference); the link text is the author's public prose.
 */
import type {Image, ImageReference, Link, LinkReference, PhrasingContent, Root} from 'mdast'
import {fromHtml, toHtml, SKIP, visit} from '../vendor/index.js'
import type {Element, Root as HastRoot} from 'hast'
import type {VFile} from 'vfile'
import type {PaperLink} from './data.js'
import './data.js'
import {visitSplicing, walk} from './walk.js'

/** What a hidden link's text becomes when the text is the hidden paper's address. */
export const REMOVED = '(link removed)'

function mdastText(node: PhrasingContent): string {
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? ''
  if ('value' in node && typeof node.value === 'string') return node.value
  if ('children' in node) return (node.children as PhrasingContent[]).map(mdastText).join('')
  return ''
}

/** The text of an element (its text nodes, in order). */
export function hastText(node: Element): string {
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? hastText(child) : '')).join('')
}

/** Whether a link's text is itself an address (or holds one) naming one of `slugs`. */
export function namesAny(text: string, slugs: Set<string>): boolean {
  if (slugs.size === 0) return false
  // Read as a reader (and the search index) would: compatibility forms folded
  // (fullwidth letters), invisible characters gone, any case; then any
  // `decisions/<slug>` in it, whatever is around it (`…/pcd-301/,`, `(…/pcd-301)`).
  const plain = text.normalize('NFKC').replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '').toLowerCase()
  for (const slug of slugs) {
    let at = plain.indexOf(`decisions/${slug}`)
    while (at >= 0) {
      const after = plain.charAt(at + 'decisions/'.length + slug.length)
      if (!/[a-z0-9-]/.test(after)) return true
      at = plain.indexOf(`decisions/${slug}`, at + 1)
    }
  }
  // And every other address form a link can take (percent-encoded, `..`, a host).
  return text.split(/\s+/).some((word) => slugs.has(paperSlugOf(word) ?? ''))
}

/** The slug of the decision page an address names, if it names one. */
export function paperSlugOf(url: string): string | undefined {
  let pathname: string
  try {
    // A base that no real address uses, so relative addresses resolve under it.
    pathname = new URL(url, 'http://mopac.invalid/').pathname
  } catch {
    return undefined
  }
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    decoded = pathname
  }
  // Servers read `//` as `/` and some read `\` as `/`.
  const match = /(?:^|\/)decisions\/([^/]+)(?:\/|$)/i.exec(decoded.replace(/[\\/]+/g, '/'))
  return match ? match[1].toLowerCase() : undefined
}

export default function remarkPaperLinks() {
  return function (tree: Root, file: VFile) {
    const hidden = new Set(file.data.hiddenPapers ?? [])
    const namesHidden = (text: string) => namesAny(text, hidden)
    const links: PaperLink[] = []
    const hiddenDefinitions = new Map<string, string>()

    const warn = (node: {position?: unknown}, slug: string) => {
      const message = file.message(`This links to the page of \`${slug}\`, which is not public at this build's instant (deferred, withheld whole, or missing): its text is published without the link until that paper is public`, {place: (node as {position?: never}).position, ruleId: 'link-not-public', source: 'mopac'})
      message.fatal = false
    }

    // Raw HTML: every address in an attribute (href, src, cite, srcset, ...),
    // after the HTML parser has decoded its entities.
    visitSplicing(tree, (node, index, parent) => {
      if (node.type !== 'html' || !/decisions|[&%\\]/i.test(node.value)) return
      const hast = fromHtml(node.value, {fragment: true})
      let changed = false
      visit(hast as HastRoot, 'element', (element: Element) => {
        for (const [name, value] of Object.entries(element.properties ?? {})) {
          const addresses = (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []).flatMap((v) => v.split(/[\s,]+/))
          const slugs = addresses.map(paperSlugOf).filter((slug): slug is string => slug !== undefined)
          for (const slug of slugs) links.push({slug, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1})
          const hiddenHere = slugs.find((slug) => hidden.has(slug))
          if (hiddenHere) {
            delete element.properties[name]
            changed = true
            warn(node, hiddenHere)
            // Its text, when that is the address itself, names the paper too.
            if (namesHidden(hastText(element))) element.children = [{type: 'text', value: REMOVED}]
          }
        }
      })
      if (changed && parent && index !== undefined) {
        // Inline raw HTML comes one tag to a node: the text between an opening
        // `<a>` whose address was taken and its `</a>` is in the nodes after
        // it. When that text names the paper (it is the address), it goes too.
        const opening = /^<a[\s>]/i.test(node.value.trim()) && !/<\/a\s*>/i.test(node.value)
        node.value = toHtml(hast)
        if (opening) {
          let end = index + 1
          const closes = (child: unknown) => (child as {type: string}).type === 'html' && /^<\/a\s*>$/i.test((child as {value: string}).value.trim())
          while (end < parent.children.length && !closes(parent.children[end])) end++
          const between = parent.children.slice(index + 1, end) as PhrasingContent[]
          if (end < parent.children.length && namesHidden(between.map(mdastText).join(''))) parent.children.splice(index + 1, end - index - 1, {type: 'text', value: REMOVED} as never)
        }
      }
    })

    walk(tree, (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return
      const slug = paperSlugOf(node.url)
      if (!slug) return
      links.push({slug, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1})
      if (node.type === 'definition' && hidden.has(slug)) hiddenDefinitions.set(node.identifier, slug)
    })
    file.data.paperLinks = links
    if (hidden.size === 0) return


    // The text a link or image leaves behind: a link's children, an image's
    // alt; but not an address that names the paper (an autolink's text, `<https://…/decisions/pcd-301/>`).
    const remains = (node: Link | Image | LinkReference | ImageReference): PhrasingContent[] => {
      const left: PhrasingContent[] = node.type === 'link' || node.type === 'linkReference' ? node.children : node.alt ? [{type: 'text', value: node.alt, position: node.position}] : []
      return namesHidden(left.map((child) => mdastText(child)).join('')) ? [{type: 'text', value: REMOVED, position: node.position}] : left
    }

    visitSplicing(tree, (node, index, parent) => {
      if (!parent || index === undefined) return undefined
      let slug: string | undefined
      if (node.type === 'link' || node.type === 'image') slug = paperSlugOf(node.url)
      else if (node.type === 'linkReference' || node.type === 'imageReference') slug = hiddenDefinitions.get(node.identifier)
      else if (node.type === 'definition' && hiddenDefinitions.has(node.identifier)) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      if (!slug || !hidden.has(slug)) return undefined
      warn(node, slug)
      parent.children.splice(index, 1, ...(remains(node as Link) as never[]))
      return [SKIP, index]
    })
  }
}

/**
 * A version kept on the site (a held paper's last published page) was made
 * when the papers it links to were public. When one of them no longer is
 * (deferred again, withdrawn, withheld, deleted), the kept version must not
 * name it either: its links to such papers keep their text and lose their
 * address, in its HTML and its public Markdown, as a fresh build's would.
 */
import type {Element, Root as HastRoot} from 'hast'
import {fromHtml, toHtml, remarkParse, unified, visit, VFile} from '../vendor/index.js'
import type {Root} from 'mdast'
import remarkGfmPapers from '../pipeline/gfm.js'
import remarkPaperLinks, {hastText, namesAny, paperSlugOf, REMOVED} from '../pipeline/paper-links.js'
import {toMarkdown} from '../pipeline/processor.js'
import {bodyText} from '../pipeline/text.js'
import type {PublicPaper} from './types.js'

/** Every address in an element's attributes (href, src, srcset, ...). */
function addresses(value: unknown): string[] {
  return (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []).flatMap((v) => v.split(/[\s,]+/))
}

/** The slugs of decision pages a kept version links to. */
export function linkedSlugs(paper: PublicPaper): Set<string> {
  const slugs = new Set<string>()
  visit(fromHtml(paper.html, {fragment: true}) as HastRoot, 'element', (element: Element) => {
    for (const value of Object.values(element.properties ?? {})) for (const address of addresses(value)) {
      const slug = paperSlugOf(address)
      if (slug) slugs.add(slug)
    }
  })
  return slugs
}

/** `paper` with its links to papers outside `onSite` reduced to their text (the same object when it has none). */
export function withoutLinksOffSite(paper: PublicPaper, onSite: Set<string>): PublicPaper {
  const off = [...linkedSlugs(paper)].filter((slug) => !onSite.has(slug))
  if (off.length === 0) return paper
  const hidden = new Set(off)
  const hast = fromHtml(paper.html, {fragment: true}) as HastRoot
  visit(hast, 'element', (element: Element) => {
    let lost = false
    for (const [name, value] of Object.entries(element.properties ?? {})) {
      if (addresses(value).some((address) => hidden.has(paperSlugOf(address) ?? ''))) {
        delete element.properties[name]
        lost = true
      }
    }
    // As a fresh build does (remarkPaperLinks): a link whose text is the address names the paper too.
    if (lost && namesAny(hastText(element), hidden)) element.children = [{type: 'text', value: REMOVED}]
  })
  const file = new VFile({value: paper.markdown})
  file.data.hiddenPapers = off
  const processor = unified().use(remarkParse).use(remarkGfmPapers).use(remarkPaperLinks)
  const tree = processor.runSync(processor.parse(file), file) as Root
  return {...paper, html: toHtml(hast), text: bodyText(hast), markdown: toMarkdown(tree)}
}

/**
 * From mammoth's HTML to Markdown (mdast), through rehype-remark: footnotes
 * become GFM footnotes, images point at the files written beside the paper
 * (or leave a marker when they cannot be published), tick boxes become ☑ and
 * ☐, internal bookmarks become their text, and a table's first row is its
 * header. Numbered sections (`1.` headings with `1.1.` paragraphs, which
 * Markdown lists cannot number) are written out as headings and numbered
 * paragraphs.
 */
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import type {BlockContent, FootnoteDefinition, Heading, PhrasingContent, Root, RootContent} from 'mdast'
import type {LeafDirective, TextDirective} from 'mdast-util-directive'
import {rehypeRemark, unified} from '../vendor/index.js'
import {IMPORT_MARKER} from '../pipeline/directives.js'
import {IMAGE_PREFIX} from './docx.js'
import {childElements, element, isAllBold, isElement, plainText, text} from './hast.js'

/** What became of each image (by its index in the document). */
export type ImagePlan = Map<number, {url: string; alt: string} | {drop: string} | {furniture: true}>

export interface ConvertOptions {
  images: ImagePlan
  /** Prefix of footnote identifiers (a Part 2's own footnotes must not meet the main form's). */
  footnotePrefix: string
}

/** A marker the author must resolve, on its own line. */
export function blockMarker(label: string): LeafDirective {
  return {type: 'leafDirective', name: IMPORT_MARKER, attributes: {}, children: [{type: 'text', value: label}]}
}

/** A marker the author must resolve, in a line of text. */
export function inlineMarker(label: string): TextDirective {
  return {type: 'textDirective', name: IMPORT_MARKER, attributes: {}, children: [{type: 'text', value: label}]}
}

const FOOTNOTE_HREF = /^#(footnote|endnote)-(\d+)$/
const FOOTNOTE_ID = /^(footnote|endnote)-(\d+)$/

/**
 * Take the footnote and endnote lists mammoth appends out of the blocks:
 * `[blocks without them, notes by id]`.
 */
export function takeNotes(nodes: Element[]): [Element[], Map<string, Element>] {
  const notes = new Map<string, Element>()
  const rest: Element[] = []
  for (const node of nodes) {
    const items = isElement(node, 'ol') ? childElements(node) : []
    if (items.length > 0 && items.every((item) => FOOTNOTE_ID.test(String(item.properties?.id ?? '')))) {
      for (const item of items) notes.set(String(item.properties.id), item)
    } else rest.push(node)
  }
  return [rest, notes]
}

/** The identifier a note gets in the paper. */
export function noteIdentifier(kind: string, number: string, prefix: string): string {
  return `${prefix}${kind === 'endnote' ? 'e' : ''}${number}`
}

/** The notes a set of blocks refers to, as `footnote-1` ids, in order. */
export function noteRefs(nodes: ElementContent[]): string[] {
  const refs: string[] = []
  const walk = (node: ElementContent) => {
    if (node.type !== 'element') return
    const match = node.tagName === 'a' ? FOOTNOTE_HREF.exec(String(node.properties?.href ?? '')) : null
    if (match) refs.push(`${match[1]}-${match[2]}`)
    for (const child of node.children) walk(child)
  }
  nodes.forEach(walk)
  return refs
}

/** Convert HTML blocks to Markdown blocks. */
export function toMarkdownBlocks(nodes: ElementContent[], options: ConvertOptions): RootContent[] {
  const hast: HastRoot = {type: 'root', children: nodes.map((node) => (isElement(node, 'table') ? prepareTable(node) : node))}
  const processor = unified().use(rehypeRemark, {
    handlers: {
      sup(state, node) {
        const link = childElements(node)[0]
        const match = link && link.tagName === 'a' ? FOOTNOTE_HREF.exec(String(link.properties?.href ?? '')) : null
        if (match && childElements(node).length === 1) {
          const identifier = noteIdentifier(match[1], match[2], options.footnotePrefix)
          return {type: 'footnoteReference', identifier, label: identifier}
        }
        return state.all(node) as PhrasingContent[]
      },
      img(_state, node) {
        const index = Number(String(node.properties?.src ?? '').slice(IMAGE_PREFIX.length))
        const plan = options.images.get(index)
        if (!plan || 'furniture' in plan) return undefined
        if ('drop' in plan) return inlineMarker(plan.drop)
        return {type: 'image', url: plan.url, alt: plan.alt, title: null}
      },
      input(_state, node) {
        if (node.properties?.type !== 'checkbox') return undefined
        return {type: 'text', value: node.properties.checked ? '☑' : '☐'}
      },
      a(state, node) {
        const href = String(node.properties?.href ?? '')
        // Bookmarks and links inside the Word file lead nowhere on the site.
        if (!href || href.startsWith('#')) return state.all(node) as PhrasingContent[]
        return {type: 'link', url: href, title: typeof node.properties.title === 'string' ? node.properties.title : null, children: state.all(node) as PhrasingContent[]}
      }
    }
  })
  const tree = processor.runSync(hast as never) as unknown as Root
  return tree.children
}

/** A footnote definition from mammoth's note item (its back link removed). */
export function toFootnote(id: string, item: Element, options: ConvertOptions): FootnoteDefinition {
  const match = FOOTNOTE_ID.exec(id)!
  const identifier = noteIdentifier(match[1], match[2], options.footnotePrefix)
  const withoutBackLinks = removeBackLinks(item)
  const blocks = childElements(withoutBackLinks).length > 0 && childElements(withoutBackLinks).every((child) => !isPhrasing(child)) ? childElements(withoutBackLinks) : [element('p', withoutBackLinks.children)]
  const children = toMarkdownBlocks(blocks, options) as BlockContent[]
  return {type: 'footnoteDefinition', identifier, label: identifier, children}
}

function removeBackLinks(node: Element): Element {
  const children: ElementContent[] = []
  for (const child of node.children) {
    if (child.type === 'element' && child.tagName === 'a' && /^#(footnote|endnote)-ref-\d+$/.test(String(child.properties?.href ?? ''))) continue
    children.push(child.type === 'element' ? removeBackLinks(child) : child)
  }
  return {...node, children}
}

function isPhrasing(node: Element): boolean {
  return !['p', 'ol', 'ul', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'div'].includes(node.tagName)
}

/**
 * A Word table for a Markdown table: the first row is the header (Word
 * rarely marks one), and each cell's paragraphs and lists are joined into one
 * line (a Markdown table cell holds one line).
 */
function prepareTable(table: Element): Element {
  const rows: Element[] = []
  const collect = (node: Element) => {
    for (const child of childElements(node)) {
      if (child.tagName === 'tr') rows.push(child)
      else if (['thead', 'tbody', 'tfoot'].includes(child.tagName)) collect(child)
    }
  }
  collect(table)
  const line = (cell: Element): ElementContent[] => {
    const blocks = childElements(cell).filter((child) => !isPhrasing(child))
    if (blocks.length === 0) return cell.children
    const out: ElementContent[] = []
    const pieces = blocks.length === 1 && isElement(blocks[0], 'p') ? [blocks[0].children] : blocks.map((block) => (isElement(block, 'p') ? block.children : [text(plainText(block))]))
    pieces.forEach((piece, i) => {
      if (i > 0) out.push(text(' '))
      out.push(...piece)
    })
    return out
  }
  const [first, ...others] = rows
  if (!first) return table
  // A header cell is bold already.
  const header = element('thead', [element('tr', childElements(first).map((cell) => element('th', unbold(line(cell)), cell.properties)))])
  const body = element('tbody', others.map((row) => element('tr', childElements(row).map((cell) => element('td', line(cell), cell.properties)))))
  return element('table', [header, body])
}

/**
 * Part 1's numbered sections: top-level numbered items become `### N. Title`
 * (or, when they are sentences, numbered paragraphs), their sub-items
 * paragraphs `N.M. text`; deeper levels stay lists. Bold paragraphs that are
 * short and not sentences become headings too. Numbers continue across the
 * part, as Word's do.
 */
export function numberSections(nodes: Element[], depth: number): Element[] {
  const out: Element[] = []
  let section = 0
  let sub = 0
  const heading = (children: ElementContent[]) => element(`h${depth}`, children)
  const subItems = (list: Element) => {
    for (const item of childElements(list)) {
      if (item.tagName !== 'li') continue
      const [lead, rest] = splitItem(item)
      if (lead.length === 0 && rest.length > 0 && rest.every((child) => isElement(child, 'ol', 'ul'))) {
        rest.forEach(subItems)
        continue
      }
      sub++
      out.push(element('p', [text(`${section}.${sub}. `), ...lead]))
      out.push(...rest)
    }
  }
  for (const node of nodes) {
    if (node.tagName === 'ol') {
      for (const item of childElements(node)) {
        if (item.tagName !== 'li') continue
        const [lead, rest] = splitItem(item)
        if (lead.length === 0) {
          rest.forEach((child) => (isElement(child, 'ol', 'ul') ? subItems(child) : out.push(child)))
          continue
        }
        section++
        sub = 0
        const leadText = plainText(element('p', lead))
        if (leadText.length <= 120 && !/[.;:,]$/.test(leadText)) out.push(heading([text(`${section}. `), ...unbold(lead)]))
        else out.push(element('p', [text(`${section}. `), ...lead]))
        for (const child of rest) {
          if (isElement(child, 'ol')) subItems(child)
          else out.push(child)
        }
      }
    } else if (node.tagName === 'ul' && childElements(node).every((item) => splitItem(item)[0].length === 0)) {
      // A numbered sub-item after a paragraph: mammoth opens a new list for it.
      for (const item of childElements(node)) splitItem(item)[1].forEach((child) => (isElement(child, 'ol', 'ul') ? subItems(child) : out.push(child)))
    } else if (node.tagName === 'p' && isAllBold(node) && plainText(node).length <= 120 && !/[.;:,]$/.test(plainText(node))) {
      out.push(heading(unbold(node.children)))
    } else out.push(node)
  }
  return out
}

/** A list item's own text (before any nested block) and the blocks after it. */
function splitItem(item: Element): [ElementContent[], Element[]] {
  const lead: ElementContent[] = []
  const rest: Element[] = []
  for (const child of item.children) {
    if (child.type === 'element' && !isPhrasing(child)) {
      if (rest.length === 0 && lead.length === 0 && child.tagName === 'p') lead.push(...child.children)
      else rest.push(child)
    } else if (rest.length === 0) lead.push(child)
    else rest.push(element('p', [child]))
  }
  const trimmed = lead.filter((child) => child.type !== 'text' || child.value.trim() !== '' || lead.length === 1)
  return [plainText(element('p', trimmed)) === '' && !trimmed.some((c) => isElement(c, 'img')) ? [] : trimmed, rest]
}

/** Bold removed (a heading is bold already). */
function unbold(children: ElementContent[]): ElementContent[] {
  return children.flatMap((child) => (child.type === 'element' && (child.tagName === 'strong' || child.tagName === 'b') ? unbold(child.children) : [child]))
}

/** Headings shifted so the highest is at `top` (h1 of the Word file to h2 or h3 of the paper). */
export function shiftHeadings(blocks: RootContent[], top: number): RootContent[] {
  const depths = blocks.filter((block): block is Heading => block.type === 'heading').map((block) => block.depth)
  if (depths.length === 0) return blocks
  const shift = top - Math.min(...depths)
  if (shift <= 0) return blocks
  return blocks.map((block) => (block.type === 'heading' ? {...block, depth: Math.min(6, block.depth + shift) as Heading['depth']} : block))
}

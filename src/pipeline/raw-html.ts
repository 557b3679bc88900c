/**
 * Sanitize a paper's raw HTML once, on the parsed HTML tree, and put the
 * result back into the Markdown tree, so the public Markdown and the page are
 * both made from the same sanitized result.
 *
 * The unit is a parent whose children include raw HTML (`html` nodes): a
 * paragraph, heading, cell or emphasis for inline HTML (`H<sub>2</sub>O`), the
 * root, a list item or a quote for HTML blocks (`<div>` ... Markdown ...
 * `</div>`). Its raw pieces are parsed together (parse5 through rehype-raw)
 * with every other child standing in as an opaque placeholder, the tree is
 * checked for internal notes and sanitized (hast-util-sanitize), and the
 * result is turned back into Markdown nodes:
 *
 * - inline: each element left becomes its opening and closing tag (`html`
 *   nodes) around its converted children; text becomes `text` nodes;
 * - blocks: the sanitized HTML between placeholders becomes `html` nodes.
 *
 * Placeholders get their original node back, untouched: footnote references,
 * withheld notices and markers, links, code, nested blocks (whose own raw HTML
 * is a unit of its own). A placeholder the sanitizer removed (inside a
 * `<script>`, a `<template>`) takes its node with it.
 */
import {randomUUID} from 'node:crypto'
import type {Element, ElementContent, Nodes as HastNodes, Root as HastRoot, RootContent as HastContent, Text as HastText} from 'hast'
import {sanitize, toHtml, rehypeRaw, unified, VFile} from '../vendor/index.js'
import type {Html, Parent, PhrasingContent, Root, RootContent} from 'mdast'
import type {Point, Position} from 'unist'
import {fail} from '../content/messages.js'
import {rawHtmlSchema} from './schema.js'
import {walk as walkMdast} from './walk.js'

/** Text that opens or closes an HTML comment. */
export const COMMENT_LIKE = /<!--|-->|--!>/

/** Parents whose children are inline content. */
const PHRASING_PARENTS = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference', 'textDirective'])
const FLOW_TYPES = new Set(['paragraph', 'heading', 'thematicBreak', 'blockquote', 'list', 'listItem', 'table', 'code', 'definition', 'footnoteDefinition', 'containerDirective', 'leafDirective', 'yaml'])

// Why random: a paper cannot write a placeholder of its own. The nonce never
// reaches any output, so builds stay byte-identical.
const NONCE = randomUUID().replace(/-/g, '')
const PLACEHOLDER = new RegExp(`\uE000${NONCE}(\\d+)\uE001`, 'g')
const placeholder = (index: number) => `\uE000${NONCE}${index}\uE001`

let parser: ReturnType<typeof createParser> | undefined
function createParser() {
  return unified().use(rehypeRaw)
}

/** Levels of HTML elements one unit of raw HTML may nest (far beyond any paper's tables and lists). */
export const MAX_HTML_DEPTH = 64

const TOO_DEEP = `Nesting too deep: raw HTML here nests more than ${MAX_HTML_DEPTH} elements inside one another. Simplify the structure here`

/** Sanitize every unit of raw HTML in `tree` (in place). */
export default function sanitizeRawHtml(tree: Root, file: VFile): void {
  const units: Parent[] = []
  walkMdast(tree, (node) => {
    if ('children' in node && node.children.some((child) => child.type === 'html')) units.push(node)
  })
  // Units are independent: each keeps the other nodes (and so the nested
  // units) as they are, so the order does not matter.
  for (const unit of units) {
    let children: RootContent[] | undefined
    try {
      children = sanitizeUnit(unit, file)
    } catch (error) {
      // Why: the HTML tree's converters recurse; nesting deep enough to
      // overflow the stack is refused like any nesting too deep, where it is.
      if (!(error instanceof RangeError)) throw error
    }
    if (children === undefined) {
      fail(file, TOO_DEEP, unit.children.find((child) => child.type === 'html')?.position ?? unit.position ?? {line: 1, column: 1}, 'nesting-too-deep')
      // The paper is refused; nothing later walks what is left of the unit.
      unit.children = []
    } else unit.children = children as never
  }
}

/** Whether elements nest more than {@link MAX_HTML_DEPTH} deep in `tree` (counted without recursion). */
function tooDeep(tree: HastRoot): boolean {
  const stack: Array<[HastNodes | HastRoot, number]> = [[tree, 0]]
  while (stack.length > 0) {
    const [node, outer] = stack.pop()!
    const depth = node.type === 'element' ? outer + 1 : outer
    if (depth > MAX_HTML_DEPTH) return true
    if ('children' in node) for (const child of node.children) stack.push([child, depth])
    if (node.type === 'element' && node.content) stack.push([node.content, depth])
  }
  return false
}

function isPhrasingUnit(parent: Parent): boolean {
  if (PHRASING_PARENTS.has(parent.type)) return true
  // A leaf directive holds inline content, unless (in the reviewer's
  // preview) it was given paragraphs.
  return parent.type === 'leafDirective' && !parent.children.some((child) => FLOW_TYPES.has(child.type))
}

/** The unit's children, sanitized; undefined when its HTML nests too deep. */
function sanitizeUnit(parent: Parent, file: VFile): RootContent[] | undefined {
  const children = parent.children as RootContent[]
  for (const child of children) if (child.type === 'html') checkCommentEnds(child, file)
  const input: HastRoot = {
    type: 'root',
    children: children.map((child, index) =>
      child.type === 'html'
        ? ({type: 'raw', value: child.value, position: child.position} as unknown as HastContent)
        : ({type: 'text', value: placeholder(index), position: child.position} satisfies HastText)
    )
  }
  parser ??= createParser()
  // Why an empty file: positions come from the raw nodes' own; given the
  // paper, hast-util-from-parse5 would index all of it again for each unit.
  const parsed = parser.runSync(input, new VFile('')) as HastRoot
  if (tooDeep(parsed)) return undefined
  const fallback = children.find((child) => child.type === 'html')?.position
  checkComments(parsed, file, fallback)
  const clean = sanitize(parsed, rawHtmlSchema) as HastRoot
  unwrapHeadings(clean)
  const restored = new Set<number>()
  const restore = (index: number): RootContent | undefined => {
    // A placeholder parse5 or the sanitizer copied would bring its node back twice.
    if (restored.has(index) || !children[index]) return undefined
    restored.add(index)
    return children[index]
  }
  const result = isPhrasingUnit(parent) ? toPhrasing(clean.children, restore) : toFlow(clean, children, restore)
  // Fail closed (the paper is refused as unprocessable) rather than publish a placeholder.
  for (const node of result) {
    if ((node.type === 'text' || node.type === 'html') && node.value.includes('\uE000' + NONCE)) throw new Error('a raw HTML placeholder was left in the output')
  }
  return result
}

/**
 * Why: where the Markdown parser and the HTML parser disagree on where a
 * comment ends, what follows it is ambiguous. A comment block never closed
 * runs to the end of its list item, quote or paper, hiding all that public
 * text; one closed with `--!>` ends there for HTML but not for Markdown.
 */
function checkCommentEnds(node: Html, file: VFile): void {
  if (node.value.includes('--!>')) {
    fail(file, 'An HTML comment closed with `--!>`: HTML ends it there but Markdown reads on, so what follows is ambiguous. Close each comment with `-->`', node, 'comment-unparsed')
  } else if (/^\s*<!--/.test(node.value) && !node.value.includes('-->')) {
    fail(file, 'An HTML comment that is never closed hides everything after it, to the end of its list item, quote or paper: close it with `-->`', node, 'comment-unclosed')
  }
}

/**
 * Why: an HTML comment is an internal note. Where the HTML parser reads it as
 * text (inside `<textarea>`, `<title>`, `<style>`, `<xmp>`, `<script>`,
 * after `<plaintext>`, a CDATA section in SVG, or written with entities) or
 * it stands in an attribute, it would be published as text.
 */
function checkComments(tree: HastRoot, file: VFile, fallback: Position | undefined): void {
  const walk = (node: HastNodes | HastRoot): void => {
    const found = node.type === 'text' ? COMMENT_LIKE.exec(node.value) : null
    if (node.type === 'text' && found) {
      fail(file, 'An HTML comment (`<!--`, `-->` or `--!>`) where raw HTML reads it as text (inside `<textarea>`, `<title>`, `<style>`, `<script>`, `<xmp>` and the like, or written with entities): a comment is an internal note, and this one would be published as text. Remove it', pointIn(node, found.index) ?? fallback, 'comment-in-html')
    }
    if (node.type === 'element') {
      for (const [name, value] of Object.entries(node.properties ?? {})) {
        const values = Array.isArray(value) ? value : [value]
        if (values.some((v) => typeof v === 'string' && COMMENT_LIKE.test(v))) {
          fail(file, `An HTML comment (\`<!--\`, \`-->\` or \`--!>\`) in the \`${name}\` attribute of \`<${node.tagName}>\`: a comment is an internal note, and this one would be published. Remove it`, node.position ?? fallback, 'comment-in-html')
        }
      }
      if (node.content) walk(node.content)
    }
    if ('children' in node) for (const child of node.children) walk(child)
  }
  walk(tree)
}

/** The point `index` characters into a text node (entities in it may shift the column). */
function pointIn(node: HastText, index: number): Point | undefined {
  const start = node.position?.start
  if (!start) return undefined
  const before = node.value.slice(0, index)
  const lines = before.split('\n')
  const line = start.line + lines.length - 1
  const column = lines.length === 1 ? start.column + index : lines.at(-1)!.length + 1
  return {line, column}
}

const HEADING = /^h[1-6]$/

function hasPlaceholder(node: HastRoot | ElementContent): boolean {
  if (node.type === 'text') return node.value.search(PLACEHOLDER) !== -1
  return 'children' in node && node.children.some((child) => hasPlaceholder(child as ElementContent))
}

/**
 * Why: the marking check (markings.ts) reads an HTML heading in one `html`
 * node. A raw heading around Markdown content (`<h2>` ... `</h2>` around a
 * paragraph or emphasis) would be split around it: it is kept as its
 * content, without the heading.
 */
function unwrapHeadings(node: HastRoot | Element): void {
  const children = node.children as ElementContent[]
  node.children = children.flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return [child]
    unwrapHeadings(child)
    return HEADING.test(child.tagName) && hasPlaceholder(child) ? child.children : [child]
  })
}

/** The opening and closing tags of a sanitized element (no closing tag for a void element). */
function tags(element: Element): {open: string; close: string} {
  const whole = toHtml({...element, children: []})
  const close = `</${element.tagName}>`
  return whole.endsWith(close) ? {open: whole.slice(0, -close.length), close} : {open: whole, close: ''}
}

/** Split text at placeholders: text nodes and restored nodes. */
function splitText(node: HastText, restore: (index: number) => RootContent | undefined): Array<RootContent> {
  const out: RootContent[] = []
  let last = 0
  const push = (value: string) => {
    if (value === '') return
    const text: PhrasingContent = {type: 'text', value}
    if (node.position) text.position = node.position
    out.push(text)
  }
  for (const match of node.value.matchAll(PLACEHOLDER)) {
    push(node.value.slice(last, match.index))
    const original = restore(Number(match[1]))
    if (original) out.push(original)
    last = match.index + match[0].length
  }
  push(node.value.slice(last))
  return out
}

function toPhrasing(nodes: Array<HastContent | ElementContent>, restore: (index: number) => RootContent | undefined): RootContent[] {
  const out: RootContent[] = []
  for (const node of nodes) {
    if (node.type === 'text') {
      out.push(...splitText(node, restore))
    } else if (node.type === 'element' && HEADING.test(node.tagName)) {
      // Whole (it holds no placeholder), so the marking check reads its text.
      out.push(html(toHtml(node), node.position))
    } else if (node.type === 'element') {
      const {open, close} = tags(node)
      out.push(html(open, node.position))
      out.push(...toPhrasing(node.children, restore))
      if (close) out.push(html(close, node.position))
    }
    // Comments and doctypes do not survive the sanitizer.
  }
  return out
}

function toFlow(clean: HastRoot, children: RootContent[], restore: (index: number) => RootContent | undefined): RootContent[] {
  // Why: a blank line inside an HTML block would end it when the public
  // Markdown is read again. Outside `<pre>`, a run of white space shows as
  // one space, so a blank line may become a line break (in `<pre>`, see
  // markdownSafe).
  const squash = (node: HastRoot | ElementContent, inPre: boolean): void => {
    if (node.type === 'text' && !inPre) node.value = node.value.replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n')
    if ('children' in node) for (const child of node.children) squash(child as ElementContent, inPre || (node.type === 'element' && node.tagName === 'pre'))
  }
  squash(clean, false)
  markdownSafe(clean, false)
  const serialized = toHtml(clean, {allowDangerousHtml: true})
  const out: RootContent[] = []
  let last = 0
  let after = -1
  const push = (value: string, before: number) => {
    const trimmed = value.trim()
    if (trimmed === '') return
    out.push(html(trimmed, spanOf(children, after, before)))
  }
  for (const match of serialized.matchAll(PLACEHOLDER)) {
    const index = Number(match[1])
    push(serialized.slice(last, match.index), index)
    const original = restore(index)
    if (original) out.push(original)
    after = index
    last = match.index + match[0].length
  }
  push(serialized.slice(last), children.length)
  return out
}

/** Characters escaped in the text of HTML blocks. */
const TEXT_ESCAPES: Record<string, string> = {'&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;', '[': '&#x5B;', ']': '&#x5D;', '\\': '&#x5C;', '`': '&#x60;', '*': '&#x2A;', '_': '&#x5F;', '!': '&#x21;', '~': '&#x7E;', '|': '&#x7C;', '#': '&#x23;'}

/**
 * Why: the public Markdown may be read again as Markdown, where text in an
 * HTML block that does not start with a tag is Markdown: `[x](javascript:...)`
 * would become a link there. As character references, the text reads the
 * same in both. In `<pre>`, a blank line would end the HTML block: its line
 * ending is written as a reference too.
 */
function markdownSafe(node: HastRoot | Element, inPre: boolean): void {
  node.children = (node.children as ElementContent[]).map((child): ElementContent => {
    if (child.type === 'text') {
      let value = child.value.replace(/[&<>[\]\\`*_!~|#]/g, (c) => TEXT_ESCAPES[c])
      if (inPre) value = value.replace(/\n(?=[ \t]*\n)/g, '&#xA;')
      return {type: 'raw', value} as unknown as ElementContent
    }
    if (child.type === 'element') markdownSafe(child, inPre || child.tagName === 'pre')
    return child
  })
}

/** The position of the raw HTML written between two children. */
function spanOf(children: RootContent[], after: number, before: number): Position | undefined {
  const pieces = children.slice(after + 1, Math.max(after + 1, before)).filter((child) => child.type === 'html')
  const first = pieces[0]?.position ?? children.find((child) => child.type === 'html')?.position
  const last = pieces.at(-1)?.position ?? first
  return first && last ? {start: first.start, end: last.end} : undefined
}

function html(value: string, position: Position | undefined): Html {
  const node: Html = {type: 'html', value}
  if (position) node.position = position
  return node
}

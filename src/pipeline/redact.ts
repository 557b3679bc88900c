/**
 * remark plugin: remove sensitive material. A block (`:::official-sensitive`)
 * becomes a notice: what kind of material was withheld when the author says
 * (`kind="Part 2 business case"`), roughly how much (paragraphs and tables,
 * when that is safe to say), the exemption in full and, on the page, a link
 * to "About withheld information". A span (`:official-sensitive[...]`)
 * becomes a marker that reads naturally, "[withheld]" or "[name withheld]"
 * (`kind="name"`), with the ground for assistive technology ("withheld under
 * section 40 of the Freedom of Information Act 2000 (personal information)",
 * visually hidden); the public Markdown carries those same plain words.
 * Every removal is recorded on `file.data.redactions`, and the identifiers of
 * definitions that stood inside removed material on
 * `file.data.redactedDefinitions`.
 *
 * Runs after `remarkCheckDirectives`, which resolves each node's exemptions
 * and checks its `kind`.
 *
 * How the two renderings differ: a notice's mdast children are its plain
 * words (what the Markdown prints and what the later checks read); its
 * `hChildren` are the HTML (the same words, plus the link and the visually
 * hidden text). Why the link is HTML only: the plugins after this one read
 * every mdast link as a paper's own (a local file to copy, a paper to hide),
 * and this one is the site's.
 */
import type {BlockContent, Blockquote, Emphasis, Nodes, Paragraph, Root} from 'mdast'
import type {ElementContent} from 'hast'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import {SKIP} from '../vendor/index.js'
import type {VFile} from 'vfile'
import {amountMayBeShown, joinAnd, sortExemptions, underTheAct} from '../content/exemptions.js'
import {SENSITIVE, directiveExemptions} from './directives.js'
import {directiveKind} from './withheld-kind.js'
import type {Redaction} from './data.js'
import {visitSplicing, walk} from './walk.js'

/**
 * The site's "About withheld information" page, from a paper's page or its
 * Markdown (both at `decisions/<slug>/`). The site writes the page there
 * (src/site/paths.ts `ABOUT_WITHHELD_DIR`; a test checks the two agree).
 */
export const ABOUT_WITHHELD_HREF = '../../withheld-information/'
export const ABOUT_WITHHELD_TEXT = 'About withheld information'

/** "Exempt under section 43 of the Freedom of Information Act 2000 (commercial interests)." */
export function withheldNoticeText(exemptions: string[]): string {
  return `Exempt under ${underTheAct(exemptions)}.`
}

/** How much a block held, as "3 paragraphs and 1 table", or undefined when nothing countable or not safe to say. */
export function withheldAmount(node: Nodes, exemptions: string[]): string | undefined {
  // Why: the amount is structure, never words or characters (a name's length
  // would say whose it is); and where the amount may itself be the
  // information (how many people, s40; security, s23, s24; safety, s38) the
  // exemption table says not to give it.
  if (!amountMayBeShown(exemptions)) return undefined
  let paragraphs = 0
  let tables = 0
  walk(node, (inner) => {
    if (inner.type === 'paragraph') paragraphs++
    if (inner.type === 'table') {
      tables++
      return false
    }
    return undefined
  })
  const parts = [
    ...(paragraphs > 0 ? [`${paragraphs} ${paragraphs === 1 ? 'paragraph' : 'paragraphs'}`] : []),
    ...(tables > 0 ? [`${tables} ${tables === 1 ? 'table' : 'tables'}`] : [])
  ]
  return parts.length > 0 ? joinAnd(parts) : undefined
}

/** The plain words of an inline marker: "[name withheld under section 40 of the Freedom of Information Act 2000 (personal information)]". */
export function withheldMarkerText(exemptions: string[], kind?: string): string {
  return `[${markerWords(kind)} under ${underTheAct(exemptions)}]`
}

/** What a reader sees of an inline marker: "[name withheld]" or "[withheld]". */
function markerWords(kind: string | undefined): string {
  return kind ? `${kind} withheld` : 'withheld'
}

const text = (value: string) => ({type: 'text' as const, value})

function blockNotice(node: ContainerDirective | LeafDirective, exemptions: string[]): Blockquote {
  const kind = directiveKind(node)
  // A leaf is one line: there is no amount worth giving.
  const amount = node.type === 'containerDirective' ? withheldAmount(node, exemptions) : undefined
  // "Material withheld: Part 2 business case (2 paragraphs and 1 table). Exempt under ..."
  const named = kind ? `Material withheld: ${kind}` : 'Material withheld'
  const heading = amount ? named : `${named}.`
  const rest = `${amount ? ` (${amount}).` : ''} ${withheldNoticeText(exemptions)}`
  const paragraph: Paragraph = {type: 'paragraph', children: [{type: 'strong', children: [text(heading)]}, text(rest)]}
  const html: ElementContent[] = [
    {type: 'element', tagName: 'p', properties: {}, children: [{type: 'element', tagName: 'strong', properties: {}, children: [text(heading)]}, text(rest)]},
    {type: 'element', tagName: 'p', properties: {}, children: [{type: 'element', tagName: 'a', properties: {href: ABOUT_WITHHELD_HREF}, children: [text(ABOUT_WITHHELD_TEXT)]}]}
  ]
  return {
    type: 'blockquote',
    children: [paragraph],
    position: node.position,
    data: {
      hName: 'div',
      hProperties: {className: ['mopac-withheld'], dataPagefindIgnore: 'all'},
      hChildren: html
    }
  }
}

function inlineMarker(node: TextDirective, exemptions: string[]): Emphasis {
  const kind = directiveKind(node)
  const words = markerWords(kind)
  // The visually hidden words complete the sentence a screen reader reads:
  // "name withheld under section 40 of the Freedom of Information Act 2000
  // (personal information)"; the brackets stay outside them.
  const html: ElementContent[] = [
    text(`[${words}`),
    {type: 'element', tagName: 'span', properties: {className: ['govuk-visually-hidden']}, children: [text(` under ${underTheAct(exemptions)}`)]},
    text(']')
  ]
  return {
    type: 'emphasis',
    children: [text(withheldMarkerText(exemptions, kind))],
    position: node.position,
    data: {
      hName: 'span',
      hProperties: {className: ['mopac-withheld-inline'], dataPagefindIgnore: 'all'},
      hChildren: html
    }
  }
}

/** Words withheld: counted per piece of text, so words in adjacent paragraphs are not run together. */
function countWords(node: Nodes): number {
  let words = 0
  walk(node, (inner) => {
    const text = inner.type === 'text' || inner.type === 'inlineCode' || inner.type === 'code' || inner.type === 'html' ? inner.value : inner.type === 'image' ? inner.alt ?? '' : ''
    words += text.split(/\s+/).filter(Boolean).length
  })
  return words
}

export default function remarkRedact() {
  return function (tree: Root, file: VFile) {
    const redactions: Redaction[] = []
    const definitions = new Set<string>()
    const footnotes = new Set<string>()

    visitSplicing(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return
      if (node.name !== SENSITIVE || !parent || index === undefined) return
      const exemptions = sortExemptions(directiveExemptions(node))

      // Remember what the removed material defined, so public references to
      // it can be reported and definitions only it used can be dropped.
      walk(node, (inner) => {
        if (inner.type === 'definition') definitions.add(inner.identifier)
        if (inner.type === 'footnoteDefinition') footnotes.add(inner.identifier)
      })

      redactions.push({
        kind: node.type === 'textDirective' ? 'inline' : 'block',
        exemptions,
        position: node.position,
        words: countWords(node)
      })

      const replacement = node.type === 'textDirective' ? inlineMarker(node, exemptions) : blockNotice(node, exemptions)
      parent.children.splice(index, 1, replacement as BlockContent & Emphasis)
      // Why: SKIP so the visitor never walks into (or re-reads) what replaced it.
      return [SKIP, index + 1]
    })

    file.data.redactions = redactions
    file.data.redactedDefinitions = {definition: [...definitions], footnote: [...footnotes]}
  }
}

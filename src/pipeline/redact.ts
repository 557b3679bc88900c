/**
 * remark plugin: remove sensitive material. A block (`:::official-sensitive`)
 * becomes a notice naming each exemption; a span (`:official-sensitive[...]`)
 * becomes a short marker `[withheld: s40]`. Every removal is recorded on
 * `file.data.redactions`, and the identifiers of definitions that stood inside
 * removed material on `file.data.redactedDefinitions`.
 *
 * Runs after `remarkCheckDirectives`, which resolves each node's exemptions.
 */
import type {BlockContent, Blockquote, Emphasis, Nodes, Paragraph, Root} from 'mdast'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {exemptionTitles, parseExemption, sortExemptions} from '../content/exemptions.js'
import {SENSITIVE, directiveExemptions} from './directives.js'
import type {Redaction} from './data.js'

/** Notice text: "Exempt under section 43 of the Freedom of Information Act 2000: commercial interests." */
export function withheldNoticeText(exemptions: string[]): string {
  const sorted = sortExemptions(exemptions)
  const sections = sorted.map((e) => {
    const parsed = parseExemption(e)
    return parsed ? parsed.section + parsed.subsection : e
  })
  const titles = sorted.map((e) => {
    const parsed = parseExemption(e)
    const title = parsed ? exemptionTitles[parsed.section] : e
    return title.charAt(0).toLowerCase() + title.slice(1)
  })
  const list = sections.length === 1 ? `section ${sections[0]}` : `sections ${sections.slice(0, -1).join(', ')} and ${sections.at(-1)}`
  return `Exempt under ${list} of the Freedom of Information Act 2000: ${titles.join('; ')}.`
}

/** Inline marker text: "[withheld: s40]". */
export function withheldMarkerText(exemptions: string[]): string {
  return `[withheld: ${sortExemptions(exemptions).join(' ')}]`
}

function blockNotice(node: ContainerDirective | LeafDirective, exemptions: string[]): Blockquote {
  const paragraph: Paragraph = {
    type: 'paragraph',
    children: [
      {type: 'strong', children: [{type: 'text', value: 'Material withheld.'}]},
      {type: 'text', value: ' ' + withheldNoticeText(exemptions)}
    ]
  }
  return {
    type: 'blockquote',
    children: [paragraph],
    position: node.position,
    data: {
      hName: 'div',
      hProperties: {className: ['mopac-withheld'], dataPagefindIgnore: 'all'}
    }
  }
}

function inlineMarker(node: TextDirective, exemptions: string[]): Emphasis {
  return {
    type: 'emphasis',
    children: [{type: 'text', value: withheldMarkerText(exemptions)}],
    position: node.position,
    data: {
      hName: 'span',
      hProperties: {className: ['mopac-withheld-inline'], dataPagefindIgnore: 'all'}
    }
  }
}

/** Words withheld: counted per piece of text, so words in adjacent paragraphs are not run together. */
function countWords(node: Nodes): number {
  let words = 0
  visit(node, (inner) => {
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

    visit(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return
      if (node.name !== SENSITIVE || !parent || index === undefined) return
      const exemptions = directiveExemptions(node)

      // Remember what the removed material defined, so public references to
      // it can be reported and definitions only it used can be dropped.
      visit(node, (inner) => {
        if (inner.type === 'definition') definitions.add(inner.identifier)
        if (inner.type === 'footnoteDefinition') footnotes.add(inner.identifier)
      })

      redactions.push({
        kind: node.type === 'textDirective' ? 'inline' : 'block',
        exemptions: sortExemptions(exemptions),
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

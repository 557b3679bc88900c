/**
 * remark plugin: keep only the definitions the public text uses. A link or
 * footnote definition that only redacted material used is removed (its text
 * and URL are as sensitive as the material). A public reference to a
 * definition that stood inside redacted material is an error: the public text
 * would point at nothing, and the author must decide what to publish.
 *
 * Runs after `remarkRedact`.
 */
import type {Definition, FootnoteDefinition, Root} from 'mdast'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import './data.js'

export default function remarkPruneDefinitions() {
  return function (tree: Root, file: VFile) {
    const redacted = file.data.redactedDefinitions ?? {definition: [], footnote: []}
    const redactedDefinitions = new Set(redacted.definition)
    const redactedFootnotes = new Set(redacted.footnote)

    const definitions = new Map<string, Definition>()
    const footnotes = new Map<string, FootnoteDefinition>()
    visit(tree, (node) => {
      if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
      if (node.type === 'footnoteDefinition' && !footnotes.has(node.identifier)) footnotes.set(node.identifier, node)
    })

    // Footnotes may reference other footnotes and links: find what is used,
    // starting from the text outside footnote definitions.
    const usedDefinitions = new Set<string>()
    const usedFootnotes = new Set<string>()
    const queue: FootnoteDefinition[] = []

    const scan = (root: Root | FootnoteDefinition, skipFootnoteDefinitions: boolean) => {
      visit(root, (node) => {
        if (skipFootnoteDefinitions && node.type === 'footnoteDefinition') return SKIP
        if (node.type === 'linkReference' || node.type === 'imageReference') {
          if (definitions.has(node.identifier)) usedDefinitions.add(node.identifier)
          else if (redactedDefinitions.has(node.identifier)) {
            fail(file, `This reference \`[${node.label ?? node.identifier}]\` points at a definition inside withheld material: move the definition out of the \`:::official-sensitive\` block, or withhold the reference too`, node, 'reference-redacted')
          }
        }
        if (node.type === 'footnoteReference') {
          const definition = footnotes.get(node.identifier)
          if (definition) {
            if (!usedFootnotes.has(node.identifier)) {
              usedFootnotes.add(node.identifier)
              queue.push(definition)
            }
          } else if (redactedFootnotes.has(node.identifier)) {
            fail(file, `This footnote reference \`[^${node.label ?? node.identifier}]\` points at a footnote inside withheld material: move the footnote out of the \`:::official-sensitive\` block, or withhold the reference too`, node, 'reference-redacted')
          }
        }
        return undefined
      })
    }

    scan(tree, true)
    while (queue.length > 0) scan(queue.shift()!, false)

    // Why: a definition nobody public uses is dropped whatever its origin, so
    // a URL or footnote that only withheld material cited never reaches a file.
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return
      const unused =
        (node.type === 'definition' && !usedDefinitions.has(node.identifier)) ||
        (node.type === 'footnoteDefinition' && !usedFootnotes.has(node.identifier))
      if (unused) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return undefined
    })
  }
}

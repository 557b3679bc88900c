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
import {SKIP} from '../vendor/index.js'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import './data.js'
import {visitSplicing, walk} from './walk.js'

export default function remarkPruneDefinitions() {
  return function (tree: Root, file: VFile) {
    const redacted = file.data.redactedDefinitions ?? {definition: [], footnote: []}
    const redactedDefinitions = new Set(redacted.definition)
    const redactedFootnotes = new Set(redacted.footnote)

    const definitions = new Map<string, Definition>()
    const footnotes = new Map<string, FootnoteDefinition>()
    walk(tree, (node) => {
      if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
      if (node.type === 'footnoteDefinition' && !footnotes.has(node.identifier)) footnotes.set(node.identifier, node)
    })

    // Footnotes may reference other footnotes and links: find what is used,
    // starting from the text outside footnote definitions.
    const usedDefinitions = new Set<string>()
    const usedFootnotes = new Set<string>()
    const queue: FootnoteDefinition[] = []

    const scan = (root: Root | FootnoteDefinition, skipFootnoteDefinitions: boolean) => {
      walk(root, (node) => {
        if (skipFootnoteDefinitions && node.type === 'footnoteDefinition') return false
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

    // A definition inside a directive block is not seen by the parser when it
    // reads the text outside, so such a reference stays literal text
    // (`[the annex][annex]`, `[^n]`). Catch those too.
    if (redactedDefinitions.size > 0 || redactedFootnotes.size > 0) {
      walk(tree, (node) => {
        if (node.type !== 'text') return
        // Why `[^\][]`: a label cannot hold an unescaped bracket, and a
        // scan from each `[` that stops at the next bracket keeps this linear
        // (`[^\]]+` read to the end of a long run of `[` from every one of them).
        for (const match of node.value.matchAll(/\[\^([^\][\s]+)\]|\]\[([^\][]+)\]|\[([^\][]+)\]\[\]|\[([^\]^[][^\][]*)\]/g)) {
          const footnote = match[1]
          const label = match[2] ?? match[3] ?? match[4]
          const hit = footnote !== undefined ? redactedFootnotes.has(normalizeIdentifier(footnote)) : label !== undefined && redactedDefinitions.has(normalizeIdentifier(label))
          if (hit) {
            fail(file, `This reference \`${match[0]}\` points at a definition inside withheld material: move the definition out of the \`:::official-sensitive\` block, or withhold the reference too`, node, 'reference-redacted')
          }
        }
      })
    }

    // Why: a definition nobody public uses is dropped whatever its origin, so
    // a URL or footnote that only withheld material cited never reaches a file.
    visitSplicing(tree, (node, index, parent) => {
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

/** Identifiers as mdast normalizes them: collapsed whitespace, lower case. */
function normalizeIdentifier(value: string): string {
  return value.replace(/[\t\n\r ]+/g, ' ').trim().toLowerCase()
}

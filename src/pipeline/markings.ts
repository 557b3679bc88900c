/**
 * remark plugin: look for protective markings above OFFICIAL in what is left
 * to publish. A heading such as "Part 2 - OFFICIAL-SENSITIVE" whose section
 * is not wrapped in `:::official-sensitive` is an error (the section was
 * surely meant to be withheld); a marking in public prose is a warning.
 *
 * Runs after `remarkRedact`, so everything it sees is public.
 */
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {fail, warn} from '../content/messages.js'

/** Markings above OFFICIAL. `SECRET` must be upper case, so "the secret of" is prose. */
export const markingRe = /official[-\s]+sensitive|\bTOP[-\s]+SECRET\b|\bSECRET\b|\bEXEMPT\s+INFORMATION\b/i

function marking(text: string): string | undefined {
  const match = /official[-\s]+sensitive/i.exec(text) ?? /\b(?:TOP[-\s]+)?SECRET\b/.exec(text)
  return match?.[0]
}

export default function remarkCheckMarkings() {
  return function (tree: Root, file: VFile) {
    visit(tree, (node) => {
      if (node.type === 'heading') {
        const found = marking(toString(node))
        if (found) {
          fail(file, `Heading carries the marking \`${found}\` but its section is not withheld: wrap the section in \`:::official-sensitive{exemptions="..."}\` ... \`:::\`, or remove the marking`, node, 'heading-marking')
        }
        return SKIP
      }
      if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') {
        const found = marking(node.value)
        if (found) warn(file, `Public text carries the marking \`${found}\`: check that this is meant to be published`, node, 'prose-marking')
      }
      return undefined
    })
  }
}

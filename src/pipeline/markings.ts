/**
 * remark plugin: look for protective markings above OFFICIAL in what is left
 * to publish. A heading such as "Part 2 - OFFICIAL-SENSITIVE" whose section
 * is not wrapped in `:::official-sensitive` is an error (the section was
 * surely meant to be withheld); a marking in public prose is a warning.
 *
 * Runs after `remarkRedact`, so everything it sees is public.
 */
import type {Root} from 'mdast'
import {toString} from '../vendor/index.js'
import type {VFile} from 'vfile'
import {findMarking} from '../content/markings.js'
import {fail, warn} from '../content/messages.js'
import {walk} from './walk.js'

const marking = findMarking

export default function remarkCheckMarkings() {
  return function (tree: Root, file: VFile) {
    walk(tree, (node) => {
      if (node.type === 'heading') {
        const found = marking(toString(node))
        if (found) {
          fail(file, `Heading carries the marking \`${found}\` but its section is not withheld: wrap the section in \`:::official-sensitive{exemptions="..."}\` ... \`:::\`, or remove the marking`, node, 'heading-marking')
        }
        return false
      }
      if (node.type === 'html' && /<h[1-6]\b/i.test(node.value)) {
        // `[^<>]`: linear on a long run of `<` (`[^>]*` read to the end from each).
        const found = marking(node.value.replace(/<[^<>]*>/g, ' '))
        if (found) fail(file, `An HTML heading carries the marking \`${found}\` but is not withheld: wrap the section in \`:::official-sensitive{exemptions="..."}\`, or remove the marking`, node, 'heading-marking')
        return undefined
      }
      if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code' || node.type === 'html') {
        const found = marking(node.value)
        if (found) warn(file, `Public text carries the marking \`${found}\`: check that this is meant to be published`, node, 'prose-marking')
      }
      return undefined
    })
  }
}

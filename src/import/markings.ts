/**
 * Sections of the main form that the form itself marks OFFICIAL-SENSITIVE go
 * inside a withheld block: a section whose heading carries the marking, or
 * that holds a line that is a marking ("OFFICIAL-SENSITIVE [COMMERCIAL]").
 * A section runs from its heading to the next heading of the same or a
 * higher level. A marking mentioned in prose elsewhere is not guessed at: the
 * paragraph is marked for the author.
 *
 * Why whole sections: a marking line says that what follows is sensitive,
 * not where it stops; the section is the smallest unit the form gives, and
 * withholding too much is a correction, publishing too little is not.
 */
import type {Heading, RootContent} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import {toString} from '../vendor/index.js'
import {findMarking} from '../content/markings.js'
import {SENSITIVE} from '../pipeline/directives.js'
import {blockMarker} from './convert.js'
import {ImportError} from './errors.js'
import {findGrounds} from './grounds.js'

/** Longest text that counts as a marking line rather than a sentence mentioning one. */
const MARKING_LINE = 80

export function wrapMarkedSections(blocks: RootContent[], part2Ground: boolean): {blocks: RootContent[]; notes: string[]} {
  const notes: string[] = []
  const ranges: Array<[number, number]> = []
  const sectionEnd = (start: number, depth: number) => {
    let end = start + 1
    while (end < blocks.length && !(blocks[end].type === 'heading' && (blocks[end] as Heading).depth <= depth)) end++
    return end
  }
  const prose = new Set<number>()
  blocks.forEach((block, index) => {
    if (block.type === 'leafDirective' || block.type === 'footnoteDefinition') return
    const content = toString(block)
    const marking = findMarking(content)
    if (!marking) return
    if (/SECRET/.test(marking) && !/sensitive/i.test(marking)) {
      throw new ImportError('classified', `the form carries the marking ${marking} ("${content.slice(0, 80)}"): such material must not be stored in the content folder. Handle it through the secure route`)
    }
    if (block.type === 'heading') ranges.push([index, sectionEnd(index, block.depth)])
    else if (content.trim().length <= MARKING_LINE) {
      let start = index
      while (start >= 0 && blocks[start].type !== 'heading') start--
      if (start < 0) {
        let end = index + 1
        while (end < blocks.length && blocks[end].type !== 'heading') end++
        ranges.push([index, end])
      } else ranges.push([start, sectionEnd(start, (blocks[start] as Heading).depth)])
    } else prose.add(index)
  })
  // Merge ranges that overlap or nest.
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  const out: RootContent[] = []
  let at = 0
  for (const [start, end] of merged) {
    for (; at < start; at++) pushChecked(out, blocks[at], prose.has(at))
    const inner = blocks.slice(start, end)
    const grounds = findGrounds(inner.map((node) => toString(node)).join(' '))
    const title = toString(inner.find((node) => node.type === 'heading') ?? inner[0]).slice(0, 60)
    const attributes: Record<string, string> = {}
    if (grounds.length > 0) attributes.exemptions = grounds.map((ground) => ground.exemption).join(' ')
    const ground = grounds.length > 0 ? `exempt under ${grounds.map((ground) => ground.exemption).join(' ')}, as its text states` : part2Ground ? 'on the Part 2 form\'s ground' : 'with no ground found: `mopac check` refuses it until you state one (`{exemptions="s43"}` on its opening line)'
    notes.push(`The section "${title}" is marked OFFICIAL-SENSITIVE on the form: withheld, ${ground}.`)
    const block: ContainerDirective = {type: 'containerDirective', name: SENSITIVE, attributes, children: inner as ContainerDirective['children']}
    out.push(block)
    at = end
  }
  for (; at < blocks.length; at++) pushChecked(out, blocks[at], prose.has(at))
  return {blocks: out, notes}
}

function pushChecked(out: RootContent[], block: RootContent, mentionsMarking: boolean): void {
  if (mentionsMarking) out.push(blockMarker('The paragraph below mentions a protective marking above OFFICIAL: put what is sensitive in a withheld block, or confirm it may be published'))
  out.push(block)
}

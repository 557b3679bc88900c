/**
 * The FOIA exemptions a document states as its ground: "Section 43
 * (Commercial interests)", "s40(2)", "sections 40(2) and 43", "s.31(1)(a)".
 * Only sections 21 to 44 count (see content/exemptions.ts), so "Article
 * 2(2)(a)" or "section 57 of the DPA" are not read as grounds.
 */
import {parseExemption} from '../content/exemptions.js'

export interface Ground {
  /** As the paper writes it: `s43`, `s40(2)`. */
  exemption: string
  /** The sentence it was read from (for the report). */
  context: string
}

const SUBSECTIONS = String.raw`((?:\(\d+[A-Z]?\))*(?:\([a-z]{1,4}\))*)`
const firstRe = new RegExp(String.raw`\b(?:sections?|ss?\.?) ?(\d{2}A?)${SUBSECTIONS}`, 'gi')
const moreRe = new RegExp(String.raw`(?:,? and|,? or|,| &) ?(?:s\.? ?)?(\d{2}A?)${SUBSECTIONS}`, 'yi')

/**
 * Every exemption stated in `text`, in order, each once. When some are stated
 * next to the words "Freedom of Information", "FOIA" or "exempt", only those
 * count: another Act's section numbers elsewhere in the text are not grounds.
 */
export function findGrounds(text: string): Ground[] {
  const plain = text.replace(/\s+/g, ' ')
  const found: Array<Ground & {foia: boolean}> = []
  const add = (section: string, subsection: string, at: number) => {
    // Letters of a subsection are written lower case: `(A)` is `(a)`.
    const written = `s${section.toUpperCase()}${subsection.replace(/\(([A-Za-z]{1,4})\)/g, (_, letters: string) => `(${letters.toLowerCase()})`)}`
    const exemption = parseExemption(written) ? written : `s${section.toUpperCase()}`
    if (!parseExemption(exemption)) return
    const context = sentenceAt(plain, at)
    found.push({exemption, context, foia: /freedom of information|\bfoia?\b|exempt/i.test(context)})
  }
  firstRe.lastIndex = 0
  for (let match = firstRe.exec(plain); match; match = firstRe.exec(plain)) {
    add(match[1], match[2], match.index)
    moreRe.lastIndex = firstRe.lastIndex
    for (let more = moreRe.exec(plain); more; more = moreRe.exec(plain)) {
      add(more[1], more[2], match.index)
      firstRe.lastIndex = moreRe.lastIndex
    }
  }
  const stated = found.some((ground) => ground.foia) ? found.filter((ground) => ground.foia) : found
  const seen = new Set<string>()
  return stated.filter((ground) => !seen.has(ground.exemption) && seen.add(ground.exemption)).map(({exemption, context}) => ({exemption, context}))
}

/** The sentence around `at`, at most 200 characters. */
function sentenceAt(text: string, at: number): string {
  let start = Math.max(0, text.lastIndexOf('. ', at) + 1)
  if (at - start > 120) start = at - 120
  let end = text.indexOf('. ', at)
  if (end === -1 || end - at > 80) end = Math.min(text.length, at + 80)
  return text.slice(start, end + 1).trim()
}

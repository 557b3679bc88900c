/**
 * The MOPAC decision form, read from the HTML mammoth makes of it: which
 * block belongs to which part of the form (the heading, the executive
 * summary, the recommendation, the decision maker's approval box, Part 1,
 * the "Public access to information" box, the originating officer's
 * declaration, and anything appended after it), and the facts the form
 * states (reference, title, decision maker, date, deferral, Part 2).
 *
 * Parts are found by the form's fixed wording, whatever its layout (tables
 * or paragraphs, Word headings or bold text). Form furniture (declarations,
 * signatures, tick boxes, the public access box) is recognised phrase by
 * phrase; anything else found among it is kept and marked for the author.
 */
import type {Element} from 'hast'
import {findDate, type FoundDate} from './dates.js'
import {childElements, isElement, plainText} from './hast.js'

export type Region = 'head' | 'summary' | 'recommendation' | 'approval' | 'part1' | 'access' | 'declaration' | 'appendix'

/** The regions whose blocks are the paper's content. */
export const CONTENT_REGIONS: ReadonlySet<Region> = new Set(['summary', 'recommendation', 'part1', 'appendix'])

export interface FormBlock {
  node: Element
  /** Normalized text. */
  text: string
  region: Region
  /** For a region's label block ("Executive Summary:"): the label's length, when text follows it in the same paragraph. */
  labelLength?: number
  /** True for a label block with nothing else (dropped: the paper has its own heading). */
  labelOnly?: boolean
}

export interface FormSegments {
  blocks: FormBlock[]
  /** Whether the form's parts were found (an executive summary or a Part 1 at least). */
  recognised: boolean
}

const lower = (text: string) => text.toLowerCase()

/** Landmarks: a label alone on its block (or starting it), and the region it opens. */
const LABELS: Array<{region: Region; re: RegExp}> = [
  {region: 'summary', re: /^executive summary\b:?/i},
  {region: 'recommendation', re: /^recommendations?\b:?/i},
  {region: 'access', re: /^public access to information\b/i},
  {region: 'declaration', re: /^originating officer('s)? declaration\b/i}
]

const APPROVAL_RE = /the above request has my approval|i confirm i have considered whether or not i have any personal or prejudicial interest/i
const PART1_RE = /^part (i|1|one)\b.{0,20}(non-confidential|facts and advice)/i

/** Split the top-level blocks of the main form into its parts. */
export function segmentForm(nodes: Element[]): FormSegments {
  const blocks: FormBlock[] = []
  let region: Region = 'head'
  let signed = false
  let dated = false
  let recognised = false
  for (const node of nodes) {
    const text = plainText(node)
    let labelLength: number | undefined
    let labelOnly = false
    const landmark = LABELS.find(({re}) => re.test(text))
    if (landmark && (landmark.region !== 'recommendation' || startsWithLabel(node, text, landmark.re))) {
      region = landmark.region
      const label = landmark.re.exec(text)![0]
      labelOnly = text.replace(/[\s:.]+$/, '').length <= label.replace(/[\s:.]+$/, '').length
      if (!labelOnly && node.tagName === 'p') labelLength = label.replace(/\s/g, '').length
      if (landmark.region === 'summary') recognised = true
    } else if (PART1_RE.test(text) && text.length < 140) {
      region = 'part1'
      labelOnly = true
      recognised = true
    } else if (APPROVAL_RE.test(text) && region !== 'approval') {
      // A decision maker's title typed just above the declaration belongs to the box.
      const previous = blocks.at(-1)
      if (!isElement(node, 'table') && previous && previous.region !== 'head' && looksLikeRole(previous.text)) previous.region = 'approval'
      region = 'approval'
    } else if (region === 'declaration') {
      // The declaration ends after its signature and date; what follows
      // (a report appended to the form) is content again.
      if (/^h[1-6]$/.test(node.tagName) || (dated && !isDateValue(text))) region = 'appendix'
    }
    if (region !== blocks.at(-1)?.region) {
      signed = false
      dated = false
    }
    if (region === 'declaration' || region === 'approval') {
      if (/\bsignature\b/i.test(text)) signed = true
      if (signed && /\bdate\b/i.test(text)) dated = true
    }
    blocks.push({node, text, region, labelLength, labelOnly})
  }
  return {blocks, recognised}
}

/** Whether the block starts with the label, in bold or as a heading (not a sentence that happens to begin with the word). */
function startsWithLabel(node: Element, text: string, re: RegExp): boolean {
  if (/^h[1-6]$/.test(node.tagName)) return true
  const label = re.exec(text)?.[0] ?? ''
  if (text.replace(/[\s:.]+$/, '').length <= label.replace(/[\s:.]+$/, '').length) return true
  const first = childElements(node)[0]
  return first !== undefined && (first.tagName === 'strong' || first.tagName === 'b') && re.test(plainText(first))
}

/** A job title on its own: short, no sentence. */
function looksLikeRole(text: string): boolean {
  return text.length > 0 && text.length <= 80 && !/[.:]$/.test(text) && /\b(mayor|director|chief|officer|commissioner|executive|head|dmpc|mopac)\b/i.test(text)
}

/** A date, or a short value after a "Date" label. */
function isDateValue(text: string): boolean {
  return text.length <= 40 && findDate(text) !== undefined
}

/** What the form states, as found. */
export interface FormFacts {
  id?: {value: string; from: string}
  title?: {value: string; from: string}
  decisionMaker?: {value: string; from: string}
  date?: FoundDate & {from: string}
  /** Another date on the form (the officer's signature), offered when the approval has none. */
  otherDate?: FoundDate
  deferred?: {answer: 'yes' | 'no' | 'unclear'; written: string}
  deferralReason?: string
  deferralUntil?: FoundDate
  deferralUntilWritten?: string
  part2?: 'yes' | 'no'
}

/** Read the facts of the form from its segments. */
export function readFacts(segments: FormSegments): FormFacts {
  const facts: FormFacts = {}
  const head = segments.blocks.filter((block) => block.region === 'head')
  for (const block of head) {
    const pcd = /\b(PCD|DMPCD) ?-? ?(\d{1,6})\b/i.exec(block.text)
    if (pcd && !facts.id) facts.id = {value: `${pcd[1].toUpperCase()} ${pcd[2]}`, from: `"${block.text}"`}
  }
  const titleAt = head.findIndex((block) => /^title\b\s*:?/i.test(block.text))
  if (titleAt !== -1) {
    const rest = head[titleAt].text.replace(/^title\b\s*:?\s*/i, '')
    const value = rest || head[titleAt + 1]?.text || ''
    if (value) facts.title = {value, from: '"Title:" on the form'}
  }
  if (!facts.title) {
    const heading = head.find((block) => /^h[1-6]$/.test(block.node.tagName) && !/\b(PCD|DMPCD)\b|\bdecision\b/i.test(block.text))
    if (heading) facts.title = {value: heading.text, from: 'the form\'s heading'}
  }

  const approval = segments.blocks.filter((block) => block.region === 'approval')
  for (const block of approval) {
    const lines = blockLines(block.node)
    const role = lines.find((line) => looksLikeRole(line) && !APPROVAL_RE.test(line))
    if (role && !facts.decisionMaker) facts.decisionMaker = {value: role.replace(/^the /i, ''), from: 'the approval box'}
    const date = findDate(lines.filter((line) => !APPROVAL_RE.test(line)).join(' | '))
    if (date && !facts.date) facts.date = {...date, from: `the approval box's date "${date.written}"`}
  }
  if (!facts.decisionMaker) {
    for (const block of segments.blocks.filter((b) => b.region === 'recommendation')) {
      const match = /^(?:the )?(.{3,80}?) (?:is|are) (?:recommended|asked) to\b/i.exec(block.text)
      if (match) {
        facts.decisionMaker = {value: match[1], from: 'the recommendation'}
        break
      }
    }
  }
  const declaration = segments.blocks.filter((block) => block.region === 'declaration')
  facts.otherDate = findDate(declaration.map((block) => block.text).join(' | '))

  const access = segments.blocks.filter((block) => block.region === 'access').flatMap((block) => blockLines(block.node))
  const answerTo = (question: RegExp): string | undefined => {
    const at = access.findIndex((line) => question.test(line))
    if (at === -1) return undefined
    const rest = access[at].replace(question, '').replace(/^[\s:?\-]+/, '').trim()
    if (rest) return rest
    const next = access[at + 1]
    return next !== undefined && !/\?$|:$/.test(next) && !QUESTIONS.some((re) => re.test(next)) ? next : ''
  }
  const deferred = answerTo(DEFERRED_RE)
  if (deferred !== undefined) {
    const answer = /^\W*(yes|no)\b/i.exec(deferred)?.[1]
    facts.deferred = {answer: answer ? (lower(answer) as 'yes' | 'no') : 'unclear', written: deferred}
  }
  const reason = answerTo(REASON_RE)
  if (reason) facts.deferralReason = reason
  const until = answerTo(UNTIL_RE)
  if (until) {
    facts.deferralUntilWritten = until
    facts.deferralUntil = findDate(until)
  }
  const part2 = answerTo(PART2_RE)
  const part2Answer = part2 === undefined ? undefined : /^\W*(yes|no)\b/i.exec(part2)?.[1]
  if (part2Answer) facts.part2 = lower(part2Answer) as 'yes' | 'no'
  return facts
}

const DEFERRED_RE = /^.*\bpart 1\b.*\bdeferred\??/i
const REASON_RE = /^if yes,? for what reason\b:?/i
const UNTIL_RE = /^until what date\b:?/i
const PART2_RE = /^.*\bis there a part 2 form\b\s*[?:\-]?/i
const QUESTIONS = [DEFERRED_RE, REASON_RE, UNTIL_RE, PART2_RE]

/** The text lines of a block: each paragraph, heading or list item (in tables, each cell's). */
export function blockLines(node: Element): string[] {
  if (isElement(node, 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6')) return [plainText(node)].filter(Boolean)
  const lines: string[] = []
  const walk = (current: Element) => {
    for (const child of childElements(current)) {
      if (isElement(child, 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6')) {
        const text = plainText(child)
        if (text) lines.push(text)
      } else if (isElement(child, 'li') && !childElements(child).some((c) => isElement(c, 'p', 'ol', 'ul', 'table'))) {
        const text = plainText(child)
        if (text) lines.push(text)
      } else walk(child)
    }
  }
  walk(node)
  return lines
}

/**
 * Phrases of the form's furniture: the fixed wording of the approval box,
 * the public access box and the declaration, which every form repeats and
 * the paper does not need (the answers go into the frontmatter).
 */
const FURNITURE: RegExp[] = [
  APPROVAL_RE,
  /^any such interests are recorded below\.?$/i,
  /^signature\b/i,
  /^date\b:?$/i,
  /^date\b:? ?[\d/. -]+$/i,
  /^(public access to information|part 1 deferral|part 2 confidentiality)\b/i,
  /^information in this form \(part 1\) is subject to the freedom of information act/i,
  /^if immediate publication risks compromising the implementation of the decision/i,
  /^only the facts or advice considered as likely to be exempt/i,
  ...QUESTIONS,
  /^originating officer('s)? declaration\b/i,
  /^tick to confirm statement/i,
  /^(financial advice|legal advice|equalities advice|commercial issues|gdpr ?\/ ?data privacy|director ?\/ ?head of service|chief executive officer)\b:?$/i,
  /^the strategic finance and resource management team has been consulted/i,
  /^the (mps|mopac) legal team has been consulted/i,
  /^equality and diversity issues are covered in the body of the report/i,
  /^the proposal is in keeping with the gla group responsible procurement policy/i,
  /^gdpr compliance issues are covered in the body of the report/i,
  /^a dpia (has been|is being) completed/i,
  /^the chief finance officer has reviewed the request/i,
  /^i have been consulted about the proposal and confirm/i,
  /^[✓✔☑☒☐x ]+$/i
]

/** Whether a line of a furniture region is the form's own wording (dropped) rather than something the author wrote there. */
export function isFurnitureLine(line: string, region: Region): boolean {
  if (FURNITURE.some((re) => re.test(line))) return true
  if ((region === 'approval' || region === 'declaration') && (looksLikeRole(line) || isDateValue(line))) return true
  return false
}

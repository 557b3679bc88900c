/**
 * `mopac import`, as a pure function: the bytes of a Word decision form (and
 * of its separate Part 2 form) in; the paper's text, its images and a report
 * out. Nothing here reads or writes files; the command does.
 *
 * The paper: frontmatter filled from the form, the form's content as
 * Markdown (executive summary, recommendation, Part 1, anything appended),
 * every section the form marks OFFICIAL-SENSITIVE inside a withheld block,
 * and the Part 2 form inside one withheld block at the end. Form furniture
 * (declarations, signatures, tick boxes, the public access box) is dropped
 * and listed; whatever the importer is unsure of is marked with
 * `::import-unresolved[...]`, which `mopac check` refuses until the author
 * resolves it and deletes the marker.
 */
import type {Element, ElementContent} from 'hast'
import type {Heading, Root, RootContent} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import {rehypeParse, remarkDirective, remarkStringify, unified} from '../vendor/index.js'
import {findMarking, hasSensitiveSyntax} from '../content/markings.js'
import remarkGfmPapers from '../pipeline/gfm.js'
import {SENSITIVE} from '../pipeline/directives.js'
import {admitAttachment} from '../publish/attachments.js'
import {processPaper} from '../publish/process.js'
import {blockMarker, inlineMarker, numberSections, shiftHeadings, takeNotes, toFootnote, toMarkdownBlocks, noteRefs, type ConvertOptions, type ImagePlan} from './convert.js'
import {convertDocx, DEFAULT_LIMITS, IMAGE_PREFIX, type ConvertedDocx, type DocxImage, type DocxLimits} from './docx.js'
import {ImportError} from './errors.js'
import {blockLines, CONTENT_REGIONS, isFurnitureLine, readFacts, segmentForm, type FormBlock, type FormFacts, type Region} from './form.js'
import {findGrounds, type Ground} from './grounds.js'
import {childElements, imagesIn, isElement, plainText, stripLeading, textOf} from './hast.js'
import {wrapMarkedSections} from './markings.js'
import {paperStem} from './names.js'

export {ImportError} from './errors.js'
export {DEFAULT_LIMITS, type DocxLimits} from './docx.js'

export interface ImportInput {
  /** The decision form (Part 1). */
  form: Uint8Array
  /** The separate Part 2 form, if any. */
  part2?: Uint8Array
  /** The ground of the Part 2 material, when its text states none (`--exemptions`). */
  exemptions?: string[]
  /** Write `draft: true`. */
  draft?: boolean
  /** The instant the paper is checked at (for the report's check). */
  now: Date
  limits?: DocxLimits
}

/** A file to write beside the paper; `path` is relative to the content folder, with `/`. */
export interface ImportedFile {
  path: string
  bytes: Uint8Array
}

export interface ImportReport {
  id?: string
  /** Frontmatter keys and where their values came from. */
  filled: Array<{key: string; value: string; from: string}>
  /** Form furniture dropped, one line per part of the form. */
  dropped: string[]
  /** What `mopac check` refuses until the author resolves it: `line:column  reason`. */
  unresolved: string[]
  /** Warnings of the check (published anyway). */
  warnings: string[]
  /** What else the author should know (the converter's notes, Part 2, images). */
  notes: string[]
}

export interface ImportResult {
  /** `pcd-602-seg-mseg-contract-extension.md`. */
  fileName: string
  text: string
  images: ImportedFile[]
  report: ImportReport
}

const REGION_NAMES: Record<Region, string> = {
  head: 'the heading of the form',
  summary: 'the executive summary',
  recommendation: 'the recommendation',
  approval: "the decision maker's approval box",
  part1: 'Part 1',
  access: 'the "Public access to information" box',
  declaration: "the originating officer's declaration",
  appendix: 'the report appended to the form'
}

const IMAGE_TYPES: Record<string, string> = {'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg'}

/** Convert a decision form (and its Part 2) into one paper. Throws ImportError when nothing can be written. */
export async function importDecision(input: ImportInput): Promise<ImportResult> {
  const limits = input.limits ?? DEFAULT_LIMITS
  const main = await convert(input.form, limits, 'form')
  const part2 = input.part2 ? await convert(input.part2, limits, 'part2') : undefined
  const report: ImportReport = {filled: [], dropped: [], unresolved: [], warnings: [], notes: []}
  const topMarkers: string[] = []

  // What the Word file holds that the converter does not show.
  const headerMarking = findMarking(main.facts.headerText)
  if (headerMarking && /SECRET/.test(headerMarking) && !/sensitive/i.test(headerMarking)) {
    throw new ImportError('classified', `its page header is marked ${headerMarking}: such papers must not be stored in the content folder. Handle it through the secure route`, 'form')
  }
  if (main.facts.trackedChanges) topMarkers.push('The Word file has tracked changes, converted as if all were accepted: check the text against the form with changes shown')
  if (main.facts.hiddenText) topMarkers.push('The Word file has hidden text, which is converted as ordinary text: find it in Word (show hidden text) and delete from this paper whatever must not be published')
  if (main.facts.comments > 0) report.notes.push(`${main.facts.comments} comment${main.facts.comments === 1 ? '' : 's'} in the Word file dropped (internal notes; never converted).`)
  const ignored = main.messages.filter((message) => /ignored|unsupported|could not|unrecognised element/i.test(message) && !isTickSymbol(message))
  for (const message of main.messages) report.notes.push(`Converter: ${message}${isTickSymbol(message) ? ' (a tick box, dropped with the form furniture)' : ''}`)
  if (ignored.length > 0) topMarkers.push(`The converter left out ${ignored.length} piece${ignored.length === 1 ? '' : 's'} of the Word file it could not read (listed in the import report): compare the paper with the form`)

  const [mainNodes, mainNotes] = takeNotes(childElements(parseHtml(main.html)))
  const segments = segmentForm(mainNodes)
  const facts = readFacts(segments)
  if (!segments.recognised) topMarkers.push('The parts of a MOPAC decision form (Executive Summary, Part 1) were not found, so the whole document is kept as the body: check it is the decision form, and arrange its headings')

  // Fields.
  const frontmatter = fillFrontmatter(facts, segments.blocks, report)
  let classification = 'OFFICIAL'
  if (headerMarking) {
    classification = 'OFFICIAL-SENSITIVE'
    topMarkers.push(`The form's page header is marked ${headerMarking}, so the paper is classified OFFICIAL-SENSITIVE and withheld whole: if Part 1 is to be published, set the classification to OFFICIAL`)
    report.filled.push({key: 'classification', value: classification, from: `the page header "${headerMarking}"`})
  } else report.filled.push({key: 'classification', value: classification, from: 'Part 1 of a decision form is published'})

  const stem = paperStem(frontmatter.id, frontmatter.title)

  // Part 2: its ground, stated in its text (or given with --exemptions).
  let exemptions: string[] = []
  let part2Blocks: RootContent[] = []
  let part2Images: ImportedFile[] = []
  if (part2) {
    const [nodes, notes] = takeNotes(childElements(parseHtml(part2.html)))
    const grounds = findGrounds([...nodes, ...notes.values()].map((node) => textOf(node)).join(' '))
    exemptions = input.exemptions?.length ? input.exemptions : grounds.map((ground) => ground.exemption)
    if (exemptions.length === 0) {
      throw new ImportError('no-ground', 'the Part 2 form states no exemption of the Freedom of Information Act 2000 that can be read (such as "section 43" or "s40(2)"), and every withheld piece must state its ground. Add the legal rationale to the Part 2 form, or give the ground with --exemptions "s43"', 'part2')
    }
    report.filled.push({key: 'part2.exemptions', value: exemptions.join(' '), from: input.exemptions?.length ? '--exemptions' : groundsFrom(grounds)})
    const built = await buildPart2(nodes, notes, part2, `images/${stem}/part2-image-`, [frontmatter.id.value, frontmatter.title.value], report)
    part2Blocks = built.blocks
    part2Images = built.images
    if (facts.part2 === 'no') report.notes.push('The form answers NO to "Is there a Part 2 form?", but a Part 2 was given: it is kept, withheld.')
  } else if (facts.part2 === 'yes') {
    report.notes.push('The form says there is a Part 2 form, but none was given: import again with --part2 PART2.docx to keep it (withheld) in the paper.')
  }

  // Main form content.
  // When the form's parts were not found, every block is content (none is furniture).
  const images = await planImages(main.images, segments.recognised ? segments.blocks : undefined, `images/${stem}/image-`, report)
  const options: ConvertOptions = {images: images.plan, footnotePrefix: ''}
  let body: RootContent[] = topMarkers.map((label) => blockMarker(label))
  body.push(...contentOf(segments.blocks, segments.recognised, options, report))
  const marked = wrapMarkedSections(body, exemptions.length > 0)
  body = marked.blocks
  report.notes.push(...marked.notes)

  // Footnotes: each next to the text that refers to it (inside a withheld
  // block when only withheld text does).
  const kept = new Set(noteRefs(segments.blocks.filter((block) => CONTENT_REGIONS.has(block.region) || !segments.recognised).map((block) => block.node)))
  const definitions = [...mainNotes].filter(([id]) => kept.has(id)).map(([id, item]) => toFootnote(id, item, options))
  const unused = mainNotes.size - definitions.length
  if (unused > 0) report.notes.push(`${unused} footnote${unused === 1 ? '' : 's'} of the form's furniture dropped.`)
  body = placeFootnotes(body, definitions)

  if (part2) {
    const block: ContainerDirective = {type: 'containerDirective', name: SENSITIVE, attributes: {exemptions: exemptions.join(' ')}, children: part2Blocks as ContainerDirective['children']}
    body.push(block)
  }

  const markdown = stringify({type: 'root', children: body})
  const yaml = frontmatterText({...frontmatter, classification, exemptions, draft: input.draft})
  const paperText = `${yaml}\n${markdown}`
  const fileName = `${stem}.md`
  report.id = frontmatter.id.value || undefined

  // What `mopac check` will say.
  const outcome = processPaper({path: fileName, relativePath: fileName, bytes: Buffer.from(paperText, 'utf8')}, input.now)
  for (const message of outcome.messages) {
    const line = `${message.line ?? 1}:${message.column ?? 1}  ${message.reason}${message.ruleId ? `  ${message.ruleId}` : ''}`
    if (message.fatal) report.unresolved.push(line)
    else report.warnings.push(line)
  }
  return {fileName, text: paperText, images: [...images.files, ...part2Images], report}
}

async function convert(bytes: Uint8Array, limits: DocxLimits, input: 'form' | 'part2'): Promise<ConvertedDocx> {
  try {
    return await convertDocx(bytes, limits)
  } catch (error) {
    if (error instanceof ImportError) {
      error.input = input
      throw error
    }
    throw new ImportError('not-docx', `the converter could not read it (${(error as Error).message ?? error}): open it in Word and save it again as a .docx`, input)
  }
}

function parseHtml(html: string) {
  return unified().use(rehypeParse, {fragment: true}).parse(html)
}

/** The converter's note about a tick box symbol (a font character it cannot map) is about furniture. */
function isTickSymbol(message: string): boolean {
  return /w:sym.*char (2610|2611|2612|2713|2714|f0fc|f0fe|f0a8|f06f|f078)\b/i.test(message)
}

interface Frontmatter {
  id: {value: string; note?: string}
  title: {value: string; note?: string}
  date: {value: string; note?: string}
  decisionMaker?: string
  summary: {value: string; note?: string}
  deferral?: {until: {value: string; note?: string}; reason?: string}
}

/** The frontmatter from the form's facts; a value that cannot be read is left empty (`check` refuses it) with a comment saying what to write. */
function fillFrontmatter(facts: FormFacts, blocks: FormBlock[], report: ImportReport): Frontmatter {
  const publishable = (value: string | undefined) => value !== undefined && value !== '' && !findMarking(value) && !hasSensitiveSyntax(value) && !/<!--|-->/.test(value)
  const field = (key: string, found: {value: string; from: string} | undefined, missing: string) => {
    if (found && publishable(found.value)) {
      report.filled.push({key, value: found.value, from: found.from})
      return {value: found.value}
    }
    const note = found ? `${missing} (the form's value carries a marking or markup)` : missing
    report.filled.push({key, value: '(to fill)', from: note})
    return {value: '', note}
  }
  const id = field('id', facts.id, 'no PCD number found in the heading of the form: write it, e.g. "PCD 1600"')
  const title = field('title', facts.title, 'no title found on the form: write the decision\'s title')
  let date: {value: string; note?: string}
  if (facts.date) {
    date = {value: facts.date.value.slice(0, 10)}
    report.filled.push({key: 'date', value: date.value, from: facts.date.from})
  } else {
    const other = facts.otherDate ? ` (the officer's declaration is dated ${facts.otherDate.value.slice(0, 10)})` : ''
    date = {value: '', note: `the approval box has no date: write the date the decision was approved, YYYY-MM-DD${other}`}
    report.filled.push({key: 'date', value: '(to fill)', from: date.note!})
  }
  let decisionMaker: string | undefined
  if (facts.decisionMaker && publishable(facts.decisionMaker.value)) {
    decisionMaker = facts.decisionMaker.value
    report.filled.push({key: 'decision_maker', value: decisionMaker, from: facts.decisionMaker.from})
  }
  const first = blocks.find((block) => block.region === 'summary' && !block.labelOnly && isElement(block.node, 'p'))
  const firstText = first ? (first.labelLength ? summaryAfterLabel(first) : first.text) : undefined
  const summary = field('summary', firstText ? {value: firstText, from: "the executive summary's first paragraph"} : undefined, 'no executive summary found: write one or two sentences, or delete this line')

  let deferral: Frontmatter['deferral']
  const deferred = facts.deferred
  if (deferred?.answer === 'yes' || deferred?.answer === 'unclear') {
    const until = facts.deferralUntil
    const reason = facts.deferralReason
    const unclear = deferred.answer === 'unclear' ? `the form's answer to "deferred?" is "${deferred.written}", neither YES nor NO; ` : ''
    if (until && !unclear) {
      deferral = {until: {value: until.value}, reason}
      report.filled.push({key: 'deferral.until', value: until.value, from: `"Until what date: ${until.written}"`})
    } else {
      const note = `${unclear}${until ? '' : `no date could be read from "Until what date: ${facts.deferralUntilWritten ?? ''}"; `}write the date Part 1 may be published (YYYY-MM-DD, or YYYY-MM-DDTHH:MM London time), or delete the deferral if it is not deferred`
      deferral = {until: {value: '', note}, reason}
      report.filled.push({key: 'deferral.until', value: '(to fill)', from: note})
    }
    if (reason) report.filled.push({key: 'deferral.reason', value: reason, from: '"If yes, for what reason" (internal, never published)'})
  } else {
    report.filled.push({key: 'deferral', value: 'none', from: deferred ? `the form answers ${deferred.written} to "deferred?"` : 'no deferral question found on the form'})
  }
  return {id, title, date, decisionMaker, summary, deferral}
}

function summaryAfterLabel(block: FormBlock): string {
  const copy = structuredClone(block.node)
  stripLeading(copy, block.labelLength!)
  return plainText(copy)
}

function groundsFrom(grounds: Ground[]): string {
  return `the Part 2 form: ${grounds.map((ground) => `"${ground.context}"`).join('; ')}`
}

/** Where each image goes: written beside the paper, dropped as furniture, or dropped with a marker. */
async function planImages(images: DocxImage[], blocks: FormBlock[] | undefined, prefix: string, report: ImportReport): Promise<{plan: ImagePlan; files: ImportedFile[]}> {
  const plan: ImagePlan = new Map()
  const files: ImportedFile[] = []
  const regionOf = new Map<number, Region>()
  for (const block of blocks ?? []) for (const img of imagesIn(block.node)) regionOf.set(Number(String(img.properties.src).slice(IMAGE_PREFIX.length)), block.region)
  for (const image of images) {
    const region = regionOf.get(image.index)
    if (blocks && region && !CONTENT_REGIONS.has(region)) {
      plan.set(image.index, {furniture: true})
      continue
    }
    const ext = IMAGE_TYPES[image.contentType.toLowerCase()]
    const what = `Image ${image.index}${image.alt ? ` ("${image.alt.slice(0, 60)}")` : ''}`
    if (!ext) {
      plan.set(image.index, {drop: `${what} could not be carried over: it is ${image.contentType}, which the site cannot publish. Export it from Word as PNG, save it in the content folder and link it here`})
      continue
    }
    const path = `${prefix}${files.length + 1}.${ext}`
    const admission = await admitAttachment(path, image.bytes)
    if (!admission.ok) {
      plan.set(image.index, {drop: `${what} could not be carried over: the file ${admission.reason}`})
      continue
    }
    files.push({path, bytes: image.bytes})
    plan.set(image.index, {url: `./${path}`, alt: image.alt ?? ''})
    if (!image.alt) report.notes.push(`${path} has no description (alt text) in Word: describe it in the image's brackets for readers who cannot see it.`)
  }
  return {plan, files}
}

/** The main form's content, region by region, with furniture dropped and unknown pieces marked. */
function contentOf(blocks: FormBlock[], recognised: boolean, options: ConvertOptions, report: ImportReport): RootContent[] {
  if (!recognised) return shiftHeadings(toMarkdownBlocks(blocks.map((block) => block.node), options), 2)
  const out: RootContent[] = []
  const headed = new Set<Region>()
  const dropped = new Map<Region, {lines: string[]; images: number}>()
  let at = 0
  while (at < blocks.length) {
    const region = blocks[at].region
    let end = at
    while (end < blocks.length && blocks[end].region === region) end++
    const run = blocks.slice(at, end)
    at = end
    if (CONTENT_REGIONS.has(region)) {
      const nodes = run
        .filter((block) => !block.labelOnly)
        .map((block) => {
          if (!block.labelLength) return block.node
          const copy = structuredClone(block.node)
          stripLeading(copy, block.labelLength)
          return copy
        })
      if (region === 'summary' || region === 'recommendation' || region === 'part1') {
        if (!headed.has(region)) out.push(heading(2, region === 'summary' ? 'Executive summary' : region === 'recommendation' ? 'Recommendation' : 'Part 1 – non-confidential facts and advice'))
        headed.add(region)
        const converted = toMarkdownBlocks(region === 'part1' ? numberSections(nodes, 3) : nodes, options)
        out.push(...shiftHeadings(converted, 3))
      } else out.push(...shiftHeadings(toMarkdownBlocks(nodes, options), 2))
      continue
    }
    // Furniture: the form's own wording goes; anything else stays, marked.
    const record = dropped.get(region) ?? {lines: [], images: 0}
    dropped.set(region, record)
    const unknown: string[] = []
    for (const block of run) {
      record.images += imagesIn(block.node).length
      let previous = ''
      for (const line of blockLines(block.node)) {
        const value = /^signature\b:?$/i.test(previous) || (region === 'access' && /\?$|:$/.test(previous))
        if (value || isFurnitureLine(line, region) || (region === 'head' && isHeadLine(line))) record.lines.push(line)
        else unknown.push(line)
        previous = line
      }
    }
    if (unknown.length > 0) {
      out.push(blockMarker(`Kept from ${REGION_NAMES[region]}, which is otherwise form furniture: is this part of the paper? Keep it (under the right heading) or delete it`))
      out.push(...unknown.map((line) => ({type: 'paragraph', children: [{type: 'text', value: line}]}) as RootContent))
    }
  }
  for (const [region, {lines, images}] of dropped) {
    if (lines.length === 0 && images === 0) continue
    const quoted = lines.slice(0, 3).map((line) => `"${line.length > 60 ? line.slice(0, 57) + '...' : line}"`)
    const more = lines.length > 3 ? ` and ${lines.length - 3} more line${lines.length - 3 === 1 ? '' : 's'}` : ''
    const pictures = images > 0 ? `${lines.length > 0 ? '; ' : ''}${images} image${images === 1 ? '' : 's'} (a signature or logo)` : ''
    report.dropped.push(`${REGION_NAMES[region]}: ${quoted.join(', ')}${more}${pictures}`)
  }
  return out
}

/** Lines of the form's heading that say what the frontmatter says. */
function isHeadLine(line: string): boolean {
  return /\b(PCD|DMPCD)\b|\bdecision\b|^title\b|^(OFFICIAL|NOT PROTECTIVELY MARKED|PROTECT)\b/i.test(line) || line.length === 0
}

function heading(depth: Heading['depth'], value: string): Heading {
  return {type: 'heading', depth, children: [{type: 'text', value}]}
}

/** Footnote definitions after the public text, or inside the withheld block whose text alone refers to them. */
function placeFootnotes(body: RootContent[], definitions: RootContent[]): RootContent[] {
  const refsIn = (nodes: RootContent[]) => {
    const found = new Set<string>()
    const walk = (node: RootContent | Root) => {
      if (node.type === 'footnoteReference') found.add(node.identifier)
      if ('children' in node) for (const child of node.children as RootContent[]) walk(child)
    }
    nodes.forEach(walk)
    return found
  }
  const outside = refsIn(body.filter((node) => !(node.type === 'containerDirective' && node.name === SENSITIVE)))
  const rest: RootContent[] = []
  for (const definition of definitions) {
    const id = (definition as {identifier: string}).identifier
    const container = !outside.has(id) ? body.find((node): node is ContainerDirective => node.type === 'containerDirective' && node.name === SENSITIVE && refsIn([node]).has(id)) : undefined
    if (container) container.children.push(definition as ContainerDirective['children'][number])
    else rest.push(definition)
  }
  return [...body, ...rest]
}

/** The Part 2 form, whole, for the withheld block. */
async function buildPart2(allNodes: Element[], notes: Map<string, Element>, part2: ConvertedDocx, prefix: string, publicNames: string[], report: ImportReport): Promise<{blocks: RootContent[]; images: ImportedFile[]}> {
  // A line of the Part 2 form that only repeats the paper's public reference
  // and title ("PCD 602 – SEG & MSEG Contract Extension") carries nothing
  // withheld. Why drop it: kept in the block, it would be withheld text that
  // the page shows anyway, which the leak check reports, blocking a release.
  const key = (value: string) => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
  const names = publicNames.map(key).filter(Boolean)
  const repeats = (text: string) => {
    let rest = ` ${key(text)} `
    for (const name of names) rest = rest.replace(` ${name} `, ' ')
    return rest.trim() === '' && key(text) !== ''
  }
  const nodes = allNodes.filter((node) => {
    if (!isElement(node, 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6') || !repeats(plainText(node))) return true
    report.notes.push(`Part 2: "${plainText(node)}" dropped: it only repeats the paper's public reference and title.`)
    return false
  })
  // Its images are written beside the paper too; only withheld text refers to them, so they are never published.
  const images = await planImages(part2.images, undefined, prefix, report)
  for (const [index, value] of images.plan) {
    if (!('drop' in value)) continue
    // Why no marker here: nothing of Part 2 is published, so a lost image is noted, not blocking.
    images.plan.set(index, {furniture: true})
    report.notes.push(`Part 2: ${value.drop}`)
  }
  const options: ConvertOptions = {images: images.plan, footnotePrefix: 'part2-'}
  const blocks = shiftHeadings(toMarkdownBlocks(nodes as ElementContent[], options), 3)
  const refs = new Set(noteRefs(nodes))
  const definitions = [...notes].filter(([id]) => refs.has(id)).map(([id, item]) => toFootnote(id, item, options))
  for (const message of part2.messages) report.notes.push(`Part 2, converter: ${message}`)
  if (part2.facts.comments > 0) report.notes.push(`Part 2: ${part2.facts.comments} comment${part2.facts.comments === 1 ? '' : 's'} in the Word file dropped.`)
  return {blocks: [heading(2, 'Part 2'), ...blocks, ...definitions], images: images.files}
}

/** Markdown with the project's settings (as `toMarkdown` in pipeline/processor.ts), plus directives. */
export function stringify(tree: Root): string {
  return unified().use(remarkStringify, {bullet: '-', emphasis: '_', rule: '-', fences: true}).use(remarkGfmPapers).use(remarkDirective).stringify(tree)
}

/** YAML for the frontmatter: values double-quoted (JSON strings are valid YAML), comments where the author must act. */
function frontmatterText(fm: Frontmatter & {classification: string; exemptions: string[]; draft?: boolean}): string {
  const quote = (value: string) => JSON.stringify(value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '').replace(/\s+/g, ' ').trim())
  const line = (key: string, value: {value: string; note?: string}, indent = '') => `${indent}${key}: ${quote(value.value)}${value.note ? ` # ${comment(value.note)}` : ''}`
  const lines = ['---', '# Imported from a Word decision form by `mopac import`: check every value against the form.', line('id', fm.id), line('title', fm.title), line('date', fm.date), `classification: ${fm.classification}`]
  if (fm.decisionMaker) lines.push(`decision_maker: ${quote(fm.decisionMaker)}`)
  lines.push(line('summary', fm.summary))
  if (fm.draft) lines.push('draft: true # a draft is never published: delete this line when the paper is ready')
  if (fm.deferral) {
    lines.push('deferral:', line('until', fm.deferral.until, '  '))
    if (fm.deferral.reason) lines.push(`  reason: ${quote(fm.deferral.reason)} # internal, never published`)
  }
  if (fm.exemptions.length > 0) lines.push('part2:', `  exemptions: [${fm.exemptions.map(quote).join(', ')}] # the ground the Part 2 form states`)
  lines.push('---')
  return lines.join('\n') + '\n'
}

/** A YAML comment: one line, no marking (a comment carrying one is refused). */
function comment(note: string): string {
  const flat = note.replace(/\s+/g, ' ')
  return findMarking(flat) ? flat.replace(/official[\W_]*sensitive|\b(top )?secret\b/gi, 'a marking') : flat
}


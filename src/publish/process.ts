/**
 * Process one paper: read, redact, decide. Pure apart from the pipeline's
 * own work; the bytes and the clock come in as arguments. Runs in the main
 * thread or a worker; its result is plain data.
 */
import {readPaper} from '../content/read.js'
import {redact} from '../pipeline/processor.js'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import {decide, statusWord} from './decide.js'
import {appliedExemptions, factsOf, sourceStatus, toPublicPaper} from './gate.js'
import type {PaperOutcome, PlainMessage} from './outcome.js'

export interface PaperInput {
  path: string
  relativePath: string
  bytes: Uint8Array
}

/** Process a paper and decide its status at `now`. */
export function processPaper(input: PaperInput, now: Date): PaperOutcome {
  return atInstant(processSource(input), now)
}

/**
 * The outcome as at `now`, its status from `decide` (for reports and
 * tests; the build decides with attachments and approvals too).
 * Why: the cache keeps one outcome per source; each build decides again
 * whether it is public at its `now`.
 */
export function atInstant(source: PaperOutcome, now: Date): PaperOutcome {
  const status = statusWord(decide(source, {now}))
  if (status === 'public') return {...source, messages: [...source.messages]}
  const {public: _dropped, ...rest} = source
  return {...rest, status, messages: [...source.messages], assetRefs: []}
}

/**
 * Read, redact and check a paper; its status ignores any deferral (public
 * here means "public once due"). Use `atInstant` before publishing anything.
 */
export function processSource(input: PaperInput, options: {hiddenPapers?: string[]} = {}): PaperOutcome {
  const paper = readPaper(input.path, input.relativePath, input.bytes)
  const fm = paper.frontmatter
  // The body is checked even when the frontmatter has errors, so one run
  // reports every problem of the paper.
  paper.file.data.defaultExemptions = paper.defaultExemptions
  paper.file.data.relativePath = input.relativePath
  if (options.hiddenPapers) paper.file.data.hiddenPapers = options.hiddenPapers
  let tree
  try {
    tree = redact(paper.file)
  } catch (error) {
    // Fail closed with a position rather than crash the whole run.
    fail(paper.file, `This paper could not be processed (${String((error as Error)?.message ?? error).split('\n')[0]}): simplify its structure`, {line: 1, column: 1}, 'paper-unprocessable')
    tree = {type: 'root' as const, children: []}
  }
  const facts = factsOf(paper)
  const status = sourceStatus(facts)
  const outcome: PaperOutcome = {
    path: input.path,
    relativePath: input.relativePath,
    status,
    messages: plainMessages(paper.file),
    redactions: paper.file.data.redactions ?? [],
    exemptions: fm ? appliedExemptions(paper) : [],
    // A withdrawn paper's attachments go with its body.
    assetRefs: status === 'public' && !fm?.withdrawn ? paper.file.data.assets ?? [] : []
  }
  if (paper.draft) outcome.draft = true
  if (fm) {
    outcome.id = fm.id
    outcome.slug = paper.slug
    outcome.title = fm.title
    outcome.date = fm.date
    outcome.classification = fm.classification
    const idLine = lineOfKey(input.bytes, 'id')
    if (idLine) outcome.idLine = idLine
    if (paper.deferUntil) outcome.deferUntil = paper.deferUntil.toISOString()
    if (paper.level) outcome.level = paper.level
  }
  if (status === 'public') {
    outcome.public = toPublicPaper(paper, tree)
    const links = [...new Set((paper.file.data.paperLinks ?? []).map((link) => link.slug))].sort()
    if (links.length > 0) outcome.paperLinks = links
  }
  return outcome
}

/**
 * Links between papers at `now`: a public paper that links to the page of a
 * paper that is not public (deferred, withheld whole, invalid or missing) is
 * processed again with those links reduced to their text. Returns the
 * outcomes with those papers replaced.
 * Why: the link's address names the other paper before its time. The cache
 * keeps the paper with its links, so when the target becomes public the next
 * build restores them.
 */
export function hideLinksToNonPublic(outcomes: PaperOutcome[], inputs: PaperInput[], now: Date): PaperOutcome[] {
  const publicSlugs = new Set(outcomes.filter((o) => o.status === 'public' && o.slug).map((o) => o.slug!))
  const byPath = new Map(inputs.map((input) => [input.relativePath, input]))
  return outcomes.map((outcome) => {
    const input = byPath.get(outcome.relativePath)
    return input ? linksAtInstant(outcome, input, publicSlugs, now) : outcome
  })
}

/** One paper's outcome with its links to papers outside `publicSlugs` reduced to their text. */
export function linksAtInstant(outcome: PaperOutcome, input: PaperInput, publicSlugs: Set<string>, now: Date): PaperOutcome {
  if (outcome.status !== 'public' || !outcome.paperLinks) return outcome
  const hidden = outcome.paperLinks.filter((slug) => !publicSlugs.has(slug))
  if (hidden.length === 0) return outcome
  const again = atInstant(processSource(input, {hiddenPapers: hidden}), now)
  // Keep the links the paper has (for the cache's and the report's sake).
  return {...again, paperLinks: outcome.paperLinks, hiddenLinks: hidden}
}

export function plainMessages(file: VFile): PlainMessage[] {
  return file.messages.map((m) => {
    const plain: PlainMessage = {reason: m.reason, fatal: m.fatal === true}
    if (m.line != null) plain.line = m.line
    if (m.column != null) plain.column = m.column
    if (m.place && 'end' in m.place && m.place.end) {
      plain.endLine = m.place.end.line
      plain.endColumn = m.place.end.column
    }
    if (m.ruleId) plain.ruleId = m.ruleId
    return plain
  })
}
function lineOfKey(bytes: Uint8Array, key: string): number | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8')
  const lines = head.split('\n')
  const index = lines.findIndex((line) => line.startsWith(key + ':'))
  return index === -1 ? undefined : index + 1
}

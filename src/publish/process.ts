/**
 * Process one paper: read, redact, decide. Pure apart from the pipeline's
 * own work; the bytes and the clock come in as arguments. Runs in the main
 * thread or a worker; its result is plain data.
 */
import {readPaper} from '../content/read.js'
import {redact} from '../pipeline/processor.js'
import type {VFile} from 'vfile'
import {appliedExemptions, statusAt, toPublicPaper} from './gate.js'
import type {PaperOutcome, PlainMessage} from './outcome.js'

export interface PaperInput {
  path: string
  relativePath: string
  bytes: Uint8Array
}

export function processPaper(input: PaperInput, now: Date): PaperOutcome {
  const paper = readPaper(input.path, input.relativePath, input.bytes)
  const fm = paper.frontmatter
  // The body is checked even when the frontmatter has errors, so one run
  // reports every problem of the paper.
  paper.file.data.defaultExemptions = paper.defaultExemptions
  paper.file.data.relativePath = input.relativePath
  const tree = redact(paper.file)
  const status = statusAt(paper, now)
  const outcome: PaperOutcome = {
    path: input.path,
    relativePath: input.relativePath,
    status,
    messages: plainMessages(paper.file),
    redactions: paper.file.data.redactions ?? [],
    exemptions: fm ? appliedExemptions(paper) : [],
    assetRefs: status === 'public' ? paper.file.data.assets ?? [] : []
  }
  if (fm) {
    outcome.id = fm.id
    outcome.slug = paper.slug
    outcome.title = fm.title
    outcome.date = fm.date
    outcome.classification = fm.classification
    const idLine = lineOfKey(input.bytes, 'id')
    if (idLine) outcome.idLine = idLine
    if (paper.deferUntil) outcome.deferUntil = paper.deferUntil.toISOString()
  }
  if (status === 'public') outcome.public = toPublicPaper(paper, tree)
  return outcome
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

/**
 * Printing a run's messages, all at once, after the run. The default is one
 * line per problem in the form editors and terminals make clickable
 * (`content/pcd-602.md:29:1: error: ...  [directive-unknown]`), then the
 * line with a caret under the column, the "did you mean" when there is one,
 * where the rule is explained, and what follows from it as notes.
 * `--reporter vfile` prints vfile-reporter's grouped output instead.
 */
import {readRegularFile} from '../content/source-file.js'
import {reporter as vfileReporter} from '../vendor/index.js'
import {messageFiles, type BuildResult} from '../build/build.js'
import {suggestionIn} from '../content/suggest.js'
import type {PlainMessage} from '../publish/outcome.js'
import {groupFollowOns} from './follow-on.js'
import {codeFrame, visible} from './frame.js'
import {UsageError, type CliIo} from './io.js'

/** The values `--reporter` takes. */
export const REPORTERS = ['default', 'vfile'] as const
export type Reporter = (typeof REPORTERS)[number]

/** `--reporter NAME`, for the commands that print messages (`mopac <command> --help` lists it). */
export const reporterOption = {reporter: {type: 'string', default: 'default'}} as const

export const reporterHelp = `  --reporter NAME how problems are printed: \`default\` (one line each,
                  file:line:column: error: ..., with the line and a caret,
                  follow-on messages as notes under their cause) or \`vfile\`
                  (vfile-reporter's, grouped by file, every message alike)`

/** `--reporter`, checked. */
export function parseReporter(value: unknown): Reporter {
  if (value === undefined) return 'default'
  if (REPORTERS.includes(value as Reporter)) return value as Reporter
  throw new UsageError(`Unknown --reporter \`${String(value)}\`: use \`default\` or \`vfile\``)
}

/** Where each rule is explained. */
export const ERRORS_DOC = 'docs/errors.md'

/**
 * Colour on a terminal only, and never when NO_COLOR is set to anything but
 * the empty string (https://no-color.org).
 */
export function useColor(io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  return io.isTTY && !io.env.NO_COLOR
}

/**
 * Print every message of a run, all at once. Returns whether any is an error.
 * `frames: false` prints no line of the paper (the scheduled release's output
 * goes to mail: it names the place, never quotes the text, which may be
 * withheld material).
 */
export function printMessages(result: Pick<BuildResult, 'outcomes' | 'problems'>, io: CliIo, contentLabel: string, reporterName?: unknown, options: {frames?: boolean} = {}): boolean {
  const reporter = parseReporter(reporterName)
  const color = useColor(io)
  const failed = result.problems.some((m) => m.fatal) || result.outcomes.some((o) => o.messages.some((m) => m.fatal))
  if (reporter === 'vfile') {
    const files = messageFiles(result, contentLabel)
    if (files.length > 0) io.stderr(vfileReporter(files, {color}) + '\n')
    return failed
  }
  const files: ReportedFile[] = []
  if (result.problems.length > 0) files.push({path: contentLabel, messages: result.problems})
  for (const outcome of result.outcomes) {
    if (outcome.messages.length > 0) files.push({path: outcome.path, messages: outcome.messages, source: options.frames !== false && outcome.messages.some((m) => m.line != null) ? readSource(outcome.path) : undefined})
  }
  const text = formatReport(files, {color})
  if (text) io.stderr(text)
  return failed
}

/** The paper's text, for code frames; nothing when it cannot be read (or is too large to show). */
function readSource(file: string): string | undefined {
  try {
    // Only a regular file, as papers are read (a pipe put there since would stop the report for ever).
    return Buffer.from(readRegularFile(file, {limit: 16 * 1024 * 1024})).toString('utf8')
  } catch {
    return undefined
  }
}

export interface ReportedFile {
  path: string
  messages: readonly PlainMessage[]
  /** The file's text, for code frames. */
  source?: string
}

interface Style {
  bold: (s: string) => string
  dim: (s: string) => string
  red: (s: string) => string
  yellow: (s: string) => string
  cyan: (s: string) => string
}

const plain: Style = {bold: (s) => s, dim: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s}
const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`
const colored: Style = {bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), cyan: ansi(36, 39)}

/** The whole report for `files`, ending with a count; empty when there is no message. */
export function formatReport(files: readonly ReportedFile[], options: {color?: boolean} = {}): string {
  const style = options.color ? colored : plain
  const out: string[] = []
  let errors = 0
  let warnings = 0
  let followOns = 0
  for (const file of files) {
    for (const {message, followOns: notes} of groupFollowOns(file.messages)) {
      if (message.fatal) errors++
      else warnings++
      followOns += notes.length
      out.push(...formatGroup(file, message, notes, style), '')
    }
  }
  if (out.length === 0) return ''
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const totals = [errors > 0 ? style.red(count(errors, 'error')) : '', warnings > 0 ? style.yellow(count(warnings, 'warning')) : ''].filter(Boolean).join(', ')
  const more = followOns > 0 ? ` (and ${count(followOns, 'follow-on message')}, shown as notes)` : ''
  out.push(style.bold(totals) + more)
  return out.join('\n') + '\n'
}

function kind(message: PlainMessage, style: Style): string {
  return message.fatal ? style.red('error') : style.yellow('warning')
}

function location(path: string, m: PlainMessage): string {
  return m.line == null ? visible(path) : `${visible(path)}:${m.line}:${m.column ?? 1}`
}

/** One problem: its line, its frame, its suggestion, its rule's section, and what follows from it. */
function formatGroup(file: ReportedFile, message: PlainMessage, notes: readonly PlainMessage[], style: Style): string[] {
  const rule = message.ruleId ? `  ${style.dim(`[${message.ruleId}]`)}` : ''
  const lines = [`${style.bold(location(file.path, message) + ':')} ${style.bold(kind(message, style) + ':')} ${oneLine(message.reason)}${rule}`]
  const mark = message.fatal ? style.red : style.yellow
  const suggestion = suggestionIn(message.reason)
  const hint = suggestion === undefined ? undefined : style.cyan(`did you mean ${suggestion}?`)
  // The suggestion stands beside the caret, where the eye already is.
  const frame = file.source === undefined ? undefined : codeFrame(file.source, message, {dim: style.dim, mark: (s) => style.bold(mark(s)), label: hint})
  if (frame) lines.push(...frame)
  else if (hint) lines.push(`  ${hint}`)
  if (message.ruleId) lines.push(`  ${style.cyan('see:')} ${ERRORS_DOC}#${message.ruleId}`)
  if (notes.length > 0) {
    lines.push(`  ${style.cyan('note:')} ${notes.length === 1 ? 'this message follows' : `these ${notes.length} messages follow`} from it, and should go once it is fixed:`)
    for (const note of notes) {
      const at = note.line == null ? '' : `${note.line}:${note.column ?? 1} `
      lines.push(`    ${at}${kind(note, style)}${note.fatal ? '  ' : ''} ${summary(note.reason)}${note.ruleId ? `  ${style.dim(`[${note.ruleId}]`)}` : ''}`)
    }
  }
  return lines
}

/** A reason on one line, whatever it holds, and nothing in it that could drive the terminal (it can quote a paper). */
function oneLine(reason: string): string {
  return visible(reason.replace(/\s*\n\s*/g, ' '))
}

/**
 * The first clause of a reason (what happened, without what to do), for a
 * note: up to its first `: ` or `. ` outside backticks, at most 160 characters.
 */
export function summary(reason: string): string {
  const text = oneLine(reason)
  let code = false
  for (let i = 0; i < text.length && i < 160; i++) {
    if (text[i] === '`') code = !code
    else if (!code && i >= 10 && (text[i] === ':' || text[i] === '.') && text[i + 1] === ' ') return text.slice(0, i)
  }
  return text.length <= 160 ? text : text.slice(0, 159) + '…'
}

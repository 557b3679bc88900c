/** `mopac approve`: record a reviewer's approval of a paper's public rendering. */
import {execFileSync} from 'node:child_process'
import path from 'node:path'
import {build} from '../../build/build.js'
import {approvalCheck, approversOf, isVisibleName, renderingText, renderingToApprove, sha256} from '../../publish/approvals.js'
import type {ApprovalCheck} from '../../publish/decide.js'
import {slugify} from '../../content/slug.js'
import {ApprovalsFileError, appendApproval, approvalsPath, readApprovals} from '../../release/approvals.js'
import {formatLondonInstant} from '../../time/london.js'
import {loadSiteConfig} from '../config.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {contentOption, nowOption, resolveNow} from '../options.js'
import type {Command} from './types.js'
import type {PublicPaper} from '../../publish/types.js'

export const approveCommand: Command = {
  name: 'approve',
  summary: "Approve a paper's public rendering (its redaction) as reviewed",
  usage: 'mopac approve <paper id or file> [--as NAME] [--note TEXT] [--content DIR] [--now ISO]',
  help: `Records that you reviewed a paper's public rendering and approve it: the
paper id, your name, the time, and a SHA-256 of the rendering (its public
Markdown, public metadata and attachments, as the build makes it at the
paper's release instant: now, or the end of its deferral). The record is one
line appended to <content>/approvals.jsonl, which travels in git with the
papers. With \`approvals: 1\` or \`2\` in <content>/mopac.config.json, build and
release publish a paper only when its current rendering has that many
approvals by different people; any change to the rendering needs new ones.

The name is what you type (default: git's user.name); nothing is signed.

Options:
  --as NAME       your name, as it should appear (default: git config user.name)
  --note TEXT     a note kept with the approval
  --content DIR   folder of papers (default: content)
  --now ISO       approve as at this instant (default: the current time)`,
  positionals: true,
  options: {...contentOption, ...nowOption, as: {type: 'string'}, note: {type: 'string'}},
  async run(values, io: CliIo, positionals) {
    if (positionals.length !== 1) throw new UsageError('Give one paper: its id (`"PCD 602"`) or its file (`content/pcd-602.md`)')
    const content = values.content as string
    const now = resolveNow(values.now as string | undefined, io)
    const approver = ((values.as as string | undefined) ?? gitUserName(content) ?? '').trim()
    if (!isVisibleName(approver)) throw new UsageError('Give your name with --as "Your Name" (or set git config user.name): it needs letters, not only invisible characters')
    const config = await loadSiteConfig(content, io)
    if (!config) return EXIT.content
    const wanted = positionals[0]
    // The rendering as build and release will make it: with the site's
    // approval policy applied to the other papers (a link to one held for
    // approval is its text alone).
    const policy = config.approvals > 0 ? approvalCheck((await readApprovals(content)).records, config.approvals) : undefined
    const found = await paperAt(content, wanted, now, policy)
    if ('error' in found) {
      io.stderr(found.error + '\n')
      return found.code
    }
    const {rendering, relativePath, instant} = found
    const text = renderingText(rendering)
    const hash = sha256(text)
    const note = (values.note as string | undefined)?.trim()
    try {
      await appendApproval(content, {paper: rendering.id, file: relativePath, approver, at: now.toISOString(), sha256: hash, rendering: text, ...(note ? {note} : {})})
    } catch (error) {
      if (!(error instanceof ApprovalsFileError)) throw error
      io.stderr(error.message + '\n')
      return EXIT.content
    }
    const {records} = await readApprovals(content)
    const who = approversOf(records, rendering.id, hash)
    const need = config.approvals
    io.stdout(
      `Approved ${rendering.id} "${rendering.title}" as ${approver}: its public rendering as at ${formatLondonInstant(instant)} (sha256 ${hash.slice(0, 12)}).\n` +
        `Approvals of this rendering: ${who.join(', ')}${need > 0 ? ` (${Math.min(who.length, need)} of ${need} needed${who.length >= need ? ': it may be published' : ''})` : ' (the site needs none: approvals: 0)'}.\n` +
        `Recorded in ${approvalsPath(content)}; commit it with the paper.\n`
    )
    return EXIT.ok
  }
}

/** git's user.name, when git and a name are there. */
function gitUserName(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['config', 'user.name'], {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * The paper's public rendering at its release instant: now, or when its
 * deferral ends; made by the build's own decision.
 */
async function paperAt(content: string, wanted: string, now: Date, approval: ApprovalCheck | undefined): Promise<{error: string; code: number} | {rendering: PublicPaper; relativePath: string; instant: Date}> {
  const result = await build({content, now, render: false, hold: true, approval})
  if (result.problems.some((m) => m.fatal)) return {error: result.problems.map((m) => m.reason).join('\n'), code: EXIT.content}
  const relative = path.relative(content, path.resolve(wanted)).split(path.sep).join('/')
  const matches = result.outcomes.filter((o) => o.relativePath === wanted || o.relativePath === relative || (o.id !== undefined && slugify(o.id) === slugify(wanted)))
  if (matches.length !== 1) {
    return {error: matches.length === 0 ? `No paper \`${wanted}\` in ${content}/: give its id (\`"PCD 602"\`) or its file` : `\`${wanted}\` names ${matches.length} papers (${matches.map((o) => o.relativePath).join(', ')}): give its file`, code: EXIT.usage}
  }
  const outcome = matches[0]
  let decision = result.decisions.get(outcome.relativePath)!
  let instant = now
  if (decision.status === 'deferred') {
    // Approved as it will be released: at the end of its deferral.
    instant = new Date(decision.until)
    const later = await build({content, now: instant, render: false, hold: true, approval})
    decision = later.decisions.get(outcome.relativePath)!
  }
  const rendering = renderingToApprove(decision)
  if (!rendering) {
    const why: Record<string, string> = {
      draft: 'it is a draft (remove `draft: true` first: that does not change its public rendering)',
      held: 'it has errors (run `mopac check`)',
      withheld: 'it is withheld whole (OFFICIAL-SENSITIVE): nothing of it is published',
      removed: 'it is withdrawn and removed'
    }
    return {error: `Cannot approve ${outcome.id ?? outcome.relativePath}: ${why[decision.status] ?? `it has no public rendering (${decision.status})`}`, code: EXIT.content}
  }
  return {rendering, relativePath: outcome.relativePath, instant}
}
